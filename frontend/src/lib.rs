//! Career Center in the browser: Leptos apps rendered on the client, built to WebAssembly by `cargo xtask spa`.
//!
//! Three bundles share this library: the youth's app (`main.rs`: home, the account,
//! orientation), which a first visit downloads; the guide (`bin/guide.rs`: growth sectors,
//! occupations, centers) and the staff's app (`bin/staff.rs`: administration, organisations),
//! each fetched only by those who open its pages (`shared::pages` says which page is whose).

pub mod api;
pub mod app;
#[cfg(test)]
mod catalogue_split;
pub mod forms;
pub mod gate;
pub mod i18n;
pub mod morocco;
pub mod pages;
pub mod scanner;

/// The name of the performance mark set once an app is drawn and answers input; the
/// slow-network benchmark reads it (`cargo xtask bench bundle`), beside the same mark of an
/// empty Leptos app.
pub const INTERACTIVE_MARK: &str = "cc-interactive";

/// Mounts `app` on the page's body, then marks the moment ([`INTERACTIVE_MARK`]).
/// The whole French catalogue.
#[macro_export]
macro_rules! french {
    () => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/fr.ftl"))
    };
}

/// The French catalogue of the youth's app, without the guide's and the staff's keys.
#[macro_export]
macro_rules! youth_french {
    () => {
        include_str!(concat!(env!("OUT_DIR"), "/fr-youth.ftl"))
    };
}

/// Starts `app` with `french`, the French catalogue it compiles in (the youth's app keeps only
/// its own keys: [`youth_french!`]; the others take the whole [`french!`]).
pub fn start<V: leptos::IntoView + 'static>(app: fn() -> V, french: &'static str) {
    console_error_panic_hook::set_once();
    i18n::compiled_french(french);
    leptos::mount::mount_to_body(app);
    mark_interactive();
}

/// Sets [`INTERACTIVE_MARK`] (nothing when the browser has no Performance API).
pub fn mark_interactive() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(INTERACTIVE_MARK);
    }
}

#[cfg(test)]
mod tests {
    use shared::pages::{GUIDE_PAGES, STAFF_PAGES, WebApp};

    /// The service worker cannot read `shared::pages`: it spells the same lists, kept equal
    /// here.
    #[test]
    fn the_service_worker_knows_which_page_is_whose() {
        let worker = include_str!("../sw.js");
        let quoted = |items: &[&str]| {
            let items: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
            format!("[{}]", items.join(", "))
        };
        for (name, list) in [
            ("GUIDE_PAGES", quoted(&GUIDE_PAGES)),
            ("STAFF_PAGES", quoted(&STAFF_PAGES)),
            ("OTHER_ASSETS", quoted(&WebApp::OTHERS.map(WebApp::assets))),
        ] {
            assert!(
                worker.contains(&format!("const {name} = {list};")),
                "sw.js should say `const {name} = {list};`"
            );
        }
    }
}
