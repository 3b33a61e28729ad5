//! Liaison's domain: the vocabulary of a partnership action plan and its rules.
//!
//! Everything here is pure: no I/O, no async runtime, no database, no HTTP. What the use
//! cases need from the outside world is a trait in [`ports`]: the clock and the randomness (so
//! that the rules are exact in tests), password hashing, the photo codec and the mailer (so
//! that no library for them is in the use cases); `liaison-adapters` implements them.
//!
//! Where the rules are: the access policy ([`access`]: `ReadFilter`, the pure `admits` rules
//! the readers of `liaison-store` apply in SQL, and `decide` for actions); each record's rules
//! and its lifecycle's affordances (which steps it offers to whom) in its module — [`plan`],
//! [`item`], [`progress`], [`assistance`], [`assessment`], [`story`], [`calendar`] …; the
//! implementation report's model and default period in [`report`]; the audit chain in
//! [`change`]. Refusals are named by code ([`Refusal`]) and input problems by field and code
//! ([`validation`]); `liaison-i18n` words both. Code enums get their codes from `codes!`.

/// Gives a fieldless enum its stable codes, the words the API, the database and the forms use:
/// `ALL` (in the order listed), `code()` and `parse()` (exact; `None` for anything else). Like
/// `id_type!` for identifiers, so that the 25 code enums cannot drift from their lists. A test
/// below checks that serde writes the same codes.
macro_rules! codes {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order of its codes.
            pub const ALL: [$ty; [$($code),+].len()] = [$($ty::$variant),+];

            /// The stable code, e.g. in the API and the database.
            pub fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }

            /// The value of a code; `None` for anything else.
            pub fn parse(s: &str) -> Option<$ty> {
                match s {
                    $($code => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

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
pub mod exchange;
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
pub mod portfolio;
pub mod ports;
pub mod progress;
pub mod refusal;
pub mod report;
pub mod rollup;
pub mod search;
pub mod second_factor;
pub mod story;
pub mod text;
pub mod translit;
pub mod user;
pub mod validation;
pub mod version;

pub use ids::*;
pub use refusal::Refusal;
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

#[cfg(test)]
mod code_enums {
    use crate::*;

    /// Each code enum's codes are distinct, parse back, and are what serde writes and reads.
    macro_rules! check {
        (serde: $($ty:ty),+; plain: $($plain:ty),+) => {
            $(
                let mut seen = std::collections::BTreeSet::new();
                for v in <$ty>::ALL {
                    assert!(seen.insert(v.code()), "{} repeats {}", stringify!($ty), v.code());
                    assert_eq!(<$ty>::parse(v.code()), Some(v));
                    assert_eq!(serde_json::to_value(v).unwrap(), serde_json::Value::String(v.code().to_string()), "{}", stringify!($ty));
                    assert_eq!(serde_json::from_value::<$ty>(serde_json::Value::String(v.code().to_string())).unwrap(), v);
                }
                assert_eq!(<$ty>::parse("no such code"), None);
                assert_eq!(<$ty>::parse(""), None);
            )+
            $(
                let mut seen = std::collections::BTreeSet::new();
                for v in <$plain>::ALL {
                    assert!(seen.insert(v.code()), "{} repeats {}", stringify!($plain), v.code());
                    assert_eq!(<$plain>::parse(v.code()), Some(v));
                }
                assert_eq!(<$plain>::parse("no such code"), None);
            )+
        };
    }

    #[test]
    fn codes_round_trip_and_match_serde() {
        check!(serde:
            access::Role, access::GlobalRole, activity::ActivityKind, assessment::Perspective, assessment::Scale,
            assessment::AssessmentState, assistance::AssistanceKind, assistance::Priority, assistance::RequestState,
            assistance::OfferState, decision::DecisionKind, indicator::Measure, item::ItemStatus, item::LinkKind,
            marking::Level, marking::Scheme, organisation::OrgKind, plan::PlanState, plan::Side, progress::UpdateState,
            story::StoryState, story::StoryStep, user::UserStatus;
            plain: access::Action, report::ReportFormat);
    }
}
