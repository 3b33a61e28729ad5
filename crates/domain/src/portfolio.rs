//! The portfolio: every plan a reader may see, across partners and cycles, side by side — how
//! far each has come, what is overdue, who has not reported for the last period that fell due,
//! which requests for help have no offer, and where the latest assessments stand.
//!
//! The figures of each plan are computed from what the reader may see (as a plan's summary is),
//! so a plan the reader may not see is neither listed nor counted, and a hidden item, request or
//! rating changes no figure. This module holds the rules; `liaison-app` reads the records.

use crate::assessment::{AssessmentState, Perspective, Scale};
use crate::assistance::{AssistanceOffer, AssistanceRequest, RequestState};
use crate::calendar::ReportingPeriod;
use crate::marking::Marking;
use crate::plan::{Period, PlanState};
use crate::text::Text;
use crate::validation::{Problems, ValidationErrors};
use crate::{OrganisationId, PlanId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What the portfolio can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortKey {
    /// Partner's short name, then cycle (the default).
    #[default]
    Partner,
    Plan,
    Cycle,
    State,
    Progress,
    Overdue,
    /// Items without a report for the last period that fell due.
    Late,
    /// Open requests for help without any live offer.
    Unsupported,
}

codes! { SortKey {
    Partner => "partner",
    Plan => "plan",
    Cycle => "cycle",
    State => "state",
    Progress => "progress",
    Overdue => "overdue",
    Late => "late",
    Unsupported => "unsupported",
} }

/// The portfolio's query as it arrives (every field a string, so that a bad value is a clear
/// 422 naming the field rather than a parse error).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioParams {
    /// Only this partner's plans (the partner organisation's id).
    pub partner: Option<String>,
    /// Only plans in this state.
    pub state: Option<String>,
    /// `current` (the latest cycle of each partner) or `all` (the default).
    pub cycle: Option<String>,
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
}

/// The portfolio's query, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortfolioQuery {
    pub partner: Option<OrganisationId>,
    pub state: Option<PlanState>,
    pub current_only: bool,
    pub sort: SortKey,
    pub descending: bool,
}

impl PortfolioParams {
    /// Check every field; all problems are reported at once.
    pub fn parse(&self) -> Result<PortfolioQuery, ValidationErrors> {
        let mut p = Problems::new();
        let given = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let partner = match given(&self.partner) {
            None => None,
            Some(s) => match uuid::Uuid::try_parse(&s) {
                Ok(u) => Some(OrganisationId(u)),
                Err(_) => {
                    p.add("partner", "invalid", "must be an organisation's id");
                    None
                }
            },
        };
        let state = match given(&self.state) {
            None => None,
            Some(s) => PlanState::parse(&s).or_else(|| {
                p.add("state", "unknown", "must be one of drafting, negotiation, agreed, implementation, assessment, closed, superseded");
                None
            }),
        };
        let current_only = match given(&self.cycle).as_deref() {
            None | Some("all") => false,
            Some("current") => true,
            Some(_) => {
                p.add("cycle", "unknown", "must be current or all");
                false
            }
        };
        let sort = match given(&self.sort) {
            None => SortKey::Partner,
            Some(s) => SortKey::parse(&s).unwrap_or_else(|| {
                p.add("sort", "unknown", "must be one of partner, plan, cycle, state, progress, overdue, late, unsupported");
                SortKey::Partner
            }),
        };
        let descending = match given(&self.order).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                p.add("order", "unknown", "must be asc or desc");
                false
            }
        };
        p.finish()?;
        Ok(PortfolioQuery { partner, state, current_only, sort, descending })
    }
}

/// The partner of a row.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRef {
    pub id: OrganisationId,
    pub short_name: String,
    pub name: Text,
}

/// Reports owed for the last period whose due date has passed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateReports {
    /// That period's key (`null` when no period has fallen due, or the plan takes no reports).
    pub period: Option<String>,
    /// Items owing a report for it.
    pub owed: u64,
    /// Of those, without a submitted or approved report.
    pub missing: u64,
}

/// Requests for help and how many of them no live offer answers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requests {
    pub open: u64,
    /// Open requests that no live offer answers or serves (no offer on any of their items).
    pub without_support: u64,
}

/// The latest assessment of one perspective, as one figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentStanding {
    pub perspective: Perspective,
    pub period: String,
    pub scale: Scale,
    pub state: AssessmentState,
    /// Visible items rated.
    pub rated: u64,
    /// The mean of the ratings on a common 0–100 line (`null` when only "no evidence").
    pub position: Option<f64>,
}

