//! The glossary of trades (`backend/data/glossary/terms.csv`) holds over every text a youth
//! reads: the inventory's items, the growth sectors, the occupation titles and the web app's
//! catalogues. A name the glossary avoids fails here wherever it appears, and so does a title
//! that no longer contains the term taken from it.
//!
//! Texts and names are compared folded (`shared::search::fold`): case, accents, Arabic
//! diacritics, hamza forms and punctuation do not hide a name.

use std::collections::HashMap;

use serde::Deserialize;
use shared::Locale;
use shared::search::fold;

const TERMS: &str = include_str!("../data/glossary/terms.csv");
const TITLES: &str = include_str!("../data/occupations/titles.csv");
const SECTORS: &str = include_str!("../data/sectors/sectors.json");
const CATALOGUES: [(Locale, &str, &str); 3] = [
    (
        Locale::Fr,
        "fr.ftl",
        include_str!("../../frontend/locales/fr.ftl"),
    ),
    (
        Locale::Ar,
        "ar.ftl",
        include_str!("../../frontend/locales/ar.ftl"),
    ),
    (
        Locale::En,
        "en.ftl",
        include_str!("../../frontend/locales/en.ftl"),
    ),
];

#[derive(Deserialize)]
struct Term {
    isco08: String,
    fr: String,
    ar: String,
    en: String,
    fr_in_title: String,
    ar_in_title: String,
    avoid_fr: String,
    avoid_ar: String,
    avoid_en: String,
}

impl Term {
    fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.fr,
            Locale::Ar => &self.ar,
            Locale::En => &self.en,
        }
    }

    /// The names to avoid in `locale`, folded.
    fn avoided(&self, locale: Locale) -> Vec<String> {
        let list = match locale {
            Locale::Fr => &self.avoid_fr,
            Locale::Ar => &self.avoid_ar,
            Locale::En => &self.avoid_en,
        };
        list.split('|')
            .map(fold)
            .filter(|name| !name.is_empty())
            .collect()
    }
}

#[derive(Deserialize)]
struct Title {
    isco08: String,
    fr: String,
    ar: String,
    en: String,
}

#[derive(Deserialize)]
struct Localized {
    fr: String,
    ar: String,
    en: String,
}

#[derive(Deserialize)]
struct Sector {
    code: String,
    name: Localized,
    strategy: Localized,
    description: Localized,
}

