//! Career centers and their satellite sites. Anyone may read them; admins change them.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use shared::dto::Page;
use shared::dto::centers::{
    CenterView, CreateCenterRequest, CreateSiteRequest, NewSite, SiteView, UpdateCenterRequest,
};
use shared::{EventStatus, Role, SlotStatus, codes};

use super::audit::{self, Actor};
use super::search::words_in;
use super::{geo, pagination};
use crate::auth::CurrentUser;
use crate::entities::{appointment_slot, center, center_site, event, region};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;

/// Query of the center list.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CenterListQuery {
    /// Region code.
    pub region: Option<String>,
    /// Words that begin words of the center's name, host institution or city, in any case,
    /// with or without accents or Arabic hamza forms and diacritics ("universite cadi").
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[param(pattern = "id_cursor")]
    pub cursor: Option<String>,
}

fn site_view(site: center_site::Model) -> SiteView {
    SiteView {
        id: site.id,
        name: site.name,
        host_institution: site.host_institution,
        address: site.address,
        city: site.city,
    }
}

async fn views(
    db: &impl ConnectionTrait,
    centers: Vec<center::Model>,
) -> ApiResult<Vec<CenterView>> {
    let ids: Vec<i64> = centers.iter().map(|c| c.id).collect();
    let mut sites = center_site::Entity::find()
        .filter(center_site::Column::CenterId.is_in(ids))
        .order_by_asc(center_site::Column::Id)
        .all(db)
        .await?;
    let regions = region::Entity::find().all(db).await?;
    Ok(centers
        .into_iter()
        .map(|c| {
            let region = regions.iter().find(|r| r.code == c.region_code);
            let (own, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut sites)
                .into_iter()
                .partition(|s| s.center_id == c.id);
            sites = rest;
            CenterView {
                id: c.id,
                name: c.name,
                host_institution: c.host_institution,
                address: c.address,
                city: c.city,
                region_name_fr: region.map(|r| r.name_fr.clone()).unwrap_or_default(),
                region_name_ar: region.map(|r| r.name_ar.clone()).unwrap_or_default(),
                region_code: c.region_code,
                commune_code: c.commune_code,
                sites: own.into_iter().map(site_view).collect(),
                cancellation_notice_hours: c.cancellation_notice_hours,
                created_at: c.created_at,
            }
        })
        .collect())
}

