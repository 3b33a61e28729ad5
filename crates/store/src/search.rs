//! The search index: one row per searchable record ([`Doc`]), kept in step with every write and
//! read through the access policy.
//!
//! * **Kept in step.** [`follow`] runs inside every write transaction, when its changes are
//!   chained onto the audit trail: each record a change names is read again (inside the
//!   transaction) and its row written or removed, so what was just saved is found, and what was
//!   just hidden or deleted is not, from the moment the write commits. A change to an item's
//!   marking moves the marking its indicators, reports and comments are found under. [`rebuild`]
//!   writes every row again (`liaison search reindex`), a batch per transaction.
//! * **Read through the policy.** Every query's `WHERE` holds the same conditions the record's
//!   own readers apply ([`filter`]): the plan visible, the record's marking and its item's
//!   marking cleared, an offer's Ally scope; for the public portal, records marked public of a
//!   published plan, of the kinds the portal shows. Hits, totals and facets come from the same
//!   filtered rows, so a hidden record is never found, counted or quoted.
//! * **Matched alike on both databases.** The text is indexed folded (see
//!   [`liaison_domain::search`]): SQLite by FTS5 (`unicode61`) ranked by BM25, PostgreSQL by a
//!   weighted `tsvector` (GIN) ranked by `ts_rank`, which also holds the Serbian stemmer's
//!   lexemes so that other forms of a Serbian word are found there too.

use crate::entity::search_doc::{ActiveModel, Column, Entity};
use crate::entity::{
    activity, assistance_offer, assistance_request, attachment, decision, indicator, item, item_comment, organisation, progress_update, story,
};
use crate::row::{join_list, rel_to};
use crate::{Backend, Db, Reader, Result, StoreError, Tx, filter};
use liaison_domain::access::{PlanScope, ReadFilter};
use liaison_domain::change::ChangeDraft;
use liaison_domain::item::Item;
use liaison_domain::search::{Doc, Facets, Kind, ON_PORTAL, Query, RANKED, Search, Term};
use liaison_domain::{ItemId, PlanId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, LikeExpr, OnConflict, Order, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// How many records a batch of [`rebuild`] reads and writes in one transaction.
const BATCH: u64 = 500;

/// The kind of record a change is about, where it is one that is searched.
fn kind_of_entity(entity: &str) -> Option<Kind> {
    Some(match entity {
        "item" => Kind::Item,
        "indicator" => Kind::Indicator,
        "progress_update" => Kind::Report,
        "comment" => Kind::Comment,
        "request" => Kind::Request,
        "offer" => Kind::Offer,
        "activity" => Kind::Activity,
        "story" => Kind::Story,
        "decision" => Kind::Decision,
        "organisation" => Kind::Organisation,
        "attachment" => Kind::Evidence,
        _ => return None,
    })
}

// ---- Records as documents ----

/// The items with these ids (for the records that belong to them).
async fn items_by_id(c: &impl ConnectionTrait, ids: impl IntoIterator<Item = Uuid>, lock: bool) -> Result<HashMap<ItemId, Item>> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    let mut out = HashMap::with_capacity(ids.len());
    let ids: Vec<Uuid> = ids.into_iter().collect();
    for chunk in ids.chunks(500) {
        let mut q = item::Entity::find().filter(item::Column::Id.is_in(chunk.iter().copied()));
        if lock {
            q = q.lock_shared();
        }
        for m in q.all(c).await? {
            let i = crate::items::to_domain(m)?;
            out.insert(i.id, i);
        }
    }
    Ok(out)
}

/// Which rows of a kind's table to read: these ids, or a page in id order.
#[derive(Clone, Copy)]
enum Pick<'a> {
    Ids(&'a [Uuid]),
    After(Option<Uuid>, u64),
}

