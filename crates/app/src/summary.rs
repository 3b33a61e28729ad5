//! The implementation summary of a plan: progress rolled up the tree, items by status and area,
//! overdue items, indicators against their targets, gender figures, progress and reported status
//! over time, and the latest assessment of each perspective.
//!
//! Everything is computed from what the reader may see — items, updates, indicators,
//! assessments — so two readers with different access get different totals, and a total never
//! counts a record its reader cannot see.

use crate::items::ItemRef;
use crate::{App, AppError, Ctx, Result};
use chrono::NaiveDate;
use liaison_domain::assessment::Perspective;
use liaison_domain::calendar::ReportingPeriod;
use liaison_domain::due::Due;
use liaison_domain::indicator::Value;
use liaison_domain::item::{Item, ItemStatus};
use liaison_domain::progress::UpdateState;
use liaison_domain::rollup::{self, Achievement, GenderTotals, IndicatorStanding};
use liaison_domain::{IndicatorId, ItemId, PlanId};
use liaison_store::{indicators, progress};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progressed {
    pub item: ItemRef,
    pub progress: f64,
    pub status: ItemStatus,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overdue {
    pub item: ItemRef,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: Due,
    pub status: ItemStatus,
    pub lead_organisation: Option<liaison_domain::OrganisationId>,
}

/// One period of the history: overall progress, and items by the status last reported.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodPoint {
    pub period: String,
    pub ends: NaiveDate,
    pub progress: Option<f64>,
    /// Leaf items by the status of their latest approved report up to the period
    /// (`not_reported` when there is none yet).
    pub reported_status: BTreeMap<String, u64>,
}

/// The latest assessment of one perspective, summed up.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatestAssessment {
    pub id: liaison_domain::AssessmentId,
    pub perspective: Perspective,
    pub period: String,
    pub scale: liaison_domain::assessment::Scale,
    pub state: liaison_domain::assessment::AssessmentState,
    /// Rating → number of visible items with it.
    pub ratings: BTreeMap<String, u64>,
    pub narrative: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub plan: PlanId,
    /// The day the summary is computed for (overdue items, the current period).
    pub as_of: NaiveDate,
    /// The reporting period the figures stand at.
    pub period: Option<String>,
    /// Items the reader may see.
    pub items: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_area: BTreeMap<String, u64>,
    /// Weighted progress of the whole plan, 0–100 (`null` for a plan without counted items).
    pub progress: Option<f64>,
    pub progress_by_area: BTreeMap<String, f64>,
    /// The top level of the tree (chapters, areas) with their progress.
    pub progress_by_root: Vec<Progressed>,
    pub overdue_count: u64,
    pub overdue: Vec<Overdue>,
    pub indicators: Achievement,
    pub indicator_standings: Vec<IndicatorStanding>,
    pub gender: GenderTotals,
    pub over_time: Vec<PeriodPoint>,
    pub latest_assessments: Vec<LatestAssessment>,
    /// Progress per visible item (for trees and reports).
    #[serde(skip)]
    pub progress_of: HashMap<ItemId, f64>,
    #[serde(skip)]
    pub visible_items: Vec<Item>,
    #[serde(skip)]
    pub indicator_defs: Vec<liaison_domain::indicator::Indicator>,
    #[serde(skip)]
    pub periods: Vec<ReportingPeriod>,
    /// The visible indicators' measured values, by indicator.
    #[serde(skip)]
    pub measured: Measured,
}

/// Measured values by indicator: (period, value) pairs.
pub type Measured = HashMap<IndicatorId, Arc<Vec<(String, Value)>>>;

impl Summary {
    /// An indicator's standing at every period up to the summary's that has a target or a
    /// measurement (for its chart).
    pub fn series(&self, id: IndicatorId) -> Vec<liaison_domain::indicator::Standing> {
        let Some(def) = self.indicator_defs.iter().find(|d| d.id == id) else { return Vec::new() };
        let keys: Vec<String> = self.periods.iter().map(|p| p.key.clone()).collect();
        let upto = self.period.as_ref().and_then(|k| keys.iter().position(|x| x == k)).unwrap_or(0);
        let ms: Vec<(&str, &Value)> = self.measured.get(&id).map(|v| v.iter().map(|(p, v)| (p.as_str(), v)).collect()).unwrap_or_default();
        keys[..keys.len().min(upto + 1)]
            .iter()
            .filter(|p| def.target_for(p).is_some() || ms.iter().any(|(q, _)| q == p))
            .map(|p| liaison_domain::indicator::standing(def, &ms, &keys, p))
            .collect()
    }
}

/// The period the figures stand at on `today`: the latest one that has started (or the first).
pub fn current_period(periods: &[ReportingPeriod], today: NaiveDate) -> Option<&ReportingPeriod> {
    periods.iter().rev().find(|p| p.starts <= today).or(periods.first())
}

