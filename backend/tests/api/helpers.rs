//! Starts the real server on a free port with a fresh database, and speaks HTTP to it.

use std::net::TcpListener;
use std::path::PathBuf;

use backend::config::Settings;
use backend::startup::Application;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use shared::Role;

/// The password of every account the tests create.
pub const PASSWORD: &str = "tajine-au-citron-7";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// Where `db` points, for a second connection (another instance) to the same database.
    pub database_url: String,
    /// The `METRICS_BIND` server's base URL, when the test configured one.
    pub metrics_address: Option<String>,
    pub backend: Backend,
    /// Where this server keeps its files; mail lands in `outbox/` beneath it.
    pub data_dir: PathBuf,
    /// The server's JWT secret, to sign in many accounts without a login each.
    pub jwt_secret: Vec<u8>,
    _cleanup: Cleanup,
}

/// What a test leaves behind and must remove: its directory and, on PostgreSQL, its database.
pub struct Cleanup {
    dir: PathBuf,
    database: Option<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        let Some(name) = self.database.clone() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: a throw-away
        // runtime on another thread drops the database.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let admin = Database::connect(format!("{}/postgres", postgres_base()))
                    .await
                    .ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// A new, empty database of `backend` (not even migrated) and a directory beside it; `None`
/// where PostgreSQL is asked for and does not answer outside CI.
pub async fn scratch_database(backend: Backend) -> Option<(String, PathBuf, Cleanup)> {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("creating a temporary directory");
    let mut cleanup = Cleanup {
        dir: dir.clone(),
        database: None,
    };
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}/test.db?mode=rwc", dir.display()),
        Backend::Postgres => {
            let (url, name) = postgres_database().await?;
            cleanup.database = Some(name);
            url
        }
    };
    Some((url, dir, cleanup))
}

fn postgres_base() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn unique_name() -> String {
    format!(
        "cc_test_{}",
        backend::auth::tokens::random_token()
            .get(..16)
            .unwrap_or_default()
    )
}

/// A fresh PostgreSQL database, or `None` (with a loud message) where no server runs.
/// Under `CI=true` a missing server fails the test instead: CI must test both backends.
async fn postgres_database() -> Option<(String, String)> {
    let base = postgres_base();
    let name = unique_name();
    match Database::connect(format!("{base}/postgres")).await {
        Ok(admin) => {
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("creating a test database");
            Some((format!("{base}/{name}"), name))
        }
        Err(error) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL is required under CI=true but {base} does not answer: {error}");
            }
            eprintln!(
                "\n!!! SKIPPING the PostgreSQL half of this test: {base} does not answer ({error}).\n!!! Start PostgreSQL or set TEST_POSTGRES_URL to run it.\n"
            );
            // `cargo xtask test` counts these lines in its closing summary.
            if let Ok(path) = std::env::var("CC_POSTGRES_SKIPS") {
                use std::io::Write;
                if let Ok(mut log) = std::fs::OpenOptions::new().append(true).open(path) {
                    let _ = writeln!(log, "skipped");
                }
            }
            None
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with_web_app(backend, PathBuf::from("no-web-app-in-api-tests")).await
}

/// Like [`spawn_app`], serving the web app build found in `spa_dir`.
pub async fn spawn_app_with_web_app(backend: Backend, spa_dir: PathBuf) -> Option<TestApp> {
    spawn_app_configured(backend, |settings| settings.spa_dir = spa_dir).await
}

