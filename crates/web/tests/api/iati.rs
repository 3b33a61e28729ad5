//! IATI 2.03 through the API: the plan's file is valid against the official schema (xmllint,
//! when `LIAISON_REFERENCE` points at the reference folder), free of the validator's rule errors,
//! follows the reader's access, and is audited.

use crate::implementation::{implement, item};
use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use liaison_interop::iati::{Limits, Severity, check};
use reqwest::StatusCode;
use serde_json::json;
use std::path::PathBuf;

/// `$LIAISON_REFERENCE/iati`, if set (set but missing fails).
pub fn reference() -> Option<PathBuf> {
    let root = std::env::var_os("LIAISON_REFERENCE")?;
    let mut root = PathBuf::from(root);
    if root.is_relative() {
        root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(root);
    }
    let dir = root.join("iati");
    assert!(dir.is_dir(), "LIAISON_REFERENCE is set but {} is not a folder", dir.display());
    Some(dir)
}

/// xmllint's verdict on `xml` against the official 2.03 schema (none without the reference).
pub fn schema_valid(xml: &[u8]) {
    let Some(dir) = reference() else { return };
    let path = std::env::temp_dir().join(format!("liaison-iati-{}.xml", uuid::Uuid::now_v7()));
    std::fs::write(&path, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(dir.join("iati-activities-schema.xsd"))
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("xmllint could not be run ({e}); install libxml2-utils"));
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(xml));
}

/// The errors IATI's validator would find (schema, code lists, rules); warnings are allowed.
pub fn rule_errors(xml: &[u8]) -> Vec<String> {
    let today = chrono::Utc::now().date_naive();
    let mut errors = Vec::new();
    let report = check::file(xml, today, Limits::default(), |_, _, problems| {
        errors.extend(problems.into_iter().filter(|p| p.severity == Severity::Error).map(|p| format!("{} {} {}", p.code, p.path, p.message)));
    })
    .unwrap_or_else(|p| panic!("refused: {p:?}"));
    errors.extend(report.problems.into_iter().filter(|p| p.severity == Severity::Error).map(|p| format!("{} {}", p.code, p.message)));
    errors
}

