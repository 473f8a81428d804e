//! `AuditEntry`: one recorded mutation (who, which operation, which entity, when).

use crate::graphql::types::id;
use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use haven_entities::audit_log::Model;

/// One mutation as recorded in the audit log; it holds no personal values.
pub struct AuditEntry(pub Model);

#[Object]
impl AuditEntry {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The volunteer who acted, when the viewer spoke for one.
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(id)
    }
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// The mutation, e.g. `transitionSponsorGroup`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The table of the entity acted on, e.g. `sponsor_group`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> ID {
        id(self.0.entity_id)
    }
}

/// Counts the audit log.
pub struct AuditTotal;

#[Object]
impl AuditTotal {
    /// The number of entries in the whole log.
    async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<i32> {
        use crate::error::GqlResultExt;
        let n = crate::db::audit::count(crate::graphql::db(ctx)?)
            .await
            .gql()?;
        Ok(crate::graphql::types::count_to_int(n))
    }
}
