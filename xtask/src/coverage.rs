//! `cargo xtask coverage`: how much of what the development offers' boards write the
//! normaliser (`shared::normalise`) reads, field by field, into `docs/aggregation.md`. The
//! offers sit in `../shared/data/offers-dev/` and never enter the repository: only counts are
//! written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use shared::OfferKind;
use shared::normalise::{self, Area, Commune, Gazetteer};
use shared::search::fold;

use crate::root;

/// A board's file and its columns, by name ("" when the board has none).
struct Board {
    file: &'static str,
    name: &'static str,
    title: &'static str,
    description: &'static [&'static str],
    place: &'static str,
    contract: &'static str,
    education: &'static str,
    experience: &'static str,
    posted: &'static str,
    salary: &'static str,
    remote: &'static str,
    sector: &'static str,
}

const BOARDS: [Board; 5] = [
    Board {
        file: "rekrute_bayt_data_scrapp.csv",
        name: "rekrute + bayt",
        title: "Postename",
        description: &["PostDescription", "ProfilDescription"],
        place: "Ville",
        contract: "TypeContrat",
        education: "NiveauEtude",
        experience: "Experience",
        posted: "DatePublication",
        salary: "SalaireMensuel",
        remote: "Teletravail",
        sector: "SecteurActivite",
    },
    Board {
        file: "marocannonces.csv",
        name: "marocannonces",
        title: "postname",
        description: &["posteDescription"],
        place: "region",
        contract: "",
        education: "niveauEtude",
        experience: "",
        posted: "DateDePublication",
        salary: "salaire",
        remote: "",
        sector: "",
    },
    Board {
        file: "emploi_ma_S2.csv",
        name: "emploi.ma",
        title: "Postname",
        description: &["description"],
        place: "region",
        contract: "Type_de_contrat",
        education: "niveau_etude",
        experience: "experience",
        posted: "DateDePublication",
        salary: "",
        remote: "",
        sector: "",
    },
    Board {
        file: "bayt.csv",
        name: "bayt",
        title: "Postname",
        description: &["posteDescription"],
        place: "Ville",
        contract: "",
        education: "",
        experience: "",
        posted: "DateDePublication",
        salary: "",
        remote: "",
        sector: "",
    },
    Board {
        file: "maroc_emploi_offresemploi.csv",
        name: "maroc-emploi",
        title: "Post_Name",
        description: &["Post_Description", "Profil_Description"],
        place: "Ville",
        contract: "Type_Contrat",
        education: "",
        experience: "",
        posted: "Date_Publication",
        salary: "",
        remote: "",
        sector: "Secteur",
    },
];

/// The line after which `docs/aggregation.md` is written by hand (the command keeps it).
const HAND_WRITTEN: &str =
    "<!-- Written by hand from here on: `cargo xtask coverage` rewrites only what is above. -->";

/// What boards write when they say nothing, folded.
const PLACEHOLDERS: &[&str] = &[
    "non specifie",
    "autre",
    "a discuter",
    "salaire a discuter",
    "niveau d etudes souhaite",
];

/// The fields measured, in the report's order.
const FIELDS: [&str; 11] = [
    "place: commune",
    "place: region (at least)",
    "contract",
    "education",
    "experience",
    "posting date",
    "salary",
    "remote",
    "internship type (of internships)",
    "occupation (ISCO-08, from the title)",
    "growth sector",
];

/// Per field: rows whose board's field said something, of those how many were read, and how
/// many rows were read in all (from the field or, where the field is silent, the title and
/// description).
#[derive(Default, Clone, Copy)]
struct Count {
    said: usize,
    read_of_said: usize,
    read: usize,
}

