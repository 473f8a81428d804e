//! Rate limits per client: anonymous viewers by address, signed-in viewers by who they are,
//! partners by key; `RATE_LIMITED` with a wait, counted across replicas through Redis and in
//! process without it.

use crate::helpers::{TestApp, spawn_app_with, token};
use haven::auth::Role;
use serde_json::{Value, json};

const Q: &str = "{ networks(first: 1) { nodes { name } } }";

/// An app whose limits per minute are `anonymous`, `signed_in` and `partner`.
async fn limited(anonymous: u32, signed_in: u32, partner: u32) -> TestApp {
    spawn_app_with(move |c| {
        c.jwt_secret = Some(haven::config::Secret(crate::helpers::SECRET.into()));
        c.rate_limits.anonymous = anonymous;
        c.rate_limits.signed_in = signed_in;
        c.rate_limits.partner = partner;
        c.rate_limits.client_address_header = Some("x-forwarded-for".into());
    })
    .await
}

/// The code of the answer to [`Q`] sent with `headers` (`ok` when it has no error).
async fn ask(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let resp = app.graphql_with(headers, Q, json!({})).await;
    crate::helpers::code(&resp).to_owned()
}

/// The codes of `n` requests with `headers`, in order.
async fn codes(app: &TestApp, headers: &[(&str, &str)], n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(ask(app, headers).await);
    }
    out
}

fn expect(ok: usize, then: &str) -> Vec<String> {
    let mut v = vec!["ok".to_owned(); ok];
    v.push(then.to_owned());
    v
}

/// A partner key of the demo set's first partner organisation.
async fn key(app: &TestApp) -> String {
    crate::viewers::partner_key(app).await
}

#[tokio::test]
async fn anonymous_clients_are_limited_by_address() {
    let app = limited(5, 0, 0).await;
    let before = refused(&app, "anonymous").await;
    let first = [("x-forwarded-for", "203.0.113.7")];
    assert_eq!(codes(&app, &first, 6).await, expect(5, "RATE_LIMITED"));
    // The error says how long to wait: a token comes back every 60 / 5 = 12 seconds.
    let resp = app.graphql_with(&first, Q, json!({})).await;
    let wait = &resp["errors"][0]["extensions"]["retryAfterSeconds"];
    assert!((1..=12).contains(&wait.as_u64().unwrap_or(0)), "{resp:#}");
    assert_eq!(resp["data"], Value::Null, "{resp:#}");
    // Clients of the GraphQL media type get 429 and every client a Retry-After header.
    let body = json!({ "query": Q }).to_string();
    let media = "application/graphql-response+json";
    let (status, headers, resp) = app
        .post_raw(
            body.clone(),
            &[
                ("content-type", "application/json"),
                ("accept", media),
                first[0],
            ],
        )
        .await;
    assert_eq!(status, 429, "{resp:#}");
    assert_eq!(crate::helpers::code(&resp), "RATE_LIMITED");
    let after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&after));
    let (status, headers, _) = app
        .post_raw(body, &[("content-type", "application/json"), first[0]])
        .await;
    assert_eq!(status, 200);
    assert!(headers.contains_key("retry-after"));
    // Another address has its own bucket; a client cannot pick its address by prepending one
    // (the last entry, added by the nearest proxy, counts).
    assert_eq!(
        ask(&app, &[("x-forwarded-for", "198.51.100.1")]).await,
        "ok"
    );
    let spoofed = [("x-forwarded-for", "192.0.2.99, 203.0.113.7")];
    assert_eq!(ask(&app, &spoofed).await, "RATE_LIMITED");
    // This test was refused five times (other tests in the process may add to the count).
    assert!(refused(&app, "anonymous").await >= before + 5);
}

