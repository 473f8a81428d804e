//! Unit tests of the document limits: real documents pass, every attack is refused quickly.

use super::*;

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
