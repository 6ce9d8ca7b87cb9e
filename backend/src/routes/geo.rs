//! `/regions` and `/communes`: Morocco's administrative divisions (HCP, RGPH 2024).

use actix_web::get;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::dto::Page;
use shared::dto::geo::{CommuneListQuery, CommuneView, RegionView};

use crate::error::ApiResult;
use crate::extract::QueryParams;
use crate::state::AppState;

/// The 12 regions.
#[utoipa::path(tag = "reference", responses(
    (status = 200, description = "All regions, by code, with `ETag` and `Cache-Control`", body = Vec<RegionView>),
    (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
))]
#[get("")]
pub async fn list_regions(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    Ok(state.reference().await?.regions.respond(&req))
}

/// Communes, by code, optionally of one region or matching a name.
#[utoipa::path(tag = "reference", params(CommuneListQuery), responses(
    (status = 200, description = "One page of communes", body = Page<CommuneView>),
))]
#[get("")]
pub async fn list_communes(
    state: web::Data<AppState>,
    query: QueryParams<CommuneListQuery>,
) -> ApiResult<web::Json<Page<CommuneView>>> {
    Ok(web::Json(state.reference().await?.communes(&query.0)?))
}
