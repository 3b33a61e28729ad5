//! Settings: defaults ← `liaison.toml` ← `LIAISON_*` environment ← command-line flags.

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use liaison_app::AppConfig;
use liaison_domain::access::ReleaseGroups;
use liaison_domain::marking::{Level, Scheme, is_release_token};
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
    /// A plain SMTP relay inside the network (`host:port`, no TLS, no login) to email
    /// notifications through; empty: see `smtp_server`.
    pub smtp_relay: String,
    /// The mail submission server (a host name, checked against its certificate); empty and no
    /// `smtp_relay`: notifications are only shown in the workspace.
    pub smtp_server: String,
    /// Its port; 0: 587 for `starttls`, 465 for `tls`, 25 for `none`.
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit, SMTPS) or `none`.
    pub smtp_security: String,
    /// The login at the mail server; empty: none.
    pub smtp_user: String,
    /// A file holding the login's password (its first line); or `LIAISON_SMTP_PASSWORD`.
    pub smtp_password_file: String,
    /// The password itself, best given as `LIAISON_SMTP_PASSWORD` (never logged).
    pub smtp_password: Secret,
    /// PEM file of a private CA whose certificates the mail server's may be signed by (besides
    /// the system's roots).
    pub smtp_ca_file: String,
    /// Seconds between rounds of sending waiting emails in `serve`.
    pub mail_interval_seconds: u64,
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
    /// Accounts cleared above this level (a clearance code of the marking scheme, e.g.
    /// `nato_restricted`) must sign in with a second factor; empty: none for their clearance.
    pub second_factor_above: String,
    /// Administrators and security officers must sign in with a second factor.
    pub second_factor_for_staff: bool,
    /// The name authenticator apps show next to the account's e-mail.
    pub totp_issuer: String,
    /// OpenID Connect providers to sign in with (`[[sso]]` tables).
    pub sso: Vec<SsoProvider>,
}

/// One OpenID Connect provider (Keycloak, Microsoft Entra ID, AD FS …).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoProvider {
    /// In addresses: `/login/sso/NAME`, and the callback `/login/sso/NAME/callback`.
    pub name: String,
    /// The button's words, e.g. "Ministry of Defence account".
    pub label: String,
    /// The issuer, e.g. `https://sso.mod.example/realms/liaison`.
    pub issuer: String,
    pub client_id: String,
    /// A file whose first line is the client secret …
    #[serde(default)]
    pub client_secret_file: String,
    /// … or the environment variable that holds it.
    #[serde(default)]
    pub client_secret_env: String,
    /// PEM certificates of a private CA to trust for the provider.
    #[serde(default)]
    pub ca_file: String,
    /// The short name of an organisation: a person the provider knows (with a verified e-mail
    /// address) and Liaison does not gets an account there on first sign-in, cleared PUBLIC
    /// and with no role. Empty (the default): nobody gets an account by signing in.
    #[serde(default)]
    pub new_accounts_in: String,
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
            smtp_server: String::new(),
            smtp_port: 0,
            smtp_security: "starttls".into(),
            smtp_user: String::new(),
            smtp_password_file: String::new(),
            smtp_password: Secret::default(),
            smtp_ca_file: String::new(),
            mail_interval_seconds: 30,
            mail_from: "liaison@localhost".into(),
            public_url: String::new(),
            header_read_timeout_seconds: 10,
            max_client_connections: 1000,
            max_client_connections_per_address: 100,
            reminder_minutes: 60,
            second_factor_above: String::new(),
            second_factor_for_staff: false,
            totp_issuer: "Liaison".into(),
            sso: Vec::new(),
        }
    }
}

