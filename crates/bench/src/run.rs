//! `liaison-bench run`: a release server on a generated database, a fixed mix of signed-in
//! pages, API reads and writes from 16 clients for a fixed time on loopback, `/healthz` in the
//! same run, then writers alone, then the first summary after new figures — and the server's
//! resident memory idle, at its peak under the mix and at the end.
//!
//! Every figure is taken in one run on one machine, so ratios to `/healthz` (which touches no
//! data) say more than absolute times on a shared, noisy machine. The load runs in this process
//! on the same cores as the server: on 2 cores the server gets about half of the machine.
//!
//! The report is Markdown (printed, and written with the JSON next to it) with one row per
//! route: requests, requests per second, p50 and p99 in milliseconds, both as ratios to
//! `/healthz`, and errors (any answer but 2xx, or no answer).

use anyhow::{Context, Result, anyhow, bail};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, ETAG, IF_MATCH};
use reqwest::{Client, Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// The generator's random numbers: the mix is the same on every run.
use crate::seed::Rng;

/// Microseconds since `started`, as the samples keep them.
fn micros(started: Instant) -> u32 {
    started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32
}

/// What `run` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// The database URL the server is started on (made by `liaison-bench seed`).
    pub database: String,
    /// The `liaison` binary to start (a release build).
    pub server: PathBuf,
    /// Concurrent clients.
    pub clients: usize,
    /// Warm-up before measuring (the same mix, not counted).
    pub warmup: Duration,
    /// How long the mix runs.
    pub duration: Duration,
    /// How long the writers-only phase runs.
    pub write_duration: Duration,
    /// Where the Markdown and JSON reports go.
    pub out: PathBuf,
    /// The account the clients sign in as (a coordinator of every plan).
    pub email: String,
    pub password: String,
}

/// One route's figures.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RouteFigures {
    pub route: String,
    pub requests: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// p50 and p99 over `/healthz`'s in the same run.
    pub p50_ratio: f64,
    pub p99_ratio: f64,
    pub errors: u64,
    /// The first error's status and body (cut to 300 characters), to say what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

/// Resident memory of the server, in MiB: all of it (`VmRSS`), and its own (`RssAnon`, without
/// mapped files).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Memory {
    pub idle_mib: f64,
    pub peak_mib: f64,
    pub end_mib: f64,
    pub idle_anon_mib: f64,
    pub peak_anon_mib: f64,
    pub end_anon_mib: f64,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub backend: String,
    pub database: String,
    pub clients: usize,
    pub duration_s: f64,
    /// From starting the process to `/readyz` answering 200.
    pub ready_ms: f64,
    pub memory: Memory,
    /// The mix, one row per route (`/healthz` included).
    pub routes: Vec<RouteFigures>,
    /// Writers alone: every client edits its own items.
    pub writers: RouteFigures,
    /// The plan summary read just after one of its figures changed, repeated.
    pub summary_after_figures: RouteFigures,
    /// Indicators of the plan it was measured on.
    pub summary_plan_indicators: u64,
}

/// Latencies by route, merged from every client.
#[derive(Default)]
struct Samples {
    by_route: BTreeMap<String, (Vec<u32>, u64)>,
    first_error: BTreeMap<String, String>,
}

impl Samples {
    fn add(&mut self, route: &str, micros: u32, ok: bool) {
        let e = self.by_route.entry(route.to_string()).or_default();
        e.0.push(micros);
        if !ok {
            e.1 += 1;
        }
    }
    /// Record an answer: its time, and what went wrong if it was not a success.
    fn answer(&mut self, route: &str, micros: u32, a: &Result<Answer>) {
        let error = match a {
            Ok(a) if a.status.is_success() => None,
            Ok(a) => Some(format!("{} {}", a.status, a.body)),
            Err(e) => Some(format!("{e:#}")),
        };
        self.add(route, micros, error.is_none());
        if let Some(e) = error {
            self.first_error.entry(route.to_string()).or_insert_with(|| e.chars().take(300).collect());
        }
    }
    fn merge(&mut self, other: Samples) {
        for (k, (v, err)) in other.by_route {
            let e = self.by_route.entry(k).or_default();
            e.0.extend(v);
            e.1 += err;
        }
        for (k, e) in other.first_error {
            self.first_error.entry(k).or_insert(e);
        }
    }
}

