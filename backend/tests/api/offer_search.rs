//! The offers' search: a small corpus in French, Arabic and English, the results expected for
//! each query written here, the filters' counts, pages, and the index following every write.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{TestApp, with_key};
use crate::offers::organisation;

const CASABLANCA: &str = "06.141.01.0";
const RABAT: &str = "04.421.01.0";
const TANGER: &str = "01.511.01.0";
const MARRAKECH: &str = "07.351.01.0";

fn offer(id: &str, kind: &str, title: &str, description: &str, commune: &str) -> Value {
    let mut offer = json!({
        "external_id": id, "kind": kind, "title": title, "description": description,
        "commune_code": commune,
    });
    if kind == "internship" {
        offer["internship"] = json!("end_of_studies");
    }
    offer
}

/// The corpus: ids by external id.
fn corpus() -> Vec<Value> {
    let days_ago = |n: i64| (Utc::now() - Duration::days(n)).to_rfc3339();
    let mut all = vec![
        offer(
            "casa-pfe",
            "internship",
            "Stage PFE data analyst",
            "Analyse de données clients avec Python et SQL.",
            CASABLANCA,
        ),
        offer(
            "rabat-pfe",
            "internship",
            "Stage PFE développement mobile",
            "Application Android pour une banque.",
            RABAT,
        ),
        offer(
            "casa-java",
            "job",
            "Développeur Java senior",
            "Équipe paiements, microservices.",
            CASABLANCA,
        ),
        offer(
            "tanger-auto",
            "job",
            "Technicien de maintenance automobile",
            "Usine de câblage, travail en équipes.",
            TANGER,
        ),
        offer(
            "tanger-ar",
            "job",
            "مهندس مدني",
            "شركة بناء تبحث عن مهندس مدني لمتابعة الأوراش.",
            TANGER,
        ),
        offer(
            "marrakech-ar",
            "job",
            "مطلوب مهندسة معلوميات",
            "فندق كبير يبحث عن مهندسة لتسيير الشبكات.",
            MARRAKECH,
        ),
        offer(
            "remote-en",
            "job",
            "Software developer",
            "Remote position for a developer who loves Rust. English required.",
            RABAT,
        ),
        offer(
            "rabat-web",
            "job",
            "Développeuse web full stack",
            "Agence digitale, React et Node.",
            RABAT,
        ),
        offer(
            "marrakech-imm",
            "immersion",
            "Découverte des métiers de l'hôtellerie",
            "Une semaine en cuisine et à la réception.",
            MARRAKECH,
        ),
    ];
    all[2]["contract"] = json!("cdi");
    all[3]["contract"] = json!("cdi");
    all[3]["sector"] = json!("automotive");
    all[4]["contract"] = json!("cdd");
    all[6]["remote"] = json!(true);
    all[6]["contract"] = json!("freelance");
    all[8]["sector"] = json!("tourism");
    // Two older ones, for "posted since" and the date order.
    all[0]["posted_at"] = json!(days_ago(10));
    all[3]["posted_at"] = json!(days_ago(20));
    all
}

async fn search(app: &TestApp, query: &str) -> Value {
    let reply = app
        .get(&format!("/api/v1/offers/search?{query}"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.body
}

/// The external ids of a result's hits, in order (the ids map back through `ids`).
fn found(result: &Value, ids: &std::collections::HashMap<i64, String>) -> Vec<String> {
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| ids[&hit["id"].as_i64().unwrap()].clone())
        .collect()
}

fn q(words: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(words.as_bytes()).collect::<String>()
    )
}

