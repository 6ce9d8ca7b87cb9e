//! `/auth`: registration and sessions.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::post;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::dto::auth::{
    LoginRequest, PasswordResetConfirmation, PasswordResetRequest, RefreshRequest, RegisterRequest,
    TokenRequest, TokenResponse,
};
use shared::dto::users::UserView;

use crate::auth::CurrentUser;
use crate::client_ip::ClientIp;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, OptionalJsonBody};
use crate::services::account_tokens;
use crate::services::accounts::{self, Session};
use crate::state::AppState;

/// Name of the HttpOnly cookie holding the web app's refresh token.
pub const REFRESH_COOKIE: &str = "cc_refresh";
/// The cookie is only sent to the session endpoints.
const COOKIE_PATH: &str = "/api/v1/auth";

fn refresh_cookie(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

/// Answers with the tokens: the refresh token in the body, or in the cookie for the web app.
pub fn session_response(state: &AppState, session: Session, in_cookie: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    let refresh_token = if in_cookie {
        let max_age = CookieDuration::days(crate::auth::tokens::REFRESH_TTL_DAYS);
        response.cookie(refresh_cookie(state, session.refresh_token, max_age));
        None
    } else {
        Some(session.refresh_token)
    };
    response
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token: session.access_token,
            token_type: "Bearer".into(),
            expires_in: session.expires_in,
            refresh_token,
        })
}

/// The refresh token from the body, else from the cookie; and whether it came from the cookie.
fn presented_refresh(req: &HttpRequest, body: Option<RefreshRequest>) -> Option<(String, bool)> {
    body.and_then(|b| b.refresh_token)
        .filter(|t| !t.is_empty())
        .map(|t| (t, false))
        .or_else(|| {
            req.cookie(REFRESH_COOKIE)
                .map(|c| (c.value().to_owned(), true))
        })
}

/// Creates an account (youth by default; employer and partner staff too) and mails a link to
/// verify the address. The account works at once.
#[utoipa::path(tag = "auth", request_body = RegisterRequest, responses(
    (status = 201, description = "Account created", body = UserView),
    (status = 409, description = "The e-mail is taken", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many registrations from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "Too many at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/register")]
pub async fn register(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    body: JsonBody<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let account = body.read()?.parse(accounts::current_year())?;
    let user = accounts::register(&state, client, account).await?;
    Ok(HttpResponse::Created().json(accounts::to_view(user)))
}

/// Logs in with e-mail and password.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, description = "Logged in", body = TokenResponse),
    (status = 401, description = "Wrong e-mail or password, or deactivated account", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "Too many at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/login")]
pub async fn login(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.read()?;
    let (_, session) = accounts::login(&state, &body.email, &body.password, client).await?;
    Ok(session_response(&state, session, body.refresh_in_cookie))
}

/// Exchanges a refresh token for a new access token and a new refresh token.
#[utoipa::path(tag = "auth", request_body(content = Option<RefreshRequest>, description = "Omit the body to use the cookie"), responses(
    (status = 200, description = "New tokens", body = TokenResponse),
    (status = 401, description = "Invalid, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
))]
#[post("/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: OptionalJsonBody<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let (token, from_cookie) = presented_refresh(&req, body.0).ok_or(ApiError::Unauthorized(
        "send the refresh token in the body or the cookie",
    ))?;
    let session = accounts::refresh(&state, &token).await?;
    Ok(session_response(&state, session, from_cookie))
}

/// Ends the session of the refresh token and clears the cookie.
#[utoipa::path(tag = "auth", request_body(content = Option<RefreshRequest>, description = "Omit the body to use the cookie"), responses(
    (status = 204, description = "Logged out"),
))]
#[post("/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: OptionalJsonBody<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    if let Some((token, _)) = presented_refresh(&req, body.0) {
        accounts::logout(&state, &token).await?;
    }
    let mut removal = refresh_cookie(&state, String::new(), CookieDuration::ZERO);
    removal.make_removal();
    Ok(HttpResponse::NoContent().cookie(removal).finish())
}

/// Mails the signed-in user a new link to verify their address.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 202, description = "A link is on its way"),
    (status = 409, description = "The address is already verified", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many links asked for; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/verification")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<HttpResponse> {
    account_tokens::resend_verification(&state, &caller.0).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Verifies an address with the token of the link mailed to it; no sign-in needed.
#[utoipa::path(tag = "auth", request_body = TokenRequest, responses(
    (status = 204, description = "The address is verified"),
    (status = 422, description = "Invalid, used or expired link", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many tries; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/verification/confirmation")]
pub async fn confirm_verification(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    body: JsonBody<TokenRequest>,
) -> ApiResult<HttpResponse> {
    let token = body.read()?.parse()?;
    account_tokens::confirm_verification(&state, client, &token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Asks for a password-reset link. The answer is the same whether or not an account uses the
/// address; a link valid 30 minutes goes to it if one does.
#[utoipa::path(tag = "auth", request_body = PasswordResetRequest, responses(
    (status = 202, description = "If an account uses this address, a link is on its way"),
    (status = 429, description = "Too many requests; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/password-reset")]
pub async fn request_password_reset(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.read()?.parse()?;
    account_tokens::request_reset(&state, client, email).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token of a reset link. Every session of the account ends.
#[utoipa::path(tag = "auth", request_body = PasswordResetConfirmation, responses(
    (status = 204, description = "Password changed; sign in with it"),
    (status = 422, description = "Invalid, used or expired link, or a weak password", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many tries; see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "Too many at once; see Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/password-reset/confirmation")]
pub async fn confirm_password_reset(
    ClientIp(client): ClientIp,
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetConfirmation>,
) -> ApiResult<HttpResponse> {
    let (token, password) = body.read()?.parse()?;
    account_tokens::reset_password(&state, client, &token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}
