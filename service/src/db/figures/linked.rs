//! A year of partner statistics, protected as one linked table ([`crate::domain::disclosure::linked`]):
//! the atoms the register holds, their figures, the distinct volunteers behind each cell's
//! hours, and every set of networks a key is (or was) limited to; then one pattern for all, and
//! every answer any key can get, published from it; each year linked to the one before
//! ([`Chain`]). A few statements a year, and the audit's linear programs (BENCHMARKS.md,
//! "Partner releases linked across years").

use super::partner::{Raw, atom_figures, atoms, givers};
use crate::domain::disclosure::audit::Quarters;
use crate::domain::disclosure::grid::{Atom, DIMS, Dim, Keys, Layout, layout};
use crate::domain::disclosure::linked::{Fate, Figure, Measure, Pattern, Structure, Year};
use crate::domain::disclosure::years::join;
use crate::domain::disclosure::{Published, Reason};
use crate::error::{Error, Result};
use chrono::Datelike;
use haven_entities::{partner_api_key_network, sponsorship, sponsorship_network};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
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

/// The first year whose release is linked to none before it: the year the first sponsorship
/// started (before it, nothing was under way to link), or `None` when none has.
pub async fn first_linked_year(db: &impl ConnectionTrait) -> Result<Option<i32>> {
    let first = sponsorship::Entity::find()
        .filter(sponsorship::Column::StartedOn.is_not_null())
        .order_by_asc(sponsorship::Column::StartedOn)
        .one(db)
        .await?;
    Ok(first.and_then(|s| s.started_on).map(|d| d.year()))
}

/// A chain of releases, worked out year by year from the first one linked: what it carries
/// from year to year so that nothing is read twice (the networks and the sets keys are
/// limited to, read when the first year is worked out; the last year's register and figures,
/// which the next year is linked to).
pub struct Chain {
    provinces: Vec<String>,
    variants: Vec<String>,
    replay_safe: bool,
    keys: Option<KeySets>,
    last: Option<(i32, Register)>,
}

/// The networks, and the network sets partners' keys see.
struct KeySets {
    /// Every network, as (id, slug, name), by name.
    networks: Vec<(Uuid, String, String)>,
    /// By id: the first holds every network; each other is a key's.
    sets: Vec<BTreeSet<Uuid>>,
    /// The same sets, by slug.
    slugs: Vec<Vec<String>>,
    keys: Keys,
}

/// One year's register (its atoms) and its figures per atom and period, by key.
struct Register {
    atoms: Vec<Atom>,
    found: HashMap<String, Raw>,
}

impl Register {
    /// Two statements: the register's atoms and their figures.
    async fn load(db: &impl ConnectionTrait, year: i32) -> Result<Self> {
        let atoms = atoms(db, year).await?;
        let found = atom_figures(db, year)
            .await?
            .into_iter()
            .map(|r| (r.key.clone(), r))
            .collect();
        Ok(Self { atoms, found })
    }
}

impl KeySets {
    /// Two statements: the networks and the keys' networks.
    async fn load(
        db: &impl ConnectionTrait,
        provinces: &[String],
        variants: &[String],
    ) -> Result<Self> {
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
        let slugs = sets
            .iter()
            .map(|s| s.iter().filter_map(slug).collect())
            .collect();
        let keys = Keys {
            provinces: provinces.to_vec(),
            networks: networks.iter().map(|n| n.1.clone()).collect(),
            variants: variants.to_vec(),
        };
        Ok(Self {
            networks,
            sets,
            slugs,
            keys,
        })
    }
}

impl Chain {
    /// A chain on the grid keys `provinces` and `variants` (codes, in order); `replay_safe`
    /// decides patterns on stand-in worlds (`HAVEN_PARTNER_SUPPRESSION`).
    pub fn new(provinces: Vec<String>, variants: Vec<String>, replay_safe: bool) -> Self {
        Self {
            provinces,
            variants,
            replay_safe,
            keys: None,
            last: None,
        }
    }

    /// Protects and publishes `year`, linked to the year `before` as it was released (`None`:
    /// the chain's first year). Three statements (the register, its figures, who gave the
    /// hours), two more for the networks and keys the first time, and two for the year
    /// before's register when it was not worked out just before (it came from the cache).
    pub async fn release(
        &mut self,
        db: &impl ConnectionTrait,
        year: i32,
        before: Option<&Release>,
    ) -> Result<Release> {
        if self.keys.is_none() {
            self.keys = Some(KeySets::load(db, &self.provinces, &self.variants).await?);
        }
        let Some(keys) = &self.keys else {
            return Err(Error::Internal("the chain's keys were not loaded".into()));
        };
        let own = Register::load(db, year).await?;
        let givers = givers(db, year, &keys.slugs).await?;
        let theirs = match before {
            None => None,
            Some(b) if b.sets != keys.sets => {
                return Err(Error::Unavailable(
                    "the year before was released for other keys; try again",
                ));
            }
            Some(_) => Some(match self.last.take() {
                Some((y, register)) if y == year - 1 => register,
                _ => Register::load(db, year - 1).await?,
            }),
        };
        let before = before.zip(theirs.as_ref()).map(|(b, r)| Before {
            atoms: &r.atoms,
            found: &r.found,
            answers: &b.answers,
        });
        let Protected { answers, fallbacks } = protect_and_publish(
            &own.atoms,
            &own.found,
            &givers,
            &keys.keys,
            &keys.slugs,
            before.as_ref(),
            self.replay_safe,
        );
        if fallbacks > 0 {
            tracing::warn!(
                year,
                fallbacks,
                "linked suppression withheld more on the true values than on the stand-in worlds"
            );
        }
        let release = Release {
            sets: keys.sets.clone(),
            networks: keys.networks.clone(),
            answers,
        };
        self.last = Some((year, own));
        Ok(release)
    }
}

