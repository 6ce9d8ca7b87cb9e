//! The forms of text the server accepts, as the regular expressions the spec states.
//!
//! Request fields name one of these in their schema attribute (`schema(pattern = "line")`), and
//! the spec builder writes the expression in its place, so each form is written once, here,
//! beside the tests that hold it to the parser that decides (a string matches exactly when the
//! parser accepts it). The expressions keep to what ECMA-262, Python and Rust read alike: no
//! `\s` (their white space differs), no Unicode classes; white space is Rust's, which the
//! parsers trim.

/// White space as Rust's `trim` knows it.
macro_rules! ws {
    () => {
        r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}
/// Control characters (Unicode category Cc).
macro_rules! ctrl {
    () => {
        r"\x00-\x1f\x7f-\x9f"
    };
}
/// A character that is neither white space nor control.
macro_rules! solid {
    () => {
        concat!("[^", ws!(), ctrl!(), "]")
    };
}
/// One line: solid at both ends, no control character inside.
macro_rules! line {
    () => {
        concat!(solid!(), "(?:[^", ctrl!(), "]*", solid!(), ")?")
    };
}
/// Several lines: tabs and line breaks allowed inside.
macro_rules! text {
    () => {
        concat!(
            solid!(),
            r"(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*",
            solid!(),
            ")?"
        )
    };
}
macro_rules! padded {
    ($core:expr) => {
        concat!("^[", ws!(), "]*", $core, "[", ws!(), "]*$")
    };
}

/// A required line of text: not blank, no control characters (`domain::required_line`).
pub const LINE: &str = padded!(line!());
/// An optional line: blank clears it (`domain::optional_line`).
pub const OPTIONAL_LINE: &str = padded!(concat!("(?:", line!(), ")?"));
/// Required text on several lines (`domain::required_text`).
pub const TEXT: &str = padded!(text!());
/// Optional text on several lines (`domain::optional_text`).
pub const OPTIONAL_TEXT: &str = padded!(concat!("(?:", text!(), ")?"));
/// An e-mail address (`domain::Email`).
pub const EMAIL: &str = padded!(concat!(
    "[^",
    ws!(),
    ctrl!(),
    "@]{1,64}",
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
));
/// A Moroccan phone number, spaces, dots, dashes and brackets allowed between the digits;
/// blank clears it (`domain::parse_phone`).
pub const OPTIONAL_PHONE: &str = padded!(concat!(
    r"(?:[ .()-]*(?:\+[ .()-]*2[ .()-]*1[ .()-]*2|0[ .()-]*0[ .()-]*2[ .()-]*1[ .()-]*2|0)?",
    r"[ .()-]*[567](?:[ .()-]*[0-9]){8}[ .()-]*)?"
));
/// One of the twelve regions' codes.
pub const REGION: &str = padded!("(?:0[1-9]|1[0-2])");
/// A region's code, or blank.
pub const OPTIONAL_REGION: &str = padded!("(?:0[1-9]|1[0-2])?");
/// The form of a commune's code (HCP), or blank.
pub const OPTIONAL_COMMUNE: &str = padded!(r"(?:[0-9]{2}\.[0-9]{3}\.[0-9]{2}\.[0-9]{1,2})?");
/// A web address with a dotted host, or blank (`dto::organizations::parse_website`).
pub const OPTIONAL_WEBSITE: &str = padded!(concat!(
    "(?:https?://[^",
    ws!(),
    ctrl!(),
    r"/?#]*\.[^",
    ws!(),
    ctrl!(),
    "]*)?"
));
/// A web address with a dotted host (`dto::organizations::parse_website`).
pub const WEBSITE: &str = padded!(concat!(
    "https?://[^",
    ws!(),
    ctrl!(),
    r"/?#]*\.[^",
    ws!(),
    ctrl!(),
    "]*"
));
/// A token from a link the server mailed.
pub const TOKEN: &str = "^[0-9a-f]{64}$";

/// A cursor of a list ordered by id: `1`, then the id's 64 bits in hex (`services::pagination`).
pub const ID_CURSOR: &str = "^1[0-9a-f]{16}$";
/// A growth sector's code (`automotive`, `renewable_energy`).
pub const SECTOR_CODE: &str = "^[a-z0-9_]{1,40}$";
/// A cursor of a list ordered by time, then id: `1`, then both numbers' 64 bits in hex.
pub const PAIR_CURSOR: &str = "^1[0-9a-f]{32}$";
/// A cursor of a list ordered by code: `1`, then the code's bytes in hex.
pub const CODE_CURSOR: &str = "^1(?:[0-9a-f]{2}){1,64}$";

/// The expression a schema names, if it names one of these.
pub fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "line" => LINE,
        "optional_line" => OPTIONAL_LINE,
        "text" => TEXT,
        "optional_text" => OPTIONAL_TEXT,
        "email" => EMAIL,
        "optional_phone" => OPTIONAL_PHONE,
        "region" => REGION,
        "optional_region" => OPTIONAL_REGION,
        "optional_commune" => OPTIONAL_COMMUNE,
        "optional_website" => OPTIONAL_WEBSITE,
        "website" => WEBSITE,
        "token" => TOKEN,
        "id_cursor" => ID_CURSOR,
        "code_cursor" => CODE_CURSOR,
        "pair_cursor" => PAIR_CURSOR,
        "sector_code" => SECTOR_CODE,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Email, optional_line, optional_text, parse_phone, required_line, required_text,
    };
    use crate::dto::organizations::parse_website;

    fn matches(pattern: &str, value: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(value)
    }

    /// Strings that probe every edge: blanks of several kinds, control characters inside and at
    /// the ends, scripts, lengths.
    fn samples() -> Vec<String> {
        let mut samples: Vec<String> = [
            "",
            " ",
            "\t",
            "\u{a0}",
            "\u{3000}",
            "\u{85}",
            "\u{feff}",
            "a",
            " a ",
            "\ta\t",
            "a\tb",
            "a\nb",
            "a\u{0}b",
            "\u{0}",
            "a\u{9f}",
            "\u{1c}a",
            "Amina",
            "El Idrissi",
            "أمينة",
            "Éducateur",
            "a  b",
            "\u{200b}",
            "a\u{2028}b",
            "@",
            "a@b",
            "a@b.c",
            "amina@example.ma",
            " Amina@Example.MA ",
            "a b@c.d",
            "a@b..c",
            "a@.b.c",
            "a@b.c.",
            "a@b_c.d",
            "a@bé.ma",
            "é@b.ma",
            "a@@b.ma",
            "a\u{0}@b.ma",
            "a@xn--mgbc0a9azcg.ma",
            "0612345678",
            "06 12 34 56 78",
            "+212 6 12 34 56 78",
            "00212612345678",
            "0612-345678",
            "(06) 12.34.56.78",
            "612345678",
            "0412345678",
            "061234567",
            "06123456789",
            "+2120612345678",
            "0212612345678",
            "06 12 34 56 7a",
            "..",
            "01",
            "12",
            "13",
            "00",
            " 06 ",
            "1",
            "01.511.01.0",
            "01.511.01.01",
            "1.511.01.0",
            "https://www.example.ma",
            "http://a.b",
            "https://ab/c.d",
            "https://a.b/c d",
            "ftp://a.b",
            "https://a.b#x",
            "https://a.b?q=1",
            " https://a.b ",
            "https://.",
            "HTTPS://a.b",
            "https://a.b\u{0}",
            "https://a\u{7}.b",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        samples.push(format!("{}@b.ma", "a".repeat(64)));
        samples.push(format!("{}@b.ma", "a".repeat(65)));
        samples.push(format!("{}@b.ma", "é".repeat(64)));
        samples
    }

    fn agree(pattern: &str, accepts: impl Fn(&str) -> bool) {
        for sample in samples() {
            assert_eq!(
                matches(pattern, &sample),
                accepts(&sample),
                "{pattern} and the parser disagree on {sample:?}"
            );
        }
    }

    #[test]
    fn each_form_matches_exactly_what_its_parser_accepts() {
        // Lengths are the spec's `maxLength`, apart from the pattern: large enough here.
        agree(LINE, |s| required_line(s, 1000).is_ok());
        agree(OPTIONAL_LINE, |s| optional_line(Some(s), 1000).is_ok());
        agree(TEXT, |s| required_text(s, 1000).is_ok());
        agree(OPTIONAL_TEXT, |s| optional_text(Some(s), 1000).is_ok());
        agree(EMAIL, |s| Email::parse(s).is_ok());
        agree(OPTIONAL_PHONE, |s| {
            s.trim().is_empty() || parse_phone(s.trim()).is_ok()
        });
        agree(OPTIONAL_WEBSITE, |s| {
            s.trim().is_empty() || parse_website(s).is_ok()
        });
        agree(WEBSITE, |s| parse_website(s).is_ok());
        agree(SECTOR_CODE, crate::dto::events::is_sector_code);
    }

    #[test]
    fn every_name_is_an_expression() {
        for name in [
            "line",
            "optional_line",
            "text",
            "optional_text",
            "email",
            "optional_phone",
            "region",
            "optional_region",
            "optional_commune",
            "optional_website",
            "website",
            "token",
            "id_cursor",
            "code_cursor",
            "pair_cursor",
            "sector_code",
        ] {
            regex::Regex::new(named(name).unwrap()).unwrap();
        }
        assert!(named("nothing").is_none());
    }
}
