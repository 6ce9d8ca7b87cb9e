//! The committed `docs/openapi.json` is the spec the code generates: partners read the file,
//! so a change to the API that forgets it fails here. Regenerate with `cargo xtask openapi`.

use backend::openapi::spec;

#[test]
fn committed_openapi_json_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
    let generated = spec().to_pretty_json().unwrap() + "\n";
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date: run `cargo xtask openapi` and commit the result"
    );
}

#[test]
fn every_operation_documents_its_errors_as_problems() {
    let spec = serde_json::to_value(spec()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1") {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{method} {path} lacks 500");
            if operation.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            }
        }
    }
}

/// Generated clients name their methods after `operationId`: two alike would collide.
#[test]
fn every_operation_has_its_own_id() {
    let spec = serde_json::to_value(spec()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(seen.insert(id.to_owned()), "{method} {path} reuses {id}");
        }
    }
}
