use sea_orm::entity::prelude::*;

/// A message that could not leave at once, kept formatted for the worker to retry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recipient: String,
    /// What the message is (`verification`, `reset`, …), for logs.
    pub kind: String,
    /// The whole RFC 5322 message, as it is handed to the transport.
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub attempts: i32,
    /// When to try again; `None` once the worker has given up.
    pub next_attempt_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
