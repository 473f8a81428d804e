//! Sponsorship networks and the towns taking part in them.

use crate::helpers::{ENUM_LEN, create, drop, fk, index, table, unique};
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
        let network = table("sponsorship_network")
            .col(string_len_uniq("slug", 64))
            .col(string_len("name", 200))
            .col(text("description"))
            .col(string_len("country_code", 2))
            .col(string_len_null("website", 500))
            .col(date_null("founded_on"))
            .to_owned();
        let city = table("city")
            .col(uuid("network_id"))
            .col(string_len("name", 200))
            .col(string_len_uniq("cbs_code", 6))
            .col(string_len("province", ENUM_LEN))
            .col(string_len("kind", ENUM_LEN))
            .col(string_len("status", ENUM_LEN))
            .col(date_null("joined_on"))
            .foreign_key(&mut fk(
                "city",
                "network_id",
                "sponsorship_network",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        create(
            manager,
            vec![network, city],
            vec![
                index("city", &["network_id", "name", "id"]),
                index("city", &["name", "id"]),
                index("city", &["province"]),
                index("city", &["status"]),
                unique("sponsorship_network", &["name", "id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["city", "sponsorship_network"]).await
    }
}
