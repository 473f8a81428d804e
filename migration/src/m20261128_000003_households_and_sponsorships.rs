//! Newcomer households, the sponsorships that welcome them and their milestones.

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
        let household = table("newcomer_household")
            .col(uuid("city_id"))
            .col(string_len("pseudonym", 100))
            .col(integer("household_size"))
            .col(json("languages"))
            .col(date_null("arrival_date"))
            .foreign_key(&mut fk(
                "newcomer_household",
                "city_id",
                "city",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        let sponsorship = table("sponsorship")
            .col(uuid("group_id"))
            .col(uuid("household_id"))
            .col(string_len("variant", ENUM_LEN))
            .col(string_len("status", ENUM_LEN))
            .col(string_len_null("end_reason", ENUM_LEN))
            .col(date("proposed_on"))
            .col(date_null("started_on"))
            .col(date_null("planned_end_on"))
            .col(date_null("ended_on"))
            .foreign_key(&mut fk(
                "sponsorship",
                "group_id",
                "sponsor_group",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "sponsorship",
                "household_id",
                "newcomer_household",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        let milestone = table("milestone")
            .col(uuid("sponsorship_id"))
            .col(string_len("kind", ENUM_LEN))
            .col(date("achieved_on"))
            .foreign_key(&mut fk(
                "milestone",
                "sponsorship_id",
                "sponsorship",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![household, sponsorship, milestone],
            vec![
                index("newcomer_household", &["city_id"]),
                index("sponsorship", &["group_id", "proposed_on", "id"]),
                index("sponsorship", &["household_id"]),
                index("sponsorship", &["status"]),
                unique("milestone", &["sponsorship_id", "kind"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["milestone", "sponsorship", "newcomer_household"]).await
    }
}
