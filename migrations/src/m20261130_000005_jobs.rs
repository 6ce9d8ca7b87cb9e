//! Background jobs and lifetimes: the lease each job takes so that one instance runs it at a
//! time, the start of each session (for its absolute lifetime), and an optional expiry on API
//! keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Owner,
    LeasedUntil,
    LastStartedAt,
    LastFinishedAt,
    LastOutcome,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    SessionStartedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len_null(JobLeases::Owner, 64))
                    .col(timestamp_with_time_zone_null(JobLeases::LeasedUntil))
                    .col(timestamp_with_time_zone_null(JobLeases::LastStartedAt))
                    .col(timestamp_with_time_zone_null(JobLeases::LastFinishedAt))
                    .col(text_null(JobLeases::LastOutcome))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement, and only with a constant default: the column
        // is nullable, filled for the sessions that exist, and always written from now on.
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshTokens::Table)
                    .add_column(timestamp_with_time_zone_null(
                        RefreshTokens::SessionStartedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(RefreshTokens::Table)
                    .value(
                        RefreshTokens::SessionStartedAt,
                        Expr::col(RefreshTokens::CreatedAt),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiKeys::Table)
                    .add_column(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiKeys::Table)
                    .drop_column(ApiKeys::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshTokens::Table)
                    .drop_column(RefreshTokens::SessionStartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(JobLeases::Table).to_owned())
            .await
    }
}
