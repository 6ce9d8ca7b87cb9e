//! What youths are told when an event changes under them, by e-mail in each one's language
//! (the web app shows the event as it now stands): it is called off, it moved (its time or its
//! place), or a seat came to the first in line. Sent once the change is committed; a message
//! that fails waits in the outbox for the worker's retries, and a failure to write one never
//! undoes the change.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use shared::dto::events::Translations;
use shared::{Locale, RegistrationStatus};

use super::{context, in_morocco, view};
use crate::entities::{event, registration, user};
use crate::error::ApiResult;
use crate::mail::Mail;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Notice {
    Cancelled,
    Moved,
    SeatGiven,
}

/// The youths holding a seat or a place in line for event `id`.
pub(super) async fn holders(db: &impl ConnectionTrait, id: i64) -> ApiResult<Vec<i64>> {
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::Status.is_in([
            RegistrationStatus::Registered.as_str(),
            RegistrationStatus::Waitlisted.as_str(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect())
}

/// Whether a change moved the event: its times or its place.
pub(super) fn moved(before: &event::Model, after: &event::Model) -> bool {
    before.starts_at != after.starts_at
        || before.ends_at != after.ends_at
        || before.site_id != after.site_id
        || before.online_url != after.online_url
        || before.address != after.address
        || before.city != after.city
}

/// A moment as the messages write it, in Morocco's time.
pub(crate) fn written(at: chrono::DateTime<chrono::Utc>) -> String {
    in_morocco(at).format("%d/%m/%Y %H:%M").to_string()
}

fn online(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "en ligne",
        Locale::Ar => "عن بعد",
        Locale::En => "online",
    }
}

/// Tells `users` what happened to `e`. Errors are logged: the change itself stands.
pub(super) async fn tell(state: &AppState, e: &event::Model, users: &[i64], notice: Notice) {
    if users.is_empty() {
        return;
    }
    if let Err(error) = send(state, e, users, notice).await {
        tracing::error!(error = ?error, event = e.id, "registrants could not be told of a change");
    }
}

async fn send(state: &AppState, e: &event::Model, users: &[i64], notice: Notice) -> ApiResult<()> {
    let cx = context(&state.db, None, std::slice::from_ref(e)).await?;
    let shown = view(e.clone(), &cx, false, None);
    let title: Translations = shown.title.clone();
    let place = shared::dto::place_line(shown.address.as_deref(), shown.city.as_deref())
        .unwrap_or_default();
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(users.iter().copied()))
        .filter(user::Column::IsActive.eq(true))
        .all(&state.db)
        .await?;
    let when = written(e.starts_at);
    for person in people {
        let locale = Locale::parse(&person.locale).unwrap_or(Locale::Fr);
        let name = person.first_name.clone();
        let title = title.best(locale).unwrap_or_default().to_owned();
        let mail = match notice {
            Notice::Cancelled => Mail::EventCancelled {
                name,
                title,
                when: when.clone(),
                link: state.mailer.page("events"),
            },
            Notice::Moved => Mail::EventMoved {
                name,
                title,
                when: when.clone(),
                place: if shown.online {
                    online(locale).to_owned()
                } else {
                    place.clone()
                },
                link: state.mailer.page(&format!("events/{}", e.id)),
            },
            Notice::SeatGiven => Mail::SeatGiven {
                name,
                title,
                when: when.clone(),
                link: state.mailer.page(&format!("events/{}", e.id)),
            },
        };
        state.mailer.send(&person.email, locale, mail);
    }
    Ok(())
}
