//! `City`: a town taking part in a network.

use crate::db::groups;
use crate::error::{Error, GqlResultExt};
use crate::graphql::connection::{RelayCursor, page_args, to_connection};
use crate::graphql::loaders;
use crate::graphql::loaders::{GroupCountOfCity, GroupsOfCity, NetworkById};
use crate::graphql::types::enums::{CityKind, CityStatus, Province};
use crate::graphql::types::{SponsorGroup, SponsorshipNetwork, count_to_int};
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::city::Model;

/// A city or village taking part in a sponsorship network.
pub struct City(pub Model);

#[Object]
impl City {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// CBS municipality code: `GM` and four digits.
    async fn cbs_code(&self) -> &str {
        &self.0.cbs_code
    }
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
        loaders(ctx)?
            .load_one(NetworkById(self.0.network_id))
            .await
            .gql()?
            .map(SponsorshipNetwork)
            .ok_or_else(|| {
                Error::Internal(format!("city {} has no network", self.0.id)).into_graphql()
            })
    }

    /// The sponsor groups in this town, by name.
    async fn sponsor_groups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<RelayCursor, SponsorGroup, GroupCount>> {
        let args = page_args(first, last, after, before).gql()?;
        let page = loaders(ctx)?
            .load_one(GroupsOfCity(self.0.id, args))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(to_connection(
            page,
            &groups::BY_NAME,
            SponsorGroup,
            GroupCount::OfCity(self.0.id),
        ))
    }
}

/// What a group list counts in `totalCount`; counted only when the field is selected.
pub enum GroupCount {
    /// The groups of one city (batched per request).
    OfCity(uuid::Uuid),
}

#[Object]
impl GroupCount {
    /// The number of groups in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = match self {
            Self::OfCity(id) => loaders(ctx)?
                .load_one(GroupCountOfCity(*id))
                .await
                .gql()?
                .unwrap_or(0),
        };
        Ok(count_to_int(n))
    }
}
