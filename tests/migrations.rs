//! Migrations on SQLite and PostgreSQL: `down` reverses `up` completely, and `up` again works.

use crate::helpers::fresh_database;
use haven::db::{self, MigrationStep};
use haven_migration::SchemaManager;
use sea_orm::ConnectionTrait;

const TABLES: &[&str] = &[
    "sponsorship_network",
    "city",
    "sponsor_group",
    "volunteer",
    "membership",
    "newcomer_household",
    "sponsorship",
    "milestone",
    "corporate_sponsor",
    "sponsor_commitment",
    "contribution",
    "partner_organisation",
    "partner_api_key",
    "audit_log",
];

async fn tables_present(config: &haven::Config) -> Vec<&'static str> {
    let conn = db::connect(config).await.expect("connect");
    let manager = SchemaManager::new(&conn);
    let mut present = Vec::new();
    for t in TABLES {
        if manager.has_table(*t).await.expect("has_table") {
            present.push(*t);
        }
    }
    conn.close().await.ok();
    present
}

#[tokio::test]
async fn migrate_down_then_up_on_this_backend() {
    let (config, _dir, _pg) = fresh_database().await;
    db::migrate(&config, MigrationStep::Up).await.expect("up");
    assert_eq!(tables_present(&config).await, TABLES);
    assert!(
        db::migration_status(&config)
            .await
            .expect("status")
            .iter()
            .all(|(_, applied)| *applied)
    );

    db::migrate(&config, MigrationStep::Down)
        .await
        .expect("down");
    assert!(
        tables_present(&config).await.is_empty(),
        "down drops every table"
    );
    assert!(
        db::migration_status(&config)
            .await
            .expect("status")
            .iter()
            .all(|(_, applied)| !applied)
    );

    db::migrate(&config, MigrationStep::Up)
        .await
        .expect("up again");
    let conn = db::connect(&config).await.expect("connect");
    let counts = haven::seed::demo::seed(&conn).await.expect("seed after up");
    assert_eq!(counts["city"], 18);
    // Up is idempotent: nothing pending, nothing re-applied.
    db::migrate(&config, MigrationStep::Up)
        .await
        .expect("up is idempotent");
    let n = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM city",
        ))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(n.try_get::<i64>("", "n").expect("n"), 18);
    if let Some(pg) = _pg {
        drop_schema(&pg.0, &pg.1).await;
    }
}

#[tokio::test]
async fn replicas_starting_together_migrate_once() {
    let (config, _dir, pg) = fresh_database().await;
    let (a, b, c) = tokio::join!(
        db::migrate(&config, MigrationStep::Up),
        db::migrate(&config, MigrationStep::Up),
        db::migrate(&config, MigrationStep::Up)
    );
    a.expect("first");
    b.expect("second");
    c.expect("third");
    assert_eq!(tables_present(&config).await, TABLES);
    if let Some(pg) = pg {
        drop_schema(&pg.0, &pg.1).await;
    }
}

async fn drop_schema(base: &str, schema: &str) {
    let admin = sea_orm::Database::connect(base).await.expect("connect");
    admin
        .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await
        .expect("drop");
    admin.close().await.ok();
}
