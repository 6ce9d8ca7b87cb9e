//! The offers' full-text index: an embedded tantivy index of the live offers, in
//! `DATA_DIR/offers-index`, fed from the database.
//!
//! The database is the truth; the index follows it by `offers.updated_at`. Each sync reads the
//! offers changed since the last one (with a minute's overlap, so a transaction that committed
//! late is not missed; an offer already indexed at the same `updated_at` is skipped), replaces
//! each in the index (live ones added, others only removed), and commits with the watermark
//! as the commit's payload. Every write of offers syncs after its commit, so an offer is
//! searchable when its answer arrives; a loop syncs every few seconds for what other instances
//! and the expiry job changed. At start an index missing, of another schema, or holding
//! another count of live offers than the database (another database, a restore) is rebuilt;
//! otherwise it catches up from its watermark. Searches exclude offers past their date at
//! query time, between two runs of the expiry job.
//!
//! Each vacancy is indexed once: of a cluster of offers that are the same vacancy (`dedup`),
//! only the one that stands for it, with the other sites it is published on. A changed offer
//! of a cluster has its whole cluster decided again, so that when a more complete copy arrives,
//! or the one shown expires, the index follows.
//!
//! One process writes an index directory at a time (tantivy's lock): a second instance given
//! the same `DATA_DIR` keeps its index in memory, rebuilt from the database.

pub mod analysis;
mod counts;
mod query;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::dto::offers::{EXCERPT, OfferHit};
use shared::{Contract, InternshipType, OfferKind, OfferStatus, RequiredEducation};
use tantivy::schema::{
    FAST, Facet, FacetOptions, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use query::{Filters, SearchRequest};

use crate::entities::{ingest_source, offer};
use crate::reference::Reference;

/// Raised whenever the schema or the analysis changes: an index of another version is rebuilt.
const VERSION: u32 = 5;
/// How far back each sync reads again, for transactions that committed after a later one.
const OVERLAP: chrono::Duration = chrono::Duration::minutes(1);
/// Offers read from the database at a time.
const PAGE: u64 = 1000;
/// The segments past which a sync merges them.
const MAX_SEGMENTS: usize = 4;
/// How often the background loop syncs.
pub const SYNC_EVERY: Duration = Duration::from_secs(5);

/// The index's fields.
#[derive(Clone, Copy)]
struct Fields {
    id: tantivy::schema::Field,
    posted: tantivy::schema::Field,
    /// When it was last put live here (its publication date when never recorded).
    listed: tantivy::schema::Field,
    expires: tantivy::schema::Field,
    /// `/kind/job`, `/region/06`…: the filters and their counts.
    facets: tantivy::schema::Field,
    /// The offer as a hit, JSON.
    hit: tantivy::schema::Field,
    /// title, employer and kind words, places, description, each in fr, en, ar (see `Text`).
    text: [[tantivy::schema::Field; 3]; 3],
    place: tantivy::schema::Field,
    /// Each counted dimension's number (`counts::DIMENSIONS`).
    numbers: [tantivy::schema::Field; 7],
}

/// The analysed texts of an offer, by weight.
#[derive(Clone, Copy)]
enum Text {
    Title = 0,
    Meta = 1,
    Body = 2,
}

const LANGUAGES: [&str; 3] = [analysis::FRENCH, analysis::ENGLISH, analysis::ARABIC];

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let number = || tantivy::schema::NumericOptions::default() | INDEXED | FAST;
    let id = builder.add_u64_field("id", number());
    let posted = builder.add_i64_field("posted", FAST);
    let listed = builder.add_i64_field("listed", FAST);
    let expires = builder.add_i64_field("expires", number());
    let facets = builder.add_facet_field("facets", FacetOptions::default());
    let hit = builder.add_bytes_field("hit", STORED);
    let analysed = |analyser: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyser)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let mut text = [[id; 3]; 3];
    for (t, name) in ["title", "meta", "body"].into_iter().enumerate() {
        for (l, analyser) in LANGUAGES.into_iter().enumerate() {
            text[t][l] = builder.add_text_field(&format!("{name}_{analyser}"), analysed(analyser));
        }
    }
    let place = builder.add_text_field("place", analysed(analysis::PLACE));
    let numbers = counts::DIMENSIONS.map(|d| builder.add_u64_field(&counts::field(d), FAST));
    (
        builder.build(),
        Fields {
            id,
            posted,
            listed,
            expires,
            facets,
            hit,
            text,
            place,
            numbers,
        },
    )
}

