//! A plan's items as a table (XLSX and CSV): one row per item, in tree order, with every field.
//! The headers are the names the spreadsheet import proposes for each field, so an exported
//! file imports back into the same tree ([`crate::sheet`]).

use crate::{csv, xlsx};
use chrono::NaiveDate;
use liaison_domain::due::Due;
use liaison_domain::item::{GenderMarker, ItemStatus};
use liaison_domain::text::{Text, UiLang};

/// One item as the table shows it: names resolved (organisations, areas), the marking as its
/// banner.
#[derive(Clone, Debug)]
pub struct Line {
    pub code: String,
    pub parent_code: Option<String>,
    /// The framework level's key.
    pub level: String,
    pub title: Text,
    pub description: Text,
    pub lead: Option<String>,
    pub contributors: Vec<String>,
    pub areas: Vec<String>,
    pub status: ItemStatus,
    pub start: Option<NaiveDate>,
    pub due: Option<Due>,
    pub weight: u32,
    pub gender_marker: GenderMarker,
    pub marking: String,
}

/// The headers, in order (each is a name the import knows for its field).
pub const HEADERS: [&str; 14] = [
    "Code",
    "Parent code",
    "Level",
    "Title",
    "Description",
    "Lead organisation",
    "Contributing organisations",
    "Area",
    "Status",
    "Start",
    "Due",
    "Weight",
    "Gender marker",
    "Marking",
];

const WIDTHS: [f64; 14] = [10.0, 10.0, 12.0, 45.0, 60.0, 30.0, 30.0, 24.0, 14.0, 11.0, 11.0, 7.0, 8.0, 24.0];

fn text(t: &Text, lang: UiLang) -> String {
    t.show(lang)
}

/// The plan's items as an XLSX workbook of one sheet.
pub fn xlsx(plan_code: &str, title: &str, marking: &str, lines: &[Line], lang: UiLang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                xlsx::Cell::text(&l.code),
                xlsx::Cell::text(l.parent_code.clone().unwrap_or_default()),
                xlsx::Cell::text(&l.level),
                xlsx::Cell::text(text(&l.title, lang)),
                xlsx::Cell::text(text(&l.description, lang)),
                xlsx::Cell::text(l.lead.clone().unwrap_or_default()),
                xlsx::Cell::text(l.contributors.join("\n")),
                xlsx::Cell::text(l.areas.join("\n")),
                xlsx::Cell::text(l.status.code()),
                l.start.map_or(xlsx::Cell::Empty, xlsx::Cell::Date),
                match l.due {
                    Some(Due::Date(d)) => xlsx::Cell::Date(d),
                    Some(other) => xlsx::Cell::text(other.to_string()),
                    None => xlsx::Cell::Empty,
                },
                xlsx::Cell::Number(f64::from(l.weight)),
                xlsx::Cell::Number(f64::from(u8::from(l.gender_marker))),
                xlsx::Cell::text(&l.marking),
            ]
        })
        .collect();
    let table = xlsx::Table {
        name: plan_code.to_string(),
        title: format!("{plan_code} — {title}"),
        columns: HEADERS.iter().zip(WIDTHS).map(|(h, w)| xlsx::Column::new(h, w)).collect(),
        rows,
    };
    xlsx::workbook(&[table], &xlsx::Properties { title: format!("{plan_code} — {title}"), marking: marking.to_string(), author: "Liaison".into() })
}

/// The same table as CSV: the marking banner on the first line, then the header and the rows.
pub fn csv(marking: &str, lines: &[Line], lang: UiLang, options: csv::Options) -> Result<Vec<u8>, csv::Error> {
    let mut t = csv::Table::default();
    let mut banner = vec![csv::Cell::text(marking)];
    banner.resize(HEADERS.len(), csv::Cell::Empty);
    t.push(banner);
    t.push(HEADERS.iter().map(|h| csv::Cell::text(*h)).collect());
    for l in lines {
        t.push(vec![
            csv::Cell::text(&l.code),
            csv::Cell::text(l.parent_code.clone().unwrap_or_default()),
            csv::Cell::text(&l.level),
            csv::Cell::text(text(&l.title, lang)),
            csv::Cell::text(text(&l.description, lang)),
            csv::Cell::text(l.lead.clone().unwrap_or_default()),
            csv::Cell::text(l.contributors.join("; ")),
            csv::Cell::text(l.areas.join("; ")),
            csv::Cell::text(l.status.code()),
            csv::Cell::text(l.start.map(|d| d.to_string()).unwrap_or_default()),
            csv::Cell::text(l.due.map(|d| d.to_string()).unwrap_or_default()),
            csv::Cell::number(f64::from(l.weight), 0),
            csv::Cell::number(f64::from(u8::from(l.gender_marker)), 0),
            csv::Cell::text(&l.marking),
        ]);
    }
    t.to_csv(options)
}
