//! Translation catalogues and the current language.
//!
//! Every string a person reads comes from `locales/*.ftl` (`key = text`, one per line). French
//! is the default and the fallback; Arabic switches the whole page to right-to-left. A test
//! fails when a key is missing in any language or used in the code without being defined.
//!
//! Only French is compiled into the app: Arabic and English are fetched (`/ar.ftl`,
//! `/en.ftl`) the first time they are chosen, so a first load carries one catalogue, not three.
//! The youth's app compiles in only its own French keys (`catalogue_split.rs`, applied by
//! `build.rs`); the guide and the staff's app the whole catalogue.
//! Until one arrives, or if it cannot, the page stays in French.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Locale;

#[cfg(test)]
const FR: &str = include_str!("../locales/fr.ftl");
#[cfg(test)]
const AR: &str = include_str!("../locales/ar.ftl");
#[cfg(test)]
const EN: &str = include_str!("../locales/en.ftl");

type Catalog = HashMap<&'static str, &'static str>;

/// One slot per language, in `Locale::ALL` order, filled once.
static CATALOGS: [OnceLock<Catalog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

fn slot(locale: Locale) -> &'static OnceLock<Catalog> {
    match locale {
        Locale::Fr => &CATALOGS[0],
        Locale::Ar => &CATALOGS[1],
        Locale::En => &CATALOGS[2],
    }
}

/// Where the chosen language is remembered between visits.
const STORAGE_KEY: &str = "cc.locale";

/// Parses `key = text` lines; `#` starts a comment line.
pub fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(" = "))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect()
}

/// The French text the app was started with (`crate::start`).
static FRENCH: OnceLock<&'static str> = OnceLock::new();

/// Sets the French catalogue compiled into this app; once, before anything is shown.
pub fn compiled_french(text: &'static str) {
    let _ = FRENCH.set(text);
}

fn french() -> &'static Catalog {
    #[cfg(test)]
    let text = FR;
    #[cfg(not(test))]
    let text = FRENCH.get().copied().unwrap_or_default();
    slot(Locale::Fr).get_or_init(|| parse(text))
}

/// The catalogue of `locale` if it is here (French always is).
fn catalog(locale: Locale) -> Option<&'static Catalog> {
    #[cfg(test)]
    {
        let text = match locale {
            Locale::Fr => FR,
            Locale::Ar => AR,
            Locale::En => EN,
        };
        Some(slot(locale).get_or_init(|| parse(text)))
    }
    #[cfg(not(test))]
    match locale {
        Locale::Fr => Some(french()),
        _ => slot(locale).get(),
    }
}

/// A number with one decimal, written as `locale` writes it (a comma in French).
pub fn decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.1}");
    if locale == Locale::Fr {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Fetches the catalogue of `locale` once; `false` when it could not be had (offline).
async fn load(locale: Locale) -> bool {
    if catalog(locale).is_some() {
        return true;
    }
    let url = format!("/{}.ftl", locale.as_str());
    let Ok(response) = gloo_net::http::Request::get(&url).send().await else {
        return false;
    };
    match response.text().await {
        Ok(text) if response.ok() => {
            // Kept for the life of the page, like the compiled-in French.
            let text: &'static str = Box::leak(text.into_boxed_str());
            let _ = slot(locale).set(parse(text));
            true
        }
        _ => false,
    }
}

/// The text of `key` in `locale`, falling back to French, then to nothing.
pub fn lookup(locale: Locale, key: &str) -> &'static str {
    resolve(catalog(locale), french(), key)
}

/// `key` in `catalog` (a language's, when it has arrived), else in `french`, else empty.
fn resolve(catalog: Option<&Catalog>, french: &Catalog, key: &str) -> &'static str {
    catalog
        .and_then(|c| c.get(key))
        .or_else(|| french.get(key))
        .copied()
        .unwrap_or("")
}

/// `true` when a catalogue has a text for `key` (server error codes may be new to us).
pub fn has(key: &str) -> bool {
    french().contains_key(key)
}

