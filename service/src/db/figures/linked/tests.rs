//! Linked suppression against the attacker ([`super::attacker`]): the attacks that narrowed
//! cells before linking, each a named world; random worlds with networks nested in provinces
//! and keys of random network sets; and each figure published from its own raw value.

use super::attacker::{Finding, World, narrowed, raw};
use super::*;
use crate::domain::disclosure::linked as l;
use proptest::prelude::*;

/// A world of `networks` (slug, its provinces) and one or two variants, from `seed`: every
/// atom's figures random but consistent (welcomed within active, the year against its
/// quarters), small enough that many cells are small.
pub(super) fn world(
    seed: u64,
    networks: &[(&str, &[&str])],
    variants: usize,
    sets: &[&[&str]],
) -> World {
    let mut g = fastrand::Rng::with_seed(seed);
    let variants: Vec<String> = ["RESETTLEMENT", "STATUS_HOLDER"][..variants]
        .iter()
        .map(|v| (*v).to_owned())
        .collect();
    let mut provinces: Vec<String> = networks
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| (*p).to_owned()))
        .collect();
    provinces.sort();
    provinces.dedup();
    let mut atoms = Vec::new();
    for (network, ps) in networks {
        for p in *ps {
            for v in &variants {
                if g.u8(0..10) < 8 {
                    atoms.push(Atom {
                        network: (*network).to_owned(),
                        province: (*p).to_owned(),
                        variant: v.clone(),
                    });
                }
            }
        }
    }
    atoms.sort();
    let raws = atoms.iter().map(|_| random_atom(&mut g)).collect();
    let givers = atoms.iter().map(|_| g.u64(0..=6)).collect();
    let all: Vec<String> = networks.iter().map(|(n, _)| (*n).to_owned()).collect();
    let mut key_sets = vec![all.clone()];
    key_sets.extend(
        sets.iter()
            .map(|s| s.iter().map(|n| (*n).to_owned()).collect()),
    );
    World {
        atoms,
        raws,
        givers,
        keys: Keys {
            provinces,
            networks: all,
            variants,
        },
        sets: key_sets,
        before: None,
        replay_safe: false,
    }
}

/// One atom's figures, year then quarters, consistent with each other.
pub(super) fn random_atom(g: &mut fastrand::Rng) -> [Raw; 5] {
    let mut q: Vec<Raw> = (0..4)
        .map(|_| {
            let active = g.i64(0..=7);
            let welcomed = g.i64(0..=active.min(3));
            let share = |g: &mut fastrand::Rng| g.i64(0..=active);
            Raw {
                newcomers: welcomed * g.i64(1..=4),
                volunteers: g.i64(0..=9),
                minutes: g.i64(0..=1500),
                paid_work: share(g),
                language_b1: share(g),
                ..raw(active, welcomed, 0, 0, 0)
            }
        })
        .collect();
    let between = |g: &mut fastrand::Rng, lo: i64, hi: i64| g.i64(lo..=hi.max(lo));
    let max = |f: fn(&Raw) -> i64, q: &[Raw]| q.iter().map(f).max().unwrap_or(0);
    let sum = |f: fn(&Raw) -> i64, q: &[Raw]| q.iter().map(f).sum::<i64>();
    let active = between(g, max(|r| r.active, &q), sum(|r| r.active, &q));
    // Households welcomed in the year are sponsorships under way in it.
    while sum(|r| r.welcomed, &q) > active {
        if let Some(r) = q.iter_mut().find(|r| r.welcomed > 0) {
            r.welcomed -= 1;
            r.newcomers = r.newcomers.min(4 * r.welcomed).max(r.welcomed);
        }
    }
    let year = Raw {
        active,
        welcomed: sum(|r| r.welcomed, &q),
        newcomers: sum(|r| r.newcomers, &q),
        volunteers: between(g, max(|r| r.volunteers, &q), sum(|r| r.volunteers, &q)),
        minutes: sum(|r| r.minutes, &q),
        paid_work: between(g, max(|r| r.paid_work, &q), active),
        language_b1: between(g, max(|r| r.language_b1, &q), active),
        ..raw(0, 0, 0, 0, 0)
    };
    [year, q[0].clone(), q[1].clone(), q[2].clone(), q[3].clone()]
}

