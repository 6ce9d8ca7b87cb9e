//! Events (workshops, soft-skills trainings, conferences, company visits, job fairs,
//! information sessions) and the youths' registrations to them.
//!
//! Times travel as RFC 3339 with their offset. The server answers in Morocco's time
//! (`Africa/Casablanca` in the time-zone database: UTC+00 since 2026-09-20, UTC+01 with an hour
//! back around Ramadan before) and accepts any offset.

use chrono::{DateTime, Duration, FixedOffset, SubsecRound as _, Utc};
use serde::{Deserialize, Serialize};

use crate::codes;
use crate::domain::{
    EventAudience, EventKind, EventStatus, Locale, MAX_LINE, RegistrationStatus, optional_line,
    optional_text,
};
use crate::dto::double_option;
use crate::dto::organizations::parse_website;
use crate::orientation::RiasecArea;
use crate::validation::{FieldErrors, Invalid};

/// The longest description, per language.
pub const MAX_DESCRIPTION: usize = 5000;
/// The most seats an event may offer (a large job fair).
pub const MAX_CAPACITY: i32 = 20_000;
/// The longest an event may last.
pub const MAX_DAYS: i64 = 31;
/// How far ahead an event may be planned.
pub const MAX_DAYS_AHEAD: i64 = 2 * 366;
/// The most growth sectors an event may name.
pub const MAX_SECTORS: usize = 16;

/// A text given in one or more of the platform's languages; the app shows the one of its
/// interface, or another when that one is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Translations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Translations {
    /// The text in `locale`, else in French, Arabic or English, the first given.
    pub fn best(&self, locale: Locale) -> Option<&str> {
        let own = match locale {
            Locale::Fr => &self.fr,
            Locale::Ar => &self.ar,
            Locale::En => &self.en,
        };
        own.as_deref()
            .or(self.fr.as_deref())
            .or(self.ar.as_deref())
            .or(self.en.as_deref())
    }

    /// The language `best` picks for `locale`.
    pub fn language_of_best(&self, locale: Locale) -> Locale {
        let given = |l: Locale| match l {
            Locale::Fr => self.fr.is_some(),
            Locale::Ar => self.ar.is_some(),
            Locale::En => self.en.is_some(),
        };
        [locale, Locale::Fr, Locale::Ar, Locale::En]
            .into_iter()
            .find(|l| given(*l))
            .unwrap_or(locale)
    }

    fn is_empty(&self) -> bool {
        self.fr.is_none() && self.ar.is_none() && self.en.is_none()
    }

    /// Each language checked with `check`, blanks dropped; `required` asks for at least one.
    fn parse(
        &self,
        errors: &mut FieldErrors,
        field: &str,
        required: bool,
        check: impl Fn(Option<&str>) -> Result<Option<String>, Invalid>,
    ) -> Translations {
        let mut one = |lang: &str, raw: &Option<String>| {
            errors
                .check(&format!("{field}.{lang}"), check(raw.as_deref()))
                .flatten()
        };
        let parsed = Translations {
            fr: one("fr", &self.fr),
            ar: one("ar", &self.ar),
            en: one("en", &self.en),
        };
        let any_refused = [&self.fr, &self.ar, &self.en]
            .iter()
            .any(|raw| raw.as_deref().is_some_and(|r| !r.trim().is_empty()));
        if required && parsed.is_empty() && !any_refused {
            errors.push(
                field,
                codes::REQUIRED,
                "give it in at least one of fr, ar, en",
            );
        }
        parsed
    }
}

/// An event's title in one or more languages, each a line of at most 200 characters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TitleInput {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub fr: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub ar: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub en: Option<String>,
}

/// An event's description in one or more languages, each at most 5000 characters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DescriptionInput {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 5000, pattern = "optional_text")
    )]
    pub fr: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 5000, pattern = "optional_text")
    )]
    pub ar: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 5000, pattern = "optional_text")
    )]
    pub en: Option<String>,
}

impl From<&TitleInput> for Translations {
    fn from(t: &TitleInput) -> Self {
        Translations {
            fr: t.fr.clone(),
            ar: t.ar.clone(),
            en: t.en.clone(),
        }
    }
}

