//! Optimistic concurrency: concurrent edits are never silently lost.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn two_editors_one_wins_the_other_gets_412_and_history_shows_the_winner() {
    let f = Fixture::new().await;
    let alice = f.as_("coordinator").await;
    let bob = f.as_("partner").await;
    let id = f.item(None, "1", None).await;
    let path = format!("/api/v1/items/{id}");
    let a_read = alice.get(&path).await;
    let b_read = bob.get(&path).await;
    assert_eq!(a_read.etag(), b_read.etag());
    let a = alice.patch(&path, &a_read.etag(), &json!({"title": {"en": "Alice's title"}})).await;
    assert_eq!(a.status, StatusCode::OK);
    let b = bob.patch(&path, &b_read.etag(), &json!({"title": {"en": "Bob's title"}})).await;
    assert_eq!(b.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(b.body["current_version"], 2);
    assert_eq!(alice.get(&path).await.body["title"]["en"], "Alice's title");
    let h = alice.get(&format!("{path}/history")).await;
    let rows = h.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "create + Alice's update, nothing of Bob's");
    assert_eq!(rows[0]["after"]["title"]["en"], "Alice's title");
    let alice_id = alice.get("/api/v1/me").await.body["user"]["id"].clone();
    assert_eq!(rows[0]["actor"], alice_id);
}

/// Many clients racing on the same record with the version they read: every write is either
/// applied exactly once or refused with 412; none is lost and none is applied twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_lose_nothing() {
    let f = Fixture::new().await;
    let api = f.token("coordinator").await;
    let id = f.item(None, "1", None).await;
    let path = format!("/api/v1/items/{id}");
    let mut tasks = Vec::new();
    for w in 0..8 {
        let api = api.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut applied = 0;
            for i in 0..10 {
                loop {
                    let cur = api.get(&path).await;
                    let r = api.patch(&path, &cur.etag(), &json!({"description": {"en": format!("writer {w} edit {i}")}})).await;
                    match r.status {
                        StatusCode::OK => {
                            applied += 1;
                            break;
                        }
                        StatusCode::PRECONDITION_FAILED => continue,
                        s => panic!("unexpected {s}: {}", r.text),
                    }
                }
            }
            applied
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 80);
    let item = api.get(&path).await;
    assert_eq!(item.body["version"], 81, "each applied write is exactly one version");
    let mut updates = 0;
    let mut cursor = String::new();
    loop {
        let h = api.get(&format!("{path}/history?limit=500{cursor}")).await;
        updates += h.body["items"].as_array().unwrap().iter().filter(|c| c["action"] == "update").count();
        match h.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(updates, 80);
}
