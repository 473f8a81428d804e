//! A small world with known histories, hours and milestones, whose every figure over 2024 the
//! analytics tests work out by hand (see `analytics.rs`).
//!
//! Network N has towns A (Noord-Holland) and B (Zuid-Holland).
//! - G1 (A, STATUS_HOLDER, NEIGHBOURS): INTERESTED 2024-01-01 … ACTIVE 2024-07-01, the whole line.
//! - G2 (A, RESETTLEMENT, FAITH): INTERESTED 2024-02-01 … SCREENING 2024-04-01, WITHDRAWN 05-01.
//! - G3 (B, STATUS_HOLDER, FRIENDS): from 2023-06-01; READY_TO_MATCH 2023-11-01, MATCHED
//!   2024-01-11, ACTIVE 2024-03-01.
//! - G4 (B, STATUS_HOLDER, OTHER): one entry, ACTIVE since 2022-01-01 (as a backfilled row).
//! - G5 (A, STATUS_HOLDER, NEIGHBOURS): INTERESTED and FORMING on one day, 2024-09-01.
//! - G6 (B, STATUS_HOLDER, OTHER): INTERESTED 2022-01-01, WITHDRAWN 2023-06-01 (closed before).
//! - Sponsorships: S1 (G1) proposed 06-10, confirmed 06-20, active 07-01; S5 (G1) proposed
//!   11-01, confirmed 11-21; S2 (G3) proposed 01-20, confirmed 02-01, active 03-01, ended early
//!   (MOVED) 09-01; S3 (G3) proposed 10-01, declined 10-15; S4 (G4) active 2023-04-01, closing
//!   2024-03-01, completed 2024-04-01; S6 (G4) active 2022-02-01, completed 2023-02-01.
//! - Volunteers: V1 (G1, from 2024-01-01), V2 (G1, 2024-02-01 to 08-01), V4 (G2, 2024-02-01 to
//!   05-01), V3 (G3, from 2023-06-01), V5 (G4, 2021-05-01 to 2023-12-31), V6 (G3, from 2024-08-15).
//! - Companies: K1 pledges 100 hours to N in 2024 and gives 240 minutes and 30 minutes with
//!   goods worth €500 to G1; K2 pledged 40 hours to B in 2023; K3 gives 60 minutes to G3.

use crate::fixture::{put, serial};
use crate::helpers::TestApp;
use chrono::{NaiveDate, Utc};
use haven_entities::enums::*;
use haven_entities::*;
use uuid::Uuid;

