//! The code table (`src/iati/codelist_table.rs`) is generated here, from the official code
//! lists in the reference folder: the import checks codes air-gapped, and the reference folder
//! is test-only data that never ships. With `LIAISON_REFERENCE` set, the table is generated
//! again and must equal the committed file byte for byte (so a changed list, or a hand edit,
//! fails CI); with `LIAISON_REGENERATE=1` as well, the file is written instead.

use crate::support;
use liaison_interop::iati::codelists::{self, Status};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the lists come from (the reference README names these repositories and commits; the
/// test checks it still does, so a refreshed reference folder forces this header to follow).
const EMBEDDED_SOURCE: &str = "IATI/IATI-Codelists, branch version-2.03, commit 75e827bacd29f77356cb43defbc0b655705432f3";
const NON_EMBEDDED_SOURCE: &str = "IATI/IATI-Codelists-NonEmbedded, branch master, commit 7aeece773c60afa0265eb95e988d5e61e96d8482";

fn table_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/iati/codelist_table.rs")
}

/// One list as read: its name, whether it is embedded (fixed per version), its codes.
struct List {
    name: String,
    embedded: bool,
    codes: BTreeMap<String, Status>,
}

fn read_list(path: &Path) -> List {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = doc.root_element();
    assert!(root.has_tag_name("codelist"), "{}", path.display());
    let name = root.attribute("name").unwrap().to_string();
    assert_eq!(Some(name.as_str()), path.file_stem().and_then(|s| s.to_str()), "the file is named after its list");
    let embedded = root.attribute("embedded") == Some("1");
    let mut codes = BTreeMap::new();
    for item in root.descendants().filter(|n| n.has_tag_name("codelist-item")) {
        let code = item.children().find(|n| n.has_tag_name("code")).and_then(|n| n.text()).unwrap_or("").trim().to_string();
        assert!(!code.is_empty(), "{name}: an item without a code");
        // No status means active (the embedded lists do not write it).
        let status = match item.attribute("status").unwrap_or("active") {
            "active" => Status::Active,
            "withdrawn" => Status::Withdrawn,
            other => panic!("{name} {code}: status {other}"),
        };
        // FileFormat lists two MIME types twice, with the same status: once is enough.
        if let Some(before) = codes.insert(code.clone(), status) {
            assert_eq!(before, status, "{name} {code} is listed twice with different statuses");
        }
    }
    List { name, embedded, codes }
}

/// The table's source text, before rustfmt.
fn source(lists: &[List]) -> String {
    let names = |embedded: bool| lists.iter().filter(|l| l.embedded == embedded).map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ");
    let total: usize = lists.iter().map(|l| l.codes.len()).sum();
    let mut s = String::new();
    s.push_str("//! The codes of IATI's code lists, each with its status (active or withdrawn) and nothing\n");
    s.push_str("//! else: no names, no descriptions. The import checks codes with it at run time, air-gapped.\n");
    s.push_str("//!\n");
    s.push_str("//! GENERATED: do not edit. The test `codelists::the_code_table_is_generated_from_the_reference_lists`\n");
    s.push_str("//! (crates/interop/tests/iati/codelists.rs) writes it from `$LIAISON_REFERENCE/iati/codelists/*.xml`\n");
    s.push_str("//! when run with `LIAISON_REGENERATE=1`, and otherwise checks it is exactly what it would write.\n");
    s.push_str("//!\n");
    s.push_str(&format!("//! {} lists, {total} codes. Sources (files `xml/<Name>.xml`):\n", lists.len()));
    s.push_str(&wrap(&format!("- embedded lists ({}): {EMBEDDED_SOURCE};", names(true))));
    s.push_str(&wrap(&format!("- non-embedded lists ({}): {NON_EMBEDDED_SOURCE}.", names(false))));
    s.push_str("//!\n");
    s.push_str("//! Licence: the IATI code lists are released by Development Initiatives on behalf of the IATI\n");
    s.push_str("//! Secretariat under Creative Commons Attribution 4.0 (http://creativecommons.org/licenses/by/4.0/);\n");
    s.push_str("//! attribution: \"IATI Standard (http://iatistandard.org/)\". The software of both repositories is MIT.\n");
    s.push('\n');
    s.push_str("use super::codelists::Status::{self, Active, Withdrawn};\n\n");
    s.push_str("/// Every list by name, sorted; in each, its codes sorted (byte order), for binary search.\n");
    s.push_str("pub(super) static LISTS: &[(&str, &[(&str, Status)])] = &[\n");
    for l in lists {
        s.push_str(&format!("({:?}, &[\n", l.name));
        for (code, status) in &l.codes {
            let status = match status {
                Status::Active => "Active",
                Status::Withdrawn => "Withdrawn",
            };
            s.push_str(&format!("({code:?}, {status}),\n"));
        }
        s.push_str("]),\n");
    }
    s.push_str("];\n");
    s
}

/// `text` as `//!` lines of at most about 100 characters (continuations indented under a list item).
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > 96 {
            out.push_str(&format!("//! {line}\n"));
            line = "  ".to_string();
        } else if !line.is_empty() && line != "  " {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("//! {line}\n"));
    out
}

/// `text` as `cargo fmt` would leave it (the workspace's rustfmt.toml, edition 2024).
fn rustfmt(text: &str) -> String {
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rustfmt.toml");
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "rustfmt: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_code_table_is_generated_from_the_reference_lists() {
    let Some(dir) = support::iati() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    for commit in ["75e827bacd29f77356cb43defbc0b655705432f3", "7aeece773c60afa0265eb95e988d5e61e96d8482"] {
        assert!(readme.contains(commit), "the reference README no longer names commit {commit}: update the sources above");
    }
    let mut lists: Vec<List> = support::files(&dir.join("codelists"), ".xml").iter().map(|p| read_list(p)).collect();
    lists.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(lists.len(), 44);
    let text = rustfmt(&source(&lists));
    let path = table_path();
    if std::env::var_os("LIAISON_REGENERATE").is_some_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap();
        eprintln!("wrote {}", path.display());
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != text {
        let line = committed.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(committed.lines().count().min(text.lines().count()));
        panic!(
            "{} is not what the generator writes from the reference lists (first difference at line {}): run this test with LIAISON_REGENERATE=1",
            path.display(),
            line + 1
        );
    }
    // And the table answers as the lists say.
    for l in &lists {
        for (code, status) in &l.codes {
            assert_eq!(codelists::status(&l.name, code), Some(*status), "{} {code}", l.name);
        }
    }
    assert_eq!(codelists::lists().count(), 44);
}
