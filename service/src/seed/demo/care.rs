//! Demo households, sponsorships, milestones and contributions; companies and partners.

use super::DemoData;
use crate::seed::data::{self, Gen, at_noon, ymd};
use chrono::{Days, Months, NaiveDate};
use haven_entities::enums::*;
use haven_entities::*;
use uuid::Uuid;

/// Milestones in the order households usually reach them.
const MILESTONES: &[MilestoneKind] = &[
    MilestoneKind::Arrived,
    MilestoneKind::HousingKeys,
    MilestoneKind::BrpRegistered,
    MilestoneKind::BankAccount,
    MilestoneKind::HealthInsurance,
    MilestoneKind::HomeFurnished,
    MilestoneKind::GpRegistered,
    MilestoneKind::SchoolEnrolled,
    MilestoneKind::LanguageCourseStarted,
    MilestoneKind::VolunteerWork,
    MilestoneKind::EducationStarted,
    MilestoneKind::LanguageB1,
    MilestoneKind::PaidWork,
    MilestoneKind::FormalSupportEnded,
];

/// A household's first language: Ukrainian or Russian for displaced Ukrainians, one of the
/// other languages newcomers speak for everyone else.
fn newcomer_language(g: &mut Gen, variant: SponsorshipVariant) -> &'static str {
    const UKRAINIAN: [&str; 3] = ["uk", "uk", "ru"];
    if variant == SponsorshipVariant::UkraineAdHoc {
        UKRAINIAN[g.0.usize(..UKRAINIAN.len())]
    } else {
        let others: Vec<&'static str> = data::NEWCOMER_LANGUAGES
            .iter()
            .copied()
            .filter(|l| !matches!(*l, "uk" | "ru"))
            .collect();
        others[g.0.usize(..others.len())]
    }
}

/// What volunteers log most.
const VOLUNTEER_KINDS: &[ContributionKind] = &[
    ContributionKind::Visit,
    ContributionKind::Visit,
    ContributionKind::AdminHelp,
    ContributionKind::Transport,
    ContributionKind::LanguagePractice,
    ContributionKind::LanguagePractice,
    ContributionKind::Networking,
];

/// The shape of one sponsorship to generate.
struct Plan {
    status: SponsorshipStatus,
    /// Days before the reference day that it was proposed.
    proposed_days_ago: u64,
}

/// The sponsorships a group in status `group` has had; a finished group's one ended `early`
/// when asked.
fn plans_for(
    g: &mut Gen,
    group: GroupStatus,
    variant: SponsorshipVariant,
    early: bool,
) -> Vec<Plan> {
    use SponsorshipStatus as S;
    let plan = |status, days| Plan {
        status,
        proposed_days_ago: days,
    };
    match group {
        GroupStatus::Matched => {
            // Only a resettled refugee is prepared for before arriving from abroad.
            let waiting = if variant == SponsorshipVariant::Resettlement {
                S::PreArrival
            } else {
                S::Confirmed
            };
            vec![plan(
                *g.pick(&[S::Proposed, S::Confirmed, waiting]),
                20 + g.0.u64(..60),
            )]
        }
        GroupStatus::Active => {
            let current = if g.chance(0.15) {
                S::Closing
            } else {
                S::Active
            };
            let days = if current == S::Closing {
                400 + g.0.u64(..20)
            } else {
                90 + g.0.u64(..260)
            };
            let mut v = vec![plan(current, days)];
            if g.chance(0.25) {
                v.push(plan(S::Completed, 800 + g.0.u64(..200)));
            }
            v
        }
        GroupStatus::Completed => {
            // Some sponsorships end before their term: the figures of early ends need a few.
            let s = if early { S::EndedEarly } else { S::Completed };
            vec![plan(s, 450 + g.0.u64(..300))]
        }
        GroupStatus::Alumni => vec![
            plan(S::Completed, 900 + g.0.u64(..150)),
            plan(S::Completed, 500 + g.0.u64(..60)),
        ],
        GroupStatus::ReadyToMatch if g.chance(0.5) => vec![plan(S::Declined, 30 + g.0.u64(..60))],
        _ => Vec::new(),
    }
}

