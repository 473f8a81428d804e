//! Migrations on SQLite and PostgreSQL: `down` reverses `up` completely, and `up` again works.

use crate::helpers::{DEMO_TOWNS, drop_pg_schema, fresh_database};
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
    "group_status_change",
    "sponsorship_status_change",
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
    assert_eq!(counts["city"], DEMO_TOWNS as usize);
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
    assert_eq!(n.try_get::<i64>("", "n").expect("n"), i64::from(DEMO_TOWNS));
    if let Some(pg) = _pg {
        drop_pg_schema(pg.0, pg.1);
    }
}

/// Audit entries written before roles were spelt as tokens are renamed on the way up, and
/// back on the way down.
#[tokio::test]
async fn audit_roles_become_tokens() {
    use haven_migration::{Migrator, MigratorTrait};
    let (config, _dir, pg) = fresh_database().await;
    let conn = db::connect(&config).await.expect("connect");
    let all = Migrator::migrations();
    let before = all
        .iter()
        .position(|m| m.name().ends_with("_audit_role_tokens"))
        .expect("the rename") as u32;
    let after = all.len() as u32 - before;
    Migrator::up(&conn, Some(before))
        .await
        .expect("up to the rename");
    let insert = |role: &str| {
        format!(
            "INSERT INTO audit_log (id, occurred_at, actor_id, actor_role, operation, entity_type, entity_id) \
             VALUES ('{}', '2026-01-01T00:00:00Z', NULL, '{role}', 'updateCity', 'City', '{}')",
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4()
        )
    };
    for role in ["CityCoordinator", "Admin", "PARTNER"] {
        conn.execute_unprepared(&insert(role))
            .await
            .expect("insert");
    }
    let roles = || async {
        let rows = conn
            .query_all_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                "SELECT actor_role FROM audit_log ORDER BY actor_role",
            ))
            .await
            .expect("select");
        rows.iter()
            .map(|r| r.try_get::<String>("", "actor_role").expect("role"))
            .collect::<Vec<_>>()
    };
    Migrator::up(&conn, None).await.expect("up");
    assert_eq!(roles().await, ["ADMIN", "CITY_COORDINATOR", "PARTNER"]);
    Migrator::down(&conn, Some(after))
        .await
        .expect("down past the rename");
    assert_eq!(roles().await, ["Admin", "CityCoordinator", "PARTNER"]);
    conn.close().await.ok();
    if let Some(pg) = pg {
        drop_pg_schema(pg.0, pg.1);
    }
}

/// Rows that exist before the status history get their current status as history: one entry
/// each, since the day their record best knows.
#[tokio::test]
async fn existing_rows_get_their_status_as_history() {
    use haven_entities::{
        group_status_change, sponsor_group, sponsorship, sponsorship_status_change,
    };
    use haven_migration::{Migrator, MigratorTrait};
    use sea_orm::EntityTrait;
    let (config, _dir, pg) = fresh_database().await;
    db::migrate(&config, MigrationStep::Up).await.expect("up");
    let conn = db::connect(&config).await.expect("connect");
    haven::seed::demo::seed(&conn).await.expect("seed");
    // Back to before the history, then up again: the rows seeded are now "existing".
    // The history is the twelfth migration: revert it and every one after it.
    let since_history = u32::try_from(Migrator::migrations().len() - 11).expect("a count");
    Migrator::down(&conn, Some(since_history))
        .await
        .expect("down to before the history");
    Migrator::up(&conn, None).await.expect("up");
    let groups = sponsor_group::Entity::find()
        .all(&conn)
        .await
        .expect("groups");
    let history = group_status_change::Entity::find()
        .all(&conn)
        .await
        .expect("history");
    assert_eq!(history.len(), groups.len());
    for g in &groups {
        let h = history
            .iter()
            .find(|h| h.group_id == g.id)
            .expect("an entry per group");
        assert_eq!(
            (h.status, h.effective_on, h.actor_role.as_str()),
            (g.status, g.formed_on, "SYSTEM")
        );
    }
    let sponsorships = sponsorship::Entity::find()
        .all(&conn)
        .await
        .expect("sponsorships");
    let history = sponsorship_status_change::Entity::find()
        .all(&conn)
        .await
        .expect("history");
    assert_eq!(history.len(), sponsorships.len());
    assert!(!sponsorships.is_empty());
    for s in &sponsorships {
        let h = history
            .iter()
            .find(|h| h.sponsorship_id == s.id)
            .expect("an entry per sponsorship");
        let since = s.ended_on.or(s.started_on).unwrap_or(s.proposed_on);
        assert_eq!((h.status, h.effective_on), (s.status, since));
    }
    conn.close().await.ok();
    if let Some(pg) = pg {
        drop_pg_schema(pg.0, pg.1);
    }
}