/// The French catalogue's own copy of `key`, if it has one: a key built at run time (`err.` and
/// a code the server sent) becomes one that lives as long as the app.
pub fn static_key(key: &str) -> Option<&'static str> {
    french().get_key_value(key).map(|(key, _)| *key)
}

/// Writing direction of a language.
pub fn direction(locale: Locale) -> &'static str {
    if locale == Locale::Ar { "rtl" } else { "ltr" }
}

/// The BCP 47 tag the browser formats dates and numbers with.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "fr-MA",
        Locale::Ar => "ar-MA",
        Locale::En => "en-GB",
    }
}

/// A date as people of that language write it (Arabic with its own digits and month names).
pub fn format_date(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    date.to_locale_date_string(tag(locale), &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// A moment of an event, in Morocco's time whatever the phone's, as people of that language
/// write it: the day and the hour. The wall clock is the one the server states (the offset each
/// answer carries, from the server's current zone database), not the phone's zone data, which
/// may predate Morocco's move to UTC+00 on 2026-09-20: the moment shifted by its offset is
/// written as UTC.
pub fn format_moment(locale: Locale, at: chrono::DateTime<chrono::FixedOffset>) -> String {
    let wall = at.timestamp_millis() + i64::from(at.offset().local_minus_utc()) * 1000;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(wall as f64));
    let options = js_sys::Object::new();
    for (name, value) in [
        ("timeZone", "UTC"),
        ("dateStyle", "full"),
        ("timeStyle", "short"),
    ] {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    date.to_locale_string(tag(locale), &options)
        .as_string()
        .unwrap_or_default()
}

/// The hour of a moment (`09:30`), on the wall clock the server states, as [`format_moment`].
pub fn format_time(locale: Locale, at: chrono::DateTime<chrono::FixedOffset>) -> String {
    let wall = at.timestamp_millis() + i64::from(at.offset().local_minus_utc()) * 1000;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(wall as f64));
    let options = js_sys::Object::new();
    for (name, value) in [("timeZone", "UTC"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    date.to_locale_time_string_with_options(tag(locale), &options)
        .as_string()
        .unwrap_or_default()
}

/// A day written in full ("mardi 2 décembre 2026"), as a heading over that day's hours.
pub fn format_long_day(locale: Locale, day: chrono::NaiveDate) -> String {
    let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        noon.timestamp_millis() as f64
    ));
    let options = js_sys::Object::new();
    for (name, value) in [("timeZone", "UTC"), ("dateStyle", "full")] {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    date.to_locale_date_string(tag(locale), &options)
        .as_string()
        .unwrap_or_default()
}

/// The day of a moment on the wall clock the server states.
pub fn wall_day(at: chrono::DateTime<chrono::FixedOffset>) -> chrono::NaiveDate {
    at.naive_local().date()
}

/// A catalogue text with its `{placeholders}` filled, each value isolated (`<bdi>`), so a
/// Latin code or a date inside an Arabic sentence keeps its place ("SEA ← SAE" reads in the
/// right order).
pub fn isolated(template: &str, values: &[(&str, String)]) -> Vec<AnyView> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + length];
        parts.push(rest[..start].to_owned().into_any());
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => parts.push(view! { <bdi>{value.clone()}</bdi> }.into_any()),
            None => parts.push(rest[start..=start + length].to_owned().into_any()),
        }
        rest = &rest[start + length + 1..];
    }
    parts.push(rest.to_owned().into_any());
    parts
}

/// The language of a text written by staff in one language (a center's name, an address):
/// Arabic when most of its letters are Arabic, otherwise French, the country's other written
/// language, so that a screen reader reads it with the right voice inside a page in another.
pub fn language_of(text: &str) -> &'static str {
    let arabic = |c: &char| matches!(*c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (arabic, other) = letters.fold(
        (0, 0),
        |(a, o), c| if arabic(&c) { (a + 1, o) } else { (a, o + 1) },
    );
    if arabic > other { "ar" } else { "fr" }
}

