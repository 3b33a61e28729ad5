//! Liaison's use cases: one function per thing a user does, and nothing else.
//!
//! Every function takes a [`Ctx`] (who is acting, from where, in which request) and checks
//! the access policy of `liaison_domain::access` before anything else: a record the actor may
//! not see is [`AppError::NotFound`], exactly like a missing one. Reads go through the
//! actor's reader ([`App::read`]; inside a write `tx.read(filter)`), which applies the whole
//! policy in SQL; the checks a write makes on what it is about to change, sign-in and the jobs
//! read through [`App::unfiltered`] / `tx.unfiltered()`, the one named bypass. Writes run in
//! one transaction with their Change rows, each edited version saved by `versioned` (private).
//!
//! Where things are: one module per feature (`plans`, `items`, `progress`, `assistance` …);
//! the read models that pages show, with the actor's `may_*` flags, in [`views`]; the shared
//! reporting helpers (lead chain, periods, locks, evidence) in `reporting`; the implementation
//! report for every format in [`report`]; sign-in in [`auth`] (password, session, token).
//! Refusals are named by code ([`liaison_domain::Refusal`]) and problems by field and code;
//! notifications are written through `liaison-i18n` in the recipient's language.
//!
//! What the use cases need from the outside world comes in through the ports of
//! `liaison_domain::ports`, handed over in [`Ports`] when the [`App`] is made: the clock, the
//! randomness, password hashing, the photo codec and the mailer. Their implementations (argon2,
//! the image codecs, SMTP) are in `liaison-adapters`, which this crate does not depend on; the
//! demo partnership is loaded by `liaison-demo` through these use cases.

pub mod activities;
pub mod assessments;
pub mod assistance;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod calendar;
pub mod comments;
pub mod decisions;
pub mod directory;
pub mod exchange;
pub mod exports;
pub mod history;
pub mod iati;
pub mod imports;
pub mod indicators;
pub mod items;
pub mod notifications;
pub mod organisations;
pub mod photos;
pub mod plans;
pub mod portal;
pub mod portfolio;
pub mod progress;
pub mod report;
mod reporting;
pub mod search;
pub mod stories;
pub mod summary;
pub mod users;
mod versioned;
pub mod views;

use liaison_domain::access::{Action, ReadFilter, ReleaseGroups, Subject, Target, Verdict};
use liaison_domain::change::Provenance;
use liaison_domain::marking::{Marking, Scheme};
use liaison_domain::page::{DEFAULT_LIMIT, MAX_LIMIT};
use liaison_domain::ports::{Clock, Entropy, Mailer, PasswordHasher, PhotoCodec};
use liaison_domain::user::User;
use liaison_domain::{Refusal, Timestamp, UserId, ValidationErrors};
use liaison_store::{Db, Reader, StoreError, Tx};
use std::sync::Arc;
use std::time::Duration;

/// Why a use case did not happen. The web layer maps each to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token (401).
    #[error("sign-in required")]
    Unauthenticated,
    /// Wrong e-mail or password, or an account that may not sign in (401, one message for all).
    #[error("the e-mail address or password is not right")]
    BadCredentials,
    /// Missing, or hidden from the actor (404, the same answer for both).
    #[error("not found")]
    NotFound,
    /// Visible, but the actor may not do this (403), and why.
    #[error("forbidden: {0}")]
    Forbidden(Refusal),
    /// The input breaks a rule (422), per field.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The record changed since the version the actor edited (412).
    #[error("the record has changed since version {expected}; it is now at version {current}")]
    Stale { expected: i64, current: i64 },
    /// The record is in a state that does not allow this (409), e.g. a locked period, and why.
    #[error("conflict: {0}")]
    Conflict(Refusal),
    /// Too many attempts (429).
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// Storage failed (500); the detail is logged, never shown.
    #[error("internal error")]
    Internal(String),
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale { current } => AppError::Stale { expected: current - 1, current },
            StoreError::Conflict(what) => AppError::Invalid(ValidationErrors::coded(field_of_conflict(&what), "taken", &[])),
            StoreError::OwnedByPeer { kind, .. } => AppError::Conflict(Refusal::new("owned-by-peer").arg("kind", kind)),
            other => AppError::Internal(other.to_string()),
        }
    }
}

