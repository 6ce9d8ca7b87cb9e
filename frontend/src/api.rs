//! Every call the app makes to the server, and the session.
//!
//! The access token lives in memory only (a signal), never in storage a script could read.
//! The refresh token is an HttpOnly cookie the browser sends to `/api/v1/auth/*` by itself:
//! on reload, [`restore_session`] trades it for a new access token, and a 401 on any call
//! triggers one silent refresh before giving up.

use std::sync::Arc;

use futures_util::lock::Mutex;
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::FieldError;
use shared::dto::Page;
use shared::dto::auth::{
    ChangePasswordRequest, PasswordResetConfirmation, PasswordResetRequest, RegisterRequest,
    TokenRequest, TokenResponse,
};
use shared::dto::centers::CenterView;
use shared::dto::organizations::{
    ApiKeyView, CreateApiKeyRequest, CreateInvitationRequest, CreateOrganizationRequest,
    CreatedApiKey, InvitationView, OrganizationView, ReceivedInvitation,
};
use shared::dto::orientation::{
    AnswersRequest, Comparison, Draft, Inventory, NewNoteRequest, NewPlanStepRequest, Note,
    OrientationResult, PlanStep, ResultSummary, Sector, SectorSummary, UpdatePlanStepRequest,
};
use shared::dto::users::{UpdateProfileRequest, UserView};

const API: &str = "/api/v1";

/// An RFC 9457 problem as the server sends it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Problem {
    pub status: u16,
    pub title: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Option<Vec<FieldError>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached.
    Network,
    /// The server answered with an error.
    Problem(Problem),
}

impl ApiError {
    /// Field errors, empty when the problem is not about fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Problem(p) => p.errors.clone().unwrap_or_default(),
            ApiError::Network => Vec::new(),
        }
    }
}

/// Who is signed in, shared by every component.
#[derive(Clone, Copy)]
pub struct Session {
    access_token: RwSignal<Option<String>>,
    pub user: RwSignal<Option<UserView>>,
    /// False until the first silent refresh has been tried, so pages do not flash "log in".
    pub ready: RwSignal<bool>,
    /// One refresh at a time: refresh tokens are single-use, and a second concurrent refresh
    /// with the same cookie would look like a stolen token and end the session.
    refreshing: StoredValue<Arc<Mutex<()>>>,
}

pub fn provide_session() -> Session {
    let session = Session {
        access_token: RwSignal::new(None),
        user: RwSignal::new(None),
        ready: RwSignal::new(false),
        refreshing: StoredValue::new(Arc::new(Mutex::new(()))),
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiError::Network)
    } else {
        Err(problem(response).await)
    }
}

/// For answers without a body (202, 204).
async fn done(response: Response) -> Result<(), ApiError> {
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|_| ApiError::Network)
}

async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let parsed = response.json::<Problem>().await.ok();
    ApiError::Problem(parsed.unwrap_or(Problem {
        status,
        title: response.status_text(),
        detail: None,
        errors: None,
    }))
}

async fn send(
    method: Method,
    path: &str,
    token: Option<String>,
    body: Option<serde_json::Value>,
) -> Result<Response, ApiError> {
    let mut request = RequestBuilder::new(&format!("{API}{path}")).method(method);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request.json(&body).map_err(|_| ApiError::Network)?,
        None => request.build().map_err(|_| ApiError::Network)?,
    };
    request.send().await.map_err(|_| ApiError::Network)
}

impl Session {
    pub fn is_signed_in(&self) -> bool {
        self.user.get().is_some()
    }

