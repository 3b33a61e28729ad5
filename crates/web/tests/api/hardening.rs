//! Sign-in hardening: lockout with growing delays kept in the database, the per-address limit,
//! session timeouts (with an injected clock), cookie flags, and the audit trail of it all.

use crate::support::*;
use liaison_web::WebConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn login(api: &Api, email: &str, password: &str) -> Answer {
    api.post("/api/v1/auth/login", &json!({"email": email, "password": password})).await
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_growing_while_shared_by_all_servers() {
    let clock = TestClock::new();
    let web = WebConfig { login_attempts_per_minute: 1000, ..WebConfig::default() };
    let f = Fixture::on(Server::with_clock(clock.clone(), web).await).await;
    let email = f.emails["viewer"].clone();
    let api = f.server.anon();
    for _ in 0..5 {
        assert_eq!(login(&api, &email, "wrong guess here").await.status, StatusCode::UNAUTHORIZED);
    }
    let locked = login(&api, &email, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(locked.header("retry-after"), "60");
    // Another server on the same database sees the same lockout.
    let other = app_on(liaison_store::Db::connect(&liaison_store::DbOptions::new(&f.server.app_url())).await.unwrap(), test_config());
    let r = liaison_app::auth::login(&other, &email, PASSWORD, None, "10.0.0.2", "r").await;
    assert!(matches!(r, Err(liaison_app::AppError::RateLimited { .. })), "{r:?}");
    clock.advance(61);
    assert_eq!(login(&api, &email, PASSWORD).await.status, StatusCode::OK, "the lock expires");
    for _ in 0..5 {
        login(&api, &email, "wrong guess here").await;
    }
    clock.advance(61);
    assert_eq!(login(&api, &email, "wrong once more").await.status, StatusCode::UNAUTHORIZED);
    let again = login(&api, &email, PASSWORD).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.header("retry-after"), "120", "the next lock is twice as long");
    clock.advance(121);
    assert_eq!(login(&api, &email, PASSWORD).await.status, StatusCode::OK);
    // Unknown accounts never lock (nothing to lock) and answer like wrong passwords.
    for _ in 0..7 {
        assert_eq!(login(&api, "nobody@test.example", "x").await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn each_address_may_only_try_so_often() {
    let web = WebConfig { login_attempts_per_minute: 3, ..WebConfig::default() };
    let f = Fixture::on(Server::start_with(test_config(), web).await).await;
    let api = f.server.anon();
    for who in ["viewer", "partner", "ally"] {
        assert_eq!(login(&api, &f.emails[who], "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    let r = login(&api, &f.emails["reporter"], PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "a fourth attempt from the address, whatever the account");
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(r.content_type(), "application/problem+json");
}

#[tokio::test]
async fn sessions_end_when_idle_and_after_their_absolute_lifetime() {
    let clock = TestClock::new();
    let f = Fixture::on(Server::with_clock(clock.clone(), WebConfig::default()).await).await;
    let api = f.as_("viewer").await;
    clock.advance(59 * 60);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK, "used within the idle time");
    clock.advance(61 * 60);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "idle for more than an hour");
    let api = f.as_("viewer").await;
    for _ in 0..14 {
        clock.advance(50 * 60);
        assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
    }
    clock.advance(50 * 60);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "twelve hours after sign-in, used or not");
}

#[tokio::test]
async fn cookies_are_secure_over_https() {
    let web = WebConfig { cookie_secure: true, ..WebConfig::default() };
    let f = Fixture::on(Server::start_with(test_config(), web).await).await;
    let r = login(&f.server.anon(), &f.emails["viewer"], PASSWORD).await;
    assert!(r.header("set-cookie").contains("; Secure"), "{}", r.header("set-cookie"));
    assert!(r.header("strict-transport-security").starts_with("max-age="));
}

#[tokio::test]
async fn the_audit_trail_records_sign_ins_tokens_and_permission_changes_for_security_officers() {
    let f = Fixture::new().await;
    let anon = f.server.anon();
    login(&anon, &f.emails["viewer"], "wrong password").await;
    login(&anon, "nobody@test.example", "x").await;
    let viewer = f.as_("viewer").await;
    let token = viewer.post("/api/v1/auth/tokens", &json!({"name": "t"})).await;
    viewer.delete(&format!("/api/v1/auth/tokens/{}", token.body["info"]["id"].as_str().unwrap()), "\"1\"").await;
    viewer.post("/api/v1/auth/logout", &json!({})).await;
    let so = f.as_("security").await;
    let all = so.get("/api/v1/audit?limit=500").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    let actions: Vec<&str> = all.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    for a in ["login", "login_failed", "logout", "token_issue", "token_revoke", "permission_change", "create"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let failed = so.get("/api/v1/audit?action=login_failed").await;
    let rows = failed.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["after"]["reason"], "unknown_account", "newest first");
    assert_eq!(rows[1]["after"]["reason"], "wrong_password");
    for r in rows {
        assert_eq!(r["source"], "127.0.0.1");
        assert!(!r["request_id"].as_str().unwrap().is_empty());
        assert!(!r.to_string().contains("wrong password"), "no passwords in the trail");
    }
    let viewer_id = liaison_app::users::find_by_email(&f.server.app, &liaison_app::Ctx::system("t"), &f.emails["viewer"]).await.unwrap().id;
    let by_actor = so.get(&format!("/api/v1/audit?actor={viewer_id}")).await;
    assert!(by_actor.body["items"].as_array().unwrap().iter().all(|c| c["actor"] == viewer_id.to_string()));
    assert!(!by_actor.body["items"].as_array().unwrap().is_empty());
    let page = so.get("/api/v1/audit?limit=3").await;
    let next = page.body["next_cursor"].as_str().unwrap();
    let second = so.get(&format!("/api/v1/audit?limit=3&cursor={next}")).await;
    assert!(second.body["items"][0]["seq"].as_i64().unwrap() < page.body["items"][2]["seq"].as_i64().unwrap());
    let window = so.get("/api/v1/audit?from=2999-01-01T00:00:00Z").await;
    assert!(window.body["items"].as_array().unwrap().is_empty());
    assert!(so.get("/api/v1/audit?actor=nope").await.has_error("actor", "invalid"));
    assert_eq!(f.as_("admin").await.get("/api/v1/audit").await.status, StatusCode::FORBIDDEN, "administrators do not read the audit trail");
    // Security officers read, but do not change plan content.
    let r = so.send(Method::POST, &f.plan_path("/items"), Some(&json!({"code": "1", "title": {"en": "x"}})), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
