//! The orientation assessment as the API speaks it: the inventory, drafts, results with their
//! occupations and sectors, and the counselor's notes and action plan.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::double_option;
use crate::codes;
use crate::domain::{EducationLevel, StepStatus, required_line, required_text};
use crate::inventory::{INSTRUMENT_VERSION, ITEMS, Item};
use crate::orientation::{MAX_ANSWER, RiasecArea, RiasecScores};
use crate::validation::{FieldErrors, Invalid};

/// A text in the platform's three languages; the client shows the one of its interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub fr: String,
    pub ar: String,
    pub en: String,
}

impl LocalizedText {
    /// The text in `locale`.
    pub fn get(&self, locale: crate::Locale) -> &str {
        match locale {
            crate::Locale::Fr => &self.fr,
            crate::Locale::Ar => &self.ar,
            crate::Locale::En => &self.en,
        }
    }
}

/// One activity of the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InventoryItem {
    /// Stable id, e.g. `r01`: answers are keyed by it.
    pub id: String,
    pub area: RiasecArea,
    pub text: LocalizedText,
}

impl From<&Item> for InventoryItem {
    fn from(item: &Item) -> Self {
        Self {
            id: item.id.into(),
            area: item.area,
            text: LocalizedText {
                fr: item.fr.into(),
                ar: item.ar.into(),
                en: item.en.into(),
            },
        }
    }
}

/// The inventory a youth answers: items in the order to show them, each rated 0 (strongly
/// dislike) to `max_answer` (strongly like).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inventory {
    pub version: String,
    pub max_answer: u8,
    pub items: Vec<InventoryItem>,
}

impl Inventory {
    pub fn current() -> Self {
        Self {
            version: INSTRUMENT_VERSION.into(),
            max_answer: MAX_ANSWER,
            items: ITEMS.iter().map(InventoryItem::from).collect(),
        }
    }
}

/// Answers keyed by item id, each 0–4.
pub type Answers = BTreeMap<String, u8>;

/// A saved, possibly incomplete, answer sheet (`PUT /me/orientation/draft`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswersRequest {
    /// Must be the current inventory's version: answers to another version mean something else.
    pub instrument_version: String,
    pub answers: Answers,
}

/// The draft as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub instrument_version: String,
    pub answers: Answers,
    /// How many of the inventory's items are answered.
    pub answered: usize,
    pub total: usize,
    pub updated_at: DateTime<Utc>,
}

impl AnswersRequest {
    /// Checks the version, every item id and every value; on success the answers pair each
    /// item's area with its value, ready for scoring.
    pub fn parse(&self) -> Result<Vec<(RiasecArea, u8)>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.instrument_version != INSTRUMENT_VERSION {
            errors.push(
                "instrument_version",
                codes::INSTRUMENT_VERSION_UNKNOWN,
                format!("the current inventory is {INSTRUMENT_VERSION}"),
            );
        }
        let mut pairs = Vec::with_capacity(self.answers.len());
        for (id, &value) in &self.answers {
            let field = format!("answers.{id}");
            match ITEMS.iter().find(|i| i.id == id) {
                None => errors.push(field, codes::ANSWER_UNKNOWN_ITEM, "no such item"),
                Some(_) if value > MAX_ANSWER => errors.push(
                    field,
                    codes::ANSWER_OUT_OF_RANGE,
                    format!("answers go from 0 to {MAX_ANSWER}"),
                ),
                Some(item) => pairs.push((item.area, value)),
            }
        }
        errors.finish(|| pairs)
    }

    /// Like [`parse`](Self::parse), and every item must be answered: a result needs all sixty.
    pub fn parse_complete(&self) -> Result<Vec<(RiasecArea, u8)>, FieldErrors> {
        let pairs = self.parse()?;
        let mut errors = FieldErrors::new();
        for item in ITEMS.iter().filter(|i| !self.answers.contains_key(i.id)) {
            errors.push(
                format!("answers.{}", item.id),
                codes::ANSWER_MISSING,
                "every item needs an answer",
            );
        }
        errors.finish(|| pairs)
    }
}

