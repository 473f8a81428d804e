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
    /// The year before, released first (same keys and key sets).
    pub(super) before: Option<Box<World>>,
    /// Released with stand-in worlds (`HAVEN_PARTNER_SUPPRESSION=replay-safe`).
    pub(super) replay_safe: bool,
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
    /// through linked suppression (after the year before, when there is one).
    pub(super) fn protect(&self) -> Protected {
        let before = self.before.as_ref().map(|b| (b, b.publish(), b.found()));
        let before = before.as_ref().map(|(b, answers, found)| Before {
            atoms: &b.atoms,
            found,
            answers,
        });
        let mut givers = HashMap::new();
        for (s, set) in self.sets.iter().enumerate() {
            for (cell, atoms) in cells_of(self, set) {
                let n: u64 = atoms.iter().map(|&(a, _)| self.givers[a]).sum();
                givers.insert((s, cell.0, cell.1), n);
            }
        }
        let found = self.found();
        protect_and_publish(
            &self.atoms,
            &found,
            &givers,
            &self.keys,
            &self.sets,
            before.as_ref(),
            self.replay_safe,
        )
    }

    /// The figures as the database would find them.
    fn found(&self) -> HashMap<String, Raw> {
        let mut found = HashMap::new();
        for (a, periods) in self.atoms.iter().zip(&self.raws) {
            for (p, r) in ["Y", "Q1", "Q2", "Q3", "Q4"].iter().zip(periods) {
                let key = format!("{}|{}|{}|{p}", a.network, a.province, a.variant);
                found.insert(key.clone(), Raw { key, ..r.clone() });
            }
        }
        found
    }

    /// This year and those before it, the earliest first.
    fn chain(&self) -> Vec<&World> {
        let mut years = vec![self];
        while let Some(b) = years.last().and_then(|w| w.before.as_deref()) {
            years.push(b);
        }
        years.reverse();
        years
    }
}

/// A cell's place in answers: its dimension (none for the total) and its key.
pub(super) type CellKey = (Option<Dim>, String);

/// A published cell as the attacker holds it: its year (in the chain), its atoms (with their
/// period), its figures, the answer it came in and its key.
type Seen = (usize, Vec<(usize, usize)>, [Published; 7], usize, String);

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

