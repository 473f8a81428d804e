//! Bad input to mutations: a `BAD_USER_INPUT` naming the field (or a `CONFLICT`), and nothing
//! written.

use crate::fixture::{fixture_app, stored_state, token_for};
use serde_json::json;

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let (app, f) = fixture_app().await;
    let vars = json!({
        "network": f.network.id, "g": f.g, "m": f.m, "sponsor": f.sponsor, "mc": f.m_contribution,
        "confirmed": f.confirmed, "cbs": f.city.cbs_code, "ms": f.m_membership,
        "applied": f.applied_g, "active": f.active, "e": f.e,
    });
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str)] = &[
        (r#"mutation($network: ID!) { createCity(networkId: $network, input: { name: "X", cbsCode: "AB1234", province: UTRECHT, kind: CITY }) { id } }"#, "BAD_USER_INPUT", "cbsCode"),
        (r#"mutation($network: ID!, $cbs: String!) { createCity(networkId: $network, input: { name: "X", cbsCode: $cbs, province: UTRECHT, kind: CITY }) { id } }"#, "CONFLICT", ""),
        (r#"mutation($network: ID!) { createCity(networkId: $network, input: { name: "X", cbsCode: "GM9999", kind: CITY }) { id } }"#, "BAD_USER_INPUT", "province"),
        (r#"mutation { createCorporateSponsor(input: { name: "X", kvkNumber: "1234", sector: "Retail" }) { id } }"#, "BAD_USER_INPUT", "kvkNumber"),
        (r#"mutation { createCorporateSponsor(input: { name: "X", kvkNumber: "12345678", sector: "Retail", website: "ftp://x" }) { id } }"#, "BAD_USER_INPUT", "website"),
        (r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, newHousehold: { pseudonym: "P", householdSize: 0 } }) { id } }"#, "BAD_USER_INPUT", "householdSize"),
        (r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, newHousehold: { pseudonym: "P", householdSize: 21 } }) { id } }"#, "BAD_USER_INPUT", "householdSize"),
        (r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, newHousehold: { pseudonym: " ", householdSize: 2 } }) { id } }"#, "BAD_USER_INPUT", "pseudonym"),
        (r#"mutation($g: ID!) { proposeSponsorship(input: { groupId: $g, newHousehold: { pseudonym: "P", householdSize: 2, languages: ["dutch"] } }) { id } }"#, "BAD_USER_INPUT", "languages"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2025-05-01", kind: VISIT, hours: 0 }) { id } }"#, "BAD_USER_INPUT", "hours"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2024-12-01", kind: VISIT, hours: 1 }) { id } }"#, "BAD_USER_INPUT", "volunteerId"),
        (r#"mutation($mc: ID!) { updateContribution(id: $mc, expectedVersion: 1, input: { date: "2024-12-01" }) { id } }"#, "BAD_USER_INPUT", "volunteerId"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2025-05-01", kind: VISIT, hours: 24.5 }) { id } }"#, "BAD_USER_INPUT", "hours"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2999-01-01", kind: VISIT, hours: 1 }) { id } }"#, "BAD_USER_INPUT", "date"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2025-05-01", kind: IN_KIND, hours: 1, valueCents: -5 }) { id } }"#, "BAD_USER_INPUT", "valueCents"),
        (r#"mutation($sponsor: ID!, $g: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { groupId: $g }, input: { kind: JOBS, startsOn: "2025-05-01", endsOn: "2025-04-01" }) { id } }"#, "BAD_USER_INPUT", "endsOn"),
        (r#"mutation($sponsor: ID!, $g: ID!, $network: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { groupId: $g, networkId: $network }, input: { kind: JOBS, startsOn: "2025-05-01" }) { id } }"#, "BAD_USER_INPUT", "scope"),
        (r#"mutation($confirmed: ID!) { startSponsorship(id: $confirmed, expectedVersion: 1, startedOn: "2024-01-01") { id } }"#, "BAD_USER_INPUT", "startedOn"),
        (r#"mutation($confirmed: ID!) { closeSponsorship(id: $confirmed, expectedVersion: 1) { id } }"#, "BAD_USER_INPUT", "id"),
        (r#"mutation($confirmed: ID!) { transitionSponsorship(id: $confirmed, expectedVersion: 1, to: DECLINED) { id } }"#, "BAD_USER_INPUT", "to"),
        (r#"mutation($confirmed: ID!) { closeSponsorship(id: $confirmed, expectedVersion: 1, endedOn: "2999-01-01", endReason: OTHER) { id } }"#, "BAD_USER_INPUT", "endedOn"),
        (r#"mutation($applied: ID!) { proposeSponsorship(input: { groupId: $applied, newHousehold: { pseudonym: "P", householdSize: 2 } }) { id } }"#, "BAD_USER_INPUT", "groupId"),
        (r#"mutation($confirmed: ID!) { recordMilestone(sponsorshipId: $confirmed, kind: ARRIVED) { id } }"#, "BAD_USER_INPUT", "sponsorshipId"),
        (r#"mutation($active: ID!) { recordMilestone(sponsorshipId: $active, kind: ARRIVED) { id } }"#, "CONFLICT", ""),
        (r#"mutation($g: ID!, $e: ID!) { logContribution(input: { groupId: $g, volunteerId: $e, date: "2025-05-01", kind: VISIT, hours: 1 }) { id } }"#, "BAD_USER_INPUT", "volunteerId"),
        (r#"mutation($g: ID!, $m: ID!, $sponsor: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, corporateSponsorId: $sponsor, date: "2025-05-01", kind: VISIT, hours: 1 }) { id } }"#, "BAD_USER_INPUT", "volunteerId"),
        (r#"mutation($sponsor: ID!) { updateCorporateSponsor(id: $sponsor, expectedVersion: 1, input: { name: "" }) { id } }"#, "BAD_USER_INPUT", "name"),
        (r#"mutation($mc: ID!) { updateContribution(id: $mc, expectedVersion: 7, input: { hours: 2 }) { id } }"#, "CONFLICT", ""),
        (r#"mutation($ms: ID!) { leaveGroup(membershipId: $ms, expectedVersion: 1, leftOn: "2020-01-01") { id } }"#, "BAD_USER_INPUT", "leftOn"),
        (r#"mutation($g: ID!, $m: ID!) { addMembership(input: { groupId: $g, volunteerId: $m, newVolunteer: { displayName: "X", email: "x@example.org" } }) { id } }"#, "BAD_USER_INPUT", "volunteerId"),
        (r#"mutation($g: ID!, $m: ID!) { addMembership(input: { groupId: $g, volunteerId: $m }) { id } }"#, "CONFLICT", ""),
        (r#"mutation($g: ID!) { addMembership(input: { groupId: $g, newVolunteer: { displayName: "X", email: "not-an-address" } }) { id } }"#, "BAD_USER_INPUT", "email"),
        (r#"mutation { createSponsorshipNetwork(input: { slug: "Bad Slug", name: "X" }) { id } }"#, "BAD_USER_INPUT", "slug"),
        (r#"mutation { updateSponsorGroup(id: "not-a-uuid", expectedVersion: 1, input: {}) { id } }"#, "BAD_USER_INPUT", "id"),
        (r#"mutation($active: ID!) { transitionSponsorship(id: $active, expectedVersion: 1, to: COMPLETED, on: "2024-01-01") { id } }"#, "BAD_USER_INPUT", "on"),
        (r#"mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { trainingCompletedOn: "2020-01-01" }) { id } }"#, "BAD_USER_INPUT", "trainingCompletedOn"),
        (r#"mutation($network: ID!) { createCity(networkId: $network, input: { name: "X", province: UTRECHT, kind: CITY }) { id } }"#, "BAD_USER_INPUT", "cbsCode"),
        (r#"mutation($g: ID!, $m: ID!) { logContribution(input: { groupId: $g, volunteerId: $m, date: "2025-05-01", kind: VISIT, hours: 1, valueCents: 500 }) { id } }"#, "BAD_USER_INPUT", "valueCents"),
        (r#"mutation($mc: ID!) { updateContribution(id: $mc, expectedVersion: 1, input: { valueCents: 500 }) { id } }"#, "BAD_USER_INPUT", "valueCents"),
    ];
    let admin = token_for("admin", &f);
    let before = stored_state(&app).await;
    let mut wrong = Vec::new();
    for (q, want, field) in cases {
        let r = app.graphql_as(admin.as_deref(), q, vars.clone()).await;
        let err = &r["errors"][0];
        let got = (
            err["extensions"]["code"].as_str(),
            err["extensions"]["field"].as_str().unwrap_or(""),
        );
        // The message speaks the API's names, never a column's or a placeholder.
        let message = err["message"].as_str().unwrap_or("");
        let internal = message.contains('{') || message.contains("_on") || message.contains("_id");
        if got != (Some(*want), *field) || message.is_empty() || internal {
            wrong.push(format!("{q}\n  expected {want} {field}, got {r}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(stored_state(&app).await, before, "nothing was written");
}
