//! Sitemaps (the sitemaps.org 0.9 protocol): a `urlset` of absolute page addresses, written
//! with [`quick_xml`] (0.42), which escapes `&`, `<`, `>`, quotes and carriage returns in
//! text, as the protocol wants of `loc` values.
//!
//! Only `loc` is written (`lastmod`, `changefreq` and `priority` are optional and the portal
//! has none to give). The protocol allows 50 000 addresses and 50 MB a file; keeping within
//! that (or writing a sitemap index) is the caller's part.

use crate::xml;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The sitemap protocol's namespace.
pub const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

fn write(urls: &[String]) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
    w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([("xmlns", NAMESPACE)])))?;
    w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
    for u in urls {
        let loc = xml::chars(u);
        w.create_element("url").write_inner_content(|w| w.create_element("loc").write_text_content(BytesText::new(&loc)).map(|_| ()))?;
        w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
    Ok(w.into_inner())
}

/// A sitemap listing `urls` (absolute addresses, in the order given), one `<url>` a line.
pub fn urlset(urls: &[String]) -> String {
    // Writing into memory cannot fail, and what is written is UTF-8 (it comes from strings).
    let bytes = write(urls).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs(text: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed: {e}\n{text}"));
        let root = doc.root_element();
        assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("urlset", Some(NAMESPACE)));
        for url in root.children().filter(|n| n.is_element()) {
            assert_eq!((url.tag_name().name(), url.tag_name().namespace()), ("url", Some(NAMESPACE)));
        }
        doc.descendants().filter(|n| n.tag_name().name() == "loc").map(|n| n.text().unwrap_or_default().to_string()).collect()
    }

    #[test]
    fn urls_are_listed_in_the_sitemap_namespace() {
        let urls = vec!["https://liaison.example/public/?lang=en".to_string(), "https://liaison.example/public/plans/1?lang=sr-Latn".to_string()];
        let text = urlset(&urls);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"), "{text}");
        assert!(text.contains("\n<url><loc>https://liaison.example/public/?lang=en</loc></url>\n"), "{text}");
        assert!(text.ends_with("</urlset>\n"));
        assert_eq!(locs(&text), urls);
    }

    #[test]
    fn ampersands_and_other_markup_are_escaped() {
        let urls = vec!["https://liaison.example/public/plans/1?lang=en&page=2".to_string(), "https://liaison.example/a?q=<b>\"'".to_string()];
        let text = urlset(&urls);
        assert!(text.contains("<loc>https://liaison.example/public/plans/1?lang=en&amp;page=2</loc>"), "{text}");
        assert!(!text.contains("<b>"));
        assert_eq!(locs(&text), urls);
    }

    #[test]
    fn an_empty_sitemap_and_forbidden_characters() {
        assert_eq!(locs(&urlset(&[])), Vec::<String>::new());
        assert_eq!(locs(&urlset(&["https://x.example/\u{1}a".to_string()])), vec!["https://x.example/a".to_string()]);
    }

    proptest::proptest! {
        /// Any address comes back from the sitemap as it went in.
        #[test]
        fn any_address_round_trips(urls in proptest::collection::vec("https://x\\.example/\\PC{0,40}", 0..5)) {
            proptest::prop_assert_eq!(locs(&urlset(&urls)), urls);
        }
    }
}
