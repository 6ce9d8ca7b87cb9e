//! Organisers' changes to an event: creating it, editing it until its check-ins open, and moving it
//! through its statuses (published, cancelled, held).

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use shared::dto::events::{
    CHECK_IN_OPENS_MINUTES, CreateEventRequest, DescriptionInput, EventView, NewEvent, Organizer,
    TitleInput, UpdateEventRequest, editable,
};
use shared::{EventAudience, EventStatus, NoticeKind, RegistrationStatus, Role, codes};

use super::{
    actor, areas_of, counselor_center, in_morocco, is_admin, kind_of, lock, may_organise, notices,
    one_view, organised, promote, status_of, user_of,
};
use crate::auth::Caller;
use crate::entities::{
    center, center_site, event, event_sector, membership, organization, registration, sector,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;
use crate::services::audit;
use crate::services::notices::{self as in_app, About};
use crate::state::AppState;

/// Checks that `caller` may organise for `organizer`, and that what it names exists.
async fn check_organizer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    organizer: Organizer,
) -> ApiResult<()> {
    let admin = is_admin(Some(caller));
    match organizer {
        Organizer::Center { center_id, site_id } => {
            if !admin && counselor_center(Some(caller)) != Some(center_id) {
                return Err(ApiError::Forbidden);
            }
            if center::Entity::find_by_id(center_id)
                .one(db)
                .await?
                .is_none()
            {
                return Err(ApiError::field(
                    "center_id",
                    codes::CENTER_UNKNOWN,
                    "no such center",
                ));
            }
            if let Some(site) = site_id {
                let of_center = center_site::Entity::find_by_id(site)
                    .one(db)
                    .await?
                    .is_some_and(|s| s.center_id == center_id);
                if !of_center {
                    return Err(ApiError::field(
                        "site_id",
                        codes::SITE_UNKNOWN,
                        "not a site of this center",
                    ));
                }
            }
        }
        Organizer::Organization(org) => {
            // A member of an organisation not yet verified is told so (below), not refused.
            let member = match caller {
                Caller::User(user) => {
                    membership::Entity::find_by_id((org, user.id()))
                        .one(db)
                        .await?
                        .is_some()
                        && matches!(user.role(), Role::Employer | Role::Partner)
                }
                Caller::ApiKey(key) => key.organization_id == org,
            };
            if !admin && !member {
                return Err(ApiError::Forbidden);
            }
            let found = organization::Entity::find_by_id(org).one(db).await?;
            match found {
                None => {
                    return Err(ApiError::field(
                        "organization_id",
                        codes::ORGANIZATION_UNKNOWN,
                        "no such organisation",
                    ));
                }
                Some(o) if o.verified_at.is_none() => {
                    return Err(ApiError::conflict(
                        "organization_id",
                        codes::ORGANIZATION_UNVERIFIED,
                        "an organisation publishes events once verified",
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

async fn check_sectors(db: &impl ConnectionTrait, codes_given: &[String]) -> ApiResult<()> {
    if codes_given.is_empty() {
        return Ok(());
    }
    let known = sector::Entity::find()
        .filter(sector::Column::Code.is_in(codes_given.iter().cloned()))
        .count(db)
        .await?;
    if known as usize != codes_given.len() {
        return Err(ApiError::field(
            "sectors",
            codes::SECTOR_UNKNOWN,
            "names a growth sector that does not exist",
        ));
    }
    Ok(())
}

/// Creates a draft event.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    body: JsonBody<CreateEventRequest>,
) -> ApiResult<EventView> {
    may_organise(caller)?;
    let new: NewEvent = body.read()?.parse(Utc::now())?;
    check_organizer(&state.db, caller, new.organizer).await?;
    check_sectors(&state.db, &new.sectors).await?;
    let (center_id, organization_id) = match new.organizer {
        Organizer::Center { center_id, .. } => (Some(center_id), None),
        Organizer::Organization(org) => (None, Some(org)),
    };
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut created = event::ActiveModel {
        id: NotSet,
        status: Set(EventStatus::Draft.as_str().to_owned()),
        center_id: Set(center_id),
        organization_id: Set(organization_id),
        registered: Set(0),
        created_by: Set(user_of(Some(caller)).map(|u| u.id())),
        created_at: Set(now),
        ..Default::default()
    };
    write(&mut created, &new, now);
    let created = created.insert(&txn).await?;
    write_sectors(&txn, created.id, &new.sectors).await?;
    audit::record(
        &txn,
        actor(caller),
        "event.create",
        "event",
        created.id,
        json!({"kind": created.kind, "center_id": center_id, "organization_id": organization_id}),
    )
    .await?;
    txn.commit().await?;
    one_view(&state.db, Some(caller), created, true).await
}

/// Sets on `row` every field an organiser chooses (all but the organiser).
fn write(row: &mut event::ActiveModel, new: &NewEvent, now: chrono::DateTime<Utc>) {
    row.kind = Set(new.kind.as_str().to_owned());
    row.title_fr = Set(new.title.fr.clone());
    row.title_ar = Set(new.title.ar.clone());
    row.title_en = Set(new.title.en.clone());
    row.description_fr = Set(new.description.fr.clone());
    row.description_ar = Set(new.description.ar.clone());
    row.description_en = Set(new.description.en.clone());
    row.starts_at = Set(new.starts_at);
    row.ends_at = Set(new.ends_at);
    row.site_id = Set(match new.organizer {
        Organizer::Center { site_id, .. } => site_id,
        Organizer::Organization(_) => None,
    });
    row.online_url = Set(new.online_url.clone());
    row.address = Set(new.address.clone());
    row.city = Set(new.city.clone());
    row.capacity = Set(new.capacity);
    row.registration_opens_at = Set(new.registration_opens_at);
    row.registration_closes_at = Set(new.registration_closes_at);
    row.audience = Set(new.audience.as_str().to_owned());
    row.areas = Set(new.areas.iter().map(|a| a.letter()).collect());
    row.updated_at = Set(now);
}

/// Replaces the event's growth sectors.
async fn write_sectors(txn: &DatabaseTransaction, id: i64, sectors: &[String]) -> ApiResult<()> {
    event_sector::Entity::delete_many()
        .filter(event_sector::Column::EventId.eq(id))
        .exec(txn)
        .await?;
    if !sectors.is_empty() {
        event_sector::Entity::insert_many(sectors.iter().map(|code| event_sector::ActiveModel {
            event_id: Set(id),
            sector_code: Set(code.clone()),
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// The event as it stands, in the form of the request that would create it.
async fn as_request(txn: &DatabaseTransaction, e: &event::Model) -> ApiResult<CreateEventRequest> {
    let sectors = event_sector::Entity::find()
        .filter(event_sector::Column::EventId.eq(e.id))
        .order_by_asc(event_sector::Column::SectorCode)
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.sector_code)
        .collect();
    Ok(CreateEventRequest {
        kind: kind_of(e),
        title: TitleInput {
            fr: e.title_fr.clone(),
            ar: e.title_ar.clone(),
            en: e.title_en.clone(),
        },
        description: DescriptionInput {
            fr: e.description_fr.clone(),
            ar: e.description_ar.clone(),
            en: e.description_en.clone(),
        },
        starts_at: in_morocco(e.starts_at),
        ends_at: in_morocco(e.ends_at),
        center_id: e.center_id,
        site_id: e.site_id,
        organization_id: e.organization_id,
        online: e.online_url.is_some(),
        online_url: e.online_url.clone(),
        address: e.address.clone(),
        city: e.city.clone(),
        capacity: e.capacity,
        registration_opens_at: e.registration_opens_at.map(in_morocco),
        registration_closes_at: e.registration_closes_at.map(in_morocco),
        audience: EventAudience::parse(&e.audience).ok(),
        sectors,
        areas: areas_of(e),
    })
}

/// Changes an event until its check-ins open (see [`UpdateEventRequest`]); when the capacity grows, the
/// first youths waiting take the new seats in the same transaction.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<UpdateEventRequest>,
) -> ApiResult<EventView> {
    may_organise(caller)?;
    organised(&state.db, caller, id).await?;
    let changes = body.read()?;
    let txn = crate::db::begin_write(&state.db).await?;
    // Decided on the row as it stands under the lock: the seats taken cannot change meanwhile.
    let current = lock(&txn, id).await?;
    let now = Utc::now();
    let status = status_of(&current);
    if !editable(status, current.starts_at, now) {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::EVENT_NOT_EDITABLE,
            message: format!(
                "a {status} event changes until its check-ins open, {CHECK_IN_OPENS_MINUTES} minutes before the start"
            ),
        });
    }
    let new = changes
        .apply(&as_request(&txn, &current).await?)
        .parse(now)?;
    check_organizer(&txn, caller, new.organizer).await?;
    check_sectors(&txn, &new.sectors).await?;
    if new.capacity < current.registered {
        return Err(ApiError::conflict(
            "capacity",
            codes::CAPACITY_BELOW_TAKEN,
            format!("{} seats are taken", current.registered),
        ));
    }
    if status == EventStatus::Published
        && new.audience == EventAudience::Center
        && current.audience != EventAudience::Center.as_str()
    {
        return Err(ApiError::conflict(
            "audience",
            codes::AUDIENCE_NARROWED,
            "a published event cannot be narrowed to the center's youths",
        ));
    }
    let free = new.capacity - current.registered;
    let registered = current.registered;
    let before = current.clone();
    let mut row: event::ActiveModel = current.into();
    write(&mut row, &new, now);
    let promoted = if status == EventStatus::Published && free > 0 {
        promote(&txn, id, free, now).await?
    } else {
        Vec::new()
    };
    row.registered = Set(registered + promoted.len() as i32);
    let updated = row.update(&txn).await?;
    // Those holding a seat or a place in line are told when the event moves.
    // (The youths who just got a seat are told of it, the event as it now stands.)
    let told: Vec<i64> = if notices::moved(&before, &updated) {
        notices::holders(&txn, id)
            .await?
            .into_iter()
            .filter(|user| !promoted.contains(user))
            .collect()
    } else {
        Vec::new()
    };
    if changes.sectors.is_some() {
        write_sectors(&txn, id, &new.sectors).await?;
    }
    audit::record(
        &txn,
        actor(caller),
        "event.update",
        "event",
        id,
        json!({"changes": changes, "promoted": promoted.len()}),
    )
    .await?;
    in_app::record(&txn, &told, NoticeKind::EventMoved, About::Event(id)).await?;
    in_app::record(&txn, &promoted, NoticeKind::SeatGiven, About::Event(id)).await?;
    txn.commit().await?;
    notices::tell(state, &updated, &told, notices::Notice::Moved).await;
    notices::tell(state, &updated, &promoted, notices::Notice::SeatGiven).await;
    one_view(&state.db, Some(caller), updated, true).await
}

/// Moves a draft to published, or a draft or published event to cancelled (every
/// registration then ends).
pub async fn set_status(
    state: &AppState,
    caller: &Caller,
    id: i64,
    to: EventStatus,
) -> ApiResult<EventView> {
    organised(&state.db, caller, id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    let from = status_of(&current);
    let allowed = match to {
        EventStatus::Published => from == EventStatus::Draft && current.starts_at > Utc::now(),
        EventStatus::Cancelled => matches!(from, EventStatus::Draft | EventStatus::Published),
        // Once it has started: whoever holds a seat and was not checked in did not come.
        EventStatus::Held => from == EventStatus::Published && current.starts_at <= Utc::now(),
        EventStatus::Draft => false,
    };
    if !allowed {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::EVENT_WRONG_STATUS,
            message: format!("a {from} event cannot become {to}"),
        });
    }
    let now = Utc::now();
    // Told once the event is called off: those who held a seat or a place in line.
    let told = if to == EventStatus::Cancelled && from == EventStatus::Published {
        notices::holders(&txn, id).await?
    } else {
        Vec::new()
    };
    if to == EventStatus::Cancelled {
        registration::Entity::update_many()
            .col_expr(
                registration::Column::Status,
                Expr::value(RegistrationStatus::Cancelled.as_str()),
            )
            .col_expr(registration::Column::UpdatedAt, Expr::value(now))
            .filter(registration::Column::EventId.eq(id))
            .filter(registration::Column::Status.is_in([
                RegistrationStatus::Registered.as_str(),
                RegistrationStatus::Waitlisted.as_str(),
            ]))
            .exec(&txn)
            .await?;
    }
    if to == EventStatus::Held {
        registration::Entity::update_many()
            .col_expr(
                registration::Column::Status,
                Expr::value(RegistrationStatus::NoShow.as_str()),
            )
            .col_expr(registration::Column::UpdatedAt, Expr::value(now))
            .filter(registration::Column::EventId.eq(id))
            .filter(registration::Column::Status.eq(RegistrationStatus::Registered.as_str()))
            .exec(&txn)
            .await?;
        // Those still waiting never had a seat: their place in line ends.
        registration::Entity::update_many()
            .col_expr(
                registration::Column::Status,
                Expr::value(RegistrationStatus::Cancelled.as_str()),
            )
            .col_expr(registration::Column::UpdatedAt, Expr::value(now))
            .filter(registration::Column::EventId.eq(id))
            .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
            .exec(&txn)
            .await?;
    }
    let mut active: event::ActiveModel = current.into();
    active.status = Set(to.as_str().to_owned());
    if to == EventStatus::Cancelled {
        active.registered = Set(0);
    }
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        actor(caller),
        &format!("event.{to}"),
        "event",
        id,
        json!({"from": from.as_str()}),
    )
    .await?;
    in_app::record(&txn, &told, NoticeKind::EventCancelled, About::Event(id)).await?;
    txn.commit().await?;
    notices::tell(state, &updated, &told, notices::Notice::Cancelled).await;
    one_view(&state.db, Some(caller), updated, true).await
}
