//! Morocco's time in forms. A date-and-time field holds a wall-clock time without a zone; the
//! API wants an offset, and Morocco's has changed (UTC+01 with an hour back around Ramadan, then
//! UTC+00 for good from 2026-09-20). The browser knows the zone's rules (its own time-zone
//! database, kept current by its updates), so no zone data is shipped in the app.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};

/// The moment now, by the phone's clock (rules such as "registration open" and "may still
/// cancel" are checked against it before asking the server, which decides).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The form of a `datetime-local` field's value.
const FIELD: &str = "%Y-%m-%dT%H:%M";

/// A moment as a `datetime-local` field shows it, in the moment's own offset (the server
/// answers in Morocco's).
pub fn to_field(at: DateTime<FixedOffset>) -> String {
    at.naive_local().format(FIELD).to_string()
}

/// A `datetime-local` value read as Morocco's time; `None` when empty or not a date.
pub fn from_field(value: &str) -> Option<DateTime<FixedOffset>> {
    let wall = NaiveDateTime::parse_from_str(value.trim(), FIELD)
        .or_else(|_| NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    in_zone(wall, offset_at)
}

/// The day a moment falls on in Morocco, as a `date` field shows it (`2026-12-31`).
pub fn day_of(at: chrono::DateTime<chrono::Utc>) -> String {
    let offset = offset_at(at.timestamp_millis())
        .and_then(FixedOffset::east_opt)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
    at.with_timezone(&offset).format("%Y-%m-%d").to_string()
}

/// `wall` in a zone whose offset (seconds east) at a UTC moment (milliseconds) `offset_at`
/// gives. A wall time a change skips or repeats is read with one of the two offsets around it.
fn in_zone(
    wall: NaiveDateTime,
    offset_at: impl Fn(i64) -> Option<i32>,
) -> Option<DateTime<FixedOffset>> {
    let as_utc = wall.and_utc().timestamp_millis();
    let first = offset_at(as_utc)?;
    let second = offset_at(as_utc - i64::from(first) * 1000)?;
    let offset = if second == first {
        first
    } else {
        // Near a change: the offset in force at the moment this reading names.
        let third = offset_at(as_utc - i64::from(second) * 1000)?;
        if third == second { second } else { first }
    };
    FixedOffset::east_opt(offset)?
        .from_local_datetime(&wall)
        .single()
}

/// Morocco's offset at a UTC moment, from the browser.
fn offset_at(millis: i64) -> Option<i32> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis as f64));
    let options = js_sys::Object::new();
    for (name, value) in [
        ("timeZone", "Africa/Casablanca"),
        ("timeZoneName", "longOffset"),
    ] {
        js_sys::Reflect::set(&options, &name.into(), &value.into()).ok()?;
    }
    let text = date.to_locale_string("en-US", &options).as_string()?;
    parse_gmt_offset(&text)
}

/// The offset at the end of a date written with `timeZoneName: "longOffset"`: `GMT+01:00`, or
/// `GMT` alone for UTC; in seconds east.
fn parse_gmt_offset(text: &str) -> Option<i32> {
    let tail = &text[text.rfind("GMT")? + 3..];
    if tail.trim().is_empty() {
        return Some(0);
    }
    let sign = match tail.chars().next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let digits = tail[tail.chars().next()?.len_utf8()..].trim();
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    Some(sign * (hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_as_browsers_write_them() {
        assert_eq!(
            parse_gmt_offset("12/10/2026, 10:00:00 AM GMT+01:00"),
            Some(3600)
        );
        assert_eq!(parse_gmt_offset("3/1/2026, 10:00:00 AM GMT"), Some(0));
        assert_eq!(parse_gmt_offset("… GMT-03:30"), Some(-12_600));
        assert_eq!(parse_gmt_offset("… GMT\u{2212}05:00"), Some(-18_000));
        assert_eq!(parse_gmt_offset("no zone"), None);
    }

    /// A zone at +01:00 that goes to +00:00 for a month from 2026-02-15 02:00 (its time),
    /// as Morocco did around Ramadan until 2026.
    fn ramadan(millis: i64) -> Option<i32> {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 2, 15)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let end = start + 30 * 86_400_000;
        Some(if (start..end).contains(&millis) {
            0
        } else {
            3600
        })
    }

    fn wall(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, FIELD).unwrap()
    }

    #[test]
    fn a_wall_time_takes_the_offset_in_force_then() {
        let before = in_zone(wall("2026-02-10T10:00"), ramadan).unwrap();
        assert_eq!(before.to_rfc3339(), "2026-02-10T10:00:00+01:00");
        let during = in_zone(wall("2026-02-20T10:00"), ramadan).unwrap();
        assert_eq!(during.to_rfc3339(), "2026-02-20T10:00:00+00:00");
        // Clocks go back at 02:00: 01:30 happens twice, and is read at the later offset.
        let just_after = in_zone(wall("2026-02-15T01:30"), ramadan).unwrap();
        assert_eq!(just_after.to_rfc3339(), "2026-02-15T01:30:00+00:00");
        assert_eq!(to_field(during), "2026-02-20T10:00");
    }
}
