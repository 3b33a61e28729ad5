//! The demo partnership: loads, reads as DESIGN.md §9 says, and loads twice idempotently.

use crate::support::*;
use liaison_app::Ctx;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_demo_loads_once_and_twice_changes_nothing() {
    let db = liaison_store::testing::TestDb::new().await;
    let app = app_on(db.open().await, test_config());
    assert!(liaison_demo::load(&app).await.expect("first load"));
    let head = liaison_store::changes::head(&app.db().unfiltered()).await.unwrap();
    assert!(!liaison_demo::load(&app).await.expect("second load"), "nothing new");
    assert_eq!(liaison_store::changes::head(&app.db().unfiltered()).await.unwrap(), head, "not one change more");
    let verified = liaison_app::audit::verify(&app, |_, _| {}).await.unwrap();
    assert!(verified.ok(), "{verified:?}");
    // The search index followed every write of the demo as it happened: rebuilding it from the
    // records changes nothing.
    let followed = liaison_store::search::snapshot(app.db()).await.unwrap();
    assert!(followed.len() > 300, "{} records indexed", followed.len());
    liaison_store::search::rebuild(app.db(), |_| {}).await.unwrap();
    assert_eq!(liaison_store::search::snapshot(app.db()).await.unwrap(), followed);
    // A database migrated from before search (its records there, no index) is indexed once at
    // start.
    liaison_store::testing::execute_raw(app.db(), "DELETE FROM search_doc").await.unwrap();
    liaison_store::testing::execute_raw(app.db(), "UPDATE search_state SET built = 0").await.unwrap();
    assert_eq!(liaison_app::search::build_if_needed(&app).await.unwrap(), followed.len() as u64);
    assert_eq!(liaison_store::search::snapshot(app.db()).await.unwrap(), followed);
    assert_eq!(liaison_app::search::build_if_needed(&app).await.unwrap(), 0, "once");

    let s = Server::serve(app.clone(), db, liaison_web::WebConfig::default()).await;
    let coord = s.anon();
    let r = coord.post("/api/v1/auth/login", &json!({"email": "coordinator@demo.test", "password": "demo-password"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let plans = coord.get("/api/v1/plans").await;
    let by_code = |code: &str| plans.body["items"].as_array().unwrap().iter().find(|p| p["code"] == code).cloned().unwrap();
    let ipap = by_code("IPAP-SRB-2015");
    let goals = by_code("PG-SRB-2015");
    assert_eq!(ipap["state"], "superseded");
    assert_eq!(by_code("IPAP-SRB-2019")["state"], "implementation");
    let chapters = coord.get(&format!("/api/v1/plans/{}/items?level=chapter", ipap["id"].as_str().unwrap())).await;
    assert_eq!(chapters.body["items"].as_array().unwrap().len(), 4);
    let n_goals = coord.get(&format!("/api/v1/plans/{}/items/count?level=partnership_goal", goals["id"].as_str().unwrap())).await;
    assert_eq!(n_goals.body["count"], 41);
    let decisions = coord.get(&format!("/api/v1/plans/{}/decisions", ipap["id"].as_str().unwrap())).await;
    let dates: Vec<&str> = decisions.body.as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    for d in ["2014-12-14", "2015-01-15", "2015-01-20"] {
        assert!(dates.contains(&d), "{d} in {dates:?}");
    }
    let versions = coord.get(&format!("/api/v1/plans/{}/versions", ipap["id"].as_str().unwrap())).await;
    assert_eq!(versions.body.as_array().unwrap().len(), 2, "agreed in 2015, amended in 2016");
    let redline = coord.get(&format!("/api/v1/plans/{}/compare?from=1&to=2", ipap["id"].as_str().unwrap())).await;
    assert_eq!(redline.body["added"][0]["code"], "4.1.3");
    assert_eq!(redline.body["changed"].as_array().unwrap().len(), 2);
    // Statuses are spread, not uniform.
    let statuses: std::collections::BTreeSet<String> =
        coord.get(&format!("/api/v1/plans/{}/items?limit=500", goals["id"].as_str().unwrap())).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_str().unwrap().to_string())
            .collect();
    assert!(statuses.len() >= 5, "{statuses:?}");
    // Every demo account signs in.
    for (email, _) in liaison_demo::ACCOUNTS {
        let r = s.anon().post("/api/v1/auth/login", &json!({"email": email, "password": "demo-password"})).await;
        assert_eq!(r.status, StatusCode::OK, "{email}");
    }
    // The partner does not see the alliance-only milestone.
    let partner = s.anon();
    partner.post("/api/v1/auth/login", &json!({"email": "partner@demo.test", "password": "demo-password"})).await;
    let seen = partner.get(&format!("/api/v1/plans/{}/items/count", goals["id"].as_str().unwrap())).await;
    let all = coord.get(&format!("/api/v1/plans/{}/items/count", goals["id"].as_str().unwrap())).await;
    assert_eq!(seen.body["count"].as_u64().unwrap() + 1, all.body["count"].as_u64().unwrap());
    let _ = Ctx::system("x");

    // Implementation: indicators against targets, reviewed reports, two perspectives (three on
    // the second IPAP), reminders.
    let gid = goals["id"].as_str().unwrap();
    let sum = coord.get(&format!("/api/v1/plans/{gid}/summary?period=2016-Q2")).await;
    assert_eq!(sum.status, StatusCode::OK, "{}", sum.text);
    assert!(sum.body["indicators"]["indicators"].as_u64().unwrap() >= 5, "{}", sum.body["indicators"]);
    assert!(sum.body["indicators"]["with_target"].as_u64().unwrap() >= 3);
    let progress = sum.body["progress"].as_f64().unwrap();
    assert!((20.0..95.0).contains(&progress), "{progress}");
    assert!(sum.body["gender"]["by_sex"]["women"].as_f64().unwrap() > 0.0);
    let perspectives: Vec<&str> = sum.body["latest_assessments"].as_array().unwrap().iter().map(|a| a["perspective"].as_str().unwrap()).collect();
    assert_eq!(perspectives, ["self", "alliance"]);
    let updates = coord.get(&format!("/api/v1/plans/{gid}/updates?period=2016-Q2")).await;
    let states: std::collections::BTreeSet<&str> = updates.body.as_array().unwrap().iter().map(|u| u["state"].as_str().unwrap()).collect();
    assert!(states.contains("approved") && states.contains("submitted") && states.contains("draft"), "{states:?}");
    let returned_once = updates.body.as_array().unwrap().iter().any(|u| u["evidence"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(returned_once, "reports carry evidence");
    let cmp = coord.get(&format!("/api/v1/plans/{gid}/assessments/compare?period=2016-Q2")).await;
    assert!(cmp.body["disagreements"].as_u64().unwrap() >= 1, "the two sides do not agree on everything");
    let second = by_code("IPAP-SRB-2019");
    let s2 = coord.get(&format!("/api/v1/plans/{}/summary", second["id"].as_str().unwrap())).await;
    assert_eq!(s2.body["latest_assessments"].as_array().unwrap().len(), 3, "self, alliance and independent");
    let inbox = partner.get("/api/v1/me/notifications").await;
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|n| n["kind"] == "report_due"), "{}", inbox.text);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|n| n["kind"] == "update_reviewed"));

    // Assistance: a duplicate, uncovered requests, Ally scoping, and the Kovačica conference.
    let iid = ipap["id"].as_str().unwrap();
    let ch = coord.get(&format!("/api/v1/plans/{iid}/clearing-house")).await;
    assert_eq!(ch.body["duplicate_offers"].as_array().unwrap().len(), 1, "{}", ch.text);
    assert!(ch.body["uncovered_items"].as_array().unwrap().len() >= 2);
    assert!(ch.body["by_ally"]["GBR DS"]["value_minor"]["GBP"].as_i64().unwrap() > 0);
    let ally = s.anon();
    ally.post("/api/v1/auth/login", &json!({"email": "ally@demo.test", "password": "demo-password"})).await;
    let theirs = ally.get(&format!("/api/v1/plans/{iid}/offers")).await;
    let by: std::collections::BTreeSet<String> = theirs.body.as_array().unwrap().iter().map(|o| o["title"]["en"].as_str().unwrap().to_string()).collect();
    assert!(by.contains("Mentors for the gender focal points"), "shared with Norway: {by:?}");
    assert!(!by.iter().any(|t| t.contains("Defence Academy")), "the British offer is not shared with Norway");
    let acts = coord.get(&format!("/api/v1/plans/{iid}/activities")).await;
    let kovacica = acts.body.as_array().unwrap().iter().find(|a| a["place"] == "Kovačica").expect("the Kovačica conference");
    assert_eq!(kovacica["dates"]["start"], "2015-01-23");
    assert_eq!(kovacica["marking"]["level"], "public");
    assert!(acts.body.as_array().unwrap().len() >= 7);

    // The public portal: IPAP 2015 with two stories in each language, one more in review.
    let anon = s.anon();
    let front = anon.get("/public/").await;
    assert!(front.text.contains(&format!("/public/plans/{iid}")), "IPAP 2015 is on the portal");
    let stories = coord.get(&format!("/api/v1/plans/{iid}/stories")).await;
    let states: Vec<(&str, &str)> = stories.body.as_array().unwrap().iter().map(|x| (x["language"].as_str().unwrap(), x["state"].as_str().unwrap())).collect();
    assert_eq!(states.iter().filter(|(l, st)| *l == "sr" && *st == "published").count(), 2, "{states:?}");
    assert_eq!(states.iter().filter(|(l, st)| *l == "en" && *st == "published").count(), 2, "{states:?}");
    assert!(states.contains(&("en", "release_review")));
    let feed = anon.get(&format!("/public/plans/{iid}/feed.atom?lang=sr-Latn")).await;
    assert_eq!(feed.text.matches("<entry>").count(), 2);
    assert!(feed.text.contains("Kovačica pita šta partnerstvo znači"), "{}", feed.text);
    let page = anon.get(&format!("/public/plans/{iid}?lang=en")).await;
    assert!(page.text.contains("Kovačica asks what the partnership means") && page.text.contains("4.1.1"));
    assert!(!page.text.contains("1.1.1"), "alliance-only and restricted chapters stay off the portal");
}