/// A plan's figures, computed over what the reader may see.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// Items the reader may see.
    pub items: u64,
    /// Of those, completed.
    pub completed: u64,
    /// Weighted progress, 0–100 (`null` for a plan without counted items).
    pub progress: Option<f64>,
    /// Items past their due date and not finished.
    pub overdue: u64,
    pub late_reports: LateReports,
    pub requests: Requests,
    /// One per perspective that has an assessment, in the order self, alliance, independent.
    pub assessments: Vec<AssessmentStanding>,
}

/// One plan of the portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortfolioRow {
    pub plan: PlanId,
    pub code: String,
    pub title: Text,
    pub partner: PartnerRef,
    /// 1 for a plan without a (visible) predecessor, else its predecessor's cycle + 1.
    pub cycle: u32,
    /// Whether it is its partner's latest visible cycle.
    pub current: bool,
    pub state: PlanState,
    pub period: Period,
    #[serde(flatten)]
    pub figures: Figures,
    /// The highest marking of what the figures were computed from: the plan and the items,
    /// requests, offers and assessments the reader may see of it.
    pub marking: Marking,
}

/// The whole portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Portfolio {
    /// The day the figures are computed for.
    pub as_of: NaiveDate,
    /// Partners and plans shown (after the filters).
    pub partners: u64,
    pub plans: u64,
    pub rows: Vec<PortfolioRow>,
    /// Every partner of a visible plan, by short name (for the page's filter).
    #[serde(skip)]
    pub partner_choices: Vec<PartnerRef>,
}

/// Each plan's cycle: 1 without a visible predecessor, else the predecessor's + 1. Only the
/// plans given count (the reader's visible plans), so a hidden predecessor is not revealed by
/// a number; a loop of predecessors (which validation forbids) is cut, not followed forever.
pub fn cycles(plans: &[(PlanId, Option<PlanId>)]) -> HashMap<PlanId, u32> {
    let pred: HashMap<PlanId, Option<PlanId>> = plans.iter().copied().collect();
    let mut out = HashMap::with_capacity(plans.len());
    for (id, _) in plans {
        let mut n = 1u32;
        let mut seen = HashSet::from([*id]);
        let mut at = *id;
        while let Some(Some(p)) = pred.get(&at) {
            if !pred.contains_key(p) || !seen.insert(*p) {
                break;
            }
            n += 1;
            at = *p;
        }
        out.insert(*id, n);
    }
    out
}

/// The plans that no other given plan names as its predecessor: each partner's latest cycles.
pub fn latest(plans: &[(PlanId, Option<PlanId>)]) -> HashSet<PlanId> {
    let succeeded: HashSet<PlanId> = plans.iter().filter_map(|(_, p)| *p).collect();
    plans.iter().map(|(id, _)| *id).filter(|id| !succeeded.contains(id)).collect()
}

/// The last period whose reports were due before `today` (the day after the due day a report
/// is late).
pub fn last_due(periods: &[ReportingPeriod], today: NaiveDate) -> Option<&ReportingPeriod> {
    periods.iter().filter(|p| p.due < today).max_by_key(|p| p.due)
}

/// Open requests, and those without support: no live offer answers them, and no live offer
/// serves any of their items.
pub fn requests(requests: &[AssistanceRequest], offers: &[AssistanceOffer]) -> Requests {
    let live: Vec<&AssistanceOffer> = offers.iter().filter(|o| o.state.live()).collect();
    let mut out = Requests::default();
    for r in requests.iter().filter(|r| r.state == RequestState::Open) {
        out.open += 1;
        let supported = live.iter().any(|o| o.answers == Some(r.id) || o.items.iter().any(|i| r.items.contains(i)));
        if !supported {
            out.without_support += 1;
        }
    }
    out
}

/// The mean position of ratings on the common 0–100 line; "no evidence" (no judgement) and
/// unknown ratings are left out. `None` when nothing is left.
pub fn mean_position<'a>(scale: Scale, ratings: impl IntoIterator<Item = &'a str>) -> Option<f64> {
    let (sum, n) = ratings.into_iter().filter_map(|r| scale.position(r)).fold((0u64, 0u64), |(s, n), p| (s + u64::from(p), n + 1));
    (n > 0).then(|| sum as f64 / n as f64)
}

