//! The rules that reporting shares — progress reports, indicator figures, the calendar and the
//! reminders all use them, and none of those modules uses another for them: who may report on an
//! item (its lead organisation's chain), which period a key names and whether it is locked,
//! whether an approved report locks a period's figures, and whether evidence files are the plan's.
//!
//! Every function reads through the reader it is given: inside a write, a reader on the write's
//! transaction, so that what is checked cannot change before it is written.

use crate::{AppError, Ctx, Result};
use liaison_domain::Refusal;
use liaison_domain::access::Role;
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::item::Item;
use liaison_domain::plan::Plan;
use liaison_domain::progress::{ProgressUpdate, Reporter, UpdateState, may_report};
use liaison_domain::{AttachmentId, ItemId, OrganisationId, PlanId, Problems, ValidationErrors};
use liaison_store::{Reader, calendar, indicators, organisations, progress};
use std::collections::HashMap;

/// The lead organisation and every organisation above it (the directory's, the same for every
/// reader).
pub(crate) async fn lead_chain(rd: &Reader<'_>, lead: Option<OrganisationId>) -> Result<Vec<OrganisationId>> {
    let mut chain = Vec::new();
    let mut cur = lead;
    while let Some(id) = cur {
        if chain.contains(&id) || chain.len() > 64 {
            break;
        }
        chain.push(id);
        cur = organisations::get(rd, id).await?.and_then(|o| o.parent);
    }
    Ok(chain)
}

/// The actor as the reporting workflow sees them. The program itself acts in whichever role a
/// step needs.
pub(crate) fn reporter(ctx: &Ctx, plan: PlanId, review: bool) -> Reporter {
    match ctx.actor.subject() {
        Some(s) => Reporter { role: s.role_on(plan), organisation: s.organisation },
        None => Reporter { role: Some(if review { Role::Coordinator } else { Role::PartnerEditor }), organisation: OrganisationId(uuid::Uuid::nil()) },
    }
}

/// Whether the actor may write reports and figures on `item` (reporters: on the items their
/// organisation, or one under it, leads).
pub(crate) async fn may_report_on(rd: &Reader<'_>, ctx: &Ctx, plan: &Plan, item: &Item) -> Result<bool> {
    let chain = lead_chain(rd, item.lead_organisation).await?;
    Ok(may_report(reporter(ctx, plan.id, false), &chain))
}

/// Reporters record figures on the items their organisation leads; coordinators and partner
/// editors on any item they may see.
pub(crate) async fn check_reporter(rd: &Reader<'_>, ctx: &Ctx, plan: &Plan, item: &Item) -> Result<()> {
    let Some(s) = ctx.actor.subject() else { return Ok(()) };
    if s.role_on(plan.id) != Some(Role::Reporter) || may_report_on(rd, ctx, plan, item).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(Refusal::new("figures-not-yours")))
    }
}

/// The period with `key` of a plan.
pub(crate) async fn period_in(rd: &Reader<'_>, plan: PlanId, key: &str) -> Result<ReportingPeriod> {
    calendar::of_plan(rd, plan).await?.into_iter().find(|p| p.key == key).ok_or_else(|| ValidationErrors::coded("period", "unknown", &[]).into())
}

/// Whether the period `key` of a plan is locked.
pub(crate) async fn locked(rd: &Reader<'_>, plan: PlanId, key: &str) -> Result<bool> {
    Ok(period_in(rd, plan, key).await?.locked)
}

/// Refuse a change to a period that is locked, or whose report on the item is approved. Ask
/// with an unfiltered reader: a report the writer may not see still locks the figures.
pub(crate) async fn locked_for(rd: &Reader<'_>, plan: &Plan, item: ItemId, period: &str) -> Result<()> {
    if locked(rd, plan.id, period).await? {
        return Err(AppError::Conflict(Refusal::new("report-period-locked").arg("period", period)));
    }
    let approved = progress::of_plan(rd, plan.id, Some(period)).await?.into_iter().any(|u| u.item == item && u.state == UpdateState::Approved);
    if approved {
        return Err(AppError::Conflict(Refusal::new("figures-approved").arg("period", period)));
    }
    Ok(())
}

/// Whether any report or figure of the plan uses the period (ask unfiltered before removing it).
pub(crate) async fn period_in_use(rd: &Reader<'_>, plan: PlanId, period: &str) -> Result<bool> {
    Ok(progress::count_of_period(rd, plan, period).await? > 0 || indicators::measurements_of_plan(rd, plan).await?.iter().any(|m| m.period == period))
}

/// Evidence must be files of the same plan that the reader may see.
pub(crate) async fn check_evidence(rd: &Reader<'_>, plan: &Plan, ids: &[AttachmentId], p: &mut Problems) -> Result<()> {
    let found = liaison_store::attachments::get_many(rd, ids).await?;
    for (i, id) in ids.iter().enumerate() {
        if !found.iter().any(|a| a.id == *id && a.plan == plan.id) {
            p.coded(format!("evidence.{i}"), "unknown", &[]);
        }
    }
    Ok(())
}

/// Reports and figures are taken once the plan is agreed, until it is closed.
pub(crate) fn require_reporting(plan: &Plan) -> Result<()> {
    if plan.state.accepts_reports() {
        return Ok(());
    }
    use liaison_domain::plan::PlanState::*;
    match plan.state {
        Drafting | Negotiation => Err(AppError::Conflict(Refusal::new("reports-not-yet"))),
        _ => Err(AppError::Conflict(Refusal::new("reports-no-more").arg("state", plan.state.code()))),
    }
}

/// Percent of the latest approved report of each item (up to period `upto`, if given).
pub(crate) fn latest_approved(updates: &[ProgressUpdate], periods: &[String], upto: Option<&str>) -> HashMap<ItemId, (usize, u8)> {
    let limit = upto.and_then(|p| periods.iter().position(|x| x == p));
    let mut out: HashMap<ItemId, (usize, u8)> = HashMap::new();
    for u in updates.iter().filter(|u| u.state == UpdateState::Approved) {
        let Some(pos) = periods.iter().position(|p| *p == u.period) else { continue };
        if limit.is_some_and(|l| pos > l) {
            continue;
        }
        let e = out.entry(u.item).or_insert((pos, u.percent));
        if pos >= e.0 {
            *e = (pos, u.percent);
        }
    }
    out
}
