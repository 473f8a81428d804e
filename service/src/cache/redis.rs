//! Redis, the cache shared by every replica: connected lazily, every call bounded by a short
//! timeout, so that the service starts and keeps serving while Redis is down or slow (a call
//! that fails or times out is an error the caller treats as a miss).

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// How long any Redis call may take before it counts as a miss or failure.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(300);

/// A lazily connected Redis with a key prefix.
#[derive(Clone)]
pub struct Redis {
    conn: ConnectionManager,
    prefix: String,
}

impl Redis {
    /// Prepares a connection to `url`; nothing is sent until the first command.
    pub fn connect_lazy(url: &str, prefix: &str) -> redis::RedisResult<Self> {
        let cfg = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let conn = ConnectionManager::new_lazy_with_config(redis::Client::open(url)?, cfg)?;
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
        })
    }

    /// The full key for `key` under this deployment's prefix.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Whether Redis answers a PING within the timeout.
    pub async fn ping(&self) -> bool {
        let mut c = self.conn.clone();
        let cmd = redis::cmd("PING");
        let ping = cmd.query_async::<String>(&mut c);
        matches!(tokio::time::timeout(REDIS_TIMEOUT, ping).await, Ok(Ok(_)))
    }

    /// Runs `cmd` within the timeout.
    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T, RedisFailure> {
        let mut c = self.conn.clone();
        bounded(cmd.query_async::<T>(&mut c)).await
    }

    /// The value at `key`, if any.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RedisFailure> {
        self.run(redis::cmd("GET").arg(self.key(key)).to_owned())
            .await
    }

    /// Stores `value` at `key` for `ttl`.
    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisFailure> {
        let cmd = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX))
            .to_owned();
        self.run::<()>(cmd).await
    }

    /// The integers in fields `fields` of the hash at `key` (`None` where a field is missing),
    /// in one round trip.
    pub async fn hash_get(
        &self,
        key: &str,
        fields: &[&str],
    ) -> Result<Vec<Option<u64>>, RedisFailure> {
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(self.key(key));
        for f in fields {
            cmd.arg(*f);
        }
        self.run(cmd).await
    }

    /// Sets `field` of the hash at `key` to `value`; only when it has none with `only_new`.
    pub async fn hash_set(
        &self,
        key: &str,
        field: &str,
        value: u64,
        only_new: bool,
    ) -> Result<(), RedisFailure> {
        let verb = if only_new { "HSETNX" } else { "HSET" };
        let cmd = redis::cmd(verb)
            .arg(self.key(key))
            .arg(field)
            .arg(value)
            .to_owned();
        self.run::<()>(cmd).await
    }

    /// Adds one to the integers in `fields` of the hash at `key` and reads `also`, as one
    /// transaction in one round trip: the new integers, and `also`'s value after them.
    pub async fn hash_increment(
        &self,
        key: &str,
        fields: &[&str],
        also: &str,
    ) -> Result<(Vec<u64>, Option<u64>), RedisFailure> {
        let key = self.key(key);
        let mut pipe = redis::pipe();
        pipe.atomic();
        for f in fields {
            pipe.cmd("HINCRBY").arg(&key).arg(*f).arg(1);
        }
        pipe.cmd("HGET").arg(&key).arg(also);
        let mut c = self.conn.clone();
        let mut values: Vec<redis::Value> = bounded(pipe.query_async(&mut c)).await?;
        let last = values.pop().unwrap_or(redis::Value::Nil);
        let also = redis::from_redis_value::<Option<u64>>(last)
            .map_err(|e| RedisFailure(e.to_string()))?;
        let moved = values
            .into_iter()
            .map(|v| redis::from_redis_value::<u64>(v).map_err(|e| RedisFailure(e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok((moved, also))
    }

    /// Takes up to `want` tokens (at least one) from the bucket at `key` of `per_minute`
    /// tokens (refilled at that rate), kept for `keep` after its last use: `Ok(n)` with the
    /// tokens taken, or `Err` with how long until there is one.
    pub async fn take_tokens(
        &self,
        key: &str,
        per_minute: u32,
        want: u32,
        keep: Duration,
    ) -> Result<Result<u32, Duration>, RedisFailure> {
        let mut c = self.conn.clone();
        let mut call = BUCKET.key(self.key(key));
        call.arg(per_minute)
            .arg(u64::try_from(keep.as_millis()).unwrap_or(u64::MAX))
            .arg(want);
        Ok(
            match bounded(call.invoke_async::<(u32, u64)>(&mut c)).await? {
                (0, wait) => Err(Duration::from_millis(wait)),
                (taken, _) => Ok(taken),
            },
        )
    }
}

/// The token bucket script of the rate limits (`rate/bucket.lua`); sent once, then run by its
/// hash.
static BUCKET: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(include_str!("../rate/bucket.lua")));

/// `call`'s answer, or a failure when it fails or takes longer than [`REDIS_TIMEOUT`].
async fn bounded<T>(call: impl Future<Output = redis::RedisResult<T>>) -> Result<T, RedisFailure> {
    match tokio::time::timeout(REDIS_TIMEOUT, call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(RedisFailure(e.to_string())),
        Err(_) => Err(RedisFailure("timed out".into())),
    }
}

/// A Redis call that failed or took too long.
#[derive(Debug, Clone)]
pub struct RedisFailure(pub String);