async fn set_ref(f: &Fixture, org: &str, r: &str) {
    let admin = f.as_("admin").await;
    let path = format!("/api/v1/organisations/{}", f.orgs[org]);
    let cur = admin.get(&path).await;
    let a = admin.patch(&path, &cur.etag(), &json!({"iati_ref": r})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
}

#[tokio::test]
async fn the_plans_iati_file_is_valid_follows_access_and_is_audited() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let (coordinator, partner, ally) = (f.as_("coordinator").await, f.as_("partner").await, f.as_("ally").await);
    let path = f.plan_path("/iati.xml");
    // Without an IATI identifier for the owner there is no identifier for the activities.
    let r = coordinator.get(&path).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.body["detail"].as_str().unwrap().contains("NATO IS"), "{}", r.text);
    // A bad identifier is refused at the organisation.
    let admin = f.as_("admin").await;
    let org = format!("/api/v1/organisations/{}", f.orgs["NATO IS"]);
    let bad = admin.patch(&org, "\"1\"", &json!({"iati_ref": "NATO IS / HQ"})).await;
    assert!(bad.has_error("iati_ref", "invalid"), "{}", bad.text);
    set_ref(&f, "NATO IS", "XI-IATI-TEST").await;
    set_ref(&f, "MFA", "RS-COA-1").await;
    set_ref(&f, "NOR", "XM-DAC-8").await;
    // A chapter with an action, a hidden chapter, an indicator with targets and figures by sex,
    // and an accepted offer.
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let a1 = item(app, f.plan.id, "1.1", Some(f.orgs["MoD"]), None, Some(a)).await;
    let secret = Marking::new(Level::NatoSecret, &[], "NATO");
    let hidden = item(app, f.plan.id, "2", None, Some(secret), None).await;
    let ind = coordinator
        .post(
            &format!("/api/v1/items/{a1}/indicators"),
            &json!({"name": {"en": "People reached", "sr": "Досегнути људи"}, "unit": "people", "measure": "number",
                    "baseline": {"value": 0, "date": "2014-12-31"},
                    "targets": [{"period": "2015-Q2", "value": 100, "by_category": {"female": 50, "male": 50}}],
                    "dimension": {"key": "sex", "categories": ["female", "male"]}}),
        )
        .await;
    assert_eq!(ind.status, StatusCode::CREATED, "{}", ind.text);
    let m = coordinator
        .post(&format!("/api/v1/indicators/{}/measurements", ind.id()), &json!({"period": "2015-Q1", "value": 30, "by_category": {"female": 20, "male": 10}}))
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    let o = ally
        .post(
            &f.plan_path("/offers"),
            &json!({"kind": "training", "title": {"en": "NCO course"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a1], "value_minor": 1_500_050, "currency": "EUR"}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    let acc = partner.post_if(&format!("/api/v1/offers/{}/steps", o.id()), &o.etag(), &json!({"to": "accepted"})).await;
    assert_eq!(acc.status, StatusCode::OK, "{}", acc.text);

    let full = coordinator.get(&path).await;
    assert_eq!(full.status, StatusCode::OK, "{}", full.text);
    assert!(full.header("content-type").starts_with("application/xml"));
    assert_eq!(full.header("x-liaison-marking"), "NATO SECRET", "the highest marking of what it holds");
    let xml = full.text.clone();
    assert!(xml.contains("<!-- NATO SECRET"), "the first line says how to handle it");
    schema_valid(xml.as_bytes());
    assert_eq!(rule_errors(xml.as_bytes()), Vec::<String>::new());
    // The plan and its two chapters; the action's indicator and the offer sit on chapter 1.
    assert_eq!(xml.matches("<iati-activity ").count(), 3, "{xml}");
    for part in [
        "<iati-identifier>XI-IATI-TEST-IPAP-T</iati-identifier>",
        "<iati-identifier>XI-IATI-TEST-IPAP-T-1</iati-identifier>",
        "<related-activity ref=\"XI-IATI-TEST-IPAP-T-1\" type=\"2\"/>",
        "<related-activity ref=\"XI-IATI-TEST-IPAP-T\" type=\"1\"/>",
        "<recipient-country code=\"RS\" percentage=\"100\"/>",
        "<participating-org role=\"1\" ref=\"XM-DAC-8\" type=\"10\">",
        "<transaction-type code=\"2\"/>",
        "<value value-date=\"2015-03-01\" currency=\"EUR\">15000.5</value>",
        "<policy-marker vocabulary=\"1\" code=\"1\" significance=\"0\"/>",
        "<indicator measure=\"1\" ascending=\"1\">",
        "<baseline year=\"2014\" iso-date=\"2014-12-31\" value=\"0\"/>",
        "<dimension name=\"sex\" value=\"female\"/>",
        "<narrative xml:lang=\"sr\">Досегнути људи</narrative>",
    ] {
        assert!(xml.contains(part), "{part} in\n{xml}");
    }
    // Items one level down, by asking.
    let actions = coordinator.get(&format!("{path}?level=objective")).await;
    assert_eq!(actions.status, StatusCode::OK);
    assert!(actions.text.contains("<iati-identifier>XI-IATI-TEST-IPAP-T-1.1</iati-identifier>"));
    assert!(coordinator.get(&format!("{path}?level=nonsense")).await.has_error("level", "invalid"));
    // The partner does not see the secret chapter: not in the file, not counted.
    let theirs = partner.get(&path).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.text.contains("IPAP-T-2<") && !theirs.text.contains(&hidden.to_string()), "{}", theirs.text);
    assert_eq!(theirs.text.matches("<iati-activity ").count(), 2);
    assert_eq!(theirs.header("x-liaison-marking"), "NATO UNCLASSIFIED - RELEASABLE TO SRB");
    schema_valid(theirs.text.as_bytes());
    // An outsider gets nothing, as for the plan itself.
    assert_eq!(f.as_("outsider").await.get(&path).await.status, StatusCode::NOT_FOUND);
    // Every export is in the audit trail, with its marking.
    let audit = f.as_("security").await.get("/api/v1/audit?action=export").await;
    let iati: Vec<_> = audit.body["items"].as_array().unwrap().iter().filter(|c| c["after"]["format"] == "iati").collect();
    assert_eq!(iati.len(), 3, "{}", audit.text);
}

