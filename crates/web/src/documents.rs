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
