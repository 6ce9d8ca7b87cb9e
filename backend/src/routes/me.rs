//! `/me`: the signed-in user's own account.

use actix_web::{HttpResponse, web};
use actix_web::{get, patch, post, put};
use shared::dto::Page;
use shared::dto::auth::{ChangePasswordRequest, TokenResponse};
use shared::dto::notices::{NoticeView, ReadNoticesRequest};
use shared::dto::users::{UpdateProfileRequest, UserView};

use super::auth::session_response;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::JsonBody;
use crate::extract::QueryParams;
use crate::services::accounts;
use crate::services::notices::{self, NoticeListQuery};
use crate::state::AppState;

/// Reads one's own profile.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, description = "The signed-in user", body = UserView),
))]
#[get("")]
pub async fn get_me(user: CurrentUser) -> web::Json<UserView> {
    web::Json(own_view(user.0))
}

/// One's own account as `/me` answers it: with the count of notices not yet read.
fn own_view(user: crate::entities::user::Model) -> UserView {
    let unread = u32::try_from(user.unread_notices).unwrap_or(0);
    UserView {
        unread_notices: Some(unread),
        ..accounts::to_view(user)
    }
}

/// Edits one's own profile.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = UpdateProfileRequest, responses(
    (status = 200, description = "The updated profile", body = UserView),
))]
#[patch("")]
pub async fn update_me(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<UpdateProfileRequest>,
) -> ApiResult<web::Json<UserView>> {
    let updated = accounts::update_profile(&state.db, user.0, &body.read()?).await?;
    Ok(web::Json(own_view(updated)))
}

/// Changes one's password. Every session is closed; the answer carries a fresh one for this
/// device (in the cookie when the request came with it).
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest, responses(
    (status = 200, description = "Password changed; new tokens", body = TokenResponse),
    (status = 422, description = "Wrong current password or weak new one", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "Too many at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[put("/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.read()?;
    let new = body.parse()?;
    let session = accounts::change_password(&state, user.0, &body.current_password, new).await?;
    Ok(session_response(&state, session, body.refresh_in_cookie))
}

/// Lists one's notices, newest first: what changed under her (an event called off or moved, a
/// seat given from the waiting list, an appointment the center cancelled), with what it is about
/// as it stands now. `/me` says how many are unread.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(NoticeListQuery), responses(
    (status = 200, description = "One page of notices", body = Page<NoticeView>),
))]
#[get("/notices")]
pub async fn list_notices(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: QueryParams<NoticeListQuery>,
) -> ApiResult<web::Json<Page<NoticeView>>> {
    Ok(web::Json(notices::list(&state, &user, &query.0).await?))
}

/// Marks one's notices read, up to `through` (the newest shown: the web app sends it when she
/// opens them) or all; one that came after stays unread.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = ReadNoticesRequest, responses(
    (status = 204, description = "The notices are read"),
))]
#[post("/notices/read")]
pub async fn read_notices(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ReadNoticesRequest>,
) -> ApiResult<HttpResponse> {
    notices::mark_read(&state, &user, body).await?;
    Ok(HttpResponse::NoContent().finish())
}
