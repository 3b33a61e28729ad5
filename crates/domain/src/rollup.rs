//! Roll-ups: how far an objective, a chapter, an area or the whole plan has come, computed
//! from what the reader may see.
//!
//! * A leaf's progress is the percent of its latest approved progress update; without one,
//!   100 for a completed item, 50 for a partially completed one and 0 otherwise.
//! * A parent's progress is the weighted mean of its counted children (weight 0, cancelled
//!   and carried-over items are not counted); a parent without counted children is a leaf.
//! * The plan's progress is the weighted mean of its counted roots.
//!
//! Everything takes only the records the reader may see, so a hidden item changes no total:
//! the roll-up of a tree with a hidden subtree is exactly the roll-up of the tree without it.

use crate::indicator::{Indicator, Measure, Standing, Value, standing};
use crate::item::{GenderMarker, Item, ItemStatus};
use crate::{IndicatorId, ItemId};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Whether an item counts in its parent's progress.
pub fn counted(item: &Item) -> bool {
    item.weight > 0 && !matches!(item.status, ItemStatus::Cancelled | ItemStatus::CarriedOver)
}

/// A leaf's own progress.
pub fn own_progress(item: &Item, approved: Option<u8>) -> f64 {
    match approved {
        Some(p) => f64::from(p.min(100)),
        None => match item.status {
            ItemStatus::Completed => 100.0,
            ItemStatus::PartiallyCompleted => 50.0,
            _ => 0.0,
        },
    }
}

/// Progress (0–100) of every item and of the plan. `items` are the visible items of one plan
/// (in any order); `approved` the percent of each item's latest approved, visible update.
pub fn progress(items: &[Item], approved: &HashMap<ItemId, u8>) -> (HashMap<ItemId, f64>, Option<f64>) {
    let mut children: HashMap<Option<ItemId>, Vec<&Item>> = HashMap::new();
    let ids: std::collections::HashSet<ItemId> = items.iter().map(|i| i.id).collect();
    for i in items {
        // A visible item whose parent is hidden is treated as a root of what the reader sees.
        let parent = i.parent.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(i);
    }
    let mut out = HashMap::with_capacity(items.len());
    // Deepest first, so that children are known before their parent.
    let mut order: Vec<&Item> = items.iter().collect();
    order.sort_by_key(|i| std::cmp::Reverse(i.depth));
    for i in order {
        let kids = children.get(&Some(i.id)).map(Vec::as_slice).unwrap_or(&[]);
        let v = weighted(kids, &out).unwrap_or_else(|| own_progress(i, approved.get(&i.id).copied()));
        out.insert(i.id, v);
    }
    let roots = children.get(&None).map(Vec::as_slice).unwrap_or(&[]);
    let overall = weighted(roots, &out);
    (out, overall)
}

fn weighted(kids: &[&Item], known: &HashMap<ItemId, f64>) -> Option<f64> {
    let (mut sum, mut w) = (0.0, 0.0);
    for k in kids.iter().filter(|k| counted(k)) {
        let p = known.get(&k.id).copied().unwrap_or(0.0);
        sum += f64::from(k.weight) * p;
        w += f64::from(k.weight);
    }
    (w > 0.0).then(|| sum / w)
}

/// Progress per area: the weighted mean over the top-most items tagged with the area (an item
/// whose ancestor carries the same area is already inside that ancestor's progress).
pub fn progress_by_area(items: &[Item], progress: &HashMap<ItemId, f64>) -> BTreeMap<String, f64> {
    let by_id: HashMap<ItemId, &Item> = items.iter().map(|i| (i.id, i)).collect();
    let mut acc: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for i in items.iter().filter(|i| counted(i)) {
        for a in &i.areas {
            let mut up = i.parent.and_then(|p| by_id.get(&p));
            let mut covered = false;
            while let Some(anc) = up {
                if anc.areas.contains(a) {
                    covered = true;
                    break;
                }
                up = anc.parent.and_then(|p| by_id.get(&p));
            }
            if !covered {
                let e = acc.entry(a.clone()).or_insert((0.0, 0.0));
                e.0 += f64::from(i.weight) * progress.get(&i.id).copied().unwrap_or(0.0);
                e.1 += f64::from(i.weight);
            }
        }
    }
    acc.into_iter().filter(|(_, (_, w))| *w > 0.0).map(|(a, (s, w))| (a, s / w)).collect()
}

