//! The demo data set: one "Samen Hier" network, the 18 municipalities of the domain notes, and
//! fictional groups, volunteers, households and companies. Deterministic: the same every run.

mod care;
mod people;

use super::data::{Gen, at_noon, ymd};
use super::{SeedCounts, insert_all};
use haven_entities::enums::*;
use haven_entities::*;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

/// The day the demo set is "now": dates are spread over the three years before it.
pub const REFERENCE_DAY: (i32, u32, u32) = (2026, 11, 1);

/// (CBS code, name, province, status, year joined); the four pilot towns of 2018 come first.
const TOWNS: &[(&str, &str, Province, CityStatus, Option<i32>)] = &[
    (
        "GM0034",
        "Almere",
        Province::Flevoland,
        CityStatus::Active,
        Some(2018),
    ),
    (
        "GM0518",
        "'s-Gravenhage",
        Province::ZuidHolland,
        CityStatus::Active,
        Some(2018),
    ),
    (
        "GM0392",
        "Haarlem",
        Province::NoordHolland,
        CityStatus::Active,
        Some(2018),
    ),
    (
        "GM0599",
        "Rotterdam",
        Province::ZuidHolland,
        CityStatus::Active,
        Some(2018),
    ),
    (
        "GM0363",
        "Amsterdam",
        Province::NoordHolland,
        CityStatus::Active,
        Some(2019),
    ),
    (
        "GM0344",
        "Utrecht",
        Province::Utrecht,
        CityStatus::Active,
        Some(2019),
    ),
    (
        "GM0546",
        "Leiden",
        Province::ZuidHolland,
        CityStatus::Active,
        Some(2020),
    ),
    (
        "GM0014",
        "Groningen",
        Province::Groningen,
        CityStatus::Active,
        Some(2020),
    ),
    (
        "GM0268",
        "Nijmegen",
        Province::Gelderland,
        CityStatus::Active,
        Some(2021),
    ),
    (
        "GM0193",
        "Zwolle",
        Province::Overijssel,
        CityStatus::Active,
        Some(2021),
    ),
    (
        "GM0289",
        "Wageningen",
        Province::Gelderland,
        CityStatus::Active,
        Some(2022),
    ),
    (
        "GM0080",
        "Leeuwarden",
        Province::Fryslan,
        CityStatus::Paused,
        Some(2020),
    ),
    (
        "GM0166",
        "Kampen",
        Province::Overijssel,
        CityStatus::Closed,
        Some(2019),
    ),
    (
        "GM0772",
        "Eindhoven",
        Province::NoordBrabant,
        CityStatus::Launching,
        Some(2025),
    ),
    (
        "GM0855",
        "Tilburg",
        Province::NoordBrabant,
        CityStatus::Launching,
        Some(2026),
    ),
    (
        "GM0106",
        "Assen",
        Province::Drenthe,
        CityStatus::Exploring,
        None,
    ),
    (
        "GM0687",
        "Middelburg",
        Province::Zeeland,
        CityStatus::Exploring,
        None,
    ),
    (
        "GM0935",
        "Maastricht",
        Province::Limburg,
        CityStatus::Exploring,
        None,
    ),
];

/// Villages that are municipalities of their own, so that they have a CBS code (checked
/// against the municipality list of the Dutch COVID-19 dashboard, `minvws/nl-covid19-data-
/// dashboard`, `packages/common/src/data/gm.ts`).
const VILLAGES: &[(&str, &str, Province, CityStatus, Option<i32>)] = &[
    (
        "GM0277",
        "Rozendaal",
        Province::Gelderland,
        CityStatus::Active,
        Some(2023),
    ),
    (
        "GM0339",
        "Renswoude",
        Province::Utrecht,
        CityStatus::Launching,
        Some(2026),
    ),
    (
        "GM0088",
        "Schiermonnikoog",
        Province::Fryslan,
        CityStatus::Exploring,
        None,
    ),
];

/// Towns with a university, where student sponsorship is possible.
pub(super) const UNIVERSITY_TOWNS: &[&str] = &[
    "GM0363", "GM0344", "GM0546", "GM0014", "GM0268", "GM0289", "GM0772", "GM0855", "GM0935",
];

/// How many groups are in each lifecycle state (60 in all).
pub(super) const GROUP_STATES: &[(GroupStatus, usize)] = &[
    (GroupStatus::Interested, 4),
    (GroupStatus::Forming, 5),
    (GroupStatus::Applied, 3),
    (GroupStatus::Screening, 3),
    (GroupStatus::InTraining, 4),
    (GroupStatus::ReadyToMatch, 4),
    (GroupStatus::Matched, 6),
    (GroupStatus::Active, 14),
    (GroupStatus::Completed, 6),
    (GroupStatus::Alumni, 5),
    (GroupStatus::OnHold, 2),
    (GroupStatus::Withdrawn, 2),
    (GroupStatus::NotApproved, 2),
];

