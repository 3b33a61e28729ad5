//! Copy a whole Liaison database into an empty one, on either backend: the engine behind
//! `liaison copy` (SQLite ↔ PostgreSQL), `liaison backup` (into a new SQLite file) and
//! `liaison restore` (from one).
//!
//! - **Consistent.** The source is read in one read-only transaction (a snapshot on both
//!   backends: SQLite's WAL readers and PostgreSQL's `REPEATABLE READ`), so a copy taken while
//!   servers write is the database as it was at one instant.
//! - **Exact.** Every row of every table goes across as it is — ids, versions, timestamps,
//!   history, the audit chain and its head, files' bytes — through the same entities the rest
//!   of the store uses, so the backends' type differences are SeaORM's. The target is written
//!   in one transaction: a copy that fails leaves it empty.
//! - **Not copied:** sessions unless asked (a restored site asks people to sign in again), and
//!   the search index, which is derived and rebuilt on the target ([`crate::search::rebuild`]).
//! - **Refused:** a source at another schema version than this program's, and a target that
//!   holds any record.

use crate::entity::*;
use crate::reader::Conn;
use crate::{Db, Reader, Result, StoreError, migrate};
use futures_util::StreamExt;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, IsolationLevel, PaginatorTrait, QueryOrder, Select, TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What to copy besides the records.
#[derive(Clone, Copy, Debug, Default)]
pub struct CopyOptions {
    /// Sign-in sessions too (people stay signed in on the target).
    pub sessions: bool,
}

/// Rows per table, as read from the source (and found again on the target).
pub type Counts = BTreeMap<&'static str, u64>;

/// Rows per insert statement: well under SQLite's 32,766 bound variables for the widest table.
const ROWS_PER_INSERT: usize = 200;

