//! Offers gathered from other sites: a file imported from the command line
//! (`careercenter import FILE`), and later the feeds admins configure, read through the
//! normaliser (`shared::gathered`) and checked by the rules every offer passes.
//!
//! A gathered offer belongs to its source (`ingest_sources`) and is identified there by the
//! source's id for it, else its link, else a digest of its words; sent again alike it is
//! unchanged (its content digest), changed it is updated. The records are written in chunks,
//! each one transaction holding the source's row, which also moves the run's `position`: an
//! import cut short (Ctrl-C, a crash) resumes after the last chunk written, when the same file
//! is imported again; a file imported twice changes nothing the second time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use shared::dto::offers::BatchOutcome;
use shared::gathered::{self, Columns, Gathered};
use shared::normalise::{Area, Commune, Gazetteer};
use tokio_util::sync::CancellationToken;

pub mod parse;
pub mod poll;
pub mod sources;

use super::audit::{self, Actor};
use super::offers::{self as offer_rules, Known, Prepared};
use crate::dedup::{self, Placed};
use crate::entities::{
    commune, ingest_run, ingest_source, offer, province, region, sector_occupation,
};
use crate::reference::Reference;

/// Records written per transaction: a resumed import starts again after the last one.
pub const CHUNK: usize = 250;

/// At most this many record numbers are kept per reason.
const EXAMPLES: usize = 5;

/// The `source` of a gathered offer.
pub const GATHERED: &str = "gathered";

/// How a file's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// By the file's extension: `.csv`, else `.jsonl`, `.ndjson`, `.json`.
    pub fn of(path: &Path) -> Option<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Some(Self::Csv),
            Some("jsonl" | "ndjson" | "json") => Some(Self::JsonLines),
            _ => None,
        }
    }
}

/// What an import is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The source's name: where youths read the offers were published.
    pub source: String,
    pub format: Format,
    pub columns: Columns,
    /// The day the file was gathered, for its relative dates ("il y a 3 jours") and the age
    /// of its offers (an archive replayed); today by default.
    pub as_of: Option<NaiveDate>,
}

/// Where an import stands, after each chunk.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the file read so far.
    pub bytes: u64,
    /// Records read, this run and the runs it resumes.
    pub records: i64,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub rejected: i32,
    /// Of those created, the ones that are the same vacancy as an offer already here (from
    /// this source or another): shown once, with every place they were published.
    pub duplicates: i32,
}

/// Why records were dropped: each reason, how many, and the first records' numbers (from 1).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Reasons(pub BTreeMap<String, Reason>);

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Reason {
    pub count: u64,
    pub records: Vec<u64>,
    /// The first such record's refusal, in the server's words.
    #[serde(default)]
    pub example: String,
}

/// Why a record is refused or dropped: a stable key (`field:code` as in a problem document's
/// field errors, or `record:unreadable`, or `dropped:…` for what a document's reading left out)
/// that the web app translates, and the server's words for this record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: String,
    pub message: String,
}

impl Refusal {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl Reasons {
    /// Counts what reading a document left out or mended (no record number: it was not read
    /// as a record).
    fn note(&mut self, refusal: Refusal) {
        let entry = self.0.entry(refusal.key).or_default();
        entry.count += 1;
        if entry.example.is_empty() {
            entry.example = refusal.message.chars().take(300).collect();
        }
    }

    fn add(&mut self, refusal: Refusal, record: u64) {
        let entry = self.0.entry(refusal.key).or_default();
        entry.count += 1;
        if entry.example.is_empty() {
            // A document's own text may be in it: kept short.
            entry.example = refusal.message.chars().take(300).collect();
        }
        if entry.records.len() < EXAMPLES {
            entry.records.push(record);
        }
    }
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub run_id: i64,
    pub source_id: i64,
    /// Records skipped because an earlier run of the same file had written them.
    pub resumed_at: i64,
    pub progress: Progress,
    pub reasons: Reasons,
    /// Stopped before the end (asked to): the same command resumes.
    pub interrupted: bool,
}

/// The geo table as the normaliser reads it.
pub async fn gazetteer(db: &impl ConnectionTrait) -> anyhow::Result<Gazetteer> {
    let communes = commune::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| Commune {
            code: c.code,
            region_code: c.region_code,
            name_fr: c.name_fr,
            name_ar: c.name_ar,
            urban: c.kind == "urban",
            population: c.population,
        })
        .collect();
    let area = |region_code: String, name_fr: String, name_ar: String| Area {
        region_code,
        name_fr,
        name_ar,
    };
    let regions: Vec<Area> = region::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| area(r.code, r.name_fr, r.name_ar))
        .collect();
    let provinces: Vec<Area> = province::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| area(p.region_code, p.name_fr, p.name_ar))
        .collect();
    Ok(Gazetteer::new(communes, &regions, &provinces))
}

