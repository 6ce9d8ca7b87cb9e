//! Form fields that show the server's field errors beside the right input, translated.

use leptos::prelude::*;
use shared::FieldError;

use crate::api::ApiError;
use crate::i18n::{has, use_i18n};

/// Field errors of the last submission, by field name.
#[derive(Clone, Copy)]
pub struct FormErrors {
    pub fields: RwSignal<Vec<FieldError>>,
    /// An error about the whole form (wrong password, network down…), as a catalogue key.
    pub general: RwSignal<Option<&'static str>>,
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FormErrors {
    pub fn new() -> Self {
        Self {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.general.set(None);
    }

    /// Shows the app's own check of a form, refused as the server would refuse it.
    pub fn refuse(&self, invalid: shared::FieldErrors) {
        self.fields.set(invalid.0);
        self.general.set(Some("form.errors"));
    }

    /// Shows an API failure: field errors beside their fields, anything else above the form.
    pub fn show(&self, error: &ApiError) {
        let fields = error.field_errors();
        let whole = fields.iter().all(|e| e.field.is_empty());
        let general = if whole || matches!(error, ApiError::Network) {
            general_key(error)
        } else {
            "form.errors"
        };
        self.fields.set(fields);
        self.general.set(Some(general));
    }

    /// The translated message for `field`, if it was refused.
    pub fn message(&self, field: &str) -> Option<String> {
        let i18n = use_i18n();
        self.fields.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                let key = format!("err.{}", e.code);
                if has(&key) {
                    i18n.t(&key).to_owned()
                } else {
                    e.message.clone()
                }
            })
        })
    }
}

/// What went wrong as a whole, as a catalogue key: no connection, a session that ended, too
/// many tries, a busy server, or an error on the server's side.
pub fn general_key(error: &ApiError) -> &'static str {
    match error {
        ApiError::Network => "err.network",
        ApiError::SessionEnded => "err.session_ended",
        // A refusal of the request as a whole, said in the user's words.
        // (One whose text this app leaves out, `catalogue_split`, is said as a general error.)
        ApiError::Problem(p) if whole_request_key(p).is_some() => {
            whole_request_key(p).unwrap_or("err.generic")
        }
        ApiError::Problem(p) if p.status == 401 => "err.login.failed",
        ApiError::Problem(p) if p.status == 429 => "err.login.throttled",
        ApiError::Problem(p) if p.status == 503 => "err.busy",
        ApiError::Problem(_) => "err.generic",
    }
}

/// The catalogue key of a refusal of the request as a whole (`err.` and its code), if this app
/// has its text. Looked up in the catalogue rather than in `shared::codes`, so that the app
/// carries no second list of the codes.
fn whole_request_key(problem: &crate::api::Problem) -> Option<&'static str> {
    problem
        .errors
        .iter()
        .flatten()
        .find(|e| e.field.is_empty())
        .and_then(|e| crate::i18n::static_key(&format!("err.{}", e.code)))
}

/// Failures of actions that have no form to show them (a button in a list, the language,
/// signing out): said at the top of the page until the next change of page.
#[derive(Clone, Copy)]
pub struct Failures(RwSignal<Option<&'static str>>);

impl Failures {
    pub fn provide() -> Self {
        let failures = Self(RwSignal::new(None));
        provide_context(failures);
        failures
    }

    /// Take it before `spawn_local`: a task has no component around it to ask.
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    pub fn report(&self, error: &ApiError) {
        self.0.set(Some(general_key(error)));
    }

    /// After the outcome of `result`: its failure reported, or the last failure cleared.
    pub fn after<T>(&self, result: &Result<T, ApiError>) {
        match result {
            Ok(_) => self.0.set(None),
            Err(error) => self.report(error),
        }
    }

    pub fn clear(&self) {
        self.0.set(None);
    }
}

/// Where [`Failures`] are said.
#[component]
pub fn FailureAlert() -> impl IntoView {
    let i18n = use_i18n();
    let failures = Failures::get();
    move || {
        failures
            .0
            .get()
            .map(|key| view! { <p class="alert" role="alert" id="failure">{i18n.t(key)}</p> })
    }
}

/// The banner above a form that says what went wrong as a whole.
#[component]
pub fn FormAlert(errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors
            .general
            .get()
            .map(|key| view! { <p class="alert" role="alert">{i18n.t(key)}</p> })
    }
}

/// A labelled input bound to `value`, with its error message and hint.
#[component]
pub fn Field(
    /// The API field name; also the input's id.
    name: &'static str,
    /// Catalogue key of the label.
    label: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = move || {
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(format!("{name}-hint"));
        }
        if errors.message(name).is_some() {
            ids.push(format!("{name}-error"));
        }
        ids.join(" ")
    };
    view! {
        <div class="field">
            <label for=name>{move || i18n.t(label)}</label>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if errors.message(name).is_some() { "true" } else { "false" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|key| view! { <p class="hint" id=hint_id.clone()>{move || i18n.t(key)}</p> })}
            {move || errors.message(name).map(|message| view! { <p class="error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}
