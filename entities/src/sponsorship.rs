//! A sponsorship: a group welcoming one newcomer household.

use crate::enums::{EndReason, SponsorshipStatus, SponsorshipVariant};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sponsorship")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    pub household_id: Uuid,
    pub variant: SponsorshipVariant,
    pub status: SponsorshipStatus,
    pub end_reason: Option<EndReason>,
    pub proposed_on: Date,
    pub started_on: Option<Date>,
    /// Start + 12 months, set when the sponsorship starts.
    pub planned_end_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sponsor_group::Entity",
        from = "Column::GroupId",
        to = "super::sponsor_group::Column::Id"
    )]
    Group,
    #[sea_orm(
        belongs_to = "super::newcomer_household::Entity",
        from = "Column::HouseholdId",
        to = "super::newcomer_household::Column::Id"
    )]
    Household,
}

impl ActiveModelBehavior for ActiveModel {}
