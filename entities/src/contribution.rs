//! Time or goods given to a group (and optionally one sponsorship), by a volunteer or a company.

use crate::enums::ContributionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contribution")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    pub sponsorship_id: Option<Uuid>,
    /// Exactly one of `volunteer_id` and `corporate_sponsor_id` is set.
    pub volunteer_id: Option<Uuid>,
    pub corporate_sponsor_id: Option<Uuid>,
    pub contributed_on: Date,
    pub kind: ContributionKind,
    /// Time given, in minutes (exact sums; the API shows hours).
    pub minutes: i32,
    /// Value of goods given, in euro cents.
    pub value_cents: Option<i64>,
    pub note: Option<String>,
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
        belongs_to = "super::sponsorship::Entity",
        from = "Column::SponsorshipId",
        to = "super::sponsorship::Column::Id"
    )]
    Sponsorship,
    #[sea_orm(
        belongs_to = "super::volunteer::Entity",
        from = "Column::VolunteerId",
        to = "super::volunteer::Column::Id"
    )]
    Volunteer,
    #[sea_orm(
        belongs_to = "super::corporate_sponsor::Entity",
        from = "Column::CorporateSponsorId",
        to = "super::corporate_sponsor::Column::Id"
    )]
    CorporateSponsor,
}

impl ActiveModelBehavior for ActiveModel {}
