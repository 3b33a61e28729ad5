//! The reader against the official and real files: what is well-formed is read whole, what is
//! not is refused with the validator's file-level code.

use crate::support;
use liaison_interop::iati::{ActivityReader, Limits};

/// Read a file whole: the activities, or the first fatal problem's code.
fn read(bytes: &[u8]) -> Result<usize, String> {
    let (mut r, _) = ActivityReader::open(bytes, Limits::default()).map_err(|p| p.code)?;
    let mut n = 0;
    while let Some(a) = r.next() {
        a.map_err(|p| p.code)?;
        n += 1;
    }
    Ok(n)
}

#[test]
fn real_files_and_should_pass_cases_are_read_whole() {
    let Some(dir) = support::iati() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let real = [("MAEC_IATI_INDONESIA.xml", 83), ("example_203_file.xml", 13), ("example_203_references.xml", 577)];
    for (name, activities) in real {
        let bytes = std::fs::read(dir.join("tests/real").join(name)).unwrap();
        assert_eq!(read(&bytes), Ok(activities), "{name}");
    }
    let pass = support::files(&dir.join("tests/should-pass"), ".xml");
    assert_eq!(pass.len(), 215);
    for f in &pass {
        let bytes = std::fs::read(f).unwrap();
        assert!(read(&bytes).is_ok(), "{}: {:?}", f.display(), read(&bytes));
    }
}

#[test]
fn broken_files_are_refused_with_the_validators_codes() {
    let Some(dir) = support::iati() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let rules = dir.join("tests/rules");
    for (name, code) in [
        ("broken-xml.xml", "0.1.1"),
        ("iati-act-xml-errors.xml", "0.1.1"),
        ("iati-act-no-errors-old-version.xml", "0.6.1"),
        ("iati-org-no-errors.xml", "0.2.1"),
    ] {
        let bytes = std::fs::read(rules.join(name)).unwrap();
        assert_eq!(read(&bytes), Err(code.to_string()), "{name}");
    }
    // Every should-fail case is read without a panic, whatever it holds.
    for f in support::files(&dir.join("tests/should-fail"), "") {
        let _ = read(&std::fs::read(&f).unwrap());
    }
}