macro_rules! pick {
    ($entity:path, $id:expr, $pick:expr, $lock:expr, $c:expr) => {{
        let mut q = <$entity>::find();
        match $pick {
            Pick::Ids(ids) => q = q.filter($id.is_in(ids.iter().copied())),
            Pick::After(after, n) => {
                if let Some(a) = after {
                    q = q.filter($id.gt(a));
                }
                q = q.order_by_asc($id).limit(n);
            }
        }
        // PostgreSQL: a write to a row being indexed waits until its row is written, so a
        // batch never writes what a concurrent write has just replaced.
        if $lock {
            q = q.lock_shared();
        }
        q.all($c).await?
    }};
}

/// The documents of the records of `kind` that `pick` names, and the ids of every record read
/// (a child whose item is gone has none).
async fn documents(c: &impl ConnectionTrait, kind: Kind, pick: Pick<'_>, lock: bool) -> Result<(Vec<Doc>, Vec<Uuid>)> {
    let mut docs = Vec::new();
    let mut seen = Vec::new();
    match kind {
        Kind::Item => {
            for m in pick!(item::Entity, item::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::item(&crate::items::to_domain(m)?));
            }
        }
        Kind::Indicator => {
            let rows = pick!(indicator::Entity, indicator::Column::Id, pick, lock, c);
            let items = items_by_id(c, rows.iter().map(|m| m.item_id), lock).await?;
            for m in rows {
                seen.push(m.id);
                let x = crate::indicators::to_domain(m)?;
                if let Some(i) = items.get(&x.item) {
                    docs.push(Doc::indicator(&x, i));
                }
            }
        }
        Kind::Report => {
            let rows = pick!(progress_update::Entity, progress_update::Column::Id, pick, lock, c);
            let items = items_by_id(c, rows.iter().map(|m| m.item_id), lock).await?;
            for m in rows {
                seen.push(m.id);
                let u = crate::progress::to_domain(m)?;
                if let Some(i) = items.get(&u.item) {
                    docs.push(Doc::report(&u, i));
                }
            }
        }
        Kind::Comment => {
            let rows = pick!(item_comment::Entity, item_comment::Column::Id, pick, lock, c);
            let items = items_by_id(c, rows.iter().map(|m| m.item_id), lock).await?;
            for m in rows {
                seen.push(m.id);
                let x = crate::comments::to_domain(m)?;
                if let Some(i) = items.get(&x.item) {
                    docs.push(Doc::comment(&x, i));
                }
            }
        }
        Kind::Request => {
            for m in pick!(assistance_request::Entity, assistance_request::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::request(&crate::assistance::r_domain(m)?));
            }
        }
        Kind::Offer => {
            for m in pick!(assistance_offer::Entity, assistance_offer::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::offer(&crate::assistance::o_domain(m)?));
            }
        }
        Kind::Activity => {
            for m in pick!(activity::Entity, activity::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::activity(&crate::activities::to_domain(m)?));
            }
        }
        Kind::Story => {
            for m in pick!(story::Entity, story::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::story(&crate::stories::to_domain(m, Vec::new())?));
            }
        }
        Kind::Decision => {
            for m in pick!(decision::Entity, decision::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::decision(&crate::decisions::to_domain(m)?));
            }
        }
        Kind::Organisation => {
            for m in pick!(organisation::Entity, organisation::Column::Id, pick, lock, c) {
                seen.push(m.id);
                docs.push(Doc::organisation(&crate::organisations::to_domain(m)?));
            }
        }
        Kind::Evidence => {
            for mut m in pick!(attachment::Entity, attachment::Column::Id, pick, lock, c) {
                seen.push(m.id);
                let text = m.text.take().unwrap_or_default();
                docs.push(Doc::evidence(&crate::attachments::to_domain(m)?, &text));
            }
        }
    }
    Ok((docs, seen))
}

fn marking_json(m: &liaison_domain::marking::Marking) -> String {
    serde_json::to_string(m).unwrap_or_default()
}

/// Kinds whose code and title are their item's (shown with the hit, so that one knows what it is
/// about): they are found by the item's code, but not by its title, and only the item itself
/// ranks first by its code.
fn of_an_item(kind: Kind) -> bool {
    matches!(kind, Kind::Indicator | Kind::Report | Kind::Comment)
}

