//! The log of calls for partner statistics: which key (or administrator) asked what, when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_query_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub asked_at: DateTimeUtc,
    /// The API key used; none for an administrator.
    pub key_id: Option<Uuid>,
    /// The key's partner organisation.
    pub partner_id: Option<Uuid>,
    /// `PARTNER` or the role of the signed-in viewer.
    pub viewer_role: String,
    /// The root field, e.g. `partnerStats`.
    pub field: String,
    /// The arguments as a JSON object.
    pub arguments: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
