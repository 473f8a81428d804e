//! Writes that race or follow each other: concurrent writers see each other's effects, and
//! several mutations in one document each see the state the previous one left.
//!
//! The races run on the multi-thread runtime. On PostgreSQL they also prove that the writers
//! overlapped: a separate transaction holds the audit log (which every mutation writes last,
//! in its own transaction) until every racing request is inside its transaction and waiting,
//! directly or behind another writer. Only then does it let them go, so that a lock removed from
//! the write path shows as several writers passing the same check. (SQLite has one writer at a
//! time by design: `BEGIN IMMEDIATE` serialises them before any check.)

use crate::fixture::{Fixture, fixture_in, token_for};
use crate::helpers::{SECRET, TestApp, code, spawn_app_with};
use haven_entities::*;
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, QueryFilter, Statement, TransactionTrait,
};
use serde_json::{Value, json};
use std::future::Future;
use std::time::{Duration, Instant};

/// A transaction on its own connection holding the app's audit log (PostgreSQL).
pub(crate) struct AuditHold {
    url: String,
    conn: DatabaseConnection,
    tx: DatabaseTransaction,
    pid: i32,
}

impl AuditHold {
    /// Takes the audit log of `app`'s schema; `None` on SQLite.
    pub(crate) async fn take(app: &TestApp) -> Option<Self> {
        let schema = app.pg_schema()?;
        let conn = Database::connect(&app.config.database_url).await.unwrap();
        let tx = conn.begin().await.unwrap();
        tx.execute_unprepared(&format!(
            "LOCK TABLE \"{schema}\".audit_log IN EXCLUSIVE MODE"
        ))
        .await
        .unwrap();
        let pid = tx
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_backend_pid() AS pid",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i32>("", "pid")
            .unwrap();
        let url = app.config.database_url.clone();
        Some(Self { url, conn, tx, pid })
    }

    /// Backends waiting on this hold, directly or behind one that waits on it.
    async fn waiting(&self, watcher: &DatabaseConnection) -> i64 {
        let sql = format!(
            "WITH RECURSIVE w(pid) AS (
                SELECT pid FROM pg_stat_activity WHERE {0} = ANY(pg_blocking_pids(pid))
                UNION SELECT a.pid FROM pg_stat_activity a JOIN w ON w.pid = ANY(pg_blocking_pids(a.pid)))
             SELECT count(*) AS n FROM w",
            self.pid
        );
        watcher
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
    }

    /// Waits until `n` backends wait on the hold (at most 20 s); whether they all came.
    pub(crate) async fn waited_on_by(&self, n: i64) -> bool {
        let watcher = Database::connect(&self.url).await.unwrap();
        let started = Instant::now();
        let mut met = false;
        while started.elapsed() < Duration::from_secs(20) {
            if self.waiting(&watcher).await >= n {
                met = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        watcher.close().await.unwrap();
        met
    }

    /// Lets the waiting backends go.
    pub(crate) async fn release(self) {
        self.tx.rollback().await.unwrap();
        self.conn.close().await.unwrap();
    }

    /// Waits until `n` backends wait on the hold (at most 20 s), then lets them go. Returns
    /// whether they all came.
    async fn release_when_waited_on_by(self, n: i64) -> bool {
        let met = self.waited_on_by(n).await;
        self.release().await;
        met
    }
}

/// Exactly one of the racing writers succeeded, and every other was refused with `refusal`
/// (not failed in some other way).
fn one_wins(answers: &[Value], refusal: &str) {
    let codes: Vec<&str> = answers.iter().map(code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "ok").count(), 1, "{codes:?}");
    assert!(
        codes.iter().all(|c| *c == "ok" || *c == refusal),
        "refused with {refusal}, not failed: {answers:?}"
    );
}

/// Runs `requests` (`n` writers) against `app`; on PostgreSQL, holds them until all `n` are
/// inside their transactions at once, and fails the test if they never are.
async fn race<F: Future<Output = Vec<Value>>>(app: &TestApp, n: i64, requests: F) -> Vec<Value> {
    let Some(hold) = AuditHold::take(app).await else {
        return requests.await;
    };
    let (answers, overlapped) = tokio::join!(requests, hold.release_when_waited_on_by(n));
    assert!(
        overlapped,
        "the {n} writers were never in their transactions at once: {answers:?}"
    );
    answers
}

