//! Mail against a real SMTP server started by the tests (`tests/smtp_server.py`: aiosmtpd with a
//! private CA made by trustme, from PyPI), run when `LIAISON_SMTP_TESTS=1` (CI sets it; asked
//! for and missing, they fail): STARTTLS and implicit TLS with a login, the private CA, a wrong
//! password, an untrusted certificate, the server down and back (the message arrives once), a
//! Cyrillic subject, both parts of each message, the daily digest, and the plain relay.

use crate::implementation::{implement, item};
use crate::support::*;
use base64::Engine;
use liaison_adapters::{SmtpMailer, SmtpSecurity, SmtpSettings};
use liaison_app::App;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

fn wanted() -> bool {
    std::env::var("LIAISON_SMTP_TESTS").is_ok_and(|v| v == "1")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py")
}

const USER: &str = "liaison";
const PASSWORD_SMTP: &str = "mail pass 7";

/// A folder with the private CA and the server's certificate.
fn certs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new("python3").arg(script()).arg("certs").arg(dir.path()).output().expect("LIAISON_SMTP_TESTS=1 but python3 does not run");
    assert!(
        o.status.success(),
        "LIAISON_SMTP_TESTS=1 but the SMTP test server cannot make its certificates (pip install aiosmtpd trustme): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The SMTP server, stopped when dropped.
struct Smtp(Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &Path, port: u16, mode: &str) -> Smtp {
    use std::io::BufRead;
    let mut child = Command::new("python3")
        .arg(script())
        .args(["serve", dir.to_str().unwrap(), &port.to_string(), mode, USER, PASSWORD_SMTP])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the SMTP test server did not start (pip install aiosmtpd trustme)");
    Smtp(child)
}

/// The messages the server received: (envelope, message).
fn received(dir: &Path) -> Vec<(serde_json::Value, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir.join("mail")) else { return out };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect();
    paths.sort();
    for p in paths {
        let env = serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap()).unwrap();
        out.push((env, std::fs::read_to_string(&p).unwrap()));
    }
    out
}

/// The decoded `Subject` of a message (RFC 2047 encoded words, folded or not).
fn subject(msg: &str) -> String {
    let mut lines = msg.split("\r\n").skip_while(|l| !l.starts_with("Subject:"));
    let mut raw = lines.next().unwrap_or("").trim_start_matches("Subject:").to_string();
    for l in lines.take_while(|l| l.starts_with(' ') || l.starts_with('\t')) {
        raw.push_str(l);
    }
    // Adjacent encoded words join without a space (RFC 2047, 6.2), possibly mid-character.
    let mut bytes: Vec<u8> = Vec::new();
    let mut last_encoded = false;
    for word in raw.split_whitespace() {
        let b64 = word.strip_prefix("=?utf-8?b?").or_else(|| word.strip_prefix("=?UTF-8?B?")).and_then(|w| w.strip_suffix("?="));
        match b64 {
            Some(b64) => {
                if !bytes.is_empty() && !last_encoded {
                    bytes.push(b' ');
                }
                bytes.extend(base64::engine::general_purpose::STANDARD.decode(b64).unwrap());
                last_encoded = true;
            }
            None => {
                if !bytes.is_empty() {
                    bytes.push(b' ');
                }
                bytes.extend(word.as_bytes());
                last_encoded = false;
            }
        }
    }
    String::from_utf8(bytes).unwrap()
}

fn email() -> liaison_domain::ports::Email {
    liaison_domain::ports::Email {
        from: "liaison@mlo.example".into(),
        to: "x@test.example".into(),
        subject: "s".into(),
        body: "b".into(),
        html: "<p>b</p>".into(),
        date: chrono::Utc::now(),
    }
}

fn settings(port: u16, security: SmtpSecurity, password: &str, ca: Option<&Path>) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security,
        login: (security != SmtpSecurity::None).then(|| (USER.to_string(), password.to_string())),
        ca_pem: ca.map(|c| std::fs::read(c.join("ca.pem")).unwrap()),
        timeout: std::time::Duration::from_secs(10),
    }
}