/// The folded text a record is found by in its "title" column: its code and its own title.
fn folded_title(d: &Doc) -> String {
    let mut parts = vec![d.code.clone()];
    match d.kind {
        Kind::Indicator => parts.extend(d.title.0.values().cloned()),
        Kind::Report | Kind::Comment => {}
        _ => parts.extend(d.title.0.values().cloned()),
    }
    liaison_domain::search::fold(&parts.join(" "))
}

fn active(d: &Doc) -> ActiveModel {
    let (rank, rel) = d.marking.as_ref().map_or((0, String::new()), |m| (i32::from(m.level.rank()), rel_to(m)));
    ActiveModel {
        id: Set(d.id),
        n: sea_orm::ActiveValue::NotSet,
        kind: Set(d.kind.code().to_string()),
        plan_id: Set(d.plan.map(|p| p.uuid())),
        item_id: Set(d.item.map(|i| i.uuid())),
        marking_rank: Set(rank),
        rel_to: Set(rel),
        // The item's marking is written by `item_markings` (it is the item's, not the record's).
        item_rank: Set(0),
        item_rel_to: Set(String::new()),
        marking: Set(d.marking.as_ref().map(marking_json).unwrap_or_default()),
        owner_id: Set(d.owner.as_ref().map(|(o, _)| o.uuid())),
        shared_with: Set(d.owner.as_ref().map(|(_, s)| join_list(s)).unwrap_or_default()),
        code: Set(d.code.clone()),
        code_norm: Set(liaison_domain::search::fold_code(&d.code)),
        title: Set(crate::row::text_json(&d.title)),
        body: Set(d.body.clone()),
        status: Set(d.status.clone()),
        areas: Set(join_list(&d.areas)),
        day: Set(d.day),
        title_folded: Set(folded_title(d)),
        body_folded: Set(liaison_domain::search::fold(&d.body)),
    }
}

/// Write these documents (replacing what the index held of them), with the markings of the
/// items they belong to.
async fn put(c: &impl ConnectionTrait, docs: &[Doc], items: &HashMap<ItemId, Item>) -> Result<()> {
    for chunk in docs.chunks(100) {
        let rows = chunk.iter().map(|d| {
            let mut a = active(d);
            if let Some(i) = d.item.and_then(|id| items.get(&id)) {
                a.item_rank = Set(i32::from(i.marking.level.rank()));
                a.item_rel_to = Set(rel_to(&i.marking));
                let shown = d.marking.as_ref().map_or_else(|| i.marking.clone(), |m| m.join(&i.marking));
                a.marking = Set(marking_json(&shown));
            }
            a
        });
        let cols = [
            Column::Kind,
            Column::PlanId,
            Column::ItemId,
            Column::MarkingRank,
            Column::RelTo,
            Column::ItemRank,
            Column::ItemRelTo,
            Column::Marking,
            Column::OwnerId,
            Column::SharedWith,
            Column::Code,
            Column::CodeNorm,
            Column::Title,
            Column::Body,
            Column::Status,
            Column::Areas,
            Column::Day,
            Column::TitleFolded,
            Column::BodyFolded,
        ];
        Entity::insert_many(rows).on_conflict(OnConflict::column(Column::Id).update_columns(cols).to_owned()).exec_without_returning(c).await?;
    }
    Ok(())
}

