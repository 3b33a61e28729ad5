//! Two installations in one test — the alliance's and the partner's, each with its own
//! database and key — exchanging signed bundles: what the peer may not hold never leaves,
//! tampered, foreign, replayed or oversized bundles are refused with nothing changed, changes
//! on both sides meet in a merge, and a conflict waits for a person.

use crate::implementation::{implement, item, multipart};
use crate::support::*;
use base64::Engine;
use liaison_app::exchange::{self, ExchangeError};
use liaison_app::{App, Ctx};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, PlanId};
use liaison_interop::exchange as format;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const MAX: u64 = 64 * 1024 * 1024;

/// The payload of a bundle file, as text (for the canary checks).
fn payload(bytes: &[u8]) -> String {
    let env: Value = serde_json::from_slice(bytes).unwrap();
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(env["payload"].as_str().unwrap()).unwrap()).unwrap()
}

fn refused(r: Result<exchange::Imported, ExchangeError>) -> String {
    match r {
        Err(ExchangeError::Refused(m)) => m,
        Err(e) => panic!("not a refusal: {e:?}"),
        Ok(i) => panic!("applied: {i:?}"),
    }
}

async fn plan_here(app: &App) -> Option<liaison_domain::plan::Plan> {
    liaison_store::plans::find_by_code(&app.db().unfiltered(), "IPAP-T").await.unwrap()
}

async fn title_of(app: &App, id: ItemId) -> String {
    liaison_store::items::get(&app.db().unfiltered(), id).await.unwrap().unwrap().title.get("en").unwrap_or_default().to_string()
}

/// Change an item's English title as the program would (one transaction, one Change row).
async fn retitle(app: &App, id: ItemId, title: &str) -> liaison_store::Result<()> {
    let mut it = liaison_store::items::get(&app.db().unfiltered(), id).await?.expect("item");
    let before = it.version;
    it.title = Text::new("en", title);
    it.version += 1;
    let tx = app.db().begin().await?;
    liaison_store::items::update(&tx, &it, before).await?;
    tx.record(liaison_domain::change::ChangeDraft::marked(
        "item",
        id.uuid(),
        Some(it.plan),
        it.version,
        "update",
        None,
        Some((&it.marking, json!({"title": title}))),
    ));
    tx.commit(&Ctx::system("test").provenance(app.now())).await?;
    Ok(())
}

async fn verified(app: &App) {
    let v = liaison_app::audit::verify(app, |_, _| {}).await.unwrap();
    assert_eq!(v.fault, None, "the audit chain verifies");
}

