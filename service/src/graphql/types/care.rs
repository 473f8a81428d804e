//! People and care: volunteers, memberships, households, sponsorships, milestones and
//! contributions. Everything here is personal data or about a household, guarded field by
//! field by the policy (see [`crate::policy`]).

use crate::db::care::{CONTRIBUTIONS_BY_DATE, MEMBERSHIPS_BY_JOINED};
use crate::db::lists::{ContributionsOf, MembershipsOf};
use crate::error::GqlResultExt;
use crate::graphql::connection::{Conn, ListArgs, OrderDirection, list_args};
use crate::graphql::loaders::MilestonesOf;
use crate::graphql::types::enums::{
    ContributionKind, EndReason, MembershipRole, MilestoneKind, SponsorshipStatus,
    SponsorshipVariant, VogStatus,
};
use crate::graphql::types::totals::{ContributionTotal, MembershipTotal};
use crate::graphql::types::{City, CorporateSponsor, SponsorGroup, id};
use crate::graphql::{load_parent, loaders, nested, shared_parent};
use crate::policy::check::{self, At};
use crate::policy::rule;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::{
    city, contribution, corporate_sponsor, membership, milestone, newcomer_household,
    sponsor_group, sponsorship, volunteer,
};
use std::sync::Arc;
use uuid::Uuid;

/// A volunteer, and the group through which the viewer reached them (if any): names are for
/// fellow members, contact details for that group's leads, the volunteer and administrators.
pub struct Volunteer(pub Arc<volunteer::Model>, pub Option<Uuid>);

impl Volunteer {
    /// The volunteer, unless their personal data was erased: then they are unreachable.
    pub fn reachable(v: impl Into<Arc<volunteer::Model>>, via: Option<Uuid>) -> Option<Self> {
        let v = v.into();
        (!v.is_erased()).then_some(Self(v, via))
    }

    /// Where this volunteer was reached: themself, and the group the viewer came through.
    fn at(&self) -> At {
        At::Volunteer {
            id: self.0.id,
            via: self.1,
        }
    }
}

#[Object]
impl Volunteer {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// Contact detail.
    async fn email(&self, ctx: &Context<'_>) -> Result<&str> {
        check::require(ctx, rule!(Volunteer.email), self.at()).await?;
        Ok(&self.0.email)
    }
    /// Contact detail.
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        check::require(ctx, rule!(Volunteer.phone), self.at()).await?;
        Ok(self.0.phone.as_deref())
    }
    /// Languages spoken (ISO 639-1).
    async fn languages(&self) -> &[String] {
        &self.0.languages.0
    }
    async fn skills(&self) -> &[String] {
        &self.0.skills.0
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The groups this volunteer is or was in.
    #[graphql(complexity = "crate::graphql::list_cost(first, last, child_complexity)")]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Membership, MembershipTotal>> {
        check::require(ctx, rule!(Volunteer.memberships), self.at()).await?;
        let order = MEMBERSHIPS_BY_JOINED;
        nested(
            ctx,
            MembershipsOf::Volunteer,
            self.0.id,
            order,
            list_args(first, after, last, before),
            Membership,
            MembershipTotal(MembershipsOf::Volunteer, self.0.id),
        )
        .await
    }
}

/// A volunteer in a group, with screening (VOG) and training state.
pub struct Membership(pub membership::Model);

#[Object]
impl Membership {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn role(&self) -> MembershipRole {
        self.0.role.into()
    }
    async fn joined_on(&self) -> NaiveDate {
        self.0.joined_on
    }
    /// When the volunteer left the group; null while they are in it.
    async fn left_on(&self) -> Option<NaiveDate> {
        self.0.left_on
    }
    /// State of the certificate of conduct (VOG).
    async fn vog_status(&self) -> VogStatus {
        self.0.vog_status.into()
    }
    async fn training_completed_on(&self) -> Option<NaiveDate> {
        self.0.training_completed_on
    }
    /// The member; null when their personal data was erased.
    async fn volunteer(&self, ctx: &Context<'_>) -> Result<Option<Volunteer>> {
        check::require(ctx, rule!(Membership.volunteer), At::Group(self.0.group_id)).await?;
        Ok(Volunteer::reachable(
            shared_parent::<volunteer::Entity>(ctx, self.0.volunteer_id).await?,
            Some(self.0.group_id),
        ))
    }
    async fn group(&self, ctx: &Context<'_>) -> Result<SponsorGroup> {
        Ok(SponsorGroup(
            load_parent::<sponsor_group::Entity>(ctx, self.0.group_id).await?,
        ))
    }
}

/// A newcomer household, known only by pseudonym.
pub struct NewcomerHousehold(pub newcomer_household::Model);

#[Object]
impl NewcomerHousehold {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn pseudonym(&self) -> &str {
        &self.0.pseudonym
    }
    async fn household_size(&self) -> i32 {
        self.0.household_size
    }
    /// Languages spoken (ISO 639-1).
    async fn languages(&self) -> &[String] {
        &self.0.languages.0
    }
    async fn arrival_date(&self) -> Option<NaiveDate> {
        self.0.arrival_date
    }
    async fn city(&self, ctx: &Context<'_>) -> Result<City> {
        Ok(City(
            load_parent::<city::Entity>(ctx, self.0.city_id).await?,
        ))
    }
}

/// A group welcoming one household.
pub struct Sponsorship(pub sponsorship::Model);

