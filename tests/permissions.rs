//! Who may see what: every role against every field with personal data, and the token errors.

use crate::fixture::{VIEWERS, ask, fixture_app, partner_key};
use crate::helpers::{SECRET, TestApp, spawn_signing_app, token};
use crate::viewers::{F, OK, Row, U};
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
        other_group: id(&other["id"]),
        member: id(&group["memberships"]["nodes"][0]["volunteer"]["id"]),
        group,
    }
}

/// A group's inner life: its members and leads, its town's and network's coordinators.
const MEMBERS: Row = [F, F, OK, F, OK, F, OK, F, OK, F, OK];
/// Members' contact details: the group's leads.
const CONTACTS: Row = [F, F, F, F, OK, F, F, F, F, F, OK];
/// Households: the coordinators of their town or network.
const HOUSEHOLDS: Row = [F, F, F, F, F, F, OK, F, OK, F, OK];
/// The other network's group, seen by the same viewers: only its own coordinator.
const FAR: Row = [F, F, F, F, F, F, F, F, F, OK, OK];
const ADMIN: Row = [F, F, F, F, F, F, F, F, F, F, OK];
/// Any volunteer who signs in as themselves (coordinators' and administrators' test tokens
/// name no volunteer).
const OWN: Row = [U, U, OK, OK, OK, OK, U, U, U, U, U];