/// What is left of a document once the parts an import cannot keep the same are taken out:
/// the time it was made and each activity's last change, the marking line (the import marks
/// what it creates as the installation's default), and transaction references (offer ids).
fn comparable(xml: &str) -> String {
    xml.lines()
        .filter(|l| !l.trim_start().starts_with("<!--"))
        .map(|l| {
            let mut l = l.to_string();
            for attr in ["generated-datetime", "last-updated-datetime"] {
                if let Some(at) = l.find(&format!("{attr}=\"")) {
                    let start = at + attr.len() + 2;
                    if let Some(len) = l[start..].find('"') {
                        l.replace_range(start..start + len, "T");
                    }
                }
            }
            if l.trim_start().starts_with("<transaction ref=") {
                l = "<transaction ref=\"R\">".into();
            }
            l
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_plan_exported_and_imported_into_an_empty_database_exports_again_the_same() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let (coordinator, partner, ally) = (f.as_("coordinator").await, f.as_("partner").await, f.as_("ally").await);
    set_ref(&f, "NATO IS", "XI-IATI-TEST").await;
    set_ref(&f, "MFA", "RS-COA-1").await;
    set_ref(&f, "NOR", "XM-DAC-8").await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let a1 = item(app, f.plan.id, "1.1", None, None, Some(a)).await;
    item(app, f.plan.id, "2", None, None, None).await;
    let ind = coordinator
        .post(
            &format!("/api/v1/items/{a1}/indicators"),
            &json!({"name": {"en": "People reached", "sr": "Досегнути људи"}, "unit": "people", "measure": "number",
                    "baseline": {"value": 3, "date": "2014-12-31"},
                    "targets": [{"period": "2015-Q2", "value": 100, "by_category": {"female": 50, "male": 50}}],
                    "dimension": {"key": "sex", "categories": ["female", "male"]}}),
        )
        .await;
    assert_eq!(ind.status, StatusCode::CREATED, "{}", ind.text);
    let m = coordinator
        .post(&format!("/api/v1/indicators/{}/measurements", ind.id()), &json!({"period": "2015-Q1", "value": 30, "by_category": {"female": 20, "male": 10}}))
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    let o = ally
        .post(&f.plan_path("/offers"), &json!({"kind": "training", "title": {"en": "NCO course"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a], "value_minor": 1_500_050, "currency": "EUR"}))
        .await;
    let acc = partner.post_if(&format!("/api/v1/offers/{}/steps", o.id()), &o.etag(), &json!({"to": "accepted"})).await;
    assert_eq!(acc.status, StatusCode::OK, "{}", acc.text);
    let first = coordinator.get(&f.plan_path("/iati.xml")).await;
    assert_eq!(first.status, StatusCode::OK);

    // An empty installation: one office and one person who may create plans.
    let (b, desk) = empty_installation().await;
    let (ct, body) = crate::implementation::multipart(&[("file", Some("plan.xml"), first.text.as_bytes())]);
    let preview = desk.raw(reqwest::Method::POST, "/api/v1/imports/iati", &ct, body.clone(), &[]).await;
    assert_eq!(preview.status, StatusCode::CREATED, "{}", preview.text);
    let t = &preview.body["totals"];
    assert_eq!((t["activities"].as_u64(), t["importable"].as_u64(), t["plans_created"].as_u64()), (Some(3), Some(3), Some(1)), "{}", preview.text);
    assert_eq!(t["items_created"], 3, "chapters 1 and 2, and the item of the indicator's result: {}", preview.text);
    assert_eq!((t["indicators"].as_u64(), t["targets"].as_u64(), t["actuals"].as_u64(), t["offers"].as_u64()), (Some(1), Some(1), Some(1), Some(1)), "{t}");
    let created: Vec<&str> =
        preview.body["organisations"].as_array().unwrap().iter().filter(|o| o["action"] == "create").map(|o| o["reference"].as_str().unwrap_or("-")).collect();
    assert!(created.contains(&"XI-IATI-TEST") && created.contains(&"RS-COA-1") && created.contains(&"XM-DAC-8"), "{created:?}");
    // Nothing is written by a preview.
    assert_eq!(desk.get("/api/v1/plans").await.body["items"].as_array().unwrap().len(), 0);
    let id = preview.id();
    assert_eq!(desk.get(&format!("/api/v1/imports/{id}")).await.body["state"], "previewed");
    let applied = desk.post(&format!("/api/v1/imports/{id}/apply"), &json!({})).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text);
    assert_eq!(applied.body["applied"].as_array().unwrap().len(), 3);
    let plans = desk.get("/api/v1/plans").await;
    let plan = plans.body["items"][0].clone();
    assert_eq!(plan["code"], "IPAP-T");
    assert_eq!(plan["state"], "implementation");
    let again = desk.get(&format!("/api/v1/plans/{}/iati.xml", plan["id"].as_str().unwrap())).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(comparable(&again.text), comparable(&first.text));
    // The same file again: an update, nothing duplicated.
    let second = desk.raw(reqwest::Method::POST, "/api/v1/imports/iati", &ct, body, &[]).await;
    let t = &second.body["totals"];
    assert_eq!(
        (t["plans_created"].as_u64(), t["plans_updated"].as_u64(), t["items_created"].as_u64(), t["organisations_created"].as_u64()),
        (Some(0), Some(1), Some(0), Some(0)),
        "{}",
        second.text
    );
    let applied = desk.post(&format!("/api/v1/imports/{}/apply", second.id()), &json!({})).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text);
    let after = desk.get(&format!("/api/v1/plans/{}/iati.xml", plan["id"].as_str().unwrap())).await;
    assert_eq!(comparable(&after.text), comparable(&first.text));
    // The file read back into the installation it came from: everything is matched (plan by
    // code, items by code, organisations by IATI identifier, areas by code or DAC sector).
    let home = upload(&coordinator, "plan.xml", first.text.as_bytes()).await;
    assert_eq!(home.status, StatusCode::CREATED, "{}", home.text);
    let t = &home.body["totals"];
    assert_eq!(
        (
            t["plans_created"].as_u64(),
            t["plans_updated"].as_u64(),
            t["items_created"].as_u64(),
            t["organisations_created"].as_u64(),
            t["areas_created"].as_u64()
        ),
        (Some(0), Some(1), Some(0), Some(0), Some(0)),
        "{t}"
    );
    // Applying twice is refused; another person does not see the import.
    assert_eq!(desk.post(&format!("/api/v1/imports/{id}/apply"), &json!({})).await.status, StatusCode::CONFLICT);
    assert_eq!(f.as_("coordinator").await.get(&format!("/api/v1/imports/{id}")).await.status, StatusCode::NOT_FOUND);
    // The import is in the audit trail with the file's SHA-256.
    let audit = liaison_store::changes::audit(
        &b.app.db().unfiltered(),
        &liaison_domain::change::AuditQuery { entity: Some("import".into()), ..Default::default() },
        None,
        10,
    )
    .await
    .unwrap();
    assert_eq!(audit.items.len(), 2);
    assert_eq!(audit.items[0].after.as_ref().unwrap()["sha256"].as_str().unwrap().len(), 64);
}

