//! Every bad-input path of the API: the right status, a problem document, never a 5xx, never
//! a partial change.

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_400_and_misfit_json_is_422_naming_the_field() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let items = f.plan_path("/items");
    let r = api.raw(Method::POST, &items, "application/json", b"{\"code\": \"1\",".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.body["type"], "urn:liaison:problem:malformed-json");
    let r = api.raw(Method::POST, &items, "application/json", b"{} {}".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "trailing characters");
    let r = api.raw(Method::POST, &items, "application/json", vec![0xff, 0xfe], &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let r = api.post(&items, &json!({"code": "1", "title": {"en": "x"}, "colour": "red"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has_error("colour", "unknown_field"), "{:?}", r.errors());
    let r = api.post(&items, &json!({"code": 1, "title": {"en": "x"}})).await;
    assert!(r.has_error("code", "invalid"), "wrong type: {:?}", r.errors());
    let r = api.post(&items, &json!({"title": {"en": "x"}})).await;
    assert!(r.has_error("code", "required"), "missing: {:?}", r.errors());
    let r = api.post(&items, &json!({"code": "1", "title": {"en": "x"}, "due": "2015-Q7"})).await;
    assert!(r.has_error("due", "invalid"), "{:?}", r.errors());
    let r = api.post(&items, &json!({"code": "1", "title": {"en": "x"}, "marking": {"level": "top_secret", "originator": "X"}})).await;
    assert!(r.has_error("marking.level", "invalid"), "nested path: {:?}", r.errors());
    let r = api.post(&items, &json!({"code": "1", "title": {"en": "x"}, "gender_marker": 3})).await;
    assert!(r.has_error("gender_marker", "invalid"), "{:?}", r.errors());
    let r = api.post(&items, &json!([1, 2])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An array is never read as a struct's fields, at the top or inside.
    let r = api.post(&items, &json!(["1", {"en": "x"}])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = api.post(&items, &json!({"code": "1", "title": {"en": "x"}, "marking": ["restricted", "NATO"]})).await;
    assert!(r.has_error("marking", "invalid"), "{:?}", r.errors());
    // A key given twice is refused, naming it, rather than the last one winning.
    let r = api.raw(Method::POST, &items, "application/json", br#"{"code": "1", "title": {"en": "x"}, "code": "2"}"#.to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.has_error("code", "duplicate"), "{:?}", r.errors());
    let r = api.raw(Method::POST, &items, "application/json", br#"{"code": "1", "title": {"en": "x", "en": "y"}}"#.to_vec(), &[]).await;
    assert!(r.has_error("title.en", "duplicate"), "{:?}", r.errors());
    let r = api.raw(Method::POST, &items, "text/plain", b"{}".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // None of these created anything.
    assert_eq!(api.get(&f.plan_path("/items/count")).await.body["count"], 0);
}

#[tokio::test]
async fn an_array_body_never_changes_a_record() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let id = f.item(None, "1", None).await;
    let path = format!("/api/v1/items/{id}");
    let r = api.patch(&path, "\"1\"", &json!(["Z9"])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let item = api.get(&path).await;
    assert_eq!((item.body["code"].as_str(), item.etag().as_str()), (Some("1"), "\"1\""), "unchanged");
}

#[tokio::test]
async fn rule_violations_are_422_with_every_problem_at_once() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let r = api
        .post(
            &f.plan_path("/items"),
            &json!({"code": " bad code ", "title": {}, "areas": ["astrology"], "weight": 5000, "start": "2016-01-01", "due": "2015-Q1", "level": "action"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, code) in
        [("code", "invalid"), ("title", "required"), ("areas", "unknown"), ("weight", "too_large"), ("start", "after_due"), ("level", "mismatch")]
    {
        assert!(r.has_error(field, code), "{field}/{code} missing from {:?}", r.errors());
    }
    assert_eq!(r.body["detail"], format!("the input has {} problems", r.errors().len()));
}

#[tokio::test]
async fn oversize_bodies_are_413() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let huge = format!("{{\"code\": \"1\", \"title\": {{\"en\": \"{}\"}}}}", "x".repeat(2 * 1024 * 1024));
    let r = api.raw(Method::POST, &f.plan_path("/items"), "application/json", huge.into_bytes(), &[]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.content_type(), "application/problem+json");
}

#[tokio::test]
async fn bad_ids_and_unknown_routes_are_404() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let missing = "01234567-89ab-7def-8123-456789abcdef";
    let answers = [
        api.get("/api/v1/plans/not-a-uuid").await,
        api.get(&format!("/api/v1/plans/{missing}")).await,
        api.get(&format!("/api/v1/items/{missing}")).await,
        api.get("/api/v1/items/12").await,
        api.get(&format!("/api/v1/items/{missing}/history")).await,
        api.patch(&format!("/api/v1/items/{missing}"), "\"1\"", &json!({})).await,
        api.get("/api/v1/nothing-here").await,
        api.get(&format!("/api/v1/plans/{}/versions/0", f.plan.id)).await,
    ];
    let first = answers[0].text.clone();
    for a in &answers {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{a:?}");
        assert_eq!(a.content_type(), "application/problem+json");
        assert_eq!(a.text, first, "every 404 says the same");
    }
    let r = api.send(Method::PUT, &f.plan_path(""), Some(&json!({})), &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.content_type(), "application/problem+json");
}

#[tokio::test]
async fn changes_need_if_match_and_a_current_version() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let id = f.item(None, "1", None).await;
    let path = format!("/api/v1/items/{id}");
    let r = api.send(Method::PATCH, &path, Some(&json!({"code": "2"})), &[]).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(r.body["type"], "urn:liaison:problem:if-match-required");
    assert_eq!(api.patch(&path, "*", &json!({"code": "2"})).await.status, StatusCode::PRECONDITION_REQUIRED);
    let r = api.patch(&path, "\"7\"", &json!({"code": "2"})).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(r.body["current_version"], 1);
    assert_eq!(api.patch(&path, "garbage", &json!({"code": "2"})).await.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(api.send(Method::DELETE, &path, None, &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches, even the
    // current version's.
    let weak = api.patch(&path, "W/\"1\"", &json!({"code": "2"})).await;
    assert_eq!(weak.status, StatusCode::PRECONDITION_FAILED, "{}", weak.text);
    assert!(weak.body["detail"].as_str().unwrap().contains("weak"), "{}", weak.text);
    assert_eq!(api.get(&path).await.body["code"], "1", "the weak If-Match changed nothing");
    let ok = api.patch(&path, "\"1\"", &json!({"code": "2"})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.etag(), "\"2\"");
    assert_eq!(api.get(&path).await.body["code"], "2");
}

#[tokio::test]
async fn bad_paging_and_queries_are_422() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=abc", "limit"),
        ("cursor=garbage", "cursor"),
        ("status=finished", "status"),
        ("due_quarter=2015-Q9", "due_quarter"),
        ("level=galaxy", "level"),
        ("parent=nope", "parent"),
        ("organisation=nope", "organisation"),
        ("colour=red", "colour"),
        ("q=%00", "q"),
        ("q=ab%07c", "q"),
    ] {
        let r = api.get(&f.plan_path(&format!("/items?{q}"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {}", r.text);
        assert!(r.errors().iter().any(|(fl, _)| fl == field), "{q}: {:?}", r.errors());
    }
    let r = api.get(&format!("{}?from=x", f.plan_path("/compare"))).await;
    assert!(r.has_error("from", "invalid"), "{}", r.text);
    assert_eq!(api.get("/api/v1/audit?from=yesterday").await.status, StatusCode::FORBIDDEN, "not a security officer");
}

/// Whatever arrives, the server never answers 5xx.
#[tokio::test]
async fn garbage_never_causes_a_server_error() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    let item = f.item(None, "1", None).await;
    let bodies = [
        json!(null),
        json!("string"),
        json!(12),
        json!({"title": {"en": "\u{0000}"}}),
        json!({"title": {"xx-invalid-tag": "a"}}),
        json!({"code": "a".repeat(10_000)}),
        json!({"marking": {"level": "public", "releasable_to": ["", "x y", "SRB"], "originator": ""}}),
        json!({"due": "continuous", "start": "2999-12-31"}),
        json!({"lead_organisation": "01234567-89ab-7def-8123-456789abcdef"}),
        json!({"contributing_organisations": ["not-an-id"]}),
        json!({"weight": 4_294_967_296u64}),
        json!({"parent": item.to_string(), "position": 4_000_000_000u64}),
    ];
    let paths = [f.plan_path("/items"), format!("/api/v1/items/{item}"), f.plan_path(""), "/api/v1/organisations".into(), f.plan_path("/decisions")];
    for p in &paths {
        for b in &bodies {
            for m in [Method::POST, Method::PATCH] {
                let r = api.send(m.clone(), p, Some(b), &[("if-match", "\"1\"")]).await;
                assert!(r.status.as_u16() < 500, "{m} {p} {b}: {} {}", r.status, r.text);
            }
        }
    }
}

/// Problem documents speak the reader's language (`Accept-Language`): the detail, each field
/// problem's message and the reason of a refusal; the codes stay the same in every language.
#[tokio::test]
async fn problems_speak_the_readers_language() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let viewer = f.as_("viewer").await;
    let items = f.plan_path("/items");
    let body = serde_json::to_vec(&json!({"code": "1", "title": {"en": ""}})).unwrap();
    let en = coord.raw(Method::POST, &items, "application/json", body.clone(), &[]).await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sr = coord.raw(Method::POST, &items, "application/json", body.clone(), &[("accept-language", "sr-RS,sr;q=0.9")]).await;
    let lat = coord.raw(Method::POST, &items, "application/json", body, &[("accept-language", "sr-Latn")]).await;
    assert_eq!(en.errors(), sr.errors(), "the same problems, by the same codes");
    assert_eq!(en.body["detail"], "the input has a problem", "{}", en.text);
    assert_eq!(sr.body["detail"], "унос има 1 проблем", "{}", sr.text);
    assert_eq!(lat.body["detail"], "unos ima 1 problem", "{}", lat.text);
    let message = |a: &Answer| a.body["errors"][0]["message"].as_str().unwrap_or("").to_string();
    assert!(!message(&en).is_empty() && message(&en) != message(&sr), "{} / {}", message(&en), message(&sr));
    assert!(message(&sr).chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "Cyrillic: {}", message(&sr));

    // A problem the use cases name only by its code has words in every language.
    let limit = coord.raw(Method::GET, &format!("{items}?limit=0"), "application/json", Vec::new(), &[("accept-language", "sr")]).await;
    assert!(limit.has_error("limit", "out_of_range"), "{}", limit.text);
    assert_eq!(limit.body["errors"][0]["message"], "мора бити између 1 и 500", "{}", limit.text);
    let limit = coord.get(&format!("{items}?limit=0")).await;
    assert_eq!(limit.body["errors"][0]["message"], "must be between 1 and 500", "{}", limit.text);

    // A refusal: why, in words, in the reader's language.
    let item = json!({"code": "9", "title": {"en": "Nine"}});
    let refused = viewer.post(&items, &item).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body["detail"], "Your role does not allow you to change this plan's items.", "{}", refused.text);
    let refused = viewer.raw(Method::POST, &items, "application/json", serde_json::to_vec(&item).unwrap(), &[("accept-language", "sr-Latn-RS")]).await;
    assert_eq!(refused.body["detail"], "Vaša uloga vam ne dozvoljava da menjate stavke ovog plana.", "{}", refused.text);

    // Without Accept-Language, the language chosen in the workspace (its cookie) counts.
    let chosen = f.server.anon().raw(Method::GET, "/api/v1/me", "application/json", Vec::new(), &[("cookie", "liaison_lang=sr-Cyrl")]).await;
    assert_eq!(chosen.status, StatusCode::UNAUTHORIZED);
    assert!(chosen.body["detail"].as_str().unwrap_or("").starts_with("пријавите се"), "{}", chosen.text);
}