/// Sort rows by `key` (ties by partner, then cycle, then code, so the order is total and
/// stable); plans without progress sort as lowest.
pub fn sort(rows: &mut [PortfolioRow], key: SortKey, descending: bool) {
    use std::cmp::Ordering;
    let tie = |a: &PortfolioRow, b: &PortfolioRow| {
        a.partner
            .short_name
            .to_lowercase()
            .cmp(&b.partner.short_name.to_lowercase())
            .then(a.cycle.cmp(&b.cycle))
            .then(a.code.cmp(&b.code))
            .then(a.plan.cmp(&b.plan))
    };
    let primary = |a: &PortfolioRow, b: &PortfolioRow| -> Ordering {
        match key {
            SortKey::Partner => Ordering::Equal,
            SortKey::Plan => a.code.to_lowercase().cmp(&b.code.to_lowercase()),
            SortKey::Cycle => a.cycle.cmp(&b.cycle),
            SortKey::State => a.state.code().cmp(b.state.code()),
            SortKey::Progress => a.figures.progress.unwrap_or(-1.0).total_cmp(&b.figures.progress.unwrap_or(-1.0)),
            SortKey::Overdue => a.figures.overdue.cmp(&b.figures.overdue),
            SortKey::Late => a.figures.late_reports.missing.cmp(&b.figures.late_reports.missing),
            SortKey::Unsupported => a.figures.requests.without_support.cmp(&b.figures.requests.without_support),
        }
    };
    rows.sort_by(|a, b| {
        let o = primary(a, b).then_with(|| tie(a, b));
        if descending { o.reverse() } else { o }
    });
}

/// Keep the rows the query selects.
pub fn filter(rows: Vec<PortfolioRow>, q: &PortfolioQuery) -> Vec<PortfolioRow> {
    rows.into_iter().filter(|r| q.keeps(r.partner.id, r.state, r.current)).collect()
}

