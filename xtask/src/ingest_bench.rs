//! `cargo xtask bench ingest`: the development offers gathered by the platform (its release
//! build's `careercenter import`, each board's file as its own source: read, normalised,
//! checked, de-duplicated and stored in SQLite), beside Python's datasketch `MinHashLSH`
//! de-duplicating the same offers as they arrive (3-word shingles, 128 permutations), in one
//! run; both measured against the pairs labelled by hand (`xtask/data/duplicate-pairs.csv`).
//! The result goes into `docs/benchmarks.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Context;
use serde_json::Value;

use crate::{root, run, target_dir};

/// The peer, pinned so that a run today and a run next year measure the same code.
const DATASKETCH: &str = "datasketch==2.0.0";
/// The peer's LSH thresholds tried: its best F1 is the one compared.
const THRESHOLDS: [&str; 4] = ["0.3", "0.5", "0.7", "0.9"];
/// The day the development offers were gathered (their relative dates, their ages).
const AS_OF: &str = "2025-01-31";

/// A board's file as the platform imports it (`--column field=Column`), and the columns the
/// peer reads (title, description, link, id).
struct Board {
    source: &'static str,
    file: &'static str,
    columns: &'static [&'static str],
    id: Option<&'static str>,
    title: &'static str,
    description: &'static [&'static str],
    url: &'static str,
}

const BOARDS: [Board; 5] = [
    Board {
        source: "rekrute.com",
        file: "rekrute_bayt_data_scrapp.csv",
        columns: &[
            "title=Postename",
            "description=PostDescription+ProfilDescription",
            "employer=EntrepriseName",
            "place=Ville",
            "contract=TypeContrat",
            "education=NiveauEtude",
            "experience=Experience",
            "posted=DatePublication",
            "valid_through=DateLimitePostuler",
            "salary=SalaireMensuel",
            "remote=Teletravail",
            "sector=SecteurActivite",
            "url=LienPostuler",
        ],
        id: Some("id"),
        title: "Postename",
        description: &["PostDescription", "ProfilDescription"],
        url: "LienPostuler",
    },
    Board {
        source: "marocannonces.com",
        file: "marocannonces.csv",
        columns: &[
            "title=postname",
            "description=posteDescription",
            "employer=entrepriseName",
            "place=region",
            "education=niveauEtude",
            "posted=DateDePublication",
            "salary=salaire",
            "url=Postuler",
        ],
        id: Some("id"),
        title: "postname",
        description: &["posteDescription"],
        url: "Postuler",
    },
    Board {
        source: "emploi.ma",
        file: "emploi_ma_S2.csv",
        columns: &[
            "title=Postname",
            "employer=Entreprise",
            "place=region",
            "contract=Type_de_contrat",
            "education=niveau_etude",
            "posted=DateDePublication",
            "url=Postuler",
        ],
        id: Some("id"),
        title: "Postname",
        description: &["description"],
        url: "Postuler",
    },
    Board {
        source: "bayt.com",
        file: "bayt.csv",
        columns: &[
            "title=Postname",
            "description=posteDescription",
            "employer=entrepriseName",
            "place=Ville",
            "posted=DateDePublication",
            "url=Postuler",
        ],
        id: Some("id"),
        title: "Postname",
        description: &["posteDescription"],
        url: "Postuler",
    },
    Board {
        source: "marocemploi.net",
        file: "maroc_emploi_offresemploi.csv",
        columns: &[
            "id=ID",
            "title=Post_Name",
            "description=Post_Description+Profil_Description",
            "employer=Entreprise_Name",
            "place=Ville",
            "sector=Secteur",
            "posted=Date_Publication",
            "valid_through=Date_Limite_Postuler",
            "contract=Type_Contrat",
            "url=Lien_Postuler",
        ],
        id: Some("ID"),
        title: "Post_Name",
        description: &["Post_Description", "Profil_Description"],
        url: "Lien_Postuler",
    },
];

/// A virtualenv with datasketch, made once and kept beside the build artefacts.
fn datasketch_venv(target: &Path) -> anyhow::Result<PathBuf> {
    let venv = target.join("bench-ingest-venv");
    let python = venv.join("bin/python");
    let marker = venv.join(DATASKETCH);
    if !marker.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .context("making a virtualenv for datasketch (python3 -m venv)")?;
        run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", DATASKETCH]))?;
        std::fs::write(&marker, "")?;
    }
    Ok(python)
}

