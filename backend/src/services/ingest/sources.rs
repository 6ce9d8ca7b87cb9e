//! The sources admins configure (feeds, pages, partners' CSV files) and their runs: admins only,
//! checked before anything else is read.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::ingest::{DropReason, IngestRunView, IngestSourceInput, IngestSourceView};
use shared::{IngestSourceKind, OfferStatus, Role, codes};

use super::Reasons;
use crate::auth::CurrentUser;
use crate::entities::{ingest_run, ingest_source, offer};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::services::audit::{self, Actor};
use crate::services::pagination;
use crate::state::AppState;

/// Query of a source's runs.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RunListQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

pub fn run_view(run: ingest_run::Model) -> IngestRunView {
    let reasons: Reasons = serde_json::from_str(&run.reasons).unwrap_or_default();
    IngestRunView {
        id: run.id,
        started_at: run.started_at,
        finished_at: run.finished_at,
        status: run.status,
        fetched: run.fetched,
        created: run.created,
        updated: run.updated,
        unchanged: run.unchanged,
        duplicates: run.duplicates,
        rejected: run.rejected,
        reasons: reasons
            .0
            .into_iter()
            .map(|(reason, r)| {
                (
                    reason,
                    DropReason {
                        count: r.count,
                        records: r.records,
                        example: r.example,
                    },
                )
            })
            .collect::<BTreeMap<_, _>>(),
        error: run.error,
    }
}

