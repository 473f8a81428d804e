//! Sponsor groups: lookups, pages per city and member counts.

use crate::db::page::{self, HasId, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use haven_entities::membership;
use haven_entities::sponsor_group::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

impl HasId for Model {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Groups are listed by name unless asked otherwise.
pub const BY_NAME: Ordering<Entity> = Ordering {
    sort: Column::Name,
    id: Column::Id,
    key: |m| SortKey::Text(m.name.clone()),
};

/// The groups with these ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// One page of groups for each city, in one statement.
pub async fn pages_per_city(
    db: &impl ConnectionTrait,
    city_ids: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<Model>>> {
    let q = Entity::find().filter(Column::CityId.is_in(city_ids.iter().copied()));
    let rows = page::fetch_per_parent(db, q, Column::CityId, &BY_NAME, args).await?;
    Ok(page::group_pages(rows, |m| m.city_id, args))
}

/// The number of groups in each city, in one statement.
pub async fn count_per_city(
    db: &impl ConnectionTrait,
    city_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>> {
    page::count_by(
        db,
        Entity::find().filter(Column::CityId.is_in(city_ids.iter().copied())),
        Column::CityId,
    )
    .await
}

/// The number of current members (not left) of each group, in one statement.
pub async fn member_counts(
    db: &impl ConnectionTrait,
    group_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>> {
    let q = membership::Entity::find()
        .filter(membership::Column::GroupId.is_in(group_ids.iter().copied()))
        .filter(membership::Column::LeftOn.is_null());
    page::count_by(db, q, membership::Column::GroupId).await
}
