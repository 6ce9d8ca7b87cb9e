//! Applications: `/offers/{id}/applications` (apply; the employer's applicants),
//! `/offers/{id}/outbound` (follow the link to the source), `/applications/{id}` (read, move,
//! withdraw) and `/me/applications` (a youth's own).

use actix_web::{HttpResponse, get, patch, post, web};
use shared::dto::Page;
use shared::dto::applications::{
    ApplicationView, ApplyRequest, MoveApplicationRequest, OutboundView,
};

use crate::auth::{Caller, CurrentUser};
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::applications::{self, ApplicationListQuery, MyApplicationsQuery};
use crate::state::AppState;

/// Applies to a live offer inside the platform (youths): her message and a snapshot of her
/// profile go to the employer. Once per offer; an offer that takes applications at its source
/// only answers `409 offer.apply_elsewhere` (follow its link: `POST /offers/{id}/outbound`).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), request_body = ApplyRequest, responses(
    (status = 201, description = "The application, `received`", body = ApplicationView),
    (status = 409, description = "Already applied, the offer is closed, or it takes applications at its source only"),
))]
#[post("/{id}/applications")]
pub async fn apply(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ApplyRequest>,
) -> ApiResult<HttpResponse> {
    let application = applications::apply(&state, &user, *id, body).await?;
    Ok(HttpResponse::Created().json(application))
}

/// Records that a youth follows the offer's link to apply at its source, and gives the link.
/// Recorded once: a second call answers the same application.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The link and the recorded application", body = OutboundView),
    (status = 409, description = "The offer is closed or has no link"),
))]
#[post("/{id}/outbound")]
pub async fn follow_link(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OutboundView>> {
    Ok(web::Json(applications::outbound(&state, &user, *id).await?))
}

/// Lists the applications made inside the platform to one of the organisation's offers, oldest
/// first (its employers' and partners' members, its keys with `applications:write`).
#[utoipa::path(tag = "applications", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Offer id"), ApplicationListQuery), responses(
    (status = 200, description = "One page of applications", body = Page<ApplicationView>),
))]
#[get("/{id}/applications")]
pub async fn list_offer_applications(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: QueryParams<ApplicationListQuery>,
) -> ApiResult<web::Json<Page<ApplicationView>>> {
    Ok(web::Json(
        applications::of_offer(&state, &caller, *id, &query.0).await?,
    ))
}

/// Lists one's own applications, newest first, each with where it stands.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(MyApplicationsQuery), responses(
    (status = 200, description = "One page of one's applications", body = Page<ApplicationView>),
))]
#[get("/applications")]
pub async fn list_my_applications(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: QueryParams<MyApplicationsQuery>,
) -> ApiResult<web::Json<Page<ApplicationView>>> {
    Ok(web::Json(
        applications::mine(&state, &user, &query.0).await?,
    ))
}

/// Reads one application: its youth, or its offer's organisation.
#[utoipa::path(tag = "applications", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Application id")), responses(
    (status = 200, description = "The application", body = ApplicationView),
))]
#[get("/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ApplicationView>> {
    Ok(web::Json(applications::get(&state, &caller, *id).await?))
}

/// Moves an application through the pipeline (the offer's organisation): `shortlisted`,
/// `interview`, `rejected` or `hired`. The youth is told in the app. A withdrawn application
/// stays withdrawn (`409 application.wrong_status`), as does one moved by someone else since it
/// was read.
#[utoipa::path(tag = "applications", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Application id")), request_body = MoveApplicationRequest, responses(
    (status = 200, description = "The application, moved", body = ApplicationView),
    (status = 409, description = "Its status does not allow the move"),
))]
#[patch("/{id}")]
pub async fn move_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: JsonBody<MoveApplicationRequest>,
) -> ApiResult<web::Json<ApplicationView>> {
    Ok(web::Json(
        applications::move_to(&state, &caller, *id, body).await?,
    ))
}

/// Withdraws one's application (youths), until the employer rejected or hired.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = i64, Path, description = "Application id")), responses(
    (status = 200, description = "The application, withdrawn", body = ApplicationView),
    (status = 409, description = "Already decided or withdrawn"),
))]
#[post("/{id}/withdrawal")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ApplicationView>> {
    Ok(web::Json(applications::withdraw(&state, &user, *id).await?))
}
