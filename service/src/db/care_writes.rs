//! Writing care: newcomer households, sponsorships along their lifecycle, and milestones.

use crate::db::history::{self, Actor};
use crate::db::writes;
use crate::domain::HouseholdSize;
use crate::error::{Error, Result};
use chrono::{Months, NaiveDate};
use haven_entities::enums::{EndReason, GroupStatus, MilestoneKind, SponsorshipStatus};
use haven_entities::{milestone, newcomer_household, sponsor_group, sponsorship};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

/// A household, parsed: a pseudonym (1 to 80 characters), never a name.
pub struct NewHousehold {
    pub pseudonym: String,
    pub household_size: HouseholdSize,
    pub languages: Vec<String>,
    pub arrival_date: Option<NaiveDate>,
}

/// Changes to a household, parsed; `None` leaves a field as it is.
#[derive(Default)]
pub struct HouseholdPatch {
    pub pseudonym: Option<String>,
    pub household_size: Option<HouseholdSize>,
    pub languages: Option<Vec<String>>,
    pub arrival_date: Option<Option<NaiveDate>>,
}

/// Which household a proposed sponsorship is for.
pub enum HouseholdRef {
    Existing(Uuid),
    New(NewHousehold),
}

/// A proposed match of a group and a household; the sponsorship takes the group's variant.
pub struct NewSponsorship {
    pub group_id: Uuid,
    pub household: HouseholdRef,
    pub proposed_on: NaiveDate,
}

/// Inserts a household in town `city_id`.
pub async fn create_household(
    db: &impl ConnectionTrait,
    city_id: Uuid,
    h: NewHousehold,
) -> Result<newcomer_household::Model> {
    let row = newcomer_household::ActiveModel {
        city_id: Set(city_id),
        pseudonym: Set(h.pseudonym),
        household_size: Set(h.household_size.get()),
        languages: Set(h.languages.into()),
        arrival_date: Set(h.arrival_date),
        ..Default::default()
    };
    writes::insert::<newcomer_household::Entity>(db, row).await
}

/// Changes a household.
pub async fn update_household(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    patch: HouseholdPatch,
) -> Result<newcomer_household::Model> {
    let mut change = <newcomer_household::ActiveModel as Default>::default();
    if let Some(p) = patch.pseudonym {
        change.pseudonym = Set(p);
    }
    if let Some(n) = patch.household_size {
        change.household_size = Set(n.get());
    }
    if let Some(l) = patch.languages {
        change.languages = Set(l.into());
    }
    if let Some(a) = patch.arrival_date {
        change.arrival_date = Set(a);
    }
    writes::update_if_current::<newcomer_household::Entity>(db, id, expected, change).await
}

/// Statuses in which a sponsorship is over.
const CLOSED: [SponsorshipStatus; 3] = [
    SponsorshipStatus::Completed,
    SponsorshipStatus::Declined,
    SponsorshipStatus::EndedEarly,
];

/// Proposes a match of a group with a household of the same town (new or known); a household
/// is in at most one open sponsorship.
pub async fn propose(
    db: &impl ConnectionTrait,
    actor: Actor,
    new: NewSponsorship,
) -> Result<sponsorship::Model> {
    let proposed_on = new.proposed_on;
    // Shared-locked: a concurrent change of the group's status (withdrawn, on hold) waits
    // until this proposal is in, or this one waits for it and sees the new status.
    let group = sponsor_group::Entity::find_by_id(new.group_id)
        .lock_shared()
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("sponsor group {}", new.group_id)))?;
    if !matches!(
        group.status,
        GroupStatus::ReadyToMatch | GroupStatus::Matched | GroupStatus::Active
    ) {
        return Err(Error::refused(
            sponsorship::Column::GroupId,
            format!(
                "a group is matched once it is ready to match, not while {}",
                group.status.to_value()
            ),
        ));
    }
    let household = match new.household {
        HouseholdRef::New(h) => create_household(db, group.city_id, h).await?,
        HouseholdRef::Existing(id) => {
            // Locked, so that two proposals for one household cannot both see it free.
            let h = newcomer_household::Entity::find_by_id(id)
                .lock_exclusive()
                .one(db)
                .await?
                .ok_or_else(|| Error::NotFound(format!("household {id}")))?;
            // Households of other towns are not the proposer's to know of.
            if h.city_id != group.city_id {
                return Err(Error::NotFound(format!("household {id}")));
            }
            let open = sponsorship::Entity::find()
                .filter(sponsorship::Column::HouseholdId.eq(id))
                .filter(sponsorship::Column::Status.is_not_in(CLOSED))
                .count(db)
                .await?;
            if open > 0 {
                return Err(Error::Conflict(format!(
                    "household {id} already has an open sponsorship"
                )));
            }
            h
        }
    };
    let row = sponsorship::ActiveModel {
        group_id: Set(group.id),
        household_id: Set(household.id),
        variant: Set(group.variant),
        status: Set(SponsorshipStatus::Proposed),
        end_reason: Set(None),
        proposed_on: Set(proposed_on),
        started_on: Set(None),
        planned_end_on: Set(None),
        ended_on: Set(None),
        ..Default::default()
    };
    let s = writes::insert::<sponsorship::Entity>(db, row).await?;
    history::sponsorship(db, actor, s.id, s.status, proposed_on).await?;
    Ok(s)
}

