//! A counselor's appointment calendar (staff's app): offering slots (15, 30 or 45 minutes, back
//! to back, at the center, one of its sites or online), the week's slots of her center with who
//! booked them, withdrawing a slot or cancelling a booking, and recording the meeting once it
//! has begun.

use chrono::{Datelike as _, Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::appointments::{
    CreateSlotsRequest, MAX_SLOTS_AT_ONCE, OutcomeRequest, SLOT_MINUTES, SlotView,
};
use shared::dto::centers::SiteView;
use shared::{AppointmentStatus, Role, SlotStatus};

use crate::api::use_session;
use crate::forms::{Failures, Field, FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, focus};
use crate::i18n::{format_long_day, isolated, language_of, use_i18n};
use crate::morocco;
use crate::morocco::now;
use crate::pages::appointments::{by_day, hours, place, status_key};

/// Today in Morocco (UTC+00 since 2026-09-20).
fn today() -> NaiveDate {
    now().date_naive()
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// A day's start in Morocco, as the API's query writes it.
fn query_moment(day: NaiveDate) -> String {
    let at = morocco::from_field(&format!("{day}T00:00"))
        .map(|t| t.to_rfc3339())
        .unwrap_or_else(|| format!("{day}T00:00:00Z"));
    js_sys::encode_uri_component(&at)
        .as_string()
        .unwrap_or_default()
}

#[component]
pub fn ManageAppointments() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("slots.title")}</h1>
        <RoleGate roles=&[Role::Counselor] refusal="slots.only">
            <Calendar/>
        </RoleGate>
    }
}

#[component]
fn Calendar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let week = RwSignal::new(monday_of(today()));
    let slots = Paged::new(move |cursor| async move {
        let monday = week.get_untracked();
        let filters = format!(
            "from={}&to={}",
            query_moment(monday),
            query_moment(monday + Duration::days(7))
        );
        session.slots(filters, cursor).await
    });
    let changed = Callback::new(move |()| slots.restart());
    // After offering slots, the week they are in.
    let shown = Callback::new(move |day: NaiveDate| {
        week.set(monday_of(day));
        slots.restart();
    });
    let go = move |days: i64| {
        week.update(|w| *w += Duration::days(days));
        slots.restart();
    };
    let locale = move || i18n.locale.get();
    view! {
        <p>{move || i18n.t("slots.intro")}</p>
        <OfferSlots shown=shown/>
        <section aria-labelledby="week-title">
            <h2 id="week-title" tabindex="-1">
                {move || isolated(i18n.t("slots.week"), &[("day", format_long_day(locale(), week.get()))])}
            </h2>
            <p class="week-nav">
                <button type="button" class="secondary" id="previous-week" on:click=move |_| go(-7)>{move || i18n.t("slots.previous")}</button> " "
                <button type="button" class="secondary" id="this-week" on:click=move |_| { week.set(monday_of(today())); slots.restart(); }>{move || i18n.t("slots.this_week")}</button> " "
                <button type="button" class="secondary" id="next-week" on:click=move |_| go(7)>{move || i18n.t("slots.next")}</button>
            </p>
            {move || match slots.state("slots.none") {
                Err(state) => state,
                Ok(items) => {
                    let locale = i18n.locale.get();
                    by_day(items, |s| s.starts_at).into_iter().map(|(day, items)| view! {
                        <h3>{format_long_day(locale, day)}</h3>
                        <ul class="cards slot-list">
                            {items.into_iter().map(|slot| view! { <StaffSlot item=slot changed=changed/> }).collect_view()}
                        </ul>
                    }).collect_view().into_any()
                }
            }}
            {slots.more()}
        </section>
    }
}