#[tokio::test]
async fn every_role_against_every_personal_field() {
    let (app, f) = fixture_app().await;
    let key = partner_key(&app).await;
    // One audited change, so that the audit log has an entry to show.
    let rename = r#"mutation($g: ID!) { updateSponsorGroup(id: $g, expectedVersion: 1, input: { name: "Audited" }) { id } }"#;
    let r = ask(&app, &key, "lead", &f, rename, json!({ "g": f.g })).await;
    assert_eq!(outcome(&r), OK, "{r}");

    let on = |sel: &str| format!("query($id: ID!) {{ sponsorGroup(id: $id) {{ {sel} }} }}");
    // field, query, the group or row it asks about, outcome per viewer, the guarded keys
    let table: Vec<(&str, String, Uuid, Row, &[&str])> = vec![
        (
            "public group data",
            on("name memberCount"),
            f.g,
            [OK; 11],
            &["name", "memberCount"],
        ),
        (
            "memberships",
            on("memberships { nodes { role vogStatus } }"),
            f.g,
            MEMBERS,
            &["role", "vogStatus"],
        ),
        (
            "member names",
            on("memberships { nodes { volunteer { displayName } } }"),
            f.g,
            MEMBERS,
            &["displayName"],
        ),
        (
            "contact details",
            on("memberships { nodes { volunteer { id email phone } } }"),
            f.g,
            CONTACTS,
            &["email"],
        ),
        (
            "sponsorships",
            on("sponsorships { nodes { status milestones { kind } } }"),
            f.g,
            MEMBERS,
            &["status", "kind"],
        ),
        (
            "households",
            on("sponsorships { nodes { household { pseudonym householdSize } } }"),
            f.g,
            HOUSEHOLDS,
            &["pseudonym", "householdSize"],
        ),
        (
            "contributions",
            on("contributions { nodes { hours note volunteer { displayName } } }"),
            f.g,
            MEMBERS,
            &["hours", "displayName"],
        ),
        (
            "a sponsorship by id",
            "query($id: ID!) { sponsorship(id: $id) { status endReason } }".into(),
            f.active,
            MEMBERS,
            &["status"],
        ),
        (
            "a sponsorship's household by id",
            "query($id: ID!) { sponsorship(id: $id) { household { pseudonym } } }".into(),
            f.active,
            HOUSEHOLDS,
            &["pseudonym"],
        ),
        (
            "a sponsorship's contributions",
            "query($id: ID!) { sponsorship(id: $id) { contributions { nodes { hours } } } }".into(),
            f.active,
            MEMBERS,
            &["hours"],
        ),
        (
            "the other network's members",
            on("memberships { nodes { role volunteer { displayName } } }"),
            f.far_g,
            FAR,
            &["role", "displayName"],
        ),
        (
            "the partner register",
            "{ partnerOrganisations { name } }".into(),
            f.g,
            ADMIN,
            &["name"],
        ),
        (
            "the audit log",
            "{ auditLog(first: 100) { nodes { actorRole operation entityId } } }".into(),
            f.g,
            ADMIN,
            &["operation"],
        ),
        (
            "me",
            "{ me { displayName email memberships { totalCount } } }".into(),
            f.g,
            OWN,
            &["displayName", "email", "totalCount"],
        ),
        (
            "my data",
            "{ exportMyData }".into(),
            f.g,
            OWN,
            &["exportMyData"],
        ),
    ];
    let mut failures = Vec::new();
    for (field, query, id, expected, guarded) in &table {
        for (who, want) in VIEWERS.iter().zip(expected) {
            let resp = ask(&app, &key, who, &f, query, json!({ "id": id })).await;
            let got = outcome(&resp);
            if got != *want {
                failures.push(format!("{field} as {who}: expected {want}, got {got}"));
            }
            // Both sides of the cell: a refusal leaks none of the guarded values, an allowed
            // read really returns some. (A volunteer's own data is theirs to see: it does not
            // count as shown.)
            let own = match *who {
                "member" => Some(f.m.to_string()),
                "lead" => Some(f.l.to_string()),
                _ => None,
            };
            let mut seen = Vec::new();
            guarded_values(&resp["data"], guarded, own.as_deref(), &mut seen);
            let shown = seen.iter().any(|v| !v.is_null());
            if *want == OK && !shown {
                failures.push(format!(
                    "{field} as {who}: allowed, but no {guarded:?} came back"
                ));
            }
            if *want != OK && shown {
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
async fn entities_check_rows_for_every_viewer() {
    use haven_entities::{membership, partner_organisation};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (app, f) = fixture_app().await;
    let key = partner_key(&app).await;
    let db = app.state.db();
    let far_membership = membership::Entity::find()
        .filter(membership::Column::VolunteerId.eq(f.far_m))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let partner = partner_organisation::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    /// Only the volunteer themselves (the member's own row) and administrators.
    const SELF: Row = [F, F, OK, F, F, F, F, F, F, F, OK];
    // Every entity type of the schema, by id; the rows with personal data are refused at the
    // row (not at "signed in?") to every signed-in viewer outside their group, town or network.
    let rows: [(&str, Uuid, Row); 14] = [
        ("SponsorshipNetwork", f.network.id, [OK; 11]),
        ("City", f.city.id, [OK; 11]),
        ("SponsorGroup", f.g, [OK; 11]),
        ("CorporateSponsor", f.sponsor, [OK; 11]),
        ("SponsorCommitment", f.commitment, [OK; 11]),
        ("Membership", f.m_membership, MEMBERS),
        ("Membership", far_membership, FAR),
        ("Sponsorship", f.active, MEMBERS),
        ("Milestone", f.milestone, MEMBERS),
        ("Contribution", f.l_contribution, MEMBERS),
        ("NewcomerHousehold", f.household, HOUSEHOLDS),
        ("Volunteer", f.m, SELF),
        ("Volunteer", f.far_m, ADMIN),
        ("PartnerOrganisation", partner, ADMIN),
    ];
    // The schema's entity types are all here, so that a new one cannot skip this table.
    let sdl = haven::graphql::export_sdl();
    let entities: Vec<&str> = sdl
        .lines()
        .filter(|l| l.starts_with("type ") && l.contains("@key"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(entities.len(), 12, "{entities:?}");
    for t in entities {
        assert!(rows.iter().any(|(r, ..)| *r == t), "no row for {t}");
    }
    let mut failures = Vec::new();
    for (t, id, expected) in &rows {
        let q = format!(
            "query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {t} {{ id }} }} }}"
        );
        let r = json!({ "r": [{ "__typename": t, "id": id }] });
        for (who, want) in VIEWERS.iter().zip(expected) {
            let resp = ask(&app, &key, who, &f, &q, r.clone()).await;
            let got = outcome(&resp);
            let shown = resp["data"]["_entities"][0]["id"] == id.to_string();
            if got != *want || shown != (*want == OK) {
                failures.push(format!("{t} {id} as {who}: expected {want}, got {resp}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
