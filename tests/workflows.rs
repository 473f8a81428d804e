//! The workflows of the apps end to end: welcoming a household, the sponsorship lifecycle,
//! validation, all-or-nothing writes and erasure.

use crate::fixture::fixture_app;
use crate::helpers::{TestApp, code};
use crate::viewers::as_who;
use haven_entities::enums::SponsorshipStatus;
use haven_entities::*;
use sea_orm::{
    ActiveEnum, ColumnTrait, EntityTrait, IntoActiveModel, Iterable, PaginatorTrait, QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn a_household_is_welcomed_from_proposal_to_early_end() {
    let (app, f) = fixture_app().await;
    let propose = r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, proposedOn: "2025-05-01",
        newHousehold: { pseudonym: "Family R", householdSize: 5, languages: ["TI", "ar"] } })
        { id status variant version household { pseudonym householdSize languages city { id } } } }"#;
    let r = as_who(&app, "city coordinator", &f, propose, json!({ "g": f.g })).await;
    let s = &r["data"]["proposeSponsorship"];
    assert_eq!(s["status"], "PROPOSED", "{r}");
    assert_eq!(s["variant"], "STATUS_HOLDER", "the group's variant");
    assert_eq!(s["household"]["languages"], json!(["ti", "ar"]));
    assert_eq!(s["household"]["city"]["id"], f.city.id.to_string());
    let id = s["id"].clone();

    let confirm =
        "mutation($id: ID!) { confirmSponsorship(id: $id, expectedVersion: 1) { status version } }";
    let r = as_who(&app, "lead", &f, confirm, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["confirmSponsorship"],
        json!({ "status": "CONFIRMED", "version": 2 })
    );

    let start = r#"mutation($id: ID!) { startSponsorship(id: $id, expectedVersion: 2, startedOn: "2025-06-15") { status startedOn plannedEndOn } }"#;
    let r = as_who(&app, "lead", &f, start, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["startSponsorship"],
        json!({ "status": "ACTIVE", "startedOn": "2025-06-15", "plannedEndOn": "2026-06-15" }),
        "{r}"
    );

    let milestone = r#"mutation($id: ID!) { recordMilestone(sponsorshipId: $id, kind: ARRIVED, achievedOn: "2025-06-15") { kind achievedOn } }"#;
    let r = as_who(&app, "member", &f, milestone, json!({ "id": id })).await;
    assert_eq!(r["data"]["recordMilestone"]["kind"], "ARRIVED", "{r}");
    let again = as_who(&app, "member", &f, milestone, json!({ "id": id })).await;
    assert_eq!(
        code(&again),
        "CONFLICT",
        "one milestone of each kind: {again}"
    );

    let log = r#"mutation($g: ID!, $id: ID!) { logContribution(input: { groupId: $g, sponsorshipId: $id,
        date: "2025-06-20", kind: TRANSPORT, hours: 2.5 }) { hours volunteer { id } sponsorship { id } } }"#;
    let r = as_who(&app, "member", &f, log, json!({ "g": f.g, "id": id })).await;
    let c = &r["data"]["logContribution"];
    assert_eq!(c["hours"], 2.5, "{r}");
    assert_eq!(
        c["volunteer"]["id"],
        f.m.to_string(),
        "one's own by default"
    );
    assert_eq!(c["sponsorship"]["id"], id);

    let close = r#"mutation($id: ID!) { closeSponsorship(id: $id, expectedVersion: 3, endedOn: "2025-10-01", endReason: MOVED) { status endReason endedOn } }"#;
    let r = as_who(&app, "lead", &f, close, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["closeSponsorship"],
        json!({ "status": "ENDED_EARLY", "endReason": "MOVED", "endedOn": "2025-10-01" })
    );
    let reopen = "mutation($id: ID!) { transitionSponsorship(id: $id, expectedVersion: 4, to: ACTIVE) { status } }";
    let r = as_who(&app, "lead", &f, reopen, json!({ "id": id })).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");

    // Every step is in the status history, on the day it took effect, with who made it; the
    // refused reopening left none.
    let sid: Uuid = id.as_str().unwrap().parse().unwrap();
    let mut history = sponsorship_status_change::Entity::find()
        .filter(sponsorship_status_change::Column::SponsorshipId.eq(sid))
        .all(app.state.db())
        .await
        .unwrap();
    history.sort_by_key(|h| (h.effective_on, h.recorded_at));
    let steps: Vec<(String, String, Option<Uuid>, String)> = history
        .into_iter()
        .map(|h| {
            let status = h.status.to_value();
            (status, h.effective_on.to_string(), h.actor_id, h.actor_role)
        })
        .collect();
    let today = chrono::Utc::now().date_naive().to_string();
    let lead = || (Some(f.l), "GROUP_LEAD".to_owned());
    let want = [
        (
            "PROPOSED",
            "2025-05-01",
            None,
            "CITY_COORDINATOR".to_owned(),
        ),
        ("ACTIVE", "2025-06-15", lead().0, lead().1),
        ("ENDED_EARLY", "2025-10-01", lead().0, lead().1),
        ("CONFIRMED", today.as_str(), lead().0, lead().1),
    ];
    let mut want: Vec<_> = want
        .into_iter()
        .map(|(s, d, a, r)| (s.to_owned(), d.to_owned(), a, r))
        .collect();
    want.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(steps, want);

    // A household with an open sponsorship is not matched twice.
    let twice = "mutation($g: ID!, $h: ID!) { proposeSponsorship(input: { groupId: $g, householdId: $h }) { id } }";
    let r = as_who(
        &app,
        "city coordinator",
        &f,
        twice,
        json!({ "g": f.g, "h": f.household }),
    )
    .await;
    assert_eq!(code(&r), "CONFLICT", "{r}");
}