impl From<&DescriptionInput> for Translations {
    fn from(t: &DescriptionInput) -> Self {
        Translations {
            fr: t.fr.clone(),
            ar: t.ar.clone(),
            en: t.en.clone(),
        }
    }
}

/// An event as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub id: i64,
    pub kind: EventKind,
    pub status: EventStatus,
    pub title: Translations,
    pub description: Translations,
    /// In Morocco's time, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// The organising center, when a center runs it.
    pub center_id: Option<i64>,
    /// The center's satellite site where it takes place, if not the center itself.
    pub site_id: Option<i64>,
    /// The organising organisation, when a partner or an employer runs it.
    pub organization_id: Option<i64>,
    /// Who runs it: the center's or the organisation's name.
    pub organizer_name: String,
    /// Held online: the link is given to registered youths and organisers only.
    pub online: bool,
    /// The link of an online event, for those who may see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Where it takes place (the site's or center's address, or the organiser's).
    pub address: Option<String>,
    pub city: Option<String>,
    pub capacity: i32,
    /// Seats not yet taken.
    pub seats_left: i32,
    /// Youths waiting for a seat.
    pub waitlisted: i32,
    /// Registration opens then (from publication when absent).
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    /// Registration closes then (at the start when absent).
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    pub audience: EventAudience,
    /// Growth sectors it serves (codes).
    pub sectors: Vec<String>,
    /// RIASEC areas it serves.
    pub areas: Vec<RiasecArea>,
    /// Whether the caller organises this event (and may publish, cancel, complete it and read
    /// its roster).
    #[serde(default)]
    pub organised: bool,
    /// The caller's own registration, for a signed-in youth who has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_registration: Option<RegistrationView>,
    pub created_at: DateTime<Utc>,
}

/// An upcoming event a result recommends: it serves one of the youth's strongest areas or one
/// of her recommended sectors, and she may register (published, not started, open to her).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventSuggestion {
    pub id: i64,
    pub kind: EventKind,
    pub title: Translations,
    /// In Morocco's time, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    pub online: bool,
}

/// A youth's registration to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationView {
    pub id: i64,
    pub event_id: i64,
    pub user_id: i64,
    pub status: RegistrationStatus,
    /// Place in line while waitlisted: 1 is next to get a seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<i64>,
    /// The check-in code, for the youth herself and the event's organisers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The code as a QR code (SVG), for the youth herself while she holds a seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
    /// When she was checked in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Her certificate's code, once she attended a soft-skills training (for her and the
    /// organisers); anyone checks it at `GET /certificates/{code}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A certificate of attendance at a soft-skills training, as anyone may check it: who, which
/// training, given by whom and when; nothing else about the youth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub code: String,
    /// The youth's name as on her account.
    pub holder: String,
    pub training: Translations,
    pub kind: EventKind,
    pub organizer_name: String,
    /// The day of the training, in Morocco.
    pub held_on: chrono::NaiveDate,
    pub attended_at: DateTime<Utc>,
}

/// Characters of a certificate's code (about 78 bits: it is checked without any account).
pub const CERTIFICATE_CODE_LENGTH: usize = 16;

/// A youth's private calendar feed: an address to give a calendar app once, which then shows
/// her registrations as they change. Whoever has it sees them: a new one replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    pub url: String,
}

/// One line of an event's roster, for its organisers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    #[serde(flatten)]
    pub registration: RegistrationView,
    pub first_name: String,
    pub last_name: String,
}

/// A check-in: the code the youth shows (scanned or typed), or her registration picked from
/// the roster.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// The code of the youth's QR code; case and spaces do not matter.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub code: Option<String>,
    /// Or the registration's id, from the roster.
    #[serde(default)]
    pub registration_id: Option<i64>,
}

/// What a check-in names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    Code(String),
    Registration(i64),
}

/// The characters of a check-in code: no 0/O, 1/I/L or U, so it reads and types without
/// doubt.
pub const CODE_ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code: 10 of 30, about 49 bits.
pub const CODE_LENGTH: usize = 10;

