//! Sponsorship networks: lookups and the ordered list.

use crate::db::page::{self, HasId, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::sponsorship_network::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

impl HasId for Model {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Networks are listed by name.
pub const ORDER: Ordering<Entity> = Ordering {
    sort: Column::Name,
    id: Column::Id,
    key: |m| SortKey::Text(m.name.clone()),
};

/// One page of networks.
pub async fn list(db: &impl ConnectionTrait, args: &PageArgs) -> Result<Page<Model>> {
    page::fetch(db, Entity::find(), &ORDER, args).await
}

/// How many networks there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}

/// The networks with these ids (any order; unknown ids are absent).
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The network with this slug.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Model>> {
    Ok(Entity::find().filter(Column::Slug.eq(slug)).one(db).await?)
}
