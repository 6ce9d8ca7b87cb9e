//! `cargo xtask bench api`: everyday reads measured beside `/healthz`, the framework's ceiling,
//! in one run on one machine, written to `docs/benchmarks.md`.
//!
//! The load generator is oha (crates.io), installed on first use. The server is the release
//! binary on a fresh SQLite database in a temporary directory, on 127.0.0.1; every run is
//! bounded in time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::{Server, cargo, free_port, root, run, target_dir, wait_ready};

const OHA: &str = "1.16.0";
/// Seconds each target is loaded for, and the connections of the two passes.
const SECONDS: u32 = 8;
const CONNECTIONS: [u32; 2] = [16, 64];
const EMAIL: &str = "bench-youth@example.ma";
const PASSWORD: &str = "bench-password-2026";

/// Who may read a target.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Ceiling,
    Reference,
    Authenticated,
    Search,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ceiling => "ceiling",
            Kind::Reference => "reference",
            Kind::Authenticated => "authenticated",
            Kind::Search => "search",
        }
    }

    /// The share of the ceiling's throughput the issue asks of this kind.
    fn target(self) -> Option<f64> {
        match self {
            Kind::Ceiling => None,
            Kind::Reference => Some(0.5),
            Kind::Authenticated | Kind::Search => Some(0.3),
        }
    }
}

const TARGETS: [(&str, &str, Kind); 9] = [
    ("/healthz", "health check (ceiling)", Kind::Ceiling),
    ("/api/v1/sectors", "growth sectors", Kind::Reference),
    ("/api/v1/regions", "regions", Kind::Reference),
    (
        "/api/v1/orientation/inventory",
        "inventory",
        Kind::Reference,
    ),
    (
        "/api/v1/occupations/2631",
        "one occupation",
        Kind::Reference,
    ),
    ("/api/v1/me", "own profile", Kind::Authenticated),
    (
        "/api/v1/orientation/results",
        "own results",
        Kind::Authenticated,
    ),
    (
        "/api/v1/occupations?q=econ",
        "occupation search",
        Kind::Search,
    ),
    ("/api/v1/communes?q=casa", "commune search", Kind::Search),
];

fn oha() -> anyhow::Result<PathBuf> {
    let bin = crate::spa::cargo_bin("oha");
    let version = Command::new(&bin).arg("--version").output().ok();
    let current = version.is_some_and(|v| String::from_utf8_lossy(&v.stdout).contains(OHA));
    if !current {
        run(cargo().args(["install", "oha", "--version", OHA, "--locked"]))
            .context("installing the load generator oha from crates.io")?;
    }
    Ok(bin)
}

/// One line of the results table.
struct Measured {
    label: &'static str,
    path: &'static str,
    kind: Kind,
    /// Per connection count: requests per second, p50 and p99 in milliseconds, errors.
    passes: Vec<(f64, f64, f64, u64)>,
}

