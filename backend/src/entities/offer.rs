use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: Option<i64>,
    pub employer_name: String,
    /// `shared::OfferKind`.
    pub kind: String,
    /// `shared::InternshipType`, for an internship.
    pub internship: Option<String>,
    /// `shared::Contract`.
    pub contract: Option<String>,
    pub title: String,
    /// Sanitised HTML.
    #[sea_orm(column_type = "Text")]
    pub description_html: String,
    /// The same, as plain text.
    #[sea_orm(column_type = "Text")]
    pub description_text: String,
    pub commune_code: Option<String>,
    pub region_code: Option<String>,
    pub remote: bool,
    pub sector_code: Option<String>,
    pub isco08: Option<String>,
    /// `shared::RequiredEducation`.
    pub education: Option<String>,
    pub experience_years: Option<i32>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub posted_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// When it was last put live here (a saved search's "new" counts by it).
    pub listed_at: Option<DateTimeUtc>,
    /// `employer` (posted in the app), `partner` (pushed with a key) or `gathered` (taken
    /// from another site by an import or a feed: `ingest_source_id` says which).
    pub source: String,
    pub external_id: Option<String>,
    /// The source a gathered offer came from.
    pub ingest_source_id: Option<i64>,
    /// JSON: for a gathered offer, how sure each field read from its text is (0 to 1).
    #[sea_orm(column_type = "Text", nullable)]
    pub readings: Option<String>,
    pub url: Option<String>,
    pub apply_in_platform: bool,
    /// The cluster of offers that are the same vacancy (the id of the offer that started it);
    /// none until the de-duplication has placed the offer.
    pub cluster_id: Option<i64>,
    /// `shared::OfferStatus`.
    pub status: String,
    /// SHA-256 (hex) of the offer as sent: unchanged when sent again alike.
    pub content_hash: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
