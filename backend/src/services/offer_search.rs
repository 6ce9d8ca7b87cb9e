//! The offers' search (`GET /offers/search`): words in French, Arabic or English, filters,
//! counts of each filter's values, by relevance or by date, a page at a time. Answered by the
//! full-text index (`crate::search`), open to everyone, signed in or not.

use chrono::{DateTime, NaiveDate, Utc};
use shared::dto::offers::{MAX_QUERY, OfferSearchResult};
use shared::dto::saved::SearchCriteria;
use shared::{Contract, OfferKind, RequiredEducation, SearchOrder, codes};

use super::pagination;
use crate::error::{ApiError, ApiResult};
use crate::search::{Filters, SearchRequest};
use crate::state::AppState;

/// A search of the live offers.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OfferSearchQuery {
    /// Words to look for, in French, Arabic or English ("stage pfe casa", "développeur",
    /// "مهندس"), in any case, with or without accents, hamza forms or diacritics. Every word
    /// must match; when no offer holds them all, offers holding some are listed
    /// (`relaxed`). At most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    pub kind: Option<OfferKind>,
    pub contract: Option<Contract>,
    /// A region's code (see `/api/v1/regions`).
    pub region: Option<String>,
    /// A commune's code (see `/api/v1/communes`).
    pub commune: Option<String>,
    /// A growth sector's code (see `/api/v1/sectors`).
    pub sector: Option<String>,
    pub education: Option<RequiredEducation>,
    /// Only remote offers (`true`) or only on-site ones (`false`).
    pub remote: Option<bool>,
    /// Offers posted on this day or later (Morocco's calendar day, `YYYY-MM-DD`).
    pub posted_since: Option<NaiveDate>,
    /// `relevance` (the default with words) or `date` (newest first; the default without).
    pub order: Option<SearchOrder>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page, with the same words, filters and order (its form:
    /// `1` then thirty-two hex digits).
    #[param(pattern = "pair_cursor")]
    pub cursor: Option<String>,
}

/// How many live offers matching `criteria` were put live here since `since` (none when no offer
/// holds every word: a relaxed search's offers are not what was asked for).
pub async fn count_since(
    state: &AppState,
    criteria: &SearchCriteria,
    since: DateTime<Utc>,
) -> ApiResult<u64> {
    let request = SearchRequest {
        words: criteria.q.clone().unwrap_or_default(),
        filters: Filters {
            kind: criteria.kind,
            contract: criteria.contract,
            region: criteria.region.clone(),
            commune: criteria.commune.clone(),
            sector: criteria.sector.clone(),
            education: criteria.education,
            remote: criteria.remote,
            posted_since: None,
            listed_since: Some(pagination::storable(since)),
        },
        order: SearchOrder::Date,
        limit: 1,
        after: None,
        now: Utc::now(),
    };
    let reference = state.reference().await?;
    let found = state
        .offers
        .search(&request, reference)
        .map_err(ApiError::Internal)?;
    Ok(if found.relaxed { 0 } else { found.total })
}

/// Searches the live offers.
pub async fn search(state: &AppState, query: &OfferSearchQuery) -> ApiResult<OfferSearchResult> {
    let words = query.q.clone().unwrap_or_default();
    if words.chars().count() > MAX_QUERY {
        return Err(ApiError::field(
            "q",
            codes::TOO_LONG,
            format!("at most {MAX_QUERY} characters"),
        ));
    }
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_pair(query.cursor.as_deref())?;
    let order = query.order.unwrap_or(if words.trim().is_empty() {
        SearchOrder::Date
    } else {
        SearchOrder::Relevance
    });
    // A day in Morocco: from its first moment there (with the offset then in force).
    let posted_since = query.posted_since.map(|day| {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let offset = super::events::in_morocco(midnight)
            .offset()
            .local_minus_utc();
        pagination::storable(midnight - chrono::Duration::seconds(i64::from(offset)))
    });
    let request = SearchRequest {
        words,
        filters: Filters {
            kind: query.kind,
            contract: query.contract,
            region: query.region.clone(),
            commune: query.commune.clone(),
            sector: query.sector.clone(),
            education: query.education,
            remote: query.remote,
            posted_since,
            listed_since: None,
        },
        order,
        limit: limit as usize,
        after,
        now: Utc::now(),
    };
    let reference = state.reference().await?;
    state
        .offers
        .search(&request, reference)
        .map_err(ApiError::Internal)
}
