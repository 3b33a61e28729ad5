//! Where the reference material is. Unset, the suites that need it say so and pass (a fresh
//! machine has no reference folder); set to a folder that is missing, they fail.

use std::path::PathBuf;

/// `$LIAISON_REFERENCE/iati`, or `None` when the variable is not set.
pub fn iati() -> Option<PathBuf> {
    let root = std::env::var_os("LIAISON_REFERENCE")?;
    let mut root = PathBuf::from(root);
    if root.is_relative() {
        // Relative to the workspace root (cargo runs tests in the crate's folder).
        root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(root);
    }
    let dir = root.join("iati");
    assert!(dir.is_dir(), "LIAISON_REFERENCE is set but {} is not a folder", dir.display());
    Some(dir)
}

/// Every file under `dir` (recursively) whose name ends with `ext`, sorted.
pub fn files(dir: &std::path::Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Validate `xml` with libxml2's `xmllint` against the official 2.03 activity schema: `Err`
/// with xmllint's words when it is not valid. Fails (never skips) when xmllint is missing.
pub fn xmllint(schema_dir: &std::path::Path, xml: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema_dir.join("iati-activities-schema.xsd"))
        .arg(f.path())
        .output()
        .unwrap_or_else(|e| panic!("xmllint could not be run ({e}); install libxml2-utils"));
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}
