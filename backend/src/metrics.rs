//! Request counters and latency histograms, rendered in the Prometheus text format.
//!
//! Labelled by route *pattern* (`/api/v1/users/{id}`), never by raw path, so the number of
//! series stays bounded whatever clients request.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut series = self.series.lock().expect("metrics poisoned");
        let entry = series
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        entry.count += 1;
        entry.sum += seconds;
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let series = self.series.lock().expect("metrics poisoned");
        let mut out = String::new();
        writeln!(out, "# HELP http_requests_total HTTP requests served.")?;
        writeln!(out, "# TYPE http_requests_total counter")?;
        for ((method, route, status), s) in series.iter() {
            writeln!(
                out,
                "http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                s.count
            )?;
        }
        writeln!(
            out,
            "# HELP http_request_duration_seconds Time to answer an HTTP request."
        )?;
        writeln!(out, "# TYPE http_request_duration_seconds histogram")?;
        for ((method, route, status), s) in series.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (bucket, bound) in s.buckets.iter().zip(BUCKETS) {
                writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {bucket}"
                )?;
            }
            writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            )?;
            writeln!(
                out,
                "http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            )?;
            writeln!(
                out,
                "http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            )?;
        }
        Ok(out)
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
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "OTHER".to_owned(),
    };
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let state = req.app_data::<web::Data<crate::state::AppState>>().cloned();
    let response = next.call(req).await?;
    if let Some(state) = state {
        state.metrics.observe(
            &method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_render_as_prometheus_counters_and_histograms() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/api/v1/me", 200, 0.02);
        metrics.observe("GET", "/api/v1/me", 200, 3.0);
        let text = metrics.render().unwrap();
        assert!(
            text.contains(
                "http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"
            )
        );
        assert!(text.contains("le=\"0.025\"} 1"));
        assert!(text.contains("le=\"+Inf\"} 2"));
    }
}
