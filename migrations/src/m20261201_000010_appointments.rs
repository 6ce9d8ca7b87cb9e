//! Appointments with a counselor.
//!
//! `appointment_slots` are what a counselor offers (at her center, a site or online); an
//! `appointments` row is a youth's booking of one. A slot is held by at most one appointment
//! that is not cancelled: a partial unique index says so, so two youths booking the same slot at
//! the same moment cannot both succeed, on SQLite as on PostgreSQL. A counselor's slots never
//! overlap, nor do a youth's appointments: those are decided under a lock of the person's row
//! (`services::appointments`). `appointments.starts_at` copies the slot's (slots never move) so
//! that lists are ordered and paged without a join. `centers.cancellation_notice_hours` is how
//! long before the start a youth may still cancel herself.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppointmentSlots {
    Table,
    Id,
    CounselorId,
    CenterId,
    SiteId,
    OnlineUrl,
    StartsAt,
    EndsAt,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
    SlotId,
    YouthId,
    Status,
    StartsAt,
    Topic,
    CancelledBy,
    Outcome,
    OutcomeRecordedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
    CancellationNoticeHours,
}

#[derive(DeriveIden)]
enum CenterSites {
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
            .alter_table(
                Table::alter()
                    .table(Centers::Table)
                    .add_column(integer(Centers::CancellationNoticeHours).default(24))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AppointmentSlots::Table)
                    .col(big_pk_auto(AppointmentSlots::Id))
                    .col(big_integer(AppointmentSlots::CounselorId))
                    .col(big_integer(AppointmentSlots::CenterId))
                    .col(big_integer_null(AppointmentSlots::SiteId))
                    .col(string_len_null(AppointmentSlots::OnlineUrl, 500))
                    .col(timestamp_with_time_zone(AppointmentSlots::StartsAt))
                    .col(timestamp_with_time_zone(AppointmentSlots::EndsAt))
                    .col(string_len(AppointmentSlots::Status, 20))
                    .col(timestamp_with_time_zone(AppointmentSlots::CreatedAt))
                    .col(timestamp_with_time_zone(AppointmentSlots::UpdatedAt))
                    .check(
                        Expr::col(AppointmentSlots::EndsAt)
                            .gt(Expr::col(AppointmentSlots::StartsAt)),
                    )
                    .foreign_key(&mut fk(
                        (AppointmentSlots::Table, AppointmentSlots::CounselorId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (AppointmentSlots::Table, AppointmentSlots::CenterId),
                        (Centers::Table, Centers::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (AppointmentSlots::Table, AppointmentSlots::SiteId),
                        (CenterSites::Table, CenterSites::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointment_slots_center_starts")
                    .table(AppointmentSlots::Table)
                    .col(AppointmentSlots::CenterId)
                    .col(AppointmentSlots::StartsAt)
                    .col(AppointmentSlots::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointment_slots_counselor_starts")
                    .table(AppointmentSlots::Table)
                    .col(AppointmentSlots::CounselorId)
                    .col(AppointmentSlots::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Appointments::Table)
                    .col(big_pk_auto(Appointments::Id))
                    .col(big_integer(Appointments::SlotId))
                    .col(big_integer(Appointments::YouthId))
                    .col(string_len(Appointments::Status, 20))
                    .col(timestamp_with_time_zone(Appointments::StartsAt))
                    .col(string_len_null(Appointments::Topic, 500))
                    .col(string_len_null(Appointments::CancelledBy, 20))
                    .col(text_null(Appointments::Outcome))
                    .col(timestamp_with_time_zone_null(
                        Appointments::OutcomeRecordedAt,
                    ))
                    .col(timestamp_with_time_zone(Appointments::CreatedAt))
                    .col(timestamp_with_time_zone(Appointments::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Appointments::Table, Appointments::SlotId),
                        (AppointmentSlots::Table, AppointmentSlots::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Appointments::Table, Appointments::YouthId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One live appointment per slot, whatever the concurrency: written by hand, as both
        // databases spell a partial index the same way.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_appointments_slot_live ON appointments (slot_id) \
                 WHERE status <> 'cancelled'",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointments_youth_starts")
                    .table(Appointments::Table)
                    .col(Appointments::YouthId)
                    .col(Appointments::StartsAt)
                    .col(Appointments::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Appointments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AppointmentSlots::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Centers::Table)
                    .drop_column(Centers::CancellationNoticeHours)
                    .to_owned(),
            )
            .await
    }
}
