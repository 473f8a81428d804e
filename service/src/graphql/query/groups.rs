//! Root fields for sponsor groups.

use crate::db::groups::{self, GroupFilter};
use crate::error::GqlResultExt;
use crate::graphql::connection::{Conn, SponsorGroupOrder, list_args, to_connection};
use crate::graphql::opt_id;
use crate::graphql::types::SponsorGroup;
use crate::graphql::types::enums::{GroupStatus, SponsorshipVariant};
use crate::graphql::types::totals::GroupTotal;
use crate::graphql::{db, load_by_id, parse_id, prime};
use async_graphql::{Context, ID, InputObject, Object, Result};
use haven_entities::sponsor_group;

/// Which sponsor groups to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct SponsorGroupFilterInput {
    pub network_id: Option<ID>,
    pub city_id: Option<ID>,
    pub variant: Option<SponsorshipVariant>,
    pub status: Option<GroupStatus>,
    /// Case-insensitive part of the name.
    pub name_contains: Option<String>,
}

impl SponsorGroupFilterInput {
    fn parse(self) -> crate::error::Result<GroupFilter> {
        Ok(GroupFilter {
            network_id: opt_id("filter.networkId", self.network_id.as_ref())?,
            city_id: opt_id("filter.cityId", self.city_id.as_ref())?,
            variant: self.variant.map(Into::into),
            status: self.status.map(Into::into),
            name_contains: crate::domain::search_text("filter.nameContains", self.name_contains)?,
        })
    }
}

#[derive(Default)]
pub struct GroupQuery;

#[Object]
impl GroupQuery {
    /// Sponsor groups, by name unless asked otherwise. A coordinator sees the groups of the town
    /// or network they coordinate; asking for others is `FORBIDDEN`.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn sponsor_groups(
        &self,
        ctx: &Context<'_>,
        filter: Option<SponsorGroupFilterInput>,
        order_by: Option<SponsorGroupOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<SponsorGroup, GroupTotal>> {
        let filter = filter.unwrap_or_default().parse().gql()?;
        let filter = crate::policy::area::groups(ctx, filter).await?;
        let order = SponsorGroupOrder::ordering(order_by);
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = groups::list(db(ctx)?, &filter, &order, &args).await.gql()?;
        prime::<sponsor_group::Entity>(ctx, &page.rows).await?;
        Ok(to_connection(
            page,
            &order,
            SponsorGroup,
            GroupTotal::Matching(filter),
        ))
    }

    /// One sponsor group by id; null when there is none.
    async fn sponsor_group(&self, ctx: &Context<'_>, id: ID) -> Result<Option<SponsorGroup>> {
        let id = parse_id("id", &id).gql()?;
        Ok(load_by_id::<sponsor_group::Entity>(ctx, id)
            .await?
            .map(SponsorGroup))
    }
}
