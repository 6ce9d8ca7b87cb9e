//! Searching the offers' index: the words (each must match, in any field of its script; if no
//! offer holds them all, any may), the filters, the counts of each filter's values, and a page
//! after a cursor, by relevance or by date.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use shared::dto::offers::{FacetCount, OfferFacets, OfferHit, OfferSearchResult};
use shared::{Contract, OfferKind, RequiredEducation, SearchOrder};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DocAddress, Score, Searcher, SegmentReader, TantivyDocument, Term};

use super::counts::{self, Counter, Counts, DIMENSIONS};
use super::{Fields, LANGUAGES, OfferIndex, Text, analysis};
use crate::reference::Reference;

/// What a search may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kind: Option<OfferKind>,
    pub contract: Option<Contract>,
    pub region: Option<String>,
    pub commune: Option<String>,
    pub sector: Option<String>,
    pub education: Option<RequiredEducation>,
    pub remote: Option<bool>,
    pub posted_since: Option<DateTime<Utc>>,
    /// Put live here since (a saved search's "new since the last visit").
    pub listed_since: Option<DateTime<Utc>>,
}

/// A search: its words, filters, order and page.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub words: String,
    pub filters: Filters,
    pub order: SearchOrder,
    pub limit: usize,
    /// The last hit of the previous page: its score's bits (relevance) or its posting time in
    /// microseconds (date), and its id.
    pub after: Option<(i64, i64)>,
    pub now: DateTime<Utc>,
}

impl Filters {
    /// The value chosen for `dimension`, if any.
    fn value(&self, dimension: &str) -> Option<String> {
        match dimension {
            "kind" => self.kind.map(|k| k.as_str().to_owned()),
            "contract" => self.contract.map(|c| c.as_str().to_owned()),
            "region" => self.region.clone(),
            "commune" => self.commune.clone(),
            "sector" => self.sector.clone(),
            "education" => self.education.map(|e| e.as_str().to_owned()),
            "remote" => self.remote.map(|r| r.to_string()),
            _ => None,
        }
    }
}

/// Offers not yet past their date.
pub(super) fn unexpired(f: Fields, now: DateTime<Utc>) -> RangeQuery {
    RangeQuery::new(
        Bound::Excluded(Term::from_field_i64(f.expires, now.timestamp_micros())),
        Bound::Unbounded,
    )
}

fn filter(query: impl Query) -> (Occur, Box<dyn Query>) {
    (
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(query), 0.0)),
    )
}

/// How much a word found in each kind of text weighs.
const WEIGHTS: [(Text, Score); 3] = [(Text::Title, 3.0), (Text::Meta, 1.5), (Text::Body, 1.0)];
const PLACE_WEIGHT: Score = 2.5;

/// A word's query: any field of its script, weighted; `None` when the word is a stop word in
/// every language.
fn word_query(f: Fields, word: &str) -> Option<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut push = |field, text: &str, weight: Score| {
        let term = Term::from_field_text(field, text);
        let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
        any.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), weight)),
        ));
    };
    for (text, weight) in WEIGHTS {
        for (l, analyser) in LANGUAGES.into_iter().enumerate() {
            for term in analysis::terms(analyser, word) {
                push(f.text[text as usize][l], &term, weight);
            }
        }
    }
    for term in analysis::terms(analysis::PLACE, word) {
        push(f.place, &term, PLACE_WEIGHT);
    }
    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
}