/// The ids the tests ask about.
pub struct World {
    pub network: Uuid,
    pub a: Uuid,
    pub b: Uuid,
    pub g1: Uuid,
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn town(app: &TestApp, network: Uuid, province: Province) -> Uuid {
    let now = Utc::now();
    let n = serial();
    let c = city::Model {
        id: Uuid::new_v4(),
        network_id: network,
        name: format!("Town {n}"),
        cbs_code: format!("GM{:04}", 9000 + n % 1000),
        province,
        kind: CityKind::City,
        status: CityStatus::Active,
        joined_on: Some(day("2020-01-01")),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let id = c.id;
    put(app, c).await;
    id
}

/// A group in `city` with its history: (status, day) in order.
async fn group(
    app: &TestApp,
    city: Uuid,
    variant: SponsorshipVariant,
    origin: GroupOrigin,
    history: &[(GroupStatus, &str)],
) -> Uuid {
    let now = Utc::now();
    let g = sponsor_group::Model {
        id: Uuid::new_v4(),
        city_id: city,
        name: format!("World group {}", serial()),
        variant,
        status: history.last().unwrap().0,
        origin,
        formed_on: day(history[0].1),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let id = g.id;
    put(app, g).await;
    for (i, (status, on)) in history.iter().enumerate() {
        let entry = group_status_change::Model {
            id: Uuid::new_v4(),
            group_id: id,
            status: *status,
            effective_on: day(on),
            actor_id: None,
            actor_role: "SYSTEM".into(),
            recorded_at: now + chrono::Duration::seconds(i as i64),
        };
        put(app, entry).await;
    }
    id
}

/// A sponsorship of `group` with its history; `started`/`ended` as the row records them.
async fn sponsorship(
    app: &TestApp,
    group: Uuid,
    city: Uuid,
    history: &[(SponsorshipStatus, &str)],
    started: Option<&str>,
    ended: Option<(&str, Option<EndReason>)>,
) -> Uuid {
    let now = Utc::now();
    let h = newcomer_household::Model {
        id: Uuid::new_v4(),
        city_id: city,
        pseudonym: format!("World household {}", serial()),
        household_size: 3,
        languages: vec!["ar".to_owned()].into(),
        arrival_date: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let s = sponsorship::Model {
        id: Uuid::new_v4(),
        group_id: group,
        household_id: h.id,
        variant: SponsorshipVariant::StatusHolder,
        status: history.last().unwrap().0,
        end_reason: ended.and_then(|e| e.1),
        proposed_on: day(history[0].1),
        started_on: started.map(day),
        planned_end_on: started.map(|d| day(d) + chrono::Months::new(12)),
        ended_on: ended.map(|e| day(e.0)),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let id = s.id;
    put(app, h).await;
    put(app, s).await;
    for (i, (status, on)) in history.iter().enumerate() {
        let entry = sponsorship_status_change::Model {
            id: Uuid::new_v4(),
            sponsorship_id: id,
            status: *status,
            effective_on: day(on),
            actor_id: None,
            actor_role: "SYSTEM".into(),
            recorded_at: now + chrono::Duration::seconds(i as i64),
        };
        put(app, entry).await;
    }
    id
}

async fn milestone(app: &TestApp, sponsorship: Uuid, kind: MilestoneKind, on: &str) {
    let now = Utc::now();
    let m = milestone::Model {
        id: Uuid::new_v4(),
        sponsorship_id: sponsorship,
        kind,
        achieved_on: day(on),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    put(app, m).await;
}

/// A volunteer in `group` from `joined` (to `left`); returns the volunteer's id.
async fn member(app: &TestApp, group: Uuid, joined: &str, left: Option<&str>) -> Uuid {
    let role = MembershipRole::Member;
    crate::fixture::member(app, group, role, day(joined), left.map(day))
        .await
        .0
}

/// Who gave a contribution.
enum By {
    Volunteer(Uuid),
    Company(Uuid),
}

async fn give(app: &TestApp, group: Uuid, by: By, on: &str, minutes: i32, cents: Option<i64>) {
    let now = Utc::now();
    let (volunteer_id, corporate_sponsor_id) = match by {
        By::Volunteer(v) => (Some(v), None),
        By::Company(c) => (None, Some(c)),
    };
    let c = contribution::Model {
        id: Uuid::new_v4(),
        group_id: group,
        sponsorship_id: None,
        volunteer_id,
        corporate_sponsor_id,
        contributed_on: day(on),
        kind: if cents.is_some() {
            ContributionKind::InKind
        } else {
            ContributionKind::Visit
        },
        minutes,
        value_cents: cents,
        note: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    put(app, c).await;
}

/// A company, with a pledge of `hours` to `scope` (network, town) over `period` when given.
async fn company(
    app: &TestApp,
    network: Uuid,
    city: Option<Uuid>,
    pledge: Option<(i32, &str, &str)>,
) -> Uuid {
    let now = Utc::now();
    let k = corporate_sponsor::Model {
        id: Uuid::new_v4(),
        name: format!("World BV {}", serial()),
        kvk_number: format!("6{:07}", serial()),
        sector: "Logistics".into(),
        website: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let id = k.id;
    put(app, k).await;
    if let Some((hours, starts, ends)) = pledge {
        let p = sponsor_commitment::Model {
            id: Uuid::new_v4(),
            sponsor_id: id,
            scope_kind: if city.is_some() {
                ScopeKind::City
            } else {
                ScopeKind::Network
            },
            network_id: Some(network),
            city_id: city,
            group_id: None,
            kind: CommitmentKind::StaffTime,
            pledged_hours: Some(hours),
            pledged_value_cents: None,
            pledged_places: None,
            starts_on: day(starts),
            ends_on: Some(day(ends)),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        put(app, p).await;
    }
    id
}

/// Builds the world (see the module's documentation) in `app`'s empty database.
#[rustfmt::skip]
pub async fn build(app: &TestApp) -> World {
    use GroupStatus::*;
    use SponsorshipStatus as S;
    let now = Utc::now();
    let n = serial();
    let net = sponsorship_network::Model {
        id: Uuid::new_v4(),
        slug: format!("world-{n}"),
        name: format!("World {n}"),
        description: String::new(),
        country_code: "NL".into(),
        website: None,
        founded_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let network = net.id;
    put(app, net).await;
    let a = town(app, network, Province::NoordHolland).await;
    let b = town(app, network, Province::ZuidHolland).await;
    let (sh, res) = (
        SponsorshipVariant::StatusHolder,
        SponsorshipVariant::Resettlement,
    );
    let g1 = group(app, a, sh, GroupOrigin::Neighbours, &[
        (Interested, "2024-01-01"), (Forming, "2024-01-15"), (Applied, "2024-02-01"),
        (Screening, "2024-03-01"), (InTraining, "2024-04-01"), (ReadyToMatch, "2024-05-01"),
        (Matched, "2024-06-01"), (Active, "2024-07-01"),
    ]).await;
    let g2 = group(app, a, res, GroupOrigin::Faith, &[
        (Interested, "2024-02-01"), (Forming, "2024-02-11"), (Applied, "2024-03-02"),
        (Screening, "2024-04-01"), (Withdrawn, "2024-05-01"),
    ]).await;
    let g3 = group(app, b, sh, GroupOrigin::Friends, &[
        (Interested, "2023-06-01"), (Forming, "2023-07-01"), (Applied, "2023-08-01"),
        (Screening, "2023-09-01"), (InTraining, "2023-10-01"), (ReadyToMatch, "2023-11-01"),
        (Matched, "2024-01-11"), (Active, "2024-03-01"),
    ]).await;
    let g4 = group(app, b, sh, GroupOrigin::Other, &[(Active, "2022-01-01")]).await;
    group(app, a, sh, GroupOrigin::Neighbours, &[(Interested, "2024-09-01"), (Forming, "2024-09-01")]).await;
    group(app, b, sh, GroupOrigin::Other, &[(Interested, "2022-01-01"), (Withdrawn, "2023-06-01")]).await;

    let s1 = sponsorship(app, g1, a, &[
        (S::Proposed, "2024-06-10"), (S::Confirmed, "2024-06-20"), (S::Active, "2024-07-01"),
    ], Some("2024-07-01"), None).await;
    sponsorship(app, g1, a, &[(S::Proposed, "2024-11-01"), (S::Confirmed, "2024-11-21")], None, None).await;
    let s2 = sponsorship(app, g3, b, &[
        (S::Proposed, "2024-01-20"), (S::Confirmed, "2024-02-01"), (S::Active, "2024-03-01"),
        (S::EndedEarly, "2024-09-01"),
    ], Some("2024-03-01"), Some(("2024-09-01", Some(EndReason::Moved)))).await;
    sponsorship(app, g3, b, &[(S::Proposed, "2024-10-01"), (S::Declined, "2024-10-15")], None,
        Some(("2024-10-15", None))).await;
    let s4 = sponsorship(app, g4, b, &[
        (S::Proposed, "2023-03-01"), (S::Confirmed, "2023-03-15"), (S::Active, "2023-04-01"),
        (S::Closing, "2024-03-01"), (S::Completed, "2024-04-01"),
    ], Some("2023-04-01"), Some(("2024-04-01", None))).await;
    sponsorship(app, g4, b, &[
        (S::Proposed, "2022-01-01"), (S::Confirmed, "2022-01-10"), (S::Active, "2022-02-01"),
        (S::Completed, "2023-02-01"),
    ], Some("2022-02-01"), Some(("2023-02-01", None))).await;

    milestone(app, s1, MilestoneKind::Arrived, "2024-07-01").await;
    milestone(app, s1, MilestoneKind::HousingKeys, "2024-07-11").await;
    milestone(app, s1, MilestoneKind::PaidWork, "2025-02-01").await;
    milestone(app, s2, MilestoneKind::Arrived, "2024-03-04").await;
    milestone(app, s2, MilestoneKind::HousingKeys, "2024-03-21").await;
    milestone(app, s2, MilestoneKind::BrpRegistered, "2024-04-01").await;
    milestone(app, s4, MilestoneKind::Arrived, "2023-04-01").await;

    let v1 = member(app, g1, "2024-01-01", None).await;
    let v2 = member(app, g1, "2024-02-01", Some("2024-08-01")).await;
    member(app, g2, "2024-02-01", Some("2024-05-01")).await;
    let v3 = member(app, g3, "2023-06-01", None).await;
    member(app, g4, "2021-05-01", Some("2023-12-31")).await;
    member(app, g3, "2024-08-15", None).await;
    give(app, g1, By::Volunteer(v1), "2024-03-05", 90, None).await;
    give(app, g1, By::Volunteer(v2), "2024-03-20", 60, None).await;
    give(app, g1, By::Volunteer(v1), "2024-03-25", 30, None).await;
    give(app, g3, By::Volunteer(v3), "2024-05-01", 120, None).await;
    give(app, g3, By::Volunteer(v3), "2023-12-31", 600, None).await;

    let k1 = company(app, network, None, Some((100, "2024-01-01", "2024-12-31"))).await;
    company(app, network, Some(b), Some((40, "2023-01-01", "2023-12-31"))).await;
    let k3 = company(app, network, None, None).await;
    give(app, g1, By::Company(k1), "2024-05-02", 240, None).await;
    give(app, g1, By::Company(k1), "2024-06-01", 30, Some(50_000)).await;
    give(app, g3, By::Company(k3), "2024-07-01", 60, None).await;
    World { network, a, b, g1 }
}
