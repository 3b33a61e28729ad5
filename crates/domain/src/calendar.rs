//! The reporting calendar of a plan: periods (quarters by default, or custom dates), when
//! reports for each are due, and who has not reported.
//!
//! A period runs from `starts` to `ends`; reports on it are expected from `ends` and are due
//! by `due` (by default 15 days after the period ends). A locked period takes no more
//! reports or measurements until a coordinator unlocks it, with a reason.

use crate::due::Quarter;
use crate::item::ItemStatus;
use crate::plan::Period;
use crate::validation::{Problems, ValidationErrors};
use crate::{ItemId, OrganisationId, PeriodId, PlanId, Timestamp};
use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days between the end of a period and the day its reports are due, unless set otherwise.
pub const DEFAULT_GRACE_DAYS: i64 = 15;
/// Days before the due date when reporters are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 7;
/// Days after the due date during which late reports are still chased (older ones are left to
/// the "who has not reported" view, not to the inbox).
pub const REMIND_DAYS_LATE: i64 = 30;
/// Most periods one plan may have.
pub const MAX_PERIODS: usize = 400;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportingPeriod {
    pub id: PeriodId,
    pub plan: PlanId,
    /// Unique within the plan, e.g. `2015-Q3` or `2016-H1`.
    pub key: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub due: NaiveDate,
    pub locked: bool,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to add a custom period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPeriod {
    pub key: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// Defaults to 15 days after `ends`.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// Input to change a period's due date, or to lock or unlock it (unlocking needs a reason).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodPatch {
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub locked: Option<bool>,
    /// Why a locked period is opened again (required to unlock; kept in the audit trail).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Where a period stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    /// Not begun.
    Upcoming,
    /// Under way.
    Running,
    /// Over; reports are being written and are not late yet.
    Reporting,
    /// Reports are late.
    Overdue,
}

impl ReportingPeriod {
    pub fn phase(&self, today: NaiveDate) -> Phase {
        if today < self.starts {
            Phase::Upcoming
        } else if today <= self.ends {
            Phase::Running
        } else if today <= self.due {
            Phase::Reporting
        } else {
            Phase::Overdue
        }
    }

    /// Whether reporters should be reminded on `today`: from a week before the due date to a
    /// month after it (and never before the period has ended).
    pub fn remind(&self, today: NaiveDate) -> bool {
        today > self.ends && today + TimeDelta::days(REMIND_DAYS_BEFORE) >= self.due && today <= self.due + TimeDelta::days(REMIND_DAYS_LATE)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts <= day && day <= self.ends
    }
}

/// The quarters a plan's period touches, each due `grace_days` after it ends.
pub fn quarterly(period: Period, grace_days: i64) -> Vec<(String, NaiveDate, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut q = Quarter::of(period.start);
    while q.first_day() <= period.end && out.len() < MAX_PERIODS {
        let (s, e) = (q.first_day().max(period.start), q.last_day().min(period.end));
        out.push((q.to_string(), s, e, e + TimeDelta::days(grace_days)));
        q = q.next();
    }
    out
}

/// Check a custom period against the plan and its other periods.
pub fn check_period(input: &NewPeriod, plan: Period, others: &[ReportingPeriod]) -> Result<(), ValidationErrors> {
    let mut p = Problems::new();
    let key_ok = (1..=20).contains(&input.key.len())
        && input.key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && input.key.as_bytes()[0].is_ascii_alphanumeric();
    if !key_ok {
        p.add("key", "invalid", "1 to 20 letters, digits and hyphens, e.g. 2016-H1");
    } else if others.iter().any(|o| o.key == input.key) {
        p.add("key", "taken", "the plan already has a period with this key");
    }
    if input.ends < input.starts {
        p.add("ends", "before_start", "must not be before the start");
    } else {
        if input.ends < plan.start || input.starts > plan.end {
            p.add("starts", "outside_plan", format!("must overlap the plan's period ({} to {})", plan.start, plan.end));
        }
        if let Some(o) = others.iter().find(|o| o.starts <= input.ends && input.starts <= o.ends) {
            p.add("starts", "overlap", format!("overlaps period {} ({} to {})", o.key, o.starts, o.ends));
        }
    }
    if let Some(due) = input.due
        && due < input.ends
    {
        p.add("due", "before_end", "reports cannot be due before the period ends");
    }
    if others.len() >= MAX_PERIODS {
        p.add("key", "too_many", format!("a plan has at most {MAX_PERIODS} periods"));
    }
    p.finish()
}

/// Check a change of due date or lock.
pub fn check_patch(period: &ReportingPeriod, patch: &PeriodPatch) -> Result<(), ValidationErrors> {
    let mut p = Problems::new();
    if let Some(due) = patch.due
        && due < period.ends
    {
        p.add("due", "before_end", "reports cannot be due before the period ends");
    }
    let unlocking = period.locked && patch.locked == Some(false);
    let reason = patch.reason.as_deref().map(str::trim).unwrap_or("");
    if unlocking && reason.is_empty() {
        p.add("reason", "required", "say why the locked period is opened again");
    }
    if reason.chars().count() > 500 {
        p.add("reason", "too_long", "must be at most 500 characters");
    }
    if patch.due.is_none() && patch.locked.is_none() {
        p.add("", "empty", "change the due date or the lock");
    }
    p.finish()
}

/// An item that owes reports: what the "who has not reported" view needs of it.
#[derive(Clone, Debug)]
pub struct Reportable {
    pub item: ItemId,
    pub lead: Option<OrganisationId>,
    pub status: ItemStatus,
    pub start: Option<NaiveDate>,
    /// Whether it has children (reports are owed on the leaves of the tree).
    pub has_children: bool,
}

impl Reportable {
    /// Whether a report on this item is owed for `period`: a leaf, not cancelled or carried
    /// over, and started by the end of the period.
    pub fn owes(&self, period: &ReportingPeriod) -> bool {
        !self.has_children && !matches!(self.status, ItemStatus::Cancelled | ItemStatus::CarriedOver) && self.start.is_none_or(|s| s <= period.ends)
    }
}

/// The items as the "who has not reported" views need them: each with whether it has children
/// among `items` (the items a reader may see of one plan).
pub fn reportables(items: &[crate::item::Item]) -> Vec<Reportable> {
    let parents: std::collections::HashSet<ItemId> = items.iter().filter_map(|i| i.parent).collect();
    items
        .iter()
        .map(|i| Reportable { item: i.id, lead: i.lead_organisation, status: i.status, start: i.start, has_children: parents.contains(&i.id) })
        .collect()
}

/// For one period: the items owing a report that have none submitted or approved, by lead
/// organisation (`None` for items without one). `reported` holds the items with a report.
pub fn missing_reports(
    items: &[Reportable],
    reported: &std::collections::HashSet<ItemId>,
    period: &ReportingPeriod,
) -> BTreeMap<Option<OrganisationId>, Vec<ItemId>> {
    let mut out: BTreeMap<Option<OrganisationId>, Vec<ItemId>> = BTreeMap::new();
    for r in items.iter().filter(|r| r.owes(period) && !reported.contains(&r.item)) {
        out.entry(r.lead).or_default().push(r.item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn period(key: &str, s: &str, e: &str, due: &str) -> ReportingPeriod {
        ReportingPeriod {
            id: PeriodId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            key: key.into(),
            starts: d(s),
            ends: d(e),
            due: d(due),
            locked: false,
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn quarters_cover_the_plan_and_are_clipped_to_it() {
        let q = quarterly(Period { start: d("2015-02-10"), end: d("2016-01-20") }, 15);
        let keys: Vec<&str> = q.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(keys, ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4", "2016-Q1"]);
        assert_eq!((q[0].1, q[0].2, q[0].3), (d("2015-02-10"), d("2015-03-31"), d("2015-04-15")));
        assert_eq!((q[4].1, q[4].2), (d("2016-01-01"), d("2016-01-20")));
        assert_eq!(q[3].3, d("2016-01-15"), "due across the year end");
    }

    #[test]
    fn phases_follow_the_injected_day() {
        let p = period("2015-Q3", "2015-07-01", "2015-09-30", "2015-10-15");
        assert_eq!(p.phase(d("2015-06-30")), Phase::Upcoming);
        assert_eq!(p.phase(d("2015-07-01")), Phase::Running);
        assert_eq!(p.phase(d("2015-09-30")), Phase::Running);
        assert_eq!(p.phase(d("2015-10-01")), Phase::Reporting);
        assert_eq!(p.phase(d("2015-10-15")), Phase::Reporting, "the due day itself is on time");
        assert_eq!(p.phase(d("2015-10-16")), Phase::Overdue);
        assert!(!p.remind(d("2015-09-30")), "not before the period ends");
        assert!(p.remind(d("2015-10-08")) && p.remind(d("2015-11-14")));
        assert!(!p.remind(d("2015-11-15")), "a month late, the inbox stops chasing");
        assert!(!p.remind(d("2015-10-07")), "eight days before is too early");
    }

    #[test]
    fn custom_periods_are_checked() {
        let plan = Period { start: d("2015-01-01"), end: d("2016-12-31") };
        let others = [period("2015-H1", "2015-01-01", "2015-06-30", "2015-07-15")];
        let np = |k: &str, s: &str, e: &str, due: Option<&str>| NewPeriod { key: k.into(), starts: d(s), ends: d(e), due: due.map(d) };
        assert!(check_period(&np("2015-H2", "2015-07-01", "2015-12-31", None), plan, &others).is_ok());
        let e = check_period(&np("2015-H1", "2015-06-01", "2015-05-01", Some("2015-04-01")), plan, &others).unwrap_err();
        assert!(e.has("key") && e.has("ends") && e.has("due"), "{e}");
        let e = check_period(&np("bad key", "2015-06-01", "2015-08-01", None), plan, &others).unwrap_err();
        assert!(e.has("key") && e.has("starts"), "invalid key and overlap: {e}");
        let e = check_period(&np("2030", "2030-01-01", "2030-06-30", None), plan, &others).unwrap_err();
        assert_eq!(e.0[0].code, "outside_plan");
    }

    #[test]
    fn unlocking_needs_a_reason() {
        let mut p = period("2015-Q3", "2015-07-01", "2015-09-30", "2015-10-15");
        p.locked = true;
        let e = check_patch(&p, &PeriodPatch { locked: Some(false), ..Default::default() }).unwrap_err();
        assert!(e.has("reason"));
        assert!(check_patch(&p, &PeriodPatch { locked: Some(false), reason: Some("late evidence from MoD".into()), ..Default::default() }).is_ok());
        assert!(check_patch(&p, &PeriodPatch { due: Some(d("2015-09-01")), ..Default::default() }).unwrap_err().has("due"));
        assert!(check_patch(&p, &PeriodPatch::default()).is_err());
    }

    #[test]
    fn who_has_not_reported() {
        let p = period("2015-Q3", "2015-07-01", "2015-09-30", "2015-10-15");
        let org = |n| Some(OrganisationId(Uuid::from_u128(n)));
        let item = |n| ItemId(Uuid::from_u128(n));
        let r = |n, lead, status, start: Option<&str>, kids| Reportable { item: item(n), lead, status, start: start.map(d), has_children: kids };
        let items = [
            r(1, org(10), ItemStatus::InProgress, None, false),
            r(2, org(10), ItemStatus::InProgress, None, false),
            r(3, org(11), ItemStatus::Planned, None, false),
            r(4, org(11), ItemStatus::InProgress, None, true),
            r(5, org(11), ItemStatus::Cancelled, None, false),
            r(6, org(11), ItemStatus::Planned, Some("2016-01-01"), false),
            r(7, None, ItemStatus::Delayed, None, false),
        ];
        let reported: HashSet<ItemId> = [item(2)].into();
        let m = missing_reports(&items, &reported, &p);
        assert_eq!(m[&org(10)], vec![item(1)]);
        assert_eq!(m[&org(11)], vec![item(3)], "parents, cancelled and not-yet-started items owe nothing");
        assert_eq!(m[&None], vec![item(7)]);
    }
}