/// The rows of the demo set, before they are written.
#[derive(Default)]
pub struct DemoData {
    pub networks: Vec<sponsorship_network::Model>,
    pub cities: Vec<city::Model>,
    pub groups: Vec<sponsor_group::Model>,
    pub volunteers: Vec<volunteer::Model>,
    pub memberships: Vec<membership::Model>,
    pub households: Vec<newcomer_household::Model>,
    pub sponsorships: Vec<sponsorship::Model>,
    pub milestones: Vec<milestone::Model>,
    pub contributions: Vec<contribution::Model>,
    pub sponsors: Vec<corporate_sponsor::Model>,
    pub commitments: Vec<sponsor_commitment::Model>,
    pub partners: Vec<partner_organisation::Model>,
    pub group_history: Vec<group_status_change::Model>,
    pub sponsorship_history: Vec<sponsorship_status_change::Model>,
}

/// Writes the demo set in one transaction and returns the rows per table.
pub async fn seed(db: &DatabaseConnection) -> Result<SeedCounts, DbErr> {
    let d = build();
    let txn = db.begin().await?;
    let mut n = SeedCounts::new();
    n.insert(
        "sponsorship_network",
        insert_all(&txn, d.networks, 10).await?,
    );
    n.insert("city", insert_all(&txn, d.cities, 11).await?);
    n.insert("sponsor_group", insert_all(&txn, d.groups, 10).await?);
    n.insert("volunteer", insert_all(&txn, d.volunteers, 9).await?);
    n.insert("membership", insert_all(&txn, d.memberships, 11).await?);
    n.insert(
        "newcomer_household",
        insert_all(&txn, d.households, 9).await?,
    );
    n.insert("sponsorship", insert_all(&txn, d.sponsorships, 13).await?);
    n.insert("milestone", insert_all(&txn, d.milestones, 7).await?);
    n.insert("corporate_sponsor", insert_all(&txn, d.sponsors, 8).await?);
    n.insert(
        "sponsor_commitment",
        insert_all(&txn, d.commitments, 16).await?,
    );
    n.insert("contribution", insert_all(&txn, d.contributions, 14).await?);
    n.insert(
        "group_status_change",
        insert_all(&txn, d.group_history, 7).await?,
    );
    n.insert(
        "sponsorship_status_change",
        insert_all(&txn, d.sponsorship_history, 7).await?,
    );
    n.insert(
        "partner_organisation",
        insert_all(&txn, d.partners, 7).await?,
    );
    txn.commit().await?;
    Ok(n)
}

/// Builds the demo set (pure and deterministic).
pub fn build() -> DemoData {
    let mut g = Gen::new(2018);
    let today = ymd(REFERENCE_DAY.0, REFERENCE_DAY.1, REFERENCE_DAY.2);
    let mut d = DemoData::default();

    let network_id = g.uuid();
    let founded = ymd(2018, 1, 15);
    d.networks.push(sponsorship_network::Model {
        id: network_id,
        slug: "samen-hier".into(),
        name: "Samen Hier".into(),
        description: "Community sponsorship in the Netherlands: residents and municipalities welcome refugees together."
            .into(),
        country_code: "NL".into(),
        website: Some("https://www.samenhier.nl".into()),
        founded_on: Some(founded),
        created_at: at_noon(founded),
        updated_at: at_noon(founded),
        version: 1,
    });

    let towns = TOWNS.iter().map(|t| (t, CityKind::City));
    let villages = VILLAGES.iter().map(|t| (t, CityKind::Village));
    for ((code, name, province, status, year), kind) in towns.chain(villages) {
        let joined = year.map(|y| ymd(y, 1 + g.0.u32(..12), 1));
        d.cities.push(city::Model {
            id: g.uuid(),
            network_id,
            name: (*name).into(),
            cbs_code: (*code).into(),
            province: *province,
            kind,
            status: *status,
            joined_on: joined,
            created_at: at_noon(joined.unwrap_or(ymd(2026, 6, 1))),
            updated_at: at_noon(joined.unwrap_or(ymd(2026, 6, 1))),
            version: 1,
        });
    }

    people::build_groups(&mut g, &mut d, today);
    people::build_people(&mut g, &mut d, today);
    care::build_sponsorships(&mut g, &mut d, today);
    care::build_companies(&mut g, &mut d, network_id, today);
    let (groups, sponsorships) = super::history::build(&mut g, &d.groups, &d.sponsorships, today);
    d.group_history = groups;
    d.sponsorship_history = sponsorships;
    d
}
