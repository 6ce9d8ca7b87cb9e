//! `careercenter`: the server and its administrative commands.

use backend::config::Settings;
use backend::startup::Application;
use backend::{db, seed, telemetry};
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

#[derive(Parser)]
#[command(
    name = "careercenter",
    version,
    about = "Career Center: the platform of Morocco's career centers"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the HTTP server (the default). Migrates and loads reference data first.
    Serve,
    /// Brings the database schema up to date, then exits.
    Migrate,
    /// Loads the reference data (regions, communes, pilot centers).
    Seed {
        /// Also adds a believable demo data set (counselors, youths, organisations) with one
        /// random password, printed once. Refused on a database with real users.
        #[arg(long)]
        demo: bool,
        /// Adds the demo even beside real users.
        #[arg(long, requires = "demo")]
        force: bool,
    },
    /// Manages admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Imports offers gathered from another site: a CSV file (with a header line) or JSON
    /// lines (one object per line). Each record is read through the normaliser (places,
    /// contracts, dates, sectors...) and checked as every offer is; the same file imported
    /// again changes nothing, and an import cut short (Ctrl-C) resumes where it stopped.
    Import {
        /// The file: `.csv`, or `.jsonl`, `.ndjson`, `.json` for JSON lines.
        file: std::path::PathBuf,
        /// Where the offers were published, shown to youths ("rekrute.com"); one name, one
        /// set of offers: a later file of the same source updates them.
        #[arg(long)]
        source: String,
        /// `csv` or `jsonl`, when the file's extension does not say.
        #[arg(long)]
        format: Option<String>,
        /// Which of the file's columns hold a field, when not the field's own name:
        /// `--column title=Postename --column description=Post+Profil`. The fields: id, title,
        /// description, employer, place, contract, education, experience, posted,
        /// valid_through, salary, remote, sector, url.
        #[arg(long = "column", value_name = "FIELD=COLUMN")]
        columns: Vec<String>,
        /// The day the file was gathered (YYYY-MM-DD), for its relative dates ("il y a 3
        /// jours") and its offers' ages: an archive replayed. Today by default.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Measures the de-duplication of the offers imported against pairs labelled by hand: a
    /// CSV with the columns a_source, a_id, b_source, b_id (each offer by its source's name
    /// and its id there), duplicate (1 or 0) and drawn (how the pair was chosen). Prints the
    /// counts, precision and recall as JSON.
    EvaluateDuplicates { labels: std::path::PathBuf },
    /// Prints the OpenAPI description as JSON.
    Openapi,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Creates an admin account. Without --password a random one is generated and printed.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        println!("{}", backend::openapi::spec().to_pretty_json()?);
        return Ok(());
    }
    let settings = Settings::from_env()?;
    telemetry::init(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            db::connect_and_migrate(settings.database_url.expose_secret()).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Seed { demo, force } => {
            let db = db::connect_and_migrate(settings.database_url.expose_secret()).await?;
            seed::reference(&db).await?;
            println!("reference data loaded");
            if demo {
                match seed::demo(&db, force).await? {
                    Some(password) => {
                        println!(
                            "demo data loaded; every demo account's password is (shown this once): {password}"
                        );
                        println!(
                            "for example amina.elidrissi@demo.careercenter.ma (youth), conseillere.casa@demo.careercenter.ma (counselor)"
                        );
                    }
                    None => {
                        println!("the demo data was already loaded; its password was printed then")
                    }
                }
            }
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { email, password },
        } => {
            let db = db::connect_and_migrate(settings.database_url.expose_secret()).await?;
            let password = password.unwrap_or_else(seed::random_password);
            seed::create_account(
                &db,
                &email,
                &password,
                shared::Role::Admin,
                None,
                "Admin",
                "Career Center",
            )
            .await?;
            println!("admin created: {email} / {password}");
            Ok(())
        }
        Command::Import {
            file,
            source,
            format,
            columns,
            as_of,
        } => {
            let db = db::connect_and_migrate(settings.database_url.expose_secret()).await?;
            seed::reference(&db).await?;
            import(&db, &file, source, format, &columns, as_of).await
        }
        Command::EvaluateDuplicates { labels } => {
            let db = db::connect_and_migrate(settings.database_url.expose_secret()).await?;
            let evaluation = backend::dedup::evaluate::evaluate(&db, &labels).await?;
            println!("{}", serde_json::to_string_pretty(&evaluation)?);
            Ok(())
        }
        Command::Openapi => unreachable!("handled before settings are read"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let admin_email =
        std::env::var("ADMIN_EMAIL").unwrap_or_else(|_| "admin@careercenter.local".into());
    let bind = settings.bind;
    let app = Application::build(settings).await?;
    if let Some((email, password)) = seed::ensure_admin(app.db(), &admin_email).await? {
        println!("First start: an admin account was created.");
        println!("  e-mail:   {email}");
        println!("  password: {password}");
        println!(
            "Log in with POST /api/v1/auth/login and change the password (PUT /api/v1/me/password)."
        );
    }
    println!("Career Center listening on http://{bind} — API docs at http://{bind}/docs/");
    app.run_until_stopped().await?;
    Ok(())
}

async fn import(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    source: String,
    format: Option<String>,
    columns: &[String],
    as_of: Option<chrono::NaiveDate>,
) -> anyhow::Result<()> {
    use backend::services::ingest::{self, Format, ImportOptions};
    let format = match format.as_deref() {
        Some("csv") => Format::Csv,
        Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
        Some(other) => anyhow::bail!("--format {other}: write csv or jsonl"),
        None => Format::of(file).ok_or_else(|| {
            anyhow::anyhow!("{}: say --format csv or --format jsonl", file.display())
        })?,
    };
    let columns =
        shared::gathered::Columns::with(columns).map_err(|e| anyhow::anyhow!("--column {e}"))?;
    let source = source.trim().to_owned();
    if source.is_empty() || source.chars().count() > 100 {
        anyhow::bail!("--source: a name of 1 to 100 characters");
    }
    let options = ImportOptions {
        source,
        format,
        columns,
        as_of,
    };
    let size = std::fs::metadata(file)?.len();
    // Drawn only on a terminal; a script reads the summary.
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(indicatif::ProgressStyle::with_template(
        "{bar:30} {bytes}/{total_bytes} {msg} ({elapsed}, {eta} left)",
    )?);
    let stop = tokio_util::sync::CancellationToken::new();
    let on_interrupt = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    let progress = |p: &ingest::Progress| {
        bar.set_position(p.bytes);
        bar.set_message(format!(
            "{} records: {} new, {} updated, {} unchanged, {} rejected",
            p.records, p.created, p.updated, p.unchanged, p.rejected
        ));
    };
    let summary = ingest::import(db, file, &options, &progress, &stop).await;
    bar.finish_and_clear();
    let summary = summary?;
    let p = &summary.progress;
    println!(
        "{}: source \"{}\" (run {})",
        file.display(),
        options.source,
        summary.run_id
    );
    if summary.resumed_at > 0 {
        println!(
            "  resumed after record {} (written by an earlier run of this file)",
            summary.resumed_at
        );
    }
    println!("  {} records read", p.records);
    println!(
        "  {} created, {} updated, {} unchanged, {} rejected",
        p.created, p.updated, p.unchanged, p.rejected
    );
    if p.duplicates > 0 {
        println!(
            "  {} of those created are the same vacancy as an offer already here: shown once",
            p.duplicates
        );
    }
    for r in summary.reasons.0.values() {
        let records: Vec<String> = r.records.iter().map(u64::to_string).collect();
        let more = if r.count > r.records.len() as u64 {
            ", ..."
        } else {
            ""
        };
        println!(
            "  rejected {}x: {} (records {}{more})",
            r.count,
            r.example,
            records.join(", ")
        );
    }
    if summary.interrupted {
        println!(
            "  interrupted after record {}: run the same command to resume",
            p.records
        );
        std::process::exit(130);
    }
    Ok(())
}
