//! Search folding: what a person types and what is stored are both reduced to one form, so
//! that "econ" finds "Économistes", "educateur" finds "Éducateur", and Arabic is found with or
//! without hamza forms, diacritics and tatweel. The server stores the folded form of every
//! searchable name in a column and folds the query the same way, so SQLite and PostgreSQL
//! compare the same bytes and give the same answers.

use unicode_normalization::UnicodeNormalization;

/// Raised whenever [`fold`] changes, so the server refolds what it stored with the old rule.
pub const FOLD_VERSION: u32 = 2;
use unicode_normalization::char::is_combining_mark;

/// The folded form of `text`: lower case; accents, Arabic diacritics (harakat, shadda, sukun,
/// superscript alef) and hamza marks removed, the hamza on the line too; alef forms, alef maqsura, ta marbuta and the
/// Persian letters written for Arabic ones unified; tatweel dropped; ligatures spelled out;
/// apostrophes, hyphens and other punctuation turned to spaces; spaces collapsed; the Arabic
/// article "ال" dropped from the front of a word, so that "ممرض" finds "الممرضون" as "infirm"
/// finds "Infirmiers".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = true;
    // NFD splits "é" into "e" and a combining acute, and "أ" into "ا" and a hamza above:
    // dropping the combining marks removes both.
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let mapped: &str = match c {
            'ٱ' | 'ٲ' | 'ٳ' => "ا",
            'ى' | 'ی' => "ي",
            'ة' => "ه",
            'ک' => "ك",
            'ـ' | 'ء' => "",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                for lower in c.to_lowercase() {
                    folded.push(lower);
                }
                space = false;
                continue;
            }
            _ => " ",
        };
        if mapped == " " {
            if !space {
                folded.push(' ');
                space = true;
            }
        } else if !mapped.is_empty() {
            folded.push_str(mapped);
            space = false;
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    without_article(folded)
}

/// Drops "ال" from the front of every word that keeps at least two letters without it.
fn without_article(folded: String) -> String {
    if !folded.contains("ال") {
        return folded;
    }
    let words: Vec<&str> = folded
        .split(' ')
        .map(|word| match word.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest,
            _ => word,
        })
        .collect();
    words.join(" ")
}

/// The folded search text of several fields of one row, space-separated.
pub fn fold_all<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for field in fields {
        let folded = fold(field);
        if folded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&folded);
    }
    out
}

/// Whether every word of `folded_query` (folded already) begins a word of `folded_text`: the
/// rule the server's SQL applies to its `search_text` columns, for what it searches in memory.
/// A query that folded to nothing (punctuation only) matches nothing. The server's in-memory
/// searches go through a word index (`backend/src/reference.rs`), tested to agree with this.
pub fn words_match(folded_text: &str, folded_query: &str) -> bool {
    !folded_query.is_empty()
        && folded_query.split(' ').all(|word| {
            folded_text
                .match_indices(word)
                .any(|(at, _)| at == 0 || folded_text.as_bytes()[at - 1] == b' ')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arabic_article_folds_away() {
        assert_eq!(fold("الممرضون المجازون"), "ممرضون مجازون");
        assert_eq!(fold("ممرض"), "ممرض");
        // Too short to be an article and a word: kept.
        assert_eq!(fold("الي"), "الي");
    }

    #[test]
    fn latin_case_and_accents_fold_away() {
        assert_eq!(fold("Économistes"), "economistes");
        assert_eq!(fold("ÉDUCATEUR spécialisé"), "educateur specialise");
        assert_eq!(fold("Fès-Meknès"), "fes meknes");
        assert_eq!(fold("L’Œuvre d'Anaïs"), "l oeuvre d anais");
        assert_eq!(fold("  Ç   a  "), "c a");
    }

    #[test]
    fn arabic_hamza_forms_diacritics_and_tatweel_fold_away() {
        // أحمد / احمد, إدارة / ادارة / اداره, with harakat and a stretched letter.
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("إدارة"), "اداره");
        assert_eq!(fold("آمال"), fold("امال"));
        assert_eq!(fold("مُهَنْدِس"), "مهندس");
        assert_eq!(fold("مهـــندس"), "مهندس");
        assert_eq!(fold("مستشفى"), fold("مستشفي"));
        assert_eq!(fold("مسؤول"), "مسوول");
        assert_eq!(fold("الدار البيضاء"), "دار بيضا");
    }

    #[test]
    fn a_folded_query_is_found_in_the_folded_text() {
        let stored = fold_all(["Économistes", "اقتصاديون", "Economists"]);
        for typed in ["econ", "ECONOMISTES", "اقتصاديون", "اِقْتِصَادِيُّون"]
        {
            assert!(stored.contains(&fold(typed)), "{typed} in {stored}");
        }
    }

    #[test]
    fn every_word_must_begin_a_word() {
        let text = fold_all(["Économistes et chercheurs en économie"]);
        assert!(words_match(&text, &fold("econ cherch")));
        assert!(words_match(&text, &fold("CHERCHEURS")));
        assert!(!words_match(&text, &fold("conomistes")));
        assert!(!words_match(&text, &fold("econ physique")));
        assert!(!words_match(&text, &fold("%_")));
    }

    #[test]
    fn folding_is_idempotent() {
        for text in ["Économistes", "إدارة الأعمال", "Tanger - Tétouan", "مُهَنْدِس"]
        {
            assert_eq!(fold(&fold(text)), fold(text));
        }
    }
}
