//! Employers and partner organisations, their members and API keys.
//!
//! Ownership rules: members read their organisation; owners edit it, manage its members and
//! its keys; admins do everything and alone verify. Anyone else gets 404, as if it did not
//! exist. Only verified organisations may hold API keys.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use serde_json::json;
use shared::codes;
use shared::dto::Page;
use shared::dto::organizations::{
    ApiKeyView, CreateApiKeyRequest, CreateOrganizationRequest, CreatedApiKey, MemberView,
    OrganizationListQuery, OrganizationView, UpdateOrganizationRequest,
};
use shared::{ApiScope, MembershipRole, OrganizationKind, Role};

use super::audit::{self, Actor};
use super::search::words_in;
use super::{geo, pagination};
use crate::auth::api_keys;
use crate::auth::{Caller, CurrentUser};
use crate::entities::{api_key, membership, organization, user};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;
use crate::state::AppState;

pub fn to_view(org: organization::Model) -> OrganizationView {
    OrganizationView {
        id: org.id,
        kind: OrganizationKind::parse(&org.kind).unwrap_or(OrganizationKind::Employer),
        name: org.name,
        city: org.city,
        region_code: org.region_code,
        website: org.website,
        description: org.description,
        verified_at: org.verified_at,
        created_at: org.created_at,
    }
}

fn key_view(key: api_key::Model) -> ApiKeyView {
    ApiKeyView {
        id: key.id,
        organization_id: key.organization_id,
        name: key.name,
        prefix: key.prefix,
        scopes: key
            .scopes
            .split(' ')
            .filter_map(|s| ApiScope::parse(s).ok())
            .collect(),
        created_at: key.created_at,
        last_used_at: key.last_used_at,
        revoked_at: key.revoked_at,
        expires_at: key.expires_at,
    }
}

/// How much a caller may do with one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Access {
    Read,
    Manage,
}

async fn membership_of(
    db: &impl ConnectionTrait,
    org_id: i64,
    user_id: i64,
) -> ApiResult<Option<MembershipRole>> {
    Ok(membership::Entity::find_by_id((org_id, user_id))
        .one(db)
        .await?
        .and_then(|m| MembershipRole::parse(&m.role).ok()))
}

/// Loads the organisation if the caller has at least `needed` on it; 404 if they cannot see
/// it at all, 403 if they can see it but not change it.
async fn load(
    state: &AppState,
    caller: &Caller,
    id: i64,
    needed: Access,
) -> ApiResult<organization::Model> {
    let org = organization::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let granted = match caller {
        Caller::User(user) if user.role() == Role::Admin => Some(Access::Manage),
        // A membership counts only while the account is still an employer or partner: an
        // admin who turns a departing employer into a youth also ends their organisation rights.
        Caller::User(user) if !matches!(user.role(), Role::Employer | Role::Partner) => None,
        Caller::User(user) => match membership_of(&state.db, id, user.id()).await? {
            Some(MembershipRole::Owner) => Some(Access::Manage),
            Some(MembershipRole::Member) => Some(Access::Read),
            None => None,
        },
        Caller::ApiKey(key) if key.organization_id == id => {
            key.require(ApiScope::OrganizationRead)?;
            Some(Access::Read)
        }
        Caller::ApiKey(_) => None,
    };
    match granted {
        None => Err(ApiError::NotFound),
        Some(level) if level < needed => Err(ApiError::Forbidden),
        Some(_) => Ok(org),
    }
}

/// [`load`] for a signed-in person.
pub(super) async fn load_as_user(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    needed: Access,
) -> ApiResult<organization::Model> {
    load(state, &Caller::User(Box::new(caller.clone())), id, needed).await
}

fn actor(caller: &CurrentUser) -> Actor {
    Actor::User(caller.id())
}

