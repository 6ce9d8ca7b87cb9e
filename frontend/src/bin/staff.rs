//! The staff's app: administration and organisations, a bundle of its own so that a youth's
//! first load does not carry them.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::app::StaffApp);
}
