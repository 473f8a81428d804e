//! Who may change what: every role of docs/domain.md, a partner key and anonymous against every
//! mutation. Each cell runs on fresh rows of its own, so an allowed call really succeeds.

use crate::fixture::{Fixture, VIEWERS, ask, fixture, partner_key, serial, stored_state};
use crate::helpers::spawn_signing_app;
use crate::viewers::{F, OK, Row, U};
use haven_entities::*;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

fn variables(f: &Fixture) -> Value {
    let n = serial();
    json!({
        "network": f.network.id, "nv": f.network.version, "city": f.city.id, "cv": f.city.version,
        "g": f.g, "applied": f.applied_g, "m": f.m, "e": f.e, "ms": f.m_membership,
        "household": f.household, "proposed": f.proposed, "confirmed": f.confirmed,
        "active": f.active, "milestone": f.milestone, "mc": f.m_contribution,
        "lc": f.l_contribution, "sponsor": f.sponsor, "skvk": f.sponsor_kvk, "commitment": f.commitment,
        "email": format!("new{n}@example.org"), "slug": format!("network-{n}"),
        "cbs": format!("GM9{:03}", n % 1000), "kvk": format!("6{n:07}"),
    })
}

/// Running a group: its lead, its town's and network's coordinators, administrators. Anonymous
/// viewers must sign in; partners never write.
const LEADS: Row = [U, F, F, F, OK, F, OK, F, OK, F, OK];
/// A group's members too.
const MEMBERS: Row = [U, F, OK, F, OK, F, OK, F, OK, F, OK];
/// Coordinators of the town or network, administrators.
const COORDINATORS: Row = [U, F, F, F, F, F, OK, F, OK, F, OK];
/// The network's coordinators, administrators.
const NETWORK: Row = [U, F, F, F, F, F, F, F, OK, F, OK];
/// Any coordinator (companies are national), administrators.
const ANY_COORDINATOR: Row = [U, F, F, F, F, F, OK, OK, OK, OK, OK];
const ADMIN: Row = [U, F, F, F, F, F, F, F, F, F, OK];

