//! sea-orm entities of haven: one module per table, plus the enums they store.
//!
//! Entities carry no GraphQL derives: the service maps them to GraphQL types. Enums are stored
//! portably as short strings (their GraphQL names), so the same schema works on SQLite and
//! PostgreSQL without `CREATE TYPE`.

pub mod audit_log;
pub mod city;
pub mod contribution;
pub mod corporate_sponsor;
pub mod enums;
pub mod group_status_change;
pub mod membership;
pub mod milestone;
pub mod newcomer_household;
pub mod partner_api_key;
pub mod partner_api_key_network;
pub mod partner_organisation;
pub mod partner_query_log;
pub mod sponsor_commitment;
pub mod sponsor_group;
pub mod sponsorship;
pub mod sponsorship_network;
pub mod sponsorship_status_change;
pub mod volunteer;

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// A short list of strings (language codes, skills) stored as a JSON array.
///
/// SQLite has no array type, so a JSON column is the portable choice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct StringList(pub Vec<String>);

impl From<Vec<String>> for StringList {
    fn from(v: Vec<String>) -> Self {
        Self(v)
    }
}
