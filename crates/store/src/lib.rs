//! Liaison's storage: SQLite (embedded default) and PostgreSQL through one code path.
//!
//! * [`Db`] holds the connections. On SQLite, writes go through one dedicated connection and
//!   begin with `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing with
//!   "database is locked"; reads use a pool. On PostgreSQL one pool serves both.
//! * [`Tx`] is a write transaction. Use cases record [`ChangeDraft`]s on it; [`Tx::commit`]
//!   chains them onto the audit trail and commits everything at once, so a mutation and its
//!   Change rows are never separated.
//! * The repository modules read and write one kind of record each. Every read takes a
//!   [`Reader`]: obtained for a person's [`ReadFilter`] with [`Db::read`] or [`Tx::read`], it
//!   applies the whole access policy in SQL ([`filter`]), so a hidden record is simply absent.
//!   System work takes the one separately named entry, [`Db::unfiltered`] / [`Tx::unfiltered`].
//!   Writes take the [`Tx`] they belong to. No SeaORM or sqlx type appears in this crate's
//!   public signatures: what is stored, and how, stays here.

pub mod activities;
pub mod areas;
pub mod assessments;
pub mod assistance;
pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod changes;
pub mod comments;
pub mod copy;
pub mod cursor;
pub mod decisions;
mod entity;
pub mod exchange;
mod filter;
pub mod frameworks;
pub mod imports;
pub mod indicators;
pub mod items;
pub mod links;
pub mod memberships;
pub mod migrate;
pub mod notifications;
pub mod organisations;
pub mod plans;
pub mod progress;
mod reader;
mod row;
pub mod search;
pub mod second_factor;
pub mod sso;
pub mod stories;
pub mod users;
pub mod versions;

#[cfg(feature = "testing")]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support only: a broken test database should stop the test loudly
pub mod testing;

use liaison_domain::change::{Change, ChangeDraft, GENESIS_HASH, Provenance};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, SqlxPostgresConnector, SqlxSqliteConnector, Statement,
    TransactionOptions, TransactionTrait,
};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use uuid::Uuid;

use liaison_domain::access::ReadFilter;
pub use reader::Reader;
use std::borrow::Cow;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The record changed since the version the caller edited.
    #[error("the record has changed (now at version {current})")]
    Stale { current: i64 },
    /// A uniqueness rule was broken by a concurrent write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Stored data does not make sense (never caused by user input).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("the database schema is newer than this program: {0}")]
    SchemaTooNew(String),
    /// An operation that would lose or mix data (a copy into a database that holds records).
    #[error("{0}")]
    Refused(String),
    /// The record came from another installation, which owns it: it is read-only here.
    #[error("this {kind} came from another installation, which owns it: it is read-only here")]
    OwnedByPeer { kind: String, id: Uuid },
    #[error("unsupported database URL: {0}")]
    BadUrl(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The provenance source of the exchange's import, the one writer of records peers own.
pub const EXCHANGE_SOURCE: &str = "exchange";

/// Storage settings.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Most pooled connections (readers on SQLite, all on PostgreSQL).
    pub max_connections: u32,
    /// SQLite: `FULL` makes every commit durable on power loss; `NORMAL` (default) may lose
    /// the last commits on power loss but never corrupts the database.
    pub sqlite_synchronous_full: bool,
    /// How long a writer waits for the lock before giving up.
    pub busy_timeout: Duration,
}

impl DbOptions {
    pub fn new(url: &str) -> DbOptions {
        DbOptions { url: url.to_string(), max_connections: 16, sqlite_synchronous_full: false, busy_timeout: Duration::from_secs(10) }
    }
}

/// Which database the URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a read pool and a writer.
#[derive(Clone)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    backend: Backend,
    /// SQLite: one writer at a time in this process (the writer pool holds one connection).
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Move whenever data may have changed: after every commit here, and when the watcher
    /// sees the audit head move (a write by another process). Read caches key on them.
    generations: Arc<Generations>,
    /// SQLite: the audit head as this process last wrote it, so that a write need not read
    /// it first. A write by another process makes it stale, which the primary key on the
    /// sequence number reveals (the insert fails and the head is read again).
    head: Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

/// Two counters: any data, and what a signed-in user's identity depends on (accounts,
/// organisations, roles, tokens), so that editing an item does not drop every cached sign-in.
#[derive(Default)]
pub struct Generations {
    data: AtomicU64,
    auth: AtomicU64,
}

