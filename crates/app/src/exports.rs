//! Files a plan's people circulate: its items as a workbook or CSV. Each holds only what its
//! reader may see (the same readers as the pages), opens with the highest marking of what it
//! holds, and is recorded in the audit trail as an export (format, plan, how many rows).

use crate::{App, Ctx, Result};
use liaison_domain::PlanId;
use liaison_domain::marking::Marking;
use liaison_domain::plan::Plan;
use liaison_interop::plan_items::Line;
use liaison_interop::xlsx::{Cell, Column, Table};
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

/// A plan's indicators and their figures (targets and measurements) as the actor may see them,
/// as two tables; audited as an export.
pub async fn indicators(app: &App, ctx: &Ctx, plan_id: PlanId, lang: liaison_domain::text::UiLang) -> Result<(Plan, Marking, Vec<Table>)> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let items: HashMap<_, _> = crate::items::readable(&rd, plan.id).await?.into_iter().map(|i| (i.id, i)).collect();
    let inds: Vec<_> = liaison_store::indicators::of_plan(&rd, plan.id).await?.into_iter().filter(|i| items.contains_key(&i.item)).collect();
    let ms = liaison_store::indicators::measurements_of_plan(&rd, plan.id).await?;
    let mut marking = plan.marking.clone();
    let mut defs = Vec::new();
    let mut figures = Vec::new();
    let categories: Vec<String> = {
        let mut c: Vec<String> = inds.iter().flat_map(|i| i.dimension.iter().flat_map(|d| d.categories.clone())).collect();
        c.sort();
        c.dedup();
        c
    };
    for ind in &inds {
        let item = &items[&ind.item];
        marking = marking.join(&item.marking);
        defs.push(vec![
            Cell::text(&item.code),
            Cell::text(ind.name.show(lang)),
            Cell::text(&ind.unit),
            Cell::text(ind.measure.code()),
            Cell::text(if ind.cumulative { "yes" } else { "no" }),
            ind.baseline.as_ref().map_or(Cell::Empty, |b| Cell::Number(b.value)),
            ind.baseline.as_ref().map_or(Cell::Empty, |b| Cell::Date(b.date)),
            Cell::text(ind.dimension.as_ref().map(|d| format!("{}: {}", d.key, d.categories.join(", "))).unwrap_or_default()),
            Cell::text(item.marking.banner()),
        ]);
        let mut line =
            |period: &str, kind: &str, value: Option<f64>, den: Option<f64>, by: &std::collections::BTreeMap<String, f64>, text: Option<&str>, note: &str| {
                let mut row = vec![
                    Cell::text(&item.code),
                    Cell::text(ind.name.show(lang)),
                    Cell::text(period),
                    Cell::text(kind),
                    Cell::maybe_number(value),
                    Cell::maybe_number(den),
                ];
                row.extend(categories.iter().map(|c| Cell::maybe_number(by.get(c).copied())));
                row.push(Cell::text(text.unwrap_or("")));
                row.push(Cell::text(note));
                figures.push(row);
            };
        for t in &ind.targets {
            line(&t.period, "target", Some(t.value), None, &t.by_category, None, "");
        }
        for m in ms.iter().filter(|m| m.indicator == ind.id) {
            line(&m.period, "actual", m.value.value, m.value.denominator, &m.value.by_category, m.value.text.as_deref(), &m.note);
        }
    }
    let mut fig_cols = vec![
        Column::new("Item", 10.0),
        Column::new("Indicator", 40.0),
        Column::new("Period", 10.0),
        Column::new("Kind", 8.0),
        Column::new("Value", 10.0),
        Column::new("Denominator", 11.0),
    ];
    fig_cols.extend(categories.iter().map(|c| Column::new(c, 10.0)));
    fig_cols.extend([Column::new("Text", 30.0), Column::new("Note", 30.0)]);
    let tables = vec![
        Table {
            name: "Indicators".into(),
            title: format!("{} — indicators", plan.code),
            columns: vec![
                Column::new("Item", 10.0),
                Column::new("Indicator", 40.0),
                Column::new("Unit", 10.0),
                Column::new("Measure", 11.0),
                Column::new("Cumulative", 10.0),
                Column::new("Baseline", 10.0),
                Column::new("Baseline date", 12.0),
                Column::new("Disaggregation", 24.0),
                Column::new("Marking", 24.0),
            ],
            rows: defs,
        },
        Table { name: "Figures".into(), title: format!("{} — targets and figures", plan.code), columns: fig_cols, rows: figures },
    ];
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": "xlsx", "what": "indicators", "rows": inds.len()});
    crate::audit::record_export(app, ctx, after, &marking).await?;
    Ok((plan, marking, tables))
}

