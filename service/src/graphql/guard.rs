//! Field guards for personal data.
//!
//! Until viewers can sign in, every request is anonymous, and anonymous viewers see no person
//! and no household: these fields answer `FORBIDDEN` (never an empty list that would read as
//! "there are none"). The viewer-aware rules replace this function, not its callers.

use crate::error::Error;
use async_graphql::Context;

/// Refuses access to `what` unless the viewer may see this personal data.
pub fn personal_data(_ctx: &Context<'_>, what: &str) -> async_graphql::Result<()> {
    Err(Error::Forbidden(format!(
        "{what} is personal data; sign in with a role that may see it"
    ))
    .into_graphql())
}
