//! Federation entity resolvers (`_entities`): every key resolves through a dataloader, so a
//! request with many representations costs one statement per type and key, and an unknown key
//! resolves to `null` without failing its neighbours, and so does a key that cannot match (an
//! id that is not a UUID, a malformed CBS code or KvK number). Entities obey the same permissions as
//! the root fields: personal data answers `FORBIDDEN` to viewers who may not see it.

use crate::db::tables::Table;
use crate::error::GqlResultExt;
use crate::graphql::guard::{self, Access};
use crate::graphql::loaders::{CityByCbsCode, SponsorByKvk};
use crate::graphql::types::{
    City, Contribution, CorporateSponsor, Membership, Milestone, NewcomerHousehold,
    PartnerOrganisation, SponsorCommitment, SponsorGroup, Sponsorship, SponsorshipNetwork,
    Volunteer,
};
use crate::graphql::{load_by_id, loaders, parse_id};
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
        // A company's contributions are public; a volunteer's are theirs and their group's.
        if let Some(c) = found.as_ref().filter(|c| c.volunteer_id.is_some()) {
            guard::require_group(
                ctx,
                Access::Members,
                c.group_id,
                "a volunteer's contribution",
            )
            .await?;
        }
        Ok(found.map(Contribution))
    }

    #[graphql(entity)]
    async fn find_volunteer_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Volunteer>> {
        let Ok(uuid) = parse_id("id", &id) else {
            return Ok(None);
        };
        guard::require_self(ctx, uuid, "a volunteer")?;
        Ok(by_id::<volunteer::Entity>(ctx, &id)
            .await?
            .and_then(|v| Volunteer::reachable(v, None)))
    }

    #[graphql(entity)]
    async fn find_membership_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Membership>> {
        guard::signed_in(ctx, "a membership")?;
        let found = by_id::<membership::Entity>(ctx, &id).await?;
        if let Some(m) = &found {
            guard::require_group(ctx, Access::Members, m.group_id, "a membership").await?;
        }
        Ok(found.map(Membership))
    }

    #[graphql(entity)]
    async fn find_newcomer_household_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<NewcomerHousehold>> {
        guard::signed_in(ctx, "a household")?;
        let found = by_id::<newcomer_household::Entity>(ctx, &id).await?;
        if let Some(h) = &found {
            guard::require_city(ctx, Access::Households, h.city_id, "a household").await?;
        }
        Ok(found.map(NewcomerHousehold))
    }

    #[graphql(entity)]
    async fn find_sponsorship_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Sponsorship>> {
        guard::signed_in(ctx, "a sponsorship")?;
        let found = by_id::<sponsorship::Entity>(ctx, &id).await?;
        if let Some(s) = &found {
            guard::require_group(ctx, Access::Members, s.group_id, "a sponsorship").await?;
        }
        Ok(found.map(Sponsorship))
    }

    #[graphql(entity)]
    async fn find_milestone_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Milestone>> {
        guard::signed_in(ctx, "a milestone of a sponsorship")?;
        let found = by_id::<milestone::Entity>(ctx, &id).await?;
        if let Some(m) = &found {
            let s =
                crate::graphql::load_parent::<sponsorship::Entity>(ctx, m.sponsorship_id).await?;
            guard::require_group(
                ctx,
                Access::Members,
                s.group_id,
                "a milestone of a sponsorship",
            )
            .await?;
        }
        Ok(found.map(Milestone))
    }

    #[graphql(entity)]
    async fn find_partner_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<PartnerOrganisation>> {
        guard::require_admin(ctx, "the partner register")?;
        Ok(by_id::<partner_organisation::Entity>(ctx, &id)
            .await?
            .map(PartnerOrganisation))
    }
}