/// The year before, as published: what linking a year to it needs.
pub struct Before<'a> {
    pub atoms: &'a [Atom],
    /// Its figures, keyed as `found` in [`protect_and_publish`].
    pub found: &'a HashMap<String, Raw>,
    pub answers: &'a [Answer],
}

/// The pure part of [`release`]: the figures of `atoms` (`found` by
/// `slug|province|variant|period`), the distinct volunteers behind each cell's hours, the
/// network sets (slugs; the first holds every network) and the year `before` as published:
/// every answer, protected together and with the year before (on stand-in worlds when
/// `replay_safe`).
pub fn protect_and_publish(
    atoms: &[Atom],
    found: &HashMap<String, Raw>,
    givers: &HashMap<(usize, Option<Dim>, String), u64>,
    keys: &Keys,
    slugs: &[Vec<String>],
    before: Option<&Before>,
    replay_safe: bool,
) -> Protected {
    let Layout {
        structure: own,
        answers: index,
    } = layout(atoms, keys, slugs);
    // Who gave the hours of each cell, found through any answer that holds it.
    let mut gave = vec![0u64; own.cells.len()];
    for (&(set, dim), (answer, cell_keys)) in &index {
        let a = &own.answers[*answer];
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
    let mine = figures(atoms, found);
    let (structure, figures, pattern) = match before {
        None => (own, mine, None),
        Some(b) => {
            let Layout {
                structure: theirs,
                answers: their_index,
            } = layout(b.atoms, keys, slugs);
            let joined = join(&own, atoms, &theirs, b.atoms);
            let old = self::figures(b.atoms, b.found);
            let figures: [Figure; 7] = std::array::from_fn(|f| Figure {
                values: joined.values(&mine[f].values, &old[f].values),
                measure: mine[f].measure,
                quarters: mine[f].quarters,
            });
            gave.resize(joined.structure.cells.len(), 0);
            let pattern = fates_of(&theirs, &their_index, b.answers);
            (joined.structure, figures, Some(pattern))
        }
    };
    let year = Year {
        structure: &structure,
        figures: &figures,
        givers: &gave,
        before: pattern.as_ref(),
        stand_ins: replay_safe,
        audits: Default::default(),
        fallbacks: Default::default(),
    };
    let fates = year.protect();
    let publish = |c: usize, key: String| Cell {
        key,
        figures: std::array::from_fn(|f| year.published(f, c, fates[f][c])),
    };
    let mut answers = Vec::new();
    for (&(set, dim), (answer, cell_keys)) in &index {
        let a = &structure.answers[*answer];
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

/// The seven figures of `atoms` (`found` by `slug|province|variant|period`), per atom
/// variable (period-major).
fn figures(atoms: &[Atom], found: &HashMap<String, Raw>) -> [Figure; 7] {
    let n = atoms.len();
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
    let figure = |measure, quarters, pick: fn(&Raw) -> i64| Figure {
        measure,
        quarters,
        values: value(pick),
    };
    [
        figure(Measure::Count, Quarters::Union, |r| r.active),
        figure(Measure::Count, Quarters::Sum, |r| r.welcomed),
        figure(Measure::Count, Quarters::Sum, |r| r.newcomers),
        figure(Measure::Count, Quarters::Union, |r| r.volunteers),
        figure(Measure::Minutes, Quarters::Sum, |r| r.minutes),
        figure(Measure::Share, Quarters::AtLeast, |r| r.paid_work),
        figure(Measure::Share, Quarters::AtLeast, |r| r.language_b1),
    ]
}

/// The pattern a year was published with, per figure and cell of its `structure`, read back
/// from its `answers` (laid out by `index`).
fn fates_of(
    structure: &Structure,
    index: &HashMap<(usize, Dim), (usize, Vec<String>)>,
    answers: &[Answer],
) -> Pattern {
    let mut pattern = vec![vec![Fate::Withheld; structure.cells.len()]; 7];
    for (&(set, dim), (answer, _)) in index {
        let a = &structure.answers[*answer];
        let d = DIMS.iter().position(|x| *x == dim);
        let Some(published) = answers.iter().find(|p| p.set == set && Some(p.dim) == d) else {
            continue;
        };
        let pairs = a.cells.iter().zip(&published.cells);
        for (&cell, seen) in pairs.chain([(&a.total, &published.total)]) {
            for (f, figure) in seen.figures.iter().enumerate() {
                pattern[f][cell] = match (figure.value, figure.reason) {
                    (Some(_), _) => Fate::Shown,
                    (None, Some(Reason::Secondary)) => Fate::Secondary,
                    (None, Some(_)) => Fate::Small,
                    (None, None) => Fate::Withheld,
                };
            }
        }
    }
    pattern
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
mod replay;
#[cfg(test)]
mod tests;
