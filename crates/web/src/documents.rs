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
