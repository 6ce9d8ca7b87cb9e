//! Regions and communes: the reference every address, center and offer location points to.

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use shared::codes;
use shared::dto::geo::{CommuneView, RegionView};

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
            codes::REGION_UNKNOWN,
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
            codes::COMMUNE_OTHER_REGION,
            "this commune is in another region",
        )),
        None => Err(ApiError::field(
            field,
            codes::COMMUNE_UNKNOWN,
            "is not a commune code (see /api/v1/communes)",
        )),
    }
}

/// Every commune as the API shows it, in code order, with its folded names for search.
pub async fn all_communes(db: &impl ConnectionTrait) -> ApiResult<Vec<(String, CommuneView)>> {
    let provinces: std::collections::HashMap<String, province::Model> = province::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let rows = commune::Entity::find()
        .order_by_asc(commune::Column::Code)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let province = provinces.get(&c.province_code);
            let view = CommuneView {
                province_name_fr: province.map(|p| p.name_fr.clone()).unwrap_or_default(),
                province_name_ar: province.map(|p| p.name_ar.clone()).unwrap_or_default(),
                code: c.code,
                name_fr: c.name_fr,
                name_ar: c.name_ar,
                kind: c.kind,
                region_code: c.region_code,
                province_code: c.province_code,
                population: c.population,
            };
            (c.search_key, view)
        })
        .collect())
}
