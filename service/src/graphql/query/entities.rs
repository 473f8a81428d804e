//! Federation entity resolvers (`_entities`): every key resolves through a dataloader, so a
//! request with many representations costs one statement per type and key.

use crate::error::GqlResultExt;
use crate::graphql::loaders::{CityByCbsCode, CityById, GroupById, NetworkById};
use crate::graphql::types::{City, SponsorGroup, SponsorshipNetwork};
use crate::graphql::{loaders, parse_id};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct EntityQuery;

#[Object]
impl EntityQuery {
    #[graphql(entity)]
    async fn find_network_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<SponsorshipNetwork>> {
        let id = parse_id("id", &id).gql()?;
        Ok(loaders(ctx)?
            .load_one(NetworkById(id))
            .await
            .gql()?
            .map(SponsorshipNetwork))
    }

    #[graphql(entity)]
    async fn find_city_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<City>> {
        let id = parse_id("id", &id).gql()?;
        Ok(loaders(ctx)?.load_one(CityById(id)).await.gql()?.map(City))
    }

    #[graphql(entity)]
    async fn find_city_by_cbs_code(
        &self,
        ctx: &Context<'_>,
        cbs_code: String,
    ) -> Result<Option<City>> {
        Ok(loaders(ctx)?
            .load_one(CityByCbsCode(cbs_code))
            .await
            .gql()?
            .map(City))
    }

    #[graphql(entity)]
    async fn find_sponsor_group_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<SponsorGroup>> {
        let id = parse_id("id", &id).gql()?;
        Ok(loaders(ctx)?
            .load_one(GroupById(id))
            .await
            .gql()?
            .map(SponsorGroup))
    }
}
