//! The filters' counts: each dimension's value of an offer is also a number in a fast field
//! (`n_kind`, `n_region`…: 0 when blank, else its place in the dimension's list plus one),
//! read per matching offer and counted in arrays. Much cheaper per search than tantivy's facet
//! collector, which walks the facet dictionary of every segment on every search.

use std::sync::Arc;

use shared::dto::offers::{COMMUNE_FACETS, FacetCount};
use shared::{Contract, OfferKind, RequiredEducation};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::reference::Reference;

/// The counted dimensions, in the order of `OfferFacets`; each is also a filter.
pub const DIMENSIONS: [&str; 7] = [
    "kind",
    "contract",
    "region",
    "commune",
    "sector",
    "education",
    "remote",
];

/// The fast field holding a dimension's number.
pub fn field(dimension: &str) -> String {
    format!("n_{dimension}")
}

fn place<T: PartialEq>(list: &[T], wanted: &T) -> u64 {
    list.iter()
        .position(|v| v == wanted)
        .map_or(0, |i| i as u64 + 1)
}

/// The number of `value` in `dimension` (0: blank or unknown).
pub fn number(dimension: &str, value: &str, reference: &Reference) -> u64 {
    match dimension {
        "kind" => OfferKind::parse(value).map_or(0, |v| place(OfferKind::ALL, &v)),
        "contract" => Contract::parse(value).map_or(0, |v| place(Contract::ALL, &v)),
        "education" => {
            RequiredEducation::parse(value).map_or(0, |v| place(RequiredEducation::ALL, &v))
        }
        "region" => place(reference.region_codes(), &value.to_owned()),
        "sector" => place(reference.sector_codes(), &value.to_owned()),
        "commune" => reference.commune_index(value).map_or(0, |i| i as u64 + 1),
        "remote" => match value {
            "false" => 1,
            "true" => 2,
            _ => 0,
        },
        _ => 0,
    }
}

/// The value of `number` in `dimension`, with its place names.
fn value(
    dimension: &str,
    number: usize,
    reference: &Reference,
) -> Option<(String, Option<String>, Option<String>)> {
    let at = number.checked_sub(1)?;
    let plain = |text: &str| Some((text.to_owned(), None, None));
    match dimension {
        "kind" => plain(OfferKind::ALL.get(at)?.as_str()),
        "contract" => plain(Contract::ALL.get(at)?.as_str()),
        "education" => plain(RequiredEducation::ALL.get(at)?.as_str()),
        "sector" => plain(reference.sector_codes().get(at)?),
        "remote" => plain(["false", "true"].get(at)?),
        "region" => {
            let code = reference.region_codes().get(at)?;
            let names = reference.region_names(code);
            Some((
                code.clone(),
                names.map(|n| n.0.clone()),
                names.map(|n| n.1.clone()),
            ))
        }
        "commune" => {
            let commune = reference.commune_at(at)?;
            Some((
                commune.code.clone(),
                Some(commune.name_fr.clone()),
                Some(commune.name_ar.clone()),
            ))
        }
        _ => None,
    }
}

/// Each dimension's counts, by number.
pub type Counts = [Vec<u64>; 7];

/// Counts the dimensions `counted` (their places in [`DIMENSIONS`]) of the matching offers.
pub struct Counter {
    pub counted: Vec<usize>,
}

pub struct SegmentCounter {
    columns: Vec<(usize, Arc<dyn ColumnValues<u64>>)>,
    counts: Counts,
}

impl Collector for Counter {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let mut columns = Vec::with_capacity(self.counted.len());
        for &d in &self.counted {
            let column = reader.fast_fields().u64(&field(DIMENSIONS[d]))?;
            columns.push((d, column.first_or_default_col(0)));
        }
        Ok(SegmentCounter {
            columns,
            counts: Default::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all: Counts = Default::default();
        for fruit in fruits {
            for (d, counts) in fruit.into_iter().enumerate() {
                if all[d].len() < counts.len() {
                    all[d].resize(counts.len(), 0);
                }
                for (n, count) in counts.into_iter().enumerate() {
                    all[d][n] += count;
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (d, column) in &self.columns {
            let n = column.get_val(doc) as usize;
            let counts = &mut self.counts[*d];
            if counts.len() <= n {
                counts.resize(n + 1, 0);
            }
            counts[n] += 1;
        }
    }

    fn harvest(self) -> Counts {
        self.counts
    }
}

/// A dimension's counts as the API lists them: most frequent first, blanks left out, the
/// communes cut to the first twenty; the value `chosen` as a filter is listed whatever its
/// count or rank (last when it would not be otherwise), so that a form can name it.
pub fn list(
    dimension: &str,
    counts: &[u64],
    chosen: Option<&str>,
    reference: &Reference,
) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .filter_map(|(n, count)| {
            let (value, name_fr, name_ar) = value(dimension, n, reference)?;
            Some(FacetCount {
                value,
                count: *count,
                name_fr,
                name_ar,
            })
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    if dimension == "commune" {
        list.truncate(COMMUNE_FACETS);
    }
    if let Some(chosen) = chosen.filter(|c| !list.iter().any(|f| f.value == *c)) {
        let n = number(dimension, chosen, reference) as usize;
        if let Some((value, name_fr, name_ar)) = value(dimension, n, reference) {
            list.push(FacetCount {
                value,
                count: counts.get(n).copied().unwrap_or(0),
                name_fr,
                name_ar,
            });
        }
    }
    list
}
