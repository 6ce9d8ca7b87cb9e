//! A youth's appointments with a counselor of her center (the guide's pages): those coming,
//! which she may cancel until her center's delay; the free slots, by day, to book one with what
//! she wants to talk about; and the meetings held, with what the counselor recorded.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::appointments::{AppointmentView, BookSlotRequest, SlotView};
use shared::{AppointmentStatus, Locale, Role};

use crate::api::use_session;
use crate::forms::{Failures, FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, focus};
use crate::i18n::{format_moment, format_time, isolated, language_of, use_i18n, wall_day};
use crate::morocco::now;

pub(crate) fn status_key(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "appointments.status.booked",
        AppointmentStatus::Cancelled => "appointments.status.cancelled",
        AppointmentStatus::Held => "appointments.status.held",
        AppointmentStatus::NoShow => "appointments.status.no_show",
    }
}

/// "09:00 – 09:30", each hour isolated: the range reads in the page's direction (in Arabic the
/// start stands on the right, read first), and an hour written with direction marks by the
/// browser's Arabic format cannot swap places with the other.
pub(crate) fn hours(locale: Locale, slot: &SlotView) -> impl IntoView + use<> {
    view! {
        <bdi>{format_time(locale, slot.starts_at)}</bdi> " – " <bdi>{format_time(locale, slot.ends_at)}</bdi>
    }
}

/// Where a slot takes place: online, or the address and city.
pub(crate) fn place(slot: &SlotView) -> Option<String> {
    if slot.online {
        return None;
    }
    shared::dto::place_line(slot.address.as_deref(), slot.city.as_deref())
}

/// Items of a list by day (Morocco's wall clock), in the order given.
pub(crate) fn by_day<T>(
    items: Vec<T>,
    at: impl Fn(&T) -> chrono::DateTime<chrono::FixedOffset>,
) -> Vec<(chrono::NaiveDate, Vec<T>)> {
    let mut days: Vec<(chrono::NaiveDate, Vec<T>)> = Vec::new();
    for item in items {
        let day = wall_day(at(&item));
        match days.last_mut() {
            Some((last, list)) if *last == day => list.push(item),
            _ => days.push((day, vec![item])),
        }
    }
    days
}

#[component]
pub fn Appointments() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("appointments.title")}</h1>
        <RoleGate roles=&[Role::Youth] refusal="appointments.only">
            <AppointmentsOfHers/>
        </RoleGate>
    }
}

#[component]
fn AppointmentsOfHers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let has_center = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.center_id.is_some()))
    };
    view! {
        <p>{move || i18n.t("appointments.intro")}</p>
        <Show
            when=has_center
            fallback=move || view! {
                <p class="notice" id="no-center">{move || i18n.t("appointments.no_center")}</p>
                <p><a href="/centers">{move || i18n.t("appointments.choose_center")}</a></p>
            }
        >
            <Booking/>
        </Show>
    }
}

/// Her appointments to come, the free slots, and the past meetings: one booking or
/// cancellation reads the first two again.
#[component]
fn Booking() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let upcoming =
        Paged::new(move |cursor| async move { session.appointments("upcoming", cursor).await });
    let free = Paged::new(move |cursor| async move {
        session.slots("available=true".to_owned(), cursor).await
    });
    let past = Paged::new(move |cursor| async move { session.appointments("past", cursor).await });
    let changed = Callback::new(move |()| {
        upcoming.restart();
        free.restart();
    });
    view! {
        <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title" tabindex="-1">{move || i18n.t("appointments.upcoming")}</h2>
            {move || {
                // Drawn again in another language when the user picks one.
                i18n.locale.track();
                match upcoming.state("appointments.upcoming.none") {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="my-appointments">
                        {items.into_iter().map(|a| view! { <Appointment appointment=a changed=changed/> }).collect_view()}
                    </ul>
                }.into_any(),
                }
            }}
            {upcoming.more()}
        </section>
        <section aria-labelledby="book-title">
            <h2 id="book-title">{move || i18n.t("appointments.book")}</h2>
            <p class="muted">{move || i18n.t("appointments.book.intro")}</p>
            {move || {
                // Drawn again in another language when the user picks one.
                i18n.locale.track();
                match free.state("appointments.free.none") {
                Err(state) => state,
                Ok(items) => view! { <FreeSlots slots=items changed=changed/> }.into_any(),
                }
            }}
            {free.more()}
        </section>
        <section aria-labelledby="past-title">
            <h2 id="past-title">{move || i18n.t("appointments.past")}</h2>
            {move || {
                // Drawn again in another language when the user picks one.
                i18n.locale.track();
                match past.state("appointments.past.none") {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="past-appointments">
                        {items.into_iter().map(|a| view! { <Appointment appointment=a changed=changed/> }).collect_view()}
                    </ul>
                }.into_any(),
                }
            }}
            {past.more()}
        </section>
    }
}

