//! Why something was refused, by code. A refusal names the reason (`code`) and gives its
//! details (`args`); the words, in the reader's language, come from the message
//! `refusal-<code>` of the locale files (`liaison-i18n`). Nothing above the domain writes a
//! sentence for people: it names a refusal.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// A stable code, e.g. `period-locked`.
    pub code: &'static str,
    /// Named details, e.g. `period` = `2015-Q3`.
    pub args: Vec<(&'static str, String)>,
}

impl Refusal {
    pub fn new(code: &'static str) -> Refusal {
        Refusal { code, args: Vec::new() }
    }

    /// With one more detail.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Refusal {
        self.args.push((name, value.to_string()));
        self
    }
}

/// For logs: the code and its details (never shown to people as such).
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)?;
        for (k, v) in &self.args {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_carries_its_details() {
        let r = Refusal::new("period-locked").arg("period", "2015-Q3");
        assert_eq!(r.to_string(), "period-locked period=2015-Q3");
        assert_eq!(r.args, vec![("period", "2015-Q3".to_string())]);
    }
}
