//! Mutations of organisations: sponsorship networks and their towns (administrators, network
//! coordinators), corporate sponsors (coordinators) and their commitments (whoever runs the
//! scope of the pledge).

use super::org_inputs::{CityInput, CorporateSponsorInput, NetworkInput, PledgeInput};
use super::{target, write};
use crate::db::org_writes::{self as orgs, Scope};
use crate::db::writes;
use crate::error::{Error, GqlResultExt};
use crate::graphql::load_parent;
use crate::graphql::types::{City, CorporateSponsor, SponsorCommitment, SponsorshipNetwork};
use crate::policy::check::{self, At};
use crate::policy::{FieldRule, rule};
use async_graphql::{Context, ID, InputObject, Object, Result};
use haven_entities::enums::ScopeKind;
use haven_entities::{
    city, corporate_sponsor, sponsor_commitment, sponsor_group, sponsorship_network,
};

/// What a pledge is for: exactly one of a network, a town or a group.
#[derive(InputObject)]
pub struct CommitmentScopeInput {
    pub network_id: Option<ID>,
    pub city_id: Option<ID>,
    pub group_id: Option<ID>,
}

/// Resolves a scope input, requiring the right to run it: a network's coordinators for a
/// network, a town's coordinators for a town, a group's leads and coordinators for a group.
async fn scope(ctx: &Context<'_>, input: CommitmentScopeInput) -> Result<Scope> {
    let rule = rule!(Mutation.addSponsorCommitment);
    match (input.network_id, input.city_id, input.group_id) {
        (Some(n), None, None) => {
            let n = target::<sponsorship_network::Entity>(ctx, "networkId", &n).await?;
            check::require(ctx, rule, At::Network(n.id)).await?;
            Ok(Scope {
                kind: ScopeKind::Network,
                network: n.id,
                city: None,
                group: None,
            })
        }
        (None, Some(c), None) => {
            let c = target::<city::Entity>(ctx, "cityId", &c).await?;
            check::require(ctx, rule, At::City(c.id)).await?;
            Ok(Scope {
                kind: ScopeKind::City,
                network: c.network_id,
                city: Some(c.id),
                group: None,
            })
        }
        (None, None, Some(g)) => {
            let g = target::<sponsor_group::Entity>(ctx, "groupId", &g).await?;
            check::require_write(ctx, rule, At::Group(g.id)).await?;
            let c = load_parent::<city::Entity>(ctx, g.city_id).await?;
            Ok(Scope {
                kind: ScopeKind::Group,
                network: c.network_id,
                city: Some(c.id),
                group: Some(g.id),
            })
        }
        _ => Err(Error::bad_input(
            "scope",
            "give exactly one of `networkId`, `cityId` and `groupId`",
        )
        .into_graphql()),
    }
}

/// Requires `rule` (the right to run the scope) for an existing commitment.
async fn commitment_scope(
    ctx: &Context<'_>,
    c: &sponsor_commitment::Model,
    rule: &FieldRule,
) -> Result<()> {
    let at = match (c.group_id, c.city_id, c.network_id) {
        (Some(g), _, _) => At::Group(g),
        (None, Some(city), _) => At::City(city),
        (None, None, Some(n)) => At::Network(n),
        (None, None, None) => At::Nowhere,
    };
    check::require_write(ctx, rule, at).await
}

/// Mutations of networks, towns, companies and pledges.
#[derive(Default)]
pub struct OrgMutation;

#[Object]
impl OrgMutation {
    /// Creates a sponsorship network (administrators).
    async fn create_sponsorship_network(
        &self,
        ctx: &Context<'_>,
        input: NetworkInput,
    ) -> Result<SponsorshipNetwork> {
        check::authenticated(ctx).await?;
        check::require(ctx, rule!(Mutation.createSponsorshipNetwork), At::Nowhere).await?;
        let fields = input.parse().gql()?;
        let row = write(ctx, "createSponsorshipNetwork", move |txn| {
            Box::pin(orgs::create_network(txn, fields))
        })
        .await?;
        Ok(SponsorshipNetwork(row))
    }

    /// Changes a network (its coordinators, administrators).
    async fn update_sponsorship_network(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: NetworkInput,
    ) -> Result<SponsorshipNetwork> {
        check::authenticated(ctx).await?;
        let n = target::<sponsorship_network::Entity>(ctx, "id", &id).await?;
        check::require(
            ctx,
            rule!(Mutation.updateSponsorshipNetwork),
            At::Network(n.id),
        )
        .await?;
        let fields = input.parse().gql()?;
        let row = write(ctx, "updateSponsorshipNetwork", move |txn| {
            Box::pin(orgs::update_network(txn, n.id, expected_version, fields))
        })
        .await?;
        Ok(SponsorshipNetwork(row))
    }

