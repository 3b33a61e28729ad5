//! Liaison's documents as PDF, typeset with Typst (typst 0.15 through `typst-as-lib` 0.17, and
//! `typst-pdf`) from a template compiled into the binary and fonts embedded in it (DejaVu Sans,
//! which carries Latin and Cyrillic; its licence is in `fonts/LICENSE-DejaVu`). Nothing is read
//! or downloaded at build or run time: no package resolver, no system fonts, no clock.
//!
//! The input is the document's data as JSON, handed to the template as `sys.inputs.data`; the
//! template sets every value as text, so a title such as `#exit()` or `*bold*` stays what it is.

use serde::Serialize;
use std::sync::OnceLock;
use typst_as_lib::TypstEngine;

static PLAN: &str = include_str!("../templates/plan.typ");
static REDLINE: &str = include_str!("../templates/redline.typ");
static REPORT: &str = include_str!("../templates/report.typ");
static PAGE: &str = include_str!("../templates/page.typ");
static SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
static SANS_OBLIQUE: &[u8] = include_bytes!("../fonts/DejaVuSans-Oblique.ttf");

/// The words a document needs, in its reader's language.
#[derive(Clone, Debug, Serialize)]
pub struct Labels {
    pub contents: String,
    pub decisions: String,
    pub page: String,
}

/// A decision of the plan, as the document prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub title: String,
    /// Its date and kind, in one line.
    pub facts: String,
    pub text: String,
}

/// An item, as the document prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// 0 for the top level.
    pub depth: usize,
    pub code: String,
    pub title: String,
    /// Plain text; paragraphs and lines by line breaks.
    pub description: String,
    /// Its status, due date, lead and marking, in one line.
    pub facts: String,
}

/// A plan as an official document.
#[derive(Clone, Debug, Serialize)]
pub struct PlanDocument {
    /// `en` or `sr` (Typst's language, for hyphenation and quotes).
    pub lang: String,
    pub title: String,
    /// The plan's code and period.
    pub subtitle: String,
    /// Partner and owner.
    pub parties: String,
    pub owner: String,
    /// Which version this is (the current draft, or an agreed version and its date).
    pub version: String,
    /// The banner of the highest marking of what it holds: at the top and bottom of every page.
    pub marking: String,
    pub labels: Labels,
    pub decisions: Vec<Decision>,
    pub items: Vec<Item>,
}

/// Why a document could not be made (a fault of the template or of the engine, never of input).
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

type Engine = TypstEngine<typst_as_lib::TypstTemplateMainFile>;

/// An engine with `main` as its template, the page it imports and the fonts.
fn engine(main: &'static str) -> Engine {
    TypstEngine::builder().main_file(main).with_static_source_file_resolver([("page.typ", PAGE)]).fonts([SANS, SANS_BOLD, SANS_OBLIQUE]).build()
}

/// The engine of the plan, made once (the fonts are parsed once per engine).
fn plan_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| engine(PLAN))
}

/// The engine of the redline.
fn redline_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| engine(REDLINE))
}

/// The engine of the implementation report.
fn report_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| engine(REPORT))
}

/// Typeset `data` (serialised as the template's `sys.inputs.data`) with `engine`.
fn typeset<T: Serialize>(engine: &Engine, data: &T) -> Result<Vec<u8>, Error> {
    let data = serde_json::to_string(data).map_err(|e| Error(e.to_string()))?;
    let mut input = typst::foundations::Dict::new();
    input.insert("data".into(), typst::foundations::Value::Str(data.into()));
    let compiled = engine.compile_with_input(input);
    let paged: typst_layout::PagedDocument = compiled.output.map_err(|e| Error(format!("the document could not be typeset: {e:?}")))?;
    typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default()).map_err(|e| Error(format!("the PDF could not be written: {e:?}")))
}

/// The plan as a PDF.
pub fn plan_pdf(doc: &PlanDocument) -> Result<Vec<u8>, Error> {
    typeset(plan_engine(), doc)
}

/// A field that changed: its name, and the text before and after (empty: none).
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// An item added or removed.
#[derive(Clone, Debug, Serialize)]
pub struct RedlineItem {
    pub code: String,
    pub title: String,
    pub description: String,
}

/// An item whose content changed.
#[derive(Clone, Debug, Serialize)]
pub struct ChangedItem {
    pub code: String,
    pub title: String,
    pub changes: Vec<Change>,
}

