//! Snapshots of representative single-page-app queries, one per root field, on the demo set.
//! Ids and cursors (which embed ids) are redacted; everything else is deterministic.

use crate::helpers::spawn_app;
use serde_json::{Value, json};

/// Snapshots a whole response (data and errors) with ids and cursors redacted.
macro_rules! snapshot {
    ($name:literal, $value:expr) => {
        insta::assert_json_snapshot!($name, $value, {
            ".**.id" => "[id]",
            ".**.cursor" => "[cursor]",
            ".**.startCursor" => "[cursor]",
            ".**.endCursor" => "[cursor]",
        })
    };
}

async fn ask(app: &crate::helpers::TestApp, query: &str, vars: Value) -> Value {
    let mut resp = app.graphql(query, vars).await;
    if let Some(obj) = resp.as_object_mut() {
        obj.remove("extensions");
    }
    resp
}

#[tokio::test]
async fn root_field_snapshots() {
    let app = spawn_app().await;

    snapshot!(
        "networks",
        ask(
            &app,
            "{ networks { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id slug name countryCode website foundedOn
          cities(first: 3) { totalCount nodes { name cbsCode } } } } } }",
            json!({})
        )
        .await
    );

    snapshot!("network", ask(&app, r#"{ network(slug: "samen-hier") { name description
        sponsorGroups(first: 5, orderBy: { field: FORMED_ON, direction: DESC }) { totalCount nodes { name formedOn status } }
        corporateSponsors(first: 3) { totalCount nodes { name sector } } } }"#, json!({})).await);

    snapshot!("cities", ask(&app, "{ cities(filter: { province: ZUID_HOLLAND }) { totalCount
        nodes { name cbsCode status joinedOn sponsorGroups(first: 2) { totalCount nodes { name variant memberCount } } } } }", json!({})).await);

    snapshot!("city", ask(&app, r#"{ city(cbsCode: "GM0392") { name province provinceCode provinceName kind status joinedOn
        network { slug } sponsorGroups { totalCount } corporateSponsors { totalCount nodes { name } } } }"#, json!({})).await);

    snapshot!("sponsor_groups", ask(&app, "{ sponsorGroups(filter: { status: ACTIVE }, first: 5) { totalCount
        pageInfo { hasNextPage endCursor }
        nodes { name variant origin formedOn memberCount city { name } network { slug } corporateSponsors { totalCount } } } }", json!({})).await);

    let first = app
        .data(
            "{ sponsorGroups(first: 1, filter: { variant: STUDENT_THE_HAGUE }) { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = first["sponsorGroups"]["nodes"][0]["id"].clone();
    snapshot!("sponsor_group", ask(&app, "query($id: ID!) { sponsorGroup(id: $id) { id name variant status origin formedOn memberCount
        city { name cbsCode } } }", json!({ "id": id })).await);

    snapshot!("corporate_sponsors", ask(&app, "{ corporateSponsors(first: 4) { totalCount nodes { name kvkNumber sector
        commitments { totalCount nodes { kind scopeKind pledgedHours pledgedValueCents pledgedPlaces startsOn endsOn deliveredHours
          scope { __typename ... on SponsorGroup { name } ... on City { name } ... on SponsorshipNetwork { slug } } } } } } }", json!({})).await);

    snapshot!("corporate_sponsor", ask(&app, r#"{ corporateSponsor(kvkNumber: "90000000") { name kvkNumber
        contributions(first: 3) { totalCount nodes { date kind hours valueCents group { name } } } } }"#, json!({})).await);

    snapshot!(
        "sponsorship_anonymous",
        ask(
            &app,
            r#"{ sponsorship(id: "7f1f4c8e-3f53-4a53-9b0e-1f6f7f2d9a10") { status } }"#,
            json!({})
        )
        .await
    );

    snapshot!(
        "me_anonymous",
        ask(&app, "{ me { displayName } }", json!({})).await
    );
}