/// The six area scores by name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaScores<T> {
    pub realistic: T,
    pub investigative: T,
    pub artistic: T,
    pub social: T,
    pub enterprising: T,
    pub conventional: T,
}

impl<T: Copy> AreaScores<T> {
    pub fn from_array(v: [T; 6]) -> Self {
        Self {
            realistic: v[0],
            investigative: v[1],
            artistic: v[2],
            social: v[3],
            enterprising: v[4],
            conventional: v[5],
        }
    }

    pub fn to_array(self) -> [T; 6] {
        [
            self.realistic,
            self.investigative,
            self.artistic,
            self.social,
            self.enterprising,
            self.conventional,
        ]
    }
}

impl From<RiasecScores> for AreaScores<u8> {
    fn from(scores: RiasecScores) -> Self {
        Self::from_array(scores.0)
    }
}

/// An ISCO-08 unit group, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OccupationSummary {
    /// ISCO-08 unit group code, four digits.
    pub isco08: String,
    pub title: LocalizedText,
    /// Preparation the occupation usually asks, O*NET's job zone: 1 (little) to 5 (extensive).
    pub job_zone: u8,
    /// Three-letter Holland code of its interest profile.
    pub code: String,
}

/// An occupation with its interest profile and the sectors it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occupation {
    #[serde(flatten)]
    pub summary: OccupationSummary,
    /// O*NET occupational interests, 1–7 per area, averaged over the O*NET occupations that map
    /// to this unit group.
    #[cfg_attr(feature = "openapi", schema(value_type = AreaScores<f64>))]
    pub profile: AreaScores<f64>,
    pub sectors: Vec<SectorSummary>,
}

/// A growth sector, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorSummary {
    /// Stable slug, e.g. `automotive`.
    pub code: String,
    pub name: LocalizedText,
    /// The RIASEC areas whose people find their work there, strongest first.
    pub areas: Vec<RiasecArea>,
}

/// A growth sector with its description and trades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sector {
    #[serde(flatten)]
    pub summary: SectorSummary,
    /// The national strategy or plan behind the sector.
    pub strategy: LocalizedText,
    pub description: LocalizedText,
    pub occupations: Vec<OccupationSummary>,
}

/// A growth sector in figures: what the offers published here and gathered from the
/// country's boards say of it. A vacancy published on several sites counts once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorFigures {
    /// The sector's code.
    pub code: String,
    /// Vacancies open now.
    pub live_offers: u64,
    /// Vacancies published in the last 30 days (open now or not).
    pub last_30_days: u64,
    /// Vacancies published in the 30 days before those.
    pub previous_30_days: u64,
}

