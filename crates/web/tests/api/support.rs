//! A real server on 127.0.0.1:0 with a fresh database per test, and a small fixture.

use liaison_app::{App, AppConfig, Ctx, Ports};
use liaison_domain::access::{GlobalRole, Role};
use liaison_domain::item::NewItem;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::organisation::{NewOrganisation, OrgKind};
use liaison_domain::plan::{NewPlan, Period, Plan};
use liaison_domain::text::Text;
use liaison_domain::user::NewUser;
use liaison_domain::{ItemId, OrganisationId};
use liaison_store::testing::TestDb;
use liaison_web::{AppState, WebConfig};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;

pub const PASSWORD: &str = "correct plum orbit";

pub struct Server {
    pub base: String,
    pub app: App,
    pub _db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Cheap password hashing: tests sign in often.
pub fn test_config() -> AppConfig {
    AppConfig { argon2_memory_kib: 256, argon2_iterations: 1, ..AppConfig::default() }
}

/// The real adapters, as the binary builds them: the system clock and randomness, argon2id at
/// the cost of `config`, the image codec; no mailer.
pub fn ports(config: &AppConfig) -> Ports {
    Ports {
        clock: std::sync::Arc::new(liaison_adapters::SystemClock),
        entropy: std::sync::Arc::new(liaison_adapters::OsEntropy),
        hasher: std::sync::Arc::new(liaison_adapters::Argon2Hasher::new(config.argon2_memory_kib, config.argon2_iterations).expect("argon2 cost")),
        photos: std::sync::Arc::new(liaison_adapters::ImageCodec),
        mailer: None,
        identity_providers: Vec::new(),
        // Passkeys where the address has a domain name, as the binary builds them.
        passkeys: liaison_adapters::WebauthnRelyingParty::for_public_url(&config.public_url)
            .map(|p| std::sync::Arc::new(p) as std::sync::Arc<dyn liaison_domain::ports::PasskeyRelyingParty>),
    }
}

/// The use cases on `db` with the real adapters.
pub fn app_on(db: liaison_store::Db, config: AppConfig) -> App {
    let ports = ports(&config);
    App::with_ports(db, config, ports)
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(test_config(), WebConfig::default()).await
    }

    pub async fn start_with(config: AppConfig, web: WebConfig) -> Server {
        let db = TestDb::new().await;
        let store = db.open().await;
        let app = app_on(store, config);
        Server::serve(app, db, web).await
    }

    pub async fn serve(app: App, db: TestDb, web: WebConfig) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Server::serve_on(listener, app, db, web).await
    }

    /// Serve on a listener bound before the app was made (its address is in the app's settings).
    pub async fn serve_on(listener: tokio::net::TcpListener, app: App, db: TestDb, web: WebConfig) -> Server {
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(app.clone(), web);
        tokio::spawn(async move {
            let _ = liaison_web::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await;
        });
        Server { base, app, _db: db, stop: Some(tx) }
    }

    /// A client that keeps cookies, signed in as nobody.
    /// The database URL the server uses.
    pub fn app_url(&self) -> String {
        self._db.url.clone()
    }

    pub fn anon(&self) -> Api {
        Api { base: self.base.clone(), client: Client::builder().cookie_store(true).build().expect("client"), bearer: None }
    }

    /// A client signed in with a session cookie.
    pub async fn login(&self, email: &str) -> Api {
        let api = self.anon();
        let r = api.post("/api/v1/auth/login", &json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(r.status, StatusCode::OK, "login {email}: {}", r.body);
        api
    }

    /// A client using an API token.
    pub async fn with_token(&self, email: &str) -> Api {
        let ctx = Ctx::system("test");
        let user = liaison_app::users::find_by_email(&self.app, &ctx, email).await.expect("user");
        let (token, _) = liaison_app::auth::issue_token(&self.app, &ctx, &user, "test", None).await.expect("token");
        Api { base: self.base.clone(), client: Client::new(), bearer: Some(token) }
    }
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body as sent (a workbook, a PDF).
    pub bytes: Vec<u8>,
}

impl Answer {
    async fn from(r: Response) -> Answer {
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, headers, body, text, bytes }
    }

    pub fn etag(&self) -> String {
        self.headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    pub fn content_type(&self) -> String {
        self.header("content-type")
    }

    /// The (field, code) pairs of a problem document.
    pub fn errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|a| a.iter().map(|e| (e["field"].as_str().unwrap_or("").to_string(), e["code"].as_str().unwrap_or("").to_string())).collect())
            .unwrap_or_default()
    }

    pub fn has_error(&self, field: &str, code: &str) -> bool {
        self.errors().iter().any(|(f, c)| f == field && c == code)
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or("").to_string()
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: Client,
    pub bearer: Option<String>,
}

