//! Consecutive years, protected as one chain: a year's pattern is decided with the year
//! before's publication in view, so that the two combined narrow nothing (docs/domain.md, partner
//! rules: "consecutive years").
//!
//! What ties them, atom by atom: a sponsorship under way in a year either started in it or was
//! under way at the year before's end, so this year's sponsorships under way (in the year, and
//! in its first quarter) are at most the year before's fourth quarter plus the households
//! welcomed in the period. (Households welcomed count a household once; the rare household
//! with two sponsorships started in one period breaks the link, and the audit then leaves that
//! link out: an attacker who assumed it would be wrong.) An atom the register did not hold the
//! year before had nothing under way then.
//!
//! The year before is already published: its cells join the structure after this year's, its
//! pattern is fixed, and its withheld cells are audited again with this year's answers; when
//! one narrows, this year withholds more beside it.

use super::audit::Link;
use super::grid::Atom;
use super::linked::{ACTIVE, Structure, WELCOMED};

/// Two consecutive years in one structure. Variables: this year's atom `a` in period `p` is
/// `p * atoms + a`; the year before's atom `b` is `p * atoms + own_atoms + b`.
pub struct Joined {
    pub structure: Structure,
    /// How many atoms this year has (the year before's come after them).
    pub own_atoms: usize,
    /// How many atoms the year before has.
    pub before_atoms: usize,
}

impl Joined {
    /// This year's variable `v` (numbered by its own layout) in the joined structure.
    pub fn own_var(&self, v: usize) -> usize {
        let n = self.own_atoms.max(1);
        (v / n) * self.structure.atoms + v % n
    }

    /// The year before's variable `v` (numbered by its own layout) in the joined structure.
    pub fn before_var(&self, v: usize) -> usize {
        let n = self.before_atoms.max(1);
        (v / n) * self.structure.atoms + self.own_atoms + v % n
    }

    /// One figure's values over the joined variables, from this year's (`own`) and the year
    /// before's (`before`), each numbered by its own layout.
    pub fn values(&self, own: &[u64], before: &[u64]) -> Vec<u64> {
        let mut values = vec![0; 5 * self.structure.atoms];
        for (v, &x) in own.iter().enumerate() {
            values[self.own_var(v)] = x;
        }
        for (v, &x) in before.iter().enumerate() {
            values[self.before_var(v)] = x;
        }
        values
    }
}

/// This year's structure (`own`, over `own_atoms`) followed by the year before's (`before`,
/// over `before_atoms`), with the links between them.
pub fn join(
    own: &Structure,
    own_atoms: &[Atom],
    before: &Structure,
    before_atoms: &[Atom],
) -> Joined {
    let (n, m) = (own_atoms.len(), before_atoms.len());
    let atoms = n + m;
    let mut joined = Joined {
        structure: Structure {
            atoms,
            cells: Vec::new(),
            answers: own.answers.clone(),
            own: own.cells.len(),
            links: Vec::new(),
            kin: Vec::new(),
        },
        own_atoms: n,
        before_atoms: m,
    };
    let own_cells: Vec<Vec<usize>> = own
        .cells
        .iter()
        .map(|c| c.iter().map(|&v| joined.own_var(v)).collect())
        .collect();
    let before_cells: Vec<Vec<usize>> = before
        .cells
        .iter()
        .map(|c| c.iter().map(|&v| joined.before_var(v)).collect())
        .collect();
    joined.structure.cells = own_cells.into_iter().chain(before_cells).collect();
    let twin = |b: usize| own_atoms.iter().position(|a| *a == before_atoms[b]);
    joined.structure.kin = (0..n)
        .chain((0..m).map(|b| twin(b).unwrap_or(n + b)))
        .collect();
    for (a, atom) in own_atoms.iter().enumerate() {
        let last_quarter = before_atoms
            .iter()
            .position(|b| b == atom)
            .map(|b| 4 * atoms + n + b);
        for period in [0, 1] {
            let v = period * atoms + a;
            let mut terms = vec![(ACTIVE, v, 1.0), (WELCOMED, v, -1.0)];
            terms.extend(last_quarter.map(|q| (ACTIVE, q, -1.0)));
            joined.structure.links.push(Link { terms, rhs: 0.0 });
        }
    }
    joined
}
