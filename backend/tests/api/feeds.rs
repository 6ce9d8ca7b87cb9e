//! Offers beyond the platform: the RSS and Atom feeds of a search, and an offer's page as a shared link's
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
    // In the reader's language: the feed's own words and the places (the offers' texts as
    // written), and it names itself with its language.
    let (status, _, arabic) = text(&app, "/api/v1/offers/feed.rss?q=stage&lang=ar").await;
    assert_eq!(status, StatusCode::OK, "{arabic}");
    assert!(arabic.contains("<language>ar</language>"), "{arabic}");
    assert!(
        arabic.contains("مركز التوجيه المهني — العروض: stage"),
        "{arabic}"
    );
    assert!(arabic.contains("الدار البيضاء"), "{arabic}");
    assert!(arabic.contains("<category>تدريب</category>"), "{arabic}");
    assert!(arabic.contains("<title>Stage PFE data</title>"), "{arabic}");
    assert!(
        arabic.contains("/api/v1/offers/feed.rss?q=stage&amp;lang=ar"),
        "{arabic}"
    );
    let (status, _, refused) = text(&app, "/api/v1/offers/feed.rss?lang=de").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let refused: Value = serde_json::from_str(&refused).unwrap();
    assert_eq!(refused["errors"][0]["field"], "lang", "{refused}");
    // The same feed in Atom.
    let (status, kind, atom) = text(
        &app,
        "/api/v1/offers/feed.atom?q=python&kind=internship&lang=en",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{atom}");
    assert!(kind.starts_with("application/atom+xml"), "{kind}");
    assert!(
        atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{atom}"
    );
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");
    assert!(atom.contains("<title>Stage PFE data</title>"), "{atom}");
    assert!(atom.contains("Career Center — offers: python"), "{atom}");
    assert!(atom.contains(&format!("/offers/{}</id>", ids[0])), "{atom}");
    assert!(
        atom.contains("/api/v1/offers/feed.atom?q=python&amp;kind=internship&amp;lang=en"),
        "{atom}"
    );
    let (_, _, every) = text(&app, "/api/v1/offers/feed.atom").await;
    assert_eq!(every.matches("<entry>").count(), 3, "{every}");
    assert!(!every.contains("<script>"), "{every}");
    assert!(!every.contains("<b>senior"), "{every}");

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
    // The preview in the reader's language: the link's `lang`, or her browser's.
    let response = app
        .client
        .get(app.url(&format!("/offers/{}", ids[0])))
        .header("Accept-Language", "de-DE, ar-MA;q=0.8, fr;q=0.5")
        .send()
        .await
        .unwrap();
    let vary = response
        .headers()
        .get("vary")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(vary.contains("Accept-Language"), "{vary}");
    let arabic = response.text().await.unwrap();
    assert!(
        arabic.contains("<meta property=\"og:locale\" content=\"ar_MA\">"),
        "{arabic}"
    );
    assert!(
        arabic.contains("<meta property=\"og:site_name\" content=\"مركز التوجيه المهني\">"),
        "{arabic}"
    );
    assert!(
        arabic.contains("تدريب · Atlas Data — الدار البيضاء"),
        "{arabic}"
    );
    let (_, _, english) = text(&app, &format!("/offers/{}?lang=en", ids[0])).await;
    // The preview's address keeps the language the link said (previews fetch it again).
    assert!(
        english.contains(&format!("/offers/{}?lang=en\">", ids[0])),
        "{english}"
    );
    assert!(
        english.contains("<meta property=\"og:locale\" content=\"en_US\">"),
        "{english}"
    );
    assert!(
        english.contains("content=\"Internship · Atlas Data — Casablanca, Casablanca-Settat. "),
        "{english}"
    );
    assert!(
        page.contains("<meta property=\"og:locale\" content=\"fr_MA\">"),
        "{page}"
    );
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