/// Index the records of `kind` with these ids as they now are (inside the transaction); remove
/// those that are gone.
async fn refresh(c: &impl ConnectionTrait, kind: Kind, ids: &[Uuid], lock: bool) -> Result<()> {
    let (docs, _) = documents(c, kind, Pick::Ids(ids), lock).await?;
    let items = items_by_id(c, docs.iter().filter_map(|d| d.item.map(|i| i.uuid())), lock).await?;
    put(c, &docs, &items).await?;
    let kept: HashSet<Uuid> = docs.iter().map(|d| d.id).collect();
    let gone: Vec<Uuid> = ids.iter().copied().filter(|id| !kept.contains(id)).collect();
    if !gone.is_empty() {
        Entity::delete_many().filter(Column::Id.is_in(gone.iter().copied())).exec(c).await?;
        if kind == Kind::Item {
            // An item's indicators, reports and comments go with it.
            Entity::delete_many().filter(Column::ItemId.is_in(gone)).exec(c).await?;
        }
    }
    if kind == Kind::Item {
        // What belongs to an item shows its title and is found under its marking: index it again.
        let children: Vec<(Uuid, String)> =
            Entity::find().select_only().column(Column::Id).column(Column::Kind).filter(Column::ItemId.is_in(ids.iter().copied())).into_tuple().all(c).await?;
        let mut by_kind: BTreeMap<Kind, Vec<Uuid>> = BTreeMap::new();
        for (id, k) in children {
            if let Some(k) = Kind::parse(&k).filter(|k| *k != Kind::Item) {
                by_kind.entry(k).or_default().push(id);
            }
        }
        for (k, child_ids) in by_kind {
            for chunk in child_ids.chunks(500) {
                Box::pin(refresh(c, k, chunk, lock)).await?;
            }
        }
    }
    Ok(())
}

/// Bring the index up to the changes a transaction is chaining (called by [`Tx`] for every
/// batch of changes it writes, inside the transaction).
pub(crate) async fn follow(tx: &Tx, drafts: &[ChangeDraft]) -> Result<()> {
    let mut by_kind: BTreeMap<Kind, Vec<Uuid>> = BTreeMap::new();
    for d in drafts {
        if let Some(k) = kind_of_entity(d.entity) {
            let ids = by_kind.entry(k).or_default();
            if !ids.contains(&d.entity_id) {
                ids.push(d.entity_id);
            }
        }
    }
    for (kind, ids) in by_kind {
        for chunk in ids.chunks(500) {
            refresh(tx.conn(), kind, chunk, false).await?;
        }
    }
    Ok(())
}

// ---- Rebuilding ----

/// How far a rebuild is.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub kind: Kind,
    /// Records indexed so far, of all kinds.
    pub done: u64,
    /// Records to index, of all kinds.
    pub total: u64,
}

async fn count_rows(c: &impl ConnectionTrait, kind: Kind) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(match kind {
        Kind::Item => item::Entity::find().count(c).await?,
        Kind::Indicator => indicator::Entity::find().count(c).await?,
        Kind::Report => progress_update::Entity::find().count(c).await?,
        Kind::Comment => item_comment::Entity::find().count(c).await?,
        Kind::Request => assistance_request::Entity::find().count(c).await?,
        Kind::Offer => assistance_offer::Entity::find().count(c).await?,
        Kind::Activity => activity::Entity::find().count(c).await?,
        Kind::Story => story::Entity::find().count(c).await?,
        Kind::Decision => decision::Entity::find().count(c).await?,
        Kind::Organisation => organisation::Entity::find().count(c).await?,
        Kind::Evidence => attachment::Entity::find().count(c).await?,
    })
}

/// Evidence files whose text was never read (uploaded before search, or by a build that could
/// not read them): their ids and bytes, a few at a time, for the caller to read.
pub async fn unread_evidence(db: &Db, after: Option<Uuid>, limit: u64) -> Result<Vec<(Uuid, String, Vec<u8>)>> {
    let c = db.pool();
    let mut q = attachment::Entity::find().filter(attachment::Column::Text.is_null()).order_by_asc(attachment::Column::Id).limit(limit);
    if let Some(a) = after {
        q = q.filter(attachment::Column::Id.gt(a));
    }
    let mut out = Vec::new();
    for m in q.all(c).await? {
        let bytes = crate::entity::file_blob::Entity::find_by_id(m.sha256.clone()).one(c).await?.map(|b| b.data).unwrap_or_default();
        out.push((m.id, m.media_type, bytes));
    }
    Ok(out)
}

