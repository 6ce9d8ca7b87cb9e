//! The staff's app: administration and organisations, a bundle of its own so that a youth's
//! first load does not carry them.

fn main() {
    frontend::start(frontend::app::StaffApp, frontend::french!());
}
