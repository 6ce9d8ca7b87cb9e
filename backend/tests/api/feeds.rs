//! Offers beyond the platform: the RSS feed of a search, and an offer's page as a shared link's
//! preview and a search engine read it before the web app boots.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{Backend, TestApp, spawn_app_with_web_app};
use crate::offers::{offer, organisation, push};

/// A miniature build whose page has the shell's title and description.
fn fake_build() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cc-feeds-{}",
        backend::auth::tokens::random_token()
            .get(..12)
            .unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\n<meta name=\"description\" content=\"Centre de carrière\">\n<title>Centre de carrière</title>\n<script type=\"module\">import init from '/app-1a2b3c.js'; init();</script></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("app-1a2b3c.js"),
        "export default function init() {}",
    )
    .unwrap();
    dir
}

async fn text(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

async fn offers_travel_by_feed_and_shared_links(backend: Backend) {
    let app = spawn_app_with_web_app(backend, fake_build())
        .await
        .expect("a server with its web app");
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &employer,
        "Atlas Data",
        json!(["offers:write"]),
    )
    .await;
    let mut hostile = offer("F-3", "Technicien \"réseaux\" <b>senior</b>");
    hostile["description"] = json!("<p>Poste</p></script><script>alert(1)</script>");
    hostile["remote"] = json!(true);
    let ids = push(
        &app,
        org,
        &key,
        vec![
            offer("F-1", "Stage PFE data"),
            json!({"external_id": "F-2", "kind": "job", "contract": "cdi", "title": "Comptable", "description": "Tenue des comptes."}),
            hostile,
        ],
    )
    .await;

    // The feed of a search: RSS 2.0, its offers newest first, each linking to its page.
    let (status, kind, body) = text(&app, "/api/v1/offers/feed.rss?q=stage&kind=internship").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(kind.starts_with("application/rss+xml"), "{kind}");
    assert!(body.contains("<rss version=\"2.0\""), "{body}");
    assert!(body.contains("<title>Stage PFE data</title>"), "{body}");
    assert!(
        body.contains(&format!("/offers/{}</link>", ids[0])),
        "{body}"
    );
    assert!(!body.contains("Comptable"), "{body}");
    assert!(
        body.contains("/api/v1/offers/feed.rss?q=stage&amp;kind=internship"),
        "the feed names itself: {body}"
    );
    let (_, _, all) = text(&app, "/api/v1/offers/feed.rss").await;
    assert_eq!(all.matches("<item>").count(), 3, "{all}");
    assert!(!all.contains("<script>"), "{all}");
    let (status, _, refused) = text(
        &app,
        &format!("/api/v1/offers/feed.rss?q={}", "a".repeat(201)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    // A shared link: the page's head says what the offer is before the app boots.
    let (status, kind, page) = text(&app, &format!("/offers/{}", ids[0])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(
        page.contains("<meta property=\"og:title\" content=\"Stage PFE data — Atlas Data\">"),
        "{page}"
    );
    assert!(
        page.contains("<title>Stage PFE data — Atlas Data</title>"),
        "{page}"
    );
    assert_eq!(page.matches("<title>").count(), 1, "{page}");
    assert!(
        page.contains("app-1a2b3c.js"),
        "the app still boots: {page}"
    );
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let posting: Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["title"], "Stage PFE data");
    assert_eq!(posting["employmentType"], "INTERN");
    assert_eq!(posting["hiringOrganization"]["name"], "Atlas Data");
    assert_eq!(
        posting["jobLocation"]["address"]["addressLocality"],
        "Casablanca"
    );
    assert_eq!(posting["baseSalary"]["value"]["minValue"], 3000);
    // Hostile words stay words: no attribute broken out of, no script closed early.
    let (_, _, hostile) = text(&app, &format!("/offers/{}", ids[2])).await;
    assert!(
        hostile.contains("Technicien &quot;réseaux&quot; &lt;b&gt;senior&lt;/b&gt;"),
        "{hostile}"
    );
    assert!(!hostile.contains("<script>alert(1)"), "{hostile}");
    assert_eq!(hostile.matches("</script>").count(), 2, "{hostile}");
    // An offer the public cannot read, or none: the plain shell, saying nothing of it.
    let withdrawn = app
        .post(
            &format!("/api/v1/offers/{}/withdrawal", ids[1]),
            Some(&employer),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    for path in [format!("/offers/{}", ids[1]), "/offers/987654".to_owned()] {
        let (status, _, plain) = text(&app, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            plain.contains("<title>Centre de carrière</title>"),
            "{path}: {plain}"
        );
        assert!(
            !plain.contains("og:title") && !plain.contains("Comptable"),
            "{path}: {plain}"
        );
    }
}

#[tokio::test]
async fn offers_travel_by_feed_and_shared_links_on_sqlite() {
    offers_travel_by_feed_and_shared_links(Backend::Sqlite).await;
}

#[tokio::test]
async fn offers_travel_by_feed_and_shared_links_on_postgres() {
    offers_travel_by_feed_and_shared_links(Backend::Postgres).await;
}
