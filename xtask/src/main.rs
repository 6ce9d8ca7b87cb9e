//! Developer commands, run as `cargo xtask <command>`:
//!
//! - `serve`: starts the platform on http://127.0.0.1:8080 with a SQLite file under `./data`.
//! - `test`: everything CI checks: formatting, lints, unit and API tests on SQLite and
//!   PostgreSQL, then schemathesis against the running server's OpenAPI spec.
//! - `openapi`: rewrites `docs/openapi.json` from the code.
//! - `spa`: builds the web apps (`frontend/dist`), installing the pinned tools first.
//! - `bench bundle`: the web app's compressed first-load weight, and its first load on a slow
//!   mobile network beside an empty Leptos app, into `docs/benchmarks.md`.
//! - `bench api`: everyday reads beside `/healthz` under oha, into `docs/benchmarks.md`.
//! - `bench events`: 200 simultaneous registrations for 50 seats, on SQLite and PostgreSQL,
//!   into `docs/benchmarks.md`.
//! - `bench search`: the offers' search beside PostgreSQL full-text search on 100,000 offers
//!   grown from the development offers (`BENCH_OFFERS` for another count), into
//!   `docs/benchmarks.md`.
//! - `bench ingest`: the development offers imported (read, normalised, de-duplicated,
//!   stored) beside datasketch's MinHashLSH de-duplicating them, both measured against the
//!   labelled pairs, into `docs/benchmarks.md`.
//! - `bench fresh-clone`: from a fresh clone to a served page, cold and warm, into
//!   `docs/benchmarks.md`.
//! - `coverage`: how much of the development offers' fields the normaliser reads, into
//!   `docs/aggregation.md`.
//! - `occupations <dir>`: derives the ISCO-08 interest profiles from the O*NET database files.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Pinned so that a run today and a run next year test the same way.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";
/// Fixed seed: a failure found once is found again.
const SCHEMATHESIS_SEED: &str = "20261129";

mod bench;
mod burst;
mod coverage;
mod fresh;
mod grow_offers;
mod ingest_bench;
mod occupations;
mod search_bench;
mod spa;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("openapi") => openapi(),
        Some("spa") => spa::build(true).map(drop),
        Some("occupations") => occupations::derive(&args[1..]),
        Some("coverage") => coverage::coverage(),
        Some("bench") if args.get(1).map(String::as_str) == Some("bundle") => spa::bench_bundle(),
        Some("bench") if args.get(1).map(String::as_str) == Some("api") => bench::bench_api(),
        Some("bench") if args.get(1).map(String::as_str) == Some("ingest") => {
            ingest_bench::bench_ingest()
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("events") => burst::bench_events(),
        Some("bench") if args.get(1).map(String::as_str) == Some("search") => {
            search_bench::bench_search()
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("fresh-clone") => {
            fresh::bench_fresh_clone()
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <serve|test|openapi|spa|bench bundle|bench api|bench events|bench search|bench fresh-clone|coverage|occupations DIR>"
            );
            std::process::exit(2);
        }
    }
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub(crate) fn cargo() -> Command {
    let mut command = cargo_anywhere();
    command.current_dir(root());
    command
}

/// Cargo, without what `cargo run` told xtask about itself. Build scripts that watch one of
/// those variables (ring's watches `CARGO_MANIFEST_DIR`) would otherwise see it change between
/// a `cargo build` typed by hand and the same build run by xtask, and rebuild themselves and
/// everything above them (ring, rustls, sqlx, sea-orm…) each time the two alternate.
pub(crate) fn cargo_anywhere() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&name.as_ref())
        {
            command.env_remove(name.as_ref());
        }
    }
    command
}

/// Runs cargo's `subcommand` with `args` (a build of the host's debug profile) while the web
/// apps build, when they need it. Cargo locks each profile's build folder on its own, so the
/// apps' release build for `wasm32-unknown-unknown` and a debug build do not wait for each
/// other; on two cores the steps of one that use a single core (the apps' one-unit link-time
/// optimisation, wasm-opt, linking the server) leave the other core to the other. Side by
/// side, its progress is not shown (two progress bars would overwrite each other); its errors
/// are. With the apps up to date it runs alone, progress shown.
fn alongside_the_apps(subcommand: &str, args: &[&str]) -> anyhow::Result<()> {
    if spa::up_to_date() {
        return run(cargo().arg(subcommand).args(args));
    }
    let mut command = cargo();
    command.args([subcommand, "--quiet"]).args(args);
    eprintln!("$ {} (beside the web apps' build)", shown(&command));
    /// Waits for the build beside, whatever happens to the apps' (a panic included), so that
    /// it never writes on after xtask has ended.
    struct Beside(Child);
    impl Drop for Beside {
        fn drop(&mut self) {
            let _ = self.0.wait();
        }
    }
    let mut beside = Beside(
        command
            .spawn()
            .with_context(|| format!("starting {}", shown(&command)))?,
    );
    let apps = spa::build(false);
    let status = beside.0.wait()?;
    match (apps, status.success()) {
        (Ok(_), true) => Ok(()),
        (Ok(_), false) => bail!("{} failed with {status}", shown(&command)),
        (Err(apps), true) => Err(apps),
        (Err(apps), false) => Err(apps.context(format!(
            "and beside it, {} failed with {status}",
            shown(&command)
        ))),
    }
}

