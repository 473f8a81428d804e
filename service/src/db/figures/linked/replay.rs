//! The algorithm's replay and what replay-safe releases cost ([`super::attacker`]'s worlds,
//! released with stand-in worlds or not): the same small cells give the same pattern, an
//! exhaustive replay of small worlds, and a measurement of both modes.

use super::Answer;
use super::attacker::World;
use super::tests::{active_only, two_years, world};
use crate::domain::disclosure::Reason;
use crate::domain::disclosure::grid::DIMS;
use crate::domain::disclosure::linked as l;

/// The algorithm's replay: an attacker who knows it runs it on every world they think
/// possible and keeps those that publish the same. Released replay-safe, the pattern is
/// decided on stand-in worlds built from the labels alone, so every world with the same small
/// cells gets the same pattern, and the true values decide nothing (no fallback). Audited
/// (the default), in the world of networks 10, 2 and 10 (two in one province) the province is
/// withheld only where network a is 10 to 12, and a replay pins it there.
#[test]
fn worlds_with_the_same_small_cells_get_the_same_pattern() {
    let towns = [("a", "PV20"), ("a", "PV21"), ("a", "PV22")];
    let networks = [("a", "PV20"), ("c", "PV20"), ("b", "PV21")];
    // Per layout, values for each atom with the same labels: the first atom and the third
    // at least 10 (or the third small too), the second small.
    let cases: [(_, &[i64], &[i64], &[i64]); 2] = [
        (towns, &[12, 15, 24], &[0, 4, 9], &[0, 3, 9]),
        (networks, &[10, 11, 12, 13, 19], &[0, 2, 9], &[10, 12, 20]),
    ];
    for (layout, first, second, third) in cases {
        let mut patterns = std::collections::HashMap::new();
        for &x in first {
            for &y in second {
                for &z in third {
                    let atoms: Vec<(&str, &str, &str, i64)> = [x, y, z]
                        .iter()
                        .zip(layout)
                        .map(|(&v, (n, p))| (n, p, "V", v))
                        .collect();
                    let mut w = active_only(&atoms, &[]);
                    w.replay_safe = true;
                    let protected = w.protect();
                    assert_eq!(protected.fallbacks, 0, "{x} {y} {z}");
                    let pattern: Vec<(bool, Option<&str>)> = protected
                        .answers
                        .iter()
                        .flat_map(|a| a.cells.iter().chain([&a.total]))
                        .map(|c| c.figures[l::ACTIVE])
                        .map(|f| (f.value.is_some(), f.reason.map(reason)))
                        .collect();
                    patterns.insert(pattern, [x, y, z]);
                }
            }
        }
        assert_eq!(patterns.len(), 1, "{patterns:?}");
    }
}

/// A reason's name, for comparing patterns.
fn reason(r: Reason) -> &'static str {
    match r {
        Reason::SmallCell => "SMALL_CELL",
        Reason::Secondary => "SECONDARY",
        Reason::Denominator => "DENOMINATOR",
    }
}

/// The exhaustive replay of a replay-safe release, for the record (minutes long): in small
/// worlds whose only figure is the sponsorships under way (all in the first quarter), every
/// world of values up to 24 that publishes exactly what the true one publishes, the
/// algorithm's choices included, is kept, and each withheld cell must still have at least 5
/// possible values across them. Run with `cargo test -p haven --release --lib replaying -- --ignored`.
#[test]
#[ignore = "minutes long; worlds_with_the_same_small_cells_get_the_same_pattern is its quick form"]
fn replaying_the_algorithm_narrows_nothing() {
    let towns = [("a", "PV20"), ("a", "PV21"), ("a", "PV22")];
    let networks = [("a", "PV20"), ("c", "PV20"), ("b", "PV21")];
    for (layout, truth) in [
        (towns, [12, 4, 3]),
        (towns, [22, 2, 11]),
        (networks, [10, 2, 10]),
        (networks, [11, 3, 14]),
    ] {
        replay(&layout, truth);
    }
}

