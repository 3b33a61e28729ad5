//! Comments on items.

use crate::{App, Ctx, Result, snapshot};
use liaison_domain::access::Action;
use liaison_domain::change::ChangeDraft;
use liaison_domain::comment::{Comment, NewComment};
use liaison_domain::{CommentId, ItemId, UserId};
use liaison_store::comments as store;

/// An item's comments the actor may see, oldest first.
pub async fn list(app: &App, ctx: &Ctx, item: ItemId) -> Result<Vec<Comment>> {
    crate::items::get(app, ctx, item).await?;
    Ok(store::of_item(&app.read(ctx), item).await?)
}

pub async fn create(app: &App, ctx: &Ctx, item_id: ItemId, input: NewComment) -> Result<Comment> {
    let now = app.now();
    let tx = app.begin().await?;
    let (item, plan) = crate::items::for_item_action(&tx.read(ctx.actor.filter()), ctx, item_id, Action::CommentWrite).await?;
    crate::plans::require_editable(&plan)?;
    let (author, author_name) = match ctx.actor.user() {
        Some(u) => (u.id, u.display_name.clone()),
        None => (UserId(uuid::Uuid::nil()), "Liaison".to_string()),
    };
    let comment = Comment {
        id: CommentId(app.new_id()),
        plan: plan.id,
        item: item.id,
        author,
        author_name,
        body: input.body.trim().to_string(),
        marking: input.marking.unwrap_or_else(|| item.marking.clone()),
        version: 1,
        created_at: now,
    };
    comment.validate(app.config.scheme, &item.marking, ctx.actor.clears(&comment.marking))?;
    store::insert(&tx, &comment).await?;
    tx.record(ChangeDraft::marked("comment", comment.id.uuid(), Some(plan.id), 1, "create", None, Some((&comment.marking, snapshot(&comment)))));
    tx.commit(&ctx.provenance(now)).await?;
    Ok(comment)
}
