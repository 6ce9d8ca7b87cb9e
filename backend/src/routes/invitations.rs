//! Invitations into organisations: sent by owners, answered by the invitee.

use actix_web::{HttpResponse, web};
use actix_web::{delete, get, post};
use shared::dto::auth::TokenRequest;
use shared::dto::organizations::{
    CreateInvitationRequest, InvitationView, OrganizationView, ReceivedInvitation,
};

use crate::auth::CurrentUser;
use crate::client_ip::ClientIp;
use crate::error::{ApiResult, Problem};
use crate::extract::JsonBody;
use crate::services::invitations;
use crate::state::AppState;

/// Invites an e-mail address to join (owners and admins). The answer is the same whether or
/// not the address has an account; the invitee joins only by accepting.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), request_body = CreateInvitationRequest, responses(
    (status = 201, description = "Invitation sent", body = InvitationView),
    (status = 409, description = "The address is already a member", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many invitations; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
// In the `/organizations` scope: `/api/v1/organizations/{id}/invitations`.
#[post("/{id}/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<CreateInvitationRequest>,
) -> ApiResult<HttpResponse> {
    let sent = invitations::invite(&state, &caller, *id, body).await?;
    Ok(HttpResponse::Created().json(sent))
}

/// The organisation's pending invitations (owners and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path, description = "Organisation id")), responses(
    (status = 200, description = "Pending invitations, newest first", body = Vec<InvitationView>),
))]
// In the `/organizations` scope: `/api/v1/organizations/{id}/invitations`.
#[get("/{id}/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<InvitationView>>> {
    Ok(web::Json(invitations::list(&state, &caller, *id).await?))
}

/// Withdraws a pending invitation (owners and admins).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(
    ("id" = i64, Path, description = "Organisation id"),
    ("invitation_id" = i64, Path, description = "Invitation id"),
), responses(
    (status = 204, description = "Withdrawn"),
))]
// In the `/organizations` scope: `/api/v1/organizations/{id}/invitations/{invitation_id}`.
#[delete("/{id}/invitations/{invitation_id}")]
pub async fn withdraw_invitation(
    state: web::Data<AppState>,
    caller: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (id, invitation_id) = path.into_inner();
    invitations::withdraw(&state, &caller, id, invitation_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Invitations addressed to the signed-in user's address, once it is verified.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, description = "Pending invitations (none until the address is verified)", body = Vec<ReceivedInvitation>),
))]
// In the `/me` scope: `/api/v1/me/invitations`.
#[get("/invitations")]
pub async fn list_received_invitations(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<Vec<ReceivedInvitation>>> {
    Ok(web::Json(invitations::received(&state, &caller).await?))
}

/// Accepts an invitation listed in `/me/invitations`.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("id" = i64, Path, description = "Invitation id")), responses(
    (status = 200, description = "Joined; the organisation", body = OrganizationView),
    (status = 409, description = "Only employer or partner accounts join organisations", body = Problem, content_type = "application/problem+json"),
))]
// In the `/me` scope: `/api/v1/me/invitations/{id}/acceptance`.
#[post("/invitations/{id}/acceptance")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrganizationView>> {
    Ok(web::Json(invitations::accept(&state, &caller, *id).await?))
}

/// Declines an invitation listed in `/me/invitations`.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("id" = i64, Path, description = "Invitation id")), responses(
    (status = 204, description = "Declined"),
))]
// In the `/me` scope: `/api/v1/me/invitations/{id}`.
#[delete("/invitations/{id}")]
pub async fn decline_invitation(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    invitations::decline(&state, &caller, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accepts the invitation of an e-mailed link, signed in with the invited address.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = TokenRequest, responses(
    (status = 200, description = "Joined; the organisation", body = OrganizationView),
    (status = 422, description = "Invalid, answered or expired link, or one sent to another address", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many tries; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
// In the `/invitations` scope: `/api/v1/invitations/acceptance`.
#[post("/acceptance")]
pub async fn accept_invitation_by_token(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<TokenRequest>,
) -> ApiResult<web::Json<OrganizationView>> {
    let token = body.read()?.parse()?;
    Ok(web::Json(
        invitations::accept_by_token(&state, &caller, client, &token).await?,
    ))
}
