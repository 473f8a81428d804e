//! `analytics`: every figure over the small world of `figures_world.rs`, worked out by hand;
//! what filters and coordinators' areas narrow; the statements a request costs; and the same
//! figures from SQLite and PostgreSQL on one data set. Who may ask and the filter's bounds are
//! in `analytics_access.rs`.

use crate::figures_world::{self, World};
use crate::helpers::{SECRET, TestApp, spawn_app_with, token};
use haven::auth::Role;
use serde_json::{Value, json};

const ALL: &str = "query($f: AnalyticsFilterInput) { analytics(filter: $f) { from to
  groupFunnel { stage reached conversion } sponsorshipFunnel { stage reached conversion }
  stageDurations { subject from to n medianDays p75Days }
  milestones { kind reached share medianDaysFromStart }
  hoursByMonth { month hours contributions volunteers }
  byProvince: breakdown(by: PROVINCE) { key label groups activeGroups sponsorships
    activeSponsorships householdsWelcomed volunteers hours }
  byVariant: breakdown(by: VARIANT) { key label groups activeGroups sponsorships
    activeSponsorships householdsWelcomed volunteers hours }
  retention { cohort months volunteers stillActive }
  earlyEnds { reason count } corporate { sponsors pledgedHours deliveredHours inKindCents } } }";

/// An app on an empty database with the world of `figures_world.rs`, accepting test tokens.
pub async fn world_app() -> (TestApp, World) {
    let app = spawn_app_with(|c| {
        c.seed_demo = false;
        c.debug_stats = true;
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
    })
    .await;
    let world = figures_world::build(&app).await;
    (app, world)
}

/// An administrator's token.
pub fn admin() -> String {
    token(Role::Admin, None, None, None, vec![])
}

/// The figures of 2024 as `who` sees them, with `filter` added; panics on errors.
async fn figures(app: &TestApp, who: &str, filter: Value) -> Value {
    let mut f = json!({ "from": "2024-01-01", "to": "2024-12-31" });
    f.as_object_mut()
        .unwrap()
        .extend(filter.as_object().unwrap().clone());
    let resp = app.graphql_as(Some(who), ALL, json!({ "f": f })).await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    resp["data"]["analytics"].clone()
}

/// (stage, reached, conversion) of a funnel.
fn funnel(a: &Value) -> Vec<(String, i64, Option<f64>)> {
    a.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().to_owned(),
                s["reached"].as_i64().unwrap(),
                s["conversion"].as_f64(),
            )
        })
        .collect()
}

fn stages(expected: &[(&str, i64, Option<f64>)]) -> Vec<(String, i64, Option<f64>)> {
    expected
        .iter()
        .map(|(s, n, c)| ((*s).to_owned(), *n, *c))
        .collect()
}

