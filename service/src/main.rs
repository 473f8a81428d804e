//! The `haven` binary: parse the command line, set up logging, run the subcommand.

use clap::Parser;
use haven::config::Cli;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    haven::telemetry::init(&cli.config.log);
    match haven::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, no panic and no backtrace.
            eprintln!("haven: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
