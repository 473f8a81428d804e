//! The demo data set, as the embedded default serves it.

use crate::helpers::spawn_app;
use haven_entities::{
    contribution, corporate_sponsor, membership, milestone, partner_organisation, sponsorship,
    volunteer,
};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use std::collections::BTreeSet;

#[tokio::test]
async fn demo_set_has_the_18_towns_and_every_variant_and_state() {
    let app = spawn_app().await;
    let d = app
        .data(
            "{ cities(first: 50) { totalCount nodes { cbsCode status joinedOn
                sponsorGroups(first: 100) { nodes { status variant } } } } }",
            json!({}),
        )
        .await;
    let cities = d["cities"]["nodes"].as_array().expect("cities");
    assert_eq!(d["cities"]["totalCount"], 18);
    for pilot in ["GM0034", "GM0518", "GM0392", "GM0599"] {
        let c = cities
            .iter()
            .find(|c| c["cbsCode"] == pilot)
            .expect("pilot town");
        assert_eq!(c["status"], "ACTIVE");
        assert!(c["joinedOn"].as_str().expect("joined").starts_with("2018"));
    }
    let town_states: BTreeSet<_> = cities
        .iter()
        .map(|c| c["status"].as_str().expect("s").to_owned())
        .collect();
    assert!(
        town_states.len() >= 4,
        "towns in varied states: {town_states:?}"
    );

    let groups: Vec<_> = cities
        .iter()
        .flat_map(|c| {
            c["sponsorGroups"]["nodes"]
                .as_array()
                .expect("groups")
                .clone()
        })
        .collect();
    assert!(
        (55..=65).contains(&groups.len()),
        "about 60 groups, got {}",
        groups.len()
    );
    let states: BTreeSet<_> = groups
        .iter()
        .map(|g| g["status"].as_str().expect("s").to_owned())
        .collect();
    let variants: BTreeSet<_> = groups
        .iter()
        .map(|g| g["variant"].as_str().expect("v").to_owned())
        .collect();
    let all_states = [
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
        "ON_HOLD",
        "WITHDRAWN",
        "NOT_APPROVED",
    ];
    assert_eq!(states, all_states.iter().map(|s| s.to_string()).collect());
    let all_variants = [
        "RESETTLEMENT",
        "STATUS_HOLDER",
        "STUDENT_THE_HAGUE",
        "STUDENT",
        "UKRAINE_AD_HOC",
    ];
    assert_eq!(
        variants,
        all_variants.iter().map(|s| s.to_string()).collect()
    );
}

#[tokio::test]
async fn demo_set_has_people_households_and_companies() {
    let app = spawn_app().await;
    let db = app.state.db();
    let volunteers = volunteer::Entity::find().count(db).await.expect("count");
    assert!(
        (380..=420).contains(&volunteers),
        "about 400 volunteers, got {volunteers}"
    );
    assert!(membership::Entity::find().count(db).await.expect("count") >= volunteers - 40);
    let sponsorships = sponsorship::Entity::find().count(db).await.expect("count");
    assert!(
        (35..=45).contains(&sponsorships),
        "about 40 sponsorships, got {sponsorships}"
    );
    assert!(milestone::Entity::find().count(db).await.expect("count") > 100);
    assert!(contribution::Entity::find().count(db).await.expect("count") > 500);
    assert_eq!(
        corporate_sponsor::Entity::find()
            .count(db)
            .await
            .expect("count"),
        15
    );
    assert_eq!(
        partner_organisation::Entity::find()
            .count(db)
            .await
            .expect("count"),
        3
    );
}

#[test]
fn demo_set_is_deterministic() {
    let a = haven::seed::demo::build();
    let b = haven::seed::demo::build();
    assert_eq!(a.cities, b.cities);
    assert_eq!(a.groups, b.groups);
    assert_eq!(a.volunteers, b.volunteers);
    assert_eq!(a.contributions, b.contributions);
}

#[test]
fn demo_dates_are_consistent() {
    let d = haven::seed::demo::build();
    for s in &d.sponsorships {
        if let (Some(start), Some(end)) = (s.started_on, s.ended_on) {
            assert!(start <= end, "sponsorship {} ends before it starts", s.id);
        }
        if let Some(start) = s.started_on {
            assert!(s.proposed_on <= start);
            assert!(s.planned_end_on.expect("planned end") > start);
        }
    }
    for m in &d.memberships {
        if let Some(left) = m.left_on {
            assert!(m.joined_on <= left);
        }
    }
}
