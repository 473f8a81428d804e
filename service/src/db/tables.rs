//! What every table shares: a UUID id column, looked up in batches.

use crate::db::page::HasId;
use crate::error::Result;
use haven_entities::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// An entity whose rows are identified by a UUID `id`.
pub trait Table: EntityTrait<Model: HasId + Sync> {
    /// The `id` column.
    fn id_column() -> Self::Column;
}

macro_rules! tables {
    ($($module:ident),+ $(,)?) => {$(
        impl Table for $module::Entity {
            fn id_column() -> Self::Column {
                $module::Column::Id
            }
        }
        impl HasId for $module::Model {
            fn id(&self) -> Uuid {
                self.id
            }
        }
    )+};
}

tables!(
    sponsorship_network,
    city,
    sponsor_group,
    volunteer,
    membership,
    newcomer_household,
    sponsorship,
    milestone,
    contribution,
    corporate_sponsor,
    sponsor_commitment,
    partner_organisation,
    partner_api_key,
    audit_log,
    partner_query_log,
);

/// The rows with these ids (any order; unknown ids are absent).
pub async fn by_ids<E: Table>(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<E::Model>> {
    Ok(E::find()
        .filter(super::keys::uuid_in(
            db.get_database_backend(),
            Expr::col((E::default(), E::id_column())),
            ids,
        ))
        .all(db)
        .await?)
}
