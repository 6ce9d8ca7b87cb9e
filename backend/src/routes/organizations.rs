//! `/organizations`: employers and partners, their members and API keys.

use actix_web::{HttpResponse, web};
use actix_web::{delete, get, patch, post, put};
use shared::dto::Page;
use shared::dto::organizations::{
    ApiKeyView, CreateApiKeyRequest, CreateOrganizationRequest, CreatedApiKey, MemberView,
    OrganizationListQuery, OrganizationView, UpdateOrganizationRequest,
};

use crate::auth::{Caller, CurrentUser};
use crate::error::{ApiResult, Problem};
use crate::extract::{JsonBody, QueryParams};
use crate::services::organizations;
use crate::state::AppState;

/// Lists organisations: all for an admin, one's own otherwise.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(OrganizationListQuery), responses(
    (status = 200, description = "One page of organisations", body = Page<OrganizationView>),
))]
#[get("")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: QueryParams<OrganizationListQuery>,
) -> ApiResult<web::Json<Page<OrganizationView>>> {
    Ok(web::Json(
        organizations::list(&state, &caller, &query.0).await?,
    ))
}

/// Creates an organisation; the creator (employer or partner account) becomes its owner.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = CreateOrganizationRequest, responses(
    (status = 201, description = "Organisation created, awaiting verification", body = OrganizationView),
))]
#[post("")]
pub async fn create_organization(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<CreateOrganizationRequest>,
) -> ApiResult<HttpResponse> {
    let created = organizations::create(&state, &caller, body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Reads an organisation: its members, admins, or its own API keys (scope `organization:read`).
#[utoipa::path(tag = "organizations", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "The organisation", body = OrganizationView),
))]
#[get("/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrganizationView>> {
    Ok(web::Json(organizations::get(&state, &caller, *id).await?))
}

/// Edits an organisation (owners and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), request_body = UpdateOrganizationRequest, responses(
    (status = 200, description = "The updated organisation", body = OrganizationView),
))]
#[patch("/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<UpdateOrganizationRequest>,
) -> ApiResult<web::Json<OrganizationView>> {
    Ok(web::Json(
        organizations::update(&state, &caller, *id, body).await?,
    ))
}

/// Verifies an organisation (admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "The verified organisation", body = OrganizationView),
))]
#[put("/{id}/verification")]
pub async fn verify_organization(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrganizationView>> {
    Ok(web::Json(
        organizations::set_verified(&state, &caller, *id, true).await?,
    ))
}

/// Withdraws the verification (admins); the organisation's API keys stop working.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "The organisation, no longer verified", body = OrganizationView),
))]
#[delete("/{id}/verification")]
pub async fn unverify_organization(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrganizationView>> {
    Ok(web::Json(
        organizations::set_verified(&state, &caller, *id, false).await?,
    ))
}

/// Lists members (members and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "The members", body = Vec<MemberView>),
))]
#[get("/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<MemberView>>> {
    Ok(web::Json(
        organizations::members(&state, &caller, *id).await?,
    ))
}

/// Removes a member (owners and admins); the last owner stays.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(
    ("id" = i64, Path, description = "Organisation id"),
    ("user_id" = i64, Path, description = "User id of the member"),
), responses(
    (status = 204, description = "Member removed"),
    (status = 409, description = "The last owner cannot be removed", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/{id}/members/{user_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    caller: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = path.into_inner();
    organizations::remove_member(&state, &caller, id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists the organisation's API keys, never their secrets (owners and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "The keys", body = Vec<ApiKeyView>),
))]
#[get("/{id}/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<ApiKeyView>>> {
    Ok(web::Json(
        organizations::api_keys(&state, &caller, *id).await?,
    ))
}

/// Creates an API key and shows its secret, once (owners and admins of a verified organisation).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), request_body = CreateApiKeyRequest, responses(
    (status = 201, description = "Key created; `secret` is shown this once", body = CreatedApiKey),
    (status = 409, description = "The organisation is not verified yet", body = Problem, content_type = "application/problem+json"),
))]
#[post("/{id}/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let created = organizations::create_api_key(&state, &caller, *id, body).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// Revokes an API key (owners and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(
    ("id" = i64, Path, description = "Organisation id"),
    ("key_id" = i64, Path, description = "API key id"),
), responses(
    (status = 200, description = "The revoked key", body = ApiKeyView),
))]
#[delete("/{id}/api-keys/{key_id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<web::Json<ApiKeyView>> {
    let (id, key_id) = path.into_inner();
    Ok(web::Json(
        organizations::revoke_api_key(&state, &caller, id, key_id).await?,
    ))
}
