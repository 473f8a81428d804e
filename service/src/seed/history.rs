//! Plausible status histories for seeded rows: each group and sponsorship went through every
//! earlier stage of its lifecycle on earlier days, consistent with the dates the row itself
//! records (a group is matched before its first sponsorship was proposed and active once it
//! started; a sponsorship is active on its start day and ends on its end day).

use super::data::{Gen, at_noon};
use chrono::{Days, NaiveDate};
use haven_entities::enums::{GroupStatus, SponsorshipStatus, SponsorshipVariant};
use haven_entities::{group_status_change, sponsor_group, sponsorship, sponsorship_status_change};
use std::collections::HashMap;
use uuid::Uuid;

/// The stages a group went through to reach `status`.
fn group_path(status: GroupStatus) -> Vec<GroupStatus> {
    use GroupStatus::*;
    const MAIN: [GroupStatus; 10] = [
        Interested,
        Forming,
        Applied,
        Screening,
        InTraining,
        ReadyToMatch,
        Matched,
        Active,
        Completed,
        Alumni,
    ];
    let upto = |last: GroupStatus| {
        let end = MAIN.iter().position(|s| *s == last).unwrap_or(0);
        MAIN[..=end].to_vec()
    };
    match status {
        OnHold => [upto(Applied), vec![OnHold]].concat(),
        Withdrawn => [upto(Screening), vec![Withdrawn]].concat(),
        NotApproved => [upto(Screening), vec![NotApproved]].concat(),
        main => upto(main),
    }
}

/// The stages a sponsorship went through to reach its status.
fn sponsorship_path(s: &sponsorship::Model) -> Vec<SponsorshipStatus> {
    use SponsorshipStatus::*;
    let prepared = if s.variant == SponsorshipVariant::Resettlement {
        vec![Proposed, Confirmed, PreArrival]
    } else {
        vec![Proposed, Confirmed]
    };
    match s.status {
        Proposed => vec![Proposed],
        Declined => vec![Proposed, Declined],
        Confirmed => vec![Proposed, Confirmed],
        PreArrival => vec![Proposed, Confirmed, PreArrival],
        Active => [prepared, vec![Active]].concat(),
        Closing => [prepared, vec![Active, Closing]].concat(),
        Completed => [prepared, vec![Active, Closing, Completed]].concat(),
        EndedEarly if s.started_on.is_some() => [prepared, vec![Active, EndedEarly]].concat(),
        EndedEarly => vec![Proposed, Confirmed, EndedEarly],
    }
}

/// Days for stages with some days known (`anchors`): each unknown day lies between its
/// known neighbours, spread evenly; the days never go back and none is after `last`.
fn days(anchors: &[Option<NaiveDate>], last: NaiveDate) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = Vec::with_capacity(anchors.len());
    let mut i = 0;
    while i < anchors.len() {
        let floor = out.last().copied();
        if let Some(d) = anchors[i] {
            out.push(floor.map_or(d, |f| d.max(f)).min(last));
            i += 1;
            continue;
        }
        let next = (i..anchors.len()).find(|&j| anchors[j].is_some());
        let stop = next.unwrap_or(anchors.len());
        let until = next.and_then(|j| anchors[j]).unwrap_or(last).min(last);
        let from = floor.unwrap_or(until);
        let span = (until - from).num_days().max(0) as u64;
        // The unknown days split the span into equal parts, one more than there are of them.
        let parts = (stop - i + 1) as u64;
        for k in 1..=(stop - i) as u64 {
            out.push(from + Days::new(span * k / parts));
        }
        i = stop;
    }
    out
}

/// When the `step`th change, effective on `day`, was recorded: noon, a second per step, so
/// that changes on one day keep their order (figures take a day's last change as its status).
fn recorded(day: NaiveDate, step: usize) -> chrono::DateTime<chrono::Utc> {
    at_noon(day) + chrono::Duration::seconds(i64::try_from(step).unwrap_or(0))
}

