//! Career Center in the browser: Leptos apps rendered on the client, built with trunk.
//!
//! Two bundles share this library: the youth's app (`main.rs`), which a first visit downloads,
//! and the staff's app (`bin/staff.rs`: administration, organisations), fetched only by those
//! who open its pages (`shared::pages` says which page is whose).

pub mod api;
pub mod app;
pub mod forms;
pub mod gate;
pub mod i18n;
pub mod pages;
