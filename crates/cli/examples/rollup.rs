//! Server time of the implementation summary and dashboard (DESIGN.md §8: a 500-item plan's
//! dashboard under 20 ms), for the demo plans and for a generated plan of 510 items with 1,000
//! indicators and 20,000 measurements; then that plan's IATI file at each level (budget: under
//! 1 s) and the file read back (preview and apply):
//!
//! ```sh
//! cargo run --release -p liaison --example rollup -- sqlite:///tmp/rollup.db
//! cargo run --release -p liaison --example rollup -- postgres://postgres@127.0.0.1/rollup
//! ```
//!
//! Everything is written through the use cases (validated, audited). "Cold" is a summary
//! computed after a change to the plan — an edit of a report or an item (the plan's indicators
//! and figures are reused), or new figures (everything read again); "warm" is the cached
//! answer. The dashboard is fetched over HTTP from a server in this process.

use liaison_adapters::{Argon2Hasher, ImageCodec, OsEntropy, SystemClock};
use liaison_app::{App, AppConfig, Ctx, Ports};
use liaison_domain::PlanId;
use liaison_domain::plan::PlanState;
use serde_json::json;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A change recorded against the plan, as any edit of its records makes: the next summary
/// is computed afresh.
async fn touch(db: &liaison_store::Db, app: &App, plan: PlanId, entity: &'static str) {
    if let Ok(tx) = db.begin().await {
        let mut draft = liaison_domain::change::ChangeDraft::unmarked(entity, app.new_id(), 1, "touch", None, None);
        draft.plan = Some(plan);
        tx.record(draft);
        let _ = tx.commit(&Ctx::system("bench").provenance(app.now())).await;
    }
}

