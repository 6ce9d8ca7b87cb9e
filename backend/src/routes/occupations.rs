//! `/occupations` and `/sectors`: reference data for orientation. Public, like a careers library.

use actix_web::get;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::dto::Page;
use shared::dto::orientation::{
    Occupation, OccupationListQuery, OccupationSummary, Sector, SectorSummary,
};

use crate::error::ApiResult;
use crate::extract::QueryParams;
use crate::state::AppState;

/// Lists occupations (ISCO-08 unit groups) by code, with filters.
#[utoipa::path(tag = "orientation", params(OccupationListQuery), responses(
    (status = 200, description = "One page of occupations", body = Page<OccupationSummary>),
))]
#[get("")]
pub async fn list_occupations(
    state: web::Data<AppState>,
    query: QueryParams<OccupationListQuery>,
) -> ApiResult<web::Json<Page<OccupationSummary>>> {
    Ok(web::Json(state.reference().await?.occupations(&query.0)?))
}

/// Reads one occupation with its interest profile and sectors.
#[utoipa::path(tag = "orientation", params(("isco08" = String, Path, description = "ISCO-08 unit group code")), responses(
    (status = 200, description = "The occupation, with `ETag` and `Cache-Control`", body = Occupation),
    (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
))]
#[get("/{isco08}")]
pub async fn get_occupation(
    req: HttpRequest,
    state: web::Data<AppState>,
    isco08: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(state.reference().await?.occupation(&isco08)?.respond(&req))
}

/// Lists the growth sectors ("secteurs porteurs"). Sixteen or so: not paginated.
#[utoipa::path(tag = "orientation", responses(
    (status = 200, description = "Every growth sector, with `ETag` and `Cache-Control`", body = Vec<SectorSummary>),
    (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
))]
#[get("")]
pub async fn list_sectors(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    Ok(state.reference().await?.sectors.respond(&req))
}

/// Reads one growth sector with its description and trades.
#[utoipa::path(tag = "orientation", params(("code" = String, Path, description = "Sector code, e.g. `automotive`")), responses(
    (status = 200, description = "The sector, with `ETag` and `Cache-Control`", body = Sector),
    (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
))]
#[get("/{code}")]
pub async fn get_sector(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(state.reference().await?.sector(&code)?.respond(&req))
}
