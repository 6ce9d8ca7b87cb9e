//! Career Center in the browser: a Leptos app rendered on the client, built with trunk.

mod api;
mod app;
mod forms;
mod gate;
mod i18n;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
