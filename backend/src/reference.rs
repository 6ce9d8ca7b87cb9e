//! Reference data served from memory: the regions, the growth sectors, the occupations and the
//! inventory change only when a new binary loads new reference files at start, so each answer
//! is serialised once, with an `ETag` (a digest of its bytes) and `Cache-Control`. A client
//! that sends the `ETag` back in `If-None-Match` gets `304` and no body: on a phone's slow
//! connection the second visit costs a few bytes.
//!
//! Answers of a kilobyte or more are also kept compressed (brotli and gzip, once, when the
//! snapshot is built) and sent so to a client that asks for it (`Accept-Encoding`): the
//! inventory and the sectors weigh a quarter as much on a phone's connection.
//!
//! The occupation and commune searches look their words up in a sorted index of every word
//! of the folded names ([`WordIndex`]) rather than reading every name.
//!
//! The snapshot is built from the database on first use, after the seed has brought the tables
//! up to date, so it always says what the database says; a restart (which is how reference data
//! changes) builds it anew.

use shared::codes;
use std::collections::HashMap;
use std::io::Write;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde::Serialize;
use shared::dto::Page;
use shared::dto::geo::{CommuneListQuery, CommuneView};
use shared::dto::orientation::{
    AreaScores, Inventory, Occupation, OccupationListQuery, OccupationSummary,
};
use shared::search::fold;

use crate::auth::tokens::sha256_hex;
use crate::entities::{occupation, sector_occupation};
use crate::error::{ApiError, ApiResult};
use crate::services::{geo, occupations, pagination};
use crate::spa::accepts;

/// How long a browser or a proxy may reuse an answer without asking again.
const CACHE_CONTROL: &str = "public, max-age=3600";

/// One answer ready to send: its JSON (and the same compressed), and its entity tag.
pub struct Cached {
    body: web::Bytes,
    brotli: Option<web::Bytes>,
    gzip: Option<web::Bytes>,
    /// Weak: the same for every encoding of the same JSON.
    etag: String,
}

/// Below this, compressing saves too little to be worth a header.
const COMPRESS_FROM: usize = 1024;

