//! Who may ask for `analytics` (coordinators of their area and administrators; members, leads
//! and partners `FORBIDDEN`; anonymous viewers `UNAUTHENTICATED`), and the bounds of its filter.

use crate::analytics::{admin, world_app};
use crate::fixture::{put, serial};
use crate::helpers::{code, token};
use haven::auth::Role;
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn only_coordinators_and_administrators_see_figures_of_their_area() {
    let (app, w) = world_app().await;
    let now = chrono::Utc::now();
    let partner = haven_entities::partner_organisation::Model {
        id: Uuid::new_v4(),
        name: format!("World partner {}", serial()),
        kind: haven_entities::enums::PartnerKind::Funder,
        website: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let partner_id = partner.id;
    put(&app, partner).await;
    let key = haven::db::partners::create_key(app.state.db(), partner_id, vec![], &[])
        .await
        .unwrap();
    const Q: &str =
        "query($f: AnalyticsFilterInput) { analytics(filter: $f) { corporate { sponsors } } }";
    let ask = |who: Option<String>, filter: Value| {
        let app = &app;
        async move {
            let resp = app
                .graphql_as(who.as_deref(), Q, json!({ "f": filter }))
                .await;
            code(&resp).to_owned()
        }
    };
    assert_eq!(ask(None, json!({})).await, "UNAUTHENTICATED");
    let resp = app
        .graphql_with(&[("x-api-key", &key)], Q, json!({ "f": {} }))
        .await;
    assert_eq!(
        code(&resp),
        "FORBIDDEN",
        "partners read partnerStats, not analytics"
    );
    assert!(resp["data"].is_null(), "{resp:#}");
    for role in [Role::Member, Role::GroupLead] {
        let t = token(role, Some(Uuid::new_v4()), None, None, vec![w.g1]);
        assert_eq!(ask(Some(t), json!({})).await, "FORBIDDEN", "{role:?}");
    }
    let city_a = token(Role::CityCoordinator, None, None, Some(w.a), vec![]);
    assert_eq!(
        ask(Some(city_a.clone()), json!({ "cityId": w.b })).await,
        "FORBIDDEN"
    );
    assert_eq!(ask(Some(city_a), json!({})).await, "ok");
    let elsewhere = token(
        Role::NetworkCoordinator,
        None,
        Some(Uuid::new_v4()),
        None,
        vec![],
    );
    assert_eq!(
        ask(Some(elsewhere.clone()), json!({ "networkId": w.network })).await,
        "FORBIDDEN"
    );
    assert_eq!(
        ask(Some(elsewhere), json!({ "cityId": w.a })).await,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn the_filter_is_bounded() {
    let (app, _) = world_app().await;
    let admin = admin();
    let ask = |filter: Value| {
        let (app, admin) = (&app, &admin);
        async move {
            let q = "query($f: AnalyticsFilterInput) { analytics(filter: $f) { from to } }";
            app.graphql_as(Some(admin), q, json!({ "f": filter })).await
        }
    };
    let bad = [
        json!({ "from": "2024-02-01", "to": "2024-01-31" }),
        json!({ "from": "2014-01-01", "to": "2024-01-02" }),
        json!({ "cityId": "not-an-id" }),
        json!({ "from": "2024-13-01" }),
    ];
    for filter in bad {
        let resp = ask(filter.clone()).await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{filter}: {resp:#}");
    }
    let ten_years = ask(json!({ "from": "2014-01-02", "to": "2024-01-02" })).await;
    assert_eq!(
        code(&ten_years),
        "ok",
        "exactly ten years is allowed: {ten_years:#}"
    );
    let unknown = ask(json!({ "networkId": Uuid::new_v4() })).await;
    assert_eq!(code(&unknown), "NOT_FOUND");
    // Each figure is a statement over many rows: a query may ask for about twenty.
    let many: String = (0..25)
        .map(|i| format!("c{i}: corporate {{ sponsors }} "))
        .collect();
    let resp = app
        .graphql_as(
            Some(&admin),
            &format!("{{ analytics {{ {many} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(code(&resp), "GRAPHQL_VALIDATION_FAILED", "{resp:#}");
    let default = ask(json!({ "to": "2024-06-30" })).await;
    assert_eq!(
        default["data"]["analytics"]["from"], "2023-06-30",
        "a year by default"
    );
}
