//! Covering indexes for the network's figures: each holds every column its statement reads of
//! the rows of a group (or sponsorship) in a period, so the figures are computed from the
//! indexes alone without visiting the rows. The history indexes replace the narrower
//! `(subject, effective_on)` ones, which are their prefix.

use crate::helpers::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, table, columns) of the covering indexes.
const COVERING: [(&str, &str, &[&str]); 4] = [
    (
        "ix_figures_contribution",
        "contribution",
        &["group_id", "contributed_on", "volunteer_id", "minutes"],
    ),
    (
        "ix_figures_membership",
        "membership",
        &["group_id", "joined_on", "left_on", "volunteer_id"],
    ),
    (
        "ix_figures_group_history",
        "group_status_change",
        &["group_id", "effective_on", "recorded_at", "status"],
    ),
    (
        "ix_figures_sponsorship_history",
        "sponsorship_status_change",
        &["sponsorship_id", "effective_on", "recorded_at", "status"],
    ),
];

/// The narrower history indexes the covering ones replace: (table, columns).
const REPLACED: [(&str, &[&str]); 2] = [
    ("group_status_change", &["group_id", "effective_on"]),
    (
        "sponsorship_status_change",
        &["sponsorship_id", "effective_on"],
    ),
];

fn drop_index(name: String, table: &'static str) -> IndexDropStatement {
    Index::drop().name(name).table(table).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in COVERING {
            let mut stmt = Index::create();
            stmt.name(name).table(table);
            for c in columns {
                stmt.col(*c);
            }
            manager.create_index(stmt).await?;
        }
        for (table, columns) in REPLACED {
            let name = format!("ix_{table}_{}", columns.join("_"));
            manager.drop_index(drop_index(name, table)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in REPLACED {
            manager.create_index(index(table, columns)).await?;
        }
        for (name, table, _) in COVERING {
            manager
                .drop_index(drop_index(name.to_owned(), table))
                .await?;
        }
        Ok(())
    }
}