/// What the platform did with the five files: how long, how many records, and its counts
/// against the labels.
struct Platform {
    seconds: f64,
    records: u64,
    created: u64,
    duplicates: u64,
    evaluation: Value,
}

fn platform(binary: &Path, dev: &Path, dir: &Path) -> anyhow::Result<Platform> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let database = format!("sqlite://{}?mode=rwc", dir.join("ingest.db").display());
    let command = |args: &[&str]| {
        let mut c = Command::new(binary);
        c.args(args)
            .env("DATABASE_URL", &database)
            .env("DATA_DIR", dir)
            .env("LOG_FORMAT", "text")
            .env("RUST_LOG", "warn");
        c
    };
    // The schema and the reference data first, outside the time measured.
    run(&mut command(&["seed"]))?;
    let (mut records, mut created, mut duplicates) = (0, 0, 0);
    let number = |text: &str, after: &str| -> u64 {
        text.lines()
            .find_map(|line| {
                let line = line.trim();
                let (n, rest) = line.split_once(' ')?;
                rest.starts_with(after).then(|| n.parse().ok()).flatten()
            })
            .unwrap_or(0)
    };
    let started = Instant::now();
    for board in &BOARDS {
        let path = dev.join(board.file);
        let path = path.to_str().context("a path in UTF-8")?;
        let mut args = vec!["import", path, "--source", board.source, "--as-of", AS_OF];
        for column in board.columns {
            args.extend(["--column", column]);
        }
        let output = command(&args).output()?;
        anyhow::ensure!(
            output.status.success(),
            "importing {}: {}",
            board.file,
            String::from_utf8_lossy(&output.stderr)
        );
        let out = String::from_utf8_lossy(&output.stdout);
        records += number(&out, "records read");
        created += number(&out, "created,");
        duplicates += number(&out, "of those created");
    }
    let seconds = started.elapsed().as_secs_f64();
    let labels = root().join("xtask/data/duplicate-pairs.csv");
    let output = command(&["evaluate-duplicates", labels.to_str().context("UTF-8")?]).output()?;
    anyhow::ensure!(
        output.status.success(),
        "evaluating: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(Platform {
        seconds,
        records,
        created,
        duplicates,
        evaluation: serde_json::from_slice(&output.stdout)?,
    })
}

fn peer(python: &Path, dev: &Path, dir: &Path) -> anyhow::Result<Vec<Value>> {
    let config: Vec<Value> = BOARDS
        .iter()
        .map(|b| {
            serde_json::json!({
                "source": b.source,
                "path": dev.join(b.file),
                "id": b.id,
                "title": b.title,
                "description": b.description,
                "url": b.url,
            })
        })
        .collect();
    let config_path = dir.join("peer.json");
    std::fs::write(&config_path, serde_json::to_vec(&config)?)?;
    let output = Command::new(python)
        .arg(root().join("xtask/peer/datasketch_dedup.py"))
        .arg(&config_path)
        .arg(root().join("xtask/data/duplicate-pairs.csv"))
        .args(THRESHOLDS)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "datasketch: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| Ok(serde_json::from_str(line)?))
        .collect()
}

pub fn bench_ingest() -> anyhow::Result<()> {
    let dev = crate::grow_offers::dev_offers()?;
    let binary = crate::release_server()?;
    let target = target_dir()?;
    let python = datasketch_venv(&target)?;
    let dir = target.join("bench-ingest");
    let ours = platform(&binary, &dev, &dir)?;
    eprintln!(
        "bench ingest: the platform, {} records in {:.2} s",
        ours.records, ours.seconds
    );
    let theirs = peer(&python, &dev, &dir)?;
    write_report(&ours, &theirs)
}

fn f(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or(0.0)
}

