//! The policy table covers the schema: every field that can show personal data (or change
//! anything) has a rule, and the table names no field the schema does not have.

use haven::policy::Rule;
use haven::policy::table::{self, TYPES};
use std::collections::BTreeMap;

/// Object types of the SDL: name -> [(field, named return type)].
fn object_types(sdl: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut types = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_description = false;
    for line in sdl.lines() {
        let t = line.trim();
        if t.starts_with("\"\"\"") {
            in_description = !in_description || (t.len() > 3 && t.ends_with("\"\"\""));
            continue;
        }
        if in_description {
            continue;
        }
        if let Some(rest) = t.strip_prefix("type ") {
            let name = rest.split([' ', '{']).next().unwrap().to_owned();
            types.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if t.starts_with('}') {
            current = None;
        } else if let Some(ty) = &current
            && !t.is_empty()
        {
            let name = t.split(['(', ':']).next().unwrap().trim().to_owned();
            // The return type follows the arguments' closing parenthesis, if any.
            let after_args = t.rfind(')').map_or(t, |i| &t[i + 1..]);
            let returns = after_args
                .split_once(':')
                .map(|(_, r)| r.trim())
                .unwrap_or_default()
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches(['[', ']', '!'])
                .to_owned();
            types.get_mut(ty).unwrap().push((name, returns));
        }
    }
    types
}

/// A connection or edge stands for the type of its nodes.
fn node_type(ty: &str) -> &str {
    ty.strip_suffix("Connection")
        .or_else(|| ty.strip_suffix("Edge"))
        .unwrap_or(ty)
}

#[test]
fn every_field_that_can_show_personal_data_has_a_policy() {
    let sdl = haven::graphql::export_sdl();
    let types = object_types(&sdl);
    let personal = |ty: &str| table::of(ty).is_some_and(|p| p.row.rule != Rule::Public);
    let mut failures = Vec::new();

    // Every object type has a policy (a new type needs a decision); connections, edges and
    // page info stand for their nodes.
    for ty in types.keys() {
        let wrapper = ty.ends_with("Connection") || ty.ends_with("Edge") || ty == "PageInfo";
        if !wrapper && !ty.starts_with('_') && table::of(ty).is_none() {
            failures.push(format!("type {ty} has no policy"));
        }
    }
    for (ty, fields) in &types {
        if ty.ends_with("Connection") || ty.ends_with("Edge") {
            continue;
        }
        let policy = table::of(ty);
        for (field, returns) in fields {
            let ruled = policy.is_some_and(|p| p.fields.iter().any(|r| r.field == field));
            let with_parent = policy.is_some_and(|p| p.with_parent.contains(&field.as_str()));
            if ruled && with_parent {
                failures.push(format!("{ty}.{field} has a rule and is also its parent's"));
            }
            // A personal type: every field is decided, with a rule or as its parent's.
            if personal(ty) && !ruled && !with_parent {
                failures.push(format!("{ty}.{field} has no policy"));
            }
            // Every mutation is decided.
            if ty == "Mutation" && !ruled {
                failures.push(format!("mutation {field} has no policy"));
            }
            // A field leading to personal rows has a rule of its own, unless it only shows
            // rows its parent's rule already covers.
            let target = node_type(returns);
            if personal(target) && !ruled {
                let same_rule = table::of(target).map(|p| p.row.rule) == policy.map(|p| p.row.rule);
                if !(with_parent && same_rule) {
                    failures.push(format!(
                        "{ty}.{field} leads to {target} rows without a rule of its own"
                    ));
                }
            }
        }
    }
    // The table names only what the schema has.
    for p in TYPES {
        let Some(fields) = types.get(p.ty) else {
            failures.push(format!("policy for unknown type {}", p.ty));
            continue;
        };
        let names: Vec<&str> = p
            .with_parent
            .iter()
            .copied()
            .chain(p.fields.iter().map(|r| r.field))
            .collect();
        for name in names {
            if !fields.iter().any(|(f, _)| f == name) {
                failures.push(format!("policy for unknown field {}.{name}", p.ty));
            }
        }
        for r in p.fields {
            assert_eq!(r.ty, p.ty, "{} listed under {}", r.field, p.ty);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
