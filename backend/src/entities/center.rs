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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Every save keeps `search_text` in step with the name, host institution and city: whatever path writes the row,
/// it stays findable.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if let (Some(name), Some(host), Some(city)) = (
            self.name.try_as_ref(),
            self.host_institution.try_as_ref(),
            self.city.try_as_ref(),
        ) {
            let text = shared::search::fold_all([name.as_str(), host.as_str(), city.as_str()]);
            self.search_text = Set(Some(text));
        }
        Ok(self)
    }
}
