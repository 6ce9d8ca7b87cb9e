//! Opaque keyset cursors.
//!
//! A cursor is the last id of the previous page, base64-encoded so that clients treat it as
//! opaque and we can change its content later without breaking them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use shared::dto::{Page, page_size};

use crate::error::ApiError;

/// The page size asked for in `limit`, or a 422 on `limit`.
pub fn limit(requested: Option<u64>) -> Result<u64, ApiError> {
    page_size(requested).map_err(|invalid| ApiError::field("limit", invalid.code, invalid.message))
}

/// The cursor that continues after the row whose key is `last_key` (an id or a code).
pub fn encode(last_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{last_key}"))
}

pub fn decode_key(cursor: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("v1:").map(str::to_owned))
        .map(Some)
        .ok_or_else(|| {
            ApiError::field(
                "cursor",
                "cursor.invalid",
                "is not a cursor this API returned",
            )
        })
}

pub fn decode(cursor: Option<&str>) -> Result<Option<i64>, ApiError> {
    match decode_key(cursor)? {
        None => Ok(None),
        Some(key) => key.parse().map(Some).map_err(|_| {
            ApiError::field(
                "cursor",
                "cursor.invalid",
                "is not a cursor this API returned",
            )
        }),
    }
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says another page exists.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: u64,
    key: impl Fn(&R) -> String,
    view: impl Fn(R) -> T,
) -> Page<T> {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| encode(&key(r)))
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode(Some(&encode("42"))).unwrap(), Some(42));
        assert_eq!(decode(None).unwrap(), None);
        assert!(decode(Some("garbage!")).is_err());
        assert!(decode(Some(&encode("abc"))).is_err());
    }

    #[test]
    fn a_page_with_an_extra_row_has_a_cursor_to_its_last_item() {
        let page = page(vec![1, 2, 3], 2, |r| r.to_string(), |r| r * 10);
        assert_eq!(page.items, vec![10, 20]);
        assert_eq!(decode(page.next_cursor.as_deref()).unwrap(), Some(2));
        let last = super::page(vec![1, 2], 2, |r| r.to_string(), |r| r);
        assert!(last.next_cursor.is_none());
    }
}
