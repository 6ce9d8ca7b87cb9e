use sea_orm::entity::prelude::*;

/// Where gathered offers come from: a board's feed or a partner's file an admin configured, or
/// a file imported from the command line (kind `file`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ingest_sources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Shown to youths as where an offer was published ("rekrute.com").
    pub name: String,
    /// `file`, `rss`, `atom`, `json_feed`, `json_ld` or `csv`.
    pub kind: String,
    pub url: Option<String>,
    /// JSON: which of the source's columns hold each field (`shared::gathered::Columns`).
    #[sea_orm(column_type = "Text", nullable)]
    pub columns: Option<String>,
    /// How often it is polled; `None` for a file imported by hand.
    pub every_minutes: Option<i32>,
    pub enabled: bool,
    /// What the source answered last (conditional GET).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Failed polls in a row (the next poll waits longer for each).
    pub failures: i32,
    pub next_poll_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