/// The value at quantile `q` of sorted samples (nearest rank), in milliseconds.
pub fn quantile_ms(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

fn figures(route: &str, mut samples: Vec<u32>, errors: u64, seconds: f64, base: Option<(f64, f64)>, first_error: Option<String>) -> RouteFigures {
    samples.sort_unstable();
    let (p50, p99) = (quantile_ms(&samples, 0.50), quantile_ms(&samples, 0.99));
    let ratio = |x: f64, b: f64| if b > 0.0 { x / b } else { 0.0 };
    let (b50, b99) = base.unwrap_or((p50, p99));
    RouteFigures {
        route: route.to_string(),
        requests: samples.len() as u64,
        per_second: if seconds > 0.0 { samples.len() as f64 / seconds } else { 0.0 },
        p50_ms: p50,
        p99_ms: p99,
        p50_ratio: ratio(p50, b50),
        p99_ratio: ratio(p99, b99),
        errors,
        first_error,
    }
}

/// Resident memory of a process, in MiB (`VmRSS` of `/proc/PID/status`); 0 where unknown.
pub fn resident_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS:")
}

/// Of that, the process's own memory (`RssAnon`): the heap and stacks, without the pages of
/// files it maps (SQLite maps up to 256 MiB of its database, which the kernel counts as
/// resident while they stay in the page cache, and takes back under pressure).
pub fn anonymous_mib(pid: u32) -> f64 {
    status_mib(pid, "RssAnon:")
}

fn status_mib(pid: u32, field: &str) -> f64 {
    let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return 0.0 };
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The server process, killed when dropped.
struct ServerProcess {
    child: tokio::process::Child,
    base: String,
    pid: u32,
}