/// How many requests of `class` the process has refused, from `/metrics` (the recorder is
/// shared by every app of the test process, so counts only grow by at least one's own).
async fn refused(app: &TestApp, class: &str) -> u64 {
    let text = reqwest::get(app.url("/metrics"))
        .await
        .expect("GET /metrics")
        .text()
        .await
        .unwrap_or_default();
    let series = format!(r#"haven_rate_limited_total{{class="{class}"}} "#);
    text.lines()
        .find_map(|l| l.strip_prefix(&series))
        .map_or(0, |n| n.trim().parse().unwrap_or(0))
}

#[tokio::test]
async fn viewers_and_keys_each_have_their_own_bucket() {
    let app = limited(0, 3, 2).await;
    let before = (
        refused(&app, "signed_in").await,
        refused(&app, "partner").await,
    );
    let member = |sub| {
        let t = token(Role::Member, Some(sub), None, None, vec![]);
        format!("Bearer {t}")
    };
    let (a, b) = (member(uuid::Uuid::new_v4()), member(uuid::Uuid::new_v4()));
    let as_a = [("authorization", a.as_str())];
    assert_eq!(codes(&app, &as_a, 4).await, expect(3, "RATE_LIMITED"));
    assert_eq!(ask(&app, &[("authorization", b.as_str())]).await, "ok");
    // Anonymous traffic from the same address is not limited here (its limit is off).
    assert_eq!(codes(&app, &[], 5).await, vec!["ok"; 5]);
    let (k1, k2) = (key(&app).await, key(&app).await);
    let with_k1 = [("x-api-key", k1.as_str())];
    assert_eq!(codes(&app, &with_k1, 3).await, expect(2, "RATE_LIMITED"));
    assert_eq!(ask(&app, &[("x-api-key", k2.as_str())]).await, "ok");
    assert!(refused(&app, "signed_in").await > before.0);
    assert!(refused(&app, "partner").await > before.1);
}

/// Guessing keys or tokens is anonymous traffic: it counts against the address.
#[tokio::test]
async fn bad_credentials_count_against_the_address() {
    let app = limited(3, 0, 0).await;
    let guess = [
        ("x-api-key", "hvn_not-a-key"),
        ("x-forwarded-for", "203.0.113.8"),
    ];
    let mut refused = vec!["UNAUTHENTICATED".to_owned(); 3];
    refused.push("RATE_LIMITED".into());
    assert_eq!(codes(&app, &guess, 4).await, refused);
    let anonymous = [("x-forwarded-for", "203.0.113.8")];
    assert_eq!(ask(&app, &anonymous).await, "RATE_LIMITED");
}

/// Without Redis (here: configured but unreachable) every process counts by itself.
#[tokio::test]
async fn limits_count_in_process_when_redis_cannot_be_reached() {
    let app = spawn_app_with(|c| {
        c.redis_url = Some("redis://127.0.0.1:1/".into());
        c.rate_limits.anonymous = 3;
    })
    .await;
    assert_eq!(codes(&app, &[], 4).await, expect(3, "RATE_LIMITED"));
}

/// Two replicas on one database and one Redis, both with an anonymous limit of `per_minute`;
/// none without `TEST_REDIS_URL`.
async fn replicas(per_minute: u32) -> Option<(TestApp, TestApp)> {
    if !crate::helpers::has(false, true) {
        return None;
    }
    let redis = std::env::var("TEST_REDIS_URL").ok()?;
    let prefix = format!("haven-test:{}:", uuid::Uuid::new_v4().simple());
    let (redis_one, prefix_one) = (redis.clone(), prefix.clone());
    let one = spawn_app_with(move |c| {
        c.redis_url = Some(redis_one);
        c.redis_prefix = prefix_one;
        c.rate_limits.anonymous = per_minute;
        c.rate_limits.client_address_header = Some("x-forwarded-for".into());
    })
    .await;
    let (url, schema) = (
        one.config.database_url.clone(),
        one.config.database_schema.clone(),
    );
    let two = spawn_app_with(move |c| {
        c.database_url = url;
        c.database_schema = schema;
        c.redis_url = Some(redis);
        c.redis_prefix = prefix;
        c.rate_limits.anonymous = per_minute;
        c.rate_limits.client_address_header = Some("x-forwarded-for".into());
    })
    .await;
    Some((one, two))
}

/// Two replicas share the client's bucket.
#[tokio::test]
async fn a_limit_counts_across_replicas() {
    let Some((one, two)) = replicas(4).await else {
        return;
    };
    assert_eq!(codes(&one, &[], 2).await, vec!["ok"; 2]);
    assert_eq!(codes(&two, &[], 2).await, vec!["ok"; 2]);
    assert_eq!(ask(&one, &[]).await, "RATE_LIMITED");
    assert_eq!(ask(&two, &[]).await, "RATE_LIMITED");
}

/// With a limit of 120 a minute each replica takes two tokens from Redis at once: still no
/// client gets past its limit across replicas (tokens a replica took and did not spend are
/// lost, so it may be limited a little early).
#[tokio::test]
async fn leased_tokens_never_let_a_client_past_its_limit() {
    let Some((one, two)) = replicas(120).await else {
        return;
    };
    let started = std::time::Instant::now();
    let mut ok = 0;
    for i in 0..140 {
        let app = if i % 3 == 0 { &two } else { &one };
        if ask(app, &[]).await == "ok" {
            ok += 1;
        }
    }
    // The bucket refills two tokens a second while the test runs.
    let refilled = 2 * started.elapsed().as_secs() + 2;
    assert!(ok <= 120 + refilled, "{ok} admitted");
    assert!(ok >= 100, "{ok} admitted");
    assert_eq!(ask(&one, &[]).await, "RATE_LIMITED");
}

/// Two clients at once through two replicas, each at its limit of 120 a minute: each replica
/// holds a lease per client, so neither client spends the other's tokens, and neither gets past
/// its own limit.
#[tokio::test]
async fn two_clients_leases_at_the_limit_stay_apart() {
    let Some((one, two)) = replicas(120).await else {
        return;
    };
    let clients = [
        [("x-forwarded-for", "198.51.100.21")],
        [("x-forwarded-for", "198.51.100.22")],
    ];
    let started = std::time::Instant::now();
    let mut ok = [0; 2];
    for i in 0..280 {
        let app = if i % 3 == 0 { &two } else { &one };
        let c = i % 2;
        if ask(app, &clients[c]).await == "ok" {
            ok[c] += 1;
        }
    }
    let refilled = 2 * started.elapsed().as_secs() + 2;
    for (c, admitted) in ok.iter().enumerate() {
        assert!(
            *admitted <= 120 + refilled,
            "client {c}: {admitted} admitted"
        );
        assert!(*admitted >= 100, "client {c}: {admitted} admitted");
        assert_eq!(ask(&one, &clients[c]).await, "RATE_LIMITED");
    }
}
