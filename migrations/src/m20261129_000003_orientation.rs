//! The orientation assessment: reference occupations and growth sectors, drafts, results, and a
//! counselor's notes and action plan on each result.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// Which version of each embedded reference file the tables hold, so a new binary reloads them.
#[derive(DeriveIden)]
enum ReferenceVersions {
    Table,
    Name,
    Digest,
}

#[derive(DeriveIden)]
enum Occupations {
    Table,
    Isco08,
    TitleFr,
    TitleAr,
    TitleEn,
    JobZone,
    Realistic,
    Investigative,
    Artistic,
    Social,
    Enterprising,
    Conventional,
    Code,
}

#[derive(DeriveIden)]
enum Sectors {
    Table,
    Code,
    Position,
    NameFr,
    NameAr,
    NameEn,
    StrategyFr,
    StrategyAr,
    StrategyEn,
    DescriptionFr,
    DescriptionAr,
    DescriptionEn,
    Areas,
}

#[derive(DeriveIden)]
enum SectorOccupations {
    Table,
    SectorCode,
    Isco08,
}

#[derive(DeriveIden)]
enum OrientationDrafts {
    Table,
    UserId,
    InstrumentVersion,
    Answers,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrientationResults {
    Table,
    Id,
    UserId,
    InstrumentVersion,
    Answers,
    Realistic,
    Investigative,
    Artistic,
    Social,
    Enterprising,
    Conventional,
    Code,
    Flat,
    EducationLevel,
    MaxJobZone,
    Recommendations,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrientationNotes {
    Table,
    Id,
    ResultId,
    AuthorId,
    Body,
    Private,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlanSteps {
    Table,
    Id,
    ResultId,
    Title,
    DueOn,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
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
        use ForeignKeyAction::Cascade;
        manager
            .create_table(
                Table::create()
                    .table(ReferenceVersions::Table)
                    .col(string_len(ReferenceVersions::Name, 40).primary_key())
                    .col(string_len(ReferenceVersions::Digest, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Occupations::Table)
                    .col(string_len(Occupations::Isco08, 4).primary_key())
                    .col(string(Occupations::TitleFr))
                    .col(string(Occupations::TitleAr))
                    .col(string(Occupations::TitleEn))
                    .col(small_integer(Occupations::JobZone))
                    .col(double(Occupations::Realistic))
                    .col(double(Occupations::Investigative))
                    .col(double(Occupations::Artistic))
                    .col(double(Occupations::Social))
                    .col(double(Occupations::Enterprising))
                    .col(double(Occupations::Conventional))
                    .col(string_len(Occupations::Code, 3))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sectors::Table)
                    .col(string_len(Sectors::Code, 40).primary_key())
                    .col(integer(Sectors::Position))
                    .col(string(Sectors::NameFr))
                    .col(string(Sectors::NameAr))
                    .col(string(Sectors::NameEn))
                    .col(string(Sectors::StrategyFr))
                    .col(string(Sectors::StrategyAr))
                    .col(string(Sectors::StrategyEn))
                    .col(text(Sectors::DescriptionFr))
                    .col(text(Sectors::DescriptionAr))
                    .col(text(Sectors::DescriptionEn))
                    .col(string_len(Sectors::Areas, 6))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SectorOccupations::Table)
                    .col(string_len(SectorOccupations::SectorCode, 40))
                    .col(string_len(SectorOccupations::Isco08, 4))
                    .primary_key(
                        Index::create()
                            .col(SectorOccupations::SectorCode)
                            .col(SectorOccupations::Isco08),
                    )
                    .foreign_key(&mut fk(
                        (SectorOccupations::Table, SectorOccupations::SectorCode),
                        (Sectors::Table, Sectors::Code),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (SectorOccupations::Table, SectorOccupations::Isco08),
                        (Occupations::Table, Occupations::Isco08),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrientationDrafts::Table)
                    .col(big_integer(OrientationDrafts::UserId).primary_key())
                    .col(string_len(OrientationDrafts::InstrumentVersion, 40))
                    .col(text(OrientationDrafts::Answers))
                    .col(timestamp_with_time_zone(OrientationDrafts::UpdatedAt))
                    .foreign_key(&mut fk(
                        (OrientationDrafts::Table, OrientationDrafts::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrientationResults::Table)
                    .col(big_pk_auto(OrientationResults::Id))
                    .col(big_integer(OrientationResults::UserId))
                    .col(string_len(OrientationResults::InstrumentVersion, 40))
                    .col(text(OrientationResults::Answers))
                    .col(small_integer(OrientationResults::Realistic))
                    .col(small_integer(OrientationResults::Investigative))
                    .col(small_integer(OrientationResults::Artistic))
                    .col(small_integer(OrientationResults::Social))
                    .col(small_integer(OrientationResults::Enterprising))
                    .col(small_integer(OrientationResults::Conventional))
                    .col(string_len(OrientationResults::Code, 3))
                    .col(boolean(OrientationResults::Flat))
                    .col(string_len_null(OrientationResults::EducationLevel, 40))
                    .col(small_integer_null(OrientationResults::MaxJobZone))
                    .col(text(OrientationResults::Recommendations))
                    .col(timestamp_with_time_zone(OrientationResults::CreatedAt))
                    .foreign_key(&mut fk(
                        (OrientationResults::Table, OrientationResults::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orientation_results_user")
                    .table(OrientationResults::Table)
                    .col(OrientationResults::UserId)
                    .col(OrientationResults::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrientationNotes::Table)
                    .col(big_pk_auto(OrientationNotes::Id))
                    .col(big_integer(OrientationNotes::ResultId))
                    .col(big_integer(OrientationNotes::AuthorId))
                    .col(text(OrientationNotes::Body))
                    .col(boolean(OrientationNotes::Private))
                    .col(timestamp_with_time_zone(OrientationNotes::CreatedAt))
                    .foreign_key(&mut fk(
                        (OrientationNotes::Table, OrientationNotes::ResultId),
                        (OrientationResults::Table, OrientationResults::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (OrientationNotes::Table, OrientationNotes::AuthorId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orientation_notes_result")
                    .table(OrientationNotes::Table)
                    .col(OrientationNotes::ResultId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanSteps::Table)
                    .col(big_pk_auto(PlanSteps::Id))
                    .col(big_integer(PlanSteps::ResultId))
                    .col(string_len(PlanSteps::Title, 300))
                    .col(date_null(PlanSteps::DueOn))
                    .col(string_len(PlanSteps::Status, 20))
                    .col(big_integer(PlanSteps::CreatedBy))
                    .col(timestamp_with_time_zone(PlanSteps::CreatedAt))
                    .col(timestamp_with_time_zone(PlanSteps::UpdatedAt))
                    .col(timestamp_with_time_zone_null(PlanSteps::CompletedAt))
                    .foreign_key(&mut fk(
                        (PlanSteps::Table, PlanSteps::ResultId),
                        (OrientationResults::Table, OrientationResults::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PlanSteps::Table, PlanSteps::CreatedBy),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_steps_result")
                    .table(PlanSteps::Table)
                    .col(PlanSteps::ResultId)
                    .to_owned(),
            )
            .await
    }
}
