//! `PartnerOrganisation`: an organisation that pulls aggregated figures.

use crate::graphql::types::enums::PartnerKind;
use crate::graphql::types::id;
use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use haven_entities::partner_organisation::Model;

/// A municipality, agency, NGO, university, funder or research group that reads aggregates.
pub struct PartnerOrganisation(pub Model);

#[Object]
impl PartnerOrganisation {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> PartnerKind {
        self.0.kind.into()
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
