//! GraphQL object types, built from entity models (entities carry no GraphQL derives).

pub mod city;
pub mod enums;
pub mod group;
pub mod network;

pub use city::City;
pub use group::SponsorGroup;
pub use network::SponsorshipNetwork;

/// Converts a count for GraphQL's `Int`, saturating rather than wrapping.
pub fn count_to_int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
