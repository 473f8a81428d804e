//! Mutations of care: households, sponsorships along their lifecycle, and milestones.

use super::{Created, created, day, maybe, target, write, write_creating};
use crate::db::care_writes::{self as care, HouseholdPatch, HouseholdRef, NewHousehold, Step};
use crate::db::history::Actor;
use crate::db::writes;
use crate::domain::{self, HouseholdSize, LanguageCode};
use crate::error::GqlResultExt;
use crate::graphql::types::enums::{EndReason, MilestoneKind, SponsorshipStatus};
use crate::graphql::types::{Milestone, NewcomerHousehold, Sponsorship};
use crate::graphql::{Key, one_key, parse_id};
use crate::policy::check::{self, At};
use crate::policy::{FieldRule, rule};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use haven_entities::enums::SponsorshipStatus as Status;
use haven_entities::{milestone, newcomer_household, sponsor_group, sponsorship};

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

/// A proposed match: a group that is ready to match and a household of its town
/// (`householdId` of a known household, or `newHousehold`). It takes the group's variant.
#[derive(InputObject)]
pub struct ProposeSponsorshipInput {
    pub group_id: ID,
    pub household_id: Option<ID>,
    pub new_household: Option<HouseholdInput>,
    /// Defaults to today.
    pub proposed_on: Option<NaiveDate>,
}

/// Moves a sponsorship a step, for its group's leads and coordinators.
/// A household's pseudonym: 1 to 80 characters, never a name.
fn pseudonym(p: &str) -> crate::error::Result<String> {
    domain::text("pseudonym", p, 80)
}

async fn step(
    ctx: &Context<'_>,
    (operation, rule): (&'static str, &FieldRule),
    id: &ID,
    expected_version: i32,
    step: Step,
) -> Result<Sponsorship> {
    check::authenticated(ctx).await?;
    let s = target::<sponsorship::Entity>(ctx, "id", id).await?;
    check::require_write(ctx, rule, At::Sponsorship(s.id)).await?;
    let actor = Actor::of(check::viewer(ctx));
    let row = write(ctx, operation, move |txn| {
        Box::pin(care::transition(txn, actor, s.id, expected_version, step))
    })
    .await?;
    Ok(Sponsorship(row))
}

/// Mutations of households, sponsorships and milestones.
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
        check::authenticated(ctx).await?;
        let group = target::<sponsor_group::Entity>(ctx, "groupId", &input.group_id).await?;
        let at = At::Group(group.id);
        check::require_write(ctx, rule!(Mutation.proposeSponsorship), at).await?;
        let names = ("householdId", "newHousehold");
        let household = match one_key(input.household_id, input.new_household, names).gql()? {
            Key::First(id) => HouseholdRef::Existing(parse_id("householdId", &id).gql()?),
            Key::Second(h) => HouseholdRef::New(NewHousehold {
                pseudonym: pseudonym(&h.pseudonym).gql()?,
                household_size: HouseholdSize::parse("householdSize", h.household_size).gql()?,
                languages: LanguageCode::parse_list("languages", h.languages).gql()?,
                arrival_date: h.arrival_date,
            }),
        };
        let created: Created<sponsorship::Model> = match household {
            HouseholdRef::New(_) => created::<newcomer_household::Entity, _>(|s| s.household_id),
            HouseholdRef::Existing(_) => None,
        };
        let new = care::NewSponsorship {
            group_id: group.id,
            household,
            proposed_on: day("proposedOn", input.proposed_on)?,
        };
        let actor = Actor::of(check::viewer(ctx));
        let row = write_creating(ctx, "proposeSponsorship", created, move |txn| {
            Box::pin(care::propose(txn, actor, new))
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
            to: Status::Confirmed,
            on: day("id", None)?,
            end_reason: None,
        };
        step(
            ctx,
            ("confirmSponsorship", rule!(Mutation.confirmSponsorship)),
            &id,
            expected_version,
            to,
        )
        .await
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
            to: Status::Active,
            on: day("startedOn", started_on)?,
            end_reason: None,
        };
        step(
            ctx,
            ("startSponsorship", rule!(Mutation.startSponsorship)),
            &id,
            expected_version,
            to,
        )
        .await
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
                Some(_) => Status::EndedEarly,
                None => Status::Completed,
            },
            on: day("endedOn", ended_on)?,
            end_reason: end_reason.map(Into::into),
        };
        step(
            ctx,
            ("closeSponsorship", rule!(Mutation.closeSponsorship)),
            &id,
            expected_version,
            to,
        )
        .await
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
            on: day("on", on)?,
            end_reason: end_reason.map(Into::into),
        };
        step(
            ctx,
            (
                "transitionSponsorship",
                rule!(Mutation.transitionSponsorship),
            ),
            &id,
            expected_version,
            to,
        )
        .await
    }

    /// Changes a household (coordinators of its town, administrators).
    async fn update_household(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateHouseholdInput,
    ) -> Result<NewcomerHousehold> {
        check::authenticated(ctx).await?;
        let h = target::<newcomer_household::Entity>(ctx, "id", &id).await?;
        check::require(ctx, rule!(Mutation.updateHousehold), At::City(h.city_id)).await?;
        let patch = HouseholdPatch {
            pseudonym: input
                .pseudonym
                .as_deref()
                .map(pseudonym)
                .transpose()
                .gql()?,
            household_size: (input.household_size)
                .map(|n| HouseholdSize::parse("householdSize", n))
                .transpose()
                .gql()?,
            languages: (input.languages)
                .map(|l| LanguageCode::parse_list("languages", l))
                .transpose()
                .gql()?,
            arrival_date: maybe(input.arrival_date),
        };
        let row = write(ctx, "updateHousehold", move |txn| {
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
        check::authenticated(ctx).await?;
        let s = target::<sponsorship::Entity>(ctx, "sponsorshipId", &sponsorship_id).await?;
        let at = At::Sponsorship(s.id);
        check::require_write(ctx, rule!(Mutation.recordMilestone), at).await?;
        let day = day("achievedOn", achieved_on)?;
        let row = write(ctx, "recordMilestone", move |txn| {
            Box::pin(care::record_milestone(txn, s.id, kind.into(), day))
        })
        .await?;
        Ok(Milestone(row))
    }

    /// Takes back a milestone recorded by mistake (members of its group, coordinators).
    /// Returns the removed milestone.
    async fn undo_milestone(&self, ctx: &Context<'_>, id: ID) -> Result<Milestone> {
        check::authenticated(ctx).await?;
        let m = target::<milestone::Entity>(ctx, "id", &id).await?;
        let s = target::<sponsorship::Entity>(ctx, "id", &ID(m.sponsorship_id.to_string())).await?;
        let at = At::Sponsorship(s.id);
        check::require_write(ctx, rule!(Mutation.undoMilestone), at).await?;
        let row = write(ctx, "undoMilestone", move |txn| {
            Box::pin(writes::delete_if_current::<milestone::Entity>(
                txn, m.id, None,
            ))
        })
        .await?;
        Ok(Milestone(row))
    }
}
