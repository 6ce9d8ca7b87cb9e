use sea_orm::entity::prelude::*;

/// An owner's invitation of an e-mail address into an organisation. It becomes a membership
/// only when the holder of that address accepts it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// The invited address, lower-cased.
    pub email: String,
    /// The membership role it grants: `owner` or `member`.
    pub role: String,
    /// SHA-256 (hex) of the token in the e-mail's link.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub invited_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub accepted_by: Option<i64>,
    /// When it stopped being pending without acceptance: withdrawn, declined or replaced.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
