//! Writes: sponsor groups along their lifecycle, optimistic concurrency, transactions and the
//! audit log.

use crate::helpers::{self, TestApp, code, spawn_signing_app};
use haven::auth::Role;
use haven_entities::enums::GroupStatus;
use haven_entities::{audit_log, sponsor_group};
use sea_orm::{ActiveEnum, EntityTrait, Iterable, PaginatorTrait};
use serde_json::json;
use uuid::Uuid;

fn token(role: Role, city: Option<Uuid>, groups: Vec<Uuid>) -> String {
    helpers::token(role, None, None, city, groups)
}

async fn app() -> TestApp {
    spawn_signing_app().await
}

const TRANSITION: &str = "mutation($id: ID!, $v: Int!, $to: GroupStatus!) {
    transitionSponsorGroup(id: $id, expectedVersion: $v, to: $to) { id status } }";

/// The lifecycle of docs/domain.md, written out pair by pair.
fn allowed(from: &str, to: &str) -> bool {
    const MAIN: [&str; 10] = [
        "INTERESTED",
        "FORMING",
        "APPLIED",
        "SCREENING",
        "IN_TRAINING",
        "READY_TO_MATCH",
        "MATCHED",
        "ACTIVE",
        "COMPLETED",
        "ALUMNI",
    ];
    let main_step = MAIN.windows(2).any(|w| w[0] == from && w[1] == to);
    let pausable = [
        "FORMING",
        "APPLIED",
        "SCREENING",
        "IN_TRAINING",
        "READY_TO_MATCH",
        "MATCHED",
        "ACTIVE",
    ];
    let side = match to {
        "ON_HOLD" => pausable.contains(&from),
        "FORMING" => from == "ON_HOLD",
        "WITHDRAWN" => !["COMPLETED", "ALUMNI", "WITHDRAWN", "NOT_APPROVED"].contains(&from),
        "NOT_APPROVED" => ["APPLIED", "SCREENING", "IN_TRAINING"].contains(&from),
        _ => false,
    };
    main_step || side
}

