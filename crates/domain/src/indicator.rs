//! Indicators and their measurements: what is counted, against which targets, and how the
//! numbers add up over periods.
//!
//! * `number`: a count or amount. A **cumulative** indicator's targets are totals to date and
//!   its measurements are what happened in each period, so the value at a period is the sum of
//!   the measurements up to it. A **per-period** indicator's target and value belong to one
//!   period each.
//! * `percentage`: measured as numerator and denominator; over several periods the value is
//!   Σ numerators / Σ denominators — never an average of percentages.
//! * `qualitative`: a sentence per period; no arithmetic.
//!
//! Disaggregation (e.g. `sex`: `women`, `men`) splits each measurement (and optionally each
//! target) by category; the total is the sum of the categories.

use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{IndicatorId, ItemId, MeasurementId, PlanId, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Measure {
    Number,
    Percentage,
    Qualitative,
}

impl Measure {}

codes! { Measure {
    Number => "number",
    Percentage => "percentage",
    Qualitative => "qualitative",
} }

/// A target for one reporting period (by key, e.g. `2015-Q4`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    pub period: String,
    /// For numbers the amount; for percentages the percentage (0–100).
    pub value: f64,
    /// Targets per category of the disaggregation, if any.
    #[serde(default)]
    pub by_category: BTreeMap<String, f64>,
}

/// A way to split measurements, e.g. `sex` into `women` and `men`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dimension {
    pub key: String,
    pub categories: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Baseline {
    pub value: f64,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    pub id: IndicatorId,
    pub plan: PlanId,
    pub item: ItemId,
    pub name: Text,
    /// e.g. "officers", "%", "exercises".
    pub unit: String,
    pub measure: Measure,
    pub cumulative: bool,
    pub baseline: Option<Baseline>,
    pub targets: Vec<Target>,
    /// At most one disaggregation.
    pub dimension: Option<Dimension>,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to define an indicator on an item.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIndicator {
    pub name: Text,
    #[serde(default)]
    pub unit: String,
    pub measure: Measure,
    #[serde(default)]
    pub cumulative: bool,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub dimension: Option<Dimension>,
}

/// Input to change an indicator.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorPatch {
    #[serde(default)]
    pub name: Option<Text>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub targets: Option<Vec<Target>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Baseline>))]
    pub baseline: crate::Patch<Baseline>,
}

/// A measured value (the name the rest of the code knows it by; the OpenAPI document calls it
/// `MeasuredValue`, since a schema named `Value` would be read as any JSON at all).
pub type Value = MeasuredValue;

