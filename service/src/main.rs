//! The `haven` binary: parse the command line, set up logging, run the subcommand.

use clap::Parser;
use haven::config::Cli;
use std::process::ExitCode;
use std::time::Duration;

/// jemalloc instead of glibc's allocator: a GraphQL response is built from many small
/// short-lived allocations, where glibc's `malloc`/`free` took a third of the CPU and kept freed
/// memory. Its options (a background thread returning freed pages within a second) are built in
/// from `.cargo/config.toml`. Measured against glibc and mimalloc in BENCHMARKS.md, "Allocator".
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    haven::telemetry::init(&cli.config.log, cli.config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("haven: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(haven::cli::run(cli));
    // Whatever is still running after the shutdown grace period (a request stuck in the
    // database, a blocking task) must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, no panic and no backtrace.
            eprintln!("haven: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
