//! The `--router-auth` variant of the subgraph SDL: the same schema with `@requiresScopes` on
//! every field that carries personal data, naming the roles that may read it.
//!
//! The roles come from the policy ([`crate::policy`]): the table's rule of each field, and the
//! roles that can pass it.
//!
//! `@requiresScopes` is an enterprise router feature; a router without a licence refuses a
//! supergraph that applies it, so the default `schema.graphql` does not, and routers that do
//! enforce it compose this variant instead. haven checks every permission itself either way.

use crate::auth::Role;
use crate::policy::{self, Rule};

/// (type, field, roles) for every field of the policy table with a rule of its own: the roles
/// that pass the rule somewhere, over all of the field's cases.
fn guarded() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let mut out: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for rule in policy::table::fields().filter(|r| r.rule != Rule::Public) {
        let roles = policy::roles(rule.rule).into_iter().map(Role::token);
        match out
            .iter_mut()
            .find(|(t, f, _)| *t == rule.ty && *f == rule.field)
        {
            Some((_, _, known)) => known.extend(roles),
            None => out.push((rule.ty, rule.field, roles.collect())),
        }
    }
    for (_, _, roles) in &mut out {
        // In the order of trust, each once.
        roles.sort_by_key(|r| policy::ALL_ROLES.iter().position(|x| x.token() == *r));
        roles.dedup();
    }
    out
}

/// `@requiresScopes(scopes: [["A"], ["B"]])`: any one of the roles suffices.
fn directive(roles: &[&str]) -> String {
    let alternatives: Vec<String> = roles.iter().map(|r| format!("[\"{r}\"]")).collect();
    format!(" @requiresScopes(scopes: [{}])", alternatives.join(", "))
}

/// Adds `@requiresScopes` to the guarded fields of `sdl` (as exported by async-graphql: one
/// field per line, arguments inline, types opened by `type Name … {`).
pub fn apply(sdl: &str) -> String {
    let guarded_fields = guarded();
    let mut out = String::with_capacity(sdl.len() + 4096);
    let mut current: Option<&str> = None;
    for line in sdl.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed
            .strip_prefix("type ")
            .or_else(|| trimmed.strip_prefix("extend type "))
        {
            current = rest.split([' ', '{']).next();
        } else if trimmed.starts_with('}') {
            current = None;
        }
        out.push_str(line);
        if let Some(ty) = current {
            let name = trimmed.split(['(', ':']).next().unwrap_or("").trim();
            let guarded = guarded_fields
                .iter()
                .find(|(t, f, _)| *t == ty && *f == name);
            if let Some((_, _, roles)) =
                guarded.filter(|_| trimmed.contains(':') && !trimmed.starts_with("\"\"\""))
            {
                out.push_str(&directive(roles));
            }
        }
        out.push('\n');
    }
    out
}

/// The guarded (type, field) pairs, for tests.
pub fn guarded_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    guarded().into_iter().map(|(t, f, _)| (t, f))
}