/// The clearing house as tables, one per list (the same filter as the page); audited.
pub async fn clearing_house(
    app: &App,
    ctx: &Ctx,
    plan_id: PlanId,
    f: &crate::assistance::ClearingFilter,
    lang: liaison_domain::text::UiLang,
) -> Result<(Plan, Marking, Vec<Table>)> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let v = crate::assistance::clearing(app, ctx, plan_id, f).await?;
    let item_cols = || vec![Column::new("Item", 10.0), Column::new("Level", 12.0), Column::new("Title", 50.0)];
    let item_row = |i: &crate::items::ItemRef| vec![Cell::text(&i.code), Cell::text(&i.level), Cell::text(i.title.show(lang))];
    let offer_cols = || {
        vec![
            Column::new("Offer", 40.0),
            Column::new("Offered by", 16.0),
            Column::new("Kind", 14.0),
            Column::new("From", 11.0),
            Column::new("To", 11.0),
            Column::new("State", 12.0),
        ]
    };
    let offer_row = |o: &crate::assistance::OfferRef| {
        vec![
            Cell::text(o.title.show(lang)),
            Cell::text(&o.offered_by_name),
            Cell::text(o.kind.code()),
            Cell::Date(o.period.start),
            Cell::Date(o.period.end),
            Cell::text(o.state.code()),
        ]
    };
    let totals_rows = |m: &std::collections::BTreeMap<String, liaison_domain::assistance::Totals>| -> Vec<Vec<Cell>> {
        m.iter()
            .flat_map(|(k, t)| {
                if t.value_minor.is_empty() {
                    vec![vec![Cell::text(k), Cell::Number(t.offers as f64), Cell::Empty, Cell::Empty]]
                } else {
                    t.value_minor
                        .iter()
                        .map(|(cur, v)| vec![Cell::text(k), Cell::Number(t.offers as f64), Cell::text(cur), Cell::Number(*v as f64 / 100.0)])
                        .collect()
                }
            })
            .collect()
    };
    let totals_cols = |first: &str| vec![Column::new(first, 24.0), Column::new("Offers", 8.0), Column::new("Currency", 9.0), Column::new("Value", 14.0)];
    let mut unsupported_cols = vec![Column::new("Area", 16.0)];
    unsupported_cols.extend(item_cols());
    let mut dup_cols = item_cols();
    dup_cols.push(Column::new("Kind", 14.0));
    dup_cols.extend(offer_cols());
    let tables = vec![
        Table {
            name: "Uncovered".into(),
            title: format!("{}: items with an open request and no accepted offer", plan.code),
            columns: item_cols(),
            rows: v.uncovered_items.iter().map(item_row).collect(),
        },
        Table {
            name: "Unsupported".into(),
            title: format!("{}: items with no live offer, by area", plan.code),
            columns: unsupported_cols,
            rows: v
                .unsupported_by_area
                .iter()
                .flat_map(|(a, items)| items.iter().map(move |i| (a, i)))
                .map(|(a, i)| {
                    let mut r = vec![Cell::text(a)];
                    r.extend(item_row(i));
                    r
                })
                .collect(),
        },
        Table {
            name: "Duplicates".into(),
            title: format!("{}: items with two live offers of one kind", plan.code),
            columns: dup_cols,
            rows: v
                .duplicate_offers
                .iter()
                .flat_map(|d| {
                    d.offers.iter().map(move |o| {
                        let mut r = item_row(&d.item);
                        r.push(Cell::text(d.kind.code()));
                        r.extend(offer_row(o));
                        r
                    })
                })
                .collect(),
        },
        Table {
            name: "Unsolicited".into(),
            title: format!("{}: live offers that answer no request", plan.code),
            columns: offer_cols(),
            rows: v.unsolicited_offers.iter().map(offer_row).collect(),
        },
        Table {
            name: "By Ally".into(),
            title: format!("{}: offers by offering organisation", plan.code),
            columns: totals_cols("Offered by"),
            rows: totals_rows(&v.by_ally),
        },
        Table { name: "By area".into(), title: format!("{}: offers by area", plan.code), columns: totals_cols("Area"), rows: totals_rows(&v.by_area) },
    ];
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": "xlsx", "what": "clearing_house", "rows": v.requests + v.offers});
    crate::audit::record_export(app, ctx, after, &v.marking).await?;
    Ok((plan, v.marking, tables))
}

/// An item of a plan's document: what it prints.
pub struct DocItem {
    pub depth: usize,
    pub code: String,
    pub title: liaison_domain::text::Text,
    pub description: liaison_domain::text::Text,
    /// `None` in an agreed version (a version holds content, not progress).
    pub status: Option<liaison_domain::item::ItemStatus>,
    pub due: Option<liaison_domain::due::Due>,
    pub lead: Option<String>,
    pub marking: Marking,
}

