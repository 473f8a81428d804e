//! Rate limits: a token bucket per client, in Redis (shared by every replica, taken from by
//! one Lua script, `bucket.lua`) and in process when Redis is not configured or cannot be
//! reached. A bucket holds a minute's worth of requests and refills at that rate, so a
//! client may burst up to its limit and then go on at the limit's pace.
//!
//! A replica takes up to a second's worth of a client's tokens from Redis at once (at most
//! [`MAX_LEASE`]) and spends them within that second: a busy client costs one Redis round trip
//! per that many requests rather than one per request (which cost a quarter of the throughput
//! of cached reads). Every request admitted still took a token in Redis, so no client gets
//! past its limit; tokens a replica took and did not spend in time are lost, so a client spread
//! over several replicas may be limited a little early.
//!
//! Who is counted: anonymous viewers by client address, signed-in viewers by who they are,
//! partners by API key. Requests with bad credentials count against their address, so that
//! guessing keys or tokens is bounded like any anonymous traffic.

use crate::auth::Viewer;
use crate::cache::{Redis, Throttled};
use clap::Args;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Requests per minute that each kind of client may make (0 = no limit).
#[derive(Debug, Clone, Args)]
pub struct RateLimits {
    /// Requests per minute from one client address without credentials (0 = no limit).
    #[arg(
        id = "rate-limit-anonymous",
        long = "rate-limit-anonymous",
        value_name = "PER_MINUTE",
        env = "HAVEN_RATE_LIMIT_ANONYMOUS",
        default_value_t = 600,
        global = true
    )]
    pub anonymous: u32,
    /// Requests per minute of one signed-in viewer (0 = no limit).
    #[arg(
        id = "rate-limit-signed-in",
        long = "rate-limit-signed-in",
        value_name = "PER_MINUTE",
        env = "HAVEN_RATE_LIMIT_SIGNED_IN",
        default_value_t = 1200,
        global = true
    )]
    pub signed_in: u32,
    /// Requests per minute of one partner API key (0 = no limit).
    #[arg(
        id = "rate-limit-partner",
        long = "rate-limit-partner",
        value_name = "PER_MINUTE",
        env = "HAVEN_RATE_LIMIT_PARTNER",
        default_value_t = 300,
        global = true
    )]
    pub partner: u32,
    /// Header in which the proxy in front of haven passes the client's address (such as
    /// `x-forwarded-for`; its last entry is taken, the one the nearest proxy added). Without
    /// it the peer's address is the client's, which behind a router is the router's.
    #[arg(long, env = "HAVEN_CLIENT_ADDRESS_HEADER", global = true)]
    pub client_address_header: Option<String>,
}

/// Who a request is counted against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// A client without (valid) credentials, by address.
    Address(IpAddr),
    /// A signed-in viewer, by who they are.
    Viewer(String),
    /// A partner, by API key.
    Key(uuid::Uuid),
}

impl Client {
    /// The client a viewer's requests count against; `address` for anonymous viewers.
    pub fn of(viewer: &Viewer, address: IpAddr) -> Self {
        match viewer {
            Viewer::Anonymous => Self::Address(address),
            Viewer::Partner { key, .. } => Self::Key(*key),
            Viewer::User {
                subject: Some(subject),
                ..
            } => Self::Viewer(subject.to_string()),
            // A token without a subject speaks for its role and scope.
            Viewer::User {
                role,
                network,
                city,
                groups,
                ..
            } => Self::Viewer(format!("{}:{network:?}:{city:?}:{groups:?}", role.as_str())),
        }
    }

    /// The class of client, as metrics label it.
    pub fn class(&self) -> &'static str {
        match self {
            Self::Address(_) => "anonymous",
            Self::Viewer(_) => "signed_in",
            Self::Key(_) => "partner",
        }
    }

    /// The bucket's name: hashed, so that no address or id is kept in Redis as it is.
    fn bucket(&self) -> String {
        let who = match self {
            Self::Address(a) => a.to_string(),
            Self::Viewer(v) => v.clone(),
            Self::Key(k) => k.to_string(),
        };
        let digest = Sha256::digest(who.as_bytes());
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("rate:{}:{hex}", self.class())
    }
}

/// A request over its client's limit: how long until the next one is let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: Duration,
}

impl Limited {
    /// Whole seconds to wait, at least one (what `Retry-After` and the error carry).
    pub fn seconds(self) -> u64 {
        self.retry_after.as_millis().div_ceil(1000).max(1) as u64
    }
}

/// How long a bucket is kept after its last use: by then it would be full again.
const KEEP: Duration = Duration::from_secs(61);
/// How many clients' buckets this process keeps when counting by itself.
const LOCAL_CLIENTS: u64 = 100_000;
/// The most tokens a replica takes from Redis at once.
pub const MAX_LEASE: u32 = 20;
/// How long a replica may spend the tokens it took.
const LEASE: Duration = Duration::from_secs(1);

/// Tokens taken from Redis and not spent yet.
#[derive(Debug)]
struct Lease {
    left: u32,
    until: Instant,
}

/// The rate limits of one process.
#[derive(Clone)]
pub struct Limiter {
    limits: RateLimits,
    redis: Option<Redis>,
    local: moka::future::Cache<String, Arc<Mutex<Bucket>>>,
    leases: moka::future::Cache<String, Arc<Mutex<Lease>>>,
    warned: Throttled,
}

