//! `/me`: the signed-in user's own account.

use actix_web::{HttpResponse, web};
use actix_web::{get, patch, put};
use shared::dto::auth::{ChangePasswordRequest, TokenResponse};
use shared::dto::users::{UpdateProfileRequest, UserView};

use super::auth::session_response;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::JsonBody;
use crate::services::accounts;
use crate::state::AppState;

/// Reads one's own profile.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, description = "The signed-in user", body = UserView),
))]
#[get("")]
pub async fn get_me(user: CurrentUser) -> web::Json<UserView> {
    web::Json(accounts::to_view(user.0))
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
    Ok(web::Json(accounts::to_view(updated)))
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