/// A new installation with one liaison office and one person of it who may create plans
/// (signed in).
async fn empty_installation() -> (Server, Api) {
    empty_installation_with(liaison_web::WebConfig::default()).await
}

async fn empty_installation_with(web: liaison_web::WebConfig) -> (Server, Api) {
    let b = Server::start_with(test_config(), web).await;
    let sys = liaison_app::Ctx::system("test");
    let office = liaison_app::organisations::create(
        &b.app,
        &sys,
        liaison_domain::organisation::NewOrganisation {
            name: liaison_domain::text::Text::new("en", "Importing office"),
            short_name: "Office".into(),
            kind: liaison_domain::organisation::OrgKind::LiaisonOffice,
            country: None,
            parent: None,
            iati_ref: None,
        },
    )
    .await
    .unwrap();
    let u = liaison_app::users::create(
        &b.app,
        &sys,
        serde_json::from_value(
            json!({"email": "desk@test.example", "display_name": "Desk", "organisation": office.id, "clearance": "nato_secret", "password": PASSWORD}),
        )
        .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(u.email, "desk@test.example");
    let desk = b.login("desk@test.example").await;
    (b, desk)
}

async fn upload(api: &Api, name: &str, bytes: &[u8]) -> Answer {
    let (ct, body) = crate::implementation::multipart(&[("file", Some(name), bytes)]);
    api.raw(reqwest::Method::POST, "/api/v1/imports/iati", &ct, body, &[]).await
}

/// Every problem of a preview has the shape other tools rely on.
fn problems_well_formed(preview: &Answer) -> Vec<serde_json::Value> {
    let problems = preview.body["problems"].as_array().unwrap_or_else(|| panic!("no problems list: {}", preview.text)).clone();
    for p in &problems {
        assert!(matches!(p["severity"].as_str(), Some("error" | "warning")), "{p}");
        assert!(p["line"].is_u64() && p["column"].is_u64() && p["path"].is_string() && p["message"].is_string(), "{p}");
        assert!(!p["code"].as_str().unwrap_or("").is_empty(), "{p}");
    }
    problems
}

fn errors_of(problems: &[serde_json::Value]) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| format!("{} {}: {}", p["code"].as_str().unwrap(), p["path"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect()
}

/// The official should-pass cases (schema cases) are read without a schema or code-list error
/// beyond placeholders (their `xx` codes); the ruleset's findings on them (minimal documents
/// have no dates) and what an import cannot make of them are counted. Every should-fail case
/// is answered with its problems, never a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_cases_are_previewed_with_their_problems_never_a_5xx() {
    let Some(dir) = reference() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let (b, desk) = empty_installation().await;
    // Every file under a folder, its subfolders too.
    let files = |sub: &str, ext: &str| {
        let (mut out, mut todo) = (Vec::new(), vec![dir.join("tests").join(sub)]);
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else if p.to_string_lossy().ends_with(ext) {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    };
    let pass = files("should-pass", ".xml");
    assert_eq!(pass.len(), 215, "the official should-pass cases");
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    let mut importable = 0;
    for f in &pass {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let r = upload(&desk, &name, &std::fs::read(f).unwrap()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text);
        let problems = problems_well_formed(&r);
        for e in errors_of(&problems) {
            let code = e.split(' ').next().unwrap().to_string();
            // No schema error and no refusal at the door: these are the schema's valid cases.
            // What lies beyond the schema is counted: placeholders (`xx`), made-up codes
            // (`YYY`), the validator's rules (a minimal document has no dates), and what an
            // import cannot make of a case.
            assert!(code != "schema" && code != "limit" && code != "xml-doctype" && !code.starts_with("0."), "{name}: {e}");
            *codes.entry(code).or_default() += 1;
        }
        importable += usize::from(r.body["totals"]["importable"].as_u64().unwrap() > 0);
    }
    let fail = files("should-fail", "");
    let mut flagged = 0;
    for f in &fail {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let r = upload(&desk, &name, &std::fs::read(f).unwrap()).await;
        assert!(r.status.is_success() || r.status.is_client_error(), "{name}: {} {}", r.status, r.text);
        if r.status == StatusCode::CREATED {
            let problems = problems_well_formed(&r);
            assert!(!problems.is_empty(), "{name}: a should-fail case with no problem: {}", r.text);
            flagged += 1;
        }
    }
    eprintln!(
        "should-pass: {} previewed, {importable} with something to import, errors beyond the schema: {codes:?}; should-fail: {} answered, {flagged} previewed with problems",
        pass.len(),
        fail.len()
    );
    assert_eq!(flagged, fail.len(), "every should-fail case is previewed with its problems");
    // Previews write nothing.
    assert_eq!(desk.get("/api/v1/plans").await.body["items"].as_array().unwrap().len(), 0);
    drop(b);
}

/// The three real publishers' files: previewed with their problems at their lines, applied
/// (the importable activities), and applied again as updates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_files_are_previewed_with_their_problems_and_applied() {
    let Some(dir) = reference() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let (b, desk) = empty_installation().await;
    // (file, activities, importable, at least this many problems, a problem code it must show)
    for (name, activities, importable, problems_at_least, code) in [
        ("example_203_file.xml", 13, 11, 8, "7.5.3"),
        ("MAEC_IATI_INDONESIA.xml", 83, 83, 626, "4.1.1"),
        ("example_203_references.xml", 577, 515, 316, "7.5.3"),
    ] {
        let bytes = std::fs::read(dir.join("tests/real").join(name)).unwrap();
        let r = upload(&desk, name, &bytes).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text);
        let problems = problems_well_formed(&r);
        let t = &r.body["totals"];
        assert_eq!((t["activities"].as_u64(), t["importable"].as_u64()), (Some(activities), Some(importable)), "{name}: {t}");
        assert!(problems.len() >= problems_at_least, "{name}: {} problems", problems.len());
        assert!(problems.iter().any(|p| p["code"] == code && p["line"].as_u64().unwrap() > 1), "{name}: no {code}");
        // Each refused activity says why, at its line.
        let refused: Vec<&serde_json::Value> = r.body["activities"].as_array().unwrap().iter().filter(|a| a["importable"] == false).collect();
        assert_eq!(refused.len() as u64, activities - importable, "{name}");
        let applied = desk.post(&format!("/api/v1/imports/{}/apply", r.id()), &json!({})).await;
        assert_eq!(applied.status, StatusCode::OK, "{name}: {}", applied.text);
        assert_eq!(applied.body["applied"].as_array().unwrap().len() as u64, importable, "{name}");
        // The same file again: updates only.
        let again = upload(&desk, name, &bytes).await;
        let t = &again.body["totals"];
        assert_eq!((t["plans_created"].as_u64(), t["items_created"].as_u64(), t["organisations_created"].as_u64()), (Some(0), Some(0), Some(0)), "{name}: {t}");
    }
    let plans = desk.get("/api/v1/plans?limit=500").await;
    assert!(plans.body["items"].as_array().unwrap().len() >= 83, "{}", plans.text);
    drop(b);
}

