//! CSV tables for spreadsheet users, written with the [`csv`] crate (1.4): it quotes a field
//! only when it must (a comma, a quote, a line break), doubling quotes inside.
//!
//! On top of the crate: CRLF line ends (RFC 4180), an optional UTF-8 byte order mark (so that
//! spreadsheet programs read the file as UTF-8, not as the local code page), and a guard
//! against formula injection: a text cell a spreadsheet would run as a formula, that is one
//! beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, is written with a leading
//! `'`. Numbers are written as numbers and never guarded, so `-2.5` stays a number.

use std::fmt;

/// One cell of a [`Table`].
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing: an empty field.
    Empty,
    /// Text, guarded against being run as a formula (see the module's documentation).
    Text(String),
    /// A number written with a fixed count of decimals (`value: -2.46, decimals: 1` gives
    /// `-2.5`). A value that is not finite is written as an empty field.
    Number {
        /// The value.
        value: f64,
        /// How many digits after the decimal point.
        decimals: usize,
    },
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A number with `decimals` digits after the decimal point.
    pub fn number(value: f64, decimals: usize) -> Cell {
        Cell::Number { value, decimals }
    }

    /// A number with `decimals` digits after the decimal point, or an empty field for `None`
    /// (the report's figures, with one decimal, were written so).
    pub fn maybe_number(value: Option<f64>, decimals: usize) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::Number { value, decimals })
    }

    /// The field as it goes to the CSV writer (before quoting).
    pub fn field(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => guard(s),
            Cell::Number { value, decimals } if value.is_finite() => format!("{value:.decimals$}"),
            Cell::Number { .. } => String::new(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// The formula-injection guard: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, which spreadsheets show as text instead of running it.
pub fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() }
}

/// How a [`Table`] is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Begin with a UTF-8 byte order mark (`EF BB BF`). Spreadsheet programs need it to read
    /// Cyrillic and Latin diacritics right; on by default.
    pub bom: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { bom: true }
    }
}