/// Which growth sectors list each ISCO-08 trade.
async fn sectors_by_trade(
    db: &impl ConnectionTrait,
) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let mut by_trade: HashMap<String, Vec<String>> = HashMap::new();
    for link in sector_occupation::Entity::find().all(db).await? {
        by_trade
            .entry(link.isco08)
            .or_default()
            .push(link.sector_code);
    }
    Ok(by_trade)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The source's own key of an offer ([`Gathered::key`]); one longer than an external id may
/// be, or none, becomes a digest (of the key, or of the offer's words).
pub fn key_of(offer: &Gathered) -> String {
    let key = offer.key().unwrap_or_else(|| {
        ["title", "employer", "place", "description"]
            .iter()
            .map(|f| offer.get(f))
            .collect::<Vec<_>>()
            .join("\u{1f}")
    });
    if offer.key().is_some() && key.chars().count() <= shared::dto::offers::MAX_EXTERNAL_ID {
        key
    } else {
        format!("sha256:{}", hex(&Sha256::digest(key.as_bytes())))
    }
}

/// The source named `name`, made (kind `file`) if it does not exist yet.
async fn file_source(
    db: &DatabaseConnection,
    name: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<ingest_source::Model> {
    if let Some(found) = ingest_source::Entity::find()
        .filter(ingest_source::Column::Name.eq(name))
        .one(db)
        .await?
    {
        return Ok(found);
    }
    let made = ingest_source::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set("file".to_owned()),
        enabled: Set(true),
        failures: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match made {
        Ok(made) => Ok(made),
        // Made meanwhile by another import of the same name.
        Err(_) => ingest_source::Entity::find()
            .filter(ingest_source::Column::Name.eq(name))
            .one(db)
            .await?
            .context("the source could be neither made nor found"),
    }
}

/// How long a run is held without news from its process: each chunk moves it on; past it, the
/// process is taken for dead and its run may be resumed by another.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(10);

/// Why an import does not start: the same file is being imported by another process.
#[derive(Debug, thiserror::Error)]
#[error(
    "this file is being imported into this source by another process (run {0}); try again once it ends"
)]
pub struct Busy(pub i64);

/// A run of source `source_id` starting `now`, held for [`LEASE`]: of a file of `digest`, or a
/// poll (`None`).
fn new_run(source_id: i64, now: DateTime<Utc>, digest: Option<String>) -> ingest_run::ActiveModel {
    ingest_run::ActiveModel {
        source_id: Set(source_id),
        started_at: Set(now),
        status: Set("running".to_owned()),
        leased_until: Set(Some(now + LEASE)),
        file_digest: Set(digest),
        position: Set(0),
        fetched: Set(0),
        created: Set(0),
        updated: Set(0),
        unchanged: Set(0),
        duplicates: Set(0),
        rejected: Set(0),
        reasons: Set("{}".to_owned()),
        ..Default::default()
    }
}