/// A typed code as stored: capitals, without the spaces or dashes it may be written with.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `code` (normalised) is made only of [`CODE_ALPHABET`]'s characters.
pub fn is_code(code: &str) -> bool {
    code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

impl CheckInRequest {
    pub fn parse(&self) -> Result<CheckIn, FieldErrors> {
        let mut errors = FieldErrors::new();
        let checked = match (&self.code, self.registration_id) {
            (Some(raw), None) => {
                let code = normalise_code(raw);
                if raw.chars().count() > 40 {
                    errors.push("code", codes::TOO_LONG, "must be at most 40 characters");
                    None
                } else if code.is_empty() {
                    errors.push("code", codes::REQUIRED, "give the code or the registration");
                    None
                } else if !is_code(&code) {
                    // No code has them: said at once, and never sent to the database.
                    errors.push(
                        "code",
                        codes::CHECKIN_UNKNOWN,
                        "a code is made of the letters and digits on the ticket",
                    );
                    None
                } else {
                    Some(CheckIn::Code(code))
                }
            }
            (None, Some(id)) => Some(CheckIn::Registration(id)),
            _ => {
                errors.push(
                    "code",
                    codes::REQUIRED,
                    "give either the code or the registration_id",
                );
                None
            }
        };
        errors.finish(|| checked.expect("checked"))
    }
}

/// A new event. It starts as a draft, seen only by its organisers, until published.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateEventRequest {
    pub kind: EventKind,
    /// At least one language.
    pub title: TitleInput,
    #[serde(default)]
    pub description: DescriptionInput,
    /// RFC 3339 with an offset; in the future, within two years.
    pub starts_at: DateTime<FixedOffset>,
    /// After the start, at most 31 days later.
    pub ends_at: DateTime<FixedOffset>,
    /// The organising center (its counselors and admins). Give this or `organization_id`.
    #[serde(default)]
    pub center_id: Option<i64>,
    /// One of the center's satellite sites, where it takes place.
    #[serde(default)]
    pub site_id: Option<i64>,
    /// The organising organisation (its members, or its API key with `events:write`).
    #[serde(default)]
    pub organization_id: Option<i64>,
    #[serde(default)]
    pub online: bool,
    /// Required when `online`: an `https://` or `http://` address.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub online_url: Option<String>,
    /// Where an organisation's event takes place (a center's is at the center or its site).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub address: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub city: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20000))]
    pub capacity: i32,
    #[serde(default)]
    pub registration_opens_at: Option<DateTime<FixedOffset>>,
    /// At the latest the start.
    #[serde(default)]
    pub registration_closes_at: Option<DateTime<FixedOffset>>,
    /// `center` only for a center's event. Default `public`.
    #[serde(default)]
    pub audience: Option<EventAudience>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub sectors: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub areas: Vec<RiasecArea>,
}

/// Whose an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Organizer {
    Center {
        center_id: i64,
        site_id: Option<i64>,
    },
    Organization(i64),
}

/// An event that passed the checks that need no database.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: Translations,
    pub description: Translations,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organizer: Organizer,
    pub online_url: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub audience: EventAudience,
    pub sectors: Vec<String>,
    pub areas: Vec<RiasecArea>,
}

/// Whether `code` has the form of a growth sector's code (`patterns::SECTOR_CODE`).
pub fn is_sector_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A capacity within 1 and [`MAX_CAPACITY`].
pub fn parse_capacity(capacity: i32) -> Result<i32, Invalid> {
    if (1..=MAX_CAPACITY).contains(&capacity) {
        Ok(capacity)
    } else {
        Err(Invalid::new(
            codes::CAPACITY_OUT_OF_RANGE,
            format!("must be between 1 and {MAX_CAPACITY}"),
        ))
    }
}

/// The organiser named by a request: exactly one of a center and an organisation.
pub fn parse_organizer(
    center_id: Option<i64>,
    site_id: Option<i64>,
    organization_id: Option<i64>,
) -> Result<Organizer, Invalid> {
    match (center_id, organization_id) {
        (Some(center_id), None) => Ok(Organizer::Center { center_id, site_id }),
        (None, Some(org)) if site_id.is_none() => Ok(Organizer::Organization(org)),
        (None, Some(_)) => Err(Invalid::new(
            codes::SITE_UNKNOWN,
            "a site belongs to a center's event",
        )),
        _ => Err(Invalid::new(
            codes::ORGANIZER_EXACTLY_ONE,
            "give center_id or organization_id, not both",
        )),
    }
}

