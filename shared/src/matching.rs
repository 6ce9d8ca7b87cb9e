//! Matching an interest profile to occupations and sectors.
//!
//! The first measure is the correlation of the six scores: it compares the *shape* of two
//! profiles, so a youth's 0–40 scores compare directly with O*NET's 1–7 occupational interests.
//! The second is Iachan's congruence index on the three-letter codes, the measure counselors
//! know; it breaks ties and is shown beside the correlation. Pure, like the scoring, so that the
//! server ranks and the web app explains with the same rules.

use std::cmp::Ordering;

use crate::EducationLevel;
use crate::orientation::{HollandCode, RiasecArea, RiasecScores};

/// One candidate's place in a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Position of the candidate in the slice given to [`rank`].
    pub index: usize,
    /// Pearson correlation of the six scores, −1 to 1, rounded to three decimals; 0 when either
    /// profile has no variation (a perfectly flat answer sheet matches nothing better than
    /// anything else, so the congruence index decides).
    pub correlation: f64,
    /// Iachan's index between the youth's code and the candidate's, 0–28.
    pub congruence: u8,
}

/// The three-letter code of a real-valued profile (an occupation's O*NET interests), with the
/// same tie rule as a youth's: equal scores keep hexagon order.
pub fn code_of(profile: &[f64; 6]) -> HollandCode {
    let mut areas = RiasecArea::ALL;
    areas.sort_by(|a, b| {
        profile[b.index()]
            .partial_cmp(&profile[a.index()])
            .unwrap_or(Ordering::Equal)
    });
    HollandCode([areas[0], areas[1], areas[2]])
}

/// Ranks candidate profiles for `scores`, best first: by correlation, then congruence, then the
/// candidate's position (so equal candidates keep the caller's order, e.g. by ISCO code). At most
/// `limit` are kept.
pub fn rank(scores: &RiasecScores, candidates: &[[f64; 6]], limit: usize) -> Vec<Ranked> {
    let code = scores.code();
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .enumerate()
        .map(|(index, profile)| Ranked {
            index,
            correlation: round3(scores.correlation(profile).unwrap_or(0.0)),
            congruence: code.iachan(&code_of(profile)),
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.correlation
            .total_cmp(&a.correlation)
            .then(b.congruence.cmp(&a.congruence))
            .then(a.index.cmp(&b.index))
    });
    ranked.truncate(limit);
    ranked
}

/// The areas of the youth's code that the candidate also shows (its own code, or a sector's
/// declared areas), in the youth's order: what "your strongest interests, Social and
/// Enterprising, are this occupation's" names.
pub fn shared_areas(youth: &HollandCode, candidate: &[RiasecArea]) -> Vec<RiasecArea> {
    youth
        .0
        .iter()
        .copied()
        .filter(|a| candidate.contains(a))
        .collect()
}

