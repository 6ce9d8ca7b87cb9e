//! Occupations: a search in French, Arabic or English with filters by interest and by the
//! preparation asked, and each occupation's page with its interest profile, the education it
//! asks and its growth sectors.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::orientation::RiasecArea;

use crate::api;
use crate::gate::{Paged, failed, loading};
use crate::i18n::{decimal, use_i18n};
use crate::pages::result::{area_key, zone_key};

/// The filters the address holds, as the API takes them.
const FILTERS: [&str; 3] = ["q", "area", "max_job_zone"];

/// `name=value&…` of the filters given, encoded; blank ones left out.
fn query_string<const N: usize>(filters: [(&str, String); N]) -> String {
    filters
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value.trim())))
        .collect::<Vec<_>>()
        .join("&")
}

#[component]
pub fn Occupations() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let value = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    // The API's query string, from the address: what was searched survives a reload, a shared
    // link and the back button.
    let filters = move || query_string(FILTERS.map(|name| (name, value(name))));
    let occupations = Paged::new(move |cursor| api::occupations(filters(), cursor));
    Effect::new(move |previous: Option<String>| {
        let now = filters();
        if previous.is_some_and(|p| p != now) {
            occupations.restart();
        }
        now
    });
    let q = RwSignal::new(value("q"));
    let area = RwSignal::new(value("area"));
    let zone = RwSignal::new(value("max_job_zone"));
    // Back and forward change the address: the form shows what the list is of.
    Effect::new(move |_| {
        q.set(value("q"));
        area.set(value("area"));
        zone.set(value("max_job_zone"));
    });
    let navigate = use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = query_string(
            [("q", q), ("area", area), ("max_job_zone", zone)]
                .map(|(name, signal)| (name, signal.get_untracked())),
        );
        navigate(&format!("/occupations?{chosen}"), Default::default());
    };
    view! {
        <h1>{move || i18n.t("occupations.title")}</h1>
        <p>{move || i18n.t("occupations.intro")}</p>
        <form role="search" class="search" on:submit=search aria-label=move || i18n.t("occupations.search")>
            <div class="field">
                <label for="q">{move || i18n.t("occupations.q")}</label>
                <input type="search" id="q" name="q" aria-describedby="q-hint" prop:value=q
                    on:input=move |ev| q.set(event_target_value(&ev))/>
                <p class="hint" id="q-hint">{move || i18n.t("occupations.q.hint")}</p>
            </div>
            <div class="filters">
                <div class="field">
                    <label for="area">{move || i18n.t("occupations.area")}</label>
                    <select id="area" on:change=move |ev| area.set(event_target_value(&ev))>
                        <option value="" selected=move || area.get().is_empty()>{move || i18n.t("occupations.any")}</option>
                        {RiasecArea::ALL.iter().map(|a| {
                            let key = area_key(*a);
                            let value = a.as_str();
                            view! { <option value=value selected=move || area.get() == value>{move || i18n.t(key)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="max_job_zone">{move || i18n.t("occupations.zone")}</label>
                    <select id="max_job_zone" on:change=move |ev| zone.set(event_target_value(&ev))>
                        <option value="" selected=move || zone.get().is_empty()>{move || i18n.t("occupations.any")}</option>
                        {(1u8..=5).map(|z| {
                            let value = z.to_string();
                            let is = value.clone();
                            view! { <option value=value selected=move || zone.get() == is>{move || i18n.t(zone_key(z))}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <button type="submit">{move || i18n.t("occupations.submit")}</button>
        </form>
        {move || match occupations.state("occupations.none") {
            Err(state) => state,
            Ok(items) => {
                let locale = i18n.locale.get();
                view! {
                    <ul class="cards" id="occupation-list">
                        {items.into_iter().map(|o| view! {
                            <li class="card">
                                <h2><A href=format!("/occupations/{}", o.isco08)>{o.title.get(locale).to_owned()}</A></h2>
                                <p>
                                    <bdi class="badge">{o.code}</bdi> " "
                                    <span class="badge">{i18n.t(zone_key(o.job_zone))}</span>
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        {occupations.more()}
    }
}

/// One occupation: its interests, the preparation it asks and its growth sectors.
#[component]
pub fn OccupationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let occupation = LocalResource::new(move || {
        api::occupation(params.with(|p| p.get("isco08").unwrap_or_default()))
    });
    move || match occupation.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "occupations.missing", move || occupation.refetch()),
        Some(Ok(o)) => {
            let locale = i18n.locale.get();
            let scores = o.profile.to_array();
            view! {
                <h1>{o.summary.title.get(locale).to_owned()}</h1>
                <p>
                    {i18n.t("occupations.code")} " " <bdi class="badge">{o.summary.code.clone()}</bdi> " "
                    <span class="muted">{i18n.t("occupations.isco")} " " <bdi>{o.summary.isco08.clone()}</bdi></span>
                </p>
                <h2>{i18n.t("occupations.education")}</h2>
                <p id="education">{i18n.t(zone_key(o.summary.job_zone))}</p>
                <h2 id="profile-title">{i18n.t("occupations.profile")}</h2>
                <p class="muted">{i18n.t("occupations.profile.scale")}</p>
                <table class="profile-bars" aria-labelledby="profile-title">
                    <thead><tr>
                        <th scope="col">{i18n.t("occupations.profile.area")}</th>
                        <th scope="col">{i18n.t("occupations.profile.score")}</th>
                    </tr></thead>
                    <tbody>
                        {RiasecArea::ALL.iter().zip(scores).map(|(area, score)| {
                            view! {
                                <tr>
                                    <th scope="row">{i18n.t(area_key(*area))}</th>
                                    <td>
                                        // A bar for the eye (the page's security policy allows no
                                        // inline style); the figure is what is read out.
                                        <meter class="bar" aria-hidden="true" min="1" max="7" value=score></meter>
                                        {decimal(locale, score)}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{i18n.t("occupations.sectors")}</h2>
                {if o.sectors.is_empty() {
                    view! { <p>{i18n.t("occupations.sectors.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul id="occupation-sectors">
                            {o.sectors.into_iter().map(|s| view! {
                                <li><A href=format!("/sectors/{}", s.code)>{s.name.get(locale).to_owned()}</A></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><A href="/occupations">{i18n.t("occupations.back")}</A></p>
            }
            .into_any()
        }
    }
}
