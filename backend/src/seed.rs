//! Reference data every installation needs (regions, provinces, communes, the pilot centers),
//! the first admin account, and an optional demo data set.
//!
//! Everything here is idempotent: it checks before it inserts, so it runs at every start.

use chrono::Utc;
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use serde::Deserialize;
use shared::dto::auth::Profile;
use shared::dto::centers::{CreateCenterRequest, CreateSiteRequest};
use shared::dto::users::NewUser;
use shared::{Email, Password, Role};

use crate::auth::passwords::Hasher;
use crate::db::Exclusive;
use crate::entities::{center, commune, province, region, user};
use crate::services::accounts::insert_user;
use crate::services::audit::Actor;
use crate::services::{centers, search};

const REGIONS: &str = include_str!("../data/geo/regions.csv");
const PROVINCES: &str = include_str!("../data/geo/provinces.csv");
const COMMUNES: &str = include_str!("../data/geo/communes.csv");

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    name_fr: String,
    name_ar: String,
    population: i64,
}

#[derive(Deserialize)]
struct ProvinceRow {
    code: String,
    region_code: String,
    name_fr: String,
    name_ar: String,
    kind: String,
}

#[derive(Deserialize)]
struct CommuneRow {
    code: String,
    province_code: String,
    region_code: String,
    name_fr: String,
    name_ar: String,
    kind: String,
    population: i64,
}

fn rows<T: for<'de> Deserialize<'de>>(csv_text: &str) -> anyhow::Result<Vec<T>> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