/// Where one indicator stands at the summary's period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorStanding {
    pub indicator: IndicatorId,
    pub item: ItemId,
    pub measure: Measure,
    pub cumulative: bool,
    pub unit: String,
    #[serde(flatten)]
    pub standing: Standing,
}

/// The indicators' achievement at a period, taken together.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Achievement {
    /// Indicators the reader may see.
    pub indicators: u64,
    /// Of those, numeric ones with a target for the period.
    pub with_target: u64,
    /// Of those, at or above their target.
    pub met: u64,
    /// Mean achievement (actual ÷ target × 100, each capped at 100) of those with a target.
    pub mean_achievement: Option<f64>,
}

/// The target that applies at `period`: the period's own; for a cumulative indicator without
/// one, the latest earlier target (a total to date still holds).
pub fn target_as_of(ind: &Indicator, periods: &[String], period: &str) -> Option<f64> {
    if let Some(t) = ind.target_for(period) {
        return Some(t.value);
    }
    if !ind.cumulative {
        return None;
    }
    let upto = periods.iter().position(|p| p == period)?;
    periods[..upto].iter().rev().find_map(|p| ind.target_for(p)).map(|t| t.value)
}

/// Each indicator's standing at `period` and the totals. `measurements` are by indicator.
pub fn achievement<M: AsRef<Vec<(String, Value)>>>(
    indicators: &[Indicator],
    measurements: &HashMap<IndicatorId, M>,
    periods: &[String],
    period: &str,
) -> (Vec<IndicatorStanding>, Achievement) {
    let mut list = Vec::with_capacity(indicators.len());
    let mut a = Achievement { indicators: indicators.len() as u64, ..Default::default() };
    let mut sum = 0.0;
    for ind in indicators {
        let ms: Vec<(&str, &Value)> = measurements.get(&ind.id).map(|v| v.as_ref().iter().map(|(p, v)| (p.as_str(), v)).collect()).unwrap_or_default();
        let mut s = standing(ind, &ms, periods, period);
        if s.target.is_none() && ind.measure != Measure::Qualitative {
            s.target = target_as_of(ind, periods, period);
            s.achievement = match (s.actual, s.target) {
                (Some(x), Some(t)) if t > 0.0 => Some(x / t * 100.0),
                _ => None,
            };
        }
        if let Some(t) = s.target {
            a.with_target += 1;
            let ach = match s.actual {
                Some(x) if t > 0.0 => x / t * 100.0,
                Some(_) => 100.0,
                None => 0.0,
            };
            if ach >= 100.0 - 1e-9 {
                a.met += 1;
            }
            sum += ach.min(100.0);
        }
        list.push(IndicatorStanding {
            indicator: ind.id,
            item: ind.item,
            measure: ind.measure,
            cumulative: ind.cumulative,
            unit: ind.unit.clone(),
            standing: s,
        });
    }
    if a.with_target > 0 {
        a.mean_achievement = Some(sum / a.with_target as f64);
    }
    (list, a)
}

/// Gender figures: visible items by gender marker, and the sum by category of the numeric
/// indicators disaggregated by `sex` (people counted by their indicators at the period).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenderTotals {
    /// `0`, `1`, `2` → number of items.
    pub items_by_marker: BTreeMap<String, u64>,
    /// e.g. `women`, `men` → total over the indicators measured by sex.
    pub by_sex: BTreeMap<String, f64>,
}

