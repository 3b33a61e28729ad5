//! Exchange between installations: signed bundles of what a peer may hold, checked and merged
//! on the other side. The rules are in `liaison_domain::exchange`, the format in
//! `liaison_interop::exchange`, the storage in `liaison_store::exchange`.
//!
//! **What goes.** A bundle holds the records of one plan that the peer may hold: its
//! [`peer_filter`] is handed to the same readers that serve people (`items::of_plan`,
//! `progress::of_plan`, …), and only the rows of the ids they answer are read. The people and
//! organisations those records name go too (a person by name and organisation only), and the
//! files of the evidence and photos, and the history rows of those records that the filter
//! admits. Records with an unsettled conflict are held back.
//!
//! **What is taken.** [`import`] checks the envelope (signature by a trusted peer's key, payload
//! type, hashes), then the target, the schema, the sequence and every label against this
//! installation's accreditation, and applies the records in one transaction, writing a Change
//! row for each, or — without `apply` — runs the same in a transaction it rolls back, so the
//! preview is exactly what applying would do.

use crate::{App, AppError, Ctx};
use liaison_domain::access::{Action, ReadFilter, Target};
use liaison_domain::change::{ChangeDraft, Provenance};
use liaison_domain::exchange::{self as rules, KINDS, LOCAL_FIELDS, Ownership, Sequence, merge, ownership, peer_filter};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::{PlanId, Timestamp, format_ts};
use liaison_interop::exchange::{self as format, Bundle, File, HistoryEntry, Label, Manifest, Record, RecordRef};
use liaison_store::exchange::{self as store, Fields, State};
use liaison_store::{EXCHANGE_SOURCE, StoreError};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The largest bundle file read, by default (a setting can raise it).
pub const DEFAULT_MAX_BUNDLE_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The bundle, the key or the request was refused; the message says why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for ExchangeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(m) => ExchangeError::Refused(m),
            other => ExchangeError::App(other.into()),
        }
    }
}

