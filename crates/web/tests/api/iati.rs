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

    // An empty installation: one office and one coordinator.
    let b = Server::start().await;
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
