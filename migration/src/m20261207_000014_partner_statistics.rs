//! Partner statistics: the networks a partner key is limited to, and the log of every call a
//! partner or administrator made for figures.

use crate::helpers::{create, drop, fk, index};
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
        let limits = "partner_api_key_network";
        // A key with no rows here sees every network.
        let networks = Table::create()
            .table(limits)
            .col(uuid("key_id"))
            .col(uuid("network_id"))
            .primary_key(Index::create().col("key_id").col("network_id"))
            .foreign_key(&mut fk(
                limits,
                "key_id",
                "partner_api_key",
                ForeignKeyAction::Cascade,
            ))
            // Restrict: were a network's rows deleted with it, a key limited to that network
            // alone would have none left, and none means every network.
            .foreign_key(&mut fk(
                limits,
                "network_id",
                "sponsorship_network",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        let t = "partner_query_log";
        // Append-only, like the audit log. No foreign keys: the log outlives revoked keys and
        // removed partners.
        let log = Table::create()
            .table(t)
            .col(pk_uuid("id"))
            .col(timestamp_with_time_zone("asked_at"))
            .col(uuid_null("key_id"))
            .col(uuid_null("partner_id"))
            .col(string_len("viewer_role", 32))
            .col(string_len("field", 64))
            .col(text("arguments"))
            .to_owned();
        create(
            manager,
            vec![networks, log],
            vec![
                index(limits, &["network_id"]),
                index(t, &["asked_at", "id"]),
                index(t, &["partner_id", "asked_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["partner_query_log", "partner_api_key_network"]).await
    }
}
