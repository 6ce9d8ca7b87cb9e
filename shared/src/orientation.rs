//! Scoring of the interest inventory on Holland's RIASEC model.
//!
//! Each of the six areas has ten items answered on a five-point scale scored 0 (strongly
//! dislike) to 4 (strongly like), so an area scores 0–40: the convention of the freely
//! distributed O*NET Interest Profiler short form. These functions are pure so that the web app
//! shows instant feedback and the server recomputes, byte for byte, what it stores.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::validation::Invalid;

/// Items per area in the inventory.
pub const ITEMS_PER_AREA: usize = 10;
/// Highest answer score (strongly like).
pub const MAX_ANSWER: u8 = 4;
/// Highest area score.
pub const MAX_AREA_SCORE: u8 = ITEMS_PER_AREA as u8 * MAX_ANSWER;
/// A profile whose highest and lowest areas are closer than this is flat: its three-letter code
/// says little, and a counselor should talk it through rather than trust it. Eight points is a
/// fifth of the scale.
pub const FLAT_SPREAD: u8 = 8;

/// The six interest areas, in the order of Holland's hexagon. That order is also the tie rule:
/// of two areas with equal scores, the one earlier in R-I-A-S-E-C comes first in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiasecArea {
    Realistic,
    Investigative,
    Artistic,
    Social,
    Enterprising,
    Conventional,
}

impl RiasecArea {
    pub const ALL: [RiasecArea; 6] = [
        RiasecArea::Realistic,
        RiasecArea::Investigative,
        RiasecArea::Artistic,
        RiasecArea::Social,
        RiasecArea::Enterprising,
        RiasecArea::Conventional,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn letter(self) -> char {
        ['R', 'I', 'A', 'S', 'E', 'C'][self.index()]
    }

    /// The area's name on the wire (JSON and query strings), as serde writes it.
    pub fn as_str(self) -> &'static str {
        [
            "realistic",
            "investigative",
            "artistic",
            "social",
            "enterprising",
            "conventional",
        ][self.index()]
    }

    pub fn from_letter(letter: char) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.letter() == letter.to_ascii_uppercase())
    }
}

/// The six area scores, each 0–40, in R-I-A-S-E-C order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiasecScores(pub [u8; 6]);

/// Scores the answers: `answers` pairs each item's area with its answer (0–4). Every area must
/// have exactly [`ITEMS_PER_AREA`] answers; the order of the items does not matter.
pub fn score(answers: &[(RiasecArea, u8)]) -> Result<RiasecScores, Invalid> {
    let mut totals = [0u8; 6];
    let mut counts = [0usize; 6];
    for &(area, answer) in answers {
        if answer > MAX_ANSWER {
            return Err(Invalid::new(
                codes::ANSWER_OUT_OF_RANGE,
                format!("answers go from 0 to {MAX_ANSWER}"),
            ));
        }
        totals[area.index()] += answer;
        counts[area.index()] += 1;
    }
    if counts.iter().any(|&c| c != ITEMS_PER_AREA) {
        return Err(Invalid::new(
            codes::ANSWERS_INCOMPLETE,
            format!("each area needs exactly {ITEMS_PER_AREA} answers"),
        ));
    }
    Ok(RiasecScores(totals))
}

impl RiasecScores {
    pub fn get(&self, area: RiasecArea) -> u8 {
        self.0[area.index()]
    }

    /// Areas from strongest to weakest; ties keep hexagon order.
    pub fn ranked(&self) -> [RiasecArea; 6] {
        let mut areas = RiasecArea::ALL;
        // A stable sort on descending score leaves equal scores in R-I-A-S-E-C order.
        areas.sort_by_key(|a| std::cmp::Reverse(self.get(*a)));
        areas
    }

    /// The three-letter Holland code: the three strongest areas.
    pub fn code(&self) -> HollandCode {
        let ranked = self.ranked();
        HollandCode([ranked[0], ranked[1], ranked[2]])
    }

    /// Differentiation: the highest area score minus the lowest.
    pub fn spread(&self) -> u8 {
        let max = self.0.iter().max().copied().unwrap_or(0);
        let min = self.0.iter().min().copied().unwrap_or(0);
        max - min
    }

