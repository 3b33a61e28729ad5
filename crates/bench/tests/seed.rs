//! The generator's shape at a tiny scale, on the test database (SQLite, or PostgreSQL with
//! `LIAISON_TEST_DATABASE_URL`): the counts asked for, trees and markings as the rules want
//! them, an audit chain that verifies, people who sign in and see what their clearance and
//! country allow, and refusals of bad counts and of a database that holds plans.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly on what it did not expect

use liaison_app::{App, AppConfig, Ctx, Ports};
use liaison_bench::seed::{self, COORDINATOR, Counts, PASSWORD};
use liaison_domain::access::ReadFilter;
use liaison_domain::marking::Level;
use liaison_store::testing::TestDb;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

fn app_on(db: liaison_store::Db) -> App {
    let config = AppConfig { argon2_memory_kib: 256, argon2_iterations: 1, ..AppConfig::default() };
    let ports = Ports {
        clock: Arc::new(liaison_adapters::SystemClock),
        entropy: Arc::new(liaison_adapters::OsEntropy),
        hasher: Arc::new(liaison_adapters::Argon2Hasher::new(256, 1).expect("argon2")),
        photos: Arc::new(liaison_adapters::ImageCodec),
        mailer: None,
        identity_providers: Vec::new(),
        passkeys: None,
    };
    App::with_ports(db, config, ports)
}

fn small() -> Counts {
    Counts::at(1.0, Some(2), 2).unwrap().with(Some(60), Some(200), Some(80), Some(10), Some(30), Some(4), Some(8))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_alliance_is_written_with_its_trees_markings_history_and_people() {
    let t = TestDb::new().await;
    let counts = small();
    let w = seed::run(&t.url, &counts).await.expect("seed");
    assert_eq!((w.plans, w.items, w.measurements, w.reports, w.offers, w.requests, w.activities, w.stories), (4, 60, 200, 80, 10, 6, 30, 4), "{w:?}");
    // The partners' 8 people, the coordinator, an administrator, a security officer, a
    // regional coordinator and a desk officer of each of the ten Allies.
    assert_eq!(w.users, 8 + 3 + 1 + 10);

    let db = t.open().await;
    assert!(liaison_store::search::is_built(&db).await.unwrap(), "the index followed every write: a server does not rebuild it");
    let all = db.read(ReadFilter::everything());
    let plans = liaison_store::plans::list(&all, None, None, 100).await.unwrap().items;
    assert_eq!(plans.len(), 4);
    let by_id: HashMap<_, _> = plans.iter().map(|p| (p.id, p)).collect();
    // Each partner's second cycle follows its first.
    assert_eq!(plans.iter().filter(|p| p.predecessor.is_some()).count(), 2);
    for p in plans.iter().filter_map(|p| p.predecessor.map(|pre| (p, by_id[&pre]))) {
        assert_eq!(p.0.partner, p.1.partner);
        assert!(p.1.period.end < p.0.period.start);
    }
    let mut items = 0;
    let mut levels = HashSet::new();
    for plan in &plans {
        let tree = liaison_store::items::of_plan(&all, plan.id).await.unwrap();
        items += tree.len();
        let ids: HashMap<_, _> = tree.iter().map(|i| (i.id, i)).collect();
        let codes: HashSet<&str> = tree.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes.len(), tree.len(), "codes are unique in a plan");
        for i in &tree {
            match (i.level.as_str(), i.parent.map(|p| ids[&p])) {
                ("chapter", None) => {}
                ("objective", Some(p)) => assert_eq!(p.level, "chapter"),
                ("action", Some(p)) => assert_eq!(p.level, "objective"),
                other => panic!("{} is out of the IPAP tree: {other:?}", i.code),
            }
            if let Some(p) = i.parent.map(|p| ids[&p]) {
                assert_eq!(i.marking.join(&p.marking), i.marking, "{} is marked at least as its parent", i.code);
                assert!(i.code.starts_with(&format!("{}.", p.code)));
            }
        }
        levels.extend(tree.iter().map(|i| i.marking.level));
    }
    assert_eq!(items, 60);
    assert!(levels.len() >= 3, "markings are spread: {levels:?}");

    let app = app_on(db);
    let v = liaison_app::audit::verify(&app, |_, _| {}).await.unwrap();
    assert!(v.fault.is_none(), "{:?}", v.fault);
    assert!(v.rows as usize > w.items + w.measurements + w.reports + w.activities, "every record has its change: {} rows", v.rows);
    assert_eq!(v.rows, v.head_seq);

    // The coordinator signs in with the generated password, and so does a partner's editor, who
    // sees some of a plan's items (not those above NATO CONFIDENTIAL, nor unreleasable ones).
    let signed = liaison_app::auth::login(&app, COORDINATOR, PASSWORD, None, "test", "t").await.unwrap();
    assert!(matches!(signed, liaison_app::auth::SignIn::Session(_)));
    let editor = liaison_app::users::find_by_email(&app, &Ctx::system("t"), "editor1.srb@bench.test").await.expect("Serbia's editor");
    assert!(matches!(liaison_app::auth::login(&app, &editor.email, PASSWORD, None, "test", "t").await.unwrap(), liaison_app::auth::SignIn::Session(_)));
    let actor = liaison_app::auth::actor_for(&app, editor).await.unwrap();
    let theirs = t.open().await;
    let reader = theirs.read(actor.filter());
    let srb = plans.iter().find(|p| p.code.starts_with("IPAP-SRB")).expect("Serbia's plan");
    let seen = liaison_store::items::of_plan(&reader, srb.id).await.unwrap();
    let every = liaison_store::items::of_plan(&all_of(&theirs), srb.id).await.unwrap();
    assert!(!seen.is_empty() && seen.len() < every.len(), "{} of {}", seen.len(), every.len());
    for i in &seen {
        let released = i.marking.level == Level::Public || i.marking.releasable_to.contains("SRB");
        assert!(released && i.marking.level.rank() <= Level::NatoConfidential.rank(), "{} {:?}", i.code, i.marking);
    }
    // Georgia's plans are not Serbia's editor's.
    let geo = plans.iter().find(|p| p.code.starts_with("IPAP-GEO")).expect("Georgia's plan");
    assert!(liaison_store::items::of_plan(&reader, geo.id).await.unwrap().is_empty());

    // A database that holds plans is not written into again.
    let again = seed::run(&t.url, &counts).await.unwrap_err();
    assert!(again.to_string().contains("already holds plans"), "{again}");
}

