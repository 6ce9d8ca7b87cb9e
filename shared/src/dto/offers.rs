//! Offers: jobs, internships and immersions. Employers post them in the web app; partners push
//! theirs over the API in batches, each offer upserted by the organisation's own `external_id`.
//!
//! The rules the app and the server share live here ([`OfferInput::parse`]). The description
//! arrives as HTML; the server sanitises it (links, lists, emphasis and paragraphs are kept;
//! scripts, styles, event handlers and everything else go) and keeps a plain-text twin.

use chrono::{DateTime, Duration, FixedOffset, SubsecRound as _, Utc};
use serde::{Deserialize, Serialize};

use crate::codes;
use crate::domain::{
    Contract, InternshipType, MAX_LINE, OfferKind, OfferStatus, ReportReason, RequiredEducation,
    SearchOrder, optional_line, optional_text, required_line,
};
use crate::dto::organizations::parse_website;
use crate::validation::{FieldError, FieldErrors};

/// The most offers one batch carries.
pub const MAX_BATCH: usize = 1000;
/// The longest description, as sent (HTML included).
pub const MAX_DESCRIPTION: usize = 20_000;
/// The longest an organisation's own id of an offer may be.
pub const MAX_EXTERNAL_ID: usize = 200;
/// How long an offer stays live without a `valid_through`.
pub const DEFAULT_VALID_DAYS: i64 = 60;
/// The longest an offer stays live.
pub const MAX_VALID_DAYS: i64 = 366;
/// Years of experience asked, at most.
pub const MAX_EXPERIENCE_YEARS: i32 = 40;
/// A monthly salary in dirhams, at most (a bound against typing errors, not a judgement).
pub const MAX_SALARY: i32 = 1_000_000;

/// An offer as an employer or a partner writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// The organisation's own id of the offer: required in a batch, where it decides whether
    /// the offer is new or an update.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub external_id: Option<String>,
    pub kind: OfferKind,
    /// For an internship: end of studies (stage PFE), pre-hiring or observation.
    #[serde(default)]
    pub internship: Option<InternshipType>,
    #[serde(default)]
    pub contract: Option<Contract>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub title: String,
    /// HTML (sanitised on arrival) or plain text.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub description: String,
    /// The employer's name when the organisation posts for another (a recruitment agency);
    /// the organisation's name otherwise.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub employer_name: Option<String>,
    /// Official commune code (`GET /communes`); its region follows.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 20, pattern = "optional_line")
    )]
    pub commune_code: Option<String>,
    /// Region code, when no commune is given.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 10, pattern = "optional_line")
    )]
    pub region_code: Option<String>,
    /// Work done from home, wholly or mostly.
    #[serde(default)]
    pub remote: bool,
    /// Growth sector code (`GET /sectors`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 40, pattern = "optional_line")
    )]
    pub sector: Option<String>,
    /// ISCO-08 unit group (four digits) of the occupation, when known.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4, pattern = "optional_line"))]
    pub isco08: Option<String>,
    #[serde(default)]
    pub education: Option<RequiredEducation>,
    /// Years of experience asked (0 for a beginner).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 40))]
    pub experience_years: Option<i32>,
    /// Monthly salary in dirhams, when given: a figure or a range.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub salary_min: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub salary_max: Option<i32>,
    /// When it was published (RFC 3339); now when absent. Within the last year, not in the
    /// future.
    #[serde(default)]
    pub posted_at: Option<DateTime<FixedOffset>>,
    /// When it stops being offered (RFC 3339); 60 days after `posted_at` when absent, at
    /// most a year after it.
    #[serde(default)]
    pub valid_through: Option<DateTime<FixedOffset>>,
    /// The offer's page on the organisation's site.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub url: Option<String>,
    /// Whether youths apply inside the platform (default); otherwise they follow `url`.
    #[serde(default)]
    pub apply_in_platform: Option<bool>,
}

