//! Database schema, one file per change, run at every start on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_idempotency_keys;
mod m20261129_000003_orientation;
mod m20261130_000004_accounts;
mod m20261130_000005_jobs;
mod m20261130_000006_search;
mod m20261130_000007_mail_outbox;
mod m20261130_000008_events;
mod m20261130_000009_calendar_feeds;
mod m20261201_000010_appointments;
mod m20261201_000011_notices;
mod m20261201_000012_offers;
mod m20261201_000013_offer_reports;
mod m20261201_000014_applications;
mod m20261201_000015_saved;
mod m20261201_000016_offers_listed;
mod m20261201_000017_ingest;
mod m20261202_000018_clusters;

/// Applies the migrations in order; sea-orm records which ones ran in `seaql_migrations`.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_idempotency_keys::Migration),
            Box::new(m20261129_000003_orientation::Migration),
            Box::new(m20261130_000004_accounts::Migration),
            Box::new(m20261130_000005_jobs::Migration),
            Box::new(m20261130_000006_search::Migration),
            Box::new(m20261130_000007_mail_outbox::Migration),
            Box::new(m20261130_000008_events::Migration),
            Box::new(m20261130_000009_calendar_feeds::Migration),
            Box::new(m20261201_000010_appointments::Migration),
            Box::new(m20261201_000011_notices::Migration),
            Box::new(m20261201_000012_offers::Migration),
            Box::new(m20261201_000013_offer_reports::Migration),
            Box::new(m20261201_000014_applications::Migration),
            Box::new(m20261201_000015_saved::Migration),
            Box::new(m20261201_000016_offers_listed::Migration),
            Box::new(m20261201_000017_ingest::Migration),
            Box::new(m20261202_000018_clusters::Migration),
        ]
    }
}