/// A setting that is a secret: read like a string, never shown by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"…\"" })
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
        if !self.second_factor_above.trim().is_empty() {
            let scheme = Scheme::parse(&self.marking_scheme).unwrap_or_default();
            match Level::parse(self.second_factor_above.trim()) {
                Some(l) if l.scheme() == scheme => {}
                _ => bail!(
                    "second_factor_above must be a clearance of the {:?} marking scheme (e.g. {:?}), not {:?}",
                    self.marking_scheme,
                    scheme.levels().first().map(|l| l.code()).unwrap_or_default(),
                    self.second_factor_above
                ),
            }
        }
        let issuer = self.totp_issuer.trim();
        if issuer.is_empty() || issuer.len() > 64 || issuer.contains(':') {
            bail!("totp_issuer must be 1 to 64 characters without ':', not {:?}", self.totp_issuer);
        }
        if liaison_adapters::SmtpSecurity::parse(&self.smtp_security).is_none() {
            bail!("smtp_security must be \"starttls\", \"tls\" or \"none\", not {:?}", self.smtp_security);
        }
        let mut names = std::collections::BTreeSet::new();
        for p in &self.sso {
            if p.name.is_empty() || p.name.len() > 32 || !p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                bail!("sso: name {:?} must be 1 to 32 small letters, digits or -", p.name);
            }
            if !names.insert(p.name.as_str()) {
                bail!("sso: the name {:?} is used twice", p.name);
            }
            if !(p.issuer.starts_with("https://") || p.issuer.starts_with("http://127.0.0.1") || p.issuer.starts_with("http://localhost")) {
                bail!("sso {}: the issuer must be an https:// address, not {:?}", p.name, p.issuer);
            }
            if p.label.trim().is_empty() || p.client_id.trim().is_empty() {
                bail!("sso {}: label and client_id must not be empty", p.name);
            }
            if p.client_secret_file.is_empty() == p.client_secret_env.is_empty() {
                bail!("sso {}: set one of client_secret_file or client_secret_env", p.name);
            }
        }
        if !self.smtp_relay.is_empty() && !self.smtp_server.is_empty() {
            bail!("set smtp_server (a submission server) or smtp_relay (a plain relay), not both");
        }
        if !self.smtp_password.0.is_empty() && !self.smtp_password_file.is_empty() {
            bail!("set smtp_password_file or LIAISON_SMTP_PASSWORD, not both");
        }
        if self.mail_interval_seconds == 0 {
            bail!("mail_interval_seconds must be at least 1");
        }
        if self.sends_email() {
            if !self.smtp_relay.is_empty() && !self.smtp_relay.contains(':') {
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
            email: self.sends_email(),
            mail_from: self.mail_from.clone(),
            public_url: self.public_url(),
            max_upload_bytes: self.max_upload_mib * 1024 * 1024,
            second_factor: liaison_domain::second_factor::Policy { above: Level::parse(self.second_factor_above.trim()), staff: self.second_factor_for_staff },
            totp_issuer: self.totp_issuer.trim().to_string(),
            sso_new_accounts: self
                .sso
                .iter()
                .filter(|p| !p.new_accounts_in.trim().is_empty())
                .map(|p| (p.name.clone(), p.new_accounts_in.trim().to_string()))
                .collect(),
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

    /// Whether notifications are emailed: a server or a relay is set.
    pub fn sends_email(&self) -> bool {
        !self.smtp_relay.is_empty() || !self.smtp_server.is_empty()
    }

    /// Where and how to send notification emails, if anywhere (the sender and the links are in
    /// [`Settings::app_config`]): reads the password and private CA files.
    pub fn smtp(&self) -> Result<Option<liaison_adapters::SmtpSettings>> {
        use liaison_adapters::{SmtpSecurity, SmtpSettings};
        let timeout = Duration::from_secs(20);
        if !self.smtp_relay.is_empty() {
            let (host, port) = self.smtp_relay.rsplit_once(':').context("smtp_relay must be host:port")?;
            let port = port.parse().with_context(|| format!("smtp_relay: {port:?} is not a port"))?;
            return Ok(Some(SmtpSettings { host: host.to_string(), port, security: SmtpSecurity::None, login: None, ca_pem: None, timeout }));
        }
        if self.smtp_server.is_empty() {
            return Ok(None);
        }
        let security = SmtpSecurity::parse(&self.smtp_security).unwrap_or(SmtpSecurity::StartTls);
        let port = if self.smtp_port == 0 { security.default_port() } else { self.smtp_port };
        let password = if self.smtp_password_file.is_empty() {
            self.smtp_password.0.clone()
        } else {
            let text = std::fs::read_to_string(&self.smtp_password_file).with_context(|| format!("reading smtp_password_file {}", self.smtp_password_file))?;
            text.lines().next().unwrap_or("").to_string()
        };
        let login = match (self.smtp_user.is_empty(), password.is_empty()) {
            (true, true) => None,
            (false, false) => Some((self.smtp_user.clone(), password)),
            (true, false) => bail!("an SMTP password is set but no smtp_user"),
            (false, true) => bail!("smtp_user is set but no password (smtp_password_file or LIAISON_SMTP_PASSWORD)"),
        };
        let ca_pem = if self.smtp_ca_file.is_empty() {
            None
        } else {
            Some(std::fs::read(&self.smtp_ca_file).with_context(|| format!("reading smtp_ca_file {}", self.smtp_ca_file))?)
        };
        Ok(Some(SmtpSettings { host: self.smtp_server.clone(), port, security, login, ca_pem, timeout }))
    }

    /// The OpenID providers, with their secrets read (from files or the environment).
    pub fn identity_providers(&self) -> Result<Vec<std::sync::Arc<dyn liaison_domain::ports::IdentityProvider>>> {
        let mut out: Vec<std::sync::Arc<dyn liaison_domain::ports::IdentityProvider>> = Vec::new();
        for p in &self.sso {
            let secret = if p.client_secret_file.is_empty() {
                std::env::var(&p.client_secret_env).with_context(|| format!("sso {}: the environment variable {} is not set", p.name, p.client_secret_env))?
            } else {
                let text = std::fs::read_to_string(&p.client_secret_file)
                    .with_context(|| format!("sso {}: reading client_secret_file {}", p.name, p.client_secret_file))?;
                text.lines().next().unwrap_or("").to_string()
            };
            if secret.is_empty() {
                bail!("sso {}: the client secret is empty", p.name);
            }
            let ca_pem = if p.ca_file.is_empty() {
                None
            } else {
                Some(std::fs::read(&p.ca_file).with_context(|| format!("sso {}: reading ca_file {}", p.name, p.ca_file))?)
            };
            let settings = liaison_adapters::OidcSettings {
                name: p.name.clone(),
                label: p.label.clone(),
                issuer: p.issuer.clone(),
                client_id: p.client_id.clone(),
                client_secret: secret,
                redirect_url: format!("{}/login/sso/{}/callback", self.public_url(), p.name),
                ca_pem,
                timeout: Duration::from_secs(10),
            };
            out.push(std::sync::Arc::new(liaison_adapters::OidcProvider::new(settings).map_err(|e| anyhow::anyhow!("sso {}: {e}", p.name))?));
        }
        Ok(out)
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

    #[test]
    fn the_second_factor_policy_is_read_and_bad_values_refused() {
        let s = Settings { second_factor_above: "nato_restricted".into(), second_factor_for_staff: true, ..Settings::default() };
        assert!(s.check().is_ok());
        let p = s.app_config().second_factor;
        assert_eq!((p.above, p.staff), (Some(Level::NatoRestricted), true));
        assert_eq!(Settings::default().app_config().second_factor, liaison_domain::second_factor::Policy::default(), "off by default");
        for bad in ["secret", "tlp_amber"] {
            let s = Settings { second_factor_above: bad.into(), ..Settings::default() };
            let e = s.check().unwrap_err().to_string();
            assert!(e.contains("second_factor_above") && e.contains("\"nato\""), "{bad}: {e}");
        }
        for bad in ["", "a:b", &"x".repeat(65)] {
            let s = Settings { totp_issuer: bad.to_string(), ..Settings::default() };
            assert!(s.check().unwrap_err().to_string().contains("totp_issuer"), "{bad:?}");
        }
    }

    #[test]
    fn mail_settings_are_checked_and_secrets_read_from_files_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("smtp-password");
        std::fs::write(&pw, "from the file\nignored second line\n").unwrap();
        let s = Settings {
            smtp_server: "mail.example.org".into(),
            smtp_user: "liaison".into(),
            smtp_password_file: pw.display().to_string(),
            ..Settings::default()
        };
        assert!(s.check().is_ok());
        assert!(s.app_config().email);
        let m = s.smtp().unwrap().unwrap();
        assert_eq!((m.host.as_str(), m.port, m.security), ("mail.example.org", 587, liaison_adapters::SmtpSecurity::StartTls));
        assert_eq!(m.login, Some(("liaison".to_string(), "from the file".to_string())));
        let tls = Settings { smtp_security: "tls".into(), smtp_password_file: String::new(), smtp_password: Secret("from env".into()), ..s.clone() };
        assert_eq!(tls.smtp().unwrap().unwrap().port, 465);
        assert!(!format!("{tls:?}").contains("from env"), "no password in Debug");
        let relay = Settings { smtp_relay: "relay.internal:25".into(), ..Settings::default() };
        let r = relay.smtp().unwrap().unwrap();
        assert_eq!((r.host.as_str(), r.port, r.security, r.login.is_none()), ("relay.internal", 25, liaison_adapters::SmtpSecurity::None, true));
        assert!(Settings::default().smtp().unwrap().is_none(), "no mail by default");
        assert!(!Settings::default().app_config().email);

        let refused = |s: Settings, want: &str| {
            let e = s.check().err().map(|e| e.to_string()).or_else(|| s.smtp().err().map(|e| format!("{e:#}"))).unwrap_or_default();
            assert!(e.contains(want), "want {want:?}, got {e:?}");
        };
        refused(Settings { smtp_security: "ssl".into(), ..s.clone() }, "smtp_security");
        refused(Settings { smtp_relay: "relay:25".into(), ..s.clone() }, "not both");
        refused(Settings { smtp_password: Secret("x".into()), ..s.clone() }, "not both");
        refused(Settings { smtp_relay: "relay".into(), ..Settings::default() }, "host:port");
        refused(Settings { smtp_relay: "relay:port".into(), ..Settings::default() }, "is not a port");
        refused(Settings { mail_interval_seconds: 0, ..Settings::default() }, "mail_interval_seconds");
        refused(Settings { smtp_password_file: dir.path().join("missing").display().to_string(), ..s.clone() }, "reading smtp_password_file");
        refused(Settings { smtp_password_file: String::new(), ..s.clone() }, "no password");
        refused(Settings { smtp_user: String::new(), ..s.clone() }, "no smtp_user");
        refused(Settings { smtp_ca_file: dir.path().join("nope.pem").display().to_string(), ..s.clone() }, "reading smtp_ca_file");
        refused(Settings { mail_from: "Liaison <x@y>".into(), ..s.clone() }, "mail_from");
    }

    #[test]
    fn openid_providers_are_checked_and_their_secrets_read_from_a_file_or_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "s3cret\n").unwrap();
        let p = SsoProvider {
            name: "mod".into(),
            label: "Ministry of Defence".into(),
            issuer: "https://sso.mod.example/realms/liaison".into(),
            client_id: "liaison".into(),
            client_secret_file: secret.display().to_string(),
            client_secret_env: String::new(),
            ca_file: String::new(),
            new_accounts_in: String::new(),
        };
        let s = Settings { sso: vec![p.clone()], public_url: "https://liaison.example".into(), ..Settings::default() };
        assert!(s.check().is_ok());
        assert!(s.app_config().sso_new_accounts.is_empty(), "no accounts made by signing in unless asked");
        let open = Settings { sso: vec![SsoProvider { new_accounts_in: " MoD ".into(), ..p.clone() }], ..s.clone() };
        assert_eq!(open.app_config().sso_new_accounts.get("mod").map(String::as_str), Some("MoD"));
        let providers = s.identity_providers().unwrap();
        assert_eq!((providers[0].name(), providers[0].label()), ("mod", "Ministry of Defence"));
        let refused = |sso: Vec<SsoProvider>, want: &str| {
            let s = Settings { sso, ..Settings::default() };
            let e = s.check().err().map(|e| e.to_string()).or_else(|| s.identity_providers().err().map(|e| format!("{e:#}"))).unwrap_or_default();
            assert!(e.contains(want), "want {want:?}, got {e:?}");
        };
        refused(vec![SsoProvider { name: "Mod Office".into(), ..p.clone() }], "small letters");
        refused(vec![p.clone(), p.clone()], "used twice");
        refused(vec![SsoProvider { issuer: "http://sso.mod.example".into(), ..p.clone() }], "https://");
        refused(vec![SsoProvider { client_secret_env: "X".into(), ..p.clone() }], "one of client_secret_file");
        refused(vec![SsoProvider { client_secret_file: String::new(), ..p.clone() }], "one of client_secret_file");
        refused(vec![SsoProvider { client_secret_file: String::new(), client_secret_env: "LIAISON_TEST_NO_SUCH_VARIABLE".into(), ..p.clone() }], "is not set");
        refused(vec![SsoProvider { client_secret_file: dir.path().join("nope").display().to_string(), ..p.clone() }], "reading client_secret_file");
        refused(vec![SsoProvider { ca_file: dir.path().join("nope.pem").display().to_string(), ..p.clone() }], "reading ca_file");
        refused(vec![SsoProvider { label: " ".into(), ..p }], "must not be empty");
    }
}
