//! API keys of partner organisations, stored as hashes.

use crate::helpers::{create, drop, fk, table};
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
        let t = "partner_api_key";
        let keys = table(t)
            .col(uuid("partner_id"))
            .col(string_len("key_prefix", 16))
            .col(string_len_uniq("key_hash", 64))
            .col(json("scopes"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .foreign_key(&mut fk(
                t,
                "partner_id",
                "partner_organisation",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![keys],
            vec![crate::helpers::index(t, &["partner_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["partner_api_key"]).await
    }
}