/// Two consecutive years of the same register: the year of `seed` after a year before it,
/// whose last quarter is raised where needed so that every sponsorship under way is one
/// welcomed in the period or one under way at the year before's end.
pub(super) fn two_years(
    seed: u64,
    networks: &[(&str, &[&str])],
    variants: usize,
    sets: &[&[&str]],
) -> World {
    let mut now = world(seed, networks, variants, sets);
    let mut then = now.clone();
    let mut g = fastrand::Rng::with_seed(seed ^ 0x5eed);
    then.raws = then.raws.iter().map(|_| random_atom(&mut g)).collect();
    for (a, periods) in now.raws.iter().enumerate() {
        let need = [0, 1]
            .iter()
            .map(|&p| periods[p].active - periods[p].welcomed)
            .max()
            .unwrap_or(0);
        let before = &mut then.raws[a];
        before[4].active = before[4].active.max(need);
        before[0].active = before[0].active.max(before[4].active);
    }
    now.before = Some(Box::new(then));
    now
}

/// One atom's sponsorships under way and households welcomed (twice as many newcomers) per
/// period, year first.
pub(super) fn one_atom(periods: [(i64, i64); 5]) -> World {
    let mut w = active_only(&[("a", "PV20", "V", 0)], &[]);
    w.raws[0] = periods.map(|(active, welcomed)| raw(active, welcomed, 2 * welcomed, 0, 0));
    w
}

/// A world whose atoms all fall in Q1, with the year's active sponsorships per atom given
/// (other figures zero).
pub(super) fn active_only(atoms: &[(&str, &str, &str, i64)], sets: &[&[&str]]) -> World {
    let mut networks: Vec<String> = atoms.iter().map(|a| a.0.to_owned()).collect();
    networks.sort();
    networks.dedup();
    let mut provinces: Vec<String> = atoms.iter().map(|a| a.1.to_owned()).collect();
    provinces.sort();
    provinces.dedup();
    let mut variants: Vec<String> = atoms.iter().map(|a| a.2.to_owned()).collect();
    variants.sort();
    variants.dedup();
    let one = |n| raw(n, 0, 0, 0, 0);
    let mut key_sets = vec![networks.clone()];
    key_sets.extend(
        sets.iter()
            .map(|s| s.iter().map(|n| (*n).to_owned()).collect()),
    );
    World {
        atoms: atoms
            .iter()
            .map(|a| Atom {
                network: a.0.into(),
                province: a.1.into(),
                variant: a.2.into(),
            })
            .collect(),
        raws: atoms
            .iter()
            .map(|a| [one(a.3), one(a.3), one(0), one(0), one(0)])
            .collect(),
        givers: atoms.iter().map(|_| 0).collect(),
        keys: Keys {
            provinces,
            networks,
            variants,
        },
        sets: key_sets,
        before: None,
        replay_safe: false,
    }
}

/// The year total that every grid shares: networks of 10, 10 and 2, provinces of 12 and 10.
/// Each grid alone may publish its total; together they pinned the network of 2 to {0, 1, 2}.
#[test]
fn the_year_total_shared_by_every_grid() {
    let w = active_only(
        &[
            ("a", "PV20", "V", 10),
            ("c", "PV20", "V", 2),
            ("b", "PV21", "V", 10),
        ],
        &[],
    );
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
}

/// Keys limited to networks: a key limited to one network is given exactly the cell that the
/// unlimited NETWORK grid withheld; a key of the other two sees their total.
#[test]
fn keys_limited_to_networks() {
    let w = active_only(
        &[
            ("a", "PV20", "V", 10),
            ("b", "PV20", "V", 10),
            ("c", "PV21", "V", 2),
        ],
        &[&["a"], &["b", "c"], &["a", "c"]],
    );
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
    // One value per cell, whichever answer holds it: network a's row of the NETWORK grid
    // and the total of the key limited to a.
    let answers = w.publish();
    let row_a = answers
        .iter()
        .find(|a| a.set == 0 && DIMS[a.dim] == Dim::Network)
        .and_then(|a| a.cells.iter().find(|c| c.key == "a"))
        .map(|c| c.figures[l::ACTIVE]);
    let total_a = answers
        .iter()
        .find(|a| a.set == 1)
        .map(|a| a.total.figures[l::ACTIVE]);
    assert_eq!(row_a, total_a);
}

