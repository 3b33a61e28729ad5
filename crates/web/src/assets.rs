//! Static assets, embedded in the binary: Liaison runs on air-gapped networks.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &str)] = &[
    ("liaison.css", "text/css; charset=utf-8", include_str!("../assets/liaison.css")),
    ("passkey.js", "text/javascript; charset=utf-8", include_str!("../assets/passkey.js")),
];

pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ct, body)) => {
            let mut r = (*body).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            r
        }
        None => crate::error::Problem::not_found().into_response(),
    }
}
