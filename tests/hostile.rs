//! Hostile input: every request an attacker can make cheaply is answered with a coded error
//! within a second, and the server is healthy afterwards. Runs on SQLite and PostgreSQL.

use crate::helpers::{DEMO_TOWNS, TestApp, code, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const JSON: (&str, &str) = ("content-type", "application/json");
const GQL_MEDIA: (&str, &str) = ("accept", "application/graphql-response+json");

/// POSTs `query` as JSON and checks that the answer is `status` with the error `code`, quickly.
async fn refused(
    app: &TestApp,
    query: &str,
    headers: &[(&str, &str)],
    status: u16,
    want: &str,
) -> Value {
    let body = serde_json::to_vec(&json!({ "query": query })).unwrap();
    let started = Instant::now();
    let (got, _, resp) = app.post_raw(body, &[&[JSON], headers].concat()).await;
    let elapsed = started.elapsed();
    assert_eq!((got, code(&resp)), (status, want), "{}", truncate(&resp));
    assert!(
        resp["data"].is_null(),
        "nothing executed: {}",
        truncate(&resp)
    );
    assert!(elapsed < Duration::from_secs(1), "answered in {elapsed:?}");
    resp
}

fn truncate(v: &Value) -> String {
    v.to_string().chars().take(400).collect()
}

/// The server still serves: liveness, readiness and a real query.
async fn healthy(app: &TestApp) {
    assert_eq!(app.get_json("/healthz").await.0, 200);
    assert_eq!(app.get_json("/readyz").await.0, 200);
    let d = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["cities"]["totalCount"], DEMO_TOWNS);
}

