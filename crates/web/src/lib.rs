//! Liaison's HTTP interface: the JSON API (`/api/v1`, OpenAPI 3.1), its reference page,
//! the workspace's pages and the public portal, health checks, static assets embedded in the
//! binary, and the middleware every response passes through.
//!
//! Handlers are thin: extract, one use case of `liaison-app`, a view, render. No rule is
//! decided here: the read models carry what the actor may do. `api/` has one file per
//! feature, with every route and the action it needs in `api::ROUTES`; `pages/` mirrors it,
//! with the page kit (base view, page extractor, forms and their errors, the total error
//! mapping) in `pages/kit.rs` and the portal's router in `pages/public.rs`. Problem documents
//! (`error.rs`) take their words from `liaison-i18n` in the request's language (`lang.rs`).
//! This crate does not depend on `liaison-store`: it reaches data only through the use cases.

pub mod api;
mod assets;
mod docs;
#[cfg(feature = "pdf")]
pub mod documents;
pub mod error;
pub mod extract;
mod health;
pub mod lang;
pub mod middleware;
pub mod pages;
mod serve;
pub mod state;
mod strict_json;

pub use state::{AppState, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;

/// The whole application as an axum router.
pub fn router(state: AppState) -> Router {
    health::recorder();
    let (api, mut openapi) = api::routes(upload_limit(&state)).split_for_parts();
    utoipa::Modify::modify(&api::contract::Contract, &mut openapi);
    let spec = Arc::new(openapi.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let reference = Arc::new(docs::reference_page(&openapi));
    let spec_for_route = spec.clone();
    Router::new()
        .merge(api)
        .route("/api/v1/openapi.json", get(move || docs::serve_json(spec_for_route.clone())))
        .route("/api/v1/docs", get(move || docs::serve_html(reference.clone())))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/assets/{name}", get(assets::serve))
        .merge(pages::routes(upload_limit(&state)))
        .route_layer(axum::middleware::from_fn(health::time))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(state.cfg.body_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::timeout))
        .layer(axum::middleware::from_fn(middleware::csrf))
        .layer(axum::middleware::from_fn(middleware::uri_length))
        .layer(axum::middleware::from_fn(middleware::problems))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            axum::response::IntoResponse::into_response(error::Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))
        }))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), health::count))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_meta))
        .with_state(state)
}

fn upload_limit(state: &AppState) -> usize {
    usize::try_from(state.app.config.max_upload_bytes).unwrap_or(usize::MAX)
}

/// The OpenAPI document (for tools and tests).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut openapi = api::routes(0).split_for_parts().1;
    utoipa::Modify::modify(&api::contract::Contract, &mut openapi);
    openapi
}

/// How often a server looks for writes made by other servers (its read caches are never
/// staler than this with respect to them; its own writes show at once).
pub const CHANGE_WATCH: std::time::Duration = std::time::Duration::from_millis(100);

/// Serve until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watch = state.app.watch_changes(CHANGE_WATCH);
    let app = router(state.clone());
    let result = serve::run(listener, state, app, shutdown).await;
    watch.abort();
    result
}
