//! Folded search text: each searchable row keeps its names folded (case, accents, Arabic
//! hamza forms and diacritics removed) in `search_text`, written by the server, so a search
//! compares the same bytes on SQLite and PostgreSQL. The server fills the column for existing
//! rows at its next start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    SearchText,
}

#[derive(DeriveIden)]
enum Occupations {
    Table,
    SearchText,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    SearchText,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    SearchText,
}

fn tables() -> [(DynIden, DynIden, &'static str); 4] {
    [
        (
            Users::Table.into_iden(),
            Users::SearchText.into_iden(),
            "idx_users_search_text",
        ),
        (
            Occupations::Table.into_iden(),
            Occupations::SearchText.into_iden(),
            "idx_occupations_search_text",
        ),
        (
            Organizations::Table.into_iden(),
            Organizations::SearchText.into_iden(),
            "idx_organizations_search_text",
        ),
        (
            Centers::Table.into_iden(),
            Centers::SearchText.into_iden(),
            "idx_centers_search_text",
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, index) in tables() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .add_column(text_null(column.clone()))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(index)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, index) in tables() {
            manager
                .drop_index(Index::drop().name(index).table(table.clone()).to_owned())
                .await?;
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
