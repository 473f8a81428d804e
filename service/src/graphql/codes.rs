//! Every error leaves with an `extensions.code`.
//!
//! haven's own errors carry their code from [`crate::error::Error`]. Errors raised by the
//! GraphQL engine carry none, so this extension adds them where the engine raised them: a
//! document that does not parse is `GRAPHQL_PARSE_FAILED`, one that does not validate (unknown
//! fields, wrong argument types, depth and complexity limits) is `GRAPHQL_VALIDATION_FAILED`,
//! as Apollo's router and clients expect; anything else the engine refuses during execution (a
//! federation representation without `__typename`, a variable of the wrong type) is the
//! client's input, `BAD_USER_INPUT`.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Value, Variables};
use std::sync::Arc;

/// A document that cannot be parsed.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// A document that parses but does not validate against the schema or its limits.
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// Adds `extensions.code` to engine errors that have none.
pub struct DefaultErrorCode;

impl ExtensionFactory for DefaultErrorCode {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DefaultErrorCode)
    }
}

/// Sets `code` on every error that has no code yet (the one place codes are attached to
/// engine-level errors; the HTTP layer uses it too).
pub fn mark(errors: &mut [ServerError], code: &str) {
    for err in errors {
        let ext = err.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set("code", Value::from(code));
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for DefaultErrorCode {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut resp = next.run(ctx).await;
        mark(&mut resp.errors, "BAD_USER_INPUT");
        resp
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        // The HTTP handler parses before the engine does, so what fails here is the engine's
        // recursion and directive limits on a parsed document: a validation failure.
        next.run(ctx, query, variables).await.map_err(|mut e| {
            mark(std::slice::from_mut(&mut e), VALIDATION_FAILED);
            e
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            mark(&mut errors, VALIDATION_FAILED);
            errors
        })
    }
}