fn write_report(ours: &Platform, theirs: &[Value]) -> anyhow::Result<()> {
    let rate = ours.records as f64 / ours.seconds;
    let best = theirs
        .iter()
        .max_by(|a, b| f(a, "f1").total_cmp(&f(b, "f1")))
        .context("datasketch said nothing")?;
    let peer_rate = f(best, "offers") / f(best, "seconds");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let e = &ours.evaluation;
    let counts = &e["counts"];
    let mut section = String::from("## Ingest and de-duplication beside datasketch\n\n");
    section.push_str(&format!(
        "Command: `cargo xtask bench ingest` (the five development files, {} records; the \
platform's release build imports each as its own source, `--as-of {AS_OF}`, one after the other, \
into a new SQLite file: reading, normalising, checking, de-duplicating and storing every offer \
with its keys, timed from the first import's start to the last one's end, the schema and the \
reference data made before; its offers are past their date, so its index holds none of them and \
indexing is measured by `bench search`. The peer, in the same run: Python's datasketch \
`MinHashLSH` (`{DATASKETCH}`, 128 permutations, 3-word shingles of the title and the \
description, lower-cased), each offer looked up then inserted as it arrives and joining the \
cluster of the first offer found, timed from reading the files to the last offer placed, at \
the thresholds {}. Both on one {cores}-core machine, measured against the {} pairs labelled by \
hand in `xtask/data/duplicate-pairs.csv`: a pair is found when both offers are in one \
cluster.)\n\n",
        ours.records,
        THRESHOLDS.join(", "),
        e["pairs"],
    ));
    section.push_str(
        "| de-duplication | offers | seconds | offers/s | precision | recall | F1 |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    section.push_str(&format!(
        "| the platform (whole ingest) | {} | {:.2} | {:.0} | {:.3} | {:.3} | {:.3} |\n",
        ours.records,
        ours.seconds,
        rate,
        f(e, "precision"),
        f(e, "recall"),
        f(e, "f1"),
    ));
    for t in theirs {
        section.push_str(&format!(
            "| datasketch MinHashLSH, threshold {} | {} | {:.2} | {:.0} | {:.3} | {:.3} | {:.3} |\n",
            t["threshold"],
            t["offers"],
            f(t, "seconds"),
            f(t, "offers") / f(t, "seconds"),
            f(t, "precision"),
            f(t, "recall"),
            f(t, "f1"),
        ));
    }
    let ratio = rate / peer_rate;
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    section.push_str(&format!(
        "\nThe platform's {} offers stored make {} of them the same vacancy as an offer already \
there. Against datasketch at its best F1 (threshold {}): throughput {ratio:.2}× (target ≥ 10×: \
{}), F1 {:.3} against {:.3} (target: clearly higher: {}). The platform's counts: {} true \
positives, {} false positives, {} false negatives, {} true negatives.\n",
        ours.created,
        ours.duplicates,
        best["threshold"],
        verdict(ratio >= 10.0),
        f(e, "f1"),
        f(best, "f1"),
        verdict(f(e, "f1") >= f(best, "f1") + 0.05),
        counts["true_positives"],
        counts["false_positives"],
        counts["false_negatives"],
        counts["true_negatives"],
    ));
    section.push_str(
        "\nWhere the platform's time goes: besides reading, normalising, sanitising and checking \
each offer on one core, it reads the offers that share keys with each chunk's newcomers, writes \
their keys, and writes every offer by its own statement, each a round trip to SQLite's worker \
thread; the peer only hashes and looks up, in memory. Writing a chunk's offers in one statement \
and reading the next chunk while one is written are the next steps. The precision comes from \
comparing what the offers say (towns, seniorities, employers), which the peer does not do.\n",
    );
    // The rules were written looking at every other pair only: the others say how they hold.
    section.push_str(
        "\nThe platform on each half of the labelled pairs (the rules were tuned looking at the \
file's 1st, 3rd, 5th… pair only):\n\n| pairs | true pos. | false pos. | false neg. | true neg. | \
precision | recall | F1 |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (half, label) in [("tuned", "tuned on"), ("held_out", "held out")] {
        let c = &e["by_half"][half];
        let n = |k: &str| c[k].as_f64().unwrap_or(0.0);
        let (tp, fp, fn_, tn) = (
            n("true_positives"),
            n("false_positives"),
            n("false_negatives"),
            n("true_negatives"),
        );
        let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
        let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        section.push_str(&format!(
            "| {label} ({}) | {tp} | {fp} | {fn_} | {tn} | {precision:.3} | {recall:.3} | {f1:.3} |\n",
            tp + fp + fn_ + tn
        ));
    }
    crate::spa::write_section(
        &root().join("docs/benchmarks.md"),
        "## Ingest and de-duplication beside datasketch",
        &section,
    )?;
    print!("{section}");
    Ok(())
}
