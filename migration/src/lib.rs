//! Schema migrations of haven. One file per migration; every migration runs unchanged on SQLite
//! and PostgreSQL and is fully reversed by its `down`.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261128_000001_networks_and_cities;
mod m20261128_000002_groups_and_volunteers;
mod m20261128_000003_households_and_sponsorships;
mod m20261128_000004_corporate_sponsors;
mod m20261128_000005_contributions;
mod m20261128_000006_partner_organisations;
mod m20261128_000007_read_indexes;
mod m20261128_000008_partner_api_keys;
mod m20261128_000009_audit_log;
mod m20261128_000010_volunteer_erasure;
mod m20261202_000011_audit_role_tokens;
mod m20261202_000012_status_history;
mod m20261207_000013_figure_indexes;
mod m20261207_000014_partner_statistics;

/// All migrations of haven, in order.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_networks_and_cities::Migration),
            Box::new(m20261128_000002_groups_and_volunteers::Migration),
            Box::new(m20261128_000003_households_and_sponsorships::Migration),
            Box::new(m20261128_000004_corporate_sponsors::Migration),
            Box::new(m20261128_000005_contributions::Migration),
            Box::new(m20261128_000006_partner_organisations::Migration),
            Box::new(m20261128_000007_read_indexes::Migration),
            Box::new(m20261128_000008_partner_api_keys::Migration),
            Box::new(m20261128_000009_audit_log::Migration),
            Box::new(m20261128_000010_volunteer_erasure::Migration),
            Box::new(m20261202_000011_audit_role_tokens::Migration),
            Box::new(m20261202_000012_status_history::Migration),
            Box::new(m20261207_000013_figure_indexes::Migration),
            Box::new(m20261207_000014_partner_statistics::Migration),
        ]
    }
}
