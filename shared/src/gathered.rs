//! An offer gathered from another site (a line of a board's export, a partner's file, an item of
//! a feed) and what the platform reads of it: its fields as the source wrote them, which of the
//! source's columns hold each field, and the offer they make once the normaliser
//! ([`crate::normalise`]) has read them, each reading with its confidence.
//!
//! The offer is an [`OfferInput`], checked afterwards by the same rules as an offer posted by
//! an employer or pushed by a partner. What the text does not say stays unsaid: no commune, no
//! contract, no sector rather than a guess.

use std::collections::BTreeMap;

use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone as _};
use serde::{Deserialize, Serialize};

use crate::dto::offers::OfferInput;
use crate::normalise::{self, Gazetteer};
use crate::search::fold;

/// The fields of a gathered offer, by the names of the platform's own files.
pub const FIELDS: [&str; 14] = [
    "id",
    "title",
    "description",
    "employer",
    "place",
    "contract",
    "education",
    "experience",
    "posted",
    "valid_through",
    "salary",
    "remote",
    "sector",
    "url",
];

/// Most characters a name may have (an employer's, as an offer's).
const MAX_NAME: usize = 200;

/// What boards write in a field that says nothing, folded.
const PLACEHOLDERS: &[&str] = &[
    "non specifie",
    "non specifiee",
    "not specified",
    "n a",
    "na",
    "confidentiel",
    "confidentielle",
    "confidential",
    "entreprise confidentielle",
    "societe confidentielle",
    "anonyme",
    "autre",
    "a discuter",
    "salaire a discuter",
    "niveau d etudes souhaite",
    "غير محدد",
];

/// Whether a field says something: not empty, not a board's placeholder.
pub fn says(value: &str) -> bool {
    let folded = fold(value);
    !folded.is_empty() && !PLACEHOLDERS.contains(&folded.as_str())
}

/// An offer as its source wrote it: each field's text, trimmed (empty when the source has
/// none). Several columns for one field (a post's description and its profile) are joined by
/// a blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gathered {
    fields: BTreeMap<&'static str, String>,
}

impl Gathered {
    /// Sets `field` (one of [`FIELDS`]; others are ignored), after what it already holds.
    pub fn push(&mut self, field: &str, text: &str) {
        let Some(field) = FIELDS.iter().find(|f| **f == field) else {
            return;
        };
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let slot = self.fields.entry(field).or_default();
        if !slot.is_empty() {
            slot.push_str("\n\n");
        }
        slot.push_str(text);
    }

    /// What identifies the offer at its source: its id, else its link, else `None` (the
    /// caller then takes a digest of its words).
    pub fn key(&self) -> Option<String> {
        [self.get("id"), self.get("url")]
            .into_iter()
            .find(|k| !k.is_empty())
            .map(str::to_owned)
    }

    /// The text of `field`, empty when the source said nothing (or only a placeholder).
    pub fn get(&self, field: &str) -> &str {
        self.fields
            .get(field)
            .map(String::as_str)
            .filter(|v| says(v))
            .unwrap_or("")
    }
}

/// Which of a source's columns (or keys) hold each field: by default each field its own name.
/// Several columns make one field in the order given (`description=Post+Profile`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns(pub BTreeMap<String, Vec<String>>);

impl Default for Columns {
    fn default() -> Self {
        Self(
            FIELDS
                .iter()
                .map(|f| ((*f).to_owned(), vec![(*f).to_owned()]))
                .collect(),
        )
    }
}

impl Columns {
    /// The default columns, with `specs` (`field=Column` or `field=First+Second`) replacing
    /// some; an error names a field that is not one of [`FIELDS`] or a spec without a column.
    pub fn with(specs: &[String]) -> Result<Self, String> {
        let mut columns = Self::default();
        for spec in specs {
            let (field, names) = spec
                .split_once('=')
                .ok_or_else(|| format!("`{spec}`: write field=Column"))?;
            let field = field.trim();
            if !FIELDS.contains(&field) {
                return Err(format!(
                    "`{field}` is not a field; the fields are {}",
                    FIELDS.join(", ")
                ));
            }
            let names: Vec<String> = names
                .split('+')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect();
            if names.is_empty() {
                return Err(format!("`{spec}`: name at least one column"));
            }
            columns.0.insert(field.to_owned(), names);
        }
        Ok(columns)
    }

