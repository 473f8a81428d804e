//! `SponsorshipNetwork`: a programme that towns join.

use crate::db::lists::{CitiesOfNetwork, GroupsOf, SponsorsOf};
use crate::db::{cities, sponsors};
use crate::graphql::connection::{Conn, NameOrder, SponsorGroupOrder, list_args};
use crate::graphql::nested;
use crate::graphql::types::totals::{CityTotal, GroupTotal, SponsorTotal};
use crate::graphql::types::{City, CorporateSponsor, SponsorGroup, id};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::sponsorship_network::Model;

/// A sponsorship network, such as "Samen Hier" in the Netherlands.
pub struct SponsorshipNetwork(pub Model);

#[Object]
impl SponsorshipNetwork {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Short name used in URLs, unique.
    #[graphql(tag = "partner")]
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country_code(&self) -> &str {
        &self.0.country_code
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn founded_on(&self) -> Option<NaiveDate> {
        self.0.founded_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The towns in this network.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn cities(
        &self,
        ctx: &Context<'_>,
        order_by: Option<NameOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<City, CityTotal>> {
        let order = NameOrder::pick(order_by, cities::BY_NAME, cities::BY_CREATED);
        nested(
            ctx,
            CitiesOfNetwork,
            self.0.id,
            order,
            list_args(first, after, last, before),
            City,
            CityTotal::Of(CitiesOfNetwork, self.0.id),
        )
        .await
    }

    /// The sponsor groups in all towns of this network.
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
            GroupsOf::Network,
            self.0.id,
            order,
            list_args(first, after, last, before),
            SponsorGroup,
            GroupTotal::Of(GroupsOf::Network, self.0.id),
        )
        .await
    }

    /// Companies with a commitment anywhere in this network.
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
            SponsorsOf::Network,
            self.0.id,
            order,
            list_args(first, after, last, before),
            CorporateSponsor,
            SponsorTotal::Of(SponsorsOf::Network, self.0.id),
        )
        .await
    }
}
