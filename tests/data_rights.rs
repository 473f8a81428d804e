//! The rights around the data: partner organisations' API keys (stored as hashes, no rows
//! about people) and a volunteer's right of access (`exportMyData`).

use crate::helpers::{DEMO_TOWNS, spawn_signing_app, token};
use crate::permissions::{id_of, outcome, world};
use haven::auth::Role;
use serde_json::json;

#[tokio::test]
async fn partner_api_keys_are_stored_as_hashes_and_see_no_personal_data() {
    let app = spawn_signing_app().await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    let partners = app
        .graphql_as(
            Some(&admin),
            "{ partnerOrganisations { id name } }",
            json!({}),
        )
        .await;
    let partner = partners["data"]["partnerOrganisations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // `haven apikey create` against this test's own database prints the key once.
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args(["apikey", "create", "--partner", &partner])
        .env("DATABASE_URL", &app.config.database_url)
        .env("HAVEN_LOG", "off");
    if let Some(schema) = &app.config.database_schema {
        cmd.env("HAVEN_DATABASE_SCHEMA", schema);
    }
    let out = cmd.output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(key.starts_with("hvn_") && key.len() > 60, "{key}");

    use haven_entities::partner_api_key;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let rows = partner_api_key::Entity::find()
        .all(app.state.db())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].key_hash, key);
    assert!(
        !rows[0].key_hash.contains(&key[4..]),
        "the key itself is not stored"
    );

    let personal = "{ sponsorGroups(first: 1) { nodes { memberships { totalCount } } } }";
    let public = "{ cities(first: 1) { totalCount } }";
    let app = &app;
    let with_key = |k: String, q: &'static str| async move {
        app.graphql_with(&[("x-api-key", &k)], q, json!({})).await
    };
    let resp = with_key(key.clone(), personal).await;
    assert_eq!(
        outcome(&resp),
        "FORBIDDEN",
        "a partner sees no rows about people: {resp}"
    );
    let resp = with_key(key.clone(), public).await;
    assert_eq!(
        resp["data"]["cities"]["totalCount"], DEMO_TOWNS,
        "public figures are there: {resp}"
    );
    assert_eq!(
        outcome(&with_key("hvn_unknown".into(), public).await),
        "UNAUTHENTICATED"
    );

    let mut revoked = rows[0].clone().into_active_model();
    revoked.revoked_at = Set(Some(chrono::Utc::now()));
    revoked.update(app.state.db()).await.unwrap();
    assert_eq!(
        outcome(&with_key(key, public).await),
        "UNAUTHENTICATED",
        "revoked keys stop working"
    );
}

#[tokio::test]
async fn a_volunteer_exports_everything_stored_about_them() {
    let app = spawn_signing_app().await;
    let w = world(&app).await;
    use haven_entities::{contribution, membership};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let db = app.state.db();
    let memberships = membership::Entity::find()
        .filter(membership::Column::VolunteerId.eq(w.member))
        .count(db)
        .await
        .unwrap();
    let contributions = contribution::Entity::find()
        .filter(contribution::Column::VolunteerId.eq(w.member))
        .count(db)
        .await
        .unwrap();

    let me = token(
        Role::Member,
        Some(w.member),
        None,
        None,
        vec![id_of(&w.group)],
    );
    let resp = app
        .graphql_as(Some(&me), "{ exportMyData }", json!({}))
        .await;
    assert_eq!(outcome(&resp), "ok", "{resp}");
    let data = &resp["data"]["exportMyData"];
    assert_eq!(data["volunteer"]["id"], w.member.to_string());
    assert!(
        data["volunteer"]["email"].as_str().unwrap().contains('@'),
        "contact details are the volunteer's own"
    );
    assert_eq!(
        data["memberships"].as_array().unwrap().len() as u64,
        memberships
    );
    assert_eq!(
        data["contributions"].as_array().unwrap().len() as u64,
        contributions
    );
    assert!(data["memberships"][0]["group"]["name"].is_string());
    assert_eq!(data["actions"], json!([]), "they changed nothing yet");

    // What they change shows up among their actions.
    let profile = "mutation { updateMyProfile(expectedVersion: 1, input: { skills: [\"baking\"] }) { skills } }";
    let changed = app.graphql_as(Some(&me), profile, json!({})).await;
    assert_eq!(outcome(&changed), "ok", "{changed}");
    let resp = app
        .graphql_as(Some(&me), "{ exportMyData }", json!({}))
        .await;
    let actions = &resp["data"]["exportMyData"]["actions"];
    assert_eq!(actions[0]["operation"], "updateMyProfile", "{resp}");
    assert_eq!(
        resp["data"]["exportMyData"]["volunteer"]["skills"],
        json!(["baking"])
    );

    assert_eq!(
        outcome(&app.graphql_as(None, "{ exportMyData }", json!({})).await),
        "UNAUTHENTICATED"
    );
    let no_subject = token(Role::Admin, None, None, None, vec![]);
    assert_eq!(
        outcome(
            &app.graphql_as(Some(&no_subject), "{ exportMyData }", json!({}))
                .await
        ),
        "UNAUTHENTICATED"
    );
}
