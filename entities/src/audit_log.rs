//! The audit log: who did which operation on which entity, and when. No personal values.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    /// The volunteer who acted, when the viewer speaks for one.
    pub actor_id: Option<Uuid>,
    /// The actor's role (`ADMIN`, `CITY_COORDINATOR`, …).
    pub actor_role: String,
    /// The mutation, e.g. `transitionSponsorGroup`.
    pub operation: String,
    /// The table of the entity acted on.
    pub entity_type: String,
    pub entity_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
