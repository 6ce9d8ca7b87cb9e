//! Offers gathered from elsewhere: the sources an admin configures (a board's feed, a partner's
//! file) or a file imported from the command line, each run of a source with what it did, and
//! on each gathered offer its source and what the normaliser read of it.
//!
//! A gathered offer has no organisation; it is identified by its source and the source's own id
//! (`idx_offers_source_external`): offers of organisations carry no source id, and both
//! databases let NULLs repeat in a unique index. A run records how far it read (`position`,
//! records) in the same transaction as the offers it wrote, so an import cut short resumes
//! where its last write ended; `file_digest` tells whether the file is still the same one. A
//! run in progress holds a lease (`leased_until`, moved on by each chunk): a second import of
//! the same file meanwhile is refused, and one whose process died is taken over once its lease
//! has run out.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IngestSources {
    Table,
    Id,
    Name,
    Kind,
    Url,
    Columns,
    EveryMinutes,
    Enabled,
    Etag,
    LastModified,
    Failures,
    NextPollAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IngestRuns {
    Table,
    Id,
    SourceId,
    StartedAt,
    FinishedAt,
    Status,
    LeasedUntil,
    FileDigest,
    Position,
    Fetched,
    Created,
    Updated,
    Unchanged,
    Duplicates,
    Rejected,
    Reasons,
    Error,
}

#[derive(DeriveIden)]
enum Offers {
    Table,
    IngestSourceId,
    ExternalId,
    Readings,
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
                    .table(IngestSources::Table)
                    .col(big_pk_auto(IngestSources::Id))
                    .col(string_len_uniq(IngestSources::Name, 100))
                    .col(string_len(IngestSources::Kind, 20))
                    .col(string_len_null(IngestSources::Url, 1000))
                    .col(text_null(IngestSources::Columns))
                    .col(integer_null(IngestSources::EveryMinutes))
                    .col(boolean(IngestSources::Enabled).default(true))
                    .col(string_len_null(IngestSources::Etag, 200))
                    .col(string_len_null(IngestSources::LastModified, 100))
                    .col(integer(IngestSources::Failures).default(0))
                    .col(timestamp_with_time_zone_null(IngestSources::NextPollAt))
                    .col(big_integer_null(IngestSources::CreatedBy))
                    .col(timestamp_with_time_zone(IngestSources::CreatedAt))
                    .col(timestamp_with_time_zone(IngestSources::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IngestRuns::Table)
                    .col(big_pk_auto(IngestRuns::Id))
                    .col(big_integer(IngestRuns::SourceId))
                    .col(timestamp_with_time_zone(IngestRuns::StartedAt))
                    .col(timestamp_with_time_zone_null(IngestRuns::FinishedAt))
                    .col(string_len(IngestRuns::Status, 20))
                    .col(timestamp_with_time_zone_null(IngestRuns::LeasedUntil))
                    .col(string_len_null(IngestRuns::FileDigest, 64))
                    .col(big_integer(IngestRuns::Position).default(0))
                    .col(integer(IngestRuns::Fetched).default(0))
                    .col(integer(IngestRuns::Created).default(0))
                    .col(integer(IngestRuns::Updated).default(0))
                    .col(integer(IngestRuns::Unchanged).default(0))
                    .col(integer(IngestRuns::Duplicates).default(0))
                    .col(integer(IngestRuns::Rejected).default(0))
                    .col(text(IngestRuns::Reasons))
                    .col(text_null(IngestRuns::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IngestRuns::Table, IngestRuns::SourceId)
                            .to(IngestSources::Table, IngestSources::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ingest_runs_source_started")
                    .table(IngestRuns::Table)
                    .col(IngestRuns::SourceId)
                    .col(IngestRuns::StartedAt)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Offers::Table)
                    .add_column(big_integer_null(Offers::IngestSourceId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Offers::Table)
                    .add_column(text_null(Offers::Readings))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_source_external")
                    .table(Offers::Table)
                    .col(Offers::IngestSourceId)
                    .col(Offers::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_offers_source_external")
                    .table(Offers::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Offers::Readings, Offers::IngestSourceId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Offers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(IngestRuns::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(IngestSources::Table).to_owned())
            .await
    }
}
