//! Keyset cursors, opaque to clients but of a stated form.
//!
//! A cursor names the last row of the previous page: `1` (the form's version, so it can change
//! without breaking stored cursors silently) then the row's key in lowercase hex. Every string of
//! the form the spec states on each list's `cursor` (`shared::patterns::ID_CURSOR` for ids,
//! `CODE_CURSOR` for codes, `PAIR_CURSOR` for a time and an id) is a position, so a client that checks the pattern is
//! never refused; anything else is a 422 on `cursor`.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};
use shared::codes;
use shared::dto::{Page, page_size};

use crate::error::ApiError;
/// The page size asked for in `limit`, or a 422 on `limit`.
pub fn limit(requested: Option<u64>) -> Result<u64, ApiError> {
    page_size(requested).map_err(|invalid| ApiError::field("limit", invalid.code, invalid.message))
}

/// The rows after a `(moment, id)` cursor in a list ordered by `moment` then `id`, ascending
/// (or both descending, `descending`): the moment of the cursor's microseconds (see
/// [`moment_of`]) with a later (earlier) one, or the same and a greater (smaller) id.
pub fn after_moment(
    moment: impl ColumnTrait,
    id: impl ColumnTrait,
    (micros, last): (i64, i64),
    descending: bool,
) -> Condition {
    let at = moment_of(micros);
    let (beyond, same) = if descending {
        (moment.lt(at), id.lt(last))
    } else {
        (moment.gt(at), id.gt(last))
    };
    Condition::any()
        .add(beyond)
        .add(Condition::all().add(moment.eq(at)).add(same))
}

/// The moment of a cursor's microseconds. Every cursor of the stated form is a position: one
/// beyond the years a database stores is taken as the first or last of them.
pub fn moment_of(micros: i64) -> DateTime<Utc> {
    storable(
        DateTime::from_timestamp_micros(micros).unwrap_or(if micros < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        }),
    )
}

/// `at` within the years both databases store (PostgreSQL's timestamps stop at 4713 BC): a
/// moment asked for outside them is the nearest one inside.
pub fn storable(at: DateTime<Utc>) -> DateTime<Utc> {
    let first = DateTime::<Utc>::from_timestamp(-62_135_596_800, 0).unwrap_or_default(); // 0001-01-01
    let last = DateTime::<Utc>::from_timestamp(253_402_300_799, 0).unwrap_or_default(); // 9999-12-31
    at.clamp(first, last)
}

/// A key a page can continue after.
pub trait CursorKey: Sized {
    fn encode(&self) -> String;
    fn decode(hex: &str) -> Option<Self>;
}

/// An id: sixteen hex digits, its 64 bits.
impl CursorKey for i64 {
    fn encode(&self) -> String {
        format!("{:016x}", *self as u64)
    }

    fn decode(hex: &str) -> Option<Self> {
        (hex.len() == 16)
            .then(|| u64::from_str_radix(hex, 16).ok())
            .flatten()
            .map(|bits| bits as i64)
    }
}

/// A code (an occupation's, a commune's): its UTF-8 bytes, one to 64, two hex digits each. Bytes
/// that are not UTF-8 still name a position in the order of codes.
impl CursorKey for String {
    fn encode(&self) -> String {
        self.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn decode(hex: &str) -> Option<Self> {
        if hex.is_empty() || hex.len() > 128 || !hex.len().is_multiple_of(2) {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Two numbers (a time in microseconds and an id, for a list ordered by time): thirty-two hex
/// digits, the 64 bits of each.
impl CursorKey for (i64, i64) {
    fn encode(&self) -> String {
        format!("{}{}", self.0.encode(), self.1.encode())
    }

    fn decode(hex: &str) -> Option<Self> {
        (hex.len() == 32).then_some(())?;
        Some((i64::decode(&hex[..16])?, i64::decode(&hex[16..])?))
    }
}

fn encode<K: CursorKey>(key: &K) -> String {
    format!("1{}", key.encode())
}

fn decode_as<K: CursorKey>(cursor: Option<&str>) -> Result<Option<K>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    cursor
        .strip_prefix('1')
        .filter(|hex| hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .and_then(K::decode)
        .map(Some)
        .ok_or_else(|| {
            ApiError::field(
                "cursor",
                codes::CURSOR_INVALID,
                "is not a cursor this API returned",
            )
        })
}

/// The cursor of a (time or score, id) position.
pub fn encode_pair(key: (i64, i64)) -> String {
    encode(&key)
}

/// The id after which a list ordered by id continues.
pub fn decode(cursor: Option<&str>) -> Result<Option<i64>, ApiError> {
    decode_as(cursor)
}

/// The (time, id) after which a list ordered by time, then id, continues.
pub fn decode_pair(cursor: Option<&str>) -> Result<Option<(i64, i64)>, ApiError> {
    decode_as(cursor)
}

/// The code after which a list ordered by code continues.
pub fn decode_key(cursor: Option<&str>) -> Result<Option<String>, ApiError> {
    decode_as(cursor)
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says another page exists.
pub fn page<R, T, K: CursorKey>(
    mut rows: Vec<R>,
    limit: u64,
    key: impl Fn(&R) -> K,
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
        assert_eq!(decode(Some(&encode(&42_i64))).unwrap(), Some(42));
        assert_eq!(decode(Some(&encode(&-7_i64))).unwrap(), Some(-7));
        assert_eq!(encode(&42_i64), "1000000000000002a");
        assert_eq!(decode(None).unwrap(), None);
        let code = "2631".to_owned();
        assert_eq!(decode_key(Some(&encode(&code))).unwrap(), Some(code));
        for garbage in [
            "garbage!",
            "",
            "1",
            "2000000000000002a",
            "1000000000000002A",
            "10000",
        ] {
            assert!(decode(Some(garbage)).is_err(), "{garbage}");
        }
        for garbage in ["1", "1abc", "1zz", "3231"] {
            assert!(decode_key(Some(garbage)).is_err(), "{garbage}");
        }
        let pair = (1_764_579_600_000_000_i64, 9_i64);
        assert_eq!(decode_pair(Some(&encode(&pair))).unwrap(), Some(pair));
        assert!(decode_pair(Some(&encode(&42_i64))).is_err());
        // Every string of the stated forms is a position, even bytes that are not UTF-8.
        assert_eq!(decode(Some("1ffffffffffffffff")).unwrap(), Some(-1));
        assert_eq!(
            decode_key(Some("1ff")).unwrap().as_deref(),
            Some("\u{fffd}")
        );
    }

    #[test]
    fn a_page_with_an_extra_row_has_a_cursor_to_its_last_item() {
        let page = page(vec![1_i64, 2, 3], 2, |r| *r, |r| r * 10);
        assert_eq!(page.items, vec![10, 20]);
        assert_eq!(decode(page.next_cursor.as_deref()).unwrap(), Some(2));
        let last = super::page(vec![1_i64, 2], 2, |r| *r, |r| r);
        assert!(last.next_cursor.is_none());
    }
}
