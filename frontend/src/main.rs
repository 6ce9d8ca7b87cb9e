//! The youth's app: what a first visit downloads.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::app::YouthApp);
}
