//! Appointments with a counselor: the slots counselors offer at their center, one of its
//! satellite sites or online, and the youths' bookings of them.
//!
//! The rules the app and the server share live here: a slot lasts 15, 30 or 45 minutes; one
//! request offers up to [`MAX_SLOTS_AT_ONCE`] slots back to back; a youth cancels until her
//! center's delay before the start ([`youth_may_cancel`]); the outcome is recorded once the
//! meeting has begun.

use chrono::{DateTime, Duration, FixedOffset, SubsecRound as _, Utc};
use serde::{Deserialize, Serialize};

use crate::codes;
use crate::domain::{AppointmentStatus, SlotStatus, optional_text};
use crate::dto::organizations::parse_website;
use crate::validation::{FieldErrors, Invalid};

/// The lengths a slot may have, in minutes.
pub const SLOT_MINUTES: [i64; 3] = [15, 30, 45];
/// The most slots one request offers (a long day of 45-minute meetings).
pub const MAX_SLOTS_AT_ONCE: u32 = 16;
/// How far ahead a slot may be offered.
pub const MAX_SLOT_DAYS_AHEAD: i64 = 180;
/// The longest topic a youth gives when booking.
pub const MAX_TOPIC: usize = 500;
/// The longest outcome a counselor writes.
pub const MAX_OUTCOME: usize = 4000;
/// The longest delay a center may set for cancellations: a week.
pub const MAX_NOTICE_HOURS: i32 = 7 * 24;
/// The most upcoming appointments a youth holds at once: a counselor's time is shared.
pub const MAX_UPCOMING: u64 = 2;
/// The delay of a center that set none.
pub const DEFAULT_NOTICE_HOURS: i32 = 24;

/// Slots a counselor offers: `count` of `minutes` each, back to back from `starts_at`, at her
/// center, one of its sites (`site_id`) or online (`online_url`, shown only to the youth who
/// books).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSlotsRequest {
    /// RFC 3339 with an offset; in the future, within 180 days.
    pub starts_at: DateTime<FixedOffset>,
    /// 15, 30 or 45.
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 45))]
    pub minutes: i64,
    /// How many slots back to back (default 1).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 16))]
    pub count: Option<u32>,
    /// One of her center's satellite sites, where they take place.
    #[serde(default)]
    pub site_id: Option<i64>,
    /// Held online: the link of the meeting (`https://` or `http://`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub online_url: Option<String>,
}

/// Slots that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlots {
    /// Start and end of each, in order.
    pub times: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub site_id: Option<i64>,
    pub online_url: Option<String>,
}

impl CreateSlotsRequest {
    /// Checks the request as of `now`, which the caller supplies.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewSlots, FieldErrors> {
        let mut errors = FieldErrors::new();
        let starts_at = self.starts_at.with_timezone(&Utc).trunc_subsecs(0);
        if starts_at <= now {
            errors.push("starts_at", codes::DATE_NOT_FUTURE, "must be in the future");
        } else if starts_at > now + Duration::days(MAX_SLOT_DAYS_AHEAD) {
            errors.push(
                "starts_at",
                codes::DATE_TOO_FAR,
                format!("must be within {MAX_SLOT_DAYS_AHEAD} days"),
            );
        }
        if !SLOT_MINUTES.contains(&self.minutes) {
            errors.push(
                "minutes",
                codes::SLOT_MINUTES_INVALID,
                "must be 15, 30 or 45",
            );
        }
        let count = self.count.unwrap_or(1);
        if !(1..=MAX_SLOTS_AT_ONCE).contains(&count) {
            errors.push(
                "count",
                codes::SLOT_COUNT_OUT_OF_RANGE,
                format!("must be between 1 and {MAX_SLOTS_AT_ONCE}"),
            );
        }
        let online_url = match self.online_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => errors.check("online_url", parse_website(url)),
            None => None,
        };
        if online_url.is_some() && self.site_id.is_some() {
            errors.push(
                "site_id",
                codes::SITE_UNKNOWN,
                "an online slot takes place at no site",
            );
        }
        errors.finish(|| {
            let length = Duration::minutes(self.minutes);
            NewSlots {
                times: (0..i32::try_from(count).unwrap_or(1))
                    .map(|i| {
                        let start = starts_at + length * i;
                        (start, start + length)
                    })
                    .collect(),
                site_id: self.site_id,
                online_url,
            }
        })
    }
}

/// Where a slot takes place, as the youth reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotView {
    pub id: i64,
    pub status: SlotStatus,
    /// In Morocco's time, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// 15, 30 or 45.
    pub minutes: i64,
    pub counselor_id: i64,
    /// The counselor's first name and last name.
    pub counselor_name: String,
    pub center_id: i64,
    pub center_name: String,
    /// The satellite site where it takes place, if not the center itself.
    pub site_id: Option<i64>,
    /// Online: the link goes to the youth who booked it and the center's staff.
    pub online: bool,
    /// The site's or center's address (none online).
    pub address: Option<String>,
    pub city: Option<String>,
    /// Whether a youth holds it (a booked, held or missed appointment).
    pub taken: bool,
    /// The appointment it holds, for the center's staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<SlotBooking>,
}

/// Who booked a slot, for the center's staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotBooking {
    pub appointment_id: i64,
    pub youth_id: i64,
    pub youth_name: String,
    pub status: AppointmentStatus,
    /// What she wants to talk about.
    pub topic: Option<String>,
}

