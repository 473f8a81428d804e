//! Start-up and health: a wrong database URL ends with one clear line, readiness follows the
//! database (Redis is reported, not required), and the service serves while Redis is down and
//! finds it again when it is back (on a `redis-server` the test starts and stops itself).

use crate::helpers::{DEMO_TOWNS, spawn_app, spawn_app_with};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
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

/// A `redis-server` of the test's own on `port`, killed when dropped.
/// A Redis server of the test's own, on `port`, that the test may stop and start again.
pub(crate) struct OwnRedis(std::process::Child);

impl OwnRedis {
    pub(crate) fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("redis-server on PATH");
        Self(child)
    }

    pub(crate) fn stop(mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Polls `/readyz` until Redis is reported as `want` (at most 10 s); returns the last answer.
async fn readiness_with_redis(app: &crate::helpers::TestApp, want: &str) -> (u16, Value) {
    let started = std::time::Instant::now();
    loop {
        let (status, body) = app.get_json("/readyz").await;
        if body["redis"] == want || started.elapsed() > std::time::Duration::from_secs(10) {
            return (status, body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn serves_while_redis_is_down_and_reports_it() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redis = OwnRedis::start(port);
    let app = spawn_app_with(|c| {
        c.redis_url = Some(format!("redis://127.0.0.1:{port}/"));
        c.debug_stats = true;
    })
    .await;
    let cities = "{ cities(first: 1) { totalCount } }";
    // The statements of a second answer in a row (0 when it came from the cache).
    let second = || async {
        app.graphql(cities, json!({})).await;
        let resp = app.graphql(cities, json!({})).await;
        assert_eq!(resp["data"]["cities"]["totalCount"], DEMO_TOWNS, "{resp:#}");
        resp["extensions"]["sqlStatements"].as_u64().unwrap()
    };
    let (status, body) = readiness_with_redis(&app, "up").await;
    assert_eq!((status, &body["redis"]), (200, &json!("up")), "{body}");
    assert_eq!(second().await, 0, "cached while Redis is up");

    // Redis goes away in the middle of a load of reads: none of them fails.
    let load = async {
        let mut failed = Vec::new();
        for i in 0..20 {
            let q = format!("{{ cities(first: {}) {{ totalCount }} }}", 1 + i % 4);
            let resp = app.graphql(&q, json!({})).await;
            if resp.get("errors").is_some() {
                failed.push(resp);
            }
        }
        failed
    };
    let stop = async {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        redis.stop();
    };
    let (failed, ()) = tokio::join!(load, stop);
    assert!(failed.is_empty(), "{failed:#?}");

    // Down: the service still serves from the database, stays ready and says Redis is down.
    let (status, body) = readiness_with_redis(&app, "down").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redis"], "down", "{body}");
    assert_eq!(body["database"], "up");
    assert!(second().await > 0, "nothing is cached while Redis is down");

    // It comes back on the same address: the service reconnects by itself, and hits resume.
    let _redis = OwnRedis::start(port);
    let (status, body) = readiness_with_redis(&app, "up").await;
    assert_eq!((status, &body["redis"]), (200, &json!("up")), "{body}");
    assert_eq!(second().await, 0, "cached again");
}
