//! What a user keeps of the offers: offers she saved, and searches she saved, each telling how
//! many offers came since she last opened it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes;
use crate::domain::{Contract, OfferKind, OfferStatus, RequiredEducation};
use crate::dto::offers::MAX_QUERY;
use crate::validation::{FieldErrors, Invalid};

/// The most searches one keeps.
pub const MAX_SAVED_SEARCHES: usize = 20;
/// The longest code of a region, commune or sector a search names.
const MAX_CODE: usize = 40;

/// A search's words and filters, as the search takes them (`GET /offers/search`), without its
/// order and page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchCriteria {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OfferKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<Contract>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub commune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<RequiredEducation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
}

fn code(raw: &Option<String>) -> Result<Option<String>, Invalid> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) if code.chars().count() > MAX_CODE => Err(Invalid::new(
            codes::TOO_LONG,
            format!("at most {MAX_CODE} characters"),
        )),
        Some(code) => Ok(Some(code.to_owned())),
    }
}

impl SearchCriteria {
    /// The criteria trimmed, blanks dropped (so that the same search is written alike).
    pub fn parse(&self) -> Result<SearchCriteria, FieldErrors> {
        let mut errors = FieldErrors::new();
        let q = match self
            .q
            .as_deref()
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
        {
            Some(q) if q.chars().count() > MAX_QUERY => {
                errors.push(
                    "q",
                    codes::TOO_LONG,
                    format!("at most {MAX_QUERY} characters"),
                );
                None
            }
            Some(q) if q.is_empty() => None,
            other => other,
        };
        let region = errors.check("region", code(&self.region)).flatten();
        let commune = errors.check("commune", code(&self.commune)).flatten();
        let sector = errors.check("sector", code(&self.sector)).flatten();
        errors.finish(|| SearchCriteria {
            q,
            kind: self.kind,
            contract: self.contract,
            region,
            commune,
            sector,
            education: self.education,
            remote: self.remote,
        })
    }

    /// The search's address query (`q=…&kind=…`), as the search page and the API take it.
    pub fn to_query(&self) -> String {
        let pairs: [(&str, Option<String>); 8] = [
            ("q", self.q.clone()),
            ("kind", self.kind.map(|v| v.as_str().to_owned())),
            ("contract", self.contract.map(|v| v.as_str().to_owned())),
            ("region", self.region.clone()),
            ("commune", self.commune.clone()),
            ("sector", self.sector.clone()),
            ("education", self.education.map(|v| v.as_str().to_owned())),
            ("remote", self.remote.map(|v| v.to_string())),
        ];
        pairs
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| format!("{name}={}", encode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `value` percent-encoded for an address's query (letters, digits and `-._~` kept; spaces as
/// `+`).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// A saved search, with the number of live offers matching it posted since she last opened it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedSearchView {
    pub id: i64,
    pub criteria: SearchCriteria,
    pub created_at: DateTime<Utc>,
    /// When she last opened it (its creation until then).
    pub visited_at: DateTime<Utc>,
    /// Live offers matching it posted since `visited_at`.
    pub new_offers: u64,
}

/// A saved offer, as her list shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedOfferView {
    pub offer_id: i64,
    pub title: String,
    pub employer_name: String,
    pub kind: OfferKind,
    /// The offer's status now: a saved offer that ended stays listed, marked.
    pub status: OfferStatus,
    pub commune_name_fr: Option<String>,
    pub commune_name_ar: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub saved_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_search_is_written_alike_and_becomes_its_address() {
        let typed = SearchCriteria {
            q: Some("  stage   pfe  casa ".into()),
            region: Some(" ".into()),
            kind: Some(OfferKind::Internship),
            ..Default::default()
        };
        let parsed = typed.parse().unwrap();
        assert_eq!(parsed.q.as_deref(), Some("stage pfe casa"));
        assert_eq!(parsed.region, None);
        assert_eq!(parsed.to_query(), "q=stage+pfe+casa&kind=internship");
        let arabic = SearchCriteria {
            q: Some("مهندس & co".into()),
            ..Default::default()
        };
        assert_eq!(arabic.to_query(), "q=%D9%85%D9%87%D9%86%D8%AF%D8%B3+%26+co");
        let long = SearchCriteria {
            q: Some("a".repeat(MAX_QUERY + 1)),
            ..Default::default()
        };
        assert_eq!(long.parse().unwrap_err().0[0].field, "q");
    }
}