/// [`replaying_the_algorithm_narrows_nothing`] for one world: three atoms (network,
/// province) and their values.
fn replay(layout: &[(&str, &str); 3], truth: [i64; 3]) {
    let world = |v: [i64; 3]| {
        let atoms: Vec<(&str, &str, &str, i64)> = (0..3)
            .map(|i| (layout[i].0, layout[i].1, "V", v[i]))
            .collect();
        let mut w = active_only(&atoms, &[]);
        w.replay_safe = true;
        w
    };
    let published = |answers: &[Answer]| -> Vec<(Option<f64>, Option<Reason>)> {
        answers
            .iter()
            .flat_map(|a| a.cells.iter().chain([&a.total]))
            .flat_map(|c| c.figures.map(|f| (f.value, f.reason)))
            .collect()
    };
    let true_world = world(truth);
    let answers = true_world.publish();
    let seen = published(&answers);
    // The cells that hold each atom alone in the year, with what the true world shows there.
    let own: Vec<(usize, Option<f64>)> = (0..3)
        .filter_map(|i| {
            let alone: Vec<usize> = vec![i];
            let answer = answers.iter().find_map(|a| {
                let set = &true_world.sets[a.set];
                let dim = DIMS[a.dim];
                let cells = super::attacker::cells_of(&true_world, set);
                a.cells.iter().find_map(|c| {
                    cells
                        .iter()
                        .find(|((d, k), atoms)| {
                            *d == Some(dim)
                                && *k == c.key
                                && atoms.iter().map(|(a, _)| *a).collect::<Vec<_>>() == alone
                        })
                        .map(|_| c.figures[l::ACTIVE].value)
                })
            })?;
            Some((i, answer))
        })
        .collect();
    let round = |n: i64| (n + 2) / 5 * 5;
    let mut possible: Vec<std::collections::BTreeSet<i64>> = vec![Default::default(); 3];
    for x in 0..=24 {
        for y in 0..=24 {
            for z in 0..=24 {
                let v = [x, y, z];
                // Cheap first: an atom published alone must round alike.
                if own
                    .iter()
                    .any(|&(i, shown)| shown.is_some_and(|p| round(v[i]) as f64 != p || v[i] < 10))
                {
                    continue;
                }
                if published(&world(v).publish()) == seen {
                    for i in 0..3 {
                        possible[i].insert(v[i]);
                    }
                }
            }
        }
    }
    for (i, values) in possible.iter().enumerate() {
        let withheld = own.iter().any(|&(j, shown)| j == i && shown.is_none());
        if withheld {
            assert!(
                values.len() >= 5,
                "{truth:?}: atom {i} could only be {values:?}"
            );
        }
    }
}

/// What replay-safe releases cost and how often their true values still decide: over fixed
/// random worlds of one year and of two, the figures published in each mode, and the worlds
/// where the true values withheld more than the stand-ins had (each such choice one a replay
/// could learn from). The figures in docs/api.md and issue 22's note; prints, asserts nothing.
#[test]
#[ignore = "a measurement: cargo test -p haven --release --lib releases_in_both_modes -- --ignored --nocapture"]
fn releases_in_both_modes() {
    let networks: &[(&str, &[&str])] =
        &[("a", &["PV20"]), ("b", &["PV20", "PV21"]), ("c", &["PV21"])];
    let shown = |w: &World| -> usize {
        w.publish()
            .iter()
            .flat_map(|a| a.cells.iter().chain([&a.total]))
            .flat_map(|c| c.figures)
            .filter(|f| f.value.is_some())
            .count()
    };
    let (mut audited, mut safe, mut fallbacks, mut worlds) = (0, 0, 0, 0);
    for seed in 0..20u64 {
        let variants = 1 + (seed % 2) as usize;
        let sets: &[&[&str]] = if seed % 3 == 0 {
            &[&["a"], &["b", "c"]]
        } else {
            &[]
        };
        for two in [false, true] {
            let mut w = if two {
                two_years(seed, networks, variants, sets)
            } else {
                world(seed, networks, variants, sets)
            };
            audited += shown(&w);
            w.replay_safe = true;
            if let Some(before) = w.before.as_mut() {
                before.replay_safe = true;
            }
            safe += shown(&w);
            fallbacks += usize::from(w.protect().fallbacks > 0);
            worlds += 1;
        }
    }
    println!(
        "figures published: audited {audited}, replay-safe {safe}; \
         replay-safe worlds with a fallback: {fallbacks} of {worlds}"
    );
}