/// A measured value for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasuredValue {
    /// Numbers: the amount (the sum of the categories, if disaggregated). Percentages: the
    /// numerator.
    #[serde(default)]
    pub value: Option<f64>,
    /// Percentages: the denominator.
    #[serde(default)]
    pub denominator: Option<f64>,
    /// Qualitative: what was observed.
    #[serde(default)]
    pub text: Option<String>,
    /// Per category of the disaggregation (numbers: amounts; percentages: numerators).
    #[serde(default)]
    pub by_category: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Measurement {
    pub id: MeasurementId,
    pub indicator: IndicatorId,
    pub period: String,
    pub value: MeasuredValue,
    pub note: String,
    /// Attachment ids.
    pub evidence: Vec<crate::AttachmentId>,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to record (or replace) the measurement of a period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMeasurement {
    pub period: String,
    #[serde(flatten)]
    pub value: MeasuredValue,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: Vec<crate::AttachmentId>,
}

fn check_dimension(p: &mut Problems, d: &Dimension) {
    if !is_key(&d.key) {
        p.add("dimension.key", "invalid", "must be lower-case letters, digits or underscores, e.g. sex");
    }
    if d.categories.len() < 2 || d.categories.len() > 12 {
        p.add("dimension.categories", "count", "must have between 2 and 12 categories");
    }
    for (i, c) in d.categories.iter().enumerate() {
        if !is_key(c) {
            p.add(format!("dimension.categories.{i}"), "invalid", "must be lower-case letters, digits or underscores, e.g. women");
        } else if d.categories[..i].contains(c) {
            p.add(format!("dimension.categories.{i}"), "duplicate", "each category once");
        }
    }
}

fn is_key(s: &str) -> bool {
    (1..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn finite(x: f64) -> bool {
    x.is_finite() && x.abs() < 1e15
}

impl Indicator {
    /// Check the definition; `periods` are the plan's reporting period keys.
    pub fn validate(&self, periods: &[String]) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "name", &self.name, true, 300, false);
        if rules::char_len(&self.unit) > 40 || rules::has_control_chars(&self.unit, false) {
            p.add("unit", "invalid", "must be a single line of at most 40 characters");
        }
        if let Some(d) = &self.dimension {
            check_dimension(&mut p, d);
            if self.measure == Measure::Qualitative {
                p.add("dimension", "not_numeric", "a qualitative indicator cannot be disaggregated");
            }
        }
        if let Some(b) = &self.baseline
            && (!finite(b.value) || (self.measure == Measure::Percentage && !(0.0..=100.0).contains(&b.value)))
        {
            p.add("baseline.value", "out_of_range", "must be a number (a percentage between 0 and 100)");
        }
        if self.measure == Measure::Qualitative && !self.targets.is_empty() {
            p.add("targets", "not_numeric", "a qualitative indicator has no numeric targets");
        }
        for (i, t) in self.targets.iter().enumerate() {
            if !periods.contains(&t.period) {
                p.add(format!("targets.{i}.period"), "unknown", "not a reporting period of the plan");
            }
            if self.targets[..i].iter().any(|o| o.period == t.period) {
                p.add(format!("targets.{i}.period"), "duplicate", "one target per period");
            }
            if !finite(t.value) || t.value < 0.0 || (self.measure == Measure::Percentage && t.value > 100.0) {
                p.add(format!("targets.{i}.value"), "out_of_range", "must be a number from 0 (a percentage up to 100)");
            }
            for (c, v) in &t.by_category {
                let known = self.dimension.as_ref().is_some_and(|d| d.categories.contains(c));
                if !known {
                    p.add(format!("targets.{i}.by_category.{c}"), "unknown", "not a category of the indicator's disaggregation");
                } else if !finite(*v) || *v < 0.0 {
                    p.add(format!("targets.{i}.by_category.{c}"), "out_of_range", "must be a number from 0");
                }
            }
        }
        p.finish()
    }

    /// The target of a period, if one was set.
    pub fn target_for(&self, period: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.period == period)
    }
}

impl MeasuredValue {
    /// Check a value against the indicator it measures.
    pub fn validate(&self, ind: &Indicator) -> Problems {
        let mut p = Problems::new();
        match ind.measure {
            Measure::Qualitative => {
                match &self.text {
                    Some(t) if !t.trim().is_empty() && rules::char_len(t) <= 2_000 => {}
                    _ => p.add("text", "required", "a qualitative indicator is measured in words (at most 2,000 characters)"),
                }
                if self.value.is_some() || self.denominator.is_some() || !self.by_category.is_empty() {
                    p.add("value", "not_numeric", "a qualitative indicator takes no numbers");
                }
            }
            Measure::Number | Measure::Percentage => {
                if self.text.is_some() {
                    p.add("text", "numeric", "a numeric indicator takes a number, not text");
                }
                // A percentage given as the published rate (no denominator): the value is the
                // percentage, and each category's figure is that category's own rate, so they
                // do not add up.
                if ind.measure == Measure::Percentage && self.denominator.is_none() {
                    match self.value {
                        Some(v) if finite(v) && (0.0..=100.0).contains(&v) => {}
                        Some(_) => p.add("value", "out_of_range", "a rate is a percentage from 0 to 100"),
                        None => p.add("value", "required", "give the rate, or a numerator and a denominator"),
                    }
                    for (c, v) in &self.by_category {
                        let known = ind.dimension.as_ref().is_some_and(|d| d.categories.contains(c));
                        if !known {
                            p.add(format!("by_category.{c}"), "unknown", "not a category of the indicator's disaggregation");
                        } else if !finite(*v) || !(0.0..=100.0).contains(v) {
                            p.add(format!("by_category.{c}"), "out_of_range", "a rate is a percentage from 0 to 100");
                        }
                    }
                    return p;
                }
                let total = match (self.value, self.by_category.is_empty()) {
                    (Some(v), true) => Some(v),
                    (Some(v), false) => {
                        let sum: f64 = self.by_category.values().sum();
                        if (sum - v).abs() > 1e-6 {
                            p.add("value", "sum", format!("must equal the sum of the categories ({sum})"));
                        }
                        Some(v)
                    }
                    (None, false) => Some(self.by_category.values().sum()),
                    (None, true) => {
                        p.add("value", "required", "give a value");
                        None
                    }
                };
                if let Some(t) = total
                    && (!finite(t) || t < 0.0)
                {
                    p.add("value", "out_of_range", "must be a number from 0");
                }
                for (c, v) in &self.by_category {
                    let known = ind.dimension.as_ref().is_some_and(|d| d.categories.contains(c));
                    if !known {
                        p.add(format!("by_category.{c}"), "unknown", "not a category of the indicator's disaggregation");
                    } else if !finite(*v) || *v < 0.0 {
                        p.add(format!("by_category.{c}"), "out_of_range", "must be a number from 0");
                    }
                }
                if ind.measure == Measure::Percentage {
                    match (self.denominator, total) {
                        (Some(d), Some(n)) if finite(d) && d > 0.0 && n <= d => {}
                        (Some(d), _) if !finite(d) || d <= 0.0 => p.add("denominator", "out_of_range", "must be more than 0"),
                        (Some(_), Some(_)) => p.add("value", "over_denominator", "the numerator cannot exceed the denominator"),
                        _ => {}
                    }
                } else if self.denominator.is_some() {
                    p.add("denominator", "not_percentage", "only percentages have a denominator");
                }
            }
        }
        p
    }

