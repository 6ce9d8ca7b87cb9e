//! Building the web app offline, and weighing it.
//!
//! trunk, wasm-bindgen and wasm-opt are pinned: trunk downloads whatever it does not find at
//! the version it wants, which fails behind a firewall, so they are installed from the package
//! registries (crates.io, npm) before trunk runs, and trunk runs `--offline`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, bail};

use crate::{cargo, root, run, target_dir};

const TRUNK: &str = "0.21.14";
/// Must equal the `wasm-bindgen` of Cargo.lock (checked below).
const WASM_BINDGEN: &str = "0.2.130";
const BINARYEN: &str = "binaryen@132.0.0";
/// The apps beside the youth's: their page and the folder they are built and served from
/// (`shared::pages::WebApp::assets`; xtask depends on nothing of ours).
const OTHER_APPS: [(&str, &str); 2] = [("guide.html", "/guide/"), ("staff.html", "/staff/")];
/// axe-core, injected by the browser tests from this local copy.
pub const AXE_CORE: &str = "axe-core@4.11.0";

fn output_of(command: &mut Command) -> Option<String> {
    command
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

pub(crate) fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin").join(name)
}

/// Where npm-installed tools live (wasm-opt, axe-core), beside the build artefacts.
pub fn web_tools() -> anyhow::Result<PathBuf> {
    Ok(target_dir()?.join("web-tools"))
}

fn ensure_tools() -> anyhow::Result<PathBuf> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    if !lock.contains(&format!(
        "name = \"wasm-bindgen\"\nversion = \"{WASM_BINDGEN}\""
    )) {
        bail!(
            "Cargo.lock's wasm-bindgen is not {WASM_BINDGEN}: update WASM_BINDGEN in xtask/src/spa.rs and Trunk.toml"
        );
    }
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if !installed.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let trunk = cargo_bin("trunk");
    if output_of(Command::new(&trunk).arg("--version")).as_deref()
        != Some(&format!("trunk {TRUNK}"))
    {
        run(cargo().args(["install", "trunk", "--version", TRUNK, "--locked"]))?;
    }
    let bindgen = cargo_bin("wasm-bindgen");
    if output_of(Command::new(&bindgen).arg("--version")).as_deref()
        != Some(&format!("wasm-bindgen {WASM_BINDGEN}"))
    {
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN]))?;
    }
    let tools = web_tools()?;
    let bin = tools.join("node_modules/.bin");
    if !bin.join("wasm-opt").exists() || !tools.join("node_modules/axe-core/axe.min.js").exists() {
        std::fs::create_dir_all(&tools)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .args([BINARYEN, AXE_CORE]))
        .context("installing wasm-opt (binaryen) and axe-core from npm; is Node.js installed?")?;
    }
    Ok(bin)
}

fn newest(path: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                newest = newest.max(self::newest(&entry.path()));
            }
        } else if let Ok(modified) = meta.modified() {
            newest = modified;
        }
    }
    newest
}

/// Builds `frontend/dist` when `force` or when a source is newer than the last build.
/// Returns the dist folder.
pub fn build(force: bool) -> anyhow::Result<PathBuf> {
    let frontend = root().join("frontend");
    let dist = frontend.join("dist");
    let built = std::fs::metadata(dist.join("index.html"))
        .and_then(|m| m.modified())
        .ok();
    let sources = [
        "src",
        "locales",
        "index.html",
        "guide.html",
        "staff.html",
        "style.css",
        "Cargo.toml",
        "Trunk.toml",
    ]
    .iter()
    .map(|p| newest(&frontend.join(p)))
    .chain([
        newest(&root().join("shared/src")),
        newest(&root().join("Cargo.lock")),
    ])
    .max()
    .unwrap_or(SystemTime::UNIX_EPOCH);
    if !force && built.is_some_and(|b| b >= sources) {
        return Ok(dist);
    }
    let bin = ensure_tools()?;
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The youth's app (`index.html`, what a first visit downloads) into `dist/`, then each
    // other app into its folder; the first build empties `dist/`.
    let mut builds = vec![vec![
        "build".to_owned(),
        "--release".into(),
        "--offline".into(),
    ]];
    for (page, assets) in OTHER_APPS {
        builds.push(vec![
            "build".into(),
            page.into(),
            "--release".into(),
            "--offline".into(),
            "--dist".into(),
            format!("dist{}", assets.trim_end_matches('/')),
            "--public-url".into(),
            assets.into(),
        ]);
    }
    for args in builds {
        run(Command::new(cargo_bin("trunk"))
            .current_dir(&frontend)
            .args(args)
            .env("PATH", &path)
            // Size over speed for the code a phone downloads; the server's builds are unaffected.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
            .env("CARGO_PROFILE_RELEASE_LTO", "true")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
            .env("CARGO_PROFILE_RELEASE_PANIC", "abort"))?;
    }
    precompress(&dist)?;
    for (_, assets) in OTHER_APPS {
        precompress(&dist.join(assets.trim_matches('/')))?;
    }
    Ok(dist)
}

