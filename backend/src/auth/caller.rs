//! Extractors for the caller of a route.
//!
//! The access token only says *who*; the user row is read on every request so that a
//! deactivation or a role change takes effect at once, not when the token expires.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use shared::{ApiScope, Role};

use super::api_keys;
use crate::entities::{api_key, organization, user};
use crate::error::ApiError;
use crate::state::AppState;

/// Header carrying a partner API key.
pub const API_KEY_HEADER: &str = "X-API-Key";

/// A signed-in, active user (Bearer access token).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub user::Model);

impl CurrentUser {
    pub fn id(&self) -> i64 {
        self.0.id
    }

    pub fn role(&self) -> Role {
        Role::parse(&self.0.role).unwrap_or(Role::Youth)
    }

    /// `Forbidden` unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// A partner system calling with an API key of a verified organisation.
#[derive(Debug, Clone)]
pub struct ApiKeyCaller {
    pub key_id: i64,
    pub organization_id: i64,
    pub scopes: Vec<ApiScope>,
}

impl ApiKeyCaller {
    pub fn require(&self, scope: ApiScope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope {
                scope: Some(scope.as_str()),
            })
        }
    }
}

/// Either kind of caller, for the routes open to both people and partner systems.
#[derive(Debug, Clone)]
pub enum Caller {
    User(Box<CurrentUser>),
    ApiKey(ApiKeyCaller),
}

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

