//! Mutations of contributions: time and goods given to a group, logged, edited and deleted by
//! the giver, or by the group's leads and coordinators.

use super::{maybe, target, write};
use crate::db::contribution_writes::{self as contributions, ContributionPatch, Giver};
use crate::db::writes;
use crate::domain::{self, Minutes};
use crate::error::{Error, GqlResultExt};
use crate::graphql::types::Contribution;
use crate::graphql::types::enums::ContributionKind;
use crate::graphql::{opt_id, parse_id};
use crate::policy::check::{self, At};
use crate::policy::{FieldRule, rule};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use haven_entities::{contribution, sponsor_group};

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
    /// The value of goods given in kind, in euro cents: IN_KIND only (groups give no money).
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

/// A contribution's note: at most 2,000 characters; blank is none.
fn note(n: Option<String>) -> crate::error::Result<Option<String>> {
    domain::optional_text("note", n, 2000)
}

/// Editing or deleting a contribution: one's own as a member of the group (`own`), anyone's
/// as its lead or coordinator (`anyones`).
async fn may_change(
    ctx: &Context<'_>,
    c: &contribution::Model,
    (own, anyones): (&FieldRule, &FieldRule),
) -> Result<()> {
    let is_own = c.volunteer_id.is_some() && check::viewer(ctx).subject() == c.volunteer_id;
    let rule = if is_own { own } else { anyones };
    check::require_write(ctx, rule, At::Group(c.group_id)).await
}

/// Mutations of contributions.
#[derive(Default)]
pub struct ContributionMutation;

#[Object]
impl ContributionMutation {
    /// Logs time or goods given to a group.
    async fn log_contribution(
        &self,
        ctx: &Context<'_>,
        input: LogContributionInput,
    ) -> Result<Contribution> {
        check::authenticated(ctx).await?;
        let group = target::<sponsor_group::Entity>(ctx, "groupId", &input.group_id).await?;
        let volunteer = opt_id("volunteerId", input.volunteer_id.as_ref()).gql()?;
        let sponsor = opt_id("corporateSponsorId", input.corporate_sponsor_id.as_ref()).gql()?;
        let me = check::viewer(ctx).subject();
        let giver = match (volunteer, sponsor) {
            (None, Some(c)) => Giver::Sponsor(c),
            (Some(v), None) => Giver::Volunteer(v),
            (None, None) => Giver::Volunteer(me.ok_or_else(|| {
                Error::bad_input(
                    "volunteerId",
                    "say who gave it: you are not signed in as a volunteer",
                )
                .into_graphql()
            })?),
            (Some(_), Some(_)) => {
                return Err(Error::bad_input(
                    "volunteerId",
                    "a contribution is a volunteer's or a company's, not both",
                )
                .into_graphql());
            }
        };
        let rule = if Some(giver) == me.map(Giver::Volunteer) {
            rule!(Mutation.logContribution[own])
        } else {
            rule!(Mutation.logContribution)
        };
        check::require_write(ctx, rule, At::Group(group.id)).await?;
        let new = contributions::NewContribution {
            group_id: group.id,
            sponsorship_id: opt_id("sponsorshipId", input.sponsorship_id.as_ref()).gql()?,
            giver,
            contributed_on: domain::not_future("date", input.date).gql()?,
            kind: input.kind.into(),
            minutes: Minutes::from_hours("hours", input.hours).gql()?,
            value_cents: domain::non_negative("valueCents", input.value_cents).gql()?,
            note: note(input.note).gql()?,
        };
        let row = write(ctx, "logContribution", move |txn| {
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
        check::authenticated(ctx).await?;
        let c = target::<contribution::Entity>(ctx, "id", &id).await?;
        let rules = (
            rule!(Mutation.updateContribution[own]),
            rule!(Mutation.updateContribution),
        );
        may_change(ctx, &c, rules).await?;
        let sponsorship_id = match maybe(input.sponsorship_id) {
            Some(Some(s)) => Some(Some(parse_id("sponsorshipId", &s).gql()?)),
            Some(None) => Some(None),
            None => None,
        };
        let patch = ContributionPatch {
            sponsorship_id,
            contributed_on: (input.date)
                .map(|d| domain::not_future("date", d))
                .transpose()
                .gql()?,
            kind: input.kind.map(Into::into),
            minutes: (input.hours)
                .map(|h| Minutes::from_hours("hours", h))
                .transpose()
                .gql()?,
            value_cents: (maybe(input.value_cents))
                .map(|v| domain::non_negative("valueCents", v))
                .transpose()
                .gql()?,
            note: maybe(input.note).map(note).transpose().gql()?,
        };
        let row = write(ctx, "updateContribution", move |txn| {
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
        check::authenticated(ctx).await?;
        let c = target::<contribution::Entity>(ctx, "id", &id).await?;
        let rules = (
            rule!(Mutation.deleteContribution[own]),
            rule!(Mutation.deleteContribution),
        );
        may_change(ctx, &c, rules).await?;
        let row = write(ctx, "deleteContribution", move |txn| {
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
