//! haven as an Apollo Federation v2 subgraph: the SDL it serves and `_entities` resolution.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::{Value, json};

const ENTITIES: &str = "query($r: [_Any!]!) { _entities(representations: $r) { __typename
    ... on City { cbsCode name } ... on SponsorGroup { name } ... on CorporateSponsor { kvkNumber name } } }";

#[tokio::test]
async fn service_sdl_is_schema_graphql() {
    let app = spawn_app().await;
    let d = app.data("{ _service { sdl } }", json!({})).await;
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).unwrap();
    assert_eq!(d["_service"]["sdl"].as_str().unwrap(), committed);
}

#[tokio::test]
async fn a_hundred_mixed_representations_cost_one_statement_per_type_and_key() {
    let app = spawn_app_with(|c| c.debug_stats = true).await;
    let d = app
        .data(
            "{ cities(first: 50) { nodes { id cbsCode name } } sponsorGroups(first: 60) { nodes { id name } }
               corporateSponsors(first: 15) { nodes { id kvkNumber name } } }",
            json!({}),
        )
        .await;
    let cities = d["cities"]["nodes"].as_array().unwrap();
    let groups = d["sponsorGroups"]["nodes"].as_array().unwrap();
    let sponsors = d["corporateSponsors"]["nodes"].as_array().unwrap();

    // Representations and what each must resolve to (`Null` for unknown keys).
    let mut reps = Vec::new();
    let mut expected = Vec::new();
    for i in 0..100 {
        let (rep, want) = match i % 6 {
            0 => {
                let c = &cities[i % cities.len()];
                (
                    json!({ "__typename": "City", "id": c["id"] }),
                    json!({ "__typename": "City", "cbsCode": c["cbsCode"], "name": c["name"] }),
                )
            }
            1 => {
                let c = &cities[(i * 7) % cities.len()];
                (
                    json!({ "__typename": "City", "cbsCode": c["cbsCode"] }),
                    json!({ "__typename": "City", "cbsCode": c["cbsCode"], "name": c["name"] }),
                )
            }
            2 => {
                let g = &groups[i % groups.len()];
                (
                    json!({ "__typename": "SponsorGroup", "id": g["id"] }),
                    json!({ "__typename": "SponsorGroup", "name": g["name"] }),
                )
            }
            3 => {
                let s = &sponsors[i % sponsors.len()];
                (
                    json!({ "__typename": "CorporateSponsor", "kvkNumber": s["kvkNumber"] }),
                    json!({ "__typename": "CorporateSponsor", "kvkNumber": s["kvkNumber"], "name": s["name"] }),
                )
            }
            4 => (
                json!({ "__typename": "City", "cbsCode": format!("GM9{i:03}") }),
                Value::Null,
            ),
            _ => (
                json!({ "__typename": "SponsorGroup", "id": uuid::Uuid::new_v4().to_string() }),
                Value::Null,
            ),
        };
        reps.push(rep);
        expected.push(want);
    }
    let resp = app.graphql(ENTITIES, json!({ "r": reps })).await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    let got = resp["data"]["_entities"].as_array().unwrap();
    assert_eq!(got.len(), 100);
    for (i, (g, w)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, w, "representation {i}: {}", reps[i]);
    }
    // Cities by id, cities by CBS code, groups by id, sponsors by KvK number.
    let statements = resp["extensions"]["sqlStatements"].as_u64().unwrap();
    assert_eq!(statements, 4);
}

#[tokio::test]
async fn a_malformed_representation_is_bad_user_input() {
    let app = spawn_app().await;
    // (A key of the right shape that cannot match, such as an id that is not a UUID, is null
    // instead: see `hostile::entities_with_keys_that_cannot_match_resolve_to_null`.)
    for rep in [
        json!({ "__typename": "City" }),
        json!({ "id": "no typename" }),
        json!({ "__typename": "NoSuchType", "id": "x" }),
        json!(42),
    ] {
        let code = app.error_code(ENTITIES, json!({ "r": [rep] })).await;
        assert_eq!(code, "BAD_USER_INPUT", "{rep}");
    }
}

#[tokio::test]
async fn entities_obey_the_same_permissions() {
    let app = spawn_app().await;
    let any = uuid::Uuid::new_v4().to_string();
    for t in [
        "Volunteer",
        "Membership",
        "NewcomerHousehold",
        "Sponsorship",
        "Milestone",
    ] {
        let q = format!(
            "query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {t} {{ id }} }} }}"
        );
        let code = app
            .error_code(&q, json!({ "r": [{ "__typename": t, "id": any }] }))
            .await;
        assert_eq!(code, "FORBIDDEN", "{t}");
    }
}

/// The Node project with Apollo's composition library and gateway, or `None` (with a notice)
/// when its packages are not installed. CI installs them and sets HAVEN_REQUIRE_NODE_CHECKS, so
/// there a missing install fails instead of skipping.
fn node_checks() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/federation");
    if dir.join("node_modules/@apollo/gateway").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("HAVEN_REQUIRE_NODE_CHECKS").is_none(),
        "Node checks required but not installed: npm ci --prefix tests/federation"
    );
    eprintln!("skipped: the Node federation checks need `npm ci --prefix tests/federation`");
    None
}

