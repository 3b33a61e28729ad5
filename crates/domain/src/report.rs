//! The implementation report of a period: one model for every way it leaves Liaison — the
//! printable page, CSV, and the spreadsheet and document exports that build on it. It is made
//! by `liaison_app::report` from what its reader may see, carries the highest marking of its
//! content, and is plain data: the formats in `liaison-interop` and the page only lay it out.

use crate::assessment::{AssessmentState, Perspective, Scale};
use crate::due::Due;
use crate::indicator::{Measure, Standing};
use crate::item::ItemStatus;
use crate::marking::Marking;
use crate::progress::UpdateState;
use crate::text::Text;
use crate::{IndicatorId, ItemId, PlanId, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The report a period's figures stand at, and how it was chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub plan: PlanId,
    pub plan_code: String,
    pub plan_title: Text,
    /// The reporting period the report covers (empty for a plan without periods).
    pub period: String,
    /// Every period of the plan, in order (to choose another).
    pub periods: Vec<String>,
    /// The day its figures stand at.
    pub as_of: NaiveDate,
    pub generated: Timestamp,
    /// The highest marking of what the report shows: the plan, its items and reports.
    pub marking: Marking,
    /// Weighted progress of the whole plan, 0–100.
    pub progress: Option<f64>,
    pub items: u64,
    pub overdue_count: u64,
    /// Items by status code.
    pub by_status: BTreeMap<String, u64>,
    /// The top level of the tree with its progress.
    pub roots: Vec<RootProgress>,
    /// Every item the reader may see, in tree order.
    pub rows: Vec<ReportRow>,
    /// The indicators of those items, in the summary's order.
    pub indicators: Vec<ReportIndicator>,
    /// The latest assessment of each perspective.
    pub assessments: Vec<AssessmentSummary>,
    /// Weighted progress at each period up to the report's, in order (for its chart).
    pub over_time: Vec<(String, Option<f64>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RootProgress {
    pub code: String,
    pub title: Text,
    pub progress: f64,
}

/// One item of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub item: ItemId,
    pub code: String,
    pub level: String,
    pub title: Text,
    pub depth: u8,
    pub status: ItemStatus,
    pub progress: Option<f64>,
    /// The lead organisation's short name (empty for none).
    pub lead: String,
    pub due: Option<Due>,
    pub overdue: bool,
    /// The item's report for the period, if any: its state and what was done.
    pub report: Option<(UpdateState, String)>,
}

/// One indicator with where it stands at the report's period.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportIndicator {
    pub id: IndicatorId,
    pub item: ItemId,
    pub item_code: String,
    pub name: Text,
    pub unit: String,
    pub measure: Measure,
    pub standing: Option<Standing>,
    /// Where it stood at each period up to the report's that has a target or a measurement.
    pub series: Vec<Standing>,
}

/// The latest assessment of one perspective, summed up over the items the reader may see.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentSummary {
    pub perspective: Perspective,
    pub period: String,
    pub scale: Scale,
    pub state: AssessmentState,
    /// Rating → number of items with it.
    pub ratings: BTreeMap<String, u64>,
    pub narrative: String,
}

/// Where a report is read: the formats it is exported in, and the printable page (which is an
/// export too, and audited as one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Page,
    Csv,
    Xlsx,
    Pdf,
}

codes! { ReportFormat {
    Page => "html",
    Csv => "csv",
    Xlsx => "xlsx",
    Pdf => "pdf",
} }

/// Which period a report covers when none is asked for: the latest period anybody reported on
/// (submitted or approved), else the period the figures stand at today (`current`).
pub fn default_period<'a>(periods: &'a [String], reported: &[&str], current: Option<&'a str>) -> Option<&'a str> {
    periods.iter().rev().find(|p| reported.contains(&p.as_str())).map(String::as_str).or(current)
}

impl Report {
    /// The indicators of one item.
    pub fn indicators_of(&self, item: ItemId) -> impl Iterator<Item = &ReportIndicator> {
        self.indicators.iter().filter(move |i| i.item == item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_the_latest_reported_else_the_current() {
        let periods: Vec<String> = ["2015-Q1", "2015-Q2", "2015-Q3"].iter().map(|s| s.to_string()).collect();
        assert_eq!(default_period(&periods, &["2015-Q1", "2015-Q2"], Some("2015-Q3")), Some("2015-Q2"));
        assert_eq!(default_period(&periods, &[], Some("2015-Q3")), Some("2015-Q3"));
        assert_eq!(default_period(&periods, &["1999-Q1"], None), None, "a report of another plan's period counts for nothing");
    }
}
