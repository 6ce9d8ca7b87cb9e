use sea_orm::entity::prelude::*;

/// One run of a source (a poll, an import): how far it read and what became of each record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ingest_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub source_id: i64,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// `running`, `interrupted`, `finished` or `failed`.
    pub status: String,
    /// A running run's process is alive until then (each chunk moves it on).
    pub leased_until: Option<DateTimeUtc>,
    /// SHA-256 (hex) of the file read: a run cut short resumes only on the same file.
    pub file_digest: Option<String>,
    /// Records read so far, written with the offers they gave.
    pub position: i64,
    pub fetched: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub duplicates: i32,
    pub rejected: i32,
    /// JSON: each reason a record was dropped, with how many and the first records' numbers.
    #[sea_orm(column_type = "Text")]
    pub reasons: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