fn state(req: &HttpRequest) -> web::Data<AppState> {
    req.app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
        .clone()
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn api_key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The accounts behind recent access tokens, so that a signed-in *read* need not read its
/// account again. Requests that may write (any method but GET and HEAD) always read the account
/// as it stands, so a role or an activation is never taken from memory to authorise a change.
/// Entries live `ACCOUNT_CACHE_SECONDS` at most, and every request that may have written and was
/// not refused with a 4xx empties the cache once answered: a change made through this instance
/// shows in its next read; another instance shows it within the lifetime. Anyone's successful
/// write empties it, so a stranger can at most make it useless, never wrong.
pub struct AccountCache {
    cache: Option<moka::sync::Cache<i64, user::Model>>,
    /// Counts the emptyings: a reading that began before one is not remembered, so an account
    /// read just before a change cannot outlive the emptying that followed the change.
    generation: std::sync::atomic::AtomicU64,
}

impl AccountCache {
    pub fn new(lifetime: std::time::Duration) -> Self {
        Self {
            cache: (!lifetime.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(lifetime)
                    .build()
            }),
            generation: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Forgets every account: after any request that may have changed one.
    pub fn clear(&self) {
        if let Some(cache) = &self.cache {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            cache.invalidate_all();
        }
    }

    async fn get(
        &self,
        db: &sea_orm::DatabaseConnection,
        id: i64,
        remembered: bool,
    ) -> Result<Option<user::Model>, ApiError> {
        let Some(cache) = self.cache.as_ref().filter(|_| remembered) else {
            return Ok(user::Entity::find_by_id(id).one(db).await?);
        };
        if let Some(found) = cache.get(&id) {
            return Ok(Some(found));
        }
        let before = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let found = user::Entity::find_by_id(id).one(db).await?;
        if let Some(account) = &found {
            cache.insert(id, account.clone());
            // Emptied meanwhile: what was read may predate the change; do not keep it.
            if self.generation.load(std::sync::atomic::Ordering::SeqCst) != before {
                cache.invalidate(&id);
            }
        }
        Ok(found)
    }
}

/// Empties the account cache after every request that may have changed data, once it is
/// answered (its transaction committed). Refusals (4xx) wrote nothing and keep it.
pub async fn forget_accounts_after_writes(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let writes = !only_reads(req.request());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    if writes
        && !response.status().is_client_error()
        && let Some(state) = state
    {
        state.accounts.clear();
    }
    Ok(response)
}

/// Whether a request only reads, and so may be answered from a remembered account.
fn only_reads(req: &HttpRequest) -> bool {
    matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    )
}

async fn user_from_token(
    state: &AppState,
    token: &str,
    remembered: bool,
) -> Result<CurrentUser, ApiError> {
    let id = state.jwt.verify(token).ok_or(ApiError::Unauthorized(
        "the access token is invalid or expired",
    ))?;
    let found = state.accounts.get(&state.db, id, remembered).await?;
    match found {
        Some(user) if user.is_active => Ok(CurrentUser(user)),
        _ => Err(ApiError::Unauthorized("this account is no longer active")),
    }
}

/// Marks a key used at most once a minute, so a busy integration does not turn every read
/// into a write.
async fn touch_key(state: &AppState, key: api_key::Model) -> Result<(), ApiError> {
    let now = Utc::now();
    let stale = key
        .last_used_at
        .is_none_or(|t| (now - t).num_seconds() >= 60);
    if stale {
        let mut active: api_key::ActiveModel = key.into();
        active.last_used_at = Set(Some(now));
        active.update(&state.db).await?;
    }
    Ok(())
}

async fn key_from_header(state: &AppState, presented: &str) -> Result<ApiKeyCaller, ApiError> {
    let invalid = ApiError::Unauthorized("the API key is invalid, expired or revoked");
    let prefix = api_keys::prefix_of(presented).ok_or(invalid)?;
    let key = api_key::Entity::find()
        .filter(api_key::Column::Prefix.eq(prefix))
        .one(&state.db)
        .await?
        .filter(|k| {
            k.revoked_at.is_none()
                && k.expires_at.is_none_or(|at| at > Utc::now())
                && api_keys::hashes_match(presented, &k.key_hash)
        })
        .ok_or(ApiError::Unauthorized(
            "the API key is invalid, expired or revoked",
        ))?;
    let verified = organization::Entity::find_by_id(key.organization_id)
        .one(&state.db)
        .await?
        .is_some_and(|o| o.verified_at.is_some());
    if !verified {
        return Err(ApiError::Unauthorized(
            "the organisation of this API key is not verified",
        ));
    }
    let caller = ApiKeyCaller {
        key_id: key.id,
        organization_id: key.organization_id,
        scopes: key
            .scopes
            .split(' ')
            .filter_map(|s| ApiScope::parse(s).ok())
            .collect(),
    };
    touch_key(state, key).await?;
    Ok(caller)
}

/// Who is calling, checked exactly as the extractors check it: a live account behind a
/// valid access token, or a working key of a verified organisation. Anyone else, including a
/// well-formed but unknown key, is `None`. The idempotency layer keys its rows on this, so a
/// stranger can neither fill the table nor pre-empt someone else's keys.
pub async fn verified_principal(req: &HttpRequest) -> Option<String> {
    let state = state(req);
    if let Some(token) = bearer(req) {
        let user = user_from_token(&state, &token, only_reads(req))
            .await
            .ok()?;
        return Some(format!("user:{}", user.0.id));
    }
    let key = key_from_header(&state, &api_key(req)?).await.ok()?;
    Some(format!("key:{}", key.key_id))
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state(req);
        let token = bearer(req);
        let key = api_key(req);
        let remembered = only_reads(req);
        Box::pin(async move {
            match (token, key) {
                (Some(token), _) => user_from_token(&state, &token, remembered).await,
                // A working key on a route for people: the key is fine, its reach is not.
                (None, Some(key)) => {
                    key_from_header(&state, &key).await?;
                    Err(ApiError::InsufficientScope { scope: None })
                }
                (None, None) => Err(ApiError::Unauthorized(
                    "send an access token as `Authorization: Bearer …`",
                )),
            }
        })
    }
}

/// Whoever reads a public resource: nobody (no credentials sent), or a caller checked like
/// [`Caller`]. Credentials sent and refused are a 401, not a silent "nobody", so a client
/// whose access token expired learns it and refreshes instead of seeing less.
#[derive(Debug, Clone)]
pub struct Visitor(pub Option<Caller>);

impl FromRequest for Visitor {
    type Error = ApiError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if bearer(req).is_none() && api_key(req).is_none() {
            return Box::pin(async { Ok(Visitor(None)) });
        }
        let caller = Caller::from_request(req, payload);
        Box::pin(async move { caller.await.map(|c| Visitor(Some(c))) })
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state(req);
        let token = bearer(req);
        let key = api_key(req);
        let remembered = only_reads(req);
        Box::pin(async move {
            match (token, key) {
                (Some(token), _) => user_from_token(&state, &token, remembered)
                    .await
                    .map(|user| Caller::User(Box::new(user))),
                (None, Some(key)) => key_from_header(&state, &key).await.map(Caller::ApiKey),
                (None, None) => Err(ApiError::Unauthorized(
                    "send an access token (`Authorization: Bearer …`) or an API key (`X-API-Key`)",
                )),
            }
        })
    }
}
