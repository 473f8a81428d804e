//! Batching: a query costs one statement per level, alone and among concurrent copies, and
//! nested totals counted with their page agree with the root count.

use crate::helpers::{TestApp, spawn_app_with};
use chrono::{NaiveDate, TimeZone, Utc};
use haven_entities::enums::*;
use haven_entities::{city, membership, sponsor_group, sponsorship_network, volunteer};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

/// A network of 60 towns with 630 groups (1 to 20 per town) and two members each.
async fn seed_wide(app: &TestApp) -> Uuid {
    let db = app.state.db();
    let at = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let network = Uuid::new_v4();
    let net = sponsorship_network::Model {
        id: network,
        slug: "wide".into(),
        name: "Wide network".into(),
        description: "test".into(),
        country_code: "NL".into(),
        website: None,
        founded_on: None,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    haven::seed::insert_all(db, vec![net], 10).await.unwrap();
    let (mut cities, mut groups, mut people, mut members) = (vec![], vec![], vec![], vec![]);
    for i in 0..60 {
        let city_id = Uuid::new_v4();
        cities.push(city::Model {
            id: city_id,
            network_id: network,
            name: format!("Wide town {i:02}"),
            cbs_code: format!("GM{:04}", 5000 + i),
            province: Province::Utrecht,
            kind: CityKind::Village,
            status: CityStatus::Active,
            joined_on: Some(day),
            created_at: at,
            updated_at: at,
            version: 1,
        });
        for j in 0..(i % 20) + 1 {
            let group_id = Uuid::new_v4();
            groups.push(sponsor_group::Model {
                id: group_id,
                city_id,
                name: format!("Group {i:02}-{j:02}"),
                variant: SponsorshipVariant::StatusHolder,
                status: GroupStatus::Active,
                origin: GroupOrigin::Neighbours,
                formed_on: day,
                created_at: at,
                updated_at: at,
                version: 1,
            });
            for k in 0..2 {
                let vid = Uuid::new_v4();
                people.push(volunteer::Model {
                    id: vid,
                    display_name: format!("Person {i}-{j}-{k}"),
                    email: format!("p{i}-{j}-{k}@example.org"),
                    phone: None,
                    languages: vec!["nl".to_owned()].into(),
                    skills: Default::default(),
                    created_at: at,
                    updated_at: at,
                    version: 1,
                    erased_at: None,
                });
                members.push(membership::Model {
                    id: Uuid::new_v4(),
                    group_id,
                    volunteer_id: vid,
                    role: MembershipRole::Member,
                    joined_on: day,
                    left_on: None,
                    vog_status: VogStatus::Received,
                    training_completed_on: None,
                    created_at: at,
                    updated_at: at,
                    version: 1,
                });
            }
        }
    }
    haven::seed::insert_all(db, cities, 11).await.unwrap();
    haven::seed::insert_all(db, groups, 10).await.unwrap();
    haven::seed::insert_all(db, people, 9).await.unwrap();
    haven::seed::insert_all(db, members, 11).await.unwrap();
    network
}

const WIDE: &str = "query($n: Int) { networks { nodes { cities(first: 50) { nodes { name
    sponsorGroups(first: $n) { totalCount nodes { name memberCount city { cbsCode } } } } } } } }";

#[tokio::test]
async fn a_deep_query_over_50_towns_and_500_groups_costs_four_statements() {
    let app = spawn_app_with(|c| {
        c.debug_stats = true;
        c.seed_demo = false;
    })
    .await;
    seed_wide(&app).await;
    for n in [10, 5] {
        let resp = app.graphql(WIDE, json!({ "n": n })).await;
        assert!(resp.get("errors").is_none(), "{resp:#}");
        let towns = resp["data"]["networks"]["nodes"][0]["cities"]["nodes"]
            .as_array()
            .unwrap();
        assert_eq!(towns.len(), 50);
        let mut groups = 0;
        for t in towns {
            let g = &t["sponsorGroups"];
            let total = g["totalCount"].as_u64().unwrap();
            let nodes = g["nodes"].as_array().unwrap();
            assert_eq!(nodes.len() as u64, total.min(n), "{t:#}");
            for node in nodes {
                assert_eq!(node["memberCount"], 2);
                assert!(
                    node["name"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("Group {}", &t["name"].as_str().unwrap()[10..]))
                );
            }
            groups += nodes.len();
        }
        assert!(groups > 200, "many groups visited: {groups}");
        let statements = resp["extensions"]["sqlStatements"].as_u64().unwrap();
        // Networks, towns per network, groups per town with their count, member counts.
        assert_eq!(statements, 4, "first: {n}");
    }
}