/// The run that reads file `digest` into source `source_id`: an unfinished one of the same
/// file (interrupted, or whose process died) is resumed; one whose process is alive refuses the
/// import ([`Busy`]); otherwise a new one. Decided under the source's row lock, so of two
/// imports started at once one runs and the other is refused.
async fn claim_run(
    db: &DatabaseConnection,
    source_id: i64,
    digest: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<ingest_run::Model> {
    let txn = crate::db::begin_write(db).await?;
    lock_source(&txn, source_id).await?;
    let unfinished = ingest_run::Entity::find()
        .filter(ingest_run::Column::SourceId.eq(source_id))
        .filter(ingest_run::Column::FileDigest.eq(digest))
        .filter(ingest_run::Column::Status.is_in(["running", "interrupted"]))
        .order_by_desc(ingest_run::Column::Id)
        .one(&txn)
        .await?;
    let run = match unfinished {
        Some(run)
            if run.status == "running" && run.leased_until.is_some_and(|until| until > now) =>
        {
            return Err(Busy(run.id).into());
        }
        Some(run) => {
            let mut active: ingest_run::ActiveModel = run.into();
            active.status = Set("running".to_owned());
            active.leased_until = Set(Some(now + LEASE));
            active.update(&txn).await?
        }
        None => {
            new_run(source_id, now, Some(digest.to_owned()))
                .insert(&txn)
                .await?
        }
    };
    txn.commit().await?;
    Ok(run)
}

/// Holds the source's row until `txn` ends: one writer of a source's offers at a time.
async fn lock_source(txn: &DatabaseTransaction, id: i64) -> anyhow::Result<()> {
    ingest_source::Entity::update_many()
        .col_expr(
            ingest_source::Column::UpdatedAt,
            Expr::col(ingest_source::Column::UpdatedAt),
        )
        .filter(ingest_source::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// One record read from a file: its number (from 1), and the offer or why it is unreadable.
type Record = (u64, Result<Gathered, Refusal>);

/// A record as it is written: its number, and the offer checked with its readings (JSON), or
/// why it is refused.
type Checked = (u64, Result<(Prepared, String), Refusal>);

/// A file's records, one at a time, and how many bytes were read.
trait Records {
    /// The next record, `None` at the end or when the file cannot be read further
    /// ([`Records::failure`] then says why).
    fn next_record(&mut self, number: u64) -> Option<Record>;
    fn bytes(&self) -> u64;
    fn failure(&self) -> Option<String>;
}

struct CsvRecords<R: Read> {
    reader: csv::Reader<R>,
    headers: csv::StringRecord,
    columns: Columns,
    record: csv::StringRecord,
    failure: Option<String>,
}

impl<R: Read> Records for CsvRecords<R> {
    fn next_record(&mut self, number: u64) -> Option<Record> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let (headers, record) = (&self.headers, &self.record);
                Some((
                    number,
                    Ok(self.columns.gather(|name| {
                        headers
                            .iter()
                            .position(|h| h.trim() == name)
                            .and_then(|i| record.get(i))
                    })),
                ))
            }
            // A broken line (a bad UTF-8 byte): that record, not the file.
            Err(error) if !matches!(error.kind(), csv::ErrorKind::Io(_)) => Some((
                number,
                Err(Refusal::new(
                    "record:unreadable",
                    format!("record: unreadable CSV ({})", brief(&error)),
                )),
            )),
            Err(error) => {
                self.failure = Some(error.to_string());
                None
            }
        }
    }

    fn bytes(&self) -> u64 {
        self.reader.position().byte()
    }

    fn failure(&self) -> Option<String> {
        self.failure.clone()
    }
}

/// An error's message without the record's position (kept apart as the record's number).
fn brief(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    text.split(" (line").next().unwrap_or(&text).to_owned()
}

struct JsonRecords<R: Read> {
    reader: BufReader<R>,
    columns: Columns,
    line: Vec<u8>,
    bytes: u64,
    failure: Option<String>,
}

impl<R: Read> Records for JsonRecords<R> {
    fn next_record(&mut self, number: u64) -> Option<Record> {
        loop {
            self.line.clear();
            let read = match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(error) => {
                    self.failure = Some(error.to_string());
                    return None;
                }
            };
            self.bytes += read as u64;
            let Ok(line) = std::str::from_utf8(&self.line) else {
                return Some((
                    number,
                    Err(Refusal::new("record:unreadable", "record: not UTF-8")),
                ));
            };
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(line) {
                Ok(value) => value,
                Err(error) => {
                    return Some((
                        number,
                        Err(Refusal::new(
                            "record:unreadable",
                            format!("record: not JSON ({})", brief(&error)),
                        )),
                    ));
                }
            };
            let Some(object) = value.as_object() else {
                return Some((
                    number,
                    Err(Refusal::new(
                        "record:unreadable",
                        "record: not a JSON object",
                    )),
                ));
            };
            // Numbers and booleans as written; lists joined; nested objects are not fields.
            let text: HashMap<&str, String> = object
                .iter()
                .filter_map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        serde_json::Value::Array(items) => items
                            .iter()
                            .filter_map(|i| match i {
                                serde_json::Value::String(s) => Some(s.clone()),
                                serde_json::Value::Number(n) => Some(n.to_string()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        _ => return None,
                    };
                    Some((k.as_str(), text))
                })
                .collect();
            return Some((
                number,
                Ok(self
                    .columns
                    .gather(|name| text.get(name).map(String::as_str))),
            ));
        }
    }

    fn bytes(&self) -> u64 {
        self.bytes
    }

    fn failure(&self) -> Option<String> {
        self.failure.clone()
    }
}

/// Offers already read (a feed's items), numbered from 1.
struct Listed {
    offers: std::vec::IntoIter<Gathered>,
}