/// A table: a header row (left out when empty) and rows of cells. Every row must be as long
/// as the header (when there is one) and as the other rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column names, written as text cells (guarded like any other).
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Why a table could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A row's length differs from the header's (or, without a header, from the first row's).
    /// `row` counts from 0 over [`Table::rows`].
    RowLength {
        /// The row, counted from 0.
        row: usize,
        /// Its number of cells.
        len: usize,
        /// The number of cells expected.
        expected: usize,
    },
    /// The CSV writer failed (it writes into memory, so this is not expected).
    Write(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::RowLength { row, len, expected } => write!(f, "row {row} has {len} cells, {expected} expected"),
            Error::Write(e) => write!(f, "writing CSV: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl Table {
    /// A table with this header and no rows yet.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table { header: header.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    /// Append a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The table as CSV bytes: UTF-8 (with a byte order mark if `options.bom`), CRLF line
    /// ends, fields quoted where needed and text guarded against formulas.
    pub fn to_csv(&self, options: Options) -> Result<Vec<u8>, Error> {
        let expected = if self.header.is_empty() { self.rows.first().map_or(0, Vec::len) } else { self.header.len() };
        if let Some((row, r)) = self.rows.iter().enumerate().find(|(_, r)| r.len() != expected) {
            return Err(Error::RowLength { row, len: r.len(), expected });
        }
        let mut out = Vec::new();
        if options.bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).quote_style(::csv::QuoteStyle::Necessary).from_writer(out);
        let write = |e: ::csv::Error| Error::Write(e.to_string());
        if !self.header.is_empty() {
            w.write_record(self.header.iter().map(|h| guard(h))).map_err(write)?;
        }
        for r in &self.rows {
            w.write_record(r.iter().map(Cell::field)).map_err(write)?;
        }
        w.into_inner().map_err(|e| Error::Write(e.error().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One cell written alone, as the line the writer gives for it.
    fn cell(s: &str, text: bool) -> String {
        let c = if text { Cell::text(s) } else { Cell::number(s.parse().unwrap(), 1) };
        let bytes = Table { header: vec![], rows: vec![vec![c]] }.to_csv(Options { bom: false }).unwrap();
        String::from_utf8(bytes).unwrap().strip_suffix("\r\n").unwrap().to_string()
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain", true), "plain");
        assert_eq!(cell("a,b", true), "\"a,b\"");
        assert_eq!(cell("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")", true), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-2+3", true), "'-2+3");
        assert_eq!(cell("-2.5", false), "-2.5");
    }

    #[test]
    fn every_formula_start_is_guarded_and_numbers_never() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(Cell::text(s).field(), format!("'{s}"));
        }
        for s in ["1", "a=b", " =x", "'quoted", ""] {
            assert_eq!(Cell::text(s).field(), s);
        }
        assert_eq!(Cell::number(-2.46, 1).field(), "-2.5");
        assert_eq!(Cell::number(38.0, 0).field(), "38");
        assert_eq!(Cell::maybe_number(None, 1).field(), "");
        assert_eq!(Cell::maybe_number(Some(50.0), 1).field(), "50.0");
        assert_eq!(Cell::number(f64::NAN, 1).field(), "");
        assert_eq!(Cell::number(f64::INFINITY, 1).field(), "");
        assert_eq!(Cell::Empty.field(), "");
    }

    #[test]
    fn bytes_have_a_bom_and_crlf_line_ends() {
        let mut t = Table::new(["plan", "progress_percent"]);
        t.push(vec!["IPAP".into(), Cell::number(12.5, 1)]);
        t.push(vec![Cell::Empty, Cell::maybe_number(None, 1)]);
        let bytes = t.to_csv(Options::default()).unwrap();
        assert_eq!(bytes, b"\xEF\xBB\xBFplan,progress_percent\r\nIPAP,12.5\r\n,\r\n");
        let plain = t.to_csv(Options { bom: false }).unwrap();
        assert_eq!(plain, b"plan,progress_percent\r\nIPAP,12.5\r\n,\r\n");
    }

    #[test]
    fn ragged_rows_are_refused() {
        let mut t = Table::new(["a", "b"]);
        t.push(vec!["1".into(), "2".into()]);
        t.push(vec!["1".into()]);
        assert_eq!(t.to_csv(Options::default()), Err(Error::RowLength { row: 1, len: 1, expected: 2 }));
        let headless = Table { header: vec![], rows: vec![vec!["x".into()], vec!["y".into(), "z".into()]] };
        assert!(matches!(headless.to_csv(Options::default()), Err(Error::RowLength { row: 1, .. })));
        assert_eq!(Table::default().to_csv(Options { bom: false }), Ok(vec![]));
    }

    #[test]
    fn awkward_values_round_trip_through_a_csv_reader() {
        let values = [
            "a, b, and c",
            "say \"hi\", then \"bye\"",
            "line one\nline two\r\nline three",
            "Споразум је потписан у Ковачици, 21. јануара",
            "Kovačica, Dom kulture; đak",
            "",
            " spaced ",
            "😀 € ж",
        ];
        let mut t = Table::new(["value", "n"]);
        for v in values {
            t.push(vec![Cell::text(v), Cell::number(-1.25, 2)]);
        }
        let bytes = t.to_csv(Options::default()).unwrap();
        let mut r = ::csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
        assert_eq!(r.headers().unwrap(), vec!["value", "n"], "the reader skips the BOM");
        let back: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(back, values.iter().map(|v| vec![v.to_string(), "-1.25".to_string()]).collect::<Vec<_>>());
    }

    #[test]
    fn guarded_text_reads_back_with_its_mark() {
        let mut t = Table::new(["formula"]);
        t.push(vec![Cell::text("=cmd|' /C calc'!A0, \"x\"")]);
        let bytes = t.to_csv(Options { bom: false }).unwrap();
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'=cmd|' /C calc'!A0, \"x\"");
    }
}