/// The mean of several profiles, e.g. a sector's from its trades'; `None` for none.
pub fn mean_profile(profiles: &[[f64; 6]]) -> Option<[f64; 6]> {
    if profiles.is_empty() {
        return None;
    }
    let n = profiles.len() as f64;
    Some(std::array::from_fn(|i| {
        profiles.iter().map(|p| p[i]).sum::<f64>() / n
    }))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

impl EducationLevel {
    /// The highest O*NET job zone (1–5, the preparation an occupation asks) that this level
    /// reaches now or with one usual next step: zone 2 asks for secondary school, zone 3 for
    /// vocational training or two years after the bac, zone 4 for a licence, zone 5 for a
    /// master's or more. A bachelier is shown zone 3 because OFPPT and BTS courses open to them.
    pub fn max_job_zone(self) -> u8 {
        match self {
            EducationLevel::Primary
            | EducationLevel::LowerSecondary
            | EducationLevel::UpperSecondary => 2,
            EducationLevel::Baccalaureate
            | EducationLevel::VocationalQualification
            | EducationLevel::ShortHigher => 3,
            EducationLevel::Bachelor => 4,
            EducationLevel::Master | EducationLevel::Doctorate => 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RiasecArea::*;
    use proptest::prelude::*;

    /// Three made-up occupations with distinct shapes.
    const NURSE_LIKE: [f64; 6] = [2.0, 3.5, 2.0, 6.5, 3.0, 3.0];
    const MECHANIC_LIKE: [f64; 6] = [6.8, 3.6, 1.2, 1.5, 2.0, 3.5];
    const SALES_LIKE: [f64; 6] = [1.5, 1.8, 2.5, 4.0, 6.6, 4.2];

    #[test]
    fn a_profile_equal_to_an_occupation_ranks_it_first() {
        let candidates = [NURSE_LIKE, MECHANIC_LIKE, SALES_LIKE];
        for (i, target) in candidates.iter().enumerate() {
            // The occupation's shape on the 0–40 scale.
            let scores = RiasecScores(target.map(|v| ((v - 1.0) / 6.0 * 40.0).round() as u8));
            let ranked = rank(&scores, &candidates, 3);
            assert_eq!(ranked[0].index, i);
            assert!(ranked[0].correlation > 0.99);
        }
    }

    #[test]
    fn three_letter_codes_match_the_high_point_codes() {
        assert_eq!(code_of(&NURSE_LIKE).to_string(), "SIE");
        assert_eq!(code_of(&MECHANIC_LIKE).to_string(), "RIC");
        assert_eq!(code_of(&SALES_LIKE).to_string(), "ECS");
        // Ties keep hexagon order, as for a youth.
        assert_eq!(code_of(&[3.0, 5.0, 5.0, 1.0, 5.0, 1.0]).to_string(), "IAE");
    }

    #[test]
    fn the_explanation_names_the_shared_areas_in_the_youths_order() {
        let youth = HollandCode([Social, Enterprising, Artistic]);
        let occupation = code_of(&SALES_LIKE);
        assert_eq!(
            shared_areas(&youth, &occupation.0),
            vec![Social, Enterprising]
        );
        assert!(shared_areas(&youth, &[Realistic, Investigative]).is_empty());
    }

    #[test]
    fn a_flat_sheet_is_ranked_by_congruence_alone() {
        let flat = RiasecScores([20; 6]);
        let ranked = rank(&flat, &[SALES_LIKE, MECHANIC_LIKE], 2);
        assert!(ranked.iter().all(|r| r.correlation == 0.0));
        // Code RIA: the mechanic-like RIC shares R and I in first places.
        assert_eq!(ranked[0].index, 1);
    }

    #[test]
    fn a_mean_profile_averages_each_area() {
        assert_eq!(mean_profile(&[]), None);
        let mean = mean_profile(&[NURSE_LIKE, MECHANIC_LIKE]).unwrap();
        assert!((mean[0] - 4.4).abs() < 1e-9 && (mean[3] - 4.0).abs() < 1e-9);
    }

    #[test]
    fn education_opens_job_zones_step_by_step() {
        let zones: Vec<u8> = EducationLevel::ALL
            .iter()
            .map(|e| e.max_job_zone())
            .collect();
        assert!(zones.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(EducationLevel::Primary.max_job_zone(), 2);
        assert_eq!(EducationLevel::Master.max_job_zone(), 5);
    }

    proptest! {
        #[test]
        fn rankings_are_sorted_bounded_and_complete(
            scores in proptest::array::uniform6(0u8..=40),
            profiles in proptest::collection::vec(proptest::array::uniform6(1.0f64..7.0), 0..30),
            limit in 0usize..40,
        ) {
            let ranked = rank(&RiasecScores(scores), &profiles, limit);
            prop_assert_eq!(ranked.len(), profiles.len().min(limit));
            for pair in ranked.windows(2) {
                prop_assert!(pair[0].correlation >= pair[1].correlation);
            }
            for r in &ranked {
                prop_assert!((-1.0..=1.0).contains(&r.correlation));
                prop_assert!(r.congruence <= 28);
            }
        }
    }
}
