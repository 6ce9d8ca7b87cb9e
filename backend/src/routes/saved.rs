//! `/me/saved-offers` and `/me/saved-searches`: what a user keeps of the offers.

use actix_web::{HttpResponse, delete, get, post, put, web};
use shared::dto::Page;
use shared::dto::saved::{SavedOfferView, SavedSearchView, SearchCriteria};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::saved::{self, SavedOfferQuery};
use crate::state::AppState;

/// Lists one's saved offers, the latest saved first; an offer that ended since stays, marked
/// `expired`. `offer` tells whether one offer is saved.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(SavedOfferQuery), responses(
    (status = 200, description = "One page of saved offers", body = Page<SavedOfferView>),
))]
#[get("/saved-offers")]
pub async fn list_saved_offers(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: QueryParams<SavedOfferQuery>,
) -> ApiResult<web::Json<Page<SavedOfferView>>> {
    Ok(web::Json(
        saved::saved_offers(&state, &user, &query.0).await?,
    ))
}

/// Saves an offer one can read; saving it again changes nothing.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The saved offer", body = SavedOfferView),
))]
#[put("/saved-offers/{id}")]
pub async fn save_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SavedOfferView>> {
    Ok(web::Json(saved::save_offer(&state, &user, *id).await?))
}

/// Forgets a saved offer (done already when it was not saved).
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 204, description = "Not saved any more"),
))]
#[delete("/saved-offers/{id}")]
pub async fn unsave_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    saved::unsave_offer(&state, &user, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists one's saved searches (twenty at most), the latest first, each with the number of
/// live offers matching it posted since one last opened it (`new_offers`).
#[utoipa::path(tag = "offers", security(("bearer" = [])), responses(
    (status = 200, description = "The saved searches", body = Vec<SavedSearchView>),
))]
#[get("/saved-searches")]
pub async fn list_saved_searches(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<web::Json<Vec<SavedSearchView>>> {
    Ok(web::Json(saved::saved_searches(&state, &user).await?))
}

/// Saves a search: its words and filters, as `GET /offers/search` takes them. Twenty at most
/// (`409 saved_search.too_many`), each once (`409 saved_search.exists`).
#[utoipa::path(tag = "offers", security(("bearer" = [])), request_body = SearchCriteria, responses(
    (status = 201, description = "The saved search", body = SavedSearchView),
    (status = 409, description = "Already saved, or twenty kept already"),
))]
#[post("/saved-searches")]
pub async fn save_search(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<SearchCriteria>,
) -> ApiResult<HttpResponse> {
    let saved = saved::save_search(&state, &user, body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Marks a saved search opened: its new offers are counted from now on.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Saved search id")), responses(
    (status = 200, description = "The saved search", body = SavedSearchView),
))]
#[post("/saved-searches/{id}/visit")]
pub async fn visit_search(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SavedSearchView>> {
    Ok(web::Json(saved::visit_search(&state, &user, *id).await?))
}

/// Deletes a saved search.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Saved search id")), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/saved-searches/{id}")]
pub async fn delete_search(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    saved::delete_search(&state, &user, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
