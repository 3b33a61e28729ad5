use crate::support::*;
use liaison_web::api::{ROUTES, Rule};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Every route but sign-in answers 401 without a session or token, with a problem document.
#[tokio::test]
async fn every_route_but_login_needs_a_sign_in() {
    let s = Server::start().await;
    let api = s.anon();
    let any = "01234567-89ab-7def-8123-456789abcdef";
    for (method, path, rule) in ROUTES {
        let concrete = path.replace("{id}", any).replace("{user}", any).replace("{code}", "x").replace("{version}", "1");
        let r = api.send(Method::from_bytes(method.as_bytes()).unwrap(), &concrete, Some(&json!({})), &[("if-match", "\"1\"")]).await;
        if *rule == Rule::Public {
            assert_ne!(r.status, StatusCode::UNAUTHORIZED, "{method} {path} is public");
            continue;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(r.content_type(), "application/problem+json", "{method} {path}");
        assert_eq!(r.body["status"], 401);
        assert!(r.header("www-authenticate").starts_with("Bearer"), "{method} {path}");
    }
    for (path, code) in [("/healthz", 200), ("/readyz", 200), ("/api/v1/openapi.json", 200), ("/api/v1/docs", 200)] {
        assert_eq!(api.get(path).await.status.as_u16(), code, "{path}");
    }
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_get_the_same_answer() {
    let f = Fixture::new().await;
    let api = f.server.anon();
    let unknown = api.post("/api/v1/auth/login", &json!({"email": "nobody@test.example", "password": PASSWORD})).await;
    let wrong = api.post("/api/v1/auth/login", &json!({"email": f.emails["viewer"], "password": "not the password"})).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.text, wrong.text, "identical bodies");
    assert!(unknown.header("set-cookie").is_empty());
    let bad = api.post("/api/v1/auth/login", &json!({"email": "x@y.z"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_error("password", "required"), "{:?}", bad.errors());
}

#[tokio::test]
async fn sessions_sign_in_and_out() {
    let f = Fixture::new().await;
    let api = f.server.anon();
    let r = api.post("/api/v1/auth/login", &json!({"email": f.emails["viewer"].to_uppercase(), "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK, "e-mail is case-insensitive: {}", r.text);
    let cookie = r.header("set-cookie");
    assert!(cookie.starts_with("liaison_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http by default");
    assert_eq!(r.body["user"]["email"], f.emails["viewer"]);
    assert!(r.body.get("password_hash").is_none() && !r.text.contains("argon2"));
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["roles"][f.plan.id.to_string()], "viewer");
    // A second sign-in gets a new session id.
    let again = api.post("/api/v1/auth/login", &json!({"email": f.emails["viewer"], "password": PASSWORD})).await;
    assert_ne!(again.header("set-cookie"), cookie, "session id rotated at sign-in");
    let out = api.post("/api/v1/auth/logout", &json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // The old cookie no longer works even if a client keeps it.
    let old = cookie.split(';').next().unwrap().to_string();
    let replay = f.server.anon().send(Method::GET, "/api/v1/me", None, &[("cookie", &old)]).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_tokens_work_until_revoked() {
    let f = Fixture::new().await;
    let session = f.as_("partner").await;
    let issued = session.post("/api/v1/auth/tokens", &json!({"name": "reporting script", "valid_days": 30})).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let token = issued.body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("lsn_") && token.len() > 40);
    let bearer = Api { base: f.server.base.clone(), client: reqwest::Client::new(), bearer: Some(token.clone()) };
    assert_eq!(bearer.get(&f.plan_path("")).await.status, StatusCode::OK);
    let list = session.get("/api/v1/auth/tokens").await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert!(!list.text.contains(&token), "the secret is never shown again");
    let tid = issued.body["info"]["id"].as_str().unwrap();
    let other = f.as_("viewer").await;
    assert_eq!(other.delete(&format!("/api/v1/auth/tokens/{tid}"), "\"1\"").await.status, StatusCode::NOT_FOUND, "not someone else's");
    assert_eq!(session.delete(&format!("/api/v1/auth/tokens/{tid}"), "\"1\"").await.status, StatusCode::NO_CONTENT);
    assert_eq!(bearer.get(&f.plan_path("")).await.status, StatusCode::UNAUTHORIZED);
    let bad = Api { bearer: Some("lsn_not-a-token".into()), ..bearer.clone() };
    assert_eq!(bad.get(&f.plan_path("")).await.status, StatusCode::UNAUTHORIZED);
    let bad = session.post("/api/v1/auth/tokens", &json!({"name": "", "valid_days": 0})).await;
    assert!(bad.has_error("name", "required") && bad.has_error("valid_days", "out_of_range"), "{:?}", bad.errors());
}

#[tokio::test]
async fn changing_ones_password_ends_sessions() {
    let f = Fixture::new().await;
    let api = f.as_("viewer").await;
    let weak = api.send(Method::PUT, "/api/v1/me/password", Some(&json!({"current_password": PASSWORD, "password": "password1234"})), &[]).await;
    assert!(weak.has_error("password", "common"), "{:?}", weak.errors());
    let wrong = api.send(Method::PUT, "/api/v1/me/password", Some(&json!({"current_password": "nope", "password": "a much better phrase"})), &[]).await;
    assert!(wrong.has_error("current_password", "wrong"));
    let ok = api.send(Method::PUT, "/api/v1/me/password", Some(&json!({"current_password": PASSWORD, "password": "a much better phrase"})), &[]).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.text);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let r = f.server.anon().post("/api/v1/auth/login", &json!({"email": f.emails["viewer"], "password": "a much better phrase"})).await;
    assert_eq!(r.status, StatusCode::OK);
}
