//! Every code the API can put in a problem's `errors[].code`: one registry, so that nothing
//! the server sends lacks a text in the web app's catalogues.
//!
//! A refusal can only be built from a [`Code`], and a `Code` only comes from this module (its
//! field is private), so a new refusal means a new line here; the web app's tests then require
//! `err.<code>` in French, Arabic and English for every entry of [`ALL`]. A refusal about one
//! field names it; one about the request as a whole (a conflict such as the last owner leaving)
//! comes with an empty `field`.

use std::fmt;

/// A stable, machine-readable reason for refusing a field, such as `email.invalid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(&'static str);

impl Code {
    /// The code as sent on the wire, and as the web app's catalogue key after `err.`.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The code sent as `text`, if it is one of [`ALL`].
    pub fn parse(text: &str) -> Option<Code> {
        ALL.iter().copied().find(|code| code.0 == text)
    }

    /// The web app's catalogue key of its text: `err.` and the code.
    pub fn key(self) -> &'static str {
        ALL.iter()
            .zip(KEYS)
            .find(|(code, _)| **code == self)
            .map_or("err.generic", |(_, key)| key)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.0 == other
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $text:literal;)+) => {
        $($(#[doc = $doc])+ pub const $name: Code = Code($text);)+
        /// Every code, in the order declared.
        pub const ALL: &[Code] = &[$($name),+];
        /// The web app's catalogue key of each code of [`ALL`], in the same order.
        const KEYS: &[&str] = &[$(concat!("err.", $text)),+];
    };
}

codes! {
    // The shape of a request.
    /// A field that must be given is missing or empty.
    REQUIRED = "required";
    /// A text longer than the field allows.
    TOO_LONG = "too_long";
    /// More entries than a list allows.
    TOO_MANY = "too_many";
    /// A text with control characters.
    INVALID_CHARACTERS = "invalid_characters";
    /// A value of the wrong JSON type.
    INVALID_TYPE = "invalid_type";
    /// A field the request does not have (a typo in a partner's integration).
    UNKNOWN_FIELD = "unknown_field";
    /// A value outside an enumeration.
    ENUM_UNKNOWN = "enum.unknown";
    /// A page size outside the allowed range.
    LIMIT_OUT_OF_RANGE = "limit.out_of_range";
    /// A cursor the server did not hand out.
    CURSOR_INVALID = "cursor.invalid";
    /// An address that is not an `http(s)` URL.
    URL_INVALID = "url.invalid";
    /// A date that should lie ahead.
    DATE_NOT_FUTURE = "date.not_future";
    /// A date too far ahead.
    DATE_TOO_FAR = "date.too_far";
    /// An `Idempotency-Key` whose first request is still being answered.
    IDEMPOTENCY_IN_PROGRESS = "idempotency.in_progress";
    /// An `Idempotency-Key` reused for a different request.
    IDEMPOTENCY_KEY_REUSED = "idempotency.key_reused";

    // Accounts.
    /// Not an e-mail address.
    EMAIL_INVALID = "email.invalid";
    /// An e-mail address that already has an account.
    EMAIL_TAKEN = "email.taken";
    /// A verification asked for an address already verified.
    EMAIL_ALREADY_VERIFIED = "email.already_verified";
    /// A password shorter than the minimum.
    PASSWORD_TOO_SHORT = "password.too_short";
    /// A password of letters only, or of digits only.
    PASSWORD_WEAK = "password.weak";
    /// A password from the list of the most common ones.
    PASSWORD_COMMON = "password.common";
    /// The current password given to change it is wrong.
    PASSWORD_WRONG = "password.wrong";
    /// A new password equal to the current one.
    PASSWORD_UNCHANGED = "password.unchanged";
    /// Not a Moroccan phone number.
    PHONE_INVALID = "phone.invalid";
    /// A birth year outside the ages the platform serves.
    BIRTH_YEAR_OUT_OF_RANGE = "birth_year.out_of_range";
    /// A link (verification, reset) that is unknown, used or expired.
    TOKEN_INVALID = "token.invalid";
    /// A role one cannot register for oneself.
    ROLE_NOT_SELF_SERVICE = "role.not_self_service";
    /// Counselors create youths' accounts only.
    ROLE_COUNSELOR_CREATES_YOUTHS = "role.counselor_creates_youths";
    /// A counselor's account needs a center.
    COUNSELOR_CENTER_REQUIRED = "counselor.center_required";
    /// An administrator may not lock themselves out.
    USER_SELF_LOCKOUT = "user.self_lockout";
    /// The last active administrator may not be removed or demoted.
    USER_LAST_ADMIN = "user.last_admin";

    // Places and centers.
    /// A region code that does not exist.
    REGION_UNKNOWN = "region.unknown";
    /// A commune code that does not exist.
    COMMUNE_UNKNOWN = "commune.unknown";
    /// A commune outside the region given with it.
    COMMUNE_OTHER_REGION = "commune.other_region";
    /// A center that does not exist.
    CENTER_UNKNOWN = "center.unknown";

    // Organisations.
    /// An organisation not yet verified may not do this.
    ORGANIZATION_UNVERIFIED = "organization.unverified";
    /// The last owner of an organisation may not leave or be removed.
    MEMBER_LAST_OWNER = "member.last_owner";
    /// The invitee is already a member.
    INVITATION_ALREADY_MEMBER = "invitation.already_member";
    /// The invitation was sent to another address than the account's.
    INVITATION_OTHER_ADDRESS = "invitation.other_address";
    /// The account's role cannot hold the invited membership.
    INVITATION_WRONG_ROLE = "invitation.wrong_role";

    // Orientation.
    /// An answer sheet of another version of the inventory.
    INSTRUMENT_VERSION_UNKNOWN = "instrument_version.unknown";
    /// An item left unanswered.
    ANSWER_MISSING = "answer.missing";
    /// An answer outside 0–4.
    ANSWER_OUT_OF_RANGE = "answer.out_of_range";
    /// An answer to an item the inventory does not have.
    ANSWER_UNKNOWN_ITEM = "answer.unknown_item";
    /// Fewer answers than the inventory has items.
    ANSWERS_INCOMPLETE = "answers.incomplete";
    /// Not a three-letter Holland code.
    HOLLAND_CODE_INVALID = "holland_code.invalid";
    /// A job zone outside 1–5.
    JOB_ZONE_OUT_OF_RANGE = "job_zone.out_of_range";
    /// A plan step's date outside the allowed window.
    DUE_ON_OUT_OF_RANGE = "due_on.out_of_range";

    // Events.
    /// An event named by neither a center nor an organisation, or by both.
    ORGANIZER_EXACTLY_ONE = "organizer.exactly_one";
    /// An organisation that does not exist.
    ORGANIZATION_UNKNOWN = "organization.unknown";
    /// A site that is not one of the event's center.
    SITE_UNKNOWN = "site.unknown";
    /// A growth sector code that does not exist.
    SECTOR_UNKNOWN = "sector.unknown";
    /// An end at or before the start.
    ENDS_BEFORE_START = "ends_at.before_start";
    /// An event longer than the longest allowed.
    EVENT_TOO_LONG = "ends_at.too_long";
    /// A capacity outside 1 to the largest allowed.
    CAPACITY_OUT_OF_RANGE = "capacity.out_of_range";
    /// A registration window that closes before it opens or after the event starts.
    REGISTRATION_WINDOW_INVALID = "registration_window.invalid";
    /// An event for a center's youths only, organised by no center.
    AUDIENCE_NEEDS_CENTER = "audience.needs_center";
    /// A change the event's status does not allow (publishing a cancelled event).
    EVENT_WRONG_STATUS = "event.wrong_status";
    /// An address or city given for a center's event (it is at the center or one of its sites).
    PLACE_OF_CENTER = "place.of_center";
    /// A change to an event whose check-ins have opened, or that is cancelled or held.
    EVENT_NOT_EDITABLE = "event.not_editable";
    /// A capacity below the seats already taken.
    CAPACITY_BELOW_TAKEN = "capacity.below_taken";
    /// A published event's audience narrowed to a center's youths: youths of other centers may
    /// hold seats.
    AUDIENCE_NARROWED = "audience.narrowed";
    /// Registration is not open: before the window, after it or after the start.
    REGISTRATION_CLOSED = "registration.closed";
    /// The youth already holds a registration (or a place in line) for the event.
    REGISTRATION_EXISTS = "registration.exists";
    /// The youth has no registration to cancel.
    REGISTRATION_NONE = "registration.none";
    /// A check-in code that names no registration of this event.
    CHECKIN_UNKNOWN = "checkin.unknown";
    /// A check-in of a youth who holds no seat (waiting, or cancelled).
    CHECKIN_NO_SEAT = "checkin.no_seat";
    /// A check-in more than an hour before the event starts.
    CHECKIN_NOT_YET = "checkin.not_yet";

    // Appointments.
    /// A slot length other than 15, 30 or 45 minutes.
    SLOT_MINUTES_INVALID = "minutes.invalid";
    /// A number of slots outside 1 to the most one request creates.
    SLOT_COUNT_OUT_OF_RANGE = "count.out_of_range";
    /// A slot that overlaps another of the same counselor.
    SLOT_OVERLAPS = "slot.overlaps";
    /// A slot someone else booked first, withdrawn, or already started.
    SLOT_TAKEN = "slot.taken";
    /// A booking that overlaps another appointment of the same youth.
    APPOINTMENT_OVERLAPS = "appointment.overlaps";
    /// A youth who already holds the most upcoming appointments allowed.
    APPOINTMENT_TOO_MANY = "appointment.too_many";
    /// A youth with no center: slots are offered by her center's counselors.
    CENTER_REQUIRED = "center.required";
    /// A cancellation by the youth later than her center's delay, or after the start.
    CANCELLATION_TOO_LATE = "cancellation.too_late";
    /// A change the appointment's status does not allow (cancelling a held meeting).
    APPOINTMENT_WRONG_STATUS = "appointment.wrong_status";
    /// An outcome recorded before the meeting's start.
    OUTCOME_NOT_YET = "outcome.not_yet";
    /// A site removed while events to come or open appointment slots take place there.
    SITE_IN_USE = "site.in_use";
    /// A cancellation delay outside 0 to a week.
    NOTICE_OUT_OF_RANGE = "notice.out_of_range";
    /// An internship type given for an offer that is not an internship.
    INTERNSHIP_NOT_AN_INTERNSHIP = "internship.not_an_internship";
    /// A salary range whose highest figure is below its lowest.
    SALARY_RANGE = "salary.range";
    /// A monthly salary below zero or beyond any plausible figure.
    SALARY_OUT_OF_RANGE = "salary.out_of_range";
    /// Years of experience outside 0 to 40.
    EXPERIENCE_OUT_OF_RANGE = "experience_years.out_of_range";
    /// A code that is not an ISCO-08 unit group of the occupations table.
    OCCUPATION_UNKNOWN = "occupation.unknown";
    /// A publication date in the future, or older than a year.
    POSTED_AT_OUT_OF_RANGE = "posted_at.out_of_range";
    /// An end date not after the publication date.
    VALID_THROUGH_BEFORE_POSTED = "valid_through.before_posted";
    /// The same `external_id` twice in one batch.
    EXTERNAL_ID_DUPLICATE = "external_id.duplicate";
    /// A moderation or withdrawal the offer's status does not allow (approving a live one).
    OFFER_WRONG_STATUS = "offer.wrong_status";
    /// A second report of the same offer by the same person.
    REPORT_EXISTS = "report.exists";
    /// A report already dismissed, or whose offer was removed.
    REPORT_RESOLVED = "report.resolved";
    /// A second application of the same youth to the same offer.
    APPLICATION_EXISTS = "application.exists";
    /// An application to an offer that is not live (ended, withdrawn, waiting for moderation).
    OFFER_CLOSED = "offer.closed";
    /// An application in the platform to an offer that takes them only at its source (or a
    /// link followed to an offer that has none).
    APPLY_ELSEWHERE = "offer.apply_elsewhere";
    /// An outbound application to an offer that takes applications inside the platform.
    APPLY_HERE = "offer.apply_here";
    /// A move the application's status does not allow (shortlisting a withdrawn application,
    /// withdrawing a decided one).
    APPLICATION_WRONG_STATUS = "application.wrong_status";
    /// The same search saved twice.
    SAVED_SEARCH_EXISTS = "saved_search.exists";
    /// A search saved beyond the twenty one keeps.
    SAVED_SEARCH_TOO_MANY = "saved_search.too_many";

    // Sources of gathered offers.
    /// A source's name another source has.
    SOURCE_NAME_TAKEN = "source.name_taken";
    /// Minutes between two polls outside 15 to 1440.
    EVERY_OUT_OF_RANGE = "every_minutes.out_of_range";
    /// A column given for a field gathered offers do not have.
    COLUMN_UNKNOWN = "columns.unknown_field";
    /// A change only polled sources take, asked of a source imported from files.
    SOURCE_NOT_POLLED = "source.not_polled";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_code_has_its_key() {
        assert_eq!(EMAIL_TAKEN.key(), "err.email.taken");
        assert_eq!(Code::parse("member.last_owner"), Some(MEMBER_LAST_OWNER));
        assert_eq!(Code::parse("no.such_code"), None);
        for code in ALL {
            assert_eq!(code.key(), format!("err.{code}"));
        }
    }

    #[test]
    fn codes_are_unique_and_written_as_keys() {
        let texts: HashSet<_> = ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(texts.len(), ALL.len(), "a code is declared twice");
        for code in ALL {
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'),
                "{code} is not a catalogue key"
            );
        }
    }
}