impl Limiter {
    /// Limits counted in `redis` when given, else in process.
    pub fn new(limits: RateLimits, redis: Option<Redis>) -> Self {
        Self {
            limits,
            redis,
            local: moka::future::Cache::builder()
                .max_capacity(LOCAL_CLIENTS)
                .time_to_idle(KEEP)
                .build(),
            leases: moka::future::Cache::builder()
                .max_capacity(LOCAL_CLIENTS)
                .time_to_idle(LEASE)
                .build(),
            warned: Throttled::default(),
        }
    }

    /// The limit of a class of client, per minute; `None` when unlimited.
    fn limit(&self, client: &Client) -> Option<u32> {
        let n = match client {
            Client::Address(_) => self.limits.anonymous,
            Client::Viewer(_) => self.limits.signed_in,
            Client::Key(_) => self.limits.partner,
        };
        (n > 0).then_some(n)
    }

    /// Counts a request of `client`: `Err` when it is over its limit. Counted in Redis, or in
    /// this process when Redis cannot be reached (each replica then allows the limit).
    pub async fn check(&self, client: &Client) -> Result<(), Limited> {
        let Some(per_minute) = self.limit(client) else {
            return Ok(());
        };
        let bucket = client.bucket();
        let waited = match &self.redis {
            Some(redis) => match self.take_shared(redis, &bucket, per_minute).await {
                Ok(wait) => wait,
                Err(e) => {
                    crate::metrics::record_cache("rate_limit", "error");
                    self.warned
                        .warn(&e.0, "Redis rate limit failed: counting in this process");
                    self.take_locally(bucket, per_minute).await
                }
            },
            None => self.take_locally(bucket, per_minute).await,
        };
        match waited {
            None => Ok(()),
            Some(retry_after) => {
                crate::metrics::record_rate_limited(client.class());
                Err(Limited { retry_after })
            }
        }
    }

    /// A token from this replica's lease of `bucket`, or from Redis (taking a new lease):
    /// `None` when there was one, else how long until there is.
    async fn take_shared(
        &self,
        redis: &Redis,
        bucket: &str,
        per_minute: u32,
    ) -> Result<Option<Duration>, crate::cache::redis::RedisFailure> {
        let lease = self
            .leases
            .get_with_by_ref(bucket, async {
                Arc::new(Mutex::new(Lease {
                    left: 0,
                    until: Instant::now(),
                }))
            })
            .await;
        {
            let mut l = lease
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if l.left > 0 && Instant::now() < l.until {
                l.left -= 1;
                return Ok(None);
            }
        }
        let want = (per_minute / 60).clamp(1, MAX_LEASE);
        match redis.take_tokens(bucket, per_minute, want, KEEP).await? {
            Ok(taken) => {
                let mut l = lease
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                l.left = taken.saturating_sub(1);
                l.until = Instant::now() + LEASE;
                Ok(None)
            }
            Err(wait) => Ok(Some(wait)),
        }
    }

    async fn take_locally(&self, bucket: String, per_minute: u32) -> Option<Duration> {
        let entry = self
            .local
            .get_with(bucket, async {
                Arc::new(Mutex::new(Bucket::full(per_minute, Instant::now())))
            })
            .await;
        let mut b = entry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        b.take(per_minute, Instant::now())
    }
}

/// A bucket counted in process, with the arithmetic of `bucket.lua`.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(per_minute: u32, now: Instant) -> Self {
        Self {
            tokens: f64::from(per_minute),
            at: now,
        }
    }

    /// Takes a token: `None` when there was one, else how long until there is.
    fn take(&mut self, per_minute: u32, now: Instant) -> Option<Duration> {
        let capacity = f64::from(per_minute);
        let per_ms = capacity / 60_000.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64() * 1e3;
        self.tokens = (self.tokens + elapsed * per_ms).min(capacity);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            let wait_ms = ((1.0 - self.tokens) / per_ms).ceil();
            Some(Duration::from_millis(wait_ms as u64))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_a_burst_then_the_rate() {
        let t0 = Instant::now();
        let mut b = Bucket::full(60, t0);
        for _ in 0..60 {
            assert_eq!(b.take(60, t0), None);
        }
        let wait = b.take(60, t0);
        assert_eq!(wait, Some(Duration::from_secs(1)));
        // Half a second later still empty; a second later one token is back, and only one.
        assert!(b.take(60, t0 + Duration::from_millis(500)).is_some());
        assert_eq!(b.take(60, t0 + Duration::from_millis(1000)), None);
        assert!(b.take(60, t0 + Duration::from_millis(1000)).is_some());
        // A long pause refills to the capacity, not beyond.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..60 {
            assert_eq!(b.take(60, later), None);
        }
        assert!(b.take(60, later).is_some());
    }

    #[test]
    fn waits_are_whole_seconds_rounded_up() {
        let ms = |n| Limited {
            retry_after: Duration::from_millis(n),
        };
        assert_eq!(ms(1).seconds(), 1);
        assert_eq!(ms(1000).seconds(), 1);
        assert_eq!(ms(1001).seconds(), 2);
        assert_eq!(ms(0).seconds(), 1);
    }
}
