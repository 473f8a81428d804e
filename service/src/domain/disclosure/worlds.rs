//! The stand-in worlds that linked suppression decides its secondaries on ([`super::linked`]),
//! so that the pattern is a function of what partners see anyway (the layout, and which cells
//! are small), not of the values it hides.
//!
//! An attacker who knows the algorithm can replay it on every world they think possible and
//! keep those that come out the same. Had the pattern been decided on the true values, the
//! decision to withhold one more cell would tell how close a hidden value came to the line that
//! made the audit fail (issue 22: networks of 10, 2 and 10 had their province withheld only
//! because network a was 10 to 12). Deciding on stand-in worlds built from the labels alone
//! makes every world with the same labels get the same pattern; the audit then runs on the
//! true values as well, and only where a stand-in missed something does a true value decide
//! (counted as a fallback).
//!
//! Two stand-ins, the ones that push the audit to its edges: every value as small as the labels
//! allow (published cells at 10, where a `SECONDARY` cell is pinned from below), and small cells
//! at 9 with the rest as small as possible (where a small cell is pinned from above).
//! Hours keep their true values: their smallness comes from who gave them, not from what
//! was given, so no label bounds them.
//!
//! Used only for `HAVEN_PARTNER_SUPPRESSION=replay-safe`: every world with those small cells
//! must be safe, the one where every published count sits at 10 included, which withholds more
//! than half of what the default publishes (docs/api.md, "For partners").

use super::MIN_COUNT;
use super::audit::{Row, System};
use super::linked::{
    ACTIVE, Fate, Figure, HOURS, Measure, Pattern, Structure, TIES, VOLUNTEERS, audited_with,
};

/// How a stand-in world leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// Every value as small as the labels allow.
    Least,
    /// Small cells at 9 (as full as their label allows), the rest as small as possible.
    FullSmall,
}

/// Both leans, in the order the pattern is decided on them.
pub const LEANS: [Lean; 2] = [Lean::Least, Lean::FullSmall];

/// The stand-in world leaning `lean` that agrees with `labels` (each figure's cells `Small` or
/// `Shown` as the true values made them) and with what the year before published (`before`,
/// rows of its cells): per figure, a value for every atom variable. `None` when the solver
/// cannot settle a group (the true world always agrees, so only a numerical failure).
pub fn stand_in(
    structure: &Structure,
    truth: &[Figure],
    labels: &Pattern,
    lean: Lean,
    before: &[Row],
) -> Option<Vec<Figure>> {
    let mut out: Vec<Figure> = truth.to_vec();
    for group in [&[VOLUNTEERS][..], audited_with(ACTIVE)] {
        let group: Vec<usize> = group.iter().copied().filter(|&f| f < truth.len()).collect();
        let values = group_world(structure, truth, labels, lean, &group, before)?;
        for (slot, &f) in group.iter().enumerate() {
            out[f].values = values[slot]
                .iter()
                .map(|v| v.round().max(0.0) as u64)
                .collect();
        }
    }
    debug_assert!(out.len() <= HOURS || out[HOURS].values == truth[HOURS].values);
    Some(out)
}

/// The stand-in values of the figures of `group` (audited together), per slot.
fn group_world(
    structure: &Structure,
    truth: &[Figure],
    labels: &Pattern,
    lean: Lean,
    group: &[usize],
    before: &[Row],
) -> Option<Vec<Vec<f64>>> {
    let min = MIN_COUNT as f64;
    let mut rows: Vec<Row> = before.to_vec();
    // Per slot, the atom variables that lie in a small cell of that figure.
    let per = structure.atoms * 5;
    let mut in_small = vec![vec![false; per]; group.len()];
    for (slot, &f) in group.iter().enumerate() {
        for (c, atoms) in structure.cells.iter().enumerate() {
            if atoms.is_empty() {
                continue;
            }
            let small = labels[f][c] == Fate::Small;
            if c >= structure.own {
                // The year before's cells: what it published is in `before`.
                if small && truth[f].measure == Measure::Count {
                    for &v in atoms {
                        in_small[slot][v] = true;
                    }
                }
                continue;
            }
            match truth[f].measure {
                Measure::Count if small => {
                    rows.push(Row::at_most(c, f, min - 1.0));
                    for &v in atoms {
                        in_small[slot][v] = true;
                    }
                }
                Measure::Count => rows.push(Row::at_least(c, f, min)),
                // A published rate: its numerator and the rest both at least 10.
                Measure::Share if !small => {
                    rows.push(Row::at_least(c, f, min));
                    rows.push(Row {
                        cell: c,
                        terms: vec![(ACTIVE, 1.0), (f, -1.0)],
                        op: super::audit::Op::AtLeast,
                        rhs: min,
                    });
                }
                Measure::Share | Measure::Minutes => {}
            }
        }
    }
    let figures: Vec<(usize, super::audit::Quarters)> =
        group.iter().map(|&f| (f, truth[f].quarters)).collect();
    let system = System {
        atoms: structure.atoms,
        figures: &figures,
        cells: &structure.cells,
        ties: &TIES,
        rows: &rows,
        links: &structure.links,
    };
    system.world(|slot, v| match lean {
        Lean::FullSmall if in_small[slot][v] => -1.0,
        _ => 1.0,
    })
}