pub fn gender(items: &[Item], indicators: &[Indicator], standings: &[IndicatorStanding]) -> GenderTotals {
    let mut g = GenderTotals::default();
    for m in [GenderMarker::NotTargeted, GenderMarker::Significant, GenderMarker::Principal] {
        g.items_by_marker.insert(u8::from(m).to_string(), items.iter().filter(|i| i.gender_marker == m).count() as u64);
    }
    for (ind, s) in indicators.iter().zip(standings) {
        let by_sex = ind.dimension.as_ref().is_some_and(|d| d.key == "sex");
        if by_sex && ind.measure == Measure::Number {
            for (c, v) in &s.standing.by_category {
                *g.by_sex.entry(c.clone()).or_insert(0.0) += v;
            }
        }
    }
    g
}

/// Items by status and by area, and the overdue ones (in the order given).
pub fn counts(items: &[Item], today: NaiveDate) -> (BTreeMap<String, u64>, BTreeMap<String, u64>, Vec<ItemId>) {
    let mut by_status = BTreeMap::new();
    let mut by_area = BTreeMap::new();
    let mut overdue = Vec::new();
    for i in items {
        *by_status.entry(i.status.code().to_string()).or_insert(0) += 1;
        for a in &i.areas {
            *by_area.entry(a.clone()).or_insert(0) += 1;
        }
        if i.is_overdue(today) {
            overdue.push(i.id);
        }
    }
    (by_status, by_area, overdue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::due::Due;
    use crate::indicator::{Dimension, Target};
    use crate::marking::{Level, Marking};
    use crate::{PlanId, due::Quarter};
    use proptest::prelude::*;
    use uuid::Uuid;

    fn id(n: u128) -> ItemId {
        ItemId(Uuid::from_u128(n))
    }

    fn item(n: u128, parent: Option<u128>, depth: u8, weight: u32, status: ItemStatus) -> Item {
        Item {
            id: id(n),
            plan: PlanId(Uuid::nil()),
            parent: parent.map(id),
            level: "x".into(),
            depth,
            code: n.to_string(),
            title: crate::text::Text::new("en", "x"),
            description: Default::default(),
            areas: vec![],
            lead_organisation: None,
            contributing_organisations: vec![],
            start: None,
            due: None,
            status,
            weight,
            gender_marker: GenderMarker::NotTargeted,
            marking: Marking::new(Level::NatoUnclassified, &[], "NATO"),
            position: 0,
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn weighted_means_up_the_tree() {
        use ItemStatus::*;
        let items = vec![
            item(1, None, 0, 1, InProgress),
            item(2, Some(1), 1, 3, InProgress),
            item(3, Some(1), 1, 1, Completed),
            item(4, Some(1), 1, 5, Cancelled),
            item(5, Some(1), 1, 0, InProgress),
            item(6, None, 0, 1, Planned),
        ];
        let approved: HashMap<ItemId, u8> = [(id(2), 40), (id(5), 100), (id(4), 100)].into();
        let (p, overall) = progress(&items, &approved);
        assert_eq!(p[&id(2)], 40.0);
        assert_eq!(p[&id(3)], 100.0, "completed without an update");
        assert_eq!(p[&id(1)], (3.0 * 40.0 + 100.0) / 4.0, "cancelled and weight-0 children are not counted");
        assert_eq!(p[&id(6)], 0.0);
        assert_eq!(overall, Some((55.0 + 0.0) / 2.0));
        let (_, none) = progress(&[], &HashMap::new());
        assert_eq!(none, None, "an empty plan has no progress, not 0 %");
    }

    #[test]
    fn areas_count_the_top_most_tagged_item_once() {
        let mut a = item(1, None, 0, 1, ItemStatus::InProgress);
        a.areas = vec!["cyber".into()];
        let mut b = item(2, Some(1), 1, 1, ItemStatus::Completed);
        b.areas = vec!["cyber".into(), "logistics".into()];
        let mut c = item(3, Some(1), 1, 1, ItemStatus::Planned);
        c.areas = vec!["cyber".into()];
        let items = vec![a, b, c];
        let (p, _) = progress(&items, &HashMap::new());
        let by = progress_by_area(&items, &p);
        assert_eq!(by["cyber"], 50.0, "the objective's 50 %, not the mean of 50, 100 and 0");
        assert_eq!(by["logistics"], 100.0);
    }

    #[test]
    fn counts_and_overdue() {
        let mut a = item(1, None, 0, 1, ItemStatus::InProgress);
        a.due = Some(Due::Quarter(Quarter { year: 2015, q: 3 }));
        a.areas = vec!["cyber".into()];
        let mut b = item(2, None, 0, 1, ItemStatus::Completed);
        b.due = a.due;
        let (s, ar, late) = counts(&[a, b], "2015-10-01".parse().unwrap());
        assert_eq!(s["in_progress"], 1);
        assert_eq!(s["completed"], 1);
        assert_eq!(ar["cyber"], 1);
        assert_eq!(late, vec![id(1)], "a completed item is never overdue");
    }

    fn indicator(cumulative: bool, targets: &[(&str, f64)]) -> Indicator {
        Indicator {
            id: IndicatorId(Uuid::from_u128(7)),
            plan: PlanId(Uuid::nil()),
            item: id(1),
            name: crate::text::Text::new("en", "Officers trained"),
            unit: "officers".into(),
            measure: Measure::Number,
            cumulative,
            baseline: None,
            targets: targets.iter().map(|(p, v)| Target { period: (*p).into(), value: *v, by_category: BTreeMap::new() }).collect(),
            dimension: Some(Dimension { key: "sex".into(), categories: vec!["women".into(), "men".into()] }),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn achievement_uses_the_target_in_force() {
        let periods: Vec<String> = ["2015-Q1", "2015-Q2", "2015-Q3"].iter().map(|s| s.to_string()).collect();
        let split = |w: f64, m: f64| Value { value: None, denominator: None, text: None, by_category: [("women".into(), w), ("men".into(), m)].into() };
        let ind = indicator(true, &[("2015-Q2", 40.0)]);
        let ms: HashMap<IndicatorId, Vec<(String, Value)>> =
            [(ind.id, vec![("2015-Q1".into(), split(10.0, 20.0)), ("2015-Q3".into(), split(5.0, 5.0))])].into();
        let (list, a) = achievement(std::slice::from_ref(&ind), &ms, &periods, "2015-Q3");
        assert_eq!(list[0].standing.actual, Some(40.0));
        assert_eq!(list[0].standing.target, Some(40.0), "the Q2 total to date still holds in Q3");
        assert_eq!((a.with_target, a.met, a.mean_achievement), (1, 1, Some(100.0)));
        let per_period = indicator(false, &[("2015-Q2", 40.0)]);
        assert_eq!(target_as_of(&per_period, &periods, "2015-Q3"), None, "a per-period target stays in its period");
        let g = gender(&[item(1, None, 0, 1, ItemStatus::Planned)], &[ind], &list);
        assert_eq!(g.by_sex["women"], 15.0);
        assert_eq!(g.by_sex["men"], 25.0);
        assert_eq!(g.items_by_marker["0"], 1);
        let (_, none) = achievement(&[indicator(true, &[("2015-Q3", 10.0)])], &HashMap::<IndicatorId, Vec<(String, Value)>>::new(), &periods, "2015-Q3");
        assert_eq!((none.with_target, none.met, none.mean_achievement), (1, 0, Some(0.0)), "nothing measured is 0 %, not missing");
    }

    /// A random tree: each node's parent is an earlier node or none.
    fn tree() -> impl Strategy<Value = (Vec<Item>, HashMap<ItemId, u8>)> {
        proptest::collection::vec((any::<prop::sample::Index>(), any::<bool>(), 0u32..5, 0usize..8, proptest::option::of(0u8..=100)), 1..30).prop_map(|spec| {
            let statuses = ItemStatus::ALL;
            let mut items: Vec<Item> = Vec::new();
            let mut approved = HashMap::new();
            for (n, (pidx, root, w, s, pct)) in spec.into_iter().enumerate() {
                let n = n as u128 + 1;
                let parent = if root || items.is_empty() { None } else { Some(&items[pidx.index(items.len())]) };
                let (pid, depth) = parent.map(|p| (Some(p.id.0.as_u128()), p.depth + 1)).unwrap_or((None, 0));
                items.push(item(n, pid, depth, w, statuses[s]));
                if let Some(p) = pct {
                    approved.insert(id(n), p);
                }
            }
            (items, approved)
        })
    }

    fn subtree(items: &[Item], root: ItemId) -> std::collections::HashSet<ItemId> {
        let mut set: std::collections::HashSet<ItemId> = [root].into();
        for i in items {
            // Items come parents first, so one pass finds every descendant.
            if i.parent.is_some_and(|p| set.contains(&p)) {
                set.insert(i.id);
            }
        }
        set
    }

    proptest! {
        /// Every progress lies in 0–100, and a parent's lies between its counted children's.
        #[test]
        fn parents_lie_between_their_children((items, approved) in tree()) {
            let (p, overall) = progress(&items, &approved);
            for i in &items {
                let v = p[&i.id];
                prop_assert!((0.0..=100.0).contains(&v));
                let kids: Vec<f64> = items.iter().filter(|k| k.parent == Some(i.id) && counted(k)).map(|k| p[&k.id]).collect();
                if kids.is_empty() {
                    prop_assert_eq!(v, own_progress(i, approved.get(&i.id).copied()), "a parent without counted children is a leaf");
                } else {
                    let lo = kids.iter().cloned().fold(f64::MAX, f64::min);
                    let hi = kids.iter().cloned().fold(f64::MIN, f64::max);
                    prop_assert!(v >= lo - 1e-9 && v <= hi + 1e-9);
                }
            }
            if let Some(o) = overall {
                prop_assert!((0.0..=100.0).contains(&o));
            }
        }

        /// Scaling every weight by the same factor changes nothing.
        #[test]
        fn only_relative_weights_matter((items, approved) in tree(), k in 2u32..7) {
            let scaled: Vec<Item> = items.iter().cloned().map(|mut i| { i.weight *= k; i }).collect();
            let (a, oa) = progress(&items, &approved);
            let (b, ob) = progress(&scaled, &approved);
            for i in &items {
                prop_assert!((a[&i.id] - b[&i.id]).abs() < 1e-9);
            }
            prop_assert_eq!(oa.map(|x| (x * 1e6).round()), ob.map(|x| (x * 1e6).round()));
        }

        /// With a subtree hidden, approvals of the hidden items (which a careless caller might
        /// pass along) change nothing, and the counts add up to the visible items only.
        #[test]
        fn hidden_subtrees_leave_no_trace((items, approved) in tree(), pick in any::<prop::sample::Index>()) {
            let hidden = subtree(&items, items[pick.index(items.len())].id);
            let visible: Vec<Item> = items.iter().filter(|i| !hidden.contains(&i.id)).cloned().collect();
            // The same visible items with the hidden approvals dropped as well.
            let visible_approved: HashMap<ItemId, u8> = approved.iter().filter(|(k, _)| !hidden.contains(k)).map(|(k, v)| (*k, *v)).collect();
            let (a, oa) = progress(&visible, &approved);
            let (b, ob) = progress(&visible, &visible_approved);
            prop_assert_eq!(oa, ob);
            for i in &visible {
                prop_assert_eq!(a[&i.id], b[&i.id]);
            }
            let (s, _, _) = counts(&visible, "2015-01-01".parse().unwrap());
            prop_assert_eq!(s.values().sum::<u64>(), visible.len() as u64);
        }
    }
}