async fn offers_are_found_in_three_languages_filtered_counted_and_paged(app: TestApp) {
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
    let pushed = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/organizations/{org}/offers/batch"),
        &key,
        Some(json!({"offers": corpus()})),
    )
    .await;
    assert_eq!(pushed.body["created"], 9, "{}", pushed.body);
    let ids: std::collections::HashMap<i64, String> = pushed.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["external_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // An unverified organisation's offer waits for moderation: never found.
    let (_, employer) = app.account("rh@inconnu.ma", Role::Employer, None).await;
    let other = app
        .post(
            "/api/v1/organizations",
            Some(&employer),
            json!({"name": "Inconnu", "kind": "employer"}),
        )
        .await;
    let other = other.body["id"].as_i64().unwrap();
    let pending = app
        .post(
            &format!("/api/v1/organizations/{other}/offers"),
            Some(&employer),
            json!({"kind": "job", "title": "Développeur PHP", "description": "Développeur PHP à Casablanca"}),
        )
        .await;
    assert_eq!(pending.body["status"], "pending", "{}", pending.body);

    // The questions the platform must answer sensibly.
    let pfe = search(&app, &q("stage pfe casa")).await;
    assert_eq!(found(&pfe, &ids), ["casa-pfe"], "{pfe}");
    assert_eq!(pfe["relaxed"], false);
    let dev = search(&app, &q("développeur")).await;
    assert_eq!(found(&dev, &ids)[0], "casa-java", "{dev}");
    assert!(!found(&dev, &ids).contains(&"marrakech-ar".to_owned()));
    assert_eq!(dev["total"], 1, "the pending PHP offer is not found: {dev}");
    let mut engineers = found(&search(&app, &q("مهندس")).await, &ids);
    engineers.sort();
    assert_eq!(engineers, ["marrakech-ar", "tanger-ar"]);
    // With diacritics and the article, the same.
    let mut engineers = found(&search(&app, &q("المُهَنْدِس")).await, &ids);
    engineers.sort();
    assert_eq!(engineers, ["marrakech-ar", "tanger-ar"]);
    for city in ["Tanger", "tanger", "طنجة", "Tangier"] {
        let mut tanger = found(&search(&app, &q(city)).await, &ids);
        tanger.sort();
        assert_eq!(tanger, ["tanger-ar", "tanger-auto"], "{city}");
    }
    assert_eq!(
        found(&search(&app, &q("developers")).await, &ids),
        ["remote-en"]
    );
    // The same French stem: "développement", "développeuse".
    let mut development = found(&search(&app, &q("Développement")).await, &ids);
    development.sort();
    assert_eq!(development, ["rabat-pfe", "rabat-web"]);
    // No offer holds both words: those holding one, said so.
    let relaxed = search(&app, &q("java pâtissier")).await;
    assert_eq!(relaxed["relaxed"], true, "{relaxed}");
    assert_eq!(found(&relaxed, &ids), ["casa-java"]);
    // Punctuation and query syntax are words like others, never an error.
    for odd in ["*:( AND OR \"", "title:java", "c++", "%_"] {
        search(&app, &q(odd)).await;
    }
    let nothing = search(&app, &q("astronaute")).await;
    assert_eq!(
        (nothing["total"].clone(), nothing["items"].clone()),
        (json!(0), json!([]))
    );

    // Filters, and counts that add up.
    let everything = search(&app, "").await;
    assert_eq!(everything["total"], 9, "{everything}");
    assert_eq!(everything["order"], "date");
    let sum = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| f["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum(&everything["facets"]["kind"]), 9);
    assert_eq!(sum(&everything["facets"]["remote"]), 9);
    assert_eq!(sum(&everything["facets"]["commune"]), 9);
    assert_eq!(
        everything["facets"]["kind"][0],
        json!({"value": "job", "count": 6})
    );
    assert_eq!(
        everything["facets"]["commune"][0],
        json!({"value": RABAT, "count": 3, "name_fr": "Rabat", "name_ar": "الرباط"})
    );
    let internships = search(&app, "kind=internship").await;
    let mut names = found(&internships, &ids);
    names.sort();
    assert_eq!(names, ["casa-pfe", "rabat-pfe"]);
    // The kind's own counts still show the other kinds; the others count internships only.
    assert_eq!(sum(&internships["facets"]["kind"]), 9);
    assert_eq!(sum(&internships["facets"]["commune"]), 2);
    let rabat_jobs = search(&app, &format!("kind=job&commune={RABAT}")).await;
    let mut names = found(&rabat_jobs, &ids);
    names.sort();
    assert_eq!(names, ["rabat-web", "remote-en"]);
    // A chosen commune is listed by name even when no offer is there (a form can say it).
    let fes = search(&app, "commune=03.231.01.0").await;
    assert_eq!(fes["total"], 0);
    assert_eq!(
        fes["facets"]["commune"].as_array().unwrap().last().unwrap(),
        &json!({"value": "03.231.01.0", "count": 0, "name_fr": "Fès", "name_ar": "فاس"})
    );
    assert_eq!(sum(&fes["facets"]["commune"]), 9);
    let remote = search(&app, "remote=true").await;
    assert_eq!(found(&remote, &ids), ["remote-en"]);
    let cdi = search(
        &app,
        &format!("contract=cdi&region=06&{}", q("développeur")),
    )
    .await;
    assert_eq!(found(&cdi, &ids), ["casa-java"]);
    let tourism = search(&app, "sector=tourism").await;
    assert_eq!(found(&tourism, &ids), ["marrakech-imm"]);
    let since = (Utc::now() - Duration::days(5)).format("%Y-%m-%d");
    assert_eq!(
        search(&app, &format!("posted_since={since}")).await["total"],
        7
    );

    // Pages by date: every offer once, newest first; then by relevance.
    for (query, total) in [("order=date", 9), (&q("stage développeur web") as &str, 0)] {
        let mut seen = Vec::new();
        let mut next = query.to_owned();
        let mut times = Vec::new();
        loop {
            let page = search(&app, &format!("{next}&limit=2")).await;
            for hit in page["items"].as_array().unwrap() {
                seen.push(hit["id"].as_i64().unwrap());
                times.push(hit["posted_at"].as_str().unwrap().to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => next = format!("{query}&cursor={cursor}"),
                None => break,
            }
        }
        let unique: std::collections::HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{query}: no offer twice");
        if total > 0 {
            assert_eq!(seen.len(), total, "{query}");
            let mut sorted = times.clone();
            sorted.sort_by(|a, b| b.cmp(a));
            assert_eq!(times, sorted, "newest first");
        } else {
            assert_eq!(
                seen.len() as u64,
                search(&app, query).await["total"].as_u64().unwrap()
            );
        }
    }

    // Bad input: a clear error on its field.
    let long = app
        .get(
            &format!("/api/v1/offers/search?{}", q(&"a".repeat(201))),
            None,
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.error_fields(), ["q"]);
    for (query, field) in [
        ("cursor=nope", "cursor"),
        ("limit=0", "limit"),
        ("kind=boat", "kind"),
        ("posted_since=yesterday", "posted_since"),
    ] {
        let bad = app
            .get(&format!("/api/v1/offers/search?{query}"), None)
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            bad.body
        );
        assert_eq!(bad.error_fields(), [field], "{query}");
    }
}

async fn the_index_follows_every_write_and_is_rebuilt_from_the_database(app: TestApp) {
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
    let push = |offers: Value| {
        with_key(
            &app,
            Method::POST,
            &path,
            &key,
            Some(json!({"offers": offers})),
        )
    };
    push(corpus().into()).await;
    assert_eq!(search(&app, &q("java")).await["total"], 1);
    // Changed: found by its new words only.
    let mut changed = corpus()[2].clone();
    changed["title"] = json!("Développeur Kotlin senior");
    changed["description"] = json!("Équipe paiements.");
    let reply = push(json!([changed])).await;
    assert_eq!(reply.body["updated"], 1, "{}", reply.body);
    assert_eq!(search(&app, &q("java")).await["total"], 0);
    assert_eq!(search(&app, &q("kotlin")).await["total"], 1);
    let kotlin = reply.body["results"][0]["id"].as_i64().unwrap();
    // Withdrawn, removed: gone.
    let withdrawn = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/offers/{kotlin}/withdrawal"),
        &key,
        None,
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(search(&app, &q("kotlin")).await["total"], 0);
    let hotel = search(&app, &q("hôtellerie")).await;
    let hotel = hotel["items"][0]["id"].as_i64().unwrap();
    let removed = app
        .post(
            &format!("/api/v1/offers/{hotel}/removal"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(search(&app, &q("hôtellerie")).await["total"], 0);
    // The organisation no longer verified: its offers wait again, and leave the search.
    let unverified = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/verification"),
            Some(&admin),
            None,
        )
        .await;
    assert!(unverified.status.is_success(), "{}", unverified.body);
    assert_eq!(search(&app, "").await["total"], 0);
    app.verify_organization(org, &admin).await;
    assert_eq!(search(&app, "").await["total"], 7);

    // Another process cannot write this index (the server holds it): it keeps one in memory,
    // built from the database, which answers alike.
    let reference = backend::reference::Reference::load(&app.db).await.unwrap();
    let busy = backend::search::OfferIndex::open(&app.data_dir).unwrap();
    assert!(!busy.on_disk());
    assert_eq!(
        busy.start(&app.db, &reference).await.unwrap(),
        9,
        "every offer read once"
    );
    assert_eq!(busy.len(), 7);
    // An index on disk, built, closed and opened again: it starts from its watermark.
    let dir = app.data_dir.join("second");
    {
        let index = backend::search::OfferIndex::open(&dir).unwrap();
        assert!(index.on_disk());
        index.start(&app.db, &reference).await.unwrap();
        assert_eq!(index.len(), 7);
    }
    let reopened = backend::search::OfferIndex::open(&dir).unwrap();
    assert_eq!(reopened.len(), 7, "kept on disk");
    reopened.start(&app.db, &reference).await.unwrap();
    assert_eq!(reopened.len(), 7);
    // Lost: built again from the database.
    drop(reopened);
    std::fs::remove_dir_all(&dir).unwrap();
    let rebuilt = backend::search::OfferIndex::open(&dir).unwrap();
    assert_eq!(rebuilt.len(), 0);
    rebuilt.start(&app.db, &reference).await.unwrap();
    assert_eq!(rebuilt.len(), 7);
}

crate::on_both_databases!(
    offers_are_found_in_three_languages_filtered_counted_and_paged,
    the_index_follows_every_write_and_is_rebuilt_from_the_database,
);
