//! Morocco's administrative divisions (HCP, RGPH 2024).

use serde::{Deserialize, Serialize};

/// One of the 12 regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionView {
    /// Official two-digit code, e.g. `06` for Casablanca-Settat.
    #[cfg_attr(feature = "openapi", schema(example = "06"))]
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    /// Population at the 2024 census.
    pub population: i64,
}

/// A commune (urban or rural municipality).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuneView {
    /// Official code, e.g. `06.141.01.0`.
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    /// `urban` or `rural`.
    pub kind: String,
    pub region_code: String,
    pub province_code: String,
    pub province_name_fr: String,
    pub province_name_ar: String,
    pub population: i64,
}

/// Filters of the commune list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CommuneListQuery {
    /// Region code.
    pub region: Option<String>,
    /// Words that begin words of the French or Arabic name ("casa", "fes", "الدار البيضاء"), in
    /// any case, with or without accents or Arabic hamza forms and diacritics.
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then up to 64 hex pairs).
    #[cfg_attr(feature = "openapi", param(pattern = "code_cursor"))]
    pub cursor: Option<String>,
}
