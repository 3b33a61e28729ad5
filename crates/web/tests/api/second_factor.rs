//! The second factor: TOTP keys set up from the account, asked at sign-in (window edges and
//! reuse with an injected clock), recovery codes, the lockout, the policy that makes staff and
//! cleared accounts set one up, an administrator's audited reset, and bad input.

use crate::support::*;
use liaison_domain::marking::Level;
use liaison_domain::ports::Clock;
use liaison_domain::second_factor::{Policy, TotpKey};
use liaison_web::WebConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

fn web() -> WebConfig {
    WebConfig { login_attempts_per_minute: 1000, ..WebConfig::default() }
}

/// A server whose clock stands at the start of a 30-second step.
async fn fixture(policy: Policy) -> (Fixture, Arc<TestClock>) {
    let clock = TestClock::new();
    clock.set_day("2026-12-01");
    let config = liaison_app::AppConfig { second_factor: policy, ..test_config() };
    let f = Fixture::on(Server::with_clock_config(clock.clone(), config, web()).await).await;
    (f, clock)
}

fn key(secret: &str, email: &str) -> TotpKey {
    TotpKey::from_base32(secret, "Liaison", email).expect("a key the server gave")
}

/// The code of `key` `offset` seconds from the clock's time.
fn code(key: &TotpKey, clock: &TestClock, offset: i64) -> String {
    key.code_at(clock.now().timestamp() + offset)
}

async fn login(api: &Api, email: &str) -> Answer {
    api.post("/api/v1/auth/login", &json!({"email": email, "password": PASSWORD})).await
}

async fn second(api: &Api, challenge: &str, code: &str) -> Answer {
    api.post("/api/v1/auth/second-factor", &json!({"challenge": challenge, "code": code})).await
}

/// Set up a key for a signed-in account through the API; returns it and the recovery codes.
async fn enrol(api: &Api, email: &str, clock: &TestClock) -> (TotpKey, Vec<String>) {
    let begun = api.post("/api/v1/me/second-factor/totp", &json!({})).await;
    assert_eq!(begun.status, StatusCode::CREATED, "{}", begun.text);
    let uri = begun.body["uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Liaison:"), "{uri}");
    assert!(uri.contains("issuer=Liaison"), "{uri}");
    let k = key(begun.body["secret"].as_str().unwrap(), email);
    let confirmed = api.post("/api/v1/me/second-factor/totp/confirm", &json!({"code": code(&k, clock, 0)})).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    let codes: Vec<String> = confirmed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    (k, codes)
}