/// What the writer side keeps between syncs.
struct Keeper {
    /// Changes up to this moment (less the overlap) are in the index; `None`: rebuild.
    watermark: Option<DateTime<Utc>>,
    /// The `updated_at` each offer was indexed at, for the offers within the overlap.
    seen: HashMap<i64, i64>,
}

pub struct OfferIndex {
    reader: IndexReader,
    fields: Fields,
    writer: Arc<Mutex<IndexWriter<TantivyDocument>>>,
    keeper: tokio::sync::Mutex<Keeper>,
    /// Where it lives: `None` in memory.
    on_disk: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    version: u32,
    watermark: i64,
}

/// The index's writer: one indexing thread (two cores, shared with the requests) and 50 MB.
fn writer(index: &Index) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    index.writer_with_num_threads(1, 50_000_000)
}

impl OfferIndex {
    /// Opens the index in `data_dir/offers-index`, created or emptied when missing or of
    /// another version; in memory when another process holds that directory.
    pub fn open(data_dir: &Path) -> anyhow::Result<Self> {
        let (schema, fields) = schema();
        let dir = data_dir.join("offers-index");
        let opened = Self::open_dir(&dir, &schema);
        let (index, watermark, on_disk) = match opened {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(dir = %dir.display(), %error, "offers' index kept in memory");
                (Index::create_in_ram(schema.clone()), None, false)
            }
        };
        analysis::register(index.tokenizers());
        match writer(&index) {
            Ok(writer) => Self::assemble(index, writer, watermark, fields, on_disk),
            Err(error) if on_disk => {
                tracing::warn!(%error, "offers' index busy (another instance?): kept in memory");
                let index = Index::create_in_ram(schema);
                analysis::register(index.tokenizers());
                let writer = writer(&index)?;
                Self::assemble(index, writer, None, fields, false)
            }
            Err(error) => Err(error.into()),
        }
    }

    fn assemble(
        index: Index,
        writer: IndexWriter<TantivyDocument>,
        watermark: Option<DateTime<Utc>>,
        fields: Fields,
        on_disk: bool,
    ) -> anyhow::Result<Self> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            reader,
            fields,
            writer: Arc::new(Mutex::new(writer)),
            keeper: tokio::sync::Mutex::new(Keeper {
                watermark,
                seen: HashMap::new(),
            }),
            on_disk,
        })
    }

    /// The index in `dir` with its watermark, or a new empty one (no watermark: to build).
    fn open_dir(
        dir: &Path,
        schema: &Schema,
    ) -> anyhow::Result<(Index, Option<DateTime<Utc>>, bool)> {
        if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir)?;
            let payload = index
                .load_metas()?
                .payload
                .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
            if let Some(payload) = payload
                && payload.version == VERSION
                && index.schema() == *schema
            {
                let watermark = DateTime::from_timestamp_micros(payload.watermark);
                return Ok((index, watermark, true));
            }
            tracing::info!(dir = %dir.display(), "offers' index of another version: rebuilt");
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        Ok((Index::create_in_dir(dir, schema.clone())?, None, true))
    }

    pub fn on_disk(&self) -> bool {
        self.on_disk
    }

    /// How many offers the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// At start: catches up from the watermark, then rebuilds if the index and the database
    /// disagree on how many live offers there are. Returns how many offers it (re)indexed.
    pub async fn start(
        &self,
        db: &impl ConnectionTrait,
        reference: &Reference,
    ) -> anyhow::Result<u64> {
        let mut indexed = self.sync(db, reference).await?;
        let now = Utc::now();
        // One offer of each vacancy: the live offers of no cluster, and one per cluster with
        // a live offer.
        // One offer of each vacancy: a cluster with a live offer counts once.
        let live: Option<i64> = offer::Entity::find()
            .select_only()
            .column_as(crate::dedup::vacancies(), "n")
            .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
            .filter(offer::Column::ExpiresAt.gt(now))
            .into_tuple()
            .one(db)
            .await?;
        let live = live.unwrap_or(0).max(0) as u64;
        let held = self.count_unexpired(now)?;
        if held != live {
            tracing::info!(
                held,
                live,
                "offers' index disagrees with the database: rebuilt"
            );
            {
                let mut keeper = self.keeper.lock().await;
                keeper.watermark = None;
                keeper.seen.clear();
            }
            indexed = self.sync(db, reference).await?;
        }
        Ok(indexed)
    }

    fn count_unexpired(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let searcher = self.reader.searcher();
        let query = query::unexpired(self.fields, now);
        Ok(searcher.search(&query, &tantivy::collector::Count)? as u64)
    }

    /// Brings the index in step with the offers changed since the last sync; how many it
    /// wrote. One sync at a time; a sync asked for while another runs waits, then reads what
    /// the first did not see.
    pub async fn sync(
        &self,
        db: &impl ConnectionTrait,
        reference: &Reference,
    ) -> anyhow::Result<u64> {
        let mut keeper = self.keeper.lock().await;
        let rebuild = keeper.watermark.is_none();
        let since = keeper.watermark.map(|w| w - OVERLAP);
        let mut after: Option<(DateTime<Utc>, i64)> = None;
        let mut newest = keeper.watermark;
        let mut written = 0;
        if rebuild {
            let writer = self.writer.clone();
            tokio::task::spawn_blocking(move || {
                writer
                    .lock()
                    .map_err(|_| anyhow::anyhow!("index writer poisoned"))?
                    .delete_all_documents()?;
                anyhow::Ok(())
            })
            .await??;
        }
        let now = Utc::now();
        // The offers decided in this sync (with their clusters), by the version decided on,
        // and the sources' names.
        let mut decided: HashMap<i64, i64> = HashMap::new();
        let mut sites: Option<HashMap<i64, String>> = None;
        loop {
            let mut select = offer::Entity::find();
            if let Some(since) = since {
                select = select.filter(offer::Column::UpdatedAt.gte(since));
            }
            if let Some((at, id)) = after {
                select = select.filter(
                    sea_orm::Condition::any()
                        .add(offer::Column::UpdatedAt.gt(at))
                        .add(
                            sea_orm::Condition::all()
                                .add(offer::Column::UpdatedAt.eq(at))
                                .add(offer::Column::Id.gt(id)),
                        ),
                );
            }
            // Ids and stamps first: within the overlap most offers were indexed already, and
            // only the others are read whole.
            let stamps: Vec<(i64, DateTime<Utc>)> = select
                .select_only()
                .column(offer::Column::Id)
                .column(offer::Column::UpdatedAt)
                .order_by_asc(offer::Column::UpdatedAt)
                .order_by_asc(offer::Column::Id)
                .limit(PAGE)
                .into_tuple()
                .all(db)
                .await?;
            let Some(&(last_id, last_at)) = stamps.last() else {
                break;
            };
            after = Some((last_at, last_id));
            newest = newest.max(Some(last_at));
            let full = stamps.len() as u64 == PAGE;
            let unseen: Vec<i64> = stamps
                .iter()
                .filter(|(id, at)| keeper.seen.get(id) != Some(&at.timestamp_micros()))
                .map(|(id, _)| *id)
                .collect();
            let rows = if unseen.is_empty() {
                Vec::new()
            } else {
                offer::Entity::find()
                    .filter(offer::Column::Id.is_in(unseen))
                    .all(db)
                    .await?
            };
            // A changed offer of a cluster decides for its whole cluster: the one that stands
            // for it is indexed, the others are not (each vacancy is found once).
            let clusters: HashSet<i64> = rows.iter().filter_map(|r| r.cluster_id).collect();
            let mut members = if clusters.is_empty() {
                HashMap::new()
            } else {
                crate::dedup::members(db, clusters).await?
            };
            if sites.is_none()
                && (rows.iter().any(|r| r.ingest_source_id.is_some())
                    || members
                        .values()
                        .flatten()
                        .any(|m| m.ingest_source_id.is_some()))
            {
                sites = Some(
                    ingest_source::Entity::find()
                        .all(db)
                        .await?
                        .into_iter()
                        .map(|s| (s.id, s.name))
                        .collect(),
                );
            }
            let no_sites = HashMap::new();
            let sites = sites.as_ref().unwrap_or(&no_sites);
            let mut changes = Vec::new();
            for row in rows {
                let stamp = row.updated_at.timestamp_micros();
                keeper.seen.insert(row.id, stamp);
                // Decided in this sync already, from this version or a later one.
                if decided.get(&row.id).is_some_and(|at| *at >= stamp) {
                    continue;
                }
                if let Some(group) = row.cluster_id.and_then(|c| members.remove(&c)) {
                    let standing = crate::dedup::canonical(&group, now).map(|c| c.id);
                    for member in &group {
                        let at = member.updated_at.timestamp_micros();
                        let again = decided.insert(member.id, at).is_some();
                        let document = (Some(member.id) == standing)
                            .then(|| self.document(member, reference, sites, &group));
                        changes.push((member.id, document, again));
                    }
                    continue;
                }
                let again = decided.insert(row.id, stamp).is_some();
                let document = crate::dedup::live(&row, now)
                    .then(|| self.document(&row, reference, sites, &[]));
                changes.push((row.id, document, again));
            }
            written += changes.len() as u64;
            if !changes.is_empty() {
                let (writer, id) = (self.writer.clone(), self.fields.id);
                tokio::task::spawn_blocking(move || {
                    let writer = writer
                        .lock()
                        .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
                    for (offer, document, again) in changes {
                        // A rebuild starts empty: only an offer decided again in it has a
                        // document to replace.
                        if !rebuild || again {
                            writer.delete_term(Term::from_field_u64(id, offer as u64));
                        }
                        if let Some(document) = document {
                            writer.add_document(document?)?;
                        }
                    }
                    anyhow::Ok(())
                })
                .await??;
            }
            if !full {
                break;
            }
        }
        let newest = newest.unwrap_or(now - OVERLAP);
        if written > 0 || rebuild || keeper.watermark != Some(newest) {
            let (writer, reader) = (self.writer.clone(), self.reader.clone());
            let payload = serde_json::to_string(&Payload {
                version: VERSION,
                watermark: newest.timestamp_micros(),
            })?;
            tokio::task::spawn_blocking(move || {
                let mut writer = writer
                    .lock()
                    .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
                let mut commit = writer.prepare_commit()?;
                commit.set_payload(&payload);
                commit.commit()?;
                reader.reload()?;
                // Every commit adds a segment, and every search pays for each: past a few,
                // they are merged, in the writer's merge thread (the next syncs reload the
                // reader onto the result).
                // The largest is left out, so a steady trickle of writes does not merge the
                // whole index again and again.
                let mut segments = writer.index().searchable_segment_metas()?;
                if segments.len() > MAX_SEGMENTS {
                    segments.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
                    let small: Vec<_> = segments[1..].iter().map(|m| m.id()).collect();
                    drop(writer.merge(&small));
                }
                anyhow::Ok(())
            })
            .await??;
        } else {
            // A merge may have ended since.
            self.reader.reload()?;
        }
        keeper.watermark = Some(newest);
        // What lies before the overlap is never read again.
        let floor = (newest - OVERLAP).timestamp_micros();
        keeper.seen.retain(|_, stamp| *stamp >= floor);
        Ok(written)
    }

    /// An offer as the index holds it: `sites` names the sources, `cluster` is the offers of
    /// its vacancy (it among them), if it has others.
    fn document(
        &self,
        row: &offer::Model,
        reference: &Reference,
        sites: &HashMap<i64, String>,
        cluster: &[offer::Model],
    ) -> anyhow::Result<TantivyDocument> {
        let f = self.fields;
        let mut hit = hit(row, reference);
        let site = |o: &offer::Model| o.ingest_source_id.and_then(|s| sites.get(&s).cloned());
        hit.published_on = site(row);
        let now = Utc::now();
        for other in cluster {
            if other.id != row.id
                && crate::dedup::live(other, now)
                && let Some(name) = site(other)
                && Some(&name) != hit.published_on.as_ref()
                && !hit.also_published_on.contains(&name)
            {
                hit.also_published_on.push(name);
            }
        }
        hit.also_published_on.sort();
        let mut doc = TantivyDocument::new();
        doc.add_u64(f.id, row.id as u64);
        doc.add_i64(f.posted, row.posted_at.timestamp_micros());
        let listed = row.listed_at.unwrap_or(row.posted_at);
        doc.add_i64(f.listed, listed.timestamp_micros());
        doc.add_i64(f.expires, row.expires_at.timestamp_micros());
        let mut numbers = [0u64; 7];
        let mut facet = |dimension: &str, value: &str| {
            doc.add_facet(f.facets, Facet::from_path([dimension, value]));
            if let Some(d) = counts::DIMENSIONS.iter().position(|x| *x == dimension) {
                numbers[d] = counts::number(dimension, value, reference);
            }
        };
        facet("kind", &row.kind);
        if let Some(contract) = &row.contract {
            facet("contract", contract);
        }
        if let Some(region) = &row.region_code {
            facet("region", region);
        }
        if let Some(commune) = &row.commune_code {
            facet("commune", commune);
        }
        if let Some(sector) = &row.sector_code {
            facet("sector", sector);
        }
        if let Some(education) = &row.education {
            facet("education", education);
        }
        facet("remote", if row.remote { "true" } else { "false" });
        for (field, number) in f.numbers.into_iter().zip(numbers) {
            doc.add_u64(field, number);
        }
        let meta = meta_words(row);
        let places = place_words(&hit, reference);
        for l in 0..3 {
            doc.add_text(f.text[Text::Title as usize][l], &row.title);
            doc.add_text(f.text[Text::Meta as usize][l], &meta);
            doc.add_text(f.text[Text::Body as usize][l], &row.description_text);
        }
        doc.add_text(f.place, &places);
        doc.add_bytes(f.hit, &serde_json::to_vec(&hit)?);
        Ok(doc)
    }

    /// Keeps the index in step until `stop`: a sync every [`SYNC_EVERY`].
    pub async fn keep(
        self: Arc<Self>,
        state: actix_web::web::Data<crate::state::AppState>,
        stop: tokio_util::sync::CancellationToken,
    ) {
        let reference = match state.reference().await {
            Ok(reference) => reference,
            Err(error) => {
                tracing::error!(%error, "offers' index: no reference data");
                return;
            }
        };
        match self.start(&state.db, reference).await {
            Ok(n) => tracing::info!(indexed = n, held = self.len(), "offers' index ready"),
            Err(error) => tracing::error!(%error, "offers' index: catching up failed"),
        }
        let mut tick = tokio::time::interval(SYNC_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = tick.tick() => {}
            }
            if let Err(error) = self.sync(&state.db, reference).await {
                tracing::error!(%error, "offers' index: sync failed");
            }
        }
    }
}

