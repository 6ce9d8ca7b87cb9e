//! Domain rules and transactions. Handlers call these; these call the entities.

pub mod account_tokens;
pub mod accounts;
pub mod applications;
pub mod appointments;
pub mod audit;
pub mod calendars;
pub mod centers;
pub mod events;
pub mod geo;
pub mod ingest;
pub mod invitations;
pub mod notices;
pub mod occupations;
pub mod offer_feeds;
pub mod offer_reports;
pub mod offer_search;
pub mod offers;
pub mod organizations;
pub mod orientation;
pub mod pagination;
pub mod saved;
pub mod search;
pub mod sector_figures;
pub mod users;
