//! The implementation report ([`liaison_domain::report::Report`]) in the tabular formats.
//!
//! CSV: one row per item the report holds, and after it one more per indicator of the item
//! with its actual, target, achievement and figures by sex. Titles are in the language asked
//! (Serbian in the script asked); codes (status, measure) stay codes, so that a spreadsheet can
//! filter on them whatever the reader's language.

use crate::csv::{Cell, Error, Options, Table};
use liaison_domain::report::Report;
use liaison_domain::text::UiLang;

/// The columns of the report's CSV, in order.
pub const CSV_COLUMNS: [&str; 19] = [
    "plan",
    "period",
    "code",
    "level",
    "title",
    "status",
    "progress_percent",
    "lead_organisation",
    "due",
    "overdue",
    "indicator",
    "unit",
    "measure",
    "actual",
    "target",
    "achievement_percent",
    "women",
    "men",
    "qualitative",
];

/// A cell of the report's table, before it is written in one format or the other.
enum V {
    Empty,
    Text(String),
    /// A figure, written with one decimal in CSV.
    Num(Option<f64>),
}

/// The report's rows: one per item, and after it one per indicator of the item.
fn rows(r: &Report, lang: UiLang) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for row in &r.rows {
        let base = || {
            vec![
                V::Text(r.plan_code.clone()),
                V::Text(r.period.clone()),
                V::Text(row.code.clone()),
                V::Text(row.level.clone()),
                V::Text(row.title.show(lang)),
                V::Text(row.status.code().into()),
                V::Num(row.progress),
                V::Text(row.lead.clone()),
                row.due.map_or(V::Empty, |d| V::Text(d.to_string())),
                V::Text(row.overdue.to_string()),
            ]
        };
        let mut item_row = base();
        item_row.extend(std::iter::repeat_with(|| V::Empty).take(CSV_COLUMNS.len() - item_row.len()));
        out.push(item_row);
        for ind in r.indicators_of(row.item) {
            let st = ind.standing.as_ref();
            let cat = |c: &str| st.and_then(|s| s.by_category.get(c).copied());
            let mut line = base();
            line.extend([
                V::Text(ind.name.show(lang)),
                V::Text(ind.unit.clone()),
                V::Text(ind.measure.code().into()),
                V::Num(st.and_then(|s| s.actual)),
                V::Num(st.and_then(|s| s.target)),
                V::Num(st.and_then(|s| s.achievement)),
                V::Num(cat("women")),
                V::Num(cat("men")),
                st.and_then(|s| s.text.clone()).map_or(V::Empty, V::Text),
            ]);
            out.push(line);
        }
    }
    out
}

/// The report as CSV (UTF-8, CRLF, text guarded against formulas): the banner of its marking on
/// the first line, then the header and the rows.
pub fn csv(r: &Report, lang: UiLang, options: Options) -> Result<Vec<u8>, Error> {
    let mut t = Table::default();
    let mut banner = vec![Cell::text(r.marking.banner())];
    banner.resize(CSV_COLUMNS.len(), Cell::Empty);
    t.push(banner);
    t.push(CSV_COLUMNS.iter().map(|h| Cell::text(*h)).collect());
    for row in rows(r, lang) {
        t.push(
            row.into_iter()
                .map(|v| match v {
                    V::Empty => Cell::Empty,
                    V::Text(s) => Cell::Text(s),
                    V::Num(n) => Cell::maybe_number(n, 1),
                })
                .collect(),
        );
    }
    t.to_csv(options)
}

