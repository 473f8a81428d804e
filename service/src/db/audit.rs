//! Recording mutations in the audit log, inside the mutation's own transaction.

use crate::db::history::Actor;
use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use chrono::Utc;
use haven_entities::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait};
use uuid::Uuid;

/// Appends one entry: who (`actor`) did `operation` on `entity_type` `entity_id`, now.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Actor,
    operation: &str,
    entity_type: &str,
    entity_id: Uuid,
) -> Result<()> {
    audit_log::Model {
        id: Uuid::new_v4(),
        occurred_at: Utc::now(),
        actor_id: actor.id,
        actor_role: actor.role.into(),
        operation: operation.into(),
        entity_type: entity_type.into(),
        entity_id,
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    Ok(())
}

/// The log, newest first.
pub const NEWEST_FIRST: Ordering<audit_log::Entity> = Ordering {
    name: "occurredAt",
    sort: audit_log::Column::OccurredAt,
    id: audit_log::Column::Id,
    key: |m: &audit_log::Model| SortKey::Time(m.occurred_at),
    descending: true,
};

/// One page of the log.
pub async fn list(db: &impl ConnectionTrait, args: &PageArgs) -> Result<Page<audit_log::Model>> {
    page::fetch(db, audit_log::Entity::find(), &NEWEST_FIRST, args).await
}

/// How many entries the log has.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(audit_log::Entity::find().count(db).await?)
}
