//! De-duplication: the same vacancy gathered from two boards, or pushed by a partner, is one
//! cluster, found once by its most complete offer, with every other place it was published;
//! other openings of the same employer stay apart; two boards imported at once still meet.

use std::path::{Path, PathBuf};

use backend::entities::{ingest_run, offer};
use backend::services::ingest::{self, Progress};
use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use shared::Role;
use tokio_util::sync::CancellationToken;

use crate::helpers::TestApp;
use crate::ingest::options;
use crate::offers::{organisation, push};

const ACCOUNTING: &str = "Nous recherchons pour notre agence un comptable chargé de la tenue \
    de la comptabilité générale, des déclarations fiscales et sociales, du rapprochement bancaire \
    et de la préparation des états de synthèse. Vous justifiez d'une première expérience en \
    cabinet, maîtrisez Sage et savez travailler en équipe.";

const PORTFOLIO: &str = "La fondation Nour, acteur de la micro-finance présent dans tout le \
    royaume avec plus de deux cents agences, recrute des chargés de portefeuille pour \
    accompagner ses clients, instruire les demandes de crédit et suivre les remboursements.";

const PROJECT: &str = "Au sein de la direction digitale vous pilotez les projets de \
    transformation de nos clients, de la conception au déploiement, en coordonnant les équipes \
    techniques et métiers et en suivant les délais et les budgets de chaque lot.";

