//! Builds the HTTP server from settings and a bound listener, so tests bind port 0 and run the
//! very server production runs.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{self, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, HttpServer, web};
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::metrics::Metrics;
use crate::routes;
use crate::state::AppState;

/// Swagger UI needs its own scripts and styles and inline styles; nothing else is allowed,
/// and no page may frame ours.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    state: web::Data<AppState>,
    /// The server on `METRICS_BIND`, when set, and its port.
    metrics: Option<(Server, u16)>,
}

impl Application {
    /// Connects, migrates, loads the reference data and binds `settings.bind`.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = crate::db::connect_and_migrate(settings.database_url.expose_secret()).await?;
        crate::seed::reference(&db).await?;
        let listener = TcpListener::bind(settings.bind)?;
        Self::from_parts(settings, db, listener)
    }

    pub fn from_parts(
        settings: Settings,
        db: DatabaseConnection,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState::new(
            db.clone(),
            settings,
            Arc::new(Metrics::default()),
        )?);
        let metrics = match state.settings.metrics_bind {
            Some(address) => {
                let listener = TcpListener::bind(address)?;
                let port = listener.local_addr()?.port();
                tracing::info!(%address, "serving /metrics on its own address");
                Some((run_metrics(listener, state.clone())?, port))
            }
            None => {
                if state.settings.metrics_token.is_none() {
                    tracing::info!(
                        "/metrics is off: set METRICS_TOKEN or METRICS_BIND to serve it"
                    );
                }
                None
            }
        };
        let server = run(listener, state.clone())?;
        Ok(Self {
            port,
            server,
            db,
            state,
            metrics,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The port of the `METRICS_BIND` address, when metrics have one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// Serves until the server stops (SIGTERM or SIGINT: in-flight requests finish first), with
    /// the background worker beside it; the worker then stops at its next safe point.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stop = tokio_util::sync::CancellationToken::new();
        let worker = tokio::spawn(crate::jobs::work(self.state.clone(), stop.clone()));
        let index = tokio::spawn(
            self.state
                .offers
                .clone()
                .keep(self.state.clone(), stop.clone()),
        );
        let upkeep = tokio::spawn(metrics_upkeep(self.state, stop.clone()));
        let metrics = self.metrics.map(|(server, _)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let served = self.server.await;
        stop.cancel();
        if let Some(metrics) = metrics {
            metrics.stop(true).await;
        }
        let _ = upkeep.await;
        let _ = index.await;
        if let Err(error) = worker.await {
            tracing::error!(%error, "the background worker ended abnormally");
        }
        served
    }
}

/// Turns the bodiless errors actix produces itself (404 for unknown paths, 405 for undeclared
/// methods) into problem documents like every other error.
fn problem_for_bare_errors<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    new.content_type(PROBLEM_JSON);
    if let Some(allow) = old.headers().get(header::ALLOW) {
        new.insert_header((header::ALLOW, allow.clone()));
    }
    let title = status.canonical_reason().unwrap_or("Error");
    let body = serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
    });
    let response = new.json(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body::<B>(),
    ))
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([header::HeaderName::from_static("x-request-id")])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Copies the request id tracing assigned into the response, so a user reporting an error can
/// quote it and an operator can find the matching log lines.
async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let id = actix_web::HttpMessage::extensions(&req)
        .get::<RequestId>()
        .copied();
    let mut res = next.call(req).await?;
    if let Some(id) = id
        && let Ok(value) = HeaderValue::from_str(&id.to_string())
    {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Headers every response carries; `Strict-Transport-Security` only when cookies are `Secure`,
/// since a plain-HTTP development server must stay reachable.
fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if hsts {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// Folds recent latency samples into their buckets every few seconds, until `stop`.
async fn metrics_upkeep(state: web::Data<AppState>, stop: tokio_util::sync::CancellationToken) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            _ = tick.tick() => state.metrics.upkeep(),
        }
    }
}

/// The metrics alone, unguarded, on their own (private) address.
fn run_metrics(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(routes::health::open_metrics))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::NotFound)
            }))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}

fn run(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let openapi = crate::openapi::served(crate::services::accounts::current_year());
    let methods = web::Data::new(routes::Methods::from_spec(&openapi));
    let spa = crate::spa::SpaAssets::load(&state.settings.spa_dir)?.map(web::Data::new);
    match &spa {
        Some(_) => tracing::info!(dir = %state.settings.spa_dir.display(), "serving the web app"),
        None => {
            tracing::warn!(dir = %state.settings.spa_dir.display(), "no web app build found; serving the API only")
        }
    }
    let cors_origins = state.settings.cors_origins.clone();
    // With `Secure` cookies the site is served over HTTPS: tell browsers to keep to it.
    let hsts = state.settings.cookie_secure;
    let server = HttpServer::new(move || {
        let mut app = App::new().app_data(state.clone()).app_data(methods.clone());
        if let Some(spa) = &spa {
            app = app.app_data(spa.clone());
        }
        app.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .wrap(middleware::from_fn(crate::idempotency::middleware))
            .wrap(middleware::from_fn(
                crate::auth::caller::forget_accounts_after_writes,
            ))
            .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
            .wrap(middleware::from_fn(crate::metrics::record))
            .wrap(cors(&cors_origins))
            .wrap(security_headers(hsts))
            .wrap(middleware::from_fn(request_id_header))
            .wrap(TracingLogger::default())
            .into_utoipa_app()
            .configure(routes::configure)
            .into_app()
            .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", openapi.clone()))
            .default_service(web::to(routes::unrouted))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