/// Change rows written in one statement when a transaction commits (see [`Tx::commit`]).
pub const CHAIN_CHUNK: usize = 500;

/// Kinds of record whose change can alter who a signed-in user is or what they may do.
pub const AUTH_ENTITIES: &[&str] = &["user", "membership", "organisation", "api_token"];

impl Generations {
    fn bump(&self, auth: bool) {
        self.data.fetch_add(1, Ordering::AcqRel);
        if auth {
            self.auth.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Where a URL points, for messages: the URL without any password.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Db {
    /// Connect (creating an SQLite file if needed). Does not migrate; see [`migrate::run`].
    pub async fn connect(opts: &DbOptions) -> Result<Db> {
        let url = opts.url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections.max(2))
                .acquire_timeout(opts.busy_timeout)
                .connect(url)
                .await
                .map_err(|e| StoreError::Db(DbErr::Conn(sea_orm::RuntimeErr::Internal(format!("cannot connect to {}: {e}", redact_url(url))))))?;
            let conn = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
            return Ok(Db { read: conn.clone(), write: conn, backend: Backend::Postgres, write_lock: None, generations: Arc::default(), head: Arc::default() });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| StoreError::BadUrl(format!("{url:?}: use sqlite://FILE or postgres://…")))?;
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return Err(StoreError::BadUrl("the sqlite URL names no file".into()));
        }
        let in_memory = path == ":memory:";
        let base = if in_memory {
            SqliteConnectOptions::from_str("sqlite::memory:").map_err(|e| StoreError::BadUrl(e.to_string()))?
        } else {
            SqliteConnectOptions::new().filename(path).create_if_missing(true)
        };
        let base = base
            .journal_mode(if in_memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
            .synchronous(if opts.sqlite_synchronous_full { SqliteSynchronous::Full } else { SqliteSynchronous::Normal })
            .foreign_keys(true)
            .busy_timeout(opts.busy_timeout)
            // Reads map the file (256 MiB) instead of copying pages into each connection's own
            // cache: the search index and large plans are read by many connections at once.
            .pragma("mmap_size", if in_memory { "0" } else { "268435456" });
        let cannot = |e: sea_orm::sqlx::Error| StoreError::Db(DbErr::Conn(sea_orm::RuntimeErr::Internal(format!("cannot open {path}: {e}"))));
        // The writer first, so that the file exists (and WAL is set) before readers open it.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(opts.busy_timeout)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(base.clone())
            .await
            .map_err(cannot)?;
        let write = SqlxSqliteConnector::from_sqlx_sqlite_pool(writer.clone());
        let read = if in_memory {
            write.clone()
        } else {
            let readers = SqlitePoolOptions::new()
                .max_connections(opts.max_connections.max(2))
                .acquire_timeout(opts.busy_timeout)
                .connect_with(base)
                .await
                .map_err(cannot)?;
            SqlxSqliteConnector::from_sqlx_sqlite_pool(readers)
        };
        Ok(Db {
            read,
            write,
            backend: Backend::Sqlite,
            write_lock: Some(Arc::new(tokio::sync::Mutex::new(()))),
            generations: Arc::default(),
            head: Arc::default(),
        })
    }

    /// The data generation: equal values mean nothing was written in between (as far as this
    /// process knows; see [`Db::watch_changes`] for writes by other processes).
    pub fn generation(&self) -> u64 {
        self.generations.data.load(Ordering::Acquire)
    }

    /// The generation of accounts, organisations, roles and tokens.
    pub fn auth_generation(&self) -> u64 {
        self.generations.auth.load(Ordering::Acquire)
    }

    /// Note that data (and, if `auth`, identities) may have changed.
    pub fn bump_generation(&self, auth: bool) {
        self.generations.bump(auth);
    }

    /// Watch the audit head for writes made by other processes (other servers on the same
    /// PostgreSQL, or another program on the same SQLite file) and move the generation when
    /// it changes. Every mutation writes a Change row, so the head moves with every write.
    pub fn watch_changes(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let db = self.clone();
        tokio::spawn(async move {
            let mut last: Option<i64> = None;
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match changes::head(&db.unfiltered()).await {
                    Ok((seq, _)) => {
                        if let Some(l) = last.filter(|l| *l != seq) {
                            let auth = match changes::entities_since(&db.unfiltered(), l).await {
                                Ok(kinds) => kinds.iter().any(|k| AUTH_ENTITIES.contains(&k.as_str())),
                                Err(_) => true,
                            };
                            db.bump_generation(auth);
                        }
                        last = Some(seq);
                    }
                    Err(e) => tracing::warn!(error = %e, "change watch: cannot read the audit head"),
                }
            }
        })
    }

