//! Linked suppression: one pattern per figure for everything partners can be given about a
//! year, so that no combination of answers narrows a suppressed value (docs/api.md, "For
//! partners"; after tau-Argus's protection of linked tables, with its audit as the test).
//!
//! The caller describes the year as **atoms** (a network, a province and a variant; the
//! finest grain any answer adds up from) in five periods (the year and its quarters), and
//! every **cell** any answer can hold (each grid's cells and the total, for every set of
//! networks a key may be limited to) as a set of atoms. A cell with no atom is one the public
//! register shows to be empty. Every figure is a sum over its cell's atoms.
//!
//! Per figure: small cells are suppressed; then every suppressed cell is audited ([`audit`]):
//! the least and greatest value everything published allows, with rounding intervals, the
//! reasons' thresholds (a `SMALL_CELL` count is 0 to 9, a `SECONDARY` one at least 10), the
//! year against its quarters, and the other figures of the same cell (households welcomed are
//! at most the sponsorships under way and at most the people welcomed; a published rate says
//! its base is at least 20). While a cell spans fewer than 5 values (9 hours), a published cell
//! beside it is suppressed too (`SECONDARY`). Which one never depends on the values: its
//! siblings in an answer first, then the answer's total, then cells sharing an atom, each tier
//! by size and then a fixed order, so the choice itself tells nothing. Withholding only
//! removes knowledge, so a cell that passed its audit stays protected as more is suppressed.
//!
//! Linked to the year before ([`super::years`]), the structure holds that year's published
//! cells too: they are audited again and never withheld anew. Replay-safe releases decide the
//! pattern on stand-in worlds first ([`super::worlds`]); by default the true values decide it.

use super::audit::{Link, Op, Quarters, Row, System};
use super::worlds::{LEANS, stand_in};
use super::{MIN_COUNT, MIN_VOLUNTEERS, Published, Reason, round_to};
use std::collections::HashSet;

/// What a figure measures, which sets its rounding and what its reasons say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A count, rounded to 5; a small cell holds under 10.
    Count,
    /// Minutes given, published as whole hours rounded to 10.
    Minutes,
    /// The numerator of a rate over the `Count` figure [`ACTIVE`].
    Share,
}

/// The figures, by place.
pub const ACTIVE: usize = 0;
pub const WELCOMED: usize = 1;
pub const NEWCOMERS: usize = 2;
pub const VOLUNTEERS: usize = 3;
pub const HOURS: usize = 4;
pub const PAID_WORK: usize = 5;
pub const LANGUAGE_B1: usize = 6;

/// One figure of the year: the true value of each atom variable (see [`System::atoms`]).
#[derive(Debug, Clone)]
pub struct Figure {
    pub measure: Measure,
    pub quarters: Quarters,
    pub values: Vec<u64>,
}

/// One answer's cells: a grid's cells in order, and its total.
#[derive(Debug, Clone)]
pub struct Answer {
    pub cells: Vec<usize>,
    pub total: usize,
}

/// The structure of a year: atoms, cells as atom variables, and the answers over them.
/// Linked to the year before ([`super::years`]), it holds that year's atoms and cells too.
#[derive(Debug, Clone)]
pub struct Structure {
    pub atoms: usize,
    pub cells: Vec<Vec<usize>>,
    pub answers: Vec<Answer>,
    /// How many cells are this year's: those from here on are the year before's, published
    /// already, so audited with this year's but never withheld anew.
    pub own: usize,
    /// What ties this year's variables to the year before's.
    pub links: Vec<Link>,
    /// Per atom, who it is: an atom of the year before has the number of the same network,
    /// province and variant this year (cells that share one are neighbours).
    pub kin: Vec<usize>,
}

/// A cell's fate in one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Shown,
    Small,
    Secondary,
    /// Withheld without a reason: where the reasons themselves (under 10, at least 10)
    /// would narrow a cell, they are not given.
    Withheld,
}

/// The pattern of a year: per figure, per cell.
pub type Pattern = Vec<Vec<Fate>>;

