//! Agreed versions: an immutable snapshot of a plan's content with a content hash, and the
//! comparison of any two snapshots (the redline negotiators need).
//!
//! Content is what the two sides agree on: the plan's text and period and the items' text,
//! structure, dates, organisations, areas, weights and markings. Implementation status is not
//! content: reporting progress is not an amendment.

use crate::change::content_hash;
use crate::due::Due;
use crate::item::{GenderMarker, Item, ItemLink, LinkKind};
use crate::marking::Marking;
use crate::plan::{Period, Plan};
use crate::text::Text;
use crate::{ItemId, OrganisationId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanContent {
    pub code: String,
    pub title: Text,
    pub description: Text,
    pub period: Period,
    pub marking: Marking,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemContent {
    pub id: ItemId,
    pub parent: Option<ItemId>,
    pub level: String,
    pub code: String,
    pub title: Text,
    pub description: Text,
    pub areas: Vec<String>,
    pub lead_organisation: Option<OrganisationId>,
    pub contributing_organisations: Vec<OrganisationId>,
    pub start: Option<NaiveDate>,
    pub due: Option<Due>,
    pub weight: u32,
    pub gender_marker: GenderMarker,
    pub marking: Marking,
    pub position: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkContent {
    pub from: ItemId,
    pub to: ItemId,
    pub kind: LinkKind,
}

/// A plan's content at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub plan: PlanContent,
    /// In tree order.
    pub items: Vec<ItemContent>,
    /// Links from this plan's items, sorted.
    pub links: Vec<LinkContent>,
}

impl Snapshot {
    /// The content of `plan` with its `items` (in tree order) and the links from them.
    pub fn of(plan: &Plan, items: &[Item], links: &[ItemLink]) -> Snapshot {
        let mut links: Vec<LinkContent> = links.iter().map(|l| LinkContent { from: l.from, to: l.to, kind: l.kind }).collect();
        links.sort();
        Snapshot {
            plan: PlanContent {
                code: plan.code.clone(),
                title: plan.title.clone(),
                description: plan.description.clone(),
                period: plan.period,
                marking: plan.marking.clone(),
            },
            items: items
                .iter()
                .map(|i| ItemContent {
                    id: i.id,
                    parent: i.parent,
                    level: i.level.clone(),
                    code: i.code.clone(),
                    title: i.title.clone(),
                    description: i.description.clone(),
                    areas: i.areas.clone(),
                    lead_organisation: i.lead_organisation,
                    contributing_organisations: i.contributing_organisations.clone(),
                    start: i.start,
                    due: i.due,
                    weight: i.weight,
                    gender_marker: i.gender_marker,
                    marking: i.marking.clone(),
                    position: i.position,
                })
                .collect(),
            links,
        }
    }

    /// SHA-256 of the canonical content.
    pub fn hash(&self) -> String {
        content_hash(self)
    }

    /// The snapshot as one reader may see it: items whose marking `admits` allows, and links
    /// whose both ends remain.
    pub fn visible_to(&self, admits: impl Fn(&Marking) -> bool) -> Snapshot {
        let items: Vec<ItemContent> = self.items.iter().filter(|i| admits(&i.marking)).cloned().collect();
        let ids: std::collections::BTreeSet<ItemId> = items.iter().map(|i| i.id).collect();
        Snapshot { plan: self.plan.clone(), links: self.links.iter().filter(|l| ids.contains(&l.from) && ids.contains(&l.to)).cloned().collect(), items }
    }
}

/// One field that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// An item present in both snapshots with different content.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemChange {
    pub id: ItemId,
    pub code: String,
    pub changes: Vec<FieldChange>,
}

/// The differences from one snapshot to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub plan: Vec<FieldChange>,
    pub added: Vec<ItemContent>,
    pub removed: Vec<ItemContent>,
    pub changed: Vec<ItemChange>,
    pub links_added: Vec<LinkContent>,
    pub links_removed: Vec<LinkContent>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.plan.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.links_added.is_empty()
            && self.links_removed.is_empty()
    }
}