/// Offers as JSON lines with the platform's own field names, in `name` under `dir`.
fn lines(dir: &Path, name: &str, offers: &[Value]) -> PathBuf {
    let text: String = offers.iter().map(|o| format!("{o}\n")).collect();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn import(app: &TestApp, file: &Path, source: &str) -> ingest::Summary {
    ingest::import(
        &app.db,
        file,
        &options(source),
        &|_: &Progress| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap()
}

async fn by_key(app: &TestApp, key: &str) -> offer::Model {
    offer::Entity::find()
        .filter(offer::Column::ExternalId.eq(key))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("offer {key}"))
}

/// The search's hits for `q` once the index shows `expected` of them (it syncs every few
/// seconds, and at once after each write through the server).
async fn hits(app: &TestApp, q: &str, expected: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let mut last = Vec::new();
    for _ in 0..150 {
        let reply = app.get(&format!("/api/v1/offers/search?q={q}"), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        last = reply.body["items"].as_array().unwrap().clone();
        if expected(&last) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the search for {q} never showed what was expected: {last:?}");
}

async fn the_same_vacancy_on_two_boards_is_found_once_with_both(app: TestApp) {
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let board_a = lines(
        &app.data_dir,
        "a.jsonl",
        &[
            json!({"id": "A1", "title": "Comptable confirmé H/F", "description": ACCOUNTING,
                "employer": "Fiduciaire Atlas", "place": "Casablanca", "posted": today,
                "url": "https://board-a.example/o/1"}),
            json!({"id": "A2", "title": "Chargé de portefeuille - Meknès", "description": PORTFOLIO,
                "employer": "Fondation Nour", "place": "Meknès", "posted": today,
                "url": "https://board-a.example/o/2"}),
            json!({"id": "A3", "title": "Chef de projet digital", "description": PROJECT,
                "employer": "Maghreb Soft", "place": "Rabat", "posted": today,
                "url": "https://board-a.example/o/3"}),
        ],
    );
    // The second board: the accountant again, its title in capitals, its text in the board's
    // boilerplate, the city written otherwise, and more said (contract, education, salary);
    // the same template for another town, and the project lead's junior opening.
    let board_b = lines(
        &app.data_dir,
        "b.jsonl",
        &[
            json!({"id": "B1", "title": "COMPTABLE CONFIRME", "employer": "FIDUCIAIRE ATLAS SARL",
                "description": format!("Offre relayée par Board B. {ACCOUNTING} Postulez en un clic sur Board B."),
                "place": "Casa", "contract": "CDI", "education": "Bac+3", "salary": "6 000 DH",
                "posted": today, "url": "https://board-b.example/jobs/77"}),
            json!({"id": "B2", "title": "Chargé de portefeuille - Berkane", "description": PORTFOLIO,
                "employer": "Fondation Nour", "place": "Berkane", "posted": today,
                "url": "https://board-b.example/jobs/78"}),
            json!({"id": "B3", "title": "Chef de projet digital junior", "description": PROJECT,
                "employer": "Maghreb Soft", "place": "Rabat", "posted": today,
                "url": "https://board-b.example/jobs/79"}),
        ],
    );
    let first = import(&app, &board_a, "board-a.example").await;
    assert_eq!(first.progress.duplicates, 0);
    let second = import(&app, &board_b, "board-b.example").await;
    assert_eq!(second.progress.created, 3);
    assert_eq!(second.progress.duplicates, 1, "{:?}", second.progress);
    let run = ingest_run::Entity::find_by_id(second.run_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.duplicates, 1);

    let (a1, b1) = (by_key(&app, "A1").await, by_key(&app, "B1").await);
    assert_eq!(a1.cluster_id, Some(a1.id));
    assert_eq!(b1.cluster_id, Some(a1.id));
    for (a, b) in [("A2", "B2"), ("A3", "B3")] {
        let (a, b) = (by_key(&app, a).await, by_key(&app, b).await);
        assert_ne!(a.cluster_id, b.cluster_id, "{} / {}", a.title, b.title);
    }

    // Found once, by the offer that says the most, with the other board.
    let found = hits(&app, "comptable", |h| h.len() == 1 && h[0]["id"] == b1.id).await;
    assert_eq!(found[0]["published_on"], "board-b.example");
    assert_eq!(found[0]["also_published_on"], json!(["board-a.example"]));
    let portfolio = hits(&app, "portefeuille", |h| h.len() == 2).await;
    assert!(
        portfolio
            .iter()
            .all(|h| h.get("also_published_on").is_none())
    );
    hits(&app, "projet", |h| h.len() == 2).await;

    // Either offer says where else it is published, with the link to apply there.
    let reply = app.get(&format!("/api/v1/offers/{}", a1.id), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body["also_published_on"],
        json!([{"offer_id": b1.id, "published_on": "board-b.example",
            "url": "https://board-b.example/jobs/77", "apply_in_platform": false}])
    );
    let reply = app.get(&format!("/api/v1/offers/{}", b1.id), None).await;
    assert_eq!(
        reply.body["also_published_on"][0]["published_on"],
        "board-a.example"
    );

    // The offer shown expires: the other takes its place.
    let mut gone: offer::ActiveModel = b1.into();
    gone.status = Set("expired".into());
    gone.updated_at = Set(Utc::now());
    gone.update(&app.db).await.unwrap();
    let found = hits(&app, "comptable", |h| h.len() == 1 && h[0]["id"] == a1.id).await;
    assert!(found[0].get("also_published_on").is_none());
    let reply = app.get(&format!("/api/v1/offers/{}", a1.id), None).await;
    assert!(
        reply.body.get("also_published_on").is_none(),
        "{}",
        reply.body
    );

    // Imported again, nothing changes: no new duplicates counted.
    let again = import(&app, &board_b, "board-b.example").await;
    assert_eq!(
        (again.progress.unchanged, again.progress.duplicates),
        (3, 0)
    );
}

async fn the_same_page_read_twice_is_one_vacancy_whatever_its_place_says(app: TestApp) {
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let page = "https://board.example/jobs/9";
    // One board's page, read by two scrapers: one read its place as Casablanca, the other as
    // Rabat.
    let first = lines(
        &app.data_dir,
        "first.jsonl",
        &[
            json!({"id": "F1", "title": "Chef de projet digital", "description": PROJECT,
            "employer": "Maghreb Soft", "place": "Casablanca", "posted": today, "url": page}),
        ],
    );
    let second = lines(
        &app.data_dir,
        "second.jsonl",
        &[
            json!({"id": "S1", "title": "Chef de projet digital H/F", "description": PROJECT,
            "employer": "Maghreb Soft", "place": "Rabat", "posted": today, "url": page}),
        ],
    );
    import(&app, &first, "scraper-a.example").await;
    let summary = import(&app, &second, "scraper-b.example").await;
    assert_eq!(summary.progress.duplicates, 1, "{:?}", summary.progress);
    let (f1, s1) = (by_key(&app, "F1").await, by_key(&app, "S1").await);
    assert_eq!(s1.cluster_id, Some(f1.id));
    assert_ne!(f1.commune_code, s1.commune_code);
    // A third offer of another town, the same words but another page: not the same vacancy,
    // though it shares a cluster member's town.
    let third = lines(
        &app.data_dir,
        "third.jsonl",
        &[
            json!({"id": "T1", "title": "Chef de projet digital", "description": PROJECT,
            "employer": "Maghreb Soft", "place": "Rabat", "posted": today,
            "url": "https://other.example/o/1"}),
        ],
    );
    let summary = import(&app, &third, "scraper-c.example").await;
    assert_eq!(summary.progress.duplicates, 0, "{:?}", summary.progress);
    let t1 = by_key(&app, "T1").await;
    assert_eq!(
        t1.cluster_id,
        Some(t1.id),
        "a cluster with Casablanca's copy takes no Rabat offer"
    );
}

async fn a_partners_copy_of_a_gathered_offer_is_placed_in_its_cluster(app: TestApp) {
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let board = lines(
        &app.data_dir,
        "board.jsonl",
        &[
            json!({"id": "G1", "title": "Chef de projet digital", "description": PROJECT,
                "employer": "Talent Maroc", "place": "Rabat", "posted": today,
                "url": "https://board.example/o/1"}),
        ],
    );
    import(&app, &board, "board.example").await;
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
    let own = |id: &str, title: &str| {
        json!({"external_id": id, "kind": "job", "title": title,
            "description": format!("<p>{PROJECT}</p>"), "commune_code": "04.421.01.0",
            "contract": "cdi"})
    };
    // The partner's own copy, and a second opening of the same words that it says is another.
    let ids = push(
        &app,
        org,
        &key,
        vec![
            own("P1", "Chef de projet digital"),
            own("P2", "Chef de projet digital"),
        ],
    )
    .await;
    let gathered = by_key(&app, "G1").await;
    let outcome = backend::dedup::place_waiting(&app.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome.placed, 2, "{outcome}");
    let p1 = offer::Entity::find_by_id(ids[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let p2 = offer::Entity::find_by_id(ids[1])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p1.cluster_id, Some(gathered.id));
    assert_eq!(
        p2.cluster_id,
        Some(p2.id),
        "an organisation's offers stay its own"
    );
    // Nothing more waits.
    let outcome = backend::dedup::place_waiting(&app.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome.placed, 0, "{outcome}");

    // Found once with the partner's other opening: the copy and the gathered offer are one.
    let shown = |h: &[Value], id: i64| h.iter().any(|x| x["id"] == id);
    hits(&app, "projet", |h| {
        h.len() == 2 && shown(h, p2.id) && (shown(h, p1.id) != shown(h, gathered.id))
    })
    .await;
    let reply = app
        .get(&format!("/api/v1/offers/{}", gathered.id), None)
        .await;
    assert_eq!(reply.body["also_published_on"][0]["offer_id"], p1.id);
    assert_eq!(
        reply.body["also_published_on"][0]["apply_in_platform"],
        true
    );
}

/// `n` distinct openings as one board writes them, and as another board relays them.
fn relayed(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let trades = [
        "Comptable",
        "Soudeur",
        "Infirmier",
        "Électricien",
        "Boulanger",
        "Cariste",
        "Serveur",
        "Plombier",
    ];
    let towns = ["Rabat", "Casablanca", "Tanger", "Fès", "Agadir"];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..n {
        let trade = trades[i % trades.len()];
        let town = towns[i / trades.len() % towns.len()];
        let employer = format!(
            "Entreprise {}",
            ["Alpha", "Beta", "Gamma", "Delta", "Omega"][i % 5]
        );
        let description = format!(
            "{trade} recherché à {town} par {employer} pour l'ouverture numéro {i}: vous \
             rejoignez une équipe de professionnels engagés, avec une formation à la prise de \
             poste, un contrat stable et des perspectives d'évolution au sein du groupe."
        );
        let title = format!("{trade} - {town}");
        a.push(
            json!({"id": format!("A{i}"), "title": title, "description": description,
            "employer": employer, "place": town, "posted": today,
            "url": format!("https://board-a.example/o/{i}")}),
        );
        b.push(json!({"id": format!("B{i}"), "title": title.to_uppercase(),
            "description": format!("Annonce relayée. {description}"),
            "employer": employer, "place": town, "posted": today,
            "url": format!("https://board-b.example/o/{i}")}));
    }
    (lines(dir, "a.jsonl", &a), lines(dir, "b.jsonl", &b))
}

async fn two_boards_imported_at_once_make_one_cluster_per_vacancy(app: TestApp) {
    let n = 40;
    let (a, b) = relayed(&app.data_dir, n);
    // A second pool on the same database stands for a second process.
    let other = backend::db::connect_and_migrate(&app.database_url)
        .await
        .unwrap();
    let run = |db, file: PathBuf, source: &'static str| async move {
        ingest::import(
            db,
            &file,
            &options(source),
            &|_: &Progress| {},
            &CancellationToken::new(),
        )
        .await
        .unwrap()
    };
    let (first, second) = tokio::join!(
        run(&app.db, a, "board-a.example"),
        run(&other, b, "board-b.example")
    );
    assert_eq!(
        first.progress.created + second.progress.created,
        2 * n as i32
    );
    assert_eq!(
        first.progress.duplicates + second.progress.duplicates,
        n as i32
    );
    for i in 0..n {
        let (a, b) = (
            by_key(&app, &format!("A{i}")).await,
            by_key(&app, &format!("B{i}")).await,
        );
        assert!(a.cluster_id.is_some());
        assert_eq!(a.cluster_id, b.cluster_id, "{} / {}", a.title, b.title);
    }
    let clusters: std::collections::HashSet<Option<i64>> = offer::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.cluster_id)
        .collect();
    assert_eq!(clusters.len(), n);
}

crate::on_both_databases!(
    the_same_vacancy_on_two_boards_is_found_once_with_both,
    the_same_page_read_twice_is_one_vacancy_whatever_its_place_says,
    a_partners_copy_of_a_gathered_offer_is_placed_in_its_cluster,
    two_boards_imported_at_once_make_one_cluster_per_vacancy,
);