/// The words an offer is also found by: its employer, kind, internship and contract, in the
/// three languages.
fn meta_words(row: &offer::Model) -> String {
    let mut words = vec![row.employer_name.as_str()];
    words.push(match OfferKind::parse(&row.kind) {
        Ok(OfferKind::Job) => "emploi job poste وظيفة شغل",
        Ok(OfferKind::Internship) => "stage stagiaire internship intern تدريب تدريبي",
        Ok(OfferKind::Immersion) => "immersion découverte متابعة",
        Err(_) => "",
    });
    if let Some(internship) = row.internship.as_deref() {
        words.push(match InternshipType::parse(internship) {
            Ok(InternshipType::EndOfStudies) => "pfe fin d'études end of studies تخرج",
            Ok(InternshipType::PreHiring) => "pré-embauche pre-hiring",
            Ok(InternshipType::Observation) => "observation",
            Err(_) => "",
        });
    }
    if let Some(contract) = row.contract.as_deref() {
        words.push(match Contract::parse(contract) {
            Ok(Contract::Cdi) => "cdi permanent",
            Ok(Contract::Cdd) => "cdd",
            Ok(Contract::Idmaj) => "idmaj anapec إدماج",
            Ok(Contract::Tahfiz) => "tahfiz anapec تحفيز",
            Ok(Contract::Temporary) => "intérim interim temporaire temporary",
            Ok(Contract::Freelance) => "freelance indépendant",
            Ok(Contract::Apprenticeship) => "apprentissage alternance apprenticeship",
            Err(_) => "",
        });
    }
    if let Some(education) = row.education.as_deref() {
        words.push(match RequiredEducation::parse(education) {
            Ok(RequiredEducation::Bac) => "bac",
            Ok(RequiredEducation::Bac2) => "bac+2 bts dut",
            Ok(RequiredEducation::Bac3) => "bac+3 licence",
            Ok(RequiredEducation::Bac5) => "bac+5 master ingénieur",
            _ => "",
        });
    }
    if row.remote {
        words.push("télétravail remote عن بعد");
    }
    words.join(" ")
}