impl CreateEventRequest {
    /// Checks the request as of `now`, which the caller supplies (this crate reads no clock).
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = Translations::from(&self.title).parse(&mut errors, "title", true, |raw| {
            optional_line(raw, MAX_LINE)
        });
        let description =
            Translations::from(&self.description).parse(&mut errors, "description", false, |raw| {
                optional_text(raw, MAX_DESCRIPTION)
            });
        // Whole seconds: a list continues after a cursor of its last start, in microseconds.
        let starts_at = self.starts_at.with_timezone(&Utc).trunc_subsecs(0);
        let ends_at = self.ends_at.with_timezone(&Utc).trunc_subsecs(0);
        if starts_at <= now {
            errors.push("starts_at", codes::DATE_NOT_FUTURE, "must be in the future");
        } else if starts_at > now + Duration::days(MAX_DAYS_AHEAD) {
            errors.push("starts_at", codes::DATE_TOO_FAR, "must be within two years");
        }
        check_span(&mut errors, starts_at, ends_at);
        // Refused under the field to mend: the site given with an organisation, or both ids.
        let organizer_field = match (self.center_id, self.organization_id) {
            (None, Some(_)) if self.site_id.is_some() => "site_id",
            (_, Some(_)) => "organization_id",
            _ => "center_id",
        };
        let organizer = errors.check(
            organizer_field,
            parse_organizer(self.center_id, self.site_id, self.organization_id),
        );
        let online_url = if self.online {
            match self.online_url.as_deref().filter(|u| !u.trim().is_empty()) {
                Some(url) => errors.check("online_url", parse_website(url)),
                None => {
                    errors.push(
                        "online_url",
                        codes::REQUIRED,
                        "an online event needs its link",
                    );
                    None
                }
            }
        } else {
            if self
                .online_url
                .as_deref()
                .is_some_and(|u| !u.trim().is_empty())
            {
                errors.push(
                    "online_url",
                    codes::URL_INVALID,
                    "only an online event has a link",
                );
            }
            None
        };
        let address = errors
            .check("address", optional_line(self.address.as_deref(), MAX_LINE))
            .flatten();
        let city = errors
            .check("city", optional_line(self.city.as_deref(), MAX_LINE))
            .flatten();
        if !self.online
            && city.is_none()
            && matches!(organizer, Some(Organizer::Organization(_)))
            && self.city.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            errors.push("city", codes::REQUIRED, "an event in person needs its city");
        }
        // A center's event takes place at the center or one of its sites, whose address the
        // event shows.
        if matches!(organizer, Some(Organizer::Center { .. })) {
            for (field, value) in [("address", &self.address), ("city", &self.city)] {
                if value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
                    errors.push(
                        field,
                        codes::PLACE_OF_CENTER,
                        "a center's event is at the center or one of its sites (site_id)",
                    );
                }
            }
        }
        let capacity = errors.check("capacity", parse_capacity(self.capacity));
        let opens = self
            .registration_opens_at
            .map(|t| t.with_timezone(&Utc).trunc_subsecs(0));
        let closes = self
            .registration_closes_at
            .map(|t| t.with_timezone(&Utc).trunc_subsecs(0));
        check_window(&mut errors, opens, closes, starts_at);
        if opens.is_some_and(|o| o < now - Duration::days(MAX_DAYS_AHEAD)) {
            errors.push(
                "registration_opens_at",
                codes::REGISTRATION_WINDOW_INVALID,
                "must be within two years of now",
            );
        }
        let audience = self.audience.unwrap_or(EventAudience::Public);
        if audience == EventAudience::Center && self.center_id.is_none() {
            errors.push(
                "audience",
                codes::AUDIENCE_NEEDS_CENTER,
                "only a center's event can be for its youths alone",
            );
        }
        // Counted as sent, as the spec's `maxItems` counts them.
        if self.sectors.len() > MAX_SECTORS {
            errors.push(
                "sectors",
                codes::TOO_MANY,
                format!("at most {MAX_SECTORS} sectors"),
            );
        }
        if self.areas.len() > RiasecArea::ALL.len() {
            errors.push("areas", codes::TOO_MANY, "at most the six areas");
        }
        let mut sectors: Vec<String> = self.sectors.iter().map(|s| s.trim().to_owned()).collect();
        if !sectors.iter().all(|s| is_sector_code(s)) {
            errors.push(
                "sectors",
                codes::SECTOR_UNKNOWN,
                "names a growth sector that does not exist",
            );
        }
        sectors.sort();
        sectors.dedup();
        let mut areas = self.areas.clone();
        areas.sort_by_key(|a| a.index());
        areas.dedup();
        errors.finish(|| NewEvent {
            kind: self.kind,
            title,
            description,
            starts_at,
            ends_at,
            organizer: organizer.expect("checked"),
            online_url,
            address,
            city,
            capacity: capacity.expect("checked"),
            registration_opens_at: opens,
            registration_closes_at: closes,
            audience,
            sectors,
            areas,
        })
    }
}

