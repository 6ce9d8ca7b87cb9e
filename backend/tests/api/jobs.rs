//! The background worker: one instance runs a job at a time, the sweep removes only what
//! nothing reads again, sessions end at their absolute lifetime, API keys at their expiry.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;
use shared::Role;

use crate::helpers::{TestApp, count_in, read};

const HOUR: StdDuration = StdDuration::from_secs(3600);

async fn two_instances_claiming_a_job_at_once_run_it_once(app: TestApp) {
    // A second pool on the same database stands for a second instance.
    let other = backend::db::connect_and_migrate(&app.database_url)
        .await
        .unwrap();
    let now = Utc::now();
    for round in 0..10 {
        let name = format!("race-{round}");
        let (a, b) = tokio::join!(
            backend::jobs::claim(&app.db, &name, "instance-a", HOUR, now),
            backend::jobs::claim(&other, &name, "instance-b", HOUR, now),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(
            a ^ b,
            "round {round}: exactly one instance runs it ({a}, {b})"
        );
    }
    // Held, it is not claimed again, even once due; a lease that ran out (its holder died) is
    // taken over once the job is due.
    let later = now + Duration::minutes(5);
    assert!(
        !backend::jobs::claim(&other, "race-0", "c", StdDuration::from_secs(60), later)
            .await
            .unwrap()
    );
    let after_lease =
        now + Duration::from_std(backend::jobs::LEASE).unwrap() + Duration::seconds(1);
    assert!(
        !backend::jobs::claim(&other, "race-0", "c", HOUR, after_lease)
            .await
            .unwrap()
    );
    let due = now + Duration::hours(2);
    assert!(
        backend::jobs::claim(&other, "race-0", "c", HOUR, due)
            .await
            .unwrap()
    );
}

async fn the_worker_sweeps_at_start_and_records_the_run(app: TestApp) {
    // The server's own worker ran the sweep when it started: its lease row says how it went.
    let mut outcome = None;
    for _ in 0..50 {
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT last_outcome FROM job_leases WHERE name = 'sweep'".to_owned(),
            ))
            .await
            .unwrap();
        outcome = row.and_then(|r| {
            r.try_get::<Option<String>>("", "last_outcome")
                .ok()
                .flatten()
        });
        if outcome.is_some() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    let outcome = outcome.expect("the sweep ran at start");
    assert!(outcome.starts_with("removed "), "{outcome}");
}

