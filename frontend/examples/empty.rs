//! An empty Leptos app: the floor the slow-network benchmark compares the youth's app with
//! (`cargo xtask bench bundle`). It is built and served as the apps are and sets the same
//! performance mark once drawn.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| view! { <main><h1>"Leptos"</h1></main> });
    frontend::mark_interactive();
}
