//! Appointments with a counselor: the slots counselors offer, the youths' bookings, and what
//! the counselor records of the meeting.
//!
//! Who may do what:
//! - a counselor offers slots at her own center (there, at one of its sites, or online);
//! - a center's staff (its counselors) and admins see its slots with who booked them, withdraw
//!   them, cancel a booking until the start and record the outcome once it has begun; to a
//!   counselor of another center they do not exist (404);
//! - a youth sees the open slots of her own center, books for herself, and sees and cancels
//!   her own appointments, until her center's delay before the start; others' do not exist;
//! - employers and partners get 403.
//!
//! Double booking: a slot holds at most one appointment that is not cancelled (a partial unique
//! index, the last guard), and a booking first locks the slot's row, so a withdrawal and a
//! booking are decided one after the other. A counselor's slots never overlap, nor do a youth's
//! appointments: each is decided under a lock of that person's row (a no-op update, as the
//! events lock theirs: PostgreSQL's row lock, SQLite's write lock, held to the commit).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::appointments::{
    AppointmentView, BookSlotRequest, CreateSlotsRequest, MAX_UPCOMING, MeetingRecord,
    OutcomeRequest, SlotBooking, SlotView, cancellable_until, youth_may_cancel,
};
use shared::{AppointmentStatus, Role, SlotStatus, codes};

use super::audit::{self, Actor};
use super::events::in_morocco;
use super::orientation::full_name;
use super::pagination;
use crate::auth::CurrentUser;
use crate::entities::{appointment, appointment_slot, center, center_site, user};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of the slots.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SlotListQuery {
    /// Slots of this center (staff; a youth always sees her own center's).
    pub center: Option<i64>,
    /// Slots of this counselor.
    pub counselor: Option<i64>,
    /// Slots starting at or after this moment (RFC 3339); without it, those not yet over.
    pub from: Option<DateTime<FixedOffset>>,
    /// Slots starting before this moment (RFC 3339).
    pub to: Option<DateTime<FixedOffset>>,
    /// Only slots a youth may book: open, free, not started (always so for a youth).
    pub available: Option<bool>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then thirty-two hex digits).
    #[param(pattern = "pair_cursor")]
    pub cursor: Option<String>,
}

/// Which appointments a list gives.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Not yet started, soonest first.
    #[default]
    Upcoming,
    /// Started, latest first.
    Past,
}

/// Query of the appointments.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AppointmentListQuery {
    /// `upcoming` (default) or `past`.
    pub when: Option<When>,
    pub status: Option<AppointmentStatus>,
    /// One youth's appointments (staff).
    pub youth: Option<i64>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then thirty-two hex digits).
    #[param(pattern = "pair_cursor")]
    pub cursor: Option<String>,
}

/// How the caller stands to a center's slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Admins: every center's.
    Admin,
    /// A counselor: her center's.
    Counselor(i64),
    /// A youth: her center's open slots (none without a center), her own appointments.
    Youth(Option<i64>),
}

/// The caller's standing; 403 for roles that have no part in appointments, 409 for a counselor
/// with no center. A youth with none still reads and cancels her own appointments.
fn standing(caller: &CurrentUser) -> ApiResult<Standing> {
    caller.require(&[Role::Youth, Role::Counselor, Role::Admin])?;
    let center = || {
        caller.0.center_id.ok_or_else(|| ApiError::Conflict {
            field: None,
            code: codes::CENTER_REQUIRED,
            message: "appointments are with the counselors of your center: your account is attached to none".into(),
        })
    };
    Ok(match caller.role() {
        Role::Admin => Standing::Admin,
        Role::Counselor => Standing::Counselor(center()?),
        _ => Standing::Youth(caller.0.center_id),
    })
}

/// The youth's center, for what only her center offers (its slots); 409 without one.
fn youth_center(caller: &CurrentUser) -> ApiResult<i64> {
    caller.0.center_id.ok_or_else(|| ApiError::Conflict {
        field: None,
        code: codes::CENTER_REQUIRED,
        message:
            "appointments are with the counselors of your center: your account is attached to none"
                .into(),
    })
}

