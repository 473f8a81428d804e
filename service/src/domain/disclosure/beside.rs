//! Which cell linked suppression withholds next ([`super::linked`]), chosen without looking
//! at any value: beside a cell that failed its audit, its siblings in an answer first, then
//! the answer's total, then cells that share an atom with it (across two linked years, an atom
//! in any period), each tier by fewest atoms and then a fixed order; and, when nothing is left
//! to withhold, which reason to drop. The year before's cells are published already and never
//! chosen.

use super::linked::{Answer, Fate, Pattern, Year, audited_with};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

impl Year<'_> {
    /// The published cell to withhold beside `c` in figure `f`, as (figure, cell), chosen
    /// without looking at any value: in `f`, then in each figure tied to it (first its own
    /// value of `c`), the siblings of `c` in an answer, then the totals of those answers,
    /// then cells that share an atom with it, each tier by fewest atoms and then a fixed
    /// order.
    pub(super) fn beside(&self, f: usize, c: usize, fates: &Pattern) -> Option<(usize, usize)> {
        let own = self.structure.own;
        self.in_turn(f).find_map(|g| {
            if g != f && c < own && fates[g][c] == Fate::Shown {
                return Some((g, c));
            }
            self.tiers(g, c, fates).map(|x| (g, x))
        })
    }

    /// A withheld cell whose reason to drop for `c` of figure `f`, as (figure, cell): `c`'s
    /// own, then those of cells sharing an atom with it, in `f` and then in the figures tied
    /// to it, by fewest atoms and then a fixed order.
    pub(super) fn unlabel(&self, f: usize, c: usize, fates: &Pattern) -> Option<(usize, usize)> {
        let own = self.structure.own;
        self.in_turn(f).find_map(|g| {
            let labelled =
                |x: &usize| *x < own && matches!(fates[g][*x], Fate::Small | Fate::Secondary);
            if labelled(&c) {
                return Some((g, c));
            }
            (0..own)
                .filter(labelled)
                .filter(|&x| self.neighbours(c, x))
                .min_by_key(|x| self.order(*x))
                .map(|x| (g, x))
        })
    }

    /// The figures a choice for figure `f` looks in, in turn: `f`, then those audited with it.
    fn in_turn(&self, f: usize) -> impl Iterator<Item = usize> {
        let tied = audited_with(f)
            .iter()
            .copied()
            .filter(move |&g| g != f && g < self.figures.len());
        std::iter::once(f).chain(tied)
    }

    /// Whether cells `c` and `x` share an atom variable; across the two years, whether they
    /// share an atom in any period.
    fn neighbours(&self, c: usize, x: usize) -> bool {
        let s = self.structure;
        let n = s.atoms.max(1);
        let across = (c >= s.own) != (x >= s.own);
        let who = |v: &usize| {
            let atom = s.kin.get(v % n).copied().unwrap_or(v % n);
            (if across { 0 } else { v / n }, atom)
        };
        let mine: HashSet<(usize, usize)> = s.cells[c].iter().map(who).collect();
        s.cells[x].iter().any(|v| mine.contains(&who(v)))
    }

    /// A fixed order of cells that depends on their atoms only: fewest first.
    fn order(&self, x: usize) -> (usize, u64) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.structure.cells[x].hash(&mut h);
        (self.structure.cells[x].len(), h.finish())
    }

    /// The first published cell of figure `g` in the tiers around `c` (see [`Self::beside`]).
    fn tiers(&self, g: usize, c: usize, fates: &Pattern) -> Option<usize> {
        let own = self.structure.own;
        let open = |x: &usize| {
            *x < own && fates[g][*x] == Fate::Shown && !self.structure.cells[*x].is_empty()
        };
        let holding: Vec<&Answer> = self
            .structure
            .answers
            .iter()
            .filter(|a| a.total == c || a.cells.contains(&c))
            .collect();
        let siblings: Vec<usize> = holding
            .iter()
            .filter(|a| a.cells.contains(&c))
            .flat_map(|a| a.cells.iter().copied())
            .filter(|x| *x != c && open(x))
            .collect();
        let totals: Vec<usize> = holding
            .iter()
            .map(|a| a.total)
            .filter(|x| *x != c && open(x))
            .collect();
        let sharing: Vec<usize> = (0..own)
            .filter(|x| *x != c && open(x))
            .filter(|&x| self.neighbours(c, x))
            .collect();
        [siblings, totals, sharing]
            .into_iter()
            .find_map(|tier| tier.into_iter().min_by_key(|x| self.order(*x)))
    }
}