fn terms() -> Vec<Term> {
    csv::Reader::from_reader(TERMS.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("terms.csv parses")
}

/// One text a youth may read: where it comes from, its language and its words.
struct Text {
    source: String,
    locale: Locale,
    text: String,
}

fn text(source: impl Into<String>, locale: Locale, text: &str) -> Text {
    Text {
        source: source.into(),
        locale,
        text: text.to_owned(),
    }
}

/// Every text the glossary applies to.
fn texts() -> Vec<Text> {
    let mut texts = Vec::new();
    for item in shared::inventory::ITEMS {
        texts.push(text(format!("inventory {}", item.id), Locale::Fr, item.fr));
        texts.push(text(format!("inventory {}", item.id), Locale::Ar, item.ar));
        texts.push(text(format!("inventory {}", item.id), Locale::En, item.en));
    }
    let sectors: Vec<Sector> = serde_json::from_str(SECTORS).expect("sectors.json parses");
    for s in &sectors {
        for (field, value) in [
            ("name", &s.name),
            ("strategy", &s.strategy),
            ("description", &s.description),
        ] {
            let source = format!("sector {} {field}", s.code);
            texts.push(text(&source, Locale::Fr, &value.fr));
            texts.push(text(&source, Locale::Ar, &value.ar));
            texts.push(text(&source, Locale::En, &value.en));
        }
    }
    for title in csv::Reader::from_reader(TITLES.as_bytes()).deserialize::<Title>() {
        let title = title.expect("titles.csv parses");
        let source = format!("title {}", title.isco08);
        texts.push(text(&source, Locale::Fr, &title.fr));
        texts.push(text(&source, Locale::Ar, &title.ar));
        texts.push(text(&source, Locale::En, &title.en));
    }
    for (locale, file, catalogue) in CATALOGUES {
        for line in catalogue.lines().filter(|l| !l.starts_with('#')) {
            if let Some((key, value)) = line.split_once(" = ") {
                texts.push(text(format!("{file} {key}"), locale, value));
            }
        }
    }
    texts
}

/// "source: name" for every avoided name found in `texts`.
fn avoided_names_in(terms: &[Term], texts: &[Text]) -> Vec<String> {
    let mut found = Vec::new();
    for t in texts {
        let folded = fold(&t.text);
        for term in terms {
            for name in term.avoided(t.locale) {
                if folded.contains(&name) {
                    found.push(format!(
                        "{}: \"{name}\" (say \"{}\")",
                        t.source,
                        term.name(t.locale)
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn no_text_uses_a_name_the_glossary_avoids() {
    let terms = terms();
    let texts = texts();
    // Enough of every kind of text was read for the check to mean something.
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.source.starts_with("inventory "))
            .count(),
        180
    );
    assert!(
        texts
            .iter()
            .filter(|t| t.source.starts_with("sector "))
            .count()
            >= 3 * 3 * 12
    );
    assert!(
        texts
            .iter()
            .filter(|t| t.source.starts_with("title "))
            .count()
            >= 3 * 400
    );
    assert!(
        texts
            .iter()
            .filter(|t| t.source.starts_with("ar.ftl "))
            .count()
            >= 200
    );
    let found = avoided_names_in(&terms, &texts);
    assert!(found.is_empty(), "avoided names:\n{}", found.join("\n"));
}

#[test]
fn an_avoided_name_is_found_however_it_is_written() {
    let terms = terms();
    // What the agri-food sector used to say, with a shadda added.
    let written = [text(
        "sample",
        Locale::Ar,
        "ويشغل القطاع سائقيّ الآلات وتقنيي المختبر",
    )];
    assert_eq!(avoided_names_in(&terms, &written).len(), 1);
    let bac = [text("sample", Locale::Ar, "باكالوريا + 2 (تقني متخصص)")];
    assert!(!avoided_names_in(&terms, &bac).is_empty());
    // A name is avoided in its own language only.
    let french = [text("sample", Locale::Fr, "سائقي الآلات")];
    assert!(avoided_names_in(&terms, &french).is_empty());
}

#[test]
fn every_term_is_still_the_one_its_occupation_title_uses() {
    let titles: HashMap<String, Title> = csv::Reader::from_reader(TITLES.as_bytes())
        .deserialize::<Title>()
        .map(|t| {
            let t = t.expect("titles.csv parses");
            (t.isco08.clone(), t)
        })
        .collect();
    let terms = terms();
    assert!(terms.len() >= 30, "{}", terms.len());
    let mut wrong = Vec::new();
    for term in &terms {
        for locale in [Locale::Fr, Locale::Ar, Locale::En] {
            assert!(
                !term.name(locale).is_empty(),
                "{} has no {locale:?}",
                term.fr
            );
            if term.avoided(locale).contains(&fold(term.name(locale))) {
                wrong.push(format!("{} avoids itself", term.name(locale)));
            }
        }
        if term.isco08.is_empty() {
            continue;
        }
        let Some(title) = titles.get(&term.isco08) else {
            wrong.push(format!("{}: no occupation {}", term.fr, term.isco08));
            continue;
        };
        for (words, title) in [
            (&term.fr_in_title, &title.fr),
            (&term.ar_in_title, &title.ar),
        ] {
            if words.is_empty() || !fold(title).contains(&fold(words)) {
                wrong.push(format!(
                    "{}: title {} \"{title}\" does not contain \"{words}\"",
                    term.fr, term.isco08
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
