//! The generations every replica shares, in Redis: one hash holding an **epoch** and a counter
//! per family ([`super::generations::FAMILIES`]).
//!
//! Cache keys hold the epoch with the counters, so that losing the hash can never make an old
//! entry match again:
//! - Redis restarted empty, flushed, or evicted the hash: the next read finds no epoch, sets a
//!   new random one (`HSETNX`, so replicas that race agree on one) and every entry made
//!   before (in Redis or in any replica's memory) is a miss from then on.
//! - A failover to a copy that missed some moves keeps the epoch but takes counters back. A
//!   replica that saw a higher counter under this epoch (every writer does: a move returns
//!   the new values) notices and sets a new epoch for everyone.
//!
//! Moves that fail (Redis unreachable) are kept and sent again: before this process reads the
//! generations next (until they are sent, it caches nothing), and by a background retry every
//! second for as long as an entry may live. Other replicas can serve what they cached before
//! the write only while Redis accepts their reads but not this process's moves, and never
//! longer than an entry's TTL.

use super::generations::FAMILIES;
use super::redis::{Redis, RedisFailure};
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The hash's key (under the deployment's prefix).
const HASH: &str = "generations";
/// The field of the hash that holds the epoch.
const EPOCH: &str = "epoch";

/// The shared generations as one request reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub epoch: u64,
    /// One counter per family, in [`FAMILIES`] order.
    pub counters: Vec<u64>,
}

/// This process's side of the shared generations.
pub struct Shared {
    redis: Redis,
    /// The epoch last seen, and the highest counter seen under it per family.
    seen: Mutex<(u64, Vec<u64>)>,
    /// Families written whose move has not reached Redis yet.
    pending: Mutex<BTreeSet<&'static str>>,
    retrying: AtomicBool,
}

impl Shared {
    /// The shared generations in `redis`.
    pub fn new(redis: Redis) -> Self {
        Self {
            redis,
            seen: Mutex::new((0, vec![0; FAMILIES.len()])),
            pending: Mutex::default(),
            retrying: AtomicBool::new(false),
        }
    }

    /// The generations now, after sending any move still pending; `Ok((at, new_epoch))`,
    /// where `new_epoch` says that entries made under an earlier epoch are dead.
    pub async fn read(&self) -> Result<(At, bool), RedisFailure> {
        self.flush().await?;
        let mut fields = vec![EPOCH];
        fields.extend(FAMILIES);
        let mut got = self.redis.hash_get(HASH, &fields).await?;
        if got.first().copied().flatten().is_none() {
            // Redis lost the hash (or never had it): begin a new epoch.
            self.redis
                .hash_set(HASH, EPOCH, fastrand::u64(1..), true)
                .await?;
            got = self.redis.hash_get(HASH, &fields).await?;
        }
        let epoch = got
            .first()
            .copied()
            .flatten()
            .ok_or_else(|| RedisFailure("the generations have no epoch".into()))?;
        let mut at = At {
            epoch,
            counters: got[1..].iter().map(|c| c.unwrap_or(0)).collect(),
        };
        let went_back = {
            let seen = self.seen.lock().map_err(|_| poisoned())?;
            seen.0 == epoch && at.counters.iter().zip(&seen.1).any(|(now, max)| now < max)
        };
        if went_back {
            // Moves were lost (a failover to a stale copy): old entries would match again.
            at.epoch = fastrand::u64(1..);
            self.redis.hash_set(HASH, EPOCH, at.epoch, false).await?;
            tracing::warn!("the shared generations went back: a new cache epoch begins");
        }
        let mut seen = self.seen.lock().map_err(|_| poisoned())?;
        let new_epoch = seen.0 != at.epoch;
        if new_epoch {
            *seen = (at.epoch, at.counters.clone());
        } else {
            for (max, now) in seen.1.iter_mut().zip(&at.counters) {
                *max = (*max).max(*now);
            }
        }
        Ok((at, new_epoch))
    }

    /// Moves the counters of `families`; on failure they stay pending (see the module's
    /// documentation) and the failure is returned.
    pub async fn advance(&self, families: &BTreeSet<&'static str>) -> Result<(), RedisFailure> {
        if families.is_empty() {
            return Ok(());
        }
        let fields: Vec<&str> = families.iter().copied().collect();
        match self.redis.hash_increment(HASH, &fields, EPOCH).await {
            Ok((moved, epoch)) => {
                if let Ok(mut seen) = self.seen.lock()
                    && epoch == Some(seen.0)
                {
                    for (family, now) in fields.iter().zip(moved) {
                        if let Some(i) = FAMILIES.iter().position(|f| f == family) {
                            seen.1[i] = seen.1[i].max(now);
                        }
                    }
                }
                Ok(())
            }
            Err(e) => {
                self.pend(families);
                Err(e)
            }
        }
    }

    /// Keeps `families` to be moved later.
    pub fn pend(&self, families: &BTreeSet<&'static str>) {
        if let Ok(mut p) = self.pending.lock() {
            p.extend(families);
        }
    }

    /// Sends the pending moves, if any.
    async fn flush(&self) -> Result<(), RedisFailure> {
        let pending = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Err(poisoned()),
        };
        self.advance(&pending).await
    }

    /// Retries the pending moves every second in the background, for as long as an entry
    /// may live, until they are sent (one retrier at a time).
    pub fn retry_in_background(self: &std::sync::Arc<Self>) {
        if self.retrying.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            let rounds = super::TTL.as_secs();
            for _ in 0..rounds {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if this.flush().await.is_ok() {
                    break;
                }
            }
            this.retrying.store(false, Ordering::Release);
        });
    }
}

fn poisoned() -> RedisFailure {
    RedisFailure("a lock of the shared generations was poisoned".into())
}
