//! The growth sectors ("secteurs porteurs"), with the interests that fit each.

use leptos::prelude::*;

use crate::api;
use crate::gate::list_state;
use crate::i18n::use_i18n;
use crate::pages::result::area_key;

#[component]
pub fn Sectors() -> impl IntoView {
    let i18n = use_i18n();
    let sectors = LocalResource::new(api::sectors);
    view! {
        <h1>{move || i18n.t("sectors.title")}</h1>
        <p>{move || i18n.t("sectors.intro")}</p>
        {move || match list_state(sectors.get(), "sectors.empty") {
            Err(state) => state,
            Ok(items) => {
                let locale = i18n.locale.get();
                view! {
                    <ul class="cards" id="sector-list">
                        {items.into_iter().map(|s| {
                            let areas = s.areas.iter().map(|a| i18n.t(area_key(*a))).collect::<Vec<_>>().join(", ");
                            view! {
                                <li class="card">
                                    <h2>{s.name.get(locale).to_owned()}</h2>
                                    <p><strong>{i18n.t("sectors.areas")}</strong> " " {areas}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
