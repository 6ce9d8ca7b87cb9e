//! Employers and partner organisations, their members and their API keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::double_option;
use crate::codes;
use crate::domain::{
    ApiScope, Email, MAX_LINE, MAX_TEXT, MembershipRole, OrganizationKind, optional_line,
    optional_text, required_line,
};
use crate::validation::{FieldErrors, Invalid};

/// An organisation as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationView {
    pub id: i64,
    pub name: String,
    pub kind: OrganizationKind,
    pub city: Option<String>,
    pub region_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Set once an admin has checked the organisation is who it says it is. Only verified
    /// organisations may hold API keys.
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A new organisation; its creator becomes its first owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: String,
    pub kind: OrganizationKind,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub city: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 10, pattern = "optional_region")
    )]
    pub region_code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "https://www.example.ma"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub website: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 5000, pattern = "optional_text")
    )]
    pub description: Option<String>,
}

/// An organisation that passed its checks.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub kind: OrganizationKind,
    pub city: Option<String>,
    pub region_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
}

/// An `http` or `https` address, kept as given.
pub fn parse_website(raw: &str) -> Result<String, Invalid> {
    let value = raw.trim();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| Invalid::new(codes::URL_INVALID, "must start with https:// or http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && raw.chars().count() <= 500
    {
        Ok(value.to_owned())
    } else {
        Err(Invalid::new(
            codes::URL_INVALID,
            "must be a web address such as https://www.example.ma",
        ))
    }
}

fn optional_website(raw: Option<&str>) -> Result<Option<String>, Invalid> {
    match raw.filter(|w| !w.trim().is_empty()) {
        Some(w) => parse_website(w).map(Some),
        None => Ok(None),
    }
}

impl CreateOrganizationRequest {
    pub fn parse(&self) -> Result<NewOrganization, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_line(&self.name, MAX_LINE));
        let city = errors.check("city", optional_line(self.city.as_deref(), MAX_LINE));
        let region_code = errors.check(
            "region_code",
            optional_line(self.region_code.as_deref(), 10),
        );
        let website = errors.check("website", optional_website(self.website.as_deref()));
        let description = errors.check(
            "description",
            optional_text(self.description.as_deref(), MAX_TEXT),
        );
        errors.finish(|| NewOrganization {
            name: name.expect("checked"),
            kind: self.kind,
            city: city.expect("checked"),
            region_code: region_code.expect("checked"),
            website: website.expect("checked"),
            description: description.expect("checked"),
        })
    }
}

/// Changes to an organisation. Absent fields stay; `null` clears an optional one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<OrganizationKind>,
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
    pub city: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 10, pattern = "optional_region")
    )]
    pub region_code: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "optional_website")
    )]
    pub website: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 5000, pattern = "optional_text")
    )]
    pub description: Option<Option<String>>,
}

/// Parsed changes to an organisation; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub city: Option<Option<String>>,
    pub region_code: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

impl UpdateOrganizationRequest {
    pub fn parse(&self) -> Result<OrganizationChanges, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self
            .name
            .as_deref()
            .and_then(|n| errors.check("name", required_line(n, MAX_LINE)));
        let city = self.city.as_ref().map(|c| {
            errors
                .check("city", optional_line(c.as_deref(), MAX_LINE))
                .flatten()
        });
        let region_code = self.region_code.as_ref().map(|c| {
            errors
                .check("region_code", optional_line(c.as_deref(), 10))
                .flatten()
        });
        let website = self.website.as_ref().map(|w| {
            errors
                .check("website", optional_website(w.as_deref()))
                .flatten()
        });
        let description = self.description.as_ref().map(|d| {
            errors
                .check("description", optional_text(d.as_deref(), MAX_TEXT))
                .flatten()
        });
        errors.finish(|| OrganizationChanges {
            name,
            kind: self.kind,
            city,
            region_code,
            website,
            description,
        })
    }
}

/// Filters of the organisation list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OrganizationListQuery {
    pub kind: Option<OrganizationKind>,
    /// `true` for verified organisations only, `false` for those awaiting verification.
    pub verified: Option<bool>,
    /// Words that begin words of the name, in any case, with or without accents or Arabic
    /// hamza forms and diacritics.
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[cfg_attr(feature = "openapi", param(pattern = "id_cursor"))]
    pub cursor: Option<String>,
}

/// A member of an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: MembershipRole,
    pub joined_at: DateTime<Utc>,
}

/// Invites an e-mail address into the organisation. The invitee joins only by accepting; the
/// answer is the same whether or not the address has an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvitationRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "collegue@rabat-interim.ma", max_length = 254)
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 254, pattern = "email"))]
    pub email: String,
    /// `member` (default) or `owner`.
    #[serde(default)]
    pub role: Option<MembershipRole>,
}

impl CreateInvitationRequest {
    pub fn parse(&self) -> Result<(Email, MembershipRole), FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        errors.finish(|| {
            (
                email.expect("checked"),
                self.role.unwrap_or(MembershipRole::Member),
            )
        })
    }
}

/// A pending invitation, as its organisation's owners see it: the address they typed, nothing
/// about any account behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: i64,
    pub organization_id: i64,
    pub email: String,
    pub role: MembershipRole,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An invitation as its invitee sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceivedInvitation {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub organization_kind: OrganizationKind,
    pub role: MembershipRole,
    /// The name of the owner who invited, when that account still exists.
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// An API key as listed: never its secret, which is shown once at creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// The key's public start, to recognise it in logs and lists, e.g. `cc_3f9a1b2c`.
    pub prefix: String,
    pub scopes: Vec<ApiScope>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the key stops working; `null`: until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new API key for server-to-server calls.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "ATS export".
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub scopes: Vec<ApiScope>,
    /// When the key stops working (RFC 3339, in the future, within five years); omitted, it
    /// works until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The furthest an API key's expiry may be set.
pub const MAX_API_KEY_DAYS: i64 = 5 * 366;

/// A key checked: its name, its scopes (sorted, once each) and its expiry.
pub type NewApiKey = (String, Vec<ApiScope>, Option<DateTime<Utc>>);

impl CreateApiKeyRequest {
    /// Checks the request as of `now`, which the caller supplies (this crate reads no clock).
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewApiKey, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_line(&self.name, MAX_LINE));
        let mut scopes = self.scopes.clone();
        scopes.sort_by_key(|s| s.as_str());
        scopes.dedup();
        if scopes.is_empty() {
            errors.push("scopes", codes::REQUIRED, "give the key at least one scope");
        }
        if let Some(expires_at) = self.expires_at {
            if expires_at <= now {
                errors.push(
                    "expires_at",
                    codes::DATE_NOT_FUTURE,
                    "must be in the future",
                );
            } else if expires_at > now + chrono::Duration::days(MAX_API_KEY_DAYS) {
                errors.push(
                    "expires_at",
                    codes::DATE_TOO_FAR,
                    "must be within five years",
                );
            }
        }
        errors.finish(|| (name.expect("checked"), scopes, self.expires_at))
    }
}

/// The created key, with its secret. The secret is shown this once and stored only hashed:
/// whoever loses it revokes the key and creates another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKeyView,
    /// The full key, to send as `X-API-Key`.
    pub secret: String,
}
