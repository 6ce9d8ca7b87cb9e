//! The Career Center server: REST API, OpenAPI docs, reference data, and the command line.

pub mod auth;
pub mod client_ip;
pub mod config;
pub mod db;
pub mod dedup;
pub mod entities;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod reference;
pub mod routes;
pub mod search;
pub mod seed;
pub mod services;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;