impl Records for Listed {
    fn next_record(&mut self, number: u64) -> Option<Record> {
        self.offers.next().map(|offer| (number, Ok(offer)))
    }

    fn bytes(&self) -> u64 {
        0
    }

    fn failure(&self) -> Option<String> {
        None
    }
}

fn open(path: &Path, options: &ImportOptions) -> anyhow::Result<Box<dyn Records + Send>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(match options.format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
            let mut headers = reader.headers().context("reading the CSV header")?.clone();
            // A byte-order mark before the first column's name.
            if let Some(first) = headers
                .get(0)
                .map(|h| h.trim_start_matches('\u{feff}').to_owned())
            {
                let mut rest: Vec<String> = headers.iter().map(str::to_owned).collect();
                rest[0] = first;
                headers = csv::StringRecord::from(rest);
            }
            Box::new(CsvRecords {
                reader,
                headers,
                columns: options.columns.clone(),
                record: csv::StringRecord::new(),
                failure: None,
            })
        }
        Format::JsonLines => Box::new(JsonRecords {
            reader: BufReader::new(file),
            columns: options.columns.clone(),
            line: Vec::new(),
            bytes: 0,
            failure: None,
        }),
    })
}

fn file_digest(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

/// What reading gathered offers needs from the database: the geo table as the normaliser reads
/// it, the growth sectors of each trade, the reference and the codes offers may name.
pub struct Context {
    places: Gazetteer,
    sectors: HashMap<String, Vec<String>>,
    reference: Reference,
    known: Known,
}

impl Context {
    pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Self> {
        Ok(Self {
            places: gazetteer(db).await?,
            sectors: sectors_by_trade(db).await?,
            reference: Reference::load(db).await?,
            known: Known::load(db).await.map_err(|e| anyhow::anyhow!("{e}"))?,
        })
    }
}

/// What the normaliser and the rules make of the records of a chunk, before any transaction:
/// relative dates read from `today`, offers checked as at `now`.
struct Reader<'a> {
    cx: &'a Context,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl Reader<'_> {
    /// The offer a record makes, with its readings' confidences as JSON, or why it is refused.
    fn read(&self, offer: &Gathered) -> Result<(Prepared, String), Refusal> {
        let cx = self.cx;
        let mut reading = gathered::read(
            offer,
            &cx.places,
            |isco| cx.sectors.get(isco).cloned().unwrap_or_default(),
            self.today,
        );
        reading.input.external_id = Some(key_of(offer));
        let prepared =
            offer_rules::prepare_for(&cx.reference, &cx.known, "", &reading.input, true, self.now)
                .map_err(|errors| {
                    errors
                        .0
                        .first()
                        .map(|e| {
                            Refusal::new(
                                format!("{}:{}", e.field, e.code),
                                format!("{}: {}", e.field, e.message),
                            )
                        })
                        .unwrap_or_else(|| Refusal::new("record:unreadable", "refused"))
                })?;
        let readings = serde_json::to_string(&reading.confidence).unwrap_or_default();
        Ok((prepared, readings))
    }
}

/// Imports `path` into the source named in `options`: resumes an unfinished run of the same
/// file, else reads it whole. `progress` hears of each chunk written; `stop` ends the import
/// after the chunk being written (the run is left `interrupted`, to resume).
pub async fn import(
    db: &DatabaseConnection,
    path: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(&Progress) + Sync),
    stop: &CancellationToken,
) -> anyhow::Result<Summary> {
    let now = Utc::now();
    let digest = file_digest(path)?;
    let source = file_source(db, &options.source, now).await?;
    let run = claim_run(db, source.id, &digest, now).await?;
    let resumed_at = run.position;
    let mut reasons: Reasons = serde_json::from_str(&run.reasons).unwrap_or_default();
    let mut done = Progress {
        bytes: 0,
        records: run.position,
        created: run.created,
        updated: run.updated,
        unchanged: run.unchanged,
        rejected: run.rejected,
        duplicates: run.duplicates,
    };
    let cx = Context::load(db).await?;
    let today = options.as_of.unwrap_or_else(|| now.date_naive());
    // An archive replayed is checked as on its day (its offers' ages), written now.
    let checked_at = options
        .as_of
        .and_then(|d| d.and_hms_opt(23, 0, 0))
        .map(|d| d.and_utc())
        .filter(|d| *d < now)
        .unwrap_or(now);
    let reader = Reader {
        cx: &cx,
        today,
        now: checked_at,
    };
    let outcome = match open(path, options) {
        Ok(mut records) => {
            let mut sink = Sink {
                db,
                source: &source,
                run_id: run.id,
                reader: &reader,
                done: &mut done,
                reasons: &mut reasons,
            };
            sink.gather(records.as_mut(), resumed_at, progress, stop)
                .await
        }
        Err(error) => Err(error),
    };
    // Cut short by an error, the run waits to be resumed as when interrupted.
    let interrupted = !matches!(outcome, Ok(false));
    ingest_run::Entity::update_many()
        .col_expr(
            ingest_run::Column::Status,
            Expr::value(if interrupted {
                "interrupted"
            } else {
                "finished"
            }),
        )
        .col_expr(
            ingest_run::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            ingest_run::Column::FinishedAt,
            Expr::value((!interrupted).then_some(Utc::now())),
        )
        .col_expr(
            ingest_run::Column::Error,
            Expr::value(outcome.as_ref().err().map(|e| format!("{e:#}"))),
        )
        .filter(ingest_run::Column::Id.eq(run.id))
        .exec(db)
        .await?;
    outcome?;
    Ok(Summary {
        run_id: run.id,
        source_id: source.id,
        resumed_at,
        progress: done,
        reasons,
        interrupted,
    })
}

