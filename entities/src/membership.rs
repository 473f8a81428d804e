//! A volunteer's membership of a sponsor group, with screening (VOG) and training state.

use crate::enums::{MembershipRole, VogStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub group_id: Uuid,
    pub volunteer_id: Uuid,
    pub role: MembershipRole,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub vog_status: VogStatus,
    pub training_completed_on: Option<Date>,
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
        belongs_to = "super::volunteer::Entity",
        from = "Column::VolunteerId",
        to = "super::volunteer::Column::Id"
    )]
    Volunteer,
}

impl ActiveModelBehavior for ActiveModel {}
