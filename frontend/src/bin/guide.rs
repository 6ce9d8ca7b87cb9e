//! The guide: growth sectors, occupations and centers, a bundle of its own so that a youth's
//! first load stays within its budget as pages are added.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::app::GuideApp);
}
