//! Accounts, centers, organisations, API keys, the geography reference tables and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    NameFr,
    NameAr,
    Population,
}

#[derive(DeriveIden)]
enum Provinces {
    Table,
    Code,
    RegionCode,
    NameFr,
    NameAr,
    Kind,
}

#[derive(DeriveIden)]
enum Communes {
    Table,
    Code,
    ProvinceCode,
    RegionCode,
    NameFr,
    NameAr,
    SearchKey,
    Kind,
    Population,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
    Name,
    HostInstitution,
    Address,
    City,
    RegionCode,
    CommuneCode,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CenterSites {
    Table,
    Id,
    CenterId,
    Name,
    HostInstitution,
    Address,
    City,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    Locale,
    CenterId,
    FirstName,
    LastName,
    BirthYear,
    Sex,
    City,
    EducationLevel,
    FieldOfStudy,
    Phone,
    IsActive,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    Family,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Kind,
    City,
    RegionCode,
    Website,
    Description,
    VerifiedAt,
    VerifiedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    OrganizationId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    OrganizationId,
    Name,
    Prefix,
    KeyHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorUserId,
    ActorApiKeyId,
    Action,
    TargetType,
    TargetId,
    Details,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

fn index(table: impl IntoIden, name: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on both backends: a failed first start leaves an empty database, not half
    /// a schema.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(string_len(Regions::Code, 20).primary_key())
                    .col(string(Regions::NameFr))
                    .col(string(Regions::NameAr))
                    .col(big_integer(Regions::Population))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Provinces::Table)
                    .col(string_len(Provinces::Code, 20).primary_key())
                    .col(string_len(Provinces::RegionCode, 20))
                    .col(string(Provinces::NameFr))
                    .col(string(Provinces::NameAr))
                    .col(string_len(Provinces::Kind, 40))
                    .foreign_key(&mut fk(
                        (Provinces::Table, Provinces::RegionCode),
                        (Regions::Table, Regions::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Communes::Table)
                    .col(string_len(Communes::Code, 20).primary_key())
                    .col(string_len(Communes::ProvinceCode, 20))
                    .col(string_len(Communes::RegionCode, 20))
                    .col(string(Communes::NameFr))
                    .col(string(Communes::NameAr))
                    .col(string(Communes::SearchKey))
                    .col(string_len(Communes::Kind, 40))
                    .col(big_integer(Communes::Population))
                    .foreign_key(&mut fk(
                        (Communes::Table, Communes::ProvinceCode),
                        (Provinces::Table, Provinces::Code),
                    ))
                    .foreign_key(&mut fk(
                        (Communes::Table, Communes::RegionCode),
                        (Regions::Table, Regions::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Communes::Table,
                "idx_communes_region",
                &["region_code", "code"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Centers::Table)
                    .col(big_pk_auto(Centers::Id))
                    .col(string(Centers::Name))
                    .col(string(Centers::HostInstitution))
                    .col(string_null(Centers::Address))
                    .col(string(Centers::City))
                    .col(string_len(Centers::RegionCode, 20))
                    .col(string_len_null(Centers::CommuneCode, 20))
                    .col(timestamp_with_time_zone(Centers::CreatedAt))
                    .col(timestamp_with_time_zone(Centers::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Centers::Table, Centers::RegionCode),
                        (Regions::Table, Regions::Code),
                    ))
                    .foreign_key(&mut fk(
                        (Centers::Table, Centers::CommuneCode),
                        (Communes::Table, Communes::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CenterSites::Table)
                    .col(big_pk_auto(CenterSites::Id))
                    .col(big_integer(CenterSites::CenterId))
                    .col(string(CenterSites::Name))
                    .col(string_null(CenterSites::HostInstitution))
                    .col(string_null(CenterSites::Address))
                    .col(string(CenterSites::City))
                    .col(timestamp_with_time_zone(CenterSites::CreatedAt))
                    .foreign_key(
                        fk(
                            (CenterSites::Table, CenterSites::CenterId),
                            (Centers::Table, Centers::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                CenterSites::Table,
                "idx_center_sites_center",
                &["center_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string(Users::PasswordHash))
                    .col(string_len(Users::Role, 20))
                    .col(string_len(Users::Locale, 5))
                    .col(big_integer_null(Users::CenterId))
                    .col(string(Users::FirstName))
                    .col(string(Users::LastName))
                    .col(integer_null(Users::BirthYear))
                    .col(string_len_null(Users::Sex, 10))
                    .col(string_null(Users::City))
                    .col(string_len_null(Users::EducationLevel, 40))
                    .col(string_null(Users::FieldOfStudy))
                    .col(string_len_null(Users::Phone, 20))
                    .col(boolean(Users::IsActive))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Users::Table, Users::CenterId),
                        (Centers::Table, Centers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Users::Table, "idx_users_role", &["role", "id"]))
            .await?;
        manager
            .create_index(index(
                Users::Table,
                "idx_users_center",
                &["center_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(big_pk_auto(RefreshTokens::Id))
                    .col(big_integer(RefreshTokens::UserId))
                    .col(string_len(RefreshTokens::Family, 64))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(
                        fk(
                            (RefreshTokens::Table, RefreshTokens::UserId),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                RefreshTokens::Table,
                "idx_refresh_tokens_family",
                &["family"],
            ))
            .await?;
        manager
            .create_index(index(
                RefreshTokens::Table,
                "idx_refresh_tokens_user",
                &["user_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(big_pk_auto(Organizations::Id))
                    .col(string(Organizations::Name))
                    .col(string_len(Organizations::Kind, 30))
                    .col(string_null(Organizations::City))
                    .col(string_len_null(Organizations::RegionCode, 20))
                    .col(string_len_null(Organizations::Website, 500))
                    .col(text_null(Organizations::Description))
                    .col(timestamp_with_time_zone_null(Organizations::VerifiedAt))
                    .col(big_integer_null(Organizations::VerifiedBy))
                    .col(big_integer_null(Organizations::CreatedBy))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Organizations::Table, Organizations::RegionCode),
                        (Regions::Table, Regions::Code),
                    ))
                    .foreign_key(
                        fk(
                            (Organizations::Table, Organizations::VerifiedBy),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        fk(
                            (Organizations::Table, Organizations::CreatedBy),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(big_integer(Memberships::OrganizationId))
                    .col(big_integer(Memberships::UserId))
                    .col(string_len(Memberships::Role, 20))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Memberships::OrganizationId)
                            .col(Memberships::UserId),
                    )
                    .foreign_key(
                        fk(
                            (Memberships::Table, Memberships::OrganizationId),
                            (Organizations::Table, Organizations::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        fk(
                            (Memberships::Table, Memberships::UserId),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Memberships::Table,
                "idx_memberships_user",
                &["user_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(big_integer(ApiKeys::OrganizationId))
                    .col(string(ApiKeys::Name))
                    .col(string_len_uniq(ApiKeys::Prefix, 32))
                    .col(string_len(ApiKeys::KeyHash, 64))
                    .col(string(ApiKeys::Scopes))
                    .col(big_integer_null(ApiKeys::CreatedBy))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(
                        fk(
                            (ApiKeys::Table, ApiKeys::OrganizationId),
                            (Organizations::Table, Organizations::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        fk(
                            (ApiKeys::Table, ApiKeys::CreatedBy),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ApiKeys::Table,
                "idx_api_keys_organization",
                &["organization_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(big_integer_null(AuditLog::ActorUserId))
                    .col(big_integer_null(AuditLog::ActorApiKeyId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::TargetType, 32))
                    .col(string_len_null(AuditLog::TargetId, 64))
                    .col(text_null(AuditLog::Details))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
