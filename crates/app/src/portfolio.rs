//! The portfolio across partners: every plan the reader may see with its cycle, state and
//! figures (see `liaison_domain::portfolio` for the rules).
//!
//! It is the page that reads the most at alliance scale (every plan of 40 partners and their
//! cycles), so each plan's figures are cached per reader's filter and kept exactly as long as
//! nothing of the plan changes: the cache key moves with the plan's latest change, as the
//! summary's does, and with the day (what is overdue or late depends on it).

use crate::summary::current_period;
use crate::{App, Ctx, Paging, Result};
use liaison_domain::assessment::Perspective;
use liaison_domain::calendar::Reportable;
use liaison_domain::item::Item;
use liaison_domain::marking::Marking;
use liaison_domain::plan::Plan;
use liaison_domain::portfolio::{self as rules, AssessmentStanding, Figures, LateReports, PartnerRef, Portfolio, PortfolioQuery, PortfolioRow};
use liaison_domain::{ItemId, OrganisationId};
use liaison_store::{assessments, assistance, progress};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Every plan the reader may see (all pages of the list).
async fn visible_plans(app: &App, ctx: &Ctx) -> Result<Vec<Plan>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = crate::plans::list(app, ctx, None, &Paging { limit: Some(liaison_domain::page::MAX_LIMIT), cursor }).await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

/// The portfolio as the reader may see it, filtered and sorted by `q`.
pub async fn portfolio(app: &App, ctx: &Ctx, q: &PortfolioQuery) -> Result<Portfolio> {
    let today = app.now().date_naive();
    let plans = visible_plans(app, ctx).await?;
    let chain: Vec<_> = plans.iter().map(|p| (p.id, p.predecessor)).collect();
    let cycles = rules::cycles(&chain);
    let latest = rules::latest(&chain);
    let orgs: HashMap<OrganisationId, liaison_domain::organisation::Organisation> =
        crate::organisations::all(app, ctx).await?.into_iter().map(|o| (o.id, o)).collect();
    let mut rows = Vec::with_capacity(plans.len());
    let mut partner_choices: Vec<PartnerRef> = Vec::new();
    for plan in plans {
        let partner = match orgs.get(&plan.partner) {
            Some(o) => PartnerRef { id: o.id, short_name: o.short_name.clone(), name: o.name.clone() },
            None => PartnerRef { id: plan.partner, short_name: String::new(), name: Default::default() },
        };
        if !partner_choices.iter().any(|p| p.id == partner.id) {
            partner_choices.push(partner.clone());
        }
        // Filters first, so that a filtered view computes only what it shows.
        let current = latest.contains(&plan.id);
        if !q.keeps(plan.partner, plan.state, current) {
            continue;
        }
        let computed = figures(app, ctx, &plan, today).await?;
        rows.push(PortfolioRow {
            cycle: cycles.get(&plan.id).copied().unwrap_or(1),
            current,
            plan: plan.id,
            code: plan.code,
            title: plan.title,
            partner,
            state: plan.state,
            period: plan.period,
            figures: computed.0.clone(),
            marking: computed.1.clone(),
        });
    }
    rules::sort(&mut rows, q.sort, q.descending);
    let partners = rows.iter().map(|r| r.partner.id).collect::<HashSet<_>>().len() as u64;
    partner_choices.sort_by_key(|p| p.short_name.to_lowercase());
    Ok(Portfolio { as_of: today, partners, plans: rows.len() as u64, rows, partner_choices })
}

/// A plan's figures for one reader, and the highest marking of what they were computed from.
pub(crate) type Computed = (Figures, Marking);

