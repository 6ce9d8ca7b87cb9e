//! Reading what job boards write: a city written any way ("Casa", "Casablanca · Morocco",
//! "الدار البيضاء", "Rabat Agdal") to a commune and its region; a contract, a kind of offer, an
//! education level, years of experience, a date ("25/12/2024", "il y a 3 jours", "منذ يومين") and
//! a salary from free text in French, Arabic and English.
//!
//! Each reading comes with a confidence between 0 and 1: 1 for a board's own field that names
//! the value, less for a value found inside a longer text or inferred from another. What the
//! text does not say, or says several ways at once (two contracts, cities in three regions), is
//! `None`: unknown stays unknown, never guessed silently. Pure functions over text, so the
//! importer, the feeds' poller and the coverage measure (`cargo xtask coverage`) read alike.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::search::fold;
use crate::{Contract, InternshipType, OfferKind, RequiredEducation};

/// A value read from text, and how sure the reading is (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess<T> {
    pub value: T,
    pub confidence: f32,
}

fn guess<T>(value: T, confidence: f32) -> Option<Guess<T>> {
    Some(Guess { value, confidence })
}

/// Where a board said an offer is: a commune (with its region), or only a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub commune: Option<String>,
    pub region: String,
}

/// A commune of the geo table, as the gazetteer needs it.
#[derive(Debug, Clone)]
pub struct Commune {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub region_code: String,
    pub urban: bool,
    pub population: i64,
}

/// A region or a province of the geo table: its code (a province's region), and its names.
#[derive(Debug, Clone)]
pub struct Area {
    pub region_code: String,
    pub name_fr: String,
    pub name_ar: String,
}

/// Other names of cities, folded: what boards and people write for them.
const CITY_ALIASES: &[(&str, &str)] = &[
    ("casa", "casablanca"),
    ("dar el beida", "casablanca"),
    ("darbeida", "casablanca"),
    ("tangier", "tanger"),
    ("tangiers", "tanger"),
    ("tanja", "tanger"),
    ("fez", "fes"),
    ("marrakesh", "marrakech"),
    ("tetuan", "tetouan"),
    ("jadida", "el jadida"),
    ("layoune", "laayoune"),
    ("el aaiun", "laayoune"),
    ("hoceima", "al hoceima"),
    ("alhoceima", "al hoceima"),
    ("rbat", "rabat"),
];

/// Region names boards use that are not the 2015 regions' (emploi.ma's "Casablanca-Mohammedia"
/// is the Casablanca area), folded, with the region's code.
const REGION_ALIASES: &[(&str, &str)] = &[
    ("casablanca mohammedia", "06"),
    ("grand casablanca", "06"),
    ("rabat sale kenitra", "04"),
    ("rabat sale zemmour zaer", "04"),
    ("tanger tetouan", "01"),
    ("souss massa draa", "09"),
    ("fes meknes", "03"),
    ("oriental", "02"),
    ("l oriental", "02"),
];

/// Words that say nothing of the place: the country, "anywhere", administrative words.
const PLACE_NOISE: &[&str] = &[
    "maroc",
    "morocco",
    "marocco",
    "مغرب",
    "ville",
    "city",
    "region",
    "regions",
    "province",
    "prefecture",
    "et",
    "and",
    "de",
    "du",
    "la",
    "le",
    "au",
    "a",
];

/// A field, or one of its parts, that names no one place: that part is left out (the whole
/// field: unknown).
const NOWHERE: &[&str] = &[
    "tout le maroc",
    "partout au maroc",
    "all morocco",
    "international",
    "inconnu",
    "indifferente",
    "indifferent",
    "non specifie",
    "كل المغرب",
];

/// The communes, provinces and regions by every name boards write, folded.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    communes: Vec<Commune>,
    /// Folded name or alias → communes of that name, the likeliest first (urban, then the
    /// most populous).
    by_name: HashMap<String, Vec<usize>>,
    /// Folded region or province name → region code, and whether it is a region's own name
    /// (not a province's, nor an area's such as "Casablanca-Mohammedia").
    regions: HashMap<String, (String, bool)>,
    /// The longest name, in words.
    longest: usize,
}

impl Gazetteer {
    /// From the geo table: its communes, its regions (each `Area`'s code its own) and its
    /// provinces.
    pub fn new(communes: Vec<Commune>, regions: &[Area], provinces: &[Area]) -> Self {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, commune) in communes.iter().enumerate() {
            for name in [&commune.name_fr, &commune.name_ar] {
                let folded = fold(name);
                if !folded.is_empty() {
                    by_name.entry(folded).or_default().push(n);
                }
            }
        }
        for list in by_name.values_mut() {
            list.sort_by_key(|n| {
                let c = &communes[*n];
                (!c.urban, std::cmp::Reverse(c.population))
            });
            list.dedup();
        }
        for (alias, name) in CITY_ALIASES {
            if let Some(list) = by_name.get(*name).cloned() {
                by_name.entry((*alias).to_owned()).or_insert(list);
            }
        }
        let mut by_region: HashMap<String, (String, bool)> = HashMap::new();
        for region in regions {
            for name in [&region.name_fr, &region.name_ar] {
                by_region.insert(fold(name), (region.region_code.clone(), true));
            }
        }
        for province in provinces {
            for name in [&province.name_fr, &province.name_ar] {
                by_region
                    .entry(fold(name))
                    .or_insert_with(|| (province.region_code.clone(), false));
            }
        }
        for (alias, code) in REGION_ALIASES {
            // A board's name that is also a region's own stays official.
            by_region
                .entry((*alias).to_owned())
                .or_insert_with(|| ((*code).to_owned(), false));
        }
        let longest = by_name
            .keys()
            .chain(by_region.keys())
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        Gazetteer {
            communes,
            by_name,
            regions: by_region,
            longest,
        }
    }

    /// The commune (or only the region) a board's place field or a text names. Several places
    /// in one region give the region; places in several regions, or none known, give `None`.
    pub fn place(&self, text: &str) -> Option<Guess<Place>> {
        let whole = fold(text);
        if whole.is_empty() || NOWHERE.contains(&whole.as_str()) {
            return None;
        }
        // The field as a whole first: a commune's or a region's full name.
        if let Some(found) = self.exact(&whole) {
            return Some(found);
        }
        let mut communes: Vec<usize> = Vec::new();
        let mut regions: Vec<(String, bool)> = Vec::new();
        for segment in segments(text) {
            let folded = fold(&segment);
            // "… & International": that part names no place.
            if NOWHERE.contains(&folded.as_str()) {
                continue;
            }
            let words: Vec<&str> = folded
                .split(' ')
                .filter(|w| !w.is_empty() && !PLACE_NOISE.contains(w) && !is_number(w))
                .collect();
            if words.is_empty() {
                continue;
            }
            let cleaned = words.join(" ");
            // A segment that is a name, rural communes included.
            if let Some(list) = self.by_name.get(&cleaned) {
                communes.push(list[0]);
                continue;
            }
            if let Some(region) = self.regions.get(&cleaned) {
                regions.push(region.clone());
                continue;
            }
            // Else the names inside it, longest first: "Rabat Agdal", "Casablanca-Mohammedia".
            // Only towns here: a rural commune's name inside a phrase is too often a word.
            let mut at = 0;
            while at < words.len() {
                let mut matched = 0;
                for len in (1..=self.longest.min(words.len() - at)).rev() {
                    let phrase = words[at..at + len].join(" ");
                    if let Some(list) = self.by_name.get(&phrase)
                        && self.communes[list[0]].urban
                    {
                        communes.push(list[0]);
                        matched = len;
                        break;
                    }
                    if len > 1
                        && let Some(region) = self.regions.get(&phrase)
                    {
                        regions.push(region.clone());
                        matched = len;
                        break;
                    }
                }
                at += matched.max(1);
            }
        }
        communes.sort_unstable();
        communes.dedup();
        let mut all_regions: Vec<&str> = regions.iter().map(|(code, _)| code.as_str()).collect();
        all_regions.extend(
            communes
                .iter()
                .map(|n| self.communes[*n].region_code.as_str()),
        );
        all_regions.sort_unstable();
        all_regions.dedup();
        // A town and its region's name ("Tanger, Tanger-Tétouan-Al Hoceïma") is the town; a
        // town beside a province or an area ("Casablanca-Mohammedia & Settat") is the region.
        let only_region_names = regions.iter().all(|(_, official)| *official);
        match (communes.as_slice(), all_regions.as_slice()) {
            ([one], [_]) if only_region_names => {
                let c = &self.communes[*one];
                guess(
                    Place {
                        commune: Some(c.code.clone()),
                        region: c.region_code.clone(),
                    },
                    0.9,
                )
            }
            (_, [region]) => guess(
                Place {
                    commune: None,
                    region: (*region).to_owned(),
                },
                if communes.is_empty() { 0.85 } else { 0.7 },
            ),
            _ => None,
        }
    }

    /// The place an offer's title names ("Commercial terrain - Tanger", "Stage PFE Casa"), for
    /// a board whose place field says only the country: read as a place field, less surely
    /// (0.6 of the field's confidence).
    pub fn place_in_title(&self, title: &str) -> Option<Guess<Place>> {
        self.place(title).map(|found| Guess {
            value: found.value,
            confidence: found.confidence * 0.6,
        })
    }

    /// A whole field that is one name: a commune's (the likeliest of that name), an alias's, a
    /// region's or a province's.
    fn exact(&self, folded: &str) -> Option<Guess<Place>> {
        if let Some(list) = self.by_name.get(folded) {
            let c = &self.communes[list[0]];
            // Several communes of this name: the town among them, or the most populous.
            let confidence = if list.len() == 1 || c.urban { 1.0 } else { 0.6 };
            return guess(
                Place {
                    commune: Some(c.code.clone()),
                    region: c.region_code.clone(),
                },
                confidence,
            );
        }
        self.regions.get(folded).and_then(|(code, _)| {
            guess(
                Place {
                    commune: None,
                    region: code.clone(),
                },
                0.95,
            )
        })
    }
}