/// What comes between a label and its value: French puts a (non-breaking) space before the
/// colon, Arabic and English do not.
pub fn colon(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "\u{a0}: ",
        Locale::Ar | Locale::En => ": ",
    }
}

/// Items joined as a sentence of that language says them: "a, b et c", "a, b and c", and in
/// Arabic with its comma and a "و" joined to the last word ("أ، ب وج").
pub fn list(locale: Locale, items: &[&str]) -> String {
    let (comma, and) = match locale {
        Locale::Fr => (", ", " et "),
        Locale::En => (", ", " and "),
        Locale::Ar => ("، ", " و"),
    };
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{}{and}{last}", init.join(comma)),
    }
}

/// A calendar day (a due date) as people of that language write it.
pub fn format_day(locale: Locale, day: chrono::NaiveDate) -> String {
    let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    format_date(locale, noon)
}

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// Translates `key`; inside a closure it re-renders when the language changes.
    pub fn t(&self, key: &str) -> &'static str {
        lookup(self.locale.get(), key)
    }

    /// Switches to `locale` once its catalogue is here, and remembers the choice.
    pub fn set(&self, locale: Locale) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, locale.as_str());
        }
        let current = self.locale;
        spawn_local(async move {
            if load(locale).await {
                current.set(locale);
            }
        });
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Reads the remembered language (French by default) and keeps `<html lang dir>` in step.
pub fn provide_i18n() -> I18n {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| Locale::parse(&v).ok())
        .unwrap_or_default();
    let i18n = I18n {
        locale: RwSignal::new(Locale::Fr),
    };
    if stored != Locale::Fr {
        i18n.set(stored);
    }
    Effect::new(move |_| {
        let locale = i18n.locale.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.as_str());
            let _ = html.set_attribute("dir", direction(locale));
        }
    });
    provide_context(i18n);
    i18n
}

#[cfg(test)]
mod tests {

    #[test]
    fn staff_texts_are_read_in_their_own_language() {
        assert_eq!(
            super::language_of("Cité des Métiers et des Compétences"),
            "fr"
        );
        assert_eq!(super::language_of("مركز التوجيه المهني - الرباط"), "ar");
        // Mixed: the language of most of its letters.
        assert_eq!(
            super::language_of("Université Ibn Tofaïl (جامعة ابن طفيل)"),
            "fr"
        );
        assert_eq!(super::language_of("مركز التوجيه المهني ISTA"), "ar");
        assert_eq!(super::language_of("12, Bd Zerktouni"), "fr");
    }

    #[test]
    fn the_loading_shell_says_the_catalogues_words() {
        // One page for the three apps: the build gives each its own module.
        for (name, html) in [("index.html", include_str!("../index.html"))] {
            for (locale, text) in [(Locale::Fr, FR), (Locale::Ar, AR), (Locale::En, EN)] {
                let catalogue = parse(text);
                for key in ["app.name", "state.loading"] {
                    let expected = format!(
                        "<span lang=\"{}\">{}</span>",
                        locale.as_str(),
                        catalogue[key]
                    );
                    assert!(html.contains(&expected), "{name} lacks {expected}");
                }
            }
        }
    }

    #[test]
    fn only_french_puts_a_space_before_the_colon() {
        assert_eq!(colon(Locale::Fr), "\u{a0}: ");
        assert_eq!(colon(Locale::En), ": ");
        assert_eq!(colon(Locale::Ar), ": ");
    }

    #[test]
    fn lists_read_as_each_language_writes_them() {
        assert_eq!(list(Locale::Fr, &["R", "I", "A"]), "R, I et A");
        assert_eq!(list(Locale::En, &["R", "I"]), "R and I");
        assert_eq!(
            list(Locale::Ar, &["الواقعي", "البحثي", "الفني"]),
            "الواقعي، البحثي والفني"
        );
        assert_eq!(list(Locale::Ar, &["الواقعي"]), "الواقعي");
        assert_eq!(list(Locale::Fr, &[]), "");
    }

    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &'static str) -> BTreeSet<&'static str> {
        parse(text).into_keys().collect()
    }

