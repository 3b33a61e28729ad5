//! The text of an evidence file, for search: UTF-8 text as it is, PDF through `pdf-extract`,
//! Word (DOCX) from its `word/document.xml`. Reading is bounded: at most
//! [`Limits::max_chars`] characters are kept, a DOCX's XML is read to at most
//! [`Limits::max_unzipped`] bytes (a zip bomb stops there), and a PDF is read on its own thread
//! for at most [`Limits::max_time`], larger than [`Limits::max_pdf_bytes`] not at all. A file
//! that cannot be read gives no text and says why; it never fails the upload.

use std::io::Read;
use std::time::Duration;

/// How much reading a file may cost.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_chars: usize,
    pub max_unzipped: u64,
    pub max_time: Duration,
    pub max_pdf_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_chars: liaison_domain::search::MAX_BODY_CHARS,
            max_unzipped: 32 * 1024 * 1024,
            max_time: Duration::from_secs(10),
            max_pdf_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What reading a file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extracted {
    /// Its text (perhaps cut at the limit; perhaps empty: a scan without a text layer).
    Text(String),
    /// A kind of file whose text is not read (images, spreadsheets).
    NotText,
    /// It could not be read: why, for the log.
    Unreadable(String),
}

impl Extracted {
    /// The text to index: empty where there is none.
    pub fn text(&self) -> &str {
        match self {
            Extracted::Text(t) => t,
            _ => "",
        }
    }
}

fn cut(mut s: String, max: usize) -> String {
    if let Some((at, _)) = s.char_indices().nth(max) {
        s.truncate(at);
    }
    s
}

/// Read the text of a file of `media_type` (as `liaison_domain::attachment::sniff` named it).
pub fn extract(media_type: &str, bytes: Vec<u8>, limits: Limits) -> Extracted {
    match media_type {
        t if t.starts_with("text/") => match String::from_utf8(bytes) {
            Ok(s) => Extracted::Text(cut(s, limits.max_chars)),
            Err(_) => Extracted::Unreadable("not UTF-8".into()),
        },
        "application/pdf" => pdf(bytes, limits),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => docx(&bytes, limits),
        _ => Extracted::NotText,
    }
}

fn pdf(bytes: Vec<u8>, limits: Limits) -> Extracted {
    if bytes.len() > limits.max_pdf_bytes {
        return Extracted::Unreadable(format!("larger than {} bytes", limits.max_pdf_bytes));
    }
    let (send, recv) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("pdf-text".into()).spawn(move || {
        // A malformed file may make the reader panic: that is an unreadable file, not a crash.
        let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&bytes));
        let _ = send.send(r);
    });
    if let Err(e) = spawned {
        return Extracted::Unreadable(format!("cannot start a reader: {e}"));
    }
    match recv.recv_timeout(limits.max_time) {
        Ok(Ok(Ok(text))) => Extracted::Text(cut(text, limits.max_chars)),
        Ok(Ok(Err(e))) => Extracted::Unreadable(format!("PDF: {e}")),
        Ok(Err(_)) => Extracted::Unreadable("PDF: the reader failed on this file".into()),
        // The thread is left to finish on its own; its answer is dropped.
        Err(_) => Extracted::Unreadable(format!("PDF: not read within {:?}", limits.max_time)),
    }
}

fn docx(bytes: &[u8], limits: Limits) -> Extracted {
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => return Extracted::Unreadable(format!("DOCX: {e}")),
    };
    let mut xml = Vec::new();
    match zip.by_name("word/document.xml") {
        Ok(f) => {
            if let Err(e) = f.take(limits.max_unzipped).read_to_end(&mut xml) {
                return Extracted::Unreadable(format!("DOCX: {e}"));
            }
        }
        Err(e) => return Extracted::Unreadable(format!("DOCX: {e}")),
    }
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut out = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    let mut chars = 0usize;
    loop {
        use quick_xml::events::Event;
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().into_inner() == "t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) if matches!(e.local_name().into_inner(), "tab" | "br") => out.push(' '),
            Ok(Event::Text(t)) if in_text => {
                let s = t.xml10_content().into_owned();
                chars += s.chars().count();
                out.push_str(&s);
                if chars >= limits.max_chars {
                    break;
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    match r.as_ref() {
                        "amp" => out.push('&'),
                        "lt" => out.push('<'),
                        "gt" => out.push('>'),
                        "quot" => out.push('"'),
                        "apos" => out.push('\''),
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) => break,
            // The XML was cut at the limit, or is broken: keep what was read.
            Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Extracted::Text(cut(out, limits.max_chars))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn docx_with(document_xml: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(document_xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    #[test]
    fn utf8_text_is_read_and_cut_at_the_limit() {
        let limits = Limits { max_chars: 5, ..Limits::default() };
        assert_eq!(extract("text/plain", "Ковачица 2024".as_bytes().to_vec(), limits), Extracted::Text("Ковач".into()));
        assert!(matches!(extract("text/plain", vec![0xff, 0xfe, 0x00], limits), Extracted::Unreadable(_)));
        assert_eq!(extract("image/png", vec![1, 2, 3], limits), Extracted::NotText);
    }

    #[test]
    fn a_word_document_gives_its_paragraphs() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>Обука у Ковачици</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Tom &amp; </w:t></w:r><w:r><w:tab/><w:t>Jerry</w:t></w:r></w:p></w:body></w:document>"#;
        let got = extract(DOCX, docx_with(xml), Limits::default());
        assert_eq!(got, Extracted::Text("Обука у Ковачици\nTom &  Jerry\n".into()));
    }

    #[test]
    fn broken_and_hostile_documents_give_no_text_and_no_panic() {
        assert!(matches!(extract(DOCX, b"PK\x03\x04 not a zip".to_vec(), Limits::default()), Extracted::Unreadable(_)));
        assert!(matches!(extract("application/pdf", b"%PDF-1.7 nothing else".to_vec(), Limits::default()), Extracted::Unreadable(_)));
        // A document of 50 MB of text inflates no further than the limit.
        let big = format!("<w:document><w:body><w:p><w:t>{}</w:t></w:p></w:body></w:document>", "a".repeat(50 * 1024 * 1024));
        let limits = Limits { max_unzipped: 1024 * 1024, max_chars: 10_000_000, ..Limits::default() };
        let got = extract(DOCX, docx_with(&big), limits);
        assert!(got.text().len() <= 1024 * 1024, "{}", got.text().len());
        let unclosed = "<w:document><w:body><w:p><w:t>half a paragraph";
        assert_eq!(extract(DOCX, docx_with(unclosed), Limits::default()).text(), "half a paragraph");
    }
}