#[tokio::test]
async fn two_installations_exchange_what_each_may_hold_and_nothing_else() {
    // The alliance's installation: the fixture's plan, in implementation.
    let f = Fixture::new().await;
    let a = &f.server.app;
    let plan: PlanId = f.plan.id;
    implement(a, plan).await;
    // The partner's: an empty database.
    let b_server = Server::start().await;
    let b = &b_server.app;
    let sys = Ctx::system("test");

    let (_, ka) = exchange::keygen(a, &sys, "nato-hq", "nato_secret", [1; 32]).await.unwrap();
    let (_, kb) = exchange::keygen(b, &sys, "srb-mod", "nato_restricted", [2; 32]).await.unwrap();
    let stranger = format::signing_key([9; 32]);
    let key = |k: &format::SigningKey| format::key_text(&k.verifying_key());
    exchange::add_peer(a, &sys, "srb-mod", &key(&kb), "SRB", "nato_restricted").await.unwrap();
    exchange::add_peer(a, &sys, "ukr-mod", &key(&format::signing_key([3; 32])), "UKR", "nato_restricted").await.unwrap();
    exchange::add_peer(a, &sys, "srb-gs", &key(&format::signing_key([4; 32])), "SRB", "nato_restricted").await.unwrap();
    exchange::add_peer(b, &sys, "nato-hq", &key(&ka), "NATO", "nato_restricted").await.unwrap();
    // Bad peers are refused.
    assert!(exchange::add_peer(a, &sys, "Bad Name", &key(&kb), "SRB", "nato_restricted").await.is_err());
    assert!(exchange::add_peer(a, &sys, "x", "not-a-key", "SRB", "nato_restricted").await.is_err());
    assert!(exchange::add_peer(a, &sys, "x", &key(&ka), "SRB", "nato_restricted").await.is_err(), "its own key");

    // What the partner may hold, and canaries it may not.
    let shared = item(a, plan, "1", Some(f.orgs["MoD"]), None, None).await;
    let child = item(a, plan, "1.1", None, None, Some(shared)).await;
    let above = item(a, plan, "ZQXLEVEL", None, Some(Marking::new(Level::NatoConfidential, &["SRB"], "NATO")), None).await;
    let foreign = item(a, plan, "ZQXREL", None, Some(Marking::new(Level::NatoRestricted, &["UKR"], "NATO")), None).await;
    let coordinator = f.as_("coordinator").await;
    let ally = f.as_("ally").await;
    let r = coordinator.post(&format!("/api/v1/items/{above}/comments"), &json!({"body": "ZQXCOMMENT on a hidden item"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = ally
        .post(
            &f.plan_path("/offers"),
            &json!({"kind": "training", "title": {"en": "ZQXOFFER for Allies only"}, "period": {"start": "2015-03-01", "end": "2015-06-30"}, "items": [shared],
                    "marking": {"level": "nato_restricted", "releasable_to": [], "originator": "NOR"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (ct, body) = multipart(&[("file", Some("zqxfile.pdf"), b"%PDF-1.4\n% ZQXFILE alliance only\n"), ("level", None, b"nato_restricted")]);
    let secret_file = coordinator.raw(Method::POST, &f.plan_path("/attachments"), &ct, body, &[]).await;
    assert_eq!(secret_file.status, StatusCode::CREATED, "{}", secret_file.text);
    let (ct, body) = multipart(&[("file", Some("course.pdf"), b"%PDF-1.4\n% shared course report\n")]);
    let shared_file = coordinator.raw(Method::POST, &f.plan_path("/attachments"), &ct, body, &[]).await;
    assert_eq!(shared_file.status, StatusCode::CREATED, "{}", shared_file.text);

    // The first bundle: everything the partner may hold.
    let preview = exchange::export(a, &sys, &ka, "IPAP-T", "srb-mod", false, true).await.unwrap();
    let first = exchange::export(a, &sys, &ka, "IPAP-T", "srb-mod", false, false).await.unwrap();
    assert_eq!(preview.manifest.records.len(), first.manifest.records.len(), "the preview is what goes");
    assert_eq!((first.manifest.seq, preview.manifest.seq), (1, 1), "a preview uses no number");
    let text = payload(&first.bytes);
    for canary in [
        "ZQXLEVEL",
        "ZQXREL",
        "ZQXCOMMENT",
        "ZQXOFFER",
        "ZQXFILE",
        "zqxfile",
        &above.to_string(),
        &foreign.to_string(),
        secret_file.body["sha256"].as_str().unwrap(),
    ] {
        assert!(!text.contains(canary), "{canary} is in the bundle");
    }
    for present in [shared.to_string(), child.to_string(), shared_file.body["sha256"].as_str().unwrap().to_string(), "Item 1.1".into()] {
        assert!(text.contains(&present), "{present} is not in the bundle");
    }
    assert!(first.by_kind["item"] >= 2 && first.by_kind["attachment"] == 1 && first.manifest.files.len() == 1, "{:?}", first.by_kind);
    assert!(first.manifest.records.iter().all(|r| r.sha256.len() == 64));
    let no_key = exchange::export(a, &sys, &kb, "IPAP-T", "srb-mod", false, true).await.unwrap_err();
    assert!(no_key.to_string().contains("not this installation's"), "{no_key}");

    // Refused, each with a clear message, and nothing changes.
    let env: Value = serde_json::from_slice(&first.bytes).unwrap();
    let mut flipped = first.bytes.clone();
    let at = flipped.len() / 2;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    let m = refused(exchange::import(b, &sys, &flipped, MAX, true).await);
    assert!(m.contains("changed after it was signed") || m.contains("not"), "{m}");
    let mut dropped: Value = serde_json::from_str(&payload(&first.bytes)).unwrap();
    dropped["records"].as_array_mut().unwrap().remove(3);
    let mut forged = env.clone();
    forged["payload"] = json!(base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&dropped).unwrap()));
    assert!(refused(exchange::import(b, &sys, &serde_json::to_vec(&forged).unwrap(), MAX, true).await).contains("changed after it was signed"));
    let opened = format::open(&first.bytes, MAX, &[ka.verifying_key()]).unwrap();
    let (resigned, _) = format::sign(opened.bundle.clone(), &stranger).unwrap();
    assert!(refused(exchange::import(b, &sys, &resigned, MAX, true).await).contains("no signature is by a trusted key"));
    assert!(refused(exchange::import(b, &sys, &first.bytes[..first.bytes.len() - 40], MAX, true).await).contains("truncated"));
    assert!(refused(exchange::import(b, &sys, &first.bytes, 1000, true).await).contains("limited to 1000 bytes"));
    let mut lying = opened.bundle.clone();
    lying.manifest.files[0].size = u64::MAX;
    let m = refused(exchange::import(b, &sys, &forge_signed(&lying, &ka), MAX, true).await);
    assert!(m.contains("does not match its hash or size"), "{m}");
    let other = exchange::export(a, &sys, &ka, "IPAP-T", "srb-gs", false, false).await.unwrap();
    assert!(refused(exchange::import(b, &sys, &other.bytes, MAX, true).await).contains("this bundle is for \"srb-gs\""));
    let m = exchange::export(a, &sys, &ka, "IPAP-T", "ukr-mod", false, true).await.unwrap_err().to_string();
    assert!(m.contains("may not hold plan IPAP-T"), "the plan is not releasable to UKR: {m}");
    assert!(plan_here(b).await.is_none(), "nothing was changed by refused bundles");

    // A preview changes nothing; applying creates; the same bundle again changes nothing.
    let p = exchange::import(b, &sys, &first.bytes, MAX, false).await.unwrap();
    assert!(!p.applied && p.created["item"] >= 2, "{p:?}");
    assert!(plan_here(b).await.is_none(), "a preview changes nothing");
    let r = exchange::import(b, &sys, &first.bytes, MAX, true).await.unwrap();
    assert_eq!(r.created, p.created, "applying does what the preview said");
    assert!(r.history > 0 && r.files == 1 && r.conflicts.is_empty() && r.refused.is_empty(), "{r:?}");
    assert!(exchange::import(b, &sys, &first.bytes, MAX, true).await.unwrap().already);
    assert_eq!(title_of(b, child).await, "Item 1.1");
    assert!(liaison_store::items::get(&b.db().unfiltered(), above).await.unwrap().is_none());
    let people = liaison_store::users::list(&b.db().unfiltered(), None, 100).await.unwrap().items;
    assert!(!people.is_empty(), "the people the records name came along");
    for u in &people {
        assert!(u.email.ends_with("@peer.invalid") && u.status == liaison_domain::user::UserStatus::Disabled && u.global_roles.is_empty(), "{u:?}");
    }
    for secret in ["@test.example", "argon2"] {
        let at = text.find(secret);
        assert!(at.is_none(), "{secret} leaves: {}", at.map(|i| &text[i.saturating_sub(300)..(i + 100).min(text.len())]).unwrap_or_default());
    }
    verified(b).await;

    // Both sides change the same field of one item; only the partner changes the other.
    retitle(a, shared, "Alliance title").await.unwrap();
    retitle(b, shared, "Partner title").await.unwrap();
    retitle(b, child, "Partner child").await.unwrap();
    // The partner comments: its record, read-only at the alliance.
    let mfa = liaison_store::organisations::find_by_short_name(&b.db().unfiltered(), "MFA").await.unwrap().expect("the bundle brought the organisations");
    let officer = liaison_app::users::create(
        b,
        &sys,
        liaison_domain::user::NewUser {
            display_name: "Partner officer".into(),
            email: "officer@mfa.example".into(),
            organisation: mfa.id,
            clearance: Level::NatoRestricted,
            global_roles: vec![],
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    liaison_app::plans::set_member(b, &sys, plan, liaison_app::plans::SetMember { user: officer.id, role: liaison_domain::access::Role::PartnerEditor })
        .await
        .unwrap();
    let actor = liaison_app::auth::actor_for(b, officer.clone()).await.unwrap();
    let octx = Ctx { actor, request_id: "test".into(), source: "test".into() };
    let comment = liaison_app::comments::create(b, &octx, shared, liaison_domain::comment::NewComment { body: "Done by the partner".into(), marking: None })
        .await
        .unwrap();

    let back = exchange::export(b, &sys, &kb, "IPAP-T", "nato-hq", false, false).await.unwrap();
    assert_eq!((back.manifest.ack, back.manifest.seq), (1, 1), "it acknowledges the alliance's first bundle");
    assert!(!payload(&back.bytes).contains("ZQX"), "{:?}", back.by_kind);
    let r = exchange::import(a, &sys, &back.bytes, MAX, true).await.unwrap();
    assert_eq!(r.conflicts.len(), 1, "{r:?}");
    let (kind, id, c) = &r.conflicts[0];
    assert_eq!((kind.as_str(), *id, c.field.as_str()), ("item", shared.uuid(), "title"));
    assert_eq!(
        (title_of(a, shared).await, title_of(a, child).await),
        ("Alliance title".into(), "Partner child".into()),
        "the conflict keeps ours; the other change is taken"
    );
    assert_eq!(r.created.get("comment"), Some(&1));
    // The partner's comment is read-only here.
    let tx = a.db().begin().await.unwrap();
    tx.record(liaison_domain::change::ChangeDraft::marked(
        "comment",
        comment.id.uuid(),
        Some(plan),
        2,
        "update",
        None,
        Some((&comment.marking, json!({"body": "x"}))),
    ));
    assert!(matches!(tx.commit(&sys.provenance(a.now())).await, Err(liaison_store::StoreError::OwnedByPeer { .. })));
    verified(a).await;

    // While the conflict is open, the item is held back.
    let held = exchange::export(a, &sys, &ka, "IPAP-T", "srb-mod", false, false).await.unwrap();
    assert_eq!(held.manifest.since, 1);
    assert!(held.manifest.held_back.iter().any(|h| h.id == shared.to_string()));
    assert!(!held.manifest.records.iter().any(|h| h.id == shared.to_string()));
    let open = exchange::conflicts(a, false).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(exchange::settle(a, &sys, open[0].id, "neither").await.is_err());
    // The security officer's page shows the peers, the bundles and the conflict, and settles it.
    let officer_a = f.server.browser_as(&f.emails["security"], PASSWORD).await;
    let page = officer_a.get("/admin/exchange").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    for want in ["nato-hq", "srb-mod", "Alliance title", "Partner title", &open[0].id.to_string(), "One conflict to settle"] {
        assert!(page.text.contains(want), "{want} is not on the page");
    }
    let denied = f.server.browser_as(&f.emails["coordinator"], PASSWORD).await.get("/admin/exchange").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(!denied.text.contains("srb-mod"));
    let bad = officer_a.form("/admin/exchange/peers", &[("name", "srb-mup"), ("key", "short"), ("country", "SRB"), ("level", "nato_restricted")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("32 bytes"), "{}", bad.text);
    let good = officer_a
        .form("/admin/exchange/peers", &[("name", "srb-mup"), ("key", &key(&format::signing_key([5; 32]))), ("country", "SRB"), ("level", "nato_restricted")])
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.text);
    assert!(officer_a.get("/admin/exchange").await.text.contains("srb-mup"));
    let settled = officer_a.form(&format!("/admin/exchange/conflicts/{}", open[0].id), &[("keep", "local")]).await;
    assert_eq!(settled.status, StatusCode::SEE_OTHER, "{}", settled.text);
    assert!(officer_a.get("/admin/exchange").await.text.contains("No conflicts to settle"));
    assert!(exchange::settle(a, &sys, open[0].id, "remote").await.is_err(), "settled once");
    assert!(exchange::conflicts(a, false).await.unwrap().is_empty());

    let settled = exchange::export(a, &sys, &ka, "IPAP-T", "srb-mod", false, false).await.unwrap();
    assert_eq!((settled.manifest.seq, settled.manifest.ack), (3, 1));
    assert!(settled.manifest.records.iter().any(|h| h.id == shared.to_string()), "the settled record goes again");
    let r = exchange::import(b, &sys, &settled.bytes, MAX, true).await.unwrap();
    assert!(r.conflicts.is_empty(), "{r:?}");
    assert_eq!(title_of(b, shared).await, "Alliance title", "both sides end with the settled value");
    assert_eq!(title_of(b, child).await, "Partner child");
    // An older bundle is refused now.
    assert!(refused(exchange::import(b, &sys, &held.bytes, MAX, true).await).contains("older"));

    // A trusted peer still cannot mark a record other than its label says, nor take over a
    // record of ours by sending one of another kind under its id.
    let from_b = format::open(&back.bytes, MAX, &[kb.verifying_key()]).unwrap().bundle;
    let mut relabelled = from_b.clone();
    relabelled.manifest.seq = 50;
    relabelled.records.iter_mut().find(|r| r.kind == "item").unwrap().fields.insert("marking_level".into(), json!("public"));
    let m = refused(exchange::import(a, &sys, &format::sign(relabelled, &kb).unwrap().0, MAX, true).await);
    assert!(m.contains("but labelled"), "{m}");
    let ours = shared_file.id();
    let mut squat = from_b.clone();
    squat.manifest.seq = 51;
    squat.records.retain(|r| r.kind == "comment");
    squat.records[0].id = ours.clone();
    squat.records[0].fields.insert("id".into(), json!(ours));
    exchange::import(a, &sys, &format::sign(squat, &kb).unwrap().0, MAX, true).await.unwrap();
    let mut takeover = from_b.clone();
    takeover.manifest.seq = 52;
    let mut att = format::open(&first.bytes, MAX, &[ka.verifying_key()]).unwrap().bundle.records.into_iter().find(|r| r.id == ours).unwrap();
    att.fields.insert("name".into(), json!("taken.pdf"));
    att.origin = "srb-mod".into();
    takeover.records = vec![att];
    let r = exchange::import(a, &sys, &format::sign(takeover, &kb).unwrap().0, MAX, true).await.unwrap();
    assert_eq!(r.refused.len(), 1, "{r:?}");
    assert!(r.refused[0].contains("this installation owns it"), "{r:?}");
    let kept = coordinator.get(&format!("/api/v1/attachments/{ours}")).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.body["name"], "course.pdf", "{}", kept.text);
    verified(a).await;
    verified(b).await;
}

/// A bundle signed by `key` as it stands (not sealed again), for the manifest checks.
fn forge_signed(b: &format::Bundle, key: &format::SigningKey) -> Vec<u8> {
    format::envelope(&serde_json::to_vec(b).unwrap(), key)
}
