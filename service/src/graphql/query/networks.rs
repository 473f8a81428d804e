//! Root fields for sponsorship networks.

use crate::db::networks;
use crate::error::GqlResultExt;
use crate::graphql::connection::{Conn, list_args, to_connection};
use crate::graphql::types::SponsorshipNetwork;
use crate::graphql::types::totals::NetworkTotal;
use crate::graphql::{Key, one_key};
use crate::graphql::{db, load_by_id, parse_id, prime};
use async_graphql::{Context, ID, Object, Result};
use haven_entities::sponsorship_network;

#[derive(Default)]
pub struct NetworkQuery;

#[Object]
impl NetworkQuery {
    /// All sponsorship networks, by name.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn networks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<SponsorshipNetwork, NetworkTotal>> {
        let args = list_args(first, after, last, before).parse().gql()?;
        let page = networks::list(db(ctx)?, &args).await.gql()?;
        prime::<sponsorship_network::Entity>(ctx, &page.rows).await?;
        Ok(to_connection(
            page,
            &networks::BY_NAME,
            SponsorshipNetwork,
            NetworkTotal,
        ))
    }

    /// One network by `id` or by `slug` (give exactly one); null when there is none.
    async fn network(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> Result<Option<SponsorshipNetwork>> {
        let found = match one_key(id, slug, ("id", "slug")).gql()? {
            Key::First(id) => {
                load_by_id::<sponsorship_network::Entity>(ctx, parse_id("id", &id).gql()?).await?
            }
            Key::Second(slug) => networks::by_slug(db(ctx)?, &slug).await.gql()?,
        };
        Ok(found.map(SponsorshipNetwork))
    }
}
