//! Every error leaves with an `extensions.code`.
//!
//! haven's own errors carry their code from [`crate::error::Error`]. Errors raised by the
//! GraphQL engine itself (a query that does not parse or validate, limits exceeded, a federation
//! representation without `__typename` or key) carry none; they are all the client's input, so
//! this extension marks them `BAD_USER_INPUT`.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest};
use async_graphql::{Response, Value};
use std::sync::Arc;

/// Adds `extensions.code = "BAD_USER_INPUT"` to engine errors that have no code.
pub struct DefaultErrorCode;

impl ExtensionFactory for DefaultErrorCode {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DefaultErrorCode)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for DefaultErrorCode {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut resp = next.run(ctx).await;
        for err in &mut resp.errors {
            let ext = err.extensions.get_or_insert_with(Default::default);
            if ext.get("code").is_none() {
                ext.set("code", Value::from("BAD_USER_INPUT"));
            }
        }
        resp
    }
}
