//! `/users`: account management by admins, and by counselors for the youths of their center.

use actix_web::{HttpResponse, web};
use actix_web::{get, patch, post};
use shared::dto::Page;
use shared::dto::users::{AdminUpdateUserRequest, CreateUserRequest, UserListQuery, UserView};

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::{JsonBody, QueryParams};
use crate::services::{accounts, users};
use crate::state::AppState;

/// Lists users: all of them for an admin, the youths of their center for a counselor.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(UserListQuery), responses(
    (status = 200, description = "One page of users", body = Page<UserView>),
))]
#[get("")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: QueryParams<UserListQuery>,
) -> ApiResult<web::Json<Page<UserView>>> {
    Ok(web::Json(users::list(&state, &caller, &query.0).await?))
}

/// Reads one user the caller may see.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = i64, Path, description = "User id")), responses(
    (status = 200, description = "The user", body = UserView),
))]
#[get("/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<UserView>> {
    Ok(web::Json(accounts::to_view(
        users::get(&state, &caller, *id).await?,
    )))
}

/// Creates an account: any role for an admin; a youth of their own center for a counselor.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = CreateUserRequest, responses(
    (status = 201, description = "Account created", body = UserView),
    (status = 409, description = "The e-mail is taken", body = Problem, content_type = "application/problem+json"),
))]
#[post("")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let created = users::create(&state, &caller, body).await?;
    Ok(HttpResponse::Created().json(accounts::to_view(created)))
}

/// Changes a user's role, center or activation (admins only).
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = i64, Path, description = "User id")), request_body = AdminUpdateUserRequest, responses(
    (status = 200, description = "The updated user", body = UserView),
    (status = 409, description = "An admin tried to lock themselves out", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<AdminUpdateUserRequest>,
) -> ApiResult<web::Json<UserView>> {
    Ok(web::Json(accounts::to_view(
        users::update(&state, &caller, *id, body).await?,
    )))
}
