//! Mutations of sponsor groups: create, update, move along the lifecycle.

use super::{target, write};
use crate::db::group_writes;
use crate::error::{Error, GqlResultExt};
use crate::graphql::guard::{self, Access};
use crate::graphql::types::SponsorGroup;
use crate::graphql::types::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use crate::graphql::{load_by_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;
use haven_entities::{city, sponsor_group};

const GROUP: &str = "sponsor_group";

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
        guard::authenticated(ctx)?;
        let city_id = parse_id("input.cityId", &input.city_id).gql()?;
        if load_by_id::<city::Entity>(ctx, city_id).await?.is_none() {
            return Err(Error::NotFound(format!("city {city_id}")).into_graphql());
        }
        guard::require_city(
            ctx,
            Access::Coordinate,
            city_id,
            "registering a group in this town",
        )
        .await?;
        let new = group_writes::NewGroup {
            city_id,
            name: input.name,
            variant: input.variant.into(),
            origin: input.origin.into(),
            formed_on: input.formed_on,
        };
        let row = write(ctx, "createSponsorGroup", GROUP, move |txn| {
            Box::pin(group_writes::create(txn, new))
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
        guard::authenticated(ctx)?;
        let group = target::<sponsor_group::Entity>(ctx, "id", &id).await?;
        guard::require_group(ctx, Access::Lead, group.id, "changing this group").await?;
        let patch = group_writes::GroupPatch {
            name: input.name,
            origin: input.origin.map(Into::into),
            formed_on: input.formed_on,
        };
        let row = write(ctx, "updateSponsorGroup", GROUP, move |txn| {
            Box::pin(group_writes::update(txn, group.id, expected_version, patch))
        })
        .await?;
        Ok(SponsorGroup(row))
    }

    /// Moves a group along its lifecycle; a step outside the lifecycle is `BAD_USER_INPUT`.
    async fn transition_sponsor_group(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        to: GroupStatus,
    ) -> Result<SponsorGroup> {
        guard::authenticated(ctx)?;
        let group = target::<sponsor_group::Entity>(ctx, "id", &id).await?;
        guard::require_group(ctx, Access::Lead, group.id, "changing this group").await?;
        let row = write(ctx, "transitionSponsorGroup", GROUP, move |txn| {
            Box::pin(async move {
                group_writes::transition(txn, &group, expected_version, to.into()).await
            })
        })
        .await?;
        Ok(SponsorGroup(row))
    }
}
