//! `cargo xtask occupations <O*NET 29.3 text directory>`: derives
//! `backend/data/occupations/profiles.csv`, the ISCO-08 unit groups with RIASEC interest profiles
//! and a preparation level, from the O*NET database files.
//!
//! The figures are derived (O*NET is CC BY 4.0; the credit is in that folder's README); no O*NET
//! sentence is copied. Titles in three languages are the project's own, in `titles.csv`, and are
//! not touched here. Run it again when a new O*NET release or crosswalk arrives: the output is
//! sorted and deterministic, so the diff shows exactly what moved.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};

use crate::root;

/// O*NET's element names for the six interest areas, in R-I-A-S-E-C order.
const AREAS: [&str; 6] = [
    "Realistic",
    "Investigative",
    "Artistic",
    "Social",
    "Enterprising",
    "Conventional",
];

pub fn derive(args: &[String]) -> anyhow::Result<()> {
    let Some(dir) = args.first() else {
        bail!(
            "usage: cargo xtask occupations <directory with the O*NET 29.3 text files and onetsoc2019_to_isco08_derived.csv>"
        );
    };
    let dir = Path::new(dir);
    let interests = interest_profiles(&dir.join("Interests.txt"))?;
    let zones = job_zones(&dir.join("Job Zones.txt"))?;
    let crosswalk = crosswalk(&dir.join("onetsoc2019_to_isco08_derived.csv"))?;

    let mut out = String::from(
        "isco08,realistic,investigative,artistic,social,enterprising,conventional,job_zone,onet_occupations\n",
    );
    let mut groups = 0;
    for (isco, onet_codes) in &crosswalk {
        let profiles: Vec<&[f64; 6]> = onet_codes.iter().filter_map(|c| interests.get(c)).collect();
        if profiles.is_empty() {
            continue;
        }
        let mut mean = [0.0; 6];
        for profile in &profiles {
            for (m, v) in mean.iter_mut().zip(profile.iter()) {
                *m += v / profiles.len() as f64;
            }
        }
        let mut group_zones: Vec<u8> = onet_codes
            .iter()
            .filter_map(|c| zones.get(c))
            .copied()
            .collect();
        group_zones.sort_unstable();
        // The lower median: the preparation most of the group's occupations ask at most.
        let Some(&zone) = group_zones.get(group_zones.len().saturating_sub(1) / 2) else {
            continue;
        };
        write!(out, "{isco}")?;
        for m in mean {
            write!(out, ",{m:.2}")?;
        }
        writeln!(out, ",{zone},{}", profiles.len())?;
        groups += 1;
    }
    let target = root().join("backend/data/occupations/profiles.csv");
    std::fs::write(&target, out)?;
    eprintln!(
        "{groups} ISCO-08 unit groups written to {}",
        target.display()
    );
    Ok(())
}

/// Tab-separated rows after the header, split into fields.
fn tsv(path: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect())
}

/// O*NET-SOC code → the six "Occupational Interests" (scale OI, 1–7) scores.
fn interest_profiles(path: &Path) -> anyhow::Result<HashMap<String, [f64; 6]>> {
    let mut profiles: HashMap<String, [f64; 6]> = HashMap::new();
    for row in tsv(path)? {
        // Columns: code, title, element id, element name, scale id, scale name, value, …
        if row.get(4).map(String::as_str) != Some("OI") {
            continue;
        }
        let area = AREAS
            .iter()
            .position(|a| Some(*a) == row.get(3).map(String::as_str))
            .with_context(|| format!("unknown interest area in {row:?}"))?;
        let value: f64 = row[6]
            .parse()
            .with_context(|| format!("value in {row:?}"))?;
        profiles.entry(row[0].clone()).or_insert([f64::NAN; 6])[area] = value;
    }
    profiles.retain(|_, p| p.iter().all(|v| v.is_finite()));
    Ok(profiles)
}

/// O*NET-SOC code → job zone (1–5).
fn job_zones(path: &Path) -> anyhow::Result<HashMap<String, u8>> {
    tsv(path)?
        .into_iter()
        .map(|row| {
            let zone = row.get(2).context("job zone column")?.parse()?;
            Ok((row[0].clone(), zone))
        })
        .collect()
}

/// ISCO-08 unit group → the O*NET-SOC 2019 codes that map to it.
fn crosswalk(path: &Path) -> anyhow::Result<BTreeMap<String, BTreeSet<String>>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("no {name} column"))
    };
    let (onet, isco) = (column("onetsoc2019_code")?, column("isco08")?);
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for record in reader.records() {
        let record = record?;
        let code = &record[isco];
        if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
            map.entry(code.to_owned())
                .or_default()
                .insert(record[onet].to_owned());
        }
    }
    Ok(map)
}
