//! Sources of gathered offers, as admins configure them, and each run's record.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::IngestSourceKind;
use crate::codes;
use crate::domain::required_line;
use crate::dto::organizations::parse_website;
use crate::gathered::{Columns, FIELDS};
use crate::validation::FieldErrors;
use crate::validation::Invalid;

/// Fewest minutes between two polls of a source.
pub const MIN_EVERY_MINUTES: i32 = 15;
/// Most minutes between two polls of a source (a day).
pub const MAX_EVERY_MINUTES: i32 = 24 * 60;
/// Most characters of a source's name.
pub const MAX_SOURCE_NAME: usize = 100;
/// Most characters of a source's address.
pub const MAX_SOURCE_URL: usize = 500;

/// A source as an admin sends it (created, or replaced whole).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IngestSourceInput {
    /// The site the offers are published on, shown to youths ("rekrute.com"); unique.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = "line")
    )]
    pub name: String,
    /// `feed` (RSS 2.0, Atom or JSON Feed, told apart by their content), `json_ld` (web pages
    /// carrying schema.org `JobPosting` blocks) or `csv` (a partner's file with a header line).
    /// `file` is for imports from the command line only.
    #[cfg_attr(feature = "openapi", schema(value_type = PolledSourceKind))]
    pub kind: IngestSourceKind,
    /// Where it is fetched: an `http(s)` address.
    #[cfg_attr(feature = "openapi", schema(max_length = 500, pattern = "website"))]
    pub url: String,
    /// Minutes between two polls, 15 to 1440 (default 60).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 1440))]
    pub every_minutes: Option<i32>,
    /// For `csv` (kept, unused, for the other kinds): which of the file's columns hold each field (`{"title": ["Intitulé"]}`),
    /// when not the field's own name. The fields: id, title, description, employer, place,
    /// contract, education, experience, posted, valid_through, salary, remote, sector, url.
    /// A field given no column (or `null`) keeps its own name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SourceColumns>))]
    pub columns: Option<BTreeMap<String, Option<Vec<String>>>>,
    /// Polled while `true` (default).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// The fields a CSV source's `columns` may name, each with the file's columns that hold it
/// (the spec's view of `columns`: any other field is refused).
#[cfg(feature = "openapi")]
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SourceColumns {
    id: Option<Vec<String>>,
    title: Option<Vec<String>>,
    description: Option<Vec<String>>,
    employer: Option<Vec<String>>,
    place: Option<Vec<String>>,
    contract: Option<Vec<String>>,
    education: Option<Vec<String>>,
    experience: Option<Vec<String>>,
    posted: Option<Vec<String>>,
    valid_through: Option<Vec<String>>,
    salary: Option<Vec<String>>,
    remote: Option<Vec<String>>,
    sector: Option<Vec<String>>,
    url: Option<Vec<String>>,
}

/// The kinds of sources an admin adds (the spec's view of `kind`: `file` is refused).
#[cfg(feature = "openapi")]
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum PolledSourceKind {
    Feed,
    JsonLd,
    Csv,
}

/// A source checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIngestSource {
    pub name: String,
    pub kind: IngestSourceKind,
    pub url: String,
    pub every_minutes: i32,
    pub columns: Option<Columns>,
    pub enabled: bool,
}

impl IngestSourceInput {
    pub fn parse(&self) -> Result<NewIngestSource, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_line(&self.name, MAX_SOURCE_NAME));
        if self.kind == IngestSourceKind::File {
            errors.push(
                "kind",
                codes::ENUM_UNKNOWN,
                "must be one of: feed, json_ld, csv (a file is imported with `careercenter import`)",
            );
        }
        let url = errors.check(
            "url",
            if self.url.chars().count() > MAX_SOURCE_URL {
                Err(Invalid::new(codes::TOO_LONG, "at most 500 characters"))
            } else {
                parse_website(&self.url)
            },
        );
        let every_minutes = self.every_minutes.unwrap_or(60);
        if !(MIN_EVERY_MINUTES..=MAX_EVERY_MINUTES).contains(&every_minutes) {
            errors.push(
                "every_minutes",
                codes::EVERY_OUT_OF_RANGE,
                "must be between 15 and 1440 minutes",
            );
        }
        let columns = match &self.columns {
            None => None,
            Some(given) => {
                let mut columns = Columns::default();
                for (field, names) in given {
                    let names: Vec<String> = names
                        .iter()
                        .flatten()
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect();
                    if !FIELDS.contains(&field.as_str()) {
                        errors.push(
                            format!("columns.{field}"),
                            codes::COLUMN_UNKNOWN,
                            format!("is not a field; the fields are {}", FIELDS.join(", ")),
                        );
                    } else if !names.is_empty() {
                        columns.0.insert(field.clone(), names);
                    }
                }
                Some(columns)
            }
        };
        errors.finish(|| NewIngestSource {
            name: name.unwrap_or_default(),
            kind: self.kind,
            url: url.unwrap_or_default(),
            every_minutes,
            columns,
            enabled: self.enabled.unwrap_or(true),
        })
    }
}

/// Why records of a run were refused or dropped: how many, the first records' numbers (from
/// 1, in the document's order) and the first one's refusal in the server's words. Its key in
/// `reasons` is `field:code` (the code of a problem document's field error), `record:unreadable`,
/// or `dropped:encoding`, `dropped:no_title`, `dropped:no_block`, `dropped:unreadable_block`,
/// `dropped:unreadable_record` for what reading the document left out or mended.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DropReason {
    pub count: u64,
    pub records: Vec<u64>,
    pub example: String,
}

/// One run of a source: a poll or an import.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestRunView {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `running`, `finished`, `not_modified` (the source said nothing changed),
    /// `interrupted` (an import stopped, to resume) or `failed` (`error` says why).
    pub status: String,
    /// Records read.
    pub fetched: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub duplicates: i32,
    pub rejected: i32,
    /// Each reason records were rejected or dropped, by key (see `DropReason`).
    pub reasons: BTreeMap<String, DropReason>,
    /// Why a run failed: its kind (`status`, `too_large`, `timeout`, `unreachable`, `fetch`,
    /// `unreadable`, `storing`), a colon, then the details in the server's words.
    pub error: Option<String>,
}

/// A source, with its last run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestSourceView {
    pub id: i64,
    pub name: String,
    pub kind: IngestSourceKind,
    pub url: Option<String>,
    pub every_minutes: Option<i32>,
    pub columns: Option<BTreeMap<String, Vec<String>>>,
    pub enabled: bool,
    /// Failed polls in a row: each doubles the wait before the next (a day at most).
    pub failures: i32,
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Live offers gathered from it.
    pub live_offers: i64,
    pub last_run: Option<IngestRunView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
