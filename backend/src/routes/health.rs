//! Liveness, readiness and Prometheus metrics, for load balancers and monitoring.

use actix_web::get;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::ConnectionTrait;
use secrecy::ExposeSecret;

use crate::error::{ApiError, ApiResult, Problem};
use crate::metrics::bearer_matches;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = String, content_type = "text/plain")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The process can serve requests: the database answers.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "Ready", body = String, content_type = "text/plain"),
    (status = 503, description = "The database does not answer", body = String, content_type = "text/plain"),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

/// Request counts and latencies in the Prometheus text format, for a scraper presenting the
/// operator's `METRICS_TOKEN` as a bearer token. Without a token configured, the metrics are
/// not served here (only on `METRICS_BIND`, when set).
#[utoipa::path(tag = "operations", security(("metrics_token" = [])), responses(
    (status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain; version=0.0.4"),
    (status = 401, description = "The metrics token is missing or wrong", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No metrics token is configured: metrics are not served on this address", body = Problem, content_type = "application/problem+json"),
))]
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(ApiError::NotFound);
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if !bearer_matches(presented, token.expose_secret()) {
        return Err(ApiError::Unauthorized(
            "send the metrics token as `Authorization: Bearer …`",
        ));
    }
    Ok(exposition(&state))
}

/// The metrics, unguarded: what the separate `METRICS_BIND` address serves.
pub async fn open_metrics(state: web::Data<AppState>) -> HttpResponse {
    exposition(&state)
}

fn exposition(state: &AppState) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