/// A signing app with more connections than usual, so that writers really run at once.
async fn racing_app() -> (TestApp, Fixture) {
    let app = spawn_app_with(|c| {
        c.jwt_secret = Some(haven::config::Secret(SECRET.into()));
        c.db_max_connections = 10;
    })
    .await;
    let f = fixture_in(&app).await;
    (app, f)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_logs_cannot_pass_24_hours_a_day_together() {
    let (app, f) = racing_app().await;
    let member = token_for("member", &f);
    let log = r#"mutation($g: ID!) { logContribution(input: { groupId: $g, date: "2025-07-07", kind: VISIT, hours: 13 }) { id } }"#;
    // Eight writers at once, each alone within the limit; together far beyond it.
    let answers = race(
        &app,
        8,
        futures_util::future::join_all(
            (0..8).map(|_| app.graphql_as(member.as_deref(), log, json!({ "g": f.g }))),
        ),
    )
    .await;
    one_wins(&answers, "BAD_USER_INPUT");
    let stored = contribution::Entity::find()
        .filter(contribution::Column::VolunteerId.eq(f.m))
        .filter(
            contribution::Column::ContributedOn
                .eq("2025-07-07".parse::<chrono::NaiveDate>().unwrap()),
        )
        .all(app.state.db())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_additions_of_one_volunteer_make_one_membership() {
    let (app, f) = racing_app().await;
    let coordinator = token_for("city coordinator", &f);
    let add = "mutation($g: ID!, $e: ID!) { addMembership(input: { groupId: $g, volunteerId: $e }) { id } }";
    let answers =
        race(
            &app,
            6,
            futures_util::future::join_all((0..6).map(|_| {
                app.graphql_as(coordinator.as_deref(), add, json!({ "g": f.g, "e": f.e }))
            })),
        )
        .await;
    one_wins(&answers, "CONFLICT");
    let current = membership::Entity::find()
        .filter(membership::Column::GroupId.eq(f.g))
        .filter(membership::Column::VolunteerId.eq(f.e))
        .filter(membership::Column::LeftOn.is_null())
        .all(app.state.db())
        .await
        .unwrap();
    assert_eq!(current.len(), 1, "one membership stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_changes_from_one_version_let_one_win() {
    let (app, f) = racing_app().await;
    let lead = token_for("lead", &f);
    let rename = "mutation($g: ID!, $name: String!) { updateSponsorGroup(id: $g, expectedVersion: 1, input: { name: $name }) { name version } }";
    let answers = race(
        &app,
        6,
        futures_util::future::join_all((0..6).map(|i| {
            let name = format!("Renamed by writer {i}");
            app.graphql_as(lead.as_deref(), rename, json!({ "g": f.g, "name": name }))
        })),
    )
    .await;
    one_wins(&answers, "CONFLICT");
    let winner = answers.iter().find(|a| code(a) == "ok").unwrap();
    let stored = sponsor_group::Entity::find_by_id(f.g)
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2, "one change, one version");
    assert_eq!(
        winner["data"]["updateSponsorGroup"]["name"], stored.name,
        "the stored name is the winner's"
    );
}

#[tokio::test]
async fn mutations_in_one_document_see_each_other() {
    let (app, f) = racing_app().await;
    let lead = token_for("lead", &f);
    let steps = "mutation($g: ID!) {
        a: transitionSponsorGroup(id: $g, expectedVersion: 1, to: COMPLETED) { status version }
        b: transitionSponsorGroup(id: $g, expectedVersion: 2, to: ALUMNI) { status version } }";
    let r = app
        .graphql_as(lead.as_deref(), steps, json!({ "g": f.g }))
        .await;
    assert_eq!(
        r["data"]["b"],
        json!({ "status": "ALUMNI", "version": 3 }),
        "{r}"
    );

    // The second step is checked against the state the first left, not what the request
    // read before: ALUMNI -> ALUMNI is not a step.
    let group = &f.applied_g;
    let coordinator = token_for("city coordinator", &f);
    let twice = "mutation($g: ID!) {
        a: transitionSponsorGroup(id: $g, expectedVersion: 1, to: SCREENING) { status }
        b: transitionSponsorGroup(id: $g, expectedVersion: 2, to: SCREENING) { status } }";
    let r = app
        .graphql_as(coordinator.as_deref(), twice, json!({ "g": group }))
        .await;
    assert_eq!(r["data"]["a"]["status"], "SCREENING", "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{r}"
    );
    assert_eq!(r["errors"][0]["path"][0], "b");
    let stored = sponsor_group::Entity::find_by_id(*group)
        .one(app.state.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2);

    // The status history has each step taken, and not the refused one.
    let statuses = |g: uuid::Uuid| {
        let db = app.state.db();
        async move {
            let mut rows = group_status_change::Entity::find()
                .filter(group_status_change::Column::GroupId.eq(g))
                .all(db)
                .await
                .unwrap();
            rows.sort_by_key(|r| r.recorded_at);
            rows.into_iter()
                .map(|r| (r.status.to_value(), r.actor_role))
                .collect::<Vec<_>>()
        }
    };
    let lead = "GROUP_LEAD".to_owned();
    assert_eq!(
        statuses(f.g).await,
        [
            ("COMPLETED".to_owned(), lead.clone()),
            ("ALUMNI".to_owned(), lead)
        ]
    );
    let coordinator = "CITY_COORDINATOR".to_owned();
    assert_eq!(
        statuses(*group).await,
        [("SCREENING".to_owned(), coordinator)]
    );
}
