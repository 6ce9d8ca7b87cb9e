// Shared by `build.rs` (with `include!`) and the library's tests: keep it plain Rust.

/// French keys the youth's app never shows: those of the guide's pages (events, certificates,
/// sectors, occupations, centers, appointments, notices) and of the staff's (administration,
/// API keys, organisers' screens), and the refusals (`err.…`) of requests only those pages
/// send. The youth's app compiles in the French catalogue without them, so its first load does
/// not carry the other apps' texts; the guide and the staff's app compile in the whole
/// catalogue. A test fails when a file of the youth's app uses a key of these families; a
/// refusal whose text the app lacks is said in the server's words beside its field
/// (`FormErrors::message`) or as the general error (`forms::general_key`), never as an empty
/// line.
pub const NOT_IN_YOUTH_APP: &[&str] = &[
    "admin.",
    "applications.",
    "appointments.",
    "centers.",
    "cert.",
    // Refusals of the events', appointments', offers', organisations' and administration's
    // requests.
    "err.application.",
    "err.appointment.",
    "err.audience.",
    "err.cancellation.",
    "err.capacity.",
    "err.center.required",
    "err.columns.",
    "err.checkin.",
    "err.counselor.",
    "err.count.",
    "err.date.",
    "err.ends_at.",
    "err.event.",
    "err.every_minutes.",
    "err.experience_years.",
    "err.external_id.",
    "err.holland_code.",
    "err.internship.",
    "err.invitation.",
    "err.job_zone.",
    "err.member.",
    "err.minutes.",
    "err.notice.",
    "err.occupation.",
    "err.offer.",
    "err.organization.",
    "err.organizer.",
    "err.outcome.",
    "err.place.",
    "err.posted_at.",
    "err.registration.",
    "err.registration_window.",
    "err.report.",
    "err.role.counselor_creates_youths",
    "err.salary.",
    "err.saved_search.",
    "err.sector.",
    "err.site.",
    "err.slot.",
    "err.source.",
    "err.too_many",
    "err.url.",
    "err.user.",
    "err.valid_through.",
    "eventform.",
    "events.",
    "invite.",
    "keys.",
    // The pages of mailed links and of a forgotten password are the guide's.
    "link.dead",
    "manage.",
    "member.",
    "moderation.",
    "notices.",
    "offers.",
    "occupations.",
    "org.",
    "orgoffers.",
    "reg.",
    "report.",
    "reset.",
    "role.",
    "saved.",
    "scope.",
    "sectors.",
    "slots.",
    "verify.again",
    "verify.done",
    "verify.title",
];

/// The lines of a catalogue the youth's app keeps.
pub fn youth_lines(catalogue: &str) -> String {
    catalogue
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !NOT_IN_YOUTH_APP
                .iter()
                .any(|family| line.starts_with(family))
        })
        .flat_map(|line| [line, "\n"])
        .collect()
}