/// A growth sector's figures with where its open vacancies are, the trades they are for and
/// the education they ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorFiguresDetail {
    #[serde(flatten)]
    pub figures: SectorFigures,
    /// Open vacancies by region, most first (those whose region is said).
    pub regions: Vec<RegionFigure>,
    /// The trades most asked for, most first (at most five).
    pub occupations: Vec<OccupationFigure>,
    /// Open vacancies by the education they ask, most first (those that say it).
    pub education: Vec<EducationFigure>,
    /// Open vacancies that do not say the education they ask.
    pub education_unstated: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionFigure {
    pub region_code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub live_offers: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OccupationFigure {
    pub occupation: OccupationSummary,
    pub live_offers: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationFigure {
    pub education: crate::RequiredEducation,
    pub live_offers: u64,
}

/// Why a recommendation is made: both measures and the interests the youth shares with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fit {
    /// Correlation of the six scores, −1 to 1.
    pub correlation: f64,
    /// Iachan's congruence index of the three-letter codes, 0 to 28.
    pub congruence: u8,
    /// The youth's strongest areas that this occupation or sector shares, in the youth's order
    /// ("your strongest interests, Social and Enterprising, are this occupation's").
    pub shared_areas: Vec<RiasecArea>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OccupationMatch {
    pub occupation: OccupationSummary,
    pub fit: Fit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorMatch {
    pub sector: SectorSummary,
    pub fit: Fit,
}

/// A result as history lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultSummary {
    pub id: i64,
    pub user_id: i64,
    /// The youth's first and last name, for counselors' lists.
    pub user_name: String,
    pub instrument_version: String,
    #[cfg_attr(feature = "openapi", schema(value_type = AreaScores<u8>))]
    pub scores: AreaScores<u8>,
    /// Three-letter Holland code, strongest area first; ties follow R-I-A-S-E-C.
    pub code: String,
    /// The highest and lowest areas are less than 8 points apart: the code says little on its
    /// own and is best talked through with a counselor.
    pub flat: bool,
    pub created_at: DateTime<Utc>,
}

/// One result with everything that follows from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrientationResult {
    #[serde(flatten)]
    pub summary: ResultSummary,
    /// The education level occupations were filtered by (the youth's, when the result was made);
    /// absent when the profile had none and every occupation was considered.
    pub education_level: Option<EducationLevel>,
    /// Occupations asking more preparation than this job zone were left out.
    pub max_job_zone: Option<u8>,
    /// Best-fitting occupations first.
    pub occupations: Vec<OccupationMatch>,
    /// Growth sectors that fit, best first.
    pub sectors: Vec<SectorMatch>,
    /// Counselors' notes; the youth sees those not marked private.
    pub notes: Vec<Note>,
    /// The action plan agreed with a counselor.
    pub plan: Vec<PlanStep>,
    /// Upcoming events for the youth: serving her two strongest areas or her three best-fitting
    /// sectors, open to her, soonest first (at most three).
    #[serde(default)]
    pub events: Vec<crate::dto::events::EventSuggestion>,
    /// Live offers for her: of one of her ten best-fitting occupations or three best-fitting
    /// sectors, newest first (at most five).
    #[serde(default)]
    pub offers: Vec<crate::dto::offers::OfferSuggestion>,
    /// The youth's meetings with a counselor, held or missed, latest first (at most ten), with
    /// what the counselor recorded.
    #[serde(default)]
    pub meetings: Vec<crate::dto::appointments::MeetingRecord>,
}

/// A result beside the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub current: ResultSummary,
    /// The same youth's previous result; absent for a first result.
    pub previous: Option<ResultSummary>,
    /// Current minus previous, per area.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<AreaScores<i16>>))]
    pub changes: Option<AreaScores<i16>>,
    /// Correlation of the two profiles: near 1, the interests held steady.
    pub correlation: Option<f64>,
    pub code_changed: bool,
}

/// A counselor's note on a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    /// Seen by counselors and admins only, never by the youth.
    pub private: bool,
    pub created_at: DateTime<Utc>,
}

/// Longest note.
pub const MAX_NOTE: usize = 4000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNoteRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 4000, pattern = "text")
    )]
    pub body: String,
    #[serde(default)]
    pub private: bool,
}

impl NewNoteRequest {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = errors.check("body", required_text(&self.body, MAX_NOTE));
        errors.finish(|| body.unwrap_or_default())
    }
}

/// One step of an action plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanStep {
    pub id: i64,
    pub result_id: i64,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub status: StepStatus,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it was last marked done.
    pub completed_at: Option<DateTime<Utc>>,
}

/// Longest step title.
pub const MAX_STEP_TITLE: usize = 300;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPlanStepRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = "line")
    )]
    pub title: String,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

impl NewPlanStepRequest {
    /// The checked title and due date.
    pub fn parse(&self) -> Result<(String, Option<NaiveDate>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", required_line(&self.title, MAX_STEP_TITLE));
        let due_on = self
            .due_on
            .and_then(|d| errors.check("due_on", parse_due_on(d)));
        errors.finish(|| (title.unwrap_or_default(), due_on))
    }
}

/// Changes to a step. A youth may only send `status`; counselors may change everything.
/// Absent fields stay; `due_on: null` clears the date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanStepRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = "line")
    )]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default)]
    pub status: Option<StepStatus>,
}

