//! An organisation's offers in the staff's app: the list with each offer's status, posting a
//! new one, and each offer's applicants, moved through the pipeline (shortlisted, interview,
//! rejected, hired) with the profile and message each sent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::applications::ApplicationView;
use shared::dto::offers::{OfferInput, OfferView};
use shared::{
    ApplicationStatus, Contract, InternshipType, OfferKind, OfferStatus, RequiredEducation, Role,
};

use crate::api::{self, use_session};
use crate::forms::{Failures, Field, FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, Wide, failed, focus, loading};
use crate::i18n::{format_date, use_i18n};
use crate::pages::offers::{contract_key, education_key, kind_key, status_key};

fn offer_status_key(status: OfferStatus) -> &'static str {
    match status {
        OfferStatus::Draft => "orgoffers.status.draft",
        OfferStatus::Pending => "orgoffers.status.pending",
        OfferStatus::Live => "orgoffers.status.live",
        OfferStatus::Expired => "orgoffers.status.expired",
        OfferStatus::Withdrawn => "orgoffers.status.withdrawn",
        OfferStatus::Removed => "orgoffers.status.removed",
    }
}

fn param(name: &'static str) -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    }
}

/// The organisation's offers, newest first, and the form that posts one.
#[component]
pub fn OrganizationOffers() -> impl IntoView {
    let i18n = use_i18n();
    // How many offers were posted from the form: the list is read again after each.
    let posted = RwSignal::new(0u32);
    view! {
        <h1>{move || i18n.t("orgoffers.title")}</h1>
        <RoleGate roles=&[Role::Employer, Role::Partner, Role::Admin] refusal="org.only">
            <OffersList posted=posted/>
            <OfferForm existing=None saved=posted done=RwSignal::new(None)/>
        </RoleGate>
    }
}

