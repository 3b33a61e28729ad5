//! Reading an activity (as [`super::xml`] read it and [`super::check`] checked it) into the
//! model. Lenient by design: the problems were said by the check; what cannot be read here
//! (a date that is not a date, a number that is not a number) is simply left out, so one bad
//! value never loses the rest of the activity.

use super::model::*;
use super::xml::Node;
use chrono::NaiveDate;
use liaison_domain::Timestamp;

fn date(s: Option<&str>) -> Option<NaiveDate> {
    let s = s?.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

fn number(s: Option<&str>) -> Option<f64> {
    s?.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn datetime(s: Option<&str>) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(s?.trim()).ok().map(|t| t.with_timezone(&chrono::Utc))
}

fn code(n: Option<&Node>, attr: &str) -> Option<String> {
    n?.attr(attr).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The narratives of a text element; a narrative without `xml:lang` is in `default_lang`.
fn narratives(n: Option<&Node>, default_lang: Option<&str>) -> Narratives {
    let Some(n) = n else { return Narratives::default() };
    Narratives(
        n.all("narrative")
            .filter(|x| !x.trimmed().is_empty())
            .map(|x| (x.attr("xml:lang").map(|l| l.trim().to_ascii_lowercase()).or_else(|| default_lang.map(String::from)), x.trimmed().to_string()))
            .collect(),
    )
}

fn org(n: &Node, lang: Option<&str>) -> Org {
    Org { reference: code(Some(n), "ref"), kind: code(Some(n), "type"), name: narratives(Some(n), lang) }
}

fn measure(n: &Node, lang: Option<&str>) -> Measure {
    Measure {
        value: number(n.attr("value")),
        dimensions: n.all("dimension").filter_map(|d| Some((d.attr("name")?.trim().to_string(), d.attr("value")?.trim().to_string()))).collect(),
        comment: narratives(n.first("comment"), lang),
    }
}

/// The activity in the model. Nothing is refused here.
pub fn activity(a: &Node) -> Activity {
    let lang_owned = a.attr("xml:lang").map(|l| l.trim().to_ascii_lowercase());
    let lang = lang_owned.as_deref();
    let currency = a.attr("default-currency").map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    Activity {
        identifier: a.first("iati-identifier").map(|i| i.trimmed().to_string()).unwrap_or_default(),
        reporting_org: a.first("reporting-org").map(|o| org(o, lang)).unwrap_or_default(),
        title: narratives(a.first("title"), lang),
        descriptions: a.all("description").map(|d| (d.attr("type").unwrap_or("1").trim().to_string(), narratives(Some(d), lang))).collect(),
        participants: a
            .all("participating-org")
            .map(|p| Participant { org: org(p, lang), role: p.attr("role").unwrap_or("").trim().to_string(), activity_id: code(Some(p), "activity-id") })
            .collect(),
        status: code(a.first("activity-status"), "code").unwrap_or_default(),
        dates: a.all("activity-date").filter_map(|d| Some(ActivityDate { kind: code(Some(d), "type")?, date: date(d.attr("iso-date"))? })).collect(),
        countries: a.all("recipient-country").filter_map(|c| Some((code(Some(c), "code")?.to_ascii_uppercase(), number(c.attr("percentage"))))).collect(),
        sectors: a
            .all("sector")
            .filter_map(|s| {
                Some(Sector {
                    vocabulary: code(Some(s), "vocabulary").unwrap_or_else(|| "1".into()),
                    code: code(Some(s), "code")?,
                    percentage: number(s.attr("percentage")),
                    name: narratives(Some(s), lang),
                })
            })
            .collect(),
        policy_markers: a
            .all("policy-marker")
            .filter_map(|m| {
                Some(PolicyMarker {
                    vocabulary: code(Some(m), "vocabulary").unwrap_or_else(|| "1".into()),
                    code: code(Some(m), "code")?,
                    significance: code(Some(m), "significance"),
                })
            })
            .collect(),
        transactions: a
            .all("transaction")
            .filter_map(|t| {
                let value = t.first("value")?;
                let d = date(t.first("transaction-date").and_then(|d| d.attr("iso-date")));
                let vd = date(value.attr("value-date"));
                let when = d.or(vd)?;
                Some(Transaction {
                    reference: code(Some(t), "ref"),
                    kind: code(t.first("transaction-type"), "code")?,
                    date: when,
                    value: number(Some(value.trimmed()))?,
                    currency: value.attr("currency").map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).or_else(|| currency.clone()),
                    value_date: vd.unwrap_or(when),
                    description: narratives(t.first("description"), lang),
                    provider: t.first("provider-org").map(|o| org(o, lang)),
                    receiver: t.first("receiver-org").map(|o| org(o, lang)),
                })
            })
            .collect(),
        documents: a
            .all("document-link")
            .filter_map(|d| {
                Some(DocumentLink {
                    url: d.attr("url")?.trim().to_string(),
                    format: d.attr("format").unwrap_or("").trim().to_string(),
                    title: narratives(d.first("title"), lang),
                    category: code(d.first("category"), "code").unwrap_or_default(),
                    language: code(d.first("language"), "code"),
                    date: date(d.first("document-date").and_then(|x| x.attr("iso-date"))),
                })
            })
            .collect(),
        related: a.all("related-activity").filter_map(|r| Some(Related { kind: code(Some(r), "type")?, identifier: code(Some(r), "ref")? })).collect(),
        results: a
            .all("result")
            .map(|r| ActivityResult {
                kind: code(Some(r), "type").unwrap_or_default(),
                title: narratives(r.first("title"), lang),
                description: narratives(r.first("description"), lang),
                indicators: r
                    .all("indicator")
                    .map(|i| Indicator {
                        measure: code(Some(i), "measure").unwrap_or_else(|| "1".into()),
                        ascending: i.attr("ascending").map(|v| matches!(v.trim(), "1" | "true")),
                        title: narratives(i.first("title"), lang),
                        description: narratives(i.first("description"), lang),
                        baseline: i.first("baseline").and_then(|b| {
                            let year = b.attr("year")?.trim().parse().ok()?;
                            Some(Baseline {
                                year,
                                date: date(b.attr("iso-date")),
                                value: number(b.attr("value")),
                                comment: narratives(b.first("comment"), lang),
                            })
                        }),
                        periods: i
                            .all("period")
                            .filter_map(|p| {
                                Some(IndicatorPeriod {
                                    start: date(p.first("period-start")?.attr("iso-date"))?,
                                    end: date(p.first("period-end")?.attr("iso-date"))?,
                                    targets: p.all("target").map(|t| measure(t, lang)).collect(),
                                    actuals: p.all("actual").map(|t| measure(t, lang)).collect(),
                                })
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        hierarchy: a.attr("hierarchy").and_then(|h| h.trim().parse().ok()),
        default_lang: lang_owned.clone(),
        default_currency: currency,
        last_updated: datetime(a.attr("last-updated-datetime")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::write::Writer;
    use crate::iati::xml::{ActivityReader, Limits};

    #[test]
    fn what_is_written_reads_back_the_same() {
        let a = crate::iati::write::tests::sample();
        let t = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let mut w = Writer::start(Vec::new(), t, None).unwrap();
        w.activity(&a).unwrap();
        let xml = w.finish().unwrap();
        let (mut r, _) = ActivityReader::open(&xml, Limits::default()).unwrap();
        let node = r.next().unwrap().unwrap();
        let back = activity(&node);
        // The writer drops control characters; the rest comes back as written.
        let mut want = a.clone();
        want.descriptions[0].1 = Narratives::one("en", "What the plan does.");
        assert_eq!(back, want);
    }

    #[test]
    fn bad_values_are_left_out_not_fatal() {
        let xml = r#"<iati-activities version="2.03"><iati-activity xml:lang="EN"><iati-identifier> X-1 </iati-identifier>
            <activity-date type="1" iso-date="15.03.2016"/><activity-date type="2" iso-date="2016-03-15T00:00:00"/>
            <sector code="15210" percentage="abc"/><recipient-country code="rs" percentage="NaN"/>
            <transaction><transaction-type code="3"/><value>12,5</value></transaction>
            <title><narrative>Ttl</narrative></title></iati-activity></iati-activities>"#;
        let (mut r, _) = ActivityReader::open(xml.as_bytes(), Limits::default()).unwrap();
        let a = activity(&r.next().unwrap().unwrap());
        assert_eq!(a.identifier, "X-1");
        assert_eq!(a.dates.len(), 1, "the unreadable date is left out");
        assert_eq!(a.sectors[0].percentage, None);
        assert_eq!(a.sectors[0].vocabulary, "1");
        assert_eq!(a.countries, vec![("RS".to_string(), None)]);
        assert!(a.transactions.is_empty(), "no date, no readable value");
        assert_eq!(a.title.0, vec![(Some("en".to_string()), "Ttl".to_string())], "the default language");
    }
}
