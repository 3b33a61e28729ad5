//! Plans: lifecycle with two-sided approval, agreed versions and their comparison, decisions,
//! members.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;

async fn transition(api: &Api, f: &Fixture, to: &str) -> Answer {
    let cur = api.get(&f.plan_path("")).await;
    api.post_if(&f.plan_path("/transitions"), &cur.etag(), &json!({"to": to})).await
}

#[tokio::test]
async fn agreeing_needs_both_sides_on_the_same_text_and_freezes_a_version() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let item = coord.post(&f.plan_path("/items"), &json!({"code": "1", "title": {"en": "Dialogue"}})).await.id();
    let r = transition(&coord, &f, "agreed").await;
    assert!(r.has_error("to", "transition"), "drafting cannot jump to agreed: {:?}", r.errors());
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("negotiation"));
    assert_eq!(transition(&partner, &f, "negotiation").await.status, StatusCode::FORBIDDEN, "coordinators move the plan");
    let r = transition(&coord, &f, "negotiation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["state"], "negotiation");
    assert_eq!(r.body["negotiation_round"], 1);

    let st = coord.get(&f.plan_path("/approvals")).await;
    let hash = st.body["content_hash"].as_str().unwrap().to_string();
    assert_eq!(coord.post(&f.plan_path("/approvals"), &json!({"content_hash": hash})).await.status, StatusCode::CREATED);
    let r = transition(&coord, &f, "agreed").await;
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("the partner"), "{}", r.text);
    assert_eq!(f.as_("viewer").await.post(&f.plan_path("/approvals"), &json!({"side": "partner"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(partner.post(&f.plan_path("/approvals"), &json!({"side": "owner"})).await.status, StatusCode::FORBIDDEN);

    // The partner changes the text: the owner's approval no longer counts.
    partner.patch(&format!("/api/v1/items/{item}"), "\"1\"", &json!({"title": {"en": "Political dialogue"}})).await;
    let stale = partner.post(&f.plan_path("/approvals"), &json!({"content_hash": hash})).await;
    assert!(stale.has_error("content_hash", "changed"));
    assert_eq!(partner.post(&f.plan_path("/approvals"), &json!({})).await.status, StatusCode::CREATED);
    let st = coord.get(&f.plan_path("/approvals")).await;
    assert_eq!((st.body["owner_approved"].as_bool(), st.body["partner_approved"].as_bool()), (Some(false), Some(true)));
    assert!(transition(&coord, &f, "agreed").await.has_error("to", "transition"));
    coord.post(&f.plan_path("/approvals"), &json!({})).await;
    let agreed = transition(&coord, &f, "agreed").await;
    assert_eq!(agreed.status, StatusCode::OK, "{}", agreed.text);
    let versions = coord.get(&f.plan_path("/versions")).await;
    assert_eq!(versions.body.as_array().unwrap().len(), 1);
    assert_eq!(versions.body[0]["content_hash"], coord.get(&f.plan_path("/approvals")).await.body["content_hash"]);

    // An amendment during implementation, compared with the agreed version.
    assert_eq!(transition(&coord, &f, "implementation").await.status, StatusCode::OK);
    partner.patch(&format!("/api/v1/items/{item}"), "\"2\"", &json!({"title": {"en": "Political dialogue with NATO"}, "status": "completed"})).await;
    partner.post(&f.plan_path("/items"), &json!({"code": "2", "title": {"en": "Defence"}})).await;
    let c = coord.get(&f.plan_path("/compare?from=1&to=current")).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert_eq!(c.body["added"][0]["code"], "2");
    let changes = c.body["changed"][0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "status is not content: {changes:?}");
    assert_eq!(changes[0]["field"], "title");
    assert_eq!(changes[0]["before"]["en"], "Political dialogue");
    let v1 = coord.get(&f.plan_path("/versions/1")).await;
    assert_eq!(v1.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(coord.get(&f.plan_path("/versions/9")).await.status, StatusCode::NOT_FOUND);
    let h = coord.get(&f.plan_path("/history")).await;
    let actions: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"agree_version") && actions.contains(&"approve") && actions.contains(&"transition"), "{actions:?}");
}

#[tokio::test]
async fn a_successor_supersedes_its_predecessor_when_agreed_and_final_plans_are_read_only() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    for to in ["negotiation"] {
        transition(&coord, &f, to).await;
    }
    coord.post(&f.plan_path("/approvals"), &json!({})).await;
    partner.post(&f.plan_path("/approvals"), &json!({})).await;
    for to in ["agreed", "implementation"] {
        assert_eq!(transition(&coord, &f, to).await.status, StatusCode::OK);
    }
    let next = coord
        .post("/api/v1/plans", &json!({"framework": "ipap", "code": "IPAP-T2", "title": {"en": "Second cycle"}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2019-01-01", "end": "2021-12-31"}, "predecessor": f.plan.id}))
        .await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.text);
    assert_eq!(next.body["marking"]["releasable_to"], json!(["SRB"]), "new plans are releasable to the partner by default");
    let id = next.id();
    coord.post(&format!("/api/v1/plans/{id}/members"), &json!({"user": partner.get("/api/v1/me").await.body["user"]["id"], "role": "partner_editor"})).await;
    coord.post_if(&format!("/api/v1/plans/{id}/transitions"), "\"1\"", &json!({"to": "negotiation"})).await;
    coord.post(&format!("/api/v1/plans/{id}/approvals"), &json!({})).await;
    partner.post(&format!("/api/v1/plans/{id}/approvals"), &json!({})).await;
    let r = coord.post_if(&format!("/api/v1/plans/{id}/transitions"), "\"2\"", &json!({"to": "agreed"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let old = coord.get(&f.plan_path("")).await;
    assert_eq!(old.body["state"], "superseded");
    let r = coord.post(&f.plan_path("/items"), &json!({"code": "9", "title": {"en": "Late"}})).await;
    assert_eq!(r.errors()[0].1, "plan_final");
    assert_eq!(transition(&coord, &f, "drafting").await.errors()[0].0, "to");
}

#[tokio::test]
async fn plan_fields_are_validated_and_versioned() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let r = coord
        .post("/api/v1/plans", &json!({"framework": "nonsense", "code": "IPAP-T", "title": {}, "partner": f.orgs["NOR"], "owner": f.orgs["MFA"], "period": {"start": "2016-01-01", "end": "2015-01-01"}}))
        .await;
    for (field, code) in
        [("framework", "unknown"), ("code", "taken"), ("title", "required"), ("partner", "wrong_kind"), ("owner", "wrong_kind"), ("period.end", "before_start")]
    {
        assert!(r.has_error(field, code), "{field}/{code}: {:?}", r.errors());
    }
    let valid = json!({"framework": "ipap", "code": "OTHER", "title": {"en": "x"}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2015-01-01", "end": "2015-12-31"}});
    assert_eq!(f.as_("partner").await.post("/api/v1/plans", &valid).await.status, StatusCode::FORBIDDEN, "partners do not start plans");
    let p = coord.patch(&f.plan_path(""), "\"1\"", &json!({"title": {"en": "Renamed", "sr": "Преименован"}})).await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.etag(), "\"2\"");
    assert!(coord.patch(&f.plan_path(""), "\"2\"", &json!({"state": "closed"})).await.has_error("state", "unknown_field"));
    let hide = coord.patch(&f.plan_path(""), "\"2\"", &json!({"marking": {"level": "tlp_red", "originator": "NATO"}})).await;
    assert!(hide.has_error("marking.level", "wrong_scheme"));
}

#[tokio::test]
async fn decisions_record_key_dates() {
    let f = Fixture::new().await;
    let partner = f.as_("partner").await;
    let d = partner
        .post(
            &f.plan_path("/decisions"),
            &json!({"kind": "partner_adopted", "date": "2014-12-14", "body": {"en": "Government of Serbia", "sr": "Влада Србије"}}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.text);
    let coord = f.as_("coordinator").await;
    coord.post(&f.plan_path("/decisions"), &json!({"kind": "council_approved", "date": "2015-01-15", "body": {"en": "North Atlantic Council"}})).await;
    coord.post(&f.plan_path("/decisions"), &json!({"kind": "announced", "date": "2015-01-20", "body": {"en": "NATO and Serbia"}})).await;
    let list = f.as_("viewer").await.get(&f.plan_path("/decisions")).await;
    let kinds: Vec<&str> = list.body.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["partner_adopted", "council_approved", "announced"], "by date");
    let path = format!("/api/v1/decisions/{}", d.id());
    let r = partner.patch(&path, "\"1\"", &json!({"reference": "05 No. 337-1234/2014"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let bad = partner.post(&f.plan_path("/decisions"), &json!({"kind": "decided", "date": "2015-02-30", "body": {"en": "x"}})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let low = partner
        .post(
            &f.plan_path("/decisions"),
            &json!({"kind": "other", "date": "2015-02-01", "body": {"en": "x"}, "marking": {"level": "public", "originator": "NATO"}}),
        )
        .await;
    assert!(low.has_error("marking", "below_parent"), "{:?}", low.errors());
    assert_eq!(f.as_("viewer").await.delete(&path, "\"2\"").await.status, StatusCode::FORBIDDEN);
    assert_eq!(partner.delete(&path, "\"2\"").await.status, StatusCode::NO_CONTENT);
    assert_eq!(partner.get(&format!("{path}/history")).await.body["items"][0]["action"], "delete");
}

#[tokio::test]
async fn members_are_managed_by_coordinators_with_roles_that_fit() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let outsider = f.as_("outsider").await;
    let outsider_id = outsider.get("/api/v1/me").await.body["user"]["id"].clone();
    assert_eq!(outsider.get(&f.plan_path("")).await.status, StatusCode::NOT_FOUND, "no role, no plan");
    let wrong = coord.post(&f.plan_path("/members"), &json!({"user": outsider_id, "role": "partner_editor"})).await;
    assert!(wrong.has_error("role", "wrong_side"), "{:?}", wrong.errors());
    let m = coord.post(&f.plan_path("/members"), &json!({"user": outsider_id, "role": "viewer"})).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text);
    assert_eq!(outsider.get(&f.plan_path("")).await.status, StatusCode::OK, "the role counts at once");
    let members = coord.get(&f.plan_path("/members")).await;
    let with_roles = ROLE_USERS.iter().filter(|u| u.3.is_some()).count();
    assert_eq!(members.body.as_array().unwrap().len(), with_roles + 1, "the fixture's members and the outsider");
    assert_eq!(f.as_("partner").await.post(&f.plan_path("/members"), &json!({"user": outsider_id, "role": "viewer"})).await.status, StatusCode::FORBIDDEN);
    let path = f.plan_path(&format!("/members/{}", outsider_id.as_str().unwrap()));
    assert_eq!(coord.delete(&path, "\"7\"").await.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(coord.delete(&path, "\"1\"").await.status, StatusCode::NO_CONTENT);
    assert_eq!(outsider.get(&f.plan_path("")).await.status, StatusCode::NOT_FOUND);
}
