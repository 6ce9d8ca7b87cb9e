//! Applications to offers. A youth applies inside the platform to a live offer that takes
//! applications here (her message and a snapshot of her profile go with it), or follows its
//! link to the source, recorded as an outbound application. One application per youth and offer
//! (`idx_applications_offer_user`): the second click answers `409 application.exists`, and an
//! outbound one becomes an in-platform one when she then applies here.
//!
//! The offer's organisation (its employers' and partners' members, its keys with
//! `applications:write`) reads the in-platform applications of its own offers and moves them
//! through the pipeline; anyone else is answered as if the offer had none (404). Every move is
//! a conditional update on the status it was read with, so an employer's move and the youth's
//! withdrawal at the same moment are decided in turn by the database (the later one gets 409),
//! and the youth's notice and the audit row are written in the move's transaction.

use std::collections::HashMap;

use chrono::{SubsecRound as _, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::applications::{
    ApplicantProfile, ApplicationView, ApplyRequest, MoveApplicationRequest, OutboundView,
};
use shared::dto::notices::NoticeApplication;
use shared::{
    ApiScope, ApplicationChannel, ApplicationStatus, EducationLevel, NoticeKind, OfferStatus, Role,
    codes,
};

use super::audit::{self, Actor};
use super::notices::{self, About};
use super::pagination;
use crate::auth::{Caller, CurrentUser};
use crate::entities::{application, membership, offer, orientation_result, user};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of an offer's applicants.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ApplicationListQuery {
    /// Only the applications in this status.
    pub status: Option<ApplicationStatus>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

/// Query of one's own applications.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyApplicationsQuery {
    /// Only the application to this offer (none or one).
    pub offer: Option<i64>,
    /// Only the applications in this status.
    pub status: Option<ApplicationStatus>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

fn as_caller(user: &CurrentUser) -> Caller {
    Caller::User(Box::new(user.clone()))
}

/// The offer `id` as the youth may apply to it: visible to her (live or expired, else 404 as for
/// none), and still open.
async fn open_offer(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<offer::Model> {
    super::offers::get(state, Some(&as_caller(caller)), id).await?;
    let row = offer::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if row.status != OfferStatus::Live.as_str() || row.expires_at <= Utc::now() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::OFFER_CLOSED,
            message: "this offer no longer takes applications".into(),
        });
    }
    Ok(row)
}

/// Her profile as it stands, with the Holland code of her latest orientation result.
async fn snapshot(db: &impl ConnectionTrait, caller: &CurrentUser) -> ApiResult<ApplicantProfile> {
    let user = &caller.0;
    let code = orientation_result::Entity::find()
        .filter(orientation_result::Column::UserId.eq(user.id))
        .order_by_desc(orientation_result::Column::Id)
        .one(db)
        .await?
        .map(|r| r.code);
    Ok(ApplicantProfile {
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        phone: user.phone.clone(),
        city: user.city.clone(),
        birth_year: user.birth_year,
        education_level: user
            .education_level
            .as_deref()
            .and_then(|e| EducationLevel::parse(e).ok()),
        field_of_study: user.field_of_study.clone(),
        holland_code: code,
    })
}

/// A youth applies to offer `id` inside the platform.
pub async fn apply(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<ApplyRequest>,
) -> ApiResult<ApplicationView> {
    caller.require(&[Role::Youth])?;
    let offer = open_offer(state, caller, id).await?;
    let message = body.read()?.parse()?;
    if !offer.apply_in_platform {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::APPLY_ELSEWHERE,
            message: "this offer takes applications at its source only: follow its link".into(),
        });
    }
    let profile =
        serde_json::to_string(&snapshot(&state.db, caller).await?).map_err(anyhow::Error::from)?;
    let now = Utc::now().trunc_subsecs(6);
    let txn = crate::db::begin_write(&state.db).await?;
    // She followed the link before (the offer then took applications at its source only): her
    // outbound application becomes this one, if it still is outbound (a conditional update, so
    // two applications at once convert it once).
    let converted = application::Entity::update_many()
        .col_expr(
            application::Column::Channel,
            Expr::value(ApplicationChannel::Platform.as_str()),
        )
        .col_expr(
            application::Column::Status,
            Expr::value(ApplicationStatus::Received.as_str()),
        )
        .col_expr(application::Column::Message, Expr::value(message.clone()))
        .col_expr(application::Column::Profile, Expr::value(profile.clone()))
        .col_expr(application::Column::CreatedAt, Expr::value(now))
        .col_expr(application::Column::StatusChangedAt, Expr::value(now))
        .filter(application::Column::OfferId.eq(id))
        .filter(application::Column::UserId.eq(caller.id()))
        .filter(application::Column::Channel.eq(ApplicationChannel::Outbound.as_str()))
        .exec(&txn)
        .await?;
    let row = if converted.rows_affected == 1 {
        application::Entity::find()
            .filter(application::Column::OfferId.eq(id))
            .filter(application::Column::UserId.eq(caller.id()))
            .one(&txn)
            .await?
            .ok_or(ApiError::NotFound)?
    } else {
        application::ActiveModel {
            offer_id: Set(id),
            user_id: Set(caller.id()),
            channel: Set(ApplicationChannel::Platform.as_str().to_owned()),
            status: Set(Some(ApplicationStatus::Received.as_str().to_owned())),
            message: Set(message),
            profile: Set(Some(profile)),
            created_at: Set(now),
            status_changed_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .on_unique_violation(
            "",
            codes::APPLICATION_EXISTS,
            "you already applied to this offer",
        )?
    };
    // The offer's organisation is told, in the same transaction.
    let members = members_of(&txn, &offer).await?;
    notices::record(
        &txn,
        &members,
        NoticeKind::ApplicationReceived,
        About::Application(row.id, None),
    )
    .await?;
    txn.commit().await?;
    tell_employer(state, &members, &offer, caller).await;
    Ok(view(row, Some(&offer)))
}

