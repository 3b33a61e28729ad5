//! Items: the tree, its rules, lists with filters and pages, moves, deletes, links, history.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn create(api: &Api, f: &Fixture, body: Value) -> Answer {
    api.post(&f.plan_path("/items"), &body).await
}

#[tokio::test]
async fn the_tree_follows_the_framework() {
    let f = Fixture::new().await;
    let api = f.as_("partner").await;
    let ch = create(&api, &f, json!({"code": "1", "title": {"en": "Political framework", "sr": "Политички оквир"}})).await;
    assert_eq!(ch.status, StatusCode::CREATED, "{}", ch.text);
    assert_eq!(ch.body["level"], "chapter");
    assert_eq!(ch.etag(), "\"1\"");
    assert!(ch.header("location").ends_with(&ch.id()));
    assert_eq!(ch.body["marking"], json!({"level": "nato_unclassified", "releasable_to": ["SRB"], "originator": "NATO"}), "inherits the plan's");
    let ob = create(&api, &f, json!({"code": "1.1", "title": {"en": "Dialogue"}, "parent": ch.id(), "level": "objective"})).await;
    assert_eq!(ob.status, StatusCode::CREATED, "{}", ob.text);
    let ac = create(&api, &f, json!({"code": "1.1.1", "title": {"en": "Consult"}, "parent": ob.id(), "due": "2015-Q3", "areas": ["cyber_defence"]})).await;
    assert_eq!(ac.body["level"], "action");
    assert_eq!(ac.body["due"], "2015-Q3");
    let deep = create(&api, &f, json!({"code": "1.1.1.1", "title": {"en": "Too deep"}, "parent": ac.id()})).await;
    assert!(deep.has_error("parent", "too_deep"), "{:?}", deep.errors());
    let wrong = create(&api, &f, json!({"code": "9", "title": {"en": "x"}, "level": "objective"})).await;
    assert!(wrong.has_error("level", "mismatch"));
    let dup = create(&api, &f, json!({"code": "1.1", "title": {"en": "again"}, "parent": ch.id()})).await;
    assert!(dup.has_error("code", "taken"), "codes are unique in a plan, case-insensitively");
    let ghost = create(&api, &f, json!({"code": "2.1", "title": {"en": "x"}, "parent": "01234567-89ab-7def-8123-456789abcdef"})).await;
    assert!(ghost.has_error("parent", "unknown"));
    let viewer = f.as_("viewer").await;
    let r = create(&viewer, &f, json!({"code": "5", "title": {"en": "x"}})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lists_are_in_tree_order_filtered_and_paged() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    // Create children before a second chapter, so creation order differs from tree order.
    let c1 = create(&api, &f, json!({"code": "1", "title": {"en": "One"}})).await.id();
    let c2 = create(&api, &f, json!({"code": "2", "title": {"en": "Two"}})).await.id();
    let mut expected = vec!["1".to_string()];
    for i in 0..12 {
        let code = format!("1.{i}");
        let status = if i % 3 == 0 { "completed" } else { "in_progress" };
        let r = create(&api, &f, json!({"code": code, "title": {"en": format!("Objective {i}"), "sr": "Кибернетичка одбрана"}, "parent": c1, "status": status, "areas": if i % 2 == 0 { json!(["cyber_defence"]) } else { json!(["logistics"]) }, "due": format!("2015-Q{}", i % 4 + 1)})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        expected.push(code);
    }
    expected.push("2".into());
    let sub = create(&api, &f, json!({"code": "2.1", "title": {"en": "Sub"}, "parent": c2})).await;
    assert_eq!(sub.status, StatusCode::CREATED);
    expected.push("2.1".into());

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("/items?limit=4&cursor={c}"),
            None => "/items?limit=4".into(),
        };
        let r = api.get(&f.plan_path(&q)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        seen.extend(r.body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()));
        pages += 1;
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, expected, "depth-first tree order across pages");
    assert_eq!(pages, 4);

    let codes = |r: &Answer| r.body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let done = api.get(&f.plan_path("/items?status=completed")).await;
    assert_eq!(codes(&done), vec!["1.0", "1.3", "1.6", "1.9"]);
    let cyber = api.get(&f.plan_path("/items?area=cyber_defence&level=objective")).await;
    assert_eq!(codes(&cyber).len(), 6);
    let q3 = api.get(&f.plan_path("/items?due_quarter=2015-Q3")).await;
    assert_eq!(codes(&q3), vec!["1.2", "1.6", "1.10"]);
    let roots = api.get(&f.plan_path("/items?parent=root")).await;
    assert_eq!(codes(&roots), vec!["1", "2"]);
    let latin = api.get(&f.plan_path("/items?q=kibernetic")).await;
    assert_eq!(codes(&latin).len(), 12, "Latin search finds Cyrillic titles");
    let count = api.get(&f.plan_path("/items/count?status=in_progress")).await;
    assert_eq!(count.body["count"], 8);
    let overdue = api.get(&f.plan_path("/items?overdue=true")).await;
    assert_eq!(codes(&overdue).len(), 8, "past due and not closed");
}

