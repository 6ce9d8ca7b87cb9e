//! Grows the development offers to a benchmark's size: the real offers of five Moroccan boards
//! in `../shared/data/offers-dev/` (about 7,000; their texts never enter this repository) are
//! read, mapped to the API's fields, and copied with variations until there are `count`:
//! titles with a level or a mention added, other cities (the country's largest), other
//! posting dates within the last fifty days, other contracts. Deterministic: the same files
//! and `count` give the same offers, so two runs measure the same corpus.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use serde_json::{Value, json};

/// One source offer, as read.
struct Source {
    title: String,
    description: String,
    employer: String,
    city: String,
    contract: String,
}

/// A board's file and the columns of what is needed, by name: title, description (joined),
/// employer, city, contract.
type Columns = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

const FILES: [Columns; 5] = [
    (
        "rekrute_bayt_data_scrapp.csv",
        "Postename",
        &["PostDescription", "ProfilDescription"],
        "EntrepriseName",
        "Ville",
        "TypeContrat",
    ),
    (
        "marocannonces.csv",
        "postname",
        &["posteDescription"],
        "entrepriseName",
        "region",
        "",
    ),
    (
        "emploi_ma_S2.csv",
        "Postname",
        &["description"],
        "Entreprise",
        "region",
        "Type_de_contrat",
    ),
    (
        "bayt.csv",
        "Postname",
        &["posteDescription"],
        "entrepriseName",
        "Ville",
        "",
    ),
    (
        "maroc_emploi_offresemploi.csv",
        "Post_Name",
        &["Post_Description", "Profil_Description"],
        "Entreprise_Name",
        "Ville",
        "Type_Contrat",
    ),
];

/// The development offers' folder, beside the checkout (`../shared/data/offers-dev`).
pub fn dev_offers() -> anyhow::Result<std::path::PathBuf> {
    let dev = crate::root()
        .parent()
        .context("the checkout has no parent folder")?
        .join("shared/data/offers-dev");
    anyhow::ensure!(
        dev.exists(),
        "{} is missing: the development offers sit beside the checkout",
        dev.display()
    );
    Ok(dev)
}

fn read_sources(dir: &Path) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::new();
    for (file, title, description, employer, city, contract) in FILES {
        let path = dir.join(file);
        let mut reader =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (t, e, c, k) = (
            column(title),
            column(employer),
            column(city),
            column(contract),
        );
        let d: Vec<usize> = description.iter().filter_map(|name| column(name)).collect();
        for record in reader.records() {
            let Ok(record) = record else { continue };
            let get = |at: Option<usize>| {
                at.and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            };
            let title = get(t);
            if title.is_empty() {
                continue;
            }
            let description = d
                .iter()
                .filter_map(|i| record.get(*i))
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "Non spécifié")
                .collect::<Vec<_>>()
                .join("\n\n");
            sources.push(Source {
                title,
                description,
                employer: get(e),
                city: get(c),
                contract: get(k),
            });
        }
    }
    Ok(sources)
}

/// Lower case, accents gone, letters and digits only, one space between words.
fn fold(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// The urban communes by folded French name, and the largest ones by population.
fn communes(root: &Path) -> anyhow::Result<(HashMap<String, String>, Vec<String>)> {
    let mut reader = csv::Reader::from_path(root.join("backend/data/geo/communes.csv"))?;
    let mut by_name = HashMap::new();
    let mut largest: Vec<(i64, String)> = Vec::new();
    for record in reader.records() {
        let record = record?;
        let (code, name, kind) = (&record[0], &record[3], &record[5]);
        let population: i64 = record[6].parse().unwrap_or(0);
        if kind == "urban" {
            by_name.insert(fold(name), code.to_owned());
            largest.push((population, code.to_owned()));
        }
    }
    by_name.insert(
        "casa".into(),
        by_name.get("casablanca").cloned().unwrap_or_default(),
    );
    largest.sort_by_key(|(population, _)| std::cmp::Reverse(*population));
    Ok((
        by_name,
        largest.into_iter().take(30).map(|(_, c)| c).collect(),
    ))
}

/// A small deterministic generator (xorshift), so runs grow the same corpus.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// `count` offers for the API's batches (`external_id` `g{n}`), posted within the last fifty
/// days of `now` (seconds since the epoch), each live for ninety days from its posting.
pub fn grow(root: &Path, dir: &Path, count: usize, now: i64) -> anyhow::Result<Vec<Value>> {
    let sources = read_sources(dir)?;
    anyhow::ensure!(!sources.is_empty(), "no offers in {}", dir.display());
    let (by_name, largest) = communes(root)?;
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mentions = [
        "",
        " (H/F)",
        " - Junior",
        " - Senior",
        " confirmé",
        " - Urgent",
    ];
    let contracts = ["cdi", "cdd", "idmaj", "temporary", "freelance"];
    let mut offers = Vec::with_capacity(count);
    for n in 0..count {
        let source = &sources[n % sources.len()];
        let copy = n / sources.len();
        let folded_title = fold(&source.title);
        let folded_city = fold(&source.city);
        // The city written in the offer, when it names a commune; copies move elsewhere.
        let commune = if copy == 0 {
            folded_city
                .split(' ')
                .find_map(|w| by_name.get(w).cloned())
                .or_else(|| by_name.get(&folded_city).cloned())
        } else {
            None
        }
        .unwrap_or_else(|| largest[dice.next(largest.len() as u64) as usize].clone());
        let internship = folded_title.contains("stage") || folded_title.contains("stagiaire");
        let text = fold(&format!("{} {}", source.contract, source.description));
        let contract = if internship {
            None
        } else if copy == 0 {
            ["cdi", "cdd", "interim", "freelance", "anapec"]
                .iter()
                .position(|k| text.split(' ').any(|w| w == *k))
                .map(|i| ["cdi", "cdd", "temporary", "freelance", "idmaj"][i])
        } else {
            Some(contracts[dice.next(contracts.len() as u64) as usize])
        };
        let title = format!(
            "{}{}",
            truncate(&source.title, 150),
            if copy == 0 {
                ""
            } else {
                mentions[dice.next(mentions.len() as u64) as usize]
            }
        );
        let description = if source.description.is_empty() {
            source.title.clone()
        } else {
            truncate(&source.description, 8000)
        };
        let posted = now - dice.next(50 * 86_400) as i64;
        let mut offer = json!({
            "external_id": format!("g{n}"),
            "kind": if internship { "internship" } else { "job" },
            "title": title,
            "description": description,
            "commune_code": commune,
            "remote": text.contains("teletravail"),
            "posted_at": rfc3339(posted),
            "valid_through": rfc3339(posted + 90 * 86_400),
        });
        if internship {
            offer["internship"] = json!("end_of_studies");
        }
        if let Some(contract) = contract {
            offer["contract"] = json!(contract);
        }
        if !source.employer.is_empty() {
            offer["employer_name"] = json!(truncate(&source.employer, 150));
        }
        offers.push(offer);
    }
    Ok(offers)
}

/// RFC 3339 in UTC, from seconds since the epoch (days to a civil date: Howard Hinnant's
/// algorithm).
pub fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