/// One slot as the center's staff see it, with what may be done to it now.
#[component]
fn StaffSlot(item: SlotView, changed: Callback<()>) -> impl IntoView {
    let slot = item;
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let locale = i18n.locale.get_untracked();
    let busy = RwSignal::new(false);
    let writing = RwSignal::new(false);
    let id = slot.id;
    let begun = slot.starts_at.to_utc() <= now();
    let open = slot.status == SlotStatus::Open;
    let booking = slot.appointment.clone();
    let booked = booking
        .as_ref()
        .is_some_and(|b| b.status == AppointmentStatus::Booked);
    let act = move |withdraw: bool, appointment: Option<i64>| {
        busy.set(true);
        spawn_local(async move {
            let answer = match (withdraw, appointment) {
                (false, Some(appointment)) => {
                    session.cancel_appointment(appointment).await.map(|_| ())
                }
                _ => session.withdraw_slot(id).await.map(|_| ()),
            };
            failures.after(&answer);
            busy.try_set(false);
            if answer.is_ok() {
                changed.run(());
                focus("week-title");
            }
        });
    };
    let appointment_id = booking.as_ref().map(|b| b.appointment_id);
    let place = place(&slot).unwrap_or_else(|| i18n.t("appointments.online").to_owned());
    view! {
        <li class="card slot" id=format!("staff-slot-{id}")>
            <h4 id=format!("staff-slot-{id}-title")>
                <span>{hours(locale, &slot)}</span> " "
                {match (&booking, open) {
                    (_, false) => view! { <span class="badge">{i18n.t("slots.withdrawn")}</span> }.into_any(),
                    (None, true) => view! { <span class="badge free">{i18n.t("slots.free")}</span> }.into_any(),
                    (Some(b), true) => view! { <span class="badge">{i18n.t(status_key(b.status))}</span> }.into_any(),
                }}
            </h4>
            <p class="muted"><bdi>{slot.counselor_name.clone()}</bdi> " · " <bdi dir="auto" lang=language_of(&place)>{place.clone()}</bdi></p>
            {booking.as_ref().filter(|_| open).map(|b| view! {
                <p>{isolated(i18n.t("slots.booked_by"), &[("name", b.youth_name.clone())])}</p>
                {b.topic.clone().map(|t| view! { <p class="note-body" dir="auto" lang=language_of(&t)>{t.clone()}</p> })}
            })}
            <p class="actions">
                {(open && !begun).then(|| view! {
                    <button type="button" class="secondary withdraw" aria-describedby=format!("staff-slot-{id}-title") disabled=busy on:click=move |_| act(true, None)>{move || i18n.t("slots.withdraw")}</button>
                })} " "
                {(booked && !begun).then(|| view! {
                    <button type="button" class="secondary cancel-booking" aria-describedby=format!("staff-slot-{id}-title") disabled=busy on:click=move |_| act(false, appointment_id)>{move || i18n.t("slots.cancel_booking")}</button>
                })}
                {(begun && appointment_id.is_some()).then(|| view! {
                    <button type="button" class="record" aria-describedby=format!("staff-slot-{id}-title") aria-expanded=move || writing.get().to_string() on:click=move |_| writing.update(|w| *w = !*w)>
                        {move || i18n.t("slots.record")}
                    </button>
                })}
            </p>
            {move || (writing.get() && appointment_id.is_some()).then(|| view! {
                <OutcomeForm appointment=appointment_id.unwrap_or_default() writing=writing changed=changed/>
            })}
        </li>
    }
}

