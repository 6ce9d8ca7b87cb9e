//! Notices in the app: what a user is told when something changed under her, beside the e-mail
//! of the same change. [`record`] writes them inside the change's transaction (a change is never
//! committed without its notices) and raises each reader's `users.unread_notices`, the count the
//! web app's header shows without another request (it comes with `/me`). Reading her notices
//! ([`mark_read`]) counts again those left unread.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use shared::NoticeKind;
use shared::dto::Page;
use shared::dto::notices::{NoticeView, ReadNoticesRequest};

use super::pagination;
use crate::auth::CurrentUser;
use crate::entities::{notice, user};
use crate::error::ApiResult;
use crate::extract::JsonBody;
use crate::state::AppState;

/// What a notice is about.
#[derive(Debug, Clone, Copy)]
pub enum About {
    Event(i64),
    Appointment(i64),
    /// An application, and the status the notice announces (if it announces one).
    Application(i64, Option<shared::ApplicationStatus>),
}

/// Query of one's notices.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NoticeListQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

/// Tells `users` (inside the caller's transaction) that `kind` happened to `about`.
pub async fn record(
    txn: &impl ConnectionTrait,
    users: &[i64],
    kind: NoticeKind,
    about: About,
) -> ApiResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let (event_id, appointment_id, application_id, status) = match about {
        About::Event(id) => (Some(id), None, None, None),
        About::Appointment(id) => (None, Some(id), None, None),
        About::Application(id, status) => (None, None, Some(id), status),
    };
    notice::Entity::insert_many(users.iter().map(|&user_id| notice::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.as_str().to_owned()),
        event_id: Set(event_id),
        appointment_id: Set(appointment_id),
        application_id: Set(application_id),
        application_status: Set(status.map(|s| s.as_str().to_owned())),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }))
    .exec_without_returning(txn)
    .await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::UnreadNotices,
            Expr::col(user::Column::UnreadNotices).add(1),
        )
        .filter(user::Column::Id.is_in(users.iter().copied()))
        .exec(txn)
        .await?;
    Ok(())
}

/// The caller's notices, newest first.
pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    query: &NoticeListQuery,
) -> ApiResult<Page<NoticeView>> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    let mut select = notice::Entity::find().filter(notice::Column::UserId.eq(caller.id()));
    if let Some(last) = after {
        select = select.filter(notice::Column::Id.lt(last));
    }
    let rows = select
        .order_by_desc(notice::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let events =
        super::events::for_notices(&state.db, rows.iter().filter_map(|n| n.event_id)).await?;
    let appointments =
        super::appointments::for_notices(&state.db, rows.iter().filter_map(|n| n.appointment_id))
            .await?;
    let applications =
        super::applications::for_notices(&state.db, rows.iter().filter_map(|n| n.application_id))
            .await?;
    Ok(pagination::page(
        rows,
        limit,
        |n| n.id,
        |n| NoticeView {
            id: n.id,
            kind: NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::EventMoved),
            created_at: n.created_at,
            read_at: n.read_at,
            event: n.event_id.and_then(|id| events.get(&id).cloned()),
            appointment: n
                .appointment_id
                .and_then(|id| appointments.get(&id).cloned()),
            application: n
                .application_id
                .and_then(|id| applications.get(&id).cloned())
                .map(|mut application| {
                    // Said as it was announced, not as it stands now.
                    if let Some(status) = n
                        .application_status
                        .as_deref()
                        .and_then(|s| shared::ApplicationStatus::parse(s).ok())
                    {
                        application.status = Some(status);
                    }
                    application
                }),
        },
    ))
}

/// Marks the caller's notices read, up to `through` (the newest she was shown) or all, and
/// counts again those left unread. The account's row is written first: a notice being recorded
/// meanwhile waits for it (its count comes after this one) or was committed before it (this
/// count sees it).
pub async fn mark_read(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<ReadNoticesRequest>,
) -> ApiResult<()> {
    let through = body.read()?.through;
    // The account was read for this request (never from memory, it writes): none unread is
    // none to mark.
    if caller.0.unread_notices == 0 {
        return Ok(());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::UnreadNotices,
            Expr::col(user::Column::UnreadNotices),
        )
        .filter(user::Column::Id.eq(caller.id()))
        .exec(&txn)
        .await?;
    let mut unread = notice::Entity::update_many()
        .col_expr(notice::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notice::Column::UserId.eq(caller.id()))
        .filter(notice::Column::ReadAt.is_null());
    if let Some(through) = through {
        unread = unread.filter(notice::Column::Id.lte(through));
    }
    unread.exec(&txn).await?;
    let left = notice::Entity::find()
        .filter(notice::Column::UserId.eq(caller.id()))
        .filter(notice::Column::ReadAt.is_null())
        .count(&txn)
        .await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::UnreadNotices,
            Expr::value(i32::try_from(left).unwrap_or(i32::MAX)),
        )
        .filter(user::Column::Id.eq(caller.id()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
