//! What every handler can reach: the database, the token keys, the throttles, the password
//! hasher and the mailer.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;

use crate::auth::passwords::Hasher;
use crate::auth::throttle::Throttle;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult};
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::reference::Reference;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Every throttle of the server, each keyed by an account or a client address.
pub struct Throttles {
    /// Logins per e-mail: 10 per 15 minutes.
    pub login_by_email: Throttle,
    /// Logins per client address: 60 per minute.
    pub login_by_ip: Throttle,
    /// Registrations per client address: 20 per hour.
    pub register_by_ip: Throttle,
    /// Password changes per account: 10 per 15 minutes (each checks the current password).
    pub password_by_account: Throttle,
    /// Reset and verification mails per address: 5 per hour, so nobody is mail-bombed.
    pub mail_by_address: Throttle,
    /// Reset, verification and invitation requests per client address: 30 per hour.
    pub mail_by_ip: Throttle,
    /// Reset and verification tokens tried per client address: 30 per 15 minutes.
    pub tokens_by_ip: Throttle,
    /// Invitations sent per account: 30 per hour.
    pub invitations_by_account: Throttle,
}

impl Default for Throttles {
    fn default() -> Self {
        Self {
            login_by_email: Throttle::new(10, 15 * MINUTE),
            login_by_ip: Throttle::new(60, MINUTE),
            register_by_ip: Throttle::new(20, HOUR),
            password_by_account: Throttle::new(10, 15 * MINUTE),
            mail_by_address: Throttle::new(5, HOUR),
            mail_by_ip: Throttle::new(30, HOUR),
            tokens_by_ip: Throttle::new(30, 15 * MINUTE),
            invitations_by_account: Throttle::new(30, HOUR),
        }
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub jwt: JwtKeys,
    pub throttles: Throttles,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub metrics: Arc<Metrics>,
    /// The accounts behind recent access tokens (see `auth::caller`).
    pub accounts: crate::auth::AccountCache,
    /// The live offers' full-text index (see `search`).
    pub offers: Arc<crate::search::OfferIndex>,
    /// Reference answers from memory, built on first use (see `reference.rs`).
    reference: tokio::sync::OnceCell<Reference>,
    /// The client that polls the sources of gathered offers (see `services::ingest::poll`).
    pub http: reqwest::Client,
    /// The growth sectors' figures, kept a minute (see `services::sector_figures`).
    pub sector_figures: crate::services::sector_figures::Kept,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        settings: Settings,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            jwt: JwtKeys::with_ttl(
                settings.jwt_secret.expose_secret(),
                settings.access_token_seconds,
            )?,
            offers: Arc::new(crate::search::OfferIndex::open(&settings.data_dir)?),
            hasher: Hasher::new(settings.hash_concurrency, settings.hash_queue),
            mailer: Mailer::from_settings(&settings, db.clone())?,
            throttles: Throttles::default(),
            accounts: crate::auth::AccountCache::new(settings.account_cache),
            db,
            settings,
            metrics,
            reference: tokio::sync::OnceCell::new(),
            sector_figures: crate::services::sector_figures::kept(),
            http: reqwest::Client::builder()
                .user_agent(concat!("CareerCenter/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(std::time::Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::limited(5))
                .build()?,
        })
    }

    /// Brings the offers' index in step after a write of offers, so the answer's offers are
    /// found. A failure is logged, not returned: the write stands, and the next sync (a few
    /// seconds later) indexes it.
    pub async fn offers_written(&self) {
        let synced = match self.reference().await {
            Ok(reference) => self.offers.sync(&self.db, reference).await,
            Err(error) => Err(anyhow::anyhow!("{error}")),
        };
        if let Err(error) = synced {
            tracing::error!(%error, "offers' index: sync after a write failed");
        }
    }

    /// The reference data in memory, read from the database the first time it is asked for.
    pub async fn reference(&self) -> ApiResult<&Reference> {
        self.reference
            .get_or_try_init(|| Reference::load(&self.db))
            .await
            .map_err(ApiError::Internal)
    }
}