/// Changes to an event, by its organisers, until its check-ins open (an hour before the start).
/// Absent fields stay; `null` clears an optional one (and is refused for one that cannot be
/// empty); `title`, `description`, `sectors` and `areas` are replaced whole. The organiser does
/// not change. The event as changed is checked as a new one would be, and:
/// the capacity never goes below the seats taken (a raised capacity gives the new seats to the
/// first youths waiting at once), and a published event's audience may widen, not narrow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateEventRequest {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<EventKind>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<TitleInput>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<DescriptionInput>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub starts_at: Option<DateTime<FixedOffset>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub ends_at: Option<DateTime<FixedOffset>>,
    /// A center's event only: one of its sites, or `null` for the center itself.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub site_id: Option<Option<i64>>,
    /// Set to `false`, the link is dropped unless `online_url` is given too (then refused).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub online: Option<bool>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub online_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub address: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub city: Option<Option<String>>,
    /// At least the seats already taken.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20000))]
    pub capacity: Option<i32>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<FixedOffset>>))]
    pub registration_opens_at: Option<Option<DateTime<FixedOffset>>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<FixedOffset>>))]
    pub registration_closes_at: Option<Option<DateTime<FixedOffset>>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<EventAudience>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub sectors: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub areas: Option<Vec<RiasecArea>>,
}

/// A PATCH field that cannot be cleared: absent leaves it, `null` is refused (as a value of
/// the wrong type) rather than read as absent.
fn present<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Whether organisers may still change an event at `now`: a draft or published event, until its
/// check-ins open (an hour before the start: [`CHECK_IN_OPENS_MINUTES`]); after that, who came is
/// being recorded against the event as it stands.
pub fn editable(status: EventStatus, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    matches!(status, EventStatus::Draft | EventStatus::Published)
        && now < starts_at - Duration::minutes(CHECK_IN_OPENS_MINUTES)
}

/// How long before an event's start its check-ins open.
pub const CHECK_IN_OPENS_MINUTES: i64 = 60;

impl UpdateEventRequest {
    /// The event `current` (as a creation request) with these changes made.
    pub fn apply(&self, current: &CreateEventRequest) -> CreateEventRequest {
        let mut next = current.clone();
        if let Some(kind) = self.kind {
            next.kind = kind;
        }
        if let Some(title) = &self.title {
            next.title = title.clone();
        }
        if let Some(description) = &self.description {
            next.description = description.clone();
        }
        if let Some(starts_at) = self.starts_at {
            next.starts_at = starts_at;
        }
        if let Some(ends_at) = self.ends_at {
            next.ends_at = ends_at;
        }
        if let Some(site) = self.site_id {
            next.site_id = site;
        }
        if let Some(online) = self.online {
            next.online = online;
            if !online && self.online_url.is_none() {
                next.online_url = None;
            }
        }
        if let Some(url) = &self.online_url {
            next.online_url = url.clone();
        }
        if let Some(address) = &self.address {
            next.address = address.clone();
        }
        if let Some(city) = &self.city {
            next.city = city.clone();
        }
        if let Some(capacity) = self.capacity {
            next.capacity = capacity;
        }
        if let Some(opens) = self.registration_opens_at {
            next.registration_opens_at = opens;
        }
        if let Some(closes) = self.registration_closes_at {
            next.registration_closes_at = closes;
        }
        if let Some(audience) = self.audience {
            next.audience = Some(audience);
        }
        if let Some(sectors) = &self.sectors {
            next.sectors = sectors.clone();
        }
        if let Some(areas) = &self.areas {
            next.areas = areas.clone();
        }
        next
    }
}

