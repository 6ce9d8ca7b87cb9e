//! Every call the app makes to the server, and the session.
//!
//! The access token lives in memory only (a signal), never in storage a script could read.
//! The refresh token is an HttpOnly cookie the browser sends to `/api/v1/auth/*` by itself:
//! on reload, [`restore_session`] trades it for a new access token, and a 401 on any call
//! triggers one silent refresh before giving up.
//!
//! A session ends only when the server refuses to renew it (401). A network failure, a 429 or
//! a 5xx leaves the user signed in: the call fails as a network failure the page can retry.
//! When a session the page was using ends, the user stays on the page ([`Session::ended`]):
//! the frame asks for the password again and whatever was typed is still there.
//!
//! Tabs of the app share the refresh cookie, and a refresh token is single-use: tabs take
//! turns to renew it under a browser-wide lock (Web Locks API), and tell each other when the
//! user signs in or out (`BroadcastChannel`).

use std::sync::Arc;

use futures_util::lock::Mutex;
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::FieldError;
use shared::Locale;
use shared::dto::Page;
use shared::dto::appointments::{
    AppointmentView, BookSlotRequest, CreateSlotsRequest, OutcomeRequest, SlotView,
};
use shared::dto::auth::{
    ChangePasswordRequest, PasswordResetConfirmation, PasswordResetRequest, RegisterRequest,
    TokenRequest, TokenResponse,
};
use shared::dto::centers::CenterView;
use shared::dto::events::{
    CalendarFeed, Certificate, CheckInRequest, CreateEventRequest, EventView, RosterEntry,
    UpdateEventRequest,
};
use shared::dto::geo::RegionView;
use shared::dto::notices::NoticeView;
use shared::dto::organizations::{
    ApiKeyView, CreateApiKeyRequest, CreateInvitationRequest, CreateOrganizationRequest,
    CreatedApiKey, InvitationView, OrganizationView, ReceivedInvitation,
};
use shared::dto::orientation::{
    AnswersRequest, Comparison, Draft, Inventory, NewNoteRequest, NewPlanStepRequest, Note,
    Occupation, OccupationSummary, OrientationResult, PlanStep, ResultSummary, Sector,
    SectorFigures, SectorFiguresDetail, SectorSummary, UpdatePlanStepRequest,
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
    /// The server could not be reached, or could not answer for now (429, 5xx on renewal).
    Network,
    /// The call needed a session and the server refused to renew it.
    SessionEnded,
    /// The server answered with an error.
    Problem(Problem),
}

impl ApiError {
    /// Field errors, empty when the problem is not about fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Problem(p) => p.errors.clone().unwrap_or_default(),
            ApiError::Network | ApiError::SessionEnded => Vec::new(),
        }
    }

    /// What the server would say of an address that cannot name anything (`/centers/abc`).
    pub fn not_found() -> Self {
        ApiError::Problem(Problem {
            status: 404,
            title: String::new(),
            detail: None,
            errors: None,
        })
    }

    /// The server says there is no such thing (or none the caller may see).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Problem(p) if p.status == 404)
    }
}

/// What came of asking the server to renew the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    Renewed,
    /// 401: the refresh cookie is missing, expired, revoked or spent.
    Refused,
    /// No answer, or one that says nothing about the session (429, 5xx).
    Unreachable,
}

/// Who is signed in, shared by every component.
#[derive(Clone, Copy)]
pub struct Session {
    access_token: RwSignal<Option<String>>,
    pub user: RwSignal<Option<UserView>>,
    /// False until the first silent refresh has been tried, so pages do not flash "log in".
    pub ready: RwSignal<bool>,
    /// The server refused to renew the session of the user the page still shows: the frame
    /// asks for the password again, the page keeps its state.
    pub ended: RwSignal<bool>,
    /// The first silent refresh could not reach the server: signed in or not is unknown.
    pub unreachable: RwSignal<bool>,
    /// One refresh at a time: refresh tokens are single-use, and a second concurrent refresh
    /// with the same cookie would look like a stolen token and end the session.
    refreshing: StoredValue<Arc<Mutex<()>>>,
    /// Who was signed in on this device at the last visit, for a start without network.
    remembered: StoredValue<Option<UserView>>,
}

/// Where the signed-in user is remembered between visits (removed on signing out), so that
/// the app opened offline still knows whose inventory it is.
const REMEMBERED: &str = "cc.user";

/// The channel on which the app's tabs say that the user signed in or out.
const TABS: &str = "cc.session";
const SIGNED_IN: &str = "signed-in";
const SIGNED_OUT: &str = "signed-out";

