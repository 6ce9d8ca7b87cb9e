//! `cargo xtask bench search`: the offers' search beside PostgreSQL's full-text search, on the
//! same 100,000 offers and the same mix of queries, at the same concurrency, in one run;
//! throughput, p50 and p99 of each, the server's resident memory and its start-up time with
//! an existing index, written to `docs/benchmarks.md`.
//!
//! The offers are the development offers of `../shared/data/offers-dev/` grown to 100,000
//! (`grow_offers.rs`). The platform is the release binary on SQLite, loaded through its own
//! batch API; PostgreSQL gets the same offers in a table with a weighted French `tsvector`
//! (title A, description B) through `unaccent` and the French stemmer, under a GIN index,
//! queried for the top 20 by `ts_rank`, the count and the city counts. Both are driven by the
//! same client threads, each with its own connection, each request timed; every loop is
//! bounded in time and count. Everything runs on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use crate::burst::{bearer, ok, percentile, psql};
use crate::{Server, free_port, root, target_dir, wait_ready};

const OFFERS: usize = 100_000;
const CONCURRENCY: usize = 16;
/// A lighter load, beside: the latency of a search when the machine is not saturated (two
/// cores shared by the server, the database and the clients).
const LIGHT: usize = 4;
const SECONDS: u64 = 10;
const WARM_UP: u64 = 2;
/// No thread sends more than this, whatever the time left.
const MAX_PER_THREAD: usize = 2_000_000;
const ADMIN: &str = "bench-admin@example.ma";
const PASSWORD: &str = "bench-password-2026";
const CASABLANCA: &str = "06.141.01.0";
const RABAT: &str = "04.421.01.0";
const TANGER: &str = "01.511.01.0";

/// One query of the mix: words, a kind, a commune.
struct Query {
    words: &'static str,
    kind: &'static str,
    commune: &'static str,
}

const MIX: [Query; 10] = [
    Query {
        words: "développeur",
        kind: "",
        commune: "",
    },
    Query {
        words: "commercial",
        kind: "job",
        commune: "",
    },
    Query {
        words: "ingénieur",
        kind: "",
        commune: CASABLANCA,
    },
    Query {
        words: "comptable",
        kind: "",
        commune: "",
    },
    Query {
        words: "stage",
        kind: "internship",
        commune: "",
    },
    Query {
        words: "technicien maintenance",
        kind: "",
        commune: "",
    },
    Query {
        words: "",
        kind: "",
        commune: RABAT,
    },
    Query {
        words: "marketing digital",
        kind: "",
        commune: "",
    },
    Query {
        words: "chef de projet",
        kind: "job",
        commune: TANGER,
    },
    Query {
        words: "assistante de direction",
        kind: "",
        commune: "",
    },
];

impl Query {
    fn path(&self) -> String {
        let mut path = "/api/v1/offers/search?limit=20".to_owned();
        for (name, value) in [
            ("q", self.words),
            ("kind", self.kind),
            ("commune", self.commune),
        ] {
            if !value.is_empty() {
                let value: String = value
                    .bytes()
                    .map(|b| match b {
                        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' => {
                            (b as char).to_string()
                        }
                        b' ' => "+".into(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                path.push_str(&format!("&{name}={value}"));
            }
        }
        path
    }
}

/// A kept-alive HTTP/1.1 connection to the local server.
struct Http {
    reader: BufReader<TcpStream>,
}

impl Http {
    fn connect(port: u16) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::new(stream),
        })
    }

    /// A GET; its status and body.
    fn get(&mut self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("no status")?;
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse()?;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

/// What one side measured.
struct Measured {
    requests: usize,
    errors: usize,
    seconds: f64,
    p50: f64,
    p99: f64,
}

/// Runs `CONCURRENCY` threads, each sending the mix in turn from its own place in it with
/// `send` (true: a good answer), for a warm-up and then `SECONDS` measured.
fn drive<C: Send>(
    concurrency: usize,
    connect: impl Fn() -> anyhow::Result<C> + Sync,
    send: impl Fn(&mut C, &Query) -> bool + Sync,
) -> anyhow::Result<Measured> {
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(WARM_UP);
    let end = measure_from + Duration::from_secs(SECONDS);
    let results: Vec<anyhow::Result<(Vec<Duration>, usize)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..concurrency)
            .map(|thread| {
                let (connect, send) = (&connect, &send);
                scope.spawn(move || {
                    let mut client = connect()?;
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    for n in 0..MAX_PER_THREAD {
                        let began = Instant::now();
                        if began >= end {
                            break;
                        }
                        let good = send(&mut client, &MIX[(thread + n) % MIX.len()]);
                        if began >= measure_from {
                            latencies.push(began.elapsed());
                            if !good {
                                errors += 1;
                            }
                        }
                    }
                    anyhow::Ok((latencies, errors))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a client thread panicked")))
            })
            .collect()
    });
    let mut all = Vec::new();
    let mut errors = 0;
    for result in results {
        let (latencies, e) = result?;
        all.extend(latencies);
        errors += e;
    }
    all.sort();
    if all.is_empty() {
        bail!("no request was measured");
    }
    Ok(Measured {
        requests: all.len(),
        errors,
        seconds: SECONDS as f64,
        p50: percentile(&all, 0.5),
        p99: percentile(&all, 0.99),
    })
}

