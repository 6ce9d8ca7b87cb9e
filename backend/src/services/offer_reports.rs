//! Reports of offers: anyone signed in tells the admins that an offer is a scam, discriminates
//! or has ended; admins read the open ones, oldest first, and dismiss them or remove the offer
//! (which resolves every open report of it, in `offers::decide`).

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::offers::{OfferReportView, ReportOfferRequest};
use shared::{OfferStatus, ReportReason, Role, codes};

use super::audit::{self, Actor};
use super::pagination;
use crate::auth::{Caller, CurrentUser};
use crate::entities::{offer, offer_report};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of the reports.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportListQuery {
    /// Also the reports already dismissed or resolved (default: only the open ones).
    pub all: Option<bool>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

/// Reports offer `id`: anyone signed in who can read it (404 otherwise, as for none); once per
/// person and offer (`409 report.exists`).
pub async fn report(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<ReportOfferRequest>,
) -> ApiResult<OfferReportView> {
    let seen = super::offers::get(state, Some(&Caller::User(Box::new(caller.clone()))), id).await?;
    let request = body.read()?;
    let comment = request.parse()?;
    let row = offer_report::ActiveModel {
        offer_id: Set(id),
        user_id: Set(caller.id()),
        reason: Set(request.reason.as_str().to_owned()),
        comment: Set(comment),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .on_unique_violation("", codes::REPORT_EXISTS, "you already reported this offer")?;
    Ok(view(row, &seen.title, seen.status))
}

fn view(r: offer_report::Model, title: &str, status: OfferStatus) -> OfferReportView {
    OfferReportView {
        id: r.id,
        offer_id: r.offer_id,
        offer_title: title.to_owned(),
        offer_status: status,
        reason: ReportReason::parse(&r.reason).unwrap_or(ReportReason::Other),
        comment: r.comment,
        created_at: r.created_at,
        resolved_at: r.resolved_at,
    }
}

/// The reports, oldest first (admins): the open ones, or `all`.
pub async fn list(
    state: &AppState,
    caller: &CurrentUser,
    query: &ReportListQuery,
) -> ApiResult<Page<OfferReportView>> {
    caller.require(&[Role::Admin])?;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    let mut select = offer_report::Entity::find();
    if !query.all.unwrap_or(false) {
        select = select.filter(offer_report::Column::ResolvedAt.is_null());
    }
    if let Some(last) = after {
        select = select.filter(offer_report::Column::Id.gt(last));
    }
    let rows = select
        .order_by_asc(offer_report::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let offers: std::collections::HashMap<i64, offer::Model> = offer::Entity::find()
        .filter(offer::Column::Id.is_in(rows.iter().map(|r| r.offer_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(pagination::page(
        rows,
        limit,
        |r| r.id,
        |r| {
            let offer = offers.get(&r.offer_id);
            let title = offer.map(|o| o.title.clone()).unwrap_or_default();
            let status = offer
                .and_then(|o| OfferStatus::parse(&o.status).ok())
                .unwrap_or(OfferStatus::Removed);
            view(r, &title, status)
        },
    ))
}

/// Dismisses an open report (admins): the offer stays as it is.
pub async fn dismiss(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<OfferReportView> {
    caller.require(&[Role::Admin])?;
    let txn = crate::db::begin_write(&state.db).await?;
    let found = offer_report::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if found.resolved_at.is_some() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::REPORT_RESOLVED,
            message: "this report is already resolved".into(),
        });
    }
    let mut row: offer_report::ActiveModel = found.into();
    row.resolved_at = Set(Some(Utc::now()));
    let row = row.update(&txn).await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "offer_report.dismiss",
        "offer_report",
        id,
        json!({"offer_id": row.offer_id}),
    )
    .await?;
    let offer = offer::Entity::find_by_id(row.offer_id).one(&txn).await?;
    txn.commit().await?;
    let title = offer.as_ref().map(|o| o.title.clone()).unwrap_or_default();
    let status = offer
        .and_then(|o| OfferStatus::parse(&o.status).ok())
        .unwrap_or(OfferStatus::Removed);
    Ok(view(row, &title, status))
}

/// Resolves every open report of offer `id` (inside the transaction that removes it).
pub(crate) async fn resolve_all(txn: &impl ConnectionTrait, id: i64) -> ApiResult<()> {
    offer_report::Entity::update_many()
        .col_expr(offer_report::Column::ResolvedAt, Expr::value(Utc::now()))
        .filter(offer_report::Column::OfferId.eq(id))
        .filter(offer_report::Column::ResolvedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}