impl Api {
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Answer {
        let mut rb = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.bearer {
            rb = rb.bearer_auth(t);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_string());
        }
        Answer::from(rb.send().await.expect("request")).await
    }

    pub async fn raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Answer {
        let mut rb = self.client.request(method, format!("{}{}", self.base, path)).header("content-type", content_type).body(body);
        if let Some(t) = &self.bearer {
            rb = rb.bearer_auth(t);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        Answer::from(rb.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn post_if(&self, path: &str, etag: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(body), &[("if-match", etag)]).await
    }

    pub async fn patch(&self, path: &str, etag: &str, body: &Value) -> Answer {
        self.send(Method::PATCH, path, Some(body), &[("if-match", etag)]).await
    }

    pub async fn delete(&self, path: &str, etag: &str) -> Answer {
        self.send(Method::DELETE, path, None, &[("if-match", etag)]).await
    }
}

/// A small partnership: organisations on both sides, one user per role, one IPAP plan.
pub struct Fixture {
    pub server: Server,
    pub plan: Plan,
    pub orgs: HashMap<&'static str, OrganisationId>,
    pub emails: HashMap<&'static str, String>,
}

/// Who, organisation, clearance, role on the plan, global roles.
pub type RoleUser = (&'static str, &'static str, Level, Option<Role>, &'static [GlobalRole]);

pub const ROLE_USERS: &[RoleUser] = &[
    ("coordinator", "NATO IS", Level::NatoSecret, Some(Role::Coordinator), &[]),
    ("partner", "MFA", Level::NatoConfidential, Some(Role::PartnerEditor), &[]),
    ("ally", "NOR", Level::NatoConfidential, Some(Role::AllyContributor), &[]),
    ("reporter", "MoD", Level::NatoRestricted, Some(Role::Reporter), &[]),
    ("viewer", "NATO IS", Level::NatoSecret, Some(Role::Viewer), &[]),
    ("admin", "NATO IS", Level::NatoSecret, None, &[GlobalRole::Admin]),
    ("security", "NATO IS", Level::NatoSecret, None, &[GlobalRole::SecurityOfficer]),
    ("outsider", "NATO IS", Level::NatoSecret, None, &[]),
    ("assessor", "Review", Level::NatoRestricted, Some(Role::Assessor), &[]),
    ("ally2", "NLD", Level::NatoConfidential, Some(Role::AllyContributor), &[]),
];

impl Fixture {
    pub async fn new() -> Fixture {
        Fixture::on(Server::start().await).await
    }

    pub async fn on(server: Server) -> Fixture {
        let app = &server.app;
        let sys = Ctx::system("fixture");
        let mut orgs = HashMap::new();
        for (short, kind, country) in [
            ("NATO IS", OrgKind::AllianceBody, None),
            ("MFA", OrgKind::PartnerGovernment, Some("SRB")),
            ("MoD", OrgKind::PartnerGovernment, Some("SRB")),
            ("NOR", OrgKind::Ally, Some("NOR")),
            ("Review", OrgKind::CivilSociety, Some("SRB")),
            ("NLD", OrgKind::Ally, Some("NLD")),
        ] {
            let o = liaison_app::organisations::create(
                app,
                &sys,
                NewOrganisation {
                    name: Text::new("en", short),
                    short_name: short.into(),
                    kind,
                    country: country.map(String::from),
                    parent: None,
                    iati_ref: None,
                },
            )
            .await
            .expect("org");
            orgs.insert(short, o.id);
        }
        for (code, name) in [("cyber_defence", "Cyber defence"), ("logistics", "Logistics")] {
            liaison_app::directory::create_area(
                app,
                &sys,
                liaison_app::directory::NewArea { code: code.into(), name: Text::new("en", name), dac_sector: None },
            )
            .await
            .expect("area");
        }
        let plan = liaison_app::plans::create(
            app,
            &sys,
            NewPlan {
                framework: "ipap".into(),
                code: "IPAP-T".into(),
                title: Text::new("en", "Test IPAP").with("sr", "Тест ИПАП"),
                description: Text::default(),
                partner: orgs["MFA"],
                owner: orgs["NATO IS"],
                period: Period { start: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(), end: chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap() },
                predecessor: None,
                marking: Some(Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")),
            },
        )
        .await
        .expect("plan");
        let mut emails = HashMap::new();
        for (who, org, clearance, role, globals) in ROLE_USERS {
            let email = format!("{who}@test.example");
            let u = liaison_app::users::create(
                app,
                &sys,
                NewUser {
                    display_name: who.to_string(),
                    email: email.clone(),
                    organisation: orgs[org],
                    clearance: *clearance,
                    global_roles: globals.to_vec(),
                    password: PASSWORD.into(),
                },
            )
            .await
            .expect("user");
            if let Some(r) = role {
                liaison_app::plans::set_member(app, &sys, plan.id, liaison_app::plans::SetMember { user: u.id, role: *r }).await.expect("member");
            }
            emails.insert(*who, email);
        }
        Fixture { server, plan, orgs, emails }
    }

    pub async fn as_(&self, who: &str) -> Api {
        self.server.login(&self.emails[who]).await
    }

    pub async fn token(&self, who: &str) -> Api {
        self.server.with_token(&self.emails[who]).await
    }

    pub fn plan_path(&self, rest: &str) -> String {
        format!("/api/v1/plans/{}{}", self.plan.id, rest)
    }

    /// Add an item directly (as the program), returning its id.
    pub async fn item(&self, parent: Option<ItemId>, code: &str, marking: Option<Marking>) -> ItemId {
        let input: NewItem = serde_json::from_value(json!({"code": code, "title": {"en": format!("Item {code}")}, "parent": parent})).unwrap();
        let input = NewItem { marking, downgrade: true, ..input };
        liaison_app::items::create(&self.server.app, &Ctx::system("fixture"), self.plan.id, input).await.expect("item").id
    }
}

/// A clock the test moves by hand.
pub struct TestClock(std::sync::Mutex<liaison_domain::Timestamp>);

impl TestClock {
    pub fn new() -> std::sync::Arc<TestClock> {
        std::sync::Arc::new(TestClock(std::sync::Mutex::new(liaison_domain::truncate_ms(chrono::Utc::now()))))
    }

    pub fn advance(&self, seconds: i64) {
        *self.0.lock().unwrap() += chrono::TimeDelta::seconds(seconds);
    }

    /// Set the clock to 09:00 UTC on a day (`YYYY-MM-DD`).
    pub fn set_day(&self, day: &str) {
        let d: chrono::NaiveDate = day.parse().expect("day");
        *self.0.lock().unwrap() = d.and_hms_opt(9, 0, 0).expect("time").and_utc();
    }
}

impl liaison_domain::ports::Clock for TestClock {
    fn now(&self) -> liaison_domain::Timestamp {
        *self.0.lock().unwrap()
    }
}

impl Server {
    /// A server whose use cases read the time from `clock`.
    pub async fn with_clock(clock: std::sync::Arc<TestClock>, web: WebConfig) -> Server {
        Server::with_clock_config(clock, test_config(), web).await
    }

    /// A server with its own settings whose use cases read the time from `clock`.
    pub async fn with_clock_config(clock: std::sync::Arc<TestClock>, config: AppConfig, web: WebConfig) -> Server {
        let db = TestDb::new().await;
        let store = db.open().await;
        let app = App::with_ports(store, config.clone(), Ports { clock, ..ports(&config) });
        Server::serve(app, db, web).await
    }
}

/// A browser-like client: keeps cookies, does not follow redirects, posts forms.
pub struct Browser {
    pub base: String,
    pub client: Client,
}

impl Server {
    pub fn browser(&self) -> Browser {
        Browser { base: self.base.clone(), client: Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client") }
    }

    /// A browser signed in through the sign-in form.
    pub async fn browser_as(&self, email: &str, password: &str) -> Browser {
        let b = self.browser();
        let r = b.form("/login", &[("email", email), ("password", password), ("next", "/")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in form for {email}: {}", r.text);
        b
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Answer {
        Answer::from(self.client.get(format!("{}{}", self.base, path)).send().await.expect("request")).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut rb = self.client.get(format!("{}{}", self.base, path));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        Answer::from(rb.send().await.expect("request")).await
    }

    /// Post a raw body (e.g. `multipart/form-data`) as a form would.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
        Answer::from(self.client.post(format!("{}{}", self.base, path)).header("content-type", content_type).body(body).send().await.expect("request")).await
    }

    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        Answer::from(self.client.post(format!("{}{}", self.base, path)).form(fields).send().await.expect("request")).await
    }
}

/// The `value` of the input or textarea called `name` in an HTML page (simple, for tests).
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = html.find(&marker)?;
    let start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[start..=tag_end];
    if tag.starts_with("<textarea") {
        let close = html[tag_end..].find("</textarea>")?;
        return Some(unescape(&html[tag_end + 1..tag_end + close]));
    }
    if tag.starts_with("<select") {
        let close = html[tag_end..].find("</select>")?;
        let options = &html[tag_end..tag_end + close];
        let selected = options.split("<option").find(|o| o.contains(" selected"))?;
        let v = selected.split("value=\"").nth(1)?;
        return Some(unescape(v.split('"').next()?));
    }
    let v = tag.split("value=\"").nth(1)?;
    Some(unescape(v.split('"').next()?))
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'").replace("&#x27;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

impl Answer {
    /// The location of a redirect.
    pub fn location(&self) -> String {
        self.header("location")
    }
}