/// A place field cut where boards list several places or add an address: commas, middle dots,
/// ampersands, slashes, parentheses, a hyphen between spaces, "et", "and", "و".
fn segments(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = vec![String::new()];
    for c in text.chars() {
        if matches!(
            c,
            ',' | '·' | '&' | '/' | ';' | '|' | '(' | ')' | '،' | '\n'
        ) {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("never empty").push(c);
        }
    }
    parts
        .iter()
        .flat_map(|p| p.split(" - ").map(str::to_owned).collect::<Vec<_>>())
        .flat_map(|p| {
            p.split(" et ")
                .flat_map(|q| q.split(" and "))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
}

/// Whether the folded `text` holds `phrase` (folded, one or more words) as whole words.
fn has(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = at == 0 || text.as_bytes()[at - 1] == b' ';
        let end = at + phrase.len();
        let after = end == text.len() || text.as_bytes()[end] == b' ';
        before && after
    })
}

/// Each contract and the words that name it, folded (French, English, Arabic).
const CONTRACT_WORDS: &[(Contract, &[&str])] = &[
    (
        Contract::Cdi,
        &[
            "cdi",
            "duree indeterminee",
            "permanent contract",
            "permanent position",
            "غير محدد مده",
            "غير محدده مده",
        ],
    ),
    (
        Contract::Cdd,
        &[
            "cdd",
            "duree determinee",
            "fixed term",
            "fixed term contract",
            "محدد مده",
            "محدده مده",
        ],
    ),
    (
        Contract::Idmaj,
        &[
            "idmaj",
            "anapec",
            "contrat d insertion",
            "contrat insertion",
            "ادماج",
        ],
    ),
    (Contract::Tahfiz, &["tahfiz", "تحفيز"]),
    (
        Contract::Temporary,
        &[
            "interim",
            "interimaire",
            "travail temporaire",
            "temporary",
            "عمل موقت",
            "موقت",
        ],
    ),
    (
        Contract::Freelance,
        &[
            "freelance",
            "free lance",
            "freelancer",
            "auto entrepreneur",
            "consultant externe",
            "عمل حر",
        ],
    ),
    (
        Contract::Apprenticeship,
        &[
            "apprentissage",
            "alternance",
            "apprenticeship",
            "apprenti",
            "تدرج مهني",
        ],
    ),
];

/// The contracts `text` names, in the order of [`Contract::ALL`].
fn contracts_in(text: &str) -> Vec<Contract> {
    let folded = fold(text);
    CONTRACT_WORDS
        .iter()
        .filter(|(contract, words)| {
            words.iter().any(|w| {
                // "محدد المدة" inside "غير محدد المدة" is a CDI, not a CDD.
                if *contract == Contract::Cdd && w.starts_with('م') {
                    folded
                        .match_indices(w)
                        .any(|(at, _)| !folded[..at].trim_end().ends_with("غير"))
                } else {
                    has(&folded, w)
                }
            })
        })
        .map(|(contract, _)| *contract)
        .collect()
}

/// The contract a board's contract field names (`confidence` 0.95), else the one the title and
/// description name (0.7). Several contracts named at once ("CDI, CDD & Intérim"): unknown.
pub fn contract(field: &str, text: &str) -> Option<Guess<Contract>> {
    match contracts_in(field).as_slice() {
        [one] => return guess(*one, 0.95),
        [] => {}
        _ => return None,
    }
    match contracts_in(text).as_slice() {
        [one] => guess(*one, 0.7),
        _ => None,
    }
}

/// An offer's kind, and which internship: from the title (and a board's contract field, where
/// some boards write "Stage"); the description only for the internship's type. A title that
/// says nothing of it is a job, less surely (0.6; 0.8 when a contract was read).
pub fn kind(
    title: &str,
    contract_field: &str,
    description: &str,
    contract_known: bool,
) -> Guess<(OfferKind, Option<InternshipType>)> {
    let head = fold(&format!("{title} {contract_field}"));
    let body = fold(description);
    let internship_type = |text: &str| {
        if [
            "pfe",
            "fin d etudes",
            "fin etudes",
            "end of studies",
            "projet de fin",
        ]
        .iter()
        .any(|w| has(text, w))
        {
            Some(InternshipType::EndOfStudies)
        } else if ["pre embauche", "preembauche", "pre hiring"]
            .iter()
            .any(|w| has(text, w))
        {
            Some(InternshipType::PreHiring)
        } else if [
            "stage d observation",
            "stage observation",
            "observation internship",
        ]
        .iter()
        .any(|w| has(text, w))
        {
            Some(InternshipType::Observation)
        } else {
            None
        }
    };
    if has(&head, "immersion") {
        return Guess {
            value: (OfferKind::Immersion, None),
            confidence: 0.9,
        };
    }
    let internship = [
        "stage",
        "stages",
        "stagiaire",
        "stagiaires",
        "internship",
        "intern",
        "interns",
        "pfe",
        "تربص",
        "متدرب",
        "متدربين",
    ]
    .iter()
    .any(|w| has(&head, w));
    if internship {
        let which = internship_type(&head).or_else(|| internship_type(&body));
        return Guess {
            value: (OfferKind::Internship, which),
            confidence: 0.9,
        };
    }
    Guess {
        value: (OfferKind::Job, None),
        confidence: if contract_known { 0.8 } else { 0.6 },
    }
}

/// Each education level and the words that name it, folded (`+` folds to a space).
const EDUCATION_WORDS: &[(RequiredEducation, &[&str])] = &[
    (
        RequiredEducation::NoDiploma,
        &[
            "sans diplome",
            "aucun diplome",
            "no diploma",
            "no degree",
            "بدون شهاده",
        ],
    ),
    (
        RequiredEducation::Vocational,
        &[
            "qualification",
            "qualification avant bac",
            "niveau bac",
            "cap",
            "technicien",
            "تاهيل مهني",
        ],
    ),
    (
        RequiredEducation::Bac,
        &[
            "bac",
            "baccalaureat",
            "bac 1",
            "bac1",
            "بكالوريا",
            "باكالوريا",
        ],
    ),
    (
        RequiredEducation::Bac2,
        &[
            "bac 2",
            "bac2",
            "bts",
            "dut",
            "deug",
            "dts",
            "technicien specialise",
            "تقني متخصص",
        ],
    ),
    (
        RequiredEducation::Bac3,
        &[
            "bac 3",
            "bac3",
            "licence",
            "licence professionnelle",
            "bachelor",
            "اجازه",
        ],
    ),
    (
        RequiredEducation::Bac4,
        &["bac 4", "bac4", "master 1", "m1"],
    ),
    (
        RequiredEducation::Bac5,
        &[
            "bac 5",
            "bac5",
            "bac 5 et plus",
            "master",
            "master 2",
            "mba",
            "ingenieur",
            "ecole d ingenieur",
            "doctorat",
            "phd",
            "ماستر",
            "دكتوراه",
            "مهندس دوله",
        ],
    ),
];

