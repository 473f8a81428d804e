//! Partner statistics: who may read them, the disclosure rules on the demo set, keys limited
//! to networks, the query log, and keys listed and revoked from the command line (the true
//! figures behind them are checked in `partner_figures.rs`).

use crate::fixture::{VIEWERS, ask, fixture_app, fixture_in, partner_key};
use crate::helpers::{SECRET, TestApp, code, spawn_app_with, spawn_signing_app, token};
use haven::auth::Role;
use haven_entities::*;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const FIGURES: [&str; 7] = [
    "activeSponsorships",
    "householdsWelcomed",
    "newcomers",
    "volunteers",
    "hours",
    "paidWorkRate",
    "languageB1Rate",
];

/// The query for `year` by `by`, every figure of every cell and the total.
fn stats_query(year: i32, by: &str) -> String {
    let figures: Vec<String> = FIGURES
        .iter()
        .map(|f| format!("{f} {{ value suppressed reason }}"))
        .collect();
    let cell = format!("key label {}", figures.join(" "));
    format!(
        "{{ partnerStats(year: {year}, by: {by}) {{ year by cells {{ {cell} }} total {{ {cell} }} }} }}"
    )
}

/// The demo set's first partner organisation.
pub(crate) async fn first_partner(app: &TestApp) -> partner_organisation::Model {
    partner_organisation::Entity::find()
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap()
}

async fn with_key(app: &TestApp, key: &str, query: &str) -> Value {
    app.graphql_with(&[("x-api-key", key)], query, json!({}))
        .await
}

/// The longest one partner call may take where a test asks for a year that is not cached: a
/// debug build works the demo's chain out (2024, then 2025 linked to it) in about 14 s
/// alone, and CI runs the tests side by side on two cores. Release builds: BENCHMARKS.md.
const RELEASE_TIMEOUT_MS: u64 = 120_000;

#[tokio::test]
async fn partner_keys_and_administrators_read_them_and_no_one_else() {
    let app = spawn_app_with(|c| {
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        c.request_timeout_ms = RELEASE_TIMEOUT_MS;
    })
    .await;
    let f = fixture_in(&app).await;
    let key = partner_key(&app).await;
    let q = stats_query(2025, "VARIANT");
    let mut seen = Vec::new();
    for who in VIEWERS {
        let resp = ask(&app, &key, who, &f, &q, json!({})).await;
        seen.push(code(&resp).to_owned());
    }
    let expected: Vec<&str> = VIEWERS
        .iter()
        .map(|who| match *who {
            "anonymous" => "UNAUTHENTICATED",
            "partner" | "admin" => "ok",
            _ => "FORBIDDEN",
        })
        .collect();
    assert_eq!(seen, expected);
    // A key without the `aggregates` scope reads the public register only.
    let partner = first_partner(&app).await;
    let narrow =
        haven::db::partners::create_key(app.state.db(), partner.id, vec!["register".into()], &[])
            .await
            .unwrap();
    assert_eq!(code(&with_key(&app, &narrow, &q).await), "FORBIDDEN");
    // Years outside the programme's are bad input.
    for year in [2017, 2100] {
        let resp = with_key(&app, &key, &stats_query(year, "VARIANT")).await;
        assert_eq!(code(&resp), "BAD_USER_INPUT", "{year}: {resp}");
    }
    // The year under way is not served to partners (each arrival would show); an
    // administrator reads it live.
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    for by in ["VARIANT", "QUARTER", "NETWORK", "PROVINCE"] {
        let q = stats_query(this_year, by);
        let resp = with_key(&app, &key, &q).await;
        assert_eq!(code(&resp), "FORBIDDEN", "{by}: {resp}");
        assert!(resp["data"].is_null(), "{resp}");
        let admin = token(Role::Admin, None, None, None, vec![]);
        assert_eq!(
            code(&app.graphql_as(Some(&admin), &q, json!({})).await),
            "ok"
        );
    }
    let last = stats_query(this_year - 1, "QUARTER");
    assert_eq!(code(&with_key(&app, &key, &last).await), "ok");
}

