//! User accounts as the API shows them, and the bodies that change them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::auth::{Profile, parse_profile, profile_fields};
use super::double_option;
use crate::codes;
use crate::domain::{
    EducationLevel, Email, Locale, MAX_LINE, Password, Role, Sex, optional_line, parse_birth_year,
    parse_phone, required_line,
};
use crate::validation::FieldErrors;

/// A user as the API returns it. The password hash never leaves the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
    /// The center a counselor works at, or a youth is followed by.
    pub center_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub birth_year: Option<i32>,
    pub sex: Option<Sex>,
    pub city: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub field_of_study: Option<String>,
    /// International form, `+212…`.
    pub phone: Option<String>,
    /// Deactivated accounts cannot log in; their history is kept.
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    /// When the user proved the address is theirs by a link sent there; `null` until then.
    /// The account works before; staff see who is verified.
    #[serde(default)]
    pub email_verified_at: Option<DateTime<Utc>>,
    /// How many of her notices she has not read: only in the answers of `/me`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_notices: Option<u32>,
}

/// Changes to one's own profile. Absent fields stay as they are; `null` clears an optional one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub first_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub last_name: Option<String>,
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    /// Year of birth, from this year − 100 to this year − 12 (the spec the server serves at
    /// `/api-docs/openapi.json` states this year's numbers).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub birth_year: Option<Option<i32>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Sex>))]
    pub sex: Option<Option<Sex>>,
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<EducationLevel>))]
    pub education_level: Option<Option<EducationLevel>>,
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
    pub field_of_study: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "openapi", schema(pattern = "optional_phone"))]
    pub phone: Option<Option<String>>,
}

impl UpdateProfileRequest {
    /// Applies the changes to `current`, returning the new profile or every refused field.
    pub fn apply(&self, current: &Profile, current_year: i32) -> Result<Profile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut next = current.clone();
        if let Some(raw) = &self.first_name
            && let Some(v) = errors.check("first_name", required_line(raw, MAX_LINE))
        {
            next.first_name = v;
        }
        if let Some(raw) = &self.last_name
            && let Some(v) = errors.check("last_name", required_line(raw, MAX_LINE))
        {
            next.last_name = v;
        }
        if let Some(locale) = self.locale {
            next.locale = locale;
        }
        if let Some(year) = self.birth_year {
            next.birth_year = match year {
                Some(y) => errors.check("birth_year", parse_birth_year(y, current_year)),
                None => None,
            };
        }
        if let Some(sex) = self.sex {
            next.sex = sex;
        }
        if let Some(level) = self.education_level {
            next.education_level = level;
        }
        if let Some(city) = &self.city {
            next.city = errors
                .check("city", optional_line(city.as_deref(), MAX_LINE))
                .flatten();
        }
        if let Some(field) = &self.field_of_study {
            next.field_of_study = errors
                .check("field_of_study", optional_line(field.as_deref(), MAX_LINE))
                .flatten();
        }
        if let Some(phone) = &self.phone {
            next.phone = match phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(raw) => errors.check("phone", parse_phone(raw)),
                None => None,
            };
        }
        errors.finish(|| next)
    }
}

/// An account created by staff: an admin creates any role; a counselor creates youth
/// accounts, in their own center, for youths met in person.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254, pattern = "email"))]
    pub email: String,
    /// Initial password, to be changed by the user.
    /// 10 to 128 characters mixing letters (of any script) with digits or symbols, and not a
    /// common password.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
    pub role: Role,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub first_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "line")
    )]
    pub last_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub center_id: Option<i64>,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Year of birth, from this year − 100 to this year − 12 (the spec the server serves at
    /// `/api-docs/openapi.json` states this year's numbers).
    #[serde(default)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub city: Option<String>,
    #[serde(default)]
    pub education_level: Option<EducationLevel>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "optional_line")
    )]
    pub field_of_study: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "optional_phone"))]
    pub phone: Option<String>,
}

/// A staff-created account that passed every check.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub center_id: Option<i64>,
    pub profile: Profile,
}

impl CreateUserRequest {
    pub fn parse(&self, current_year: i32) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        let password = errors.check("password", Password::parse(&self.password));
        if self.role == Role::Counselor && self.center_id.is_none() {
            errors.push(
                "center_id",
                codes::COUNSELOR_CENTER_REQUIRED,
                "a counselor must belong to a center",
            );
        }
        let profile = parse_profile(&mut errors, &profile_fields!(self), current_year);
        errors.finish(|| NewUser {
            email: email.expect("checked"),
            password: password.expect("checked"),
            role: self.role,
            center_id: self.center_id,
            profile: profile.expect("checked"),
        })
    }
}

/// Administrative changes to an account: role, center, activation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUserRequest {
    #[serde(default)]
    pub role: Option<Role>,
    /// A center id, or `null` to detach the user from their center.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub center_id: Option<Option<i64>>,
    /// `false` deactivates the account and closes its sessions.
    #[serde(default)]
    pub is_active: Option<bool>,
}

/// Filters of the user list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    pub role: Option<Role>,
    pub center_id: Option<i64>,
    pub is_active: Option<bool>,
    /// Words that begin words of the name or e-mail address, in any case, with or without
    /// accents or Arabic hamza forms and diacritics.
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then sixteen hex digits).
    #[cfg_attr(feature = "openapi", param(pattern = "id_cursor"))]
    pub cursor: Option<String>,
}
