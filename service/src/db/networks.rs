//! Sponsorship networks: the ordered list and lookup by slug.

use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::sponsorship_network::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Networks are listed by name.
pub const BY_NAME: Ordering<Entity> =
    Ordering::asc("name", Column::Name, Column::Id, |m: &Model| {
        SortKey::Text(m.name.clone())
    });

/// One page of networks.
pub async fn list(db: &impl ConnectionTrait, args: &PageArgs) -> Result<Page<Model>> {
    page::fetch(db, Entity::find(), &BY_NAME, args).await
}

/// How many networks there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}

/// The network with this slug.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Model>> {
    Ok(Entity::find().filter(Column::Slug.eq(slug)).one(db).await?)
}
