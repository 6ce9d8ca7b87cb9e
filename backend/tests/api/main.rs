//! API tests: the real server on a free port, a fresh SQLite file or PostgreSQL database per
//! test, plain HTTP. Every test runs on both databases.

mod helpers;

mod accounts;
mod applications;
mod appointments;
mod auth;
mod authorization;
mod centers;
mod dedup;
mod events;
mod feeds;
mod ingest;
mod ingest_sources;
mod invariants;
mod invitations;
mod jobs;
mod offer_search;
mod offers;
mod operations;
mod organizations;
mod orientation;
mod saved;
mod search;
mod sector_figures;
mod users;
mod web_app;
