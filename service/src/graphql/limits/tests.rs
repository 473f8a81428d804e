//! Unit tests of the document limits: real documents pass, every attack is refused quickly.

use super::*;
use proptest::prelude::*;

fn check(query: &str) -> Result<(), Refusal> {
    let limits = QueryLimits::default();
    scan(query, &limits)?;
    let doc =
        async_graphql::parser::parse_query(query).map_err(|e| Refusal::Parse(e.to_string()))?;
    check_document(&doc, &limits)
}

fn deep_value(levels: usize) -> String {
    format!(
        "{{ __typename @include(if: {}1{}) }}",
        "{a: ".repeat(levels),
        "}".repeat(levels)
    )
}

#[test]
fn ordinary_queries_pass() {
    let q = r#"
        # a comment with { [ ( that do not nest
        query Q($f: SponsorGroupFilterInput = {nameContains: "{{{[[["}) {
          sponsorGroups(first: 10, filter: $f) @include(if: true) {
            nodes { ...G city { name } }
          }
        }
        fragment G on SponsorGroup { id name a: name status }
        query B { cities(first: 1.5e1) { nodes { name description: name } } }
        mutation M { x(note: """block "string" with \""" and { [""") }
    "#;
    assert_eq!(check(q), Ok(()));
    assert_eq!(check(&deep_value(30)), Ok(()));
}

#[test]
fn deep_values_lists_and_selections_are_refused_before_parsing() {
    let limits = QueryLimits::default();
    let lists = format!("{{ f(a: {}1{}) }}", "[".repeat(5_000), "]".repeat(5_000));
    let selections = format!("{}{}", "{ a ".repeat(5_000), "}".repeat(5_000));
    for q in [deep_value(5_000), lists, selections] {
        let refused = scan(&q, &limits);
        assert!(
            matches!(refused, Err(Refusal::Parse(ref m)) if m.contains("nests")),
            "{refused:?}"
        );
    }
    // Brackets inside strings, block strings and comments do not count.
    let quoted = format!(
        "{{ f(a: \"{}\", b: \"\"\"{}\"\"\") }} # {}",
        "{".repeat(500),
        "[".repeat(500),
        "(".repeat(500)
    );
    assert_eq!(scan(&quoted, &limits), Ok(()));
}

#[test]
fn too_many_tokens_are_refused() {
    let q = format!("{{ {} }}", "a ".repeat(30_000));
    assert!(
        matches!(scan(&q, &QueryLimits::default()), Err(Refusal::Parse(m)) if m.contains("tokens"))
    );
}

/// `F_k` spreads `F_{k-1}` `width` times, `levels` deep.
fn fragment_bomb(width: usize, levels: usize) -> String {
    let mut q = String::from("query { ...F0 }\nfragment Fbase on Query { __typename }\n");
    for k in 0..levels {
        let next = if k + 1 == levels {
            "Fbase".to_owned()
        } else {
            format!("F{}", k + 1)
        };
        q.push_str(&format!(
            "fragment F{k} on Query {{ {} }}\n",
            format!("...{next} ").repeat(width)
        ));
    }
    q
}

