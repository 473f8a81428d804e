//! `SponsorshipNetwork`: a programme that towns join.

use crate::db::{cities, networks};
use crate::error::GqlResultExt;
use crate::graphql::connection::{RelayCursor, page_args, to_connection};
use crate::graphql::loaders::{CitiesOfNetwork, CityCountOfNetwork};
use crate::graphql::types::{City, count_to_int};
use crate::graphql::{db, loaders};
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::sponsorship_network::Model;

/// A sponsorship network, such as "Samen Hier" in the Netherlands.
pub struct SponsorshipNetwork(pub Model);

#[Object]
impl SponsorshipNetwork {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Short name used in URLs, unique.
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

    /// The towns in this network, by name.
    async fn cities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<RelayCursor, City, CityCount>> {
        let args = page_args(first, last, after, before).gql()?;
        let page = loaders(ctx)?
            .load_one(CitiesOfNetwork(self.0.id, args))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(to_connection(
            page,
            &cities::ORDER,
            City,
            CityCount::OfNetwork(self.0.id),
        ))
    }
}

/// What a city list counts in `totalCount`; counted only when the field is selected.
pub enum CityCount {
    /// The cities matching a root filter.
    Filter(cities::CityFilter),
    /// The cities of one network (batched per request).
    OfNetwork(uuid::Uuid),
}

#[Object]
impl CityCount {
    /// The number of cities in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = match self {
            Self::Filter(f) => cities::count(db(ctx)?, f).await.gql()?,
            Self::OfNetwork(id) => loaders(ctx)?
                .load_one(CityCountOfNetwork(*id))
                .await
                .gql()?
                .unwrap_or(0),
        };
        Ok(count_to_int(n))
    }
}

/// What a network list counts in `totalCount`.
pub struct NetworkCount;

#[Object]
impl NetworkCount {
    /// The number of networks.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count_to_int(networks::count(db(ctx)?).await.gql()?))
    }
}
