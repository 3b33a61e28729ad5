//! `liaison exchange …`: keys, peers, and signed bundles between installations (see
//! `liaison_app::exchange`).

use crate::{explain, make_app, open};
use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use liaison_app::exchange::{self, ExchangeError};
use liaison_app::{App, Ctx};
use liaison_domain::marking::Marking;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Make this installation's signing key (Ed25519) and record its name and accreditation.
    /// Writes the private key to --key-file (readable by its owner only; never overwritten) and
    /// prints the public key, to give to the peers, on the last line.
    Keygen {
        /// This installation's name, as peers know it, e.g. nato-hq or srb-mod.
        #[arg(long)]
        name: String,
        /// The highest level this installation is accredited to hold, e.g. "NATO RESTRICTED".
        #[arg(long)]
        accreditation: String,
        /// Where to write the private key.
        #[arg(long, env = "LIAISON_EXCHANGE_KEY_FILE")]
        key_file: PathBuf,
    },
    /// Trusted peers.
    #[command(subcommand)]
    Peer(PeerCommand),
    /// Make a signed bundle of a plan for a peer: every record it may hold (by its level and
    /// country), or with an earlier bundle acknowledged, what changed since.
    Export {
        /// The plan's code.
        #[arg(long)]
        plan: String,
        /// The peer's name.
        #[arg(long)]
        to: String,
        /// The bundle file to write (never overwritten); without it, only the preview.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Send everything, not only what changed since the last acknowledged bundle.
        #[arg(long)]
        full: bool,
        /// This installation's private key file (from `exchange keygen`).
        #[arg(long, env = "LIAISON_EXCHANGE_KEY_FILE")]
        key_file: PathBuf,
    },
    /// Check a bundle from a peer and say what it would change; with --apply, apply it in one
    /// transaction. Exits 1 when the bundle is refused.
    Import {
        file: PathBuf,
        #[arg(long)]
        apply: bool,
        /// The largest bundle file read, in bytes.
        #[arg(long, default_value_t = exchange::DEFAULT_MAX_BUNDLE_BYTES)]
        max_bytes: u64,
    },
    /// Conflicts from imports: both sides changed the same field.
    Conflicts {
        /// Settled ones too.
        #[arg(long)]
        all: bool,
    },
    /// Settle a conflict: keep this side's value, or take the other side's.
    Settle {
        /// The conflict's id (from `exchange conflicts`).
        id: uuid::Uuid,
        /// local or remote.
        #[arg(long)]
        keep: String,
    },
}

#[derive(Subcommand)]
pub enum PeerCommand {
    /// Trust a peer's public key. For a known peer, a new key is added (the old ones still
    /// verify old bundles) and its country and level are updated.
    Add {
        #[arg(long)]
        name: String,
        /// Its public key, base64url or base64 (the last line `exchange keygen` printed there).
        /// A base64url key may begin with `-`: it is still taken as the key.
        #[arg(long, allow_hyphen_values = true)]
        key: String,
        /// Its country (ISO 3166 alpha-3, e.g. SRB) or group (e.g. NATO): what it may hold must
        /// be releasable to it.
        #[arg(long)]
        country: String,
        /// The highest level it is accredited to hold, e.g. "NATO RESTRICTED".
        #[arg(long)]
        level: String,
    },
    /// The trusted peers.
    List,
}

fn level(app: &App, s: &str) -> Result<String> {
    Marking::from_banner(s, app.config.scheme, "")
        .map(|m| m.level.code().to_string())
        .ok_or_else(|| anyhow!("{s:?} is not a level of this installation (e.g. \"NATO RESTRICTED\" or nato_restricted)"))
}

fn refused(e: ExchangeError) -> anyhow::Error {
    match e {
        ExchangeError::Refused(m) => anyhow!("refused: {m}"),
        ExchangeError::App(e) => explain(e),
    }
}

