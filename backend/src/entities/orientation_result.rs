use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orientation_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub instrument_version: String,
    /// JSON object: item id → answer, as submitted.
    pub answers: String,
    pub realistic: i16,
    pub investigative: i16,
    pub artistic: i16,
    pub social: i16,
    pub enterprising: i16,
    pub conventional: i16,
    pub code: String,
    pub flat: bool,
    pub education_level: Option<String>,
    pub max_job_zone: Option<i16>,
    /// JSON: the ranked occupations and sectors when the result was made (codes and measures),
    /// so a later change of the reference tables never rewrites what a youth was told.
    pub recommendations: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