/// Files that are not IATI, or are built to hurt: each a clear problem or 4xx, never a 5xx,
/// and nothing written, not even when asked to apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_are_refused_clearly_and_change_nothing() {
    use std::io::Write;
    let (b, desk) = empty_installation().await;
    let orgs_before = desk.get("/api/v1/organisations?limit=500").await.body["items"].as_array().unwrap().len();
    let activity = |inner: &str| {
        format!("<iati-activities version=\"2.03\"><iati-activity><iati-identifier>XM-DAC-8-1</iati-identifier>{inner}</iati-activity></iati-activities>")
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mb = vec![b'<'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&mb).unwrap();
    }
    let gzip_bomb = gz.finish().unwrap();
    assert!(gzip_bomb.len() < 1 << 20, "64 MiB in {} bytes", gzip_bomb.len());
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&gzip_bomb);
    let laughs = {
        let mut d = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for i in 1..10 {
            d.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&lol{};", if i == 1 { String::new() } else { (i - 1).to_string() }).repeat(10)));
        }
        d.push_str("]><iati-activities version=\"2.03\">&lol9;</iati-activities>");
        d
    };
    let external = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><iati-activities version=\"2.03\"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>";
    let deep = format!(
        "<iati-activities version=\"2.03\"><iati-activity>{}{}</iati-activity></iati-activities>",
        "<description>".repeat(5000),
        "</description>".repeat(5000)
    );
    // One text node of 100 MB (the upload limit is 100 MiB).
    let huge = activity(&format!("<title><narrative>{}</narrative></title>", "a".repeat(100_000_000)));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("<iati-activities version=\"2.03\"/>".encode_utf16().flat_map(u16::to_le_bytes));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.txt", b"Minutes of the meeting, 3 March".to_vec(), "0.1.1"),
        ("empty.xml", Vec::new(), "0.1.1"),
        ("broken.xml", b"<iati-activities version=\"2.03\"><iati-activity>".to_vec(), "0.1.1"),
        ("org.xml", b"<iati-organisations version=\"2.03\"/>".to_vec(), "0.2.1"),
        ("other.xml", b"<html><body>hello</body></html>".to_vec(), "0.2.1"),
        ("old.xml", b"<iati-activities version=\"1.05\"><iati-activity/></iati-activities>".to_vec(), "0.6.1"),
        ("bomb.xml.gz", gzip_bomb, "0.1.1"),
        ("bomb.zip", zip, "0.1.1"),
        ("laughs.xml", laughs.into_bytes(), "xml-doctype"),
        ("xxe.xml", external.as_bytes().to_vec(), "xml-doctype"),
        ("deep.xml", deep.into_bytes(), "limit"),
        // 250,000 elements in one activity, on one line (minified): refused by the activity's
        // limits (16 MiB of tree, 200,000 elements), quickly.
        ("wide.xml", activity(&"<x/>".repeat(250_000)).into_bytes(), "limit"),
        // 20,000 elements with 1 KB attributes: under the element limit, over the byte budget.
        ("heavy.xml", activity(&format!("<x a=\"{}\"/>", "v".repeat(1000)).repeat(20_000)).into_bytes(), "limit"),
        ("huge.xml", huge.into_bytes(), "limit"),
        ("utf16.xml", utf16, "0.1.1"),
    ];
    for (name, bytes, code) in cases {
        let r = upload(&desk, name, &bytes).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", &r.text[..r.text.len().min(500)]);
        let problems = problems_well_formed(&r);
        assert_eq!(problems.len(), 1, "{name}: one problem, the refusal: {}", r.text);
        assert_eq!(problems[0]["code"], code, "{name}: {}", r.text);
        assert_eq!(problems[0]["severity"], "error", "{name}");
        assert!(r.text.len() < 10_000, "{name}: the answer does not echo the file ({} bytes)", r.text.len());
        assert_eq!(r.body["totals"]["importable"], 0, "{name}");
        let applied = desk.post(&format!("/api/v1/imports/{}/apply", r.id()), &json!({})).await;
        assert!(applied.has_error("activities", "none_importable"), "{name}: {}", applied.text);
    }
    // Over the upload limit: refused before it is read whole.
    let over = upload(&desk, "over.xml", &vec![b' '; (100 << 20) + (128 << 10)]).await;
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", &over.text[..over.text.len().min(300)]);
    // No file, or a JSON body.
    let (ct, body) = crate::implementation::multipart(&[("csrf", None, b"x")]);
    assert!(desk.raw(reqwest::Method::POST, "/api/v1/imports/iati", &ct, body, &[]).await.has_error("file", "required"));
    let (ct, body) = crate::implementation::multipart(&[("other", None, b"x")]);
    assert!(desk.raw(reqwest::Method::POST, "/api/v1/imports/iati", &ct, body, &[]).await.has_error("other", "unknown_field"));
    assert_eq!(desk.post("/api/v1/imports/iati", &json!({})).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Naming an activity the file does not hold.
    let ok = upload(&desk, "one.xml", activity("").as_bytes()).await;
    let bad = desk.post(&format!("/api/v1/imports/{}/apply", ok.id()), &json!({"activities": ["XM-DAC-8-2"]})).await;
    assert!(bad.has_error("activities.0", "unknown"), "{}", bad.text);
    assert_eq!(desk.post("/api/v1/imports/not-an-id/apply", &json!({})).await.status, StatusCode::NOT_FOUND);
    // Nothing was written.
    assert_eq!(desk.get("/api/v1/plans").await.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(desk.get("/api/v1/organisations?limit=500").await.body["items"].as_array().unwrap().len(), orgs_before);
    drop(b);
}

/// The workspace page: upload a file, read its preview (activities, organisations, problems at
/// their lines), choose activities and apply them; only the uploader sees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_page_previews_a_file_and_applies_the_chosen_activities() {
    let (b, desk) = empty_installation().await;
    let browser = b.browser_as("desk@test.example", PASSWORD).await;
    let home = browser.get("/").await;
    assert!(home.text.contains("href=\"/imports/iati\""), "the home page offers the import to those who may create plans");
    let form = browser.get("/imports/iati").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("enctype=\"multipart/form-data\"") && form.text.contains("name=\"file\""));
    // Two standalone activities; the second has no recipient country, a bad code and no lang.
    let file = r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-11-30T10:00:00Z">
 <iati-activity default-currency="EUR" xml:lang="en" last-updated-datetime="2026-11-30T10:00:00Z">
  <iati-identifier>XM-DAC-8-PEACE-1</iati-identifier>
  <reporting-org ref="XM-DAC-8" type="10"><narrative>Norway</narrative></reporting-org>
  <title><narrative>Demining training</narrative></title>
  <description><narrative>Training of deminers.</narrative></description>
  <participating-org role="1" ref="XM-DAC-8" type="10"><narrative>Norway</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2026-01-01"/>
  <activity-date type="3" iso-date="2027-12-31"/>
  <recipient-country code="RS" percentage="100"/>
  <sector vocabulary="1" code="15250" percentage="100"/>
 </iati-activity>
 <iati-activity default-currency="EUR" last-updated-datetime="2026-11-30T10:00:00Z">
  <iati-identifier>XM-DAC-8-PEACE-2</iati-identifier>
  <reporting-org ref="XM-DAC-8" type="10"><narrative>Norway</narrative></reporting-org>
  <title><narrative>Somewhere else</narrative></title>
  <activity-status code="99"/>
  <activity-date type="1" iso-date="2026-01-01"/>
 </iati-activity>
