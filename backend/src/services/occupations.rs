//! Occupations (ISCO-08 unit groups with RIASEC profiles) and growth sectors: reference data
//! compiled into the binary, loaded into the database, read by anyone.
//!
//! The tables are reloaded whenever the embedded files change (their digest is kept in
//! `reference_versions`), so shipping corrected titles or a new O*NET release is a new binary,
//! not a migration. Results keep their own copy of what they recommended.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Query, SelectStatement},
};
use serde::Deserialize;
use shared::dto::orientation::{LocalizedText, OccupationSummary, Sector, SectorSummary};
use shared::matching::code_of;
use shared::orientation::RiasecArea;
use shared::search::{FOLD_VERSION, fold_all};

use crate::auth::tokens::sha256_hex;
use crate::entities::{occupation, reference_version, sector, sector_occupation};
use crate::error::{ApiError, ApiResult};

const PROFILES: &str = include_str!("../../data/occupations/profiles.csv");
const TITLES: &str = include_str!("../../data/occupations/titles.csv");
const SECTORS: &str = include_str!("../../data/sectors/sectors.json");
const REFERENCE_NAME: &str = "orientation";

#[derive(Deserialize)]
struct ProfileRow {
    isco08: String,
    realistic: f64,
    investigative: f64,
    artistic: f64,
    social: f64,
    enterprising: f64,
    conventional: f64,
    job_zone: i16,
}

#[derive(Deserialize)]
struct TitleRow {
    isco08: String,
    fr: String,
    ar: String,
    en: String,
}

#[derive(Deserialize)]
struct SectorFile {
    code: String,
    name: LocalizedText,
    strategy: LocalizedText,
    description: LocalizedText,
    areas: Vec<String>,
    occupations: Vec<String>,
}

fn csv_rows<T: for<'de> Deserialize<'de>>(text: &str) -> anyhow::Result<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

/// The embedded files, parsed and cross-checked: every occupation has a title, every sector's
/// areas are RIASEC letters and its trades are known occupations.
fn parse_reference() -> anyhow::Result<(
    Vec<occupation::ActiveModel>,
    Vec<sector::ActiveModel>,
    Vec<sector_occupation::ActiveModel>,
)> {
    let titles: HashMap<String, TitleRow> = csv_rows::<TitleRow>(TITLES)?
        .into_iter()
        .map(|t| (t.isco08.clone(), t))
        .collect();
    let mut occupations = Vec::new();
    for row in csv_rows::<ProfileRow>(PROFILES)? {
        let title = titles
            .get(&row.isco08)
            .ok_or_else(|| anyhow::anyhow!("occupation {} has no title", row.isco08))?;
        let profile = [
            row.realistic,
            row.investigative,
            row.artistic,
            row.social,
            row.enterprising,
            row.conventional,
        ];
        occupations.push(occupation::ActiveModel {
            isco08: Set(row.isco08),
            title_fr: Set(title.fr.clone()),
            title_ar: Set(title.ar.clone()),
            title_en: Set(title.en.clone()),
            job_zone: Set(row.job_zone),
            realistic: Set(profile[0]),
            investigative: Set(profile[1]),
            artistic: Set(profile[2]),
            social: Set(profile[3]),
            enterprising: Set(profile[4]),
            conventional: Set(profile[5]),
            code: Set(code_of(&profile).to_string()),
            search_text: Set(Some(fold_all([
                title.fr.as_str(),
                title.ar.as_str(),
                title.en.as_str(),
            ]))),
        });
    }
    let known: std::collections::HashSet<&str> = occupations
        .iter()
        .map(|o| o.isco08.as_ref().as_str())
        .collect();
    let sectors: Vec<SectorFile> = serde_json::from_str(SECTORS)?;
    let mut sector_rows = Vec::new();
    let mut links = Vec::new();
    for (position, s) in sectors.into_iter().enumerate() {
        let areas: String = s.areas.concat();
        anyhow::ensure!(
            !areas.is_empty() && areas.chars().all(|c| RiasecArea::from_letter(c).is_some()),
            "sector {} has areas {areas:?}",
            s.code
        );
        for isco in &s.occupations {
            anyhow::ensure!(
                known.contains(isco.as_str()),
                "sector {} links unknown occupation {isco}",
                s.code
            );
            links.push(sector_occupation::ActiveModel {
                sector_code: Set(s.code.clone()),
                isco08: Set(isco.clone()),
            });
        }
        sector_rows.push(sector::ActiveModel {
            code: Set(s.code),
            position: Set(position as i32),
            name_fr: Set(s.name.fr),
            name_ar: Set(s.name.ar),
            name_en: Set(s.name.en),
            strategy_fr: Set(s.strategy.fr),
            strategy_ar: Set(s.strategy.ar),
            strategy_en: Set(s.strategy.en),
            description_fr: Set(s.description.fr),
            description_ar: Set(s.description.ar),
            description_en: Set(s.description.en),
            areas: Set(areas),
        });
    }
    Ok((occupations, sector_rows, links))
}

