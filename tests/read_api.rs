//! The read contract: stable keyset paging under inserts, filters and orders, companies and
//! their delivered hours, and the fields that stay closed to anonymous viewers.

use crate::helpers::spawn_app;
use chrono::Utc;
use haven_entities::enums::*;
use haven_entities::sponsor_group;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[tokio::test]
async fn walking_all_groups_while_rows_are_inserted_sees_each_once() {
    let app = spawn_app().await;
    let q = "query($after: String) { sponsorGroups(first: 7, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { id name } } }";
    let before: HashSet<String> = {
        let all = app
            .data("{ sponsorGroups(first: 100) { nodes { id } } }", json!({}))
            .await;
        all["sponsorGroups"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let town = app
        .data("{ city(cbsCode: \"GM0363\") { id } }", json!({}))
        .await;
    let town: Uuid = town["city"]["id"].as_str().unwrap().parse().unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut after = Value::Null;
    let mut page = 0;
    loop {
        let d = app.data(q, json!({ "after": after })).await;
        let c = &d["sponsorGroups"];
        seen.extend(
            c["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned()),
        );
        if c["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
        // Between pages, groups appear both before and after the cursor in name order.
        let at = Utc::now();
        let new =
            ["Aaa inserted", "Mmm inserted", "Zzz inserted"].map(|prefix| sponsor_group::Model {
                id: Uuid::new_v4(),
                city_id: town,
                name: format!("{prefix} {page}"),
                variant: SponsorshipVariant::Resettlement,
                status: GroupStatus::Interested,
                origin: GroupOrigin::Other,
                formed_on: at.date_naive(),
                created_at: at,
                updated_at: at,
                version: 1,
            });
        haven::seed::insert_all(app.state.db(), new.to_vec(), 10)
            .await
            .unwrap();
        page += 1;
        assert!(page < 100, "paging terminates");
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no group twice");
    let missing: Vec<_> = before.iter().filter(|id| !unique.contains(id)).collect();
    assert!(missing.is_empty(), "no gaps: {missing:?}");
}

#[tokio::test]
async fn group_filters_and_orders() {
    let app = spawn_app().await;
    let q = "query($f: SponsorGroupFilterInput, $o: SponsorGroupOrder) {
        sponsorGroups(filter: $f, orderBy: $o, first: 100) { totalCount nodes { name status variant formedOn city { cbsCode } } } }";
    let all = app.data(q, json!({})).await;
    let total = all["sponsorGroups"]["totalCount"].as_u64().unwrap();
    assert_eq!(
        total as usize,
        all["sponsorGroups"]["nodes"].as_array().unwrap().len()
    );

    let hague = app
        .data(q, json!({ "f": { "variant": "STUDENT_THE_HAGUE" } }))
        .await;
    let hague = hague["sponsorGroups"]["nodes"].as_array().unwrap();
    assert!(
        !hague.is_empty(),
        "the demo set has The Hague student groups"
    );
    assert!(hague.len() < total as usize);
    for g in hague {
        assert_eq!(
            g["city"]["cbsCode"], "GM0518",
            "The Hague variant only in The Hague"
        );
    }
    let active = app.data(q, json!({ "f": { "status": "ACTIVE" } })).await;
    assert_eq!(active["sponsorGroups"]["totalCount"], 14);

    let newest = app
        .data(
            q,
            json!({ "o": { "field": "FORMED_ON", "direction": "DESC" } }),
        )
        .await;
    let dates: Vec<&str> = newest["sponsorGroups"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["formedOn"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);

    let town = app
        .data(
            "{ city(cbsCode: \"GM0034\") { id sponsorGroups { totalCount } } }",
            json!({}),
        )
        .await;
    let in_town = app
        .data(q, json!({ "f": { "cityId": town["city"]["id"] } }))
        .await;
    assert_eq!(
        in_town["sponsorGroups"]["totalCount"],
        town["city"]["sponsorGroups"]["totalCount"]
    );
    let net = app
        .data(
            "{ network(slug: \"samen-hier\") { id sponsorGroups { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        net["network"]["sponsorGroups"]["totalCount"].as_u64(),
        Some(total)
    );
    let in_net = app
        .data(q, json!({ "f": { "networkId": net["network"]["id"] } }))
        .await;
    assert_eq!(in_net["sponsorGroups"]["totalCount"].as_u64(), Some(total));

    // A cursor of one ordering is refused by another.
    let by_name = app
        .data(
            "{ sponsorGroups(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = by_name["sponsorGroups"]["pageInfo"]["endCursor"].clone();
    let code = app
        .error_code(
            "query($c: String) { sponsorGroups(first: 1, after: $c, orderBy: { field: FORMED_ON }) { totalCount } }",
            json!({ "c": cursor }),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn corporate_sponsors_commitments_and_delivered_hours() {
    let app = spawn_app().await;
    let d = app
        .data(
            "{ corporateSponsors(first: 100) { totalCount nodes { id kvkNumber
                commitments { totalCount nodes { id scopeKind deliveredHours startsOn endsOn
                  scope { __typename ... on SponsorGroup { id } ... on City { id } ... on SponsorshipNetwork { id } } } } } } }",
            json!({}),
        )
        .await;
    let sponsors = d["corporateSponsors"]["nodes"].as_array().unwrap();
    assert_eq!(d["corporateSponsors"]["totalCount"], 15);
    assert_eq!(sponsors.len(), 15);

    // Recompute delivered hours from the rows themselves.
    use haven_entities::{contribution, sponsor_commitment};
    use sea_orm::EntityTrait;
    let db = app.state.db();
    let commitments: HashMap<Uuid, sponsor_commitment::Model> = sponsor_commitment::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let contributions = contribution::Entity::find().all(db).await.unwrap();
    let group_city: HashMap<Uuid, Uuid> = sponsor_group::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| (g.id, g.city_id))
        .collect();
    let (mut checked, mut nonzero) = (0, 0);
    for s in sponsors {
        for c in s["commitments"]["nodes"].as_array().unwrap() {
            let row = &commitments[&c["id"].as_str().unwrap().parse::<Uuid>().unwrap()];
            let minutes: i32 = contributions
                .iter()
                .filter(|x| x.corporate_sponsor_id == Some(row.sponsor_id))
                .filter(|x| {
                    x.contributed_on >= row.starts_on
                        && row.ends_on.is_none_or(|e| x.contributed_on <= e)
                })
                .filter(|x| match row.scope_kind {
                    ScopeKind::Group => Some(x.group_id) == row.group_id,
                    ScopeKind::City => Some(group_city[&x.group_id]) == row.city_id,
                    ScopeKind::Network => true,
                })
                .map(|x| x.minutes)
                .sum();
            let got = c["deliveredHours"].as_f64().unwrap();
            assert!(
                (got - f64::from(minutes) / 60.0).abs() < 1e-9,
                "commitment {}: {got} h",
                row.id
            );
            nonzero += usize::from(got > 0.0);
            let scope_type = c["scope"]["__typename"].as_str().unwrap();
            let expected = match row.scope_kind {
                ScopeKind::Group => "SponsorGroup",
                ScopeKind::City => "City",
                ScopeKind::Network => "SponsorshipNetwork",
            };
            assert_eq!(scope_type, expected);
            checked += 1;
        }
    }
    assert!(checked >= 15);
    assert!(
        nonzero >= 5,
        "the demo set exercises delivered hours: {nonzero} of {checked} delivered"
    );

    let kvk = sponsors[0]["kvkNumber"].as_str().unwrap();
    let one = app
        .data("query($k: String) { corporateSponsor(kvkNumber: $k) { kvkNumber contributions(first: 3) { totalCount nodes { date hours kind group { name } } } } }", json!({ "k": kvk }))
        .await;
    assert_eq!(one["corporateSponsor"]["kvkNumber"], kvk);
    let listed = app
        .data(
            "{ network(slug: \"samen-hier\") { corporateSponsors(first: 100) { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["network"]["corporateSponsors"]["totalCount"], 15,
        "every demo sponsor has a commitment in the network"
    );
}

#[tokio::test]
async fn personal_data_is_closed_to_anonymous_viewers() {
    let app = spawn_app().await;
    let g = app
        .data(
            "{ sponsorGroups(first: 1, filter: { status: ACTIVE }) { nodes { id memberCount } } }",
            json!({}),
        )
        .await;
    let group = &g["sponsorGroups"]["nodes"][0];
    assert!(
        group["memberCount"].as_i64().unwrap() > 0,
        "counts are public"
    );
    for field in [
        "memberships { totalCount }",
        "sponsorships { totalCount }",
        "contributions { totalCount }",
    ] {
        let q = format!("query($id: ID!) {{ sponsorGroup(id: $id) {{ {field} }} }}");
        assert_eq!(
            app.error_code(&q, json!({ "id": group["id"] })).await,
            "FORBIDDEN",
            "{field}"
        );
    }
    let any = Uuid::new_v4().to_string();
    assert_eq!(
        app.error_code(
            "query($id: ID!) { sponsorship(id: $id) { status } }",
            json!({ "id": any })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error_code("{ me { displayName } }", json!({})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.error_code("{ partnerOrganisations { name } }", json!({}))
            .await,
        "FORBIDDEN"
    );
    // A company's contributions are public, but not their free-text notes.
    let q = "{ corporateSponsors(first: 100) { nodes { contributions(first: 1) { nodes { note } } } } }";
    assert_eq!(app.error_code(q, json!({})).await, "FORBIDDEN");
}