pub(super) fn build_sponsorships(g: &mut Gen, d: &mut DemoData, today: NaiveDate) {
    for gi in 0..d.groups.len() {
        let group = d.groups[gi].clone();
        let members: Vec<Uuid> = d
            .memberships
            .iter()
            .filter(|m| m.group_id == group.id && m.role != MembershipRole::ExtendedNetwork)
            .map(|m| m.volunteer_id)
            .collect();
        // Every third group's last sponsorship ended early if the group has finished.
        let plans = plans_for(g, group.status, group.variant, gi % 3 == 0);
        // A group is matched only after forming, screening and training (some five months):
        // one whose first proposal would come sooner formed earlier than drawn.
        if let Some(first) = plans.iter().map(|p| p.proposed_days_ago).max() {
            let latest_formed = today - Days::new(first) - Days::new(150);
            if group.formed_on > latest_formed {
                d.groups[gi].formed_on = latest_formed;
                d.groups[gi].created_at = at_noon(latest_formed);
            }
        }
        for plan in plans {
            let proposed = today - Days::new(plan.proposed_days_ago);
            let household_id = g.uuid();
            let started = (!matches!(
                plan.status,
                SponsorshipStatus::Proposed
                    | SponsorshipStatus::Confirmed
                    | SponsorshipStatus::PreArrival
                    | SponsorshipStatus::Declined
            ))
            .then(|| proposed + Days::new(30 + g.0.u64(..45)));
            let planned_end = started.and_then(|s| s.checked_add_months(Months::new(12)));
            let (ended, reason) = match plan.status {
                SponsorshipStatus::Completed => (planned_end, None),
                SponsorshipStatus::EndedEarly => (
                    started.map(|s| s + Days::new(120 + g.0.u64(..90))),
                    Some(*g.pick(&[
                        EndReason::Moved,
                        EndReason::NewcomerChoice,
                        EndReason::RelationshipBreakdown,
                    ])),
                ),
                SponsorshipStatus::Declined => (Some(proposed + Days::new(14)), None),
                _ => (None, None),
            };
            let mut languages = vec![newcomer_language(g, group.variant).to_string()];
            if g.chance(0.5) {
                languages.push("en".into());
            }
            languages.dedup();
            // A student sponsorship welcomes one student; others, families of one to seven.
            let student = matches!(
                group.variant,
                SponsorshipVariant::Student | SponsorshipVariant::StudentTheHague
            );
            let household_size = if student { 1 } else { 1 + g.0.i32(0..7) };
            d.households.push(newcomer_household::Model {
                id: household_id,
                city_id: group.city_id,
                pseudonym: format!("{} {}", g.pick(data::PSEUDONYMS), d.households.len() + 1),
                household_size,
                languages: languages.into(),
                arrival_date: started,
                created_at: at_noon(proposed),
                updated_at: at_noon(proposed),
                version: 1,
            });
            let sponsorship_id = g.uuid();
            d.sponsorships.push(sponsorship::Model {
                id: sponsorship_id,
                group_id: group.id,
                household_id,
                variant: group.variant,
                status: plan.status,
                end_reason: reason,
                proposed_on: proposed,
                started_on: started,
                planned_end_on: planned_end,
                ended_on: ended,
                created_at: at_noon(proposed),
                updated_at: at_noon(ended.or(started).unwrap_or(proposed)),
                version: 1,
            });
            if let Some(start) = started {
                let until = ended.unwrap_or(today).min(today);
                add_milestones(g, d, sponsorship_id, household_size, start, until);
                add_care_contributions(g, d, &group, sponsorship_id, &members, start, until);
            }
        }
    }
}

fn add_milestones(
    g: &mut Gen,
    d: &mut DemoData,
    sponsorship_id: Uuid,
    household_size: i32,
    start: NaiveDate,
    until: NaiveDate,
) {
    let span = (until - start).num_days().max(1) as u64;
    // Longer sponsorships have reached more milestones; a household of one has no child to
    // enrol at school.
    let fitting: Vec<MilestoneKind> = MILESTONES
        .iter()
        .copied()
        .filter(|k| household_size > 1 || *k != MilestoneKind::SchoolEnrolled)
        .collect();
    let reached = (fitting.len() as u64 * span / 365).clamp(1, fitting.len() as u64) as usize;
    for (i, kind) in fitting.iter().take(reached).enumerate() {
        let day = start + Days::new((span * i as u64 / fitting.len() as u64) + g.0.u64(..7));
        let day = day.min(until);
        d.milestones.push(milestone::Model {
            id: g.uuid(),
            sponsorship_id,
            kind: *kind,
            achieved_on: day,
            created_at: at_noon(day),
            updated_at: at_noon(day),
            version: 1,
        });
    }
}

fn add_care_contributions(
    g: &mut Gen,
    d: &mut DemoData,
    group: &sponsor_group::Model,
    sponsorship_id: Uuid,
    members: &[Uuid],
    start: NaiveDate,
    until: NaiveDate,
) {
    if members.is_empty() {
        return;
    }
    let mut day = start;
    while day < until {
        let kind = if g.chance(0.05) {
            ContributionKind::InKind
        } else {
            *g.pick(VOLUNTEER_KINDS)
        };
        d.contributions.push(contribution::Model {
            id: g.uuid(),
            group_id: group.id,
            sponsorship_id: Some(sponsorship_id),
            volunteer_id: Some(*g.pick(members)),
            corporate_sponsor_id: None,
            contributed_on: day,
            kind,
            minutes: 30 + 15 * g.0.i32(0..15),
            value_cents: (kind == ContributionKind::InKind).then(|| 1_000 * (1 + g.0.i64(0..50))),
            note: g.chance(0.2).then(|| "Fictional demo note".to_owned()),
            created_at: at_noon(day),
            updated_at: at_noon(day),
            version: 1,
        });
        day = day + Days::new(5 + g.0.u64(..7));
    }
}