/// A youth's booking of a slot, told to her and to her center's staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentView {
    pub id: i64,
    pub status: AppointmentStatus,
    pub slot: SlotView,
    pub youth_id: i64,
    pub youth_name: String,
    /// What she wants to talk about.
    pub topic: Option<String>,
    /// The link of an online meeting, while it is booked or once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Until when she may cancel it herself (her center's delay before the start).
    pub cancellable_until: DateTime<FixedOffset>,
    /// `youth` or `staff`, once cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_by: Option<String>,
    /// What the counselor recorded of the meeting (seen by the youth and her center's staff).
    pub outcome: Option<String>,
    pub outcome_recorded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A youth's booking: the topic is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookSlotRequest {
    /// What she wants to talk about, in a line or two.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub topic: Option<String>,
}

impl BookSlotRequest {
    pub fn parse(&self) -> Result<Option<String>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let topic = errors
            .check("topic", optional_text(self.topic.as_deref(), MAX_TOPIC))
            .flatten();
        errors.finish(|| topic)
    }
}

/// What the counselor records once the meeting has begun: held (with what was said and agreed)
/// or missed. Recorded again, it replaces the previous record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// `held` or `no_show`.
    pub status: AppointmentStatus,
    /// What was said and agreed; the youth reads it in her follow-up.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub outcome: Option<String>,
}

/// An outcome that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: AppointmentStatus,
    pub outcome: Option<String>,
}

impl OutcomeRequest {
    pub fn parse(&self) -> Result<Outcome, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !matches!(
            self.status,
            AppointmentStatus::Held | AppointmentStatus::NoShow
        ) {
            errors.push(
                "status",
                codes::ENUM_UNKNOWN,
                "must be one of: held, no_show",
            );
        }
        let outcome = errors
            .check(
                "outcome",
                optional_text(self.outcome.as_deref(), MAX_OUTCOME),
            )
            .flatten();
        errors.finish(|| Outcome {
            status: self.status,
            outcome,
        })
    }
}

/// A held or missed meeting, as the youth's orientation follow-up lists it beside the notes
/// and the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingRecord {
    pub appointment_id: i64,
    pub status: AppointmentStatus,
    pub starts_at: DateTime<FixedOffset>,
    pub counselor_name: String,
    pub outcome: Option<String>,
}

/// A center's delay for cancellations, in hours: 0 to a week.
pub fn parse_notice_hours(hours: i32) -> Result<i32, Invalid> {
    if (0..=MAX_NOTICE_HOURS).contains(&hours) {
        Ok(hours)
    } else {
        Err(Invalid::new(
            codes::NOTICE_OUT_OF_RANGE,
            format!("must be between 0 and {MAX_NOTICE_HOURS} hours"),
        ))
    }
}

/// The last moment a youth may cancel a meeting starting at `starts_at` herself.
pub fn cancellable_until(starts_at: DateTime<Utc>, notice_hours: i32) -> DateTime<Utc> {
    starts_at - Duration::hours(i64::from(notice_hours))
}

/// Whether the youth may still cancel at `now` (the staff may until the start).
pub fn youth_may_cancel(
    status: AppointmentStatus,
    starts_at: DateTime<Utc>,
    notice_hours: i32,
    now: DateTime<Utc>,
) -> bool {
    status == AppointmentStatus::Booked && now < cancellable_until(starts_at, notice_hours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    fn request(minutes: i64, count: Option<u32>) -> CreateSlotsRequest {
        CreateSlotsRequest {
            starts_at: FixedOffset::east_opt(0)
                .unwrap()
                .with_ymd_and_hms(2026, 12, 2, 9, 0, 0)
                .unwrap(),
            minutes,
            count,
            site_id: None,
            online_url: None,
        }
    }

    #[test]
    fn slots_follow_each_other() {
        let slots = request(30, Some(3)).parse(now()).unwrap();
        let starts: Vec<String> = slots
            .times
            .iter()
            .map(|(s, e)| format!("{}-{}", s.format("%H:%M"), e.format("%H:%M")))
            .collect();
        assert_eq!(starts, ["09:00-09:30", "09:30-10:00", "10:00-10:30"]);
    }

    #[test]
    fn only_the_three_lengths_and_a_bounded_count() {
        let codes_of = |r: CreateSlotsRequest| {
            r.parse(now())
                .unwrap_err()
                .0
                .iter()
                .map(|e| format!("{}:{}", e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes_of(request(20, None)), ["minutes:minutes.invalid"]);
        assert_eq!(codes_of(request(15, Some(0))), ["count:count.out_of_range"]);
        assert_eq!(
            codes_of(request(45, Some(17))),
            ["count:count.out_of_range"]
        );
        for minutes in SLOT_MINUTES {
            assert!(request(minutes, Some(16)).parse(now()).is_ok());
        }
        let mut past = request(15, None);
        past.starts_at = FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
            .unwrap();
        assert_eq!(codes_of(past), ["starts_at:date.not_future"]);
    }

    #[test]
    fn a_youth_cancels_until_her_centers_delay() {
        let starts = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let booked = AppointmentStatus::Booked;
        assert!(youth_may_cancel(booked, starts, 12, now()));
        assert!(!youth_may_cancel(
            booked,
            starts,
            24,
            starts - Duration::hours(24)
        ));
        assert!(youth_may_cancel(
            booked,
            starts,
            0,
            starts - Duration::seconds(1)
        ));
        assert!(!youth_may_cancel(booked, starts, 0, starts));
        assert!(!youth_may_cancel(AppointmentStatus::Held, starts, 0, now()));
        assert!(parse_notice_hours(-1).is_err());
        assert!(parse_notice_hours(MAX_NOTICE_HOURS + 1).is_err());
    }
}
