//! Offers gathered from other sites: `careercenter import FILE` (the real binary on the test's
//! database), read through the normaliser, idempotent, resumable, one import of a file at a
//! time; the offers it writes are found by youths and say where they were published.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};

use backend::services::ingest::{self, Format, ImportOptions, Progress};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::helpers::{TestApp, count_in};

const CASABLANCA: &str = "06.141.01.0";

/// Runs the server's binary with `args` on the test's database.
fn careercenter(app: &TestApp, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_careercenter"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("DATA_DIR", &app.data_dir)
        .env("LOG_FORMAT", "text")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A board's export as the test writes it: its own column names, French and Arabic places,
/// relative and written dates, and the records an import must refuse.
fn board_file(dir: &Path, first_title: &str) -> PathBuf {
    let day = |n: i64| {
        (Utc::now() - Duration::days(n))
            .format("%d/%m/%Y")
            .to_string()
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "Ref", "Intitule", "Mission", "Profil", "Societe", "Ville", "Contrat", "Niveau", "Exp",
        "Date", "Lien",
    ])
    .unwrap();
    let rows: Vec<[String; 11]> = vec![
        [
            "R1".into(),
            first_title.into(),
            "Vous tenez la comptabilité générale de nos clients.".into(),
            "Rigueur et sens du détail.".into(),
            "@ Atlas Data".into(),
            "Casa".into(),
            "CDI".into(),
            "Bac +2".into(),
            "De 1 à 3 ans".into(),
            "il y a 2 jours".into(),
            "https://board.example/offres/1".into(),
        ],
        [
            "R2".into(),
            "Stage PFE développeur web".into(),
            "Un projet de fin d'études sur notre plateforme.".into(),
            String::new(),
            "Maghreb Soft".into(),
            "الدار البيضاء".into(),
            "Stage".into(),
            "Bac+5".into(),
            "Débutant".into(),
            "hier".into(),
            "https://board.example/offres/2".into(),
        ],
        [
            "R3".into(),
            "Technicien de maintenance industrielle".into(),
            "Maintenance préventive des lignes.".into(),
            String::new(),
            "Non spécifié".into(),
            "Tanger - Tétouan".into(),
            "CDD".into(),
            "BTS".into(),
            "2 à 5 ans".into(),
            day(3),
            "https://board.example/offres/3".into(),
        ],
        // No title.
        [
            "R4".into(),
            String::new(),
            "Une description sans intitulé.".into(),
            String::new(),
            "Atlas Data".into(),
            "Rabat".into(),
            String::new(),
            String::new(),
            String::new(),
            day(1),
            "https://board.example/offres/4".into(),
        ],
        // R1 again.
        [
            "R1".into(),
            "Comptable".into(),
            "Encore.".into(),
            String::new(),
            "Atlas Data".into(),
            "Casa".into(),
            String::new(),
            String::new(),
            String::new(),
            day(1),
            "https://board.example/offres/1".into(),
        ],
        // Posted years ago.
        [
            "R6".into(),
            "Commercial terrain".into(),
            "Prospection.".into(),
            String::new(),
            "Atlas Data".into(),
            "Rabat".into(),
            String::new(),
            String::new(),
            String::new(),
            "01/01/2020".into(),
            "https://board.example/offres/6".into(),
        ],
    ];
    for row in rows {
        csv.write_record(row).unwrap();
    }
    let path = dir.join("board.csv");
    std::fs::write(&path, csv.into_inner().unwrap()).unwrap();
    path
}

const COLUMNS: [&str; 20] = [
    "--column",
    "id=Ref",
    "--column",
    "title=Intitule",
    "--column",
    "description=Mission+Profil",
    "--column",
    "employer=Societe",
    "--column",
    "place=Ville",
    "--column",
    "contract=Contrat",
    "--column",
    "education=Niveau",
    "--column",
    "experience=Exp",
    "--column",
    "posted=Date",
    "--column",
    "url=Lien",
];

fn import_args(file: &str) -> Vec<&str> {
    let mut args = vec!["import", file, "--source", "board.example"];
    args.extend(COLUMNS);
    args
}

async fn gathered(app: &TestApp) -> Vec<backend::entities::offer::Model> {
    backend::entities::offer::Entity::find()
        .filter(backend::entities::offer::Column::Source.eq("gathered"))
        .all(&app.db)
        .await
        .unwrap()
}