/// `haven migrate up` in a process of its own against the database of `config`.
fn migrate_process(config: &haven::Config) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.env_clear()
        .args(["migrate", "up"])
        .env("DATABASE_URL", &config.database_url)
        .env("HAVEN_LOG", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    if let Some(schema) = &config.database_schema {
        cmd.env("HAVEN_DATABASE_SCHEMA", schema);
    }
    cmd.spawn().expect("start haven migrate")
}

/// Replicas that start together are separate processes: three of them migrate one empty
/// database at once, and each finds the schema complete. On PostgreSQL the test holds the
/// migration lock until all three wait for it, so the race is certain; on SQLite they race
/// for the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_migrate_once() {
    let (config, _dir, pg) = fresh_database().await;
    let held = match &pg {
        Some((base, _)) => {
            let conn = sea_orm::Database::connect(base).await.expect("connect");
            let key = haven::db::migration_lock_key(&config);
            let row = conn
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT pg_advisory_lock({key}), pg_backend_pid() AS pid"),
                ))
                .await
                .expect("lock")
                .expect("row");
            Some((conn, row.try_get::<i32>("", "pid").expect("pid")))
        }
        None => None,
    };
    let children: Vec<_> = (0..3).map(|_| migrate_process(&config)).collect();
    if let Some((conn, pid)) = held {
        let waiting = format!(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE {pid} = ANY(pg_blocking_pids(pid))"
        );
        let started = std::time::Instant::now();
        loop {
            let n = conn
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    waiting.clone(),
                ))
                .await
                .expect("count")
                .expect("row")
                .try_get::<i64>("", "n")
                .expect("n");
            if n == 3 {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the three migrations never all waited for the lock ({n} did)"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // Closing the session lets them go, all at once.
        conn.close().await.ok();
    }
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .expect("join")
            .expect("wait");
        assert!(
            out.status.success(),
            "a replica failed to migrate: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(tables_present(&config).await, TABLES);
    let conn = db::connect(&config).await.expect("connect");
    let applied = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(
        applied as usize,
        haven::db::migration_status(&config)
            .await
            .expect("status")
            .len()
    );
    conn.close().await.ok();
    if let Some(pg) = pg {
        drop_pg_schema(pg.0, pg.1);
    }
}

/// Every table the migrations make is a family of the cache's data generations (or the audit
/// log, which no answer reads), so that no write can leave a cached answer stale.
#[tokio::test]
async fn every_table_has_a_cache_family() {
    let (config, _dir, _pg) = fresh_database().await;
    db::migrate(&config, MigrationStep::Up).await.expect("up");
    let conn = db::connect(&config).await.expect("connect");
    let sql = match conn.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema()"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let rows = conn
        .query_all_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            sql,
        ))
        .await
        .expect("tables");
    let mut tables: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").expect("name"))
        .filter(|t| {
            t != "seaql_migrations" && !haven::cache::generations::UNWATCHED.contains(&t.as_str())
        })
        .collect();
    tables.sort();
    let mut families: Vec<String> = haven::cache::generations::FAMILIES
        .iter()
        .map(|f| (*f).to_owned())
        .collect();
    families.sort();
    assert_eq!(tables, families);
    conn.close().await.ok();
}
