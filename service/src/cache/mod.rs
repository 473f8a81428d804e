//! The cross-request cache: in process (moka) and, when `REDIS_URL` is set, in Redis, shared by
//! every replica. Answers are keyed by what they depend on, by the data generations
//! ([`generations`], [`shared`]) and by the build, so a write never needs to find and delete
//! entries: it moves the generations, and every key made afterwards is new. TTLs only bound
//! memory. An entry another build made is a miss, never an error.
//!
//! Fail-open: when Redis cannot be read (down, slow past its timeout), nothing is cached or
//! served from the cache (the generations are unknown) and the request goes to the database;
//! a metric counts it and a log line says so, at most once a minute.

pub mod generations;
mod moves;
pub mod redis;
pub mod shared;

pub use moves::move_shared;

pub use redis::Redis;

use axum::body::Bytes;
use sha2::{Digest, Sha256};
use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a cache entry is; metrics count by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole response to a public read.
    Response,
    /// One figure of `analytics` over one scope.
    Figure,
    /// A persisted query's document, by its hash.
    PersistedQuery,
    /// A partner API key's lookup, by the key's hash.
    ApiKey,
    /// A row by id, under the dataloaders (in process only).
    Entity,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Response => "response",
            Self::Figure => "figure",
            Self::PersistedQuery => "persisted_query",
            Self::ApiKey => "api_key",
            Self::Entity => "entity",
        }
    }
}

/// The build's identity (a hash of its sources, from `build.rs`): every key holds it, so that
/// replicas of another build never read each other's entries.
pub const BUILD: &str = env!("HAVEN_BUILD_ID");

/// How long an entry may live (a safety net: generations make entries stale, not TTLs).
const TTL: Duration = Duration::from_secs(600);
/// How many bytes of entries this process keeps.
const LOCAL_BYTES: u64 = 64 * 1024 * 1024;
/// How many rows the entity cache keeps (in process).
const LOCAL_ROWS: u64 = 200_000;
/// How long a persisted query's document is kept, and how many bytes of them in process.
const QUERY_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
const QUERY_BYTES: u64 = 16 * 1024 * 1024;

/// The cache of one process.
#[derive(Clone)]
pub struct Cache {
    enabled: bool,
    local: moka::future::Cache<String, Bytes>,
    redis: Option<Redis>,
    generations: Arc<generations::Local>,
    shared: Option<Arc<shared::Shared>>,
    queries: moka::future::Cache<String, Arc<str>>,
    entities: moka::future::Cache<String, Arc<dyn Any + Send + Sync>>,
    warned: Throttled,
}

/// A warning logged at most once a minute however often its cause recurs (a Redis outage
/// would otherwise log once per request).
#[derive(Clone, Default)]
pub struct Throttled(Arc<AtomicU64>);

impl Throttled {
    /// Logs `what` with `error`, unless this logged in the last minute.
    pub fn warn(&self, error: &str, what: &str) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let last = self.0.load(Ordering::Relaxed);
        if now >= last + 60
            && self
                .0
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(error, "{what}");
        }
    }
}

/// An entry's key: what it is, with the generations it was computed at.
pub struct Key(String);

/// The generations a request reads at: with Redis, the shared counters and their epoch;
/// without, this process's counters (epoch 0).
#[derive(Debug, Clone)]
pub struct Generations {
    epoch: u64,
    counters: Vec<u64>,
}

/// A request's view of the cache. The generations are read once, when the request first needs
/// a key, and before anything was computed: every entry the request reads or fills is keyed at
/// them (one Redis round trip per request, however many figures it asks for), and an entry is
/// never keyed at generations newer than its data.
#[derive(Clone)]
pub struct View {
    cache: Cache,
    at: Arc<tokio::sync::OnceCell<Option<Generations>>>,
}

impl View {
    /// The generations this request reads at, taken when first needed; none when nothing may
    /// be cached.
    async fn generations(&self) -> Option<&Generations> {
        self.at
            .get_or_init(|| self.cache.generations())
            .await
            .as_ref()
    }

