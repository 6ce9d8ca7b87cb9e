use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `user:<id>` or `key:<api key id>`: keys are scoped to who sent them, once verified.
    pub principal: String,
    pub key: String,
    pub method: String,
    pub path: String,
    /// SHA-256 of the request body, to refuse a key reused for a different request.
    pub request_hash: String,
    /// `None` while the first request is still being processed.
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub response_body: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