/// Locks the organisation's row for the rest of `txn` and reads it as it stands: a no-op
/// write, so PostgreSQL holds the row lock and SQLite its write lock (taken at `BEGIN` by
/// [`crate::db::begin_write`]) until the commit.
pub(super) async fn lock(txn: &DatabaseTransaction, id: i64) -> ApiResult<organization::Model> {
    organization::Entity::update_many()
        .col_expr(
            organization::Column::UpdatedAt,
            Expr::col(organization::Column::UpdatedAt),
        )
        .filter(organization::Column::Id.eq(id))
        .exec(txn)
        .await?;
    organization::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn create(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<CreateOrganizationRequest>,
) -> ApiResult<OrganizationView> {
    caller.require(&[Role::Employer, Role::Partner, Role::Admin])?;
    let new = body.read()?.parse()?;
    if let Some(region) = &new.region_code {
        geo::ensure_region(&state.db, "region_code", region).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let created = organization::ActiveModel {
        id: NotSet,
        name: Set(new.name),
        kind: Set(new.kind.as_str().to_owned()),
        city: Set(new.city),
        region_code: Set(new.region_code),
        website: Set(new.website),
        description: Set(new.description),
        verified_at: Set(None),
        verified_by: Set(None),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
        search_text: NotSet,
    }
    .insert(&txn)
    .await?;
    if caller.role() != Role::Admin {
        membership::ActiveModel {
            organization_id: Set(created.id),
            user_id: Set(caller.id()),
            role: Set(MembershipRole::Owner.as_str().to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor(caller),
        "organization.create",
        "organization",
        created.id,
        json!({"name": created.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(to_view(created))
}

/// Admins list all organisations; members list their own.
pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    query: &OrganizationListQuery,
) -> ApiResult<Page<OrganizationView>> {
    caller.require(&[Role::Employer, Role::Partner, Role::Admin])?;
    let mut filter = Condition::all();
    if caller.role() != Role::Admin {
        let own: Vec<i64> = membership::Entity::find()
            .filter(membership::Column::UserId.eq(caller.id()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| m.organization_id)
            .collect();
        filter = filter.add(organization::Column::Id.is_in(own));
    }
    if let Some(kind) = query.kind {
        filter = filter.add(organization::Column::Kind.eq(kind.as_str()));
    }
    match query.verified {
        Some(true) => filter = filter.add(organization::Column::VerifiedAt.is_not_null()),
        Some(false) => filter = filter.add(organization::Column::VerifiedAt.is_null()),
        None => {}
    }
    if let Some(words) = query
        .q
        .as_deref()
        .and_then(|q| words_in(organization::Column::SearchText, q))
    {
        filter = filter.add(words);
    }
    if let Some(after) = pagination::decode(query.cursor.as_deref())? {
        filter = filter.add(organization::Column::Id.gt(after));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = organization::Entity::find()
        .filter(filter)
        .order_by_asc(organization::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    Ok(pagination::page(rows, limit, |o| o.id, to_view))
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> ApiResult<OrganizationView> {
    load(state, caller, id, Access::Read).await.map(to_view)
}

pub async fn update(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<UpdateOrganizationRequest>,
) -> ApiResult<OrganizationView> {
    load_as_user(state, caller, id, Access::Manage).await?;
    let request = body.read()?;
    let changes = request.parse()?;
    if let Some(Some(region)) = &changes.region_code {
        geo::ensure_region(&state.db, "region_code", region).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    // Verification vouches for a name, a kind and a website: an owner who changes any of
    // them sends the organisation back to the admins (and its keys stop working meanwhile).
    // Decided on the row as it is under the lock: read before, an admin's verification
    // committed in between would vouch for a name it never saw.
    let org = lock(&txn, id).await?;
    let identity_changed = changes.name.as_ref().is_some_and(|n| *n != org.name)
        || changes.kind.is_some_and(|k| k.as_str() != org.kind)
        || changes.website.as_ref().is_some_and(|w| *w != org.website);
    let withdraw = identity_changed && caller.role() != Role::Admin && org.verified_at.is_some();
    let mut active: organization::ActiveModel = org.into();
    if withdraw {
        active.verified_at = Set(None);
        active.verified_by = Set(None);
    }
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        active.kind = Set(kind.as_str().to_owned());
    }
    if let Some(city) = changes.city {
        active.city = Set(city);
    }
    if let Some(region) = changes.region_code {
        active.region_code = Set(region);
    }
    if let Some(website) = changes.website {
        active.website = Set(website);
    }
    if let Some(description) = changes.description {
        active.description = Set(description);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    if withdraw {
        super::offers::follow_verification(&txn, id, false, Utc::now()).await?;
    }
    audit::record(
        &txn,
        actor(caller),
        "organization.update",
        "organization",
        id,
        json!({"changes": request, "verification_withdrawn": withdraw}),
    )
    .await?;
    txn.commit().await?;
    if withdraw {
        state.offers_written().await;
    }
    Ok(to_view(updated))
}

/// Marks the organisation verified (`true`) or withdraws the verification (`false`), which
/// also stops its API keys from working.
pub async fn set_verified(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    verified: bool,
) -> ApiResult<OrganizationView> {
    caller.require(&[Role::Admin])?;
    let txn = crate::db::begin_write(&state.db).await?;
    // What is verified is the row as it stands under the lock, and the audit row names it.
    let org = lock(&txn, id).await?;
    let vouched = json!({"name": org.name, "kind": org.kind, "website": org.website});
    let mut active: organization::ActiveModel = org.into();
    let now = Utc::now();
    active.verified_at = Set(verified.then_some(now));
    active.verified_by = Set(verified.then_some(caller.id()));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    // Its offers follow: out of moderation once verified, back into it when no longer.
    super::offers::follow_verification(&txn, id, verified, now).await?;
    let action = if verified {
        "organization.verify"
    } else {
        "organization.unverify"
    };
    audit::record(&txn, actor(caller), action, "organization", id, vouched).await?;
    txn.commit().await?;
    state.offers_written().await;
    Ok(to_view(updated))
}

pub async fn members(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<Vec<MemberView>> {
    load_as_user(state, caller, id, Access::Read).await?;
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(id))
        .order_by_asc(membership::Column::CreatedAt)
        .limit(500)
        .all(&state.db)
        .await?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let u = users.iter().find(|u| u.id == m.user_id)?;
            Some(MemberView {
                user_id: u.id,
                email: u.email.clone(),
                first_name: u.first_name.clone(),
                last_name: u.last_name.clone(),
                role: MembershipRole::parse(&m.role).unwrap_or(MembershipRole::Member),
                joined_at: m.created_at,
            })
        })
        .collect())
}

/// Removes a member. The last owner cannot leave: someone must be able to manage the keys.
pub async fn remove_member(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    user_id: i64,
) -> ApiResult<()> {
    load_as_user(state, caller, id, Access::Manage).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    // Two owners removing each other at once must leave one: the organisation's row is locked
    // first, and the owners are counted after.
    lock(&txn, id).await?;
    let target = membership::Entity::find_by_id((id, user_id))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if target.role == MembershipRole::Owner.as_str() {
        let owners = membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(id))
            .filter(membership::Column::Role.eq(MembershipRole::Owner.as_str()))
            .count(&txn)
            .await?;
        if owners <= 1 {
            return Err(ApiError::Conflict {
                field: None,
                code: codes::MEMBER_LAST_OWNER,
                message: "the last owner cannot be removed; make another member owner first".into(),
            });
        }
    }
    membership::Entity::delete_by_id((id, user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor(caller),
        "organization.member.remove",
        "organization",
        id,
        json!({"user_id": user_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn api_keys(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<Vec<ApiKeyView>> {
    load_as_user(state, caller, id, Access::Manage).await?;
    Ok(api_key::Entity::find()
        .filter(api_key::Column::OrganizationId.eq(id))
        .order_by_asc(api_key::Column::Id)
        .limit(500)
        .all(&state.db)
        .await?
        .into_iter()
        .map(key_view)
        .collect())
}

pub async fn create_api_key(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<CreateApiKeyRequest>,
) -> ApiResult<CreatedApiKey> {
    let org = load_as_user(state, caller, id, Access::Manage).await?;
    let (name, scopes, expires_at) = body.read()?.parse(Utc::now())?;
    if org.verified_at.is_none() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::ORGANIZATION_UNVERIFIED,
            message: "an admin must verify the organisation before it can hold API keys".into(),
        });
    }
    let generated = api_keys::generate();
    let txn = crate::db::begin_write(&state.db).await?;
    let created = api_key::ActiveModel {
        id: NotSet,
        organization_id: Set(id),
        name: Set(name),
        prefix: Set(generated.prefix),
        key_hash: Set(generated.hash),
        scopes: Set(scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        created_by: Set(Some(caller.id())),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(expires_at),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor(caller),
        "api_key.create",
        "api_key",
        created.id,
        json!({"organization_id": id, "scopes": scopes}),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedApiKey {
        key: key_view(created),
        secret: generated.secret,
    })
}

/// Revokes a key for good; revoking twice is harmless.
pub async fn revoke_api_key(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    key_id: i64,
) -> ApiResult<ApiKeyView> {
    load_as_user(state, caller, id, Access::Manage).await?;
    let key = api_key::Entity::find_by_id(key_id)
        .filter(api_key::Column::OrganizationId.eq(id))
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if key.revoked_at.is_some() {
        return Ok(key_view(key));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active: api_key::ActiveModel = key.into();
    active.revoked_at = Set(Some(Utc::now()));
    let revoked = active.update(&txn).await?;
    audit::record(
        &txn,
        actor(caller),
        "api_key.revoke",
        "api_key",
        key_id,
        json!({"organization_id": id}),
    )
    .await?;
    txn.commit().await?;
    Ok(key_view(revoked))
}
