//! Frameworks name the levels of a plan's tree. Four ship with Liaison; more can be defined.

use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors};
use serde::{Deserialize, Serialize};

/// One level of a framework's tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelDef {
    /// Machine name, e.g. `objective`.
    pub key: String,
    /// Name shown to people, e.g. `{"en": "Objective", "sr": "Циљ"}`.
    pub name: Text,
}

/// The shape of a plan's tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Framework {
    /// Machine name, e.g. `ipap`.
    pub code: String,
    pub name: Text,
    /// From the root down; at least one, at most eight.
    pub levels: Vec<LevelDef>,
    /// Whether it ships with Liaison (and cannot be changed).
    #[serde(default)]
    pub builtin: bool,
}

fn level(key: &str, en: &str, sr: &str) -> LevelDef {
    LevelDef { key: key.into(), name: Text::new("en", en).with("sr", sr) }
}

impl Framework {
    /// The frameworks that ship with Liaison.
    pub fn builtins() -> Vec<Framework> {
        vec![
            Framework {
                code: "ipap".into(),
                name: Text::new("en", "Individual Partnership Action Plan").with("sr", "Индивидуални акциони план партнерства"),
                levels: vec![level("chapter", "Chapter", "Поглавље"), level("objective", "Objective", "Циљ"), level("action", "Action", "Активност")],
                builtin: true,
            },
            Framework {
                code: "partnership_goals".into(),
                name: Text::new("en", "Partnership Goals").with("sr", "Циљеви партнерства"),
                levels: vec![
                    level("area", "Area", "Област"),
                    level("partnership_goal", "Partnership Goal", "Циљ партнерства"),
                    level("milestone", "Milestone", "Прекретница"),
                ],
                builtin: true,
            },
            Framework {
                code: "eu_accession".into(),
                name: Text::new("en", "EU accession chapter action plan").with("sr", "Акциони план за преговарачко поглавље"),
                levels: vec![level("chapter", "Chapter", "Поглавље"), level("benchmark", "Benchmark", "Мерило"), level("measure", "Measure", "Мера")],
                builtin: true,
            },
            Framework {
                code: "logframe".into(),
                name: Text::new("en", "Logical framework").with("sr", "Логички оквир"),
                levels: vec![
                    level("impact", "Impact", "Утицај"),
                    level("outcome", "Outcome", "Исход"),
                    level("output", "Output", "Резултат"),
                    level("activity", "Activity", "Активност"),
                ],
                builtin: true,
            },
        ]
    }

    /// The index of the level with this key.
    pub fn level_index(&self, key: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.key == key)
    }

    pub fn level_key(&self, index: usize) -> Option<&str> {
        self.levels.get(index).map(|l| l.key.as_str())
    }

    /// Check a framework definition.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if !is_key(&self.code) {
            p.add("code", "invalid", "must be 2 to 40 lower-case letters, digits or underscores");
        }
        check_text(&mut p, "name", &self.name, true, 200, false);
        if self.levels.is_empty() || self.levels.len() > 8 {
            p.add("levels", "count", "must have between one and eight levels");
        }
        for (i, l) in self.levels.iter().enumerate() {
            if !is_key(&l.key) {
                p.add(format!("levels.{i}.key"), "invalid", "must be 2 to 40 lower-case letters, digits or underscores");
            } else if self.levels[..i].iter().any(|o| o.key == l.key) {
                p.add(format!("levels.{i}.key"), "duplicate", "each level needs its own key");
            }
            check_text(&mut p, &format!("levels.{i}.name"), &l.name, true, 100, false);
        }
        p.finish()
    }
}

fn is_key(s: &str) -> bool {
    (2..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') && s.as_bytes()[0].is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_valid_and_shaped_as_designed() {
        let b = Framework::builtins();
        let shapes: Vec<(String, Vec<String>)> = b.iter().map(|f| (f.code.clone(), f.levels.iter().map(|l| l.key.clone()).collect())).collect();
        assert_eq!(shapes[0], ("ipap".into(), vec!["chapter".into(), "objective".into(), "action".into()]));
        assert_eq!(shapes[1], ("partnership_goals".into(), vec!["area".into(), "partnership_goal".into(), "milestone".into()]));
        assert_eq!(shapes[2].1, vec!["chapter", "benchmark", "measure"]);
        assert_eq!(shapes[3].1, vec!["impact", "outcome", "output", "activity"]);
        for f in &b {
            f.validate().unwrap();
            assert!(f.builtin);
        }
        assert_eq!(b[0].level_index("action"), Some(2));
        assert_eq!(b[0].level_key(1), Some("objective"));
        assert_eq!(b[0].level_index("goal"), None);
    }

    #[test]
    fn custom_frameworks_are_checked() {
        let f = Framework {
            code: "Bad Code".into(),
            name: Text::default(),
            levels: vec![level("step", "Step", "Корак"), level("step", "Again", "Опет"), level("X", "", "")],
            builtin: false,
        };
        let e = f.validate().unwrap_err();
        for field in ["code", "name", "levels.1.key", "levels.2.key", "levels.2.name"] {
            assert!(e.has(field), "{field}: {e}");
        }
        let empty = Framework { code: "none".into(), name: Text::new("en", "x"), levels: vec![], builtin: false };
        assert!(empty.validate().unwrap_err().has("levels"));
    }
}
