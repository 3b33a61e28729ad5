//! Single sign-on against a real OpenID provider started by the tests: the OpenID-certified
//! `oidc-provider` from npm, run with Node (`tests/oidc/provider.mjs`), when
//! `LIAISON_SSO_TESTS=1` (CI sets it and installs it; asked for and missing, they fail). Over HTTP
//! as a browser would: success and linking, a wrong `state`, a replayed code, an expired token
//! (and clock skew tolerated), rotated keys, an unknown account, an unverified e-mail, a disabled
//! account, the provider down, and sign-out offering the provider's end-session endpoint.

use crate::support::*;
use liaison_adapters::{OidcProvider, OidcSettings};
use liaison_app::{App, Ctx};
use reqwest::StatusCode;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

pub(crate) fn wanted() -> bool {
    std::env::var("LIAISON_SSO_TESTS").is_ok_and(|v| v == "1")
}

const CLIENT_ID: &str = "liaison";
const CLIENT_SECRET: &str = "client-secret-7";

/// The provider, stopped when dropped.
pub(crate) struct Provider {
    child: Child,
    pub(crate) issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect: &str, post_logout: &str) -> Provider {
    use std::io::BufRead;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    assert!(dir.join("node_modules/oidc-provider").exists(), "LIAISON_SSO_TESTS=1 but oidc-provider is not installed: npm ci --prefix {}", dir.display());
    let mut child = Command::new("node")
        .arg(dir.join("provider.mjs"))
        .env("PORT", "0")
        .env("CLIENT_ID", CLIENT_ID)
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .env("REDIRECT_URI", redirect)
        .env("POST_LOGOUT_REDIRECT_URI", post_logout)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("LIAISON_SSO_TESTS=1 but node does not run");
    let stdout = child.stdout.take();
    let mut p = Provider { child, issuer: String::new() };
    let mut out = std::io::BufReader::new(stdout.unwrap());
    for _ in 0..5 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        if let Some(i) = line.trim().strip_prefix("issuer ") {
            p.issuer = i.to_string();
        }
        if line.trim() == "ready" {
            return p;
        }
    }
    panic!("the OpenID provider did not start");
}

/// A Liaison server with the provider `test` at `issuer` (its clock the test's), the fixture's
/// accounts, and the provider itself (unless `issuer` is given: then nobody may listen there).
pub(crate) async fn fixture(down: Option<&str>) -> (Fixture, Arc<TestClock>, Option<Provider>) {
    fixture_with(down, test_config()).await
}

async fn fixture_with(down: Option<&str>, config: liaison_app::AppConfig) -> (Fixture, Arc<TestClock>, Option<Provider>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let redirect = format!("{base}/login/sso/test/callback");
    let provider = down.is_none().then(|| start_provider(&redirect, &format!("{base}/login")));
    let issuer = down.map(String::from).unwrap_or_else(|| provider.as_ref().unwrap().issuer.clone());
    let idp = OidcProvider::new(OidcSettings {
        name: "test".into(),
        label: "Test IdP".into(),
        issuer,
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        redirect_url: redirect,
        ca_pem: None,
        timeout: std::time::Duration::from_secs(5),
    })
    .unwrap();
    let clock = TestClock::new();
    let db = liaison_store::testing::TestDb::new().await;
    let ports = liaison_app::Ports { clock: clock.clone(), identity_providers: vec![Arc::new(idp)], ..ports(&config) };
    let app = App::with_ports(db.open().await, config, ports);
    let web = liaison_web::WebConfig { public_url: base.clone(), ..liaison_web::WebConfig::default() };
    let f = Fixture::on(Server::serve_on(listener, app, db, web).await).await;
    (f, clock, provider)
}

