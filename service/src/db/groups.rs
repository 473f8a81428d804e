//! Sponsor groups: filters and orderings.

use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::city;
use haven_entities::enums::{GroupStatus, SponsorshipVariant};
use haven_entities::sponsor_group::{Column, Entity, Model};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select};
use uuid::Uuid;

/// Groups by name.
pub const BY_NAME: Ordering<Entity> =
    Ordering::asc("name", Column::Name, Column::Id, |m: &Model| {
        SortKey::Text(m.name.clone())
    });
/// Groups by the day they formed.
pub const BY_FORMED: Ordering<Entity> =
    Ordering::asc("formedOn", Column::FormedOn, Column::Id, |m: &Model| {
        SortKey::Date(m.formed_on)
    });
/// Groups by when they were recorded.
pub const BY_CREATED: Ordering<Entity> =
    Ordering::asc("createdAt", Column::CreatedAt, Column::Id, |m: &Model| {
        SortKey::Time(m.created_at)
    });

/// Which groups a list shows; all given conditions hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct GroupFilter {
    pub network_id: Option<Uuid>,
    pub city_id: Option<Uuid>,
    pub variant: Option<SponsorshipVariant>,
    pub status: Option<GroupStatus>,
    pub name_contains: Option<String>,
}

impl GroupFilter {
    fn apply(&self, mut q: Select<Entity>) -> Select<Entity> {
        if let Some(n) = self.network_id {
            let towns = Query::select()
                .column(city::Column::Id)
                .from(city::Entity)
                .and_where(city::Column::NetworkId.eq(n))
                .to_owned();
            q = q.filter(Column::CityId.in_subquery(towns));
        }
        if let Some(c) = self.city_id {
            q = q.filter(Column::CityId.eq(c));
        }
        if let Some(v) = self.variant {
            q = q.filter(Column::Variant.eq(v));
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

/// One page of the groups matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &GroupFilter,
    order: &Ordering<Entity>,
    args: &PageArgs,
) -> Result<Page<Model>> {
    page::fetch(db, filter.apply(Entity::find()), order, args).await
}

/// How many groups match `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &GroupFilter) -> Result<u64> {
    Ok(filter.apply(Entity::find()).count(db).await?)
}
