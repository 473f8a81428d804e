//! Mutations of sponsor groups: create, update, move along the lifecycle.

use crate::db::{audit, group_writes};
use crate::error::{Error, GqlResultExt};
use crate::graphql::guard::{self, Access};
use crate::graphql::types::SponsorGroup;
use crate::graphql::types::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use crate::graphql::{db, load_by_id, parse_id};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;
use haven_entities::{city, sponsor_group};
use sea_orm::TransactionTrait;

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

/// Runs `work` in one transaction with its audit entry; on any error nothing is written.
macro_rules! in_transaction {
    ($ctx:expr, $op:expr, |$txn:ident| $work:expr) => {{
        let $txn = db($ctx)?
            .begin()
            .await
            .map_err(|e| Error::from(e).into_graphql())?;
        let row: sponsor_group::Model = $work.await.gql()?;
        audit::record(&$txn, guard::viewer($ctx), $op, "sponsor_group", row.id)
            .await
            .gql()?;
        $txn.commit()
            .await
            .map_err(|e| Error::from(e).into_graphql())?;
        Ok(SponsorGroup(row))
    }};
}

/// The group `id`, or `NOT_FOUND`.
async fn existing(ctx: &Context<'_>, id: &ID) -> Result<sponsor_group::Model> {
    let id = parse_id("id", id).gql()?;
    load_by_id::<sponsor_group::Entity>(ctx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("sponsor group {id}")).into_graphql())
}

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
        in_transaction!(ctx, "createSponsorGroup", |txn| group_writes::create(
            &txn, new
        ))
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
        let group = existing(ctx, &id).await?;
        guard::require_group(ctx, Access::Lead, group.id, "changing this group").await?;
        let patch = group_writes::GroupPatch {
            name: input.name,
            origin: input.origin.map(Into::into),
            formed_on: input.formed_on,
        };
        in_transaction!(ctx, "updateSponsorGroup", |txn| group_writes::update(
            &txn,
            group.id,
            expected_version,
            patch
        ))
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
        let group = existing(ctx, &id).await?;
        guard::require_group(ctx, Access::Lead, group.id, "changing this group").await?;
        in_transaction!(ctx, "transitionSponsorGroup", |txn| {
            group_writes::transition(&txn, &group, expected_version, to.into())
        })
    }
}
