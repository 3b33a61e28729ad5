//! When an item is due: a date, a quarter such as `2015-Q3`, or `continuous`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        ((1..=4).contains(&q) && (1900..=2999).contains(&year)).then_some(Quarter { year, q })
    }

    /// The quarter a date falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), q: ((date.month() - 1) / 3 + 1) as u8 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.q) * 3 - 2, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.q == 4 { NaiveDate::from_ymd_opt(self.year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(self.year, u32::from(self.q) * 3 + 1, 1) };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 { Quarter { year: self.year + 1, q: 1 } } else { Quarter { year: self.year, q: self.q + 1 } }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (y, q) = s.split_once("-Q").ok_or(())?;
        if y.len() != 4 || q.len() != 1 {
            return Err(());
        }
        Quarter::new(y.parse().map_err(|_| ())?, q.parse().map_err(|_| ())?).ok_or(())
    }
}

/// An item's due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Due {
    Date(NaiveDate),
    Quarter(Quarter),
    /// Ongoing work with no end.
    Continuous,
}

impl Due {
    /// The last day on which the item is still on time; `None` for continuous work.
    pub fn deadline(&self) -> Option<NaiveDate> {
        match self {
            Due::Date(d) => Some(*d),
            Due::Quarter(q) => Some(q.last_day()),
            Due::Continuous => None,
        }
    }

    /// The quarter in which it falls due.
    pub fn quarter(&self) -> Option<Quarter> {
        self.deadline().map(Quarter::of)
    }

    /// Whether the deadline has passed on `today`.
    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.deadline().is_some_and(|d| d < today)
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Due::Quarter(q) => q.fmt(f),
            Due::Continuous => f.write_str("continuous"),
        }
    }
}

/// Why a due value was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadDue;

impl fmt::Display for BadDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date (2015-09-30), a quarter (2015-Q3) or \"continuous\"")
    }
}

impl FromStr for Due {
    type Err = BadDue;
    fn from_str(s: &str) -> Result<Self, BadDue> {
        if s == "continuous" {
            return Ok(Due::Continuous);
        }
        if s.contains("-Q") {
            return s.parse::<Quarter>().map(Due::Quarter).map_err(|_| BadDue);
        }
        if s.len() != 10 {
            return Err(BadDue);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| (1900..=2999).contains(&d.year())).map(Due::Date).ok_or(BadDue)
    }
}

impl Serialize for Due {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Due {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Due {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A date (`2015-09-30`), a quarter (`2015-Q3`) or `continuous`."))
            .pattern(Some(r"^(\d{4}-\d{2}-\d{2}|\d{4}-Q[1-4]|continuous)$"))
            .examples(["2015-Q3"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Due {}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn quarters_have_the_right_bounds() {
        let q: Quarter = "2015-Q1".parse().unwrap();
        assert_eq!((q.first_day(), q.last_day()), (d("2015-01-01"), d("2015-03-31")));
        let q: Quarter = "2016-Q1".parse().unwrap();
        assert_eq!(q.last_day(), d("2016-03-31"));
        let q: Quarter = "2015-Q4".parse().unwrap();
        assert_eq!((q.first_day(), q.last_day()), (d("2015-10-01"), d("2015-12-31")));
        assert_eq!(q.next().to_string(), "2016-Q1");
        assert_eq!(Quarter::of(d("2015-07-01")).to_string(), "2015-Q3");
        assert_eq!(Quarter::of(d("2015-06-30")).to_string(), "2015-Q2");
    }

    #[test]
    fn parses_every_form_and_round_trips() {
        for s in ["2015-09-30", "2015-Q3", "continuous", "2016-02-29"] {
            let due: Due = s.parse().unwrap();
            assert_eq!(due.to_string(), s);
            let json = serde_json::to_string(&due).unwrap();
            assert_eq!(serde_json::from_str::<Due>(&json).unwrap(), due);
        }
    }

    #[test]
    fn refuses_nonsense() {
        for s in [
            "",
            "2015-Q5",
            "2015-Q0",
            "15-Q1",
            "2015-Q12",
            "2015-13-01",
            "2015-02-30",
            "2015-2-3",
            "Continuous",
            "soon",
            "0000-01-01",
            "2015-Q3 ",
            "+2015-01-01",
        ] {
            assert!(s.parse::<Due>().is_err(), "{s:?} should be refused");
        }
        assert!(serde_json::from_str::<Due>("\"2015-Q9\"").is_err());
    }

    #[test]
    fn deadlines_and_lateness() {
        let q: Due = "2015-Q3".parse().unwrap();
        assert_eq!(q.deadline(), Some(d("2015-09-30")));
        assert!(!q.is_past(d("2015-09-30")));
        assert!(q.is_past(d("2015-10-01")));
        assert!(!Due::Continuous.is_past(d("2999-01-01")));
        assert_eq!(Due::Date(d("2015-05-05")).quarter().unwrap().to_string(), "2015-Q2");
    }
}
