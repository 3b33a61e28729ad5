//! The documents' words and layout data, from the use cases' models to what `liaison-docs`
//! typesets (in the reader's language and script).

use liaison_app::exports::PlanDoc;
use liaison_domain::text::UiLang;

/// The plan's document for `liaison_docs::plan_pdf`.
pub fn plan(d: &PlanDoc, lang: UiLang) -> liaison_docs::PlanDocument {
    let tr = liaison_i18n::Tr { lang };
    let facts = |i: &liaison_app::exports::DocItem| {
        let mut f = Vec::new();
        if let Some(s) = i.status {
            f.push(format!("{}: {}", tr.get("col-status"), tr.get(&format!("status-{}", s.code()))));
        }
        if let Some(due) = i.due {
            f.push(format!("{}: {due}", tr.get("col-due")));
        }
        if let Some(l) = &i.lead {
            f.push(format!("{}: {l}", tr.get("col-lead")));
        }
        f.push(i.marking.banner());
        f.join(" · ")
    };
    let version = match d.version {
        Some(v) => format!("{} {v}", tr.get("doc-version")),
        None => tr.get("doc-current"),
    };
    liaison_docs::PlanDocument {
        lang: if matches!(lang, UiLang::En) { "en".into() } else { "sr".into() },
        title: d.plan.title.show(lang),
        subtitle: format!("{} · {} – {}", d.plan.code, d.plan.period.start, d.plan.period.end),
        parties: format!("{} · {}", d.partner, d.owner),
        owner: d.owner.clone(),
        version,
        marking: d.marking.banner(),
        labels: liaison_docs::Labels { contents: tr.get("doc-contents"), decisions: tr.get("plan-decisions"), page: tr.get("docx-page") },
        decisions: d
            .decisions
            .iter()
            .map(|x| liaison_docs::Decision {
                title: x.body.show(lang),
                facts: format!("{} · {} · {}", x.date, tr.get(&format!("decision-{}", x.kind.code())), x.reference),
                text: x.note.show(lang),
            })
            .collect(),
        items: d
            .items
            .iter()
            .map(|i| liaison_docs::Item {
                depth: i.depth,
                code: i.code.clone(),
                title: i.title.show(lang),
                description: i.description.show(lang),
                facts: facts(i),
            })
            .collect(),
    }
}

/// A changed value as text in the reader's language: a text in several languages as the
/// reader's, a list joined, nothing as nothing.
fn shown(v: &serde_json::Value, lang: UiLang) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(|x| shown(x, lang)).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(_) => match serde_json::from_value::<liaison_domain::text::Text>(v.clone()) {
            Ok(t) => t.show(lang),
            Err(_) => v.to_string(),
        },
        other => other.to_string(),
    }
}

/// The redline's document for `liaison_docs::redline_pdf`.
pub fn redline(d: &liaison_app::exports::RedlineDoc, lang: UiLang) -> liaison_docs::Redline {
    let tr = liaison_i18n::Tr { lang };
    let version = |v: &liaison_app::plans::VersionRef| match v {
        liaison_app::plans::VersionRef::Current => tr.get("doc-current"),
        liaison_app::plans::VersionRef::Agreed(n) => format!("{} {n}", tr.get("doc-version")),
    };
    let field = |f: &str| {
        let key = format!("field-{f}");
        let w = tr.get(&key);
        if w == key { f.to_string() } else { w }
    };
    let changes = |cs: &[liaison_domain::version::FieldChange]| -> Vec<liaison_docs::Change> {
        cs.iter().map(|c| liaison_docs::Change { field: field(&c.field), before: shown(&c.before, lang), after: shown(&c.after, lang) }).collect()
    };
    let item = |i: &liaison_domain::version::ItemContent| liaison_docs::RedlineItem {
        code: i.code.clone(),
        title: i.title.show(lang),
        description: i.description.show(lang),
    };
    let c = &d.comparison;
    liaison_docs::Redline {
        lang: if matches!(lang, UiLang::En) { "en".into() } else { "sr".into() },
        title: format!("{}: {}", tr.get("doc-redline"), d.plan.title.show(lang)),
        subtitle: format!("{} · {} → {}", d.plan.code, version(&d.from), version(&d.to)),
        marking: d.marking.banner(),
        labels: liaison_docs::RedlineLabels {
            page: tr.get("docx-page"),
            legend: tr.get("doc-redline-legend"),
            deleted: tr.get("doc-deleted"),
            inserted: tr.get("doc-inserted"),
            plan: tr.get("doc-redline-plan"),
            changed: tr.get("doc-redline-changed"),
            added: tr.get("doc-redline-added"),
            removed: tr.get("doc-redline-removed"),
            none: tr.get("doc-redline-none"),
        },
        plan: changes(&c.plan),
        changed: c
            .changed
            .iter()
            .map(|ch| liaison_docs::ChangedItem {
                code: ch.code.clone(),
                title: d.titles.get(&ch.id).map(|t| t.show(lang)).unwrap_or_default(),
                changes: changes(&ch.changes),
            })
            .collect(),
        added: c.added.iter().map(item).collect(),
        removed: c.removed.iter().map(item).collect(),
    }
}

