//! The viewers of the permission tables: who they are for a fixture, and how to ask as each.

use crate::fixture::Fixture;
use crate::helpers::{TestApp, token};
use haven::auth::Role;
use haven_entities::partner_organisation;
use sea_orm::EntityTrait;

/// The viewers of the permission tables, each with their outcomes in this order.
pub const VIEWERS: [&str; 11] = [
    "anonymous",
    "partner",
    "member",
    "member elsewhere",
    "lead",
    "lead elsewhere",
    "city coordinator",
    "other city coordinator",
    "network coordinator",
    "other network coordinator",
    "admin",
];

/// Outcomes of a permission table, one per viewer in the order of [`VIEWERS`].
pub type Row = [&'static str; 11];
pub const U: &str = "UNAUTHENTICATED";
pub const F: &str = "FORBIDDEN";
pub const OK: &str = "ok";

/// Sends `query` with the token of viewer `who` (anonymous for anyone without one).
pub async fn as_who(
    app: &TestApp,
    who: &str,
    f: &Fixture,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    app.graphql_as(token_for(who, f).as_deref(), query, variables)
        .await
}

/// A key of the demo set's first partner organisation, as `haven apikey create` makes one
/// (scope `aggregates`, every network).
pub async fn partner_key(app: &TestApp) -> String {
    let db = app.state.db();
    let partner = partner_organisation::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    haven::db::partners::create_key(db, partner.id, vec!["aggregates".into()], &[])
        .await
        .unwrap()
}

/// Sends `query` as viewer `who` of [`VIEWERS`] (a partner by `partner_key`).
pub async fn ask(
    app: &TestApp,
    partner_key: &str,
    who: &str,
    f: &Fixture,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    if who == "partner" {
        app.graphql_with(&[("x-api-key", partner_key)], query, variables)
            .await
    } else {
        app.graphql_as(token_for(who, f).as_deref(), query, variables)
            .await
    }
}

/// A token of viewer `who` (as named in the permission table) for fixture `f`; none for anonymous viewers
/// and partners.
pub fn token_for(who: &str, f: &Fixture) -> Option<String> {
    let (sub, role, network, city, groups) = match who {
        "member" => (Some(f.m), Role::Member, None, None, vec![f.g, f.applied_g]),
        "member elsewhere" => (Some(f.e), Role::Member, None, None, vec![f.other_g]),
        "lead elsewhere" => (Some(f.ol), Role::GroupLead, None, None, vec![f.other_g]),
        "lead" => (
            Some(f.l),
            Role::GroupLead,
            None,
            None,
            vec![f.g, f.applied_g],
        ),
        "city coordinator" => (None, Role::CityCoordinator, None, Some(f.city.id), vec![]),
        "other city coordinator" => (
            None,
            Role::CityCoordinator,
            None,
            Some(f.other_city),
            vec![],
        ),
        "network coordinator" => (
            None,
            Role::NetworkCoordinator,
            Some(f.network.id),
            None,
            vec![],
        ),
        "other network coordinator" => (
            None,
            Role::NetworkCoordinator,
            Some(f.other_network),
            None,
            vec![],
        ),
        "admin" => (None, Role::Admin, None, None, vec![]),
        _ => return None,
    };
    Some(token(role, sub, network, city, groups))
}