/// A command as a shell would take it: the variables it sets, the program, its arguments
/// (the variables it removes are left out).
pub(crate) fn shown(command: &Command) -> String {
    let mut words: Vec<String> = command
        .get_envs()
        .filter_map(|(name, value)| {
            value.map(|v| format!("{}={}", name.to_string_lossy(), v.to_string_lossy()))
        })
        .collect();
    words.push(command.get_program().to_string_lossy().into_owned());
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

pub(crate) fn run(command: &mut Command) -> anyhow::Result<()> {
    eprintln!("$ {}", shown(command));
    let status: ExitStatus = command
        .status()
        .with_context(|| format!("starting {}", shown(command)))?;
    if !status.success() {
        bail!("{} failed with {status}", shown(command));
    }
    Ok(())
}

fn serve(extra: &[String]) -> anyhow::Result<()> {
    alongside_the_apps("build", &["--package", "backend", "--bin", "careercenter"])?;
    run(cargo()
        .args([
            "run",
            "--package",
            "backend",
            "--bin",
            "careercenter",
            "--",
            "serve",
        ])
        .args(extra))
}

fn openapi() -> anyhow::Result<()> {
    let output = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "backend",
            "--bin",
            "careercenter",
            "--",
            "openapi",
        ])
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        bail!("generating the spec failed");
    }
    let mut spec = String::from_utf8(output.stdout)?;
    if !spec.ends_with('\n') {
        spec.push('\n');
    }
    std::fs::write(root().join("docs/openapi.json"), spec)?;
    eprintln!("docs/openapi.json written");
    Ok(())
}

fn test() -> anyhow::Result<()> {
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    alongside_the_apps(
        "clippy",
        &["--workspace", "--all-targets", "--", "-D", "warnings"],
    )?;
    ensure_browser()?;
    let (passed, failed, postgres_skipped) = cargo_test()?;
    schemathesis()?;
    if postgres_skipped > 0 {
        println!(
            "!!! {postgres_skipped} API tests ran on SQLite only: PostgreSQL did not answer (see the README)"
        );
    }
    // One closing line for the whole run (the cargo tests' counts; schemathesis has passed by
    // now or the run has stopped), whatever the last crate's doc-tests said. The skipped ones
    // are the PostgreSQL halves of API tests that could not run.
    println!("summary: {passed} passed, {failed} failed, {postgres_skipped} skipped");
    Ok(())
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .and_then(|p| p.into_string().ok())
        .is_some_and(|p| p.split(':').any(|dir| Path::new(dir).join(name).is_file()))
}