impl UpdatePlanStepRequest {
    /// The new title and due date, each `None` when not sent, once they are acceptable.
    #[allow(clippy::type_complexity)]
    pub fn parse(&self) -> Result<(Option<String>, Option<Option<NaiveDate>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self
            .title
            .as_deref()
            .and_then(|t| errors.check("title", required_line(t, MAX_STEP_TITLE)));
        let due_on = match self.due_on {
            Some(Some(date)) => errors.check("due_on", parse_due_on(date)).map(Some),
            other => other,
        };
        errors.finish(|| (title, due_on))
    }

    /// True when only the status is changed: what a youth may do.
    pub fn only_status(&self) -> bool {
        self.title.is_none() && self.due_on.is_none()
    }
}

/// Checks a step's due date: not before the year the platform started, nor decades ahead.
pub fn parse_due_on(date: NaiveDate) -> Result<NaiveDate, Invalid> {
    use chrono::Datelike;
    if (2020..=2100).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Invalid::new(
            codes::DUE_ON_OUT_OF_RANGE,
            "must be a date between 2020 and 2100",
        ))
    }
}

/// Filters of the occupation list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OccupationListQuery {
    /// Words that begin words of the title in French, Arabic or English ("econ" finds
    /// "Économistes"), in any case, with or without accents or Arabic hamza forms and diacritics.
    pub q: Option<String>,
    /// Occupations whose code starts with this area's letter.
    pub area: Option<RiasecArea>,
    /// Occupations asking at most this preparation (job zone 1–5).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 5))]
    pub max_job_zone: Option<u8>,
    /// Occupations of this growth sector.
    pub sector: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then up to 64 hex pairs).
    #[cfg_attr(feature = "openapi", param(pattern = "code_cursor"))]
    pub cursor: Option<String>,
}

/// Filters of the result list. A youth always gets their own results; a counselor those of the
/// youths of their center; an admin anyone's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ResultListQuery {
    /// Only this youth's results.
    pub user_id: Option<i64>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[cfg_attr(feature = "openapi", param(pattern = "id_cursor"))]
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_sheet(value: u8) -> AnswersRequest {
        AnswersRequest {
            instrument_version: INSTRUMENT_VERSION.into(),
            answers: ITEMS.iter().map(|i| (i.id.to_owned(), value)).collect(),
        }
    }

    #[test]
    fn a_full_sheet_parses_and_a_partial_one_only_as_a_draft() {
        let mut sheet = full_sheet(3);
        assert_eq!(sheet.parse_complete().unwrap().len(), 60);
        sheet.answers.remove("c10");
        assert!(sheet.parse().is_ok());
        let errors = sheet.parse_complete().unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].field, "answers.c10");
        assert_eq!(errors.0[0].code, "answer.missing");
    }

    #[test]
    fn unknown_items_values_and_versions_are_named() {
        let mut sheet = full_sheet(2);
        sheet.instrument_version = "cc-riasec-0".into();
        sheet.answers.insert("x99".into(), 1);
        sheet.answers.insert("r01".into(), 5);
        let codes: Vec<(String, String)> = sheet
            .parse()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert!(codes.contains(&(
            "instrument_version".into(),
            "instrument_version.unknown".into()
        )));
        assert!(codes.contains(&("answers.x99".into(), "answer.unknown_item".into())));
        assert!(codes.contains(&("answers.r01".into(), "answer.out_of_range".into())));
    }

    #[test]
    fn area_scores_read_by_name() {
        let json =
            serde_json::to_value(AreaScores::from(RiasecScores([1, 2, 3, 4, 5, 6]))).unwrap();
        assert_eq!(json["social"], 4);
        assert_eq!(
            AreaScores::from_array([1, 2, 3, 4, 5, 6]).to_array(),
            [1, 2, 3, 4, 5, 6]
        );
    }

    #[test]
    fn only_status_is_what_a_youth_may_change() {
        let tick = UpdatePlanStepRequest {
            status: Some(StepStatus::Done),
            ..Default::default()
        };
        assert!(tick.only_status());
        let retitle = UpdatePlanStepRequest {
            title: Some("Autre".into()),
            ..Default::default()
        };
        assert!(!retitle.only_status());
    }
}
