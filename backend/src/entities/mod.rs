//! sea-orm entities, one per table. Enumerated columns are stored as their `shared` spelling.

pub mod account_token;
pub mod api_key;
pub mod audit_log;
pub mod center;
pub mod center_site;
pub mod commune;
pub mod idempotency_key;
pub mod job_lease;
pub mod mail_outbox;
pub mod membership;
pub mod occupation;
pub mod organization;
pub mod organization_invitation;
pub mod orientation_draft;
pub mod orientation_note;
pub mod orientation_result;
pub mod plan_step;
pub mod province;
pub mod reference_version;
pub mod refresh_token;
pub mod region;
pub mod sector;
pub mod sector_occupation;
pub mod user;
