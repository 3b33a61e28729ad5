//! Migrations, the audit chain, transactions and versions against a real database.

use chrono::{NaiveDate, Utc};
use liaison_domain::access::{PlanScope, ReadFilter, Release};
use liaison_domain::change::{ChainVerifier, ChangeDraft, Provenance};
use liaison_domain::item::{Item, NewItem};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::organisation::{NewOrganisation, OrgKind, Organisation};
use liaison_domain::plan::{NewPlan, Period, Plan};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, OrganisationId, PlanId};
use liaison_store::testing::TestDb;
use liaison_store::{Db, StoreError, changes, items, migrate, organisations, plans};
use uuid::Uuid;

fn prov() -> Provenance {
    Provenance { actor: None, at: Utc::now(), request_id: "test".into(), source: "127.0.0.1".into() }
}

fn org(kind: OrgKind, short: &str, country: Option<&str>) -> Organisation {
    NewOrganisation { name: Text::new("en", short), short_name: short.into(), kind, country: country.map(String::from), parent: None, iati_ref: None }
        .into_organisation(OrganisationId(Uuid::now_v7()), Utc::now())
}

async fn setup_plan(db: &Db) -> Plan {
    let partner = org(OrgKind::PartnerGovernment, "MFA", Some("SRB"));
    let owner = org(OrgKind::AllianceBody, "NATO IS", None);
    let plan = NewPlan {
        framework: "ipap".into(),
        code: format!("P-{}", Uuid::now_v7().simple()),
        title: Text::new("en", "Plan"),
        description: Text::default(),
        partner: partner.id,
        owner: owner.id,
        period: Period { start: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(), end: NaiveDate::from_ymd_opt(2016, 12, 31).unwrap() },
        predecessor: None,
        marking: Some(Marking::new(Level::Public, &[], "NATO")),
    }
    .into_plan(PlanId(Uuid::now_v7()), Utc::now(), Marking::new(Level::Public, &[], "NATO"));
    let tx = db.begin().await.unwrap();
    organisations::insert(&tx, &partner).await.unwrap();
    organisations::insert(&tx, &owner).await.unwrap();
    plans::insert(&tx, &plan).await.unwrap();
    tx.record(ChangeDraft::unmarked("plan", plan.id.uuid(), 1, "create", None, None));
    tx.commit(&prov()).await.unwrap();
    plan
}

fn item(plan: &Plan, code: &str, marking: Marking, position: u32) -> Item {
    let input: NewItem = serde_json::from_value(serde_json::json!({"code": code, "title": {"en": code}})).unwrap();
    input.into_item(ItemId(Uuid::now_v7()), plan.id, 0, "chapter".into(), &marking, position, Utc::now())
}

#[tokio::test]
async fn migrations_apply_to_an_empty_database_once() {
    let t = TestDb::new().await;
    let db = Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    assert_eq!(migrate::current(&db).await.unwrap(), 0);
    assert_eq!(migrate::run(&db).await.unwrap(), (1..=migrate::latest()).collect::<Vec<_>>());
    assert_eq!(migrate::current(&db).await.unwrap(), migrate::latest());
    assert!(migrate::run(&db).await.unwrap().is_empty(), "a second run applies nothing");
    assert_eq!(changes::head(&db.unfiltered()).await.unwrap().0, 0);
}