fn resident_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn dir_mb(dir: &std::path::Path) -> f64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
        })
        .unwrap_or(0) as f64
        / 1_048_576.0
}

/// The search's total for no words and no filter.
fn total(port: u16) -> Option<u64> {
    let mut http = Http::connect(port).ok()?;
    let (status, body) = http.get("/api/v1/offers/search?limit=1").ok()?;
    (status == 200)
        .then(|| serde_json::from_slice::<serde_json::Value>(&body).ok())
        .flatten()
        .and_then(|v| v["total"].as_u64())
}

pub fn bench_search() -> anyhow::Result<()> {
    let count: usize = std::env::var("BENCH_OFFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(OFFERS);
    let dev = crate::grow_offers::dev_offers()?;
    let binary = crate::release_server()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let offers = crate::grow_offers::grow(&root(), &dev, count, now)?;
    eprintln!("bench search: {} offers grown", offers.len());

    // The platform, loaded through its batch API.
    let data = target_dir()?.join(format!("bench-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let port = free_port()?;
    let env = |command: &mut Command| {
        command
            .env("DATA_DIR", &data)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .env("SPA_DIR", data.join("no-web-app"))
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null());
    };
    let mut create = Command::new(&binary);
    create.args(["admin", "create", "--email", ADMIN, "--password", PASSWORD]);
    env(&mut create);
    if !create.status()?.success() {
        bail!("creating the admin failed");
    }
    let mut serve = Command::new(&binary);
    serve.arg("serve");
    env(&mut serve);
    let server = Server(serve.spawn()?);
    wait_ready(port)?;
    let login = || -> anyhow::Result<String> {
        let answer = ok(
            port,
            "POST",
            "/api/v1/auth/login",
            &[],
            Some(&json!({"email": ADMIN, "password": PASSWORD})),
        )?;
        Ok(answer["access_token"]
            .as_str()
            .context("no token")?
            .to_owned())
    };
    let mut token = login()?;
    let org = ok(
        port,
        "POST",
        "/api/v1/organizations",
        &[bearer(&token)],
        Some(&json!({"name": "Bench", "kind": "recruitment_agency"})),
    )?;
    let org = org["id"].as_i64().context("no organisation")?;
    ok(
        port,
        "PUT",
        &format!("/api/v1/organizations/{org}/verification"),
        &[bearer(&token)],
        None,
    )?;
    let loading = Instant::now();
    for (n, batch) in offers.chunks(1000).enumerate() {
        if n % 20 == 19 {
            token = login()?;
        }
        let result = ok(
            port,
            "POST",
            &format!("/api/v1/organizations/{org}/offers/batch"),
            &[bearer(&token)],
            Some(&json!({ "offers": batch })),
        )?;
        if result["rejected"].as_u64() != Some(0) {
            bail!(
                "offers rejected: {}",
                result["results"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|r| r["outcome"] == "rejected")
                    .cloned()
                    .unwrap_or_default()
            );
        }
        if n % 10 == 9 {
            eprintln!("bench search: {} offers loaded", (n + 1) * 1000);
        }
    }
    let load_seconds = loading.elapsed().as_secs_f64();
    let held = total(port).context("the search does not answer")?;
    if held != count as u64 {
        bail!("the search holds {held} offers, not {count}");
    }
    let mut platform = Vec::new();
    for concurrency in [CONCURRENCY, LIGHT] {
        eprintln!("bench search: the platform, {concurrency} connections, {SECONDS} s");
        platform.push(drive(
            concurrency,
            || Http::connect(port),
            |http, query| matches!(http.get(&query.path()), Ok((200, _))),
        )?);
    }
    let resident = resident_mb(server.0.id());
    let index_mb = dir_mb(&data.join("offers-index"));
    // Start-up with the index on disk: until the search answers with every offer.
    drop(server);
    let mut again = Command::new(&binary);
    again.arg("serve");
    env(&mut again);
    let started = Instant::now();
    let server = Server(again.spawn()?);
    let deadline = started + Duration::from_secs(120);
    while total(port) != Some(count as u64) {
        if Instant::now() > deadline {
            bail!("the restarted server did not answer with every offer within two minutes");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let start_seconds = started.elapsed().as_secs_f64();
    let resident_after_start = resident_mb(server.0.id());
    drop(server);
    let _ = std::fs::remove_dir_all(&data);

    // PostgreSQL, the same offers.
    let name = format!("cc_bench_search_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    psql(&format!("CREATE DATABASE {name}"))?;
    let pg = PgDatabase(name.clone());
    let url = format!("host=127.0.0.1 user=postgres dbname={name}");
    let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
    client.batch_execute(
        "CREATE EXTENSION IF NOT EXISTS unaccent;
         CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
         ALTER TEXT SEARCH CONFIGURATION fr_unaccent
           ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
         CREATE TABLE offers (
           id bigint PRIMARY KEY, title text NOT NULL, description text NOT NULL,
           kind text NOT NULL, commune_code text, posted_at timestamptz NOT NULL,
           expires_at timestamptz NOT NULL,
           tsv tsvector GENERATED ALWAYS AS (
             setweight(to_tsvector('fr_unaccent'::regconfig, title), 'A') ||
             setweight(to_tsvector('fr_unaccent'::regconfig, description), 'B')) STORED);",
    )?;
    let loading_pg = Instant::now();
    for (n, offer) in offers.iter().enumerate() {
        if n % 1000 == 0 && n > 0 {
            client.batch_execute("COMMIT")?;
        }
        if n % 1000 == 0 {
            client.batch_execute("BEGIN")?;
        }
        client.execute(
            "INSERT INTO offers (id, title, description, kind, commune_code, posted_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz, $7::text::timestamptz)",
            &[
                &(n as i64 + 1),
                &offer["title"].as_str().unwrap_or(""),
                &offer["description"].as_str().unwrap_or(""),
                &offer["kind"].as_str().unwrap_or("job"),
                &offer["commune_code"].as_str(),
                &offer["posted_at"].as_str().unwrap_or(""),
                &offer["valid_through"].as_str().unwrap_or(""),
            ],
        )?;
    }
    client.batch_execute(
        "COMMIT;
         CREATE INDEX offers_tsv ON offers USING gin (tsv);
         CREATE INDEX offers_posted ON offers (posted_at DESC);
         ANALYZE offers;",
    )?;
    let pg_load_seconds = loading_pg.elapsed().as_secs_f64();
    drop(client);
    const WORDS: &str = "WITH m AS MATERIALIZED (
          SELECT id, title, commune_code, ts_rank(tsv, q) AS rank
          FROM offers, websearch_to_tsquery('fr_unaccent', $1) q
          WHERE tsv @@ q AND ($2 = '' OR kind = $2) AND ($3 = '' OR commune_code = $3)
            AND expires_at > now())
        SELECT (SELECT count(*) FROM m),
          (SELECT coalesce(json_agg(t), '[]') FROM
            (SELECT id, title, rank FROM m ORDER BY rank DESC, id DESC LIMIT 20) t)::text,
          (SELECT coalesce(json_agg(f), '[]') FROM
            (SELECT commune_code, count(*) AS n FROM m GROUP BY commune_code
             ORDER BY n DESC LIMIT 20) f)::text";
    const NO_WORDS: &str = "WITH m AS MATERIALIZED (
          SELECT id, title, commune_code, posted_at FROM offers
          WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR commune_code = $2) AND expires_at > now())
        SELECT (SELECT count(*) FROM m),
          (SELECT coalesce(json_agg(t), '[]') FROM
            (SELECT id, title, posted_at FROM m ORDER BY posted_at DESC, id DESC LIMIT 20) t)::text,
          (SELECT coalesce(json_agg(f), '[]') FROM
            (SELECT commune_code, count(*) AS n FROM m GROUP BY commune_code
             ORDER BY n DESC LIMIT 20) f)::text";
    let mut postgres = Vec::new();
    for concurrency in [CONCURRENCY, LIGHT] {
        eprintln!("bench search: PostgreSQL, {concurrency} connections, {SECONDS} s");
        postgres.push(drive(
            concurrency,
            || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
                let words = client.prepare(WORDS)?;
                let no_words = client.prepare(NO_WORDS)?;
                anyhow::Ok((client, words, no_words))
            },
            |(client, words, no_words), query| {
                let rows = if query.words.is_empty() {
                    client.query(&*no_words, &[&query.kind, &query.commune])
                } else {
                    client.query(&*words, &[&query.words, &query.kind, &query.commune])
                };
                rows.is_ok_and(|rows| rows.len() == 1)
            },
        )?);
    }
    drop(pg);
    write_report(
        count,
        &platform,
        &postgres,
        Extra {
            resident,
            resident_after_start,
            start_seconds,
            load_seconds,
            pg_load_seconds,
            index_mb,
        },
    )
}

/// The PostgreSQL database of the run, dropped at the end.
struct PgDatabase(String);

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = psql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0));
    }
}

