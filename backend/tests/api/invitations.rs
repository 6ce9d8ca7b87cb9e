//! Joining an organisation by invitation: the owner learns nothing about the invitee, only the
//! holder of the invited address can accept, and an invitation makes one membership.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{PASSWORD, TestApp};

async fn organization_of(app: &TestApp, owner: &str) -> i64 {
    app.post(
        "/api/v1/organizations",
        Some(owner),
        json!({"name": "Rabat Intérim", "kind": "recruitment_agency"}),
    )
    .await
    .body["id"]
        .as_i64()
        .unwrap()
}

async fn invite(app: &TestApp, org: i64, owner: &str, email: &str) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/organizations/{org}/invitations"),
        Some(owner),
        json!({"email": email}),
    )
    .await
}

/// The shape of an invitation answer with its varying values blanked.
fn shape(body: &Value) -> Value {
    let mut body = body.clone();
    for field in ["id", "email", "created_at", "expires_at"] {
        body[field] = Value::Null;
    }
    body
}

async fn a_colleague_is_invited_registers_verifies_and_accepts(app: TestApp) {
    let (_, owner) = app
        .account("leila@rabat-interim.ma", Role::Partner, None)
        .await;
    app.account("youth@example.ma", Role::Youth, None).await;
    let org = organization_of(&app, &owner).await;

    let to_stranger = invite(&app, org, &owner, "Karim@Rabat-Interim.ma").await;
    let to_account = invite(&app, org, &owner, "youth@example.ma").await;
    assert_eq!(
        to_stranger.status,
        StatusCode::CREATED,
        "{}",
        to_stranger.body
    );
    assert_eq!(to_account.status, StatusCode::CREATED);
    assert_eq!(
        shape(&to_stranger.body),
        shape(&to_account.body),
        "no hint about accounts"
    );
    assert_eq!(to_stranger.body["email"], "karim@rabat-interim.ma");
    let pending = app
        .get(
            &format!("/api/v1/organizations/{org}/invitations"),
            Some(&owner),
        )
        .await;
    assert_eq!(pending.body.as_array().unwrap().len(), 2);

    let invitation = app.wait_for_mail("karim@rabat-interim.ma", 1).await;
    assert!(
        invitation[0].subject.contains("Rabat Intérim"),
        "{}",
        invitation[0].subject
    );

    // Karim registers with the invited address; until he proves it, he sees nothing.
    let registered = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "karim@rabat-interim.ma", "password": PASSWORD, "first_name": "Karim",
                   "last_name": "Bennani", "role": "partner"}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::CREATED);
    let karim = app.token("karim@rabat-interim.ma").await;
    let unverified = app.get("/api/v1/me/invitations", Some(&karim)).await;
    assert_eq!(unverified.body, json!([]));
    let id = to_stranger.body["id"].as_i64().unwrap();
    let early = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/acceptance"),
            Some(&karim),
            None,
        )
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);

    let mail = app.wait_for_mail("karim@rabat-interim.ma", 2).await;
    let verify = mail
        .iter()
        .find(|m| m.text.contains("/verify-email#"))
        .unwrap();
    let confirmed = app
        .post(
            "/api/v1/auth/verification/confirmation",
            None,
            json!({"token": verify.token("verify-email")}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::NO_CONTENT);
    let listed = app.get("/api/v1/me/invitations", Some(&karim)).await;
    assert_eq!(listed.body[0]["organization_name"], "Rabat Intérim");
    assert_eq!(listed.body[0]["role"], "member");
    assert_eq!(listed.body[0]["invited_by"], "Test partner");

    let accepted = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/acceptance"),
            Some(&karim),
            None,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.body["id"], org);
    let twice = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/acceptance"),
            Some(&karim),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    let members = app
        .get(
            &format!("/api/v1/organizations/{org}/members"),
            Some(&owner),
        )
        .await;
    let emails: Vec<_> = members
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].clone())
        .collect();
    assert!(emails.contains(&json!("karim@rabat-interim.ma")));
    let org_read = app
        .get(&format!("/api/v1/organizations/{org}"), Some(&karim))
        .await;
    assert_eq!(org_read.status, StatusCode::OK);
    assert_eq!(
        app.count("audit_log WHERE action = 'organization.invitation.accept'")
            .await,
        1
    );

    let again = invite(&app, org, &owner, "karim@rabat-interim.ma").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["errors"][0]["code"], "invitation.already_member");
}

