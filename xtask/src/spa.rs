//! Building the web apps offline, and weighing them.
//!
//! The build is driven from here, with nothing to install from source: cargo compiles each
//! app to WebAssembly, wasm-bindgen (its library, pinned to the version of Cargo.lock) writes
//! the JavaScript glue, wasm-opt (binaryen) shrinks the module and esbuild minifies the glue
//! and the style sheet; both come prebuilt from the npm registry. The apps share one page,
//! `frontend/index.html`, which names what it needs with `<link data-build …>` tags, replaced
//! here by links to the built files, whose names carry a content hash.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::{cargo, root, run, target_dir};

const BINARYEN: &str = "binaryen@132.0.0";
const ESBUILD: &str = "esbuild@0.28.2";
/// How a module becomes the served files (with the wasm-bindgen of Cargo.lock, which the module
/// itself names): part of their names' hash. Change it with any option below.
const RECIPE: &str =
    "wasm-bindgen web, no typescript; wasm-opt -Oz binaryen@132.0.0; esbuild@0.28.2 --minify";
/// axe-core, injected by the browser tests from this local copy.
pub const AXE_CORE: &str = "axe-core@4.11.0";

/// One web app: its binary, and the folder it is built into and served from
/// (`shared::pages::WebApp::assets`; xtask depends on nothing of ours).
pub struct App {
    pub bin: &'static str,
    pub assets: &'static str,
}

/// The youth's app (what a first visit downloads, with the files beside it: the other
/// catalogues, the service worker, the manifest and icons) first, then the others.
pub const APPS: [App; 3] = [
    App {
        bin: "frontend",
        assets: "/",
    },
    App {
        bin: "guide",
        assets: "/guide/",
    },
    App {
        bin: "staff",
        assets: "/staff/",
    },
];

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

/// Where npm-installed tools live (wasm-opt, esbuild, axe-core), beside the build artefacts.
pub fn web_tools() -> anyhow::Result<PathBuf> {
    Ok(target_dir()?.join("web-tools"))
}

/// The version of `package` in Cargo.lock.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let entry = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&entry)? + entry.len();
    Some(lock[start..].split('"').next()?.to_owned())
}

/// The WebAssembly target, installed by rustup, and wasm-bindgen's version checked.
fn ensure_target() -> anyhow::Result<()> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let (app, glue) = (
        locked_version(&lock, "wasm-bindgen"),
        locked_version(&lock, "wasm-bindgen-cli-support"),
    );
    if app.is_none() || app != glue {
        bail!(
            "Cargo.lock has wasm-bindgen {app:?} for the app but {glue:?} for the build: \
pin the same version in frontend/Cargo.toml and xtask/Cargo.toml"
        );
    }
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if !installed.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The npm tools; returns the folder of their commands.
fn ensure_tools() -> anyhow::Result<PathBuf> {
    let tools = web_tools()?;
    let bin = tools.join("node_modules/.bin");
    let wanted = |package: &str| {
        let (name, version) = package.rsplit_once('@').unwrap_or((package, ""));
        std::fs::read_to_string(tools.join("node_modules").join(name).join("package.json"))
            .ok()
            .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
            .is_some_and(|json| json["version"] == version)
    };
    if ![BINARYEN, ESBUILD, AXE_CORE].iter().all(|p| wanted(p)) {
        std::fs::create_dir_all(&tools)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .args([BINARYEN, ESBUILD, AXE_CORE]))
        .context(
            "installing wasm-opt (binaryen), esbuild and axe-core from npm; is Node.js installed?",
        )?;
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

/// What the apps are built from, newest first.
fn sources_changed() -> SystemTime {
    let frontend = root().join("frontend");
    std::fs::read_dir(&frontend)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| !path.ends_with("dist") && !path.ends_with("dist.new"))
        .map(|path| newest(&path))
        .chain([
            newest(&root().join("shared/src")),
            newest(&root().join("Cargo.lock")),
            newest(&root().join("Cargo.toml")),
            newest(&root().join(".cargo/config.toml")),
            newest(&root().join("xtask/src/spa.rs")),
        ])
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The release profile of the code a phone downloads: size over speed. The server's builds
/// are unaffected.
fn wasm_build() -> Command {
    let mut command = cargo();
    command
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "frontend",
        ])
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort");
    command
}

