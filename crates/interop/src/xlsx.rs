//! XLSX workbooks for spreadsheet users, written with [`rust_xlsxwriter`] 0.102 (the maintained
//! port of libxlsxwriter; it writes the Open XML parts and zips them itself).
//!
//! Every sheet opens with its marking: the first row is the banner of the highest marking of
//! what the workbook holds (merged across the table, bold), and the file's properties say it
//! again (subject, category, keywords and a custom property `Marking`), so that a search of a
//! share, or the file dialog, shows it before anyone opens the file. Then the sheet's title,
//! then the table: a bold header row, frozen, with a filter; dates are real dates, numbers are
//! numbers, text is text (written as strings, so a cell that begins with `=` is never run as a
//! formula). The same header names read back through the spreadsheet import ([`crate::sheet`]).

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// One cell of a [`Table`].
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }

    pub fn maybe_number(n: Option<f64>) -> Cell {
        n.filter(|n| n.is_finite()).map_or(Cell::Empty, Cell::Number)
    }
}

/// A column: its header and width (in characters).
#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub width: f64,
}

impl Column {
    pub fn new(header: &str, width: f64) -> Column {
        Column { header: header.into(), width }
    }
}

/// One sheet: a name, a title line, and a table.
#[derive(Clone, Debug)]
pub struct Table {
    /// At most 31 characters, none of `[]:*?/\` (cut and replaced when it has them).
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the workbook says of itself.
#[derive(Clone, Debug)]
pub struct Properties {
    pub title: String,
    /// The banner of the highest marking of the content, e.g. `NATO RESTRICTED · RELEASABLE TO SRB`.
    pub marking: String,
    pub author: String,
}

/// The row the header is in (0-based): after the banner and the title.
pub const HEADER_ROW: u32 = 2;

fn sheet_name(s: &str) -> String {
    let clean: String = s.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).take(31).collect();
    if clean.trim().is_empty() { "Sheet".into() } else { clean }
}

/// The workbook's bytes.
pub fn workbook(tables: &[Table], props: &Properties) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(&props.title)
            .set_subject(&props.marking)
            .set_category(&props.marking)
            .set_keywords(&props.marking)
            .set_author(&props.author)
            .set_comment(format!("{} — {}", props.marking, props.title))
            .set_custom_property("Marking", props.marking.as_str()),
    );
    let banner = Format::new().set_bold().set_font_size(12).set_align(FormatAlign::Center);
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new().set_bold().set_text_wrap().set_background_color("#DDE4EE").set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.name))?;
        let last_col = t.columns.len().saturating_sub(1) as u16;
        if last_col > 0 {
            ws.merge_range(0, 0, 0, last_col, &props.marking, &banner)?;
        } else {
            ws.write_string_with_format(0, 0, &props.marking, &banner)?;
        }
        ws.write_string_with_format(1, 0, &t.title, &title)?;
        // The banner again in the printed page's header and footer.
        let printed = props.marking.replace('&', "&&");
        ws.set_header(format!("&C{printed}"));
        ws.set_footer(format!("&C{printed}&R&P / &N"));
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(HEADER_ROW, c, &col.header, &header)?;
            ws.set_column_width(c, col.width)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                let wide = t.columns.get(c as usize).is_some_and(|col| col.width >= 30.0);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, c, s, if wide { &wrap } else { &top })?;
                    }
                    Cell::Number(n) => {
                        ws.write_number_with_format(r, c, *n, &top)?;
                    }
                    Cell::Date(d) => {
                        let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                        ws.write_datetime_with_format(r, c, &x, &date)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW + t.rows.len() as u32, last_col)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_reads_back_with_its_marking_first_and_its_types_kept() {
        let t = Table {
            name: "Items: plan/1".into(),
            title: "Plan".into(),
            columns: vec![Column::new("Code", 10.0), Column::new("Title", 40.0), Column::new("Due", 12.0), Column::new("Weight", 8.0)],
            rows: vec![vec![Cell::text("1.10"), Cell::text("=HYPERLINK(\"x\")"), Cell::Date(NaiveDate::from_ymd_opt(2016, 3, 15).unwrap()), Cell::Number(3.0)]],
        };
        let bytes = workbook(&[t], &Properties { title: "Plan".into(), marking: "NATO RESTRICTED".into(), author: "Liaison".into() }).unwrap();
        let book = crate::sheet::read(&bytes, Default::default()).unwrap();
        let g = &book.sheets[0];
        assert_eq!(g.name, "Items- plan-1");
        assert_eq!(g.cell(0, 0), &crate::sheet::Value::Text("NATO RESTRICTED".into()));
        assert_eq!(g.cell(3, 0), &crate::sheet::Value::Text("1.10".into()), "codes stay text");
        assert_eq!(g.cell(3, 1), &crate::sheet::Value::Text("=HYPERLINK(\"x\")".into()), "text is never a formula");
        assert_eq!(g.cell(3, 2), &crate::sheet::Value::Date(NaiveDate::from_ymd_opt(2016, 3, 15).unwrap()));
        assert_eq!(g.cell(3, 3), &crate::sheet::Value::Number(3.0));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        for part in ["docProps/core.xml", "docProps/custom.xml"] {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut s).unwrap();
            assert!(s.contains("NATO RESTRICTED"), "{part}: {s}");
        }
    }
}
