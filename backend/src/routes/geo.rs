//! `/regions` and `/communes`: Morocco's administrative divisions (HCP, RGPH 2024).

use actix_web::web;
use shared::dto::Page;
use shared::dto::geo::{CommuneListQuery, CommuneView, RegionView};

use crate::error::ApiResult;
use crate::extract::QueryParams;
use crate::services::geo;
use crate::state::AppState;

/// The 12 regions.
#[utoipa::path(get, path = "/api/v1/regions", tag = "reference", responses(
    (status = 200, description = "All regions, by code", body = Vec<RegionView>),
))]
pub async fn regions(state: web::Data<AppState>) -> ApiResult<web::Json<Vec<RegionView>>> {
    Ok(web::Json(geo::regions(&state.db).await?))
}

/// Communes, by code, optionally of one region or matching a name.
#[utoipa::path(get, path = "/api/v1/communes", tag = "reference", params(CommuneListQuery), responses(
    (status = 200, description = "One page of communes", body = Page<CommuneView>),
))]
pub async fn communes(
    state: web::Data<AppState>,
    query: QueryParams<CommuneListQuery>,
) -> ApiResult<web::Json<Page<CommuneView>>> {
    Ok(web::Json(geo::communes(&state.db, &query.0).await?))
}
