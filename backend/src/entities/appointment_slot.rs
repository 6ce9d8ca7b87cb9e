use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment_slots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub counselor_id: i64,
    /// The counselor's center when she offered it.
    pub center_id: i64,
    pub site_id: Option<i64>,
    /// The meeting's link when held online.
    pub online_url: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// `shared::SlotStatus`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
