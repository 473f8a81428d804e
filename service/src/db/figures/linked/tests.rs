//! The attacker: everything a set of keys can ask about a year (four grids, the quarters, the
//! total, each key's network set), the public register's atoms (any other is empty) and the
//! rules as documented, combined in one linear program per suppressed cell — all seven
//! figures at once, with what ties them atom by atom (households welcomed are sponsorships
//! under way; a rate's numerator is part of its base). Written from the published answers
//! only, apart from the code it checks. Named cases are the attacks that narrowed cells before
//! linking; the property runs random worlds with networks nested in provinces and keys of
//! random network sets.

use super::*;
use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};
use proptest::prelude::*;

/// A world: the register's atoms and each atom's figures per period (year, then quarters),
/// with the distinct volunteers who gave its hours.
#[derive(Debug, Clone)]
struct World {
    atoms: Vec<Atom>,
    /// Per atom, per period (0 = year, 1..=4 quarters): the figures.
    raws: Vec<[Raw; 5]>,
    /// Per atom: who gave its hours (distinct across atoms).
    givers: Vec<u64>,
    keys: Keys,
    sets: Vec<Vec<String>>,
}

/// One atom's figures in one period.
fn raw(active: i64, welcomed: i64, newcomers: i64, volunteers: i64, minutes: i64) -> Raw {
    Raw {
        key: String::new(),
        active,
        welcomed,
        newcomers,
        volunteers,
        minutes,
        givers: 0,
        paid_work: 0,
        language_b1: 0,
    }
}

impl World {
    /// The figures as the database would find them, and who gave the hours of every cell.
    fn publish(&self) -> Vec<Answer> {
        let mut found = HashMap::new();
        for (a, periods) in self.atoms.iter().zip(&self.raws) {
            for (p, r) in ["Y", "Q1", "Q2", "Q3", "Q4"].iter().zip(periods) {
                let key = format!("{}|{}|{}|{p}", a.network, a.province, a.variant);
                found.insert(key.clone(), Raw { key, ..r.clone() });
            }
        }
        let mut givers = HashMap::new();
        for (s, set) in self.sets.iter().enumerate() {
            for (cell, atoms) in cells_of(self, set) {
                let n: u64 = atoms.iter().map(|&(a, _)| self.givers[a]).sum();
                givers.insert((s, cell.0, cell.1), n);
            }
        }
        protect_and_publish(&self.atoms, &found, &givers, &self.keys, &self.sets)
    }
}

/// A cell's place in answers: its dimension (none for the total) and its key.
type CellKey = (Option<Dim>, String);

/// A published cell as the attacker holds it: its atoms (with their period), its figures,
/// the answer it came in and its key.
type Seen = (Vec<(usize, usize)>, [Published; 7], usize, String);

/// Every cell of every answer over `set`, as the attacker reads them off the register:
/// (dimension, key) and its atoms with their period (0 = year).
fn cells_of(w: &World, set: &[String]) -> Vec<(CellKey, Vec<(usize, usize)>)> {
    let inside: Vec<usize> = (0..w.atoms.len())
        .filter(|&a| set.contains(&w.atoms[a].network))
        .collect();
    let year = |keep: &dyn Fn(&Atom) -> bool| -> Vec<(usize, usize)> {
        inside
            .iter()
            .filter(|&&a| keep(&w.atoms[a]))
            .map(|&a| (a, 0))
            .collect()
    };
    let mut out = vec![((None, String::new()), year(&|_| true))];
    for p in &w.keys.provinces {
        out.push((
            (Some(Dim::Province), p.clone()),
            year(&|a| &a.province == p),
        ));
    }
    for n in w.keys.networks.iter().filter(|n| set.contains(n)) {
        out.push(((Some(Dim::Network), n.clone()), year(&|a| &a.network == n)));
    }
    for v in &w.keys.variants {
        out.push(((Some(Dim::Variant), v.clone()), year(&|a| &a.variant == v)));
    }
    for q in 1..=4 {
        let atoms = inside.iter().map(|&a| (a, q)).collect();
        out.push(((Some(Dim::Quarter), format!("Q{q}")), atoms));
    }
    out
}

/// What the attacker concludes: for each suppressed cell that the register does not show
/// empty, (figure, answer, cell key, least, greatest).
type Finding = (usize, usize, String, f64, Option<f64>);

