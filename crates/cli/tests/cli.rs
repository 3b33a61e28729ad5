#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly on what it did not expect
//! The `liaison` binary: commands, configuration, and several servers on one database.

use liaison_store::testing::TestDb;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_liaison"));
    c.env_remove("LIAISON_DATABASE").env_remove("LIAISON_LISTEN").env("RUST_LOG", "warn");
    c
}

fn run(args: &[&str], db: &str, stdin: Option<&str>) -> Output {
    let mut c = bin();
    c.arg("--database").arg(db).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn liaison");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("liaison finished")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn help_explains_every_command() {
    let o = bin().arg("--help").output().unwrap();
    assert!(o.status.success());
    let help = out(&o);
    for cmd in ["serve", "migrate", "demo", "user", "org", "role", "token", "audit", "iati", "exchange"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(cmd)), "{cmd} missing:\n{help}");
    }
    for flag in ["--database", "--listen", "--config"] {
        assert!(help.contains(flag), "{flag}");
    }
    let o = bin().args(["user", "add", "--help"]).output().unwrap();
    assert!(out(&o).contains("standard input"));
    let o = bin().arg("frobnicate").output().unwrap();
    assert!(!o.status.success());
}

#[tokio::test]
async fn migrate_applies_once_and_a_newer_database_is_refused() {
    let t = TestDb::new().await;
    let o = run(&["migrate"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let latest = liaison_store::migrate::latest();
    assert!(out(&o).contains(&format!("from schema version 0 to {latest}")), "{}", out(&o));
    let o = run(&["migrate"], &t.url, None);
    assert!(out(&o).contains("up to date"));
    let db = liaison_store::Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    liaison_store::migrate::pretend_newer(&db).await.unwrap();
    for cmd in [&["migrate"][..], &["serve", "--listen", "127.0.0.1:0"][..], &["user", "list"][..]] {
        let o = run(cmd, &t.url, None);
        assert!(!o.status.success(), "{cmd:?} must refuse");
        assert!(err(&o).contains("newer"), "{cmd:?}: {}", err(&o));
    }
}

#[tokio::test]
async fn users_and_tokens_from_the_command_line() {
    let t = TestDb::new().await;
    assert!(run(&["demo", "--no-serve"], &t.url, None).status.success());
    let o = run(
        &["user", "add", "--email", "desk@test.example", "--name", "Desk officer", "--organisation", "MLO Belgrade", "--clearance", "nato_secret", "--admin"],
        &t.url,
        Some("plum orbit kettle seven\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = run(&["user", "add", "--email", "x@test.example", "--name", "X", "--organisation", "MLO Belgrade"], &t.url, Some("password1234\n"));
    assert!(!o.status.success());
    assert!(err(&o).contains("password: is too easy to guess"), "{}", err(&o));
    let o = run(&["user", "add", "--email", "x@test.example", "--name", "X", "--organisation", "Nowhere"], &t.url, Some("plum orbit kettle seven\n"));
    assert!(err(&o).contains("no organisation"), "{}", err(&o));
    let o = run(
        &["user", "add", "--email", "x@test.example", "--name", "X", "--organisation", "MLO Belgrade", "--clearance", "top_secret"],
        &t.url,
        Some("plum orbit kettle seven\n"),
    );
    assert!(err(&o).contains("unknown clearance"), "{}", err(&o));
    let list = out(&run(&["user", "list"], &t.url, None));
    assert!(list.contains("desk@test.example") && list.contains("admin") && list.contains("coordinator@demo.test"), "{list}");
    let o = run(&["token", "issue", "--email", "desk@test.example"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let token = out(&o);
    assert_eq!(token.lines().count(), 1, "only the token: {token:?}");
    assert!(token.starts_with("lsn_"));
    assert!(!run(&["token", "issue", "--email", "nobody@test.example"], &t.url, None).status.success());
    let o = run(&["user", "passwd", "--email", "desk@test.example"], &t.url, Some("an even better phrase\n"));
    assert!(o.status.success(), "{}", err(&o));
    // The token still works on a server; the new password signs in, the old does not.
    let (mut child, base) = serve(&t.url);
    let c = reqwest::Client::new();
    let me = c.get(format!("{base}/api/v1/me")).bearer_auth(token.trim()).send().await.unwrap();
    assert_eq!(me.status(), 200);
    for (pw, want) in [("plum orbit kettle seven", 401), ("an even better phrase", 200)] {
        let r = c.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "desk@test.example", "password": pw})).send().await.unwrap();
        assert_eq!(r.status(), want, "{pw}");
    }
    // A second factor set up over the API is asked for; the operator's reset removes it.
    let begun: serde_json::Value = c.post(format!("{base}/api/v1/me/second-factor/totp")).bearer_auth(token.trim()).send().await.unwrap().json().await.unwrap();
    let key = liaison_domain::second_factor::TotpKey::from_base32(begun["secret"].as_str().unwrap(), "Liaison", "desk@test.example").unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = key.code_at(i64::try_from(now).unwrap());
    let r = c.post(format!("{base}/api/v1/me/second-factor/totp/confirm")).bearer_auth(token.trim()).json(&json!({"code": code})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let sign_in = || c.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "desk@test.example", "password": "an even better phrase"})).send();
    assert_eq!(sign_in().await.unwrap().status(), 202, "the code is asked for");
    let o = run(&["user", "reset-second-factor", "--email", "desk@test.example"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("its key, passkeys and recovery codes are removed"), "{}", out(&o));
    assert_eq!(sign_in().await.unwrap().status(), 200, "the password alone signs in again");
    let o = run(&["user", "reset-second-factor", "--email", "nobody@test.example"], &t.url, None);
    assert!(!o.status.success());
    assert!(err(&o).contains("no account"), "{}", err(&o));
    child.kill().ok();
    child.wait().ok();
}

#[tokio::test]
async fn audit_verify_finds_tampering() {
    let t = TestDb::new().await;
    assert!(run(&["demo", "--no-serve"], &t.url, None).status.success());
    let o = run(&["audit", "verify"], &t.url, None);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("intact"));
    let db = liaison_store::Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    liaison_store::testing::execute_raw(&db, "UPDATE change_log SET action = 'forged' WHERE seq = 42").await.unwrap();
    let o = run(&["audit", "verify"], &t.url, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("change #42 was altered"), "{}", out(&o));
    liaison_store::testing::execute_raw(&db, "UPDATE change_log SET action = (SELECT action FROM change_log WHERE seq = 41) WHERE seq = 42").await.ok();
    liaison_store::testing::execute_raw(&db, "DELETE FROM change_log WHERE seq = 100").await.unwrap();
    let o = run(&["audit", "verify"], &t.url, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("BROKEN"), "{}", out(&o));
}

#[tokio::test]
async fn the_demo_loads_twice_without_change() {
    let t = TestDb::new().await;
    let o = run(&["demo", "--no-serve"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("Loaded the demo"));
    let db = liaison_store::Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    let head = liaison_store::changes::head(&db.unfiltered()).await.unwrap();
    let o = run(&["demo", "--no-serve"], &t.url, None);
    assert!(err(&o).contains("already loaded"), "{}", err(&o));
    assert_eq!(liaison_store::changes::head(&db.unfiltered()).await.unwrap(), head);

    // The search index: rebuilt from the command line, it is what the writes left.
    let followed = liaison_store::search::snapshot(&db).await.unwrap();
    let o = run(&["search", "reindex"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let said = out(&o);
    assert!(said.starts_with(&format!("Indexed {} records in ", followed.len())), "{said}");
    assert_eq!(liaison_store::search::snapshot(&db).await.unwrap(), followed);
    assert!(liaison_store::search::is_built(&db).await.unwrap());
    assert_eq!(liaison_store::changes::head(&db.unfiltered()).await.unwrap(), head, "reindexing changes no record");
}

#[test]
fn configuration_comes_from_file_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("liaison.toml"), "marking_scheme = \"purple\"\n").unwrap();
    let o = bin().current_dir(dir.path()).arg("migrate").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("marking_scheme"), "{}", err(&o));
    std::fs::write(dir.path().join("liaison.toml"), "database = \"sqlite://from-file.db\"\n").unwrap();
    assert!(bin().current_dir(dir.path()).arg("migrate").output().unwrap().status.success());
    assert!(dir.path().join("from-file.db").exists(), "the file's setting");
    assert!(bin().current_dir(dir.path()).env("LIAISON_DATABASE", "sqlite://from-env.db").arg("migrate").output().unwrap().status.success());
    assert!(dir.path().join("from-env.db").exists(), "the environment beats the file");
    let o = bin()
        .current_dir(dir.path())
        .env("LIAISON_DATABASE", "sqlite://from-env.db")
        .args(["--database", "sqlite://from-flag.db", "migrate"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(dir.path().join("from-flag.db").exists(), "the flag beats the environment");
    let o = bin().current_dir(dir.path()).args(["--config", "missing.toml", "migrate"]).output().unwrap();
    assert!(err(&o).contains("does not exist"));
    let o = bin().current_dir(dir.path()).args(["--database", "mysql://x", "migrate"]).output().unwrap();
    assert!(!o.status.success() && err(&o).contains("sqlite://"), "{}", err(&o));
}

/// Start `liaison serve` on a free port; returns the process and its base URL.
fn serve(url: &str) -> (Child, String) {
    let mut child =
        bin().args(["--database", url, "--listen", "127.0.0.1:0", "serve"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn serve");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("serve printed its address").expect("read");
        if let Some(rest) = line.strip_prefix("Liaison is listening on ") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

async fn json(r: reqwest::Response) -> (u16, Option<String>, Value) {
    let s = r.status().as_u16();
    let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).map(String::from);
    (s, etag, r.json().await.unwrap_or(Value::Null))
}

/// Two servers on one database: a session made on one is valid on the other, and concurrent
/// edits through both lose nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_share_sessions_and_lose_no_edits() {
    let t = TestDb::new().await;
    assert!(run(&["demo", "--no-serve"], &t.url, None).status.success());
    let (mut a, base_a) = serve(&t.url);
    let (mut b, base_b) = serve(&t.url);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let login =
        client.post(format!("{base_a}/api/v1/auth/login")).json(&json!({"email": "coordinator@demo.test", "password": "demo-password"})).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let me = client.get(format!("{base_b}/api/v1/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(me.status(), 200, "a session made on A works on B");
    let plans: Value = client.get(format!("{base_b}/api/v1/plans")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    let plan = plans["items"].as_array().unwrap().iter().find(|p| p["code"] == "PG-SRB-2015").unwrap()["id"].as_str().unwrap().to_string();
    let items: Value = client
        .get(format!("{base_a}/api/v1/plans/{plan}/items?level=partnership_goal&limit=1"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let item = items["items"][0]["id"].as_str().unwrap().to_string();
    let start_version = items["items"][0]["version"].as_i64().unwrap();

    let mut tasks = Vec::new();
    for w in 0..6 {
        let base = if w % 2 == 0 { base_a.clone() } else { base_b.clone() };
        let (client, cookie, item, plan) = (client.clone(), cookie.clone(), item.clone(), plan.clone());
        tasks.push(tokio::spawn(async move {
            let path = format!("{base}/api/v1/items/{item}");
            let mut applied = 0;
            for i in 0..8 {
                loop {
                    let (_, etag, _) = json(client.get(&path).header("cookie", &cookie).send().await.unwrap()).await;
                    let r = client
                        .patch(&path)
                        .header("cookie", &cookie)
                        .header("if-match", etag.unwrap())
                        .json(&json!({"description": {"en": format!("server {base} writer {w} edit {i}")}}))
                        .send()
                        .await
                        .unwrap();
                    match r.status().as_u16() {
                        200 => {
                            applied += 1;
                            break;
                        }
                        412 => continue,
                        s => panic!("unexpected {s}: {}", r.text().await.unwrap_or_default()),
                    }
                }
                let created = client
                    .post(format!("{base}/api/v1/plans/{plan}/items"))
                    .header("cookie", &cookie)
                    .json(&json!({"code": format!("W{w}-{i}"), "title": {"en": "concurrent"}, "parent": null}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(created.status(), 201, "{}", created.text().await.unwrap_or_default());
            }
            applied
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    assert_eq!(total, 48);
    let (_, _, now) = json(client.get(format!("{base_b}/api/v1/items/{item}")).header("cookie", &cookie).send().await.unwrap()).await;
    assert_eq!(now["version"].as_i64().unwrap(), start_version + 48, "every edit applied once");
    let (_, _, roots) = json(client.get(format!("{base_a}/api/v1/plans/{plan}/items/count?parent=root")).header("cookie", &cookie).send().await.unwrap()).await;
    assert_eq!(roots["count"], 9 + 48, "every item created exactly once");
    let o = run(&["audit", "verify"], &t.url, None);
    assert!(o.status.success(), "the chain stays whole under concurrency: {}", out(&o));
    for c in [&mut a, &mut b] {
        c.kill().ok();
        c.wait().ok();
    }
}

#[tokio::test]
async fn organisations_roles_and_clearances_from_the_command_line() {
    let t = TestDb::new().await;
    assert!(run(&["demo", "--no-serve"], &t.url, None).status.success());
    let o = run(
        &[
            "org",
            "add",
            "--short",
            "MoI SRB",
            "--name",
            "Ministry of Interior",
            "--name-sr",
            "Министарство унутрашњих послова",
            "--kind",
            "partner_government",
            "--country",
            "SRB",
        ],
        &t.url,
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = run(&["org", "add", "--short", "X", "--name", "X", "--kind", "partner_unit"], &t.url, None);
    assert!(err(&o).contains("country"), "partner organisations need a country: {}", err(&o));
    let o = run(&["org", "add", "--short", "X", "--name", "X", "--kind", "club"], &t.url, None);
    assert!(err(&o).contains("unknown kind"));
    assert!(out(&run(&["org", "list"], &t.url, None)).contains("MoI SRB"));
    let o = run(
        &["user", "add", "--email", "moi@test.example", "--name", "MoI desk", "--organisation", "MoI SRB", "--clearance", "nato_restricted"],
        &t.url,
        Some("plum orbit kettle seven\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = run(&["role", "set", "--email", "moi@test.example", "--plan", "IPAP-SRB-2019", "--role", "coordinator"], &t.url, None);
    assert!(!o.status.success() && err(&o).contains("cannot be coordinator"), "{}", err(&o));
    let o = run(&["role", "set", "--email", "moi@test.example", "--plan", "IPAP-SRB-2019", "--role", "partner_editor"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&run(&["role", "list", "--plan", "IPAP-SRB-2019"], &t.url, None)).contains("MoI desk"));
    let o = run(&["user", "set", "--email", "moi@test.example", "--clearance", "nato_confidential", "--security-officer", "true"], &t.url, None);
    assert!(out(&o).contains("nato_confidential") && out(&o).contains("security_officer"), "{}{}", out(&o), err(&o));
    let o = run(&["role", "remove", "--email", "moi@test.example", "--plan", "IPAP-SRB-2019"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(!out(&run(&["role", "list", "--plan", "IPAP-SRB-2019"], &t.url, None)).contains("MoI desk"));
    assert!(err(&run(&["role", "list", "--plan", "NOPE"], &t.url, None)).contains("no plan"));
}

/// `liaison iati export` writes the demo plan's file (to a file, or the portal's public one) and
/// `liaison iati import` previews a file, applies it with --apply, and says why it refuses.
#[tokio::test]
async fn iati_files_are_exported_and_imported_from_the_command_line() {
    let t = TestDb::new().await;
    let o = run(&["demo", "--no-serve"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ipap.xml");
    // The plan in implementation (its predecessor, superseded, takes no change).
    let o = run(&["iati", "export", "--plan", "IPAP-SRB-2019", "--out", file.to_str().unwrap()], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.starts_with("<?xml") && xml.contains("<iati-activities version=\"2.03\""), "{}", &xml[..xml.len().min(400)]);
    assert!(err(&o).contains("activities") && err(&o).contains("written to"), "{}", err(&o));
    assert!(err(&o).contains("marked NATO RESTRICTED") && xml.contains("<!-- NATO RESTRICTED"), "{}", err(&o));
    // With a person's access: the viewer, cleared NATO UNCLASSIFIED, is given only that.
    let o = run(&["iati", "export", "--plan", "IPAP-SRB-2019", "--as", "viewer@demo.test"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("marked NATO UNCLASSIFIED") && out(&o).contains("<!-- NATO UNCLASSIFIED"), "{}", err(&o));
    // The portal's file (the 2015 plan is on the portal): PUBLIC records only, no marking line.
    let o = run(&["iati", "export", "--plan", "IPAP-SRB-2015", "--public"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("marked PUBLIC") && !out(&o).contains("<!--"), "{}", err(&o));
    let o = run(&["iati", "export", "--plan", "NO-SUCH-PLAN"], &t.url, None);
    assert!(!o.status.success() && err(&o).contains("no plan with the code"), "{}", err(&o));

    // The exported file read back: every activity matched, nothing changed without --apply.
    let o = run(&["iati", "import", file.to_str().unwrap(), "--as", "coordinator@demo.test"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("importable") && text.contains("0 to create, 1 to update"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    let o = run(&["iati", "import", file.to_str().unwrap(), "--as", "coordinator@demo.test", "--apply", "--json"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    // Two JSON documents: the preview, then what was applied.
    let stream: Vec<Value> = serde_json::Deserializer::from_str(&out(&o)).into_iter::<Value>().map(|v| v.unwrap()).collect();
    assert_eq!(stream.len(), 2, "{}", out(&o));
    assert!(stream[0]["problems"].is_array() && stream[0]["id"].is_string());
    assert_eq!(stream[1]["preview"]["state"], "applied");
    // Refusals: not IATI (exit 1, the problem at its line), a missing file, an unknown person.
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "Minutes of the meeting").unwrap();
    let o = run(&["iati", "import", junk.to_str().unwrap(), "--as", "coordinator@demo.test"], &t.url, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("1:1 error 0.1.1"), "{}", out(&o));
    assert!(err(&o).contains("Nothing in"), "{}", err(&o));
    let o = run(&["iati", "import", "/no/such/file.xml", "--as", "coordinator@demo.test"], &t.url, None);
    assert!(!o.status.success() && err(&o).contains("reading /no/such/file.xml"), "{}", err(&o));
    let o = run(&["iati", "import", file.to_str().unwrap(), "--as", "nobody@demo.test"], &t.url, None);
    assert!(!o.status.success() && err(&o).contains("no account"), "{}", err(&o));
    // Someone who may not create plans is refused.
    let o = run(&["iati", "import", file.to_str().unwrap(), "--as", "viewer@demo.test"], &t.url, None);
    assert!(!o.status.success(), "{}", out(&o));
}

/// `liaison export items|report` write the files people circulate, and `liaison import sheet`
/// reads a plan's workbook back: the demo plan's own export is previewed as all unchanged.
#[tokio::test]
async fn spreadsheets_and_documents_from_the_command_line() {
    let t = TestDb::new().await;
    let o = run(&["demo", "--no-serve"], &t.url, None);
    assert!(o.status.success(), "{}", err(&o));
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let export = |args: &[&str]| {
        let mut all = vec!["export"];
        all.extend_from_slice(args);
        run(&all, &t.url, None)
    };
    for (format, magic) in [("xlsx", &b"PK"[..]), ("csv", &b"\xef\xbb\xbf"[..]), ("docx", &b"PK"[..]), ("pdf", &b"%PDF-"[..])] {
        let file = path(&format!("plan.{format}"));
        let o = export(&["items", "--plan", "PG-SRB-2015", "--format", format, "--as", "coordinator@demo.test", "--out", &file]);
        assert!(o.status.success(), "{format}: {}", err(&o));
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format} is what it says");
        assert!(err(&o).contains("written to") && err(&o).contains("marked NATO"), "{}", err(&o));
    }
    for (format, magic) in [("pdf", &b"%PDF-"[..]), ("xlsx", &b"PK"[..]), ("csv", &b"\xef\xbb\xbf"[..])] {
        let file = path(&format!("report.{format}"));
        let o = export(&["report", "--plan", "IPAP-SRB-2019", "--format", format, "--lang", "sr-Cyrl", "--out", &file]);
        assert!(o.status.success(), "{format}: {}", err(&o));
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format} is what it says");
        assert!(err(&o).contains("items and") && err(&o).contains("indicators"), "{}", err(&o));
    }
    // The changes from the first agreed version of the 2015 plan to the second, as a redline.
    let o = export(&["compare", "--plan", "IPAP-SRB-2015", "--from", "1", "--to", "2", "--lang", "sr-Latn", "--out", &path("changes.pdf")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read(path("changes.pdf")).unwrap().starts_with(b"%PDF-") && err(&o).contains("items changed"), "{}", err(&o));
    // Refusals, each said.
    let o = export(&["compare", "--plan", "IPAP-SRB-2015", "--from", "first", "--out", &path("x.pdf")]);
    assert!(!o.status.success() && err(&o).contains("write an agreed version's number or current"), "{}", err(&o));
    let o = export(&["compare", "--plan", "IPAP-SRB-2015", "--from", "99", "--out", &path("x.pdf")]);
    assert!(!o.status.success() && err(&o).contains("IPAP-SRB-2015 has no agreed version 99; its versions are 1, 2"), "{}", err(&o));
    let o = export(&["report", "--plan", "IPAP-SRB-2019", "--period", "1999-Q9", "--out", &path("x.pdf")]);
    assert!(!o.status.success() && err(&o).contains("has no such period; its periods are"), "{}", err(&o));
    let o = export(&["report", "--plan", "IPAP-SRB-2019", "--format", "docx", "--out", &path("x.docx")]);
    assert!(!o.status.success() && err(&o).contains("write pdf, xlsx or csv"), "{}", err(&o));
    let o = export(&["items", "--plan", "PG-SRB-2015", "--format", "odt", "--out", &path("x.odt")]);
    assert!(!o.status.success() && err(&o).contains("write xlsx, csv, docx or pdf"), "{}", err(&o));
    let o = export(&["report", "--plan", "NO-SUCH-PLAN", "--out", &path("x.pdf")]);
    assert!(!o.status.success() && err(&o).contains("no plan with the code"), "{}", err(&o));
    assert!(!dir.path().join("x.pdf").exists(), "nothing written on a refusal");

    // The workbook read back into its plan: every item found, none changed.
    let o = run(&["import", "sheet", &path("plan.xlsx"), "--plan", "PG-SRB-2015", "--as", "coordinator@demo.test"], &t.url, None);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("XLSX, sheet") && text.contains("0 to create, 0 to update"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    let o = run(&["import", "sheet", &path("plan.xlsx"), "--plan", "PG-SRB-2015", "--as", "coordinator@demo.test", "--map", "nonsense"], &t.url, None);
    assert!(!o.status.success() && err(&o).contains("write COLUMN=FIELD"), "{}", err(&o));
}

/// Sign in to a served demo as its coordinator; the session cookie.
async fn coordinator_cookie(client: &reqwest::Client, base: &str) -> String {
    let login =
        client.post(format!("{base}/api/v1/auth/login")).json(&json!({"email": "coordinator@demo.test", "password": "demo-password"})).send().await.unwrap();
    assert_eq!(login.status(), 200);
    login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

/// A backup taken while a server writes is the database at one instant: restored (into the
/// suite's backend) and copied across backends (SQLite ↔ PostgreSQL when the suite runs on
/// PostgreSQL), every table's rows are the same to the byte and the audit chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backups_restore_and_copies_move_everything_between_backends() {
    let Served { t, mut server, base, client, cookie, item } = served_demo().await;
    // Comments keep arriving while the backup is taken.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (client, cookie, stop) = (client.clone(), cookie.clone(), stop.clone());
        tokio::spawn(async move {
            let mut answered = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let r = client
                    .post(format!("{base}/api/v1/items/{item}/comments"))
                    .header("cookie", &cookie)
                    .json(&json!({"body": format!("written during the backup, #{answered}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                answered += 1;
            }
            answered
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("liaison-backup.db");
    let file_arg = file.to_str().unwrap();
    let o = run(&["backup", "--out", file_arg], &t.url, None);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("the audit trail verifies") && out(&o).contains("The backup is"), "{}", out(&o));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let answered = writer.await.unwrap();
    assert!(answered > 0, "writes went on during the backup");
    server.kill().ok();
    server.wait().ok();
    assert!(!dir.path().join(".liaison-backup.db.partial").exists() && !dir.path().join("liaison-backup.db-wal").exists(), "one file, nothing left beside it");
    let again = run(&["backup", "--out", file_arg], &t.url, None);
    assert!(!again.status.success() && err(&again).contains("never overwrites"), "{}", err(&again));

    // The backup holds a whole chain, and is the source as it was at one instant: each of
    // its comments is one that the server answered for.
    let backup_url = format!("sqlite://{file_arg}");
    let o = run(&["audit", "verify"], &backup_url, None);
    assert!(o.status.success(), "{}", out(&o));
    let backup = liaison_store::Db::connect(&liaison_store::DbOptions::new(&backup_url)).await.unwrap();
    let in_backup = liaison_store::copy::digest(&backup).await.unwrap();
    let source = liaison_store::Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    let now = liaison_store::copy::digest(&source).await.unwrap();
    assert!(in_backup["item_comment"].0 <= now["item_comment"].0 && in_backup["change_log"].0 <= now["change_log"].0);
    assert_eq!(in_backup["file_blob"], now["file_blob"], "every file is in the backup");

    // Restore into the suite's backend: the same rows, to the byte.
    let restored = TestDb::new().await;
    let o = run(&["restore", file_arg], &restored.url, None);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("the audit trail verifies"), "{}", out(&o));
    let target = liaison_store::Db::connect(&liaison_store::DbOptions::new(&restored.url)).await.unwrap();
    assert_eq!(liaison_store::copy::digest(&target).await.unwrap(), in_backup);
    assert_eq!(liaison_store::changes::head(&target.unfiltered()).await.unwrap(), liaison_store::changes::head(&backup.unfiltered()).await.unwrap());
    assert!(liaison_store::search::is_built(&target).await.unwrap(), "the restored database is searchable");
    // A second restore into it is refused and changes nothing.
    let o = run(&["restore", file_arg], &restored.url, None);
    assert!(!o.status.success() && err(&o).contains("not empty"), "{}", err(&o));
    assert_eq!(liaison_store::copy::digest(&target).await.unwrap(), in_backup);

    // Copy to SQLite and back into the suite's backend (PostgreSQL → SQLite → PostgreSQL when
    // the suite runs on PostgreSQL).
    let other = tempfile::tempdir().unwrap();
    let there = format!("sqlite://{}", other.path().join("copy.db").display());
    let o = run(&["copy", "--from", &restored.url, "--to", &there], &restored.url, None);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let copied = liaison_store::Db::connect(&liaison_store::DbOptions::new(&there)).await.unwrap();
    assert_eq!(liaison_store::copy::digest(&copied).await.unwrap(), in_backup, "copied to {}", liaison_store::redact_url(&there));
    let back_db_keeper = TestDb::new().await;
    let back = back_db_keeper.url.clone();
    let o = run(&["copy", "--from", &there, "--to", &back], &there, None);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let back_db = liaison_store::Db::connect(&liaison_store::DbOptions::new(&back)).await.unwrap();
    assert_eq!(liaison_store::copy::digest(&back_db).await.unwrap(), in_backup, "and back");
    let o = run(&["audit", "verify"], &back, None);
    assert!(o.status.success(), "{}", out(&o));

    // Bad sources and targets: clear refusals.
    let o = run(&["copy", "--from", "sqlite:///nowhere/at/all.db", "--to", &back], &back, None);
    assert!(!o.status.success() && err(&o).contains("does not exist"), "{}", err(&o));
    let o = run(&["copy", "--from", &back, "--to", &there], &back, None);
    assert!(!o.status.success() && err(&o).contains("not empty"), "{}", err(&o));
    let junk = other.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let fresh = format!("sqlite://{}", other.path().join("fresh.db").display());
    let o = run(&["restore", junk.to_str().unwrap()], &fresh, None);
    assert!(!o.status.success() && err(&o).contains("not a Liaison backup"), "{}", err(&o));
}

/// A demo database served, with the coordinator signed in and an item to write on.
struct Served {
    t: TestDb,
    server: Child,
    base: String,
    client: reqwest::Client,
    cookie: String,
    item: String,
}

async fn served_demo() -> Served {
    let t = TestDb::new().await;
    assert!(run(&["demo", "--no-serve"], &t.url, None).status.success());
    let (server, base) = serve(&t.url);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let cookie = coordinator_cookie(&client, &base).await;
    let item = demo_item(&client, &base, &cookie).await;
    Served { t, server, base, client, cookie, item }
}

/// The demo's first Partnership Goal: a plan and an item to write comments on.
async fn demo_item(client: &reqwest::Client, base: &str, cookie: &str) -> String {
    let plans: Value = client.get(format!("{base}/api/v1/plans")).header("cookie", cookie).send().await.unwrap().json().await.unwrap();
    let plan = plans["items"].as_array().unwrap().iter().find(|p| p["code"] == "PG-SRB-2015").unwrap()["id"].as_str().unwrap().to_string();
    let items: Value = client.get(format!("{base}/api/v1/plans/{plan}/items?limit=1")).header("cookie", cookie).send().await.unwrap().json().await.unwrap();
    items["items"][0]["id"].as_str().unwrap().to_string()
}

/// Killed with SIGKILL in the middle of a stream of writes, the server loses none that it
/// answered 2xx, and the audit chain verifies after restart. `LIAISON_CRASH_WRITES` sets how
/// many writes come before the kill (default 200; `scripts/crash-test` runs 10,000).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_keeps_every_write_it_answered() {
    let before_kill: usize = std::env::var("LIAISON_CRASH_WRITES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let Served { t, mut server, base, client, cookie, item } = served_demo().await;
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, cookie, item, base, answered) = (client.clone(), cookie.clone(), item.clone(), base.clone(), answered.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let body = format!("crash test writer {w} write {i}");
                let r = client.post(format!("{base}/api/v1/items/{item}/comments")).header("cookie", &cookie).json(&json!({"body": body})).send().await;
                match r {
                    Ok(r) if r.status() == 201 => answered.lock().unwrap().push(body),
                    Ok(r) => panic!("a write answered {} before the kill: {}", r.status(), r.text().await.unwrap_or_default()),
                    // The server is gone: the kill came.
                    Err(_) => return,
                }
            }
        }));
    }
    while answered.lock().unwrap().len() < before_kill {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL, writes in flight
    server.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= before_kill);

    let (mut server, base) = serve(&t.url);
    let cookie = coordinator_cookie(&client, &base).await;
    let comments: Value = client.get(format!("{base}/api/v1/items/{item}/comments")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    let found: std::collections::HashSet<&str> = comments.as_array().unwrap().iter().filter_map(|c| c["body"].as_str()).collect();
    let lost: Vec<&String> = answered.iter().filter(|b| !found.contains(b.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} answered writes lost, e.g. {:?}", lost.len(), answered.len(), lost.first());
    server.kill().ok();
    server.wait().ok();
    let o = run(&["audit", "verify"], &t.url, None);
    assert!(o.status.success(), "the chain verifies after the crash: {}", out(&o));
    println!("{} writes answered before the kill, all found after restart", answered.len());
}

/// SIGTERM lets the request in flight finish (its body still arriving), refuses new
/// connections, and exits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_request_in_flight_then_exits() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Served { t, mut server, base, client, cookie, item } = served_demo().await;
    let body = json!({"body": "sent across a shutdown"}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let addr = base.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/items/{item}/comments HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err(), "no new connection once shutting down");
    s.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = server.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(exited.is_some_and(|s| s.success()), "exits cleanly after the drain: {exited:?}");
    let (mut again, base) = serve(&t.url);
    let cookie = coordinator_cookie(&client, &base).await;
    let comments: Value = client.get(format!("{base}/api/v1/items/{item}/comments")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    assert!(comments.as_array().unwrap().iter().any(|c| c["body"] == "sent across a shutdown"), "the drained write is kept");
    again.kill().ok();
    again.wait().ok();
}

#[test]
fn logs_can_be_one_json_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let o = bin().args(["--database", &url, "org", "list"]).env("RUST_LOG", "info").env("LIAISON_LOG_FORMAT", "json").output().unwrap();
    assert!(o.status.success(), "{}", err(&o));
    let said = err(&o);
    let lines: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.iter().any(|l| l.contains("applied migrations")), "{said}");
    for l in &lines {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v["timestamp"].is_string() && v["level"].is_string() && v["target"].is_string(), "{l}");
    }
    let bad = bin().args(["--database", &url, "org", "list"]).env("LIAISON_LOG_FORMAT", "xml").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(err(&bad).contains("log_format"), "{}", err(&bad));
}

/// `liaison exchange`: two installations (two databases, two keys) through the commands an
/// operator types: keys, peers, a bundle written and previewed, applied once, a tampered copy
/// refused with exit code 1.
#[tokio::test]
async fn exchange_commands_carry_a_plan_between_two_installations() {
    let (a, b) = (TestDb::new().await, TestDb::new().await);
    assert!(run(&["demo", "--no-serve"], &a.url, None).status.success());
    let dir = tempfile::tempdir().unwrap();
    let (ka, kb, bundle) = (dir.path().join("a.key"), dir.path().join("b.key"), dir.path().join("plan.bundle"));
    let keygen = |db: &str, name: &str, level: &str, file: &std::path::Path| {
        let o = run(&["exchange", "keygen", "--name", name, "--accreditation", level, "--key-file", file.to_str().unwrap()], db, None);
        assert!(o.status.success(), "{}{}", out(&o), err(&o));
        out(&o).lines().last().unwrap().trim().to_string()
    };
    let pa = keygen(&a.url, "nato-hq", "NATO SECRET", &ka);
    let pb = keygen(&b.url, "srb-mod", "nato_restricted", &kb);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&ka).unwrap().permissions().mode() & 0o777, 0o600, "the private key is its owner's only");
    }
    let again = run(&["exchange", "keygen", "--name", "nato-hq", "--accreditation", "NATO SECRET", "--key-file", ka.to_str().unwrap()], &a.url, None);
    assert!(!again.status.success() && err(&again).contains("never overwritten"), "{}", err(&again));
    for (db, name, key, country) in [(&a.url, "srb-mod", &pb, "SRB"), (&b.url, "nato-hq", &pa, "NATO")] {
        let o = run(&["exchange", "peer", "add", "--name", name, "--key", key, "--country", country, "--level", "NATO RESTRICTED"], db, None);
        assert!(o.status.success(), "{}{}", out(&o), err(&o));
    }
    let bad = run(&["exchange", "peer", "add", "--name", "x", "--key", &pb, "--country", "SRB", "--level", "TOP SECRET"], &a.url, None);
    assert!(!bad.status.success() && err(&bad).contains("not a level"), "{}", err(&bad));
    // A base64url key may begin with '-' (one in 32 does): taken as the key, not as an option.
    let dashed = run(&["exchange", "peer", "add", "--name", "y", "--key", "-Mnot-a-key", "--country", "SRB", "--level", "NATO RESTRICTED"], &a.url, None);
    assert!(!dashed.status.success() && !err(&dashed).contains("unexpected argument"), "{}", err(&dashed));

    let export = ["exchange", "export", "--plan", "PG-SRB-2015", "--to", "srb-mod", "--key-file", ka.to_str().unwrap()];
    let preview = run(&export, &a.url, None);
    assert!(preview.status.success() && out(&preview).contains("Preview only"), "{}{}", out(&preview), err(&preview));
    let mut with_out = export.to_vec();
    with_out.extend(["--out", bundle.to_str().unwrap()]);
    let o = run(&with_out, &a.url, None);
    assert!(o.status.success() && out(&o).contains("Bundle #1 of PG-SRB-2015 for srb-mod"), "{}{}", out(&o), err(&o));
    assert!(!run(&with_out, &a.url, None).status.success(), "a bundle file is never overwritten");

    let bytes = std::fs::read(&bundle).unwrap();
    let mut flipped = bytes.clone();
    let at = flipped.len() / 2;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    let bad_file = dir.path().join("flipped.bundle");
    std::fs::write(&bad_file, &flipped).unwrap();
    let o = run(&["exchange", "import", bad_file.to_str().unwrap(), "--apply"], &b.url, None);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("refused:") && err(&o).contains("Nothing was changed"), "{}", err(&o));
    let o = run(&["exchange", "import", bundle.to_str().unwrap(), "--max-bytes", "100"], &b.url, None);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));

    let o = run(&["exchange", "import", bundle.to_str().unwrap()], &b.url, None);
    assert!(o.status.success() && out(&o).contains("Preview only"), "{}{}", out(&o), err(&o));
    let o = run(&["exchange", "import", bundle.to_str().unwrap(), "--apply"], &b.url, None);
    assert!(o.status.success() && out(&o).contains("Applied in"), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("item"), "{}", out(&o));
    let o = run(&["exchange", "import", bundle.to_str().unwrap(), "--apply"], &b.url, None);
    assert!(o.status.success() && out(&o).contains("applied before: nothing changed"), "{}", out(&o));
    let o = run(&["exchange", "conflicts"], &b.url, None);
    assert!(out(&o).contains("No open conflicts"), "{}", out(&o));
    let o = run(&["exchange", "peer", "list"], &b.url, None);
    assert!(out(&o).contains("nato-hq\tNATO\tnato_restricted\t1 keys"), "{}", out(&o));
    for db in [&a.url, &b.url] {
        let o = run(&["audit", "verify"], db, None);
        assert!(o.status.success(), "{}{}", out(&o), err(&o));
    }
}

/// `liaison-bench run` at a tiny scale: it starts this binary on a generated database, runs
/// every route of the mix with `/healthz`, then writers alone and the summary after a new figure,
/// and writes the report as Markdown and JSON. (Its figures are not judged here: budgets belong to
/// the benchmark, not to the test suite.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_benchmark_reports_every_route_of_its_mix_and_the_memory() {
    let t = TestDb::new().await;
    let counts = liaison_bench::seed::Counts::at(1.0, Some(1), 2).unwrap().with(Some(80), Some(200), Some(80), Some(10), Some(20), Some(2), Some(10));
    liaison_bench::seed::run(&t.url, &counts).await.expect("seed");
    let out = tempfile::tempdir().unwrap();
    let o = liaison_bench::run::Options {
        database: t.url.clone(),
        server: env!("CARGO_BIN_EXE_liaison").into(),
        clients: 4,
        warmup: Duration::from_millis(500),
        duration: Duration::from_secs(4),
        write_duration: Duration::from_secs(1),
        out: out.path().to_path_buf(),
        email: liaison_bench::seed::COORDINATOR.into(),
        password: liaison_bench::seed::PASSWORD.into(),
    };
    let r = liaison_bench::run::run(&o).await.expect("the benchmark runs");
    assert_eq!(r.routes[0].route, "GET /healthz", "the baseline comes first");
    assert!((r.routes[0].p50_ratio - 1.0).abs() < 1e-9);
    for (route, _) in liaison_bench::run::MIX {
        let f = r.routes.iter().find(|f| f.route == *route).unwrap_or_else(|| panic!("{route} is missing from {:?}", r.routes));
        assert!(f.requests > 0 && f.p99_ms >= f.p50_ms && f.p50_ms > 0.0, "{f:?}");
        assert_eq!(f.errors, 0, "{route}: {:?}", f.first_error);
    }
    assert!(r.writers.requests > 0 && r.writers.errors == 0, "{:?}", r.writers);
    assert_eq!(r.summary_after_figures.requests, 30);
    assert!(r.memory.idle_mib > 1.0 && r.memory.peak_mib >= r.memory.idle_mib && r.memory.end_mib > 1.0, "{:?}", r.memory);
    assert!(r.ready_ms > 0.0);
    let backend = liaison_bench::run::backend_of(&t.url);
    let json: Value = serde_json::from_slice(&std::fs::read(out.path().join(format!("bench-{backend}.json"))).unwrap()).unwrap();
    assert_eq!(json["routes"].as_array().unwrap().len(), r.routes.len());
    for key in ["backend", "clients", "ready_ms", "memory", "writers", "summary_after_figures"] {
        assert!(!json[key].is_null(), "{key} in {json}");
    }
    let md = std::fs::read_to_string(out.path().join(format!("bench-{backend}.md"))).unwrap();
    assert!(md.contains("| Route | Requests | Req/s | p50 ms | p99 ms |"), "{md}");
    for (route, _) in liaison_bench::run::MIX {
        assert!(md.contains(&format!("| {route} |")), "{route} in\n{md}");
    }
    // A missing server binary is a clear error, not a hang.
    let missing = liaison_bench::run::Options { server: out.path().join("no-such-liaison"), ..o };
    let e = liaison_bench::run::run(&missing).await.unwrap_err().to_string();
    assert!(e.contains("cargo build --release -p liaison"), "{e}");
}
