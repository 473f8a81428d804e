//! Moving the generations after writes: at each transaction's commit and at the end of each
//! request, and by a task of its own when either is dropped half-way, so that what committed
//! is always moved (see [`super::generations`] and [`super::shared`]).

use super::{Cache, Kind, Redis, generations, redis, shared};
use std::collections::BTreeSet;

impl Cache {
    /// Runs `fut` noting the tables its statements write, then moves their generations, here
    /// and in Redis, before it returns (so a read on any replica after the answer keys anew).
    /// Whatever becomes of the caller, what was written is moved: when this future is dropped
    /// half-way (a request timeout after a transaction committed, a dropped connection), a
    /// task of its own moves it.
    pub async fn moving<F: Future>(&self, fut: F) -> F::Output {
        let guard = MoveOnDrop {
            cache: self.clone(),
            touched: generations::Touched::default(),
        };
        let out = generations::tracked(&guard.touched, fut).await;
        let families = guard.touched.take();
        if !families.is_empty() {
            let cache = self.clone();
            // A task of its own: dropping this future while the move is under way leaves it
            // running.
            let _ = tokio::spawn(async move { cache.written(&families).await }).await;
        }
        out
    }

    /// Moves the generations of `families`: this process's once more (they moved as the
    /// writes ran, see [`generations::Local::committed`]) and the shared ones. A shared move
    /// that fails is retried (see [`shared`]).
    async fn written(&self, families: &BTreeSet<&'static str>) {
        self.generations.committed(families);
        let Some(shared) = &self.shared else {
            return;
        };
        if let Err(e) = shared.advance(families).await {
            // Other replicas may serve what they cached until the move gets through.
            self.failed(Kind::Response, "move of the generations", &e);
            shared.retry_in_background();
        }
    }
}

/// Moves what a [`Cache::moving`] scope wrote when it is dropped before it ended.
struct MoveOnDrop {
    cache: Cache,
    touched: generations::Touched,
}

impl Drop for MoveOnDrop {
    fn drop(&mut self) {
        let families = self.touched.take();
        if families.is_empty() {
            return;
        }
        let cache = self.cache.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move { cache.written(&families).await });
            }
            Err(_) => {
                cache.generations.committed(&families);
                if let Some(shared) = &cache.shared {
                    shared.pend(&families);
                }
            }
        }
    }
}

/// Moves the shared generations of `families` in `redis`, so that every replica keys anew: what
/// a write through another process (such as `haven apikey revoke`) calls.
pub async fn move_shared(
    redis: &Redis,
    families: &BTreeSet<&'static str>,
) -> Result<(), redis::RedisFailure> {
    shared::Shared::new(redis.clone()).advance(families).await
}