fn read_key(path: &Path) -> Result<liaison_interop::exchange::SigningKey> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the private key {}", path.display()))?;
    liaison_interop::exchange::parse_secret(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Write a new file that only its owner reads; never over an existing one.
fn write_new(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let _ = private;
    let mut f = o.open(path).with_context(|| format!("creating {} (it must not exist yet)", path.display()))?;
    f.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
    f.sync_all().ok();
    Ok(())
}

pub async fn run(cmd: ExchangeCommand, settings: &crate::config::Settings) -> Result<ExitCode> {
    let app = make_app(open(settings).await?, settings)?;
    let ctx = Ctx::system("cli exchange");
    match cmd {
        ExchangeCommand::Keygen { name, accreditation, key_file } => {
            if key_file.exists() {
                bail!("{} exists: a key file is never overwritten (move it away to make a new key)", key_file.display());
            }
            let lv = level(&app, &accreditation)?;
            let (id, key) = exchange::keygen(&app, &ctx, &name, &lv, app.entropy.secret_bytes()).await.map_err(refused)?;
            write_new(&key_file, format!("{}\n", liaison_interop::exchange::secret_text(&key)).as_bytes(), true)?;
            println!("This installation is {} (accredited to {}); its private key is in {}.", id.name, id.accreditation, key_file.display());
            println!("Give the peers this public key (key id {}):", id.key_id);
            println!("{}", id.public_key);
        }
        ExchangeCommand::Peer(PeerCommand::Add { name, key, country, level: lv }) => {
            let lv = level(&app, &lv)?;
            let (peer, new_key) = exchange::add_peer(&app, &ctx, &name, &key, &country, &lv).await.map_err(refused)?;
            println!(
                "{} {}: {} keys, may hold up to {} releasable to {}.",
                if new_key { "Trusted a key of" } else { "Updated" },
                peer.name,
                peer.keys.len(),
                peer.level,
                peer.release
            );
        }
        ExchangeCommand::Peer(PeerCommand::List) => {
            let peers = exchange::peers(&app).await.map_err(refused)?;
            if let Some(me) = exchange::identity(&app).await.map_err(refused)? {
                println!("This installation: {} (accredited to {}), key {}", me.name, me.accreditation, me.public_key);
            }
            if peers.is_empty() {
                println!("No peers yet. Add one with `liaison exchange peer add`.");
            }
            for p in peers {
                println!("{}\t{}\t{}\t{} keys: {}", p.name, p.release, p.level, p.keys.len(), p.keys.join(", "));
            }
        }
        ExchangeCommand::Export { plan, to, out, full, key_file } => {
            if let Some(path) = &out
                && path.exists()
            {
                bail!("{} exists: a bundle file is never overwritten", path.display());
            }
            let key = read_key(&key_file)?;
            let started = std::time::Instant::now();
            let e = exchange::export(&app, &ctx, &key, &plan, &to, full, out.is_none()).await.map_err(refused)?;
            let m = &e.manifest;
            println!(
                "Bundle #{} of {} for {}: {} records{}, {} files; {} held back by open conflicts.",
                m.seq,
                m.plan_code,
                m.target,
                m.records.len(),
                if m.since > 0 { format!(" changed since #{} (acknowledged)", m.since) } else { String::new() },
                m.files.len(),
                m.held_back.len()
            );
            for (k, n) in &e.by_kind {
                println!("  {k}: {n}");
            }
            for (mk, n) in &e.by_marking {
                println!("  {mk}: {n}");
            }
            match &out {
                Some(path) => {
                    let tmp = path.with_extension("partial");
                    write_new(&tmp, &e.bytes, false)?;
                    std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
                    println!(
                        "Written to {} ({} bytes, payload SHA-256 {}) in {} ms.",
                        path.display(),
                        e.bytes.len(),
                        e.payload_sha256,
                        started.elapsed().as_millis()
                    );
                }
                None => println!("Preview only: nothing was written or recorded. Give --out FILE to make the bundle."),
            }
        }
        ExchangeCommand::Import { file, apply, max_bytes } => {
            let size = std::fs::metadata(&file).with_context(|| format!("reading {}", file.display()))?.len();
            if size > max_bytes {
                eprintln!("refused: {} is {size} bytes; bundles are limited to {max_bytes} bytes (--max-bytes)", file.display());
                return Ok(ExitCode::from(1));
            }
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let started = std::time::Instant::now();
            let r = match exchange::import(&app, &ctx, &bytes, max_bytes, apply).await {
                Ok(r) => r,
                Err(ExchangeError::Refused(m)) => {
                    eprintln!("refused: {m}");
                    eprintln!("Nothing was changed.");
                    return Ok(ExitCode::from(1));
                }
                Err(ExchangeError::App(e)) => return Err(explain(e)),
            };
            if r.already {
                println!("Bundle #{} from {} was applied before: nothing changed.", r.seq, r.from);
                return Ok(ExitCode::SUCCESS);
            }
            let list = |m: &std::collections::BTreeMap<String, usize>| {
                if m.is_empty() { "none".to_string() } else { m.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ") }
            };
            println!("Bundle #{} from {}, checked: signature, target, sequence, hashes and markings.", r.seq, r.from);
            println!("  created: {}", list(&r.created));
            println!("  updated: {}", list(&r.updated));
            println!("  unchanged: {}; files: {}; history entries: {}", r.unchanged, r.files, r.history);
            for msg in &r.refused {
                println!("  refused record: {msg}");
            }
            for (kind, id, c) in &r.conflicts {
                println!("  conflict: {kind} {id} field {}: here {} / {} there", c.field, c.local, c.remote);
            }
            if apply {
                println!(
                    "Applied in {} ms.{}",
                    started.elapsed().as_millis(),
                    if r.conflicts.is_empty() { "" } else { " Settle the conflicts with `liaison exchange settle`." }
                );
            } else {
                println!("Preview only: nothing was changed. Run again with --apply to apply it.");
            }
        }
        ExchangeCommand::Conflicts { all } => {
            let list = exchange::conflicts(&app, all).await.map_err(refused)?;
            if list.is_empty() {
                println!("No {}conflicts.", if all { "" } else { "open " });
            }
            for c in list {
                println!(
                    "{}\t{}\t{} {}\t{}\there: {}\tthere: {}\t(bundle #{} from {})",
                    c.id, c.state, c.kind, c.entity_id, c.field, c.local, c.remote, c.seq, c.peer
                );
            }
        }
        ExchangeCommand::Settle { id, keep } => {
            exchange::settle(&app, &ctx, id, &keep).await.map_err(refused)?;
            println!(
                "Settled: {} value kept. The record goes in the next bundle to the peer.",
                if keep == "local" { "this side's" } else { "the other side's" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
