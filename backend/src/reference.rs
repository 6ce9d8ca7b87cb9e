//! Reference data served from memory: the regions, the growth sectors, the occupations and the
//! inventory change only when a new binary loads new reference files at start, so each answer
//! is serialised once, with an `ETag` (a digest of its bytes) and `Cache-Control`. A client
//! that sends the `ETag` back in `If-None-Match` gets `304` and no body: on a phone's slow
//! connection the second visit costs a few bytes.
//!
//! The snapshot is built from the database on first use, after the seed has brought the tables
//! up to date, so it always says what the database says; a restart (which is how reference data
//! changes) builds it anew.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde::Serialize;
use shared::dto::Page;
use shared::dto::geo::{CommuneListQuery, CommuneView};
use shared::dto::orientation::{
    AreaScores, Inventory, Occupation, OccupationListQuery, OccupationSummary,
};
use shared::search::{fold, words_match};

use crate::auth::tokens::sha256_hex;
use crate::entities::{occupation, sector_occupation};
use crate::error::{ApiError, ApiResult};
use crate::services::{geo, occupations, pagination};

/// How long a browser or a proxy may reuse an answer without asking again.
const CACHE_CONTROL: &str = "public, max-age=3600";

/// One answer ready to send: its JSON and its entity tag.
pub struct Cached {
    body: web::Bytes,
    etag: String,
}

impl Cached {
    fn of<T: Serialize>(value: &T) -> anyhow::Result<Self> {
        let body = serde_json::to_string(value)?;
        let etag = format!("\"{}\"", &sha256_hex(&body)[..32]);
        Ok(Self {
            body: body.into(),
            etag,
        })
    }

    /// `304` when the client already holds this version (`If-None-Match`), else the JSON.
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let held = req
            .headers()
            .get_all(header::IF_NONE_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == self.etag || tag == "*");
        let mut response = if held {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header((header::CACHE_CONTROL, CACHE_CONTROL));
        if held {
            response.finish()
        } else {
            response
                .content_type("application/json")
                .body(self.body.clone())
        }
    }
}

/// An occupation as lists and searches need it.
struct Listed {
    summary: OccupationSummary,
    /// Its titles folded for search, as the database's `search_text` holds them.
    folded: String,
    sectors: Vec<String>,
}

pub struct Reference {
    pub regions: Cached,
    pub sectors: Cached,
    pub inventory: Cached,
    sector: HashMap<String, Cached>,
    occupation: HashMap<String, Cached>,
    /// In ISCO order, the order of the list's cursor.
    occupations: Vec<Listed>,
    /// In code order, with their folded names.
    communes: Vec<(String, CommuneView)>,
}

