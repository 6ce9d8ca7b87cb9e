use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `shared::EventKind`.
    pub kind: String,
    /// `shared::EventStatus`.
    pub status: String,
    pub title_fr: Option<String>,
    pub title_ar: Option<String>,
    pub title_en: Option<String>,
    pub description_fr: Option<String>,
    pub description_ar: Option<String>,
    pub description_en: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub center_id: Option<i64>,
    pub site_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub online_url: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub capacity: i32,
    /// Seats taken: changed only by conditional updates (`services::events`).
    pub registered: i32,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    /// `shared::EventAudience`.
    pub audience: String,
    /// RIASEC letters, e.g. `RS`.
    pub areas: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