/// An offer as parsed: every field checked, times in UTC, defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    pub external_id: Option<String>,
    pub kind: OfferKind,
    pub internship: Option<InternshipType>,
    pub contract: Option<Contract>,
    pub title: String,
    pub description: String,
    pub employer_name: Option<String>,
    pub commune_code: Option<String>,
    pub region_code: Option<String>,
    pub remote: bool,
    pub sector: Option<String>,
    pub isco08: Option<String>,
    pub education: Option<RequiredEducation>,
    pub experience_years: Option<i32>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    /// As sent: the server takes now for a new offer, the stored date for an update.
    pub posted_at: Option<DateTime<Utc>>,
    /// As sent: the server takes [`DEFAULT_VALID_DAYS`] after the publication.
    pub valid_through: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub apply_in_platform: bool,
}

impl NewOffer {
    /// When the offer stops, published at `posted_at`.
    pub fn expires_at(&self, posted_at: DateTime<Utc>) -> DateTime<Utc> {
        self.valid_through
            .unwrap_or(posted_at + Duration::days(DEFAULT_VALID_DAYS))
    }
}

fn bounded(
    field: &str,
    code: crate::codes::Code,
    value: Option<i32>,
    max: i32,
    errors: &mut FieldErrors,
) -> Option<i32> {
    match value {
        Some(v) if !(0..=max).contains(&v) => {
            errors.push(field, code, format!("must be between 0 and {max}"));
            None
        }
        other => other,
    }
}

impl OfferInput {
    /// Checks every field at `now`; a batch's items also need an `external_id`.
    pub fn parse(
        &self,
        now: DateTime<Utc>,
        needs_external_id: bool,
    ) -> Result<NewOffer, FieldErrors> {
        let mut errors = FieldErrors::new();
        let external_id = errors
            .check(
                "external_id",
                optional_line(self.external_id.as_deref(), MAX_EXTERNAL_ID),
            )
            .flatten();
        if needs_external_id
            && external_id.is_none()
            && self
                .external_id
                .as_deref()
                .is_none_or(|e| e.trim().is_empty())
        {
            errors.push("external_id", codes::REQUIRED, "is required in a batch");
        }
        let title = errors.check("title", required_line(&self.title, MAX_LINE));
        let description = if self.description.chars().count() > MAX_DESCRIPTION {
            errors.push(
                "description",
                codes::TOO_LONG,
                format!("at most {MAX_DESCRIPTION} characters"),
            );
            None
        } else if self.description.trim().is_empty() {
            errors.push("description", codes::REQUIRED, "is required");
            None
        } else {
            Some(self.description.trim().to_owned())
        };
        if self.internship.is_some() && self.kind != OfferKind::Internship {
            errors.push(
                "internship",
                codes::INTERNSHIP_NOT_AN_INTERNSHIP,
                "only an internship has an internship type",
            );
        }
        let employer_name = errors
            .check(
                "employer_name",
                optional_line(self.employer_name.as_deref(), MAX_LINE),
            )
            .flatten();
        let commune_code = errors
            .check(
                "commune_code",
                optional_line(self.commune_code.as_deref(), 20),
            )
            .flatten();
        let region_code = errors
            .check(
                "region_code",
                optional_line(self.region_code.as_deref(), 10),
            )
            .flatten();
        let sector = errors
            .check("sector", optional_line(self.sector.as_deref(), 40))
            .flatten();
        let isco08 = match self.isco08.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) => {
                Some(code.to_owned())
            }
            Some(_) => {
                errors.push(
                    "isco08",
                    codes::OCCUPATION_UNKNOWN,
                    "must be an ISCO-08 unit group, four digits",
                );
                None
            }
        };
        let experience_years = bounded(
            "experience_years",
            codes::EXPERIENCE_OUT_OF_RANGE,
            self.experience_years,
            MAX_EXPERIENCE_YEARS,
            &mut errors,
        );
        let salary_min = bounded(
            "salary_min",
            codes::SALARY_OUT_OF_RANGE,
            self.salary_min,
            MAX_SALARY,
            &mut errors,
        );
        let salary_max = bounded(
            "salary_max",
            codes::SALARY_OUT_OF_RANGE,
            self.salary_max,
            MAX_SALARY,
            &mut errors,
        );
        if let (Some(min), Some(max)) = (salary_min, salary_max)
            && min > max
        {
            errors.push(
                "salary_max",
                codes::SALARY_RANGE,
                "must not be below salary_min",
            );
        }
        let now = now.trunc_subsecs(0);
        let given_posted = self
            .posted_at
            .map(|at| at.with_timezone(&Utc).trunc_subsecs(0));
        let posted_at = given_posted.unwrap_or(now);
        if posted_at > now + Duration::minutes(5)
            || posted_at < now - Duration::days(MAX_VALID_DAYS)
        {
            errors.push(
                "posted_at",
                codes::POSTED_AT_OUT_OF_RANGE,
                "must be within the last year, not in the future",
            );
        }
        let valid_through = self
            .valid_through
            .map(|at| at.with_timezone(&Utc).trunc_subsecs(0));
        let expires_at = valid_through.unwrap_or(posted_at + Duration::days(DEFAULT_VALID_DAYS));
        if self.valid_through.is_some() && expires_at <= posted_at {
            errors.push(
                "valid_through",
                codes::VALID_THROUGH_BEFORE_POSTED,
                "must come after posted_at",
            );
        } else if expires_at > posted_at + Duration::days(MAX_VALID_DAYS) {
            errors.push(
                "valid_through",
                codes::DATE_TOO_FAR,
                "at most a year after posted_at",
            );
        }
        let url = match self.url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => errors.check("url", parse_website(raw)),
        };
        let apply_in_platform = self.apply_in_platform.unwrap_or(true);
        if !apply_in_platform && url.is_none() && !errors.0.iter().any(|e| e.field == "url") {
            errors.push(
                "url",
                codes::REQUIRED,
                "is required when youths apply on the organisation's site",
            );
        }
        errors.finish(|| NewOffer {
            external_id,
            kind: self.kind,
            internship: self.internship,
            contract: self.contract,
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            employer_name,
            commune_code,
            region_code,
            remote: self.remote,
            sector,
            isco08,
            education: self.education,
            experience_years,
            salary_min,
            salary_max,
            posted_at: given_posted,
            valid_through,
            url,
            apply_in_platform,
        })
    }
}

