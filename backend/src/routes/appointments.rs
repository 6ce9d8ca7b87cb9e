//! `/appointment-slots` and `/appointments`: meetings with a counselor. Who may see and do
//! what is said in `services::appointments`.

use actix_web::{HttpResponse, get, post, put, web};
use shared::dto::Page;
use shared::dto::appointments::{
    AppointmentView, BookSlotRequest, CreateSlotsRequest, OutcomeRequest, SlotView,
};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::appointments::{self, AppointmentListQuery, SlotListQuery};
use crate::state::AppState;

/// Lists slots, soonest first: to a youth, the ones she may book at her center (open, free,
/// not started); to a counselor, her center's, with who booked each; to admins, any center's.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(SlotListQuery), responses(
    (status = 200, description = "One page of slots", body = Page<SlotView>),
    (status = 409, description = "The caller has no center"),
))]
#[get("")]
pub async fn list_slots(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: QueryParams<SlotListQuery>,
) -> ApiResult<web::Json<Page<SlotView>>> {
    Ok(web::Json(
        appointments::list_slots(&state, &caller, &query.0).await?,
    ))
}

/// Offers slots (a counselor, at her center): `count` slots of 15, 30 or 45 minutes back to
/// back, at the center, one of its sites or online. None may overlap another of hers.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), request_body = CreateSlotsRequest, responses(
    (status = 201, description = "The slots offered", body = Vec<SlotView>),
    (status = 409, description = "They overlap a slot she already offers, or she has no center"),
))]
#[post("")]
pub async fn create_slots(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<CreateSlotsRequest>,
) -> ApiResult<HttpResponse> {
    let created = appointments::create_slots(&state, &caller, body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Withdraws a slot not yet started (its center's counselors, admins); the booking it holds is
/// cancelled and the youth sees it so.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(("id" = i64, Path, description = "Slot id")), responses(
    (status = 200, description = "The withdrawn slot", body = SlotView),
    (status = 409, description = "Already withdrawn, or started"),
))]
#[post("/{id}/withdrawal")]
pub async fn withdraw_slot(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SlotView>> {
    Ok(web::Json(
        appointments::withdraw_slot(&state, &caller, *id).await?,
    ))
}

/// Books a slot of her center for the calling youth, with what she wants to talk about. A slot
/// goes to one youth whatever the concurrency; her appointments never overlap, and she holds at
/// most two upcoming at once.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(("id" = i64, Path, description = "Slot id")), request_body = BookSlotRequest, responses(
    (status = 201, description = "The appointment", body = AppointmentView),
    (status = 409, description = "The slot is taken, withdrawn or started; she has another appointment then, or two upcoming already; she has no center"),
))]
#[post("/{id}/booking")]
pub async fn book_slot(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<BookSlotRequest>,
) -> ApiResult<HttpResponse> {
    let booked = appointments::book(&state, &caller, *id, body).await?;
    Ok(HttpResponse::Created().json(booked))
}

/// Lists appointments: a youth's own, a counselor's center's, any for admins. `upcoming`
/// (default) soonest first, `past` latest first.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(AppointmentListQuery), responses(
    (status = 200, description = "One page of appointments", body = Page<AppointmentView>),
    (status = 409, description = "The caller has no center"),
))]
#[get("")]
pub async fn list_appointments(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: QueryParams<AppointmentListQuery>,
) -> ApiResult<web::Json<Page<AppointmentView>>> {
    Ok(web::Json(
        appointments::list(&state, &caller, &query.0).await?,
    ))
}

/// Reads one appointment: the youth's own, or one of their center's (counselors, admins).
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(("id" = i64, Path, description = "Appointment id")), responses(
    (status = 200, description = "The appointment", body = AppointmentView),
))]
#[get("/{id}")]
pub async fn get_appointment(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<AppointmentView>> {
    Ok(web::Json(appointments::get(&state, &caller, *id).await?))
}

/// Cancels a booked appointment: the youth until her center's delay before the start
/// (`cancellable_until`), her center's counselors until the start. The slot is free again.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(("id" = i64, Path, description = "Appointment id")), responses(
    (status = 200, description = "The cancelled appointment", body = AppointmentView),
    (status = 409, description = "Not booked any more, or too late to cancel"),
))]
#[post("/{id}/cancellation")]
pub async fn cancel_appointment(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<AppointmentView>> {
    Ok(web::Json(appointments::cancel(&state, &caller, *id).await?))
}

/// Records the meeting once it has begun (the center's counselors, admins): `held`, with what
/// was said and agreed (the youth reads it in her orientation follow-up), or `no_show`. A new
/// record replaces the previous one.
#[utoipa::path(tag = "appointments", security(("bearer" = [])), params(("id" = i64, Path, description = "Appointment id")), request_body = OutcomeRequest, responses(
    (status = 200, description = "The appointment with its outcome", body = AppointmentView),
    (status = 409, description = "Cancelled, or not begun"),
))]
#[put("/{id}/outcome")]
pub async fn record_outcome(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<OutcomeRequest>,
) -> ApiResult<web::Json<AppointmentView>> {
    Ok(web::Json(
        appointments::record_outcome(&state, &caller, *id, body).await?,
    ))
}
