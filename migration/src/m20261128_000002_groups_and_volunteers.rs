//! Sponsor groups, volunteers and their memberships.

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
        let group = table("sponsor_group")
            .col(uuid("city_id"))
            .col(string_len("name", 200))
            .col(string_len("variant", ENUM_LEN))
            .col(string_len("status", ENUM_LEN))
            .col(string_len("origin", ENUM_LEN))
            .col(date("formed_on"))
            .foreign_key(&mut fk(
                "sponsor_group",
                "city_id",
                "city",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        let volunteer = table("volunteer")
            .col(string_len("display_name", 200))
            .col(string_len_uniq("email", 320))
            .col(string_len_null("phone", 40))
            .col(json("languages"))
            .col(json("skills"))
            .to_owned();
        let membership = table("membership")
            .col(uuid("group_id"))
            .col(uuid("volunteer_id"))
            .col(string_len("role", ENUM_LEN))
            .col(date("joined_on"))
            .col(date_null("left_on"))
            .col(string_len("vog_status", ENUM_LEN))
            .col(date_null("training_completed_on"))
            .foreign_key(&mut fk(
                "membership",
                "group_id",
                "sponsor_group",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "membership",
                "volunteer_id",
                "volunteer",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![group, volunteer, membership],
            vec![
                index("sponsor_group", &["city_id", "name", "id"]),
                index("sponsor_group", &["city_id", "formed_on", "id"]),
                index("sponsor_group", &["name", "id"]),
                index("sponsor_group", &["formed_on", "id"]),
                index("sponsor_group", &["created_at", "id"]),
                index("sponsor_group", &["status"]),
                index("sponsor_group", &["variant"]),
                index("membership", &["group_id", "joined_on", "id"]),
                index("membership", &["volunteer_id"]),
                index("volunteer", &["display_name", "id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["membership", "volunteer", "sponsor_group"]).await
    }
}
