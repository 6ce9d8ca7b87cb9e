//! De-duplication: every offer belongs to a cluster (`offers.cluster_id`, the id of the offer
//! that started it), the offers that are the same vacancy; and each offer's locality-sensitive
//! keys (`offer_bands`), under which a new offer finds the offers that may be the same vacancy
//! without comparing it with all of them. An offer not yet placed has no cluster: the
//! background job places it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
    ClusterId,
}

#[derive(DeriveIden)]
enum OfferBands {
    Table,
    Band,
    OfferId,
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
                    .table(Offers::Table)
                    .add_column(big_integer_null(Offers::ClusterId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offers_cluster")
                    .table(Offers::Table)
                    .col(Offers::ClusterId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfferBands::Table)
                    .col(big_integer(OfferBands::Band))
                    .col(big_integer(OfferBands::OfferId))
                    .primary_key(
                        Index::create()
                            .col(OfferBands::Band)
                            .col(OfferBands::OfferId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfferBands::Table, OfferBands::OfferId)
                            .to(Offers::Table, Offers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offer_bands_offer")
                    .table(OfferBands::Table)
                    .col(OfferBands::OfferId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OfferBands::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_offers_cluster")
                    .table(Offers::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Offers::Table)
                    .drop_column(Offers::ClusterId)
                    .to_owned(),
            )
            .await
    }
}
