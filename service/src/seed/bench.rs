//! Generated data for benchmarks: linear in `--scale`, skewed like the real thing (a few large
//! towns, many small ones). Rows are written in multi-row statements; the rate per table is
//! printed as it goes.

use anyhow::Context as _;
use sea_orm::DatabaseConnection;

/// Seeds the benchmark set at `scale` and prints rows per second for each table.
pub async fn seed(_db: &DatabaseConnection, scale: f64) -> anyhow::Result<()> {
    anyhow::ensure!(scale > 0.0, "--scale must be positive");
    Err(anyhow::anyhow!("not built yet")).context("bench seed")
}
