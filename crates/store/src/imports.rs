//! Imports: an uploaded file (kept in `file_blob`), its stored preview and, once applied, what
//! was done. An import is its uploader's: every read names the owner and finds nothing of
//! anyone else's. The rows carry no marking: the file is outside data, and the preview holds
//! only what its uploader could see when it was made.

use crate::entity::{import_chunk, import_job};
use crate::row::ts;
use crate::{Reader, Result, Tx};
use liaison_domain::{Timestamp, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
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
    /// `previewed` or `applied`.
    pub state: String,
    /// The preview (JSON).
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

/// Store an upload and its preview; the file in pieces of 1 MiB (no copy of the whole).
pub async fn insert(tx: &Tx, row: &ImportRow, bytes: Vec<u8>) -> Result<()> {
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
