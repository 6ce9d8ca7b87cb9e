//! The browser harness: starts the real `careercenter` binary on a free port with a fresh
//! SQLite database and the built web app, starts chromedriver and headless Chromium, and
//! reaps all of them when a journey ends. A failed journey leaves a screenshot in
//! `target/e2e-screenshots/`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use thirtyfour::prelude::*;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e lives in the workspace")
        .to_path_buf()
}

/// Cargo's output folder of this build (`…/target/debug`), found from the test binary itself.
fn build_dir() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .context("test binary has no parent folder")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

/// Kills a child process when dropped, whatever happened in between.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, what: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{what} did not start on port {port}")
}

/// One running server and browser, for one journey.
pub struct Harness {
    pub base: String,
    pub driver: WebDriver,
    data: PathBuf,
    /// The server, and how to start it again after [`Harness::stop_server`].
    server: std::sync::Mutex<Option<Reaped>>,
    serve: std::sync::Mutex<Command>,
    port: u16,
    _chromedriver: Reaped,
}

pub const ADMIN_EMAIL: &str = "admin@e2e.test";
pub const ADMIN_PASSWORD: &str = "e2e-admin-password-7";

impl Harness {
    pub async fn start(name: &str) -> anyhow::Result<Self> {
        Self::start_with(name, &[]).await
    }

    /// Starts the server with `settings` (environment variables) added.
    pub async fn start_with(name: &str, settings: &[(&str, &str)]) -> anyhow::Result<Self> {
        let binary = build_dir()?.join("careercenter");
        if !binary.exists() {
            bail!(
                "{} is missing: build it with `cargo build -p backend`",
                binary.display()
            );
        }
        let dist = root().join("frontend/dist");
        if !dist.join("index.html").exists() {
            bail!("the web app is not built: run `cargo xtask spa`");
        }
        let chromedriver = find_on_path("chromedriver").context(
            "chromedriver is not installed: `apt-get install chromium chromium-driver` (cargo xtask test does it as root)",
        )?;
        let chromium = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|n| find_on_path(n))
            .context("Chromium is not installed: `apt-get install chromium chromium-driver`")?;