    /// True when the areas are too close to tell the profile apart (see [`FLAT_SPREAD`]).
    pub fn is_flat(&self) -> bool {
        self.spread() < FLAT_SPREAD
    }

    /// Pearson correlation with another six-score profile (for example an occupation's O*NET
    /// interest profile), from −1 to 1; `None` when either profile has no variation.
    pub fn correlation(&self, other: &[f64; 6]) -> Option<f64> {
        let mine = self.0.map(f64::from);
        pearson(&mine, other)
    }
}

/// Pearson's r of two six-value profiles; `None` when either is constant.
pub fn pearson(a: &[f64; 6], b: &[f64; 6]) -> Option<f64> {
    let mean = |v: &[f64; 6]| v.iter().sum::<f64>() / 6.0;
    let (ma, mb) = (mean(a), mean(b));
    let mut cov = 0.0;
    let mut va = 0.0;
    let mut vb = 0.0;
    for i in 0..6 {
        let (da, db) = (a[i] - ma, b[i] - mb);
        cov += da * db;
        va += da * da;
        vb += db * db;
    }
    (va > f64::EPSILON && vb > f64::EPSILON).then(|| cov / (va.sqrt() * vb.sqrt()))
}

/// A three-letter Holland code such as `SEA`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HollandCode(pub [RiasecArea; 3]);

impl HollandCode {
    /// Parses three distinct RIASEC letters, as O*NET's high-point codes are written.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let invalid = || {
            Invalid::new(
                codes::HOLLAND_CODE_INVALID,
                "must be three distinct letters of RIASEC",
            )
        };
        let areas: Vec<RiasecArea> = text
            .chars()
            .map(RiasecArea::from_letter)
            .collect::<Option<_>>()
            .ok_or_else(invalid)?;
        match areas.as_slice() {
            [a, b, c] if a != b && b != c && a != c => Ok(Self([*a, *b, *c])),
            _ => Err(invalid()),
        }
    }

    /// Iachan's congruence index (M, 1984) between a person's code and an occupation's, from 0
    /// (nothing shared) to 28 (same letters in the same order). A letter found in both codes
    /// earns the weight of its two positions: first-first counts most.
    pub fn iachan(&self, occupation: &HollandCode) -> u8 {
        const WEIGHTS: [[u8; 3]; 3] = [[22, 10, 4], [10, 5, 2], [4, 2, 1]];
        let mut total = 0;
        for (i, area) in self.0.iter().enumerate() {
            if let Some(j) = occupation.0.iter().position(|a| a == area) {
                total += WEIGHTS[i][j];
            }
        }
        total
    }
}

