//! Browser tests: Debian's chromium driven through chromedriver (W3C WebDriver), run when
//! `LIAISON_BROWSER_TESTS=1` (CI sets it). Asked for and missing chromium or chromedriver,
//! they fail; not asked for, they say so and do nothing.

use crate::support::*;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn asked_for() -> bool {
    std::env::var("LIAISON_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

/// A minimal W3C WebDriver client.
struct Driver {
    http: reqwest::Client,
    url: String,
    session: String,
    process: Child,
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = std::env::var("LIAISON_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let process = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("LIAISON_BROWSER_TESTS=1 but chromedriver does not start ({driver}): {e}; install chromium and chromium-driver"));
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{url}/status")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not answer on {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let binary = std::env::var("LIAISON_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let r: Value = http.post(format!("{url}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {r}")).to_string();
        Driver { http, url, session, process, _profile: profile }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{}", self.url, self.session, path);
        let rb = self.http.request(method.clone(), &url);
        let rb = if method == reqwest::Method::GET { rb } else { rb.json(&body) };
        let v: Value = rb.send().await.unwrap().json().await.unwrap();
        if let Some(e) = v["value"].get("error") {
            panic!("WebDriver {path}: {e}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url})).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd(reqwest::Method::POST, "/element", json!({"using": "css selector", "value": css})).await;
        match v[ELEMENT].as_str() {
            Some(e) => e.to_string(),
            None => panic!("no element {css} in {}: {v}", self.current_url().await),
        }
    }

    async fn count(&self, css: &str) -> usize {
        let v = self.cmd(reqwest::Method::POST, "/elements", json!({"using": "css selector", "value": css})).await;
        v.as_array().map(|a| a.len()).unwrap_or(0)
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/click"), json!({})).await;
    }

    /// Click something that loads a new page, and wait until the new page is there.
    async fn click_and_wait(&self, css: &str) {
        let old = self.find("html").await;
        self.click(css).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let url = format!("{}/session/{}/element/{old}/name", self.url, self.session);
            let v: Value = self.http.get(&url).send().await.unwrap().json().await.unwrap();
            if v["value"].get("error").is_some() {
                break;
            }
            assert!(Instant::now() < deadline, "clicking {css} did not load a page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        loop {
            let v = self.cmd(reqwest::Method::POST, "/execute/sync", json!({"script": "return document.readyState", "args": []})).await;
            if v == "complete" {
                break;
            }
            assert!(Instant::now() < deadline, "the page after {css} did not finish loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn clear(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/clear"), json!({})).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/value"), json!({"text": text})).await;
    }

    async fn text(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::GET, &format!("/element/{e}/text"), json!({})).await.as_str().unwrap_or("").to_string()
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", json!({})).await.as_str().unwrap_or("").to_string()
    }

    async fn current_url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", json!({})).await.as_str().unwrap_or("").to_string()
    }

    async fn sign_in(&self, base: &str, email: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", "demo-password").await;
        self.click_and_wait("form button[type=submit]").await;
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_officer_and_a_partner_in_the_browser() {
    if !asked_for() {
        eprintln!("browser tests not asked for (set LIAISON_BROWSER_TESTS=1 to run them)");
        return;
    }
    let db = liaison_store::testing::TestDb::new().await;
    let app = app_on(db.open().await, test_config());
    liaison_demo::load(&app).await.expect("demo");
    let server = Server::serve(app, db, liaison_web::WebConfig::default()).await;
    let base = server.base.clone();
    let d = Driver::start().await;

    // A coordinator signs in and opens the Partnership Goals.
    d.sign_in(&base, "coordinator@demo.test").await;
    assert!(d.text("main h1").await.contains("Plans"), "home after sign-in");
    let source = d.source().await;
    let goals_href = source
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/plans/") && source.contains(&format!("{h}\">PG-SRB-2015")))
        .expect("the goals plan is listed")
        .to_string();
    d.goto(&format!("{base}{goals_href}")).await;
    assert!(d.text("main h1").await.contains("Partnership Goals"));
    assert!(d.count("table.tree tbody tr").await > 41);

    // Filter the goals by area and status.
    d.click("#f-area option[value='cyber_defence']").await;
    d.click_and_wait("form.filters button[type=submit]").await;
    let rows = d.count("table.tree tbody tr").await;
    assert_eq!(rows, 5, "the cyber defence area and its four goals");
    assert!(d.source().await.contains("PG-27"));
    assert!(!d.source().await.contains(">PG-01<"), "other areas are filtered out");
    assert!(d.current_url().await.contains("area=cyber_defence"), "filters live in the address (bookmarkable, no script)");

    // Edit a goal: first with a mistake, then right.
    d.click_and_wait("table.tree a[href^='/items/']:not([href='#'])").await;
    let item_url = d.current_url().await;
    d.click_and_wait("a.button[href$='/edit']").await;
    d.clear("#title_en").await;
    d.clear("#due").await;
    d.type_into("#due", "2017-Q5").await;
    d.click_and_wait("form.item-form button[type=submit]").await;
    assert!(d.text("#due-error").await.contains("quarter"), "the problem is shown next to the field");
    assert_eq!(d.count("#title_sr").await, 1);
    d.clear("#title_sr").await;
    d.clear("#due").await;
    d.type_into("#due", "2017-Q4").await;
    d.click_and_wait("form.item-form button[type=submit]").await;
    assert!(d.count("#title-error").await == 1, "a title in no language is refused next to the title");
    d.type_into("#title_en", "A cyber defence area, renamed in the browser").await;
    d.click_and_wait("form.item-form button[type=submit]").await;
    assert_eq!(d.current_url().await, item_url, "back on the item page after saving");
    assert!(d.text("main h1").await.contains("renamed in the browser"));

    // Compare two agreed versions of the first IPAP.
    d.goto(&format!("{base}/")).await;
    let source = d.source().await;
    let ipap_href = source
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/plans/") && source.contains(&format!("{h}\">IPAP-SRB-2015")))
        .expect("the IPAP is listed")
        .to_string();
    d.goto(&format!("{base}{ipap_href}/versions")).await;
    d.goto(&format!("{base}{ipap_href}/compare")).await;
    d.click("#c-from option[value='1']").await;
    d.click("#c-to option[value='2']").await;
    d.click_and_wait("form.filters button[type=submit]").await;
    let cmp = d.source().await;
    assert!(cmp.contains("4.1.3") && cmp.contains("One item added"), "the amendment's new action");
    assert!(cmp.contains("<del>2016-Q2</del>") && cmp.contains("<ins>2016-Q4</ins>"), "the moved deadline");

    // Switch to Serbian (Cyrillic) with the plain link in the header.
    d.click_and_wait("nav.langs a[hreflang='sr-Cyrl']").await;
    assert!(d.source().await.contains("Поређење верзија"), "Cyrillic UI text");
    assert!(d.source().await.contains("<html lang=\"sr-Cyrl\""));
    d.goto(&format!("{base}/")).await;
    assert_eq!(d.text("main h1").await, "Планови", "the choice is remembered");
    d.click_and_wait("nav.langs a[hreflang='en']").await;
    d.click_and_wait("header .who button").await;

    // A partner signs in and cannot see the alliance-only milestone.
    d.sign_in(&base, "partner@demo.test").await;
    d.goto(&format!("{base}{goals_href}")).await;
    let partner_view = d.source().await;
    assert!(partner_view.contains("PG-14.1"), "the releasable milestone is there");
    assert!(!partner_view.contains("PG-14.2") && !partner_view.contains("Allied assessment"), "the alliance-only one is not");
    assert!(!partner_view.contains("NATO RESTRICTED<"), "nor its marking in the banner");

    // A citizen reads the portal: the plan, a story with its photo, then the same in Latin script.
    d.click_and_wait("header .who button").await;
    d.goto(&format!("{base}/public/?lang=en")).await;
    d.click_and_wait("main a[href^='/public/plans/']").await;
    assert_eq!(d.text("main h1").await, "Serbia and NATO: the Individual Partnership Action Plan");
    assert!(d.count("main svg").await >= 1, "progress by area as a chart");
    d.click_and_wait("main a[href*='/stories?lang=en']").await;
    d.click_and_wait("main a[href^='/public/stories/']").await;
    let photo_ok = d
        .cmd(
            reqwest::Method::POST,
            "/execute/sync",
            json!({"script": "const i = document.querySelector('figure.photo img'); return i !== null && i.complete && i.naturalWidth > 0", "args": []}),
        )
        .await;
    assert_eq!(photo_ok, json!(true), "the story's photo loads");
    let title = d.text("article h1").await;
    assert!(title.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "the newest story is the Serbian one, in Cyrillic: {title:?}");
    d.click_and_wait("nav.langs a[hreflang='sr-Latn']").await;
    assert!(d.source().await.contains("<html lang=\"sr-Latn\""));
    let latin = d.text("article h1").await;
    assert!(!latin.is_empty() && latin.chars().all(|c| !('\u{0400}'..='\u{04FF}').contains(&c)), "no Cyrillic left in {latin:?} (was {title:?})");
}