/// The linked figures of a year.
pub struct Year<'a> {
    pub structure: &'a Structure,
    /// In the order of [`ACTIVE`] … [`LANGUAGE_B1`].
    pub figures: &'a [Figure],
    /// Per cell, the distinct volunteers who gave its hours (hours from fewer are small).
    pub givers: &'a [u64],
    /// The year before's pattern, per figure, for its cells (from [`Structure::own`] on).
    pub before: Option<&'a Pattern>,
    /// Decide the pattern on stand-in worlds first ([`super::worlds`]), so that replaying
    /// the algorithm tells nothing; otherwise on the true values, accepted by the audit.
    pub stand_ins: bool,
    /// How many cells were audited (each two linear programs), for the log.
    pub audits: std::cell::Cell<usize>,
    /// How many times the true values withheld more than the stand-ins had (each one a
    /// choice a replay could learn from), for the log and the tests.
    pub fallbacks: std::cell::Cell<usize>,
}

/// Rounds of the whole pass, at most (each round suppresses at least one more cell, or ends).
const MAX_ROUNDS: usize = 10_000;

impl Year<'_> {
    /// The true value of `cell` in figure `f`.
    pub fn value(&self, f: usize, cell: usize) -> u64 {
        self.structure.cells[cell]
            .iter()
            .map(|&v| self.figures[f].values[v])
            .sum()
    }

    /// Whether cell `c` of figure `f` is too small to publish for itself: a count under 10,
    /// hours from fewer than 10 volunteers, a rate over too small a base.
    fn small(&self, f: usize, c: usize) -> bool {
        let v = self.value(f, c);
        match self.figures[f].measure {
            Measure::Count => v < MIN_COUNT,
            Measure::Minutes => self.givers.get(c).copied().unwrap_or(0) < MIN_VOLUNTEERS,
            Measure::Share => super::rate(v, self.value(ACTIVE, c)).value.is_none(),
        }
    }

    /// Figure `f` of cell `c` as published under `fate`: counts rounded to 5, minutes as
    /// whole hours rounded to 10, rates to 0.05; or the reason it is withheld.
    pub fn published(&self, f: usize, c: usize, fate: Fate) -> Published {
        let v = self.value(f, c);
        match (fate, self.figures[f].measure) {
            (Fate::Shown, Measure::Count) => Published::value(round_to(v, 5) as f64),
            (Fate::Shown, Measure::Minutes) => Published::value(round_to((v + 30) / 60, 10) as f64),
            (Fate::Shown, Measure::Share) => super::rate(v, self.value(ACTIVE, c)),
            (Fate::Small, Measure::Share) => Published::suppressed(Reason::Denominator),
            (Fate::Small, _) => Published::suppressed(Reason::SmallCell),
            (Fate::Secondary, _) => Published::suppressed(Reason::Secondary),
            (Fate::Withheld, _) => Published {
                value: None,
                reason: None,
            },
        }
    }

    /// The pattern that protects every figure together, audited on the true values. With
    /// [`Self::stand_ins`] it is decided on stand-in worlds built from the labels alone
    /// first ([`super::worlds`]), so that every world with the same small cells gets the same
    /// pattern and replaying the algorithm tells nothing; the true values then withhold more
    /// only where a stand-in missed a case (counted in [`Self::fallbacks`]).
    pub fn protect(&self) -> Pattern {
        let labels: Pattern = (0..self.figures.len())
            .map(|f| {
                (0..self.structure.cells.len())
                    .map(|c| match self.before {
                        Some(before) if c >= self.structure.own => {
                            before[f][c - self.structure.own]
                        }
                        _ if self.small(f, c) => Fate::Small,
                        _ => Fate::Shown,
                    })
                    .collect()
            })
            .collect();
        // What the year before published, as the stand-ins must agree with it.
        let own = self.structure.own;
        let before: Vec<Row> = match self.before {
            Some(_) => self
                .rows(&labels)
                .into_iter()
                .filter(|r| r.cell >= own)
                .collect(),
            None => Vec::new(),
        };
        let mut fates = labels.clone();
        let leans = if self.stand_ins { &LEANS[..] } else { &[] };
        for &lean in leans {
            let Some(figures) = stand_in(self.structure, self.figures, &labels, lean, &before)
            else {
                // No stand-in (only a numerical failure): the true values decide.
                self.fallbacks.set(self.fallbacks.get() + 1);
                continue;
            };
            let world = Year {
                figures: &figures,
                stand_ins: false,
                audits: Default::default(),
                fallbacks: Default::default(),
                ..*self
            };
            fates = world.complete(fates);
            self.audits.set(self.audits.get() + world.audits.get());
        }
        let decided = fates.clone();
        let fates = self.complete(fates);
        if self.stand_ins && fates != decided {
            self.fallbacks.set(self.fallbacks.get() + 1);
        }
        tracing::debug!(
            audits = self.audits.get(),
            fallbacks = self.fallbacks.get(),
            cells = self.structure.cells.len(),
            atoms = self.structure.atoms,
            withheld = ?fates.iter().map(|f| f.iter().filter(|x| **x != Fate::Shown).count()).collect::<Vec<_>>(),
            "linked suppression"
        );
        fates
    }

    /// `fates` with more withheld until every withheld cell passes its audit on this world's
    /// values (or nothing more can be withheld).
    fn complete(&self, mut fates: Pattern) -> Pattern {
        // Links this world's values break are left out of its audits: an attacker who
        // assumed them would be wrong.
        let links: Vec<Link> = self
            .structure
            .links
            .iter()
            .filter(|l| l.holds(|f, v| self.figures.get(f).map_or(0.0, |x| x.values[v] as f64)))
            .cloned()
            .collect();
        let mut passed: Vec<HashSet<usize>> = vec![HashSet::new(); self.figures.len()];
        for _ in 0..MAX_ROUNDS {
            let mut changed = false;
            for f in 0..self.figures.len() {
                changed |= self.rates_follow_their_base(f, &mut fates);
                let open: Vec<usize> = (0..self.structure.cells.len())
                    .filter(|&c| fates[f][c] != Fate::Shown && !passed[f].contains(&c))
                    .filter(|&c| !self.structure.cells[c].is_empty())
                    .collect();
                let rows = self.rows(&fates);
                let mut failing = Vec::new();
                for c in open {
                    if self.protected(f, c, &rows, &links) {
                        passed[f].insert(c);
                    } else {
                        failing.push(c);
                    }
                }
                for c in failing {
                    match self.beside(f, c, &fates) {
                        Some((g, next)) => {
                            fates[g][next] = Fate::Secondary;
                            changed = true;
                        }
                        // Every value that could help is withheld: the reasons go next,
                        // and when none is left, nothing more can be done.
                        None => match self.unlabel(f, c, &fates) {
                            Some((g, x)) => {
                                fates[g][x] = Fate::Withheld;
                                changed = true;
                            }
                            None => {
                                passed[f].insert(c);
                            }
                        },
                    }
                }
            }
            if !changed {
                break;
            }
        }
        fates
    }

    /// A rate is published only beside a published base: where the base is withheld, so is
    /// the rate. Whether anything changed.
    fn rates_follow_their_base(&self, f: usize, fates: &mut Pattern) -> bool {
        if self.figures[f].measure != Measure::Share {
            return false;
        }
        let base = fates[ACTIVE].clone();
        let mut changed = false;
        let own = self.structure.own;
        for (fate, base) in fates[f].iter_mut().zip(base).take(own) {
            if *fate == Fate::Shown && base != Fate::Shown {
                *fate = Fate::Secondary;
                changed = true;
            }
        }
        changed
    }

    /// Whether suppressed cell `c` of figure `f` keeps enough possible values, audited with
    /// the figures tied to it and the `links` to the year before.
    fn protected(&self, f: usize, c: usize, rows: &[Row], links: &[Link]) -> bool {
        if self.free_share(f, c, rows) {
            return true;
        }
        let group: Vec<(usize, Quarters)> = audited_with(f)
            .iter()
            .filter(|&&g| g < self.figures.len())
            .map(|&g| (g, self.figures[g].quarters))
            .collect();
        // Minutes are audited as hours: every bound of theirs is in hours.
        let system = System {
            atoms: self.structure.atoms,
            figures: &group,
            cells: &self.structure.cells,
            ties: &TIES,
            rows,
            links,
        };
        self.audits.set(self.audits.get() + 1);
        let (lo, hi) = system.range(f, c);
        wide_enough(self.figures[f].measure, lo, hi)
    }

    /// Whether withheld rate numerator `c` of figure `f` is protected without a linear
    /// program: when nothing published bounds the numerator in any of its atoms (every rate
    /// around it withheld as `DENOMINATOR`), both the true world with the numerator at 0 in
    /// those atoms and the one with it equal to its base there meet every row, so the cell
    /// spans 0 to its base: enough when the base is at least 4. (The linear programs over
    /// every atom of a large year are what take the time: BENCHMARKS.md.)
    fn free_share(&self, f: usize, c: usize, rows: &[Row]) -> bool {
        if self.figures[f].measure != Measure::Share || self.value(ACTIVE, c) < 4 {
            return false;
        }
        let n = self.structure.atoms.max(1);
        let atoms: HashSet<usize> = self.structure.cells[c].iter().map(|v| v % n).collect();
        !rows.iter().any(|r| {
            r.terms.iter().any(|(g, _)| *g == f)
                && self.structure.cells[r.cell]
                    .iter()
                    .any(|v| atoms.contains(&(v % n)))
        })
    }

    /// Everything partners are told under `fates`, as rows of the audit.
    pub fn rows(&self, fates: &Pattern) -> Vec<Row> {
        let mut rows = Vec::new();
        let min = MIN_COUNT as f64;
        for (f, figure) in self.figures.iter().enumerate() {
            for (c, &fate) in fates[f].iter().enumerate() {
                let p = self.published(f, c, fate).value.unwrap_or(0.0);
                match (figure.measure, fate) {
                    (Measure::Count, Fate::Shown) => {
                        rows.push(Row::at_least(c, f, (p - 2.0).max(min)));
                        rows.push(Row::at_most(c, f, p + 2.0));
                    }
                    (Measure::Count, Fate::Small) => rows.push(Row::at_most(c, f, min - 1.0)),
                    (Measure::Count, Fate::Secondary) => rows.push(Row::at_least(c, f, min)),
                    (_, Fate::Withheld) => {}
                    (Measure::Minutes, Fate::Shown) => {
                        rows.push(Row::at_least(c, f, p - 5.5));
                        rows.push(Row::at_most(c, f, p + 4.5));
                    }
                    (Measure::Minutes, _) | (Measure::Share, Fate::Small) => {}
                    (Measure::Share, fate) => {
                        // Published or withheld as SECONDARY: both sides at least 10.
                        rows.push(Row::at_least(c, f, min));
                        rows.push(Row {
                            cell: c,
                            terms: vec![(ACTIVE, 1.0), (f, -1.0)],
                            op: Op::AtLeast,
                            rhs: min,
                        });
                        if fate == Fate::Shown {
                            for (op, r) in [(Op::AtLeast, p - 0.025), (Op::AtMost, p + 0.025)] {
                                rows.push(Row {
                                    cell: c,
                                    terms: vec![(f, 1.0), (ACTIVE, -r)],
                                    op,
                                    rhs: 0.0,
                                });
                            }
                        }
                    }
                }
            }
        }
        rows
    }
}

/// Figure `small` is at most figure `big` in every atom and period: households welcomed are
/// sponsorships under way and at least as many people; a rate's numerator is part of its base.
pub(super) const TIES: [(usize, usize); 4] = [
    (WELCOMED, ACTIVE),
    (WELCOMED, NEWCOMERS),
    (PAID_WORK, ACTIVE),
    (LANGUAGE_B1, ACTIVE),
];

/// The figures audited together with `f`: those tied to it, directly or not.
pub(super) fn audited_with(f: usize) -> &'static [usize] {
    match f {
        VOLUNTEERS => &[VOLUNTEERS],
        HOURS => &[HOURS],
        _ => &[ACTIVE, WELCOMED, NEWCOMERS, PAID_WORK, LANGUAGE_B1],
    }
}

/// Whether a range `lo..=hi` spans enough values for `measure`: 5 counts, 9 hours.
pub fn wide_enough(measure: Measure, lo: f64, hi: Option<f64>) -> bool {
    let Some(hi) = hi else {
        return true;
    };
    match measure {
        Measure::Minutes => hi - lo >= 9.0,
        Measure::Count | Measure::Share => (hi + 1e-6).floor() - (lo - 1e-6).ceil() + 1.0 >= 5.0,
    }
}
