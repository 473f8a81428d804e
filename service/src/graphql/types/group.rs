//! `SponsorGroup`: residents of one town who together welcome newcomers.

use crate::db::care::{MEMBERSHIPS_BY_JOINED, SPONSORSHIPS_BY_PROPOSED};
use crate::db::lists::{ContributionsOf, MembershipsOf, SponsorsOf, SponsorshipsOfGroup};
use crate::db::sponsors;
use crate::graphql::connection::{Conn, NameOrder, OrderDirection, list_args};
use crate::graphql::types::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use crate::graphql::types::totals::{
    ContributionTotal, MembershipTotal, SponsorTotal, SponsorshipTotal,
};
use crate::graphql::types::{
    City, Contribution, CorporateSponsor, Membership, Sponsorship, SponsorshipNetwork, id,
};
use crate::graphql::{load_count, load_parent, nested};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::sponsor_group::Model;
use haven_entities::{city, sponsorship_network};

/// A sponsor group. Its name, variant, status and counts are public; its members, sponsorships
/// and contributions are personal data.
pub struct SponsorGroup(pub Model);

#[Object]
impl SponsorGroup {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn variant(&self) -> SponsorshipVariant {
        self.0.variant.into()
    }
    async fn status(&self) -> GroupStatus {
        self.0.status.into()
    }
    async fn origin(&self) -> GroupOrigin {
        self.0.origin.into()
    }
    async fn formed_on(&self) -> NaiveDate {
        self.0.formed_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The town the group works in.
    async fn city(&self, ctx: &Context<'_>) -> Result<City> {
        Ok(City(
            load_parent::<city::Entity>(ctx, self.0.city_id).await?,
        ))
    }

    /// The network of the group's town.
    async fn network(&self, ctx: &Context<'_>) -> Result<SponsorshipNetwork> {
        let town = load_parent::<city::Entity>(ctx, self.0.city_id).await?;
        Ok(SponsorshipNetwork(
            load_parent::<sponsorship_network::Entity>(ctx, town.network_id).await?,
        ))
    }

    /// The number of current members (who have not left).
    async fn member_count(&self, ctx: &Context<'_>) -> Result<i32> {
        load_count(ctx, MembershipsOf::GroupCurrent, self.0.id).await
    }

    /// Who is and was in the group, by the day they joined.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Membership, MembershipTotal>> {
        check::require(ctx, rule!(SponsorGroup.memberships), At::Group(self.0.id)).await?;
        let order = MEMBERSHIPS_BY_JOINED;
        nested(
            ctx,
            MembershipsOf::Group,
            self.0.id,
            order,
            list_args(first, after, last, before),
            Membership,
            MembershipTotal(MembershipsOf::Group, self.0.id),
        )
        .await
    }

    /// The households the group welcomes or welcomed, by the day each was proposed.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn sponsorships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Sponsorship, SponsorshipTotal>> {
        check::require(ctx, rule!(SponsorGroup.sponsorships), At::Group(self.0.id)).await?;
        let order = SPONSORSHIPS_BY_PROPOSED;
        nested(
            ctx,
            SponsorshipsOfGroup,
            self.0.id,
            order,
            list_args(first, after, last, before),
            Sponsorship,
            SponsorshipTotal(SponsorshipsOfGroup, self.0.id),
        )
        .await
    }

    /// Time and goods given to the group, newest first unless asked otherwise.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "OrderDirection::Desc")] direction: OrderDirection,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Contribution, ContributionTotal>> {
        check::require(ctx, rule!(SponsorGroup.contributions), At::Group(self.0.id)).await?;
        let args = list_args(first, after, last, before);
        Contribution::page(ctx, ContributionsOf::Group, self.0.id, direction, args).await
    }

    /// Companies with a commitment to this group.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn corporate_sponsors(
        &self,
        ctx: &Context<'_>,
        order_by: Option<NameOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<CorporateSponsor, SponsorTotal>> {
        let order = NameOrder::pick(order_by, sponsors::BY_NAME, sponsors::BY_CREATED);
        nested(
            ctx,
            SponsorsOf::Group,
            self.0.id,
            order,
            list_args(first, after, last, before),
            CorporateSponsor,
            SponsorTotal::Of(SponsorsOf::Group, self.0.id),
        )
        .await
    }
}
