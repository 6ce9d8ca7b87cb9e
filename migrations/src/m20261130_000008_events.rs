//! Events and the youths' registrations to them.
//!
//! `events.registered` counts the seats taken. Every change to an event's registrations first
//! locks the event's row (`services::events`), so seats are given one request at a time per
//! event; the check `registered <= capacity` is the last guard. The waitlist is the
//! `waitlisted` registrations in id order (arrival order).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Kind,
    Status,
    TitleFr,
    TitleAr,
    TitleEn,
    DescriptionFr,
    DescriptionAr,
    DescriptionEn,
    StartsAt,
    EndsAt,
    CenterId,
    SiteId,
    OrganizationId,
    OnlineUrl,
    Address,
    City,
    Capacity,
    Registered,
    RegistrationOpensAt,
    RegistrationClosesAt,
    Audience,
    Areas,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

/// No foreign key to `sectors`: the growth sectors are reloaded (deleted and inserted again)
/// when their data changes, and an event keeps the codes it named; they are checked when written.
#[derive(DeriveIden)]
enum EventSectors {
    Table,
    EventId,
    SectorCode,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    EventId,
    UserId,
    Status,
    Code,
    CheckedInAt,
    CertificateCode,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CenterSites {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(big_pk_auto(Events::Id))
                    .col(string_len(Events::Kind, 40))
                    .col(string_len(Events::Status, 20))
                    .col(string_len_null(Events::TitleFr, 200))
                    .col(string_len_null(Events::TitleAr, 200))
                    .col(string_len_null(Events::TitleEn, 200))
                    .col(text_null(Events::DescriptionFr))
                    .col(text_null(Events::DescriptionAr))
                    .col(text_null(Events::DescriptionEn))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(big_integer_null(Events::CenterId))
                    .col(big_integer_null(Events::SiteId))
                    .col(big_integer_null(Events::OrganizationId))
                    .col(string_len_null(Events::OnlineUrl, 500))
                    .col(string_len_null(Events::Address, 200))
                    .col(string_len_null(Events::City, 200))
                    .col(integer(Events::Capacity))
                    .col(integer(Events::Registered).default(0))
                    .col(timestamp_with_time_zone_null(Events::RegistrationOpensAt))
                    .col(timestamp_with_time_zone_null(Events::RegistrationClosesAt))
                    .col(string_len(Events::Audience, 20))
                    .col(string_len(Events::Areas, 6))
                    .col(big_integer_null(Events::CreatedBy))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .check(Expr::col(Events::Registered).lte(Expr::col(Events::Capacity)))
                    .check(Expr::col(Events::Registered).gte(0))
                    .foreign_key(&mut fk(
                        (Events::Table, Events::CenterId),
                        (Centers::Table, Centers::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Events::Table, Events::SiteId),
                        (CenterSites::Table, CenterSites::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Events::Table, Events::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Events::Table, Events::CreatedBy),
                        (Users::Table, Users::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_starts_at")
                    .table(Events::Table)
                    .col(Events::StartsAt)
                    .col(Events::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventSectors::Table)
                    .col(big_integer(EventSectors::EventId))
                    .col(string_len(EventSectors::SectorCode, 40))
                    .primary_key(
                        Index::create()
                            .col(EventSectors::EventId)
                            .col(EventSectors::SectorCode),
                    )
                    .foreign_key(&mut fk(
                        (EventSectors::Table, EventSectors::EventId),
                        (Events::Table, Events::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(big_pk_auto(Registrations::Id))
                    .col(big_integer(Registrations::EventId))
                    .col(big_integer(Registrations::UserId))
                    .col(string_len(Registrations::Status, 20))
                    .col(string_len(Registrations::Code, 16))
                    .col(timestamp_with_time_zone_null(Registrations::CheckedInAt))
                    .col(string_len_null(Registrations::CertificateCode, 24))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Registrations::Table, Registrations::EventId),
                        (Events::Table, Events::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Registrations::Table, Registrations::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One registration per youth and event: a second request at the same moment is refused
        // by the database, not by a read that both could pass.
        manager
            .create_index(
                Index::create()
                    .name("idx_registrations_event_user")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The check-in code shown as a QR code: random, and one registration's only.
        manager
            .create_index(
                Index::create()
                    .name("idx_registrations_code")
                    .table(Registrations::Table)
                    .col(Registrations::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A certificate is checked by anyone from its code alone.
        manager
            .create_index(
                Index::create()
                    .name("idx_registrations_certificate_code")
                    .table(Registrations::Table)
                    .col(Registrations::CertificateCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registrations_event_status")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::Status)
                    .col(Registrations::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registrations_user")
                    .table(Registrations::Table)
                    .col(Registrations::UserId)
                    .col(Registrations::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Registrations::Table.into_iden(),
            EventSectors::Table.into_iden(),
            Events::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