#[tokio::test]
async fn every_figure_matches_the_hand_computed_value() {
    let (app, _) = world_app().await;
    let a = figures(&app, &admin(), json!({})).await;
    assert_eq!(
        (a["from"].as_str(), a["to"].as_str()),
        (Some("2024-01-01"), Some("2024-12-31"))
    );
    #[rustfmt::skip]
    assert_eq!(funnel(&a["groupFunnel"]), stages(&[
        // G5 formed on the day it showed interest: it converted.
        ("INTERESTED", 3, None), ("FORMING", 3, Some(1.0)), ("APPLIED", 2, Some(2.0 / 3.0)),
        ("SCREENING", 2, Some(1.0)), ("IN_TRAINING", 1, Some(0.5)),
        ("READY_TO_MATCH", 1, Some(1.0)), ("MATCHED", 2, Some(1.0)), ("ACTIVE", 2, Some(1.0)),
        ("COMPLETED", 0, Some(0.0)), ("ALUMNI", 0, None),
    ]));
    #[rustfmt::skip]
    assert_eq!(funnel(&a["sponsorshipFunnel"]), stages(&[
        ("PROPOSED", 4, None), ("CONFIRMED", 3, Some(0.75)), ("PRE_ARRIVAL", 0, Some(0.0)),
        ("ACTIVE", 2, Some(2.0 / 3.0)), ("CLOSING", 1, Some(0.0)), ("COMPLETED", 1, Some(0.0)),
    ]));
    #[rustfmt::skip]
    assert_eq!(a["stageDurations"], json!([
        { "subject": "GROUP", "from": "FORMING", "to": "APPLIED", "n": 2, "medianDays": 18.5, "p75Days": 19.25 },
        { "subject": "GROUP", "from": "APPLIED", "to": "READY_TO_MATCH", "n": 1, "medianDays": 90.0, "p75Days": 90.0 },
        { "subject": "GROUP", "from": "READY_TO_MATCH", "to": "MATCHED", "n": 2, "medianDays": 51.0, "p75Days": 61.0 },
        { "subject": "GROUP", "from": "APPLIED", "to": "MATCHED", "n": 2, "medianDays": 142.0, "p75Days": 152.5 },
        { "subject": "GROUP", "from": "MATCHED", "to": "ACTIVE", "n": 2, "medianDays": 40.0, "p75Days": 45.0 },
        { "subject": "SPONSORSHIP", "from": "PROPOSED", "to": "CONFIRMED", "n": 3, "medianDays": 12.0, "p75Days": 16.0 },
        { "subject": "SPONSORSHIP", "from": "PROPOSED", "to": "ACTIVE", "n": 2, "medianDays": 31.0, "p75Days": 36.0 },
        { "subject": "SPONSORSHIP", "from": "ACTIVE", "to": "COMPLETED", "n": 1, "medianDays": 366.0, "p75Days": 366.0 },
    ]));
    let milestones = a["milestones"].as_array().unwrap();
    assert_eq!(milestones.len(), 14, "every kind is listed");
    let kind = |k: &str| milestones.iter().find(|m| m["kind"] == k).unwrap().clone();
    #[rustfmt::skip]
    let expected = [
        json!({ "kind": "ARRIVED", "reached": 2, "share": 1.0, "medianDaysFromStart": 1.5 }),
        json!({ "kind": "HOUSING_KEYS", "reached": 2, "share": 1.0, "medianDaysFromStart": 15.0 }),
        json!({ "kind": "BRP_REGISTERED", "reached": 1, "share": 0.5, "medianDaysFromStart": 31.0 }),
        // Reached after the period.
        json!({ "kind": "PAID_WORK", "reached": 0, "share": 0.0, "medianDaysFromStart": null }),
    ];
    for m in expected {
        assert_eq!(kind(m["kind"].as_str().unwrap()), m);
    }
    let months = a["hoursByMonth"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(
        months[0],
        json!({ "month": "2024-01", "hours": 0.0, "contributions": 0, "volunteers": 0 })
    );
    assert_eq!(
        months[2],
        json!({ "month": "2024-03", "hours": 3.0, "contributions": 3, "volunteers": 2 })
    );
    assert_eq!(
        months[4],
        json!({ "month": "2024-05", "hours": 2.0, "contributions": 1, "volunteers": 1 })
    );
    let busy: Vec<&str> = months
        .iter()
        .filter(|m| m["contributions"] != 0)
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(
        busy,
        ["2024-03", "2024-05"],
        "companies' hours are not volunteers'"
    );
    // G6 withdrew and S6 completed before 2024: neither counts in Zuid-Holland.
    #[rustfmt::skip]
    assert_eq!(a["byProvince"], json!([
        { "key": "PV27", "label": "Noord-Holland", "groups": 3, "activeGroups": 1, "sponsorships": 2,
          "activeSponsorships": 1, "householdsWelcomed": 1, "volunteers": 3, "hours": 3.0 },
        { "key": "PV28", "label": "Zuid-Holland", "groups": 2, "activeGroups": 2, "sponsorships": 3,
          "activeSponsorships": 0, "householdsWelcomed": 1, "volunteers": 2, "hours": 2.0 },
    ]));
    #[rustfmt::skip]
    assert_eq!(a["byVariant"], json!([
        { "key": "RESETTLEMENT", "label": "Resettlement", "groups": 1, "activeGroups": 0, "sponsorships": 0,
          "activeSponsorships": 0, "householdsWelcomed": 0, "volunteers": 1, "hours": 0.0 },
        { "key": "STATUS_HOLDER", "label": "Status holder", "groups": 4, "activeGroups": 3, "sponsorships": 5,
          "activeSponsorships": 1, "householdsWelcomed": 2, "volunteers": 4, "hours": 5.0 },
    ]));
    #[rustfmt::skip]
    assert_eq!(a["retention"], json!([
        { "cohort": "2024-Q1", "months": 3, "volunteers": 3, "stillActive": 2.0 / 3.0 },
        { "cohort": "2024-Q1", "months": 6, "volunteers": 3, "stillActive": 1.0 / 3.0 },
        { "cohort": "2024-Q1", "months": 12, "volunteers": 1, "stillActive": 1.0 },
        { "cohort": "2024-Q3", "months": 3, "volunteers": 1, "stillActive": 1.0 },
    ]));
    assert_eq!(
        a["earlyEnds"],
        json!([
            { "reason": "MOVED", "count": 1 },
            { "reason": "RELATIONSHIP_BREAKDOWN", "count": 0 },
            { "reason": "GROUP_DISSOLVED", "count": 0 },
            { "reason": "NEWCOMER_CHOICE", "count": 0 },
            { "reason": "OTHER", "count": 0 },
        ])
    );
    assert_eq!(
        a["corporate"],
        json!({ "sponsors": 2, "pledgedHours": 100, "deliveredHours": 5.5, "inKindCents": 50000 })
    );
}

#[tokio::test]
async fn filters_and_coordinators_narrow_the_figures() {
    let (app, w) = world_app().await;
    let reached = |a: &Value, stage: &str| {
        a["groupFunnel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == stage)
            .unwrap()["reached"]
            .clone()
    };
    let b = figures(&app, &admin(), json!({ "cityId": w.b })).await;
    assert_eq!(
        (reached(&b, "INTERESTED"), reached(&b, "MATCHED")),
        (json!(0), json!(1))
    );
    // Town B's pledges ran in 2023; one company gave an hour there.
    assert_eq!(
        b["corporate"],
        json!({ "sponsors": 1, "pledgedHours": 0, "deliveredHours": 1.0, "inKindCents": 0 })
    );
    let resettlement = figures(&app, &admin(), json!({ "variant": "RESETTLEMENT" })).await;
    assert_eq!(reached(&resettlement, "SCREENING"), json!(1));
    assert_eq!(reached(&resettlement, "MATCHED"), json!(0));
    // A coordinator of town A sees A's figures without asking, and the same when naming A or
    // A's network.
    let coordinator = token(Role::CityCoordinator, None, None, Some(w.a), vec![]);
    for filter in [
        json!({}),
        json!({ "cityId": w.a }),
        json!({ "networkId": w.network }),
    ] {
        let a = figures(&app, &coordinator, filter).await;
        assert_eq!(
            (reached(&a, "INTERESTED"), reached(&a, "MATCHED")),
            (json!(3), json!(1))
        );
        assert_eq!(a["byProvince"].as_array().unwrap().len(), 1);
    }
    // A period that ends mid-March 2024: S4 is CLOSING then, which still counts as active, and
    // March has only the contribution of the 5th.
    let march = figures(&app, &admin(), json!({ "to": "2024-03-15" })).await;
    let south = &march["byProvince"][1];
    assert_eq!(
        (
            &south["key"],
            &south["sponsorships"],
            &south["activeSponsorships"]
        ),
        (&json!("PV28"), &json!(2), &json!(2)),
        "{south:#}"
    );
    assert_eq!(
        march["hoursByMonth"][2],
        json!({ "month": "2024-03", "hours": 1.5, "contributions": 1, "volunteers": 1 })
    );
    let network = token(
        Role::NetworkCoordinator,
        None,
        Some(w.network),
        None,
        vec![],
    );
    let n = figures(&app, &network, json!({})).await;
    assert_eq!(reached(&n, "MATCHED"), json!(2));
}

#[tokio::test]
async fn every_figure_is_one_statement() {
    let (app, _) = world_app().await;
    let resp = app
        .graphql_as(
            Some(&admin()),
            ALL,
            json!({ "f": { "from": "2024-01-01", "to": "2024-12-31" } }),
        )
        .await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    // Two funnels, two durations, milestones, hours, two breakdowns, retention, early ends,
    // corporate; nothing per row.
    assert_eq!(
        resp["extensions"]["sqlStatements"], 11,
        "{:#}",
        resp["extensions"]
    );
}

/// The demo set seeded into SQLite and into PostgreSQL gives the same figures, to the last
/// digit, for every field, breakdown and several scopes. Runs where PostgreSQL is configured.
#[tokio::test]
async fn sqlite_and_postgres_give_the_same_figures() {
    if !crate::helpers::has(true, false) {
        return;
    }
    let signing = |c: &mut haven::Config| c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
    let pg = spawn_app_with(signing).await;
    let dir = tempfile::tempdir().unwrap();
    let lite = spawn_app_with(|c| {
        signing(c);
        c.database_url = format!("sqlite://{}?mode=rwc", dir.path().join("twin.db").display());
        c.database_schema = None;
    })
    .await;
    use sea_orm::DbBackend;
    assert_eq!(pg.state.db().get_database_backend(), DbBackend::Postgres);
    assert_eq!(lite.state.db().get_database_backend(), DbBackend::Sqlite);
    const EVERY: &str = "query($f: AnalyticsFilterInput) { analytics(filter: $f) { from to
      groupFunnel { stage reached conversion } sponsorshipFunnel { stage reached conversion }
      stageDurations { subject from to n medianDays p75Days }
      milestones { kind reached share medianDaysFromStart }
      hoursByMonth { month hours contributions volunteers }
      variant: breakdown(by: VARIANT) { ...row } province: breakdown(by: PROVINCE) { ...row }
      city: breakdown(by: CITY) { ...row } origin: breakdown(by: ORIGIN) { ...row }
      retention { cohort months volunteers stillActive }
      earlyEnds { reason count } corporate { sponsors pledgedHours deliveredHours inKindCents } } }
    fragment row on BreakdownRow { key label groups activeGroups sponsorships activeSponsorships
      householdsWelcomed volunteers hours }";
    let scopes = [
        (json!({ "from": "2018-01-01", "to": "2026-11-01" }), None),
        (json!({ "from": "2024-01-01", "to": "2024-12-31" }), None),
        (
            json!({ "from": "2019-01-01", "to": "2026-11-01", "variant": "RESETTLEMENT" }),
            None,
        ),
        (
            json!({ "from": "2019-01-01", "to": "2026-11-01" }),
            Some("cityId"),
        ),
    ];
    let admin = admin();
    let mut compared = 0;
    for (filter, by_city) in scopes {
        let mut answers = Vec::new();
        for app in [&pg, &lite] {
            let mut f = filter.clone();
            if let Some(key) = by_city {
                let d = app
                    .data(r#"{ city(cbsCode: "GM0599") { id } }"#, json!({}))
                    .await;
                f[key] = d["city"]["id"].clone();
            }
            let resp = app.graphql_as(Some(&admin), EVERY, json!({ "f": f })).await;
            assert!(resp.get("errors").is_none(), "{resp:#}");
            answers.push(resp["data"]["analytics"].clone());
        }
        assert_eq!(
            answers[0], answers[1],
            "PostgreSQL, then SQLite, for {filter}"
        );
        let busy = answers[0]["hoursByMonth"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["contributions"] != 0);
        assert!(busy, "the scope {filter} has figures to compare");
        compared += 1;
    }
    assert_eq!(compared, 4);
}
