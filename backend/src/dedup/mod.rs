//! De-duplication: the same vacancy published on several sites, or posted again, is one
//! cluster of offers, shown once, by its most complete offer (its *canonical* one), with every
//! other place it was published.
//!
//! Offers are *placed* when they are written, a chunk at a time ([`place`]): their keys
//! ([`similar::Print::bands`]) find the offers that may be the same vacancy (those sharing the
//! most keys; of a key many offers hold, the latest [`HOLDERS`]), each close enough by title is
//! compared with the newcomer ([`similar::same_vacancy`]), and the newcomer joins the cluster of
//! the closest one that is, unless a member of that cluster sets it apart, or starts its own.
//! The database is read in a few statements per chunk, then each offer is decided in memory,
//! those before it in the chunk included. Placing is incremental (lookups by key, never a pass
//! over all pairs) and serialised: it holds [`Exclusive::Clustering`] for the rest of the
//! writing transaction (on SQLite the write lock already does), so two copies of one vacancy
//! written at once by two sources are compared with each other, the second after the first.
//! Gathered offers are placed as they are written; the `offer_clusters` job places the others
//! (posted in the app, pushed by partners, written before clusters existed) a few hundred at a
//! time.
//!
//! A placed offer stays in its cluster when it is updated (its keys follow its words). Which
//! offer stands for the cluster is decided when it is read ([`canonical`]): the live one that
//! says the most, so that when it expires or is withdrawn another takes its place.

pub mod evaluate;
pub mod similar;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use shared::OfferStatus;

use crate::db::Exclusive;
use crate::entities::{offer, offer_band};
use similar::{Offer, Print};

/// The candidates a new offer is compared with, at most: those sharing the most keys with it.
const CANDIDATES: usize = 40;

/// The offers holding a key that are looked at, at most: the latest. A key that many offers
/// hold (a one-word title's, a board's boilerplate's) says little, and the others find them.
const HOLDERS: usize = 64;

/// Values bound in one statement, at most (SQLite's limit is 32,766).
const PARAMETERS: usize = 900;

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
    Print::of(&offer_of(row))
}

fn offer_of(row: &offer::Model) -> Offer<'_> {
    Offer {
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
    }
}

/// The columns of an offer [`Head`] reads.
const HEAD: [offer::Column; 11] = [
    offer::Column::Id,
    offer::Column::ClusterId,
    offer::Column::Title,
    offer::Column::EmployerName,
    offer::Column::CommuneCode,
    offer::Column::RegionCode,
    offer::Column::Kind,
    offer::Column::Contract,
    offer::Column::ExperienceYears,
    offer::Column::Url,
    offer::Column::OrganizationId,
];

/// An offer as it is compared, read without its texts.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
struct Head {
    id: i64,
    cluster_id: Option<i64>,
    title: String,
    employer_name: String,
    commune_code: Option<String>,
    region_code: Option<String>,
    kind: String,
    contract: Option<String>,
    experience_years: Option<i32>,
    url: Option<String>,
    organization_id: Option<i64>,
}

impl Head {
    fn print(&self, description: &str) -> Print {
        Print::of(&Offer {
            title: &self.title,
            description,
            employer: &self.employer_name,
            commune: self.commune_code.as_deref(),
            region: self.region_code.as_deref(),
            kind: &self.kind,
            contract: self.contract.as_deref(),
            experience_years: self.experience_years,
            url: self.url.as_deref(),
            organization: self.organization_id,
        })
    }
}

/// The heads of the offers whose `column` is one of `values`.
async fn heads(
    txn: &impl ConnectionTrait,
    column: offer::Column,
    values: &[i64],
) -> anyhow::Result<Vec<Head>> {
    Ok(offer::Entity::find()
        .select_only()
        .columns(HEAD)
        .filter(column.is_in(values.iter().copied()))
        .into_model::<Head>()
        .all(txn)
        .await?)
}

/// What an offer says but its text: enough to tell whether it may be the same vacancy
/// ([`similar::conflict`], [`similar::titles_close`]) without reading its description.
fn head(row: &offer::Model) -> Print {
    Print::of(&Offer {
        description: "",
        ..offer_of(row)
    })
}