pub async fn list(
    db: &impl ConnectionTrait,
    query: &CenterListQuery,
) -> ApiResult<Page<CenterView>> {
    let mut select = center::Entity::find();
    if let Some(region) = query.region.as_deref() {
        select = select.filter(center::Column::RegionCode.eq(region));
    }
    if let Some(words) = query
        .q
        .as_deref()
        .and_then(|q| words_in(center::Column::SearchText, q))
    {
        select = select.filter(words);
    }
    if let Some(after) = pagination::decode(query.cursor.as_deref())? {
        select = select.filter(center::Column::Id.gt(after));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = select
        .order_by_asc(center::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let page = pagination::page(rows, limit, |c| c.id, |c| c);
    Ok(Page {
        items: views(db, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<CenterView> {
    let found = center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(views(db, vec![found]).await?.remove(0))
}

async fn insert_site(
    db: &impl ConnectionTrait,
    center_id: i64,
    site: NewSite,
) -> ApiResult<center_site::Model> {
    Ok(center_site::ActiveModel {
        id: NotSet,
        center_id: Set(center_id),
        name: Set(site.name),
        host_institution: Set(site.host_institution),
        address: Set(site.address),
        city: Set(site.city),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?)
}

/// Creates a center and its sites (admins).
pub async fn create(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    body: JsonBody<CreateCenterRequest>,
) -> ApiResult<CenterView> {
    caller.require(&[Role::Admin])?;
    insert(db, Actor::User(caller.id()), &body.read()?).await
}

/// Creates a center and its sites in one transaction, for whoever the caller has vetted
/// (an admin through [`create`]).
async fn insert(
    db: &DatabaseConnection,
    actor: Actor,
    request: &CreateCenterRequest,
) -> ApiResult<CenterView> {
    let txn = crate::db::begin_write(db).await?;
    let id = insert_in(&txn, actor, request).await?;
    txn.commit().await?;
    get(db, id).await
}

/// Creates a center and its sites inside `txn` (the seed's, or [`insert`]'s); its id.
pub async fn insert_in(
    txn: &DatabaseTransaction,
    actor: Actor,
    request: &CreateCenterRequest,
) -> ApiResult<i64> {
    let new = request.parse()?;
    geo::ensure_region(txn, "region_code", &new.region_code).await?;
    if let Some(commune) = &new.commune_code {
        geo::ensure_commune(txn, "commune_code", commune, &new.region_code).await?;
    }
    let now = Utc::now();
    let created = center::ActiveModel {
        id: NotSet,
        name: Set(new.name),
        host_institution: Set(new.host_institution),
        address: Set(new.address),
        city: Set(new.city),
        region_code: Set(new.region_code),
        commune_code: Set(new.commune_code),
        created_at: Set(now),
        updated_at: Set(now),
        search_text: NotSet,
        cancellation_notice_hours: Set(shared::dto::appointments::DEFAULT_NOTICE_HOURS),
    }
    .insert(txn)
    .await?;
    for site in new.sites {
        insert_site(txn, created.id, site).await?;
    }
    audit::record(
        txn,
        actor,
        "center.create",
        "center",
        created.id,
        json!({"name": created.name}),
    )
    .await?;
    Ok(created.id)
}

/// Edits a center (admins).
pub async fn update(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<UpdateCenterRequest>,
) -> ApiResult<CenterView> {
    caller.require(&[Role::Admin])?;
    let actor = Actor::User(caller.id());
    let request = &body.read()?;
    let changes = request.parse()?;
    let current = center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let region_code = changes
        .region_code
        .clone()
        .unwrap_or_else(|| current.region_code.clone());
    geo::ensure_region(db, "region_code", &region_code).await?;
    let commune_code = changes
        .commune_code
        .clone()
        .unwrap_or_else(|| current.commune_code.clone());
    if let Some(commune) = &commune_code {
        geo::ensure_commune(db, "commune_code", commune, &region_code).await?;
    }
    let txn = crate::db::begin_write(db).await?;
    let mut active: center::ActiveModel = current.into();
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(host) = changes.host_institution {
        active.host_institution = Set(host);
    }
    if let Some(address) = changes.address {
        active.address = Set(address);
    }
    if let Some(city) = changes.city {
        active.city = Set(city);
    }
    if let Some(hours) = changes.cancellation_notice_hours {
        active.cancellation_notice_hours = Set(hours);
    }
    active.region_code = Set(region_code);
    active.commune_code = Set(commune_code);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "center.update",
        "center",
        id,
        serde_json::to_value(request).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    get(db, id).await
}

/// Adds a satellite site to a center (admins).
pub async fn add_site(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    center_id: i64,
    body: JsonBody<CreateSiteRequest>,
) -> ApiResult<SiteView> {
    caller.require(&[Role::Admin])?;
    let actor = Actor::User(caller.id());
    let site = body.read()?.parse()?;
    center::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let txn = crate::db::begin_write(db).await?;
    let created = insert_site(&txn, center_id, site).await?;
    audit::record(
        &txn,
        actor,
        "center.site.create",
        "center_site",
        created.id,
        json!({"center_id": center_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(site_view(created))
}

/// Removes a satellite site (admins).
pub async fn remove_site(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    center_id: i64,
    site_id: i64,
) -> ApiResult<()> {
    caller.require(&[Role::Admin])?;
    let actor = Actor::User(caller.id());
    let txn = crate::db::begin_write(db).await?;
    // Not while an event not yet over or a slot to come takes place there: their youths would
    // silently be sent to the center instead. Those are moved or withdrawn first.
    let now = Utc::now();
    let events = event::Entity::find()
        .filter(event::Column::SiteId.eq(site_id))
        .filter(event::Column::EndsAt.gt(now))
        .filter(
            event::Column::Status
                .is_in([EventStatus::Draft.as_str(), EventStatus::Published.as_str()]),
        )
        .count(&txn)
        .await?;
    let slots = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::SiteId.eq(site_id))
        .filter(appointment_slot::Column::StartsAt.gt(now))
        .filter(appointment_slot::Column::Status.eq(SlotStatus::Open.as_str()))
        .count(&txn)
        .await?;
    if events + slots > 0
        && center_site::Entity::find_by_id(site_id)
            .one(&txn)
            .await?
            .is_some_and(|s| s.center_id == center_id)
    {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::SITE_IN_USE,
            message: format!(
                "{events} event(s) to come and {slots} appointment slot(s) take place at this site: move or withdraw them first"
            ),
        });
    }
    let deleted = center_site::Entity::delete_many()
        .filter(center_site::Column::Id.eq(site_id))
        .filter(center_site::Column::CenterId.eq(center_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &txn,
        actor,
        "center.site.delete",
        "center_site",
        site_id,
        json!({"center_id": center_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