/// Whether `frontend/dist` is newer than every source of the apps.
pub fn up_to_date() -> bool {
    std::fs::metadata(root().join("frontend/dist/index.html"))
        .and_then(|m| m.modified())
        .is_ok_and(|built| built >= sources_changed())
}

/// Builds `frontend/dist` when `force` or when a source is newer than the last build.
/// Returns the dist folder.
pub fn build(force: bool) -> anyhow::Result<PathBuf> {
    let frontend = root().join("frontend");
    let dist = frontend.join("dist");
    if !force && up_to_date() {
        return Ok(dist);
    }
    let mut command = wasm_build();
    for app in &APPS {
        command.args(["--bin", app.bin]);
    }
    // npm downloads while cargo compiles.
    let tools = std::thread::scope(|scope| {
        ensure_target()?;
        let tools = scope.spawn(ensure_tools);
        let built = run(&mut command);
        let tools = tools
            .join()
            .map_err(|_| anyhow::anyhow!("installing the tools panicked"))?;
        built.and(tools)
    })?;
    let release = target_dir()?.join("wasm32-unknown-unknown/release");
    // A half-written dist/ would be served: build beside it, then swap.
    let staging = frontend.join("dist.new");
    let _ = std::fs::remove_dir_all(&staging);
    let page = std::fs::read_to_string(frontend.join("index.html"))?;
    // The apps side by side: wasm-opt and the compressors use one core each.
    std::thread::scope(|scope| {
        let builds: Vec<_> = APPS
            .iter()
            .map(|app| {
                let (page, frontend, release, staging, tools) =
                    (&page, &frontend, &release, &staging, &tools);
                scope.spawn(move || -> anyhow::Result<()> {
                    let out = staging.join(app.assets.trim_matches('/'));
                    std::fs::create_dir_all(&out)?;
                    let wasm = release.join(format!("{}.wasm", app.bin));
                    let copy_files = app.assets == "/";
                    let started = std::time::Instant::now();
                    let html =
                        build_page(page, frontend, &wasm, app.assets, copy_files, &out, tools)?;
                    std::fs::write(out.join("index.html"), html)?;
                    let built = started.elapsed();
                    precompress(&out)?;
                    eprintln!(
                        "{}: glue, optimisation and minification {built:.1?}, compression {:.1?}",
                        app.bin,
                        started.elapsed() - built
                    );
                    Ok(())
                })
            })
            .collect();
        builds.into_iter().try_for_each(|build| {
            build
                .join()
                .map_err(|_| anyhow::anyhow!("a build panicked"))?
        })
    })?;
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .with_context(|| format!("removing the previous build, {}", dist.display()))?;
    }
    std::fs::rename(&staging, &dist)?;
    Ok(dist)
}

/// Builds an app whose page is `page` and whose module is `bin_wasm` into `out`, served at
/// the root; used for the empty app the benchmark compares with.
pub fn build_app(page: &str, bin_wasm: &Path, out: &Path) -> anyhow::Result<()> {
    let tools = ensure_tools()?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out)?;
    let html = build_page(
        page,
        &root().join("frontend"),
        bin_wasm,
        "/",
        false,
        out,
        &tools,
    )?;
    std::fs::write(out.join("index.html"), html)?;
    precompress(out)
}

/// A short content hash for a built file's name.
fn short_hash(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of `name="…"` in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()
}

