//! A cache that nothing outside a request makes stale: replicas share their entries, a Redis
//! that lost its data (restart, failover to a stale copy) starts a new epoch instead of
//! matching old entries, and a write that committed moves the generations whatever happens
//! to its request afterwards.

use crate::cache::{read, rename, some_group};
use crate::helpers::{SECRET, TestApp, code, has, spawn_app_with, token};
use crate::partner_stats::{apikey, first_partner};
use crate::startup::OwnRedis;
use crate::write_races::AuditHold;
use haven::auth::Role;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A second replica of `one`: its database and its Redis (under the same prefix).
async fn replica_of(one: &TestApp, adjust: impl FnOnce(&mut haven::Config)) -> TestApp {
    let c = one.config.clone();
    spawn_app_with(move |n| {
        n.debug_stats = true;
        n.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        n.database_url = c.database_url;
        n.database_schema = c.database_schema;
        n.redis_url = c.redis_url;
        n.redis_prefix = c.redis_prefix;
        adjust(n);
    })
    .await
}

/// An app that counts statements and accepts test tokens, on Redis at `redis` (if any).
async fn replica(redis: Option<String>, adjust: impl FnOnce(&mut haven::Config)) -> TestApp {
    spawn_app_with(move |c| {
        c.debug_stats = true;
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        if redis.is_some() {
            c.redis_url = redis;
        } else {
            c.redis_url = None;
        }
        adjust(c);
    })
    .await
}

/// Two replicas on the test's Redis (the first adjusted by `adjust`).
async fn two_replicas(adjust: impl FnOnce(&mut haven::Config)) -> (TestApp, TestApp) {
    let a = replica(std::env::var("TEST_REDIS_URL").ok(), adjust).await;
    let b = replica_of(&a, |_| {}).await;
    (a, b)
}

/// A new partner key of the first partner, made through the command line (another process).
async fn new_key(app: &TestApp) -> String {
    let partner = first_partner(app).await.id.to_string();
    let (ok, key) = apikey(app, &["create", "--partner", &partner]).await;
    assert!(ok, "{key}");
    key.trim().to_owned()
}

/// A free port on the loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `app` reports Redis up again (at most 10 s).
async fn redis_up(app: &TestApp) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if app.get_json("/readyz").await.1["redis"] == "up" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("Redis did not come back");
}

/// What `key` gets when it asks for the public register: "ok" or the error's code.
async fn with_key(app: &TestApp, key: &str) -> String {
    let resp = app
        .graphql_with(
            &[("x-api-key", key)],
            "{ networks(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    code(&resp).to_owned()
}

/// Two replicas on one database and a Redis of the test's own. A key is created and revoked
/// through the command line (another process); Redis restarts empty before the key is first
/// used, so the lookup is kept while every counter is 0, and again after the revocation,
/// when every counter is 0 once more. Without an epoch that lookup would match again.
#[tokio::test]
async fn a_revoked_key_stays_refused_after_redis_restarts() {
    if !has(true, true) {
        return;
    }
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}/");
    let redis = OwnRedis::start(port);
    let a = replica(Some(url.clone()), |_| {}).await;
    let b = replica_of(&a, |_| {}).await;
    redis_up(&a).await;
    let key = new_key(&a).await;

    redis.stop();
    let redis = OwnRedis::start(port);
    redis_up(&b).await;
    assert_eq!(with_key(&b, &key).await, "ok");
    assert_eq!(with_key(&b, &key).await, "ok", "the lookup was kept");

    let (ok, out) = apikey(&a, &["revoke", &key[..12]]).await;
    assert!(ok, "{out}");
    assert_eq!(with_key(&b, &key).await, "UNAUTHENTICATED");

    redis.stop();
    let _redis = OwnRedis::start(port);
    redis_up(&b).await;
    for app in [&b, &a] {
        assert_eq!(with_key(app, &key).await, "UNAUTHENTICATED");
    }
}

