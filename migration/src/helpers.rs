//! Building blocks shared by the migrations: the columns every table has, foreign keys and
//! indexes with predictable names.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, pk_uuid, timestamp_with_time_zone};

/// Length of every enum column; values are short SCREAMING_SNAKE_CASE names.
pub const ENUM_LEN: u32 = 32;

/// A `CREATE TABLE` with the columns every table has: a UUID primary key, the audit timestamps
/// (with time zone, set from Rust) and the `version` used for optimistic concurrency.
pub fn table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(pk_uuid("id"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(integer("version").default(1))
        .to_owned()
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

/// An index named `ix_<table>_<columns>`.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for c in columns {
        stmt.col(*c);
    }
    stmt.to_owned()
}

/// A unique index named `ux_<table>_<columns>`.
pub fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = index(table, columns);
    stmt.name(format!("ux_{table}_{}", columns.join("_")))
        .unique();
    stmt
}

/// Creates the tables with their indexes, in order.
pub async fn create(
    manager: &SchemaManager<'_>,
    tables: Vec<TableCreateStatement>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for t in tables {
        manager.create_table(t).await?;
    }
    for i in indexes {
        manager.create_index(i).await?;
    }
    Ok(())
}

/// Drops the tables (and so their indexes), in the order given.
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for t in tables {
        manager
            .drop_table(Table::drop().table(*t).to_owned())
            .await?;
    }
    Ok(())
}
