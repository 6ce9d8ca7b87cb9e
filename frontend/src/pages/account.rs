//! Keeping an account: a forgotten password and the address verification link (invitations into
//! organisations are the staff's app's: `invitations.rs`). Links mailed by the server carry their
//! token after `#token=`, which never reaches a server log. Part of the guide: pages reached
//! from an e-mail or the login page, not from a first visit, so the youth's app does not carry
//! them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use shared::dto::auth::{PasswordResetConfirmation, PasswordResetRequest};

use crate::api::{self, ApiError, use_session};
use crate::forms::{Field, FormAlert, FormErrors};
use crate::i18n::use_i18n;

/// The token of a mailed link (`…#token=abc`), if the address carries one.
pub(crate) fn link_token() -> Option<String> {
    let hash = use_location().hash.get_untracked();
    hash.trim_start_matches('#')
        .strip_prefix("token=")
        .map(str::to_owned)
        .filter(|t| !t.is_empty())
}

/// Whether a failure is a link that no longer works.
fn is_dead_link(error: &ApiError) -> bool {
    error
        .field_errors()
        .iter()
        .any(|e| e.field == "token" && shared::codes::TOKEN_INVALID == e.code)
}

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = PasswordResetRequest {
            email: email.get_untracked(),
        };
        if let Err(invalid) = request.parse() {
            return errors.refuse(invalid);
        }
        busy.set(true);
        spawn_local(async move {
            match api::request_password_reset(request.email).await {
                Ok(()) => sent.set(true),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || i18n.t("reset.title")}</h1>
        {move || if sent.get() {
            view! { <p class="success" role="status" id="reset-sent">{i18n.t("reset.sent")}</p> }.into_any()
        } else {
            view! {
                <p>{i18n.t("reset.intro")}</p>
                <form on:submit=submit novalidate id="forgot-form">
                    <FormAlert errors=errors/>
                    <Field name="email" label="form.email" value=email errors=errors kind="email" autocomplete="email" required=true/>
                    <button type="submit" disabled=move || busy.get()>{i18n.t("reset.send")}</button>
                </form>
            }.into_any()
        }}
        <p><A href="/login">{move || i18n.t("reset.back")}</A></p>
    }
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    let i18n = use_i18n();
    let token = link_token();
    let new_password = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let dead = RwSignal::new(token.is_none());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = PasswordResetConfirmation {
            token: token.clone().unwrap_or_default(),
            new_password: new_password.get_untracked(),
        };
        if let Err(invalid) = request.parse() {
            return errors.refuse(invalid);
        }
        busy.set(true);
        spawn_local(async move {
            match api::reset_password(request.token, request.new_password).await {
                Ok(()) => done.set(true),
                Err(error) if is_dead_link(&error) => dead.set(true),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || i18n.t("reset.new.title")}</h1>
        {move || if done.get() {
            view! {
                <p class="success" role="status" id="reset-done">{i18n.t("reset.done")}</p>
                <p><A href="/login">{i18n.t("nav.login")}</A></p>
            }.into_any()
        } else if dead.get() {
            view! {
                <p class="alert" role="alert">{i18n.t("link.dead")}</p>
                <p><A href="/forgot-password">{i18n.t("reset.again")}</A></p>
            }.into_any()
        } else {
            let submit = submit.clone();
            view! {
                <form on:submit=submit novalidate id="reset-form">
                    <FormAlert errors=errors/>
                    <Field name="new_password" label="form.new_password" value=new_password errors=errors kind="password" autocomplete="new-password" hint="form.password.hint" required=true/>
                    <button type="submit" disabled=move || busy.get()>{i18n.t("reset.save")}</button>
                </form>
            }.into_any()
        }}
    }
}

/// What became of a verification link.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Checking,
    Verified,
    Dead,
    Failed,
}

#[component]
pub fn VerifyEmail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let outcome = RwSignal::new(Outcome::Checking);
    match link_token() {
        None => outcome.set(Outcome::Dead),
        Some(token) => spawn_local(async move {
            outcome.set(match api::confirm_verification(token).await {
                Ok(()) => {
                    if session.user.get_untracked().is_some() {
                        let _ = session.me().await;
                    }
                    Outcome::Verified
                }
                Err(error) if is_dead_link(&error) => Outcome::Dead,
                Err(_) => Outcome::Failed,
            });
        }),
    }
    view! {
        <h1>{move || i18n.t("verify.title")}</h1>
        {move || match outcome.get() {
            Outcome::Checking => view! { <p role="status">{i18n.t("state.loading")}</p> }.into_any(),
            Outcome::Verified => view! {
                <p class="success" role="status" id="verified">{i18n.t("verify.done")}</p>
                <p><A href="/profile">{i18n.t("nav.profile")}</A></p>
            }.into_any(),
            Outcome::Dead => view! {
                <p class="alert" role="alert">{i18n.t("link.dead")}</p>
                <p>{i18n.t("verify.again")}</p>
            }.into_any(),
            Outcome::Failed => view! { <p class="alert" role="alert">{i18n.t("err.network")}</p> }.into_any(),
        }}
    }
}
