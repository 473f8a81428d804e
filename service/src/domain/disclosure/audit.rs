//! The audit of a linked table: for one suppressed cell, the least and greatest value that
//! everything published allows, found by linear programming over the table's atoms (the
//! attacker's best bounds from sums, rounding intervals and thresholds, after tau-Argus's
//! audit of linked tables). Several figures are audited together when they are tied atom by
//! atom (households welcomed are sponsorships under way; a rate's numerator is part of its
//! base). No database, no GraphQL.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// How a year's atom relates to the same atom's four quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quarters {
    /// The year is the sum of its quarters (what happened in the period: sponsorships
    /// started, hours given).
    Sum,
    /// The year is at least each quarter and at most their sum (what was under way in the
    /// period: one sponsorship active in two quarters counts in each and once in the year).
    Union,
    /// The year is at least each quarter (what was under way and had reached a milestone by
    /// the period's end: one reached after its sponsorship's last quarter counts in the year
    /// only).
    AtLeast,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    AtLeast,
    AtMost,
}

/// One thing known of a cell: `Σ weight × (the cell's value in figure)` compared with `rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cell: usize,
    pub terms: Vec<(usize, f64)>,
    pub op: Op,
    pub rhs: f64,
}

impl Row {
    /// `figure`'s value of `cell` is at least `rhs`.
    pub fn at_least(cell: usize, figure: usize, rhs: f64) -> Self {
        Self {
            cell,
            terms: vec![(figure, 1.0)],
            op: Op::AtLeast,
            rhs,
        }
    }

    /// `figure`'s value of `cell` is at most `rhs`.
    pub fn at_most(cell: usize, figure: usize, rhs: f64) -> Self {
        Self {
            cell,
            terms: vec![(figure, 1.0)],
            op: Op::AtMost,
            rhs,
        }
    }
}

/// The attacker's system over some figures: atom variables per figure, the year against its
/// quarters, ties between figures atom by atom, and what is known of the cells.
pub struct System<'a> {
    /// How many atoms each period has; atom `a` of the year is variable `a`, of quarter `q`
    /// (1 to 4) variable `q * atoms + a`.
    pub atoms: usize,
    /// The figures audited together (by their number), each with its quarters' relation.
    pub figures: &'a [(usize, Quarters)],
    /// Each cell's atom variables.
    pub cells: &'a [Vec<usize>],
    /// `(small, big)`: figure `small` is at most figure `big` in every atom and period.
    pub ties: &'a [(usize, usize)],
    /// What is known (rows whose figures are not audited here are left out).
    pub rows: &'a [Row],
    /// Relations between single variables of different figures (one year against the year
    /// before); a link with a figure not audited here is left out.
    pub links: &'a [Link],
}

/// `Σ weight × variable ≤ rhs` over single atom variables, each `(figure, variable, weight)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub terms: Vec<(usize, usize, f64)>,
    pub rhs: f64,
}

impl Link {
    /// Whether `value(figure, variable)` meets the link.
    pub fn holds(&self, value: impl Fn(usize, usize) -> f64) -> bool {
        let sum: f64 = self.terms.iter().map(|&(f, v, w)| w * value(f, v)).sum();
        sum <= self.rhs + 1e-9
    }
}

