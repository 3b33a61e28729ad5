//! What each API handler's signature and body say about its contract, for the OpenAPI
//! document (`api::contract`): which operations need `If-Match`, which answer an `ETag`,
//! which read a JSON body or query parameters. Read from the handlers' source, so that the
//! document cannot drift from the code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/api");
    let mut out = String::from(
        "/// (method, path, needs If-Match, answers an ETag, reads a JSON body, reads query parameters)\npub const OPERATIONS: &[(&str, &str, bool, bool, bool, bool)] = &[\n",
    );
    let mut files: Vec<_> = std::fs::read_dir("src/api").map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    for file in files.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let marker = "#[utoipa::path(";
        let starts: Vec<usize> = text.match_indices(marker).map(|(i, _)| i).collect();
        for (n, &at) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            let chunk = &text[at + marker.len()..end];
            let method = chunk.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_uppercase();
            let Some(path) = chunk.split("path = \"").nth(1).and_then(|r| r.split('"').next()) else { continue };
            let Some(sig_at) = chunk.find("pub async fn ") else { continue };
            let sig = &chunk[sig_at..chunk[sig_at..].find('{').map_or(chunk.len(), |i| sig_at + i)];
            let body = &chunk[sig_at..];
            let if_match = sig.contains("IfMatch");
            let etag = body.contains("versioned(") || body.contains("header::ETAG");
            let json = sig.contains("ApiJson<") || body.contains("parse_json(");
            let query = sig.contains("ApiQuery<") || sig.contains("Query<");
            let _ = writeln!(out, "    ({method:?}, \"/api/v1{path}\", {if_match}, {etag}, {json}, {query}),");
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("contract.rs");
    let _ = std::fs::write(dest, out);
}
