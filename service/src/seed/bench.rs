//! Generated data for benchmarks: linear in `--scale`, skewed like the real thing (a few large
//! towns with many groups, many small towns with few). Rows are written in multi-row
//! statements, table by table; rows per second are printed for each table.
//!
//! At scale 1: 350 towns, 10,000 groups, 100,000 volunteers, 150,000 memberships, 20,000
//! households and sponsorships, 200,000 milestones, 1,000,000 contributions, 2,000 corporate
//! sponsors and 4,000 commitments.

use super::data::{self, Gen, at_noon, ymd};
use super::insert_all;
use chrono::{Days, NaiveDate};
use haven_entities::enums::*;
use haven_entities::*;
use sea_orm::{ConnectionTrait, DatabaseConnection, Iterable};
use std::time::Instant;
use uuid::Uuid;

/// Rows generated and written per round, to keep memory flat at any scale.
const ROUND: usize = 50_000;

/// Highest scale that still gives every town its own 4-digit CBS code.
const MAX_SCALE: f64 = 28.0;

/// Samples indexes with Zipf-like weights: index 0 is the most likely.
struct Skewed {
    cumulative: Vec<f64>,
}

impl Skewed {
    fn new(n: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Self { cumulative }
    }

    fn sample(&self, g: &mut Gen) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = g.0.f64() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Writes rows produced by `make(i)` for `i in 0..n`, round by round, and reports the rate.
async fn write<M, A>(
    db: &DatabaseConnection,
    table: &str,
    n: usize,
    columns: usize,
    mut make: impl FnMut(usize) -> M,
) -> anyhow::Result<()>
where
    M: sea_orm::IntoActiveModel<A>,
    A: sea_orm::ActiveModelTrait,
{
    let started = Instant::now();
    let mut done = 0;
    while done < n {
        let end = (done + ROUND).min(n);
        let rows: Vec<M> = (done..end).map(&mut make).collect();
        insert_all(db, rows, columns).await?;
        done = end;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{table:<22} {n:>10} rows {secs:>8.1} s {:>10.0} rows/s",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// Seeds the benchmark set at `scale` into an empty database.
pub async fn seed(db: &DatabaseConnection, scale: f64) -> anyhow::Result<()> {
    anyhow::ensure!(
        scale > 0.0 && scale <= MAX_SCALE,
        "--scale must be in (0, {MAX_SCALE}]"
    );
    anyhow::ensure!(
        super::is_empty(db).await?,
        "the benchmark set goes into an empty database"
    );
    let n = |base: f64| ((base * scale).round() as usize).max(1);
    let mut g = Gen::new(7);
    let started = Instant::now();
    let day0 = ymd(2018, 1, 1);
    let today = ymd(2026, 11, 1);
    let span = (today - day0).num_days() as u64;

    let networks: Vec<Uuid> = (0..n(3.0)).map(|_| g.uuid()).collect();
    write(db, "sponsorship_network", networks.len(), 10, |i| {
        sponsorship_network::Model {
            id: networks[i],
            slug: format!("network-{i}"),
            name: format!("Bench network {i}"),
            description: "Generated for benchmarks".into(),
            country_code: "NL".into(),
            website: None,
            founded_on: Some(day0),
            created_at: at_noon(day0),
            updated_at: at_noon(day0),
            version: 1,
        }
    })
    .await?;

    let provinces: Vec<Province> = Province::iter().collect();
    let city_ids: Vec<Uuid> = (0..n(350.0)).map(|_| g.uuid()).collect();
    let network_of_city = Skewed::new(networks.len(), 1.5);
    let city_network: Vec<Uuid> = city_ids
        .iter()
        .map(|_| networks[network_of_city.sample(&mut g)])
        .collect();
    write(db, "city", city_ids.len(), 11, |i| {
        let joined = g.date_within(day0, span);
        city::Model {
            id: city_ids[i],
            network_id: city_network[i],
            name: format!("Town {i:05}"),
            cbs_code: format!("GM{i:04}"),
            province: *g.pick(&provinces),
            kind: if i % 3 == 0 {
                CityKind::City
            } else {
                CityKind::Village
            },
            status: *g.pick(&[
                CityStatus::Active,
                CityStatus::Active,
                CityStatus::Launching,
                CityStatus::Exploring,
                CityStatus::Paused,
            ]),
            joined_on: Some(joined),
            created_at: at_noon(joined),
            updated_at: at_noon(joined),
            version: 1,
        }
    })
    .await?;

    // A few large towns, many small ones.
    let city_of_group = Skewed::new(city_ids.len(), 1.0);
    let group_ids: Vec<Uuid> = (0..n(10_000.0)).map(|_| g.uuid()).collect();
    let group_city: Vec<Uuid> = (0..group_ids.len())
        .map(|_| city_ids[city_of_group.sample(&mut g)])
        .collect();
    let statuses: Vec<GroupStatus> = GroupStatus::iter().collect();
    let variants: Vec<SponsorshipVariant> = SponsorshipVariant::iter().collect();
    let origins: Vec<GroupOrigin> = GroupOrigin::iter().collect();
    let group_rows: Vec<sponsor_group::Model> = (0..group_ids.len())
        .map(|i| {
            let formed = g.date_within(day0, span);
            sponsor_group::Model {
                id: group_ids[i],
                city_id: group_city[i],
                name: format!("{} {i}", g.pick(data::GROUP_NAMES)),
                variant: *g.pick(&variants),
                status: *g.pick(&statuses),
                origin: *g.pick(&origins),
                formed_on: formed,
                created_at: at_noon(formed),
                updated_at: at_noon(formed),
                version: 1,
            }
        })
        .collect();
    write(db, "sponsor_group", group_rows.len(), 10, |i| {
        group_rows[i].clone()
    })
    .await?;

    let volunteer_ids: Vec<Uuid> = (0..n(100_000.0)).map(|_| g.uuid()).collect();
    write(db, "volunteer", volunteer_ids.len(), 9, |i| {
        let created = g.date_within(day0, span);
        volunteer::Model {
            id: volunteer_ids[i],
            display_name: format!("{} {}", g.pick(data::FIRST_NAMES), g.pick(data::LAST_NAMES)),
            email: format!("v{i}@bench.example.org"),
            phone: None,
            languages: vec![
                "nl".to_owned(),
                g.pick(data::VOLUNTEER_LANGUAGES).to_string(),
            ]
            .into(),
            skills: vec![g.pick(data::SKILLS).to_string()].into(),
            created_at: at_noon(created),
            updated_at: at_noon(created),
            version: 1,
            erased_at: None,
        }
    })
    .await?;

    let group_of_row = Skewed::new(group_ids.len(), 0.5);
    write(db, "membership", n(150_000.0), 11, |i| {
        let joined = g.date_within(day0, span);
        membership::Model {
            id: g.uuid(),
            group_id: group_ids[group_of_row.sample(&mut g)],
            volunteer_id: volunteer_ids[i % volunteer_ids.len()],
            role: if i % 8 == 0 {
                MembershipRole::Lead
            } else {
                MembershipRole::Member
            },
            joined_on: joined,
            left_on: (i % 10 == 0).then(|| joined + Days::new(300)),
            vog_status: VogStatus::Received,
            training_completed_on: Some(joined + Days::new(60)),
            created_at: at_noon(joined),
            updated_at: at_noon(joined),
            version: 1,
        }
    })
    .await?;

    let network_of: std::collections::HashMap<Uuid, Uuid> = city_ids
        .iter()
        .copied()
        .zip(city_network.iter().copied())
        .collect();
    let group_network: Vec<Uuid> = group_city.iter().map(|c| network_of[c]).collect();
    let groups = Groups {
        ids: &group_ids,
        city: &group_city,
        network: &group_network,
        skew: &group_of_row,
    };
    let sponsorships = seed_care(db, &mut g, &groups, &volunteer_ids, n, day0, span).await?;
    let (group_history, sponsorship_history) =
        super::history::build(&mut g, &group_rows, &sponsorships, today);
    let rows = group_history.len();
    write(db, "group_status_change", rows, 7, |i| {
        group_history[i].clone()
    })
    .await?;
    let rows = sponsorship_history.len();
    write(db, "sponsorship_status_change", rows, 7, |i| {
        sponsorship_history[i].clone()
    })
    .await?;
    // Fresh statistics, so the planner knows the tables are no longer empty.
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "{:<22} {:>10} {:>13.1} s",
        "total",
        "",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The generated groups: ids, and each one's town, network and how often it is picked.
struct Groups<'a> {
    ids: &'a [Uuid],
    city: &'a [Uuid],
    network: &'a [Uuid],
    skew: &'a Skewed,
}

/// Households, sponsorships, milestones, companies and contributions.
async fn seed_care(
    db: &DatabaseConnection,
    g: &mut Gen,
    groups: &Groups<'_>,
    volunteer_ids: &[Uuid],
    n: impl Fn(f64) -> usize,
    day0: NaiveDate,
    span: u64,
) -> anyhow::Result<Vec<sponsorship::Model>> {
    let (group_ids, group_city, group_of_row) = (groups.ids, groups.city, groups.skew);
    let count = n(20_000.0);
    let household_ids: Vec<Uuid> = (0..count).map(|_| g.uuid()).collect();
    let sponsorship_group: Vec<usize> = (0..count).map(|_| group_of_row.sample(g)).collect();
    write(db, "newcomer_household", count, 9, |i| {
        newcomer_household::Model {
            id: household_ids[i],
            city_id: group_city[sponsorship_group[i]],
            pseudonym: format!("{} {i}", g.pick(data::PSEUDONYMS)),
            household_size: 1 + g.0.i32(0..7),
            languages: vec![g.pick(data::NEWCOMER_LANGUAGES).to_string()].into(),
            arrival_date: None,
            created_at: at_noon(day0),
            updated_at: at_noon(day0),
            version: 1,
        }
    })
    .await?;
    let sponsorship_ids: Vec<Uuid> = (0..count).map(|_| g.uuid()).collect();
    let starts: Vec<NaiveDate> = (0..count).map(|_| g.date_within(day0, span)).collect();
    let sponsorships: Vec<sponsorship::Model> = (0..count)
        .map(|i| sponsorship::Model {
            id: sponsorship_ids[i],
            group_id: group_ids[sponsorship_group[i]],
            household_id: household_ids[i],
            variant: SponsorshipVariant::StatusHolder,
            status: SponsorshipStatus::Active,
            end_reason: None,
            proposed_on: starts[i] - Days::new(30),
            started_on: Some(starts[i]),
            planned_end_on: Some(starts[i] + Days::new(365)),
            ended_on: None,
            created_at: at_noon(starts[i]),
            updated_at: at_noon(starts[i]),
            version: 1,
        })
        .collect();
    write(db, "sponsorship", count, 13, |i| sponsorships[i].clone()).await?;
    let kinds: Vec<MilestoneKind> = MilestoneKind::iter().collect();
    let per = 10;
    write(
        db,
        "milestone",
        n(200_000.0).min(count * kinds.len()),
        7,
        |i| {
            let (s, k) = (i / per % count, i % per);
            let day = starts[s] + Days::new(20 * k as u64);
            milestone::Model {
                id: g.uuid(),
                sponsorship_id: sponsorship_ids[s],
                kind: kinds[k],
                achieved_on: day,
                created_at: at_noon(day),
                updated_at: at_noon(day),
                version: 1,
            }
        },
    )
    .await?;

    let sponsor_ids: Vec<Uuid> = (0..n(2_000.0)).map(|_| g.uuid()).collect();
    write(db, "corporate_sponsor", sponsor_ids.len(), 8, |i| {
        corporate_sponsor::Model {
            id: sponsor_ids[i],
            name: format!("Bench Company {i}"),
            kvk_number: format!("{:08}", 10_000_000 + i),
            sector: g.pick(data::SECTORS).to_string(),
            website: None,
            created_at: at_noon(day0),
            updated_at: at_noon(day0),
            version: 1,
        }
    })
    .await?;
    write(db, "sponsor_commitment", n(4_000.0), 16, |i| {
        let starts = g.date_within(day0, span);
        let gi = group_of_row.sample(g);
        sponsor_commitment::Model {
            id: g.uuid(),
            sponsor_id: sponsor_ids[i % sponsor_ids.len()],
            scope_kind: ScopeKind::Group,
            network_id: Some(groups.network[gi]),
            city_id: Some(group_city[gi]),
            group_id: Some(group_ids[gi]),
            kind: CommitmentKind::StaffTime,
            pledged_hours: Some(100),
            pledged_value_cents: None,
            pledged_places: None,
            starts_on: starts,
            ends_on: Some(starts + Days::new(365)),
            created_at: at_noon(starts),
            updated_at: at_noon(starts),
            version: 1,
        }
    })
    .await?;

    let kinds: Vec<ContributionKind> = ContributionKind::iter().collect();
    write(db, "contribution", n(1_000_000.0), 14, |i| {
        let day = g.date_within(day0, span);
        let corporate = i % 10 == 0;
        let s = g.0.usize(..count);
        contribution::Model {
            id: g.uuid(),
            group_id: group_ids[sponsorship_group[s]],
            sponsorship_id: (!corporate).then_some(sponsorship_ids[s]),
            volunteer_id: (!corporate).then(|| volunteer_ids[g.0.usize(..volunteer_ids.len())]),
            corporate_sponsor_id: corporate.then(|| sponsor_ids[g.0.usize(..sponsor_ids.len())]),
            contributed_on: day,
            kind: *g.pick(&kinds),
            minutes: 30 + 15 * g.0.i32(0..12),
            value_cents: None,
            note: None,
            created_at: at_noon(day),
            updated_at: at_noon(day),
            version: 1,
        }
    })
    .await?;
    Ok(sponsorships)
}