impl fmt::Display for HollandCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|a| write!(f, "{}", a.letter()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RiasecArea::*;
    use proptest::prelude::*;

    #[test]
    fn an_area_is_named_as_serde_names_it() {
        for area in RiasecArea::ALL {
            assert_eq!(
                serde_json::to_value(area).unwrap(),
                serde_json::json!(area.as_str())
            );
        }
    }

    /// Ten answers per area, area by area, with the given per-area answer.
    fn uniform(per_area: [u8; 6]) -> Vec<(RiasecArea, u8)> {
        RiasecArea::ALL
            .iter()
            .flat_map(|&a| std::iter::repeat_n((a, per_area[a.index()]), ITEMS_PER_AREA))
            .collect()
    }

    #[test]
    fn a_known_answer_sheet_scores_as_by_hand() {
        let scores = score(&uniform([1, 2, 0, 4, 3, 2])).unwrap();
        assert_eq!(scores.0, [10, 20, 0, 40, 30, 20]);
        assert_eq!(scores.code().to_string(), "SEI");
        assert!(!scores.is_flat());
    }

    #[test]
    fn ties_follow_the_hexagon_order() {
        let scores = RiasecScores([20, 30, 30, 10, 30, 0]);
        assert_eq!(scores.code().to_string(), "IAE");
        let all_equal = RiasecScores([25; 6]);
        assert_eq!(all_equal.code().to_string(), "RIA");
        assert!(all_equal.is_flat());
    }

    #[test]
    fn incomplete_or_out_of_range_answers_are_refused() {
        let mut answers = uniform([2; 6]);
        answers.pop();
        assert_eq!(score(&answers).unwrap_err().code, "answers.incomplete");
        let mut bad = uniform([2; 6]);
        bad[0].1 = 5;
        assert_eq!(score(&bad).unwrap_err().code, "answer.out_of_range");
    }

    #[test]
    fn iachan_index_spans_zero_to_twenty_eight() {
        let code = |s| HollandCode::parse(s).unwrap();
        assert_eq!(code("SEA").iachan(&code("SEA")), 28);
        assert_eq!(code("SEA").iachan(&code("RIC")), 0);
        assert_eq!(code("SEA").iachan(&code("ESA")), 10 + 10 + 1);
        assert_eq!(code("SEA").iachan(&code("CRS")), 4);
        assert!(HollandCode::parse("SSA").is_err());
        assert!(HollandCode::parse("SX").is_err());
    }

    #[test]
    fn correlation_of_a_profile_with_itself_is_one_and_flat_profiles_have_none() {
        let scores = RiasecScores([10, 20, 0, 40, 30, 20]);
        let same = scores.0.map(f64::from);
        assert!((scores.correlation(&same).unwrap() - 1.0).abs() < 1e-12);
        let mirrored = same.map(|v| 40.0 - v);
        assert!((scores.correlation(&mirrored).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(scores.correlation(&[3.0; 6]), None);
    }

    fn answer_sheet() -> impl Strategy<Value = Vec<(RiasecArea, u8)>> {
        proptest::collection::vec(0u8..=MAX_ANSWER, 60).prop_map(|answers| {
            answers
                .into_iter()
                .enumerate()
                .map(|(i, a)| (RiasecArea::ALL[i / ITEMS_PER_AREA], a))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn scores_stay_within_bounds(answers in answer_sheet()) {
            let scores = score(&answers).unwrap();
            prop_assert!(scores.0.iter().all(|&s| s <= MAX_AREA_SCORE));
            prop_assert_eq!(scores.0.iter().map(|&s| u32::from(s)).sum::<u32>(), answers.iter().map(|&(_, a)| u32::from(a)).sum::<u32>());
        }

        #[test]
        fn item_order_does_not_matter(answers in answer_sheet(), seed in any::<u64>()) {
            let mut shuffled = answers.clone();
            // A deterministic shuffle driven by the generated seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(score(&answers).unwrap(), score(&shuffled).unwrap());
        }

        #[test]
        fn the_code_lists_the_three_strongest_distinct_areas(scores in proptest::array::uniform6(0u8..=MAX_AREA_SCORE)) {
            let scores = RiasecScores(scores);
            let code = scores.code();
            let weakest_in_code = code.0.iter().map(|a| scores.get(*a)).min().unwrap();
            let outside = RiasecArea::ALL.iter().filter(|a| !code.0.contains(a));
            for area in outside {
                prop_assert!(scores.get(*area) <= weakest_in_code);
            }
            prop_assert_ne!(code.0[0], code.0[1]);
            // An independent oracle: a stable sort by score, strongest first, keeps the
            // hexagon order (R I A S E C) among ties, which is the documented tie rule.
            let mut ranked = RiasecArea::ALL.to_vec();
            ranked.sort_by_key(|a| std::cmp::Reverse(scores.get(*a)));
            prop_assert_eq!(code.0.to_vec(), ranked[..3].to_vec());
        }

        #[test]
        fn iachan_is_bounded_and_maximal_only_for_the_same_code(a in 0usize..120, b in 0usize..120) {
            let codes: Vec<HollandCode> = permutations();
            let (x, y) = (codes[a], codes[b]);
            let m = x.iachan(&y);
            prop_assert!(m <= 28);
            prop_assert_eq!(m == 28, x == y);
        }
    }

    /// All 120 ordered three-letter codes.
    fn permutations() -> Vec<HollandCode> {
        let mut codes = Vec::new();
        for a in RiasecArea::ALL {
            for b in RiasecArea::ALL {
                for c in RiasecArea::ALL {
                    if a != b && b != c && a != c {
                        codes.push(HollandCode([a, b, c]));
                    }
                }
            }
        }
        codes
    }

    #[test]
    fn every_area_has_its_letter() {
        let letters: String = RiasecArea::ALL.iter().map(|a| a.letter()).collect();
        assert_eq!(letters, "RIASEC");
        assert_eq!(RiasecArea::from_letter('s'), Some(Social));
        assert_eq!(Realistic.index(), 0);
    }
}
