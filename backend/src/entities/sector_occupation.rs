use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sector_occupations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sector_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub isco08: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
