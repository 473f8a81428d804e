//! The shared cache backend: Redis when `REDIS_URL` is set, otherwise nothing outside the
//! process. Redis is connected lazily and every call is bounded by a short timeout, so the
//! service starts and keeps serving while Redis is down.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// How long any Redis call may take before it counts as a miss or failure.
const REDIS_TIMEOUT: Duration = Duration::from_millis(300);

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
}
