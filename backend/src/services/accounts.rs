//! Accounts and sessions: registration, login, refresh-token rotation, logout, passwords,
//! one's own profile.

use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, NotSet, QueryFilter, sea_query::Expr,
};
use shared::codes;
use shared::dto::auth::{NewAccount, Profile};
use shared::dto::users::{NewUser, UpdateProfileRequest, UserView};
use shared::{EducationLevel, Locale, Password, Role, Sex};

use crate::auth::passwords::Hasher;
use crate::auth::tokens::{REFRESH_TTL_DAYS, random_token, sha256_hex};
use crate::entities::{refresh_token, user};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::state::AppState;

/// The year used to bound birth years.
pub fn current_year() -> i32 {
    Utc::now().year()
}

pub fn to_view(user: user::Model) -> UserView {
    UserView {
        id: user.id,
        role: Role::parse(&user.role).unwrap_or(Role::Youth),
        locale: Locale::parse(&user.locale).unwrap_or_default(),
        sex: user.sex.as_deref().and_then(|s| Sex::parse(s).ok()),
        education_level: user
            .education_level
            .as_deref()
            .and_then(|s| EducationLevel::parse(s).ok()),
        email: user.email,
        center_id: user.center_id,
        first_name: user.first_name,
        last_name: user.last_name,
        birth_year: user.birth_year,
        city: user.city,
        field_of_study: user.field_of_study,
        phone: user.phone,
        is_active: user.is_active,
        created_at: user.created_at,
        email_verified_at: user.email_verified_at,
        unread_notices: None,
    }
}

fn profile_of(user: &user::Model) -> Profile {
    let view = to_view(user.clone());
    Profile {
        first_name: view.first_name,
        last_name: view.last_name,
        locale: view.locale,
        birth_year: view.birth_year,
        sex: view.sex,
        city: view.city,
        education_level: view.education_level,
        field_of_study: view.field_of_study,
        phone: view.phone,
    }
}

fn set_profile(active: &mut user::ActiveModel, profile: Profile) {
    active.first_name = Set(profile.first_name);
    active.last_name = Set(profile.last_name);
    active.locale = Set(profile.locale.as_str().to_owned());
    active.birth_year = Set(profile.birth_year);
    active.sex = Set(profile.sex.map(|s| s.as_str().to_owned()));
    active.city = Set(profile.city);
    active.education_level = Set(profile.education_level.map(|e| e.as_str().to_owned()));
    active.field_of_study = Set(profile.field_of_study);
    active.phone = Set(profile.phone);
}

/// Inserts a user; a taken e-mail is a 409 on `email`, even when two requests race.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    hasher: &Hasher,
    account: NewUser,
) -> ApiResult<user::Model> {
    let hash = hasher.hash(account.password.expose().to_owned()).await?;
    let now = Utc::now();
    let mut active = user::ActiveModel {
        id: NotSet,
        email: Set(account.email.as_str().to_owned()),
        password_hash: Set(hash),
        role: Set(account.role.as_str().to_owned()),
        center_id: Set(account.center_id),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        unread_notices: Set(0),
        ..Default::default()
    };
    set_profile(&mut active, account.profile);
    active.insert(db).await.on_unique_violation(
        "email",
        codes::EMAIL_TAKEN,
        "an account already uses this e-mail address",
    )
}

/// Self-registration, throttled per client address (the answer says whether an address is
/// taken, so it is held to a budget like login). The verification link leaves by mail.
pub async fn register(
    state: &AppState,
    client: std::net::IpAddr,
    account: NewAccount,
) -> ApiResult<user::Model> {
    state.throttles.register_by_ip.check(&client.to_string())?;
    let exists = user::Entity::find()
        .filter(user::Column::Email.eq(account.email.as_str()))
        .one(&state.db)
        .await?
        .is_some();
    if exists {
        return Err(ApiError::conflict(
            "email",
            codes::EMAIL_TAKEN,
            "an account already uses this e-mail address",
        ));
    }
    let user = insert_user(
        &state.db,
        &state.hasher,
        NewUser {
            email: account.email,
            password: account.password,
            role: account.role,
            center_id: None,
            profile: account.profile,
        },
    )
    .await?;
    super::account_tokens::welcome(state, &user).await?;
    Ok(user)
}

/// How long after its use a refresh token may come back without being taken for a stolen one.
pub const REUSE_GRACE_SECONDS: i64 = 30;

/// A new access token and refresh token.
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// Starts a session, or continues `family` after a rotation.
async fn issue_session(
    state: &AppState,
    db: &impl ConnectionTrait,
    user_id: i64,
    continued: Option<(String, DateTime<Utc>)>,
) -> ApiResult<Session> {
    let refresh = random_token();
    let now = Utc::now();
    let (family, started) = continued.unwrap_or_else(|| (random_token(), now));
    // A refresh token lives its own days, and never past the session's absolute end.
    let expires =
        (now + Duration::days(REFRESH_TTL_DAYS)).min(started + state.settings.session_lifetime);
    refresh_token::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        family: Set(family),
        token_hash: Set(sha256_hex(&refresh)),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
        revoked_at: Set(None),
        session_started_at: Set(Some(started)),
    }
    .insert(db)
    .await?;
    Ok(Session {
        access_token: state.jwt.issue(user_id)?,
        refresh_token: refresh,
        expires_in: state.jwt.ttl,
    })
}

