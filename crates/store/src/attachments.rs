//! Attachments and the content-addressed files behind them.

use crate::entity::attachment::{ActiveModel, Column, Entity, Model};
use crate::entity::file_blob;
use crate::row::{corrupt, marking, rel_to, ts};
use crate::{Reader, Result, Tx, filter};
use liaison_domain::access::ReadFilter;
use liaison_domain::attachment::Attachment;
use liaison_domain::{AttachmentId, PlanId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub(crate) fn to_domain(m: Model) -> Result<Attachment> {
    Ok(Attachment {
        id: AttachmentId(m.id),
        plan: PlanId(m.plan_id),
        name: m.name,
        media_type: m.media_type,
        size: u64::try_from(m.size).map_err(|_| corrupt("size", &m.size.to_string()))?,
        sha256: m.sha256,
        marking: marking(&m.marking_level, &m.rel_to, &m.originator)?,
        uploaded_by: UserId(m.uploaded_by),
        version: m.version,
        created_at: m.created_at,
    })
}

/// Store content under its SHA-256, once: a second store of the same bytes adds nothing.
pub(crate) async fn put_content(tx: &Tx, sha256: &str, bytes: &[u8]) -> Result<()> {
    let c = tx.conn();
    file_blob::Entity::insert(file_blob::ActiveModel { sha256: Set(sha256.to_string()), size: Set(bytes.len() as i64), data: Set(bytes.to_vec()) })
        .on_conflict(OnConflict::column(file_blob::Column::Sha256).do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// Store the content once (a second upload of the same bytes adds nothing) and the attachment,
/// with the text read from it for search (`None`: to be read by the next reindex).
pub async fn insert(tx: &Tx, a: &Attachment, bytes: &[u8], text: Option<&str>) -> Result<()> {
    let c = tx.conn();
    put_content(tx, &a.sha256, bytes).await?;
    Entity::insert(ActiveModel {
        id: Set(a.id.uuid()),
        plan_id: Set(a.plan.uuid()),
        name: Set(a.name.clone()),
        media_type: Set(a.media_type.clone()),
        size: Set(a.size as i64),
        sha256: Set(a.sha256.clone()),
        uploaded_by: Set(a.uploaded_by.uuid()),
        marking_level: Set(a.marking.level.code().to_string()),
        marking_rank: Set(i32::from(a.marking.level.rank())),
        rel_to: Set(rel_to(&a.marking)),
        originator: Set(a.marking.originator.clone()),
        version: Set(a.version),
        created_at: Set(ts(a.created_at)),
        text: Set(text.map(str::to_string)),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Attachments the reader may see: of a visible plan, and cleared by their own marking.
fn visible(f: &ReadFilter) -> sea_orm::Condition {
    filter::record(f, Column::PlanId, Column::MarkingRank, Column::RelTo)
}

pub async fn get(r: &Reader<'_>, id: AttachmentId) -> Result<Option<Attachment>> {
    Entity::find_by_id(id.uuid()).filter(visible(r.filter())).one(&r.c()).await?.map(to_domain).transpose()
}

pub async fn get_many(r: &Reader<'_>, ids: &[AttachmentId]) -> Result<Vec<Attachment>> {
    let c = &r.c();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids.iter().map(|i| i.uuid()))).filter(visible(r.filter())).all(c).await?.into_iter().map(to_domain).collect()
}

/// The bytes of a file.
/// The bytes of an attachment the reader may see.
pub async fn content(r: &Reader<'_>, id: AttachmentId) -> Result<Option<Vec<u8>>> {
    let Some(a) = get(r, id).await? else { return Ok(None) };
    blob(r, &a.sha256).await.and_then(|b| b.map(Some).ok_or_else(|| crate::StoreError::Corrupt(format!("attachment {id} has no content"))))
}

/// A stored file by its hash (for the modules that guard who reads it).
pub(crate) async fn blob(r: &Reader<'_>, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(file_blob::Entity::find_by_id(sha256.to_string()).one(&r.c()).await?.map(|b| b.data))
}

/// A plan's attachments the reader may see, newest first.
pub async fn of_plan(r: &Reader<'_>, plan: PlanId, limit: u64) -> Result<Vec<Attachment>> {
    let c = &r.c();
    let f = r.filter();
    Entity::find()
        .filter(Column::PlanId.eq(plan.uuid()))
        .filter(visible(f))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Record the text read from an attachment's file.
pub(crate) async fn set_text(c: &impl sea_orm::ConnectionTrait, id: AttachmentId, text: &str) -> Result<()> {
    Entity::update_many().col_expr(Column::Text, sea_orm::sea_query::Expr::value(text.to_string())).filter(Column::Id.eq(id.uuid())).exec(c).await?;
    Ok(())
}
