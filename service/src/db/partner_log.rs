//! The log of calls for partner statistics: every call is written (who, which field, which
//! arguments, when) and administrators read it newest first.

use crate::auth::Viewer;
use crate::db::page::{self, Ordering, Page, PageArgs, SortKey};
use crate::error::Result;
use chrono::Utc;
use haven_entities::partner_query_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait};
use uuid::Uuid;

/// Writes that `viewer` called `field` with `arguments`, now.
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    field: &str,
    arguments: serde_json::Value,
) -> Result<()> {
    let (key_id, partner_id) = match viewer {
        Viewer::Partner { key, partner, .. } => (Some(*key), Some(*partner)),
        _ => (None, None),
    };
    partner_query_log::Model {
        id: Uuid::new_v4(),
        asked_at: Utc::now(),
        key_id,
        partner_id,
        viewer_role: viewer.role_name().into(),
        field: field.into(),
        arguments: arguments.to_string(),
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    Ok(())
}

/// The log, newest first.
pub const NEWEST_FIRST: Ordering<partner_query_log::Entity> = Ordering {
    name: "askedAt",
    sort: partner_query_log::Column::AskedAt,
    id: partner_query_log::Column::Id,
    key: |m: &partner_query_log::Model| SortKey::Time(m.asked_at),
    descending: true,
};

/// One page of the log.
pub async fn list(
    db: &impl ConnectionTrait,
    args: &PageArgs,
) -> Result<Page<partner_query_log::Model>> {
    page::fetch(db, partner_query_log::Entity::find(), &NEWEST_FIRST, args).await
}

/// How many calls the log holds.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(partner_query_log::Entity::find().count(db).await?)
}
