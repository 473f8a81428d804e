//! The first slice of the read API over HTTP: networks, cities, a city's groups.

use crate::helpers::{DEMO_TOWNS, code, spawn_app};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    list["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn networks_and_lookup_by_slug_and_id() {
    let app = spawn_app().await;
    let d = app
        .data(
            "{ networks { totalCount nodes { id slug name countryCode foundedOn } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["networks"]["totalCount"], 1);
    let net = &d["networks"]["nodes"][0];
    assert_eq!(net["slug"], "samen-hier");
    assert_eq!(net["countryCode"], "NL");

    let q = "query($id: ID, $slug: String) { network(id: $id, slug: $slug) { slug name } }";
    let by_slug = app.data(q, json!({ "slug": "samen-hier" })).await;
    assert_eq!(by_slug["network"]["name"], "Samen Hier");
    let by_id = app.data(q, json!({ "id": net["id"] })).await;
    assert_eq!(by_id["network"]["slug"], "samen-hier");
    let unknown = app.data(q, json!({ "slug": "nowhere" })).await;
    assert_eq!(unknown["network"], Value::Null);

    assert_eq!(
        app.error_code(q, json!({ "id": net["id"], "slug": "samen-hier" }))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.error_code(q, json!({})).await, "BAD_USER_INPUT");
    assert_eq!(
        app.error_code(q, json!({ "id": "not-a-uuid" })).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn cities_are_listed_by_name_with_filters() {
    let app = spawn_app().await;
    let all = app
        .data(
            "{ cities(first: 50) { totalCount nodes { name cbsCode province } } }",
            json!({}),
        )
        .await;
    assert_eq!(all["cities"]["totalCount"], DEMO_TOWNS);
    let listed = names(&all["cities"]);
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "cities come by name");

    let q = "query($f: CityFilterInput) { cities(filter: $f, first: 50) { totalCount nodes { name } } }";
    let holland = app
        .data(q, json!({ "f": { "province": "ZUID_HOLLAND" } }))
        .await;
    assert_eq!(
        names(&holland["cities"]),
        ["'s-Gravenhage", "Leiden", "Rotterdam"]
    );
    assert_eq!(holland["cities"]["totalCount"], 3);

    // Case-insensitive on SQLite and PostgreSQL alike.
    let am = app.data(q, json!({ "f": { "nameContains": "AM" } })).await;
    assert_eq!(names(&am["cities"]), ["Amsterdam", "Kampen", "Rotterdam"]);
    // Wildcards in the input are literal characters.
    let pct = app.data(q, json!({ "f": { "nameContains": "%" } })).await;
    assert_eq!(pct["cities"]["totalCount"], 0);

    let exploring = app.data(q, json!({ "f": { "status": "EXPLORING" } })).await;
    assert_eq!(
        names(&exploring["cities"]),
        ["Assen", "Maastricht", "Middelburg", "Schiermonnikoog"]
    );

    let net = app
        .data("{ network(slug: \"samen-hier\") { id } }", json!({}))
        .await;
    let in_net = app
        .data(q, json!({ "f": { "networkId": net["network"]["id"] } }))
        .await;
    assert_eq!(in_net["cities"]["totalCount"], DEMO_TOWNS);
}

#[tokio::test]
async fn city_by_id_or_cbs_code_with_its_network_and_groups() {
    let app = spawn_app().await;
    let q = "query($id: ID, $code: String) { city(id: $id, cbsCode: $code) {
        id name cbsCode province provinceCode provinceName status kind joinedOn
        network { slug }
        sponsorGroups(first: 3) { totalCount pageInfo { hasNextPage } nodes { name city { cbsCode } } } } }";
    let d = app.data(q, json!({ "code": "GM0034" })).await;
    let city = &d["city"];
    assert_eq!(city["name"], "Almere");
    assert_eq!(city["province"], "FLEVOLAND");
    assert_eq!(city["provinceCode"], "PV24");
    assert_eq!(city["status"], "ACTIVE");
    assert!(
        city["joinedOn"]
            .as_str()
            .expect("joinedOn")
            .starts_with("2018-"),
        "a pilot town of 2018"
    );
    assert_eq!(city["network"]["slug"], "samen-hier");
    let groups = &city["sponsorGroups"];
    assert!(groups["totalCount"].as_i64().expect("count") > 3);
    assert_eq!(groups["nodes"].as_array().expect("nodes").len(), 3);
    assert_eq!(groups["pageInfo"]["hasNextPage"], true);
    assert_eq!(groups["nodes"][0]["city"]["cbsCode"], "GM0034");

    let by_id = app.data(q, json!({ "id": city["id"] })).await;
    assert_eq!(by_id["city"]["cbsCode"], "GM0034");
    let lower = app.data(q, json!({ "code": "gm0034" })).await;
    assert_eq!(lower["city"]["name"], "Almere");
    let none = app.data(q, json!({ "code": "GM9999" })).await;
    assert_eq!(none["city"], Value::Null);
    assert_eq!(
        app.error_code(q, json!({ "code": "Amsterdam" })).await,
        "BAD_USER_INPUT"
    );
    let kvk = "query($k: String) { corporateSponsor(kvkNumber: $k) { name } }";
    assert_eq!(
        app.error_code(kvk, json!({ "k": "1234" })).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.data(kvk, json!({ "k": "12345678" })).await["corporateSponsor"],
        Value::Null
    );
}

