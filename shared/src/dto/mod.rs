//! Request and response bodies of the REST API, shared with the single-page app.

pub mod applications;
pub mod appointments;
pub mod auth;
pub mod centers;
pub mod events;
pub mod geo;
pub mod ingest;
pub mod notices;
pub mod offers;
pub mod organizations;
pub mod orientation;
pub mod saved;
pub mod users;

use serde::{Deserialize, Deserializer, Serialize};

use crate::codes;
use crate::validation::Invalid;

/// Largest page any list returns; lists are never unbounded.
pub const MAX_PAGE: u64 = 100;
/// Page size when the client does not ask for one.
pub const DEFAULT_PAGE: u64 = 20;

/// One page of a keyset-paginated list. Pass `next_cursor` back as `cursor` to get the next
/// page; it is absent on the last page. Cursors are opaque: do not build them by hand.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The requested page size, `DEFAULT_PAGE` when absent; outside `1..=MAX_PAGE` it is refused
/// rather than quietly changed, so a client never mistakes a short page for the end.
pub fn page_size(requested: Option<u64>) -> Result<u64, Invalid> {
    match requested {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(Invalid::new(
            codes::LIMIT_OUT_OF_RANGE,
            format!("must be between 1 and {MAX_PAGE}"),
        )),
    }
}

/// Where something takes place, as one line: "address, city", or whichever of the two is given.
pub fn place_line(address: Option<&str>, city: Option<&str>) -> Option<String> {
    match (address, city) {
        (Some(address), Some(city)) => Some(format!("{address}, {city}")),
        (one, None) | (None, one) => one.map(str::to_owned),
    }
}

/// Deserialises a field that distinguishes "absent" (`None`: leave unchanged) from `null`
/// (`Some(None)`: clear it), which PATCH bodies need.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
