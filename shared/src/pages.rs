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

/// Paths of the staff's app: these and everything under them (invitations are to join an
/// organisation).
pub const STAFF_PAGES: [&str; 3] = ["/admin", "/organizations", "/invitations"];

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
}