/// The counselors who may still meet the youths of `center`: active, and still there. A slot
/// of one who left (or whose account was closed) is no longer offered.
fn counselors_of(center: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::CenterId.eq(center))
        .and_where(user::Column::IsActive.eq(true))
        .and_where(user::Column::Role.eq(Role::Counselor.as_str()))
        .to_owned()
}

fn is_staff_of(standing: Standing, center: i64) -> bool {
    match standing {
        Standing::Admin => true,
        Standing::Counselor(own) => own == center,
        Standing::Youth(_) => false,
    }
}

fn slot_status(s: &appointment_slot::Model) -> SlotStatus {
    SlotStatus::parse(&s.status).unwrap_or(SlotStatus::Withdrawn)
}

fn appointment_status(a: &appointment::Model) -> AppointmentStatus {
    AppointmentStatus::parse(&a.status).unwrap_or(AppointmentStatus::Cancelled)
}

/// Locks a person's row for the rest of `txn` (see the module's doc).
pub(crate) async fn lock_person(txn: &DatabaseTransaction, id: i64) -> ApiResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
        .filter(user::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Locks the slot's row for the rest of `txn` and reads it as it stands.
async fn lock_slot(txn: &DatabaseTransaction, id: i64) -> ApiResult<appointment_slot::Model> {
    appointment_slot::Entity::update_many()
        .col_expr(
            appointment_slot::Column::UpdatedAt,
            Expr::col(appointment_slot::Column::UpdatedAt),
        )
        .filter(appointment_slot::Column::Id.eq(id))
        .exec(txn)
        .await?;
    appointment_slot::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// What the views of some slots need besides the rows.
struct Context {
    people: HashMap<i64, user::Model>,
    centers: HashMap<i64, center::Model>,
    sites: HashMap<i64, center_site::Model>,
    /// The live (not cancelled) appointment of each slot.
    live: HashMap<i64, appointment::Model>,
}

async fn context(
    db: &impl ConnectionTrait,
    slots: &[appointment_slot::Model],
    youths: impl IntoIterator<Item = i64>,
) -> ApiResult<Context> {
    let live: HashMap<i64, appointment::Model> = appointment::Entity::find()
        .filter(appointment::Column::SlotId.is_in(slots.iter().map(|s| s.id)))
        .filter(appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.slot_id, a))
        .collect();
    let people = user::Entity::find()
        .filter(
            user::Column::Id.is_in(
                slots
                    .iter()
                    .map(|s| s.counselor_id)
                    .chain(live.values().map(|a| a.youth_id))
                    .chain(youths),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let centers = center::Entity::find()
        .filter(center::Column::Id.is_in(slots.iter().map(|s| s.center_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let sites = center_site::Entity::find()
        .filter(center_site::Column::Id.is_in(slots.iter().filter_map(|s| s.site_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(Context {
        people,
        centers,
        sites,
        live,
    })
}

fn slot_view(s: &appointment_slot::Model, cx: &Context, staff: bool) -> SlotView {
    let center = cx.centers.get(&s.center_id);
    let site = s.site_id.and_then(|id| cx.sites.get(&id));
    let online = s.online_url.is_some();
    let live = cx.live.get(&s.id);
    SlotView {
        id: s.id,
        status: slot_status(s),
        starts_at: in_morocco(s.starts_at),
        ends_at: in_morocco(s.ends_at),
        minutes: (s.ends_at - s.starts_at).num_minutes(),
        counselor_id: s.counselor_id,
        counselor_name: full_name(cx.people.get(&s.counselor_id)),
        center_id: s.center_id,
        center_name: center.map(|c| c.name.clone()).unwrap_or_default(),
        site_id: s.site_id,
        online,
        address: if online {
            None
        } else {
            site.and_then(|x| x.address.clone())
                .or_else(|| center.and_then(|c| c.address.clone()))
        },
        city: if online {
            None
        } else {
            site.map(|x| x.city.clone())
                .or_else(|| center.map(|c| c.city.clone()))
        },
        taken: live.is_some(),
        appointment: live.filter(|_| staff).map(|a| SlotBooking {
            appointment_id: a.id,
            youth_id: a.youth_id,
            youth_name: full_name(cx.people.get(&a.youth_id)),
            status: appointment_status(a),
            topic: a.topic.clone(),
        }),
    }
}

fn appointment_view(
    a: appointment::Model,
    slot: &appointment_slot::Model,
    cx: &Context,
    staff: bool,
) -> AppointmentView {
    let status = appointment_status(&a);
    let notice = cx
        .centers
        .get(&slot.center_id)
        .map_or(shared::dto::appointments::DEFAULT_NOTICE_HOURS, |c| {
            c.cancellation_notice_hours
        });
    let mut slot_view = slot_view(slot, cx, false);
    // The slot as this appointment holds it (a cancelled one no longer does).
    slot_view.taken = status != AppointmentStatus::Cancelled;
    AppointmentView {
        id: a.id,
        status,
        slot: slot_view,
        youth_id: a.youth_id,
        youth_name: full_name(cx.people.get(&a.youth_id)),
        topic: a.topic,
        online_url: slot.online_url.clone().filter(|_| {
            staff || matches!(status, AppointmentStatus::Booked | AppointmentStatus::Held)
        }),
        cancellable_until: in_morocco(cancellable_until(slot.starts_at, notice)),
        cancelled_by: a.cancelled_by,
        outcome: a.outcome,
        outcome_recorded_at: a.outcome_recorded_at,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

/// Views of appointments, their slots read in one query.
async fn appointment_views(
    db: &impl ConnectionTrait,
    rows: Vec<appointment::Model>,
    standing: Standing,
) -> ApiResult<Vec<AppointmentView>> {
    let slots: HashMap<i64, appointment_slot::Model> = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::Id.is_in(rows.iter().map(|a| a.slot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let listed: Vec<appointment_slot::Model> = slots.values().cloned().collect();
    let cx = context(db, &listed, rows.iter().map(|a| a.youth_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let slot = slots.get(&a.slot_id)?;
            let staff = is_staff_of(standing, slot.center_id);
            Some(appointment_view(a, slot, &cx, staff))
        })
        .collect())
}

/// Offers slots: a counselor, at her center, back to back from `starts_at`. None may overlap
/// another of hers.
pub async fn create_slots(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<CreateSlotsRequest>,
) -> ApiResult<Vec<SlotView>> {
    caller.require(&[Role::Counselor])?;
    let Standing::Counselor(center_id) = standing(caller)? else {
        return Err(ApiError::Forbidden);
    };
    let now = Utc::now();
    let new = body.read()?.parse(now)?;
    if let Some(site) = new.site_id {
        let of_center = center_site::Entity::find_by_id(site)
            .one(&state.db)
            .await?
            .is_some_and(|s| s.center_id == center_id);
        if !of_center {
            return Err(ApiError::field(
                "site_id",
                codes::SITE_UNKNOWN,
                "is not one of your center's sites",
            ));
        }
    }
    let (Some((first, _)), Some((_, last))) = (new.times.first(), new.times.last()) else {
        return Err(ApiError::field(
            "count",
            codes::SLOT_COUNT_OUT_OF_RANGE,
            "no slot",
        ));
    };
    let txn = crate::db::begin_write(&state.db).await?;
    lock_person(&txn, caller.id()).await?;
    let overlapping = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CounselorId.eq(caller.id()))
        .filter(appointment_slot::Column::Status.eq(SlotStatus::Open.as_str()))
        .filter(appointment_slot::Column::StartsAt.lt(*last))
        .filter(appointment_slot::Column::EndsAt.gt(*first))
        .count(&txn)
        .await?;
    if overlapping > 0 {
        return Err(ApiError::conflict(
            "starts_at",
            codes::SLOT_OVERLAPS,
            "overlaps a slot you already offer",
        ));
    }
    let mut created = Vec::with_capacity(new.times.len());
    for (starts_at, ends_at) in &new.times {
        created.push(
            appointment_slot::ActiveModel {
                id: NotSet,
                counselor_id: Set(caller.id()),
                center_id: Set(center_id),
                site_id: Set(new.site_id),
                online_url: Set(new.online_url.clone()),
                starts_at: Set(*starts_at),
                ends_at: Set(*ends_at),
                status: Set(SlotStatus::Open.as_str().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?,
        );
    }
    txn.commit().await?;
    let cx = context(&state.db, &created, []).await?;
    Ok(created.iter().map(|s| slot_view(s, &cx, true)).collect())
}

/// Lists slots, soonest first: a youth her center's bookable ones; the staff their center's
/// (admins any), with who booked them.
pub async fn list_slots(
    state: &AppState,
    caller: &CurrentUser,
    query: &SlotListQuery,
) -> ApiResult<Page<SlotView>> {
    let standing = standing(caller)?;
    let db = &state.db;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_pair(query.cursor.as_deref())?;
    let now = Utc::now();
    let mut filter = Condition::all();
    let available = match standing {
        Standing::Youth(_) => {
            let center = youth_center(caller)?;
            filter = filter
                .add(appointment_slot::Column::CenterId.eq(center))
                .add(appointment_slot::Column::CounselorId.in_subquery(counselors_of(center)));
            true
        }
        Standing::Counselor(center) => {
            filter = filter.add(appointment_slot::Column::CenterId.eq(center));
            query.available == Some(true)
        }
        Standing::Admin => query.available == Some(true),
    };
    if let Some(center) = query.center {
        filter = filter.add(appointment_slot::Column::CenterId.eq(center));
    }
    if let Some(counselor) = query.counselor {
        filter = filter.add(appointment_slot::Column::CounselorId.eq(counselor));
    }
    if available {
        filter = filter
            .add(appointment_slot::Column::Status.eq(SlotStatus::Open.as_str()))
            .add(appointment_slot::Column::StartsAt.gt(now))
            .add(
                appointment_slot::Column::Id.not_in_subquery(
                    Query::select()
                        .column(appointment::Column::SlotId)
                        .from(appointment::Entity)
                        .and_where(
                            appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()),
                        )
                        .to_owned(),
                ),
            );
    }
    match query.from {
        Some(from) => {
            filter = filter.add(
                appointment_slot::Column::StartsAt
                    .gte(pagination::storable(from.with_timezone(&Utc))),
            );
        }
        None => filter = filter.add(appointment_slot::Column::EndsAt.gt(now)),
    }
    if let Some(to) = query.to {
        filter = filter.add(
            appointment_slot::Column::StartsAt.lt(pagination::storable(to.with_timezone(&Utc))),
        );
    }
    if let Some(cursor) = after {
        filter = filter.add(pagination::after_moment(
            appointment_slot::Column::StartsAt,
            appointment_slot::Column::Id,
            cursor,
            false,
        ));
    }
    let rows = appointment_slot::Entity::find()
        .filter(filter)
        .order_by_asc(appointment_slot::Column::StartsAt)
        .order_by_asc(appointment_slot::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let page = pagination::page(
        rows,
        limit,
        |s| (s.starts_at.timestamp_micros(), s.id),
        |s| s,
    );
    let cx = context(db, &page.items, []).await?;
    Ok(Page {
        items: page
            .items
            .iter()
            .map(|s| slot_view(s, &cx, is_staff_of(standing, s.center_id)))
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// The slot for a change its center's staff make; 404 to anyone else (as for none).
async fn staffed_slot(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<(appointment_slot::Model, Standing)> {
    caller.require(&[Role::Counselor, Role::Admin])?;
    let standing = standing(caller)?;
    let slot = appointment_slot::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| is_staff_of(standing, s.center_id))
        .ok_or(ApiError::NotFound)?;
    Ok((slot, standing))
}

/// Withdraws a slot not yet started (its center's staff); the booking it holds is cancelled.
pub async fn withdraw_slot(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<SlotView> {
    staffed_slot(&state.db, caller, id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let slot = lock_slot(&txn, id).await?;
    let now = Utc::now();
    if slot_status(&slot) != SlotStatus::Open || slot.starts_at <= now {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_WRONG_STATUS,
            message: "only an open slot not yet started is withdrawn".into(),
        });
    }
    let told: Vec<appointment::Model> = appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(id))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
        .all(&txn)
        .await?;
    let cancelled = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::Status,
            Expr::value(AppointmentStatus::Cancelled.as_str()),
        )
        .col_expr(appointment::Column::CancelledBy, Expr::value("staff"))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
        .filter(appointment::Column::SlotId.eq(id))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
        .exec(&txn)
        .await?;
    let mut active: appointment_slot::ActiveModel = slot.into();
    active.status = Set(SlotStatus::Withdrawn.as_str().to_owned());
    active.updated_at = Set(now);
    let slot = active.update(&txn).await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "appointment_slot.withdraw",
        "appointment_slot",
        id,
        json!({"bookings_cancelled": cancelled.rows_affected}),
    )
    .await?;
    for booking in &told {
        tell_in_app(&txn, booking).await?;
    }
    txn.commit().await?;
    for booking in &told {
        tell_cancelled(state, booking, &slot).await;
    }
    let cx = context(&state.db, std::slice::from_ref(&slot), []).await?;
    Ok(slot_view(&slot, &cx, true))
}

/// Books a slot of her center for the calling youth.
pub async fn book(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<BookSlotRequest>,
) -> ApiResult<AppointmentView> {
    caller.require(&[Role::Youth])?;
    let standing = standing(caller)?;
    let center = youth_center(caller)?;
    // Another center's slot does not exist for her, whatever the body.
    appointment_slot::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|s| s.center_id == center)
        .ok_or(ApiError::NotFound)?;
    let topic = body.read()?.parse()?;
    let txn = crate::db::begin_write(&state.db).await?;
    lock_person(&txn, caller.id()).await?;
    let slot = lock_slot(&txn, id).await?;
    let now = Utc::now();
    let taken = appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(id))
        .filter(appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()))
        .count(&txn)
        .await?
        > 0;
    // Offered by a counselor who has since left the center (or whose account was closed): no
    // longer hers to give.
    let counselor_there = user::Entity::find()
        .filter(user::Column::Id.in_subquery(counselors_of(center)))
        .filter(user::Column::Id.eq(slot.counselor_id))
        .count(&txn)
        .await?
        > 0;
    if slot_status(&slot) != SlotStatus::Open || slot.starts_at <= now || taken || !counselor_there
    {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::SLOT_TAKEN,
            message: "this slot is no longer free".into(),
        });
    }
    let upcoming = appointment::Entity::find()
        .filter(appointment::Column::YouthId.eq(caller.id()))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
        .filter(appointment::Column::StartsAt.gt(now));
    if upcoming.clone().count(&txn).await? >= MAX_UPCOMING {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_TOO_MANY,
            message: format!("you already hold {MAX_UPCOMING} upcoming appointments"),
        });
    }
    // Any of hers not cancelled, begun ones included: a meeting under way, or already recorded,
    // still holds its time.
    let overlapping = appointment::Entity::find()
        .filter(appointment::Column::YouthId.eq(caller.id()))
        .filter(appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()))
        .filter(
            appointment::Column::SlotId.in_subquery(
                Query::select()
                    .column(appointment_slot::Column::Id)
                    .from(appointment_slot::Entity)
                    .and_where(appointment_slot::Column::StartsAt.lt(slot.ends_at))
                    .and_where(appointment_slot::Column::EndsAt.gt(slot.starts_at))
                    .to_owned(),
            ),
        )
        .count(&txn)
        .await?;
    if overlapping > 0 {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_OVERLAPS,
            message: "you have another appointment at that time".into(),
        });
    }
    let created = appointment::ActiveModel {
        id: NotSet,
        slot_id: Set(id),
        youth_id: Set(caller.id()),
        status: Set(AppointmentStatus::Booked.as_str().to_owned()),
        starts_at: Set(slot.starts_at),
        topic: Set(topic),
        cancelled_by: Set(None),
        outcome: Set(None),
        outcome_recorded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .on_unique_violation("", codes::SLOT_TAKEN, "this slot is no longer free")?;
    txn.commit().await?;
    Ok(appointment_views(&state.db, vec![created], standing)
        .await?
        .remove(0))
}

/// The appointment and the caller's standing, if she may see it: her own (a youth), her
/// center's (its staff), any (admins); 404 otherwise.
async fn visible(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<(appointment::Model, appointment_slot::Model, Standing)> {
    let standing = standing(caller)?;
    let found = appointment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let slot = appointment_slot::Entity::find_by_id(found.slot_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let sees = match standing {
        Standing::Youth(_) => found.youth_id == caller.id(),
        staff => is_staff_of(staff, slot.center_id),
    };
    if sees {
        Ok((found, slot, standing))
    } else {
        Err(ApiError::NotFound)
    }
}

pub async fn get(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<AppointmentView> {
    let (found, _, standing) = visible(&state.db, caller, id).await?;
    Ok(appointment_views(&state.db, vec![found], standing)
        .await?
        .remove(0))
}

/// Lists appointments: a youth's own, a counselor's center's, any for admins.
pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    query: &AppointmentListQuery,
) -> ApiResult<Page<AppointmentView>> {
    let standing = standing(caller)?;
    let db = &state.db;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_pair(query.cursor.as_deref())?;
    let now = Utc::now();
    let mut filter = Condition::all();
    match standing {
        Standing::Youth(_) => filter = filter.add(appointment::Column::YouthId.eq(caller.id())),
        Standing::Counselor(center) => {
            filter = filter.add(
                appointment::Column::SlotId.in_subquery(
                    Query::select()
                        .column(appointment_slot::Column::Id)
                        .from(appointment_slot::Entity)
                        .and_where(appointment_slot::Column::CenterId.eq(center))
                        .to_owned(),
                ),
            );
        }
        Standing::Admin => {}
    }
    if let Some(youth) = query.youth {
        filter = filter.add(appointment::Column::YouthId.eq(youth));
    }
    if let Some(status) = query.status {
        filter = filter.add(appointment::Column::Status.eq(status.as_str()));
    }
    let past = query.when == Some(When::Past);
    filter = filter.add(if past {
        appointment::Column::StartsAt.lte(now)
    } else {
        appointment::Column::StartsAt.gt(now)
    });
    if let Some(cursor) = after {
        filter = filter.add(pagination::after_moment(
            appointment::Column::StartsAt,
            appointment::Column::Id,
            cursor,
            past,
        ));
    }
    let mut select = appointment::Entity::find().filter(filter);
    select = if past {
        select
            .order_by_desc(appointment::Column::StartsAt)
            .order_by_desc(appointment::Column::Id)
    } else {
        select
            .order_by_asc(appointment::Column::StartsAt)
            .order_by_asc(appointment::Column::Id)
    };
    let rows = select.limit(limit + 1).all(db).await?;
    let page = pagination::page(
        rows,
        limit,
        |a| (a.starts_at.timestamp_micros(), a.id),
        |a| a,
    );
    Ok(Page {
        items: appointment_views(db, page.items, standing).await?,
        next_cursor: page.next_cursor,
    })
}

/// Cancels a booked appointment: the youth until her center's delay before the start, its
/// center's staff until the start.
pub async fn cancel(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<AppointmentView> {
    let (_, _, standing) = visible(&state.db, caller, id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let found = appointment::Entity::find_by_id(id).one(&txn).await?;
    let found = found.ok_or(ApiError::NotFound)?;
    let slot = lock_slot(&txn, found.slot_id).await?;
    // Read again under the slot's lock: a withdrawal may have just cancelled it.
    let found = appointment::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let status = appointment_status(&found);
    if status != AppointmentStatus::Booked {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_WRONG_STATUS,
            message: format!("this appointment is {status}"),
        });
    }
    let by_youth = matches!(standing, Standing::Youth(_));
    let allowed = if by_youth {
        let notice = center::Entity::find_by_id(slot.center_id)
            .one(&txn)
            .await?
            .map_or(shared::dto::appointments::DEFAULT_NOTICE_HOURS, |c| {
                c.cancellation_notice_hours
            });
        youth_may_cancel(status, slot.starts_at, notice, now)
    } else {
        now < slot.starts_at
    };
    if !allowed {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::CANCELLATION_TOO_LATE,
            message: "it is too late to cancel this appointment".into(),
        });
    }
    let mut active: appointment::ActiveModel = found.into();
    active.status = Set(AppointmentStatus::Cancelled.as_str().to_owned());
    active.cancelled_by = Set(Some(if by_youth { "youth" } else { "staff" }.to_owned()));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    if !by_youth {
        audit::record(
            &txn,
            Actor::User(caller.id()),
            "appointment.cancel",
            "appointment",
            id,
            json!({"youth_id": updated.youth_id}),
        )
        .await?;
        tell_in_app(&txn, &updated).await?;
    }
    txn.commit().await?;
    if !by_youth {
        tell_cancelled(state, &updated, &slot).await;
    }
    Ok(appointment_views(&state.db, vec![updated], standing)
        .await?
        .remove(0))
}

/// Withdraws the slots to come of counselor `id`, who leaves her center (inside the caller's
/// transaction), cancelling the bookings they held; those bookings, with their slots, for
/// [`tell_released`] once committed. Each slot's lock is taken, as a booking takes it.
pub async fn release(
    txn: &DatabaseTransaction,
    id: i64,
) -> ApiResult<Vec<(appointment::Model, appointment_slot::Model)>> {
    let now = Utc::now();
    let slots = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CounselorId.eq(id))
        .filter(appointment_slot::Column::Status.eq(SlotStatus::Open.as_str()))
        .filter(appointment_slot::Column::StartsAt.gt(now))
        .all(txn)
        .await?;
    let mut released = Vec::new();
    for slot in slots {
        let slot = lock_slot(txn, slot.id).await?;
        let booked = appointment::Entity::find()
            .filter(appointment::Column::SlotId.eq(slot.id))
            .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
            .all(txn)
            .await?;
        for booking in booked {
            let mut active: appointment::ActiveModel = booking.into();
            active.status = Set(AppointmentStatus::Cancelled.as_str().to_owned());
            active.cancelled_by = Set(Some("staff".to_owned()));
            active.updated_at = Set(now);
            let cancelled = active.update(txn).await?;
            tell_in_app(txn, &cancelled).await?;
            released.push((cancelled, slot.clone()));
        }
        let mut active: appointment_slot::ActiveModel = slot.into();
        active.status = Set(SlotStatus::Withdrawn.as_str().to_owned());
        active.updated_at = Set(now);
        active.update(txn).await?;
    }
    Ok(released)
}

/// Tells the youths whose bookings [`release`] cancelled.
pub async fn tell_released(
    state: &AppState,
    released: &[(appointment::Model, appointment_slot::Model)],
) {
    for (booking, slot) in released {
        tell_cancelled(state, booking, slot).await;
    }
}

/// Tells the youth in the app (inside the cancellation's transaction) that the center cancelled
/// her appointment.
async fn tell_in_app(txn: &impl ConnectionTrait, booking: &appointment::Model) -> ApiResult<()> {
    super::notices::record(
        txn,
        &[booking.youth_id],
        shared::NoticeKind::AppointmentCancelled,
        super::notices::About::Appointment(booking.id),
    )
    .await
}

/// Tells the youth, by e-mail in her language, that the center cancelled her appointment (the
/// web app shows it cancelled by the center). A failure is logged: the cancellation stands.
async fn tell_cancelled(
    state: &AppState,
    booking: &appointment::Model,
    slot: &appointment_slot::Model,
) {
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in([booking.youth_id, slot.counselor_id]))
        .all(&state.db)
        .await;
    let people: HashMap<i64, user::Model> = match people {
        Ok(rows) => rows.into_iter().map(|u| (u.id, u)).collect(),
        Err(error) => {
            tracing::error!(error = ?error, appointment = booking.id, "the youth could not be told of a cancellation");
            return;
        }
    };
    let Some(youth) = people.get(&booking.youth_id).filter(|u| u.is_active) else {
        return;
    };
    let locale = shared::Locale::parse(&youth.locale).unwrap_or(shared::Locale::Fr);
    state.mailer.send(
        &youth.email,
        locale,
        crate::mail::Mail::AppointmentCancelled {
            name: youth.first_name.clone(),
            counselor: full_name(people.get(&slot.counselor_id)),
            when: super::events::written(slot.starts_at),
            link: state.mailer.page("appointments"),
        },
    );
}

/// Records what happened once the meeting has begun (its center's staff): held, with what was
/// said and agreed, or missed. Recorded again, it replaces the record.
pub async fn record_outcome(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<OutcomeRequest>,
) -> ApiResult<AppointmentView> {
    caller.require(&[Role::Counselor, Role::Admin])?;
    let (found, slot, _) = visible(&state.db, caller, id).await?;
    let outcome = body.read()?.parse()?;
    let now = Utc::now();
    if appointment_status(&found) == AppointmentStatus::Cancelled {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_WRONG_STATUS,
            message: "this appointment was cancelled".into(),
        });
    }
    if now < slot.starts_at {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::OUTCOME_NOT_YET,
            message: "the meeting has not begun".into(),
        });
    }
    let txn = crate::db::begin_write(&state.db).await?;
    // Decided under the slot's lock, as cancellations are: only a live appointment takes an
    // outcome (a cancellation may have come in between).
    lock_slot(&txn, slot.id).await?;
    let changed = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::Status,
            Expr::value(outcome.status.as_str()),
        )
        .col_expr(
            appointment::Column::Outcome,
            Expr::value(outcome.outcome.clone()),
        )
        .col_expr(appointment::Column::OutcomeRecordedAt, Expr::value(now))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPOINTMENT_WRONG_STATUS,
            message: "this appointment was cancelled".into(),
        });
    }
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "appointment.outcome",
        "appointment",
        id,
        json!({"youth_id": found.youth_id, "status": outcome.status.as_str()}),
    )
    .await?;
    txn.commit().await?;
    get(state, caller, id).await
}