/// The levels `folded` names; `strict` keeps only "bac+N" and "baccalauréat" (for a
/// description, where "licence" or "master" may mean something else).
fn levels_in(folded: &str, strict: bool) -> Vec<RequiredEducation> {
    let mut found: Vec<RequiredEducation> = EDUCATION_WORDS
        .iter()
        .filter(|(_, words)| {
            words.iter().any(|w| {
                (!strict || w.starts_with("bac"))
                    && if *w == "bac" {
                        bare_bac(folded)
                    } else {
                        has(folded, w)
                    }
            })
        })
        .map(|(level, _)| *level)
        .collect();
    // "Technicien spécialisé" is bac+2, not the technician's qualification it contains.
    if has(folded, "technicien specialise")
        && !has(&folded.replace("technicien specialise", ""), "technicien")
    {
        found.retain(|l| *l != RequiredEducation::Vocational);
    }
    found
}

/// Whether "bac" stands alone ("Bac Minimum"), not as "Bac+2" (folded "bac 2").
fn bare_bac(folded: &str) -> bool {
    let words: Vec<&str> = folded.split(' ').collect();
    words.iter().enumerate().any(|(at, word)| {
        *word == "bac"
            && !words
                .get(at + 1)
                .is_some_and(|next| !next.is_empty() && is_number(next))
    })
}

/// The least education asked: from a board's education field (0.95 for one level, 0.85 for a
/// list, whose lowest level is what is required), else from "bac+N" in the description (0.6).
pub fn education(field: &str, description: &str) -> Option<Guess<RequiredEducation>> {
    let levels = levels_in(&fold(field), false);
    if let Some(lowest) = levels.iter().min_by_key(|l| rank(**l)) {
        return guess(*lowest, if levels.len() == 1 { 0.95 } else { 0.85 });
    }
    levels_in(&fold(description), true)
        .into_iter()
        .min_by_key(|l| rank(*l))
        .and_then(|l| guess(l, 0.6))
}

fn rank(level: RequiredEducation) -> usize {
    RequiredEducation::ALL
        .iter()
        .position(|l| *l == level)
        .unwrap_or(0)
}

const BEGINNER: &[&str] = &[
    "debutant",
    "debutante",
    "debutants",
    "jeune diplome",
    "jeunes diplomes",
    "etudiant",
    "sans experience",
    "aucune experience",
    "entry level",
    "no experience",
    "graduate",
    "مبتدئ",
    "بدون تجربه",
    "حديث تخرج",
];

const YEARS: &[&str] = &[
    "an",
    "ans",
    "annee",
    "annees",
    "year",
    "years",
    "yr",
    "yrs",
    "سنه",
    "سنوات",
    "سنين",
    "اعوام",
];

/// The fewest years of experience asked. A board's experience field (0.95): a beginner's words
/// are 0, "de 3 à 5 ans" is 3, "plus de 10 ans" is 10, a list its lowest. In a description
/// (0.6): only years said next to the word experience.
pub fn experience(field: &str, description: &str) -> Option<Guess<u8>> {
    if let Some(years) = years_in(&fold(field), false) {
        return guess(years, 0.95);
    }
    years_in(&fold(description), true).and_then(|y| guess(y, 0.6))
}

fn years_in(folded: &str, near_experience: bool) -> Option<u8> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut found: Vec<u8> = Vec::new();
    if !near_experience && BEGINNER.iter().any(|w| has(folded, w)) {
        found.push(0);
    }
    if !near_experience && ["سنتين", "سنتان"].iter().any(|w| has(folded, w)) {
        found.push(2);
    }
    for (at, word) in words.iter().enumerate() {
        let Ok(n) = word.parse::<u8>() else { continue };
        // "Bac+2, 3 ans": the 2 is the diploma's.
        if n > 40 || (at > 0 && words[at - 1] == "bac") {
            continue;
        }
        // A year word within the next three words: "3 ans", "3 à 5 ans", "2 ans et 5 ans".
        let window = &words[at + 1..(at + 4).min(words.len())];
        if !window.iter().any(|w| YEARS.contains(w)) {
            continue;
        }
        if near_experience {
            let lo = at.saturating_sub(5);
            let hi = (at + 6).min(words.len());
            if !words[lo..hi]
                .iter()
                .any(|w| w.starts_with("experience") || *w == "تجربه" || *w == "خبره")
            {
                continue;
            }
        }
        // "moins de 1 an", "< 2 ans" (the sign folds away, "débutant" said it): a beginner.
        let before = &words[at.saturating_sub(2)..at];
        if before.contains(&"moins") || before.contains(&"less") || before.contains(&"اقل") {
            found.push(0);
        } else {
            found.push(n);
        }
    }
    found.into_iter().min()
}

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("january", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("feb", 2),
    ("february", 2),
    ("mars", 3),
    ("mar", 3),
    ("march", 3),
    ("avril", 4),
    ("avr", 4),
    ("apr", 4),
    ("april", 4),
    ("mai", 5),
    ("may", 5),
    ("juin", 6),
    ("jun", 6),
    ("june", 6),
    ("juillet", 7),
    ("juil", 7),
    ("jul", 7),
    ("july", 7),
    ("aout", 8),
    ("aug", 8),
    ("august", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("september", 9),
    ("octobre", 10),
    ("oct", 10),
    ("october", 10),
    ("novembre", 11),
    ("nov", 11),
    ("november", 11),
    ("decembre", 12),
    ("dec", 12),
    ("december", 12),
    // Moroccan and Middle-Eastern names, folded.
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("ماي", 5),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليوز", 7),
    ("يوليو", 7),
    ("غشت", 8),
    ("اغسطس", 8),
    ("شتنبر", 9),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نونبر", 11),
    ("نوفمبر", 11),
    ("دجنبر", 12),
    ("ديسمبر", 12),
];

/// A day written out: "25/12/2024", "29.11.2024", "2024-12-25" (day first, as Moroccan boards
/// write), "16 décembre 2024", "19 Déc 2024 09:36".
fn written_day(text: &str) -> Option<Guess<NaiveDate>> {
    // Digits first: "25/12/2024", "29.11.2024", "2024-12-25".
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() >= 3 {
        let n: Vec<u32> = numbers[..3].iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() == 3 {
            let day = if numbers[0].len() == 4 {
                NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2])
            } else if numbers[2].len() == 4 {
                NaiveDate::from_ymd_opt(n[2] as i32, n[1], n[0])
            } else {
                None
            };
            if let Some(day) = day {
                return guess(day, 0.95);
            }
        }
    }
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    // "16 décembre 2024", "19 Déc 2024 09:36".
    for (at, word) in words.iter().enumerate() {
        if let Some((_, month)) = MONTHS.iter().find(|(name, _)| name == word)
            && at > 0
            && let (Ok(day), Some(Ok(year))) = (
                words[at - 1].parse::<u32>(),
                words.get(at + 1).map(|y| y.parse::<i32>()),
            )
            && let Some(date) = NaiveDate::from_ymd_opt(year, *month, day)
        {
            return guess(date, 1.0);
        }
    }
    None
}

/// The last day to apply, as a board writes it ("28/01/2025", "31 décembre 2024"): a day
/// written out, any year from 2000. Relative words ("dans 3 jours") are not read.
pub fn day(text: &str) -> Option<Guess<NaiveDate>> {
    written_day(text).filter(|d| d.value.year() >= 2000)
}

