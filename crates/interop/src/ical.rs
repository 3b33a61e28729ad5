//! iCalendar (RFC 5545) for calendar feeds: all-day events with stable UIDs, TEXT values
//! escaped and lines folded at 75 octets; and a reader, so the output can be checked to
//! round-trip.
//!
//! Built on the [`icalendar`] crate (0.17): it models the calendar and its events, escapes
//! TEXT values (backslash, semicolon, comma, newline), writes `VALUE=DATE` dates and the
//! `DTSTAMP`, and its parser (feature `parser`) reads feeds back, unfolding and unescaping.
//!
//! Two small parts stay hand-written, for reasons observed in icalendar 0.17.17:
//!
//! - **Folding.** Its `fold_line` lets the last continuation line reach 76 octets: a content
//!   line of exactly 150 octets (`SUMMARY:` and 142 × `a`) came out as 75 + 76 octets,
//!   because its loop stops once at most 75 octets remain and then writes them after the
//!   leading space. RFC 5545 §3.1 and our feeds' tests want no line over 75 octets, so
//!   [`calendar`] unfolds what the crate wrote and folds it again with its own folder (never inside
//!   a UTF-8 character). The crate's `NAME` property is not used either: `Calendar::name`
//!   writes it unescaped (`NAME` is not in its table of TEXT properties), so a name with `;`
//!   would be written wrongly; only `X-WR-CALNAME`, which it does escape, is written.
//! - **Control characters.** Its escaper leaves a carriage return and other control
//!   characters in TEXT values, which RFC 5545 does not allow there (a lone CR would also
//!   break a line for some readers). They are removed before the crate sees the text, as
//!   the original writer did.
//!
//! The crate's `EventLike::all_day` is not used: it writes `DTEND` equal to `DTSTART`, where
//! the standard wants the exclusive day after the last one.

use chrono::{NaiveDate, TimeDelta};
use icalendar::{Calendar, Component, DatePerhapsTime, EventLike, Property};
use liaison_domain::Timestamp;

/// An all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds and time, e.g. `activity-<id>@liaison`.
    pub uid: String,
    /// The first day of the event.
    pub first_day: NaiveDate,
    /// Inclusive (written as the exclusive `DTEND` the standard wants).
    pub last_day: NaiveDate,
    /// The title (`SUMMARY`).
    pub summary: String,
    /// Where it takes place (`LOCATION`); left out when empty.
    pub location: String,
    /// Free text (`DESCRIPTION`); left out when empty.
    pub description: String,
    /// One category (`CATEGORIES`), e.g. `conference`; left out when empty.
    pub categories: String,
}

/// The identifier of the program that wrote the calendar.
pub const PRODID: &str = "-//Liaison//Partnership action plans//EN";

/// Escape a TEXT value as RFC 5545 §3.3.11 wants: backslash, semicolon, comma and line
/// breaks; carriage returns and other control characters are dropped.
///
/// [`calendar`] escapes by itself; this is for callers who write a content line by hand.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The text without the control characters TEXT may not hold (all but the line feed, which
/// is escaped as `\n`).
fn clean(s: &str) -> String {
    s.chars().filter(|c| *c == '\n' || !c.is_control()).collect()
}

/// Fold one content line (without its line break) so that no physical line exceeds 75
/// octets, never inside a character; each physical line ends in CRLF.
fn fold(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A calendar named `name` holding `events`; `stamp` is the feed's time (UTC), written as
/// every event's `DTSTAMP` so that the same data gives the same feed.
pub fn calendar(name: &str, events: &[Event], stamp: Timestamp) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("X-WR-CALNAME", clean(name)));
    for e in events {
        let mut ev = icalendar::Event::new();
        ev.uid(&clean(&e.uid)).timestamp(stamp).starts(e.first_day).ends(e.last_day + TimeDelta::days(1)).summary(&clean(&e.summary));
        if !e.location.is_empty() {
            ev.location(&clean(&e.location));
        }
        if !e.description.is_empty() {
            ev.description(&clean(&e.description));
        }
        if !e.categories.is_empty() {
            ev.categories([clean(&e.categories)]);
        }
        cal.push(ev.done());
    }
    // Writing into a String cannot fail; the crate's lines are unfolded and folded again
    // (see the module's documentation).
    let written: String = (&cal).try_into().unwrap_or_default();
    let mut out = String::with_capacity(written.len() + written.len() / 64 * 3);
    for line in icalendar::parser::unfold(&written).split("\r\n").filter(|l| !l.is_empty()) {
        fold(&mut out, line);
    }
    out
}

