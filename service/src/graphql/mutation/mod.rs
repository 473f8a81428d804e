//! Root mutation fields, merged from one object per domain. Each mutation is one transaction
//! that also writes its audit entry, and returns the changed object.

mod groups;

use async_graphql::MergedObject;

/// The root `Mutation` type.
#[derive(MergedObject, Default)]
pub struct Mutation(groups::GroupMutation);
