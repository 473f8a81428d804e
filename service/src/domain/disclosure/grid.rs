//! The cells partners can be given about a year, as sets of atoms ([`super::linked`]): the
//! four grids and the total, for every set of networks a key may be limited to. One cell
//! that several answers hold (the year's total in every grid, a network's row that is also a
//! limited key's total) is one cell, with one fate.

use super::linked::{Answer, Structure};
use std::collections::HashMap;

/// An atom: the finest grain of the figures (every group is in exactly one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom {
    pub network: String,
    pub province: String,
    pub variant: String,
}

/// A grid's dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dim {
    Province,
    Network,
    Variant,
    Quarter,
}

/// Every dimension, in a fixed order.
pub const DIMS: [Dim; 4] = [Dim::Province, Dim::Network, Dim::Variant, Dim::Quarter];

/// The keys of each grid's cells, in the order answers list them.
#[derive(Debug, Clone)]
pub struct Keys {
    pub provinces: Vec<String>,
    /// Every network, in order; a limited key's grid keeps this order.
    pub networks: Vec<String>,
    pub variants: Vec<String>,
}

/// The structure of a year and where each answer sits in it.
#[derive(Debug, Clone)]
pub struct Layout {
    pub structure: Structure,
    /// The answer of (network set, dimension): an index into `structure.answers`, with the
    /// keys of its cells in order.
    pub answers: HashMap<(usize, Dim), (usize, Vec<String>)>,
}

/// Lays out `atoms` (the atoms the register holds: any other is known to be empty) for the
/// network `sets` (each a list of network keys; the unlimited set among them too).
pub fn layout(atoms: &[Atom], keys: &Keys, sets: &[Vec<String>]) -> Layout {
    let n = atoms.len();
    let mut cells: Vec<Vec<usize>> = Vec::new();
    let mut by_atoms: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut cell = |mut vars: Vec<usize>| {
        vars.sort_unstable();
        *by_atoms.entry(vars.clone()).or_insert_with(|| {
            cells.push(vars);
            cells.len() - 1
        })
    };
    let mut answers = Vec::new();
    let mut index = HashMap::new();
    for (s, set) in sets.iter().enumerate() {
        let inside: Vec<usize> = (0..n)
            .filter(|&a| set.contains(&atoms[a].network))
            .collect();
        let total = cell(inside.clone());
        for dim in DIMS {
            let (cell_keys, members): (Vec<String>, Vec<Vec<usize>>) = match dim {
                Dim::Province => by(&keys.provinces, &inside, |a| &atoms[a].province),
                Dim::Variant => by(&keys.variants, &inside, |a| &atoms[a].variant),
                Dim::Network => {
                    let mine: Vec<String> = keys
                        .networks
                        .iter()
                        .filter(|k| set.contains(k))
                        .cloned()
                        .collect();
                    by(&mine, &inside, |a| &atoms[a].network)
                }
                Dim::Quarter => (1..=4)
                    .map(|q| {
                        let vars = inside.iter().map(|&a| q * n + a).collect();
                        (format!("Q{q}"), vars)
                    })
                    .unzip(),
            };
            let ids = members.into_iter().map(&mut cell).collect();
            index.insert((s, dim), (answers.len(), cell_keys));
            answers.push(Answer { cells: ids, total });
        }
    }
    Layout {
        structure: Structure {
            atoms: n,
            own: cells.len(),
            cells,
            answers,
            links: Vec::new(),
            kin: (0..n).collect(),
        },
        answers: index,
    }
}

/// The atoms of `inside` grouped by `key_of`, one group per key of `keys`, in that order.
fn by<'a>(
    keys: &[String],
    inside: &[usize],
    key_of: impl Fn(usize) -> &'a String,
) -> (Vec<String>, Vec<Vec<usize>>) {
    let groups = keys
        .iter()
        .map(|k| inside.iter().copied().filter(|&a| key_of(a) == k).collect())
        .collect();
    (keys.to_vec(), groups)
}
