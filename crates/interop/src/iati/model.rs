//! The part of an IATI activity that Liaison writes and reads: plain data in the standard's
//! own terms (codes as the standard writes them), with no Liaison type in it. The use cases
//! map plans, items, indicators and offers onto it ([`super::write`] writes it) and back
//! from it ([`super::read`] reads it from a file).

use chrono::NaiveDate;
use liaison_domain::Timestamp;

/// Texts in several languages: `(language, text)`; `None` is the activity's default language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Narratives(pub Vec<(Option<String>, String)>);

impl Narratives {
    pub fn one(lang: &str, text: &str) -> Narratives {
        Narratives(vec![(Some(lang.to_string()), text.to_string())])
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|(_, t)| t.trim().is_empty())
    }

    /// The text in `lang`, else the first.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.iter().find(|(l, _)| l.as_deref() == Some(lang)).or_else(|| self.0.first()).map(|(_, t)| t.as_str())
    }
}

/// An organisation as an activity names it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Org {
    /// Its IATI organisation identifier (`XM-DAC-7`, `RS-COA-…`), when it has one.
    pub reference: Option<String>,
    /// OrganisationType code (`10` government, `40` multilateral …).
    pub kind: Option<String>,
    pub name: Narratives,
}

/// `participating-org`: an organisation and its role (OrganisationRole: 1 funding,
/// 2 accountable, 3 extending, 4 implementing).
#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    pub org: Org,
    pub role: String,
    /// The organisation's own identifier of the activity, if it reports it.
    pub activity_id: Option<String>,
}

/// A date of the activity (ActivityDateType: 1 planned start, 2 actual start, 3 planned
/// end, 4 actual end).
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityDate {
    pub kind: String,
    pub date: NaiveDate,
}

/// A sector: DAC 5-digit code (vocabulary `1`) or the reporting organisation's own
/// (vocabulary `99`, with its name).
#[derive(Clone, Debug, PartialEq)]
pub struct Sector {
    pub vocabulary: String,
    pub code: String,
    pub percentage: Option<f64>,
    pub name: Narratives,
}

/// A policy marker, e.g. gender equality (code `1`, vocabulary `1`) with its significance
/// (0 not targeted, 1 significant, 2 principal objective).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyMarker {
    pub vocabulary: String,
    pub code: String,
    pub significance: Option<String>,
}

/// A transaction (TransactionType: 2 commitment, 3 disbursement, 4 expenditure …).
#[derive(Clone, Debug, PartialEq)]
pub struct Transaction {
    pub reference: Option<String>,
    pub kind: String,
    pub date: NaiveDate,
    pub value: f64,
    pub currency: Option<String>,
    pub value_date: NaiveDate,
    pub description: Narratives,
    pub provider: Option<Org>,
    pub receiver: Option<Org>,
}

/// A document linked from the activity (a public story, evidence).
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentLink {
    pub url: String,
    /// The file's MIME type, e.g. `text/html`, `application/pdf`.
    pub format: String,
    pub title: Narratives,
    /// DocumentCategory code, e.g. `A12` (activity web page), `A07` (review and evaluation).
    pub category: String,
    pub language: Option<String>,
    pub date: Option<NaiveDate>,
}

/// A link to another activity (RelatedActivityType: 1 parent, 2 child, 3 sibling).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub kind: String,
    pub identifier: String,
}

/// A value of an indicator's baseline, target or actual, and its disaggregation
/// (`dimension`s, e.g. sex = female).
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// Numbers as written (`12`, `20.5`); qualitative indicators give none.
    pub value: Option<f64>,
    pub dimensions: Vec<(String, String)>,
    pub comment: Narratives,
}

/// One period of an indicator, with its targets and actuals (several when disaggregated).
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub targets: Vec<Measure>,
    pub actuals: Vec<Measure>,
}

/// An indicator (IndicatorMeasure: 1 unit, 2 percentage, 5 qualitative).
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub measure: String,
    pub ascending: Option<bool>,
    pub title: Narratives,
    pub description: Narratives,
    pub baseline: Option<Baseline>,
    pub periods: Vec<IndicatorPeriod>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub year: i32,
    pub date: Option<NaiveDate>,
    pub value: Option<f64>,
    pub comment: Narratives,
}

/// A result (ResultType: 1 output, 2 outcome, 3 impact, 9 other) and its indicators.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityResult {
    pub kind: String,
    pub title: Narratives,
    pub description: Narratives,
    pub indicators: Vec<Indicator>,
}

/// One `iati-activity`.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub identifier: String,
    pub reporting_org: Org,
    pub title: Narratives,
    /// Descriptions by DescriptionType (1 general, 2 objectives …).
    pub descriptions: Vec<(String, Narratives)>,
    pub participants: Vec<Participant>,
    /// ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled,
    /// 6 suspended.
    pub status: String,
    pub dates: Vec<ActivityDate>,
    /// Recipient countries (ISO 3166-1 alpha-2) and their percentages.
    pub countries: Vec<(String, Option<f64>)>,
    pub sectors: Vec<Sector>,
    pub policy_markers: Vec<PolicyMarker>,
    pub transactions: Vec<Transaction>,
    pub documents: Vec<DocumentLink>,
    pub related: Vec<Related>,
    pub results: Vec<ActivityResult>,
    /// `1` for a plan, `2` for the items below it.
    pub hierarchy: Option<u32>,
    pub default_lang: Option<String>,
    pub default_currency: Option<String>,
    pub last_updated: Option<Timestamp>,
}