/// Where a run's records go: the source's offers, and the run's counts and reasons.
struct Sink<'a> {
    db: &'a DatabaseConnection,
    source: &'a ingest_source::Model,
    run_id: i64,
    reader: &'a Reader<'a>,
    done: &'a mut Progress,
    reasons: &'a mut Reasons,
}

impl Sink<'_> {
    /// Reads `records` chunk by chunk into the source's offers, after the first `skip` (written
    /// by an earlier run: only their keys are taken); whether `stop` ended it early.
    async fn gather(
        &mut self,
        records: &mut (dyn Records + Send),
        skip: i64,
        progress: &(dyn Fn(&Progress) + Sync),
        stop: &CancellationToken,
    ) -> anyhow::Result<bool> {
        // The keys met in this document so far: a key met again is the same offer twice.
        let mut seen: HashSet<String> = HashSet::new();
        let mut number: u64 = 0;
        while (number as i64) < skip {
            number += 1;
            match records.next_record(number) {
                Some((_, Ok(offer))) => {
                    seen.insert(key_of(&offer));
                }
                Some((_, Err(_))) => {}
                None => break,
            }
        }
        loop {
            if stop.is_cancelled() {
                return Ok(true);
            }
            let mut chunk: Vec<Checked> = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                number += 1;
                let Some((at, record)) = records.next_record(number) else {
                    break;
                };
                let read = record.and_then(|offer| {
                    if !seen.insert(key_of(&offer)) {
                        return Err(Refusal::new(
                            format!(
                                "external_id:{}",
                                shared::codes::EXTERNAL_ID_DUPLICATE.as_str()
                            ),
                            "external_id: the same offer appears earlier in the file",
                        ));
                    }
                    self.reader.read(&offer)
                });
                chunk.push((at, read));
            }
            if let Some(failure) = records.failure() {
                anyhow::bail!("reading after record {}: {failure}", number - 1);
            }
            if chunk.is_empty() {
                return Ok(false);
            }
            let full = chunk.len() == CHUNK;
            write_chunk(
                self.db,
                self.source,
                self.run_id,
                chunk,
                self.done,
                self.reasons,
                // Each chunk written as of its own moment: the index reads offers by when they
                // changed, and a long import's later chunks must not look older than they are.
                Utc::now(),
            )
            .await?;
            self.done.bytes = records.bytes();
            progress(self.done);
            if !full {
                return Ok(false);
            }
        }
    }
}

