//! Root fields for cities.

use super::{Key, one_key};
use crate::db::cities::{self, CityFilter};
use crate::error::GqlResultExt;
use crate::graphql::connection::{RelayCursor, page_args, to_connection};
use crate::graphql::loaders::{CityByCbsCode, CityById};
use crate::graphql::types::City;
use crate::graphql::types::enums::{CityStatus, Province};
use crate::graphql::types::network::CityCount;
use crate::graphql::{db, loaders, parse_id};
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Object, Result};

/// Which cities to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct CityFilterInput {
    pub network_id: Option<ID>,
    pub province: Option<Province>,
    pub status: Option<CityStatus>,
    /// Case-insensitive part of the name.
    pub name_contains: Option<String>,
}

impl CityFilterInput {
    fn parse(self) -> crate::error::Result<CityFilter> {
        Ok(CityFilter {
            network_id: self
                .network_id
                .as_ref()
                .map(|id| parse_id("filter.networkId", id))
                .transpose()?,
            province: self.province.map(Into::into),
            status: self.status.map(Into::into),
            name_contains: self.name_contains,
        })
    }
}

#[derive(Default)]
pub struct CityQuery;

#[Object]
impl CityQuery {
    /// Towns taking part, by name.
    async fn cities(
        &self,
        ctx: &Context<'_>,
        filter: Option<CityFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<RelayCursor, City, CityCount>> {
        let filter = filter.unwrap_or_default().parse().gql()?;
        let args = page_args(first, last, after, before).gql()?;
        let page = cities::list(db(ctx)?, &filter, &args).await.gql()?;
        Ok(to_connection(
            page,
            &cities::ORDER,
            City,
            CityCount::Filter(filter),
        ))
    }

    /// One town by `id` or by CBS code (give exactly one); null when there is none.
    async fn city(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        cbs_code: Option<String>,
    ) -> Result<Option<City>> {
        let found = match one_key(id, cbs_code, ("id", "cbsCode")).gql()? {
            Key::First(id) => {
                let id = parse_id("id", &id).gql()?;
                loaders(ctx)?.load_one(CityById(id)).await.gql()?
            }
            Key::Second(code) => loaders(ctx)?
                .load_one(CityByCbsCode(code.to_uppercase()))
                .await
                .gql()?,
        };
        Ok(found.map(City))
    }
}
