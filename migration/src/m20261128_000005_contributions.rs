//! Contributions: time and goods given by volunteers and companies.

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
        let t = "contribution";
        let contribution = table(t)
            .col(uuid("group_id"))
            .col(uuid_null("sponsorship_id"))
            .col(uuid_null("volunteer_id"))
            .col(uuid_null("corporate_sponsor_id"))
            .col(date("contributed_on"))
            .col(string_len("kind", ENUM_LEN))
            .col(integer("minutes"))
            .col(big_integer_null("value_cents"))
            .col(text_null("note"))
            .foreign_key(&mut fk(
                t,
                "group_id",
                "sponsor_group",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                t,
                "sponsorship_id",
                "sponsorship",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                t,
                "volunteer_id",
                "volunteer",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                t,
                "corporate_sponsor_id",
                "corporate_sponsor",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![contribution],
            vec![
                index(t, &["group_id", "contributed_on", "id"]),
                index(t, &["sponsorship_id", "contributed_on"]),
                index(t, &["volunteer_id", "contributed_on"]),
                index(t, &["corporate_sponsor_id", "contributed_on"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["contribution"]).await
    }
}