/// The sponsorship lifecycle of docs/domain.md, written out pair by pair.
fn allowed(from: &str, to: &str) -> bool {
    const MAIN: [&str; 6] = [
        "PROPOSED",
        "CONFIRMED",
        "PRE_ARRIVAL",
        "ACTIVE",
        "CLOSING",
        "COMPLETED",
    ];
    let main = MAIN.windows(2).any(|w| w[0] == from && w[1] == to);
    let shortcut = matches!(
        (from, to),
        ("CONFIRMED", "ACTIVE") | ("ACTIVE", "COMPLETED")
    );
    let declined = from == "PROPOSED" && to == "DECLINED";
    let early =
        to == "ENDED_EARLY" && ["CONFIRMED", "PRE_ARRIVAL", "ACTIVE", "CLOSING"].contains(&from);
    main || shortcut || declined || early
}

#[tokio::test]
async fn every_sponsorship_transition_outside_the_lifecycle_is_refused_and_changes_nothing() {
    let (app, f) = fixture_app().await;
    let db = app.state.db();
    let template = sponsorship::Entity::find_by_id(f.active)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let q = "mutation($id: ID!, $to: SponsorshipStatus!, $reason: EndReason) {
        transitionSponsorship(id: $id, expectedVersion: 1, to: $to, on: \"2025-12-01\", endReason: $reason) { status version } }";
    let mut wrong = Vec::new();
    for from in SponsorshipStatus::iter() {
        for to in SponsorshipStatus::iter() {
            let row = sponsorship::Model {
                id: Uuid::new_v4(),
                status: from,
                ..template.clone()
            };
            let id = row.id;
            sponsorship::Entity::insert(row.into_active_model())
                .exec(db)
                .await
                .unwrap();
            let (from, to) = (from.to_value(), to.to_value());
            let reason = (to == "ENDED_EARLY").then_some("OTHER");
            let r = as_who(
                &app,
                "lead",
                &f,
                q,
                json!({ "id": id, "to": to, "reason": reason }),
            )
            .await;
            let stored = sponsorship::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            let ok = if allowed(&from, &to) {
                r["data"]["transitionSponsorship"] == json!({ "status": to, "version": 2 })
                    && stored.status.to_value() == to
            } else {
                code(&r) == "BAD_USER_INPUT"
                    && stored.status.to_value() == from
                    && stored.version == 1
            };
            if !ok {
                wrong.push(format!("{from} -> {to}: {r}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

async fn audit_entries(app: &TestApp, operation: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Operation.eq(operation))
        .count(app.state.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_mutation_that_fails_halfway_leaves_no_row_behind() {
    let (app, f) = fixture_app().await;
    let db = app.state.db();
    let log = r#"mutation($g: ID!, $h: Float!) { logContribution(input: { groupId: $g, date: "2025-05-02", kind: VISIT, hours: $h }) { id version } }"#;
    let first = as_who(&app, "member", &f, log, json!({ "g": f.g, "h": 20 })).await;
    assert_eq!(code(&first), "ok", "{first}");
    let on_that_day = || {
        contribution::Entity::find()
            .filter(contribution::Column::VolunteerId.eq(f.m))
            .filter(
                contribution::Column::ContributedOn
                    .eq("2025-05-02".parse::<chrono::NaiveDate>().unwrap()),
            )
            .all(db)
    };
    let before_audit = audit_entries(&app, "logContribution").await;

    // The row is written, then the day's total is found to exceed 24 hours: all is undone.
    let r = as_who(&app, "member", &f, log, json!({ "g": f.g, "h": 5 })).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "hours");
    assert_eq!(on_that_day().await.unwrap().len(), 1, "no row behind");
    assert_eq!(
        audit_entries(&app, "logContribution").await,
        before_audit,
        "no audit entry"
    );

    // The same for an edit that would push the day over: the stored row stays as it was.
    let other = as_who(&app, "member", &f, log, json!({ "g": f.g, "h": 3 })).await;
    let id = other["data"]["logContribution"]["id"].clone();
    let edit = "mutation($id: ID!) { updateContribution(id: $id, expectedVersion: 1, input: { hours: 6 }) { hours } }";
    let r = as_who(&app, "member", &f, edit, json!({ "id": id })).await;
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    let rows = on_that_day().await.unwrap();
    let minutes: Vec<i32> = rows.iter().map(|c| c.minutes).collect();
    assert_eq!(rows.len(), 2);
    assert!(
        minutes.contains(&180) && rows.iter().all(|c| c.version == 1),
        "{minutes:?}"
    );
}

#[tokio::test]
async fn erasure_leaves_totals_unchanged_and_the_person_unreachable() {
    let (app, f) = fixture_app().await;
    let db = app.state.db();
    let figures = "query($g: ID!) { sponsorGroup(id: $g) { memberCount
        memberships(first: 100) { totalCount nodes { volunteer { id } } }
        contributions(first: 100) { totalCount nodes { hours } }
        sponsorships { nodes { contributions { totalCount } } } } }";
    let read = |v: &Value| {
        let g = &v["data"]["sponsorGroup"];
        let hours: f64 = g["contributions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["hours"].as_f64().unwrap())
            .sum();
        (
            g["memberCount"].clone(),
            g["memberships"]["totalCount"].clone(),
            g["contributions"]["totalCount"].clone(),
            hours,
            g["sponsorships"].clone(),
        )
    };
    let before = as_who(&app, "admin", &f, figures, json!({ "g": f.g })).await;
    assert!(before.to_string().contains(&f.m.to_string()), "{before}");
    let stored = volunteer::Entity::find_by_id(f.m)
        .one(db)
        .await
        .unwrap()
        .unwrap();

    let erase = "mutation($m: ID!) { eraseVolunteer(id: $m) }";
    let r = as_who(&app, "admin", &f, erase, json!({ "m": f.m })).await;
    assert_eq!(r["data"]["eraseVolunteer"], f.m.to_string(), "{r}");

    let after = as_who(&app, "admin", &f, figures, json!({ "g": f.g })).await;
    assert_eq!(
        read(&after),
        read(&before),
        "counts and hours are what they were"
    );
    let members = after["data"]["sponsorGroup"]["memberships"]["nodes"]
        .as_array()
        .unwrap();
    assert!(
        members.iter().any(|m| m["volunteer"].is_null()),
        "the erased member is no one"
    );
    assert!(
        !after.to_string().contains(&f.m.to_string()),
        "not even their id is shown"
    );
    let edit = "mutation($mc: ID!) { updateContribution(id: $mc, expectedVersion: 2, input: { note: \"Back again\" }) { id } }";
    let r = as_who(&app, "admin", &f, edit, json!({ "mc": f.m_contribution })).await;
    assert_eq!(
        code(&r),
        "BAD_USER_INPUT",
        "an erased person's hours stay as they are: {r}"
    );
    let leave = "mutation($ms: ID!) { leaveGroup(membershipId: $ms, expectedVersion: 1) { id } }";
    let r = as_who(&app, "member", &f, leave, json!({ "ms": f.m_membership })).await;
    assert_eq!(
        code(&r),
        "UNAUTHENTICATED",
        "an erased person's token changes nothing: {r}"
    );

    let entity = r#"query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Volunteer { displayName } } }"#;
    let reps = json!({ "reps": [{ "__typename": "Volunteer", "id": f.m }] });
    let r = as_who(&app, "admin", &f, entity, reps).await;
    assert_eq!(r["data"]["_entities"], json!([null]), "{r}");
    for q in ["{ me { displayName } }", "{ exportMyData }"] {
        let r = as_who(&app, "member", &f, q, json!({})).await;
        assert_eq!(code(&r), "NOT_FOUND", "{q}: {r}");
    }
    let add = "mutation($g: ID!, $m: ID!) { addMembership(input: { groupId: $g, volunteerId: $m }) { id } }";
    assert_eq!(
        code(&as_who(&app, "admin", &f, add, json!({ "g": f.g, "m": f.m })).await),
        "NOT_FOUND"
    );
    assert_eq!(
        code(&as_who(&app, "admin", &f, erase, json!({ "m": f.m })).await),
        "NOT_FOUND"
    );

    // Nothing personal is left in the stored rows.
    let row = volunteer::Entity::find_by_id(f.m)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.erased_at.is_some());
    assert_ne!(row.email, stored.email);
    assert_ne!(row.display_name, stored.display_name);
    assert!(row.languages.0.is_empty() && row.phone.is_none());
    let notes = contribution::Entity::find()
        .filter(contribution::Column::VolunteerId.eq(f.m))
        .filter(contribution::Column::Note.is_not_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(notes, 0, "their notes are gone");
    assert_eq!(audit_entries(&app, "eraseVolunteer").await, 1);
}