/// Writes `.gz` and `.br` beside every text and wasm asset, so the server sends them as is.
fn precompress(dist: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !["wasm", "js", "css", "html", "ftl"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
        {
            continue;
        }
        let data = std::fs::read(&path)?;
        std::fs::write(dist.join(format!("{name}.gz")), gzip(&data)?)?;
        std::fs::write(dist.join(format!("{name}.br")), brotli(&data)?)?;
    }
    Ok(())
}

/// Gzip with Zopfli: slower to compress (once, at build time) than zlib's best level, and a
/// few per cent smaller for every phone that downloads it over plain HTTP.
fn gzip(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        data,
        &mut out,
    )?;
    Ok(out)
}

fn brotli(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

/// The first-load weight budget, compressed (wasm + js + css).
const BUDGET_KB: f64 = 300.0;

/// Builds the app and records what a first visit downloads.
pub fn bench_bundle() -> anyhow::Result<()> {
    let dist = build(true)?;
    let (mut raw, mut gz, mut br) = (0usize, 0usize, 0usize);
    let mut rows = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&dist)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| [".wasm", ".js", ".css"].iter().any(|ext| n.ends_with(ext)))
        // The service worker is fetched by the browser once the app runs, not to draw it.
        .filter(|n| n != "sw.js")
        .collect();
    names.sort();
    for name in names {
        let data = std::fs::read(dist.join(&name))?;
        let (g, b) = (gzip(&data)?.len(), brotli(&data)?.len());
        raw += data.len();
        gz += g;
        br += b;
        let kind = name.rsplit('.').next().unwrap_or_default().to_owned();
        rows.push(format!(
            "| {kind} | {:.1} | {:.1} | {:.1} |",
            data.len() as f64 / 1024.0,
            g as f64 / 1024.0,
            b as f64 / 1024.0
        ));
    }
    let total_br = br as f64 / 1024.0;
    let total_gz = gz as f64 / 1024.0;
    // Only French is compiled in; the other catalogues come when a visitor picks them.
    let mut catalogues = Vec::new();
    for locale in ["ar", "en"] {
        let data = std::fs::read(dist.join(format!("{locale}.ftl")))?;
        catalogues.push(format!(
            "`{locale}.ftl` {:.1} KB",
            brotli(&data)?.len() as f64 / 1024.0
        ));
    }
    // The other apps, each fetched only by those who open its pages.
    let mut others = Vec::new();
    for (_, assets) in OTHER_APPS {
        let folder = assets.trim_matches('/');
        let mut weight = 0usize;
        for entry in std::fs::read_dir(dist.join(folder))? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if [".wasm", ".js", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                weight += brotli(&std::fs::read(&path)?)?.len();
            }
        }
        others.push(weight as f64 / 1024.0);
    }
    let verdict = |kb: f64| if kb <= BUDGET_KB { "within" } else { "OVER" };
    let section = format!(
        "## Web app first-load weight\n\n\
Command: `cargo xtask bench bundle` (trunk release build, opt-level \"z\", LTO, wasm-opt -Oz).\n\n\
| asset | raw KB | gzip KB | brotli KB |\n| --- | --- | --- | --- |\n{}\n| **total** | {:.1} | {:.1} | {:.1} |\n\n\
Budget: {BUDGET_KB} KB compressed. Brotli (what browsers ask for over HTTPS) is {} budget; \
gzip (the fallback, e.g. over plain HTTP) is {} budget.\n\n\
Not in the first load: the Arabic and English catalogues, fetched with brotli when a visitor \
chooses the language ({}); the guide (growth sectors, occupations, centers: `guide/`, {:.1} KB \
with brotli) and the staff's app (administration, organisations: `staff/`, {:.1} KB), each \
fetched only by those who open its pages.\n",
        rows.join("\n"),
        raw as f64 / 1024.0,
        total_gz,
        total_br,
        verdict(total_br),
        verdict(total_gz),
        catalogues.join(", "),
        others[0],
        others[1]
    );
    print!("{section}");
    write_section(
        &root().join("docs/benchmarks.md"),
        "## Web app first-load weight",
        &section,
    )?;
    if total_br > BUDGET_KB {
        bail!("the web app weighs {total_br:.1} KB compressed, over the {BUDGET_KB} KB budget");
    }
    Ok(())
}

/// Replaces the section starting with `heading` in `file` (or appends it).
fn write_section(file: &Path, heading: &str, section: &str) -> anyhow::Result<()> {
    let existing = std::fs::read_to_string(file)
        .unwrap_or_else(|_| "# Benchmarks\n\nResults of the project's benchmarks, each with the command that produced it.\n\n".into());
    let updated = match existing.find(heading) {
        Some(start) => {
            let end = existing[start + heading.len()..]
                .find("\n## ")
                .map(|i| start + heading.len() + i + 1)
                .unwrap_or(existing.len());
            format!("{}{}{}", &existing[..start], section, &existing[end..])
        }
        None => format!("{existing}{section}"),
    };
    std::fs::write(file, updated)?;
    Ok(())
}