/// Copy everything from `from` into `to` (migrated here; it must hold no record). `progress`
/// hears each table's name and rows copied so far. Returns the rows per table, checked on the
/// target.
pub async fn copy(from: &Db, to: &Db, opts: CopyOptions, mut progress: impl FnMut(&'static str, u64)) -> Result<Counts> {
    let at = migrate::current(from).await?;
    if at != migrate::latest() {
        return Err(StoreError::Refused(format!(
            "the source is at schema version {at}, this Liaison at {}; run `liaison migrate` on it first (or use the Liaison that wrote it)",
            migrate::latest()
        )));
    }
    migrate::run(to).await?;
    let found = counts(to.pool(), CopyOptions { sessions: true }).await?;
    if let Some((table, n)) = found.iter().find(|(_, n)| **n > 0) {
        return Err(StoreError::Refused(format!("the target is not empty ({table} has {n} rows); copy into a new database")));
    }
    let src = match from.backend() {
        crate::Backend::Postgres => from.pool().begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?,
        crate::Backend::Sqlite => from.pool().begin().await?,
    };
    let tx = to.begin().await?;
    let dst = tx.conn();
    let mut copied = Counts::new();
    // Tables in the order their foreign keys allow (the order the migrations create them);
    // within a table that points at itself, parents first.
    let orgs = parents_first(organisation::Entity::find().all(&src).await?, |m| m.id, |m| m.parent_id);
    copied.insert("organisation", insert_all::<organisation::Entity>(dst, orgs, &mut progress, "organisation").await?);
    macro_rules! table {
        ($name:literal, $entity:ident $(, $order:expr)*) => {{
            let q = $entity::Entity::find() $(.order_by_asc($order))*;
            let n = stream::<$entity::Entity>(&src, dst, q, &mut progress, $name).await?;
            copied.insert($name, n);
        }};
    }
    table!("change_log", change_log, change_log::Column::Seq);
    table!("app_user", app_user, app_user::Column::Id);
    if opts.sessions {
        table!("session", session);
    }
    table!("api_token", api_token);
    table!("framework", framework);
    table!("area", area);
    let plans = parents_first(plan::Entity::find().all(&src).await?, |m| m.id, |m| m.predecessor_id);
    copied.insert("plan", insert_all::<plan::Entity>(dst, plans, &mut progress, "plan").await?);
    table!("membership", membership);
    table!("plan_approval", plan_approval);
    table!("plan_version", plan_version);
    table!("decision", decision);
    // A child's tree key extends its parent's, so this order puts parents first.
    table!("item", item, item::Column::PlanId, item::Column::TreeKey);
    table!("item_link", item_link);
    table!("item_comment", item_comment);
    table!("reporting_period", reporting_period);
    table!("indicator", indicator);
    table!("measurement", measurement);
    table!("progress_update", progress_update);
    table!("assessment", assessment);
    table!("assessment_rating", assessment_rating);
    table!("file_blob", file_blob);
    table!("attachment", attachment);
    table!("notification", notification);
    table!("assistance_request", assistance_request);
    table!("assistance_offer", assistance_offer);
    table!("activity", activity);
    table!("portal", portal);
    table!("story", story);
    table!("story_photo", story_photo);
    table!("import_job", import_job);
    table!("import_chunk", import_chunk);
    table!("import_problem", import_problem);
    table!("import_activity", import_activity);
    table!("exchange_identity", exchange_identity);
    table!("exchange_peer", exchange_peer);
    table!("exchange_peer_key", exchange_peer_key);
    table!("exchange_bundle", exchange_bundle);
    table!("exchange_state", exchange_state);
    table!("exchange_origin", exchange_origin);
    table!("exchange_conflict", exchange_conflict);
    table!("exchange_history", exchange_history);
    table!("user_totp", user_totp);
    table!("recovery_code", recovery_code);
    table!("mail_preference", mail_preference);
    table!("sso_identity", sso_identity);
    table!("passkey", passkey);
    // The audit head followed every copied change row (a trigger): it must be the snapshot's.
    let head = crate::changes::head(&Reader::unfiltered(Conn::Tx(&src))).await?;
    src.commit().await?;
    let copied_head = crate::changes::head(&Reader::unfiltered(Conn::Tx(dst))).await?;
    if copied_head != head {
        return Err(StoreError::Corrupt(format!("the copied audit head is #{}, the source's #{}", copied_head.0, head.0)));
    }
    let again = counts(dst, opts).await?;
    for (table, n) in &copied {
        let m = again.get(table).copied().unwrap_or(0);
        if m != *n {
            return Err(StoreError::Corrupt(format!("{table}: {n} rows read, {m} written")));
        }
    }
    tx.commit_unaudited().await?;
    Ok(copied)
}

/// Call `$m!(name, entity)` for every copied table but sessions.
macro_rules! each_table {
    ($m:ident) => {
        $m!("organisation", organisation);
        $m!("change_log", change_log);
        $m!("app_user", app_user);
        $m!("api_token", api_token);
        $m!("framework", framework);
        $m!("area", area);
        $m!("plan", plan);
        $m!("membership", membership);
        $m!("plan_approval", plan_approval);
        $m!("plan_version", plan_version);
        $m!("decision", decision);
        $m!("item", item);
        $m!("item_link", item_link);
        $m!("item_comment", item_comment);
        $m!("reporting_period", reporting_period);
        $m!("indicator", indicator);
        $m!("measurement", measurement);
        $m!("progress_update", progress_update);
        $m!("assessment", assessment);
        $m!("assessment_rating", assessment_rating);
        $m!("file_blob", file_blob);
        $m!("attachment", attachment);
        $m!("notification", notification);
        $m!("assistance_request", assistance_request);
        $m!("assistance_offer", assistance_offer);
        $m!("activity", activity);
        $m!("portal", portal);
        $m!("story", story);
        $m!("story_photo", story_photo);
        $m!("import_job", import_job);
        $m!("import_chunk", import_chunk);
        $m!("import_problem", import_problem);
        $m!("import_activity", import_activity);
        $m!("exchange_identity", exchange_identity);
        $m!("exchange_peer", exchange_peer);
        $m!("exchange_peer_key", exchange_peer_key);
        $m!("exchange_bundle", exchange_bundle);
        $m!("exchange_state", exchange_state);
        $m!("exchange_origin", exchange_origin);
        $m!("exchange_conflict", exchange_conflict);
        $m!("exchange_history", exchange_history);
        $m!("user_totp", user_totp);
        $m!("recovery_code", recovery_code);
        $m!("mail_preference", mail_preference);
        $m!("sso_identity", sso_identity);
        $m!("passkey", passkey);
    };
}

/// Rows in every copied table.
pub async fn counts(c: &impl ConnectionTrait, opts: CopyOptions) -> Result<Counts> {
    let mut out = Counts::new();
    macro_rules! count {
        ($name:literal, $entity:ident) => {
            out.insert($name, $entity::Entity::find().count(c).await?);
        };
    }
    each_table!(count);
    if opts.sessions {
        count!("session", session);
    }
    Ok(out)
}

/// The rows of every table of `db` (sessions left out) and a digest of their content: the
/// SHA-256 of each row's values, sorted (so that the backends' orders do not matter), hashed
/// again. Two databases with the same digests hold the same records, to the byte.
pub async fn digest(db: &Db) -> Result<BTreeMap<&'static str, (u64, String)>> {
    use sha2::{Digest, Sha256};
    let c = db.pool();
    let mut out = BTreeMap::new();
    macro_rules! hash {
        ($name:literal, $entity:ident) => {{
            let mut rows = $entity::Entity::find().stream(c).await?;
            let mut hashes = Vec::new();
            while let Some(row) = rows.next().await {
                hashes.push(Sha256::digest(format!("{:?}", row?).as_bytes()));
            }
            hashes.sort_unstable();
            let mut all = Sha256::new();
            for h in &hashes {
                all.update(h);
            }
            out.insert($name, (hashes.len() as u64, hex::encode(all.finalize())));
        }};
    }
    each_table!(hash);
    Ok(out)
}

