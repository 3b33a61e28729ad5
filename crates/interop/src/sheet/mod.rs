//! Spreadsheets in: XLSX workbooks (read with [`calamine`] 0.38, a cell at a time) and CSV
//! files (read with [`::csv`] 1.4, after finding their encoding and separator), each made a
//! [`Grid`] of cells; then where its table is ([`table`]) and what its cells mean ([`values`]).
//!
//! The file is hostile until read. Before `calamine` opens a workbook, every part of its zip is
//! inflated once, counted, against the size it claims and a total ([`Limits::max_unzipped`]):
//! a zip bomb, or a part claiming a gigabyte, is refused before anything is kept. Cells are
//! read one at a time (never calamine's dense range, which a single cell at `XFD1048576` makes
//! 17 billion cells wide), and rows, columns and cells are bounded. An encrypted workbook,
//! an old `.xls` and a file that is no spreadsheet at all are each named.

pub mod figures;
pub mod table;
pub mod values;

use chrono::NaiveDate;
use std::fmt;
use std::io::{Cursor, Read};

/// A cell's value as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date (Excel stores a serial number; it is a day here).
    Date(NaiveDate),
    Bool(bool),
    /// An error value (`#REF!`, `#N/A`, …).
    Error(String),
}

impl Value {
    /// The cell as text (a number as people read it).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.clone(),
            Value::Number(n) => values::number_text(*n),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Value::Error(e) => e.clone(),
        }
    }

    /// Whether it holds nothing (or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A rectangle of cells merged into one (0-based rows and columns, inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// One sheet: its rows of cells (row 0 is the sheet's row 1), ragged (a row ends at its last
/// cell), and its merged regions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
    pub merges: Vec<Merge>,
}

impl Grid {
    /// The cell at a row and column, or empty.
    pub fn cell(&self, row: usize, col: usize) -> &Value {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Value::Empty)
    }

    /// The widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// How the file was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx {
        /// Whether dates count from 1904 (old Mac workbooks).
        base_1904: bool,
    },
    Csv {
        /// `UTF-8`, `windows-1250` or `windows-1251`.
        encoding: &'static str,
        /// Whether it began with a UTF-8 byte order mark.
        bom: bool,
        separator: char,
    },
}

/// A file read: its format and its sheets (a CSV file has one).
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    pub format: Format,
    pub sheets: Vec<Grid>,
}

impl Book {
    /// Whether dates count from 1904.
    pub fn base_1904(&self) -> bool {
        matches!(self.format, Format::Xlsx { base_1904: true })
    }

    /// The sheet of this name, or the first with any cell.
    pub fn sheet(&self, name: Option<&str>) -> Option<&Grid> {
        match name {
            Some(n) => self.sheets.iter().find(|s| s.name == n),
            None => self.sheets.iter().find(|s| s.rows.iter().any(|r| r.iter().any(|c| !c.is_blank()))).or(self.sheets.first()),
        }
    }
}

/// The bounds of reading.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest file.
    pub max_bytes: usize,
    /// What a workbook's zip may hold, inflated, in all.
    pub max_unzipped: u64,
    pub max_rows: usize,
    pub max_columns: usize,
    pub max_cells: usize,
    /// The longest cell, in bytes (Excel's own limit is 32,767 characters).
    pub max_cell_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_bytes: 50 << 20, max_unzipped: 300 << 20, max_rows: 100_000, max_columns: 500, max_cells: 5_000_000, max_cell_bytes: 131_072 }
    }
}

/// Why a file was not read. Each says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Neither an XLSX workbook nor a CSV text.
    NotASpreadsheet(String),
    /// A workbook protected with a password.
    Encrypted,
    /// An Excel 97-2003 `.xls` (or another OLE file).
    OldExcel,
    /// Over a bound (`what`, the bound).
    TooLarge { what: &'static str, limit: u64 },
    /// A zip whose parts inflate to more than they claim, or to more than the bound.
    ZipBomb(String),
    /// A workbook whose parts could not be read.
    Damaged(String),
}

