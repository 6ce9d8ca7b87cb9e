//! The language the server and the single-page app share.
//!
//! Everything here is pure: no I/O, no clock, no database. Request bodies arrive as plain
//! serde structs and are *parsed* into domain values (`Email`, `Password`, …) so that once a
//! handler holds one it is valid, and the SPA runs the very same checks before sending.

pub mod codes;
pub mod domain;
pub mod dto;
pub mod gathered;
pub mod inventory;
pub mod matching;
pub mod normalise;
pub mod orientation;
pub mod pages;
pub mod patterns;
pub mod search;
pub mod validation;

pub use domain::*;
pub use validation::{FieldError, FieldErrors};
