//! The public portal: stories move through release review by someone other than their author,
//! photos lose their metadata, and an anonymous crawler of every public page, feed, photo and
//! sitemap entry finds nothing that is not marked public on a published plan.

use crate::implementation::{implement, item, multipart};
use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, VecDeque};

const SITE: &str = "http://127.0.0.1:8080";

fn public() -> Marking {
    Marking::new(Level::Public, &[], "NATO")
}

fn marking_json(level: &str) -> Value {
    json!({"level": level, "releasable_to": if level == "public" { json!([]) } else { json!(["SRB"]) }, "originator": "NATO"})
}

async fn new_story(api: &Api, f: &Fixture, body: Value) -> Answer {
    api.post(&f.plan_path("/stories"), &body).await
}

async fn step(api: &Api, s: &Answer, to: &str, reason: Option<&str>) -> Answer {
    let mut body = json!({"step": to});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    api.post_if(&format!("/api/v1/stories/{}/steps", s.id()), &s.etag(), &body).await
}

async fn upload(api: &Api, s: &Answer, bytes: &[u8], caption: &str) -> Answer {
    let (ct, body) = multipart(&[("caption", None, caption.as_bytes()), ("credit", None, b"Liaison demo"), ("file", Some("photo.jpg"), bytes)]);
    api.raw(Method::POST, &format!("/api/v1/stories/{}/photos", s.id()), &ct, body, &[("if-match", &s.etag())]).await
}

async fn set_portal(api: &Api, f: &Fixture, published: bool) -> Answer {
    let cur = api.get(&f.plan_path("/portal")).await;
    api.send(
        Method::PUT,
        &f.plan_path("/portal"),
        Some(&json!({"title": {"en": "Serbia and NATO: the partnership plan", "sr": "Србија и НАТО: план партнерства"}, "summary": {"en": "What the **plan** does.", "sr": "Шта план ради."}, "published": published})),
        &[("if-match", &cur.etag())],
    )
    .await
}

async fn bytes(base: &str, path: &str, headers: &[(&str, &str)]) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut rb = reqwest::Client::new().get(format!("{base}{path}"));
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.expect("request");
    let (status, h) = (r.status(), r.headers().clone());
    (status, h, r.bytes().await.expect("body").to_vec())
}

/// A published story about `items`, by the partner, released by the coordinator.
async fn published_story(
    partner: &Api,
    coordinator: &Api,
    f: &Fixture,
    language: &str,
    title: &str,
    items: &[liaison_domain::ItemId],
    activities: &[String],
) -> Answer {
    let s = new_story(partner, f, json!({"language": language, "title": title, "summary": format!("{title}: summary"), "body": format!("{title}\n\nThe *body*."), "items": items, "activities": activities})).await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
    let s = upload(partner, &s, &liaison_adapters::photos::illustration(800, 600, 2), &format!("{title}: photo")).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let s = step(partner, &s, "submit", None).await;
    let s = step(coordinator, &s, "publish", None).await;
    assert_eq!(s.body["state"], "published", "{}", s.text);
    s
}

