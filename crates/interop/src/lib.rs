//! Liaison's file formats: pure encoders and decoders over domain types.
//!
//! Everything here turns values into bytes or text and back. There is no I/O, no async
//! runtime, no database and no HTTP: callers fetch the data, call a function here and send
//! what it returns. The crate depends on `liaison-domain` (for [`liaison_domain::Timestamp`])
//! and on one well-kept crate per format; heavy formats will sit behind cargo features.
//!
//! | module | format | written with | why |
//! |---|---|---|---|
//! | [`ical`] | iCalendar (RFC 5545) calendar feeds of all-day events, and a reader | [`icalendar`] 0.17 (its `parser` feature reads) | models calendars and events, escapes TEXT, writes `VALUE=DATE` and `DTSTAMP`; its parser unfolds and unescapes. Line folding is ours: the crate's folder can write a 76-octet line (see the module) |
//! | [`csv`] | CSV tables for spreadsheets: UTF-8 BOM, CRLF, formula guard | [`::csv`] 1.4 | the standard Rust CSV writer and reader; quotes exactly where RFC 4180 needs it |
//! | [`atom`] | Atom (RFC 4287) feeds of the portal's stories | [`atom_syndication`] 0.12 | the maintained Atom model of the rust-syndication project; writes and reads feeds, escaping text and attributes |
//! | [`report`] | the implementation report (`liaison_domain::report::Report`) as CSV (XLSX and PDF to come) | [`csv`] above | one model for the page and every export: the columns are laid out here, once |
//! | [`sitemap`] | sitemaps.org `urlset` | [`quick_xml`] 0.42 | a sitemap is one element a page; an XML writer is enough and escapes right |
//! | [`iati`] | IATI 2.03 activity files: a streaming writer, a hardened reader (one activity at a time, with line and column), and the checks of IATI's validator (schema, code lists, rules) | [`quick_xml`] 0.42 (reading and writing) | the schema and code lists are compiled into tables generated from the official files by tests (no XSD validator in pure Rust; no files to read on an air-gapped server); the rules are ours, one function per rule id of IATI's ruleset |
//! | [`exchange`] | signed bundles between installations: a DSSE envelope over a JSON payload | [`ed25519_dalek`] 2 | the dalek project's Ed25519; the envelope is a few lines of JSON and needs no crate of its own |
//!
//! The two XML formats share one rule (module `xml`): characters XML 1.0 forbids outright
//! (most control characters) are dropped before writing, which neither XML crate does.

pub mod atom;
pub mod csv;
pub mod docx;
pub mod exchange;
pub mod iati;
pub mod ical;
pub mod plan_items;
pub mod report;
pub mod sheet;
pub mod sitemap;
pub mod text;
pub mod xlsx;
mod xml;
