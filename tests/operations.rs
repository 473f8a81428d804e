//! Operating haven: time limits, database faults and recovery, metrics of requests and pools.

use crate::helpers::{DEMO_TOWNS, SECRET, TestApp, code, spawn_app, spawn_app_with, token};
use crate::lifecycle::post_json;
use haven::auth::Role;
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, TransactionTrait,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A transaction on a separate connection that makes writes to `city` wait until it is
/// released (on PostgreSQL, reads as well: it holds the table's exclusive lock).
pub struct CityLock(DatabaseConnection, DatabaseTransaction);

impl CityLock {
    /// Rolls back and closes, so that nothing waits on the lock afterwards.
    pub async fn release(self) {
        self.1.rollback().await.unwrap();
        self.0.close().await.unwrap();
    }
}

pub async fn lock_cities(config: &haven::Config) -> CityLock {
    let conn = Database::connect(&config.database_url).await.unwrap();
    let tx = conn.begin().await.unwrap();
    match config.database_schema.as_deref() {
        Some(schema) => tx
            .execute_unprepared(&format!(
                "LOCK TABLE \"{schema}\".city IN ACCESS EXCLUSIVE MODE"
            ))
            .await
            .unwrap(),
        None => tx
            .execute_unprepared("UPDATE city SET name = name")
            .await
            .unwrap(),
    };
    CityLock(conn, tx)
}

pub const CREATE_CITY: &str = r#"mutation($network: ID!) { createCity(networkId: $network, input: { name: "Wachtdorp", cbsCode: "GM9876", province: UTRECHT, kind: VILLAGE }) { id } }"#;

pub async fn network_id(app: &TestApp) -> Value {
    app.data("{ networks(first: 1) { nodes { id } } }", json!({}))
        .await["networks"]["nodes"][0]["id"]
        .clone()
}

#[tokio::test]
async fn a_request_past_its_time_limit_is_stopped_and_changes_nothing() {
    let app = spawn_app_with(|c| {
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        c.request_timeout_ms = 500;
    })
    .await;
    let network = network_id(&app).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let lock = lock_cities(&app.config).await;
    let started = Instant::now();
    let resp = app
        .graphql_as(Some(&admin), CREATE_CITY, json!({ "network": network }))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(code(&resp), "UNAVAILABLE", "{resp}");
    assert!(
        resp["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("500 ms"),
        "{resp}"
    );
    assert!(
        elapsed >= Duration::from_millis(450) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    lock.release().await;
    // Nothing was written, and the server serves.
    let d = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["cities"]["totalCount"], DEMO_TOWNS);
}

#[tokio::test]
async fn postgres_statements_are_cut_at_the_statement_timeout() {
    if !crate::helpers::has(true, false) {
        return;
    }
    let app = spawn_app_with(|c| c.db_statement_timeout_ms = 300).await;
    let lock = lock_cities(&app.config).await;
    let started = Instant::now();
    let resp = app
        .graphql("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&resp), "UNAVAILABLE", "{resp}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    lock.release().await;
    let d = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["cities"]["totalCount"], DEMO_TOWNS);
}

/// POSTs a JSON body to `url` and returns the JSON answer (servers the test started itself,
/// outside [`TestApp`]).
#[tokio::test]
async fn terminated_postgres_backends_answer_unavailable_and_recover() {
    if !crate::helpers::has(true, false) {
        return;
    }
    let name = format!("haven-fault-{}", uuid::Uuid::new_v4().simple());
    let app = spawn_app_with(|c| c.db_application_name = name.clone()).await;
    let admin = Database::connect(&app.config.database_url).await.unwrap();
    let q = "{ cities(first: 10) { nodes { name sponsorGroups(first: 5) { totalCount nodes { name memberCount } } } } }";
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let stop = stop.clone();
        let name = name.clone();
        tokio::spawn(async move {
            let mut terminated = 0u64;
            let sql = format!(
                "SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE application_name = '{name}') k WHERE t"
            );
            for _ in 0..400 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let row = admin
                    .query_one_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        sql.clone(),
                    ))
                    .await
                    .unwrap();
                terminated += row
                    .and_then(|r| r.try_get::<i64>("", "n").ok())
                    .unwrap_or(0) as u64;
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            terminated
        })
    };
    let mut clients = Vec::new();
    for _ in 0..6 {
        let (url, q) = (app.url("/graphql"), q.to_owned());
        clients.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut codes = Vec::new();
            for _ in 0..25 {
                let resp = post_json(&client, &url, &json!({ "query": q })).await;
                codes.push(code(&resp).to_owned());
            }
            codes
        }));
    }
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for c in clients {
        for code in c.await.unwrap() {
            *seen.entry(code).or_default() += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let terminated = killer.await.unwrap();
    assert!(terminated > 0, "the fault really happened");
    assert!(
        seen.keys().all(|c| c == "ok" || c == "UNAVAILABLE"),
        "{seen:?}"
    );
    // Recovered without a restart: the pool replaces the dead connections.
    let d = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["cities"]["totalCount"], DEMO_TOWNS);
    eprintln!("terminated {terminated} backends; answers: {seen:?}");
}

