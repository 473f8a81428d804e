//! A partner key walks the whole schema, field by field, and finds no personal value: every
//! path from the root down to an object (three levels, no type twice on a path) is asked on
//! its own, so that a refused field hides nothing else, and every value that comes back is
//! checked against the personal values stored.

use crate::fixture::{Fixture, fixture_app, partner_key};
use crate::helpers::TestApp;
use haven_entities::{contribution, newcomer_household, volunteer};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

const INTROSPECT: &str = "{ __schema { queryType { name } types { name kind fields { name
  args { name type { ...T } } type { ...T } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// One step of a path: a field and the literals of its required arguments.
type Step = (String, Vec<(String, String)>);
/// Fields from the root down to an object.
type Path = Vec<Step>;

/// A field of an object type: its name, the arguments it needs, and the named type it leads to.
struct Field {
    name: String,
    required: Vec<(String, String)>,
    target: String,
}

/// The named type under lists and non-nulls, and whether the outer type is non-null.
fn named(t: &Value) -> (&str, &str) {
    let mut t = t;
    while t["name"].is_null() {
        t = &t["ofType"];
    }
    (
        t["kind"].as_str().unwrap_or(""),
        t["name"].as_str().unwrap_or(""),
    )
}

/// Every object type's fields, and which types are leaves (scalars and enums).
fn schema(resp: &Value) -> (HashMap<String, Vec<Field>>, BTreeSet<String>) {
    let mut objects = HashMap::new();
    let mut leaves = BTreeSet::new();
    for t in resp["data"]["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap().to_owned();
        match t["kind"].as_str().unwrap() {
            "SCALAR" | "ENUM" => {
                leaves.insert(name);
            }
            "OBJECT" if !name.starts_with("__") => {
                let fields = t["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| !f["name"].as_str().unwrap().starts_with('_'))
                    .filter_map(|f| {
                        let required = f["args"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|a| a["type"]["kind"] == "NON_NULL")
                            .map(|a| {
                                let value = sample(named(&a["type"]));
                                value.map(|v| (a["name"].as_str().unwrap().to_owned(), v))
                            })
                            .collect::<Option<Vec<_>>>()?;
                        Some(Field {
                            name: f["name"].as_str().unwrap().to_owned(),
                            required,
                            target: named(&f["type"]).1.to_owned(),
                        })
                    })
                    .collect();
                objects.insert(name, fields);
            }
            _ => {}
        }
    }
    (objects, leaves)
}

/// A literal for a required argument of this type (`$id` where ids are tried one by one, see
/// [`ids`]); `None` when there is none to give (an input object).
fn sample((kind, name): (&str, &str)) -> Option<String> {
    let literal = match (kind, name) {
        (_, "Int") => "2025",
        (_, "ID") => "$id",
        (_, "String") => "\"x\"",
        (_, "Boolean") => "true",
        ("ENUM", "PartnerStatsBy" | "BreakdownBy") => "PROVINCE",
        _ => return None,
    };
    Some(literal.to_owned())
}

/// The paths from the root down to an object: field after field, no type twice.
fn paths(
    objects: &HashMap<String, Vec<Field>>,
    leaves: &BTreeSet<String>,
    from: &str,
    depth: usize,
    seen: &mut Vec<String>,
) -> Vec<Path> {
    let mut out = Vec::new();
    let Some(fields) = objects.get(from) else {
        return out;
    };
    for f in fields {
        if leaves.contains(&f.target) || seen.contains(&f.target) {
            continue;
        }
        let step = (f.name.clone(), f.required.clone());
        out.push(vec![step.clone()]);
        if depth > 1 {
            seen.push(f.target.clone());
            for mut rest in paths(objects, leaves, &f.target, depth - 1, seen) {
                rest.insert(0, step.clone());
                out.push(rest);
            }
            seen.pop();
        }
    }
    out
}

/// The type a path ends at.
fn end_type<'a>(objects: &'a HashMap<String, Vec<Field>>, root: &'a str, path: &[Step]) -> &'a str {
    let mut ty = root;
    for (name, _) in path {
        let f = objects[ty].iter().find(|f| &f.name == name).unwrap();
        ty = &f.target;
    }
    ty
}

/// The query that asks for the scalars at the end of `path`, with `id` for every id argument.
fn query(path: &[Step], scalars: &[&str], id: &str) -> String {
    let mut q = scalars.join(" ");
    for (name, args) in path.iter().rev() {
        let args: Vec<String> = args
            .iter()
            .map(|(a, v)| match v.as_str() {
                "$id" => format!("{a}: \"{id}\""),
                v => format!("{a}: {v}"),
            })
            .collect();
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        q = format!("{name}{args} {{ {q} }}");
    }
    format!("{{ {q} }}")
}

/// Every string value in `v`.
fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Every personal value stored: names, e-mail addresses and phone numbers of volunteers,
/// their ids, households' pseudonyms and ids, and contributions' notes.
async fn personal_values(app: &TestApp) -> BTreeSet<String> {
    let db = app.state.db();
    let mut out = BTreeSet::new();
    for v in volunteer::Entity::find().all(db).await.unwrap() {
        out.extend([v.id.to_string(), v.display_name, v.email]);
        out.extend(v.phone);
    }
    for h in newcomer_household::Entity::find().all(db).await.unwrap() {
        out.extend([h.id.to_string(), h.pseudonym]);
    }
    for c in contribution::Entity::find().all(db).await.unwrap() {
        out.extend(c.note.filter(|n| n.len() > 3));
    }
    out.retain(|v| !v.is_empty());
    out
}

/// The ids a path's id arguments are tried with: one of every kind of row in the fixture.
fn ids(f: &Fixture) -> Vec<String> {
    [
        f.network.id,
        f.city.id,
        f.g,
        f.m,
        f.household,
        f.active,
        f.milestone,
        f.m_contribution,
        f.sponsor,
        f.commitment,
        f.m_membership,
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[tokio::test]
async fn a_partner_walking_the_whole_schema_finds_no_personal_value() {
    let (app, f) = fixture_app().await;
    let key = partner_key(&app).await;
    let personal = personal_values(&app).await;
    assert!(personal.len() > 400, "the demo set's people are there");
    let ask = |q: String| {
        let (app, key) = (&app, key.clone());
        async move {
            app.graphql_with(&[("x-api-key", &key)], &q, json!({}))
                .await
        }
    };
    let (objects, leaves) = schema(&ask(INTROSPECT.into()).await);
    let root = "Query";
    let all = paths(&objects, &leaves, root, 3, &mut vec![root.to_owned()]);
    let (mut asked, mut values) = (0, 0);
    for path in &all {
        let ty = end_type(&objects, root, path);
        let scalars: Vec<&str> = objects[ty]
            .iter()
            .filter(|f| leaves.contains(&f.target) && f.required.is_empty())
            .map(|f| f.name.as_str())
            .collect();
        if scalars.is_empty() {
            continue;
        }
        let with_id = path
            .iter()
            .any(|(_, args)| args.iter().any(|(_, v)| v == "$id"));
        let tries = if with_id {
            ids(&f)
        } else {
            vec![String::new()]
        };
        for id in tries {
            let resp = ask(query(path, &scalars, &id)).await;
            asked += 1;
            let mut found = Vec::new();
            strings(&resp["data"], &mut found);
            values += found.len();
            for s in found {
                assert!(
                    !personal.contains(s),
                    "{s:?} reached a partner through {path:?}"
                );
            }
        }
    }
    // The walk went everywhere a partner may go: many paths, many values.
    assert!(
        asked > 300 && values > 1_000,
        "{asked} queries, {values} values"
    );
}
