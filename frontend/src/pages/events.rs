//! Events: the list, filtered by kind, sector, center, place, days and seats left (kept in the
//! address), and each event's page, where a youth registers, joins the waitlist or gives her
//! place up.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::dto::events::{EventView, registration_open};
use shared::{EventAudience, EventKind, EventStatus, Locale, RegistrationStatus, Role};

use leptos::task::spawn_local;

use crate::api::{ApiError, use_session};
use crate::forms::Failures;
use crate::gate::{Paged, RoleGate, failed, focus, loading, login_here};
use crate::i18n::{format_moment, isolated, language_of, use_i18n};

/// The catalogue key of an event's kind.
pub fn kind_key(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Workshop => "events.kind.workshop",
        EventKind::SoftSkillsTraining => "events.kind.soft_skills_training",
        EventKind::Conference => "events.kind.conference",
        EventKind::CompanyVisit => "events.kind.company_visit",
        EventKind::JobFair => "events.kind.job_fair",
        EventKind::InformationSession => "events.kind.information_session",
    }
}

fn mine_key(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "events.mine.registered",
        RegistrationStatus::Waitlisted => "events.mine.waitlisted",
        RegistrationStatus::Cancelled => "events.mine.cancelled",
        RegistrationStatus::Attended => "events.mine.attended",
        RegistrationStatus::NoShow => "events.mine.no_show",
    }
}

/// The title in the interface's language, or in another given, with that language's code.
pub(crate) fn title_of(event: &EventView, locale: Locale) -> (String, &'static str) {
    let lang = event.title.language_of_best(locale);
    (
        event.title.best(locale).unwrap_or_default().to_owned(),
        lang.as_str(),
    )
}

/// Whether a youth could register (or join the line) now.
fn is_open(event: &EventView) -> bool {
    let now = crate::morocco::now();
    registration_open(
        event.status,
        now,
        event.starts_at.to_utc(),
        event.registration_opens_at.map(|t| t.to_utc()),
        event.registration_closes_at.map(|t| t.to_utc()),
    )
}

/// Seats left, or the line of youths waiting for one (said open only while it is).
fn seats_line(event: &EventView) -> (&'static str, String) {
    if event.seats_left > 0 {
        ("events.seats_left", event.seats_left.to_string())
    } else if event.waitlisted > 0 {
        ("events.full", event.waitlisted.to_string())
    } else if is_open(event) {
        ("events.full.nobody_waiting", String::new())
    } else {
        ("events.full.closed", String::new())
    }
}

/// Where: online, or the city (and address).
fn place_of(event: &EventView) -> Option<String> {
    if event.online {
        return None;
    }
    shared::dto::place_line(event.address.as_deref(), event.city.as_deref())
}

/// The filters the address holds (`kind`, `seats_left`, `sector`, `center`, `online`, and the
/// days `from` and `to`, as `YYYY-MM-DD`), as the address writes them.
#[derive(Clone, Default, PartialEq)]
struct Filters {
    kind: String,
    seats: bool,
    sector: String,
    center: String,
    online: String,
    from: String,
    to: String,
}

impl Filters {
    fn read(query: &leptos_router::params::ParamsMap) -> Self {
        let get = |name: &str| query.get(name).unwrap_or_default();
        Self {
            kind: get("kind"),
            seats: get("seats_left") == "true",
            sector: get("sector"),
            center: get("center"),
            online: get("online"),
            from: get("from"),
            to: get("to"),
        }
    }

    /// The address's query: only values of a valid form, so a hand-edited address never
    /// reaches the API as a refusal.
    fn address(&self) -> String {
        let mut parts = Vec::new();
        if EventKind::parse(&self.kind).is_ok() {
            parts.push(format!("kind={}", self.kind));
        }
        if self.seats {
            parts.push("seats_left=true".to_owned());
        }
        if shared::dto::events::is_sector_code(&self.sector) {
            parts.push(format!("sector={}", self.sector));
        }
        if self.center.parse::<i64>().is_ok() {
            parts.push(format!("center={}", self.center));
        }
        if matches!(self.online.as_str(), "true" | "false") {
            parts.push(format!("online={}", self.online));
        }
        for (name, day) in [("from", &self.from), ("to", &self.to)] {
            if day_start(day).is_some() {
                parts.push(format!("{name}={day}"));
            }
        }
        parts.join("&")
    }