    /// The key of an entry of `kind` about `what`; none when nothing may be cached.
    pub async fn key(&self, kind: Kind, what: &[&[u8]]) -> Option<Key> {
        let at = self.generations().await?;
        let mut hash = Sha256::new();
        for part in std::iter::once(&BUILD.as_bytes()).chain(what) {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hash.update(at.epoch.to_le_bytes());
        for g in &at.counters {
            hash.update(g.to_le_bytes());
        }
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Some(Key(format!("{}:{digest}", kind.name())))
    }

    /// The cache itself.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// A value `compute`d once per `what` and data generations, kept as JSON; computed
    /// without the cache when nothing may be cached. Errors are not kept; `internal` makes the
    /// caller's error for one that (de)serialising raised.
    pub async fn cached<T, E, F>(
        &self,
        kind: Kind,
        what: &[&[u8]],
        compute: F,
        internal: fn(String) -> E,
    ) -> Result<T, E>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
        E: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let Some(key) = self.key(kind, what).await else {
            return compute.await;
        };
        let got = self
            .cache
            .get_or_compute(kind, key, async {
                let value = compute.await?;
                serde_json::to_vec(&value).map_err(|e| internal(e.to_string()))
            })
            .await;
        match got {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(value) => Ok(value),
                // `compute` was taken by the lookup; an entry that does not read as `T` is a
                // bug of this build (another build's entries have other keys): say so.
                Err(e) => Err(internal(format!(
                    "a cached {} did not read back: {e}",
                    kind.name()
                ))),
            },
            Err(e) => Err(e.as_ref().clone()),
        }
    }

    /// The key of row `id` of `table`: keyed by its table's generations only, so that a
    /// write elsewhere leaves it cached; none when nothing may be cached.
    async fn entity_key(&self, table: &str, id: uuid::Uuid) -> Option<String> {
        let at = self.generations().await?;
        let i = generations::FAMILIES.iter().position(|f| *f == table)?;
        Some(format!("{table}:{id}:{}:{}", at.epoch, at.counters[i]))
    }

    /// Row `id` of `table` (of type `T`) as cached at this request's generations, or the key
    /// to keep it under once it is read (`None`: not to be kept).
    pub async fn entity<T: Send + Sync + 'static>(
        &self,
        table: &str,
        id: uuid::Uuid,
    ) -> Result<Arc<T>, Option<String>> {
        let Some(key) = self.entity_key(table, id).await else {
            return Err(None);
        };
        let found = self.cache.entities.get(&key).await;
        let row = found.and_then(|row| row.downcast::<T>().ok());
        let outcome = if row.is_some() { "hit" } else { "miss" };
        crate::metrics::record_cache(Kind::Entity.name(), outcome);
        row.ok_or(Some(key))
    }

    /// Keeps `row` under `key` (from [`Self::entity`]).
    pub async fn keep_entity<T: Send + Sync + 'static>(&self, key: String, row: Arc<T>) {
        self.cache.entities.insert(key, row).await;
    }
}

impl Cache {
    /// A cache that uses `redis` when given, keyed by the `generations` of the app's pool;
    /// `enabled: false` caches nothing.
    pub fn new(enabled: bool, redis: Option<Redis>, generations: Arc<generations::Local>) -> Self {
        let local = moka::future::Cache::builder()
            .weigher(|k: &String, v: &Bytes| u32::try_from(k.len() + v.len()).unwrap_or(u32::MAX))
            .max_capacity(LOCAL_BYTES)
            .time_to_live(TTL)
            .eviction_listener(|key: Arc<String>, _, cause| {
                if cause.was_evicted() {
                    let kind = [Kind::Figure, Kind::ApiKey]
                        .into_iter()
                        .find(|k| {
                            key.strip_prefix(k.name())
                                .is_some_and(|r| r.starts_with(':'))
                        })
                        .unwrap_or(Kind::Response);
                    crate::metrics::record_cache(kind.name(), "eviction");
                }
            })
            .build();
        Self {
            enabled,
            local,
            shared: redis.clone().map(|r| Arc::new(shared::Shared::new(r))),
            redis,
            generations,
            queries: moka::future::Cache::builder()
                .weigher(|k: &String, v: &Arc<str>| {
                    u32::try_from(k.len() + v.len()).unwrap_or(u32::MAX)
                })
                .max_capacity(QUERY_BYTES)
                .time_to_live(QUERY_TTL)
                .build(),
            warned: Throttled::default(),
            entities: moka::future::Cache::builder()
                .max_capacity(LOCAL_ROWS)
                .time_to_live(TTL)
                .build(),
        }
    }

