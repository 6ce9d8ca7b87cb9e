//! Domain rules and transactions. Handlers call these; these call the entities.

pub mod accounts;
pub mod audit;
pub mod centers;
pub mod geo;
pub mod organizations;
pub mod pagination;
pub mod users;
