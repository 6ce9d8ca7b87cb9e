//! Whether two offers are the same vacancy, from what they say: the pure half of the
//! de-duplication (the database half is in `dedup`).
//!
//! An offer's [`Print`] is what is compared: its title's words (folded, without the words
//! every title has), the seniority its title names, its employer's words (none when the
//! employer is hidden), its description's 3-word shingles, its commune, kind, contract,
//! experience and link. Its [`Print::bands`] are the keys under which the offers that may be the
//! same are looked up: locality-sensitive hashing of MinHash signatures (the `gaoya` crate) of
//! the description's shingles and of the title's words, and the link itself, so that finding
//! the candidates of a new offer costs a lookup, never a pass over all pairs.
//!
//! [`same_vacancy`] then decides, candidate by candidate: two offers that name different
//! communes or regions, kinds, contracts, seniorities or employers, or experiences three years
//! or more apart, are different openings whatever their words; otherwise the same link, the
//! same title of the same employer, or close titles over the same text (the shorter text mostly
//! inside the longer one, so that a board's boilerplate around it does not matter) make them
//! one vacancy. Titles must be close in every case: the same template text under another title
//! is another opening.

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use gaoya::minhash::{MinHasher, MinHasher32};
use shared::search::fold;

/// Permutations of the description's signature, in [`TEXT_BANDS`] bands of [`TEXT_ROWS`]:
/// two descriptions sharing about 40 % of their shingles are candidates more often than not,
/// 60 % nearly always.
const PERMUTATIONS: usize = 128;
const TEXT_BANDS: usize = 32;
const TEXT_ROWS: usize = 4;
/// The title's signature: [`TITLE_BANDS`] bands of [`TITLE_ROWS`] (titles sharing half their
/// words are candidates four times in five).
const TITLE_BANDS: usize = 6;
const TITLE_ROWS: usize = 2;
/// Below this many shingles a description says too little to be compared by its text.
const SHORT: usize = 8;

/// The scheme of the bands: raised when they are computed otherwise, so that keys of two
/// schemes never meet.
pub const SCHEME: u8 = 1;

static HASHER: LazyLock<MinHasher32<fnv::FnvBuildHasher>> =
    LazyLock::new(|| MinHasher32::new(PERMUTATIONS));

/// What an offer says, as [`Print::of`] reads it.
#[derive(Debug, Clone, Default)]
pub struct Offer<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub employer: &'a str,
    pub commune: Option<&'a str>,
    pub region: Option<&'a str>,
    pub kind: &'a str,
    pub contract: Option<&'a str>,
    pub experience_years: Option<i32>,
    pub url: Option<&'a str>,
    /// The organisation that posted it here, if any.
    pub organization: Option<i64>,
}

/// An offer as it is compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Print {
    title: BTreeSet<String>,
    levels: u8,
    employer: Option<Vec<String>>,
    shingles: HashSet<u64>,
    commune: Option<String>,
    region: Option<String>,
    kind: String,
    contract: Option<String>,
    experience: Option<i32>,
    url: Option<String>,
    organization: Option<i64>,
}

/// Words that say nothing of which vacancy it is.
const STOP: &[&str] = &[
    "a",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "pour",
    "par",
    "sur",
    "un",
    "une",
    "h",
    "f",
    "hf",
    "fh",
    "m",
    "x",
    "the",
    "of",
    "and",
    "for",
    "in",
    "at",
    "to",
    "an",
    "maroc",
    "morocco",
    "ma",
    "في",
    "من",
    "و",
    "المغرب",
];

/// Words an employer's name carries beside its name.
const LEGAL: &[&str] = &[
    "sa", "sarl", "sas", "sarlau", "s", "group", "groupe", "ltd", "inc", "llc", "co", "company",
    "societe", "maroc", "morocco", "ma", "the", "de", "du", "la", "le", "et", "and",
];

/// Employers' names that hide the employer.
const HIDDEN: &[&str] = &[
    "",
    "non specifie",
    "non precise",
    "confidentiel",
    "confidential",
    "anonyme",
    "entreprise",
    "societe",
    "employeur",
    "recruteur",
    "n a",
];

