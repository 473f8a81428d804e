//! Root fields for cities.

use crate::db::cities::{self, CityFilter};
use crate::domain::CbsCode;
use crate::error::GqlResultExt;
use crate::graphql::connection::{Conn, NameOrder, list_args, to_connection};
use crate::graphql::loaders::CityByCbsCode;
use crate::graphql::types::City;
use crate::graphql::types::enums::{CityStatus, Province};
use crate::graphql::types::totals::CityTotal;
use crate::graphql::{Key, one_key, opt_id};
use crate::graphql::{db, load_by_id, loaders, parse_id, prime};
use async_graphql::{Context, ID, InputObject, Object, Result};
use haven_entities::city;

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
            network_id: opt_id("filter.networkId", self.network_id.as_ref())?,
            province: self.province.map(Into::into),
            status: self.status.map(Into::into),
            name_contains: crate::domain::search_text("filter.nameContains", self.name_contains)?,
        })
    }
}

#[derive(Default)]
pub struct CityQuery;

#[Object]
impl CityQuery {
    /// Towns taking part, by name unless asked otherwise.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn cities(
        &self,
        ctx: &Context<'_>,
        filter: Option<CityFilterInput>,
        order_by: Option<NameOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<City, CityTotal>> {
        let filter = filter.unwrap_or_default().parse().gql()?;
        let order = NameOrder::pick(order_by, cities::BY_NAME, cities::BY_CREATED);
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = cities::list(db(ctx)?, &filter, &order, &args).await.gql()?;
        prime::<city::Entity>(ctx, &page.rows).await?;
        Ok(to_connection(
            page,
            &order,
            City,
            CityTotal::Matching(filter),
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
            Key::First(id) => load_by_id::<city::Entity>(ctx, parse_id("id", &id).gql()?).await?,
            Key::Second(code) => loaders(ctx)?
                .load_one(CityByCbsCode(
                    CbsCode::parse("cbsCode", &code).gql()?.to_string(),
                ))
                .await
                .gql()?,
        };
        Ok(found.map(City))
    }
}
