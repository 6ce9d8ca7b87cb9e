//! The server's side of the web app: deep links, hashed assets, compression, MIME types.

use std::path::PathBuf;

use reqwest::StatusCode;

use crate::helpers::{Backend, spawn_app_with_web_app};

/// A miniature build of the web app: an index with an inline start-up script, a hashed wasm file and
/// its brotli twin.
fn fake_build() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cc-web-app-{}",
        backend::auth::tokens::random_token()
            .get(..12)
            .unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!DOCTYPE html><html><head><script type=\"module\">import init from '/app-1a2b3c.js'; init();</script></head><body></body></html>").unwrap();
    std::fs::write(dir.join("app-1a2b3c_bg.wasm"), b"\0asm-identity").unwrap();
    std::fs::write(dir.join("app-1a2b3c_bg.wasm.br"), b"brotli-bytes").unwrap();
    std::fs::write(
        dir.join("app-1a2b3c.js"),
        "export default function init() {}",
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn the_web_app_is_served_with_deep_links_and_cached_compressed_assets() {
    let dir = fake_build();
    let app = spawn_app_with_web_app(Backend::Sqlite, dir.clone())
        .await
        .unwrap();

    for path in ["/", "/profile", "/centers/12"] {
        let page = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache");
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            csp.contains("'sha256-") && csp.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(page.text().await.unwrap().contains("app-1a2b3c.js"));
    }

    let wasm = app
        .client
        .get(app.url("/app-1a2b3c_bg.wasm"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let plain = app
        .client
        .get(app.url("/app-1a2b3c_bg.wasm"))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm-identity");

    let missing_asset = app
        .client
        .get(app.url("/app-ffffff.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_asset.status(), StatusCode::NOT_FOUND);
    let missing_api = app.get("/api/v1/nothing", None).await;
    assert_eq!(missing_api.status, StatusCode::NOT_FOUND);
    assert!(
        missing_api.is_problem(),
        "API paths never fall back to the app"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn staff_and_guide_pages_get_their_app_and_every_other_page_the_youth_app() {
    let dir = fake_build();
    for (folder, script) in [("staff", "staff-9f8e7d.js"), ("guide", "guide-5d4c3b.js")] {
        let app = dir.join(folder);
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("index.html"), format!("<!DOCTYPE html><html><head><script type=\"module\">import init from '/{folder}/{script}'; init();</script></head><body></body></html>")).unwrap();
        std::fs::write(app.join(script), "export default function init() {}").unwrap();
    }
    let app = spawn_app_with_web_app(Backend::Sqlite, dir.clone())
        .await
        .unwrap();

    for (path, script) in [
        ("/admin/users", "/staff/staff-9f8e7d.js"),
        ("/organizations", "/staff/staff-9f8e7d.js"),
        ("/organizations/7", "/staff/staff-9f8e7d.js"),
        ("/occupations/2221", "/guide/guide-5d4c3b.js"),
        ("/centers", "/guide/guide-5d4c3b.js"),
        ("/sectors", "/guide/guide-5d4c3b.js"),
        ("/", "/app-1a2b3c.js"),
        ("/orientation", "/app-1a2b3c.js"),
        ("/administration", "/app-1a2b3c.js"),
    ] {
        let page = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = page.text().await.unwrap();
        assert!(body.contains(script), "{path} got {body}");
        // Each shell's start-up script is allowed by its own hash.
        let start = body.find("<script type=\"module\">").unwrap() + 22;
        let end = body.find("</script>").unwrap();
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(&body.as_bytes()[start..end]));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{path}: {csp}");
    }
    let asset = app
        .client
        .get(app.url("/guide/guide-5d4c3b.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let _ = std::fs::remove_dir_all(dir);
}
