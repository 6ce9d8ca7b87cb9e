//! The organisers' screens (staff's app): the events one runs, and for each its roster, the
//! check-in by code (typed from the youth's ticket) or from the roster, and its publication,
//! cancellation and completion. Made to work on a phone at the door.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::events::{CheckInRequest, EventView, RosterEntry};
use shared::{EventStatus, RegistrationStatus, Role};

use crate::api::{ApiError, use_session};
use crate::forms::{Failures, Field, FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, Wide, failed, focus, loading};
use crate::i18n::{format_moment, language_of, use_i18n};
use crate::pages::event_form::editable;
use crate::pages::events::{kind_key, title_of};
use crate::scanner::Scanner;

/// Who runs events: the organisers' screens and form are theirs.
pub(crate) const ORGANISERS: &[Role] =
    &[Role::Counselor, Role::Employer, Role::Partner, Role::Admin];

fn status_key(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Draft => "events.status.draft",
        EventStatus::Published => "events.status.published",
        EventStatus::Cancelled => "events.status.cancelled",
        EventStatus::Held => "events.status.held",
    }
}

fn registration_key(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "reg.status.registered",
        RegistrationStatus::Waitlisted => "reg.status.waitlisted",
        RegistrationStatus::Cancelled => "reg.status.cancelled",
        RegistrationStatus::Attended => "reg.status.attended",
        RegistrationStatus::NoShow => "reg.status.no_show",
    }
}

/// "12 of 30 seats taken".
fn taken(event: &EventView) -> String {
    let i18n = use_i18n();
    i18n.t("manage.seats")
        .replace("{n}", &(event.capacity - event.seats_left).to_string())
        .replace("{m}", &event.capacity.to_string())
}

/// The events the signed-in organiser runs: those not yet over first (today's at the top),
/// then those of the last two months (to mend attendance).
#[component]
pub fn ManageEvents() -> impl IntoView {
    let i18n = use_i18n();
    let moment = |days_ago: f64| {
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            js_sys::Date::now() - days_ago * 86_400_000.0,
        ));
        js_sys::encode_uri_component(&at.to_iso_string().as_string().unwrap_or_default())
            .as_string()
            .unwrap_or_default()
    };
    let past = format!("organised=true&from={}&to={}", moment(61.0), moment(0.0));
    view! {
        <h1>{move || i18n.t("manage.title")}</h1>
        <RoleGate roles=ORGANISERS refusal="manage.only">
            <p>{move || i18n.t("manage.intro")}</p>
            <p><A href="/manage/events/new" attr:class="button" attr:id="new-event">{move || i18n.t("eventform.new")}</A></p>
            <h2 id="upcoming-title">{move || i18n.t("manage.upcoming")}</h2>
            <OrganisedList filters="organised=true".to_owned() id="organised-events" empty="manage.empty"/>
            <h2 id="past-title">{move || i18n.t("manage.past")}</h2>
            <OrganisedList filters=past.clone() id="past-events" empty="manage.past.empty"/>
        </RoleGate>
    }
}

