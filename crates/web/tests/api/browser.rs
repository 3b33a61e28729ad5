//! Browser tests: Debian's chromium driven through chromedriver (W3C WebDriver, via the
//! `thirtyfour` crate), run when `LIAISON_BROWSER_TESTS=1` (CI sets it). Asked for and missing
//! chromium or chromedriver, they fail; not asked for, they say so and do nothing.

use crate::support::*;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

fn asked_for() -> bool {
    std::env::var("LIAISON_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
];

/// Debian's chromedriver, started by the test (thirtyfour's `manager` feature, which would
/// download one, is off); killed when dropped.
struct ChromeDriver(Child);

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Fields drop in this order: the session (DELETE /session closes chromium), then
/// chromedriver, then chromium's profile directory.
struct Driver {
    wd: WebDriver,
    /// chromedriver's address, for the commands thirtyfour does not have (WebAuthn).
    url: String,
    _chromedriver: ChromeDriver,
    _profile: tempfile::TempDir,
}

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
        let chromedriver = ChromeDriver(process);
        let url = format!("http://127.0.0.1:{port}");
        // thirtyfour's status() needs a session: poll /status with the tests' own reqwest.
        let http = reqwest::Client::new();
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
        // browserName "chrome" (DesiredCapabilities::chromium() would send "chromium").
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&binary).unwrap();
        for arg in CHROMIUM_ARGS {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display())).unwrap();
        let wd = WebDriver::new(&url, caps).await.unwrap_or_else(|e| panic!("no WebDriver session with chromium at {binary}: {e}"));
        Driver { wd, url, _chromedriver: chromedriver, _profile: profile }
    }

    /// Ends the session properly (without this, thirtyfour's Drop does it synchronously on a
    /// thread of its own, and logs a warning).
    async fn quit(self) {
        let Driver { wd, url: _, _chromedriver, _profile } = self;
        wd.quit().await.expect("WebDriver quit");
    }

    async fn goto(&self, url: &str) {
        self.wd.goto(url).await.unwrap_or_else(|e| panic!("WebDriver goto {url}: {e}"));
    }

    async fn find(&self, css: &str) -> WebElement {
        match self.wd.find(By::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("no element {css} in {}: {e}", self.wd.current_url().await.map(|u| u.to_string()).unwrap_or_default()),
        }
    }

    async fn count(&self, css: &str) -> usize {
        self.wd.find_all(By::Css(css)).await.unwrap_or_else(|e| panic!("WebDriver find_all {css}: {e}")).len()
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("WebDriver click {css}: {e}"));
    }

    /// Click something that loads a new page, and wait until the new page is there.
    async fn click_and_wait(&self, css: &str) {
        let old = self.find("html").await;
        self.click(css).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        // Any error on the old page's <html> means it has been replaced (`old.wait_until().stale()`
        // would count only a stale-element error as that).
        while old.tag_name().await.is_ok() {
            assert!(Instant::now() < deadline, "clicking {css} did not load a page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        while self.script("return document.readyState").await != "complete" {
            assert!(Instant::now() < deadline, "the page after {css} did not finish loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn clear(&self, css: &str) {
        self.find(css).await.clear().await.unwrap_or_else(|e| panic!("WebDriver clear {css}: {e}"));
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.unwrap_or_else(|e| panic!("WebDriver send_keys {css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_else(|e| panic!("WebDriver text {css}: {e}"))
    }

    async fn source(&self) -> String {
        self.wd.source().await.unwrap_or_else(|e| panic!("WebDriver source: {e}"))
    }

    async fn current_url(&self) -> String {
        self.wd.current_url().await.unwrap_or_else(|e| panic!("WebDriver current_url: {e}")).to_string()
    }

    /// Runs a synchronous script and returns what it returns, as JSON.
    async fn script(&self, js: &str) -> Value {
        self.wd.execute(js, Vec::<Value>::new()).await.unwrap_or_else(|e| panic!("WebDriver execute {js:?}: {e}")).json().clone()
    }

    /// A WebDriver command of the WebAuthn extension (W3C WebAuthn Level 3, §11), on this
    /// session; answers its `value`.
    async fn webauthn(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}/webauthn/{path}", self.url, self.wd.session_id());
        let mut req = reqwest::Client::new().request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap_or_else(|e| panic!("WebDriver {url}: {e}"));
        let status = r.status();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "WebDriver {url}: {status} {v}");
        v["value"].clone()
    }

    /// A virtual platform authenticator that verifies its user (as a fingerprint would);
    /// answers its id.
    async fn add_authenticator(&self) -> String {
        let body = json!({"protocol": "ctap2", "transport": "internal", "hasResidentKey": true, "hasUserVerification": true, "isUserVerified": true, "automaticPresenceSimulation": true});
        self.webauthn(reqwest::Method::POST, "authenticator", Some(body)).await.as_str().expect("an authenticator id").to_string()
    }

    async fn sign_in(&self, base: &str, email: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", "demo-password").await;
        self.click_and_wait("form button[type=submit]").await;
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
    let photo_ok = d.script("const i = document.querySelector('figure.photo img'); return i !== null && i.complete && i.naturalWidth > 0").await;
    assert_eq!(photo_ok, json!(true), "the story's photo loads");
    let title = d.text("article h1").await;
    assert!(title.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "the newest story is the Serbian one, in Cyrillic: {title:?}");
    d.click_and_wait("nav.langs a[hreflang='sr-Latn']").await;
    assert!(d.source().await.contains("<html lang=\"sr-Latn\""));
    let latin = d.text("article h1").await;
    assert!(!latin.is_empty() && latin.chars().all(|c| !('\u{0400}'..='\u{04FF}').contains(&c)), "no Cyrillic left in {latin:?} (was {title:?})");
    d.quit().await;
}

/// A full single sign-on in the browser: the button on the sign-in page, the provider's own
/// sign-in form, back to Liaison signed in; then sign-out, and the provider's end-session page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_through_the_browser() {
    if !asked_for() || !crate::sso::wanted() {
        eprintln!("browser and single sign-on tests not both asked for (LIAISON_BROWSER_TESTS=1, LIAISON_SSO_TESTS=1)");
        return;
    }
    let (f, _clock, idp) = crate::sso::fixture(None).await;
    let issuer = idp.as_ref().unwrap().issuer.clone();
    let base = f.server.base.clone();
    let d = Driver::start().await;
    d.goto(&format!("{base}/login")).await;
    d.click_and_wait("ul.sso-buttons a").await;
    assert!(d.current_url().await.starts_with(&format!("{issuer}/interaction/")), "at the provider: {}", d.current_url().await);
    d.type_into("input[name=login]", "coordinator").await;
    d.click_and_wait("form button[type=submit]").await;
    // Back at Liaison (the provider's redirects followed), signed in as the coordinator.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !d.current_url().await.starts_with(&base) {
        assert!(Instant::now() < deadline, "not back at Liaison: {}", d.current_url().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(d.source().await.contains("coordinator"), "signed in: {}", d.source().await);
    d.click_and_wait(".who form button").await;
    assert!(d.current_url().await.ends_with("/login?signed_out=test"), "{}", d.current_url().await);
    let link = d.find("#provider-logout a").await.attr("href").await.unwrap().unwrap_or_default();
    assert!(link.starts_with(&format!("{issuer}/session/end?")), "{link}");
    d.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_registered_and_used_in_the_browser() {
    if !asked_for() {
        eprintln!("browser tests not asked for (set LIAISON_BROWSER_TESTS=1 to run them)");
        return;
    }
    // Passkeys need a domain name: the browser reaches the server as `localhost`.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let db = liaison_store::testing::TestDb::new().await;
    let app = app_on(db.open().await, liaison_app::AppConfig { public_url: base.clone(), ..test_config() });
    liaison_demo::load(&app).await.expect("demo");
    let web = liaison_web::WebConfig { public_url: base.clone(), ..liaison_web::WebConfig::default() };
    let _server = Server::serve_on(listener, app, db, web).await;
    let d = Driver::start().await;
    let authenticator = d.add_authenticator().await;

    // The coordinator adds a passkey from the account page: the page's script asks the
    // browser, which asks the (virtual) authenticator.
    d.sign_in(&base, "coordinator@demo.test").await;
    d.goto(&format!("{base}/account")).await;
    assert!(d.text("#passkey-state").await.contains("No passkey"), "{}", d.source().await);
    d.type_into("#passkey-name", "Office laptop").await;
    d.click_and_wait("#passkey-add").await;
    assert_eq!(d.count("main li code").await, 10, "the first factor's recovery codes, once: {}", d.source().await);
    let held = d.webauthn(reqwest::Method::GET, &format!("authenticator/{authenticator}/credentials"), None).await;
    assert_eq!(held.as_array().map(Vec::len), Some(1), "the authenticator holds the new credential: {held}");
    d.goto(&format!("{base}/account")).await;
    assert!(d.text("#passkey-list").await.contains("Office laptop"));

    // Signed out, the password alone does not sign in; the passkey finishes it.
    d.click_and_wait(".who form button").await;
    d.sign_in(&base, "coordinator@demo.test").await;
    assert!(d.current_url().await.ends_with("/login"), "the second step: {}", d.current_url().await);
    assert!(d.text("main h1").await.contains("Second factor"));
    d.click_and_wait("#passkey-sign-in").await;
    assert!(d.text("main h1").await.contains("Plans"), "signed in with the passkey: {}", d.source().await);
    d.goto(&format!("{base}/account")).await;
    assert!(d.text("#passkey-list").await.contains("last used"), "{}", d.source().await);

    // The authenticator cannot verify its user (a wrong fingerprint): the page says so and the
    // recovery code form is still there.
    d.webauthn(reqwest::Method::POST, &format!("authenticator/{authenticator}/uv"), Some(json!({"isUserVerified": false}))).await;
    d.click_and_wait(".who form button").await;
    d.sign_in(&base, "coordinator@demo.test").await;
    d.click("#passkey-sign-in").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while d.script("return document.querySelector('[data-passkey-error]').hidden").await != json!(false) {
        assert!(Instant::now() < deadline, "no message when the passkey cannot answer");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(d.text("[data-passkey-error]").await.contains("did not answer"));
    assert_eq!(d.count("#code").await, 1, "a recovery code still works");
    d.quit().await;
}