/// A plan, or one of its agreed versions, as its reader may see it, for an official document.
pub struct PlanDoc {
    pub plan: Plan,
    pub partner: String,
    pub owner: String,
    /// `None` for the current content; the agreed version's number otherwise.
    pub version: Option<i32>,
    pub marking: Marking,
    pub decisions: Vec<liaison_domain::decision::Decision>,
    pub items: Vec<DocItem>,
}

/// A plan's document (the current content, or agreed version `version`); audited as an export
/// in `format`.
pub async fn plan_document(app: &App, ctx: &Ctx, plan_id: PlanId, version: Option<i32>, format: &str) -> Result<PlanDoc> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let rd = app.read(ctx);
    let snapshot =
        crate::plans::version_content(app, ctx, plan_id, version.map_or(crate::plans::VersionRef::Current, crate::plans::VersionRef::Agreed)).await?;
    let statuses: HashMap<_, _> =
        if version.is_none() { crate::items::readable(&rd, plan.id).await?.into_iter().map(|i| (i.id, i.status)).collect() } else { HashMap::new() };
    let org_ids: Vec<_> = snapshot.items.iter().filter_map(|i| i.lead_organisation).chain([plan.partner, plan.owner]).collect();
    let orgs: HashMap<_, _> = liaison_store::organisations::get_many(&rd, &org_ids).await?.into_iter().map(|o| (o.id, o)).collect();
    let name = |id: &liaison_domain::OrganisationId| {
        orgs.get(id).map(|o| o.name.get("en").or_else(|| o.name.0.values().next().map(String::as_str)).unwrap_or(&o.short_name).to_string())
    };
    let mut depth: HashMap<liaison_domain::ItemId, usize> = HashMap::new();
    let mut marking = snapshot.plan.marking.join(&plan.marking);
    let mut items = Vec::with_capacity(snapshot.items.len());
    for i in &snapshot.items {
        let d = i.parent.and_then(|p| depth.get(&p)).map_or(0, |d| d + 1);
        depth.insert(i.id, d);
        marking = marking.join(&i.marking);
        items.push(DocItem {
            depth: d,
            code: i.code.clone(),
            title: i.title.clone(),
            description: i.description.clone(),
            status: statuses.get(&i.id).copied(),
            due: i.due,
            lead: i.lead_organisation.as_ref().and_then(name),
            marking: i.marking.clone(),
        });
    }
    let decisions = crate::decisions::list(app, ctx, plan_id).await?;
    for d in &decisions {
        marking = marking.join(&d.marking);
    }
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": format, "what": "plan", "version": version, "rows": items.len()});
    crate::audit::record_export(app, ctx, after, &marking).await?;
    Ok(PlanDoc { partner: name(&plan.partner).unwrap_or_default(), owner: name(&plan.owner).unwrap_or_default(), plan, version, marking, decisions, items })
}

/// The redline between two versions of a plan as its reader may see them, for a document.
pub struct RedlineDoc {
    pub plan: Plan,
    pub from: crate::plans::VersionRef,
    pub to: crate::plans::VersionRef,
    /// The highest marking of both versions' content.
    pub marking: Marking,
    pub comparison: liaison_domain::version::Comparison,
    /// The title of each changed item, as in `to`.
    pub titles: HashMap<liaison_domain::ItemId, liaison_domain::text::Text>,
}

/// The redline from `from` to `to`; audited as an export in `format`.
pub async fn redline_document(
    app: &App,
    ctx: &Ctx,
    plan_id: PlanId,
    from: crate::plans::VersionRef,
    to: crate::plans::VersionRef,
    format: &str,
) -> Result<RedlineDoc> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let a = crate::plans::version_content(app, ctx, plan_id, from).await?;
    let b = crate::plans::version_content(app, ctx, plan_id, to).await?;
    let marking = a.items.iter().chain(b.items.iter()).map(|i| &i.marking).fold(a.plan.marking.join(&b.plan.marking), |m, x| m.join(x));
    let titles = b.items.iter().map(|i| (i.id, i.title.clone())).collect();
    let comparison = liaison_domain::version::compare(&a, &b);
    let label = |v: &crate::plans::VersionRef| match v {
        crate::plans::VersionRef::Current => "current".to_string(),
        crate::plans::VersionRef::Agreed(n) => n.to_string(),
    };
    let after = serde_json::json!({"plan": plan.id, "plan_code": plan.code, "format": format, "what": "redline", "from": label(&from), "to": label(&to), "rows": comparison.added.len() + comparison.removed.len() + comparison.changed.len()});
    crate::audit::record_export(app, ctx, after, &marking).await?;
    Ok(RedlineDoc { plan, from, to, marking, comparison, titles })
}
