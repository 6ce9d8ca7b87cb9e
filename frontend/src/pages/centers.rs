//! The career centers, their host institutions and satellite sites.

use leptos::prelude::*;

use crate::api;
use crate::gate::{failed, loading};
use crate::i18n::{colon, use_i18n};
use shared::Locale;

#[component]
pub fn Centers() -> impl IntoView {
    let i18n = use_i18n();
    let centers = LocalResource::new(api::centers);
    view! {
        <h1>{move || i18n.t("centers.title")}</h1>
        <p>{move || i18n.t("centers.intro")}</p>
        {move || match centers.get() {
            None => loading().into_any(),
            Some(Err(error)) => failed(&error, "state.error", move || centers.refetch()),
            Some(Ok(page)) if page.items.is_empty() => view! { <p>{i18n.t("centers.empty")}</p> }.into_any(),
            Some(Ok(page)) => view! {
                <ul class="cards centers">
                    {page.items.into_iter().map(|center| {
                        let region = if i18n.locale.get() == Locale::Ar { center.region_name_ar.clone() } else { center.region_name_fr.clone() };
                        let sites = center.sites.clone();
                        view! {
                            <li class="card">
                                <h2>{center.name.clone()}</h2>
                                <p><strong>{i18n.t("centers.host")}</strong> {colon(i18n.locale.get())} {center.host_institution.clone()}</p>
                                {center.address.clone().map(|a| view! { <p>{a}</p> })}
                                <p>{center.city.clone()} " — " {region}</p>
                                {(!sites.is_empty()).then(|| view! {
                                    <p><strong>{i18n.t("centers.sites")}</strong></p>
                                    <ul>
                                        {sites.into_iter().map(|site| view! {
                                            <li>{site.name} " (" {site.city} ")"</li>
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