/// Like [`spawn_app`], with settings changed by `configure` before the server starts.
pub async fn spawn_app_configured(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let (database_url, dir, cleanup) = scratch_database(backend).await?;
    let jwt_secret = backend::auth::tokens::random_token().into_bytes();
    let mut settings = Settings::local(&database_url, dir.clone(), jwt_secret.clone());
    settings.spa_dir = PathBuf::from("no-web-app-in-api-tests");
    configure(&mut settings);
    let db = backend::db::connect_and_migrate(&database_url)
        .await
        .expect("migrating");
    backend::seed::reference(&db)
        .await
        .expect("loading reference data");
    let listener = TcpListener::bind(settings.bind).expect("binding a port");
    let app = Application::from_parts(settings, db.clone(), listener).expect("building the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    tokio::spawn(app.run_until_stopped());
    Some(TestApp {
        address,
        // Idle connections are dropped before the server's keep-alive (5 s) closes them: a
        // request sent on a connection the server is closing at that instant fails
        // (`IncompleteMessage`), which a burst after a slow set-up met once under load.
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        db,
        database_url,
        metrics_address,
        backend,
        data_dir: dir,
        jwt_secret,
        _cleanup: cleanup,
    })
}

/// A response read whole: status, headers and JSON body (or `Null`).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `field` names in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A response header as text; empty when absent.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn is_problem(&self) -> bool {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/problem+json"))
    }
}

/// A message found in a server's outbox.
pub struct Sent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Sent {
    /// The token of the link to `page` in the message (`…/page#token=…`).
    pub fn token(&self, page: &str) -> String {
        let marker = format!("/{page}#token=");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no {marker} link in: {}", self.text))
            + marker.len();
        self.text[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect()
    }
}

impl TestApp {
    /// Another server of the same kind of database, with changed settings.
    pub async fn sibling(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        spawn_app_configured(self.backend, configure)
            .await
            .expect("a second server")
    }