#[tokio::test]
async fn an_older_schema_is_brought_up_to_date_step_by_step() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let pg = liaison_store::testing::TestDb::is_postgres();
    // Records of the first schema's kinds, with their history: after the downgrade to schema 1
    // and every migration since, they read back the same.
    let plan = setup_plan(&db).await;
    let it = item(&plan, "1.1", Marking::new(Level::Public, &[], "NATO"), 0);
    let tx = db.begin().await.unwrap();
    items::insert(&tx, &it, &liaison_domain::item::tree_key(None, 0)).await.unwrap();
    tx.record(ChangeDraft::unmarked("item", it.id.uuid(), 1, "create", None, Some(serde_json::json!({"code": "1.1"}))));
    tx.commit(&prov()).await.unwrap();
    let all = db.unfiltered();
    let before = (
        plans::get(&all, plan.id).await.unwrap().unwrap(),
        organisations::get(&all, plan.partner).await.unwrap().unwrap(),
        items::get(&all, it.id).await.unwrap().unwrap(),
        changes::in_order(&all, 0, 100).await.unwrap(),
    );
    let implementation = [
        "DROP TABLE import_activity",
        "DROP TABLE import_problem",
        "DROP TABLE import_chunk",
        "DROP TABLE import_job",
        "ALTER TABLE area DROP COLUMN dac_sector",
        "ALTER TABLE organisation DROP COLUMN iati_ref",
        "ALTER TABLE app_user DROP COLUMN language",
        "DROP TABLE story_photo",
        "DROP TABLE story",
        "DROP TABLE portal",
        "DROP TABLE activity",
        "DROP TABLE assistance_offer",
        "DROP TABLE assistance_request",
        "DROP TABLE notification",
        "DROP TABLE attachment",
        "DROP TABLE file_blob",
        "DROP TABLE assessment_rating",
        "DROP TABLE assessment",
        "DROP TABLE progress_update",
        "DROP TABLE measurement",
        "DROP TABLE indicator",
        "DROP TABLE reporting_period",
    ];
    let downgrade = match pg {
        true => vec![
            "DROP TABLE item_comment",
            "DROP TRIGGER change_log_head ON change_log",
            "DROP FUNCTION liaison_change_log_head()",
            "DELETE FROM liaison_schema WHERE version >= 2",
        ],
        _ => vec!["DROP TABLE item_comment", "DROP TRIGGER change_log_head", "DELETE FROM liaison_schema WHERE version >= 2"],
    };
    // Search (11): on SQLite its full-text table goes first (dropping the index table drops the
    // triggers that feed it).
    let search = if pg {
        vec!["DROP TABLE search_state", "DROP TABLE search_doc"]
    } else {
        vec!["DROP TABLE search_state", "DROP TABLE search_fts", "DROP TABLE search_doc"]
    };
    // Exchange (12).
    let exchange = [
        "DROP TABLE exchange_history",
        "DROP TABLE exchange_conflict",
        "DROP TABLE exchange_origin",
        "DROP TABLE exchange_state",
        "DROP TABLE exchange_bundle",
        "DROP TABLE exchange_peer_key",
        "DROP TABLE exchange_peer",
        "DROP TABLE exchange_identity",
    ];
    // Passkeys (16), single sign-on (15), mail (14) and the second factor (13).
    let sign_in = [
        "DROP TABLE passkey_registration",
        "DROP TABLE passkey",
        "DROP TABLE sso_flow",
        "DROP TABLE sso_identity",
        "DROP TABLE mail_preference",
        "DROP TABLE login_challenge",
        "DROP TABLE recovery_code",
        "DROP TABLE user_totp",
    ];
    for sql in sign_in.into_iter().chain(exchange).chain(search).chain(implementation).chain(downgrade) {
        liaison_store::testing::execute_raw(&db, sql).await.unwrap();
    }
    assert_eq!(migrate::current(&db).await.unwrap(), 1);
    assert_eq!(migrate::run(&db).await.unwrap(), (2..=migrate::latest()).collect::<Vec<_>>());
    let all = db.unfiltered();
    let after = (
        plans::get(&all, plan.id).await.unwrap().unwrap(),
        organisations::get(&all, plan.partner).await.unwrap().unwrap(),
        items::get(&all, it.id).await.unwrap().unwrap(),
        changes::in_order(&all, 0, 100).await.unwrap(),
    );
    assert_eq!(after, before, "the records and their history are intact");
    let tx = db.begin().await.unwrap();
    tx.record(ChangeDraft::unmarked("test", Uuid::now_v7(), 1, "create", None, None));
    tx.commit(&prov()).await.unwrap();
    assert_eq!(changes::head(&db.unfiltered()).await.unwrap().0, 3, "the trigger keeps the head");
}

#[tokio::test]
async fn a_failed_migration_leaves_the_database_as_it_was() {
    let t = TestDb::new().await;
    let db = Db::connect(&liaison_store::DbOptions::new(&t.url)).await.unwrap();
    let below = migrate::latest() - 1;
    assert_eq!(migrate::run_to(&db, below).await.unwrap(), (1..=below).collect::<Vec<_>>());
    // Something in the way of the last migration (it creates `passkey`, then
    // `passkey_registration`), half-way in.
    liaison_store::testing::execute_raw(&db, "CREATE TABLE passkey_registration (id integer PRIMARY KEY, note text)").await.unwrap();
    liaison_store::testing::execute_raw(&db, "INSERT INTO passkey_registration (id, note) VALUES (7, 'kept')").await.unwrap();
    let err = migrate::run(&db).await.unwrap_err();
    assert!(err.to_string().contains(&format!("migration {}", migrate::latest())), "{err}");
    assert_eq!(migrate::current(&db).await.unwrap(), below, "the version did not move");
    assert!(liaison_store::testing::execute_raw(&db, "SELECT count(*) FROM passkey").await.is_err(), "what the migration made before failing is gone");
    assert_eq!(
        liaison_store::testing::execute_raw(&db, "UPDATE passkey_registration SET note = 'still here' WHERE id = 7").await.unwrap(),
        1,
        "what was there is kept"
    );
    // Out of the way, it applies.
    liaison_store::testing::execute_raw(&db, "DROP TABLE passkey_registration").await.unwrap();
    assert_eq!(migrate::run(&db).await.unwrap(), vec![migrate::latest()]);
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    let t = TestDb::new().await;
    let db = t.open().await;
    migrate::pretend_newer(&db).await.unwrap();
    let err = migrate::run(&db).await.unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew(_)), "{err}");
    assert!(err.to_string().contains("newer Liaison"), "{err}");
    assert!(migrate::check_not_newer(&db).await.is_err());
}

