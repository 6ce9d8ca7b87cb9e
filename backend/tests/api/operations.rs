//! Health, readiness, metrics, headers, the API docs served from the binary.

use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, read};

async fn health_and_readiness_answer_and_metrics_stay_closed_by_default(app: TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    // Without METRICS_TOKEN or METRICS_BIND, nobody reads the metrics.
    let (_, admin) = app
        .account("admin@example.ma", shared::Role::Admin, None)
        .await;
    let closed = app.get("/metrics", Some(&admin)).await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    assert!(closed.is_problem());
}

const METRICS_TOKEN: &str = "prometheus-scrapes-here-1234";

async fn metrics_answer_only_the_configured_token(app: TestApp) {
    let guarded = app
        .sibling(|s| s.metrics_token = Some(METRICS_TOKEN.to_owned().into()))
        .await;
    guarded.get("/api/v1/regions", None).await;
    let scrape = |token: Option<&'static str>| {
        let mut request = guarded.client.get(guarded.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { read(request.send().await.unwrap()).await }
    };
    for wrong in [None, Some("prometheus-scrapes-here-1235"), Some("")] {
        let refused = scrape(wrong).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(refused.is_problem());
    }
    let text = guarded
        .client
        .get(guarded.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/regions\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    drop(app);
}

async fn metrics_on_their_own_address_and_not_on_the_public_one(app: TestApp) {
    let private = app
        .sibling(|s| s.metrics_bind = Some(([127, 0, 0, 1], 0).into()))
        .await;
    private.get("/api/v1/regions", None).await;
    let public = private.get("/metrics", None).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    let address = private.metrics_address.clone().expect("a metrics address");
    let text = private
        .client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("route=\"/api/v1/regions\""), "{text}");
    // Only the metrics live there.
    let other = private
        .client
        .get(format!("{address}/api/v1/regions"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    assert!(
        other.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    drop(app);
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
    // A path with parameters and several operations names them all, in the spec's words.
    let wrong_method = app
        .call(Method::PUT, "/api/v1/organizations/12345", None, None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.is_problem());
    assert_eq!(wrong_method.headers.get("allow").unwrap(), "GET, PATCH");
    let wrong_method = app.call(Method::POST, "/healthz", None, None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.headers.get("allow").unwrap(), "GET");
    // A path no operation has is 404 whatever the method.
    let deeper = app
        .call(
            Method::DELETE,
            "/api/v1/organizations/1/nothing",
            None,
            None,
        )
        .await;
    assert_eq!(deeper.status, StatusCode::NOT_FOUND);
    assert!(deeper.is_problem());
}

/// Every operation the spec documents reaches its handler: none falls through to the answer for
/// unrouted requests, which says 405 for a documented path (a route registered beside the scope
/// of its first segment, instead of in it, would be documented but unreachable).
async fn every_documented_operation_is_routed(app: TestApp) {
    let spec = app.get("/api-docs/openapi.json", None).await;
    assert_eq!(spec.status, StatusCode::OK);
    let paths = spec.body["paths"].as_object().expect("the spec has paths");
    let mut tried = 0;
    for (path, operations) in paths {
        let concrete = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "1"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in ["get", "post", "put", "patch", "delete"] {
            if operations.get(method).is_none() {
                continue;
            }
            let body = (method != "get" && method != "delete").then(|| serde_json::json!({}));
            let reply = app
                .call(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &concrete,
                    None,
                    body,
                )
                .await;
            assert_ne!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed"
            );
            tried += 1;
        }
    }
    assert!(tried > 50, "only {tried} operations in the spec");
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
    health_and_readiness_answer_and_metrics_stay_closed_by_default,
    metrics_answer_only_the_configured_token,
    metrics_on_their_own_address_and_not_on_the_public_one,
    every_response_carries_a_request_id_and_security_headers,
    unknown_paths_and_methods_are_problems,
    every_documented_operation_is_routed,
    the_api_docs_and_all_their_files_are_served_locally,
);
