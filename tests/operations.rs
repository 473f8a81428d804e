//! Operating haven: time limits, shutdown with stuck requests, database faults, metrics.

use crate::helpers::{
    SECRET, TestApp, code, fresh_database, on_postgres, spawn_app, spawn_app_with, token,
};
use haven::auth::Role;
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, TransactionTrait,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A transaction on a separate connection that makes writes to `city` wait until it is
/// released (on PostgreSQL, reads as well: it holds the table's exclusive lock).
struct CityLock(DatabaseConnection, DatabaseTransaction);

impl CityLock {
    /// Rolls back and closes, so that nothing waits on the lock afterwards.
    async fn release(self) {
        self.1.rollback().await.unwrap();
        self.0.close().await.unwrap();
    }
}

async fn lock_cities(config: &haven::Config) -> CityLock {
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

const CREATE_CITY: &str = r#"mutation($network: ID!) { createCity(networkId: $network, input: { name: "Wachtdorp", cbsCode: "GM9876", province: UTRECHT, kind: VILLAGE }) { id } }"#;

async fn network_id(app: &TestApp) -> Value {
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
    assert_eq!(d["cities"]["totalCount"], 18);
}

#[tokio::test]
async fn postgres_statements_are_cut_at_the_statement_timeout() {
    if !on_postgres() {
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
    assert_eq!(d["cities"]["totalCount"], 18);
}

/// POSTs a JSON body to `url` and returns the JSON answer (servers the test started itself,
/// outside [`TestApp`]).
async fn post_json(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    let resp = client.post(url).json(body).send().await.expect("POST");
    resp.json().await.expect("JSON answer")
}

/// A child process that is killed if the test fails before it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real `haven` binary on `config`'s database (a process of its own: its metrics
/// are its own) and waits until it is ready; returns it and its base URL.
async fn start_binary(
    config: &haven::Config,
    pg: &Option<(String, String)>,
    env: &[(&str, &str)],
) -> (KillOnDrop, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.env_clear()
        .env("DATABASE_URL", &config.database_url)
        .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
        .env("HAVEN_JWT_SECRET", SECRET)
        .env("HAVEN_LOG", "off")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some((_, schema)) = pg {
        cmd.env("HAVEN_DATABASE_SCHEMA", schema);
    }
    let child = KillOnDrop(cmd.spawn().unwrap());
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let up = async {
        loop {
            if client
                .get(format!("{base}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(90), up)
        .await
        .expect("haven came up");
    (child, base)
}

#[tokio::test]
async fn sigterm_ends_the_process_within_the_grace_period_despite_a_stuck_request() {
    let (config, _dir, pg) = fresh_database().await;
    let (mut child, base) = start_binary(&config, &pg, &[("HAVEN_SHUTDOWN_TIMEOUT_S", "1")]).await;
    let client = reqwest::Client::new();
    // The same database, seen from the test: hold the lock the request will wait for.
    let mut probe = crate::helpers::spawn_app_with(|c| {
        c.database_url = config.database_url.clone();
        c.database_schema = config.database_schema.clone();
        c.seed_demo = false;
    })
    .await;
    let network = network_id(&probe).await;
    let lock = lock_cities(&probe.config).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let stuck = tokio::spawn(
        client
            .post(format!("{base}/graphql"))
            .bearer_auth(admin)
            .json(&json!({ "query": CREATE_CITY, "variables": { "network": network } }))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!stuck.is_finished(), "the request waits for the lock");
    let signalled = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        if signalled.elapsed() > Duration::from_secs(10) {
            panic!("haven still running 10 s after SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(1 + 3), "exited after {took:?}");
    assert!(status.success(), "{status:?}");
    lock.release().await;
    let _ = stuck.await;
    // The test's own app cleans the schema up when dropped.
    probe.adopt_pg_schema(pg);
}

#[tokio::test]
async fn terminated_postgres_backends_answer_unavailable_and_recover() {
    if !on_postgres() {
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
    assert_eq!(d["cities"]["totalCount"], 18);
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

#[tokio::test]
async fn metrics_count_exactly_the_statements_and_requests_served() {
    // A process of its own: the counters of the test process move with every other test.
    let (config, _dir, pg) = fresh_database().await;
    let (_child, base) = start_binary(&config, &pg, &[("HAVEN_DEBUG_STATS", "true")]).await;
    let client = reqwest::Client::new();
    let scrape = || async {
        let body = client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let read = |name: &str| -> u64 {
            body.lines()
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
                .unwrap_or(0)
        };
        (
            read("haven_sql_statements_total "),
            read("haven_graphql_requests_total "),
        )
    };
    let before = scrape().await;
    let mut statements = 0;
    for q in [
        "{ cities(first: 5) { totalCount nodes { network { slug } } } }",
        "{ networks { nodes { cities(first: 3) { nodes { sponsorGroups(first: 2) { totalCount } } } } } }",
        "{ sponsorGroups(first: 4) { nodes { name memberCount city { name } } } }",
    ] {
        let resp = post_json(&client, &format!("{base}/graphql"), &json!({ "query": q })).await;
        assert!(resp.get("errors").is_none(), "{resp}");
        statements += resp["extensions"]["sqlStatements"].as_u64().unwrap();
    }
    let after = scrape().await;
    assert!(statements >= 7, "{statements}");
    assert_eq!(after.0 - before.0, statements, "statements");
    assert_eq!(after.1 - before.1, 3, "requests");
}

#[tokio::test]
async fn shutdown_waits_for_a_request_in_flight_and_then_stops_serving() {
    let (mut config, _dir, _pg) = fresh_database().await;
    config.jwt_secret = Some(haven::config::Secret(SECRET.into()));
    let app = haven::App::build(config.clone()).await.expect("build");
    let url = format!("http://{}/graphql", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let networks = json!({ "query": "{ networks(first: 1) { nodes { id } } }" });
    let network =
        post_json(&client, &url, &networks).await["data"]["networks"]["nodes"][0]["id"].clone();
    // Held open by a lock on the table it writes to, until the test lets it go.
    let lock = lock_cities(&config).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let in_flight = tokio::spawn(
        client
            .post(&url)
            .bearer_auth(admin)
            .json(&json!({ "query": CREATE_CITY, "variables": { "network": network } }))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!in_flight.is_finished(), "the request waits for the lock");
    stop.send(()).unwrap();
    // Longer than the 2 s that closing the pool may take, so that a server that stopped
    // without draining would have finished by now.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        !server.is_finished(),
        "the server drains instead of stopping"
    );
    assert!(!in_flight.is_finished());
    lock.release().await;
    let resp: Value = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered")
        .json()
        .await
        .unwrap();
    assert!(resp["data"]["createCity"]["id"].is_string(), "{resp}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("stops once drained")
        .expect("join")
        .expect("stopped cleanly");
    assert!(
        client
            .post(&url)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .is_err(),
        "no longer serving"
    );
}