/// Every level × releasability combination against every clearance × release combination:
/// the SQL filter and the pure `admits` must agree exactly, for lists and counts.
#[tokio::test]
async fn the_sql_filter_agrees_with_the_policy_on_every_combination() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let plan = setup_plan(&db).await;
    let rels: [&[&str]; 5] = [&[], &["SRB"], &["PFP_N"], &["AUT"], &["SRB", "AUT"]];
    let mut all = Vec::new();
    let tx = db.begin().await.unwrap();
    let mut n = 0;
    for level in Level::NATO {
        for rel in rels {
            let i = item(&plan, &format!("C{n}"), Marking::new(level, rel, "NATO"), n);
            items::insert(&tx, &i, &liaison_domain::item::tree_key(None, n)).await.unwrap();
            all.push(i);
            n += 1;
        }
    }
    tx.commit(&prov()).await.unwrap();
    let releases = [
        Release::Any,
        Release::Tokens(vec!["SRB".into()]),
        Release::Tokens(vec!["SRB".into(), "PFP_N".into()]),
        Release::Tokens(vec!["PFPXN".into()]),
        Release::Tokens(vec![]),
    ];
    let mut cases = 0;
    for clearance in Level::NATO {
        for release in &releases {
            for scope in [PlanScope::All, PlanScope::Only(vec![plan.id]), PlanScope::Only(vec![])] {
                let f = ReadFilter { max_rank: clearance.rank(), release: release.clone(), plans: scope, ally_scope: None };
                let page = items::list(&db.read(f.clone()), plan.id, &Default::default(), None, 500).await.unwrap();
                let got: Vec<ItemId> = page.items.iter().map(|i| i.id).collect();
                // A reader applies the whole rule: a plan outside the reader's scope has no
                // items for it at all.
                let want: Vec<ItemId> =
                    if f.admits(plan.id, &plan.marking) { all.iter().filter(|i| f.admits(plan.id, &i.marking)).map(|i| i.id).collect() } else { Vec::new() };
                assert_eq!(got, want, "clearance {clearance:?}, release {release:?}");
                let count = items::count(&db.read(f.clone()), plan.id, &Default::default()).await.unwrap();
                assert_eq!(count as usize, want.len());
                let plan_visible = plans::count_visible(&db.read(f.clone())).await.unwrap() == 1;
                assert_eq!(plan_visible, f.admits(plan.id, &plan.marking), "plan, {f:?}");
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 75);
    // `PFP_N` must not match `PFPXN`: `_` is escaped in LIKE.
    let f = ReadFilter { max_rank: 4, release: Release::Tokens(vec!["PFPXN".into()]), plans: PlanScope::All, ally_scope: None };
    let visible = items::list(&db.read(f), plan.id, &Default::default(), None, 500).await.unwrap();
    assert!(visible.items.iter().all(|i| i.marking.level.is_public()));
}

#[tokio::test]
async fn the_audit_chain_verifies_and_tampering_is_found() {
    let t = TestDb::new().await;
    let db = t.open().await;
    for i in 0..5 {
        let tx = db.begin().await.unwrap();
        tx.record(ChangeDraft::unmarked("test", Uuid::now_v7(), i, "update", None, Some(serde_json::json!({"n": i}))));
        tx.record(ChangeDraft::unmarked("test", Uuid::now_v7(), i, "update", Some(serde_json::json!({"n": i})), None));
        tx.commit(&prov()).await.unwrap();
    }
    let verify = |db: Db| async move {
        let mut v = ChainVerifier::default();
        for c in changes::in_order(&db.unfiltered(), 0, 1000).await.unwrap() {
            v.check(&c)?;
        }
        Ok::<i64, liaison_domain::change::ChainFault>(v.count())
    };
    assert_eq!(verify(db.clone()).await, Ok(10));
    assert_eq!(changes::head(&db.unfiltered()).await.unwrap().0, 10);
    liaison_store::testing::execute_raw(&db, "UPDATE change_log SET after_json = '{\"n\":99}' WHERE seq = 3").await.unwrap();
    assert_eq!(verify(db.clone()).await, Err(liaison_domain::change::ChainFault::Edited { seq: 3 }));
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_nothing() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let o = org(OrgKind::Ally, "NOR", Some("NOR"));
    let tx = db.begin().await.unwrap();
    organisations::insert(&tx, &o).await.unwrap();
    tx.record(ChangeDraft::unmarked("organisation", o.id.uuid(), 1, "create", None, None));
    tx.rollback().await.unwrap();
    assert!(organisations::get(&db.unfiltered(), o.id).await.unwrap().is_none());
    assert_eq!(changes::head(&db.unfiltered()).await.unwrap().0, 0);
    // Dropped without commit: the same.
    {
        let tx = db.begin().await.unwrap();
        organisations::insert(&tx, &o).await.unwrap();
    }
    assert!(organisations::get(&db.unfiltered(), o.id).await.unwrap().is_none());
}

#[tokio::test]
async fn stale_versions_are_refused() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let mut o = org(OrgKind::Ally, "NOR", Some("NOR"));
    let tx = db.begin().await.unwrap();
    organisations::insert(&tx, &o).await.unwrap();
    tx.commit(&prov()).await.unwrap();
    o.version = 2;
    let tx = db.begin().await.unwrap();
    organisations::update(&tx, &o, 1).await.unwrap();
    tx.commit(&prov()).await.unwrap();
    o.version = 3;
    let tx = db.begin().await.unwrap();
    let err = organisations::update(&tx, &o, 1).await.unwrap_err();
    assert!(matches!(err, StoreError::Stale { current: 2 }), "{err}");
}