/// What happened at the meeting: held (and what was said and agreed) or missed; the previous
/// record is shown to be mended.
#[component]
fn OutcomeForm(appointment: i64, writing: RwSignal<bool>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new();
    let held = RwSignal::new(true);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    spawn_local(async move {
        // The record so far, to be mended; not over what has been typed meanwhile.
        if let Ok(current) = session.appointment(appointment).await
            && text.try_get_untracked().is_some_and(|t| t.is_empty())
        {
            held.try_set(current.status != AppointmentStatus::NoShow);
            text.try_set(current.outcome.unwrap_or_default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = OutcomeRequest {
            status: if held.get_untracked() {
                AppointmentStatus::Held
            } else {
                AppointmentStatus::NoShow
            },
            outcome: Some(text.get_untracked()),
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        errors.clear();
        spawn_local(async move {
            let answer = session.record_outcome(appointment, &request).await;
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    writing.try_set(false);
                    changed.run(());
                    focus("week-title");
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let name = format!("came-{appointment}");
    let field = format!("outcome-{appointment}");
    let hint = format!("outcome-{appointment}-hint");
    let error = format!("outcome-{appointment}-error");
    let described = {
        let (hint, error) = (hint.clone(), error.clone());
        move || {
            if errors.message("outcome").is_some() {
                format!("{hint} {error}")
            } else {
                hint.clone()
            }
        }
    };
    view! {
        <form class="outcome" on:submit=submit novalidate>
            <FormAlert errors=errors/>
            <fieldset>
                <legend>{move || i18n.t("slots.came")}</legend>
                <label><input type="radio" name=name.clone() prop:checked=move || held.get() on:change=move |_| held.set(true)/> " " {move || i18n.t("appointments.status.held")}</label>
                <label><input type="radio" name=name prop:checked=move || !held.get() on:change=move |_| held.set(false)/> " " {move || i18n.t("appointments.status.no_show")}</label>
            </fieldset>
            <div class="field">
                <label for=field.clone()>{move || i18n.t("slots.outcome")}</label>
                <textarea id=field rows="4" maxlength="4000" dir="auto"
                    aria-describedby=described
                    aria-invalid=move || errors.message("outcome").is_some().to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p class="hint" id=hint>{move || i18n.t("slots.outcome.hint")}</p>
                {move || errors.message("outcome").map(|m| view! { <p class="error" id=error.clone()>{m}</p> })}
            </div>
            <button type="submit" disabled=busy>{move || i18n.t("slots.save")}</button>
        </form>
    }
}

/// The form that offers slots; `shown` then shows the week of the day they are on.
#[component]
fn OfferSlots(shown: Callback<NaiveDate>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new();
    let day = RwSignal::new((today() + Duration::days(1)).to_string());
    let time = RwSignal::new("09:00".to_owned());
    let minutes = RwSignal::new(30_i64);
    let count = RwSignal::new("4".to_owned());
    // "" the center, a site's id, or "online".
    let place = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let offered = RwSignal::new(None::<usize>);
    let sites = RwSignal::new(Vec::<SiteView>::new());
    let center = session
        .user
        .with_untracked(|u| u.as_ref().and_then(|u| u.center_id));
    if let Some(center) = center {
        spawn_local(async move {
            if let Ok(found) = crate::api::center(center).await {
                sites.try_set(found.sites);
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        offered.set(None);
        let Some(starts_at) =
            morocco::from_field(&format!("{}T{}", day.get_untracked(), time.get_untracked()))
        else {
            let mut invalid = shared::FieldErrors::new();
            invalid.push("starts_at", shared::codes::REQUIRED, "a day and an hour");
            errors.refuse(invalid);
            return;
        };
        let chosen = place.get_untracked();
        let request = CreateSlotsRequest {
            starts_at,
            minutes: minutes.get_untracked(),
            count: count.get_untracked().trim().parse().ok().or(Some(0)),
            site_id: chosen.parse().ok(),
            online_url: (chosen == "online").then(|| url.get_untracked()),
        };
        if chosen == "online" && url.get_untracked().trim().is_empty() {
            let mut invalid = shared::FieldErrors::new();
            invalid.push("online_url", shared::codes::REQUIRED, "the meeting's link");
            errors.refuse(invalid);
            return;
        }
        if let Err(invalid) = request.parse(now()) {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        errors.clear();
        spawn_local(async move {
            let answer = session.offer_slots(&request).await;
            busy.try_set(false);
            match answer {
                Ok(created) => {
                    offered.try_set(Some(created.len()));
                    if let Some(first) = created.first() {
                        shown.run(crate::i18n::wall_day(first.starts_at));
                    }
                    focus("offered");
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <section aria-labelledby="offer-title">
            <h2 id="offer-title">{move || i18n.t("slots.offer")}</h2>
            {move || offered.get().map(|n| view! {
                <p class="notice" id="offered" role="status" tabindex="-1">{isolated(i18n.t("slots.offered"), &[("n", n.to_string())])}</p>
            })}
            <form id="offer-slots" on:submit=submit novalidate>
                <FormAlert errors=errors/>
                <div class="row">
                    <Field name="starts_at" label="slots.day" value=day errors=errors kind="date" required=true/>
                    <div class="field">
                        <label for="slot-time">{move || i18n.t("slots.time")}</label>
                        <input id="slot-time" type="time" required prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                    </div>
                </div>
                <div class="row">
                    <div class="field">
                        <label for="minutes">{move || i18n.t("slots.length")}</label>
                        <select id="minutes" on:change=move |ev| minutes.set(event_target_value(&ev).parse().unwrap_or(30))>
                            {SLOT_MINUTES.into_iter().map(|m| view! {
                                <option value=m.to_string() selected=move || minutes.get() == m>{move || i18n.t("appointments.minutes").replace("{n}", &m.to_string())}</option>
                            }).collect_view()}
                        </select>
                        {move || errors.message("minutes").map(|m| view! { <p class="error">{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="count">{move || i18n.t("slots.count")}</label>
                        <input id="count" type="number" min="1" max=MAX_SLOTS_AT_ONCE.to_string() inputmode="numeric"
                            aria-invalid=move || errors.message("count").is_some().to_string()
                            aria-describedby=move || errors.message("count").map(|_| "count-error")
                            prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                        {move || errors.message("count").map(|m| view! { <p class="error" id="count-error">{m}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for="slot-place">{move || i18n.t("slots.place")}</label>
                    <select id="slot-place" aria-describedby=move || errors.message("site_id").map(|_| "site-error") on:change=move |ev| place.set(event_target_value(&ev))>
                        <option value="" selected=move || place.get().is_empty()>{move || i18n.t("slots.at_center")}</option>
                        {move || sites.get().into_iter().map(|s| {
                            let value = s.id.to_string();
                            let chosen = value.clone();
                            view! { <option value=value selected=move || place.get() == chosen>{format!("{} ({})", s.name, s.city)}</option> }
                        }).collect_view()}
                        <option value="online" selected=move || place.get() == "online">{move || i18n.t("appointments.online")}</option>
                    </select>
                    {move || errors.message("site_id").map(|m| view! { <p class="error" id="site-error">{m}</p> })}
                </div>
                <Show when=move || place.get() == "online">
                    <Field name="online_url" label="slots.link" value=url errors=errors kind="url" required=true/>
                </Show>
                <button type="submit" id="offer" disabled=busy>{move || i18n.t("slots.offer.submit")}</button>
            </form>
        </section>
    }
}
