//! `/centers`: career centers and their satellite sites. Public to read; admins edit.

use actix_web::{HttpResponse, web};
use actix_web::{delete, get, patch, post};
use shared::dto::Page;
use shared::dto::centers::{
    CenterView, CreateCenterRequest, CreateSiteRequest, SiteView, UpdateCenterRequest,
};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::centers::{self, CenterListQuery};
use crate::state::AppState;

/// Lists centers with their sites.
#[utoipa::path(tag = "centers", params(CenterListQuery), responses(
    (status = 200, description = "One page of centers", body = Page<CenterView>),
))]
#[get("")]
pub async fn list_centers(
    state: web::Data<AppState>,
    query: QueryParams<CenterListQuery>,
) -> ApiResult<web::Json<Page<CenterView>>> {
    Ok(web::Json(centers::list(&state.db, &query.0).await?))
}

/// Reads one center.
#[utoipa::path(tag = "centers", params(("id" = i64, Path, description = "Center id")), responses(
    (status = 200, description = "The center", body = CenterView),
))]
#[get("/{id}")]
pub async fn get_center(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<CenterView>> {
    Ok(web::Json(centers::get(&state.db, *id).await?))
}

/// Creates a center, with its sites (admins).
#[utoipa::path(tag = "centers", security(("bearer" = [])), request_body = CreateCenterRequest, responses(
    (status = 201, description = "Center created", body = CenterView),
))]
#[post("")]
pub async fn create_center(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<CreateCenterRequest>,
) -> ApiResult<HttpResponse> {
    let created = centers::create(&state.db, &caller, body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Edits a center (admins).
#[utoipa::path(tag = "centers", security(("bearer" = [])), params(("id" = i64, Path, description = "Center id")), request_body = UpdateCenterRequest, responses(
    (status = 200, description = "The updated center", body = CenterView),
))]
#[patch("/{id}")]
pub async fn update_center(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<UpdateCenterRequest>,
) -> ApiResult<web::Json<CenterView>> {
    Ok(web::Json(
        centers::update(&state.db, &caller, *id, body).await?,
    ))
}

/// Adds a satellite site to a center (admins).
#[utoipa::path(tag = "centers", security(("bearer" = [])), params(("id" = i64, Path, description = "Center id")), request_body = CreateSiteRequest, responses(
    (status = 201, description = "Site created", body = SiteView),
))]
#[post("/{id}/sites")]
pub async fn add_site(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<CreateSiteRequest>,
) -> ApiResult<HttpResponse> {
    let created = centers::add_site(&state.db, &caller, *id, body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Removes a satellite site (admins), once no event to come nor open appointment slot takes
/// place there.
#[utoipa::path(tag = "centers", security(("bearer" = [])), params(
    ("id" = i64, Path, description = "Center id"),
    ("site_id" = i64, Path, description = "Site id"),
), responses(
    (status = 204, description = "Site removed"),
    (status = 409, description = "Events to come or open appointment slots take place there"),
))]
#[delete("/{id}/sites/{site_id}")]
pub async fn remove_site(
    state: web::Data<AppState>,
    caller: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (id, site_id) = path.into_inner();
    centers::remove_site(&state.db, &caller, id, site_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
