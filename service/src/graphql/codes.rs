//! Every error leaves with an `extensions.code`.
//!
//! haven's own errors carry their code from [`crate::error::Error`]. Errors raised by the
//! GraphQL engine carry none, so [`attach`] adds them to each response: a document that does
//! not validate (unknown fields, wrong argument types, depth and complexity limits) is
//! `GRAPHQL_VALIDATION_FAILED`, as Apollo's router and clients expect; anything else the engine
//! refuses during execution (a federation representation without `__typename`) is the
//! client's input, `BAD_USER_INPUT`. Documents that do not parse, break the limits or name an
//! unknown operation are refused with their codes before the engine sees them.
//!
//! This is not an engine extension on purpose: with any extension installed, async-graphql
//! resolves every field through the extension chain, which cost about a tenth of the CPU of
//! a large nested query.

use crate::error::Code;
use async_graphql::{Response, ServerError, Value};

/// Sets `code` on every error that has no code yet (the one place codes are attached to
/// engine-level errors; the HTTP layer uses it too).
pub fn mark(errors: &mut [ServerError], code: Code) {
    for err in errors {
        let ext = err.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set("code", Value::from(code.as_str()));
        }
    }
}

/// The errors the engine raises while resolving `_entities`. They are execution errors but,
/// unlike every other, carry no path; their text tells them from validation errors (the
/// federation tests fail if an engine upgrade changes it).
const ENTITY_ERRORS: [&str; 2] = [
    r#""__typename" must be an existing string."#,
    "Entity not found.",
];

/// Codes the errors of an engine response that have none. A response without data whose
/// errors all lack a path (and are not `_entities` errors) was refused before execution: by
/// validation, since parsing and operation selection were checked before the engine ran.
pub fn attach(resp: &mut Response) {
    let refused = resp.data == Value::Null
        && resp
            .errors
            .iter()
            .all(|e| e.path.is_empty() && !ENTITY_ERRORS.contains(&e.message.as_str()));
    let code = if refused {
        Code::ValidationFailed
    } else {
        Code::BadUserInput
    };
    mark(&mut resp.errors, code);
}
