//! Accounts a youth can keep: address verification, password reset by a single-use link,
//! mail in the recipient's language (outbox and SMTP), throttles, the bounded password hasher,
//! and client addresses read from forwarding headers only behind trusted proxies.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, read};

/// Registers through the API, so the welcome mail goes out.
async fn register(app: &TestApp, email: &str, role: &str, locale: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": email, "password": PASSWORD, "first_name": "Amina",
                   "last_name": "El Idrissi", "role": role, "locale": locale}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(reply.body["email_verified_at"].is_null());
    reply.body["id"].as_i64().unwrap()
}

async fn a_new_account_verifies_its_address_with_the_link_mailed_in_its_language(app: TestApp) {
    register(&app, "salma@example.ma", "youth", "ar").await;
    let mail = app.wait_for_mail("salma@example.ma", 1).await;
    assert_eq!(mail[0].subject, "أكِّد عنوان بريدك الإلكتروني");
    assert!(mail[0].html.contains("dir=\"rtl\""));
    let token = mail[0].token("verify-email");

    let access = app.token("salma@example.ma").await;
    let again = app
        .call(
            Method::POST,
            "/api/v1/auth/verification",
            Some(&access),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    let mail = app.wait_for_mail("salma@example.ma", 2).await;
    let newer = mail[1].token("verify-email");
    let path = "/api/v1/auth/verification/confirmation";
    let replaced = app.post(path, None, json!({"token": token})).await;
    assert_eq!(
        replaced.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a resent link replaces the first"
    );
    assert_eq!(replaced.body["errors"][0]["code"], "token.invalid");

    let confirmed = app.post(path, None, json!({"token": newer})).await;
    assert_eq!(
        confirmed.status,
        StatusCode::NO_CONTENT,
        "{}",
        confirmed.body
    );
    let me = app.get("/api/v1/me", Some(&access)).await;
    assert!(me.body["email_verified_at"].is_string(), "{}", me.body);
    let reused = app.post(path, None, json!({"token": newer})).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let verified = app
        .call(
            Method::POST,
            "/api/v1/auth/verification",
            Some(&access),
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::CONFLICT);
    // About the request as a whole: the code, with no field.
    assert_eq!(verified.body["errors"][0]["code"], "email.already_verified");
    assert_eq!(verified.body["errors"][0]["field"], "");
}

async fn a_forgotten_password_is_replaced_through_a_single_use_link(app: TestApp) {
    register(&app, "youssef@example.ma", "youth", "fr").await;
    app.wait_for_mail("youssef@example.ma", 1).await;
    let old_session = app.login("youssef@example.ma", PASSWORD).await;
    let old_refresh = old_session.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let path = "/api/v1/auth/password-reset";
    let unknown = app
        .post(path, None, json!({"email": "nobody@example.ma"}))
        .await;
    let known = app
        .post(path, None, json!({"email": "Youssef@Example.ma"}))
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(
        unknown.body, known.body,
        "the answer says nothing about the address"
    );
    assert_eq!(
        unknown.header("content-length"),
        known.header("content-length")
    );

    let mail = app.wait_for_mail("youssef@example.ma", 2).await;
    let reset = mail
        .iter()
        .find(|m| m.text.contains("/reset-password#token="))
        .unwrap();
    assert_eq!(reset.subject, "Choisissez un nouveau mot de passe");
    let token = reset.token("reset-password");

    let confirm = "/api/v1/auth/password-reset/confirmation";
    let weak = app
        .post(
            confirm,
            None,
            json!({"token": token, "new_password": "court"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.error_fields(), ["new_password"]);
    let done = app
        .post(
            confirm,
            None,
            json!({"token": token, "new_password": "couscous-du-vendredi-9"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);

    assert_eq!(
        app.login("youssef@example.ma", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("youssef@example.ma", "couscous-du-vendredi-9")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.refresh(&old_refresh).await.status,
        StatusCode::UNAUTHORIZED,
        "every old session ended"
    );
    let again = app
        .post(
            confirm,
            None,
            json!({"token": token, "new_password": "encore-un-autre-mot-3"}),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the link works once"
    );
    assert_eq!(again.body["errors"][0]["code"], "token.invalid");

    let mail = app.wait_for_mail("youssef@example.ma", 3).await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Votre mot de passe a été changé")
    );
    let session = app
        .login("youssef@example.ma", "couscous-du-vendredi-9")
        .await;
    let token = session.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(token)).await;
    assert!(
        me.body["email_verified_at"].is_string(),
        "the link reached the address"
    );
    assert!(app.mail_to("nobody@example.ma").is_empty());
    assert_eq!(
        app.count("audit_log WHERE action = 'user.password.reset'")
            .await,
        1
    );
}

async fn reset_requests_are_throttled_alike_for_known_and_unknown_addresses(app: TestApp) {
    app.account("known@example.ma", shared::Role::Youth, None)
        .await;
    for email in ["known@example.ma", "unknown@example.ma"] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let reply = app
                .post("/api/v1/auth/password-reset", None, json!({"email": email}))
                .await;
            statuses.push(reply.status.as_u16());
            if reply.status == StatusCode::TOO_MANY_REQUESTS {
                assert!(reply.is_problem());
                assert!(reply.header("retry-after").parse::<u64>().unwrap() >= 1);
            }
        }
        assert_eq!(statuses, [202, 202, 202, 202, 202, 429], "{email}");
    }
}

async fn a_burst_of_registrations_is_refused_before_it_exhausts_memory(app: TestApp) {
    let app = app
        .sibling(|settings| {
            settings.hash_concurrency = 1;
            settings.hash_queue = 1;
        })
        .await;
    let requests = (0..16).map(|n| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/register",
                None,
                json!({"email": format!("burst{n}@example.ma"), "password": PASSWORD,
                       "first_name": "B", "last_name": "Urst"}),
            )
            .await
        }
    });
    let replies = futures_util::future::join_all(requests).await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let refused: Vec<_> = replies
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert_eq!(created + refused.len(), 16, "only 201 or 503");
    assert!(
        created >= 2,
        "the running hash and the waiting one get through"
    );
    assert!(
        !refused.is_empty(),
        "sixteen at once cannot all wait for one slot"
    );
    for reply in refused {
        assert!(reply.is_problem());
        assert_eq!(reply.body["type"], "/problems/unavailable");
        assert_eq!(reply.header("retry-after"), "2");
    }
    assert_eq!(
        app.count("users").await,
        created as i64,
        "refused ones stored nothing"
    );
}

