//! The implementation workspace through its pages: reporting with evidence, review, figures,
//! the calendar, assessments, the dashboard and report, and the inbox — each showing only what
//! its reader may see, and each form answering bad input with the problem and nothing changed.

use crate::implementation::{implement, item, multipart};
use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::StatusCode;
use serde_json::json;

fn hidden_from_partner() -> Marking {
    Marking::new(Level::NatoRestricted, &[], "NATO")
}

#[tokio::test]
async fn reporting_and_review_through_the_item_page() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let reporter = f.server.browser_as(&f.emails["reporter"], PASSWORD).await;
    let page = reporter.get(&format!("/items/{a}")).await;
    assert!(page.text.contains("action=\"/items/") && page.text.contains("enctype=\"multipart/form-data\""), "the report form is offered");
    // Bad input: the page comes back with the problem and what was typed.
    let (ct, body) =
        multipart(&[("period", None, b"2015-Q1"), ("status", None, b"completed"), ("percent", None, b"40"), ("narrative", None, b"Typed text stays.")]);
    let bad = reporter.post_raw(&format!("/items/{a}/updates"), &ct, body).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("role=\"alert\"") && bad.text.contains("100 %") && bad.text.contains("Typed text stays."), "{}", bad.text);
    assert!(reporter.get(&format!("/api/v1/items/{a}/updates")).await.text.len() <= 2, "nothing was saved");
    let (ct, body) = multipart(&[
        ("period", None, b"2015-Q1"),
        ("status", None, b"in_progress"),
        ("percent", None, b"40"),
        ("narrative", None, b"Two courses held."),
        ("file", Some("attendance.csv"), b"course,women,men\nNCO,4,16\n"),
        ("submit", None, b"1"),
    ]);
    let ok = reporter.post_raw(&format!("/items/{a}/updates"), &ct, body).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let page = reporter.get(&format!("/items/{a}")).await;
    assert!(page.text.contains("Submitted") && page.text.contains("attendance.csv"), "submitted with its evidence");
    let coordinator = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let page = coordinator.get(&format!("/items/{a}")).await;
    assert!(page.text.contains("value=\"approve\"") && page.text.contains("value=\"return\""));
    let update = reporter.get(&format!("/api/v1/items/{a}/updates")).await.body[0].clone();
    let uid = update["id"].as_str().unwrap();
    let v = update["version"].to_string();
    let no_reason = coordinator.form(&format!("/updates/{uid}/step"), &[("step", "return"), ("version", &v), ("reason", "")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text.contains("reason"));
    let stale = coordinator.form(&format!("/updates/{uid}/step"), &[("step", "approve"), ("version", "99")]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "a stale review is refused, not applied");
    let approved = coordinator.form(&format!("/updates/{uid}/step"), &[("step", "approve"), ("version", &v)]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(coordinator.get(&format!("/items/{a}")).await.text.contains("value=\"reopen\""));
    assert!(!reporter.get(&format!("/items/{a}")).await.text.contains(&format!("/updates/{uid}/edit")), "approved: no more editing");
    // Figures through the page: an indicator by sex, then a measurement.
    let d = coordinator
        .form(
            &format!("/items/{a}/indicators"),
            &[
                ("name_en", "Officers trained"),
                ("unit", "people"),
                ("measure", "number"),
                ("cumulative", "1"),
                ("by_sex", "1"),
                ("target_period", "2015-Q4"),
                ("target_value", "40"),
            ],
        )
        .await;
    assert_eq!(d.status, StatusCode::SEE_OTHER, "{}", d.text);
    let ind = reporter.get(&format!("/api/v1/items/{a}/indicators")).await.body[0]["id"].as_str().unwrap().to_string();
    let bad = reporter.form(&format!("/indicators/{ind}/measurements"), &[("period", "2015-Q2"), ("cat_women", "four"), ("cat_men", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let m = reporter.form(&format!("/indicators/{ind}/measurements"), &[("period", "2015-Q2"), ("cat_women", "4"), ("cat_men", "16"), ("note", "")]).await;
    assert_eq!(m.status, StatusCode::SEE_OTHER, "{}", m.text);
    let page = reporter.get(&format!("/items/{a}")).await;
    assert!(page.text.contains("women 4") && page.text.contains("men 16"), "the standing shows the split");
    // The evidence downloads for those who may see it.
    let att = update["evidence"][0].as_str().unwrap();
    let file = reporter.get(&format!("/api/v1/attachments/{att}/content")).await;
    assert_eq!(file.text, "course,women,men\nNCO,4,16\n");
}

#[tokio::test]
async fn dashboard_report_and_calendar_show_each_reader_what_they_may_see() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let sys = liaison_app::Ctx::system("t");
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let h = item(app, f.plan.id, "2", Some(f.orgs["MoD"]), Some(hidden_from_partner()), None).await;
    for (id, name) in [(a, "Courses held"), (h, "Secret tally")] {
        let ind = liaison_app::indicators::create(
            app,
            &sys,
            id,
            serde_json::from_value(json!({"name": {"en": name}, "measure": "number", "cumulative": true, "targets": [{"period": "2015-Q1", "value": 10}]}))
                .unwrap(),
        )
        .await
        .unwrap();
        liaison_app::indicators::record(app, &sys, ind.id, serde_json::from_value(json!({"period": "2015-Q1", "value": 5})).unwrap()).await.unwrap();
    }
    let partner = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let coordinator = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let base = format!("/plans/{}", f.plan.id);
    let pd = partner.get(&format!("{base}/dashboard?period=2015-Q1")).await;
    assert_eq!(pd.status, StatusCode::OK, "{}", pd.text);
    assert!(pd.text.contains("Courses held") && !pd.text.contains("Secret tally"));
    assert!(pd.text.contains("<svg") && !pd.text.contains("style="), "server-rendered charts, no inline styles");
    assert_eq!(pd.text.matches("class=\"marking-banner\"").count(), 2);
    let cd = coordinator.get(&format!("{base}/dashboard?period=2015-Q1")).await;
    assert!(cd.text.contains("Secret tally") && cd.text.contains("NATO RESTRICTED"), "the banner rises with what is shown");
    let unknown = partner.get(&format!("{base}/dashboard?period=1999-Q1")).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.text.contains("role=\"alert\""), "an unknown period is said, and the current one shown");
    let report = partner.get(&format!("{base}/report?period=2015-Q1")).await;
    assert!(report.text.contains("Item 1") && !report.text.contains("Item 2"));
    let pdf = format!("/api/v1/plans/{}/report.pdf?period=2015-Q1&amp;lang=en", f.plan.id);
    assert!(report.text.contains(&pdf), "the page links this period's PDF");
    let cal = partner.get(&format!("{base}/calendar?period=2015-Q1")).await;
    assert!(cal.text.contains("Who has not reported for 2015-Q1") && cal.text.contains("Item 1") && !cal.text.contains("Item 2"));
    assert!(!cal.text.contains("Lock the period"), "only coordinators manage periods");
    // Locking through the form needs the version, unlocking a reason.
    let periods = coordinator.get(&format!("/api/v1/plans/{}/periods", f.plan.id)).await;
    let q1 = periods.body.as_array().unwrap().iter().find(|p| p["key"] == "2015-Q1").unwrap().clone();
    let lock = coordinator.form(&format!("{base}/calendar/2015-Q1"), &[("version", &q1["version"].to_string()), ("locked", "true")]).await;
    assert_eq!(lock.status, StatusCode::SEE_OTHER);
    let v2 = (q1["version"].as_i64().unwrap() + 1).to_string();
    let no_reason = coordinator.form(&format!("{base}/calendar/2015-Q1"), &[("version", &v2), ("locked", "false"), ("reason", "")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text.contains("say why"), "{}", no_reason.text);
    let bad_date = coordinator.form(&format!("{base}/calendar/2015-Q1"), &[("version", &v2), ("due", "someday")]).await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        coordinator.form(&format!("{base}/calendar/2015-Q1"), &[("version", &v2), ("locked", "false"), ("reason", "Late figures")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(partner.form(&format!("{base}/calendar/2015-Q1"), &[("version", "1"), ("locked", "true")]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn assessments_and_the_inbox_through_their_pages() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let partner = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let coordinator = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let base = format!("/plans/{}", f.plan.id);
    let page = partner.get(&format!("{base}/assessments?period=2015-Q2")).await;
    assert!(page.text.contains("Start the assessment of 2015-Q2"), "{}", page.text);
    assert_eq!(partner.form(&format!("{base}/assessments/start"), &[("period", "2015-Q2"), ("scale", "completion")]).await.status, StatusCode::SEE_OTHER);
    let mine = partner.get(&format!("/api/v1/plans/{}/assessments?period=2015-Q2", f.plan.id)).await.body[0].clone();
    let aid = mine["id"].as_str().unwrap();
    let r = partner
        .form(
            &format!("/assessments/{aid}"),
            &[("version", &mine["version"].to_string()), ("narrative", ""), (&format!("r_{a}"), "complete"), (&format!("n_{a}"), "Done"), ("final", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "final needs a judgement");
    assert!(r.text.contains("overall judgement"), "{}", r.text);
    let r = partner
        .form(
            &format!("/assessments/{aid}"),
            &[("version", &mine["version"].to_string()), ("narrative", "Good year."), (&format!("r_{a}"), "complete"), (&format!("n_{a}"), "Done")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(coordinator.form(&format!("{base}/assessments/start"), &[("period", "2015-Q2"), ("scale", "rag")]).await.status, StatusCode::SEE_OTHER);
    let theirs = coordinator
        .get(&format!("/api/v1/plans/{}/assessments?period=2015-Q2", f.plan.id))
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["perspective"] == "alliance")
        .unwrap()
        .clone();
    coordinator
        .form(
            &format!("/assessments/{}", theirs["id"].as_str().unwrap()),
            &[("version", &theirs["version"].to_string()), ("narrative", ""), (&format!("r_{a}"), "red")],
        )
        .await;
    let cmp = coordinator.get(&format!("{base}/assessments?period=2015-Q2")).await;
    assert!(cmp.text.contains("class=\"depth-0 disagree\"") && cmp.text.contains("The perspectives disagree on 1 item."), "{}", cmp.text);
    assert!(cmp.text.contains("rating-complete") && cmp.text.contains("rating-red"));
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert!(!viewer.get(&format!("{base}/assessments?period=2015-Q2")).await.text.contains("assessments/start"), "a viewer writes no perspective");
    // The inbox: a reminder, marked read through the form.
    let clock_free = liaison_app::notifications::mine(app, &liaison_app::Ctx::system("t"), 10).await.unwrap();
    assert!(clock_free.is_empty(), "the program itself has no inbox");
    let u = liaison_app::progress::create(
        app,
        &liaison_app::Ctx::system("t"),
        a,
        serde_json::from_value(json!({"period": "2015-Q2", "status": "in_progress", "percent": 20, "narrative": "x"})).unwrap(),
    )
    .await
    .unwrap();
    liaison_app::progress::step(app, &liaison_app::Ctx::system("t"), u.id, u.version, serde_json::from_value(json!({"step": "submit"})).unwrap())
        .await
        .unwrap();
    let home = coordinator.get("/").await;
    assert!(home.text.contains("class=\"unread-count\">1"), "the header counts unread notifications");
    let inbox = coordinator.get("/notifications").await;
    assert!(inbox.text.contains("progress report for 2015-Q2 submitted"));
    assert_eq!(coordinator.form("/notifications/read", &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!coordinator.get("/").await.text.contains("unread-count"));
}

#[tokio::test]
async fn assistance_and_activities_through_their_pages() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let base = format!("/plans/{}", f.plan.id);
    let partner = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let ally = f.server.browser_as(&f.emails["ally"], PASSWORD).await;
    let ally2 = f.server.browser_as(&f.emails["ally2"], PASSWORD).await;
    let coordinator = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    // The partner asks; a request without dates comes back with the problem.
    let bad = partner
        .form(&format!("{base}/requests/new"), &[("title_en", "Trainers"), ("kind", "training"), ("start", ""), ("end", ""), ("items", &a.to_string())])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = partner
        .form(
            &format!("{base}/requests/new"),
            &[("title_en", "Trainers"), ("kind", "training"), ("priority", "high"), ("start", "2015-01-01"), ("end", "2015-12-31"), ("items", &a.to_string())],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    // Two Allies offer the same training at overlapping times.
    let bad_value = ally
        .form(
            &format!("{base}/offers/new"),
            &[
                ("title_en", "Course"),
                ("kind", "training"),
                ("start", "2015-03-01"),
                ("end", "2015-06-30"),
                ("items", &a.to_string()),
                ("value", "lots"),
                ("currency", "EUR"),
            ],
        )
        .await;
    assert_eq!(bad_value.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_value.text.contains("value"));
    for (who, title) in [(&ally, "Norwegian course"), (&ally2, "Dutch course")] {
        let r = who
            .form(
                &format!("{base}/offers/new"),
                &[
                    ("title_en", title),
                    ("kind", "training"),
                    ("start", "2015-03-01"),
                    ("end", "2015-06-30"),
                    ("items", &a.to_string()),
                    ("value", "15 000,50"),
                    ("currency", "eur"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let page = coordinator.get(&format!("{base}/assistance")).await;
    assert!(page.text.contains("Norwegian course") && page.text.contains("Dutch course") && page.text.contains("class=\"disagree\""), "the duplicate is shown");
    assert!(page.text.contains("15\u{202f}000.50 EUR"));
    let mine = ally.get(&format!("{base}/assistance")).await;
    assert!(mine.text.contains("Norwegian course") && !mine.text.contains("Dutch course"), "an Ally sees its own offers only");
    assert!(!mine.text.contains("value=\"accepted\""), "an Ally does not accept");
    let filtered = coordinator.get(&format!("{base}/assistance?ally={}", f.orgs["NLD"])).await;
    assert!(filtered.text.contains("Dutch course"));
    let bad_filter = coordinator.get(&format!("{base}/assistance?from=someday")).await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The partner accepts through the form; declining needs a reason.
    let offers = coordinator.get(&format!("/api/v1/plans/{}/offers", f.plan.id)).await;
    let nor = offers.body.as_array().unwrap().iter().find(|o| o["title"]["en"] == "Norwegian course").unwrap().clone();
    let dutch = offers.body.as_array().unwrap().iter().find(|o| o["title"]["en"] == "Dutch course").unwrap().clone();
    let accept = partner.form(&format!("/offers/{}/step", nor["id"].as_str().unwrap()), &[("to", "accepted"), ("version", &nor["version"].to_string())]).await;
    assert_eq!(accept.status, StatusCode::SEE_OTHER);
    let decline = partner
        .form(&format!("/offers/{}/step", dutch["id"].as_str().unwrap()), &[("to", "declined"), ("version", &dutch["version"].to_string()), ("reason", "")])
        .await;
    assert_eq!(decline.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        ally.form(
            &format!("/offers/{}/step", dutch["id"].as_str().unwrap()),
            &[("to", "withdrawn"), ("version", &dutch["version"].to_string()), ("reason", "x")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "another Ally's offer does not exist for it"
    );
    // Activities: the month, a new one, its outcome.
    let month = coordinator.get(&format!("{base}/activities?month=2015-03")).await;
    assert!(month.text.contains("<table class=\"month\">") && month.text.contains("Activities and due dates in 2015-03"));
    let bad = ally
        .form(
            &format!("{base}/activities/new"),
            &[("title_en", "Course"), ("kind", "course"), ("start", "2015-03-10"), ("end", "2015-03-01"), ("items", &a.to_string())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = ally
        .form(
            &format!("{base}/activities/new"),
            &[
                ("title_en", "Norwegian course, first run"),
                ("kind", "course"),
                ("start", "2015-03-16"),
                ("end", "2015-03-20"),
                ("place", "Belgrade"),
                ("items", &a.to_string()),
                ("offer", nor["id"].as_str().unwrap()),
                ("women", "4"),
                ("men", "14"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let month = ally.get(&format!("{base}/activities?month=2015-03")).await;
    assert!(month.text.contains("Norwegian course, first run") && month.text.contains("Participants: 4 women, 14 men"));
    let act = coordinator.get(&format!("/api/v1/plans/{}/activities", f.plan.id)).await.body[0].clone();
    let r = coordinator
        .form(
            &format!("/activities/{}/edit", act["id"].as_str().unwrap()),
            &[("version", &act["version"].to_string()), ("women", "5"), ("men", "many"), ("outcome", "Good")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "participants are whole numbers");
    let r = coordinator
        .form(
            &format!("/activities/{}/edit", act["id"].as_str().unwrap()),
            &[("version", &act["version"].to_string()), ("women", "5"), ("men", "14"), ("outcome", "All passed."), ("feedback", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(coordinator.get(&format!("{base}/activities?month=2015-03")).await.text.contains("All passed."));
}
