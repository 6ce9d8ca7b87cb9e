//! The career centers, their host institutions and satellite sites: the list, filtered by
//! region, and each center's page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::dto::centers::{CenterView, UpdateCenterRequest};
use shared::{Locale, Role};

use crate::api::{self, use_session};
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::{Paged, failed, loading};
use crate::i18n::{isolated, language_of, use_i18n};

fn region_name(center: &CenterView, locale: Locale) -> String {
    if locale == Locale::Ar {
        center.region_name_ar.clone()
    } else {
        center.region_name_fr.clone()
    }
}

#[component]
pub fn Centers() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let region = move || query.with(|q| q.get("region").filter(|r| !r.is_empty()));
    let centers = Paged::new(move |cursor| api::centers(region(), cursor));
    // A new region in the address (the filter, or the browser's back button): a new list.
    Effect::new(move |previous: Option<Option<String>>| {
        let now = region();
        if previous.is_some_and(|p| p != now) {
            centers.restart();
        }
        now
    });
    view! {
        <h1>{move || i18n.t("centers.title")}</h1>
        <p>{move || i18n.t("centers.intro")}</p>
        <RegionFilter selected=Signal::derive(region)/>
        {move || match centers.state(if region().is_some() { "centers.empty.region" } else { "centers.empty" }) {
            Err(state) => state,
            Ok(items) => view! {
                <ul class="cards centers" id="center-list">
                    {items.into_iter().map(|center| {
                        let locale = i18n.locale.get();
                        let region = region_name(&center, locale);
                        let sites = center.sites.len();
                        let (name_lang, host_lang, city_lang) = (
                            language_of(&center.name),
                            language_of(&center.host_institution),
                            language_of(&center.city),
                        );
                        view! {
                            <li class="card">
                                <h2 dir="auto" lang=name_lang><A href=format!("/centers/{}", center.id)>{center.name}</A></h2>
                                <p dir="auto" lang=host_lang>{center.host_institution}</p>
                                <p><bdi lang=city_lang>{center.city}</bdi> " — " {region}</p>
                                {(sites > 0).then(|| view! {
                                    <p class="muted">{i18n.t("centers.sites.count").replace("{n}", &sites.to_string())}</p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {centers.more()}
    }
}

/// The regions to choose from; choosing one puts it in the address, so that the filtered
/// list can be shared, bookmarked and gone back to.
#[component]
fn RegionFilter(selected: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let regions = LocalResource::new(api::regions);
    let navigate = use_navigate();
    let choose = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        let path = if code.is_empty() {
            "/centers".to_owned()
        } else {
            format!("/centers?region={}", js_sys::encode_uri_component(&code))
        };
        navigate(&path, Default::default());
    };
    view! {
        <div class="field filters">
            <label for="region">{move || i18n.t("centers.region")}</label>
            <select id="region" on:change=choose>
                <option value="" selected=move || selected.get().is_none()>{move || i18n.t("centers.region.all")}</option>
                {move || regions.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|r| {
                    let name = if i18n.locale.get() == Locale::Ar { r.name_ar } else { r.name_fr };
                    let code = r.code;
                    let is = code.clone();
                    view! { <option value=code selected=move || selected.get().as_deref() == Some(is.as_str())>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// One center: where it is, who hosts it, and its satellite sites.
#[component]
pub fn CenterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let center = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
        async move {
            match id {
                Some(id) => api::center(id).await,
                None => Err(api::ApiError::not_found()),
            }
        }
    });
    move || match center.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "centers.missing", move || center.refetch()),
        Some(Ok(c)) => {
            let locale = i18n.locale.get();
            let region = region_name(&c, locale);
            let region_link = format!(
                "/centers?region={}",
                js_sys::encode_uri_component(&c.region_code)
            );
            view! {
                // Names and addresses are written by staff in one language: each runs in its
                // own direction, and is read in its own language, inside a page in another.
                <h1 dir="auto" lang=language_of(&c.name)>{c.name.clone()}</h1>
                <dl class="facts">
                    <dt>{i18n.t("centers.host")}</dt>
                    <dd dir="auto" lang=language_of(&c.host_institution)>{c.host_institution.clone()}</dd>
                    {c.address.clone().map(|a| { let lang = language_of(&a); view! { <dt>{i18n.t("centers.address")}</dt><dd dir="auto" lang=lang>{a}</dd> } })}
                    <dt>{i18n.t("centers.city")}</dt>
                    <dd dir="auto" lang=language_of(&c.city)>{c.city.clone()}</dd>
                    <dt>{i18n.t("centers.region")}</dt>
                    <dd><A href=region_link>{region}</A></dd>
                    <dt>{i18n.t("centers.notice")}</dt>
                    <dd id="notice-hours">{isolated(i18n.t("centers.notice.hours"), &[("n", c.cancellation_notice_hours.to_string())])}</dd>
                </dl>
                <NoticeForm center=c.id hours=c.cancellation_notice_hours saved=Callback::new(move |()| center.refetch())/>
                <h2>{i18n.t("centers.sites")}</h2>
                {if c.sites.is_empty() {
                    view! { <p>{i18n.t("centers.sites.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards" id="site-list">
                            {c.sites.into_iter().map(|site| view! {
                                <li class="card">
                                    <h3 dir="auto" lang=language_of(&site.name)>{site.name.clone()}</h3>
                                    {site.host_institution.map(|h| { let lang = language_of(&h); view! { <p dir="auto" lang=lang>{h}</p> } })}
                                    {site.address.map(|a| { let lang = language_of(&a); view! { <p dir="auto" lang=lang>{a}</p> } })}
                                    <p dir="auto" lang=language_of(&site.city)>{site.city.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><A href="/centers">{i18n.t("centers.back")}</A></p>
            }
            .into_any()
        }
    }
}

/// Admins set how long before an appointment a youth of the center may still cancel it.
#[component]
fn NoticeForm(center: i64, hours: i32, saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin))
    };
    let value = RwSignal::new(hours.to_string());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        // Not a whole number: out of the range, as the server would say.
        let hours = value.get_untracked().trim().parse::<i32>().unwrap_or(-1);
        let request = UpdateCenterRequest {
            cancellation_notice_hours: Some(hours),
            ..Default::default()
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let body = serde_json::json!({ "cancellation_notice_hours": hours });
            match session.update_center(center, body).await {
                Ok(_) => saved.run(()),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=admin>
            <form id="notice-form" on:submit=submit novalidate>
                <FormAlert errors=errors/>
                <Field name="cancellation_notice_hours" label="centers.notice.label" value=value errors=errors kind="number" hint="centers.notice.hint"/>
                <button type="submit" disabled=move || busy.get()>{move || i18n.t("centers.notice.save")}</button>
            </form>
        </Show>
    }
}