    /// The API's query: the days as moments in Morocco's time (`to` includes its day).
    fn api(&self) -> String {
        let mut parts: Vec<String> = self
            .address()
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("from=") && !p.starts_with("to="))
            .map(str::to_owned)
            .collect();
        let moment = |at: chrono::DateTime<chrono::FixedOffset>| {
            js_sys::encode_uri_component(&at.to_rfc3339())
                .as_string()
                .unwrap_or_default()
        };
        if let Some(from) = day_start(&self.from) {
            parts.push(format!("from={}", moment(from)));
        }
        if let Some(to) = day_start(&self.to) {
            parts.push(format!("to={}", moment(to + chrono::Duration::days(1))));
        }
        parts.join("&")
    }
}

/// Midnight of a `YYYY-MM-DD` day in Morocco's time.
fn day_start(day: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if day.len() != 10 {
        return None;
    }
    crate::morocco::from_field(&format!("{day}T00:00"))
}

#[component]
pub fn Events() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(Filters::read));
    let events = Paged::new(move |cursor| {
        let filters = filters.get_untracked().api();
        async move { session.events(filters, cursor).await }
    });
    // New filters, or someone signing in (her center's events, her registrations): a new list.
    Effect::new(move |previous: Option<(String, Option<i64>)>| {
        let now = (
            filters.with(Filters::address),
            session.user.with(|u| u.as_ref().map(|u| u.id)),
        );
        if previous.is_some_and(|p| p != now) {
            events.restart();
        }
        now
    });
    let navigate = use_navigate();
    let go = move |change: &dyn Fn(&mut Filters)| {
        let mut next = filters.get_untracked();
        change(&mut next);
        let query = next.address();
        let path = if query.is_empty() {
            "/events".to_owned()
        } else {
            format!("/events?{query}")
        };
        navigate(&path, Default::default());
    };
    let go = StoredValue::new(go);
    let set = move |change: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go.with_value(|go| go(&|f: &mut Filters| change(f, value.clone())));
        }
    };
    let sectors = LocalResource::new(crate::api::sectors);
    let centers = LocalResource::new(|| crate::api::centers(None, None));
    view! {
        <h1>{move || i18n.t("events.title")}</h1>
        <p>{move || i18n.t("events.intro")}</p>
        <div class="filters">
            <div class="field">
                <label for="kind">{move || i18n.t("events.filter.kind")}</label>
                <select id="kind" on:change=set(|f, v| f.kind = v)>
                    <option value="" selected=move || filters.with(|f| f.kind.is_empty())>{move || i18n.t("events.filter.all")}</option>
                    {EventKind::ALL.iter().map(|k| {
                        let value = k.as_str();
                        view! { <option value=value selected=move || filters.with(|f| f.kind == value)>{move || i18n.t(kind_key(*k))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="sector">{move || i18n.t("events.filter.sector")}</label>
                <select id="sector" on:change=set(|f, v| f.sector = v)>
                    <option value="" selected=move || filters.with(|f| f.sector.is_empty())>{move || i18n.t("events.filter.any_sector")}</option>
                    {move || {
                        let locale = i18n.locale.get();
                        sectors.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| {
                            let code = s.code.clone();
                            let selected = { let code = code.clone(); move || filters.with(|f| f.sector == code) };
                            view! { <option value=code selected=selected>{s.name.get(locale).to_owned()}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="center">{move || i18n.t("events.filter.center")}</label>
                <select id="center" on:change=set(|f, v| f.center = v)>
                    <option value="" selected=move || filters.with(|f| f.center.is_empty())>{move || i18n.t("events.filter.any_center")}</option>
                    {move || centers.get().and_then(Result::ok).map(|p| p.items).unwrap_or_default().into_iter().map(|c| {
                        let id = c.id.to_string();
                        let selected = { let id = id.clone(); move || filters.with(|f| f.center == id) };
                        view! { <option value=id selected=selected>{c.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="online">{move || i18n.t("events.filter.where")}</label>
                <select id="online" on:change=set(|f, v| f.online = v)>
                    <option value="" selected=move || filters.with(|f| f.online.is_empty())>{move || i18n.t("events.filter.anywhere")}</option>
                    <option value="false" selected=move || filters.with(|f| f.online == "false")>{move || i18n.t("events.filter.in_person")}</option>
                    <option value="true" selected=move || filters.with(|f| f.online == "true")>{move || i18n.t("events.online")}</option>
                </select>
            </div>
            <div class="field">
                <label for="from">{move || i18n.t("events.filter.from")}</label>
                <input type="date" id="from" prop:value=move || filters.with(|f| f.from.clone()) on:change=set(|f, v| f.from = v)/>
            </div>
            <div class="field">
                <label for="to">{move || i18n.t("events.filter.to")}</label>
                <input type="date" id="to" prop:value=move || filters.with(|f| f.to.clone()) on:change=set(|f, v| f.to = v)/>
            </div>
            <label for="seats" class="checkbox">
                <input type="checkbox" id="seats" prop:checked=move || filters.with(|f| f.seats)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        go.with_value(|go| go(&|f: &mut Filters| f.seats = on));
                    }/>
                {move || i18n.t("events.filter.seats")}
            </label>
        </div>
        {move || match events.state("events.empty") {
            Err(state) => state,
            Ok(items) => event_cards("event-list", items),
        }}
        {events.more()}
    }
}

/// Events as cards: what, when, where, the seats, and the youth's own standing.
fn event_cards(id: &'static str, items: Vec<EventView>) -> AnyView {
    let i18n = use_i18n();
    let locale = i18n.locale.get();
    view! {
        <ul class="cards" id=id>
            {items.into_iter().map(|e| {
                let (title, lang) = title_of(&e, locale);
                let (seats_key, n) = seats_line(&e);
                let place = place_of(&e);
                let mine = e.my_registration.map(|r| {
                    let position = r.waitlist_position.unwrap_or_default().to_string();
                    view! { <p class="badge">{isolated(i18n.t(mine_key(r.status)), &[("n", position)])}</p> }
                });
                view! {
                    <li class="card">
                        <h2 lang=lang dir="auto"><A href=format!("/events/{}", e.id)>{title}</A></h2>
                        <p>
                            <span class="badge">{i18n.t(kind_key(e.kind))}</span> " "
                            {(e.status == EventStatus::Cancelled).then(|| view! { <span class="badge alert-badge">{i18n.t("events.status.cancelled")}</span> })}
                        </p>
                        <p>{format_moment(locale, e.starts_at)}</p>
                        <p>{match place {
                            Some(place) => { let lang = language_of(&place); view! { <bdi dir="auto" lang=lang>{place}</bdi> }.into_any() }
                            None => i18n.t("events.online").into_any(),
                        }}</p>
                        {(e.status != EventStatus::Cancelled).then(|| view! {
                            <p class="muted">{i18n.t(seats_key).replace("{n}", &n)}</p>
                        })}
                        {mine}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The youth's own events, the past ones with what came of them: each opens on its page with
/// her entry ticket.
#[component]
pub fn MyEvents() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("events.mine.title")}</h1>
        <RoleGate roles=&[Role::Youth] refusal="events.mine.only">
            <MyEventList/>
        </RoleGate>
        <p><A href="/events">{move || i18n.t("events.back")}</A></p>
    }
}

/// The youth's calendar feed: an address to give her phone's calendar once, replaced or
/// removed here (the old one then stops working).
#[component]
fn CalendarSubscription() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let url = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let create = move |_| {
        busy.set(true);
        spawn_local(async move {
            let answer = session.create_calendar_feed().await;
            failures.after(&answer);
            if let Ok(feed) = answer {
                url.try_set(Some(feed.url));
            }
            busy.try_set(false);
        });
    };
    let remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            let answer = session.delete_calendar_feed().await;
            failures.after(&answer);
            if answer.is_ok() {
                url.try_set(None);
            }
            busy.try_set(false);
        });
    };
    view! {
        <section aria-labelledby="calendar-title" id="calendar">
            <h2 id="calendar-title">{move || i18n.t("events.calendar.title")}</h2>
            <p>{move || i18n.t("events.calendar.intro")}</p>
            {move || url.get().map(|address| view! {
                <div class="field">
                    <label for="calendar-url">{i18n.t("events.calendar.url")}</label>
                    <input id="calendar-url" type="url" readonly dir="ltr" prop:value=address aria-describedby="calendar-hint"/>
                    <p class="hint" id="calendar-hint">{i18n.t("events.calendar.hint")}</p>
                </div>
            })}
            <button type="button" id="calendar-create" disabled=busy on:click=create>
                {move || i18n.t(if url.get().is_some() { "events.calendar.renew" } else { "events.calendar.create" })}
            </button> " "
            <button type="button" class="secondary" id="calendar-remove" disabled=busy on:click=remove>
                {move || i18n.t("events.calendar.remove")}
            </button>
        </section>
    }
}

#[component]
fn MyEventList() -> impl IntoView {
    let session = use_session();
    let events =
        Paged::new(
            move |cursor| async move { session.events("mine=true".to_owned(), cursor).await },
        );
    view! {
        {move || match events.state("events.mine.empty") {
            Err(state) => state,
            Ok(items) => event_cards("my-events", items),
        }}
        {events.more()}
        <CalendarSubscription/>
    }
}

/// One event: what, when, where, who runs it, the seats, and the youth's registration.
#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let event: RwSignal<Option<Result<EventView, ApiError>>> = RwSignal::new(None);
    // Each load is numbered: an answer to an older one (read before the session was restored,
    // say) is not shown over a newer one.
    let generation = StoredValue::new(0u32);
    let load = move || {
        generation.update_value(|g| *g += 1);
        let asked = generation.get_value();
        event.set(None);
        let id = id();
        leptos::task::spawn_local(async move {
            let answer = match id {
                Some(id) => session.event(id).await,
                None => Err(ApiError::not_found()),
            };
            if generation.try_get_value() == Some(asked) {
                event.try_set(Some(answer));
            }
        });
    };
    // Again when the address or the signed-in user changes.
    Effect::new(move |previous: Option<(Option<i64>, Option<i64>)>| {
        let now = (id(), session.user.with(|u| u.as_ref().map(|u| u.id)));
        if previous != Some(now) {
            load();
        }
        now
    });
    move || {
        // Drawn again in another language when the user picks one.
        let _ = i18n.locale.get();
        match event.get() {
            None => loading().into_any(),
            Some(Err(error)) => failed(&error, "events.missing", load),
            Some(Ok(e)) => view! { <EventDetails event=e set=event/> }.into_any(),
        }
    }
}

#[component]
fn EventDetails(
    event: EventView,
    set: RwSignal<Option<Result<EventView, ApiError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let locale = i18n.locale.get_untracked();
    let (title, lang) = title_of(&event, locale);
    let description_lang = event.description.language_of_best(locale).as_str();
    let description = event.description.best(locale).map(str::to_owned);
    let (seats_key, n) = seats_line(&event);
    let place = place_of(&event);
    let busy = RwSignal::new(false);
    // Taken now: the task below runs outside the component, where no context is reachable.
    let failures = Failures::get();
    let id = event.id;
    let act = move |join: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = if join {
                session.register_for_event(id).await
            } else {
                session.cancel_registration(id).await
            };
            failures.after(&answer);
            if let Ok(updated) = answer {
                set.try_set(Some(Ok(updated)));
                // Drawn again: her new standing takes the focus, so the keyboard does not
                // fall back to the top and a screen reader says it.
                focus("my-registration");
            }
            busy.try_set(false);
        });
    };
    let youth = session
        .user
        .with_untracked(|u| u.as_ref().map(|u| u.role == Role::Youth));
    let now = crate::morocco::now();
    let open = is_open(&event);
    let holds_place = event.my_registration.as_ref().is_some_and(|r| {
        matches!(
            r.status,
            RegistrationStatus::Registered | RegistrationStatus::Waitlisted
        )
    });
    let action = match (youth, holds_place, open) {
        (Some(true), true, _) if event.starts_at.to_utc() > now => Some(view! {
            <button type="button" class="secondary" id="unregister" disabled=busy aria-busy=move || busy.get().to_string()
                on:click=move |_| act(false)>{move || i18n.t("events.unregister")}</button>
        }.into_any()),
        (Some(true), false, true) => {
            let key = if event.seats_left > 0 { "events.register" } else { "events.waitlist_join" };
            Some(view! {
                <button type="button" id="register" disabled=busy aria-busy=move || busy.get().to_string()
                    on:click=move |_| act(true)>{move || i18n.t(key)}</button>
            }.into_any())
        }
        (None, _, true) => Some(view! {
            <p><A href=login_here()>{move || i18n.t("events.login_to_register")}</A></p>
        }.into_any()),
        (Some(true), false, false) => Some(view! { <p>{move || i18n.t("events.closed")}</p> }.into_any()),
        _ => None,
    };
    // Her entry ticket while she holds a seat: the QR code drawn by the server, and the code
    // written out for a counselor to type (the drawing is hidden from screen readers: the code
    // says the same).
    let ticket = event.my_registration.as_ref().and_then(|r| {
        let svg = r.qr_svg.clone()?;
        let code = r.code.clone()?;
        let grouped = format!("{} {}", &code[..code.len() / 2], &code[code.len() / 2..]);
        Some(view! {
            <figure class="ticket" id="ticket">
                <div class="qr" aria-hidden="true" inner_html=svg></div>
                <figcaption>
                    {move || i18n.t("events.ticket")} " "
                    <bdi class="code" dir="ltr" translate="no">{grouped}</bdi>
                </figcaption>
            </figure>
        })
    });
    let mine = event.my_registration.clone().map(|r| {
        let text = i18n.t(mine_key(r.status));
        let position = r.waitlist_position.unwrap_or_default().to_string();
        view! { <p class="notice" id="my-registration" role="status" tabindex="-1">{isolated(text, &[("n", position)])}</p> }
    });
    view! {
        <h1 lang=lang dir="auto">{title}</h1>
        <p>
            <span class="badge">{i18n.t(kind_key(event.kind))}</span> " "
            {(event.status == EventStatus::Cancelled).then(|| view! { <span class="badge alert-badge">{i18n.t("events.status.cancelled")}</span> })}
            {(event.status == EventStatus::Draft).then(|| view! { <span class="badge">{i18n.t("events.status.draft")}</span> })}
        </p>
        <dl class="facts">
            <dt>{i18n.t("events.when")}</dt>
            <dd>{isolated(i18n.t("events.from_to"), &[
                ("start", format_moment(locale, event.starts_at)),
                ("end", format_moment(locale, event.ends_at)),
            ])}</dd>
            <dt>{i18n.t("events.where")}</dt>
            <dd>{match (place, event.online_url.clone()) {
                (Some(place), _) => { let lang = language_of(&place); view! { <bdi dir="auto" lang=lang>{place}</bdi> }.into_any() }
                (None, Some(url)) => view! {
                    {i18n.t("events.online")} " — " <a href=url.clone() rel="noopener" dir="ltr">{url.clone()}</a>
                }.into_any(),
                (None, None) => i18n.t("events.online").into_any(),
            }}</dd>
            <dt>{i18n.t("events.organizer")}</dt>
            <dd><bdi dir="auto" lang=language_of(&event.organizer_name)>{event.organizer_name.clone()}</bdi></dd>
            <dt>{i18n.t("events.seats")}</dt>
            <dd id="seats">{i18n.t(seats_key).replace("{n}", &n)}</dd>
        </dl>
        {description.map(|d| view! { <p class="description note-body" lang=description_lang dir="auto">{d}</p> })}
        {mine}
        {ticket}
        {event.my_registration.as_ref().and_then(|r| r.certificate_code.clone()).map(|code| view! {
            <p><A href=format!("/certificates/{code}") attr:id="certificate-link">{move || i18n.t("cert.open")}</A></p>
        })}
        {action}
        {(event.audience == EventAudience::Public && event.status != EventStatus::Draft).then(|| view! {
            <p><a href=format!("/api/v1/events/{id}/calendar.ics?lang={}", locale.as_str()) download=format!("event-{id}.ics") rel="external" id="add-to-calendar">
                {move || i18n.t("events.calendar.add")}
            </a></p>
        })}
        {event.organised.then(|| view! {
            <p><A href=format!("/manage/events/{id}") attr:id="manage-link">{move || i18n.t("events.manage")}</A></p>
        })}
        <p><A href="/events">{move || i18n.t("events.back")}</A></p>
    }
}