pub fn provide_session() -> Session {
    let session = Session {
        access_token: RwSignal::new(None),
        user: RwSignal::new(None),
        ready: RwSignal::new(false),
        ended: RwSignal::new(false),
        unreachable: RwSignal::new(false),
        refreshing: StoredValue::new(Arc::new(Mutex::new(()))),
        remembered: StoredValue::new(
            local_storage()
                .and_then(|s| s.get_item(REMEMBERED).ok().flatten())
                .and_then(|text| serde_json::from_str(&text).ok()),
        ),
    };
    provide_context(session);
    listen_to_other_tabs(session);
    // Once the session is known, a device with nobody signed in forgets who was. (The
    // profile is remembered as the server sent it, in `me`: no serialiser in the bundle.)
    Effect::new(move |_| {
        if session.ready.get()
            && session.user.with(Option::is_none)
            && let Some(storage) = local_storage()
        {
            let _ = storage.remove_item(REMEMBERED);
        }
    });
    session
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Signing out in one tab signs every tab out; signing in in one tab brings back the others
/// that were signed out or whose session had ended.
fn listen_to_other_tabs(session: Session) {
    let Ok(channel) = web_sys::BroadcastChannel::new(TABS) else {
        return;
    };
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| match event.data().as_string().as_deref() {
            Some(SIGNED_OUT) => {
                session.access_token.set(None);
                session.user.set(None);
                session.ended.set(false);
            }
            Some(SIGNED_IN)
                if session.user.get_untracked().is_none() || session.ended.get_untracked() =>
            {
                spawn_local(async move {
                    if session.refresh().await == Renewal::Renewed {
                        let _ = session.me().await;
                    }
                });
            }
            _ => {}
        },
    );
    channel.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(
        on_message.as_ref(),
    )));
    // Both live as long as the app.
    on_message.forget();
    std::mem::forget(channel);
}

fn tell_other_tabs(message: &str) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(TABS) {
        let _ = channel.post_message(&message.into());
        channel.close();
    }
}