/// The attacker's bounds on every suppressed cell of a chain of consecutive `years` (each
/// world with its answers, the earliest first), from the answers and the register.
pub(super) fn attack(years: &[(&World, Vec<Answer>)]) -> Vec<Finding> {
    // Every published cell, with its atoms; answers numbered across the years.
    let mut seen: Vec<Seen> = Vec::new();
    let mut numbered = 0;
    for (y, (w, answers)) in years.iter().enumerate() {
        for answer in answers {
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
                let atoms = atoms_of(Some(dim), &c.key);
                seen.push((y, atoms, c.figures, numbered, c.key.clone()));
            }
            let atoms = atoms_of(None, "");
            seen.push((y, atoms, answer.total.figures, numbered, "TOTAL".into()));
            numbered += 1;
        }
    }
    // Each year's block of variables: 7 figures × 5 periods × its atoms.
    let sizes: Vec<usize> = years.iter().map(|(w, _)| w.atoms.len()).collect();
    let offsets: Vec<usize> = sizes
        .iter()
        .scan(0, |at, n| {
            let here = *at;
            *at += 7 * 5 * n;
            Some(here)
        })
        .collect();
    let total: usize = sizes.iter().map(|n| 7 * 5 * n).sum();
    let var = |y: usize, f: usize, a: usize, period: usize| {
        offsets[y] + f * 5 * sizes[y] + period * sizes[y] + a
    };
    let build = |p: &mut Problem, target: (usize, &[(usize, usize)], usize)| -> Vec<Variable> {
        let (y_obj, objective, f_obj) = target;
        let mut vars = Vec::with_capacity(total);
        for (y, &n) in sizes.iter().enumerate() {
            for v in 0..7 * 5 * n {
                let (f, rest) = (v / (5 * n), v % (5 * n));
                let hit = y == y_obj && f == f_obj && objective.contains(&(rest % n, rest / n));
                vars.push(p.add_var(if hit { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)));
            }
        }
        let x = |y, f, a, period| vars[var(y, f, a, period)];
        for (y, &n) in sizes.iter().enumerate() {
            within_a_year(p, n, &|f, a, period| x(y, f, a, period));
        }
        // Across years, atom by atom: under way in a year (or its first quarter) means
        // welcomed then, or under way at the year before's end.
        for y in 1..years.len() {
            let (now, then) = (years[y].0, years[y - 1].0);
            for (a, atom) in now.atoms.iter().enumerate() {
                let last = then.atoms.iter().position(|b| b == atom);
                for period in [0, 1] {
                    let mut terms = vec![(x(y, 0, a, period), 1.0), (x(y, 1, a, period), -1.0)];
                    terms.extend(last.map(|b| (x(y - 1, 0, b, 4), -1.0)));
                    p.add_constraint(terms, ComparisonOp::Le, 0.0);
                }
            }
        }
        for (y, atoms, figures, _, _) in &seen {
            if atoms.is_empty() {
                continue;
            }
            let sum = |f: usize| -> Vec<(Variable, f64)> {
                atoms
                    .iter()
                    .map(|&(a, period)| (x(*y, f, a, period), 1.0))
                    .collect()
            };
            published(p, figures, &sum);
        }
        vars
    };
    let mut findings = Vec::new();
    for (y, atoms, figures, answer, key) in &seen {
        if atoms.is_empty() {
            continue;
        }
        for (f, figure) in figures.iter().enumerate() {
            if figure.value.is_some() {
                continue;
            }
            let optimum = |direction| {
                let mut p = Problem::new(direction);
                build(&mut p, (*y, atoms, f));
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

/// Within one year of `n` atoms, atom by atom: a household welcomed is a sponsorship under
/// way, of one or more people; a numerator is part of its base; the year against its
/// quarters. `x(figure, atom, period)` is the variable.
fn within_a_year(p: &mut Problem, n: usize, x: &dyn Fn(usize, usize, usize) -> Variable) {
    for a in 0..n {
        for period in 0..5 {
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
}

/// What one published cell tells, its figures' sums given by `sum(figure)`: values within
/// their rounding, the reasons' thresholds, a published rate's base and numerator.
fn published(
    p: &mut Problem,
    figures: &[Published; 7],
    sum: &dyn Fn(usize) -> Vec<(Variable, f64)>,
) {
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
        let mut base_minus_share = sum(0);
        base_minus_share.extend(sum(f).into_iter().map(|(v, _)| (v, -1.0)));
        let known = match (figures[f].value, figures[f].reason) {
            (Some(r), _) => {
                // num / base within r ± 0.025.
                let mut lo = sum(f);
                lo.extend(sum(0).into_iter().map(|(v, _)| (v, -(r - 0.025))));
                p.add_constraint(lo, ComparisonOp::Ge, 0.0);
                let mut hi = sum(f);
                hi.extend(sum(0).into_iter().map(|(v, _)| (v, -(r + 0.025))));
                p.add_constraint(hi, ComparisonOp::Le, 0.0);
                true
            }
            (None, Some(Reason::Secondary)) => true,
            _ => false,
        };
        if known {
            // Published or withheld as SECONDARY: both sides at least 10.
            bound(p, f, 10.0, None);
            p.add_constraint(base_minus_share, ComparisonOp::Ge, 10.0);
            p.add_constraint(sum(0), ComparisonOp::Ge, 20.0);
        }
    }
}

/// The suppressed cells that the attacker narrows below the rule, with the range found.
pub(super) fn narrowed(w: &World) -> Vec<Finding> {
    let years: Vec<(&World, Vec<Answer>)> =
        w.chain().into_iter().map(|y| (y, y.publish())).collect();
    attack(&years)
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
