//! Passkeys over HTTP, with webauthn-rs's software authenticator as the browser's: registered
//! from the account, asked for at sign-in, the wrong authenticator, a stale or replayed answer,
//! the wrong origin, the policy that keeps the last factor, an administrator's reset, and bad
//! input. (The browser test registers and signs in with chromium's virtual authenticator.)

use crate::support::*;
use liaison_domain::second_factor::Policy;
use liaison_web::WebConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const ORIGIN: &str = "https://liaison.example";

fn origin() -> Url {
    Url::parse(ORIGIN).unwrap()
}

async fn fixture(policy: Policy) -> Fixture {
    let config = liaison_app::AppConfig { second_factor: policy, public_url: ORIGIN.into(), ..test_config() };
    Fixture::on(Server::start_with(config, WebConfig { login_attempts_per_minute: 1000, ..WebConfig::default() }).await).await
}

/// An authenticator that says it verified its user (a PIN, a fingerprint): passkeys ask for it.
fn authenticator() -> SoftPasskey {
    SoftPasskey::new(true)
}

/// Register a passkey of `device` for the signed-in account; returns the answer.
async fn register(api: &Api, device: &mut SoftPasskey, name: &str) -> Answer {
    let options = api.post("/api/v1/me/passkeys/options", &json!({})).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.text);
    let options: CreationChallengeResponse = serde_json::from_value(options.body).expect("creation options");
    let credential = device.do_registration(origin(), options).expect("the authenticator registers");
    api.post("/api/v1/me/passkeys", &json!({"name": name, "credential": credential})).await
}

async fn login(api: &Api, email: &str) -> Answer {
    api.post("/api/v1/auth/login", &json!({"email": email, "password": PASSWORD})).await
}