/// The words of a redline.
#[derive(Clone, Debug, Serialize)]
pub struct RedlineLabels {
    pub page: String,
    pub legend: String,
    pub deleted: String,
    pub inserted: String,
    pub plan: String,
    pub changed: String,
    pub added: String,
    pub removed: String,
    pub none: String,
}

/// The redline between two versions of a plan.
#[derive(Clone, Debug, Serialize)]
pub struct Redline {
    pub lang: String,
    pub title: String,
    /// Which versions, from and to.
    pub subtitle: String,
    pub marking: String,
    pub labels: RedlineLabels,
    pub plan: Vec<Change>,
    pub changed: Vec<ChangedItem>,
    pub added: Vec<RedlineItem>,
    pub removed: Vec<RedlineItem>,
}

/// The redline as a PDF.
pub fn redline_pdf(doc: &Redline) -> Result<Vec<u8>, Error> {
    typeset(redline_engine(), doc)
}

/// A bar of a chart: its label, its length (a count, or a percentage of 100), the number
/// written beside it, and its paint (a fill colour `#rrggbb` and a texture: `solid`,
/// `stripes`, `crosshatch`, `dots` or `hatch`, so that bars stay apart in greyscale print).
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub fill: String,
    pub texture: String,
}

/// One period of a chart over time: its label and up to two values (an actual and a target;
/// none: nothing known), with the numbers written out.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub label: String,
    pub value: Option<f64>,
    pub shown: String,
    pub target: Option<f64>,
    pub target_shown: String,
}

/// An item's line in the report.
#[derive(Clone, Debug, Serialize)]
pub struct ReportItem {
    pub depth: usize,
    pub code: String,
    pub title: String,
    pub status: String,
    pub progress: String,
    pub lead: String,
    pub due: String,
    pub overdue: bool,
    /// Its report for the period: state and what was done (empty: none).
    pub report: String,
}

/// An indicator in the report, with its chart over periods.
#[derive(Clone, Debug, Serialize)]
pub struct ReportIndicator {
    pub code: String,
    pub name: String,
    pub actual: String,
    pub target: String,
    pub achievement: String,
    pub by_sex: String,
    pub text: String,
    /// The top of its chart's scale (the largest actual or target, at least 1).
    pub max: f64,
    pub series: Vec<Column>,
}

/// An assessment in the report: perspective, period and state in one line, ratings counted.
#[derive(Clone, Debug, Serialize)]
pub struct ReportAssessment {
    pub title: String,
    pub ratings: String,
    pub narrative: String,
}

/// A fact of the report's first page: a label and its value.
#[derive(Clone, Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// The words of a report.
#[derive(Clone, Debug, Serialize)]
pub struct ReportLabels {
    pub page: String,
    pub by_status: String,
    pub by_root: String,
    pub over_time: String,
    pub items: String,
    pub indicators: String,
    pub assessments: String,
    pub code: String,
    pub title: String,
    pub status: String,
    pub progress: String,
    pub lead: String,
    pub due: String,
    pub report: String,
    pub overdue: String,
    pub actual: String,
    pub target: String,
    pub achievement: String,
    pub by_sex: String,
    pub none: String,
}

/// The implementation report of a period with its charts.
#[derive(Clone, Debug, Serialize)]
pub struct ReportDocument {
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    pub marking: String,
    pub labels: ReportLabels,
    pub facts: Vec<Fact>,
    pub by_status: Vec<Bar>,
    pub roots: Vec<Bar>,
    pub over_time: Vec<Column>,
    pub items: Vec<ReportItem>,
    pub indicators: Vec<ReportIndicator>,
    pub assessments: Vec<ReportAssessment>,
}

