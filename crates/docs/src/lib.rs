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

/// The engine with the plan template and the fonts, made once (the fonts are parsed once).
fn plan_engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder().main_file(PLAN).with_static_source_file_resolver([("page.typ", PAGE)]).fonts([SANS, SANS_BOLD, SANS_OBLIQUE]).build()
    })
}

/// The engine with the redline template (and the page it imports).
fn redline_engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder().main_file(REDLINE).with_static_source_file_resolver([("page.typ", PAGE)]).fonts([SANS, SANS_BOLD, SANS_OBLIQUE]).build()
    })
}

/// Typeset `data` (serialised as the template's `sys.inputs.data`) with `engine`.
fn typeset<T: Serialize>(engine: &TypstEngine<typst_as_lib::TypstTemplateMainFile>, data: &T) -> Result<Vec<u8>, Error> {
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
}