/// One appointment: when, with whom, where (the link once online), what about, and what came
/// of it; a button to cancel while she may.
#[component]
fn Appointment(appointment: AppointmentView, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let locale = i18n.locale.get_untracked();
    let busy = RwSignal::new(false);
    let id = appointment.id;
    let slot = &appointment.slot;
    // The delay is her center's: the server says until when.
    let may_cancel = appointment.status == AppointmentStatus::Booked
        && now() < appointment.cancellable_until.to_utc();
    let cancel = move |_| {
        busy.set(true);
        spawn_local(async move {
            let answer = session.cancel_appointment(id).await;
            failures.after(&answer);
            busy.try_set(false);
            if answer.is_ok() {
                changed.run(());
                focus("upcoming-title");
            }
        });
    };
    let place = place(slot);
    let when = format_moment(locale, slot.starts_at);
    let until = format_moment(locale, appointment.cancellable_until);
    let counselor = slot.counselor_name.clone();
    view! {
        <li class="card appointment" id=format!("appointment-{id}")>
            <h3 id=format!("appointment-{id}-title")>{when}</h3>
            <p>
                <span class="badge">{i18n.t(status_key(appointment.status))}</span> " "
                {(appointment.cancelled_by.as_deref() == Some("staff")).then(|| view! { <span class="muted">{i18n.t("appointments.cancelled_by_staff")}</span> })}
            </p>
            <p>{isolated(i18n.t("appointments.with"), &[("name", counselor)])}</p>
            <p>{match (place, appointment.online_url.clone()) {
                (Some(place), _) => { let lang = language_of(&place); view! { <bdi dir="auto" lang=lang>{place}</bdi> }.into_any() }
                (None, Some(url)) => view! { {i18n.t("appointments.online")} " — " <a href=url.clone() rel="noopener" dir="ltr">{url.clone()}</a> }.into_any(),
                (None, None) => i18n.t("appointments.online").into_any(),
            }}</p>
            {appointment.topic.clone().map(|topic| view! {
                <p class="note-body" dir="auto" lang=language_of(&topic)>{topic.clone()}</p>
            })}
            {appointment.outcome.clone().map(|outcome| view! {
                <h4>{i18n.t("appointments.outcome")}</h4>
                <p class="note-body" dir="auto" lang=language_of(&outcome)>{outcome.clone()}</p>
            })}
            {if may_cancel {
                view! {
                    <p class="muted">{isolated(i18n.t("appointments.cancel_until"), &[("moment", until)])}</p>
                    <button type="button" class="secondary cancel" aria-describedby=format!("appointment-{id}-title") disabled=busy on:click=cancel>{move || i18n.t("appointments.cancel")}</button>
                }.into_any()
            } else if appointment.status == AppointmentStatus::Booked {
                view! { <p class="muted">{i18n.t("appointments.cancel_closed")}</p> }.into_any()
            } else {
                ().into_any()
            }}
        </li>
    }
}

/// The free slots by day; choosing one opens the booking form under it.
#[component]
fn FreeSlots(slots: Vec<SlotView>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale.get_untracked();
    let chosen = RwSignal::new(None::<i64>);
    by_day(slots, |s| s.starts_at)
        .into_iter()
        .map(|(day, slots)| {
            view! {
                <h3>{crate::i18n::format_long_day(locale, day)}</h3>
                <ul class="slots">
                    {slots.into_iter().map(|slot| {
                        let id = slot.id;
                        let label = hours(locale, &slot);
                        let place = place(&slot).unwrap_or_else(|| i18n.t("appointments.online").to_owned());
                        let who = slot.counselor_name.clone();
                        let minutes = slot.minutes.to_string();
                        view! {
                            <li>
                                <button type="button" class="slot" id=format!("slot-{id}")
                                    aria-expanded=move || (chosen.get() == Some(id)).to_string()
                                    on:click=move |_| chosen.update(|c| *c = if *c == Some(id) { None } else { Some(id) })>
                                    <strong>{label}</strong> " · " <bdi>{who}</bdi> " · " <bdi dir="auto">{place}</bdi>
                                    " · " {i18n.t("appointments.minutes").replace("{n}", &minutes)}
                                </button>
                                <Show when=move || chosen.get() == Some(id)>
                                    <BookForm slot_id=id changed=changed chosen=chosen/>
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
        .collect_view()
}

#[component]
fn BookForm(slot_id: i64, changed: Callback<()>, chosen: RwSignal<Option<i64>>) -> impl IntoView {
    let slot = slot_id;
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new();
    let failures = Failures::get();
    let topic = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = BookSlotRequest {
            topic: Some(topic.get_untracked()),
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        busy.set(true);
        errors.clear();
        spawn_local(async move {
            let answer = session.book_slot(slot, &request).await;
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    failures.clear();
                    chosen.try_set(None);
                    changed.run(());
                    focus("upcoming-title");
                }
                // Taken meanwhile, or at a time she is already seen: said at the top of the
                // page, and the free slots read again.
                Err(crate::api::ApiError::Problem(problem)) if problem.status == 409 => {
                    failures.report(&crate::api::ApiError::Problem(problem));
                    chosen.try_set(None);
                    changed.run(());
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let field = format!("topic-{slot}");
    let error_id = format!("topic-{slot}-error");
    view! {
        <form class="book" on:submit=submit novalidate>
            <FormAlert errors=errors/>
            <div class="field">
                <label for=field.clone()>{move || i18n.t("appointments.topic")}</label>
                <textarea id=field rows="3" maxlength="500" dir="auto"
                    aria-invalid=move || errors.message("topic").is_some().to_string()
                    aria-describedby=move || errors.message("topic").map(|_| error_id.clone())
                    prop:value=move || topic.get()
                    on:input=move |ev| topic.set(event_target_value(&ev))></textarea>
                {move || errors.message("topic").map(|m| view! { <p class="error" id=format!("topic-{slot}-error")>{m}</p> })}
            </div>
            <button type="submit" class="book-confirm" disabled=busy>{move || i18n.t("appointments.confirm")}</button>
        </form>
    }
}