/// The histories of `groups` and `sponsorships`, written by the system, up to `today`.
pub fn build(
    g: &mut Gen,
    groups: &[sponsor_group::Model],
    sponsorships: &[sponsorship::Model],
    today: NaiveDate,
) -> (
    Vec<group_status_change::Model>,
    Vec<sponsorship_status_change::Model>,
) {
    // Each group's first proposal and first start bound its matching and its activity.
    let mut first: HashMap<Uuid, (NaiveDate, Option<NaiveDate>)> = HashMap::new();
    for s in sponsorships {
        let e = first
            .entry(s.group_id)
            .or_insert((s.proposed_on, s.started_on));
        e.0 = e.0.min(s.proposed_on);
        e.1 = match (e.1, s.started_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let mut group_rows = Vec::new();
    for group in groups {
        let path = group_path(group.status);
        let (proposed, started) = first
            .get(&group.id)
            .map_or((None, None), |(p, s)| (Some(*p), *s));
        let anchors: Vec<Option<NaiveDate>> = path
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                _ if i == 0 => Some(group.formed_on),
                GroupStatus::Matched => proposed.map(|p| p - Days::new(7)),
                GroupStatus::Active => started,
                _ => None,
            })
            .collect();
        for (step, (status, day)) in path.iter().zip(days(&anchors, today)).enumerate() {
            group_rows.push(group_status_change::Model {
                id: g.uuid(),
                group_id: group.id,
                status: *status,
                effective_on: day,
                actor_id: None,
                actor_role: "SYSTEM".into(),
                recorded_at: recorded(day, step),
            });
        }
    }
    let mut sponsorship_rows = Vec::new();
    for s in sponsorships {
        use SponsorshipStatus::*;
        let path = sponsorship_path(s);
        let anchors: Vec<Option<NaiveDate>> = path
            .iter()
            .map(|status| match status {
                Proposed => Some(s.proposed_on),
                Active => s.started_on,
                Closing => s.ended_on.or(s.planned_end_on).map(|d| d - Days::new(30)),
                Completed | EndedEarly | Declined => s.ended_on,
                _ => None,
            })
            .collect();
        for (step, (status, day)) in path.iter().zip(days(&anchors, today)).enumerate() {
            sponsorship_rows.push(sponsorship_status_change::Model {
                id: g.uuid(),
                sponsorship_id: s.id,
                status: *status,
                effective_on: day,
                actor_id: None,
                actor_role: "SYSTEM".into(),
                recorded_at: recorded(day, step),
            });
        }
    }
    (group_rows, sponsorship_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn unknown_days_lie_between_known_ones_and_never_go_back() {
        let got = days(
            &[
                Some(day("2025-01-01")),
                None,
                None,
                Some(day("2025-01-31")),
                None,
            ],
            day("2025-03-01"),
        );
        assert_eq!(got[0], day("2025-01-01"));
        assert_eq!(got[3], day("2025-01-31"));
        assert!(got.windows(2).all(|w| w[0] <= w[1]), "{got:?}");
        assert!(
            got[1] > got[0] && got[2] > got[1] && got[2] < got[3],
            "{got:?}"
        );
        assert!(got[4] <= day("2025-03-01"));
        // A known day earlier than its predecessor does not pull the history back.
        let got = days(
            &[Some(day("2025-02-01")), Some(day("2025-01-01"))],
            day("2025-03-01"),
        );
        assert_eq!(got, [day("2025-02-01"), day("2025-02-01")]);
    }

    #[test]
    fn paths_follow_the_lifecycles() {
        use GroupStatus::*;
        assert_eq!(group_path(Interested), [Interested]);
        assert_eq!(group_path(Alumni).len(), 10);
        assert_eq!(group_path(NotApproved).last(), Some(&NotApproved));
        let pairs = |p: Vec<GroupStatus>| {
            p.windows(2)
                .all(|w| crate::db::group_writes::may_transition(w[0], w[1]))
        };
        for s in [
            Forming,
            Matched,
            Active,
            Completed,
            Alumni,
            OnHold,
            Withdrawn,
            NotApproved,
        ] {
            assert!(pairs(group_path(s)), "{s:?}");
        }
    }
}
