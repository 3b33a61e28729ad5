//! `liaison copy`, `backup` and `restore`: one engine ([`liaison_store::copy`]) moving a whole
//! database into an empty one, then checking the target's audit chain and counts.

use crate::config::Settings;
use anyhow::{Context, Result, anyhow, bail};
use liaison_store::copy::{CopyOptions, Counts};
use liaison_store::{Db, DbOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn options(settings: &Settings, url: &str) -> DbOptions {
    DbOptions { url: url.to_string(), ..settings.db_options() }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The file of an `sqlite://` URL, if it is one.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.trim().strip_prefix("sqlite://").or_else(|| url.trim().strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (path != ":memory:" && !path.is_empty()).then(|| PathBuf::from(path))
}

async fn connect(settings: &Settings, url: &str, what: &str) -> Result<Db> {
    Db::connect(&options(settings, url)).await.with_context(|| format!("opening the {what} database {}", liaison_store::redact_url(url)))
}

/// Copy with a progress bar; then check the target's chain (and, unless `index` is false,
/// build its search index). Prints the counts.
async fn copy_with_checks(settings: &Settings, from: &Db, to: Db, opts: CopyOptions, index: bool) -> Result<Counts> {
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})").unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()));
    let counts = liaison_store::copy::copy(from, &to, opts, |table, n| bar.set_message(format!("{table}: {n} rows"))).await.map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    let copied = started.elapsed();
    let app = crate::make_app(to, settings)?;
    let v = liaison_app::audit::verify(&app, |_, _| {}).await.map_err(|e| anyhow!("{e}"))?;
    if let Some(f) = v.fault {
        bail!("the copy's audit trail does not verify: {f}");
    }
    if index {
        liaison_app::search::reindex(&app, |_| {}).await.map_err(|e| anyhow!("building the search index: {e}"))?;
    }
    let total: u64 = counts.values().sum();
    println!("Copied {total} rows in {:.1} s; the audit trail verifies ({} changes).", copied.as_secs_f64(), v.rows);
    for (table, n) in counts.iter().filter(|(_, n)| **n > 0) {
        println!("  {table:<20} {n:>10}");
    }
    Ok(counts)
}

/// `liaison copy --from URL --to URL [--sessions]`.
pub async fn copy(settings: &Settings, from: &str, to: &str, sessions: bool) -> Result<ExitCode> {
    if let Some(f) = sqlite_file(from)
        && !f.exists()
    {
        bail!("{} does not exist", f.display());
    }
    if from.trim() == to.trim() {
        bail!("--from and --to name the same database");
    }
    let source = connect(settings, from, "source").await?;
    let target = connect(settings, to, "target").await?;
    copy_with_checks(settings, &source, target, CopyOptions { sessions }, true).await?;
    Ok(ExitCode::SUCCESS)
}

/// `liaison backup --out FILE`: the database of `--database` into a new SQLite file, written
/// beside it and renamed into place only once complete.
pub async fn backup(settings: &Settings, out: &Path) -> Result<ExitCode> {
    if out.exists() {
        bail!("{} exists; a backup never overwrites a file", out.display());
    }
    let name = out.file_name().ok_or_else(|| anyhow!("{} names no file", out.display()))?.to_string_lossy().into_owned();
    let partial = out.with_file_name(format!(".{name}.partial"));
    remove_sqlite(&partial);
    let source = crate::open(settings).await?;
    let target = connect(settings, &sqlite_url(&partial), "backup").await?;
    let result = copy_with_checks(settings, &source, target, CopyOptions::default(), false).await;
    if let Err(e) = result {
        remove_sqlite(&partial);
        return Err(e);
    }
    // Fold the write-ahead log into the file, so that the backup is one file.
    {
        let db = connect(settings, &sqlite_url(&partial), "backup").await?;
        db.finish_file().await.map_err(|e| anyhow!("{e}"))?;
    }
    std::fs::rename(&partial, out).with_context(|| format!("moving the backup to {}", out.display()))?;
    remove_sqlite(&partial);
    println!("The backup is {} ({} bytes).", out.display(), std::fs::metadata(out).map(|m| m.len()).unwrap_or(0));
    Ok(ExitCode::SUCCESS)
}

/// `liaison restore FILE`: a backup into the empty database of `--database`. A backup made by an
/// earlier Liaison is migrated first (on a copy; the file is not changed).
pub async fn restore(settings: &Settings, file: &Path) -> Result<ExitCode> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(file).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head));
    if read.is_err() || &head != b"SQLite format 3\0" {
        bail!("{} is not a Liaison backup (an SQLite file)", file.display());
    }
    let dir = tempfile::tempdir().context("making a working directory")?;
    let work = dir.path().join("backup.db");
    std::fs::copy(file, &work).with_context(|| format!("reading {}", file.display()))?;
    let source = connect(settings, &sqlite_url(&work), "backup").await?;
    let at = liaison_store::migrate::current(&source).await?;
    if at == 0 {
        bail!("{} holds no Liaison database", file.display());
    }
    liaison_store::migrate::run(&source).await.context("bringing the backup to this Liaison's schema")?;
    let target = connect(settings, &settings.database, "target").await?;
    copy_with_checks(settings, &source, target, CopyOptions::default(), true).await?;
    Ok(ExitCode::SUCCESS)
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}
