//! Towns taking part: filters, orderings and lookup by CBS code.

use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::city::{Column, Entity, Model};
use haven_entities::enums::{CityStatus, Province};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select};

/// Cities by name.
pub const BY_NAME: Ordering<Entity> =
    Ordering::asc("name", Column::Name, Column::Id, |m: &Model| {
        SortKey::Text(m.name.clone())
    });
/// Cities by when they were recorded.
pub const BY_CREATED: Ordering<Entity> =
    Ordering::asc("createdAt", Column::CreatedAt, Column::Id, |m: &Model| {
        SortKey::Time(m.created_at)
    });

/// Which cities a list shows; all given conditions hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CityFilter {
    pub network_id: Option<uuid::Uuid>,
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
            q = q.filter(page::name_contains(Column::Name, needle));
        }
        q
    }
}

/// One page of the cities matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &CityFilter,
    order: &Ordering<Entity>,
    args: &PageArgs,
) -> Result<Page<Model>> {
    page::fetch(db, filter.apply(Entity::find()), order, args).await
}

/// How many cities match `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &CityFilter) -> Result<u64> {
    Ok(filter.apply(Entity::find()).count(db).await?)
}

/// The cities with these CBS codes.
pub async fn by_cbs_codes(db: &impl ConnectionTrait, codes: &[String]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(super::keys::text_in(
            db.get_database_backend(),
            Expr::col((Entity, Column::CbsCode)),
            codes,
        ))
        .all(db)
        .await?)
}