struct Extra {
    resident: f64,
    resident_after_start: f64,
    start_seconds: f64,
    load_seconds: f64,
    pg_load_seconds: f64,
    index_mb: f64,
}

/// `platform` and `postgres`: at `CONCURRENCY` connections, then at `LIGHT`.
fn write_report(
    count: usize,
    platform: &[Measured],
    postgres: &[Measured],
    extra: Extra,
) -> anyhow::Result<()> {
    let rate = |m: &Measured| m.requests as f64 / m.seconds;
    let ratio = rate(&platform[0]) / rate(&postgres[0]);
    let light_ratio = rate(&platform[1]) / rate(&postgres[1]);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut section = String::new();
    section.push_str("## Offers' search beside PostgreSQL full-text search\n\n");
    section.push_str(&format!(
        "Command: `cargo xtask bench search` ({count} offers grown from the development offers by \
`xtask/src/grow_offers.rs`; the platform's release build on SQLite, loaded through its batch API, \
answering `GET /api/v1/offers/search` with its seven facets; PostgreSQL on the same offers: a GIN \
index over a weighted French `tsvector` with `unaccent` (title A, description B), `ts_rank`, top \
20, the count and the city counts, prepared statements. The same mix of {} queries (words, kinds, \
cities, one without words by date), {CONCURRENCY} client threads with a connection each, then \
{LIGHT}, {WARM_UP} s of warm-up then {SECONDS} s measured each time, each side alone, server, \
database and clients on one {cores}-core machine, 127.0.0.1.)\n\n",
        MIX.len()
    ));
    section.push_str(
        "| search | connections | req/s | p50 ms | p99 ms | errors |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (label, runs) in [
        ("the platform (tantivy)", platform),
        ("PostgreSQL full-text", postgres),
    ] {
        for (m, connections) in runs.iter().zip([CONCURRENCY, LIGHT]) {
            section.push_str(&format!(
                "| {label} | {connections} | {:.0} | {:.2} | {:.2} | {} |\n",
                rate(m),
                m.p50,
                m.p99,
                m.errors
            ));
        }
    }
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    section.push_str(&format!(
        "\nAt {CONCURRENCY} connections: throughput {ratio:.1}× PostgreSQL's (target ≥ 5×: {}), p99 \
{:.2} ms (target < 10 ms: {}). At {LIGHT} connections: {light_ratio:.1}×, p99 {:.2} ms ({}). On two \
cores shared with the clients, the load of {CONCURRENCY} connections queues requests: its p99 is \
mostly waiting for a core.\n\n",
        verdict(ratio >= 5.0),
        platform[0].p99,
        verdict(platform[0].p99 < 10.0),
        platform[1].p99,
        verdict(platform[1].p99 < 10.0),
    ));
    section.push_str(&format!(
        "Serving {count} offers the server's resident memory was {:.0} MB after the load \
({:.0} MB right after a restart); the index took {:.0} MB on disk. Started again on its \
existing index, the server answered a search holding every offer {:.2} s after it was launched. \
Loading the offers through the batch API (1,000 a batch, each batch indexed before its answer) \
took {:.0} s; into PostgreSQL, row by row, {:.0} s.\n",
        extra.resident,
        extra.resident_after_start,
        extra.index_mb,
        extra.start_seconds,
        extra.load_seconds,
        extra.pg_load_seconds,
    ));
    crate::spa::write_section(
        &root().join("docs/benchmarks.md"),
        "## Offers' search beside PostgreSQL full-text search",
        &section,
    )?;
    print!("{section}");
    Ok(())
}
