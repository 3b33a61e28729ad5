//! The directory of organisations.

use crate::versioned;
use crate::{App, AppError, Ctx, Paging, Result, check_version, snapshot};
use liaison_domain::OrganisationId;
use liaison_domain::access::{Action, Target};
use liaison_domain::change::ChangeDraft;
use liaison_domain::organisation::{NewOrganisation, Organisation, OrganisationPatch};
use liaison_domain::page::Page;
use liaison_store::Tx;
use liaison_store::organisations as store;

pub async fn list(app: &App, ctx: &Ctx, paging: &Paging) -> Result<Page<Organisation>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    Ok(store::list(&app.read(ctx), paging.cursor_id()?, paging.limit()?).await?)
}

pub async fn get(app: &App, ctx: &Ctx, id: OrganisationId) -> Result<Organisation> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    store::get(&app.read(ctx), id).await?.ok_or(AppError::NotFound)
}

/// An organisation by its short name (case-insensitive), for the command line and imports.
pub async fn find_by_short_name(app: &App, ctx: &Ctx, short: &str) -> Result<Option<Organisation>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    Ok(store::find_by_short_name(&app.read(ctx), short).await?)
}

/// Every organisation, by short name.
pub async fn all(app: &App, ctx: &Ctx) -> Result<Vec<Organisation>> {
    ctx.actor.require(Action::DirectoryRead, Target::Installation)?;
    Ok(store::all(&app.read(ctx)).await?)
}

pub async fn create(app: &App, ctx: &Ctx, input: NewOrganisation) -> Result<Organisation> {
    let tx = app.begin().await?;
    let out = create_in(app, &tx, ctx, input).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(out)
}

/// [`create`] inside a transaction that the caller commits (an import applies many in one).
pub(crate) async fn create_in(app: &App, tx: &Tx, ctx: &Ctx, input: NewOrganisation) -> Result<Organisation> {
    let now = app.now();
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    let org = input.into_organisation(OrganisationId(app.new_id()), now);
    let parent_exists = match org.parent {
        Some(p) => store::get(&tx.unfiltered(), p).await?.is_some(),
        None => true,
    };
    org.validate(parent_exists, false)?;
    store::insert(tx, &org).await?;
    tx.record(ChangeDraft::unmarked("organisation", org.id.uuid(), 1, "create", None, Some(snapshot(&org))));
    Ok(org)
}

pub async fn update(app: &App, ctx: &Ctx, id: OrganisationId, expected: i64, patch: OrganisationPatch) -> Result<Organisation> {
    ctx.actor.require(Action::DirectoryWrite, Target::Installation)?;
    let now = app.now();
    let tx = app.begin().await?;
    let cur = store::get(&tx.unfiltered(), id).await?.ok_or(AppError::NotFound)?;
    check_version(expected, cur.version)?;
    let mut next = cur.patched(patch);
    if next == cur {
        return Ok(cur);
    }
    let (parent_exists, cycle) = match next.parent {
        Some(p) if p != id => (store::get(&tx.unfiltered(), p).await?.is_some(), store::is_ancestor_or_self(&tx.unfiltered(), id, p).await?),
        _ => (true, false),
    };
    next.validate(parent_exists, cycle)?;
    versioned::save(&tx, now, &cur, &mut next).await?;
    tx.commit(&ctx.provenance(now)).await?;
    Ok(next)
}
