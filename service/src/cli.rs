//! The subcommands of the `haven` binary.

use crate::app::{App, shutdown_signal};
use crate::config::{ApikeyAction, Cli, Command, MigrateAction, SeedArgs};
use crate::db::{self, MigrationStep};
use crate::{graphql, seed};

/// Runs the subcommand of `cli` (`serve` when none is given).
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = App::build(config).await?;
            tracing::info!(addr = %app.local_addr(), "haven is serving GraphQL at /graphql");
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Migrate { action } => match action {
            MigrateAction::Up => Ok(db::migrate(&config, MigrationStep::Up).await?),
            MigrateAction::Down => Ok(db::migrate(&config, MigrationStep::Down).await?),
            MigrateAction::Status => {
                for (name, applied) in db::migration_status(&config).await? {
                    println!("{} {name}", if applied { "applied" } else { "pending" });
                }
                Ok(())
            }
        },
        Command::Seed(args) => run_seed(&config, &args).await,
        Command::Apikey {
            action: ApikeyAction::Create { partner, scopes },
        } => {
            db::migrate(&config, MigrationStep::Up).await?;
            let conn = db::connect(&config).await?;
            println!(
                "{}",
                db::partners::create_key(&conn, partner, scopes).await?
            );
            Ok(())
        }
        Command::Token(args) => {
            let claims = crate::auth::Claims {
                sub: args.volunteer,
                network: args.network,
                city: args.city,
                groups: args.groups,
                ..crate::auth::Claims::new(args.role)
            };
            println!("{}", config.authenticator()?.issue(claims, args.ttl)?);
            Ok(())
        }
        Command::ExportSchema {
            output,
            router_auth,
        } => {
            let sdl = if router_auth {
                graphql::export_sdl_router_auth()
            } else {
                graphql::export_sdl()
            };
            match output {
                Some(path) => std::fs::write(&path, sdl)?,
                None => print!("{sdl}"),
            }
            Ok(())
        }
    }
}

async fn run_seed(config: &crate::Config, args: &SeedArgs) -> anyhow::Result<()> {
    db::migrate(config, MigrationStep::Up).await?;
    // Seeding the bench set runs statements far longer than a request's.
    let mut unbounded = config.clone();
    unbounded.db_statement_timeout_ms = 0;
    let conn = db::connect(&unbounded).await?;
    if args.demo {
        if !seed::is_empty(&conn).await? {
            anyhow::bail!(
                "the database already holds data; the demo set goes into an empty database"
            );
        }
        let counts = seed::demo::seed(&conn).await?;
        for (table, n) in counts.iter() {
            println!("{table:<22} {n:>9}");
        }
    } else {
        seed::bench::seed(&conn, args.scale).await?;
    }
    Ok(())
}