async fn audit(f: &Fixture, action: &str) -> Vec<Value> {
    let so = f.server.anon();
    // The security officer is not asked for a second factor in these fixtures.
    assert_eq!(login(&so, &f.emails["security"]).await.status, StatusCode::OK);
    let r = so.get(&format!("/api/v1/audit?action={action}&limit=100")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_key_set_up_from_the_account_is_asked_for_at_sign_in_within_its_window_and_once_per_code() {
    let (f, clock) = fixture(Policy::default()).await;
    let email = f.emails["viewer"].clone();
    let viewer = f.as_("viewer").await;
    let status = viewer.get("/api/v1/me/second-factor").await;
    assert_eq!(status.body, json!({"totp": false, "passkeys": 0, "passkeys_available": false, "recovery_codes_left": 0, "required": false}));
    // A key half set up does not count, and a wrong first code does not confirm it.
    let begun = viewer.post("/api/v1/me/second-factor/totp", &json!({})).await;
    let k = key(begun.body["secret"].as_str().unwrap(), &email);
    let wrong = viewer.post("/api/v1/me/second-factor/totp/confirm", &json!({"code": code(&k, &clock, 120)})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.has_error("code", "wrong"), "{}", wrong.text);
    assert_eq!(login(&f.server.anon(), &email).await.status, StatusCode::OK, "a key not confirmed is not asked for");
    let (k, recovery) = enrol(&viewer, &email, &clock).await;
    assert_eq!(recovery.len(), 10);
    assert!(recovery.iter().all(|c| c.len() == 19 && c.matches('-').count() == 3), "{recovery:?}");
    assert_eq!(viewer.post("/api/v1/me/second-factor/totp", &json!({})).await.status, StatusCode::CONFLICT, "one key at a time");
    assert_eq!(
        viewer.get("/api/v1/me/second-factor").await.body,
        json!({"totp": true, "passkeys": 0, "passkeys_available": false, "recovery_codes_left": 10, "required": false})
    );

    // The password alone no longer signs in.
    clock.advance(90);
    let api = f.server.anon();
    let asked = login(&api, &email).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.text);
    assert!(asked.body["enrol"].is_null());
    assert!(asked.header("set-cookie").is_empty(), "no session before the second factor");
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let challenge = asked.body["challenge"].as_str().unwrap().to_string();
    // Two steps away either side is outside the window; one step back is inside it.
    for offset in [-60, 60, 3600] {
        let r = second(&api, &challenge, &code(&k, &clock, offset)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "offset {offset}: {}", r.text);
        assert!(r.has_error("code", "wrong"));
    }
    let previous_step = code(&k, &clock, -30);
    let done = second(&api, &challenge, &previous_step).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.body["recovery_codes"].is_null());
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(second(&api, &challenge, &code(&k, &clock, 0)).await.status, StatusCode::UNAUTHORIZED, "a challenge finishes one sign-in");

    // The same code again, on another sign-in, is refused: each code works once. (The three
    // wrong codes above count towards the lockout; a sign-in resets them.)
    let other = f.server.anon();
    let c2 = login(&other, &email).await.body["challenge"].as_str().unwrap().to_string();
    let reused = second(&other, &c2, &previous_step).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.has_error("code", "reused"), "{}", reused.text);
    assert_eq!(second(&other, &c2, &code(&k, &clock, 0)).await.status, StatusCode::OK, "the next step's code works");

    // A recovery code signs in once, in any case and spacing.
    let third = f.server.anon();
    let c3 = login(&third, &email).await.body["challenge"].as_str().unwrap().to_string();
    let typed = recovery[0].to_uppercase().replace('-', " ");
    assert_eq!(second(&third, &c3, &typed).await.status, StatusCode::OK);
    let fourth = f.server.anon();
    let c4 = login(&fourth, &email).await.body["challenge"].as_str().unwrap().to_string();
    assert_eq!(second(&fourth, &c4, &recovery[0]).await.status, StatusCode::UNPROCESSABLE_ENTITY, "a recovery code is used up");
    assert_eq!(fourth.get("/api/v1/me/second-factor").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(third.get("/api/v1/me/second-factor").await.body["recovery_codes_left"], 9);

    // A challenge lives five minutes.
    let late = f.server.anon();
    let c5 = login(&late, &email).await.body["challenge"].as_str().unwrap().to_string();
    clock.advance(301);
    assert_eq!(second(&late, &c5, &code(&k, &clock, 0)).await.status, StatusCode::UNAUTHORIZED);

    let failed = audit(&f, "login_failed").await;
    let reasons: Vec<&str> = failed.iter().map(|r| r["after"]["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"wrong_second_factor") && reasons.contains(&"reused_second_factor"), "{reasons:?}");
    let logins = audit(&f, "login").await;
    let factors: Vec<&str> = logins.iter().filter_map(|r| r["after"]["second_factor"].as_str()).collect();
    assert!(factors.contains(&"totp") && factors.contains(&"recovery_code"), "{factors:?}");
    assert!(!failed.iter().chain(&logins).any(|r| r.to_string().contains(&previous_step)), "no codes in the trail");
    assert_eq!(audit(&f, "second_factor_set").await.len(), 1);
}

#[tokio::test]
async fn wrong_codes_lock_the_account_like_wrong_passwords() {
    let (f, clock) = fixture(Policy::default()).await;
    let email = f.emails["partner"].clone();
    let (k, _) = enrol(&f.as_("partner").await, &email, &clock).await;
    clock.advance(60);
    let api = f.server.anon();
    let challenge = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
    for _ in 0..4 {
        assert_eq!(second(&api, &challenge, "000000").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = second(&api, &challenge, "000000").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "the fifth failure locks: {}", locked.text);
    assert_eq!(locked.header("retry-after"), "60");
    assert_eq!(second(&api, &challenge, &code(&k, &clock, 0)).await.status, StatusCode::UNAUTHORIZED, "the locked sign-in has ended");
    assert_eq!(login(&api, &email).await.status, StatusCode::TOO_MANY_REQUESTS, "and the password waits too");
    clock.advance(61);
    let c = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
    assert_eq!(second(&api, &c, &code(&k, &clock, 0)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_policy_makes_staff_and_accounts_cleared_above_a_level_set_up_a_key_at_sign_in() {
    let policy = Policy { above: Some(Level::NatoConfidential), staff: true };
    let (f, clock) = fixture(policy).await;
    // Cleared to NATO CONFIDENTIAL (not above it), no global role: signs in with the password.
    assert_eq!(login(&f.server.anon(), &f.emails["partner"]).await.status, StatusCode::OK);
    for who in ["admin", "viewer"] {
        let email = f.emails[who].clone();
        let api = f.server.anon();
        let asked = login(&api, &email).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{who}: {}", asked.text);
        let enrol = &asked.body["enrol"];
        let k = key(enrol["secret"].as_str().unwrap(), &email);
        assert!(enrol["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
        let challenge = asked.body["challenge"].as_str().unwrap();
        assert_eq!(second(&api, challenge, "123456").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = second(&api, challenge, &code(&k, &clock, 0)).await;
        assert_eq!(done.status, StatusCode::OK, "{who}: {}", done.text);
        assert_eq!(done.body["recovery_codes"].as_array().unwrap().len(), 10, "shown once, at set-up");
        let status = api.get("/api/v1/me/second-factor").await;
        assert_eq!(status.body, json!({"totp": true, "passkeys": 0, "passkeys_available": false, "recovery_codes_left": 10, "required": true}));
        let removed = api.post("/api/v1/me/second-factor/totp/remove", &json!({"code": code(&k, &clock, 30)})).await;
        assert_eq!(removed.status, StatusCode::FORBIDDEN, "a required factor stays");
        assert!(removed.body["detail"].as_str().unwrap().contains("requires a second factor"), "{}", removed.text);
        // The next sign-in asks for the code of the key just set up, not for a new one.
        clock.advance(60);
        let again = login(&f.server.anon(), &email).await;
        assert_eq!(again.status, StatusCode::ACCEPTED);
        assert!(again.body["enrol"].is_null());
    }
    assert_eq!(login(&f.server.anon(), &f.emails["security"]).await.status, StatusCode::ACCEPTED, "security officers are staff too");
}

#[tokio::test]
async fn an_account_removes_or_renews_with_a_current_code_and_an_administrator_resets_a_lost_one() {
    let (f, clock) = fixture(Policy::default()).await;
    let email = f.emails["viewer"].clone();
    let viewer = f.as_("viewer").await;
    let (k, old) = enrol(&viewer, &email, &clock).await;
    clock.advance(30);
    assert_eq!(viewer.post("/api/v1/me/second-factor/recovery-codes", &json!({"code": "999999"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renewed = viewer.post("/api/v1/me/second-factor/recovery-codes", &json!({"code": code(&k, &clock, 0)})).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    let new: Vec<String> = renewed.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert!(new.iter().all(|c| !old.contains(c)));
    let api = f.server.anon();
    let c = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
    assert_eq!(second(&api, &c, &old[1]).await.status, StatusCode::UNPROCESSABLE_ENTITY, "old recovery codes ended");
    assert_eq!(second(&api, &c, &new[1]).await.status, StatusCode::OK);

    // Resetting: administrators only, never their own, and an unknown account is not found.
    let viewer_id = liaison_app::users::find_by_email(&f.server.app, &liaison_app::Ctx::system("t"), &email).await.unwrap().id;
    let reset = format!("/api/v1/users/{viewer_id}/second-factor/reset");
    assert_eq!(f.as_("security").await.post(&reset, &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.post(&reset, &json!({})).await.status, StatusCode::FORBIDDEN);
    let admin = f.as_("admin").await;
    let admin_id = liaison_app::users::find_by_email(&f.server.app, &liaison_app::Ctx::system("t"), &f.emails["admin"]).await.unwrap().id;
    assert_eq!(admin.post(&format!("/api/v1/users/{admin_id}/second-factor/reset"), &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.post(&format!("/api/v1/users/{}/second-factor/reset", uuid::Uuid::new_v4()), &json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.post("/api/v1/users/not-an-id/second-factor/reset", &json!({})).await.status, StatusCode::NOT_FOUND);
    // A sign-in waiting for its code when the reset comes ends with it.
    let waiting = f.server.anon();
    let cw = login(&waiting, &email).await.body["challenge"].as_str().unwrap().to_string();
    assert_eq!(admin.post(&reset, &json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(viewer.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "the account's sessions ended");
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(second(&waiting, &cw, &code(&k, &clock, 60)).await.status, StatusCode::UNAUTHORIZED);
    let fresh = f.server.anon();
    assert_eq!(login(&fresh, &email).await.status, StatusCode::OK, "no key, no policy: the password signs in");
    let resets = audit(&f, "second_factor_reset").await;
    assert_eq!(resets.len(), 1);
    assert_eq!(resets[0]["actor"], admin_id.to_string());
    assert_eq!(resets[0]["entity_id"], viewer_id.to_string());
    assert_eq!(resets[0]["after"]["had_key"], true);

    // Removing one's own key (where the policy allows) needs a current code.
    let (k2, _) = enrol(&fresh, &email, &clock).await;
    clock.advance(30);
    assert_eq!(fresh.post("/api/v1/me/second-factor/totp/remove", &json!({"code": "000000"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fresh.post("/api/v1/me/second-factor/totp/remove", &json!({"code": code(&k2, &clock, 0)})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(fresh.get("/api/v1/me/second-factor").await.body["totp"], false);
    assert_eq!(fresh.post("/api/v1/me/second-factor/totp/remove", &json!({"code": code(&k2, &clock, 0)})).await.status, StatusCode::CONFLICT);
    assert_eq!(audit(&f, "second_factor_removed").await.len(), 1);
}

#[tokio::test]
async fn bad_codes_and_challenges_are_refused_clearly_never_with_a_5xx() {
    let (f, clock) = fixture(Policy::default()).await;
    let email = f.emails["ally"].clone();
    let (k, _) = enrol(&f.as_("ally").await, &email, &clock).await;
    let api = f.server.anon();
    let long = "7".repeat(10_000);
    let mut challenge = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
    for (i, bad) in ["", "12345", "1234567", "abcdef", "１２３４５６", "12 34 56 78", "'; drop table user_totp; --", long.as_str(), "\u{0}"].iter().enumerate()
    {
        if i % 4 == 3 {
            // Stay below the lockout: a right code (then a new sign-in) resets the failures.
            clock.advance(30);
            assert_eq!(second(&api, &challenge, &code(&k, &clock, 0)).await.status, StatusCode::OK);
            challenge = login(&api, &email).await.body["challenge"].as_str().unwrap().to_string();
        }
        let r = second(&api, &challenge, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:.20?}: {}", r.text);
        assert!(r.has_error("code", "wrong"), "{}", r.text);
    }
    for bad_challenge in ["", "x", long.as_str(), "%%%"] {
        assert_eq!(second(&api, bad_challenge, &code(&k, &clock, 0)).await.status, StatusCode::UNAUTHORIZED);
    }
    for body in [json!({}), json!({"challenge": challenge}), json!({"challenge": 1, "code": 2}), json!({"challenge": challenge, "code": "1", "extra": true})] {
        let r = api.post("/api/v1/auth/second-factor", &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
    }
    let signed_in = f.server.anon();
    let c = login(&signed_in, &email).await.body["challenge"].as_str().unwrap().to_string();
    clock.advance(30);
    assert_eq!(second(&signed_in, &c, &code(&k, &clock, 0)).await.status, StatusCode::OK);
    for path in ["/api/v1/me/second-factor/totp/confirm", "/api/v1/me/second-factor/totp/remove", "/api/v1/me/second-factor/recovery-codes"] {
        assert_eq!(signed_in.post(path, &json!({"code": long})).await.status.as_u16() / 100, 4, "{path}");
        assert_eq!(f.server.anon().post(path, &json!({"code": "123456"})).await.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(f.server.anon().get("/api/v1/me/second-factor").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_sign_in_form_asks_for_the_code_and_the_account_page_sets_a_key_up() {
    let policy = Policy { above: None, staff: true };
    let (f, clock) = fixture(policy).await;
    // An administrator sets up a key at the sign-in form, with a QR code to scan.
    let email = f.emails["admin"].clone();
    let b = f.server.browser();
    let asked = b.form("/login", &[("email", &email), ("password", PASSWORD), ("next", "/admin/users")]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.text);
    assert!(asked.text.contains("action=\"/login/second-factor\""));
    assert!(asked.text.contains("src=\"data:image/svg+xml;base64,"), "a QR code");
    let cookie = asked.header("set-cookie");
    assert!(
        cookie.starts_with("liaison_challenge=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/login"),
        "{cookie}"
    );
    assert!(!cookie.contains("liaison_session"));
    let shown = asked.text.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().replace(' ', "");
    let k = key(&shown, &email);
    let wrong = b.form("/login/second-factor", &[("code", "000000"), ("next", "/admin/users")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("That code is not right"), "{}", wrong.text);
    assert!(wrong.text.contains("data:image/svg+xml"), "the key is shown again");
    let done = b.form("/login/second-factor", &[("code", &code(&k, &clock, 0)), ("next", "/admin/users")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.text.matches("<li><code>").count(), 10, "the recovery codes, once");
    assert!(done.text.contains("href=\"/admin/users\""));
    assert_eq!(b.get("/admin/users").await.status, StatusCode::OK, "signed in");

    // The viewer (not asked by the policy) sets a key up from the account page.
    let vb = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    let page = vb.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("No second factor is set up"), "{}", page.text);
    assert_eq!(vb.form("/account/totp", &[]).await.location(), "/account");
    let pending = vb.get("/account").await;
    assert!(pending.text.contains("data:image/svg+xml;base64,"));
    let vk = key(&pending.text.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().replace(' ', ""), &f.emails["viewer"]);
    let bad = vb.form("/account/totp/confirm", &[("code", "12")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes = vb.form("/account/totp/confirm", &[("code", &code(&vk, &clock, 0))]).await;
    assert_eq!(codes.status, StatusCode::OK, "{}", codes.text);
    assert_eq!(codes.text.matches("<li><code>").count(), 10);
    assert!(vb.get("/account").await.text.contains("An authenticator app is set up. 10 recovery codes left."));

    // Its next sign-in asks for a code; a sign-in that took too long starts again.
    clock.advance(60);
    let again = f.server.browser();
    let r = again.form("/login", &[("email", &f.emails["viewer"]), ("password", PASSWORD), ("next", "/")]).await;
    assert!(r.text.contains("recovery codes"), "the hint about recovery codes");
    clock.advance(301);
    let expired = again.form("/login/second-factor", &[("code", &code(&vk, &clock, 0)), ("next", "/")]).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.text.contains("Please sign in again"));
    assert_eq!(f.server.browser().form("/login/second-factor", &[("code", "123456")]).await.status, StatusCode::UNAUTHORIZED, "no challenge cookie");

    // The administrator sees the viewer's key and resets it.
    let viewer_id = liaison_app::users::find_by_email(&f.server.app, &liaison_app::Ctx::system("t"), &f.emails["viewer"]).await.unwrap().id;
    let form = b.get(&format!("/admin/users/{viewer_id}")).await;
    assert!(form.text.contains("An authenticator app is set up"), "{}", form.text);
    let reset = b.form(&format!("/admin/users/{viewer_id}/second-factor/reset"), &[]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert!(b.get(&format!("/admin/users/{viewer_id}")).await.text.contains("No second factor is set up"));
    assert_eq!(vb.get("/account").await.status, StatusCode::SEE_OTHER, "the viewer's session ended");
}
