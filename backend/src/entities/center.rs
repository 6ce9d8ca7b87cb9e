use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "centers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub host_institution: String,
    pub address: Option<String>,
    pub city: String,
    pub region_code: String,
    pub commune_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The row's names folded for search (`shared::search::fold`), written by the server.
    #[sea_orm(column_type = "Text", nullable)]
    pub search_text: Option<String>,
    /// How many hours before a meeting's start a youth may still cancel it herself.
    pub cancellation_notice_hours: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// The folded search text of a center (name, host institution, city), as `search_text`
/// holds it.
pub fn search_text(name: &str, host: &str, city: &str) -> String {
    shared::search::fold_all([name, host, city])
}

/// A save that changes the name, host institution or city recomputes `search_text` from the
/// values it writes. One that leaves them alone (an address, a region) leaves `search_text`
/// alone too: it must not write back names read earlier, which a concurrent rename may have changed since.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if (self.name.is_set() || self.host_institution.is_set() || self.city.is_set())
            && let (Some(name), Some(host_institution), Some(city)) = (
                self.name.try_as_ref(),
                self.host_institution.try_as_ref(),
                self.city.try_as_ref(),
            )
        {
            self.search_text = Set(Some(search_text(
                name.as_str(),
                host_institution.as_str(),
                city.as_str(),
            )));
        }
        Ok(self)
    }
}
