//! The workspace pages through HTTP: every page and form, with validation and stale edits.

use crate::support::*;
use liaison_domain::marking::{Level, Marking};
use reqwest::StatusCode;

fn form_fields(html: &str, names: &[&str]) -> Vec<(String, String)> {
    names.iter().map(|n| (n.to_string(), input_value(html, n).unwrap_or_default())).collect()
}

#[tokio::test]
async fn signing_in_and_out_through_the_forms() {
    let f = Fixture::new().await;
    let b = f.server.browser();
    let r = b.get(&f.plan_path("").replace("/api/v1", "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "pages send strangers to the sign-in form");
    assert!(r.location().starts_with("/login?next=%2Fplans%2F"), "{}", r.location());
    let page = b.get("/login").await;
    assert!(page.text.contains("<form method=\"post\" action=\"/login\"") && page.text.contains("autocomplete=\"current-password\""));
    let bad = b.form("/login", &[("email", &f.emails["viewer"]), ("password", "wrong"), ("next", "/")]).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.text.contains("role=\"alert\"") && bad.text.contains("not right"));
    assert_eq!(input_value(&bad.text, "email").as_deref(), Some(f.emails["viewer"].as_str()), "the e-mail stays typed");
    assert!(!bad.text.contains("wrong\""), "the password is never echoed");
    let ok = b.form("/login", &[("email", &f.emails["viewer"]), ("password", PASSWORD), ("next", "//evil.example/")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/", "never off-site");
    let cookie = ok.header("set-cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text.contains("IPAP-T") && home.text.contains("Signed in as"));
    assert_eq!(home.text.matches("class=\"marking-banner\"").count(), 2, "banner at top and bottom");
    let out = b.form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_language_is_chosen_by_links_remembered_and_defaults_from_the_browser() {
    let f = Fixture::new().await;
    let b = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    let sr = b.get_with("/", &[("accept-language", "sr-RS,sr;q=0.9,en;q=0.5")]).await;
    assert!(sr.text.contains("<html lang=\"sr-Cyrl\">") && sr.text.contains("Планови"), "Accept-Language chooses Serbian");
    let r = b.get("/lang/sr-Latn?next=%2F").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    assert!(r.header("set-cookie").starts_with("liaison_lang=sr-Latn"));
    let latn = b.get_with("/", &[("accept-language", "en")]).await;
    assert!(latn.text.contains("<html lang=\"sr-Latn\">") && latn.text.contains("Planovi"), "the choice beats the browser");
    assert!(latn.text.contains("Test IPAP"), "content falls back to English");
    b.get("/lang/sr-Cyrl?next=%2F").await;
    let plan = b.get(&format!("/plans/{}", f.plan.id)).await;
    assert!(plan.text.contains("Тест ИПАП") && plan.text.contains("lang=\"sr\""), "Serbian content in Cyrillic");
    b.get("/lang/sr-Latn?next=%2F").await;
    let plan = b.get(&format!("/plans/{}", f.plan.id)).await;
    assert!(plan.text.contains("Test IPAP") || plan.text.contains("Test IPAP"));
    assert!(plan.text.contains("Test IPAP") && !plan.text.contains("Тест ИПАП"), "Cyrillic content shown in Latin");
    assert_eq!(b.get("/lang/klingon").await.status, StatusCode::NOT_FOUND);
    // The account remembers the last choice (for its notifications and e-mails).
    let me = f.as_("viewer").await.get("/api/v1/me").await;
    assert_eq!(me.body["user"]["language"], "sr-Latn", "{}", me.text);
    // A visitor who is not signed in chooses too, for the browser only.
    let anon = f.server.browser();
    assert!(anon.get("/lang/sr-Cyrl?next=%2Flogin").await.header("set-cookie").starts_with("liaison_lang=sr-Cyrl"));
}

#[tokio::test]
async fn the_plan_page_shows_the_tree_filters_charts_decisions_and_lifecycle() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let ch = coord
        .post(
            &f.plan_path("/items"),
            &serde_json::json!({"code": "1", "title": {"en": "Political framework"}, "areas": ["cyber_defence"], "due": "2015-Q2", "status": "delayed"}),
        )
        .await
        .id();
    coord
        .post(&f.plan_path("/items"), &serde_json::json!({"code": "1.1", "title": {"en": "Dialogue"}, "parent": ch, "status": "completed", "due": "2015-Q3"}))
        .await;
    coord
        .post(&f.plan_path("/decisions"), &serde_json::json!({"kind": "council_approved", "date": "2015-01-15", "body": {"en": "North Atlantic Council"}}))
        .await;
    let b = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let path = format!("/plans/{}", f.plan.id);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "Political framework",
        "Dialogue",
        "class=\"depth-1",
        "overdue",
        "class=\"chart chart-bars\"",
        "Items by status",
        "North Atlantic Council",
        "Start negotiation",
        "role=\"search\"",
    ] {
        assert!(page.text.contains(needle), "{needle} missing");
    }
    assert!(!page.text.contains("style="), "no inline styles (the CSP forbids them)");
    let filtered = b.get(&format!("{path}?status=completed")).await;
    assert!(filtered.text.contains("Dialogue") && !filtered.text.contains(">Political framework<"));
    assert!(filtered.text.contains("Showing 1 of 2"));
    let bad = b.get(&format!("{path}?status=bogus&due_quarter=nope")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text.contains("were not understood"));
    // The viewer sees no lifecycle buttons and no "new item".
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    let v = viewer.get(&path).await;
    assert!(!v.text.contains("Start negotiation") && !v.text.contains("/items/new"));
    // Lifecycle through the buttons; a refused move explains itself.
    let version = f.plan.version.to_string();
    let refused = b.form(&format!("{path}/transition"), &[("to", "agreed"), ("version", &version)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("cannot move to agreed"));
    let stale = b.form(&format!("{path}/transition"), &[("to", "negotiation"), ("version", "99")]).await;
    assert!(stale.text.contains("changed while you were looking"));
    let moved = b.form(&format!("{path}/transition"), &[("to", "negotiation"), ("version", &version)]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let page = b.get(&path).await;
    assert!(page.text.contains("Approve for the alliance") && page.text.contains("not yet given"));
    let approve = b.form(&format!("{path}/approve"), &[("side", "owner")]).await;
    assert_eq!(approve.status, StatusCode::SEE_OTHER);
    assert!(b.get(&path).await.text.contains("given for the current text"));
    assert_eq!(viewer.form(&format!("{path}/approve"), &[("side", "owner")]).await.status, StatusCode::FORBIDDEN);
    // Hidden and missing plans are the same 404 page.
    let missing = b.get("/plans/01234567-89ab-7def-8123-456789abcdef").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.content_type().starts_with("text/html"));
    assert_eq!(b.get("/plans/nonsense").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
    let outsider = f.server.browser_as(&f.emails["outsider"], PASSWORD).await;
    let hidden = outsider.get(&path).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let main = |html: &str| html.split("<main").nth(1).unwrap_or("").split("</main>").next().unwrap_or("").to_string();
    assert_eq!(main(&hidden.text), main(&outsider.get("/plans/01234567-89ab-7def-8123-456789abcdef").await.text), "hidden reads as missing");
}

#[tokio::test]
async fn creating_an_item_keeps_what_was_typed_when_it_is_refused() {
    let f = Fixture::new().await;
    let b = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let new = format!("/plans/{}/items/new", f.plan.id);
    let form = b.get(&new).await;
    assert_eq!(form.status, StatusCode::OK);
    for label in ["for=\"code\"", "for=\"title_en\"", "for=\"due\"", "for=\"marking_level\""] {
        assert!(form.text.contains(label), "{label}");
    }
    let r = b
        .form(
            &new,
            &[
                ("code", ""),
                ("title_en", "Draft wording kept"),
                ("due", "2015-Q9"),
                ("status", "planned"),
                ("weight", "1"),
                ("gender_marker", "0"),
                ("marking_level", "nato_unclassified"),
                ("marking_releasable", "SRB"),
                ("marking_originator", "SRB"),
                ("version", ""),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"due-error\"") && r.text.contains("aria-invalid=\"true\""));
    assert_eq!(input_value(&r.text, "title_en").as_deref(), Some("Draft wording kept"));
    let r = b
        .form(
            &new,
            &[
                ("code", ""),
                ("title_en", "Draft wording kept"),
                ("due", "2015-Q3"),
                ("status", "planned"),
                ("weight", "1"),
                ("gender_marker", "0"),
                ("marking_level", "nato_unclassified"),
                ("marking_releasable", "SRB"),
                ("marking_originator", "SRB"),
                ("version", ""),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"code-error\""), "the rule problem sits next to its field");
    assert_eq!(input_value(&r.text, "due").as_deref(), Some("2015-Q3"));
    let ok = b
        .form(
            &new,
            &[
                ("code", "1"),
                ("title_en", "Defence reform"),
                ("title_sr", "Реформа одбране"),
                ("due", "2015-Q3"),
                ("status", "planned"),
                ("weight", "2"),
                ("gender_marker", "1"),
                ("areas", "cyber_defence"),
                ("areas", "logistics"),
                ("marking_level", "nato_unclassified"),
                ("marking_releasable", "SRB"),
                ("marking_originator", "SRB"),
                ("version", ""),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let item = b.get(&ok.location()).await;
    assert!(
        item.text.contains("Defence reform") && item.text.contains("Cyber defence") && item.text.contains("Logistics") && item.text.contains("1 — significant")
    );
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert_eq!(viewer.get(&new).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editing_shows_problems_in_place_and_a_stale_edit_shows_the_other_change() {
    let f = Fixture::new().await;
    let id = f.item(None, "1", None).await;
    let alice = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let bob = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let edit = format!("/items/{id}/edit");
    let a_form = alice.get(&edit).await;
    let b_form = bob.get(&edit).await;
    assert_eq!(input_value(&a_form.text, "version").as_deref(), Some("1"));
    let names = [
        "code",
        "title_en",
        "title_sr",
        "title_sr_latn",
        "description_en",
        "description_sr",
        "status",
        "start",
        "due",
        "lead",
        "weight",
        "gender_marker",
        "marking_level",
        "marking_releasable",
        "marking_originator",
        "version",
        "parent",
    ];
    let mut fields = form_fields(&a_form.text, &names);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "title_en" => *v = "".into(),
            "status" => *v = "in_progress".into(),
            "gender_marker" => *v = "0".into(),
            "marking_level" => *v = "nato_unclassified".into(),
            _ => {}
        }
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = alice.form(&edit, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"title-error\""), "an empty title is refused next to the title");
    // Alice fixes it and saves.
    for (k, v) in fields.iter_mut() {
        if k == "title_en" {
            *v = "Alice's wording".into();
        }
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(alice.form(&edit, &pairs).await.status, StatusCode::SEE_OTHER);
    // Bob, still on version 1, saves his wording: he sees Alice's change and keeps his text.
    let mut bob_fields = form_fields(&b_form.text, &names);
    for (k, v) in bob_fields.iter_mut() {
        match k.as_str() {
            "title_en" => *v = "Bob's wording".into(),
            "status" => *v = "planned".into(),
            "gender_marker" => *v = "0".into(),
            "marking_level" => *v = "nato_unclassified".into(),
            _ => {}
        }
    }
    let pairs: Vec<(&str, &str)> = bob_fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let stale = bob.form(&edit, &pairs).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.text.contains("Someone else changed this item") && stale.text.contains("coordinator"));
    let notice = stale.text.split("class=\"stale\"").nth(1).unwrap_or("").split("</section>").next().unwrap_or("");
    assert!(
        notice.contains("<ins>Alice&#39;s</ins>") && notice.contains("<ins>wording</ins>") && notice.contains("<ins>In progress</ins>"),
        "their change is shown: {notice}"
    );
    let kept = input_value(&stale.text, "title_en").unwrap_or_default();
    assert_eq!(kept, "Bob's wording", "his text is kept");
    assert_eq!(input_value(&stale.text, "version").as_deref(), Some("2"), "ready to save on top of the new version");
    let again: Vec<(String, String)> = form_fields(&stale.text, &names);
    let pairs: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(bob.form(&edit, &pairs).await.status, StatusCode::SEE_OTHER, "re-applied deliberately");
    let item = f.as_("viewer").await.get(&format!("/api/v1/items/{id}")).await;
    assert!(item.body["title"]["en"].as_str().unwrap().starts_with("Bob"));
    assert_eq!(item.body["version"], 3, "nothing was lost silently: both saves are versions");
}

#[tokio::test]
async fn the_item_page_shows_text_links_history_and_comments_safely() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let a = coord
        .post(&f.plan_path("/items"), &serde_json::json!({"code": "A", "title": {"en": "Alpha"}, "description": {"en": "**Bold** <script>alert(1)</script>"}}))
        .await
        .id();
    let bb = coord.post(&f.plan_path("/items"), &serde_json::json!({"code": "B", "title": {"en": "Beta"}})).await.id();
    coord.post(&format!("/api/v1/items/{a}/links"), &serde_json::json!({"to": bb, "kind": "depends_on"})).await;
    coord.patch(&format!("/api/v1/items/{a}"), "\"1\"", &serde_json::json!({"status": "in_progress", "title": {"en": "Alpha one"}})).await;
    let hidden = f.item(None, "H", Some(Marking::new(Level::NatoRestricted, &[], "NATO"))).await;
    coord.post(&format!("/api/v1/items/{a}/links"), &serde_json::json!({"to": hidden, "kind": "supports"})).await;
    let b = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    let page = b.get(&format!("/items/{a}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<strong>Bold</strong>") && !page.text.contains("<script>alert"), "Markdown rendered safely");
    assert!(page.text.contains("Depends on") && page.text.contains("Beta"));
    assert!(!page.text.contains(&hidden.to_string()), "a link to a hidden item is not shown");
    assert!(page.text.contains("<del>Planned</del>") && page.text.contains("<ins>In progress</ins>"), "statuses in words in the history");
    assert!(page.text.contains("<ins> one</ins>"), "changed words highlighted");
    let c = b.form(&format!("/items/{a}/comments"), &[("body", "")]).await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(c.text.contains("id=\"comment-error\""));
    let c = b.form(&format!("/items/{a}/comments"), &[("body", "We agree with *this* wording.")]).await;
    assert_eq!(c.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/items/{a}")).await;
    assert!(page.text.contains("<em>this</em>") && page.text.contains("One comment"));
    assert_eq!(b.get(&format!("/items/{hidden}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn versions_and_their_comparison() {
    let f = Fixture::new().await;
    let coord = f.as_("coordinator").await;
    let partner = f.as_("partner").await;
    let a = coord.post(&f.plan_path("/items"), &serde_json::json!({"code": "A", "title": {"en": "Improve the defence planning system"}})).await.id();
    coord.post_if(&f.plan_path("/transitions"), "\"1\"", &serde_json::json!({"to": "negotiation"})).await;
    coord.post(&f.plan_path("/approvals"), &serde_json::json!({})).await;
    partner.post(&f.plan_path("/approvals"), &serde_json::json!({})).await;
    coord.post_if(&f.plan_path("/transitions"), "\"2\"", &serde_json::json!({"to": "agreed"})).await;
    coord.patch(&format!("/api/v1/items/{a}"), "\"1\"", &serde_json::json!({"title": {"en": "Improve the national defence planning process"}})).await;
    coord.post(&f.plan_path("/items"), &serde_json::json!({"code": "B", "title": {"en": "New action"}})).await;
    let b = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    let v = b.get(&format!("/plans/{}/versions", f.plan.id)).await;
    assert!(v.text.contains("Compare with now"));
    let c = b.get(&format!("/plans/{}/compare?from=1&to=current", f.plan.id)).await;
    assert_eq!(c.status, StatusCode::OK);
    assert!(c.text.contains("One item added") && c.text.contains("New action"));
    assert!(c.text.contains("<ins>national </ins>") && c.text.contains("<del>system</del>") && c.text.contains("<ins>process</ins>"), "word-level redline");
    assert_eq!(b.get(&format!("/plans/{}/compare?from=9&to=current", f.plan.id)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/plans/{}/compare?from=x", f.plan.id)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn members_and_administration_pages() {
    let f = Fixture::new().await;
    let admin = f.server.browser_as(&f.emails["admin"], PASSWORD).await;
    let users = admin.get("/admin/users").await;
    assert_eq!(users.status, StatusCode::OK);
    assert!(users.text.contains("coordinator@test.example") && users.text.contains("New account"));
    let org = f.orgs["NATO IS"].to_string();
    let bad = admin
        .form(
            "/admin/users",
            &[("display_name", ""), ("email", "not-an-email"), ("organisation", &org), ("clearance", "nato_restricted"), ("password", "short")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"email-error\"") && bad.text.contains("id=\"password-error\"") && bad.text.contains("id=\"display_name-error\""));
    assert_eq!(input_value(&bad.text, "email").as_deref(), Some("not-an-email"));
    let ok = admin
        .form(
            "/admin/users",
            &[
                ("display_name", "New officer"),
                ("email", "officer@test.example"),
                ("organisation", &org),
                ("clearance", "nato_restricted"),
                ("password", "a long enough phrase"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let user_page = admin.get(&ok.location()).await;
    assert!(user_page.text.contains("New officer"));
    let stale = admin
        .form(
            &ok.location(),
            &[
                ("display_name", "Renamed"),
                ("email", "officer@test.example"),
                ("organisation", &org),
                ("clearance", "nato_secret"),
                ("status", "active"),
                ("version", "9"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(input_value(&stale.text, "display_name").as_deref(), Some("Renamed"));
    let saved = admin
        .form(
            &ok.location(),
            &[
                ("display_name", "Renamed"),
                ("email", "officer@test.example"),
                ("organisation", &org),
                ("clearance", "nato_secret"),
                ("status", "active"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let orgs = admin.get("/admin/organisations").await;
    assert!(orgs.text.contains("NATO IS"));
    let bad = admin
        .form(
            "/admin/organisations",
            &[("name_en", "Ministry of Interior"), ("short_name", "MoI"), ("kind", "partner_government"), ("country", ""), ("parent", ""), ("version", "")],
        )
        .await;
    assert!(bad.text.contains("id=\"country-error\""), "partner organisations need a country");
    let ok = admin
        .form(
            "/admin/organisations",
            &[
                ("name_en", "Ministry of Interior"),
                ("name_sr", "Министарство унутрашњих послова"),
                ("short_name", "MoI"),
                ("kind", "partner_government"),
                ("country", "srb"),
                ("parent", ""),
                ("version", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert_eq!(viewer.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.get("/admin/organisations").await.status, StatusCode::FORBIDDEN);
    assert!(!viewer.get("/").await.text.contains("/admin/users"), "no admin links for others");
    let so = f.server.browser_as(&f.emails["security"], PASSWORD).await;
    let so_users = so.get("/admin/users").await;
    assert_eq!(so_users.status, StatusCode::OK, "security officers read accounts");
    assert!(!so_users.text.contains("New account"), "but do not create them");
    // Members of the plan.
    let coord = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    let members = coord.get(&format!("/plans/{}/members", f.plan.id)).await;
    assert!(members.text.contains("Partner editor") && members.text.contains("Remove"));
    let viewer_members = viewer.get(&format!("/plans/{}/members", f.plan.id)).await;
    assert!(!viewer_members.text.contains("Remove"));
}

#[tokio::test]
async fn starting_a_plan_recording_a_decision_and_deleting_an_item_through_forms() {
    let f = Fixture::new().await;
    let coord = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await;
    assert!(coord.get("/").await.text.contains("href=\"/plans/new\""));
    let form = coord.get("/plans/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let (mfa, nato) = (f.orgs["MFA"].to_string(), f.orgs["NATO IS"].to_string());
    let bad = coord
        .form(
            "/plans/new",
            &[
                ("framework", "ipap"),
                ("code", "IPAP-2"),
                ("title_en", ""),
                ("partner", &mfa),
                ("owner", &nato),
                ("period_start", "2019-01-01"),
                ("period_end", "nonsense"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"period_end-error\""));
    assert_eq!(input_value(&bad.text, "code").as_deref(), Some("IPAP-2"));
    let bad = coord
        .form(
            "/plans/new",
            &[
                ("framework", "ipap"),
                ("code", "IPAP-2"),
                ("title_en", ""),
                ("partner", &mfa),
                ("owner", &nato),
                ("period_start", "2019-01-01"),
                ("period_end", "2021-12-31"),
            ],
        )
        .await;
    assert!(bad.text.contains("id=\"title-error\""), "the rules' problems in place too");
    let ok = coord
        .form(
            "/plans/new",
            &[
                ("framework", "ipap"),
                ("code", "IPAP-2"),
                ("title_en", "Second cycle"),
                ("partner", &mfa),
                ("owner", &nato),
                ("period_start", "2019-01-01"),
                ("period_end", "2021-12-31"),
                ("predecessor", &f.plan.id.to_string()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    assert!(coord.get(&ok.location()).await.text.contains("Second cycle"));
    let partner = f.server.browser_as(&f.emails["partner"], PASSWORD).await;
    assert_eq!(partner.get("/plans/new").await.status, StatusCode::FORBIDDEN);

    let new_decision = format!("/plans/{}/decisions/new", f.plan.id);
    assert_eq!(partner.get(&new_decision).await.status, StatusCode::OK);
    let bad = partner.form(&new_decision, &[("kind", "partner_adopted"), ("date", "2014-12-14"), ("body_en", "")]).await;
    assert!(bad.text.contains("id=\"body-error\""));
    let ok = partner
        .form(&new_decision, &[("kind", "partner_adopted"), ("date", "2014-12-14"), ("body_en", "Government of Serbia"), ("reference", "05 No. 1")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(partner.get(&format!("/plans/{}", f.plan.id)).await.text.contains("Government of Serbia"));
    let viewer = f.server.browser_as(&f.emails["viewer"], PASSWORD).await;
    assert_eq!(viewer.get(&new_decision).await.status, StatusCode::FORBIDDEN);

    let parent = f.item(None, "P", None).await;
    f.item(Some(parent), "P.1", None).await;
    let confirm = coord.get(&format!("/items/{parent}/delete")).await;
    assert!(confirm.text.contains("Also delete its one child item"));
    let refused = coord.form(&format!("/items/{parent}/delete"), &[("version", "1")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "children need the box ticked");
    let gone = coord.form(&format!("/items/{parent}/delete"), &[("version", "1"), ("cascade", "1")]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(coord.get(&format!("/items/{parent}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&format!("/items/{}/delete", f.item(None, "Q", None).await)).await.status, StatusCode::FORBIDDEN);
}
