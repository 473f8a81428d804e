//! The history of group and sponsorship statuses: every change with the day it took effect
//! and who made it, so that funnels and durations can be computed. Existing rows get their
//! current status as history (since the day their record best knows: a group's formation, a
//! sponsorship's end, start or proposal); a backfilled entry takes its row's id.

use crate::helpers::{ENUM_LEN, create, drop, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (history table, the column naming its row, the table of those rows)
const HISTORIES: [(&str, &str, &str); 2] = [
    ("group_status_change", "group_id", "sponsor_group"),
    ("sponsorship_status_change", "sponsorship_id", "sponsorship"),
];

fn history(
    table: &'static str,
    subject: &'static str,
    target: &'static str,
) -> TableCreateStatement {
    // Append-only, like the audit log: no version, no updated_at.
    Table::create()
        .table(table)
        .col(pk_uuid("id"))
        .col(uuid(subject))
        .col(string_len("status", ENUM_LEN))
        .col(date("effective_on"))
        .col(uuid_null("actor_id"))
        .col(string_len("actor_role", 32))
        .col(timestamp_with_time_zone("recorded_at"))
        .foreign_key(&mut fk(table, subject, target, ForeignKeyAction::Cascade))
        .to_owned()
}

/// Each existing row's current status, as of `since`.
fn backfill(
    table: &'static str,
    subject: &'static str,
    target: &'static str,
    since: Expr,
) -> Result<InsertStatement, DbErr> {
    let rows = Query::select()
        .column("id")
        .column("id")
        .column("status")
        .expr(since)
        .expr(Expr::val("SYSTEM"))
        .column("updated_at")
        .from(target)
        .to_owned();
    Ok(Query::insert()
        .into_table(table)
        .columns([
            "id",
            subject,
            "status",
            "effective_on",
            "actor_role",
            "recorded_at",
        ])
        .select_from(rows)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut tables = Vec::new();
        let mut indexes = Vec::new();
        for (t, subject, target) in HISTORIES {
            tables.push(history(t, subject, target));
            indexes.push(index(t, &[subject, "effective_on"]));
            indexes.push(index(t, &["status", "effective_on"]));
        }
        create(manager, tables, indexes).await?;
        let group_since = Expr::col("formed_on");
        let sponsorship_since = Func::coalesce([
            Expr::col("ended_on"),
            Expr::col("started_on"),
            Expr::col("proposed_on"),
        ]);
        manager
            .exec_stmt(backfill(
                HISTORIES[0].0,
                HISTORIES[0].1,
                HISTORIES[0].2,
                group_since,
            )?)
            .await?;
        manager
            .exec_stmt(backfill(
                HISTORIES[1].0,
                HISTORIES[1].1,
                HISTORIES[1].2,
                sponsorship_since.into(),
            )?)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &["sponsorship_status_change", "group_status_change"],
        )
        .await
    }
}
