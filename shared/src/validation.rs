//! Field-by-field validation errors.
//!
//! A field error carries a stable machine `code` (the SPA looks it up in its translation
//! catalogues, so the youth reads it in their own language) and an English `message` for API
//! clients that do not translate.

use serde::{Deserialize, Serialize};

use crate::codes::Code;

/// One rejected field of a request body or query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer-like name of the field, e.g. `email` or `sites[1].name`; empty when the
    /// refusal is about the request as a whole (a conflict with the state of things).
    pub field: String,
    /// Stable code such as `email.invalid`, used as a translation key (the codes are listed
    /// in `shared::codes`).
    pub code: String,
    /// Human-readable explanation in English.
    pub message: String,
}

/// Every problem found in one request, collected so the client can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: Code, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.as_str().to_owned(),
            message: message.into(),
        });
    }

    /// Parses one field, remembering its error under `field` and yielding `None` on failure, so
    /// a request parser can check every field before giving up.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.push(field, invalid.code, invalid.message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was rejected.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Why a single value was refused: a translation code and an English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: Code,
    pub message: String,
}

impl Invalid {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
