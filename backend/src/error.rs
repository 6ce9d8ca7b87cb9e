//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//!
//! Each variant's doc says which status it maps to and why. Database and internal errors
//! become a bare 500: their text can carry SQL, paths or secrets, so it goes to the log (inside
//! the request's span, which carries the request id) and never to the client.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};
use shared::codes::Code;
use shared::{FieldError, FieldErrors};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Body of every error response (RFC 9457).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// URI reference naming the kind of problem, relative to the API, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong this time, for a human reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per rejected field, on validation failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422: the body parsed but some fields are unacceptable; each is named in `errors`.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// 400: the body or query could not be read at all (malformed JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: no credentials, or credentials that are wrong, expired or revoked.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// 403: authenticated, but this role or this owner may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: a valid API key that lacks the scope this route needs. Not 401: the key works,
    /// and the partner's developer must see that a scope is missing, not hunt for a typo.
    /// `scope` is the missing scope, or `None` on routes only people may call.
    #[error("insufficient scope")]
    InsufficientScope { scope: Option<&'static str> },
    /// 404: no such resource, or one the caller may not know exists.
    #[error("not found")]
    NotFound,
    /// 409: the request collides with existing state (duplicate e-mail, state that forbids the
    /// change); `field` names the culprit when there is one.
    #[error("conflict: {message}")]
    Conflict {
        field: Option<&'static str>,
        code: Code,
        message: String,
    },
    /// 413: the body exceeds the configured limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415: the body is not JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 429: too many attempts; retry after the given number of seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// 503: the server is saturated (every password-hashing slot busy); retry after the given
    /// number of seconds. Refusing early keeps a burst from exhausting memory.
    #[error("service unavailable")]
    Unavailable { retry_after: u64 },
    /// 500: anything the client cannot fix. Logged, never described.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 about one field.
    pub fn field(field: &str, code: Code, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.push(field, code, message);
        ApiError::Validation(errors)
    }

    pub fn conflict(field: &'static str, code: Code, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            field: Some(field),
            code,
            message: message.into(),
        }
    }

    fn kind_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::Validation(_) => ("validation", "Your request has invalid fields"),
            ApiError::BadRequest(_) => ("bad-request", "The request could not be read"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication is required"),
            ApiError::Forbidden => ("forbidden", "You may not do this"),
            ApiError::InsufficientScope { .. } => (
                "insufficient-scope",
                "Your API key lacks the scope this needs",
            ),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::Conflict { .. } => ("conflict", "This conflicts with existing data"),
            ApiError::PayloadTooLarge => ("payload-too-large", "The request body is too large"),
            ApiError::UnsupportedMediaType => {
                ("unsupported-media-type", "The request body must be JSON")
            }
            ApiError::TooManyRequests { .. } => ("too-many-requests", "Too many attempts"),
            ApiError::Unavailable { .. } => ("unavailable", "The server is busy"),
            ApiError::Internal(_) => ("internal", "Something went wrong on our side"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind_and_title();
        let (detail, errors) = match self {
            ApiError::Validation(errors) => (None, Some(errors.0.clone())),
            ApiError::BadRequest(detail) => (Some(detail.clone()), None),
            ApiError::Unauthorized(detail) => (Some((*detail).to_owned()), None),
            ApiError::Conflict {
                field,
                code,
                message,
            } => (
                Some(message.clone()),
                // The code goes with every conflict, so a client can say it in its own words;
                // without a field it is about the request as a whole.
                Some(vec![FieldError {
                    field: field.unwrap_or_default().to_owned(),
                    code: code.as_str().to_owned(),
                    message: message.clone(),
                }]),
            ),
            ApiError::TooManyRequests { retry_after } | ApiError::Unavailable { retry_after } => {
                (Some(format!("try again in {retry_after} seconds")), None)
            }
            ApiError::InsufficientScope { scope: Some(scope) } => (
                Some(format!(
                    "insufficient_scope: this API key lacks the `{scope}` scope; an owner of the organisation can create a key that has it"
                )),
                None,
            ),
            ApiError::InsufficientScope { scope: None } => (
                Some(
                    "insufficient_scope: only people signed in with an access token may do this, not API keys"
                        .to_owned(),
                ),
                None,
            ),
            _ => (None, None),
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::InsufficientScope { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(error) = self {
            tracing::error!(error = ?error, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::TooManyRequests { retry_after } | ApiError::Unavailable { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::InsufficientScope { scope } => {
                let challenge = match scope {
                    Some(scope) => format!(r#"ApiKey error="insufficient_scope", scope="{scope}""#),
                    None => r#"Bearer error="insufficient_scope""#.to_owned(),
                };
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

/// Turns a unique-constraint violation into a 409 naming the field, as the realworld example
/// does, so a race between two identical requests still gets a readable answer.
pub trait DbResultExt<T> {
    fn on_unique_violation(
        self,
        field: &'static str,
        code: Code,
        message: &str,
    ) -> Result<T, ApiError>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    fn on_unique_violation(
        self,
        field: &'static str,
        code: Code,
        message: &str,
    ) -> Result<T, ApiError> {
        self.map_err(|error| match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::conflict(field, code, message)
            }
            _ => error.into(),
        })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