    /// Sends an authenticated call, refreshing the access token once if it has expired.
    async fn authed(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<Response, ApiError> {
        let first = send(
            method.clone(),
            path,
            self.access_token.get_untracked(),
            body.clone(),
        )
        .await?;
        if first.status() != 401 || !self.refresh().await {
            return Ok(first);
        }
        send(method, path, self.access_token.get_untracked(), body).await
    }

    /// Trades the refresh cookie for a new access token. Calls that overlap wait for the one
    /// under way and share its result.
    pub async fn refresh(&self) -> bool {
        let before = self.access_token.get_untracked();
        let lock = self.refreshing.get_value();
        let _guard = lock.lock().await;
        let now = self.access_token.get_untracked();
        if now.is_some() && now != before {
            return true;
        }
        match send(Method::POST, "/auth/refresh", None, None).await {
            Ok(response) if response.ok() => match response.json::<TokenResponse>().await {
                Ok(tokens) => {
                    self.access_token.set(Some(tokens.access_token));
                    true
                }
                Err(_) => false,
            },
            _ => {
                self.access_token.set(None);
                self.user.set(None);
                false
            }
        }
    }

    pub async fn login(&self, email: String, password: String) -> Result<UserView, ApiError> {
        let body =
            serde_json::json!({"email": email, "password": password, "refresh_in_cookie": true});
        let tokens: TokenResponse =
            read(send(Method::POST, "/auth/login", None, Some(body)).await?).await?;
        self.access_token.set(Some(tokens.access_token));
        let user = self.me().await?;
        Ok(user)
    }

    pub async fn logout(&self) {
        let _ = send(Method::POST, "/auth/logout", None, None).await;
        self.access_token.set(None);
        self.user.set(None);
    }

    /// Reads the profile and remembers it as the signed-in user.
    pub async fn me(&self) -> Result<UserView, ApiError> {
        let user: UserView = read(self.authed(Method::GET, "/me", None).await?).await?;
        self.user.set(Some(user.clone()));
        Ok(user)
    }

    pub async fn update_me(&self, changes: &UpdateProfileRequest) -> Result<UserView, ApiError> {
        let body = serde_json::to_value(changes).map_err(|_| ApiError::Network)?;
        let user: UserView = read(self.authed(Method::PATCH, "/me", Some(body)).await?).await?;
        self.user.set(Some(user.clone()));
        Ok(user)
    }

    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        let tokens: TokenResponse =
            read(self.authed(Method::PUT, "/me/password", Some(body)).await?).await?;
        self.access_token.set(Some(tokens.access_token));
        Ok(())
    }
}

/// Address verification and invitations.
impl Session {
    /// Mails a new verification link to the signed-in user's address.
    pub async fn resend_verification(&self) -> Result<(), ApiError> {
        done(
            self.authed(Method::POST, "/auth/verification", None)
                .await?,
        )
        .await
    }

    /// Invitations addressed to the signed-in user.
    pub async fn invitations(&self) -> Result<Vec<ReceivedInvitation>, ApiError> {
        self.call(Method::GET, "/me/invitations", None).await
    }

    pub async fn accept_invitation(&self, id: i64) -> Result<OrganizationView, ApiError> {
        self.call(
            Method::POST,
            &format!("/me/invitations/{id}/acceptance"),
            None,
        )
        .await
    }

    pub async fn decline_invitation(&self, id: i64) -> Result<(), ApiError> {
        done(
            self.authed(Method::DELETE, &format!("/me/invitations/{id}"), None)
                .await?,
        )
        .await
    }

    /// Accepts the invitation of a mailed link.
    pub async fn accept_invitation_link(
        &self,
        token: String,
    ) -> Result<OrganizationView, ApiError> {
        let body = json(&TokenRequest { token })?;
        self.call(Method::POST, "/invitations/acceptance", Some(body))
            .await
    }

    pub async fn invite(
        &self,
        organization: i64,
        request: &CreateInvitationRequest,
    ) -> Result<InvitationView, ApiError> {
        let body = json(request)?;
        self.call(
            Method::POST,
            &format!("/organizations/{organization}/invitations"),
            Some(body),
        )
        .await
    }

    pub async fn sent_invitations(
        &self,
        organization: i64,
    ) -> Result<Vec<InvitationView>, ApiError> {
        self.call(
            Method::GET,
            &format!("/organizations/{organization}/invitations"),
            None,
        )
        .await
    }

    pub async fn withdraw_invitation(&self, organization: i64, id: i64) -> Result<(), ApiError> {
        let path = format!("/organizations/{organization}/invitations/{id}");
        done(self.authed(Method::DELETE, &path, None).await?).await
    }
}

impl Session {
    /// An authenticated call whose answer is JSON.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, ApiError> {
        read(self.authed(method, path, body).await?).await
    }

    pub async fn users(&self, query: &str) -> Result<Page<UserView>, ApiError> {
        self.call(Method::GET, &format!("/users?{query}"), None)
            .await
    }

    pub async fn update_user(
        &self,
        id: i64,
        changes: serde_json::Value,
    ) -> Result<UserView, ApiError> {
        self.call(Method::PATCH, &format!("/users/{id}"), Some(changes))
            .await
    }

    pub async fn organizations(&self, query: &str) -> Result<Page<OrganizationView>, ApiError> {
        self.call(Method::GET, &format!("/organizations?{query}"), None)
            .await
    }

    pub async fn organization(&self, id: i64) -> Result<OrganizationView, ApiError> {
        self.call(Method::GET, &format!("/organizations/{id}"), None)
            .await
    }

    pub async fn create_organization(
        &self,
        request: &CreateOrganizationRequest,
    ) -> Result<OrganizationView, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, "/organizations", Some(body)).await
    }

    /// Verifies (`true`) or withdraws the verification of an organisation.
    pub async fn set_verified(
        &self,
        id: i64,
        verified: bool,
    ) -> Result<OrganizationView, ApiError> {
        let method = if verified {
            Method::PUT
        } else {
            Method::DELETE
        };
        self.call(method, &format!("/organizations/{id}/verification"), None)
            .await
    }

    pub async fn api_keys(&self, organization: i64) -> Result<Vec<ApiKeyView>, ApiError> {
        self.call(
            Method::GET,
            &format!("/organizations/{organization}/api-keys"),
            None,
        )
        .await
    }

    pub async fn create_api_key(
        &self,
        organization: i64,
        request: &CreateApiKeyRequest,
    ) -> Result<CreatedApiKey, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::POST,
            &format!("/organizations/{organization}/api-keys"),
            Some(body),
        )
        .await
    }

    pub async fn revoke_api_key(
        &self,
        organization: i64,
        key: i64,
    ) -> Result<ApiKeyView, ApiError> {
        self.call(
            Method::DELETE,
            &format!("/organizations/{organization}/api-keys/{key}"),
            None,
        )
        .await
    }
}