impl From<format::BundleError> for ExchangeError {
    fn from(e: format::BundleError) -> Self {
        ExchangeError::Refused(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, ExchangeError>;

fn refuse<T>(m: impl Into<String>) -> Result<T> {
    Err(ExchangeError::Refused(m.into()))
}

fn level(code: &str) -> Result<Level> {
    Level::parse(code).ok_or_else(|| ExchangeError::Refused(format!("{code:?} is not a level of this installation")))
}

/// Make this installation's signing key from `seed` (32 random bytes) and record its name,
/// accreditation and public key. Answers the key to keep in a file only the service reads.
pub async fn keygen(app: &App, ctx: &Ctx, name: &str, accreditation: &str, seed: [u8; 32]) -> Result<(store::Identity, format::SigningKey)> {
    let p = rules::check_peer(name, "NATO");
    if !p.is_empty() {
        return refuse("the installation's name must be 1 to 40 lower-case letters, digits and hyphens");
    }
    let lv = level(accreditation)?;
    if lv.scheme() != app.config.scheme {
        return refuse(format!("{accreditation} is not a level of this installation's scheme"));
    }
    let key = format::signing_key(seed);
    let vk = key.verifying_key();
    let id = store::Identity { name: name.to_string(), accreditation: lv.code().to_string(), public_key: format::key_text(&vk), key_id: format::key_id(&vk) };
    let tx = app.begin().await?;
    store::set_identity(&tx, &id, app.now()).await?;
    tx.record(ChangeDraft::unmarked(
        "exchange",
        Uuid::new_v5(&Uuid::NAMESPACE_OID, b"exchange-identity"),
        1,
        "keygen",
        None,
        Some(json!({"name": name, "accreditation": lv.code(), "key_id": id.key_id})),
    ));
    tx.commit(&ctx.provenance(app.now())).await.map_err(AppError::from)?;
    Ok((id, key))
}

/// What the exchange page shows a security officer.
#[derive(Debug)]
pub struct Overview {
    pub identity: Option<store::Identity>,
    pub peers: Vec<store::Peer>,
    pub bundles: Vec<store::BundleRow>,
    pub conflicts: Vec<store::Conflict>,
}

pub async fn overview(app: &App, ctx: &Ctx) -> Result<Overview> {
    ctx.actor.require(Action::ExchangeManage, Target::Installation)?;
    let db = app.db();
    Ok(Overview {
        identity: store::identity(db).await?,
        peers: store::peers(db).await?,
        bundles: store::bundles(store::At::Db(db), 50).await?,
        conflicts: store::conflicts(store::At::Db(db), false).await?,
    })
}

pub async fn identity(app: &App) -> Result<Option<store::Identity>> {
    Ok(store::identity(app.db()).await?)
}

/// Trust a peer's key: a new peer, or a new key (rotation) and the current country and level of
/// a known one. Answers the peer and whether the key is new.
pub async fn add_peer(app: &App, ctx: &Ctx, name: &str, key: &str, release: &str, lv: &str) -> Result<(store::Peer, bool)> {
    ctx.actor.require(Action::ExchangeManage, Target::Installation)?;
    rules::check_peer(name, release).finish().map_err(|e| ExchangeError::App(AppError::Invalid(e)))?;
    let vk = format::parse_key(key).map_err(ExchangeError::Refused)?;
    let lvl = level(lv)?;
    if lvl.scheme() != app.config.scheme {
        return refuse(format!("{lv} is not a level of this installation's scheme"));
    }
    if let Some(me) = store::identity(app.db()).await?
        && me.key_id == format::key_id(&vk)
    {
        return refuse("this is this installation's own key");
    }
    let tx = app.begin().await?;
    let (peer, new_key) = store::add_peer(&tx, name, release, lvl.code(), &format::key_text(&vk), &format::key_id(&vk), app.now()).await?;
    tx.record(ChangeDraft::unmarked(
        "exchange_peer",
        peer.id,
        1,
        if new_key { "trust_key" } else { "update" },
        None,
        Some(json!({"name": name, "country": release, "level": lvl.code(), "key_id": format::key_id(&vk)})),
    ));
    tx.commit(&ctx.provenance(app.now())).await.map_err(AppError::from)?;
    Ok((peer, new_key))
}

pub async fn peers(app: &App) -> Result<Vec<store::Peer>> {
    Ok(store::peers(app.db()).await?)
}

async fn the_peer(app: &App, name: &str) -> Result<store::Peer> {
    store::peer(app.db(), name).await?.ok_or_else(|| ExchangeError::Refused(format!("no peer is named {name:?}; add it with `liaison exchange peer add`")))
}

/// What a peer may hold, as a reader's filter.
pub fn filter_of(app: &App, peer: &store::Peer) -> Result<ReadFilter> {
    Ok(peer_filter(level(&peer.level)?, app.config.release_groups.tokens_for(Some(&peer.release))))
}

/// A bundle made (or previewed).
#[derive(Debug)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub manifest: Manifest,
    pub payload_sha256: String,
    /// Records by kind, and by marking.
    pub by_kind: BTreeMap<String, usize>,
    pub by_marking: BTreeMap<String, usize>,
}

fn uuid_of(f: &Fields, k: &str) -> Option<Uuid> {
    f.get(k).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
}

fn label_of(f: &Fields, plan_marking: &Marking) -> Option<Label> {
    let lv = f.get("marking_level").and_then(Value::as_str);
    let created = f.get("created_at").and_then(Value::as_str).unwrap_or("").to_string();
    match lv {
        Some(lv) => {
            let rel = f.get("rel_to").and_then(Value::as_str).unwrap_or("");
            Some(Label {
                policy: Level::parse(lv).map(|l| l.scheme().code().to_uppercase()).unwrap_or_default(),
                classification: lv.to_string(),
                releasable_to: rel.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
                originator: f.get("originator").and_then(Value::as_str).unwrap_or("").to_string(),
                created,
            })
        }
        None => Some(Label {
            policy: plan_marking.level.scheme().code().to_uppercase(),
            classification: plan_marking.level.code().to_string(),
            releasable_to: plan_marking.releasable_to.iter().cloned().collect(),
            originator: plan_marking.originator.clone(),
            created,
        }),
    }
}

fn marking_of(l: &Label) -> Option<Marking> {
    Some(Marking { level: Level::parse(&l.classification)?, releasable_to: l.releasable_to.iter().cloned().collect(), originator: l.originator.clone() })
}

/// The ids of every record of `plan` that `r` may see, by kind, through the readers.
async fn visible(app: &App, f: &ReadFilter, plan: PlanId) -> Result<BTreeMap<&'static str, Vec<Uuid>>> {
    use liaison_store::{activities, assessments, assistance, attachments, calendar, comments, decisions, indicators, items, links, progress, stories};
    let r = app.read_with(f.clone());
    let mut out: BTreeMap<&'static str, Vec<Uuid>> = BTreeMap::new();
    let its = items::of_plan(&r, plan).await.map_err(AppError::from)?;
    let item_ids: Vec<liaison_domain::ItemId> = its.iter().map(|i| i.id).collect();
    out.insert("item", item_ids.iter().map(|i| i.uuid()).collect());
    out.insert("link", links::from_items(&r, &item_ids).await.map_err(AppError::from)?.iter().map(|l| l.id.uuid()).collect());
    out.insert("indicator", indicators::of_plan(&r, plan).await.map_err(AppError::from)?.iter().map(|i| i.id.uuid()).collect());
    out.insert("measurement", indicators::measurements_of_plan(&r, plan).await.map_err(AppError::from)?.iter().map(|m| m.id.uuid()).collect());
    out.insert("period", calendar::of_plan(&r, plan).await.map_err(AppError::from)?.iter().map(|p| p.id.uuid()).collect());
    out.insert("progress_update", progress::of_plan(&r, plan, None).await.map_err(AppError::from)?.iter().map(|u| u.id.uuid()).collect());
    out.insert("attachment", attachments::of_plan(&r, plan, 10_000_000).await.map_err(AppError::from)?.iter().map(|a| a.id.uuid()).collect());
    out.insert("assessment", assessments::of_plan(&r, plan, None).await.map_err(AppError::from)?.iter().map(|a| a.id.uuid()).collect());
    let mut cs = Vec::new();
    for i in &item_ids {
        cs.extend(comments::of_item(&r, *i).await.map_err(AppError::from)?.iter().map(|c| c.id.uuid()));
    }
    out.insert("comment", cs);
    out.insert("request", assistance::requests_of(&r, plan).await.map_err(AppError::from)?.iter().map(|x| x.id.uuid()).collect());
    out.insert("offer", assistance::offers_of(&r, plan).await.map_err(AppError::from)?.iter().map(|x| x.id.uuid()).collect());
    out.insert("activity", activities::of_plan(&r, plan).await.map_err(AppError::from)?.iter().map(|x| x.id.uuid()).collect());
    let ss = stories::of_plan(&r, plan, None).await.map_err(AppError::from)?;
    out.insert("photo", ss.iter().flat_map(|s| s.photos.iter().map(|p| p.id.uuid())).collect());
    out.insert("story", ss.iter().map(|s| s.id.uuid()).collect());
    out.insert("decision", decisions::of_plan(&r, plan).await.map_err(AppError::from)?.iter().map(|x| x.id.uuid()).collect());
    Ok(out)
}

/// Fields whose values name people or organisations (the rest of a bundle names them).
const PERSON_FIELDS: &[&str] = &["author_id", "created_by", "reporter_id", "reviewer_id", "uploaded_by", "user_id"];
const ORG_FIELDS: &[&str] = &["partner_id", "owner_id", "lead_org_id", "requested_by", "offered_by", "organiser", "organisation_id", "parent_id"];

/// Make the bundle of `plan_code` for the peer `to`, signed with `key`; unless `preview`,
/// record it (the next one carries only what changed since the peer acknowledged) and audit it.
/// `full` sends everything again.
pub async fn export(app: &App, ctx: &Ctx, key: &format::SigningKey, plan_code: &str, to: &str, full: bool, preview: bool) -> Result<Exported> {
    let me = store::identity(app.db())
        .await?
        .ok_or_else(|| ExchangeError::Refused("this installation has no exchange key yet: run `liaison exchange keygen`".into()))?;
    if format::key_id(&key.verifying_key()) != me.key_id {
        return refuse(format!("the private key given is not this installation's (its key is {}); use the key file `exchange keygen` wrote", me.key_id));
    }
    let peer = the_peer(app, to).await?;
    let f = filter_of(app, &peer)?;
    let plan = liaison_store::plans::find_by_code(&app.unfiltered(), plan_code)
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| ExchangeError::Refused(format!("no plan has the code {plan_code:?}")))?;
    let Some(plan) = liaison_store::plans::get(&app.read_with(f.clone()), plan.id).await.map_err(AppError::from)? else {
        return refuse(format!("{} may not hold plan {plan_code} ({}): nothing to send", peer.name, plan.marking.banner()));
    };
    let db = app.db();
    let ids = visible(app, &f, plan.id).await?;
    let origins = store::origins(store::At::Db(db)).await?;
    let peer_names: HashMap<Uuid, String> = store::peers(db).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let held: HashSet<Uuid> = store::open_conflicts_of(store::At::Db(db)).await?.into_iter().collect();
    let states = store::states(store::At::Db(db), peer.id).await?;
    let acked = store::acknowledged(store::At::Db(db), peer.id, plan.id.uuid()).await?;
    let since = if full { 0 } else { acked };

