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
    /// Notices not yet read (`services::notices` keeps it, in the transactions that write them).
    pub unread_notices: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// The folded search text of an account (first and last names, e-mail address), as
/// `search_text` holds it.
pub fn search_text(first: &str, last: &str, email: &str) -> String {
    shared::search::fold_all([first, last, email])
}

/// A save that changes the names or the address recomputes `search_text` from the values it
/// writes. One that leaves them alone (a password, a role, a verification) leaves `search_text` alone too:
/// it must not write back names read earlier, which a concurrent rename may have changed since.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if (self.first_name.is_set() || self.last_name.is_set() || self.email.is_set())
            && let (Some(first_name), Some(last_name), Some(email)) = (
                self.first_name.try_as_ref(),
                self.last_name.try_as_ref(),
                self.email.try_as_ref(),
            )
        {
            self.search_text = Set(Some(search_text(
                first_name.as_str(),
                last_name.as_str(),
                email.as_str(),
            )));
        }
        Ok(self)
    }
}
