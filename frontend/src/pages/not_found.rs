//! Any path the app does not know; a page of another app is handed over to it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use shared::pages::web_app_of;

use crate::app::ThisApp;
use crate::gate::loading;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let this = use_context::<ThisApp>().map(|a| a.0);
    if this.is_some_and(|app| web_app_of(&path) != app) && !handed_over_just_now(&path) {
        // Another app's page: load it (the server sends that app's shell for this path).
        let search = location.search.get_untracked();
        let hash = location.hash.get_untracked();
        let query = if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        };
        let hash = match hash.as_str() {
            "" => String::new(),
            h if h.starts_with('#') => hash.clone(),
            h => format!("#{h}"),
        };
        let _ = window().location().replace(&format!("{path}{query}{hash}"));
        return loading().into_any();
    }
    view! {
        <h1>{move || i18n.t("notfound.title")}</h1>
        <p>{move || i18n.t("notfound.text")}</p>
        <p><A href="/">{move || i18n.t("notfound.home")}</A></p>
    }
    .into_any()
}

/// Whether this page was handed over to another app a moment ago: then that app is not
/// there (a build without it) and the page is not found, rather than a reload without end.
fn handed_over_just_now(path: &str) -> bool {
    const KEY: &str = "cc.handover";
    let Some(storage) = window().session_storage().ok().flatten() else {
        return false;
    };
    let now = js_sys::Date::now();
    let recent = storage
        .get_item(KEY)
        .ok()
        .flatten()
        .and_then(|v| {
            let (at, to) = v.split_once(' ')?;
            Some((at.parse::<f64>().ok()?, to.to_owned()))
        })
        .is_some_and(|(at, to)| to == path && now - at < 10_000.0);
    if recent {
        let _ = storage.remove_item(KEY);
    } else {
        let _ = storage.set_item(KEY, &format!("{now} {path}"));
    }
    recent
}