#[tokio::test]
async fn paging_forward_and_backward_visits_every_city_once() {
    let app = spawn_app().await;
    let q = "query($first: Int, $after: String, $last: Int, $before: String) {
        cities(first: $first, after: $after, last: $last, before: $before) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { name } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = app.data(q, json!({ "first": 5, "after": after })).await;
        let c = &d["cities"];
        for e in c["edges"].as_array().expect("edges") {
            seen.push(e["node"]["name"].as_str().expect("name").to_owned());
        }
        if c["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), DEMO_TOWNS as usize);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "no city twice");

    // The last four, and the four before them, in list order.
    let tail = app.data(q, json!({ "last": 4 })).await;
    let tail_names: Vec<_> = tail["cities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].clone())
        .collect();
    assert_eq!(
        tail_names,
        seen[seen.len() - 4..]
            .iter()
            .map(|s| json!(s))
            .collect::<Vec<_>>()
    );
    assert_eq!(tail["cities"]["pageInfo"]["hasPreviousPage"], true);
    let before = tail["cities"]["pageInfo"]["startCursor"].clone();
    let prev = app.data(q, json!({ "last": 4, "before": before })).await;
    let prev_names: Vec<_> = prev["cities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].clone())
        .collect();
    assert_eq!(
        prev_names,
        seen[seen.len() - 8..seen.len() - 4]
            .iter()
            .map(|s| json!(s))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn page_size_and_cursor_errors_are_bad_user_input() {
    let app = spawn_app().await;
    assert_eq!(
        app.error_code("{ cities(first: 101) { totalCount } }", json!({}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code("{ cities(first: -1) { totalCount } }", json!({}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code("{ cities(first: 2, last: 2) { totalCount } }", json!({}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code("{ cities(after: \"bogus\") { totalCount } }", json!({}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(
            "{ cities { nodes { sponsorGroups(first: 1000) { totalCount } } } }",
            json!({})
        )
        .await,
        "BAD_USER_INPUT"
    );
    // A query may not ask for more rows than the complexity limit allows: the document is
    // refused as invalid, with Apollo's code.
    let huge = "{ cities(first: 100) { nodes { sponsorGroups(first: 100) { nodes {
        corporateSponsors(first: 100) { nodes { name } } } } } } }";
    let resp = app.graphql(huge, json!({})).await;
    assert_eq!(
        resp["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{resp}"
    );
    assert!(
        resp["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{resp}"
    );
    // Errors of the GraphQL engine itself carry Apollo's codes.
    assert_eq!(
        app.error_code("{ cities { nope } }", json!({})).await,
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert_eq!(
        app.error_code("{ cities(", json!({})).await,
        "GRAPHQL_PARSE_FAILED"
    );
    // Naming an operation the document lacks, or none of several, is the client's input.
    let two = "query A { networks { totalCount } } query B { cities { totalCount } }";
    for (body, what) in [
        (
            json!({ "query": two, "operationName": "C" }),
            "unknown name",
        ),
        (json!({ "query": two }), "no name"),
        (
            json!({ "query": "{ networks { totalCount } }", "operationName": "A" }),
            "anonymous",
        ),
    ] {
        let (status, _, resp) = app
            .post_raw(body.to_string(), &[("content-type", "application/json")])
            .await;
        assert_eq!(
            (status, code(&resp)),
            (200, "BAD_USER_INPUT"),
            "{what}: {resp}"
        );
    }
    let (_, _, resp) = app
        .post_raw(
            json!({ "query": two, "operationName": "B" }).to_string(),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(resp["data"]["cities"]["totalCount"], DEMO_TOWNS, "{resp}");
    // The default page is 20, and 100 is allowed.
    let d = app
        .data("{ cities(first: 100) { nodes { name } } }", json!({}))
        .await;
    assert_eq!(
        d["cities"]["nodes"].as_array().expect("nodes").len(),
        DEMO_TOWNS as usize
    );
}

#[tokio::test]
async fn statement_counts_are_only_reported_when_asked() {
    let app = spawn_app().await;
    let resp = app.graphql("{ networks { totalCount } }", json!({})).await;
    assert!(
        resp.get("extensions")
            .is_none_or(|e| e.get("sqlStatements").is_none()),
        "{resp:#}"
    );
}

/// A duplicate of a unique value is the client's conflict, not an internal error, on both backends.
#[tokio::test]
async fn unique_violations_are_conflicts() {
    use haven_entities::city;
    use sea_orm::EntityTrait;
    let app = spawn_app().await;
    let mut twin = city::Entity::find()
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    twin.id = uuid::Uuid::new_v4();
    let err = haven::seed::insert_all(app.state.db(), vec![twin], 11)
        .await
        .unwrap_err();
    let err = haven::error::Error::from(err);
    assert_eq!(err.code(), haven::error::Code::Conflict, "{err}");
}