/// Writes a chunk's offers and the run's new position in one transaction holding the
/// source's row.
async fn write_chunk(
    db: &DatabaseConnection,
    source: &ingest_source::Model,
    run_id: i64,
    chunk: Vec<Checked>,
    done: &mut Progress,
    reasons: &mut Reasons,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let txn = crate::db::begin_write(db).await?;
    lock_source(&txn, source.id).await?;
    // The clustering lock before any offer is written: the `offer_clusters` job takes it
    // before the offers it places, so taking it after writing offers could deadlock with it.
    crate::db::hold(&txn, crate::db::Exclusive::Clustering, "offers").await?;
    let keys: Vec<String> = chunk
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .filter_map(|(p, _)| p.offer.external_id.clone())
        .collect();
    let mut existing: HashMap<String, offer::Model> = offer::Entity::find()
        .filter(offer::Column::IngestSourceId.eq(source.id))
        .filter(offer::Column::ExternalId.is_in(keys))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|o| o.external_id.clone().map(|k| (k, o)))
        .collect();
    let (mut created, mut updated, mut unchanged, mut rejected) = (0, 0, 0, 0);
    let mut written = Vec::new();
    let mut new = Vec::new();
    let records = chunk.len() as i64;
    for (number, read) in chunk {
        let (p, readings) = match read {
            Ok(read) => read,
            Err(reason) => {
                rejected += 1;
                reasons.add(reason, number);
                continue;
            }
        };
        let key = p.offer.external_id.clone().unwrap_or_default();
        match store(&txn, source.id, existing.remove(&key), &p, readings, now).await? {
            (BatchOutcome::Created, Some(row)) => {
                created += 1;
                new.push(row.id);
                written.push(row);
            }
            (BatchOutcome::Updated, Some(row)) => {
                updated += 1;
                written.push(row);
            }
            _ => unchanged += 1,
        }
    }
    // Placed among the offers that are the same vacancy, the chunk at once.
    let placed = dedup::place(&txn, &written).await?;
    // Of those created, the ones that joined another offer's cluster.
    let duplicates = new
        .iter()
        .filter(|id| matches!(placed.get(id), Some(Placed::Joined(_))))
        .count() as i32;
    done.records += records;
    done.created += created;
    done.updated += updated;
    done.unchanged += unchanged;
    done.rejected += rejected;
    done.duplicates += duplicates;
    ingest_run::Entity::update_many()
        .col_expr(ingest_run::Column::Position, Expr::value(done.records))
        .col_expr(
            ingest_run::Column::Fetched,
            Expr::value(done.records as i32),
        )
        .col_expr(ingest_run::Column::Created, Expr::value(done.created))
        .col_expr(ingest_run::Column::Updated, Expr::value(done.updated))
        .col_expr(ingest_run::Column::Unchanged, Expr::value(done.unchanged))
        .col_expr(ingest_run::Column::Rejected, Expr::value(done.rejected))
        .col_expr(ingest_run::Column::Duplicates, Expr::value(done.duplicates))
        .col_expr(
            ingest_run::Column::Reasons,
            Expr::value(serde_json::to_string(&reasons)?),
        )
        .col_expr(
            ingest_run::Column::LeasedUntil,
            Expr::value(Utc::now() + LEASE),
        )
        .filter(ingest_run::Column::Id.eq(run_id))
        .exec(&txn)
        .await?;
    if created + updated > 0 {
        audit::record(
            &txn,
            Actor::System,
            "offer.gather",
            "ingest_source",
            source.id,
            json!({"run": run_id, "created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected, "duplicates": duplicates}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Writes one gathered offer of source `source_id` (its row locked): `found` is the source's
/// offer of the same key, if any. The offer as written, unless unchanged.
async fn store(
    txn: &DatabaseTransaction,
    source_id: i64,
    found: Option<offer::Model>,
    p: &Prepared,
    readings: String,
    now: DateTime<Utc>,
) -> anyhow::Result<(BatchOutcome, Option<offer::Model>)> {
    match found {
        Some(found) if found.content_hash == p.hash => Ok((BatchOutcome::Unchanged, None)),
        Some(found) => {
            let posted_at = p.offer.posted_at.unwrap_or(found.posted_at);
            let status = offer_rules::status_for(
                true,
                p.offer.expires_at(posted_at),
                now,
                Some(&found.status),
            );
            let was_live = offer_rules::live_now(&found, now);
            let mut row: offer::ActiveModel = found.into();
            offer_rules::write(&mut row, p, posted_at, (was_live, status), now);
            row.readings = Set(Some(readings));
            Ok((BatchOutcome::Updated, Some(row.update(txn).await?)))
        }
        None => {
            use chrono::SubsecRound as _;
            let posted_at = p.offer.posted_at.unwrap_or(now.trunc_subsecs(0));
            let status = offer_rules::status_for(true, p.offer.expires_at(posted_at), now, None);
            let mut row = offer::ActiveModel {
                organization_id: Set(None),
                source: Set(GATHERED.to_owned()),
                external_id: Set(p.offer.external_id.clone()),
                ingest_source_id: Set(Some(source_id)),
                readings: Set(Some(readings)),
                created_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            };
            offer_rules::write(&mut row, p, posted_at, (false, status), now);
            Ok((BatchOutcome::Created, Some(row.insert(txn).await?)))
        }
    }
}