/// The demo set's 2025 by province: all twelve provinces in order; published counts are
/// multiples of 5 and at least 10, hours multiples of 10, rates multiples of 0.05; some cells
/// are published and some suppressed; and no count figure has a lone suppressed cell beside
/// a published total.
#[tokio::test]
async fn the_demo_year_by_province_follows_the_rules() {
    let app = spawn_signing_app().await;
    let key = partner_key(&app).await;
    let resp = with_key(&app, &key, &stats_query(2025, "PROVINCE")).await;
    let stats = &resp["data"]["partnerStats"];
    let cells = stats["cells"]
        .as_array()
        .unwrap_or_else(|| panic!("{resp:#}"));
    let keys: Vec<&str> = cells.iter().map(|c| c["key"].as_str().unwrap()).collect();
    let provinces: Vec<String> = (20..=31).map(|n| format!("PV{n}")).collect();
    assert_eq!(keys, provinces);
    assert_eq!(cells[1]["label"], "Fryslân");
    let (mut published, mut suppressed) = (0, 0);
    for figure in FIGURES {
        let total = &stats["total"][figure];
        let column: Vec<&Value> = cells.iter().map(|c| &c[figure]).collect();
        for f in column.iter().copied().chain([total]) {
            match f["value"].as_f64() {
                Some(v) => {
                    published += 1;
                    assert_eq!(f["suppressed"], false);
                    let step = match figure {
                        "hours" => 10.0,
                        "paidWorkRate" | "languageB1Rate" => 0.05,
                        _ => 5.0,
                    };
                    let steps = v / step;
                    assert!((steps - steps.round()).abs() < 1e-9, "{figure} {v}");
                    if step == 5.0 {
                        assert!(v >= 10.0, "{figure} {v}");
                    }
                }
                None => {
                    suppressed += 1;
                    assert_eq!(f["suppressed"], true);
                    assert!(f["reason"].is_string(), "{f}");
                }
            }
        }
        let hidden = column.iter().filter(|f| f["value"].is_null()).count();
        if !total["value"].is_null() && !figure.ends_with("Rate") {
            assert_ne!(
                hidden, 1,
                "{figure}: a lone suppressed cell beside the total"
            );
        }
    }
    assert!(published > 10 && suppressed > 10, "{resp:#}");
    // The total is the same whatever the grid.
    for by in ["NETWORK", "VARIANT", "QUARTER"] {
        let other = with_key(&app, &key, &stats_query(2025, by)).await;
        assert_eq!(
            other["data"]["partnerStats"]["total"], stats["total"],
            "{by}"
        );
    }
}

