//! The portfolio across partners and cycles: every plan a reader may see and no other, figures
//! over what that reader sees (equal to the plan's own summary), cycles, filters, sorting, bad
//! parameters, the page and its chart.

use crate::implementation::{implement, item};
use crate::support::*;
use liaison_app::Ctx;
use liaison_domain::item::NewItem;
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::{NewPlan, Period};
use liaison_domain::text::Text;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn row<'a>(p: &'a Value, code: &str) -> &'a Value {
    p["rows"].as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("{code} not in {p}"))
}

fn codes(p: &Value) -> Vec<String> {
    p["rows"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_portfolio_shows_each_reader_its_plans_and_figures_over_what_it_may_see() {
    let clock = TestClock::new();
    clock.set_day("2015-05-02");
    let f = Fixture::on(Server::with_clock(clock.clone(), liaison_web::WebConfig::default()).await).await;
    let app = &f.server.app;
    let sys = Ctx::system("test");
    implement(app, f.plan.id).await;
    // Item 1 (led by MoD) is reported for the first quarter; item 2 is due in it and not done;
    // item 3 is not releasable to Serbia.
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let due: NewItem = serde_json::from_value(json!({"code": "2", "title": {"en": "Item 2"}, "due": "2015-Q1", "lead_organisation": f.orgs["MFA"]})).unwrap();
    liaison_app::items::create(app, &sys, f.plan.id, NewItem { downgrade: true, ..due }).await.unwrap();
    let hidden = item(app, f.plan.id, "3", None, Some(Marking::new(Level::NatoRestricted, &[], "NATO")), None).await;
    // The next cycle, still being drafted.
    let next = liaison_app::plans::create(
        app,
        &sys,
        NewPlan {
            framework: "ipap".into(),
            code: "IPAP-T2".into(),
            title: Text::new("en", "Second cycle"),
            description: Text::default(),
            partner: f.orgs["MFA"],
            owner: f.orgs["NATO IS"],
            period: Period { start: "2017-01-01".parse().unwrap(), end: "2018-12-31".parse().unwrap() },
            predecessor: Some(f.plan.id),
            marking: Some(Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")),
        },
    )
    .await
    .unwrap();
    let coordinator_user = liaison_app::users::find_by_email(app, &sys, &f.emails["coordinator"]).await.unwrap();
    liaison_app::plans::set_member(
        app,
        &sys,
        next.id,
        liaison_app::plans::SetMember { user: coordinator_user.id, role: liaison_domain::access::Role::Coordinator },
    )
    .await
    .unwrap();

    let (reporter, coordinator, partner, outsider) = (f.as_("reporter").await, f.as_("coordinator").await, f.as_("partner").await, f.as_("outsider").await);
    let r = reporter
        .post(&format!("/api/v1/items/{a}/updates"), &json!({"period": "2015-Q1", "status": "in_progress", "percent": 40, "narrative": "Two courses."}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let step = reporter.post_if(&format!("/api/v1/updates/{}/steps", r.id()), &format!("\"{}\"", r.body["version"]), &json!({"step": "submit"})).await;
    assert_eq!(step.status, StatusCode::OK, "{}", step.text);
    let req = partner
        .post(
            &f.plan_path("/requests"),
            &json!({"title": {"en": "Trainers"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a], "priority": "high"}),
        )
        .await;
    assert_eq!(req.status, StatusCode::CREATED, "{}", req.text);

    let p = coordinator.get("/api/v1/portfolio").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(codes(&p.body), ["IPAP-T", "IPAP-T2"], "by partner, then cycle");
    assert_eq!((p.body["plans"].as_u64(), p.body["partners"].as_u64()), (Some(2), Some(1)));
    let first = row(&p.body, "IPAP-T");
    assert_eq!((first["cycle"].as_u64(), first["current"].as_bool()), (Some(1), Some(false)));
    assert_eq!((row(&p.body, "IPAP-T2")["cycle"].as_u64(), row(&p.body, "IPAP-T2")["current"].as_bool()), (Some(2), Some(true)));
    assert_eq!(first["items"], 3);
    assert_eq!(first["overdue"], 1, "item 2 was due in the first quarter");
    assert_eq!(first["late_reports"], json!({"period": "2015-Q1", "owed": 3, "missing": 2}));
    assert_eq!(first["requests"], json!({"open": 1, "without_support": 1}));
    assert_eq!(first["partner"]["short_name"], "MFA");
    assert_eq!(row(&p.body, "IPAP-T2")["late_reports"]["period"], Value::Null, "a plan in drafting takes no reports");

    // The partner does not see item 3: it is neither counted nor owed.
    let pp = partner.get("/api/v1/portfolio").await;
    assert_eq!(codes(&pp.body), ["IPAP-T"], "the partner has no role on the next cycle yet");
    let mine = row(&pp.body, "IPAP-T");
    assert_eq!(mine["items"], 2);
    assert_eq!(mine["late_reports"], json!({"period": "2015-Q1", "owed": 2, "missing": 1}));
    assert_eq!(mine["cycle"], 1);
    assert_eq!(mine["current"], true, "a successor the reader cannot see does not make a plan old");
    // Each reader's progress is its own summary's.
    for (api, code) in [(&coordinator, "IPAP-T"), (&partner, "IPAP-T")] {
        let port = api.get("/api/v1/portfolio").await;
        let sum = api.get(&f.plan_path("/summary")).await;
        assert_eq!(row(&port.body, code)["progress"], sum.body["progress"]);
        assert_eq!(row(&port.body, code)["overdue"], sum.body["overdue_count"]);
    }
    assert_eq!(outsider.get("/api/v1/portfolio").await.body["rows"], json!([]), "no role, no plan");
    assert_eq!(f.server.anon().get("/api/v1/portfolio").await.status, StatusCode::UNAUTHORIZED);

    // An offer serving the request's item supports it; a marking change shows at once.
    let o = f
        .as_("ally")
        .await
        .post(
            &f.plan_path("/offers"),
            &json!({"kind": "training", "title": {"en": "Course"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a]}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    assert_eq!(row(&coordinator.get("/api/v1/portfolio").await.body, "IPAP-T")["requests"], json!({"open": 1, "without_support": 0}));
    let h = coordinator.get(&format!("/api/v1/items/{hidden}")).await;
    let m = coordinator
        .patch(&format!("/api/v1/items/{hidden}"), &h.etag(), &json!({"marking": {"level": "nato_restricted", "releasable_to": ["SRB"], "originator": "NATO"}}))
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text);
    assert_eq!(row(&partner.get("/api/v1/portfolio").await.body, "IPAP-T")["items"], 3, "what was just released is counted");
    // The next day the figures move with the clock (the cache is per day).
    clock.set_day("2015-07-20");
    let coordinator = f.as_("coordinator").await;
    let later = row(&coordinator.get("/api/v1/portfolio").await.body, "IPAP-T").clone();
    assert_eq!(later["late_reports"]["period"], "2015-Q2");

    // Filters and sorting.
    let cur = coordinator.get("/api/v1/portfolio?cycle=current").await;
    assert_eq!(codes(&cur.body), ["IPAP-T2"]);
    assert_eq!(codes(&coordinator.get("/api/v1/portfolio?state=implementation").await.body), ["IPAP-T"]);
    assert_eq!(codes(&coordinator.get(&format!("/api/v1/portfolio?partner={}", f.orgs["NOR"])).await.body), Vec::<String>::new());
    assert_eq!(codes(&coordinator.get("/api/v1/portfolio?sort=late&order=desc").await.body), ["IPAP-T", "IPAP-T2"]);
    assert_eq!(codes(&coordinator.get("/api/v1/portfolio?sort=cycle&order=desc").await.body), ["IPAP-T2", "IPAP-T"]);
    for (query, field) in [
        ("sort=name", "sort"),
        ("order=up", "order"),
        ("cycle=last", "cycle"),
        ("state=done", "state"),
        ("partner=MFA", "partner"),
        ("colour=red", ""),
        ("sort=%00", "sort"),
    ] {
        let r = coordinator.get(&format!("/api/v1/portfolio?{query}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.text);
        assert!(r.errors().iter().any(|(f, _)| f == field || (field.is_empty() && f.contains("colour"))), "{query}: {:?}", r.errors());
    }
    let long = format!("/api/v1/portfolio?sort={}", "x".repeat(10_000));
    assert!(coordinator.get(&long).await.status.is_client_error());

    // The page: a table sorted by its headers, filters, and the chart of the latest cycles.
    let b = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let page = b.get("/portfolio?sort=progress&order=desc").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("IPAP-T2") && page.text.contains(&format!("/plans/{}/dashboard", f.plan.id)));
    assert!(page.text.contains("aria-sort=\"descending\""), "the sorted column says so");
    assert!(page.text.contains("sort=progress&#38;order=asc"), "its header reverses it: {}", page.text);
    assert!(page.text.contains("class=\"chart"), "the chart is drawn");
    assert!(page.text.contains("href=\"/portfolio\""), "the header links to it");
    let bad = b.get("/portfolio?sort=name").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("error-summary"));
    let pb = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let theirs = pb.get("/portfolio").await;
    assert!(!theirs.text.contains("IPAP-T2"), "a plan the partner may not see is not on its page");
}

/// The first readers of a plan without a calendar make its default periods; many at once (as
/// the portfolio's first readers are) all get an answer, and the plan gets one calendar.
#[tokio::test]
async fn readers_at_once_make_a_new_plans_calendar_once() {
    let f = Fixture::new().await;
    let coordinator = f.as_("coordinator").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let api = coordinator.clone();
        tasks.push(tokio::spawn(async move { api.get("/api/v1/portfolio").await }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let periods = coordinator.get(&f.plan_path("/periods")).await;
    assert_eq!(periods.body.as_array().unwrap().len(), 8, "one quarter each of 2015–2016, once: {}", periods.text);
}
