//! The cross-request cache: public reads answered without a statement until a write moves the
//! data generations; never a signed-in viewer's answer to anyone else; `HAVEN_CACHE=off`; and,
//! with Redis, two replicas on one database where a write through one is read through the
//! other at once.

use crate::helpers::{SECRET, TestApp, code, spawn_app_with, token};
use haven::auth::Role;
use serde_json::{Value, json};

const GROUP: &str = "query($id: ID!) { sponsorGroup(id: $id) { name version } }";

async fn app(cache: bool) -> TestApp {
    spawn_app_with(|c| {
        c.debug_stats = true;
        c.cache = cache;
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
    })
    .await
}

/// A demo group's id.
pub(crate) async fn some_group(app: &TestApp) -> String {
    let d = app
        .data("{ sponsorGroups(first: 1) { nodes { id } } }", json!({}))
        .await;
    d["sponsorGroups"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The group's name and version as anonymous sees them, with the statements it cost.
pub(crate) async fn read(app: &TestApp, id: &str) -> (Value, u64) {
    let resp = app.graphql(GROUP, json!({ "id": id })).await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    let statements = resp["extensions"]["sqlStatements"].as_u64().unwrap();
    (resp["data"]["sponsorGroup"].clone(), statements)
}

pub(crate) async fn rename(app: &TestApp, id: &str, version: &Value, name: &str) {
    let admin = token(Role::Admin, None, None, None, vec![]);
    let resp = app
        .graphql_as(
            Some(&admin),
            "mutation($id: ID!, $v: Int!, $name: String!) {
               updateSponsorGroup(id: $id, expectedVersion: $v, input: { name: $name }) { name } }",
            json!({ "id": id, "v": version, "name": name }),
        )
        .await;
    assert_eq!(code(&resp), "ok", "{resp:#}");
}

#[tokio::test]
async fn public_reads_come_from_the_cache_until_a_write() {
    let app = app(true).await;
    let id = some_group(&app).await;
    let (first, statements) = read(&app, &id).await;
    assert!(statements > 0);
    let (again, statements) = read(&app, &id).await;
    assert_eq!(
        (again.clone(), statements),
        (first.clone(), 0),
        "answered from the cache"
    );
    // The same query written otherwise (whitespace, commas, a comment) is the same entry.
    let reworded = "# the group\nquery ($id:ID!){sponsorGroup(id:$id),{name,version}}";
    let resp = app.graphql(reworded, json!({ "id": id })).await;
    assert_eq!(resp["data"]["sponsorGroup"], first);
    assert_eq!(resp["extensions"]["sqlStatements"], 0, "{resp:#}");
    rename(&app, &id, &first["version"], "Renamed by the cache test").await;
    let (after, statements) = read(&app, &id).await;
    assert_eq!(after["name"], "Renamed by the cache test");
    assert!(statements > 0, "a write moves the generations");
    // Other variables are another answer.
    let other = app
        .graphql(GROUP, json!({ "id": uuid::Uuid::new_v4() }))
        .await;
    assert_eq!(other["data"]["sponsorGroup"], Value::Null);
}

#[tokio::test]
async fn nothing_is_cached_when_the_cache_is_off() {
    let app = app(false).await;
    let id = some_group(&app).await;
    for _ in 0..2 {
        let (_, statements) = read(&app, &id).await;
        assert!(statements > 0);
    }
}

#[tokio::test]
async fn a_signed_in_answer_is_never_served_to_anyone_else() {
    let app = app(true).await;
    let id = some_group(&app).await;
    let q = "query($id: ID!) { sponsorGroup(id: $id) { name memberships(first: 3) { nodes { volunteer { displayName } } } } }";
    let member = token(
        Role::Member,
        Some(uuid::Uuid::new_v4()),
        None,
        None,
        vec![id.parse().unwrap()],
    );
    for _ in 0..2 {
        let resp = app.graphql_as(Some(&member), q, json!({ "id": id })).await;
        assert_eq!(code(&resp), "ok", "{resp:#}");
        assert!(
            resp["extensions"]["sqlStatements"].as_u64().unwrap() > 0,
            "not cached"
        );
    }
    let anonymous = app.graphql(q, json!({ "id": id })).await;
    assert_eq!(code(&anonymous), "FORBIDDEN", "{anonymous:#}");
    let elsewhere = token(Role::Member, Some(uuid::Uuid::new_v4()), None, None, vec![]);
    let other = app
        .graphql_as(Some(&elsewhere), q, json!({ "id": id }))
        .await;
    assert_eq!(code(&other), "FORBIDDEN", "{other:#}");
}

/// Two replicas on one PostgreSQL database and one Redis: a write through one is read through
/// the other right after its response, though the other had cached the old answer.
#[tokio::test]
async fn a_write_through_one_replica_is_read_through_the_other_at_once() {
    if !crate::helpers::has(true, true) {
        return;
    }
    let one = app(true).await;
    let (url, schema, prefix) = (
        one.config.database_url.clone(),
        one.config.database_schema.clone(),
        one.config.redis_prefix.clone(),
    );
    let two = spawn_app_with(move |c| {
        c.debug_stats = true;
        c.database_url = url;
        c.database_schema = schema;
        c.redis_prefix = prefix;
    })
    .await;
    let id = some_group(&one).await;
    let (before, _) = read(&two, &id).await;
    let (_, statements) = read(&two, &id).await;
    assert_eq!(statements, 0, "the second replica cached it");
    for round in 0..3 {
        let (now, _) = read(&one, &id).await;
        let name = format!("Renamed through replica one, round {round}");
        rename(&one, &id, &now["version"], &name).await;
        let (seen, statements) = read(&two, &id).await;
        assert_eq!(seen["name"], name.as_str(), "was {before}");
        assert!(statements > 0);
    }
}

/// A kept answer goes out byte for byte, with the content type the client asked for. (A write
/// that bypasses haven, through another connection pool, is not seen until the entry expires:
/// that is how this test knows the answer came from the cache.)
#[tokio::test]
async fn a_kept_answer_is_sent_as_it_was_kept() {
    let app = spawn_app_with(|c| c.cache = true).await;
    let id = some_group(&app).await;
    let ask = |accept: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            let (status, headers, body) = app
                .post_raw(
                    json!({ "query": GROUP, "variables": { "id": id } }).to_string(),
                    &[("content-type", "application/json"), ("accept", accept)],
                )
                .await;
            let kind = headers["content-type"].to_str().unwrap().to_owned();
            (status, kind, body)
        }
    };
    let (_, _, first) = ask("application/json").await;
    let outside = haven::db::connect(&app.config).await.unwrap();
    use sea_orm::ConnectionTrait;
    outside
        .execute_unprepared("UPDATE sponsor_group SET name = 'Changed behind haven'")
        .await
        .unwrap();
    for accept in ["application/json", "application/graphql-response+json"] {
        let (status, kind, body) = ask(accept).await;
        assert_eq!((status, kind.as_str()), (200, accept));
        assert_eq!(body, first, "served from the cache");
    }
}

