//! `/ingest-sources`: the sources of gathered offers and their runs (admins only).

use actix_web::{HttpResponse, get, post, put, web};
use shared::dto::Page;
use shared::dto::ingest::{IngestRunView, IngestSourceInput, IngestSourceView};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::{JsonBody, QueryParams};
use crate::services::ingest::sources::{self, RunListQuery};
use crate::state::AppState;

/// Lists every source of gathered offers, by name, each with its live offers and last run.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), responses(
    (status = 200, description = "The sources", body = Vec<IngestSourceView>),
))]
#[get("")]
pub async fn list_sources(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<Vec<IngestSourceView>>> {
    Ok(web::Json(sources::list(&state, &caller).await?))
}

/// Adds a source (a feed, a page of JSON-LD postings, a partner's CSV file), polled at the
/// worker's next look and then every `every_minutes`.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), request_body = IngestSourceInput, responses(
    (status = 201, description = "The source", body = IngestSourceView),
    (status = 409, description = "Another source has this name", body = Problem, content_type = "application/problem+json"),
))]
#[post("")]
pub async fn create_source(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<IngestSourceInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(sources::create(&state, &caller, body).await?))
}

/// Reads one source.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), params(("id" = i64, Path, description = "Source id")), responses(
    (status = 200, description = "The source", body = IngestSourceView),
))]
#[get("/{id}")]
pub async fn get_source(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IngestSourceView>> {
    Ok(web::Json(sources::get(&state, &caller, *id).await?))
}

/// Replaces a source's settings; a new address or kind is polled again at once.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), params(("id" = i64, Path, description = "Source id")), request_body = IngestSourceInput, responses(
    (status = 200, description = "The source", body = IngestSourceView),
    (status = 409, description = "Another source has this name, or the source is imported from files", body = Problem, content_type = "application/problem+json"),
))]
#[put("/{id}")]
pub async fn replace_source(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<IngestSourceInput>,
) -> ApiResult<web::Json<IngestSourceView>> {
    Ok(web::Json(
        sources::replace(&state, &caller, *id, body).await?,
    ))
}

/// Asks for a poll now: the worker takes the source at its next look, whatever its backoff.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), params(("id" = i64, Path, description = "Source id")), responses(
    (status = 202, description = "The source, due now", body = IngestSourceView),
    (status = 409, description = "The source is imported from files", body = Problem, content_type = "application/problem+json"),
))]
#[post("/{id}/poll")]
pub async fn poll_source(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Accepted().json(sources::poll_now(&state, &caller, *id).await?))
}

/// A source's runs, newest first: what each fetched, created, updated, left unchanged or
/// rejected, and why.
#[utoipa::path(tag = "ingest", security(("bearer" = [])), params(("id" = i64, Path, description = "Source id"), RunListQuery), responses(
    (status = 200, description = "One page of runs", body = Page<IngestRunView>),
))]
#[get("/{id}/runs")]
pub async fn list_runs(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    query: QueryParams<RunListQuery>,
) -> ApiResult<web::Json<Page<IngestRunView>>> {
    Ok(web::Json(
        sources::runs(&state, &caller, *id, &query.0).await?,
    ))
}
