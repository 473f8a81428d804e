//! `SponsorGroup`: residents of one town who together welcome newcomers.

use crate::error::{Error, GqlResultExt};
use crate::graphql::loaders;
use crate::graphql::loaders::{CityById, MemberCountOfGroup};
use crate::graphql::types::enums::{GroupOrigin, GroupStatus, SponsorshipVariant};
use crate::graphql::types::{City, count_to_int};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use haven_entities::sponsor_group::Model;

/// A sponsor group. Its name, variant, status and counts are public; its members are not.
pub struct SponsorGroup(pub Model);

#[Object]
impl SponsorGroup {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn variant(&self) -> SponsorshipVariant {
        self.0.variant.into()
    }
    async fn status(&self) -> GroupStatus {
        self.0.status.into()
    }
    async fn origin(&self) -> GroupOrigin {
        self.0.origin.into()
    }
    async fn formed_on(&self) -> NaiveDate {
        self.0.formed_on
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The town the group works in.
    async fn city(&self, ctx: &Context<'_>) -> Result<City> {
        loaders(ctx)?
            .load_one(CityById(self.0.city_id))
            .await
            .gql()?
            .map(City)
            .ok_or_else(|| {
                Error::Internal(format!("group {} has no city", self.0.id)).into_graphql()
            })
    }

    /// The number of current members (who have not left).
    async fn member_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = loaders(ctx)?
            .load_one(MemberCountOfGroup(self.0.id))
            .await
            .gql()?
            .unwrap_or(0);
        Ok(count_to_int(n))
    }
}
