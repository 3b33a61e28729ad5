//! Atom feeds (RFC 4287) of the portal's stories, written with the [`atom_syndication`]
//! crate (0.12), which escapes text and attributes, declares the Atom namespace and writes
//! dates in RFC 3339 (as `2015-01-21T10:20:30.123+00:00`).
//!
//! [`Feed`] and [`Entry`] are plain structs of what the portal shows; [`feed`] maps them onto
//! the crate's model: the feed's `self` and `alternate` links, one author for the feed (so
//! entries need none), and per entry an `alternate` link, a plain-text summary and HTML
//! content (`type="html"`, escaped). Characters XML does not allow at all (most control
//! characters) are dropped first, since neither the crate nor quick-xml beneath it removes
//! them and a feed holding one would not be well-formed.
//!
//! atom_syndication 0.12.10, the newest release, builds on quick-xml 0.41 while
//! [`crate::sitemap`] uses quick-xml 0.42: both versions are in the build until it moves on.

use crate::xml;
use atom_syndication as atom;
use liaison_domain::Timestamp;

/// A feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    /// The language of the feed (`xml:lang`), e.g. `sr-Cyrl`.
    pub lang: String,
    /// The feed's title.
    pub title: String,
    /// A permanent, unique identifier (an IRI), e.g. `urn:uuid:…`.
    pub id: String,
    /// When the feed last changed.
    pub updated: Timestamp,
    /// The feed's own address (the `self` link).
    pub self_url: String,
    /// The page the feed stands for (the `alternate` HTML link).
    pub alternate_url: String,
    /// The author's name, given once for the feed and so for every entry.
    pub author: String,
    /// The entries, in the order given.
    pub entries: Vec<Entry>,
}

/// An entry of a [`Feed`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entry's title (plain text).
    pub title: String,
    /// A permanent, unique identifier (an IRI).
    pub id: String,
    /// When it was first published.
    pub published: Timestamp,
    /// When it last changed.
    pub updated: Timestamp,
    /// Its page (the `alternate` HTML link).
    pub url: String,
    /// A plain-text summary.
    pub summary: String,
    /// The content as HTML, already made safe by the caller; written escaped, `type="html"`.
    pub content_html: String,
}

fn link(rel: &str, mime_type: &str, href: &str) -> atom::Link {
    atom::Link { href: xml::chars(href), rel: rel.into(), mime_type: Some(mime_type.into()), ..Default::default() }
}

fn text(s: &str) -> atom::Text {
    atom::Text::plain(xml::chars(s))
}

fn entry(e: &Entry) -> atom::Entry {
    atom::Entry {
        title: text(&e.title),
        id: xml::chars(&e.id),
        updated: e.updated.fixed_offset(),
        published: Some(e.published.fixed_offset()),
        links: vec![link("alternate", "text/html", &e.url)],
        summary: Some(text(&e.summary)),
        content: Some(atom::Content { value: Some(xml::chars(&e.content_html)), content_type: Some("html".into()), ..Default::default() }),
        ..Default::default()
    }
}

