//! `City`: a town taking part in a network.

use crate::db::lists::{GroupsOf, SponsorsOf};
use crate::db::sponsors;
use crate::graphql::connection::{Conn, NameOrder, SponsorGroupOrder, list_args};
use crate::graphql::types::enums::{CityKind, CityStatus, Province};
use crate::graphql::types::totals::{GroupTotal, SponsorTotal};
use crate::graphql::types::{CorporateSponsor, SponsorGroup, SponsorshipNetwork, id};
use crate::graphql::{load_parent, nested};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::city::Model;
use haven_entities::sponsorship_network;

/// A city or village taking part in a sponsorship network.
pub struct City(pub Model);

#[Object]
impl City {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The municipality's name; the municipal subgraph may resolve it too.
    #[graphql(shareable)]
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// CBS municipality code: `GM` and four digits.
    #[graphql(tag = "partner")]
    async fn cbs_code(&self) -> &str {
        &self.0.cbs_code
    }
    #[graphql(shareable, tag = "partner")]
    async fn province(&self) -> Province {
        self.0.province.into()
    }
    /// CBS code of the province, e.g. `PV27`.
    async fn province_code(&self) -> String {
        self.0.province.code()
    }
    /// The province's own name, e.g. `Noord-Holland`.
    async fn province_name(&self) -> &'static str {
        self.0.province.display_name()
    }
    async fn kind(&self) -> CityKind {
        self.0.kind.into()
    }
    #[graphql(tag = "partner")]
    async fn status(&self) -> CityStatus {
        self.0.status.into()
    }
    /// When the town joined the network.
    async fn joined_on(&self) -> Option<NaiveDate> {
        self.0.joined_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The network this town belongs to.
    async fn network(&self, ctx: &Context<'_>) -> Result<SponsorshipNetwork> {
        Ok(SponsorshipNetwork(
            load_parent::<sponsorship_network::Entity>(ctx, self.0.network_id).await?,
        ))
    }

    /// The sponsor groups in this town.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn sponsor_groups(
        &self,
        ctx: &Context<'_>,
        order_by: Option<SponsorGroupOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<SponsorGroup, GroupTotal>> {
        let order = SponsorGroupOrder::ordering(order_by);
        nested(
            ctx,
            GroupsOf::City,
            self.0.id,
            order,
            list_args(first, after, last, before),
            SponsorGroup,
            GroupTotal::Of(GroupsOf::City, self.0.id),
        )
        .await
    }

    /// Companies with a commitment to this town or one of its groups.
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
            SponsorsOf::City,
            self.0.id,
            order,
            list_args(first, after, last, before),
            CorporateSponsor,
            SponsorTotal::Of(SponsorsOf::City, self.0.id),
        )
        .await
    }
}
