//! The youth's app: what a first visit downloads.

fn main() {
    frontend::start(frontend::app::YouthApp, frontend::youth_french!());
}
