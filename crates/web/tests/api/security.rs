//! Headers on every response and cross-site request refusal.

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn security_headers_on_pages_api_answers_and_errors() {
    let f = Fixture::new().await;
    let api = f.as_("viewer").await;
    let answers = [
        api.get("/").await,
        api.get("/healthz").await,
        api.get(&f.plan_path("")).await,
        api.get("/api/v1/nothing").await,
        api.post(&f.plan_path("/items"), &json!({"bad": 1})).await,
        f.server.anon().get("/api/v1/me").await,
        api.get("/api/v1/docs").await,
    ];
    for a in &answers {
        let csp = a.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(a.header("x-content-type-options"), "nosniff");
        assert_eq!(a.header("referrer-policy"), "same-origin");
        assert_eq!(a.header("x-frame-options"), "DENY");
        assert!(!a.header("x-request-id").is_empty());
    }
    assert_eq!(answers[2].header("cache-control"), "no-store");
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let body = json!({"code": "1", "title": {"en": "x"}});
    let r = api.send(Method::POST, &f.plan_path("/items"), Some(&body), &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.content_type(), "application/problem+json");
    let r = api.send(Method::POST, &f.plan_path("/items"), Some(&body), &[("origin", "https://evil.example")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .server
        .anon()
        .send(Method::POST, "/api/v1/auth/login", Some(&json!({"email": f.emails["viewer"], "password": PASSWORD})), &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no login CSRF");
    assert_eq!(api.get(&f.plan_path("/items/count")).await.body["count"], 0);
    let same = api.send(Method::POST, &f.plan_path("/items"), Some(&body), &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(same.status, StatusCode::CREATED);
    let read = api.send(Method::GET, &f.plan_path(""), None, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(read.status, StatusCode::OK, "reads are not state changes");
}

#[tokio::test]
async fn request_ids_are_kept_or_made() {
    let s = Server::start().await;
    let r = s.anon().send(Method::GET, "/healthz", None, &[("x-request-id", "trace-123")]).await;
    assert_eq!(r.header("x-request-id"), "trace-123");
    // Without one, or with a malformed one, the server makes one: the simple form of a new UUIDv7
    // (32 lowercase hex digits, within what `valid_request_id` keeps), a different one each time.
    let made = [
        s.anon().get("/healthz").await.header("x-request-id"),
        s.anon().get("/healthz").await.header("x-request-id"),
        s.anon().send(Method::GET, "/healthz", None, &[("x-request-id", "bad id with spaces")]).await.header("x-request-id"),
    ];
    for id in &made {
        assert!(id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "a made request id: {id:?}");
        let uuid = uuid::Uuid::try_parse(id).unwrap_or_else(|e| panic!("{id:?} is no UUID: {e}"));
        assert_eq!(uuid.get_version_num(), 7, "{id:?}");
        assert_eq!(&uuid.simple().to_string(), id);
        let echoed = s.anon().send(Method::GET, "/healthz", None, &[("x-request-id", id)]).await;
        assert_eq!(&echoed.header("x-request-id"), id, "a made id is one the server keeps");
    }
    assert!(made[0] != made[1] && made[1] != made[2] && made[0] != made[2], "fresh each time: {made:?}");
}