/// A youth follows offer `id`'s link to apply at its source: recorded once (a second time
/// answers the same application), and the link returned.
pub async fn outbound(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<OutboundView> {
    caller.require(&[Role::Youth])?;
    let offer = open_offer(state, caller, id).await?;
    // An offer taken at its source only always has its link (the offers' rules ask for one).
    let url = match (&offer.url, offer.apply_in_platform) {
        (Some(url), false) => url.clone(),
        _ => {
            return Err(ApiError::Conflict {
                field: None,
                code: codes::APPLY_HERE,
                message: "this offer takes applications here: apply on the platform".into(),
            });
        }
    };
    let now = Utc::now().trunc_subsecs(6);
    let inserted = application::ActiveModel {
        offer_id: Set(id),
        user_id: Set(caller.id()),
        channel: Set(ApplicationChannel::Outbound.as_str().to_owned()),
        status: Set(None),
        message: Set(None),
        profile: Set(None),
        created_at: Set(now),
        status_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .on_unique_violation("", codes::APPLICATION_EXISTS, "already recorded");
    let row = match inserted {
        Ok(row) => row,
        // Already recorded (or applied here): the same answer.
        Err(ApiError::Conflict { .. }) => application::Entity::find()
            .filter(application::Column::OfferId.eq(id))
            .filter(application::Column::UserId.eq(caller.id()))
            .one(&state.db)
            .await?
            .ok_or(ApiError::NotFound)?,
        Err(other) => return Err(other),
    };
    Ok(OutboundView {
        url,
        application: view(row, Some(&offer)),
    })
}

/// The caller's own applications, newest first.
pub async fn mine(
    state: &AppState,
    caller: &CurrentUser,
    query: &MyApplicationsQuery,
) -> ApiResult<Page<ApplicationView>> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    let mut select =
        application::Entity::find().filter(application::Column::UserId.eq(caller.id()));
    if let Some(offer) = query.offer {
        select = select.filter(application::Column::OfferId.eq(offer));
    }
    if let Some(status) = query.status {
        select = select.filter(application::Column::Status.eq(status.as_str()));
    }
    if let Some(last) = after {
        select = select.filter(application::Column::Id.lt(last));
    }
    let rows = select
        .order_by_desc(application::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    views(&state.db, rows, limit).await
}

/// Refuses, before anything is read, a caller whose role may not handle applicants: employers
/// and partners, and keys with `applications:write`.
fn may_handle(caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::User(user) => user.require(&[Role::Employer, Role::Partner]),
        Caller::ApiKey(key) => key.require(ApiScope::ApplicationsWrite),
    }
}

/// Offer `id`, if it is one of the caller's organisation's (else 404, as for none).
async fn own_offer(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> ApiResult<offer::Model> {
    let row = offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let Some(org) = row.organization_id else {
        return Err(ApiError::NotFound);
    };
    let mine = match caller {
        Caller::User(user) => membership::Entity::find_by_id((org, user.id()))
            .one(db)
            .await?
            .is_some(),
        Caller::ApiKey(key) => key.organization_id == org,
    };
    if mine {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The in-platform applications to offer `id`, oldest first (its organisation's).
pub async fn of_offer(
    state: &AppState,
    caller: &Caller,
    id: i64,
    query: &ApplicationListQuery,
) -> ApiResult<Page<ApplicationView>> {
    may_handle(caller)?;
    own_offer(&state.db, caller, id).await?;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    let mut select = application::Entity::find()
        .filter(application::Column::OfferId.eq(id))
        .filter(application::Column::Channel.eq(ApplicationChannel::Platform.as_str()));
    if let Some(status) = query.status {
        select = select.filter(application::Column::Status.eq(status.as_str()));
    }
    if let Some(last) = after {
        select = select.filter(application::Column::Id.gt(last));
    }
    let rows = select
        .order_by_asc(application::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    views(&state.db, rows, limit).await
}

/// Application `id` if the caller may read it: its youth, or its offer's organisation (an
/// in-platform one). Anyone else gets 404, as for none.
async fn readable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> ApiResult<(application::Model, offer::Model)> {
    let row = application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let youths = matches!(caller, Caller::User(user) if user.id() == row.user_id);
    let offer = if youths {
        offer::Entity::find_by_id(row.offer_id)
            .one(db)
            .await?
            .ok_or(ApiError::NotFound)?
    } else {
        if row.channel != ApplicationChannel::Platform.as_str() {
            return Err(ApiError::NotFound);
        }
        own_offer(db, caller, row.offer_id).await?
    };
    Ok((row, offer))
}

/// One application: its youth's, or its offer's organisation's.
pub async fn get(state: &AppState, caller: &Caller, id: i64) -> ApiResult<ApplicationView> {
    match caller {
        Caller::User(user) => user.require(&[Role::Youth, Role::Employer, Role::Partner])?,
        Caller::ApiKey(key) => key.require(ApiScope::ApplicationsWrite)?,
    }
    let (row, offer) = readable(&state.db, caller, id).await?;
    Ok(view(row, Some(&offer)))
}

fn wrong_status(message: &str) -> ApiError {
    ApiError::Conflict {
        field: Some("status"),
        code: codes::APPLICATION_WRONG_STATUS,
        message: message.into(),
    }
}

/// Sets `row`'s status to `to` if it is still `from` (else 409: someone moved it meanwhile).
async fn set_status(
    txn: &impl ConnectionTrait,
    row: &application::Model,
    from: ApplicationStatus,
    to: ApplicationStatus,
) -> ApiResult<application::Model> {
    let now = Utc::now().trunc_subsecs(6);
    let done = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(to.as_str()))
        .col_expr(application::Column::StatusChangedAt, Expr::value(now))
        .filter(application::Column::Id.eq(row.id))
        .filter(application::Column::Status.eq(from.as_str()))
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(wrong_status(
            "this application changed meanwhile: read it again",
        ));
    }
    Ok(application::Model {
        status: Some(to.as_str().to_owned()),
        status_changed_at: now,
        ..row.clone()
    })
}

fn status_of(row: &application::Model) -> Option<ApplicationStatus> {
    row.status
        .as_deref()
        .and_then(|s| ApplicationStatus::parse(s).ok())
}

/// The offer's organisation moves application `id` to a step of its pipeline; the youth is told
/// in the app. Moving it to the status it has changes nothing.
pub async fn move_to(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<MoveApplicationRequest>,
) -> ApiResult<ApplicationView> {
    may_handle(caller)?;
    let (row, offer) = readable(&state.db, caller, id).await?;
    let to = body.read()?.status;
    let Some(from) = status_of(&row) else {
        return Err(wrong_status(
            "an application made at the source is not moved here",
        ));
    };
    if from == to {
        return Ok(view(row, Some(&offer)));
    }
    if !from.employer_may_move_to(to) {
        return Err(wrong_status(if from == ApplicationStatus::Withdrawn {
            "the youth withdrew this application"
        } else {
            "an application moves to shortlisted, interview, rejected or hired"
        }));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let row = set_status(&txn, &row, from, to).await?;
    notices::record(
        &txn,
        &[row.user_id],
        NoticeKind::ApplicationMoved,
        About::Application(row.id, Some(to)),
    )
    .await?;
    let actor = match caller {
        Caller::User(user) => Actor::User(user.id()),
        Caller::ApiKey(key) => Actor::ApiKey(key.key_id),
    };
    audit::record(
        &txn,
        actor,
        "application.move",
        "application",
        row.id,
        json!({"offer_id": row.offer_id, "from": from.as_str(), "to": to.as_str()}),
    )
    .await?;
    txn.commit().await?;
    tell(state, &row, &offer, to).await;
    Ok(view(row, Some(&offer)))
}

/// E-mails the offer's organisation's members that a youth applied, once committed (each in
/// their language).
async fn tell_employer(
    state: &AppState,
    members: &[i64],
    offer: &offer::Model,
    youth: &CurrentUser,
) {
    if members.is_empty() {
        return;
    }
    let people = match user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().copied()))
        .filter(user::Column::IsActive.eq(true))
        .all(&state.db)
        .await
    {
        Ok(people) => people,
        Err(error) => {
            tracing::error!(error = ?error, offer = offer.id, "the employer could not be told of an application");
            return;
        }
    };
    let link = state.mailer.page(&format!(
        "organizations/{}/offers/{}",
        offer.organization_id.unwrap_or_default(),
        offer.id
    ));
    for person in people {
        let locale = shared::Locale::parse(&person.locale).unwrap_or(shared::Locale::Fr);
        state.mailer.send(
            &person.email,
            locale,
            crate::mail::Mail::ApplicationReceived {
                name: person.first_name,
                title: offer.title.clone(),
                applicant: format!("{} {}", youth.0.first_name, youth.0.last_name),
                link: link.clone(),
            },
        );
    }
}

/// E-mails the youth that her application moved, once committed (in her language).
async fn tell(
    state: &AppState,
    row: &application::Model,
    offer: &offer::Model,
    to: ApplicationStatus,
) {
    let youth = match user::Entity::find_by_id(row.user_id).one(&state.db).await {
        Ok(Some(youth)) if youth.is_active => youth,
        Ok(_) => return,
        Err(error) => {
            tracing::error!(error = ?error, application = row.id, "the youth could not be told of a move");
            return;
        }
    };
    let locale = shared::Locale::parse(&youth.locale).unwrap_or(shared::Locale::Fr);
    state.mailer.send(
        &youth.email,
        locale,
        crate::mail::Mail::ApplicationMoved {
            name: youth.first_name,
            title: offer.title.clone(),
            employer: offer.employer_name.clone(),
            status: to,
            link: state.mailer.page("applications"),
        },
    );
}

/// The youth takes her in-platform application back, until the employer rejected or hired her.
pub async fn withdraw(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<ApplicationView> {
    caller.require(&[Role::Youth])?;
    let (row, offer) = readable(&state.db, &as_caller(caller), id).await?;
    if row.user_id != caller.id() {
        return Err(ApiError::NotFound);
    }
    let from = status_of(&row)
        .filter(|s| s.youth_may_withdraw())
        .ok_or_else(|| {
            wrong_status("only an application the employer has not decided on can be withdrawn")
        })?;
    let txn = crate::db::begin_write(&state.db).await?;
    let row = set_status(&txn, &row, from, ApplicationStatus::Withdrawn).await?;
    // Her employer-to-be is told in the app, in the same transaction (no e-mail: nothing to do).
    let members = members_of(&txn, &offer).await?;
    notices::record(
        &txn,
        &members,
        NoticeKind::ApplicationWithdrawn,
        About::Application(row.id, None),
    )
    .await?;
    txn.commit().await?;
    Ok(view(row, Some(&offer)))
}

/// The members of the offer's organisation: those told of its applications.
async fn members_of(db: &impl ConnectionTrait, offer: &offer::Model) -> ApiResult<Vec<i64>> {
    Ok(match offer.organization_id {
        Some(org) => membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(org))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect(),
        None => Vec::new(),
    })
}

fn view(r: application::Model, offer: Option<&offer::Model>) -> ApplicationView {
    ApplicationView {
        id: r.id,
        offer_id: r.offer_id,
        offer_title: offer.map(|o| o.title.clone()).unwrap_or_default(),
        employer_name: offer.map(|o| o.employer_name.clone()).unwrap_or_default(),
        offer_status: offer
            .and_then(|o| OfferStatus::parse(&o.status).ok())
            .unwrap_or(OfferStatus::Removed),
        channel: ApplicationChannel::parse(&r.channel).unwrap_or(ApplicationChannel::Outbound),
        status: status_of(&r),
        message: r.message,
        profile: r
            .profile
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok()),
        created_at: r.created_at,
        status_changed_at: r.status_changed_at,
    }
}

async fn offers_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, offer::Model>> {
    Ok(offer::Entity::find()
        .filter(offer::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<application::Model>,
    limit: u64,
) -> ApiResult<Page<ApplicationView>> {
    let offers = offers_of(db, rows.iter().map(|r| r.offer_id)).await?;
    Ok(pagination::page(
        rows,
        limit,
        |r| r.id,
        |r| {
            let offer = offers.get(&r.offer_id);
            view(r, offer)
        },
    ))
}

/// The applications notices name, by id.
pub(crate) async fn for_notices(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, NoticeApplication>> {
    let rows = application::Entity::find()
        .filter(application::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let offers = offers_of(db, rows.iter().map(|r| r.offer_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let offer = offers.get(&r.offer_id);
            (
                r.id,
                NoticeApplication {
                    id: r.id,
                    offer_id: r.offer_id,
                    organization_id: offer.and_then(|o| o.organization_id),
                    offer_title: offer.map(|o| o.title.clone()).unwrap_or_default(),
                    employer_name: offer.map(|o| o.employer_name.clone()).unwrap_or_default(),
                    status: status_of(&r),
                },
            )
        })
        .collect())
}
