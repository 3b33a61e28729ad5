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
    /// `text` (default) or `json` (one object per line).
    pub log_format: String,
    /// Largest evidence file accepted, in MiB.
    pub max_upload_mib: u64,
    /// A plain SMTP relay inside the network (`host:port`) to email notifications through;
    /// empty: notifications are only shown in the workspace.
    pub smtp_relay: String,
    /// The sender of notification emails.
    pub mail_from: String,
    /// The workspace's public address, for links in emails, e.g. `https://liaison.example`;
    /// empty: the `listen` address.
    pub public_url: String,
    /// Seconds a client has to send a request's head.
    pub header_read_timeout_seconds: u64,
    /// Open client connections at most, and from one address at most.
    pub max_client_connections: usize,
    pub max_client_connections_per_address: usize,
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
            log_format: "text".into(),
            max_upload_mib: 10,
            smtp_relay: String::new(),
            mail_from: "liaison@localhost".into(),
            public_url: String::new(),
            header_read_timeout_seconds: 10,
            max_client_connections: 1000,
            max_client_connections_per_address: 100,
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
        if !matches!(self.log_format.as_str(), "text" | "json") {
            bail!("log_format must be \"text\" or \"json\", not {:?}", self.log_format);
        }
        let url = self.public_url.trim();
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            bail!("public_url must start with http:// or https://, not {url:?}");
        }
        if self.header_read_timeout_seconds == 0 || self.max_client_connections == 0 || self.max_client_connections_per_address == 0 {
            bail!("header_read_timeout_seconds, max_client_connections and max_client_connections_per_address must be at least 1");
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
            public_url: self.public_url(),
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
            public_url: self.public_url(),
            header_read_timeout: Duration::from_secs(self.header_read_timeout_seconds.max(1)),
            max_connections: self.max_client_connections.max(1),
            max_connections_per_address: self.max_client_connections_per_address.max(1),
        }
    }

    /// The site's public address: `public_url` if set, else the `listen` address (a wildcard
    /// host read as this machine's loopback).
    pub fn public_url(&self) -> String {
        let set = self.public_url.trim().trim_end_matches('/');
        if !set.is_empty() {
            return set.to_string();
        }
        let scheme = if self.https { "https" } else { "http" };
        let listen = self.listen.trim();
        let listen = match listen.rsplit_once(':') {
            Some(("0.0.0.0" | "[::]" | "", port)) => format!("127.0.0.1:{port}"),
            _ => listen.to_string(),
        };
        format!("{scheme}://{listen}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_address_follows_listen_unless_set() {
        let mut s = Settings { listen: "127.0.0.1:18090".into(), ..Settings::default() };
        assert_eq!(s.public_url(), "http://127.0.0.1:18090");
        s.listen = "0.0.0.0:9000".into();
        assert_eq!(s.public_url(), "http://127.0.0.1:9000");
        s.https = true;
        s.listen = "liaison.internal:443".into();
        assert_eq!(s.public_url(), "https://liaison.internal:443");
        s.public_url = "https://liaison.example/".into();
        assert_eq!(s.public_url(), "https://liaison.example");
        assert_eq!(s.web_config().public_url, "https://liaison.example");
        assert_eq!(s.app_config().public_url, "https://liaison.example");
    }

    #[test]
    fn bad_public_addresses_and_connection_bounds_are_refused() {
        let s = Settings { public_url: "liaison.example".into(), ..Settings::default() };
        assert!(s.check().unwrap_err().to_string().contains("public_url"));
        let s = Settings { log_format: "xml".into(), ..Settings::default() };
        assert!(s.check().unwrap_err().to_string().contains("log_format"));
        let s = Settings { max_client_connections_per_address: 0, ..Settings::default() };
        assert!(s.check().unwrap_err().to_string().contains("max_client_connections"));
        assert!(Settings::default().check().is_ok());
    }
}
