//! Career centers and their satellite sites.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::double_option;
use crate::codes;
use crate::domain::{MAX_LINE, optional_line, required_line};
use crate::validation::FieldErrors;

/// A career center, hosted by an institution, with the rooms it runs elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CenterView {
    pub id: i64,
    pub name: String,
    /// The university or institute that hosts the center.
    pub host_institution: String,
    pub address: Option<String>,
    pub city: String,
    pub region_code: String,
    pub region_name_fr: String,
    pub region_name_ar: String,
    /// Official commune code, when known.
    pub commune_code: Option<String>,
    pub sites: Vec<SiteView>,
    /// How many hours before an appointment's start a youth may still cancel it herself.
    pub cancellation_notice_hours: i32,
    pub created_at: DateTime<Utc>,
}

/// A satellite site: a room the center runs at another institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteView {
    pub id: i64,
    pub name: String,
    pub host_institution: Option<String>,
    pub address: Option<String>,
    pub city: String,
}

/// A new center.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCenterRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub host_institution: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub address: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub city: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 10, pattern = "region"))]
    pub region_code: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 20, pattern = "optional_commune")
    )]
    pub commune_code: Option<String>,
    /// Satellite sites created with the center, in one transaction.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub sites: Vec<CreateSiteRequest>,
}

/// A center that passed the checks that need no database.
#[derive(Debug, Clone)]
pub struct NewCenter {
    pub name: String,
    pub host_institution: String,
    pub address: Option<String>,
    pub city: String,
    pub region_code: String,
    pub commune_code: Option<String>,
    pub sites: Vec<NewSite>,
}

/// The most satellite sites one request may create.
pub const MAX_SITES: usize = 50;

impl CreateCenterRequest {
    pub fn parse(&self) -> Result<NewCenter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_line(&self.name, MAX_LINE));
        let host = errors.check(
            "host_institution",
            required_line(&self.host_institution, MAX_LINE),
        );
        let address = errors.check("address", optional_line(self.address.as_deref(), MAX_LINE));
        let city = errors.check("city", required_line(&self.city, MAX_LINE));
        let region = errors.check("region_code", required_line(&self.region_code, 10));
        let commune = errors.check(
            "commune_code",
            optional_line(self.commune_code.as_deref(), 20),
        );
        if self.sites.len() > MAX_SITES {
            errors.push(
                "sites",
                codes::TOO_MANY,
                format!("at most {MAX_SITES} sites"),
            );
        }
        let sites: Vec<_> = self
            .sites
            .iter()
            .enumerate()
            .filter_map(|(i, site)| site.parse_into(&mut errors, &format!("sites[{i}].")))
            .collect();
        errors.finish(|| NewCenter {
            name: name.expect("checked"),
            host_institution: host.expect("checked"),
            address: address.expect("checked"),
            city: city.expect("checked"),
            region_code: region.expect("checked"),
            commune_code: commune.expect("checked"),
            sites,
        })
    }
}

/// Changes to a center. Absent fields stay; `null` clears an optional one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCenterRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub host_institution: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub address: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub city: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10, pattern = "region"))]
    pub region_code: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 20, pattern = "optional_commune")
    )]
    pub commune_code: Option<Option<String>>,
    /// How many hours before an appointment's start a youth may still cancel it herself (0 to
    /// 168; 24 for a new center).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 168))]
    pub cancellation_notice_hours: Option<i32>,
}

/// Parsed changes to a center; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct CenterChanges {
    pub name: Option<String>,
    pub host_institution: Option<String>,
    pub address: Option<Option<String>>,
    pub city: Option<String>,
    pub region_code: Option<String>,
    pub commune_code: Option<Option<String>>,
    pub cancellation_notice_hours: Option<i32>,
}

impl UpdateCenterRequest {
    pub fn parse(&self) -> Result<CenterChanges, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut line = |field: &str, raw: &Option<String>, max| {
            raw.as_deref()
                .and_then(|r| errors.check(field, required_line(r, max)))
        };
        let name = line("name", &self.name, MAX_LINE);
        let host_institution = line("host_institution", &self.host_institution, MAX_LINE);
        let city = line("city", &self.city, MAX_LINE);
        let region_code = line("region_code", &self.region_code, 10);
        let address = self.address.as_ref().map(|a| {
            errors
                .check("address", optional_line(a.as_deref(), MAX_LINE))
                .flatten()
        });
        let commune_code = self.commune_code.as_ref().map(|c| {
            errors
                .check("commune_code", optional_line(c.as_deref(), 20))
                .flatten()
        });
        let cancellation_notice_hours = self.cancellation_notice_hours.and_then(|h| {
            errors.check(
                "cancellation_notice_hours",
                crate::dto::appointments::parse_notice_hours(h),
            )
        });
        errors.finish(|| CenterChanges {
            name,
            host_institution,
            address,
            city,
            region_code,
            commune_code,
            cancellation_notice_hours,
        })
    }
}

/// A new satellite site.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSiteRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub host_institution: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub address: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub city: String,
}

/// A site that passed its checks.
#[derive(Debug, Clone)]
pub struct NewSite {
    pub name: String,
    pub host_institution: Option<String>,
    pub address: Option<String>,
    pub city: String,
}

impl CreateSiteRequest {
    pub fn parse(&self) -> Result<NewSite, FieldErrors> {
        let mut errors = FieldErrors::new();
        let site = self.parse_into(&mut errors, "");
        errors.finish(|| site.expect("checked"))
    }

    fn parse_into(&self, errors: &mut FieldErrors, prefix: &str) -> Option<NewSite> {
        let before = errors.0.len();
        let name = errors.check(
            &format!("{prefix}name"),
            required_line(&self.name, MAX_LINE),
        );
        let host = errors.check(
            &format!("{prefix}host_institution"),
            optional_line(self.host_institution.as_deref(), MAX_LINE),
        );
        let address = errors.check(
            &format!("{prefix}address"),
            optional_line(self.address.as_deref(), MAX_LINE),
        );
        let city = errors.check(
            &format!("{prefix}city"),
            required_line(&self.city, MAX_LINE),
        );
        (errors.0.len() == before).then(|| NewSite {
            name: name.expect("checked"),
            host_institution: host.expect("checked"),
            address: address.expect("checked"),
            city: city.expect("checked"),
        })
    }
}