    /// Logs a Redis failure at most once a minute; counts every one.
    fn failed(&self, kind: Kind, what: &str, e: &redis::RedisFailure) {
        crate::metrics::record_cache(kind.name(), "error");
        self.warned.warn(
            &e.0,
            &format!("Redis {what} failed: serving from the database"),
        );
    }

    /// A request's view of the cache (see [`View`]).
    pub fn view(&self) -> View {
        View {
            cache: self.clone(),
            at: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// The generations now: with Redis the shared ones (after moving what this process
    /// wrote outside any request), else this process's own; none when the cache is off or the
    /// shared ones cannot be read or moved (then nothing is cached).
    async fn generations(&self) -> Option<Generations> {
        if !self.enabled {
            return None;
        }
        let Some(shared) = &self.shared else {
            return Some(Generations {
                epoch: 0,
                counters: self.generations.values(),
            });
        };
        shared.pend(&self.generations.outside());
        match shared.read().await {
            Ok((at, new_epoch)) => {
                if new_epoch {
                    // Nothing kept under another epoch can match again: free the memory.
                    self.local.invalidate_all();
                    self.entities.invalidate_all();
                }
                Some(Generations {
                    epoch: at.epoch,
                    counters: at.counters,
                })
            }
            Err(e) => {
                self.failed(Kind::Response, "read of the generations", &e);
                None
            }
        }
    }

    /// The entry at `key`, computed by `compute` when neither this process nor Redis has it.
    /// Concurrent callers of one key in this process wait for one computation. `compute`
    /// answers `Ok` with what to cache, or `Err` with an answer not to cache (every waiting
    /// caller gets it too).
    pub async fn get_or_compute<F, E>(
        &self,
        kind: Kind,
        key: Key,
        compute: F,
    ) -> Result<Bytes, Arc<E>>
    where
        F: Future<Output = Result<Vec<u8>, E>>,
        E: Send + Sync + 'static,
    {
        let Key(key) = key;
        let mut computed = false;
        let out = self
            .local
            .try_get_with(key.clone(), async {
                if let Some(redis) = &self.redis {
                    match redis.get(&key).await {
                        Ok(Some(v)) => return Ok(Bytes::from(v)),
                        Ok(None) => {}
                        Err(e) => self.failed(kind, "read", &e),
                    }
                }
                computed = true;
                let value = compute.await?;
                if let Some(redis) = &self.redis
                    && let Err(e) = redis.set(&key, &value, TTL).await
                {
                    self.failed(kind, "write", &e);
                }
                Ok(Bytes::from(value))
            })
            .await;
        crate::metrics::record_cache(kind.name(), if computed { "miss" } else { "hit" });
        out
    }

    /// The document persisted under `hash`, from this process or Redis (kept whether or not
    /// the cache is on: persisted queries are protocol, not caching).
    pub async fn recall_query(&self, hash: &str) -> Option<String> {
        let kind = Kind::PersistedQuery;
        if let Some(q) = self.queries.get(hash).await {
            crate::metrics::record_cache(kind.name(), "hit");
            return Some(q.to_string());
        }
        let found = match &self.redis {
            Some(redis) => match redis.get(&format!("apq:{hash}")).await {
                Ok(v) => v.and_then(|v| String::from_utf8(v).ok()),
                Err(e) => {
                    self.failed(kind, "read", &e);
                    None
                }
            },
            None => None,
        };
        crate::metrics::record_cache(kind.name(), if found.is_some() { "hit" } else { "miss" });
        if let Some(q) = &found {
            self.queries
                .insert(hash.to_owned(), Arc::from(q.as_str()))
                .await;
        }
        found
    }

    /// Keeps `query` under `hash`, here and in Redis.
    pub async fn keep_query(&self, hash: &str, query: &str) {
        self.queries.insert(hash.to_owned(), Arc::from(query)).await;
        if let Some(redis) = &self.redis
            && let Err(e) = redis
                .set(&format!("apq:{hash}"), query.as_bytes(), QUERY_TTL)
                .await
        {
            self.failed(Kind::PersistedQuery, "write", &e);
        }
    }
}
