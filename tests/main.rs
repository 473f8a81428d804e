//! The one integration-test binary of haven. Every test starts the real application on
//! 127.0.0.1:0 with its own database (a SQLite file, or its own PostgreSQL schema when
//! `TEST_DATABASE_URL` is set) and its own Redis key prefix (when `TEST_REDIS_URL` is set),
//! and talks GraphQL over HTTP to it.

// Tests may panic on what they did not expect: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analytics;
mod analytics_access;
mod api;
mod apq;
mod areas;
mod cache;
mod cache_trust;
mod data_rights;
mod enums;
mod federation;
mod figures_world;
mod fixture;
mod helpers;
mod hostile;
mod http;
mod lifecycle;
mod migrations;
mod mutation_permissions;
mod mutations;
mod operations;
mod partner_figures;
mod partner_stats;
mod partner_walk;
mod permissions;
mod policy;
mod rate_limits;
mod read_api;
mod schema;
mod seed;
mod snapshots;
mod startup;
mod statement_counts;
mod validation;
mod viewers;
mod workflows;
mod write_races;