fn field_of_conflict(what: &str) -> String {
    if what.contains(' ') { String::new() } else { what.to_string() }
}

pub type Result<T> = std::result::Result<T, AppError>;

/// Installation settings the use cases need.
#[derive(Clone, Debug)]
pub struct AppConfig {
    pub scheme: Scheme,
    pub release_groups: ReleaseGroups,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: Duration,
    /// Failed sign-ins before an account is locked for a while.
    pub lockout_threshold: i32,
    /// First lockout; each further failure doubles it, up to `lockout_max`.
    pub lockout_base: Duration,
    pub lockout_max: Duration,
    /// Argon2id memory cost in KiB (19 MiB by default, as OWASP advises), for the password
    /// hasher the program builds (`liaison_adapters::Argon2Hasher`).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    /// Whether notifications are also sent by email (SMTP configured).
    pub email: bool,
    /// The sender of notification emails.
    pub mail_from: String,
    /// The workspace's address, for links in emails, e.g. `https://liaison.example`.
    pub public_url: String,
    /// Largest file accepted as an attachment, in bytes.
    pub max_upload_bytes: u64,
    /// Who is asked for a second factor at sign-in.
    pub second_factor: liaison_domain::second_factor::Policy,
    /// The issuer shown in authenticator apps next to the account's e-mail.
    pub totp_issuer: String,
    /// Single sign-on providers (by name) whose unknown accounts with a verified e-mail address
    /// get a Liaison account on first sign-in, in this organisation (its short name): cleared
    /// PUBLIC, with no role, until an administrator gives them more.
    pub sso_new_accounts: std::collections::BTreeMap<String, String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            scheme: Scheme::Nato,
            release_groups: ReleaseGroups::default(),
            session_idle: Duration::from_secs(60 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            lockout_threshold: 5,
            lockout_base: Duration::from_secs(60),
            lockout_max: Duration::from_secs(60 * 60),
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            email: false,
            mail_from: "liaison@localhost".into(),
            public_url: "http://127.0.0.1:8080".into(),
            max_upload_bytes: liaison_domain::attachment::DEFAULT_MAX_BYTES,
            second_factor: liaison_domain::second_factor::Policy::default(),
            totp_issuer: "Liaison".into(),
            sso_new_accounts: std::collections::BTreeMap::new(),
        }
    }
}

/// What the use cases need from the outside world (see `liaison_domain::ports`); the program
/// and the test suites build them (`liaison-adapters` has the real ones).
#[derive(Clone)]
pub struct Ports {
    pub clock: Arc<dyn Clock>,
    pub entropy: Arc<dyn Entropy>,
    /// Slow: run off the async threads ([`auth::hash_password`]).
    pub hasher: Arc<dyn PasswordHasher>,
    /// Slow: run off the async threads, one at a time ([`photos::process_limited`]).
    pub photos: Arc<dyn PhotoCodec>,
    /// `None` when notifications are not emailed (no relay configured).
    pub mailer: Option<Arc<dyn Mailer>>,
    /// The OpenID providers people may sign in with (none: passwords only).
    pub identity_providers: Vec<Arc<dyn liaison_domain::ports::IdentityProvider>>,
    /// The WebAuthn relying party (none: no passkeys, e.g. no domain name to be one for).
    pub passkeys: Option<Arc<dyn liaison_domain::ports::PasskeyRelyingParty>>,
}

