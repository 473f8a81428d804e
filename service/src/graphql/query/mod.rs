//! Root query fields, merged from one object per domain.

mod analytics;
mod care;
mod cities;
mod entities;
mod groups;
mod networks;
mod partner;
mod sponsors;

use async_graphql::MergedObject;

/// The root `Query` type.
#[derive(MergedObject, Default)]
pub struct Query(
    networks::NetworkQuery,
    cities::CityQuery,
    groups::GroupQuery,
    sponsors::SponsorQuery,
    care::CareQuery,
    entities::EntityQuery,
    analytics::AnalyticsQuery,
    partner::PartnerQueryRoot,
);