    #[test]
    fn every_language_has_every_key() {
        let fr = keys(FR);
        for (name, other) in [("ar", keys(AR)), ("en", keys(EN))] {
            let missing: Vec<_> = fr.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fr).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            assert!(extra.is_empty(), "{name} has keys French lacks: {extra:?}");
        }
        for (name, text) in [("fr", FR), ("ar", AR), ("en", EN)] {
            assert!(
                parse(text).values().all(|v| !v.is_empty()),
                "{name} has an empty text"
            );
        }
    }

    /// The string literals of Rust source, comments skipped and escapes kept as written.
    fn string_literals(code: &str) -> Vec<&str> {
        let bytes = code.as_bytes();
        let (mut found, mut i) = (Vec::new(), 0);
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i += code[i..].find('\n').unwrap_or(code.len() - i);
                }
                // A character literal: '"' or '\'' (a lifetime has no closing quote there).
                b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
                b'\'' if bytes.get(i + 1) == Some(&b'\\') => i += 4,
                b'"' => {
                    let start = i + 1;
                    i = start;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    found.push(&code[start..i.min(code.len())]);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        found
    }

    /// The youth's app compiles in French without the guide's and the staff's keys: no file of
    /// the youth's app may use one (a key, or the start of one made at run time). Every file is
    /// the youth's but those the other apps alone route to, so a new file is checked by default.
    #[test]
    fn the_youth_app_uses_no_key_it_leaves_out() {
        use crate::catalogue_split::{NOT_IN_YOUTH_APP, youth_lines};
        const OTHER_APPS: [&str; 20] = [
            "scanner.rs",
            "pages/account.rs",
            "pages/moderation.rs",
            "pages/org_offers.rs",
            "pages/offers.rs",
            "pages/saved.rs",
            "pages/invitations.rs",
            "pages/events.rs",
            "pages/appointments.rs",
            "pages/slots.rs",
            "pages/notices.rs",
            "pages/event_form.rs",
            "pages/manage.rs",
            "pages/certificate.rs",
            "pages/sectors.rs",
            "pages/occupations.rs",
            "pages/centers.rs",
            "pages/admin.rs",
            "pages/organizations.rs",
            "pages/sources.rs",
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(dir)];
        let mut wrong = Vec::new();
        let mut seen = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if OTHER_APPS.contains(&relative.as_str()) || relative == "catalogue_split.rs" {
                continue;
            }
            seen += 1;
            let source = std::fs::read_to_string(&path).unwrap();
            // The frame (`app.rs`) routes every app's pages but shows only its own keys.
            let code = source.split("#[cfg(test)]\nmod tests").next().unwrap();
            for literal in string_literals(code) {
                if NOT_IN_YOUTH_APP
                    .iter()
                    .any(|family| literal.starts_with(family))
                {
                    wrong.push(format!("{relative}: {literal}"));
                }
            }
        }
        assert!(seen > 10, "only {seen} files of the youth's app read");
        assert!(
            wrong.is_empty(),
            "keys the youth's app leaves out: {wrong:?}"
        );
        // And the split keeps what it should: every other key, and no left-out one.
        let youth: String = youth_lines(FR);
        let youth = keys(Box::leak(youth.into_boxed_str()));
        let all = keys(FR);
        assert!(youth.len() > 200 && youth.len() < all.len());
        for key in &all {
            let left_out = NOT_IN_YOUTH_APP.iter().any(|f| key.starts_with(f));
            assert_eq!(youth.contains(key), !left_out, "{key}");
        }
    }

    /// Every catalogue key in the code exists: not only in `t("…")` but wherever a key is
    /// written (a component's `label`, `hint` or `empty_key`, a `general_key`…). Any string
    /// literal shaped like a key (`word.word`) outside a test counts; the few such literals
    /// that are not keys (storage and channel names, file names, the API's field names of a
    /// text in one language) are listed.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let fr = keys(FR);
        // Also the API's field names of one language's text, by which a form finds its errors.
        let not_keys = |text: &str| {
            text.starts_with("cc.")
                || text.ends_with(".html")
                || text.ends_with(".ftl")
                || text.starts_with("title.")
                || text.starts_with("description.")
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(dir)];
        let mut missing = Vec::new();
        let mut seen = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]\nmod tests").next().unwrap();
            for literal in string_literals(code) {
                let shaped = literal.contains('.')
                    && literal.split('.').all(|w| {
                        !w.is_empty()
                            && w.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    });
                if !shaped || not_keys(literal) {
                    continue;
                }
                seen += 1;
                if !fr.contains(literal) {
                    missing.push(format!("{}: {literal}", path.display()));
                }
            }
        }
        assert!(
            seen > 100,
            "the scan found only {seen} keys: is it reading the code?"
        );
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    /// Keys built from enum spellings (`role.admin`, `edu.master`…) exist for every value.
    #[test]
    fn every_enum_value_shown_has_a_text() {
        let fr = keys(FR);
        let mut wanted: Vec<String> = Vec::new();
        wanted.extend(shared::Role::ALL.iter().map(|r| format!("role.{r}")));
        wanted.extend(
            shared::EducationLevel::ALL
                .iter()
                .map(|e| format!("edu.{e}")),
        );
        wanted.extend(
            shared::OrganizationKind::ALL
                .iter()
                .map(|k| format!("org.kind.{k}")),
        );
        wanted.extend(
            shared::ApiScope::ALL
                .iter()
                .map(|s| format!("scope.{}", s.as_str().replace(':', "_"))),
        );
        wanted.extend(shared::Locale::ALL.iter().map(|l| format!("lang.{l}")));
        wanted.extend(
            shared::MembershipRole::ALL
                .iter()
                .map(|r| format!("member.{r}")),
        );
        wanted.extend(
            shared::orientation::RiasecArea::ALL
                .iter()
                .map(|a| crate::pages::result::area_key(*a).to_owned()),
        );
        wanted.extend(
            shared::EventKind::ALL
                .iter()
                .map(|k| crate::pages::events::kind_key(*k).to_owned()),
        );
        wanted.extend(
            shared::InternshipType::ALL
                .iter()
                .map(|t| format!("offers.internship.{}", t.as_str())),
        );
        wanted.extend(
            shared::ApplicationStatus::PIPELINE
                .iter()
                .map(|s| format!("orgoffers.move.{}", s.as_str())),
        );
        wanted.extend(
            shared::ReportReason::ALL
                .iter()
                .map(|r| crate::pages::moderation::reason_key(*r).to_owned()),
        );
        wanted.extend((1..=5).map(|z| format!("zone.{z}")));
        wanted.extend((0..5).map(|v| format!("inv.answer.{v}")));
        // Every code the server can send with a refused field (the registry in `shared`).
        wanted.extend(shared::codes::ALL.iter().map(|code| format!("err.{code}")));
        let missing: Vec<_> = wanted.iter().filter(|k| !fr.contains(k.as_str())).collect();
        assert!(missing.is_empty(), "no text for {missing:?}");
    }

    #[test]
    fn arabic_is_right_to_left() {
        assert_eq!(direction(Locale::Ar), "rtl");
        assert_eq!(direction(Locale::Fr), "ltr");
        assert_eq!(lookup(Locale::Ar, "nav.home"), "الرئيسية");
    }

    #[test]
    fn a_text_missing_or_not_yet_fetched_falls_back_to_french() {
        // The real catalogues are complete (another test sees to it), so the fallback is
        // exercised on small ones: a key Arabic lacks, a catalogue still on its way.
        let french = parse("greeting = Bonjour\nonly.fr = Seulement en français");
        let arabic = parse("greeting = مرحبا");
        assert_eq!(resolve(Some(&arabic), &french, "greeting"), "مرحبا");
        assert_eq!(
            resolve(Some(&arabic), &french, "only.fr"),
            "Seulement en français"
        );
        assert_eq!(resolve(None, &french, "greeting"), "Bonjour");
        assert_eq!(resolve(Some(&arabic), &french, "nowhere"), "");
    }
}