/// The summary of a plan for the actor, at `period` (default: the current one). Cached per
/// access filter until the next write.
pub async fn summary(app: &App, ctx: &Ctx, plan_id: PlanId, period: Option<&str>) -> Result<Arc<Summary>> {
    let plan = crate::plans::visible(app, ctx, plan_id).await?;
    let periods = crate::calendar::ensure(app, &app.read(ctx), &plan).await?;
    let today = app.now().date_naive();
    let at = match period {
        Some(k) => {
            Some(periods.iter().find(|p| p.key == k).ok_or_else(|| AppError::Invalid(liaison_domain::ValidationErrors::coded("period", "unknown", &[])))?)
        }
        None => current_period(&periods, today),
    };
    let filter = ctx.actor.filter();
    // Keyed on the plan's latest change (not on every write anywhere): a write elsewhere
    // leaves this summary cached, and any change to the plan's records makes a new one.
    // (System work: the key must move with a change of any record of the plan, hidden ones too.)
    let last_change = liaison_store::changes::last_of_plan(&app.unfiltered(), plan_id).await?;
    let key = format!("{plan_id}|{}|{:?}|{today}", ctx.actor.filter_key(), at.map(|p| &p.key));
    if let Some(s) = app.caches.summaries.get(last_change, &key) {
        return Ok(s);
    }
    // A period's figures stand at its end; the current period's at today.
    let as_of = match (period, at) {
        (Some(_), Some(p)) => p.ends.min(today.max(p.starts)),
        _ => today,
    };
    let data_key = format!("{plan_id}|{}", ctx.actor.filter_key());
    let c = &app.read_with(filter);
    let visible = crate::items::visible_cached(app, ctx, plan_id).await?.to_vec();
    let ids: HashSet<ItemId> = visible.iter().map(|i| i.id).collect();
    let keys: Vec<String> = periods.iter().map(|p| p.key.clone()).collect();
    let updates: Vec<_> = progress::of_plan(c, plan_id, None).await?.into_iter().filter(|u| ids.contains(&u.item)).collect();
    let at_key = at.map(|p| p.key.as_str());
    let approved: HashMap<ItemId, u8> = crate::reporting::latest_approved(&updates, &keys, at_key).into_iter().map(|(k, (_, p))| (k, p)).collect();
    let (progress_of, overall) = rollup::progress(&visible, &approved);
    let (by_status, by_area, overdue_ids) = rollup::counts(&visible, as_of);
    let by_id: HashMap<ItemId, &Item> = visible.iter().map(|i| (i.id, i)).collect();
    let progress_by_root = visible
        .iter()
        .filter(|i| i.parent.is_none_or(|p| !ids.contains(&p)))
        .map(|i| Progressed { item: ItemRef::of(&plan, i), progress: progress_of.get(&i.id).copied().unwrap_or(0.0), status: i.status })
        .collect();
    let overdue: Vec<Overdue> = overdue_ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .filter_map(|i| i.due.map(|d| Overdue { item: ItemRef::of(&plan, i), due: d, status: i.status, lead_organisation: i.lead_organisation }))
        .collect();
    // Indicators belong to their items: those of visible items only.
    let all_defs = plan_data(app, &app.caches.plan_indicators, plan_id, &data_key, last_change, &["indicator"], || indicators::of_plan(c, plan_id)).await?;
    let defs: Vec<_> = all_defs.iter().filter(|i| ids.contains(&i.item)).cloned().collect();
    let def_ids: HashSet<IndicatorId> = defs.iter().map(|d| d.id).collect();
    let values = plan_data(app, &app.caches.plan_measurements, plan_id, &data_key, last_change, &["indicator", "measurement"], || async {
        let mut by: HashMap<IndicatorId, Vec<(String, Value)>> = HashMap::new();
        for (ind, period, value) in indicators::values_of_plan(c, plan_id).await? {
            by.entry(ind).or_default().push((period, value));
        }
        Ok(by.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    })
    .await?;
    // Only the visible indicators' values go into the summary.
    let measured: Measured = values.iter().filter(|(k, _)| def_ids.contains(k)).map(|(k, v)| (*k, v.clone())).collect();
    let (standings, achievement) = match at_key {
        Some(k) => rollup::achievement(&defs, &measured, &keys, k),
        None => (Vec::new(), Achievement { indicators: defs.len() as u64, ..Default::default() }),
    };
    let gender = rollup::gender(&visible, &defs, &standings);
    let over_time = history(&visible, &updates, &periods, &keys, at_key, overall);
    let latest_assessments = latest_assessments(app, ctx, plan_id, &keys, &ids).await?;
    let s = Arc::new(Summary {
        plan: plan_id,
        as_of,
        period: at.map(|p| p.key.clone()),
        items: visible.len() as u64,
        by_status,
        by_area,
        progress: overall,
        progress_by_area: rollup::progress_by_area(&visible, &progress_of),
        progress_by_root,
        overdue_count: overdue.len() as u64,
        overdue,
        indicators: achievement,
        indicator_standings: standings,
        gender,
        over_time,
        latest_assessments,
        progress_of,
        visible_items: visible,
        indicator_defs: defs,
        periods,
        measured,
    });
    app.caches.summaries.put(last_change, key, s.clone());
    Ok(s)
}

/// A plan's rarely changing data from the cache, unless a record of one of `kinds` of the plan
/// has changed since it was read (then read again).
async fn plan_data<T, F, Fut>(
    app: &App,
    cache: &crate::cache::PlanData<T>,
    plan: PlanId,
    key: &str,
    last_change: i64,
    kinds: &[&str],
    load: F,
) -> Result<Arc<T>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, liaison_store::StoreError>>,
{
    if let Some((seq, value)) = cache.get(key) {
        if seq == last_change {
            return Ok(value);
        }
        let changed = liaison_store::changes::entities_of_plan_since(&app.unfiltered(), plan, seq).await?;
        if !changed.iter().any(|e| kinds.contains(&e.as_str())) {
            cache.put(key, last_change, value.clone());
            return Ok(value);
        }
    }
    let value = Arc::new(load().await?);
    cache.put(key, last_change, value.clone());
    Ok(value)
}

/// Progress and reported status per period up to `upto`. Before an item's first approved
/// report it counts as not started; the last point is the summary's own figure.
fn history(
    visible: &[Item],
    updates: &[liaison_domain::progress::ProgressUpdate],
    periods: &[ReportingPeriod],
    keys: &[String],
    upto: Option<&str>,
    headline: Option<f64>,
) -> Vec<PeriodPoint> {
    let Some(last) = upto.and_then(|u| keys.iter().position(|k| k == u)) else { return Vec::new() };
    let parents: HashSet<ItemId> = visible.iter().filter_map(|i| i.parent).collect();
    let leaves: Vec<&Item> = visible.iter().filter(|i| !parents.contains(&i.id)).collect();
    let as_planned: Vec<Item> = visible
        .iter()
        .cloned()
        .map(|mut i| {
            i.status = ItemStatus::Planned;
            i
        })
        .collect();
    // Each item's approved reports as (period index, percent, status), in period order.
    let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut approved_of: HashMap<ItemId, Vec<(usize, u8, ItemStatus)>> = HashMap::new();
    for u in updates.iter().filter(|u| u.state == UpdateState::Approved) {
        if let Some(i) = index.get(u.period.as_str()) {
            approved_of.entry(u.item).or_default().push((*i, u.percent, u.status));
        }
    }
    for v in approved_of.values_mut() {
        v.sort_by_key(|x| x.0);
    }
    let latest_upto = |item: ItemId, n: usize| approved_of.get(&item).and_then(|v| v.iter().rev().find(|x| x.0 <= n)).copied();
    let mut out = Vec::new();
    for (n, p) in periods.iter().enumerate().take(last + 1) {
        let progress = if n == last {
            headline
        } else {
            let approved: HashMap<ItemId, u8> = approved_of.keys().filter_map(|i| latest_upto(*i, n).map(|x| (*i, x.1))).collect();
            rollup::progress(&as_planned, &approved).1
        };
        let mut reported_status: BTreeMap<String, u64> = BTreeMap::new();
        for leaf in &leaves {
            let code = latest_upto(leaf.id, n).map(|x| x.2.code()).unwrap_or("not_reported");
            *reported_status.entry(code.to_string()).or_insert(0) += 1;
        }
        out.push(PeriodPoint { period: p.key.clone(), ends: p.ends, progress, reported_status });
    }
    out
}

async fn latest_assessments(app: &App, ctx: &Ctx, plan: PlanId, keys: &[String], items: &HashSet<ItemId>) -> Result<Vec<LatestAssessment>> {
    let all = liaison_store::assessments::of_plan(&app.read(ctx), plan, None).await?;
    let mut out = Vec::new();
    for p in Perspective::ALL {
        let latest = all.iter().filter(|a| a.perspective == p).max_by_key(|a| keys.iter().position(|k| *k == a.period));
        if let Some(a) = latest {
            let mut ratings = BTreeMap::new();
            for r in a.ratings.iter().filter(|r| items.contains(&r.item)) {
                *ratings.entry(r.rating.clone()).or_insert(0) += 1;
            }
            out.push(LatestAssessment {
                id: a.id,
                perspective: p,
                period: a.period.clone(),
                scale: a.scale,
                state: a.state,
                ratings,
                narrative: a.narrative.clone(),
            });
        }
    }
    Ok(out)
}
