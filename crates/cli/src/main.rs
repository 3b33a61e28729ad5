//! `liaison`: the one binary. Run `liaison --help`.

mod allocator;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod config;
mod exchange;
mod operations;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, Subcommand};
use config::{Overrides, Settings};
use liaison_adapters::{Argon2Hasher, ImageCodec, OsEntropy, SmtpMailer, SystemClock};
use liaison_app::{App, Ctx, Paging, Ports};
use liaison_domain::access::GlobalRole;
use liaison_domain::marking::Level;
use liaison_domain::user::NewUser;
use liaison_store::Db;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: partnership action plans between an alliance, its member states and a partner country.",
    long_about = "Liaison: partnership action plans between an alliance, its member states and a partner country.\n\n\
Settings come from defaults, then liaison.toml (or --config), then LIAISON_* environment variables \
(e.g. LIAISON_DATABASE, LIAISON_LISTEN), then these flags."
)]
struct Cli {
    /// Database URL: sqlite://FILE (default sqlite://liaison.db) or postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
    /// Configuration file (default: liaison.toml in the current directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply database migrations, then serve the web interface and the API.
    Serve,
    /// Apply database migrations and exit. Refuses a database written by a newer Liaison.
    Migrate,
    /// Load the demo partnership (Serbia's IPAP and Partnership Goals) if absent, then serve,
    /// printing the address and the demo sign-ins.
    Demo {
        /// Load the demo data and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Give and take roles on plans.
    #[command(subcommand)]
    Role(RoleCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write reminders for reports due within a week or late, and send waiting emails (when
    /// `smtp_server` or `smtp_relay` is set). `serve` does this every `reminder_minutes` by itself.
    Remind,
    /// IATI 2.03: export a plan as an IATI activity file, or import one (preview, then apply).
    #[command(subcommand)]
    Iati(IatiCommand),
    /// Bring a plan's items in from a spreadsheet (preview, then apply).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a plan's files: its items as XLSX or CSV.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Exchange with another installation (the alliance's and the partner's): keys, trusted
    /// peers, and signed bundles of what each may hold.
    #[command(subcommand)]
    Exchange(exchange::ExchangeCommand),
    /// Copy everything (ids, versions, history, the audit chain, files) from one database into
    /// another that holds no record, e.g. from SQLite to PostgreSQL; then check the target's
    /// audit chain and counts, and build its search index.
    Copy {
        /// The source, e.g. sqlite://liaison.db.
        #[arg(long)]
        from: String,
        /// The target, e.g. postgres://liaison@db/liaison (migrated here; refused if not empty).
        #[arg(long)]
        to: String,
        /// Copy sign-in sessions too (people stay signed in).
        #[arg(long)]
        sessions: bool,
    },
    /// Write a consistent copy of the database of --database, files included, to a new SQLite
    /// file, while servers go on serving.
    Backup {
        /// The backup file to make (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Load a backup into the database of --database, which must hold no record; then check
    /// its audit chain and print the counts. A backup of an earlier Liaison is migrated first.
    Restore {
        /// The backup file (made by `liaison backup`).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the search index from every record (reading evidence files whose text was never
    /// read), showing its progress. Safe while servers run: each batch is written in its own
    /// transaction, and writes in between are indexed as they happen.
    Reindex,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Read a spreadsheet (XLSX or CSV) of a plan's items and print its preview: the header row
    /// found, each column's field, each row's outcome and every problem at its cell. With
    /// --apply, apply it in one transaction. Exits with 1 when no row can be imported.
    Sheet {
        /// The workbook (.xlsx) or CSV file.
        file: PathBuf,
        /// The plan's code (the items go into it).
        #[arg(long, required_unless_present = "new_plan", conflicts_with = "new_plan")]
        plan: Option<String>,
        /// Instead of --plan: a JSON file with the plan to make first, as `POST /api/v1/plans`
        /// takes it.
        #[arg(long, value_name = "FILE")]
        new_plan: Option<PathBuf>,
        /// Who imports (their e-mail address): their access applies, and the audit trail names them.
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: String,
        /// The sheet of a workbook (default: the first with cells).
        #[arg(long)]
        sheet: Option<String>,
        /// The header row, 1-based (default: found).
        #[arg(long)]
        header_row: Option<usize>,
        /// A column and the field it holds, e.g. `--map C=title --map F=` (repeatable; empty
        /// leaves the column out).
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// The language of Latin-script text: en (default) or sr-Latn.
        #[arg(long)]
        language: Option<String>,
        /// Apply after the preview.
        #[arg(long)]
        apply: bool,
        /// Print the preview as the API's JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Write a plan's items (every field, the highest marking of what it holds first) as XLSX or
    /// CSV, or the plan as a Word document (DOCX). Without --as, everything the plan holds; with
    /// --as, what that person may see.
    Items {
        /// The plan's code.
        #[arg(long)]
        plan: String,
        /// `xlsx` (default), `csv`, `docx` or `pdf` (the plan as an official document).
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Language of titles: en, sr-Cyrl or sr-Latn.
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// With `--format pdf`: an agreed version's number (default: the current content).
        #[arg(long)]
        version: Option<i32>,
    },
    /// Write the changes from one version of a plan to another as a PDF redline (deletions struck
    /// through, insertions underlined). Without --as, everything; with --as, what that person
    /// may see.
    Compare {
        /// The plan's code.
        #[arg(long)]
        plan: String,
        /// An agreed version's number, or `current`.
        #[arg(long)]
        from: String,
        /// An agreed version's number, or `current` (default).
        #[arg(long, default_value = "current")]
        to: String,
        /// Language: en, sr-Cyrl or sr-Latn.
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write the implementation report of a period as PDF (with its charts), XLSX or CSV.
    /// Without --as, everything the plan holds; with --as, what that person may see.
    Report {
        /// The plan's code.
        #[arg(long)]
        plan: String,
        /// A reporting period's key, such as 2015-Q2 (default: the latest one reported on).
        #[arg(long)]
        period: Option<String>,
        /// `pdf` (default), `xlsx` or `csv`.
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Language: en, sr-Cyrl or sr-Latn.
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum IatiCommand {
    /// Write a plan's IATI 2.03 activity file (the plan and its items at a level as child
    /// activities). Without --as, everything the plan holds (the file's first comment gives its
    /// highest marking); with --as, what that person may see; with --public, the portal's file.
    Export {
        /// The plan's code.
        #[arg(long)]
        plan: String,
        /// Only the plan's PUBLIC records, as the public portal publishes them (the plan must be
        /// on the portal).
        #[arg(long, conflicts_with = "as_user")]
        public: bool,
        /// Export with this person's access (their e-mail address).
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// The level of the plan's framework whose items become child activities (default: the
        /// top level).
        #[arg(long)]
        level: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check an IATI activity file (2.01 to 2.03) and print its preview: what would be created or
    /// updated, and every problem with its line and column. With --apply, apply the importable
    /// activities in one transaction. Exits with 1 when nothing can be imported.
    Import {
        /// The IATI activity file (XML).
        file: PathBuf,
        /// Who imports (their e-mail address): their access applies, and the audit trail names
        /// them. They must be allowed to create plans.
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: String,
        /// Apply the importable activities after the preview.
        #[arg(long)]
        apply: bool,
        /// Print the preview (and what was applied) as the API's JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input (not echoed on a terminal).
    Add {
        #[arg(long)]
        email: String,
        /// The name shown to others.
        #[arg(long)]
        name: String,
        /// The organisation's short name (as listed by the API's /organisations).
        #[arg(long)]
        organisation: String,
        /// Highest marking level the user may see, e.g. nato_restricted.
        #[arg(long, default_value = "nato_unclassified")]
        clearance: String,
        /// Make the user an administrator.
        #[arg(long)]
        admin: bool,
        /// Make the user a security officer (reads the audit trail).
        #[arg(long)]
        security_officer: bool,
    },
    /// List accounts.
    List,
    /// Change an account's clearance, status or global roles.
    Set {
        #[arg(long)]
        email: String,
        /// New clearance, e.g. nato_confidential.
        #[arg(long)]
        clearance: Option<String>,
        /// active, locked or disabled (locking or disabling ends the account's sessions).
        #[arg(long)]
        status: Option<String>,
        /// Grant (true) or take away (false) the administrator role.
        #[arg(long)]
        admin: Option<bool>,
        /// Grant (true) or take away (false) the security officer role.
        #[arg(long)]
        security_officer: Option<bool>,
    },
    /// Set a user's password (read from standard input); every session of the account ends.
    Passwd {
        #[arg(long)]
        email: String,
    },
    /// Remove an account's second factor (a lost device): its key, passkeys, recovery codes and
    /// sessions end; audited. For when no other administrator can do it on the account's page.
    ResetSecondFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an organisation.
    Add {
        /// Short name, unique in practice (e.g. "MoD SRB").
        #[arg(long)]
        short: String,
        /// Full name in English.
        #[arg(long)]
        name: String,
        /// Full name in Serbian (Cyrillic).
        #[arg(long)]
        name_sr: Option<String>,
        /// alliance_body, ally, partner_government, partner_unit, liaison_office, agency, civil_society or other.
        #[arg(long)]
        kind: String,
        /// ISO 3166 alpha-3 country code (required for the partner's organisations).
        #[arg(long)]
        country: Option<String>,
        /// Short name of the parent organisation.
        #[arg(long)]
        parent: Option<String>,
        /// Its IATI organisation identifier, e.g. XM-DAC-8.
        #[arg(long)]
        iati_ref: Option<String>,
    },
    /// List organisations.
    List,
}

#[derive(Subcommand)]
enum RoleCommand {
    /// Give a user a role on a plan (replacing any role they had there).
    Set {
        #[arg(long)]
        email: String,
        /// The plan's code, e.g. IPAP-SRB-2019.
        #[arg(long)]
        plan: String,
        /// coordinator, partner_editor, ally_contributor, reporter, viewer or assessor (an independent reviewer).
        #[arg(long)]
        role: String,
    },
    /// Take a user's role on a plan away.
    Remove {
        #[arg(long)]
        email: String,
        #[arg(long)]
        plan: String,
    },
    /// List who holds which role on a plan.
    List {
        #[arg(long)]
        plan: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue an API token for a user and print only the token (use it as `Authorization: Bearer …`).
    Issue {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        name: String,
        /// Days until it expires (never, if not given).
        #[arg(long)]
        days: Option<u32>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit trail; exit with status 1 naming the first bad row if
    /// any row was edited, deleted or reordered.
    Verify,
}

fn main() -> ExitCode {
    allocator::tune();
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref(), &Overrides { database: cli.database.clone(), listen: cli.listen.clone() }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("liaison: {e:#}");
            return ExitCode::from(2);
        }
    };
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| format!("{},sqlx=warn,sea_orm=warn", settings.log));
    let logs = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).with_writer(std::io::stderr);
    if settings.log_format == "json" {
        // One JSON object per line, for log collectors.
        logs.json().flatten_event(true).init();
    } else {
        logs.init();
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("liaison: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.command, settings)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("liaison: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(settings: &Settings) -> Result<Db> {
    let db = Db::connect(&settings.db_options()).await.with_context(|| format!("opening the database {}", liaison_store::redact_url(&settings.database)))?;
    let applied = liaison_store::migrate::run(&db).await.context("migrating the database")?;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied migrations");
    }
    Ok(db)
}

/// The use cases on `db` with the real adapters: the system clock and randomness, argon2id at
/// the configured cost, the image codec, and the SMTP relay when one is set.
fn make_app(db: Db, settings: &Settings) -> Result<App> {
    let config = settings.app_config();
    let hasher = Argon2Hasher::new(config.argon2_memory_kib, config.argon2_iterations).map_err(|e| anyhow!("password hashing: {e}"))?;
    let ports = Ports {
        clock: Arc::new(SystemClock),
        entropy: Arc::new(OsEntropy),
        hasher: Arc::new(hasher),
        photos: Arc::new(ImageCodec),
        mailer: match settings.smtp()? {
            Some(s) => Some(Arc::new(SmtpMailer::new(s).map_err(|e| anyhow!("mail settings: {e}"))?) as Arc<dyn liaison_domain::ports::Mailer>),
            None => None,
        },
        identity_providers: settings.identity_providers()?,
        passkeys: liaison_adapters::WebauthnRelyingParty::for_public_url(&config.public_url)
            .map(|p| Arc::new(p) as Arc<dyn liaison_domain::ports::PasskeyRelyingParty>),
    };
    Ok(App::with_ports(db, config, ports))
}

async fn run(command: Command, settings: Settings) -> Result<ExitCode> {
    match command {
        Command::Migrate => {
            let db = Db::connect(&settings.db_options()).await.context("opening the database")?;
            let before = liaison_store::migrate::current(&db).await?;
            let applied = liaison_store::migrate::run(&db).await.context("migrating the database")?;
            if applied.is_empty() {
                println!("The database is up to date (schema version {before}).");
            } else {
                println!("Migrated the database from schema version {before} to {}.", applied.last().copied().unwrap_or(before));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            let db = open(&settings).await?;
            serve(make_app(db, &settings)?, &settings, None).await
        }
        Command::Demo { no_serve } => {
            let db = open(&settings).await?;
            let app = make_app(db, &settings)?;
            liaison_app::search::build_if_needed(&app).await.map_err(|e| anyhow!("building the search index: {e}"))?;
            let loaded = liaison_demo::load(&app).await.context("loading the demo partnership")?;
            if loaded {
                eprintln!("Loaded the demo partnership.");
            } else {
                eprintln!("The demo partnership is already loaded.");
            }
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            serve(app, &settings, Some(demo_banner())).await
        }
        Command::User(u) => user(u, &settings).await,
        Command::Org(o) => org(o, &settings).await,
        Command::Role(r) => role(r, &settings).await,
        Command::Token(TokenCommand::Issue { email, name, days }) => {
            let app = make_app(open(&settings).await?, &settings)?;
            let ctx = Ctx::system("cli");
            let user = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let (token, _) = liaison_app::auth::issue_token(&app, &ctx, &user, &name, days).await.map_err(|e| anyhow!("{e}"))?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Remind => {
            let app = make_app(open(&settings).await?, &settings)?;
            let written = liaison_app::notifications::remind(&app).await.map_err(|e| anyhow!("{e}"))?;
            println!("Wrote {written} reminder(s).");
            if app.sends_email() {
                let (sent, failed) = liaison_app::notifications::send_pending(&app).await.map_err(|e| anyhow!("{e}"))?;
                println!("Sent {sent} email(s); {failed} could not be sent (they are retried later).");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Iati(cmd) => iati(cmd, &settings).await,
        Command::Import(cmd) => import(cmd, &settings).await,
        Command::Export(cmd) => export(cmd, &settings).await,
        Command::Search(SearchCommand::Reindex) => reindex(&settings).await,
        Command::Exchange(cmd) => exchange::run(cmd, &settings).await,
        Command::Copy { from, to, sessions } => operations::copy(&settings, &from, &to, sessions).await,
        Command::Backup { out } => operations::backup(&settings, &out).await,
        Command::Restore { file } => operations::restore(&settings, &file).await,
        Command::Audit(AuditCommand::Verify) => {
            let app = make_app(open(&settings).await?, &settings)?;
            let tty = std::io::stderr().is_terminal();
            let v = liaison_app::audit::verify(&app, |done, total| {
                if tty {
                    eprint!("\rChecked {done} of {total} changes…");
                }
            })
            .await
            .map_err(|e| anyhow!("{e}"))?;
            if tty {
                eprintln!();
            }
            match v.fault {
                None => {
                    println!("The audit trail is intact: {} changes, chained from the first to the recorded head.", v.rows);
                    Ok(ExitCode::SUCCESS)
                }
                Some(f) => {
                    println!("The audit trail is BROKEN: {f}.");
                    println!("{} changes verified before the fault; the recorded head is change #{}.", v.rows, v.head_seq);
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

fn demo_banner() -> String {
    let mut s = String::from("Demo sign-ins (password: demo-password):\n");
    for (email, what) in liaison_demo::ACCOUNTS {
        s.push_str(&format!("  {email:<26} {what}\n"));
    }
    s
}

/// Rebuild the search index with a progress bar.
async fn reindex(settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} records ({elapsed}, {per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("evidence");
    let n = liaison_app::search::reindex(&app, |p| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(p.kind.code());
    })
    .await
    .map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    println!("Indexed {n} records in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

async fn serve(app: App, settings: &Settings, banner: Option<String>) -> Result<ExitCode> {
    // A database migrated from before search gets its index once, before the first request.
    liaison_app::search::build_if_needed(&app).await.map_err(|e| anyhow!("building the search index: {e}"))?;
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {} (is another program using it? choose another with --listen)", settings.listen))?;
    let addr = listener.local_addr()?;
    let state = liaison_web::AppState::new(app, settings.web_config());
    println!("Liaison is listening on http://{addr}/");
    if let Some(b) = banner {
        print!("{b}");
    }
    println!("Public portal: http://{addr}/public/");
    println!("API reference: http://{addr}/api/v1/docs — stop with Ctrl-C.");
    let _ = std::io::stdout().flush();
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let jobs = background_jobs(state.app.clone(), settings, jobs_stopped);
    // On SIGTERM or Ctrl-C: no new connection; requests in flight finish; then the background
    // job finishes the round it is in (a reminder run, an e-mail being sent) and stops.
    let served = liaison_web::serve(listener, state, shutdown_signal()).await.context("serving");
    let _ = stop_jobs.send(true);
    if let Some(j) = jobs
        && tokio::time::timeout(std::time::Duration::from_secs(60), j).await.is_err()
    {
        tracing::warn!("the background job did not finish within a minute; stopping anyway");
    }
    served?;
    Ok(ExitCode::SUCCESS)
}

/// Reminders every `reminder_minutes`, and waiting emails every `mail_interval_seconds` (several
/// servers may run them: each reminder is written once, each email claimed by one server).
fn background_jobs(app: App, settings: &Settings, mut stop: tokio::sync::watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
    let reminders = (settings.reminder_minutes > 0).then(|| std::time::Duration::from_secs(settings.reminder_minutes * 60));
    let mail = app.sends_email().then(|| std::time::Duration::from_secs(settings.mail_interval_seconds.max(1)));
    if reminders.is_none() && mail.is_none() {
        return None;
    }
    let ticker = |every: Option<std::time::Duration>| {
        // A job that is off never runs: its ticks (the first is at once) are ignored below.
        let mut t = tokio::time::interval(every.unwrap_or(std::time::Duration::from_secs(365 * 24 * 3600)));
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        t
    };
    Some(tokio::spawn(async move {
        let mut remind_tick = ticker(reminders);
        let mut mail_tick = ticker(mail);
        loop {
            // Stop only between rounds: a round once begun (reminders written, an e-mail
            // handed to the server and marked sent) is finished.
            tokio::select! {
                _ = remind_tick.tick() => {
                    if reminders.is_some() {
                        run_reminders(&app).await;
                        // New reminders go out now, not at the next mail round.
                        send_mail(&app).await;
                    }
                }
                _ = mail_tick.tick() => {
                    if mail.is_some() {
                        send_mail(&app).await;
                    }
                }
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
    }))
}

async fn run_reminders(app: &App) {
    metrics::counter!("liaison_background_runs_total", "job" => "reminders").increment(1);
    match liaison_app::notifications::remind(app).await {
        Ok(n) if n > 0 => tracing::info!(reminders = n, "wrote reminders"),
        Ok(_) => {}
        Err(e) => {
            metrics::counter!("liaison_background_failures_total", "job" => "reminders").increment(1);
            tracing::warn!(error = %e, "reminders failed");
        }
    }
}

async fn send_mail(app: &App) {
    if !app.sends_email() {
        return;
    }
    match liaison_app::notifications::send_pending(app).await {
        Ok((sent, failed)) if sent + failed > 0 => {
            metrics::counter!("liaison_emails_sent_total").increment(sent as u64);
            metrics::counter!("liaison_emails_failed_total").increment(failed as u64);
            tracing::info!(sent, failed, "sent notification emails");
        }
        Ok(_) => {}
        Err(e) => {
            metrics::counter!("liaison_background_failures_total", "job" => "email").increment(1);
            tracing::warn!(error = %e, "sending emails failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Read a password: from a pipe as one line, or from a terminal without echo, twice.
fn read_password(prompt: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\n', '\r']).to_string();
        if pw.is_empty() {
            bail!("no password on standard input");
        }
        return Ok(pw);
    }
    let ask = |p: &str| -> Result<String> {
        eprint!("{p}");
        let _ = std::io::stderr().flush();
        let _ = std::process::Command::new("stty").arg("-echo").stdin(std::process::Stdio::inherit()).status();
        let mut line = String::new();
        let r = stdin.lock().read_line(&mut line);
        let _ = std::process::Command::new("stty").arg("echo").stdin(std::process::Stdio::inherit()).status();
        eprintln!();
        r?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    };
    let a = ask(prompt)?;
    let b = ask("Again: ")?;
    if a != b {
        bail!("the two passwords differ");
    }
    Ok(a)
}

/// A use case's error in words (the command line speaks English).
fn explain(e: liaison_app::AppError) -> anyhow::Error {
    let tr = liaison_i18n::Tr { lang: liaison_domain::text::UiLang::En };
    match e {
        liaison_app::AppError::Invalid(v) => anyhow!(
            "{}",
            v.0.iter()
                .map(|f| if f.field.is_empty() { tr.field_error(f) } else { format!("{}: {}", f.field, tr.field_error(f)) })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        liaison_app::AppError::Forbidden(r) | liaison_app::AppError::Conflict(r) => anyhow!("{}", tr.refusal(&r)),
        liaison_app::AppError::Internal(m) => anyhow!("internal error: {m}"),
        other => anyhow!("{other}"),
    }
}

async fn user(cmd: UserCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let ctx = Ctx::system("cli");
    match cmd {
        UserCommand::Add { email, name, organisation, clearance, admin, security_officer } => {
            let org = liaison_app::organisations::find_by_short_name(&app, &ctx, &organisation)
                .await?
                .ok_or_else(|| anyhow!("no organisation with the short name {organisation:?}"))?;
            let clearance = Level::parse(&clearance).ok_or_else(|| anyhow!("unknown clearance {clearance:?}; use e.g. nato_restricted"))?;
            let mut roles = Vec::new();
            if admin {
                roles.push(GlobalRole::Admin);
            }
            if security_officer {
                roles.push(GlobalRole::SecurityOfficer);
            }
            let password = read_password("Password: ")?;
            let u =
                liaison_app::users::create(&app, &ctx, NewUser { display_name: name, email, organisation: org.id, clearance, global_roles: roles, password })
                    .await
                    .map_err(explain)?;
            println!("Created {} ({}), id {}.", u.email, u.display_name, u.id);
        }
        UserCommand::List => {
            let mut paging = Paging { limit: Some(500), cursor: None };
            loop {
                let page = liaison_app::users::list(&app, &ctx, &paging).await.map_err(explain)?;
                for u in &page.items {
                    let roles: Vec<&str> = u.global_roles.iter().map(|r| r.code()).collect();
                    println!("{:<32} {:<28} {:<18} {:<8} {}", u.email, u.display_name, u.clearance.code(), u.status.code(), roles.join(","));
                }
                match page.next_cursor {
                    Some(c) => paging.cursor = Some(c),
                    None => break,
                }
            }
        }
        UserCommand::Set { email, clearance, status, admin, security_officer } => {
            let u = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let mut roles = u.global_roles.clone();
            for (flag, r) in [(admin, GlobalRole::Admin), (security_officer, GlobalRole::SecurityOfficer)] {
                match flag {
                    Some(true) if !roles.contains(&r) => roles.push(r),
                    Some(false) => roles.retain(|x| *x != r),
                    _ => {}
                }
            }
            let patch = liaison_domain::user::UserPatch {
                clearance: clearance.map(|c| Level::parse(&c).ok_or_else(|| anyhow!("unknown clearance {c:?}"))).transpose()?,
                status: status
                    .map(|st| liaison_domain::user::UserStatus::parse(&st).ok_or_else(|| anyhow!("status must be active, locked or disabled")))
                    .transpose()?,
                global_roles: Some(roles),
                ..Default::default()
            };
            let n = liaison_app::users::update(&app, &ctx, u.id, u.version, patch).await.map_err(explain)?;
            let roles: Vec<&str> = n.global_roles.iter().map(|r| r.code()).collect();
            println!("{}: clearance {}, {}, roles [{}].", n.email, n.clearance.code(), n.status.code(), roles.join(", "));
        }
        UserCommand::Passwd { email } => {
            let u = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let password = read_password("New password: ")?;
            liaison_app::users::set_password(&app, &ctx, u.id, None, &password).await.map_err(explain)?;
            println!("Password changed for {}; their sessions have ended.", u.email);
        }
        UserCommand::ResetSecondFactor { email } => {
            let u = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let had = liaison_app::auth::second_factor::reset(&app, &ctx, u.id).await.map_err(explain)?;
            let what = if had { "its key, passkeys and recovery codes are removed" } else { "it had no second factor" };
            println!("Second factor of {} reset ({what}); their sessions have ended.", u.email);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn org(cmd: OrgCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let ctx = Ctx::system("cli");
    match cmd {
        OrgCommand::Add { short, name, name_sr, kind, country, parent, iati_ref } => {
            let kind = liaison_domain::organisation::OrgKind::parse(&kind).ok_or_else(|| anyhow!("unknown kind {kind:?}; see liaison org add --help"))?;
            let parent = match parent {
                Some(p) => Some(
                    liaison_app::organisations::find_by_short_name(&app, &ctx, &p)
                        .await?
                        .ok_or_else(|| anyhow!("no organisation with the short name {p:?}"))?
                        .id,
                ),
                None => None,
            };
            let mut text = liaison_domain::text::Text::new("en", &name);
            if let Some(sr) = name_sr {
                text = text.with("sr", &sr);
            }
            let input = liaison_domain::organisation::NewOrganisation { name: text, short_name: short, kind, country, parent, iati_ref };
            let o = liaison_app::organisations::create(&app, &ctx, input).await.map_err(explain)?;
            println!("Created {} ({}), id {}.", o.short_name, o.kind.code(), o.id);
        }
        OrgCommand::List => {
            for o in liaison_app::organisations::all(&app, &ctx).await.map_err(explain)? {
                println!(
                    "{:<16} {:<20} {:<4} {}",
                    o.short_name,
                    o.kind.code(),
                    o.country.as_deref().unwrap_or("-"),
                    o.name.show(liaison_domain::text::UiLang::En)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn role(cmd: RoleCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let ctx = Ctx::system("cli");
    let plan_by_code = |code: String| {
        let app = app.clone();
        let ctx = ctx.clone();
        async move { liaison_app::plans::find_by_code(&app, &ctx, &code).await.map_err(explain)?.ok_or_else(|| anyhow!("no plan with the code {code:?}")) }
    };
    match cmd {
        RoleCommand::Set { email, plan, role } => {
            let plan = plan_by_code(plan).await?;
            let user = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let role = liaison_domain::access::Role::parse(&role).ok_or_else(|| anyhow!("unknown role {role:?}; see liaison role set --help"))?;
            let m = liaison_app::plans::set_member(&app, &ctx, plan.id, liaison_app::plans::SetMember { user: user.id, role }).await.map_err(explain)?;
            println!("{} is {} on {}.", email, m.role.code(), plan.code);
        }
        RoleCommand::Remove { email, plan } => {
            let plan = plan_by_code(plan).await?;
            let user = liaison_app::users::find_by_email(&app, &ctx, &email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
            let m = liaison_app::plans::member(&app, &ctx, plan.id, user.id)
                .await
                .map_err(explain)?
                .ok_or_else(|| anyhow!("{email} has no role on {}", plan.code))?;
            liaison_app::plans::remove_member(&app, &ctx, plan.id, user.id, m.version).await.map_err(explain)?;
            println!("{} has no role on {} any more.", email, plan.code);
        }
        RoleCommand::List { plan } => {
            let plan = plan_by_code(plan).await?;
            for m in liaison_app::plans::members(&app, &ctx, plan.id).await.map_err(explain)? {
                println!("{:<18} {}", m.role.code(), m.display_name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A person's context, for commands that act as someone.
async fn as_person(app: &App, email: &str) -> Result<Ctx> {
    let user = liaison_app::users::find_by_email(app, &Ctx::system("cli"), email).await.map_err(|_| anyhow!("no account with the e-mail address {email}"))?;
    let actor = liaison_app::auth::actor_for(app, user).await.map_err(explain)?;
    Ok(Ctx { actor, request_id: "cli".into(), source: "local".into() })
}

async fn iati(cmd: IatiCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    match cmd {
        IatiCommand::Export { plan, public, as_user, level, out } => {
            let ctx = match &as_user {
                Some(e) => as_person(&app, e).await?,
                None => Ctx::system("cli"),
            };
            let found = liaison_app::plans::find_by_code(&app, &ctx, &plan).await.map_err(explain)?.ok_or_else(|| anyhow!("no plan with the code {plan:?}"))?;
            let started = std::time::Instant::now();
            let export = if public {
                liaison_app::iati::export_public(&app, found.id, level.as_deref()).await
            } else {
                liaison_app::iati::export(&app, &ctx, found.id, level.as_deref()).await
            };
            let export = export.map_err(|e| match e {
                liaison_app::AppError::NotFound if public => anyhow!("{plan} is not on the public portal"),
                e => explain(e),
            })?;
            match &out {
                Some(path) => std::fs::write(path, &export.xml).with_context(|| format!("writing {}", path.display()))?,
                None => std::io::stdout().write_all(&export.xml).context("writing to standard output")?,
            }
            eprintln!(
                "{}: {} activities, {} bytes, marked {}, in {} ms{}",
                plan,
                export.activities,
                export.xml.len(),
                export.marking.banner(),
                started.elapsed().as_millis(),
                out.as_ref().map(|p| format!(", written to {}", p.display())).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        IatiCommand::Import { file, as_user, apply, json } => {
            let ctx = as_person(&app, &as_user).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload.xml".into());
            let total = liaison_interop::iati::count_activities(&bytes);
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} activities ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message("Checking");
            let started = std::time::Instant::now();
            let mut progress = |n: usize| {
                bar.set_position(n as u64);
                if n == total {
                    bar.set_message("Checked; working out what applying would do");
                }
            };
            let preview = liaison_app::imports::preview_iati(&app, &ctx, &name, bytes, &mut progress).await.map_err(explain);
            bar.finish_and_clear();
            let preview = preview?;
            let previewed_in = started.elapsed();
            if json {
                print_document(liaison_app::imports::Document::of(&app, &ctx, preview.id).await.map_err(explain)?).await?;
            } else {
                print_preview(&app, &ctx, &preview).await?;
                println!("Previewed in {:.1} s. Preview id {} (GET /api/v1/imports/{}).", previewed_in.as_secs_f64(), preview.id, preview.id);
            }
            if preview.totals.importable == 0 {
                eprintln!("Nothing in {} can be imported.", file.display());
                return Ok(ExitCode::from(1));
            }
            if apply {
                let started = std::time::Instant::now();
                let spinner = indicatif::ProgressBar::new_spinner();
                spinner.set_message(format!("Applying {} activities in one transaction", preview.totals.importable));
                spinner.enable_steady_tick(std::time::Duration::from_millis(120));
                let applied = liaison_app::imports::apply(&app, &ctx, preview.id, None).await.map_err(explain);
                spinner.finish_and_clear();
                let applied = applied?;
                if json {
                    print_document(liaison_app::imports::Document::applied(&app, &ctx, &applied).map_err(explain)?).await?;
                } else {
                    let t = &applied.preview.totals;
                    println!(
                        "Applied {} activities in {:.1} s: plans {} created, {} updated; items {} created, {} updated; {} indicators, {} offers, {} organisations created.",
                        applied.applied.len(),
                        started.elapsed().as_secs_f64(),
                        t.plans_created,
                        t.plans_updated,
                        t.items_created,
                        t.items_updated,
                        t.indicators,
                        t.offers,
                        t.organisations_created
                    );
                }
            } else if !json {
                println!("Nothing was changed. Run again with --apply to import the {} importable activities.", preview.totals.importable);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn import(cmd: ImportCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let ImportCommand::Sheet { file, plan, new_plan, as_user, sheet, header_row, map, language, apply, json } = cmd;
    let ctx = as_person(&app, &as_user).await?;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload.xlsx".into());
    let mut options = liaison_app::imports::sheet::SheetOptions { sheet, header_row, language, ..Default::default() };
    if let Some(code) = &plan {
        options.plan =
            Some(liaison_app::plans::find_by_code(&app, &ctx, code).await.map_err(explain)?.ok_or_else(|| anyhow!("no plan with the code {code:?}"))?.id);
    }
    if let Some(path) = &new_plan {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        options.new_plan = Some(serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?);
    }
    for m in &map {
        let (col, field) = m.split_once('=').ok_or_else(|| anyhow!("--map {m:?}: write COLUMN=FIELD, e.g. C=title"))?;
        options.mapping.insert(col.trim().to_uppercase(), field.trim().to_string());
    }
    let started = std::time::Instant::now();
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!("Reading {} and working out what applying would do", file.display()));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let preview = liaison_app::imports::sheet::preview(&app, &ctx, &name, bytes, options).await.map_err(explain);
    spinner.finish_and_clear();
    let preview = preview?;
    let previewed_in = started.elapsed();
    if json {
        print_document(liaison_app::imports::Document::of(&app, &ctx, preview.id).await.map_err(explain)?).await?;
    } else {
        print_sheet_preview(&app, &ctx, &preview).await?;
        println!("Previewed in {:.1} s. Preview id {} (GET /api/v1/imports/{}).", previewed_in.as_secs_f64(), preview.id, preview.id);
    }
    if preview.totals.importable == 0 {
        eprintln!("No row of {} can be imported.", file.display());
        return Ok(ExitCode::from(1));
    }
    if apply {
        let started = std::time::Instant::now();
        let applied = liaison_app::imports::apply(&app, &ctx, preview.id, None).await.map_err(explain)?;
        if json {
            print_document(liaison_app::imports::Document::applied(&app, &ctx, &applied).map_err(explain)?).await?;
        } else {
            let t = &applied.preview.totals;
            println!(
                "Applied in {:.1} s: items {} created, {} updated; {} organisations and {} areas created.",
                started.elapsed().as_secs_f64(),
                t.items_created,
                t.items_updated,
                t.organisations_created,
                t.areas_created
            );
            if let Some(s) = &applied.preview.sheet
                && s.rows.refused > 0
            {
                println!("{} rows were refused at apply (see GET /api/v1/imports/{}).", s.rows.refused, applied.preview.id);
            }
        }
    } else if !json {
        println!("Nothing was changed. Run again with --apply to import the {} importable rows.", preview.totals.importable);
    }
    Ok(ExitCode::SUCCESS)
}

/// A sheet's preview as text: how it was read, the columns, each row, every problem at its cell.
async fn print_sheet_preview(app: &liaison_app::App, ctx: &liaison_app::Ctx, p: &liaison_app::imports::Summary) -> Result<()> {
    use liaison_app::imports::{PAGE, next_after, problems, sheet::rows};
    let Some(s) = &p.sheet else { return Ok(()) };
    let how = match (&s.encoding, &s.separator) {
        (Some(e), Some(sep)) => format!("CSV, {e}, separated by {sep}"),
        _ => format!("XLSX, sheet {:?} of {}", s.sheet, s.sheets.len()),
    };
    println!("{} ({how}, {} bytes, SHA-256 {})", p.file_name, p.size, p.sha256);
    if let Some(plan) = &s.plan {
        println!("  into plan {} ({}): {}", plan.code, plan.title, if plan.action == "create" { "made by this import" } else { "exists" });
    }
    println!("  header on row {}; columns:", s.header_row);
    for c in &s.columns {
        println!("    {:<3} {:<40} -> {}", c.letter, c.header, c.field.as_deref().unwrap_or("(not imported)"));
    }
    let r = &s.rows;
    println!(
        "  rows: {} below the header: {} items ({} to create, {} to update, {} unchanged, {} refused), {} notes, {} blank",
        r.rows, r.items, r.created, r.updated, r.unchanged, r.refused, r.notes, r.blank
    );
    println!(
        "  organisations: {} named, {} to create; areas: {} named, {} to create",
        p.organisations.len(),
        p.totals.organisations_created,
        s.areas.len(),
        p.totals.areas_created
    );
    if s.not_in_file > 0 {
        println!("  items of the plan the sheet does not name (left as they are): {} ({})", s.not_in_file, s.not_in_file_codes.join(", "));
    }
    println!("  problems: {} errors, {} warnings", p.totals.errors, p.totals.warnings);
    let mut after = None;
    loop {
        let page = rows(app, ctx, p.id, after, PAGE).await.map_err(explain)?;
        if after.is_none() && !page.is_empty() {
            println!();
            println!("Rows:");
        }
        for (_, row) in page.iter().filter(|(_, r)| r.kind == "item") {
            println!("  row {:>6}  {:<16} {:<10} {}", row.row, row.code.as_deref().unwrap_or(""), row.action, row.title.as_deref().unwrap_or(""));
        }
        after = next_after(&page);
        if after.is_none() {
            break;
        }
    }
    let mut after = None;
    loop {
        let page = problems(app, ctx, p.id, after, PAGE).await.map_err(explain)?;
        if after.is_none() && !page.is_empty() {
            println!();
            println!("Problems:");
        }
        for (_, pr) in &page {
            println!("  {:<7} {}: {}", pr.path, pr.severity, pr.message);
        }
        after = next_after(&page);
        if after.is_none() {
            break;
        }
    }
    Ok(())
}

async fn export(cmd: ExportCommand, settings: &Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let (plan, format, lang, as_user, out) = match &cmd {
        ExportCommand::Items { plan, format, lang, as_user, out, .. } | ExportCommand::Report { plan, format, lang, as_user, out, .. } => {
            (plan, format.as_str(), lang, as_user, out)
        }
        ExportCommand::Compare { plan, lang, as_user, out, .. } => (plan, "pdf", lang, as_user, out),
    };
    let ctx = match as_user {
        Some(e) => as_person(&app, e).await?,
        None => Ctx::system("cli"),
    };
    let lang = liaison_domain::text::UiLang::parse(lang).ok_or_else(|| anyhow!("--lang {lang:?}: write en, sr-Cyrl or sr-Latn"))?;
    let found = liaison_app::plans::find_by_code(&app, &ctx, plan).await.map_err(explain)?.ok_or_else(|| anyhow!("no plan with the code {plan:?}"))?;
    let version = match &cmd {
        ExportCommand::Items { version, .. } => *version,
        ExportCommand::Report { period, .. } => return export_report(&app, &ctx, &found, period.as_deref(), format, lang, out).await,
        ExportCommand::Compare { from, to, .. } => return export_compare(&app, &ctx, &found, from, to, lang, out).await,
    };
    let (plan, out) = (plan.as_str(), out.as_path());
    if !["xlsx", "csv", "docx", "pdf"].contains(&format) {
        return Err(anyhow!("--format {format:?}: write xlsx, csv, docx or pdf"));
    }
    if format == "pdf" {
        return export_pdf(&app, &ctx, found.id, plan, lang, version, out).await;
    }
    let started = std::time::Instant::now();
    let e = liaison_app::exports::plan_items(&app, &ctx, found.id, format).await.map_err(explain)?;
    let bytes = match format {
        "xlsx" => liaison_interop::plan_items::xlsx(&e.plan.code, &e.plan.title.show(lang), &e.marking.banner(), &e.lines, lang)
            .map_err(|x| anyhow!("writing the workbook: {x}"))?,
        "docx" => liaison_web::api::exports::docx_of(&e, lang).map_err(|x| anyhow!("writing the document: {x}"))?,
        _ => liaison_interop::plan_items::csv(&e.marking.banner(), &e.lines, lang, liaison_interop::csv::Options { bom: true })
            .map_err(|x| anyhow!("writing the CSV: {x}"))?,
    };
    written(out, &bytes, &format!("{plan}: {} items", e.lines.len()), &e.marking, started)
}

/// Write an export to `out`, then say on standard error what it holds (`what`), its size, its
/// marking and how long it took.
fn written(out: &std::path::Path, bytes: &[u8], what: &str, marking: &liaison_domain::marking::Marking, started: std::time::Instant) -> Result<ExitCode> {
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("{what}, {} bytes, marked {}, in {} ms, written to {}", bytes.len(), marking.banner(), started.elapsed().as_millis(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// The redline between two versions as PDF.
async fn export_compare(
    app: &App,
    ctx: &Ctx,
    plan: &liaison_domain::plan::Plan,
    from: &str,
    to: &str,
    lang: liaison_domain::text::UiLang,
    out: &std::path::Path,
) -> Result<ExitCode> {
    let version =
        |v: &str, flag: &str| liaison_app::plans::VersionRef::parse(v).ok_or_else(|| anyhow!("--{flag} {v:?}: write an agreed version's number or current"));
    let (from, to) = (version(from, "from")?, version(to, "to")?);
    let agreed: Vec<i32> = liaison_app::plans::versions(app, ctx, plan.id).await.map_err(explain)?.iter().map(|v| v.number).collect();
    for v in [&from, &to] {
        if let liaison_app::plans::VersionRef::Agreed(n) = v
            && !agreed.contains(n)
        {
            let list = agreed.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
            return Err(anyhow!("{} has no agreed version {n}; its versions are {}", plan.code, if list.is_empty() { "none yet".into() } else { list }));
        }
    }
    let started = std::time::Instant::now();
    let d = liaison_app::exports::redline_document(app, ctx, plan.id, from, to, "pdf").await.map_err(explain)?;
    let bytes = redline_pdf(&d, lang)?;
    let c = &d.comparison;
    let what = format!("{}: {} items changed, {} added, {} removed", plan.code, c.changed.len(), c.added.len(), c.removed.len());
    written(out, &bytes, &what, &d.marking, started)
}

#[cfg(feature = "pdf")]
fn redline_pdf(d: &liaison_app::exports::RedlineDoc, lang: liaison_domain::text::UiLang) -> Result<Vec<u8>> {
    liaison_docs::redline_pdf(&liaison_web::documents::redline(d, lang)).map_err(|e| anyhow!("{e}"))
}

/// The one answer of a build without PDF.
#[cfg(not(feature = "pdf"))]
fn no_pdf() -> anyhow::Error {
    anyhow!("this liaison was built without PDF (the `pdf` feature)")
}

#[cfg(not(feature = "pdf"))]
fn redline_pdf(_: &liaison_app::exports::RedlineDoc, _: liaison_domain::text::UiLang) -> Result<Vec<u8>> {
    Err(no_pdf())
}

/// The implementation report of a period as PDF, XLSX or CSV.
async fn export_report(
    app: &App,
    ctx: &Ctx,
    plan: &liaison_domain::plan::Plan,
    period: Option<&str>,
    format: &str,
    lang: liaison_domain::text::UiLang,
    out: &std::path::Path,
) -> Result<ExitCode> {
    use liaison_domain::report::ReportFormat;
    let as_format = match format {
        "pdf" => ReportFormat::Pdf,
        "xlsx" => ReportFormat::Xlsx,
        "csv" => ReportFormat::Csv,
        _ => return Err(anyhow!("--format {format:?}: write pdf, xlsx or csv")),
    };
    if let Some(p) = period {
        let periods = liaison_app::calendar::periods(app, ctx, plan.id).await.map_err(explain)?;
        if !periods.iter().any(|k| k.key == p) {
            let keys: Vec<&str> = periods.iter().map(|k| k.key.as_str()).collect();
            return Err(anyhow!("--period {p:?}: {} has no such period; its periods are {}", plan.code, keys.join(", ")));
        }
    }
    let started = std::time::Instant::now();
    let v = liaison_app::report::implementation(app, ctx, plan.id, period, as_format, false).await.map_err(explain)?;
    let bytes = match as_format {
        ReportFormat::Xlsx => liaison_interop::report::xlsx(&v.report, lang).map_err(|x| anyhow!("writing the workbook: {x}"))?,
        ReportFormat::Csv => {
            liaison_interop::report::csv(&v.report, lang, liaison_interop::csv::Options { bom: true }).map_err(|x| anyhow!("writing the CSV: {x}"))?
        }
        _ => report_pdf(&v.report, lang)?,
    };
    let r = &v.report;
    written(out, &bytes, &format!("{} {}: {} items and {} indicators", plan.code, r.period, r.rows.len(), r.indicators.len()), &r.marking, started)
}

#[cfg(feature = "pdf")]
fn report_pdf(r: &liaison_domain::report::Report, lang: liaison_domain::text::UiLang) -> Result<Vec<u8>> {
    liaison_docs::report_pdf(&liaison_web::documents::report(r, lang)).map_err(|e| anyhow!("{e}"))
}

#[cfg(not(feature = "pdf"))]
fn report_pdf(_: &liaison_domain::report::Report, _: liaison_domain::text::UiLang) -> Result<Vec<u8>> {
    Err(no_pdf())
}

/// The plan (or an agreed version) as PDF.
#[cfg(feature = "pdf")]
async fn export_pdf(
    app: &App,
    ctx: &Ctx,
    plan: liaison_domain::PlanId,
    code: &str,
    lang: liaison_domain::text::UiLang,
    version: Option<i32>,
    out: &std::path::Path,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let d = liaison_app::exports::plan_document(app, ctx, plan, version, "pdf").await.map_err(explain)?;
    let doc = liaison_web::documents::plan(&d, lang);
    let bytes = liaison_docs::plan_pdf(&doc).map_err(|e| anyhow!("{e}"))?;
    written(out, &bytes, &format!("{code}: {} items", d.items.len()), &d.marking, started)
}

#[cfg(not(feature = "pdf"))]
async fn export_pdf(
    _: &App,
    _: &Ctx,
    _: liaison_domain::PlanId,
    _: &str,
    _: liaison_domain::text::UiLang,
    _: Option<i32>,
    _: &std::path::Path,
) -> Result<ExitCode> {
    Err(no_pdf())
}

/// A stored import as JSON on standard output, a page at a time, then a line end.
async fn print_document(mut doc: liaison_app::imports::Document) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    while let Some(piece) = doc.next().await.map_err(explain)? {
        out.write_all(&piece)?;
    }
    writeln!(out)?;
    Ok(())
}

/// The preview as text: the totals, the activities, every problem at its line (read a page at
/// a time).
async fn print_preview(app: &liaison_app::App, ctx: &liaison_app::Ctx, p: &liaison_app::imports::Summary) -> Result<()> {
    use liaison_app::imports::{PAGE, activities, next_after, problems};
    let t = &p.totals;
    println!("{} (IATI {}, {} bytes, SHA-256 {})", p.file_name, if p.version.is_empty() { "?" } else { &p.version }, p.size, p.sha256);
    println!("  activities: {} in the file, {} importable", t.activities, t.importable);
    println!("  plans: {} to create, {} to update; items: {} to create, {} to update", t.plans_created, t.plans_updated, t.items_created, t.items_updated);
    println!("  indicators: {}, targets: {}, actuals: {}, offers: {}", t.indicators, t.targets, t.actuals, t.offers);
    println!("  organisations: {} named, {} to create; areas to create: {}", p.organisations.len(), t.organisations_created, t.areas_created);
    println!("  problems: {} errors, {} warnings", t.errors, t.warnings);
    let mut after = None;
    loop {
        let page = activities(app, ctx, p.id, after, PAGE).await.map_err(explain)?;
        if after.is_none() && !page.is_empty() {
            println!();
            println!("Activities:");
        }
        for (_, a) in &page {
            let what = if !a.importable { "not importable".to_string() } else { format!("{} {}", a.action, a.becomes) };
            let code = match &a.item_code {
                Some(i) => format!("{} {}", a.plan_code, i),
                None => a.plan_code.clone(),
            };
            println!("  line {:>6}  {:<40} {:<18} {:<24} {} errors, {} warnings", a.line, a.identifier, what, code, a.errors, a.warnings);
        }
        after = next_after(&page);
        if after.is_none() {
            break;
        }
    }
    let mut after = None;
    loop {
        let page = problems(app, ctx, p.id, after, PAGE).await.map_err(explain)?;
        if after.is_none() && !page.is_empty() {
            println!();
            println!("Problems:");
        }
        for (_, pr) in &page {
            println!("  {}:{} {} {} {}: {}", pr.line, pr.column, pr.severity, pr.code, pr.path, pr.message);
        }
        after = next_after(&page);
        if after.is_none() {
            break;
        }
    }
    Ok(())
}
