//! User management by admins and counselors.
//!
//! Ownership, not only role: a counselor sees and creates youths of their own center only.
//! A user the caller may not see answers 404, so ids cannot be probed for existence.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde_json::json;
use shared::Role;
use shared::codes;
use shared::dto::Page;
use shared::dto::users::{AdminUpdateUserRequest, CreateUserRequest, UserListQuery, UserView};

use super::accounts::{current_year, insert_user, revoke_all_sessions, to_view};
use super::audit::{self, Actor};
use super::pagination;
use super::search::words_in;
use crate::auth::CurrentUser;
use crate::entities::{center, user};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Youths of the counselor's center, or anyone for an admin.
fn visible_to(caller: &CurrentUser) -> ApiResult<Condition> {
    match caller.role() {
        Role::Admin => Ok(Condition::all()),
        Role::Counselor => {
            let center = caller.0.center_id.ok_or(ApiError::Forbidden)?;
            Ok(Condition::all()
                .add(user::Column::CenterId.eq(center))
                .add(user::Column::Role.eq(Role::Youth.as_str())))
        }
        _ => Err(ApiError::Forbidden),
    }
}

pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    query: &UserListQuery,
) -> ApiResult<Page<UserView>> {
    let mut filter = visible_to(caller)?;
    if let Some(role) = query.role {
        filter = filter.add(user::Column::Role.eq(role.as_str()));
    }
    if let Some(center) = query.center_id {
        filter = filter.add(user::Column::CenterId.eq(center));
    }
    if let Some(active) = query.is_active {
        filter = filter.add(user::Column::IsActive.eq(active));
    }
    if let Some(words) = query
        .q
        .as_deref()
        .and_then(|q| words_in(user::Column::SearchText, q))
    {
        filter = filter.add(words);
    }
    if let Some(after) = pagination::decode(query.cursor.as_deref())? {
        filter = filter.add(user::Column::Id.gt(after));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = user::Entity::find()
        .filter(filter)
        .order_by_asc(user::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    Ok(pagination::page(rows, limit, |u| u.id, to_view))
}

pub async fn get(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(visible_to(caller)?)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn ensure_center(state: &AppState, field: &str, center_id: i64) -> ApiResult<()> {
    match center::Entity::find_by_id(center_id).one(&state.db).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::field(
            field,
            codes::CENTER_UNKNOWN,
            "no center has this id",
        )),
    }
}

pub async fn create(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<CreateUserRequest>,
) -> ApiResult<user::Model> {
    caller.require(&[Role::Admin, Role::Counselor])?;
    let mut account = body.read()?.parse(current_year())?;
    match caller.role() {
        Role::Admin => {}
        Role::Counselor => {
            let own = caller.0.center_id.ok_or(ApiError::Forbidden)?;
            if account.role != Role::Youth {
                return Err(ApiError::field(
                    "role",
                    codes::ROLE_COUNSELOR_CREATES_YOUTHS,
                    "counselors create youth accounts only",
                ));
            }
            if account.center_id.is_some_and(|c| c != own) {
                return Err(ApiError::Forbidden);
            }
            account.center_id = Some(own);
        }
        _ => return Err(ApiError::Forbidden),
    }
    if let Some(center_id) = account.center_id {
        ensure_center(state, "center_id", center_id).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let created = insert_user(&txn, &state.hasher, account).await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "user.create",
        "user",
        created.id,
        json!({"role": created.role, "center_id": created.center_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn update(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<AdminUpdateUserRequest>,
) -> ApiResult<user::Model> {
    caller.require(&[Role::Admin])?;
    let changes = &body.read()?;
    let target = user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if id == caller.id()
        && (changes.is_active == Some(false) || changes.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(ApiError::conflict(
            "role",
            codes::USER_SELF_LOCKOUT,
            "an admin cannot demote or deactivate their own account",
        ));
    }
    let role = changes
        .role
        .unwrap_or_else(|| Role::parse(&target.role).unwrap_or(Role::Youth));
    let center_id = changes.center_id.unwrap_or(target.center_id);
    if let Some(center_id) = center_id.filter(|_| changes.center_id.is_some()) {
        ensure_center(state, "center_id", center_id).await?;
    }
    if role == Role::Counselor && center_id.is_none() {
        return Err(ApiError::field(
            "center_id",
            codes::COUNSELOR_CENTER_REQUIRED,
            "a counselor must belong to a center",
        ));
    }
    let deactivating = changes.is_active == Some(false) && target.is_active;
    // A counselor who leaves her center (moved, no longer a counselor, or closed) no longer
    // meets its youths: her slots to come are withdrawn, and those who booked them told.
    let leaves_center = target.role == Role::Counselor.as_str()
        && (role != Role::Counselor || center_id != target.center_id || deactivating);
    let was_admin = target.role == Role::Admin.as_str() && target.is_active;
    let stays_admin = role == Role::Admin && changes.is_active != Some(false);
    let txn = crate::db::begin_write(&state.db).await?;
    if was_admin && !stays_admin {
        // The platform keeps an active admin: every active admin's row is locked first (a
        // write, so two admins demoting each other at once are serialised on PostgreSQL and
        // SQLite alike), then the others are counted.
        let admins = || {
            Condition::all()
                .add(user::Column::Role.eq(Role::Admin.as_str()))
                .add(user::Column::IsActive.eq(true))
        };
        user::Entity::update_many()
            .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
            .filter(admins())
            .exec(&txn)
            .await?;
        let others = user::Entity::find()
            .filter(admins())
            .filter(user::Column::Id.ne(id))
            .count(&txn)
            .await?;
        if others == 0 {
            return Err(ApiError::Conflict {
                field: Some("role"),
                code: codes::USER_LAST_ADMIN,
                message: "the platform must keep an active admin; make another one first".into(),
            });
        }
    }
    let mut active: user::ActiveModel = target.into();
    active.role = Set(role.as_str().to_owned());
    active.center_id = Set(center_id);
    if let Some(is_active) = changes.is_active {
        active.is_active = Set(is_active);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    if deactivating {
        revoke_all_sessions(&txn, id).await?;
    }
    let released = if leaves_center {
        super::appointments::release(&txn, id).await?
    } else {
        Vec::new()
    };
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "user.update",
        "user",
        id,
        json!({"role": changes.role, "center_id": changes.center_id, "is_active": changes.is_active, "bookings_cancelled": released.len()}),
    )
    .await?;
    txn.commit().await?;
    super::appointments::tell_released(state, &released).await;
    Ok(updated)
}
