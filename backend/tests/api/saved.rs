//! What a youth keeps of the offers: saved offers, and saved searches that count what is new
//! since she last opened them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::TestApp;
use crate::offers::{offer, organisation, push};

async fn a_youth_saves_offers_and_searches_and_sees_what_is_new(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (_, other) = app.account("karim@example.ma", Role::Youth, None).await;
    let (org, key) = organisation(&app, &admin, &employer, "Atlas", json!(["offers:write"])).await;
    let ids = push(
        &app,
        org,
        &key,
        vec![
            offer("S-1", "Stage PFE data"),
            offer("S-2", "Stage PFE réseaux"),
        ],
    )
    .await;

    // Saved offers: once each, whatever the number of clicks; only offers one can read.
    let path = format!("/api/v1/me/saved-offers/{}", ids[0]);
    let saved = app.call(Method::PUT, &path, Some(&youth), None).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["title"], "Stage PFE data");
    assert_eq!(saved.body["commune_name_fr"], "Casablanca");
    let again = app.call(Method::PUT, &path, Some(&youth), None).await;
    assert_eq!(again.body["saved_at"], saved.body["saved_at"]);
    assert_eq!(app.count("saved_offers").await, 1);
    assert_eq!(
        app.call(
            Method::PUT,
            "/api/v1/me/saved-offers/987654",
            Some(&youth),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let one = app
        .get(
            &format!("/api/v1/me/saved-offers?offer={}", ids[0]),
            Some(&youth),
        )
        .await;
    assert_eq!(one.body["items"].as_array().unwrap().len(), 1);
    let none = app
        .get(
            &format!("/api/v1/me/saved-offers?offer={}", ids[1]),
            Some(&youth),
        )
        .await;
    assert_eq!(none.body["items"], json!([]));
    assert_eq!(
        app.get("/api/v1/me/saved-offers", Some(&other)).await.body["items"],
        json!([])
    );
    // Withdrawn by its employer, it stays in her list as ended, without its place.
    let withdrawn = app
        .post(
            &format!("/api/v1/offers/{}/withdrawal", ids[0]),
            Some(&employer),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let list = app.get("/api/v1/me/saved-offers", Some(&youth)).await;
    assert_eq!(list.body["items"][0]["status"], "expired");
    assert_eq!(list.body["items"][0]["commune_name_fr"], Value::Null);
    let forgotten = app.call(Method::DELETE, &path, Some(&youth), None).await;
    assert_eq!(forgotten.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.call(Method::DELETE, &path, Some(&youth), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.count("saved_offers").await, 0);

    // A saved search counts the offers posted since she last opened it (in whole seconds, as
    // offers are dated: the offers above are a second older).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let searches = "/api/v1/me/saved-searches";
    let created = app
        .post(
            searches,
            Some(&youth),
            json!({"q": "  stage   pfe ", "kind": "internship"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.body["criteria"],
        json!({"q": "stage pfe", "kind": "internship"})
    );
    assert_eq!(created.body["new_offers"], 0);
    let id = created.body["id"].as_i64().unwrap();
    let twice = app
        .post(
            searches,
            Some(&youth),
            json!({"kind": "internship", "q": "stage pfe"}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["errors"][0]["code"], "saved_search.exists");
    // Offers' dates are whole seconds: the next one is posted a second later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    push(
        &app,
        org,
        &key,
        vec![
            offer("S-3", "Stage PFE marketing"),
            json!({"external_id": "S-4", "kind": "job", "title": "Comptable", "description": "Tenue des comptes."}),
        ],
    )
    .await;
    let listed = app.get(searches, Some(&youth)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.body[0]["new_offers"], 1, "{}", listed.body);
    // A visit a second later: nothing is new since.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let visit = format!("{searches}/{id}/visit");
    assert_eq!(
        app.post(&visit, Some(&other), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let visited = app.post(&visit, Some(&youth), json!({})).await;
    assert_eq!(visited.status, StatusCode::OK, "{}", visited.body);
    assert_eq!(visited.body["new_offers"], 0);
    // Pushed now with its board's older date, an offer is new to her all the same: it appeared
    // here since her visit.
    let mut older = offer("S-5", "Stage PFE finance");
    older["posted_at"] = json!((chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339());
    push(&app, org, &key, vec![older]).await;
    let listed = app.get(searches, Some(&youth)).await;
    assert_eq!(listed.body[0]["new_offers"], 1, "{}", listed.body);

    // Bad criteria are refused field by field, and nothing is kept.
    let long = app
        .post(searches, Some(&youth), json!({"q": "a".repeat(201)}))
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.error_fields(), ["q"]);
    let unknown = app
        .post(searches, Some(&youth), json!({"colour": "red"}))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("saved_searches").await, 1);

    // Deleted by her alone.
    let one = format!("{searches}/{id}");
    assert_eq!(
        app.call(Method::DELETE, &one, Some(&other), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(Method::DELETE, &one, Some(&youth), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.count("saved_searches").await, 0);
}

async fn twenty_saved_searches_at_most_even_saved_at_once(app: TestApp) {
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let searches = "/api/v1/me/saved-searches";
    for i in 0..19 {
        let saved = app
            .post(searches, Some(&youth), json!({"q": format!("métier {i}")}))
            .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    }
    let (a, b) = tokio::join!(
        app.post(searches, Some(&youth), json!({"q": "soudeur"})),
        app.post(searches, Some(&youth), json!({"q": "électricien"})),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{} / {}", a.body, b.body);
    let refused = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert_eq!(refused.body["errors"][0]["code"], "saved_search.too_many");
    assert_eq!(app.count("saved_searches").await, 20);
    // The same offer saved twice at once: one row.
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (org, key) = organisation(&app, &admin, &employer, "Atlas", json!(["offers:write"])).await;
    let id = push(&app, org, &key, vec![offer("T-1", "Technicien")]).await[0];
    let path = format!("/api/v1/me/saved-offers/{id}");
    let (a, b) = tokio::join!(
        app.call(Method::PUT, &path, Some(&youth), None),
        app.call(Method::PUT, &path, Some(&youth), None),
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::OK, StatusCode::OK),
        "{} / {}",
        a.body,
        b.body
    );
    assert_eq!(app.count("saved_offers").await, 1);
}

crate::on_both_databases!(
    a_youth_saves_offers_and_searches_and_sees_what_is_new,
    twenty_saved_searches_at_most_even_saved_at_once,
);
