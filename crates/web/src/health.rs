//! Liveness, readiness, metrics and the front page.

use crate::state::AppState;
use axum::extract::MatchedPath;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The latency histogram of every matched route.
const LATENCY: &str = "liaison_http_request_duration_seconds";

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's metrics recorder (the `metrics` facade's, rendered in Prometheus' format),
/// installed on first use.
pub fn recorder() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
            let recorder = PrometheusBuilder::new().set_buckets_for_metric(Matcher::Full(LATENCY.into()), &buckets).ok()?.build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            metrics::describe_histogram!(LATENCY, metrics::Unit::Seconds, "Time to answer a request, by route (its template), method and status class.");
            Some(handle)
        })
        .as_ref()
}

/// Time each request of a matched route into its histogram.
pub async fn time(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    metrics::histogram!(LATENCY, "route" => route, "method" => method, "status" => status).record(started.elapsed().as_secs_f64());
    res
}

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
    out.push_str("# HELP liaison_db_connections Database connections open, by pool.\n# TYPE liaison_db_connections gauge\n");
    let pools = s.app.pool_use();
    for (pool, size, _) in &pools {
        out.push_str(&format!("liaison_db_connections{{pool=\"{pool}\"}} {size}\n"));
    }
    out.push_str("# HELP liaison_db_connections_idle Database connections open and idle, by pool.\n# TYPE liaison_db_connections_idle gauge\n");
    for (pool, _, idle) in &pools {
        out.push_str(&format!("liaison_db_connections_idle{{pool=\"{pool}\"}} {idle}\n"));
    }
    match liaison_app::notifications::outbox_depth(&s.app).await {
        Ok(n) => {
            out.push_str(&format!("# HELP liaison_outbox_emails Emails waiting to be sent.\n# TYPE liaison_outbox_emails gauge\nliaison_outbox_emails {n}\n"))
        }
        Err(e) => tracing::warn!(error = %e, "metrics: cannot count the outbox"),
    }
    if let Some(r) = recorder() {
        r.run_upkeep();
        out.push_str(&r.render());
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}