    /// Finish with the database: on SQLite, fold the write-ahead log into the file and leave
    /// WAL mode, so that the file alone holds everything (a backup); then close.
    pub async fn finish_file(self) -> Result<()> {
        let Db { read, write, backend, .. } = self;
        if backend == Backend::Sqlite {
            // Leaving WAL mode needs the only connection: the readers go first.
            read.close().await?;
            let b = DbBackend::Sqlite;
            write.execute_raw(Statement::from_string(b, "PRAGMA wal_checkpoint(TRUNCATE)")).await?;
            write.execute_raw(Statement::from_string(b, "PRAGMA journal_mode=DELETE")).await?;
        }
        write.close().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Reads for a person: every read applies `filter` (see [`Reader`]).
    pub fn read(&self, filter: ReadFilter) -> Reader<'_> {
        Reader::new(reader::Conn::Pool(&self.read), Cow::Owned(filter))
    }

    /// Reads that see everything, for system work (the command line, jobs, the demo loader).
    pub fn unfiltered(&self) -> Reader<'_> {
        Reader::unfiltered(reader::Conn::Pool(&self.read))
    }

    /// The connection for reads.
    pub(crate) fn pool(&self) -> &DatabaseConnection {
        &self.read
    }

    /// Begin a write transaction. On SQLite this waits for the single writer.
    pub async fn begin(&self) -> Result<Tx> {
        let guard = match &self.write_lock {
            Some(l) => Some(l.clone().lock_owned().await),
            None => None,
        };
        let opts =
            TransactionOptions { sqlite_transaction_mode: (self.backend == Backend::Sqlite).then_some(SqliteTransactionMode::Immediate), ..Default::default() };
        let txn = self.write.begin_with_options(opts).await?;
        Ok(Tx {
            txn,
            drafts: std::sync::Mutex::new(Vec::new()),
            chained: std::sync::Mutex::new(None),
            open_savepoints: std::sync::atomic::AtomicUsize::new(0),
            touched_auth: std::sync::atomic::AtomicBool::new(false),
            backend: self.backend,
            generations: self.generations.clone(),
            head: self.head.clone(),
            _guard: guard,
        })
    }

    /// A single statement outside any audited transaction (session bookkeeping). On SQLite it
    /// queues behind the writer like every write.
    pub(crate) async fn execute_unaudited(&self, stmt: Statement) -> Result<u64> {
        let _guard = match &self.write_lock {
            Some(l) => Some(l.lock().await),
            None => None,
        };
        Ok(self.write.execute_raw(stmt).await?.rows_affected())
    }

    /// Whether the database answers.
    /// Connections open and idle, for the readers' pool and the writer's (one pool on
    /// PostgreSQL, reported twice).
    pub fn pool_use(&self) -> [(&'static str, u32, usize); 2] {
        let of = |c: &DatabaseConnection| match self.backend {
            Backend::Postgres => {
                let p = c.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            Backend::Sqlite => {
                let p = c.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
        };
        let (rs, ri) = of(&self.read);
        let (ws, wi) = of(&self.write);
        [("read", rs, ri), ("write", ws, wi)]
    }

    pub async fn ping(&self) -> Result<()> {
        self.read.ping().await?;
        Ok(())
    }

    pub(crate) fn write_conn(&self) -> &DatabaseConnection {
        &self.write
    }

    pub(crate) fn db_backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }

    /// Close all connections.
    pub async fn close(self) {
        let _ = self.read.close().await;
        if self.backend == Backend::Sqlite {
            let _ = self.write.close().await;
        }
    }
}

/// A write transaction with the Change rows it will chain onto the audit trail.
/// A point inside a transaction to come back to.
#[derive(Debug)]
pub struct Savepoint {
    drafts: usize,
}

pub struct Tx {
    txn: DatabaseTransaction,
    /// Behind a lock so that recording needs only `&self`: a use case can hold a [`Reader`] on
    /// the transaction and record changes while it reads.
    drafts: std::sync::Mutex<Vec<ChangeDraft>>,
    /// The chain's head after the rows [`Tx::flush`] wrote (none flushed yet: `None`).
    chained: std::sync::Mutex<Option<(i64, String)>>,
    open_savepoints: std::sync::atomic::AtomicUsize,
    /// Whether a flushed row was about sign-in (sessions, tokens, accounts).
    touched_auth: std::sync::atomic::AtomicBool,
    backend: Backend,
    generations: Arc<Generations>,
    head: Arc<std::sync::Mutex<Option<(i64, String)>>>,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    /// The connection to run statements on.
    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Reads inside this transaction for a person: every read applies `filter`. A write that
    /// decides on what it read does so here, so that nothing can change in between.
    pub fn read(&self, filter: ReadFilter) -> Reader<'_> {
        Reader::new(reader::Conn::Tx(&self.txn), Cow::Owned(filter))
    }

    /// Reads inside this transaction that see everything: a write's own checks (a code taken
    /// by a hidden item, the children a delete would orphan, the current version).
    pub fn unfiltered(&self) -> Reader<'_> {
        Reader::unfiltered(reader::Conn::Tx(&self.txn))
    }

    /// Record a change to write at commit.
    pub fn record(&self, draft: ChangeDraft) {
        self.drafts.lock().unwrap_or_else(|p| p.into_inner()).push(draft);
    }

    /// Chain the recorded changes onto the audit trail and commit. Returns the written rows.
    ///
    /// The head row serialises the chain. On PostgreSQL it is read `FOR UPDATE`, so it stays
    /// locked until commit and chain order is commit order. On SQLite the transaction already
    /// holds the write lock, and the head this process wrote last is used without reading it;
    /// a trigger moves the stored head with every inserted row.
    pub async fn commit(self, prov: &Provenance) -> Result<Vec<Change>> {
        let drafts = std::mem::take(&mut *self.drafts.lock().unwrap_or_else(|p| p.into_inner()));
        let written = self.chain(drafts, prov).await?;
        let Tx { txn, backend, generations, head, chained, touched_auth, .. } = self;
        txn.commit().await?;
        let last = chained.into_inner().unwrap_or_else(|p| p.into_inner());
        if backend == Backend::Sqlite
            && let Some(last) = last
        {
            *head.lock().unwrap_or_else(|p| p.into_inner()) = Some(last);
        }
        generations.bump(touched_auth.into_inner());
        Ok(written)
    }

    /// Chain the changes recorded so far onto the audit trail now, inside the transaction (they
    /// are kept only if it commits), so that a long write — an import of thousands of records —
    /// holds a bounded number of recorded changes in memory. On PostgreSQL the head row stays
    /// locked from the first flush to the commit. Refused while a savepoint is open (its undo
    /// would not reach rows already written).
    pub async fn flush(&self, prov: &Provenance) -> Result<()> {
        if self.open_savepoints.load(std::sync::atomic::Ordering::SeqCst) != 0 {
            return Err(StoreError::Corrupt("a transaction's changes cannot be flushed inside a savepoint".into()));
        }
        let drafts = std::mem::take(&mut *self.drafts.lock().unwrap_or_else(|p| p.into_inner()));
        self.chain(drafts, prov).await?;
        Ok(())
    }

    /// Seal `drafts` onto the chain (from the head this transaction left, else the database's)
    /// and insert them, [`CHAIN_CHUNK`] rows to a statement.
    async fn chain(&self, drafts: Vec<ChangeDraft>, prov: &Provenance) -> Result<Vec<Change>> {
        let mut written = Vec::with_capacity(drafts.len());
        if drafts.is_empty() {
            return Ok(written);
        }
        if drafts.iter().any(|d| AUTH_ENTITIES.contains(&d.entity)) {
            self.touched_auth.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        // What a peer owns is read-only here: only the exchange's own import may write it.
        if prov.source != EXCHANGE_SOURCE {
            let ids: Vec<Uuid> = drafts.iter().map(|d| d.entity_id).collect();
            let owned = exchange::owned_by_peers(&self.txn, &ids).await?;
            if let Some((id, kind)) = owned.into_iter().find(|(id, kind)| drafts.iter().any(|d| d.entity_id == *id && d.entity == kind)) {
                return Err(StoreError::OwnedByPeer { kind, id });
            }
        }
        let so_far = self.chained.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let first = so_far.is_none();
        let (mut seq, mut prev) = match so_far {
            Some(h) => h,
            None => {
                let cached = if self.backend == Backend::Sqlite { self.head.lock().unwrap_or_else(|p| p.into_inner()).clone() } else { None };
                match cached {
                    Some(h) => h,
                    None => read_head(&self.txn, self.backend).await?,
                }
            }
        };
        let mut retried = false;
        let mut i = 0;
        while i < drafts.len() {
            // A chunk at a time, in one statement each (17 values a row: within every
            // backend's limit on bound parameters).
            let end = (i + CHAIN_CHUNK).min(drafts.len());
            let mut sealed = Vec::with_capacity(end - i);
            let (mut s, mut h) = (seq, prev.clone());
            for d in &drafts[i..end] {
                let c = Change::seal(d.clone(), prov, s + 1, &h);
                s = c.seq;
                h = c.hash.clone();
                sealed.push(c);
            }
            match changes::insert_many(&self.txn, &sealed).await {
                Ok(()) => {
                    (seq, prev) = (s, h);
                    written.extend(sealed);
                    i = end;
                }
                // Another process wrote since this one last did: read the head, start over.
                Err(StoreError::Db(e))
                    if first
                        && i == 0
                        && !retried
                        && self.backend == Backend::Sqlite
                        && matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) =>
                {
                    retried = true;
                    (seq, prev) = read_head(&self.txn, self.backend).await?;
                }
                Err(e) => return Err(e),
            }
        }
        // The search index follows the records these changes name, in this transaction. It runs
        // after the rows are chained: on PostgreSQL the head row is then locked, so the index
        // writes of concurrent transactions take turns and each reads what the one before it
        // committed.
        search::follow(self, &drafts).await?;
        *self.chained.lock().unwrap_or_else(|p| p.into_inner()) = Some((seq, prev));
        Ok(written)
    }

    /// Mark a point to come back to ([`Tx::rollback_to`]): the statements after it, and the
    /// changes recorded after it, can be undone while the rest of the transaction stays.
    pub async fn savepoint(&self) -> Result<Savepoint> {
        let drafts = self.drafts.lock().unwrap_or_else(|p| p.into_inner()).len();
        self.txn.execute_unprepared("SAVEPOINT liaison_sp").await?;
        self.open_savepoints.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(Savepoint { drafts })
    }

    /// Undo what was written and recorded since `sp` (the savepoint stays, to come back to
    /// again).
    pub async fn rollback_to(&self, sp: &Savepoint) -> Result<()> {
        self.txn.execute_unprepared("ROLLBACK TO SAVEPOINT liaison_sp").await?;
        self.drafts.lock().unwrap_or_else(|p| p.into_inner()).truncate(sp.drafts);
        Ok(())
    }

    /// Keep what was done since `sp` and forget the savepoint.
    pub async fn release(&self, sp: Savepoint) -> Result<()> {
        let _ = sp;
        self.txn.execute_unprepared("RELEASE SAVEPOINT liaison_sp").await?;
        self.open_savepoints.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Commit work that is not a change to any record and so leaves no change row: the search
    /// index's own upkeep (its rows follow from records whose changes are on the trail).
    pub(crate) async fn commit_unaudited(self) -> Result<()> {
        self.txn.commit().await?;
        self.generations.bump(false);
        Ok(())
    }

    /// Give up: nothing of this transaction is kept.
    pub async fn rollback(self) -> Result<()> {
        self.txn.rollback().await?;
        Ok(())
    }
}

async fn read_head(txn: &DatabaseTransaction, backend: Backend) -> Result<(i64, String)> {
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    let row = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}")))
        .await?
        .ok_or_else(|| StoreError::Corrupt("the audit chain head is missing".into()))?;
    Ok((row.try_get("", "seq")?, row.try_get("", "hash")?))
}

/// The genesis value of the audit head.
pub(crate) fn genesis() -> &'static str {
    GENESIS_HASH
}

/// Map a unique-constraint violation to [`StoreError::Conflict`].
pub(crate) fn unique(e: DbErr, what: &str) -> StoreError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what.to_string()),
        _ => StoreError::Db(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_removed_from_urls() {
        assert_eq!(redact_url("postgres://liaison:s3cret@db:5432/x"), "postgres://liaison:***@db:5432/x");
        assert_eq!(redact_url("postgres://liaison@db/x"), "postgres://liaison@db/x");
        assert_eq!(redact_url("sqlite://liaison.db"), "sqlite://liaison.db");
    }
}