async fn the_sweep_removes_only_what_nothing_reads_again(app: TestApp) {
    let (_, token) = app.account("youth@example.ma", Role::Youth, None).await;
    let login = app
        .login("youth@example.ma", crate::helpers::PASSWORD)
        .await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    let refused = read(
        app.client
            .post(app.url("/api/v1/organizations"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "org-1")
            .json(&json!({"name": "Atlas", "kind": "employer"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // A youth may not create organisations; the refusal is kept for replay like any answer.
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A refresh spends the first token: spent but unexpired, it must stay (presenting it
    // again is how a stolen session is detected).
    let renewed = app.refresh(&refresh).await;
    assert_eq!(renewed.status, StatusCode::OK);
    let spent = app.count("refresh_tokens WHERE used_at IS NOT NULL").await;
    assert_eq!(spent, 1);
    let tokens = app.count("refresh_tokens").await;
    let keys = app.count("idempotency_keys").await;
    assert!(tokens >= 3);
    assert_eq!(keys, 1);

    // Twelve hours on, nothing is due: everything stays, the spent token included.
    backend::jobs::sweep(&app.db, Utc::now() + Duration::hours(12))
        .await
        .unwrap();
    assert_eq!(app.count("idempotency_keys").await, keys);
    assert_eq!(app.count("refresh_tokens").await, tokens);
    assert_eq!(
        app.count("refresh_tokens WHERE used_at IS NOT NULL").await,
        spent
    );
    // Two days on, the idempotency row has outlived its 24 hours; the tokens have not.
    backend::jobs::sweep(&app.db, Utc::now() + Duration::days(2))
        .await
        .unwrap();
    assert_eq!(app.count("idempotency_keys").await, 0);
    assert_eq!(app.count("refresh_tokens").await, tokens);

    // Sixty-one days on, every refresh token has expired and every idempotency row is stale.
    let later = Utc::now() + Duration::days(61);
    let summary = backend::jobs::sweep(&app.db, later).await.unwrap();
    assert!(summary.contains("refresh tokens"), "{summary}");
    assert_eq!(app.count("refresh_tokens").await, 0);
}

async fn a_session_ends_at_its_absolute_lifetime_however_often_refreshed(app: TestApp) {
    let short = app
        .sibling(|settings| settings.session_lifetime = Duration::seconds(3))
        .await;
    short.account("youth@example.ma", Role::Youth, None).await;
    let login = short
        .login("youth@example.ma", crate::helpers::PASSWORD)
        .await;
    let mut refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    // Kept alive by refreshing, it still ends three seconds after the sign-in.
    for _ in 0..2 {
        tokio::time::sleep(StdDuration::from_millis(800)).await;
        let renewed = short.refresh(&refresh).await;
        assert_eq!(renewed.status, StatusCode::OK);
        refresh = renewed.body["refresh_token"].as_str().unwrap().to_owned();
    }
    tokio::time::sleep(StdDuration::from_millis(1800)).await;
    let ended = short.refresh(&refresh).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert!(ended.is_problem());
    // A new sign-in starts a new session.
    let again = short
        .login("youth@example.ma", crate::helpers::PASSWORD)
        .await;
    assert_eq!(again.status, StatusCode::OK);
    drop(app);
}

async fn a_session_older_than_the_lifetime_ends_though_its_token_has_not_expired(app: TestApp) {
    use sea_orm::{EntityTrait, sea_query::Expr};
    app.account("youth@example.ma", Role::Youth, None).await;
    let login = app
        .login("youth@example.ma", crate::helpers::PASSWORD)
        .await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    // As if the lifetime had been shortened since the sign-in: the session began 100 days ago,
    // while its newest token would still live for weeks.
    backend::entities::refresh_token::Entity::update_many()
        .col_expr(
            backend::entities::refresh_token::Column::SessionStartedAt,
            Expr::value(Utc::now() - Duration::days(100)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let ended = app.refresh(&refresh).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert!(ended.is_problem());
}

async fn an_api_key_stops_working_at_its_expiry(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, partner) = app.account("partner@example.ma", Role::Partner, None).await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&partner),
            json!({"name": "Agence", "kind": "recruitment_agency"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.verify_organization(org, &admin).await;
    let keys = format!("/api/v1/organizations/{org}/api-keys");
    let past = app
        .post(
            &keys,
            Some(&partner),
            json!({"name": "old", "scopes": ["organization:read"], "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.error_fields(), ["expires_at"]);
    let too_far = (Utc::now() + Duration::days(3000)).to_rfc3339();
    let far = app
        .post(
            &keys,
            Some(&partner),
            json!({"name": "far", "scopes": ["organization:read"], "expires_at": too_far}),
        )
        .await;
    assert_eq!(far.error_fields(), ["expires_at"]);

    let soon = (Utc::now() + Duration::seconds(2)).to_rfc3339();
    let created = app
        .post(
            &keys,
            Some(&partner),
            json!({"name": "ATS", "scopes": ["organization:read"], "expires_at": soon}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(created.body["expires_at"].is_string());
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let call = || async {
        read(
            app.client
                .get(app.url(&format!("/api/v1/organizations/{org}")))
                .header("X-API-Key", &secret)
                .send()
                .await
                .unwrap(),
        )
        .await
    };
    assert_eq!(call().await.status, StatusCode::OK);
    tokio::time::sleep(StdDuration::from_millis(2500)).await;
    let expired = call().await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.is_problem());
    let listed = app.get(&keys, Some(&partner)).await;
    assert!(listed.body[0]["expires_at"].is_string());
    assert_eq!(
        count_in(&app.db, "api_keys WHERE expires_at IS NOT NULL").await,
        1
    );
}

crate::on_both_databases!(
    two_instances_claiming_a_job_at_once_run_it_once,
    the_worker_sweeps_at_start_and_records_the_run,
    the_sweep_removes_only_what_nothing_reads_again,
    a_session_ends_at_its_absolute_lifetime_however_often_refreshed,
    a_session_older_than_the_lifetime_ends_though_its_token_has_not_expired,
    an_api_key_stops_working_at_its_expiry,
);
