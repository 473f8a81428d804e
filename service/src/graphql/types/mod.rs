//! GraphQL object types, built from entity models (entities carry no GraphQL derives).

pub mod analytics;
pub mod audit;
pub mod care;
pub mod city;
pub mod enums;
pub mod group;
pub mod network;
pub mod partner;
pub mod partner_stats;
pub mod sponsor;
pub mod totals;

pub use care::{Contribution, Membership, Milestone, NewcomerHousehold, Sponsorship, Volunteer};
pub use city::City;
pub use group::SponsorGroup;
pub use network::SponsorshipNetwork;
pub use partner::PartnerOrganisation;
pub use sponsor::{CorporateSponsor, SponsorCommitment};

/// Converts a count for GraphQL's `Int`, saturating rather than wrapping.
pub fn count_to_int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// An entity id as a GraphQL `ID`.
pub fn id(uuid: uuid::Uuid) -> async_graphql::ID {
    async_graphql::ID(uuid.to_string())
}
