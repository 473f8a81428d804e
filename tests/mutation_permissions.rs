//! Who may change what: every role of DOMAIN.md, a partner key and anonymous against every
//! mutation. Each cell runs on fresh rows of its own, so an allowed call really succeeds.

use crate::helpers::{TestApp, spawn_signing_app, token};
use chrono::{NaiveDate, Utc};
use haven::auth::Role;
use haven_entities::enums::*;
use haven_entities::*;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};
use uuid::Uuid;

static SERIAL: AtomicU32 = AtomicU32::new(0);

fn serial() -> u32 {
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Fresh rows for one cell: group `g` in town `city` (network `network`) with member `m`,
/// lead `l`, a proposed, a confirmed and an active sponsorship, a milestone, contributions of
/// `m` and `l`, a company and its pledge to `g`; and `e`, a member of a group in `other_city`.
pub struct Fixture {
    pub network: sponsorship_network::Model,
    pub city: city::Model,
    pub other_city: Uuid,
    pub other_network: Uuid,
    pub g: Uuid,
    pub applied_g: Uuid,
    pub other_g: Uuid,
    pub m: Uuid,
    pub l: Uuid,
    pub e: Uuid,
    pub m_membership: Uuid,
    pub household: Uuid,
    pub proposed: Uuid,
    pub confirmed: Uuid,
    pub active: Uuid,
    pub milestone: Uuid,
    pub m_contribution: Uuid,
    pub l_contribution: Uuid,
    pub sponsor: Uuid,
    pub commitment: Uuid,
}

async fn put<M: IntoActiveModel<A>, A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send>(
    app: &TestApp,
    m: M,
) where
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    m.into_active_model()
        .reset_all()
        .insert(app.state.db())
        .await
        .unwrap();
}

