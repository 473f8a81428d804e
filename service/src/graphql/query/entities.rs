//! Federation entity resolvers (`_entities`): every key resolves through a dataloader, so a
//! request with many representations costs one statement per type and key, and an unknown key
//! resolves to `null` without failing its neighbours, and so does a key that cannot match (an
//! id that is not a UUID, a malformed CBS code or KvK number). Entities obey the same permissions as
//! the root fields: personal data answers `FORBIDDEN` to viewers who may not see it.

use crate::db::tables::Table;
use crate::error::GqlResultExt;
use crate::graphql::loaders::{CityByCbsCode, SponsorByKvk};
use crate::graphql::types::{
    City, Contribution, CorporateSponsor, Membership, Milestone, NewcomerHousehold,
    PartnerOrganisation, SponsorCommitment, SponsorGroup, Sponsorship, SponsorshipNetwork,
    Volunteer,
};
use crate::graphql::{load_by_id, loaders, parse_id};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, Object, Result};
use haven_entities::*;

/// Loads a row of `E` by its `id` representation. An id that is not a UUID cannot match any
/// row: it resolves to `null` like an unknown one, so that one odd key from another subgraph
/// does not fail every entity of the router's batch.
async fn by_id<E: Table>(ctx: &Context<'_>, id: &ID) -> Result<Option<E::Model>> {
    match parse_id("id", id) {
        Ok(id) => load_by_id::<E>(ctx, id).await,
        Err(_) => Ok(None),
    }
}

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
        Ok(by_id::<sponsorship_network::Entity>(ctx, &id)
            .await?
            .map(SponsorshipNetwork))
    }

    #[graphql(entity)]
    async fn find_city_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<City>> {
        Ok(by_id::<city::Entity>(ctx, &id).await?.map(City))
    }

    #[graphql(entity)]
    async fn find_city_by_cbs_code(
        &self,
        ctx: &Context<'_>,
        cbs_code: String,
    ) -> Result<Option<City>> {
        let Ok(code) = crate::domain::CbsCode::parse("cbsCode", &cbs_code) else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(CityByCbsCode(code.as_str().to_owned()))
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
        Ok(by_id::<sponsor_group::Entity>(ctx, &id)
            .await?
            .map(SponsorGroup))
    }

    #[graphql(entity)]
    async fn find_corporate_sponsor_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<CorporateSponsor>> {
        Ok(by_id::<corporate_sponsor::Entity>(ctx, &id)
            .await?
            .map(CorporateSponsor))
    }

    #[graphql(entity)]
    async fn find_corporate_sponsor_by_kvk_number(
        &self,
        ctx: &Context<'_>,
        kvk_number: String,
    ) -> Result<Option<CorporateSponsor>> {
        let Ok(kvk) = crate::domain::KvkNumber::parse("kvkNumber", &kvk_number) else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(SponsorByKvk(kvk.as_str().to_owned()))
            .await
            .gql()?
            .map(CorporateSponsor))
    }

    #[graphql(entity)]
    async fn find_sponsor_commitment_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<SponsorCommitment>> {
        Ok(by_id::<sponsor_commitment::Entity>(ctx, &id)
            .await?
            .map(SponsorCommitment))
    }

    #[graphql(entity)]
    async fn find_contribution_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Contribution>> {
        let found = by_id::<contribution::Entity>(ctx, &id).await?;
        if let Some(c) = &found {
            check::contribution(ctx, c).await?;
        }
        Ok(found.map(Contribution))
    }

    #[graphql(entity)]
    async fn find_volunteer_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Volunteer>> {
        let Ok(uuid) = parse_id("id", &id) else {
            return Ok(None);
        };
        let at = At::Volunteer {
            id: uuid,
            via: None,
        };
        check::require(ctx, rule!(Volunteer), at).await?;
        Ok(by_id::<volunteer::Entity>(ctx, &id)
            .await?
            .and_then(|v| Volunteer::reachable(v, None)))
    }

    #[graphql(entity)]
    async fn find_membership_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Membership>> {
        check::refuse_anonymous(ctx, rule!(Membership))?;
        let found = by_id::<membership::Entity>(ctx, &id).await?;
        if let Some(m) = &found {
            check::require(ctx, rule!(Membership), At::Group(m.group_id)).await?;
        }
        Ok(found.map(Membership))
    }

    #[graphql(entity)]
    async fn find_newcomer_household_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<NewcomerHousehold>> {
        check::refuse_anonymous(ctx, rule!(NewcomerHousehold))?;
        let found = by_id::<newcomer_household::Entity>(ctx, &id).await?;
        if let Some(h) = &found {
            check::require(ctx, rule!(NewcomerHousehold), At::City(h.city_id)).await?;
        }
        Ok(found.map(NewcomerHousehold))
    }

    #[graphql(entity)]
    async fn find_sponsorship_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Sponsorship>> {
        check::refuse_anonymous(ctx, rule!(Sponsorship))?;
        let found = by_id::<sponsorship::Entity>(ctx, &id).await?;
        if let Some(s) = &found {
            check::require(ctx, rule!(Sponsorship), At::Group(s.group_id)).await?;
        }
        Ok(found.map(Sponsorship))
    }

    #[graphql(entity)]
    async fn find_milestone_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Milestone>> {
        check::refuse_anonymous(ctx, rule!(Milestone))?;
        let found = by_id::<milestone::Entity>(ctx, &id).await?;
        if let Some(m) = &found {
            check::require(ctx, rule!(Milestone), At::Sponsorship(m.sponsorship_id)).await?;
        }
        Ok(found.map(Milestone))
    }

    #[graphql(entity)]
    async fn find_partner_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<PartnerOrganisation>> {
        check::require(ctx, rule!(PartnerOrganisation), At::Nowhere).await?;
        Ok(by_id::<partner_organisation::Entity>(ctx, &id)
            .await?
            .map(PartnerOrganisation))
    }
}