#[tokio::test]
async fn schema_composes_with_apollo_composition() {
    let Some(dir) = node_checks() else { return };
    // Both variants must compose: the default, and the one for routers that enforce scopes.
    let variant = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(variant.path(), haven::graphql::export_sdl_router_auth()).unwrap();
    let out = tokio::process::Command::new("node")
        .arg("compose.mjs")
        .arg("../../schema.graphql")
        .arg(variant.path())
        .current_dir(&dir)
        .output()
        .await
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "composition failed:\n{text}");
    assert_eq!(
        text.matches("composed with the test subgraph").count(),
        2,
        "{text}"
    );
}

#[test]
fn router_auth_variant_requires_scopes_on_every_personal_field() {
    let default = haven::graphql::export_sdl();
    let variant = haven::graphql::export_sdl_router_auth();
    assert!(
        !default.contains("@requiresScopes("),
        "the default SDL applies no enterprise directive"
    );
    let guarded: Vec<_> = haven::graphql::router_auth::guarded_fields().collect();
    assert_eq!(
        variant.matches("@requiresScopes(").count(),
        guarded.len(),
        "each guarded field found once"
    );
    let mut current = "";
    let mut seen = Vec::new();
    for line in variant.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("type ") {
            current = rest.split([' ', '{']).next().unwrap();
        }
        if t.contains("@requiresScopes(") {
            let field = t.split(['(', ':']).next().unwrap().trim();
            assert!(
                t.contains("\"ADMIN\""),
                "administrators may read everything: {t}"
            );
            seen.push((current, field));
        }
    }
    let mut want = guarded.clone();
    want.sort();
    seen.sort();
    assert_eq!(seen, want);
    // The roles are those the policy lets through somewhere: households are for coordinators
    // and up, not members or leads; contact details also for a member (their own, via `me`,
    // which the router must not refuse before haven checks whose they are).
    let line = |field: &str| {
        variant
            .lines()
            .find(|l| l.trim_start().starts_with(field) && l.contains("@requiresScopes"))
            .unwrap()
            .to_owned()
    };
    let household = line("household:");
    assert!(
        household.contains("CITY_COORDINATOR") && !household.contains("GROUP_LEAD"),
        "{household}"
    );
    let email = line("email:");
    assert!(email.contains("\"MEMBER\""), "{email}");
}

#[test]
fn federation_directives_mark_shared_and_partner_fields() {
    let sdl = haven::graphql::export_sdl();
    let line = |ty: &str, field: &str| -> String {
        let start = sdl
            .find(&format!("type {ty} "))
            .unwrap_or_else(|| panic!("type {ty}"));
        let body = &sdl[start..start + sdl[start..].find("\n}").unwrap()];
        body.lines()
            .find(|l| l.trim_start().starts_with(&format!("{field}:")))
            .unwrap_or_else(|| panic!("{ty}.{field}"))
            .to_owned()
    };
    assert!(line("City", "name").contains("@shareable"));
    assert!(line("CorporateSponsor", "name").contains("@shareable"));
    assert!(line("City", "province").contains("@tag(name: \"partner\")"));
    assert!(sdl.contains("enum SponsorshipVariant @tag(name: \"partner\")"));
    assert!(sdl.contains("type CorporateSponsor @key(fields: \"id\") @key(fields: \"kvkNumber\")"));
    for ty in [
        "SponsorshipNetwork",
        "City",
        "SponsorGroup",
        "Volunteer",
        "Membership",
        "NewcomerHousehold",
        "Sponsorship",
        "Milestone",
        "Contribution",
        "CorporateSponsor",
        "SponsorCommitment",
        "PartnerOrganisation",
    ] {
        assert!(
            sdl.contains(&format!("type {ty} @key(fields: \"id\")")),
            "{ty} is an entity keyed by id"
        );
    }
    // Personal data carries no partner tag.
    assert!(!line("Volunteer", "email").contains("@tag"));
}

#[tokio::test]
async fn apollo_gateway_answers_queries_across_both_subgraphs() {
    let Some(dir) = node_checks() else { return };
    let app = spawn_app().await;
    // Async process: the app serves from this test's runtime while the gateway queries it.
    let run = tokio::process::Command::new("node")
        .arg("gateway.mjs")
        .arg(app.url("/graphql"))
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("gateway check finishes within 2 minutes")
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "gateway check failed:\n{text}");
    assert!(text.contains("answered correctly"), "{text}");
}

#[tokio::test]
async fn the_routers_supergraph_is_composed_from_schema_graphql() {
    let Some(dir) = node_checks() else { return };
    let out = tokio::process::Command::new("node")
        .arg("supergraph.mjs")
        .arg("../../schema.graphql")
        .current_dir(&dir)
        .output()
        .await
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(dir.join("../../deploy/supergraph.graphql")).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "deploy/supergraph.graphql is stale: cd tests/federation && node supergraph.mjs ../../schema.graphql > ../../deploy/supergraph.graphql"
    );
}