async fn start_server(o: &Options, log: &Path) -> Result<(ServerProcess, f64)> {
    if !o.server.is_file() {
        bail!("no server binary at {}: build it first with `cargo build --release -p liaison` (or name one with --server)", o.server.display());
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
        l.local_addr()?.port()
    };
    let addr = format!("127.0.0.1:{port}");
    let log_file = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let started = Instant::now();
    let child = tokio::process::Command::new(&o.server)
        .args(["serve", "--database", &o.database, "--listen", &addr])
        .env("LIAISON_LOG", "warn")
        .env("LIAISON_PUBLIC_URL", format!("http://{addr}"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", o.server.display()))?;
    let pid = child.id().ok_or_else(|| anyhow!("the server exited at once; see {}", log.display()))?;
    let mut server = ServerProcess { child, base: format!("http://{addr}"), pid };
    let client = Client::builder().timeout(Duration::from_secs(2)).build()?;
    loop {
        if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await
            && r.status() == StatusCode::OK
        {
            break;
        }
        if let Some(status) = server.child.try_wait()? {
            bail!("the server stopped ({status}) before it was ready; see {}", log.display());
        }
        if started.elapsed() > Duration::from_secs(300) {
            bail!("the server was not ready after 5 minutes; see {}", log.display());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok((server, started.elapsed().as_secs_f64() * 1000.0))
}

/// A signed-in client: a session cookie for pages, a bearer token for the API.
#[derive(Clone)]
struct Session {
    http: Client,
    base: String,
    cookie: String,
    token: String,
}

async fn sign_in(base: &str, email: &str, password: &str) -> Result<Session> {
    let http = Client::builder().pool_max_idle_per_host(64).timeout(Duration::from_secs(60)).build()?;
    let r = http.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": email, "password": password})).send().await?;
    if r.status() != StatusCode::OK {
        bail!("signing in as {email}: {} {}", r.status(), r.text().await.unwrap_or_default());
    }
    let cookie = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let t = http.post(format!("{base}/api/v1/auth/tokens")).header("cookie", &cookie).json(&json!({"name": "liaison-bench", "valid_days": 1})).send().await?;
    if t.status() != StatusCode::CREATED {
        bail!("issuing a token for {email}: {} {}", t.status(), t.text().await.unwrap_or_default());
    }
    let body: Value = t.json().await?;
    let token = body["token"].as_str().ok_or_else(|| anyhow!("the token answer has no token: {body}"))?.to_string();
    Ok(Session { http, base: base.to_string(), cookie, token })
}

/// An answer: status, ETag, body.
struct Answer {
    status: StatusCode,
    etag: Option<String>,
    body: Value,
}

impl Session {
    async fn send(&self, method: Method, path: &str, page: bool, if_match: Option<&str>, body: Option<&Value>) -> Result<Answer> {
        let mut rq = self.http.request(method, format!("{}{path}", self.base));
        rq = if page { rq.header("cookie", &self.cookie) } else { rq.header(AUTHORIZATION, format!("Bearer {}", self.token)) };
        if let Some(e) = if_match {
            rq = rq.header(IF_MATCH, e);
        }
        if let Some(b) = body {
            rq = rq.header(CONTENT_TYPE, "application/json").body(serde_json::to_vec(b)?);
        }
        let r = rq.send().await?;
        let status = r.status();
        let etag = r.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(String::from);
        let is_json = r.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
        let bytes = r.bytes().await?;
        let body = if is_json { serde_json::from_slice(&bytes).unwrap_or(Value::Null) } else { Value::Null };
        Ok(Answer { status, etag, body })
    }

    async fn api(&self, path: &str) -> Result<Value> {
        let a = self.send(Method::GET, path, false, None, None).await?;
        if !a.status.is_success() {
            bail!("GET {path}: {} {}", a.status, a.body);
        }
        Ok(a.body)
    }
}

/// What the mix works on, found through the API before it starts.
struct Targets {
    plans: Vec<String>,
    items: Vec<String>,
    /// Items each writer edits (disjoint between clients).
    editable: Vec<String>,
    measurements: Vec<String>,
    words: Vec<String>,
    /// A plan and one of its measurements for the summary after new figures.
    summary_plan: Option<(String, String, u64)>,
    /// Progress reports of the first plan in open periods, taken through submission and review.
    updates: Vec<String>,
    /// The partner editor of the first plan (who submits its reports).
    editor: Option<String>,
    /// Clients: client k of them writes records k, k + clients, … (no two write the same).
    clients: usize,
    /// The first plan's items (where reports are written when none is waiting).
    first_plan_items: Vec<String>,
}

async fn discover(s: &Session, clients: usize) -> Result<Targets> {
    let portfolio = s.api("/api/v1/portfolio?cycle=current&sort=progress&order=desc").await?;
    let rows = portfolio["rows"].as_array().cloned().unwrap_or_default();
    let mut plans: Vec<String> =
        rows.iter().filter(|r| r["state"] == "implementation" || r["state"] == "agreed").filter_map(|r| r["plan"].as_str().map(String::from)).collect();
    if plans.is_empty() {
        plans = rows.iter().filter_map(|r| r["plan"].as_str().map(String::from)).collect();
    }
    if plans.is_empty() {
        bail!("the database has no plan the bench account may see: make one with `liaison-bench seed`");
    }
    plans.truncate(8);
    let mut items = Vec::new();
    let mut item_plan: Vec<usize> = Vec::new();
    let mut words = Vec::new();
    let mut locked: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
    for (n, p) in plans.iter().enumerate() {
        for period in s.api(&format!("/api/v1/plans/{p}/periods")).await?.as_array().into_iter().flatten() {
            if period["locked"] == true {
                locked.insert((n, period["key"].as_str().unwrap_or_default().to_string()));
            }
        }
        let page = s.api(&format!("/api/v1/plans/{p}/items?limit=200")).await?;
        for i in page["items"].as_array().into_iter().flatten() {
            if let Some(id) = i["id"].as_str() {
                items.push(id.to_string());
                item_plan.push(n);
            }
            if let Some(w) = i["title"]["en"].as_str().and_then(|t| t.split_whitespace().find(|w| w.len() > 5)) {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
                if words.len() < 50 && !words.contains(&w) {
                    words.push(w);
                }
            }
        }
    }
    if items.len() < clients {
        bail!("the bench needs at least {clients} items on the current plans, found {}", items.len());
    }
    let editable = items.clone();
    // Measurements of some items' indicators in periods still open (a locked period refuses
    // changes), and a plan to read the summary of after a new figure.
    let mut measurements = Vec::new();
    let mut summary_plan = None;
    for (i, n) in items.iter().zip(&item_plan).step_by(3).take(60) {
        for ind in s.api(&format!("/api/v1/items/{i}/indicators")).await?.as_array().into_iter().flatten() {
            for m in ind["measurements"].as_array().into_iter().flatten() {
                let open = !locked.contains(&(*n, m["period"].as_str().unwrap_or_default().to_string()));
                let Some(id) = m["id"].as_str().filter(|_| open && measurements.len() < 64) else { continue };
                // Figures under an approved report are locked too: keep those a write is taken on.
                let path = format!("/api/v1/measurements/{id}");
                let etag = s.send(Method::GET, &path, false, None, None).await?.etag.unwrap_or_default();
                let tried = s.send(Method::PATCH, &path, false, Some(&etag), Some(&json!({"note": "Checked before the benchmark."}))).await?;
                if tried.status.is_success() {
                    measurements.push(id.to_string());
                    if summary_plan.is_none() {
                        let plan = plans[*n].clone();
                        let sum = s.api(&format!("/api/v1/plans/{plan}/summary")).await?;
                        let indicators = sum["indicator_standings"].as_array().map(Vec::len).unwrap_or(0) as u64;
                        summary_plan = Some((plan, id.to_string(), indicators));
                    }
                }
            }
        }
    }
    if words.is_empty() {
        words.push("defence".into());
    }
    // The first plan's reports that are not approved, in open periods; its partner's editor
    // (the generator names them editor1.<country>@bench.test).
    let mut updates = Vec::new();
    for u in s.api(&format!("/api/v1/plans/{}/updates", plans[0])).await?.as_array().into_iter().flatten() {
        let open = !locked.contains(&(0, u["period"].as_str().unwrap_or_default().to_string()));
        if let (true, Some(id)) = (open && u["state"] != "approved" && updates.len() < 64, u["id"].as_str()) {
            updates.push(id.to_string());
        }
    }
    let editor = rows
        .iter()
        .find(|r| r["plan"].as_str() == Some(plans[0].as_str()))
        .and_then(|r| r["partner"]["short_name"].as_str())
        .and_then(|n| n.split_whitespace().next())
        .map(|c| format!("editor1.{}@bench.test", c.to_lowercase()));
    let first_plan_items = items.iter().zip(&item_plan).filter(|(_, n)| **n == 0).map(|(i, _)| i.clone()).collect();
    Ok(Targets { plans, items, editable, measurements, words, summary_plan, updates, editor, clients, first_plan_items })
}

/// The mix: (route label, weight). Pages are signed in with the session cookie, API calls with
/// the token; writes carry `If-Match`.
pub const MIX: &[(&str, u32)] = &[
    ("GET /healthz", 4),
    ("GET / (home)", 2),
    ("GET /portfolio", 2),
    ("GET /plans/{id} (tree)", 3),
    ("GET /plans/{id}/dashboard", 3),
    ("GET /items/{id}", 4),
    ("GET /plans/{id}/assistance", 2),
    ("GET /plans/{id}/calendar", 2),
    ("GET /search?q=", 2),
    ("GET /api/v1/plans/{id}/items", 4),
    ("GET /api/v1/plans/{id}/summary", 3),
    ("GET /api/v1/plans/{id}/clearing-house", 2),
    ("GET /api/v1/items/{id}/history", 3),
    ("GET /api/v1/search?q=", 2),
    ("GET /api/v1/portfolio", 2),
    ("PATCH /api/v1/items/{id}", 6),
    ("PATCH /api/v1/measurements/{id}", 4),
    ("POST /api/v1/updates/{id}/steps", 4),
];

/// One client's loop over the mix until `until`; returns its samples.
async fn client_loop(k: usize, s: Session, editor: Option<Session>, t: Arc<Targets>, until: Instant, etags: Arc<Mutex<BTreeMap<String, String>>>) -> Samples {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (k as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let total: u32 = MIX.iter().map(|m| m.1).sum();
    let mut samples = Samples::default();
    // Each client writes only its own records (k, k + clients, …), so no two collide.
    let mine: Vec<&String> = t.editable.iter().skip(k).step_by(t.clients.max(1)).collect();
    let my_measurements: Vec<&String> = t.measurements.iter().skip(k).step_by(t.clients.max(1)).collect();
    let my_updates: Vec<&String> = t.updates.iter().skip(k).step_by(t.clients.max(1)).collect();
    let mut n = 0u64;
    while Instant::now() < until {
        let mut pick = (rng.next() % u64::from(total)) as u32;
        let mut route = MIX[0].0;
        for (r, w) in MIX {
            if pick < *w {
                route = r;
                break;
            }
            pick -= w;
        }
        let plan = &t.plans[rng.below(t.plans.len())];
        let item = &t.items[rng.below(t.items.len())];
        let word = &t.words[rng.below(t.words.len())];
        n += 1;
        let started = Instant::now();
        let ok = match route {
            "GET /healthz" => s.send(Method::GET, "/healthz", true, None, None).await,
            "GET / (home)" => s.send(Method::GET, "/", true, None, None).await,
            "GET /portfolio" => s.send(Method::GET, "/portfolio", true, None, None).await,
            "GET /plans/{id} (tree)" => s.send(Method::GET, &format!("/plans/{plan}"), true, None, None).await,
            "GET /plans/{id}/dashboard" => s.send(Method::GET, &format!("/plans/{plan}/dashboard"), true, None, None).await,
            "GET /items/{id}" => s.send(Method::GET, &format!("/items/{item}"), true, None, None).await,
            "GET /plans/{id}/assistance" => s.send(Method::GET, &format!("/plans/{plan}/assistance"), true, None, None).await,
            "GET /plans/{id}/calendar" => s.send(Method::GET, &format!("/plans/{plan}/calendar"), true, None, None).await,
            "GET /search?q=" => s.send(Method::GET, &format!("/search?q={word}"), true, None, None).await,
            "GET /api/v1/plans/{id}/items" => s.send(Method::GET, &format!("/api/v1/plans/{plan}/items?limit=50"), false, None, None).await,
            "GET /api/v1/plans/{id}/summary" => s.send(Method::GET, &format!("/api/v1/plans/{plan}/summary"), false, None, None).await,
            "GET /api/v1/plans/{id}/clearing-house" => s.send(Method::GET, &format!("/api/v1/plans/{plan}/clearing-house"), false, None, None).await,
            "GET /api/v1/items/{id}/history" => s.send(Method::GET, &format!("/api/v1/items/{item}/history"), false, None, None).await,
            "GET /api/v1/search?q=" => s.send(Method::GET, &format!("/api/v1/search?q={word}&limit=20"), false, None, None).await,
            "GET /api/v1/portfolio" => s.send(Method::GET, "/api/v1/portfolio", false, None, None).await,
            "PATCH /api/v1/items/{id}" => {
                let id = mine[rng.below(mine.len())];
                edit(
                    &s,
                    &format!("/api/v1/items/{id}"),
                    &json!({"description": {"en": format!("Edited by bench client {k}, edit {n}.")}}),
                    &etags,
                    &mut samples,
                )
                .await
            }
            "PATCH /api/v1/measurements/{id}" if !my_measurements.is_empty() => {
                let m = my_measurements[rng.below(my_measurements.len())];
                edit(&s, &format!("/api/v1/measurements/{m}"), &json!({"note": format!("Checked by bench client {k}, {n}.")}), &etags, &mut samples).await
            }
            "POST /api/v1/updates/{id}/steps" if !my_updates.is_empty() && editor.is_some() => {
                let u = my_updates[rng.below(my_updates.len())];
                review_step(&s, editor.as_ref(), u, &mut samples).await
            }
            _ => continue,
        };
        let took = micros(started);
        samples.answer(route, took, &ok);
    }
    samples
}

/// The next step of a report's round: its editor submits a draft or a returned report, the
/// coordinator returns a submitted one (a review) or reopens an approved one.
async fn review_step(coordinator: &Session, editor: Option<&Session>, id: &str, samples: &mut Samples) -> Result<Answer> {
    let path = format!("/api/v1/updates/{id}");
    let started = Instant::now();
    let now = coordinator.send(Method::GET, &path, false, None, None).await?;
    samples.add("GET (ETag before a write)", micros(started), now.status.is_success());
    let etag = now.etag.clone().unwrap_or_default();
    let (who, body) = match now.body["state"].as_str() {
        Some("submitted") => (coordinator, json!({"step": "return", "reason": "Please add the evidence (benchmark)."})),
        Some("approved") => (coordinator, json!({"step": "reopen", "reason": "Reopened by the benchmark."})),
        _ => (editor.unwrap_or(coordinator), json!({"step": "submit"})),
    };
    who.send(Method::POST, &format!("{path}/steps"), false, Some(&etag), Some(&body)).await
}

/// A write with the record's current ETag (read first when not known, which is not counted in
/// the write's time but as a read of its own); a 412 from another writer reads it again once.
async fn edit(s: &Session, path: &str, body: &Value, etags: &Mutex<BTreeMap<String, String>>, samples: &mut Samples) -> Result<Answer> {
    let known = etags.lock().map(|m| m.get(path).cloned()).unwrap_or(None);
    let etag = match known {
        Some(e) => e,
        None => {
            let started = Instant::now();
            let a = s.send(Method::GET, path, false, None, None).await?;
            samples.add("GET (ETag before a write)", micros(started), a.status.is_success());
            a.etag.ok_or_else(|| anyhow!("no ETag on {path}"))?
        }
    };
    let a = s.send(Method::PATCH, path, false, Some(&etag), Some(body)).await?;
    if let (true, Some(e), Ok(mut m)) = (a.status.is_success(), &a.etag, etags.lock()) {
        m.insert(path.to_string(), e.clone());
    } else if let Ok(mut m) = etags.lock() {
        m.remove(path);
    }
    Ok(a)
}

/// Run every client until `until`, sampling the server's memory; returns the samples and the
/// highest resident memory seen.
async fn phase(
    sessions: &[Session],
    editor: &Option<Session>,
    t: &Arc<Targets>,
    until: Instant,
    pid: u32,
    etags: &Arc<Mutex<BTreeMap<String, String>>>,
    writers_only: bool,
) -> (Samples, f64, f64) {
    let mut tasks = Vec::new();
    for (k, s) in sessions.iter().enumerate() {
        let (s, t, etags, editor) = (s.clone(), t.clone(), etags.clone(), editor.clone());
        if writers_only {
            tasks.push(tokio::spawn(async move { writer_loop(k, s, t, until, etags).await }));
        } else {
            tasks.push(tokio::spawn(async move { client_loop(k, s, editor, t, until, etags).await }));
        }
    }
    let (mut peak, mut peak_anon) = (0.0f64, 0.0f64);
    while Instant::now() < until {
        peak = peak.max(resident_mib(pid));
        peak_anon = peak_anon.max(anonymous_mib(pid));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut all = Samples::default();
    for task in tasks {
        if let Ok(s) = task.await {
            all.merge(s);
        }
    }
    (all, peak.max(resident_mib(pid)), peak_anon.max(anonymous_mib(pid)))
}

/// Writers alone: each client edits its own items as fast as answers come.
async fn writer_loop(k: usize, s: Session, t: Arc<Targets>, until: Instant, etags: Arc<Mutex<BTreeMap<String, String>>>) -> Samples {
    let mut samples = Samples::default();
    let mine: Vec<&String> = t.editable.iter().skip(k).step_by(t.clients.max(1)).collect();
    let mut n = 0usize;
    while Instant::now() < until {
        let id = mine[n % mine.len()];
        n += 1;
        let started = Instant::now();
        let a =
            edit(&s, &format!("/api/v1/items/{id}"), &json!({"description": {"en": format!("Written by bench writer {k}, write {n}.")}}), &etags, &mut samples)
                .await;
        let took = micros(started);
        samples.answer("PATCH /api/v1/items/{id} (writers only)", took, &a);
    }
    samples
}

/// The backend of a database URL, for the report.
pub fn backend_of(url: &str) -> &'static str {
    if url.starts_with("postgres") { "postgresql" } else { "sqlite" }
}

/// Run the benchmark and write its report; returns it.
pub async fn run(o: &Options) -> Result<Report> {
    if o.clients == 0 || o.clients > 256 {
        bail!("--clients must be 1 to 256");
    }
    std::fs::create_dir_all(&o.out).with_context(|| format!("creating {}", o.out.display()))?;
    let backend = backend_of(&o.database);
    let log = o.out.join(format!("server-{backend}.log"));
    eprintln!("Starting {} on {} …", o.server.display(), liaison_store::redact_url(&o.database));
    let (server, ready_ms) = start_server(o, &log).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle, idle_anon) = (resident_mib(server.pid), anonymous_mib(server.pid));
    eprintln!("Ready in {ready_ms:.0} ms, {idle:.1} MiB resident. Signing in and finding the plans …");
    let first = sign_in(&server.base, &o.email, &o.password).await?;
    let mut targets = discover(&first, o.clients).await?;
    let sessions: Vec<Session> = (0..o.clients).map(|_| first.clone()).collect();
    let editor = match &targets.editor {
        Some(email) => match sign_in(&server.base, email, &o.password).await {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("No report submissions in the mix: {e:#}");
                None
            }
        },
        None => None,
    };
    // Only the reports the editor may see (a report on an item above its clearance is hidden).
    if let Some(e) = &editor {
        let mut seen = Vec::new();
        for u in &targets.updates {
            if e.send(Method::GET, &format!("/api/v1/updates/{u}"), false, None, None).await?.status.is_success() {
                seen.push(u.clone());
            }
        }
        targets.updates = seen;
        // Too few reports waiting: the editor drafts some in the periods still open.
        let periods = first.api(&format!("/api/v1/plans/{}/periods", targets.plans[0])).await?;
        let open: Vec<&str> = periods.as_array().into_iter().flatten().filter(|p| p["locked"] != true).filter_map(|p| p["key"].as_str()).collect();
        let mut tries = 0;
        'drafts: for item in &targets.first_plan_items {
            for key in &open {
                if targets.updates.len() >= o.clients.max(4) || tries >= 200 {
                    break 'drafts;
                }
                tries += 1;
                let body = json!({"period": key, "status": "in_progress", "percent": 10, "narrative": "Drafted for the benchmark."});
                let a = e.send(Method::POST, &format!("/api/v1/items/{item}/updates"), false, None, Some(&body)).await?;
                if let (true, Some(id)) = (a.status.is_success(), a.body["id"].as_str()) {
                    targets.updates.push(id.to_string());
                }
            }
        }
    }
    let targets = Arc::new(targets);
    let etags = Arc::new(Mutex::new(BTreeMap::new()));
    eprintln!("Warming up for {:?} …", o.warmup);
    phase(&sessions, &editor, &targets, Instant::now() + o.warmup, server.pid, &etags, false).await;
    eprintln!("Running the mix from {} clients for {:?} …", o.clients, o.duration);
    let started = Instant::now();
    let (mut mix, peak_mix, anon_mix) = phase(&sessions, &editor, &targets, started + o.duration, server.pid, &etags, false).await;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("Writers only for {:?} …", o.write_duration);
    let started = Instant::now();
    let (writes, peak_writes, anon_writes) = phase(&sessions, &editor, &targets, started + o.write_duration, server.pid, &etags, true).await;
    let write_seconds = started.elapsed().as_secs_f64();
    // The first summary after new figures: change a measurement, then read the summary.
    let mut after = Vec::new();
    let mut after_errors = 0;
    let mut summary_indicators = 0;
    if let Some((plan, m, n)) = &targets.summary_plan {
        summary_indicators = *n;
        let mut discard = Samples::default();
        for k in 0..30 {
            let _ = edit(&first, &format!("/api/v1/measurements/{m}"), &json!({"note": format!("Figures revised, {k}.")}), &etags, &mut discard).await;
            let t0 = Instant::now();
            let a = first.send(Method::GET, &format!("/api/v1/plans/{plan}/summary"), false, None, None).await;
            after.push(micros(t0));
            if !matches!(a, Ok(a) if a.status.is_success()) {
                after_errors += 1;
            }
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (end, end_anon) = (resident_mib(server.pid), anonymous_mib(server.pid));
    drop(server);

    let mut by_route = std::mem::take(&mut mix.by_route);
    let (h, herr) = by_route.remove("GET /healthz").unwrap_or_default();
    let health = figures("GET /healthz", h, herr, seconds, None, mix.first_error.get("GET /healthz").cloned());
    let base = Some((health.p50_ms, health.p99_ms));
    let mut routes = vec![health];
    for (r, (v, err)) in by_route {
        let first = mix.first_error.get(&r).cloned();
        routes.push(figures(&r, v, err, seconds, base, first));
    }
    // A route of the mix that had nothing to run on is listed as not run, not left out.
    for (route, _) in MIX {
        if !routes.iter().any(|f| f.route == *route) {
            let mut f = figures(route, Vec::new(), 0, seconds, base, None);
            f.first_error = Some("not run: the database has nothing for it (see the discovery above)".into());
            routes.push(f);
        }
    }
    let (w, werr) = writes.by_route.get("PATCH /api/v1/items/{id} (writers only)").cloned().unwrap_or_default();
    let report = Report {
        backend: backend.into(),
        database: liaison_store::redact_url(&o.database),
        clients: o.clients,
        duration_s: seconds,
        ready_ms,
        memory: Memory {
            idle_mib: idle,
            peak_mib: peak_mix.max(peak_writes),
            end_mib: end,
            idle_anon_mib: idle_anon,
            peak_anon_mib: anon_mix.max(anon_writes),
            end_anon_mib: end_anon,
        },
        routes,
        writers: figures(
            "PATCH /api/v1/items/{id} (writers only)",
            w,
            werr,
            write_seconds,
            base,
            writes.first_error.get("PATCH /api/v1/items/{id} (writers only)").cloned(),
        ),
        summary_after_figures: figures("GET /api/v1/plans/{id}/summary after a new figure", after, after_errors, 0.0, base, None),
        summary_plan_indicators: summary_indicators,
    };
    let md = markdown(&report);
    println!("{md}");
    let stem = o.out.join(format!("bench-{backend}"));
    std::fs::write(stem.with_extension("md"), &md)?;
    std::fs::write(stem.with_extension("json"), serde_json::to_vec_pretty(&report)?)?;
    eprintln!("Wrote {0}.md and {0}.json", stem.display());
    Ok(report)
}

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "## liaison-bench on {} ({} clients, {:.0} s)\n\nReady in {:.0} ms. Resident memory: {:.1} MiB idle, {:.1} MiB at the peak, {:.1} MiB at the end; of that, without mapped files: {:.1}, {:.1} and {:.1} MiB.\n\n",
        r.backend, r.clients, r.duration_s, r.ready_ms, r.memory.idle_mib, r.memory.peak_mib, r.memory.end_mib, r.memory.idle_anon_mib, r.memory.peak_anon_mib, r.memory.end_anon_mib
    ));
    s.push_str("| Route | Requests | Req/s | p50 ms | p99 ms | p50 × healthz | p99 × healthz | Errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for f in r.routes.iter().chain([&r.writers, &r.summary_after_figures]) {
        s.push_str(&format!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {} |\n",
            f.route, f.requests, f.per_second, f.p50_ms, f.p99_ms, f.p50_ratio, f.p99_ratio, f.errors
        ));
    }
    s.push_str(&format!(
        "\nWriters only: {:.0} updates per second with their Change rows, {} errors. Summary after a new figure measured on a plan with {} indicators.\n",
        r.writers.per_second, r.writers.errors, r.summary_plan_indicators
    ));
    for f in r.routes.iter().chain([&r.writers]) {
        if let Some(e) = &f.first_error {
            s.push_str(&format!("\nFirst error of {}: `{}`\n", f.route, e.replace('`', "'")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let v: Vec<u32> = (1..=100).map(|x| x * 1000).collect();
        assert_eq!(quantile_ms(&v, 0.5), 50.0);
        assert_eq!(quantile_ms(&v, 0.99), 99.0);
        assert_eq!(quantile_ms(&[7000], 0.99), 7.0);
        assert_eq!(quantile_ms(&[], 0.5), 0.0);
    }

    #[test]
    fn ratios_are_to_healthz() {
        let f = figures("x", vec![2000, 4000], 1, 2.0, Some((1.0, 2.0)), None);
        assert_eq!((f.requests, f.per_second, f.p50_ms, f.p99_ms, f.p50_ratio, f.p99_ratio, f.errors), (2, 1.0, 2.0, 4.0, 2.0, 2.0, 1));
    }
}