/// Other names people type for some cities, by the folded French name of the commune.
const ALIASES: &[(&str, &str)] = &[
    ("casablanca", "casa"),
    ("tanger", "tangier tangiers tanja"),
    ("marrakech", "marrakesh"),
    ("fes", "fez"),
    ("tetouan", "tetuan"),
    ("el jadida", "jadida"),
    ("laayoune", "layoune"),
];

/// The place names an offer is found by: its commune, province and region, in French and
/// Arabic, and the cities' other names.
fn place_words(hit: &OfferHit, reference: &Reference) -> String {
    let mut words: Vec<String> = Vec::new();
    if let Some(code) = &hit.commune_code
        && let Some(commune) = reference.commune(code)
    {
        words.push(commune.name_fr.clone());
        words.push(commune.name_ar.clone());
        words.push(commune.province_name_fr.clone());
        words.push(commune.province_name_ar.clone());
        let folded = shared::search::fold(&commune.name_fr);
        if let Some((_, alias)) = ALIASES.iter().find(|(name, _)| *name == folded) {
            words.push((*alias).to_owned());
        }
    }
    words.extend(hit.region_name_fr.clone());
    words.extend(hit.region_name_ar.clone());
    words.join(" ")
}

/// The start of a description: whole words, within [`EXCERPT`] characters.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT).collect();
    let whole = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{whole}…")
}