/// A browser that signs in at the provider as `sub` and stops at Liaison's callback. Returns the
/// callback address the provider sent it to.
async fn to_callback(b: &Browser, issuer: &str, sub: &str) -> String {
    let start = b.get("/login/sso/test?next=/plans").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.text);
    let cookie = start.header("set-cookie");
    assert!(cookie.contains("liaison_sso_state=") && cookie.contains("HttpOnly") && cookie.contains("Path=/login/sso"), "{cookie}");
    let auth = start.location();
    assert!(auth.starts_with(&format!("{issuer}/auth?")) && auth.contains("code_challenge_method=S256") && auth.contains("nonce="), "{auth}");
    let get = |url: String| async move { b.client.get(&url).send().await.unwrap() };
    let r = get(auth).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let interaction = format!("{issuer}{}", r.headers()["location"].to_str().unwrap());
    let r = b.client.post(&interaction).form(&[("login", sub)]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let resume = r.headers()["location"].to_str().unwrap().to_string();
    let r = get(resume).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The callback as Liaison answers it.
async fn callback(b: &Browser, url: &str) -> Answer {
    let path = url.split_once("/login/sso/").map(|(_, p)| format!("/login/sso/{p}")).unwrap();
    b.get(&path).await
}

async fn audit(f: &Fixture, action: &str) -> Vec<serde_json::Value> {
    let r = f.as_("security").await.get(&format!("/api/v1/audit?action={action}&limit=100")).await;
    r.body["items"].as_array().unwrap().clone()
}

fn reasons(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter().filter_map(|r| r["after"]["reason"].as_str().map(String::from)).collect()
}

#[tokio::test]
async fn signing_in_with_the_provider_links_the_account_by_its_verified_email_then_by_its_subject() {
    if !wanted() {
        return;
    }
    let (f, _clock, idp) = fixture(None).await;
    let issuer = idp.as_ref().unwrap().issuer.clone();
    let page = f.server.browser().get("/login").await;
    assert!(page.text.contains("href=\"/login/sso/test?next=%2F\"") && page.text.contains("Sign in with Test IdP"), "{}", page.text);
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "viewer").await;
    assert!(back.contains("code=") && back.contains("state="), "{back}");
    let done = callback(&b, &back).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(done.location(), "/plans", "where the sign-in began");
    let me = b.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["email"], f.emails["viewer"]);
    assert_eq!(audit(&f, "sso_linked").await.len(), 1);
    // The next sign-in finds the account by the provider's subject: no new link.
    let again = f.server.browser();
    let back = to_callback(&again, &issuer, "viewer").await;
    assert_eq!(callback(&again, &back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(audit(&f, "sso_linked").await.len(), 1);
    let logins = audit(&f, "login").await;
    assert_eq!(logins.iter().filter(|r| r["after"]["provider"] == "test").count(), 2);
    // The same callback again: the sign-in it belonged to has finished.
    let replayed = callback(&again, &back).await;
    assert_eq!(replayed.status, StatusCode::FORBIDDEN);
    assert!(replayed.text.contains("already finished or expired"), "{}", replayed.text);
    // Sign-out ends the Liaison session and offers the provider's end-session endpoint.
    let out = b.form("/logout", &[]).await;
    assert_eq!(out.location(), "/login?signed_out=test");
    let offered = b.get("/login?signed_out=test").await;
    assert!(
        offered.text.contains("You are signed out of Liaison.") && offered.text.contains(&format!("{issuer}/session/end?client_id=liaison")),
        "{}",
        offered.text
    );
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // Keys rotated at the provider: the new signature is checked against keys fetched again.
    let rotated = reqwest::Client::new().post(format!("{issuer}/__test/rotate-keys")).send().await.unwrap();
    assert_eq!(rotated.status(), StatusCode::OK);
    let third = f.server.browser();
    let back = to_callback(&third, &issuer, "partner").await;
    let r = callback(&third, &back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(third.get("/api/v1/me").await.body["user"]["email"], f.emails["partner"]);
}

#[tokio::test]
async fn a_wrong_state_a_replayed_code_and_an_expired_token_do_not_sign_in() {
    if !wanted() {
        return;
    }
    let (f, clock, idp) = fixture(None).await;
    let issuer = idp.as_ref().unwrap().issuer.clone();
    // The state changed on the way: refused.
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "viewer").await;
    let (head, state) = back.split_once("state=").unwrap();
    let tampered = format!("{head}state=x{state}");
    let r = callback(&b, &tampered).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // A callback taken to another browser (no state cookie): refused.
    let other = f.server.browser();
    assert_eq!(callback(&other, &back).await.status, StatusCode::FORBIDDEN);
    // The genuine one still works, once.
    assert_eq!(callback(&b, &back).await.status, StatusCode::SEE_OTHER);
    // A used code with a new sign-in's state: the provider refuses it.
    let code = back.split("code=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let fresh = f.server.browser();
    let back2 = to_callback(&fresh, &issuer, "viewer").await;
    let state2 = back2.split("state=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let r = fresh.get(&format!("/login/sso/test/callback?code={code}&state={state2}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("did not confirm who you are"), "{}", r.text);
    // Our clock a few minutes ahead of the provider's: within the skew the token is still good,
    // beyond it (the token lived 300 s) it has expired.
    let late = f.server.browser();
    let back = to_callback(&late, &issuer, "viewer").await;
    clock.advance(300 + 60);
    assert_eq!(callback(&late, &back).await.status, StatusCode::SEE_OTHER, "two minutes of skew are tolerated");
    let later = f.server.browser();
    let back = to_callback(&later, &issuer, "viewer").await;
    clock.advance(300);
    let r = callback(&later, &back).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "expired: {}", r.text);
    assert_eq!(later.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let failed = reasons(&audit(&f, "login_failed").await);
    assert!(failed.contains(&"sso_wrong_state".to_string()) && failed.contains(&"sso_refused".to_string()), "{failed:?}");
    // An error from the provider, or a callback without its code: refused, never a 5xx.
    assert_eq!(f.server.browser().get("/login/sso/test/callback?error=access_denied&state=x").await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.server.browser().get("/login/sso/test/callback").await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.server.browser().get("/login/sso/nobody").await.status, StatusCode::NOT_FOUND, "no such provider");
}

#[tokio::test]
async fn unknown_unverified_and_disabled_accounts_do_not_sign_in() {
    if !wanted() {
        return;
    }
    let (f, _clock, idp) = fixture(None).await;
    let issuer = idp.as_ref().unwrap().issuer.clone();
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "stranger").await;
    let r = callback(&b, &back).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("There is no Liaison account for you yet"), "{}", r.text);
    // An account exists for the address, but the provider has not verified it: no link.
    let sys = Ctx::system("t");
    let org = f.orgs["NATO IS"];
    let input = liaison_domain::user::NewUser {
        display_name: "U".into(),
        email: "unverified-u@test.example".into(),
        organisation: org,
        clearance: liaison_domain::marking::Level::Public,
        global_roles: vec![],
        password: PASSWORD.into(),
    };
    liaison_app::users::create(&f.server.app, &sys, input).await.unwrap();
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "unverified-u").await;
    assert_eq!(callback(&b, &back).await.status, StatusCode::FORBIDDEN);
    // A disabled account, however well the provider knows it.
    let ally = liaison_app::users::find_by_email(&f.server.app, &sys, &f.emails["ally"]).await.unwrap();
    let patch = liaison_domain::user::UserPatch { status: Some(liaison_domain::user::UserStatus::Disabled), ..Default::default() };
    liaison_app::users::update(&f.server.app, &sys, ally.id, ally.version, patch).await.unwrap();
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "ally").await;
    let r = callback(&b, &back).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("disabled or locked"), "{}", r.text);
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let failed = reasons(&audit(&f, "login_failed").await);
    for why in ["sso_unknown_account", "sso_unverified_email", "account_not_active"] {
        assert!(failed.contains(&why.to_string()), "{why}: {failed:?}");
    }
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page_not_a_5xx() {
    if !wanted() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (f, _clock, _) = fixture(Some(&format!("http://127.0.0.1:{port}"))).await;
    let r = f.server.browser().get("/login/sso/test").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Test IdP cannot be reached just now"), "{}", r.text);
    assert!(r.text.contains("name=\"password\""), "the password form is still there");
}