/// A server whose notifications are emailed through `mail`, a plan in implementation with two
/// items, and the partner's editor reading Liaison in Serbian.
async fn fixture(mail: SmtpSettings) -> (Fixture, Arc<TestClock>, App) {
    let clock = TestClock::new();
    clock.set_day("2015-04-01");
    let db = liaison_store::testing::TestDb::new().await;
    let config = liaison_app::AppConfig { email: true, mail_from: "liaison@mlo.example".into(), public_url: "https://liaison.example".into(), ..test_config() };
    let mailer = SmtpMailer::new(mail).expect("mail settings");
    let ports = liaison_app::Ports { clock: clock.clone(), mailer: Some(Arc::new(mailer)), ..ports(&config) };
    let app = App::with_ports(db.open().await, config, ports);
    let f = Fixture::on(Server::serve(app.clone(), db, liaison_web::WebConfig::default()).await).await;
    implement(&app, f.plan.id).await;
    item(&app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    item(&app, f.plan.id, "2", Some(f.orgs["MFA"]), None, None).await;
    let partner = f.token("partner").await;
    assert_eq!(partner.send(Method::PUT, "/api/v1/me/language", Some(&json!({"language": "sr-Cyrl"})), &[]).await.status, StatusCode::NO_CONTENT);
    (f, clock, app)
}

async fn states(api: &Api) -> Vec<String> {
    api.get("/api/v1/me/notifications").await.body["items"].as_array().unwrap().iter().map(|n| n["email_state"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn starttls_with_a_login_delivers_both_parts_in_the_recipients_language_once() {
    if !wanted() {
        return;
    }
    let dir = certs();
    let port = free_port();
    let _server = start(dir.path(), port, "starttls");
    let (f, clock, app) = fixture(settings(port, SmtpSecurity::StartTls, PASSWORD_SMTP, Some(dir.path()))).await;
    clock.set_day("2015-04-10");
    assert_eq!(liaison_app::notifications::remind(&app).await.unwrap(), 2, "the reporter and the partner's editor");
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (2, 0));
    let got = received(dir.path());
    assert_eq!(got.len(), 2);
    for (env, msg) in &got {
        assert_eq!(env["tls"], true, "STARTTLS before the message");
        assert_eq!(env["authenticated"], true);
        assert_eq!(env["from"], "liaison@mlo.example");
        assert!(msg.contains("multipart/alternative") && msg.contains("text/plain") && msg.contains("text/html"), "{msg}");
        assert!(msg.contains("From: Liaison <liaison@mlo.example>"), "{msg}");
    }
    let subjects: Vec<String> = got.iter().map(|(_, m)| subject(m)).collect();
    assert!(subjects.iter().any(|s| s == "IPAP-T: reports for 2015-Q1 are due on 2015-04-15 (1 outstanding)"), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("доспевају 2015-04-15")), "the partner's editor's, in Cyrillic: {subjects:?}");
    let english = &got.iter().find(|(env, _)| env["to"][0] == f.emails["reporter"]).unwrap().1;
    assert!(english.contains("https://liaison.example/plans/"), "the link is absolute: {english}");
    // Sent once: a second round finds nothing to send, and the inbox says so.
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 0));
    assert_eq!(received(dir.path()).len(), 2);
    assert_eq!(states(&f.token("reporter").await).await, vec!["sent"]);
    assert_eq!(liaison_app::notifications::outbox_depth(&app).await.unwrap(), 0);
}

#[tokio::test]
async fn a_wrong_password_or_an_untrusted_certificate_sends_nothing_and_keeps_the_message() {
    if !wanted() {
        return;
    }
    let dir = certs();
    let port = free_port();
    let _server = start(dir.path(), port, "starttls");
    let (f, clock, app) = fixture(settings(port, SmtpSecurity::StartTls, "not the password", Some(dir.path()))).await;
    clock.set_day("2015-04-10");
    liaison_app::notifications::remind(&app).await.unwrap();
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 2));
    assert!(received(dir.path()).is_empty());
    assert_eq!(states(&f.token("reporter").await).await, vec!["failed"]);
    assert_eq!(liaison_app::notifications::outbox_depth(&app).await.unwrap(), 2, "kept for another try");
    // What the outbox keeps as the reason: the server refused the login (never the password).
    let wrong = SmtpMailer::new(settings(port, SmtpSecurity::StartTls, "not the password", Some(dir.path()))).unwrap();
    let error = liaison_domain::ports::Mailer::send(&wrong, &email()).await.unwrap_err();
    assert!(error.contains("refused the login"), "{error}");
    assert!(!error.contains("not the password"), "{error}");

    // Without the private CA, the server's certificate is not trusted: nothing is sent.
    let untrusted = SmtpMailer::new(settings(port, SmtpSecurity::StartTls, PASSWORD_SMTP, None)).unwrap();
    let refused = liaison_domain::ports::Mailer::send(&untrusted, &email()).await.unwrap_err();
    assert!(refused.contains("certificate") || refused.contains("TLS"), "{refused}");
    assert!(received(dir.path()).is_empty());
}

