//! Serves the single-page apps built by `cargo xtask spa`: their hashed assets, precompressed, cached for
//! good; and for every other non-API path the shell of the app that shows it (`guide/` and
//! `staff/index.html` for their pages, `shared::pages`; the youth's `index.html` for the
//! rest), so deep links survive a reload.
//!
//! The files are read once at start into memory: a few hundred kilobytes, no disk access per
//! request, and a restart after a deploy picks up the new build.

use std::collections::HashMap;
use std::path::Path;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use sha2::{Digest, Sha256};

use shared::pages::{WebApp, web_app_of};

use crate::error::ApiError;
use crate::services::offer_feeds;
use crate::state::AppState;

struct Asset {
    content_type: &'static str,
    identity: web::Bytes,
    gzip: Option<web::Bytes>,
    brotli: Option<web::Bytes>,
    /// The build puts a content hash in the names of built assets: they never change.
    immutable: bool,
}

pub struct SpaAssets {
    /// By path under the folder (`staff/…` for the staff's app).
    files: HashMap<String, Asset>,
    youth: Shell,
    /// The other apps the build has; the pages of one it lacks get the youth's shell.
    others: Vec<(WebApp, Shell)>,
}

/// An app's `index.html`, with its CSP: its inline scripts (the language of the last visit, the
/// start-up) are allowed by their hashes.
struct Shell {
    index: web::Bytes,
    csp: String,
}

impl Shell {
    fn of(index: Vec<u8>) -> Self {
        let html = String::from_utf8_lossy(&index).into_owned();
        let scripts = inline_script_hashes(&html).join(" ");
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        );
        Self {
            index: web::Bytes::from(index),
            csp,
        }
    }

    fn response(&self) -> HttpResponse {
        self.answer(self.index.clone())
    }

    fn answer(&self, body: web::Bytes) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::CONTENT_SECURITY_POLICY, self.csp.clone()))
            .body(body)
    }

    /// The shell with `head` in place of its description and title (or, lacking them, at the
    /// end of its head). The CSP stays: what `head` adds is never run.
    fn with_head(&self, head: &str) -> HttpResponse {
        let html = String::from_utf8_lossy(&self.index);
        let start = html
            .find("<meta name=\"description\"")
            .or_else(|| html.find("<title>"));
        let end = html.find("</title>").map(|at| at + "</title>".len());
        let page = match (start, end) {
            (Some(start), Some(end)) if start < end => {
                format!("{}{head}{}", &html[..start], &html[end..])
            }
            _ => html.replacen("</head>", &format!("{head}</head>"), 1),
        };
        let mut response = self.answer(web::Bytes::from(page));
        // The head speaks the reader's language (`offer_feeds::preferred_locale`).
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
        response
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "wasm" => "application/wasm",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "ftl" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Hashes of the inline `<script>` blocks of `index.html`, as CSP sources.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains("src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    hashes
}

impl SpaAssets {
    /// Loads a built `dist/` folder (and the other apps in their folders, `guide/` and
    /// `staff/`); `None` when it has no `index.html`.
    pub fn load(dir: &Path) -> std::io::Result<Option<Self>> {
        let Ok(index) = std::fs::read(dir.join("index.html")) else {
            return Ok(None);
        };
        let mut files = HashMap::new();
        read_assets(dir, "", &mut files)?;
        let mut others = Vec::new();
        for app in WebApp::OTHERS {
            let folder = dir.join(app.assets().trim_matches('/'));
            if let Ok(index) = std::fs::read(folder.join("index.html")) {
                read_assets(&folder, app.assets().trim_start_matches('/'), &mut files)?;
                others.push((app, Shell::of(index)));
            }
        }
        Ok(Some(Self {
            files,
            youth: Shell::of(index),
            others,
        }))
    }

    /// The shell of the app that shows `path`.
    fn shell(&self, path: &str) -> &Shell {
        let app = web_app_of(path);
        self.others
            .iter()
            .find(|(other, _)| *other == app)
            .map_or(&self.youth, |(_, shell)| shell)
    }
}

/// Reads the assets of one folder (not its subfolders), named `prefix` + file name.
fn read_assets(
    dir: &Path,
    prefix: &str,
    files: &mut HashMap<String, Asset>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !path.is_file() || name.ends_with(".gz") || name.ends_with(".br") || name == "index.html"
        {
            continue;
        }
        let read_variant = |suffix: &str| {
            std::fs::read(dir.join(format!("{name}.{suffix}")))
                .ok()
                .map(web::Bytes::from)
        };
        let immutable = name.contains('-') && !name.starts_with("index");
        files.insert(
            format!("{prefix}{name}"),
            Asset {
                content_type: content_type(&name),
                identity: web::Bytes::from(std::fs::read(&path)?),
                gzip: read_variant("gz"),
                brotli: read_variant("br"),
                immutable,
            },
        );
    }
    Ok(())
}

/// Whether the client takes `encoding` (`br`, `gzip`) in `Accept-Encoding`.
pub(crate) fn accepts(req: &HttpRequest, encoding: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some(encoding))
        })
}

/// The fallback of every unmatched GET: an asset, the app shell, or a 404 problem for the API.
pub async fn serve(
    req: HttpRequest,
    assets: Option<web::Data<SpaAssets>>,
    state: &AppState,
) -> HttpResponse {
    let path = req.path();
    let is_api = ["/api/", "/api-docs/", "/docs/"]
        .iter()
        .any(|p| path.starts_with(p));
    let (Some(assets), false, true) = (
        assets,
        is_api,
        req.method() == actix_web::http::Method::GET
            || req.method() == actix_web::http::Method::HEAD,
    ) else {
        return actix_web::ResponseError::error_response(&ApiError::NotFound);
    };
    let name = path.trim_start_matches('/');
    let Some(asset) = assets.files.get(name) else {
        // A path with a file extension that we do not have is a missing file, not a page.
        if name
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
        {
            return actix_web::ResponseError::error_response(&ApiError::NotFound);
        }
        let shell = assets.shell(path);
        // An offer's page tells a shared link's preview and search engines what it is.
        if let Some(id) = path
            .strip_prefix("/offers/")
            .and_then(|id| id.parse::<i64>().ok())
        {
            // The last `lang`, as the feeds read it; one that is no language is none.
            let lang = form_urlencoded::parse(req.query_string().as_bytes())
                .filter(|(key, _)| key == "lang")
                .last()
                .and_then(|(_, value)| shared::Locale::parse(&value).ok());
            let accept_language = req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok());
            let locale = offer_feeds::preferred_locale(lang, accept_language);
            match offer_feeds::page_head(state, id, locale, lang).await {
                Ok(Some(head)) => return shell.with_head(&head),
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(error = ?error, offer = id, "an offer's page head could not be written")
                }
            }
        }
        return shell.response();
    };
    let mut response = HttpResponse::Ok();
    response.content_type(asset.content_type);
    response.insert_header((header::VARY, "Accept-Encoding"));
    response.insert_header((
        header::CACHE_CONTROL,
        if asset.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        },
    ));
    let body = match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts(&req, "br") => {
            response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("br")));
            br.clone()
        }
        (_, Some(gz)) if accepts(&req, "gzip") => {
            response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
            gz.clone()
        }
        _ => asset.identity.clone(),
    };
    response.body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_ignored() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">init()</script>";
        let hashes = inline_script_hashes(html);
        // `printf 'init()' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hashes,
            ["'sha256-w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8='"]
        );
    }
}
