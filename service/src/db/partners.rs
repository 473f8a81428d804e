//! Partner organisations' API keys: created once (the key is shown then and never stored),
//! looked up by hash.

use crate::error::{Error, Result};
use chrono::Utc;
use haven_entities::{
    partner_api_key, partner_api_key_network, partner_organisation, sponsorship_network,
};
use sea_orm::QueryOrder;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// A partner's key as found by its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartnerKey {
    /// The key's own id (not its value).
    pub id: Uuid,
    pub partner_id: Uuid,
    pub scopes: Vec<String>,
    /// The networks the key is limited to; empty: every network.
    pub networks: Vec<Uuid>,
}

/// SHA-256 of a key, hex. Keys carry 244 random bits, so a plain hash is enough.
pub fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a key for `partner`, limited to `networks` when any are given, and returns it; only
/// its hash is stored.
pub async fn create_key(
    db: &DatabaseConnection,
    partner: Uuid,
    scopes: Vec<String>,
    networks: &[Uuid],
) -> Result<String> {
    let tx = db.begin().await?;
    for n in networks {
        if sponsorship_network::Entity::find_by_id(*n)
            .one(&tx)
            .await?
            .is_none()
        {
            return Err(Error::NotFound(format!("network {n}")));
        }
    }
    let (key, id) = insert_key(&tx, partner, scopes).await?;
    for n in networks {
        partner_api_key_network::Model {
            key_id: id,
            network_id: *n,
        }
        .into_active_model()
        .insert(&tx)
        .await?;
    }
    tx.commit().await?;
    Ok(key)
}

async fn insert_key(
    db: &impl ConnectionTrait,
    partner: Uuid,
    scopes: Vec<String>,
) -> Result<(String, Uuid)> {
    if partner_organisation::Entity::find_by_id(partner)
        .one(db)
        .await?
        .is_none()
    {
        return Err(Error::NotFound(format!("partner organisation {partner}")));
    }
    let key = format!("hvn_{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let now = Utc::now();
    let id = Uuid::new_v4();
    partner_api_key::Model {
        id,
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
    Ok((key, id))
}

async fn find_live(db: &impl ConnectionTrait, key: &str) -> Result<Option<partner_api_key::Model>> {
    Ok(partner_api_key::Entity::find()
        .filter(partner_api_key::Column::KeyHash.eq(hash_key(key)))
        .filter(partner_api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// The live (not revoked) key with this value, if any.
pub async fn find_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<PartnerKey>> {
    let Some(k) = find_live(db, key).await? else {
        return Ok(None);
    };
    let networks = networks_of(db, k.id).await?;
    Ok(Some(PartnerKey {
        id: k.id,
        partner_id: k.partner_id,
        scopes: k.scopes.0,
        networks,
    }))
}

/// The networks key `id` is limited to (none: every network).
async fn networks_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<Uuid>> {
    let mut networks: Vec<Uuid> = partner_api_key_network::Entity::find()
        .filter(partner_api_key_network::Column::KeyId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| n.network_id)
        .collect();
    networks.sort();
    Ok(networks)
}

/// A key as `haven apikey list` shows it: never its value.
#[derive(Debug, Clone)]
pub struct KeyListing {
    pub key: partner_api_key::Model,
    pub partner: String,
    pub networks: Vec<Uuid>,
}

/// Every key, revoked ones too, oldest first.
pub async fn list_keys(db: &impl ConnectionTrait) -> Result<Vec<KeyListing>> {
    let keys = partner_api_key::Entity::find()
        .order_by_asc(partner_api_key::Column::CreatedAt)
        .order_by_asc(partner_api_key::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<Uuid, String> = organisations(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut networks: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for n in partner_api_key_network::Entity::find()
        .order_by_asc(partner_api_key_network::Column::NetworkId)
        .all(db)
        .await?
    {
        networks.entry(n.key_id).or_default().push(n.network_id);
    }
    Ok(keys
        .into_iter()
        .map(|key| KeyListing {
            partner: names.get(&key.partner_id).cloned().unwrap_or_default(),
            networks: networks.remove(&key.id).unwrap_or_default(),
            key,
        })
        .collect())
}

/// Revokes the key whose id is `id` or whose value begins with `prefix` (as listed); an
/// unknown or ambiguous one is refused. Revoking twice changes nothing.
pub async fn revoke_key(db: &impl ConnectionTrait, id_or_prefix: &str) -> Result<Uuid> {
    let id_or_prefix = id_or_prefix.trim();
    let mut q = partner_api_key::Entity::find();
    q = match Uuid::parse_str(id_or_prefix) {
        Ok(id) => q.filter(partner_api_key::Column::Id.eq(id)),
        Err(_) => q.filter(partner_api_key::Column::KeyPrefix.eq(id_or_prefix)),
    };
    let found = q.all(db).await?;
    let key = match <[_; 1]>::try_from(found) {
        Ok([key]) => key,
        Err(found) if found.is_empty() => {
            return Err(Error::NotFound(format!("API key {id_or_prefix}")));
        }
        Err(_) => {
            return Err(Error::bad_input(
                "key",
                format!("several keys begin with {id_or_prefix}: give the key's id"),
            ));
        }
    };
    if key.revoked_at.is_none() {
        let now = Utc::now();
        let mut active = key.clone().into_active_model();
        active.revoked_at = Set(Some(now));
        active.updated_at = Set(now);
        active.version = Set(key.version + 1);
        active.update(db).await?;
    }
    Ok(key.id)
}

/// All partner organisations, by name (the register is short: no paging).
pub async fn organisations(db: &impl ConnectionTrait) -> Result<Vec<partner_organisation::Model>> {
    Ok(partner_organisation::Entity::find()
        .order_by_asc(partner_organisation::Column::Name)
        .all(db)
        .await?)
}