async fn the_mailed_link_joins_only_the_account_of_the_invited_address(app: TestApp) {
    let (_, owner) = app.account("owner@atlas.ma", Role::Employer, None).await;
    let (_, sara) = app.account("sara@atlas.ma", Role::Employer, None).await;
    let (_, other) = app.account("other@atlas.ma", Role::Employer, None).await;
    let (_, youth) = app.account("youth@example.ma", Role::Youth, None).await;
    let org = organization_of(&app, &owner).await;

    invite(&app, org, &owner, "sara@atlas.ma").await;
    let token = app.wait_for_mail("sara@atlas.ma", 1).await[0].token("invitations");
    let path = "/api/v1/invitations/acceptance";
    let wrong = app.post(path, Some(&other), json!({"token": token})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body["errors"][0]["code"], "invitation.other_address");
    let joined = app.post(path, Some(&sara), json!({"token": token})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    let me = app.get("/api/v1/me", Some(&sara)).await;
    assert!(
        me.body["email_verified_at"].is_string(),
        "the link proved the address"
    );
    let reused = app.post(path, Some(&sara), json!({"token": token})).await;
    assert_eq!(reused.body["errors"][0]["code"], "token.invalid");

    invite(&app, org, &owner, "youth@example.ma").await;
    let token = app.wait_for_mail("youth@example.ma", 1).await[0].token("invitations");
    let refused = app.post(path, Some(&youth), json!({"token": token})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["type"], "/problems/conflict");
    assert_eq!(app.count("memberships").await, 2, "owner and Sara only");

    // A withdrawn invitation's link stops working.
    let sent = invite(&app, org, &owner, "other@atlas.ma").await;
    let token = app.wait_for_mail("other@atlas.ma", 1).await[0].token("invitations");
    let id = sent.body["id"].as_i64().unwrap();
    let withdrawn = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/invitations/{id}"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
    let late = app.post(path, Some(&other), json!({"token": token})).await;
    assert_eq!(late.body["errors"][0]["code"], "token.invalid");
}

/// Inviting again sends the same invitation anew: its id stays (so withdrawing it by the id
/// first returned works), its role is the latest, and only the newest link works.
async fn inviting_again_resends_the_same_invitation_with_a_fresh_link(app: TestApp) {
    let (_, owner) = app.account("owner@atlas.ma", Role::Employer, None).await;
    let (_, sara) = app.account("sara@atlas.ma", Role::Employer, None).await;
    let org = organization_of(&app, &owner).await;

    let first = invite(&app, org, &owner, "sara@atlas.ma").await;
    let old = app.wait_for_mail("sara@atlas.ma", 1).await[0].token("invitations");
    let again = app
        .post(
            &format!("/api/v1/organizations/{org}/invitations"),
            Some(&owner),
            json!({"email": "sara@atlas.ma", "role": "owner"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["role"], "owner");
    let mails = app.wait_for_mail("sara@atlas.ma", 2).await;
    let new = mails[1].token("invitations");
    assert_ne!(old, new);
    assert_eq!(app.count("organization_invitations").await, 1);

    let path = "/api/v1/invitations/acceptance";
    let stale = app.post(path, Some(&sara), json!({"token": old})).await;
    assert_eq!(stale.body["errors"][0]["code"], "token.invalid");
    let joined = app.post(path, Some(&sara), json!({"token": new})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(
        app.count("audit_log WHERE action = 'organization.invitation.resend'")
            .await,
        1
    );
}

async fn only_owners_invite_and_strangers_learn_nothing(app: TestApp) {
    let (_, owner) = app.account("owner@atlas.ma", Role::Employer, None).await;
    let (_, stranger) = app.account("stranger@other.ma", Role::Employer, None).await;
    let org = organization_of(&app, &owner).await;
    let sent = invite(&app, org, &owner, "someone@atlas.ma").await;
    let id = sent.body["id"].as_i64().unwrap();

    let by_stranger = invite(&app, org, &stranger, "friend@other.ma").await;
    let missing = invite(&app, org + 1000, &stranger, "friend@other.ma").await;
    assert_eq!(by_stranger.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(by_stranger.body, missing.body);
    let list = app
        .get(
            &format!("/api/v1/organizations/{org}/invitations"),
            Some(&stranger),
        )
        .await;
    assert_eq!(list.status, StatusCode::NOT_FOUND);
    let accept = app
        .call(
            Method::POST,
            &format!("/api/v1/me/invitations/{id}/acceptance"),
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(accept.status, StatusCode::NOT_FOUND);
    let decline = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/invitations/{id}"),
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(decline.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("organization_invitations").await, 1);
}

crate::on_both_databases!(
    a_colleague_is_invited_registers_verifies_and_accepts,
    the_mailed_link_joins_only_the_account_of_the_invited_address,
    inviting_again_resends_the_same_invitation_with_a_fresh_link,
    only_owners_invite_and_strangers_learn_nothing,
);