</iati-activities>"#;
    let (ct, body) = crate::implementation::multipart(&[("file", Some("norway.xml"), file.as_bytes())]);
    let up = browser.post_raw("/imports/iati", &ct, body).await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.text);
    let at = up.header("location");
    assert!(at.starts_with("/imports/"), "{at}");
    let page = browser.get(&at).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let html = &page.text;
    for part in [
        "norway.xml",
        "XM-DAC-8-PEACE-1",
        "XM-DAC-8-PEACE-2",
        "Demining training",
        "not importable",
        "name=\"activity\" value=\"XM-DAC-8-PEACE-1\"",
        "is not a code of the ActivityStatus list",
        "<code>codelist</code>",
        "Apply the chosen activities",
    ] {
        assert!(html.contains(part), "{part} in the preview page:\n{html}");
    }
    assert!(!html.contains("value=\"XM-DAC-8-PEACE-2\""), "a refused activity cannot be chosen");
    // The problem rows carry their line: activity 2's status is on line 19.
    assert!(html.contains("<td>19</td>"), "{html}");
    // Someone else gets nothing.
    let id = at.trim_start_matches("/imports/");
    assert_eq!(b.browser().get(&at).await.status, StatusCode::SEE_OTHER, "a visitor is sent to sign in");
    // Choosing nothing applies every importable activity; the page then says it was applied.
    let applied = browser.form(&format!("/imports/{id}/apply"), &[("activity", "XM-DAC-8-PEACE-1")]).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text);
    let after = browser.get(&at).await;
    assert!(after.text.contains("Applied: 1 activities"), "{}", after.text);
    assert!(!after.text.contains("Apply the chosen activities"));
    let plans = desk.get("/api/v1/plans").await;
    assert_eq!(plans.body["items"].as_array().unwrap().len(), 1, "{}", plans.text);
    assert_eq!(plans.body["items"][0]["code"], "PEACE-1");
    // Applying again is refused on the page, with the reason.
    let again = browser.form(&format!("/imports/{id}/apply"), &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("applied already"), "{}", again.text);
    // An upload without a file is refused on the form.
    let (ct, body) = crate::implementation::multipart(&[("csrf", None, b"x")]);
    let none = browser.post_raw("/imports/iati", &ct, body).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.text.contains("role=\"alert\""), "{}", none.text);
    // Serbian pages too.
    let sr = browser.get_with(&at, &[("accept-language", "sr")]).await;
    assert_eq!(sr.status, StatusCode::OK);
}