    /// Makes the account of `email` (signed in as `member`) a member of `org`: `owner` invites
    /// the address, and the member accepts through the link mailed to it.
    pub async fn join_by_invitation(&self, org: i64, owner: &str, email: &str, member: &str) {
        let address = email.to_lowercase();
        let count = self.mail_to(&address).len() + 1;
        let sent = self
            .post(
                &format!("/api/v1/organizations/{org}/invitations"),
                Some(owner),
                serde_json::json!({"email": email}),
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
        let mail = self.wait_for_mail(&address, count).await;
        let token = mail
            .iter()
            .rev()
            .find(|m| m.text.contains("/invitations#token="))
            .expect("an invitation mail")
            .token("invitations");
        let joined = self
            .post(
                "/api/v1/invitations/acceptance",
                Some(member),
                serde_json::json!({"token": token}),
            )
            .await;
        assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    }

    /// Every message written to the outbox so far that was sent to `to`.
    pub fn mail_to(&self, to: &str) -> Vec<Sent> {
        let Ok(entries) = std::fs::read_dir(self.data_dir.join("outbox")) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, Sent)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let bytes = std::fs::read(e.path()).ok()?;
                let modified = e.metadata().ok()?.modified().ok()?;
                let message = mail_parser::MessageParser::default().parse(&bytes)?;
                let recipient = message.to()?.first()?.address()?.to_owned();
                (recipient == to).then(|| {
                    (
                        modified,
                        Sent {
                            subject: message.subject().unwrap_or_default().to_owned(),
                            text: message.body_text(0).unwrap_or_default().into_owned(),
                            html: message.body_html(0).unwrap_or_default().into_owned(),
                        },
                    )
                })
            })
            .collect();
        found.sort_by_key(|(modified, _)| *modified);
        found.into_iter().map(|(_, sent)| sent).collect()
    }

    /// Waits (five seconds at most) until `to` has received `count` messages, and returns them.
    pub async fn wait_for_mail(&self, to: &str, count: usize) -> Vec<Sent> {
        for _ in 0..100 {
            let sent = self.mail_to(to);
            if sent.len() >= count {
                return sent;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "{to} did not receive {count} messages: {} arrived",
            self.mail_to(to).len()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request failed")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    /// Trades a refresh token (sent in the body) for new tokens.
    pub async fn refresh(&self, token: &str) -> Reply {
        self.post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": token}),
        )
        .await
    }

    /// Verifies an organisation as `admin`.
    pub async fn verify_organization(&self, org: i64, admin: &str) -> Reply {
        let path = format!("/api/v1/organizations/{org}/verification");
        self.call(Method::PUT, &path, Some(admin), None).await
    }

    /// A bodiless POST carrying a cookie, as the web app's session calls are.
    pub async fn post_with_cookie(&self, path: &str, cookie: &str) -> Reply {
        read(
            self.client
                .post(self.url(path))
                .header("cookie", cookie)
                .send()
                .await
                .expect("request failed"),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Logs in and returns the access token, failing the test otherwise.
    pub async fn token(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {email}: {}",
            reply.body
        );
        reply.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates an account directly in the database and returns its id and an access token.
    pub async fn account(&self, email: &str, role: Role, center_id: Option<i64>) -> (i64, String) {
        let user = backend::seed::create_account(
            &self.db,
            email,
            PASSWORD,
            role,
            center_id,
            "Test",
            role.as_str(),
        )
        .await
        .expect("creating an account");
        (user.id, self.token(email).await)
    }

    /// `n` youths of `center`, created in the database, each with an access token signed with
    /// the server's secret (a login each would meet the login throttle).
    pub async fn youths(&self, prefix: &str, n: usize, center_id: Option<i64>) -> Vec<String> {
        let keys = backend::auth::tokens::JwtKeys::new(&self.jwt_secret).unwrap();
        let mut tokens = Vec::with_capacity(n);
        for i in 0..n {
            let user = backend::seed::create_account(
                &self.db,
                &format!("{prefix}{i}@test.ma"),
                PASSWORD,
                Role::Youth,
                center_id,
                "Test",
                "youth",
            )
            .await
            .expect("creating an account");
            tokens.push(keys.issue(user.id).unwrap());
        }
        tokens
    }

    /// Counts the rows of a table, to prove a refused request stored nothing.
    pub async fn count(&self, table: &str) -> i64 {
        count_in(&self.db, table).await
    }

    /// Id of the first seeded pilot center of `city`.
    pub async fn center_in(&self, city: &str) -> i64 {
        let centers = self.get("/api/v1/centers?limit=100", None).await;
        centers.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["city"] == city)
            .and_then(|c| c["id"].as_i64())
            .expect("a pilot center in that city")
    }
}

/// A complete answer sheet whose area scores are `scores` (each 0–40): each area's ten items
/// share its score as evenly as answers of 0–4 allow.
pub fn answer_sheet(scores: [u8; 6]) -> Value {
    let mut answers = serde_json::Map::new();
    for area in shared::orientation::RiasecArea::ALL {
        let target = scores[area.index()];
        let items = shared::inventory::ITEMS.iter().filter(|i| i.area == area);
        for (n, item) in items.enumerate() {
            let value = target / 10 + u8::from((n as u8) < target % 10);
            answers.insert(item.id.to_owned(), json!(value));
        }
    }
    json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": answers})
}

impl TestApp {
    /// Submits a complete answer sheet as `youth` and returns the result's id.
    pub async fn submit_result(&self, youth: &str, scores: [u8; 6]) -> i64 {
        let reply = self
            .post(
                "/api/v1/orientation/results",
                Some(youth),
                answer_sheet(scores),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }

    /// Adds a plan step to a result as `staff` and returns its id.
    pub async fn add_step(&self, result: i64, staff: &str, title: &str) -> i64 {
        let reply = self
            .post(
                &format!("/api/v1/orientation/results/{result}/plan"),
                Some(staff),
                json!({"title": title, "due_on": "2027-01-15"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }
}

/// A call authenticated by an organisation's API key (`X-API-Key`).
pub async fn with_key(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> Reply {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("X-API-Key", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

/// Runs each listed `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.expect("sqlite app");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}

/// Rows of `table` (which may carry a `WHERE`) in `db`.
pub async fn count_in(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
