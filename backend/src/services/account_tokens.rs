//! Single-use tokens sent by e-mail: proving an address is one's own, and choosing a new
//! password when the old one is forgotten.
//!
//! Nothing here tells a caller whether an address has an account: a reset request answers the
//! same either way and does its work in the background, and both doors are throttled per
//! address and per client address before anything is looked up. Tokens carry 256 random bits,
//! are stored as SHA-256, work once (claimed with a guarded update, so two clicks race to one
//! winner) and expire: 48 hours for a verification, 30 minutes for a reset.

use shared::codes;
use std::net::IpAddr;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, NotSet, QueryFilter, sea_query::Expr,
};
use shared::{Email, Locale, Password};

use super::accounts::revoke_all_sessions;
use super::audit::{self, Actor};
use crate::auth::tokens::{random_token, sha256_hex};
use crate::entities::{account_token, user};
use crate::error::{ApiError, ApiResult};
use crate::mail::{Mail, Mailer};
use crate::state::AppState;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(48),
            Purpose::ResetPassword => Duration::minutes(30),
        }
    }

    /// The web app's page that reads the token.
    fn page(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify-email",
            Purpose::ResetPassword => "reset-password",
        }
    }
}

fn invalid_token() -> ApiError {
    ApiError::field(
        "token",
        codes::TOKEN_INVALID,
        "this link is invalid, already used or expired; ask for a new one",
    )
}

fn locale_of(user: &user::Model) -> Locale {
    Locale::parse(&user.locale).unwrap_or_default()
}

/// Issues a token for `user`, replacing any unused one of the same purpose.
async fn issue(
    db: &impl ConnectionTrait,
    user: &user::Model,
    purpose: Purpose,
) -> ApiResult<String> {
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(user.id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = random_token();
    let now = Utc::now();
    account_token::ActiveModel {
        id: NotSet,
        user_id: Set(user.id),
        purpose: Set(purpose.as_str().to_owned()),
        email: Set(user.email.clone()),
        token_hash: Set(sha256_hex(&token)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Issues a token and mails its link to the user's address.
async fn mail_token(
    db: &impl ConnectionTrait,
    mailer: &Mailer,
    user: &user::Model,
    purpose: Purpose,
) -> ApiResult<()> {
    let token = issue(db, user, purpose).await?;
    let link = mailer.link(purpose.page(), &token);
    let name = user.first_name.clone();
    let mail = match purpose {
        Purpose::VerifyEmail => Mail::VerifyEmail { name, link },
        Purpose::ResetPassword => Mail::ResetPassword { name, link },
    };
    mailer.send(&user.email, locale_of(user), mail);
    Ok(())
}

/// Sends the verification link of a new account.
pub async fn welcome(state: &AppState, user: &user::Model) -> ApiResult<()> {
    mail_token(&state.db, &state.mailer, user, Purpose::VerifyEmail).await
}

/// Sends the signed-in user a new verification link.
pub async fn resend_verification(state: &AppState, user: &user::Model) -> ApiResult<()> {
    if user.email_verified_at.is_some() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::EMAIL_ALREADY_VERIFIED,
            message: "this address is already verified".into(),
        });
    }
    state.throttles.mail_by_address.check(&user.email)?;
    mail_token(&state.db, &state.mailer, user, Purpose::VerifyEmail).await
}

/// Claims an unused, unexpired token of `purpose`: exactly one of two concurrent claims wins.
async fn claim(
    db: &impl ConnectionTrait,
    presented: &str,
    purpose: Purpose,
) -> ApiResult<account_token::Model> {
    let found = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(sha256_hex(presented)))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > Utc::now())
        .ok_or_else(invalid_token)?;
    let claimed = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(account_token::Column::Id.eq(found.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid_token());
    }
    Ok(found)
}

/// Marks `user_id`'s address verified if it is still `email`: a token proves control of the
/// address it was sent to, not of whatever address the account has now.
async fn mark_verified(db: &impl ConnectionTrait, user_id: i64, email: &str) -> ApiResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::EmailVerifiedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Confirms an address with the token of its link. Anyone holding the link may use it: it
/// may be opened on another device than the one signed in.
pub async fn confirm_verification(state: &AppState, client: IpAddr, token: &str) -> ApiResult<()> {
    state.throttles.tokens_by_ip.check(&client.to_string())?;
    let txn = crate::db::begin_write(&state.db).await?;
    let claimed = claim(&txn, token, Purpose::VerifyEmail).await?;
    mark_verified(&txn, claimed.user_id, &claimed.email).await?;
    txn.commit().await?;
    Ok(())
}

/// Asks for a reset link. Throttled per client and per address before anything is looked up,
/// and the lookup, the token and the mail happen after the answer: the caller learns nothing
/// about the address, not even from the time the answer takes.
pub async fn request_reset(state: &AppState, client: IpAddr, email: Email) -> ApiResult<()> {
    state.throttles.mail_by_ip.check(&client.to_string())?;
    state.throttles.mail_by_address.check(email.as_str())?;
    let db = state.db.clone();
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(error) = send_reset(&db, &mailer, &email).await {
            tracing::error!(error = ?error, "a reset link could not be issued");
        }
    });
    Ok(())
}

async fn send_reset(db: &DatabaseConnection, mailer: &Mailer, email: &Email) -> ApiResult<()> {
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    match found {
        Some(user) if user.is_active => mail_token(db, mailer, &user, Purpose::ResetPassword).await,
        _ => Ok(()),
    }
}

/// Sets a new password with the token of a reset link; every session of the account ends, its
/// address counts as verified (the link reached it), and the owner is told by mail.
pub async fn reset_password(
    state: &AppState,
    client: IpAddr,
    token: &str,
    new: Password,
) -> ApiResult<()> {
    state.throttles.tokens_by_ip.check(&client.to_string())?;
    // Hashing costs a slot of the bounded pool: only for a token that exists.
    let exists = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(&state.db)
        .await?
        .is_some_and(|t| t.used_at.is_none() && t.expires_at > Utc::now());
    if !exists {
        return Err(invalid_token());
    }
    let hash = state.hasher.hash(new.expose().to_owned()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let claimed = claim(&txn, token, Purpose::ResetPassword).await?;
    let user = user::Entity::find_by_id(claimed.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(invalid_token)?;
    let mut active: user::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    mark_verified(&txn, user.id, &claimed.email).await?;
    revoke_all_sessions(&txn, user.id).await?;
    audit::record(
        &txn,
        Actor::User(user.id),
        "user.password.reset",
        "user",
        user.id,
        serde_json::Value::Null,
    )
    .await?;
    txn.commit().await?;
    state.mailer.send(
        &user.email,
        locale_of(&user),
        Mail::PasswordChanged {
            name: user.first_name.clone(),
        },
    );
    Ok(())
}