/// The attacker's bounds on every suppressed cell, from `answers` and the register.
fn attack(w: &World, answers: &[Answer]) -> Vec<Finding> {
    let n = w.atoms.len();
    // Every published cell, with its atoms.
    let mut seen: Vec<Seen> = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        let set = &w.sets[answer.set];
        let dim = DIMS[answer.dim];
        let cells = cells_of(w, set);
        let atoms_of = |dim: Option<Dim>, key: &str| {
            cells
                .iter()
                .find(|((d, k), _)| *d == dim && k == key)
                .map(|(_, a)| a.clone())
                .unwrap_or_default()
        };
        for c in &answer.cells {
            seen.push((atoms_of(Some(dim), &c.key), c.figures, i, c.key.clone()));
        }
        seen.push((atoms_of(None, ""), answer.total.figures, i, "TOTAL".into()));
    }
    let var = |f: usize, a: usize, period: usize| f * 5 * n + period * n + a;
    let build = |p: &mut Problem, objective: &[(usize, usize)], f_obj: usize| -> Vec<Variable> {
        let vars: Vec<Variable> = (0..7 * 5 * n)
            .map(|v| {
                let (f, rest) = (v / (5 * n), v % (5 * n));
                let hit = f == f_obj && objective.contains(&(rest % n, rest / n));
                p.add_var(if hit { 1.0 } else { 0.0 }, (0.0, f64::INFINITY))
            })
            .collect();
        let x = |f, a, period| vars[var(f, a, period)];
        for a in 0..n {
            for period in 0..5 {
                // Atom by atom: a household welcomed is a sponsorship under way, of one or
                // more people; a numerator is part of its base.
                let le = |p: &mut Problem, small: Variable, big: Variable| {
                    p.add_constraint([(small, 1.0), (big, -1.0)], ComparisonOp::Le, 0.0);
                };
                le(p, x(1, a, period), x(0, a, period));
                le(p, x(1, a, period), x(2, a, period));
                le(p, x(5, a, period), x(0, a, period));
                le(p, x(6, a, period), x(0, a, period));
            }
            for f in 0..7 {
                let year = x(f, a, 0);
                let quarters: Vec<Variable> = (1..=4).map(|q| x(f, a, q)).collect();
                let mut sum = vec![(year, 1.0)];
                sum.extend(quarters.iter().map(|&q| (q, -1.0)));
                match f {
                    1 | 2 | 4 => p.add_constraint(sum, ComparisonOp::Eq, 0.0),
                    _ => {
                        if f == 0 || f == 3 {
                            p.add_constraint(sum, ComparisonOp::Le, 0.0);
                        }
                        for &q in &quarters {
                            p.add_constraint([(year, 1.0), (q, -1.0)], ComparisonOp::Ge, 0.0);
                        }
                    }
                }
            }
        }
        for (atoms, figures, _, _) in &seen {
            if atoms.is_empty() {
                continue;
            }
            let sum = |f: usize| -> Vec<(Variable, f64)> {
                atoms
                    .iter()
                    .map(|&(a, period)| (x(f, a, period), 1.0))
                    .collect()
            };
            let bound = |p: &mut Problem, f: usize, lo: f64, hi: Option<f64>| {
                p.add_constraint(sum(f), ComparisonOp::Ge, lo);
                if let Some(hi) = hi {
                    p.add_constraint(sum(f), ComparisonOp::Le, hi);
                }
            };
            for f in [0, 1, 2, 3] {
                match (figures[f].value, figures[f].reason) {
                    (Some(v), _) => bound(p, f, (v - 2.0).max(10.0), Some(v + 2.0)),
                    (None, Some(Reason::SmallCell)) => bound(p, f, 0.0, Some(9.0)),
                    (None, Some(_)) => bound(p, f, 10.0, None),
                    (None, None) => {}
                }
            }
            // Hours: whole hours of the minutes, rounded to ten (variables in minutes).
            if let Some(h) = figures[4].value {
                bound(p, 4, (h - 5.5) * 60.0, Some((h + 4.5) * 60.0));
            }
            for f in [5, 6] {
                let base = figures[0].value;
                let mut base_minus_share = sum(0);
                base_minus_share.extend(sum(f).into_iter().map(|(v, _)| (v, -1.0)));
                match (figures[f].value, figures[f].reason) {
                    (Some(r), _) => {
                        // num / base within r ± 0.025, both sides at least 10.
                        let mut lo = sum(f);
                        lo.extend(sum(0).into_iter().map(|(v, _)| (v, -(r - 0.025))));
                        p.add_constraint(lo, ComparisonOp::Ge, 0.0);
                        let mut hi = sum(f);
                        hi.extend(sum(0).into_iter().map(|(v, _)| (v, -(r + 0.025))));
                        p.add_constraint(hi, ComparisonOp::Le, 0.0);
                        bound(p, f, 10.0, None);
                        p.add_constraint(base_minus_share, ComparisonOp::Ge, 10.0);
                        p.add_constraint(sum(0), ComparisonOp::Ge, 20.0);
                    }
                    (None, Some(Reason::Secondary)) => {
                        bound(p, f, 10.0, None);
                        p.add_constraint(base_minus_share, ComparisonOp::Ge, 10.0);
                        p.add_constraint(sum(0), ComparisonOp::Ge, 20.0);
                    }
                    _ => {
                        let _ = base;
                    }
                }
            }
        }
        vars
    };
    let mut findings = Vec::new();
    for (atoms, figures, answer, key) in &seen {
        if atoms.is_empty() {
            continue;
        }
        for (f, figure) in figures.iter().enumerate() {
            if figure.value.is_some() {
                continue;
            }
            let optimum = |direction| {
                let mut p = Problem::new(direction);
                build(&mut p, atoms, f);
                match p.solve() {
                    Ok(s) => s.solution().map(|s| Some(s.objective())),
                    Err(microlp::Error::Unbounded) => Some(None),
                    Err(_) => None,
                }
            };
            let lo = optimum(OptimizationDirection::Minimize);
            let hi = optimum(OptimizationDirection::Maximize);
            let (Some(Some(lo)), Some(hi)) = (lo, hi) else {
                panic!("the published figures contradict the rules: {f} {key}");
            };
            let scale = if f == 4 { 60.0 } else { 1.0 };
            findings.push((f, *answer, key.clone(), lo / scale, hi.map(|h| h / scale)));
        }
    }
    findings
}