#[tokio::test]
async fn moving_and_reordering_keep_levels() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let a = create(&api, &f, json!({"code": "A", "title": {"en": "A"}})).await.id();
    let b = create(&api, &f, json!({"code": "B", "title": {"en": "B"}})).await.id();
    let mut kids = Vec::new();
    for c in ["A1", "A2", "A3"] {
        kids.push(create(&api, &f, json!({"code": c, "title": {"en": c}, "parent": a})).await.id());
    }
    let first = create(&api, &f, json!({"code": "A0", "title": {"en": "A0"}, "parent": a, "position": 0})).await;
    assert_eq!(first.body["position"], 0);
    let order = |r: Answer| r.body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(order(api.get(&f.plan_path("/items")).await), vec!["A", "A0", "A1", "A2", "A3", "B"]);
    // Move A3 under B, then to the front of A again.
    let r = api.post_if(&format!("/api/v1/items/{}/move", kids[2]), "\"1\"", &json!({"parent": b})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.etag(), "\"2\"");
    assert_eq!(order(api.get(&f.plan_path("/items")).await), vec!["A", "A0", "A1", "A2", "B", "A3"]);
    let r = api.post_if(&format!("/api/v1/items/{}/move", kids[2]), "\"2\"", &json!({"parent": a, "position": 1})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(order(api.get(&f.plan_path("/items")).await), vec!["A", "A0", "A3", "A1", "A2", "B"]);
    let r = api.post_if(&format!("/api/v1/items/{}/move", kids[0]), "\"1\"", &json!({"parent": null})).await;
    assert!(r.has_error("parent", "required"), "an objective needs a parent: {:?}", r.errors());
    let r = api.post_if(&format!("/api/v1/items/{a}/move"), "\"1\"", &json!({"parent": b})).await;
    assert!(r.has_error("parent", "wrong_level"));
    let r = api.post_if(&format!("/api/v1/items/{a}/move"), "\"1\"", &json!({"parent": null, "position": 1})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(order(api.get(&f.plan_path("/items")).await), vec!["B", "A", "A0", "A3", "A1", "A2"]);
    let h = api.get(&format!("/api/v1/items/{}/history", kids[2])).await;
    let actions: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["move", "move", "create"]);
}

#[tokio::test]
async fn deleting_an_item_with_children_needs_cascade() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let a = create(&api, &f, json!({"code": "A", "title": {"en": "A"}})).await.id();
    let a1 = create(&api, &f, json!({"code": "A1", "title": {"en": "A1"}, "parent": a})).await.id();
    let a11 = create(&api, &f, json!({"code": "A11", "title": {"en": "A11"}, "parent": a1})).await.id();
    let b = create(&api, &f, json!({"code": "B", "title": {"en": "B"}})).await.id();
    let l = api.post(&format!("/api/v1/items/{b}/links"), &json!({"to": a11, "kind": "supports"})).await;
    assert_eq!(l.status, StatusCode::CREATED, "{}", l.text);
    let r = api.delete(&format!("/api/v1/items/{a}"), "\"1\"").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.errors()[0].1, "has_children");
    assert_eq!(api.get(&f.plan_path("/items/count")).await.body["count"], 4, "nothing removed");
    let r = api.delete(&format!("/api/v1/items/{a}?cascade=true"), "\"1\"").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(api.get(&f.plan_path("/items/count")).await.body["count"], 1);
    assert_eq!(api.get(&format!("/api/v1/items/{a11}")).await.status, StatusCode::NOT_FOUND);
    assert!(api.get(&format!("/api/v1/items/{b}/links")).await.body.as_array().unwrap().is_empty(), "links went too");
    let h = api.get(&format!("/api/v1/items/{a11}/history")).await;
    assert_eq!(h.status, StatusCode::OK, "a deleted item's history stays readable");
    assert_eq!(h.body["items"][0]["action"], "delete");
    assert!(h.body["items"][0]["after"].is_null() && h.body["items"][0]["before"]["code"] == "A11");
    // The remaining root was renumbered.
    assert_eq!(api.get(&format!("/api/v1/items/{b}")).await.body["position"], 0);
}

