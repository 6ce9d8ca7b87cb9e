use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub user_id: i64,
    /// `shared::ApplicationChannel`.
    pub channel: String,
    /// `shared::ApplicationStatus`; `None` for an outbound application.
    pub status: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub message: Option<String>,
    /// JSON of `shared::dto::applications::ApplicantProfile`, as it stood when she applied.
    #[sea_orm(column_type = "Text", nullable)]
    pub profile: Option<String>,
    pub created_at: DateTimeUtc,
    pub status_changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