#[component]
fn OffersList(posted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = param("id");
    let list =
        Paged::new(move |cursor| async move { session.organization_offers(org(), cursor).await });
    let failures = Failures::get();
    // Taken down by the organisation: out of the search at once, its status shown.
    let withdraw = move |id: i64| {
        spawn_local(async move {
            let answer = session.withdraw_offer(id).await;
            failures.after(&answer);
            if answer.is_ok() {
                list.restart();
            }
        });
    };
    Effect::new(move |previous: Option<u32>| {
        let now = posted.get();
        if previous.is_some_and(|p| p != now) {
            list.restart();
        }
        now
    });
    view! {
        <p>{move || i18n.t("orgoffers.intro")}</p>
        {move || match list.state("orgoffers.none") {
            Err(state) => state,
            Ok(items) => view! {
                <Wide label="orgoffers.title"><table id="org-offers">
                    <caption>{i18n.t("orgoffers.title")}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.t("orgoffers.offer")}</th>
                        <th scope="col">{i18n.t("admin.status")}</th>
                        <th scope="col">{i18n.t("offers.dates")}</th>
                        <th scope="col">{i18n.t("orgoffers.applicants")}</th>
                        <th scope="col">{i18n.t("admin.actions")}</th>
                    </tr></thead>
                    <tbody>
                        {items.into_iter().map(|o: OfferView| {
                            let locale = i18n.locale.get_untracked();
                            view! {
                                <tr>
                                    <td><A href=format!("/organizations/{}/offers/{}", org(), o.id)><bdi>{o.title.clone()}</bdi></A></td>
                                    <td><span class="badge">{i18n.t(offer_status_key(o.status))}</span></td>
                                    <td>{format_date(locale, o.posted_at)} " – " {format_date(locale, o.expires_at)}</td>
                                    <td>{o.apply_in_platform.then(|| view! {
                                        <A href=format!("/organizations/{}/offers/{}", org(), o.id)>{i18n.t("orgoffers.see_applicants")}</A>
                                    })}</td>
                                    <td>{matches!(o.status, OfferStatus::Live | OfferStatus::Pending).then(|| {
                                        let id = o.id;
                                        view! {
                                            <button type="button" class="small secondary withdraw" on:click=move |_| withdraw(id)>
                                                {i18n.t("orgoffers.withdraw")}
                                            </button>
                                        }
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></Wide>
            }.into_any(),
        }}
        {list.more()}
    }
}

/// An offer's description as its form shows it: paragraphs and line breaks back into plain
/// text; a description with other markup (lists, links, from a partner's site) as it is.
pub fn editable(html: &str) -> String {
    let text = html
        .replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<p>", "")
        .replace("</p>", "");
    if text.contains('<') {
        return html.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A value chosen among many by typing part of its name: the matches in a list to pick from
/// (the chosen one kept in it), "not specified" first.
#[component]
fn Lookup<F, Fut>(
    /// The API field; the list's id.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The chosen value's name.
    shown: RwSignal<String>,
    errors: FormErrors,
    find: F,
) -> impl IntoView
where
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut:
        std::future::Future<Output = Result<Vec<(String, String)>, crate::api::ApiError>> + 'static,
{
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    // `find` reads what else narrows the matches (a region, the language) before its request:
    // a change of those asks again too.
    let matches = LocalResource::new(move || find(typed.get()));
    let words_id = format!("{id}-words");
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match errors.message(id) {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="field lookup">
            <label for=words_id.clone()>{move || i18n.t(label)}</label>
            // Enter looks the words up; it does not send the whole form.
            <input type="search" id=words_id.clone() aria-describedby=hint_id.clone()
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() }/>
            <p class="hint" id=hint_id.clone()>{move || i18n.t("orgoffers.lookup.hint")}</p>
            <select id=id aria-label=move || format!("{} — {}", i18n.t(label), i18n.t("orgoffers.lookup.choose"))
                aria-describedby=described
                aria-invalid=move || errors.message(id).is_some().to_string()
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    let name = matches
                        .get_untracked()
                        .and_then(Result::ok)
                        .and_then(|list| list.into_iter().find(|(c, _)| *c == code).map(|(_, n)| n))
                        .unwrap_or_default();
                    shown.set(if code.is_empty() { String::new() } else { name });
                    value.set(code);
                }>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.t("orgoffers.none_chosen")}</option>
                {move || {
                    let chosen = value.get();
                    let mut options: Vec<(String, String)> = Vec::new();
                    if !chosen.is_empty() {
                        let name = shown.get();
                        options.push((chosen.clone(), if name.is_empty() { chosen.clone() } else { name }));
                    }
                    let found = matches.get().and_then(Result::ok).unwrap_or_default();
                    options.extend(found.into_iter().filter(|(code, _)| *code != chosen));
                    options.into_iter().map(|(code, name)| {
                        let is = code == chosen;
                        view! { <option value=code selected=is>{name}</option> }
                    }).collect_view()
                }}
            </select>
            {move || errors.message(id).map(|m| view! { <p class="error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// Posting an offer, or changing one (`existing`): what, for whom, where, until when. An
/// unverified organisation's offers wait for an admin, and so do their changes.
#[component]
fn OfferForm(
    existing: Option<OfferView>,
    saved: RwSignal<u32>,
    /// The offer as the server answered the last post or change.
    done: RwSignal<Option<OfferView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = param("id");
    let errors = FormErrors::new();
    let editing = existing.as_ref().map(|o| o.id);
    let o = existing.clone();
    let init = move |pick: fn(&OfferView) -> Option<String>| {
        RwSignal::new(o.as_ref().and_then(pick).unwrap_or_default())
    };
    let (kind, internship, contract, title, description) = (
        RwSignal::new(
            existing
                .as_ref()
                .map_or("job", |o| o.kind.as_str())
                .to_owned(),
        ),
        init(|o| o.internship.map(|i| i.as_str().to_owned())),
        init(|o| o.contract.map(|c| c.as_str().to_owned())),
        init(|o| Some(o.title.clone())),
        init(|o| Some(editable(&o.description_html))),
    );
    let (region, commune, education, experience, salary_min, salary_max, url) = (
        init(|o| o.region_code.clone()),
        init(|o| o.commune_code.clone()),
        init(|o| o.education.map(|e| e.as_str().to_owned())),
        init(|o| o.experience_years.map(|n| n.to_string())),
        init(|o| o.salary_min.map(|n| n.to_string())),
        init(|o| o.salary_max.map(|n| n.to_string())),
        init(|o| o.url.clone()),
    );
    let locale = i18n.locale.get_untracked();
    let commune_name = RwSignal::new(
        existing
            .as_ref()
            .and_then(|o| {
                if locale == shared::Locale::Ar {
                    o.commune_name_ar.clone().or(o.commune_name_fr.clone())
                } else {
                    o.commune_name_fr.clone()
                }
            })
            .unwrap_or_default(),
    );
    let (remote, here) = (
        RwSignal::new(existing.as_ref().is_some_and(|o| o.remote)),
        RwSignal::new(existing.as_ref().is_none_or(|o| o.apply_in_platform)),
    );
    let regions = LocalResource::new(api::regions);
    // The growth sector and the occupation bring the offer to the youths whose orientation
    // recommends them.
    let sectors = LocalResource::new(api::sectors);
    let (sector, until) = (
        init(|o| o.sector.clone()),
        init(|o| Some(crate::morocco::day_of(o.expires_at))),
    );
    let (isco08, occupation_name) = (init(|o| o.isco08.clone()), RwSignal::new(String::new()));
    // The occupation's name, for the one the offer already names.
    if let Some(code) = existing.as_ref().and_then(|o| o.isco08.clone()) {
        spawn_local(async move {
            if let Ok(found) = api::occupation(code).await {
                occupation_name.try_set(found.summary.title.get(locale).to_owned());
            }
        });
    }
    let busy = RwSignal::new(false);
    let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i32>().ok();
    let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OfferInput {
            // Kept as it is when changed.
            external_id: None,
            kind: OfferKind::parse(&kind.get_untracked()).unwrap_or(OfferKind::Job),
            // Only an internship has a type (a type chosen before the kind changed is dropped).
            internship: (kind.get_untracked() == "internship")
                .then(|| InternshipType::parse(&internship.get_untracked()).ok())
                .flatten(),
            contract: Contract::parse(&contract.get_untracked()).ok(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            employer_name: None,
            commune_code: text(commune),
            region_code: text(region),
            remote: remote.get_untracked(),
            sector: text(sector),
            isco08: text(isco08),
            education: RequiredEducation::parse(&education.get_untracked()).ok(),
            experience_years: number(experience),
            salary_min: number(salary_min),
            salary_max: number(salary_max),
            posted_at: None,
            // The last day, to its end in Morocco's time.
            valid_through: text(until)
                .and_then(|day| crate::morocco::from_field(&format!("{day}T23:59"))),
            url: text(url),
            apply_in_platform: Some(here.get_untracked()),
        };
        if let Err(invalid) = input.parse(crate::morocco::now(), false) {
            errors.refuse(invalid);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let answer = match editing {
                Some(id) => session.edit_offer(id, &input).await,
                None => session.post_offer(org(), &input).await,
            };
            busy.try_set(false);
            match answer {
                Ok(offer) => {
                    done.try_set(Some(offer));
                    saved.update(|n| *n += 1);
                    if editing.is_none() {
                        title.try_set(String::new());
                        description.try_set(String::new());
                    }
                    focus("offer-posted");
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let select = move |id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       options: Vec<(String, String)>,
                       blank: Option<&'static str>| {
        view! {
            <div class="field">
                <label for=id>{move || i18n.t(label)}</label>
                <select id=id on:change=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || errors.message(id).is_some().to_string()>
                    {blank.map(|key| view! { <option value="" selected=move || value.get().is_empty()>{move || i18n.t(key)}</option> })}
                    {options.into_iter().map(|(v, text)| {
                        let chosen = v.clone();
                        view! { <option value=v selected=move || value.get() == chosen>{text}</option> }
                    }).collect_view()}
                </select>
                {move || errors.message(id).map(|m| view! { <p class="error">{m}</p> })}
            </div>
        }
    };
    // The region and the language are read before the request: changing them asks again.
    let find_commune = move |words: String| {
        let (region, locale) = (region.get(), i18n.locale.get());
        async move {
            let page = api::communes(words, region).await?;
            Ok(page
                .items
                .into_iter()
                .map(|c| {
                    let (name, province) = if locale == shared::Locale::Ar {
                        (c.name_ar, c.province_name_ar)
                    } else {
                        (c.name_fr, c.province_name_fr)
                    };
                    (c.code, format!("{name} ({province})"))
                })
                .collect())
        }
    };
    let find_occupation = move |words: String| {
        let locale = i18n.locale.get();
        async move {
            // Two letters at least: the first page of every trade says nothing.
            if words.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let filters = format!("q={}", js_sys::encode_uri_component(words.trim()));
            let page = api::occupations(filters, None).await?;
            Ok(page
                .items
                .into_iter()
                .map(|o| (o.isco08.clone(), o.title.get(locale).to_owned()))
                .collect())
        }
    };
    view! {
        {editing.is_none().then(|| view! { <h2 id="post-offer">{move || i18n.t("orgoffers.post")}</h2> })}
        {move || done.get().map(|o| view! {
            <p class="success" role="status" id="offer-posted" tabindex="-1">
                {i18n.t(match (editing.is_some(), o.status) {
                    (false, OfferStatus::Live) => "orgoffers.posted.live",
                    (false, OfferStatus::Pending) => "orgoffers.posted.pending",
                    (true, OfferStatus::Live) => "orgoffers.saved.live",
                    (true, OfferStatus::Pending) => "orgoffers.saved.pending",
                    // Withdrawn and left so, or past its last day: its status says which.
                    _ => "orgoffers.saved",
                })}
            </p>
        })}
        <form on:submit=submit novalidate id="offer-form">
            <FormAlert errors=errors/>
            {move || {
                i18n.locale.track();
                let kinds = OfferKind::ALL.iter().map(|k| (k.as_str().to_owned(), i18n.t(kind_key(*k)).to_owned())).collect();
                let internships: Vec<(String, String)> = InternshipType::ALL.iter().map(|t| (t.as_str().to_owned(), i18n.t(&format!("offers.internship.{}", t.as_str())).to_owned())).collect();
                let contracts = Contract::ALL.iter().map(|c| (c.as_str().to_owned(), i18n.t(contract_key(*c)).to_owned())).collect();
                let educations = RequiredEducation::ALL.iter().map(|e| (e.as_str().to_owned(), i18n.t(education_key(*e)).to_owned())).collect();
                let locale = i18n.locale.get_untracked();
                let region_list = regions.get().and_then(Result::ok).unwrap_or_default().into_iter()
                    .map(|r| (r.code.clone(), if locale == shared::Locale::Ar { r.name_ar } else { r.name_fr }))
                    .collect();
                let sector_list = sectors.get().and_then(Result::ok).unwrap_or_default().into_iter()
                    .map(|s| (s.code.clone(), s.name.get(locale).to_owned()))
                    .collect();
                view! {
                    {select("kind", "offers.kind", kind, kinds, None)}
                    {move || (kind.get() == "internship").then(|| select("internship", "orgoffers.internship", internship, internships.clone(), Some("orgoffers.none_chosen")))}
                    {select("contract", "offers.contract", contract, contracts, Some("orgoffers.none_chosen"))}
                    {select("region_code", "offers.region", region, region_list, Some("orgoffers.none_chosen"))}
                    {select("sector", "orgoffers.sector", sector, sector_list, Some("orgoffers.none_chosen"))}
                    {select("education", "offers.education", education, educations, Some("orgoffers.none_chosen"))}
                }
            }}
            <Lookup id="commune_code" label="offers.commune" value=commune shown=commune_name errors=errors find=find_commune/>
            <Lookup id="isco08" label="orgoffers.occupation" value=isco08 shown=occupation_name errors=errors find=find_occupation/>
            <Field name="title" label="orgoffers.offer" value=title errors=errors required=true/>
            <div class="field">
                <label for="description">{move || i18n.t("offers.description")}</label>
                <textarea id="description" rows="8" dir="auto" maxlength="20000"
                    aria-invalid=move || errors.message("description").is_some().to_string()
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                {move || errors.message("description").map(|m| view! { <p class="error">{m}</p> })}
            </div>
            <label for="remote" class="checkbox">
                <input type="checkbox" id="remote" prop:checked=move || remote.get()
                    on:change=move |ev| remote.set(event_target_checked(&ev))/>
                {move || i18n.t("offers.remote.badge")}
            </label>
            <Field name="experience_years" label="offers.experience.label" value=experience errors=errors kind="number"/>
            <Field name="salary_min" label="orgoffers.salary_min" value=salary_min errors=errors kind="number"/>
            <Field name="salary_max" label="orgoffers.salary_max" value=salary_max errors=errors kind="number"/>
            <Field name="valid_through" label="orgoffers.until" value=until errors=errors kind="date" hint="orgoffers.until.hint"/>
            <Field name="url" label="orgoffers.url" value=url errors=errors kind="url"/>
            <label for="apply_in_platform" class="checkbox">
                <input type="checkbox" id="apply_in_platform" prop:checked=move || here.get()
                    on:change=move |ev| here.set(event_target_checked(&ev))/>
                {move || i18n.t("orgoffers.apply_here")}
            </label>
            <button type="submit" disabled=busy>{move || i18n.t(if editing.is_some() { "orgoffers.save" } else { "orgoffers.publish" })}</button>
        </form>
    }
}

/// One of the organisation's offers: its status, the form that changes it (not once the admins
/// removed it), and, for its organisation's people, its applicants.
#[component]
pub fn OrganizationOffer() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = param("id");
    let offer_id = param("offer");
    let saved = RwSignal::new(0u32);
    let done = RwSignal::new(None::<OfferView>);
    let offer = LocalResource::new(move || {
        let id = offer_id();
        // What was saved here was of the offer shown before.
        done.set(None);
        async move { session.offer_of_mine(id).await }
    });
    // Applicants' data stays with the employer they applied to: not an admin's to read.
    let employer = Memo::new(move |_| {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role != Role::Admin))
    });
    view! {
        <RoleGate roles=&[Role::Employer, Role::Partner, Role::Admin] refusal="org.only">
            {move || match offer.get() {
                None => loading().into_any(),
                Some(Err(error)) => failed(&error, "offers.missing", move || offer.refetch()),
                Some(Ok(o)) => {
                    let removed = o.status == OfferStatus::Removed;
                    let here = o.apply_in_platform;
                    // As last saved here, else as read.
                    let (title, status) = (o.title.clone(), o.status);
                    let title = move || done.with(|d| d.as_ref().map_or(title.clone(), |d| d.title.clone()));
                    let status = move || done.with(|d| d.as_ref().map_or(status, |d| d.status));
                    view! {
                        <h1><bdi>{title}</bdi></h1>
                        <p><span class="badge" id="offer-status">{move || i18n.t(offer_status_key(status()))}</span></p>
                        {if removed {
                            view! { <p>{i18n.t("orgoffers.removed")}</p> }.into_any()
                        } else {
                            view! {
                                <details id="edit-offer">
                                    <summary>{i18n.t("orgoffers.edit")}</summary>
                                    <OfferForm existing=Some(o) saved=saved done=done/>
                                </details>
                            }.into_any()
                        }}
                        {move || employer.get().then(|| view! { <Applicants here=here/> })}
                    }.into_any()
                }
            }}
            <p><A href=move || format!("/organizations/{}/offers", org())>{move || i18n.t("orgoffers.back")}</A></p>
        </RoleGate>
    }
}

/// An offer's applicants, oldest first, each moved along the pipeline, of one status when one
/// is chosen.
#[component]
fn Applicants(here: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let offer_id = param("offer");
    let status = RwSignal::new(String::new());
    let list = Paged::new(move |cursor| async move {
        session
            .offer_applications(offer_id(), status.get_untracked(), cursor)
            .await
    });
    Effect::new(move |previous: Option<String>| {
        let now = status.get();
        if previous.is_some_and(|p| p != now) {
            list.restart();
        }
        now
    });
    view! {
        <h2 id="applicants-title">{move || i18n.t("orgoffers.applicants")}</h2>
        <p>{move || i18n.t(if here { "orgoffers.applicants.intro" } else { "orgoffers.applicants.elsewhere" })}</p>
        <div class="field">
            <label for="applicant-status">{move || i18n.t("orgoffers.applicants.status")}</label>
            <select id="applicant-status" on:change=move |ev| status.set(event_target_value(&ev))>
                <option value="" selected=move || status.get().is_empty()>{move || i18n.t("offers.any")}</option>
                {ApplicationStatus::ALL.iter().map(|s| {
                    let s = *s;
                    view! {
                        <option value=s.as_str() selected=move || status.get() == s.as_str()>{move || i18n.t(status_key(Some(s)))}</option>
                    }
                }).collect_view()}
            </select>
        </div>
        {move || match list.state("orgoffers.applicants.none") {
            Err(state) => state,
            Ok(items) => view! {
                <ul class="cards" id="applicants">
                    {items.into_iter().map(|a| view! { <Applicant application=a/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {list.more()}
    }
}

#[component]
fn Applicant(application: ApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let current = RwSignal::new(application.status);
    let busy = RwSignal::new(false);
    let id = application.id;
    let move_to = move |to: ApplicationStatus| {
        busy.set(true);
        spawn_local(async move {
            let answer = session.move_application(id, to).await;
            failures.after(&answer);
            if let Ok(moved) = answer {
                current.try_set(moved.status);
            }
            busy.try_set(false);
        });
    };
    let p = application.profile.clone().unwrap_or_default();
    let name = format!("{} {}", p.first_name, p.last_name);
    // Said again in the language chosen.
    let profile = p.clone();
    let facts = move || {
        i18n.locale.track();
        let mut facts = Vec::new();
        if let Some(level) = profile.education_level {
            facts.push(i18n.t(&format!("edu.{}", level.as_str())).to_owned());
        }
        if let Some(field) = profile.field_of_study.clone() {
            facts.push(field);
        }
        if let Some(city) = profile.city.clone() {
            facts.push(city);
        }
        if let Some(code) = profile.holland_code.clone() {
            facts.push(i18n.t("orgoffers.holland").replace("{code}", &code));
        }
        (!facts.is_empty()).then(|| view! { <p><bdi>{facts.join(" · ")}</bdi></p> })
    };
    let created = application.created_at;
    view! {
        <li class="card applicant">
            <h3><bdi>{name}</bdi></h3>
            <p><a href=format!("mailto:{}", p.email) dir="ltr">{p.email.clone()}</a>
                {p.phone.clone().map(|phone| view! { " · " <a href=format!("tel:{phone}") dir="ltr">{phone.clone()}</a> })}</p>
            {facts}
            {application.message.clone().map(|m| view! { <blockquote class="note-body" dir="auto">{m}</blockquote> })}
            <p class="muted">{move || i18n.t("orgoffers.received").replace("{date}", &format_date(i18n.locale.get(), created))}</p>
            <p><span class="badge status">{move || i18n.t(status_key(current.get()))}</span></p>
            {move || {
                let now = current.get();
                let open = now.is_some_and(|s| s != ApplicationStatus::Withdrawn);
                open.then(|| view! {
                    <p class="actions">
                        {ApplicationStatus::PIPELINE.iter().filter(|s| Some(**s) != now).map(|to| {
                            let to = *to;
                            view! {
                                <button type="button" class="small secondary" data-to=to.as_str() disabled=busy
                                    on:click=move |_| move_to(to)>{i18n.t(&format!("orgoffers.move.{}", to.as_str()))}</button>
                                " "
                            }
                        }).collect_view()}
                    </p>
                })
            }}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::editable;

    #[test]
    fn a_description_comes_back_as_it_was_typed() {
        // As the server keeps plain text: paragraphs, line breaks, escapes.
        assert_eq!(
            editable(
                "<p>Six mois à Rabat.<br>Débutants acceptés.</p><p>Salaire &lt; 5000 DH &amp; primes.</p>"
            ),
            "Six mois à Rabat.\nDébutants acceptés.\n\nSalaire < 5000 DH & primes."
        );
        // Other markup (a partner's lists, links) is left as it is, to be sent back as HTML.
        let list = "<p>Profil :</p><ul><li>PHP</li></ul>";
        assert_eq!(editable(list), list);
    }
}
