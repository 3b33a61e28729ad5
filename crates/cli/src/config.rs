//! Settings: defaults ← `liaison.toml` ← `LIAISON_*` environment ← command-line flags.

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use liaison_app::AppConfig;
use liaison_domain::access::ReleaseGroups;
use liaison_domain::marking::{Scheme, is_release_token};
use liaison_web::WebConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://FILE` (default `sqlite://liaison.db`) or `postgres://…`.
    pub database: String,
    /// Address to listen on.
    pub listen: String,
    /// `nato` or `tlp`.
    pub marking_scheme: String,
    /// Named releasability groups: a group stands for these countries.
    pub release_groups: BTreeMap<String, Vec<String>>,
    /// Set when served over https (directly or behind a proxy): cookies get `Secure`, HSTS is sent.
    pub https: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    pub session_idle_minutes: u64,
    pub session_absolute_hours: u64,
    pub lockout_threshold: i32,
    pub login_attempts_per_minute: u32,
    pub body_limit_kib: usize,
    pub request_timeout_seconds: u64,
    /// The longest import request (upload with its preview, or apply).
    pub import_timeout_seconds: u64,
    /// SQLite durability: `normal` (default) or `full`.
    pub sqlite_synchronous: String,
    /// Most database connections.
    pub max_connections: u32,
    /// Log filter, e.g. `info` or `liaison=debug,info`.
    pub log: String,
    /// Largest evidence file accepted, in MiB.
    pub max_upload_mib: u64,
    /// A plain SMTP relay inside the network (`host:port`) to email notifications through;
    /// empty: notifications are only shown in the workspace.
    pub smtp_relay: String,
    /// The sender of notification emails.
    pub mail_from: String,
    /// The workspace's public address, for links in emails, e.g. `https://liaison.example`.
    pub public_url: String,
    /// Minutes between runs of the reminder job in `serve` (0 turns it off).
    pub reminder_minutes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database: "sqlite://liaison.db".into(),
            listen: "127.0.0.1:8080".into(),
            marking_scheme: "nato".into(),
            release_groups: BTreeMap::new(),
            https: false,
            trust_proxy: false,
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            lockout_threshold: 5,
            login_attempts_per_minute: 20,
            body_limit_kib: 1024,
            request_timeout_seconds: 30,
            import_timeout_seconds: 900,
            sqlite_synchronous: "normal".into(),
            max_connections: 16,
            log: "info".into(),
            max_upload_mib: 10,
            smtp_relay: String::new(),
            mail_from: "liaison@localhost".into(),
            public_url: "http://127.0.0.1:8080".into(),
            reminder_minutes: 60,
        }
    }
}

/// Flags that override everything else.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

impl Settings {
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Settings> {
        let mut f = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(p) => {
                if !p.exists() {
                    bail!("the configuration file {} does not exist", p.display());
                }
                f = f.merge(Toml::file(p));
            }
            None => f = f.merge(Toml::file("liaison.toml")),
        }
        let f = f.merge(Env::prefixed("LIAISON_").ignore(&["test_database_url", "browser_tests"])).merge(Serialized::defaults(overrides));
        let s: Settings = f.extract().context("reading the configuration (liaison.toml, LIAISON_* variables)")?;
        s.check()?;
        Ok(s)
    }

    fn check(&self) -> Result<()> {
        if Scheme::parse(&self.marking_scheme).is_none() {
            bail!("marking_scheme must be \"nato\" or \"tlp\", not {:?}", self.marking_scheme);
        }
        if !matches!(self.sqlite_synchronous.as_str(), "normal" | "full") {
            bail!("sqlite_synchronous must be \"normal\" or \"full\", not {:?}", self.sqlite_synchronous);
        }
        for (g, members) in &self.release_groups {
            if !is_release_token(g) {
                bail!("release group name {g:?} must be 2 to 16 capitals, digits or _");
            }
            if let Some(m) = members.iter().find(|m| !liaison_domain::marking::is_country_code(m)) {
                bail!("release group {g}: {m:?} is not an ISO 3166 alpha-3 country code");
            }
        }
        if self.session_idle_minutes == 0 || self.session_absolute_hours == 0 {
            bail!("session timeouts must be at least one minute and one hour");
        }
        if self.lockout_threshold < 1 {
            bail!("lockout_threshold must be at least 1");
        }
        if !(1..=1024).contains(&self.max_upload_mib) {
            bail!("max_upload_mib must be between 1 and 1024");
        }
        if !self.smtp_relay.is_empty() {
            if !self.smtp_relay.contains(':') {
                bail!("smtp_relay must be host:port, e.g. mail.internal:25, not {:?}", self.smtp_relay);
            }
            if !liaison_domain::notification::envelope_safe(&self.mail_from) {
                bail!("mail_from must be a plain e-mail address, not {:?}", self.mail_from);
            }
        }
        Ok(())
    }

    pub fn app_config(&self) -> AppConfig {
        AppConfig {
            scheme: Scheme::parse(&self.marking_scheme).unwrap_or_default(),
            release_groups: ReleaseGroups(self.release_groups.clone()),
            session_idle: Duration::from_secs(self.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(self.session_absolute_hours * 3600),
            lockout_threshold: self.lockout_threshold,
            email: !self.smtp_relay.is_empty(),
            mail_from: self.mail_from.clone(),
            public_url: self.public_url.clone(),
            max_upload_bytes: self.max_upload_mib * 1024 * 1024,
            ..AppConfig::default()
        }
    }

    pub fn web_config(&self) -> WebConfig {
        WebConfig {
            cookie_secure: self.https,
            body_limit: self.body_limit_kib * 1024,
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
            import_timeout: Duration::from_secs(self.import_timeout_seconds.max(1)),
            trust_proxy: self.trust_proxy,
            login_attempts_per_minute: self.login_attempts_per_minute,
            public_url: self.public_url.trim_end_matches('/').to_string(),
        }
    }

    /// Where to send notification emails, if anywhere (the sender and the links are in
    /// [`Settings::app_config`]).
    pub fn smtp(&self) -> Option<liaison_adapters::SmtpSettings> {
        (!self.smtp_relay.is_empty()).then(|| liaison_adapters::SmtpSettings { relay: self.smtp_relay.clone(), timeout: Duration::from_secs(20) })
    }

    pub fn db_options(&self) -> liaison_store::DbOptions {
        liaison_store::DbOptions {
            url: self.database.clone(),
            max_connections: self.max_connections.max(2),
            sqlite_synchronous_full: self.sqlite_synchronous == "full",
            busy_timeout: Duration::from_secs(10),
        }
    }
}
