//! The de-duplication measured against pairs of offers labelled by hand: how many of the
//! pairs labelled the same vacancy share a cluster (recall), and how many of the pairs sharing
//! a cluster were labelled so (precision).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::entities::{ingest_source, offer};

/// One labelled pair: each offer by its source's name and its id there, whether they are the
/// same vacancy, and how the pair was drawn (for the counts by kind of pair).
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub a_source: String,
    pub a_id: String,
    pub b_source: String,
    pub b_id: String,
    pub duplicate: u8,
    #[serde(default)]
    pub drawn: String,
}

/// The counts of one set of pairs.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: u32,
    pub false_positives: u32,
    pub false_negatives: u32,
    pub true_negatives: u32,
}

impl Counts {
    fn add(&mut self, labelled: bool, found: bool) {
        match (labelled, found) {
            (true, true) => self.true_positives += 1,
            (false, true) => self.false_positives += 1,
            (true, false) => self.false_negatives += 1,
            (false, false) => self.true_negatives += 1,
        }
    }

    pub fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            f64::from(self.true_positives) / f64::from(found)
        }
    }

    pub fn recall(&self) -> f64 {
        let labelled = self.true_positives + self.false_negatives;
        if labelled == 0 {
            1.0
        } else {
            f64::from(self.true_positives) / f64::from(labelled)
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// What [`evaluate`] found.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Pairs of which both offers were found.
    pub pairs: u32,
    /// Pairs left out: an offer not imported (rejected, or another file).
    pub missing: u32,
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// The counts by how the pairs were drawn.
    pub by_drawn: BTreeMap<String, Counts>,
    /// The counts of the pairs the rules were tuned on (`tuned`: the file's 1st, 3rd, 5th…
    /// pair) and of the others, never looked at while tuning (`held_out`).
    pub by_half: BTreeMap<String, Counts>,
    /// The pairs decided otherwise than labelled, as `source:id source:id labelled`.
    pub mistakes: Vec<String>,
}

/// Reads the labelled pairs in `path` (CSV: a_source, a_id, b_source, b_id, duplicate, drawn)
/// and compares them with the clusters of the offers in `db`.
pub async fn evaluate(db: &DatabaseConnection, path: &Path) -> anyhow::Result<Evaluation> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let labels: Vec<Label> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .context("reading the labelled pairs")?;
    let sources: BTreeMap<String, i64> = ingest_source::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.name, s.id))
        .collect();
    // Each offer's cluster, by (source, id).
    let mut clusters: BTreeMap<(i64, String), Option<i64>> = BTreeMap::new();
    for (name, id) in &sources {
        let wanted: Vec<String> = labels
            .iter()
            .flat_map(|l| [(&l.a_source, &l.a_id), (&l.b_source, &l.b_id)])
            .filter(|(s, _)| *s == name)
            .map(|(_, k)| k.clone())
            .collect();
        for ids in wanted.chunks(500) {
            for row in offer::Entity::find()
                .filter(offer::Column::IngestSourceId.eq(*id))
                .filter(offer::Column::ExternalId.is_in(ids.iter().cloned()))
                .all(db)
                .await?
            {
                if let Some(key) = row.external_id {
                    clusters.insert((*id, key), row.cluster_id);
                }
            }
        }
    }
    let cluster = |source: &str, id: &str| {
        sources
            .get(source)
            .and_then(|s| clusters.get(&(*s, id.to_owned())))
            .copied()
    };
    let mut evaluation = Evaluation {
        pairs: 0,
        missing: 0,
        counts: Counts::default(),
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
        by_drawn: BTreeMap::new(),
        by_half: BTreeMap::new(),
        mistakes: Vec::new(),
    };
    for (row, label) in labels.iter().enumerate() {
        let (Some(a), Some(b)) = (
            cluster(&label.a_source, &label.a_id),
            cluster(&label.b_source, &label.b_id),
        ) else {
            evaluation.missing += 1;
            continue;
        };
        evaluation.pairs += 1;
        let labelled = label.duplicate == 1;
        let found = a.is_some() && a == b;
        evaluation.counts.add(labelled, found);
        evaluation
            .by_drawn
            .entry(label.drawn.clone())
            .or_default()
            .add(labelled, found);
        let half = if row % 2 == 0 { "tuned" } else { "held_out" };
        evaluation
            .by_half
            .entry(half.to_owned())
            .or_default()
            .add(labelled, found);
        if labelled != found {
            evaluation.mistakes.push(format!(
                "{}:{} {}:{} {}",
                label.a_source, label.a_id, label.b_source, label.b_id, label.duplicate
            ));
        }
    }
    evaluation.precision = evaluation.counts.precision();
    evaluation.recall = evaluation.counts.recall();
    evaluation.f1 = evaluation.counts.f1();
    Ok(evaluation)
}
