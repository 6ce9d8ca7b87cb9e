//! The growth sectors ("secteurs porteurs"): the list, and each sector with its strategy,
//! description, the interests that fit and its trades.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::gate::{failed, list_state, loading};
use crate::i18n::{list, use_i18n};
use crate::pages::offers::education_key;
use crate::pages::result::{area_key, figures_line, figures_of};

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
    let figures = LocalResource::new(api::sector_figures);
    let figures = move || figures.get().and_then(Result::ok);
    view! {
        <h1>{move || i18n.t("sectors.title")}</h1>
        <p>{move || i18n.t("sectors.intro")}</p>
        {move || match list_state(sectors.get(), "sectors.empty", move || sectors.refetch()) {
            Err(state) => state,
            Ok(items) => {
                let locale = i18n.locale.get();
                view! {
                    <ul class="cards" id="sector-list">
                        {items.into_iter().map(|s| {
                            let code = s.code.clone();
                            view! {
                                <li class="card">
                                    <h2><A href=format!("/sectors/{}", s.code)>{s.name.get(locale).to_owned()}</A></h2>
                                    <p><strong>{i18n.t("sectors.areas")}</strong> " " {area_names(&s.areas)}</p>
                                    {move || figures_of(i18n, &figures(), &code).map(|line| view! { <p class="muted figures">{line}</p> })}
                                </li>
                            }
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
                <Figures code=s.summary.code.clone()/>
                <p><A href="/sectors">{i18n.t("sectors.back")}</A></p>
            }
            .into_any()
        }
    }
}

/// What the offers say of sector `code`: its open offers and their trend, where they are, the
/// trades most asked for and the education asked.
#[component]
fn Figures(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let figures = LocalResource::new({
        let code = code.clone();
        move || api::sector_figures_of(code.clone())
    });
    let count = move |name: String, n: u64| {
        i18n.t("sectors.figures.count")
            .replace("{name}", &name)
            .replace("{n}", &n.to_string())
    };
    view! {
        <section id="sector-figures">
            <h2>{i18n.t("sectors.figures.title")}</h2>
            {move || match figures.get() {
                None => loading().into_any(),
                // The sector's page stands without its figures.
                Some(Err(_)) => view! { <p>{i18n.t("sectors.figures.unavailable")}</p> }.into_any(),
                Some(Ok(f)) if f.figures.live_offers == 0 && f.figures.last_30_days == 0 => view! {
                    <p>{i18n.t("figures.none")}</p>
                }.into_any(),
                Some(Ok(f)) => {
                    let locale = i18n.locale.get();
                    let shared::dto::orientation::SectorFiguresDetail {
                        figures: totals,
                        regions,
                        occupations,
                        education,
                        education_unstated,
                    } = f;
                    let arabic = locale == shared::Locale::Ar;
                    view! {
                        <p>{figures_line(i18n, &totals)}</p>
                        <p class="muted">{i18n.t("sectors.figures.note")}</p>
                        {(!regions.is_empty()).then(move || view! {
                            <h3>{i18n.t("sectors.figures.regions")}</h3>
                            <ul>
                                {regions.into_iter().map(|r| view! {
                                    <li>{count(if arabic { r.name_ar } else { r.name_fr }, r.live_offers)}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!occupations.is_empty()).then(move || view! {
                            <h3>{i18n.t("sectors.figures.trades")}</h3>
                            <ul>
                                {occupations.into_iter().map(|o| view! {
                                    <li>
                                        <A href=format!("/occupations/{}", o.occupation.isco08)>{o.occupation.title.get(locale).to_owned()}</A>
                                        " " {i18n.t("sectors.figures.times").replace("{n}", &o.live_offers.to_string())}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!education.is_empty() || education_unstated > 0).then(move || view! {
                            <h3>{i18n.t("sectors.figures.education")}</h3>
                            <ul>
                                {education.into_iter().map(|e| view! {
                                    <li>{count(i18n.t(education_key(e.education)).to_owned(), e.live_offers)}</li>
                                }).collect_view()}
                                {(education_unstated > 0).then(|| view! {
                                    <li>{count(i18n.t("sectors.figures.unstated").to_owned(), education_unstated)}</li>
                                })}
                            </ul>
                        })}
                        <p><A href=format!("/offers?sector={}", totals.code)>{i18n.t("sectors.figures.offers")}</A></p>
                    }.into_any()
                }
            }}
        </section>
    }
}
