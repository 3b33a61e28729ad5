//! Tailored assistance: each side takes its own steps of an offer's life, Allies never see one
//! another's unshared offers by any path, the clearing house finds gaps and duplicates over
//! what its reader sees, and calendar feeds parse and follow access.

use crate::implementation::{implement, item};
use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn offer(api: &Api, f: &Fixture, body: Value) -> Answer {
    api.post(&f.plan_path("/offers"), &body).await
}

async fn step(api: &Api, o: &Answer, to: &str, reason: Option<&str>) -> Answer {
    let mut body = json!({"to": to});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    api.post_if(&format!("/api/v1/offers/{}/steps", o.id()), &o.etag(), &body).await
}

#[tokio::test]
async fn each_side_takes_its_own_steps() {
    let f = Fixture::new().await;
    implement(&f.server.app, f.plan.id).await;
    let a = item(&f.server.app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let (ally, ally2, partner, coordinator, viewer) =
        (f.as_("ally").await, f.as_("ally2").await, f.as_("partner").await, f.as_("coordinator").await, f.as_("viewer").await);
    let body = json!({"kind": "training", "title": {"en": "NCO leadership course"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a], "value_minor": 1_500_000, "currency": "eur", "shared_with": [f.orgs["NLD"]]});
    let o = offer(&ally, &f, body.clone()).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    assert_eq!(o.body["offered_by"], json!(f.orgs["NOR"]), "an Ally offers in its own name");
    assert_eq!(o.body["currency"], "EUR");
    assert_eq!(o.body["state"], "proposed");
    assert_eq!(
        offer(
            &ally,
            &f,
            json!({"offered_by": f.orgs["NLD"], "kind": "training", "title": {"en": "x"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a]})
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "not in another's name"
    );
    assert_eq!(offer(&partner, &f, body.clone()).await.status, StatusCode::FORBIDDEN, "the partner does not offer");
    assert!(
        offer(&coordinator, &f, json!({"kind": "training", "title": {"en": "x"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a]}))
            .await
            .has_error("offered_by", "required")
    );
    assert!(
        offer(
            &coordinator,
            &f,
            json!({"offered_by": f.orgs["MFA"], "kind": "training", "title": {"en": "x"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a]})
        )
        .await
        .has_error("offered_by", "not_ally")
    );
    // The partner decides; the Ally does not accept its own offer.
    assert_eq!(step(&ally, &o, "accepted", None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(step(&ally2, &o, "accepted", None).await.status, StatusCode::FORBIDDEN, "another Ally, even one it is shared with");
    assert_eq!(step(&viewer, &o, "accepted", None).await.status, StatusCode::FORBIDDEN);
    assert!(step(&partner, &o, "declined", None).await.has_error("reason", "required"));
    assert_eq!(step(&partner, &o, "delivered", None).await.status, StatusCode::CONFLICT, "not before it is accepted");
    let accepted = step(&partner, &o, "accepted", None).await;
    assert_eq!(accepted.body["state"], "accepted", "{}", accepted.text);
    assert_eq!(
        ally.patch(&format!("/api/v1/offers/{}", o.id()), &accepted.etag(), &json!({"description": "x"})).await.status,
        StatusCode::CONFLICT,
        "an accepted offer no longer changes"
    );
    // The Ally delivers, or withdraws with a reason.
    assert_eq!(step(&partner, &accepted, "in_delivery", None).await.status, StatusCode::FORBIDDEN);
    let delivering = step(&ally, &accepted, "in_delivery", None).await;
    assert_eq!(delivering.body["state"], "in_delivery");
    assert!(step(&ally, &delivering, "withdrawn", Some(" ")).await.has_error("reason", "required"));
    let done = step(&ally, &delivering, "delivered", None).await;
    assert_eq!(done.body["state"], "delivered");
    assert_eq!(step(&coordinator, &done, "withdrawn", Some("x")).await.status, StatusCode::CONFLICT, "delivered is final");
    assert_eq!(step(&ally, &o, "withdrawn", Some("x")).await.status, StatusCode::PRECONDITION_FAILED, "a stale version");
    let history = ally.get(&format!("/api/v1/offers/{}/history", o.id())).await;
    let actions: Vec<&str> = history.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["delivered", "in_delivery", "accepted", "create"]);
    // Requests are the partner's.
    let r = partner.post(&f.plan_path("/requests"), &json!({"title": {"en": "Trainers for NCO school"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a], "priority": "high"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["requested_by"], json!(f.orgs["MFA"]));
    assert_eq!(
        ally.post(
            &f.plan_path("/requests"),
            &json!({"title": {"en": "x"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a]})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let bad = partner
        .post(
            &f.plan_path("/requests"),
            &json!({"title": {"en": "x"}, "kind": "training", "period": {"start": "2015-12-01", "end": "2015-01-31"}, "items": []}),
        )
        .await;
    assert!(bad.has_error("period.end", "before_start") && bad.has_error("items", "required"), "{}", bad.text);
    let closed = partner.patch(&format!("/api/v1/requests/{}", r.id()), &r.etag(), &json!({"state": "closed"})).await;
    assert_eq!(closed.body["state"], "closed");
}

#[tokio::test]
async fn allies_never_see_one_anothers_unshared_offers() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let b = item(app, f.plan.id, "2", Some(f.orgs["MoD"]), None, None).await;
    let (ally, ally2, coordinator, partner) = (f.as_("ally").await, f.as_("ally2").await, f.as_("coordinator").await, f.as_("partner").await);
    let req = partner
        .post(
            &f.plan_path("/requests"),
            &json!({"title": {"en": "Cyber trainers"}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [a, b]}),
        )
        .await;
    // Norway and the Netherlands both offer training for item 1 in overlapping months.
    let nor = offer(&ally, &f, json!({"kind": "training", "title": {"en": "Norwegian course"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [a], "answers": req.id(), "value_minor": 100000, "currency": "NOK"})).await;
    let nld = offer(&ally2, &f, json!({"kind": "training", "title": {"en": "Dutch course secret-canary"}, "period": {"start": "2015-06-30", "end": "2015-09-30"}, "items": [a], "value_minor": 50000, "currency": "EUR"})).await;
    assert_eq!(nld.status, StatusCode::CREATED, "{}", nld.text);
    let nid = nld.id();
    // By id, in lists, history, the clearing house (items, duplicates, totals) and activities.
    assert_eq!(ally.get(&format!("/api/v1/offers/{nid}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ally.get(&format!("/api/v1/offers/{nid}/history")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ally.patch(&format!("/api/v1/offers/{nid}"), &nld.etag(), &json!({"description": "x"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(step(&ally, &nld, "withdrawn", Some("x")).await.status, StatusCode::NOT_FOUND);
    let list = ally.get(&f.plan_path("/offers")).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert!(!list.text.contains(&nid));
    let ch = ally.get(&f.plan_path("/clearing-house")).await;
    assert!(!ch.text.contains(&nid) && !ch.text.contains("canary") && !ch.text.contains("NLD"), "{}", ch.text);
    assert_eq!(ch.body["duplicate_offers"].as_array().unwrap().len(), 0, "a duplicate needs two offers the reader sees");
    assert_eq!(ch.body["by_ally"].as_object().unwrap().len(), 1);
    assert_eq!(ch.body["offers"], 1);
    let act = ally2.post(&f.plan_path("/activities"), &json!({"kind": "course", "title": {"en": "Dutch course, first run"}, "dates": {"start": "2015-07-06", "end": "2015-07-10"}, "items": [a], "offer": nid, "participants": {"women": 4, "men": 11}})).await;
    assert_eq!(act.status, StatusCode::CREATED, "{}", act.text);
    let unseen = ally
        .post(
            &f.plan_path("/activities"),
            &json!({"kind": "course", "title": {"en": "x"}, "dates": {"start": "2015-07-06", "end": "2015-07-10"}, "offer": nid}),
        )
        .await;
    assert!(unseen.has_error("offer", "unknown"), "an unseen offer is unknown: {}", unseen.text);
    let seen = ally.get(&format!("/api/v1/activities/{}", act.id())).await;
    assert_eq!(seen.body["offer"], Value::Null, "the activity does not name an offer its reader cannot see");
    let history = ally.get(&format!("/api/v1/activities/{}/history", act.id())).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(!history.text.contains(&nid), "nor does its history: {}", history.text);
    assert!(!ally.get(&f.plan_path("/activities")).await.text.contains(&nid));
    // The coordinator and the partner see both, and the duplicate.
    for who in [&coordinator, &partner] {
        let ch = who.get(&f.plan_path("/clearing-house")).await;
        let dups = ch.body["duplicate_offers"].as_array().unwrap();
        assert_eq!(dups.len(), 1, "{}", ch.text);
        assert_eq!(dups[0]["item"]["id"], json!(a));
        assert_eq!(ch.body["by_ally"]["NLD"]["value_minor"]["EUR"], 50000);
        assert_eq!(ch.body["by_ally"]["NOR"]["value_minor"]["NOK"], 100000);
        assert_eq!(ch.body["uncovered_items"].as_array().unwrap().len(), 2, "nothing accepted yet");
    }
    // Shared, it shows; accepted, it covers.
    let shared = ally2.patch(&format!("/api/v1/offers/{nid}"), &nld.etag(), &json!({"shared_with": [f.orgs["NOR"]]})).await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text);
    assert_eq!(ally.get(&format!("/api/v1/offers/{nid}")).await.status, StatusCode::OK);
    assert_eq!(ally.get(&f.plan_path("/clearing-house")).await.body["duplicate_offers"].as_array().unwrap().len(), 1);
    step(&partner, &nor, "accepted", None).await;
    let ch = coordinator.get(&f.plan_path("/clearing-house")).await;
    assert!(ch.body["uncovered_items"].as_array().unwrap().is_empty(), "the accepted answer covers both items of the request: {}", ch.text);
    // Filters.
    assert_eq!(coordinator.get(&f.plan_path(&format!("/clearing-house?ally={}", f.orgs["NOR"]))).await.body["offers"], 1);
    assert_eq!(coordinator.get(&f.plan_path("/clearing-house?kind=equipment")).await.body["offers"], 0);
    assert_eq!(coordinator.get(&f.plan_path("/clearing-house?from=2015-07-01&to=2015-12-31")).await.body["offers"], 1);
    assert!(coordinator.get(&f.plan_path("/clearing-house?from=2015-07-01&to=2015-01-01")).await.has_error("to", "before_start"));
    assert!(coordinator.get(&f.plan_path("/clearing-house?kind=bribery")).await.has_error("kind", "invalid"));
}

#[tokio::test]
async fn calendar_feeds_parse_and_follow_access() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let a = item(app, f.plan.id, "1", Some(f.orgs["MoD"]), None, None).await;
    let coordinator = f.as_("coordinator").await;
    let public = coordinator.post(&f.plan_path("/activities"), &json!({"kind": "conference", "title": {"en": "NATO and Serbia; a conference, in Kovačica", "sr": "НАТО и Србија"}, "dates": {"start": "2015-01-23", "end": "2015-01-23"}, "place": "Kovačica", "items": [a], "participants": {"women": 38, "men": 42}, "catalogue_ref": "PCM-PDI-01"})).await;
    assert_eq!(public.status, StatusCode::CREATED, "{}", public.text);
    let secret = coordinator.post(&f.plan_path("/activities"), &json!({"kind": "visit", "title": {"en": "Staff talks canary"}, "dates": {"start": "2015-02-10", "end": "2015-02-11"}, "marking": {"level": "nato_restricted", "releasable_to": [], "originator": "NATO"}})).await;
    assert_eq!(secret.status, StatusCode::CREATED, "{}", secret.text);
    let bad = coordinator
        .post(
            &f.plan_path("/activities"),
            &json!({"kind": "course", "title": {"en": "x"}, "dates": {"start": "2031-01-01", "end": "2031-01-02"}, "outcome": "Went well"}),
        )
        .await;
    assert!(bad.has_error("outcome", "too_early"), "{}", bad.text);
    // A calendar program: a personal token in the address, no headers.
    let token = f.token("partner").await.bearer.unwrap();
    let anon = f.server.anon();
    assert_eq!(anon.get(&f.plan_path("/calendar.ics")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anon.get(&f.plan_path("/calendar.ics?token=lsn_wrong")).await.status, StatusCode::UNAUTHORIZED);
    let feed = anon.get(&f.plan_path(&format!("/calendar.ics?token={token}"))).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type().starts_with("text/calendar"));
    let events = liaison_interop::ical::parse(&feed.text).expect("the feed parses");
    let conf = events.iter().find(|e| e.uid == format!("activity-{}@liaison", public.id())).expect("the conference");
    assert_eq!(conf.summary, "NATO and Serbia; a conference, in Kovačica", "text survives escaping");
    assert_eq!((conf.first_day.to_string(), conf.last_day.to_string()), ("2015-01-23".into(), "2015-01-23".into()));
    assert!(events.iter().any(|e| e.summary.starts_with("Reports due: IPAP-T 2015-Q1")));
    assert!(!feed.text.contains("canary"), "the partner's feed leaves out what the partner may not see");
    let again = anon.get(&f.plan_path(&format!("/calendar.ics?token={token}"))).await;
    assert_eq!(
        liaison_interop::ical::parse(&again.text).unwrap().iter().map(|e| e.uid.clone()).collect::<Vec<_>>(),
        events.iter().map(|e| e.uid.clone()).collect::<Vec<_>>(),
        "UIDs are stable"
    );
    let sr = anon.get(&f.plan_path(&format!("/calendar.ics?token={token}&lang=sr-Latn"))).await;
    assert!(sr.text.contains("NATO i Srbija"), "in the reader's script");
    assert!(coordinator.get(&f.plan_path("/calendar.ics")).await.text.contains("canary"));
    let org = coordinator.get(&format!("/api/v1/organisations/{}/calendar.ics", f.orgs["MoD"])).await;
    assert!(liaison_interop::ical::parse(&org.text).is_ok());
    // Participants add up.
    let all = coordinator.get(&f.plan_path("/activities")).await;
    let women: u64 = all.body.as_array().unwrap().iter().map(|a| a["participants"]["women"].as_u64().unwrap()).sum();
    assert_eq!(women, 38);
    let _ = Marking::new(Level::Public, &[], "NATO");
}
