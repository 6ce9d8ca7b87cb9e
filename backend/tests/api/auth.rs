//! Registration, login, sessions, passwords and the profile.

use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::json;
use shared::Role;

use crate::helpers::{PASSWORD, TestApp, read};

fn amina() -> serde_json::Value {
    json!({
        "email": "Amina@Example.ma",
        "password": PASSWORD,
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "birth_year": 2003,
        "sex": "female",
        "phone": "06 12 34 56 78",
        "education_level": "short_higher"
    })
}

async fn youth_registers_logs_in_reads_profile_and_logs_out(app: TestApp) {
    let registered = app.post("/api/v1/auth/register", None, amina()).await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    assert_eq!(registered.body["email"], "amina@example.ma");
    assert_eq!(registered.body["role"], "youth");
    assert_eq!(registered.body["phone"], "+212612345678");
    assert!(registered.body.get("password_hash").is_none());

    let login = app.login("amina@example.ma", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.body["token_type"], "Bearer");
    assert_eq!(login.body["expires_in"], 300);
    let access = login.body["access_token"].as_str().unwrap();
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();

    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["first_name"], "Amina");

    let logout = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    let after = app.refresh(&refresh).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.is_problem());
}

async fn bad_registrations_get_field_errors_and_store_nothing(app: TestApp) {
    let users_before = app.count("users").await;
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD, "first_name": "A", "last_name": "B"}),
            "email",
        ),
        (
            json!({"email": "a@b.ma", "password": "short1", "first_name": "A", "last_name": "B"}),
            "password",
        ),
        (
            json!({"email": "a@b.ma", "password": "onlyletterslong", "first_name": "A", "last_name": "B"}),
            "password",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "first_name": "x".repeat(201), "last_name": "B"}),
            "first_name",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "first_name": "A", "last_name": "B", "is_admin": true}),
            "is_admin",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "first_name": "A", "last_name": "B", "birth_year": "2000"}),
            "birth_year",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "first_name": "A", "last_name": "B", "role": "admin"}),
            "role",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "first_name": "A", "last_name": "B", "phone": "12"}),
            "phone",
        ),
        (
            json!({"email": "a@b.ma", "password": PASSWORD, "last_name": "B"}),
            "first_name",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/v1/auth/register", None, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.body
        );
        assert!(reply.is_problem());
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }

    let malformed = read(
        app.client
            .post(app.url("/api/v1/auth/register"))
            .header("content-type", "application/json")
            .body("{\"email\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.is_problem());

    let not_json = read(
        app.client
            .post(app.url("/api/v1/auth/register"))
            .header("content-type", "text/plain")
            .body("hello")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let mut huge = amina();
    huge["field_of_study"] = json!("x".repeat(100 * 1024));
    let oversized = app.post("/api/v1/auth/register", None, huge).await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(oversized.is_problem());

    assert_eq!(
        app.count("users").await,
        users_before,
        "a refused registration stored a user"
    );
}

async fn a_taken_email_is_a_conflict_on_the_email_field(app: TestApp) {
    assert_eq!(
        app.post("/api/v1/auth/register", None, amina())
            .await
            .status,
        StatusCode::CREATED
    );
    let again = app.post("/api/v1/auth/register", None, amina()).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_fields(), vec!["email"]);
}

async fn wrong_password_and_unknown_email_get_the_same_answer(app: TestApp) {
    app.account("known@example.ma", Role::Youth, None).await;
    let wrong = app.login("known@example.ma", "not-the-password-1").await;
    let unknown = app.login("nobody@example.ma", "not-the-password-1").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
}

/// Ten attempts per e-mail within 15 minutes, successful or not: the account's own sign-in
/// (inside `account`) is the first.
async fn repeated_failed_logins_are_throttled(app: TestApp) {
    app.account("target@example.ma", Role::Youth, None).await;
    for _ in 0..9 {
        assert_eq!(
            app.login("target@example.ma", "guess-number-1")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let throttled = app.login("target@example.ma", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers.contains_key("retry-after"));
    assert!(throttled.is_problem());
}

async fn refresh_rotates_and_reusing_a_spent_token_revokes_the_family(app: TestApp) {
    app.account("rotate@example.ma", Role::Youth, None).await;
    let first = app.login("rotate@example.ma", PASSWORD).await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app.refresh(&first).await;
    assert_eq!(second.status, StatusCode::OK);
    let second_token = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_token, first);
    assert_eq!(
        app.get("/api/v1/me", second.body["access_token"].as_str())
            .await
            .status,
        StatusCode::OK
    );

    // Seconds later (two tabs restoring at once) the spent token is refused, nothing more.
    let twin = app.refresh(&first).await;
    assert_eq!(twin.status, StatusCode::UNAUTHORIZED);
    let still = app.refresh(&second_token).await;
    assert_eq!(
        still.status,
        StatusCode::OK,
        "a quick second use must not end the session"
    );
    let third_token = still.body["refresh_token"].as_str().unwrap().to_owned();

    // A minute later it comes back: someone copied it. Every token of the family dies.
    app.db
        .execute_unprepared(&format!(
            "UPDATE refresh_tokens SET used_at = '{}' WHERE used_at IS NOT NULL",
            (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339()
        ))
        .await
        .unwrap();
    let replay = app.refresh(&first).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    let legit = app.refresh(&third_token).await;
    assert_eq!(legit.status, StatusCode::UNAUTHORIZED);
}

async fn the_web_app_gets_its_refresh_token_in_an_httponly_cookie(app: TestApp) {
    app.account("spa@example.ma", Role::Youth, None).await;
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "spa@example.ma", "password": PASSWORD, "refresh_in_cookie": true}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.get("refresh_token").is_none());
    let cookie = login.header("set-cookie");
    assert!(cookie.starts_with("cc_refresh="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    assert!(cookie.contains("Path=/api/v1/auth"));
    let pair = cookie.split(';').next().unwrap().to_owned();

    let refreshed = app.post_with_cookie("/api/v1/auth/refresh", &pair).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.body);
    assert!(refreshed.body["access_token"].is_string());
    assert!(
        refreshed
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("cc_refresh=")
    );

    let logout = app.post_with_cookie("/api/v1/auth/logout", &pair).await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert!(
        logout
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

async fn changing_the_password_closes_other_sessions(app: TestApp) {
    app.account("change@example.ma", Role::Youth, None).await;
    let other_device = app.login("change@example.ma", PASSWORD).await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = app.token("change@example.ma").await;

    let wrong = app
        .call(Method::PUT, "/api/v1/me/password", Some(&token), Some(json!({"current_password": "nope-nope-1", "new_password": "couscous-du-vendredi-5"})))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.error_fields(), vec!["current_password"]);

    let weak = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "weak"})),
        )
        .await;
    assert_eq!(weak.error_fields(), vec!["new_password"]);

    let changed = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "couscous-du-vendredi-5"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(changed.body["access_token"].is_string());
    assert!(
        changed.body["refresh_token"].is_string(),
        "scripts get their new refresh token"
    );

    assert_eq!(
        app.refresh(&other_device).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("change@example.ma", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("change@example.ma", "couscous-du-vendredi-5")
            .await
            .status,
        StatusCode::OK
    );
}

