//! IATI 2.03 (International Aid Transparency Initiative) activity files: read any 2.0x file
//! safely ([`xml`]), check it against the standard (the schema, the code lists and the rules
//! of IATI's validator), and write the partnership's plan as a 2.03 document.
//!
//! The problems found have the shape tools expect ([`Problem`]: severity, line, column, path,
//! code, message), with IATI's rule ids as codes where the standard has one.

pub mod check;
mod codelist_table;
pub mod codelists;
pub mod country;
pub mod model;
pub mod problem;
pub mod read;
pub mod rules;
pub mod schema;
pub mod write;
pub mod xml;

pub use problem::{Problem, Severity};
pub use xml::{ActivityReader, Attr, Limits, Node, Root};

/// How many `iati-activity` elements a file seems to hold, counted from its bytes without
/// parsing (for a progress bar's length; the reader's count is the one that counts).
pub fn count_activities(bytes: &[u8]) -> usize {
    let tag = b"<iati-activity";
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(tag.len()).position(|w| w == tag) {
        let end = at + i + tag.len();
        if matches!(bytes.get(end), Some(b' ' | b'>' | b'\n' | b'\r' | b'\t' | b'/')) {
            n += 1;
        }
        at = end;
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn activities_are_counted_without_their_relatives() {
        let xml = b"<iati-activities version=\"2.03\"><iati-activity a=\"1\"></iati-activity>\n<iati-activity>\n<iati-activity/><iati-activities-x/>";
        assert_eq!(super::count_activities(xml), 3);
        assert_eq!(super::count_activities(b""), 0);
    }
}
