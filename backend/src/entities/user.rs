use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2id PHC string; never serialised.
    pub password_hash: String,
    pub role: String,
    pub locale: String,
    pub center_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub birth_year: Option<i32>,
    pub sex: Option<String>,
    pub city: Option<String>,
    pub education_level: Option<String>,
    pub field_of_study: Option<String>,
    pub phone: Option<String>,
    pub is_active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the owner of the address proved it by a link sent there; `None` until then.
    pub email_verified_at: Option<DateTimeUtc>,
    /// The row's names folded for search (`shared::search::fold`), written by the server.
    #[sea_orm(column_type = "Text", nullable)]
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Every save keeps `search_text` in step with the first_name, last_name and e-mail address: whatever path writes the row,
/// it stays findable.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if let (Some(first), Some(last), Some(email)) = (
            self.first_name.try_as_ref(),
            self.last_name.try_as_ref(),
            self.email.try_as_ref(),
        ) {
            let text = shared::search::fold_all([first.as_str(), last.as_str(), email.as_str()]);
            self.search_text = Set(Some(text));
        }
        Ok(self)
    }
}
