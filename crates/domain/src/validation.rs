//! Validation that reports every problem at once, per field.

use serde::Serialize;
use std::fmt;

/// One problem with one field of an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field in the input, e.g. `title.en` or `marking.level`; empty for the whole input.
    pub field: String,
    /// A stable machine-readable code, e.g. `required`, `too_long`, `unknown`.
    pub code: String,
    /// A sentence for people (in English; pages and problem documents show the words of the
    /// reader's language for the code where there are some). Empty when the problem was named
    /// only by its code: the words then come from the locale files alone.
    pub message: String,
    /// Named details for the words of the locale files (e.g. `max` of `too_long`).
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub args: Vec<(String, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), code: code.to_string(), message: message.into(), args: Vec::new() }
    }

    /// A problem named by its code and details only; its words come from the locale files.
    pub fn coded(field: impl Into<String>, code: &str, args: &[(&str, &str)]) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.to_string(),
            message: String::new(),
            args: args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    /// With one more detail.
    pub fn with_arg(mut self, name: &str, value: impl fmt::Display) -> FieldError {
        self.args.push((name.to_string(), value.to_string()));
        self
    }
}

/// Collects problems while checking an input; turns into [`ValidationErrors`] if any were found.
#[derive(Clone, Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a problem.
    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Record a problem named by its code (and details) only.
    pub fn coded(&mut self, field: impl Into<String>, code: &str, args: &[(&str, &str)]) {
        self.0.push(FieldError::coded(field, code, args));
    }

    /// Record a problem as it is.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Record a problem when `cond` is false. Returns `cond`.
    pub fn check(&mut self, cond: bool, field: &str, code: &str, message: impl Into<String>) -> bool {
        if !cond {
            self.add(field, code, message);
        }
        cond
    }

    /// Add every problem of `other`, prefixing their fields with `prefix.`.
    pub fn nest(&mut self, prefix: &str, other: Problems) {
        for mut e in other.0 {
            e.field = if e.field.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", e.field) };
            self.0.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(())` if nothing was recorded.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(ValidationErrors(self.0)) }
    }
}

/// One or more problems with an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// A single problem.
    pub fn one(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        let mut p = Problems::new();
        p.add(field, code, message);
        Self(p.0)
    }

    /// A single problem named by its code (and details) only.
    pub fn coded(field: impl Into<String>, code: &str, args: &[(&str, &str)]) -> Self {
        Self(vec![FieldError::coded(field, code, args)])
    }

    /// Whether some problem concerns `field`.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let words = if e.message.is_empty() { &e.code } else { &e.message };
            if e.field.is_empty() {
                write!(f, "{words}")?;
            } else {
                write!(f, "{}: {words}", e.field)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Checks shared by many inputs.
pub mod rules {
    /// Whether a string has control characters other than newline and tab.
    pub fn has_control_chars(s: &str, allow_newlines: bool) -> bool {
        s.chars().any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\t' || c == '\r')))
    }

    /// Length in characters (what people count), not bytes.
    pub fn char_len(s: &str) -> usize {
        s.chars().count()
    }

    /// A single-line name: trimmed, non-empty, at most `max` characters, no control characters.
    pub fn check_name(p: &mut super::Problems, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            p.add(field, "required", "must not be empty");
        } else if char_len(value) > max {
            p.push(super::FieldError::new(field, "too_long", format!("must be at most {max} characters")).with_arg("max", max));
        } else if has_control_chars(value, false) {
            p.add(field, "invalid", "must not contain control characters or line breaks");
        } else if value.trim() != value {
            p.add(field, "invalid", "must not start or end with spaces");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_with_nested_paths() {
        let mut p = Problems::new();
        p.add("code", "required", "must not be empty");
        let mut inner = Problems::new();
        inner.add("level", "unknown", "no such level");
        inner.add("", "invalid", "whole marking");
        p.nest("marking", inner);
        let err = p.finish().unwrap_err();
        assert_eq!(err.0.len(), 3);
        assert!(err.has("marking.level"));
        assert!(err.has("marking"));
        assert_eq!(err.to_string(), "code: must not be empty; marking.level: no such level; marking: whole marking");
    }

    #[test]
    fn empty_problems_finish_ok() {
        assert!(Problems::new().finish().is_ok());
    }

    #[test]
    fn names_are_checked() {
        let mut p = Problems::new();
        rules::check_name(&mut p, "a", "", 10);
        rules::check_name(&mut p, "b", "x".repeat(11).as_str(), 10);
        rules::check_name(&mut p, "c", "line\nbreak", 10);
        rules::check_name(&mut p, "d", " padded", 10);
        rules::check_name(&mut p, "e", "Ћирилица", 8);
        let codes: Vec<_> = p.errors().iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, vec![("a", "required"), ("b", "too_long"), ("c", "invalid"), ("d", "invalid")]);
    }
}
