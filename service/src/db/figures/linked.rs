//! A year of partner statistics, protected as one linked table ([`crate::domain::disclosure::linked`]):
//! the atoms the register holds, their figures, the distinct volunteers behind each cell's
//! hours, and every set of networks a key is (or was) limited to; then one pattern for all, and
//! every answer any key can get, published from it. Three statements, and the audit's linear
//! programs (BENCHMARKS.md, "Linked suppression").

use super::partner::{Raw, atom_figures, atoms, givers};
use crate::domain::disclosure::Published;
use crate::domain::disclosure::audit::Quarters;
use crate::domain::disclosure::grid::{Atom, DIMS, Dim, Keys, layout};
use crate::domain::disclosure::linked::{Figure, Measure, Year};
use crate::error::Result;
use haven_entities::{partner_api_key_network, sponsorship_network};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// One cell as published: its key and its seven figures, in the order of
/// [`l::ACTIVE`] … [`l::LANGUAGE_B1`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cell {
    pub key: String,
    pub figures: [Published; 7],
}

/// One answer: a grid over a set of networks, its cells in order and its total.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    pub set: usize,
    pub dim: usize,
    pub cells: Vec<Cell>,
    pub total: Cell,
}

/// Every answer partners can get about a year.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    /// The network sets, by id: the first holds every network; each other is a key's.
    pub sets: Vec<BTreeSet<Uuid>>,
    /// Every network, as (id, slug, name), by name.
    pub networks: Vec<(Uuid, String, String)>,
    pub answers: Vec<Answer>,
}

impl Release {
    /// The answer on `dim` for a key limited to `networks` (none: every network).
    pub fn answer(&self, networks: &[Uuid], dim: Dim) -> Option<&Answer> {
        let want: BTreeSet<Uuid> = if networks.is_empty() {
            self.sets.first()?.clone()
        } else {
            networks.iter().copied().collect()
        };
        let set = self.sets.iter().position(|s| *s == want)?;
        let dim = DIMS.iter().position(|d| *d == dim)?;
        self.answers.iter().find(|a| a.set == set && a.dim == dim)
    }
}

/// Protects and publishes `year` on the grid keys `provinces` and `variants` (codes, in
/// order).
pub async fn release(
    db: &impl ConnectionTrait,
    year: i32,
    provinces: Vec<String>,
    variants: Vec<String>,
) -> Result<Release> {
    let networks: Vec<(Uuid, String, String)> = sponsorship_network::Entity::find()
        .order_by_asc(sponsorship_network::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.slug, n.name))
        .collect();
    let mut sets: Vec<BTreeSet<Uuid>> = vec![networks.iter().map(|n| n.0).collect()];
    let mut by_key: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    for row in partner_api_key_network::Entity::find().all(db).await? {
        by_key.entry(row.key_id).or_default().insert(row.network_id);
    }
    let mut limited: Vec<BTreeSet<Uuid>> = by_key.into_values().collect();
    limited.sort();
    for set in limited {
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    let slug = |id: &Uuid| networks.iter().find(|n| n.0 == *id).map(|n| n.1.clone());
    let slugs: Vec<Vec<String>> = sets
        .iter()
        .map(|s| s.iter().filter_map(slug).collect())
        .collect();
    let keys = Keys {
        provinces,
        networks: networks.iter().map(|n| n.1.clone()).collect(),
        variants,
    };
    let atoms = atoms(db, year).await?;
    let found: HashMap<String, Raw> = atom_figures(db, year)
        .await?
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    let givers = givers(db, year, &slugs).await?;
    let Protected { answers, fallbacks } =
        protect_and_publish(&atoms, &found, &givers, &keys, &slugs);
    if fallbacks > 0 {
        tracing::warn!(
            year,
            fallbacks,
            "linked suppression withheld more on the true values than on the stand-in worlds"
        );
    }
    Ok(Release {
        sets,
        networks,
        answers,
    })
}