/// Fictional companies.
const COMPANIES: &[&str] = &[
    "Bouwbedrijf Van Dam",
    "Koffiebranderij De Kroon",
    "Fietsenmakerij Noord",
    "Logistiek Lijn 7",
    "Software Studio Polder",
    "Bakkerij Het Gouden Korenaar",
    "Installatietechniek Meerman",
    "Drukkerij De Letter",
    "Hotel De Haven",
    "Adviesbureau Brug & Co",
    "Zorggroep Zonnehuis",
    "Energiecoöperatie Windkracht",
    "Meubelmakerij Eikenhout",
    "Taalschool Woordrijk",
    "Supermarkt Buurtvers",
];

pub(super) fn build_companies(g: &mut Gen, d: &mut DemoData, network_id: Uuid, today: NaiveDate) {
    let active_groups: Vec<sponsor_group::Model> = d
        .groups
        .iter()
        .filter(|gr| gr.status == GroupStatus::Active)
        .cloned()
        .collect();
    for (i, name) in COMPANIES.iter().enumerate() {
        let since = ymd(2023, 1 + g.0.u32(..12), 1);
        let sponsor_id = g.uuid();
        d.sponsors.push(corporate_sponsor::Model {
            id: sponsor_id,
            name: (*name).into(),
            kvk_number: format!("{:08}", 90_000_000 + i * 7_919),
            sector: g.pick(data::SECTORS).to_string(),
            website: g
                .chance(0.6)
                .then(|| format!("https://sponsor-{}.example.org", i + 1)),
            created_at: at_noon(since),
            updated_at: at_noon(since),
            version: 1,
        });
        for _ in 0..1 + g.0.usize(..2) {
            let group = g.pick(&active_groups).clone();
            // The scope's network and town are stored too, so lists by network or town need no joins.
            let (scope_kind, net, city, grp) = match g.0.u8(..4) {
                0 => (ScopeKind::Network, Some(network_id), None, None),
                1 => (ScopeKind::City, Some(network_id), Some(group.city_id), None),
                _ => (
                    ScopeKind::Group,
                    Some(network_id),
                    Some(group.city_id),
                    Some(group.id),
                ),
            };
            let kind = *g.pick(&[
                CommitmentKind::StaffTime,
                CommitmentKind::StaffTime,
                CommitmentKind::InKind,
                CommitmentKind::Jobs,
                CommitmentKind::Expertise,
                CommitmentKind::Venue,
            ]);
            let starts = g.date_within(ymd(2024, 1, 1), 600);
            let ends = starts.checked_add_months(Months::new(12));
            d.commitments.push(sponsor_commitment::Model {
                id: g.uuid(),
                sponsor_id,
                scope_kind,
                network_id: net,
                city_id: city,
                group_id: grp,
                kind,
                pledged_hours: matches!(
                    kind,
                    CommitmentKind::StaffTime | CommitmentKind::Expertise
                )
                .then(|| 20 + 10 * g.0.i32(0..10)),
                pledged_value_cents: (kind == CommitmentKind::InKind)
                    .then(|| 50_000 * (1 + g.0.i64(0..10))),
                pledged_places: (kind == CommitmentKind::Jobs).then(|| 1 + g.0.i32(0..3)),
                starts_on: starts,
                ends_on: ends,
                created_at: at_noon(starts),
                updated_at: at_noon(starts),
                version: 1,
            });
            // Deliveries land in the group the pledge was made with in mind, inside the period.
            let last = ends.unwrap_or(today).min(today);
            let mut day = starts;
            while day < last {
                let c_kind = match kind {
                    CommitmentKind::StaffTime | CommitmentKind::Venue => ContributionKind::Visit,
                    CommitmentKind::InKind => ContributionKind::InKind,
                    CommitmentKind::Jobs => ContributionKind::JobPlacement,
                    CommitmentKind::Expertise => ContributionKind::Expertise,
                };
                d.contributions.push(contribution::Model {
                    id: g.uuid(),
                    group_id: group.id,
                    sponsorship_id: None,
                    volunteer_id: None,
                    corporate_sponsor_id: Some(sponsor_id),
                    contributed_on: day,
                    kind: c_kind,
                    minutes: 60 * (1 + g.0.i32(0..4)),
                    value_cents: (c_kind == ContributionKind::InKind)
                        .then(|| 5_000 * (1 + g.0.i64(0..20))),
                    note: None,
                    created_at: at_noon(day),
                    updated_at: at_noon(day),
                    version: 1,
                });
                day = day + Days::new(20 + g.0.u64(..40));
            }
        }
    }
    let partners = [
        ("Gemeente Haarlem (demo)", PartnerKind::Municipality),
        ("COA (demo)", PartnerKind::ReceptionAgency),
        ("VluchtelingenWerk Nederland (demo)", PartnerKind::Ngo),
    ];
    for (name, kind) in partners {
        d.partners.push(partner_organisation::Model {
            id: g.uuid(),
            name: name.into(),
            kind,
            website: None,
            created_at: at_noon(ymd(2024, 3, 1)),
            updated_at: at_noon(ymd(2024, 3, 1)),
            version: 1,
        });
    }
}
