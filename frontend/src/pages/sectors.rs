//! The growth sectors ("secteurs porteurs"): the list, and each sector with its strategy,
//! description, the interests that fit and its trades.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::gate::{failed, list_state, loading};
use crate::i18n::{list, use_i18n};
use crate::pages::result::area_key;

/// The areas, named in the interface language.
fn area_names(areas: &[shared::orientation::RiasecArea]) -> String {
    let i18n = use_i18n();
    let names: Vec<&str> = areas.iter().map(|a| i18n.t(area_key(*a))).collect();
    list(i18n.locale.get(), &names)
}

#[component]
pub fn Sectors() -> impl IntoView {
    let i18n = use_i18n();
    let sectors = LocalResource::new(api::sectors);
    view! {
        <h1>{move || i18n.t("sectors.title")}</h1>
        <p>{move || i18n.t("sectors.intro")}</p>
        {move || match list_state(sectors.get(), "sectors.empty", move || sectors.refetch()) {
            Err(state) => state,
            Ok(items) => {
                let locale = i18n.locale.get();
                view! {
                    <ul class="cards" id="sector-list">
                        {items.into_iter().map(|s| view! {
                            <li class="card">
                                <h2><A href=format!("/sectors/{}", s.code)>{s.name.get(locale).to_owned()}</A></h2>
                                <p><strong>{i18n.t("sectors.areas")}</strong> " " {area_names(&s.areas)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}

#[component]
pub fn SectorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let sector = LocalResource::new(move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        api::sector(code)
    });
    move || match sector.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "sectors.missing", move || sector.refetch()),
        Some(Ok(s)) => {
            let locale = i18n.locale.get();
            view! {
                <h1>{s.summary.name.get(locale).to_owned()}</h1>
                <p class="badge">{i18n.t("sectors.strategy")} " " {s.strategy.get(locale).to_owned()}</p>
                <p>{s.description.get(locale).to_owned()}</p>
                <p><strong>{i18n.t("sectors.areas")}</strong> " " {area_names(&s.summary.areas)}</p>
                <h2>{i18n.t("sectors.trades")}</h2>
                <ul>
                    {s.occupations.into_iter().map(|o| view! {
                        <li><A href=format!("/occupations/{}", o.isco08)>{o.title.get(locale).to_owned()}</A> " " <bdi class="badge">{o.code}</bdi></li>
                    }).collect_view()}
                </ul>
                <p><A href="/sectors">{i18n.t("sectors.back")}</A></p>
            }
            .into_any()
        }
    }
}
