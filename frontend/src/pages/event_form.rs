//! The organisers' form (staff's app): a new event (a draft) or changes to one until it
//! starts. Times are typed in Morocco's time whatever the phone's zone (`crate::morocco`). The
//! form is checked by `shared`'s rules before it is sent, so it refuses what the server would,
//! with the same codes; what only the server knows (seats taken, a site) comes back field by
//! field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::dto::events::{
    CreateEventRequest, DescriptionInput, EventView, TitleInput, UpdateEventRequest,
};
use shared::orientation::RiasecArea;
use shared::validation::FieldErrors;
use shared::{EventAudience, EventKind, EventStatus, Locale, Role, codes};

use crate::api::{self, ApiError, use_session};
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::{RoleGate, failed, loading};
use crate::i18n::use_i18n;
use crate::morocco;
use crate::morocco::now;
use crate::pages::events::kind_key;
use crate::pages::manage::ORGANISERS;
use crate::pages::result::area_key;

/// Who organises the event being written.
#[derive(Clone, Copy, PartialEq)]
enum Organiser {
    Center(i64),
    Organization(i64),
}

/// `/manage/events/new`: a new draft.
#[component]
pub fn NewEventPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("eventform.new")}</h1>
        <RoleGate roles=ORGANISERS refusal="manage.only">
            <EventForm existing=None/>
        </RoleGate>
        <p><A href="/manage/events">{move || i18n.t("manage.back")}</A></p>
    }
}

/// `/manage/events/:id/edit`: changes to an event not yet started.
#[component]
pub fn EditEventPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let event = LocalResource::new(move || async move {
        match id {
            Some(id) => session.event(id).await,
            None => Err(ApiError::not_found()),
        }
    });
    view! {
        <h1>{move || i18n.t("eventform.edit")}</h1>
        <RoleGate roles=ORGANISERS refusal="manage.only">
            {move || match event.get() {
                None => loading().into_any(),
                Some(Err(error)) => failed(&error, "events.missing", move || event.refetch()),
                Some(Ok(e)) if !e.organised => view! {
                    <p class="alert" role="alert">{i18n.t("manage.not_yours")}</p>
                }.into_any(),
                Some(Ok(e)) if !editable(&e) => view! {
                    <p class="alert" role="alert">{i18n.t("err.event.not_editable")}</p>
                }.into_any(),
                Some(Ok(e)) => view! { <EventForm existing=Some(e)/> }.into_any(),
            }}
        </RoleGate>
        {move || id.map(|id| view! {
            <p><A href=format!("/manage/events/{id}")>{move || i18n.t("eventform.back")}</A></p>
        })}
    }
}

