//! Who may see what: every role against every field with personal data, and the token errors.

use crate::helpers::{SECRET, TestApp, spawn_signing_app, token};
use haven::auth::{Authenticator, Claims, Role};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// "ok", or the error code of the first error.
pub fn outcome(resp: &Value) -> String {
    match resp["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => {
            assert!(resp.get("errors").is_none(), "{resp}");
            "ok".into()
        }
    }
}

pub struct World {
    pub group: Value,
    pub network: Uuid,
    pub city: Uuid,
    pub other_city: Uuid,
    pub other_group: Uuid,
    pub member: Uuid,
}

pub async fn world(app: &TestApp) -> World {
    let admin = token(Role::Admin, None, None, None, vec![]);
    let d = app
        .graphql_as(
            Some(&admin),
            r#"{ sponsorGroups(first: 100, filter: { status: ACTIVE }) { nodes { id
                city { id network { id } } sponsorships { totalCount } memberships { nodes { volunteer { id } } } } } }"#,
            json!({}),
        )
        .await;
    let groups = d["data"]["sponsorGroups"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let group = groups
        .iter()
        .find(|g| g["sponsorships"]["totalCount"].as_i64() > Some(0))
        .unwrap()
        .clone();
    let other = groups
        .iter()
        .find(|g| g["city"]["id"] != group["city"]["id"])
        .unwrap();
    let id = |v: &Value| v.as_str().unwrap().parse::<Uuid>().unwrap();
    World {
        network: id(&group["city"]["network"]["id"]),
        city: id(&group["city"]["id"]),
        other_city: id(&other["city"]["id"]),
        other_group: id(&other["id"]),
        member: id(&group["memberships"]["nodes"][0]["volunteer"]["id"]),
        group,
    }
}

