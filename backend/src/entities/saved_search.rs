use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_searches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// JSON of `shared::dto::saved::SearchCriteria`, as its canonical serialisation writes it.
    #[sea_orm(column_type = "Text")]
    pub criteria: String,
    pub created_at: DateTimeUtc,
    /// When she last opened it: offers posted since are "new".
    pub visited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