/// An end after the start, at most [`MAX_DAYS`] later.
fn check_span(errors: &mut FieldErrors, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
    if ends_at <= starts_at {
        errors.push(
            "ends_at",
            codes::ENDS_BEFORE_START,
            "must be after starts_at",
        );
    } else if ends_at - starts_at > Duration::days(MAX_DAYS) {
        errors.push(
            "ends_at",
            codes::EVENT_TOO_LONG,
            format!("an event lasts at most {MAX_DAYS} days"),
        );
    }
}

/// A window that opens before it closes and closes at the latest at the start.
fn check_window(
    errors: &mut FieldErrors,
    opens: Option<DateTime<Utc>>,
    closes: Option<DateTime<Utc>>,
    starts_at: DateTime<Utc>,
) {
    if closes.is_some_and(|c| c > starts_at) {
        errors.push(
            "registration_closes_at",
            codes::REGISTRATION_WINDOW_INVALID,
            "must be at the latest the start",
        );
    } else if let (Some(o), Some(c)) = (opens, closes)
        && o >= c
    {
        errors.push(
            "registration_opens_at",
            codes::REGISTRATION_WINDOW_INVALID,
            "must be before registration_closes_at",
        );
    } else if opens.is_some_and(|o| o >= starts_at) {
        errors.push(
            "registration_opens_at",
            codes::REGISTRATION_WINDOW_INVALID,
            "must be before the start",
        );
    }
}