/// The sponsorship lifecycle: PROPOSED → CONFIRMED → PRE_ARRIVAL → ACTIVE → CLOSING →
/// COMPLETED, with DECLINED from PROPOSED and ENDED_EARLY from anywhere after confirmation.
pub fn may_transition(from: SponsorshipStatus, to: SponsorshipStatus) -> bool {
    use SponsorshipStatus::*;
    matches!(
        (from, to),
        (Proposed, Confirmed | Declined)
            | (Confirmed, PreArrival | Active)
            | (PreArrival, Active)
            | (Active, Closing | Completed)
            | (Closing, Completed)
            | (Confirmed | PreArrival | Active | Closing, EndedEarly)
    )
}

/// A step along the lifecycle, with the day it happened and (to end early) the reason.
pub struct Step {
    pub to: SponsorshipStatus,
    /// The day of the step (not in the future).
    pub on: NaiveDate,
    pub end_reason: Option<EndReason>,
}

/// Moves a sponsorship one step; starting sets the planned end a year on, ending records the
/// day (and the reason, for an early end).
pub async fn transition(
    db: &impl ConnectionTrait,
    actor: Actor,
    id: Uuid,
    expected: i32,
    step: Step,
) -> Result<sponsorship::Model> {
    use SponsorshipStatus::*;
    let current = writes::as_seen::<sponsorship::Entity>(db, id, expected).await?;
    if !may_transition(current.status, step.to) {
        return Err(Error::refused(
            sponsorship::Column::Status,
            format!(
                "a sponsorship cannot go from {} to {}",
                current.status.to_value(),
                step.to.to_value()
            ),
        ));
    }
    let on = step.on;
    let mut change = sponsorship::ActiveModel {
        status: Set(step.to),
        ..Default::default()
    };
    match (step.to, step.end_reason) {
        (EndedEarly, None) => {
            return Err(Error::refused(
                sponsorship::Column::EndReason,
                "ending a sponsorship early needs a reason",
            ));
        }
        (EndedEarly, reason @ Some(_)) => change.end_reason = Set(reason),
        (_, Some(_)) => {
            return Err(Error::refused(
                sponsorship::Column::EndReason,
                "only a sponsorship that ends early has an end reason",
            ));
        }
        _ => {}
    }
    match step.to {
        Active => {
            let started = sponsorship::Column::StartedOn;
            writes::in_order(started, current.proposed_on, on, "the proposal")?;
            change.started_on = Set(Some(on));
            change.planned_end_on = Set(on.checked_add_months(Months::new(12)));
        }
        Completed | EndedEarly | Declined => {
            let since = current.started_on.unwrap_or(current.proposed_on);
            writes::in_order(sponsorship::Column::EndedOn, since, on, "the start")?;
            change.ended_on = Set(Some(on));
        }
        _ => {}
    }
    let s = writes::update_if_current::<sponsorship::Entity>(db, id, expected, change).await?;
    history::sponsorship(db, actor, id, step.to, on).await?;
    Ok(s)
}

/// Records that a sponsorship reached a milestone (once per kind).
pub async fn record_milestone(
    db: &impl ConnectionTrait,
    sponsorship_id: Uuid,
    kind: MilestoneKind,
    achieved_on: NaiveDate,
) -> Result<milestone::Model> {
    use SponsorshipStatus::*;
    let s = writes::existing::<sponsorship::Entity>(db, sponsorship_id).await?;
    if matches!(s.status, Proposed | Confirmed | Declined) {
        return Err(Error::refused(
            milestone::Column::SponsorshipId,
            "milestones are recorded from the preparation of the arrival on",
        ));
    }
    let achieved = milestone::Column::AchievedOn;
    writes::in_order(achieved, s.proposed_on, achieved_on, "the proposal")?;
    let twice = milestone::Entity::find()
        .filter(milestone::Column::SponsorshipId.eq(s.id))
        .filter(milestone::Column::Kind.eq(kind))
        .count(db)
        .await?;
    if twice > 0 {
        return Err(Error::Conflict(format!(
            "this sponsorship already reached {}",
            kind.to_value()
        )));
    }
    let row = milestone::ActiveModel {
        sponsorship_id: Set(s.id),
        kind: Set(kind),
        achieved_on: Set(achieved_on),
        ..Default::default()
    };
    // The unique index on (sponsorship, kind) settles a race between two recorders: CONFLICT.
    writes::insert::<milestone::Entity>(db, row).await
}