/// Writes what `page` names into `out` and returns the page with each `<link data-build …>`
/// replaced by links to the built files (`rel="rust"`: the app `wasm`, its glue and the script
/// that starts it; `rel="css"`: the style sheet; `rel="copy-file"`: a file copied as is, when
/// `copy_files`); comments and indentation are dropped.
fn build_page(
    page: &str,
    frontend: &Path,
    wasm: &Path,
    public: &str,
    copy_files: bool,
    out: &Path,
    tools: &Path,
) -> anyhow::Result<String> {
    let mut html = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<!--") {
        html.push_str(&rest[..start]);
        let end = rest[start..].find("-->").context("an unclosed comment")?;
        rest = &rest[start + end + 3..];
    }
    html.push_str(rest);
    let mut built = String::new();
    for line in html.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains("data-build") && !line.starts_with("<link data-build ") {
            bail!("a data-build link must stand alone on its line: {line}");
        }
        if !line.starts_with("<link data-build ") {
            built.push_str(line);
            built.push('\n');
            continue;
        }
        let href = attribute(line, "href");
        match attribute(line, "rel") {
            Some("css") => {
                let source = frontend.join(href.context("a css link without href")?);
                let css = minify(tools, &source, "css")?;
                let name = format!("style-{}.css", short_hash(&css));
                std::fs::write(out.join(&name), css)?;
                built.push_str(&format!(
                    "<link rel=\"stylesheet\" href=\"{public}{name}\">\n"
                ));
            }
            Some("copy-file") if !copy_files => {}
            Some("copy-file") => {
                let source = frontend.join(href.context("a copy-file link without href")?);
                let name = source
                    .file_name()
                    .context("a copy-file link without a name")?;
                std::fs::copy(&source, out.join(name))
                    .with_context(|| format!("copying {}", source.display()))?;
            }
            Some("rust") => {
                let stem = bindgen(wasm, out, tools)?;
                built.push_str(&format!(
                    "<link rel=\"modulepreload\" href=\"{public}{stem}.js\">\n\
<link rel=\"preload\" href=\"{public}{stem}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
<script type=\"module\">import init from \"{public}{stem}.js\";init({{module_or_path:\"{public}{stem}_bg.wasm\"}});</script>\n"
                ));
            }
            other => bail!("unknown <link data-build rel={other:?}>"),
        }
    }
    Ok(built)
}

/// The glue and the optimised module of `wasm` in `out`, named after their content; returns
/// the name's stem (`frontend-<hash>`).
fn bindgen(wasm: &Path, out: &Path, tools: &Path) -> anyhow::Result<String> {
    let module = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let bin = wasm
        .file_stem()
        .and_then(|s| s.to_str())
        .context("an odd module name")?;
    // The name follows what is served, so it covers the tools that turn the module into it:
    // a new version of one gives new names, never a new file under a name browsers keep.
    let stem = format!(
        "{bin}-{}",
        short_hash(&[&module[..], RECIPE.as_bytes()].concat())
    );
    wasm_bindgen_cli_support::Bindgen::new()
        // With bytes as input, the name given is the output's stem.
        .input_bytes(&stem, module)
        .web(true)?
        .typescript(false)
        .generate(out)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;
    let module = out.join(format!("{stem}_bg.wasm"));
    run(Command::new(tools.join("wasm-opt"))
        .arg("-Oz")
        .arg(&module)
        .arg("-o")
        .arg(&module))?;
    let glue = out.join(format!("{stem}.js"));
    let minified = minify(tools, &glue, "js")?;
    std::fs::write(&glue, minified)?;
    Ok(stem)
}

