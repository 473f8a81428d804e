//! An API key of a partner organisation. Only a hash of the key is stored; the key itself is
//! shown once, when it is created.

use crate::StringList;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_api_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    /// The key's first characters, to tell keys apart in listings and logs.
    pub key_prefix: String,
    /// SHA-256 of the key, hex.
    #[sea_orm(unique)]
    pub key_hash: String,
    /// What the key may read (e.g. `aggregates`).
    pub scopes: StringList,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::partner_organisation::Entity",
        from = "Column::PartnerId",
        to = "super::partner_organisation::Column::Id"
    )]
    Partner,
}

impl ActiveModelBehavior for ActiveModel {}
