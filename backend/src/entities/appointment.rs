use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slot_id: i64,
    pub youth_id: i64,
    /// `shared::AppointmentStatus`.
    pub status: String,
    /// The slot's start, copied (slots never move).
    pub starts_at: DateTimeUtc,
    pub topic: Option<String>,
    /// `youth` or `staff`, once cancelled.
    pub cancelled_by: Option<String>,
    pub outcome: Option<String>,
    pub outcome_recorded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