/// The browser journeys need Debian's Chromium and chromedriver: installed here when missing
/// and we are root, otherwise a clear message (the test tools never download a browser).
pub(crate) fn ensure_browser() -> anyhow::Result<()> {
    if on_path("chromium") && on_path("chromedriver") {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if root && on_path("apt-get") {
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        return run(Command::new("apt-get").args([
            "install",
            "-y",
            "-qq",
            "chromium",
            "chromium-driver",
        ]));
    }
    bail!(
        "the browser tests need Chromium and chromedriver: `sudo apt-get install chromium chromium-driver`"
    )
}

/// Runs the workspace's tests, echoing their output, and adds up their counts.
fn cargo_test() -> anyhow::Result<(u64, u64, usize)> {
    use std::io::{BufRead, BufReader};
    // The API tests write one line here for each PostgreSQL half they skip.
    let skips = target_dir()?.join("postgres-skips.log");
    std::fs::write(&skips, "")?;
    let mut command = cargo();
    command
        .args(["test", "--workspace"])
        .env("CC_POSTGRES_SKIPS", &skips)
        .stdout(Stdio::piped());
    eprintln!("$ {}", shown(&command));
    let mut child = command.spawn()?;
    let (mut passed, mut failed) = (0, 0);
    for line in BufReader::new(child.stdout.take().context("no stdout")?).lines() {
        let line = line?;
        println!("{line}");
        if let Some(counts) = line.strip_prefix("test result: ") {
            for part in counts.split(['.', ';']) {
                let mut words = part.split_whitespace();
                match (
                    words.next().and_then(|n| n.parse::<u64>().ok()),
                    words.next(),
                ) {
                    (Some(n), Some("passed")) => passed += n,
                    (Some(n), Some("failed")) => failed += n,
                    _ => {}
                }
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("cargo test failed with {status}: {passed} passed, {failed} failed");
    }
    let skipped = std::fs::read_to_string(&skips)?.lines().count();
    Ok((passed, failed, skipped))
}

/// The server's release build, built (or found up to date) first: what the benchmarks run.
pub(crate) fn release_server() -> anyhow::Result<PathBuf> {
    run(cargo().args([
        "build",
        "--release",
        "--package",
        "backend",
        "--bin",
        "careercenter",
    ]))?;
    Ok(target_dir()?.join("release/careercenter"))
}

pub(crate) fn target_dir() -> anyhow::Result<PathBuf> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    Ok(PathBuf::from(
        metadata["target_directory"]
            .as_str()
            .context("no target_directory")?,
    ))
}

/// A virtualenv with schemathesis, made once and kept beside the build artefacts.
fn schemathesis_venv(target: &Path) -> anyhow::Result<PathBuf> {
    let venv = target.join("schemathesis-venv");
    let st = venv.join("bin/st");
    let marker = venv.join(SCHEMATHESIS);
    if !marker.exists() {
        let python = ["python3", "python"]
            .into_iter()
            .find(|p| {
                Command::new(p)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
            .context("schemathesis needs Python 3 (python3) on PATH")?;
        run(Command::new(python).arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCHEMATHESIS,
        ]))?;
        std::fs::write(&marker, "")?;
    }
    Ok(st)
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The body of a `200` answer to `GET path` on 127.0.0.1:`port`; `None` for anything else
/// (nothing listening, another status, no answer within five seconds).
pub(crate) fn get_ok(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    let (head, body) = reply.split_once("\r\n\r\n")?;
    (head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200")).then(|| body.to_owned())
}

fn wait_ready(port: u16) -> anyhow::Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if get_ok(port, "/readyz").is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the server did not become ready on port {port}")
}

/// Runs schemathesis, authenticated as an admin, against a server with a fresh database:
/// no 5xx, no response outside the spec, invalid input refused.
fn schemathesis() -> anyhow::Result<()> {
    let target = target_dir()?;
    // `cargo test --workspace` has just built it; building it again alone would change the
    // feature set cargo unifies and rebuild half the dependency tree, twice per run.
    let binary = target.join("debug/careercenter");
    if !binary.exists() {
        run(cargo().args(["build", "--package", "backend", "--bin", "careercenter"]))?;
    }
    let st = schemathesis_venv(&target)?;
    let data = target.join(format!("schemathesis-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let port = free_port()?;
    let email = "admin@schemathesis.test";
    let password = "schemathesis-admin-2026";
    let env = |command: &mut Command| {
        command
            .env("DATA_DIR", &data)
            .env("BIND", format!("127.0.0.1:{port}"))
            // The metrics as an operator serves them: behind their token, which the fuzzer
            // does not hold (its admin bearer token must get 401 there).
            .env("METRICS_TOKEN", "schemathesis-metrics-token-2026")
            .env_remove("DATABASE_URL");
    };
    let mut create = Command::new(&binary);
    create.args(["admin", "create", "--email", email, "--password", password]);
    env(&mut create);
    run(&mut create)?;
    let mut serve = Command::new(&binary);
    serve
        .arg("serve")
        .stdout(Stdio::null())
        .env("RUST_LOG", "warn");
    env(&mut serve);
    let server = Server(serve.spawn()?);
    wait_ready(port)?;

    let base = format!("http://127.0.0.1:{port}");
    let python = st.with_file_name("python");
    let login = Command::new(&python)
        .arg("-c")
        .arg(format!(
            "import json, urllib.request\n\
             req = urllib.request.Request('{base}/api/v1/auth/login', data=json.dumps({{'email': '{email}', 'password': '{password}'}}).encode(), headers={{'content-type': 'application/json'}})\n\
             print(json.load(urllib.request.urlopen(req))['access_token'])"
        ))
        .output()?;
    if !login.status.success() {
        bail!(
            "logging in for schemathesis failed: {}",
            String::from_utf8_lossy(&login.stderr)
        );
    }
    let token = String::from_utf8(login.stdout)?.trim().to_owned();
    // Every check runs (schemathesis' default); the file names the few operations where
    // accepting valid data depends on data the spec cannot know, and why.
    let config = root().join("xtask/schemathesis.toml");
    let result = run(Command::new(&st)
        .current_dir(&data)
        .arg("--config-file")
        .arg(&config)
        .args(["run", &format!("{base}/api-docs/openapi.json")])
        .args([
            "--seed",
            SCHEMATHESIS_SEED,
            "--max-examples",
            "25",
            "--no-color",
        ])
        .args(["--generation-database", "none"])
        .args(["--header", &format!("Authorization: Bearer {token}")]));
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    result
}
