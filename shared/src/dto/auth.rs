//! Registration, login and session bodies.

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::domain::{
    EducationLevel, Email, Locale, MAX_LINE, Password, Role, Sex, optional_line, parse_birth_year,
    parse_phone, required_line,
};
use crate::validation::FieldErrors;

/// The roles one may register as; counselors and admins are created by an admin. (The spec's
/// name for the `role` of a registration.)
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum SelfServiceRole {
    Youth,
    Employer,
    Partner,
}

/// Self-registration. Youths register themselves; so do staff of employers and partner
/// organisations, who then create or join their organisation. Counselors and admins are
/// created by an admin, never through this door.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "amina@example.ma", max_length = 254)
    )]
    #[cfg_attr(feature = "openapi", schema(pattern = "email"))]
    pub email: String,
    /// 10 to 128 characters mixing letters (of any script) with digits or symbols, and not a
    /// common password.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "tajine-au-citron-7", min_length = 10, max_length = 128)
    )]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(example = "Amina", max_length = 200))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = "line"))]
    pub first_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "El Idrissi", max_length = 200))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = "line"))]
    pub last_name: String,
    /// `youth` (default), `employer` or `partner`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SelfServiceRole>))]
    pub role: Option<Role>,
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

/// A registration that passed every check.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub profile: Profile,
}

/// The personal details a user keeps on the platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub locale: Locale,
    pub birth_year: Option<i32>,
    pub sex: Option<Sex>,
    pub city: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub field_of_study: Option<String>,
    pub phone: Option<String>,
}

impl RegisterRequest {
    pub fn parse(&self, current_year: i32) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        let password = errors.check("password", Password::parse(&self.password));
        let role = self.role.unwrap_or(Role::Youth);
        if !matches!(role, Role::Youth | Role::Employer | Role::Partner) {
            errors.push(
                "role",
                codes::ROLE_NOT_SELF_SERVICE,
                "must be youth, employer or partner",
            );
        }
        let profile = parse_profile(&mut errors, &profile_fields!(self), current_year);
        errors.finish(|| NewAccount {
            email: email.expect("checked"),
            password: password.expect("checked"),
            role,
            profile: profile.expect("checked"),
        })
    }
}

/// Borrows the profile fields of any request that has them (registration, account creation).
macro_rules! profile_fields {
    ($request:expr) => {
        $crate::dto::auth::ProfileFields {
            first_name: &$request.first_name,
            last_name: &$request.last_name,
            locale: $request.locale,
            birth_year: $request.birth_year,
            sex: $request.sex,
            city: $request.city.as_deref(),
            education_level: $request.education_level,
            field_of_study: $request.field_of_study.as_deref(),
            phone: $request.phone.as_deref(),
        }
    };
}
pub(crate) use profile_fields;

/// Borrowed profile fields, so registration and account creation share one parser.
pub struct ProfileFields<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub locale: Option<Locale>,
    pub birth_year: Option<i32>,
    pub sex: Option<Sex>,
    pub city: Option<&'a str>,
    pub education_level: Option<EducationLevel>,
    pub field_of_study: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// Parses profile fields into `errors`; `None` when any was refused.
pub fn parse_profile(
    errors: &mut FieldErrors,
    fields: &ProfileFields<'_>,
    current_year: i32,
) -> Option<Profile> {
    let before = errors.0.len();
    let first_name = errors.check("first_name", required_line(fields.first_name, MAX_LINE));
    let last_name = errors.check("last_name", required_line(fields.last_name, MAX_LINE));
    let birth_year = fields
        .birth_year
        .and_then(|year| errors.check("birth_year", parse_birth_year(year, current_year)));
    let city = errors
        .check("city", optional_line(fields.city, MAX_LINE))
        .flatten();
    let field_of_study = errors
        .check(
            "field_of_study",
            optional_line(fields.field_of_study, MAX_LINE),
        )
        .flatten();
    let phone = match fields.phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(raw) => errors.check("phone", parse_phone(raw)),
        None => None,
    };
    (errors.0.len() == before).then(|| Profile {
        first_name: first_name.expect("checked"),
        last_name: last_name.expect("checked"),
        locale: fields.locale.unwrap_or_default(),
        birth_year,
        sex: fields.sex,
        city,
        education_level: fields.education_level,
        field_of_study,
        phone,
    })
}

/// E-mail and password login.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(example = "amina@example.ma"))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(example = "tajine-au-citron-7"))]
    pub password: String,
    /// When true (the web app), the refresh token is set as an HttpOnly cookie and left out
    /// of the body, so page scripts can never read it.
    #[serde(default)]
    pub refresh_in_cookie: bool,
}

