//! Notices: what the platform tells a user in the app when something changed under her.
//! The e-mails of the same changes go out besides; a notice stays in the app for her to read.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{ApplicationStatus, NoticeKind};
use crate::dto::events::Translations;

/// One notice, with what it is about as it stands now.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i64,
    pub kind: NoticeKind,
    pub created_at: DateTime<Utc>,
    /// When she read it (opened her notices); `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
    /// The event a notice of an event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<NoticeEvent>,
    /// The appointment a notice of an appointment is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<NoticeAppointment>,
    /// The application a notice of an application is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<NoticeApplication>,
}

/// An event as a notice names it: its title, when and where it now takes place.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeEvent {
    pub id: i64,
    pub title: Translations,
    /// Morocco's time, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    /// Held online.
    pub online: bool,
    /// Where it takes place (address and city), unless online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// An appointment as a notice names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeAppointment {
    pub id: i64,
    /// Morocco's time, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    pub counselor_name: String,
}

/// An application as a notice names it: the offer and where the application stands now.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeApplication {
    pub id: i64,
    pub offer_id: i64,
    /// The offer's organisation (where its members read the applicants).
    #[serde(default)]
    pub organization_id: Option<i64>,
    pub offer_title: String,
    pub employer_name: String,
    pub status: Option<ApplicationStatus>,
}

/// Marks notices read: those up to `through` (the newest one she was shown), or all of them.
/// A notice that arrived after the page was read stays unread.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReadNoticesRequest {
    /// The id of the newest notice shown; absent: every notice.
    #[serde(default)]
    pub through: Option<i64>,
}
