//! Security markings: a classification level, the countries or groups a record may be
//! released to, and who originated it.

use crate::validation::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A marking scheme. One is selected per installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scheme {
    /// `PUBLIC < NATO UNCLASSIFIED < NATO RESTRICTED < NATO CONFIDENTIAL < NATO SECRET`.
    #[default]
    Nato,
    /// Traffic Light Protocol: `TLP:CLEAR < GREEN < AMBER < RED`.
    Tlp,
}

codes! { Scheme {
    Nato => "nato",
    Tlp => "tlp",
} }

/// A classification level of either built-in scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    Public,
    NatoUnclassified,
    NatoRestricted,
    NatoConfidential,
    NatoSecret,
    TlpClear,
    TlpGreen,
    TlpAmber,
    TlpRed,
}

impl Level {
    pub const NATO: [Level; 5] = [Level::Public, Level::NatoUnclassified, Level::NatoRestricted, Level::NatoConfidential, Level::NatoSecret];
    pub const TLP: [Level; 4] = [Level::TlpClear, Level::TlpGreen, Level::TlpAmber, Level::TlpRed];

    pub fn scheme(self) -> Scheme {
        match self {
            Level::TlpClear | Level::TlpGreen | Level::TlpAmber | Level::TlpRed => Scheme::Tlp,
            _ => Scheme::Nato,
        }
    }

    /// Position in its scheme; 0 is public (may be released to anyone).
    pub fn rank(self) -> u8 {
        match self {
            Level::Public | Level::TlpClear => 0,
            Level::NatoUnclassified | Level::TlpGreen => 1,
            Level::NatoRestricted | Level::TlpAmber => 2,
            Level::NatoConfidential | Level::TlpRed => 3,
            Level::NatoSecret => 4,
        }
    }

    /// Whether anyone, even an anonymous visitor, may see it.
    pub fn is_public(self) -> bool {
        self.rank() == 0
    }

    /// How it is written on a banner, e.g. `NATO RESTRICTED`.
    pub fn banner(self) -> &'static str {
        match self {
            Level::Public => "PUBLIC",
            Level::NatoUnclassified => "NATO UNCLASSIFIED",
            Level::NatoRestricted => "NATO RESTRICTED",
            Level::NatoConfidential => "NATO CONFIDENTIAL",
            Level::NatoSecret => "NATO SECRET",
            Level::TlpClear => "TLP:CLEAR",
            Level::TlpGreen => "TLP:GREEN",
            Level::TlpAmber => "TLP:AMBER",
            Level::TlpRed => "TLP:RED",
        }
    }
}

codes! { Level {
    Public => "public",
    NatoUnclassified => "nato_unclassified",
    NatoRestricted => "nato_restricted",
    NatoConfidential => "nato_confidential",
    NatoSecret => "nato_secret",
    TlpClear => "tlp_clear",
    TlpGreen => "tlp_green",
    TlpAmber => "tlp_amber",
    TlpRed => "tlp_red",
} }

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Scheme {
    pub fn levels(self) -> &'static [Level] {
        match self {
            Scheme::Nato => &Level::NATO,
            Scheme::Tlp => &Level::TLP,
        }
    }

    /// The level of this scheme with the given rank (clamped to the highest).
    pub fn level_of_rank(self, rank: u8) -> Level {
        let levels = self.levels();
        levels[usize::from(rank).min(levels.len() - 1)]
    }

    /// The lowest non-public level, the default for new records.
    pub fn default_level(self) -> Level {
        self.levels()[1]
    }
}

/// Classification + releasability + originator, carried by every securable record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"level": "nato_restricted", "releasable_to": ["SRB"], "originator": "NATO"})))]
pub struct Marking {
    pub level: Level,
    /// Non-alliance countries (ISO 3166 alpha-3) or named groups the record may be released to.
    /// Alliance members may see any record their clearance allows; public records go to anyone.
    #[serde(default)]
    pub releasable_to: BTreeSet<String>,
    /// Who originated the information, e.g. `NATO` or `SRB`.
    pub originator: String,
}

impl Marking {
    pub fn new(level: Level, releasable_to: &[&str], originator: &str) -> Marking {
        Marking { level, releasable_to: releasable_to.iter().map(|s| s.to_string()).collect(), originator: originator.to_string() }
    }

    /// Whether `self` is at least as restrictive as `other`: a level no lower, and releasable
    /// to no one that `other` is not releasable to. A public record is releasable to everyone.
    pub fn dominates(&self, other: &Marking) -> bool {
        if self.level.rank() < other.level.rank() {
            return false;
        }
        if other.level.is_public() {
            return true;
        }
        self.releasable_to.is_subset(&other.releasable_to)
    }

