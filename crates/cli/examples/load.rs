//! A load script for the performance budgets of DESIGN.md §8, against a running server
//! (`liaison demo`, release build):
//!
//! ```sh
//! cargo run --release --example load -- http://127.0.0.1:8080 writes 16 10
//! cargo run --release --example load -- http://127.0.0.1:8080 reads 16 10
//! ```
//!
//! `plan500`: creates a plan of 10 chapters × 10 objectives × 4 actions (510 items) and
//! prints its id, for measuring pages of a large plan.
//!
//! `writes`: each of N clients keeps changing its own Partnership Goal (PATCH with If-Match),
//! so every request is a real update with its Change row. `reads`: the goal list. Prints
//! requests per second, latency percentiles and every non-2xx answer.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let mode = args.get(2).cloned().unwrap_or_else(|| "writes".into());
    let clients: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16);
    let seconds: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10);
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "coordinator@demo.test", "password": "demo-password"}))
        .send()
        .await?
        .json()
        .await?;
    if login.get("user").is_none() {
        return Err(format!("cannot sign in: {login}").into());
    }
    // Sessions are cookies; the script uses a token instead.
    let cookie_client = reqwest::Client::builder().cookie_store(true).build()?;
    cookie_client.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "coordinator@demo.test", "password": "demo-password"})).send().await?;
    let issued: Value =
        cookie_client.post(format!("{base}/api/v1/auth/tokens")).json(&json!({"name": "load script", "valid_days": 1})).send().await?.json().await?;
    let token = issued["token"].as_str().ok_or("no token")?.to_string();
    let plans: Value = http.get(format!("{base}/api/v1/plans")).bearer_auth(&token).send().await?.json().await?;
    let plan = plans["items"].as_array().and_then(|a| a.iter().find(|p| p["code"] == "PG-SRB-2015")).ok_or("no demo goals: run `liaison demo` first")?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if mode == "plan500" {
        let me: Value = http.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await?.json().await?;
        let owner = me["user"]["organisation"].as_str().unwrap_or_default().to_string();
        let p: Value = http.get(format!("{base}/api/v1/plans/{plan}")).bearer_auth(&token).send().await?.json().await?;
        let code = format!("LARGE-{}", std::process::id());
        let created: Value = http
            .post(format!("{base}/api/v1/plans"))
            .bearer_auth(&token)
            .json(&json!({"framework": "ipap", "code": code, "title": {"en": "A large plan", "sr": "Велики план"}, "partner": p["partner"], "owner": p["owner"], "period": {"start": "2020-01-01", "end": "2024-12-31"}}))
            .send()
            .await?
            .json()
            .await?;
        let _ = owner;
        let id = created["id"].as_str().ok_or(format!("no plan: {created}"))?.to_string();
        let statuses = ["planned", "in_progress", "completed", "delayed", "partially_completed"];
        let areas = ["defence_policy", "logistics", "cyber_defence"];
        let mut n = 0;
        for c in 1..=10 {
            let ch: Value = http
                .post(format!("{base}/api/v1/plans/{id}/items"))
                .bearer_auth(&token)
                .json(&json!({"code": format!("{c}"), "title": {"en": format!("Chapter {c}")}}))
                .send()
                .await?
                .json()
                .await?;
            for o in 1..=10 {
                let ob: Value = http
                    .post(format!("{base}/api/v1/plans/{id}/items"))
                    .bearer_auth(&token)
                    .json(&json!({"code": format!("{c}.{o}"), "title": {"en": format!("Objective {c}.{o}"), "sr": format!("Циљ {c}.{o}")}, "parent": ch["id"]}))
                    .send()
                    .await?
                    .json()
                    .await?;
                for a in 1..=4 {
                    n += 1;
                    http.post(format!("{base}/api/v1/plans/{id}/items"))
                        .bearer_auth(&token)
                        .json(&json!({"code": format!("{c}.{o}.{a}"), "title": {"en": format!("Action {c}.{o}.{a}: a realistic length of title for an action of the plan")}, "parent": ob["id"], "status": statuses[n % 5], "due": format!("202{}-Q{}", 1 + n % 4, 1 + n % 4), "areas": [areas[n % 3]]}))
                        .send()
                        .await?;
                }
            }
        }
        println!("{id}");
        return Ok(());
    }
    let list_url = format!("{base}/api/v1/plans/{plan}/items?level=partnership_goal&limit=100");
    let goals: Value = http.get(&list_url).bearer_auth(&token).send().await?.json().await?;
    let goals: Vec<String> = goals["items"].as_array().ok_or("no goals")?.iter().filter_map(|g| g["id"].as_str().map(String::from)).collect();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, token, list_url, mode) = (http.clone(), token.clone(), list_url.clone(), mode.clone());
        let item = format!("{base}/api/v1/items/{}", goals[c % goals.len()]);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failures = Vec::new();
            let mut etag = http
                .get(&item)
                .bearer_auth(&token)
                .send()
                .await
                .ok()
                .and_then(|r| r.headers().get("etag").and_then(|v| v.to_str().ok()).map(String::from))
                .unwrap_or_default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = if mode == "reads" {
                    http.get(&list_url).bearer_auth(&token).send().await
                } else {
                    http.patch(&item)
                        .bearer_auth(&token)
                        .header("if-match", &etag)
                        .json(&json!({"description": {"en": format!("load test edit {c}-{n}")}}))
                        .send()
                        .await
                };
                n += 1;
                match r {
                    Ok(r) if r.status().is_success() => {
                        if let Some(e) = r.headers().get("etag").and_then(|v| v.to_str().ok()) {
                            etag = e.to_string();
                        }
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    Ok(r) => failures.push(format!("{} {}", r.status(), r.text().await.unwrap_or_default())),
                    Err(e) => failures.push(e.to_string()),
                }
            }
            (lat, failures)
        }));
    }
    let started = Instant::now();
    let mut lat = Vec::new();
    let mut failures = Vec::new();
    for t in tasks {
        let (l, f) = t.await?;
        lat.extend(l);
        failures.extend(f);
    }
    let secs = started.elapsed().as_secs_f64().min(seconds as f64).max(0.001);
    lat.sort();
    let pct = |p: f64| lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1))).copied().unwrap_or_default();
    println!(
        "{mode}: {} ok in {seconds} s with {clients} clients = {:.0}/s; p50 {:.2} ms, p99 {:.2} ms; {} failed",
        lat.len(),
        lat.len() as f64 / secs,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        failures.len()
    );
    for f in failures.iter().take(5) {
        println!("  failure: {f}");
    }
    Ok(())
}
