//! Sources admins configure, polled by the server's own worker from feeds a test server serves
//! on 127.0.0.1: RSS with a conditional GET, a loose JSON-LD page, a partner's CSV, and hostile
//! ones (a page that never ends, one that trickles, a 50 MB one, an entity bomb, a wrong
//! declared encoding, a server error), each read or cut with its reason recorded; the worker's
//! claim of a source is one instance's.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::helpers::{Backend, TestApp, spawn_app_configured};

/// The requests the feeds' server received: path and `If-None-Match`.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

fn rss(items: &[(&str, &str)]) -> String {
    let now = Utc::now().to_rfc2822();
    let items: String = items
        .iter()
        .map(|(n, title)| {
            format!(
                "<item><title>{title}</title><link>https://board.example/offres/{n}</link>\
<description>&lt;p&gt;Missions du poste {n}.&lt;/p&gt;</description><pubDate>{now}</pubDate>\
<category>Casablanca</category><category>CDI</category></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Board</title>\
<link>https://board.example</link><description>Offres</description>{items}</channel></rss>"
    )
}

fn json_ld_page() -> String {
    let today = Utc::now().format("%Y-%m-%d");
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Offres</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"Board"}},
{{"@type":"JobPosting","title":"Infirmier polyvalent","description":"Soins aux patients.
Gardes de nuit.","hiringOrganization":{{"@type":"Organization","name":"Clinique Atlas"}},
"jobLocation":{{"@type":"Place","address":{{"@type":"PostalAddress","addressLocality":"Rabat"}}}},
"datePosted":"{today}","employmentType":"CDD","url":"https://pages.example/1"}}]}}</script>
<script type="application/ld+json">{{&quot;@type&quot;:&quot;JobPosting&quot;,&quot;title&quot;:&quot;Technicien réseau&quot;,&quot;url&quot;:&quot;https://pages.example/2&quot;,&quot;datePosted&quot;:&quot;{today}&quot;,&quot;description&quot;:&quot;Câblage et supervision.&quot;}}</script>
<script type="application/ld+json">{{"@type":"JobPosting","title": </script>
</head><body></body></html>"#
    )
}

fn partner_csv() -> String {
    let today = Utc::now().format("%d/%m/%Y");
    format!(
        "Référence,Poste,Détails,Ville,Lien\n\
P1,Agent de saisie,Saisie des commandes.,Tanger,https://partner.example/p1\n\
P2,,Sans intitulé.,Tanger,https://partner.example/p2\n\
P3,Magasinier,Gestion du stock; date {today},Fès,https://partner.example/p3\n"
    )
}

const BOMB: &str = r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]><rss version="2.0"><channel><title>B</title><item><title>&i;</title><link>https://bomb.example/1</link><description>x</description></item></channel></rss>"#;

/// Serves the fixtures on 127.0.0.1 until the test ends; its base URL and what it received.
async fn feeds_server() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let if_none_match = head
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("if-none-match:"))
                    .map(|l| l[14..].trim().to_owned());
                log.lock()
                    .unwrap()
                    .push((path.clone(), if_none_match.clone()));
                let reply = |status: &str, kind: &str, body: &[u8], extra: &str| {
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
                        body.len()
                    )
                    .into_bytes();
                    out.extend_from_slice(body);
                    out
                };
                let body = match path.as_str() {
                    "/rss" if if_none_match.as_deref() == Some("\"v1\"") => {
                        b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                    "/rss" => reply(
                        "200 OK",
                        "application/rss+xml",
                        rss(&[("1", "Comptable"), ("2", "Stage PFE développeur web")]).as_bytes(),
                        "ETag: \"v1\"\r\n",
                    ),
                    "/jsonld" => reply("200 OK", "text/html", json_ld_page().as_bytes(), ""),
                    "/csv" => reply("200 OK", "text/csv", partner_csv().as_bytes(), ""),
                    "/bomb" => reply("200 OK", "application/xml", BOMB.as_bytes(), ""),
                    "/latin1" => {
                        let mut body = rss(&[("7", "Ing\u{e9}nieur qualit\u{e9}")])
                            .replace("Ing\u{e9}nieur qualit\u{e9}", "@@")
                            .into_bytes();
                        let at = body.windows(2).position(|w| w == b"@@").unwrap();
                        body.splice(at..at + 2, b"Ing\xe9nieur qualit\xe9".iter().copied());
                        reply("200 OK", "application/rss+xml", &body, "")
                    }
                    "/error" => reply("500 Internal Server Error", "text/plain", b"down", ""),
                    "/huge" => {
                        // Declares and sends 50 MB.
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52428800\r\nConnection: close\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let block = vec![b'a'; 64 * 1024];
                        for _ in 0..800 {
                            if socket.write_all(&block).await.is_err() {
                                return;
                            }
                        }
                        return;
                    }
                    "/endless" => {
                        // Never ends, as fast as it is read, with no length said.
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n<rss version=\"2.0\"><channel><title>B</title>";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let item = rss(&[("9", "Encore")]).into_bytes();
                        for _ in 0..1_000_000 {
                            if socket.write_all(&item).await.is_err() {
                                return;
                            }
                        }
                        return;
                    }
                    "/trickle" => {
                        // A byte every 100 ms: never whole within the poll's time.
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        for _ in 0..600 {
                            if socket.write_all(b" ").await.is_err() {
                                return;
                            }
                            tokio::time::sleep(StdDuration::from_millis(100)).await;
                        }
                        return;
                    }
                    _ => reply("404 Not Found", "text/plain", b"no", ""),
                };
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (address, seen)
}