impl Refusal {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotASpreadsheet(_) => "not_a_spreadsheet",
            Refusal::Encrypted => "encrypted",
            Refusal::OldExcel => "old_excel",
            Refusal::TooLarge { .. } => "too_large",
            Refusal::ZipBomb(_) => "zip_bomb",
            Refusal::Damaged(_) => "damaged",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotASpreadsheet(why) => write!(f, "this is not a spreadsheet Liaison reads (XLSX or CSV): {why}"),
            Refusal::Encrypted => f.write_str("the workbook is protected with a password: save a copy without the password and upload that"),
            Refusal::OldExcel => f.write_str("this is an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV and upload that"),
            Refusal::TooLarge { what, limit } => write!(f, "the file has more {what} than Liaison reads at once ({limit})"),
            Refusal::ZipBomb(why) => write!(f, "the workbook's contents are larger than they claim or than Liaison reads ({why})"),
            Refusal::Damaged(why) => write!(f, "the workbook could not be read: {why}"),
        }
    }
}

impl std::error::Error for Refusal {}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read a file as a spreadsheet: an XLSX workbook by its zip signature, an OLE file named as
/// encrypted or old, anything else as CSV text.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Book, Refusal> {
    if bytes.len() > limits.max_bytes {
        return Err(Refusal::TooLarge { what: "bytes", limit: limits.max_bytes as u64 });
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return xlsx(bytes, limits);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(if utf16_contains(bytes, "EncryptedPackage") { Refusal::Encrypted } else { Refusal::OldExcel });
    }
    csv(bytes, limits)
}

fn utf16_contains(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Inflate every part of the zip once, counting, before anything else reads it.
fn check_zip(bytes: &[u8], limits: Limits) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal::NotASpreadsheet(format!("a zip that cannot be opened ({e})")))?;
    if zip.len() > 10_000 {
        return Err(Refusal::ZipBomb(format!("{} parts", zip.len())));
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("ncrypt") || m.contains("assword") => Refusal::Encrypted,
            e => Refusal::Damaged(e.to_string()),
        })?;
        let claimed = part.size();
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if total.saturating_add(claimed) > limits.max_unzipped {
            return Err(Refusal::ZipBomb(format!("{name} claims {claimed} bytes; at most {} in all", limits.max_unzipped)));
        }
        let mut read: u64 = 0;
        loop {
            let n = part.read(&mut buf).map_err(|e| Refusal::Damaged(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if read > claimed || total + read > limits.max_unzipped {
                return Err(Refusal::ZipBomb(format!("{name} inflates past the {claimed} bytes it claims")));
            }
        }
        total += read;
    }
    Ok(())
}

fn xlsx(bytes: &[u8], limits: Limits) -> Result<Book, Refusal> {
    use calamine::{DataRef, Reader, Xlsx, XlsxError};
    check_zip(bytes, limits)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => Refusal::Encrypted,
        XlsxError::Zip(z) => Refusal::NotASpreadsheet(format!("a zip that is not a workbook ({z})")),
        other => Refusal::NotASpreadsheet(format!("a zip that is not an XLSX workbook ({other})")),
    })?;
    let base_1904 = book.has_1904_epoch();
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    let mut cells_total = 0usize;
    for name in names {
        let merges = book
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .into_iter()
            .map(|d| Merge { first_row: d.start.0, first_col: d.start.1, last_row: d.end.0, last_col: d.end.1 })
            .collect();
        let mut reader = book.worksheet_cells_reader(&name).map_err(|e| Refusal::Damaged(format!("sheet {name}: {e}")))?;
        let mut rows: Vec<Vec<Value>> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| Refusal::Damaged(format!("sheet {name}: {e}")))? {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            let v = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::Int(i) => Value::Number(*i as f64),
                DataRef::Float(f) => Value::Number(*f),
                DataRef::String(s) => Value::Text(s.clone()),
                DataRef::SharedString(s) => Value::Text((*s).to_string()),
                DataRef::Bool(b) => Value::Bool(*b),
                DataRef::DateTime(d) => values::excel_date(d.as_f64(), base_1904).map_or(Value::Number(d.as_f64()), Value::Date),
                DataRef::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").map_or_else(|_| Value::Text(s.clone()), Value::Date),
                DataRef::DurationIso(s) => Value::Text(s.clone()),
                DataRef::Error(e) => Value::Error(e.to_string()),
            };
            if let Value::Text(t) = &v
                && t.len() > limits.max_cell_bytes
            {
                return Err(Refusal::TooLarge { what: "characters in one cell", limit: limits.max_cell_bytes as u64 });
            }
            if c >= limits.max_columns {
                return Err(Refusal::TooLarge { what: "columns", limit: limits.max_columns as u64 });
            }
            if r >= limits.max_rows {
                return Err(Refusal::TooLarge { what: "rows", limit: limits.max_rows as u64 });
            }
            cells_total += 1;
            if cells_total > limits.max_cells {
                return Err(Refusal::TooLarge { what: "cells", limit: limits.max_cells as u64 });
            }
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, Value::Empty);
            }
            row[c] = v;
        }
        sheets.push(Grid { name, rows, merges });
    }
    Ok(Book { format: Format::Xlsx { base_1904 }, sheets })
}

