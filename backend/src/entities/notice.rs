use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// `shared::NoticeKind`.
    pub kind: String,
    pub event_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub application_id: Option<i64>,
    /// `shared::ApplicationStatus` a notice of a moved application announced.
    pub application_status: Option<String>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
