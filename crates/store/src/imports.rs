//! Imports: an uploaded file (kept in pieces, `import_chunk`), its stored preview and, once
//! applied, what was done. The preview's summary is the `import_job` row's; its activities and
//! problems are rows of their own (`import_activity`, `import_problem`), written in batches and
//! read in pages, so that no step holds a large file's preview whole. An import is its uploader's: every read names the owner and finds nothing of
//! anyone else's. The rows carry no marking: the file is outside data, and the preview holds
//! only what its uploader could see when it was made.

use crate::entity::{import_activity, import_chunk, import_job, import_problem};
use crate::row::ts;
use crate::{Reader, Result, Tx};
use liaison_domain::{Timestamp, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// One import.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    pub id: Uuid,
    /// What kind of file: `iati`.
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// `reading` (the preview is being made), `previewed` or `applied`.
    pub state: String,
    /// The preview's summary (JSON).
    pub preview: String,
    pub applied_at: Option<Timestamp>,
    /// What applying did (JSON).
    pub result: Option<String>,
}

fn to_row(m: import_job::Model) -> ImportRow {
    ImportRow {
        id: m.id,
        kind: m.kind,
        file_name: m.file_name,
        sha256: m.sha256,
        size: u64::try_from(m.size).unwrap_or(0),
        created_by: UserId(m.created_by),
        created_at: m.created_at,
        state: m.state,
        preview: m.preview,
        applied_at: m.applied_at,
        result: m.result,
    }
}

/// The size of the pieces an import's file is stored in.
const CHUNK: usize = 1 << 20;

/// Store an upload; the file in pieces of 1 MiB (no copy of the whole).
pub async fn insert(tx: &Tx, row: &ImportRow, bytes: &[u8]) -> Result<()> {
    let c = tx.conn();
    import_job::Entity::insert(import_job::ActiveModel {
        id: Set(row.id),
        kind: Set(row.kind.clone()),
        file_name: Set(row.file_name.clone()),
        sha256: Set(row.sha256.clone()),
        size: Set(i64::try_from(row.size).unwrap_or(i64::MAX)),
        created_by: Set(row.created_by.uuid()),
        created_at: Set(ts(row.created_at)),
        state: Set(row.state.clone()),
        preview: Set(row.preview.clone()),
        applied_at: Set(row.applied_at.map(ts)),
        result: Set(row.result.clone()),
    })
    .exec_without_returning(c)
    .await?;
    for (n, piece) in bytes.chunks(CHUNK).enumerate() {
        import_chunk::Entity::insert(import_chunk::ActiveModel {
            import_id: Set(row.id),
            n: Set(i32::try_from(n).unwrap_or(i32::MAX)),
            data: Set(piece.to_vec()),
        })
        .exec_without_returning(c)
        .await?;
    }
    Ok(())
}

/// An import of `owner`'s (an import is its uploader's alone: anyone else's is absent).
pub async fn get(r: &Reader<'_>, owner: UserId, id: Uuid) -> Result<Option<ImportRow>> {
    if matches!(r.filter().plans, liaison_domain::access::PlanScope::Portal(_)) {
        return Ok(None);
    }
    let c = &r.c();
    Ok(import_job::Entity::find_by_id(id).filter(import_job::Column::CreatedBy.eq(owner.uuid())).one(c).await?.map(to_row))
}

/// The bytes of the file of an import of `owner`'s.
pub async fn content(r: &Reader<'_>, owner: UserId, id: Uuid) -> Result<Option<Vec<u8>>> {
    let Some(row) = get(r, owner, id).await? else { return Ok(None) };
    let c = &r.c();
    let mut out = Vec::with_capacity(usize::try_from(row.size).unwrap_or(0));
    // One piece at a time, in order.
    let mut n = 0;
    while let Some(piece) = import_chunk::Entity::find_by_id((row.id, n)).one(c).await? {
        out.extend_from_slice(&piece.data);
        n += 1;
    }
    if out.len() as u64 != row.size {
        return Err(crate::StoreError::Corrupt(format!("import {id}: {} of {} bytes stored", out.len(), row.size)));
    }
    Ok(Some(out))
}

/// A problem of an import, as stored: `seq` orders problems at the same place.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemRow {
    pub seq: i64,
    pub line: u32,
    pub column: u32,
    pub severity: String,
    pub path: String,
    pub code: String,
    pub message: String,
}