/// The suppressed cells that the attacker narrows below the rule, with the range found.
fn narrowed(w: &World) -> Vec<Finding> {
    let answers = w.publish();
    attack(w, &answers)
        .into_iter()
        .filter(|(f, _, _, lo, hi)| {
            let measure = match f {
                4 => Measure::Minutes,
                5 | 6 => Measure::Share,
                _ => Measure::Count,
            };
            !l::wide_enough(measure, *lo, *hi)
        })
        .collect()
}

/// A world of `networks` (slug, its provinces) and one or two variants, from `seed`: every
/// atom's figures random but consistent (welcomed within active, the year against its
/// quarters), small enough that many cells are small.
fn world(seed: u64, networks: &[(&str, &[&str])], variants: usize, sets: &[&[&str]]) -> World {
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
    }
}

/// One atom's figures, year then quarters, consistent with each other.
fn random_atom(g: &mut fastrand::Rng) -> [Raw; 5] {
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

/// A world whose atoms all fall in Q1, with the year's active sponsorships per atom given
/// (other figures zero).
fn active_only(atoms: &[(&str, &str, &str, i64)], sets: &[&[&str]]) -> World {
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
        let w = world(seed, networks, variants, &sets);
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
/// minutes published as hours unconverted, shows).
#[test]
fn each_figure_is_published_from_its_own_raw_value() {
    let year = Raw {
        paid_work: 30,
        language_b1: 60,
        ..raw(100, 40, 130, 500, 60 * 1_000 + 29)
    };
    let w = World {
        atoms: vec![Atom {
            network: "a".into(),
            province: "PV20".into(),
            variant: "V".into(),
        }],
        raws: vec![[
            year.clone(),
            year,
            raw(0, 0, 0, 0, 0),
            raw(0, 0, 0, 0, 0),
            raw(0, 0, 0, 0, 0),
        ]],
        givers: vec![25],
        keys: Keys {
            provinces: vec!["PV20".into()],
            networks: vec!["a".into()],
            variants: vec!["V".into()],
        },
        sets: vec![vec!["a".into()]],
    };
    let answers = w.publish();
    let values = |c: &Cell| c.figures.map(|f| f.value.unwrap_or(f64::NAN));
    // Hours are whole hours of the minutes (29 minutes round down), rates shares of the
    // sponsorships under way.
    let want = [100.0, 40.0, 130.0, 500.0, 1_000.0, 0.3, 0.6];
    for answer in &answers {
        assert_eq!(values(&answer.total), want, "{}", answer.dim);
        let first = &answer.cells[0];
        let key = &first.key;
        assert_eq!(values(first), want, "{} {key}", answer.dim);
    }
    assert_eq!(answers.len(), 4, "one answer per grid");
}