    /// The least restrictive marking that dominates both (for banners: the highest on a page).
    pub fn join(&self, other: &Marking) -> Marking {
        let (hi, lo) = if self.level.rank() >= other.level.rank() { (self, other) } else { (other, self) };
        let releasable_to = if lo.level.is_public() {
            hi.releasable_to.clone()
        } else if hi.level.is_public() {
            lo.releasable_to.clone()
        } else {
            hi.releasable_to.intersection(&lo.releasable_to).cloned().collect()
        };
        Marking { level: hi.level, releasable_to, originator: hi.originator.clone() }
    }

    /// The banner line, e.g. `NATO RESTRICTED · RELEASABLE TO SRB`.
    pub fn banner(&self) -> String {
        if self.level.is_public() || self.releasable_to.is_empty() {
            self.level.banner().to_string()
        } else {
            let to: Vec<&str> = self.releasable_to.iter().map(String::as_str).collect();
            format!("{} · RELEASABLE TO {}", self.level.banner(), to.join(", "))
        }
    }

    /// A marking as a banner writes it (`NATO RESTRICTED · RELEASABLE TO SRB, EU`, `TLP:AMBER`,
    /// or a level's code such as `nato_restricted`), in the installation's scheme, with
    /// `originator`. Case and spacing do not matter; `REL TO` is `RELEASABLE TO`. `None` when
    /// it names no level of the scheme.
    pub fn from_banner(s: &str, scheme: Scheme, originator: &str) -> Option<Marking> {
        let up = s.trim().to_uppercase().split_whitespace().collect::<Vec<_>>().join(" ");
        let (level_part, rel) = match up.find("RELEASABLE TO").map(|i| (i, "RELEASABLE TO".len())).or_else(|| up.find("REL TO").map(|i| (i, "REL TO".len()))) {
            Some((i, n)) => (up[..i].trim_end_matches([' ', '·', '/', '-', ',']).trim(), Some(&up[i + n..])),
            None => (up.as_str(), None),
        };
        let level = scheme.levels().iter().copied().find(|l| l.banner() == level_part || l.code().eq_ignore_ascii_case(level_part))?;
        let releasable_to = rel.map(|r| r.split([',', ' ', ';']).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()).unwrap_or_default();
        Some(Marking { level, releasable_to, originator: originator.to_string() })
    }

    /// Check the marking against the installation's scheme.
    pub fn check(&self, scheme: Scheme) -> Problems {
        let mut p = Problems::new();
        if self.level.scheme() != scheme {
            let codes: Vec<&str> = scheme.levels().iter().map(|l| l.code()).collect();
            p.add("level", "wrong_scheme", format!("this installation uses the levels {}", codes.join(", ")));
        }
        if self.releasable_to.len() > 64 {
            p.add("releasable_to", "too_many", "at most 64 countries or groups");
        }
        for r in &self.releasable_to {
            if !is_release_token(r) {
                p.add("releasable_to", "invalid", format!("{r:?} is not a country code (ISO 3166 alpha-3, e.g. SRB) or a group name in capitals"));
            }
        }
        let o = self.originator.as_str();
        if o.is_empty() || o.len() > 32 || !o.bytes().all(|b| b.is_ascii_alphanumeric() || b" ._-".contains(&b)) {
            p.add("originator", "invalid", "must be 1 to 32 letters, digits, spaces, dots, dashes or underscores");
        }
        p
    }

    /// Check the marking of a record that reveals its parent (`parent_name`, e.g. "the item"):
    /// valid in the scheme, not less restrictive than the parent's, and still visible to the
    /// author (`author_clears`). Problems are relative to the marking field.
    pub fn check_under(&self, scheme: Scheme, parent: &Marking, parent_name: &str, author_clears: bool, record: &str) -> Problems {
        let mut m = self.check(scheme);
        if m.is_empty() {
            if !self.dominates(parent) {
                m.add("", "below_parent", format!("is less restrictive than {parent_name} ({})", parent.banner()));
            }
            if !author_clears {
                m.add("", "hides_from_you", format!("with this marking you could no longer see the {record}"));
            }
        }
        m
    }
}

/// A country code or group name usable in `releasable_to`: 2 to 16 capitals, digits or `_`,
/// starting with a capital.
pub fn is_release_token(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=16).contains(&b.len()) && b[0].is_ascii_uppercase() && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

