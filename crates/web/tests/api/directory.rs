//! Organisations, areas, frameworks and accounts.

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn organisations_are_read_by_all_and_changed_by_admins() {
    let f = Fixture::new().await;
    let admin = f.as_("admin").await;
    let viewer = f.as_("viewer").await;
    let list = viewer.get("/api/v1/organisations?limit=2").await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    assert!(list.body["next_cursor"].is_string());
    let input = json!({"name": {"en": "Military Medical Academy", "sr": "Војномедицинска академија"}, "short_name": "MMA", "kind": "partner_unit", "country": "SRB", "parent": f.orgs["MoD"]});
    assert_eq!(viewer.post("/api/v1/organisations", &input).await.status, StatusCode::FORBIDDEN);
    let o = admin.post("/api/v1/organisations", &input).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    let bad = admin.post("/api/v1/organisations", &json!({"name": {"en": "x"}, "short_name": "X", "kind": "partner_unit", "country": "Serbia"})).await;
    assert!(bad.has_error("country", "invalid"));
    let bad = admin.post("/api/v1/organisations", &json!({"name": {"en": "x"}, "short_name": "X", "kind": "club"})).await;
    assert!(bad.has_error("kind", "invalid"));
    let path = format!("/api/v1/organisations/{}", o.id());
    let cyc = admin.patch(&format!("/api/v1/organisations/{}", f.orgs["MoD"]), "\"1\"", &json!({"parent": o.id()})).await;
    assert!(cyc.has_error("parent", "cycle"), "{:?}", cyc.errors());
    let r = admin.patch(&path, "\"1\"", &json!({"short_name": "VMA"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let h = viewer.get(&format!("{path}/history")).await;
    assert_eq!(h.body["items"][0]["before"]["short_name"], "MMA");
}

#[tokio::test]
async fn areas_and_frameworks() {
    let f = Fixture::new().await;
    let admin = f.as_("admin").await;
    let fws = f.as_("viewer").await.get("/api/v1/frameworks").await;
    let codes: Vec<&str> = fws.body.as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["ipap", "partnership_goals", "eu_accession", "logframe"]);
    let custom = json!({"code": "annual_programme", "name": {"en": "Annual National Programme"}, "levels": [{"key": "section", "name": {"en": "Section"}}, {"key": "task", "name": {"en": "Task"}}]});
    assert_eq!(admin.post("/api/v1/frameworks", &custom).await.status, StatusCode::CREATED);
    assert!(admin.post("/api/v1/frameworks", &custom).await.has_error("code", "taken"));
    assert!(admin.post("/api/v1/frameworks", &json!({"code": "x y", "name": {"en": "x"}, "levels": []})).await.has_error("levels", "count"));
    let plan = f.as_("coordinator").await
        .post("/api/v1/plans", &json!({"framework": "annual_programme", "code": "ANP", "title": {"en": "ANP"}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2020-01-01", "end": "2020-12-31"}}))
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.text);
    let coord = f.as_("coordinator").await;
    let s = coord.post(&format!("/api/v1/plans/{}/items", plan.id()), &json!({"code": "1", "title": {"en": "S"}})).await;
    assert_eq!(s.body["level"], "section");
    let a = admin.post("/api/v1/areas", &json!({"code": "military_health", "name": {"en": "Military health", "sr": "Војно здравство"}})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert!(admin.post("/api/v1/areas", &json!({"code": "Military Health", "name": {"en": "x"}})).await.has_error("code", "invalid"));
    let r = admin.patch("/api/v1/areas/military_health", "\"1\"", &json!({"name": {"en": "Medical support"}})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(admin.patch("/api/v1/areas/nothing", "\"1\"", &json!({"name": {"en": "x"}})).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn accounts_are_managed_by_admins_and_read_by_security_officers() {
    let f = Fixture::new().await;
    let admin = f.as_("admin").await;
    let input = json!({"display_name": "New desk officer", "email": "new@test.example", "organisation": f.orgs["NATO IS"], "clearance": "nato_restricted", "password": "a long enough phrase"});
    assert_eq!(f.as_("coordinator").await.post("/api/v1/users", &input).await.status, StatusCode::FORBIDDEN);
    let u = admin.post("/api/v1/users", &input).await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.text);
    assert!(!u.text.contains("password"), "no password in answers");
    let dup = admin.post("/api/v1/users", &json!({"display_name": "x", "email": "NEW@test.example", "organisation": f.orgs["NATO IS"], "clearance": "nato_restricted", "password": "a long enough phrase"})).await;
    assert!(dup.has_error("email", "taken"));
    let weak = admin.post("/api/v1/users", &json!({"display_name": "x", "email": "w@test.example", "organisation": f.orgs["NATO IS"], "clearance": "nato_restricted", "password": "qwerty123456"})).await;
    assert!(weak.has_error("password", "common"));
    let so = f.as_("security").await;
    assert_eq!(so.get("/api/v1/users").await.status, StatusCode::OK);
    assert_eq!(so.post("/api/v1/users", &input).await.status, StatusCode::FORBIDDEN);
    let path = format!("/api/v1/users/{}", u.id());
    let r = admin.patch(&path, "\"1\"", &json!({"clearance": "nato_secret", "global_roles": ["security_officer"]})).await;
    assert_eq!(r.status, StatusCode::OK);
    let h = admin.get(&format!("{path}/history")).await;
    assert_eq!(h.body["items"][0]["action"], "permission_change");
    let fixture_pw = f.server.anon().post("/api/v1/auth/login", &json!({"email": "new@test.example", "password": PASSWORD})).await;
    assert_eq!(fixture_pw.status, StatusCode::UNAUTHORIZED, "created with its own password");
    let new = f.server.anon();
    assert_eq!(new.post("/api/v1/auth/login", &json!({"email": "new@test.example", "password": "a long enough phrase"})).await.status, StatusCode::OK);
    assert_eq!(admin.patch(&path, "\"2\"", &json!({"status": "disabled"})).await.status, StatusCode::OK);
    assert_eq!(new.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "disabling ends sessions");
    let r = admin.send(Method::PUT, &format!("{path}/password"), Some(&json!({"password": "another fine phrase"})), &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let me = admin.get("/api/v1/me").await.body["user"]["id"].as_str().unwrap().to_string();
    let self_lock = admin.patch(&format!("/api/v1/users/{me}"), "\"1\"", &json!({"status": "locked", "global_roles": []})).await;
    assert!(self_lock.has_error("status", "self_lockout") && self_lock.has_error("global_roles", "self_demotion"));
}