#[tokio::test]
async fn a_key_limited_to_a_network_sees_that_network_only() {
    let (app, f) = fixture_app().await;
    let partner = first_partner(&app).await;
    let limited = haven::db::partners::create_key(
        app.state.db(),
        partner.id,
        vec!["aggregates".into()],
        &[f.other_network],
    )
    .await
    .unwrap();
    let everything = partner_key(&app).await;
    let q = stats_query(2025, "NETWORK");
    let mine = with_key(&app, &limited, &q).await;
    let all = with_key(&app, &everything, &q).await;
    let slugs = |resp: &Value| -> Vec<String> {
        resp["data"]["partnerStats"]["cells"]
            .as_array()
            .unwrap_or_else(|| panic!("{resp:#}"))
            .iter()
            .map(|c| c["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let other = sponsorship_network::Entity::find_by_id(f.other_network)
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(slugs(&mine), std::slice::from_ref(&other.slug));
    assert!(slugs(&all).len() >= 2 && slugs(&all).contains(&other.slug));
    // Its total is that network's: one volunteer, suppressed; everyone's is published.
    assert_eq!(
        mine["data"]["partnerStats"]["total"]["volunteers"]["reason"],
        "SMALL_CELL"
    );
    assert!(all["data"]["partnerStats"]["total"]["volunteers"]["value"].as_f64() > Some(10.0));
    // A network a key is limited to cannot be deleted: the key would be left with no network,
    // which means every network.
    let empty = sponsorship_network::Model {
        id: uuid::Uuid::new_v4(),
        slug: "empty-for-a-key".into(),
        name: "Empty for a key".into(),
        ..f.network.clone()
    };
    crate::fixture::put(&app, empty.clone()).await;
    haven::db::partners::create_key(app.state.db(), partner.id, vec![], &[empty.id])
        .await
        .unwrap();
    let deleted = sponsorship_network::Entity::delete_by_id(empty.id)
        .exec(app.state.db())
        .await;
    assert!(deleted.is_err(), "{deleted:?}");
}

#[tokio::test]
async fn every_call_is_logged_for_administrators() {
    let app = spawn_signing_app().await;
    let key = partner_key(&app).await;
    let admin = token(Role::Admin, None, None, None, vec![]);
    // The same call twice, the second time under an alias inside a fragment: both logged.
    let q = stats_query(2025, "QUARTER");
    let aliased = "{ ...F } fragment F on Query {
        s: partnerStats(year: 2025, by: QUARTER) { year by total { volunteers { value } } } }";
    for q in [q.as_str(), aliased] {
        assert_eq!(code(&with_key(&app, &key, q).await), "ok");
    }
    assert_eq!(code(&with_key(&app, &key, aliased).await), "ok");
    let resp = app
        .graphql_as(Some(&admin), &stats_query(2024, "VARIANT"), json!({}))
        .await;
    assert_eq!(code(&resp), "ok", "{resp}");
    let log = "{ partnerQueryLog(first: 10) { totalCount nodes { keyId partnerId viewerRole field arguments askedAt } } }";
    let resp = app.graphql_as(Some(&admin), log, json!({})).await;
    let page = &resp["data"]["partnerQueryLog"];
    assert_eq!(page["totalCount"], 4, "{resp:#}");
    let nodes = page["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["viewerRole"], "ADMIN");
    assert_eq!(nodes[0]["keyId"], Value::Null);
    let args: Value = serde_json::from_str(nodes[0]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args, json!({ "year": 2024, "by": "VARIANT" }));
    let key_id = haven::db::partners::find_key(app.state.db(), &key)
        .await
        .unwrap()
        .unwrap()
        .id;
    for n in &nodes[1..] {
        assert_eq!(n["viewerRole"], "PARTNER");
        assert_eq!(n["field"], "partnerStats");
        assert_eq!(n["keyId"], key_id.to_string());
        assert!(n["partnerId"].is_string());
    }
    // The log is for administrators: a partner may not read it.
    assert_eq!(code(&with_key(&app, &key, log).await), "FORBIDDEN");
}

/// Runs `haven apikey …` against the app's database (and its Redis, when it has one).
pub(crate) async fn apikey(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.arg("apikey")
        .args(args)
        .env("DATABASE_URL", &app.config.database_url)
        .env("HAVEN_LOG", "off");
    if let Some(schema) = &app.config.database_schema {
        cmd.env("HAVEN_DATABASE_SCHEMA", schema);
    }
    if let Some(url) = &app.config.redis_url {
        cmd.env("REDIS_URL", url)
            .env("HAVEN_REDIS_PREFIX", &app.config.redis_prefix);
    }
    let out = cmd.output().await.unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test]
async fn keys_are_listed_and_revoked_from_the_command_line() {
    let (app, f) = fixture_app().await;
    let partner = first_partner(&app).await;
    let network = f.network.id.to_string();
    let (ok, key) = apikey(
        &app,
        &[
            "create",
            "--partner",
            &partner.id.to_string(),
            "--network",
            &network,
        ],
    )
    .await;
    assert!(ok, "{key}");
    let key = key.trim().to_owned();
    let q = stats_query(2025, "NETWORK");
    // Asked twice, so that the key's lookup is cached before it is revoked.
    for _ in 0..2 {
        let resp = with_key(&app, &key, &q).await;
        assert_eq!(code(&resp), "ok", "{resp}");
    }
    let (ok, list) = apikey(&app, &["list"]).await;
    assert!(ok, "{list}");
    let line = list
        .lines()
        .find(|l| l.contains(&key[..12]))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        line.contains(&partner.name) && line.contains(&network),
        "{line}"
    );
    assert!(!list.contains(&key), "a key's value is never shown again");
    let (ok, out) = apikey(&app, &["revoke", &key[..12]]).await;
    assert!(ok, "{out}");
    let resp = with_key(&app, &key, &q).await;
    assert_eq!(code(&resp), "UNAUTHENTICATED", "refused at once: {resp}");
    let (ok, out) = apikey(&app, &["revoke", "hvn_unknown"]).await;
    assert!(!ok && out.contains("not found"), "{out}");
    let (_, list) = apikey(&app, &["list"]).await;
    let line = list.lines().find(|l| l.contains(&key[..12])).unwrap();
    assert!(!line.ends_with("\t-"), "listed as revoked: {line}");
}

/// A call costs its log entry, the first sponsorship's year (where the chain of linked years
/// starts: 2024 in the demo), and the chain's releases: the networks and keys' networks once,
/// then per year the register's atoms, their figures and the volunteers behind each cell's
/// hours; 2025 reuses 2024's atoms and figures to link them, read just before: 10. A repeat
/// costs only its log entry, the releases coming from the cache, until a write moves the
/// generations.
#[tokio::test]
async fn a_repeated_call_costs_only_its_log_entry() {
    let app = crate::helpers::spawn_app_with(|c| {
        c.debug_stats = true;
        c.cache = true;
    })
    .await;
    let key = partner_key(&app).await;
    let q = stats_query(2025, "NETWORK");
    let statements = |resp: &Value| resp["extensions"]["sqlStatements"].as_u64();
    let first = with_key(&app, &key, &q).await;
    assert_eq!(statements(&first), Some(10), "{first:#}");
    let again = with_key(&app, &key, &q).await;
    assert_eq!(statements(&again), Some(1));
    assert_eq!(again["data"], first["data"]);
    // A write to the figures' tables makes them computed anew.
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        "UPDATE sponsorship SET version = version + 1",
    ))
    .await
    .unwrap();
    assert_eq!(statements(&with_key(&app, &key, &q).await), Some(10));
}

