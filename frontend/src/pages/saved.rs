//! What a user keeps of the offers: the save buttons of an offer and of a search, and the page
//! of her saved searches (each with the offers new since she last opened it) and saved offers.
//! Part of the guide.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::dto::saved::{SavedOfferView, SavedSearchView, SearchCriteria};
use shared::{OfferStatus, Role};

use crate::api::{self, ApiError, use_session};
use crate::forms::{Failures, general_key};
use crate::gate::{Paged, RoleGate, failed, loading};
use crate::i18n::{format_date, isolated, use_i18n};
use crate::pages::offers::{contract_key, education_key, kind_key};

/// The offer's save button, for someone signed in: pressed while it is saved.
#[component]
pub fn SaveOffer(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let saved = RwSignal::new(None::<bool>);
    let busy = RwSignal::new(false);
    let failures = Failures::get();
    Effect::new(move |_| {
        if session.is_signed_in() {
            spawn_local(async move {
                if let Ok(page) = session.saved_offers(Some(id), None).await {
                    saved.try_set(Some(!page.items.is_empty()));
                }
            });
        }
    });
    let toggle = move |_| {
        let now = saved.get_untracked().unwrap_or(false);
        busy.set(true);
        spawn_local(async move {
            let answer = if now {
                session.unsave_offer(id).await
            } else {
                session.save_offer(id).await.map(|_| ())
            };
            failures.after(&answer);
            if answer.is_ok() {
                saved.try_set(Some(!now));
            }
            busy.try_set(false);
        });
    };
    move || {
        saved.get().map(|on| {
            view! {
                <button type="button" class="secondary" id="save-offer" aria-pressed=on.to_string()
                    disabled=busy on:click=toggle>
                    {if on { i18n.t("saved.offer.on") } else { i18n.t("saved.offer.off") }}
                </button>
            }
        })
    }
}

/// The criteria the search page's address holds.
fn criteria_of_address(value: impl Fn(&str) -> String) -> SearchCriteria {
    let text = |name: &str| Some(value(name)).filter(|v| !v.is_empty());
    SearchCriteria {
        q: text("q"),
        kind: text("kind").and_then(|v| shared::OfferKind::parse(&v).ok()),
        contract: text("contract").and_then(|v| shared::Contract::parse(&v).ok()),
        region: text("region"),
        commune: text("commune"),
        sector: text("sector"),
        education: text("education").and_then(|v| shared::RequiredEducation::parse(&v).ok()),
        remote: text("remote").map(|v| v == "true"),
    }
}

/// Saving the search shown, for someone signed in who searched for something.
#[component]
pub fn SaveSearch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let criteria = Memo::new(move |_| {
        criteria_of_address(|name| query.with(|q| q.get(name).unwrap_or_default()))
    });
    // What became of the last save: done, or the refusal's catalogue key.
    let outcome = RwSignal::new(None::<Result<(), &'static str>>);
    Effect::new(move |_| {
        criteria.track();
        outcome.set(None);
    });
    let busy = RwSignal::new(false);
    let save = move |_| {
        busy.set(true);
        let wanted = criteria.get_untracked();
        spawn_local(async move {
            let answer = session.save_search(&wanted).await;
            outcome.try_set(Some(answer.map(|_| ()).map_err(|e| general_key(&e))));
            busy.try_set(false);
        });
    };
    move || {
        let shown = session.is_signed_in() && criteria.with(|c| *c != SearchCriteria::default());
        shown.then(|| match outcome.get() {
            Some(Ok(())) => view! {
                <p class="notice" role="status" id="search-saved">
                    {i18n.t("saved.search.done")} " " <A href="/saved">{i18n.t("saved.see")}</A>
                </p>
            }
            .into_any(),
            other => view! {
                <p>
                    <button type="button" class="secondary" id="save-search" disabled=busy on:click=save>
                        {i18n.t("saved.search.save")}
                    </button>
                </p>
                {other.and_then(Result::err).map(|key| view! { <p class="alert" role="alert">{i18n.t(key)}</p> })}
            }
            .into_any(),
        })
    }
}

/// Her saved searches and offers.
#[component]
pub fn Saved() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("saved.title")}</h1>
        <RoleGate roles=Role::ALL refusal="saved.title">
            <SavedSearches/>
            <SavedOffers/>
        </RoleGate>
    }
}

/// A search in words: its words in quotes, then its filters.
fn summary(
    i18n: crate::i18n::I18n,
    regions: &[shared::dto::geo::RegionView],
    c: &SearchCriteria,
) -> String {
    let locale = i18n.locale.get_untracked();
    let mut parts = Vec::new();
    if let Some(q) = &c.q {
        parts.push(i18n.t("saved.search.words").replace("{q}", q));
    }
    if let Some(kind) = c.kind {
        parts.push(i18n.t(kind_key(kind)).to_owned());
    }
    if let Some(contract) = c.contract {
        parts.push(i18n.t(contract_key(contract)).to_owned());
    }
    if let Some(code) = &c.region {
        let name = regions
            .iter()
            .find(|r| r.code == *code)
            .map_or(code.clone(), |r| {
                if locale == shared::Locale::Ar {
                    r.name_ar.clone()
                } else {
                    r.name_fr.clone()
                }
            });
        parts.push(name);
    }
    // Codes the search page's form does not offer (an API's saved search): said as they are.
    parts.extend(c.commune.iter().chain(&c.sector).cloned());
    if let Some(education) = c.education {
        parts.push(i18n.t(education_key(education)).to_owned());
    }
    if c.remote == Some(true) {
        parts.push(i18n.t("offers.remote.badge").to_owned());
    }
    if parts.is_empty() {
        parts.push(i18n.t("saved.search.all").to_owned());
    }
    parts.join(" · ")
}

