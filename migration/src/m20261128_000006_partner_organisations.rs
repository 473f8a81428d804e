//! Partner organisations (their API clients come with the permissions work).

use crate::helpers::{ENUM_LEN, create, drop, index, table};
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
        let partner = table("partner_organisation")
            .col(string_len("name", 200))
            .col(string_len("kind", ENUM_LEN))
            .col(string_len_null("website", 500))
            .to_owned();
        create(
            manager,
            vec![partner],
            vec![index("partner_organisation", &["name", "id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["partner_organisation"]).await
    }
}
