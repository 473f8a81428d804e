//! The true figures behind partner statistics, against an oracle that counts the rows in
//! Rust: every atom (network, province, variant) in two years and their quarters.

use crate::fixture::fixture_app;
use crate::helpers::TestApp;
use chrono::NaiveDate;
use haven::db::figures::partner::Raw;
use haven_entities::*;
use sea_orm::EntityTrait;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The rows of the database, read in Rust.
struct Rows {
    cities: HashMap<Uuid, city::Model>,
    groups: HashMap<Uuid, sponsor_group::Model>,
    sponsorships: Vec<sponsorship::Model>,
    households: HashMap<Uuid, newcomer_household::Model>,
    milestones: Vec<milestone::Model>,
    memberships: Vec<membership::Model>,
    contributions: Vec<contribution::Model>,
    networks: HashMap<Uuid, sponsorship_network::Model>,
}

async fn rows(app: &TestApp) -> Rows {
    let db = app.state.db();
    Rows {
        cities: city::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.id, c))
            .collect(),
        groups: sponsor_group::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|g| (g.id, g))
            .collect(),
        sponsorships: sponsorship::Entity::find().all(db).await.unwrap(),
        households: newcomer_household::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|h| (h.id, h))
            .collect(),
        milestones: milestone::Entity::find().all(db).await.unwrap(),
        memberships: membership::Entity::find().all(db).await.unwrap(),
        contributions: contribution::Entity::find().all(db).await.unwrap(),
        networks: sponsorship_network::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|n| (n.id, n))
            .collect(),
    }
}

/// The true figures from `from` to `to` by the cell `key_of` gives a group, row by row.
fn oracle_by(
    r: &Rows,
    from: NaiveDate,
    to: NaiveDate,
    key_of: impl Fn(Uuid) -> String,
) -> BTreeMap<String, Raw> {
    let province = key_of;
    let mut out: BTreeMap<String, Raw> = BTreeMap::new();
    let mut cell = |k: String| {
        let e = out.entry(k.clone()).or_default();
        e.key = k;
    };
    let mut welcomed: HashSet<(String, Uuid)> = HashSet::new();
    let mut active = Vec::new();
    for s in &r.sponsorships {
        let Some(start) = s.started_on else { continue };
        if start > to || s.ended_on.is_some_and(|e| e < from) {
            continue;
        }
        let k = province(s.group_id);
        cell(k.clone());
        active.push((k.clone(), s.id));
        if start >= from {
            welcomed.insert((k, s.household_id));
        }
    }
    let reached = |id: Uuid, kind: enums::MilestoneKind| {
        r.milestones
            .iter()
            .any(|m| m.sponsorship_id == id && m.kind == kind && m.achieved_on <= to)
    };
    for (k, id) in &active {
        let e = out.get_mut(k).unwrap();
        e.active += 1;
        e.paid_work += i64::from(reached(*id, enums::MilestoneKind::PaidWork));
        e.language_b1 += i64::from(reached(*id, enums::MilestoneKind::LanguageB1));
    }
    for (k, h) in &welcomed {
        let e = out.entry(k.clone()).or_default();
        e.key = k.clone();
        e.welcomed += 1;
        e.newcomers += i64::from(r.households[h].household_size);
    }
    let mut members: HashSet<(String, Uuid)> = HashSet::new();
    for m in &r.memberships {
        if m.joined_on <= to && m.left_on.is_none_or(|l| l >= from) {
            members.insert((province(m.group_id), m.volunteer_id));
        }
    }
    for (k, _) in &members {
        let e = out.entry(k.clone()).or_default();
        e.key = k.clone();
        e.volunteers += 1;
    }
    let mut givers: HashSet<(String, Uuid)> = HashSet::new();
    for c in &r.contributions {
        let Some(v) = c.volunteer_id else { continue };
        if c.contributed_on < from || c.contributed_on > to {
            continue;
        }
        let k = province(c.group_id);
        let e = out.entry(k.clone()).or_default();
        e.key = k.clone();
        e.minutes += i64::from(c.minutes);
        if givers.insert((k.clone(), v)) {
            out.get_mut(&k).unwrap().givers += 1;
        }
    }
    out
}

/// The figures of every atom (network, province, variant) in the year and each quarter, as
/// linked suppression reads them, against the oracle counting rows per atom and period.
#[tokio::test]
async fn the_atoms_figures_are_those_of_the_rows() {
    let (app, _f) = fixture_app().await;
    let r = rows(&app).await;
    let atom = |group: Uuid| {
        let g = &r.groups[&group];
        let c = &r.cities[&g.city_id];
        format!(
            "{}|{}|{}|",
            r.networks[&c.network_id].slug,
            c.province.code(),
            sea_orm::ActiveEnum::to_value(&g.variant)
        )
    };
    for year in [2024, 2025] {
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap();
        let periods = [
            ("Y", day(1, 1), day(12, 31)),
            ("Q1", day(1, 1), day(3, 31)),
            ("Q2", day(4, 1), day(6, 30)),
            ("Q3", day(7, 1), day(9, 30)),
            ("Q4", day(10, 1), day(12, 31)),
        ];
        let mut expected = BTreeMap::new();
        for (p, from, to) in periods {
            for (k, mut raw) in oracle_by(&r, from, to, atom) {
                raw.key = format!("{k}{p}");
                expected.insert(raw.key.clone(), raw);
            }
        }
        let found: BTreeMap<String, Raw> =
            haven::db::figures::partner::atom_figures(app.state.db(), year)
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.key.clone(), c))
                .collect();
        assert_eq!(found, expected, "{year}");
        assert!(found.len() > 5 && found.values().any(|c| c.minutes > 0));
    }
}