/// One plan's figures for the reader, from the cache while the plan is unchanged.
pub(crate) async fn figures(app: &App, ctx: &Ctx, plan: &Plan, today: chrono::NaiveDate) -> Result<Arc<Computed>> {
    // System work: the key must move with a change of any record of the plan, hidden ones too.
    let last_change = liaison_store::changes::last_of_plan(&app.unfiltered(), plan.id).await?;
    let key = format!("{}|{}|{today}", plan.id, ctx.actor.filter_key());
    if let Some(f) = app.caches.portfolio.get(last_change, &key) {
        return Ok(f);
    }
    let rd = app.read(ctx);
    let periods = crate::calendar::ensure(app, &rd, plan).await?;
    let keys: Vec<String> = periods.iter().map(|p| p.key.clone()).collect();
    let visible: Arc<Vec<Item>> = crate::items::visible_cached(app, ctx, plan.id).await?;
    let ids: HashSet<ItemId> = visible.iter().map(|i| i.id).collect();
    let updates: Vec<_> = progress::of_plan(&rd, plan.id, None).await?.into_iter().filter(|u| ids.contains(&u.item)).collect();
    // Progress as the dashboard shows it: approved reports up to the current period.
    let at = current_period(&periods, today).map(|p| p.key.as_str());
    let approved: HashMap<ItemId, u8> = crate::reporting::latest_approved(&updates, &keys, at).into_iter().map(|(k, (_, p))| (k, p)).collect();
    let (_, progress) = liaison_domain::rollup::progress(&visible, &approved);
    let (_, _, overdue) = liaison_domain::rollup::counts(&visible, today);
    // Who has not reported for the last period that fell due (only plans that take reports).
    let late_reports = match rules::last_due(&periods, today).filter(|_| plan.state.accepts_reports()) {
        None => LateReports::default(),
        Some(period) => {
            let reportable: Vec<Reportable> = liaison_domain::calendar::reportables(&visible);
            let reported: HashSet<ItemId> = updates.iter().filter(|u| u.period == period.key && u.state.reported()).map(|u| u.item).collect();
            let owed = reportable.iter().filter(|r| r.owes(period)).count() as u64;
            let missing = liaison_domain::calendar::missing_reports(&reportable, &reported, period).values().map(Vec::len).sum::<usize>() as u64;
            LateReports { period: Some(period.key.clone()), owed, missing }
        }
    };
    // Requests and offers name only the items the reader may see.
    let mut reqs = assistance::requests_of(&rd, plan.id).await?;
    let mut offs = assistance::offers_of(&rd, plan.id).await?;
    for r in &mut reqs {
        r.items.retain(|i| ids.contains(i));
    }
    for o in &mut offs {
        o.items.retain(|i| ids.contains(i));
    }
    let requests = rules::requests(&reqs, &offs);
    let all = assessments::of_plan(&rd, plan.id, None).await?;
    let mut standings = Vec::new();
    for p in Perspective::ALL {
        if let Some(a) = all.iter().filter(|a| a.perspective == p).max_by_key(|a| keys.iter().position(|k| *k == a.period)) {
            let rated: Vec<&str> = a.ratings.iter().filter(|r| ids.contains(&r.item)).map(|r| r.rating.as_str()).collect();
            standings.push(AssessmentStanding {
                perspective: p,
                period: a.period.clone(),
                scale: a.scale,
                state: a.state,
                rated: rated.len() as u64,
                position: rules::mean_position(a.scale, rated.iter().copied()),
            });
        }
    }
    let marking = visible
        .iter()
        .map(|i| &i.marking)
        .chain(reqs.iter().map(|r| &r.marking))
        .chain(offs.iter().map(|o| &o.marking))
        .chain(all.iter().map(|a| &a.marking))
        .fold(plan.marking.clone(), |m, x| m.join(x));
    let completed = visible.iter().filter(|i| i.status == liaison_domain::item::ItemStatus::Completed).count() as u64;
    let figures = Figures { items: visible.len() as u64, completed, progress, overdue: overdue.len() as u64, late_reports, requests, assessments: standings };
    let f = Arc::new((figures, marking));
    app.caches.portfolio.put(last_change, key, f.clone());
    Ok(f)
}
