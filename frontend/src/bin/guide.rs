//! The guide: growth sectors, occupations and centers, a bundle of its own so that a youth's
//! first load stays within its budget as pages are added.

fn main() {
    frontend::start(frontend::app::GuideApp, frontend::french!());
}