    /// The offer a record makes, `value` giving the text of a column by its name.
    pub fn gather<'a>(&self, value: impl Fn(&str) -> Option<&'a str>) -> Gathered {
        let mut gathered = Gathered::default();
        for (field, names) in &self.0 {
            for name in names {
                if let Some(text) = value(name) {
                    gathered.push(field, text);
                }
            }
        }
        gathered
    }
}

/// What the platform reads of a gathered offer: the offer to check and write, and how sure
/// each reading from free text is.
#[derive(Debug, Clone)]
pub struct Reading {
    pub input: OfferInput,
    /// The field name and the confidence (0 to 1) of each value read from free text.
    pub confidence: BTreeMap<&'static str, f32>,
}

/// Morocco's offset from UTC (the legal time, outside Ramadan).
fn morocco() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("one hour east")
}

/// Reads `offer` with the geo table's `places` and `sectors_of` (which growth sectors list an
/// ISCO-08 trade), `today` being the day (UTC) it was gathered (for "il y a 3 jours"). The offer is
/// applied for on its source (`url`); its `external_id` is [`Gathered::key`].
pub fn read(
    offer: &Gathered,
    places: &Gazetteer,
    sectors_of: impl Fn(&str) -> Vec<String>,
    today: NaiveDate,
) -> Reading {
    let mut confidence = BTreeMap::new();
    let title = offer.get("title").to_owned();
    let description = offer.get("description").to_owned();
    let text = format!("{title}\n{description}");
    // The town a title names ("Chargé de portefeuille - Meknès") is the opening's: it says
    // more than a place field that names only a region, and it is what tells one branch's
    // opening from another's when a board's place field says the same city for every offer.
    let in_title = places
        .place_in_title(&title)
        .filter(|t| t.value.commune.is_some());
    let place = match (places.place(offer.get("place")), in_title) {
        (Some(field), Some(title)) if field.value.commune != title.value.commune => Some(title),
        (field, title) => field.or(title),
    };
    if let Some(place) = &place {
        confidence.insert("place", place.confidence);
    }
    let contract_field = offer.get("contract");
    let contract = normalise::contract(contract_field, &text);
    let kind = normalise::kind(&title, contract_field, &description, contract.is_some());
    confidence.insert("kind", kind.confidence);
    let education = normalise::education(offer.get("education"), &description);
    let experience = normalise::experience(offer.get("experience"), &description);
    let posted = normalise::posted_on(offer.get("posted"), today);
    // The day's start in UTC: one o'clock in Morocco, the same day on either clock (Morocco's
    // midnight would be the day before's evening in UTC).
    let posted_at = posted.as_ref().map(|p| {
        FixedOffset::east_opt(0)
            .expect("UTC")
            .from_local_datetime(&p.value.and_time(NaiveTime::MIN))
            .single()
            .expect("a fixed offset has one reading")
    });
    // The last day to apply, through its end; a day before the posting or past a year after
    // it is no deadline.
    let valid_through = normalise::day(offer.get("valid_through"))
        .map(|d| {
            let end = d.value.and_time(NaiveTime::MIN) + Duration::days(1) - Duration::seconds(1);
            normalise::Guess {
                value: morocco()
                    .from_local_datetime(&end)
                    .single()
                    .expect("a fixed offset has one reading"),
                confidence: d.confidence,
            }
        })
        .filter(|d| posted_at.is_none_or(|p| d.value > p && d.value <= p + Duration::days(365)));
    let salary = normalise::salary(offer.get("salary"));
    let remote = normalise::remote(offer.get("remote"), &text);
    let occupation = normalise::occupation(&title);
    let sector = normalise::sector(
        offer.get("sector"),
        &title,
        &description,
        occupation.as_ref().map(|o| o.value),
        sectors_of,
    );
    let mut note = |field: &'static str, sure: Option<f32>| {
        if let Some(sure) = sure {
            confidence.insert(field, sure);
        }
    };
    note("contract", contract.as_ref().map(|g| g.confidence));
    note("education", education.as_ref().map(|g| g.confidence));
    note("experience", experience.as_ref().map(|g| g.confidence));
    note("posted", posted.as_ref().map(|g| g.confidence));
    note(
        "valid_through",
        valid_through.as_ref().map(|g| g.confidence),
    );
    note("salary", salary.as_ref().map(|g| g.confidence));
    note("remote", remote.as_ref().map(|g| g.confidence));
    note("occupation", occupation.as_ref().map(|g| g.confidence));
    note("sector", sector.as_ref().map(|g| g.confidence));
    // An employer's field that is a sentence about the company is no name.
    let employer = offer
        .get("employer")
        .trim_start_matches(['@', ' '])
        .trim()
        .to_owned();
    let employer =
        (!employer.is_empty() && employer.chars().count() <= MAX_NAME).then_some(employer);
    let url = Some(offer.get("url").to_owned()).filter(|u| !u.is_empty());
    let external_id = offer.key();
    let (salary_min, salary_max) = salary
        .map(|s| s.value)
        .map(|(min, max)| {
            (
                min.and_then(|v| i32::try_from(v).ok()),
                max.and_then(|v| i32::try_from(v).ok()),
            )
        })
        .unwrap_or_default();
    let (kind, internship) = kind.value;
    Reading {
        input: OfferInput {
            external_id,
            kind,
            internship,
            contract: contract.map(|c| c.value),
            title,
            description,
            employer_name: employer,
            commune_code: place.as_ref().and_then(|p| p.value.commune.clone()),
            region_code: place.map(|p| p.value.region),
            remote: remote.is_some_and(|r| r.value),
            sector: sector.map(|s| s.value),
            isco08: occupation.map(|o| o.value.to_owned()),
            education: education.map(|e| e.value),
            experience_years: experience.map(|e| i32::from(e.value)),
            salary_min,
            salary_max,
            posted_at,
            valid_through: valid_through.map(|v| v.value),
            url,
            apply_in_platform: Some(false),
        },
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{Area, Commune};
    use crate::{Contract, OfferKind, RequiredEducation};

    fn places() -> Gazetteer {
        let commune = |code: &str, region: &str, fr: &str, ar: &str, population| Commune {
            code: code.into(),
            name_fr: fr.into(),
            name_ar: ar.into(),
            region_code: region.into(),
            urban: true,
            population,
        };
        let area = |region: &str, fr: &str, ar: &str| Area {
            region_code: region.into(),
            name_fr: fr.into(),
            name_ar: ar.into(),
        };
        Gazetteer::new(
            vec![
                commune("141.01.05", "06", "Casablanca", "الدار البيضاء", 3_200_000),
                commune("441.01.01", "04", "Rabat", "الرباط", 500_000),
            ],
            &[
                area("06", "Casablanca-Settat", "الدار البيضاء سطات"),
                area("04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
            ],
            &[],
        )
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).expect("a day")
    }

    #[test]
    fn columns_take_specs_and_refuse_unknown_fields() {
        let columns =
            Columns::with(&["title=Postename".into(), "description=Post + Profil".into()])
                .expect("valid");
        assert_eq!(columns.0["title"], ["Postename"]);
        assert_eq!(columns.0["description"], ["Post", "Profil"]);
        assert_eq!(columns.0["place"], ["place"]);
        assert!(Columns::with(&["town=Ville".into()]).is_err());
        assert!(Columns::with(&["title".into()]).is_err());
        assert!(Columns::with(&["title=".into()]).is_err());
        let row: BTreeMap<&str, &str> = [
            ("Post", "Missions"),
            ("Profil", "Bac+2"),
            ("Postename", " Comptable "),
        ]
        .into_iter()
        .collect();
        let gathered = columns.gather(|name| row.get(name).copied());
        assert_eq!(gathered.get("title"), "Comptable");
        assert_eq!(gathered.get("description"), "Missions\n\nBac+2");
    }

    #[test]
    fn the_town_a_title_names_is_the_openings() {
        let read_place = |title: &str, place: &str| {
            let mut offer = Gathered::default();
            offer.push("title", title);
            offer.push("description", "Missions");
            offer.push("place", place);
            let input = read(&offer, &places(), |_| Vec::new(), today()).input;
            (input.commune_code, input.region_code)
        };
        let rabat = (Some("441.01.01".to_owned()), Some("04".to_owned()));
        // A board that says the same city for every offer, or only the region.
        assert_eq!(
            read_place("Chargé de portefeuille - Rabat", "Casablanca"),
            rabat
        );
        assert_eq!(
            read_place("Chargé de portefeuille - Rabat", "Rabat-Salé-Kénitra"),
            rabat
        );
        // A title without a town keeps the place field's.
        assert_eq!(
            read_place("Chargé de portefeuille", "Casablanca")
                .0
                .as_deref(),
            Some("141.01.05")
        );
    }

    #[test]
    fn a_board_line_is_read_field_by_field() {
        let mut offer = Gathered::default();
        for (field, text) in [
            ("id", "R-1"),
            ("title", "Comptable H/F - Casa"),
            ("description", "Vous tenez la comptabilité. Bac+2 exigé."),
            ("employer", "@ Atlas Data"),
            ("place", "Casablanca (Maroc)"),
            ("contract", "CDI"),
            ("education", "Bac +2"),
            ("experience", "De 1 à 3 ans"),
            ("posted", "il y a 3 jours"),
            ("valid_through", "15/12/2026"),
            ("salary", "5 000 - 6 000 DH"),
            ("url", "https://board.example/offres/1"),
        ] {
            offer.push(field, text);
        }
        let reading = read(&offer, &places(), |_| Vec::new(), today());
        let input = reading.input;
        assert_eq!(input.external_id.as_deref(), Some("R-1"));
        assert_eq!(input.kind, OfferKind::Job);
        assert_eq!(input.contract, Some(Contract::Cdi));
        assert_eq!(input.employer_name.as_deref(), Some("Atlas Data"));
        assert_eq!(input.commune_code.as_deref(), Some("141.01.05"));
        assert_eq!(input.region_code.as_deref(), Some("06"));
        assert_eq!(input.education, Some(RequiredEducation::Bac2));
        assert_eq!(input.experience_years, Some(1));
        assert_eq!(
            (input.salary_min, input.salary_max),
            (Some(5000), Some(6000))
        );
        assert_eq!(input.isco08.as_deref(), Some("3313"));
        assert_eq!(
            input.posted_at.map(|p| p.to_rfc3339()).as_deref(),
            Some("2026-11-27T00:00:00+00:00")
        );
        assert_eq!(
            input.valid_through.map(|p| p.to_rfc3339()).as_deref(),
            Some("2026-12-15T23:59:59+01:00")
        );
        assert_eq!(input.apply_in_platform, Some(false));
        let noon = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 30, 12, 0, 0)
            .single()
            .expect("a moment");
        assert!(input.parse(noon, true).is_ok());
        assert_eq!(reading.confidence["contract"], 0.95);
        assert!(reading.confidence["place"] > 0.5);
    }

    #[test]
    fn what_is_not_said_stays_unsaid() {
        let mut offer = Gathered::default();
        offer.push("title", "Stage PFE développement web");
        offer.push("description", "Rejoignez-nous.");
        offer.push("employer", "Non spécifié");
        offer.push("place", "Maroc");
        offer.push("salary", "A discuter");
        offer.push("valid_through", "01/01/2020");
        offer.push("posted", "hier");
        offer.push("url", "https://board.example/");
        let reading = read(&offer, &places(), |_| Vec::new(), today());
        let input = reading.input;
        assert_eq!(input.kind, OfferKind::Internship);
        assert_eq!(input.employer_name, None);
        assert_eq!((input.commune_code, input.region_code), (None, None));
        assert_eq!((input.salary_min, input.salary_max), (None, None));
        // A deadline before the posting is no deadline.
        assert_eq!(input.valid_through, None);
        // Without an id, the link identifies the offer.
        assert_eq!(input.external_id.as_deref(), Some("https://board.example/"));
        assert!(!reading.confidence.contains_key("place"));
        // An employer's "name" that is a paragraph is no name.
        let mut long = Gathered::default();
        long.push("employer", &"Entreprise leader ".repeat(20));
        let read_long = read(&long, &places(), |_| Vec::new(), today());
        assert_eq!(read_long.input.employer_name, None);
    }
}