/// Everything the use cases share.
#[derive(Clone)]
pub struct App {
    /// Private: the use cases read through readers for their actor ([`App::read`]) and write
    /// in transactions ([`App::begin`]); nothing outside this crate reaches the database.
    db: Db,
    pub clock: Arc<dyn Clock>,
    pub entropy: Arc<dyn Entropy>,
    pub(crate) hasher: Arc<dyn PasswordHasher>,
    pub(crate) photos: Arc<dyn PhotoCodec>,
    pub(crate) mailer: Option<Arc<dyn Mailer>>,
    pub(crate) identity_providers: Arc<Vec<Arc<dyn liaison_domain::ports::IdentityProvider>>>,
    /// The WebAuthn relying party; `None` when this installation offers no passkeys.
    pub(crate) passkeys: Option<Arc<dyn liaison_domain::ports::PasskeyRelyingParty>>,
    pub config: Arc<AppConfig>,
    /// A hash to verify against when an account does not exist, so that unknown accounts
    /// and wrong passwords take the same time.
    dummy_hash: Arc<String>,
    pub(crate) caches: Arc<Caches>,
}

/// The read caches (see [`cache`]).
pub(crate) struct Caches {
    pub actors: cache::GenCache<Arc<auth::AuthEntry>>,
    pub plans: cache::GenCache<Arc<liaison_domain::plan::Plan>>,
    pub item_pages: cache::GenCache<Arc<cache::Shared<liaison_domain::page::Page<liaison_domain::item::Item>>>>,
    pub summaries: cache::VersionedCache<Arc<summary::Summary>>,
    pub portals: cache::VersionedCache<Arc<portal::Overview>>,
    /// Each plan's items as a reader may see them (pages and read models only).
    pub plan_items: cache::VersionedCache<Arc<Vec<liaison_domain::item::Item>>>,
    /// Each plan's portfolio figures, per reader's filter and day.
    pub portfolio: cache::VersionedCache<Arc<portfolio::Computed>>,
    pub plan_indicators: cache::PlanData<Vec<liaison_domain::indicator::Indicator>>,
    pub plan_measurements: cache::PlanData<summary::Measured>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            actors: cache::GenCache::new(4096),
            plans: cache::GenCache::new(1024),
            item_pages: cache::GenCache::new(2048),
            summaries: cache::VersionedCache::new(256),
            portals: cache::VersionedCache::new(64),
            portfolio: cache::VersionedCache::new(4096),
            // 500 items a plan at alliance scale: about 16 MB when full.
            plan_items: cache::VersionedCache::new(32),
            plan_indicators: cache::PlanData::new(64),
            plan_measurements: cache::PlanData::new(64),
        }
    }
}

impl App {
    /// The use cases on `db`, with the installation's settings and the outside world's ports.
    /// Makes the hash that sign-ins for unknown accounts are checked against (blocking: argon2
    /// at the configured cost), so that they take as long as wrong passwords from the start.
    pub fn with_ports(db: Db, config: AppConfig, ports: Ports) -> App {
        let Ports { clock, entropy, hasher, photos, mailer, identity_providers, passkeys } = ports;
        let dummy = hasher.hash(&hex::encode(entropy.secret_bytes())).unwrap_or_default();
        let identity_providers = Arc::new(identity_providers);
        App {
            db,
            clock,
            entropy,
            hasher,
            photos,
            mailer,
            identity_providers,
            passkeys,
            config: Arc::new(config),
            dummy_hash: Arc::new(dummy),
            caches: Arc::default(),
        }
    }

