//! Body and query extractors whose failures are field-by-field problems.
//!
//! actix's own `Json` reports a type error as one sentence; these use `serde_path_to_error`
//! so the client learns *which* field was wrong (`role: unknown variant "boss"`), and the SPA
//! can put the message beside that field.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use shared::codes;
use shared::{FieldErrors, Locale};

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON request body, size-limited, with per-field errors. Every body of this API is a
/// JSON object; serde would otherwise also build a struct from an array.
///
/// Extracting only *reads* the body (refusing one over the limit at once); it is checked by
/// [`JsonBody::read`], which the services call once the caller's right to the route and to
/// the resource is settled. actix extracts a handler's arguments together, so a body checked
/// during extraction could answer 422 to a caller who may not use the route at all: a youth
/// posting `{}` to `/centers` would learn what a center needs instead of getting 403.
pub struct JsonBody<T>(Unread<T>);

enum Unread<T> {
    Bytes { bytes: web::Bytes, is_json: bool },
    Value(T),
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// A body built in code (the seed, the command line), already a value.
    pub fn from_value(value: T) -> Self {
        JsonBody(Unread::Value(value))
    }

    /// Checks the body: 415 for another media type, 400 for what is not a JSON object,
    /// 422 with a problem per field for what does not fit `T`.
    pub fn read(self) -> Result<T, ApiError> {
        let (bytes, is_json) = match self.0 {
            Unread::Value(value) => return Ok(value),
            Unread::Bytes { bytes, is_json } => (bytes, is_json),
        };
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::BadRequest(
                "the body must be a JSON object".into(),
            ));
        }
        let mut value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|error| {
            ApiError::BadRequest(format!("the body is not valid JSON: {error}"))
        })?;
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value).map_err(|error| {
            let path = path_of(error.path());
            field_error(path, without_position(&error.into_inner().to_string()))
        })
    }
}

/// JSON does not tell `1992` from `1992.0`, and neither does the spec (an `integer` is a number
/// without a fraction), so a whole number written with a fraction is read as the integer.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && (-(2f64.powi(63))..2f64.powi(63)).contains(&float)
            {
                *number = serde_json::Number::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// A body that may be absent altogether (the refresh token may come from a cookie instead);
/// when present it is held to the same rules as [`JsonBody`], at once: its routes are open
/// to anyone.
pub struct OptionalJsonBody<T>(pub Option<T>);

fn path_of(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." { String::new() } else { text }
}

/// Splits serde's message from its "at line 1 column 9" suffix, which means nothing to a person.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A JSON value read as `T` by [`JsonBody`]'s rules (whole numbers as integers, a field error
/// for what does not fit): an item of a batch, read on its own.
pub fn value_as<T: DeserializeOwned>(mut value: serde_json::Value) -> Result<T, FieldErrors> {
    whole_numbers_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = path_of(error.path());
        field_errors(path, without_position(&error.into_inner().to_string()))
    })
}

fn field_error(path: String, message: String) -> ApiError {
    ApiError::Validation(field_errors(path, message))
}

fn field_errors(path: String, message: String) -> FieldErrors {
    let code = if message.starts_with("missing field") {
        codes::REQUIRED
    } else if message.starts_with("unknown field") {
        codes::UNKNOWN_FIELD
    } else {
        codes::INVALID_TYPE
    };
    // For a missing field serde's path stops at the parent object; the field's own name is
    // inside the message, between the first pair of backticks.
    let named = if code == codes::REQUIRED {
        message.split('`').nth(1)
    } else {
        None
    };
    let field = match (path.is_empty(), named) {
        (true, Some(name)) => name.to_owned(),
        (false, Some(name)) => format!("{path}.{name}"),
        (_, None) => path,
    };
    let mut errors = FieldErrors::new();
    errors.push(field, code, message);
    errors
}

impl<T: 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.json_limit)
            .unwrap_or(64 * 1024);
        JsonBody::limited(req, payload, limit)
    }
}

/// A [`JsonBody`] under the larger limit of batches (`BATCH_LIMIT_BYTES`, 16 MiB by default):
/// a partner's thousand offers at once.
pub struct BatchBody<T>(pub JsonBody<T>);

impl<T: 'static> FromRequest for BatchBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.batch_limit)
            .unwrap_or(16 * 1024 * 1024);
        let body = JsonBody::limited(req, payload, limit);
        Box::pin(async move { body.await.map(BatchBody) })
    }
}

impl<T: 'static> JsonBody<T> {
    /// Reads the body, refusing one over `limit` bytes at once.
    fn limited(
        req: &HttpRequest,
        payload: &mut Payload,
        limit: usize,
    ) -> Pin<Box<dyn Future<Output = Result<Self, ApiError>>>> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            })
            .unwrap_or(false);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            // The limit holds before anything else: a caller, allowed or not, never makes the
            // server hold more than it.
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ApiError::BadRequest(format!("reading the body failed: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(JsonBody(Unread::Bytes {
                bytes: body.freeze(),
                is_json,
            }))
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let empty = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim() == "0")
            .unwrap_or(
                !headers.contains_key(header::CONTENT_TYPE)
                    && !headers.contains_key(header::TRANSFER_ENCODING),
            );
        if empty {
            return Box::pin(std::future::ready(Ok(OptionalJsonBody(None))));
        }
        let body = JsonBody::<T>::from_request(req, payload);
        Box::pin(async move {
            let body = body.await?;
            // JSON `null` is "no body" too, as the spec's `oneOf [object, null]` says.
            if let Unread::Bytes {
                bytes,
                is_json: true,
            } = &body.0
                && bytes.trim_ascii() == b"null"
            {
                return Ok(OptionalJsonBody(None));
            }
            body.read().map(|b| OptionalJsonBody(Some(b)))
        })
    }
}

/// A query string, with per-parameter errors.
pub struct QueryParams<T>(pub T);

/// `T` from a query string, with per-parameter errors.
fn query_of<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = path_of(error.path());
        field_error(path, error.into_inner().to_string())
    })
}

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(query_of(req.query_string()).map(QueryParams))
    }
}

/// A query string's `lang` (the language of what the server writes itself: `fr`, `ar`, `en`),
/// taken apart from the rest, which is `T` (whose own parameters may refuse unknown ones).
pub struct QueryInLanguage<T>(pub T, pub Option<Locale>);

impl<T: DeserializeOwned> FromRequest for QueryInLanguage<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let (lang, rest): (Vec<_>, Vec<_>) =
            form_urlencoded::parse(req.query_string().as_bytes()).partition(|(k, _)| k == "lang");
        let locale = match lang.last() {
            None => Ok(None),
            Some((_, value)) => Locale::parse(value)
                .map(Some)
                .map_err(|invalid| ApiError::field("lang", invalid.code, invalid.message)),
        };
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(rest)
            .finish();
        std::future::ready(locale.and_then(|locale| Ok(QueryInLanguage(query_of(&rest)?, locale))))
    }
}
