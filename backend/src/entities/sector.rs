use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Order of the reference file, so lists read the same every time.
    pub position: i32,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub strategy_fr: String,
    pub strategy_ar: String,
    pub strategy_en: String,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    /// RIASEC letters, strongest first, e.g. `SEA`.
    pub areas: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
