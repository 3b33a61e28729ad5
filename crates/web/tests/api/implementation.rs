//! Following implementation: the review workflow and who may do what in it, locking, the
//! reporting calendar and reminders with an injected clock, evidence files, assessments side
//! by side, and summaries that count only what each reader may see.

use crate::support::*;
use liaison_app::{App, Ctx};
use liaison_domain::PlanId;
use liaison_domain::item::NewItem;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::PlanState;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Put a plan into implementation (its agreement is tested elsewhere).
pub async fn implement(app: &App, plan: PlanId) {
    let mut p = liaison_store::plans::get(&app.db().unfiltered(), plan).await.unwrap().unwrap();
    let v = p.version;
    p.state = PlanState::Implementation;
    p.version += 1;
    let tx = app.db().begin().await.unwrap();
    liaison_store::plans::update(&tx, &p, v).await.unwrap();
    tx.commit(&Ctx::system("test").provenance(app.now())).await.unwrap();
}

/// An item of `plan` made by the program: code, lead organisation, marking, parent.
pub async fn item(
    app: &App,
    plan: PlanId,
    code: &str,
    lead: Option<liaison_domain::OrganisationId>,
    marking: Option<Marking>,
    parent: Option<liaison_domain::ItemId>,
) -> liaison_domain::ItemId {
    let input: NewItem = serde_json::from_value(json!({"code": code, "title": {"en": format!("Item {code}")}, "parent": parent})).unwrap();
    let input = NewItem { lead_organisation: lead, marking, downgrade: true, ..input };
    liaison_app::items::create(app, &Ctx::system("test"), plan, input).await.expect("item").id
}

fn not_srb() -> Marking {
    Marking::new(Level::NatoRestricted, &[], "NATO")
}

async fn step(api: &Api, update: &Value, step: &str, reason: Option<&str>) -> Answer {
    let etag = format!("\"{}\"", update["version"]);
    let mut body = json!({"step": step});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    api.post_if(&format!("/api/v1/updates/{}/steps", update["id"].as_str().unwrap()), &etag, &body).await
}

