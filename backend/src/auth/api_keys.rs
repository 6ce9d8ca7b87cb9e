//! Partner API keys: `cc_<8 hex prefix>_<64 hex secret>`.
//!
//! The prefix finds the row without scanning; the whole key is compared by its SHA-256 in
//! constant time. Only the prefix and the hash are stored, so a database leak leaks no key.

use super::tokens::{random_token, sha256_hex};

/// A freshly generated key: what to show once, and what to store.
pub struct GeneratedKey {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

pub fn generate() -> GeneratedKey {
    let prefix = format!("cc_{}", &random_token()[..8]);
    let secret = format!("{prefix}_{}", random_token());
    let hash = sha256_hex(&secret);
    GeneratedKey {
        secret,
        prefix,
        hash,
    }
}

/// The prefix of a presented key, if it has our shape.
pub fn prefix_of(presented: &str) -> Option<&str> {
    let prefix = presented.get(..11)?;
    (prefix.starts_with("cc_") && presented.as_bytes().get(11) == Some(&b'_')).then_some(prefix)
}

/// Compares without an early exit, so timing reveals nothing about the stored hash.
pub fn hashes_match(presented: &str, stored_hash: &str) -> bool {
    let computed = sha256_hex(presented);
    computed.len() == stored_hash.len()
        && computed
            .bytes()
            .zip(stored_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_found_by_its_prefix_and_matches_its_hash() {
        let key = generate();
        assert_eq!(prefix_of(&key.secret), Some(key.prefix.as_str()));
        assert!(hashes_match(&key.secret, &key.hash));
        assert!(!hashes_match(&format!("{}x", key.secret), &key.hash));
        assert_eq!(prefix_of("Bearer abc"), None);
    }
}