#[Object]
impl Sponsorship {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn variant(&self) -> SponsorshipVariant {
        self.0.variant.into()
    }
    async fn status(&self) -> SponsorshipStatus {
        self.0.status.into()
    }
    /// Why it ended early, when it did.
    async fn end_reason(&self) -> Option<EndReason> {
        self.0.end_reason.map(Into::into)
    }
    async fn proposed_on(&self) -> NaiveDate {
        self.0.proposed_on
    }
    async fn started_on(&self) -> Option<NaiveDate> {
        self.0.started_on
    }
    /// Start + 12 months.
    async fn planned_end_on(&self) -> Option<NaiveDate> {
        self.0.planned_end_on
    }
    async fn ended_on(&self) -> Option<NaiveDate> {
        self.0.ended_on
    }
    async fn group(&self, ctx: &Context<'_>) -> Result<SponsorGroup> {
        Ok(SponsorGroup(
            load_parent::<sponsor_group::Entity>(ctx, self.0.group_id).await?,
        ))
    }
    async fn household(&self, ctx: &Context<'_>) -> Result<NewcomerHousehold> {
        check::require(
            ctx,
            rule!(Sponsorship.household),
            At::Group(self.0.group_id),
        )
        .await?;
        Ok(NewcomerHousehold(
            load_parent::<newcomer_household::Entity>(ctx, self.0.household_id).await?,
        ))
    }
    /// Milestones reached, in order.
    async fn milestones(&self, ctx: &Context<'_>) -> Result<Vec<Milestone>> {
        let rows = loaders(ctx)?
            .load_one(MilestonesOf(self.0.id))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Milestone).collect())
    }
    /// Time and goods given in this sponsorship, newest first unless asked otherwise.
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
        Contribution::page(
            ctx,
            ContributionsOf::Sponsorship,
            self.0.id,
            direction,
            args,
        )
        .await
    }
}

/// A step reached in a sponsorship.
pub struct Milestone(pub milestone::Model);

#[Object]
impl Milestone {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn kind(&self) -> MilestoneKind {
        self.0.kind.into()
    }
    async fn achieved_on(&self) -> NaiveDate {
        self.0.achieved_on
    }
    async fn sponsorship(&self, ctx: &Context<'_>) -> Result<Sponsorship> {
        let at = At::Sponsorship(self.0.sponsorship_id);
        check::require(ctx, rule!(Milestone.sponsorship), at).await?;
        Ok(Sponsorship(
            load_parent::<sponsorship::Entity>(ctx, self.0.sponsorship_id).await?,
        ))
    }
}

/// Time or goods given to a group, by a volunteer or a company.
pub struct Contribution(pub contribution::Model);

impl Contribution {
    /// One page of a parent's contributions along `rel`, by date (newest first for `Desc`):
    /// the body of every `contributions` field (of groups, sponsorships and companies).
    pub async fn page(
        ctx: &Context<'_>,
        rel: ContributionsOf,
        parent: Uuid,
        direction: OrderDirection,
        args: ListArgs,
    ) -> Result<Conn<Contribution, ContributionTotal>> {
        let order = CONTRIBUTIONS_BY_DATE.direction(direction == OrderDirection::Desc);
        let total = ContributionTotal(rel, parent);
        nested(ctx, rel, parent, order, args, Contribution, total).await
    }
}

#[Object]
impl Contribution {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// Changes with every write; pass it as `expectedVersion` to change this object.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The day it was given.
    async fn date(&self) -> NaiveDate {
        self.0.contributed_on
    }
    async fn kind(&self) -> ContributionKind {
        self.0.kind.into()
    }
    async fn hours(&self) -> f64 {
        f64::from(self.0.minutes) / 60.0
    }
    /// Value of goods given in kind, in euro cents (only IN_KIND contributions have one).
    async fn value_cents(&self) -> Option<i64> {
        self.0.value_cents
    }
    /// Free text: may say anything about anyone, so it is personal data.
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        check::require(ctx, rule!(Contribution.note), At::Group(self.0.group_id)).await?;
        Ok(self.0.note.as_deref())
    }
    async fn group(&self, ctx: &Context<'_>) -> Result<SponsorGroup> {
        Ok(SponsorGroup(
            load_parent::<sponsor_group::Entity>(ctx, self.0.group_id).await?,
        ))
    }
    /// The sponsorship it was given in, if any.
    async fn sponsorship(&self, ctx: &Context<'_>) -> Result<Option<Sponsorship>> {
        let Some(sid) = self.0.sponsorship_id else {
            return Ok(None);
        };
        check::require(
            ctx,
            rule!(Contribution.sponsorship),
            At::Group(self.0.group_id),
        )
        .await?;
        Ok(Some(Sponsorship(
            load_parent::<sponsorship::Entity>(ctx, sid).await?,
        )))
    }
    /// The volunteer who gave it, when a volunteer did (null when their data was erased).
    async fn volunteer(&self, ctx: &Context<'_>) -> Result<Option<Volunteer>> {
        let Some(vid) = self.0.volunteer_id else {
            return Ok(None);
        };
        check::require(
            ctx,
            rule!(Contribution.volunteer),
            At::Group(self.0.group_id),
        )
        .await?;
        Ok(Volunteer::reachable(
            shared_parent::<volunteer::Entity>(ctx, vid).await?,
            Some(self.0.group_id),
        ))
    }
    /// The company that gave it, when a company did.
    async fn corporate_sponsor(&self, ctx: &Context<'_>) -> Result<Option<CorporateSponsor>> {
        let Some(cid) = self.0.corporate_sponsor_id else {
            return Ok(None);
        };
        Ok(Some(CorporateSponsor(
            load_parent::<corporate_sponsor::Entity>(ctx, cid).await?,
        )))
    }
}
