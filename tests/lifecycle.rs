//! haven as a process: it drains requests in flight on SIGTERM and within its grace period,
//! and its metrics count exactly what it served.

use crate::helpers::{SECRET, fresh_database, token};
use crate::operations::{CREATE_CITY, lock_cities, network_id};
use haven::auth::Role;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub async fn post_json(client: &reqwest::Client, url: &str, body: &Value) -> Value {
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