/// An offer as the search lists it.
pub fn hit(row: &offer::Model, reference: &Reference) -> OfferHit {
    let commune = row
        .commune_code
        .as_deref()
        .and_then(|c| reference.commune(c));
    let region = row
        .region_code
        .as_deref()
        .and_then(|c| reference.region_names(c));
    OfferHit {
        id: row.id,
        kind: OfferKind::parse(&row.kind).unwrap_or(OfferKind::Job),
        internship: row
            .internship
            .as_deref()
            .and_then(|i| InternshipType::parse(i).ok()),
        contract: row
            .contract
            .as_deref()
            .and_then(|c| Contract::parse(c).ok()),
        title: row.title.clone(),
        employer_name: row.employer_name.clone(),
        commune_code: row.commune_code.clone(),
        commune_name_fr: commune.map(|c| c.name_fr.clone()),
        commune_name_ar: commune.map(|c| c.name_ar.clone()),
        region_code: row.region_code.clone(),
        region_name_fr: region.map(|r| r.0.clone()),
        region_name_ar: region.map(|r| r.1.clone()),
        remote: row.remote,
        sector: row.sector_code.clone(),
        education: row
            .education
            .as_deref()
            .and_then(|e| RequiredEducation::parse(e).ok()),
        salary_min: row.salary_min,
        salary_max: row.salary_max,
        posted_at: row.posted_at,
        expires_at: row.expires_at,
        excerpt: excerpt(&row.description_text),
        apply_in_platform: row.apply_in_platform,
        published_on: None,
        also_published_on: Vec::new(),
    }
}