/// The report as an XLSX workbook: the same table, the marking first and in the properties.
pub fn xlsx(r: &Report, lang: UiLang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::xlsx::{Cell as X, Column, Properties, Table as XTable, workbook};
    let title = format!("{} — {} — {}", r.plan_code, r.plan_title.show(lang), r.period);
    let widths = [10.0, 9.0, 9.0, 12.0, 45.0, 14.0, 9.0, 16.0, 10.0, 8.0, 36.0, 10.0, 12.0, 9.0, 9.0, 11.0, 8.0, 8.0, 30.0];
    let table = XTable {
        name: format!("Report {}", r.period),
        title: title.clone(),
        columns: CSV_COLUMNS.iter().zip(widths).map(|(h, w)| Column::new(h, w)).collect(),
        rows: rows(r, lang)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|v| match v {
                        V::Empty => X::Empty,
                        V::Text(s) => X::text(s),
                        V::Num(n) => X::maybe_number(n),
                    })
                    .collect()
            })
            .collect(),
    };
    workbook(&[table], &Properties { title, marking: r.marking.banner(), author: "Liaison".into() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_domain::indicator::{Measure, Standing};
    use liaison_domain::item::ItemStatus;
    use liaison_domain::marking::{Level, Marking};
    use liaison_domain::report::{ReportIndicator, ReportRow};
    use liaison_domain::text::Text;
    use liaison_domain::{IndicatorId, ItemId, PlanId};
    use uuid::Uuid;

    fn report() -> Report {
        let item = ItemId(Uuid::from_u128(1));
        Report {
            plan: PlanId(Uuid::from_u128(9)),
            plan_code: "IPAP".into(),
            plan_title: Text::new("en", "Plan"),
            period: "2015-Q2".into(),
            periods: vec!["2015-Q2".into()],
            as_of: chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap(),
            generated: chrono::Utc::now(),
            marking: Marking::new(Level::NatoUnclassified, &[], "NATO"),
            progress: Some(50.0),
            items: 1,
            overdue_count: 0,
            by_status: Default::default(),
            roots: vec![],
            rows: vec![ReportRow {
                item,
                code: "1.1".into(),
                level: "objective".into(),
                title: Text::new("en", "=HYPERLINK(\"x\")").with("sr", "Дијалог"),
                depth: 1,
                status: ItemStatus::InProgress,
                progress: Some(33.333),
                lead: "MFA".into(),
                due: "2015-Q3".parse().ok(),
                overdue: false,
                report: None,
            }],
            indicators: vec![ReportIndicator {
                id: IndicatorId(Uuid::from_u128(2)),
                item,
                item_code: "1.1".into(),
                name: Text::new("en", "Trained, women and men"),
                unit: "people".into(),
                measure: Measure::Number,
                standing: Some(Standing {
                    period: "2015-Q2".into(),
                    actual: Some(85.0),
                    target: Some(100.0),
                    achievement: Some(85.0),
                    by_category: [("women".to_string(), 46.0), ("men".to_string(), 39.0)].into(),
                    text: None,
                }),
                series: vec![],
            }],
            assessments: vec![],
            over_time: vec![],
        }
    }

    #[test]
    fn one_row_per_item_and_per_indicator_with_guarded_text() {
        let bytes = csv(&report(), UiLang::En, Options { bom: false }).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 4, "the marking, the header, the item, its indicator: {text}");
        assert!(lines[0].starts_with("NATO UNCLASSIFIED,"), "{}", lines[0]);
        assert_eq!(lines[1], CSV_COLUMNS.join(","));
        assert!(lines[2].contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is written as text: {}", lines[2]);
        assert!(lines[2].contains(",33.3,"), "progress with one decimal: {}", lines[2]);
        assert!(lines[3].ends_with("85.0,100.0,85.0,46.0,39.0,"), "{}", lines[3]);
        let mut rd = ::csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        assert!(rd.records().all(|r| r.is_ok_and(|r| r.len() == CSV_COLUMNS.len())), "every row has every column");
    }

    #[test]
    fn the_workbook_holds_the_same_table_with_real_numbers() {
        let bytes = xlsx(&report(), UiLang::En).unwrap();
        let book = crate::sheet::read(&bytes, Default::default()).unwrap();
        let g = &book.sheets[0];
        assert_eq!(g.cell(0, 0).text(), "NATO UNCLASSIFIED");
        assert_eq!(g.cell(2, 2).text(), "code");
        assert_eq!(g.cell(3, 4).text(), "=HYPERLINK(\"x\")", "text, never a formula");
        assert_eq!(g.cell(4, 13), &crate::sheet::Value::Number(85.0));
        assert_eq!(g.cell(3, 6), &crate::sheet::Value::Number(33.333), "figures are not rounded in a workbook");
    }

    #[test]
    fn titles_follow_the_language_and_script() {
        let latin = String::from_utf8(csv(&report(), UiLang::SrLatn, Options { bom: true }).unwrap()).unwrap();
        assert!(latin.starts_with('\u{feff}'));
        assert!(latin.contains("Dijalog") && !latin.contains("Дијалог"), "{latin}");
    }
}
