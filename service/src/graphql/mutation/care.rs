//! Mutations of care: households, sponsorships along their lifecycle, milestones and
//! contributions.

use super::{target, write};
use crate::db::care_writes::{self as care, HouseholdPatch, HouseholdRef, NewHousehold, Step};
use crate::db::contribution_writes::{self as contributions, ContributionPatch, Giver};
use crate::db::writes;
use crate::error::{Error, GqlResultExt};
use crate::graphql::guard::{self, Access};
use crate::graphql::parse_id;
use crate::graphql::types::enums::{
    ContributionKind, EndReason, MilestoneKind, SponsorshipStatus, SponsorshipVariant,
};
use crate::graphql::types::{Contribution, Milestone, NewcomerHousehold, Sponsorship};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::{NaiveDate, Utc};
use haven_entities::{contribution, milestone, newcomer_household, sponsor_group, sponsorship};
use uuid::Uuid;

/// A newcomer household: a pseudonym, never a name, citizen number or story.
#[derive(InputObject)]
pub struct HouseholdInput {
    pub pseudonym: String,
    /// 1 to 20.
    pub household_size: i32,
    /// ISO 639-1 codes.
    #[graphql(default)]
    pub languages: Vec<String>,
    pub arrival_date: Option<NaiveDate>,
}

/// Changes to a household; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateHouseholdInput {
    pub pseudonym: Option<String>,
    pub household_size: Option<i32>,
    pub languages: Option<Vec<String>>,
    /// `null` clears it.
    pub arrival_date: MaybeUndefined<NaiveDate>,
}

/// A proposed match: a group and a household of its town (`householdId` of a known household,
/// or `newHousehold`).
#[derive(InputObject)]
pub struct ProposeSponsorshipInput {
    pub group_id: ID,
    pub household_id: Option<ID>,
    pub new_household: Option<HouseholdInput>,
    /// The group's variant when omitted.
    pub variant: Option<SponsorshipVariant>,
    /// Defaults to today.
    pub proposed_on: Option<NaiveDate>,
}

/// Time or goods given. Without `volunteerId` or `corporateSponsorId` it is the signed-in
/// volunteer's own; logging for someone else is for the group's leads and coordinators.
#[derive(InputObject)]
pub struct LogContributionInput {
    pub group_id: ID,
    pub sponsorship_id: Option<ID>,
    pub volunteer_id: Option<ID>,
    pub corporate_sponsor_id: Option<ID>,
    pub date: NaiveDate,
    pub kind: ContributionKind,
    /// More than 0, at most 24; at most 24 a day per volunteer.
    pub hours: f64,
    pub value_cents: Option<i64>,
    pub note: Option<String>,
}

/// Changes to a contribution; omitted fields stay as they are, `null` clears.
#[derive(InputObject, Default)]
pub struct UpdateContributionInput {
    pub sponsorship_id: MaybeUndefined<ID>,
    pub date: Option<NaiveDate>,
    pub kind: Option<ContributionKind>,
    pub hours: Option<f64>,
    pub value_cents: MaybeUndefined<i64>,
    pub note: MaybeUndefined<String>,
}