/// A server whose worker looks every second, with short poll limits.
async fn polling_app(backend: Backend) -> Option<TestApp> {
    spawn_app_configured(backend, |s| {
        s.job_tick = StdDuration::from_secs(1);
        s.ingest_timeout = StdDuration::from_secs(2);
        s.ingest_max_bytes = 1 << 20;
    })
    .await
}

async fn add_source(app: &TestApp, admin: &str, body: Value) -> Value {
    let reply = app
        .post("/api/v1/ingest-sources", Some(admin), body.clone())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{body}: {}", reply.body);
    reply.body
}

/// The source's runs once `count` of them have ended (the worker polls within seconds).
async fn runs_after(app: &TestApp, admin: &str, id: i64, count: usize) -> Vec<Value> {
    for _ in 0..300 {
        let reply = app
            .get(&format!("/api/v1/ingest-sources/{id}/runs"), Some(admin))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let runs = reply.body["items"].as_array().unwrap().clone();
        if runs.iter().filter(|r| r["status"] != "running").count() >= count {
            return runs;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("source {id}: fewer than {count} runs ended in 30 s");
}

async fn sources_are_admins_alone_and_checked_field_by_field(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, employer) = app
        .account("employer@example.ma", Role::Employer, None)
        .await;
    // Refused before the body is read, however wrong it is.
    for token in [&employer] {
        let reply = app
            .post("/api/v1/ingest-sources", Some(token), json!({"kind": 3}))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    let reply = app
        .post(
            "/api/v1/ingest-sources",
            Some(&admin),
            json!({"name": " ", "kind": "file", "url": "ftp://x", "every_minutes": 5,
                   "columns": {"town": ["Ville"]}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["columns.town", "every_minutes", "kind", "name", "url"],
        "{}",
        reply.body
    );
    let reply = app
        .post(
            "/api/v1/ingest-sources",
            Some(&admin),
            json!({"name": "partner", "kind": "csv", "url": "https://partner.example/offres.csv",
                   "columns": {"title": ["Poste"], "town": ["Ville"]}}),
        )
        .await;
    assert_eq!(reply.error_fields(), ["columns.town"], "{}", reply.body);
    let created = add_source(
        &app,
        &admin,
        json!({"name": "board.example", "kind": "feed", "url": "https://board.example/rss",
               "enabled": false}),
    )
    .await;
    assert_eq!(created["every_minutes"], 60);
    assert_eq!(created["live_offers"], 0);
    let reply = app
        .post(
            "/api/v1/ingest-sources",
            Some(&admin),
            json!({"name": "board.example", "kind": "feed", "url": "https://other.example/rss"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        reply.body["errors"][0]["code"], "source.name_taken",
        "{}",
        reply.body
    );
    let id = created["id"].as_i64().unwrap();
    let reply = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/ingest-sources/{id}"),
            Some(&admin),
            Some(json!({"name": "board.example", "kind": "feed",
                        "url": "https://board.example/rss", "every_minutes": 30, "enabled": false})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["every_minutes"], 30);
    let list = app.get("/api/v1/ingest-sources", Some(&admin)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/api/v1/ingest-sources/987654", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An imported file's source is listed, not polled.
    let file = app.data_dir.join("one.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            json!({"id": "1", "title": "Agent", "description": "Accueil", "url": "https://f.example/1"})
        ),
    )
    .unwrap();
    let quiet = |_: &backend::services::ingest::Progress| {};
    let imported = backend::services::ingest::import(
        &app.db,
        &file,
        &backend::services::ingest::ImportOptions {
            source: "f.example".into(),
            format: backend::services::ingest::Format::JsonLines,
            columns: Default::default(),
            as_of: None,
        },
        &quiet,
        &tokio_util::sync::CancellationToken::new(),
    )
    .await
    .unwrap();
    let reply = app
        .post(
            &format!("/api/v1/ingest-sources/{}/poll", imported.source_id),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["errors"][0]["code"], "source.not_polled");
    let list = app.get("/api/v1/ingest-sources", Some(&admin)).await;
    let file_source = list.body.as_array().unwrap()[1].clone();
    assert_eq!(file_source["kind"], "file");
    assert_eq!(file_source["last_run"]["created"], 1);
}

async fn a_polled_feed_fills_offers_and_its_next_poll_is_conditional(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (base, seen) = feeds_server().await;
    let source = add_source(
        &app,
        &admin,
        json!({"name": "board.example", "kind": "feed", "url": format!("{base}/rss")}),
    )
    .await;
    let id = source["id"].as_i64().unwrap();
    let runs = runs_after(&app, &admin, id, 1).await;
    let run = &runs[0];
    assert_eq!(run["status"], "finished", "{run}");
    assert_eq!(
        (run["fetched"].as_i64(), run["created"].as_i64()),
        (Some(2), Some(2))
    );
    let offers = app.get("/api/v1/offers?limit=10", None).await;
    let items = offers.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", offers.body);
    let accountant = items.iter().find(|o| o["title"] == "Comptable").unwrap();
    assert_eq!(accountant["published_on"], "board.example");
    assert_eq!(accountant["commune_code"], "06.141.01.0");
    assert_eq!(accountant["contract"], "cdi");
    assert_eq!(accountant["url"], "https://board.example/offres/1");
    let intern = items.iter().find(|o| o["kind"] == "internship").unwrap();
    assert_eq!(intern["internship"], "end_of_studies");
    let view = app
        .get(&format!("/api/v1/ingest-sources/{id}"), Some(&admin))
        .await;
    assert_eq!(view.body["live_offers"], 2);
    assert_eq!(view.body["failures"], 0);

    // Asked again: the validators go with the request, and nothing is read again.
    let reply = app
        .post(
            &format!("/api/v1/ingest-sources/{id}/poll"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let runs = runs_after(&app, &admin, id, 2).await;
    assert_eq!(runs[0]["status"], "not_modified", "{}", runs[0]);
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].1.as_deref(), Some("\"v1\""));
}

async fn hostile_sources_are_cut_or_read_with_their_reasons(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (base, _) = feeds_server().await;
    let mut ids = Vec::new();
    for (name, kind, path, columns) in [
        ("endless", "feed", "/endless", None),
        ("trickle", "feed", "/trickle", None),
        ("huge", "json_ld", "/huge", None),
        ("bomb", "feed", "/bomb", None),
        ("latin1", "feed", "/latin1", None),
        ("pages", "json_ld", "/jsonld", None),
        (
            "partner",
            "csv",
            "/csv",
            Some(
                json!({"id": ["Référence"], "title": ["Poste"], "description": ["Détails"],
                        "place": ["Ville"], "url": ["Lien"]}),
            ),
        ),
        ("down", "feed", "/error", None),
    ] {
        let mut body = json!({"name": name, "kind": kind, "url": format!("{base}{path}"),
                              "every_minutes": 15});
        if let Some(columns) = columns {
            body["columns"] = columns;
        }
        ids.push((
            name,
            add_source(&app, &admin, body).await["id"].as_i64().unwrap(),
        ));
    }
    let mut runs = std::collections::HashMap::new();
    for (name, id) in &ids {
        runs.insert(*name, runs_after(&app, &admin, *id, 1).await[0].clone());
    }
    let failed = |name: &str, words: &str| {
        let run = &runs[name];
        assert_eq!(run["status"], "failed", "{name}: {run}");
        assert!(
            run["error"].as_str().unwrap().contains(words),
            "{name}: {run}"
        );
    };
    failed("endless", "larger than 1 MiB");
    failed("trickle", "no whole answer within 2 s");
    failed("huge", "larger than 1 MiB");
    failed("down", "500");
    // The bomb's entities are not expanded: its item is read with the entity as written.
    let bomb = &runs["bomb"];
    assert_eq!(
        (bomb["status"].as_str(), bomb["created"].as_i64()),
        (Some("finished"), Some(1)),
        "{bomb}"
    );
    let latin1 = &runs["latin1"];
    assert_eq!(latin1["status"], "finished", "{latin1}");
    assert_eq!(latin1["created"], 1);
    assert!(
        latin1["reasons"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k == "dropped:encoding"),
        "{latin1}"
    );
    let pages = &runs["pages"];
    assert_eq!(
        (pages["status"].as_str(), pages["created"].as_i64()),
        (Some("finished"), Some(2)),
        "{pages}"
    );
    assert!(
        pages["reasons"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k == "dropped:unreadable_block"),
        "{pages}"
    );
    let partner = &runs["partner"];
    assert_eq!(
        (partner["created"].as_i64(), partner["rejected"].as_i64()),
        (Some(2), Some(1)),
        "{partner}"
    );
    assert!(
        partner["reasons"]
            .as_object()
            .unwrap()
            .contains_key("title:required")
    );
    let found = app.get("/api/v1/offers?limit=50", None).await;
    let titles: Vec<&str> = found.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"&i;"), "{titles:?}");
    for title in [
        "Ingénieur qualité",
        "Infirmier polyvalent",
        "Technicien réseau",
        "Agent de saisie",
        "Magasinier",
    ] {
        assert!(titles.contains(&title), "{title} in {titles:?}");
    }
    // A failing source waits twice its period before the next poll, and says so.
    let down = ids.iter().find(|(n, _)| *n == "down").unwrap().1;
    let view = app
        .get(&format!("/api/v1/ingest-sources/{down}"), Some(&admin))
        .await;
    assert_eq!(view.body["failures"], 1);
    let next: chrono::DateTime<Utc> = view.body["next_poll_at"].as_str().unwrap().parse().unwrap();
    let wait = next - Utc::now();
    assert!(
        wait > chrono::Duration::minutes(25) && wait <= chrono::Duration::minutes(30),
        "{wait}"
    );
}

async fn two_instances_claim_a_due_source_once(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    // Never reached: the test claims it, the worker of this server does not get to.
    let source = add_source(
        &app,
        &admin,
        json!({"name": "race", "kind": "feed", "url": "https://race.example/rss", "enabled": false}),
    )
    .await;
    let id = source["id"].as_i64().unwrap();
    // Due only far ahead: this server's own worker leaves it alone meanwhile.
    let ahead = Utc::now() + chrono::Duration::days(100);
    {
        use backend::entities::ingest_source::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        Entity::update_many()
            .col_expr(Column::Enabled, Expr::value(true))
            .col_expr(Column::NextPollAt, Expr::value(ahead))
            .filter(Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let other = backend::db::connect_and_migrate(&app.database_url)
        .await
        .unwrap();
    for round in 0..10 {
        let now = ahead + chrono::Duration::hours(round);
        let (a, b) = tokio::join!(
            backend::services::ingest::poll::claim(&app.db, id, now),
            backend::services::ingest::poll::claim(&other, id, now),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "round {round}: one instance polls it ({a}, {b})");
    }
}

macro_rules! on_both_databases_polling {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = super::polling_app(crate::helpers::Backend::Sqlite).await.expect("sqlite app");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = super::polling_app(crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}

on_both_databases_polling!(
    sources_are_admins_alone_and_checked_field_by_field,
    a_polled_feed_fills_offers_and_its_next_poll_is_conditional,
    hostile_sources_are_cut_or_read_with_their_reasons,
    two_instances_claim_a_due_source_once,
);
