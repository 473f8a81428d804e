//! Per-request dataloaders: every nested field resolves through one of these, so a query costs
//! one statement per field and level, not one per parent row.
//!
//! A fresh [`Loaders`] is made for each request (see the HTTP handler): loaders never share
//! their pages between viewers, and nothing goes stale after a mutation. Rows by id are also
//! kept across requests (the entity cache of [`crate::cache`], keyed by their table's data
//! generation), for queries only; every field still checks the viewer's rights on the row. Their batches run one query
//! level at a time, driven by [`levels::drive`] inside the request's task.

pub mod levels;

use crate::cache::View;
use crate::db::lists::{self, Relation};
use crate::db::page::{Ordering, Page, PageArgs};
use crate::db::tables::{self, Table};
use crate::db::{care, cities, sponsors};
use crate::error::{Error, Result};
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use haven_entities::{city, corporate_sponsor, milestone};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;
use uuid::Uuid;

/// The dataloaders of one request. Rows are cached for the request's lifetime only, so a
/// parent already fetched as part of a list costs nothing when a child points back at it.
pub type Loaders = DataLoader<DbLoader, HashMapCache>;

/// Batches keys into SQL against the request's database.
pub struct DbLoader {
    db: DatabaseConnection,
    /// The cross-request cache of rows by id, for queries (a mutation reads its own writes,
    /// so it always goes to the database).
    rows: Option<View>,
}

/// Largest number of keys in one batch. A level with more keys (only a query whose page sizes
/// multiply past it) takes one statement per this many. SQLite binds at most 32,766
/// parameters; PostgreSQL gets the keys as one array.
const MAX_BATCH: usize = 10_000;

/// Makes the loaders for one request, and the queue of batches that [`levels::drive`] runs
/// when a query level is complete.
pub fn for_request(db: DatabaseConnection, rows: Option<View>) -> (Loaders, levels::Queue) {
    let queue = levels::Queue::default();
    let spawner = queue.clone();
    let loaders = DataLoader::with_cache(
        DbLoader { db, rows },
        move |batch| spawner.push(batch),
        HashMapCache::default(),
    )
    // No time window: a batch takes its keys when it starts, after its level is complete.
    .delay(std::time::Duration::ZERO)
    .max_batch_size(MAX_BATCH);
    (loaders, queue)
}

/// A row of table `E` by id.
pub struct ById<E>(pub Uuid, PhantomData<fn() -> E>);

impl<E> ById<E> {
    pub fn new(id: Uuid) -> Self {
        Self(id, PhantomData)
    }
}
// Manual impls: derives would demand the same traits of the entity type.
impl<E> Clone for ById<E> {
    fn clone(&self) -> Self {
        Self::new(self.0)
    }
}
impl<E> PartialEq for ById<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ById<E> {}
impl<E> Hash for ById<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// A page of the children of one parent along relation `R`.
pub struct ListOf<R: Relation> {
    pub rel: R,
    pub parent: Uuid,
    pub order: Ordering<R::Child>,
    pub args: PageArgs,
    /// Count the parent's children too ([`Page::total`]): the query selects `totalCount`.
    pub with_total: bool,
}
// Manual impls: derives would demand the same traits of the entity type.
impl<R: Relation> Clone for ListOf<R> {
    fn clone(&self) -> Self {
        Self {
            rel: self.rel,
            parent: self.parent,
            order: self.order,
            args: self.args.clone(),
            with_total: self.with_total,
        }
    }
}
impl<R: Relation> PartialEq for ListOf<R> {
    fn eq(&self, o: &Self) -> bool {
        (
            self.rel,
            self.parent,
            self.order,
            &self.args,
            self.with_total,
        ) == (o.rel, o.parent, o.order, &o.args, o.with_total)
    }
}
impl<R: Relation> Eq for ListOf<R> {}
impl<R: Relation> Hash for ListOf<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (
            self.rel,
            self.parent,
            self.order,
            &self.args,
            self.with_total,
        )
            .hash(state);
    }
}

/// The number of children of one parent along relation `R`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountOf<R: Relation> {
    pub rel: R,
    pub parent: Uuid,
}

/// A city by CBS code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CityByCbsCode(pub String);
/// A corporate sponsor by KvK number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SponsorByKvk(pub String);
/// The milestones of a sponsorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MilestonesOf(pub Uuid);
/// The minutes delivered on a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeliveredMinutes(pub Uuid);

