//! `/occupations` and `/sectors`: reference data for orientation. Public, like a careers library.

use actix_web::get;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::dto::Page;
use shared::dto::orientation::{
    Occupation, OccupationListQuery, OccupationSummary, Sector, SectorFigures, SectorFiguresDetail,
    SectorSummary,
};

use crate::error::ApiResult;
use crate::extract::QueryParams;
use crate::services::sector_figures;
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

/// Every growth sector in figures, from the offers: the vacancies open now, and those published
/// in the last 30 days and in the 30 before (a vacancy published on several sites counts once).
/// Counted at most a minute ago.
#[utoipa::path(tag = "orientation", responses(
    (status = 200, description = "Every growth sector's figures, in the sectors' order", body = Vec<SectorFigures>),
))]
#[get("/figures")]
pub async fn list_sector_figures(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let body = sector_figures::answer(&state, None).await?;
    Ok(figures(body))
}

/// One growth sector in figures, with where its open vacancies are, the trades they are for
/// and the education they ask.
#[utoipa::path(tag = "orientation", params(("code" = String, Path, description = "Sector code, e.g. `automotive`")), responses(
    (status = 200, description = "The sector's figures", body = SectorFiguresDetail),
    (status = 404, description = "No such sector", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/{code}/figures")]
pub async fn get_sector_figures(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let body = sector_figures::answer(&state, Some(&code)).await?;
    Ok(figures(body))
}

fn figures(body: std::sync::Arc<Vec<u8>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            format!("public, max-age={}", sector_figures::KEPT.as_secs()),
        ))
        .body(body.as_ref().clone())
}