/// Whether the event may still be changed (`shared`'s rule, as the server applies it).
pub(crate) fn editable(event: &EventView) -> bool {
    shared::dto::events::editable(event.status, event.starts_at.to_utc(), now())
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

fn optional(value: RwSignal<String>) -> Option<String> {
    Some(value.get_untracked()).filter(|v| !v.trim().is_empty())
}

#[component]
fn EventForm(existing: Option<EventView>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let errors = FormErrors::new();
    let e = existing.as_ref();
    let editing = e.map(|e| e.id);
    let kind = RwSignal::new(e.map_or(EventKind::Workshop, |e| e.kind));
    let title = [Locale::Fr, Locale::Ar, Locale::En].map(|l| {
        RwSignal::new(text(e.and_then(|e| match l {
            Locale::Fr => e.title.fr.as_ref(),
            Locale::Ar => e.title.ar.as_ref(),
            Locale::En => e.title.en.as_ref(),
        })))
    });
    let description = [Locale::Fr, Locale::Ar, Locale::En].map(|l| {
        RwSignal::new(text(e.and_then(|e| match l {
            Locale::Fr => e.description.fr.as_ref(),
            Locale::Ar => e.description.ar.as_ref(),
            Locale::En => e.description.en.as_ref(),
        })))
    });
    let field_time = |at: Option<chrono::DateTime<chrono::FixedOffset>>| {
        RwSignal::new(at.map(morocco::to_field).unwrap_or_default())
    };
    let starts = field_time(e.map(|e| e.starts_at));
    let ends = field_time(e.map(|e| e.ends_at));
    let opens = field_time(e.and_then(|e| e.registration_opens_at));
    let closes = field_time(e.and_then(|e| e.registration_closes_at));
    let online = RwSignal::new(e.is_some_and(|e| e.online));
    let online_url = RwSignal::new(text(e.and_then(|e| e.online_url.as_ref())));
    // An organisation's own place; a center's event is at the center or one of its sites.
    let address = RwSignal::new(text(e.and_then(|e| e.address.as_ref())));
    let city = RwSignal::new(text(e.and_then(|e| e.city.as_ref())));
    let site = RwSignal::new(e.and_then(|e| e.site_id));
    let capacity = RwSignal::new(e.map(|e| e.capacity.to_string()).unwrap_or_default());
    let center_only = RwSignal::new(e.is_some_and(|e| e.audience == EventAudience::Center));
    let was_center_only = center_only.get_untracked();
    let published = e.is_some_and(|e| e.status == EventStatus::Published);
    let sectors = RwSignal::new(e.map(|e| e.sectors.clone()).unwrap_or_default());
    let areas = RwSignal::new(e.map(|e| e.areas.clone()).unwrap_or_default());

    // Who organises: fixed once the event exists; else the counselor's center, one of the
    // member's verified organisations, or any center for an admin.
    let user = session.user.get_untracked();
    let role = user.as_ref().map(|u| u.role);
    let organiser = RwSignal::new(match (e, role) {
        (Some(e), _) => e
            .center_id
            .map(Organiser::Center)
            .or(e.organization_id.map(Organiser::Organization)),
        (None, Some(Role::Counselor)) => user
            .as_ref()
            .and_then(|u| u.center_id)
            .map(Organiser::Center),
        _ => None,
    });
    let organisations = LocalResource::new(move || async move {
        if matches!(role, Some(Role::Employer | Role::Partner)) && editing.is_none() {
            session
                .organizations("limit=100&verified=true")
                .await
                .map(|p| p.items)
        } else {
            Ok(Vec::new())
        }
    });
    let centers = LocalResource::new(move || async move {
        if role == Some(Role::Admin) && editing.is_none() {
            api::centers(None, None).await.map(|p| p.items)
        } else {
            Ok(Vec::new())
        }
    });
    let center = LocalResource::new(move || {
        let chosen = organiser.get();
        async move {
            match chosen {
                Some(Organiser::Center(id)) => api::center(id).await.map(Some),
                _ => Ok(None),
            }
        }
    });
    let all_sectors = LocalResource::new(api::sectors);

    // The form as a request, and what the form itself refuses (an empty or unreadable date,
    // no organiser); the rest is `shared`'s to check, so that every refusal shows at once.
    let request = move || -> (CreateEventRequest, FieldErrors) {
        let mut invalid = FieldErrors::new();
        let chosen = organiser.get_untracked();
        if chosen.is_none() {
            invalid.push("organizer", codes::REQUIRED, "choose who organises it");
        }
        let mut moment = |field: &str, value: RwSignal<String>, required: bool| {
            let raw = value.get_untracked();
            if raw.trim().is_empty() {
                if required {
                    invalid.push(field, codes::REQUIRED, "required");
                }
                return None;
            }
            let parsed = morocco::from_field(&raw);
            if parsed.is_none() {
                invalid.push(field, codes::INVALID_TYPE, "not a date");
            }
            parsed
        };
        let starts_at = moment("starts_at", starts, true);
        let ends_at = moment("ends_at", ends, true);
        let registration_opens_at = moment("registration_opens_at", opens, false);
        let registration_closes_at = moment("registration_closes_at", closes, false);
        let capacity = match capacity.get_untracked().trim().parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                invalid.push(
                    "capacity",
                    codes::CAPACITY_OUT_OF_RANGE,
                    "a number of seats",
                );
                0
            }
        };
        let center_event = matches!(chosen, Some(Organiser::Center(_)));
        let [title_fr, title_ar, title_en] = title.map(optional);
        let [description_fr, description_ar, description_en] = description.map(optional);
        // Stand-ins where the form refused a value, only so the other fields can be checked.
        let later =
            chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64 + 86_400_000)
                .unwrap_or_default()
                .fixed_offset();
        let request = CreateEventRequest {
            kind: kind.get_untracked(),
            title: TitleInput {
                fr: title_fr,
                ar: title_ar,
                en: title_en,
            },
            description: DescriptionInput {
                fr: description_fr,
                ar: description_ar,
                en: description_en,
            },
            starts_at: starts_at.unwrap_or(later),
            ends_at: ends_at.unwrap_or(later + chrono::Duration::hours(1)),
            center_id: match chosen {
                Some(Organiser::Center(id)) => Some(id),
                _ => None,
            },
            site_id: if center_event {
                site.get_untracked()
            } else {
                None
            },
            organization_id: match chosen {
                Some(Organiser::Organization(id)) => Some(id),
                _ => None,
            },
            online: online.get_untracked(),
            online_url: if online.get_untracked() {
                optional(online_url)
            } else {
                None
            },
            address: if center_event {
                None
            } else {
                optional(address)
            },
            city: if center_event { None } else { optional(city) },
            capacity,
            registration_opens_at,
            registration_closes_at,
            audience: Some(if center_event && center_only.get_untracked() {
                EventAudience::Center
            } else {
                EventAudience::Public
            }),
            sectors: sectors.get_untracked(),
            areas: areas.get_untracked(),
        };
        (request, invalid)
    };

    // The event as the form first shows it: only what the organiser changes is sent, so a
    // field left alone is never rewritten (a time read through a phone's outdated zone data
    // included).
    let original = StoredValue::new(request().0);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let (request, mut invalid) = request();
        if let Err(refused) = request.parse(now()) {
            // Measured against a stand-in start, the end and the window say nothing.
            let no_start = invalid.0.iter().any(|e| e.field == "starts_at");
            for error in refused.0 {
                let against_start =
                    error.field == "ends_at" || error.field.starts_with("registration_");
                let said =
                    invalid.0.iter().any(|e| e.field == error.field) || (no_start && against_start);
                if !said {
                    invalid.0.push(error);
                }
            }
        }
        if !invalid.0.is_empty() {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let answer = match editing {
                None => session.create_event(&request).await,
                Some(id) => {
                    let before = original.get_value();
                    session.update_event(id, &changes(&before, &request)).await
                }
            };
            busy.try_set(false);
            match answer {
                Ok(event) => navigate(&format!("/manage/events/{}", event.id), Default::default()),
                Err(error) => {
                    errors.show(&error);
                }
            }
        });
    };

    let language_field = move |prefix: &'static str,
                               label: &'static str,
                               l: Locale,
                               value: RwSignal<String>,
                               long: bool| {
        let name: &'static str = match (prefix, l) {
            ("title", Locale::Fr) => "title.fr",
            ("title", Locale::Ar) => "title.ar",
            ("title", Locale::En) => "title.en",
            (_, Locale::Fr) => "description.fr",
            (_, Locale::Ar) => "description.ar",
            (_, Locale::En) => "description.en",
        };
        let dir = if l == Locale::Ar { "rtl" } else { "ltr" };
        let error_id = format!("{name}-error");
        // Each language's own error, and for titles the one that asks for at least one.
        let described = move || {
            let mut ids = Vec::new();
            if errors.message(name).is_some() {
                ids.push(format!("{name}-error"));
            }
            if prefix == "title" && errors.message("title").is_some() {
                ids.push("title-error".to_owned());
            }
            ids.join(" ")
        };
        view! {
            <div class="field" lang=l.as_str()>
                <label for=name>{move || i18n.t(label)}</label>
                {if long {
                    view! {
                        <textarea id=name name=name rows="4" dir=dir
                            aria-invalid=move || if errors.message(name).is_some() { "true" } else { "false" }
                            aria-describedby=described
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                    }.into_any()
                } else {
                    view! {
                        <input id=name name=name type="text" dir=dir
                            aria-invalid=move || if errors.message(name).is_some() { "true" } else { "false" }
                            aria-describedby=described
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))/>
                    }.into_any()
                }}
                {move || errors.message(name).map(|m| view! { <p class="error" id=error_id.clone()>{m}</p> })}
            </div>
        }
    };
    let [title_fr, title_ar, title_en] = title;
    let [description_fr, description_ar, description_en] = description;

    view! {
        <form on:submit=submit novalidate id="event-form">
            <FormAlert errors=errors/>
            {move || match (editing, role) {
                (Some(_), _) => None,
                (None, Some(Role::Employer | Role::Partner)) => Some(view! {
                    <div class="field">
                        <label for="organizer">{move || i18n.t("eventform.organization")}</label>
                        <select id="organizer" aria-describedby=move || (errors.message("organizer").is_some() || errors.message("organization_id").is_some() || errors.message("center_id").is_some()).then_some("organizer-error") on:change=move |ev| {
                            organiser.set(event_target_value(&ev).parse().ok().map(Organiser::Organization));
                        }>
                            <option value="">{move || i18n.t("eventform.choose")}</option>
                            {move || organisations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|o| {
                                let chosen = Organiser::Organization(o.id);
                                view! { <option value=o.id.to_string() selected=move || organiser.get() == Some(chosen)>{o.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        {move || errors.message("organizer").or_else(|| errors.message("organization_id")).map(|m| view! { <p class="error" id="organizer-error">{m}</p> })}
                        <p class="hint">{move || i18n.t("eventform.organization.hint")}</p>
                    </div>
                }.into_any()),
                (None, Some(Role::Admin)) => Some(view! {
                    <div class="field">
                        <label for="organizer">{move || i18n.t("eventform.center")}</label>
                        <select id="organizer" aria-describedby=move || (errors.message("organizer").is_some() || errors.message("organization_id").is_some() || errors.message("center_id").is_some()).then_some("organizer-error") on:change=move |ev| {
                            site.set(None);
                            organiser.set(event_target_value(&ev).parse().ok().map(Organiser::Center));
                        }>
                            <option value="">{move || i18n.t("eventform.choose")}</option>
                            {move || centers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                                let chosen = Organiser::Center(c.id);
                                view! { <option value=c.id.to_string() selected=move || organiser.get() == Some(chosen)>{c.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        {move || errors.message("organizer").or_else(|| errors.message("center_id")).map(|m| view! { <p class="error" id="organizer-error">{m}</p> })}
                    </div>
                }.into_any()),
                _ => None,
            }}
            <div class="field">
                <label for="kind">{move || i18n.t("eventform.kind")}</label>
                <select id="kind" on:change=move |ev| {
                    if let Ok(k) = EventKind::parse(&event_target_value(&ev)) { kind.set(k); }
                }>
                    {EventKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(kind_key(k))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset>
                <legend>{move || i18n.t("eventform.title")}</legend>
                <p class="hint">{move || i18n.t("eventform.languages.hint")}</p>
                {move || errors.message("title").map(|m| view! { <p class="error" id="title-error">{m}</p> })}
                {language_field("title", "eventform.in_fr", Locale::Fr, title_fr, false)}
                {language_field("title", "eventform.in_ar", Locale::Ar, title_ar, false)}
                {language_field("title", "eventform.in_en", Locale::En, title_en, false)}
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t("eventform.description")}</legend>
                {language_field("description", "eventform.in_fr", Locale::Fr, description_fr, true)}
                {language_field("description", "eventform.in_ar", Locale::Ar, description_ar, true)}
                {language_field("description", "eventform.in_en", Locale::En, description_en, true)}
            </fieldset>
            <Field name="starts_at" label="eventform.starts" value=starts errors=errors kind="datetime-local" hint="eventform.time.hint" required=true/>
            <Field name="ends_at" label="eventform.ends" value=ends errors=errors kind="datetime-local" required=true/>
            <Field name="capacity" label="eventform.capacity" value=capacity errors=errors kind="number" required=true/>
            <label for="online" class="checkbox">
                <input type="checkbox" id="online" prop:checked=move || online.get()
                    on:change=move |ev| online.set(event_target_checked(&ev))/>
                {move || i18n.t("eventform.online")}
            </label>
            {move || online.get().then(|| view! {
                <Field name="online_url" label="eventform.online_url" value=online_url errors=errors kind="url" hint="eventform.online_url.hint" required=true/>
            })}
            {move || match organiser.get() {
                Some(Organiser::Center(_)) => view! {
                    <div class="field">
                        <label for="site_id">{move || i18n.t("eventform.site")}</label>
                        <select id="site_id" aria-describedby=move || errors.message("site_id").map(|_| "site_id-error") on:change=move |ev| site.set(event_target_value(&ev).parse().ok())>
                            {move || center.get().and_then(Result::ok).flatten().map(|c| view! {
                                <option value="" selected=move || site.get().is_none()>{c.name.clone()}</option>
                                {c.sites.into_iter().map(|s| {
                                    let id = s.id;
                                    view! { <option value=id.to_string() selected=move || site.get() == Some(id)>{format!("{} ({})", s.name, s.city)}</option> }
                                }).collect_view()}
                            })}
                        </select>
                        {move || errors.message("site_id").map(|m| view! { <p class="error" id="site_id-error">{m}</p> })}
                    </div>
                    <label for="center-only" class="checkbox">
                        <input type="checkbox" id="center-only" prop:checked=move || center_only.get()
                            aria-describedby=move || errors.message("audience").map(|_| "audience-error")
                            disabled=published && !was_center_only
                            on:change=move |ev| center_only.set(event_target_checked(&ev))/>
                        {move || i18n.t("eventform.center_only")}
                    </label>
                    {move || errors.message("audience").map(|m| view! { <p class="error" id="audience-error">{m}</p> })}
                }.into_any(),
                _ => view! {
                    <Field name="address" label="eventform.address" value=address errors=errors autocomplete="street-address"/>
                    <Field name="city" label="form.city" value=city errors=errors/>
                }.into_any(),
            }}
            <Field name="registration_opens_at" label="eventform.opens" value=opens errors=errors kind="datetime-local" hint="eventform.window.hint"/>
            <Field name="registration_closes_at" label="eventform.closes" value=closes errors=errors kind="datetime-local"/>
            <fieldset class="choices">
                <legend>{move || i18n.t("eventform.sectors")}</legend>
                {move || errors.message("sectors").map(|m| view! { <p class="error" id="sectors-error">{m}</p> })}
                {move || {
                    let locale = i18n.locale.get();
                    all_sectors.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| {
                        let code = s.code.clone();
                        let id = format!("sector-{}", s.code);
                        let label_for = id.clone();
                        let checked = { let code = code.clone(); move || sectors.with(|c| c.contains(&code)) };
                        view! {
                            <label for=label_for class="checkbox">
                                <input type="checkbox" id=id prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        sectors.update(|c| { c.retain(|x| *x != code); if on { c.push(code.clone()); } });
                                    }/>
                                {s.name.get(locale).to_owned()}
                            </label>
                        }
                    }).collect_view()
                }}
            </fieldset>
            <fieldset class="choices">
                <legend>{move || i18n.t("eventform.areas")}</legend>
                {RiasecArea::ALL.iter().map(|a| {
                    let a = *a;
                    let id = format!("area-{}", a.as_str());
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="checkbox">
                            <input type="checkbox" id=id prop:checked=move || areas.with(|c| c.contains(&a))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    areas.update(|c| { c.retain(|x| *x != a); if on { c.push(a); } });
                                }/>
                            {move || i18n.t(area_key(a))}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" disabled=busy>
                {move || i18n.t(if editing.is_some() { "eventform.save" } else { "eventform.create" })}
            </button>
        </form>
    }
}

/// What differs between the form as first shown and as sent. A center's event takes its place
/// from its center or site, so its address and city are never sent.
fn changes(before: &CreateEventRequest, after: &CreateEventRequest) -> UpdateEventRequest {
    let center_event = after.center_id.is_some();
    let all = |r: &CreateEventRequest| UpdateEventRequest {
        kind: Some(r.kind),
        title: Some(r.title.clone()),
        description: Some(r.description.clone()),
        starts_at: Some(r.starts_at),
        ends_at: Some(r.ends_at),
        site_id: center_event.then_some(r.site_id),
        online: Some(r.online),
        online_url: Some(r.online_url.clone()),
        address: (!center_event).then(|| r.address.clone()),
        city: (!center_event).then(|| r.city.clone()),
        capacity: Some(r.capacity),
        registration_opens_at: Some(r.registration_opens_at),
        registration_closes_at: Some(r.registration_closes_at),
        audience: r.audience,
        sectors: Some(r.sectors.clone()),
        areas: Some(r.areas.clone()),
    };
    let as_map = |r: &CreateEventRequest| match serde_json::to_value(all(r)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (before, mut after) = (as_map(before), as_map(after));
    after.retain(|field, value| before.get(field) != Some(value));
    serde_json::from_value(serde_json::Value::Object(after)).unwrap_or_default()
}
