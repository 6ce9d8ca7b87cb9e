//! What every handler can reach: the database, the token keys, the login throttle.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::metrics::Metrics;

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub jwt: JwtKeys,
    /// Failed logins per e-mail: 10 per 15 minutes.
    pub login_by_email: RateLimiter,
    /// Login attempts per client address: 60 per minute.
    pub login_by_ip: RateLimiter,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        settings: Settings,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            jwt: JwtKeys::new(&settings.jwt_secret)?,
            db,
            settings,
            login_by_email: RateLimiter::new(10, Duration::from_secs(15 * 60)),
            login_by_ip: RateLimiter::new(60, Duration::from_secs(60)),
            metrics,
        })
    }
}
