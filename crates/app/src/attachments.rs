//! Evidence files. Each upload is checked by content (not by name), stored once per content,
//! and carries its own marking; reading one goes through the same policy as every record.

use crate::{App, AppError, Ctx, Result, snapshot};
use liaison_domain::access::{Action, Target};
use liaison_domain::attachment::{Attachment, check_upload, clean_name};
use liaison_domain::change::ChangeDraft;
use liaison_domain::marking::Marking;
use liaison_domain::{AttachmentId, PlanId, UserId};
use liaison_store::attachments as store;
use sha2::{Digest, Sha256};

/// Whether the actor may upload to the plan (checked before the upload is read).
pub async fn may_upload(app: &App, ctx: &Ctx, plan_id: PlanId) -> Result<()> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    ctx.actor.require(Action::AttachmentWrite, Target::Plan { id: plan.id, marking: &plan.marking })?;
    crate::plans::require_editable(&plan)
}

pub async fn upload(app: &App, ctx: &Ctx, plan_id: PlanId, name: &str, marking: Option<Marking>, bytes: &[u8]) -> Result<Attachment> {
    let now = app.now();
    // The text for search is read before the write begins (a PDF may take a while), on a
    // blocking thread, within the reader's bounds; a file it cannot read is still kept.
    let text = match liaison_domain::attachment::sniff(name, bytes) {
        Some(media_type) => Some(read_text(media_type, bytes.to_vec()).await),
        None => None,
    };
    let tx = app.begin().await?;
    let plan = crate::plans::for_action(&tx.read(ctx.actor.filter()), ctx, plan_id, Action::AttachmentWrite).await?;
    crate::plans::require_editable(&plan)?;
    let marking = marking.unwrap_or_else(|| plan.marking.clone());
    let media_type = check_upload(name, bytes, app.config.max_upload_bytes, app.config.scheme, &marking, &plan.marking, ctx.actor.clears(&marking))?;
    let a = Attachment {
        id: AttachmentId(app.new_id()),
        plan: plan.id,
        name: clean_name(name),
        media_type: media_type.to_string(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        marking,
        uploaded_by: ctx.actor.user_id().unwrap_or(UserId(uuid::Uuid::nil())),
        version: 1,
        created_at: now,
    };
    store::insert(&tx, &a, bytes, text.as_deref()).await?;
    tx.record(ChangeDraft::marked("attachment", a.id.uuid(), Some(plan.id), 1, "create", None, Some((&a.marking, snapshot(&a)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(a)
}

/// An attachment's description, if the actor may see it.
pub async fn get(app: &App, ctx: &Ctx, id: AttachmentId) -> Result<Attachment> {
    store::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)
}

/// The attachment and its bytes, if the actor may see it.
pub async fn content(app: &App, ctx: &Ctx, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
    let rd = app.read(ctx);
    let a = store::get(&rd, id).await?.ok_or(AppError::NotFound)?;
    let bytes = store::content(&rd, id).await?.ok_or(AppError::NotFound)?;
    Ok((a, bytes))
}

/// A plan's attachments the actor may see, newest first.
pub async fn of_plan(app: &App, ctx: &Ctx, plan: PlanId) -> Result<Vec<Attachment>> {
    crate::plans::visible(app, ctx, plan).await?;
    Ok(store::of_plan(&app.read(ctx), plan, 500).await?)
}

/// Descriptions of the given attachments that the actor may see (for evidence lists).
pub async fn visible_many(app: &App, ctx: &Ctx, ids: &[AttachmentId]) -> Result<Vec<Attachment>> {
    Ok(store::get_many(&app.read(ctx), ids).await?)
}

/// The text of an evidence file for search (empty where it has none or cannot be read).
pub async fn read_text(media_type: &str, bytes: Vec<u8>) -> String {
    let media_type = media_type.to_string();
    let kind = media_type.clone();
    let got = tokio::task::spawn_blocking(move || liaison_interop::text::extract(&media_type, bytes, liaison_interop::text::Limits::default())).await;
    match got {
        Ok(liaison_interop::text::Extracted::Text(t)) => t,
        Ok(liaison_interop::text::Extracted::NotText) => String::new(),
        Ok(liaison_interop::text::Extracted::Unreadable(why)) => {
            tracing::info!(media_type = %kind, reason = %why, "an evidence file's text could not be read; it is kept, found by its name only");
            String::new()
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading an evidence file's text failed");
            String::new()
        }
    }
}