impl<E: Table> Loader<ById<E>> for DbLoader
where
    E::Model: Send + 'static,
{
    /// Shared: the loader's cache, the batch's answer and every field that points at the row
    /// hold the same copy (and, across requests, the entity cache).
    type Value = Arc<E::Model>;
    type Error = Error;
    /// Rows cached at the generation of their table are taken from the cache; the others are
    /// read in one statement and kept.
    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, Self::Value>> {
        use crate::db::page::HasId;
        let table = E::default().table_name();
        let mut out = HashMap::with_capacity(keys.len());
        let mut missing = Vec::with_capacity(keys.len());
        let mut keep = HashMap::new();
        for k in keys {
            let cached = match &self.rows {
                Some(view) => view.entity::<E::Model>(table, k.0).await,
                None => Err(None),
            };
            match cached {
                Ok(row) => {
                    out.insert(k.clone(), row);
                }
                Err(key) => {
                    missing.push(k.0);
                    if let Some(key) = key {
                        keep.insert(k.0, key);
                    }
                }
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        for m in tables::by_ids::<E>(&self.db, &missing).await? {
            let row = Arc::new(m);
            if let (Some(view), Some(key)) = (&self.rows, keep.remove(&row.id())) {
                view.keep_entity(key, row.clone()).await;
            }
            out.insert(ById::new(row.id()), row);
        }
        Ok(out)
    }
}

impl<R: Relation> Loader<ListOf<R>> for DbLoader
where
    <R::Child as EntityTrait>::Model: Sync,
{
    /// Shared, so that handing a page to the field that asked for it copies no rows.
    type Value = Arc<Page<<R::Child as EntityTrait>::Model>>;
    type Error = Error;
    async fn load(&self, keys: &[ListOf<R>]) -> Result<HashMap<ListOf<R>, Self::Value>> {
        // One statement per distinct (relation, order, page arguments, counting) in the batch.
        type Shape<'a, R> = (R, Ordering<<R as Relation>::Child>, &'a PageArgs, bool);
        let mut shapes: HashMap<Shape<'_, R>, Vec<Uuid>> = HashMap::new();
        for k in keys {
            shapes
                .entry((k.rel, k.order, &k.args, k.with_total))
                .or_default()
                .push(k.parent);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((rel, order, args, with_total), parents) in shapes {
            let mut pages = lists::pages(&self.db, rel, &parents, &order, args, with_total).await?;
            for parent in parents {
                let page = pages.remove(&parent).unwrap_or_default();
                out.insert(
                    ListOf {
                        rel,
                        parent,
                        order,
                        args: args.clone(),
                        with_total,
                    },
                    Arc::new(page),
                );
            }
        }
        Ok(out)
    }
}

impl<R: Relation> Loader<CountOf<R>> for DbLoader {
    type Value = u64;
    type Error = Error;
    async fn load(&self, keys: &[CountOf<R>]) -> Result<HashMap<CountOf<R>, u64>> {
        let mut by_rel: HashMap<R, Vec<Uuid>> = HashMap::new();
        for k in keys {
            by_rel.entry(k.rel).or_default().push(k.parent);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (rel, parents) in by_rel {
            let found = lists::counts(&self.db, rel, &parents).await?;
            for parent in parents {
                out.insert(
                    CountOf { rel, parent },
                    found.get(&parent).copied().unwrap_or(0),
                );
            }
        }
        Ok(out)
    }
}

impl Loader<CityByCbsCode> for DbLoader {
    type Value = city::Model;
    type Error = Error;
    async fn load(&self, keys: &[CityByCbsCode]) -> Result<HashMap<CityByCbsCode, city::Model>> {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = cities::by_cbs_codes(&self.db, &codes).await?;
        Ok(rows
            .into_iter()
            .map(|m| (CityByCbsCode(m.cbs_code.clone()), m))
            .collect())
    }
}

impl Loader<SponsorByKvk> for DbLoader {
    type Value = corporate_sponsor::Model;
    type Error = Error;
    async fn load(
        &self,
        keys: &[SponsorByKvk],
    ) -> Result<HashMap<SponsorByKvk, corporate_sponsor::Model>> {
        let numbers: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = sponsors::by_kvk_numbers(&self.db, &numbers).await?;
        Ok(rows
            .into_iter()
            .map(|m| (SponsorByKvk(m.kvk_number.clone()), m))
            .collect())
    }
}

impl Loader<MilestonesOf> for DbLoader {
    type Value = Vec<milestone::Model>;
    type Error = Error;
    async fn load(&self, keys: &[MilestonesOf]) -> Result<HashMap<MilestonesOf, Self::Value>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut found = care::milestones_of(&self.db, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (MilestonesOf(id), found.remove(&id).unwrap_or_default()))
            .collect())
    }
}

impl Loader<DeliveredMinutes> for DbLoader {
    type Value = u64;
    type Error = Error;
    async fn load(&self, keys: &[DeliveredMinutes]) -> Result<HashMap<DeliveredMinutes, u64>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = sponsors::delivered_minutes(&self.db, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (DeliveredMinutes(id), found.get(&id).copied().unwrap_or(0)))
            .collect())
    }
}
