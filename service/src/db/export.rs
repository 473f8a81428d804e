//! A volunteer's own data, gathered for `exportMyData` (the right of access).

use crate::error::Result;
use haven_entities::{audit_log, contribution, membership, sponsor_group};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

/// Everything stored about volunteer `id`: profile, memberships, contributions and the changes
/// they made, with the names of the groups they concern.
pub async fn volunteer_data(db: &impl ConnectionTrait, id: Uuid) -> Result<Value> {
    let v = crate::db::people_writes::reachable(db, id).await?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::VolunteerId.eq(id))
        .order_by_asc(membership::Column::JoinedOn)
        .all(db)
        .await?;
    let contributions = contribution::Entity::find()
        .filter(contribution::Column::VolunteerId.eq(id))
        .order_by_asc(contribution::Column::ContributedOn)
        .all(db)
        .await?;
    let group_ids: Vec<Uuid> = memberships
        .iter()
        .map(|m| m.group_id)
        .chain(contributions.iter().map(|c| c.group_id))
        .collect();
    let groups: HashMap<Uuid, String> = sponsor_group::Entity::find()
        .filter(sponsor_group::Column::Id.is_in(group_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    // What they did in haven is about them too: the audit entries they are the actor of.
    let actions = audit_log::Entity::find()
        .filter(audit_log::Column::ActorId.eq(id))
        .order_by_asc(audit_log::Column::OccurredAt)
        .all(db)
        .await?;
    let group = |id: &Uuid| json!({ "id": id, "name": groups.get(id) });
    Ok(json!({
        "volunteer": {
            "id": v.id, "displayName": v.display_name, "email": v.email, "phone": v.phone,
            "languages": v.languages.0, "skills": v.skills.0,
            "createdAt": v.created_at, "updatedAt": v.updated_at,
        },
        "memberships": memberships.iter().map(|m| json!({
            "id": m.id, "group": group(&m.group_id), "role": m.role, "joinedOn": m.joined_on,
            "leftOn": m.left_on, "vogStatus": m.vog_status, "trainingCompletedOn": m.training_completed_on,
        })).collect::<Vec<_>>(),
        "contributions": contributions.iter().map(|c| json!({
            "id": c.id, "group": group(&c.group_id), "sponsorshipId": c.sponsorship_id, "date": c.contributed_on,
            "kind": c.kind, "minutes": c.minutes, "valueCents": c.value_cents, "note": c.note,
        })).collect::<Vec<_>>(),
        "actions": actions.iter().map(|a| json!({
            "occurredAt": a.occurred_at, "operation": a.operation, "entityType": a.entity_type,
            "entityId": a.entity_id,
        })).collect::<Vec<_>>(),
    }))
}
