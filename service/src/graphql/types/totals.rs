//! The `totalCount` of each connection type, computed only when selected: root lists count
//! their filter, nested lists count through a batched loader.

use crate::db::lists::{
    CitiesOfNetwork, CommitmentsOfSponsor, ContributionsOf, GroupsOf, MembershipsOf, SponsorsOf,
    SponsorshipsOfGroup,
};
use crate::db::{cities, groups, networks, sponsors};
use crate::error::GqlResultExt;
use crate::graphql::types::count_to_int;
use crate::graphql::{db, load_count};
use async_graphql::{Context, Object, Result};
use uuid::Uuid;

/// Counts all networks.
pub struct NetworkTotal;

#[Object]
impl NetworkTotal {
    /// The number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count_to_int(networks::count(db(ctx)?).await.gql()?))
    }
}

/// Counts a city list.
pub enum CityTotal {
    Matching(cities::CityFilter),
    Of(CitiesOfNetwork, Uuid),
}

#[Object]
impl CityTotal {
    /// The number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        match self {
            Self::Matching(f) => Ok(count_to_int(cities::count(db(ctx)?, f).await.gql()?)),
            Self::Of(rel, parent) => load_count(ctx, *rel, *parent).await,
        }
    }
}

/// Counts a sponsor group list.
pub enum GroupTotal {
    Matching(groups::GroupFilter),
    Of(GroupsOf, Uuid),
}

#[Object]
impl GroupTotal {
    /// The number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        match self {
            Self::Matching(f) => Ok(count_to_int(groups::count(db(ctx)?, f).await.gql()?)),
            Self::Of(rel, parent) => load_count(ctx, *rel, *parent).await,
        }
    }
}

/// Counts a corporate sponsor list.
pub enum SponsorTotal {
    Matching(sponsors::SponsorFilter),
    Of(SponsorsOf, Uuid),
}

#[Object]
impl SponsorTotal {
    /// The number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        match self {
            Self::Matching(f) => Ok(count_to_int(sponsors::count(db(ctx)?, f).await.gql()?)),
            Self::Of(rel, parent) => load_count(ctx, *rel, *parent).await,
        }
    }
}

/// Declares the total of a list that only exists nested, along one relation type.
macro_rules! nested_total {
    ($(#[$meta:meta])* $name:ident, $rel:ty) => {
        $(#[$meta])*
        pub struct $name(pub $rel, pub Uuid);

        #[Object]
        impl $name {
            /// The number of items in the whole list, across all pages.
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
                load_count(ctx, self.0, self.1).await
            }
        }
    };
}

nested_total!(
    /// Counts a membership list.
    MembershipTotal,
    MembershipsOf
);
nested_total!(
    /// Counts a sponsorship list.
    SponsorshipTotal,
    SponsorshipsOfGroup
);
nested_total!(
    /// Counts a contribution list.
    ContributionTotal,
    ContributionsOf
);
nested_total!(
    /// Counts a commitment list.
    CommitmentTotal,
    CommitmentsOfSponsor
);
