//! Per-request dataloaders: every nested field resolves through one of these, so a query costs
//! one statement per field and level, not one per parent row.
//!
//! A fresh [`Loaders`] is made for each request (see the HTTP handler): loaders never share
//! rows between viewers, and nothing goes stale after a mutation. Batches run in tasks that
//! carry the request's statement counter along.

use crate::db::page::{Page, PageArgs};
use crate::db::{self, stats};
use crate::error::{Error, Result};
use async_graphql::dataloader::{DataLoader, Loader};
use haven_entities::{city, sponsor_group, sponsorship_network};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use uuid::Uuid;

/// The dataloaders of one request.
pub type Loaders = DataLoader<DbLoader>;

/// Batches keys into SQL against the request's database.
pub struct DbLoader {
    db: DatabaseConnection,
}

/// Largest number of keys in one batch (bind-parameter limits are far above this).
const MAX_BATCH: usize = 500;

/// Makes the loaders for one request.
pub fn for_request(db: DatabaseConnection) -> Loaders {
    DataLoader::new(DbLoader { db }, stats::spawn_with_counter).max_batch_size(MAX_BATCH)
}

/// A network by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetworkById(pub Uuid);
/// A city by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CityById(pub Uuid);
/// A city by CBS code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CityByCbsCode(pub String);
/// A sponsor group by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupById(pub Uuid);
/// A page of a network's cities.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitiesOfNetwork(pub Uuid, pub PageArgs);
/// The number of a network's cities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CityCountOfNetwork(pub Uuid);
/// A page of a city's groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupsOfCity(pub Uuid, pub PageArgs);
/// The number of a city's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupCountOfCity(pub Uuid);
/// The number of a group's current members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemberCountOfGroup(pub Uuid);

/// Indexes rows by a key of theirs.
fn index_by<K: Hash + Eq, M>(rows: Vec<M>, key: impl Fn(&M) -> K) -> HashMap<K, M> {
    rows.into_iter().map(|m| (key(&m), m)).collect()
}

/// Loads per-parent pages: one statement per distinct set of page arguments in the batch.
async fn pages<K, M, F, Fut>(
    keys: &[K],
    split: impl Fn(&K) -> (Uuid, &PageArgs),
    fetch: F,
) -> Result<HashMap<K, Page<M>>>
where
    K: Clone + Hash + Eq,
    M: Clone,
    F: Fn(Vec<Uuid>, PageArgs) -> Fut,
    Fut: Future<Output = Result<HashMap<Uuid, Page<M>>>>,
{
    let mut by_args: HashMap<&PageArgs, Vec<Uuid>> = HashMap::new();
    for k in keys {
        let (parent, args) = split(k);
        by_args.entry(args).or_default().push(parent);
    }
    let mut fetched: HashMap<(Uuid, PageArgs), Page<M>> = HashMap::new();
    for (args, parents) in by_args {
        for (parent, page) in fetch(parents, args.clone()).await? {
            fetched.insert((parent, args.clone()), page);
        }
    }
    Ok(keys
        .iter()
        .map(|k| {
            let (parent, args) = split(k);
            let page = fetched
                .get(&(parent, args.clone()))
                .cloned()
                .unwrap_or_default();
            (k.clone(), page)
        })
        .collect())
}

/// Counts per parent, with zero for parents that have no rows.
fn counts<K: Clone + Hash + Eq>(
    keys: &[K],
    parent: impl Fn(&K) -> Uuid,
    found: &HashMap<Uuid, u64>,
) -> HashMap<K, u64> {
    keys.iter()
        .map(|k| (k.clone(), found.get(&parent(k)).copied().unwrap_or(0)))
        .collect()
}

impl Loader<NetworkById> for DbLoader {
    type Value = sponsorship_network::Model;
    type Error = Error;
    async fn load(&self, keys: &[NetworkById]) -> Result<HashMap<NetworkById, Self::Value>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(index_by(db::networks::by_ids(&self.db, &ids).await?, |m| {
            NetworkById(m.id)
        }))
    }
}

impl Loader<CityById> for DbLoader {
    type Value = city::Model;
    type Error = Error;
    async fn load(&self, keys: &[CityById]) -> Result<HashMap<CityById, Self::Value>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(index_by(db::cities::by_ids(&self.db, &ids).await?, |m| {
            CityById(m.id)
        }))
    }
}

impl Loader<CityByCbsCode> for DbLoader {
    type Value = city::Model;
    type Error = Error;
    async fn load(&self, keys: &[CityByCbsCode]) -> Result<HashMap<CityByCbsCode, Self::Value>> {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(index_by(
            db::cities::by_cbs_codes(&self.db, &codes).await?,
            |m| CityByCbsCode(m.cbs_code.clone()),
        ))
    }
}

impl Loader<GroupById> for DbLoader {
    type Value = sponsor_group::Model;
    type Error = Error;
    async fn load(&self, keys: &[GroupById]) -> Result<HashMap<GroupById, Self::Value>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(index_by(db::groups::by_ids(&self.db, &ids).await?, |m| {
            GroupById(m.id)
        }))
    }
}

impl Loader<CitiesOfNetwork> for DbLoader {
    type Value = Page<city::Model>;
    type Error = Error;
    async fn load(
        &self,
        keys: &[CitiesOfNetwork],
    ) -> Result<HashMap<CitiesOfNetwork, Self::Value>> {
        pages(
            keys,
            |k| (k.0, &k.1),
            |ids, args| async move { db::cities::pages_per_network(&self.db, &ids, &args).await },
        )
        .await
    }
}

impl Loader<CityCountOfNetwork> for DbLoader {
    type Value = u64;
    type Error = Error;
    async fn load(&self, keys: &[CityCountOfNetwork]) -> Result<HashMap<CityCountOfNetwork, u64>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(counts(
            keys,
            |k| k.0,
            &db::cities::count_per_network(&self.db, &ids).await?,
        ))
    }
}

impl Loader<GroupsOfCity> for DbLoader {
    type Value = Page<sponsor_group::Model>;
    type Error = Error;
    async fn load(&self, keys: &[GroupsOfCity]) -> Result<HashMap<GroupsOfCity, Self::Value>> {
        pages(
            keys,
            |k| (k.0, &k.1),
            |ids, args| async move { db::groups::pages_per_city(&self.db, &ids, &args).await },
        )
        .await
    }
}

impl Loader<GroupCountOfCity> for DbLoader {
    type Value = u64;
    type Error = Error;
    async fn load(&self, keys: &[GroupCountOfCity]) -> Result<HashMap<GroupCountOfCity, u64>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(counts(
            keys,
            |k| k.0,
            &db::groups::count_per_city(&self.db, &ids).await?,
        ))
    }
}

impl Loader<MemberCountOfGroup> for DbLoader {
    type Value = u64;
    type Error = Error;
    async fn load(&self, keys: &[MemberCountOfGroup]) -> Result<HashMap<MemberCountOfGroup, u64>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(counts(
            keys,
            |k| k.0,
            &db::groups::member_counts(&self.db, &ids).await?,
        ))
    }
}