impl Reference {
    /// Reads every reference answer once from the database.
    pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let error = |e: ApiError| anyhow::anyhow!("loading reference data: {e}");
        let regions = geo::regions(db).await.map_err(error)?;
        let sector_list = occupations::sectors(db).await.map_err(error)?;
        let mut sector = HashMap::new();
        for summary in &sector_list {
            let full = occupations::sector(db, &summary.code)
                .await
                .map_err(error)?;
            sector.insert(summary.code.clone(), Cached::of(&full)?);
        }
        let links = sector_occupation::Entity::find().all(db).await?;
        let rows = occupation::Entity::find()
            .order_by_asc(occupation::Column::Isco08)
            .all(db)
            .await?;
        let mut occupation = HashMap::new();
        let mut listed = Vec::with_capacity(rows.len());
        // Built from the rows already read (one query per table, not two per occupation);
        // an occupation's sectors come in the sectors' reference order, as the API lists them.
        for row in rows {
            let sectors: Vec<String> = links
                .iter()
                .filter(|l| l.isco08 == row.isco08)
                .map(|l| l.sector_code.clone())
                .collect();
            let full = Occupation {
                summary: occupations::occupation_summary(&row),
                profile: AreaScores::from_array(occupations::profile(&row)),
                sectors: sector_list
                    .iter()
                    .filter(|s| sectors.contains(&s.code))
                    .cloned()
                    .collect(),
            };
            occupation.insert(row.isco08.clone(), Cached::of(&full)?);
            listed.push(Listed {
                summary: full.summary,
                folded: row.search_text.clone().unwrap_or_default(),
                sectors,
            });
        }
        // The cursors compare codes as Rust does; the database's collation may order them
        // otherwise, so the lists are put in Rust's order here.
        listed.sort_by(|a, b| a.summary.isco08.cmp(&b.summary.isco08));
        let mut communes = geo::all_communes(db).await.map_err(error)?;
        communes.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        Ok(Self {
            regions: Cached::of(&regions)?,
            sectors: Cached::of(&sector_list)?,
            inventory: Cached::of(&Inventory::current())?,
            sector,
            occupation,
            occupations: listed,
            communes,
        })
    }

    pub fn sector(&self, code: &str) -> ApiResult<&Cached> {
        self.sector.get(code).ok_or(ApiError::NotFound)
    }

    pub fn occupation(&self, isco08: &str) -> ApiResult<&Cached> {
        self.occupation.get(isco08).ok_or(ApiError::NotFound)
    }

    /// The occupation list and search, answered from memory with the database's rules: the
    /// same folding and word-prefix match as `search_text`, the same filters, the same cursor.
    pub fn occupations(&self, query: &OccupationListQuery) -> ApiResult<Page<OccupationSummary>> {
        if let Some(zone) = query.max_job_zone
            && !(1..=5).contains(&zone)
        {
            return Err(ApiError::field(
                "max_job_zone",
                "job_zone.out_of_range",
                "job zones go from 1 to 5",
            ));
        }
        let words = query
            .q
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(fold);
        let after = pagination::decode_key(query.cursor.as_deref())?;
        let limit = pagination::limit(query.limit)?;
        let rows: Vec<&Listed> = self
            .occupations
            .iter()
            .filter(|o| words.as_deref().is_none_or(|w| words_match(&o.folded, w)))
            .filter(|o| {
                query
                    .area
                    .is_none_or(|a| o.summary.code.starts_with(a.letter()))
            })
            .filter(|o| query.max_job_zone.is_none_or(|z| o.summary.job_zone <= z))
            .filter(|o| {
                query
                    .sector
                    .as_deref()
                    .is_none_or(|s| o.sectors.iter().any(|c| c == s))
            })
            .filter(|o| {
                after
                    .as_deref()
                    .is_none_or(|a| o.summary.isco08.as_str() > a)
            })
            .take(usize::try_from(limit).unwrap_or(100) + 1)
            .collect();
        Ok(pagination::page(
            rows,
            limit,
            |o| o.summary.isco08.clone(),
            |o| o.summary.clone(),
        ))
    }

    /// Communes by code, of one region or matching a name, from memory, with the rules of the
    /// other searches (folding, every word beginning a word of the French or Arabic name).
    pub fn communes(&self, query: &CommuneListQuery) -> ApiResult<Page<CommuneView>> {
        let words = query
            .q
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(fold);
        let after = pagination::decode_key(query.cursor.as_deref())?;
        let limit = pagination::limit(query.limit)?;
        let rows: Vec<&CommuneView> = self
            .communes
            .iter()
            .filter(|(folded, _)| words.as_deref().is_none_or(|w| words_match(folded, w)))
            .map(|(_, commune)| commune)
            .filter(|c| query.region.as_deref().is_none_or(|r| c.region_code == r))
            .filter(|c| after.as_deref().is_none_or(|a| c.code.as_str() > a))
            .take(usize::try_from(limit).unwrap_or(100) + 1)
            .collect();
        Ok(pagination::page(
            rows,
            limit,
            |c| c.code.clone(),
            |c| c.clone(),
        ))
    }
}
