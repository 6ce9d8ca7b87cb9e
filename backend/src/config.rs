//! Settings from environment variables, with defaults that let a newcomer start with nothing set.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rand::RngCore;

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    pub bind: SocketAddr,
    /// Where the SQLite file and the generated JWT secret live.
    pub data_dir: PathBuf,
    /// HMAC key of access tokens.
    pub jwt_secret: Vec<u8>,
    /// `json` for one JSON object per log line; anything else for human-readable lines.
    pub log_format: String,
    /// Origins allowed to call the API from a browser, besides the server's own.
    pub cors_origins: Vec<String>,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Whether the refresh cookie carries `Secure`. Browsers accept it on loopback addresses
    /// over plain HTTP, so it stays on except behind unusual set-ups.
    pub cookie_secure: bool,
    /// The web app built by trunk (`frontend/dist`); without it only the API is served.
    pub spa_dir: PathBuf,
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
        Ok(Self {
            database_url,
            bind,
            data_dir,
            jwt_secret,
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
            cookie_secure: var("COOKIE_SECURE").is_none_or(|v| v != "false"),
            spa_dir: PathBuf::from(var("SPA_DIR").unwrap_or_else(|| "frontend/dist".into())),
        })
    }
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
