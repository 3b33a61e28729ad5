//! Storage for exchange between installations (see `liaison_domain::exchange`): this
//! installation's identity, its peers and their keys, the bundles sent and received, the state
//! each record was last exchanged in, which received records a peer owns, conflicts, and the
//! peers' history of what they sent.
//!
//! Records travel as their rows: [`rows`] reads the rows of one kind by id — ids that the caller
//! obtained from the filtered readers of the bundle's peer, so that what a bundle holds is decided
//! by the same readers that serve people — and [`put`] writes a received row. Rows are read and
//! written through the SeaORM entities, as JSON (ids and times as text), which is the same on
//! both databases.

use crate::entity::*;
use crate::row::join_list;
use crate::{Db, Result, StoreError, Tx};
use liaison_domain::Timestamp;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

pub type Fields = Map<String, Value>;

/// Where the exchange's bookkeeping is read: from the pool, or inside a transaction.
#[derive(Clone, Copy)]
pub enum At<'a> {
    Db(&'a Db),
    Tx(&'a Tx),
}

impl<'a> At<'a> {
    fn c(&self) -> sea_orm::DatabaseExecutor<'a> {
        match *self {
            At::Db(db) => sea_orm::DatabaseExecutor::Connection(db.pool()),
            At::Tx(tx) => sea_orm::DatabaseExecutor::Transaction(tx.conn()),
        }
    }
}

/// This installation's name and accreditation, and the public key it signs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub accreditation: String,
    pub public_key: String,
    pub key_id: String,
}

/// A trusted peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub id: Uuid,
    pub name: String,
    /// Its country or group.
    pub release: String,
    /// The level it is accredited to hold (a level's code).
    pub level: String,
    /// Its public keys, oldest first.
    pub keys: Vec<String>,
}

/// The state one record was last exchanged in with one peer.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The fields both sides held last.
    pub agreed: Option<Fields>,
    /// The fields last sent, the SHA-256 of that record, and the bundle it went in.
    pub sent: Option<Fields>,
    pub sent_sha256: Option<String>,
    pub sent_seq: i64,
}

/// An unsettled (or settled) conflict.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub id: Uuid,
    pub peer: String,
    pub kind: String,
    pub entity_id: Uuid,
    pub field: String,
    pub local: Value,
    pub remote: Value,
    pub seq: i64,
    pub state: String,
}

fn parse_json(s: &Option<String>) -> Option<Fields> {
    s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()).and_then(|v| v.as_object().cloned())
}

fn json(v: &Fields) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

// ---- Identity and peers ----

pub async fn identity(db: &Db) -> Result<Option<Identity>> {
    let m = exchange_identity::Entity::find().one(db.pool()).await?;
    Ok(m.map(|m| Identity { name: m.name, accreditation: m.accreditation, public_key: m.public_key, key_id: m.key_id }))
}