    /// Adds a town to a network (its coordinators, administrators).
    async fn create_city(
        &self,
        ctx: &Context<'_>,
        network_id: ID,
        input: CityInput,
    ) -> Result<City> {
        check::authenticated(ctx).await?;
        let n = target::<sponsorship_network::Entity>(ctx, "networkId", &network_id).await?;
        check::require(ctx, rule!(Mutation.createCity), At::Network(n.id)).await?;
        let fields = input.parse().gql()?;
        let row = write(ctx, "createCity", move |txn| {
            Box::pin(orgs::create_city(txn, n.id, fields))
        })
        .await?;
        Ok(City(row))
    }

    /// Changes a town (the coordinators of its network, administrators).
    async fn update_city(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: CityInput,
    ) -> Result<City> {
        check::authenticated(ctx).await?;
        let c = target::<city::Entity>(ctx, "id", &id).await?;
        check::require(ctx, rule!(Mutation.updateCity), At::Network(c.network_id)).await?;
        let fields = input.parse().gql()?;
        let row = write(ctx, "updateCity", move |txn| {
            Box::pin(orgs::update_city(txn, c.id, expected_version, fields))
        })
        .await?;
        Ok(City(row))
    }

    /// Registers a company (coordinators, administrators).
    async fn create_corporate_sponsor(
        &self,
        ctx: &Context<'_>,
        input: CorporateSponsorInput,
    ) -> Result<CorporateSponsor> {
        check::authenticated(ctx).await?;
        check::require(ctx, rule!(Mutation.createCorporateSponsor), At::Nowhere).await?;
        let fields = input.parse().gql()?;
        let row = write(ctx, "createCorporateSponsor", move |txn| {
            Box::pin(orgs::create_sponsor(txn, fields))
        })
        .await?;
        Ok(CorporateSponsor(row))
    }

    /// Changes a company (coordinators, administrators; its KvK number: administrators).
    async fn update_corporate_sponsor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: CorporateSponsorInput,
    ) -> Result<CorporateSponsor> {
        check::authenticated(ctx).await?;
        check::require(ctx, rule!(Mutation.updateCorporateSponsor), At::Nowhere).await?;
        let s = target::<corporate_sponsor::Entity>(ctx, "id", &id).await?;
        let fields = input.parse().gql()?;
        if fields
            .kvk_number
            .as_ref()
            .is_some_and(|k| k.as_str() != s.kvk_number)
        {
            // The KvK number is how other subgraphs know the company: administrators only.
            let kvk = rule!(Mutation.updateCorporateSponsor[kvk]);
            check::require(ctx, kvk, At::Nowhere).await?;
        }
        let row = write(ctx, "updateCorporateSponsor", move |txn| {
            Box::pin(orgs::update_sponsor(txn, s.id, expected_version, fields))
        })
        .await?;
        Ok(CorporateSponsor(row))
    }

    /// Records a company's pledge to a network, town or group (whoever runs that scope).
    async fn add_sponsor_commitment(
        &self,
        ctx: &Context<'_>,
        sponsor_id: ID,
        scope: CommitmentScopeInput,
        input: PledgeInput,
    ) -> Result<SponsorCommitment> {
        check::authenticated(ctx).await?;
        let s = target::<corporate_sponsor::Entity>(ctx, "sponsorId", &sponsor_id).await?;
        let scope = self::scope(ctx, scope).await?;
        let pledge = input.parse().gql()?;
        let row = write(ctx, "addSponsorCommitment", move |txn| {
            Box::pin(orgs::create_commitment(txn, s.id, scope, pledge))
        })
        .await?;
        Ok(SponsorCommitment(row))
    }

    /// Changes a pledge's figures or period.
    async fn update_sponsor_commitment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: PledgeInput,
    ) -> Result<SponsorCommitment> {
        check::authenticated(ctx).await?;
        let c = target::<sponsor_commitment::Entity>(ctx, "id", &id).await?;
        commitment_scope(ctx, &c, rule!(Mutation.updateSponsorCommitment)).await?;
        let pledge = input.parse().gql()?;
        let row = write(ctx, "updateSponsorCommitment", move |txn| {
            Box::pin(orgs::update_commitment(txn, c.id, expected_version, pledge))
        })
        .await?;
        Ok(SponsorCommitment(row))
    }

    /// Removes a pledge made by mistake; returns it.
    async fn remove_sponsor_commitment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<SponsorCommitment> {
        check::authenticated(ctx).await?;
        let c = target::<sponsor_commitment::Entity>(ctx, "id", &id).await?;
        commitment_scope(ctx, &c, rule!(Mutation.removeSponsorCommitment)).await?;
        let row = write(ctx, "removeSponsorCommitment", move |txn| {
            Box::pin(writes::delete_if_current::<sponsor_commitment::Entity>(
                txn,
                c.id,
                Some(expected_version),
            ))
        })
        .await?;
        Ok(SponsorCommitment(row))
    }
}
