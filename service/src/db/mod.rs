//! Database access: connecting (SQLite or PostgreSQL), migrating under a lock, counting
//! statements, and one data-access module per domain. Data functions take
//! `&impl ConnectionTrait` so they run the same inside and outside a transaction.

pub mod audit;
pub mod care;
pub mod care_writes;
pub mod cities;
pub mod contribution_writes;
pub mod export;
pub mod figures;
pub mod group_writes;
pub mod groups;
pub mod history;
pub mod keys;
pub mod lists;
pub mod networks;
pub mod org_writes;
pub mod page;
pub mod partner_log;
pub mod partners;
pub mod people_writes;
pub mod per_parent;
pub mod sponsors;
pub mod stats;
pub mod tables;
pub mod writes;

use crate::cache::generations::Local;
use crate::config::Config;
use haven_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};
use std::sync::Arc;
use std::time::Duration;

/// Opens the connection pool described by the configuration.
///
/// SQLite files get WAL and a busy timeout so that readers never block the writer and
/// concurrent writers wait instead of failing. PostgreSQL connections get the configured
/// `statement_timeout` and no JIT. Every statement is counted (see [`stats`]).
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    connect_with(config, Arc::default()).await
}

/// [`connect`], with the data generations its writes move (the app's cache reads them).
pub async fn connect_with(config: &Config, local: Arc<Local>) -> Result<DatabaseConnection, DbErr> {
    let mut opts = connect_options(config, config.db_max_connections);
    let timeout_ms = config.db_statement_timeout_ms;
    let app_name = config.db_application_name.clone();
    // Sent as startup parameters, so every pooled connection has them from the start: no
    // statement can hold a connection (and its locks) longer than the timeout, and
    // `pg_stat_activity` shows which service a connection belongs to. JIT compilation is off:
    // the figures' statements cross its cost threshold yet run for well under a second, and
    // compiling them took longer than running them (BENCHMARKS.md, "Analytics").
    opts.map_sqlx_postgres_opts(move |o| {
        let o = o.application_name(&app_name).options([("jit", "off")]);
        if timeout_ms > 0 {
            o.options([("statement_timeout", format!("{timeout_ms}ms"))])
        } else {
            o
        }
    });
    let mut db = Database::connect(opts).await?;
    stats::install(&mut db, local);
    Ok(db)
}

fn connect_options(config: &Config, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(config.database_url.clone());
    opts.max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_millis(config.db_acquire_timeout_ms))
        .connect_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    if let Some(schema) = config.database_schema.as_deref().filter(|s| !s.is_empty()) {
        opts.set_schema_search_path(schema.to_owned());
    }
    opts.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
    });
    opts
}

/// What `migrate` should do.
#[derive(Debug, Clone, Copy)]
pub enum MigrationStep {
    /// Apply every pending migration.
    Up,
    /// Revert every applied migration.
    Down,
}

/// Runs migrations on a dedicated single connection.
///
/// Processes that start together (replicas, or `haven migrate up` beside a starting server)
/// migrate one after the other instead of racing: on PostgreSQL the connection first takes a
/// session advisory lock (one per schema); on SQLite, which has none, the process locks a
/// file beside the database (migrations there are not one transaction, so a second process
/// would find half the tables made and fail).
pub async fn migrate(config: &Config, step: MigrationStep) -> Result<(), DbErr> {
    // Within one process (several apps in tests) a process-wide mutex does the same job.
    static IN_PROCESS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _guard = IN_PROCESS.lock().await;
    let db = Database::connect(connect_options(config, 1)).await?;
    let _file_lock = match sqlite_file(&config.database_url) {
        Some(path) => Some(lock_beside(path).await?),
        None => None,
    };
    let lock = migration_lock_key(config);
    let pg = db.get_database_backend() == DbBackend::Postgres;
    if pg {
        if let Some(schema) = config.database_schema.as_deref().filter(|s| !s.is_empty()) {
            db.execute_unprepared(&format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "\"\"")
            ))
            .await?;
        }
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_lock($1)",
            [lock.into()],
        ))
        .await?;
    }
    let result = match step {
        MigrationStep::Up => Migrator::up(&db, None).await,
        MigrationStep::Down => Migrator::down(&db, None).await,
    };
    if pg {
        // Closing the connection would release the lock too; unlocking keeps it explicit.
        let _ = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_unlock($1)",
                [lock.into()],
            ))
            .await;
    }
    let _ = db.close().await;
    result
}

/// Prints each migration and whether it is applied.
pub async fn migration_status(config: &Config) -> Result<Vec<(String, bool)>, DbErr> {
    let db = Database::connect(connect_options(config, 1)).await?;
    let applied: Vec<String> = match haven_migration::Migrator::get_applied_migrations(&db).await {
        Ok(m) => m.iter().map(|m| m.name().to_owned()).collect(),
        Err(_) => Vec::new(),
    };
    let all = Migrator::migrations()
        .iter()
        .map(|m| {
            let name = m.name().to_owned();
            let done = applied.contains(&name);
            (name, done)
        })
        .collect();
    let _ = db.close().await;
    Ok(all)
}

/// The file of a SQLite URL (`sqlite://path?…` or `sqlite:path`), if it names one.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.into())
}

/// Waits for the exclusive lock of `<database>.migrate-lock`, held until the file is dropped.
async fn lock_beside(database: std::path::PathBuf) -> Result<std::fs::File, DbErr> {
    let mut name = database.into_os_string();
    name.push(".migrate-lock");
    let path = std::path::PathBuf::from(name);
    let failed = |e: std::io::Error| DbErr::Custom(format!("cannot lock {}: {e}", path.display()));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(failed)?;
    // `lock` blocks the thread until the other process is done.
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| DbErr::Custom(format!("migration lock: {e}")))?
        .map_err(failed)
}

/// The PostgreSQL advisory-lock key that migrations of the schema of `config` hold: stable
/// across builds and processes, so that replicas starting together take the same lock.
pub fn migration_lock_key(config: &Config) -> i64 {
    // FNV-1a: stable across builds and processes, unlike `DefaultHasher`.
    let name = format!(
        "haven-migrate:{}",
        config.database_schema.as_deref().unwrap_or("public")
    );
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// Whether the database answers and the schema is in place (for `/readyz`).
pub async fn check_ready(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT 1 FROM seaql_migrations LIMIT 1",
    ))
    .await?;
    Ok(())
}