/// The implementation report as a PDF.
pub fn report_pdf(doc: &ReportDocument) -> Result<Vec<u8>, Error> {
    typeset(report_engine(), doc)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn doc() -> PlanDocument {
        PlanDocument {
            lang: "sr".into(),
            title: "Индивидуални акциони план партнерства #exit() *bold*".into(),
            subtitle: "IPAP-SRB · 2015-01-01 – 2016-12-31".into(),
            parties: "Republika Srbija · NATO".into(),
            owner: "NATO".into(),
            version: "Верзија 2".into(),
            marking: "NATO RESTRICTED · RELEASABLE TO SRB".into(),
            labels: Labels { contents: "Садржај".into(), decisions: "Одлуке".into(), page: "Страна".into() },
            decisions: vec![Decision { title: "Agreed".into(), facts: "2015-01-15".into(), text: "The plan is agreed.".into() }],
            items: (0..30)
                .map(|i| Item {
                    depth: if i % 10 == 0 { 0 } else { 1 + i % 2 },
                    code: format!("{}.{}", i / 10 + 1, i % 10),
                    title: format!("Ставка {i} — Odbrana"),
                    description: "Prvi red\nдруги ред ".repeat(20),
                    facts: "Status: U toku · Rok: 2015-Q3".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_plan_is_typeset_as_a_pdf_with_cyrillic_and_its_input_as_text() {
        let pdf = plan_pdf(&doc()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        assert!(pdf.len() > 10_000);
        // The fonts are embedded (a subset of DejaVu Sans), so Cyrillic prints anywhere.
        assert!(pdf.windows(10).any(|w| w == b"DejaVuSans"), "the font is embedded");
    }

    fn report() -> ReportDocument {
        let bar = |label: &str, value: f64, texture: &str| Bar {
            label: label.into(),
            value,
            shown: format!("{value}"),
            fill: "#E69F00".into(),
            texture: texture.into(),
        };
        let col = |label: &str, value: Option<f64>, target: Option<f64>| Column {
            label: label.into(),
            value,
            shown: value.map(|v| v.to_string()).unwrap_or("—".into()),
            target,
            target_shown: target.map(|v| v.to_string()).unwrap_or_default(),
        };
        let w = |s: &str| s.to_string();
        ReportDocument {
            lang: "sr".into(),
            title: "Извештај о спровођењу #exit()".into(),
            subtitle: "IPAP · 2015-Q2".into(),
            marking: "NATO UNCLASSIFIED".into(),
            labels: ReportLabels {
                page: w("Страна"),
                by_status: w("По статусу"),
                by_root: w("Напредак"),
                over_time: w("Kroz vreme"),
                items: w("Ставке"),
                indicators: w("Индикатори"),
                assessments: w("Оцене"),
                code: w("Шифра"),
                title: w("Наслов"),
                status: w("Статус"),
                progress: w("Напредак"),
                lead: w("Носилац"),
                due: w("Рок"),
                report: w("Извештај"),
                overdue: w("Касни"),
                actual: w("Остварено"),
                target: w("Циљ"),
                achievement: w("Остварење"),
                by_sex: w("По полу"),
                none: w("Нема"),
            },
            facts: vec![Fact { label: w("Период"), value: w("2015-Q2") }],
            by_status: ["solid", "stripes", "crosshatch", "dots", "hatch"].iter().enumerate().map(|(n, t)| bar(t, n as f64, t)).collect(),
            roots: vec![bar("1 Политички дијалог", 42.5, "solid"), bar("2", 0.0, "solid"), bar("3", 250.0, "solid")],
            over_time: vec![col("2015-Q1", Some(10.0), None), col("2015-Q2", None, None)],
            items: (0..80)
                .map(|n| ReportItem {
                    depth: n % 3,
                    code: format!("1.{n}"),
                    title: "Odbrana *bold* #exit()".into(),
                    status: w("У току"),
                    progress: w("40 %"),
                    lead: if n % 2 == 0 { w("MFA") } else { String::new() },
                    due: w("2015-Q3"),
                    overdue: n % 5 == 0,
                    report: if n % 4 == 0 { w("Урађено\nдруги ред") } else { String::new() },
                })
                .collect(),
            indicators: vec![ReportIndicator {
                code: w("1.1"),
                name: w("Обучени"),
                actual: w("85"),
                target: w("100"),
                achievement: w("85 %"),
                by_sex: w("жене: 46"),
                text: String::new(),
                max: 100.0,
                series: vec![col("2015-Q1", Some(40.0), Some(50.0)), col("2015-Q2", Some(85.0), Some(100.0)), col("2015-Q3", None, Some(120.0))],
            }],
            assessments: vec![ReportAssessment { title: w("Partner · 2015-Q2"), ratings: w("Добро 3"), narrative: w("Текст") }],
        }
    }

    #[test]
    fn a_report_with_every_kind_of_chart_and_empty_parts_is_typeset() {
        let pdf = report_pdf(&report()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let mut empty = report();
        (empty.by_status, empty.roots, empty.over_time, empty.items, empty.indicators, empty.assessments) = (vec![], vec![], vec![], vec![], vec![], vec![]);
        assert!(report_pdf(&empty).unwrap().starts_with(b"%PDF-"), "a report of nothing is still a document");
    }
}