/// Loads the occupations and sectors when the binary carries a new version of them, and the
/// geography tables and the pilot centers when they are empty: one transaction that no other
/// instance runs at the same time (two starting together on one database wait their turn,
/// and the second finds the work done).
pub async fn reference(db: &DatabaseConnection) -> anyhow::Result<()> {
    let txn = crate::db::begin_exclusive(db, Exclusive::Seeding, "reference").await?;
    crate::services::occupations::load_reference(&txn).await?;
    if region::Entity::find().count(&txn).await? == 0 {
        load_geography(&txn).await?;
    }
    if center::Entity::find().count(&txn).await? == 0 {
        for request in pilot_centers() {
            centers::insert_in(&txn, Actor::System, &request)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    search::refold(&txn).await?;
    txn.commit().await?;
    Ok(())
}

async fn load_geography(txn: &DatabaseTransaction) -> anyhow::Result<()> {
    region::Entity::insert_many(rows::<RegionRow>(REGIONS)?.into_iter().map(|r| {
        region::ActiveModel {
            code: Set(r.code),
            name_fr: Set(r.name_fr),
            name_ar: Set(r.name_ar),
            population: Set(r.population),
        }
    }))
    .exec(txn)
    .await?;
    province::Entity::insert_many(rows::<ProvinceRow>(PROVINCES)?.into_iter().map(|p| {
        province::ActiveModel {
            code: Set(p.code),
            region_code: Set(p.region_code),
            name_fr: Set(p.name_fr),
            name_ar: Set(p.name_ar),
            kind: Set(p.kind),
        }
    }))
    .exec(txn)
    .await?;
    let communes: Vec<_> = rows::<CommuneRow>(COMMUNES)?
        .into_iter()
        .map(|c| commune::ActiveModel {
            search_key: Set(search::commune_key(&c.name_fr, &c.name_ar)),
            code: Set(c.code),
            province_code: Set(c.province_code),
            region_code: Set(c.region_code),
            name_fr: Set(c.name_fr),
            name_ar: Set(c.name_ar),
            kind: Set(c.kind),
            population: Set(c.population),
        })
        .collect();
    // SQLite caps the number of bound parameters per statement; 100 rows × 8 columns fits.
    for chunk in communes.chunks(100) {
        commune::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn site(name: &str, host: Option<&str>, city: &str) -> CreateSiteRequest {
    CreateSiteRequest {
        name: name.into(),
        host_institution: host.map(Into::into),
        address: None,
        city: city.into(),
    }
}

/// The pilot centers that are publicly known. Admins add the others.
fn pilot_centers() -> Vec<CreateCenterRequest> {
    let center = |name: &str, host: &str, city: &str, region: &str, commune: &str, sites| {
        CreateCenterRequest {
            name: name.into(),
            host_institution: host.into(),
            address: None,
            city: city.into(),
            region_code: region.into(),
            commune_code: Some(commune.into()),
            sites,
        }
    };
    vec![
        center(
            "Centre de carrière ISTA Hay Hassani 1",
            "OFPPT — Institut Spécialisé de Technologie Appliquée Hay Hassani 1",
            "Casablanca",
            "06",
            "06.141.01.0",
            vec![],
        ),
        center(
            "Centre de carrière de l'institut d'hôtellerie et de tourisme de Marrakech",
            "OFPPT — Institut Spécialisé en Hôtellerie et Tourisme de Marrakech",
            "Marrakech",
            "07",
            "07.351.01.0",
            vec![],
        ),
        center(
            "Centre de carrière de l'Université Cadi Ayyad",
            "Université Cadi Ayyad",
            "Marrakech",
            "07",
            "07.351.01.0",
            vec![],
        ),
        center(
            "Centre de carrière de l'Université Abdelmalek Essaadi",
            "École Nationale des Sciences Appliquées de Tanger (Université Abdelmalek Essaadi)",
            "Tanger",
            "01",
            "01.511.01.0",
            vec![site(
                "Salle satellite de Larache",
                Some("Faculté Polydisciplinaire de Larache"),
                "Larache",
            )],
        ),
    ]
}

/// A readable random password that passes [`Password::parse`].
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let body: String = (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{body}-7")
}

/// Creates an account with the given role (used by `admin create`, the first start and tests).
pub async fn create_account(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    role: Role,
    center_id: Option<i64>,
    first_name: &str,
    last_name: &str,
) -> anyhow::Result<user::Model> {
    let account = NewUser {
        email: Email::parse(email).map_err(|e| anyhow::anyhow!("e-mail {email}: {}", e.message))?,
        password: Password::parse(password)
            .map_err(|e| anyhow::anyhow!("password: {}", e.message))?,
        role,
        center_id,
        profile: Profile {
            first_name: first_name.into(),
            last_name: last_name.into(),
            ..Profile::default()
        },
    };
    insert_user(db, &Hasher::new(2, 64), account)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// On a first start, creates an admin with a random password and returns the credentials to
/// print; `None` when an admin already exists.
pub async fn ensure_admin(
    db: &DatabaseConnection,
    email: &str,
) -> anyhow::Result<Option<(String, String)>> {
    // Two instances starting together on an empty database create one admin, not a conflict.
    let txn = crate::db::begin_exclusive(db, Exclusive::Seeding, "admin").await?;
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .count(&txn)
        .await?;
    if admins > 0 {
        return Ok(None);
    }
    let password = random_password();
    create_account(
        &txn,
        email,
        &password,
        Role::Admin,
        None,
        "Admin",
        "Career Center",
    )
    .await?;
    txn.commit().await?;
    Ok(Some((email.to_owned(), password)))
}

/// The domain of every demo account.
const DEMO_DOMAIN: &str = "demo.careercenter.ma";

/// A believable demo: counselors at each pilot center, youths they follow, employers and a
/// partner agency (one verified), sharing one random password returned to be printed once.
///
/// Demo accounts in a live database would be doors with a printed key, so the demo is only
/// added to a database without real users (admins aside) unless `force` is given. `None` when
/// the demo is already there: its password was printed when it was added.
pub async fn demo(db: &DatabaseConnection, force: bool) -> anyhow::Result<Option<String>> {
    let accounts = user::Entity::find()
        .filter(user::Column::Role.ne(Role::Admin.as_str()))
        .all(db)
        .await?;
    if accounts.iter().any(|u| u.email.ends_with(DEMO_DOMAIN)) {
        return Ok(None);
    }
    if !accounts.is_empty() && !force {
        anyhow::bail!(
            "this database already has {} real accounts; refusing to add demo accounts beside them (pass --force to do it anyway)",
            accounts.len()
        );
    }
    let password = random_password();
    let password = password.as_str();
    let centers = center::Entity::find().all(db).await?;
    let center_of = |city: &str| centers.iter().find(|c| c.city == city).map(|c| c.id);
    let txn = crate::db::begin_write(db).await?;
    let people: [(&str, Role, Option<&str>, &str, &str); 9] = [
        (
            "conseillere.casa@demo.careercenter.ma",
            Role::Counselor,
            Some("Casablanca"),
            "Salma",
            "Bennani",
        ),
        (
            "conseiller.tanger@demo.careercenter.ma",
            Role::Counselor,
            Some("Tanger"),
            "Youssef",
            "Amrani",
        ),
        (
            "conseillere.marrakech@demo.careercenter.ma",
            Role::Counselor,
            Some("Marrakech"),
            "Nadia",
            "Ouazzani",
        ),
        (
            "amina.elidrissi@demo.careercenter.ma",
            Role::Youth,
            Some("Casablanca"),
            "Amina",
            "El Idrissi",
        ),
        (
            "yassine.tazi@demo.careercenter.ma",
            Role::Youth,
            Some("Casablanca"),
            "Yassine",
            "Tazi",
        ),
        (
            "khadija.alaoui@demo.careercenter.ma",
            Role::Youth,
            Some("Tanger"),
            "Khadija",
            "Alaoui",
        ),
        (
            "omar.berrada@demo.careercenter.ma",
            Role::Youth,
            Some("Marrakech"),
            "Omar",
            "Berrada",
        ),
        (
            "rh@atlas-logistique.demo.careercenter.ma",
            Role::Employer,
            None,
            "Hicham",
            "Chraibi",
        ),
        (
            "contact@rabat-interim.demo.careercenter.ma",
            Role::Partner,
            None,
            "Leila",
            "Fassi",
        ),
    ];
    let mut created = Vec::new();
    for (email, role, city, first, last) in people {
        let center = city.and_then(center_of);
        created.push(create_account(&txn, email, password, role, center, first, last).await?);
    }
    let now = Utc::now();
    let orgs = [
        (
            "Atlas Logistique",
            shared::OrganizationKind::Employer,
            "Casablanca",
            "06",
            true,
            7,
        ),
        (
            "Rabat Intérim Conseil",
            shared::OrganizationKind::RecruitmentAgency,
            "Rabat",
            "04",
            false,
            8,
        ),
    ];
    for (name, kind, city, region, verified, owner) in orgs {
        let org = crate::entities::organization::ActiveModel {
            id: sea_orm::NotSet,
            name: Set(name.into()),
            kind: Set(kind.as_str().into()),
            city: Set(Some(city.into())),
            region_code: Set(Some(region.into())),
            website: Set(None),
            description: Set(None),
            verified_at: Set(verified.then_some(now)),
            verified_by: Set(None),
            created_by: Set(Some(created[owner].id)),
            created_at: Set(now),
            updated_at: Set(now),
            search_text: sea_orm::NotSet,
        };
        let org = sea_orm::ActiveModelTrait::insert(org, &txn).await?;
        sea_orm::ActiveModelTrait::insert(
            crate::entities::membership::ActiveModel {
                organization_id: Set(org.id),
                user_id: Set(created[owner].id),
                role: Set(shared::MembershipRole::Owner.as_str().into()),
                created_at: Set(now),
            },
            &txn,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some(password.to_owned()))
}