/// `HAVEN_PARTNER_SUPPRESSION=replay-safe` withholds more of the demo year, never a value the
/// default would publish differently: what both publish is the same rounded figure.
#[tokio::test]
async fn replay_safe_releases_withhold_more_of_the_same_figures() {
    let app = spawn_app_with(|c| {
        c.partner_suppression = haven::config::PartnerSuppression::ReplaySafe;
        c.request_timeout_ms = RELEASE_TIMEOUT_MS;
    })
    .await;
    let audited = spawn_app_with(|c| c.request_timeout_ms = RELEASE_TIMEOUT_MS).await;
    let (mut safe_shown, mut audited_shown) = (0, 0);
    for by in ["PROVINCE", "NETWORK", "VARIANT", "QUARTER"] {
        let q = stats_query(2025, by);
        let safe = with_key(&app, &partner_key(&app).await, &q).await;
        let plain = with_key(&audited, &partner_key(&audited).await, &q).await;
        let cells = |r: &Value| -> Vec<Value> {
            let stats = &r["data"]["partnerStats"];
            let mut all = stats["cells"]
                .as_array()
                .unwrap_or_else(|| panic!("{r:#}"))
                .clone();
            all.push(stats["total"].clone());
            all
        };
        for (s, p) in cells(&safe).iter().zip(cells(&plain)) {
            for figure in FIGURES {
                let (sv, pv) = (&s[figure]["value"], &p[figure]["value"]);
                safe_shown += usize::from(sv.is_number());
                audited_shown += usize::from(pv.is_number());
                if sv.is_number() && pv.is_number() {
                    assert_eq!(sv, pv, "{by} {figure}");
                }
            }
        }
    }
    assert!(safe_shown < audited_shown, "{safe_shown} {audited_shown}");
}
