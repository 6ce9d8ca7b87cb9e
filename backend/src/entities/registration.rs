use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub user_id: i64,
    /// `shared::RegistrationStatus`.
    pub status: String,
    /// The check-in code, shown to the youth as a QR code (`services::events::new_code`).
    pub code: String,
    pub checked_in_at: Option<DateTimeUtc>,
    /// The code of the certificate of a soft-skills training attended: sixteen characters,
    /// given at check-in, that anyone can check at `/certificates/{code}`.
    pub certificate_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
