//! What every handler shares.

use liaison_app::App;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the HTTP interface.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when Liaison is served over https, directly or behind a proxy).
    pub cookie_secure: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// A request taking longer than this is answered 408/503.
    pub request_timeout: Duration,
    /// The same for an import's upload and apply (a 100 MB file takes minutes). A request cut
    /// short changes nothing: its transaction is rolled back.
    pub import_timeout: Duration,
    /// Trust `X-Forwarded-For` from a reverse proxy for the source address.
    pub trust_proxy: bool,
    /// Sign-in attempts allowed per source address per minute (all accounts together).
    pub login_attempts_per_minute: u32,
    /// The public address of the site, for absolute links (feeds, sitemap, Open Graph).
    pub public_url: String,
    /// Time a client has to send a request's head (408 after it, when part of one came).
    pub header_read_timeout: Duration,
    /// Open connections at most (more are answered 503 and closed).
    pub max_connections: usize,
    /// Open connections from one address at most (more are answered 429 and closed); not
    /// applied with `trust_proxy`, where every connection comes from the proxy.
    pub max_connections_per_address: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            cookie_secure: false,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            import_timeout: Duration::from_secs(900),
            trust_proxy: false,
            login_attempts_per_minute: 20,
            public_url: "http://127.0.0.1:8080".into(),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1000,
            max_connections_per_address: 100,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub cfg: Arc<WebConfig>,
    pub login_limiter: Arc<crate::middleware::RateLimiter>,
    pub started: std::time::Instant,
}

impl AppState {
    pub fn new(app: App, cfg: WebConfig) -> AppState {
        let per_minute = cfg.login_attempts_per_minute;
        AppState {
            app,
            cfg: Arc::new(cfg),
            login_limiter: Arc::new(crate::middleware::RateLimiter::new(per_minute, Duration::from_secs(60))),
            started: std::time::Instant::now(),
        }
    }
}
