//! Automatic persisted queries: an unknown hash is `PERSISTED_QUERY_NOT_FOUND`, a document
//! sent with its hash registers it, a wrong hash is refused, and (with Redis) a hash registered
//! through one replica runs through another.

use crate::helpers::{TestApp, code, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const QUERY: &str = "{ networks { nodes { slug } } }";

fn sha(q: &str) -> String {
    Sha256::digest(q.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends `query` (may be empty) with the persisted-query extension naming `hash`.
async fn send(app: &TestApp, query: &str, hash: &str) -> Value {
    let mut body = json!({
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } }
    });
    if !query.is_empty() {
        body["query"] = json!(query);
    }
    let (status, _, resp) = app
        .post_raw(body.to_string(), &[("content-type", "application/json")])
        .await;
    assert_eq!(status, 200, "{resp:#}");
    resp
}

#[tokio::test]
async fn a_hash_is_registered_by_its_document_and_then_runs_alone() {
    let app = spawn_app().await;
    let hash = sha(QUERY);
    let unknown = send(&app, "", &hash).await;
    assert_eq!(code(&unknown), "PERSISTED_QUERY_NOT_FOUND", "{unknown:#}");
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");
    let registered = send(&app, QUERY, &hash).await;
    assert_eq!(code(&registered), "ok", "{registered:#}");
    let alone = send(&app, "", &hash).await;
    assert_eq!(alone["data"], registered["data"]);
    assert_eq!(alone["data"]["networks"]["nodes"][0]["slug"], "samen-hier");
}

#[tokio::test]
async fn a_wrong_or_malformed_hash_is_refused_and_registers_nothing() {
    let app = spawn_app().await;
    let other = sha("{ __typename }");
    let wrong = send(&app, QUERY, &other).await;
    assert_eq!(code(&wrong), "BAD_USER_INPUT", "{wrong:#}");
    let after = send(&app, "", &other).await;
    assert_eq!(
        code(&after),
        "PERSISTED_QUERY_NOT_FOUND",
        "nothing was kept"
    );
    for bad in ["abc", &sha(QUERY).to_uppercase()] {
        let resp = send(&app, QUERY, bad).await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{bad}: {resp:#}");
    }
    // A document over the limits is not kept either.
    let deep = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
    let resp = send(&app, &deep, &sha(&deep)).await;
    assert_eq!(code(&resp), "GRAPHQL_PARSE_FAILED", "{resp:#}");
    let after = send(&app, "", &sha(&deep)).await;
    assert_eq!(code(&after), "PERSISTED_QUERY_NOT_FOUND");
}

#[tokio::test]
async fn a_hash_registered_through_one_replica_runs_through_another() {
    if !crate::helpers::has(false, true) {
        return;
    }
    let one = spawn_app().await;
    let prefix = one.config.redis_prefix.clone();
    let two = spawn_app_with(move |c| c.redis_prefix = prefix).await;
    let q = "{ cities(first: 2) { nodes { cbsCode } } }";
    assert_eq!(code(&send(&one, q, &sha(q)).await), "ok");
    let resp = send(&two, "", &sha(q)).await;
    assert_eq!(code(&resp), "ok", "{resp:#}");
    assert_eq!(resp["data"]["cities"]["nodes"].as_array().unwrap().len(), 2);
}