/// [`counts`] of a database.
pub async fn table_counts(db: &Db, opts: CopyOptions) -> Result<Counts> {
    counts(db.pool(), opts).await
}

/// Order rows so that each comes after the row it points at (a tree or a chain; a cycle,
/// which the data never holds, keeps its rows in their first order at the end).
fn parents_first<M>(rows: Vec<M>, id: impl Fn(&M) -> Uuid, parent: impl Fn(&M) -> Option<Uuid>) -> Vec<M> {
    let parents: HashMap<Uuid, Option<Uuid>> = rows.iter().map(|m| (id(m), parent(m))).collect();
    let depth = |mut at: Uuid| {
        let mut d = 0usize;
        while let Some(Some(p)) = parents.get(&at) {
            d += 1;
            at = *p;
            if d > parents.len() {
                break;
            }
        }
        d
    };
    let mut keyed: Vec<(usize, M)> = rows.into_iter().map(|m| (depth(id(&m)), m)).collect();
    keyed.sort_by_key(|(d, _)| *d);
    keyed.into_iter().map(|(_, m)| m).collect()
}

/// Stream a table's rows across in batches.
async fn stream<E>(
    src: &DatabaseTransaction,
    dst: &DatabaseTransaction,
    q: Select<E>,
    progress: &mut impl FnMut(&'static str, u64),
    name: &'static str,
) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Send + Sync,
{
    let mut rows = q.stream(src).await?;
    let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
    let mut n = 0u64;
    while let Some(row) = rows.next().await {
        batch.push(row?);
        if batch.len() == ROWS_PER_INSERT {
            n += insert::<E>(dst, std::mem::take(&mut batch)).await?;
            progress(name, n);
        }
    }
    drop(rows);
    n += insert::<E>(dst, batch).await?;
    progress(name, n);
    Ok(n)
}

async fn insert_all<E>(dst: &DatabaseTransaction, rows: Vec<E::Model>, progress: &mut impl FnMut(&'static str, u64), name: &'static str) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Send + Sync,
{
    let mut n = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<E::Model> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        n += insert::<E>(dst, batch).await?;
        progress(name, n);
    }
    progress(name, n);
    Ok(n)
}

async fn insert<E>(dst: &DatabaseTransaction, rows: Vec<E::Model>) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    let n = rows.len() as u64;
    if n == 0 {
        return Ok(0);
    }
    let models: Vec<E::ActiveModel> = rows.into_iter().map(|m| as_new::<E>(m.into_active_model())).collect();
    E::insert_many(models).exec_without_returning(dst).await?;
    Ok(n)
}

/// An active model from a read row marks its fields unchanged; an insert needs them set.
fn as_new<E: EntityTrait>(mut am: E::ActiveModel) -> E::ActiveModel {
    use sea_orm::{ActiveModelTrait, Iterable};
    for col in E::Column::iter() {
        if let Some(v) = am.get(col).into_value() {
            am.set(col, v);
        }
    }
    am
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_their_children() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let c = Uuid::from_u128(3);
        // c's parent is b, b's is a: given children first, they come back parents first.
        let rows = vec![(c, Some(b)), (b, Some(a)), (a, None)];
        let sorted = parents_first(rows, |r| r.0, |r| r.1);
        assert_eq!(sorted.iter().map(|r| r.0).collect::<Vec<_>>(), vec![a, b, c]);
        // A cycle does not loop for ever.
        let cyc = parents_first(vec![(a, Some(b)), (b, Some(a))], |r| r.0, |r| r.1);
        assert_eq!(cyc.len(), 2);
    }
}