/// Text bytes in the encoding they are most likely in: UTF-8 when they are valid UTF-8 (a
/// byte order mark dropped), else Windows-1251 when the letters outside ASCII stand alone in
/// words (Cyrillic), else Windows-1250 (Serbian Latin, whose č, ć, š, ž and đ sit among ASCII
/// letters).
pub fn decode(bytes: &[u8]) -> (String, &'static str, bool) {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if let Ok(s) = std::str::from_utf8(body) {
        return (s.to_string(), "UTF-8", bom);
    }
    let (mut mixed, mut high) = (0usize, 0usize);
    for word in body.split(|b| !(b.is_ascii_alphabetic() || *b >= 0x80)) {
        let has_high = word.iter().any(|b| *b >= 0x80);
        if !has_high {
            continue;
        }
        if word.iter().any(u8::is_ascii_alphabetic) { mixed += 1 } else { high += 1 }
    }
    let enc = if high > mixed { encoding_rs::WINDOWS_1251 } else { encoding_rs::WINDOWS_1250 };
    let (s, _, _) = enc.decode(body);
    (s.into_owned(), if high > mixed { "windows-1251" } else { "windows-1250" }, false)
}

/// The separator of a CSV text: of `;`, `,` and tab, the one that splits its first lines
/// into the same number of fields (more than one), the most often; quotes are respected.
fn separator(text: &str) -> char {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(30).collect();
    let mut best = (',', 0usize, 0usize);
    for sep in [';', ',', '\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| fields_in(l, sep)).collect();
        let mut freq: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for c in counts.iter().filter(|c| **c > 1) {
            *freq.entry(*c).or_default() += 1;
        }
        let (width, times) = freq.into_iter().max_by_key(|(w, t)| (*t, *w)).unwrap_or((1, 0));
        if (times, width) > (best.2, best.1) {
            best = (sep, width, times);
        }
    }
    best.0
}

/// Fields of one line split at `sep` outside quotes (a line cut inside quotes counts what it has).
fn fields_in(line: &str, sep: char) -> usize {
    let mut quoted = false;
    let mut n = 1;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            n += 1;
        }
    }
    n
}

fn csv(bytes: &[u8], limits: Limits) -> Result<Book, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::NotASpreadsheet("the file is empty".into()));
    }
    // Binary data is not text in any of the encodings: NUL bytes and other controls give it away.
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|b| matches!(**b, 0..=8 | 14..=26 | 28..=31)).count();
    if controls > 0 {
        return Err(Refusal::NotASpreadsheet("it holds binary data, not text".into()));
    }
    let (text, encoding, bom) = decode(bytes);
    let sep = separator(&text);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sep as u8).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    // The reader skips empty lines; a spreadsheet shows each as an empty row, and cell
    // addresses count them. A record's position is where the reader began, before the empty
    // lines it skipped: each line end there is one empty row.
    for rec in reader.records() {
        let rec = rec.map_err(|e| Refusal::NotASpreadsheet(format!("CSV that cannot be read ({e})")))?;
        if let Some(pos) = rec.position() {
            let at = pos.byte() as usize;
            let bytes = text.as_bytes();
            // After a CRLF the reader stops between its CR and LF: that LF ends the last record.
            let from = if at > 0 && bytes.get(at - 1) == Some(&b'\r') && bytes.get(at) == Some(&b'\n') { at + 1 } else { at };
            let skipped = bytes.get(from..).unwrap_or_default().iter().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|b| **b == b'\n').count();
            for _ in 0..skipped {
                if rows.len() >= limits.max_rows {
                    return Err(Refusal::TooLarge { what: "rows", limit: limits.max_rows as u64 });
                }
                rows.push(Vec::new());
            }
        }
        if rows.len() >= limits.max_rows {
            return Err(Refusal::TooLarge { what: "rows", limit: limits.max_rows as u64 });
        }
        if rec.len() > limits.max_columns {
            return Err(Refusal::TooLarge { what: "columns", limit: limits.max_columns as u64 });
        }
        cells += rec.len();
        if cells > limits.max_cells {
            return Err(Refusal::TooLarge { what: "cells", limit: limits.max_cells as u64 });
        }
        let mut row = Vec::with_capacity(rec.len());
        for f in rec.iter() {
            if f.len() > limits.max_cell_bytes {
                return Err(Refusal::TooLarge { what: "characters in one cell", limit: limits.max_cell_bytes as u64 });
            }
            row.push(if f.is_empty() { Value::Empty } else { Value::Text(unguard(f).to_string()) });
        }
        while row.last().is_some_and(|v| *v == Value::Empty) {
            row.pop();
        }
        rows.push(row);
    }
    Ok(Book { format: Format::Csv { encoding, bom, separator: sep }, sheets: vec![Grid { name: "CSV".into(), rows, merges: Vec::new() }] })
}

