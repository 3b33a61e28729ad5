//! The implementation report of a period, as its reader may see it: one model
//! ([`liaison_domain::report::Report`]) for the printable page and every export. Which period it
//! covers by default is the domain's rule ([`liaison_domain::report::default_period`]); every
//! report made — the printed page too — is recorded in the audit trail as an export, with the
//! format, the period and how many items it holds.

use crate::summary::{Summary, summary};
use crate::{App, Ctx, Result};
use liaison_domain::marking::Marking;
use liaison_domain::plan::Plan;
use liaison_domain::report::{AssessmentSummary, Report, ReportFormat, ReportIndicator, ReportRow, RootProgress, default_period};
use liaison_domain::{ItemId, PlanId};
use std::collections::HashSet;

/// A report as a page shows it: the plan it is of, and whether the period asked for was unknown
/// (the default one is shown instead).
pub struct ReportView {
    pub plan: Plan,
    pub report: Report,
    pub unknown_period: bool,
}

/// The report of `period` (by default, see the module) in `format`. An unknown period is a 422;
/// with `lenient`, the default period is taken instead and the answer says so.
pub async fn implementation(app: &App, ctx: &Ctx, plan_id: PlanId, period: Option<&str>, format: ReportFormat, lenient: bool) -> Result<ReportView> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let periods: Vec<String> = crate::calendar::ensure(app, &rd, &plan).await?.into_iter().map(|p| p.key).collect();
    let unknown = period.is_some_and(|p| !periods.iter().any(|k| k == p));
    if unknown && !lenient {
        return Err(liaison_domain::ValidationErrors::coded("period", "unknown", &[]).into());
    }
    let asked = period.filter(|_| !unknown);
    let at = match asked {
        Some(p) => p.to_string(),
        None => {
            let updates = liaison_store::progress::of_plan(&rd, plan.id, None).await?;
            let reported: Vec<&str> = updates.iter().filter(|u| u.state.reported()).map(|u| u.period.as_str()).collect();
            let current = summary(app, ctx, plan.id, None).await?.period.clone();
            default_period(&periods, &reported, current.as_deref()).map(String::from).unwrap_or_default()
        }
    };
    let sum = summary(app, ctx, plan.id, (!at.is_empty()).then_some(at.as_str())).await?;
    let updates = if at.is_empty() { Vec::new() } else { liaison_store::progress::of_plan(&rd, plan.id, Some(&at)).await? };
    let org_ids: Vec<_> = sum.visible_items.iter().filter_map(|i| i.lead_organisation).collect();
    let orgs = liaison_store::organisations::get_many(&rd, &org_ids).await?;
    let lead = |id: Option<liaison_domain::OrganisationId>| id.and_then(|o| orgs.iter().find(|x| x.id == o)).map(|o| o.short_name.clone()).unwrap_or_default();
    let overdue: HashSet<ItemId> = sum.overdue.iter().map(|o| o.item.id).collect();
    let mut marking: Marking = plan.marking.clone();
    for i in &sum.visible_items {
        marking = marking.join(&i.marking);
    }
    for u in &updates {
        marking = marking.join(&u.marking);
    }
    let rows = sum
        .visible_items
        .iter()
        .map(|i| ReportRow {
            item: i.id,
            code: i.code.clone(),
            level: i.level.clone(),
            title: i.title.clone(),
            depth: i.depth,
            status: i.status,
            progress: sum.progress_of.get(&i.id).copied(),
            lead: lead(i.lead_organisation),
            due: i.due,
            overdue: overdue.contains(&i.id),
            report: updates.iter().find(|u| u.item == i.id).map(|u| (u.state, u.narrative.clone())),
        })
        .collect::<Vec<_>>();
    let report = Report {
        plan: plan.id,
        plan_code: plan.code.clone(),
        plan_title: plan.title.clone(),
        period: at.clone(),
        periods,
        as_of: sum.as_of,
        generated: app.now(),
        marking,
        progress: sum.progress,
        items: sum.items,
        overdue_count: sum.overdue_count,
        by_status: sum.by_status.clone(),
        roots: sum.progress_by_root.iter().map(|r| RootProgress { code: r.item.code.clone(), title: r.item.title.clone(), progress: r.progress }).collect(),
        indicators: indicators(&sum),
        assessments: sum
            .latest_assessments
            .iter()
            .map(|a| AssessmentSummary {
                perspective: a.perspective,
                period: a.period.clone(),
                scale: a.scale,
                state: a.state,
                ratings: a.ratings.clone(),
                narrative: a.narrative.clone(),
            })
            .collect(),
        over_time: sum.over_time.iter().map(|p| (p.period.clone(), p.progress)).collect(),
        rows,
    };
    audit(app, ctx, &report, format).await?;
    Ok(ReportView { plan, report, unknown_period: unknown })
}

fn indicators(sum: &Summary) -> Vec<ReportIndicator> {
    let code_of = |item: ItemId| sum.visible_items.iter().find(|i| i.id == item).map(|i| i.code.clone()).unwrap_or_default();
    sum.indicator_defs
        .iter()
        .map(|d| ReportIndicator {
            id: d.id,
            item: d.item,
            item_code: code_of(d.item),
            name: d.name.clone(),
            unit: d.unit.clone(),
            measure: d.measure,
            standing: sum.indicator_standings.iter().find(|s| s.indicator == d.id).map(|s| s.standing.clone()),
            series: sum.series(d.id),
        })
        .collect()
}

/// Exports are audited: who took which plan's report, in which format, for which period, how
/// many items it held.
async fn audit(app: &App, ctx: &Ctx, r: &Report, format: ReportFormat) -> Result<()> {
    let after =
        serde_json::json!({"plan": r.plan, "plan_code": r.plan_code, "format": format.code(), "period": r.period, "rows": r.rows.len() + r.indicators.len()});
    crate::audit::record_export(app, ctx, after, &r.marking).await
}