/// Keep the text read from an evidence file (and index it).
pub async fn put_evidence_text(db: &Db, id: Uuid, text: &str) -> Result<()> {
    let tx = db.begin().await?;
    crate::attachments::set_text(tx.conn(), liaison_domain::AttachmentId(id), text).await?;
    refresh(tx.conn(), Kind::Evidence, &[id], false).await?;
    tx.commit_unaudited().await?;
    Ok(())
}

/// Write the whole index again, a batch of records per transaction, and remove what no longer
/// has a record. `progress` is told after every batch. Returns how many records were indexed.
pub async fn rebuild(db: &Db, mut progress: impl FnMut(Progress)) -> Result<u64> {
    let lock = db.backend() == Backend::Postgres;
    let mut total = 0;
    for k in Kind::ALL {
        total += count_rows(db.pool(), k).await?;
    }
    let mut done = 0;
    for kind in Kind::ALL {
        let mut after = None;
        let mut seen_all: Vec<Uuid> = Vec::new();
        loop {
            let tx = db.begin().await?;
            let (docs, seen) = documents(tx.conn(), kind, Pick::After(after, BATCH), lock).await?;
            let items = items_by_id(tx.conn(), docs.iter().filter_map(|d| d.item.map(|i| i.uuid())), lock).await?;
            put(tx.conn(), &docs, &items).await?;
            tx.commit_unaudited().await?;
            done += seen.len() as u64;
            progress(Progress { kind, done, total: Ord::max(total, done) });
            let Some(last) = seen.last().copied() else { break };
            after = Some(last);
            let full = seen.len() as u64 == BATCH;
            seen_all.extend(seen);
            if !full {
                break;
            }
        }
        // What the index holds of this kind without a record (or whose item is gone).
        let kept: HashSet<Uuid> = seen_all.into_iter().collect();
        let tx = db.begin().await?;
        let held: Vec<Uuid> = Entity::find().select_only().column(Column::Id).filter(Column::Kind.eq(kind.code())).into_tuple().all(tx.conn()).await?;
        let stale: Vec<Uuid> = held.into_iter().filter(|id| !kept.contains(id)).collect();
        for chunk in stale.chunks(500) {
            Entity::delete_many().filter(Column::Id.is_in(chunk.iter().copied())).exec(tx.conn()).await?;
        }
        tx.commit_unaudited().await?;
    }
    mark_built(db).await?;
    db.bump_generation(false);
    Ok(done)
}

async fn mark_built(db: &Db) -> Result<()> {
    db.execute_unaudited(Statement::from_string(db.db_backend(), "UPDATE search_state SET built = 1 WHERE id = 1")).await?;
    Ok(())
}

/// Whether the index was built (a database migrated from before search has not been, until
/// [`rebuild`] runs once).
pub async fn is_built(db: &Db) -> Result<bool> {
    let row = db.pool().query_one_raw(Statement::from_string(db.db_backend(), "SELECT built FROM search_state WHERE id = 1")).await?;
    Ok(row.map(|r| r.try_get::<i32>("", "built")).transpose()?.unwrap_or(0) == 1)
}

/// On a database just created, there is nothing to index: say the index is built.
pub async fn mark_built_if_empty(db: &Db) -> Result<bool> {
    let mut any = 0;
    for k in Kind::ALL {
        any += count_rows(db.pool(), k).await?;
        if any > 0 {
            return Ok(false);
        }
    }
    mark_built(db).await?;
    Ok(true)
}

// ---- Searching ----