fn all_of(db: &liaison_store::Db) -> liaison_store::Reader<'_> {
    db.read(ReadFilter::everything())
}

#[test]
fn the_scale_divides_every_count_and_bad_counts_are_refused() {
    let full = Counts::at(1.0, None, 5).unwrap();
    assert_eq!((full.partners, full.plans(), full.items, full.measurements, full.reports, full.activities), (40, 200, 100_000, 1_000_000, 200_000, 100_000));
    let eighth = Counts::at(0.125, None, 5).unwrap();
    assert_eq!((eighth.partners, eighth.items, eighth.measurements, eighth.reports, eighth.activities, eighth.users), (5, 12_500, 125_000, 25_000, 12_500, 50));
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 11.0] {
        assert!(Counts::at(bad, None, 5).is_err(), "{bad}");
    }
    assert!(Counts::at(1.0, None, 0).is_err() && Counts::at(1.0, None, 21).is_err());
    assert!(Counts::at(1.0, Some(0), 5).is_err());
}

#[test]
fn the_command_says_what_is_wrong_with_its_arguments() {
    let bin = env!("CARGO_BIN_EXE_liaison-bench");
    let o = std::process::Command::new(bin).args(["seed", "--database", "sqlite:///nonexistent/dir/x.db", "--scale", "0"]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--scale must be"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = std::process::Command::new(bin).args(["seed", "--database", "sqlite:///nonexistent/dir/x.db", "--scale", "0.001"]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot open"), "{}", String::from_utf8_lossy(&o.stderr));
}
