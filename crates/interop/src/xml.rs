//! What XML documents share: the characters XML 1.0 allows.

/// The text without the characters XML 1.0 does not allow anywhere, not even escaped
/// (control characters other than tab, line feed and carriage return, and U+FFFE/U+FFFF).
/// Neither `quick-xml` nor `atom_syndication` removes them, and a document holding one is
/// not well-formed.
pub(crate) fn chars(s: &str) -> String {
    s.chars().filter(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_what_xml_forbids_is_dropped() {
        assert_eq!(super::chars("a\u{0}b\u{8}c\u{B}\u{C}d\u{1F}e\u{FFFE}\u{FFFF}f"), "abcdef");
        let kept = "\t\n\r ~ Ђ € \u{E000} \u{FFFD} 😀 &<>\"'";
        assert_eq!(super::chars(kept), kept);
    }
}