/// A fresh group in `status` in Almere, written directly.
async fn group_in(app: &TestApp, status: GroupStatus) -> (Uuid, Uuid) {
    let d = app
        .data("{ city(cbsCode: \"GM0034\") { id } }", json!({}))
        .await;
    let city: Uuid = d["city"]["id"].as_str().unwrap().parse().unwrap();
    let now = chrono::Utc::now();
    let g = sponsor_group::Model {
        id: Uuid::new_v4(),
        city_id: city,
        name: format!("Lifecycle {}", status.to_value()),
        variant: haven_entities::enums::SponsorshipVariant::Resettlement,
        status,
        origin: haven_entities::enums::GroupOrigin::Neighbours,
        formed_on: now.date_naive(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let id = g.id;
    haven::seed::insert_all(app.state.db(), vec![g], 10)
        .await
        .unwrap();
    (id, city)
}

#[tokio::test]
async fn every_transition_outside_the_lifecycle_is_refused_and_changes_nothing() {
    let app = app().await;
    let admin = token(Role::Admin, None, vec![]);
    let (mut refused, mut done) = (0, 0);
    for from in GroupStatus::iter() {
        for to in GroupStatus::iter() {
            let (id, _) = group_in(&app, from).await;
            let vars = json!({ "id": id.to_string(), "v": 1, "to": to.to_value() });
            let resp = app.graphql_as(Some(&admin), TRANSITION, vars).await;
            let row = sponsor_group::Entity::find_by_id(id)
                .one(app.state.db())
                .await
                .unwrap()
                .unwrap();
            if allowed(&from.to_value(), &to.to_value()) {
                assert_eq!(
                    code(&resp),
                    "ok",
                    "{} -> {}: {resp}",
                    from.to_value(),
                    to.to_value()
                );
                assert_eq!((row.status, row.version), (to, 2));
                done += 1;
            } else {
                assert_eq!(
                    code(&resp),
                    "BAD_USER_INPUT",
                    "{} -> {}: {resp}",
                    from.to_value(),
                    to.to_value()
                );
                assert_eq!(resp["errors"][0]["extensions"]["field"], "to");
                assert_eq!((row.status, row.version), (from, 1), "nothing changed");
                refused += 1;
            }
        }
    }
    assert!(
        done >= 20 && refused >= 100,
        "{done} allowed, {refused} refused"
    );
}

#[tokio::test]
async fn two_updates_with_the_same_version_exactly_one_wins() {
    let app = app().await;
    let (id, city) = group_in(&app, GroupStatus::Forming).await;
    let coordinator = token(Role::CityCoordinator, Some(city), vec![]);
    let q = "mutation($id: ID!, $name: String!) { updateSponsorGroup(id: $id, expectedVersion: 1, input: { name: $name }) { name } }";
    let (a, b) = tokio::join!(
        app.graphql_as(
            Some(&coordinator),
            q,
            json!({ "id": id.to_string(), "name": "First" })
        ),
        app.graphql_as(
            Some(&coordinator),
            q,
            json!({ "id": id.to_string(), "name": "Second" })
        )
    );
    let mut codes = [code(&a), code(&b)];
    codes.sort();
    assert_eq!(codes, ["CONFLICT", "ok"], "{a}\n{b}");
    let row = sponsor_group::Entity::find_by_id(id)
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, 2);
    let winner = if code(&a) == "ok" { "First" } else { "Second" };
    assert_eq!(row.name, winner);
}

#[tokio::test]
async fn failed_mutations_leave_nothing_behind_and_successes_are_audited() {
    let app = app().await;
    let db = app.state.db();
    let (id, city) = group_in(&app, GroupStatus::Forming).await;
    let coordinator = token(Role::CityCoordinator, Some(city), vec![]);
    let groups_before = sponsor_group::Entity::find().count(db).await.unwrap();
    let create = "mutation($name: String!, $city: ID!) { createSponsorGroup(input: { cityId: $city, name: $name,
        variant: STATUS_HOLDER, origin: FRIENDS, formedOn: \"2026-01-15\" }) { id name status city { cbsCode } } }";
    // Invalid input, a stale version, a step outside the lifecycle: nothing is written.
    let bad = app
        .graphql_as(
            Some(&coordinator),
            create,
            json!({ "name": "   ", "city": city.to_string() }),
        )
        .await;
    assert_eq!(
        (code(&bad), bad["errors"][0]["extensions"]["field"].as_str()),
        ("BAD_USER_INPUT", Some("name"))
    );
    let stale = app
        .graphql_as(Some(&coordinator), "mutation($id: ID!) { updateSponsorGroup(id: $id, expectedVersion: 7, input: { name: \"X\" }) { name } }", json!({ "id": id.to_string() }))
        .await;
    assert_eq!(code(&stale), "CONFLICT");
    let skip = app
        .graphql_as(
            Some(&coordinator),
            TRANSITION,
            json!({ "id": id.to_string(), "v": 1, "to": "ACTIVE" }),
        )
        .await;
    assert_eq!(code(&skip), "BAD_USER_INPUT");
    assert_eq!(
        sponsor_group::Entity::find().count(db).await.unwrap(),
        groups_before
    );
    assert_eq!(
        audit_log::Entity::find().count(db).await.unwrap(),
        0,
        "no audit entry for what did not happen"
    );

    let ok = app
        .graphql_as(
            Some(&coordinator),
            create,
            json!({ "name": "  Nieuwe Buren Oost ", "city": city.to_string() }),
        )
        .await;
    assert_eq!(code(&ok), "ok", "{ok}");
    assert_eq!(
        ok["data"]["createSponsorGroup"]["name"],
        "Nieuwe Buren Oost"
    );
    assert_eq!(ok["data"]["createSponsorGroup"]["status"], "INTERESTED");
    assert_eq!(
        ok["data"]["createSponsorGroup"]["city"]["cbsCode"],
        "GM0034"
    );
    let entries = audit_log::Entity::find().all(db).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].operation, "createSponsorGroup");
    assert_eq!(
        entries[0].actor_role, "CITY_COORDINATOR",
        "as tokens spell it"
    );
    assert_eq!(
        entries[0].entity_id.to_string(),
        ok["data"]["createSponsorGroup"]["id"].as_str().unwrap()
    );

    // Administrators read the log as a connection; nobody else does.
    let q =
        "{ auditLog(first: 10) { totalCount nodes { operation actorRole entityType entityId } } }";
    let admin = app
        .graphql_as(Some(&token(Role::Admin, None, vec![])), q, json!({}))
        .await;
    assert_eq!(code(&admin), "ok", "{admin}");
    assert_eq!(admin["data"]["auditLog"]["totalCount"], 1);
    assert_eq!(
        admin["data"]["auditLog"]["nodes"][0]["operation"],
        "createSponsorGroup"
    );
    assert_eq!(
        code(&app.graphql_as(Some(&coordinator), q, json!({})).await),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn who_may_change_a_group() {
    let app = app().await;
    let (id, city) = group_in(&app, GroupStatus::Forming).await;
    let rotterdam = app
        .data("{ city(cbsCode: \"GM0599\") { id } }", json!({}))
        .await;
    let other_city: Uuid = rotterdam["city"]["id"].as_str().unwrap().parse().unwrap();
    let cases: Vec<(&str, Option<String>, &str)> = vec![
        ("anonymous", None, "UNAUTHENTICATED"),
        (
            "member",
            Some(token(Role::Member, None, vec![id])),
            "FORBIDDEN",
        ),
        (
            "lead of another group",
            Some(token(Role::GroupLead, None, vec![Uuid::new_v4()])),
            "FORBIDDEN",
        ),
        (
            "coordinator elsewhere",
            Some(token(Role::CityCoordinator, Some(other_city), vec![])),
            "FORBIDDEN",
        ),
        ("lead", Some(token(Role::GroupLead, None, vec![id])), "ok"),
        (
            "coordinator of the town",
            Some(token(Role::CityCoordinator, Some(city), vec![])),
            "ok",
        ),
    ];
    for (who, tok, want) in cases {
        let current = sponsor_group::Entity::find_by_id(id)
            .one(app.state.db())
            .await
            .unwrap()
            .unwrap();
        let q = "mutation($id: ID!, $v: Int!) { updateSponsorGroup(id: $id, expectedVersion: $v, input: { origin: FAITH }) { origin } }";
        let resp = app
            .graphql_as(
                tok.as_deref(),
                q,
                json!({ "id": id.to_string(), "v": current.version }),
            )
            .await;
        assert_eq!(code(&resp), want, "{who}: {resp}");
    }
    let unknown = app
        .graphql_as(
            Some(&token(Role::Admin, None, vec![])),
            TRANSITION,
            json!({ "id": Uuid::new_v4().to_string(), "v": 1, "to": "FORMING" }),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND");
}
