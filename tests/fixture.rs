//! Fresh rows for tests of writes: a group with its people, sponsorships, contributions and a
//! pledge, the viewers who may or may not touch them, and a fingerprint of what is stored.

use crate::helpers::{TestApp, spawn_signing_app};
pub use crate::viewers::{VIEWERS, ask, partner_key, token_for};
use chrono::{NaiveDate, Utc};
use haven_entities::enums::*;
use haven_entities::*;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait};
use std::sync::atomic::{AtomicU32, Ordering};
use uuid::Uuid;

static SERIAL: AtomicU32 = AtomicU32::new(0);
/// Numbers the towns of the second network: their CBS codes (GM2000 to GM8999, clear of the
/// demo towns and of the codes other tests make up) must be unique within a test app.
static FAR_TOWNS: AtomicU32 = AtomicU32::new(0);

/// A number no other call in this test run gets (for unique names, codes and e-mails).
pub fn serial() -> u32 {
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Fresh rows for one cell: group `g` in town `city` (network `network`) with member `m`,
/// lead `l`, a proposed, a confirmed and an active sponsorship, a milestone, contributions of
/// `m` and `l`, a company and its pledge to `g`; `e` (member) and `ol` (lead) of a group in
/// `other_city`; and a second network, `other_network`, with its own town `far_city`, group
/// `far_g` and member `far_m`, so that a coordinator of either network has people to be kept
/// from the other's.
pub struct Fixture {
    pub network: sponsorship_network::Model,
    pub city: city::Model,
    pub other_city: Uuid,
    pub other_network: Uuid,
    pub far_city: Uuid,
    pub far_g: Uuid,
    pub far_m: Uuid,
    pub g: Uuid,
    pub applied_g: Uuid,
    pub other_g: Uuid,
    pub m: Uuid,
    pub l: Uuid,
    pub e: Uuid,
    pub ol: Uuid,
    pub m_membership: Uuid,
    pub household: Uuid,
    pub proposed: Uuid,
    pub confirmed: Uuid,
    pub active: Uuid,
    pub milestone: Uuid,
    pub m_contribution: Uuid,
    pub l_contribution: Uuid,
    pub sponsor: Uuid,
    pub sponsor_kvk: String,
    pub commitment: Uuid,
}

pub async fn put<M: IntoActiveModel<A>, A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send>(
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

/// A new volunteer, member of `group` in `role` from `joined` (to `left`): their id and the
/// membership's.
pub async fn member(
    app: &TestApp,
    group: Uuid,
    role: MembershipRole,
    joined: NaiveDate,
    left: Option<NaiveDate>,
) -> (Uuid, Uuid) {
    let now = Utc::now();
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
        group_id: group,
        volunteer_id: v.id,
        role,
        joined_on: joined,
        left_on: left,
        vog_status: VogStatus::Received,
        training_completed_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let ids = (v.id, ms.id);
    put(app, v).await;
    put(app, ms).await;
    ids
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
    let far_city = city::Model {
        id: Uuid::new_v4(),
        network_id: other_network,
        name: format!("Verweg {n}"),
        cbs_code: format!(
            "GM{}",
            2000 + FAR_TOWNS.fetch_add(1, Ordering::Relaxed) % 7000
        ),
        ..city.clone()
    };
    let far = group(far_city.id);
    let (far_city_id, far_g) = (far_city.id, far.id);
    put(app, far_city).await;
    put(app, far).await;
    let mut people = Vec::new();
    for (group_id, role) in [
        (gid, MembershipRole::Member),
        (gid, MembershipRole::Lead),
        (ogid, MembershipRole::Member),
        (ogid, MembershipRole::Lead),
        (far_g, MembershipRole::Member),
    ] {
        people.push(member(app, group_id, role, day("2025-01-10"), None).await);
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
    let (sid, cid, kvk) = (sponsor.id, commitment.id, sponsor.kvk_number.clone());
    put(app, sponsor).await;
    put(app, commitment).await;
    Fixture {
        network,
        city,
        other_city,
        other_network,
        far_city: far_city_id,
        far_g,
        far_m: people[4].0,
        g: gid,
        applied_g,
        other_g: ogid,
        m: people[0].0,
        l: people[1].0,
        e: people[2].0,
        ol: people[3].0,
        m_membership: people[0].1,
        household,
        proposed: sponsorships[0],
        confirmed: sponsorships[1],
        active,
        milestone: mid,
        m_contribution: contributions[0],
        l_contribution: contributions[1],
        sponsor: sid,
        sponsor_kvk: kvk,
        commitment: cid,
    }
}

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
    // Append-only tables: their count says it all.
    let audit = audit_log::Entity::find().count(db).await.unwrap();
    state.push(("audit_log".to_owned(), audit as i64, 0));
    let groups = group_status_change::Entity::find().count(db).await.unwrap();
    state.push(("group_status_change".to_owned(), groups as i64, 0));
    let sponsorships = sponsorship_status_change::Entity::find()
        .count(db)
        .await
        .unwrap();
    state.push((
        "sponsorship_status_change".to_owned(),
        sponsorships as i64,
        0,
    ));
    state
}
