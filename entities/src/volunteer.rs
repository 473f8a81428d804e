//! A volunteer: a person, so every column but the id is personal data.

use crate::StringList;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub display_name: String,
    #[sea_orm(unique)]
    pub email: String,
    pub phone: Option<String>,
    /// ISO 639-1 codes.
    pub languages: StringList,
    pub skills: StringList,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When the volunteer's personal data was erased; an erased volunteer is unreachable.
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Whether the volunteer's personal data was erased: an erased volunteer is unreachable
    /// (not shown, not signed in, given no new hours), though their row and totals stay.
    pub fn is_erased(&self) -> bool {
        self.erased_at.is_some()
    }
}
