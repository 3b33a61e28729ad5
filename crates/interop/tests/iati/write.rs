//! What the writer writes is valid against the official schema (xmllint) and free of the
//! rule problems that apply.

use crate::support;
use chrono::{NaiveDate, TimeZone};
use liaison_interop::iati::model::*;
use liaison_interop::iati::write::Writer;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An activity using every part the writer knows.
pub fn full() -> Activity {
    let org = |r: &str, n: &str| Org { reference: Some(r.into()), kind: Some("10".into()), name: Narratives::one("en", n) };
    let m = |v: f64, dims: &[(&str, &str)]| Measure {
        value: Some(v),
        dimensions: dims.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        comment: Narratives::default(),
    };
    Activity {
        identifier: "XI-IATI-NATO-IPAP-SRB-2015".into(),
        reporting_org: Org { reference: Some("XI-IATI-NATO".into()), kind: Some("40".into()), name: Narratives::one("en", "NATO") },
        title: Narratives(vec![(Some("en".into()), "Plan & <partnership>".into()), (Some("sr".into()), "План".into())]),
        descriptions: vec![("1".into(), Narratives::one("en", "What the plan does."))],
        participants: vec![
            Participant { org: org("RS-COA-1", "Government of Serbia"), role: "2".into(), activity_id: None },
            Participant { org: Org { reference: None, kind: None, name: Narratives::one("en", "Ministry of Defence") }, role: "4".into(), activity_id: None },
        ],
        status: "2".into(),
        dates: vec![ActivityDate { kind: "1".into(), date: day("2015-01-15") }, ActivityDate { kind: "3".into(), date: day("2016-12-31") }],
        countries: vec![("RS".into(), Some(100.0))],
        sectors: vec![
            Sector { vocabulary: "1".into(), code: "15210".into(), percentage: Some(50.0), name: Narratives::default() },
            Sector { vocabulary: "99".into(), code: "cyber".into(), percentage: Some(50.0), name: Narratives::one("en", "Cyber defence") },
        ],
        policy_markers: vec![PolicyMarker { vocabulary: "1".into(), code: "1".into(), significance: Some("1".into()) }],
        transactions: vec![Transaction {
            reference: Some("offer-1".into()),
            kind: "2".into(),
            date: day("2015-03-01"),
            value: 15000.5,
            currency: Some("EUR".into()),
            value_date: day("2015-03-01"),
            description: Narratives::one("en", "Training"),
            provider: Some(org("XM-DAC-8", "Norway")),
            receiver: Some(org("RS-COA-1", "Government of Serbia")),
        }],
        documents: vec![DocumentLink {
            url: "https://liaison.example/public/stories/1".into(),
            format: "text/html".into(),
            title: Narratives::one("en", "Conference in Kovačica"),
            category: "A12".into(),
            language: Some("en".into()),
            date: Some(day("2015-01-21")),
        }],
        related: vec![Related { kind: "2".into(), identifier: "XI-IATI-NATO-IPAP-SRB-2015-1.1".into() }],
        results: vec![ActivityResult {
            kind: "2".into(),
            title: Narratives::one("en", "Result"),
            description: Narratives::one("en", "What changes"),
            indicators: vec![Indicator {
                measure: "1".into(),
                ascending: Some(true),
                title: Narratives::one("en", "People reached"),
                description: Narratives::default(),
                baseline: Some(Baseline { year: 2014, date: Some(day("2014-12-31")), value: Some(0.0), comment: Narratives::one("en", "none yet") }),
                periods: vec![IndicatorPeriod {
                    start: day("2015-01-01"),
                    end: day("2015-03-31"),
                    targets: vec![m(100.0, &[])],
                    actuals: vec![m(120.0, &[]), m(70.0, &[("sex", "female")]), m(50.0, &[("sex", "male")])],
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
fn what_the_writer_writes_is_valid_against_the_official_schema() {
    let Some(dir) = support::iati() else { return eprintln!("LIAISON_REFERENCE is not set: skipped") };
    let t = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let mut w = Writer::start(Vec::new(), t, Some("NATO UNCLASSIFIED")).unwrap();
    w.activity(&full()).unwrap();
    let mut bare = full();
    bare.descriptions.clear();
    bare.participants.truncate(1);
    bare.sectors.clear();
    bare.transactions.clear();
    bare.results.clear();
    bare.hierarchy = Some(2);
    bare.identifier.push_str("-1.1");
    w.activity(&bare).unwrap();
    let xml = w.finish().unwrap();
    support::xmllint(&dir, &xml).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&xml)));
}