/// A rate beside a suppressed count: a published rate says its base is at least 20.
#[test]
fn a_rate_beside_a_suppressed_count() {
    let mut w = active_only(&[("a", "PV20", "V", 21), ("a", "PV21", "V", 3)], &[]);
    for period in [0, 1] {
        w.raws[0][period].paid_work = 11;
        w.raws[0][period].language_b1 = 10;
    }
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
}

/// Figures of one cell: households welcomed are at most the sponsorships under way, so a
/// withheld count beside a published one of the same cell must keep its range.
#[test]
fn figures_of_one_cell_against_each_other() {
    let mut w = active_only(
        &[
            ("a", "PV20", "V", 11),
            ("a", "PV21", "V", 12),
            ("a", "PV22", "V", 3),
        ],
        &[],
    );
    for (a, welcomed) in [(0, 10), (1, 11), (2, 3)] {
        for period in [0, 1] {
            w.raws[a][period].welcomed = welcomed;
            w.raws[a][period].newcomers = welcomed * 2;
        }
    }
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
}

/// The register's zeros: a province with no group at all is known to hold 0; the cells
/// beside it must be protected with that known.
#[test]
fn the_registers_zeros() {
    let mut w = active_only(&[("a", "PV20", "V", 14), ("a", "PV21", "V", 4)], &[]);
    w.keys.provinces.push("PV22".into());
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Random worlds: two or three networks nested in provinces (one or two each), one or
    /// two variants, keys of random network sets. Whatever the keys combine, no suppressed
    /// count narrows below 5 values, no hours below 10.
    #[test]
    fn no_combination_of_answers_narrows_a_suppressed_cell(
        seed in any::<u64>(),
        three in any::<bool>(),
        variants in 1usize..=2,
        keys in proptest::collection::vec(proptest::collection::btree_set(0usize..3, 1..3), 0..3),
        replay_safe in any::<bool>(),
    ) {
        let all: &[(&str, &[&str])] = &[("a", &["PV20"]), ("b", &["PV20", "PV21"]), ("c", &["PV21"])];
        let networks = if three { all } else { &all[..2] };
        let names = ["a", "b", "c"];
        let sets: Vec<Vec<&str>> = keys
            .iter()
            .map(|k| k.iter().filter(|&&i| i < networks.len()).map(|&i| names[i]).collect())
            .filter(|s: &Vec<&str>| !s.is_empty())
            .collect();
        let sets: Vec<&[&str]> = sets.iter().map(Vec::as_slice).collect();
        let mut w = world(seed, networks, variants, &sets);
        w.replay_safe = replay_safe;
        prop_assert_eq!(narrowed(&w), Vec::<Finding>::new());
    }
}