/// Four levels: towns, their groups, the groups' members, each member's volunteer.
const FOUR_LEVELS: &str = "query($net: ID!) { network(id: $net) { cities(first: 60) {
    nodes { name sponsorGroups(first: 20) { nodes { name memberships(first: 5) {
    nodes { role volunteer { displayName } } } } } } } } }";

// Multi-threaded, so that the 16 copies really run at once on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_level_of_a_query_costs_one_statement_also_with_16_at_once() {
    let app = spawn_app_with(|c| {
        c.debug_stats = true;
        c.seed_demo = false;
        c.jwt_secret = Some(haven::config::Secret(crate::helpers::SECRET.into()));
        // The entity cache would answer the by-id levels of the repeats: here each level's
        // batch is counted (`cache.rs` counts what the cache saves).
        c.cache = false;
    })
    .await;
    let net = seed_wide(&app).await;
    let admin = crate::helpers::token(haven::auth::Role::Admin, None, None, None, vec![]);
    let run = || async {
        let resp = app
            .graphql_as(Some(&admin), FOUR_LEVELS, json!({ "net": net }))
            .await;
        assert!(resp.get("errors").is_none(), "{resp:#}");
        let towns = resp["data"]["network"]["cities"]["nodes"]
            .as_array()
            .unwrap();
        let groups: Vec<&Value> = towns
            .iter()
            .flat_map(|t| t["sponsorGroups"]["nodes"].as_array().unwrap())
            .collect();
        let people = groups
            .iter()
            .flat_map(|g| g["memberships"]["nodes"].as_array().unwrap())
            .filter(|m| m["volunteer"]["displayName"].is_string())
            .count();
        assert_eq!((towns.len(), groups.len(), people), (60, 630, 1260));
        resp["extensions"]["sqlStatements"].as_u64().unwrap()
    };
    // The network, its towns, their groups, the memberships, the volunteers.
    assert_eq!(run().await, 5, "alone");
    let counts = futures_util::future::join_all((0..16).map(|_| run())).await;
    assert_eq!(counts, vec![5; 16], "16 at once");
}
#[tokio::test]
async fn nested_totals_counted_with_their_page_match_the_filtered_count() {
    let app = spawn_app_with(|c| c.debug_stats = true).await;
    // A town that has just joined, without groups yet (every demo town has some).
    let db = app.state.db();
    let network = sponsorship_network::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let empty_town = city::Model {
        id: Uuid::new_v4(),
        network_id: network.id,
        name: "Nieuwdorp".into(),
        cbs_code: "GM9999".into(),
        province: Province::Zeeland,
        kind: CityKind::Village,
        status: CityStatus::Launching,
        joined_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    crate::fixture::put(&app, empty_town).await;
    let resp = app
        .graphql(
            "{ cities(first: 100) { nodes { id sponsorGroups(first: 1) { totalCount nodes { id } } } } }",
            json!({}),
        )
        .await;
    // The towns, then their groups' pages and counts in one statement.
    assert_eq!(resp["extensions"]["sqlStatements"], 2, "{resp}");
    let towns = resp["data"]["cities"]["nodes"].as_array().unwrap();
    let mut empty = 0;
    for t in towns {
        let nested = t["sponsorGroups"]["totalCount"].as_u64().unwrap();
        let root = app
            .data(
                "query($c: ID) { sponsorGroups(filter: { cityId: $c }) { totalCount } }",
                json!({ "c": t["id"] }),
            )
            .await;
        assert_eq!(
            nested,
            root["sponsorGroups"]["totalCount"].as_u64().unwrap(),
            "{t}"
        );
        let shown = t["sponsorGroups"]["nodes"].as_array().unwrap().len() as u64;
        assert_eq!(shown, nested.min(1), "{t}");
        empty += usize::from(nested == 0);
    }
    assert!(
        empty > 0 && empty < towns.len(),
        "towns with and without groups: {empty}"
    );
}