impl Cached {
    fn of<T: Serialize>(value: &T) -> anyhow::Result<Self> {
        let body = serde_json::to_string(value)?;
        let etag = format!("W/\"{}\"", &sha256_hex(&body)[..32]);
        let (brotli, gzip) = if body.len() >= COMPRESS_FROM {
            (
                Some(compress_brotli(body.as_bytes())?.into()),
                Some(compress_gzip(body.as_bytes())?.into()),
            )
        } else {
            (None, None)
        };
        Ok(Self {
            body: body.into(),
            brotli,
            gzip,
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
            // Compared weakly, as `If-None-Match` is: `W/` aside.
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == self.etag.trim_start_matches("W/") || tag == "*");
        let mut response = if held {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
            .insert_header((header::VARY, "Accept-Encoding"));
        if held {
            return response.finish();
        }
        response.content_type("application/json");
        let body = match (&self.brotli, &self.gzip) {
            (Some(br), _) if accepts(req, "br") => {
                response.insert_header((header::CONTENT_ENCODING, "br"));
                br.clone()
            }
            (_, Some(gz)) if accepts(req, "gzip") => {
                response.insert_header((header::CONTENT_ENCODING, "gzip"));
                gz.clone()
            }
            _ => self.body.clone(),
        };
        response.body(body)
    }
}

/// Brotli at quality 9: nearly the size of 11 on JSON this small, built in a fraction of the
/// time (every occupation's answer is compressed when the snapshot is built).
fn compress_brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

fn compress_gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

/// Every word of a list's folded names, each with the row whose name it begins, sorted: the
/// rows holding a word that a query word begins are one binary search away. The rule is
/// `shared::search::words_match`'s.
struct WordIndex(Vec<(Box<str>, u32)>);

impl WordIndex {
    fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut words = Vec::new();
        for (row, name) in names.enumerate() {
            let row = u32::try_from(row).unwrap_or(u32::MAX);
            for word in name.split(' ').filter(|w| !w.is_empty()) {
                words.push((Box::from(word), row));
            }
        }
        words.sort_unstable();
        words.dedup();
        Self(words)
    }

    /// The rows, in order, with a word that `prefix` begins.
    fn rows(&self, prefix: &str) -> Vec<u32> {
        let start = self.0.partition_point(|(word, _)| word.as_ref() < prefix);
        let mut rows: Vec<u32> = self.0[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(prefix))
            .map(|(_, row)| *row)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// The rows, in order, whose name holds every word of `folded_query` at the start of one of
    /// its words; none for a query that folded to nothing.
    fn matching(&self, folded_query: &str) -> Vec<u32> {
        let mut found: Option<Vec<u32>> = None;
        for word in folded_query.split(' ').filter(|w| !w.is_empty()) {
            let rows = self.rows(word);
            found = Some(match found {
                None => rows,
                Some(before) => before
                    .into_iter()
                    .filter(|row| rows.binary_search(row).is_ok())
                    .collect(),
            });
        }
        found.unwrap_or_default()
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
    occupation_words: WordIndex,
    /// In code order, with their folded names.
    communes: Vec<(String, CommuneView)>,
    commune_words: WordIndex,
    /// Each region's French and Arabic names, by code.
    region_names: HashMap<String, (String, String)>,
    /// The regions' codes in order, and the sectors' in the reference's order.
    region_codes: Vec<String>,
    sector_codes: Vec<String>,
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
        let occupation_words = WordIndex::new(listed.iter().map(|o| o.folded.as_str()));
        let commune_words = WordIndex::new(communes.iter().map(|(folded, _)| folded.as_str()));
        let region_names = regions
            .iter()
            .map(|r| (r.code.clone(), (r.name_fr.clone(), r.name_ar.clone())))
            .collect();
        let region_codes = regions.iter().map(|r| r.code.clone()).collect();
        let sector_codes = sector_list.iter().map(|s| s.code.clone()).collect();
        Ok(Self {
            region_codes,
            sector_codes,
            region_names,
            regions: Cached::of(&regions)?,
            sectors: Cached::of(&sector_list)?,
            inventory: Cached::of(&Inventory::current())?,
            sector,
            occupation,
            occupations: listed,
            occupation_words,
            communes,
            commune_words,
        })
    }

    pub fn sector(&self, code: &str) -> ApiResult<&Cached> {
        self.sector.get(code).ok_or(ApiError::NotFound)
    }

    /// A region's French and Arabic names.
    pub fn region_names(&self, code: &str) -> Option<&(String, String)> {
        self.region_names.get(code)
    }

    /// A commune by its code.
    pub fn commune(&self, code: &str) -> Option<&CommuneView> {
        self.commune_index(code).map(|at| &self.communes[at].1)
    }

    /// A commune's place in the code order, and the commune at a place.
    pub fn commune_index(&self, code: &str) -> Option<usize> {
        self.communes
            .binary_search_by(|(_, c)| c.code.as_str().cmp(code))
            .ok()
    }

    pub fn commune_at(&self, index: usize) -> Option<&CommuneView> {
        self.communes.get(index).map(|(_, c)| c)
    }

    /// The regions' codes, in order.
    pub fn region_codes(&self) -> &[String] {
        &self.region_codes
    }

    /// The growth sectors' codes, in the reference's order.
    pub fn sector_codes(&self) -> &[String] {
        &self.sector_codes
    }

    /// An occupation's summary, by its ISCO-08 code.
    pub fn occupation_summary(&self, isco08: &str) -> Option<&OccupationSummary> {
        self.occupations
            .binary_search_by(|o| o.summary.isco08.as_str().cmp(isco08))
            .ok()
            .map(|at| &self.occupations[at].summary)
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
                codes::JOB_ZONE_OUT_OF_RANGE,
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
        let found = words.as_deref().map(|w| self.occupation_words.matching(w));
        let candidates: Box<dyn Iterator<Item = &Listed>> = match &found {
            Some(rows) => Box::new(rows.iter().map(|&row| &self.occupations[row as usize])),
            None => Box::new(self.occupations.iter()),
        };
        let rows: Vec<&Listed> = candidates
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
        let found = words.as_deref().map(|w| self.commune_words.matching(w));
        let candidates: Box<dyn Iterator<Item = &(String, CommuneView)>> = match &found {
            Some(rows) => Box::new(rows.iter().map(|&row| &self.communes[row as usize])),
            None => Box::new(self.communes.iter()),
        };
        let rows: Vec<&CommuneView> = candidates
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

#[cfg(test)]
mod tests {
    use super::WordIndex;
    use shared::search::{fold, words_match};

    /// The index finds exactly the rows `words_match` accepts.
    #[test]
    fn the_word_index_agrees_with_the_word_rule() {
        let names: Vec<String> = [
            "Casablanca",
            "Dar Bouazza",
            "Ain Sebaa Hay Mohammadi",
            "الدار البيضاء",
            "Sidi Bennour",
            "Bni Mellal casa",
            "",
        ]
        .iter()
        .map(|n| fold(n))
        .collect();
        let index = WordIndex::new(names.iter().map(String::as_str));
        for query in [
            "casa",
            "dar",
            "da",
            "b",
            "sidi ben",
            "ben sidi",
            "hay ain",
            "الدار",
            "البي",
            "x",
            "%",
            "",
            "casa bni",
        ] {
            let folded = fold(query);
            let expected: Vec<u32> = (0..names.len() as u32)
                .filter(|&i| words_match(&names[i as usize], &folded))
                .collect();
            assert_eq!(index.matching(&folded), expected, "{query:?}");
        }
    }
}
