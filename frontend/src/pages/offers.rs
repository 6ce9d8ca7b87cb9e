//! Offers: the search (words in French, Arabic or English, filters with the count of offers
//! each value has, newest or most relevant first, everything kept in the address), and each
//! offer's page with where it comes from. Part of the guide.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::dto::Page;
use shared::dto::offers::{FacetCount, OfferFacets, OfferHit, OfferView};
use shared::{Contract, Locale, OfferKind, RequiredEducation};

use leptos::task::spawn_local;
use shared::dto::applications::{ApplicationView, ApplyRequest};
use shared::dto::offers::ReportOfferRequest;
use shared::{ApplicationChannel, ApplicationStatus, ReportReason, Role};

use crate::api::{self, use_session};
use crate::forms::{FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, failed, focus, loading, login_here};
use crate::i18n::{I18n, format_date, isolated, use_i18n};

/// The filters the address holds, as the API takes them.
const FILTERS: [&str; 9] = [
    "q",
    "kind",
    "contract",
    "region",
    "commune",
    "sector",
    "education",
    "remote",
    "order",
];

fn query_string(filters: &[(&str, String)]) -> String {
    filters
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value.trim())))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn kind_key(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Job => "offers.kind.job",
        OfferKind::Internship => "offers.kind.internship",
        OfferKind::Immersion => "offers.kind.immersion",
    }
}

pub fn contract_key(contract: Contract) -> &'static str {
    match contract {
        Contract::Cdi => "offers.contract.cdi",
        Contract::Cdd => "offers.contract.cdd",
        Contract::Idmaj => "offers.contract.idmaj",
        Contract::Tahfiz => "offers.contract.tahfiz",
        Contract::Temporary => "offers.contract.temporary",
        Contract::Freelance => "offers.contract.freelance",
        Contract::Apprenticeship => "offers.contract.apprenticeship",
    }
}

pub fn education_key(education: RequiredEducation) -> &'static str {
    match education {
        RequiredEducation::NoDiploma => "offers.education.none",
        RequiredEducation::Vocational => "offers.education.vocational",
        RequiredEducation::Bac => "offers.education.bac",
        RequiredEducation::Bac2 => "offers.education.bac_2",
        RequiredEducation::Bac3 => "offers.education.bac_3",
        RequiredEducation::Bac4 => "offers.education.bac_4",
        RequiredEducation::Bac5 => "offers.education.bac_5",
    }
}

fn internship_key(internship: shared::InternshipType) -> &'static str {
    match internship {
        shared::InternshipType::EndOfStudies => "offers.internship.end_of_studies",
        shared::InternshipType::PreHiring => "offers.internship.pre_hiring",
        shared::InternshipType::Observation => "offers.internship.observation",
    }
}

/// The count of `value` among a dimension's counts (0 when absent).
fn count_of(list: &[FacetCount], value: &str) -> u64 {
    list.iter()
        .find(|f| f.value == value)
        .map_or(0, |f| f.count)
}

/// "Label (n)" when the counts are known.
fn with_count(label: &str, count: Option<u64>) -> String {
    match count {
        Some(n) => format!("{label} ({n})"),
        None => label.to_owned(),
    }
}

fn place(locale: Locale, fr: Option<String>, ar: Option<String>) -> Option<String> {
    if locale == Locale::Ar {
        ar.or(fr)
    } else {
        fr.or(ar)
    }
}

