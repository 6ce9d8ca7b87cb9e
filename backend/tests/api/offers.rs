//! Offers: posted by an organisation's members, pushed in batches by its key, seen by everyone
//! once live, by their organisation whatever their status.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{Reply, TestApp, with_key};

/// A verified organisation of `owner`, with a key of `scopes`.
pub(crate) async fn organisation(
    app: &TestApp,
    admin: &str,
    owner: &str,
    name: &str,
    scopes: Value,
) -> (i64, String) {
    let org = app
        .post(
            "/api/v1/organizations",
            Some(owner),
            json!({"name": name, "kind": "recruitment_agency"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    let org = org.body["id"].as_i64().unwrap();
    app.verify_organization(org, admin).await;
    let key = app
        .post(
            &format!("/api/v1/organizations/{org}/api-keys"),
            Some(owner),
            json!({"name": "ATS", "scopes": scopes}),
        )
        .await;
    assert_eq!(key.status, StatusCode::CREATED, "{}", key.body);
    (org, key.body["secret"].as_str().unwrap().to_owned())
}

/// An employer (`rh@nouvelle.ma`) whose organisation is not yet verified posts an offer
/// ("Assistant RH", external id `N-1`): her token, the organisation, and the post's answer.
pub(crate) async fn pending_offer(app: &TestApp) -> (String, i64, Reply) {
    let (_, newcomer) = app.account("rh@nouvelle.ma", Role::Employer, None).await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&newcomer),
            json!({"name": "Nouvelle SARL", "kind": "employer"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    let org = org.body["id"].as_i64().unwrap();
    let posted = app
        .post(
            &format!("/api/v1/organizations/{org}/offers"),
            Some(&newcomer),
            offer("N-1", "Assistant RH"),
        )
        .await;
    (newcomer, org, posted)
}

/// Pushes `offers` into `org` with `key` (a batch), and returns their ids in order.
pub(crate) async fn push(app: &TestApp, org: i64, key: &str, offers: Vec<Value>) -> Vec<i64> {
    let pushed = with_key(
        app,
        Method::POST,
        &format!("/api/v1/organizations/{org}/offers/batch"),
        key,
        Some(json!({ "offers": offers })),
    )
    .await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", pushed.body);
    pushed.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

pub(crate) fn offer(external_id: &str, title: &str) -> Value {
    json!({
        "external_id": external_id,
        "kind": "internship",
        "internship": "end_of_studies",
        "title": title,
        "description": "<p>Stage PFE de six mois au sein de l'équipe data.</p><ul><li>Python</li><li>SQL</li></ul>",
        "commune_code": "06.141.01.0",
        "sector": "offshoring",
        "education": "bac_5",
        "experience_years": 0,
        "salary_min": 3000,
        "salary_max": 4000
    })
}

async fn a_partner_pushes_offers_by_key_and_the_same_batch_twice_changes_nothing(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let path = format!("/api/v1/organizations/{org}/offers/batch");
    let mut hostile = offer("T-3", "Développeur web junior");
    hostile["kind"] = json!("job");
    hostile["internship"] = Value::Null;
    hostile["contract"] = json!("cdi");
    hostile["description"] = json!(
        "<p onclick=\"steal()\">Rejoignez-nous</p><script>alert(1)</script><a href=\"javascript:alert(1)\">ici</a> <a href=\"https://talent.ma/o/3\">l'offre</a><img src=x onerror=alert(1)>"
    );
    let batch = json!({"offers": [
        offer("T-1", "Stage PFE data analyst"),
        {"external_id": "T-2", "kind": "job", "title": "", "description": "Sans titre"},
        hostile,
    ]});
    let first = with_key(&app, Method::POST, &path, &key, Some(batch.clone())).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["created"], 2, "{}", first.body);
    assert_eq!(first.body["rejected"], 1);
    let results = first.body["results"].as_array().unwrap();
    assert_eq!(results[0]["outcome"], "created");
    assert_eq!(results[1]["outcome"], "rejected");
    assert_eq!(results[1]["external_id"], "T-2");
    assert_eq!(results[1]["errors"][0]["field"], "title");
    assert_eq!(results[1]["errors"][0]["code"], "required");
    assert_eq!(results[2]["outcome"], "created");
    assert_eq!(
        app.count("offers").await,
        2,
        "the rejected one is not stored"
    );

    // The description is sanitised: no script, no handler, no javascript: link, no image;
    // the real link stays, marked nofollow; a plain-text twin beside it.
    let id = results[2]["id"].as_i64().unwrap();
    let seen = app.get(&format!("/api/v1/offers/{id}"), None).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let html = seen.body["description_html"].as_str().unwrap();
    for banned in [
        "<script",
        "onclick",
        "javascript:",
        "<img",
        "onerror",
        "alert",
    ] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    assert!(html.contains("href=\"https://talent.ma/o/3\""), "{html}");
    assert!(html.contains("nofollow"), "{html}");
    assert_eq!(seen.body["description_text"], "Rejoignez-nous\nici l'offre");
    assert_eq!(seen.body["status"], "live");
    assert_eq!(seen.body["employer_name"], "Talent Maroc");
    assert_eq!(seen.body["source"], "partner");
    assert_eq!(
        seen.body.get("external_id"),
        None,
        "a stranger does not see the partner's ids"
    );
    let internship = app
        .get(&format!("/api/v1/offers/{}", results[0]["id"]), None)
        .await;
    assert_eq!(internship.body["region_code"], "06", "{}", internship.body);
    assert_eq!(internship.body["commune_name_fr"], "Casablanca");
    assert_eq!(
        internship.body["description_text"],
        "Stage PFE de six mois au sein de l'équipe data.\nPython\nSQL"
    );

    // The same batch again, later, writes nothing (sent without dates, they keep theirs).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = with_key(&app, Method::POST, &path, &key, Some(batch.clone())).await;
    assert_eq!(again.body["unchanged"], 2, "{}", again.body);
    assert_eq!(again.body["created"], 0);
    assert_eq!(again.body["results"][0]["id"], results[0]["id"]);
    assert_eq!(app.count("audit_log WHERE action = 'offer.batch'").await, 1);
    // One change is one update.
    let mut changed = batch.clone();
    changed["offers"][0]["title"] = json!("Stage PFE data analyst (Casablanca)");
    let updated = with_key(&app, Method::POST, &path, &key, Some(changed)).await;
    assert_eq!(updated.body["updated"], 1, "{}", updated.body);
    assert_eq!(updated.body["unchanged"], 1);
    assert_eq!(app.count("offers").await, 2);

    // Five new batches of the same offers at once: each offer is created once, the other
    // batches find it unchanged.
    let fresh = json!({"offers": (0..20).map(|i| offer(&format!("C-{i}"), "Stage PFE")).collect::<Vec<_>>()});
    let replies = futures_util::future::join_all(
        (0..5).map(|_| with_key(&app, Method::POST, &path, &key, Some(fresh.clone()))),
    )
    .await;
    let mut created = 0;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["rejected"], 0, "{}", reply.body);
        created += reply.body["created"].as_i64().unwrap();
    }
    assert_eq!(created, 20);
    assert_eq!(app.count("offers WHERE external_id LIKE 'C-%'").await, 20);

    // Page by page, every live offer comes once, though most share their second.
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = app
            .get(&format!("/api/v1/offers?limit=5{after}"), None)
            .await;
        for item in page.body["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_i64().unwrap()), "{item} twice");
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 22);

    // A batch of several hundred kilobytes goes through with an Idempotency-Key too.
    let long = "<p>Missions détaillées du poste, profil recherché et avantages.</p>".repeat(20);
    let big = json!({"offers": (0..300).map(|i| {
        let mut o = offer(&format!("L-{i}"), "Conseiller client");
        o["description"] = json!(long);
        o
    }).collect::<Vec<_>>()});
    let pushed = crate::helpers::read(
        app.client
            .post(app.url(&path))
            .header("X-API-Key", &key)
            .header("Idempotency-Key", "big-push-1")
            .json(&big)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", pushed.body);
    assert_eq!(pushed.body["created"], 300);

    // Retried with the same Idempotency-Key, the first answer comes back.
    let retried = |key_header: &'static str| {
        let app = &app;
        let path = path.clone();
        let key = key.clone();
        let batch = batch.clone();
        async move {
            crate::helpers::read(
                app.client
                    .post(app.url(&path))
                    .header("X-API-Key", key)
                    .header("Idempotency-Key", key_header)
                    .json(&batch)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let once = retried("push-2026-12-01").await;
    let twice = retried("push-2026-12-01").await;
    assert_eq!(once.body, twice.body);

    // Everyone reads the live ones, newest first; the organisation its own with their ids.
    let live = app.get("/api/v1/offers?limit=100", None).await;
    assert_eq!(live.body["items"].as_array().unwrap().len(), 100);
    let own = with_key(
        &app,
        Method::GET,
        &format!("/api/v1/organizations/{org}/offers"),
        &key,
        None,
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert!(
        own.body["items"][0]["external_id"].is_string(),
        "{}",
        own.body
    );
}

async fn bad_offers_and_batches_are_refused_field_by_field(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let path = format!("/api/v1/organizations/{org}/offers/batch");
    // Ten thousand offers: refused as a whole with a clear word, nothing stored.
    let many: Vec<Value> = (0..10_000).map(|i| json!({"external_id": format!("X-{i}"), "kind": "job", "title": "Vendeur", "description": "Vente"})).collect();
    let refused = with_key(
        &app,
        Method::POST,
        &path,
        &key,
        Some(json!({"offers": many})),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["errors"][0]["field"], "offers");
    assert_eq!(refused.body["errors"][0]["code"], "too_many");
    let empty = with_key(&app, Method::POST, &path, &key, Some(json!({"offers": []}))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut job_as_internship = offer("B-1", "Commercial terrain");
    job_as_internship["kind"] = json!("job");
    let mut salary = offer("B-2", "Comptable");
    salary["salary_min"] = json!(9000);
    salary["salary_max"] = json!(5000);
    let mut dates = offer("B-3", "Magasinier");
    let now = chrono::Utc::now();
    dates["posted_at"] = json!((now - chrono::Duration::days(10)).to_rfc3339());
    dates["valid_through"] = json!((now - chrono::Duration::days(20)).to_rfc3339());
    let mut places = offer("B-4", "Technicien");
    places["commune_code"] = json!("99.999.99.9");
    places["sector"] = json!("no_such_sector");
    places["isco08"] = json!("9999");
    let mut link = offer("B-5", "Développeur");
    link["apply_in_platform"] = json!(false);
    let batch = json!({"offers": [
        job_as_internship, salary, dates, places, link,
        offer("B-6", "Stage PFE"), offer("B-6", "Stage PFE (doublon)"),
    ]});
    let reply = with_key(&app, Method::POST, &path, &key, Some(batch)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let errors = |i: usize| -> Vec<(String, String)> {
        reply.body["results"][i]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
    assert_eq!(
        errors(0),
        [pair("internship", "internship.not_an_internship")]
    );
    assert_eq!(errors(1), [pair("salary_max", "salary.range")]);
    assert_eq!(
        errors(2),
        [pair("valid_through", "valid_through.before_posted")]
    );
    assert_eq!(
        errors(3),
        [
            pair("commune_code", "commune.unknown"),
            pair("sector", "sector.unknown"),
            pair("isco08", "occupation.unknown")
        ]
    );
    assert_eq!(errors(4), [pair("url", "required")]);
    assert_eq!(reply.body["results"][5]["outcome"], "created");
    assert_eq!(errors(6), [pair("external_id", "external_id.duplicate")]);
    assert_eq!(reply.body["rejected"], 6);
    assert_eq!(app.count("offers").await, 1);
    // An offer that does not even fit the schema is rejected alone; the others go on.
    let mut odd = offer("D-1", "Astronaute");
    odd["kind"] = json!("astronaut");
    let mut extra = offer("D-2", "Chauffeur");
    extra["colour"] = json!("red");
    let mixed = with_key(
        &app,
        Method::POST,
        &path,
        &key,
        Some(json!({"offers": [odd, extra, offer("D-3", "Caissier"), 42]})),
    )
    .await;
    assert_eq!(mixed.status, StatusCode::OK, "{}", mixed.body);
    assert_eq!(
        mixed.body["results"][0]["errors"][0]["field"], "kind",
        "{}",
        mixed.body
    );
    assert_eq!(mixed.body["results"][0]["external_id"], "D-1");
    assert_eq!(
        mixed.body["results"][1]["errors"][0]["code"],
        "unknown_field"
    );
    assert_eq!(mixed.body["results"][2]["outcome"], "created");
    assert_eq!(mixed.body["results"][3]["outcome"], "rejected");
    assert_eq!(mixed.body["created"], 1);
    // Markup with no text left is no description; a lone "<" is text; relative links go.
    let mut empty = offer("E-1", "Vide");
    empty["description"] = json!("<img src=x onerror=alert(1)><script>alert(2)</script>");
    let mut lt = offer("E-2", "Commercial");
    lt["description"] = json!("Salaire <5000 DH\r\n\r\nMissions : prospection");
    let mut relative = offer("E-3", "Magasinier");
    relative["description"] =
        json!("<p><a href=\"//evil.example/p\">un</a> <a href=\"/api/v1/me\">deux</a></p>");
    let cleaned = with_key(
        &app,
        Method::POST,
        &path,
        &key,
        Some(json!({"offers": [empty, lt, relative]})),
    )
    .await;
    assert_eq!(
        cleaned.body["results"][0]["errors"][0]["field"], "description",
        "{}",
        cleaned.body
    );
    assert_eq!(cleaned.body["results"][0]["errors"][0]["code"], "required");
    let read = |i: usize| {
        let id = cleaned.body["results"][i]["id"].as_i64().unwrap();
        let app = &app;
        async move { app.get(&format!("/api/v1/offers/{id}"), None).await.body }
    };
    let lt = read(1).await;
    assert_eq!(
        lt["description_html"],
        "<p>Salaire &lt;5000 DH</p><p>Missions : prospection</p>"
    );
    assert_eq!(
        lt["description_text"],
        "Salaire <5000 DH\nMissions : prospection"
    );
    let relative = read(2).await;
    let html = relative["description_html"].as_str().unwrap();
    assert!(!html.contains("href"), "{html}");

    // A batch's offers need their own ids; a single post does not.
    let no_id = with_key(
        &app,
        Method::POST,
        &path,
        &key,
        Some(json!({"offers": [{"kind": "job", "title": "Vendeur", "description": "Vente"}]})),
    )
    .await;
    assert_eq!(no_id.body["results"][0]["errors"][0]["code"], "required");
    let single = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{org}/offers"),
        &key,
        Some(json!({"kind": "job", "title": "Vendeur", "description": "Vente\n\nEn magasin"})),
    )
    .await;
    assert_eq!(single.status, StatusCode::CREATED, "{}", single.body);
    assert_eq!(
        single.body["description_html"],
        "<p>Vente</p><p>En magasin</p>"
    );
    let bad = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{org}/offers"),
        &key,
        Some(json!({"kind": "job", "title": "", "description": ""})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.body["errors"].as_array().unwrap().len(),
        2,
        "{}",
        bad.body
    );
}

async fn offers_are_seen_and_written_by_those_they_belong_to(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (_, other) = app.account("rh@autre.ma", Role::Employer, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let (other_org, other_key) = organisation(
        &app,
        &admin,
        &other,
        "Autre Recrutement",
        json!(["organization:read"]),
    )
    .await;
    let one = |path: String| format!("/api/v1/organizations/{}", path);
    // A youth may not post at all (403 before the body); another organisation's member and
    // key see no such organisation (404); a key without the scope is told which it lacks.
    let post = app
        .post(&one(format!("{org}/offers")), Some(&youth), json!({}))
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let post = app
        .post(
            &one(format!("{org}/offers")),
            Some(&other),
            offer("Z-1", "Stage"),
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let post = with_key(
        &app,
        Method::POST,
        &one(format!("{org}/offers/batch")),
        &other_key,
        Some(json!({})),
    )
    .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(post.body["type"], "/problems/insufficient-scope");
    let post = with_key(
        &app,
        Method::POST,
        &one(format!("{other_org}/offers")),
        &key,
        Some(offer("Z-1", "Stage")),
    )
    .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("offers").await, 0);

    // An organisation not yet verified posts: the offer waits for moderation, seen only by
    // its own people.
    let (newcomer, fresh, pending) = pending_offer(&app).await;
    assert_eq!(pending.status, StatusCode::CREATED, "{}", pending.body);
    assert_eq!(pending.body["status"], "pending");
    assert_eq!(pending.body["source"], "employer");
    let id = pending.body["id"].as_i64().unwrap();
    for stranger in [None, Some(youth.as_str()), Some(partner.as_str())] {
        let seen = app.get(&format!("/api/v1/offers/{id}"), stranger).await;
        assert_eq!(seen.status, StatusCode::NOT_FOUND, "{stranger:?}");
    }
    assert_eq!(
        app.get(&format!("/api/v1/offers/{id}"), Some(&newcomer))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/api/v1/offers/{id}"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/offers", None).await.body["items"],
        json!([])
    );
    let theirs = app
        .get(&one(format!("{fresh}/offers")), Some(&partner))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let mine = app
        .get(&one(format!("{fresh}/offers")), Some(&newcomer))
        .await;
    assert_eq!(mine.body["items"][0]["id"], id);
    // Already past its date, an unmoderated offer still waits: it is not public as expired.
    let mut old = offer("N-2", "Standardiste");
    let now = chrono::Utc::now();
    old["posted_at"] = json!((now - chrono::Duration::days(10)).to_rfc3339());
    old["valid_through"] = json!((now - chrono::Duration::hours(1)).to_rfc3339());
    let old = app
        .post(&one(format!("{fresh}/offers")), Some(&newcomer), old)
        .await;
    assert_eq!(old.body["status"], "pending", "{}", old.body);
    let old_id = old.body["id"].as_i64().unwrap();
    let public = |id: i64| {
        let app = &app;
        async move { app.get(&format!("/api/v1/offers/{id}"), None).await }
    };
    assert_eq!(public(old_id).await.status, StatusCode::NOT_FOUND);
    // Verified, the organisation's waiting offers go live (not the one past its date); its
    // owner renaming it sends them back to the admins.
    app.verify_organization(fresh, &admin).await;
    assert_eq!(public(id).await.body["status"], "live");
    // Put live by the verification: new to the youths from then.
    let listed = format!("offers WHERE id = {id} AND listed_at IS NOT NULL");
    assert_eq!(app.count(&listed).await, 1);
    assert_eq!(public(old_id).await.status, StatusCode::NOT_FOUND);
    let renamed = app
        .patch(
            &format!("/api/v1/organizations/{fresh}"),
            Some(&newcomer),
            json!({"name": "Nouvelle SA"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(public(id).await.status, StatusCode::NOT_FOUND);
    let own = app
        .get(&format!("/api/v1/offers/{id}"), Some(&newcomer))
        .await;
    assert_eq!(own.body["status"], "pending");
}

async fn offers_wait_for_moderation_are_withdrawn_removed_and_expire(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (newcomer, _, posted) = pending_offer(&app).await;
    assert_eq!(posted.body["status"], "pending", "{}", posted.body);
    let id = posted.body["id"].as_i64().unwrap();
    // The moderation queue is the admins'.
    let queue = app.get("/api/v1/offers?status=pending", Some(&admin)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.body["items"][0]["id"], id);
    for other in [None, Some(youth.as_str()), Some(newcomer.as_str())] {
        let refused = app.get("/api/v1/offers?status=pending", other).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{other:?}");
    }
    let path = |what: &str| format!("/api/v1/offers/{id}/{what}");
    let refused = app
        .post(&path("approval"), Some(&newcomer), json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = format!("offers WHERE id = {id} AND listed_at IS NOT NULL");
    assert_eq!(app.count(&listed).await, 0, "not yet put live");
    let approved = app.post(&path("approval"), Some(&admin), json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.body["status"], "live");
    // Put live now: new to the youths' saved searches from now, whatever its date.
    assert_eq!(app.count(&listed).await, 1);
    assert_eq!(
        app.get(&format!("/api/v1/offers/{id}"), None).await.status,
        StatusCode::OK
    );
    let again = app.post(&path("approval"), Some(&admin), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["errors"][0]["code"], "offer.wrong_status");

    // Its organisation takes it down: gone for everyone else.
    let withdrawn = app
        .post(&path("withdrawal"), Some(&newcomer), json!({}))
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    assert_eq!(
        app.get(&format!("/api/v1/offers/{id}"), Some(&youth))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let stranger = app.post(&path("withdrawal"), Some(&youth), json!({})).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);

    // An admin removes an offer; sent again by its organisation, it stays removed.
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (partner_org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let batch = json!({"offers": [offer("R-1", "Hôtesse d'accueil")]});
    let pushed = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{partner_org}/offers/batch"),
        &key,
        Some(batch.clone()),
    )
    .await;
    let live = pushed.body["results"][0]["id"].as_i64().unwrap();
    let removed = app
        .post(
            &format!("/api/v1/offers/{live}/removal"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(removed.body["status"], "removed", "{}", removed.body);
    let mut changed = batch.clone();
    changed["offers"][0]["title"] = json!("Hôtesse d'accueil (CDI)");
    with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{partner_org}/offers/batch"),
        &key,
        Some(changed),
    )
    .await;
    let still = with_key(
        &app,
        Method::GET,
        &format!("/api/v1/organizations/{partner_org}/offers"),
        &key,
        None,
    )
    .await;
    assert_eq!(
        still.body["items"][0]["status"], "removed",
        "{}",
        still.body
    );
    assert_eq!(still.body["items"][0]["title"], "Hôtesse d'accueil (CDI)");
    assert_eq!(
        app.count("audit_log WHERE action IN ('offer.live', 'offer.withdrawn', 'offer.removed')")
            .await,
        3
    );

    // Past its date an offer expires: the job marks it, once; it is read still, not listed.
    let mut short = offer("S-1", "Saisonnier");
    short["valid_through"] = json!((chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339());
    let pushed = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{partner_org}/offers/batch"),
        &key,
        Some(json!({"offers": [short]})),
    )
    .await;
    let short = pushed.body["results"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.get("/api/v1/offers", None).await.body["items"][0]["id"],
        short
    );
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    let ran = backend::services::offers::expire(&app.db, later)
        .await
        .unwrap();
    assert_eq!(ran, "1 offers expired");
    assert_eq!(
        backend::services::offers::expire(&app.db, later)
            .await
            .unwrap(),
        "0 offers expired"
    );
    let ended = app.get(&format!("/api/v1/offers/{short}"), None).await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(ended.body["status"], "expired");
    assert_eq!(
        app.get("/api/v1/offers", None).await.body["items"],
        json!([])
    );
}

async fn anyone_signed_in_reports_an_offer_and_admins_act_on_reports(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (_, other) = app.account("karim@example.ma", Role::Youth, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let pushed = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{org}/offers/batch"),
        &key,
        Some(json!({"offers": [offer("F-1", "Agent de saisie à domicile"), offer("F-2", "Comptable")]})),
    )
    .await;
    let scam = pushed.body["results"][0]["id"].as_i64().unwrap();
    let fine = pushed.body["results"][1]["id"].as_i64().unwrap();
    let report = |id: i64, token: &str, body: Value| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post(&format!("/api/v1/offers/{id}/reports"), Some(&token), body)
                .await
        }
    };
    // Signed out: 401; a reason that does not exist: refused; once per person.
    let anonymous = app
        .post(
            &format!("/api/v1/offers/{scam}/reports"),
            None,
            json!({"reason": "fraud"}),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let bad = report(scam, &youth, json!({"reason": "boring"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = report(
        scam,
        &youth,
        json!({"reason": "fraud", "comment": "On me demande 500 DH de frais de dossier."}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["offer_title"], "Agent de saisie à domicile");
    let twice = report(scam, &youth, json!({"reason": "other"})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["errors"][0]["code"], "report.exists");
    assert_eq!(
        report(scam, &other, json!({"reason": "fraud"}))
            .await
            .status,
        StatusCode::CREATED
    );
    let dismissed = report(fine, &other, json!({"reason": "expired"})).await;
    // An offer nobody else may read is reported by nobody else (404, as for none).
    assert_eq!(
        report(999_999, &youth, json!({"reason": "fraud"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The admins' queue, oldest first; nobody else reads it.
    assert_eq!(
        app.get("/api/v1/offer-reports", Some(&youth)).await.status,
        StatusCode::FORBIDDEN
    );
    let queue = app.get("/api/v1/offer-reports", Some(&admin)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(queue.body["items"][0]["reason"], "fraud");
    // One is dismissed; removing the offer resolves the two others.
    let id = dismissed.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/offer-reports/{id}/dismissal");
    assert_eq!(
        app.post(&path, Some(&youth), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let done = app.post(&path, Some(&admin), json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body["resolved_at"].is_string());
    let again = app.post(&path, Some(&admin), json!({})).await;
    assert_eq!(again.body["errors"][0]["code"], "report.resolved");
    let removed = app
        .post(
            &format!("/api/v1/offers/{scam}/removal"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let open = app.get("/api/v1/offer-reports", Some(&admin)).await;
    assert_eq!(open.body["items"], json!([]), "{}", open.body);
    let all = app
        .get("/api/v1/offer-reports?all=true", Some(&admin))
        .await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(all.body["items"][0]["offer_status"], "removed");
    // A removed offer can no longer be reported by the public (admins still read it).
    let late = report(scam, &admin, json!({"reason": "fraud"})).await;
    assert_eq!(
        late.status,
        StatusCode::CREATED,
        "admins still read it: {}",
        late.body
    );
    let (_, third) = app.account("sara@example.ma", Role::Youth, None).await;
    assert_eq!(
        report(scam, &third, json!({"reason": "fraud"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn an_organisation_changes_its_offers(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, partner) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (_, other) = app.account("rh@autre.ma", Role::Employer, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let (org, key) = organisation(
        &app,
        &admin,
        &partner,
        "Talent Maroc",
        json!(["offers:write"]),
    )
    .await;
    let (_, narrow_key) = organisation(
        &app,
        &admin,
        &other,
        "Autre Recrutement",
        json!(["organization:read"]),
    )
    .await;
    // The first for a client of the agency, by name.
    let mut client = offer("E-1", "Stage data");
    client["employer_name"] = json!("Client Data SA");
    let ids = crate::offers::push(&app, org, &key, vec![client, offer("E-2", "Stage RH")]).await;
    let (id, second) = (ids[0], ids[1]);
    let path = format!("/api/v1/offers/{id}");
    let first = app.get(&path, Some(&partner)).await.body;
    let put = |token: &str, body: Value| {
        let (app, path) = (&app, path.clone());
        let token = token.to_owned();
        async move { app.call(Method::PUT, &path, Some(&token), Some(body)).await }
    };
    // Refused before the body is read: a youth (403), another organisation (404 as for none),
    // a key without the scope (403, naming it); nothing changed.
    assert_eq!(put(&youth, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(put(&other, json!({})).await.status, StatusCode::NOT_FOUND);
    let narrow = with_key(&app, Method::PUT, &path, &narrow_key, Some(json!({}))).await;
    assert_eq!(narrow.status, StatusCode::FORBIDDEN);
    assert_eq!(narrow.body["type"], "/problems/insufficient-scope");
    // Bad fields: each named, the offer as it was.
    let mut bad = offer("E-1", "");
    bad["salary_min"] = json!(-5);
    let refused = put(&partner, bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"title") && fields.contains(&"salary_min"),
        "{fields:?}"
    );
    assert_eq!(app.get(&path, None).await.body["title"], "Stage data");

    // Sent without its external id, it keeps it, and its first date; the search sees the change.
    let mut changed = offer("E-1", "Stage data engineering");
    changed.as_object_mut().unwrap().remove("external_id");
    changed["commune_code"] = json!("04.421.01.0");
    let done = put(&partner, changed.clone()).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["title"], "Stage data engineering");
    assert_eq!(done.body["external_id"], "E-1");
    assert_eq!(done.body["employer_name"], "Client Data SA");
    assert_eq!(done.body["posted_at"], first["posted_at"]);
    // Live before and after: not new again to the youths' saved searches.
    let listed_before_change = format!("offers WHERE id = {id} AND listed_at < updated_at");
    assert_eq!(app.count(&listed_before_change).await, 1);
    assert_eq!(done.body["status"], "live");
    assert_ne!(done.body["commune_code"], first["commune_code"]);
    let found = app.get("/api/v1/offers/search?q=engineering", None).await;
    assert_eq!(found.body["items"][0]["id"], id, "{}", found.body);
    // The same again changes nothing.
    let again = put(&partner, changed.clone()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["updated_at"], done.body["updated_at"]);
    // Its key changes it too, but not into another offer's external id.
    let taken = with_key(
        &app,
        Method::PUT,
        &path,
        &key,
        Some(offer("E-2", "Stage data engineering")),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert_eq!(taken.body["errors"][0]["code"], "external_id.duplicate");
    assert_eq!(
        app.get(&format!("/api/v1/offers/{second}"), None)
            .await
            .body["title"],
        "Stage RH"
    );

    // Withdrawn, then sent again with a later last day: it comes back.
    let withdrawn = app
        .post(&format!("{path}/withdrawal"), Some(&partner), json!({}))
        .await;
    assert_eq!(withdrawn.body["status"], "withdrawn");
    let mut back = changed.clone();
    back["valid_through"] = json!((chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339());
    let back = put(&partner, back).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.body["status"], "live");
    // Back: new to the youths from now.
    let listed_now = format!("offers WHERE id = {id} AND listed_at = updated_at");
    assert_eq!(app.count(&listed_now).await, 1);
    // Removed by the admins, it stays down.
    let removed = app
        .post(&format!("{path}/removal"), Some(&admin), json!({}))
        .await;
    assert_eq!(removed.body["status"], "removed");
    let refused = put(&partner, offer("E-1", "Stage data (nouveau)")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["errors"][0]["code"], "offer.wrong_status");

    // An organisation not yet verified: its approved offer, changed, waits for the admins again.
    let (newcomer, _, pending) = pending_offer(&app).await;
    let pending = pending.body["id"].as_i64().unwrap();
    let approved = app
        .post(
            &format!("/api/v1/offers/{pending}/approval"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(approved.body["status"], "live");
    let changed = app
        .call(
            Method::PUT,
            &format!("/api/v1/offers/{pending}"),
            Some(&newcomer),
            Some(offer("N-1", "Assistant RH — envoyez votre CV sur WhatsApp")),
        )
        .await;
    assert_eq!(changed.body["status"], "pending", "{}", changed.body);
    assert_eq!(
        app.get(&format!("/api/v1/offers/{pending}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

crate::on_both_databases!(
    a_partner_pushes_offers_by_key_and_the_same_batch_twice_changes_nothing,
    bad_offers_and_batches_are_refused_field_by_field,
    offers_are_seen_and_written_by_those_they_belong_to,
    offers_wait_for_moderation_are_withdrawn_removed_and_expire,
    anyone_signed_in_reports_an_offer_and_admins_act_on_reports,
    an_organisation_changes_its_offers,
);