/// Places `rows`, just written in `txn` (a transaction begun by `db::begin_write`), in this
/// order: their keys written, and, for each not placed before, its cluster chosen. What the
/// database holds is read in a few statements for all of them (the offers sharing their keys,
/// those offers' clusters), then each is compared in memory, the ones before it included:
/// two copies of a vacancy in one chunk meet as two in different chunks do.
pub async fn place(
    txn: &impl ConnectionTrait,
    rows: &[offer::Model],
) -> anyhow::Result<HashMap<i64, Placed>> {
    let mut placed = HashMap::new();
    if rows.is_empty() {
        return Ok(placed);
    }
    crate::db::hold(txn, Exclusive::Clustering, "offers").await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    // An offer placed before and written again: its keys follow its words.
    let again: Vec<i64> = rows
        .iter()
        .filter(|r| r.cluster_id.is_some())
        .map(|r| r.id)
        .collect();
    for ids in again.chunks(PARAMETERS) {
        offer_band::Entity::delete_many()
            .filter(offer_band::Column::OfferId.is_in(ids.iter().copied()))
            .exec(txn)
            .await?;
    }
    let prints: Vec<Print> = rows.iter().map(print).collect();
    let bands: Vec<Vec<i64>> = prints.iter().map(Print::bands).collect();
    // Who holds each key, of the offers placed before.
    let mut holders: HashMap<i64, Vec<i64>> = HashMap::new();
    let wanted: Vec<i64> = {
        let mut all: Vec<i64> = bands.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    for keys in wanted.chunks(PARAMETERS) {
        // The keys are numbers this module made: written into the statement as they are.
        let list: Vec<String> = keys.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT band, offer_id FROM (SELECT band, offer_id, ROW_NUMBER() OVER \
             (PARTITION BY band ORDER BY offer_id DESC) AS n FROM offer_bands \
             WHERE band IN ({})) AS held WHERE n <= {HOLDERS}",
            list.join(",")
        );
        let found = txn
            .query_all_raw(Statement::from_string(txn.get_database_backend(), sql))
            .await?;
        for row in found {
            let band: i64 = row.try_get("", "band")?;
            let offer: i64 = row.try_get("", "offer_id")?;
            holders.entry(band).or_default().push(offer);
        }
    }
    // Each new offer's candidates: those sharing the most keys with it.
    let closest = |holders: &HashMap<i64, Vec<i64>>, keys: &[i64], me: i64| -> Vec<i64> {
        let mut shared: HashMap<i64, usize> = HashMap::new();
        for key in keys {
            for offer in holders.get(key).into_iter().flatten() {
                if *offer != me {
                    *shared.entry(*offer).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(i64, usize)> = shared.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(CANDIDATES)
            .map(|(o, _)| o)
            .collect()
    };
    // The offers placed before and written again are known from the start: newcomers of the
    // chunk find them by their new keys and meet their clusters' members.
    let mut known: HashMap<i64, (i64, Print)> = HashMap::new();
    let mut full: HashMap<i64, Print> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(cluster) = row.cluster_id {
            known.insert(row.id, (cluster, head(row)));
            full.insert(row.id, prints[i].clone());
            for key in &bands[i] {
                holders.entry(*key).or_default().push(row.id);
            }
        }
    }
    let mut wanted: Vec<i64> = rows
        .iter()
        .zip(&bands)
        .filter(|(r, _)| r.cluster_id.is_none())
        .flat_map(|(r, keys)| closest(&holders, keys, r.id))
        .filter(|id| !ids.contains(id))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    // The candidates as compared without their text, and every member of their clusters
    // (whom a newcomer must not conflict with), read once; the texts only of the candidates
    // whose titles are close to a newcomer's.
    let mut read: HashMap<i64, Head> = HashMap::new();
    for ids in wanted.chunks(PARAMETERS) {
        for head in heads(txn, offer::Column::Id, ids).await? {
            known.insert(
                head.id,
                (head.cluster_id.unwrap_or(head.id), head.print("")),
            );
            read.insert(head.id, head);
        }
    }
    let mut readable: Vec<i64> = rows
        .iter()
        .zip(&bands)
        .zip(&prints)
        .filter(|((r, _), _)| r.cluster_id.is_none())
        .flat_map(|((r, keys), print)| {
            closest(&holders, keys, r.id)
                .into_iter()
                .filter(|other| {
                    known
                        .get(other)
                        .is_some_and(|(_, head)| similar::titles_close(print, head))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    readable.sort_unstable();
    readable.dedup();
    for ids in readable.chunks(PARAMETERS) {
        let texts: Vec<(i64, String)> = offer::Entity::find()
            .select_only()
            .column(offer::Column::Id)
            .column(offer::Column::DescriptionText)
            .filter(offer::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, text) in texts {
            if let Some(head) = read.get(&id) {
                full.insert(id, head.print(&text));
            }
        }
    }
    let mut clusters: HashMap<i64, Vec<Print>> = HashMap::new();
    let cluster_ids: Vec<i64> = {
        let mut c: Vec<i64> = known.values().map(|(cluster, _)| *cluster).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    for ids in cluster_ids.chunks(PARAMETERS) {
        for head in heads(txn, offer::Column::ClusterId, ids).await? {
            if let Some(cluster) = head.cluster_id {
                clusters.entry(cluster).or_default().push(head.print(""));
            }
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let print = &prints[i];
        if row.cluster_id.is_some() {
            placed.insert(row.id, Placed::Kept);
            continue;
        } else {
            let mut alike: Vec<(f64, i64, i64)> = Vec::new();
            for other in closest(&holders, &bands[i], row.id) {
                let (Some((cluster, _)), Some(candidate)) = (known.get(&other), full.get(&other))
                else {
                    continue;
                };
                if let Some(likeness) = similar::same_vacancy(print, candidate) {
                    alike.push((likeness.score(), other, *cluster));
                }
            }
            // The closest first; of two as close, the older.
            alike.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            // The cluster of the closest, unless one of its members cannot be the same
            // vacancy (another town, another opening of the same organisation...): then the
            // next.
            let cluster = alike
                .iter()
                .map(|(_, _, cluster)| *cluster)
                .find(|cluster| {
                    clusters.get(cluster).is_none_or(|members| {
                        members
                            .iter()
                            .all(|m| similar::same_page(print, m) || !similar::conflict(print, m))
                    })
                })
                .unwrap_or(row.id);
            placed.insert(
                row.id,
                if cluster == row.id {
                    Placed::Alone
                } else {
                    Placed::Joined(cluster)
                },
            );
            known.insert(row.id, (cluster, head(row)));
            clusters.entry(cluster).or_default().push(head(row));
        }
        // The offers after it find it.
        full.insert(row.id, print.clone());
        for key in &bands[i] {
            holders.entry(*key).or_default().push(row.id);
        }
    }
    // Written: each cluster's newcomers in one statement, those alone in one.
    let mut by_cluster: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut alone = Vec::new();
    for (id, p) in &placed {
        match p {
            Placed::Alone => alone.push(*id),
            Placed::Joined(cluster) => by_cluster.entry(*cluster).or_default().push(*id),
            Placed::Kept => {}
        }
    }
    for ids in alone.chunks(PARAMETERS) {
        offer::Entity::update_many()
            .col_expr(offer::Column::ClusterId, Expr::col(offer::Column::Id))
            .filter(offer::Column::Id.is_in(ids.iter().copied()))
            .exec(txn)
            .await?;
    }
    for (cluster, ids) in by_cluster {
        for ids in ids.chunks(PARAMETERS) {
            offer::Entity::update_many()
                .col_expr(offer::Column::ClusterId, Expr::value(cluster))
                .filter(offer::Column::Id.is_in(ids.iter().copied()))
                .exec(txn)
                .await?;
        }
    }
    let keys: Vec<offer_band::ActiveModel> = rows
        .iter()
        .zip(bands)
        .flat_map(|(row, keys)| {
            keys.into_iter().map(move |band| offer_band::ActiveModel {
                band: sea_orm::ActiveValue::Set(band),
                offer_id: sea_orm::ActiveValue::Set(row.id),
            })
        })
        .collect();
    let mut keys = keys.into_iter().peekable();
    while keys.peek().is_some() {
        let some: Vec<_> = keys.by_ref().take(PARAMETERS / 2).collect();
        offer_band::Entity::insert_many(some)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(placed)
}

/// What a run of the `offer_clusters` job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Offers placed.
    pub placed: usize,
    /// Of those, the ones that joined a cluster of other offers.
    pub joined: usize,
}

impl std::fmt::Display for Waiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} offers placed, {} in a cluster of others",
            self.placed, self.joined
        )
    }
}

/// The `offer_clusters` job: places up to [`BATCH`] offers not placed yet, oldest first, in one
/// transaction (none waiting, it writes nothing). An offer that joins a cluster is marked
/// changed (`updated_at`), so that the search shows the cluster once.
pub async fn place_waiting(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<Waiting> {
    let none = Waiting {
        placed: 0,
        joined: 0,
    };
    let waiting = offer::Entity::find()
        .select_only()
        .column(offer::Column::Id)
        .filter(offer::Column::ClusterId.is_null())
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    if waiting.is_none() {
        return Ok(none);
    }
    let txn = crate::db::begin_write(db).await?;
    crate::db::hold(&txn, Exclusive::Clustering, "offers").await?;
    let waiting = offer::Entity::find()
        .filter(offer::Column::ClusterId.is_null())
        .order_by_asc(offer::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    let placed = place(&txn, &waiting).await?;
    let joined: Vec<i64> = placed
        .iter()
        .filter(|(_, p)| matches!(p, Placed::Joined(_)))
        .map(|(id, _)| *id)
        .collect();
    for ids in joined.chunks(PARAMETERS) {
        offer::Entity::update_many()
            .col_expr(offer::Column::UpdatedAt, Expr::value(now))
            .filter(offer::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Waiting {
        placed: placed.len(),
        joined: joined.len(),
    })
}

/// How many vacancies a set of offers holds, as a column to select: the offers of a cluster
/// count as one (an offer not yet placed, alone).
pub fn vacancies() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust("COUNT(DISTINCT COALESCE(cluster_id, id))")
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
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
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
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
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
