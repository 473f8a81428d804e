//! Coordinators' areas and stale tokens: a coordinator lists the groups of their town or
//! network only, and a token does not outlive leaving a group or losing its lead.

use crate::fixture::fixture_app;
use crate::helpers::code;
use crate::viewers::as_who;
use haven_entities::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

#[tokio::test]
async fn coordinators_list_the_groups_of_their_area() {
    let (app, f) = fixture_app().await;
    let q = "query($filter: SponsorGroupFilterInput) { sponsorGroups(first: 100, filter: $filter) { totalCount nodes { city { id network { id } } } } }";
    let town = json!({ "cityId": f.city.id });
    let all_in_town = as_who(&app, "admin", &f, q, json!({ "filter": town })).await;
    let mine = as_who(&app, "city coordinator", &f, q, json!({})).await;
    assert_eq!(
        mine["data"]["sponsorGroups"], all_in_town["data"]["sponsorGroups"],
        "{mine}"
    );
    assert!(mine["data"]["sponsorGroups"]["totalCount"].as_i64() > Some(0));

    let elsewhere = json!({ "filter": { "cityId": f.other_city } });
    let r = as_who(&app, "city coordinator", &f, q, elsewhere.clone()).await;
    assert_eq!(code(&r), "FORBIDDEN", "not an empty list: {r}");
    let network = as_who(&app, "network coordinator", &f, q, json!({})).await;
    let nodes = network["data"]["sponsorGroups"]["nodes"]
        .as_array()
        .unwrap();
    assert!(!nodes.is_empty(), "{network}");
    assert!(
        nodes
            .iter()
            .all(|g| g["city"]["network"]["id"] == f.network.id.to_string())
    );
    let in_network = json!({ "filter": { "networkId": f.network.id } });
    let all_in_network = as_who(&app, "admin", &f, q, in_network).await;
    assert_eq!(
        network["data"]["sponsorGroups"], all_in_network["data"]["sponsorGroups"],
        "the network coordinator sees every group of their network"
    );
    // The other network's coordinator has their own groups, and only those.
    let far = as_who(&app, "other network coordinator", &f, q, json!({})).await;
    let far_in_network = json!({ "filter": { "networkId": f.other_network } });
    let all_far = as_who(&app, "admin", &f, q, far_in_network.clone()).await;
    assert_eq!(
        far["data"]["sponsorGroups"], all_far["data"]["sponsorGroups"],
        "{far}"
    );
    assert!(
        far["data"]["sponsorGroups"]["totalCount"].as_i64() > Some(0),
        "{far}"
    );
    assert!(
        !nodes
            .iter()
            .any(|g| g["city"]["id"] == f.far_city.to_string())
    );
    let r = as_who(&app, "network coordinator", &f, q, far_in_network.clone()).await;
    assert_eq!(code(&r), "FORBIDDEN", "not an empty list: {r}");
    // Naming the other area by its other key is refused too; naming one's own is the list.
    let far_town = json!({ "filter": { "cityId": f.far_city } });
    let r = as_who(&app, "network coordinator", &f, q, far_town).await;
    assert_eq!(code(&r), "FORBIDDEN", "a town of another network: {r}");
    let own_town = json!({ "filter": { "cityId": f.city.id } });
    let r = as_who(&app, "network coordinator", &f, q, own_town).await;
    assert_eq!(
        r["data"]["sponsorGroups"], all_in_town["data"]["sponsorGroups"],
        "{r}"
    );
    let r = as_who(&app, "city coordinator", &f, q, far_in_network).await;
    assert_eq!(code(&r), "FORBIDDEN", "another network: {r}");
    let own_network = json!({ "filter": { "networkId": f.network.id } });
    let r = as_who(&app, "city coordinator", &f, q, own_network).await;
    assert_eq!(
        r["data"]["sponsorGroups"], mine["data"]["sponsorGroups"],
        "{r}"
    );
    let anonymous = app.graphql_as(None, q, elsewhere).await;
    assert_eq!(code(&anonymous), "ok", "group names are public");
}

#[tokio::test]
async fn a_token_does_not_outlive_leaving_the_group() {
    let (app, f) = fixture_app().await;
    let record =
        "mutation($s: ID!) { recordMilestone(sponsorshipId: $s, kind: HOME_FURNISHED) { id } }";
    let leave =
        "mutation($ms: ID!) { leaveGroup(membershipId: $ms, expectedVersion: 1) { leftOn } }";
    let r = as_who(&app, "member", &f, leave, json!({ "ms": f.m_membership })).await;
    assert_eq!(code(&r), "ok", "{r}");
    let r = as_who(&app, "member", &f, record, json!({ "s": f.active })).await;
    assert_eq!(
        code(&r),
        "FORBIDDEN",
        "the token still names the group, the member left: {r}"
    );

    // A lead who is made a plain member keeps member rights, not lead rights.
    let lead_membership = membership::Entity::find()
        .filter(membership::Column::VolunteerId.eq(f.l))
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    let demote = "mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { role: MEMBER }) { role } }";
    let r = as_who(
        &app,
        "city coordinator",
        &f,
        demote,
        json!({ "ms": lead_membership.id }),
    )
    .await;
    assert_eq!(r["data"]["updateMembership"]["role"], "MEMBER", "{r}");
    let confirm = "mutation($p: ID!) { confirmSponsorship(id: $p, expectedVersion: 1) { status } }";
    let r = as_who(&app, "lead", &f, confirm, json!({ "p": f.proposed })).await;
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    let r = as_who(&app, "lead", &f, record, json!({ "s": f.active })).await;
    assert_eq!(code(&r), "ok", "{r}");
}
