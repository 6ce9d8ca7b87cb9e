//! Her notices (the guide's pages): what changed under her, newest first. An event she
//! registered for called off or moved, a seat that came to her from the waiting list, an
//! appointment the center cancelled; each with a link to what it is about. Opening them marks
//! them read: the count beside "Notices" in the menu goes back to zero, and those that were new
//! stay marked so on this visit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::notices::NoticeView;
use shared::{Locale, NoticeKind, Role};

use crate::api::use_session;
use crate::gate::{Paged, RoleGate};
use crate::i18n::{format_date, format_moment, isolated, use_i18n};

#[component]
pub fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t("notices.title")}</h1>
        <RoleGate roles=Role::ALL refusal="notices.title">
            <NoticeList/>
        </RoleGate>
    }
}

#[component]
fn NoticeList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let notices = Paged::new(move |cursor| async move { session.notices(cursor).await });
    // Once the first page is shown, what was unread is read.
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        if notices.any(|n| n.read_at.is_none()) && !marked.get_value() {
            marked.set_value(true);
            // The newest shown (the first page is newest first); one that came after stays
            // unread.
            let through = notices.newest(|n| n.id);
            spawn_local(async move {
                // Not marked this time: they stay unread for the next visit.
                if let Some(through) = through {
                    let _ = session.read_notices(through).await;
                }
            });
        }
    });
    view! {
        <p>{move || i18n.t("notices.intro")}</p>
        {move || {
            i18n.locale.track();
            match notices.state("notices.none") {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="notices">
                        {items.into_iter().map(|n| notice(i18n.locale.get_untracked(), n)).collect_view()}
                    </ul>
                }.into_any(),
            }
        }}
        {notices.more()}
    }
}

fn key(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::EventCancelled => "notices.event_cancelled",
        NoticeKind::EventMoved => "notices.event_moved",
        NoticeKind::SeatGiven => "notices.seat_given",
        NoticeKind::AppointmentCancelled => "notices.appointment_cancelled",
        NoticeKind::ApplicationMoved => "notices.application_moved",
        NoticeKind::ApplicationReceived => "notices.application_received",
        NoticeKind::ApplicationWithdrawn => "notices.application_withdrawn",
    }
}

fn notice(locale: Locale, n: NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let fresh = n.read_at.is_none();
    let mut values = Vec::new();
    let mut link = None;
    if let Some(event) = &n.event {
        values.push((
            "title",
            event.title.best(locale).unwrap_or_default().to_owned(),
        ));
        values.push(("when", format_moment(locale, event.starts_at)));
        let place = if event.online {
            i18n.t("notices.online").to_owned()
        } else {
            event.place.clone().unwrap_or_default()
        };
        values.push(("place", place));
        if n.kind != NoticeKind::EventCancelled {
            link = Some((format!("/events/{}", event.id), "notices.see_event"));
        } else {
            link = Some(("/events".to_owned(), "notices.other_events"));
        }
    }
    if let Some(appointment) = &n.appointment {
        values.push(("when", format_moment(locale, appointment.starts_at)));
        values.push(("counselor", appointment.counselor_name.clone()));
        link = Some(("/appointments".to_owned(), "notices.book_again"));
    }
    if let Some(application) = &n.application {
        values.push(("title", application.offer_title.clone()));
        values.push(("employer", application.employer_name.clone()));
        values.push((
            "status",
            i18n.t(crate::pages::offers::status_key(application.status))
                .to_owned(),
        ));
        link = Some(match (n.kind, application.organization_id) {
            (NoticeKind::ApplicationReceived | NoticeKind::ApplicationWithdrawn, Some(org)) => (
                format!("/organizations/{org}/offers/{}", application.offer_id),
                "notices.see_applicants",
            ),
            _ => ("/applications".to_owned(), "notices.see_applications"),
        });
    }
    let received = i18n
        .t("notices.received")
        .replace("{date}", &format_date(locale, n.created_at));
    view! {
        <li class="card" class:fresh=fresh>
            <p>{isolated(i18n.t(key(n.kind)), &values)}</p>
            <p class="muted">
                {received}
                {fresh.then(|| view! { " " <span class="badge">{i18n.t("notices.new")}</span> })}
            </p>
            {link.map(|(href, label)| view! { <p><a href=href>{i18n.t(label)}</a></p> })}
        </li>
    }
}
