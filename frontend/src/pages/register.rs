//! Self-registration of a youth, then straight into the profile.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::Role;
use shared::dto::auth::RegisterRequest;

use crate::api::{self, use_session};
use crate::forms::{Field, FormAlert, FormErrors};
use crate::i18n::use_i18n;

#[component]
pub fn Register() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Youth);
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = RegisterRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            role: Some(role.get_untracked()),
            locale: Some(i18n.locale.get_untracked()),
            birth_year: None,
            sex: None,
            city: None,
            education_level: None,
            field_of_study: None,
            phone: None,
        };
        // The same rules the server applies, run here first for instant feedback.
        if let Err(invalid) = request.parse(current_year()) {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match api::register(&request).await {
                Ok(_) => session.login(request.email, request.password).await,
                Err(error) => Err(error),
            };
            match result {
                Ok(_) => navigate("/profile", Default::default()),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || i18n.t("register.title")}</h1>
        <form on:submit=submit novalidate>
            <FormAlert errors=errors/>
            <div class="field">
                <label for="role">{move || i18n.t("register.role")}</label>
                <select id="role" on:change=move |ev| {
                    if let Ok(r) = Role::parse(&event_target_value(&ev)) { role.set(r); }
                }>
                    {[Role::Youth, Role::Employer, Role::Partner].into_iter().map(|r| {
                        let key = format!("register.role.{}", r.as_str());
                        view! { <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(&key)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="first_name" label="form.first_name" value=first_name errors=errors autocomplete="given-name" required=true/>
            <Field name="last_name" label="form.last_name" value=last_name errors=errors autocomplete="family-name" required=true/>
            <Field name="email" label="form.email" value=email errors=errors kind="email" autocomplete="email" required=true/>
            <Field name="password" label="form.password" value=password errors=errors kind="password" autocomplete="new-password" hint="form.password.hint" required=true/>
            <button type="submit" disabled=move || busy.get()>{move || i18n.t("form.submit.register")}</button>
        </form>
        <p>{move || i18n.t("register.have_account")} " " <A href="/login">{move || i18n.t("nav.login")}</A></p>
    }
}

/// The year from the browser's clock, to bound birth years as the server does.
pub fn current_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}
