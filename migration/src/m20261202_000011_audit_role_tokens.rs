//! Audit entries name the actor's role as tokens and the API spell it (`CITY_COORDINATOR`),
//! not as the service's Rust names (`CityCoordinator`) that entries were first written with.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (as first written, as tokens spell it)
const ROLES: [(&str, &str); 5] = [
    ("Member", "MEMBER"),
    ("GroupLead", "GROUP_LEAD"),
    ("CityCoordinator", "CITY_COORDINATOR"),
    ("NetworkCoordinator", "NETWORK_COORDINATOR"),
    ("Admin", "ADMIN"),
];

/// Renames every entry's role `from` to `to`.
async fn rename(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    let role = Alias::new("actor_role");
    manager
        .exec_stmt(
            Query::update()
                .table(Alias::new("audit_log"))
                .value(role.clone(), to)
                .and_where(Expr::col(role).eq(from))
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, token) in ROLES {
            rename(manager, old, token).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, token) in ROLES {
            rename(manager, token, old).await?;
        }
        Ok(())
    }
}