/// The feed as an Atom document (UTF-8, with an XML declaration).
pub fn feed(f: &Feed) -> String {
    let doc = atom::Feed {
        lang: Some(xml::chars(&f.lang)),
        title: text(&f.title),
        id: xml::chars(&f.id),
        updated: f.updated.fixed_offset(),
        authors: vec![atom::Person { name: xml::chars(&f.author), ..Default::default() }],
        links: vec![link("self", "application/atom+xml", &f.self_url), link("alternate", "text/html", &f.alternate_url)],
        entries: f.entries.iter().map(entry).collect(),
        ..Default::default()
    };
    // Writing into memory cannot fail, and what is written is UTF-8 (it comes from strings).
    let bytes = doc.write_to(Vec::new()).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATOM: &str = "http://www.w3.org/2005/Atom";

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn sample() -> Feed {
        Feed {
            lang: "sr-Cyrl".into(),
            title: "Партнерство & <план>".into(),
            id: "urn:uuid:0190a0b0-0000-7000-8000-000000000001:sr-Cyrl".into(),
            updated: ts("2015-01-21T10:20:30.123Z"),
            self_url: "https://liaison.example/public/plans/1/feed.atom?lang=sr-Cyrl&x=<1>".into(),
            alternate_url: "https://liaison.example/public/plans/1?lang=sr-Cyrl".into(),
            author: "IPAP & partners".into(),
            entries: vec![Entry {
                title: "Споразум је потписан & <објављен>".into(),
                id: "urn:uuid:0190a0b0-0000-7000-8000-000000000002".into(),
                published: ts("2015-01-21T09:00:00Z"),
                updated: ts("2015-01-21T10:20:30.123Z"),
                url: "https://liaison.example/public/stories/2?lang=sr-Cyrl".into(),
                summary: "Кратко: \"A & B\"".into(),
                content_html: "<p>Споразум &amp; <em>план</em></p>".into(),
            }],
        }
    }

    #[test]
    fn the_feed_is_well_formed_atom() {
        let text = feed(&sample());
        assert!(text.starts_with("<?xml version=\"1.0\""), "{text}");
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not well-formed: {e}\n{text}"));
        let root = doc.root_element();
        assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("feed", Some(ATOM)));
        assert_eq!(root.attribute((roxmltree::NS_XML_URI, "lang")), Some("sr-Cyrl"));
        let child = |n: roxmltree::Node, name: &str| n.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).map(String::from);
        assert_eq!(child(root, "title").as_deref(), Some("Партнерство & <план>"));
        assert_eq!(child(root, "id").as_deref(), Some("urn:uuid:0190a0b0-0000-7000-8000-000000000001:sr-Cyrl"));
        let updated = child(root, "updated").unwrap();
        assert_eq!(chrono::DateTime::parse_from_rfc3339(&updated).unwrap(), ts("2015-01-21T10:20:30.123Z"), "RFC 3339, to the millisecond");
        let links: Vec<_> = root.children().filter(|c| c.tag_name().name() == "link").collect();
        let self_link = links.iter().find(|l| l.attribute("rel") == Some("self")).expect("a self link");
        assert_eq!(self_link.attribute("href"), Some("https://liaison.example/public/plans/1/feed.atom?lang=sr-Cyrl&x=<1>"));
        assert_eq!(self_link.attribute("type"), Some("application/atom+xml"));
        assert!(links.iter().any(|l| l.attribute("rel") == Some("alternate") && l.attribute("type") == Some("text/html")));
        let author = root.children().find(|c| c.tag_name().name() == "author").unwrap();
        assert_eq!(child(author, "name").as_deref(), Some("IPAP & partners"));

        let entries: Vec<_> = root.children().filter(|c| c.tag_name().name() == "entry").collect();
        assert_eq!(entries.len(), 1);
        let e = entries[0];
        assert_eq!(e.tag_name().namespace(), Some(ATOM));
        assert_eq!(child(e, "title").as_deref(), Some("Споразум је потписан & <објављен>"));
        assert_eq!(child(e, "id").as_deref(), Some("urn:uuid:0190a0b0-0000-7000-8000-000000000002"));
        for date in ["published", "updated"] {
            assert!(chrono::DateTime::parse_from_rfc3339(&child(e, date).unwrap()).is_ok(), "{date}");
        }
        assert_eq!(child(e, "summary").as_deref(), Some("Кратко: \"A & B\""));
        let content = e.children().find(|c| c.tag_name().name() == "content").unwrap();
        assert_eq!(content.attribute("type"), Some("html"));
        assert_eq!(content.text(), Some("<p>Споразум &amp; <em>план</em></p>"), "the HTML comes back as written");
        let alt = e.children().find(|c| c.tag_name().name() == "link").unwrap();
        assert_eq!((alt.attribute("rel"), alt.attribute("href")), (Some("alternate"), Some("https://liaison.example/public/stories/2?lang=sr-Cyrl")));
    }

    #[test]
    fn the_crate_reads_the_feed_back() {
        let f = sample();
        let back: atom::Feed = feed(&f).parse().unwrap();
        assert_eq!(back.lang.as_deref(), Some("sr-Cyrl"));
        assert_eq!(back.title.value, f.title);
        assert_eq!(back.id, f.id);
        assert_eq!(back.updated, f.updated.fixed_offset());
        assert_eq!(back.authors[0].name, f.author);
        assert_eq!(
            back.links.iter().map(|l| (l.rel.as_str(), l.href.as_str())).collect::<Vec<_>>(),
            vec![("self", f.self_url.as_str()), ("alternate", f.alternate_url.as_str())]
        );
        let (e, want) = (&back.entries[0], &f.entries[0]);
        assert_eq!(e.title.value, want.title);
        assert_eq!(e.id, want.id);
        assert_eq!(e.updated, want.updated.fixed_offset());
        assert_eq!(e.published, Some(want.published.fixed_offset()));
        assert_eq!(e.summary.as_ref().map(|s| s.value.as_str()), Some(want.summary.as_str()));
        let content = e.content.as_ref().unwrap();
        assert_eq!((content.content_type.as_deref(), content.value.as_deref()), (Some("html"), Some(want.content_html.as_str())));
        assert_eq!(e.links[0].href, want.url);
    }

    proptest::proptest! {
        /// Any printable text comes back from the feed as it went in.
        #[test]
        fn any_text_round_trips(title in "\\PC{0,80}", summary in "[&<>\"' a-zđžЂ]{0,40}", url in "https://x\\.example/[a-z&=?<>\"]{0,30}") {
            let mut f = sample();
            f.title = title.clone();
            f.self_url = url.clone();
            f.entries[0].summary = summary.clone();
            f.entries[0].content_html = format!("<p>{title}</p>");
            let text = feed(&f);
            let doc = roxmltree::Document::parse(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}\n{text}")))?;
            let root = doc.root_element();
            let child = |n: roxmltree::Node, name: &str| n.children().find(|c| c.tag_name().name() == name).map(|c| c.text().unwrap_or_default().to_string());
            proptest::prop_assert_eq!(child(root, "title"), Some(title.clone()));
            let e = root.children().find(|c| c.tag_name().name() == "entry").unwrap();
            proptest::prop_assert_eq!(child(e, "summary"), Some(summary));
            proptest::prop_assert_eq!(child(e, "content"), Some(format!("<p>{title}</p>")));
            let self_link = root.children().find(|c| c.attribute("rel") == Some("self")).and_then(|l| l.attribute("href")).map(String::from);
            proptest::prop_assert_eq!(self_link, Some(url));
        }
    }

    #[test]
    fn a_feed_without_entries_and_with_control_characters_is_still_well_formed() {
        let f = Feed { title: "bell\u{7} and nul\u{0}".into(), entries: vec![], ..sample() };
        let text = feed(&f);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let title = doc.root_element().children().find(|c| c.tag_name().name() == "title").and_then(|c| c.text());
        assert_eq!(title, Some("bell and nul"));
        assert!(!doc.root_element().children().any(|c| c.tag_name().name() == "entry"));
    }
}
