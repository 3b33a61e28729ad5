//! Attachments: files kept as evidence (reports, lists of participants, photos). The bytes
//! are stored once per content (by SHA-256); each attachment is a named, marked reference to
//! them within one plan, so the same file can be evidence at two markings without either
//! revealing the other.

use crate::marking::{Marking, Scheme};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{AttachmentId, PlanId, Timestamp, UserId};
use serde::Serialize;

/// Largest file accepted unless the installation sets another limit.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub plan: PlanId,
    /// The file name as uploaded (cleaned).
    pub name: String,
    pub media_type: String,
    pub size: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub marking: Marking,
    pub uploaded_by: UserId,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// The kinds of file accepted, recognised by their first bytes (never by the name alone).
const KINDS: &[(&str, &[u8], &[&str])] = &[
    ("application/pdf", b"%PDF-", &["pdf"]),
    ("image/png", b"\x89PNG\r\n\x1a\n", &["png"]),
    ("image/jpeg", b"\xff\xd8\xff", &["jpg", "jpeg"]),
    ("image/webp", b"RIFF", &["webp"]),
    // Office Open XML documents are zip files.
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04", &["docx"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04", &["xlsx"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK\x03\x04", &["pptx"]),
];

/// What kind of file `bytes` named `name` is, if it is one Liaison accepts: PDF, PNG, JPEG,
/// WebP, Word/Excel/PowerPoint (OOXML), or UTF-8 text (`.txt`, `.csv`, `.md`).
pub fn sniff(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    for (mime, magic, exts) in KINDS {
        if bytes.starts_with(magic) && exts.contains(&ext.as_str()) {
            if *mime == "image/webp" && bytes.get(8..12) != Some(b"WEBP") {
                return None;
            }
            return Some(mime);
        }
    }
    let text = match ext.as_str() {
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => return None,
    };
    let utf8 = std::str::from_utf8(bytes).ok()?;
    (!rules::has_control_chars(utf8, true)).then_some(text)
}

/// A file name safe to show and to offer for download: no path, no control characters, at
/// most 200 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|')).collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    trimmed.chars().take(200).collect()
}

/// Check an upload before it is stored.
pub fn check_upload(
    name: &str,
    bytes: &[u8],
    max_bytes: u64,
    scheme: Scheme,
    marking: &Marking,
    plan_marking: &Marking,
    uploader_clears: bool,
) -> Result<&'static str, ValidationErrors> {
    let mut p = Problems::new();
    let mut kind = None;
    if clean_name(name).is_empty() {
        p.add("file", "name", "the file needs a name");
    } else if bytes.is_empty() {
        p.add("file", "empty", "the file is empty");
    } else if bytes.len() as u64 > max_bytes {
        p.add("file", "too_large", format!("files may be at most {} MiB", max_bytes / (1024 * 1024)));
    } else {
        kind = sniff(name, bytes);
        if kind.is_none() {
            p.add("file", "type", "accepted: PDF, PNG, JPEG, WebP, Word, Excel, PowerPoint, and UTF-8 text (.txt, .csv, .md)");
        }
    }
    p.nest("marking", marking.check_under(scheme, plan_marking, "the plan", uploader_clears, "file"));
    p.finish()?;
    kind.ok_or_else(|| ValidationErrors::one("file", "type", "unrecognised file"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;

    #[test]
    fn files_are_recognised_by_content_and_name_together() {
        assert_eq!(sniff("report.pdf", b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff("photo.JPG", b"\xff\xd8\xff\xe0...."), Some("image/jpeg"));
        assert_eq!(sniff("photo.png", b"%PDF-1.7"), None, "a PDF named .png");
        assert_eq!(sniff("list.csv", "name,sex\nAna,w\n".as_bytes()), Some("text/csv; charset=utf-8"));
        assert_eq!(sniff("run.exe", b"MZ\x90\x00"), None);
        assert_eq!(sniff("notes.txt", b"\x00\x01binary"), None);
        assert_eq!(sniff("page.html", b"<script>alert(1)</script>"), None, "HTML is never served back");
        assert_eq!(sniff("x.webp", b"RIFF\x00\x00\x00\x00WAVE"), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\ana\\report \"final\".pdf"), "report final.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("..."), "");
        assert_eq!(clean_name("a\u{0}b\nc.txt"), "abc.txt");
    }

    #[test]
    fn uploads_are_checked() {
        let plan = Marking::new(Level::NatoUnclassified, &["SRB"], "NATO");
        let ok = check_upload("r.pdf", b"%PDF-1.4", 100, Scheme::Nato, &plan, &plan, true);
        assert_eq!(ok.unwrap(), "application/pdf");
        let e = check_upload("r.pdf", &[b'%'; 101], 100, Scheme::Nato, &Marking::new(Level::Public, &[], "NATO"), &plan, true).unwrap_err();
        assert!(e.has("file") && e.has("marking"), "{e}");
        assert_eq!(e.0[0].code, "too_large");
        assert_eq!(check_upload("r.pdf", b"", 100, Scheme::Nato, &plan, &plan, true).unwrap_err().0[0].code, "empty");
        assert!(check_upload("r.pdf", b"%PDF-1.4", 100, Scheme::Nato, &plan, &plan, false).unwrap_err().has("marking"));
    }
}
