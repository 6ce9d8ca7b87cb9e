//! Calendars (RFC 5545, written by the `icalendar` crate): one event's `.ics` file, and each
//! youth's private feed of her registrations and her meetings with a counselor, at a secret
//! address she can replace or remove.

use chrono::{Duration, Utc};
use icalendar::{Calendar, Component as _, EventLike as _};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use shared::dto::appointments::AppointmentView;
use shared::dto::events::{CalendarFeed, EventView};
use shared::{AppointmentStatus, Locale, RegistrationStatus, Role};

use super::events::{self, EventListQuery};
use crate::auth::tokens::{random_token, sha256_hex};
use crate::auth::{Caller, CurrentUser};
use crate::entities::{calendar_feed, user};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How far back the feed goes: the registrations of the last month stay in the calendar.
const FEED_PAST_DAYS: i64 = 31;

/// Text as RFC 5545 lines take it: line breaks as one `\n` (a lone carriage return would end
/// the content line), and, for properties the crate does not escape, `\`, `,` and `;`.
fn text(raw: &str, escape: bool) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    if !escape {
        return unified;
    }
    unified
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// The deployment's own host, so two platforms' entries never share an identifier.
fn host_of(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("career-center")
}

/// One event as a calendar entry, in `locale` where the organiser wrote it. A place in line is
/// tentative; a seat is confirmed.
fn entry(event: &EventView, locale: Locale, public_url: &str) -> icalendar::Event {
    let host = host_of(public_url);
    let waiting = event
        .my_registration
        .as_ref()
        .is_some_and(|r| r.status == RegistrationStatus::Waitlisted);
    let mut entry = icalendar::Event::new();
    entry
        .uid(&format!("event-{}@{host}", event.id))
        .summary(event.title.best(locale).unwrap_or_default())
        .starts(event.starts_at.to_utc())
        .ends(event.ends_at.to_utc())
        .url(&format!("{public_url}/events/{}", event.id))
        .status(if event.status == shared::EventStatus::Cancelled {
            icalendar::EventStatus::Cancelled
        } else if waiting {
            icalendar::EventStatus::Tentative
        } else {
            icalendar::EventStatus::Confirmed
        });
    if let Some(description) = event.description.best(locale) {
        entry.description(&text(description, false));
    }
    let place = shared::dto::place_line(event.address.as_deref(), event.city.as_deref());
    // Online: the link when the reader may have it (organisers, youths holding a seat).
    let location = if event.online {
        event.online_url.clone()
    } else {
        place
    };
    if let Some(location) = location {
        entry.location(&location);
    }
    entry.done()
}

/// A meeting with a counselor as a calendar entry.
fn meeting(appointment: &AppointmentView, locale: Locale, public_url: &str) -> icalendar::Event {
    let slot = &appointment.slot;
    let summary = match locale {
        Locale::Fr => format!("Rendez-vous avec {}", slot.counselor_name),
        Locale::Ar => format!("موعد مع {}", slot.counselor_name),
        Locale::En => format!("Meeting with {}", slot.counselor_name),
    };
    let mut entry = icalendar::Event::new();
    entry
        .uid(&format!(
            "appointment-{}@{}",
            appointment.id,
            host_of(public_url)
        ))
        .summary(&summary)
        .starts(slot.starts_at.to_utc())
        .ends(slot.ends_at.to_utc())
        .url(&format!("{public_url}/appointments"))
        .status(if appointment.status == AppointmentStatus::Cancelled {
            icalendar::EventStatus::Cancelled
        } else {
            icalendar::EventStatus::Confirmed
        });
    if let Some(topic) = &appointment.topic {
        entry.description(&text(topic, false));
    }
    let location = appointment
        .online_url
        .clone()
        .or_else(|| shared::dto::place_line(slot.address.as_deref(), slot.city.as_deref()));
    if let Some(location) = location {
        entry.location(&location);
    }
    entry.done()
}

fn calendar(name: &str, entries: Vec<icalendar::Event>) -> String {
    let mut calendar = Calendar::new();
    // NAME is escaped here (the crate writes it as given), X-WR-CALNAME by the crate.
    calendar.append_property(icalendar::Property::new("NAME", text(name, true)));
    calendar.append_property(icalendar::Property::new("X-WR-CALNAME", text(name, false)));
    for entry in entries {
        calendar.push(entry);
    }
    calendar.done().to_string()
}

/// One event's `.ics` file, for whoever may see the event.
pub async fn event_file(
    state: &AppState,
    visitor: Option<&Caller>,
    id: i64,
    locale: Option<Locale>,
) -> ApiResult<String> {
    let event = events::get(state, visitor, id).await?;
    let locale = locale.unwrap_or_default();
    let name = event.title.best(locale).unwrap_or_default().to_owned();
    Ok(calendar(
        &name,
        vec![entry(&event, locale, &state.settings.public_url)],
    ))
}

/// A new secret address for the youth's feed; the one before stops working.
pub async fn create_feed(state: &AppState, caller: &CurrentUser) -> ApiResult<CalendarFeed> {
    caller.require(&[Role::Youth])?;
    let token = random_token();
    // One statement: two requests at once each replace the address, neither fails.
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(caller.id()),
        token_hash: Set(sha256_hex(&token)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([
                calendar_feed::Column::TokenHash,
                calendar_feed::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(&state.db)
    .await?;
    Ok(CalendarFeed {
        url: format!("{}/api/v1/calendars/{token}", state.settings.public_url),
    })
}

/// Removes the youth's feed: its address answers 404 from now on.
pub async fn delete_feed(state: &AppState, caller: &CurrentUser) -> ApiResult<()> {
    caller.require(&[Role::Youth])?;
    calendar_feed::Entity::delete_by_id(caller.id())
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The feed at a secret address: the youth's registrations of the last month and to come (a
/// seat, a place in line, attended) and her meetings with a counselor, in her language. An unknown or replaced address is 404.
pub async fn feed(state: &AppState, token: &str) -> ApiResult<String> {
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(sha256_hex(token)))
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let owner = user::Entity::find_by_id(feed.user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::NotFound)?;
    let locale = Locale::parse(&owner.locale).unwrap_or_default();
    let caller = Caller::User(Box::new(CurrentUser(owner)));
    let since = (Utc::now() - Duration::days(FEED_PAST_DAYS)).fixed_offset();
    let mut entries = Vec::new();
    let mut cursor = None;
    // Bounded: a youth's registrations of a few months, a page of a hundred at a time.
    for _ in 0..10 {
        let page = events::list(
            state,
            Some(&caller),
            &EventListQuery {
                mine: Some(true),
                from: Some(since),
                limit: Some(100),
                cursor: cursor.take(),
                ..Default::default()
            },
        )
        .await?;
        entries.extend(
            page.items
                .iter()
                .filter(|e| {
                    e.my_registration
                        .as_ref()
                        .is_some_and(|r| r.status != RegistrationStatus::Cancelled)
                })
                .map(|e| entry(e, locale, &state.settings.public_url)),
        );
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    // And her meetings with a counselor.
    entries.extend(
        super::appointments::for_feed(&state.db, feed.user_id, since.to_utc())
            .await?
            .iter()
            .map(|a| meeting(a, locale, &state.settings.public_url)),
    );
    Ok(calendar("Career Center", entries))
}
