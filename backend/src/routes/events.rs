//! `/events`: workshops, trainings, conferences, company visits, job fairs and information
//! sessions; the youths' registrations to them. Who may see and change what is said in
//! `services::events`.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use shared::dto::Page;
use shared::dto::events::{
    CalendarFeed, Certificate, CheckInRequest, CreateEventRequest, EventView, RosterEntry,
    UpdateEventRequest,
};
use shared::{EventStatus, Locale};

use crate::auth::{Caller, CurrentUser, Visitor};
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::calendars;
use crate::services::events::{self, EventListQuery, RosterQuery};
use crate::state::AppState;

/// Lists the events the caller may see, soonest first: public ones to anyone; a center's
/// youths' events to that center's youths and counselors; drafts to their organisers.
#[utoipa::path(tag = "events", security((), ("bearer" = []), ("api_key" = [])), params(EventListQuery), responses(
    (status = 200, description = "One page of events", body = Page<EventView>),
))]
#[get("")]
pub async fn list_events(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: QueryParams<EventListQuery>,
) -> ApiResult<web::Json<Page<EventView>>> {
    Ok(web::Json(
        events::list(&state, visitor.0.as_ref(), &query.0).await?,
    ))
}

/// Creates a draft event: a center's counselors for their center, an organisation's members
/// or its API key (`events:write`) for a verified organisation, admins for any.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), request_body = CreateEventRequest, responses(
    (status = 201, description = "The draft event", body = EventView),
    (status = 409, description = "The organisation is not verified"),
))]
#[post("")]
pub async fn create_event(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateEventRequest>,
) -> ApiResult<HttpResponse> {
    let created = events::create(&state, &caller, body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Reads one event, with the caller's registration if she has one; the link of an online
/// event goes only to its registrants and organisers.
#[utoipa::path(tag = "events", security((), ("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 200, description = "The event", body = EventView),
))]
#[get("/{id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(
        events::get(&state, visitor.0.as_ref(), *id).await?,
    ))
}

/// Changes an event until its check-ins open, an hour before the start (its organisers): absent
/// fields stay, `null` clears an optional one (and is refused for one that cannot be empty).
/// The capacity never goes below the seats taken; raised, it gives the new seats to the first
/// youths waiting at once. A published event's audience may widen, not narrow.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), request_body = UpdateEventRequest, responses(
    (status = 200, description = "The event as changed", body = EventView),
    (status = 409, description = "Its check-ins have opened, or it is cancelled or held; the capacity is below the seats taken; the audience narrowed"),
))]
#[patch("/{id}")]
pub async fn update_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: JsonBody<UpdateEventRequest>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(events::update(&state, &caller, *id, body).await?))
}

/// Publishes a draft (its organisers): its audience sees it and may register.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 200, description = "The published event", body = EventView),
    (status = 409, description = "Not a draft, or it has started"),
))]
#[post("/{id}/publication")]
pub async fn publish_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(
        events::set_status(&state, &caller, *id, EventStatus::Published).await?,
    ))
}

/// Cancels a draft or published event (its organisers); every registration and place in
/// line ends, and registrants see the event cancelled.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 200, description = "The cancelled event", body = EventView),
    (status = 409, description = "Already cancelled or held"),
))]
#[post("/{id}/cancellation")]
pub async fn cancel_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(
        events::set_status(&state, &caller, *id, EventStatus::Cancelled).await?,
    ))
}

/// Registers the calling youth: a seat while any is left, otherwise a place on the waitlist,
/// in arrival order. The event's `my_registration` says which.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 201, description = "The event, with the new registration", body = EventView),
    (status = 409, description = "Registration is not open, or the youth is already registered"),
))]
#[post("/{id}/registration")]
pub async fn register_for_event(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let event = events::register(&state, &caller, *id).await?;
    Ok(HttpResponse::Created().json(event))
}

/// Cancels the calling youth's registration or place in line; a seat given up goes at once to
/// the first youth waiting.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 200, description = "The event, with the cancelled registration", body = EventView),
    (status = 409, description = "No registration to cancel, or the event has started"),
))]
#[delete("/{id}/registration")]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(events::unregister(&state, &caller, *id).await?))
}

/// Marks a started event as held (its organisers): youths holding a seat who were not checked
/// in become no-shows, and places still in line end. Check-ins stay possible afterwards, to
/// mend the attendance.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), responses(
    (status = 200, description = "The held event", body = EventView),
    (status = 409, description = "Not published, or not started yet"),
))]
#[post("/{id}/completion")]
pub async fn complete_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<EventView>> {
    Ok(web::Json(
        events::set_status(&state, &caller, *id, EventStatus::Held).await?,
    ))
}