/// Sixteen concurrent writers: every write lands, none fails with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_all_succeed() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let mut tasks = Vec::new();
    for w in 0..16 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..20 {
                let o = org(OrgKind::Ally, &format!("A{w}-{i}"), Some("NOR"));
                let tx = db.begin().await?;
                organisations::insert(&tx, &o).await?;
                tx.record(ChangeDraft::unmarked("organisation", o.id.uuid(), 1, "create", None, None));
                tx.commit(&prov()).await?;
            }
            Ok::<(), StoreError>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(organisations::all(&db.unfiltered()).await.unwrap().len(), 320);
    let mut v = ChainVerifier::default();
    for c in changes::in_order(&db.unfiltered(), 0, 1000).await.unwrap() {
        v.check(&c).unwrap();
    }
    assert_eq!(v.count(), 320);
}

/// A long write (an import) writes its changes as it goes: the chain stays whole across
/// flushes and other transactions, a rollback takes the flushed rows too, and a flush inside a
/// savepoint is refused.
#[tokio::test]
async fn changes_flushed_inside_a_transaction_chain_like_the_rest() {
    let t = TestDb::new().await;
    let db = t.open().await;
    let draft = |n: i64| ChangeDraft::unmarked("test", Uuid::now_v7(), n, "update", None, Some(serde_json::json!({"n": n})));
    let tx = db.begin().await.unwrap();
    tx.record(draft(1));
    tx.flush(&prov()).await.unwrap();
    assert_eq!(changes::in_order(&tx.unfiltered(), 0, 100).await.unwrap().len(), 1, "written inside the transaction");
    let sp = tx.savepoint().await.unwrap();
    tx.record(draft(2));
    assert!(tx.flush(&prov()).await.is_err(), "not inside a savepoint");
    tx.rollback_to(&sp).await.unwrap();
    tx.release(sp).await.unwrap();
    tx.record(draft(3));
    tx.flush(&prov()).await.unwrap();
    tx.record(draft(4));
    let at_commit = tx.commit(&prov()).await.unwrap();
    assert_eq!(at_commit.len(), 1, "the commit writes what was not flushed");
    // Another transaction continues the chain; a rolled-back one with flushed rows leaves none.
    let tx = db.begin().await.unwrap();
    tx.record(draft(5));
    tx.commit(&prov()).await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.record(draft(6));
    tx.flush(&prov()).await.unwrap();
    tx.rollback().await.unwrap();
    let rows = changes::in_order(&db.unfiltered(), 0, 100).await.unwrap();
    let ns: Vec<i64> = rows.iter().map(|c| c.after.as_ref().unwrap()["n"].as_i64().unwrap()).collect();
    assert_eq!(ns, [1, 3, 4, 5], "the savepoint's change and the rolled-back one are not there");
    let mut v = ChainVerifier::default();
    for c in &rows {
        v.check(c).unwrap();
    }
    assert_eq!(changes::head(&db.unfiltered()).await.unwrap().0, 4);
}
