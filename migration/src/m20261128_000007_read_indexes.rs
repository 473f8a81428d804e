//! Indexes for the read API's batched counts: current members per group are counted from the
//! index alone (group and leave date), without visiting the rows.

use crate::helpers::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("membership", &["group_id", "left_on"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_membership_group_id_left_on")
                    .table("membership")
                    .to_owned(),
            )
            .await
    }
}
