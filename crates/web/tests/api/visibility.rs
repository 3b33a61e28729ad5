//! Need-to-know: a partner-side user cannot find a non-releasable record by any path.

use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_partner_cannot_find_a_non_releasable_item_by_any_path() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let open = f.item(None, "OPEN", None).await;
    let secret_title = "Allied assessment CANARY-7731";
    let hidden = coord
        .post(
            &f.plan_path("/items"),
            &json!({"code": "HIDDEN", "title": {"en": secret_title}, "marking": {"level": "nato_restricted", "releasable_to": [], "originator": "NATO"}}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::CREATED, "{}", hidden.text);
    let hidden = hidden.id();
    let link = coord.post(&format!("/api/v1/items/{open}/links"), &json!({"to": hidden, "kind": "supports"})).await;
    assert_eq!(link.status, StatusCode::CREATED);
    let link = link.id();
    coord.post(&f.plan_path("/decisions"), &json!({"kind": "other", "date": "2015-03-01", "body": {"en": "CANARY-7731 decision"}, "marking": {"level": "nato_restricted", "originator": "NATO"}})).await;
    let missing = partner.get("/api/v1/items/01234567-89ab-7def-8123-456789abcdef").await;

    // By id, history, links, link history: 404, the same body as a missing record.
    for path in [
        format!("/api/v1/items/{hidden}"),
        format!("/api/v1/items/{hidden}/history"),
        format!("/api/v1/items/{hidden}/links"),
        format!("/api/v1/links/{link}/history"),
    ] {
        let r = partner.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.text, missing.text, "{path}");
    }
    // Changing it or linking to it: 404 or "unknown", never 403.
    assert_eq!(partner.patch(&format!("/api/v1/items/{hidden}"), "\"1\"", &json!({"code": "X"})).await.status, StatusCode::NOT_FOUND);
    let r = partner.post(&format!("/api/v1/items/{open}/links"), &json!({"to": hidden, "kind": "implements"})).await;
    assert!(r.has_error("to", "unknown"), "{:?}", r.errors());
    let r = partner.post(&f.plan_path("/items"), &json!({"code": "CHILD", "title": {"en": "x"}, "parent": hidden})).await;
    assert!(r.has_error("parent", "unknown"));
    // Lists, counts, search, links from a visible item, versions, decisions: no trace.
    let everywhere = [
        partner.get(&f.plan_path("/items?limit=500")).await,
        partner.get(&f.plan_path("/items?q=CANARY")).await,
        partner.get(&format!("/api/v1/items/{open}/links")).await,
        partner.get(&f.plan_path("/versions/current")).await,
        partner.get(&f.plan_path("/compare?from=current")).await,
        partner.get(&f.plan_path("/decisions")).await,
        partner.get(&f.plan_path("/history")).await,
        partner.get(&format!("/api/v1/items/{open}/history")).await,
    ];
    for a in &everywhere {
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert!(!a.text.contains("CANARY") && !a.text.contains(&hidden), "leak: {}", a.text);
    }
    assert_eq!(partner.get(&f.plan_path("/items/count")).await.body["count"], 1);
    assert_eq!(coord.get(&f.plan_path("/items/count")).await.body["count"], 2, "the coordinator sees both");
    assert!(coord.get(&f.plan_path("/items?q=CANARY")).await.text.contains(secret_title));
}

#[tokio::test]
async fn history_keeps_what_a_row_revealed_before_a_downgrade() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let restricted = Marking::new(Level::NatoRestricted, &[], "NATO");
    let id = f.item(None, "D", Some(restricted)).await;
    let path = format!("/api/v1/items/{id}");
    coord.patch(&path, "\"1\"", &json!({"title": {"en": "Alliance-only wording CANARY-42"}})).await;
    assert_eq!(partner.get(&path).await.status, StatusCode::NOT_FOUND);
    let down = coord
        .patch(
            &path,
            "\"2\"",
            &json!({"title": {"en": "Releasable wording"}, "marking": {"level": "nato_unclassified", "releasable_to": ["SRB"], "originator": "NATO"}}),
        )
        .await;
    assert_eq!(down.status, StatusCode::OK, "{}", down.text);
    assert_eq!(partner.get(&path).await.status, StatusCode::OK, "released now");
    let h = partner.get(&format!("{path}/history")).await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(!h.text.contains("CANARY-42"), "the older rows stay at their marking: {}", h.text);
    let full = coord.get(&format!("{path}/history")).await;
    assert!(full.text.contains("CANARY-42"));
}

#[tokio::test]
async fn markings_are_checked_and_downgrades_need_the_right_and_are_audited() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let parent = coord
        .post(
            &f.plan_path("/items"),
            &json!({"code": "P", "title": {"en": "P"}, "marking": {"level": "nato_restricted", "releasable_to": ["SRB"], "originator": "NATO"}}),
        )
        .await
        .id();
    let low =
        json!({"code": "C", "title": {"en": "C"}, "parent": parent, "marking": {"level": "nato_unclassified", "releasable_to": ["SRB"], "originator": "NATO"}});
    let r = partner.post(&f.plan_path("/items"), &low).await;
    assert!(r.has_error("marking", "below_parent"), "{:?}", r.errors());
    let mut asked = low.clone();
    asked["downgrade"] = json!(true);
    let r = partner.post(&f.plan_path("/items"), &asked).await;
    assert!(r.has_error("marking", "downgrade_forbidden"), "only coordinators: {:?}", r.errors());
    let r = coord.post(&f.plan_path("/items"), &asked).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let h = coord.get(&format!("/api/v1/items/{}/history", r.id())).await;
    let actions: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["marking_downgrade", "create"]);
    let hide_from_self = partner
        .post(
            &f.plan_path("/items"),
            &json!({"code": "S", "title": {"en": "S"}, "marking": {"level": "nato_secret", "releasable_to": ["SRB"], "originator": "SRB"}}),
        )
        .await;
    assert!(hide_from_self.has_error("marking", "hides_from_you"), "above the partner's clearance: {:?}", hide_from_self.errors());
    let tlp = coord.post(&f.plan_path("/items"), &json!({"code": "T", "title": {"en": "T"}, "marking": {"level": "tlp_amber", "originator": "NATO"}})).await;
    assert!(tlp.has_error("marking.level", "wrong_scheme"));
}
