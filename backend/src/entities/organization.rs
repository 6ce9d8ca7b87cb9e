use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub city: Option<String>,
    pub region_code: Option<String>,
    pub website: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
    pub verified_by: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The row's names folded for search (`shared::search::fold`), written by the server.
    #[sea_orm(column_type = "Text", nullable)]
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// The folded search text of an organisation (its name), as `search_text` holds it.
pub fn search_text(name: &str) -> String {
    shared::search::fold_all([name])
}

/// A save that changes the name recomputes `search_text` from the value it writes. One that
/// leaves it alone (a verification, a description) leaves `search_text` alone too: it
/// must not write back names read earlier, which a concurrent rename may have changed since.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if self.name.is_set()
            && let Some(name) = self.name.try_as_ref()
        {
            self.search_text = Set(Some(search_text(name.as_str())));
        }
        Ok(self)
    }
}