/// A text field as written before Liaison's (and others') formula guard: `'=x` is `=x`.
fn unguard(f: &str) -> &str {
    match f.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => f,
    }
}

/// The spreadsheet name of a column: `A`, …, `Z`, `AA`, …
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The column of a spreadsheet name (`C` → 2), if it is one.
pub fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for c in letters.to_ascii_uppercase().bytes() {
        n = n * 26 + usize::from(c - b'A' + 1);
    }
    Some(n - 1)
}

/// A cell's address: `C17` for row 16, column 2 (0-based).
pub fn cell_ref(row: usize, col: usize) -> String {
    format!("{}{}", column_letter(col), row + 1)
}

/// A grid of text cells (`""` is empty), for the tests of the sheet modules.
#[cfg(test)]
pub(crate) fn grid(rows: &[&[&str]]) -> Grid {
    Grid {
        name: "t".into(),
        rows: rows.iter().map(|r| r.iter().map(|c| if c.is_empty() { Value::Empty } else { Value::Text(c.to_string()) }).collect()).collect(),
        merges: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        for i in [0, 5, 25, 26, 51, 700, 702, 16383] {
            assert_eq!(column_index(&column_letter(i)), Some(i));
        }
        assert_eq!(cell_ref(16, 2), "C17");
        assert_eq!(column_index("1"), None);
    }

    #[test]
    fn encodings_serbian_offices_use_are_told_apart() {
        let (cyr, _, _) = encoding_rs::WINDOWS_1251.encode("Шифра;Назив\n1.1;Министарство одбране\n");
        let (s, enc, _) = decode(&cyr);
        assert_eq!(enc, "windows-1251");
        assert!(s.contains("Министарство одбране"));
        let (lat, _, _) = encoding_rs::WINDOWS_1250.encode("Šifra;Naziv\n1.1;Ministarstvo unutrašnjih poslova, Đorđe Čović\n");
        let (s, enc, _) = decode(&lat);
        assert_eq!(enc, "windows-1250");
        assert!(s.contains("unutrašnjih") && s.contains("Đorđe Čović"));
        let (s, enc, bom) = decode("\u{feff}Код;x".as_bytes());
        assert_eq!((s.as_str(), enc, bom), ("Код;x", "UTF-8", true));
    }

    #[test]
    fn separators_are_found_outside_quotes() {
        assert_eq!(separator("a;b;c\n1;\"x, y\";3\n"), ';');
        assert_eq!(separator("a,b,c\n1,\"x; y\",3\n"), ',');
        assert_eq!(separator("a\tb\tc\n1\t2\t3\n"), '\t');
        assert_eq!(separator("Title of the plan\n\ncode,title\n1,x\n2,y\n"), ',');
    }

    #[test]
    fn empty_lines_of_a_csv_are_rows_as_a_spreadsheet_shows_them() {
        let b = read(b"Title\n\ncode,title\n1,\"two\nlines\"\n\n2,x\n", Limits::default()).unwrap();
        let g = &b.sheets[0];
        let first: Vec<String> = g.rows.iter().map(|r| r.first().map(Value::text).unwrap_or_default()).collect();
        assert_eq!(first, vec!["Title", "", "code", "1", "", "2"]);
        let b = read(b"Title\r\n\r\ncode,title\r\n1,\"two\r\nlines\"\r\n2,x\r\n", Limits::default()).unwrap();
        let first: Vec<String> = b.sheets[0].rows.iter().map(|r| r.first().map(Value::text).unwrap_or_default()).collect();
        assert_eq!(first, vec!["Title", "", "code", "1", "2"], "CRLF line ends are no empty rows");
    }

    #[test]
    fn guarded_formulas_are_read_back_as_written() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}
