//! The tests' attacker: everything a set of keys can ask about a year (four grids, the quarters, the
//! total, each key's network set), the public register's atoms (any other is empty) and the
//! rules as documented, combined in one linear program per suppressed cell — all seven
//! figures at once, with what ties them atom by atom (households welcomed are sponsorships
//! under way; a rate's numerator is part of its base). Written from the published answers
//! only, apart from the code it checks. Named cases are the attacks that narrowed cells before
//! linking (in `tests.rs`); the property there runs random worlds with networks nested in
//! provinces and keys of random network sets.

use super::*;
use crate::domain::disclosure::Reason;
use crate::domain::disclosure::linked as l;
use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// A world: the register's atoms and each atom's figures per period (year, then quarters),
/// with the distinct volunteers who gave its hours.
#[derive(Debug, Clone)]
pub(super) struct World {
    pub(super) atoms: Vec<Atom>,
    /// Per atom, per period (0 = year, 1..=4 quarters): the figures.
    pub(super) raws: Vec<[Raw; 5]>,
    /// Per atom: who gave its hours (distinct across atoms).
    pub(super) givers: Vec<u64>,
    pub(super) keys: Keys,
    pub(super) sets: Vec<Vec<String>>,
}

/// One atom's figures in one period.
pub(super) fn raw(
    active: i64,
    welcomed: i64,
    newcomers: i64,
    volunteers: i64,
    minutes: i64,
) -> Raw {
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
    /// Every answer of the year, protected as the service protects it.
    pub(super) fn publish(&self) -> Vec<Answer> {
        self.protect().answers
    }

    /// The figures as the database would find them, and who gave the hours of every cell,
    /// through linked suppression.
    pub(super) fn protect(&self) -> Protected {
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
pub(super) type CellKey = (Option<Dim>, String);

/// A published cell as the attacker holds it: its atoms (with their period), its figures,
/// the answer it came in and its key.
type Seen = (Vec<(usize, usize)>, [Published; 7], usize, String);

/// Every cell of every answer over `set`, as the attacker reads them off the register:
/// (dimension, key) and its atoms with their period (0 = year).
pub(super) fn cells_of(w: &World, set: &[String]) -> Vec<(CellKey, Vec<(usize, usize)>)> {
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
pub(super) type Finding = (usize, usize, String, f64, Option<f64>);

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
pub(super) fn narrowed(w: &World) -> Vec<Finding> {
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
