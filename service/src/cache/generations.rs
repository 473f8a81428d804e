//! Data generations: a counter per table that every committed write moves, so that a cached
//! answer keyed by the generations of what it read can never be served after a change.
//!
//! Every SQL statement passes [`Local::note`] (from the connection's metric callback). A
//! write (`INSERT`, `UPDATE`, `DELETE`) moves this process's counter of its table at once and
//! is remembered by the scope it runs in ([`Touched`]): a mutation's transaction or a request.
//! When that scope ends, or is dropped half-way (a timeout after a commit), the cache moves
//! the counters again and the shared ones in Redis ([`super::Cache::moving`]). A write outside
//! any scope (seeding, a command-line tool, a test writing through the pool) is kept as
//! [`Local::outside`] and moved in Redis before this process next reads the generations.
//!
//! Without Redis, keys hold this process's counters; with Redis, only the shared ones (and
//! their epoch), so that every replica finds the entries any replica made.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The tables whose rows answers are made of: every table of the schema but the logs
/// ([`UNWATCHED`]; a test checks the list against the migrated schema).
pub const FAMILIES: [&str; 16] = [
    "sponsorship_network",
    "city",
    "sponsor_group",
    "volunteer",
    "membership",
    "newcomer_household",
    "sponsorship",
    "milestone",
    "contribution",
    "corporate_sponsor",
    "sponsor_commitment",
    "partner_organisation",
    "partner_api_key",
    "partner_api_key_network",
    "group_status_change",
    "sponsorship_status_change",
];

/// The logs: append-only, and no cached answer reads them, so writing them moves nothing
/// (every call for partner statistics writes the query log; were it a family, no figure would
/// stay cached past the next call).
pub const UNWATCHED: [&str; 2] = ["audit_log", "partner_query_log"];

/// The counters of one connection pool (one app), one per family, moved by the writes that
/// pass through it.
pub struct Local {
    counters: HashMap<&'static str, AtomicU64>,
    /// Families written outside any scope, whose shared generations have not moved yet.
    outside: Mutex<BTreeSet<&'static str>>,
}

impl Default for Local {
    fn default() -> Self {
        Self {
            counters: FAMILIES.iter().map(|f| (*f, AtomicU64::new(0))).collect(),
            outside: Mutex::default(),
        }
    }
}

impl Local {
    /// Called for every statement: a write moves its table's counter and is remembered by the
    /// request it belongs to.
    pub fn note(&self, sql: &str) {
        let Some(families) = written(sql) else {
            return;
        };
        for family in families {
            if let Some(c) = self.counters.get(family) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
        let in_scope = TOUCHED.try_with(|t| {
            if let Ok(mut t) = t.lock() {
                t.extend(families);
            }
        });
        if in_scope.is_err()
            && let Ok(mut outside) = self.outside.lock()
        {
            outside.extend(families);
        }
    }

    /// The families written outside any scope since the last call.
    pub fn outside(&self) -> BTreeSet<&'static str> {
        self.outside
            .lock()
            .map(|mut o| std::mem::take(&mut *o))
            .unwrap_or_default()
    }

    /// Moves the counters of `families` once more, after the request that wrote them has
    /// committed: a reader that took the generations between a write's statement (which moved
    /// them) and its commit read the rows as they were before, and must not have its entries
    /// found again.
    pub fn committed(&self, families: &BTreeSet<&'static str>) {
        for family in families {
            if let Some(c) = self.counters.get(family) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The counters of every family, in [`FAMILIES`] order.
    pub fn values(&self) -> Vec<u64> {
        FAMILIES
            .iter()
            .map(|f| {
                self.counters
                    .get(f)
                    .map_or(0, |c| c.load(Ordering::Relaxed))
            })
            .collect()
    }
}

tokio::task_local! {
    static TOUCHED: Arc<Mutex<BTreeSet<&'static str>>>;
}

/// The families a write statement changes, if `sql` is one (`INSERT INTO "t"`, `UPDATE "t"`,
/// `DELETE FROM "t"`, quoted or not): its table's; every family for a table that is not one
/// (a table added without a family is never served stale); none for the audit log, which no
/// answer reads.
pub fn written(sql: &str) -> Option<&'static [&'static str]> {
    let s = sql.trim_start();
    let upper = |n: usize| s.get(..n).map(str::to_ascii_uppercase);
    let rest = if upper(12).as_deref() == Some("INSERT INTO ") {
        &s[12..]
    } else if upper(7).as_deref() == Some("UPDATE ") {
        &s[7..]
    } else if upper(12).as_deref() == Some("DELETE FROM ") {
        &s[12..]
    } else {
        return None;
    };
    let name: String = rest
        .trim_start()
        .trim_start_matches('"')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if UNWATCHED.contains(&name.as_str()) {
        return None;
    }
    match FAMILIES.iter().position(|f| *f == name) {
        Some(i) => Some(&FAMILIES[i..=i]),
        None => Some(&FAMILIES),
    }
}

/// The tables written inside one scope (see [`tracked`]); shared, so that it can be read even
/// when the scope's future was dropped half-way.
#[derive(Clone, Default)]
pub struct Touched(Arc<Mutex<BTreeSet<&'static str>>>);

impl Touched {
    /// The tables written so far, leaving none.
    pub fn take(&self) -> BTreeSet<&'static str> {
        self.0
            .lock()
            .map(|mut t| std::mem::take(&mut *t))
            .unwrap_or_default()
    }
}

/// Runs `fut` noting in `touched` the tables its statements write (an inner scope takes the
/// writes of its own statements).
pub async fn tracked<F: Future>(touched: &Touched, fut: F) -> F::Output {
    TOUCHED.scope(touched.0.clone(), fut).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_name_their_table() {
        let one = |sql| written(sql).map(|f| f.to_vec());
        assert_eq!(
            one(r#"INSERT INTO "contribution" ("id") VALUES ($1)"#),
            Some(vec!["contribution"])
        );
        assert_eq!(
            one(r#"update "sponsor_group" SET "name" = ?"#),
            Some(vec!["sponsor_group"])
        );
        assert_eq!(
            one("DELETE FROM membership WHERE id = 1"),
            Some(vec!["membership"])
        );
        assert_eq!(one(r#"SELECT * FROM "city""#), None);
        assert_eq!(one(r#"INSERT INTO "audit_log" ("id")"#), None);
        // A table without a family moves them all.
        assert_eq!(
            one(r#"INSERT INTO "newer_table" ("id")"#),
            Some(FAMILIES.to_vec())
        );
    }
}
