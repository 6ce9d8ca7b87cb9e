//! Regions and communes: the reference every address, center and offer location points to.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::Page;
use shared::dto::geo::{CommuneListQuery, CommuneView, RegionView};

use super::pagination;
use super::search::words_in;
use crate::entities::{commune, province, region};
use crate::error::{ApiError, ApiResult};

pub async fn regions(db: &impl ConnectionTrait) -> ApiResult<Vec<RegionView>> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RegionView {
            code: r.code,
            name_fr: r.name_fr,
            name_ar: r.name_ar,
            population: r.population,
        })
        .collect())
}

pub async fn region(db: &impl ConnectionTrait, code: &str) -> ApiResult<Option<region::Model>> {
    Ok(region::Entity::find_by_id(code.to_owned()).one(db).await?)
}

/// A 422 on `field` unless `code` is a known region.
pub async fn ensure_region(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> ApiResult<region::Model> {
    region(db, code).await?.ok_or_else(|| {
        ApiError::field(
            field,
            "region.unknown",
            "is not a region code (see /api/v1/regions)",
        )
    })
}

/// A 422 on `field` unless `code` is a commune of `region_code`.
pub async fn ensure_commune(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
    region_code: &str,
) -> ApiResult<()> {
    match commune::Entity::find_by_id(code.to_owned()).one(db).await? {
        Some(c) if c.region_code == region_code => Ok(()),
        Some(_) => Err(ApiError::field(
            field,
            "commune.other_region",
            "this commune is in another region",
        )),
        None => Err(ApiError::field(
            field,
            "commune.unknown",
            "is not a commune code (see /api/v1/communes)",
        )),
    }
}

pub async fn communes(
    db: &impl ConnectionTrait,
    query: &CommuneListQuery,
) -> ApiResult<Page<CommuneView>> {
    let mut filter = Condition::all();
    if let Some(region) = query.region.as_deref() {
        filter = filter.add(commune::Column::RegionCode.eq(region));
    }
    if let Some(words) = query
        .q
        .as_deref()
        .and_then(|q| words_in(commune::Column::SearchKey, q))
    {
        filter = filter.add(words);
    }
    if let Some(after) = pagination::decode_key(query.cursor.as_deref())? {
        filter = filter.add(commune::Column::Code.gt(after));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = commune::Entity::find()
        .filter(filter)
        .order_by_asc(commune::Column::Code)
        .limit(limit + 1)
        .all(db)
        .await?;
    let province_codes: Vec<String> = rows.iter().map(|c| c.province_code.clone()).collect();
    let provinces = province::Entity::find()
        .filter(province::Column::Code.is_in(province_codes))
        .all(db)
        .await?;
    Ok(pagination::page(
        rows,
        limit,
        |c| c.code.clone(),
        |c| CommuneView {
            province_name_fr: provinces
                .iter()
                .find(|p| p.code == c.province_code)
                .map(|p| p.name_fr.clone())
                .unwrap_or_default(),
            code: c.code,
            name_fr: c.name_fr,
            name_ar: c.name_ar,
            kind: c.kind,
            region_code: c.region_code,
            province_code: c.province_code,
            population: c.population,
        },
    ))
}
