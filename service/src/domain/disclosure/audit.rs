//! The audit of a linked table: for one suppressed cell, the least and greatest value that
//! everything published allows, found by linear programming over the table's atoms (the
//! attacker's best bounds from sums, rounding intervals and thresholds, after tau-Argus's
//! audit of linked tables). No database, no GraphQL.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// What is known of one cell: its value lies within `lo..=hi` (`hi: None`, unbounded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Known {
    pub lo: f64,
    pub hi: Option<f64>,
}

impl Known {
    /// Nothing known but that the value is not negative.
    pub const ANY: Self = Self { lo: 0.0, hi: None };

    /// Both bounds at once: the tighter of each.
    pub fn and(self, other: Self) -> Self {
        let hi = match (self.hi, other.hi) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self {
            lo: self.lo.max(other.lo),
            hi,
        }
    }
}

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

/// The attacker's system: atom variables, the year's relation to its quarters, and what is
/// known of each cell (a set of atoms).
pub struct System<'a> {
    /// How many atoms each period has; atom `a` of the year is variable `a`, of quarter `q`
    /// (0 to 3) variable `(q + 1) * atoms + a`.
    pub atoms: usize,
    pub quarters: Quarters,
    /// Each cell's atoms (variables).
    pub cells: &'a [Vec<usize>],
    /// What is known of each cell.
    pub known: &'a [Known],
}

impl System<'_> {
    /// The least and greatest value of `cell` that the system allows; `None` for the
    /// greatest when it is unbounded. A system the solver cannot settle (which the true
    /// values always satisfy, so only a numerical failure) answers the cell's own bounds
    /// narrowed to nothing, so that the caller protects it further.
    pub fn range(&self, cell: usize) -> (f64, Option<f64>) {
        let lo = self.optimum(cell, OptimizationDirection::Minimize);
        let hi = self.optimum(cell, OptimizationDirection::Maximize);
        match (lo, hi) {
            (Ok(Some(lo)), Ok(hi)) => (lo, hi),
            _ => (0.0, Some(0.0)),
        }
    }

    /// The optimum of `cell`'s sum in `direction`: `Ok(None)` when unbounded.
    fn optimum(&self, cell: usize, direction: OptimizationDirection) -> Result<Option<f64>, ()> {
        let mut p = Problem::new(direction);
        let vars: Vec<Variable> = (0..self.atoms * 5)
            .map(|v| {
                let weight = if self.cells[cell].contains(&v) {
                    1.0
                } else {
                    0.0
                };
                p.add_var(weight, (0.0, f64::INFINITY))
            })
            .collect();
        for a in 0..self.atoms {
            let quarters: Vec<(Variable, f64)> =
                (1..=4).map(|q| (vars[q * self.atoms + a], 1.0)).collect();
            let mut year_less_quarters = vec![(vars[a], 1.0)];
            year_less_quarters.extend(quarters.iter().map(|&(v, _)| (v, -1.0)));
            match self.quarters {
                Quarters::Sum => p.add_constraint(year_less_quarters, ComparisonOp::Eq, 0.0),
                Quarters::Union | Quarters::AtLeast => {
                    if self.quarters == Quarters::Union {
                        p.add_constraint(year_less_quarters, ComparisonOp::Le, 0.0);
                    }
                    for &(q, _) in &quarters {
                        p.add_constraint([(vars[a], 1.0), (q, -1.0)], ComparisonOp::Ge, 0.0);
                    }
                }
            }
        }
        for (atoms, known) in self.cells.iter().zip(self.known) {
            if atoms.is_empty() {
                continue;
            }
            let sum: Vec<(Variable, f64)> = atoms.iter().map(|&v| (vars[v], 1.0)).collect();
            if known.lo > 0.0 {
                p.add_constraint(sum.clone(), ComparisonOp::Ge, known.lo);
            }
            if let Some(hi) = known.hi {
                p.add_constraint(sum, ComparisonOp::Le, hi);
            }
        }
        match p.solve() {
            Ok(outcome) => match outcome.solution() {
                Some(s) => Ok(Some(s.objective())),
                None => Err(()),
            },
            Err(microlp::Error::Unbounded) => Ok(None),
            Err(_) => Err(()),
        }
    }
}
