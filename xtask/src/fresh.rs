//! `cargo xtask bench fresh-clone`: how long a developer waits, from a fresh clone of the last
//! commit, before `cargo xtask serve` answers the youth's page; cold (nothing built, the tools
//! not installed) then warm (a second start, nothing changed). Written to `docs/benchmarks.md`.
//!
//! The clone is built in a build folder of its own, so nothing of this checkout's builds is
//! reused; the downloaded crates are (cargo's registry cache), as the rustup target is: a
//! machine that has never fetched them adds their download.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{free_port, root, run, target_dir};

/// A cold build that has not served the page by then has failed.
const LIMIT: Duration = Duration::from_secs(60 * 60);
/// The target for the cold start.
const TARGET: Duration = Duration::from_secs(10 * 60);

/// Whether the server on `port` answers `/` with the youth's built page.
fn serves_the_app(port: u16) -> bool {
    crate::get_ok(port, "/").is_some_and(|page| page.contains("_bg.wasm"))
}

/// Runs `cargo xtask serve` in `checkout` and returns how long the page took to be served.
fn time_to_page(checkout: &std::path::Path, build: &std::path::Path) -> anyhow::Result<Duration> {
    let port = free_port()?;
    let data = build.join("data");
    let log = std::fs::File::create(build.join(format!("serve-{port}.log")))?;
    let started = Instant::now();
    let mut serve = crate::cargo_anywhere();
    serve
        .current_dir(checkout)
        .args(["xtask", "serve"])
        .env("CARGO_TARGET_DIR", build)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", &data)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        // Its own process group: cargo, xtask, cargo again and the server stop together.
        .process_group(0);
    let child = serve.spawn().context("starting cargo xtask serve")?;
    let group = child.id();
    let stop = || {
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--", &format!("-{group}")])
            .status();
    };
    let mut child = child;
    let outcome = loop {
        if serves_the_app(port) {
            let elapsed = started.elapsed();
            eprintln!("the page was served after {}", minutes(elapsed));
            break Ok(elapsed);
        }
        if let Some(status) = child.try_wait()? {
            break Err(anyhow::anyhow!(
                "cargo xtask serve ended with {status} before serving the page (see {})",
                build.display()
            ));
        }
        if started.elapsed() > LIMIT {
            break Err(anyhow::anyhow!("no page after {LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    stop();
    let _ = child.wait();
    outcome
}

fn minutes(duration: Duration) -> String {
    let seconds = duration.as_secs();
    format!("{}m{:02}s", seconds / 60, seconds % 60)
}

pub fn bench_fresh_clone() -> anyhow::Result<()> {
    let work = target_dir()?.join("fresh-clone");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let checkout = work.join("careercenter");
    run(Command::new("git")
        .arg("clone")
        .arg("--quiet")
        .arg(root())
        .arg(&checkout))?;
    let commit = String::from_utf8(
        Command::new("git")
            .current_dir(&checkout)
            .args(["rev-parse", "--short", "HEAD"])
            .output()?
            .stdout,
    )?;
    let build = work.join("target");
    std::fs::create_dir_all(&build)?;
    let cold = time_to_page(&checkout, &build)?;
    eprintln!("cold: {}", minutes(cold));
    let warm = time_to_page(&checkout, &build)?;
    eprintln!("warm: {}", minutes(warm));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let verdict = if cold <= TARGET { "met" } else { "**missed**" };
    let section = format!(
        "## From a fresh clone to a served page\n\n\
Command: `cargo xtask bench fresh-clone` (clones the last commit, {}, and runs `cargo xtask \
serve` in it with an empty build folder until `/` answers with the youth's page; then once \
more, warm). Machine: {cores} cores. Crates already in cargo's download cache and the \
`wasm32-unknown-unknown` target already added; a machine that lacks them adds their download.\n\n\
| start | time to the first page |\n| --- | --- |\n| cold (fresh clone) | {} |\n| warm (nothing changed) | {} |\n\n\
Target: a cold start under {} on a 2-core machine ({verdict}).\n",
        commit.trim(),
        minutes(cold),
        minutes(warm),
        minutes(TARGET),
    );
    print!("{section}");
    crate::spa::write_section(
        &root().join("docs/benchmarks.md"),
        "## From a fresh clone to a served page",
        &section,
    )?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