    /// The same installation and ports on another clock, with read caches of its own: the demo
    /// loader replays history with it.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> App {
        App { clock, caches: Arc::default(), ..self.clone() }
    }

    /// Whether notifications are emailed (a mailer is configured).
    pub fn sends_email(&self) -> bool {
        self.mailer.is_some()
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn new_id(&self) -> uuid::Uuid {
        self.entropy.new_id(self.now())
    }

    /// Begin a write transaction.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(self.db.begin().await?)
    }

    /// Reads for the actor of `ctx`: every read applies the whole access policy.
    pub(crate) fn read(&self, ctx: &Ctx) -> Reader<'_> {
        self.db.read(ctx.actor.filter())
    }

    /// Reads with a given filter (the public portal's, a recipient's).
    pub(crate) fn read_with(&self, filter: ReadFilter) -> Reader<'_> {
        self.db.read(filter)
    }

    /// Reads that see everything: system work only (authentication before there is an actor,
    /// jobs, cache keys, the command line's lookups). Every bypass of the policy is a call of this.
    pub(crate) fn unfiltered(&self) -> Reader<'_> {
        self.db.unfiltered()
    }

    /// Watch the database for writes by other servers, so that this server's read caches follow
    /// them within `every`. Runs until the handle is aborted.
    pub fn watch_changes(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        self.db.watch_changes(every)
    }

    /// The data generation: equal values mean nothing was written in between (read caches key
    /// on it; see `Db::generation`).
    pub(crate) fn generation(&self) -> u64 {
        self.db.generation()
    }

    /// The generation of accounts, organisations, roles and tokens (the signed-in cache keys on it).
    pub(crate) fn auth_generation(&self) -> u64 {
        self.db.auth_generation()
    }

    /// The database itself: for this crate, and for tests (feature `testing`) that set up or
    /// damage data directly. Nothing else reaches it.
    #[cfg(feature = "testing")]
    pub fn db(&self) -> &Db {
        &self.db
    }

    #[cfg(not(feature = "testing"))]
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Close the database connections.
    pub async fn close(self) {
        self.db.close().await;
    }

    /// Whether the database answers and its schema is the one this program expects.
    pub async fn readiness(&self) -> std::result::Result<(), String> {
        self.db.ping().await.map_err(|_| "database unreachable".to_string())?;
        let at = liaison_store::migrate::current(&self.db).await.map_err(|_| "schema unreadable".to_string())?;
        let want = liaison_store::migrate::latest();
        if at == want { Ok(()) } else { Err(format!("schema at version {at}, expected {want}")) }
    }

    /// Database connections open and idle, per pool (for `/metrics`).
    pub fn pool_use(&self) -> [(&'static str, u32, usize); 2] {
        self.db.pool_use()
    }

    /// The schema version this program expects.
    pub fn schema_version() -> i64 {
        liaison_store::migrate::latest()
    }

    /// The default marking of new records: the lowest non-public level, by `originator`.
    pub fn default_marking(&self, originator: &str) -> Marking {
        Marking { level: self.config.scheme.default_level(), releasable_to: Default::default(), originator: originator.into() }
    }
}

/// Who is acting.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A signed-in user, with what the policy needs to know about them.
    User { user: Box<User>, subject: Box<Subject>, view: std::sync::Arc<View> },
    /// The program itself (command line, demo loader, migrations): allowed everything.
    System,
}

/// What a signed-in user may read, worked out once when the actor is made: the read filter
/// and its text form, the key of the read caches (readers with equal filters share entries).
#[derive(Clone, Debug)]
pub struct View {
    filter: ReadFilter,
    key: String,
}

impl View {
    fn of(filter: ReadFilter) -> View {
        let key = format!("{filter:?}");
        View { filter, key }
    }
}

impl Actor {
    /// The actor of a signed-in user with what the policy needs to know about them.
    pub fn signed_in(user: User, subject: Subject) -> Actor {
        let view = std::sync::Arc::new(View::of(subject.read_filter()));
        Actor::User { user: Box::new(user), subject: Box::new(subject), view }
    }