fn load(
    oha: &Path,
    url: &str,
    token: Option<&str>,
    connections: u32,
) -> anyhow::Result<(f64, f64, f64, u64)> {
    let mut command = Command::new(oha);
    command
        .args(["--no-tui", "--output-format", "json", "-z"])
        .arg(format!("{SECONDS}s"))
        .args(["-c", &connections.to_string()])
        // What a phone's browser and most HTTP clients say: compressed answers are welcome.
        .args(["-H", "Accept-Encoding: gzip, deflate, br"])
        .stderr(Stdio::inherit());
    if let Some(token) = token {
        command.args(["-H", &format!("Authorization: Bearer {token}")]);
    }
    let output = command.arg(url).output()?;
    if !output.status.success() {
        bail!("oha failed on {url}");
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("reading oha's report on {url}"))?;
    let number = |pointer: &str| report.pointer(pointer).and_then(serde_json::Value::as_f64);
    let rps = number("/summary/requestsPerSec").context("no requestsPerSec")?;
    let p50 = number("/latencyPercentiles/p50").unwrap_or(f64::NAN) * 1000.0;
    let p99 = number("/latencyPercentiles/p99").unwrap_or(f64::NAN) * 1000.0;
    let codes = report
        .pointer("/statusCodeDistribution")
        .and_then(|v| v.as_object());
    let errors = codes
        .map(|codes| {
            codes
                .iter()
                .filter(|(code, _)| !code.starts_with('2'))
                .map(|(_, n)| n.as_u64().unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
        + report
            .pointer("/errorDistribution")
            .and_then(|v| v.as_object())
            .map(|e| {
                // Requests still in flight when the time is up are cut off, not failed.
                e.iter()
                    .filter(|(error, _)| !error.contains("deadline"))
                    .map(|(_, n)| n.as_u64().unwrap_or(0))
                    .sum::<u64>()
            })
            .unwrap_or(0);
    Ok((rps, p50, p99, errors))
}

/// A JSON POST over plain HTTP/1.0 to the local server; the body of the answer.
fn post(port: u16, path: &str, body: &str) -> anyhow::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    if !head.starts_with("HTTP/1.0 2") && !head.starts_with("HTTP/1.1 2") {
        bail!("POST {path}: {head}\n{body}");
    }
    Ok(body.to_owned())
}

pub fn bench_api() -> anyhow::Result<()> {
    let oha = oha()?;
    let binary = crate::release_server()?;
    let data = target_dir()?.join(format!("bench-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let port = free_port()?;
    let mut serve = Command::new(&binary);
    serve
        .arg("serve")
        .env("DATA_DIR", &data)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .env("SPA_DIR", data.join("no-web-app"))
        .stdout(Stdio::null());
    let server = Server(serve.spawn()?);
    wait_ready(port)?;

    // A youth, for the authenticated reads (she has no results yet: that list is read empty).
    post(
        port,
        "/api/v1/auth/register",
        &serde_json::json!({"email": EMAIL, "password": PASSWORD, "first_name": "Salma", "last_name": "Banc", "role": "youth"}).to_string(),
    )?;
    let login = post(
        port,
        "/api/v1/auth/login",
        &serde_json::json!({"email": EMAIL, "password": PASSWORD}).to_string(),
    )?;
    let login: serde_json::Value = serde_json::from_str(&login)?;
    let token = login["access_token"]
        .as_str()
        .context("no access token")?
        .to_owned();

    let base = format!("http://127.0.0.1:{port}");
    let mut results = Vec::new();
    for (path, label, kind) in TARGETS {
        let url = format!("{base}{path}");
        let auth = (kind == Kind::Authenticated).then_some(token.as_str());
        let mut passes = Vec::new();
        for connections in CONNECTIONS {
            eprintln!("bench api: {path} at {connections} connections, {SECONDS} s");
            passes.push(load(&oha, &url, auth, connections)?);
        }
        results.push(Measured {
            label,
            path,
            kind,
            passes,
        });
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    write_report(&results)
}

fn write_report(results: &[Measured]) -> anyhow::Result<()> {
    let ceiling = results
        .iter()
        .find(|m| m.kind == Kind::Ceiling)
        .map(|m| m.passes[0].0)
        .unwrap_or(f64::NAN);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut section = String::new();
    section.push_str("## API reads beside the ceiling\n\n");
    section.push_str(&format!(
        "Command: `cargo xtask bench api` (release build, SQLite, oha {OHA}, {SECONDS} s per target \
at {} and {} connections, server and load generator on one {cores}-core machine, \
127.0.0.1). `/healthz` is the ceiling: what the framework answers when the handler does nothing.\n\n",
        CONNECTIONS[0], CONNECTIONS[1]
    ));
    section.push_str(&format!(
        "| read | path | kind | req/s at {c0} | share of ceiling | target | p50 ms at {c0} | p99 ms at {c0} | p99 ms at {c1} | errors |\n",
        c0 = CONNECTIONS[0],
        c1 = CONNECTIONS[1]
    ));
    section.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for m in results {
        let (rps, p50, p99, errors) = m.passes[0];
        let (_, _, p99_wide, errors_wide) = m.passes[1];
        let share = rps / ceiling;
        let target = match m.kind.target() {
            Some(t) if share >= t => format!("≥ {:.0} % met", t * 100.0),
            Some(t) => format!("≥ {:.0} % **missed**", t * 100.0),
            None => "—".into(),
        };
        section.push_str(&format!(
            "| {} | `{}` | {} | {rps:.0} | {:.0} % | {target} | {p50:.2} | {p99:.2} | {p99_wide:.2} | {} |\n",
            m.label,
            m.path,
            m.kind.name(),
            share * 100.0,
            errors + errors_wide
        ));
    }
    let worst = results
        .iter()
        .map(|m| m.passes[1].2)
        .fold(0.0_f64, f64::max);
    section.push_str(&format!(
        "\nTarget p99 ≤ 25 ms at {} connections: {} (worst {worst:.1} ms).\n",
        CONNECTIONS[1],
        if worst <= 25.0 { "met" } else { "**missed**" }
    ));

    crate::spa::write_section(
        &root().join("docs/benchmarks.md"),
        "## API reads beside the ceiling",
        &section,
    )?;
    print!("{section}");
    Ok(())
}
