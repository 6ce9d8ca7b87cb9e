//! sea-orm entities, one per table. Enumerated columns are stored as their `shared` spelling.

pub mod api_key;
pub mod audit_log;
pub mod center;
pub mod center_site;
pub mod commune;
pub mod idempotency_key;
pub mod membership;
pub mod organization;
pub mod province;
pub mod refresh_token;
pub mod region;
pub mod user;
