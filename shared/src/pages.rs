//! Which of the web apps a page belongs to. The youth's app (home, the account, orientation)
//! is what a first visit downloads; the guide (growth sectors, occupations, centers, events) and the
//! staff's app (administration, organisations and their API keys) are bundles of their own,
//! fetched only by those who open their pages, so that the first load stays light as pages
//! are added. The server serves each page's shell by this rule, and each app hands the
//! others' pages over with a full page load.

/// One of the single-page apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebApp {
    Youth,
    Guide,
    Staff,
}

impl WebApp {
    /// The apps beside the youth's, each in a folder of its own.
    pub const OTHERS: [WebApp; 2] = [WebApp::Guide, WebApp::Staff];

    /// Paths of this app: these and everything under them. The youth's app has every path
    /// the others do not.
    pub const fn pages(self) -> &'static [&'static str] {
        match self {
            WebApp::Youth => &[],
            WebApp::Guide => &GUIDE_PAGES,
            WebApp::Staff => &STAFF_PAGES,
        }
    }

    /// Where the app is built and its assets are served from.
    pub const fn assets(self) -> &'static str {
        match self {
            WebApp::Youth => "/",
            WebApp::Guide => "/guide/",
            WebApp::Staff => "/staff/",
        }
    }
}

/// The guide's pages: the offers, one's applications to them and what one saved of them, what Morocco's growth sectors and trades ask, where the centers are, the
/// events they and their partners hold, a youth's appointments with her center's counselors,
/// one's notices, and the pages of a mailed link (a forgotten password, an address to confirm).
pub const GUIDE_PAGES: [&str; 13] = [
    "/offers",
    "/applications",
    "/saved",
    "/sectors",
    "/occupations",
    "/centers",
    "/events",
    "/certificates",
    "/appointments",
    "/notices",
    "/forgot-password",
    "/reset-password",
    "/verify-email",
];

/// The staff's pages (invitations are to join an organisation; `/manage` holds the events one
/// runs).
pub const STAFF_PAGES: [&str; 4] = ["/admin", "/organizations", "/invitations", "/manage"];

/// The app that shows `path` (a path of the site, without query).
pub fn web_app_of(path: &str) -> WebApp {
    let of = |app: WebApp| {
        app.pages().iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    WebApp::OTHERS
        .into_iter()
        .find(|app| of(*app))
        .unwrap_or(WebApp::Youth)
}

/// `next` if it is a page of this site to come back to after signing in: a path (one `/`,
/// then no `/` or `\\`), with no white space or control character that a browser would drop
/// to make it another site's address, and not the login page itself.
pub fn safe_return(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    let path_only = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    let clean = next
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    let login = next == "/login" || next.starts_with("/login?") || next.starts_with("/login/");
    (path_only && clean && !login).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(safe_return("/orientation"), Some("/orientation"));
        assert_eq!(
            safe_return("/sectors/auto?x=1#top"),
            Some("/sectors/auto?x=1#top")
        );
        assert_eq!(safe_return("/"), Some("/"));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "evil.example",
            "javascript:alert(1)",
            "",
            "/login?next=/profile",
            "/login",
        ] {
            assert_eq!(safe_return(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn staff_pages_are_the_administration_and_the_organisations() {
        assert_eq!(web_app_of("/admin/users"), WebApp::Staff);
        assert_eq!(web_app_of("/admin"), WebApp::Staff);
        assert_eq!(web_app_of("/organizations"), WebApp::Staff);
        assert_eq!(web_app_of("/organizations/12"), WebApp::Staff);
        assert_eq!(web_app_of("/invitations"), WebApp::Staff);
        assert_eq!(web_app_of("/"), WebApp::Youth);
        assert_eq!(web_app_of("/orientation/results/3"), WebApp::Youth);
        assert_eq!(web_app_of("/administration"), WebApp::Youth);
        assert_eq!(web_app_of("/organizationsx"), WebApp::Youth);
        assert_eq!(web_app_of("/profile"), WebApp::Youth);
    }

    #[test]
    fn the_guide_has_the_sectors_the_occupations_and_the_centers() {
        assert_eq!(web_app_of("/sectors"), WebApp::Guide);
        assert_eq!(web_app_of("/sectors/auto"), WebApp::Guide);
        assert_eq!(web_app_of("/occupations/2221"), WebApp::Guide);
        assert_eq!(web_app_of("/centers"), WebApp::Guide);
        assert_eq!(web_app_of("/centersx"), WebApp::Youth);
        assert_eq!(web_app_of("/orientation/inventory"), WebApp::Youth);
        for app in WebApp::OTHERS {
            assert!(app.assets().starts_with('/') && app.assets().ends_with('/'));
            assert_ne!(app.assets(), WebApp::Youth.assets());
        }
    }
}