/// Where a problem is in reading order (line, column, seq): a page starts after one.
pub type ProblemKey = (u32, u32, i64);

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Add problems to an import (a batch: one statement).
pub async fn add_problems(tx: &Tx, id: Uuid, rows: &[ProblemRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.iter().map(|p| import_problem::ActiveModel {
        import_id: Set(id),
        seq: Set(p.seq),
        line: Set(int(p.line)),
        col: Set(int(p.column)),
        severity: Set(p.severity.clone()),
        path: Set(p.path.clone()),
        code: Set(p.code.clone()),
        message: Set(p.message.clone()),
    });
    import_problem::Entity::insert_many(models).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Add activities of an import's preview: `(seq, JSON)`, seq in file order (a batch).
pub async fn add_activities(tx: &Tx, id: Uuid, rows: &[(i64, String)]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.iter().map(|(seq, body)| import_activity::ActiveModel { import_id: Set(id), seq: Set(*seq), body: Set(body.clone()) });
    import_activity::Entity::insert_many(models).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Forget an import's activities and problems (applying writes them again, as applied).
pub async fn clear_rows(tx: &Tx, id: Uuid) -> Result<()> {
    let c = tx.conn();
    import_problem::Entity::delete_many().filter(import_problem::Column::ImportId.eq(id)).exec(c).await?;
    import_activity::Entity::delete_many().filter(import_activity::Column::ImportId.eq(id)).exec(c).await?;
    Ok(())
}

/// Remove an import whole (a preview that could not be finished).
pub async fn delete(tx: &Tx, id: Uuid) -> Result<()> {
    clear_rows(tx, id).await?;
    let c = tx.conn();
    import_chunk::Entity::delete_many().filter(import_chunk::Column::ImportId.eq(id)).exec(c).await?;
    import_job::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

/// Finish a preview: its summary, and the state `previewed` (from `reading`).
pub async fn set_previewed(tx: &Tx, id: Uuid, preview: &str) -> Result<bool> {
    let r = import_job::Entity::update_many()
        .col_expr(import_job::Column::State, sea_orm::sea_query::Expr::value("previewed"))
        .col_expr(import_job::Column::Preview, sea_orm::sea_query::Expr::value(preview.to_string()))
        .filter(import_job::Column::Id.eq(id))
        .filter(import_job::Column::State.eq("reading"))
        .exec(tx.conn())
        .await?;
    Ok(r.rows_affected == 1)
}

/// A page of the problems of an import of `owner`'s, in file order (line, column), after
/// `after`.
pub async fn problems(r: &Reader<'_>, owner: UserId, id: Uuid, after: Option<ProblemKey>, limit: u64) -> Result<Vec<ProblemRow>> {
    if get(r, owner, id).await?.is_none() {
        return Ok(Vec::new());
    }
    use import_problem::Column as C;
    let mut q = import_problem::Entity::find().filter(C::ImportId.eq(id));
    if let Some((line, col, seq)) = after {
        let (line, col) = (int(line), int(col));
        q = q.filter(
            Condition::any()
                .add(C::Line.gt(line))
                .add(Condition::all().add(C::Line.eq(line)).add(C::Col.gt(col)))
                .add(Condition::all().add(C::Line.eq(line)).add(C::Col.eq(col)).add(C::Seq.gt(seq))),
        );
    }
    let rows = q.order_by_asc(C::Line).order_by_asc(C::Col).order_by_asc(C::Seq).limit(limit).all(&r.c()).await?;
    Ok(rows
        .into_iter()
        .map(|m| ProblemRow {
            seq: m.seq,
            line: u32::try_from(m.line).unwrap_or(0),
            column: u32::try_from(m.col).unwrap_or(0),
            severity: m.severity,
            path: m.path,
            code: m.code,
            message: m.message,
        })
        .collect())
}

/// A page of the activities of an import of `owner`'s preview, in file order, after `after`:
/// `(seq, JSON)`.
pub async fn activities(r: &Reader<'_>, owner: UserId, id: Uuid, after: Option<i64>, limit: u64) -> Result<Vec<(i64, String)>> {
    if get(r, owner, id).await?.is_none() {
        return Ok(Vec::new());
    }
    use import_activity::Column as C;
    let mut q = import_activity::Entity::find().filter(C::ImportId.eq(id));
    if let Some(seq) = after {
        q = q.filter(C::Seq.gt(seq));
    }
    let rows = q.order_by_asc(C::Seq).limit(limit).all(&r.c()).await?;
    Ok(rows.into_iter().map(|m| (m.seq, m.body)).collect())
}

/// Mark an import applied, if it was still only previewed: `false` when someone (another
/// request) applied it first.
pub async fn mark_applied(tx: &Tx, id: Uuid, at: Timestamp, result: &str) -> Result<bool> {
    let c = tx.conn();
    let r = import_job::Entity::update_many()
        .col_expr(import_job::Column::State, sea_orm::sea_query::Expr::value("applied"))
        .col_expr(import_job::Column::AppliedAt, sea_orm::sea_query::Expr::value(ts(at)))
        .col_expr(import_job::Column::Result, sea_orm::sea_query::Expr::value(result.to_string()))
        .filter(import_job::Column::Id.eq(id))
        .filter(import_job::Column::State.eq("previewed"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}