/// The access policy on the index's columns, for one reader: the record's own rule, as its
/// readers apply it.
fn visible(f: &ReadFilter) -> Condition {
    let portal = matches!(f.plans, PlanScope::Portal(_));
    let plan = if portal {
        filter::in_visible_plan(f, Column::PlanId)
    } else {
        // Organisations belong to no plan; every signed-in reader sees the directory.
        Condition::any()
            .add(filter::in_visible_plan(f, Column::PlanId))
            .add(Condition::all().add(Column::PlanId.is_null()).add(Column::Kind.eq(Kind::Organisation.code())))
    };
    let mut c = Condition::all()
        .add(plan)
        .add(filter::marking(f, Column::MarkingRank, Column::RelTo))
        .add(filter::marking(f, Column::ItemRank, Column::ItemRelTo))
        .add(Condition::any().add(Column::OwnerId.is_null()).add(filter::ally_scope(f, Column::OwnerId, Column::SharedWith)));
    if portal {
        let mut kinds = Condition::any();
        for (k, status) in ON_PORTAL {
            let mut one = Condition::all().add(Column::Kind.eq(k.code()));
            if let Some(s) = status {
                one = one.add(Column::Status.eq(*s));
            }
            kinds = kinds.add(one);
        }
        c = c.add(kinds);
    }
    c
}

/// The query's match, and its score (higher is better), in the backend's own terms.
fn matching(backend: Backend, q: &Query) -> (Expr, Expr) {
    match backend {
        Backend::Sqlite => (Expr::cust_with_values("search_fts MATCH ?", [q.fts5()]), Expr::cust("-bm25(search_fts, 10.0, 1.0)")),
        Backend::Postgres => {
            // Each term's `tsquery` from folded words (letters and digits only); a plain word also
            // as the Serbian stemmer reads it.
            let mut sql = Vec::new();
            let mut vals: Vec<sea_orm::Value> = Vec::new();
            // PostgreSQL's custom expressions number their values: `$1`, `$2`…
            for t in &q.terms {
                match t {
                    Term::Word { word, prefix: false } => {
                        let (a, b) = (format!("${}", vals.len() + 1), format!("${}", vals.len() + 2));
                        sql.push(format!("(to_tsquery('simple', {a}) || to_tsquery('serbian', {b}))"));
                        vals.push(word.clone().into());
                        vals.push(word.clone().into());
                    }
                    Term::Word { word, prefix: true } => {
                        sql.push(format!("to_tsquery('simple', ${})", vals.len() + 1));
                        vals.push(format!("{word}:*").into());
                    }
                    Term::Phrase(ws) => {
                        sql.push(format!("to_tsquery('simple', ${})", vals.len() + 1));
                        vals.push(ws.join(" <-> ").into());
                    }
                }
            }
            let tsq = format!("({})", sql.join(" && "));
            (
                Expr::cust_with_values(format!("search_doc.tsv @@ {tsq}"), vals.clone()),
                Expr::cust_with_values(format!("ts_rank('{{0.1, 0.2, 0.4, 1.0}}', search_doc.tsv, {tsq})::float8"), vals),
            )
        }
    }
}

/// The filters of a search other than its kinds.
fn filters(s: &Search) -> Condition {
    let mut c = Condition::all();
    if let Some(p) = s.plan {
        c = c.add(Column::PlanId.eq(p.uuid()));
    }
    if let Some(st) = &s.status {
        c = c.add(Column::Status.eq(st.clone()));
    }
    if let Some(a) = &s.area {
        c = c.add(Expr::col((Entity, Column::Areas)).like(LikeExpr::new(format!("%,{},%", crate::row::like_escape(a))).escape('!')));
    }
    if let Some(d) = s.from {
        c = c.add(Column::Day.gte(d));
    }
    if let Some(d) = s.to {
        c = c.add(Column::Day.lte(d));
    }
    c
}

fn kinds(s: &Search) -> Condition {
    if s.kinds.is_empty() { Condition::all() } else { Condition::all().add(Column::Kind.is_in(s.kinds.iter().map(|k| k.code()))) }
}

fn base(backend: Backend, s: &Search, who: Condition) -> SelectStatement {
    let (m, _) = matching(backend, &s.query);
    let mut q = sea_orm::sea_query::Query::select();
    q.from(Entity);
    if backend == Backend::Sqlite {
        q.join(JoinType::InnerJoin, Alias::new("search_fts"), Expr::cust("search_fts.rowid = search_doc.n"));
    }
    q.and_where(m).cond_where(who).cond_where(filters(s));
    q
}

