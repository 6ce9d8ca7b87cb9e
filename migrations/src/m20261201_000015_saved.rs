//! What a user keeps of the offers: offers she saved (one row per user and offer, a unique
//! index) and searches she saved (their criteria as canonical JSON, unique per user, so the
//! same search saved twice at once is one row), with the moment she last opened each, from
//! which "new since your last visit" is counted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedOffers {
    Table,
    Id,
    UserId,
    OfferId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SavedSearches {
    Table,
    Id,
    UserId,
    Criteria,
    CreatedAt,
    VisitedAt,
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
                    .table(SavedOffers::Table)
                    .col(big_pk_auto(SavedOffers::Id))
                    .col(big_integer(SavedOffers::UserId))
                    .col(big_integer(SavedOffers::OfferId))
                    .col(timestamp_with_time_zone(SavedOffers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedOffers::Table, SavedOffers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedOffers::Table, SavedOffers::OfferId)
                            .to(Offers::Table, Offers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_offers_user_offer")
                    .table(SavedOffers::Table)
                    .col(SavedOffers::UserId)
                    .col(SavedOffers::OfferId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SavedSearches::Table)
                    .col(big_pk_auto(SavedSearches::Id))
                    .col(big_integer(SavedSearches::UserId))
                    .col(text(SavedSearches::Criteria))
                    .col(timestamp_with_time_zone(SavedSearches::CreatedAt))
                    .col(timestamp_with_time_zone(SavedSearches::VisitedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedSearches::Table, SavedSearches::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_searches_user_criteria")
                    .table(SavedSearches::Table)
                    .col(SavedSearches::UserId)
                    .col(SavedSearches::Criteria)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedSearches::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SavedOffers::Table).to_owned())
            .await
    }
}