/// The day a board says an offer was posted, `today` being the day it was read (Morocco's
/// calendar): "25/12/2024" and "29.11.2024" (day first, as Moroccan boards write), "2024-12-25",
/// "16 décembre 2024", "19 Déc 2024 09:36", "Aujourd'hui 17:55", "hier", "il y a 3 jours",
/// "5 days ago", "منذ يومين". "30+ days ago" is at least thirty days: that day, less surely. A
/// day after `today` or before 2000 is not a posting date.
pub fn posted_on(text: &str, today: NaiveDate) -> Option<Guess<NaiveDate>> {
    let sane = |day: NaiveDate, confidence: f32| {
        (day <= today + Duration::days(1) && day.year() >= 2000).then_some(Guess {
            value: day,
            confidence,
        })
    };
    if let Some(written) = written_day(text) {
        return sane(written.value, written.confidence);
    }
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    // Ten years back at most: more is no posting date (and no overflow).
    let ago = |days: i64, confidence: f32| {
        (0..=3650).contains(&days).then_some(())?;
        sane(today - Duration::days(days), confidence)
    };
    // "il y a 3 jours", "5 days ago", "30+ days ago", "منذ 3 أيام".
    for (at, word) in words.iter().enumerate() {
        let Ok(n) = word.parse::<u16>() else { continue };
        let n = i64::from(n);
        let unit = words.get(at + 1).copied().unwrap_or_default();
        let days = match unit {
            "jour" | "jours" | "day" | "days" | "يوم" | "ايام" => n,
            "semaine" | "semaines" | "week" | "weeks" | "اسابيع" => n * 7,
            "mois" | "month" | "months" | "اشهر" | "شهور" => n * 30,
            _ => continue,
        };
        // "30+ days ago": at least that many (the plus folds away, so look at the text).
        let at_least = text.contains(&format!("{n}+"));
        return ago(days, if at_least { 0.4 } else { 0.85 });
    }
    // "منذ يوم", "منذ يومين", "منذ أسبوع", "منذ شهر": counted in the word itself.
    if has(&folded, "منذ") {
        for (word, days) in [
            ("يوم", 1),
            ("يومين", 2),
            ("اسبوع", 7),
            ("اسبوعين", 14),
            ("شهر", 30),
            ("شهرين", 60),
        ] {
            if has(&folded, word) {
                return ago(days, 0.85);
            }
        }
    }
    if ["aujourd hui", "today", "just posted", "a l instant"]
        .iter()
        .any(|w| has(&folded, w))
        // "اليوم" folds to "يوم" (its article dropped); "منذ" was handled above.
        || words == ["يوم"]
        || ["heure", "heures", "hour", "hours", "minutes", "ساعه", "ساعات", "دقائق"]
            .iter()
            .any(|w| has(&folded, w))
    {
        return ago(0, 0.9);
    }
    if has(&folded, "avant hier") {
        return ago(2, 0.9);
    }
    if ["hier", "yesterday", "امس"].iter().any(|w| has(&folded, w)) {
        return ago(1, 0.9);
    }
    None
}

/// A monthly salary in dirhams from a board's salary text ("Salaire: 3 000 - 4 000 dh", "Plus
/// de 10 000 dh", "5000 MAD"): its least and most, either possibly open. Only with a currency
/// said, and within sane monthly bounds (1,000 to 200,000).
pub fn salary(text: &str) -> Option<Guess<(Option<i64>, Option<i64>)>> {
    let folded = fold(text);
    // The currency as a word, or stuck to the amount ("3000dh").
    let currency = |word: &str| {
        ["dh", "dhs", "mad", "dirham", "dirhams", "درهم", "دراهم"]
            .iter()
            .any(|c| {
                word.strip_suffix(c)
                    .is_some_and(|amount| amount.is_empty() || is_number(amount))
            })
    };
    if !folded.split(' ').any(currency) {
        return None;
    }
    // Another period than the month: not a monthly salary.
    if [
        "par an",
        "annuel",
        "annuelle",
        "brut annuel",
        "per year",
        "a year",
        "yearly",
        "par jour",
        "per day",
        "journalier",
        "par semaine",
        "hebdomadaire",
        "par heure",
        "horaire",
        "de l heure",
        "per hour",
        "سنويا",
        "يوميا",
        "في ساعه",
    ]
    .iter()
    .any(|w| has(&folded, w))
    {
        return None;
    }
    // Digits grouped by thousands with spaces or dots: "10 000", "3.500"; cents after a
    // comma dropped ("3 500,00").
    let mut amounts: Vec<i64> = Vec::new();
    let mut current: Option<i64> = None;
    for word in text.split(|c: char| c.is_whitespace() || c == '.' || c == '\u{202f}') {
        let word = match word.split_once(',') {
            Some((whole, cents))
                if is_number(whole)
                    && cents.chars().take_while(char::is_ascii_digit).count() <= 2 =>
            {
                whole
            }
            _ => word,
        };
        let digits: String = word.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_digits = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
        match (current, only_digits, digits.len()) {
            (Some(value), true, 3) => {
                // Past any monthly pay: the text is not a salary.
                current = Some(value.checked_mul(1000)? + digits.parse::<i64>().ok()?);
                if current > Some(10_000_000) {
                    return None;
                }
            }
            (_, _, 0) => {
                amounts.extend(current.take());
            }
            _ => {
                amounts.extend(current.take());
                current = digits.parse().ok();
                if !only_digits {
                    amounts.extend(current.take());
                }
            }
        }
    }
    amounts.extend(current);
    let amounts: Vec<i64> = amounts
        .into_iter()
        .filter(|a| (1_000..=200_000).contains(a))
        .collect();
    let above = ["plus de", "more than", "a partir de", "from", "اكثر من"]
        .iter()
        .any(|w| has(&folded, w));
    let below = ["moins de", "less than", "jusqu a", "up to", "اقل من"]
        .iter()
        .any(|w| has(&folded, w));
    match amounts.as_slice() {
        [one] if above => guess((Some(*one), None), 0.9),
        [one] if below => guess((None, Some(*one)), 0.9),
        [one] => guess((Some(*one), Some(*one)), 0.9),
        [low, high, ..] if low <= high => guess((Some(*low), Some(*high)), 0.9),
        _ => None,
    }
}

/// Whether the work is remote: a board's field ("Oui 100%", "Non", "Hybride"), else the words
/// of the title or description ("télétravail", "remote", "عن بعد"). Hybrid work is not remote
/// (the youth must live near the workplace), said less surely.
pub fn remote(field: &str, text: &str) -> Option<Guess<bool>> {
    let mut f = fold(field);
    if f.contains("specifie") || f.contains("specified") {
        f.clear();
    }
    if has(&f, "hybride") || has(&f, "hybrid") {
        return guess(false, 0.7);
    }
    if has(&f, "oui") || has(&f, "yes") || has(&f, "100") || has(&f, "full remote") {
        return guess(true, 0.95);
    }
    if has(&f, "non") || has(&f, "no") {
        return guess(false, 0.95);
    }
    let t = fold(text);
    // Said and denied, or only part of the week: not remote, as a field's "Non" or "Hybride".
    if [
        "pas de teletravail",
        "sans teletravail",
        "no remote",
        "not remote",
        "hybride",
        "hybrid",
        "jours de teletravail",
        "jour de teletravail",
        "days remote",
        "teletravail partiel",
        "partiellement en teletravail",
    ]
    .iter()
    .any(|w| has(&t, w))
    {
        return guess(false, 0.6);
    }
    if [
        "teletravail",
        "full remote",
        "100 remote",
        "fully remote",
        "remote",
        "travail a distance",
        "poste a distance",
        "عمل عن بعد",
        "عن بعد",
    ]
    .iter()
    .any(|w| has(&t, w))
    {
        return guess(true, 0.6);
    }
    None
}