/// The event's registrations in arrival order, with each youth's name and check-in code (its
/// organisers).
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id"), RosterQuery), responses(
    (status = 200, description = "One page of the roster", body = Page<RosterEntry>),
))]
#[get("/{id}/registrations")]
pub async fn event_roster(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: QueryParams<RosterQuery>,
) -> ApiResult<web::Json<Page<RosterEntry>>> {
    Ok(web::Json(
        events::roster(&state, &caller, *id, &query.0).await?,
    ))
}

/// Checks a youth in (its organisers), by the code of her QR code, scanned or typed, or by her
/// registration from the roster. A second check-in of the same youth answers the same.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id")), request_body = CheckInRequest, responses(
    (status = 200, description = "The youth, checked in", body = RosterEntry),
    (status = 409, description = "The youth holds no seat, or the event is not published or held"),
))]
#[post("/{id}/check-ins")]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: JsonBody<CheckInRequest>,
) -> ApiResult<web::Json<RosterEntry>> {
    Ok(web::Json(
        events::check_in(&state, &caller, *id, body).await?,
    ))
}

/// Query of an event's calendar file or attendance sheet.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// The language of the calendar's title and description, when the organiser wrote them in
    /// it, or of the attendance sheet's words (default French).
    pub lang: Option<Locale>,
}

/// The event as an iCalendar file (RFC 5545), to add to a phone's calendar; for whoever may
/// see the event.
#[utoipa::path(tag = "events", security((), ("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id"), CalendarQuery), responses(
    (status = 200, description = "The event's calendar file", content_type = "text/calendar", body = String),
))]
#[get("/{id}/calendar.ics")]
pub async fn event_calendar(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<i64>,
    query: QueryParams<CalendarQuery>,
) -> ApiResult<HttpResponse> {
    let file = calendars::event_file(&state, visitor.0.as_ref(), *id, query.0.lang).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"event-{id}.ics\""),
        ))
        .body(file))
}

/// The event's attendance as a CSV file (its organisers): every registration in arrival order,
/// with its outcome and check-in time (Morocco's time), column titles and outcomes in `lang`
/// (default French). UTF-8 with a byte-order mark, for spreadsheets.
#[utoipa::path(tag = "events", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Event id"), CalendarQuery), responses(
    (status = 200, description = "The attendance sheet", content_type = "text/csv", body = String),
))]
#[get("/{id}/attendance.csv")]
pub async fn event_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: QueryParams<CalendarQuery>,
) -> ApiResult<HttpResponse> {
    let file = events::attendance_csv(&state, &caller, *id, query.0.lang).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"attendance-{id}.csv\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(file))
}

/// A youth's private calendar feed at its secret address (from `POST /me/calendar`): her
/// registrations of the last month and to come, in her language. No other credential: the
/// address is the secret; an address replaced or removed answers 404.
#[utoipa::path(tag = "events", params(("token" = String, Path, description = "The feed's secret")), responses(
    (status = 200, description = "The youth's calendar", content_type = "text/calendar", body = String),
))]
#[get("/{token}")]
pub async fn calendar_feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let file = calendars::feed(&state, &token).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(file))
}

/// Gives the signed-in youth a new secret address for her calendar feed; the one before stops
/// working at once.
#[utoipa::path(tag = "events", security(("bearer" = [])), responses(
    (status = 201, description = "The feed's address, shown now and whenever replaced", body = CalendarFeed),
))]
#[post("/calendar")]
pub async fn create_calendar_feed(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<HttpResponse> {
    let feed = calendars::create_feed(&state, &caller).await?;
    // The address is the secret: not kept by a cache, nor by the replay of a retried POST.
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(feed))
}

/// Removes the signed-in youth's calendar feed.
#[utoipa::path(tag = "events", security(("bearer" = [])), responses(
    (status = 204, description = "The feed's address no longer works"),
))]
#[delete("/calendar")]
pub async fn delete_calendar_feed(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<HttpResponse> {
    calendars::delete_feed(&state, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A certificate of attendance at a soft-skills training, checked by anyone from its code: the
/// holder's name, the training, who gave it and when.
#[utoipa::path(tag = "events", params(("code" = String, Path, description = "The certificate's code")), responses(
    (status = 200, description = "The certificate", body = Certificate),
))]
#[get("/{code}")]
pub async fn get_certificate(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<web::Json<Certificate>> {
    Ok(web::Json(events::certificate(&state, &code).await?))
}
