//! Short-lived JWT access tokens and opaque refresh tokens.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::hex;

/// Access tokens live five minutes by default (`ACCESS_TOKEN_SECONDS`): long enough for a
/// page's calls, short enough that a stolen one is soon useless. The SPA refreshes silently
/// through its cookie.
pub const ACCESS_TTL_SECONDS: i64 = 300;
/// A refresh token (and so a session left idle) lasts 30 days.
pub const REFRESH_TTL_DAYS: i64 = 30;
const ISSUER: &str = "careercenter";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// User id.
    sub: String,
    iss: String,
    iat: i64,
    exp: i64,
}

/// Keys derived once from `JWT_SECRET`.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Seconds an access token lives.
    pub ttl: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> anyhow::Result<Self> {
        Self::with_ttl(secret, ACCESS_TTL_SECONDS)
    }

    pub fn with_ttl(secret: &[u8], ttl: i64) -> anyhow::Result<Self> {
        Ok(Self {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            ttl,
        })
    }

    pub fn issue(&self, user_id: i64) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iss: ISSUER.into(),
            iat: now,
            exp: now + self.ttl,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The user id of a valid, unexpired token of ours; `None` otherwise.
    pub fn verify(&self, token: &str) -> Option<i64> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .and_then(|data| data.claims.sub.parse().ok())
    }
}

/// 256 random bits, hex-encoded: refresh tokens, token families, API key secrets.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// SHA-256 in hex. Fine for high-entropy tokens (unlike passwords, they cannot be guessed).
pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_token_verifies_and_a_tampered_one_does_not() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let token = keys.issue(42).unwrap();
        assert_eq!(keys.verify(&token), Some(42));
        let other = JwtKeys::new(b"fedcba9876543210fedcba9876543210").unwrap();
        assert_eq!(other.verify(&token), None);
        assert_eq!(keys.verify("not.a.token"), None);
    }
}
