//! The search benchmark of issue 14, in release builds:
//!
//! ```sh
//! liaison --database sqlite:///tmp/bench.db demo --no-serve          # the demo's plans and people
//! cargo run --release --example search_bench -- fill sqlite:///tmp/bench.db 100000
//! liaison --database sqlite:///tmp/bench.db --listen 127.0.0.1:8080 serve &
//! cargo run --release --example search_bench -- query http://127.0.0.1:8080 16 10
//! ```
//!
//! `fill DB N`: adds N items and 2·N progress reports to the demo's plans (generated English and
//! Serbian text, mixed markings), written straight into the tables, then rebuilds the search
//! index and prints how long that took (the reindex budget). `query URL CLIENTS SECONDS`: signs in
//! as the demo coordinator and, with CLIENTS at once, asks typical queries and then as-you-type
//! prefix queries, and `/healthz` in the same run as the server's floor; prints p50/p90/p99 of
//! each and every non-2xx answer.

use chrono::Utc;
use liaison_domain::access::ReadFilter;
use liaison_domain::item::{GenderMarker, Item, ItemStatus};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::progress::{ProgressUpdate, UpdateState};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, UpdateId, UserId};
use liaison_store::{Db, DbOptions};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const EN: &[&str] = &[
    "training",
    "cyber",
    "defence",
    "logistics",
    "exercise",
    "reform",
    "budget",
    "military",
    "police",
    "border",
    "interoperability",
    "planning",
    "officers",
    "NCO",
    "corps",
    "civilian",
    "oversight",
    "parliament",
    "procurement",
    "doctrine",
    "education",
    "language",
    "courses",
    "medical",
    "engineering",
    "demining",
    "crisis",
    "management",
    "emergency",
    "flood",
    "response",
    "gender",
    "equality",
    "integrity",
    "anti-corruption",
    "public",
    "diplomacy",
    "strategy",
    "review",
    "capability",
    "targets",
    "resources",
    "personnel",
    "housing",
    "veterans",
    "transparency",
    "security",
    "sector",
    "communications",
    "information",
    "protection",
    "classified",
    "cooperation",
    "regional",
    "partners",
    "standards",
    "certification",
];
const SR: &[&str] = &[
    "обука",
    "сајбер",
    "одбрана",
    "одбране",
    "логистика",
    "вежба",
    "реформа",
    "буџет",
    "војна",
    "полиција",
    "граница",
    "планирање",
    "официри",
    "подофицири",
    "цивилна",
    "контрола",
    "скупштина",
    "набавке",
    "доктрина",
    "образовање",
    "језик",
    "курсеви",
    "санитет",
    "инжињерија",
    "разминирање",
    "криза",
    "управљање",
    "поплава",
    "одговор",
    "родна",
    "равноправност",
    "интегритет",
    "стратегија",
    "преглед",
    "способности",
    "циљеви",
    "ресурси",
    "особље",
    "ветерани",
    "транспарентност",
    "безбедност",
    "сектор",
    "комуникације",
    "заштита",
    "сарадња",
    "регионална",
    "Ковачица",
    "Ђердап",
    "Ниш",
    "Београд",
    "Нови Сад",
    "Краљево",
];

