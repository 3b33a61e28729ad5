//! Liaison's domain: the vocabulary of a partnership action plan and its rules.
//!
//! Everything here is pure: no I/O, no async runtime, no database, no HTTP. What the use
//! cases need from the outside world is a trait in [`ports`]: the clock and the randomness (so
//! that the rules are exact in tests), password hashing, the photo codec and the mailer (so
//! that no library for them is in the use cases); `liaison-adapters` implements them.
//! Storage turns the access [`access::ReadFilter`] into SQL; the web layer renders
//! [`validation::ValidationErrors`] as problem documents.

pub mod access;
pub mod activity;
pub mod assessment;
pub mod assistance;
pub mod attachment;
pub mod calendar;
pub mod change;
pub mod comment;
pub mod decision;
pub mod due;
pub mod framework;
pub mod ids;
pub mod indicator;
pub mod item;
pub mod marking;
pub mod notification;
pub mod organisation;
pub mod page;
pub use page::Patch;
pub mod plan;
pub mod portal;
pub mod ports;
pub mod progress;
pub mod report;
pub mod rollup;
pub mod story;
pub mod text;
pub mod translit;
pub mod user;
pub mod validation;
pub mod version;

pub use ids::*;
pub use validation::{FieldError, Problems, ValidationErrors};

/// Timestamps are UTC with millisecond precision everywhere (SQLite keeps nanoseconds,
/// PostgreSQL microseconds: truncating here makes both backends agree).
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Truncate a timestamp to whole milliseconds.
pub fn truncate_ms(t: Timestamp) -> Timestamp {
    use chrono::{DurationRound, TimeDelta};
    t.duration_trunc(TimeDelta::milliseconds(1)).unwrap_or(t)
}

/// Format a timestamp as RFC 3339 with exactly three fractional digits and `Z`.
pub fn format_ts(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