/// Exchange of a refresh token for a new pair. The token comes from this body or, for the
/// web app, from the HttpOnly cookie.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Issued tokens. The access token goes in `Authorization: Bearer …` and expires after
/// `expires_in` seconds; the refresh token (absent when it went into the cookie) is single-use.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Password change by the signed-in user. Every other session is closed afterwards.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub current_password: String,
    /// 10 to 128 characters mixing letters (of any script) with digits or symbols, and not a
    /// common password.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub new_password: String,
    /// As at login: the web app asks for the new refresh token in the HttpOnly cookie.
    #[serde(default)]
    pub refresh_in_cookie: bool,
}

impl ChangePasswordRequest {
    pub fn parse(&self) -> Result<Password, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.current_password.is_empty() {
            errors.push("current_password", codes::REQUIRED, "is required");
        }
        let password = errors.check("new_password", Password::parse(&self.new_password));
        if password.is_some() && self.new_password == self.current_password {
            errors.push(
                "new_password",
                codes::PASSWORD_UNCHANGED,
                "must differ from the current password",
            );
        }
        errors.finish(|| password.expect("checked"))
    }
}

/// Asks for a password-reset link. The answer is the same whether or not an account uses the
/// address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "amina@example.ma", max_length = 254)
    )]
    #[cfg_attr(feature = "openapi", schema(pattern = "email"))]
    pub email: String,
}

impl PasswordResetRequest {
    pub fn parse(&self) -> Result<Email, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        errors.finish(|| email.expect("checked"))
    }
}

/// The longest token a link carries (ours are 64 hexadecimal characters).
pub const MAX_TOKEN: usize = 128;

fn check_token(errors: &mut FieldErrors, token: &str) {
    if token.trim().is_empty() {
        errors.push("token", codes::REQUIRED, "is required");
    } else if token.len() > MAX_TOKEN {
        errors.push(
            "token",
            codes::TOKEN_INVALID,
            "this link is invalid, used or expired",
        );
    }
}

/// A new password chosen through the link of a reset e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmation {
    /// The token from the link (after `#token=`).
    #[cfg_attr(feature = "openapi", schema(pattern = "token"))]
    pub token: String,
    /// 10 to 128 characters mixing letters (of any script) with digits or symbols, and not a
    /// common password.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "tajine-au-citron-7", min_length = 10, max_length = 128)
    )]
    pub new_password: String,
}

impl PasswordResetConfirmation {
    pub fn parse(&self) -> Result<(String, Password), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_token(&mut errors, &self.token);
        let password = errors.check("new_password", Password::parse(&self.new_password));
        errors.finish(|| (self.token.trim().to_owned(), password.expect("checked")))
    }
}

/// A single-use token from an e-mail's link: address verification, invitation acceptance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the link (after `#token=`).
    #[cfg_attr(feature = "openapi", schema(pattern = "token"))]
    pub token: String,
}

impl TokenRequest {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_token(&mut errors, &self.token);
        errors.finish(|| self.token.trim().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RegisterRequest {
        serde_json::from_value(serde_json::json!({
            "email": "Amina@Example.ma",
            "password": "tajine-au-citron-7",
            "first_name": " Amina ",
            "last_name": "El Idrissi",
            "phone": "06 12 34 56 78",
            "birth_year": 2003
        }))
        .unwrap()
    }

    #[test]
    fn a_complete_registration_parses_into_a_youth() {
        let account = request().parse(2026).unwrap();
        assert_eq!(account.role, Role::Youth);
        assert_eq!(account.email.as_str(), "amina@example.ma");
        assert_eq!(account.profile.first_name, "Amina");
        assert_eq!(account.profile.phone.as_deref(), Some("+212612345678"));
        assert_eq!(account.profile.locale, Locale::Fr);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = request();
        bad.email = "nope".into();
        bad.password = "short".into();
        bad.first_name = "  ".into();
        bad.role = Some(Role::Admin);
        let errors = bad.parse(2026).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password", "role", "first_name"]);
    }

    #[test]
    fn a_reset_needs_a_token_and_a_strong_password() {
        let bad = PasswordResetConfirmation {
            token: " ".into(),
            new_password: "short".into(),
        };
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(fields, ["required", "password.too_short"]);
        let good = PasswordResetConfirmation {
            token: " abc ".into(),
            new_password: "tajine-au-citron-7".into(),
        };
        assert_eq!(good.parse().unwrap().0, "abc");
        let long = TokenRequest {
            token: "x".repeat(MAX_TOKEN + 1),
        };
        assert_eq!(long.parse().unwrap_err().0[0].code, "token.invalid");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let result = serde_json::from_value::<RegisterRequest>(serde_json::json!({
            "email": "a@b.ma", "password": "x", "first_name": "a", "last_name": "b", "is_admin": true
        }));
        assert!(result.is_err());
    }
}