/// Seniority, by the words titles name it with: junior, senior, trainee, head.
const LEVELS: &[(&str, u8)] = &[
    ("junior", 1),
    ("jr", 1),
    ("debutant", 1),
    ("debutante", 1),
    ("senior", 2),
    ("sr", 2),
    ("confirme", 2),
    ("confirmee", 2),
    ("experimente", 2),
    ("experimentee", 2),
    ("expert", 2),
    ("stagiaire", 4),
    ("stage", 4),
    ("intern", 4),
    ("internship", 4),
    ("pfe", 4),
    ("alternant", 4),
    ("alternance", 4),
    ("apprenti", 4),
    ("chef", 8),
    ("head", 8),
    ("lead", 8),
    ("principal", 8),
    ("directeur", 8),
    ("directrice", 8),
    ("director", 8),
];

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A title's words: what comes before a board's " | City (Country)", folded, without
/// [`STOP`] words.
fn title_words(title: &str) -> BTreeSet<String> {
    let head = title.split(" | ").next().unwrap_or(title);
    fold(head)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(str::to_owned)
        .collect()
}

fn employer_words(employer: &str) -> Option<Vec<String>> {
    let folded = fold(employer);
    if HIDDEN.contains(&folded.as_str()) {
        return None;
    }
    let words: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !LEGAL.contains(w))
        .map(str::to_owned)
        .collect();
    (!words.is_empty()).then_some(words)
}

/// A link without what does not change the page: its scheme, `www.`, a trailing slash.
fn link(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.trim_end_matches('/');
    Some(format!("{}/{path}", host.to_ascii_lowercase()))
}

impl Print {
    pub fn of(offer: &Offer) -> Self {
        let title = title_words(offer.title);
        let levels = title
            .iter()
            .filter_map(|w| LEVELS.iter().find(|(l, _)| l == w).map(|(_, bit)| *bit))
            .fold(0, |a, b| a | b);
        let folded = fold(offer.description);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let shingles = shingles(&words);
        Self {
            title,
            levels,
            employer: employer_words(offer.employer),
            shingles,
            commune: offer.commune.map(str::to_owned),
            region: offer.region.map(str::to_owned),
            kind: offer.kind.to_owned(),
            contract: offer.contract.map(str::to_owned),
            experience: offer.experience_years,
            url: offer.url.and_then(link),
            organization: offer.organization,
        }
    }

    /// The keys under which this offer's candidates are found: each band of its
    /// description's signature, of its title's, and its link, each kind of key apart.
    pub fn bands(&self) -> Vec<i64> {
        let mut keys = Vec::with_capacity(TEXT_BANDS + TITLE_BANDS + 1);
        let key = |what: u8, band: usize, values: &[u32]| -> i64 {
            // Non-negative: both databases' signed 64-bit integers.
            (hash_of((SCHEME, what, band, values)) >> 1) as i64
        };
        if self.shingles.len() >= SHORT {
            let signature = HASHER.create_signature(self.shingles.iter());
            for (band, rows) in signature.chunks(TEXT_ROWS).take(TEXT_BANDS).enumerate() {
                keys.push(key(b't', band, rows));
            }
        }
        if !self.title.is_empty() {
            let signature = HASHER.create_signature(self.title.iter());
            for (band, rows) in signature.chunks(TITLE_ROWS).take(TITLE_BANDS).enumerate() {
                keys.push(key(b'n', band, rows));
            }
        }
        if let Some(url) = &self.url {
            keys.push((hash_of((SCHEME, b'u', url)) >> 1) as i64);
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

fn shingles(words: &[&str]) -> HashSet<u64> {
    if words.len() < 3 {
        return if words.is_empty() {
            HashSet::new()
        } else {
            HashSet::from([hash_of(words)])
        };
    }
    words.windows(3).map(hash_of).collect()
}

fn jaccard<T: Eq + Hash + Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// How much of the shorter text is in the longer one (0 to 1).
fn containment(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|s| large.contains(*s)).count() as f64 / small.len() as f64
}

/// Whether two employers' names name the same employer: the same first word, or one's words
/// all in the other's, or half their words in common.
fn same_employer(a: &[String], b: &[String]) -> bool {
    if a[0] == b[0] {
        return true;
    }
    let (sa, sb): (BTreeSet<&String>, BTreeSet<&String>) = (a.iter().collect(), b.iter().collect());
    sa.is_subset(&sb) || sb.is_subset(&sa) || jaccard(&sa, &sb) >= 0.5
}

/// How alike two offers are, when nothing sets them apart: their titles' words in common
/// (Jaccard) and the shorter text's share in the longer (`None` when either text is too short
/// to tell).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Likeness {
    pub title: f64,
    pub text: Option<f64>,
    pub same_link: bool,
}

impl Likeness {
    /// For choosing among several candidates: the closest.
    pub fn score(&self) -> f64 {
        if self.same_link {
            return 3.0;
        }
        self.title + self.text.unwrap_or(0.0)
    }
}

/// Why two offers are different openings, whatever their words: both say a different commune,
/// kind, contract, seniority or employer, or experiences three years or more apart.
fn apart(a: &Print, b: &Print) -> bool {
    fn differ<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
        matches!((a, b), (Some(a), Some(b)) if a != b)
    }
    differ(&a.commune, &b.commune)
        || differ(&a.region, &b.region)
        || a.kind != b.kind
        || differ(&a.contract, &b.contract)
        || a.levels != b.levels
        || matches!((&a.employer, &b.employer), (Some(x), Some(y)) if !same_employer(x, y))
        || matches!((a.experience, b.experience), (Some(x), Some(y)) if (x - y).abs() >= 3)
}