#[tokio::test]
async fn stories_are_released_by_someone_other_than_their_author() {
    let f = Fixture::new().await;
    let (partner, coordinator, viewer, ally, anon) =
        (f.as_("partner").await, f.as_("coordinator").await, f.as_("viewer").await, f.as_("ally").await, f.server.anon());
    let body = json!({"language": "en", "title": "Defence reform, one year on", "summary": "A year of the plan.", "body": "It **began** in January.<script>alert(1)</script>"});
    assert_eq!(new_story(&viewer, &f, body.clone()).await.status, StatusCode::FORBIDDEN, "viewers do not write");
    assert_eq!(new_story(&ally, &f, body.clone()).await.status, StatusCode::FORBIDDEN, "Allies do not write the plan's stories");
    assert_eq!(anon.post(&f.plan_path("/stories"), &body).await.status, StatusCode::UNAUTHORIZED);
    let bad = new_story(&partner, &f, json!({"language": "de", "title": " ", "summary": "", "body": ""})).await;
    assert!(bad.has_error("language", "invalid") && bad.has_error("title", "invalid"), "{}", bad.text);
    let s = new_story(&partner, &f, body).await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
    assert_eq!(s.body["state"], "draft");
    assert_eq!(s.body["marking"]["level"], "public", "stories are written for the public");
    assert_eq!(step(&partner, &s, "publish", None).await.status, StatusCode::FORBIDDEN, "the author never releases");
    assert_eq!(step(&coordinator, &s, "publish", None).await.status, StatusCode::CONFLICT, "not before it is submitted");
    let edited = partner.patch(&format!("/api/v1/stories/{}", s.id()), &s.etag(), &json!({"summary": "A year of the plan, told simply."})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(
        partner.patch(&format!("/api/v1/stories/{}", s.id()), &s.etag(), &json!({"summary": "lost?"})).await.status,
        StatusCode::PRECONDITION_FAILED,
        "a stale edit is refused"
    );
    let review = step(&partner, &edited, "submit", None).await;
    assert_eq!(review.body["state"], "release_review", "{}", review.text);
    assert_eq!(
        partner.patch(&format!("/api/v1/stories/{}", s.id()), &review.etag(), &json!({"title": "x"})).await.status,
        StatusCode::CONFLICT,
        "no edits under review"
    );
    assert!(step(&coordinator, &review, "return", Some("  ")).await.has_error("reason", "required"));
    assert_eq!(step(&viewer, &review, "publish", None).await.status, StatusCode::FORBIDDEN);
    let returned = step(&coordinator, &review, "return", Some("Name the ministry.")).await;
    assert_eq!(returned.body["state"], "draft");
    assert_eq!(returned.body["reason"], "Name the ministry.");
    let review = step(&partner, &returned, "submit", None).await;
    let published = step(&coordinator, &review, "publish", None).await;
    assert_eq!(published.body["state"], "published", "{}", published.text);
    assert!(published.body["published_at"].is_string());
    // A coordinator's own story needs another reviewer.
    let own = new_story(&coordinator, &f, json!({"language": "en", "title": "Own", "summary": "s", "body": "b"})).await;
    let own = step(&coordinator, &own, "submit", None).await;
    assert_eq!(step(&coordinator, &own, "publish", None).await.status, StatusCode::FORBIDDEN, "not even a coordinator releases their own story");
    // Only a story marked public can be released.
    let internal =
        new_story(&partner, &f, json!({"language": "en", "title": "Internal", "summary": "s", "body": "b", "marking": marking_json("nato_unclassified")}))
            .await;
    assert_eq!(internal.status, StatusCode::CREATED, "{}", internal.text);
    let internal = step(&partner, &internal, "submit", None).await;
    assert!(matches!(step(&coordinator, &internal, "publish", None).await.status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY));
    // Withdrawing needs a reason; every step is in the history, by whom.
    assert!(step(&coordinator, &published, "withdraw", None).await.has_error("reason", "required"));
    let withdrawn = step(&coordinator, &published, "withdraw", Some("Out of date.")).await;
    assert_eq!(withdrawn.body["state"], "withdrawn");
    let history = partner.get(&format!("/api/v1/stories/{}/history", s.id())).await;
    let actions: Vec<&str> = history.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["withdraw", "publish", "submit", "return", "submit", "update", "create"]);
    let redrafted = step(&partner, &withdrawn, "redraft", None).await;
    assert_eq!(redrafted.body["state"], "draft");
}