/// Runs `work` holding the browser-wide lock `name` (Web Locks API), so that the app's tabs
/// take turns; `None` where the browser has no such API, without running `work`.
async fn holding_tab_lock<T>(name: &str, work: impl std::future::Future<Output = T>) -> Option<T> {
    use wasm_bindgen::{JsCast, JsValue};
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    let request: js_sys::Function = js_sys::Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // The lock is held until `held` settles; `granted` settles when the lock is ours.
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut grant = None;
    let granted = js_sys::Promise::new(&mut |resolve, _| grant = Some(resolve));
    let (release, grant) = (release?, grant?);
    let callback = wasm_bindgen::closure::Closure::once(move |_lock: JsValue| -> JsValue {
        let _ = grant.call0(&JsValue::NULL);
        held.into()
    });
    /// Lets the lock go when the work ends, or is abandoned half-way (its page was left).
    struct Release(js_sys::Function);
    impl Drop for Release {
        fn drop(&mut self) {
            let _ = self.0.call0(&JsValue::NULL);
        }
    }
    let release = Release(release);
    let requested: js_sys::Promise = request
        .call2(&locks, &name.into(), callback.as_ref().unchecked_ref())
        .ok()?
        .dyn_into()
        .ok()?;
    // The lock is ours, or the request failed (a context without storage refuses it), or
    // another tab holds it too long: in the last two cases the work goes on without it.
    let granted = wasm_bindgen_futures::JsFuture::from(granted);
    let refused = wasm_bindgen_futures::JsFuture::from(requested);
    let too_long = pause(10_000);
    futures_util::pin_mut!(granted, refused, too_long);
    let outcome =
        futures_util::future::select(granted, futures_util::future::select(refused, too_long))
            .await;
    if !matches!(outcome, futures_util::future::Either::Left((Ok(_), _))) {
        return None;
    }
    let out = work.await;
    drop(release);
    drop(callback);
    Some(out)
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

/// Sends a call. Every signed-in POST carries an `Idempotency-Key` ([`idempotency_key`]): a
/// retry after a lost answer, or a second tap on a slow network, gets the first answer. (The
/// server keys only callers it verified, so signing in and registering carry none: a key there
/// would only be a hash of the password on the wire.)
async fn send(
    method: Method,
    path: &str,
    token: Option<String>,
    body: Option<serde_json::Value>,
) -> Result<Response, ApiError> {
    let call = (method == Method::POST && token.is_some()).then(|| call_hash(path, body.as_ref()));
    // A second tap while the first is still being answered: wait for the first's answer.
    for _ in 0..20 {
        let mut request = RequestBuilder::new(&format!("{API}{path}")).method(method.clone());
        if let Some(token) = &token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(call) = call {
            request = request.header("Idempotency-Key", &idempotency_key(call));
        }
        let request = match &body {
            Some(body) => request.json(body).map_err(|_| ApiError::Network)?,
            None => request.build().map_err(|_| ApiError::Network)?,
        };
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        let Some(call) = call else {
            return Ok(response);
        };
        let response = if response.status() == 409 {
            let (response, in_progress) = still_in_progress(response).await;
            if in_progress {
                pause(500).await;
                continue;
            }
            response
        } else {
            response
        };
        // An answer the server keeps (any but 5xx, and a 401 it could not key) settles the
        // call: the same call again is a new one.
        if response.status() < 500 && response.status() != 401 {
            settle(call);
        }
        return Ok(response);
    }
    Err(ApiError::Network)
}

/// Whether a 409 says that the first request with the same key is still being answered; the
/// answer comes back unread, for the caller.
async fn still_in_progress(response: Response) -> (Response, bool) {
    let raw = web_sys::Response::from(response);
    let text = match raw.clone().and_then(|copy| copy.text()) {
        Ok(text) => wasm_bindgen_futures::JsFuture::from(text)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let in_progress =
        text.is_some_and(|t| t.contains(shared::codes::IDEMPOTENCY_IN_PROGRESS.as_str()));
    (Response::from(raw), in_progress)
}

/// The same call (method, path and body) sent again before the server kept an answer is a
/// retry and carries the same key; once it answered, the same call again is a new one (two
/// identical plan steps on purpose, a retry after a 429). Keys are unique to this page load.
fn idempotency_key(call: u64) -> String {
    let round = ROUNDS.with_borrow(|r| r.get(&call).copied().unwrap_or(0));
    let load = LOAD.with(|l| *l);
    format!("app-{load:016x}-{call:016x}-{round}")
}

fn settle(call: u64) {
    ROUNDS.with_borrow_mut(|r| *r.entry(call).or_insert(0) += 1);
}

thread_local! {
    /// Successful sends of each call, by [`call_hash`].
    static ROUNDS: std::cell::RefCell<std::collections::HashMap<u64, u32>> = Default::default();
    /// Random per page load, so two loads never share a key.
    static LOAD: u64 = {
        let high = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        let low = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        (high << 32) | low
    };
}

/// FNV-1a over the path and the body as sent.
fn call_hash(path: &str, body: Option<&serde_json::Value>) -> u64 {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes().chain([0]).chain(body.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl Session {
    pub fn is_signed_in(&self) -> bool {
        self.user.get().is_some()
    }

    /// Sends an authenticated call, refreshing the access token once if it has expired. A
    /// refresh the server refuses is [`ApiError::SessionEnded`]; one that cannot reach it is
    /// [`ApiError::Network`], and the user stays signed in.
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
        if first.status() != 401 {
            return Ok(first);
        }
        match self.refresh().await {
            Renewal::Renewed => send(method, path, self.access_token.get_untracked(), body).await,
            Renewal::Refused => Err(ApiError::SessionEnded),
            Renewal::Unreachable => Err(ApiError::Network),
        }
    }

    /// Trades the refresh cookie for a new access token. Calls that overlap wait for the one
    /// under way and share its result; other tabs wait for it too (they share the cookie).
    pub async fn refresh(&self) -> Renewal {
        let before = self.access_token.get_untracked();
        let lock = self.refreshing.get_value();
        let _guard = lock.lock().await;
        let now = self.access_token.get_untracked();
        if now.is_some() && now != before {
            return Renewal::Renewed;
        }
        let renewal = match holding_tab_lock("cc.session.refresh", renew()).await {
            Some(renewal) => renewal,
            // Without the lock another tab may have spent the cookie's token a moment ago and
            // be about to store its successor: one more try, after a pause, tells them apart.
            None => match renew().await {
                Err(Renewal::Refused) => {
                    pause(400).await;
                    renew().await
                }
                other => other,
            },
        };
        match renewal {
            Ok(token) => {
                // The cookie is the browser's, not the tab's: if someone else signed in in
                // another tab, this tab would now act as them under the first user's page.
                // It starts again as whoever the cookie is.
                let shown = self.user.get_untracked().map(|u| u.id);
                if shown.is_some() && token_user(&token) != shown {
                    let _ = window().location().reload();
                    return Renewal::Unreachable;
                }
                self.access_token.set(Some(token));
                self.ended.set(false);
                Renewal::Renewed
            }
            Err(Renewal::Refused) => {
                self.access_token.set(None);
                if self.user.get_untracked().is_some() {
                    self.ended.set(true);
                }
                Renewal::Refused
            }
            Err(other) => other,
        }
    }

    pub async fn login(&self, email: String, password: String) -> Result<UserView, ApiError> {
        let body =
            serde_json::json!({"email": email, "password": password, "refresh_in_cookie": true});
        let tokens: TokenResponse =
            read(send(Method::POST, "/auth/login", None, Some(body)).await?).await?;
        self.access_token.set(Some(tokens.access_token));
        let user = self.me().await?;
        self.ended.set(false);
        self.unreachable.set(false);
        tell_other_tabs(SIGNED_IN);
        Ok(user)
    }

    /// Ends the session on the server, then here. Without an answer nothing changes: a
    /// session that looked closed on a shared computer would come back on the next visit.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let response = send(Method::POST, "/auth/logout", None, None).await?;
        if response.status() >= 500 {
            return Err(ApiError::Network);
        }
        self.access_token.set(None);
        self.user.set(None);
        self.ended.set(false);
        tell_other_tabs(SIGNED_OUT);
        Ok(())
    }

    /// Reads the profile and remembers it as the signed-in user.
    pub async fn me(&self) -> Result<UserView, ApiError> {
        let response = self.authed(Method::GET, "/me", None).await?;
        if !response.ok() {
            return Err(problem(response).await);
        }
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        let user: UserView = serde_json::from_str(&text).map_err(|_| ApiError::Network)?;
        // Remembered on this device for a start without network, until signing out.
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(REMEMBERED, &text);
        }
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

/// Appointments with a counselor.
impl Session {
    /// One page of slots; `filters` is a query string (`from=…&to=…`), encoded.
    pub async fn slots(
        &self,
        filters: String,
        cursor: Option<String>,
    ) -> Result<Page<SlotView>, ApiError> {
        let path = format!("/appointment-slots?limit=100&{filters}{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    /// Offers slots (a counselor).
    pub async fn offer_slots(
        &self,
        request: &CreateSlotsRequest,
    ) -> Result<Vec<SlotView>, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, "/appointment-slots", Some(body))
            .await
    }

    pub async fn withdraw_slot(&self, id: i64) -> Result<SlotView, ApiError> {
        self.call(
            Method::POST,
            &format!("/appointment-slots/{id}/withdrawal"),
            None,
        )
        .await
    }

    pub async fn book_slot(
        &self,
        id: i64,
        request: &BookSlotRequest,
    ) -> Result<AppointmentView, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::POST,
            &format!("/appointment-slots/{id}/booking"),
            Some(body),
        )
        .await
    }

    /// One page of appointments, `upcoming` or `past`.
    pub async fn appointments(
        &self,
        when: &str,
        cursor: Option<String>,
    ) -> Result<Page<AppointmentView>, ApiError> {
        let path = format!("/appointments?limit=20&when={when}{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    /// Changes a center (admins): only the fields of `changes`.
    pub async fn update_center(
        &self,
        id: i64,
        changes: serde_json::Value,
    ) -> Result<CenterView, ApiError> {
        self.call(Method::PATCH, &format!("/centers/{id}"), Some(changes))
            .await
    }

    /// One page of her notices, newest first.
    pub async fn notices(&self, cursor: Option<String>) -> Result<Page<NoticeView>, ApiError> {
        let path = format!("/me/notices?limit=20{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    /// Marks her notices read up to `through`, the newest she was shown; the header's count
    /// goes with them (one that came meanwhile shows on the next page load).
    pub async fn read_notices(&self, through: i64) -> Result<(), ApiError> {
        let body = serde_json::json!({ "through": through });
        done(
            self.authed(Method::POST, "/me/notices/read", Some(body))
                .await?,
        )
        .await?;
        self.user.update(|u| {
            if let Some(u) = u {
                u.unread_notices = Some(0);
            }
        });
        Ok(())
    }

    pub async fn appointment(&self, id: i64) -> Result<AppointmentView, ApiError> {
        self.call(Method::GET, &format!("/appointments/{id}"), None)
            .await
    }

    pub async fn cancel_appointment(&self, id: i64) -> Result<AppointmentView, ApiError> {
        self.call(
            Method::POST,
            &format!("/appointments/{id}/cancellation"),
            None,
        )
        .await
    }

    pub async fn record_outcome(
        &self,
        id: i64,
        request: &OutcomeRequest,
    ) -> Result<AppointmentView, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(
            Method::PUT,
            &format!("/appointments/{id}/outcome"),
            Some(body),
        )
        .await
    }
}

/// Events.
impl Session {
    /// A public read, as the signed-in user when there is one (her registrations, her center's
    /// events), anonymously otherwise.
    async fn read_as_visitor<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        if self.user.get_untracked().is_some() {
            self.call(Method::GET, path, None).await
        } else {
            get(path).await
        }
    }

    /// One page of events; `filters` is a query string (`kind=…&seats_left=true`), encoded.
    pub async fn events(
        &self,
        filters: String,
        cursor: Option<String>,
    ) -> Result<Page<EventView>, ApiError> {
        let filters = if filters.is_empty() {
            String::new()
        } else {
            format!("&{filters}")
        };
        self.read_as_visitor(&format!("/events?limit=20{filters}{}", after(cursor)))
            .await
    }

    pub async fn event(&self, id: i64) -> Result<EventView, ApiError> {
        self.read_as_visitor(&format!("/events/{id}")).await
    }

    /// A seat, or a place on the waitlist when the event is full.
    pub async fn register_for_event(&self, id: i64) -> Result<EventView, ApiError> {
        self.call(Method::POST, &format!("/events/{id}/registration"), None)
            .await
    }

    pub async fn cancel_registration(&self, id: i64) -> Result<EventView, ApiError> {
        self.call(Method::DELETE, &format!("/events/{id}/registration"), None)
            .await
    }

    /// Applies to offer `id` inside the platform, with her message.
    pub async fn apply(
        &self,
        id: i64,
        message: Option<String>,
    ) -> Result<shared::dto::applications::ApplicationView, ApiError> {
        let body = serde_json::json!({ "message": message });
        self.call(
            Method::POST,
            &format!("/offers/{id}/applications"),
            Some(body),
        )
        .await
    }

    /// Records that she follows offer `id`'s link to its source, and gives the link.
    pub async fn follow_offer_link(
        &self,
        id: i64,
    ) -> Result<shared::dto::applications::OutboundView, ApiError> {
        self.call(Method::POST, &format!("/offers/{id}/outbound"), None)
            .await
    }

    /// Her applications, newest first; `offer`: only hers to that offer.
    pub async fn my_applications(
        &self,
        offer: Option<i64>,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::applications::ApplicationView>, ApiError> {
        let offer = offer.map(|id| format!("&offer={id}")).unwrap_or_default();
        let path = format!("/me/applications?limit=20{offer}{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn withdraw_application(
        &self,
        id: i64,
    ) -> Result<shared::dto::applications::ApplicationView, ApiError> {
        self.call(
            Method::POST,
            &format!("/applications/{id}/withdrawal"),
            None,
        )
        .await
    }

    /// Her saved offers, the latest first; `offer`: whether that one is saved.
    pub async fn saved_offers(
        &self,
        offer: Option<i64>,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::saved::SavedOfferView>, ApiError> {
        let offer = offer.map(|id| format!("&offer={id}")).unwrap_or_default();
        let path = format!("/me/saved-offers?limit=20{offer}{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn save_offer(
        &self,
        id: i64,
    ) -> Result<shared::dto::saved::SavedOfferView, ApiError> {
        self.call(Method::PUT, &format!("/me/saved-offers/{id}"), None)
            .await
    }

    pub async fn unsave_offer(&self, id: i64) -> Result<(), ApiError> {
        done(
            self.authed(Method::DELETE, &format!("/me/saved-offers/{id}"), None)
                .await?,
        )
        .await
    }

    pub async fn saved_searches(
        &self,
    ) -> Result<Vec<shared::dto::saved::SavedSearchView>, ApiError> {
        self.call(Method::GET, "/me/saved-searches", None).await
    }

    pub async fn save_search(
        &self,
        criteria: &shared::dto::saved::SearchCriteria,
    ) -> Result<shared::dto::saved::SavedSearchView, ApiError> {
        let body = serde_json::to_value(criteria).unwrap_or_default();
        self.call(Method::POST, "/me/saved-searches", Some(body))
            .await
    }

    /// She opens a saved search: its new offers are counted from now on.
    pub async fn visit_search(
        &self,
        id: i64,
    ) -> Result<shared::dto::saved::SavedSearchView, ApiError> {
        self.call(
            Method::POST,
            &format!("/me/saved-searches/{id}/visit"),
            None,
        )
        .await
    }

    pub async fn delete_search(&self, id: i64) -> Result<(), ApiError> {
        done(
            self.authed(Method::DELETE, &format!("/me/saved-searches/{id}"), None)
                .await?,
        )
        .await
    }

    /// The organisation's offers, every status, newest first.
    pub async fn organization_offers(
        &self,
        org: i64,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::offers::OfferView>, ApiError> {
        let path = format!("/organizations/{org}/offers?limit=20{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn post_offer(
        &self,
        org: i64,
        offer: &shared::dto::offers::OfferInput,
    ) -> Result<shared::dto::offers::OfferView, ApiError> {
        let body = serde_json::to_value(offer).unwrap_or_default();
        self.call(
            Method::POST,
            &format!("/organizations/{org}/offers"),
            Some(body),
        )
        .await
    }

    /// One offer as its organisation reads it, whatever its status.
    pub async fn offer_of_mine(&self, id: i64) -> Result<shared::dto::offers::OfferView, ApiError> {
        self.call(Method::GET, &format!("/offers/{id}"), None).await
    }

    /// Changes one of the organisation's offers: the whole offer, as when it was posted.
    pub async fn edit_offer(
        &self,
        id: i64,
        offer: &shared::dto::offers::OfferInput,
    ) -> Result<shared::dto::offers::OfferView, ApiError> {
        let body = serde_json::to_value(offer).unwrap_or_default();
        self.call(Method::PUT, &format!("/offers/{id}"), Some(body))
            .await
    }

    /// Takes one of the organisation's offers down (sent again by its key, it comes back).
    pub async fn withdraw_offer(
        &self,
        id: i64,
    ) -> Result<shared::dto::offers::OfferView, ApiError> {
        self.call(Method::POST, &format!("/offers/{id}/withdrawal"), None)
            .await
    }

    /// One page of an offer's applicants, of one `status` when it is not empty.
    pub async fn offer_applications(
        &self,
        offer: i64,
        status: String,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::applications::ApplicationView>, ApiError> {
        let status = if status.is_empty() {
            String::new()
        } else {
            format!("&status={status}")
        };
        let path = format!(
            "/offers/{offer}/applications?limit=20{status}{}",
            after(cursor)
        );
        self.call(Method::GET, &path, None).await
    }

    pub async fn move_application(
        &self,
        id: i64,
        status: shared::ApplicationStatus,
    ) -> Result<shared::dto::applications::ApplicationView, ApiError> {
        let body = serde_json::json!({ "status": status });
        self.call(Method::PATCH, &format!("/applications/{id}"), Some(body))
            .await
    }

    pub async fn report_offer(
        &self,
        id: i64,
        request: &shared::dto::offers::ReportOfferRequest,
    ) -> Result<shared::dto::offers::OfferReportView, ApiError> {
        let body = serde_json::to_value(request).unwrap_or_default();
        self.call(Method::POST, &format!("/offers/{id}/reports"), Some(body))
            .await
    }

    /// The sources of gathered offers (admins), by name.
    pub async fn ingest_sources(
        &self,
    ) -> Result<Vec<shared::dto::ingest::IngestSourceView>, ApiError> {
        self.call(Method::GET, "/ingest-sources", None).await
    }

    pub async fn create_ingest_source(
        &self,
        body: serde_json::Value,
    ) -> Result<shared::dto::ingest::IngestSourceView, ApiError> {
        self.call(Method::POST, "/ingest-sources", Some(body)).await
    }

    pub async fn replace_ingest_source(
        &self,
        id: i64,
        body: serde_json::Value,
    ) -> Result<shared::dto::ingest::IngestSourceView, ApiError> {
        self.call(Method::PUT, &format!("/ingest-sources/{id}"), Some(body))
            .await
    }

    pub async fn poll_ingest_source(
        &self,
        id: i64,
    ) -> Result<shared::dto::ingest::IngestSourceView, ApiError> {
        self.call(Method::POST, &format!("/ingest-sources/{id}/poll"), None)
            .await
    }

    /// A source's runs, newest first.
    pub async fn ingest_runs(
        &self,
        id: i64,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::ingest::IngestRunView>, ApiError> {
        let path = format!("/ingest-sources/{id}/runs?limit=10{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    /// The offers waiting for moderation (admins), newest first.
    pub async fn pending_offers(
        &self,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::offers::OfferView>, ApiError> {
        let path = format!("/offers?status=pending&limit=20{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn approve_offer(&self, id: i64) -> Result<shared::dto::offers::OfferView, ApiError> {
        self.call(Method::POST, &format!("/offers/{id}/approval"), None)
            .await
    }

    pub async fn remove_offer(&self, id: i64) -> Result<shared::dto::offers::OfferView, ApiError> {
        self.call(Method::POST, &format!("/offers/{id}/removal"), None)
            .await
    }

    /// The open reports of offers (admins), oldest first.
    pub async fn offer_reports(
        &self,
        cursor: Option<String>,
    ) -> Result<Page<shared::dto::offers::OfferReportView>, ApiError> {
        let path = format!("/offer-reports?limit=20{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn dismiss_report(
        &self,
        id: i64,
    ) -> Result<shared::dto::offers::OfferReportView, ApiError> {
        self.call(
            Method::POST,
            &format!("/offer-reports/{id}/dismissal"),
            None,
        )
        .await
    }

    /// A new secret address for the youth's calendar feed (the one before stops working).
    pub async fn create_calendar_feed(&self) -> Result<CalendarFeed, ApiError> {
        self.call(Method::POST, "/me/calendar", None).await
    }

    pub async fn delete_calendar_feed(&self) -> Result<(), ApiError> {
        done(self.authed(Method::DELETE, "/me/calendar", None).await?).await
    }

    /// Creates a draft event.
    pub async fn create_event(&self, request: &CreateEventRequest) -> Result<EventView, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, "/events", Some(body)).await
    }

    pub async fn update_event(
        &self,
        id: i64,
        changes: &UpdateEventRequest,
    ) -> Result<EventView, ApiError> {
        let body = serde_json::to_value(changes).map_err(|_| ApiError::Network)?;
        self.call(Method::PATCH, &format!("/events/{id}"), Some(body))
            .await
    }

    /// The event's attendance sheet (CSV, its words in `locale`), as the bytes of the file.
    pub async fn attendance_csv(&self, id: i64, locale: Locale) -> Result<Vec<u8>, ApiError> {
        let path = format!("/events/{id}/attendance.csv?lang={}", locale.as_str());
        let response = self.authed(Method::GET, &path, None).await?;
        if response.ok() {
            response.binary().await.map_err(|_| ApiError::Network)
        } else {
            Err(problem(response).await)
        }
    }

    /// Publishes, cancels or completes an event (`publication`, `cancellation`, `completion`).
    pub async fn change_event(&self, id: i64, change: &str) -> Result<EventView, ApiError> {
        self.call(Method::POST, &format!("/events/{id}/{change}"), None)
            .await
    }

    /// One page of an event's roster.
    pub async fn roster(
        &self,
        id: i64,
        cursor: Option<String>,
    ) -> Result<Page<RosterEntry>, ApiError> {
        let path = format!("/events/{id}/registrations?limit=100{}", after(cursor));
        self.call(Method::GET, &path, None).await
    }

    pub async fn check_in(
        &self,
        id: i64,
        request: &CheckInRequest,
    ) -> Result<RosterEntry, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, &format!("/events/{id}/check-ins"), Some(body))
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

    /// Throws the saved draft away (the inventory starts over); none to throw away is fine.
    pub async fn delete_draft(&self) -> Result<(), ApiError> {
        match done(
            self.authed(Method::DELETE, "/me/orientation/draft", None)
                .await?,
        )
        .await
        {
            Err(ApiError::Problem(p)) if p.status == 404 => Ok(()),
            other => other,
        }
    }

    pub async fn submit_answers(
        &self,
        request: &AnswersRequest,
    ) -> Result<OrientationResult, ApiError> {
        let body = serde_json::to_value(request).map_err(|_| ApiError::Network)?;
        self.call(Method::POST, "/orientation/results", Some(body))
            .await
    }

    /// One page of results (twenty), after `cursor`.
    pub async fn results(&self, cursor: Option<String>) -> Result<Page<ResultSummary>, ApiError> {
        let path = format!("/orientation/results?limit=20{}", after(cursor));
        self.call(Method::GET, &path, None).await
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

/// The user id an access token was issued to (its `sub`), read without checking it: only to
/// tell whose it is, the server checks it on every call.
fn token_user(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let mut base64: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !base64.len().is_multiple_of(4) {
        base64.push('=');
    }
    let json = window().atob(&base64).ok()?;
    // The server writes `"sub":"<id>"`; read as text, no JSON parser for one number.
    let start = json.find("\"sub\":\"")? + 7;
    let digits: String = json[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// One try at renewing the session with the cookie: the new access token, or why not.
async fn renew() -> Result<String, Renewal> {
    match send(Method::POST, "/auth/refresh", None, None).await {
        Ok(response) if response.ok() => response
            .json::<TokenResponse>()
            .await
            .map(|tokens| tokens.access_token)
            .map_err(|_| Renewal::Unreachable),
        Ok(response) if response.status() == 401 => Err(Renewal::Refused),
        _ => Err(Renewal::Unreachable),
    }
}

async fn pause(ms: i32) {
    let pause = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(pause).await;
}

/// On start: if the refresh cookie is still good, the user is signed in again. Without an
/// answer the app does not pretend the user is signed out: pages offer to try again.
pub async fn restore_session(session: Session) {
    session.unreachable.set(false);
    let offline = match session.refresh().await {
        Renewal::Renewed => matches!(session.me().await, Err(ApiError::Network)),
        Renewal::Refused => false,
        Renewal::Unreachable => true,
    };
    if offline {
        session.unreachable.set(true);
        // Offline, the user of the last visit goes on: pages that need the server say it
        // cannot be reached, the inventory works from what this device keeps.
        if session.user.get_untracked().is_none() {
            session.user.set(session.remembered.get_value());
        }
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

/// A public read of `path` (under the API's root), answered in JSON.
async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    read(send(Method::GET, path, None, None).await?).await
}

/// `&cursor=…` for the page after `cursor`, nothing for the first page.
fn after(cursor: Option<String>) -> String {
    cursor
        .map(|c| format!("&cursor={}", js_sys::encode_uri_component(&c)))
        .unwrap_or_default()
}

/// One page of centers (a hundred: the whole country's fit in one for years), of one region
/// (its code) or all.
pub async fn centers(
    region: Option<String>,
    cursor: Option<String>,
) -> Result<Page<CenterView>, ApiError> {
    let region = region
        .map(|r| format!("&region={}", js_sys::encode_uri_component(&r)))
        .unwrap_or_default();
    get(&format!("/centers?limit=100{region}{}", after(cursor))).await
}

/// A certificate, as anyone checks it.
pub async fn certificate(code: &str) -> Result<Certificate, ApiError> {
    get(&format!(
        "/certificates/{}",
        js_sys::encode_uri_component(code)
    ))
    .await
}

pub async fn center(id: i64) -> Result<CenterView, ApiError> {
    get(&format!("/centers/{id}")).await
}

pub async fn regions() -> Result<Vec<RegionView>, ApiError> {
    get("/regions").await
}

/// The first communes whose name begins as `q` does (those of `region` when it is not empty).
pub async fn communes(
    q: String,
    region: String,
) -> Result<Page<shared::dto::geo::CommuneView>, ApiError> {
    let region = if region.is_empty() {
        String::new()
    } else {
        format!("&region={}", js_sys::encode_uri_component(&region))
    };
    get(&format!(
        "/communes?limit=20&q={}{region}",
        js_sys::encode_uri_component(&q)
    ))
    .await
}

/// One page of occupations; `filters` is a query string (`q=…&area=…`), already encoded.
pub async fn occupations(
    filters: String,
    cursor: Option<String>,
) -> Result<Page<OccupationSummary>, ApiError> {
    get(&format!("/occupations?limit=20&{filters}{}", after(cursor))).await
}

pub async fn occupation(isco08: String) -> Result<Occupation, ApiError> {
    get(&format!(
        "/occupations/{}",
        js_sys::encode_uri_component(&isco08)
    ))
    .await
}

/// One page of the offers' search; `filters` is a query string (`q=…&kind=…`), already encoded.
pub async fn search_offers(
    filters: String,
    cursor: Option<String>,
) -> Result<shared::dto::offers::OfferSearchResult, ApiError> {
    get(&format!(
        "/offers/search?limit=20&{filters}{}",
        after(cursor)
    ))
    .await
}

pub async fn offer(id: i64) -> Result<shared::dto::offers::OfferView, ApiError> {
    get(&format!("/offers/{id}")).await
}

pub async fn inventory() -> Result<Inventory, ApiError> {
    get("/orientation/inventory").await
}

pub async fn sectors() -> Result<Vec<SectorSummary>, ApiError> {
    get("/sectors").await
}

pub async fn sector(code: String) -> Result<Sector, ApiError> {
    get(&format!("/sectors/{}", js_sys::encode_uri_component(&code))).await
}

/// Every growth sector's figures from the offers.
pub async fn sector_figures() -> Result<Vec<SectorFigures>, ApiError> {
    get("/sectors/figures").await
}

/// One growth sector's figures, with its regions, trades and education asked.
pub async fn sector_figures_of(code: String) -> Result<SectorFiguresDetail, ApiError> {
    get(&format!(
        "/sectors/{}/figures",
        js_sys::encode_uri_component(&code)
    ))
    .await
}
