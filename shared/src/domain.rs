//! Domain values that parse, rather than validate: holding one means it is valid.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::codes;
use crate::validation::Invalid;

/// Upper bound for free-text lines (names, titles). Keeps rows and logs bounded.
pub const MAX_LINE: usize = 200;
/// Upper bound for multi-line free text (descriptions, notes).
pub const MAX_TEXT: usize = 5000;

/// A lower-cased e-mail address with one `@`, a dotted domain and no spaces.
///
/// Deliberately simple: full RFC 5322 accepts addresses no mail provider delivers to, and
/// the only real proof of an address is a message that arrives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        let invalid = || {
            Invalid::new(
                codes::EMAIL_INVALID,
                "must be an e-mail address such as name@example.ma",
            )
        };
        if value.is_empty() {
            return Err(Invalid::new(codes::REQUIRED, "is required"));
        }
        // Lengths count what was sent, in characters, as the spec's `maxLength` does.
        if raw.chars().count() > 254 {
            return Err(Invalid::new(
                codes::TOO_LONG,
                "must be at most 254 characters",
            ));
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        // Internationalised domains travel in their ASCII form (`xn--…`), as mail servers want.
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.chars().count() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if domain_ok && local_ok {
            Ok(Self(value.to_lowercase()))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password good enough to protect a youth's record: 10 to 128 characters, with at least
/// one letter and one digit or symbol, and not one of the passwords every attacker tries first.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// The handful of passwords that fit the length rule yet fall to the first guesses.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "password123",
    "password1234",
    "azerty12345",
    "azertyuiop1",
    "qwerty12345",
    "motdepasse1",
    "motdepasse123",
    "marocmaroc1",
    "morocco2024",
    "iloveyou123",
    "bonjour12345",
    "123456789a",
    "a123456789",
];

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let count = raw.chars().count();
        if count < Self::MIN {
            return Err(Invalid::new(
                codes::PASSWORD_TOO_SHORT,
                format!("must be at least {} characters", Self::MIN),
            ));
        }
        if count > Self::MAX {
            return Err(Invalid::new(
                codes::TOO_LONG,
                format!("must be at most {} characters", Self::MAX),
            ));
        }
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_other = raw.chars().any(|c| !c.is_alphabetic());
        if !has_letter || !has_other {
            return Err(Invalid::new(
                codes::PASSWORD_WEAK,
                "must mix letters with digits or symbols",
            ));
        }
        if COMMON_PASSWORDS.contains(&raw.to_lowercase().as_str()) {
            return Err(Invalid::new(
                codes::PASSWORD_COMMON,
                "is too common; choose another one",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A required single line of text: trimmed, 1 to `max` characters, no control characters.
pub fn required_line(raw: &str, max: usize) -> Result<String, Invalid> {
    within(raw, max)?;
    let value = raw.trim();
    if value.is_empty() {
        return Err(Invalid::new(codes::REQUIRED, "is required"));
    }
    bounded_text(value, max, false)
}

/// An optional line: blank becomes `None`.
pub fn optional_line(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    raw.map_or(Ok(()), |raw| within(raw, max))?;
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded_text(value, max, false).map(Some),
    }
}

/// Optional multi-line text: blank becomes `None`; newlines are allowed.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    raw.map_or(Ok(()), |raw| within(raw, max))?;
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded_text(value, max, true).map(Some),
    }
}

/// Required free text on several lines (a note): blank is refused.
pub fn required_text(raw: &str, max: usize) -> Result<String, Invalid> {
    match optional_text(Some(raw), max)? {
        Some(value) => Ok(value),
        None => Err(Invalid::new(codes::REQUIRED, "is required")),
    }
}

/// At most `max` characters as sent, surrounding spaces included, as the spec's `maxLength`
/// counts them.
fn within(raw: &str, max: usize) -> Result<(), Invalid> {
    if raw.chars().count() > max {
        return Err(Invalid::new(
            codes::TOO_LONG,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

fn bounded_text(value: &str, max: usize, multiline: bool) -> Result<String, Invalid> {
    if value.chars().count() > max {
        return Err(Invalid::new(
            codes::TOO_LONG,
            format!("must be at most {max} characters"),
        ));
    }
    let bad = value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')));
    if bad {
        return Err(Invalid::new(
            codes::INVALID_CHARACTERS,
            "must not contain control characters",
        ));
    }
    Ok(value.to_owned())
}

/// A Moroccan phone number, kept in international form `+212XXXXXXXXX`.
///
/// Accepts the ways people write them: `06 12 34 56 78`, `0612-345678`, `+212 6 12 34 56 78`,
/// `00212612345678`. Mobile (6, 7) and landline (5) prefixes only.
pub fn parse_phone(raw: &str) -> Result<String, Invalid> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = digits.strip_prefix("+212") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix("00212") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_owned()
    } else {
        digits.clone()
    };
    let ok = national.len() == 9
        && national.chars().all(|c| c.is_ascii_digit())
        && matches!(national.as_bytes()[0], b'5' | b'6' | b'7');
    if ok {
        Ok(format!("+212{national}"))
    } else {
        Err(Invalid::new(
            codes::PHONE_INVALID,
            "must be a Moroccan phone number such as 06 12 34 56 78",
        ))
    }
}

/// Birth year of a youth: the programme serves people roughly 15 to 35, but counselors meet
/// older career-changers too, so the bounds are only those of a plausible human age.
pub fn parse_birth_year(year: i32, current_year: i32) -> Result<i32, Invalid> {
    if (current_year - 100..=current_year - 12).contains(&year) {
        Ok(year)
    } else {
        Err(Invalid::new(
            codes::BIRTH_YEAR_OUT_OF_RANGE,
            format!(
                "must be between {} and {}",
                current_year - 100,
                current_year - 12
            ),
        ))
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and serialised spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(raw: &str) -> Result<Self, Invalid> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Invalid::new(
                        $crate::codes::ENUM_UNKNOWN,
                        format!("must be one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }

        // Written by hand: the derive cannot see spellings that come from a macro argument.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Who a user is on the platform; each route declares which roles may call it.
    Role {
        /// A young person using the career center's services.
        Youth => "youth",
        /// Center staff: runs events, follows the youths of their center.
        Counselor => "counselor",
        /// Works for an employer organisation.
        Employer => "employer",
        /// Member of a partner organisation (agency, school, association, federation…).
        Partner => "partner",
        /// Runs the platform.
        Admin => "admin",
    }
}

string_enum! {
    /// Interface language. French is the default; Arabic is written right-to-left.
    #[derive(Default)]
    Locale {
        #[default]
        Fr => "fr",
        Ar => "ar",
        En => "en",
    }
}

string_enum! {
    /// Sex as the programme's indicators report it.
    Sex {
        Female => "female",
        Male => "male",
    }
}

string_enum! {
    /// Highest education level reached, in the Moroccan system's steps.
    EducationLevel {
        /// Primary school or none.
        Primary => "primary",
        /// Collège (lower secondary).
        LowerSecondary => "lower_secondary",
        /// Lycée without the baccalauréat.
        UpperSecondary => "upper_secondary",
        /// Baccalauréat.
        Baccalaureate => "baccalaureate",
        /// Vocational training: qualification or technician level (OFPPT and others).
        VocationalQualification => "vocational_qualification",
        /// Specialised technician (technicien spécialisé), DUT, BTS: bac+2.
        ShortHigher => "short_higher",
        /// Licence: bac+3.
        Bachelor => "bachelor",
        /// Master, engineering degree: bac+5.
        Master => "master",
        /// Doctorate.
        Doctorate => "doctorate",
    }
}

string_enum! {
    /// Where a step of an action plan stands. The youth moves it; the counselor may too.
    StepStatus {
        Todo => "todo",
        InProgress => "in_progress",
        Done => "done",
    }
}

string_enum! {
    /// What kind of organisation an employer or partner is.
    OrganizationKind {
        Employer => "employer",
        RecruitmentAgency => "recruitment_agency",
        /// School or training institute.
        School => "school",
        Association => "association",
        /// Business federation or chamber.
        Federation => "federation",
        PublicService => "public_service",
    }
}

string_enum! {
    /// A member's standing inside an organisation.
    MembershipRole {
        /// May edit the organisation, manage members and API keys.
        Owner => "owner",
        /// Acts on the organisation's behalf.
        Member => "member",
    }
}

string_enum! {
    /// What a partner API key may do. Keys carry the smallest set they need.
    ApiScope {
        /// Read the organisation's own record.
        OrganizationRead => "organization:read",
        /// Publish and update the organisation's offers.
        OffersWrite => "offers:write",
        /// Report placements of youths with the organisation.
        PlacementsWrite => "placements:write",
        /// Publish and run the organisation's events.
        EventsWrite => "events:write",
        /// Read the applications to the organisation's offers and move them through its
        /// pipeline.
        ApplicationsWrite => "applications:write",
    }
}

string_enum! {
    /// What an event is.
    EventKind {
        /// A job-readiness workshop: a CV, an interview, introducing oneself, being found online.
        Workshop => "workshop",
        SoftSkillsTraining => "soft_skills_training",
        Conference => "conference",
        CompanyVisit => "company_visit",
        JobFair => "job_fair",
        InformationSession => "information_session",
    }
}

string_enum! {
    /// Where an event stands. Only its organisers see a draft.
    EventStatus {
        Draft => "draft",
        /// Visible to its audience; open to registration within its window.
        Published => "published",
        /// Called off: registrations end, registrants are told.
        Cancelled => "cancelled",
        /// Took place: attendance is final.
        Held => "held",
    }
}

string_enum! {
    /// Who may see and join an event.
    EventAudience {
        /// Anyone.
        Public => "public",
        /// The youths of the organising center (and its staff).
        Center => "center",
    }
}

string_enum! {
    /// A youth's place at an event.
    RegistrationStatus {
        /// Holds a seat.
        Registered => "registered",
        /// Waits for a seat, in arrival order.
        Waitlisted => "waitlisted",
        /// Gave the seat or the place in line up, or the event was cancelled.
        Cancelled => "cancelled",
        /// Came (checked in).
        Attended => "attended",
        /// Held a seat and did not come.
        NoShow => "no_show",
    }
}

string_enum! {
    /// Where a counselor's availability slot stands.
    SlotStatus {
        /// Offered: a youth of the center may book it while no one holds it.
        Open => "open",
        /// Taken back by the center's staff (a booking it held is cancelled).
        Withdrawn => "withdrawn",
    }
}

string_enum! {
    /// Where a youth's appointment with a counselor stands.
    AppointmentStatus {
        /// Booked, not yet held.
        Booked => "booked",
        /// Cancelled by the youth (before the center's delay) or by the center's staff.
        Cancelled => "cancelled",
        /// The meeting took place; its outcome joins her orientation follow-up.
        Held => "held",
        /// She did not come.
        NoShow => "no_show",
    }
}

string_enum! {
    /// What an offer is.
    OfferKind {
        Job => "job",
        /// An internship: its type says which (`InternshipType`).
        Internship => "internship",
        /// A short immersion in a workplace, to discover a trade.
        Immersion => "immersion",
    }
}

string_enum! {
    /// How a source of gathered offers is read.
    IngestSourceKind {
        /// A file imported from the command line (`careercenter import`).
        File => "file",
        /// An RSS 2.0, Atom or JSON Feed feed.
        Feed => "feed",
        /// Web pages carrying schema.org `JobPosting` blocks in JSON-LD.
        JsonLd => "json_ld",
        /// A partner's CSV file with a header line.
        Csv => "csv",
    }
}

string_enum! {
    /// Which internship.
    InternshipType {
        /// End of studies (stage PFE).
        EndOfStudies => "end_of_studies",
        /// Before hiring (stage de pré-embauche).
        PreHiring => "pre_hiring",
        /// Observation (stage d'observation).
        Observation => "observation",
    }
}

string_enum! {
    /// An offer's contract.
    Contract {
        /// Contrat à durée indéterminée.
        Cdi => "cdi",
        /// Contrat à durée déterminée.
        Cdd => "cdd",
        /// ANAPEC's insertion contract (Idmaj).
        Idmaj => "idmaj",
        /// ANAPEC's Tahfiz programme.
        Tahfiz => "tahfiz",
        /// Temporary work (intérim).
        Temporary => "temporary",
        Freelance => "freelance",
        Apprenticeship => "apprenticeship",
    }
}

string_enum! {
    /// The education an offer asks for.
    RequiredEducation {
        /// No diploma asked.
        NoDiploma => "none",
        /// A vocational qualification (OFPPT and others).
        Vocational => "vocational",
        /// Baccalauréat.
        Bac => "bac",
        /// Bac+2: technicien spécialisé, DUT, BTS.
        Bac2 => "bac_2",
        /// Bac+3: licence.
        Bac3 => "bac_3",
        /// Bac+4.
        Bac4 => "bac_4",
        /// Bac+5 and more: master, engineering degree, doctorate.
        Bac5 => "bac_5",
    }
}

string_enum! {
    /// Where an offer stands.
    OfferStatus {
        Draft => "draft",
        /// Waiting for an admin: its organisation is not verified.
        Pending => "pending",
        /// Seen by everyone, open to applications.
        Live => "live",
        /// Past its date.
        Expired => "expired",
        /// Taken down by its organisation.
        Withdrawn => "withdrawn",
        /// Taken down by an admin (after a report).
        Removed => "removed",
    }
}

string_enum! {
    /// The order of search results.
    SearchOrder {
        /// Best match first (the default when words are given).
        Relevance => "relevance",
        /// Newest first (the default without words).
        Date => "date",
    }
}

string_enum! {
    /// Why someone reports an offer.
    ReportReason {
        /// A scam: fees asked, a fake employer, personal data fished for.
        Fraud => "fraud",
        /// It excludes by sex, origin, religion, disability, age or the like.
        Discrimination => "discrimination",
        /// The position is no longer open.
        Expired => "expired",
        Other => "other",
    }
}

string_enum! {
    /// What a notice tells its reader.
    NoticeKind {
        /// An event she held a seat or a place in line for was called off.
        EventCancelled => "event_cancelled",
        /// An event she holds a seat or a place in line for moved: its time or its place.
        EventMoved => "event_moved",
        /// A seat came to her from the waiting list.
        SeatGiven => "seat_given",
        /// The center cancelled her appointment with a counselor.
        AppointmentCancelled => "appointment_cancelled",
        /// An employer moved her application: shortlisted, interview, rejected or hired.
        ApplicationMoved => "application_moved",
        /// A youth applied to one of the reader's organisation's offers.
        ApplicationReceived => "application_received",
        /// A youth took back her application to one of the reader's organisation's offers.
        ApplicationWithdrawn => "application_withdrawn",
    }
}

string_enum! {
    /// How a youth applied to an offer.
    ApplicationChannel {
        /// Inside the platform: her message and a snapshot of her profile went to the employer.
        Platform => "platform",
        /// She followed the offer's link to apply at its source; the platform only records it.
        Outbound => "outbound",
    }
}

string_enum! {
    /// Where an application stands in the employer's pipeline.
    ApplicationStatus {
        /// Sent; the employer has not acted on it yet.
        Received => "received",
        Shortlisted => "shortlisted",
        /// Called to an interview.
        Interview => "interview",
        Rejected => "rejected",
        Hired => "hired",
        /// The youth took it back.
        Withdrawn => "withdrawn",
    }
}

impl ApplicationStatus {
    /// The statuses an employer moves an application to.
    pub const PIPELINE: &'static [ApplicationStatus] = &[
        ApplicationStatus::Shortlisted,
        ApplicationStatus::Interview,
        ApplicationStatus::Rejected,
        ApplicationStatus::Hired,
    ];

    /// Whether the employer may move an application from `self` to `to`: to any step of the
    /// pipeline but `received`, from any status but `withdrawn` (a rejection or a hiring made by
    /// mistake can be undone; a youth's withdrawal cannot).
    pub fn employer_may_move_to(self, to: ApplicationStatus) -> bool {
        self != ApplicationStatus::Withdrawn && Self::PIPELINE.contains(&to)
    }

    /// Whether the youth may still withdraw it: until the employer rejected or hired her.
    pub fn youth_may_withdraw(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Received
                | ApplicationStatus::Shortlisted
                | ApplicationStatus::Interview
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Amina@Example.MA ").unwrap().as_str(),
            "amina@example.ma"
        );
    }

    #[test]
    fn email_without_dotted_domain_is_refused() {
        for bad in [
            "amina",
            "amina@",
            "@example.ma",
            "amina@example",
            "a b@example.ma",
            "amina@ex..ma",
            "",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert_eq!(
            Password::parse("short1").unwrap_err().code,
            "password.too_short"
        );
        assert_eq!(
            Password::parse("onlyletterslong").unwrap_err().code,
            "password.weak"
        );
        assert_eq!(
            Password::parse("12345678901").unwrap_err().code,
            "password.weak"
        );
        assert_eq!(
            Password::parse("Password123").unwrap_err().code,
            "password.common"
        );
        assert!(Password::parse("tajine-au-citron-7").is_ok());
    }

    #[test]
    fn password_debug_never_shows_the_secret() {
        let password = Password::parse("tajine-au-citron-7").unwrap();
        assert!(!format!("{password:?}").contains("tajine"));
    }

    #[test]
    fn moroccan_phone_numbers_normalise_to_international_form() {
        for raw in [
            "06 12 34 56 78",
            "0612-345678",
            "+212 6 12 34 56 78",
            "00212612345678",
        ] {
            assert_eq!(parse_phone(raw).unwrap(), "+212612345678");
        }
        assert!(parse_phone("0812345678").is_err());
        assert!(parse_phone("061234567").is_err());
    }

    #[test]
    fn lines_are_trimmed_bounded_and_single_line() {
        assert_eq!(required_line("  Amina ", 10).unwrap(), "Amina");
        assert_eq!(required_line("   ", 10).unwrap_err().code, "required");
        assert_eq!(
            required_line("abcdefghijk", 10).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            required_line("a\u{0}b", 10).unwrap_err().code,
            "invalid_characters"
        );
        assert_eq!(optional_line(Some("  "), 10).unwrap(), None);
        assert_eq!(
            optional_text(Some("a\nb"), 10).unwrap().as_deref(),
            Some("a\nb")
        );
    }

    #[test]
    fn enums_round_trip_through_their_spelling() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).unwrap(), *role);
        }
        assert_eq!(
            ApiScope::parse("offers:write").unwrap(),
            ApiScope::OffersWrite
        );
        assert!(Role::parse("superuser").is_err());
        assert_eq!(
            serde_json::to_string(&EducationLevel::ShortHigher).unwrap(),
            "\"short_higher\""
        );
    }

    #[test]
    fn birth_year_must_be_a_plausible_age() {
        assert!(parse_birth_year(2004, 2026).is_ok());
        assert!(parse_birth_year(2020, 2026).is_err());
        assert!(parse_birth_year(1900, 2026).is_err());
    }
}
