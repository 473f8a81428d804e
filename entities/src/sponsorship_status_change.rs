//! One change of a sponsorship's status: the status, the day it took effect, and who made it.

use crate::enums::SponsorshipStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sponsorship_status_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sponsorship_id: Uuid,
    pub status: SponsorshipStatus,
    pub effective_on: Date,
    /// The volunteer who made the change, when a volunteer's token did.
    pub actor_id: Option<Uuid>,
    /// The role as tokens spell it; `SYSTEM` for history written by migrations and seeds.
    pub actor_role: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