/// The views of `sources`, each with its live offers and its last run.
async fn views(
    state: &AppState,
    sources: Vec<ingest_source::Model>,
) -> ApiResult<Vec<IngestSourceView>> {
    let ids: Vec<i64> = sources.iter().map(|s| s.id).collect();
    let now = Utc::now();
    let live: HashMap<i64, i64> = offer::Entity::find()
        .select_only()
        .column(offer::Column::IngestSourceId)
        .column_as(Expr::col(offer::Column::Id).count(), "n")
        .filter(offer::Column::IngestSourceId.is_in(ids.clone()))
        .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
        .filter(offer::Column::ExpiresAt.gt(now))
        .group_by(offer::Column::IngestSourceId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect();
    let mut last: HashMap<i64, ingest_run::Model> = HashMap::new();
    for id in &ids {
        if let Some(run) = ingest_run::Entity::find()
            .filter(ingest_run::Column::SourceId.eq(*id))
            .order_by_desc(ingest_run::Column::Id)
            .one(&state.db)
            .await?
        {
            last.insert(*id, run);
        }
    }
    Ok(sources
        .into_iter()
        .map(|s| IngestSourceView {
            id: s.id,
            kind: IngestSourceKind::parse(&s.kind).unwrap_or(IngestSourceKind::Feed),
            url: s.url,
            every_minutes: s.every_minutes,
            columns: s
                .columns
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            enabled: s.enabled,
            failures: s.failures,
            next_poll_at: s.next_poll_at,
            live_offers: live.get(&s.id).copied().unwrap_or(0),
            last_run: last.remove(&s.id).map(run_view),
            created_at: s.created_at,
            updated_at: s.updated_at,
            name: s.name,
        })
        .collect())
}

async fn view(state: &AppState, source: ingest_source::Model) -> ApiResult<IngestSourceView> {
    Ok(views(state, vec![source]).await?.remove(0))
}

async fn find(state: &AppState, id: i64) -> ApiResult<ingest_source::Model> {
    ingest_source::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Every source, by name (a handful: no pages).
pub async fn list(state: &AppState, caller: &CurrentUser) -> ApiResult<Vec<IngestSourceView>> {
    caller.require(&[Role::Admin])?;
    let sources = ingest_source::Entity::find()
        .order_by_asc(ingest_source::Column::Name)
        .all(&state.db)
        .await?;
    views(state, sources).await
}

pub async fn get(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<IngestSourceView> {
    caller.require(&[Role::Admin])?;
    view(state, find(state, id).await?).await
}

fn name_taken() -> (&'static str, codes::Code, &'static str) {
    (
        "name",
        codes::SOURCE_NAME_TAKEN,
        "another source has this name",
    )
}

/// Adds a source, polled at once (within the worker's next look) and then every
/// `every_minutes`.
pub async fn create(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<IngestSourceInput>,
) -> ApiResult<IngestSourceView> {
    caller.require(&[Role::Admin])?;
    let new = body.read()?.parse()?;
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    let (field, code, message) = name_taken();
    let source = ingest_source::ActiveModel {
        name: Set(new.name),
        kind: Set(new.kind.as_str().to_owned()),
        url: Set(Some(new.url)),
        columns: Set(new
            .columns
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(|e| ApiError::Internal(e.into()))?),
        every_minutes: Set(Some(new.every_minutes)),
        enabled: Set(new.enabled),
        failures: Set(0),
        next_poll_at: Set(Some(now)),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .on_unique_violation(field, code, message)?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "ingest_source.create",
        "ingest_source",
        source.id,
        json!({"name": source.name, "kind": source.kind, "url": source.url}),
    )
    .await?;
    txn.commit().await?;
    view(state, source).await
}

/// Replaces a polled source's settings. A changed address or kind forgets the source's
/// validators and failures and polls it again at once; a file imported from the command line is
/// not polled (`409`).
pub async fn replace(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<IngestSourceInput>,
) -> ApiResult<IngestSourceView> {
    caller.require(&[Role::Admin])?;
    let found = find(state, id).await?;
    let new = body.read()?.parse()?;
    not_a_file(&found)?;
    let now = Utc::now();
    let columns = new
        .columns
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ApiError::Internal(e.into()))?;
    // Another address, kind or columns: what was read before says nothing of the new one.
    let moved = found.url.as_deref() != Some(new.url.as_str())
        || found.kind != new.kind.as_str()
        || found.columns != columns;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut row: ingest_source::ActiveModel = found.into();
    row.name = Set(new.name);
    row.kind = Set(new.kind.as_str().to_owned());
    row.url = Set(Some(new.url));
    row.columns = Set(columns);
    row.every_minutes = Set(Some(new.every_minutes));
    row.enabled = Set(new.enabled);
    row.updated_at = Set(now);
    if moved {
        row.etag = Set(None);
        row.last_modified = Set(None);
        row.failures = Set(0);
        if !polling(state, id, now).await? {
            row.next_poll_at = Set(Some(now));
        }
    }
    let (field, code, message) = name_taken();
    let source = row
        .update(&txn)
        .await
        .on_unique_violation(field, code, message)?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "ingest_source.update",
        "ingest_source",
        source.id,
        json!({"name": source.name, "kind": source.kind, "url": source.url, "enabled": source.enabled}),
    )
    .await?;
    txn.commit().await?;
    view(state, source).await
}

/// Whether source `id` is being polled now (a run whose lease has not run out).
async fn polling(state: &AppState, id: i64, now: chrono::DateTime<Utc>) -> ApiResult<bool> {
    Ok(ingest_run::Entity::find()
        .filter(ingest_run::Column::SourceId.eq(id))
        .filter(ingest_run::Column::Status.eq("running"))
        .filter(ingest_run::Column::LeasedUntil.gt(now))
        .one(&state.db)
        .await?
        .is_some())
}

fn not_a_file(source: &ingest_source::Model) -> ApiResult<()> {
    if source.kind == IngestSourceKind::File.as_str() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::SOURCE_NOT_POLLED,
            message: "this source is imported from files (`careercenter import`), not polled"
                .into(),
        });
    }
    Ok(())
}

/// Asks for a poll now: the worker takes the source at its next look (whatever its backoff).
pub async fn poll_now(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<IngestSourceView> {
    caller.require(&[Role::Admin])?;
    let found = find(state, id).await?;
    not_a_file(&found)?;
    let now = Utc::now();
    // A poll under way keeps its lease: asked again meanwhile, the source is polled once.
    if !polling(state, id, now).await? {
        ingest_source::Entity::update_many()
            .col_expr(ingest_source::Column::NextPollAt, Expr::value(now))
            .filter(ingest_source::Column::Id.eq(id))
            .exec(&state.db)
            .await?;
    }
    view(state, find(state, id).await?).await
}

/// A source's runs, newest first.
pub async fn runs(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    query: &RunListQuery,
) -> ApiResult<Page<IngestRunView>> {
    caller.require(&[Role::Admin])?;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    find(state, id).await?;
    let mut select = ingest_run::Entity::find()
        .filter(ingest_run::Column::SourceId.eq(id))
        .order_by_desc(ingest_run::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        select = select.filter(ingest_run::Column::Id.lt(after));
    }
    let rows = select.all(&state.db).await?;
    Ok(pagination::page(rows, limit, |r| r.id, run_view))
}