#[tokio::test]
async fn progress_updates_follow_their_workflow_and_permissions() {
    let clock = TestClock::new();
    clock.set_day("2015-04-05");
    let f = Fixture::on(Server::with_clock(clock.clone(), liaison_web::WebConfig::default()).await).await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let b = item(app, f.plan.id, "2", Some(f.orgs["MFA"]), None, None).await;
    let (reporter, coordinator, partner, viewer, ally) =
        (f.as_("reporter").await, f.as_("coordinator").await, f.as_("partner").await, f.as_("viewer").await, f.as_("ally").await);
    let draft = json!({"period": "2015-Q1", "status": "in_progress", "percent": 40, "narrative": "Two courses held."});
    let r = reporter.post(&format!("/api/v1/items/{a}/updates"), &draft).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["state"], "draft");
    let mut u = r.body.clone();
    assert_eq!(reporter.post(&format!("/api/v1/items/{b}/updates"), &draft).await.status, StatusCode::FORBIDDEN, "another organisation leads item 2");
    assert_eq!(partner.post(&format!("/api/v1/items/{b}/updates"), &draft).await.status, StatusCode::CREATED, "partner editors report on any item");
    for who in [&viewer, &ally, &coordinator] {
        assert_eq!(
            who.post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q2", "status": "planned", "percent": 0})).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let dup = reporter.post(&format!("/api/v1/items/{a}/updates"), &draft).await;
    assert!(dup.has_error("period", "taken"), "{}", dup.text);
    let bad = reporter.post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2031-Q1", "status": "completed", "percent": 60, "narrative": "x"})).await;
    assert!(bad.has_error("period", "unknown") && bad.has_error("percent", "inconsistent"), "every problem at once: {}", bad.text);
    // A draft is not reviewed; the coordinator does not edit reports.
    assert_eq!(step(&coordinator, &u, "approve", None).await.status, StatusCode::CONFLICT);
    let path = format!("/api/v1/updates/{}", u["id"].as_str().unwrap());
    assert_eq!(coordinator.patch(&path, &format!("\"{}\"", u["version"]), &json!({"percent": 90})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(reporter.patch(&path, "\"99\"", &json!({"percent": 45})).await.status, StatusCode::PRECONDITION_FAILED);
    // Submit: the coordinators hear of it.
    let r = step(&reporter, &u, "submit", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    u = r.body.clone();
    assert_eq!(u["state"], "submitted");
    let inbox = coordinator.get("/api/v1/me/notifications").await;
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|n| n["kind"] == "update_submitted"), "{}", inbox.text);
    assert_eq!(reporter.patch(&path, &format!("\"{}\"", u["version"]), &json!({"percent": 45})).await.status, StatusCode::CONFLICT, "under review");
    assert_eq!(step(&reporter, &u, "approve", None).await.status, StatusCode::FORBIDDEN);
    // Return needs a reason.
    let r = step(&coordinator, &u, "return", None).await;
    assert!(r.has_error("reason", "required"), "{}", r.text);
    let r = step(&coordinator, &u, "return", Some("List the courses")).await;
    assert_eq!(r.body["state"], "returned");
    assert_eq!(r.body["reason"], "List the courses");
    u = r.body.clone();
    assert!(reporter.get("/api/v1/me/notifications").await.body["items"].as_array().unwrap().iter().any(|n| n["kind"] == "update_reviewed"));
    let r = reporter.patch(&path, &format!("\"{}\"", u["version"]), &json!({"percent": 50, "narrative": "Courses: NCO leadership; staff English."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    u = step(&reporter, &r.body, "submit", None).await.body;
    assert_eq!(u["state"], "submitted");
    assert_eq!(u["reason"], Value::Null, "the reason goes once resubmitted");
    // Approve: locked, and the item takes the reported status.
    let before = coordinator.get(&format!("/api/v1/items/{a}")).await;
    assert_eq!(before.body["status"], "planned");
    let r = step(&coordinator, &u, "approve", None).await;
    assert_eq!(r.body["state"], "approved", "{}", r.text);
    u = r.body.clone();
    assert_eq!(coordinator.get(&format!("/api/v1/items/{a}")).await.body["status"], "in_progress");
    let r = reporter.patch(&path, &format!("\"{}\"", u["version"]), &json!({"percent": 99})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "approved updates are locked: {}", r.text);
    // The period's figures are locked with it.
    let ind = coordinator
        .post(
            &format!("/api/v1/items/{a}/indicators"),
            &json!({"name": {"en": "Officers trained"}, "unit": "officers", "measure": "number", "cumulative": true}),
        )
        .await;
    assert_eq!(ind.status, StatusCode::CREATED, "{}", ind.text);
    let m = reporter.post(&format!("/api/v1/indicators/{}/measurements", ind.id()), &json!({"period": "2015-Q1", "value": 12})).await;
    assert_eq!(m.status, StatusCode::CONFLICT, "{}", m.text);
    assert_eq!(
        reporter.post(&format!("/api/v1/indicators/{}/measurements", ind.id()), &json!({"period": "2015-Q2", "value": 12})).await.status,
        StatusCode::CREATED
    );
    // Reopening needs a reason; it is audited.
    assert!(step(&coordinator, &u, "reopen", None).await.has_error("reason", "required"));
    let r = step(&coordinator, &u, "reopen", Some("The figures were for Q2")).await;
    assert_eq!(r.body["state"], "returned");
    let history = reporter.get(&format!("{path}/history")).await;
    let actions: Vec<&str> = history.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["reopen", "approve", "submit", "update", "return", "submit", "create"]);
    // An item with reports is not deleted: it is cancelled.
    let item_now = coordinator.get(&format!("/api/v1/items/{a}")).await;
    assert_eq!(coordinator.delete(&format!("/api/v1/items/{a}"), &item_now.etag()).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn locked_periods_take_nothing_until_unlocked_with_a_reason() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let (coordinator, reporter, partner, security) = (f.as_("coordinator").await, f.as_("reporter").await, f.as_("partner").await, f.as_("security").await);
    let periods = coordinator.get(&f.plan_path("/periods")).await;
    let keys: Vec<&str> = periods.body.as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 8, "quarters of 2015 and 2016: {keys:?}");
    let q2 = periods.body.as_array().unwrap().iter().find(|p| p["key"] == "2015-Q2").unwrap().clone();
    assert_eq!(q2["due"], "2015-07-15");
    let path = f.plan_path("/periods/2015-Q2");
    assert_eq!(partner.patch(&path, &format!("\"{}\"", q2["version"]), &json!({"locked": true})).await.status, StatusCode::FORBIDDEN);
    let locked = coordinator.patch(&path, &format!("\"{}\"", q2["version"]), &json!({"locked": true})).await;
    assert_eq!(locked.body["locked"], true, "{}", locked.text);
    let r = reporter.post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q2", "status": "in_progress", "percent": 10})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let no_reason = coordinator.patch(&path, &locked.etag(), &json!({"locked": false})).await;
    assert!(no_reason.has_error("reason", "required"), "{}", no_reason.text);
    let open = coordinator.patch(&path, &locked.etag(), &json!({"locked": false, "reason": "MoD sent late evidence"})).await;
    assert_eq!(open.body["locked"], false);
    assert_eq!(
        reporter.post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q2", "status": "in_progress", "percent": 10})).await.status,
        StatusCode::CREATED
    );
    let audit = security.get(&format!("/api/v1/audit?action=unlock&plan={}", f.plan.id)).await;
    let rows = audit.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", audit.text);
    assert_eq!(rows[0]["after"]["reason"], "MoD sent late evidence");
    // Custom periods are checked; a period with reports stays.
    let bad = coordinator.post(&f.plan_path("/periods"), &json!({"key": "2015-H1", "starts": "2015-01-01", "ends": "2015-06-30"})).await;
    assert!(bad.has_error("starts", "overlap"), "{}", bad.text);
    let q2_now = coordinator.get(&f.plan_path("/periods")).await.body.as_array().unwrap().iter().find(|p| p["key"] == "2015-Q2").unwrap().clone();
    assert_eq!(coordinator.delete(&path, &format!("\"{}\"", q2_now["version"])).await.status, StatusCode::CONFLICT);
    let q4_16 = coordinator.get(&f.plan_path("/periods")).await.body.as_array().unwrap().iter().find(|p| p["key"] == "2016-Q4").unwrap().clone();
    assert_eq!(coordinator.delete(&f.plan_path("/periods/2016-Q4"), &format!("\"{}\"", q4_16["version"])).await.status, StatusCode::NO_CONTENT);
    let added =
        coordinator.post(&f.plan_path("/periods"), &json!({"key": "2016-Q4x", "starts": "2016-10-01", "ends": "2016-12-31", "due": "2017-01-31"})).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
}

#[tokio::test]
async fn the_calendar_and_its_reminders_follow_the_clock() {
    let clock = TestClock::new();
    clock.set_day("2015-04-01");
    let f = Fixture::on(Server::with_clock(clock.clone(), liaison_web::WebConfig::default()).await).await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    item(app, f.plan.id, "2", Some(f.orgs["MFA"]), None, None).await;
    // Hidden from the reporter (above their clearance): never counted in their reminders.
    item(app, f.plan.id, "3", Some(f.orgs["MoD"]), Some(Marking::new(Level::NatoConfidential, &["SRB"], "NATO")), None).await;
    // Tokens: sessions would expire as the clock jumps ahead.
    let (reporter, partner, coordinator) = (f.token("reporter").await, f.token("partner").await, f.token("coordinator").await);
    let st = coordinator.get(&f.plan_path("/periods/2015-Q1/status")).await;
    assert_eq!(st.body["phase"], "reporting", "{}", st.text);
    assert_eq!((st.body["owed"].as_u64(), st.body["reported"].as_u64()), (Some(3), Some(0)));
    let mine = reporter.get(&f.plan_path("/periods/2015-Q1/status")).await;
    assert_eq!(mine.body["owed"], 2, "the reporter does not see item 3");
    assert_eq!(liaison_app::notifications::remind(app).await.unwrap(), 0, "two weeks before the due date");
    // The partner's editor reads Liaison in Serbian: their reminders are written in it.
    assert_eq!(partner.send(Method::PUT, "/api/v1/me/language", Some(&json!({"language": "sr-Cyrl"})), &[]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.get("/api/v1/me").await.body["user"]["language"], "sr-Cyrl");
    clock.set_day("2015-04-10");
    assert_eq!(liaison_app::notifications::remind(app).await.unwrap(), 2, "the reporter and the partner editor");
    assert_eq!(liaison_app::notifications::remind(app).await.unwrap(), 0, "once");
    let inbox = reporter.get("/api/v1/me/notifications").await;
    assert_eq!(inbox.body["unread"], 1, "{}", inbox.text);
    let subject = inbox.body["items"][0]["subject"].as_str().unwrap().to_string();
    assert!(subject.contains("due on 2015-04-15") && subject.contains("(1 outstanding)"), "{subject}");
    let theirs = partner.get("/api/v1/me/notifications").await;
    let subject = theirs.body["items"][0]["subject"].as_str().unwrap().to_string();
    assert!(subject.contains("доспевају 2015-04-15") && subject.contains("(недостаје 3)"), "the partner editor reports on all three: {subject}");
    let body = theirs.body["items"][0]["body"].as_str().unwrap().to_string();
    assert!(body.starts_with("За 3 ставке о којима извештавате"), "Serbian plural (few): {body}");
    let r = reporter
        .post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q1", "status": "in_progress", "percent": 20, "narrative": "Begun."}))
        .await;
    step(&reporter, &r.body, "submit", None).await;
    clock.set_day("2015-04-20");
    assert_eq!(coordinator.get(&f.plan_path("/periods/2015-Q1/status")).await.body["phase"], "overdue");
    assert_eq!(liaison_app::notifications::remind(app).await.unwrap(), 1, "late: only the partner still owes a report");
    let late = partner.get("/api/v1/me/notifications").await;
    assert!(late.body["items"][0]["subject"].as_str().unwrap().contains("касне извештаји за 2015-Q1 (недостаје 2)"), "{}", late.text);
    let st = coordinator.get(&f.plan_path("/periods/2015-Q1/status")).await;
    assert_eq!(st.body["reported"], 1);
    assert_eq!(st.body["missing"].as_array().unwrap().len(), 2, "MFA and MoD (item 3): {}", st.text);
    clock.set_day("2015-06-01");
    assert_eq!(liaison_app::notifications::remind(app).await.unwrap(), 0, "a month late the inbox stops; Q2 has not ended");
    let read = reporter.post("/api/v1/me/notifications/read", &json!({})).await;
    assert_eq!(read.body["marked"], 1);
    assert_eq!(reporter.get("/api/v1/me/notifications").await.body["unread"], 0);
}

pub fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "liaison-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, filename, content) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn evidence_files_are_checked_marked_and_served_only_to_those_who_may_see_them() {
    let config = liaison_app::AppConfig { max_upload_bytes: 4096, ..test_config() };
    let f = Fixture::on(Server::start_with(config, liaison_web::WebConfig::default()).await).await;
    implement(&f.server.app, f.plan.id).await;
    let a = item(&f.server.app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let (partner, coordinator, viewer) = (f.as_("partner").await, f.as_("coordinator").await, f.as_("viewer").await);
    let path = f.plan_path("/attachments");
    let pdf = b"%PDF-1.4\n% course report\n";
    let (ct, body) = multipart(&[("file", Some("Course report.pdf"), pdf)]);
    let r = partner.raw(Method::POST, &path, &ct, body.clone(), &[]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["media_type"], "application/pdf");
    assert_eq!(r.body["marking"]["releasable_to"], json!(["SRB"]), "the plan's marking by default");
    let first = r.body.clone();
    let again = partner.raw(Method::POST, &path, &ct, body, &[]).await;
    assert_eq!(again.body["sha256"], first["sha256"], "stored once per content");
    assert_ne!(again.id(), first["id"].as_str().unwrap());
    for (name, bytes, code) in [("tool.exe", &b"MZ\x90\x00"[..], "type"), ("empty.pdf", &b""[..], "empty"), ("big.pdf", &[b'%'; 5000][..], "too_large")] {
        let (ct, body) = multipart(&[("file", Some(name), bytes)]);
        let r = partner.raw(Method::POST, &path, &ct, body, &[]).await;
        assert!(r.has_error("file", code), "{name}: {}", r.text);
    }
    let (ct, body) = multipart(&[("file", Some("huge.pdf"), &vec![b'%'; 200_000])]);
    assert_eq!(partner.raw(Method::POST, &path, &ct, body, &[]).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let (ct, body) = multipart(&[("file", Some("x.pdf"), pdf)]);
    assert_eq!(viewer.raw(Method::POST, &path, &ct, body, &[]).await.status, StatusCode::FORBIDDEN);
    // An alliance-only file: the partner cannot see it, nor cite it as evidence.
    let (ct, body) = multipart(&[("file", Some("assessment.pdf"), pdf), ("level", None, b"nato_restricted")]);
    let secret = coordinator.raw(Method::POST, &path, &ct, body, &[]).await;
    assert_eq!(secret.status, StatusCode::CREATED, "{}", secret.text);
    let sid = secret.id();
    assert_eq!(partner.get(&format!("/api/v1/attachments/{sid}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(partner.get(&format!("/api/v1/attachments/{sid}/content")).await.status, StatusCode::NOT_FOUND);
    assert!(!partner.get(&path).await.text.contains(&sid));
    let file = coordinator.get(&format!("/api/v1/attachments/{sid}/content")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.text.as_bytes(), pdf);
    assert!(file.header("content-disposition").starts_with("attachment; filename=\"assessment.pdf\""));
    assert_eq!(file.header("x-content-type-options"), "nosniff");
    assert!(file.header("content-security-policy").contains("sandbox"));
    let r = partner
        .post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q1", "status": "in_progress", "percent": 10, "evidence": [first["id"], sid]}))
        .await;
    assert!(r.has_error("evidence.1", "unknown") && !r.has_error("evidence.0", "unknown"), "{}", r.text);
}

#[tokio::test]
async fn assessments_sit_side_by_side_each_written_by_its_own_perspective() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    let (partner, coordinator, assessor) = (f.as_("partner").await, f.as_("coordinator").await, f.as_("assessor").await);
    let start = json!({"period": "2015-Q4", "perspective": "self", "scale": "completion"});
    assert_eq!(partner.post(&f.plan_path("/assessments"), &start).await.status, StatusCode::CONFLICT, "not while drafting");
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let h = item(app, f.plan.id, "2", None, Some(not_srb()), None).await;
    let mine = partner.post(&f.plan_path("/assessments"), &start).await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.text);
    assert_eq!(
        partner.post(&f.plan_path("/assessments"), &json!({"period": "2015-Q4", "perspective": "alliance", "scale": "rag"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(partner.post(&f.plan_path("/assessments"), &start).await.has_error("perspective", "taken"));
    let theirs = coordinator.post(&f.plan_path("/assessments"), &json!({"period": "2015-Q4", "perspective": "alliance", "scale": "completion"})).await;
    let indep = assessor.post(&f.plan_path("/assessments"), &json!({"period": "2015-Q4", "perspective": "independent", "scale": "rag"})).await;
    assert_eq!(indep.status, StatusCode::CREATED, "{}", indep.text);
    let rate = |api: &Api, x: &Answer, ratings: Value| {
        let api = api.clone();
        let (id, etag) = (x.id(), x.etag());
        async move { api.patch(&format!("/api/v1/assessments/{id}"), &etag, &json!({"ratings": ratings})).await }
    };
    let r = rate(&partner, &mine, json!([{"item": a, "rating": "complete"}, {"item": h, "rating": "limited"}])).await;
    assert!(r.has_error("ratings.1.item", "unknown"), "a hidden item is unknown to the partner: {}", r.text);
    let r = rate(&partner, &mine, json!([{"item": a, "rating": "green"}])).await;
    assert!(r.has_error("ratings.0.rating", "unknown"), "not on the completion scale");
    let mine2 = rate(&partner, &mine, json!([{"item": a, "rating": "complete", "narrative": "Both courses held."}])).await;
    assert_eq!(mine2.status, StatusCode::OK, "{}", mine2.text);
    let theirs2 = rate(&coordinator, &theirs, json!([{"item": a, "rating": "limited"}, {"item": h, "rating": "not_started"}])).await;
    assert_eq!(theirs2.body["ratings"].as_array().unwrap().len(), 2);
    rate(&assessor, &indep, json!([{"item": a, "rating": "amber"}])).await;
    // Side by side: the alliance and the partner disagree on item 1.
    let cmp = partner.get(&f.plan_path("/assessments/compare?period=2015-Q4")).await;
    assert_eq!(cmp.body["disagreements"], 1, "{}", cmp.text);
    let row = cmp.body["rows"].as_array().unwrap().iter().find(|r| r["item"] == json!(a)).unwrap();
    assert_eq!(row["ratings"]["self"]["rating"], "complete");
    assert_eq!(row["ratings"]["alliance"]["rating"], "limited");
    assert_eq!(row["ratings"]["independent"]["rating"], "amber");
    assert!(!cmp.text.contains(&h.to_string()), "the hidden item's rating never reaches the partner");
    let seen = partner.get(&format!("/api/v1/assessments/{}", theirs.id())).await;
    assert_eq!(seen.body["ratings"].as_array().unwrap().len(), 1);
    // Final needs a judgement; then nothing changes.
    let fin = partner.patch(&format!("/api/v1/assessments/{}", mine.id()), &mine2.etag(), &json!({"final": true})).await;
    assert!(fin.has_error("narrative", "required"), "{}", fin.text);
    let fin = partner.patch(&format!("/api/v1/assessments/{}", mine.id()), &mine2.etag(), &json!({"final": true, "narrative": "On track."})).await;
    assert_eq!(fin.body["state"], "final");
    assert_eq!(partner.patch(&format!("/api/v1/assessments/{}", mine.id()), &fin.etag(), &json!({"narrative": "x"})).await.status, StatusCode::CONFLICT);
}

/// Figures two readers can compare: everything but what names records.
fn figures(s: &Value) -> Value {
    json!({
        "items": s["items"], "by_status": s["by_status"], "by_area": s["by_area"], "progress": s["progress"],
        "progress_by_area": s["progress_by_area"], "overdue_count": s["overdue_count"], "indicators": s["indicators"],
        "gender": s["gender"], "over_time": s["over_time"],
    })
}

#[tokio::test]
async fn summaries_count_only_what_each_reader_sees_and_reveal_nothing_hidden() {
    let clock = TestClock::new();
    clock.set_day("2015-07-20");
    let f = Fixture::on(Server::with_clock(clock.clone(), liaison_web::WebConfig::default()).await).await;
    let app = &f.server.app;
    let sys = Ctx::system("test");
    // Two plans: X with an alliance-only part, Y the same without it.
    let mut y = f.plan.clone();
    y.id = PlanId(app.new_id());
    y.code = "IPAP-Y".into();
    let tx = app.db().begin().await.unwrap();
    liaison_store::plans::insert(&tx, &y).await.unwrap();
    tx.commit(&sys.provenance(app.now())).await.unwrap();
    let partner = f.as_("partner").await;
    let coordinator = f.as_("coordinator").await;
    let mut summaries = Vec::new();
    for (plan, with_hidden) in [(f.plan.id, true), (y.id, false)] {
        for who in ["coordinator", "partner"] {
            let u = liaison_app::users::find_by_email(app, &sys, &f.emails[who]).await.unwrap();
            if liaison_app::plans::members(app, &sys, plan).await.unwrap().iter().all(|m| m.user != u.id) {
                let role = if who == "partner" { liaison_domain::access::Role::PartnerEditor } else { liaison_domain::access::Role::Coordinator };
                liaison_app::plans::set_member(app, &sys, plan, liaison_app::plans::SetMember { user: u.id, role }).await.unwrap();
            }
        }
        implement(app, plan).await;
        let root = item(app, plan, "1", Some(f.orgs["MoD"]), None, None).await;
        let a = item(app, plan, "1.1", Some(f.orgs["MoD"]), None, Some(root)).await;
        let b = item(app, plan, "1.2", Some(f.orgs["MoD"]), None, Some(root)).await;
        let mut reported = vec![(a, 60u8), (b, 20u8)];
        let mut measured = vec![a];
        if with_hidden {
            let h = item(app, plan, "1.3", Some(f.orgs["MoD"]), Some(not_srb()), Some(root)).await;
            let h_root = item(app, plan, "9", None, Some(not_srb()), None).await;
            reported.push((h, 100));
            reported.push((h_root, 100));
            measured.push(h);
        }
        // Figures first: approving a report locks its period's figures.
        for id in measured {
            let ind = liaison_app::indicators::create(
                app,
                &sys,
                id,
                serde_json::from_value(json!({"name": {"en": "People trained"}, "measure": "number", "cumulative": true,
                    "targets": [{"period": "2015-Q2", "value": 20}], "dimension": {"key": "sex", "categories": ["women", "men"]}}))
                .unwrap(),
            )
            .await
            .unwrap();
            liaison_app::indicators::record(
                app,
                &sys,
                ind.id,
                serde_json::from_value(json!({"period": "2015-Q2", "by_category": {"women": 4, "men": 6}})).unwrap(),
            )
            .await
            .unwrap();
        }
        for (id, pct) in reported {
            let u = liaison_app::progress::create(
                app,
                &sys,
                id,
                serde_json::from_value(json!({"period": "2015-Q2", "status": "in_progress", "percent": pct, "narrative": "Reported."})).unwrap(),
            )
            .await
            .unwrap();
            let u = liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "submit"})).unwrap()).await.unwrap();
            liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "approve"})).unwrap()).await.unwrap();
        }
        let p = partner.get(&format!("/api/v1/plans/{plan}/summary")).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        let c = coordinator.get(&format!("/api/v1/plans/{plan}/summary")).await;
        summaries.push((p.body, c.body));
    }
    let ((px, cx), (py, cy)) = (&summaries[0], &summaries[1]);
    assert_eq!(px["period"], "2015-Q3");
    assert_eq!(cx["items"], 5);
    assert_eq!(px["items"], 3);
    assert_eq!(cy["items"], 3);
    assert_eq!(figures(px), figures(py), "the partner's view of X is exactly a plan without the hidden part");
    assert_ne!(figures(cx), figures(cy));
    assert_eq!(px["progress"], 40.0, "(60 + 20) / 2 under the one root the partner sees");
    assert_eq!(cx["progress"], 80.0, "root 1 at (60 + 20 + 100) / 3 = 60 and the hidden root 9 at 100, for the coordinator");
    assert_eq!(px["by_status"]["in_progress"], 2);
    assert_eq!(px["gender"]["by_sex"]["women"], 4.0);
    assert_eq!(cx["gender"]["by_sex"]["women"], 8.0);
    assert_eq!(px["indicators"]["with_target"], 1);
    assert_eq!(px["indicators"]["mean_achievement"], 50.0, "10 of 20, carried into Q3 as a total to date");
    // The CSV report follows the same rule.
    let csv = partner.get(&format!("/api/v1/plans/{}/report.csv", f.plan.id)).await;
    assert!(csv.content_type().starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}NATO UNCLASSIFIED"), "a byte order mark, then the marking: {}", lines[0]);
    assert!(lines[1].starts_with("plan,period,code,level,title,status,progress_percent"));
    assert!(lines.iter().any(|l| l.contains(",1.1,")) && !lines.iter().any(|l| l.contains(",1.3,") || l.contains(",9,")), "{}", csv.text);
    assert!(lines.iter().any(|l| l.contains("People trained") && l.contains(",10.0,20.0,50.0,4.0,6.0,")), "{}", csv.text);
    let hidden_csv = coordinator.get(&format!("/api/v1/plans/{}/report.csv?period=2015-Q2&lang=sr-Latn", f.plan.id)).await;
    assert!(hidden_csv.text.contains(",1.3,"));
    // The workbook holds the same rows for the same reader, figures as numbers.
    let x = partner.get(&format!("/api/v1/plans/{}/report.xlsx", f.plan.id)).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.text);
    let book = liaison_interop::sheet::read(&x.bytes, Default::default()).unwrap();
    let g = &book.sheets[0];
    assert_eq!(g.cell(0, 0).text(), lines[0].trim_start_matches('\u{feff}').split(',').next().unwrap(), "the same marking first");
    let codes: Vec<String> = (3..g.rows.len()).map(|r| g.cell(r, 2).text()).collect();
    assert!(codes.contains(&"1.1".to_string()) && !codes.contains(&"1.3".to_string()) && !codes.contains(&"9".to_string()), "{codes:?}");
    assert_eq!(g.rows.len() - 3, lines.len() - 2, "as many rows as the CSV");
    crate::files::libreoffice_opens_if_asked(&x.bytes, "xlsx");
    // Every export is in the audit trail, with who took it and how much.
    let audit = f.as_("security").await.get("/api/v1/audit?action=export").await;
    let rows = audit.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{}", audit.text);
    assert_eq!(rows[0]["after"]["format"], "xlsx");
    assert!(rows.iter().all(|r| r["actor"].is_string()));
    assert!(coordinator.get(&format!("/api/v1/plans/{}/summary?period=2031-Q1", f.plan.id)).await.has_error("period", "unknown"));
}

#[tokio::test]
async fn cached_summaries_follow_every_change_to_their_plan() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let coordinator = f.as_("coordinator").await;
    let ind = coordinator
        .post(
            &format!("/api/v1/items/{a}/indicators"),
            &json!({"name": {"en": "Courses"}, "measure": "number", "cumulative": true, "targets": [{"period": "2015-Q1", "value": 10}]}),
        )
        .await;
    let summary = |p: &str| {
        let c = coordinator.clone();
        let path = f.plan_path(&format!("/summary?period={p}"));
        async move { c.get(&path).await.body }
    };
    assert_eq!(summary("2015-Q1").await["indicator_standings"][0]["actual"], Value::Null);
    let m = f.as_("reporter").await.post(&format!("/api/v1/indicators/{}/measurements", ind.id()), &json!({"period": "2015-Q1", "value": 4})).await;
    assert_eq!(m.status, StatusCode::CREATED);
    assert_eq!(summary("2015-Q1").await["indicator_standings"][0]["actual"], 4.0, "a new figure shows at once");
    let i2 = coordinator.patch(&format!("/api/v1/indicators/{}", ind.id()), &ind.etag(), &json!({"targets": [{"period": "2015-Q1", "value": 8}]})).await;
    assert_eq!(i2.status, StatusCode::OK, "{}", i2.text);
    assert_eq!(summary("2015-Q1").await["indicators"]["mean_achievement"], 50.0, "a new target shows at once");
    let patched = coordinator.patch(&format!("/api/v1/measurements/{}", m.id()), &m.etag(), &json!({"value": 8})).await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(summary("2015-Q1").await["indicators"]["met"], 1, "a corrected figure shows at once");
    let item_now = coordinator.get(&format!("/api/v1/items/{a}")).await;
    coordinator.patch(&format!("/api/v1/items/{a}"), &item_now.etag(), &json!({"status": "completed"})).await;
    assert_eq!(summary("2015-Q1").await["by_status"]["completed"], 1, "an item edit shows at once");
    let ctx = liaison_app::Ctx::system("t");
    let other = liaison_app::plans::create(app, &ctx, serde_json::from_value(json!({"framework": "ipap", "code": "OTHER", "title": {"en": "Other"}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2015-01-01", "end": "2015-12-31"}})).unwrap()).await.unwrap();
    assert!(!other.code.is_empty());
    assert_eq!(summary("2015-Q1").await["by_status"]["completed"], 1, "another plan's change leaves it as it was");
}

#[tokio::test]
async fn the_report_of_a_period_as_pdf_has_its_charts_its_marking_on_every_page_and_nothing_hidden() {
    let clock = TestClock::new();
    clock.set_day("2015-07-20");
    let f = Fixture::on(Server::with_clock(clock.clone(), liaison_web::WebConfig::default()).await).await;
    let app = &f.server.app;
    let sys = Ctx::system("test");
    implement(app, f.plan.id).await;
    let root = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let seen = item(app, f.plan.id, "1.1", Some(f.orgs["MoD"]), None, Some(root)).await;
    let hidden = item(app, f.plan.id, "1.3", Some(f.orgs["MoD"]), Some(not_srb()), Some(root)).await;
    for (id, name) in [(seen, "People trained"), (hidden, "Secret measure")] {
        let ind = liaison_app::indicators::create(
            app,
            &sys,
            id,
            serde_json::from_value(json!({"name": {"en": name, "sr": "Обучени људи"}, "measure": "number", "cumulative": true,
                "targets": [{"period": "2015-Q1", "value": 8}, {"period": "2015-Q2", "value": 20}], "dimension": {"key": "sex", "categories": ["women", "men"]}}))
            .unwrap(),
        )
        .await
        .unwrap();
        for (period, women, men) in [("2015-Q1", 2, 3), ("2015-Q2", 4, 1)] {
            let m = json!({"period": period, "by_category": {"women": women, "men": men}});
            liaison_app::indicators::record(app, &sys, ind.id, serde_json::from_value(m).unwrap()).await.unwrap();
        }
    }
    for (id, narrative) in [(seen, "Twelve officers trained."), (hidden, "Hidden work done.")] {
        let body = json!({"period": "2015-Q2", "status": "in_progress", "percent": 60, "narrative": narrative});
        let u = liaison_app::progress::create(app, &sys, id, serde_json::from_value(body).unwrap()).await.unwrap();
        let u = liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "submit"})).unwrap()).await.unwrap();
        liaison_app::progress::step(app, &sys, u.id, u.version, serde_json::from_value(json!({"step": "approve"})).unwrap()).await.unwrap();
    }
    let coordinator = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let path = |q: &str| format!("/api/v1/plans/{}/report.pdf{q}", f.plan.id);
    let r = coordinator.get(&path("")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.content_type(), "application/pdf");
    assert!(r.bytes.starts_with(b"%PDF-") && r.header("content-disposition").contains("report-IPAP-T-2015-Q2.pdf"), "{}", r.header("content-disposition"));
    if let Some(pages) = crate::files::pdf_pages(&r.bytes) {
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("NATO RESTRICTED"), "page {} has no marking:\n{page}", i + 1);
            assert!(page.contains(&format!("Page {} / {}", i + 1, pages.len())), "page {} has no number:\n{page}", i + 1);
        }
        let all = pages.join("\n");
        assert!(all.contains("Report: Test IPAP") && all.contains("2015-Q2"), "the title and the period:\n{all}");
        assert!(all.contains("Items by status") && all.contains("Progress by chapter"), "{all}");
        // The indicator's chart writes each period's actual against its target: 5 of 8 in the
        // first quarter, 10 of 20 to date in the second (cumulative).
        // (`pdftotext -layout` may drop the spaces of short lines.)
        let tight = |s: &str| s.replace(' ', "");
        assert!(tight(&all).contains("5/8") && tight(&all).contains("10/20"), "the chart's numbers:\n{all}");
        assert!(all.contains("Twelve officers trained.") && all.contains("Hidden work done.") && all.contains("Secret measure"));
        let cyr = crate::files::pdf_pages(&coordinator.get(&path("?lang=sr-Cyrl")).await.bytes).unwrap().join("\n");
        assert!(cyr.contains("Извештај") && cyr.contains("Ставке по статусу") && cyr.contains("Обучени људи") && cyr.contains("Страна 1"), "Cyrillic:\n{cyr}");
        let lat = crate::files::pdf_pages(&coordinator.get(&path("?lang=sr-Latn&period=2015-Q1")).await.bytes).unwrap().join("\n");
        assert!(lat.contains("Izveštaj") && lat.contains("Stavke po statusu") && lat.contains("Obučeni ljudi"), "Latin:\n{lat}");
        assert!(tight(&lat).contains("5/8") && !tight(&lat).contains("10/20"), "a period's report stops at that period:\n{lat}");
        let theirs = crate::files::pdf_pages(&partner.get(&path("")).await.bytes).unwrap();
        for page in &theirs {
            assert!(page.contains("NATO UNCLASSIFIED · RELEASABLE TO SRB") && !page.contains("RESTRICTED"), "{page}");
        }
        let theirs = theirs.join("\n");
        assert!(theirs.contains("Twelve officers trained.") && theirs.contains("People trained"), "{theirs}");
        assert!(!theirs.contains("Hidden work done.") && !theirs.contains("Secret measure") && !theirs.contains("1.3"), "nothing hidden:\n{theirs}");
    }
    assert!(coordinator.get(&path("?period=2031-Q1")).await.has_error("period", "unknown"));
    assert!(coordinator.get(&path("?lang=de")).await.has_error("lang", "unknown"));
    assert!(coordinator.get(&path("?colour=red")).await.status.is_client_error(), "an unknown option is refused");
    assert_eq!(f.as_("outsider").await.get(&path("")).await.status, StatusCode::NOT_FOUND);
    let audit = f.as_("security").await.get("/api/v1/audit?action=export").await;
    // The report fetched above in any case (the others only where pdftotext reads them).
    assert!(audit.body["items"].as_array().unwrap().iter().any(|r| r["after"]["format"] == "pdf" && r["after"]["period"] == "2015-Q2"), "{}", audit.text);
}