        let data = std::env::temp_dir().join(format!("cc-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data)?;
        let port = free_port()?;
        let env = |command: &mut Command| {
            command
                .env("DATA_DIR", &data)
                .env("BIND", format!("127.0.0.1:{port}"))
                .env("SPA_DIR", &dist)
                .env("RUST_LOG", "warn")
                .env_remove("DATABASE_URL")
                .envs(settings.iter().copied());
        };
        let mut create = Command::new(&binary);
        create
            .args([
                "admin",
                "create",
                "--email",
                ADMIN_EMAIL,
                "--password",
                ADMIN_PASSWORD,
            ])
            .stdout(Stdio::null());
        env(&mut create);
        if !create.status()?.success() {
            bail!("creating the admin failed");
        }
        let mut serve = Command::new(&binary);
        serve.arg("serve").stdout(Stdio::null());
        env(&mut serve);
        let server = Reaped(serve.spawn()?);
        wait_for_port(port, "the server")?;
        let serve = std::sync::Mutex::new(serve);

        let driver_port = free_port()?;
        let chromedriver = Reaped(
            Command::new(chromedriver)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?,
        );
        wait_for_port(driver_port, "chromedriver")?;

        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(chromium.to_str().context("odd Chromium path")?)?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            // The network is closed: every name but the loopback is unresolvable, so a page
            // that tried to load anything from outside would visibly break.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ] {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!(
            "--user-data-dir={}",
            data.join("chromium").display()
        ))?;
        let driver = WebDriver::new(&format!("http://127.0.0.1:{driver_port}"), caps).await?;
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            driver,
            data,
            server: std::sync::Mutex::new(Some(server)),
            serve,
            port,
            _chromedriver: chromedriver,
        })
    }

    pub async fn open(&self, path: &str) -> WebDriverResult<()> {
        self.driver.goto(format!("{}{path}", self.base)).await
    }

    /// The first element matching `css`, waiting up to ten seconds for it.
    pub async fn find(&self, css: &str) -> WebDriverResult<WebElement> {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(10), Duration::from_millis(100))
            .first()
            .await
    }

    /// Waits until the element matching `css` shows `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(elements) = self.driver.find_all(By::Css(css)).await {
                for element in elements {
                    last = element.text().await.unwrap_or_default();
                    if last.contains(text) {
                        return Ok(());
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("`{css}` never showed {text:?}; last seen {last:?}")
    }

    /// Clicks `css` in the header's menu, opening the menu first where it is folded (a phone).
    /// A page of another app (the youth's, the guide or the staff's) is a full page load, so an element
    /// found a moment ago may be gone: the menu is looked up again until the click lands.
    pub async fn menu(&self, css: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            let attempt = async {
                let toggle = self.find("#menu-toggle").await?;
                if toggle.is_displayed().await?
                    && toggle.attr("aria-expanded").await?.as_deref() != Some("true")
                {
                    toggle.click().await?;
                }
                self.find(css).await?.click().await
            };
            match attempt.await {
                Ok(()) => return Ok(()),
                Err(error) if started.elapsed() > Duration::from_secs(10) => {
                    return Err(error.into());
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Waits until the header's menu, folded or not, holds `text`.
    pub async fn wait_menu_text(&self, text: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < Duration::from_secs(10) {
            // A full page load (to the other app) may replace the menu under our feet.
            if let Ok(menu) = self.find("#site-nav").await
                && let Ok(Some(text)) = menu.prop("textContent").await
            {
                last = text;
            }
            if last.contains(text) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the menu never showed {text:?}; last seen {last:?}")
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.driver.find_all(By::Css(css)).await?.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("`{css}` is still there")
    }

    pub async fn fill(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let input = self.find(css).await?;
        input.clear().await?;
        input.send_keys(value).await?;
        Ok(())
    }

    /// Chooses `value` in the `<select>` matching `css`, as a person picking an option does
    /// (the value changes, then a `change` event bubbles). Clicking options of a native
    /// drop-down is unreliable in headless Chromium.
    pub async fn choose(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let select = self.find(css).await?;
        self.driver
            .execute(
                "const [el, value] = arguments; el.focus(); el.value = value;\
                 el.dispatchEvent(new Event('input', {bubbles: true}));\
                 el.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![
                    select.to_json()?,
                    serde_json::Value::String(value.to_owned()),
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn attribute(&self, css: &str, name: &str) -> anyhow::Result<Option<String>> {
        Ok(self.find(css).await?.attr(name).await?)
    }

    /// Runs axe-core (from the local npm copy) on the current page; fails on any serious or
    /// critical violation.
    pub async fn check_accessibility(&self) -> anyhow::Result<()> {
        let axe = axe_source()?;
        self.driver.execute(&axe, Vec::new()).await?;
        let result = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {resultTypes: ['violations']})\
                    .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
                    .catch(e => done(['axe failed: ' + e]));",
                Vec::new(),
            )
            .await?;
        // An answer that is not a list of violations is a failure to check, not a clean page.
        let violations: Vec<String> = serde_json::from_value(result.json().clone())
            .with_context(|| format!("axe-core's answer could not be read: {}", result.json()))?;
        if !violations.is_empty() {
            bail!(
                "accessibility violations on {}: {violations:#?}",
                self.driver.current_url().await?
            );
        }
        Ok(())
    }

    /// The path of the newest link to `page` mailed to `to` (`/page#token=…`), read from the
    /// server's outbox; waits up to ten seconds for the message.
    pub async fn mailed_link(&self, to: &str, page: &str) -> anyhow::Result<String> {
        let marker = format!("/{page}#token=");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let mut newest: Option<(std::time::SystemTime, String)> = None;
            for entry in std::fs::read_dir(self.data.join("outbox"))?.flatten() {
                let bytes = std::fs::read(entry.path())?;
                let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else {
                    continue;
                };
                let addressed = message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    == Some(to);
                let text = message.body_text(0).unwrap_or_default();
                if let (true, Some(at)) = (addressed, text.find(&marker)) {
                    let token: String = text[at + marker.len()..]
                        .chars()
                        .take_while(char::is_ascii_hexdigit)
                        .collect();
                    let modified = entry.metadata()?.modified()?;
                    if newest.as_ref().is_none_or(|(t, _)| modified >= *t) {
                        newest = Some((modified, format!("{marker}{token}")));
                    }
                }
            }
            if let Some((_, link)) = newest {
                return Ok(link);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("no {page} link was mailed to {to}")
    }

    /// Sends a Chrome DevTools Protocol command to the page (network conditions, keys typed
    /// as a given keyboard layout types them, cookies).
    pub async fn devtools(
        &self,
        command: &str,
        params: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.driver.cdp().send_raw(command, params).await?)
    }

    /// Stops the server: the network between the browser and the platform is cut for every
    /// part of the browser (its service worker too), not only for the page.
    pub fn stop_server(&self) {
        if let Ok(mut server) = self.server.lock() {
            server.take();
        }
    }

    /// Starts the server again on the same port, with the same data.
    pub fn start_server(&self) -> anyhow::Result<()> {
        let child = self
            .serve
            .lock()
            .map_err(|_| anyhow::anyhow!("the server's command is poisoned"))?
            .spawn()?;
        if let Ok(mut server) = self.server.lock() {
            *server = Some(Reaped(child));
        }
        wait_for_port(self.port, "the server")
    }

    /// Cuts the browser off the network (`true`) or gives it back.
    pub async fn offline(&self, offline: bool) -> anyhow::Result<()> {
        self.devtools("Network.enable", serde_json::json!({}))
            .await?;
        self.devtools(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await?;
        Ok(())
    }

    /// Runs `script` in the page and returns what it returns, as JSON.
    pub async fn eval(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .driver
            .execute(script, Vec::new())
            .await?
            .json()
            .clone())
    }

    /// Resizes the window to a phone's screen (390×844 CSS pixels).
    pub async fn phone_size(&self) -> anyhow::Result<()> {
        self.driver.set_window_rect(0, 0, 390, 844).await?;
        Ok(())
    }

    pub async fn finish(self) {
        let _ = self.driver.clone().quit().await;
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn axe_source() -> anyhow::Result<String> {
    let candidates = [
        std::env::var("AXE_CORE_JS").ok().map(PathBuf::from),
        build_dir().ok().and_then(|d| {
            d.parent()
                .map(|t| t.join("web-tools/node_modules/axe-core/axe.min.js"))
        }),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.exists())
        .map(std::fs::read_to_string)
        .transpose()?
        .context("axe-core is not installed: run `cargo xtask spa` (it installs it with npm)")
}

/// Runs one journey; on failure keeps a screenshot of the page, then fails the test.
pub async fn journey<F>(name: &str, steps: F)
where
    F: AsyncFnOnce(&Harness) -> anyhow::Result<()>,
{
    journey_with(name, &[], steps).await;
}

/// [`journey`] on a server started with `settings` (environment variables) added.
pub async fn journey_with<F>(name: &str, settings: &[(&str, &str)], steps: F)
where
    F: AsyncFnOnce(&Harness) -> anyhow::Result<()>,
{
    let harness = Harness::start_with(name, settings)
        .await
        .expect("starting the server and the browser");
    let outcome = steps(&harness).await;
    if let Err(error) = &outcome {
        let dir = build_dir()
            .map(|d| d.join("../e2e-screenshots"))
            .unwrap_or_else(|_| PathBuf::from("."));
        let _ = std::fs::create_dir_all(&dir);
        let shot = dir.join(format!("{name}.png"));
        let _ = harness.driver.screenshot(&shot).await;
        eprintln!(
            "journey {name} failed: {error:#}\nscreenshot: {}",
            shot.display()
        );
    }
    harness.finish().await;
    if let Err(error) = outcome {
        panic!("journey {name} failed: {error:#}");
    }
}
