//! Data sets: the fictional demo set served by default, and generated sets for benchmarks.

pub mod bench;
mod data;
pub mod demo;
mod history;

use haven_entities::sponsorship_network;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
};
use std::collections::BTreeMap;

/// Rows written per table.
pub type SeedCounts = BTreeMap<&'static str, usize>;

/// Whether the database holds no network yet (so the demo set may be seeded).
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(sponsorship_network::Entity::find().count(db).await? == 0)
}

/// Bind parameters per statement we allow ourselves: under SQLite's 32,766 and PostgreSQL's
/// 65,535 limits.
const MAX_BINDS: usize = 30_000;

/// Inserts models in multi-row statements sized to stay under the bind-parameter limits.
pub async fn insert_all<M, A>(
    db: &impl ConnectionTrait,
    rows: Vec<M>,
    columns: usize,
) -> Result<usize, DbErr>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait,
{
    let n = rows.len();
    let per_stmt = (MAX_BINDS / columns.max(1)).max(1);
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<A> = it
            .by_ref()
            .take(per_stmt)
            .map(|m| m.into_active_model().reset_all())
            .collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}
