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

/// The report as CSV (UTF-8, CRLF, text guarded against formulas).
pub fn csv(r: &Report, lang: UiLang, options: Options) -> Result<Vec<u8>, Error> {
    let mut t = Table::new(CSV_COLUMNS);
    for row in &r.rows {
        let base = vec![
            Cell::text(&r.plan_code),
            Cell::text(&r.period),
            Cell::text(&row.code),
            Cell::text(&row.level),
            Cell::text(row.title.show(lang)),
            Cell::text(row.status.code()),
            Cell::maybe_number(row.progress, 1),
            Cell::text(&row.lead),
            row.due.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
            Cell::text(row.overdue.to_string()),
        ];
        let mut item_row = base.clone();
        item_row.extend(std::iter::repeat_n(Cell::Empty, CSV_COLUMNS.len() - base.len()));
        t.push(item_row);
        for ind in r.indicators_of(row.item) {
            let st = ind.standing.as_ref();
            let cat = |c: &str| st.and_then(|s| s.by_category.get(c).copied());
            let mut line = base.clone();
            line.extend([
                Cell::text(ind.name.show(lang)),
                Cell::text(&ind.unit),
                Cell::text(ind.measure.code()),
                Cell::maybe_number(st.and_then(|s| s.actual), 1),
                Cell::maybe_number(st.and_then(|s| s.target), 1),
                Cell::maybe_number(st.and_then(|s| s.achievement), 1),
                Cell::maybe_number(cat("women"), 1),
                Cell::maybe_number(cat("men"), 1),
                st.and_then(|s| s.text.clone()).map_or(Cell::Empty, Cell::Text),
            ]);
            t.push(line);
        }
    }
    t.to_csv(options)
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
            }],
            assessments: vec![],
        }
    }

    #[test]
    fn one_row_per_item_and_per_indicator_with_guarded_text() {
        let bytes = csv(&report(), UiLang::En, Options { bom: false }).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "header, the item, its indicator: {text}");
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert!(lines[1].contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is written as text: {}", lines[1]);
        assert!(lines[1].contains(",33.3,"), "progress with one decimal: {}", lines[1]);
        assert!(lines[2].ends_with("85.0,100.0,85.0,46.0,39.0,"), "{}", lines[2]);
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        assert!(rd.records().all(|r| r.is_ok_and(|r| r.len() == CSV_COLUMNS.len())), "every row has every column");
    }

    #[test]
    fn titles_follow_the_language_and_script() {
        let latin = String::from_utf8(csv(&report(), UiLang::SrLatn, Options { bom: true }).unwrap()).unwrap();
        assert!(latin.starts_with('\u{feff}'));
        assert!(latin.contains("Dijalog") && !latin.contains("Дијалог"), "{latin}");
    }
}
