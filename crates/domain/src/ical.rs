//! iCalendar (RFC 5545) for calendar feeds: all-day events with stable UIDs, text escaped and
//! lines folded at 75 octets; and a small reader, so the output can be checked to round-trip.

use chrono::{NaiveDate, TimeDelta};
use std::fmt::Write;

/// An all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds and time, e.g. `activity-<id>@liaison`.
    pub uid: String,
    pub first_day: NaiveDate,
    /// Inclusive (written as the exclusive `DTEND` the standard wants).
    pub last_day: NaiveDate,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub categories: String,
}

/// Escape TEXT values: backslash, semicolon, comma and line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One content line, folded so that no physical line exceeds 75 octets (never inside a
/// character), each ending in CRLF.
fn line(out: &mut String, content: &str) {
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

/// A calendar named `name` holding `events`; `stamp` is the feed's time (UTC).
pub fn calendar(name: &str, events: &[Event], stamp: chrono::DateTime<chrono::Utc>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Liaison//Partnership action plans//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{dtstamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", e.first_day.format("%Y%m%d")));
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", (e.last_day + TimeDelta::days(1)).format("%Y%m%d")));
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.categories.is_empty() {
            let mut c = String::new();
            let _ = write!(c, "CATEGORIES:{}", escape(&e.categories));
            line(&mut out, &c);
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// Read the events of a calendar (enough of RFC 5545 for what [`calendar`] writes).
pub fn parse(text: &str) -> Result<Vec<Event>, String> {
    if !text.starts_with("BEGIN:VCALENDAR\r\n") || !text.ends_with("END:VCALENDAR\r\n") {
        return Err("not a calendar".into());
    }
    // Unfold: a CRLF followed by a space or tab continues the line.
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut events = Vec::new();
    let mut cur: Option<Event> = None;
    for l in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = l.split_once(':').ok_or_else(|| format!("bad line {l:?}"))?;
        let date = |v: &str| NaiveDate::parse_from_str(v, "%Y%m%d").map_err(|_| format!("bad date {v:?}"));
        match (name, cur.as_mut()) {
            ("BEGIN", None) if value == "VEVENT" => {
                cur = Some(Event {
                    uid: String::new(),
                    first_day: NaiveDate::MIN,
                    last_day: NaiveDate::MIN,
                    summary: String::new(),
                    location: String::new(),
                    description: String::new(),
                    categories: String::new(),
                })
            }
            ("END", Some(_)) if value == "VEVENT" => events.extend(cur.take()),
            ("UID", Some(e)) => e.uid = unescape(value),
            ("DTSTART;VALUE=DATE", Some(e)) => e.first_day = date(value)?,
            ("DTEND;VALUE=DATE", Some(e)) => e.last_day = date(value)? - TimeDelta::days(1),
            ("SUMMARY", Some(e)) => e.summary = unescape(value),
            ("LOCATION", Some(e)) => e.location = unescape(value),
            ("DESCRIPTION", Some(e)) => e.description = unescape(value),
            ("CATEGORIES", Some(e)) => e.categories = unescape(value),
            _ => {}
        }
    }
    if cur.is_some() {
        return Err("an event is not closed".into());
    }
    Ok(events)
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
