//! Settings from environment variables, with defaults that let a newcomer start with nothing set.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use ipnet::IpNet;
use rand::RngCore;
use secrecy::{SecretSlice, SecretString};

/// Everything the server needs to start. Secrets are wrapped, so that printing the settings
/// (or an error that carries them) shows `[REDACTED]` instead of a password.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; may carry a password.
    pub database_url: SecretString,
    pub bind: SocketAddr,
    /// Where the SQLite file and the generated JWT secret live.
    pub data_dir: PathBuf,
    /// HMAC key of access tokens.
    pub jwt_secret: SecretSlice<u8>,
    /// `json` for one JSON object per log line; anything else for human-readable lines.
    pub log_format: String,
    /// Origins allowed to call the API from a browser, besides the server's own.
    pub cors_origins: Vec<String>,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Largest body of a batch (a partner's offers), in bytes.
    pub batch_limit: usize,
    /// Whether the refresh cookie carries `Secure`. Browsers accept it on loopback addresses
    /// over plain HTTP, so it stays on except behind unusual set-ups.
    pub cookie_secure: bool,
    /// The web app built by `cargo xtask spa` (`frontend/dist`); without it only the API is served.
    pub spa_dir: PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` headers are believed. A request
    /// from any other peer is attributed to the peer itself, so a client cannot pick the
    /// address it is throttled under.
    pub trusted_proxies: Vec<IpNet>,
    /// `smtp://user:pass@host:port` or `smtps://…`; without it mail is written to
    /// `DATA_DIR/outbox/`.
    pub smtp_url: Option<SecretString>,
    /// The `From` of every message.
    pub mail_from: String,
    /// Where users reach the web app, for links in e-mails (no trailing slash).
    pub public_url: String,
    /// Password hashes computed at once (each takes 19 MiB for tens of milliseconds).
    pub hash_concurrency: usize,
    /// Requests allowed to wait for a hashing slot; more answer 503 at once.
    pub hash_queue: usize,
    /// How long a session lasts after its sign-in, however often it is refreshed.
    pub session_lifetime: chrono::Duration,
    /// How long an access token is accepted after it was issued (the web app renews it
    /// silently through the refresh cookie).
    pub access_token_seconds: i64,
    /// How often the background worker looks for jobs that are due.
    pub job_tick: std::time::Duration,
    /// How long a source's poll may take to answer whole before it is cut.
    pub ingest_timeout: std::time::Duration,
    /// The largest answer a source's poll reads; a larger one is cut and refused.
    pub ingest_max_bytes: u64,
    /// How long an instance may answer from the account it read for an earlier request, when no
    /// change went through it since; zero reads the account on every request.
    pub account_cache: std::time::Duration,
    /// The bearer token a scraper presents to read `/metrics` on the main address.
    pub metrics_token: Option<SecretString>,
    /// A separate (private) address serving `/metrics` to anyone who reaches it.
    pub metrics_bind: Option<SocketAddr>,
}

