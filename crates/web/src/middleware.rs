//! Middleware: request ids and source addresses, security headers on every response, CSRF
//! protection, problem documents for bare errors, and the per-address sign-in limit.

use crate::error::{PROBLEM_JSON, Problem};
use crate::extract::{RequestMeta, SESSION_COOKIE};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn valid_request_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn source_of(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(ip) =
            req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next()).and_then(|s| s.trim().parse::<IpAddr>().ok())
    {
        return ip.to_string();
    }
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// Give each request an id (or keep a well-formed incoming `X-Request-Id`) and note its source.
pub async fn request_meta(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let incoming = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).filter(|s| valid_request_id(s));
    let request_id = incoming.map(String::from).unwrap_or_else(|| state.app.new_id().simple().to_string());
    let source = source_of(&req, state.cfg.trust_proxy);
    req.extensions_mut().insert(RequestMeta { request_id: request_id.clone(), source });
    let lang = crate::lang::of_headers(req.headers());
    let mut res = crate::lang::scope(lang, next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Security headers on every response, pages, API answers and errors alike.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    set_security_headers(res.headers_mut(), state.cfg.cookie_secure, is_api);
    res
}

/// The security headers of every answer (also of those written outside the router: a refused
/// connection's, a stalled request's).
pub fn set_security_headers(h: &mut HeaderMap, https: bool, is_api: bool) {
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"));
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if is_api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

fn host_of_origin(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Whether a state-changing request comes from another site. Browsers send `Sec-Fetch-Site`
/// (Fetch Metadata); older ones send `Origin`. Requests with neither (curl, scripts) are not
/// cross-site requests a browser was tricked into sending.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        return origin == "null" || host_of_origin(origin) != Some(host);
    }
    false
}

/// Refuse cross-site state-changing requests (403).
pub async fn csrf(req: Request, next: Next) -> Response {
    if is_cross_site(req.method(), req.headers()) {
        return Problem::new(StatusCode::FORBIDDEN, "cross-site").into_response();
    }
    next.run(req).await
}

/// The longest request target (path and query) answered; a longer one is 414. hyper itself
/// refuses request lines over 64 KiB, with a bare 414.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Refuse over-long request targets with a problem document (414).
pub async fn uri_length(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        let max = MAX_URI_BYTES.to_string();
        return Problem::worded(StatusCode::URI_TOO_LONG, "uri-too-long", "problem-uri-too-long", &[("max", &max)]).into_response();
    }
    next.run(req).await
}

/// Turn bare error responses (unknown route, wrong method, timeout) into problem documents.
pub async fn problems(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || res.headers().contains_key(header::CONTENT_TYPE) {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let slug = match status {
        StatusCode::NOT_FOUND => return Problem::not_found().into_response(),
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        _ => "error",
    };
    let mut out = Problem::new(status, slug).into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// A fixed-window counter per key (per source address for sign-in). Per process: the
/// per-account lockout, which all servers share, lives in the database.
pub struct RateLimiter {
    per_window: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_window: u32, window: Duration) -> RateLimiter {
        RateLimiter { per_window, window, counts: Mutex::new(HashMap::new()) }
    }

    /// Count one attempt; `Err(seconds to wait)` if over the limit.
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= self.window {
            *e = (now, 0);
        }
        e.1 += 1;
        if e.1 > self.per_window {
            let wait = self.window.saturating_sub(now.duration_since(e.0)).as_secs().max(1);
            Err(wait)
        } else {
            Ok(())
        }
    }
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(secret: &str, secure: bool, max_age: Duration) -> String {
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", max_age.as_secs(), if secure { "; Secure" } else { "" })
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

/// Whether a response is a problem document.
pub fn is_problem(res: &Response) -> bool {
    res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes())
}

/// Answer 408 when a request takes longer than it may: `request_timeout`, or for imports
/// (`/api/v1/imports/…`, `/imports/…`) `import_timeout`. The handler's future is dropped, and
/// with it any transaction it had open, which is rolled back.
pub async fn timeout(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let limit = if path.starts_with("/api/v1/imports/") || path.starts_with("/imports/") { s.cfg.import_timeout } else { s.cfg.request_timeout };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn cross_site_detection() {
        assert!(is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&Method::DELETE, &headers(&[("origin", "https://evil.example"), ("host", "liaison.example")])));
        assert!(!is_cross_site(&Method::PATCH, &headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")])));
        assert!(is_cross_site(&Method::POST, &headers(&[("origin", "null"), ("host", "a")])));
        assert!(!is_cross_site(&Method::POST, &headers(&[])), "no browser, no CSRF");
    }

    #[test]
    fn rate_limiter_counts_per_key() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        assert!(l.hit("a").is_ok() && l.hit("a").is_ok());
        assert!(l.hit("a").is_err());
        assert!(l.hit("b").is_ok());
    }

    #[test]
    fn cookies_are_hardened() {
        let c = session_cookie("s", true, Duration::from_secs(60));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure") && c.contains("Max-Age=60"));
        assert!(!session_cookie("s", false, Duration::from_secs(1)).contains("Secure"));
    }

    #[test]
    fn request_ids() {
        assert!(valid_request_id("abc-123_X"));
        assert!(!valid_request_id("a b") && !valid_request_id("") && !valid_request_id(&"a".repeat(65)));
    }
}
