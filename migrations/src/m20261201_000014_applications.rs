//! Applications to offers: a youth's, inside the platform (her message and a snapshot of her
//! profile, as JSON) or followed to the offer's source (`channel = outbound`, no status). One
//! application per youth and offer (a unique index), so two clicks at once record one. Notices
//! gain the application they are about (no foreign key: SQLite cannot add one to an existing
//! table; applications are never deleted but with their youth, whose notices go with her), and
//! the status a notice of a move announced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    OfferId,
    UserId,
    Channel,
    Status,
    Message,
    Profile,
    CreatedAt,
    StatusChangedAt,
}

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    ApplicationId,
    ApplicationStatus,
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
                    .table(Applications::Table)
                    .col(big_pk_auto(Applications::Id))
                    .col(big_integer(Applications::OfferId))
                    .col(big_integer(Applications::UserId))
                    .col(string_len(Applications::Channel, 20))
                    .col(string_len_null(Applications::Status, 20))
                    .col(text_null(Applications::Message))
                    .col(text_null(Applications::Profile))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .col(timestamp_with_time_zone(Applications::StatusChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Applications::Table, Applications::OfferId)
                            .to(Offers::Table, Offers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Applications::Table, Applications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_applications_offer_user")
                    .table(Applications::Table)
                    .col(Applications::OfferId)
                    .col(Applications::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A youth's applications, newest first; an offer's applicants, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_applications_user")
                    .table(Applications::Table)
                    .col(Applications::UserId)
                    .col(Applications::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_applications_offer")
                    .table(Applications::Table)
                    .col(Applications::OfferId)
                    .col(Applications::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notices::Table)
                    .add_column(big_integer_null(Notices::ApplicationId))
                    .to_owned(),
            )
            .await?;
        // The status a notice of a moved application announced (the application moves on).
        manager
            .alter_table(
                Table::alter()
                    .table(Notices::Table)
                    .add_column(string_len_null(Notices::ApplicationStatus, 20))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notices::Table)
                    .drop_column(Notices::ApplicationStatus)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notices::Table)
                    .drop_column(Notices::ApplicationId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Applications::Table).to_owned())
            .await
    }
}
