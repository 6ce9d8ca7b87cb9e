//! Health, readiness, metrics, headers, the API docs served from the binary.

use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, read};

async fn health_readiness_and_metrics_answer(app: TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    app.get("/api/v1/regions", None).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/regions\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
}

async fn every_response_carries_a_request_id_and_security_headers(app: TestApp) {
    let reply = app.get("/api/v1/regions", None).await;
    let id = reply.header("x-request-id");
    assert!(
        id.len() >= 32 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
        "{id}"
    );
    assert_ne!(
        app.get("/api/v1/regions", None)
            .await
            .header("x-request-id"),
        id
    );
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    assert_eq!(reply.header("x-frame-options"), "DENY");
    assert_eq!(reply.header("referrer-policy"), "no-referrer");
    assert_eq!(reply.header("cross-origin-opener-policy"), "same-origin");
    let csp = reply.header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-eval") && !csp.contains("*"), "{csp}");
    assert_eq!(
        reply.header("strict-transport-security"),
        "",
        "plain HTTP keeps no HSTS"
    );

    let secure = app.sibling(|settings| settings.cookie_secure = true).await;
    let reply = secure.get("/api/v1/regions", None).await;
    assert_eq!(
        reply.header("strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
}

async fn unknown_paths_and_methods_are_problems(app: TestApp) {
    let missing = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.is_problem());
    let wrong_method = app
        .call(Method::DELETE, "/api/v1/regions", None, None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.is_problem());
    assert_eq!(wrong_method.headers.get("allow").unwrap(), "GET");
}

/// Swagger UI and every file it loads come from the binary: no CDN, nothing fetched elsewhere.
async fn the_api_docs_and_all_their_files_are_served_locally(app: TestApp) {
    let index = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    let html = index.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page points outside: {html}"
    );
    let assets: Vec<String> = html
        .split(['"', '\''])
        .filter(|part| part.ends_with(".js") || part.ends_with(".css") || part.ends_with(".png"))
        .map(|part| part.trim_start_matches("./").to_owned())
        .collect();
    assert!(
        assets.iter().any(|a| a.contains("swagger-ui-bundle.js")),
        "{assets:?}"
    );
    for asset in &assets {
        let response = app
            .client
            .get(app.url(&format!("/docs/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        let body = response.text().await.unwrap();
        assert!(!body.is_empty(), "{asset} is empty");
        if asset.contains("initializer") {
            assert!(body.contains("/api-docs/openapi.json"), "{body}");
        }
    }
    let spec = read(
        app.client
            .get(app.url("/api-docs/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(spec.status, StatusCode::OK);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec.body["paths"]["/api/v1/auth/login"]["post"].is_object());
}

crate::on_both_databases!(
    health_readiness_and_metrics_answer,
    every_response_carries_a_request_id_and_security_headers,
    unknown_paths_and_methods_are_problems,
    the_api_docs_and_all_their_files_are_served_locally,
);