/// A failover to a copy of Redis that missed the revocation's move: the counters go back to
/// what they were when the lookup was kept. The replica that saw the newer counter begins a
/// new epoch, and the key stays refused.
#[tokio::test]
async fn a_failover_that_loses_moves_begins_a_new_epoch() {
    if !has(true, true) {
        return;
    }
    let (a, b) = two_replicas(|_| {}).await;
    let key = new_key(&a).await;
    assert_eq!(with_key(&b, &key).await, "ok");
    assert_eq!(with_key(&b, &key).await, "ok");

    let client = redis::Client::open(a.config.redis_url.clone().unwrap()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let hash = format!("{}generations", a.config.redis_prefix);
    let before: Vec<(String, String)> = redis::cmd("HGETALL")
        .arg(&hash)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(!before.is_empty(), "the generations live in {hash}");

    let (ok, out) = apikey(&a, &["revoke", &key[..12]]).await;
    assert!(ok, "{out}");
    assert_eq!(with_key(&b, &key).await, "UNAUTHENTICATED");

    // The stale copy takes over: the hash as it was before the revocation.
    let mut restore = redis::pipe();
    restore.atomic().cmd("DEL").arg(&hash).ignore();
    for (field, value) in &before {
        restore
            .cmd("HSET")
            .arg(&hash)
            .arg(field)
            .arg(value)
            .ignore();
    }
    let () = restore.query_async(&mut conn).await.unwrap();
    assert_eq!(with_key(&b, &key).await, "UNAUTHENTICATED");
}

/// A two-field mutation whose first field commits and whose second waits on a row lock past
/// the request's time limit: the request answers `UNAVAILABLE`, and the other replica, which
/// had cached the old name, reads the committed one.
#[tokio::test]
async fn a_write_that_committed_before_a_timeout_is_read_on_every_replica() {
    if !has(true, true) {
        return;
    }
    let (a, b) = two_replicas(|c| c.request_timeout_ms = 1_000).await;
    let d = a
        .data(
            "{ sponsorGroups(first: 2) { nodes { id version name } } }",
            json!({}),
        )
        .await;
    let (x, y) = (
        &d["sponsorGroups"]["nodes"][0],
        &d["sponsorGroups"]["nodes"][1],
    );
    let x_id = x["id"].as_str().unwrap();
    let y_id = y["id"].as_str().unwrap();
    let (seen, _) = read(&b, x_id).await;
    assert_eq!(seen["name"], x["name"]);
    assert_eq!(read(&b, x_id).await.1, 0, "replica B cached the old name");

    // Another transaction holds group Y's row.
    let schema = a.pg_schema().unwrap();
    let conn = Database::connect(&a.config.database_url).await.unwrap();
    let lock = conn.begin().await.unwrap();
    lock.execute_unprepared(&format!(
        "SELECT id FROM \"{schema}\".sponsor_group WHERE id = '{y_id}' FOR UPDATE"
    ))
    .await
    .unwrap();

    let admin = token(Role::Admin, None, None, None, vec![]);
    let resp = a
        .graphql_as(
            Some(&admin),
            "mutation($x: ID!, $xv: Int!, $y: ID!, $yv: Int!) {
               first: updateSponsorGroup(id: $x, expectedVersion: $xv, input: { name: \"Committed first\" }) { name }
               second: updateSponsorGroup(id: $y, expectedVersion: $yv, input: { name: \"Never written\" }) { name } }",
            json!({ "x": x_id, "xv": x["version"], "y": y_id, "yv": y["version"] }),
        )
        .await;
    assert_eq!(code(&resp), "UNAVAILABLE", "{resp:#}");
    lock.rollback().await.unwrap();
    conn.close().await.unwrap();

    let (seen, statements) = read(&b, x_id).await;
    assert_eq!(seen["name"], "Committed first");
    assert!(statements > 0);
    let (seen, _) = read(&b, y_id).await;
    assert_eq!(
        seen["name"], y["name"],
        "the second field's write was rolled back"
    );
}

/// Both replicas have written (so nothing of either process's own history is in the keys);
/// an answer computed on A is then a hit on B: statements on A, none on B.
#[tokio::test]
async fn an_answer_computed_on_one_replica_is_a_hit_on_the_other() {
    if !has(false, true) {
        return;
    }
    let (a, b) = two_replicas(|_| {}).await;
    let d = a
        .data(
            "{ sponsorGroups(first: 2) { nodes { id version } } }",
            json!({}),
        )
        .await;
    let groups = &d["sponsorGroups"]["nodes"];
    for (i, (app, who)) in [(&a, "A"), (&b, "B")].into_iter().enumerate() {
        let (id, version) = (groups[i]["id"].as_str().unwrap(), &groups[i]["version"]);
        rename(app, id, version, &format!("Written through {who}")).await;
    }

    let hits_before = cache_hits(&b).await;
    let q = "{ cities(first: 5) { nodes { name sponsorGroups(first: 3) { nodes { name } } } } }";
    let on_a = a.graphql(q, json!({})).await;
    assert!(on_a["extensions"]["sqlStatements"].as_u64().unwrap() > 0);
    let on_b = b.graphql(q, json!({})).await;
    assert_eq!(on_b["data"], on_a["data"]);
    assert_eq!(
        on_b["extensions"]["sqlStatements"], 0,
        "replica B found A's answer in Redis"
    );
    assert!(cache_hits(&b).await > hits_before);
}

/// `haven_cache_total{kind="response",outcome="hit"}` as `/metrics` shows it.
async fn cache_hits(app: &TestApp) -> f64 {
    let text = reqwest::get(app.url("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| {
            l.starts_with("haven_cache_total{")
                && l.contains("kind=\"response\"")
                && l.contains("outcome=\"hit\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// A reader between a write's statement and its commit reads the old row, at generations the
/// statement already moved; the commit must move them again, or the old row is served after
/// it. (PostgreSQL: the audit log, which a mutation writes last, is held until the reader
/// has read.) Without Redis, and with it.
#[tokio::test]
async fn a_reader_between_a_statement_and_its_commit_keeps_nothing_stale() {
    if !has(true, false) {
        return;
    }
    let mut redis = vec![None];
    if std::env::var("TEST_REDIS_URL").is_ok() {
        redis.push(std::env::var("TEST_REDIS_URL").ok());
    }
    for redis in redis {
        let shared = redis.is_some();
        let app = replica(redis, |_| {}).await;
        let id = some_group(&app).await;
        let (before, _) = read(&app, &id).await;
        let hold = AuditHold::take(&app).await.unwrap();
        let write = rename(&app, &id, &before["version"], "Renamed while read");
        let reader = async {
            assert!(
                hold.waited_on_by(1).await,
                "the write reached the audit log"
            );
            let (seen, statements): (Value, u64) = read(&app, &id).await;
            assert_eq!(seen["name"], before["name"], "not committed yet");
            hold.release().await;
            statements
        };
        let ((), _) = tokio::join!(write, reader);
        let (after, _) = read(&app, &id).await;
        assert_eq!(after["name"], "Renamed while read", "with Redis: {shared}");
    }
}
