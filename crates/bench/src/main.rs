//! `liaison-bench`: Liaison at alliance scale.
//!
//! * `liaison-bench seed --database URL [--scale F]` writes an alliance-sized database: by
//!   default 40 partners × 5 cycles of 500 items, a million measurements, 100,000 activities,
//!   with Change rows and an audit chain that `liaison audit verify` accepts (see [`seed`]).
//!
//! * `liaison-bench run --database URL` starts a release `liaison serve` on it, runs a fixed
//!   mix of pages, API reads and writes from 16 clients with `/healthz` in the same run, then
//!   writers alone, and prints and writes per-route figures and the server's memory (see [`run`]).

use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

use liaison_bench::{run, seed};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "liaison-bench", about = "Liaison at alliance scale: generate an alliance-sized database and benchmark a server on it")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write an alliance-sized database (an empty one, or a new SQLite file).
    Seed(SeedArgs),
    /// Start a release server on a generated database and run the benchmark mix.
    Run(RunArgs),
}

#[derive(Args)]
struct RunArgs {
    /// The database made by `liaison-bench seed`.
    #[arg(long, env = "LIAISON_DATABASE")]
    database: String,
    /// The `liaison` binary to start (default: the one next to this one, i.e. target/release/liaison
    /// after `cargo build --release -p liaison`).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds of warm-up (the same mix, not counted).
    #[arg(long, default_value_t = 10)]
    warmup: u64,
    /// Seconds the mix runs.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Seconds the writers-only phase runs.
    #[arg(long, default_value_t = 15)]
    write_duration: u64,
    /// Where the reports (bench-BACKEND.md, .json) and the server's log go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    /// The account the clients sign in as.
    #[arg(long, default_value = seed::COORDINATOR)]
    email: String,
    #[arg(long, default_value = seed::PASSWORD)]
    password: String,
}

#[derive(Args)]
struct SeedArgs {
    /// The database: `sqlite:///path/file.db` or `postgres://…`. It must hold no plans.
    #[arg(long, env = "LIAISON_DATABASE")]
    database: String,
    /// The scale: 1 is 40 partners × 5 cycles, 100,000 items, 1,000,000 measurements; 0.125 is
    /// an eighth of every count.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Partners (each with one plan per cycle). Default: 40 × scale.
    #[arg(long)]
    partners: Option<usize>,
    /// Cycles (successive plans) per partner.
    #[arg(long, default_value_t = 5)]
    cycles: usize,
    /// Items in all (spread over the plans). Default: 100,000 × scale.
    #[arg(long)]
    items: Option<usize>,
    /// Measurements in all (one per indicator and reporting period). Default: 1,000,000 × scale.
    #[arg(long)]
    measurements: Option<usize>,
    /// Progress reports in all. Default: 200,000 × scale.
    #[arg(long)]
    reports: Option<usize>,
    /// Allies' assistance offers in all (half as many requests). Default: 20,000 × scale.
    #[arg(long)]
    offers: Option<usize>,
    /// Activities in all. Default: 100,000 × scale.
    #[arg(long)]
    activities: Option<usize>,
    /// Stories in all. Default: 2,000 × scale.
    #[arg(long)]
    stories: Option<usize>,
    /// Accounts in all (besides the alliance's staff). Default: 10 per partner.
    #[arg(long)]
    users: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async {
        match cli.command {
            Command::Seed(a) => {
                let counts = seed::Counts::at(a.scale, a.partners, a.cycles)
                    .map(|c| c.with(a.items, a.measurements, a.reports, a.offers, a.activities, a.stories, a.users));
                match counts {
                    Ok(c) => seed::run(&a.database, &c).await.map(|_| ()),
                    Err(e) => Err(e),
                }
            }
            Command::Run(a) => {
                let server = match a.server {
                    Some(s) => s,
                    None => std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join("liaison"))).unwrap_or_else(|| PathBuf::from("liaison")),
                };
                let o = run::Options {
                    database: a.database,
                    server,
                    clients: a.clients,
                    warmup: Duration::from_secs(a.warmup),
                    duration: Duration::from_secs(a.duration.max(1)),
                    write_duration: Duration::from_secs(a.write_duration.max(1)),
                    out: a.out,
                    email: a.email,
                    password: a.password,
                };
                run::run(&o).await.map(|_| ())
            }
        }
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