fn field_changes<T: Serialize>(a: &T, b: &T, skip: &[&str]) -> Vec<FieldChange> {
    let a = serde_json::to_value(a).unwrap_or(Value::Null);
    let b = serde_json::to_value(b).unwrap_or(Value::Null);
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return Vec::new() };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (a.get(k).cloned().unwrap_or(Value::Null), b.get(k).cloned().unwrap_or(Value::Null));
            (x != y).then(|| FieldChange { field: k.clone(), before: x, after: y })
        })
        .collect()
}

/// Compare two snapshots of the same plan.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Comparison {
    let old_items: BTreeMap<ItemId, &ItemContent> = old.items.iter().map(|i| (i.id, i)).collect();
    let new_items: BTreeMap<ItemId, &ItemContent> = new.items.iter().map(|i| (i.id, i)).collect();
    let added = new.items.iter().filter(|i| !old_items.contains_key(&i.id)).cloned().collect();
    let removed = old.items.iter().filter(|i| !new_items.contains_key(&i.id)).cloned().collect();
    let changed = new
        .items
        .iter()
        .filter_map(|n| {
            let o = old_items.get(&n.id)?;
            let changes = field_changes(*o, n, &["id"]);
            (!changes.is_empty()).then(|| ItemChange { id: n.id, code: n.code.clone(), changes })
        })
        .collect();
    Comparison {
        plan: field_changes(&old.plan, &new.plan, &[]),
        added,
        removed,
        changed,
        links_added: new.links.iter().filter(|l| !old.links.contains(l)).cloned().collect(),
        links_removed: old.links.iter().filter(|l| !new.links.contains(l)).cloned().collect(),
    }
}

/// A piece of a word-level text comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Chunk {
    Same(String),
    Removed(String),
    Added(String),
}

/// Word-level differences between two texts (longest common subsequence over words and the
/// spaces between them), for highlighting changed text.
pub fn diff_words(old: &str, new: &str) -> Vec<Chunk> {
    let a = split_words(old);
    let b = split_words(new);
    // Texts are bounded (20,000 characters); guard the quadratic table all the same.
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        return vec![Chunk::Removed(old.to_string()), Chunk::Added(new.to_string())];
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<Chunk> = Vec::new();
    let push = |out: &mut Vec<Chunk>, c: Chunk| match (out.last_mut(), c) {
        (Some(Chunk::Same(s)), Chunk::Same(t)) => s.push_str(&t),
        (Some(Chunk::Removed(s)), Chunk::Removed(t)) => s.push_str(&t),
        (Some(Chunk::Added(s)), Chunk::Added(t)) => s.push_str(&t),
        (_, c) => out.push(c),
    };
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            push(&mut out, Chunk::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            push(&mut out, Chunk::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(&mut out, Chunk::Added(b[j].to_string()));
            j += 1;
        }
    }
    for w in &a[i..] {
        push(&mut out, Chunk::Removed(w.to_string()));
    }
    for w in &b[j..] {
        push(&mut out, Chunk::Added(w.to_string()));
    }
    out
}

