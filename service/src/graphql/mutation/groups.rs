//! Mutations of sponsor groups: create, update, move along the lifecycle.

use super::{target, write};
use crate::db::group_writes;
use crate::db::history::Actor;
use crate::domain;
use crate::error::GqlResultExt;
use crate::graphql::types::SponsorGroup;
use crate::graphql::types::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;
use haven_entities::{city, sponsor_group};

/// A new sponsor group; it starts as INTERESTED.
#[derive(InputObject)]
pub struct CreateSponsorGroupInput {
    pub city_id: ID,
    pub name: String,
    pub variant: SponsorshipVariant,
    pub origin: GroupOrigin,
    pub formed_on: NaiveDate,
}

/// Changes to a group; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateSponsorGroupInput {
    pub name: Option<String>,
    pub origin: Option<GroupOrigin>,
    pub formed_on: Option<NaiveDate>,
}

/// Mutations of sponsor groups.
/// A group's name: trimmed, 1 to 200 characters.
fn name(n: &str) -> crate::error::Result<String> {
    domain::text("name", n, 200)
}

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Registers a new group in a town (coordinators and administrators).
    async fn create_sponsor_group(
        &self,
        ctx: &Context<'_>,
        input: CreateSponsorGroupInput,
    ) -> Result<SponsorGroup> {
        check::authenticated(ctx).await?;
        let city_id = target::<city::Entity>(ctx, "cityId", &input.city_id)
            .await?
            .id;
        check::require(ctx, rule!(Mutation.createSponsorGroup), At::City(city_id)).await?;
        let new = group_writes::NewGroup {
            city_id,
            name: name(&input.name).gql()?,
            variant: input.variant.into(),
            origin: input.origin.into(),
            formed_on: domain::not_future("formedOn", input.formed_on).gql()?,
        };
        let actor = Actor::of(check::viewer(ctx));
        let row = write(ctx, "createSponsorGroup", move |txn| {
            Box::pin(group_writes::create(txn, actor, new))
        })
        .await?;
        Ok(SponsorGroup(row))
    }

    /// Changes a group's name, origin or formation day (its leads, coordinators, administrators).
    async fn update_sponsor_group(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateSponsorGroupInput,
    ) -> Result<SponsorGroup> {
        check::authenticated(ctx).await?;
        let group = target::<sponsor_group::Entity>(ctx, "id", &id).await?;
        let at = At::Group(group.id);
        check::require_write(ctx, rule!(Mutation.updateSponsorGroup), at).await?;
        let patch = group_writes::GroupPatch {
            name: input.name.as_deref().map(name).transpose().gql()?,
            origin: input.origin.map(Into::into),
            formed_on: (input.formed_on)
                .map(|d| domain::not_future("formedOn", d))
                .transpose()
                .gql()?,
        };
        let row = write(ctx, "updateSponsorGroup", move |txn| {
            Box::pin(group_writes::update(txn, group.id, expected_version, patch))
        })
        .await?;
        Ok(SponsorGroup(row))
    }

    /// Moves a group along its lifecycle; a step outside the lifecycle is `BAD_USER_INPUT`.
    /// The group's leads take the group's own steps; screening and matching (to SCREENING,
    /// IN_TRAINING, READY_TO_MATCH, MATCHED or NOT_APPROVED) are for coordinators.
    async fn transition_sponsor_group(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        to: GroupStatus,
    ) -> Result<SponsorGroup> {
        check::authenticated(ctx).await?;
        let group = target::<sponsor_group::Entity>(ctx, "id", &id).await?;
        let to = to.into();
        // Screening and matching are the programme's decisions, not the group's own.
        let rule = if group_writes::is_decision(to) {
            rule!(Mutation.transitionSponsorGroup[decision])
        } else {
            rule!(Mutation.transitionSponsorGroup)
        };
        check::require_write(ctx, rule, At::Group(group.id)).await?;
        let actor = Actor::of(check::viewer(ctx));
        let row = write(ctx, "transitionSponsorGroup", move |txn| {
            Box::pin(group_writes::transition(
                txn,
                actor,
                group.id,
                expected_version,
                to,
            ))
        })
        .await?;
        Ok(SponsorGroup(row))
    }
}