/// Sends reset requests for distinct addresses, each claiming another client address.
async fn resets_claiming_other_addresses(app: &TestApp, count: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for n in 0..count {
        let response = app
            .client
            .post(app.url("/api/v1/auth/password-reset"))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .json(&json!({"email": format!("person{n}@example.ma")}))
            .send()
            .await
            .unwrap();
        statuses.push(read(response).await.status.as_u16());
    }
    statuses
}

async fn forwarded_addresses_are_believed_only_from_trusted_proxies(app: TestApp) {
    let statuses = resets_claiming_other_addresses(&app, 31).await;
    assert_eq!(statuses[..30], [202; 30]);
    assert_eq!(
        statuses[30], 429,
        "a client cannot pick the address it is throttled under"
    );

    let behind_proxy = app
        .sibling(|settings| settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()])
        .await;
    let statuses = resets_claiming_other_addresses(&behind_proxy, 31).await;
    assert_eq!(
        statuses, [202; 31],
        "behind the proxy, each client has its own budget"
    );
}

async fn a_valid_key_beyond_its_scope_gets_403_insufficient_scope(app: TestApp) {
    let (_, admin) = app
        .account("admin@example.ma", shared::Role::Admin, None)
        .await;
    let (_, owner) = app
        .account("owner@example.ma", shared::Role::Partner, None)
        .await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&owner),
            json!({"name": "Agence", "kind": "recruitment_agency"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.verify_organization(org, &admin).await;
    let key = app
        .post(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&owner),
            json!({"name": "offers", "scopes": ["offers:write"]}),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_key = |path: String, key: String| {
        let app = &app;
        async move {
            read(
                app.client
                    .get(app.url(&path))
                    .header("x-api-key", key)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let scoped = with_key(format!("/api/v1/organizations/{org}"), key.clone()).await;
    assert_eq!(scoped.status, StatusCode::FORBIDDEN);
    assert_eq!(scoped.body["type"], "/problems/insufficient-scope");
    assert!(
        scoped.body["detail"]
            .as_str()
            .unwrap()
            .contains("organization:read")
    );
    assert!(
        scoped
            .header("www-authenticate")
            .contains("insufficient_scope")
    );
    let people_only = with_key("/api/v1/me".into(), key.clone()).await;
    assert_eq!(people_only.status, StatusCode::FORBIDDEN);
    assert_eq!(people_only.body["type"], "/problems/insufficient-scope");
    let wrong = with_key("/api/v1/me".into(), format!("{key}0")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

/// One message as it crossed SMTP: its recipients and its raw data.
type Delivery = (Vec<String>, Vec<u8>);

/// What the test's SMTP server received.
#[derive(Clone, Default)]
struct Inbox(Arc<Mutex<Vec<Delivery>>>);

#[derive(Clone)]
struct Receiving {
    inbox: Inbox,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin::Handler for Receiving {
    fn data_start(&mut self, _: &str, _: &str, _: bool, to: &[String]) -> mailin::Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin::Response {
        let message = (std::mem::take(&mut self.to), std::mem::take(&mut self.data));
        self.inbox.0.lock().unwrap().push(message);
        mailin::response::OK
    }
}

/// An SMTP server on 127.0.0.1 speaking the protocol of the `mailin` crate, one thread per
/// connection; returns its port.
fn smtp_server(inbox: Inbox) -> u16 {
    smtp_server_on(TcpListener::bind("127.0.0.1:0").unwrap(), inbox)
}

/// The same, on a listener the test bound itself.
fn smtp_server_on(listener: TcpListener, inbox: Inbox) -> u16 {
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let inbox = inbox.clone();
            std::thread::spawn(move || {
                let handler = Receiving {
                    inbox,
                    to: vec![],
                    data: vec![],
                };
                let mut session = mailin::SessionBuilder::new("test-smtp")
                    .build(stream.peer_addr().unwrap().ip(), handler);
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                session.greeting().write_to(&mut writer).unwrap();
                let mut line = Vec::new();
                while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                    let response = session.process(&line);
                    line.clear();
                    match response.action {
                        mailin::Action::Close => {
                            let _ = response.write_to(&mut writer);
                            break;
                        }
                        mailin::Action::NoReply => {}
                        _ => response.write_to(&mut writer).unwrap(),
                    }
                    writer.flush().unwrap();
                }
            });
        }
    });
    port
}

async fn with_smtp_configured_mail_reaches_the_smtp_server(app: TestApp) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let app = app
        .sibling(|settings| {
            settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
            settings.public_url = "https://careercenter.example.ma".into();
        })
        .await;
    register(&app, "leila@example.ma", "partner", "en").await;
    let mut received = None;
    for _ in 0..100 {
        if let Some(message) = inbox.0.lock().unwrap().first().cloned() {
            received = Some(message);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (to, data) = received.expect("the SMTP server received the welcome mail");
    assert_eq!(to, ["leila@example.ma"]);
    let message = mail_parser::MessageParser::default().parse(&data).unwrap();
    assert_eq!(message.subject(), Some("Confirm your e-mail address"));
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains("https://careercenter.example.ma/verify-email#token="),
        "{text}"
    );
    assert!(message.body_html(0).unwrap().contains("lang=\"en\""));
    assert!(!app.data_dir.join("outbox").exists() || app.mail_to("leila@example.ma").is_empty());
}

async fn mail_that_cannot_leave_waits_and_is_retried_until_the_server_answers(app: TestApp) {
    // A port where no mail server listens yet.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = app
        .sibling(|settings| {
            settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
            settings.job_tick = std::time::Duration::from_secs(1);
        })
        .await;
    register(&app, "leila@example.ma", "partner", "fr").await;
    let mut kept = 0;
    for _ in 0..100 {
        kept = app.count("mail_outbox WHERE last_error IS NOT NULL").await;
        if kept > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(kept, 1, "the failed welcome mail waits in the outbox table");

    // The mail server comes up: the worker's next tries deliver it, and the row goes.
    let inbox = Inbox::default();
    smtp_server_on(
        TcpListener::bind(("127.0.0.1", port)).unwrap(),
        inbox.clone(),
    );
    let mut received = None;
    for _ in 0..200 {
        if let Some(message) = inbox.0.lock().unwrap().first().cloned() {
            received = Some(message);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (to, data) = received.expect("the retry reached the SMTP server");
    assert_eq!(to, ["leila@example.ma"]);
    let message = mail_parser::MessageParser::default().parse(&data).unwrap();
    assert_eq!(message.subject(), Some("Confirmez votre adresse e-mail"));
    let mut left = 1;
    for _ in 0..50 {
        left = app.count("mail_outbox").await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(left, 0, "a delivered mail leaves the table");
}

async fn the_demo_stays_out_of_a_database_with_real_users(app: TestApp) {
    app.account("real.youth@example.ma", shared::Role::Youth, None)
        .await;
    let refused = backend::seed::demo(&app.db, false).await;
    assert!(refused.unwrap_err().to_string().contains("--force"));
    assert_eq!(app.count("users").await, 1, "nothing added");

    let password = backend::seed::demo(&app.db, true)
        .await
        .unwrap()
        .expect("a password");
    assert_ne!(password, "demo-career-2026", "no password known in advance");
    let login = app
        .login("amina.elidrissi@demo.careercenter.ma", &password)
        .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        backend::seed::demo(&app.db, true).await.unwrap().is_none(),
        "loaded once"
    );
}

crate::on_both_databases!(
    the_demo_stays_out_of_a_database_with_real_users,
    a_new_account_verifies_its_address_with_the_link_mailed_in_its_language,
    a_forgotten_password_is_replaced_through_a_single_use_link,
    reset_requests_are_throttled_alike_for_known_and_unknown_addresses,
    a_burst_of_registrations_is_refused_before_it_exhausts_memory,
    forwarded_addresses_are_believed_only_from_trusted_proxies,
    a_valid_key_beyond_its_scope_gets_403_insufficient_scope,
    with_smtp_configured_mail_reaches_the_smtp_server,
    mail_that_cannot_leave_waits_and_is_retried_until_the_server_answers,
);