/// A select of one filter: "any", then each value with its count.
#[component]
fn Filter(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.t("offers.any")}</option>
                {move || options.get().into_iter().map(|(option, text)| {
                    let is = option.clone();
                    view! { <option value=option selected=move || value.get() == is>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn Offers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let value = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let filters = move || {
        let pairs: Vec<(&str, String)> = FILTERS.iter().map(|name| (*name, value(name))).collect();
        query_string(&pairs)
    };
    // What the first page said besides its offers: the total, the counts, whether relaxed.
    let facets = RwSignal::new(None::<(u64, bool, OfferFacets)>);
    let offers = Paged::new(move |cursor: Option<String>| async move {
        let first = cursor.is_none();
        let result = api::search_offers(filters(), cursor).await?;
        if first {
            facets.set(Some((result.total, result.relaxed, result.facets)));
        }
        Ok(Page {
            items: result.items,
            next_cursor: result.next_cursor,
        })
    });
    Effect::new(move |previous: Option<String>| {
        let now = filters();
        if previous.is_some_and(|p| p != now) {
            facets.set(None);
            offers.restart();
        }
        now
    });
    let signals = FILTERS.map(|name| (name, RwSignal::new(value(name))));
    // Back and forward change the address: the form shows what the list is of.
    Effect::new(move |_| {
        for (name, signal) in signals {
            signal.set(value(name));
        }
    });
    let signal = move |name: &str| {
        signals
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| RwSignal::new(String::new()))
    };
    let (q, kind, contract, region, commune, sector, education, remote, order) = (
        signal("q"),
        signal("kind"),
        signal("contract"),
        signal("region"),
        signal("commune"),
        signal("sector"),
        signal("education"),
        signal("remote"),
        signal("order"),
    );
    // How many filters the address holds (words and order aside).
    let chosen = move || {
        FILTERS
            .iter()
            .filter(|name| !matches!(**name, "q" | "order") && !value(name).is_empty())
            .count()
    };
    let navigate = use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen: Vec<(&str, String)> = signals
            .iter()
            .map(|(name, s)| (*name, s.get_untracked()))
            .collect();
        navigate(
            &format!("/offers?{}", query_string(&chosen)),
            Default::default(),
        );
    };
    let counted = move |pick: fn(&OfferFacets) -> &Vec<FacetCount>, value: &str| {
        facets.with(|f| {
            f.as_ref()
                .map(|(_, _, facets)| count_of(pick(facets), value))
        })
    };
    let kinds = Signal::derive(move || {
        OfferKind::ALL
            .iter()
            .map(|k| {
                let label = i18n.t(kind_key(*k));
                (
                    k.as_str().to_owned(),
                    with_count(label, counted(|f| &f.kind, k.as_str())),
                )
            })
            .collect()
    });
    let contracts = Signal::derive(move || {
        Contract::ALL
            .iter()
            .map(|c| {
                let label = i18n.t(contract_key(*c));
                (
                    c.as_str().to_owned(),
                    with_count(label, counted(|f| &f.contract, c.as_str())),
                )
            })
            .collect()
    });
    let educations = Signal::derive(move || {
        RequiredEducation::ALL
            .iter()
            .map(|e| {
                let label = i18n.t(education_key(*e));
                (
                    e.as_str().to_owned(),
                    with_count(label, counted(|f| &f.education, e.as_str())),
                )
            })
            .collect()
    });
    // The places that have offers, with their names (the chosen one kept, even without any).
    let places = move |pick: fn(&OfferFacets) -> &Vec<FacetCount>, chosen: RwSignal<String>| {
        Signal::derive(move || {
            let locale = i18n.locale.get();
            let mut list: Vec<(String, String)> = facets.with(|f| {
                f.as_ref()
                    .map(|(_, _, facets)| {
                        pick(facets)
                            .iter()
                            .map(|r| {
                                let name = place(locale, r.name_fr.clone(), r.name_ar.clone())
                                    .unwrap_or_else(|| r.value.clone());
                                (r.value.clone(), with_count(&name, Some(r.count)))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let chosen = chosen.get();
            if !chosen.is_empty() && !list.iter().any(|(v, _)| *v == chosen) {
                list.push((chosen.clone(), chosen));
            }
            list
        })
    };
    let regions = places(|f| &f.region, region);
    let communes = places(|f| &f.commune, commune);
    // The growth sectors by name in the page's language, those with offers first.
    let sector_names = LocalResource::new(api::sectors);
    let sectors = Signal::derive(move || {
        let locale = i18n.locale.get();
        let names = sector_names.get().and_then(Result::ok).unwrap_or_default();
        let counts = facets.with(|f| f.as_ref().map(|(_, _, facets)| facets.sector.clone()));
        let mut list: Vec<(u64, String, String)> = names
            .into_iter()
            .map(|s| {
                let count = counts.as_ref().map(|c| count_of(c, &s.code));
                let label = with_count(s.name.get(locale), count);
                (count.unwrap_or(0), s.code, label)
            })
            .filter(|(count, code, _)| {
                counts.is_none() || *count > 0 || sector.with(|chosen| chosen == code)
            })
            .collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        list.into_iter()
            .map(|(_, code, label)| (code, label))
            .collect()
    });
    view! {
        <h1>{move || i18n.t("offers.title")}</h1>
        <p>{move || i18n.t("offers.intro")}</p>
        <form role="search" class="search" on:submit=search aria-label=move || i18n.t("offers.search")>
            <div class="field">
                <label for="q">{move || i18n.t("offers.q")}</label>
                <input type="search" id="q" name="q" aria-describedby="q-hint" prop:value=q
                    on:input=move |ev| q.set(event_target_value(&ev))/>
                <p class="hint" id="q-hint">{move || i18n.t("offers.q.hint")}</p>
            </div>
            // Folded away on a phone until wanted; open while a filter is chosen.
            <details id="filters" open={move || chosen() > 0}>
            <summary>{move || match chosen() {
                0 => i18n.t("offers.filters").to_owned(),
                n => format!("{} ({n})", i18n.t("offers.filters")),
            }}</summary>
            <div class="filters">
                <Filter id="kind" label="offers.kind" value=kind options=kinds/>
                <Filter id="contract" label="offers.contract" value=contract options=contracts/>
                <Filter id="region" label="offers.region" value=region options=regions/>
                <Filter id="commune" label="offers.commune" value=commune options=communes/>
                <Filter id="sector" label="offers.sector" value=sector options=sectors/>
                <Filter id="education" label="offers.education" value=education options=educations/>
                <div class="field">
                    <label for="order">{move || i18n.t("offers.order")}</label>
                    <select id="order" on:change=move |ev| order.set(event_target_value(&ev))>
                        <option value="" selected=move || order.get().is_empty()>{move || i18n.t("offers.order.default")}</option>
                        <option value="relevance" selected=move || order.get() == "relevance">{move || i18n.t("offers.order.relevance")}</option>
                        <option value="date" selected=move || order.get() == "date">{move || i18n.t("offers.order.date")}</option>
                    </select>
                </div>
            </div>
            <label for="remote" class="checkbox">
                <input type="checkbox" id="remote" prop:checked=move || remote.get() == "true"
                    on:change=move |ev| remote.set(if event_target_checked(&ev) { "true".into() } else { String::new() })/>
                {move || with_count(i18n.t("offers.remote"), counted(|f| &f.remote, "true"))}
            </label>
            </details>
            <button type="submit">{move || i18n.t("offers.submit")}</button>
        </form>
        <crate::pages::saved::SaveSearch/>
        {move || session.is_signed_in().then(|| view! { <p><A href="/saved" attr:id="saved-link">{i18n.t("saved.link")}</A></p> })}
        <p id="offers-total" role="status">{move || facets.with(|f| f.as_ref().map(|(total, relaxed, _)| {
            let count = if *total == 1 {
                i18n.t("offers.total.one").to_owned()
            } else {
                i18n.t("offers.total").replace("{n}", &total.to_string())
            };
            if *relaxed { format!("{count} {}", i18n.t("offers.relaxed")) } else { count }
        }))}</p>
        {move || match offers.state("offers.none") {
            Err(state) => state,
            Ok(items) => {
                let locale = i18n.locale.get();
                view! {
                    <ul class="cards" id="offer-list">
                        {items.into_iter().map(|o| hit_card(i18n, locale, o)).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        {offers.more()}
        <p><a id="offers-feed" rel="alternate" type="application/rss+xml"
            href=move || {
                // The words and filters, not the order: a feed is newest first; its own words
                // in the page's language.
                let mut chosen: Vec<(&str, String)> = FILTERS
                    .iter()
                    .filter(|name| **name != "order")
                    .map(|name| (*name, value(name)))
                    .collect();
                let locale = i18n.locale.get();
                if locale != Locale::Fr {
                    chosen.push(("lang", locale.as_str().to_owned()));
                }
                let query = query_string(&chosen);
                if query.is_empty() { "/api/v1/offers/feed.rss".to_owned() } else { format!("/api/v1/offers/feed.rss?{query}") }
            }>{move || i18n.t("offers.feed")}</a></p>
    }
}

/// The employer's name, or that the site an offer was gathered from does not name one.
pub fn employer_label(i18n: I18n, name: &str) -> String {
    if name.trim().is_empty() {
        i18n.t("offers.employer.unnamed").to_owned()
    } else {
        name.to_owned()
    }
}

/// One result: title, employer, place, kind, contract, date, the description's first words.
fn hit_card(i18n: I18n, locale: Locale, o: OfferHit) -> impl IntoView {
    let place = if o.remote {
        Some(i18n.t("offers.remote.badge").to_owned())
    } else {
        place(locale, o.commune_name_fr, o.commune_name_ar)
            .or_else(|| place(locale, o.region_name_fr, o.region_name_ar))
    };
    view! {
        <li class="card offer">
            <h2><A href=format!("/offers/{}", o.id)><bdi>{o.title}</bdi></A></h2>
            <p><bdi>{employer_label(i18n, &o.employer_name)}</bdi>{place.map(|p| view! { " · " <bdi>{p}</bdi> })}</p>
            <p>
                <span class="badge">{i18n.t(kind_key(o.kind))}</span>
                {o.contract.map(|c| view! { " " <span class="badge">{i18n.t(contract_key(c))}</span> })}
                " " <span class="muted">{i18n.t("offers.posted").replace("{date}", &format_date(locale, o.posted_at))}</span>
            </p>
            <p class="excerpt"><bdi>{o.excerpt}</bdi></p>
            {(!o.also_published_on.is_empty()).then(|| view! {
                <p class="muted also"><bdi>{i18n.t("offers.also.list").replace("{sites}", &o.also_published_on.join(if locale == Locale::Ar { "، " } else { ", " }))}</bdi></p>
            })}
        </li>
    }
}

/// One offer: what it is, where, for whom, until when, the whole description, and where it
/// comes from.
#[component]
pub fn OfferPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let offer = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse().ok()).unwrap_or(0));
        api::offer(id)
    });
    move || match offer.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "offers.missing", move || offer.refetch()),
        Some(Ok(o)) => offer_view(i18n, o).into_any(),
    }
}

fn offer_view(i18n: I18n, o: OfferView) -> impl IntoView {
    let locale = i18n.locale.get();
    let ended = o.status != shared::OfferStatus::Live;
    let place = [
        place(locale, o.commune_name_fr.clone(), o.commune_name_ar.clone()),
        place(locale, o.region_name_fr.clone(), o.region_name_ar.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(if locale == Locale::Ar { "، " } else { ", " });
    let salary = match (o.salary_min, o.salary_max) {
        (Some(min), Some(max)) if min == max => Some(
            i18n.t("offers.salary.exact")
                .replace("{amount}", &min.to_string()),
        ),
        (Some(min), Some(max)) => Some(
            i18n.t("offers.salary")
                .replace("{min}", &min.to_string())
                .replace("{max}", &max.to_string()),
        ),
        (Some(min), None) => Some(
            i18n.t("offers.salary.from")
                .replace("{min}", &min.to_string()),
        ),
        (None, Some(max)) => Some(
            i18n.t("offers.salary.upto")
                .replace("{max}", &max.to_string()),
        ),
        (None, None) => None,
    };
    let experience = o.experience_years.map(|years| {
        if years == 0 {
            i18n.t("offers.experience.none").to_owned()
        } else {
            i18n.t("offers.experience")
                .replace("{n}", &years.to_string())
        }
    });
    let employer = employer_label(i18n, &o.employer_name);
    let provenance = match (o.source.as_str(), &o.published_on) {
        ("gathered", Some(site)) => i18n
            .t(if o.employer_name.trim().is_empty() {
                "offers.source.gathered.unnamed"
            } else {
                "offers.source.gathered"
            })
            .replace("{site}", site)
            .replace("{employer}", &o.employer_name),
        ("partner", _) => i18n
            .t("offers.source.partner")
            .replace("{employer}", &employer),
        _ => i18n
            .t("offers.source.employer")
            .replace("{employer}", &employer),
    };
    let url = o.url.clone();
    view! {
        <article class="offer-page">
            <h1><bdi>{o.title.clone()}</bdi></h1>
            {ended.then(|| view! { <p class="notice" role="status">{i18n.t("offers.ended")}</p> })}
            <p class="lead"><bdi>{employer.clone()}</bdi>
                {(!place.is_empty()).then(|| view! { " · " <bdi>{place.clone()}</bdi> })}
                {o.remote.then(|| view! { " · " {i18n.t("offers.remote.badge")} })}
            </p>
            <dl class="facts">
                <dt>{i18n.t("offers.kind")}</dt>
                <dd>{i18n.t(kind_key(o.kind))}{o.internship.map(|t| view! { " — " {i18n.t(internship_key(t))} })}</dd>
                {o.contract.map(|c| view! { <dt>{i18n.t("offers.contract")}</dt><dd>{i18n.t(contract_key(c))}</dd> })}
                {o.education.map(|e| view! { <dt>{i18n.t("offers.education")}</dt><dd>{i18n.t(education_key(e))}</dd> })}
                {experience.map(|x| view! { <dt>{i18n.t("offers.experience.label")}</dt><dd>{x}</dd> })}
                {salary.map(|s| view! { <dt>{i18n.t("offers.salary.label")}</dt><dd>{s}</dd> })}
                <dt>{i18n.t("offers.dates")}</dt>
                <dd>
                    {i18n.t("offers.posted").replace("{date}", &format_date(locale, o.posted_at))} " · "
                    {i18n.t("offers.until").replace("{date}", &format_date(locale, o.expires_at))}
                </dd>
            </dl>
            <h2>{i18n.t("offers.description")}</h2>
            // Sanitised by the server on arrival (paragraphs, lists, emphasis and safe links only).
            <div class="description" dir="auto" inner_html=o.description_html.clone()></div>
            <h2>{i18n.t("offers.provenance")}</h2>
            <p id="provenance">{provenance}</p>
            {(!o.also_published_on.is_empty()).then(|| view! {
                <h2>{i18n.t("offers.also.title")}</h2>
                <ul id="also-published" class="also">
                    {o.also_published_on.iter().map(|p| match (&p.published_on, &p.url) {
                        (Some(site), Some(url)) if !p.apply_in_platform => view! {
                            <li><a href=url.clone() rel="noopener noreferrer nofollow" target="_blank"><bdi>{site.clone()}</bdi></a></li>
                        }.into_any(),
                        (Some(site), None) if !p.apply_in_platform => view! { <li><bdi>{site.clone()}</bdi></li> }.into_any(),
                        // Posted on this platform: its page here, where one applies.
                        _ => view! {
                            <li><A href=format!("/offers/{}", p.offer_id)>{i18n.t("offers.also.here")}</A></li>
                        }.into_any(),
                    }).collect_view()}
                </ul>
            })}
            {use_session().is_signed_in().then(|| view! { <p><crate::pages::saved::SaveOffer id=o.id/></p> })}
            <Apply offer=o.clone()/>
            {url.map(|url| {
                let id = o.id;
                let session = use_session();
                // A youth who follows the link of an offer taken at its source only is
                // recorded as applying there (the link opens in a new tab, so the page stays
                // to hear the answer); elsewhere the link only shows the original.
                let elsewhere = !o.apply_in_platform;
                let record = move |_| {
                    if elsewhere && !ended && session.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Youth)) {
                        spawn_local(async move { let _ = session.follow_offer_link(id).await; });
                    }
                };
                view! {
                    <p><a href=url rel="noopener noreferrer nofollow" target="_blank" class="button secondary" id="offer-link" on:click=record>
                        {match (&o.published_on, o.apply_in_platform || ended) {
                            (_, true) => i18n.t("offers.original").to_owned(),
                            (Some(site), false) => i18n.t("offers.apply.gathered").replace("{site}", site),
                            (None, false) => i18n.t("offers.apply.link").to_owned(),
                        }}
                    </a></p>
                }
            })}
            {(!ended).then(|| view! { <Report id=o.id/> })}
            <p><A href="/offers">{i18n.t("offers.back")}</A></p>
        </article>
    }
}

/// The catalogue key of an application's status.
pub fn status_key(status: Option<ApplicationStatus>) -> &'static str {
    match status {
        None => "applications.status.outbound",
        Some(ApplicationStatus::Received) => "applications.status.received",
        Some(ApplicationStatus::Shortlisted) => "applications.status.shortlisted",
        Some(ApplicationStatus::Interview) => "applications.status.interview",
        Some(ApplicationStatus::Rejected) => "applications.status.rejected",
        Some(ApplicationStatus::Hired) => "applications.status.hired",
        Some(ApplicationStatus::Withdrawn) => "applications.status.withdrawn",
    }
}

/// Applying inside the platform: for a youth, her application if she made one (where it
/// stands), else a message and the button; for someone signed out, the login that comes back
/// here. Nothing for an offer that takes applications at its source only, or has ended.
#[component]
fn Apply(offer: OfferView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = offer.id;
    let open = offer.status == shared::OfferStatus::Live && offer.apply_in_platform;
    let mine: RwSignal<Option<Option<ApplicationView>>> = RwSignal::new(None);
    let youth = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.role == Role::Youth))
    };
    Effect::new(move |_| {
        if youth() == Some(true) {
            spawn_local(async move {
                if let Ok(page) = session.my_applications(Some(id), None).await {
                    mine.try_set(Some(
                        page.items
                            .into_iter()
                            .find(|a| a.channel == ApplicationChannel::Platform),
                    ));
                }
            });
        }
    });
    let message = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ApplyRequest {
            message: Some(message.get_untracked()),
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let answer = session.apply(id, request.message).await;
            busy.try_set(false);
            match answer {
                Ok(application) => {
                    mine.try_set(Some(Some(application)));
                    focus("my-application");
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    move || {
        if !open {
            return None;
        }
        Some(match (youth(), mine.get()) {
            (None, _) => view! {
                <p><A href=login_here() attr:id="login-to-apply">{i18n.t("offers.apply.login")}</A></p>
            }
            .into_any(),
            (Some(false), _) | (Some(true), None) => ().into_any(),
            (Some(true), Some(Some(application))) => {
                let date = format_date(i18n.locale.get(), application.created_at);
                view! {
                    <p class="notice" id="my-application" role="status" tabindex="-1">
                        {isolated(i18n.t("offers.applied"), &[("date", date)])} " "
                        <span class="badge" id="my-application-status">{i18n.t(status_key(application.status))}</span> " "
                        <A href="/applications">{i18n.t("offers.applied.follow")}</A>
                    </p>
                }
                .into_any()
            }
            (Some(true), Some(None)) => view! {
                <form class="apply" on:submit=submit novalidate>
                    <h2>{i18n.t("offers.apply")}</h2>
                    <FormAlert errors=errors/>
                    <div class="field">
                        <label for="message">{i18n.t("offers.apply.message")}</label>
                        <textarea id="message" rows="4" maxlength="2000" dir="auto"
                            aria-invalid=move || errors.message("message").is_some().to_string()
                            aria-describedby="message-hint"
                            prop:value=move || message.get()
                            on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                        <p class="hint" id="message-hint">{i18n.t("offers.apply.profile")}</p>
                        {move || errors.message("message").map(|m| view! { <p class="error" id="message-error">{m}</p> })}
                    </div>
                    <button type="submit" id="apply" disabled=busy>{i18n.t("offers.apply.send")}</button>
                </form>
            }
            .into_any(),
        })
    }
}

/// Telling the admins that an offer is a scam, discriminates or has ended: for anyone signed
/// in, folded away until wanted.
#[component]
fn Report(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reason = RwSignal::new("fraud".to_owned());
    let comment = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let sent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ReportOfferRequest {
            reason: ReportReason::parse(&reason.get_untracked()).unwrap_or(ReportReason::Other),
            comment: Some(comment.get_untracked()),
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let answer = session.report_offer(id, &request).await;
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    sent.try_set(true);
                    focus("report-sent");
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    move || {
        if !session.is_signed_in() {
            return None;
        }
        Some(if sent.get() {
            view! { <p class="notice" role="status" id="report-sent" tabindex="-1">{i18n.t("report.sent")}</p> }.into_any()
        } else {
            view! {
                <details id="report">
                    <summary>{i18n.t("report.title")}</summary>
                    <form on:submit=submit novalidate>
                        <FormAlert errors=errors/>
                        <div class="field">
                            <label for="reason">{i18n.t("report.reason")}</label>
                            <select id="reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                                {ReportReason::ALL.iter().map(|r| {
                                    let value = r.as_str();
                                    view! { <option value=value selected=move || reason.get() == value>{i18n.t(crate::pages::moderation::reason_key(*r))}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="report-comment">{i18n.t("report.comment")}</label>
                            <textarea id="report-comment" rows="3" maxlength="1000" dir="auto"
                                prop:value=move || comment.get()
                                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                            {move || errors.message("comment").map(|m| view! { <p class="error">{m}</p> })}
                        </div>
                        <button type="submit" class="secondary" disabled=busy>{i18n.t("report.send")}</button>
                    </form>
                </details>
            }.into_any()
        })
    }
}

/// A youth's applications, newest first: where each stands, and withdrawing one the employer
/// has not decided on.
#[component]
pub fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("applications.title")}</h1>
        <RoleGate roles=&[Role::Youth] refusal="applications.only">
            <MyApplications/>
        </RoleGate>
    }
}

#[component]
fn MyApplications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = Paged::new(move |cursor| async move { session.my_applications(None, cursor).await });
    view! {
        <p>{move || i18n.t("applications.intro")}</p>
        {move || {
            i18n.locale.track();
            match list.state("applications.none") {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="applications">
                        {items.into_iter().map(|a| view! { <ApplicationCard application=a/> }).collect_view()}
                    </ul>
                }.into_any(),
            }
        }}
        {list.more()}
        <p><A href="/offers">{move || i18n.t("offers.back")}</A></p>
    }
}

#[component]
fn ApplicationCard(application: ApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = crate::forms::Failures::get();
    let current = RwSignal::new(application.clone());
    let busy = RwSignal::new(false);
    let withdraw = move |_| {
        busy.set(true);
        let id = current.get_untracked().id;
        spawn_local(async move {
            let answer = session.withdraw_application(id).await;
            failures.after(&answer);
            if let Ok(updated) = answer {
                current.try_set(updated);
            }
            busy.try_set(false);
        });
    };
    let a = application;
    let key = if a.channel == ApplicationChannel::Outbound {
        "applications.sent.outbound"
    } else {
        "applications.sent"
    };
    let created = a.created_at;
    view! {
        <li class="card application" data-status=move || current.with(|c| c.status.map_or("outbound", |s| s.as_str()))>
            <h2><A href=format!("/offers/{}", a.offer_id)><bdi>{a.offer_title}</bdi></A></h2>
            <p><bdi>{a.employer_name}</bdi></p>
            {move || {
                let now = current.get();
                let locale = i18n.locale.get();
                view! {
                    <p>
                        <span class="badge">{i18n.t(status_key(now.status))}</span> " "
                        {isolated(i18n.t(key), &[("date", format_date(locale, created))])}
                    </p>
                    {(now.status.is_some() && now.status_changed_at != created).then(|| view! {
                        <p class="muted">{isolated(i18n.t("applications.changed"), &[("date", format_date(locale, now.status_changed_at))])}</p>
                    })}
                    {now.status.is_some_and(ApplicationStatus::youth_may_withdraw).then(|| view! {
                        <button type="button" class="secondary" disabled=busy on:click=withdraw>
                            {i18n.t("applications.withdraw")}
                        </button>
                    })}
                }
            }}
        </li>
    }
}