impl OfferIndex {
    /// The words' query: each word required (`all`) or any of them.
    fn words_query(&self, words: &str, all: bool) -> Option<Box<dyn Query>> {
        let folded = shared::search::fold(words);
        let occur = if all { Occur::Must } else { Occur::Should };
        let clauses: Vec<(Occur, Box<dyn Query>)> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .filter_map(|w| word_query(self.fields, w))
            .map(|q| (occur, q))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The query of the words and every filter but `except`'s.
    fn query(
        &self,
        words: &Option<Box<dyn Query>>,
        filters: &Filters,
        now: DateTime<Utc>,
        except: Option<&str>,
    ) -> BooleanQuery {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![filter(unexpired(f, now))];
        match words {
            Some(words) => clauses.push((Occur::Must, words.box_clone())),
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        for dimension in DIMENSIONS {
            if Some(dimension) == except {
                continue;
            }
            if let Some(value) = filters.value(dimension) {
                let facet = Facet::from_path([dimension, value.as_str()]);
                let term = Term::from_facet(f.facets, &facet);
                clauses.push(filter(TermQuery::new(term, IndexRecordOption::Basic)));
            }
        }
        for (field, since) in [
            (f.posted, filters.posted_since),
            (f.listed, filters.listed_since),
        ] {
            if let Some(since) = since {
                clauses.push(filter(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(field, since.timestamp_micros())),
                    Bound::Unbounded,
                )));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// Runs a search.
    pub fn search(
        &self,
        request: &SearchRequest,
        reference: &Reference,
    ) -> anyhow::Result<OfferSearchResult> {
        let searcher = self.reader.searcher();
        let mut relaxed = false;
        let mut words = self.words_query(&request.words, true);
        let (mut top, mut total, mut counts) = self.run(&searcher, &words, request)?;
        // Nothing holds every word: what holds some of them, best first.
        if total == 0 && words.is_some() && request.words.split_whitespace().nth(1).is_some() {
            let any = self.words_query(&request.words, false);
            let again = self.run(&searcher, &any, request)?;
            if again.1 > 0 {
                (top, total, counts) = again;
                words = any;
                relaxed = true;
            }
        }
        let limit = request.limit;
        let more = top.len() > limit;
        top.truncate(limit);
        let mut items = Vec::with_capacity(top.len());
        for (_, address) in &top {
            items.push(self.hit_at(&searcher, *address)?);
        }
        let next_cursor = if more {
            top.last()
                .map(|(key, _)| crate::services::pagination::encode_pair(*key))
        } else {
            None
        };
        // Each chosen filter's own counts: the search without that filter.
        let mut facets = OfferFacets::default();
        for (d, dimension) in DIMENSIONS.into_iter().enumerate() {
            let chosen = request.filters.value(dimension);
            let list = if chosen.is_some() {
                let query = self.query(&words, &request.filters, request.now, Some(dimension));
                let own = searcher.search(&query, &Counter { counted: vec![d] })?;
                counts::list(dimension, &own[d], chosen.as_deref(), reference)
            } else {
                counts::list(dimension, &counts[d], None, reference)
            };
            *facet_slot(&mut facets, dimension) = list;
        }
        Ok(OfferSearchResult {
            total,
            relaxed,
            order: request.order,
            items,
            next_cursor,
            facets,
        })
    }

    /// One pass: the page's hits with their sort keys (`limit + 1` of them), the total, and
    /// the counts of the dimensions not filtered on.
    #[allow(clippy::type_complexity)]
    fn run(
        &self,
        searcher: &Searcher,
        words: &Option<Box<dyn Query>>,
        request: &SearchRequest,
    ) -> anyhow::Result<(Vec<((i64, i64), DocAddress)>, u64, Counts)> {
        let query = self.query(words, &request.filters, request.now, None);
        let collector = Counter {
            counted: (0..DIMENSIONS.len())
                .filter(|d| request.filters.value(DIMENSIONS[*d]).is_none())
                .collect(),
        };
        let after = request.after;
        let by_date = request.order == SearchOrder::Date;
        let top =
            TopDocs::with_limit(request.limit + 1).tweak_score(move |segment: &SegmentReader| {
                let fast = segment.fast_fields();
                let ids = fast.u64("id").ok().map(|c| c.first_or_default_col(0));
                let posted = fast.i64("posted").ok().map(|c| c.first_or_default_col(0));
                move |doc, score: Score| {
                    let id = ids.as_ref()?.get_val(doc) as i64;
                    let first = if by_date {
                        posted.as_ref()?.get_val(doc)
                    } else {
                        // Scores are positive: their bits order as they do.
                        i64::from(score.max(0.0).to_bits())
                    };
                    let key = (first, id);
                    // Descending: a later page holds smaller keys.
                    match after {
                        Some(cursor) if key >= cursor => None,
                        _ => Some(key),
                    }
                }
            });
        let (top, total, counts) = searcher.search(&query, &(top, Count, collector))?;
        let top = top
            .into_iter()
            .filter_map(|(key, address)| key.map(|k| (k, address)))
            .collect();
        Ok((top, total as u64, counts))
    }

    fn hit_at(&self, searcher: &Searcher, address: DocAddress) -> anyhow::Result<OfferHit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let bytes = doc
            .get_first(self.fields.hit)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| anyhow::anyhow!("an indexed offer without its hit"))?;
        Ok(serde_json::from_slice(bytes)?)
    }
}

fn facet_slot<'a>(facets: &'a mut OfferFacets, dimension: &str) -> &'a mut Vec<FacetCount> {
    match dimension {
        "kind" => &mut facets.kind,
        "contract" => &mut facets.contract,
        "region" => &mut facets.region,
        "commune" => &mut facets.commune,
        "sector" => &mut facets.sector,
        "education" => &mut facets.education,
        _ => &mut facets.remote,
    }
}
