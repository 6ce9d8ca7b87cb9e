use sea_orm::entity::prelude::*;

/// One of an offer's locality-sensitive keys (`dedup::similar::Print::bands`): offers sharing
/// a key may be the same vacancy.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offer_bands")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub band: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub offer_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
