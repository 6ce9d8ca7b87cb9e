//! When an offer was last put live on the platform (`listed_at`): created live, approved by an
//! admin, its organisation verified, or back after a withdrawal or expiry. A saved search's
//! "new since the last visit" counts by it, not by the publication date the offer carries
//! (an offer approved two days after it was written, or pushed with its board's older date,
//! is new to the youths when it appears here). Offers already there take their publication
//! date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Offers {
    Table,
    ListedAt,
    PostedAt,
    Status,
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
                    .add_column(timestamp_with_time_zone_null(Offers::ListedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Offers::Table)
                    .value(Offers::ListedAt, Expr::col(Offers::PostedAt))
                    .and_where(Expr::col(Offers::Status).is_in(["live", "expired"]))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Offers::Table)
                    .drop_column(Offers::ListedAt)
                    .to_owned(),
            )
            .await
    }
}
