//! What a user keeps of the offers: saved offers (any offer she can read, once each) and saved
//! searches (at most `MAX_SAVED_SEARCHES`, each once), each search telling how many live
//! offers matching it were posted since she last opened it. The limit holds under concurrent
//! saves: each save locks her account's row first (a no-op update, as for appointments), then
//! counts; the unique indexes are the last guard against the same item twice.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound as _, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::Page;
use shared::dto::saved::{MAX_SAVED_SEARCHES, SavedOfferView, SavedSearchView, SearchCriteria};
use shared::{OfferKind, OfferStatus, codes};

use super::pagination;
use crate::auth::{Caller, CurrentUser};
use crate::entities::{commune, offer, saved_offer, saved_search};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of one's saved offers.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SavedOfferQuery {
    /// Only this offer (none or one: whether she saved it).
    pub offer: Option<i64>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

/// Saves offer `id` for the caller, if she can read it (404 otherwise); saving it again
/// changes nothing.
pub async fn save_offer(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<SavedOfferView> {
    super::offers::get(state, Some(&Caller::User(Box::new(caller.clone()))), id).await?;
    // Saved again (or twice at once): the first row stays.
    saved_offer::Entity::insert(saved_offer::ActiveModel {
        user_id: Set(caller.id()),
        offer_id: Set(id),
        created_at: Set(Utc::now().trunc_subsecs(6)),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([saved_offer::Column::UserId, saved_offer::Column::OfferId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    let row = saved_offer::Entity::find()
        .filter(saved_offer::Column::UserId.eq(caller.id()))
        .filter(saved_offer::Column::OfferId.eq(id))
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(saved_views(state, vec![row], 1).await?.items.remove(0))
}

/// Forgets saved offer `id` (nothing to do when it was not saved).
pub async fn unsave_offer(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<()> {
    saved_offer::Entity::delete_many()
        .filter(saved_offer::Column::UserId.eq(caller.id()))
        .filter(saved_offer::Column::OfferId.eq(id))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The caller's saved offers, the latest saved first, whatever became of them.
pub async fn saved_offers(
    state: &AppState,
    caller: &CurrentUser,
    query: &SavedOfferQuery,
) -> ApiResult<Page<SavedOfferView>> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode(query.cursor.as_deref())?;
    let mut select =
        saved_offer::Entity::find().filter(saved_offer::Column::UserId.eq(caller.id()));
    if let Some(offer) = query.offer {
        select = select.filter(saved_offer::Column::OfferId.eq(offer));
    }
    if let Some(last) = after {
        select = select.filter(saved_offer::Column::Id.lt(last));
    }
    let rows = select
        .order_by_desc(saved_offer::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    saved_views(state, rows, limit).await
}

async fn saved_views(
    state: &AppState,
    rows: Vec<saved_offer::Model>,
    limit: u64,
) -> ApiResult<Page<SavedOfferView>> {
    let offers: HashMap<i64, offer::Model> = offer::Entity::find()
        .filter(offer::Column::Id.is_in(rows.iter().map(|r| r.offer_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let communes: HashMap<String, commune::Model> = commune::Entity::find()
        .filter(commune::Column::Code.is_in(offers.values().filter_map(|o| o.commune_code.clone())))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();
    // Pending, withdrawn or removed since: listed as ended, nothing more said of them.
    let public = [OfferStatus::Live.as_str(), OfferStatus::Expired.as_str()];
    Ok(pagination::page(
        rows,
        limit,
        |r| r.id,
        |r| {
            let offer = offers.get(&r.offer_id);
            let shown = offer.filter(|o| public.contains(&o.status.as_str()));
            let place = shown
                .and_then(|o| o.commune_code.as_ref())
                .and_then(|c| communes.get(c));
            SavedOfferView {
                offer_id: r.offer_id,
                title: offer.map(|o| o.title.clone()).unwrap_or_default(),
                employer_name: offer.map(|o| o.employer_name.clone()).unwrap_or_default(),
                kind: offer
                    .and_then(|o| OfferKind::parse(&o.kind).ok())
                    .unwrap_or(OfferKind::Job),
                status: shown
                    .and_then(|o| OfferStatus::parse(&o.status).ok())
                    .unwrap_or(OfferStatus::Expired),
                commune_name_fr: place.map(|c| c.name_fr.clone()),
                commune_name_ar: place.map(|c| c.name_ar.clone()),
                expires_at: offer.map(|o| o.expires_at).unwrap_or(r.created_at),
                saved_at: r.created_at,
            }
        },
    ))
}

/// The moment of a visit, in whole seconds as offers' dates are, rounded down: an offer posted
/// in the second of the visit is counted new (perhaps once too often) rather than missed.
fn visit_moment() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

fn criteria_of(row: &saved_search::Model) -> SearchCriteria {
    serde_json::from_str(&row.criteria).unwrap_or_default()
}

async fn search_view(state: &AppState, row: saved_search::Model) -> ApiResult<SavedSearchView> {
    let criteria = criteria_of(&row);
    let new_offers = super::offer_search::count_since(state, &criteria, row.visited_at).await?;
    Ok(SavedSearchView {
        id: row.id,
        criteria,
        created_at: row.created_at,
        visited_at: row.visited_at,
        new_offers,
    })
}

/// Saves a search for the caller: at most `MAX_SAVED_SEARCHES`, each once.
pub async fn save_search(
    state: &AppState,
    caller: &CurrentUser,
    body: JsonBody<SearchCriteria>,
) -> ApiResult<SavedSearchView> {
    let criteria = body.read()?.parse()?;
    let text = serde_json::to_string(&criteria).map_err(anyhow::Error::from)?;
    let now = visit_moment();
    let txn = crate::db::begin_write(&state.db).await?;
    super::appointments::lock_person(&txn, caller.id()).await?;
    let kept = saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(caller.id()))
        .count(&txn)
        .await?;
    if kept >= MAX_SAVED_SEARCHES as u64 {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::SAVED_SEARCH_TOO_MANY,
            message: format!("at most {MAX_SAVED_SEARCHES} saved searches: delete one first"),
        });
    }
    let row = saved_search::ActiveModel {
        user_id: Set(caller.id()),
        criteria: Set(text),
        created_at: Set(now),
        visited_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .on_unique_violation(
        "",
        codes::SAVED_SEARCH_EXISTS,
        "this search is already saved",
    )?;
    txn.commit().await?;
    search_view(state, row).await
}

/// The caller's saved searches (at most `MAX_SAVED_SEARCHES`), the latest first, each with
/// its new offers.
pub async fn saved_searches(
    state: &AppState,
    caller: &CurrentUser,
) -> ApiResult<Vec<SavedSearchView>> {
    let rows = saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(caller.id()))
        .order_by_desc(saved_search::Column::Id)
        .limit(MAX_SAVED_SEARCHES as u64)
        .all(&state.db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(search_view(state, row).await?);
    }
    Ok(views)
}

async fn own_search(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<saved_search::Model> {
    saved_search::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|s| s.user_id == caller.id())
        .ok_or(ApiError::NotFound)
}

/// She opens saved search `id`: what was new is no longer.
pub async fn visit_search(
    state: &AppState,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<SavedSearchView> {
    let found = own_search(state, caller, id).await?;
    let mut row: saved_search::ActiveModel = found.into();
    row.visited_at = Set(visit_moment());
    let row = row.update(&state.db).await?;
    search_view(state, row).await
}

/// Deletes saved search `id`.
pub async fn delete_search(state: &AppState, caller: &CurrentUser, id: i64) -> ApiResult<()> {
    own_search(state, caller, id)
        .await?
        .delete(&state.db)
        .await?;
    Ok(())
}
