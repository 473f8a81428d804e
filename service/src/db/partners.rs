//! Partner organisations' API keys: created once (the key is shown then and never stored),
//! looked up by hash.

use crate::error::{Error, Result};
use chrono::Utc;
use haven_entities::{partner_api_key, partner_organisation};
use sea_orm::QueryOrder;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A partner's key as found by its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartnerKey {
    /// The key's own id (not its value).
    pub id: Uuid,
    pub partner_id: Uuid,
    pub scopes: Vec<String>,
}

/// SHA-256 of a key, hex. Keys carry 244 random bits, so a plain hash is enough.
pub fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a key for `partner` and returns it; only its hash is stored.
pub async fn create_key(
    db: &impl ConnectionTrait,
    partner: Uuid,
    scopes: Vec<String>,
) -> Result<String> {
    if partner_organisation::Entity::find_by_id(partner)
        .one(db)
        .await?
        .is_none()
    {
        return Err(Error::NotFound(format!("partner organisation {partner}")));
    }
    let key = format!("hvn_{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let now = Utc::now();
    partner_api_key::Model {
        id: Uuid::new_v4(),
        partner_id: partner,
        key_prefix: key[..12].to_owned(),
        key_hash: hash_key(&key),
        scopes: scopes.into(),
        revoked_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    Ok(key)
}

/// The live (not revoked) key with this value, if any.
pub async fn find_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<PartnerKey>> {
    let found = partner_api_key::Entity::find()
        .filter(partner_api_key::Column::KeyHash.eq(hash_key(key)))
        .filter(partner_api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    Ok(found.map(|k| PartnerKey {
        id: k.id,
        partner_id: k.partner_id,
        scopes: k.scopes.0,
    }))
}

/// All partner organisations, by name (the register is short: no paging).
pub async fn organisations(db: &impl ConnectionTrait) -> Result<Vec<partner_organisation::Model>> {
    Ok(partner_organisation::Entity::find()
        .order_by_asc(partner_organisation::Column::Name)
        .all(db)
        .await?)
}
