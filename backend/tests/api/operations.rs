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
    for header in [
        "x-request-id",
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
        "referrer-policy",
    ] {
        assert!(reply.headers.contains_key(header), "missing {header}");
    }
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