/// Periods in the report's charts over time: the last eight up to its period, as on the pages.
const HISTORY: usize = 8;

/// A number as the report prints it: to one decimal, with ` %` for a percentage.
fn figure(x: Option<f64>, pct: bool) -> String {
    use crate::pages::charts::fmt_num;
    x.map(|v| fmt_num((v * 10.0).round() / 10.0) + if pct { " %" } else { "" }).unwrap_or_else(|| "—".into())
}

/// A bar in the pages' palette (the same colours and textures as the charts on screen).
fn bar(class: &str, label: String, value: f64, shown: String) -> liaison_docs::Bar {
    use crate::pages::charts::{Texture, paint};
    let p = paint(class);
    let texture = match p.texture {
        Texture::Solid => "solid",
        Texture::Stripes => "stripes",
        Texture::Crosshatch => "crosshatch",
        Texture::Dots => "dots",
        Texture::Hatch => "hatch",
    };
    liaison_docs::Bar { label, value, shown, fill: p.fill.into(), texture: texture.into() }
}

/// The implementation report's document for `liaison_docs::report_pdf`.
pub fn report(r: &liaison_domain::report::Report, lang: UiLang) -> liaison_docs::ReportDocument {
    use liaison_domain::indicator::Measure;
    let tr = liaison_i18n::Tr { lang };
    let due = |d: Option<liaison_domain::due::Due>| match d {
        None => String::new(),
        Some(liaison_domain::due::Due::Continuous) => tr.get("due-continuous"),
        Some(d) => d.to_string(),
    };
    let facts = [
        ("plan-code", r.plan_code.clone()),
        ("period", r.period.clone()),
        ("report-as-of", r.as_of.to_string()),
        ("kpi-progress", figure(r.progress.map(f64::round), true)),
        ("kpi-items", r.items.to_string()),
        ("kpi-overdue", r.overdue_count.to_string()),
        ("report-generated", r.generated.format("%Y-%m-%d %H:%M UTC").to_string()),
    ];
    let by_status = liaison_domain::item::ItemStatus::ALL
        .iter()
        .filter_map(|s| {
            r.by_status.get(s.code()).map(|n| bar(&format!("status-{}", s.code()), tr.get(&format!("status-{}", s.code())), *n as f64, n.to_string()))
        })
        .collect();
    let recent = &r.over_time[r.over_time.len().saturating_sub(HISTORY)..];
    let column = |label: &str, value: Option<f64>, target: Option<f64>, pct: bool| liaison_docs::Column {
        label: label.to_string(),
        value,
        shown: figure(value, pct),
        target,
        target_shown: target.map(|t| figure(Some(t), pct)).unwrap_or_default(),
    };
    let indicators = r
        .indicators
        .iter()
        .map(|i| {
            let pct = i.measure == Measure::Percentage;
            let st = i.standing.as_ref();
            let series = &i.series[i.series.len().saturating_sub(HISTORY)..];
            let max = series.iter().flat_map(|s| [s.actual, s.target]).flatten().fold(1.0_f64, f64::max);
            let name = i.name.show(lang);
            liaison_docs::ReportIndicator {
                code: i.item_code.clone(),
                name: if i.unit.is_empty() || pct { name } else { format!("{name} ({})", i.unit) },
                actual: figure(st.and_then(|s| s.actual), pct),
                target: figure(st.and_then(|s| s.target), pct),
                achievement: figure(st.and_then(|s| s.achievement).map(f64::round), true),
                by_sex: st
                    .map(|s| {
                        s.by_category
                            .iter()
                            .map(|(c, v)| format!("{}: {}", tr.get(&format!("category-{c}")), figure(Some(*v), pct)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                text: st.and_then(|s| s.text.clone()).unwrap_or_default(),
                max,
                series: series.iter().map(|s| column(&s.period, s.actual, s.target, pct)).collect(),
            }
        })
        .collect();
    liaison_docs::ReportDocument {
        lang: if matches!(lang, UiLang::En) { "en".into() } else { "sr".into() },
        title: format!("{}: {}", tr.get("report-title"), r.plan_title.show(lang)),
        subtitle: format!("{} · {}", r.plan_code, r.period),
        marking: r.marking.banner(),
        labels: liaison_docs::ReportLabels {
            page: tr.get("docx-page"),
            by_status: tr.get("chart-by-status"),
            by_root: tr.get("chart-progress-by-root"),
            over_time: tr.get("chart-progress-over-time"),
            items: tr.get("report-items"),
            indicators: tr.get("dashboard-indicators"),
            assessments: tr.get("dashboard-assessments"),
            code: tr.get("col-code"),
            title: tr.get("col-title"),
            status: tr.get("col-status"),
            progress: tr.get("kpi-progress"),
            lead: tr.get("col-lead"),
            due: tr.get("col-due"),
            report: tr.get("report-period-report"),
            overdue: tr.get("overdue"),
            actual: tr.get("indicator-actual"),
            target: tr.get("indicator-target"),
            achievement: tr.get("indicator-achievement"),
            by_sex: tr.get("kpi-by-sex"),
            none: tr.get("doc-none"),
        },
        facts: facts.into_iter().map(|(k, v)| liaison_docs::Fact { label: tr.get(k), value: v }).collect(),
        by_status,
        roots: r
            .roots
            .iter()
            .map(|x| bar("progress", format!("{} {}", x.code, x.title.show(lang)), x.progress, figure(Some(x.progress.round()), true)))
            .collect(),
        over_time: recent.iter().map(|(p, v)| column(p, *v, None, true)).collect(),
        items: r
            .rows
            .iter()
            .map(|i| liaison_docs::ReportItem {
                depth: usize::from(i.depth),
                code: i.code.clone(),
                title: i.title.show(lang),
                status: tr.get(&format!("status-{}", i.status.code())),
                progress: figure(i.progress.map(f64::round), true),
                lead: i.lead.clone(),
                due: due(i.due),
                overdue: i.overdue,
                report: i.report.as_ref().map(|(state, text)| format!("{}: {text}", tr.get(&format!("update-state-{}", state.code())))).unwrap_or_default(),
            })
            .collect(),
        indicators,
        assessments: r
            .assessments
            .iter()
            .map(|a| liaison_docs::ReportAssessment {
                title: format!(
                    "{} · {} ({})",
                    tr.get(&format!("perspective-{}", a.perspective.code())),
                    a.period,
                    tr.get(&format!("assessment-state-{}", a.state.code()))
                ),
                ratings: a
                    .scale
                    .ratings()
                    .iter()
                    .filter_map(|x| a.ratings.get(*x).map(|n| format!("{}: {n}", tr.get(&format!("rating-{x}")))))
                    .collect::<Vec<_>>()
                    .join(" · "),
                narrative: a.narrative.clone(),
            })
            .collect(),
    }
}
