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