/// The youth's held or missed meetings, latest first (at most `limit`): what her orientation
/// follow-up lists beside the notes and the plan.
pub async fn meetings(
    db: &impl ConnectionTrait,
    youth: i64,
    limit: u64,
) -> ApiResult<Vec<MeetingRecord>> {
    let rows = appointment::Entity::find()
        .filter(appointment::Column::YouthId.eq(youth))
        .filter(appointment::Column::Status.is_in([
            AppointmentStatus::Held.as_str(),
            AppointmentStatus::NoShow.as_str(),
        ]))
        .order_by_desc(appointment::Column::StartsAt)
        .order_by_desc(appointment::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let slots: HashMap<i64, appointment_slot::Model> = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::Id.is_in(rows.iter().map(|a| a.slot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let counselors: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(slots.values().map(|s| s.counselor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| MeetingRecord {
            appointment_id: a.id,
            status: appointment_status(&a),
            starts_at: in_morocco(a.starts_at),
            counselor_name: full_name(
                slots
                    .get(&a.slot_id)
                    .and_then(|s| counselors.get(&s.counselor_id)),
            ),
            outcome: a.outcome,
        })
        .collect())
}

/// The youth's appointments from `since` on, soonest first (at most two hundred), as her
/// calendar feed lists them: booked, held or missed, and those the center cancelled (a calendar
/// app then strikes them out); not those she cancelled herself.
pub async fn for_feed(
    db: &impl ConnectionTrait,
    youth: i64,
    since: DateTime<Utc>,
) -> ApiResult<Vec<AppointmentView>> {
    let rows = appointment::Entity::find()
        .filter(appointment::Column::YouthId.eq(youth))
        .filter(appointment::Column::StartsAt.gte(since))
        .filter(
            Condition::any()
                .add(appointment::Column::Status.ne(AppointmentStatus::Cancelled.as_str()))
                .add(appointment::Column::CancelledBy.eq("staff")),
        )
        .order_by_asc(appointment::Column::StartsAt)
        .order_by_asc(appointment::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    appointment_views(db, rows, Standing::Youth(None)).await
}

/// Appointments as notices name them (`services::notices`): when, and with whom.
pub(crate) async fn for_notices(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, shared::dto::notices::NoticeAppointment>> {
    let rows = appointment::Entity::find()
        .filter(appointment::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let slots: HashMap<i64, appointment_slot::Model> = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::Id.is_in(rows.iter().map(|a| a.slot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let counselors: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(slots.values().map(|s| s.counselor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| {
            let counselor = slots
                .get(&a.slot_id)
                .and_then(|s| counselors.get(&s.counselor_id));
            (
                a.id,
                shared::dto::notices::NoticeAppointment {
                    id: a.id,
                    starts_at: in_morocco(a.starts_at),
                    counselor_name: full_name(counselor),
                },
            )
        })
        .collect())
}
