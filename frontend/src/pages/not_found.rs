//! Any path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("notfound.title")}</h1>
        <p>{move || i18n.t("notfound.text")}</p>
        <p><A href="/">{move || i18n.t("notfound.home")}</A></p>
    }
}