/// A batch of offers pushed by a partner: each is created, updated or left unchanged by its
/// `external_id`, or refused with its field errors; the others go on. Each offer is read on
/// its own: one that does not fit the schema is rejected alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferBatch {
    /// One to 1,000 offers.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<OfferInput>, min_items = 1, max_items = 1000)
    )]
    pub offers: Vec<serde_json::Value>,
}

/// What became of one offer of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BatchOutcome {
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// One offer's result, in the batch's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchItemResult {
    /// Its place in the batch, from 0.
    pub index: usize,
    pub external_id: Option<String>,
    pub outcome: BatchOutcome,
    /// The offer's id, unless rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Why it was rejected, field by field (`offers[i].` is not repeated in `field`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The result of a batch: one line per offer, and the counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub results: Vec<BatchItemResult>,
}

/// An offer as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: i64,
    pub status: OfferStatus,
    pub kind: OfferKind,
    pub internship: Option<InternshipType>,
    pub contract: Option<Contract>,
    pub title: String,
    /// Sanitised HTML.
    pub description_html: String,
    /// The same, as plain text.
    pub description_text: String,
    pub employer_name: String,
    pub organization_id: Option<i64>,
    pub commune_code: Option<String>,
    pub commune_name_fr: Option<String>,
    pub commune_name_ar: Option<String>,
    pub region_code: Option<String>,
    pub region_name_fr: Option<String>,
    pub region_name_ar: Option<String>,
    pub remote: bool,
    pub sector: Option<String>,
    pub isco08: Option<String>,
    pub education: Option<RequiredEducation>,
    pub experience_years: Option<i32>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub posted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Where it came from: `employer` (posted in the app), `partner` (pushed over the API) or
    /// `gathered` (taken from another site, named in `published_on`; youths apply there).
    pub source: String,
    /// For a gathered offer, the site it was published on ("rekrute.com").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<String>,
    /// The organisation's own id (shown to the organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub apply_in_platform: bool,
    /// The same vacancy's other live offers (published on other sites, or again), each with
    /// where it was published and its link: the search lists the vacancy once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_published_on: Vec<Publication>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Another offer of the same vacancy: where it was published, and its link there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publication {
    pub offer_id: i64,
    /// The site ("bayt.com"); none for an offer posted on this platform.
    pub published_on: Option<String>,
    pub url: Option<String>,
    pub apply_in_platform: bool,
}

