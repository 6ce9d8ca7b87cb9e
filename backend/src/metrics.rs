//! Request counters and latency histograms, in the Prometheus text format, kept by the
//! `metrics` crate's Prometheus recorder (sharded atomics: no lock taken on every request).
//!
//! Labelled by route *pattern* (`/api/v1/users/{id}`), never by raw path, so the number of
//! series stays bounded whatever clients request. Each server owns its recorder (none is
//! installed globally), so several servers in one process keep their own counts.
//!
//! Who may read them: only a scraper presenting `METRICS_TOKEN`, or anyone reaching the
//! separate `METRICS_BIND` address (a private interface); with neither set, `/metrics` is not
//! served at all.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use metrics::{Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
const REQUESTS: &str = "http_requests_total";
const DURATION: &str = "http_request_duration_seconds";
static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

pub struct Metrics {
    recorder: PrometheusRecorder,
}

impl Default for Metrics {
    fn default() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), &BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        recorder.describe_counter(REQUESTS.into(), None, "HTTP requests served.".into());
        recorder.describe_histogram(
            DURATION.into(),
            Some(metrics::Unit::Seconds),
            "Time to answer an HTTP request.".into(),
        );
        Self { recorder }
    }
}

impl Metrics {
    pub fn observe(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        let labels = vec![
            Label::new("method", method),
            Label::new("route", route.to_owned()),
            Label::new("status", status.to_string()),
        ];
        self.recorder
            .register_counter(&Key::from_parts(REQUESTS, labels.clone()), &METADATA)
            .increment(1);
        self.recorder
            .register_histogram(&Key::from_parts(DURATION, labels), &METADATA)
            .record(seconds);
    }

    pub fn render(&self) -> String {
        self.recorder.handle().render()
    }

    /// Folds recent histogram samples into their buckets, so memory stays flat between
    /// scrapes; the server runs it every few seconds.
    pub fn upkeep(&self) {
        self.recorder.handle().run_upkeep();
    }
}

/// Middleware that records every request.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // Clients may send any method name; only the standard ones get their own series, so the
    // number of series stays bounded.
    let method = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let state = req.app_data::<web::Data<crate::state::AppState>>().cloned();
    let response = next.call(req).await?;
    if let Some(state) = state {
        state.metrics.observe(
            method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

/// Whether `presented` (an `Authorization` header value) carries `token` as a bearer token,
/// compared without an early exit.
pub fn bearer_matches(presented: Option<&str>, token: &str) -> bool {
    let Some(given) = presented
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
    else {
        return false;
    };
    crate::auth::api_keys::hashes_match(given, &crate::auth::tokens::sha256_hex(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_render_as_prometheus_counters_and_histograms() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/api/v1/me", 200, 0.02);
        metrics.observe("GET", "/api/v1/me", 200, 3.0);
        metrics.upkeep();
        let text = metrics.render();
        assert!(
            text.contains(
                "http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(text.contains("le=\"0.025\"} 1"), "{text}");
        assert!(text.contains("le=\"+Inf\"} 2"), "{text}");
        assert!(
            text.contains("# TYPE http_request_duration_seconds histogram"),
            "{text}"
        );
    }

    #[test]
    fn only_the_configured_token_opens_the_metrics() {
        assert!(bearer_matches(Some("Bearer s3cret-token"), "s3cret-token"));
        assert!(bearer_matches(Some("bearer s3cret-token"), "s3cret-token"));
        assert!(!bearer_matches(Some("Bearer s3cret-tokem"), "s3cret-token"));
        assert!(!bearer_matches(Some("s3cret-token"), "s3cret-token"));
        assert!(!bearer_matches(None, "s3cret-token"));
    }
}