impl PortfolioQuery {
    /// Whether the query selects a plan of this partner, in this state, current or not.
    pub fn keeps(&self, partner: OrganisationId, state: PlanState, current: bool) -> bool {
        self.partner.is_none_or(|p| p == partner) && self.state.is_none_or(|s| s == state) && (!self.current_only || current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistance::{AssistanceKind, OfferState, Priority};
    use crate::marking::Level;
    use crate::{ItemId, OfferId, PeriodId, RequestId, UserId};
    use uuid::Uuid;

    fn pid(n: u128) -> PlanId {
        PlanId(Uuid::from_u128(n))
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cycles_follow_visible_predecessors_only() {
        let plans = [(pid(1), None), (pid(2), Some(pid(1))), (pid(3), Some(pid(2))), (pid(4), Some(pid(99)))];
        let c = cycles(&plans);
        assert_eq!((c[&pid(1)], c[&pid(2)], c[&pid(3)]), (1, 2, 3));
        assert_eq!(c[&pid(4)], 1, "a hidden predecessor is not counted");
        let looped = [(pid(1), Some(pid(2))), (pid(2), Some(pid(1)))];
        let c = cycles(&looped);
        assert_eq!((c[&pid(1)], c[&pid(2)]), (2, 2), "a loop is cut");
        assert_eq!(latest(&plans), HashSet::from([pid(3), pid(4)]));
    }

    fn period(key: &str, due: &str) -> ReportingPeriod {
        ReportingPeriod {
            id: PeriodId(Uuid::nil()),
            plan: pid(1),
            key: key.into(),
            starts: d("2015-01-01"),
            ends: d("2015-03-31"),
            due: d(due),
            locked: false,
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_last_period_due_is_late_from_the_day_after_its_due_day() {
        let ps = [period("Q1", "2015-04-15"), period("Q2", "2015-07-15")];
        assert_eq!(last_due(&ps, d("2015-04-15")).map(|p| p.key.as_str()), None, "on the due day reports are on time");
        assert_eq!(last_due(&ps, d("2015-04-16")).map(|p| p.key.as_str()), Some("Q1"));
        assert_eq!(last_due(&ps, d("2016-01-01")).map(|p| p.key.as_str()), Some("Q2"));
    }

    fn request(n: u128, items: &[u128], state: RequestState) -> AssistanceRequest {
        AssistanceRequest {
            id: RequestId(Uuid::from_u128(n)),
            plan: pid(1),
            title: Text::default(),
            need: String::new(),
            kind: AssistanceKind::Training,
            period: Period { start: d("2015-01-01"), end: d("2015-12-31") },
            priority: Priority::Medium,
            items: items.iter().map(|i| ItemId(Uuid::from_u128(*i))).collect(),
            state,
            requested_by: OrganisationId(Uuid::nil()),
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn offer(n: u128, answers: Option<u128>, items: &[u128], state: OfferState) -> AssistanceOffer {
        AssistanceOffer {
            id: OfferId(Uuid::from_u128(n)),
            plan: pid(1),
            offered_by: OrganisationId(Uuid::from_u128(7)),
            kind: AssistanceKind::Training,
            title: Text::default(),
            description: String::new(),
            value_minor: None,
            currency: None,
            period: Period { start: d("2015-01-01"), end: d("2015-12-31") },
            items: items.iter().map(|i| ItemId(Uuid::from_u128(*i))).collect(),
            answers: answers.map(|a| RequestId(Uuid::from_u128(a))),
            state,
            reason: None,
            shared_with: vec![],
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
            created_by: UserId(Uuid::nil()),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_request_is_supported_by_a_live_offer_answering_it_or_serving_its_items() {
        let reqs = [
            request(1, &[10], RequestState::Open),
            request(2, &[20], RequestState::Open),
            request(3, &[30], RequestState::Open),
            request(4, &[40], RequestState::Closed),
            request(5, &[50], RequestState::Open),
        ];
        let offs = [
            offer(101, Some(1), &[], OfferState::Proposed),
            offer(102, None, &[20], OfferState::Accepted),
            offer(103, Some(3), &[30], OfferState::Withdrawn),
            offer(104, None, &[50], OfferState::Declined),
        ];
        let r = requests(&reqs, &offs);
        assert_eq!(r, Requests { open: 4, without_support: 2 }, "3 has only a withdrawn offer and 5 a declined one; 4 is closed");
    }

    #[test]
    fn the_mean_position_leaves_out_no_evidence() {
        assert_eq!(mean_position(Scale::Rag, ["red", "green"]), Some(50.0));
        assert_eq!(mean_position(Scale::Completion, ["no_evidence", "complete"]), Some(100.0));
        assert_eq!(mean_position(Scale::Completion, ["no_evidence", "made up"]), None);
    }

    fn row(partner: &str, code: &str, cycle: u32, progress: Option<f64>, late: u64) -> PortfolioRow {
        PortfolioRow {
            plan: PlanId(Uuid::from_u128(u128::from(code.as_bytes()[0]))),
            code: code.into(),
            title: Text::default(),
            partner: PartnerRef { id: OrganisationId(Uuid::from_u128(partner.len() as u128)), short_name: partner.into(), name: Text::default() },
            cycle,
            current: cycle == 2,
            state: PlanState::Implementation,
            period: Period { start: d("2015-01-01"), end: d("2016-12-31") },
            figures: Figures { progress, late_reports: LateReports { period: None, owed: 10, missing: late }, ..Default::default() },
            marking: Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"),
        }
    }

    #[test]
    fn sorting_is_total_and_ties_go_by_partner_then_cycle() {
        let mut rows =
            vec![row("SRB", "B", 2, Some(40.0), 3), row("GEO", "G", 1, None, 3), row("srb", "A", 1, Some(40.0), 0), row("ARM", "X", 2, Some(90.0), 1)];
        sort(&mut rows, SortKey::Partner, false);
        let codes = |rows: &[PortfolioRow]| rows.iter().map(|r| r.code.clone()).collect::<Vec<_>>().join(",");
        assert_eq!(codes(&rows), "X,G,A,B", "case-insensitive partner, then cycle");
        sort(&mut rows, SortKey::Progress, true);
        assert_eq!(codes(&rows), "X,B,A,G", "no progress sorts lowest; ties reversed too");
        sort(&mut rows, SortKey::Late, false);
        assert_eq!(codes(&rows), "A,X,G,B");
        let q = PortfolioQuery { current_only: true, ..Default::default() };
        assert_eq!(codes(&filter(rows, &q)), "X,B");
    }

    #[test]
    fn bad_parameters_are_named() {
        let bad = PortfolioParams {
            partner: Some("SRB".into()),
            state: Some("done".into()),
            cycle: Some("last".into()),
            sort: Some("name; DROP".into()),
            order: Some("up".into()),
        };
        let e = bad.parse().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["partner", "state", "cycle", "sort", "order"]);
        let ok = PortfolioParams {
            state: Some("agreed".into()),
            cycle: Some("current".into()),
            sort: Some("late".into()),
            order: Some("desc".into()),
            partner: Some(" ".into()),
        };
        assert_eq!(
            ok.parse().unwrap(),
            PortfolioQuery { partner: None, state: Some(PlanState::Agreed), current_only: true, sort: SortKey::Late, descending: true }
        );
    }
}
