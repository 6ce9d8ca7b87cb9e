//! Reports of offers: anyone signed in tells the admins that an offer is a scam, discriminates
//! or has ended. One report per person and offer (a unique index), so a report cannot be
//! counted twice; `resolved_at` is set when an admin dismisses it or removes the offer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OfferReports {
    Table,
    Id,
    OfferId,
    UserId,
    Reason,
    Comment,
    CreatedAt,
    ResolvedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OfferReports::Table)
                    .col(big_pk_auto(OfferReports::Id))
                    .col(big_integer(OfferReports::OfferId))
                    .col(big_integer(OfferReports::UserId))
                    .col(string_len(OfferReports::Reason, 20))
                    .col(text_null(OfferReports::Comment))
                    .col(timestamp_with_time_zone(OfferReports::CreatedAt))
                    .col(timestamp_with_time_zone_null(OfferReports::ResolvedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfferReports::Table, OfferReports::OfferId)
                            .to(Offers::Table, Offers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfferReports::Table, OfferReports::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offer_reports_offer_user")
                    .table(OfferReports::Table)
                    .col(OfferReports::OfferId)
                    .col(OfferReports::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OfferReports::Table).to_owned())
            .await
    }
}