#[tokio::test]
async fn metrics_hold_request_error_statement_and_pool_figures() {
    let app = spawn_app().await;
    let op = format!("MetricsProbe{}", uuid::Uuid::new_v4().simple());
    for _ in 0..3 {
        app.data(
            &format!("query {op} {{ cities(first: 2) {{ nodes {{ name }} }} }}"),
            json!({}),
        )
        .await;
    }
    app.graphql(&format!("query {op} {{ nosuchfield }}"), json!({}))
        .await;
    app.graphql("{ cities {", json!({})).await;
    let body = reqwest::get(app.url("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |prefix: &str, parts: &[&str]| -> Option<f64> {
        body.lines()
            .find(|l| l.starts_with(prefix) && parts.iter().all(|p| l.contains(p)))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    };
    let this_op = format!("operation=\"{op}\"");
    assert_eq!(
        value(
            "haven_graphql_request_duration_seconds_count",
            &[&this_op, "outcome=\"ok\""]
        ),
        Some(3.0),
        "{body}"
    );
    assert_eq!(
        value(
            "haven_graphql_request_duration_seconds_count",
            &[&this_op, "outcome=\"error\""]
        ),
        Some(1.0)
    );
    assert!(
        value(
            "haven_graphql_request_duration_seconds_bucket",
            &[&this_op, "le=\"+Inf\""]
        )
        .is_some()
    );
    for (name, parts) in [
        (
            "haven_graphql_errors_total",
            vec!["code=\"GRAPHQL_PARSE_FAILED\""],
        ),
        (
            "haven_graphql_errors_total",
            vec!["code=\"GRAPHQL_VALIDATION_FAILED\""],
        ),
        (
            "haven_sql_statement_duration_seconds_bucket",
            vec!["outcome=\"ok\""],
        ),
        ("haven_sql_statements_total", vec![]),
        ("haven_graphql_requests_total", vec![]),
        ("haven_db_pool_connections", vec!["state=\"idle\""]),
        ("haven_db_pool_connections", vec!["state=\"in_use\""]),
        ("haven_db_pool_max_connections", vec![]),
        ("haven_build_info", vec!["version=\""]),
    ] {
        let v = value(name, &parts).unwrap_or_else(|| panic!("{name} {parts:?} in {body}"));
        assert!(v >= 0.0);
    }
    assert!(value("haven_sql_statements_total", &[]).unwrap() >= 3.0);
}

/// The configuration tables of docs/operations.md say what `haven --help` does: every setting
/// the command line reads from the environment has a row, and every `HAVEN_` variable in a row
/// is one the command line reads.
#[test]
fn the_configuration_tables_match_the_command_line() {
    use clap::CommandFactory;
    let command = haven::config::Cli::command();
    let read: std::collections::BTreeSet<String> = command
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/operations.md"
    ))
    .expect("docs/operations.md");
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `--")).collect();
    let missing: Vec<&String> = read
        .iter()
        .filter(|env| !rows.iter().any(|r| r.contains(&format!("`{env}`"))))
        .collect();
    assert!(
        missing.is_empty(),
        "settings without a row in docs/operations.md: {missing:?}"
    );
    let unknown: Vec<String> = rows
        .iter()
        .flat_map(|r| r.split('`'))
        .filter(|w| {
            w.starts_with("HAVEN_")
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .filter(|w| !read.contains(*w))
        .map(str::to_owned)
        .collect();
    assert!(
        unknown.is_empty(),
        "rows for settings the command line does not read: {unknown:?}"
    );
}