/// An ISO 3166-1 alpha-3 code in form (three capitals).
pub fn is_country_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners_read_back_as_markings() {
        let m = Marking::from_banner("NATO RESTRICTED · RELEASABLE TO SRB, EU", Scheme::Nato, "NATO").unwrap();
        assert_eq!(m, Marking::new(Level::NatoRestricted, &["SRB", "EU"], "NATO"));
        assert_eq!(Marking::from_banner(&m.banner(), Scheme::Nato, "NATO"), Some(m));
        assert_eq!(Marking::from_banner(" nato  unclassified ", Scheme::Nato, "SRB").map(|m| m.level), Some(Level::NatoUnclassified));
        assert_eq!(Marking::from_banner("nato_secret rel to SRB", Scheme::Nato, "SRB").map(|m| m.releasable_to.len()), Some(1));
        assert_eq!(Marking::from_banner("TLP:AMBER", Scheme::Nato, "NATO"), None);
        assert_eq!(Marking::from_banner("secret-ish", Scheme::Nato, "NATO"), None);
    }

    #[test]
    fn levels_round_trip_and_order() {
        for l in Level::NATO.into_iter().chain(Level::TLP) {
            assert_eq!(Level::parse(l.code()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), serde_json::json!(l.code()));
        }
        let ranks: Vec<u8> = Level::NATO.iter().map(|l| l.rank()).collect();
        assert_eq!(ranks, vec![0, 1, 2, 3, 4]);
        assert!(Level::TlpClear.is_public() && !Level::TlpGreen.is_public());
        assert_eq!(Level::parse("secret"), None);
        assert_eq!(Scheme::Tlp.level_of_rank(9), Level::TlpRed);
        assert_eq!(Scheme::Nato.default_level(), Level::NatoUnclassified);
    }

    #[test]
    fn dominance_covers_level_and_releasability() {
        let r_srb = Marking::new(Level::NatoRestricted, &["SRB"], "NATO");
        let r_none = Marking::new(Level::NatoRestricted, &[], "NATO");
        let c_srb = Marking::new(Level::NatoConfidential, &["SRB"], "NATO");
        let u_srb_aut = Marking::new(Level::NatoUnclassified, &["SRB", "AUT"], "NATO");
        let public = Marking::new(Level::Public, &[], "NATO");
        assert!(r_none.dominates(&r_srb), "narrower releasability is more restrictive");
        assert!(!r_srb.dominates(&r_none));
        assert!(c_srb.dominates(&r_srb));
        assert!(!r_srb.dominates(&c_srb));
        assert!(r_srb.dominates(&u_srb_aut));
        assert!(!u_srb_aut.dominates(&r_srb));
        assert!(r_srb.dominates(&public) && !public.dominates(&r_srb));
        assert!(public.dominates(&public));
    }

    #[test]
    fn join_is_an_upper_bound() {
        let a = Marking::new(Level::NatoRestricted, &["SRB", "AUT"], "NATO");
        let b = Marking::new(Level::NatoUnclassified, &["SRB"], "SRB");
        let p = Marking::new(Level::Public, &[], "NATO");
        for (x, y) in [(&a, &b), (&b, &a), (&a, &p), (&p, &b), (&p, &p)] {
            let j = x.join(y);
            assert!(j.dominates(x) && j.dominates(y), "{j:?} must dominate {x:?} and {y:?}");
        }
        assert_eq!(a.join(&b).releasable_to.into_iter().collect::<Vec<_>>(), vec!["SRB"]);
    }

    #[test]
    fn check_reports_each_field() {
        let m = Marking::new(Level::TlpAmber, &["srb", "SRB"], "");
        let p = m.check(Scheme::Nato);
        let fields: Vec<_> = p.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["level", "releasable_to", "originator"]);
        assert!(Marking::new(Level::NatoSecret, &["SRB", "PFP_NATIONS"], "NATO IS").check(Scheme::Nato).is_empty());
    }

    #[test]
    fn banners() {
        assert_eq!(Marking::new(Level::NatoRestricted, &["SRB"], "NATO").banner(), "NATO RESTRICTED · RELEASABLE TO SRB");
        assert_eq!(Marking::new(Level::Public, &["SRB"], "NATO").banner(), "PUBLIC");
        assert!(is_country_code("SRB") && !is_country_code("SR") && !is_country_code("srb"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let bad = serde_json::json!({"level": "public", "originator": "NATO", "caveat": "x"});
        assert!(serde_json::from_value::<Marking>(bad).is_err());
        let ok = serde_json::json!({"level": "public", "originator": "NATO"});
        assert!(serde_json::from_value::<Marking>(ok).unwrap().releasable_to.is_empty());
    }
}
