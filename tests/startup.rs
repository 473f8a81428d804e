//! Start-up and health: a wrong database URL ends with one clear line, readiness follows the
//! database (Redis is reported, not required), and the service serves while Redis is down.

use crate::helpers::{spawn_app, spawn_app_with};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::process::Command;

fn run_haven(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("HAVEN_LOG", "off")
        .output()
        .expect("run haven")
}

#[test]
fn a_wrong_database_url_ends_with_one_clear_line() {
    for url in [
        "postgres://nobody@127.0.0.1:1/haven",
        "mysqlish://what",
        "sqlite:///nonexistent-dir/x/haven.db",
    ] {
        let out = run_haven(&["--database-url", url, "--listen", "127.0.0.1:0"]);
        assert!(!out.status.success(), "{url}: must fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<_> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{url}: one line, got {stderr}");
        assert!(lines[0].starts_with("haven: error: "), "{url}: {stderr}");
        assert!(!stderr.contains("panicked"), "{url}: {stderr}");
    }
}

#[test]
fn export_schema_prints_the_committed_sdl() {
    let out = run_haven(&["export-schema"]);
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql");
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["database"], "up");
    let expected_redis = if app.config.redis_url.is_some() {
        "up"
    } else {
        "not configured"
    };
    assert_eq!(body["redis"], expected_redis);
}

#[tokio::test]
async fn readiness_turns_unready_when_the_database_is_gone() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/readyz").await.0, 200);
    // The database the app serves disappears: its schema on PostgreSQL, its tables on SQLite.
    let db = app.state.db();
    if let Some(schema) = app.pg_schema() {
        db.execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .expect("drop schema");
    } else {
        for t in ["seaql_migrations"] {
            db.execute_unprepared(&format!("DROP TABLE {t}"))
                .await
                .expect("drop table");
        }
    }
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["database"], "down");
    assert_eq!(body["status"], "unready");
    // Still alive, though: liveness is about the process.
    assert_eq!(app.get_json("/healthz").await.0, 200);
}

#[tokio::test]
async fn serves_while_redis_is_down_and_reports_it() {
    // Port 1 on loopback: nothing listens there.
    let app = spawn_app_with(|c| c.redis_url = Some("redis://127.0.0.1:1/".into())).await;
    let d = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["cities"]["totalCount"], 18);
    // Redis is not needed to serve, so the service stays ready and says Redis is down.
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redis"], "down");
    assert_eq!(body["database"], "up");
}