/// Words and the whitespace runs between them, in order.
fn split_words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|w| w != space) {
            out.push(&s[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::ItemStatus;
    use crate::marking::Level;
    use crate::plan::NewPlan;
    use crate::{PlanId, Timestamp};
    use uuid::Uuid;

    fn now() -> Timestamp {
        chrono::DateTime::UNIX_EPOCH
    }

    fn plan() -> Plan {
        NewPlan {
            framework: "ipap".into(),
            code: "IPAP".into(),
            title: Text::new("en", "IPAP"),
            description: Text::default(),
            partner: OrganisationId(Uuid::from_u128(1)),
            owner: OrganisationId(Uuid::from_u128(2)),
            period: Period { start: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(), end: NaiveDate::from_ymd_opt(2016, 12, 31).unwrap() },
            predecessor: None,
            marking: None,
        }
        .into_plan(PlanId(Uuid::from_u128(3)), now(), Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"))
    }

    fn item(n: u128, title: &str, marking: Marking) -> Item {
        let input: crate::item::NewItem = serde_json::from_value(serde_json::json!({"code": format!("{n}"), "title": {"en": title}})).unwrap();
        input.into_item(ItemId(Uuid::from_u128(n)), PlanId(Uuid::from_u128(3)), 0, "chapter".into(), &marking, n as u32, now())
    }

    fn m() -> Marking {
        Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")
    }

    #[test]
    fn status_is_not_content() {
        let p = plan();
        let a = vec![item(1, "One", m())];
        let mut b = a.clone();
        b[0].status = ItemStatus::Completed;
        b[0].version = 7;
        assert_eq!(Snapshot::of(&p, &a, &[]).hash(), Snapshot::of(&p, &b, &[]).hash());
        b[0].title = Text::new("en", "One, amended");
        assert_ne!(Snapshot::of(&p, &a, &[]).hash(), Snapshot::of(&p, &b, &[]).hash());
    }

    #[test]
    fn comparison_lists_added_removed_and_changed() {
        let p = plan();
        let old = Snapshot::of(&p, &[item(1, "One", m()), item(2, "Two", m())], &[]);
        let mut p2 = p.clone();
        p2.title = Text::new("en", "IPAP 2");
        let mut one = item(1, "One, amended", m());
        one.weight = 3;
        let link = ItemLink {
            id: crate::LinkId(Uuid::nil()),
            from: one.id,
            to: ItemId(Uuid::from_u128(3)),
            kind: LinkKind::Implements,
            version: 1,
            created_at: now(),
        };
        let new = Snapshot::of(&p2, &[one, item(3, "Three", m())], &[link]);
        let c = compare(&old, &new);
        assert_eq!(c.plan.len(), 1);
        assert_eq!(c.plan[0].field, "title");
        assert_eq!(c.added.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), vec!["3"]);
        assert_eq!(c.removed.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), vec!["2"]);
        assert_eq!(c.changed.len(), 1);
        let fields: Vec<&str> = c.changed[0].changes.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["title", "weight"]);
        assert_eq!(c.links_added.len(), 1);
        assert!(compare(&new, &new).is_empty());
    }

    #[test]
    fn readers_see_only_what_they_may() {
        let p = plan();
        let secret = Marking::new(Level::NatoSecret, &[], "NATO");
        let items = [item(1, "Open", m()), item(2, "Hidden", secret)];
        let link = ItemLink { id: crate::LinkId(Uuid::nil()), from: items[0].id, to: items[1].id, kind: LinkKind::Supports, version: 1, created_at: now() };
        let s = Snapshot::of(&p, &items, &[link]).visible_to(|mk| mk.level.rank() <= 2);
        assert_eq!(s.items.len(), 1);
        assert!(s.links.is_empty(), "a link to a hidden item would reveal it");
    }

    #[test]
    fn word_diff_highlights_changes() {
        let d = diff_words("Improve the defence planning system", "Improve the national defence planning process");
        assert_eq!(
            d,
            vec![
                Chunk::Same("Improve the ".into()),
                Chunk::Added("national ".into()),
                Chunk::Same("defence planning ".into()),
                Chunk::Removed("system".into()),
                Chunk::Added("process".into()),
            ]
        );
        assert_eq!(diff_words("", "new"), vec![Chunk::Added("new".into())]);
        assert_eq!(diff_words("same", "same"), vec![Chunk::Same("same".into())]);
        assert_eq!(diff_words("Реформа одбране", "Реформа"), vec![Chunk::Same("Реформа".into()), Chunk::Removed(" одбране".into())]);
    }
}
