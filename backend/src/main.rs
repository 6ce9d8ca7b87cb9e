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
