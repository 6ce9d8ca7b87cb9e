//! What the career center offers, and the way to each service.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    // (title, text, where it lives once it exists)
    let services = [
        (
            "home.orientation.title",
            "home.orientation.text",
            Some("/orientation"),
        ),
        ("home.events.title", "home.events.text", None),
        ("home.sectors.title", "home.sectors.text", Some("/sectors")),
        ("home.offers.title", "home.offers.text", None),
    ];
    view! {
        <section class="hero">
            <h1>{move || i18n.t("home.title")}</h1>
            <p>{move || i18n.t("home.intro")}</p>
            <p class="actions">
                <A href="/register" attr:class="button">{move || i18n.t("home.cta.register")}</A>
                <A href="/centers" attr:class="button secondary">{move || i18n.t("home.cta.centers")}</A>
            </p>
        </section>
        <ul class="cards">
            {services
                .into_iter()
                .map(|(title, text, href)| view! {
                    <li class="card">
                        <h2>{move || i18n.t(title)}</h2>
                        <p>{move || i18n.t(text)}</p>
                        {match href {
                            Some(href) => view! { <A href=href>{move || i18n.t("home.open")}</A> }.into_any(),
                            None => view! { <p class="badge">{move || i18n.t("home.soon")}</p> }.into_any(),
                        }}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
