//! Applications: a youth applies inside the platform or follows the link to the source; the
//! offer's organisation (members and keys with `applications:write`) moves her through its
//! pipeline; she sees each status in her applications and her notices, and may withdraw.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{TestApp, with_key};
use crate::offers::{offer, organisation, push};

fn with(mut offer: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().unwrap() {
        offer[k] = v.clone();
    }
    offer
}

async fn a_youth_applies_the_employer_moves_her_and_she_sees_each_status(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (_, rival) = app.account("rh@rival.ma", Role::Employer, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (_, other) = app.account("karim@example.ma", Role::Youth, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &employer,
        "Atlas Data",
        json!(["offers:write", "applications:write"]),
    )
    .await;
    let (_, rival_key) = organisation(
        &app,
        &admin,
        &rival,
        "Rival RH",
        json!(["offers:write", "applications:write"]),
    )
    .await;
    let (_, narrow_key) =
        organisation(&app, &admin, &rival, "Rival Deux", json!(["offers:write"])).await;
    app.submit_result(&youth, [30, 10, 5, 20, 12, 8]).await;
    let ids = push(
        &app,
        org,
        &key,
        vec![
            with(
                offer("A-1", "Stage PFE data"),
                json!({"url": "https://atlas.example.ma/jobs/1"}),
            ),
            with(
                offer("A-2", "Développeur web"),
                json!({"url": "https://atlas.example.ma/jobs/2", "apply_in_platform": false}),
            ),
            offer("A-3", "Comptable"),
        ],
    )
    .await;
    let (here, elsewhere, linkless) = (ids[0], ids[1], ids[2]);
    let apply = |id: i64, token: &str, body: Value| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post(
                &format!("/api/v1/offers/{id}/applications"),
                Some(&token),
                body,
            )
            .await
        }
    };

    // A message too long is refused field by field, and nothing is written.
    let long = apply(here, &youth, json!({"message": "a".repeat(2001)})).await;
    assert_eq!(
        long.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        long.body
    );
    assert_eq!(long.error_fields(), ["message"]);
    assert_eq!(app.count("applications").await, 0);
    // Only youths apply; the employer's own offer is no exception.
    assert_eq!(
        apply(here, &employer, json!({})).await.status,
        StatusCode::FORBIDDEN
    );

    let applied = apply(
        here,
        &youth,
        json!({"message": "  Disponible dès février.\nMaster en data à l'ENSIAS.  "}),
    )
    .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let application = applied.body["id"].as_i64().unwrap();
    assert_eq!(applied.body["status"], "received");
    assert_eq!(applied.body["channel"], "platform");
    assert_eq!(applied.body["offer_title"], "Stage PFE data");
    assert_eq!(
        applied.body["message"],
        "Disponible dès février.\nMaster en data à l'ENSIAS."
    );
    assert_eq!(applied.body["profile"]["email"], "amina@example.ma");
    assert_eq!(applied.body["profile"]["holland_code"], "RSE");
    // The employer is told: a notice in the app and an e-mail.
    let told = app.get("/api/v1/me/notices", Some(&employer)).await;
    assert_eq!(
        told.body["items"][0]["kind"], "application_received",
        "{}",
        told.body
    );
    assert_eq!(told.body["items"][0]["application"]["organization_id"], org);
    let mail = app.wait_for_mail("rh@atlas.ma", 1).await;
    assert_eq!(mail[0].subject, "Nouvelle candidature : Stage PFE data");
    assert!(mail[0].text.contains("Test youth"), "{}", mail[0].text);
    let twice = apply(here, &youth, json!({})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["errors"][0]["code"], "application.exists");

    // An offer that takes applications at its source: she follows the link, recorded once.
    let refused = apply(elsewhere, &youth, json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["errors"][0]["code"], "offer.apply_elsewhere");
    let out = app
        .post(
            &format!("/api/v1/offers/{elsewhere}/outbound"),
            Some(&youth),
            json!({}),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert_eq!(out.body["url"], "https://atlas.example.ma/jobs/2");
    assert_eq!(out.body["application"]["channel"], "outbound");
    assert_eq!(out.body["application"]["status"], Value::Null);
    let outbound = out.body["application"]["id"].as_i64().unwrap();
    let again = app
        .post(
            &format!("/api/v1/offers/{elsewhere}/outbound"),
            Some(&youth),
            json!({}),
        )
        .await;
    assert_eq!(again.body["application"]["id"], outbound);
    let here_link = app
        .post(
            &format!("/api/v1/offers/{here}/outbound"),
            Some(&other),
            json!({}),
        )
        .await;
    assert_eq!(here_link.status, StatusCode::CONFLICT, "{}", here_link.body);
    assert_eq!(here_link.body["errors"][0]["code"], "offer.apply_here");
    // Her applications, newest first.
    let mine = app.get("/api/v1/me/applications", Some(&youth)).await;
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", mine.body);
    assert_eq!(items[0]["id"], outbound);
    assert_eq!(items[1]["id"], application);
    let one = app
        .get(
            &format!("/api/v1/me/applications?offer={here}"),
            Some(&youth),
        )
        .await;
    assert_eq!(one.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(one.body["items"][0]["id"], application);
    assert_eq!(
        app.get("/api/v1/me/applications", Some(&other)).await.body["items"],
        json!([])
    );

    // The offer's organisation reads its applicants (in-platform ones only); nobody else does.
    let applicants = format!("/api/v1/offers/{here}/applications");
    let list = app.get(&applicants, Some(&employer)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["items"][0]["profile"]["last_name"], "youth");
    let by_key = with_key(&app, Method::GET, &applicants, &key, None).await;
    assert_eq!(by_key.body["items"][0]["id"], application);
    assert_eq!(
        app.get(&applicants, Some(&rival)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        with_key(&app, Method::GET, &applicants, &rival_key, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let narrow = with_key(&app, Method::GET, &applicants, &narrow_key, None).await;
    assert_eq!(narrow.status, StatusCode::FORBIDDEN);
    assert_eq!(narrow.body["type"], "/problems/insufficient-scope");
    let elsewhere_list = app
        .get(
            &format!("/api/v1/offers/{elsewhere}/applications"),
            Some(&employer),
        )
        .await;
    assert_eq!(elsewhere_list.body["items"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/applications/{outbound}"), Some(&employer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{application}"), Some(&other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The key shortlists her: she sees it in her application and in a notice.
    let path = format!("/api/v1/applications/{application}");
    let moved = with_key(
        &app,
        Method::PATCH,
        &path,
        &key,
        Some(json!({"status": "shortlisted"})),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["status"], "shortlisted");
    let seen = app.get(&path, Some(&youth)).await;
    assert_eq!(seen.body["status"], "shortlisted");
    let me = app.get("/api/v1/me", Some(&youth)).await;
    assert_eq!(me.body["unread_notices"], 1, "{}", me.body);
    let notices = app.get("/api/v1/me/notices", Some(&youth)).await;
    assert_eq!(notices.body["items"][0]["kind"], "application_moved");
    assert_eq!(
        notices.body["items"][0]["application"]["offer_title"],
        "Stage PFE data"
    );
    assert_eq!(
        notices.body["items"][0]["application"]["status"],
        "shortlisted"
    );
    let mail = app.wait_for_mail("amina@example.ma", 1).await;
    assert_eq!(mail[0].subject, "Votre candidature : Stage PFE data");
    assert!(mail[0].text.contains("présélectionnée"), "{}", mail[0].text);
    assert!(mail[0].text.contains("/applications"), "{}", mail[0].text);
    // The same status again changes nothing and tells her nothing more.
    let same = app
        .patch(&path, Some(&employer), json!({"status": "shortlisted"}))
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(
        app.count("notices WHERE kind = 'application_moved'").await,
        1
    );
    // Back to `received` is no step of the pipeline; a body without status is refused.
    let back = app
        .patch(&path, Some(&employer), json!({"status": "received"}))
        .await;
    assert_eq!(back.status, StatusCode::CONFLICT);
    assert_eq!(back.body["errors"][0]["code"], "application.wrong_status");
    assert_eq!(
        app.patch(&path, Some(&employer), json!({})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Another organisation cannot move her, whatever the body.
    assert_eq!(
        app.patch(&path, Some(&rival), json!({"status": "hired"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'application.move'")
            .await,
        1
    );

    // Called to an interview: each notice says the status it announced.
    let interview = app
        .patch(&path, Some(&employer), json!({"status": "interview"}))
        .await;
    assert_eq!(interview.status, StatusCode::OK, "{}", interview.body);
    let notices = app.get("/api/v1/me/notices", Some(&youth)).await;
    assert_eq!(
        notices.body["items"][0]["application"]["status"],
        "interview"
    );
    assert_eq!(
        notices.body["items"][1]["application"]["status"],
        "shortlisted"
    );

    // She withdraws; the employer can no longer move her, nor can she withdraw twice.
    let withdrawal = format!("/api/v1/applications/{application}/withdrawal");
    assert_eq!(
        app.post(&withdrawal, Some(&other), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let withdrawn = app.post(&withdrawal, Some(&youth), json!({})).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    // The employer is told in the app.
    let told = app.get("/api/v1/me/notices", Some(&employer)).await;
    assert_eq!(
        told.body["items"][0]["kind"], "application_withdrawn",
        "{}",
        told.body
    );
    assert_eq!(told.body["items"][0]["application"]["id"], application);
    let late = app
        .patch(&path, Some(&employer), json!({"status": "interview"}))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(
        app.post(&withdrawal, Some(&youth), json!({})).await.status,
        StatusCode::CONFLICT
    );

    // An offer withdrawn by its employer is seen by nobody else, so nobody applies to it.
    let gone = app
        .post(
            &format!("/api/v1/offers/{linkless}/withdrawal"),
            Some(&employer),
            json!({}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    assert_eq!(
        apply(linkless, &other, json!({})).await.status,
        StatusCode::NOT_FOUND
    );

    // The source-only offer now takes applications here: her outbound application becomes her
    // application here, dated anew, and the employer sees it.
    push(
        &app,
        org,
        &key,
        vec![with(
            offer("A-2", "Développeur web"),
            json!({"url": "https://atlas.example.ma/jobs/2", "apply_in_platform": true}),
        )],
    )
    .await;
    let converted = apply(
        elsewhere,
        &youth,
        json!({"message": "Je postule ici aussi."}),
    )
    .await;
    assert_eq!(converted.status, StatusCode::CREATED, "{}", converted.body);
    assert_eq!(converted.body["id"], outbound);
    assert_eq!(converted.body["channel"], "platform");
    assert_eq!(converted.body["status"], "received");
    assert_ne!(
        converted.body["created_at"],
        out.body["application"]["created_at"]
    );
    let listed = app
        .get(
            &format!("/api/v1/offers/{elsewhere}/applications"),
            Some(&employer),
        )
        .await;
    assert_eq!(listed.body["items"][0]["id"], outbound, "{}", listed.body);
    assert_eq!(
        apply(elsewhere, &youth, json!({})).await.body["errors"][0]["code"],
        "application.exists"
    );
}

async fn conflicting_applications_and_moves_are_decided_one_at_a_time(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &employer,
        "Atlas Data",
        json!(["offers:write", "applications:write"]),
    )
    .await;
    let id = push(&app, org, &key, vec![offer("C-1", "Technicien")]).await[0];
    let youths = app.youths("race", 4, None).await;
    let path = format!("/api/v1/offers/{id}/applications");
    for (round, youth) in youths.iter().enumerate() {
        // Two clicks at once: one application.
        let (a, b) = tokio::join!(
            app.post(&path, Some(youth), json!({"message": "Bonjour"})),
            app.post(&path, Some(youth), json!({"message": "Bonjour"})),
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [201, 409],
            "round {round}: {} / {}",
            a.body,
            b.body
        );
        let application = if a.status == StatusCode::CREATED {
            &a
        } else {
            &b
        }
        .body["id"]
            .as_i64()
            .unwrap();
        // The employer hires her while she withdraws: one of the two, never both.
        let one = format!("/api/v1/applications/{application}");
        let withdrawal = format!("{one}/withdrawal");
        let (hire, withdraw) = tokio::join!(
            app.patch(&one, Some(&employer), json!({"status": "hired"})),
            app.post(&withdrawal, Some(youth), json!({})),
        );
        let mut statuses = [hire.status.as_u16(), withdraw.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: {} / {}",
            hire.body,
            withdraw.body
        );
        let now = app.get(&one, Some(youth)).await.body["status"].clone();
        let expected = if hire.status == StatusCode::OK {
            "hired"
        } else {
            "withdrawn"
        };
        assert_eq!(now, expected, "round {round}");
        // She is told only of a move that happened.
        let told = app
            .count(&format!(
                "notices WHERE application_id = {application} AND kind = 'application_moved'"
            ))
            .await;
        assert_eq!(told, i64::from(expected == "hired"), "round {round}");
        // Her employer-to-be, only of a withdrawal that happened.
        let told = app
            .count(&format!(
                "notices WHERE application_id = {application} AND kind = 'application_withdrawn'"
            ))
            .await;
        assert!(told == 0 || expected == "withdrawn", "round {round}");
        assert!(told > 0 || expected == "hired", "round {round}");
    }
    assert_eq!(app.count("applications").await, 4);
}

crate::on_both_databases!(
    a_youth_applies_the_employer_moves_her_and_she_sees_each_status,
    conflicting_applications_and_moves_are_decided_one_at_a_time,
);