/// A file of more activities and problems than one page holds: the API's answer streams them
/// all, in file order, the counts agree, and the page shows them a page at a time (with no
/// choice of activities: applying takes every importable one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_preview_is_answered_whole_and_shown_a_page_at_a_time() {
    let (b, desk) = empty_installation().await;
    let page = liaison_app::imports::PAGE;
    let n = page + 150;
    // A plan and its items. Each item has a status that is not a code (a problem), and all but
    // every fiftieth no title (a second problem, and not importable: it keeps the test quick).
    let head = |id: &str, title: &str, status: &str| {
        format!(
            "<iati-activity default-currency=\"EUR\" xml:lang=\"en\"><iati-identifier>{id}</iati-identifier>\n<reporting-org ref=\"XM-DAC-8\" type=\"10\"><narrative>Norway</narrative></reporting-org>{title}\n<activity-status code=\"{status}\"/><activity-date type=\"1\" iso-date=\"2026-01-01\"/><recipient-country code=\"RS\" percentage=\"100\"/>"
        )
    };
    let mut file = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n");
    file.push_str(&head("XM-DAC-8-BIG", "<title><narrative>The plan</narrative></title>", "2"));
    file.push_str("</iati-activity>\n");
    for i in 0..n {
        let title = if i % 50 != 0 { String::new() } else { format!("<title><narrative>Activity {i}</narrative></title>") };
        file.push_str(&head(&format!("XM-DAC-8-BIG-{i}"), &title, "77"));
        file.push_str("<related-activity type=\"1\" ref=\"XM-DAC-8-BIG\"/></iati-activity>\n");
    }
    file.push_str("</iati-activities>\n");
    let r = upload(&desk, "big.xml", file.as_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", &r.text[..r.text.len().min(500)]);
    let problems = problems_well_formed(&r);
    let activities = r.body["activities"].as_array().unwrap();
    let t = &r.body["totals"];
    assert_eq!(activities.len(), n + 1, "every activity is in the answer");
    assert_eq!(t["activities"].as_u64(), Some(n as u64 + 1));
    assert_eq!(t["importable"].as_u64(), Some((1 + n.div_ceil(50)) as u64), "{t}");
    assert_eq!(t["items_created"].as_u64(), Some(n.div_ceil(50) as u64), "{t}");
    assert!(problems.len() > page, "{} problems", problems.len());
    assert_eq!(problems.len() as u64, t["errors"].as_u64().unwrap() + t["warnings"].as_u64().unwrap(), "the counts are those listed");
    // In file order: activities by identifier's position, problems by line and column.
    let lines: Vec<u64> = activities.iter().map(|a| a["line"].as_u64().unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "activities in file order");
    assert_eq!(activities[page + 1]["identifier"], format!("XM-DAC-8-BIG-{page}"));
    let places: Vec<(u64, u64)> = problems.iter().map(|p| (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap())).collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "problems in file order");
    assert!(problems.iter().any(|p| p["line"].as_u64() == Some(2 * (n as u64) + 4)), "the last activity's problems are there");
    // GET answers the same document.
    let again = desk.get(&format!("/api/v1/imports/{}", r.id())).await;
    assert_eq!(again.body, r.body);
    // The page: the first page of each, links to the next, and no choosing.
    let browser = b.browser_as("desk@test.example", PASSWORD).await;
    let first = browser.get(&format!("/imports/{}", r.id())).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.text.matches("<td><code>XM-DAC-8-BIG").count(), page, "one page of activities");
    assert!(first.text.contains(&format!("of {} activities are listed", n + 1)), "the page says it is one of several");
    assert!(!first.text.contains("name=\"activity\""), "no choice when not every activity is shown");
    assert!(first.text.contains("Apply every importable activity"));
    let next = first
        .text
        .split("href=\"")
        .find(|h| h.contains("problems_after="))
        .map(|h| h.split('"').next().unwrap().to_string())
        .expect("a link to the next problems");
    let second = browser.get(&next.replace("&amp;", "&")).await;
    assert_eq!(second.status, StatusCode::OK);
    let shown = second.text.matches("class=\"badge severity-").count();
    assert_eq!(shown, (problems.len() - page).min(page), "the second page holds the next");
    let from = problems[page]["line"].as_u64().unwrap();
    assert!(second.text.contains(&format!("from line {from}")), "it starts where the first ended");
    let acts = browser.get(&format!("/imports/{}?activities_after={}", r.id(), page - 1)).await;
    assert_eq!(acts.text.matches("<td><code>XM-DAC-8-BIG").count(), n + 1 - page);
    // A page asked for with nonsense is refused on the page, not a 5xx.
    for bad in ["problems_after=1.2", "problems_after=a.b.c", "activities_after=-1"] {
        let r2 = browser.get(&format!("/imports/{}?{bad}", r.id())).await;
        assert_eq!(r2.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // Applying takes every importable one.
    let applied = browser.form(&format!("/imports/{}/apply", r.id()), &[]).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text);
    let after = desk.get(&format!("/api/v1/imports/{}", r.id())).await;
    assert_eq!(after.body["state"], "applied");
    assert_eq!(after.body["activities"].as_array().unwrap().len(), n + 1);
    assert_eq!(after.body["problems"].as_array().unwrap().len(), problems.len(), "the problems as applied, once each");
}