/// Reads `name`, treating an empty value as unset.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("creating data directory {}", data_dir.display()))?;
                format!("sqlite://{}/careercenter.db?mode=rwc", data_dir.display())
            }
        };
        let bind = var("BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("BIND must be an address such as 127.0.0.1:8080")?;
        let jwt_secret = match var("JWT_SECRET") {
            Some(secret) if secret.len() >= 32 => secret.into_bytes(),
            Some(_) => anyhow::bail!("JWT_SECRET must be at least 32 characters"),
            None => load_or_create_secret(&data_dir)?,
        };
        let json_limit = var("JSON_LIMIT_BYTES")
            .map(|v| v.parse().context("JSON_LIMIT_BYTES must be a number"))
            .transpose()?
            .unwrap_or(64 * 1024);
        let batch_limit = var("BATCH_LIMIT_BYTES")
            .map(|v| v.parse().context("BATCH_LIMIT_BYTES must be a number"))
            .transpose()?
            .unwrap_or(16 * 1024 * 1024);
        let trusted_proxies = var("TRUSTED_PROXIES")
            .map(|v| parse_proxies(&v))
            .transpose()?
            .unwrap_or_default();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let number = |name: &str, default: usize| -> anyhow::Result<usize> {
            var(name)
                .map(|v| {
                    v.parse()
                        .with_context(|| format!("{name} must be a number"))
                })
                .transpose()
                .map(|v| v.unwrap_or(default))
        };
        Ok(Self {
            database_url: database_url.into(),
            public_url: var("PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{bind}"))
                .trim_end_matches('/')
                .to_owned(),
            bind,
            data_dir,
            jwt_secret: jwt_secret.into(),
            trusted_proxies,
            smtp_url: var("SMTP_URL").map(Into::into),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Career Center <no-reply@careercenter.local>".into()),
            hash_concurrency: number("PASSWORD_HASH_CONCURRENCY", cores.max(2))?.max(1),
            hash_queue: number("PASSWORD_HASH_QUEUE", 32)?,
            session_lifetime: chrono::Duration::days(
                i64::try_from(number("SESSION_LIFETIME_DAYS", 90)?.max(1)).unwrap_or(90),
            ),
            access_token_seconds: i64::try_from(
                number("ACCESS_TOKEN_SECONDS", 300)?.clamp(1, 3600),
            )
            .unwrap_or(300),
            job_tick: std::time::Duration::from_secs(
                u64::try_from(number("JOB_TICK_SECONDS", 60)?.max(1)).unwrap_or(60),
            ),
            account_cache: std::time::Duration::from_secs(
                u64::try_from(number("ACCOUNT_CACHE_SECONDS", 5)?).unwrap_or(5),
            ),
            ingest_timeout: std::time::Duration::from_secs(
                u64::try_from(number("INGEST_TIMEOUT_SECONDS", 30)?.clamp(1, 600)).unwrap_or(30),
            ),
            ingest_max_bytes: u64::try_from(number("INGEST_MAX_BYTES", 10 << 20)?.max(1024))
                .unwrap_or(10 << 20),
            metrics_token: match var("METRICS_TOKEN") {
                Some(token) if token.len() >= 16 => Some(token.into()),
                Some(_) => anyhow::bail!("METRICS_TOKEN must be at least 16 characters"),
                None => None,
            },
            metrics_bind: var("METRICS_BIND")
                .map(|v| v.parse())
                .transpose()
                .context("METRICS_BIND must be an address such as 10.0.0.5:9100")?,
            log_format: var("LOG_FORMAT").unwrap_or_else(|| "text".into()),
            cors_origins: var("CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            json_limit,
            batch_limit,
            cookie_secure: var("COOKIE_SECURE").is_none_or(|v| v != "false"),
            spa_dir: PathBuf::from(var("SPA_DIR").unwrap_or_else(|| "frontend/dist".into())),
        })
    }

    /// Settings for a server on `database_url` keeping its files in `data_dir`, with every other
    /// value at its default: what the tests start from.
    pub fn local(database_url: &str, data_dir: PathBuf, jwt_secret: Vec<u8>) -> Self {
        Self {
            database_url: database_url.into(),
            bind: ([127, 0, 0, 1], 0).into(),
            data_dir,
            jwt_secret: jwt_secret.into(),
            log_format: "text".into(),
            cors_origins: vec![],
            json_limit: 64 * 1024,
            batch_limit: 16 * 1024 * 1024,
            cookie_secure: false,
            spa_dir: PathBuf::from("frontend/dist"),
            trusted_proxies: vec![],
            smtp_url: None,
            mail_from: "Career Center <no-reply@careercenter.local>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            hash_concurrency: 2,
            hash_queue: 32,
            session_lifetime: chrono::Duration::days(90),
            access_token_seconds: crate::auth::tokens::ACCESS_TTL_SECONDS,
            job_tick: std::time::Duration::from_secs(60),
            account_cache: std::time::Duration::from_secs(5),
            ingest_timeout: std::time::Duration::from_secs(30),
            ingest_max_bytes: 10 << 20,
            metrics_token: None,
            metrics_bind: None,
        }
    }

    /// Where mail goes when no SMTP server is configured.
    pub fn outbox(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

/// `TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges (`10.0.0.0/8, 127.0.0.1`).
fn parse_proxies(value: &str) -> anyhow::Result<Vec<IpNet>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(IpNet::from))
                .with_context(|| format!("TRUSTED_PROXIES: `{p}` is not an address or range"))
        })
        .collect()
}

/// There is no built-in secret: a missing `JWT_SECRET` is generated once and kept beside the
/// database, readable by its owner only, so tokens survive restarts.
fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read(&path)
        && existing.len() >= 32
    {
        return Ok(existing);
    }
    std::fs::create_dir_all(data_dir)?;
    let mut secret = [0u8; 48];
    rand::rng().fill_bytes(&mut secret);
    let encoded = hex(&secret).into_bytes();
    write_private(&path, &encoded).with_context(|| format!("writing {}", path.display()))?;
    Ok(encoded)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn printing_the_settings_never_shows_a_secret() {
        let mut settings = Settings::local(
            "postgres://cc:s3cr3t-db-pass@db/cc",
            PathBuf::from("/tmp"),
            b"0123456789abcdef0123456789abcdef-jwt".to_vec(),
        );
        settings.smtp_url = Some("smtp://mailer:s3cr3t-smtp-pass@mail:587".into());
        let printed = format!("{settings:?} {settings:#?}");
        for secret in ["s3cr3t-db-pass", "s3cr3t-smtp-pass", "0123456789abcdef"] {
            assert!(!printed.contains(secret), "{secret} printed in {printed}");
        }
        assert!(
            settings
                .database_url
                .expose_secret()
                .contains("s3cr3t-db-pass")
        );
    }

    #[test]
    fn trusted_proxies_take_addresses_and_ranges() {
        let proxies = parse_proxies("10.0.0.0/8, 127.0.0.1,::1").unwrap();
        assert_eq!(proxies.len(), 3);
        assert!(proxies[0].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap()));
        assert!(proxies[1].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
        assert!(!proxies[1].contains(&"127.0.0.2".parse::<std::net::IpAddr>().unwrap()));
        assert!(parse_proxies("10.0.0.0/8, proxy.local").is_err());
    }
}
