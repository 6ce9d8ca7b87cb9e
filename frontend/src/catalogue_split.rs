// Shared by `build.rs` (with `include!`) and the library's tests: keep it plain Rust.

/// French keys the youth's app never shows: those of the guide's pages (events, certificates,
/// sectors, occupations, centers) and of the staff's (administration, API keys,
/// organisers' screens). The youth's app compiles in the French catalogue without them, so its
/// first load does not carry the other apps' texts; the guide and the staff's app compile in
/// the whole catalogue. A test fails when a file of the youth's app uses a key of these
/// families.
pub const NOT_IN_YOUTH_APP: &[&str] = &[
    "admin.",
    "appointments.",
    "centers.",
    "cert.",
    "eventform.",
    "events.",
    "keys.",
    "manage.",
    "occupations.",
    "reg.",
    "role.",
    "scope.",
    "sectors.",
    "slots.",
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