/// Set this installation's identity (a new key replaces the old one; peers keep the old one to
/// verify old bundles).
pub async fn set_identity(tx: &Tx, id: &Identity, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    exchange_identity::Entity::delete_many().exec(c).await?;
    exchange_identity::Entity::insert(exchange_identity::ActiveModel {
        name: Set(id.name.clone()),
        accreditation: Set(id.accreditation.clone()),
        public_key: Set(id.public_key.clone()),
        key_id: Set(id.key_id.clone()),
        created_at: Set(now),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

async fn peer_of(c: &impl ConnectionTrait, m: exchange_peer::Model) -> Result<Peer> {
    let keys = exchange_peer_key::Entity::find()
        .filter(exchange_peer_key::Column::PeerId.eq(m.id))
        .order_by_asc(exchange_peer_key::Column::AddedAt)
        .all(c)
        .await?
        .into_iter()
        .map(|k| k.public_key)
        .collect();
    Ok(Peer { id: m.id, name: m.name, release: m.release, level: m.level, keys })
}

pub async fn peers(db: &Db) -> Result<Vec<Peer>> {
    let mut out = Vec::new();
    for m in exchange_peer::Entity::find().order_by_asc(exchange_peer::Column::Name).all(db.pool()).await? {
        out.push(peer_of(db.pool(), m).await?);
    }
    Ok(out)
}

pub async fn peer(db: &Db, name: &str) -> Result<Option<Peer>> {
    match exchange_peer::Entity::find().filter(exchange_peer::Column::Name.eq(name)).one(db.pool()).await? {
        Some(m) => Ok(Some(peer_of(db.pool(), m).await?)),
        None => Ok(None),
    }
}

/// Add a peer, or to a known peer a new key (rotation) and its current country and level.
/// Answers the peer and whether the key is new.
pub async fn add_peer(tx: &Tx, name: &str, release: &str, level: &str, key: &str, key_id: &str, now: Timestamp) -> Result<(Peer, bool)> {
    let c = tx.conn();
    let id = match exchange_peer::Entity::find().filter(exchange_peer::Column::Name.eq(name)).one(c).await? {
        Some(m) => {
            let version = m.version + 1;
            let mut a = m.clone().into_active_model();
            a.release = Set(release.to_string());
            a.level = Set(level.to_string());
            a.version = Set(version);
            a.update(c).await?;
            m.id
        }
        None => {
            let id = Uuid::now_v7();
            exchange_peer::Entity::insert(exchange_peer::ActiveModel {
                id: Set(id),
                name: Set(name.to_string()),
                release: Set(release.to_string()),
                level: Set(level.to_string()),
                created_at: Set(now),
                version: Set(1),
            })
            .exec_without_returning(c)
            .await?;
            id
        }
    };
    let new_key = match exchange_peer_key::Entity::find_by_id(key_id.to_string()).one(c).await? {
        Some(k) if k.peer_id != id => return Err(StoreError::Refused(format!("this key is already the key of another peer ({key_id})"))),
        Some(_) => false,
        None => {
            exchange_peer_key::Entity::insert(exchange_peer_key::ActiveModel {
                key_id: Set(key_id.to_string()),
                peer_id: Set(id),
                public_key: Set(key.to_string()),
                added_at: Set(now),
            })
            .exec_without_returning(c)
            .await?;
            true
        }
    };
    let m = exchange_peer::Entity::find_by_id(id).one(c).await?.ok_or(StoreError::NotFound)?;
    Ok((peer_of(c, m).await?, new_key))
}

// ---- Bundles ----

/// The last bundle of a plan in `direction` (`in` or `out`) with a peer: its number and
/// payload hash. Bundles are numbered per peer and plan.
pub async fn last_bundle(at: At<'_>, peer: Uuid, plan: Uuid, direction: &str) -> Result<Option<(i64, String)>> {
    let c = &at.c();
    let m = exchange_bundle::Entity::find()
        .filter(exchange_bundle::Column::PeerId.eq(peer))
        .filter(exchange_bundle::Column::PlanId.eq(plan))
        .filter(exchange_bundle::Column::Direction.eq(direction))
        .order_by_desc(exchange_bundle::Column::Seq)
        .one(c)
        .await?;
    Ok(m.map(|m| (m.seq, m.payload_sha256)))
}

/// The highest of our bundles the peer said it applied (the `ack` of its bundles).
pub async fn acknowledged(at: At<'_>, peer: Uuid, plan: Uuid) -> Result<i64> {
    let c = &at.c();
    let m = exchange_bundle::Entity::find()
        .filter(exchange_bundle::Column::PeerId.eq(peer))
        .filter(exchange_bundle::Column::PlanId.eq(plan))
        .filter(exchange_bundle::Column::Direction.eq("in"))
        .order_by_desc(exchange_bundle::Column::Ack)
        .one(c)
        .await?;
    Ok(m.map_or(0, |m| m.ack))
}

/// A bundle sent or received, for listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleRow {
    pub peer: String,
    pub direction: String,
    pub seq: i64,
    pub ack: i64,
    pub records: i32,
    pub payload_sha256: String,
    pub at: Timestamp,
}

/// The latest bundles, newest first.
pub async fn bundles(at: At<'_>, limit: u64) -> Result<Vec<BundleRow>> {
    let c = &at.c();
    let names: HashMap<Uuid, String> = exchange_peer::Entity::find().all(c).await?.into_iter().map(|p| (p.id, p.name)).collect();
    Ok(exchange_bundle::Entity::find()
        .order_by_desc(exchange_bundle::Column::At)
        .order_by_desc(exchange_bundle::Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(|m| BundleRow {
            peer: names.get(&m.peer_id).cloned().unwrap_or_default(),
            direction: m.direction,
            seq: m.seq,
            ack: m.ack,
            records: m.records,
            payload_sha256: m.payload_sha256,
            at: m.at,
        })
        .collect())
}

/// Record a bundle sent or received.
#[allow(clippy::too_many_arguments)]
pub async fn put_bundle(
    tx: &Tx,
    peer: Uuid,
    direction: &str,
    seq: i64,
    ack: i64,
    plan: Uuid,
    payload_sha256: &str,
    records: usize,
    now: Timestamp,
) -> Result<()> {
    exchange_bundle::Entity::insert(exchange_bundle::ActiveModel {
        id: Set(Uuid::now_v7()),
        peer_id: Set(peer),
        direction: Set(direction.to_string()),
        seq: Set(seq),
        ack: Set(ack),
        plan_id: Set(plan),
        payload_sha256: Set(payload_sha256.to_string()),
        records: Set(i32::try_from(records).unwrap_or(i32::MAX)),
        at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

// ---- Exchanged states, origins, conflicts ----

/// Every record's exchanged state with a peer.
pub async fn states(at: At<'_>, peer: Uuid) -> Result<HashMap<Uuid, State>> {
    let c = &at.c();
    let rows = exchange_state::Entity::find().filter(exchange_state::Column::PeerId.eq(peer)).all(c).await?;
    Ok(rows
        .into_iter()
        .map(|m| (m.entity_id, State { agreed: parse_json(&m.agreed), sent: parse_json(&m.sent), sent_sha256: m.sent_sha256, sent_seq: m.sent_seq }))
        .collect())
}

/// Write one record's exchanged state with a peer.
pub async fn put_state(tx: &Tx, peer: Uuid, kind: &str, id: Uuid, s: &State) -> Result<()> {
    let c = tx.conn();
    let existing =
        exchange_state::Entity::find().filter(exchange_state::Column::PeerId.eq(peer)).filter(exchange_state::Column::EntityId.eq(id)).one(c).await?;
    let a = exchange_state::ActiveModel {
        id: Set(existing.as_ref().map_or_else(Uuid::now_v7, |m| m.id)),
        peer_id: Set(peer),
        entity_id: Set(id),
        kind: Set(kind.to_string()),
        agreed: Set(s.agreed.as_ref().map(json)),
        sent: Set(s.sent.as_ref().map(json)),
        sent_sha256: Set(s.sent_sha256.clone()),
        sent_seq: Set(s.sent_seq),
    };
    if existing.is_some() {
        exchange_state::Entity::update(a).exec(c).await?;
    } else {
        exchange_state::Entity::insert(a).exec_without_returning(c).await?;
    }
    Ok(())
}

/// The peer that owns each received record (records created here are not listed).
pub async fn origins(at: At<'_>) -> Result<HashMap<Uuid, (Uuid, String)>> {
    let c = &at.c();
    Ok(exchange_origin::Entity::find().all(c).await?.into_iter().map(|m| (m.entity_id, (m.peer_id, m.kind))).collect())
}

pub async fn set_origin(tx: &Tx, kind: &str, id: Uuid, peer: Uuid) -> Result<()> {
    let c = tx.conn();
    if exchange_origin::Entity::find_by_id(id).one(c).await?.is_none() {
        exchange_origin::Entity::insert(exchange_origin::ActiveModel { entity_id: Set(id), kind: Set(kind.to_string()), peer_id: Set(peer) })
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// Which of these records a peer owns: they are read-only here (see `Tx`'s chaining).
pub(crate) async fn owned_by_peers(c: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        for m in exchange_origin::Entity::find().filter(exchange_origin::Column::EntityId.is_in(chunk.iter().copied())).all(c).await? {
            out.push((m.entity_id, m.kind));
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub async fn add_conflict(tx: &Tx, peer: Uuid, kind: &str, id: Uuid, field: &str, local: &Value, remote: &Value, seq: i64, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    // One open conflict per field: a newer remote value replaces the older.
    exchange_conflict::Entity::delete_many()
        .filter(exchange_conflict::Column::PeerId.eq(peer))
        .filter(exchange_conflict::Column::EntityId.eq(id))
        .filter(exchange_conflict::Column::Field.eq(field))
        .filter(exchange_conflict::Column::State.eq("open"))
        .exec(c)
        .await?;
    exchange_conflict::Entity::insert(exchange_conflict::ActiveModel {
        id: Set(Uuid::now_v7()),
        peer_id: Set(peer),
        kind: Set(kind.to_string()),
        entity_id: Set(id),
        field: Set(field.to_string()),
        local_value: Set(local.to_string()),
        remote_value: Set(remote.to_string()),
        seq: Set(seq),
        state: Set("open".into()),
        choice: Set(None),
        settled_by: Set(None),
        settled_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Conflicts, open ones only unless `all`, oldest first.
pub async fn conflicts(at: At<'_>, all: bool) -> Result<Vec<Conflict>> {
    let c = &at.c();
    let mut q = exchange_conflict::Entity::find().order_by_asc(exchange_conflict::Column::CreatedAt).order_by_asc(exchange_conflict::Column::Id);
    if !all {
        q = q.filter(exchange_conflict::Column::State.eq("open"));
    }
    let names: HashMap<Uuid, String> = exchange_peer::Entity::find().all(c).await?.into_iter().map(|p| (p.id, p.name)).collect();
    Ok(q.all(c)
        .await?
        .into_iter()
        .map(|m| Conflict {
            id: m.id,
            peer: names.get(&m.peer_id).cloned().unwrap_or_default(),
            kind: m.kind,
            entity_id: m.entity_id,
            field: m.field,
            local: serde_json::from_str(&m.local_value).unwrap_or(Value::Null),
            remote: serde_json::from_str(&m.remote_value).unwrap_or(Value::Null),
            seq: m.seq,
            state: m.state,
        })
        .collect())
}

/// Whether a record has an open conflict (it is held back from bundles until settled).
pub async fn open_conflicts_of(at: At<'_>) -> Result<Vec<Uuid>> {
    let c = &at.c();
    let rows = exchange_conflict::Entity::find()
        .select_only()
        .column(exchange_conflict::Column::EntityId)
        .filter(exchange_conflict::Column::State.eq("open"))
        .into_tuple::<Uuid>()
        .all(c)
        .await?;
    Ok(rows)
}

pub async fn settle_conflict(tx: &Tx, id: Uuid, choice: &str, by: Option<Uuid>, now: Timestamp) -> Result<()> {
    let c = tx.conn();
    let m = exchange_conflict::Entity::find_by_id(id).one(c).await?.ok_or(StoreError::NotFound)?;
    if m.state != "open" {
        return Err(StoreError::Refused("this conflict is already settled".into()));
    }
    let mut a = m.into_active_model();
    a.state = Set("settled".into());
    a.choice = Set(Some(choice.to_string()));
    a.settled_by = Set(by);
    a.settled_at = Set(Some(now));
    a.update(c).await?;
    Ok(())
}

pub async fn count_open_conflicts(at: At<'_>) -> Result<u64> {
    let c = &at.c();
    Ok(exchange_conflict::Entity::find().filter(exchange_conflict::Column::State.eq("open")).count(c).await?)
}

/// Keep a peer's history entry of a record it sent (once per entry).
#[allow(clippy::too_many_arguments)]
pub async fn put_history(
    tx: &Tx,
    peer: Uuid,
    remote_seq: i64,
    entity_id: Uuid,
    entity: &str,
    version: i64,
    at: Timestamp,
    action: &str,
    actor: Option<String>,
    before: Option<String>,
    after: Option<String>,
    hash: &str,
) -> Result<bool> {
    let c = tx.conn();
    let taken = exchange_history::Entity::find()
        .filter(exchange_history::Column::PeerId.eq(peer))
        .filter(exchange_history::Column::RemoteSeq.eq(remote_seq))
        .count(c)
        .await?
        > 0;
    if taken {
        return Ok(false);
    }
    exchange_history::Entity::insert(exchange_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        peer_id: Set(peer),
        remote_seq: Set(remote_seq),
        entity_id: Set(entity_id),
        entity: Set(entity.to_string()),
        version: Set(version),
        at: Set(at),
        action: Set(action.to_string()),
        actor: Set(actor),
        before_json: Set(before),
        after_json: Set(after),
        hash: Set(hash.to_string()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(true)
}

/// How many history entries of peers are kept for a record.
pub async fn peer_history_count(db: &Db, entity_id: Uuid) -> Result<u64> {
    Ok(exchange_history::Entity::find().filter(exchange_history::Column::EntityId.eq(entity_id)).count(db.pool()).await?)
}

// ---- Rows ----

async fn rows_by_id<E>(c: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Fields>>
where
    E: EntityTrait,
    E::Model: Serialize,
{
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        for m in E::find().filter(Expr::col(Alias::new("id")).is_in(chunk.iter().copied())).all(c).await? {
            if let Ok(Value::Object(o)) = serde_json::to_value(&m) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

async fn put_model<E, A>(c: &impl ConnectionTrait, fields: Fields, insert: bool) -> Result<()>
where
    E: EntityTrait<ActiveModel = A>,
    E::Model: DeserializeOwned + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = E> + Send,
{
    let m: E::Model =
        serde_json::from_value(Value::Object(fields)).map_err(|e| StoreError::Refused(format!("a received record does not fit this installation: {e}")))?;
    let a = m.into_active_model().reset_all();
    if insert {
        E::insert(a).exec_without_returning(c).await?;
    } else {
        E::update(a).exec(c).await?;
    }
    Ok(())
}

macro_rules! by_kind {
    ($kind:expr, $m:ident, $($arg:expr),*) => {
        match $kind {
            "organisation" => $m!(organisation, $($arg),*),
            "plan" => $m!(plan, $($arg),*),
            "period" => $m!(reporting_period, $($arg),*),
            "item" => $m!(item, $($arg),*),
            "link" => $m!(item_link, $($arg),*),
            "indicator" => $m!(indicator, $($arg),*),
            "measurement" => $m!(measurement, $($arg),*),
            "progress_update" => $m!(progress_update, $($arg),*),
            "attachment" => $m!(attachment, $($arg),*),
            "assessment" => $m!(assessment, $($arg),*),
            "comment" => $m!(item_comment, $($arg),*),
            "request" => $m!(assistance_request, $($arg),*),
            "offer" => $m!(assistance_offer, $($arg),*),
            "activity" => $m!(activity, $($arg),*),
            "story" => $m!(story, $($arg),*),
            "photo" => $m!(story_photo, $($arg),*),
            "decision" => $m!(decision, $($arg),*),
            other => return Err(StoreError::Refused(format!("records of kind {other:?} are not exchanged"))),
        }
    };
}

/// The rows of `kind` with these ids, as fields. For `user`, only what another installation
/// shows of a person: the name, the organisation and the language. For `rating`, ids are
/// `assessment:item` pairs (see [`rating_id`]).
pub async fn rows(db: &Db, kind: &str, ids: &[Uuid]) -> Result<Vec<Fields>> {
    let c = db.pool();
    macro_rules! read {
        ($e:ident, $c:expr, $ids:expr) => {
            rows_by_id::<$e::Entity>($c, $ids).await
        };
    }
    if kind == "user" {
        return Ok(rows_by_id::<app_user::Entity>(c, ids).await?.into_iter().map(person).collect());
    }
    if kind == "rating" {
        return Err(StoreError::Refused("read ratings with rating_rows".into()));
    }
    by_kind!(kind, read, c, ids)
}

/// The id a rating travels under: the v5 UUID of its assessment and item.
pub fn rating_id(assessment: Uuid, item: Uuid) -> Uuid {
    let mut b = assessment.as_bytes().to_vec();
    b.extend_from_slice(item.as_bytes());
    Uuid::new_v5(&Uuid::NAMESPACE_OID, &b)
}

/// The ratings of these assessments for these items, each with its travelling id.
pub async fn rating_rows(db: &Db, assessments: &[Uuid], items: &std::collections::HashSet<Uuid>) -> Result<Vec<(Uuid, Fields)>> {
    let mut out = Vec::new();
    for chunk in assessments.chunks(500) {
        for m in assessment_rating::Entity::find().filter(assessment_rating::Column::AssessmentId.is_in(chunk.iter().copied())).all(db.pool()).await? {
            if items.contains(&m.item_id)
                && let Ok(Value::Object(o)) = serde_json::to_value(&m)
            {
                out.push((rating_id(m.assessment_id, m.item_id), o));
            }
        }
    }
    Ok(out)
}

/// The local row of a received record, if it is here.
pub async fn current(tx: &Tx, kind: &str, id: Uuid, fields: &Fields) -> Result<Option<Fields>> {
    let c = tx.conn();
    macro_rules! read {
        ($e:ident, $c:expr, $id:expr) => {
            rows_by_id::<$e::Entity>($c, &[$id]).await.map(|mut v| v.pop())
        };
    }
    match kind {
        "user" => Ok(rows_by_id::<app_user::Entity>(c, &[id]).await?.pop().map(person)),
        "rating" => {
            let (Some(a), Some(i)) = (uuid_field(fields, "assessment_id"), uuid_field(fields, "item_id")) else {
                return Err(StoreError::Refused("a rating names no assessment and item".into()));
            };
            let m = assessment_rating::Entity::find_by_id((a, i)).one(c).await?;
            Ok(m.and_then(|m| serde_json::to_value(&m).ok()).and_then(|v| v.as_object().cloned()))
        }
        _ => by_kind!(kind, read, c, id),
    }
}

/// What another installation holds of a person: the name, the organisation and the language —
/// never the e-mail address, the password's hash or the sign-in state.
fn person(u: Fields) -> Fields {
    ["id", "display_name", "organisation_id", "language"].iter().filter_map(|k| u.get(*k).map(|v| (k.to_string(), v.clone()))).collect()
}

fn uuid_field(f: &Fields, k: &str) -> Option<Uuid> {
    f.get(k).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
}

/// Write a received record: insert it, or update the local row. A person from a peer becomes
/// a disabled account that cannot sign in, shown by name; a local account is never changed
/// (answers `false`: nothing written).
pub async fn put(tx: &Tx, kind: &str, mut fields: Fields, insert: bool) -> Result<bool> {
    let c = tx.conn();
    macro_rules! write {
        ($e:ident, $c:expr, $f:expr, $insert:expr) => {
            put_model::<$e::Entity, $e::ActiveModel>($c, $f, $insert).await
        };
    }
    match kind {
        "user" => {
            let id = uuid_field(&fields, "id").ok_or_else(|| StoreError::Refused("a person without an id".into()))?;
            let name = fields.get("display_name").and_then(Value::as_str).unwrap_or("").chars().take(200).collect::<String>();
            let org = uuid_field(&fields, "organisation_id").ok_or_else(|| StoreError::Refused("a person without an organisation".into()))?;
            let lang = fields.get("language").and_then(Value::as_str).unwrap_or("en").chars().take(10).collect::<String>();
            match app_user::Entity::find_by_id(id).one(c).await? {
                // A local account is this installation's: a peer never changes it.
                Some(m) if !m.email_norm.ends_with("@peer.invalid") => return Ok(false),
                Some(m) => {
                    let version = m.version + 1;
                    let mut a = m.into_active_model();
                    a.display_name = Set(name);
                    a.organisation_id = Set(org);
                    a.version = Set(version);
                    a.update(c).await?;
                }
                None => {
                    let email = format!("{id}@peer.invalid");
                    let now = chrono::Utc::now();
                    app_user::Entity::insert(app_user::ActiveModel {
                        id: Set(id),
                        display_name: Set(name),
                        email: Set(email.clone()),
                        email_norm: Set(email),
                        organisation_id: Set(org),
                        clearance: Set("public".into()),
                        status: Set("disabled".into()),
                        global_roles: Set(join_list::<String>(&[])),
                        password_hash: Set(String::new()),
                        failed_logins: Set(0),
                        locked_until: Set(None),
                        last_login_at: Set(None),
                        language: Set(lang),
                        version: Set(1),
                        created_at: Set(now),
                        updated_at: Set(now),
                    })
                    .exec_without_returning(c)
                    .await?;
                }
            }
            Ok(true)
        }
        "rating" => {
            fields.remove("id");
            write!(assessment_rating, c, fields, insert).map(|()| true)
        }
        _ => by_kind!(kind, write, c, fields, insert).map(|()| true),
    }
}

/// The bytes of these files.
pub async fn blobs(db: &Db, shas: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for chunk in shas.chunks(100) {
        for m in file_blob::Entity::find().filter(file_blob::Column::Sha256.is_in(chunk.iter().cloned())).all(db.pool()).await? {
            out.push((m.sha256, m.data));
        }
    }
    Ok(out)
}

/// Keep a received file (once: files are named by their hash).
pub async fn put_blob(tx: &Tx, sha: &str, data: Vec<u8>) -> Result<()> {
    let c = tx.conn();
    if file_blob::Entity::find_by_id(sha.to_string()).one(c).await?.is_none() {
        let size = i64::try_from(data.len()).unwrap_or(i64::MAX);
        file_blob::Entity::insert(file_blob::ActiveModel { sha256: Set(sha.to_string()), size: Set(size), data: Set(data) }).exec_without_returning(c).await?;
    }
    Ok(())
}

/// Whether a value of a `_id` column names a row of `table` (for the people and organisations
/// that bundled records name).
pub async fn existing_ids(db: &Db, kind: &str, ids: &[Uuid]) -> Result<Vec<Uuid>> {
    let c = db.pool();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let found: Vec<Uuid> = match kind {
            "user" => {
                app_user::Entity::find()
                    .select_only()
                    .column(app_user::Column::Id)
                    .filter(app_user::Column::Id.is_in(chunk.iter().copied()))
                    .into_tuple()
                    .all(c)
                    .await?
            }
            "organisation" => {
                organisation::Entity::find()
                    .select_only()
                    .column(organisation::Column::Id)
                    .filter(organisation::Column::Id.is_in(chunk.iter().copied()))
                    .into_tuple()
                    .all(c)
                    .await?
            }
            _ => Vec::new(),
        };
        out.extend(found);
    }
    Ok(out)
}

/// The change rows of these records whose own marking the filter admits, oldest first.
pub async fn history_of(db: &Db, filter: &liaison_domain::access::ReadFilter, ids: &[Uuid]) -> Result<Vec<change_log::Model>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            change_log::Entity::find()
                .filter(change_log::Column::EntityId.is_in(chunk.iter().copied()))
                .filter(crate::filter::marking(filter, change_log::Column::MarkingRank, change_log::Column::RelTo))
                .all(db.pool())
                .await?,
        );
    }
    out.sort_by_key(|m| m.seq);
    Ok(out)
}

/// The display names of these people (for the history a bundle carries).
pub async fn names(db: &Db, ids: &[Uuid]) -> Result<HashMap<Uuid, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for (id, name) in app_user::Entity::find()
            .select_only()
            .column(app_user::Column::Id)
            .column(app_user::Column::DisplayName)
            .filter(app_user::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<(Uuid, String)>()
            .all(db.pool())
            .await?
        {
            out.insert(id, name);
        }
    }
    Ok(out)
}
