//! The audit log of mutations.

use crate::helpers::{create, drop, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let t = "audit_log";
        // Append-only and never edited: no version, no updated_at.
        let log = Table::create()
            .table(t)
            .col(pk_uuid("id"))
            .col(timestamp_with_time_zone("occurred_at"))
            .col(uuid_null("actor_id"))
            .col(string_len("actor_role", 32))
            .col(string_len("operation", 64))
            .col(string_len("entity_type", 64))
            .col(uuid("entity_id"))
            .to_owned();
        create(
            manager,
            vec![log],
            vec![
                index(t, &["occurred_at", "id"]),
                index(t, &["entity_type", "entity_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["audit_log"]).await
    }
}