/// `source` minified by esbuild (`kind` is "js" or "css").
fn minify(tools: &Path, source: &Path, kind: &str) -> anyhow::Result<Vec<u8>> {
    let mut command = Command::new(tools.join("esbuild"));
    command
        .arg(source)
        .arg("--minify")
        .arg("--log-level=warning");
    if kind == "js" {
        command.arg("--format=esm");
    }
    let output = command
        .output()
        .with_context(|| format!("starting esbuild on {}", source.display()))?;
    if !output.status.success() {
        bail!(
            "esbuild on {} failed: {}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output.stdout)
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
    for app in &APPS[1..] {
        let folder = app.assets.trim_matches('/');
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
Command: `cargo xtask bench bundle` (release build, opt-level \"z\", LTO, wasm-opt -Oz, glue and style sheet minified by esbuild).\n\n\
| asset | raw KB | gzip KB | brotli KB |\n| --- | --- | --- | --- |\n{}\n| **total** | {:.1} | {:.1} | {:.1} |\n\n\
Budget: {BUDGET_KB} KB compressed. Brotli (what browsers ask for over HTTPS) is {} budget; \
gzip (the fallback, e.g. over plain HTTP) is {} budget.\n\n\
Not in the first load: the Arabic and English catalogues, fetched with brotli when a visitor \
chooses the language ({}); the guide (offers, growth sectors, occupations, centers, events, appointments, notices, the pages of mailed links: `guide/`, {:.1} KB \
with brotli) and the staff's app (administration, organisations, organisers' and counselors' screens: `staff/`, {:.1} KB), each \
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
    let slow = bench_slow_network(&dist)?;
    print!("{slow}");
    write_section(
        &root().join("docs/benchmarks.md"),
        "## Web app on a slow mobile network",
        &slow,
    )?;
    if total_br > BUDGET_KB {
        bail!("the web app weighs {total_br:.1} KB compressed, over the {BUDGET_KB} KB budget");
    }
    Ok(())
}

/// The page of the empty Leptos app the slow-network figures are compared with.
const EMPTY_PAGE: &str = "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Leptos</title>
<link data-build rel=\"rust\">
</head>
<body></body>
</html>
";

/// The targets of issue 9: a first paint within half a second, interactive within two.
const PAINT_TARGET_MS: f64 = 500.0;
const INTERACTIVE_TARGET_MS: f64 = 2000.0;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The youth's home page and an empty Leptos app (built as the apps are, served by the same
/// server), each loaded cold in Chromium under an emulated slow mobile network, in turn.
fn bench_slow_network(dist: &Path) -> anyhow::Result<String> {
    run(wasm_build().args(["--example", "empty"]))?;
    let empty = target_dir()?.join("bench-empty-app");
    build_app(
        EMPTY_PAGE,
        &target_dir()?.join("wasm32-unknown-unknown/release/examples/empty.wasm"),
        &empty,
    )?;
    crate::ensure_browser()?;
    run(cargo().args([
        "build",
        "--package",
        "backend",
        "--bin",
        "careercenter",
        "--package",
        "e2e",
        "--example",
        "slow_network",
    ]))?;
    let output = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "e2e",
            "--example",
            "slow_network",
            "--",
        ])
        .arg(format!("app={}", dist.display()))
        .arg(format!("empty={}", empty.display()))
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !output.status.success() {
        bail!("the slow-network runs failed");
    }
    let results: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("the slow-network runs printed no JSON")?;
    let all = |label: &str, key: &str| -> anyhow::Result<Vec<f64>> {
        results[label]
            .as_array()
            .context("no runs")?
            .iter()
            .map(|run| run[key].as_f64().context("a run without its figure"))
            .collect()
    };
    let figures =
        |label: &str, key: &str| -> anyhow::Result<f64> { Ok(median(&mut all(label, key)?)) };
    // The median, then the fastest and slowest runs.
    let spread = |label: &str, key: &str| -> anyhow::Result<String> {
        let mut values = all(label, key)?;
        let middle = median(&mut values);
        Ok(format!(
            "{middle:.0} ({:.0}–{:.0})",
            values.first().copied().unwrap_or(f64::NAN),
            values.last().copied().unwrap_or(f64::NAN)
        ))
    };
    let runs = results["app"].as_array().map_or(0, Vec::len);
    let mut rows = Vec::new();
    for (label, name) in [
        ("app", "youth's home page (`/`)"),
        ("empty", "empty Leptos app (floor)"),
    ] {
        rows.push(format!(
            "| {name} | {} | {} | {:.1} |",
            spread(label, "paint")?,
            spread(label, "interactive")?,
            figures(label, "bytes")? / 1024.0
        ));
    }
    let (paint, interactive) = (figures("app", "paint")?, figures("app", "interactive")?);
    let verdict = |ms: f64, target: f64| if ms <= target { "met" } else { "**missed**" };
    Ok(format!(
        "## Web app on a slow mobile network\n\n\
Command: `cargo xtask bench bundle` (after the weight above, in the same run). Each page is \
served by the real server and loaded cold (no cache, no service worker) in headless Chromium \
with the network emulated at 1.6 Mbit/s down, 750 kbit/s up and 150 ms round trip; the two \
apps are loaded in turn, {runs} times each: the median, then the fastest and the slowest run. \"Interactive\" is the \
`cc-interactive` mark, which both apps set when Leptos has mounted the page: drawn, its handlers \
attached (data the page then fetches may still be on its way). The server is the debug build; at \
these speeds its share is negligible.\n\n\
| page | first paint ms | interactive ms | transferred KB |\n| --- | --- | --- | --- |\n{}\n\n\
Targets for the youth's home page: first paint within {PAINT_TARGET_MS:.0} ms ({}), \
interactive within {INTERACTIVE_TARGET_MS:.0} ms ({}).\n",
        rows.join("\n"),
        verdict(paint, PAINT_TARGET_MS),
        verdict(interactive, INTERACTIVE_TARGET_MS),
    ))
}

/// Replaces the section starting with `heading` in `file` (or appends it).
pub(crate) fn write_section(file: &Path, heading: &str, section: &str) -> anyhow::Result<()> {
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
