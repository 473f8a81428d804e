//! `schema.graphql` is what the code exports: a test fails on drift.

#[test]
fn schema_graphql_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == haven::graphql::export_sdl(),
        "schema.graphql differs from the code; run `cargo run -- export-schema -o schema.graphql`"
    );
}

#[test]
fn schema_is_a_federation_v2_subgraph() {
    let sdl = haven::graphql::export_sdl();
    assert!(
        sdl.contains("extend schema @link(")
            && sdl.contains("url: \"https://specs.apollo.dev/federation/v2"),
        "links federation v2"
    );
    assert!(
        sdl.contains("type City @key(fields: \"id\") @key(fields: \"cbsCode\")"),
        "City keys:\n{sdl}"
    );
}
