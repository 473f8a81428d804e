//! haven: a GraphQL API (an Apollo Federation v2 subgraph) for community sponsorship of
//! refugees: networks, towns, sponsor groups, volunteers, sponsorships and corporate sponsors.
//!
//! `main.rs` only parses the command line; everything else lives here so that tests can build
//! and run the real application.

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod policy;
pub mod rate;
pub mod seed;
pub mod telemetry;

pub use app::App;
pub use config::Config;
