//! Root fields for corporate sponsors.

use crate::db::sponsors::{self, SponsorFilter};
use crate::domain::KvkNumber;
use crate::error::GqlResultExt;
use crate::graphql::connection::{Conn, NameOrder, list_args, to_connection};
use crate::graphql::loaders::SponsorByKvk;
use crate::graphql::types::CorporateSponsor;
use crate::graphql::types::totals::SponsorTotal;
use crate::graphql::{Key, one_key, opt_id};
use crate::graphql::{db, load_by_id, loaders, parse_id, prime};
use async_graphql::{Context, ID, InputObject, Object, Result};
use haven_entities::corporate_sponsor;

/// Which corporate sponsors to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct CorporateSponsorFilterInput {
    /// Sponsors with a commitment somewhere in this network.
    pub network_id: Option<ID>,
    /// Sponsors with a commitment to this town or one of its groups.
    pub city_id: Option<ID>,
    pub sector: Option<String>,
    /// Case-insensitive part of the name.
    pub name_contains: Option<String>,
}

impl CorporateSponsorFilterInput {
    fn parse(self) -> crate::error::Result<SponsorFilter> {
        Ok(SponsorFilter {
            network_id: opt_id("filter.networkId", self.network_id.as_ref())?,
            city_id: opt_id("filter.cityId", self.city_id.as_ref())?,
            sector: self.sector,
            name_contains: crate::domain::search_text("filter.nameContains", self.name_contains)?,
        })
    }
}

#[derive(Default)]
pub struct SponsorQuery;

#[Object]
impl SponsorQuery {
    /// Companies that sponsor, by name unless asked otherwise.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn corporate_sponsors(
        &self,
        ctx: &Context<'_>,
        filter: Option<CorporateSponsorFilterInput>,
        order_by: Option<NameOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<CorporateSponsor, SponsorTotal>> {
        let filter = filter.unwrap_or_default().parse().gql()?;
        let order = NameOrder::pick(order_by, sponsors::BY_NAME, sponsors::BY_CREATED);
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = sponsors::list(db(ctx)?, &filter, &order, &args)
            .await
            .gql()?;
        prime::<corporate_sponsor::Entity>(ctx, &page.rows).await?;
        Ok(to_connection(
            page,
            &order,
            CorporateSponsor,
            SponsorTotal::Matching(filter),
        ))
    }

    /// One company by `id` or by KvK number (give exactly one); null when there is none.
    async fn corporate_sponsor(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        kvk_number: Option<String>,
    ) -> Result<Option<CorporateSponsor>> {
        let found = match one_key(id, kvk_number, ("id", "kvkNumber")).gql()? {
            Key::First(id) => {
                load_by_id::<corporate_sponsor::Entity>(ctx, parse_id("id", &id).gql()?).await?
            }
            Key::Second(kvk) => loaders(ctx)?
                .load_one(SponsorByKvk(
                    KvkNumber::parse("kvkNumber", &kvk).gql()?.to_string(),
                ))
                .await
                .gql()?,
        };
        Ok(found.map(CorporateSponsor))
    }
}