async fn large_plan(db: &liaison_store::Db, app: &App, template: &liaison_domain::plan::Plan) -> Result<PlanId, Box<dyn std::error::Error>> {
    let sys = Ctx::system("bench");
    let mut plan = template.clone();
    plan.id = PlanId(app.new_id());
    plan.code = format!("BENCH-{}", std::process::id());
    plan.period = liaison_domain::plan::Period { start: "2020-01-01".parse()?, end: "2024-12-31".parse()? };
    plan.state = PlanState::Implementation;
    plan.predecessor = None;
    let tx = db.begin().await?;
    liaison_store::plans::insert(&tx, &plan).await?;
    tx.commit(&sys.provenance(app.now())).await?;
    let statuses = ["planned", "in_progress", "completed", "delayed", "partially_completed"];
    let areas = ["defence_policy", "logistics", "cyber_defence"];
    let periods: Vec<String> = (2020..=2024).flat_map(|y| (1..=4).map(move |q| format!("{y}-Q{q}"))).collect();
    let started = Instant::now();
    let (mut n, mut measurements) = (0usize, 0usize);
    let new_item = |v: serde_json::Value| -> serde_json::Result<liaison_domain::item::NewItem> { serde_json::from_value(v) };
    for c in 1..=10 {
        let ch = liaison_app::items::create(app, &sys, plan.id, new_item(json!({"code": format!("{c}"), "title": {"en": format!("Chapter {c}")}}))?).await?;
        for o in 1..=10 {
            let ob = liaison_app::items::create(
                app,
                &sys,
                plan.id,
                new_item(json!({"code": format!("{c}.{o}"), "title": {"en": format!("Objective {c}.{o}")}, "parent": ch.id, "areas": [areas[o % 3]]}))?,
            )
            .await?;
            let mut targets_for = vec![ob.id];
            for a in 1..=4 {
                n += 1;
                let it = liaison_app::items::create(
                    app,
                    &sys,
                    plan.id,
                    new_item(
                        json!({"code": format!("{c}.{o}.{a}"), "title": {"en": format!("Action {c}.{o}.{a}")}, "parent": ob.id, "status": statuses[n % 5],
                        "due": format!("202{}-Q{}", 1 + n % 4, 1 + n % 4), "areas": [areas[n % 3]], "gender_marker": (n % 3) as u8}),
                    )?,
                )
                .await?;
                targets_for.push(it.id);
                // Two approved reports per action.
                for (p, pct) in [("2021-Q4", 30u8), ("2023-Q4", 70u8)] {
                    let u = liaison_app::progress::create(
                        app,
                        &sys,
                        it.id,
                        serde_json::from_value(json!({"period": p, "status": "in_progress", "percent": pct, "narrative": "Reported."}))?,
                    )
                    .await?;
                    // Submitted now, approved once the period's figures are in (approval locks them).
                    liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "submit"}))?).await?;
                }
            }
            // Two indicators on the objective and on each action: 10 × 10 × 5 × 2 = 1,000;
            // one value a quarter for 20 quarters = 20,000 measurements.
            for target in targets_for {
                for k in 0..2 {
                    let by_sex = k == 0;
                    let def = if by_sex {
                        json!({"name": {"en": "People trained"}, "unit": "people", "measure": "number", "cumulative": true, "dimension": {"key": "sex", "categories": ["women", "men"]},
                            "targets": [{"period": "2022-Q4", "value": 200}, {"period": "2024-Q4", "value": 400}]})
                    } else {
                        json!({"name": {"en": "Courses aligned"}, "unit": "%", "measure": "percentage", "targets": [{"period": "2024-Q4", "value": 80}]})
                    };
                    let ind = liaison_app::indicators::create(app, &sys, target, serde_json::from_value(def)?).await?;
                    for (i, p) in periods.iter().enumerate() {
                        let v = if by_sex {
                            json!({"period": p, "by_category": {"women": 3 + i % 4, "men": 7 + i % 5}})
                        } else {
                            json!({"period": p, "value": 10 + i, "denominator": 40})
                        };
                        liaison_app::indicators::record(app, &sys, ind.id, serde_json::from_value(v)?).await?;
                        measurements += 1;
                    }
                }
            }
        }
        eprint!("\rchapter {c}/10: {measurements} measurements, {:.0} s", started.elapsed().as_secs_f64());
    }
    // Approve every submitted report.
    for u in liaison_app::progress::of_plan(app, &sys, plan.id, None).await? {
        liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "approve"}))?).await?;
    }
    eprintln!("\rgenerated {} items, {measurements} measurements in {:.0} s", 510, started.elapsed().as_secs_f64());
    Ok(plan.id)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| "sqlite:///tmp/rollup.db".into());
    let db = liaison_store::Db::connect(&liaison_store::DbOptions::new(&url)).await?;
    liaison_store::migrate::run(&db).await?;
    let config = AppConfig::default();
    let ports = Ports {
        clock: std::sync::Arc::new(SystemClock),
        entropy: std::sync::Arc::new(OsEntropy),
        hasher: std::sync::Arc::new(Argon2Hasher::new(config.argon2_memory_kib, config.argon2_iterations)?),
        photos: std::sync::Arc::new(ImageCodec),
        mailer: None,
        identity_providers: Vec::new(),
        passkeys: None,
    };
    let app = App::with_ports(db.clone(), config, ports);
    liaison_demo::load(&app).await?;
    let sys = Ctx::system("bench");
    let coordinator = liaison_app::users::find_by_email(&app, &sys, "coordinator@demo.test").await?;
    let ctx = Ctx { actor: liaison_app::auth::actor_for(&app, coordinator).await?, request_id: "bench".into(), source: "bench".into() };
    let all = liaison_app::plans::list(&app, &sys, None, &liaison_app::Paging { limit: Some(100), cursor: None }).await?;
    let mut targets: Vec<(String, PlanId)> = all.items.iter().filter(|p| !p.code.starts_with("BENCH")).map(|p| (p.code.clone(), p.id)).collect();
    let existing = all.items.iter().find(|p| p.code.starts_with("BENCH")).map(|p| p.id);
    let big = match existing {
        Some(id) => id,
        None => {
            let template = all.items.iter().find(|p| p.code == liaison_demo::GOALS).ok_or("no demo plan")?.clone();
            large_plan(&db, &app, &template).await?
        }
    };
    // The coordinator is a member of the demo plans; make them one of the large plan too.
    let cid = ctx.actor.user_id().ok_or("no user")?;
    if liaison_app::plans::members(&app, &sys, big).await?.iter().all(|m| m.user != cid) {
        liaison_app::plans::set_member(&app, &sys, big, liaison_app::plans::SetMember { user: cid, role: liaison_domain::access::Role::Coordinator }).await?;
    }
    let ctx = Ctx { actor: liaison_app::auth::actor_for(&app, liaison_app::users::find_by_email(&app, &sys, "coordinator@demo.test").await?).await?, ..ctx };
    targets.push(("510 items, 20,000 measurements".into(), big));

    // A server in this process, for the dashboard page.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = liaison_web::AppState::new(app.clone(), liaison_web::WebConfig::default());
    tokio::spawn(async move {
        let _ = liaison_web::serve(listener, state, std::future::pending()).await;
    });
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    http.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "coordinator@demo.test", "password": "demo-password"})).send().await?;

    println!("Cold: after an edit of the plan (a report, an item); after new figures (a measurement). Warm: cached. Medians of 9.");
    println!("{:<34} {:>14} {:>14} {:>12} {:>14} {:>14}", "plan", "summary: edit", "summary: fig.", "summary warm", "dashboard cold", "dashboard warm");
    for (name, id) in targets {
        let (mut sc, mut sf, mut sw, mut dc, mut dw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..9 {
            touch(&db, &app, id, "measurement").await;
            let t = Instant::now();
            liaison_app::summary::summary(&app, &ctx, id, None).await?;
            sf.push(t.elapsed());
            touch(&db, &app, id, "progress_update").await;
            let t = Instant::now();
            let s = liaison_app::summary::summary(&app, &ctx, id, None).await?;
            sc.push(t.elapsed());
            let t = Instant::now();
            liaison_app::summary::summary(&app, &ctx, id, None).await?;
            sw.push(t.elapsed());
            assert!(s.items > 0);
            touch(&db, &app, id, "progress_update").await;
            let t = Instant::now();
            let r = http.get(format!("{base}/plans/{id}/dashboard")).send().await?;
            let ok = r.status().is_success();
            let _ = r.bytes().await?;
            dc.push(t.elapsed());
            let t = Instant::now();
            let _ = http.get(format!("{base}/plans/{id}/dashboard")).send().await?.bytes().await?;
            dw.push(t.elapsed());
            assert!(ok, "dashboard answered an error");
        }
        println!(
            "{name:<34} {:>11.2} ms {:>11.2} ms {:>9.2} ms {:>11.2} ms {:>11.2} ms",
            ms(median(sc)),
            ms(median(sf)),
            ms(median(sw)),
            ms(median(dc)),
            ms(median(dw))
        );
    }

    // IATI: the large plan's file at each level over HTTP (DESIGN budget: under 1 s), and that
    // file read back (preview and apply: everything matched, updated in place).
    println!();
    println!("IATI export of the large plan over HTTP, medians of 5:");
    let mut deepest = Vec::new();
    // The levels of the large plan's framework, top first.
    let plan_json: serde_json::Value = http.get(format!("{base}/api/v1/plans/{big}")).send().await?.json().await?;
    let frameworks: serde_json::Value = http.get(format!("{base}/api/v1/frameworks")).send().await?.json().await?;
    let levels: Vec<String> = frameworks
        .as_array()
        .and_then(|a| a.iter().find(|f| f["code"] == plan_json["framework"]))
        .and_then(|f| f["levels"].as_array())
        .map(|l| l.iter().filter_map(|x| x["key"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    for level in std::iter::once("").chain(levels.iter().skip(1).map(String::as_str)) {
        let url = if level.is_empty() { format!("{base}/api/v1/plans/{big}/iati.xml") } else { format!("{base}/api/v1/plans/{big}/iati.xml?level={level}") };
        let mut times = Vec::new();
        let mut body = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = http.get(&url).send().await?;
            if !r.status().is_success() {
                return Err(format!("{url}: {}", r.status()).into());
            }
            body = r.bytes().await?.to_vec();
            times.push(t.elapsed());
        }
        let activities = body.windows(14).filter(|w| w == b"<iati-activity").count();
        println!(
            "  level {:<10} {:>5} activities {:>9} bytes {:>9.1} ms",
            if level.is_empty() { "(top)" } else { level },
            activities,
            body.len(),
            ms(median(times))
        );
        deepest = body;
    }
    // The upload form, written out (the workspace's reqwest has no multipart feature).
    let boundary = "liaison-rollup-boundary-3f9a";
    let mut form =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"large.xml\"\r\nContent-Type: application/xml\r\n\r\n").into_bytes();
    form.extend_from_slice(&deepest);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let t = Instant::now();
    let r =
        http.post(format!("{base}/api/v1/imports/iati")).header("content-type", format!("multipart/form-data; boundary={boundary}")).body(form).send().await?;
    let status = r.status();
    let preview: serde_json::Value = r.json().await?;
    let previewed = t.elapsed();
    if !status.is_success() {
        return Err(format!("preview: {status} {preview}").into());
    }
    let t = Instant::now();
    let r = http.post(format!("{base}/api/v1/imports/{}/apply", preview["id"].as_str().unwrap_or_default())).json(&json!({})).send().await?;
    let applied_status = r.status();
    let _ = r.bytes().await?;
    println!(
        "  that file ({} bytes) read back: preview {:.0} ms ({}), apply {:.0} ms ({applied_status})",
        deepest.len(),
        ms(previewed),
        preview["totals"],
        ms(t.elapsed())
    );
    Ok(())
}
