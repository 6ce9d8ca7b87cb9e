//! `cargo xtask bench events`: 200 youths ask for the 50 seats of one workshop at the same
//! moment, on SQLite and on PostgreSQL, in one run; throughput and latency written to
//! `docs/benchmarks.md`, with what the database decided (it must be 50 seats and 150 places
//! in line, whatever the order).
//!
//! The server is the release binary on 127.0.0.1 with a fresh database. The youths register
//! and sign in first, each from her own client address (a documentation range, given in
//! `X-Forwarded-For` to a server that trusts 127.0.0.1 as its proxy), so the per-address
//! throttles count them apart as they would count 200 phones. Every request has a timeout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::{Server, free_port, root, spa, target_dir, wait_ready};

const YOUTHS: usize = 200;
const SEATS: usize = 50;
const PASSWORD: &str = "bench-password-2026";
const ADMIN: &str = "bench-admin@example.ma";

/// One HTTP/1.0 exchange with the local server: the status and the JSON body.
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&Value>,
) -> anyhow::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    write!(stream, "{head}\r\n{body}")?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status in the answer")?;
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// `request` that must succeed with a 2xx.
pub(crate) fn ok(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&Value>,
) -> anyhow::Result<Value> {
    let (status, answer) = request(port, method, path, headers, body)?;
    if !(200..300).contains(&status) {
        bail!("{method} {path}: {status} {answer}");
    }
    Ok(answer)
}

pub(crate) fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// The client address of youth `n`: 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737, never
/// routed), given as a header only.
fn address(n: usize) -> (&'static str, String) {
    let (net, host) = if n < 250 {
        ("198.51.100", n + 1)
    } else {
        ("203.0.113", n - 249)
    };
    ("X-Forwarded-For", format!("{net}.{host}"))
}