    /// The total (numbers) or numerator (percentages).
    pub fn amount(&self) -> f64 {
        self.value.unwrap_or_else(|| self.by_category.values().sum())
    }
}

/// Where an indicator stands at a period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standing {
    pub period: String,
    /// Numbers: the amount to date (cumulative) or in the period; percentages: 0–100.
    pub actual: Option<f64>,
    pub target: Option<f64>,
    /// actual / target × 100, if both are known and the target is not 0.
    pub achievement: Option<f64>,
    /// Per category, the same arithmetic.
    pub by_category: BTreeMap<String, f64>,
    /// Qualitative: the latest text.
    pub text: Option<String>,
}

/// Where an indicator stands at `period`, given its measurements and the plan's periods in
/// order. Measurements of periods after `period` are ignored.
pub fn standing(ind: &Indicator, measurements: &[(&str, &Value)], periods: &[String], period: &str) -> Standing {
    let upto = periods.iter().position(|p| p == period);
    let counts = |p: &str| match (upto, periods.iter().position(|q| q == p)) {
        (Some(u), Some(i)) => {
            if ind.cumulative {
                i <= u
            } else {
                i == u
            }
        }
        _ => p == period,
    };
    let relevant: Vec<&Value> = measurements.iter().filter(|(p, _)| counts(p)).map(|(_, v)| *v).collect();
    let target = ind.target_for(period).map(|t| t.value);
    let mut by_category = BTreeMap::new();
    let (actual, text) = match ind.measure {
        Measure::Qualitative => {
            let latest = measurements
                .iter()
                .filter(|(p, _)| match (upto, periods.iter().position(|q| q == *p)) {
                    (Some(u), Some(i)) => i <= u,
                    _ => *p == period,
                })
                .max_by_key(|(p, _)| periods.iter().position(|q| q == *p))
                .and_then(|(_, v)| v.text.clone());
            (None, latest)
        }
        Measure::Number => {
            if relevant.is_empty() {
                (None, None)
            } else {
                for v in &relevant {
                    for (c, x) in &v.by_category {
                        *by_category.entry(c.clone()).or_insert(0.0) += x;
                    }
                }
                (Some(relevant.iter().map(|v| v.amount()).sum()), None)
            }
        }
        Measure::Percentage => {
            let num: f64 = relevant.iter().map(|v| v.amount()).sum();
            let den: f64 = relevant.iter().filter_map(|v| v.denominator).sum();
            if den > 0.0 {
                for v in &relevant {
                    for (c, x) in &v.by_category {
                        *by_category.entry(c.clone()).or_insert(0.0) += x;
                    }
                }
                for x in by_category.values_mut() {
                    *x = *x / den * 100.0;
                }
                (Some(num / den * 100.0), None)
            } else if let Some(rate) = relevant.iter().rev().find(|v| v.denominator.is_none() && v.value.is_some()) {
                // Published rates do not add up: the latest one stands (with its rates by category).
                by_category = rate.by_category.clone();
                (rate.value, None)
            } else {
                (None, None)
            }
        }
    };
    let achievement = match (actual, target) {
        (Some(a), Some(t)) if t > 0.0 => Some(a / t * 100.0),
        _ => None,
    };
    Standing { period: period.to_string(), actual, target, achievement, by_category, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn periods() -> Vec<String> {
        ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"].iter().map(|s| s.to_string()).collect()
    }

    fn ind(measure: Measure, cumulative: bool) -> Indicator {
        Indicator {
            id: IndicatorId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            item: ItemId(Uuid::nil()),
            name: Text::new("en", "Officers trained"),
            unit: "officers".into(),
            measure,
            cumulative,
            baseline: None,
            targets: vec![Target { period: "2015-Q4".into(), value: 100.0, by_category: BTreeMap::new() }],
            dimension: Some(Dimension { key: "sex".into(), categories: vec!["women".into(), "men".into()] }),
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn num(v: f64) -> Value {
        Value { value: Some(v), denominator: None, text: None, by_category: BTreeMap::new() }
    }

    fn split(w: f64, m: f64) -> Value {
        Value { value: None, denominator: None, text: None, by_category: [("women".into(), w), ("men".into(), m)].into() }
    }

    #[test]
    fn cumulative_numbers_add_up_to_the_period() {
        let i = ind(Measure::Number, true);
        let (a, b, c) = (num(20.0), num(30.0), num(40.0));
        let ms = [("2015-Q1", &a), ("2015-Q2", &b), ("2015-Q4", &c)];
        let s = standing(&i, &ms, &periods(), "2015-Q2");
        assert_eq!(s.actual, Some(50.0));
        let s = standing(&i, &ms, &periods(), "2015-Q4");
        assert_eq!(s.actual, Some(90.0));
        assert_eq!(s.achievement, Some(90.0));
    }

    #[test]
    fn per_period_numbers_stay_in_their_period() {
        let i = ind(Measure::Number, false);
        let (a, b) = (num(20.0), num(30.0));
        let ms = [("2015-Q1", &a), ("2015-Q4", &b)];
        assert_eq!(standing(&i, &ms, &periods(), "2015-Q4").actual, Some(30.0));
        assert_eq!(standing(&i, &ms, &periods(), "2015-Q3").actual, None, "nothing measured in Q3");
    }

    #[test]
    fn percentages_are_sums_of_numerators_over_sums_of_denominators() {
        let mut i = ind(Measure::Percentage, true);
        i.targets = vec![Target { period: "2015-Q2".into(), value: 50.0, by_category: BTreeMap::new() }];
        let a = Value { value: Some(1.0), denominator: Some(2.0), text: None, by_category: BTreeMap::new() };
        let b = Value { value: Some(9.0), denominator: Some(98.0), text: None, by_category: BTreeMap::new() };
        let ms = [("2015-Q1", &a), ("2015-Q2", &b)];
        let s = standing(&i, &ms, &periods(), "2015-Q2");
        assert_eq!(s.actual, Some(10.0), "10 of 100, not the average of 50 % and 9.2 %");
        assert_eq!(s.achievement, Some(20.0));
    }

    #[test]
    fn categories_are_summed_and_checked() {
        let i = ind(Measure::Number, true);
        let (a, b) = (split(3.0, 7.0), split(5.0, 5.0));
        let s = standing(&i, &[("2015-Q1", &a), ("2015-Q2", &b)], &periods(), "2015-Q4");
        assert_eq!(s.actual, Some(20.0));
        assert_eq!(s.by_category["women"], 8.0);
        assert_eq!(s.by_category["men"], 12.0);
        let bad = Value { value: Some(11.0), ..split(3.0, 7.0) };
        assert_eq!(bad.validate(&i).errors()[0].code, "sum");
        let unknown = Value { value: None, denominator: None, text: None, by_category: [("girls".into(), 1.0)].into() };
        assert!(unknown.validate(&i).errors().iter().any(|e| e.code == "unknown"));
    }

    #[test]
    fn values_fit_their_measure() {
        let pct = ind(Measure::Percentage, false);
        let over = Value { value: Some(5.0), denominator: Some(4.0), text: None, by_category: BTreeMap::new() };
        assert_eq!(over.validate(&pct).errors()[0].code, "over_denominator");
        assert!(num(5.0).validate(&pct).is_empty(), "a percentage may be given as its rate");
        assert_eq!(num(120.0).validate(&pct).errors()[0].code, "out_of_range");
        let rates = Value { value: Some(82.2), denominator: None, text: None, by_category: [("women".into(), 82.4), ("men".into(), 82.1)].into() };
        assert!(rates.validate(&pct).is_empty(), "rates by category do not add up, and need not");
        let s = standing(&pct, &[("2015-Q2", &rates)], &periods(), "2015-Q2");
        assert_eq!((s.actual, s.by_category["women"]), (Some(82.2), 82.4));
        let no_rate = Value { value: None, ..rates.clone() };
        assert_eq!(no_rate.validate(&pct).errors()[0].code, "required");
        let mut q = ind(Measure::Qualitative, false);
        q.dimension = None;
        q.targets.clear();
        assert_eq!(num(1.0).validate(&q).errors().iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), vec!["required", "not_numeric"]);
        let words = Value { value: None, denominator: None, text: Some("Doctrine drafted".into()), by_category: BTreeMap::new() };
        assert!(words.validate(&q).is_empty());
        assert_eq!(standing(&q, &[("2015-Q1", &words)], &periods(), "2015-Q3").text.as_deref(), Some("Doctrine drafted"));
        assert!(num(f64::NAN).validate(&ind(Measure::Number, false)).errors().iter().any(|e| e.code == "out_of_range"));
    }

    #[test]
    fn definitions_are_checked() {
        let mut i = ind(Measure::Percentage, false);
        i.targets.push(Target { period: "2015-Q4".into(), value: 120.0, by_category: [("kids".into(), 1.0)].into() });
        i.targets.push(Target { period: "2031-Q1".into(), value: 1.0, by_category: BTreeMap::new() });
        i.dimension = Some(Dimension { key: "Sex".into(), categories: vec!["women".into()] });
        let e = i.validate(&periods()).unwrap_err();
        for f in ["targets.1.period", "targets.1.value", "targets.1.by_category.kids", "targets.2.period", "dimension.key", "dimension.categories"] {
            assert!(e.has(f), "{f}: {e}");
        }
        assert!(ind(Measure::Number, true).validate(&periods()).is_ok());
    }

    proptest! {
        /// A cumulative number never goes down from one period to the next, and at the last
        /// period it is the sum of everything measured.
        #[test]
        fn cumulative_values_never_decrease(xs in proptest::collection::vec(0.0f64..1000.0, 4)) {
            let i = ind(Measure::Number, true);
            let vals: Vec<Value> = xs.iter().map(|x| num(*x)).collect();
            let ps = periods();
            let ms: Vec<(&str, &Value)> = ps.iter().map(String::as_str).zip(vals.iter()).collect();
            let mut last = 0.0;
            for p in &ps {
                let a = standing(&i, &ms, &ps, p).actual.unwrap_or(0.0);
                prop_assert!(a + 1e-9 >= last);
                last = a;
            }
            prop_assert!((last - xs.iter().sum::<f64>()).abs() < 1e-6);
        }

        /// An aggregated percentage lies between the smallest and largest period percentage.
        #[test]
        fn aggregated_percentages_lie_between_the_periods(parts in proptest::collection::vec((0u32..100, 1u32..100), 1..4)) {
            let i = ind(Measure::Percentage, true);
            let vals: Vec<Value> = parts.iter().map(|(n, d)| {
                let (n, d) = (f64::from(*n.min(d)), f64::from(*d));
                Value { value: Some(n), denominator: Some(d), text: None, by_category: BTreeMap::new() }
            }).collect();
            let ps = periods();
            let ms: Vec<(&str, &Value)> = ps.iter().map(String::as_str).zip(vals.iter()).collect();
            let each: Vec<f64> = vals.iter().map(|v| v.amount() / v.denominator.unwrap_or(1.0) * 100.0).collect();
            let agg = standing(&i, &ms, &ps, &ps[vals.len() - 1]).actual.unwrap_or(-1.0);
            let lo = each.iter().cloned().fold(f64::MAX, f64::min);
            let hi = each.iter().cloned().fold(f64::MIN, f64::max);
            prop_assert!(agg >= lo - 1e-9 && agg <= hi + 1e-9, "{agg} not in [{lo}, {hi}]");
        }
    }
}
