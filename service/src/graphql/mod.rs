//! The GraphQL API: schema construction, per-request data, loaders, root fields and types.

pub mod connection;
pub mod loaders;
pub mod query;
pub mod types;

use async_graphql::{Context, EmptyMutation, EmptySubscription, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use crate::error::{Error, Result};
use loaders::Loaders;

/// The executable schema of haven.
pub type HavenSchema = Schema<query::Query, EmptyMutation, EmptySubscription>;

/// Largest nesting depth of a query.
pub const MAX_DEPTH: usize = 15;
/// Largest complexity of a query (each field costs one).
pub const MAX_COMPLEXITY: usize = 5_000;

/// Builds the schema. It holds no database: connections and loaders arrive per request.
pub fn build_schema() -> HavenSchema {
    Schema::build(query::Query::default(), EmptyMutation, EmptySubscription)
        .enable_federation()
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The subgraph SDL as committed in `schema.graphql`: federation directives, sorted, stable.
pub fn export_sdl() -> String {
    build_schema().sdl_with_options(
        SDLExportOptions::new()
            .federation()
            .compose_directive()
            .sorted_fields()
            .sorted_enum_items()
            .use_space_ident(),
    )
}

/// The request's database connection.
pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| Error::Internal("no database in request data".into()).into_graphql())
}

/// The request's dataloaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
        .map_err(|_| Error::Internal("no loaders in request data".into()).into_graphql())
}

/// Parses a GraphQL `ID` as a UUID.
pub fn parse_id(field: &str, id: &async_graphql::ID) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.as_str())
        .map_err(|_| Error::bad_input(field, format!("`{}` is not a valid id", id.as_str())))
}