/// One list of the organiser's events (`filters`: the API's query), a page at a time.
#[component]
fn OrganisedList(filters: String, id: &'static str, empty: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let filters = StoredValue::new(filters);
    let events = Paged::new(move |cursor| {
        let filters = filters.get_value();
        async move { session.events(filters, cursor).await }
    });
    let list = move || match events.state(empty) {
        Err(state) => state,
        Ok(items) => {
            let locale = i18n.locale.get();
            view! {
                <ul class="cards" id=id>
                    {items.into_iter().map(|e| {
                        let (title, lang) = title_of(&e, locale);
                        let seats = taken(&e);
                        view! {
                            <li class="card">
                                <h3 lang=lang dir="auto"><A href=format!("/manage/events/{}", e.id)>{title}</A></h3>
                                <p>
                                    <span class="badge">{i18n.t(kind_key(e.kind))}</span> " "
                                    <span class="badge">{i18n.t(status_key(e.status))}</span>
                                </p>
                                <p>{format_moment(locale, e.starts_at)}</p>
                                <p class="muted">{seats}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        {list}
        {events.more()}
    }
}

/// One event, as its organisers run it.
#[component]
pub fn ManageEvent() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RoleGate roles=ORGANISERS refusal="manage.only">
            <EventDesk/>
        </RoleGate>
        <p><A href="/manage/events">{move || i18n.t("manage.back")}</A></p>
    }
}

#[component]
fn EventDesk() -> impl IntoView {
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
    move || match event.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "events.missing", move || event.refetch()),
        // Readable by a staff member who does not run it: said so, with nothing to press.
        Some(Ok(e)) if !e.organised => {
            view! { <p class="alert" role="alert">{i18n.t("manage.not_yours")}</p> }.into_any()
        }
        Some(Ok(e)) => {
            let _ = i18n.locale.get();
            view! { <Desk event=e reload=Callback::new(move |()| event.refetch())/> }.into_any()
        }
    }
}

#[component]
fn Desk(event: EventView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let locale = i18n.locale.get_untracked();
    let id = event.id;
    let (title, lang) = title_of(&event, locale);
    let roster = Paged::new(move |cursor| async move { session.roster(id, cursor).await });

    // Publication, cancellation (asked twice) and completion.
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let completing = RwSignal::new(false);
    let change = move |what: &'static str| {
        busy.set(true);
        spawn_local(async move {
            let answer = session.change_event(id, what).await;
            failures.after(&answer);
            busy.try_set(false);
            if answer.is_ok() {
                // The page may have been left while the answer came.
                reload.try_run(());
            }
        });
    };
    let now = crate::morocco::now();
    let started = event.starts_at.to_utc() <= now;
    let status = event.status;

    // The attendance sheet, fetched with the session's credentials, saved as a file.
    let exporting = RwSignal::new(false);
    let export = move |_| {
        exporting.set(true);
        let locale = i18n.locale.get_untracked();
        spawn_local(async move {
            let answer = session.attendance_csv(id, locale).await;
            exporting.try_set(false);
            failures.after(&answer);
            if let Ok(bytes) = answer {
                save_file(&bytes, &format!("attendance-{id}.csv"), "text/csv");
            }
        });
    };

    // Check-in by the code on the youth's ticket.
    let code = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let checked = RwSignal::new(None::<String>);
    let check_in = move |request: CheckInRequest| {
        errors.clear();
        checked.set(None);
        spawn_local(async move {
            match session.check_in(id, &request).await {
                Ok(entry) => {
                    // The page may have been left while the answer came: nothing to update.
                    if code.try_set(String::new()).is_some() {
                        return;
                    }
                    checked.set(Some(format!("{} {}", entry.first_name, entry.last_name)));
                    roster.restart();
                    // Ready for the next youth in the queue.
                    focus("code");
                }
                Err(error) => {
                    if checked.try_get_untracked().is_some() {
                        errors.show(&error);
                    }
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CheckInRequest {
            code: Some(code.get_untracked()),
            registration_id: None,
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        check_in(request);
    };
    view! {
        <h1 lang=lang dir="auto">{title}</h1>
        <p>
            <span class="badge">{i18n.t(kind_key(event.kind))}</span> " "
            <span class="badge" id="event-status">{i18n.t(status_key(status))}</span>
        </p>
        <p>{format_moment(locale, event.starts_at)}</p>
        <p id="seats-taken">{taken(&event)}</p>
        <div class="actions">
            {editable(&event).then(|| view! {
                <A href=format!("/manage/events/{id}/edit") attr:class="button secondary" attr:id="edit-event">{move || i18n.t("manage.edit")}</A>
            })}
            {(status == EventStatus::Draft).then(|| view! {
                <button type="button" id="publish" disabled=busy on:click=move |_| change("publication")>
                    {move || i18n.t("manage.publish")}
                </button>
            })}
            {(status == EventStatus::Published && started).then(|| view! {
                <button type="button" id="complete" disabled=busy on:click=move |_| completing.set(true)>
                    {move || i18n.t("manage.complete")}
                </button>
            })}
            {matches!(status, EventStatus::Draft | EventStatus::Published).then(|| view! {
                <button type="button" class="secondary" id="cancel-event" disabled=busy
                    on:click=move |_| confirming.set(true)>{move || i18n.t("manage.cancel")}</button>
            })}
        </div>
        {move || completing.get().then(|| view! {
            <div class="notice" role="alert">
                <p>{i18n.t("manage.complete.confirm")}</p>
                <button type="button" id="complete-confirm" disabled=busy on:click=move |_| change("completion")>
                    {i18n.t("manage.complete.yes")}
                </button> " "
                <button type="button" class="secondary" on:click=move |_| completing.set(false)>
                    {i18n.t("manage.cancel.no")}
                </button>
            </div>
        })}
        {move || confirming.get().then(|| view! {
            <div class="alert" role="alert">
                <p>{i18n.t("manage.cancel.confirm")}</p>
                <button type="button" id="cancel-confirm" disabled=busy on:click=move |_| change("cancellation")>
                    {i18n.t("manage.cancel.yes")}
                </button> " "
                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                    {i18n.t("manage.cancel.no")}
                </button>
            </div>
        })}
        {matches!(status, EventStatus::Published | EventStatus::Held).then(|| view! {
            <section aria-labelledby="checkin-title">
                <h2 id="checkin-title">{move || i18n.t("manage.checkin.title")}</h2>
                // One status line, there from the start, whose words change: screen readers
                // announce a change in a live region, not one that appears with its text.
                <p class="success" role="status" id="checked-in" class:visually-hidden=move || checked.with(Option::is_none)>
                    {move || checked.get().map(|name| view! {
                        {i18n.t("manage.checkin.done")} " " <bdi lang=language_of(&name)>{name.clone()}</bdi>
                    })}
                </p>
                <Scanner found=Callback::new(move |value: String| {
                    code.set(value.clone());
                    let request = CheckInRequest { code: Some(value), registration_id: None };
                    match request.parse() {
                        Ok(_) => check_in(request),
                        Err(invalid) => errors.refuse(invalid),
                    }
                })/>
                <form on:submit=submit novalidate id="checkin-form">
                    <FormAlert errors=errors/>
                    <Field name="code" label="manage.checkin.code" value=code errors=errors autocomplete="off" hint="manage.checkin.hint" required=true/>
                    <button type="submit">{move || i18n.t("manage.checkin.submit")}</button>
                </form>
            </section>
        })}
        <h2 id="roster-title">{move || i18n.t("manage.roster")}</h2>
        <p>
            <button type="button" class="secondary" id="attendance-export" disabled=exporting on:click=export>
                {move || i18n.t("manage.export")}
            </button>
        </p>
        {move || match roster.state("manage.roster.empty") {
            Err(state) => state,
            Ok(entries) => view! {
                <Wide label="manage.roster">
                    <table id="roster" aria-labelledby="roster-title">
                        <thead><tr>
                            // The button beside the name: on a phone, what the door needs
                            // stays on screen; the code scrolls into view when asked for.
                            <th scope="col">{i18n.t("manage.roster.name")}</th>
                            <th scope="col">{i18n.t("manage.roster.action")}</th>
                            <th scope="col">{i18n.t("manage.roster.status")}</th>
                            <th scope="col">{i18n.t("manage.roster.code")}</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|entry| roster_row(entry, check_in)).collect_view()}
                        </tbody>
                    </table>
                </Wide>
            }.into_any(),
        }}
        {roster.more()}
    }
}

fn roster_row(
    entry: RosterEntry,
    check_in: impl Fn(CheckInRequest) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{} {}", entry.first_name, entry.last_name);
    let registration = entry.registration;
    let can_check_in = matches!(
        registration.status,
        RegistrationStatus::Registered | RegistrationStatus::NoShow
    );
    let rid = registration.id;
    let label = i18n
        .t("manage.roster.check_in_named")
        .replace("{name}", &name);
    view! {
        <tr>
            <th scope="row"><bdi lang=language_of(&name)>{name.clone()}</bdi></th>
            <td>{can_check_in.then(|| view! {
                <button type="button" class="small" aria-label=label
                    on:click=move |_| check_in(CheckInRequest { code: None, registration_id: Some(rid) })>
                    {i18n.t("manage.checkin.submit")}
                </button>
            })}</td>
            <td>{i18n.t(registration_key(registration.status))}</td>
            <td><bdi dir="ltr" translate="no">{registration.code.unwrap_or_default()}</bdi></td>
        </tr>
    }
}

/// Hands `bytes` to the browser as a download named `name`.
fn save_file(bytes: &[u8], name: &str, mime: &str) {
    use wasm_bindgen::JsCast as _;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // Kept a moment: some browsers read the address after the click has returned.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