/// Whether a youth may register (or join the waitlist) at `now`: the event is published,
/// the window is open, and it has not started.
pub fn registration_open(
    status: EventStatus,
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    opens: Option<DateTime<Utc>>,
    closes: Option<DateTime<Utc>>,
) -> bool {
    status == EventStatus::Published
        && now < starts_at
        && opens.is_none_or(|o| now >= o)
        && closes.is_none_or(|c| now < c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    fn at(day: u32, hour: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, day, hour, 0, 0)
            .unwrap()
    }

    fn workshop() -> CreateEventRequest {
        serde_json::from_value(serde_json::json!({
            "kind": "workshop",
            "title": {"fr": "Réussir son CV"},
            "starts_at": at(10, 10).to_rfc3339(),
            "ends_at": at(10, 12).to_rfc3339(),
            "center_id": 1,
            "capacity": 25
        }))
        .unwrap()
    }

    fn codes_of(request: &CreateEventRequest) -> Vec<(String, String)> {
        match request.parse(now()) {
            Ok(_) => vec![],
            Err(errors) => errors.0.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_center_workshop_parses_in_utc() {
        let event = workshop().parse(now()).unwrap();
        assert_eq!(
            event.starts_at,
            Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap()
        );
        assert_eq!(
            event.organizer,
            Organizer::Center {
                center_id: 1,
                site_id: None
            }
        );
        assert_eq!(event.audience, EventAudience::Public);
    }

    #[test]
    fn times_and_capacity_are_checked() {
        let mut r = workshop();
        r.ends_at = r.starts_at;
        assert_eq!(
            codes_of(&r),
            [("ends_at".into(), "ends_at.before_start".into())]
        );
        r = workshop();
        r.ends_at = at(10, 10) + Duration::days(40);
        assert_eq!(codes_of(&r)[0].1, "ends_at.too_long");
        for bad in [0, -1, MAX_CAPACITY + 1, 1_000_000_000] {
            r = workshop();
            r.capacity = bad;
            assert_eq!(
                codes_of(&r),
                [("capacity".into(), "capacity.out_of_range".into())]
            );
        }
        r = workshop();
        r.starts_at = at(1, 9);
        assert_eq!(
            codes_of(&r)[0],
            ("starts_at".into(), "date.not_future".into())
        );
    }

    #[test]
    fn the_window_closes_at_the_latest_at_the_start() {
        let mut r = workshop();
        r.registration_closes_at = Some(at(10, 11));
        assert_eq!(codes_of(&r)[0].1, "registration_window.invalid");
        r.registration_closes_at = Some(at(9, 18));
        r.registration_opens_at = Some(at(9, 18));
        assert_eq!(codes_of(&r)[0].0, "registration_opens_at");
        r.registration_opens_at = Some(at(2, 8));
        assert!(r.parse(now()).is_ok());
    }

    #[test]
    fn an_organizer_and_a_title_are_required() {
        let mut r = workshop();
        r.organization_id = Some(3);
        assert_eq!(
            codes_of(&r)[0],
            ("organization_id".into(), "organizer.exactly_one".into())
        );
        r.center_id = None;
        // An organisation's event in person says where.
        assert_eq!(codes_of(&r), [("city".into(), "required".into())]);
        r.title = TitleInput::default();
        r.city = Some("Fès".into());
        assert_eq!(codes_of(&r), [("title".into(), "required".into())]);
        r.title.ar = Some("  ".into());
        assert_eq!(codes_of(&r), [("title".into(), "required".into())]);
        r.title.ar = Some("ورشة".into());
        r.audience = Some(EventAudience::Center);
        assert_eq!(codes_of(&r)[0].1, "audience.needs_center");
    }

    #[test]
    fn an_online_event_has_a_link_and_only_it() {
        let mut r = workshop();
        r.online = true;
        assert_eq!(codes_of(&r), [("online_url".into(), "required".into())]);
        r.online_url = Some("meet.example.ma".into());
        assert_eq!(codes_of(&r)[0].1, "url.invalid");
        r.online_url = Some("https://meet.example.ma/cv".into());
        assert!(r.parse(now()).is_ok());
        r.online = false;
        assert_eq!(codes_of(&r)[0].1, "url.invalid");
    }

    #[test]
    fn registration_follows_status_window_and_start() {
        let start = now() + Duration::days(2);
        let open = |status, t, o, c| registration_open(status, t, start, o, c);
        assert!(open(EventStatus::Published, now(), None, None));
        assert!(!open(EventStatus::Draft, now(), None, None));
        assert!(!open(EventStatus::Cancelled, now(), None, None));
        assert!(!open(EventStatus::Published, start, None, None));
        assert!(!open(
            EventStatus::Published,
            now(),
            Some(now() + Duration::hours(1)),
            None
        ));
        assert!(!open(EventStatus::Published, now(), None, Some(now())));
        assert!(open(
            EventStatus::Published,
            now(),
            Some(now()),
            Some(now() + Duration::hours(1))
        ));
    }

    #[test]
    fn a_typed_code_reads_like_the_printed_one() {
        assert_eq!(normalise_code(" k7m-2q9 x4b "), "K7M2Q9X4B");
        let both = CheckInRequest {
            code: Some("K7M".into()),
            registration_id: Some(3),
        };
        assert!(both.parse().is_err());
        let strange = CheckInRequest {
            code: Some("K7M\u{0}".into()),
            registration_id: None,
        };
        assert!(strange.parse().is_err());
        let blank = CheckInRequest {
            code: Some(" - ".into()),
            registration_id: None,
        };
        assert!(blank.parse().is_err());
    }

    #[test]
    fn a_missing_language_falls_back() {
        let t = Translations {
            fr: None,
            ar: Some("ورشة".into()),
            en: Some("Workshop".into()),
        };
        assert_eq!(t.best(Locale::En), Some("Workshop"));
        assert_eq!(t.best(Locale::Fr), Some("ورشة"));
        assert_eq!(t.language_of_best(Locale::Fr), Locale::Ar);
    }
}
