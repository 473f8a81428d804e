//! A corporate sponsor's pledge to a network, a city or a group for a period.

use crate::enums::{CommitmentKind, ScopeKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sponsor_commitment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sponsor_id: Uuid,
    /// What the pledge is for. `network_id` is always set, `city_id` for town and group scope,
    /// `group_id` for group scope: lists of sponsors by network or town need no joins.
    pub scope_kind: ScopeKind,
    pub network_id: Option<Uuid>,
    pub city_id: Option<Uuid>,
    pub group_id: Option<Uuid>,
    pub kind: CommitmentKind,
    pub pledged_hours: Option<i32>,
    pub pledged_value_cents: Option<i64>,
    pub pledged_places: Option<i32>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::corporate_sponsor::Entity",
        from = "Column::SponsorId",
        to = "super::corporate_sponsor::Column::Id"
    )]
    Sponsor,
}

impl ActiveModelBehavior for ActiveModel {}
