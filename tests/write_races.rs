//! Writes that race or follow each other: concurrent writers see each other's effects, and
//! several mutations in one document each see the state the previous one left.

use crate::fixture::{Fixture, fixture_in, token_for};
use crate::helpers::{SECRET, TestApp, code, spawn_app_with};
use haven_entities::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// A signing app with more connections than usual, so that writers really run at once.
async fn racing_app() -> (TestApp, Fixture) {
    let app = spawn_app_with(|c| {
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        c.db_max_connections = 8;
    })
    .await;
    let f = fixture_in(&app).await;
    (app, f)
}

#[tokio::test]
async fn concurrent_logs_cannot_pass_24_hours_a_day_together() {
    let (app, f) = racing_app().await;
    let member = token_for("member", &f);
    let log = r#"mutation($g: ID!) { logContribution(input: { groupId: $g, date: "2025-07-07", kind: VISIT, hours: 13 }) { id } }"#;
    // Eight writers at once, each alone within the limit; together far beyond it.
    let answers = futures_util::future::join_all(
        (0..8).map(|_| app.graphql_as(member.as_deref(), log, json!({ "g": f.g }))),
    )
    .await;
    let codes: Vec<&str> = answers.iter().map(code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "ok").count(), 1, "{codes:?}");
    assert!(
        codes.iter().all(|c| *c == "ok" || *c == "BAD_USER_INPUT"),
        "refused as too many hours, not failed: {answers:?}"
    );
    let stored = contribution::Entity::find()
        .filter(contribution::Column::VolunteerId.eq(f.m))
        .filter(
            contribution::Column::ContributedOn
                .eq("2025-07-07".parse::<chrono::NaiveDate>().unwrap()),
        )
        .all(app.state.db())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

#[tokio::test]
async fn concurrent_additions_of_one_volunteer_make_one_membership() {
    let (app, f) = racing_app().await;
    let coordinator = token_for("city coordinator", &f);
    let add = "mutation($g: ID!, $e: ID!) { addMembership(input: { groupId: $g, volunteerId: $e }) { id } }";
    let answers = futures_util::future::join_all(
        (0..6).map(|_| app.graphql_as(coordinator.as_deref(), add, json!({ "g": f.g, "e": f.e }))),
    )
    .await;
    let codes: Vec<&str> = answers.iter().map(code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "ok").count(), 1, "{codes:?}");
    assert!(
        codes.iter().all(|c| *c == "ok" || *c == "CONFLICT"),
        "{answers:?}"
    );
}

#[tokio::test]
async fn mutations_in_one_document_see_each_other() {
    let (app, f) = racing_app().await;
    let lead = token_for("lead", &f);
    let steps = "mutation($g: ID!) {
        a: transitionSponsorGroup(id: $g, expectedVersion: 1, to: COMPLETED) { status version }
        b: transitionSponsorGroup(id: $g, expectedVersion: 2, to: ALUMNI) { status version } }";
    let r = app
        .graphql_as(lead.as_deref(), steps, json!({ "g": f.g }))
        .await;
    assert_eq!(
        r["data"]["b"],
        json!({ "status": "ALUMNI", "version": 3 }),
        "{r}"
    );

    // The second step is checked against the state the first left, not what the request
    // read before: ALUMNI -> ALUMNI is not a step.
    let group = &f.applied_g;
    let coordinator = token_for("city coordinator", &f);
    let twice = "mutation($g: ID!) {
        a: transitionSponsorGroup(id: $g, expectedVersion: 1, to: SCREENING) { status }
        b: transitionSponsorGroup(id: $g, expectedVersion: 2, to: SCREENING) { status } }";
    let r = app
        .graphql_as(coordinator.as_deref(), twice, json!({ "g": group }))
        .await;
    assert_eq!(r["data"]["a"]["status"], "SCREENING", "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{r}"
    );
    assert_eq!(r["errors"][0]["path"][0], "b");
    let stored = sponsor_group::Entity::find_by_id(*group)
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2);
}