async fn the_profile_can_be_edited_and_optional_fields_cleared(app: TestApp) {
    let (_, token) = app.account("profile@example.ma", Role::Youth, None).await;
    let edited = app
        .patch("/api/v1/me", Some(&token), json!({"city": "Fès", "locale": "ar", "birth_year": 2002, "field_of_study": "Génie civil"}))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["city"], "Fès");
    assert_eq!(edited.body["locale"], "ar");

    let cleared = app
        .patch("/api/v1/me", Some(&token), json!({"city": null}))
        .await;
    assert_eq!(cleared.body["city"], serde_json::Value::Null);
    assert_eq!(
        cleared.body["field_of_study"], "Génie civil",
        "absent fields stay"
    );

    let refused = app
        .patch(
            "/api/v1/me",
            Some(&token),
            json!({"birth_year": 1850, "first_name": " "}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), vec!["first_name", "birth_year"]);
    let unchanged = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(unchanged.body["birth_year"], 2002);

    let role_escalation = app
        .patch("/api/v1/me", Some(&token), json!({"role": "admin"}))
        .await;
    assert_eq!(role_escalation.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_deactivated_account_is_locked_out_at_once(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (id, token) = app.account("leaving@example.ma", Role::Youth, None).await;
    let refresh = app.login("leaving@example.ma", PASSWORD).await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Read once, the account is remembered for the next requests: the change below must end that.
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );
    let off = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.refresh(&refresh).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("leaving@example.ma", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A signed-in read answers from the account an earlier request read, for at most
/// `ACCOUNT_CACHE_SECONDS`, until a request that may change data goes through the instance: so
/// a change made elsewhere (another instance; here, the database itself) shows within that
/// lifetime, and one made through this instance at once.
async fn signed_in_reads_reuse_the_account_until_a_change_goes_through(app: TestApp) {
    let app = app
        .sibling(|settings| settings.account_cache = std::time::Duration::from_secs(600))
        .await;
    let (id, token) = app.account("amina@example.ma", Role::Youth, None).await;
    let first = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(first.body["first_name"], "Test");
    app.db
        .execute_unprepared(&format!(
            "UPDATE users SET first_name = 'Elsewhere' WHERE id = {id}"
        ))
        .await
        .unwrap();
    let remembered = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(remembered.body["first_name"], "Test", "read from memory");
    // A refusal wrote nothing and keeps the memory; any other request that may write empties
    // it once answered.
    let refused = app.post("/api/v1/centers", Some(&token), json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let still = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(still.body["first_name"], "Test");
    // The edit starts from the account as it stands, not from the remembered copy: the name
    // changed elsewhere is not written back over.
    let saved = app.patch("/api/v1/me", Some(&token), json!({})).await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(saved.body["first_name"], "Elsewhere");
    let fresh = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(fresh.body["first_name"], "Elsewhere");

    // A change asked for is authorised by the account as it stands, never a remembered one: an
    // admin demoted elsewhere cannot act as admin from memory.
    let (admin_id, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    app.get("/api/v1/me", Some(&admin)).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE users SET role = 'youth' WHERE id = {admin_id}"
        ))
        .await
        .unwrap();
    let remembered = app.get("/api/v1/me", Some(&admin)).await;
    assert_eq!(remembered.body["role"], "admin", "a read may be late");
    let demoted = app.post("/api/v1/centers", Some(&admin), json!({})).await;
    assert_eq!(demoted.status, StatusCode::FORBIDDEN, "{}", demoted.body);

    let uncached = app
        .sibling(|settings| settings.account_cache = std::time::Duration::ZERO)
        .await;
    let (id, token) = uncached
        .account("karim@example.ma", Role::Youth, None)
        .await;
    uncached.get("/api/v1/me", Some(&token)).await;
    uncached
        .db
        .execute_unprepared(&format!(
            "UPDATE users SET first_name = 'Now' WHERE id = {id}"
        ))
        .await
        .unwrap();
    let now = uncached.get("/api/v1/me", Some(&token)).await;
    assert_eq!(
        now.body["first_name"], "Now",
        "zero reads the account every time"
    );
}

async fn forged_and_missing_tokens_are_refused(app: TestApp) {
    let missing = app.get("/api/v1/me", None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert!(missing.headers.contains_key("www-authenticate"));
    let forged = app
        .get(
            "/api/v1/me",
            Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

async fn the_web_app_keeps_its_session_in_the_cookie_after_a_password_change(app: TestApp) {
    let (_, token) = app.account("cookie@example.ma", Role::Youth, None).await;
    let changed = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "couscous-du-vendredi-5", "refresh_in_cookie": true})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(changed.body.get("refresh_token").is_none());
    let cookie = changed.header("set-cookie");
    assert!(cookie.starts_with("cc_refresh=") && cookie.contains("HttpOnly"));
    let pair = cookie.split(';').next().unwrap().to_owned();
    let refreshed = app.post_with_cookie("/api/v1/auth/refresh", &pair).await;
    assert_eq!(
        refreshed.status,
        StatusCode::OK,
        "the new cookie carries the session"
    );
}

crate::on_both_databases!(
    the_web_app_keeps_its_session_in_the_cookie_after_a_password_change,
    youth_registers_logs_in_reads_profile_and_logs_out,
    bad_registrations_get_field_errors_and_store_nothing,
    a_taken_email_is_a_conflict_on_the_email_field,
    wrong_password_and_unknown_email_get_the_same_answer,
    repeated_failed_logins_are_throttled,
    refresh_rotates_and_reusing_a_spent_token_revokes_the_family,
    the_web_app_gets_its_refresh_token_in_an_httponly_cookie,
    changing_the_password_closes_other_sessions,
    the_profile_can_be_edited_and_optional_fields_cleared,
    a_deactivated_account_is_locked_out_at_once,
    signed_in_reads_reuse_the_account_until_a_change_goes_through,
    forged_and_missing_tokens_are_refused,
);
