//! Corporate sponsors and their commitments (pledges to a network, a city or a group).

use crate::helpers::{ENUM_LEN, create, drop, fk, index, table};
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
        let sponsor = table("corporate_sponsor")
            .col(string_len("name", 200))
            .col(string_len_uniq("kvk_number", 8))
            .col(string_len("sector", 100))
            .col(string_len_null("website", 500))
            .to_owned();
        let t = "sponsor_commitment";
        let commitment = table(t)
            .col(uuid("sponsor_id"))
            .col(string_len("scope_kind", ENUM_LEN))
            .col(uuid_null("network_id"))
            .col(uuid_null("city_id"))
            .col(uuid_null("group_id"))
            .col(string_len("kind", ENUM_LEN))
            .col(integer_null("pledged_hours"))
            .col(big_integer_null("pledged_value_cents"))
            .col(integer_null("pledged_places"))
            .col(date("starts_on"))
            .col(date_null("ends_on"))
            .foreign_key(&mut fk(
                t,
                "sponsor_id",
                "corporate_sponsor",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                t,
                "network_id",
                "sponsorship_network",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(t, "city_id", "city", ForeignKeyAction::Cascade))
            .foreign_key(&mut fk(
                t,
                "group_id",
                "sponsor_group",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![sponsor, commitment],
            vec![
                index("corporate_sponsor", &["name", "id"]),
                index(t, &["sponsor_id", "starts_on"]),
                index(t, &["network_id"]),
                index(t, &["city_id"]),
                index(t, &["group_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["sponsor_commitment", "corporate_sponsor"]).await
    }
}
