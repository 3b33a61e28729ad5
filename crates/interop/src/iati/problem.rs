//! A problem found in an IATI file: what the import preview lists, and what tools read.

use serde::Serialize;

/// How bad a problem is: an `error` keeps its activity (or the file) from being imported; a
/// `warning` is imported as it is and said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at its place in the file. `code` is a rule id of IATI's validator where
/// there is one (`1.1.3`, `0.3.1` …), else a name (`schema`, `codelist`, `placeholder`,
/// `limit`, `xml-doctype`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub line: u32,
    pub column: u32,
    /// Where in the document: `/iati-activities/iati-activity[3]/sector[2]/@code`.
    pub path: String,
    pub code: String,
    pub message: String,
}