    /// The key of this actor's read filter in the read caches.
    pub fn filter_key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Actor::User { view, .. } => std::borrow::Cow::Borrowed(view.key.as_str()),
            Actor::System => std::borrow::Cow::Owned(format!("{:?}", ReadFilter::everything())),
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::User { user, .. } => Some(user.id),
            Actor::System => None,
        }
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            Actor::User { user, .. } => Some(user),
            Actor::System => None,
        }
    }

    pub fn subject(&self) -> Option<&Subject> {
        match self {
            Actor::User { subject, .. } => Some(subject),
            Actor::System => None,
        }
    }

    /// The read rule for this actor.
    pub fn filter(&self) -> ReadFilter {
        match self {
            Actor::User { view, .. } => view.filter.clone(),
            Actor::System => ReadFilter::everything(),
        }
    }

    pub fn decide(&self, action: Action, target: Target<'_>) -> Verdict {
        match self {
            Actor::User { subject, .. } => subject.decide(action, target),
            Actor::System => Verdict::Allow,
        }
    }

    /// `Ok` if allowed; `NotFound` if hidden; `Forbidden` if visible but not allowed.
    pub fn require(&self, action: Action, target: Target<'_>) -> Result<()> {
        match self.decide(action, target) {
            Verdict::Allow => Ok(()),
            Verdict::Hide => Err(AppError::NotFound),
            Verdict::Forbid => Err(AppError::Forbidden(forbidden_message(action))),
        }
    }

    /// Whether this actor could still see a record of `plan` with `marking`.
    pub fn clears(&self, marking: &Marking) -> bool {
        self.filter().admits_marking(marking)
    }
}

/// The refusal of an action the actor's role does not allow: `refusal-role-forbids`, with the
/// action's code.
fn forbidden_message(action: Action) -> Refusal {
    Refusal::new("role-forbids").arg("action", action.code())
}

/// One request: who, from where, which request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub actor: Actor,
    pub request_id: String,
    pub source: String,
}

impl Ctx {
    /// The program itself, e.g. the command line.
    pub fn system(purpose: &str) -> Ctx {
        Ctx { actor: Actor::System, request_id: purpose.to_string(), source: "local".to_string() }
    }

    pub fn provenance(&self, at: Timestamp) -> Provenance {
        Provenance { actor: self.actor.user_id(), at, request_id: self.request_id.clone(), source: self.source.clone() }
    }
}

/// A list request's paging: how many, and after which cursor.
#[derive(Clone, Debug, Default)]
pub struct Paging {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl Paging {
    /// The page size, checked.
    pub fn limit(&self) -> Result<u32> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(l) if (1..=MAX_LIMIT).contains(&l) => Ok(l),
            Some(_) => Err(AppError::Invalid(ValidationErrors::coded("limit", "out_of_range", &[("max", &MAX_LIMIT.to_string())]))),
        }
    }

    /// The cursor decoded into `n` parts, or a 422 naming the cursor.
    pub fn cursor_parts(&self, n: usize) -> Result<Option<Vec<String>>> {
        match &self.cursor {
            None => Ok(None),
            Some(c) => liaison_store::cursor::decode(c, n).map(Some).ok_or_else(|| AppError::Invalid(ValidationErrors::coded("cursor", "invalid", &[]))),
        }
    }

    /// A one-part cursor holding an id.
    pub fn cursor_id(&self) -> Result<Option<uuid::Uuid>> {
        match self.cursor_parts(1)? {
            None => Ok(None),
            Some(p) => uuid::Uuid::try_parse(&p[0]).map(Some).map_err(|_| AppError::Invalid(ValidationErrors::coded("cursor", "invalid", &[]))),
        }
    }

    /// A one-part cursor holding a sequence number.
    pub fn cursor_seq(&self) -> Result<Option<i64>> {
        match self.cursor_parts(1)? {
            None => Ok(None),
            Some(p) => p[0].parse().map(Some).map_err(|_| AppError::Invalid(ValidationErrors::coded("cursor", "invalid", &[]))),
        }
    }
}

/// Check that the caller edited the version that is stored.
pub fn check_version(expected: i64, current: i64) -> Result<()> {
    if expected == current { Ok(()) } else { Err(AppError::Stale { expected, current }) }
}

/// A value as it goes into a Change row.
pub fn snapshot<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