fn deep(open: &str, close: &str, levels: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

#[tokio::test]
async fn deep_nesting_of_every_kind_is_refused_before_parsing() {
    let app = spawn_app().await;
    let cases = [
        format!(
            "{{ __typename @include(if: {}) }}",
            deep("{a: ", "}", 5_000, "1")
        ),
        format!(
            "{{ cities(first: {}) {{ totalCount }} }}",
            deep("[", "]", 5_000, "1")
        ),
        deep("{ cities { nodes ", "} } ", 3_000, "{ name }"),
        format!(
            "query($v: Int = {}) {{ __typename }}",
            deep("[", "]", 5_000, "1")
        ),
    ];
    for q in &cases {
        let resp = refused(&app, q, &[], 200, "GRAPHQL_PARSE_FAILED").await;
        assert!(
            resp["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("nests deeper than 64")
        );
        refused(&app, q, &[GQL_MEDIA], 400, "GRAPHQL_PARSE_FAILED").await;
    }
    // Within the bound, a nested value is an ordinary (invalid) argument, not a crash.
    let within = format!(
        "{{ __typename @include(if: {}) }}",
        deep("{a: ", "}", 40, "1")
    );
    let resp = app.graphql(&within, json!({})).await;
    assert_ne!(code(&resp), "INTERNAL", "{resp}");
    healthy(&app).await;
}

/// `F_k` spreads `F_{k-1}` `width` times (aliased when asked), `levels` deep.
fn fragment_bomb(width: usize, levels: usize, leaf: &str, aliases: bool) -> String {
    let mut q = String::from("query Bomb { ...F0 }\n");
    for k in 0..levels {
        let body = if k + 1 == levels {
            (0..width)
                .map(|i| {
                    if aliases {
                        format!("a{i}: {leaf} ")
                    } else {
                        format!("{leaf} ")
                    }
                })
                .collect::<String>()
        } else {
            format!("...F{} ", k + 1).repeat(width)
        };
        q.push_str(&format!("fragment F{k} on Query {{ {body} }}\n"));
    }
    q
}

#[tokio::test]
async fn fragment_bombs_are_refused_in_milliseconds() {
    let app = spawn_app().await;
    for q in [
        fragment_bomb(3, 15, "__typename", false),
        fragment_bomb(3, 15, "cities { totalCount }", false),
        fragment_bomb(10, 20, "__typename", true),
    ] {
        assert!(q.len() < 2_000, "a small document: {} bytes", q.len());
        let resp = refused(&app, &q, &[], 200, "GRAPHQL_VALIDATION_FAILED").await;
        assert!(
            resp["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("fields"),
            "{resp}"
        );
    }
    // Wide instead of deep: many aliases, many fragments, many directives, many tokens.
    let aliases = format!(
        "{{ {} }}",
        (0..600)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    refused(&app, &aliases, &[], 200, "GRAPHQL_VALIDATION_FAILED").await;
    let fragments: String = (0..300)
        .map(|i| format!("fragment F{i} on Query {{ __typename }}\n"))
        .collect();
    refused(
        &app,
        &format!("{{ __typename }}\n{fragments}"),
        &[],
        200,
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    let directives = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(300));
    refused(&app, &directives, &[], 200, "GRAPHQL_VALIDATION_FAILED").await;
    let tokens = format!("{{ {} }}", "__typename ".repeat(25_000));
    refused(&app, &tokens, &[], 200, "GRAPHQL_PARSE_FAILED").await;
    healthy(&app).await;
}

#[tokio::test]
async fn limits_follow_the_configuration() {
    let app = spawn_app_with(|c| {
        c.query_limits.max_nesting = 4;
        c.query_limits.max_fields = 3;
    })
    .await;
    refused(
        &app,
        "{ cities { nodes { sponsorGroups { nodes { name } } } } }",
        &[],
        200,
        "GRAPHQL_PARSE_FAILED",
    )
    .await;
    refused(
        &app,
        "{ cities { totalCount nodes { name id } } }",
        &[],
        200,
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    app.data("{ cities { totalCount } }", json!({})).await;
}

#[tokio::test]
async fn bodies_are_bounded_and_must_be_one_json_request() {
    let app = spawn_app().await;
    // 10 MB announced by Content-Length: refused without being read.
    let big = format!(
        r#"{{"query": "{{ __typename }}", "variables": {{"x": "{}"}}}}"#,
        "a".repeat(10 << 20)
    );
    let started = Instant::now();
    let (status, _, resp) = app.post_raw(big, &[JSON]).await;
    assert_eq!(
        (status, code(&resp)),
        (413, "BAD_USER_INPUT"),
        "{}",
        truncate(&resp)
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // The same without a length (chunked): cut off at the limit all the same.
    let (status, body) = chunked_post(&app, 3 << 20).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("BAD_USER_INPUT"), "{body}");

    for (what, body, headers, status) in [
        ("not JSON", "{ __typename }".to_owned(), vec![JSON], 400),
        ("empty", String::new(), vec![JSON], 400),
        (
            "truncated",
            r#"{"query": "{ __typ"#.to_owned(),
            vec![JSON],
            400,
        ),
        (
            "a batch",
            r#"[{"query": "{ __typename }"}, {"query": "{ __typename }"}]"#.to_owned(),
            vec![JSON],
            400,
        ),
        (
            "a form",
            "query=%7B__typename%7D".to_owned(),
            vec![("content-type", "application/x-www-form-urlencoded")],
            415,
        ),
        (
            "multipart",
            "--x\r\n".to_owned(),
            vec![("content-type", "multipart/form-data; boundary=x")],
            415,
        ),
        (
            "wrong variables",
            r#"{"query": "{ __typename }", "variables": [1, 2]}"#.to_owned(),
            vec![JSON],
            400,
        ),
        (
            "deep variables",
            format!(
                r#"{{"query": "{{ __typename }}", "variables": {{"v": {}}}}}"#,
                deep("[", "]", 1_000, "1")
            ),
            vec![JSON],
            400,
        ),
    ] {
        let (got, _, resp) = app.post_raw(body, &headers).await;
        assert_eq!(
            (got, code(&resp)),
            (status, "BAD_USER_INPUT"),
            "{what}: {}",
            truncate(&resp)
        );
    }
    // Large but within the limit: an unused 900 KB variable is fine.
    let fine = json!({ "query": "{ cities(first: 1) { totalCount } }", "variables": { "x": "é".repeat(400_000) } });
    let (status, _, resp) = app
        .post_raw(serde_json::to_vec(&fine).unwrap(), &[JSON])
        .await;
    assert_eq!((status, code(&resp)), (200, "ok"), "{}", truncate(&resp));
    healthy(&app).await;
}

/// Sends a body of `size` bytes in chunks without a length; the status line and body back.
async fn chunked_post(app: &TestApp, size: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        app.addr
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        // The server may answer and close before everything is sent.
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if s.write_all(&framed).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test]
async fn odd_strings_in_ids_and_filters_are_input_errors() {
    let app = spawn_app().await;
    for id in [
        "'; DROP TABLE city; --",
        "\u{0}",
        "🏠",
        "../../etc/passwd",
        &"9".repeat(10_000),
    ] {
        let resp = app
            .graphql(
                "query($id: ID!) { sponsorGroup(id: $id) { name } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{}", truncate(&resp));
        let resp = app
            .graphql(
                "query($c: String!) { city(cbsCode: $c) { name } }",
                json!({ "c": id }),
            )
            .await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{}", truncate(&resp));
    }
    // Wildcards are searched for literally, however many.
    let q = "query($n: String!) { sponsorGroups(filter: { nameContains: $n }) { totalCount } }";
    for needle in ["%", "_", "%_".repeat(50).as_str(), "\\", "'", "🏠"] {
        let resp = app.graphql(q, json!({ "n": needle })).await;
        assert_eq!(code(&resp), "ok", "{needle:?}: {}", truncate(&resp));
        assert_eq!(resp["data"]["sponsorGroups"]["totalCount"], 0, "{needle:?}");
    }
    // Past 100 characters a search text is refused, naming the field.
    for needle in ["%_".repeat(5_000), "a".repeat(101), "\u{0}".into()] {
        let resp = app.graphql(q, json!({ "n": needle })).await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{}", truncate(&resp));
        assert_eq!(
            resp["errors"][0]["extensions"]["field"],
            "filter.nameContains"
        );
    }
    for root in ["cities", "corporateSponsors"] {
        let resp = app
            .graphql(
                &format!(
                    "{{ {root}(filter: {{ nameContains: \"{}\" }}) {{ totalCount }} }}",
                    "x".repeat(101)
                ),
                json!({}),
            )
            .await;
        assert_eq!(
            resp["errors"][0]["extensions"]["field"], "filter.nameContains",
            "{root}"
        );
    }
    healthy(&app).await;
}

#[tokio::test]
async fn entities_with_keys_that_cannot_match_resolve_to_null() {
    let app = spawn_app().await;
    let d = app
        .data("{ cities(first: 1) { nodes { id cbsCode } } }", json!({}))
        .await;
    let (id, cbs) = (
        d["cities"]["nodes"][0]["id"].clone(),
        d["cities"]["nodes"][0]["cbsCode"].clone(),
    );
    let q = "query($r: [_Any!]!) { _entities(representations: $r) { ... on City { id } ... on CorporateSponsor { id } ... on SponsorGroup { id } } }";
    let reps = json!([
        { "__typename": "City", "id": id },
        { "__typename": "City", "id": "not-a-uuid" },
        { "__typename": "City", "cbsCode": "GM12" },
        { "__typename": "City", "cbsCode": cbs },
        { "__typename": "CorporateSponsor", "kvkNumber": "12-34" },
        { "__typename": "SponsorGroup", "id": "'; DROP TABLE city; --" },
    ]);
    let resp = app.graphql(q, json!({ "r": reps })).await;
    assert!(resp.get("errors").is_none(), "{resp}");
    let got = &resp["data"]["_entities"];
    assert_eq!(got[0]["id"], id);
    assert!(
        got[1].is_null() && got[2].is_null() && got[4].is_null() && got[5].is_null(),
        "{got}"
    );
    assert_eq!(got[3]["id"], id);
}