#[test]
fn fragment_bombs_are_refused_quickly() {
    for (w, l) in [(3, 15), (10, 20)] {
        let started = std::time::Instant::now();
        let refused = check(&fragment_bomb(w, l));
        assert!(
            matches!(refused, Err(Refusal::Validation(ref m)) if m.contains("fields")),
            "{refused:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }
    // A small chain expands within the limit.
    assert_eq!(check(&fragment_bomb(2, 5)), Ok(()));
}

#[test]
fn cycles_and_counts_are_refused() {
    let cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    assert!(matches!(check(cycle), Err(Refusal::Validation(m)) if m.contains("spreads itself")));
    let aliases = format!(
        "{{ {} }}",
        (0..600)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(matches!(check(&aliases), Err(Refusal::Validation(m)) if m.contains("aliases")));
    let directives = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(250));
    assert!(matches!(check(&directives), Err(Refusal::Validation(m)) if m.contains("directives")));
    let fragments: String = (0..250)
        .map(|i| format!("fragment F{i} on Query {{ __typename }}\n"))
        .collect();
    assert!(
        matches!(check(&format!("{{ __typename }}\n{fragments}")), Err(Refusal::Validation(m)) if m.contains("fragments"))
    );
}

#[test]
fn the_normal_form_drops_only_what_means_nothing() {
    let n = |q: &str| String::from_utf8_lossy(&super::normalise(q)).into_owned();
    let a = n("query Q($id: ID!) { group(id: $id) { name } }");
    let b = n("# a comment\nquery Q($id:ID!){group(id:$id),{\n\tname # why\n}}");
    assert_eq!(a, b);
    assert_eq!(
        a,
        "query Q ( $ id : ID ! ) { group ( id : $ id ) { name } }"
    );
    // Strings keep their spaces, commas and hashes; names stay apart.
    assert_eq!(
        n(r#"{ a(s: "x,  # y") ...F }"#),
        r#"{ a ( s : "x,  # y" ) ... F }"#
    );
    assert_ne!(n("{ ab }"), n("{ a b }"));
    assert_ne!(n(r#"{ a(s: "x y") }"#), n(r#"{ a(s: "x  y") }"#));
}

#[test]
fn fields_are_found_by_name_in_operations_and_fragments() {
    let doc = |q: &str| async_graphql::parser::parse_query(q).map_err(|e| e.to_string());
    let logged = ["partnerStats"];
    let found = |q: &str| doc(q).map(|d| super::selects_any(&d, &logged));
    assert_eq!(
        found("{ s: partnerStats(year: 2025, by: QUARTER) { year } }"),
        Ok(true)
    );
    assert_eq!(
        found(
            "{ ...F } fragment F on Query { ... on Query { partnerStats(year: 2025, by: VARIANT) { year } } }"
        ),
        Ok(true)
    );
    // A mention that is no field (a string, a comment, an alias) is not a selection.
    assert_eq!(
        found(
            "# partnerStats\n{ partnerStats: networks(first: 1) { totalCount } c: city(cbsCode: \"partnerStats\") { id } }"
        ),
        Ok(false)
    );
}

/// The argument values of the first field of a one-field document, as the parser reads them.
fn argument_values(query: &str) -> Vec<String> {
    use async_graphql::parser::types::Selection;
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        panic!("not a valid document: {query}");
    };
    let Some((_, op)) = doc.operations.iter().next() else {
        panic!("no operation: {query}");
    };
    let Selection::Field(field) = &op.node.selection_set.node.items[0].node else {
        panic!("a field");
    };
    field
        .node
        .arguments
        .iter()
        .map(|(_, v)| v.node.to_string())
        .collect()
}

/// One way to write character `c` inside a `"…"` string: as itself where GraphQL allows it,
/// or escaped (`\"`, `\\`, `\n`, `\uXXXX`), by `how`.
fn written(c: char, how: u8) -> String {
    let unicode = format!("\\u{:04X}", u32::from(c));
    match (c, how % 3) {
        ('"', 0) => "\\\"".into(),
        ('\\', 0) => "\\\\".into(),
        ('\n', 0) => "\\n".into(),
        ('"' | '\\' | '\n', _) => unicode,
        (_, 2) => unicode,
        _ => c.to_string(),
    }
}

/// A document with two string arguments, each written as a `"…"` string with escapes chosen by
/// `hows` (or as a block string where `block` and the value allows), apart by `gap`.
fn document(values: &[String; 2], hows: &[u8], block: bool, gap: &str) -> String {
    let literal = |v: &String, salt: usize| {
        if block && !v.contains('\\') && !v.contains('"') && !v.contains('\n') {
            format!("\"\"\"{v}\"\"\"")
        } else {
            let body: String = v
                .chars()
                .enumerate()
                .map(|(i, c)| written(c, hows[(i + salt) % hows.len()]))
                .collect();
            format!("\"{body}\"")
        }
    };
    format!(
        "{{ f(a: {}{gap}b: {}) }}",
        literal(&values[0], 0),
        literal(&values[1], 7)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Two documents share a normal form (and so a cache entry) only when they mean the same:
    /// strings with escaped quotes, backslashes, unicode escapes, commas, hashes and block
    /// strings never let text inside a string pass for text outside it, or the reverse.
    #[test]
    fn documents_that_share_a_normal_form_mean_the_same(
        a in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "\n", "u", "0", "A", "b"]), 0..6),
        b in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "\n", "u", "0", "A", "b"]), 0..6),
        c in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "u", "A"]), 0..6),
        d in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "u", "A"]), 0..6),
        hows1 in proptest::collection::vec(0u8..3, 1..4),
        hows2 in proptest::collection::vec(0u8..3, 1..4),
        block1 in any::<bool>(),
        block2 in any::<bool>(),
        gap in proptest::sample::select(vec![", ", " ", ",", " # c\n ", "\n,\t"]),
    ) {
        let one = [a.concat(), c.concat()];
        let two = [b.concat(), d.concat()];
        let q1 = document(&one, &hows1, block1, gap);
        let q2 = document(&two, &hows2, block2, " ");
        let (v1, v2) = (argument_values(&q1), argument_values(&q2));
        if normalise(&q1) == normalise(&q2) {
            prop_assert_eq!(v1, v2, "{} and {} share a normal form", q1, q2);
        }
    }
}