/// The orientation assessment.
impl Session {
    /// The saved draft; `Ok(None)` when there is none.
    pub async fn draft(&self) -> Result<Option<Draft>, ApiError> {
        match self.call(Method::GET, "/me/orientation/draft", None).await {
            Ok(draft) => Ok(Some(draft)),
            Err(ApiError::Problem(p)) if p.status == 404 => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn save_draft(&self, request: &AnswersRequest) -> Result<Draft, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::PUT, "/me/orientation/draft", Some(body))
            .await
    }

    pub async fn submit_answers(
        &self,
        request: &AnswersRequest,
    ) -> Result<OrientationResult, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, "/orientation/results", Some(body))
            .await
    }

    pub async fn results(&self, query: &str) -> Result<Page<ResultSummary>, ApiError> {
        self.call(Method::GET, &format!("/orientation/results?{query}"), None)
            .await
    }

    pub async fn result(&self, id: i64) -> Result<OrientationResult, ApiError> {
        self.call(Method::GET, &format!("/orientation/results/{id}"), None)
            .await
    }

    pub async fn comparison(&self, id: i64) -> Result<Comparison, ApiError> {
        self.call(
            Method::GET,
            &format!("/orientation/results/{id}/comparison"),
            None,
        )
        .await
    }

    pub async fn add_note(&self, result: i64, request: &NewNoteRequest) -> Result<Note, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::POST,
            &format!("/orientation/results/{result}/notes"),
            Some(body),
        )
        .await
    }

    pub async fn add_step(
        &self,
        result: i64,
        request: &NewPlanStepRequest,
    ) -> Result<PlanStep, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::POST,
            &format!("/orientation/results/{result}/plan"),
            Some(body),
        )
        .await
    }

    pub async fn update_step(
        &self,
        step: i64,
        request: &UpdatePlanStepRequest,
    ) -> Result<PlanStep, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::PATCH,
            &format!("/orientation/plan-steps/{step}"),
            Some(body),
        )
        .await
    }
}

/// On start: if the refresh cookie is still good, the user is signed in again.
pub async fn restore_session(session: Session) {
    if session.refresh().await {
        let _ = session.me().await;
    }
    session.ready.set(true);
}

pub async fn register(request: &RegisterRequest) -> Result<UserView, ApiError> {
    let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
    read(send(Method::POST, "/auth/register", None, Some(body)).await?).await
}

/// Asks for a password-reset link; the answer is the same for any address.
pub async fn request_password_reset(email: String) -> Result<(), ApiError> {
    let body = json(&PasswordResetRequest { email })?;
    done(send(Method::POST, "/auth/password-reset", None, Some(body)).await?).await
}

/// Sets a new password with the token of a reset link.
pub async fn reset_password(token: String, new_password: String) -> Result<(), ApiError> {
    let body = json(&PasswordResetConfirmation {
        token,
        new_password,
    })?;
    let path = "/auth/password-reset/confirmation";
    done(send(Method::POST, path, None, Some(body)).await?).await
}

/// Verifies an address with the token of its link.
pub async fn confirm_verification(token: String) -> Result<(), ApiError> {
    let body = json(&TokenRequest { token })?;
    let path = "/auth/verification/confirmation";
    done(send(Method::POST, path, None, Some(body)).await?).await
}

pub async fn centers() -> Result<Page<CenterView>, ApiError> {
    read(send(Method::GET, "/centers?limit=100", None, None).await?).await
}

pub async fn inventory() -> Result<Inventory, ApiError> {
    read(send(Method::GET, "/orientation/inventory", None, None).await?).await
}

pub async fn sectors() -> Result<Vec<SectorSummary>, ApiError> {
    read(send(Method::GET, "/sectors", None, None).await?).await
}

pub async fn sector(code: String) -> Result<Sector, ApiError> {
    read(send(Method::GET, &format!("/sectors/{code}"), None, None).await?).await
}