/// Checks an e-mail and password. Unknown e-mail, wrong password and deactivated account get
/// the same answer and take the same time, so the endpoint does not reveal who has an account.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: std::net::IpAddr,
) -> ApiResult<(user::Model, Session)> {
    state.throttles.login_by_ip.check(&client.to_string())?;
    state
        .throttles
        .login_by_email
        .check(&email.trim().to_lowercase())?;
    // Looked up as stored (trimmed, lower case), not re-validated: an address accepted by an
    // older rule still signs in.
    let address = email.trim().to_lowercase();
    let found = if address.is_empty() {
        None
    } else {
        user::Entity::find()
            .filter(user::Column::Email.eq(address.as_str()))
            .one(&state.db)
            .await?
    };
    let stored = match &found {
        Some(user) => user.password_hash.clone(),
        None => state.hasher.dummy_hash().await?,
    };
    let matches = state.hasher.verify(password.to_owned(), stored).await?;
    match found {
        Some(user) if matches && user.is_active => {
            let session = issue_session(state, &state.db, user.id, None).await?;
            Ok((user, session))
        }
        _ => Err(ApiError::Unauthorized(
            "the e-mail or the password is wrong",
        )),
    }
}

/// Revokes every live token of a family.
async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every session of a user (password change, deactivation).
pub async fn revoke_all_sessions(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Rotates a refresh token: the presented one is spent, a new one of the same family is
/// issued. Presenting a spent token means it was copied: the whole family is revoked, so
/// the thief and the victim are both logged out and the victim logs in again.
pub async fn refresh(state: &AppState, presented: &str) -> ApiResult<Session> {
    let invalid = || ApiError::Unauthorized("the refresh token is invalid, expired or revoked");
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(presented)))
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    let started = token.session_started_at.unwrap_or(token.created_at);
    // The absolute end is checked as well as the token's own: the lifetime may have been
    // shortened since the token was issued.
    let ended = started + state.settings.session_lifetime < Utc::now();
    if token.revoked_at.is_some() || token.expires_at < Utc::now() || ended {
        return Err(invalid());
    }
    if let Some(used_at) = token.used_at {
        // Two tabs restoring at once, or a retry after a lost answer, present a token spent
        // seconds ago: refuse it without ending the session the first use continued. Later
        // reuse means the token was copied: the whole family is revoked.
        if Utc::now() - used_at > Duration::seconds(REUSE_GRACE_SECONDS) {
            tracing::warn!(
                user_id = token.user_id,
                "spent refresh token presented again; revoking its family"
            );
            revoke_family(&state.db, &token.family).await?;
        }
        return Err(invalid());
    }
    let active = user::Entity::find_by_id(token.user_id)
        .one(&state.db)
        .await?
        .is_some_and(|u| u.is_active);
    if !active {
        return Err(invalid());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    // The `used_at IS NULL` guard makes two concurrent refreshes with one token (two tabs, two
    // instances) yield one winner; the loser is refused, inside the reuse grace.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Err(invalid());
    }
    let session = issue_session(state, &txn, token.user_id, Some((token.family, started))).await?;
    txn.commit().await?;
    Ok(session)
}

/// Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out
/// twice is not an error.
pub async fn logout(state: &AppState, presented: &str) -> ApiResult<()> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(presented)))
        .one(&state.db)
        .await?;
    if let Some(token) = token {
        revoke_family(&state.db, &token.family).await?;
    }
    Ok(())
}

/// Changes the password after checking the current one (throttled per account, since it is a
/// guess at the password too), closes every session, and opens a new one for the device that
/// made the change.
pub async fn change_password(
    state: &AppState,
    user: user::Model,
    current: &str,
    new: Password,
) -> ApiResult<Session> {
    state
        .throttles
        .password_by_account
        .check(&user.id.to_string())?;
    // The password as it stands, not as the request's (possibly remembered) account had it.
    let user = user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::Unauthorized("this account is no longer active"))?;
    if !state
        .hasher
        .verify(current.to_owned(), user.password_hash.clone())
        .await?
    {
        return Err(ApiError::field(
            "current_password",
            codes::PASSWORD_WRONG,
            "is not your current password",
        ));
    }
    let hash = state.hasher.hash(new.expose().to_owned()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let user_id = user.id;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    revoke_all_sessions(&txn, user_id).await?;
    let session = issue_session(state, &txn, user_id, None).await?;
    txn.commit().await?;
    Ok(session)
}

/// Applies a profile change to one's own account.
///
/// The change applies to the account as it stands, read under lock, not to the copy the request
/// was authorised with (which may be a few seconds old, see `auth::AccountCache`): a field one
/// request leaves alone is never written back from an older reading.
pub async fn update_profile(
    db: &DatabaseConnection,
    user: user::Model,
    changes: &UpdateProfileRequest,
) -> ApiResult<user::Model> {
    let txn = crate::db::begin_write(db).await?;
    let current = lock(&txn, user.id).await?;
    let profile = changes.apply(&profile_of(&current), current_year())?;
    let mut active: user::ActiveModel = current.into();
    set_profile(&mut active, profile);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Locks an account's row for the rest of `txn` and reads it as it stands (a no-op write:
/// PostgreSQL then holds the row lock, SQLite its write lock from `BEGIN IMMEDIATE`).
async fn lock(txn: &DatabaseTransaction, id: i64) -> ApiResult<user::Model> {
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
        .filter(user::Column::Id.eq(id))
        .exec(txn)
        .await?;
    user::Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::Unauthorized("this account is no longer active"))
}