/// A live offer an orientation result suggests: one for an occupation or a sector it
/// recommends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferSuggestion {
    pub id: i64,
    pub kind: OfferKind,
    pub title: String,
    pub employer_name: String,
    pub posted_at: DateTime<Utc>,
}

/// The longest comment of a report.
pub const MAX_REPORT_COMMENT: usize = 1000;

/// A report of an offer by someone signed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportOfferRequest {
    pub reason: ReportReason,
    /// What is wrong, in a few lines.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
}

impl ReportOfferRequest {
    pub fn parse(&self) -> Result<Option<String>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let comment = errors
            .check(
                "comment",
                optional_text(self.comment.as_deref(), MAX_REPORT_COMMENT),
            )
            .flatten();
        errors.finish(|| comment)
    }
}

/// A report, as admins read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferReportView {
    pub id: i64,
    pub offer_id: i64,
    pub offer_title: String,
    pub offer_status: OfferStatus,
    pub reason: ReportReason,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When an admin dismissed it or removed the offer; `null` while open.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// The longest query the search takes, in characters.
pub const MAX_QUERY: usize = 200;
/// How many communes the search's commune facet lists (the most frequent).
pub const COMMUNE_FACETS: usize = 20;
/// The length of a search hit's excerpt, in characters.
pub const EXCERPT: usize = 240;

/// A live offer as the search lists it: what a result card shows, without the whole
/// description (read the offer for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferHit {
    pub id: i64,
    pub kind: OfferKind,
    pub internship: Option<InternshipType>,
    pub contract: Option<Contract>,
    pub title: String,
    pub employer_name: String,
    pub commune_code: Option<String>,
    pub commune_name_fr: Option<String>,
    pub commune_name_ar: Option<String>,
    pub region_code: Option<String>,
    pub region_name_fr: Option<String>,
    pub region_name_ar: Option<String>,
    pub remote: bool,
    pub sector: Option<String>,
    pub education: Option<RequiredEducation>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub posted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The description's first words, as plain text (escape it to show it as HTML).
    pub excerpt: String,
    pub apply_in_platform: bool,
    /// For a gathered offer, the site it was published on ("rekrute.com").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<String>,
    /// The other sites the same vacancy is published on: it is listed once, by the offer
    /// that says the most of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_published_on: Vec<String>,
}

/// How many matching offers have one value of a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value, as the filter takes it (`cdi`, a region's code, `true`…).
    pub value: String,
    pub count: u64,
    /// The place's names, for regions and communes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_ar: Option<String>,
}

/// The counts of each filter's values among the matching offers, most frequent first. Each
/// filter's counts take every other filter into account but not its own, so a chosen region
/// still shows how many offers the other regions have. A chosen value is always listed (last,
/// with its count, when it would not be otherwise: a commune past the twenty, a value without
/// offers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferFacets {
    pub kind: Vec<FacetCount>,
    pub contract: Vec<FacetCount>,
    pub region: Vec<FacetCount>,
    /// The twenty communes with the most offers (and the chosen one).
    pub commune: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub education: Vec<FacetCount>,
    pub remote: Vec<FacetCount>,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferSearchResult {
    /// How many live offers match, on every page.
    pub total: u64,
    /// No offer holds every word asked for: these hold some of them.
    pub relaxed: bool,
    pub order: SearchOrder,
    pub items: Vec<OfferHit>,
    pub next_cursor: Option<String>,
    pub facets: OfferFacets,
}