/// The passkey options of a waiting sign-in.
async fn sign_in_options(api: &Api, challenge: &str) -> RequestChallengeResponse {
    let r = api.post("/api/v1/auth/second-factor/passkey", &json!({"challenge": challenge})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    serde_json::from_value(r.body).expect("request options")
}

async fn answer(api: &Api, challenge: &str, passkey: &Value) -> Answer {
    api.post("/api/v1/auth/second-factor", &json!({"challenge": challenge, "passkey": passkey})).await
}

async fn audit(f: &Fixture, action: &str) -> Vec<Value> {
    // A token: the security officer may be asked for a second factor in these fixtures.
    let so = f.token("security").await;
    let r = so.get(&format!("/api/v1/audit?action={action}&limit=100")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_passkey_registered_from_the_account_answers_the_second_step_of_sign_in() {
    let f = fixture(Policy::default()).await;
    let email = f.emails["viewer"].clone();
    let viewer = f.as_("viewer").await;
    let mut device = authenticator();
    let done = register(&viewer, &mut device, "  YubiKey at the office ").await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["passkey"]["name"], "YubiKey at the office");
    assert_eq!(done.body["recovery_codes"].as_array().unwrap().len(), 10, "the first factor comes with recovery codes, shown once");
    let listed = viewer.get("/api/v1/me/passkeys").await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(listed.body[0]["last_used_at"].is_null());
    assert!(listed.body[0].get("credential").is_none(), "nothing of the key is shown");
    let status = viewer.get("/api/v1/me/second-factor").await.body;
    assert_eq!(status, json!({"totp": false, "passkeys": 1, "passkeys_available": true, "recovery_codes_left": 10, "required": false}));

    // The password alone no longer signs in; the passkey does.
    let api = f.server.anon();
    let asked = login(&api, &email).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.text);
    assert_eq!((asked.body["totp"].clone(), asked.body["passkey"].clone()), (json!(false), json!(true)));
    let challenge = asked.body["challenge"].as_str().unwrap().to_string();
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let options = sign_in_options(&api, &challenge).await;
    let proof = serde_json::to_value(device.do_authentication(origin(), options).expect("the authenticator answers")).unwrap();
    let signed = answer(&api, &challenge, &proof).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    assert!(signed.header("set-cookie").contains("liaison_session="));
    assert_eq!(api.get("/api/v1/me").await.body["user"]["email"], email.as_str());
    assert!(!api.get("/api/v1/me/passkeys").await.body[0]["last_used_at"].is_null(), "its use is kept");
    // The challenge finished its sign-in; the same answer again gets nothing.
    assert_eq!(answer(&api, &challenge, &proof).await.status, StatusCode::UNAUTHORIZED);
    let again = f.server.anon();
    let c2 = login(&again, &email).await.body["challenge"].as_str().unwrap().to_string();
    sign_in_options(&again, &c2).await;
    let replayed = answer(&again, &c2, &proof).await;
    assert_eq!(replayed.status, StatusCode::UNPROCESSABLE_ENTITY, "an answer to another challenge: {}", replayed.text);
    assert!(replayed.has_error("passkey", "passkey_refused"));
    // The authenticator's counter moved on with each sign-in, and the next one still works.
    let options = sign_in_options(&again, &c2).await;
    let proof = serde_json::to_value(device.do_authentication(origin(), options).unwrap()).unwrap();
    assert_eq!(answer(&again, &c2, &proof).await.status, StatusCode::OK);

    let set = audit(&f, "second_factor_set").await;
    assert!(set.iter().any(|c| c["after"]["factor"] == "passkey" && c["after"]["name"] == "YubiKey at the office"), "{set:?}");
    let logins = audit(&f, "login").await;
    assert_eq!(logins.iter().filter(|c| c["after"]["second_factor"] == "passkey").count(), 2, "{logins:?}");
    let failed = audit(&f, "login_failed").await;
    assert!(failed.iter().any(|c| c["after"]["reason"] == "wrong_passkey"), "{failed:?}");
}

#[tokio::test]
async fn another_authenticator_an_older_challenge_or_another_origin_is_refused_and_counts_towards_the_lockout() {
    let f = fixture(Policy::default()).await;
    let email = f.emails["viewer"].clone();
    let viewer = f.as_("viewer").await;
    let mut mine = authenticator();
    assert_eq!(register(&viewer, &mut mine, "mine").await.status, StatusCode::CREATED);
    // Someone else's authenticator, registered to their own account.
    let mut theirs = authenticator();
    assert_eq!(register(&f.as_("partner").await, &mut theirs, "theirs").await.status, StatusCode::CREATED);

    let api = f.server.anon();
    let challenge = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
    // The partner's authenticator cannot answer: the viewer's options do not allow its key.
    let options = sign_in_options(&api, &challenge).await;
    assert!(theirs.do_authentication(origin(), options.clone()).is_err(), "it has no key for these options");
    // An answer made for another site (a phishing page relaying these options) is refused.
    let mut relayed = options.clone();
    relayed.public_key.rp_id = "evil.example".into();
    let phished = serde_json::to_value(mine.do_authentication(Url::parse("https://evil.example").unwrap(), relayed).unwrap()).unwrap();
    let r = answer(&api, &challenge, &phished).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // Options asked for again: the first ones' challenge no longer counts.
    let stale = serde_json::to_value(mine.do_authentication(origin(), options).unwrap()).unwrap();
    let fresh = sign_in_options(&api, &challenge).await;
    assert_eq!(answer(&api, &challenge, &stale).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not an answer at all (the third and fourth failures).
    for bad in [json!({}), json!({"id": "x", "rawId": "!!", "type": "public-key", "response": {}})] {
        let r = answer(&api, &challenge, &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text);
        assert!(r.has_error("passkey", "passkey_refused"), "{}", r.text);
    }
    // Each refusal counted like a wrong password: the fifth locks the account, and the right
    // answer to the latest options comes too late.
    let locked = answer(&api, &challenge, &json!("text")).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.text);
    let late = serde_json::to_value(mine.do_authentication(origin(), fresh).unwrap()).unwrap();
    assert_eq!(answer(&api, &challenge, &late).await.status, StatusCode::UNAUTHORIZED, "the locked sign-in has ended");
    assert_eq!(login(&api, &email).await.status, StatusCode::TOO_MANY_REQUESTS);
    let failed = audit(&f, "login_failed").await;
    assert_eq!(failed.iter().filter(|c| c["after"]["reason"] == "wrong_passkey").count(), 5, "{failed:?}");
}

#[tokio::test]
async fn registration_refuses_bad_names_bad_answers_stale_options_and_installations_without_a_domain() {
    let f = fixture(Policy::default()).await;
    let viewer = f.as_("viewer").await;
    let mut device = authenticator();
    // Without options asked for first.
    let options: CreationChallengeResponse = serde_json::from_value(viewer.post("/api/v1/me/passkeys/options", &json!({})).await.body).unwrap();
    let credential = serde_json::to_value(device.do_registration(origin(), options).unwrap()).unwrap();
    let long = "k".repeat(101);
    for name in ["", "   ", long.as_str(), "tab\tname"] {
        let r = viewer.post("/api/v1/me/passkeys", &json!({"name": name, "credential": credential})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {}", r.text);
        assert!(r.has_error("name", "passkey_name"), "{}", r.text);
    }
    for bad in [
        json!(null),
        json!([]),
        json!({"id": 1}),
        json!({"id": "a", "rawId": "a", "type": "public-key", "response": {"attestationObject": "%%", "clientDataJSON": ""}}),
    ] {
        let r = viewer.post("/api/v1/me/passkeys", &json!({"name": "x", "credential": bad})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text);
        assert!(r.has_error("credential", "passkey_refused"), "{}", r.text);
    }
    // A name refused leaves the options in place; the good answer registers once.
    let ok = viewer.post("/api/v1/me/passkeys", &json!({"name": "laptop", "credential": credential})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    let twice = viewer.post("/api/v1/me/passkeys", &json!({"name": "laptop", "credential": credential})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "the options were used: {}", twice.text);
    // An answer made for another site is refused (the options stay, for another try).
    let mut options: CreationChallengeResponse = serde_json::from_value(viewer.post("/api/v1/me/passkeys/options", &json!({})).await.body).unwrap();
    options.public_key.rp.id = "evil.example".into();
    let phished = device.do_registration(Url::parse("https://evil.example").unwrap(), options).unwrap();
    let r = viewer.post("/api/v1/me/passkeys", &json!({"name": "evil", "credential": phished})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // The answer of another account's options is refused.
    let partner = f.as_("partner").await;
    let options: CreationChallengeResponse = serde_json::from_value(partner.post("/api/v1/me/passkeys/options", &json!({})).await.body).unwrap();
    let theirs = device.do_registration(origin(), options).unwrap();
    viewer.post("/api/v1/me/passkeys/options", &json!({})).await;
    assert_eq!(viewer.post("/api/v1/me/passkeys", &json!({"name": "x", "credential": theirs})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(viewer.get("/api/v1/me/passkeys").await.body.as_array().unwrap().len(), 1);
    // Unknown fields and the wrong types.
    assert_eq!(viewer.post("/api/v1/me/passkeys", &json!({"name": "x", "credential": {}, "admin": true})).await.status.as_u16(), 422);
    assert_eq!(viewer.post("/api/v1/me/passkeys", &json!(["x"])).await.status.as_u16() / 100, 4);
    // Signed out: nothing.
    let anon = f.server.anon();
    assert_eq!(anon.post("/api/v1/me/passkeys/options", &json!({})).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anon.get("/api/v1/me/passkeys").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anon.post("/api/v1/auth/second-factor/passkey", &json!({"challenge": "nope"})).await.status, StatusCode::UNAUTHORIZED);
    // A code and a passkey, or neither.
    for body in [json!({"challenge": "c"}), json!({"challenge": "c", "code": "123456", "passkey": {}})] {
        let r = anon.post("/api/v1/auth/second-factor", &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
    }

    // An installation reached by an IP address offers no passkeys (browsers refuse them).
    let bare = Fixture::on(Server::start().await).await;
    let r = bare.as_("viewer").await.post("/api/v1/me/passkeys/options", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.body["detail"].as_str().unwrap().contains("domain name"), "{}", r.text);
}

#[tokio::test]
async fn the_last_required_factor_stays_and_an_administrator_reset_ends_every_passkey() {
    let f = fixture(Policy { above: None, staff: true }).await;
    // A staff account under the policy registers a passkey instead of an app key.
    let admin_email = f.emails["admin"].clone();
    let partner = f.as_("partner").await;
    let mut device = authenticator();
    let p1 = register(&partner, &mut device, "first").await;
    assert_eq!(p1.status, StatusCode::CREATED);
    let mut second_device = authenticator();
    let p2 = register(&partner, &mut second_device, "second").await;
    assert_eq!(p2.status, StatusCode::CREATED);
    assert!(p2.body["recovery_codes"].is_null(), "codes are made once, while none are left");
    // Another account's passkey is not found.
    let viewer = f.as_("viewer").await;
    let id1 = p1.body["passkey"]["id"].as_str().unwrap().to_string();
    assert_eq!(viewer.send(reqwest::Method::DELETE, &format!("/api/v1/me/passkeys/{id1}"), None, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.send(reqwest::Method::DELETE, "/api/v1/me/passkeys/not-an-id", None, &[]).await.status.as_u16(), 404);
    // Not required (the partner is not staff): both go, and the recovery codes with the last.
    assert_eq!(partner.send(reqwest::Method::DELETE, &format!("/api/v1/me/passkeys/{id1}"), None, &[]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.get("/api/v1/me/second-factor").await.body["recovery_codes_left"], 10);
    let id2 = p2.body["passkey"]["id"].as_str().unwrap().to_string();
    assert_eq!(partner.send(reqwest::Method::DELETE, &format!("/api/v1/me/passkeys/{id2}"), None, &[]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.get("/api/v1/me/second-factor").await.body["recovery_codes_left"], 0);
    assert_eq!(login(&f.server.anon(), &f.emails["partner"]).await.status, StatusCode::OK, "no factor, no second step");

    // The administrator (staff) signs in, setting up the app key the policy asks for, adds a
    // passkey, and may then remove the app key but not the last passkey.
    let api = f.server.anon();
    let asked = login(&api, &admin_email).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let secret = asked.body["enrol"]["secret"].as_str().unwrap();
    let key = liaison_domain::second_factor::TotpKey::from_base32(secret, "Liaison", &admin_email).unwrap();
    let now = f.server.app.now().timestamp();
    let challenge = asked.body["challenge"].as_str().unwrap();
    assert_eq!(api.post("/api/v1/auth/second-factor", &json!({"challenge": challenge, "code": key.code_at(now)})).await.status, StatusCode::OK);
    let mut admin_device = authenticator();
    let added = register(&api, &mut admin_device, "admin key").await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    let removed = api.post("/api/v1/me/second-factor/totp/remove", &json!({"code": key.code_at(now + 30)})).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "a passkey is left: {}", removed.text);
    let pid = added.body["passkey"]["id"].as_str().unwrap();
    let kept = api.send(reqwest::Method::DELETE, &format!("/api/v1/me/passkeys/{pid}"), None, &[]).await;
    assert_eq!(kept.status, StatusCode::FORBIDDEN, "{}", kept.text);

    // The partner's devices are lost: an administrator resets them.
    let partner_id = partner.get("/api/v1/me").await.body["user"]["id"].as_str().unwrap().to_string();
    let mut again = authenticator();
    assert_eq!(register(&partner, &mut again, "third").await.status, StatusCode::CREATED);
    let reset = api.post(&format!("/api/v1/users/{partner_id}/second-factor/reset"), &json!({})).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.text);
    assert_eq!(partner.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "its sessions ended");
    let fresh = f.server.anon();
    assert_eq!(login(&fresh, &f.emails["partner"]).await.status, StatusCode::OK, "no passkey left to ask for");
    assert_eq!(fresh.get("/api/v1/me/passkeys").await.body, json!([]));
    assert_eq!(fresh.get("/api/v1/me/second-factor").await.body["recovery_codes_left"], 0);
    let resets = audit(&f, "second_factor_reset").await;
    assert!(resets.iter().any(|c| c["after"]["passkeys"] == 1), "{resets:?}");
}

#[tokio::test]
async fn the_pages_offer_passkeys_and_refuse_what_no_authenticator_answered() {
    let f = fixture(Policy::default()).await;
    let email = f.emails["viewer"].clone();
    let b = f.server.browser_as(&email, PASSWORD).await;
    let page = b.get("/account").await;
    assert!(page.text.contains("data-passkey=\"create\"") && page.text.contains("src=\"/assets/passkey.js\""), "{}", page.text);
    // Without the script, the form sends no answer: refused with words, nothing registered.
    let refused = b.form("/account/passkeys", &[("name", "laptop"), ("credential", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("not accepted"), "{}", refused.text);
    let unnamed = b.form("/account/passkeys", &[("name", ""), ("credential", "{}")]).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.text.contains("1 to 100 characters"), "{}", unnamed.text);
    // The script's request for options answers JSON, and the answer registers through the form.
    let options = b.client.post(format!("{}/account/passkeys/options", b.base)).send().await.unwrap();
    assert_eq!(options.status(), StatusCode::OK);
    assert!(options.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let options: CreationChallengeResponse = options.json().await.unwrap();
    let mut device = authenticator();
    let credential = serde_json::to_string(&device.do_registration(origin(), options).unwrap()).unwrap();
    let codes = b.form("/account/passkeys", &[("name", "laptop"), ("credential", &credential)]).await;
    assert_eq!(codes.status, StatusCode::OK, "{}", codes.text);
    assert_eq!(codes.text.matches("<li><code>").count(), 10, "the recovery codes, once");
    assert!(b.get("/account").await.text.contains("<strong>laptop</strong>"));
    assert!(b.get("/assets/passkey.js").await.headers["content-type"].to_str().unwrap().starts_with("text/javascript"));

    // The sign-in's second step offers the passkey; its options need the waiting sign-in.
    let nb = f.server.browser();
    let none = nb.client.post(format!("{}/login/second-factor/passkey", nb.base)).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED, "no sign-in waiting");
    let asked = nb.form("/login", &[("email", &email), ("password", PASSWORD), ("next", "/")]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.text.contains("id=\"passkey-sign-in\"") && asked.text.contains("Recovery code"), "{}", asked.text);
    let bad = nb.form("/login/second-factor", &[("credential", "{not json"), ("next", "/")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("not accepted") && bad.text.contains("id=\"passkey-sign-in\""), "the step again: {}", bad.text);
    let options: RequestChallengeResponse = nb.client.post(format!("{}/login/second-factor/passkey", nb.base)).send().await.unwrap().json().await.unwrap();
    let proof = serde_json::to_string(&device.do_authentication(origin(), options).unwrap()).unwrap();
    let done = nb.form("/login/second-factor", &[("credential", &proof), ("next", "/")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(nb.get("/").await.status, StatusCode::OK);
    // Removing it from the account page (the last factor, not required): gone.
    let id = b.get("/api/v1/me/passkeys").await.body[0]["id"].as_str().unwrap().to_string();
    assert_eq!(b.form(&format!("/account/passkeys/{id}/remove"), &[]).await.location(), "/account");
    assert!(b.get("/account").await.text.contains("No passkey is registered"));
    assert_eq!(b.form("/account/passkeys/not-an-id/remove", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn passkeys_unusable_after_a_move_to_an_address_without_a_domain_still_ask_for_a_recovery_code() {
    let db = liaison_store::testing::TestDb::new().await;
    let url = db.url.clone();
    let first = Server::serve(app_on(db.open().await, liaison_app::AppConfig { public_url: ORIGIN.into(), ..test_config() }), db, WebConfig::default()).await;
    let f = Fixture::on(first).await;
    let email = f.emails["viewer"].clone();
    let viewer = f.as_("viewer").await;
    let done = register(&viewer, &mut authenticator(), "laptop").await;
    let code = done.body["recovery_codes"][0].as_str().unwrap().to_string();
    // The same database, now served at an IP address.
    let moved = liaison_store::Db::connect(&liaison_store::DbOptions::new(&url)).await.unwrap();
    let app = app_on(moved, test_config());
    let pending = liaison_app::auth::login(&app, &email, PASSWORD, None, "test", "t").await.unwrap();
    let liaison_app::auth::SignIn::SecondFactor(p) = pending else { panic!("the password alone must not sign in") };
    assert!(!p.passkey && !p.totp, "the passkey cannot answer here");
    let signed = liaison_app::auth::second_factor::complete(&app, &p.challenge, liaison_app::auth::Proof::Code(&code), None, "test", "t").await;
    assert!(signed.is_ok(), "a recovery code answers: {signed:?}");
}