/// Trades by the words of an offer's title, folded, each word a beginning ("vendeu" is vendeur,
/// vendeuse, vendeurs), with their ISCO-08 unit group. The more precise before the less: the
/// first that matches wins.
const OCCUPATION_RULES: &[(&[&str], &str)] = &[
    // Digital.
    (&["business", "developer"], "3322"),
    (&["developpeu", "d", "affaire"], "3322"),
    (&["developpeu", "commercia"], "3322"),
    (&["developpeu", "web"], "2513"),
    (&["web", "developer"], "2513"),
    (&["integrateu", "web"], "2513"),
    (&["technicien", "serveu"], "3512"),
    (&["administrateu", "serveu"], "2522"),
    (&["developpeu"], "2512"),
    (&["developer"], "2512"),
    (&["programmeu"], "2512"),
    (&["ingenieur", "logiciel"], "2512"),
    (&["software", "engineer"], "2512"),
    (&["devops"], "2512"),
    (&["full", "stack"], "2512"),
    (&["fullstack"], "2512"),
    (&["data", "engineer"], "2521"),
    (&["administrateu", "base", "de", "donnee"], "2521"),
    (&["administrateu", "system"], "2522"),
    (&["administrateu", "reseau"], "2522"),
    (&["ingenieur", "reseau"], "2523"),
    (&["technicien", "reseau"], "3513"),
    (&["technicien", "informatique"], "3512"),
    (&["support", "informatique"], "3512"),
    (&["helpdesk"], "3512"),
    (&["technicien", "support"], "3512"),
    (&["infographiste"], "2166"),
    (&["graphiste"], "2166"),
    (&["designer", "graphique"], "2166"),
    (&["operateu", "de", "saisie"], "4132"),
    // Contact centres, sales.
    (&["teleconseill"], "4222"),
    (&["teleoperat"], "4222"),
    (&["conseill", "client"], "4222"),
    (&["agent", "call", "center"], "4222"),
    (&["customer", "service"], "4222"),
    (&["teleprospect"], "5244"),
    (&["televendeu"], "5244"),
    (&["delegue", "medical"], "2433"),
    (&["delegue", "pharma"], "2433"),
    (&["animat", "commercia"], "5242"),
    (&["animatrice", "commercia"], "5242"),
    (&["merchandis"], "5242"),
    (&["commercia"], "3322"),
    (&["sales", "representative"], "3322"),
    (&["vendeu"], "5223"),
    (&["caissi"], "5230"),
    (&["acheteu"], "3323"),
    (&["agent", "immobilier"], "3334"),
    (&["marketing"], "2431"),
    (&["chef", "de", "produit"], "2431"),
    // Office, finance, law, people.
    (&["expert", "comptable"], "2411"),
    (&["auditeu"], "2411"),
    (&["controleu", "de", "gestion"], "2411"),
    (&["accountant"], "2411"),
    (&["aide", "comptable"], "4311"),
    (&["comptable"], "3313"),
    (&["assistant", "de", "direction"], "3343"),
    (&["assistante", "de", "direction"], "3343"),
    (&["secretair"], "4120"),
    (&["receptionnist"], "4226"),
    (&["hotesse", "d", "accueil"], "4226"),
    (&["agent", "d", "accueil"], "4226"),
    (&["agent", "administratif"], "4110"),
    (&["juriste"], "2619"),
    (&["avocat"], "2611"),
    (&["charge", "de", "recrutement"], "2423"),
    (&["chargee", "de", "recrutement"], "2423"),
    (&["recruteu"], "2423"),
    (&["recruiter"], "2423"),
    (&["ressources", "humaines"], "2423"),
    (&["talent", "acquisition"], "2423"),
    (&["agent", "de", "voyage"], "4221"),
    // Transport and warehouses.
    (&["chauffeu", "poids", "lourd"], "8332"),
    (&["chauffeu"], "8322"),
    (&["driver"], "8322"),
    (&["livreu"], "9621"),
    (&["coursier"], "9621"),
    (&["cariste"], "8344"),
    (&["magasinier"], "4321"),
    (&["manutentionnaire"], "9333"),
    (&["preparateu", "de", "commande"], "9333"),
    // Health.
    (&["aide", "soignant"], "5321"),
    (&["infirmi"], "2221"),
    (&["sage", "femme"], "2222"),
    (&["medecin"], "2211"),
    (&["pharmacien"], "2262"),
    // Teaching.
    (&["formateu"], "2424"),
    (&["formatrice"], "2424"),
    (&["professeu"], "2330"),
    (&["enseignant"], "2330"),
    // Trades, building, industry.
    (&["electricien"], "7411"),
    (&["plombier"], "7126"),
    (&["soudeu"], "7212"),
    (&["mecanicien"], "7231"),
    (&["technicien", "de", "maintenance"], "7233"),
    (&["menuisier"], "7115"),
    (&["couturi"], "7533"),
    (&["operateu", "cablage"], "8212"),
    (&["ingenieur", "genie", "civil"], "2142"),
    (&["ingenieur", "civil"], "2142"),
    (&["ingenieur", "electri"], "2151"),
    (&["ingenieur", "electroni"], "2152"),
    (&["ingenieur", "mecani"], "2144"),
    (&["ingenieur", "qualite"], "2141"),
    (&["ingenieur", "process"], "2141"),
    (&["ingenieur", "industriel"], "2141"),
    (&["dessinateu"], "3118"),
    (&["projeteu"], "3118"),
    (&["architecte", "d", "interieu"], "3432"),
    // Hotels and restaurants.
    (&["chef", "de", "cuisine"], "3434"),
    (&["chef", "cuisini"], "3434"),
    (&["commis", "de", "cuisine"], "9412"),
    (&["cuisini"], "5120"),
    (&["patissi"], "7512"),
    (&["boulang"], "7512"),
    // "Serveur" is also a computer: only in a restaurant's words.
    (&["serveu", "restaura"], "5131"),
    (&["serveu", "salle"], "5131"),
    (&["serveuse"], "5131"),
    (&["barman"], "5132"),
    (&["barista"], "5132"),
    // Services.
    (&["agent", "de", "securite"], "5414"),
    (&["gardien"], "5414"),
    (&["agent", "de", "nettoyage"], "9112"),
    (&["femme", "de", "menage"], "9112"),
    (&["coiffeu"], "5141"),
    (&["estheticienne"], "5142"),
    (&["pompiste"], "5245"),
    // Arabic.
    (&["مطور"], "2512"),
    (&["مبرمج"], "2512"),
    (&["محاسب"], "3313"),
    (&["ممرض"], "2221"),
    (&["سايق"], "8322"),
    (&["طباخ"], "5120"),
    (&["نادل"], "5131"),
    (&["بايع"], "5223"),
    (&["مستشار", "زبنا"], "4222"),
    (&["كهربايي"], "7411"),
    (&["لحام"], "7212"),
    (&["خياط"], "7533"),
    (&["حارس"], "5414"),
];

/// Whether the folded `words` hold the rule's words in a row, each a beginning of its word.
fn starts_in_row(words: &[&str], rule: &[&str]) -> bool {
    rule.len() <= words.len()
        && words
            .windows(rule.len())
            .any(|window| window.iter().zip(rule).all(|(w, r)| w.starts_with(r)))
}

/// The trade an offer's title names (ISCO-08 unit group), by the rules above (0.8); a title
/// that names none, or a manager's post ("Responsable", "Chef de service", "Directeur",
/// "Store manager": the trade managed is not the post), stays unknown.
pub fn occupation(title: &str) -> Option<Guess<&'static str>> {
    let folded = fold(title);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let managing = words.iter().enumerate().any(|(at, word)| {
        ["responsable", "directeur", "directrice", "manager", "head", "gerant", "gerante"]
            .contains(word)
            // "Chef de service", "chef d'équipe": a post; "chef de cuisine", "chef de partie":
            // a cook.
            || (*word == "chef"
                && matches!(words.get(at + 1), Some(&"de" | &"d"))
                && !matches!(words.get(at + 2), Some(&"cuisine" | &"partie" | &"rang")))
    });
    if managing {
        return None;
    }
    OCCUPATION_RULES
        .iter()
        .find(|(rule, _)| starts_in_row(&words, rule))
        .and_then(|(_, isco)| guess(*isco, 0.8))
}