fn maybe<T>(v: MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn opt_id(field: &str, id: Option<&ID>) -> Result<Option<Uuid>> {
    id.map(|i| parse_id(field, i)).transpose().gql()
}

/// Editing or deleting a contribution: one's own as a member of the group, anyone's as its
/// lead or coordinator.
async fn may_change(ctx: &Context<'_>, c: &contribution::Model) -> Result<()> {
    let own = c.volunteer_id.is_some() && guard::viewer(ctx).subject() == c.volunteer_id;
    let access = if own { Access::Members } else { Access::Lead };
    guard::require_group(ctx, access, c.group_id, "changing this contribution").await
}

const SPONSORSHIP: &str = "sponsorship";

/// Moves a sponsorship a step, for its group's leads and coordinators.
async fn step(
    ctx: &Context<'_>,
    operation: &'static str,
    id: &ID,
    expected_version: i32,
    step: Step,
) -> Result<Sponsorship> {
    guard::authenticated(ctx)?;
    let s = target::<sponsorship::Entity>(ctx, "id", id).await?;
    guard::require_group(ctx, Access::Lead, s.group_id, "changing this sponsorship").await?;
    let row = write(ctx, operation, SPONSORSHIP, move |txn| {
        Box::pin(async move { care::transition(txn, &s, expected_version, step).await })
    })
    .await?;
    Ok(Sponsorship(row))
}

#[derive(Default)]
pub struct CareMutation;

#[Object]
impl CareMutation {
    /// Proposes a match of a group and a household (coordinators of the town, administrators).
    async fn propose_sponsorship(
        &self,
        ctx: &Context<'_>,
        input: ProposeSponsorshipInput,
    ) -> Result<Sponsorship> {
        guard::authenticated(ctx)?;
        let group = target::<sponsor_group::Entity>(ctx, "input.groupId", &input.group_id).await?;
        guard::require_group(ctx, Access::Households, group.id, "matching households").await?;
        let household = match (input.household_id, input.new_household) {
            (Some(id), None) => HouseholdRef::Existing(parse_id("input.householdId", &id).gql()?),
            (None, Some(h)) => HouseholdRef::New(NewHousehold {
                pseudonym: h.pseudonym,
                household_size: h.household_size,
                languages: h.languages,
                arrival_date: h.arrival_date,
            }),
            _ => {
                return Err(Error::bad_input(
                    "input.householdId",
                    "give either `householdId` or `newHousehold`",
                )
                .into_graphql());
            }
        };
        let new = care::NewSponsorship {
            group,
            household,
            variant: input.variant.map(Into::into),
            proposed_on: input.proposed_on.unwrap_or_else(|| Utc::now().date_naive()),
        };
        let row = write(ctx, "proposeSponsorship", SPONSORSHIP, move |txn| {
            Box::pin(care::propose(txn, new))
        })
        .await?;
        Ok(Sponsorship(row))
    }

    /// The group accepts the proposed match: PROPOSED → CONFIRMED.
    async fn confirm_sponsorship(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<Sponsorship> {
        let to = Step {
            to: SponsorshipStatus::Confirmed.into(),
            on: None,
            end_reason: None,
        };
        step(ctx, "confirmSponsorship", &id, expected_version, to).await
    }

    /// The household has arrived: to ACTIVE on `startedOn` (default today), with the planned
    /// end twelve months on.
    async fn start_sponsorship(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        started_on: Option<NaiveDate>,
    ) -> Result<Sponsorship> {
        let to = Step {
            to: SponsorshipStatus::Active.into(),
            on: started_on,
            end_reason: None,
        };
        step(ctx, "startSponsorship", &id, expected_version, to).await
    }

    /// Ends a sponsorship on `endedOn` (default today): COMPLETED, or ENDED_EARLY when an end
    /// reason is given.
    async fn close_sponsorship(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        ended_on: Option<NaiveDate>,
        end_reason: Option<EndReason>,
    ) -> Result<Sponsorship> {
        let to = Step {
            to: match end_reason {
                Some(_) => SponsorshipStatus::EndedEarly.into(),
                None => SponsorshipStatus::Completed.into(),
            },
            on: ended_on,
            end_reason: end_reason.map(Into::into),
        };
        step(ctx, "closeSponsorship", &id, expected_version, to).await
    }

    /// Any step along the sponsorship lifecycle (also PRE_ARRIVAL, CLOSING and DECLINED); a
    /// step outside it is `BAD_USER_INPUT`. `on` is the day of a start or an end.
    async fn transition_sponsorship(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        to: SponsorshipStatus,
        on: Option<NaiveDate>,
        end_reason: Option<EndReason>,
    ) -> Result<Sponsorship> {
        let to = Step {
            to: to.into(),
            on,
            end_reason: end_reason.map(Into::into),
        };
        step(ctx, "transitionSponsorship", &id, expected_version, to).await
    }

    /// Changes a household (coordinators of its town, administrators).
    async fn update_household(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateHouseholdInput,
    ) -> Result<NewcomerHousehold> {
        guard::authenticated(ctx)?;
        let h = target::<newcomer_household::Entity>(ctx, "id", &id).await?;
        guard::require_city(ctx, Access::Households, h.city_id, "changing a household").await?;
        let patch = HouseholdPatch {
            pseudonym: input.pseudonym,
            household_size: input.household_size,
            languages: input.languages,
            arrival_date: maybe(input.arrival_date),
        };
        let row = write(ctx, "updateHousehold", "newcomer_household", move |txn| {
            Box::pin(care::update_household(txn, h.id, expected_version, patch))
        })
        .await?;
        Ok(NewcomerHousehold(row))
    }

    /// Records a milestone of a sponsorship, achieved on `achievedOn` (default today); for the
    /// members of its group and coordinators.
    async fn record_milestone(
        &self,
        ctx: &Context<'_>,
        sponsorship_id: ID,
        kind: MilestoneKind,
        achieved_on: Option<NaiveDate>,
    ) -> Result<Milestone> {
        guard::authenticated(ctx)?;
        let s = target::<sponsorship::Entity>(ctx, "sponsorshipId", &sponsorship_id).await?;
        guard::require_group(ctx, Access::Members, s.group_id, "recording a milestone").await?;
        let day = achieved_on.unwrap_or_else(|| Utc::now().date_naive());
        let row = write(ctx, "recordMilestone", "milestone", move |txn| {
            Box::pin(async move { care::record_milestone(txn, &s, kind.into(), day).await })
        })
        .await?;
        Ok(Milestone(row))
    }

    /// Takes back a milestone recorded by mistake (members of its group, coordinators).
    /// Returns the removed milestone.
    async fn undo_milestone(&self, ctx: &Context<'_>, id: ID) -> Result<Milestone> {
        guard::authenticated(ctx)?;
        let m = target::<milestone::Entity>(ctx, "id", &id).await?;
        let s = target::<sponsorship::Entity>(ctx, "id", &ID(m.sponsorship_id.to_string())).await?;
        guard::require_group(ctx, Access::Members, s.group_id, "undoing a milestone").await?;
        let row = write(ctx, "undoMilestone", "milestone", move |txn| {
            Box::pin(writes::delete_if_current::<milestone::Entity>(
                txn, m.id, None,
            ))
        })
        .await?;
        Ok(Milestone(row))
    }

    /// Logs time or goods given to a group.
    async fn log_contribution(
        &self,
        ctx: &Context<'_>,
        input: LogContributionInput,
    ) -> Result<Contribution> {
        guard::authenticated(ctx)?;
        let group = target::<sponsor_group::Entity>(ctx, "input.groupId", &input.group_id).await?;
        let volunteer = opt_id("input.volunteerId", input.volunteer_id.as_ref())?;
        let sponsor = opt_id(
            "input.corporateSponsorId",
            input.corporate_sponsor_id.as_ref(),
        )?;
        let me = guard::viewer(ctx).subject();
        let giver = match (volunteer, sponsor) {
            (None, Some(c)) => Giver::Sponsor(c),
            (Some(v), None) => Giver::Volunteer(v),
            (None, None) => Giver::Volunteer(me.ok_or_else(|| {
                Error::bad_input(
                    "input.volunteerId",
                    "say who gave it: you are not signed in as a volunteer",
                )
                .into_graphql()
            })?),
            (Some(_), Some(_)) => {
                return Err(Error::bad_input(
                    "input.volunteerId",
                    "a contribution is a volunteer's or a company's, not both",
                )
                .into_graphql());
            }
        };
        let access = if Some(giver) == me.map(Giver::Volunteer) {
            Access::Members
        } else {
            Access::Lead
        };
        guard::require_group(ctx, access, group.id, "logging a contribution here").await?;
        let new = contributions::NewContribution {
            group_id: group.id,
            sponsorship_id: opt_id("input.sponsorshipId", input.sponsorship_id.as_ref())?,
            giver,
            contributed_on: input.date,
            kind: input.kind.into(),
            hours: input.hours,
            value_cents: input.value_cents,
            note: input.note,
        };
        let row = write(ctx, "logContribution", "contribution", move |txn| {
            Box::pin(contributions::log(txn, new))
        })
        .await?;
        Ok(Contribution(row))
    }

    /// Changes a contribution: one's own, or any in the group for its leads and coordinators.
    async fn update_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateContributionInput,
    ) -> Result<Contribution> {
        guard::authenticated(ctx)?;
        let c = target::<contribution::Entity>(ctx, "id", &id).await?;
        may_change(ctx, &c).await?;
        let sponsorship_id = match maybe(input.sponsorship_id) {
            Some(Some(s)) => Some(Some(parse_id("input.sponsorshipId", &s).gql()?)),
            Some(None) => Some(None),
            None => None,
        };
        let patch = ContributionPatch {
            sponsorship_id,
            contributed_on: input.date,
            kind: input.kind.map(Into::into),
            hours: input.hours,
            value_cents: maybe(input.value_cents),
            note: maybe(input.note),
        };
        let row = write(ctx, "updateContribution", "contribution", move |txn| {
            Box::pin(async move { contributions::edit(txn, &c, expected_version, patch).await })
        })
        .await?;
        Ok(Contribution(row))
    }

    /// Deletes a contribution: one's own, or any in the group for its leads and coordinators.
    /// Returns the deleted contribution.
    async fn delete_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<Contribution> {
        guard::authenticated(ctx)?;
        let c = target::<contribution::Entity>(ctx, "id", &id).await?;
        may_change(ctx, &c).await?;
        let row = write(ctx, "deleteContribution", "contribution", move |txn| {
            Box::pin(writes::delete_if_current::<contribution::Entity>(
                txn,
                c.id,
                Some(expected_version),
            ))
        })
        .await?;
        Ok(Contribution(row))
    }
}
