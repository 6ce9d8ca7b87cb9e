use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "occupations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub isco08: String,
    pub title_fr: String,
    pub title_ar: String,
    pub title_en: String,
    pub job_zone: i16,
    pub realistic: f64,
    pub investigative: f64,
    pub artistic: f64,
    pub social: f64,
    pub enterprising: f64,
    pub conventional: f64,
    pub code: String,
    /// The row's names folded for search (`shared::search::fold`), written by the server.
    #[sea_orm(column_type = "Text", nullable)]
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