/// The growth sectors by the words of a text, folded, each a beginning of a word.
const SECTOR_RULES: &[(&str, &[&[&str]])] = &[
    (
        "automotive",
        &[
            &["automobile"],
            &["automotive"],
            &["cablage"],
            &["faisceau"],
            &["سيارات"],
        ],
    ),
    (
        "aeronautics",
        &[&["aeronauti"], &["aerospat"], &["aerospace"], &["طيران"]],
    ),
    (
        "offshoring",
        &[
            &["centre", "d", "appel"],
            &["call", "center"],
            &["callcenter"],
            &["centre", "de", "contact"],
            &["teleconseill"],
            &["teleoperat"],
            &["teleprospect"],
            &["offshor"],
            &["outsourcing"],
            &["externalisation"],
            &["مراكز", "ندا"],
        ],
    ),
    (
        "textile_leather",
        &[
            &["textile"],
            &["confection"],
            &["couturi"],
            &["maroquin"],
            &["cuir"],
            &["نسيج"],
            &["خياط"],
        ],
    ),
    (
        "agrifood",
        &[
            &["agroalimentaire"],
            &["agro", "alimentaire"],
            &["industrie", "alimentaire"],
            &["laiti"],
            &["conserverie"],
            &["صناعات", "غذاييه"],
        ],
    ),
    (
        "agriculture",
        &[
            &["agricole"],
            &["agriculture"],
            &["agronom"],
            &["elevage"],
            &["irrigation"],
            &["فلاحه"],
        ],
    ),
    (
        "fisheries",
        &[
            &["peche"],
            &["halieuti"],
            &["aquaculture"],
            &["صيد", "بحري"],
        ],
    ),
    (
        "tourism",
        &[
            &["hotel"],
            &["hotell"],
            &["restaura"],
            &["touris"],
            &["cuisini"],
            &["patissi"],
            &["agence", "de", "voyage"],
            &["سياحه"],
            &["فندق"],
            &["مطعم"],
        ],
    ),
    (
        "construction",
        &[
            &["btp"],
            &["chantier"],
            &["genie", "civil"],
            &["batiment"],
            &["travaux", "publics"],
            &["conducteur", "de", "travaux"],
            &["gros", "oeuvre"],
            &["بنا"],
            &["اشغال"],
        ],
    ),
    (
        "renewable_energy",
        &[
            &["energie", "renouvelable"],
            &["energies", "renouvelables"],
            &["solaire"],
            &["photovolta"],
            &["eolien"],
            &["efficacite", "energetique"],
            &["طاقات", "متجدده"],
        ],
    ),
    (
        "digital",
        &[
            &["informatique"],
            &["developpeu"],
            &["developer"],
            &["logiciel"],
            &["software"],
            &["devops"],
            &["cloud"],
            &["numerique"],
            &["digital"],
            &["cyber"],
            &["data"],
            &["web"],
            &["معلوميات"],
            &["برمجه"],
        ],
    ),
    (
        "logistics",
        &[
            &["logistique"],
            &["logistics"],
            &["supply", "chain"],
            &["transporteu"],
            &["societe", "de", "transport"],
            &["transport", "de", "marchandise"],
            &["transport", "routier"],
            &["entrepot"],
            &["cariste"],
            &["magasinier"],
            &["chauffeu"],
            &["livreu"],
            &["transit"],
            &["لوجستيك"],
            &["نقل"],
        ],
    ),
    (
        "health",
        &[
            &["sante"],
            &["clinique"],
            &["hopital"],
            &["medical"],
            &["medecin"],
            &["infirmi"],
            &["pharmac"],
            &["aide", "soignant"],
            &["paramedical"],
            &["صحه"],
            &["مستشفي"],
            &["مصحه"],
            &["ممرض"],
        ],
    ),
    (
        "mining_chemicals",
        &[
            &["phosphate"],
            &["minier"],
            &["miniere"],
            &["chimie"],
            &["chimique"],
            &["معادن"],
            &["كيميا"],
        ],
    ),
    (
        "handicrafts",
        &[
            &["artisan"],
            &["artisanat"],
            &["zellige"],
            &["poterie"],
            &["صناعه", "تقليديه"],
        ],
    ),
    (
        "commerce",
        &[
            &["grande", "surface"],
            &["supermarche"],
            &["hypermarche"],
            &["grande", "distribution"],
            &["retail"],
            &["vendeu"],
            &["caissi"],
            &["merchandis"],
            &["تجاره"],
        ],
    ),
];

/// The sector whose words `text` holds most (ties: none).
fn sector_in(text: &str) -> Option<&'static str> {
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut best: Option<(&'static str, usize)> = None;
    let mut tied = false;
    for (sector, rules) in SECTOR_RULES {
        let hits = rules.iter().filter(|r| starts_in_row(&words, r)).count();
        match best {
            _ if hits == 0 => {}
            Some((_, most)) if hits < most => {}
            Some((_, most)) if hits == most => tied = true,
            _ => {
                best = Some((sector, hits));
                tied = false;
            }
        }
    }
    if tied {
        None
    } else {
        best.map(|(sector, _)| sector)
    }
}

