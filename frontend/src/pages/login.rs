//! E-mail and password login.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_session;
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::after_login;
use crate::i18n::use_i18n;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .login(email.get_untracked(), password.get_untracked())
                .await
            {
                Ok(_) => navigate(
                    &after_login(query.with_untracked(|q| q.get("next"))),
                    Default::default(),
                ),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || i18n.t("login.title")}</h1>
        <form on:submit=submit novalidate>
            <FormAlert errors=errors/>
            <Field name="email" label="form.email" value=email errors=errors kind="email" autocomplete="username" required=true/>
            <Field name="password" label="form.password" value=password errors=errors kind="password" autocomplete="current-password" required=true/>
            <button type="submit" disabled=move || busy.get()>{move || i18n.t("form.submit.login")}</button>
        </form>
        <p><A href="/forgot-password">{move || i18n.t("login.forgot")}</A></p>
        <p>{move || i18n.t("login.no_account")} " " <A href="/register">{move || i18n.t("nav.register")}</A></p>
    }
}