/// Loads the occupations and sectors unless the database already holds this binary's version,
/// inside the caller's transaction (the seed's, which no other instance runs at once).
pub async fn load_reference(txn: &DatabaseTransaction) -> anyhow::Result<()> {
    // The fold is part of what is loaded: a new fold reloads the folded titles.
    let digest = sha256_hex(&format!(
        "{PROFILES}\u{0}{TITLES}\u{0}{SECTORS}\u{0}{FOLD_VERSION}"
    ));
    let current = reference_version::Entity::find_by_id(REFERENCE_NAME)
        .one(txn)
        .await?
        .is_some_and(|v| v.digest == digest);
    if current {
        return Ok(());
    }
    let (occupations, sectors, links) = parse_reference()?;
    sector_occupation::Entity::delete_many().exec(txn).await?;
    sector::Entity::delete_many().exec(txn).await?;
    occupation::Entity::delete_many().exec(txn).await?;
    // SQLite caps the bound parameters of one statement; 50 rows × 13 columns fits.
    for chunk in occupations.chunks(50) {
        occupation::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    sector::Entity::insert_many(sectors).exec(txn).await?;
    for chunk in links.chunks(200) {
        sector_occupation::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    reference_version::Entity::delete_by_id(REFERENCE_NAME)
        .exec(txn)
        .await?;
    reference_version::Entity::insert(reference_version::ActiveModel {
        name: Set(REFERENCE_NAME.into()),
        digest: Set(digest),
    })
    .exec(txn)
    .await?;
    Ok(())
}

pub fn profile(o: &occupation::Model) -> [f64; 6] {
    [
        o.realistic,
        o.investigative,
        o.artistic,
        o.social,
        o.enterprising,
        o.conventional,
    ]
}

pub fn occupation_summary(o: &occupation::Model) -> OccupationSummary {
    OccupationSummary {
        isco08: o.isco08.clone(),
        title: LocalizedText {
            fr: o.title_fr.clone(),
            ar: o.title_ar.clone(),
            en: o.title_en.clone(),
        },
        job_zone: o.job_zone as u8,
        code: o.code.clone(),
    }
}

/// The RIASEC areas of a sector row, strongest first.
pub fn sector_areas(s: &sector::Model) -> Vec<RiasecArea> {
    s.areas
        .chars()
        .filter_map(RiasecArea::from_letter)
        .collect()
}

pub fn sector_summary(s: &sector::Model) -> SectorSummary {
    SectorSummary {
        code: s.code.clone(),
        name: LocalizedText {
            fr: s.name_fr.clone(),
            ar: s.name_ar.clone(),
            en: s.name_en.clone(),
        },
        areas: sector_areas(s),
    }
}

/// Every occupation, in ISCO order: what matching ranks.
pub async fn all_occupations(db: &impl ConnectionTrait) -> ApiResult<Vec<occupation::Model>> {
    Ok(occupation::Entity::find()
        .order_by_asc(occupation::Column::Isco08)
        .all(db)
        .await?)
}

/// Every sector in reference order, with the ISCO codes of its trades.
pub async fn all_sectors(
    db: &impl ConnectionTrait,
) -> ApiResult<Vec<(sector::Model, Vec<String>)>> {
    let sectors = sector::Entity::find()
        .order_by_asc(sector::Column::Position)
        .all(db)
        .await?;
    let links = sector_occupation::Entity::find()
        .order_by_asc(sector_occupation::Column::Isco08)
        .all(db)
        .await?;
    Ok(sectors
        .into_iter()
        .map(|s| {
            let codes = links
                .iter()
                .filter(|l| l.sector_code == s.code)
                .map(|l| l.isco08.clone())
                .collect();
            (s, codes)
        })
        .collect())
}

/// `SELECT wanted FROM sector_occupations WHERE known = value`: one side of the sector ↔
/// occupation links, for an `IN (…)` on the other table.
fn linked(
    wanted: sector_occupation::Column,
    known: sector_occupation::Column,
    value: &str,
) -> SelectStatement {
    Query::select()
        .column(wanted)
        .from(sector_occupation::Entity)
        .and_where(known.eq(value))
        .to_owned()
}

/// Every growth sector, in reference order.
pub async fn sectors(db: &impl ConnectionTrait) -> ApiResult<Vec<SectorSummary>> {
    Ok(sector::Entity::find()
        .order_by_asc(sector::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(sector_summary)
        .collect())
}

pub async fn sector(db: &impl ConnectionTrait, code: &str) -> ApiResult<Sector> {
    let found = sector::Entity::find_by_id(code)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    use sector_occupation::Column::{Isco08, SectorCode};
    let occupations = occupation::Entity::find()
        .filter(occupation::Column::Isco08.in_subquery(linked(Isco08, SectorCode, code)))
        .order_by_asc(occupation::Column::Isco08)
        .all(db)
        .await?;
    Ok(Sector {
        summary: sector_summary(&found),
        strategy: LocalizedText {
            fr: found.strategy_fr,
            ar: found.strategy_ar,
            en: found.strategy_en,
        },
        description: LocalizedText {
            fr: found.description_fr,
            ar: found.description_ar,
            en: found.description_en,
        },
        occupations: occupations.iter().map(occupation_summary).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_reference_files_are_complete_and_consistent() {
        let (occupations, sectors, links) = parse_reference().unwrap();
        assert!(occupations.len() > 400, "{}", occupations.len());
        assert!(sectors.len() >= 12);
        assert!(links.len() >= sectors.len() * 6);
        for o in &occupations {
            let zone = *o.job_zone.as_ref();
            assert!((1..=5).contains(&zone));
            assert!(!o.title_ar.as_ref().is_empty());
        }
    }
}
