//! Towns taking part: filters, lookups by id and CBS code, and lists per network.

use crate::db::page::{self, HasId, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::city::{Column, Entity, Model};
use haven_entities::enums::{CityStatus, Province};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

impl HasId for Model {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Cities are listed by name.
pub const ORDER: Ordering<Entity> = Ordering {
    sort: Column::Name,
    id: Column::Id,
    key: |m| SortKey::Text(m.name.clone()),
};

/// Which cities a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CityFilter {
    pub network_id: Option<Uuid>,
    pub province: Option<Province>,
    pub status: Option<CityStatus>,
    /// Case-insensitive substring of the name, the same on SQLite and PostgreSQL.
    pub name_contains: Option<String>,
}

impl CityFilter {
    fn apply(&self, mut q: Select<Entity>) -> Select<Entity> {
        if let Some(n) = self.network_id {
            q = q.filter(Column::NetworkId.eq(n));
        }
        if let Some(p) = self.province {
            q = q.filter(Column::Province.eq(p));
        }
        if let Some(s) = self.status {
            q = q.filter(Column::Status.eq(s));
        }
        if let Some(needle) = self.name_contains.as_deref().filter(|s| !s.is_empty()) {
            let pattern = LikeExpr::new(page::contains_pattern(needle)).escape('\\');
            q = q.filter(
                Condition::all()
                    .add(Expr::expr(Func::lower(Expr::col(Column::Name))).like(pattern)),
            );
        }
        q
    }
}

/// One page of the cities matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &CityFilter,
    args: &PageArgs,
) -> Result<Page<Model>> {
    page::fetch(db, filter.apply(Entity::find()), &ORDER, args).await
}

/// How many cities match `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &CityFilter) -> Result<u64> {
    Ok(filter.apply(Entity::find()).count(db).await?)
}

/// The cities with these ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The cities with these CBS codes.
pub async fn by_cbs_codes(db: &impl ConnectionTrait, codes: &[String]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::CbsCode.is_in(codes.iter().cloned()))
        .all(db)
        .await?)
}

/// One page of cities for each network, in one statement.
pub async fn pages_per_network(
    db: &impl ConnectionTrait,
    network_ids: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<Model>>> {
    let q = Entity::find().filter(Column::NetworkId.is_in(network_ids.iter().copied()));
    let rows = page::fetch_per_parent(db, q, Column::NetworkId, &ORDER, args).await?;
    Ok(page::group_pages(rows, |m| m.network_id, args))
}

/// The number of cities in each network, in one statement.
pub async fn count_per_network(
    db: &impl ConnectionTrait,
    network_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>> {
    let q = Entity::find().filter(Column::NetworkId.is_in(network_ids.iter().copied()));
    page::count_by(db, q, Column::NetworkId).await
}
