//! Federation entity resolvers (`_entities`): every key resolves through a dataloader, so a
//! request with many representations costs one statement per type and key.

use crate::error::GqlResultExt;
use crate::graphql::loaders::{CityByCbsCode, SponsorByKvk};
use crate::graphql::types::{City, CorporateSponsor, SponsorGroup, SponsorshipNetwork};
use crate::graphql::{load_by_id, loaders, parse_id};
use async_graphql::{Context, ID, Object, Result};
use haven_entities::{city, corporate_sponsor, sponsor_group, sponsorship_network};

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
        Ok(load_by_id::<sponsorship_network::Entity>(ctx, id)
            .await?
            .map(SponsorshipNetwork))
    }

    #[graphql(entity)]
    async fn find_city_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<City>> {
        let id = parse_id("id", &id).gql()?;
        Ok(load_by_id::<city::Entity>(ctx, id).await?.map(City))
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
        Ok(load_by_id::<sponsor_group::Entity>(ctx, id)
            .await?
            .map(SponsorGroup))
    }

    #[graphql(entity)]
    async fn find_corporate_sponsor_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<CorporateSponsor>> {
        let id = parse_id("id", &id).gql()?;
        Ok(load_by_id::<corporate_sponsor::Entity>(ctx, id)
            .await?
            .map(CorporateSponsor))
    }

    #[graphql(entity)]
    async fn find_corporate_sponsor_by_kvk_number(
        &self,
        ctx: &Context<'_>,
        kvk_number: String,
    ) -> Result<Option<CorporateSponsor>> {
        Ok(loaders(ctx)?
            .load_one(SponsorByKvk(kvk_number))
            .await
            .gql()?
            .map(CorporateSponsor))
    }
}