async fn an_imported_file_is_read_and_twice_changes_nothing(app: TestApp) {
    let file = board_file(&app.data_dir, "Comptable H/F");
    let file = file.to_str().unwrap();
    let output = careercenter(&app, &import_args(file));
    let out = stdout(&output);
    assert!(
        output.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.contains("6 records read"), "{out}");
    assert!(
        out.contains("3 created, 0 updated, 0 unchanged, 3 rejected"),
        "{out}"
    );
    assert!(out.contains("title: is required (records 4)"), "{out}");
    assert!(
        out.contains("the same offer appears earlier in the file (records 5)"),
        "{out}"
    );
    assert!(
        out.contains("posted_at: must be within the last year"),
        "{out}"
    );

    let offers = gathered(&app).await;
    assert_eq!(offers.len(), 3);
    let by_id = |id: &str| {
        offers
            .iter()
            .find(|o| o.external_id.as_deref() == Some(id))
            .unwrap()
            .clone()
    };
    let accountant = by_id("R1");
    assert_eq!(accountant.organization_id, None);
    assert_eq!(accountant.employer_name, "Atlas Data");
    assert_eq!(accountant.commune_code.as_deref(), Some(CASABLANCA));
    assert_eq!(accountant.region_code.as_deref(), Some("06"));
    assert_eq!(accountant.contract.as_deref(), Some("cdi"));
    assert_eq!(accountant.education.as_deref(), Some("bac_2"));
    assert_eq!(accountant.experience_years, Some(1));
    assert_eq!(accountant.kind, "job");
    assert_eq!(accountant.status, "live");
    assert!(!accountant.apply_in_platform);
    let two_days_ago = (Utc::now() - Duration::days(2)).date_naive();
    assert_eq!(accountant.posted_at.date_naive(), two_days_ago);
    let readings: Value = serde_json::from_str(accountant.readings.as_deref().unwrap()).unwrap();
    assert!(readings["contract"].as_f64().unwrap() > 0.9, "{readings}");
    assert!(accountant.description_text.contains("Rigueur"));
    let intern = by_id("R2");
    assert_eq!(intern.kind, "internship");
    assert_eq!(intern.internship.as_deref(), Some("end_of_studies"));
    assert_eq!(intern.commune_code.as_deref(), Some(CASABLANCA));
    assert_eq!(intern.experience_years, Some(0));
    let technician = by_id("R3");
    // "Non spécifié" names no employer; "Tanger - Tétouan" is a region, not a commune.
    assert_eq!(technician.employer_name, "");
    assert_eq!(technician.commune_code, None);
    assert_eq!(technician.region_code.as_deref(), Some("01"));

    // Youths see where it was published, and find it.
    let reply = app
        .get(&format!("/api/v1/offers/{}", accountant.id), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["source"], "gathered");
    assert_eq!(reply.body["published_on"], "board.example");
    assert_eq!(reply.body["url"], "https://board.example/offres/1");
    assert!(reply.body.get("external_id").is_none());
    let mut found = false;
    for _ in 0..100 {
        let reply = app.get("/api/v1/offers/search?q=comptable", None).await;
        assert_eq!(reply.status, StatusCode::OK);
        if reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|hit| hit["id"] == accountant.id)
        {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the index picks up the imported offers");

    // The same file again: nothing written, not even an audit row.
    let audits = count_in(&app.db, "audit_log").await;
    let output = careercenter(&app, &import_args(file));
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("0 created, 0 updated, 3 unchanged, 3 rejected"),
        "{out}"
    );
    assert_eq!(gathered(&app).await, offers);
    assert_eq!(count_in(&app.db, "audit_log").await, audits);

    // The board changes a title: that offer is updated, the others stay.
    board_file(&app.data_dir, "Comptable confirmé H/F");
    let output = careercenter(&app, &import_args(file));
    let out = stdout(&output);
    assert!(
        out.contains("0 created, 1 updated, 2 unchanged, 3 rejected"),
        "{out}"
    );
    let after = gathered(&app).await;
    assert_eq!(after.len(), 3);
    let changed = after.iter().find(|o| o.id == accountant.id).unwrap();
    assert_eq!(changed.title, "Comptable confirmé H/F");
    assert_eq!(count_in(&app.db, "audit_log").await, audits + 1);
    assert_eq!(count_in(&app.db, "ingest_runs").await, 3);

    // Unknown fields and formats are refused before anything is read.
    let output = careercenter(
        &app,
        &["import", file, "--source", "x", "--column", "town=Ville"],
    );
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("`town` is not a field"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(count_in(&app.db, "ingest_sources").await, 1);
}

/// `n` offers as JSON lines, with the platform's own field names.
fn json_lines(dir: &Path, n: usize) -> PathBuf {
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let mut text = String::new();
    for i in 0..n {
        text.push_str(
            &serde_json::json!({
                "id": format!("J{i}"),
                "title": format!("Agent de saisie {i}"),
                "description": "Saisie des commandes.",
                "employer": "Atlas Data",
                "place": "Rabat",
                "posted": today,
                "url": format!("https://partner.example/o/{i}"),
            })
            .to_string(),
        );
        text.push('\n');
    }
    let path = dir.join("partner.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

/// Import options for JSON lines with the platform's own field names, into `source`.
pub(crate) fn options(source: &str) -> ImportOptions {
    ImportOptions {
        source: source.to_owned(),
        format: Format::JsonLines,
        columns: shared::gathered::Columns::default(),
        as_of: None,
    }
}

async fn an_import_cut_short_resumes_where_it_stopped(app: TestApp) {
    let n = ingest::CHUNK * 2 + 17;
    let file = json_lines(&app.data_dir, n);
    let stop = CancellationToken::new();
    // Stopped (as by Ctrl-C) once the first chunk is written.
    let stopper = stop.clone();
    let cut = |_: &Progress| stopper.cancel();
    let first = ingest::import(&app.db, &file, &options("partner.example"), &cut, &stop)
        .await
        .unwrap();
    assert!(first.interrupted);
    assert_eq!(first.progress.records, ingest::CHUNK as i64);
    assert_eq!(first.progress.created, ingest::CHUNK as i32);
    assert_eq!(gathered(&app).await.len(), ingest::CHUNK);

    // The same file again: the same run goes on after the last chunk written.
    let quiet = |_: &Progress| {};
    let second = ingest::import(
        &app.db,
        &file,
        &options("partner.example"),
        &quiet,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(!second.interrupted);
    assert_eq!(second.run_id, first.run_id);
    assert_eq!(second.resumed_at, ingest::CHUNK as i64);
    assert_eq!(second.progress.records, n as i64);
    assert_eq!(second.progress.created, n as i32);
    assert_eq!(second.progress.rejected, 0, "{:?}", second.reasons);
    assert_eq!(gathered(&app).await.len(), n);
    let run = backend::entities::ingest_run::Entity::find_by_id(first.run_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((run.status.as_str(), run.position), ("finished", n as i64));
    assert!(run.finished_at.is_some() && run.leased_until.is_none());

    // Once finished, the file read again is a new run that finds every offer unchanged.
    let third = ingest::import(
        &app.db,
        &file,
        &options("partner.example"),
        &quiet,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_ne!(third.run_id, first.run_id);
    assert_eq!(third.progress.unchanged, n as i32);
    assert_eq!(third.progress.created, 0);
}

async fn two_imports_of_a_file_at_once_write_each_offer_once(app: TestApp) {
    // A second pool on the same database stands for a second process.
    let other = backend::db::connect_and_migrate(&app.database_url)
        .await
        .unwrap();
    let n = ingest::CHUNK + 30;
    let file = json_lines(&app.data_dir, n);
    let quiet = |_: &Progress| {};
    let refused = AtomicBool::new(false);
    let run = |db| {
        let file = file.clone();
        let refused = &refused;
        async move {
            let result = ingest::import(
                db,
                &file,
                &options("partner.example"),
                &quiet,
                &CancellationToken::new(),
            )
            .await;
            if let Err(error) = &result {
                assert!(error.downcast_ref::<ingest::Busy>().is_some(), "{error:#}");
                refused.store(true, Ordering::SeqCst);
            }
            result.ok()
        }
    };
    let (a, b) = tokio::join!(run(&app.db), run(&other));
    // One ran and the other was refused, or the second started once the first had ended and
    // found everything unchanged: never two writers of the same offers.
    let created: i32 = [&a, &b]
        .iter()
        .filter_map(|s| s.as_ref())
        .map(|s| s.progress.created)
        .sum();
    assert_eq!(created, n as i32);
    assert!(refused.load(Ordering::SeqCst) || a.is_some() && b.is_some());
    assert_eq!(gathered(&app).await.len(), n);
    assert_eq!(
        count_in(&app.db, "offers WHERE source = 'gathered'").await,
        n as i64
    );
}

crate::on_both_databases!(
    an_imported_file_is_read_and_twice_changes_nothing,
    an_import_cut_short_resumes_where_it_stopped,
    two_imports_of_a_file_at_once_write_each_offer_once,
);