/// Read the all-day events of a calendar, such as [`calendar`] writes, with the
/// [`icalendar`] parser. Events without a `UID`, or whose dates are not dates, are errors.
pub fn parse(text: &str) -> Result<Vec<Event>, String> {
    if !text.starts_with("BEGIN:VCALENDAR\r\n") || !text.ends_with("END:VCALENDAR\r\n") {
        return Err("not a calendar".into());
    }
    let cal: Calendar = text.parse()?;
    let day = |d: Option<DatePerhapsTime>, what: &str, uid: &str| match d {
        Some(DatePerhapsTime::Date(d)) => Ok(d),
        _ => Err(format!("event {uid:?}: {what} is not a date")),
    };
    cal.events()
        .map(|e| {
            let uid = e.get_uid().ok_or("an event without a UID")?;
            Ok(Event {
                uid: uid.to_string(),
                first_day: day(e.get_start(), "DTSTART", uid)?,
                last_day: day(e.get_end(), "DTEND", uid)? - TimeDelta::days(1),
                summary: e.get_summary().unwrap_or_default().to_string(),
                location: e.get_location().unwrap_or_default().to_string(),
                description: e.get_description().unwrap_or_default().to_string(),
                categories: e.get_categories().unwrap_or_default().join(","),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(summary: &str) -> Event {
        Event {
            uid: "activity-1@liaison".into(),
            first_day: "2015-01-23".parse().unwrap(),
            last_day: "2015-01-24".parse().unwrap(),
            summary: summary.into(),
            location: "Kovačica, Serbia".into(),
            description: "Line one\nLine two; with, punctuation \\ and more".into(),
            categories: "conference".into(),
        }
    }

    #[test]
    fn output_follows_the_standard() {
        let long = "Конференција о НАТО и Србији у Ковачици — јавни догађај за грађане, новинаре и студенте из целе Војводине";
        let cal = calendar("IPAP; Serbia", &[event(long)], chrono::DateTime::UNIX_EPOCH);
        assert!(cal.lines().all(|l| l.len() <= 76), "no line over 75 octets plus CR");
        assert!(cal.contains("DTEND;VALUE=DATE:20150125\r\n"), "the end is exclusive");
        assert!(cal.contains("X-WR-CALNAME:IPAP\\; Serbia"));
        assert!(cal.split("\r\n").all(|l| !l.contains('\n')));
        let back = parse(&cal).unwrap();
        assert_eq!(back, vec![event(long)]);
        assert!(parse("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n").is_err());
    }

    #[test]
    fn required_properties_are_written() {
        let cal = calendar("Liaison · IPAP", &[event("NATO and Serbia; a conference, in Kovačica")], "2015-01-21T10:20:30Z".parse().unwrap());
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
        for needed in [
            "\r\nVERSION:2.0\r\n",
            "\r\nPRODID:-//Liaison//Partnership action plans//EN\r\n",
            "\r\nCALSCALE:GREGORIAN\r\n",
            "\r\nX-WR-CALNAME:Liaison · IPAP\r\n",
            "\r\nBEGIN:VEVENT\r\n",
            "\r\nUID:activity-1@liaison\r\n",
            "\r\nDTSTAMP:20150121T102030Z\r\n",
            "\r\nDTSTART;VALUE=DATE:20150123\r\n",
            "\r\nDTEND;VALUE=DATE:20150125\r\n",
            "\r\nSUMMARY:NATO and Serbia\\; a conference\\, in Kovačica\r\n",
            "\r\nLOCATION:Kovačica\\, Serbia\r\n",
            "\r\nDESCRIPTION:Line one\\nLine two\\; with\\, punctuation \\\\ and more\r\n",
            "\r\nCATEGORIES:conference\r\n",
            "\r\nEND:VEVENT\r\n",
        ] {
            assert!(cal.contains(needed), "{needed:?} in\n{cal}");
        }
        assert_eq!(cal.matches("\r\n").count(), cal.matches('\n').count(), "CRLF only");
        assert!(!cal.contains("\nNAME:"), "no NAME, which the crate would leave unescaped");
    }

    #[test]
    fn empty_fields_are_left_out_and_the_same_data_gives_the_same_feed() {
        let e = Event { location: String::new(), description: String::new(), categories: String::new(), ..event("x") };
        let a = calendar("x", std::slice::from_ref(&e), chrono::DateTime::UNIX_EPOCH);
        assert!(!a.contains("LOCATION") && !a.contains("DESCRIPTION") && !a.contains("CATEGORIES"), "{a}");
        assert_eq!(a, calendar("x", &[e], chrono::DateTime::UNIX_EPOCH), "stable UID and DTSTAMP");
        let none = calendar("empty", &[], chrono::DateTime::UNIX_EPOCH);
        assert_eq!(parse(&none).unwrap(), vec![]);
    }

    /// The crate's own folder writes 76 octets here (75 + 76); ours must not.
    #[test]
    fn a_line_of_150_octets_folds_within_the_limit() {
        for n in 130..160 {
            let cal = calendar("x", &[event(&"a".repeat(n))], chrono::DateTime::UNIX_EPOCH);
            assert!(cal.split("\r\n").all(|l| l.len() <= 75), "{n}: {cal}");
            assert_eq!(parse(&cal).unwrap()[0].summary, "a".repeat(n));
        }
    }

    #[test]
    fn folding_never_splits_a_character() {
        let cal = calendar("x", &[event(&"ж€😀".repeat(40))], chrono::DateTime::UNIX_EPOCH);
        assert!(cal.split("\r\n").all(|l| l.len() <= 75));
        // Every physical line is valid UTF-8 on its own.
        for l in cal.as_bytes().split(|b| *b == b'\n') {
            assert!(std::str::from_utf8(l).is_ok());
        }
    }

    #[test]
    fn control_characters_are_dropped() {
        let cal = calendar("a\rb", &[event("one\r\ntwo\u{7}\tthree")], chrono::DateTime::UNIX_EPOCH);
        assert!(!cal.replace("\r\n", "").contains(['\r', '\u{7}', '\t']), "{cal:?}");
        assert_eq!(parse(&cal).unwrap()[0].summary, "one\ntwothree");
        assert_eq!(escape("a\r\nb;c,d\\e\u{0}"), "a\\nb\\;c\\,d\\\\e");
    }

    #[test]
    fn a_category_with_a_comma_stays_one_category() {
        let e = Event { categories: "talks, panels".into(), ..event("x") };
        let cal = calendar("x", std::slice::from_ref(&e), chrono::DateTime::UNIX_EPOCH);
        assert!(cal.contains("CATEGORIES:talks\\, panels\r\n"));
        assert_eq!(parse(&cal).unwrap(), vec![e]);
    }

    #[test]
    fn the_crates_parser_reads_our_calendar() {
        let long = "Конференција о НАТО и Србији у Ковачици — јавни догађај за грађане, новинаре и студенте из целе Војводине";
        let cal = calendar("IPAP; Serbia", &[event(long), Event { uid: "due-2@liaison".into(), ..event("Due: IPAP 1.2") }], chrono::DateTime::UNIX_EPOCH);
        let read: Calendar = cal.parse().unwrap();
        assert_eq!(read.property_value("X-WR-CALNAME"), Some("IPAP; Serbia"));
        assert_eq!(read.property_value("VERSION"), Some("2.0"));
        assert_eq!(read.property_value("PRODID"), Some(PRODID));
        let events: Vec<_> = read.events().collect();
        assert_eq!(events.len(), 2);
        let first = events[0];
        assert_eq!(first.get_uid(), Some("activity-1@liaison"));
        assert_eq!(first.get_summary(), Some(long));
        assert_eq!(first.get_location(), Some("Kovačica, Serbia"));
        assert_eq!(first.get_description(), Some("Line one\nLine two; with, punctuation \\ and more"));
        assert_eq!(first.get_categories(), Some(vec!["conference".to_string()]));
        assert_eq!(first.get_timestamp(), Some(chrono::DateTime::UNIX_EPOCH));
        assert_eq!(first.get_start(), Some(DatePerhapsTime::Date("2015-01-23".parse().unwrap())));
        assert_eq!(first.get_end(), Some(DatePerhapsTime::Date("2015-01-25".parse().unwrap())));
        assert_eq!(events[1].get_uid(), Some("due-2@liaison"));
    }

    #[test]
    fn what_is_not_our_calendar_is_refused() {
        assert!(parse("").is_err());
        assert!(parse("BEGIN:VCALENDAR\nEND:VCALENDAR\n").is_err(), "CRLF only");
        let no_uid = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20150123\r\nDTEND;VALUE=DATE:20150124\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert!(parse(no_uid).is_err());
        let timed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20150123T100000Z\r\nDTEND:20150123T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert!(parse(timed).is_err(), "all-day events only");
    }

    #[test]
    fn awkward_text_round_trips() {
        for s in ["  leading and trailing  ", "a: colon", "END:VEVENT", "\nnot a newline", "x\\", ";;,,", "\n\n", ""] {
            let e = Event { description: s.into(), location: format!(" {s}"), ..event(s) };
            let cal = calendar(s, std::slice::from_ref(&e), chrono::DateTime::UNIX_EPOCH);
            assert_eq!(parse(&cal).unwrap(), vec![e], "{cal}");
        }
    }

    proptest! {
        /// Any text survives escaping, folding and reading back.
        #[test]
        fn any_text_round_trips(s in "\\PC{0,200}", loc in "[a-zA-Zčćšđž ,;\\\\]{0,80}") {
            let mut e = event(&s);
            e.location = loc;
            let cal = calendar("x", std::slice::from_ref(&e), chrono::DateTime::UNIX_EPOCH);
            for l in cal.split("\r\n") {
                prop_assert!(l.len() <= 75);
            }
            prop_assert_eq!(parse(&cal).unwrap(), vec![e]);
        }
    }
}
