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
        Command::Apikey { action } => apikey(&config, action).await,
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

/// `haven apikey create|list|revoke`.
async fn apikey(config: &crate::Config, action: ApikeyAction) -> anyhow::Result<()> {
    db::migrate(config, MigrationStep::Up).await?;
    let conn = db::connect(config).await?;
    match action {
        ApikeyAction::Create {
            partner,
            scopes,
            networks,
        } => {
            let key = db::partners::create_key(&conn, partner, scopes, &networks).await?;
            println!("{key}");
        }
        ApikeyAction::List => {
            println!("id\tprefix\tpartner\tscopes\tnetworks\tcreated\trevoked");
            for k in db::partners::list_keys(&conn).await? {
                let networks: Vec<String> = k.networks.iter().map(ToString::to_string).collect();
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    k.key.id,
                    k.key.key_prefix,
                    k.partner,
                    k.key.scopes.0.join(","),
                    if networks.is_empty() {
                        "all".into()
                    } else {
                        networks.join(",")
                    },
                    k.key.created_at.format("%Y-%m-%d %H:%M"),
                    k.key
                        .revoked_at
                        .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
                );
            }
        }
        ApikeyAction::Revoke { key } => {
            let id = db::partners::revoke_key(&conn, &key).await?;
            // Replicas keep key lookups cached by generation: move the shared one, so that
            // every replica refuses the key at once. (Without Redis, replicas cache no key
            // lookup: each reads the database.)
            if let Some(url) = &config.redis_url {
                let redis = crate::cache::Redis::connect_lazy(url, &config.redis_prefix)?;
                crate::cache::move_shared(
                    &redis,
                    &std::collections::BTreeSet::from(["partner_api_key"]),
                )
                .await
                .map_err(|e| anyhow::anyhow!("revoked, but Redis was not told: {}", e.0))?;
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}
