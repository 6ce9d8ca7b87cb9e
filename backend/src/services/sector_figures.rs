//! Growth sectors in figures, from the offers: the vacancies open now in each sector (each
//! vacancy once, however many sites publish it: its cluster), those published in the last 30
//! days against the 30 before, and for one sector where its open vacancies are, the trades they
//! are for and the education they ask.
//!
//! The answers are counted by the database and kept for a minute (they are public, and read by
//! every youth who opens the sectors): a new offer shows in them within a minute.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select};
use shared::dto::orientation::{
    EducationFigure, OccupationFigure, RegionFigure, SectorFigures, SectorFiguresDetail,
};
use shared::{OfferStatus, RequiredEducation};

use crate::dedup::vacancies;
use crate::entities::offer;
use crate::error::{ApiError, ApiResult};
use crate::reference::Reference;
use crate::state::AppState;

/// How long an answer is kept.
pub const KEPT: Duration = Duration::from_secs(60);

/// The trades listed for a sector, at most.
const TRADES: usize = 5;

/// The answers kept, as JSON: every sector's (key `""`), and each sector's detail by its code.
pub type Kept = moka::sync::Cache<String, Arc<Vec<u8>>>;

pub fn kept() -> Kept {
    moka::sync::Cache::builder()
        .max_capacity(64)
        .time_to_live(KEPT)
        .build()
}

fn open_now(now: DateTime<Utc>) -> Select<offer::Entity> {
    offer::Entity::find()
        .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
        .filter(offer::Column::ExpiresAt.gt(now))
}

/// Published between `from` and `to`: the offers that went live (open now or ended since), not
/// those waiting for moderation or removed.
fn published(from: DateTime<Utc>, to: DateTime<Utc>) -> Select<offer::Entity> {
    offer::Entity::find()
        .filter(offer::Column::Status.is_in([
            OfferStatus::Live.as_str(),
            OfferStatus::Expired.as_str(),
            OfferStatus::Withdrawn.as_str(),
        ]))
        .filter(offer::Column::PostedAt.gte(from))
        .filter(offer::Column::PostedAt.lt(to))
}

/// The vacancies of `select` by the text of `column` (rows without it left out).
async fn by(
    db: &impl ConnectionTrait,
    select: Select<offer::Entity>,
    column: offer::Column,
) -> ApiResult<Vec<(String, u64)>> {
    let rows: Vec<(Option<String>, i64)> = select
        .select_only()
        .column(column)
        .column_as(vacancies(), "n")
        .filter(column.is_not_null())
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    let mut counted: Vec<(String, u64)> = rows
        .into_iter()
        .filter_map(|(value, n)| value.map(|v| (v, n.max(0) as u64)))
        .collect();
    // Most first; of as many, by code, so that the answer is the same each time.
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(counted)
}

async fn count(db: &impl ConnectionTrait, select: Select<offer::Entity>) -> ApiResult<u64> {
    let n: Option<i64> = select
        .select_only()
        .column_as(vacancies(), "n")
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// Every growth sector's figures, in the reference's order (a sector without offers says 0).
pub async fn all(
    db: &impl ConnectionTrait,
    reference: &Reference,
    now: DateTime<Utc>,
) -> ApiResult<Vec<SectorFigures>> {
    let day = chrono::Duration::days(30);
    let live: HashMap<String, u64> = by(db, open_now(now), offer::Column::SectorCode)
        .await?
        .into_iter()
        .collect();
    let last: HashMap<String, u64> = by(db, published(now - day, now), offer::Column::SectorCode)
        .await?
        .into_iter()
        .collect();
    let before: HashMap<String, u64> = by(
        db,
        published(now - day - day, now - day),
        offer::Column::SectorCode,
    )
    .await?
    .into_iter()
    .collect();
    Ok(reference
        .sector_codes()
        .iter()
        .map(|code| SectorFigures {
            code: code.clone(),
            live_offers: live.get(code).copied().unwrap_or(0),
            last_30_days: last.get(code).copied().unwrap_or(0),
            previous_30_days: before.get(code).copied().unwrap_or(0),
        })
        .collect())
}

/// Growth sector `code`'s figures with its regions, trades and education (404 for a code that
/// names no sector).
pub async fn of(
    db: &impl ConnectionTrait,
    reference: &Reference,
    code: &str,
    now: DateTime<Utc>,
) -> ApiResult<SectorFiguresDetail> {
    if !reference.sector_codes().iter().any(|c| c == code) {
        return Err(ApiError::NotFound);
    }
    let day = chrono::Duration::days(30);
    let sector = offer::Column::SectorCode.eq(code);
    let live_offers = count(db, open_now(now).filter(sector.clone())).await?;
    let figures = SectorFigures {
        code: code.to_owned(),
        live_offers,
        last_30_days: count(db, published(now - day, now).filter(sector.clone())).await?,
        previous_30_days: count(
            db,
            published(now - day - day, now - day).filter(sector.clone()),
        )
        .await?,
    };
    let regions = by(
        db,
        open_now(now).filter(sector.clone()),
        offer::Column::RegionCode,
    )
    .await?
    .into_iter()
    .filter_map(|(region, n)| {
        reference
            .region_names(&region)
            .map(|(fr, ar)| RegionFigure {
                region_code: region.clone(),
                name_fr: fr.clone(),
                name_ar: ar.clone(),
                live_offers: n,
            })
    })
    .collect();
    let occupations = by(
        db,
        open_now(now).filter(sector.clone()),
        offer::Column::Isco08,
    )
    .await?
    .into_iter()
    .filter_map(|(isco08, n)| {
        reference
            .occupation_summary(&isco08)
            .map(|occupation| OccupationFigure {
                occupation: occupation.clone(),
                live_offers: n,
            })
    })
    .take(TRADES)
    .collect();
    let education: Vec<EducationFigure> = by(
        db,
        open_now(now).filter(sector.clone()),
        offer::Column::Education,
    )
    .await?
    .into_iter()
    .filter_map(|(level, n)| {
        RequiredEducation::parse(&level)
            .ok()
            .map(|education| EducationFigure {
                education,
                live_offers: n,
            })
    })
    .collect();
    let stated: u64 = count(
        db,
        open_now(now)
            .filter(sector)
            .filter(offer::Column::Education.is_not_null()),
    )
    .await?;
    Ok(SectorFiguresDetail {
        figures,
        regions,
        occupations,
        education,
        education_unstated: live_offers.saturating_sub(stated),
    })
}

/// An answer as JSON, from the ones kept or counted now.
pub async fn answer(state: &AppState, code: Option<&str>) -> ApiResult<Arc<Vec<u8>>> {
    let key = code.unwrap_or_default().to_owned();
    if let Some(kept) = state.sector_figures.get(&key) {
        return Ok(kept);
    }
    let reference = state.reference().await?;
    let now = Utc::now();
    let body = match code {
        None => serde_json::to_vec(&all(&state.db, reference, now).await?),
        Some(code) => serde_json::to_vec(&of(&state.db, reference, code, now).await?),
    }
    .map_err(|e| ApiError::Internal(e.into()))?;
    let body = Arc::new(body);
    state.sector_figures.insert(key, body.clone());
    Ok(body)
}
