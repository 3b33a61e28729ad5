//! The OpenAPI document and the reference page.

use crate::support::*;
use liaison_web::api::ROUTES;
use reqwest::StatusCode;
use std::collections::BTreeSet;

#[tokio::test]
async fn the_document_describes_exactly_the_routes_that_exist() {
    let s = Server::start().await;
    let r = s.anon().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in r.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
                assert!(op["responses"].is_object(), "{method} {path} documents its answers");
            }
        }
    }
    let table: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, table, "every route has a rule in api::ROUTES and every rule a route");
    for needed in ["Problem", "Item", "Plan", "Marking", "Change", "NewItem", "ItemPatch"] {
        assert!(r.body["components"]["schemas"][needed].is_object(), "schema {needed}");
    }
    assert!(r.body["components"]["securitySchemes"]["token"].is_object());
}

#[tokio::test]
async fn the_reference_page_is_served_without_scripts() {
    let s = Server::start().await;
    let r = s.anon().get("/api/v1/docs").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type().starts_with("text/html"));
    assert!(r.text.contains("/plans/{id}/items") && r.text.contains("If-Match"));
    assert!(!r.text.contains("<script"), "no scripts");
    assert!(!r.text.contains("http://") && !r.text.contains("https://"), "no outside assets");
    let css = s.anon().get("/assets/liaison.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    assert_eq!(s.anon().get("/assets/nothing.js").await.status, StatusCode::NOT_FOUND);
}
