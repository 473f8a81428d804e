//! The demo data set, as the embedded default serves it.

use crate::helpers::spawn_app;
use haven_entities::{
    contribution, corporate_sponsor, membership, milestone, partner_organisation, sponsorship,
    volunteer,
};
use sea_orm::{ActiveEnum, EntityTrait, PaginatorTrait};
use serde_json::json;
use std::collections::BTreeSet;

#[tokio::test]
async fn demo_set_has_the_21_towns_and_villages_and_every_variant_and_state() {
    let app = spawn_app().await;
    let d = app
        .data(
            "{ cities(first: 50) { totalCount nodes { cbsCode kind status joinedOn
                sponsorGroups(first: 100) { nodes { status variant } } } } }",
            json!({}),
        )
        .await;
    let cities = d["cities"]["nodes"].as_array().expect("cities");
    assert_eq!(d["cities"]["totalCount"], 21);
    let villages: BTreeSet<_> = cities
        .iter()
        .filter(|c| c["kind"] == "VILLAGE")
        .map(|c| c["cbsCode"].as_str().expect("code"))
        .collect();
    assert_eq!(villages, BTreeSet::from(["GM0088", "GM0277", "GM0339"]));
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

#[test]
fn demo_histories_walk_the_lifecycles_in_order() {
    use haven::db::{care_writes, group_writes};
    let d = haven::seed::demo::build();
    let mut failures = Vec::new();
    for group in &d.groups {
        let steps: Vec<_> = d
            .group_history
            .iter()
            .filter(|h| h.group_id == group.id)
            .collect();
        let statuses: Vec<_> = steps.iter().map(|h| h.status).collect();
        let days: Vec<_> = steps.iter().map(|h| h.effective_on).collect();
        let walks = statuses
            .windows(2)
            .all(|w| group_writes::may_transition(w[0], w[1]));
        let first_proposal = d
            .sponsorships
            .iter()
            .filter(|s| s.group_id == group.id)
            .map(|s| s.proposed_on)
            .min();
        let matched = steps
            .iter()
            .find(|h| h.status == haven_entities::enums::GroupStatus::Matched);
        if statuses.last() != Some(&group.status)
            || !walks
            || days.first() != Some(&group.formed_on)
            || !days.windows(2).all(|w| w[0] <= w[1])
            || matched
                .zip(first_proposal)
                .is_some_and(|(m, p)| m.effective_on > p)
        {
            failures.push(format!(
                "group {}: {statuses:?} on {days:?}",
                group.status.to_value()
            ));
        }
    }
    for s in &d.sponsorships {
        use haven_entities::enums::SponsorshipStatus::*;
        let steps: Vec<_> = d
            .sponsorship_history
            .iter()
            .filter(|h| h.sponsorship_id == s.id)
            .collect();
        let statuses: Vec<_> = steps.iter().map(|h| h.status).collect();
        let day_of = |st| {
            steps
                .iter()
                .find(|h| h.status == st)
                .map(|h| h.effective_on)
        };
        let walks = statuses
            .windows(2)
            .all(|w| care_writes::may_transition(w[0], w[1]));
        let ordered = steps
            .windows(2)
            .all(|w| w[0].effective_on <= w[1].effective_on);
        let ended = s.ended_on.is_none() || day_of(s.status) == s.ended_on;
        if statuses.last() != Some(&s.status)
            || statuses.first() != Some(&Proposed)
            || !walks
            || !ordered
            || day_of(Proposed) != Some(s.proposed_on)
            || (s.started_on.is_some() && day_of(Active) != s.started_on)
            || !ended
        {
            failures.push(format!("sponsorship {}: {steps:?}", s.status.to_value()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        d.group_history.len() > 2 * d.groups.len(),
        "multi-step histories"
    );
}

/// The benchmark set writes histories too: every group and sponsorship has one, ending in its
/// status.
#[tokio::test]
async fn bench_set_has_a_history_for_every_row() {
    use haven::db::{self, MigrationStep};
    use haven_entities::{
        group_status_change, sponsor_group, sponsorship, sponsorship_status_change,
    };
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let (config, _dir, pg) = crate::helpers::fresh_database().await;
    db::migrate(&config, MigrationStep::Up).await.expect("up");
    let conn = db::connect(&config).await.expect("connect");
    haven::seed::bench::seed(&conn, 0.005)
        .await
        .expect("bench seed");
    for group in sponsor_group::Entity::find()
        .all(&conn)
        .await
        .expect("groups")
    {
        let steps = group_status_change::Entity::find()
            .filter(group_status_change::Column::GroupId.eq(group.id))
            .order_by_asc(group_status_change::Column::EffectiveOn)
            .all(&conn)
            .await
            .expect("history");
        // Steps of one day may come in any order: the status is among the latest day's.
        let latest = steps.last().map(|h| h.effective_on);
        assert!(
            steps
                .iter()
                .any(|h| Some(h.effective_on) == latest && h.status == group.status),
            "{group:?}: {steps:?}"
        );
        assert_eq!(steps.first().map(|h| h.effective_on), Some(group.formed_on));
    }
    for s in sponsorship::Entity::find()
        .all(&conn)
        .await
        .expect("sponsorships")
    {
        let steps = sponsorship_status_change::Entity::find()
            .filter(sponsorship_status_change::Column::SponsorshipId.eq(s.id))
            .all(&conn)
            .await
            .expect("history");
        // It starts as proposed on its day and reaches its status on its start day.
        let day_of = |st| {
            steps
                .iter()
                .find(|h| h.status == st)
                .map(|h| h.effective_on)
        };
        assert_eq!(
            day_of(haven_entities::enums::SponsorshipStatus::Proposed),
            Some(s.proposed_on)
        );
        assert_eq!(day_of(s.status), s.started_on, "{s:?}: {steps:?}");
    }
    conn.close().await.ok();
    if let Some((base, schema)) = pg {
        crate::helpers::drop_pg_schema(base, schema);
    }
}

#[test]
fn demo_data_is_faithful_to_the_variants() {
    use haven_entities::enums::{CityStatus, MilestoneKind, SponsorshipStatus, SponsorshipVariant};
    let d = haven::seed::demo::build();
    let group = |id| d.groups.iter().find(|g| g.id == id).expect("group");
    let household = |id| d.households.iter().find(|h| h.id == id).expect("household");
    let town = |id| d.cities.iter().find(|c| c.id == id).expect("town");
    let mut failures = Vec::new();
    for s in &d.sponsorships {
        let (g, h) = (group(s.group_id), household(s.household_id));
        let open = !matches!(
            s.status,
            SponsorshipStatus::Completed
                | SponsorshipStatus::EndedEarly
                | SponsorshipStatus::Declined
        );
        if s.status == SponsorshipStatus::PreArrival
            && s.variant != SponsorshipVariant::Resettlement
        {
            failures.push(format!("{:?} prepared for arrival", s.variant));
        }
        if matches!(
            s.variant,
            SponsorshipVariant::Student | SponsorshipVariant::StudentTheHague
        ) && h.household_size != 1
        {
            failures.push(format!("a student household of {}", h.household_size));
        }
        let ukrainian = h.languages.0.iter().any(|l| l == "uk" || l == "ru");
        if ukrainian != (s.variant == SponsorshipVariant::UkraineAdHoc) {
            failures.push(format!(
                "{:?} household speaking {:?}",
                s.variant, h.languages.0
            ));
        }
        if open
            && matches!(
                town(g.city_id).status,
                CityStatus::Paused | CityStatus::Closed
            )
        {
            failures.push(format!(
                "an open sponsorship in a {:?} town",
                town(g.city_id).status
            ));
        }
        let school = d
            .milestones
            .iter()
            .any(|m| m.sponsorship_id == s.id && m.kind == MilestoneKind::SchoolEnrolled);
        if school && h.household_size == 1 {
            failures.push("a household of one enrolled at school".into());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let variants: std::collections::BTreeSet<_> =
        d.sponsorships.iter().map(|s| s.variant).collect();
    assert_eq!(
        variants.len(),
        5,
        "every variant has sponsorships: {variants:?}"
    );
}
