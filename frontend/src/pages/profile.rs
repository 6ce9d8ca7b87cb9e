//! The signed-in user's profile and password, and whether her address is confirmed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::auth::ChangePasswordRequest;
use shared::dto::users::{UpdateProfileRequest, UserView};
use shared::{EducationLevel, FieldError, Locale, Role, Sex};

use crate::api::{ApiError, use_session};
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::RoleGate;
use crate::i18n::use_i18n;

#[component]
pub fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <h1>{move || i18n.t("profile.title")}</h1>
        <RoleGate roles=Role::ALL refusal="auth.required">
            <AddressStatus/>
            {move || session.user.get_untracked().map(|user| view! {
                <ProfileForm user=user/>
                <PasswordForm/>
            })}
        </RoleGate>
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Blank means "clear it": the API takes `null` for that.
fn optional(value: String) -> Option<Option<String>> {
    Some(Some(value).filter(|v| !v.trim().is_empty()))
}

#[component]
fn ProfileForm(user: UserView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let first_name = RwSignal::new(user.first_name.clone());
    let last_name = RwSignal::new(user.last_name.clone());
    let city = RwSignal::new(text(&user.city));
    let phone = RwSignal::new(text(&user.phone));
    let field_of_study = RwSignal::new(text(&user.field_of_study));
    let birth_year = RwSignal::new(user.birth_year.map(|y| y.to_string()).unwrap_or_default());
    let education = RwSignal::new(
        user.education_level
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
    );
    let sex = RwSignal::new(user.sex.map(|s| s.as_str().to_owned()).unwrap_or_default());
    // The language shown is the app's (the header's menu may change it meanwhile); it is
    // sent only when chosen here, so saving the profile never undoes the header's choice.
    let locale = RwSignal::new(None::<Locale>);
    let errors = FormErrors::new();
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        saved.set(false);
        let year = birth_year.get_untracked();
        let birth_year = match year.trim() {
            "" => Some(None),
            digits => match digits.parse::<i32>() {
                Ok(y) => Some(Some(y)),
                Err(_) => {
                    errors.fields.set(vec![FieldError {
                        field: "birth_year".into(),
                        code: shared::codes::INVALID_TYPE.as_str().into(),
                        message: String::new(),
                    }]);
                    errors.general.set(Some("form.errors"));
                    return;
                }
            },
        };
        let changes = UpdateProfileRequest {
            first_name: Some(first_name.get_untracked()),
            last_name: Some(last_name.get_untracked()),
            city: optional(city.get_untracked()),
            phone: optional(phone.get_untracked()),
            field_of_study: optional(field_of_study.get_untracked()),
            birth_year,
            education_level: Some(EducationLevel::parse(&education.get_untracked()).ok()),
            sex: Some(Sex::parse(&sex.get_untracked()).ok()),
            locale: locale.get_untracked(),
        };
        spawn_local(async move {
            match session.update_me(&changes).await {
                Ok(user) => {
                    // The account's language is the app's too, from now on and on every device.
                    if locale.get_untracked().is_some() {
                        i18n.set(user.locale);
                        locale.set(None);
                    }
                    saved.set(true);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate id="profile-form">
            <FormAlert errors=errors/>
            {move || saved.get().then(|| view! { <p class="success" role="status">{i18n.t("form.saved")}</p> })}
            <Field name="first_name" label="form.first_name" value=first_name errors=errors autocomplete="given-name" required=true/>
            <Field name="last_name" label="form.last_name" value=last_name errors=errors autocomplete="family-name" required=true/>
            <Field name="city" label="form.city" value=city errors=errors autocomplete="address-level2"/>
            <Field name="phone" label="form.phone" value=phone errors=errors kind="tel" autocomplete="tel"/>
            <Field name="birth_year" label="form.birth_year" value=birth_year errors=errors kind="text"/>
            <fieldset class="field choices" id="sex">
                <legend>{move || i18n.t("form.sex")}</legend>
                {[("", "form.sex.none"), ("female", "form.sex.female"), ("male", "form.sex.male")].map(|(value, key)| {
                    let id = format!("sex-{}", if value.is_empty() { "none" } else { value });
                    view! {
                        <label for=id.clone()>
                            <input type="radio" name="sex" id=id.clone() value=value
                                prop:checked=move || sex.get() == value
                                on:change=move |_| sex.set(value.to_owned())/>
                            {move || i18n.t(key)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="education_level">{move || i18n.t("form.education_level")}</label>
                <select id="education_level" on:change=move |ev| education.set(event_target_value(&ev))>
                    <option value="" selected=move || education.get().is_empty()>{move || i18n.t("edu.none")}</option>
                    {EducationLevel::ALL.iter().map(|level| {
                        let value = level.as_str();
                        let key = format!("edu.{value}");
                        view! {
                            <option value=value selected=move || education.get() == value>{move || i18n.t(&key)}</option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <Field name="field_of_study" label="form.field_of_study" value=field_of_study errors=errors/>
            <div class="field">
                <label for="locale">{move || i18n.t("profile.locale")}</label>
                <select id="locale" aria-describedby="locale-hint" on:change=move |ev| {
                    if let Ok(chosen) = Locale::parse(&event_target_value(&ev)) {
                        locale.set(Some(chosen));
                    }
                }>
                    {Locale::ALL.iter().map(|l| {
                        let l = *l;
                        let key = format!("lang.{l}");
                        // Each language named in itself, and marked as such for screen readers.
                        view! {
                            <option value=l.as_str() lang=l.as_str() selected=move || locale.get().unwrap_or(i18n.locale.get()) == l>{i18n.t(&key)}</option>
                        }
                    }).collect_view()}
                </select>
                <p class="hint" id="locale-hint">{move || i18n.t("profile.locale.hint")}</p>
            </div>
            <button type="submit">{move || i18n.t("form.save")}</button>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        done.set(false);
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
            refresh_in_cookie: true,
        };
        spawn_local(async move {
            match session.change_password(&request).await {
                Ok(()) => {
                    done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <h2>{move || i18n.t("profile.password.title")}</h2>
        <form on:submit=submit novalidate id="password-form">
            <FormAlert errors=errors/>
            {move || done.get().then(|| view! { <p class="success" role="status">{i18n.t("profile.password.done")}</p> })}
            <Field name="current_password" label="form.current_password" value=current errors=errors kind="password" autocomplete="current-password" required=true/>
            <Field name="new_password" label="form.new_password" value=new errors=errors kind="password" autocomplete="new-password" hint="form.password.hint" required=true/>
            <button type="submit">{move || i18n.t("form.save")}</button>
        </form>
    }
}

/// The verification state on the profile page, with a way to ask for a new link.
#[component]
pub fn AddressStatus() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let said = RwSignal::new(None::<&'static str>);
    let resend = move |_| {
        spawn_local(async move {
            said.set(Some(match session.resend_verification().await {
                Ok(()) => "verify.sent",
                Err(ApiError::Problem(p)) if p.status == 429 => "err.login.throttled",
                Err(ApiError::Network) => "err.network",
                Err(_) => "err.generic",
            }));
        });
    };
    move || {
        let verified = session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.email_verified_at.is_some()));
        if verified {
            view! { <p class="badge" id="address-verified">{i18n.t("verify.badge")}</p> }.into_any()
        } else {
            view! {
                <div class="notice" id="address-unverified">
                    <p>{i18n.t("verify.pending")}</p>
                    {move || match said.get() {
                        Some(key) => view! { <p role="status">{i18n.t(key)}</p> }.into_any(),
                        None => view! { <button type="button" class="small" on:click=resend>{i18n.t("verify.resend")}</button> }.into_any(),
                    }}
                </div>
            }.into_any()
        }
    }
}