impl System<'_> {
    /// The least and greatest value of `cell` in `figure` that the system allows; `None` for
    /// the greatest when it is unbounded. A system the solver cannot settle (the true values
    /// always satisfy it, so only a numerical failure) answers a range of nothing, so that the
    /// caller protects the cell further.
    pub fn range(&self, figure: usize, cell: usize) -> (f64, Option<f64>) {
        let lo = self.optimum(figure, cell, OptimizationDirection::Minimize);
        let hi = self.optimum(figure, cell, OptimizationDirection::Maximize);
        match (lo, hi) {
            (Ok(Some(lo)), Ok(hi)) => (lo, hi),
            _ => (0.0, Some(0.0)),
        }
    }

    /// The place of `figure` among the audited ones.
    fn slot(&self, figure: usize) -> Option<usize> {
        self.figures.iter().position(|(f, _)| *f == figure)
    }

    /// The optimum of `cell`'s sum in `figure` in `direction`: `Ok(None)` when unbounded.
    fn optimum(
        &self,
        figure: usize,
        cell: usize,
        direction: OptimizationDirection,
    ) -> Result<Option<f64>, ()> {
        let target = self.slot(figure).ok_or(())?;
        let atoms = &self.cells[cell];
        let (p, _) = self.problem(direction, |slot, v| {
            if slot == target && atoms.contains(&v) {
                1.0
            } else {
                0.0
            }
        });
        match p.solve() {
            Ok(outcome) => match outcome.solution() {
                Some(s) => Ok(Some(s.objective())),
                None => Err(()),
            },
            Err(microlp::Error::Unbounded) => Ok(None),
            Err(_) => Err(()),
        }
    }

    /// A world the system allows that minimises `weight(slot, variable)` summed over every
    /// variable: per audited figure (in the order of [`Self::figures`]), each atom variable's
    /// value. `None` when the solver finds none.
    pub fn world(&self, weight: impl Fn(usize, usize) -> f64) -> Option<Vec<Vec<f64>>> {
        let (p, vars) = self.problem(OptimizationDirection::Minimize, weight);
        let outcome = p.solve().ok()?;
        let solution = outcome.solution()?;
        let per = self.atoms * 5;
        Some(
            (0..self.figures.len())
                .map(|slot| (0..per).map(|v| solution[vars[slot * per + v]]).collect())
                .collect(),
        )
    }

    /// The linear program of the system with objective `weight(slot, variable)`, and its
    /// variables (slot-major).
    fn problem(
        &self,
        direction: OptimizationDirection,
        weight: impl Fn(usize, usize) -> f64,
    ) -> (Problem, Vec<Variable>) {
        let per = self.atoms * 5;
        let mut p = Problem::new(direction);
        let mut vars: Vec<Variable> = Vec::with_capacity(per * self.figures.len());
        for slot in 0..self.figures.len() {
            for v in 0..per {
                vars.push(p.add_var(weight(slot, v), (0.0, f64::INFINITY)));
            }
        }
        let x = |slot: usize, v: usize| vars[slot * per + v];
        for (slot, &(_, quarters)) in self.figures.iter().enumerate() {
            for a in 0..self.atoms {
                let year = x(slot, a);
                let parts: Vec<Variable> = (1..=4).map(|q| x(slot, q * self.atoms + a)).collect();
                let mut less = vec![(year, 1.0)];
                less.extend(parts.iter().map(|&q| (q, -1.0)));
                match quarters {
                    Quarters::Sum => p.add_constraint(less, ComparisonOp::Eq, 0.0),
                    Quarters::Union | Quarters::AtLeast => {
                        if quarters == Quarters::Union {
                            p.add_constraint(less, ComparisonOp::Le, 0.0);
                        }
                        for &q in &parts {
                            p.add_constraint([(year, 1.0), (q, -1.0)], ComparisonOp::Ge, 0.0);
                        }
                    }
                }
            }
        }
        for &(small, big) in self.ties {
            if let (Some(s), Some(b)) = (self.slot(small), self.slot(big)) {
                for v in 0..per {
                    p.add_constraint([(x(s, v), 1.0), (x(b, v), -1.0)], ComparisonOp::Le, 0.0);
                }
            }
        }
        for row in self.rows {
            let atoms = &self.cells[row.cell];
            if atoms.is_empty() {
                continue;
            }
            let mut expr = Vec::new();
            for &(f, weight) in &row.terms {
                let Some(slot) = self.slot(f) else {
                    expr.clear();
                    break;
                };
                expr.extend(atoms.iter().map(|&v| (x(slot, v), weight)));
            }
            if expr.is_empty() {
                continue;
            }
            let op = match row.op {
                Op::AtLeast => ComparisonOp::Ge,
                Op::AtMost => ComparisonOp::Le,
            };
            p.add_constraint(expr, op, row.rhs);
        }
        for link in self.links {
            let expr: Option<Vec<(Variable, f64)>> = link
                .terms
                .iter()
                .map(|&(f, v, w)| self.slot(f).map(|slot| (x(slot, v), w)))
                .collect();
            if let Some(expr) = expr {
                p.add_constraint(expr, ComparisonOp::Le, link.rhs);
            }
        }
        (p, vars)
    }
}
