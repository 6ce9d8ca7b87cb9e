//! Search folds like people type: case, accents, Arabic hamza forms, diacritics and tatweel do
//! not matter, and both databases answer the same (every assertion runs on each).

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{PASSWORD, TestApp};

/// The values of `field` in a page's items.
fn values(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|item| item[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `q` percent-encoded for a query string.
fn query(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn occupations_are_found_whatever_the_case_accents_and_hamza(app: TestApp) {
    let (_, youth) = app.account("youth@example.ma", Role::Youth, None).await;
    let cases = [
        ("econ", "2631"),
        ("ECONOMISTES", "2631"),
        ("économistes chercheurs", "2631"),
        ("educateur", "2342"),
        ("Éducateurs petite", "2342"),
        // "الإدارة" typed without its hamza, and with diacritics.
        ("الادارة العمومية", "1112"),
        ("الإِدَارَة", "1112"),
        // "أعضاء" without hamza forms at all.
        ("اعضا البرلمان", "1111"),
        ("parliament", "1111"),
    ];
    for (typed, isco) in cases {
        let page = app
            .get(
                &format!("/api/v1/occupations?q={}&limit=100", query(typed)),
                Some(&youth),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{typed}: {}", page.body);
        assert!(
            values(&page.body, "isco08").contains(&isco.to_owned()),
            "{typed} should find {isco}: {:?}",
            values(&page.body, "isco08")
        );
    }
    // A word must begin a word: "conomist" is inside "économistes", not at a word's start.
    let inside = app
        .get("/api/v1/occupations?q=conomist", Some(&youth))
        .await;
    assert!(!values(&inside.body, "isco08").contains(&"2631".to_owned()));
    // Punctuation alone names nothing, and is never an error; a blank query is no filter.
    let punctuation = app.get("/api/v1/occupations?q=%25_%5C", Some(&youth)).await;
    assert_eq!(punctuation.status, StatusCode::OK);
    assert!(values(&punctuation.body, "isco08").is_empty());
    let blank = app.get("/api/v1/occupations?q=%20%20", Some(&youth)).await;
    assert_eq!(values(&blank.body, "isco08").len(), 20);
}

async fn people_organisations_centers_and_communes_fold_alike(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    for (email, first, last) in [
        ("eloise@example.ma", "Éloïse", "Benani"),
        ("amine@example.ma", "أمين", "الإدريسي"),
    ] {
        let created = app
            .post(
                "/api/v1/users",
                Some(&admin),
                json!({"email": email, "password": PASSWORD, "role": "youth", "first_name": first, "last_name": last}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    for (typed, email) in [
        ("eloise", "eloise@example.ma"),
        ("ELOÏSE ben", "eloise@example.ma"),
        ("امين", "amine@example.ma"),
        ("الادريسي", "amine@example.ma"),
        ("amine@", "amine@example.ma"),
    ] {
        let page = app
            .get(&format!("/api/v1/users?q={}", query(typed)), Some(&admin))
            .await;
        assert_eq!(values(&page.body, "email"), [email], "{typed}");
    }
    // A renamed account is found by its new name only.
    let (id, youth) = app.account("renamed@example.ma", Role::Youth, None).await;
    let renamed = app
        .patch("/api/v1/me", Some(&youth), json!({"first_name": "Hélène"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    let page = app.get("/api/v1/users?q=helene", Some(&admin)).await;
    assert_eq!(page.body["items"][0]["id"], id);

    let org = app
        .post(
            "/api/v1/organizations",
            Some(&admin),
            json!({"name": "Économie Solidaire du Souss", "kind": "association"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED);
    let page = app
        .get("/api/v1/organizations?q=econ%20souss", Some(&admin))
        .await;
    assert_eq!(values(&page.body, "name"), ["Économie Solidaire du Souss"]);

    let center = app
        .post(
            "/api/v1/centers",
            Some(&admin),
            json!({"name": "Cité des Métiers", "host_institution": "Université Ibn Zohr", "city": "Agadir", "region_code": "09"}),
        )
        .await;
    assert_eq!(center.status, StatusCode::CREATED, "{}", center.body);
    for typed in ["cite metiers", "CITÉ", "ibn zohr agadir"] {
        let page = app
            .get(&format!("/api/v1/centers?q={}", query(typed)), None)
            .await;
        assert_eq!(values(&page.body, "name"), ["Cité des Métiers"], "{typed}");
    }

    for (typed, commune) in [("fes", "Fès"), ("FÈS", "Fès"), ("فاس", "Fès")] {
        let page = app
            .get(
                &format!("/api/v1/communes?q={}&limit=100", query(typed)),
                None,
            )
            .await;
        assert!(
            values(&page.body, "name_fr").contains(&commune.to_owned()),
            "{typed}: {:?}",
            values(&page.body, "name_fr")
        );
    }
}

async fn rows_written_before_the_fold_are_refolded_at_start(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    app.account("eloise@example.ma", Role::Youth, None).await;
    // As a database upgraded from before the column: nothing folded, no fold version.
    for table in ["users", "centers"] {
        app.db
            .execute_unprepared(&format!("UPDATE {table} SET search_text = NULL"))
            .await
            .unwrap();
    }
    app.db
        .execute_unprepared("DELETE FROM reference_versions WHERE name = 'search-fold'")
        .await
        .unwrap();
    let lost = app.get("/api/v1/users?q=eloise", Some(&admin)).await;
    assert!(values(&lost.body, "email").is_empty());
    backend::seed::reference(&app.db).await.unwrap();
    let found = app.get("/api/v1/users?q=eloise", Some(&admin)).await;
    assert_eq!(values(&found.body, "email"), ["eloise@example.ma"]);
    let centers = app.get("/api/v1/centers?q=casablanca", None).await;
    assert!(!values(&centers.body, "name").is_empty());
}

crate::on_both_databases!(
    occupations_are_found_whatever_the_case_accents_and_hamza,
    people_organisations_centers_and_communes_fold_alike,
    rows_written_before_the_fold_are_refolded_at_start,
    reference_answers_carry_an_etag_and_a_second_visit_costs_no_body,
);

async fn reference_answers_carry_an_etag_and_a_second_visit_costs_no_body(app: TestApp) {
    for path in [
        "/api/v1/regions",
        "/api/v1/sectors",
        "/api/v1/sectors/automotive",
        "/api/v1/occupations/2631",
        "/api/v1/orientation/inventory",
    ] {
        let first = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        // Weak: one tag for the JSON whatever its encoding.
        assert!(
            etag.starts_with("W/\"") && etag.len() > 10,
            "{path}: {etag}"
        );
        assert_eq!(first.headers()["cache-control"], "public, max-age=3600");
        let body: Value = first.json().await.unwrap();
        assert!(!body.is_null());

        let again = app
            .client
            .get(app.url(path))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());

        let stale = app
            .client
            .get(app.url(path))
            .header("If-None-Match", "\"an-older-version\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::OK, "{path}");
    }
    // Asked for brotli or gzip, a large answer comes compressed, and is the same JSON.
    let plain = app
        .client
        .get(app.url("/api/v1/orientation/inventory"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    for encoding in ["br", "gzip"] {
        let answer = app
            .client
            .get(app.url("/api/v1/orientation/inventory"))
            .header("Accept-Encoding", format!("{encoding}, identity"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.headers()["content-encoding"], encoding);
        let vary = answer.headers()["vary"].to_str().unwrap().to_owned();
        assert!(vary.contains("Accept-Encoding"), "{vary}");
        let packed = answer.bytes().await.unwrap();
        assert!(
            packed.len() * 2 < plain.len(),
            "{encoding}: {} of {}",
            packed.len(),
            plain.len()
        );
        let mut unpacked = Vec::new();
        if encoding == "br" {
            brotli::BrotliDecompress(&mut &packed[..], &mut unpacked).unwrap();
        } else {
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(&packed[..]),
                &mut unpacked,
            )
            .unwrap();
        }
        assert_eq!(unpacked, plain.as_ref(), "{encoding}");
    }
    // Served from memory, still what the database holds; unknown codes are still 404.
    let sector = app.get("/api/v1/sectors/automotive", None).await;
    let stored = crate::helpers::count_in(
        &app.db,
        "sector_occupations WHERE sector_code = 'automotive'",
    )
    .await;
    assert_eq!(
        sector.body["occupations"].as_array().unwrap().len() as i64,
        stored
    );
    assert_eq!(
        app.get("/api/v1/sectors/nope", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/occupations/0000", None).await.status,
        StatusCode::NOT_FOUND
    );
}