#[tokio::test]
async fn every_role_against_every_personal_field() {
    let app = spawn_signing_app().await;
    let w = world(&app).await;
    let g = id_of(&w.group);
    let viewers: Vec<(&str, Option<String>)> = vec![
        ("anonymous", None),
        (
            "member",
            Some(token(Role::Member, Some(w.member), None, None, vec![g])),
        ),
        (
            "member elsewhere",
            Some(token(Role::Member, None, None, None, vec![w.other_group])),
        ),
        (
            "lead",
            Some(token(Role::GroupLead, None, None, None, vec![g])),
        ),
        (
            "city coordinator",
            Some(token(
                Role::CityCoordinator,
                None,
                None,
                Some(w.city),
                vec![],
            )),
        ),
        (
            "other city coordinator",
            Some(token(
                Role::CityCoordinator,
                None,
                None,
                Some(w.other_city),
                vec![],
            )),
        ),
        (
            "network coordinator",
            Some(token(
                Role::NetworkCoordinator,
                None,
                Some(w.network),
                None,
                vec![],
            )),
        ),
        ("admin", Some(token(Role::Admin, None, None, None, vec![]))),
    ];
    let on_group = |sel: &str| format!("query($id: ID!) {{ sponsorGroup(id: $id) {{ {sel} }} }}");
    // field, query, expected outcome per viewer (in the order above)
    let table: Vec<(&str, String, [&str; 8], &[&str])> = vec![
        (
            "public group data",
            on_group("name memberCount"),
            ["ok"; 8],
            &["name", "memberCount"],
        ),
        (
            "memberships",
            on_group("memberships { nodes { role vogStatus } }"),
            [
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
            ],
            &["role", "vogStatus"],
        ),
        (
            "member names",
            on_group("memberships { nodes { volunteer { displayName } } }"),
            [
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
            ],
            &["displayName"],
        ),
        (
            "contact details",
            on_group("memberships(first: 100) { nodes { volunteer { id email phone } } }"),
            [
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok",
            ],
            &["email"],
        ),
        (
            "sponsorships",
            on_group("sponsorships { nodes { status milestones { kind } } }"),
            [
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
            ],
            &["status", "kind"],
        ),
        (
            "households",
            on_group("sponsorships { nodes { household { pseudonym householdSize } } }"),
            [
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
            ],
            &["pseudonym", "householdSize"],
        ),
        (
            "contributions",
            on_group("contributions { nodes { hours note volunteer { displayName } } }"),
            [
                "FORBIDDEN",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
                "FORBIDDEN",
                "ok",
                "ok",
            ],
            &["hours", "displayName"],
        ),
        (
            "partner register",
            "{ partnerOrganisations { name } }".into(),
            [
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok",
            ],
            &["name"],
        ),
        (
            "me",
            "{ me { displayName memberships { totalCount } } }".into(),
            [
                "UNAUTHENTICATED",
                "ok",
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
            ],
            &["displayName", "totalCount"],
        ),
    ];
    let mut failures = Vec::new();
    for (field, query, expected, guarded) in &table {
        for ((who, tok), want) in viewers.iter().zip(expected) {
            let resp = app
                .graphql_as(tok.as_deref(), query, json!({ "id": w.group["id"] }))
                .await;
            let got = outcome(&resp);
            if got != *want {
                failures.push(format!("{field} as {who}: expected {want}, got {got}"));
            }
            // Both sides of the cell: a refusal leaks none of the guarded values, an allowed
            // read really returns some.
            // (A volunteer's own data is theirs to see: it does not count as shown.)
            let own = (*who == "member").then(|| w.member.to_string());
            let mut seen = Vec::new();
            guarded_values(&resp["data"], guarded, own.as_deref(), &mut seen);
            let shown = seen.iter().any(|v| !v.is_null());
            if *want == "ok" && !shown {
                failures.push(format!(
                    "{field} as {who}: allowed, but no {guarded:?} came back"
                ));
            }
            if *want != "ok" && shown {
                failures.push(format!(
                    "{field} as {who}: refused, yet {guarded:?} came back"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every value under one of `keys`, anywhere in `v`, except inside the object with id `own`.
fn guarded_values<'a>(v: &'a Value, keys: &[&str], own: Option<&str>, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(map) if own.is_some() && map.get("id").and_then(Value::as_str) == own => {}
        Value::Object(map) => {
            for (k, child) in map {
                if keys.contains(&k.as_str()) {
                    out.push(child);
                }
                guarded_values(child, keys, own, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| guarded_values(i, keys, own, out)),
        _ => {}
    }
}

pub fn id_of(v: &Value) -> Uuid {
    v["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_sponsorship_of_another_group_is_forbidden() {
    let app = spawn_signing_app().await;
    let w = world(&app).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let d = app
        .graphql_as(
            Some(&admin),
            "query($id: ID!) { sponsorGroup(id: $id) { sponsorships { nodes { id } } } }",
            json!({ "id": w.group["id"] }),
        )
        .await;
    let sid = d["data"]["sponsorGroup"]["sponsorships"]["nodes"][0]["id"].clone();
    let q = "query($id: ID!) { sponsorship(id: $id) { status group { name } } }";
    let own = token(Role::Member, None, None, None, vec![id_of(&w.group)]);
    let other = token(Role::Member, None, None, None, vec![w.other_group]);
    assert_eq!(
        outcome(&app.graphql_as(Some(&own), q, json!({ "id": sid })).await),
        "ok"
    );
    assert_eq!(
        outcome(&app.graphql_as(Some(&other), q, json!({ "id": sid })).await),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn bad_tokens_are_unauthenticated() {
    let app = spawn_signing_app().await;
    let q = "{ cities(first: 1) { totalCount } }";
    let wrong = Authenticator::new(Some("another secret"), None).unwrap();
    let forged = wrong
        .issue(Claims::new(Role::Admin), Duration::from_secs(600))
        .unwrap();
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({ "role": "ADMIN", "iat": 1, "exp": 2 }),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    for (what, tok) in [
        ("forged", forged),
        ("expired", expired),
        ("malformed", "not.a.token".to_owned()),
    ] {
        let resp = app.graphql_as(Some(&tok), q, json!({})).await;
        assert_eq!(outcome(&resp), "UNAUTHENTICATED", "{what}: {resp}");
        assert!(resp["data"].is_null(), "{what}: nothing is answered");
    }
    // No header: anonymous, and public data is there.
    assert_eq!(outcome(&app.graphql_as(None, q, json!({})).await), "ok");
}

#[test]
fn the_token_command_prints_a_token_the_service_accepts() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args([
            "token",
            "--role",
            "CITY_COORDINATOR",
            "--city",
            "3f1c1f6e-0000-4000-8000-000000000001",
            "--ttl",
            "15m",
        ])
        .env("HAVEN_JWT_SECRET", SECRET)
        .env("HAVEN_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tok = String::from_utf8(out.stdout).unwrap();
    let viewer = Authenticator::new(Some(SECRET), None)
        .unwrap()
        .viewer(Some(&format!("Bearer {}", tok.trim())))
        .unwrap();
    assert_eq!(viewer.role(), Some(Role::CityCoordinator));
}

#[tokio::test]
async fn entities_check_rows_for_signed_in_viewers_of_each_kind() {
    let app = spawn_signing_app().await;
    let w = world(&app).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let d = app
        .graphql_as(
            Some(&admin),
            "query($id: ID!) { sponsorGroup(id: $id) {
                memberships { nodes { id volunteer { id } } }
                sponsorships { nodes { id household { id } milestones { id } } } } }",
            json!({ "id": w.group["id"] }),
        )
        .await;
    let g = &d["data"]["sponsorGroup"];
    let s = &g["sponsorships"]["nodes"][0];
    let rows = [
        ("Membership", g["memberships"]["nodes"][0]["id"].clone()),
        ("Sponsorship", s["id"].clone()),
        ("NewcomerHousehold", s["household"]["id"].clone()),
        ("Milestone", s["milestones"][0]["id"].clone()),
    ];
    let group: Uuid = id_of(&w.group);
    // A member of the group sees its rows (not its households); a member of another group, a
    // lead of another group and a coordinator of another town are refused at the row, not at
    // "signed in?".
    let viewers = [
        (
            "member of the group",
            token(Role::Member, Some(w.member), None, None, vec![group]),
            true,
        ),
        (
            "member of another group",
            token(Role::Member, None, None, None, vec![w.other_group]),
            false,
        ),
        (
            "lead of another group",
            token(Role::GroupLead, None, None, None, vec![w.other_group]),
            false,
        ),
        (
            "coordinator of another town",
            token(
                Role::CityCoordinator,
                None,
                None,
                Some(w.other_city),
                vec![],
            ),
            false,
        ),
        ("admin", admin.clone(), true),
    ];
    let mut failures = Vec::new();
    for (t, id) in &rows {
        assert!(id.is_string(), "{t} in the fixture: {d}");
        let q = format!(
            "query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {t} {{ id }} }} }}"
        );
        for (who, tok, sees_group) in &viewers {
            // Households are for coordinators and administrators only, as in the field table.
            let allowed =
                *sees_group && !(*t == "NewcomerHousehold" && *who == "member of the group");
            let resp = app
                .graphql_as(
                    Some(tok),
                    &q,
                    json!({ "r": [{ "__typename": t, "id": id }] }),
                )
                .await;
            let got = outcome(&resp);
            let shown = resp["data"]["_entities"][0]["id"] == *id;
            let ok = if allowed {
                got == "ok" && shown
            } else {
                got == "FORBIDDEN" && !shown
            };
            if !ok {
                failures.push(format!("{t} as {who}: {resp}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
