//! A town (city or village) taking part in a network, identified by its CBS municipality code.

use crate::enums::{CityKind, CityStatus, Province};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "city")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub network_id: Uuid,
    pub name: String,
    /// `GM` + 4 digits, unique.
    #[sea_orm(unique)]
    pub cbs_code: String,
    pub province: Province,
    pub kind: CityKind,
    pub status: CityStatus,
    pub joined_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sponsorship_network::Entity",
        from = "Column::NetworkId",
        to = "super::sponsorship_network::Column::Id"
    )]
    Network,
    #[sea_orm(has_many = "super::sponsor_group::Entity")]
    SponsorGroup,
}

impl Related<super::sponsorship_network::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Network.def()
    }
}

impl Related<super::sponsor_group::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SponsorGroup.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