/// The figures of `analytics` are computed once per scope and data generations: a second
/// dashboard costs no statement, another coordinator's area is another entry, and a write
/// makes them computed anew.
#[tokio::test]
async fn figures_are_computed_once_per_scope_until_a_write() {
    let app = app(true).await;
    let q = "{ analytics(filter: { from: \"2024-01-01\", to: \"2025-12-31\" }) {
        groupFunnel { stage reached } breakdown(by: PROVINCE) { key groups } } }";
    let ask = |token: String| {
        let app = &app;
        async move {
            let resp = app.graphql_as(Some(&token), q, json!({})).await;
            assert_eq!(code(&resp), "ok", "{resp:#}");
            let statements = resp["extensions"]["sqlStatements"].as_u64().unwrap();
            (resp["data"]["analytics"].clone(), statements)
        }
    };
    let admin = || token(Role::Admin, None, None, None, vec![]);
    let (first, statements) = ask(admin()).await;
    assert_eq!(statements, 2);
    let (again, statements) = ask(admin()).await;
    assert_eq!((&again, statements), (&first, 0));
    let town = app
        .data(r#"{ city(cbsCode: "GM0599") { id } }"#, json!({}))
        .await["city"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let coordinator = token(Role::CityCoordinator, None, None, Some(town), vec![]);
    let (theirs, statements) = ask(coordinator).await;
    assert!(statements >= 2, "another area is another entry");
    assert_ne!(theirs, first);
    let id = some_group(&app).await;
    let (group, _) = read(&app, &id).await;
    rename(&app, &id, &group["version"], "Renamed for the figures").await;
    let (_, statements) = ask(admin()).await;
    assert_eq!(statements, 2, "a write makes the figures computed anew");
}

/// Rows by id are kept across requests (for signed-in viewers too: every field still checks
/// the viewer's rights), keyed by the generation of their own table: a write to towns makes
/// towns read again, while networks stay cached.
#[tokio::test]
async fn rows_by_id_are_kept_until_their_table_is_written() {
    let app = app(true).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let q = "{ sponsorGroups(first: 10) { nodes { city { id name version network { name } } } } }";
    let ask = || async {
        let resp = app.graphql_as(Some(&admin), q, json!({})).await;
        assert_eq!(code(&resp), "ok", "{resp:#}");
        let statements = resp["extensions"]["sqlStatements"].as_u64().unwrap();
        (resp["data"]["sponsorGroups"]["nodes"].clone(), statements)
    };
    // Groups, then their towns by id, then the towns' networks by id.
    let (first, statements) = ask().await;
    assert_eq!(statements, 3);
    let (again, statements) = ask().await;
    assert_eq!(
        (&again, statements),
        (&first, 1),
        "towns and networks from the cache"
    );
    let town = &first[0]["city"];
    let resp = app
        .graphql_as(
            Some(&admin),
            "mutation($id: ID!, $v: Int!) { updateCity(id: $id, expectedVersion: $v,
               input: { name: \"Renamed town\" }) { name } }",
            json!({ "id": town["id"], "v": town["version"] }),
        )
        .await;
    assert_eq!(code(&resp), "ok", "{resp:#}");
    let (after, statements) = ask().await;
    assert_eq!(statements, 2, "towns read again, networks still cached");
    assert_eq!(after[0]["city"]["name"], "Renamed town");
}