#[tokio::test]
async fn links_across_plans_with_rules() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let a = create(&api, &f, json!({"code": "A", "title": {"en": "A"}})).await.id();
    let b = create(&api, &f, json!({"code": "B", "title": {"en": "B"}})).await.id();
    let c = create(&api, &f, json!({"code": "C", "title": {"en": "C"}})).await.id();
    let r = api.post(&format!("/api/v1/items/{a}/links"), &json!({"to": b, "kind": "depends_on"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(api.post(&format!("/api/v1/items/{b}/links"), &json!({"to": c, "kind": "depends_on"})).await.status, StatusCode::CREATED);
    let cycle = api.post(&format!("/api/v1/items/{c}/links"), &json!({"to": a, "kind": "depends_on"})).await;
    assert!(cycle.has_error("to", "cycle"), "{:?}", cycle.errors());
    assert!(api.post(&format!("/api/v1/items/{a}/links"), &json!({"to": a, "kind": "supports"})).await.has_error("to", "self"));
    assert!(api.post(&format!("/api/v1/items/{a}/links"), &json!({"to": b, "kind": "depends_on"})).await.has_error("to", "duplicate"));
    assert!(api.post(&format!("/api/v1/items/{a}/links"), &json!({"to": b, "kind": "blocks"})).await.has_error("kind", "invalid"));
    // Another plan: a goal that the action implements.
    let goals = api
        .post("/api/v1/plans", &json!({"framework": "partnership_goals", "code": "PG-T", "title": {"en": "Goals"}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2015-01-01", "end": "2018-12-31"}}))
        .await;
    assert_eq!(goals.status, StatusCode::CREATED, "{}", goals.text);
    let area = api.post(&format!("/api/v1/plans/{}/items", goals.id()), &json!({"code": "E", "title": {"en": "Cyber"}})).await.id();
    let pg = api.post(&format!("/api/v1/plans/{}/items", goals.id()), &json!({"code": "PG-17", "title": {"en": "Goal 17"}, "parent": area})).await;
    assert_eq!(pg.body["level"], "partnership_goal");
    let l = api.post(&format!("/api/v1/items/{a}/links"), &json!({"to": pg.id(), "kind": "implements"})).await;
    assert_eq!(l.status, StatusCode::CREATED);
    assert_eq!(l.body["other"]["plan_code"], "PG-T");
    let from_goal = api.get(&format!("/api/v1/items/{}/links", pg.id())).await;
    assert_eq!(from_goal.body[0]["direction"], "incoming");
    assert_eq!(from_goal.body[0]["other"]["code"], "A");
    let lid = l.id();
    assert_eq!(api.delete(&format!("/api/v1/links/{lid}"), "\"2\"").await.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(api.delete(&format!("/api/v1/links/{lid}"), "\"1\"").await.status, StatusCode::NO_CONTENT);
    let h = api.get(&format!("/api/v1/links/{lid}/history")).await;
    assert_eq!(h.body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn history_shows_before_and_after_newest_first() {
    let f = Fixture::new().await;
    let api = f.as_("partner").await;
    let id = create(&api, &f, json!({"code": "1", "title": {"en": "First", "sr": "Прво"}})).await.id();
    let path = format!("/api/v1/items/{id}");
    api.patch(&path, "\"1\"", &json!({"title": {"en": "Second", "sr": "Друго"}})).await;
    api.patch(&path, "\"2\"", &json!({"status": "in_progress", "due": "continuous"})).await;
    let noop = api.patch(&path, "\"3\"", &json!({"status": "in_progress"})).await;
    assert_eq!(noop.etag(), "\"3\"", "a change that changes nothing is not a new version");
    let h = api.get(&format!("{path}/history")).await;
    let rows = h.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["version"], 3);
    assert_eq!(rows[0]["before"]["status"], "planned");
    assert_eq!(rows[0]["after"]["status"], "in_progress");
    assert_eq!(rows[1]["before"]["title"]["sr"], "Прво");
    assert_eq!(rows[1]["after"]["title"]["sr"], "Друго");
    assert_eq!(rows[2]["action"], "create");
    let me = api.get("/api/v1/me").await;
    assert!(rows.iter().all(|r| r["actor"] == me.body["user"]["id"]));
    assert!(rows.iter().all(|r| r["request_id"].as_str().is_some_and(|s| !s.is_empty()) && r["source"] == "127.0.0.1"));
    let page = api.get(&format!("{path}/history?limit=2")).await;
    let next = page.body["next_cursor"].as_str().unwrap().to_string();
    let rest = api.get(&format!("{path}/history?limit=2&cursor={next}")).await;
    assert_eq!(rest.body["items"][0]["action"], "create");
}

#[tokio::test]
async fn comments_form_a_thread_marked_like_the_item() {
    let f = Fixture::new().await;
    let partner = f.as_("partner").await;
    let id = f.item(None, "1", None).await;
    let path = format!("/api/v1/items/{id}/comments");
    let r = partner.post(&path, &json!({"body": "We propose to **merge** this with 1.2."})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["marking"]["releasable_to"], json!(["SRB"]), "the item's marking by default");
    assert_eq!(r.body["author_name"], "partner");
    let coord = f.as_("coordinator").await;
    coord.post(&path, &json!({"body": "Alliance-internal view", "marking": {"level": "nato_restricted", "originator": "NATO"}})).await;
    assert_eq!(coord.get(&path).await.body.as_array().unwrap().len(), 2);
    let seen = partner.get(&path).await;
    assert_eq!(seen.body.as_array().unwrap().len(), 1, "the partner does not see the alliance-only comment");
    assert!(partner.post(&path, &json!({"body": ""})).await.has_error("body", "required"));
    assert_eq!(f.as_("viewer").await.post(&path, &json!({"body": "x"})).await.status, StatusCode::FORBIDDEN);
}
