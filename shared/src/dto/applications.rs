//! Applications to offers. A youth applies inside the platform (her message and a snapshot of
//! her profile as it stood go to the employer) when the offer takes applications here, or
//! follows the offer's link to its source, which the platform records as an outbound
//! application. The employer's members and keys move in-platform applications through the
//! pipeline (received, shortlisted, interview, rejected, hired); the youth sees each status and
//! may withdraw until a decision.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    ApplicationChannel, ApplicationStatus, EducationLevel, OfferStatus, optional_text,
};
use crate::validation::FieldErrors;

/// The longest message of an application.
pub const MAX_MESSAGE: usize = 2000;

/// A youth's application inside the platform.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// A few lines to the employer: why her, when she is free.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub message: Option<String>,
}

impl ApplyRequest {
    /// The message, trimmed (`None` when blank).
    pub fn parse(&self) -> Result<Option<String>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let message = errors
            .check(
                "message",
                optional_text(self.message.as_deref(), MAX_MESSAGE),
            )
            .flatten();
        errors.finish(|| message)
    }
}

/// The employer's move of an application.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveApplicationRequest {
    /// `shortlisted`, `interview`, `rejected` or `hired`.
    pub status: ApplicationStatus,
}

/// The youth's profile as it stood when she applied: what the employer reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantProfile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// International form, `+212…`.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub education_level: Option<EducationLevel>,
    #[serde(default)]
    pub field_of_study: Option<String>,
    /// The Holland code of her latest orientation result (`SEC`…), if she took the inventory.
    #[serde(default)]
    pub holland_code: Option<String>,
}

/// An application, as its youth and the offer's employer read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub id: i64,
    pub offer_id: i64,
    pub offer_title: String,
    pub employer_name: String,
    /// The offer's status now (an application outlives its offer).
    pub offer_status: OfferStatus,
    pub channel: ApplicationChannel,
    /// Where it stands; `null` for an outbound application (the source decides, the platform
    /// does not know).
    pub status: Option<ApplicationStatus>,
    pub message: Option<String>,
    /// The snapshot sent with an in-platform application; `null` for an outbound one.
    pub profile: Option<ApplicantProfile>,
    pub created_at: DateTime<Utc>,
    /// When its status last changed (its creation until then).
    pub status_changed_at: DateTime<Utc>,
}

/// Where to apply at the source, once the platform recorded that she went.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboundView {
    /// The offer's original link.
    pub url: String,
    pub application: ApplicationView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_message_is_none_and_a_long_one_refused() {
        let blank = ApplyRequest {
            message: Some("  \n ".into()),
        };
        assert_eq!(blank.parse().unwrap(), None);
        let long = ApplyRequest {
            message: Some("a".repeat(MAX_MESSAGE + 1)),
        };
        let errors = long.parse().unwrap_err();
        assert_eq!(errors.0[0].field, "message");
    }

    #[test]
    fn employers_never_undo_a_withdrawal_and_youths_never_a_decision() {
        use ApplicationStatus::*;
        assert!(Received.employer_may_move_to(Shortlisted));
        assert!(Rejected.employer_may_move_to(Interview));
        assert!(!Withdrawn.employer_may_move_to(Shortlisted));
        assert!(!Shortlisted.employer_may_move_to(Received));
        assert!(!Interview.employer_may_move_to(Withdrawn));
        assert!(Interview.youth_may_withdraw());
        assert!(!Hired.youth_may_withdraw());
        assert!(!Rejected.youth_may_withdraw());
    }
}
