//! De-duplication: the same vacancy published on several sites, or posted again, is one
//! cluster of offers, shown once, by its most complete offer (its *canonical* one), with every
//! other place it was published.
//!
//! An offer is *placed* when it is written: its keys ([`similar::Print::bands`]) find the
//! offers that may be the same vacancy (those sharing a key, the most alike first), each is
//! compared with it ([`similar::same_vacancy`]), and it joins the cluster of the closest one
//! that is, or starts its own. Placing is incremental (one lookup by key per offer, never a
//! pass over all pairs) and serialised: it holds [`Exclusive::Clustering`] for the rest of the
//! writing transaction (on SQLite the write lock already does), so two copies of one vacancy
//! written at once by two sources are compared with each other, the second after the first.
//! Gathered offers are placed as they are written; the `offer_clusters` job places the others
//! (posted in the app, pushed by partners, written before clusters existed) a few at a time.
//!
//! A placed offer stays in its cluster when it is updated (its keys follow its words). Which
//! offer stands for the cluster is decided when it is read ([`canonical`]): the live one that
//! says the most, so that when it expires or is withdrawn another takes its place.

pub mod evaluate;
pub mod similar;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use shared::OfferStatus;

use crate::db::Exclusive;
use crate::entities::{offer, offer_band};
use similar::{Offer, Print};

/// The candidates a new offer is compared with, at most: those sharing the most keys with it.
const CANDIDATES: u64 = 40;

/// Offers the background job places per run.
const BATCH: u64 = 500;

/// Where [`place`] put an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// In a cluster of its own: no other offer is the same vacancy.
    Alone,
    /// In the cluster of offers that are the same vacancy.
    Joined(i64),
    /// Placed before: it stays in its cluster, its keys renewed.
    Kept,
}

/// What an offer says, as it is compared.
pub fn print(row: &offer::Model) -> Print {
    Print::of(&Offer {
        title: &row.title,
        description: &row.description_text,
        employer: &row.employer_name,
        commune: row.commune_code.as_deref(),
        region: row.region_code.as_deref(),
        kind: &row.kind,
        contract: row.contract.as_deref(),
        experience_years: row.experience_years,
        url: row.url.as_deref(),
        organization: row.organization_id,
    })
}

