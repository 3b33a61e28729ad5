//! Liveness, readiness, metrics and the front page.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};

static REQUESTS: [AtomicU64; 5] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

/// Count answers by status class for `/metrics`.
pub async fn count(State(_): State<AppState>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let class = (res.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    REQUESTS[class].fetch_add(1, Ordering::Relaxed);
    res
}

/// Liveness: the process answers.
pub async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n").into_response()
}

/// Readiness: the database answers and its schema is the one this program expects.
pub async fn readyz(State(s): State<AppState>) -> Response {
    let plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    match s.app.readiness().await {
        Ok(()) => (plain, "ready\n").into_response(),
        Err(why) => {
            tracing::warn!(%why, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, plain, format!("{why}\n")).into_response()
        }
    }
}

/// Prometheus text format.
pub async fn metrics(State(s): State<AppState>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP liaison_http_responses_total HTTP responses by status class.\n# TYPE liaison_http_responses_total counter\n");
    for (i, c) in REQUESTS.iter().enumerate() {
        out.push_str(&format!("liaison_http_responses_total{{class=\"{}xx\"}} {}\n", i + 1, c.load(Ordering::Relaxed)));
    }
    out.push_str("# HELP liaison_uptime_seconds Seconds since the server started.\n# TYPE liaison_uptime_seconds gauge\n");
    out.push_str(&format!("liaison_uptime_seconds {}\n", s.started.elapsed().as_secs()));
    out.push_str(&format!(
        "# HELP liaison_schema_version Database schema version this program expects.\n# TYPE liaison_schema_version gauge\nliaison_schema_version {}\n",
        liaison_app::App::schema_version()
    ));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}