/// The geo table the server seeds, as the gazetteer takes it.
fn gazetteer(root: &Path) -> anyhow::Result<Gazetteer> {
    let geo = root.join("backend/data/geo");
    let rows = |file: &str| -> anyhow::Result<Vec<csv::StringRecord>> {
        let mut reader = csv::Reader::from_path(geo.join(file))?;
        Ok(reader.records().collect::<Result<_, _>>()?)
    };
    // code,province_code,region_code,name_fr,name_ar,kind,population
    let communes = rows("communes.csv")?
        .iter()
        .map(|r| Commune {
            code: r[0].to_owned(),
            region_code: r[2].to_owned(),
            name_fr: r[3].to_owned(),
            name_ar: r[4].to_owned(),
            urban: &r[5] == "urban",
            population: r[6].parse().unwrap_or(0),
        })
        .collect();
    // code,region_code,name_fr,name_ar,kind
    let provinces: Vec<Area> = rows("provinces.csv")?
        .iter()
        .map(|r| Area {
            region_code: r[1].to_owned(),
            name_fr: r[2].to_owned(),
            name_ar: r[3].to_owned(),
        })
        .collect();
    // code,name_fr,name_ar,population
    let regions: Vec<Area> = rows("regions.csv")?
        .iter()
        .map(|r| Area {
            region_code: r[0].to_owned(),
            name_fr: r[1].to_owned(),
            name_ar: r[2].to_owned(),
        })
        .collect();
    Ok(Gazetteer::new(communes, &regions, &provinces))
}

pub fn coverage() -> anyhow::Result<()> {
    let root = root();
    let dev = crate::grow_offers::dev_offers()?;
    let places = gazetteer(&root)?;
    // Which growth sectors list each trade.
    let sectors: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        root.join("backend/data/sectors/sectors.json"),
    )?)?;
    let sectors_of = |isco: &str| -> Vec<String> {
        sectors
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| {
                s["occupations"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|code| code == isco))
            })
            .filter_map(|s| s["code"].as_str().map(str::to_owned))
            .collect()
    };
    // The boards were read around the turn of 2025: relative dates count back from then.
    let read_on = NaiveDate::from_ymd_opt(2025, 1, 31).expect("a day");
    let mut report: BTreeMap<&str, (usize, usize, [Count; 11])> = BTreeMap::new();
    for board in &BOARDS {
        let path = dev.join(board.file);
        let mut reader =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (mut rows, mut internships) = (0, 0);
        let mut counts = [Count::default(); 11];
        for record in reader.records() {
            let Ok(record) = record else { continue };
            let get = |name: &str| {
                column(name)
                    .and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            };
            let title = get(board.title);
            if title.is_empty() {
                continue;
            }
            rows += 1;
            let description = board
                .description
                .iter()
                .map(|name| get(name))
                .collect::<Vec<_>>()
                .join("\n\n");
            let text = format!("{title}\n{description}");
            let said = |value: &str| {
                let folded = fold(value);
                !folded.is_empty() && !PLACEHOLDERS.iter().any(|p| folded == *p)
            };
            let mut tally = |n: usize, field: &str, from_field: bool, any: bool| {
                let c = &mut counts[n];
                if said(field) {
                    c.said += 1;
                    c.read_of_said += usize::from(from_field);
                }
                c.read += usize::from(any);
            };
            let place_field = get(board.place);
            let place = places.place(&place_field);
            // Where the field names no place ("Morocco"), the title may.
            let anywhere = place.clone().or_else(|| places.place_in_title(&title));
            tally(
                0,
                &place_field,
                place.as_ref().is_some_and(|p| p.value.commune.is_some()),
                anywhere.as_ref().is_some_and(|p| p.value.commune.is_some()),
            );
            tally(1, &place_field, place.is_some(), anywhere.is_some());
            let contract_field = get(board.contract);
            let contract = normalise::contract(&contract_field, &text);
            tally(
                2,
                &contract_field,
                normalise::contract(&contract_field, "").is_some(),
                contract.is_some(),
            );
            let education_field = get(board.education);
            tally(
                3,
                &education_field,
                normalise::education(&education_field, "").is_some(),
                normalise::education(&education_field, &description).is_some(),
            );
            let experience_field = get(board.experience);
            tally(
                4,
                &experience_field,
                normalise::experience(&experience_field, "").is_some(),
                normalise::experience(&experience_field, &description).is_some(),
            );
            let posted_field = get(board.posted);
            let posted = normalise::posted_on(&posted_field, read_on).is_some();
            tally(5, &posted_field, posted, posted);
            let salary_field = get(board.salary);
            tally(
                6,
                &salary_field,
                normalise::salary(&salary_field).is_some(),
                normalise::salary(&salary_field).is_some(),
            );
            let remote_field = get(board.remote);
            tally(
                7,
                &remote_field,
                normalise::remote(&remote_field, "").is_some(),
                normalise::remote(&remote_field, &text).is_some(),
            );
            let trade = normalise::occupation(&title);
            tally(9, &title, trade.is_some(), trade.is_some());
            let sector_field = get(board.sector);
            tally(
                10,
                &sector_field,
                normalise::sector(&sector_field, "", "", None, |_| Vec::new()).is_some(),
                normalise::sector(
                    &sector_field,
                    &title,
                    &description,
                    trade.map(|t| t.value),
                    sectors_of,
                )
                .is_some(),
            );
            let kind = normalise::kind(&title, &contract_field, &description, contract.is_some());
            if kind.value.0 == OfferKind::Internship {
                internships += 1;
                let c = &mut counts[8];
                c.said += 1;
                let typed = kind.value.1.is_some();
                c.read_of_said += usize::from(typed);
                c.read += usize::from(typed);
            }
        }
        report.insert(board.name, (rows, internships, counts));
    }
    write_report(&report)
}

fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{:.0} %", 100.0 * part as f64 / whole as f64)
    }
}

fn write_report(report: &BTreeMap<&str, (usize, usize, [Count; 11])>) -> anyhow::Result<()> {
    let mut out = String::from(
        "# Aggregation\n\n\
How offers from outside sources become the platform's: what each board's fields say, read into \
the platform's values by `shared::normalise` (places through the geo table, contracts, kinds, \
education, experience, dates, salaries, remote work, occupations from titles, growth sectors), \
each reading with a confidence; what a \
field does not say, or says several ways at once (two contracts, cities in three regions), stays \
unknown.\n\n\
## Coverage on the development offers\n\n\
Command: `cargo xtask coverage` (the development offers of five Moroccan boards, in \
`../shared/data/offers-dev/`, never copied into the repository: only these counts are). For \
each field: the rows whose board's own field says something (not empty, not \"Non spécifié\", \
\"A discuter\" or the like), the share of those the normaliser reads, and the share of all rows \
read once the title and description are used where the field is silent. Relative dates (\"5 \
days ago\") count back from 31 January 2025, around when the boards were read. The internship \
type is measured among the offers read as internships.\n\n",
    );
    for (board, (rows, internships, counts)) in report {
        let _ = write!(
            out,
            "### {board} ({rows} offers, {internships} read as internships)\n\n\
| field | field says something | of those, read | read in all (field or text) |\n\
| --- | --- | --- | --- |\n"
        );
        for (name, c) in FIELDS.iter().zip(counts.iter()) {
            let whole = if name.starts_with("internship") {
                *internships
            } else {
                *rows
            };
            let _ = writeln!(
                out,
                "| {name} | {} ({}) | {} | {} |",
                c.said,
                share(c.said, whole),
                share(c.read_of_said, c.said),
                share(c.read, whole),
            );
        }
        out.push('\n');
    }
    out.push_str(
        "Places said only as the country (\"Morocco\", \"Tout le Maroc\") or as several regions \
are counted as said and not read: the offer has no one place. A board's list of contracts \
(\"CDI, CDD & Intérim\") is not read as any one of them. Where the place field names no place, \
the title's town is read (\"Commercial terrain - Tanger\"), less surely. The occupation is read from the title \
only (a manager's post, \"Responsable …\", names no trade); its \"field says something\" is every \
titled offer. The growth sector is read from a board's sector field, else the title's words, else \
the one sector whose trades include the occupation read, else the description's words.\n",
    );
    // What follows the marker is written by hand, and kept.
    let path = root().join("docs/aggregation.md");
    let kept = std::fs::read_to_string(&path)
        .ok()
        .and_then(|old| old.find(HAND_WRITTEN).map(|at| old[at..].to_owned()))
        .unwrap_or_else(|| format!("{HAND_WRITTEN}\n"));
    out.push('\n');
    out.push_str(&kept);
    std::fs::write(&path, out)?;
    eprintln!("coverage: written to {}", path.display());
    Ok(())
}