#[test]
fn escapes_keep_documents_apart() {
    let n = |q: &str| normalise(q);
    // An escaped quote does not end the string: what follows it is string, not whitespace.
    assert_ne!(n(r#"{ f(a: "x\" ,y") }"#), n(r#"{ f(a: "x\"y") }"#));
    // An escaped backslash does: the comma after it is outside, and means nothing.
    assert_eq!(
        n(r#"{ f(a: "x\\", b: "y") }"#),
        n(r#"{ f(a: "x\\" b: "y") }"#)
    );
    assert_ne!(
        n(r#"{ f(a: """x\""" ,y""") }"#),
        n(r#"{ f(a: """x\"""y""") }"#)
    );
    assert_ne!(n(r#"{ f(a: "\u0022 ,") }"#), n(r#"{ f(a: "\u0022,") }"#));
    // The same value written two ways is two entries, never one entry for two values.
    assert_ne!(n(r#"{ f(a: "\u0041") }"#), n(r#"{ f(a: "B") }"#));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A one-character edit (a space or comma put in, a character taken out) that still
    /// parses keeps the normal form only when it changed no value: an edit inside a string
    /// is never mistaken for one outside it.
    #[test]
    fn a_one_character_edit_shares_a_normal_form_only_when_it_means_nothing(
        a in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "u", "A"]), 0..5),
        c in proptest::collection::vec(proptest::sample::select(vec!["\"", "\\", ",", " ", "#", "A"]), 0..5),
        hows in proptest::collection::vec(0u8..3, 1..4),
        block in any::<bool>(),
        at in any::<proptest::sample::Index>(),
        edit in proptest::sample::select(vec![Some(' '), Some(','), None]),
    ) {
        let q1 = document(&[a.concat(), c.concat()], &hows, block, ", ");
        let mut chars: Vec<char> = q1.chars().collect();
        let i = at.index(chars.len());
        match edit {
            Some(ch) => chars.insert(i, ch),
            None => {
                chars.remove(i);
            }
        }
        let q2: String = chars.into_iter().collect();
        let parsed = async_graphql::parser::parse_query(&q2).is_ok_and(|d| {
            d.operations.iter().next().is_some_and(|(_, op)| {
                matches!(
                    op.node.selection_set.node.items.first().map(|s| &s.node),
                    Some(async_graphql::parser::types::Selection::Field(_))
                )
            })
        });
        if parsed && normalise(&q1) == normalise(&q2) {
            prop_assert_eq!(argument_values(&q1), argument_values(&q2), "{} and {}", q1, q2);
        }
    }
}