/// A small deterministic generator (the fixture is the same every run).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() as usize) % v.len()]
    }

    /// `n` words: one in ten from `v` (the words people search for), the rest from a pool of
    /// 20,000 made-up words. Each word of `v` is then in about 7 % of the records, more than a
    /// topical word of a real plan (in the reference plan `us-nap5-commitments.csv`,
    /// "transparency" is 0.13 % of the words, "training" 0.05 %): a pessimistic corpus.
    fn words(&mut self, v: &[&str], n: usize) -> String {
        (0..n)
            .map(|_| {
                if self.next().is_multiple_of(10) {
                    self.pick(v).to_string()
                } else {
                    let k = self.next() % 20_000;
                    let (a, b, c) = (SYL[(k % 25) as usize], SYL[((k / 25) % 25) as usize], SYL[((k / 625) % 25) as usize]);
                    format!("{a}{b}{c}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const SYL: &[&str] = &[
    "ka", "lo", "mer", "vi", "sta", "no", "dra", "pe", "ri", "gol", "tu", "zen", "ba", "kor", "li", "ma", "ne", "os", "pra", "sel", "tor", "un", "ve", "zi",
    "jan",
];

fn marking(r: &mut Rng) -> Marking {
    match r.next() % 10 {
        0 => Marking::new(Level::NatoConfidential, &[], "NATO"),
        1 | 2 => Marking::new(Level::NatoRestricted, &["SRB"], "NATO"),
        _ => Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
    }
}

async fn fill(url: &str, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(&DbOptions::new(url)).await?;
    liaison_store::migrate::run(&db).await?;
    let plans = liaison_store::plans::list(&db.read(ReadFilter::everything()), None, None, 100).await?.items;
    if plans.is_empty() {
        return Err("no plans: load the demo first (`liaison demo --no-serve`)".into());
    }
    let mut r = Rng(14);
    let now = Utc::now();
    let started = Instant::now();
    let batch = 2_000;
    let mut written = 0;
    while written < n {
        let tx = db.begin().await?;
        for k in written..(written + batch).min(n) {
            let plan = &plans[k % plans.len()];
            let (tlen, dlen) = (3 + (r.next() % 5) as usize, 15 + (r.next() % 25) as usize);
            let item = Item {
                id: ItemId(uuid::Uuid::now_v7()),
                plan: plan.id,
                parent: None,
                level: "action".into(),
                depth: 0,
                code: format!("B-{k}"),
                title: Text::new("en", &r.words(EN, tlen)).with("sr", &r.words(SR, tlen)),
                description: Text::new("en", &r.words(EN, dlen)).with("sr", &r.words(SR, dlen)),
                areas: vec![],
                lead_organisation: None,
                contributing_organisations: vec![],
                start: None,
                due: None,
                status: if k % 3 == 0 { ItemStatus::Planned } else { ItemStatus::InProgress },
                weight: 1,
                gender_marker: GenderMarker::NotTargeted,
                marking: marking(&mut r),
                position: u32::try_from(k).unwrap_or(u32::MAX),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            liaison_store::items::insert(&tx, &item, &format!("z{k:09}")).await?;
            for period in ["2025-Q1", "2025-Q2"] {
                let len = 20 + (r.next() % 30) as usize;
                let narrative = format!("{} {}", r.words(EN, len), r.words(SR, 10));
                let u = ProgressUpdate {
                    id: UpdateId(uuid::Uuid::now_v7()),
                    plan: plan.id,
                    item: item.id,
                    period: period.into(),
                    status: ItemStatus::InProgress,
                    percent: (r.next() % 100) as u8,
                    narrative,
                    evidence: vec![],
                    state: UpdateState::Submitted,
                    reason: None,
                    reporter: UserId(uuid::Uuid::nil()),
                    reporter_name: "Bench".into(),
                    reviewer: None,
                    marking: marking(&mut r),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                liaison_store::progress::insert(&tx, &u).await?;
            }
        }
        tx.commit(&liaison_app::Ctx::system("search bench").provenance(Utc::now())).await?;
        written = (written + batch).min(n);
        eprint!("\rwrote {written} items and {} reports ({:.0?})", 2 * written, started.elapsed());
    }
    eprintln!();
    let t = Instant::now();
    let indexed = liaison_store::search::rebuild(&db, |p| eprint!("\rindexing {} {}/{}   ", p.kind.code(), p.done, p.total)).await?;
    eprintln!();
    println!("reindex: {indexed} records in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

async fn load(http: &reqwest::Client, base: &str, token: &str, paths: Vec<String>, clients: usize, seconds: u64) -> (Vec<Duration>, usize, Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, base, token, paths) = (http.clone(), base.to_string(), token.to_string(), paths.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bad = Vec::new();
            let mut i = c;
            while Instant::now() < deadline {
                let path = &paths[i % paths.len()];
                i += 1;
                let t = Instant::now();
                match http.get(format!("{base}{path}")).bearer_auth(&token).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    Ok(r) => bad.push(format!("{} {path}", r.status())),
                    Err(e) => bad.push(format!("{e} {path}")),
                }
            }
            (lat, bad)
        }));
    }
    let (mut all, mut bad) = (Vec::new(), Vec::new());
    for t in tasks {
        if let Ok((l, b)) = t.await {
            all.extend(l);
            bad.extend(b);
        }
    }
    all.sort();
    let n = all.len();
    (all, n, bad)
}

fn report(name: &str, lat: &[Duration], n: usize, seconds: u64, bad: &[String]) {
    println!(
        "{name:<10} {n:>7} requests, {:>7.0}/s   p50 {:>6.1} ms   p90 {:>6.1} ms   p99 {:>6.1} ms   max {:>6.1} ms   {} failed",
        n as f64 / seconds as f64,
        percentile(lat, 0.5).as_secs_f64() * 1000.0,
        percentile(lat, 0.9).as_secs_f64() * 1000.0,
        percentile(lat, 0.99).as_secs_f64() * 1000.0,
        lat.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        bad.len()
    );
    for b in bad.iter().take(5) {
        println!("  {b}");
    }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn query(base: &str, clients: usize, seconds: u64) -> Result<(), Box<dyn std::error::Error>> {
    let cookies = reqwest::Client::builder().cookie_store(true).build()?;
    let login = cookies.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "coordinator@demo.test", "password": "demo-password"})).send().await?;
    if !login.status().is_success() {
        return Err(format!("cannot sign in: {}", login.status()).into());
    }
    let issued: Value = cookies.post(format!("{base}/api/v1/auth/tokens")).json(&json!({"name": "search bench", "valid_days": 1})).send().await?.json().await?;
    let token = issued["token"].as_str().ok_or("no token")?.to_string();
    let http = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    let typical: Vec<String> = [
        "training",
        "cyber defence",
        "odbrana",
        "Kovačica",
        "logistics exercise",
        "\"military police\"",
        "B-4242",
        "reform budget",
        "NCO",
        "полиција",
        "parliament oversight",
        "Ђердап",
        "demining",
        "gender equality",
    ]
    .iter()
    .map(|q| format!("/api/v1/search?q={}", enc(q)))
    .collect();
    let prefix: Vec<String> = ["tra", "cyb", "odb", "log", "ref", "bud", "пол", "vež", "kova", "inter", "parl", "dem"]
        .iter()
        .map(|q| format!("/api/v1/search?q={}&prefix=1", enc(q)))
        .collect();
    let floor = vec!["/healthz".to_string()];
    for (name, paths) in [("healthz", floor.clone()), ("typical", typical), ("prefix", prefix), ("healthz", floor)] {
        let (lat, n, bad) = load(&http, base, &token, paths, clients, seconds).await;
        report(name, &lat, n, seconds, &bad);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fill") => {
            let url = args.get(2).ok_or("fill DB_URL [ITEMS]")?;
            fill(url, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100_000)).await
        }
        Some("query") => {
            let base = args.get(2).cloned().unwrap_or_else(|| "http://127.0.0.1:8080".into());
            query(&base, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16), args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10)).await
        }
        _ => Err("usage: search_bench fill DB_URL [ITEMS] | query URL [CLIENTS] [SECONDS]".into()),
    }
}