#[tokio::test]
async fn photos_lose_their_metadata_and_bad_uploads_get_clear_errors() {
    let f = Fixture::new().await;
    let (partner, coordinator, ally) = (f.as_("partner").await, f.as_("coordinator").await, f.as_("ally").await);
    set_portal(&coordinator, &f, true).await;
    let s = new_story(&partner, &f, json!({"language": "en", "title": "Photos", "summary": "s", "body": "b"})).await;
    let phone = liaison_adapters::photos::with_gps(&liaison_adapters::photos::illustration(2400, 1800, 4));
    assert!(phone.windows(10).any(|w| w == b"GPS-CANARY"), "the upload carries a position");
    // Wrong side, wrong encoding, no file.
    assert_eq!(upload(&ally, &s, &phone, "x").await.status, StatusCode::FORBIDDEN);
    let not_form = partner.raw(Method::POST, &format!("/api/v1/stories/{}/photos", s.id()), "image/jpeg", phone.clone(), &[("if-match", &s.etag())]).await;
    assert_eq!(not_form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (ct, body) = multipart(&[("caption", None, b"x"), ("credit", None, b"y")]);
    assert!(
        partner.raw(Method::POST, &format!("/api/v1/stories/{}/photos", s.id()), &ct, body, &[("if-match", &s.etag())]).await.has_error("file", "required")
    );
    // Bad images.
    let truncated = &phone[..phone.len() / 2];
    for (bytes, code) in [(truncated, "unreadable"), (&b"GIF89a\x01\x00\x01\x00"[..], "type"), (&b""[..], "empty"), (&b"%PDF-1.7\n"[..], "type")] {
        let a = upload(&partner, &s, bytes, "Caption").await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {}", a.text);
        assert!(a.has_error("file", code), "{code}: {}", a.text);
    }
    assert!(upload(&partner, &s, &phone, " ").await.has_error("caption", "invalid"), "a photo needs a caption");
    let big = vec![0xFFu8; liaison_domain::story::MAX_PHOTO_BYTES + 1024];
    assert!(upload(&partner, &s, &big, "Big").await.has_error("file", "too_large"), "just over the limit: a clear field error");
    let huge = vec![0xFFu8; liaison_domain::story::MAX_PHOTO_BYTES + 256 * 1024];
    assert_eq!(upload(&partner, &s, &huge, "Huge").await.status, StatusCode::PAYLOAD_TOO_LARGE, "far over it: the server stops reading");
    let (ct, stale) = multipart(&[("caption", None, b"x"), ("credit", None, b"y"), ("file", Some("p.jpg"), &phone)]);
    assert_eq!(
        partner.raw(Method::POST, &format!("/api/v1/stories/{}/photos", s.id()), &ct, stale, &[("if-match", "\"9\"")]).await.status,
        StatusCode::PRECONDITION_FAILED
    );
    // A good one: the web size and the thumbnail carry no EXIF and no position.
    let with = upload(&partner, &s, &phone, "Cadets at the academy").await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.text);
    let photo = with.body["photos"][0].clone();
    assert_eq!((photo["width"].as_u64(), photo["height"].as_u64()), (Some(1600), Some(1200)));
    let pid = photo["id"].as_str().unwrap().to_string();
    let s2 = step(&partner, &with, "submit", None).await;
    step(&coordinator, &s2, "publish", None).await;
    for path in [format!("/public/photos/{pid}/web"), format!("/public/photos/{pid}/thumb")] {
        let (status, h, out) = bytes(&f.server.base, &path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(h["content-type"], "image/jpeg");
        assert!(out.starts_with(&[0xFF, 0xD8]), "a JPEG");
        assert!(!out.windows(4).any(|w| w == b"Exif"), "no EXIF in {path}");
        assert!(!out.windows(10).any(|w| w == b"GPS-CANARY"), "no position in {path}");
    }
    assert_eq!(bytes(&f.server.base, &format!("/public/photos/{pid}/original"), &[]).await.0, StatusCode::NOT_FOUND, "originals are never kept or served");
}

/// Every link under `/public/` reachable from the portal's front page and its sitemap, in every
/// language, fetched anonymously: path → (status, content type, body).
async fn crawl(base: &str) -> HashMap<String, (StatusCode, String, Vec<u8>)> {
    let mut seen: HashMap<String, (StatusCode, String, Vec<u8>)> = HashMap::new();
    let mut queue: VecDeque<String> =
        ["/public/", "/public/?lang=sr-Cyrl", "/public/?lang=sr-Latn", "/public/sitemap.xml"].iter().map(|s| s.to_string()).collect();
    while let Some(path) = queue.pop_front() {
        if seen.contains_key(&path) {
            continue;
        }
        assert!(seen.len() < 2_000, "the crawl does not end");
        let (status, h, body) = bytes(base, &path, &[]).await;
        let ct = h.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        if !ct.starts_with("image/") {
            let text = String::from_utf8_lossy(&body).replace("&amp;", "&");
            for attr in ["href=\"", "src=\"", "<loc>", "content=\""] {
                for part in text.split(attr).skip(1) {
                    let end = part.find(['"', '<']).unwrap_or(part.len());
                    let link = part[..end].strip_prefix(SITE).unwrap_or(&part[..end]);
                    if link.starts_with("/public") && !seen.contains_key(link) {
                        queue.push_back(link.to_string());
                    }
                }
            }
        }
        seen.insert(path, (status, ct, body));
    }
    seen
}

#[tokio::test]
async fn an_anonymous_crawler_finds_only_what_is_public() {
    let f = Fixture::new().await;
    let app = &f.server.app;
    implement(app, f.plan.id).await;
    let (partner, coordinator, ally, reporter) = (f.as_("partner").await, f.as_("coordinator").await, f.as_("ally").await, f.as_("reporter").await);
    let levels = ["public", "nato_unclassified", "nato_restricted", "nato_confidential", "nato_secret"];
    let mut canaries: Vec<String> = Vec::new();
    let mut canary = |kind: &str, level: &str| {
        let c = format!("CANARY-{kind}-{level}").to_uppercase();
        canaries.push(c.clone());
        c
    };
    // Public things that belong on the portal.
    let shown = f.item(None, "1", Some(public())).await;
    let shown_child = f.item(Some(shown), "1.1", Some(public())).await;
    let conference = coordinator
        .post(&f.plan_path("/activities"), &json!({"kind": "conference", "title": {"en": "Kovačica conference", "sr": "Конференција у Ковачици"}, "dates": {"start": "2015-01-23", "end": "2015-01-23"}, "place": "Kovačica", "items": [shown], "marking": marking_json("public"), "downgrade": true}))
        .await;
    assert_eq!(conference.status, StatusCode::CREATED, "{}", conference.text);
    // Hidden things of every kind and level: items, activities, requests, offers, reports, comments.
    let mut hidden_items = Vec::new();
    for level in &levels[1..] {
        let lv: Level = serde_json::from_value(json!(level)).unwrap();
        let m = Marking::new(lv, &["SRB"], "NATO");
        let code = format!("77.{}", hidden_items.len() + 1);
        let id = item(app, f.plan.id, &code, Some(f.orgs["MoD"]), Some(m.clone()), None).await;
        let title = canary("item", level);
        let cur = coordinator.get(&format!("/api/v1/items/{id}")).await;
        let renamed = coordinator.patch(&format!("/api/v1/items/{id}"), &cur.etag(), &json!({"title": {"en": title, "sr": title}})).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
        hidden_items.push(id);
        let a = coordinator
            .post(&f.plan_path("/activities"), &json!({"kind": "visit", "title": {"en": canary("activity", level)}, "dates": {"start": "2015-02-10", "end": "2015-02-11"}, "place": canary("place", level), "marking": marking_json(level)}))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        let s = new_story(
            &coordinator,
            &f,
            json!({"language": "en", "title": canary("story", level), "summary": "s", "body": "b", "marking": marking_json(level), "items": [id]}),
        )
        .await;
        assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
        if *level == "nato_secret" {
            continue; // above the partner's clearance: no request at this level
        }
        let r = partner.post(&f.plan_path("/requests"), &json!({"title": {"en": canary("request", level)}, "kind": "training", "period": {"start": "2015-01-01", "end": "2015-12-31"}, "items": [id], "marking": marking_json(level)})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let offer = ally.post(&f.plan_path("/offers"), &json!({"kind": "training", "title": {"en": canary("offer", "nato_unclassified")}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [shown]})).await;
    assert_eq!(offer.status, StatusCode::CREATED, "{}", offer.text);
    // A public activity that only the offer's readers may connect to it is still public; its link is not.
    let report = partner
        .post(
            &format!("/api/v1/items/{shown_child}/updates"),
            &json!({"period": "2015-Q1", "status": "in_progress", "percent": 40, "narrative": canary("report", "public-item")}),
        )
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    let etag = format!("\"{}\"", report.body["version"]);
    let submitted = partner.post_if(&format!("/api/v1/updates/{}/steps", report.id()), &etag, &json!({"step": "submit"})).await;
    let etag = format!("\"{}\"", submitted.body["version"]);
    let approved = coordinator.post_if(&format!("/api/v1/updates/{}/steps", report.id()), &etag, &json!({"step": "approve"})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    let hidden_report = reporter
        .post(
            &format!("/api/v1/items/{}/updates", hidden_items[0]),
            &json!({"period": "2015-Q1", "status": "completed", "percent": 100, "narrative": canary("report", "nato_unclassified")}),
        )
        .await;
    assert_eq!(hidden_report.status, StatusCode::CREATED, "{}", hidden_report.text);
    let comment = coordinator.post(&format!("/api/v1/items/{shown}/comments"), &json!({"body": canary("comment", "public-item")})).await;
    assert_eq!(comment.status, StatusCode::CREATED, "{}", comment.text);
    // Public stories that are not published: a draft with a photo, one under review, one withdrawn.
    let draft = new_story(&partner, &f, json!({"language": "en", "title": canary("story", "draft"), "summary": "s", "body": "b"})).await;
    let draft = upload(&partner, &draft, &liaison_adapters::photos::illustration(300, 200, 9), &canary("caption", "draft")).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.text);
    let draft_photo = draft.body["photos"][0]["id"].as_str().unwrap().to_string();
    let review = new_story(&partner, &f, json!({"language": "en", "title": canary("story", "review"), "summary": "s", "body": "b"})).await;
    step(&partner, &review, "submit", None).await;
    let gone = published_story(&partner, &coordinator, &f, "en", &canary("story", "withdrawn"), &[], &[]).await;
    assert_eq!(step(&coordinator, &gone, "withdraw", Some("Wrong date.")).await.status, StatusCode::OK);
    let gone_photo = gone.body["photos"][0]["id"].as_str().unwrap().to_string();
    // A published story that links a public item, a hidden item and the public activity.
    let story = new_story(&partner, &f, json!({"language": "sr", "title": "Конференција у Ковачици", "summary": "Грађани су питали.", "body": "Разговор о **плану**.", "items": [shown, hidden_items[0]], "activities": [conference.id()]})).await;
    assert_eq!(story.status, StatusCode::CREATED, "{}", story.text);
    let story = upload(&partner, &story, &liaison_adapters::photos::illustration(640, 480, 1), "Сала у Ковачици").await;
    let story = step(&partner, &story, "submit", None).await;
    let story = step(&coordinator, &story, "publish", None).await;
    assert_eq!(story.status, StatusCode::OK, "{}", story.text);
    let en_story = published_story(&partner, &coordinator, &f, "en", "The plan is agreed", &[shown], &[]).await;
    // A second plan, not on the portal, with a public item and a published story.
    let other = liaison_app::plans::create(
        app,
        &liaison_app::Ctx::system("test"),
        serde_json::from_value(json!({"framework": "ipap", "code": "IPAP-X", "title": {"en": canary("plan", "unpublished")}, "partner": f.orgs["MFA"], "owner": f.orgs["NATO IS"], "period": {"start": "2015-01-01", "end": "2016-12-31"}})).unwrap(),
    )
    .await
    .unwrap();
    item(app, other.id, "1", None, Some(public()), None).await;
    liaison_app::stories::set_portal(
        app,
        &liaison_app::Ctx::system("test"),
        other.id,
        0,
        serde_json::from_value(json!({"title": {"en": canary("portal", "unpublished")}, "summary": {}, "published": false})).unwrap(),
    )
    .await
    .unwrap();
    let other_story = liaison_app::stories::create(
        app,
        &liaison_app::Ctx::system("test"),
        other.id,
        serde_json::from_value(json!({"language": "en", "title": canary("story", "unpublished-plan"), "summary": "s", "body": "b"})).unwrap(),
    )
    .await
    .unwrap();

    // Before the plan is on the portal, nothing of it is.
    let before = crawl(&f.server.base).await;
    assert!(before.keys().all(|k| !k.contains(&f.plan.id.to_string())), "no link to an unpublished plan");
    assert_eq!(bytes(&f.server.base, &format!("/public/plans/{}", f.plan.id), &[]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        bytes(&f.server.base, &format!("/public/stories/{}", en_story.id()), &[]).await.0,
        StatusCode::NOT_FOUND,
        "a published story of an unpublished plan stays hidden"
    );
    assert_eq!(set_portal(&partner, &f, true).await.status, StatusCode::FORBIDDEN, "coordinators put a plan on the portal");
    let put = set_portal(&coordinator, &f, true).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    // The owner publishes IATI data: the portal gets its open-data file.
    let admin = f.as_("admin").await;
    let owner = admin.patch(&format!("/api/v1/organisations/{}", f.orgs["NATO IS"]), "\"1\"", &json!({"iati_ref": "XI-IATI-TEST"})).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text);

    let pages = crawl(&f.server.base).await;
    let plan = f.plan.id.to_string();
    for must in [
        format!("/public/plans/{plan}?lang=en"),
        format!("/public/plans/{plan}/stories?lang=sr-Latn"),
        format!("/public/plans/{plan}/activities?lang=sr-Cyrl"),
        format!("/public/plans/{plan}/feed.atom?lang=sr-Cyrl"),
        format!("/public/plans/{plan}/calendar.ics?lang=en"),
        format!("/public/plans/{plan}/iati.xml"),
        format!("/public/stories/{}?lang=sr-Latn", story.id()),
        format!("/public/stories/{}?lang=en", en_story.id()),
        format!("/public/photos/{}/thumb", story.body["photos"][0]["id"].as_str().unwrap()),
        format!("/public/photos/{}/web", story.body["photos"][0]["id"].as_str().unwrap()),
    ] {
        assert!(pages.contains_key(&must), "the crawler reaches {must}; it found {:?}", pages.keys().collect::<BTreeSet<_>>());
    }
    // The open-data file names the plan by its id, not by its own record's code or title
    // (which are marked like the plan).
    let iati = String::from_utf8_lossy(&pages[&format!("/public/plans/{plan}/iati.xml")].2).into_owned();
    assert!(iati.contains(&format!("<iati-identifier>XI-IATI-TEST-{plan}</iati-identifier>")), "{iati}");
    assert!(!iati.contains("IPAP-T") && !iati.contains("Test IPAP"), "{iati}");
    for (path, (status, ct, body)) in &pages {
        assert_eq!(*status, StatusCode::OK, "{path}");
        if ct.starts_with("image/") {
            continue;
        }
        let text = String::from_utf8_lossy(body).to_uppercase();
        for c in &canaries {
            assert!(!text.contains(c), "{c} leaks through {path} ({ct})");
        }
        for id in hidden_items.iter().map(|i| i.to_string()).chain([
            draft.id(),
            review.id(),
            gone.id(),
            offer.id(),
            other.id.to_string(),
            other_story.id.to_string(),
            draft_photo.clone(),
            gone_photo.clone(),
            comment.id(),
        ]) {
            assert!(!text.contains(&id.to_uppercase()), "hidden record {id} shows through {path}");
        }
        assert!(!text.contains("77.1") && !text.contains("77.2"), "hidden item codes show through {path}");
    }
    // Counts: the status list counts the two public items, nothing else.
    let (_, _, page) = bytes(&f.server.base, &format!("/public/plans/{plan}?lang=en"), &[]).await;
    let page = String::from_utf8_lossy(&page).to_string();
    let counted: u64 = page
        .split("<span class=\"badge status-")
        .skip(1)
        .filter_map(|p| p.split("</span> ").nth(1))
        .filter_map(|n| n.split('<').next()?.trim().parse::<u64>().ok())
        .sum();
    assert_eq!(counted, 2, "counts only the public items: {page}");
    assert!(page.contains("<td class=\"code\">1.1</td>") && page.contains("40 %"), "public items with their approved progress: {page}");
    // The hidden link from the published story is dropped, and so is every unpublished story's page and photo.
    let api = f.server.anon();
    let public_story = api.get(&format!("/public/stories/{}?lang=en", story.id())).await;
    assert!(public_story.text.contains("Kovačica conference") && !public_story.text.contains("77.1"));
    for path in [
        format!("/public/stories/{}", draft.id()),
        format!("/public/stories/{}", review.id()),
        format!("/public/stories/{}", gone.id()),
        format!("/public/stories/{}", other_story.id),
        format!("/public/photos/{draft_photo}/web"),
        format!("/public/photos/{gone_photo}/thumb"),
        format!("/public/plans/{}", other.id),
        format!("/public/plans/{}/feed.atom", other.id),
        format!("/public/plans/{}/calendar.ics", other.id),
        "/public/stories/not-a-uuid".into(),
        format!("/public/photos/{draft_photo}/huge"),
    ] {
        assert_eq!(api.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // A change to a hidden record changes nothing public, not even the dates.
    let plan_page = format!("/public/plans/{plan}?lang=en");
    let (_, h1, b1) = bytes(&f.server.base, &plan_page, &[]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let cur = coordinator.get(&format!("/api/v1/items/{}", hidden_items[2])).await;
    assert_eq!(coordinator.patch(&format!("/api/v1/items/{}", hidden_items[2]), &cur.etag(), &json!({"status": "completed"})).await.status, StatusCode::OK);
    let (_, h2, b2) = bytes(&f.server.base, &plan_page, &[]).await;
    assert_eq!((h1["etag"].clone(), h1["last-modified"].clone(), b1), (h2["etag"].clone(), h2["last-modified"].clone(), b2), "no trace of the hidden change");
    // Taking the plan off the portal takes everything with it.
    set_portal(&coordinator, &f, false).await;
    let after = crawl(&f.server.base).await;
    assert!(after.keys().all(|k| !k.contains(&plan)), "nothing of the plan is left: {:?}", after.keys().collect::<BTreeSet<_>>());
}

#[tokio::test]
async fn feeds_are_valid_pages_cache_and_both_scripts_render() {
    let f = Fixture::new().await;
    implement(&f.server.app, f.plan.id).await;
    let (partner, coordinator) = (f.as_("partner").await, f.as_("coordinator").await);
    let shown = f.item(None, "1", Some(public())).await;
    set_portal(&coordinator, &f, true).await;
    let conference = coordinator
        .post(&f.plan_path("/activities"), &json!({"kind": "conference", "title": {"en": "Conference; in Kovačica, with citizens", "sr": "Конференција у Ковачици"}, "dates": {"start": "2015-01-23", "end": "2015-01-23"}, "place": "Kovačica, Dom kulture", "marking": marking_json("public"), "downgrade": true}))
        .await;
    assert_eq!(conference.status, StatusCode::CREATED, "{}", conference.text);
    let sr = published_story(&partner, &coordinator, &f, "sr", "Споразум је потписан & <објављен>", &[shown], &[conference.id()]).await;
    let en = published_story(&partner, &coordinator, &f, "en", "The plan is agreed & <published>", &[shown], &[]).await;
    let base = &f.server.base;
    let plan = f.plan.id;

    // Atom: well-formed XML, the Atom namespace, one entry per story of that language.
    for (lang, entry_title, other) in [
        ("en", "The plan is agreed & <published>", sr.id()),
        ("sr-Cyrl", "Споразум је потписан & <објављен>", en.id()),
        ("sr-Latn", "Sporazum je potpisan & <objavljen>", en.id()),
    ] {
        let (status, h, body) = bytes(base, &format!("/public/plans/{plan}/feed.atom?lang={lang}"), &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(h["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
        let text = String::from_utf8(body).expect("UTF-8");
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{lang} feed is not well-formed: {e}\n{text}"));
        let root = doc.root_element();
        assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("feed", Some("http://www.w3.org/2005/Atom")));
        let child = |n: roxmltree::Node, name: &str| n.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).map(String::from);
        for required in ["id", "title", "updated"] {
            assert!(child(root, required).is_some_and(|v| !v.is_empty()), "feed {required}");
        }
        assert!(root.children().any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self")), "a self link");
        let entries: Vec<_> = root.children().filter(|c| c.tag_name().name() == "entry").collect();
        assert_eq!(entries.len(), 1, "{lang}: one story in this language");
        let e = entries[0];
        assert_eq!(child(e, "title").as_deref(), Some(entry_title));
        for required in ["id", "updated", "summary", "content"] {
            assert!(child(e, required).is_some(), "entry {required}");
        }
        assert!(chrono::DateTime::parse_from_rfc3339(&child(e, "updated").unwrap()).is_ok(), "RFC 3339 dates");
        assert!(!text.contains(&other), "the other language's story is in its own feed");
    }
    // The portal's pages announce the feed in their language.
    let page = f.server.anon().get(&format!("/public/plans/{plan}?lang=sr-Latn")).await;
    assert!(
        page.text
            .contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Priče\" href=\"/public/plans/{plan}/feed.atom?lang=sr-Latn\">")),
        "{}",
        page.text
    );
    // Both Serbian scripts: the same story, with the right lang attributes.
    let cyr = f.server.anon().get(&format!("/public/stories/{}?lang=sr-Cyrl", sr.id())).await;
    assert!(cyr.text.contains("<html lang=\"sr-Cyrl\">") && cyr.text.contains("<article lang=\"sr-Cyrl\">"));
    assert!(cyr.text.contains("Споразум је потписан") && cyr.text.contains("Приче"));
    let lat = f.server.anon().get(&format!("/public/stories/{}?lang=sr-Latn", sr.id())).await;
    assert!(lat.text.contains("<html lang=\"sr-Latn\">") && lat.text.contains("<article lang=\"sr-Latn\">"));
    assert!(lat.text.contains("Sporazum je potpisan") && lat.text.contains("Priče") && !lat.text.contains("Споразум"), "{}", lat.text);
    let en_page = f.server.anon().get(&format!("/public/stories/{}?lang=en", sr.id())).await;
    assert!(
        en_page.text.contains("<html lang=\"en\">") && en_page.text.contains("<article lang=\"sr-Cyrl\">"),
        "a Serbian story on an English page keeps its own lang"
    );
    // Open Graph: title, description and an absolute photo address.
    let og = f.server.anon().get(&format!("/public/stories/{}?lang=en", en.id())).await;
    assert!(og.text.contains("<meta property=\"og:title\" content=\"The plan is agreed &#38; &#60;published&#62;\">"), "{}", og.text);
    assert!(og.text.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(og.text.contains(&format!("<meta property=\"og:image\" content=\"{SITE}/public/photos/{}/web\">", en.body["photos"][0]["id"].as_str().unwrap())));
    assert!(og.text.contains("<meta property=\"og:description\" content=\"The plan is agreed &#38; &#60;published&#62;: summary\">"));
    let plan_og = f.server.anon().get(&format!("/public/plans/{plan}?lang=en")).await;
    assert!(
        plan_og.text.contains(&format!("<meta property=\"og:image\" content=\"{SITE}/public/photos/{}/web\">", en.body["photos"][0]["id"].as_str().unwrap())),
        "the plan's card shows its newest story's photo in the reader's language"
    );

    // iCalendar: lines end in CRLF, none longer than 75 octets, the calendar and the event complete.
    let (status, h, body) = bytes(base, &format!("/public/plans/{plan}/calendar.ics?lang=sr-Latn"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = String::from_utf8(body).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75 && !l.contains('\n')), "folded at 75 octets, CRLF only");
    for needed in
        ["VERSION:2.0", "PRODID:", "BEGIN:VEVENT", "UID:activity-", "DTSTAMP:", "DTSTART;VALUE=DATE:20150123", "DTEND;VALUE=DATE:20150124", "END:VEVENT"]
    {
        assert!(ics.contains(needed), "{needed} in\n{ics}");
    }
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("SUMMARY:Konferencija u Kovačici"), "the Latin script: {unfolded}");
    assert!(unfolded.contains("LOCATION:Kovačica\\, Dom kulture"), "commas escaped");
    assert_eq!(liaison_interop::ical::parse(&ics).map(|c| c.len()).ok(), Some(1), "our own reader agrees");

    // Sitemap: well-formed, every page in every language, absolute.
    let (_, _, body) = bytes(base, "/public/sitemap.xml", &[]).await;
    let text = String::from_utf8(body).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("sitemap XML");
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    let locs: Vec<&str> = doc.descendants().filter(|n| n.tag_name().name() == "loc").filter_map(|n| n.text()).collect();
    assert!(locs.contains(&format!("{SITE}/public/stories/{}?lang=sr-Latn", sr.id()).as_str()), "{locs:?}");
    assert!(locs.iter().all(|l| l.starts_with(SITE)));
    let robots = f.server.anon().get("/robots.txt").await;
    assert!(robots.text.contains("Allow: /public/\nDisallow: /\n") && robots.text.contains(&format!("Sitemap: {SITE}/public/sitemap.xml")), "{}", robots.text);

    // Caching: ETag and Last-Modified; 304 when unchanged; a new publication changes the answer.
    let path = format!("/public/plans/{plan}/stories?lang=en");
    let (status, h, _) = bytes(base, &path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = h["etag"].to_str().unwrap().to_string();
    assert!(h.contains_key("last-modified") && h["cache-control"].to_str().unwrap().starts_with("public"));
    let (status, _, body) = bytes(base, &path, &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0));
    published_story(&partner, &coordinator, &f, "en", "Second story", &[], &[]).await;
    let (status, h, body) = bytes(base, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "publishing invalidates the cached page");
    assert_ne!(h["etag"].to_str().unwrap(), etag);
    assert!(String::from_utf8_lossy(&body).contains("Second story"));
    // The feed follows too.
    let (_, _, feed) = bytes(base, &format!("/public/plans/{plan}/feed.atom?lang=en"), &[]).await;
    assert!(String::from_utf8_lossy(&feed).contains("Second story"));
}

#[tokio::test]
async fn stories_and_the_portal_through_their_pages() {
    let f = Fixture::new().await;
    implement(&f.server.app, f.plan.id).await;
    let shown = f.item(None, "1", Some(public())).await;
    let base = format!("/plans/{}", f.plan.id);
    let partner = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let coordinator = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    // The partner writes; a story without a title comes back with the problem.
    let bad = partner.form(&format!("{base}/stories/new"), &[("language", "en"), ("title", ""), ("summary", "s"), ("body", "b")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("error-summary") && bad.text.contains("title"), "{}", bad.text);
    let ok = partner
        .form(
            &format!("{base}/stories/new"),
            &[
                ("language", "sr"),
                ("title", "Отворен информативни пункт"),
                ("summary", "Грађани могу да питају."),
                ("body", "Пункт ради **сваког** дана."),
                ("items", &shown.to_string()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let list = partner.get(&format!("{base}/stories")).await;
    assert!(list.text.contains("Отворен информативни пункт") && list.text.contains("lang=\"sr-Cyrl\""), "{}", list.text);
    assert!(list.text.contains("value=\"submit\"") && !list.text.contains("value=\"publish\""), "the author may submit, not publish");
    let stories = coordinator.get(&f.plan_path("/stories")).await.body;
    let sid = stories[0]["id"].as_str().unwrap().to_string();
    // A photo through the form: a broken file is refused with the reason, a good one is kept.
    let upload = |bytes: Vec<u8>, version: String| {
        let (ct, body) = multipart(&[
            ("version", None, version.as_bytes()),
            ("caption", None, "Пункт".as_bytes()),
            ("credit", None, b"MFA"),
            ("file", Some("p.jpg"), &bytes),
        ]);
        (ct, body)
    };
    let (ct, body) = upload(b"not a picture".to_vec(), "1".into());
    let refused = partner.post_raw(&format!("/stories/{sid}/photos"), &ct, body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("JPEG"), "the reason names what is accepted: {}", refused.text);
    // Photos may be larger than evidence files (15 MB against 10 MB by default): this one is read and judged.
    let (ct, body) = upload(vec![0x42; 12 * 1024 * 1024], "1".into());
    let judged = partner.post_raw(&format!("/stories/{sid}/photos"), &ct, body).await;
    assert_eq!(judged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(judged.text.contains("JPEG") && !judged.text.contains("too large"), "{}", judged.text);
    let (ct, body) = upload(liaison_adapters::photos::with_gps(&liaison_adapters::photos::illustration(900, 600, 7)), "1".into());
    assert_eq!(partner.post_raw(&format!("/stories/{sid}/photos"), &ct, body).await.status, StatusCode::SEE_OTHER);
    assert_eq!(partner.form(&format!("/stories/{sid}/step"), &[("step", "fly"), ("version", "2")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        partner.form(&format!("/stories/{sid}/step"), &[("step", "submit"), ("version", "1")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a stale version is explained"
    );
    assert_eq!(partner.form(&format!("/stories/{sid}/step"), &[("step", "submit"), ("version", "2")]).await.status, StatusCode::SEE_OTHER);
    // The coordinator publishes; a viewer sees the list without any form.
    let review = coordinator.get(&format!("{base}/stories")).await;
    assert!(review.text.contains("value=\"publish\"") && review.text.contains("value=\"return\""));
    assert_eq!(
        coordinator.form(&format!("/stories/{sid}/step"), &[("step", "return"), ("version", "3"), ("reason", "")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(coordinator.form(&format!("/stories/{sid}/step"), &[("step", "publish"), ("version", "3")]).await.status, StatusCode::SEE_OTHER);
    let seen = viewer.get(&format!("{base}/stories")).await;
    assert!(
        seen.text.contains("Отворен информативни пункт") && !seen.text.contains("<form method=\"post\" action=\"/stories/"),
        "viewers read, they do not act"
    );
    // The portal settings: coordinators only, a title is needed.
    assert_eq!(partner.form(&format!("{base}/portal"), &[("version", "0"), ("title_en", "Ours"), ("published", "on")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        coordinator.form(&format!("{base}/portal"), &[("version", "0"), ("title_en", ""), ("published", "on")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(f.server.anon().get(&format!("/public/stories/{sid}")).await.status, StatusCode::NOT_FOUND, "not before the plan is on the portal");
    let put = coordinator
        .form(
            &format!("{base}/portal"),
            &[("version", "0"), ("title_en", "Serbia and NATO"), ("title_sr", "Србија и НАТО"), ("summary_en", "What we do."), ("published", "on")],
        )
        .await;
    assert_eq!(put.status, StatusCode::SEE_OTHER, "{}", put.text);
    let public_page = f.server.anon().get(&format!("/public/stories/{sid}?lang=sr-Latn")).await;
    assert_eq!(public_page.status, StatusCode::OK);
    assert!(
        public_page.text.contains("Otvoren informativni punkt") && public_page.text.contains("Punkt radi <strong>svakog</strong> dana."),
        "{}",
        public_page.text
    );
}

#[tokio::test]
async fn a_story_names_only_the_items_its_reader_may_see() {
    let f = Fixture::new().await;
    let (partner, coordinator) = (f.as_("partner").await, f.as_("coordinator").await);
    let open = f.item(None, "1", None).await;
    let secret = f.item(None, "2", Some(Marking::new(Level::NatoSecret, &[], "NATO"))).await;
    let s = new_story(&coordinator, &f, json!({"language": "en", "title": "Two goals", "summary": "s", "body": "b", "items": [open, secret]})).await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
    let edited = coordinator.patch(&format!("/api/v1/stories/{}", s.id()), &s.etag(), &json!({"items": [secret]})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    let theirs = partner.get(&format!("/api/v1/stories/{}", s.id())).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.body["items"], json!([]), "the secret goal is not named");
    let history = partner.get(&format!("/api/v1/stories/{}/history", s.id())).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(2));
    assert!(history.text.contains(&open.to_string()) && !history.text.contains(&secret.to_string()), "nor in the history: {}", history.text);
    let list = partner.get(&f.plan_path("/stories")).await;
    assert!(!list.text.contains(&secret.to_string()));
    let mine = coordinator.get(&format!("/api/v1/stories/{}/history", s.id())).await;
    assert!(mine.text.contains(&secret.to_string()), "the coordinator sees it");
}
