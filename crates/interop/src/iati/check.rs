//! Checking a whole IATI file the way IATI's validator does, one activity at a time: the
//! file's door (well-formed, IATI, a 2.0x version), the schema, the code lists and the rules,
//! and the file-level rule on duplicate identifiers. Each activity is handed to the caller with
//! its problems and then dropped, so a file of any number of activities is checked in the memory
//! of its largest one.

use super::problem::{Problem, Severity};
use super::xml::{ActivityReader, Limits, Node, Root};
use super::{codelists, rules, schema};
use chrono::NaiveDate;

/// What the file is, and its problems that belong to no one activity.
#[derive(Debug)]
pub struct FileReport {
    pub root: Root,
    pub activities: usize,
    /// Problems of the root element, and a fault that ended the reading (the activities read
    /// before it were handed over).
    pub problems: Vec<Problem>,
}

/// Check `bytes`, calling `each(activity, path, problems)` for every activity in order. `Err`
/// when the file is refused at the door (not XML, not IATI, version 1.x …).
pub fn file(bytes: &[u8], today: NaiveDate, limits: Limits, mut each: impl FnMut(&Node, &str, Vec<Problem>)) -> Result<FileReport, Problem> {
    let (mut reader, root) = ActivityReader::open(bytes, limits)?;
    let mut problems = Vec::new();
    schema::check_root(&root.node, &mut problems);
    let version = root.version.as_str();
    if !matches!(version, "2.01" | "2.02" | "2.03") {
        let (code, severity) =
            if version.eq_ignore_ascii_case("xx") || version.is_empty() { ("placeholder", Severity::Warning) } else { ("0.6.1", Severity::Warning) };
        problems.push(Problem {
            severity,
            line: root.node.line,
            column: root.node.column,
            path: "/iati-activities/@version".into(),
            code: code.into(),
            message: format!("the file's version is \"{version}\"; it is read as 2.03"),
        });
    }
    let mut file_rules = rules::FileChecks::new();
    let mut content = schema::RootContent::new();
    let mut n = 0;
    while let Some(next) = reader.next() {
        match next {
            Ok(a) => {
                n += 1;
                let path = format!("/iati-activities/iati-activity[{n}]");
                let mut out = Vec::new();
                content.child(&a, &path, &mut out);
                if !a.is_iati() {
                    // An extension of another namespace: allowed after the activities, not read.
                } else if a.name != "iati-activity" {
                    out.push(Problem {
                        severity: Severity::Error,
                        line: a.line,
                        column: a.column,
                        path: path.clone(),
                        code: "schema".into(),
                        message: format!("<{}> is not allowed here; iati-activities holds iati-activity elements", a.name),
                    });
                } else {
                    schema::check_activity(&a, &path, &mut out);
                    codelists::check_activity(&a, &path, &mut out);
                    rules::check_activity(&a, &path, today, &mut out);
                    file_rules.activity(&a, &path, &mut out);
                }
                each(&a, &path, out);
            }
            Err(p) => problems.push(p),
        }
    }
    if problems.iter().all(|p| p.severity != Severity::Error) {
        content.end(&root.node, &mut problems);
    }
    Ok(FileReport { root, activities: n, problems })
}
