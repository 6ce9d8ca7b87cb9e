//! Which of the two web apps a page belongs to. The youth's app (orientation, sectors,
//! centers, the account) is what a first visit downloads; the staff's app (administration,
//! organisations and their API keys) is a second bundle, fetched only by those who open its
//! pages. The server serves each page's shell by this rule, and each app hands the other's
//! pages over with a full page load.

/// One of the two single-page apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebApp {
    Youth,
    Staff,
}

/// Paths of the staff's app: these and everything under them.
pub const STAFF_PAGES: [&str; 2] = ["/admin", "/organizations"];

/// Where the staff's app is built and its assets are served from.
pub const STAFF_ASSETS: &str = "/staff/";

/// The app that shows `path` (a path of the site, without query).
pub fn web_app_of(path: &str) -> WebApp {
    let staff = STAFF_PAGES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    if staff { WebApp::Staff } else { WebApp::Youth }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_pages_are_the_administration_and_the_organisations() {
        assert_eq!(web_app_of("/admin/users"), WebApp::Staff);
        assert_eq!(web_app_of("/admin"), WebApp::Staff);
        assert_eq!(web_app_of("/organizations"), WebApp::Staff);
        assert_eq!(web_app_of("/organizations/12"), WebApp::Staff);
        assert_eq!(web_app_of("/"), WebApp::Youth);
        assert_eq!(web_app_of("/orientation/results/3"), WebApp::Youth);
        assert_eq!(web_app_of("/administration"), WebApp::Youth);
        assert_eq!(web_app_of("/organizationsx"), WebApp::Youth);
        assert_eq!(web_app_of("/profile"), WebApp::Youth);
    }
}