#[component]
fn SavedSearches() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let searches: RwSignal<Option<Result<Vec<SavedSearchView>, ApiError>>> = RwSignal::new(None);
    let regions = LocalResource::new(api::regions);
    let load = move || {
        searches.set(None);
        spawn_local(async move {
            let answer = session.saved_searches().await;
            searches.try_set(Some(answer));
        });
    };
    load();
    let navigate = use_navigate();
    let failures = Failures::get();
    let open = move |s: SavedSearchView| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Opened: what was new is no longer; the search shows the newest first.
            let _ = session.visit_search(s.id).await;
            let query = s.criteria.to_query();
            let sep = if query.is_empty() { "" } else { "&" };
            navigate(
                &format!("/offers?{query}{sep}order=date"),
                Default::default(),
            );
        });
    };
    let remove = move |id: i64| {
        spawn_local(async move {
            let answer = session.delete_search(id).await;
            failures.after(&answer);
            if answer.is_ok() {
                searches.update(|s| {
                    if let Some(Ok(list)) = s {
                        list.retain(|x| x.id != id);
                    }
                });
            }
        });
    };
    view! {
        <h2 id="saved-searches-title">{move || i18n.t("saved.searches")}</h2>
        {move || {
            let regions = regions.get().and_then(Result::ok).unwrap_or_default();
            match searches.get() {
                None => loading().into_any(),
                Some(Err(error)) => failed(&error, "saved.title", load),
                Some(Ok(list)) if list.is_empty() => view! { <p>{i18n.t("saved.searches.none")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cards" id="saved-searches">
                        {list.into_iter().map(|s| {
                            let text = summary(i18n, &regions, &s.criteria);
                            let fresh = s.new_offers;
                            let id = s.id;
                            let open = open.clone();
                            view! {
                                <li class="card">
                                    <p><bdi>{text}</bdi></p>
                                    <p>
                                        {if fresh == 0 {
                                            i18n.t("saved.search.nothing_new").to_owned().into_any()
                                        } else {
                                            view! { <span class="badge">{isolated(i18n.t("saved.search.new"), &[("n", fresh.to_string())])}</span> }.into_any()
                                        }}
                                        " "
                                        <span class="muted">{isolated(i18n.t("saved.search.since"), &[("date", format_date(i18n.locale.get_untracked(), s.visited_at))])}</span>
                                    </p>
                                    <p class="actions">
                                        <button type="button" class="open-search" on:click=move |_| open(s.clone())>{i18n.t("saved.search.open")}</button> " "
                                        <button type="button" class="secondary" on:click=move |_| remove(id)>{i18n.t("saved.search.delete")}</button>
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }
        }}
    }
}

#[component]
fn SavedOffers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = Paged::new(move |cursor| async move { session.saved_offers(None, cursor).await });
    let failures = Failures::get();
    let gone = RwSignal::new(Vec::<i64>::new());
    let remove = move |id: i64| {
        spawn_local(async move {
            let answer = session.unsave_offer(id).await;
            failures.after(&answer);
            if answer.is_ok() {
                gone.update(|g| g.push(id));
            }
        });
    };
    view! {
        <h2>{move || i18n.t("saved.offers")}</h2>
        {move || {
            i18n.locale.track();
            match list.state("saved.offers.none") {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="saved-offers">
                        {items.into_iter().map(|o: SavedOfferView| {
                            let id = o.offer_id;
                            let locale = i18n.locale.get_untracked();
                            let place = if locale == shared::Locale::Ar { o.commune_name_ar.clone() } else { o.commune_name_fr.clone() };
                            view! {
                                <li class="card" hidden=move || gone.with(|g| g.contains(&id))>
                                    <h3><A href=format!("/offers/{id}")><bdi>{o.title.clone()}</bdi></A></h3>
                                    <p><bdi>{crate::pages::offers::employer_label(i18n, &o.employer_name)}</bdi>{place.map(|p| view! { " · " <bdi>{p}</bdi> })}</p>
                                    <p>
                                        {(o.status != OfferStatus::Live).then(|| view! { <span class="badge">{i18n.t("saved.offer.ended")}</span> " " })}
                                        <span class="muted">{isolated(i18n.t("saved.offer.until"), &[("date", format_date(locale, o.expires_at))])}</span>
                                    </p>
                                    <button type="button" class="secondary" on:click=move |_| remove(id)>{i18n.t("saved.offer.remove")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }
        }}
        {list.more()}
        <p><A href="/offers">{move || i18n.t("offers.back")}</A></p>
    }
}