/// A candidate, before ranking.
#[derive(Debug)]
struct Candidate {
    id: Uuid,
    kind: String,
    plan: Option<Uuid>,
    item: Option<Uuid>,
    code_norm: String,
    title_folded: String,
    status: String,
    score: f64,
}

/// A hit as the store answers it: the record's index row, ranked, with its text for a snippet.
#[derive(Clone, Debug)]
pub struct Found {
    pub kind: Kind,
    pub id: Uuid,
    pub plan: Option<PlanId>,
    /// The item it belongs to (indicators, reports, comments).
    pub item: Option<ItemId>,
    pub code: String,
    pub title: liaison_domain::text::Text,
    pub body: String,
    pub status: String,
    /// The marking the hit is shown under (the record's with its item's); none for organisations.
    pub marking: Option<liaison_domain::marking::Marking>,
    pub score: f64,
}

/// A page of hits and the counts of all of them.
#[derive(Clone, Debug)]
pub struct Answer {
    pub hits: Vec<Found>,
    pub facets: Facets,
    pub total: u64,
    /// Whether more ranked hits follow this page.
    pub more: bool,
}

async fn answer(c: &impl ConnectionTrait, backend: Backend, s: &Search, who: Condition) -> Result<Answer> {
    let db = c.get_database_backend();
    // Counts: every match the reader may see, by kind, plan and status (the kind facet is not
    // narrowed by the kinds asked for, so that one can switch).
    let mut counts = base(backend, s, who.clone());
    counts
        .column((Entity, Column::Kind))
        .column((Entity, Column::PlanId))
        .column((Entity, Column::Status))
        .expr_as(Expr::cust("count(*)"), Alias::new("n"))
        .group_by_col((Entity, Column::Kind))
        .group_by_col((Entity, Column::PlanId))
        .group_by_col((Entity, Column::Status));
    let mut facets = Facets::default();
    let mut total = 0u64;
    for r in c.query_all_raw(db.build(&counts)).await? {
        let kind: String = r.try_get("", "kind")?;
        let plan: Option<Uuid> = r.try_get("", "plan_id")?;
        let status: String = r.try_get("", "status")?;
        let n = u64::try_from(r.try_get::<i64>("", "n")?).unwrap_or(0);
        *facets.kind.entry(kind.clone()).or_default() += n;
        let wanted = s.kinds.is_empty() || s.kinds.iter().any(|k| k.code() == kind);
        if wanted {
            total += n;
            if let Some(p) = plan {
                *facets.plan.entry(p.to_string()).or_default() += n;
            }
            if !status.is_empty() {
                *facets.status.entry(status).or_default() += n;
            }
        }
    }
    if total == 0 {
        return Ok(Answer { hits: Vec::new(), facets, total, more: false });
    }

    // The best matches by the database's own score, then ranked here: an exact code first, then
    // a title holding every term.
    let (_, score) = matching(backend, &s.query);
    let mut best = base(backend, s, who);
    best.cond_where(kinds(s))
        .column((Entity, Column::Id))
        .column((Entity, Column::Kind))
        .column((Entity, Column::PlanId))
        .column((Entity, Column::ItemId))
        .column((Entity, Column::CodeNorm))
        .column((Entity, Column::TitleFolded))
        .column((Entity, Column::Status))
        .expr_as(score.clone(), Alias::new("score"))
        .order_by_expr(score, Order::Desc)
        .order_by((Entity, Column::Id), Order::Asc)
        .limit(u64::from(RANKED));
    let mut cands = Vec::new();
    for r in c.query_all_raw(db.build(&best)).await? {
        cands.push(Candidate {
            id: r.try_get("", "id")?,
            kind: r.try_get("", "kind")?,
            plan: r.try_get("", "plan_id")?,
            item: r.try_get("", "item_id")?,
            code_norm: r.try_get("", "code_norm")?,
            title_folded: r.try_get("", "title_folded")?,
            status: r.try_get("", "status")?,
            score: r.try_get::<f64>("", "score")?,
        });
    }
    let ranked_n = cands.len() as u64;
    let mut ranked: Vec<(f64, Candidate)> = cands
        .into_iter()
        .map(|cand| {
            let db_score = cand.score.max(0.0);
            let own = Kind::parse(&cand.kind).is_some_and(|k| !of_an_item(k));
            let boost = if own { s.query.boost_folded(&cand.code_norm, &cand.title_folded) } else { 0.0 };
            (boost + db_score / (1.0 + db_score), cand)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let from = (s.offset as usize).min(ranked.len());
    let to = (from + s.limit as usize).min(ranked.len());
    let page: Vec<_> = ranked.drain(from..to).collect();
    let ids: Vec<Uuid> = page.iter().map(|p| p.1.id).collect();
    // What the page shows of its hits.
    let shown: HashMap<Uuid, (String, String, String, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Code)
        .column(Column::Title)
        .column(Column::Body)
        .column(Column::Marking)
        .filter(Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String, String, String, String)>()
        .all(c)
        .await?
        .into_iter()
        .map(|(id, code, title, body, marking)| (id, (code, title, body, marking)))
        .collect();
    let mut hits = Vec::with_capacity(page.len());
    for (score, cand) in page {
        let kind = Kind::parse(&cand.kind).ok_or_else(|| StoreError::Corrupt(format!("search index: bad kind {:?}", cand.kind)))?;
        let Some((code, title, body, marking)) = shown.get(&cand.id).cloned() else { continue };
        let marking = if marking.is_empty() {
            None
        } else {
            Some(serde_json::from_str(&marking).map_err(|_| StoreError::Corrupt(format!("search index: bad marking {marking:?}")))?)
        };
        let title = crate::row::text(&title)?;
        hits.push(Found {
            kind,
            id: cand.id,
            plan: cand.plan.map(PlanId),
            item: cand.item.map(ItemId),
            code,
            title,
            body,
            status: cand.status,
            marking,
            score,
        });
    }
    Ok(Answer { hits, facets, total, more: u64::from(s.offset + s.limit) < ranked_n })
}

/// Search what the reader may see.
pub async fn find(r: &Reader<'_>, s: &Search) -> Result<Answer> {
    let c = r.c();
    let backend = if c.get_database_backend() == sea_orm::DbBackend::Postgres { Backend::Postgres } else { Backend::Sqlite };
    answer(&c, backend, s, visible(r.filter())).await
}

/// Search the public portal: what the public sees of each of these plans (each plan through its
/// own public rule, [`ReadFilter::public`]).
pub async fn find_public(db: &Db, plans: &[PlanId], s: &Search) -> Result<Answer> {
    let mut who = Condition::any();
    for p in plans {
        who = who.add(visible(&ReadFilter::public(*p)));
    }
    if plans.is_empty() {
        who = who.add(Expr::val(1).eq(0));
    }
    answer(db.pool(), db.backend(), s, who).await
}

/// What the index holds, row by row, for comparing it with a rebuild (tests and
/// `liaison search check`): each record's kind, id and every column written from it.
pub async fn snapshot(db: &Db) -> Result<Vec<String>> {
    let rows = Entity::find().order_by_asc(Column::Id).all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            format!(
                "{} {} plan={:?} item={:?} mark={}{} item_mark={}{} shown={} owner={:?}{} code={:?} title={} status={} areas={} day={} body={:?}",
                m.kind,
                m.id,
                m.plan_id,
                m.item_id,
                m.marking_rank,
                m.rel_to,
                m.item_rank,
                m.item_rel_to,
                m.marking,
                m.owner_id,
                m.shared_with,
                m.code,
                m.title,
                m.status,
                m.areas,
                m.day,
                m.body
            )
        })
        .collect())
}
