//! One file per page.

pub mod account;
pub mod admin;
pub mod appointments;
pub mod centers;
pub mod certificate;
pub mod event_form;
pub mod events;
pub mod home;
pub mod invitations;
pub mod login;
pub mod manage;
pub mod moderation;
pub mod not_found;
pub mod notices;
pub mod occupations;
pub mod offers;
pub mod org_offers;
pub mod organizations;
pub mod orientation;
pub mod profile;
pub mod register;
pub mod result;
pub mod saved;
pub mod sectors;
pub mod slots;
pub mod sources;
