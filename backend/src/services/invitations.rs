//! Joining an organisation by invitation.
//!
//! An owner invites an e-mail address; only the holder of that address can accept, either in
//! the app once the address is verified or through the link mailed to it. The owner's answer
//! is the same whether or not the address has an account, and says nothing about the invitee
//! until they accept. Accepting is a guarded update, so an invitation becomes one membership
//! however many times it is clicked.

use shared::codes;
use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    NotSet, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde_json::json;
use shared::dto::organizations::{
    CreateInvitationRequest, InvitationView, OrganizationView, ReceivedInvitation,
};
use shared::{Locale, MembershipRole, OrganizationKind, Role};

use super::audit::{self, Actor};
use super::organizations::{self, Access, load_as_user};
use crate::auth::CurrentUser;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::entities::{membership, organization, organization_invitation as invitation, user};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;
use crate::mail::Mail;
use crate::state::AppState;

/// How long an invitation stays open.
const LIFETIME_DAYS: i64 = 7;
/// The most pending invitations listed at once.
const LIST_LIMIT: u64 = 200;

fn view(model: invitation::Model) -> InvitationView {
    InvitationView {
        id: model.id,
        organization_id: model.organization_id,
        role: MembershipRole::parse(&model.role).unwrap_or(MembershipRole::Member),
        email: model.email,
        created_at: model.created_at,
        expires_at: model.expires_at,
    }
}

/// Invitations neither accepted, closed nor expired.
fn pending() -> Condition {
    Condition::all()
        .add(invitation::Column::AcceptedAt.is_null())
        .add(invitation::Column::ClosedAt.is_null())
        .add(invitation::Column::ExpiresAt.gt(Utc::now()))
}

fn closed_now() -> sea_orm::sea_query::SimpleExpr {
    Expr::value(Utc::now())
}

