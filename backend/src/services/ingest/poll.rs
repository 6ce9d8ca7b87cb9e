//! Polling the sources admins configure: the `ingest` job claims each due source through a
//! guarded update of its row (of several instances, one polls it), fetches it with a time and a
//! size limit and a conditional GET, reads what it holds into the source's offers, and records
//! the run. A failure doubles the wait before the next poll, up to a day; a success brings the
//! source back to its own period.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use shared::IngestSourceKind;
use shared::gathered::Columns;
use tokio_util::sync::CancellationToken;

use super::{Context, Listed, Progress, Reader, Reasons, Sink, parse};
use crate::entities::{ingest_run, ingest_source};
use crate::state::AppState;

/// How long a claimed poll may take before another instance may take the source for dead.
pub const LEASE: Duration = Duration::minutes(10);

/// The longest wait between two polls of a failing source.
const MAX_BACKOFF: Duration = Duration::hours(24);

/// Sources polled at most per run of the job (the next run takes the others).
const PER_RUN: u64 = 10;

/// The validators of an answer read whole (`ETag`, `Last-Modified`).
type Validators = (Option<String>, Option<String>);

/// What a fetch brought back.
pub enum Fetched {
    /// The source said nothing changed since the validators sent.
    NotModified,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Fetches `url` with the source's validators: within `timeout` for the whole answer and at
/// most `max_bytes` of body (a page that never ends, or a huge one, is cut and refused).
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    timeout: StdDuration,
    max_bytes: u64,
) -> Result<Fetched, String> {
    let mut request = client.get(url).timeout(timeout);
    if let Some(etag) = etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    if let Some(at) = last_modified {
        request = request.header(reqwest::header::IF_MODIFIED_SINCE, at);
    }
    let mut response = request.send().await.map_err(|e| describe(&e, timeout))?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !response.status().is_success() {
        return Err(format!("status: the source answered {}", response.status()));
    }
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(format!(
            "too_large: larger than {} (declared {} bytes): refused",
            size(max_bytes),
            response.content_length().unwrap_or_default()
        ));
    }
    // A validator is sent back as it came, or not at all: one longer than its column is
    // forgotten (the next poll reads the source whole), never cut.
    let header = |name: reqwest::header::HeaderName, longest: usize| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= longest)
            .map(str::to_owned)
    };
    let etag = header(reqwest::header::ETAG, 200);
    let last_modified = header(reqwest::header::LAST_MODIFIED, 100);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e, timeout))? {
        if bytes.len() as u64 + chunk.len() as u64 > max_bytes {
            return Err(format!(
                "too_large: larger than {}: cut and refused",
                size(max_bytes)
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn describe(error: &reqwest::Error, timeout: StdDuration) -> String {
    if error.is_timeout() {
        format!(
            "timeout: no whole answer within {} s: cut",
            timeout.as_secs_f32()
        )
    } else if error.is_connect() {
        "unreachable: the source could not be reached".to_owned()
    } else {
        format!("fetch: fetching failed: {error}")
    }
}

/// Takes source `id` for this poll if it is enabled, polled and due at `now`: its next poll
/// moves a lease ahead, so of several instances asking at once one gets `true`.
pub async fn claim(db: &DatabaseConnection, id: i64, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let claimed = ingest_source::Entity::update_many()
        .col_expr(ingest_source::Column::NextPollAt, Expr::value(now + LEASE))
        .filter(ingest_source::Column::Id.eq(id))
        .filter(ingest_source::Column::Enabled.eq(true))
        .filter(ingest_source::Column::Kind.ne(IngestSourceKind::File.as_str()))
        .filter(
            Condition::any()
                .add(ingest_source::Column::NextPollAt.is_null())
                .add(ingest_source::Column::NextPollAt.lte(now)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// The `ingest` job: polls the due sources, a few a run; a one-line summary.
pub async fn due(state: &AppState) -> anyhow::Result<String> {
    let now = Utc::now();
    let candidates = ingest_source::Entity::find()
        .filter(ingest_source::Column::Enabled.eq(true))
        .filter(ingest_source::Column::Kind.ne(IngestSourceKind::File.as_str()))
        .filter(
            Condition::any()
                .add(ingest_source::Column::NextPollAt.is_null())
                .add(ingest_source::Column::NextPollAt.lte(now)),
        )
        .order_by_asc(ingest_source::Column::NextPollAt)
        .limit(PER_RUN)
        .all(&state.db)
        .await?;
    let mut polled = Vec::new();
    for source in candidates {
        // Each claim's lease counts from its own moment, not from the batch's first.
        if !claim(&state.db, source.id, Utc::now()).await? {
            continue;
        }
        let run = poll(state, &source).await?;
        polled.push(format!("{}: {}", source.name, run.status));
    }
    if polled.iter().any(|p| p.ends_with("finished")) {
        state.offers_written().await;
    }
    Ok(if polled.is_empty() {
        "no source due".to_owned()
    } else {
        polled.join("; ")
    })
}

/// Polls one claimed source now and records the run; the source's next poll is set by how it
/// went.
pub async fn poll(
    state: &AppState,
    source: &ingest_source::Model,
) -> anyhow::Result<ingest_run::Model> {
    let db = &state.db;
    let now = Utc::now();
    // A run left `running` by an instance that stopped mid-poll is over: said so.
    ingest_run::Entity::update_many()
        .col_expr(ingest_run::Column::Status, Expr::value("failed"))
        .col_expr(
            ingest_run::Column::Error,
            Expr::value("the poll stopped before its end (its instance stopped)"),
        )
        .col_expr(
            ingest_run::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(ingest_run::Column::SourceId.eq(source.id))
        .filter(ingest_run::Column::Status.eq("running"))
        .filter(ingest_run::Column::LeasedUntil.lt(now))
        .exec(db)
        .await?;
    let run = super::new_run(source.id, now, None).insert(db).await?;
    let mut reasons = Reasons::default();
    let mut done = Progress::default();
    // Whatever fails from here (the source, its document, the database) ends this run as
    // failed, with the backoff: never a run left running, nor a source retried at once.
    let outcome: Result<(&str, Option<Validators>), String> = async {
        let fetched = fetch(
            &state.http,
            source.url.as_deref().unwrap_or_default(),
            source.etag.as_deref(),
            source.last_modified.as_deref(),
            state.settings.ingest_timeout,
            state.settings.ingest_max_bytes,
        )
        .await?;
        let (bytes, validators) = match fetched {
            Fetched::NotModified => return Ok(("not_modified", None)),
            Fetched::Body {
                bytes,
                etag,
                last_modified,
            } => (bytes, (etag, last_modified)),
        };
        let kind = IngestSourceKind::parse(&source.kind).unwrap_or(IngestSourceKind::Feed);
        let columns: Columns = source
            .columns
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default();
        let parsed =
            parse::parse(kind, &columns, &bytes).map_err(|e| format!("unreadable: {e}"))?;
        drop(bytes);
        for (key, note) in &parsed.notes {
            reasons.note(super::Refusal::new(*key, note.clone()));
        }
        let cx = Context::load(db)
            .await
            .map_err(|e| format!("storing: {e:#}"))?;
        let reader = Reader {
            cx: &cx,
            today: now.date_naive(),
            now,
        };
        let mut records = Listed {
            offers: parsed.offers.into_iter(),
        };
        let mut sink = Sink {
            db,
            source,
            run_id: run.id,
            reader: &reader,
            done: &mut done,
            reasons: &mut reasons,
        };
        sink.gather(&mut records, 0, &|_| {}, &CancellationToken::new())
            .await
            .map_err(|e| format!("storing: {e:#}"))?;
        Ok(("finished", Some(validators)))
    }
    .await;
    let finished = Utc::now();
    let every = Duration::minutes(i64::from(source.every_minutes.unwrap_or(60)));
    // Guarded by the source as it was claimed: an admin who changed it meanwhile (its
    // address, kind or columns) gets it polled again at once under the new settings, not the
    // old address's validators and failures.
    let mut update = ingest_source::Entity::update_many()
        .col_expr(ingest_source::Column::UpdatedAt, Expr::value(finished))
        .filter(ingest_source::Column::Id.eq(source.id))
        .filter(ingest_source::Column::Kind.eq(source.kind.as_str()))
        .filter(match &source.url {
            Some(url) => ingest_source::Column::Url.eq(url.as_str()),
            None => ingest_source::Column::Url.is_null(),
        })
        .filter(match &source.columns {
            Some(columns) => ingest_source::Column::Columns.eq(columns.as_str()),
            None => ingest_source::Column::Columns.is_null(),
        });
    let (status, error) = match &outcome {
        Ok((status, validators)) => {
            update = update
                .col_expr(ingest_source::Column::Failures, Expr::value(0))
                .col_expr(
                    ingest_source::Column::NextPollAt,
                    Expr::value(finished + every),
                );
            // The validators only of an answer read whole: otherwise the next poll would be
            // told "not modified" for what was never read.
            if let Some((etag, last_modified)) = validators {
                update = update
                    .col_expr(ingest_source::Column::Etag, Expr::value(etag.clone()))
                    .col_expr(
                        ingest_source::Column::LastModified,
                        Expr::value(last_modified.clone()),
                    );
            }
            (*status, None)
        }
        Err(error) => {
            let failures = source.failures.saturating_add(1);
            let wait = every
                .checked_mul(1 << failures.min(10))
                .unwrap_or(MAX_BACKOFF)
                .min(MAX_BACKOFF);
            update = update
                .col_expr(ingest_source::Column::Failures, Expr::value(failures))
                .col_expr(
                    ingest_source::Column::NextPollAt,
                    Expr::value(finished + wait),
                );
            ("failed", Some(error.clone()))
        }
    };
    if update.exec(db).await?.rows_affected == 0 {
        ingest_source::Entity::update_many()
            .col_expr(ingest_source::Column::NextPollAt, Expr::value(finished))
            .filter(ingest_source::Column::Id.eq(source.id))
            .exec(db)
            .await?;
    }
    let mut run: ingest_run::ActiveModel = ingest_run::Entity::find_by_id(run.id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the run vanished"))?
        .into();
    run.status = Set(status.to_owned());
    run.finished_at = Set(Some(finished));
    run.leased_until = Set(None);
    run.error = Set(error.map(|e| e.chars().take(500).collect()));
    run.reasons = Set(serde_json::to_string(&reasons)?);
    Ok(run.update(db).await?)
}
