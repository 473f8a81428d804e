//! `CorporateSponsor` and `SponsorCommitment`: companies and what they pledge.

use crate::db::lists::{CommitmentsOfSponsor, ContributionsOf};
use crate::db::sponsors::COMMITMENTS_BY_START;
use crate::error::{Error, GqlResultExt};
use crate::graphql::connection::{Conn, OrderDirection, list_args};
use crate::graphql::loaders::DeliveredMinutes;
use crate::graphql::types::enums::{CommitmentKind, ScopeKind};
use crate::graphql::types::totals::{CommitmentTotal, ContributionTotal};
use crate::graphql::types::{City, Contribution, SponsorGroup, SponsorshipNetwork, id};
use crate::graphql::{load_parent, loaders, nested};
use async_graphql::{Context, ID, Object, Result, Union};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::{
    city, corporate_sponsor, sponsor_commitment, sponsor_group, sponsorship_network,
};

/// A company that sponsors with staff time, goods, jobs, expertise or a venue.
pub struct CorporateSponsor(pub corporate_sponsor::Model);

#[Object]
impl CorporateSponsor {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The company's name; the company-data subgraph may resolve it too.
    #[graphql(shareable)]
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Chamber of Commerce (KvK) number: 8 digits.
    async fn kvk_number(&self) -> &str {
        &self.0.kvk_number
    }
    #[graphql(shareable, tag = "partner")]
    async fn sector(&self) -> &str {
        &self.0.sector
    }
    #[graphql(shareable)]
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// What the company pledged, by start date.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn commitments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<SponsorCommitment, CommitmentTotal>> {
        let order = COMMITMENTS_BY_START;
        nested(
            ctx,
            CommitmentsOfSponsor,
            self.0.id,
            order,
            list_args(first, after, last, before),
            SponsorCommitment,
            CommitmentTotal(CommitmentsOfSponsor, self.0.id),
        )
        .await
    }

    /// What the company delivered, newest first unless asked otherwise.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "OrderDirection::Desc")] direction: OrderDirection,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Contribution, ContributionTotal>> {
        let args = list_args(first, after, last, before);
        Contribution::page(ctx, ContributionsOf::Sponsor, self.0.id, direction, args).await
    }
}

/// What a commitment is pledged to.
#[derive(Union)]
pub enum CommitmentScope {
    Network(SponsorshipNetwork),
    City(City),
    Group(SponsorGroup),
}

/// A corporate sponsor's pledge to a network, a town or a group for a period.
pub struct SponsorCommitment(pub sponsor_commitment::Model);

#[Object]
impl SponsorCommitment {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn kind(&self) -> CommitmentKind {
        self.0.kind.into()
    }
    async fn scope_kind(&self) -> ScopeKind {
        self.0.scope_kind.into()
    }
    async fn pledged_hours(&self) -> Option<i32> {
        self.0.pledged_hours
    }
    /// Value of pledged goods in euro cents.
    async fn pledged_value_cents(&self) -> Option<i64> {
        self.0.pledged_value_cents
    }
    /// Pledged job or internship places.
    async fn pledged_places(&self) -> Option<i32> {
        self.0.pledged_places
    }
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    /// Last day of the period; open-ended when null.
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.0.ends_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    async fn sponsor(&self, ctx: &Context<'_>) -> Result<CorporateSponsor> {
        Ok(CorporateSponsor(
            load_parent::<corporate_sponsor::Entity>(ctx, self.0.sponsor_id).await?,
        ))
    }

    /// The network, town or group the pledge is for.
    async fn scope(&self, ctx: &Context<'_>) -> Result<CommitmentScope> {
        use haven_entities::enums::ScopeKind as S;
        let missing = || {
            Error::Internal(format!(
                "commitment {} has no {:?} scope",
                self.0.id, self.0.scope_kind
            ))
            .into_graphql()
        };
        Ok(match self.0.scope_kind {
            S::Network => {
                let id = self.0.network_id.ok_or_else(missing)?;
                CommitmentScope::Network(SponsorshipNetwork(
                    load_parent::<sponsorship_network::Entity>(ctx, id).await?,
                ))
            }
            S::City => CommitmentScope::City(City(
                load_parent::<city::Entity>(ctx, self.0.city_id.ok_or_else(missing)?).await?,
            )),
            S::Group => CommitmentScope::Group(SponsorGroup(
                load_parent::<sponsor_group::Entity>(ctx, self.0.group_id.ok_or_else(missing)?)
                    .await?,
            )),
        })
    }

    /// Hours the sponsor contributed inside the pledge's scope and period.
    async fn delivered_hours(&self, ctx: &Context<'_>) -> Result<f64> {
        let minutes = loaders(ctx)?
            .load_one(DeliveredMinutes(self.0.id))
            .await
            .gql()?
            .unwrap_or(0);
        Ok(minutes as f64 / 60.0)
    }
}