#[tokio::test]
async fn a_provider_allowed_to_makes_an_account_cleared_public_for_a_verified_stranger() {
    if !wanted() {
        return;
    }
    let config = liaison_app::AppConfig { sso_new_accounts: [("test".to_string(), "MoD".to_string())].into(), ..test_config() };
    let (f, _clock, idp) = fixture_with(None, config).await;
    let issuer = idp.as_ref().unwrap().issuer.clone();
    let b = f.server.browser();
    let back = to_callback(&b, &issuer, "newcomer").await;
    let r = callback(&b, &back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/plans");
    let me = b.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    let user = &me.body["user"];
    assert_eq!(
        (user["email"].as_str(), user["display_name"].as_str(), user["clearance"].as_str()),
        (Some("newcomer@test.example"), Some("newcomer"), Some("public"))
    );
    assert_eq!(user["organisation"], serde_json::json!(f.orgs["MoD"]));
    assert_eq!(user["global_roles"], serde_json::json!([]));
    // No role on any plan: the plan is not theirs to see.
    assert_eq!(b.get(&f.plan_path("")).await.status, StatusCode::NOT_FOUND);
    // Made once: the next sign-in finds the linked account.
    let b2 = f.server.browser();
    let back = to_callback(&b2, &issuer, "newcomer").await;
    assert_eq!(callback(&b2, &back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(b2.get("/api/v1/me").await.body["user"]["id"], user["id"]);
    let made: Vec<_> = audit(&f, "create").await.into_iter().filter(|r| r["entity"] == "user" && r["after"]["provider"] == "test").collect();
    assert_eq!(made.len(), 1, "{made:?}");
    // An unverified address still gets nothing.
    let b3 = f.server.browser();
    let back = to_callback(&b3, &issuer, "unverified-stranger").await;
    assert_eq!(callback(&b3, &back).await.status, StatusCode::FORBIDDEN);
}
