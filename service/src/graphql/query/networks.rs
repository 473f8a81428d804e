//! Root fields for sponsorship networks.

use super::{Key, one_key};
use crate::db::networks;
use crate::error::GqlResultExt;
use crate::graphql::connection::{RelayCursor, page_args, to_connection};
use crate::graphql::loaders::NetworkById;
use crate::graphql::types::SponsorshipNetwork;
use crate::graphql::types::network::NetworkCount;
use crate::graphql::{db, loaders, parse_id};
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct NetworkQuery;

#[Object]
impl NetworkQuery {
    /// All sponsorship networks, by name.
    async fn networks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<RelayCursor, SponsorshipNetwork, NetworkCount>> {
        let args = page_args(first, last, after, before).gql()?;
        let page = networks::list(db(ctx)?, &args).await.gql()?;
        Ok(to_connection(
            page,
            &networks::ORDER,
            SponsorshipNetwork,
            NetworkCount,
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
                let id = parse_id("id", &id).gql()?;
                loaders(ctx)?.load_one(NetworkById(id)).await.gql()?
            }
            Key::Second(slug) => networks::by_slug(db(ctx)?, &slug).await.gql()?,
        };
        Ok(found.map(SponsorshipNetwork))
    }
}
