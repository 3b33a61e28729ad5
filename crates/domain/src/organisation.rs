//! Organisations: alliance bodies, Allies, the partner's government and units, and others.

use crate::marking::is_country_code;
use crate::page::Patch;
use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{OrganisationId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgKind {
    AllianceBody,
    Ally,
    PartnerGovernment,
    PartnerUnit,
    LiaisonOffice,
    Agency,
    CivilSociety,
    Other,
}

impl OrgKind {
    /// Whether members of such an organisation belong to the alliance (and so may see any
    /// record their clearance allows, regardless of releasability).
    pub fn alliance_side(self) -> bool {
        matches!(self, OrgKind::AllianceBody | OrgKind::Ally | OrgKind::LiaisonOffice | OrgKind::Agency)
    }

    /// Whether it is the partner's side of a plan.
    pub fn partner_side(self) -> bool {
        matches!(self, OrgKind::PartnerGovernment | OrgKind::PartnerUnit)
    }
}

codes! { OrgKind {
    AllianceBody => "alliance_body",
    Ally => "ally",
    PartnerGovernment => "partner_government",
    PartnerUnit => "partner_unit",
    LiaisonOffice => "liaison_office",
    Agency => "agency",
    CivilSociety => "civil_society",
    Other => "other",
} }

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: Text,
    pub short_name: String,
    pub kind: OrgKind,
    /// ISO 3166-1 alpha-3; required for the partner's organisations.
    pub country: Option<String>,
    pub parent: Option<OrganisationId>,
    /// Its IATI organisation identifier (`XM-DAC-8`, `RS-COA-…`): the prefix of the identifiers
    /// of the activities it reports, and how IATI files name it.
    #[serde(default)]
    pub iati_ref: Option<String>,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// Input to create an organisation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrganisation {
    pub name: Text,
    pub short_name: String,
    pub kind: OrgKind,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub parent: Option<OrganisationId>,
    /// Its IATI organisation identifier, e.g. `XM-DAC-8`.
    #[serde(default)]
    pub iati_ref: Option<String>,
}

/// Input to change an organisation; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationPatch {
    #[serde(default)]
    pub name: Option<Text>,
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub kind: Option<OrgKind>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub country: Patch<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<OrganisationId>))]
    pub parent: Patch<OrganisationId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub iati_ref: Patch<String>,
}

impl Organisation {
    /// Apply a patch, giving the changed record (not yet validated).
    pub fn patched(&self, patch: OrganisationPatch) -> Organisation {
        let mut o = self.clone();
        if let Some(n) = patch.name {
            o.name = n.normalised();
        }
        if let Some(s) = patch.short_name {
            o.short_name = s;
        }
        if let Some(k) = patch.kind {
            o.kind = k;
        }
        o.country = patch.country.apply(o.country);
        o.parent = patch.parent.apply(o.parent);
        o.iati_ref = patch.iati_ref.apply(o.iati_ref).map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        o
    }

    /// Check the record's own fields. `parent_exists` tells whether the parent id names an
    /// organisation; `creates_cycle` whether the parent chain would come back to this one.
    pub fn validate(&self, parent_exists: bool, creates_cycle: bool) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "name", &self.name, true, 200, false);
        rules::check_name(&mut p, "short_name", &self.short_name, 32);
        match &self.country {
            Some(c) if !is_country_code(c) => p.add("country", "invalid", "must be an ISO 3166 alpha-3 code in capitals, e.g. SRB"),
            None if self.kind.partner_side() => p.add("country", "required", "the partner's organisations must name their country"),
            _ => {}
        }
        if let Some(r) = &self.iati_ref
            && !is_iati_org_id(r)
        {
            p.add("iati_ref", "invalid", "must be an IATI organisation identifier: an agency prefix and the organisation's number, e.g. XM-DAC-8 or RS-COA-123, without spaces or / & | ?");
        }
        if self.parent.is_some() {
            if self.parent == Some(self.id) || creates_cycle {
                p.add("parent", "cycle", "an organisation cannot be its own ancestor");
            } else if !parent_exists {
                p.add("parent", "unknown", "no such organisation");
            }
        }
        p.finish()
    }
}

/// Whether `s` has the form of an IATI organisation identifier (the agency prefix is checked
/// against IATI's list where the identifier is used): letters and digits in parts joined by
/// `-` (and `.`, `_`), at most 100 characters, none of the characters IATI's rule 1.11.13
/// forbids (`/ & | ?`) and no spaces.
pub fn is_iati_org_id(s: &str) -> bool {
    s.len() <= 100
        && s.contains('-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

impl NewOrganisation {
    pub fn into_organisation(self, id: OrganisationId, now: Timestamp) -> Organisation {
        Organisation {
            id,
            name: self.name.normalised(),
            short_name: self.short_name,
            kind: self.kind,
            country: self.country,
            parent: self.parent,
            iati_ref: self.iati_ref.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn org(kind: OrgKind, country: Option<&str>) -> Organisation {
        NewOrganisation {
            name: Text::new("en", "Ministry of Defence"),
            short_name: "MoD".into(),
            kind,
            country: country.map(String::from),
            parent: None,
            iati_ref: None,
        }
        .into_organisation(OrganisationId(Uuid::nil()), chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn partner_organisations_need_a_country() {
        assert!(org(OrgKind::PartnerGovernment, None).validate(true, false).unwrap_err().has("country"));
        assert!(org(OrgKind::PartnerGovernment, Some("SRB")).validate(true, false).is_ok());
        assert!(org(OrgKind::AllianceBody, None).validate(true, false).is_ok());
        assert!(org(OrgKind::Ally, Some("Norway")).validate(true, false).unwrap_err().has("country"));
    }

    #[test]
    fn sides() {
        let alliance: Vec<_> = OrgKind::ALL.into_iter().filter(|k| k.alliance_side()).collect();
        assert_eq!(alliance, vec![OrgKind::AllianceBody, OrgKind::Ally, OrgKind::LiaisonOffice, OrgKind::Agency]);
        assert!(OrgKind::PartnerUnit.partner_side() && !OrgKind::CivilSociety.partner_side());
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn every_problem_at_once_and_parent_rules() {
        let mut o = org(OrgKind::PartnerUnit, None);
        o.name = Text::default();
        o.short_name = String::new();
        o.parent = Some(o.id);
        let e = o.validate(true, false).unwrap_err();
        for f in ["name", "short_name", "country", "parent"] {
            assert!(e.has(f), "{f} missing from {e}");
        }
        let mut o = org(OrgKind::Ally, Some("NOR"));
        o.parent = Some(OrganisationId(Uuid::from_u128(7)));
        assert_eq!(o.validate(false, false).unwrap_err().0[0].code, "unknown");
        assert_eq!(o.validate(true, true).unwrap_err().0[0].code, "cycle");
    }

    #[test]
    fn patch_applies_only_given_fields() {
        let o = org(OrgKind::Ally, Some("NOR"));
        let p: OrganisationPatch = serde_json::from_str(r#"{"short_name": "MFA", "country": null}"#).unwrap();
        let n = o.patched(p);
        assert_eq!((n.short_name.as_str(), n.country.clone(), n.kind), ("MFA", None, OrgKind::Ally));
        assert!(serde_json::from_str::<OrganisationPatch>(r#"{"nme": "x"}"#).is_err());
    }
}
