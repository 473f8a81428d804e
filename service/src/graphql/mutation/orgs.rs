//! Mutations of organisations: sponsorship networks and their towns (administrators, network
//! coordinators), corporate sponsors (coordinators) and their commitments (whoever runs the
//! scope of the pledge).

use super::{maybe, target, write};
use crate::db::org_writes::{
    self as orgs, CityFields, NetworkFields, Pledge, Scope, SponsorFields,
};
use crate::db::writes;
use crate::domain::{CbsCode, KvkNumber};
use crate::error::{Error, GqlResultExt};
use crate::graphql::load_parent;
use crate::graphql::types::enums::{CityKind, CityStatus, CommitmentKind, Province};
use crate::graphql::types::{City, CorporateSponsor, SponsorCommitment, SponsorshipNetwork};
use crate::policy::check::{self, At};
use crate::policy::{FieldRule, rule};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use haven_entities::enums::ScopeKind;
use haven_entities::{
    city, corporate_sponsor, sponsor_commitment, sponsor_group, sponsorship_network,
};

/// A sponsorship network's fields. On create `slug` and `name` are required (`countryCode`
/// defaults to NL); on update omitted fields stay as they are and `null` clears.
#[derive(InputObject, Default)]
pub struct NetworkInput {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    pub website: MaybeUndefined<String>,
    pub founded_on: MaybeUndefined<NaiveDate>,
}

impl From<NetworkInput> for NetworkFields {
    fn from(i: NetworkInput) -> Self {
        NetworkFields {
            slug: i.slug,
            name: i.name,
            description: i.description,
            country_code: i.country_code,
            website: maybe(i.website),
            founded_on: maybe(i.founded_on),
        }
    }
}

/// A town's fields. On create `name`, `cbsCode`, `province` and `kind` are required; on
/// update omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct CityInput {
    pub name: Option<String>,
    /// `GM` and four digits.
    pub cbs_code: Option<String>,
    pub province: Option<Province>,
    pub kind: Option<CityKind>,
    pub status: Option<CityStatus>,
    pub joined_on: MaybeUndefined<NaiveDate>,
}

impl CityInput {
    fn parse(self) -> Result<CityFields> {
        Ok(CityFields {
            name: self.name,
            cbs_code: self
                .cbs_code
                .map(|c| CbsCode::parse("cbsCode", &c))
                .transpose()
                .gql()?,
            province: self.province.map(Into::into),
            kind: self.kind.map(Into::into),
            status: self.status.map(Into::into),
            joined_on: maybe(self.joined_on),
        })
    }
}

/// A company's fields. On create `name`, `kvkNumber` and `sector` are required; on update
/// omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct CorporateSponsorInput {
    pub name: Option<String>,
    /// Eight digits.
    pub kvk_number: Option<String>,
    pub sector: Option<String>,
    pub website: MaybeUndefined<String>,
}

impl CorporateSponsorInput {
    fn parse(self) -> Result<SponsorFields> {
        Ok(SponsorFields {
            name: self.name,
            kvk_number: self
                .kvk_number
                .map(|k| KvkNumber::parse("kvkNumber", &k))
                .transpose()
                .gql()?,
            sector: self.sector,
            website: maybe(self.website),
        })
    }
}

/// What a pledge is for: exactly one of a network, a town or a group.
#[derive(InputObject)]
pub struct CommitmentScopeInput {
    pub network_id: Option<ID>,
    pub city_id: Option<ID>,
    pub group_id: Option<ID>,
}

/// A pledge's figures and period. On create `kind` and `startsOn` are required; on update
/// omitted fields stay as they are and `null` clears.
#[derive(InputObject, Default)]
pub struct PledgeInput {
    pub kind: Option<CommitmentKind>,
    pub pledged_hours: MaybeUndefined<i32>,
    pub pledged_value_cents: MaybeUndefined<i64>,
    pub pledged_places: MaybeUndefined<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: MaybeUndefined<NaiveDate>,
}

impl From<PledgeInput> for Pledge {
    fn from(i: PledgeInput) -> Self {
        Pledge {
            kind: i.kind.map(Into::into),
            hours: maybe(i.pledged_hours),
            value_cents: maybe(i.pledged_value_cents),
            places: maybe(i.pledged_places),
            starts_on: i.starts_on,
            ends_on: maybe(i.ends_on),
        }
    }
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
        let fields = input.into();
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
        let fields = input.into();
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
        let fields = input.parse()?;
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
        let fields = input.parse()?;
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
        let fields = input.parse()?;
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
        let fields = input.parse()?;
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
        let pledge = input.into();
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
        let pledge = input.into();
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