    // Rows, in the order they are applied.
    let mut rows: Vec<(&'static str, Uuid, Fields)> = Vec::new();
    rows.extend(store::rows(db, "plan", &[plan.id.uuid()]).await?.into_iter().map(|r| ("plan", plan.id.uuid(), r)));
    for kind in KINDS.iter().copied().filter(|k| !matches!(*k, "organisation" | "user" | "plan" | "rating" | "version")) {
        let list = ids.get(kind).cloned().unwrap_or_default();
        for r in store::rows(db, kind, &list).await? {
            if let Some(id) = uuid_of(&r, "id") {
                rows.push((kind, id, r));
            }
        }
        if kind == "assessment" {
            let items: HashSet<Uuid> = ids.get("item").map(|v| v.iter().copied().collect()).unwrap_or_default();
            for (id, r) in store::rating_rows(db, &list, &items).await? {
                rows.push(("rating", id, r));
            }
        }
    }
    // The people and organisations they name (and the organisations' parents).
    let mut people: Vec<Uuid> = rows.iter().flat_map(|(_, _, r)| PERSON_FIELDS.iter().filter_map(|k| uuid_of(r, k))).collect();
    people.sort();
    people.dedup();
    let people = store::existing_ids(db, "user", &people).await?;
    let users = store::rows(db, "user", &people).await?;
    let mut orgs: HashSet<Uuid> = rows.iter().map(|(_, _, r)| r).chain(users.iter()).flat_map(|r| ORG_FIELDS.iter().filter_map(|k| uuid_of(r, k))).collect();
    let mut org_rows: Vec<Fields> = Vec::new();
    let mut seen = HashSet::new();
    while !orgs.is_empty() {
        let want: Vec<Uuid> = orgs.drain().filter(|o| seen.insert(*o)).collect();
        let found = store::existing_ids(db, "organisation", &want).await?;
        for r in store::rows(db, "organisation", &found).await? {
            if let Some(p) = uuid_of(&r, "parent_id") {
                orgs.insert(p);
            }
            org_rows.push(r);
        }
    }
    // Parents first.
    let depths: Vec<usize> = org_rows.iter().map(|r| depth_in(&org_rows, r)).collect();
    let mut ordered: Vec<(usize, Fields)> = depths.into_iter().zip(org_rows).collect();
    ordered.sort_by_key(|(d, _)| *d);
    let org_rows: Vec<Fields> = ordered.into_iter().map(|(_, r)| r).collect();
    let mut all: Vec<(&'static str, Uuid, Fields)> = org_rows.into_iter().filter_map(|r| uuid_of(&r, "id").map(|id| ("organisation", id, r))).collect();
    all.extend(users.into_iter().filter_map(|r| uuid_of(&r, "id").map(|id| ("user", id, r))));
    all.extend(rows);

    let mut records = Vec::new();
    let mut held_back = Vec::new();
    for (kind, id, fields) in all {
        let origin = origins.get(&id).filter(|(_, k)| k == kind).and_then(|(p, _)| peer_names.get(p)).cloned().unwrap_or_else(|| me.name.clone());
        if origin == peer.name && ownership(kind) == Ownership::Origin {
            continue; // the peer's own record: it has it
        }
        let label = if matches!(kind, "organisation" | "user") { None } else { label_of(&fields, &plan.marking) };
        let rec = Record { kind: kind.to_string(), id: id.to_string(), origin, label, fields };
        if held.contains(&id) {
            held_back.push(RecordRef { kind: rec.kind.clone(), id: rec.id.clone(), sha256: format::record_hash(&rec) });
            continue;
        }
        let changed = match states.get(&id) {
            _ if full => true,
            None => true,
            Some(s) => s.sent_sha256.as_deref() != Some(format::record_hash(&rec).as_str()) || s.sent_seq > acked,
        };
        if changed {
            records.push(rec);
        }
    }
    // Their history (rows the filter admits) and files.
    // Not of people and organisations: an account's history holds its e-mail address and
    // sign-ins, which never leave.
    // Nor of assessments: an assessment's rows hold the ratings of every item its writer saw,
    // hidden ones included (the ratings the peer may hold go as records of their own).
    let in_bundle: Vec<Uuid> = records
        .iter()
        .filter(|r| !matches!(r.kind.as_str(), "user" | "organisation" | "assessment" | "rating"))
        .filter_map(|r| Uuid::parse_str(&r.id).ok())
        .collect();
    let changes = store::history_of(db, &f, &in_bundle).await?;
    let actors: Vec<Uuid> = changes.iter().filter_map(|c| c.actor_id).collect();
    let names = store::names(db, &actors).await?;
    let history: Vec<HistoryEntry> = changes
        .into_iter()
        .map(|c| HistoryEntry {
            seq: c.seq,
            entity: c.entity,
            entity_id: c.entity_id.to_string(),
            version: c.version,
            at: format_ts(&c.at),
            action: c.action,
            actor: c.actor_id.and_then(|a| names.get(&a).cloned()),
            before: c.before_json.and_then(|s| serde_json::from_str(&s).ok()),
            after: c.after_json.and_then(|s| serde_json::from_str(&s).ok()),
            hash: c.hash,
        })
        .collect();
    let mut shas: Vec<String> = records
        .iter()
        .flat_map(|r| {
            ["sha256", "web_sha256", "thumb_sha256"].iter().filter_map(|k| r.fields.get(*k).and_then(Value::as_str).map(String::from)).collect::<Vec<_>>()
        })
        .collect();
    shas.sort();
    shas.dedup();
    let files: Vec<File> = store::blobs(db, &shas)
        .await?
        .into_iter()
        .map(|(sha, data)| File { media_type: media_type_of(&records, &sha), sha256: sha, data: format::file_data(&data) })
        .collect();

    let seq = store::last_bundle(store::At::Db(db), peer.id, plan.id.uuid(), "out").await?.map_or(1, |l| l.0 + 1);
    let ack = store::last_bundle(store::At::Db(db), peer.id, plan.id.uuid(), "in").await?.map_or(0, |l| l.0);
    let manifest = Manifest {
        format: format::FORMAT.into(),
        schema: u32::try_from(liaison_store::migrate::latest()).unwrap_or(0),
        source: me.name.clone(),
        target: peer.name.clone(),
        seq,
        ack,
        since,
        created: format_ts(&app.now()),
        plan_id: plan.id.uuid().to_string(),
        plan_code: plan.code.clone(),
        filter: format::Filter { level: peer.level.clone(), releasable_to: f_tokens(&f) },
        records: vec![],
        files: vec![],
        held_back,
    };
    let mut by_kind = BTreeMap::new();
    let mut by_marking = BTreeMap::new();
    for r in &records {
        *by_kind.entry(r.kind.clone()).or_insert(0) += 1;
        let m = r.label.as_ref().and_then(marking_of).map_or_else(|| "unmarked (directory)".to_string(), |m| m.banner());
        *by_marking.entry(m).or_insert(0) += 1;
    }
    let highest = records.iter().filter_map(|r| r.label.as_ref().and_then(marking_of)).reduce(|a, b| a.join(&b)).unwrap_or_else(|| plan.marking.clone());
    let states_to_write: Vec<(String, Uuid, Fields, String)> =
        records.iter().filter_map(|r| Uuid::parse_str(&r.id).ok().map(|id| (r.kind.clone(), id, r.fields.clone(), format::record_hash(r)))).collect();
    let count = records.len();
    let bundle = Bundle { manifest, records, history, files };
    let (bytes, payload_sha256) = format::sign(bundle, key)?;
    let opened = format::open(&bytes, u64::MAX, &[key.verifying_key()])?;
    let manifest = opened.bundle.manifest;
    if !preview {
        let tx = app.begin().await?;
        store::put_bundle(&tx, peer.id, "out", seq, ack, plan.id.uuid(), &payload_sha256, count, app.now()).await?;
        for (kind, id, fields, hash) in states_to_write {
            let old = states.get(&id);
            let s = State { agreed: old.and_then(|s| s.agreed.clone()), sent: Some(fields), sent_sha256: Some(hash), sent_seq: seq };
            store::put_state(&tx, peer.id, &kind, id, &s).await?;
        }
        tx.record(ChangeDraft::marked(
            "exchange",
            Uuid::now_v7(),
            Some(plan.id),
            1,
            "export",
            None,
            Some((&highest, json!({"to": peer.name, "seq": seq, "plan": plan.code, "payload_sha256": payload_sha256, "records": count, "by_kind": by_kind}))),
        ));
        tx.commit(&ctx.provenance(app.now())).await.map_err(AppError::from)?;
    }
    Ok(Exported { bytes, manifest, payload_sha256, by_kind, by_marking })
}

fn f_tokens(f: &ReadFilter) -> Vec<String> {
    match &f.release {
        liaison_domain::access::Release::Tokens(t) => t.clone(),
        liaison_domain::access::Release::Any => vec![],
    }
}

fn depth_in(all: &[Fields], r: &Fields) -> usize {
    let mut d = 0;
    let mut cur = uuid_of(r, "parent_id");
    while let Some(p) = cur {
        d += 1;
        if d > 64 {
            break;
        }
        cur = all.iter().find(|o| uuid_of(o, "id") == Some(p)).and_then(|o| uuid_of(o, "parent_id"));
    }
    d
}

fn media_type_of(records: &[Record], sha: &str) -> String {
    for r in records {
        if r.fields.get("sha256").and_then(Value::as_str) == Some(sha)
            && let Some(m) = r.fields.get("media_type").and_then(Value::as_str)
        {
            return m.to_string();
        }
        if r.fields.get("web_sha256").and_then(Value::as_str) == Some(sha) || r.fields.get("thumb_sha256").and_then(Value::as_str) == Some(sha) {
            return "image/jpeg".into();
        }
    }
    "application/octet-stream".into()
}

/// What an import did, or would do.
#[derive(Debug, Default)]
pub struct Imported {
    pub from: String,
    pub seq: i64,
    pub applied: bool,
    /// The same bundle was applied before: nothing changed.
    pub already: bool,
    pub created: BTreeMap<String, usize>,
    pub updated: BTreeMap<String, usize>,
    pub unchanged: usize,
    pub conflicts: Vec<(String, Uuid, rules::FieldConflict)>,
    /// Records refused (and left as they are), with why.
    pub refused: Vec<String>,
    pub history: usize,
    pub files: usize,
}

/// Fields that name another row and may be left empty when that row is not here (the peer
/// could not hold it): a parent or predecessor, an offer an activity came from, a request an
/// offer answers.
const OPTIONAL_REFS: &[(&str, &str, &str)] = &[
    ("plan", "predecessor_id", "plan"),
    ("item", "parent_id", "item"),
    ("item", "lead_org_id", "organisation"),
    ("activity", "offer_id", "offer"),
    ("activity", "organiser", "organisation"),
    ("offer", "answers", "request"),
    ("organisation", "parent_id", "organisation"),
];

/// Check a bundle file and apply it (`apply`), or only say what applying would do.
pub async fn import(app: &App, ctx: &Ctx, bytes: &[u8], max_bytes: u64, apply: bool) -> Result<Imported> {
    let me = store::identity(app.db())
        .await?
        .ok_or_else(|| ExchangeError::Refused("this installation has no exchange identity yet: run `liaison exchange keygen`".into()))?;
    let peers = store::peers(app.db()).await?;
    let mut trusted = Vec::new();
    let mut owner_of_key = HashMap::new();
    for p in &peers {
        for k in &p.keys {
            if let Ok(vk) = format::parse_key(k) {
                owner_of_key.insert(format::key_id(&vk), p.clone());
                trusted.push(vk);
            }
        }
    }
    let opened = format::open(bytes, max_bytes, &trusted)?;
    let peer = owner_of_key.get(&opened.key_id).cloned().ok_or_else(|| ExchangeError::Refused("signed by an unknown key".into()))?;
    let b = opened.bundle;
    let m = &b.manifest;
    if m.source != peer.name {
        return refuse(format!("the bundle says it is from {:?} but is signed with the key of {:?}", m.source, peer.name));
    }
    if m.target != me.name {
        return refuse(format!("this bundle is for {:?}; this installation is {:?}", m.target, me.name));
    }
    let schema = liaison_store::migrate::latest();
    if i64::from(m.schema) != schema {
        return refuse(format!(
            "the bundle was made at schema level {}, this installation is at {schema}: run the same Liaison version on both sides",
            m.schema
        ));
    }
    let mut out = Imported { from: peer.name.clone(), seq: m.seq, applied: apply, ..Imported::default() };
    let conn = store::At::Db(app.db());
    let plan_id = Uuid::parse_str(&m.plan_id).map_err(|_| ExchangeError::Refused("the manifest's plan id is not a UUID".into()))?;
    match rules::sequence(store::last_bundle(conn, peer.id, plan_id, "in").await?.as_ref().map(|(n, h)| (*n, h.as_str())), m.seq, &opened.payload_sha256) {
        Sequence::Apply => {}
        Sequence::AlreadyApplied => {
            out.already = true;
            return Ok(out);
        }
        Sequence::Refuse { last } => {
            return refuse(format!(
                "bundle #{} from {} is older than or replaces #{last}, already applied: a replayed or out-of-date bundle is refused",
                m.seq, peer.name
            ));
        }
    }
    // Every record within this installation's accreditation, and of a kind exchanged.
    let mine = level(&me.accreditation)?;
    let mut above = Vec::new();
    for r in &b.records {
        if !KINDS.contains(&r.kind.as_str()) || r.kind == "version" {
            return refuse(format!("a record of kind {:?} is not exchanged", r.kind));
        }
        if Uuid::parse_str(&r.id).is_err() {
            return refuse(format!("record id {:?} is not a UUID", r.id));
        }
        if let Some(l) = &r.label {
            match Level::parse(&l.classification) {
                Some(lv) if lv.scheme() == mine.scheme() && lv.rank() <= mine.rank() => {}
                Some(_) | None => above.push(format!("{} {} ({})", r.kind, r.id, l.classification)),
            }
        } else if !matches!(r.kind.as_str(), "organisation" | "user") {
            return refuse(format!("record {} {} carries no label", r.kind, r.id));
        }
        // A record's own marking is the one its label states.
        if let Some(lv) = r.fields.get("marking_level") {
            let stated = r.label.as_ref().map(|l| l.classification.as_str());
            if lv.as_str() != stated {
                return refuse(format!("record {} {} is marked {lv} but labelled {}", r.kind, r.id, stated.unwrap_or("nothing")));
            }
        }
        if r.kind == "rating" {
            let f = &r.fields;
            if uuid_of(f, "assessment_id").zip(uuid_of(f, "item_id")).is_none_or(|(a, i)| store::rating_id(a, i).to_string() != r.id) {
                return refuse(format!("rating {} does not carry its assessment's and item's id", r.id));
            }
        }
    }
    if !above.is_empty() {
        let n = above.len();
        above.truncate(5);
        return refuse(format!("{n} records are above this installation's accreditation ({}), e.g. {}: the bundle is refused", mine.code(), above.join(", ")));
    }

    let tx = app.begin().await?;
    let now = app.now();
    // The peer has seen what we sent up to its ack: that becomes the agreed state.
    let mut states = store::states(store::At::Tx(&tx), peer.id).await?;
    for (id, s) in states.iter_mut() {
        if s.sent.is_some() && s.sent_seq <= m.ack && s.agreed != s.sent {
            s.agreed = s.sent.clone();
            let kind = b.records.iter().find(|r| r.id == id.to_string()).map_or("record", |r| r.kind.as_str()).to_string();
            store::put_state(&tx, peer.id, &kind, *id, s).await?;
        }
    }
    let origins = store::origins(store::At::Tx(&tx)).await?;
    for f in &b.files {
        store::put_blob(&tx, &f.sha256, f.bytes()?).await?;
    }
    out.files = b.files.len();
    let mut order: Vec<&Record> = b.records.iter().collect();
    order.sort_by_key(|r| (KINDS.iter().position(|k| *k == r.kind).unwrap_or(usize::MAX), r.fields.get("depth").and_then(Value::as_i64).unwrap_or(0)));
    let mut present: HashSet<Uuid> = HashSet::new();
    let mut items_touched = false;
    for r in order {
        let id = Uuid::parse_str(&r.id).map_err(|_| ExchangeError::Refused("a record id is not a UUID".into()))?;
        let kind: &'static str = KINDS.iter().copied().find(|k| *k == r.kind).unwrap_or("record");
        let mut remote = r.fields.clone();
        // The rank is this installation's, from the level (never as sent).
        if let Some(lv) = remote.get("marking_level").and_then(Value::as_str).and_then(Level::parse) {
            remote.insert("marking_rank".into(), json!(lv.rank()));
        }
        if uuid_of(&remote, "id").is_some_and(|x| x != id) && kind != "rating" {
            out.refused.push(format!("{kind} {id}: its fields carry another id"));
            continue;
        }
        // Records of this bundle's plan only: a record that names another plan is refused.
        let its_plan = if kind == "plan" { Some(id) } else { uuid_of(&remote, "plan_id") };
        if its_plan.is_some_and(|p| p != plan_id) {
            out.refused.push(format!("{kind} {id}: it belongs to another plan than the bundle's"));
            continue;
        }
        for (k, field, target) in OPTIONAL_REFS {
            if *k == kind
                && let Some(ref_id) = uuid_of(&remote, field)
                && !present.contains(&ref_id)
                && store::current(&tx, target, ref_id, &Fields::new()).await?.is_none()
            {
                remote.insert((*field).to_string(), Value::Null);
            }
        }
        let local = store::current(&tx, kind, id, &remote).await?;
        let state = states.get(&id).cloned();
        let owner = origins.get(&id).filter(|(_, k)| k == kind).map(|(p, _)| *p);
        let (fields, created, conflicts) = match (ownership(kind), local) {
            (_, None) => {
                let mut f = remote.clone();
                f.insert("version".into(), json!(1));
                (Some(f), true, vec![])
            }
            (Ownership::Origin, Some(l)) => {
                if owner != Some(peer.id) && kind != "user" {
                    out.refused.push(format!("{kind} {id}: this installation owns it, so {} may not change it", peer.name));
                    continue;
                }
                let mut f = remote.clone();
                for k in LOCAL_FIELDS {
                    if let Some(v) = l.get(*k) {
                        f.insert((*k).to_string(), v.clone());
                    }
                }
                let same = f.iter().all(|(k, v)| LOCAL_FIELDS.contains(&k.as_str()) || l.get(k) == Some(v));
                if same {
                    (None, false, vec![])
                } else {
                    f.insert("version".into(), json!(l.get("version").and_then(Value::as_i64).unwrap_or(0) + 1));
                    (Some(f), false, vec![])
                }
            }
            (Ownership::Shared, Some(l)) => {
                let got = merge(state.as_ref().and_then(|s| s.agreed.as_ref()), &l, &remote);
                let fields = got.changed.then(|| {
                    let mut f = got.fields.clone();
                    f.insert("version".into(), json!(l.get("version").and_then(Value::as_i64).unwrap_or(0) + 1));
                    f
                });
                (fields, false, got.conflicts)
            }
        };
        for c in conflicts {
            store::add_conflict(&tx, peer.id, kind, id, &c.field, &c.local, &c.remote, m.seq, now).await?;
            out.conflicts.push((kind.to_string(), id, c));
        }
        match fields {
            Some(f) => {
                let before = store::current(&tx, kind, id, &remote).await?;
                if !store::put(&tx, kind, f.clone(), created).await? {
                    out.unchanged += 1;
                    present.insert(id);
                    continue;
                }
                let marking = r.label.as_ref().and_then(marking_of);
                let draft_plan = (!matches!(kind, "organisation" | "user")).then_some(PlanId(plan_id));
                tx.record(ChangeDraft {
                    entity: change_entity(kind),
                    entity_id: id,
                    plan: draft_plan,
                    version: f.get("version").and_then(Value::as_i64).unwrap_or(1),
                    action: if created { "exchange_create" } else { "exchange_update" },
                    before: before.map(Value::Object),
                    after: Some(Value::Object(f)),
                    marking,
                });
                *(if created { &mut out.created } else { &mut out.updated }).entry(kind.to_string()).or_insert(0) += 1;
                if kind == "item" {
                    items_touched = true;
                }
            }
            None => out.unchanged += 1,
        }
        present.insert(id);
        if ownership(kind) == Ownership::Origin && kind != "user" && r.origin != me.name {
            store::set_origin(&tx, kind, id, peer.id).await?;
        }
        let mut s = state.unwrap_or(State { agreed: None, sent: None, sent_sha256: None, sent_seq: 0 });
        s.agreed = Some(r.fields.clone());
        store::put_state(&tx, peer.id, kind, id, &s).await?;
    }
    if items_touched {
        refresh_items(&tx, PlanId(plan_id)).await?;
    }
    let ids: HashSet<&str> = b.records.iter().map(|r| r.id.as_str()).collect();
    for h in &b.history {
        if !ids.contains(h.entity_id.as_str()) {
            continue;
        }
        let (Ok(eid), Ok(at)) = (Uuid::parse_str(&h.entity_id), chrono::DateTime::parse_from_rfc3339(&h.at)) else { continue };
        let kept = store::put_history(
            &tx,
            peer.id,
            h.seq,
            eid,
            &h.entity,
            h.version,
            at.with_timezone(&chrono::Utc),
            &h.action,
            h.actor.clone(),
            h.before.as_ref().map(Value::to_string),
            h.after.as_ref().map(Value::to_string),
            &h.hash,
        )
        .await?;
        out.history += usize::from(kept);
    }
    store::put_bundle(&tx, peer.id, "in", m.seq, m.ack, plan_id, &opened.payload_sha256, b.records.len(), now).await?;
    let summary = json!({
        "from": peer.name, "seq": m.seq, "payload_sha256": opened.payload_sha256,
        "created": out.created, "updated": out.updated, "conflicts": out.conflicts.len(), "refused": out.refused.len(),
    });
    tx.record(ChangeDraft::marked(
        "exchange",
        Uuid::now_v7(),
        Some(PlanId(plan_id)),
        1,
        "import",
        None,
        Some((&Marking::new(mine, &[], &peer.release), summary)),
    ));
    let prov = Provenance { actor: ctx.actor.user_id(), at: now, request_id: format!("bundle {}#{}", peer.name, m.seq), source: EXCHANGE_SOURCE.to_string() };
    if apply {
        tx.commit(&prov).await.map_err(AppError::from)?;
    } else {
        tx.flush(&prov).await.map_err(AppError::from)?;
        tx.rollback().await.map_err(AppError::from)?;
    }
    Ok(out)
}

/// The change-row entity of a kind of record (what history and the search index read).
fn change_entity(kind: &str) -> &'static str {
    KINDS.iter().copied().find(|k| *k == kind).unwrap_or("record")
}

/// Items written as rows get their derived columns (search text, normalised code, ordering
/// keys) from the store's own writer.
async fn refresh_items(tx: &liaison_store::Tx, plan: PlanId) -> Result<()> {
    let u = tx.unfiltered();
    for it in liaison_store::items::of_plan(&u, plan).await.map_err(AppError::from)? {
        liaison_store::items::update(tx, &it, it.version).await.map_err(AppError::from)?;
    }
    liaison_store::items::rebuild_tree_keys(tx, plan).await.map_err(AppError::from)?;
    Ok(())
}

/// Conflicts waiting for a person (or all of them).
pub async fn conflicts(app: &App, all: bool) -> Result<Vec<store::Conflict>> {
    Ok(store::conflicts(store::At::Db(app.db()), all).await?)
}

/// Settle a conflict: keep this side's value (`local`) or take the peer's (`remote`). Either
/// way the record goes in the next bundle, so that both sides end with the same value.
pub async fn settle(app: &App, ctx: &Ctx, id: Uuid, choice: &str) -> Result<()> {
    ctx.actor.require(Action::ExchangeManage, Target::Installation)?;
    if !matches!(choice, "local" | "remote") {
        return refuse("choose local (keep this side's value) or remote (take the other side's)");
    }
    let all = store::conflicts(store::At::Db(app.db()), true).await?;
    let c = all.into_iter().find(|c| c.id == id).ok_or(ExchangeError::App(AppError::NotFound))?;
    if c.state != "open" {
        return refuse("this conflict is already settled");
    }
    let peer = the_peer(app, &c.peer).await?;
    let tx = app.begin().await?;
    let now = app.now();
    if choice == "remote" {
        let local = store::current(&tx, &c.kind, c.entity_id, &Fields::new()).await?.ok_or(ExchangeError::App(AppError::NotFound))?;
        let mut f = local.clone();
        f.insert(c.field.clone(), c.remote.clone());
        let version = local.get("version").and_then(Value::as_i64).unwrap_or(0) + 1;
        f.insert("version".into(), json!(version));
        store::put(&tx, &c.kind, f.clone(), false).await?;
        let plan = uuid_of(&local, "plan_id").or_else(|| (c.kind == "plan").then_some(c.entity_id)).map(PlanId);
        if c.kind == "item"
            && let Some(p) = plan
        {
            refresh_items(&tx, p).await?;
        }
        let marking = local.get("marking_level").and_then(Value::as_str).and_then(Level::parse).map(|lv| {
            let rel: Vec<&str> = local.get("rel_to").and_then(Value::as_str).unwrap_or("").split(',').filter(|s| !s.is_empty()).collect();
            Marking::new(lv, &rel, local.get("originator").and_then(Value::as_str).unwrap_or(""))
        });
        tx.record(ChangeDraft {
            entity: change_entity(&c.kind),
            entity_id: c.entity_id,
            plan,
            version,
            action: "exchange_settle",
            before: Some(Value::Object(local)),
            after: Some(Value::Object(f)),
            marking,
        });
    } else {
        tx.record(ChangeDraft::unmarked("exchange_conflict", c.id, 1, "settle_local", None, Some(json!({"field": c.field, "kept": c.local}))));
    }
    store::settle_conflict(&tx, id, choice, ctx.actor.user_id().map(|u| u.uuid()), now).await?;
    // Send it again.
    let states = store::states(store::At::Tx(&tx), peer.id).await?;
    let mut s = states.get(&c.entity_id).cloned().unwrap_or(State { agreed: None, sent: None, sent_sha256: None, sent_seq: 0 });
    s.sent_sha256 = None;
    store::put_state(&tx, peer.id, &c.kind, c.entity_id, &s).await?;
    tx.commit(&ctx.provenance(now)).await.map_err(AppError::from)?;
    Ok(())
}

/// When a bundle was made, as the manifest says (for listings).
pub fn created_of(m: &Manifest) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(&m.created).ok().map(|t| t.with_timezone(&chrono::Utc))
}
