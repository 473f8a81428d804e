//! Demo groups, volunteers and memberships.

use super::{DemoData, GROUP_STATES, UNIVERSITY_TOWNS};
use crate::seed::data::{self, Gen, at_noon};
use chrono::{Days, NaiveDate};
use haven_entities::enums::*;
use haven_entities::*;

fn is_late(s: GroupStatus) -> bool {
    use GroupStatus::*;
    matches!(
        s,
        Matched | Active | Completed | Alumni | OnHold | Withdrawn | NotApproved
    )
}

pub(super) fn build_groups(g: &mut Gen, d: &mut DemoData, today: NaiveDate) {
    let established: Vec<usize> = (0..d.cities.len())
        .filter(|&i| {
            matches!(
                d.cities[i].status,
                CityStatus::Active | CityStatus::Paused | CityStatus::Closed
            )
        })
        .collect();
    // Open sponsorships only where the town takes part now, not where it paused or stopped.
    let taking_part: Vec<usize> = (0..d.cities.len())
        .filter(|&i| d.cities[i].status == CityStatus::Active)
        .collect();
    let starting: Vec<usize> = (0..d.cities.len())
        .filter(|&i| d.cities[i].status != CityStatus::Exploring)
        .collect();
    let exploring: Vec<usize> = (0..d.cities.len())
        .filter(|&i| d.cities[i].status == CityStatus::Exploring)
        .collect();
    // The first five active groups show each variant where it belongs.
    let showcase = [
        ("GM0599", SponsorshipVariant::Resettlement),
        ("GM0034", SponsorshipVariant::StatusHolder),
        ("GM0518", SponsorshipVariant::StudentTheHague),
        ("GM0546", SponsorshipVariant::Student),
        ("GM0392", SponsorshipVariant::UkraineAdHoc),
    ];
    let mut used_names = std::collections::HashSet::new();
    let (mut interested, mut active) = (0, 0);
    for &(status, count) in GROUP_STATES {
        for _ in 0..count {
            let (ci, variant) = if status == GroupStatus::Active && active < showcase.len() {
                let (code, v) = showcase[active];
                active += 1;
                (
                    d.cities
                        .iter()
                        .position(|c| c.cbs_code == code)
                        .unwrap_or(0),
                    Some(v),
                )
            } else if status == GroupStatus::Interested && interested < exploring.len() {
                interested += 1;
                (exploring[interested - 1], None)
            } else if matches!(status, GroupStatus::Matched | GroupStatus::Active) {
                (*g.pick(&taking_part), None)
            } else if is_late(status) {
                (*g.pick(&established), None)
            } else {
                (*g.pick(&starting), None)
            };
            let city = &d.cities[ci];
            let variant = variant.unwrap_or_else(|| pick_variant(g, &city.cbs_code));
            let name = loop {
                let candidate = format!(
                    "{} {}",
                    g.pick(data::GROUP_NAMES),
                    city.name.trim_start_matches("'s-")
                );
                if used_names.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let age_days = match status {
                GroupStatus::Completed | GroupStatus::Alumni => 1100 + g.0.u64(..500),
                s if is_late(s) => 420 + g.0.u64(..500),
                _ => 20 + g.0.u64(..400),
            };
            let formed = today - Days::new(age_days);
            d.groups.push(sponsor_group::Model {
                id: g.uuid(),
                city_id: city.id,
                name,
                variant,
                status,
                origin: *g.pick(&[
                    GroupOrigin::Neighbours,
                    GroupOrigin::Neighbours,
                    GroupOrigin::Friends,
                    GroupOrigin::Colleagues,
                    GroupOrigin::Faith,
                    GroupOrigin::Students,
                    GroupOrigin::Other,
                ]),
                formed_on: formed,
                created_at: at_noon(formed),
                updated_at: at_noon(today - Days::new(g.0.u64(..age_days.min(300)))),
                version: 1,
            });
        }
    }
}

fn pick_variant(g: &mut Gen, cbs_code: &str) -> SponsorshipVariant {
    use SponsorshipVariant::*;
    let mut options = vec![
        Resettlement,
        Resettlement,
        StatusHolder,
        StatusHolder,
        StatusHolder,
        UkraineAdHoc,
    ];
    if UNIVERSITY_TOWNS.contains(&cbs_code) {
        options.push(Student);
    }
    if cbs_code == "GM0518" {
        options.push(StudentTheHague);
    }
    *g.pick(&options)
}

pub(super) fn build_people(g: &mut Gen, d: &mut DemoData, today: NaiveDate) {
    for i in 0..400 {
        let first = *g.pick(data::FIRST_NAMES);
        let last = *g.pick(data::LAST_NAMES);
        let mut languages = vec!["nl".to_owned()];
        for _ in 0..g.0.usize(..3) {
            let l = g.pick(data::VOLUNTEER_LANGUAGES).to_string();
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        let mut skills: Vec<String> = (0..1 + g.0.usize(..3))
            .map(|_| g.pick(data::SKILLS).to_string())
            .collect();
        skills.dedup();
        let created = today - Days::new(30 + g.0.u64(..1500));
        d.volunteers.push(volunteer::Model {
            id: g.uuid(),
            display_name: format!("{first} {last}"),
            email: format!(
                "{}.{}.{i}@example.org",
                first.to_lowercase(),
                last.to_lowercase().replace(' ', "")
            ),
            phone: g.chance(0.8).then(|| format!("+31 6 0000 {:04}", i)),
            languages: languages.into(),
            skills: skills.into(),
            created_at: at_noon(created),
            updated_at: at_noon(created),
            version: 1,
            erased_at: None,
        });
    }
    // Most volunteers belong to one group, some to two, a few to none yet.
    let mut next = 0;
    for gi in 0..d.groups.len() {
        let group = d.groups[gi].clone();
        let size = match group.status {
            GroupStatus::Interested => 3 + g.0.usize(..3),
            GroupStatus::Forming => 4 + g.0.usize(..4),
            _ => 5 + g.0.usize(..5),
        };
        let long_running = matches!(
            group.status,
            GroupStatus::Active | GroupStatus::Completed | GroupStatus::Alumni
        );
        for m in 0..size {
            let vi = if next < 360 {
                next += 1;
                next - 1
            } else {
                g.0.usize(..360)
            };
            let role = if m == 0 || (m == 1 && g.chance(0.4)) {
                MembershipRole::Lead
            } else if m + 1 == size && g.chance(0.5) {
                MembershipRole::ExtendedNetwork
            } else {
                MembershipRole::Member
            };
            let joined = g.date_within(group.formed_on, 60);
            let vog = vog_for(g, group.status, role, m);
            let trained = training_for(group.status, role)
                .then(|| g.date_within(joined + Days::new(60), 120));
            let left = (long_running && m > 2 && g.chance(0.12))
                .then(|| g.date_within(joined + Days::new(200), 200));
            d.memberships.push(membership::Model {
                id: g.uuid(),
                group_id: group.id,
                volunteer_id: d.volunteers[vi].id,
                role,
                joined_on: joined,
                left_on: left.filter(|l| *l < today),
                vog_status: vog,
                training_completed_on: trained.filter(|t| *t < today),
                created_at: at_noon(joined),
                updated_at: at_noon(joined),
                version: 1,
            });
        }
    }
}

fn vog_for(g: &mut Gen, status: GroupStatus, role: MembershipRole, index: usize) -> VogStatus {
    use GroupStatus::*;
    if role == MembershipRole::ExtendedNetwork {
        return VogStatus::NotRequested;
    }
    match status {
        Interested | Forming | Applied => VogStatus::NotRequested,
        Screening if g.chance(0.6) => VogStatus::Requested,
        NotApproved if index == 1 => VogStatus::Refused,
        _ => VogStatus::Received,
    }
}

fn training_for(status: GroupStatus, role: MembershipRole) -> bool {
    use GroupStatus::*;
    role != MembershipRole::ExtendedNetwork
        && matches!(
            status,
            ReadyToMatch | Matched | Active | Completed | Alumni | OnHold
        )
}
