//! Offers: jobs, internships and immersions, posted by employers in the web app or pushed by
//! partners over the API (upserted by their own `external_id`).
//!
//! The description is kept twice: sanitised HTML (what a page shows) and its plain-text twin
//! (what search and previews read). `content_hash` digests what a partner sent, so that the
//! same offer pushed again is recognised as unchanged without comparing every column. An
//! organisation's external ids are unique (`idx_offers_org_external`); rows without one (posted
//! in the app) are not concerned, as both databases let NULLs repeat in a unique index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
    OrganizationId,
    EmployerName,
    Kind,
    Internship,
    Contract,
    Title,
    DescriptionHtml,
    DescriptionText,
    CommuneCode,
    RegionCode,
    Remote,
    SectorCode,
    Isco08,
    Education,
    ExperienceYears,
    SalaryMin,
    SalaryMax,
    PostedAt,
    ExpiresAt,
    Source,
    ExternalId,
    Url,
    ApplyInPlatform,
    Status,
    ContentHash,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
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
            .create_table(
                Table::create()
                    .table(Offers::Table)
                    .col(big_pk_auto(Offers::Id))
                    .col(big_integer_null(Offers::OrganizationId))
                    .col(string_len(Offers::EmployerName, 200))
                    .col(string_len(Offers::Kind, 20))
                    .col(string_len_null(Offers::Internship, 20))
                    .col(string_len_null(Offers::Contract, 20))
                    .col(string_len(Offers::Title, 200))
                    .col(text(Offers::DescriptionHtml))
                    .col(text(Offers::DescriptionText))
                    .col(string_len_null(Offers::CommuneCode, 20))
                    .col(string_len_null(Offers::RegionCode, 10))
                    .col(boolean(Offers::Remote).default(false))
                    .col(string_len_null(Offers::SectorCode, 40))
                    .col(string_len_null(Offers::Isco08, 4))
                    .col(string_len_null(Offers::Education, 20))
                    .col(integer_null(Offers::ExperienceYears))
                    .col(integer_null(Offers::SalaryMin))
                    .col(integer_null(Offers::SalaryMax))
                    .col(timestamp_with_time_zone(Offers::PostedAt))
                    .col(timestamp_with_time_zone(Offers::ExpiresAt))
                    .col(string_len(Offers::Source, 40))
                    .col(string_len_null(Offers::ExternalId, 200))
                    .col(string_len_null(Offers::Url, 500))
                    .col(boolean(Offers::ApplyInPlatform).default(true))
                    .col(string_len(Offers::Status, 20))
                    .col(string_len(Offers::ContentHash, 64))
                    .col(big_integer_null(Offers::CreatedBy))
                    .col(timestamp_with_time_zone(Offers::CreatedAt))
                    .col(timestamp_with_time_zone(Offers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Offers::Table, Offers::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_org_external")
                    .table(Offers::Table)
                    .col(Offers::OrganizationId)
                    .col(Offers::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Live offers, newest first; an organisation's own, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_status_posted")
                    .table(Offers::Table)
                    .col(Offers::Status)
                    .col(Offers::PostedAt)
                    .col(Offers::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_org_posted")
                    .table(Offers::Table)
                    .col(Offers::OrganizationId)
                    .col(Offers::PostedAt)
                    .col(Offers::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Offers::Table).to_owned())
            .await
    }
}
