//! The web app's first load on a slow mobile network, beside an empty Leptos app: run by
//! `cargo xtask bench bundle`, which builds both and writes the figures to
//! `docs/benchmarks.md`.
//!
//! Usage: `slow_network LABEL=DIST…` — each DIST (a built app's folder) is served by the real
//! server and loaded cold in headless Chromium under emulated mobile conditions, the apps in
//! turn, [`RUNS`] times each. Prints one JSON object: per label, the milliseconds from the
//! start of navigation to the first contentful paint and to the app's interactive mark
//! (`frontend::INTERACTIVE_MARK`), and the bytes transferred, one entry per run.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use e2e::Harness;
use serde_json::{Value, json};

/// Loads per app: the median of five is steady enough and the run stays short (each load
/// moves a few hundred kilobytes at 200 KB/s).
const RUNS: usize = 5;
/// 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip: a slow mobile connection.
const DOWN_BYTES_PER_SECOND: u64 = 1_600_000 / 8;
const UP_BYTES_PER_SECOND: u64 = 750_000 / 8;
const ROUND_TRIP_MS: u64 = 150;
/// Must equal `frontend::INTERACTIVE_MARK` (the e2e crate does not build the web app).
const INTERACTIVE_MARK: &str = "cc-interactive";
/// A load that has not become interactive by then has failed.
const LOAD_LIMIT: Duration = Duration::from_secs(60);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let apps: Vec<(String, String)> = std::env::args()
        .skip(1)
        .map(|arg| {
            arg.split_once('=')
                .map(|(label, dist)| (label.to_owned(), dist.to_owned()))
                .context("arguments are LABEL=DIST")
        })
        .collect::<anyhow::Result<_>>()?;
    if apps.is_empty() {
        bail!("usage: slow_network LABEL=DIST…");
    }
    let mut harnesses = Vec::new();
    for (label, dist) in &apps {
        let harness = Harness::start_with(&format!("slow-{label}"), &[("SPA_DIR", dist)]).await?;
        harnesses.push(harness);
    }
    let mut results = serde_json::Map::new();
    for _ in 0..RUNS {
        for ((label, _), harness) in apps.iter().zip(&harnesses) {
            let run = cold_load(harness)
                .await
                .with_context(|| format!("loading {label}"))?;
            let runs = results
                .entry(label.clone())
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .context("runs are a list")?;
            runs.push(run);
        }
    }
    for harness in harnesses {
        harness.finish().await;
    }
    println!("{}", Value::Object(results));
    Ok(())
}

/// One first visit of the home page: nothing cached, no service worker, slow network.
async fn cold_load(harness: &Harness) -> anyhow::Result<Value> {
    harness.driver.goto("about:blank").await?;
    harness.devtools("Network.enable", json!({})).await?;
    harness
        .devtools("Network.clearBrowserCache", json!({}))
        .await?;
    harness
        .devtools(
            "Storage.clearDataForOrigin",
            json!({ "origin": harness.base, "storageTypes": "all" }),
        )
        .await?;
    harness
        .devtools("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    harness
        .devtools("Network.setBypassServiceWorker", json!({ "bypass": true }))
        .await?;
    harness
        .devtools(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": ROUND_TRIP_MS,
                "downloadThroughput": DOWN_BYTES_PER_SECOND,
                "uploadThroughput": UP_BYTES_PER_SECOND,
                "connectionType": "cellular3g",
            }),
        )
        .await?;
    harness.open("/").await?;
    let started = Instant::now();
    let script = format!(
        "const mark = performance.getEntriesByName('{INTERACTIVE_MARK}')[0];
         const paint = performance.getEntriesByName('first-contentful-paint')[0];
         if (!mark || !paint) return null;
         const bytes = performance.getEntriesByType('navigation')
           .concat(performance.getEntriesByType('resource'))
           .reduce((sum, entry) => sum + entry.transferSize, 0);
         return {{ paint: paint.startTime, interactive: mark.startTime, bytes }};"
    );
    let run = loop {
        let value = harness.eval(&script).await?;
        if !value.is_null() {
            break value;
        }
        if started.elapsed() > LOAD_LIMIT {
            bail!("the page did not become interactive within {LOAD_LIMIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    harness
        .devtools(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await?;
    Ok(run)
}
