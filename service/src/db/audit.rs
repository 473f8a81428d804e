//! Recording mutations in the audit log, inside the mutation's own transaction.

use crate::auth::Viewer;
use crate::error::Result;
use chrono::Utc;
use haven_entities::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel};
use uuid::Uuid;

/// Appends one entry: who (`viewer`) did `operation` on `entity_type` `entity_id`, now.
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    operation: &str,
    entity_type: &str,
    entity_id: Uuid,
) -> Result<()> {
    let actor_role = match viewer {
        Viewer::User { role, .. } => format!("{role:?}"),
        Viewer::Partner { .. } => "PARTNER".into(),
        Viewer::Anonymous => "ANONYMOUS".into(),
    };
    audit_log::Model {
        id: Uuid::new_v4(),
        occurred_at: Utc::now(),
        actor_id: viewer.subject(),
        actor_role,
        operation: operation.into(),
        entity_type: entity_type.into(),
        entity_id,
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    Ok(())
}