/// Invites `email` (owners and admins). Inviting an address again while its invitation is
/// pending sends that invitation anew, with a fresh link; inviting an address that is already a
/// member is refused, as the members list shows.
pub async fn invite(
    state: &AppState,
    caller: &CurrentUser,
    org_id: i64,
    body: JsonBody<CreateInvitationRequest>,
) -> ApiResult<InvitationView> {
    let org = load_as_user(state, caller, org_id, Access::Manage).await?;
    let (email, role) = body.read()?.parse()?;
    state
        .throttles
        .invitations_by_account
        .check(&caller.id().to_string())?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    if let Some(account) = &account
        && membership::Entity::find_by_id((org_id, account.id))
            .one(&state.db)
            .await?
            .is_some()
    {
        return Err(ApiError::conflict(
            "email",
            codes::INVITATION_ALREADY_MEMBER,
            "this address is already a member of the organisation",
        ));
    }
    let token = random_token();
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    let pending_one = invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org_id))
        .filter(invitation::Column::Email.eq(email.as_str()))
        .filter(pending())
        .one(&txn)
        .await?;
    let resent = pending_one.is_some();
    let saved = match pending_one {
        // Inviting again keeps the invitation (its id, so a link to it stays right) with a
        // fresh link, lifetime and role; the earlier link stops working.
        Some(existing) => {
            let mut active: invitation::ActiveModel = existing.into();
            active.role = Set(role.as_str().to_owned());
            active.token_hash = Set(sha256_hex(&token));
            active.invited_by = Set(Some(caller.id()));
            active.expires_at = Set(now + Duration::days(LIFETIME_DAYS));
            active.update(&txn).await?
        }
        None => {
            invitation::ActiveModel {
                id: NotSet,
                organization_id: Set(org_id),
                email: Set(email.as_str().to_owned()),
                role: Set(role.as_str().to_owned()),
                token_hash: Set(sha256_hex(&token)),
                invited_by: Set(Some(caller.id())),
                created_at: Set(now),
                expires_at: Set(now + Duration::days(LIFETIME_DAYS)),
                accepted_at: Set(None),
                accepted_by: Set(None),
                closed_at: Set(None),
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Actor::User(caller.id()),
        if resent {
            "organization.invitation.resend"
        } else {
            "organization.invitation.create"
        },
        "organization",
        org_id,
        json!({"invitation_id": saved.id, "role": role}),
    )
    .await?;
    txn.commit().await?;
    // The invitee's language when they have an account, else the inviter's: either way the
    // owner's answer is the same.
    let locale = account
        .as_ref()
        .map_or(caller.0.locale.as_str(), |a| a.locale.as_str());
    let locale = Locale::parse(locale).unwrap_or_default();
    state.mailer.send(
        email.as_str(),
        locale,
        Mail::Invitation {
            organization: org.name,
            inviter: format!("{} {}", caller.0.first_name, caller.0.last_name),
            link: state.mailer.link("invitations", &token),
        },
    );
    Ok(view(saved))
}

/// The organisation's pending invitations (owners and admins).
pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    org_id: i64,
) -> ApiResult<Vec<InvitationView>> {
    load_as_user(state, caller, org_id, Access::Manage).await?;
    Ok(invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org_id))
        .filter(pending())
        .order_by_desc(invitation::Column::Id)
        .limit(LIST_LIMIT)
        .all(&state.db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// Withdraws a pending invitation (owners and admins); its link stops working.
pub async fn withdraw(
    state: &AppState,
    caller: &CurrentUser,
    org_id: i64,
    invitation_id: i64,
) -> ApiResult<()> {
    load_as_user(state, caller, org_id, Access::Manage).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let closed = invitation::Entity::update_many()
        .col_expr(invitation::Column::ClosedAt, closed_now())
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::OrganizationId.eq(org_id))
        .filter(pending())
        .exec(&txn)
        .await?;
    if closed.rows_affected != 1 {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "organization.invitation.withdraw",
        "organization",
        org_id,
        json!({"invitation_id": invitation_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The pending invitations addressed to the caller. Only a verified address sees them: anyone
/// may register with any address, and must not read someone else's invitations that way.
pub async fn received(
    state: &AppState,
    caller: &CurrentUser,
) -> ApiResult<Vec<ReceivedInvitation>> {
    if caller.0.email_verified_at.is_none() {
        return Ok(Vec::new());
    }
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(caller.0.email.as_str()))
        .filter(pending())
        .order_by_desc(invitation::Column::Id)
        .limit(LIST_LIMIT)
        .all(&state.db)
        .await?;
    // Two reads for the whole list, not two per invitation.
    let organizations: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(invitations.iter().map(|i| i.organization_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let inviters: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(invitations.iter().filter_map(|i| i.invited_by)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
        .collect();
    let mut received = Vec::with_capacity(invitations.len());
    for found in invitations {
        let Some(org) = organizations.get(&found.organization_id) else {
            continue;
        };
        received.push(ReceivedInvitation {
            id: found.id,
            organization_id: org.id,
            organization_name: org.name.clone(),
            organization_kind: OrganizationKind::parse(&org.kind)
                .unwrap_or(OrganizationKind::Employer),
            role: MembershipRole::parse(&found.role).unwrap_or(MembershipRole::Member),
            invited_by: found.invited_by.and_then(|id| inviters.get(&id).cloned()),
            expires_at: found.expires_at,
        });
    }
    Ok(received)
}

/// A pending invitation addressed to the caller's verified address; 404 otherwise, whether it
/// exists or not.
async fn addressed_to(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    invitation_id: i64,
) -> ApiResult<invitation::Model> {
    if caller.0.email_verified_at.is_none() {
        return Err(ApiError::NotFound);
    }
    invitation::Entity::find_by_id(invitation_id)
        .filter(invitation::Column::Email.eq(caller.0.email.as_str()))
        .filter(pending())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Accepts an invitation listed in the app.
pub async fn accept(
    state: &AppState,
    caller: &CurrentUser,
    invitation_id: i64,
) -> ApiResult<OrganizationView> {
    let found = addressed_to(&state.db, caller, invitation_id).await?;
    join(state, caller, found).await
}

/// Accepts the invitation of an e-mailed link. The link proves the caller reads the invited
/// address, so it must be the address of the account accepting, which counts as verified.
pub async fn accept_by_token(
    state: &AppState,
    caller: &CurrentUser,
    client: std::net::IpAddr,
    token: &str,
) -> ApiResult<OrganizationView> {
    state.throttles.tokens_by_ip.check(&client.to_string())?;
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(sha256_hex(token)))
        .filter(pending())
        .one(&state.db)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "token",
                codes::TOKEN_INVALID,
                "this invitation is invalid, already answered, withdrawn or expired",
            )
        })?;
    if found.email != caller.0.email {
        return Err(ApiError::field(
            "token",
            codes::INVITATION_OTHER_ADDRESS,
            "this invitation was sent to another address: sign in with the account of that address",
        ));
    }
    join(state, caller, found).await
}

/// Turns the invitation into a membership, once.
async fn join(
    state: &AppState,
    caller: &CurrentUser,
    found: invitation::Model,
) -> ApiResult<OrganizationView> {
    if !matches!(caller.role(), Role::Employer | Role::Partner) {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::INVITATION_WRONG_ROLE,
            message: "only employer or partner accounts join organisations".into(),
        });
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    let claimed = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(caller.id()))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(pending())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ApiError::NotFound);
    }
    let already = membership::Entity::find_by_id((found.organization_id, caller.id()))
        .one(&txn)
        .await?
        .is_some();
    if !already {
        membership::ActiveModel {
            organization_id: Set(found.organization_id),
            user_id: Set(caller.id()),
            role: Set(found.role.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Expr::value(now))
        .filter(user::Column::Id.eq(caller.id()))
        .filter(user::Column::EmailVerifiedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "organization.invitation.accept",
        "organization",
        found.organization_id,
        json!({"invitation_id": found.id, "role": found.role}),
    )
    .await?;
    let org = organization::Entity::find_by_id(found.organization_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(organizations::to_view(org))
}

/// Declines an invitation addressed to the caller.
pub async fn decline(state: &AppState, caller: &CurrentUser, invitation_id: i64) -> ApiResult<()> {
    let found = addressed_to(&state.db, caller, invitation_id).await?;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::ClosedAt, closed_now())
        .filter(invitation::Column::Id.eq(found.id))
        .filter(pending())
        .exec(&state.db)
        .await?;
    Ok(())
}