#[tokio::test]
async fn with_the_server_down_the_outbox_keeps_the_message_and_sends_it_once_when_it_is_back() {
    if !wanted() {
        return;
    }
    let dir = certs();
    let port = free_port();
    let (f, clock, app) = fixture(settings(port, SmtpSecurity::Tls, PASSWORD_SMTP, Some(dir.path()))).await;
    clock.set_day("2015-04-10");
    liaison_app::notifications::remind(&app).await.unwrap();
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 2), "nobody listens");
    let server = start(dir.path(), port, "tls");
    clock.advance(30);
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 0), "not before the backoff (a minute after the first failure)");
    clock.advance(31);
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (2, 0));
    drop(server);
    let got = received(dir.path());
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(env, _)| env["tls"] == true && env["authenticated"] == true));
    clock.advance(3600);
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 0), "once");
    assert_eq!(received(dir.path()).len(), 2);
    assert_eq!(states(&f.token("reporter").await).await, vec!["sent"]);
}

#[tokio::test]
async fn the_daily_digest_sends_one_message_a_day_listing_the_notifications() {
    if !wanted() {
        return;
    }
    let dir = certs();
    let port = free_port();
    let _server = start(dir.path(), port, "tls");
    let (f, clock, app) = fixture(settings(port, SmtpSecurity::Tls, PASSWORD_SMTP, Some(dir.path()))).await;
    let partner = f.token("partner").await;
    assert_eq!(partner.get("/api/v1/me/mail").await.body, json!({"digest": false}));
    assert_eq!(partner.send(Method::PUT, "/api/v1/me/mail", Some(&json!({"digest": true})), &[]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.send(Method::PUT, "/api/v1/me/mail", Some(&json!({"digest": "yes"})), &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(partner.get("/api/v1/me/mail").await.body, json!({"digest": true}));
    clock.set_day("2015-04-10");
    liaison_app::notifications::remind(&app).await.unwrap();
    clock.set_day("2015-04-20");
    liaison_app::notifications::remind(&app).await.unwrap();
    // The reporter's two reminders (due, then late) go one by one; the partner's two in one digest.
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (4, 0));
    let of = |who: &str| -> Vec<String> {
        let email = f.emails[who].clone();
        received(dir.path()).into_iter().filter(|(env, _)| env["to"][0] == email).map(|(_, m)| m).collect()
    };
    assert_eq!(of("reporter").len(), 2);
    let digests = of("partner");
    assert_eq!(digests.len(), 1);
    assert_eq!(subject(&digests[0]), "Liaison: 2 обавештења данас", "in the partner's language");
    assert!(digests[0].contains("multipart/alternative"));
    // A notification an hour later waits for the next digest, a day after this one.
    let partner_id = liaison_app::users::find_by_email(&app, &liaison_app::Ctx::system("t"), &f.emails["partner"]).await.unwrap().id;
    let n = liaison_domain::notification::Notification {
        id: liaison_domain::NotificationId(uuid::Uuid::now_v7()),
        user: partner_id,
        plan: Some(f.plan.id),
        marking: f.plan.marking.clone(),
        kind: "update_reviewed".into(),
        subject: "IPAP-T 1: извештај враћен".into(),
        body: "Враћен.".into(),
        link: format!("/plans/{}", f.plan.id),
        email_state: "pending".into(),
        dedup_key: "test:later".into(),
        email_attempts: 0,
        created_at: app.now(),
        read_at: None,
    };
    let tx = app.db().begin().await.unwrap();
    liaison_store::notifications::add(&tx, &n).await.unwrap();
    tx.commit(&liaison_app::Ctx::system("test").provenance(app.now())).await.unwrap();
    clock.advance(3600);
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (0, 0), "the digest waits");
    clock.advance(23 * 3600);
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (1, 0));
    let digests = of("partner");
    assert_eq!(digests.len(), 2);
    assert_eq!(subject(&digests[1]), "IPAP-T 1: извештај враћен", "a digest of one is that notification's email");
    // Back to one email each.
    assert_eq!(partner.send(Method::PUT, "/api/v1/me/mail", Some(&json!({"digest": false})), &[]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.get("/api/v1/me/mail").await.body, json!({"digest": false}));
}

#[tokio::test]
async fn a_plain_relay_inside_the_network_needs_no_tls() {
    if !wanted() {
        return;
    }
    let dir = certs();
    let port = free_port();
    let _server = start(dir.path(), port, "none");
    let (f, clock, app) = fixture(settings(port, SmtpSecurity::None, "", None)).await;
    clock.set_day("2015-04-10");
    liaison_app::notifications::remind(&app).await.unwrap();
    assert_eq!(liaison_app::notifications::send_pending(&app).await.unwrap(), (2, 0));
    let got = received(dir.path());
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(env, _)| env["tls"] == false));
    assert!(got.iter().any(|(env, _)| env["to"][0] == f.emails["reporter"]));
}