/// The growth sector of an offer: a board's sector field that names one (0.9), else the
/// title's words (0.75), else the sector whose trades include the one read from the title,
/// when only one does (`sectors_of`, 0.6), else the description's words (0.5). A text whose
/// words point to two sectors as much says neither.
pub fn sector(
    field: &str,
    title: &str,
    description: &str,
    occupation: Option<&str>,
    sectors_of: impl Fn(&str) -> Vec<String>,
) -> Option<Guess<String>> {
    if let Some(sector) = sector_in(field) {
        return guess(sector.to_owned(), 0.9);
    }
    if let Some(sector) = sector_in(title) {
        return guess(sector.to_owned(), 0.75);
    }
    if let Some(isco) = occupation
        && let [only] = sectors_of(isco).as_slice()
    {
        return guess(only.clone(), 0.6);
    }
    sector_in(description).and_then(|s| guess(s.to_owned(), 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(
        code: &str,
        fr: &str,
        ar: &str,
        region: &str,
        urban: bool,
        population: i64,
    ) -> Commune {
        Commune {
            code: code.into(),
            name_fr: fr.into(),
            name_ar: ar.into(),
            region_code: region.into(),
            urban,
            population,
        }
    }

    fn gazetteer() -> Gazetteer {
        let area = |region: &str, fr: &str, ar: &str| Area {
            region_code: region.into(),
            name_fr: fr.into(),
            name_ar: ar.into(),
        };
        Gazetteer::new(
            vec![
                commune(
                    "06.141.01.0",
                    "Casablanca",
                    "الدار البيضاء",
                    "06",
                    true,
                    3_200_000,
                ),
                commune("06.191.01.0", "Mohammedia", "المحمدية", "06", true, 230_000),
                commune("06.401.01.0", "Settat", "سطات", "06", true, 150_000),
                commune("04.421.01.0", "Rabat", "الرباط", "04", true, 515_000),
                commune("04.441.01.0", "Salé", "سلا", "04", true, 1_000_000),
                commune("01.511.01.0", "Tanger", "طنجة", "01", true, 1_275_000),
                commune("03.231.01.0", "Fès", "فاس", "03", true, 1_167_000),
                commune("09.001.05.1", "Sahel", "الساحل", "09", false, 8_000),
                commune("01.051.03.1", "Ajdir", "أجدير", "01", false, 5_000),
                commune("03.451.03.1", "Ajdir", "أجدير", "03", false, 9_000),
            ],
            &[
                area("01", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
                area("03", "Fès-Meknès", "فاس مكناس"),
                area("04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
                area("06", "Casablanca-Settat", "الدار البيضاء سطات"),
                area("07", "Marrakech-Safi", "مراكش آسفي"),
            ],
            &[area("01", "Tanger-Assilah", "طنجة أصيلة")],
        )
    }

    fn at(place: Option<Guess<Place>>) -> Option<(Option<String>, String)> {
        place.map(|p| (p.value.commune, p.value.region))
    }

    fn town(code: &str, region: &str) -> Option<(Option<String>, String)> {
        Some((Some(code.into()), region.into()))
    }

    #[test]
    fn cities_written_any_way_find_their_commune() {
        let g = gazetteer();
        let casa = town("06.141.01.0", "06");
        for written in [
            "Casablanca",
            "casablanca",
            "Casa",
            "CASA",
            "Casablanca (Maroc)",
            "Casablanca · Morocco",
            "الدار البيضاء",
            "Casablanca, 20000",
            "Casablanca, Maroc",
        ] {
            assert_eq!(at(g.place(written)), casa, "{written}");
        }
        assert_eq!(at(g.place("Rabat Agdal")), town("04.421.01.0", "04"));
        assert_eq!(
            at(g.place("Riad, 3 Av. Annakhil, Rabat 10000")),
            town("04.421.01.0", "04")
        );
        assert_eq!(at(g.place("Tangier · Morocco")), town("01.511.01.0", "01"));
        assert_eq!(at(g.place("fès")), town("03.231.01.0", "03"));
        assert_eq!(at(g.place("Salé")), town("04.441.01.0", "04"));
        assert_eq!(g.place("Casablanca").unwrap().confidence, 1.0);
    }

    #[test]
    fn regions_and_several_places() {
        let g = gazetteer();
        let region = |code: &str| Some((None, code.to_owned()));
        assert_eq!(at(g.place("Tanger - Tétouan")), region("01"));
        assert_eq!(at(g.place("Tanger-Tétouan-Al Hoceïma")), region("01"));
        assert_eq!(at(g.place("Rabat-Salé-Kénitra")), region("04"));
        // Two towns of one region: the region.
        assert_eq!(at(g.place("Casablanca-Mohammedia")), region("06"));
        assert_eq!(at(g.place("Casablanca-Mohammedia & Settat")), region("06"));
        assert_eq!(
            at(g.place("Casablanca-Mohammedia & International")),
            region("06")
        );
        // A town and its region: the town.
        assert_eq!(
            at(g.place("Tanger, Tanger-Tétouan-Al Hoceïma")),
            town("01.511.01.0", "01")
        );
        // A region's own name that boards also write keeps the town beside it.
        assert_eq!(at(g.place("Fès, Fès-Meknès")), town("03.231.01.0", "03"));
        assert_eq!(
            at(g.place("Salé - Rabat-Salé-Kénitra")),
            town("04.441.01.0", "04")
        );
        // "International" inside an address is a word, not "anywhere".
        assert_eq!(
            at(g.place("Aéroport International, Casablanca")),
            town("06.141.01.0", "06")
        );
        // Places in several regions, or none: unknown.
        assert_eq!(
            at(g.place("Casablanca, Marrakech, Rabat , Meknès et Fès")),
            None
        );
        assert_eq!(
            at(g.place("Casablanca-Mohammedia & Rabat-Salé-Kénitra")),
            None
        );
        for nowhere in [
            "Morocco",
            "Tout le Maroc",
            "International",
            "inconnu",
            "",
            "Atlantis",
        ] {
            assert_eq!(at(g.place(nowhere)), None, "{nowhere}");
        }
    }

    #[test]
    fn a_title_names_its_town() {
        let g = gazetteer();
        assert_eq!(
            at(g.place_in_title("Commercial terrain - Tanger")),
            town("01.511.01.0", "01")
        );
        assert_eq!(
            at(g.place_in_title("Stage PFE Casa")),
            town("06.141.01.0", "06")
        );
        assert!(g.place_in_title("Stage PFE Casa").unwrap().confidence < 0.6);
        assert_eq!(at(g.place_in_title("Sales executive")), None);
        assert_eq!(at(g.place_in_title("Développeur Java")), None);
    }

    #[test]
    fn a_rural_name_inside_a_phrase_is_a_word() {
        let g = gazetteer();
        // "Sahel" is a rural commune; "Sahel" alone is taken, inside an address it is not.
        assert_eq!(at(g.place("Sahel")), town("09.001.05.1", "09"));
        assert_eq!(at(g.place("Zone du sahel industriel")), None);
        // Two communes of one name: the more populous, less surely.
        let ajdir = g.place("Ajdir").unwrap();
        assert_eq!(ajdir.value.commune.as_deref(), Some("03.451.03.1"));
        assert!(ajdir.confidence < 0.7);
    }

    #[test]
    fn contracts_in_three_languages() {
        let c = |field: &str, text: &str| contract(field, text).map(|g| g.value);
        assert_eq!(c("CDI", ""), Some(Contract::Cdi));
        assert_eq!(c("Intérim", ""), Some(Contract::Temporary));
        assert_eq!(c("Freelance", ""), Some(Contract::Freelance));
        assert_eq!(
            c("", "Contrat ANAPEC (Idmaj) de 24 mois"),
            Some(Contract::Idmaj)
        );
        assert_eq!(c("", "Programme Tahfiz"), Some(Contract::Tahfiz));
        assert_eq!(
            c("", "Contrat à durée déterminée de 6 mois"),
            Some(Contract::Cdd)
        );
        assert_eq!(c("", "عقد غير محدد المدة"), Some(Contract::Cdi));
        assert_eq!(c("", "عقد محدد المدة"), Some(Contract::Cdd));
        assert_eq!(c("", "عقد إدماج"), Some(Contract::Idmaj));
        assert_eq!(
            c("", "Contrat en alternance"),
            Some(Contract::Apprenticeship)
        );
        // The board's field wins over the text, said more surely.
        let field = contract("CDD", "poste en CDI après la période").unwrap();
        assert_eq!((field.value, field.confidence), (Contract::Cdd, 0.95));
        // Several at once, or none: unknown.
        assert_eq!(c("CDI, CDD & Intérim", ""), None);
        assert_eq!(c("Non spécifié", "Poste à pourvoir"), None);
        assert_eq!(c("Autre", "CDI ou CDD selon profil"), None);
    }

    #[test]
    fn kinds_and_internships() {
        let k = |title: &str, field: &str, text: &str| kind(title, field, text, false).value;
        assert_eq!(
            k("Stage PFE développeur", "", ""),
            (OfferKind::Internship, Some(InternshipType::EndOfStudies))
        );
        assert_eq!(
            k("Stagiaire comptable", "", "Stage de pré-embauche de 6 mois"),
            (OfferKind::Internship, Some(InternshipType::PreHiring))
        );
        assert_eq!(
            k("Assistant RH", "Stage", ""),
            (OfferKind::Internship, None)
        );
        assert_eq!(
            k("Stage d'observation en hôtellerie", "", ""),
            (OfferKind::Internship, Some(InternshipType::Observation))
        );
        assert_eq!(
            k("Immersion en atelier", "", ""),
            (OfferKind::Immersion, None)
        );
        assert_eq!(k("Data intern", "", ""), (OfferKind::Internship, None));
        assert_eq!(
            k("متدرب في المحاسبة", "", ""),
            (OfferKind::Internship, None)
        );
        let job = kind("Comptable confirmé", "", "", false);
        assert_eq!((job.value.0, job.confidence), (OfferKind::Job, 0.6));
        // "Stagiaire" in a job's description does not make it an internship.
        assert_eq!(
            k("Chef de projet", "", "Vous encadrerez les stagiaires").0,
            OfferKind::Job
        );
    }

    #[test]
    fn education_levels() {
        let e = |field: &str, text: &str| education(field, text).map(|g| g.value);
        use RequiredEducation::*;
        assert_eq!(e("Bac +5 et plus Minimum - Master", ""), Some(Bac5));
        assert_eq!(e("Bac+2", ""), Some(Bac2));
        assert_eq!(e("Bac +2 Minimum - BTS / DUT", ""), Some(Bac2));
        assert_eq!(e("Bac+3, Bac+4 & Bac+5 et plus", ""), Some(Bac3));
        assert_eq!(
            e(
                "Qualification avant bac, Bac, Bac+1, Bac+2 & Bac+5 et plus",
                ""
            ),
            Some(Vocational)
        );
        assert_eq!(e("Bac Minimum - Baccalauréat", ""), Some(Bac));
        assert_eq!(e("Licence", ""), Some(Bac3));
        assert_eq!(e("Ingénieur d'État", ""), Some(Bac5));
        assert_eq!(e("Technicien spécialisé", ""), Some(Bac2));
        assert_eq!(e("ماستر", ""), Some(Bac5));
        // The description: "bac+N" only ("licence" there may be a software's).
        assert_eq!(e("Non spécifié", "Profil : Bac+4 en finance"), Some(Bac4));
        assert_eq!(e("", "Gestion des licences Microsoft, scrum master"), None);
        assert_eq!(e("Niveau d'études souhaité:", ""), None);
    }

    #[test]
    fn years_of_experience() {
        let x = |field: &str, text: &str| experience(field, text).map(|g| g.value);
        assert_eq!(x("De 3 à 5 ans", ""), Some(3));
        assert_eq!(x("De 1 à 3 ans - De 3 à 5 ans", ""), Some(1));
        assert_eq!(x("Moins de 1 an", ""), Some(0));
        assert_eq!(x("Débutant", ""), Some(0));
        assert_eq!(x("Débutant < 2 ans", ""), Some(0));
        assert_eq!(x("Expérience entre 2 ans et 5 ans", ""), Some(2));
        assert_eq!(x("Expérience > 10 ans", ""), Some(10));
        assert_eq!(x("Plus de 20 ans", ""), Some(20));
        assert_eq!(x("Etudiant, jeune diplômé", ""), Some(0));
        assert_eq!(x("2 à 5 ans", ""), Some(2));
        assert_eq!(x("خبرة سنتين", ""), Some(2));
        assert_eq!(
            x("", "Vous justifiez d'une expérience de 4 ans minimum"),
            Some(4)
        );
        assert_eq!(x("", "Entreprise créée il y a 20 ans"), None);
        assert_eq!(x("Non spécifié", ""), None);
        assert_eq!(x("Bac+2, 3 ans d'expérience", ""), Some(3));
    }

    #[test]
    fn posting_dates_as_boards_write_them() {
        let today = NaiveDate::from_ymd_opt(2024, 12, 26).unwrap();
        let d = |text: &str| posted_on(text, today).map(|g| g.value.to_string());
        assert_eq!(d("25/12/2024").as_deref(), Some("2024-12-25"));
        assert_eq!(d("29.11.2024").as_deref(), Some("2024-11-29"));
        assert_eq!(d("2024-12-03").as_deref(), Some("2024-12-03"));
        assert_eq!(d("16 décembre 2024").as_deref(), Some("2024-12-16"));
        assert_eq!(d("19 Déc 2024 09:36").as_deref(), Some("2024-12-19"));
        assert_eq!(d("Aujourd'hui 17:55").as_deref(), Some("2024-12-26"));
        assert_eq!(d("hier").as_deref(), Some("2024-12-25"));
        assert_eq!(d("il y a 3 jours").as_deref(), Some("2024-12-23"));
        assert_eq!(d("5 days ago").as_deref(), Some("2024-12-21"));
        assert_eq!(d("منذ يومين").as_deref(), Some("2024-12-24"));
        assert_eq!(d("منذ 3 أيام").as_deref(), Some("2024-12-23"));
        assert_eq!(d("il y a 2 semaines").as_deref(), Some("2024-12-12"));
        assert_eq!(d("اليوم").as_deref(), Some("2024-12-26"));
        assert_eq!(d("منذ يوم").as_deref(), Some("2024-12-25"));
        assert_eq!(d("3 دجنبر 2024").as_deref(), Some("2024-12-03"));
        let vague = posted_on("30+ days ago", today).unwrap();
        assert_eq!(vague.value.to_string(), "2024-11-26");
        assert!(vague.confidence < 0.5);
        // Not a posting date.
        assert_eq!(d("31/02/2024"), None);
        assert_eq!(d("25/12/2030"), None);
        assert_eq!(d("Non spécifié"), None);
        assert_eq!(d(""), None);
        // Absurd counts are no date, and never an overflow.
        assert_eq!(d("il y a 100000000 jours"), None);
        assert_eq!(d("il y a 60000 mois"), None);
        assert_eq!(d("99999999999999999999 days ago"), None);
    }

    #[test]
    fn salaries_in_dirhams() {
        let s = |text: &str| salary(text).map(|g| g.value);
        assert_eq!(
            s("Salaire: 3 000 - 4 000 dh"),
            Some((Some(3000), Some(4000)))
        );
        assert_eq!(s("Salaire: Plus de 10 000 dh"), Some((Some(10000), None)));
        assert_eq!(s("5000 MAD"), Some((Some(5000), Some(5000))));
        assert_eq!(s("Salaire : 3.500 dh"), Some((Some(3500), Some(3500))));
        assert_eq!(s("من 6000 إلى 8000 درهم"), Some((Some(6000), Some(8000))));
        assert_eq!(s("Salaire: A discuter"), None);
        assert_eq!(s("3 000 - 4 000"), None, "no currency said");
        assert_eq!(s("12 dh de l'heure"), None, "not a month's pay");
        assert_eq!(s("Salaire : 3 500,00 DH"), Some((Some(3500), Some(3500))));
        assert_eq!(s("120 000 dh par an"), None, "a year's pay");
        assert_eq!(s("1 000 000 000 000 000 000 000 000 dh"), None);
    }

    #[test]
    fn remote_work() {
        let r = |field: &str, text: &str| remote(field, text).map(|g| g.value);
        assert_eq!(r("Oui 100%", ""), Some(true));
        assert_eq!(r("Non", "télétravail possible"), Some(false));
        assert_eq!(r("Hybride", ""), Some(false));
        assert_eq!(r("", "Poste en télétravail"), Some(true));
        assert_eq!(r("", "العمل عن بعد"), Some(true));
        assert_eq!(r("Non spécifié", "Poste à Rabat"), None);
        assert_eq!(r("Non spécifié", "Télétravail"), Some(true));
        assert_eq!(r("", "Pas de télétravail"), Some(false));
        assert_eq!(r("", "2 jours de télétravail par semaine"), Some(false));
        assert_eq!(r("", "Une formation à distance vous sera proposée"), None);
    }

    #[test]
    fn trades_from_titles() {
        let o = |title: &str| occupation(title).map(|g| g.value);
        assert_eq!(o("Développeur Full Stack Java"), Some("2512"));
        assert_eq!(o("Développeuse web"), Some("2513"));
        assert_eq!(o("Téléconseiller francophone"), Some("4222"));
        assert_eq!(o("Conseillère clientèle (H/F)"), Some("4222"));
        assert_eq!(o("Comptable confirmé"), Some("3313"));
        assert_eq!(o("Aide comptable"), Some("4311"));
        assert_eq!(o("Expert comptable"), Some("2411"));
        assert_eq!(o("Chauffeur poids lourd"), Some("8332"));
        assert_eq!(o("Chauffeurs livreurs"), Some("8322"));
        assert_eq!(o("Infirmière polyvalente"), Some("2221"));
        assert_eq!(o("Commis de cuisine"), Some("9412"));
        assert_eq!(o("Chef de cuisine"), Some("3434"));
        assert_eq!(o("Attaché commercial terrain"), Some("3322"));
        assert_eq!(o("مطور تطبيقات"), Some("2512"));
        // A manager's post, or no trade named: unknown.
        assert_eq!(o("Responsable comptabilité"), None);
        assert_eq!(o("Directeur commercial"), None);
        assert_eq!(o("Chargé de mission"), None);
        // "Comptabilité" is not "comptable".
        assert_eq!(o("Stage en comptabilité"), None);
        // The precise rule before the broad one.
        assert_eq!(o("Business Developer"), Some("3322"));
        assert_eq!(o("Développeur d'affaires"), Some("3322"));
        assert_eq!(o("Animatrice commerciale"), Some("5242"));
        assert_eq!(o("Technicien serveurs et réseaux"), Some("3512"));
        assert_eq!(o("Serveuse"), Some("5131"));
        assert_eq!(o("Recrutement de chauffeurs"), Some("8322"));
        assert_eq!(o("Chargée de recrutement"), Some("2423"));
        assert_eq!(o("Chef de service comptable"), None);
        assert_eq!(o("Store manager"), None);
    }

    #[test]
    fn sectors_from_words_and_trades() {
        let none = |_: &str| Vec::new();
        let s = |field: &str, title: &str, text: &str| {
            sector(field, title, text, occupation(title).map(|g| g.value), none)
                .map_or(String::new(), |g| g.value)
        };
        assert_eq!(s("informatique", "Chargé de mission", ""), "digital");
        assert_eq!(s("services_generaux", "Téléconseiller", ""), "offshoring");
        assert_eq!(s("", "Réceptionniste d'hôtel", ""), "tourism");
        assert_eq!(s("", "Conducteur de travaux BTP", ""), "construction");
        assert_eq!(s("", "Opérateur câblage automobile", ""), "automotive");
        assert_eq!(s("", "Assistant", "Clinique privée à Rabat"), "health");
        assert_eq!(s("", "Assistant", "Bureau d'études"), "");
        // Two sectors as much: neither.
        assert_eq!(s("", "Chauffeur d'hôtel", ""), "");
        // The trade's one sector, when the words say none.
        let one = |isco: &str| {
            if isco == "7411" {
                vec!["renewable_energy".to_owned()]
            } else {
                vec![]
            }
        };
        let by_trade = sector("", "Électricien", "", Some("7411"), one).unwrap();
        assert_eq!(
            (by_trade.value.as_str(), by_trade.confidence),
            ("renewable_energy", 0.6)
        );
    }

    #[test]
    fn every_rule_names_a_known_trade_and_sector() {
        // Folded already: the rules compare with folded words.
        for (rule, _) in OCCUPATION_RULES {
            for word in *rule {
                assert_eq!(fold(word), *word, "{rule:?}");
            }
        }
        for (_, rules) in SECTOR_RULES {
            for rule in *rules {
                for word in *rule {
                    assert_eq!(fold(word), *word, "{rule:?}");
                }
            }
        }
        let titles = include_str!("../../backend/data/occupations/titles.csv");
        for (rule, isco) in OCCUPATION_RULES {
            assert!(
                titles
                    .lines()
                    .any(|line| line.starts_with(&format!("{isco},"))),
                "{rule:?}: {isco} is not an ISCO-08 unit group of the platform"
            );
        }
        let sectors = include_str!("../../backend/data/sectors/sectors.json");
        for (sector, _) in SECTOR_RULES {
            assert!(
                sectors.contains(&format!("\"code\": \"{sector}\"")),
                "{sector}"
            );
        }
    }
}
