//! Notices: what the platform tells a user in the app when something changed under her (an
//! event she registered for called off or moved, a seat that came to her from the waiting list,
//! an appointment the center cancelled). A row is written in the transaction of the change, so a
//! change is never committed without its notices; e-mails are sent besides, once committed.
//!
//! `users.unread_notices` counts a user's notices not yet read, kept in the same transactions
//! (raised with each notice, set to zero when she reads them), so that the count the web app's
//! header shows comes with the account already read for every request.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    UserId,
    Kind,
    EventId,
    AppointmentId,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    UnreadNotices,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(integer(Users::UnreadNotices).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(big_pk_auto(Notices::Id))
                    .col(big_integer(Notices::UserId))
                    .col(string_len(Notices::Kind, 40))
                    .col(big_integer_null(Notices::EventId))
                    .col(big_integer_null(Notices::AppointmentId))
                    .col(timestamp_with_time_zone(Notices::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notices::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notices::Table, Notices::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notices::Table, Notices::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notices::Table, Notices::AppointmentId)
                            .to(Appointments::Table, Appointments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A user's notices, newest first, page by page.
        manager
            .create_index(
                Index::create()
                    .name("idx_notices_user_id")
                    .table(Notices::Table)
                    .col(Notices::UserId)
                    .col(Notices::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notices::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::UnreadNotices)
                    .to_owned(),
            )
            .await
    }
}