/// The pure part of [`release`]: the figures of `atoms` (`found` by
/// `slug|province|variant|period`), the distinct volunteers behind each cell's hours, and the
/// network sets (slugs; the first holds every network): every answer, protected together.
pub fn protect_and_publish(
    atoms: &[Atom],
    found: &HashMap<String, Raw>,
    givers: &HashMap<(usize, Option<Dim>, String), u64>,
    keys: &Keys,
    slugs: &[Vec<String>],
) -> Protected {
    let layout = layout(atoms, keys, slugs);
    let n = atoms.len();
    let cells = layout.structure.cells.len();
    let value = |pick: fn(&Raw) -> i64| -> Vec<u64> {
        (0..5 * n)
            .map(|v| {
                let (a, period) = (&atoms[v % n], ["Y", "Q1", "Q2", "Q3", "Q4"][v / n]);
                let key = format!("{}|{}|{}|{period}", a.network, a.province, a.variant);
                found
                    .get(&key)
                    .map_or(0, |r| u64::try_from(pick(r)).unwrap_or(0))
            })
            .collect()
    };
    let count = |pick: fn(&Raw) -> i64, quarters: Quarters| Figure {
        measure: Measure::Count,
        quarters,
        values: value(pick),
    };
    let figures = [
        count(|r| r.active, Quarters::Union),
        count(|r| r.welcomed, Quarters::Sum),
        count(|r| r.newcomers, Quarters::Sum),
        count(|r| r.volunteers, Quarters::Union),
        Figure {
            measure: Measure::Minutes,
            quarters: Quarters::Sum,
            values: value(|r| r.minutes),
        },
        Figure {
            measure: Measure::Share,
            quarters: Quarters::AtLeast,
            values: value(|r| r.paid_work),
        },
        Figure {
            measure: Measure::Share,
            quarters: Quarters::AtLeast,
            values: value(|r| r.language_b1),
        },
    ];
    // Who gave the hours of each cell, found through any answer that holds it.
    let mut gave = vec![0u64; cells];
    for (&(set, dim), (answer, cell_keys)) in &layout.answers {
        let a = &layout.structure.answers[*answer];
        for (cell, key) in a.cells.iter().zip(cell_keys) {
            gave[*cell] = givers
                .get(&(set, Some(dim), key.clone()))
                .copied()
                .unwrap_or(0);
        }
        gave[a.total] = givers
            .get(&(set, None, String::new()))
            .copied()
            .unwrap_or(0);
    }
    let year = Year {
        structure: &layout.structure,
        figures: &figures,
        givers: &gave,
        audits: Default::default(),
        fallbacks: Default::default(),
    };
    let fates = year.protect();
    let publish = |c: usize, key: String| Cell {
        key,
        figures: std::array::from_fn(|f| year.published(f, c, fates[f][c])),
    };
    let mut answers = Vec::new();
    for (&(set, dim), (answer, cell_keys)) in &layout.answers {
        let a = &layout.structure.answers[*answer];
        answers.push(Answer {
            set,
            dim: DIMS.iter().position(|d| *d == dim).unwrap_or(0),
            cells: a
                .cells
                .iter()
                .zip(cell_keys)
                .map(|(c, k)| publish(*c, k.clone()))
                .collect(),
            total: publish(a.total, "TOTAL".into()),
        });
    }
    answers.sort_by_key(|a| (a.set, a.dim));
    Protected {
        answers,
        fallbacks: year.fallbacks.get(),
    }
}

/// A year's answers, and how often true values had to withhold more than the stand-in worlds
/// did (`domain::disclosure::worlds`; each such choice is one a replay of the algorithm could
/// learn from, so it is logged).
pub struct Protected {
    pub answers: Vec<Answer>,
    pub fallbacks: usize,
}

#[cfg(test)]
mod attacker;
#[cfg(test)]
mod tests;