/// Every demo plan, at every level of its framework and on the portal: valid against the
/// official schema and free of the validator's rule errors (the demo holds what real plans
/// hold: figures by sex only, percentages, qualitative indicators, offers in every state).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_plan_exports_valid_iati_at_every_level() {
    let db = liaison_store::testing::TestDb::new().await;
    let app = app_on(db.open().await, test_config());
    liaison_demo::load(&app).await.expect("demo");
    let s = Server::serve(app.clone(), db, liaison_web::WebConfig::default()).await;
    let coord = s.anon();
    let r = coord.post("/api/v1/auth/login", &json!({"email": "coordinator@demo.test", "password": liaison_demo::PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK);
    let frameworks = coord.get("/api/v1/frameworks").await;
    let plans = coord.get("/api/v1/plans").await;
    let mut files = 0;
    for p in plans.body["items"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let fw = frameworks.body.as_array().unwrap().iter().find(|f| f["code"] == p["framework"]).unwrap_or_else(|| panic!("{}", frameworks.text));
        let levels: Vec<String> = fw["levels"].as_array().unwrap().iter().map(|l| l["key"].as_str().unwrap().to_string()).collect();
        for level in std::iter::once(None).chain(levels.iter().map(Some)) {
            let path = match level {
                Some(l) => format!("/api/v1/plans/{id}/iati.xml?level={l}"),
                None => format!("/api/v1/plans/{id}/iati.xml"),
            };
            let x = coord.get(&path).await;
            if x.status == StatusCode::UNPROCESSABLE_ENTITY && level.is_some() {
                // A level the plan has no items at.
                assert!(x.has_error("level", "invalid"), "{path}: {}", x.text);
                continue;
            }
            assert_eq!(x.status, StatusCode::OK, "{path}: {}", x.text);
            schema_valid(x.text.as_bytes());
            assert_eq!(rule_errors(x.text.as_bytes()), Vec::<String>::new(), "{} {path}", p["code"]);
            files += 1;
        }
        let public = s.anon().get(&format!("/public/plans/{id}/iati.xml")).await;
        if public.status == StatusCode::OK {
            schema_valid(public.text.as_bytes());
            assert_eq!(rule_errors(public.text.as_bytes()), Vec::<String>::new(), "{} public", p["code"]);
            files += 1;
        }
    }
    assert!(files >= 8, "{files} files checked");
}

/// An import has its own time limit; one cut short answers 408 and leaves nothing behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_cut_short_by_its_time_limit_changes_nothing() {
    let Some(dir) = reference() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let web = liaison_web::WebConfig { import_timeout: std::time::Duration::from_millis(50), ..liaison_web::WebConfig::default() };
    let (b, desk) = empty_installation_with(web).await;
    let bytes = std::fs::read(dir.join("tests/real/example_203_references.xml")).unwrap();
    let r = upload(&desk, "iom.xml", &bytes).await;
    assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT, "{}", &r.text[..r.text.len().min(300)]);
    assert_eq!(r.body["type"], "urn:liaison:problem:timeout");
    // Other requests keep the usual limit; nothing of the import was kept.
    let plans = desk.get("/api/v1/plans").await;
    assert_eq!(plans.status, StatusCode::OK);
    assert_eq!(plans.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(desk.get("/api/v1/organisations?limit=500").await.body["items"].as_array().unwrap().len(), 1, "only the office");
    drop(b);
}
