//! `/occupations` and `/sectors`: reference data for orientation. Public, like a careers library.

use actix_web::web;
use shared::dto::Page;
use shared::dto::orientation::{
    Occupation, OccupationListQuery, OccupationSummary, Sector, SectorSummary,
};

use crate::error::ApiResult;
use crate::extract::QueryParams;
use crate::services::occupations;
use crate::state::AppState;

/// Lists occupations (ISCO-08 unit groups) by code, with filters.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "orientation", params(OccupationListQuery), responses(
    (status = 200, description = "One page of occupations", body = Page<OccupationSummary>),
))]
pub async fn list(
    state: web::Data<AppState>,
    query: QueryParams<OccupationListQuery>,
) -> ApiResult<web::Json<Page<OccupationSummary>>> {
    Ok(web::Json(occupations::list(&state.db, &query.0).await?))
}

/// Reads one occupation with its interest profile and sectors.
#[utoipa::path(get, path = "/api/v1/occupations/{isco08}", tag = "orientation", params(("isco08" = String, Path, description = "ISCO-08 unit group code")), responses(
    (status = 200, description = "The occupation", body = Occupation),
))]
pub async fn get(
    state: web::Data<AppState>,
    isco08: web::Path<String>,
) -> ApiResult<web::Json<Occupation>> {
    Ok(web::Json(occupations::get(&state.db, &isco08).await?))
}

/// Lists the growth sectors ("secteurs porteurs"). Sixteen or so: not paginated.
#[utoipa::path(get, path = "/api/v1/sectors", tag = "orientation", responses(
    (status = 200, description = "Every growth sector", body = Vec<SectorSummary>),
))]
pub async fn sectors(state: web::Data<AppState>) -> ApiResult<web::Json<Vec<SectorSummary>>> {
    Ok(web::Json(occupations::sectors(&state.db).await?))
}

/// Reads one growth sector with its description and trades.
#[utoipa::path(get, path = "/api/v1/sectors/{code}", tag = "orientation", params(("code" = String, Path, description = "Sector code, e.g. `automotive`")), responses(
    (status = 200, description = "The sector", body = Sector),
))]
pub async fn sector(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<web::Json<Sector>> {
    Ok(web::Json(occupations::sector(&state.db, &code).await?))
}