/// Whether `a` and `b` cannot be the same vacancy whatever their words: two offers of one
/// organisation (its ids tell its openings apart), or what [`apart`] sets apart. A cluster
/// takes no offer that conflicts with one of its members.
pub fn conflict(a: &Print, b: &Print) -> bool {
    (a.organization.is_some() && a.organization == b.organization) || apart(a, b)
}

/// Whether `a` and `b` are the same page of the same site read twice: the same link and
/// titles sharing half their words (what else each says may have been read otherwise).
pub fn same_page(a: &Print, b: &Print) -> bool {
    a.url.is_some() && a.url == b.url && titles_close(a, b)
}

/// Whether the titles of `a` and `b` are close enough for them to be the same vacancy at all
/// (half their words in common): every way [`same_vacancy`] finds them so asks at least that.
pub fn titles_close(a: &Print, b: &Print) -> bool {
    jaccard(&a.title, &b.title) >= 0.5
}

/// Whether `a` and `b` are the same vacancy, and how alike they are; `None` when they are not.
pub fn same_vacancy(a: &Print, b: &Print) -> Option<Likeness> {
    // An organisation's own offers are as many openings as it says (its ids tell them apart).
    if a.organization.is_some() && a.organization == b.organization {
        return None;
    }
    let same_link = a.url.is_some() && a.url == b.url;
    let title = jaccard(&a.title, &b.title);
    if same_page(a, b) {
        // The same page of the same site, read twice (its place read otherwise, say). A link
        // alone is not enough: some boards give one employer's application page as the link
        // of all its offers.
        return Some(Likeness {
            title,
            text: None,
            same_link,
        });
    }
    if apart(a, b) {
        return None;
    }
    let short = a.shingles.len() < SHORT || b.shingles.len() < SHORT;
    let text = (!short).then(|| containment(&a.shingles, &b.shingles));
    let likeness = Likeness {
        title,
        text,
        same_link,
    };
    // The same employer named on both: its same title is its same opening, whatever each
    // board kept of the text (often a different excerpt of it).
    let named = a.employer.is_some() && b.employer.is_some();
    let same = (named && title >= 0.9)
        || match text {
            Some(text) => title >= 0.7 && text >= 0.5,
            // Texts too short to compare, no employer named: the same few words word for word.
            None => title >= 0.8 && !a.shingles.is_empty() && a.shingles == b.shingles,
        };
    same.then_some(likeness)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Nous recherchons pour notre agence de Casablanca un comptable \
        chargé de la tenue de la comptabilité générale, des déclarations fiscales et sociales, \
        du rapprochement bancaire et de la préparation des états de synthèse. Vous justifiez \
        d'une première expérience en cabinet et maîtrisez Sage.";

    fn offer<'a>() -> Offer<'a> {
        Offer {
            title: "Comptable confirmé",
            description: TEXT,
            employer: "Fiduciaire Atlas SARL",
            commune: Some("141.01.01"),
            region: Some("06"),
            kind: "job",
            contract: Some("cdi"),
            experience_years: Some(2),
            url: Some("https://board-a.example/offres/1"),
            organization: None,
        }
    }

    fn same(a: &Offer, b: &Offer) -> bool {
        same_vacancy(&Print::of(a), &Print::of(b)).is_some()
    }

    fn shares_a_band(a: &Offer, b: &Offer) -> bool {
        let (a, b) = (Print::of(a).bands(), Print::of(b).bands());
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn near_duplicates_are_one_vacancy_and_find_each_other() {
        let a = offer();
        let boilerplate = format!(
            "Rejoignez les meilleurs recruteurs du Maroc sur notre site. {TEXT} Postulez en un \
             clic, créez votre alerte et recevez les offres par courriel."
        );
        let trimmed: String = TEXT.chars().take(200).collect();
        let variants = [
            // Other casing, another site, no employer named.
            Offer {
                title: "COMPTABLE CONFIRME (H/F)",
                employer: "Non spécifié",
                url: Some("https://board-b.example/job?id=9"),
                ..offer()
            },
            // Wrapped in a board's boilerplate, the city unread.
            Offer {
                description: &boilerplate,
                commune: None,
                region: None,
                url: None,
                ..offer()
            },
            // Trimmed, reformatted, the employer's name written otherwise.
            Offer {
                title: "Comptable Confirmé | Casablanca (Maroc)",
                description: &trimmed,
                employer: "FIDUCIAIRE ATLAS",
                contract: None,
                url: None,
                ..offer()
            },
            // The same page read twice, its place read otherwise.
            Offer {
                title: "Comptable confirmé H/F",
                description: "",
                commune: Some("111.01.01"),
                ..offer()
            },
        ];
        for b in &variants {
            assert!(same(&a, b), "{b:?}");
            assert!(same(b, &a), "{b:?}");
            assert!(shares_a_band(&a, b), "{b:?}");
        }
    }

    #[test]
    fn other_openings_stay_apart() {
        let a = offer();
        let others = [
            // Another city.
            Offer {
                commune: Some("111.01.01"),
                url: None,
                ..offer()
            },
            // Another seniority.
            Offer {
                title: "Comptable junior",
                url: None,
                ..offer()
            },
            Offer {
                title: "Chef comptable",
                url: None,
                ..offer()
            },
            // Another employer with the same template.
            Offer {
                employer: "Cabinet Nour",
                url: None,
                ..offer()
            },
            // Another job at the same employer.
            Offer {
                title: "Assistant administratif",
                url: None,
                ..offer()
            },
            // Another offer of an employer that gives one application page for all.
            Offer {
                title: "Assistant administratif",
                ..offer()
            },
            // An internship.
            Offer {
                kind: "internship",
                url: None,
                ..offer()
            },
            // Much more experience asked.
            Offer {
                experience_years: Some(8),
                url: None,
                ..offer()
            },
            // Another contract.
            Offer {
                contract: Some("cdd"),
                url: None,
                ..offer()
            },
        ];
        for b in &others {
            assert!(!same(&a, b), "{b:?}");
            assert!(!same(b, &a), "{b:?}");
        }
        // Two of one organisation's offers, alike: it says they are two.
        let own = Offer {
            organization: Some(7),
            url: None,
            ..offer()
        };
        assert!(!same(&own, &own.clone()));
        assert!(same(
            &own,
            &Offer {
                organization: Some(8),
                ..own.clone()
            }
        ));
    }

    #[test]
    fn short_texts_need_a_named_employer_or_the_same_words() {
        let short = |employer, description| Offer {
            title: "Vendeuse",
            description,
            employer,
            commune: None,
            region: None,
            contract: None,
            experience_years: None,
            url: None,
            ..offer()
        };
        assert!(same(
            &short("Boutique Yasmine", "Cherche vendeuse"),
            &short("Boutique Yasmine", "Urgent")
        ));
        assert!(same(
            &short("", "Cherche vendeuse sérieuse"),
            &short("", "Cherche vendeuse sérieuse")
        ));
        assert!(!same(
            &short("", "Cherche vendeuse sérieuse"),
            &short("", "Urgent vendeuse expérimentée")
        ));
    }

    #[test]
    fn bands_are_stable_and_apart_by_kind() {
        let a = Print::of(&offer());
        assert_eq!(a.bands(), Print::of(&offer()).bands());
        assert_eq!(a.bands().len(), TEXT_BANDS + TITLE_BANDS + 1);
        assert!(a.bands().iter().all(|k| *k >= 0));
        let bare = Print::of(&Offer {
            description: "Urgent",
            url: None,
            ..offer()
        });
        assert_eq!(bare.bands().len(), TITLE_BANDS);
    }
}
