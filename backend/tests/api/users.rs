//! User management by admins and counselors.

use reqwest::StatusCode;
use serde_json::json;
use shared::Role;

use crate::helpers::{PASSWORD, TestApp};

fn new_user(email: &str, role: &str, center: Option<i64>) -> serde_json::Value {
    json!({"email": email, "password": PASSWORD, "role": role, "first_name": "Nouveau", "last_name": "Compte", "center_id": center})
}

async fn admin_pages_through_users_with_filters(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    for i in 0..5 {
        app.account(&format!("youth{i}@example.ma"), Role::Youth, None)
            .await;
    }
    app.account("boss@example.ma", Role::Employer, None).await;

    let first = app
        .get("/api/v1/users?role=youth&limit=2", Some(&admin))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let mut seen: Vec<String> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect();
    let mut cursor = first.body["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = app
            .get(
                &format!("/api/v1/users?role=youth&limit=2&cursor={c}"),
                Some(&admin),
            )
            .await;
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_owned()),
        );
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|e| e.starts_with("youth")));

    let search = app.get("/api/v1/users?q=BOSS", Some(&admin)).await;
    assert_eq!(search.body["items"].as_array().unwrap().len(), 1);
    let wildcard = app.get("/api/v1/users?q=%25", Some(&admin)).await;
    assert_eq!(
        wildcard.body["items"].as_array().unwrap().len(),
        0,
        "% must match literally"
    );

    let bad_cursor = app.get("/api/v1/users?cursor=garbage", Some(&admin)).await;
    assert_eq!(bad_cursor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_cursor.error_fields(), vec!["cursor"]);
    let bad_role = app.get("/api/v1/users?role=king", Some(&admin)).await;
    assert_eq!(bad_role.error_fields(), vec!["role"]);
    let oversized = app.get("/api/v1/users?limit=101", Some(&admin)).await;
    assert_eq!(
        oversized.error_fields(),
        vec!["limit"],
        "limits are refused, not quietly changed"
    );
}

async fn a_counselor_sees_only_the_youths_of_their_center(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    let tanger = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("counselor@example.ma", Role::Counselor, Some(casa))
        .await;
    let (mine, _) = app
        .account("mine@example.ma", Role::Youth, Some(casa))
        .await;
    let (theirs, _) = app
        .account("theirs@example.ma", Role::Youth, Some(tanger))
        .await;
    let (colleague, _) = app
        .account("colleague@example.ma", Role::Counselor, Some(casa))
        .await;

    let list = app.get("/api/v1/users", Some(&counselor)).await;
    let ids: Vec<i64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![mine]);
    let filtered = app
        .get(
            &format!("/api/v1/users?center_id={tanger}"),
            Some(&counselor),
        )
        .await;
    assert!(filtered.body["items"].as_array().unwrap().is_empty());

    assert_eq!(
        app.get(&format!("/api/v1/users/{mine}"), Some(&counselor))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{theirs}"), Some(&counselor))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{colleague}"), Some(&counselor))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn a_counselor_creates_youth_accounts_in_their_own_center_only(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    let tanger = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("counselor@example.ma", Role::Counselor, Some(casa))
        .await;

    let created = app
        .post(
            "/api/v1/users",
            Some(&counselor),
            new_user("met@example.ma", "youth", None),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["center_id"], casa);
    assert_eq!(
        app.login("met@example.ma", PASSWORD).await.status,
        StatusCode::OK
    );

    let before = app.count("users").await;
    let elsewhere = app
        .post(
            "/api/v1/users",
            Some(&counselor),
            new_user("far@example.ma", "youth", Some(tanger)),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let staff = app
        .post(
            "/api/v1/users",
            Some(&counselor),
            new_user("staff@example.ma", "admin", None),
        )
        .await;
    assert_eq!(staff.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(staff.error_fields(), vec!["role"]);
    assert_eq!(app.count("users").await, before);
}

async fn an_admin_creates_staff_and_changes_roles_and_centers(app: TestApp) {
    let (admin_id, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let casa = app.center_in("Casablanca").await;

    let orphan = app
        .post(
            "/api/v1/users",
            Some(&admin),
            new_user("c1@example.ma", "counselor", None),
        )
        .await;
    assert_eq!(orphan.error_fields(), vec!["center_id"]);
    let unknown_center = app
        .post(
            "/api/v1/users",
            Some(&admin),
            new_user("c1@example.ma", "counselor", Some(99999)),
        )
        .await;
    assert_eq!(unknown_center.error_fields(), vec!["center_id"]);

    let counselor = app
        .post(
            "/api/v1/users",
            Some(&admin),
            new_user("c1@example.ma", "counselor", Some(casa)),
        )
        .await;
    assert_eq!(counselor.status, StatusCode::CREATED, "{}", counselor.body);
    let id = counselor.body["id"].as_i64().unwrap();

    let detached = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            json!({"center_id": null}),
        )
        .await;
    assert_eq!(
        detached.error_fields(),
        vec!["center_id"],
        "a counselor without a center"
    );
    let promoted = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            json!({"role": "admin", "center_id": null}),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(promoted.body["role"], "admin");
    assert_eq!(promoted.body["center_id"], serde_json::Value::Null);

    let lockout = app
        .patch(
            &format!("/api/v1/users/{admin_id}"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(lockout.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get(&format!("/api/v1/users/{id}"), Some(&admin))
            .await
            .body["role"],
        "admin"
    );
    assert!(
        app.count("audit_log").await >= 2,
        "privileged changes are audited"
    );
}

crate::on_both_databases!(
    admin_pages_through_users_with_filters,
    a_counselor_sees_only_the_youths_of_their_center,
    a_counselor_creates_youth_accounts_in_their_own_center_only,
    an_admin_creates_staff_and_changes_roles_and_centers,
);