pub async fn fixture(app: &TestApp, city: Uuid, other_city: Uuid) -> Fixture {
    let db = app.state.db();
    let now = Utc::now();
    let city = city::Entity::find_by_id(city)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let network = sponsorship_network::Entity::find_by_id(city.network_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let group = |c: Uuid| sponsor_group::Model {
        id: Uuid::new_v4(),
        city_id: c,
        name: format!("Fixture group {}", serial()),
        variant: SponsorshipVariant::StatusHolder,
        status: GroupStatus::Active,
        origin: GroupOrigin::Neighbours,
        formed_on: day("2025-01-10"),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let (g, og) = (group(city.id), group(other_city));
    let applied = sponsor_group::Model {
        status: GroupStatus::Applied,
        ..group(city.id)
    };
    let (gid, ogid, applied_g) = (g.id, og.id, applied.id);
    put(app, g).await;
    put(app, og).await;
    put(app, applied).await;
    let n = serial();
    let elsewhere = sponsorship_network::Model {
        id: Uuid::new_v4(),
        slug: format!("elsewhere-{n}"),
        name: format!("Elsewhere {n}"),
        ..network.clone()
    };
    let other_network = elsewhere.id;
    put(app, elsewhere).await;
    let mut people = Vec::new();
    for (group_id, role) in [
        (gid, MembershipRole::Member),
        (gid, MembershipRole::Lead),
        (ogid, MembershipRole::Member),
    ] {
        let n = serial();
        let v = volunteer::Model {
            id: Uuid::new_v4(),
            display_name: format!("Fixture person {n}"),
            email: format!("fixture{n}@example.org"),
            phone: None,
            languages: vec!["nl".to_owned()].into(),
            skills: Vec::new().into(),
            created_at: now,
            updated_at: now,
            version: 1,
            erased_at: None,
        };
        let ms = membership::Model {
            id: Uuid::new_v4(),
            group_id,
            volunteer_id: v.id,
            role,
            joined_on: day("2025-01-10"),
            left_on: None,
            vog_status: VogStatus::Received,
            training_completed_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        people.push((v.id, ms.id));
        put(app, v).await;
        put(app, ms).await;
    }
    let mut sponsorships = Vec::new();
    let mut household = Uuid::nil();
    for status in [
        SponsorshipStatus::Proposed,
        SponsorshipStatus::Confirmed,
        SponsorshipStatus::Active,
    ] {
        let h = newcomer_household::Model {
            id: Uuid::new_v4(),
            city_id: city.id,
            pseudonym: format!("Household {}", serial()),
            household_size: 3,
            languages: vec!["ar".to_owned()].into(),
            arrival_date: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let active = status == SponsorshipStatus::Active;
        let s = sponsorship::Model {
            id: Uuid::new_v4(),
            group_id: gid,
            household_id: h.id,
            variant: SponsorshipVariant::StatusHolder,
            status,
            end_reason: None,
            proposed_on: day("2025-02-01"),
            started_on: active.then(|| day("2025-03-01")),
            planned_end_on: active.then(|| day("2026-03-01")),
            ended_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        household = h.id;
        sponsorships.push(s.id);
        put(app, h).await;
        put(app, s).await;
    }
    let active = sponsorships[2];
    let milestone = milestone::Model {
        id: Uuid::new_v4(),
        sponsorship_id: active,
        kind: MilestoneKind::Arrived,
        achieved_on: day("2025-03-01"),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mid = milestone.id;
    put(app, milestone).await;
    let mut contributions = Vec::new();
    for giver in [people[0].0, people[1].0] {
        let c = contribution::Model {
            id: Uuid::new_v4(),
            group_id: gid,
            sponsorship_id: Some(active),
            volunteer_id: Some(giver),
            corporate_sponsor_id: None,
            contributed_on: day("2025-04-01"),
            kind: ContributionKind::Visit,
            minutes: 90,
            value_cents: None,
            note: Some("Coffee and paperwork".into()),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        contributions.push(c.id);
        put(app, c).await;
    }
    let sponsor = corporate_sponsor::Model {
        id: Uuid::new_v4(),
        name: format!("Fixture BV {}", serial()),
        kvk_number: format!("7{:07}", serial()),
        sector: "Logistics".into(),
        website: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let commitment = sponsor_commitment::Model {
        id: Uuid::new_v4(),
        sponsor_id: sponsor.id,
        scope_kind: ScopeKind::Group,
        network_id: Some(city.network_id),
        city_id: Some(city.id),
        group_id: Some(gid),
        kind: CommitmentKind::StaffTime,
        pledged_hours: Some(40),
        pledged_value_cents: None,
        pledged_places: None,
        starts_on: day("2025-01-01"),
        ends_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let (sid, cid) = (sponsor.id, commitment.id);
    put(app, sponsor).await;
    put(app, commitment).await;
    Fixture {
        network,
        city,
        other_city,
        other_network,
        g: gid,
        applied_g,
        other_g: ogid,
        m: people[0].0,
        l: people[1].0,
        e: people[2].0,
        m_membership: people[0].1,
        household,
        proposed: sponsorships[0],
        confirmed: sponsorships[1],
        active,
        milestone: mid,
        m_contribution: contributions[0],
        l_contribution: contributions[1],
        sponsor: sid,
        commitment: cid,
    }
}

const VIEWERS: [&str; 10] = [
    "anonymous",
    "partner",
    "member",
    "member elsewhere",
    "lead",
    "city coordinator",
    "other city coordinator",
    "network coordinator",
    "other network coordinator",
    "admin",
];

/// A signing app on the demo set, with fresh fixture rows.
pub async fn fixture_app() -> (TestApp, Fixture) {
    let app = spawn_signing_app().await;
    let f = fixture_in(&app).await;
    (app, f)
}

/// Fresh fixture rows in two towns of the demo set.
pub async fn fixture_in(app: &TestApp) -> Fixture {
    let cities = city::Entity::find().all(app.state.db()).await.unwrap();
    let other = cities.iter().find(|c| c.id != cities[0].id).unwrap();
    fixture(app, cities[0].id, other.id).await
}

/// A token of viewer `who` (one of [`VIEWERS`]) for fixture `f`; none for anonymous viewers
/// and partners.
pub fn token_for(who: &str, f: &Fixture) -> Option<String> {
    let (sub, role, network, city, groups) = match who {
        "member" => (Some(f.m), Role::Member, None, None, vec![f.g, f.applied_g]),
        "member elsewhere" => (Some(f.e), Role::Member, None, None, vec![f.other_g]),
        "lead" => (
            Some(f.l),
            Role::GroupLead,
            None,
            None,
            vec![f.g, f.applied_g],
        ),
        "city coordinator" => (None, Role::CityCoordinator, None, Some(f.city.id), vec![]),
        "other city coordinator" => (
            None,
            Role::CityCoordinator,
            None,
            Some(f.other_city),
            vec![],
        ),
        "network coordinator" => (
            None,
            Role::NetworkCoordinator,
            Some(f.network.id),
            None,
            vec![],
        ),
        "other network coordinator" => (
            None,
            Role::NetworkCoordinator,
            Some(f.other_network),
            None,
            vec![],
        ),
        "admin" => (None, Role::Admin, None, None, vec![]),
        _ => return None,
    };
    Some(token(role, sub, network, city, groups))
}

fn variables(f: &Fixture) -> Value {
    let n = serial();
    json!({
        "network": f.network.id, "nv": f.network.version, "city": f.city.id, "cv": f.city.version,
        "g": f.g, "applied": f.applied_g, "m": f.m, "e": f.e, "ms": f.m_membership,
        "household": f.household, "proposed": f.proposed, "confirmed": f.confirmed,
        "active": f.active, "milestone": f.milestone, "mc": f.m_contribution,
        "lc": f.l_contribution, "sponsor": f.sponsor, "commitment": f.commitment,
        "email": format!("new{n}@example.org"), "slug": format!("network-{n}"),
        "cbs": format!("GM9{:03}", n % 1000), "kvk": format!("6{n:07}"),
    })
}

const U: &str = "UNAUTHENTICATED";
const F: &str = "FORBIDDEN";
const OK: &str = "ok";
/// Running a group: its lead, its town's and network's coordinators, administrators. Anonymous
/// viewers must sign in; partners never write.
const LEADS: [&str; 10] = [U, F, F, F, OK, OK, F, OK, F, OK];
/// A group's members too.
const MEMBERS: [&str; 10] = [U, F, OK, F, OK, OK, F, OK, F, OK];
/// Coordinators of the town or network, administrators.
const COORDINATORS: [&str; 10] = [U, F, F, F, F, OK, F, OK, F, OK];
/// The network's coordinators, administrators.
const NETWORK: [&str; 10] = [U, F, F, F, F, F, F, OK, F, OK];
/// Any coordinator (companies are national), administrators.
const ANY_COORDINATOR: [&str; 10] = [U, F, F, F, F, OK, OK, OK, OK, OK];
const ADMIN: [&str; 10] = [U, F, F, F, F, F, F, F, F, OK];

#[rustfmt::skip]
const CASES: &[(&str, &str, [&str; 10])] = &[
    ("createSponsorGroup", r#"mutation($city: ID!) { createSponsorGroup(input: { cityId: $city, name: "New group", variant: STATUS_HOLDER, origin: FRIENDS, formedOn: "2025-05-01" }) { id } }"#, COORDINATORS),
    ("updateSponsorGroup", r#"mutation($g: ID!) { updateSponsorGroup(id: $g, expectedVersion: 1, input: { name: "Renamed" }) { id } }"#, LEADS),
    ("transitionSponsorGroup (the group's own step)", "mutation($g: ID!) { transitionSponsorGroup(id: $g, expectedVersion: 1, to: COMPLETED) { id } }", LEADS),
    ("transitionSponsorGroup (screening decision)", "mutation($applied: ID!) { transitionSponsorGroup(id: $applied, expectedVersion: 1, to: SCREENING) { id } }", COORDINATORS),
    ("addMembership (new volunteer)", r#"mutation($g: ID!, $email: String!) { addMembership(input: { groupId: $g, newVolunteer: { displayName: "New helper", email: $email } }) { id } }"#, LEADS),
    ("addMembership (known volunteer)", "mutation($g: ID!, $e: ID!) { addMembership(input: { groupId: $g, volunteerId: $e }) { id } }", COORDINATORS),
    ("updateMembership (role)", "mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { role: LEAD }) { id } }", LEADS),
    ("updateMembership (certificate of conduct)", "mutation($ms: ID!) { updateMembership(id: $ms, expectedVersion: 1, input: { vogStatus: REFUSED }) { id } }", COORDINATORS),
    ("leaveGroup", "mutation($ms: ID!) { leaveGroup(membershipId: $ms, expectedVersion: 1) { id } }", MEMBERS),
    ("updateMyProfile", r#"mutation { updateMyProfile(expectedVersion: 1, input: { skills: ["cooking"] }) { id } }"#, [U, F, OK, OK, OK, U, U, U, U, U]),
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
    ("updateCorporateSponsor (KvK number)", r#"mutation($sponsor: ID!, $kvk: String!) { updateCorporateSponsor(id: $sponsor, expectedVersion: 1, input: { kvkNumber: $kvk }) { id } }"#, ADMIN),
    ("addSponsorCommitment", r#"mutation($sponsor: ID!, $g: ID!) { addSponsorCommitment(sponsorId: $sponsor, scope: { groupId: $g }, input: { kind: IN_KIND, startsOn: "2025-01-01", pledgedValueCents: 50000 }) { id } }"#, LEADS),
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

/// Rows and the sum of their versions, per table: any insert, update or delete changes it.
pub async fn stored_state(app: &TestApp) -> Vec<(String, i64, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db();
    let mut state = Vec::new();
    for table in [
        "sponsorship_network",
        "city",
        "sponsor_group",
        "volunteer",
        "membership",
        "newcomer_household",
        "sponsorship",
        "milestone",
        "contribution",
        "corporate_sponsor",
        "sponsor_commitment",
    ] {
        let sql = format!("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM {table}");
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        state.push((
            table.to_owned(),
            row.try_get::<i64>("", "n").unwrap(),
            row.try_get::<i64>("", "v").unwrap(),
        ));
    }
    let audit = audit_log::Entity::find().count(db).await.unwrap();
    state.push(("audit_log".to_owned(), audit as i64, 0));
    state
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
    let partner = partner_organisation::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let key = haven::db::partners::create_key(db, partner.id, vec![])
        .await
        .unwrap();

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
            let resp = match (*who, token_for(who, &f)) {
                ("partner", _) => app.graphql_with(&[("x-api-key", &key)], query, vars).await,
                (_, tok) => app.graphql_as(tok.as_deref(), query, vars).await,
            };
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
