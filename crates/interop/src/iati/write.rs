//! Writing IATI 2.03 activity files, one activity at a time, straight to the output (a plan
//! of 510 items is never held as one document). Elements are written in the order the
//! schema's sequences ask for; text and attribute values lose the characters XML forbids and
//! are escaped by quick-xml; numbers are written without exponents; a value that is not a
//! number (NaN, infinity) is left out rather than written wrongly.

use super::model::*;
use chrono::NaiveDate;
use liaison_domain::Timestamp;
use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::Write;

/// The version written.
pub const VERSION: &str = "2.03";

type Res = std::io::Result<()>;

/// A streaming writer of one `iati-activities` document.
pub struct Writer<W: Write> {
    w: XmlWriter<W>,
}

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn datetime(t: Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A number as xsd:decimal writes it: no exponent, no trailing `.0`.
pub fn decimal(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let s = format!("{v}");
    Some(if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s })
}

impl<W: Write> Writer<W> {
    /// Start the document: the declaration and the root, `generated` as its time. `banner`
    /// (e.g. a security marking) is written as a comment before the root, where every reader of
    /// the file sees it first.
    pub fn start(out: W, generated: Timestamp, banner: Option<&str>) -> std::io::Result<Writer<W>> {
        let mut w = XmlWriter::new_with_indent(out, b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(io)?;
        if let Some(b) = banner {
            // A comment may not hold `--`.
            let text = format!(" {} ", crate::xml::chars(b).replace("--", "- -"));
            w.write_event(Event::Comment(BytesText::from_escaped(text))).map_err(io)?;
        }
        let mut root = BytesStart::new("iati-activities");
        root.push_attribute(("version", VERSION));
        root.push_attribute(("generated-datetime", datetime(generated).as_str()));
        w.write_event(Event::Start(root)).map_err(io)?;
        Ok(Writer { w })
    }

    /// End the document and give the output back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.w.write_event(Event::End(BytesEnd::new("iati-activities"))).map_err(io)?;
        let mut out = self.w.into_inner();
        out.write_all(b"\n")?;
        Ok(out)
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Res {
        let mut s = BytesStart::new(name);
        for (k, v) in attrs {
            s.push_attribute((*k, crate::xml::chars(v).as_str()));
        }
        self.w.write_event(Event::Start(s)).map_err(io)
    }

    fn close(&mut self, name: &str) -> Res {
        self.w.write_event(Event::End(BytesEnd::new(name))).map_err(io)
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Res {
        let mut s = BytesStart::new(name);
        for (k, v) in attrs {
            s.push_attribute((*k, crate::xml::chars(v).as_str()));
        }
        self.w.write_event(Event::Empty(s)).map_err(io)
    }

    fn text_element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Res {
        self.open(name, attrs)?;
        self.w.write_event(Event::Text(BytesText::new(&crate::xml::chars(text)))).map_err(io)?;
        self.close(name)
    }

    /// `<narrative>`s: one per language (a text without language takes the default).
    fn narratives(&mut self, n: &Narratives) -> Res {
        let mut any = false;
        for (lang, text) in &n.0 {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            any = true;
            match lang {
                Some(l) => self.text_element("narrative", &[("xml:lang", l)], text)?,
                None => self.text_element("narrative", &[], text)?,
            }
        }
        if !any {
            // The schema wants at least one narrative where a text element is required.
            self.text_element("narrative", &[], "")?;
        }
        Ok(())
    }

    fn texts(&mut self, name: &str, attrs: &[(&str, &str)], n: &Narratives) -> Res {
        self.open(name, attrs)?;
        self.narratives(n)?;
        self.close(name)
    }

    fn org(&mut self, name: &str, extra: &[(&str, &str)], o: &Org) -> Res {
        let mut attrs: Vec<(&str, &str)> = extra.to_vec();
        if let Some(r) = &o.reference {
            attrs.push(("ref", r));
        }
        if let Some(k) = &o.kind {
            attrs.push(("type", k));
        }
        self.texts(name, &attrs, &o.name)
    }

    /// Write one activity.
    pub fn activity(&mut self, a: &Activity) -> Res {
        let last = a.last_updated.map(datetime);
        let hierarchy = a.hierarchy.map(|h| h.to_string());
        let mut attrs: Vec<(&str, &str)> = Vec::new();
        if let Some(l) = &last {
            attrs.push(("last-updated-datetime", l));
        }
        if let Some(l) = &a.default_lang {
            attrs.push(("xml:lang", l));
        }
        if let Some(c) = &a.default_currency {
            attrs.push(("default-currency", c));
        }
        if let Some(h) = &hierarchy {
            attrs.push(("hierarchy", h));
        }
        self.open("iati-activity", &attrs)?;
        self.text_element("iati-identifier", &[], &a.identifier)?;
        self.org("reporting-org", &[], &a.reporting_org)?;
        self.texts("title", &[], &a.title)?;
        if a.descriptions.is_empty() {
            self.texts("description", &[("type", "1")], &a.title)?;
        }
        for (kind, d) in &a.descriptions {
            self.texts("description", &[("type", kind)], d)?;
        }
        for p in &a.participants {
            let mut extra = vec![("role", p.role.as_str())];
            if let Some(id) = &p.activity_id {
                extra.push(("activity-id", id));
            }
            self.org("participating-org", &extra, &p.org)?;
        }
        self.empty("activity-status", &[("code", &a.status)])?;
        for d in &a.dates {
            self.empty("activity-date", &[("type", &d.kind), ("iso-date", &date(d.date))])?;
        }
        for (code, pct) in &a.countries {
            match pct.and_then(decimal) {
                Some(p) => self.empty("recipient-country", &[("code", code), ("percentage", &p)])?,
                None => self.empty("recipient-country", &[("code", code)])?,
            }
        }
        for s in &a.sectors {
            let pct = s.percentage.and_then(decimal);
            let mut attrs = vec![("vocabulary", s.vocabulary.as_str()), ("code", s.code.as_str())];
            if let Some(p) = &pct {
                attrs.push(("percentage", p));
            }
            if s.name.is_empty() {
                self.empty("sector", &attrs)?;
            } else {
                self.texts("sector", &attrs, &s.name)?;
            }
        }
        for m in &a.policy_markers {
            let mut attrs = vec![("vocabulary", m.vocabulary.as_str()), ("code", m.code.as_str())];
            if let Some(s) = &m.significance {
                attrs.push(("significance", s));
            }
            self.empty("policy-marker", &attrs)?;
        }
        for t in &a.transactions {
            self.transaction(t)?;
        }
        for d in &a.documents {
            self.document(d)?;
        }
        for r in &a.related {
            self.empty("related-activity", &[("ref", &r.identifier), ("type", &r.kind)])?;
        }
        for r in &a.results {
            self.result(r)?;
        }
        self.close("iati-activity")
    }

    fn transaction(&mut self, t: &Transaction) -> Res {
        let Some(value) = decimal(t.value) else { return Ok(()) };
        match &t.reference {
            Some(r) => self.open("transaction", &[("ref", r)])?,
            None => self.open("transaction", &[])?,
        }
        self.empty("transaction-type", &[("code", &t.kind)])?;
        self.empty("transaction-date", &[("iso-date", &date(t.date))])?;
        let vd = date(t.value_date);
        let mut attrs = vec![("value-date", vd.as_str())];
        if let Some(c) = &t.currency {
            attrs.push(("currency", c));
        }
        self.text_element("value", &attrs, &value)?;
        if !t.description.is_empty() {
            self.texts("description", &[], &t.description)?;
        }
        if let Some(p) = &t.provider {
            self.org("provider-org", &[], p)?;
        }
        if let Some(r) = &t.receiver {
            self.org("receiver-org", &[], r)?;
        }
        self.close("transaction")
    }

    fn document(&mut self, d: &DocumentLink) -> Res {
        self.open("document-link", &[("format", &d.format), ("url", &d.url)])?;
        self.texts("title", &[], &d.title)?;
        self.empty("category", &[("code", &d.category)])?;
        if let Some(l) = &d.language {
            self.empty("language", &[("code", l)])?;
        }
        if let Some(dd) = d.date {
            self.empty("document-date", &[("iso-date", &date(dd))])?;
        }
        self.close("document-link")
    }

    fn result(&mut self, r: &ActivityResult) -> Res {
        self.open("result", &[("type", &r.kind)])?;
        self.texts("title", &[], &r.title)?;
        if !r.description.is_empty() {
            self.texts("description", &[], &r.description)?;
        }
        for i in &r.indicators {
            self.indicator(i)?;
        }
        self.close("result")
    }

    fn indicator(&mut self, i: &Indicator) -> Res {
        let mut attrs = vec![("measure", i.measure.as_str())];
        if let Some(a) = i.ascending {
            attrs.push(("ascending", if a { "1" } else { "0" }));
        }
        self.open("indicator", &attrs)?;
        self.texts("title", &[], &i.title)?;
        if !i.description.is_empty() {
            self.texts("description", &[], &i.description)?;
        }
        if let Some(b) = &i.baseline {
            let year = b.year.to_string();
            let iso = b.date.map(date);
            let value = b.value.and_then(decimal);
            let mut attrs = vec![("year", year.as_str())];
            if let Some(d) = &iso {
                attrs.push(("iso-date", d));
            }
            if let Some(v) = &value {
                attrs.push(("value", v));
            }
            if b.comment.is_empty() {
                self.empty("baseline", &attrs)?;
            } else {
                self.open("baseline", &attrs)?;
                self.texts("comment", &[], &b.comment)?;
                self.close("baseline")?;
            }
        }
        for p in &i.periods {
            self.open("period", &[])?;
            self.empty("period-start", &[("iso-date", &date(p.start))])?;
            self.empty("period-end", &[("iso-date", &date(p.end))])?;
            for t in &p.targets {
                self.measure("target", t)?;
            }
            for a in &p.actuals {
                self.measure("actual", a)?;
            }
            self.close("period")?;
        }
        self.close("indicator")
    }

    fn measure(&mut self, name: &str, m: &Measure) -> Res {
        let value = m.value.and_then(decimal);
        let attrs: Vec<(&str, &str)> = value.as_deref().map(|v| vec![("value", v)]).unwrap_or_default();
        if m.dimensions.is_empty() && m.comment.is_empty() {
            return self.empty(name, &attrs);
        }
        self.open(name, &attrs)?;
        for (k, v) in &m.dimensions {
            self.empty("dimension", &[("name", k), ("value", v)])?;
        }
        if !m.comment.is_empty() {
            self.texts("comment", &[], &m.comment)?;
        }
        self.close(name)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn sample() -> Activity {
        let org = |r: &str, n: &str| Org { reference: Some(r.into()), kind: Some("10".into()), name: Narratives::one("en", n) };
        Activity {
            identifier: "XI-IATI-NATO-IPAP-SRB-2015".into(),
            reporting_org: org("XI-IATI-NATO", "NATO"),
            title: Narratives(vec![(Some("en".into()), "Plan & <partnership>".into()), (Some("sr".into()), "План".into())]),
            descriptions: vec![("1".into(), Narratives::one("en", "What the plan does.\u{1}"))],
            participants: vec![Participant { org: org("RS-COA-1", "Government of Serbia"), role: "2".into(), activity_id: None }],
            status: "2".into(),
            dates: vec![ActivityDate { kind: "1".into(), date: day("2015-01-15") }],
            countries: vec![("RS".into(), Some(100.0))],
            sectors: vec![Sector { vocabulary: "99".into(), code: "defence_policy".into(), percentage: Some(100.0), name: Narratives::one("en", "Defence") }],
            policy_markers: vec![PolicyMarker { vocabulary: "1".into(), code: "1".into(), significance: Some("1".into()) }],
            transactions: vec![Transaction {
                reference: None,
                kind: "2".into(),
                date: day("2015-03-01"),
                value: 15000.5,
                currency: Some("EUR".into()),
                value_date: day("2015-03-01"),
                description: Narratives::default(),
                provider: Some(org("XM-DAC-8", "Norway")),
                receiver: None,
            }],
            documents: vec![],
            related: vec![Related { kind: "2".into(), identifier: "XI-IATI-NATO-IPAP-SRB-2015-1.1".into() }],
            results: vec![ActivityResult {
                kind: "2".into(),
                title: Narratives::one("en", "Result"),
                description: Narratives::default(),
                indicators: vec![Indicator {
                    measure: "1".into(),
                    ascending: Some(true),
                    title: Narratives::one("en", "People reached"),
                    description: Narratives::default(),
                    baseline: Some(Baseline { year: 2014, date: Some(day("2014-12-31")), value: Some(0.0), comment: Narratives::default() }),
                    periods: vec![IndicatorPeriod {
                        start: day("2015-01-01"),
                        end: day("2015-03-31"),
                        targets: vec![Measure { value: Some(100.0), dimensions: vec![], comment: Narratives::default() }],
                        actuals: vec![
                            Measure { value: Some(120.0), dimensions: vec![], comment: Narratives::default() },
                            Measure { value: Some(70.0), dimensions: vec![("sex".into(), "female".into())], comment: Narratives::default() },
                        ],
                    }],
                }],
            }],
            hierarchy: Some(1),
            default_lang: Some("en".into()),
            default_currency: None,
            last_updated: Some(chrono::Utc.with_ymd_and_hms(2015, 4, 1, 10, 0, 0).unwrap()),
        }
    }

    #[test]
    fn an_activity_is_written_escaped_in_the_schemas_order() {
        let t = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let mut w = Writer::start(Vec::new(), t, Some("NATO RESTRICTED -- releasable to SRB")).unwrap();
        w.activity(&sample()).unwrap();
        let xml = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- NATO RESTRICTED - - releasable to SRB -->\n<iati-activities version=\"2.03\" generated-datetime=\"2026-12-01T00:00:00Z\">"), "{xml:.200}");
        assert!(xml.contains("<narrative xml:lang=\"en\">Plan &amp; &lt;partnership&gt;</narrative>"));
        assert!(xml.contains("What the plan does.</narrative>"), "control characters are dropped");
        assert!(xml.contains("<value value-date=\"2015-03-01\" currency=\"EUR\">15000.5</value>"));
        assert!(xml.contains("<dimension name=\"sex\" value=\"female\"/>"));
        let order = [
            "iati-identifier",
            "reporting-org",
            "<title",
            "<description",
            "participating-org",
            "activity-status",
            "activity-date",
            "recipient-country",
            "<sector",
            "policy-marker",
            "<transaction>",
            "related-activity",
            "<result",
        ];
        let at: Vec<usize> = order.iter().map(|e| xml.find(e).unwrap_or_else(|| panic!("{e}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        roxmltree::Document::parse(&xml).unwrap();
    }

    #[test]
    fn numbers_are_xsd_decimals() {
        assert_eq!(decimal(15000.0).as_deref(), Some("15000"));
        assert_eq!(decimal(0.1).as_deref(), Some("0.1"));
        assert_eq!(decimal(1e21).as_deref(), Some("1000000000000000000000"));
        assert_eq!(decimal(f64::NAN), None);
        assert_eq!(decimal(-2.5).as_deref(), Some("-2.5"));
    }
}