#[rustfmt::skip]
const CASES: &[(&str, &str, Row)] = &[
    ("createSponsorGroup", r#"mutation($city: ID!) { createSponsorGroup(input: { cityId: $city, name: "New group", variant: STATUS_HOLDER, origin: FRIENDS, formedOn: "2025-05-01" }) { id } }"#, COORDINATORS),
    ("updateSponsorGroup", r#"mutation($g: ID!) { updateSponsorGroup(id: $g, expectedVersion: 1, input: { name: "Renamed" }) { id } }"#, LEADS),
    ("transitionSponsorGroup (the group's own step)", "mutation($g: ID!) { transitionSponsorGroup(id: $g, expectedVersion: 1, to: COMPLETED) { id } }", LEADS),
    ("transitionSponsorGroup (screening decision)", "mutation($applied: ID!) { transitionSponsorGroup(id: $applied, expectedVersion: 1, to: SCREENING) { id } }", COORDINATORS),
    ("addMembership (new volunteer)", r#"mutation($g: ID!, $email: String!) { addMembership(input: { groupId: $g, newVolunteer: { displayName: "New helper", email: $email } }) { id } }"#, LEADS),
    ("addMembership (known volunteer)", "mutation($g: ID!, $e: ID!) { addMembership(input: { groupId: $g, volunteerId: $e }) { id } }", COORDINATORS),
    ("updateMembership (role)", "mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { role: LEAD }) { id } }", LEADS),
    ("updateMembership (certificate of conduct)", "mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { vogStatus: REFUSED }) { id } }", COORDINATORS),
    ("leaveGroup", "mutation($ms: ID!) { leaveGroup(membershipId: $ms, expectedVersion: 1) { id } }", MEMBERS),
    ("updateMyProfile", r#"mutation { updateMyProfile(expectedVersion: 1, input: { skills: ["cooking"] }) { id } }"#, [U, F, OK, OK, OK, OK, U, U, U, U, U]),
    ("eraseVolunteer", "mutation($m: ID!) { eraseVolunteer(id: $m) }", ADMIN),
    ("proposeSponsorship", r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, newHousehold: { pseudonym: "Family Q", householdSize: 4 } }) { id } }"#, COORDINATORS),
    ("confirmSponsorship", "mutation($proposed: ID!) { confirmSponsorship(id: $proposed, expectedVersion: 1) { id } }", LEADS),
    ("startSponsorship", r#"mutation($confirmed: ID!) { startSponsorship(id: $confirmed, expectedVersion: 1, startedOn: "2025-06-01") { id } }"#, LEADS),
    ("closeSponsorship", r#"mutation($active: ID!) { closeSponsorship(id: $active, expectedVersion: 1, endedOn: "2025-09-01", endReason: MOVED) { id } }"#, LEADS),
    ("transitionSponsorship", "mutation($active: ID!) { transitionSponsorship(id: $active, expectedVersion: 1, to: CLOSING) { id } }", LEADS),
    ("updateHousehold", "mutation($household: ID!) { updateHousehold(id: $household, expectedVersion: 1, input: { householdSize: 5 }) { id } }", COORDINATORS),
    ("recordMilestone", r#"mutation($active: ID!) { recordMilestone(sponsorshipId: $active, kind: BANK_ACCOUNT, achievedOn: "2025-04-01") { id } }"#, MEMBERS),
    ("undoMilestone", "mutation($milestone: ID!) { undoMilestone(id: $milestone) { id } }", MEMBERS),
    ("logContribution", r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2025-05-01", kind: VISIT, hours: 2 }) { id } }"#, MEMBERS),
    ("updateContribution (own)", "mutation($mc: ID!) { updateContribution(id: $mc, expectedVersion: 1, input: { hours: 3 }) { id } }", MEMBERS),
    ("updateContribution (another's)", "mutation($lc: ID!) { updateContribution(id: $lc, expectedVersion: 1, input: { hours: 3 }) { id } }", LEADS),
    ("deleteContribution (own)", "mutation($mc: ID!) { deleteContribution(id: $mc, expectedVersion: 1) { id } }", MEMBERS),
    ("deleteContribution (another's)", "mutation($lc: ID!) { deleteContribution(id: $lc, expectedVersion: 1) { id } }", LEADS),
    ("createSponsorshipNetwork", r#"mutation($slug: String!) { createSponsorshipNetwork(input: { slug: $slug, name: "Another network" }) { id } }"#, ADMIN),
    ("updateSponsorshipNetwork", r#"mutation($network: ID!, $nv: Int!) { updateSponsorshipNetwork(id: $network, expectedVersion: $nv, input: { description: "Updated" }) { id } }"#, NETWORK),
    ("createCity", r#"mutation($network: ID!, $cbs: String!) { createCity(networkId: $network, input: { name: "Testdorp", cbsCode: $cbs, province: UTRECHT, kind: VILLAGE }) { id } }"#, NETWORK),
    ("updateCity", "mutation($city: ID!, $cv: Int!) { updateCity(id: $city, expectedVersion: $cv, input: { status: ACTIVE }) { id } }", NETWORK),
    ("createCorporateSponsor", r#"mutation($kvk: String!) { createCorporateSponsor(input: { name: "New BV", kvkNumber: $kvk, sector: "Retail" }) { id } }"#, ANY_COORDINATOR),
    ("updateCorporateSponsor", r#"mutation($sponsor: ID!) { updateCorporateSponsor(id: $sponsor, expectedVersion: 1, input: { sector: "Transport" }) { id } }"#, ANY_COORDINATOR),
    ("updateCorporateSponsor (the same KvK number)", r#"mutation($sponsor: ID!, $skvk: String!) { updateCorporateSponsor(id: $sponsor, expectedVersion: 1, input: { kvkNumber: $skvk, sector: "Food" }) { id } }"#, ANY_COORDINATOR),
    ("updateCorporateSponsor (KvK number)", r#"mutation($sponsor: ID!, $kvk: String!) { updateCorporateSponsor(id: $sponsor, expectedVersion: 1, input: { kvkNumber: $kvk }) { id } }"#, ADMIN),
    ("addSponsorCommitment", r#"mutation($sponsor: ID!, $g: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { groupId: $g }, input: { kind: IN_KIND, startsOn: "2025-01-01", pledgedValueCents: 50000 }) { id } }"#, LEADS),
    ("addSponsorCommitment (town)", r#"mutation($sponsor: ID!, $city: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { cityId: $city }, input: { kind: VENUE, startsOn: "2025-01-01" }) { id } }"#, COORDINATORS),
    ("addSponsorCommitment (network)", r#"mutation($sponsor: ID!, $network: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { networkId: $network }, input: { kind: EXPERTISE, startsOn: "2025-01-01" }) { id } }"#, NETWORK),
    ("updateSponsorCommitment", "mutation($commitment: ID!) { updateSponsorCommitment(id: $commitment, expectedVersion: 1, input: { pledgedHours: 80 }) { id } }", LEADS),
    ("removeSponsorCommitment", "mutation($commitment: ID!) { removeSponsorCommitment(id: $commitment, expectedVersion: 1) { id } }", LEADS),
];

/// "ok" when the mutation answered without error, else the first error's code.
fn outcome(resp: &Value) -> String {
    match resp["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None if resp.get("errors").is_none() && !resp["data"].is_null() => OK.to_owned(),
        None => format!("unexpected answer {resp}"),
    }
}

#[tokio::test]
async fn every_role_against_every_mutation() {
    let app = spawn_signing_app().await;
    let db = app.state.db();
    let cities = city::Entity::find().all(db).await.unwrap();
    let (town, other) = (
        cities[0].id,
        cities.iter().find(|c| c.id != cities[0].id).unwrap().id,
    );
    let key = partner_key(&app).await;

    // Every mutation of the schema has a row, so that a new one cannot skip this table.
    let schema = haven::graphql::export_sdl();
    let body = schema
        .split("type Mutation {")
        .nth(1)
        .unwrap()
        .split("\n}")
        .next()
        .unwrap();
    let mut in_description = false;
    for line in body.lines().map(str::trim) {
        if line.starts_with("\"\"\"") {
            in_description = !in_description || line.len() > 3 && line.ends_with("\"\"\"");
            continue;
        }
        if in_description || !line.contains(':') {
            continue;
        }
        let name = line.split(['(', ':']).next().unwrap();
        assert!(
            CASES
                .iter()
                .any(|(c, ..)| c.split(' ').next() == Some(name)),
            "no case for {name}"
        );
    }

    let mut failures = Vec::new();
    for (name, query, expected) in CASES {
        for (who, want) in VIEWERS.iter().zip(expected) {
            let f = fixture(&app, town, other).await;
            let vars = variables(&f);
            let before = stored_state(&app).await;
            let resp = ask(&app, &key, who, &f, query, vars).await;
            let got = outcome(&resp);
            if got != *want {
                failures.push(format!("{name} as {who}: expected {want}, got {got}"));
            } else if got != OK && stored_state(&app).await != before {
                failures.push(format!(
                    "{name} as {who}: refused, yet something was written"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