/// What one database's run measured.
struct Burst {
    database: &'static str,
    wall: Duration,
    latencies: Vec<Duration>,
    registered: usize,
    waitlisted: usize,
    refused: usize,
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// A database for the run, and how to remove it.
enum Database {
    Sqlite,
    Postgres(String),
}

impl Database {
    fn url(&self) -> Option<String> {
        match self {
            Database::Sqlite => None,
            Database::Postgres(name) => Some(format!("postgres://postgres@127.0.0.1:5432/{name}")),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres(name) = self {
            let _ = psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub(crate) fn psql(sql: &str) -> anyhow::Result<()> {
    let status = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql])
        .stdout(Stdio::null())
        .status()
        .context("psql is not installed")?;
    if !status.success() {
        bail!("psql: {sql} failed");
    }
    Ok(())
}

fn burst(
    binary: &std::path::Path,
    database: Database,
    label: &'static str,
) -> anyhow::Result<Burst> {
    let data = target_dir()?.join(format!("bench-events-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let port = free_port()?;
    let env = |command: &mut Command| {
        command
            .env("DATA_DIR", &data)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("TRUSTED_PROXIES", "127.0.0.1")
            .env("RUST_LOG", "warn")
            .env("SPA_DIR", data.join("no-web-app"))
            .env_remove("DATABASE_URL");
        if let Some(url) = database.url() {
            command.env("DATABASE_URL", url);
        }
    };
    let mut create = Command::new(binary);
    create
        .args(["admin", "create", "--email", ADMIN, "--password", PASSWORD])
        .stdout(Stdio::null());
    env(&mut create);
    if !create.status()?.success() {
        bail!("creating the admin failed");
    }
    let mut serve = Command::new(binary);
    serve.arg("serve").stdout(Stdio::null());
    env(&mut serve);
    let server = Server(serve.spawn()?);
    wait_ready(port)?;

    let login = |email: &str, from: (&'static str, String)| -> anyhow::Result<String> {
        let answer = ok(
            port,
            "POST",
            "/api/v1/auth/login",
            &[from],
            Some(&json!({"email": email, "password": PASSWORD})),
        )?;
        Ok(answer["access_token"]
            .as_str()
            .context("no access token")?
            .to_owned())
    };
    let admin = login(ADMIN, ("X-Forwarded-For", "192.0.2.1".into()))?;
    let centers = ok(port, "GET", "/api/v1/centers?limit=1", &[], None)?;
    let center = centers["items"][0]["id"].as_i64().context("no center")?;
    let start = std::time::SystemTime::now() + Duration::from_secs(3 * 86_400);
    let start = start.duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let at = |seconds: u64| {
        // RFC 3339 in UTC, from the epoch: days to a civil date (Howard Hinnant's algorithm).
        let days = (seconds / 86_400) as i64;
        let rest = seconds % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:00Z",
            rest / 3600,
            rest % 3600 / 60
        )
    };
    let event = ok(
        port,
        "POST",
        "/api/v1/events",
        &[bearer(&admin)],
        Some(&json!({
            "kind": "workshop", "center_id": center, "capacity": SEATS,
            "title": {"fr": "Simulation d'entretien"},
            "starts_at": at(start), "ends_at": at(start + 7200)
        })),
    )?;
    let id = event["id"].as_i64().context("no event id")?;
    ok(
        port,
        "POST",
        &format!("/api/v1/events/{id}/publication"),
        &[bearer(&admin)],
        None,
    )?;

    eprintln!("bench events ({label}): {YOUTHS} youths register and sign in");
    let mut tokens = Vec::with_capacity(YOUTHS);
    for n in 0..YOUTHS {
        let email = format!("youth{n}@bench.ma");
        ok(
            port,
            "POST",
            "/api/v1/auth/register",
            &[address(n)],
            Some(
                &json!({"email": email, "password": PASSWORD, "first_name": "Y", "last_name": "B"}),
            ),
        )?;
        tokens.push(login(&email, address(n))?);
    }

    eprintln!("bench events ({label}): {YOUTHS} registrations at once for {SEATS} seats");
    let gate = Arc::new(Barrier::new(YOUTHS + 1));
    let path = format!("/api/v1/events/{id}/registration");
    let threads: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let gate = Arc::clone(&gate);
            let path = path.clone();
            std::thread::spawn(move || {
                gate.wait();
                let sent = Instant::now();
                let answer = request(port, "POST", &path, &[bearer(&token)], None);
                (sent.elapsed(), answer)
            })
        })
        .collect();
    gate.wait();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(YOUTHS);
    let (mut registered, mut waitlisted, mut refused) = (0, 0, 0);
    for thread in threads {
        let (took, answer) = thread
            .join()
            .map_err(|_| anyhow::anyhow!("a client panicked"))?;
        latencies.push(took);
        match answer {
            Ok((201, body)) => match body["my_registration"]["status"].as_str() {
                Some("registered") => registered += 1,
                Some("waitlisted") => waitlisted += 1,
                _ => refused += 1,
            },
            _ => refused += 1,
        }
    }
    let wall = started.elapsed();
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    latencies.sort();
    Ok(Burst {
        database: label,
        wall,
        latencies,
        registered,
        waitlisted,
        refused,
    })
}

pub fn bench_events() -> anyhow::Result<()> {
    let binary = crate::release_server()?;
    let mut bursts = vec![burst(&binary, Database::Sqlite, "SQLite")?];
    let name = format!("cc_bench_events_{}", std::process::id());
    match psql(&format!("CREATE DATABASE {name}")) {
        Ok(()) => bursts.push(burst(&binary, Database::Postgres(name), "PostgreSQL")?),
        Err(error) => eprintln!("bench events: PostgreSQL skipped ({error})"),
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut section = format!(
        "## Events: {YOUTHS} youths for {SEATS} seats at once\n\n\
Command: `cargo xtask bench events` (release build, one workshop of {SEATS} seats, {YOUTHS} signed-in \
youths each sending `POST /api/v1/events/{{id}}/registration` at the same moment, one connection \
each, server and clients on one {cores}-core machine, 127.0.0.1). The seats are decided one \
registration at a time per event (its row locked), so this is the worst case: every request \
queues on the same row.\n\n\
| database | requests | all answered in ms | registrations/s | p50 ms | p99 ms | max ms | outcome |\n\
| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for b in &bursts {
        let outcome = if b.registered == SEATS && b.waitlisted == YOUTHS - SEATS && b.refused == 0 {
            format!(
                "{} registered, {} waitlisted (exact)",
                b.registered, b.waitlisted
            )
        } else {
            format!(
                "**{} registered, {} waitlisted, {} failed**",
                b.registered, b.waitlisted, b.refused
            )
        };
        section.push_str(&format!(
            "| {} | {YOUTHS} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {outcome} |\n",
            b.database,
            b.wall.as_secs_f64() * 1000.0,
            YOUTHS as f64 / b.wall.as_secs_f64(),
            percentile(&b.latencies, 0.5),
            percentile(&b.latencies, 0.99),
            percentile(&b.latencies, 1.0),
        ));
    }
    section.push('\n');
    spa::write_section(&root().join("docs/benchmarks.md"), "## Events: ", &section)?;
    print!("{section}");
    if bursts
        .iter()
        .any(|b| b.registered != SEATS || b.refused != 0)
    {
        bail!("the burst did not end with exactly {SEATS} seats taken");
    }
    Ok(())
}