/// Places offer `row`, just written in `txn` (a transaction begun by `db::begin_write`):
/// its keys written, and, unless it was placed before, its cluster chosen.
pub async fn place(txn: &impl ConnectionTrait, row: &offer::Model) -> anyhow::Result<Placed> {
    crate::db::hold(txn, Exclusive::Clustering, "offers").await?;
    let print = print(row);
    let bands = print.bands();
    offer_band::Entity::delete_many()
        .filter(offer_band::Column::OfferId.eq(row.id))
        .exec(txn)
        .await?;
    let placed = if row.cluster_id.is_some() {
        Placed::Kept
    } else {
        let mut alike: Vec<(f64, offer::Model)> = candidates(txn, row.id, &bands)
            .await?
            .into_iter()
            .filter_map(|other| {
                similar::same_vacancy(&print, &self::print(&other)).map(|l| (l.score(), other))
            })
            .collect();
        // The closest first; of two as close, the older.
        alike.sort_by(|(a, x), (b, y)| b.total_cmp(a).then(x.id.cmp(&y.id)));
        let cluster_of = |o: &offer::Model| o.cluster_id.unwrap_or(o.id);
        let clusters = members(txn, alike.iter().map(|(_, o)| cluster_of(o))).await?;
        // The cluster of the closest, unless one of its members cannot be the same vacancy
        // (another town, another opening of the same organisation...): then the next.
        let cluster = alike
            .iter()
            .map(|(_, other)| cluster_of(other))
            .find(|cluster| {
                clusters.get(cluster).is_none_or(|members| {
                    members
                        .iter()
                        .all(|m| m.id == row.id || !similar::conflict(&print, &self::print(m)))
                })
            })
            .unwrap_or(row.id);
        offer::Entity::update_many()
            .col_expr(offer::Column::ClusterId, Expr::value(cluster))
            .filter(offer::Column::Id.eq(row.id))
            .exec(txn)
            .await?;
        if cluster == row.id {
            Placed::Alone
        } else {
            Placed::Joined(cluster)
        }
    };
    if !bands.is_empty() {
        offer_band::Entity::insert_many(bands.into_iter().map(|band| offer_band::ActiveModel {
            band: sea_orm::ActiveValue::Set(band),
            offer_id: sea_orm::ActiveValue::Set(row.id),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(placed)
}

/// The placed offers sharing a key with offer `id`, those sharing the most first.
async fn candidates(
    txn: &impl ConnectionTrait,
    id: i64,
    bands: &[i64],
) -> anyhow::Result<Vec<offer::Model>> {
    if bands.is_empty() {
        return Ok(Vec::new());
    }
    let shared = Expr::col(offer_band::Column::Band).count();
    let ids: Vec<i64> = offer_band::Entity::find()
        .select_only()
        .column(offer_band::Column::OfferId)
        .filter(offer_band::Column::Band.is_in(bands.iter().copied()))
        .filter(offer_band::Column::OfferId.ne(id))
        .group_by(offer_band::Column::OfferId)
        .order_by(shared, Order::Desc)
        .order_by(offer_band::Column::OfferId, Order::Asc)
        .limit(CANDIDATES)
        .into_tuple()
        .all(txn)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(offer::Entity::find()
        .filter(offer::Column::Id.is_in(ids))
        .all(txn)
        .await?)
}

/// The `offer_clusters` job: places up to [`BATCH`] offers not placed yet, oldest first, in one
/// transaction. An offer that joins a cluster is marked changed (`updated_at`), so that the
/// search shows the cluster once.
pub async fn place_waiting(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<String> {
    let txn = crate::db::begin_write(db).await?;
    crate::db::hold(&txn, Exclusive::Clustering, "offers").await?;
    let waiting = offer::Entity::find()
        .filter(offer::Column::ClusterId.is_null())
        .order_by_asc(offer::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    let (mut placed, mut joined) = (0, 0);
    for row in &waiting {
        placed += 1;
        if let Placed::Joined(_) = place(&txn, row).await? {
            joined += 1;
            offer::Entity::update_many()
                .col_expr(offer::Column::UpdatedAt, Expr::value(now))
                .filter(offer::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(format!(
        "{placed} offers placed, {joined} in a cluster of others"
    ))
}

/// How much an offer says: each field it fills, applying here, and its description's length.
fn completeness(row: &offer::Model) -> usize {
    [
        row.commune_code.is_some(),
        row.region_code.is_some(),
        row.contract.is_some(),
        row.education.is_some(),
        row.experience_years.is_some(),
        row.salary_min.is_some() || row.salary_max.is_some(),
        row.sector_code.is_some(),
        row.isco08.is_some(),
        !row.employer_name.trim().is_empty(),
        row.url.is_some(),
        row.apply_in_platform,
    ]
    .into_iter()
    .filter(|filled| *filled)
    .count()
        + (row.description_text.chars().count() / 400).min(5)
}

/// Whether `row` is shown at `now`: live and not past its date.
pub fn live(row: &offer::Model, now: DateTime<Utc>) -> bool {
    row.status == OfferStatus::Live.as_str() && row.expires_at > now
}

/// The offer that stands for a cluster's `members` at `now`: the live one that says the most;
/// of two alike, the first published, then the first written. None when none is live.
pub fn canonical(members: &[offer::Model], now: DateTime<Utc>) -> Option<&offer::Model> {
    members.iter().filter(|m| live(m, now)).max_by(|a, b| {
        completeness(a)
            .cmp(&completeness(b))
            .then(b.posted_at.cmp(&a.posted_at))
            .then(b.id.cmp(&a.id))
    })
}

/// The members of `clusters`, by cluster.
pub async fn members(
    db: &impl ConnectionTrait,
    clusters: impl IntoIterator<Item = i64>,
) -> anyhow::Result<HashMap<i64, Vec<offer::Model>>> {
    let clusters: Vec<i64> = clusters.into_iter().collect();
    let mut by_cluster: HashMap<i64, Vec<offer::Model>> = HashMap::new();
    for ids in clusters.chunks(500) {
        for row in offer::Entity::find()
            .filter(offer::Column::ClusterId.is_in(ids.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(cluster) = row.cluster_id {
                by_cluster.entry(cluster).or_default().push(row);
            }
        }
    }
    Ok(by_cluster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, status: &str, description: &str, contract: Option<&str>) -> offer::Model {
        let now = Utc::now();
        offer::Model {
            id,
            organization_id: None,
            employer_name: "Atlas".into(),
            kind: "job".into(),
            internship: None,
            contract: contract.map(str::to_owned),
            title: "Comptable".into(),
            description_html: String::new(),
            description_text: description.into(),
            commune_code: None,
            region_code: None,
            remote: false,
            sector_code: None,
            isco08: None,
            education: None,
            experience_years: None,
            salary_min: None,
            salary_max: None,
            posted_at: now,
            expires_at: now + chrono::Duration::days(30),
            listed_at: None,
            source: "gathered".into(),
            external_id: None,
            ingest_source_id: None,
            readings: None,
            url: None,
            apply_in_platform: false,
            status: status.into(),
            content_hash: String::new(),
            created_by: None,
            created_at: now,
            updated_at: now,
            cluster_id: Some(1),
        }
    }

    #[test]
    fn the_canonical_offer_is_the_live_one_that_says_the_most() {
        let now = Utc::now();
        let members = vec![
            row(1, "live", "short", None),
            row(2, "live", "short", Some("cdi")),
            row(3, "expired", &"long ".repeat(500), Some("cdi")),
            row(4, "live", "short", Some("cdi")),
        ];
        // 2 and 4 say as much: the first written stands.
        assert_eq!(canonical(&members, now).map(|m| m.id), Some(2));
        let gone: Vec<_> = members
            .into_iter()
            .map(|mut m| {
                m.status = "withdrawn".into();
                m
            })
            .collect();
        assert_eq!(canonical(&gone, now), None);
    }
}
