//! Files a plan's people circulate: its items as a workbook or CSV. Each holds only what its
//! reader may see (the same readers as the pages), opens with the highest marking of what it
//! holds, and is recorded in the audit trail as an export (format, plan, how many rows).

use crate::{App, Ctx, Result};
use liaison_domain::PlanId;
use liaison_domain::marking::Marking;
use liaison_domain::plan::Plan;
use liaison_interop::plan_items::Line;
use std::collections::HashMap;

/// A plan's items as its reader may see them, ready for a table.
pub struct ItemsExport {
    pub plan: Plan,
    /// The highest marking of the plan and of every item in it (the file's banner).
    pub marking: Marking,
    pub lines: Vec<Line>,
}

/// The items of a plan the actor may read, in tree order, with names resolved; audited as an
/// export in `format` (`xlsx`, `csv`).
pub async fn plan_items(app: &App, ctx: &Ctx, plan_id: PlanId, format: &str) -> Result<ItemsExport> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let items = crate::items::of_plan(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let org_ids: Vec<_> = items.iter().flat_map(|i| i.lead_organisation.into_iter().chain(i.contributing_organisations.iter().copied())).collect();
    let orgs: HashMap<_, _> = liaison_store::organisations::get_many(&rd, &org_ids).await?.into_iter().map(|o| (o.id, o)).collect();
    let areas: HashMap<String, String> = liaison_store::areas::all(&rd)
        .await?
        .into_iter()
        .map(|a| {
            let name = a.name.get("en").or_else(|| a.name.0.values().next().map(String::as_str)).unwrap_or(&a.code).to_string();
            (a.code, name)
        })
        .collect();
    let codes: HashMap<_, _> = items.iter().map(|i| (i.id, i.code.clone())).collect();
    let org_name = |id: &liaison_domain::OrganisationId| {
        orgs.get(id).map(|o| o.name.get("en").or_else(|| o.name.0.values().next().map(String::as_str)).unwrap_or(&o.short_name).to_string())
    };
    let mut marking = plan.marking.clone();
    let mut lines = Vec::with_capacity(items.len());
    for i in &items {
        marking = marking.join(&i.marking);
        lines.push(Line {
            code: i.code.clone(),
            parent_code: i.parent.and_then(|p| codes.get(&p).cloned()),
            level: i.level.clone(),
            title: i.title.clone(),
            description: i.description.clone(),
            lead: i.lead_organisation.as_ref().and_then(org_name),
            contributors: i.contributing_organisations.iter().filter_map(org_name).collect(),
            areas: i.areas.iter().map(|a| areas.get(a).cloned().unwrap_or_else(|| a.clone())).collect(),
            status: i.status,
            start: i.start,
            due: i.due,
            weight: i.weight,
            gender_marker: i.gender_marker,
            marking: i.marking.banner(),
        });
    }
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": format, "what": "items", "rows": lines.len()});
    crate::audit::record_export(app, ctx, after, &marking).await?;
    Ok(ItemsExport { plan, marking, lines })
}
