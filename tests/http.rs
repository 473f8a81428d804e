//! GraphQL over HTTP: status codes by media type, Apollo's codes, request ids.

use crate::helpers::code;
use serde_json::json;

const JSON: (&str, &str) = ("content-type", "application/json");
const GQL_MEDIA: (&str, &str) = ("accept", "application/graphql-response+json");

#[tokio::test]
async fn request_errors_answer_4xx_to_clients_of_the_graphql_media_type() {
    let app = crate::helpers::spawn_signing_app().await;
    let post = |q: &str, h: Vec<(&'static str, &'static str)>| {
        let body = serde_json::to_vec(&json!({ "query": q })).unwrap();
        let app = &app;
        async move { app.post_raw(body, &[&[JSON], h.as_slice()].concat()).await }
    };
    // Parse and validation errors: 400 and Apollo's codes; application/json keeps 200.
    for (q, want) in [
        ("{ cities {", "GRAPHQL_PARSE_FAILED"),
        ("{ nosuchfield }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let (status, headers, resp) = post(q, vec![GQL_MEDIA]).await;
        assert_eq!((status, code(&resp)), (400, want), "{resp}");
        assert_eq!(headers["content-type"], "application/graphql-response+json");
        let (status, headers, resp) = post(q, vec![]).await;
        assert_eq!((status, code(&resp)), (200, want), "{resp}");
        assert_eq!(headers["content-type"], "application/json");
    }
    // A bad token: 401 for the GraphQL media type.
    let (status, _, resp) = post(
        "{ __typename }",
        vec![GQL_MEDIA, ("authorization", "Bearer nonsense")],
    )
    .await;
    assert_eq!((status, code(&resp)), (401, "UNAUTHENTICATED"));
    let (status, _, resp) =
        post("{ __typename }", vec![("authorization", "Bearer nonsense")]).await;
    assert_eq!((status, code(&resp)), (200, "UNAUTHENTICATED"));
    // An error during execution is not a request error: 200 with the data that could be had.
    let (status, _, resp) = post("{ me { displayName } }", vec![GQL_MEDIA]).await;
    assert_eq!((status, code(&resp)), (200, "UNAUTHENTICATED"), "{resp}");
    // Every response carries a request id: the client's, or a new one.
    let (_, headers, _) = post("{ __typename }", vec![("x-request-id", "trace-me-42")]).await;
    assert_eq!(headers["x-request-id"], "trace-me-42");
    let (_, headers, _) = post("{ __typename }", vec![]).await;
    assert!(headers["x-request-id"].len() >= 32, "{headers:?}");
}
