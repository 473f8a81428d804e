//! A milestone reached in a sponsorship; at most one of each kind per sponsorship.

use crate::enums::MilestoneKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sponsorship_id: Uuid,
    pub kind: MilestoneKind,
    pub achieved_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sponsorship::Entity",
        from = "Column::SponsorshipId",
        to = "super::sponsorship::Column::Id"
    )]
    Sponsorship,
}

impl ActiveModelBehavior for ActiveModel {}
