//! `Idempotency-Key` on POSTs: a retried request gets the first answer, not a second write.
//!
//! Partners retry after timeouts; without this, a retry that follows a write whose answer was
//! lost creates the thing twice. Keys are scoped to the caller (a person or an API key, checked
//! as the handlers check them: an unknown or revoked caller stores nothing), kept
//! for 24 hours, and bound to the request: the same key with another path or body is refused.
//! Answers of 5xx are not kept, so the retry really runs again; nor are answers marked
//! `Cache-Control: no-store` (tokens, a new API key's secret): secrets are never stored in clear.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError, web};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter};
use shared::codes;

use crate::auth::caller;
use crate::auth::tokens::sha256_hex;
use crate::entities::idempotency_key;
use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";
/// How long an answer is replayed.
const RETENTION_HOURS: i64 = 24;
/// A claim still unanswered after this long belongs to a request that died (a restart, a
/// crash): the next retry may take it over.
const ABANDONED_SECONDS: i64 = 60;

/// The answer to a retry that arrives while the first request is still running.
fn in_progress() -> ApiError {
    ApiError::Conflict {
        field: None,
        code: codes::IDEMPOTENCY_IN_PROGRESS,
        message: "the first request with this key is still being processed".into(),
    }
}

fn refuse(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

fn replay(req: ServiceRequest, stored: idempotency_key::Model) -> ServiceResponse<BoxBody> {
    let status = u16::try_from(stored.status_code.unwrap_or(200))
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header(("Idempotent-Replayed", "true"));
    if let Some(content_type) = stored.content_type {
        response.insert_header((header::CONTENT_TYPE, content_type));
    }
    req.into_response(response.body(stored.response_body.unwrap_or_default()))
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), Some(state)) = (key, state) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if req.method() != actix_web::http::Method::POST {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(principal) = caller::verified_principal(req.request()).await else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key {
        Ok(key) if (1..=255).contains(&key.len()) => key,
        _ => {
            let error = ApiError::BadRequest(format!(
                "{HEADER} must be 1 to 255 visible ASCII characters"
            ));
            return Ok(refuse(req, error));
        }
    };

    // Read under the largest limit a route accepts (a batch's): the route's own extractor
    // holds it to its own limit afterwards.
    let limit = state.settings.batch_limit.max(state.settings.json_limit);
    let mut payload = actix_web::HttpMessage::take_payload(&mut req);
    let mut read = web::BytesMut::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
        let chunk = chunk?;
        if read.len() + chunk.len() > limit {
            return Ok(refuse(req, ApiError::PayloadTooLarge));
        }
        read.extend_from_slice(&chunk);
    }
    let body = read.freeze();
    req.set_payload(actix_web::dev::Payload::from(body.clone()));
    let fingerprint = sha256_hex(&format!(
        "{} {}\n{}",
        req.method(),
        req.path(),
        String::from_utf8_lossy(&body)
    ));

    let existing = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Principal.eq(&principal))
        .filter(idempotency_key::Column::Key.eq(&key))
        .one(&state.db)
        .await
        .map_err(ApiError::from)?;
    if let Some(stored) = existing {
        let age = Utc::now() - stored.created_at;
        let abandoned = stored.status_code.is_none() && age > Duration::seconds(ABANDONED_SECONDS);
        if age < Duration::hours(RETENTION_HOURS) && !abandoned {
            if stored.request_hash != fingerprint {
                return Ok(refuse(
                    req,
                    ApiError::Conflict {
                        field: None,
                        code: codes::IDEMPOTENCY_KEY_REUSED,
                        message: format!("this {HEADER} was used for a different request"),
                    },
                ));
            }
            if stored.status_code.is_none() {
                return Ok(refuse(req, in_progress()));
            }
            return Ok(replay(req, stored));
        }
        idempotency_key::Entity::delete_by_id(stored.id)
            .exec(&state.db)
            .await
            .map_err(ApiError::from)?;
    }

    // Claim the key first: of two identical requests racing, the unique index lets one through.
    let claimed = idempotency_key::ActiveModel {
        id: NotSet,
        principal: Set(principal),
        key: Set(key),
        method: Set(req.method().to_string()),
        path: Set(req.path().chars().take(500).collect()),
        request_hash: Set(fingerprint),
        status_code: Set(None),
        content_type: Set(None),
        response_body: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await;
    let claimed = match claimed {
        Ok(row) => row,
        Err(_) => {
            return Ok(refuse(req, in_progress()));
        }
    };

    let response = match next.call(req).await {
        Ok(response) => response,
        Err(error) => {
            release(&state, claimed.id).await;
            return Err(error);
        }
    };
    let (req, response) = response.into_parts();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (head, body) = response.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(error) => {
            release(&state, claimed.id).await;
            let error = anyhow::anyhow!("reading the response: {}", error.into());
            return Err(ApiError::Internal(error).into());
        }
    };
    let secret = head
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if status.is_server_error() || secret {
        release(&state, claimed.id).await;
    } else {
        let id = claimed.id;
        let mut done: idempotency_key::ActiveModel = claimed.into();
        done.status_code = Set(Some(i32::from(status.as_u16())));
        done.content_type = Set(content_type);
        done.response_body = Set(Some(String::from_utf8_lossy(&bytes).into_owned()));
        if let Err(error) = done.update(&state.db).await {
            // The write itself went through: answer it, and let a retry run again.
            tracing::error!(%error, "storing an idempotent answer failed");
            release(&state, id).await;
        }
    }
    Ok(ServiceResponse::new(
        req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

/// Gives a claimed key back, so that a retry runs again.
async fn release(state: &AppState, claim: i64) {
    if let Err(error) = idempotency_key::Entity::delete_by_id(claim)
        .exec(&state.db)
        .await
    {
        tracing::error!(%error, "releasing an idempotency key failed");
    }
}
