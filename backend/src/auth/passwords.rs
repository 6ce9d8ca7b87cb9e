//! Argon2id password hashing, run on the blocking pool under a bound.
//!
//! A hash takes 19 MiB and tens of milliseconds of CPU on purpose. Unbounded, a burst of
//! registrations would run dozens at once and exhaust memory; so at most `concurrency` hashes
//! run, at most `queue` requests wait for a slot, and the rest are answered 503 with
//! `Retry-After` at once. Waiting does not hold an async worker: the hash runs on the blocking
//! pool once a slot is free.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use tokio::sync::{OnceCell, Semaphore};

use crate::error::ApiError;

/// Seconds a refused caller is asked to wait.
const RETRY_AFTER: u64 = 2;

/// The bounded hashing pool of one server.
#[derive(Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    queue: usize,
    /// The hash compared against when an e-mail is unknown, computed once.
    dummy: Arc<OnceCell<String>>,
}

impl Hasher {
    pub fn new(concurrency: usize, queue: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            queue,
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// Runs `work` on the blocking pool once a slot is free, or refuses with 503.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(ApiError::Unavailable {
                        retry_after: RETRY_AFTER,
                    });
                }
                let acquired = self.slots.clone().acquire_owned().await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                acquired.map_err(anyhow::Error::from)?
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(anyhow::Error::from)?
        .map_err(ApiError::Internal)
    }

    /// Hashes with Argon2id and the crate's default cost (19 MiB, 2 passes: OWASP's minimum).
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || {
            let mut bytes = [0u8; 16];
            rand::rng().fill_bytes(&mut bytes);
            let salt = SaltString::encode_b64(&bytes)
                .map_err(|e| anyhow::anyhow!("encoding salt: {e}"))?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
        })
        .await
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, ApiError> {
        self.run(move || {
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
        })
        .await
    }

    /// A hash of a random password, checked against when the e-mail is unknown so that a
    /// login takes as long whether or not the account exists.
    pub async fn dummy_hash(&self) -> Result<String, ApiError> {
        self.dummy
            .get_or_try_init(|| self.hash("not-a-real-password-0".to_owned()))
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_beyond_slots_and_queue_is_refused_not_queued_without_end() {
        let hasher = Hasher::new(1, 2);
        let attempts: Vec<_> = (0..12)
            .map(|n| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(format!("password-{n}")).await })
            })
            .collect();
        let mut hashed = 0;
        let mut refused = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => hashed += 1,
                Err(ApiError::Unavailable { .. }) => refused += 1,
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(hashed + refused, 12);
        assert!(
            hashed >= 3,
            "one running and two waiting always get through"
        );
        assert!(
            refused >= 1,
            "twelve at once cannot all fit in one slot and two places"
        );
        assert!(
            hasher
                .verify(
                    "password-0".into(),
                    hasher.hash("password-0".into()).await.unwrap()
                )
                .await
                .unwrap()
        );
    }
}