/// Consecutive years: 50 sponsorships under way this year and 42 households welcomed (40
/// as published) say that at least 6 were under way at the end of the year before, where
/// the last quarter's 8 were withheld as small: 6 to 9. Released after the year before, this
/// year withholds what would narrow it; released alone, it does not.
#[test]
fn consecutive_years() {
    let mut now = one_atom([(50, 42), (20, 12), (20, 10), (20, 10), (20, 10)]);
    let then = one_atom([(15, 0), (15, 0), (15, 0), (15, 0), (8, 0)]);
    now.before = Some(Box::new(then.clone()));
    assert_eq!(narrowed(&now), Vec::<Finding>::new());
    let alone = World {
        before: None,
        ..now.clone()
    };
    let found = super::attacker::attack(&[(&then, then.publish()), (&alone, alone.publish())]);
    let pinned = found
        .iter()
        .find(|(f, _, key, _, _)| *f == l::ACTIVE && key == "Q4")
        .map(|&(_, _, _, lo, hi)| (lo, hi));
    assert_eq!(pinned, Some((6.0, Some(9.0))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3))]

    /// Two consecutive random years, each with the keys of the first property: whatever
    /// the keys combine across both years, no suppressed count narrows below 5 values.
    #[test]
    fn no_combination_of_two_years_narrows_a_suppressed_cell(
        seed in any::<u64>(),
        variants in 1usize..=2,
        keys in proptest::collection::vec(proptest::collection::btree_set(0usize..3, 1..3), 0..2),
        replay_safe in any::<bool>(),
    ) {
        let networks: &[(&str, &[&str])] = &[("a", &["PV20"]), ("b", &["PV20", "PV21"]), ("c", &["PV21"])];
        let names = ["a", "b", "c"];
        let sets: Vec<Vec<&str>> = keys
            .iter()
            .map(|k| k.iter().map(|&i| names[i]).collect())
            .collect();
        let sets: Vec<&[&str]> = sets.iter().map(Vec::as_slice).collect();
        let mut w = two_years(seed, networks, variants, &sets);
        w.replay_safe = replay_safe;
        if let Some(before) = w.before.as_mut() {
            before.replay_safe = replay_safe;
        }
        prop_assert_eq!(narrowed(&w), Vec::<Finding>::new());
    }
}

/// Where the reasons themselves narrow a cell (every published value around it withheld,
/// and still "under 10" beside "at least 10" pins it between 6 and 9), they are not given.
#[test]
fn reasons_that_would_narrow_are_not_given() {
    let all: &[(&str, &[&str])] = &[("a", &["PV20"]), ("b", &["PV20", "PV21"])];
    let w = world(5_199_060_377_532_538_026, all, 2, &[]);
    assert_eq!(narrowed(&w), Vec::<Finding>::new());
    let unexplained = w
        .publish()
        .iter()
        .flat_map(|a| a.cells.iter().chain([&a.total]))
        .flat_map(|c| c.figures)
        .any(|f| f.value.is_none() && f.reason.is_none());
    assert!(unexplained);
}

/// Each published figure comes from its own raw figure: one atom whose every figure differs
/// and is large enough to be published as it is (a figure published from another's value, or
/// minutes published as hours unconverted, shows). Its quarters are large too: a small
/// quarter beside a published year withholds more than this test is about.
#[test]
fn each_figure_is_published_from_its_own_raw_value() {
    let shares = |r: Raw| Raw {
        paid_work: 30,
        language_b1: 60,
        ..r
    };
    let year = shares(raw(100, 40, 130, 500, 60 * 1_000 + 29));
    let quarter = |newcomers, minutes| shares(raw(100, 10, newcomers, 200, minutes));
    let w = World {
        atoms: vec![Atom {
            network: "a".into(),
            province: "PV20".into(),
            variant: "V".into(),
        }],
        raws: vec![[
            year,
            quarter(32, 15_000),
            quarter(33, 15_000),
            quarter(32, 15_000),
            quarter(33, 15_029),
        ]],
        givers: vec![25],
        keys: Keys {
            provinces: vec!["PV20".into()],
            networks: vec!["a".into()],
            variants: vec!["V".into()],
        },
        sets: vec![vec!["a".into()]],
        before: None,
        replay_safe: false,
    };
    let answers = w.publish();
    let values = |c: &Cell| c.figures.map(|f| f.value.unwrap_or(f64::NAN));
    // Hours are whole hours of the minutes (29 minutes round down), rates shares of the
    // sponsorships under way.
    let want = [100.0, 40.0, 130.0, 500.0, 1_000.0, 0.3, 0.6];
    // The first quarter: 32 newcomers round to 30, 250 hours stay 250.
    let first_quarter = [100.0, 10.0, 30.0, 200.0, 250.0, 0.3, 0.6];
    for answer in &answers {
        assert_eq!(values(&answer.total), want, "{}", answer.dim);
        let first = &answer.cells[0];
        let key = &first.key;
        let want = if DIMS[answer.dim] == Dim::Quarter {
            first_quarter
        } else {
            want
        };
        assert_eq!(values(first), want, "{} {key}", answer.dim);
    }
    assert_eq!(answers.len(), 4, "one answer per grid");
}
