//! Organisations, members and API keys.

use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::json;
use shared::Role;

use crate::helpers::{TestApp, read};

async fn create_org(app: &TestApp, token: &str, name: &str) -> i64 {
    let created = app
        .post("/api/v1/organizations", Some(token), json!({"name": name, "kind": "recruitment_agency", "city": "Rabat", "region_code": "04", "website": "https://www.example.ma"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_i64().unwrap()
}

async fn with_key(app: &TestApp, path: &str, key: &str) -> crate::helpers::Reply {
    read(
        app.client
            .get(app.url(path))
            .header("X-API-Key", key)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn a_verified_partner_creates_a_key_shown_once_and_calls_with_it(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, partner) = app.account("partner@example.ma", Role::Partner, None).await;
    let org = create_org(&app, &partner, "Rabat Intérim").await;

    let early = app
        .post(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&partner),
            json!({"name": "ATS", "scopes": ["organization:read"]}),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::CONFLICT,
        "unverified organisations hold no keys"
    );

    let pending = app
        .get("/api/v1/organizations?verified=false", Some(&admin))
        .await;
    assert_eq!(pending.body["items"][0]["id"], org);
    let verified = app
        .call(
            Method::PUT,
            &format!("/api/v1/organizations/{org}/verification"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    assert!(verified.body["verified_at"].is_string());

    let created = app
        .post(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&partner),
            json!({"name": "ATS", "scopes": ["organization:read", "organization:read"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let prefix = created.body["prefix"].as_str().unwrap();
    assert!(secret.starts_with(prefix));
    assert_eq!(created.body["scopes"], json!(["organization:read"]));

    let listed = app
        .get(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&partner),
        )
        .await;
    assert!(
        !listed.body.to_string().contains(&secret),
        "the secret is never shown again"
    );
    let stored: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT key_hash FROM api_keys".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "key_hash")
        .unwrap();
    assert_ne!(stored, secret, "keys are stored hashed");

    let read_back = with_key(&app, &format!("/api/v1/organizations/{org}"), &secret).await;
    assert_eq!(read_back.status, StatusCode::OK, "{}", read_back.body);
    assert_eq!(read_back.body["name"], "Rabat Intérim");
    let used = app
        .get(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&partner),
        )
        .await;
    assert!(used.body[0]["last_used_at"].is_string());

    let key_id = created.body["id"].as_i64().unwrap();
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/api-keys/{key_id}"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body["revoked_at"].is_string());
    assert_eq!(
        with_key(&app, &format!("/api/v1/organizations/{org}"), &secret)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        with_key(
            &app,
            &format!("/api/v1/organizations/{org}"),
            "cc_00000000_nope"
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn keys_and_members_stay_inside_their_organisation(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, owner_a) = app.account("a@example.ma", Role::Partner, None).await;
    let (_, owner_b) = app.account("b@example.ma", Role::Employer, None).await;
    let a = create_org(&app, &owner_a, "Agence A").await;
    let b = create_org(&app, &owner_b, "Employeur B").await;
    for org in [a, b] {
        app.verify_organization(org, &admin).await;
    }
    let key_a = app
        .post(
            &format!("/api/v1/organizations/{a}/api-keys"),
            Some(&owner_a),
            json!({"name": "k", "scopes": ["organization:read"]}),
        )
        .await;
    let key_a = key_a.body["secret"].as_str().unwrap().to_owned();
    let narrow = app
        .post(
            &format!("/api/v1/organizations/{a}/api-keys"),
            Some(&owner_a),
            json!({"name": "k2", "scopes": ["offers:write"]}),
        )
        .await;
    let narrow = narrow.body["secret"].as_str().unwrap().to_owned();

    assert_eq!(
        with_key(&app, &format!("/api/v1/organizations/{b}"), &key_a)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        with_key(&app, &format!("/api/v1/organizations/{a}"), &narrow)
            .await
            .status,
        StatusCode::FORBIDDEN,
        "scope missing"
    );
    let people_only = with_key(&app, "/api/v1/me", &key_a).await;
    assert_eq!(
        people_only.status,
        StatusCode::FORBIDDEN,
        "keys are not people"
    );
    assert_eq!(people_only.body["type"], "/problems/insufficient-scope");

    assert_eq!(
        app.get(&format!("/api/v1/organizations/{b}"), Some(&owner_a))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let edit = app
        .patch(
            &format!("/api/v1/organizations/{b}"),
            Some(&owner_a),
            json!({"name": "Pris"}),
        )
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let keys = app
        .post(
            &format!("/api/v1/organizations/{b}/api-keys"),
            Some(&owner_a),
            json!({"name": "x", "scopes": ["organization:read"]}),
        )
        .await;
    assert_eq!(keys.status, StatusCode::NOT_FOUND);
    let mine = app.get("/api/v1/organizations", Some(&owner_a)).await;
    let ids: Vec<i64> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![a]);

    let unverify = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{a}/verification"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(unverify.status, StatusCode::OK);
    assert_eq!(
        with_key(&app, &format!("/api/v1/organizations/{a}"), &key_a)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn owners_manage_members_and_the_last_owner_stays(app: TestApp) {
    let (owner_id, owner) = app.account("owner@example.ma", Role::Employer, None).await;
    let (member_id, member) = app.account("member@example.ma", Role::Employer, None).await;
    app.account("youth@example.ma", Role::Youth, None).await;
    let org = create_org(&app, &owner, "Atlas").await;

    app.join_by_invitation(org, &owner, "MEMBER@example.ma", &member)
        .await;

    assert_eq!(
        app.get(&format!("/api/v1/organizations/{org}"), Some(&member))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/organizations/{org}/members"),
            Some(&member)
        )
        .await
        .body
        .as_array()
        .unwrap()
        .len(),
        2
    );
    let member_edit = app
        .patch(
            &format!("/api/v1/organizations/{org}"),
            Some(&member),
            json!({"name": "Renamed"}),
        )
        .await;
    assert_eq!(
        member_edit.status,
        StatusCode::FORBIDDEN,
        "members read, owners manage"
    );
    let member_keys = app
        .get(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&member),
        )
        .await;
    assert_eq!(member_keys.status, StatusCode::FORBIDDEN);

    let last = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/members/{owner_id}"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    let removed = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/members/{member_id}"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/organizations/{org}"), Some(&member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn organisation_fields_are_validated(app: TestApp) {
    let (_, owner) = app.account("owner@example.ma", Role::Partner, None).await;
    let before = app.count("organizations").await;
    let bad = app
        .post(
            "/api/v1/organizations",
            Some(&owner),
            json!({"name": "", "kind": "employer", "website": "ftp://x", "region_code": "99"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["name", "website"]);
    let region = app
        .post(
            "/api/v1/organizations",
            Some(&owner),
            json!({"name": "X", "kind": "employer", "region_code": "99"}),
        )
        .await;
    assert_eq!(region.error_fields(), vec!["region_code"]);
    let kind = app
        .post(
            "/api/v1/organizations",
            Some(&owner),
            json!({"name": "X", "kind": "bank"}),
        )
        .await;
    assert_eq!(kind.error_fields(), vec!["kind"]);
    assert_eq!(app.count("organizations").await, before);
}

async fn post_with_key(
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: serde_json::Value,
) -> crate::helpers::Reply {
    read(
        app.client
            .post(app.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn a_retried_post_with_the_same_idempotency_key_writes_once(app: TestApp) {
    let (_, partner) = app.account("partner@example.ma", Role::Partner, None).await;
    let (_, other) = app.account("other@example.ma", Role::Partner, None).await;
    let body = json!({"name": "Agence Souss", "kind": "recruitment_agency"});
    let before = app.count("organizations").await;

    let first = post_with_key(
        &app,
        "/api/v1/organizations",
        &partner,
        "retry-1",
        body.clone(),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = post_with_key(
        &app,
        "/api/v1/organizations",
        &partner,
        "retry-1",
        body.clone(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    let fresh_token = app.token("partner@example.ma").await;
    let after_refresh = post_with_key(
        &app,
        "/api/v1/organizations",
        &fresh_token,
        "retry-1",
        body.clone(),
    )
    .await;
    assert_eq!(
        after_refresh.body["id"], first.body["id"],
        "keys belong to the person, not the token"
    );
    assert_eq!(app.count("organizations").await, before + 1);

    let changed = post_with_key(
        &app,
        "/api/v1/organizations",
        &partner,
        "retry-1",
        json!({"name": "Autre", "kind": "school"}),
    )
    .await;
    assert_eq!(changed.status, StatusCode::CONFLICT);
    assert!(changed.is_problem());
    let someone_else = post_with_key(&app, "/api/v1/organizations", &other, "retry-1", body).await;
    assert_eq!(someone_else.status, StatusCode::CREATED);
    assert_ne!(someone_else.body["id"], first.body["id"]);

    let refused = post_with_key(
        &app,
        "/api/v1/organizations",
        &partner,
        "retry-2",
        json!({"name": "", "kind": "school"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let replayed_refusal = post_with_key(
        &app,
        "/api/v1/organizations",
        &partner,
        "retry-2",
        json!({"name": "", "kind": "school"}),
    )
    .await;
    assert_eq!(replayed_refusal.body, refused.body);
    assert!(replayed_refusal.is_problem());
}

async fn only_a_verified_caller_gets_idempotency_rows(app: TestApp) {
    let (youth_id, youth) = app.account("youth@example.ma", Role::Youth, None).await;
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let body = json!({"name": "Agence", "kind": "recruitment_agency"});
    // A well-formed key that no organisation holds, a forged token, and the token of an
    // account deactivated since: each is refused, and none leaves a row behind.
    let unknown_key = format!("cc_abcdefgh_{}", "a".repeat(40));
    let reply = read(
        app.client
            .post(app.url("/api/v1/organizations"))
            .header("X-API-Key", &unknown_key)
            .header("Idempotency-Key", "k-1")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let forged = post_with_key(
        &app,
        "/api/v1/organizations",
        "not.a.token",
        "k-2",
        body.clone(),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let deactivated = app
        .patch(
            &format!("/api/v1/users/{youth_id}"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(deactivated.status, StatusCode::OK);
    let gone = post_with_key(&app, "/api/v1/organizations", &youth, "k-3", body).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("idempotency_keys").await, 0);
}

async fn api_key_secrets_are_never_kept_for_replay(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, partner) = app.account("partner@example.ma", Role::Partner, None).await;
    let org = create_org(&app, &partner, "Agence").await;
    app.verify_organization(org, &admin).await;
    let path = format!("/api/v1/organizations/{org}/api-keys");
    let body = json!({"name": "ATS", "scopes": ["organization:read"]});
    let first = post_with_key(&app, &path, &partner, "key-1", body.clone()).await;
    let second = post_with_key(&app, &path, &partner, "key-1", body).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(
        first.body["secret"], second.body["secret"],
        "a secret is never replayed from storage"
    );
    let stored: i64 = app.db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_body LIKE '%cc\\_%' ESCAPE '\\'".to_owned(),
        ))
        .await.unwrap().unwrap().try_get("", "n").unwrap();
    assert_eq!(stored, 0);
}

async fn renaming_a_verified_organisation_sends_it_back_to_the_admins(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, owner) = app.account("owner@example.ma", Role::Partner, None).await;
    let org = create_org(&app, &owner, "Agence Souss").await;
    app.verify_organization(org, &admin).await;
    let key = app
        .post(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&owner),
            json!({"name": "k", "scopes": ["organization:read"]}),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();

    let city = app
        .patch(
            &format!("/api/v1/organizations/{org}"),
            Some(&owner),
            json!({"city": "Agadir"}),
        )
        .await;
    assert!(
        city.body["verified_at"].is_string(),
        "a new city does not change who they are"
    );
    let renamed = app
        .patch(
            &format!("/api/v1/organizations/{org}"),
            Some(&owner),
            json!({"name": "Ministère de l'Emploi"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert!(
        renamed.body["verified_at"].is_null(),
        "a new name needs a new verification"
    );
    assert_eq!(
        with_key(&app, &format!("/api/v1/organizations/{org}"), &key)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let by_admin = app
        .patch(
            &format!("/api/v1/organizations/{org}"),
            Some(&admin),
            json!({"name": "Agence Souss Emploi"}),
        )
        .await;
    assert!(by_admin.body["verified_at"].is_null());
    app.verify_organization(org, &admin).await;
    let admin_rename = app
        .patch(
            &format!("/api/v1/organizations/{org}"),
            Some(&admin),
            json!({"name": "Agence Souss"}),
        )
        .await;
    assert!(
        admin_rename.body["verified_at"].is_string(),
        "an admin's correction keeps the verification"
    );
}

async fn a_member_whose_account_is_no_longer_staff_loses_the_organisation(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (owner_id, owner) = app.account("owner@example.ma", Role::Employer, None).await;
    let org = create_org(&app, &owner, "Atlas").await;
    let demoted = app
        .patch(
            &format!("/api/v1/users/{owner_id}"),
            Some(&admin),
            json!({"role": "youth"}),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/organizations/{org}"), Some(&owner))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let keys = app
        .get(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(&owner),
        )
        .await;
    assert_eq!(keys.status, StatusCode::NOT_FOUND);
}

crate::on_both_databases!(
    renaming_a_verified_organisation_sends_it_back_to_the_admins,
    a_member_whose_account_is_no_longer_staff_loses_the_organisation,
    a_retried_post_with_the_same_idempotency_key_writes_once,
    api_key_secrets_are_never_kept_for_replay,
    only_a_verified_caller_gets_idempotency_rows,
    a_verified_partner_creates_a_key_shown_once_and_calls_with_it,
    keys_and_members_stay_inside_their_organisation,
    owners_manage_members_and_the_last_owner_stays,
    organisation_fields_are_validated,
);
