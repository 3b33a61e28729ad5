//! A plan's agreed versions, and the redline between any two of them (or a version and the
//! plan as it is now), field by field with changed words marked.

use super::{Base, Page, PageError, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use liaison_domain::PlanId;
use liaison_domain::item::ItemStatus;
use liaison_domain::plan::{Plan, PlanState};
use liaison_domain::text::Text;
use liaison_domain::version::{Chunk, Comparison, FieldChange, diff_words};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    base: Base,
    plan: Plan,
    versions: Vec<(i32, String, String)>,
}

pub async fn versions(State(s): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let v = liaison_app::views::plans::versions(&s.app, &page.ctx, id).await.map_err(|e| page.fail(e))?;
    let (plan, list) = (v.plan, v.versions);
    page.base.mark(&plan.marking);
    let versions = list.iter().map(|v| (v.number, page.base.time(&v.agreed_at), v.content_hash.chars().take(12).collect())).collect();
    let title = format!("{} — {}", plan.code, page.base.t("versions-title"));
    Ok(render(&VersionsPage { base: page.base.with_title(title), plan, versions }))
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// One field of a changed item, ready to show: either word-level chunks or before → after.
pub struct FieldView {
    pub name: String,
    pub chunks: Vec<Chunk>,
    pub before: String,
    pub after: String,
}

pub struct ChangedView {
    pub code: String,
    pub id: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    base: Base,
    plan: Plan,
    from: String,
    to: String,
    options: Vec<(String, String)>,
    comparison: Comparison,
    plan_fields: Vec<FieldView>,
    changed: Vec<ChangedView>,
}

impl ComparePage {
    fn text(&self, t: &Text) -> String {
        self.base.text(t)
    }
    fn links_text(&self) -> String {
        self.base.ta(
            "compare-links-count",
            &[("added", &self.comparison.links_added.len().to_string()), ("removed", &self.comparison.links_removed.len().to_string())],
        )
    }
}

/// A field change as people read it: text compared word by word in each language, statuses
/// in words, ids by name (from `names`), other values as before → after.
pub(crate) fn field_view(base: &Base, f: &FieldChange, names: &HashMap<String, String>) -> Vec<FieldView> {
    let label = base.field(&f.field);
    let as_text = |v: &serde_json::Value| serde_json::from_value::<Text>(v.clone()).ok();
    if let (Some(a), Some(b)) = (as_text(&f.before), as_text(&f.after))
        && (f.before.is_object() || f.after.is_object())
    {
        let mut langs: Vec<&String> = a.0.keys().chain(b.0.keys()).collect();
        langs.sort();
        langs.dedup();
        return langs
            .into_iter()
            .filter(|l| a.0.get(*l) != b.0.get(*l))
            .map(|l| {
                let (old, new) = (a.0.get(l).cloned().unwrap_or_default(), b.0.get(l).cloned().unwrap_or_default());
                let (old, new) = if l == "sr" && base.lang == liaison_domain::text::UiLang::SrLatn {
                    (liaison_domain::translit::cyrillic_to_latin(&old), liaison_domain::translit::cyrillic_to_latin(&new))
                } else {
                    (old, new)
                };
                FieldView { name: format!("{label} ({l})"), chunks: diff_words(&old, &new), before: String::new(), after: String::new() }
            })
            .collect();
    }
    let one = |s: &str| {
        if f.field == "status" {
            ItemStatus::parse(s).map(|st| base.status(&st)).unwrap_or_else(|| s.to_string())
        } else if f.field == "state" {
            PlanState::parse(s).map(|st| base.state(&st)).unwrap_or_else(|| s.to_string())
        } else {
            names.get(s).cloned().unwrap_or_else(|| s.to_string())
        }
    };
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => one(s),
        serde_json::Value::Array(a) if a.is_empty() => "—".to_string(),
        serde_json::Value::Array(a) => a.iter().map(|x| x.as_str().map(one).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(m) if m.contains_key("level") => {
            serde_json::from_value::<liaison_domain::marking::Marking>(v.clone()).map(|mk| mk.banner()).unwrap_or_else(|_| v.to_string())
        }
        other => other.to_string(),
    };
    vec![FieldView { name: label, chunks: Vec::new(), before: show(&f.before), after: show(&f.after) }]
}

pub async fn compare(State(s): State<AppState>, mut page: Page, Path(id): Path<String>, Query(q): Query<CompareQuery>) -> Result<Response, PageError> {
    let id: PlanId = page.id(&id)?;
    let v = liaison_app::views::plans::compare(&s.app, &page.ctx, id, q.from, q.to).await.map_err(|e| page.fail(e))?;
    let (plan, comparison) = (v.plan, v.comparison);
    page.base.mark(&plan.marking);
    for i in comparison.added.iter().chain(comparison.removed.iter()) {
        page.base.mark(&i.marking);
    }
    let plan_fields = comparison.plan.iter().flat_map(|f| field_view(&page.base, f, &v.names)).collect();
    let changed = comparison
        .changed
        .iter()
        .map(|c| ChangedView {
            code: c.code.clone(),
            id: c.id.to_string(),
            fields: c.changes.iter().flat_map(|f| field_view(&page.base, f, &v.names)).collect(),
        })
        .collect();
    let mut options: Vec<(String, String)> = v
        .versions
        .iter()
        .map(|x| {
            (x.number.to_string(), page.base.ta("version-agreed", &[("number", &x.number.to_string()), ("date", &x.agreed_at.format("%Y-%m-%d").to_string())]))
        })
        .collect();
    options.push(("current".into(), page.base.t("version-current")));
    let title = format!("{} — {}", plan.code, page.base.t("compare-title"));
    Ok(render(&ComparePage { base: page.base.with_title(title), plan, from: v.from, to: v.to, options, comparison, plan_fields, changed }))
}
