//! The IATI 2.03 activity schema compiled into static data for [`super`]: for every element
//! declaration of `iati-activities` and what it holds (121 in all: 38 global, 83 local by their
//! context), its attributes (required or not, datatype), whether attributes of other namespaces
//! are allowed (`xsd:anyAttribute ##other`), and its content: a sequence of child elements with
//! their counts and extension places (`xsd:any ##other`), or text of a datatype.
//!
//! GENERATED from the official schema by `crates/interop/tests/iati/schema.rs`; do not edit.
//! The test fails when this file and the schema differ; `LIAISON_REGENERATE=1` rewrites it.
//!
//! Source: IATI/IATI-Schemas (<https://github.com/IATI/IATI-Schemas>), branch `version-2.03`
//! (release 2.03, 2018-02-19):
//! - `iati-activities-schema.xsd`, git blob `47adffa3bf9774c7e7fc5d0f73fbdbceb8ed495f`
//! - `iati-common.xsd`, git blob `60c8b20f0646452317ca3bcb29a3e82baad10810`
//! - `xml.xsd`, git blob `aea7d0db0a423b962247aa2b4d3d48fc73cda659`
//!
//! The IATI Standard and its schemas are released under the Creative Commons Attribution 4.0
//! licence (<http://creativecommons.org/licenses/by/4.0/>); attribution: IATI Standard
//! (<http://iatistandard.org/>). This table is a compiled form of the schema. `xml.xsd`, the
//! W3C's schema of the `xml:` attributes, ships with it.

use super::{Attribute, Content, Datatype, Element, Particle, Term, Type, UNBOUNDED};

/// The most places one sequence has (the checker counts them in an array this long).
pub(super) const MAX_PARTICLES: usize = 35;

/// The `xml:` attributes (`xml.xsd`), checked where `xsd:anyAttribute` lets them in.
pub(super) static XML_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "xml:lang",
        required: false,
        datatype: Datatype::Union(&[Datatype::Language, Datatype::Enumeration { base: &Datatype::String, values: &[""] }]),
    },
    Attribute { name: "xml:space", required: false, datatype: Datatype::Enumeration { base: &Datatype::NcName, values: &["default", "preserve"] } },
    Attribute { name: "xml:base", required: false, datatype: Datatype::AnyUri },
    Attribute { name: "xml:id", required: false, datatype: Datatype::NcName },
];

/// `iati-activities`
pub(super) static IATI_ACTIVITIES: Element = Element {
    name: "iati-activities",
    ty: &Type {
        attributes: &[
            Attribute { name: "version", required: true, datatype: Datatype::String },
            Attribute { name: "generated-datetime", required: false, datatype: Datatype::DateTime },
            Attribute { name: "linked-data-default", required: false, datatype: Datatype::AnyUri },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&IATI_ACTIVITY), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `iati-activity`
static IATI_ACTIVITY: Element = Element {
    name: "iati-activity",
    ty: &Type {
        attributes: &[
            Attribute { name: "last-updated-datetime", required: false, datatype: Datatype::DateTime },
            Attribute {
                name: "xml:lang",
                required: false,
                datatype: Datatype::Union(&[Datatype::Language, Datatype::Enumeration { base: &Datatype::String, values: &[""] }]),
            },
            Attribute { name: "default-currency", required: false, datatype: Datatype::String },
            Attribute { name: "humanitarian", required: false, datatype: Datatype::Boolean },
            Attribute { name: "hierarchy", required: false, datatype: Datatype::Integer { min: Some(-2147483648), max: Some(2147483647), spaces: false } },
            Attribute { name: "linked-data-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "budget-not-provided", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&IATI_IDENTIFIER), min: 1, max: 1 },
            Particle { term: Term::Element(&REPORTING_ORG), min: 1, max: 1 },
            Particle { term: Term::Element(&IATI_ACTIVITY__TITLE), min: 1, max: 1 },
            Particle { term: Term::Element(&IATI_ACTIVITY__DESCRIPTION), min: 1, max: UNBOUNDED },
            Particle { term: Term::Element(&PARTICIPATING_ORG), min: 1, max: UNBOUNDED },
            Particle { term: Term::Element(&OTHER_IDENTIFIER), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&ACTIVITY_STATUS), min: 1, max: 1 },
            Particle { term: Term::Element(&ACTIVITY_DATE), min: 1, max: UNBOUNDED },
            Particle { term: Term::Element(&CONTACT_INFO), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&ACTIVITY_SCOPE), min: 0, max: 1 },
            Particle { term: Term::Element(&RECIPIENT_COUNTRY), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RECIPIENT_REGION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&LOCATION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&SECTOR), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&TAG), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&COUNTRY_BUDGET_ITEMS), min: 0, max: 1 },
            Particle { term: Term::Element(&HUMANITARIAN_SCOPE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&POLICY_MARKER), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&COLLABORATION_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&DEFAULT_FLOW_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&DEFAULT_FINANCE_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&DEFAULT_AID_TYPE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&DEFAULT_TIED_STATUS), min: 0, max: 1 },
            Particle { term: Term::Element(&BUDGET), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CAPITAL_SPEND), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&IATI_ACTIVITY__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RELATED_ACTIVITY), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&LEGACY_DATA), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CONDITIONS), min: 0, max: 1 },
            Particle { term: Term::Element(&RESULT), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CRS_ADD), min: 0, max: 1 },
            Particle { term: Term::Element(&FSS), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `iati-identifier`
static IATI_IDENTIFIER: Element =
    Element { name: "iati-identifier", ty: &Type { attributes: &[], any_attribute: true, content: Content::Text(Datatype::String) } };

/// `reporting-org`
static REPORTING_ORG: Element = Element {
    name: "reporting-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: true, datatype: Datatype::String },
            Attribute { name: "type", required: true, datatype: Datatype::String },
            Attribute { name: "secondary-reporter", required: false, datatype: Datatype::Boolean },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `narrative`
static NARRATIVE: Element = Element {
    name: "narrative",
    ty: &Type {
        attributes: &[Attribute {
            name: "xml:lang",
            required: false,
            datatype: Datatype::Union(&[Datatype::Language, Datatype::Enumeration { base: &Datatype::String, values: &[""] }]),
        }],
        any_attribute: true,
        content: Content::Text(Datatype::String),
    },
};

/// `iati-activity/title`
static IATI_ACTIVITY__TITLE: Element = Element { name: "title", ty: &TEXT_REQUIRED_TYPE };

/// `textRequiredType`
static TEXT_REQUIRED_TYPE: Type = Type {
    attributes: &[],
    any_attribute: true,
    content: Content::Elements(&[Particle { term: Term::Element(&NARRATIVE), min: 1, max: UNBOUNDED }, Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
};

/// `iati-activity/description`
static IATI_ACTIVITY__DESCRIPTION: Element = Element {
    name: "description",
    ty: &Type {
        attributes: &[Attribute { name: "type", required: false, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `participating-org`
static PARTICIPATING_ORG: Element = Element {
    name: "participating-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "type", required: false, datatype: Datatype::String },
            Attribute { name: "role", required: true, datatype: Datatype::String },
            Attribute { name: "activity-id", required: false, datatype: Datatype::String },
            Attribute { name: "crs-channel-code", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `other-identifier`
static OTHER_IDENTIFIER: Element = Element {
    name: "other-identifier",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: true, datatype: Datatype::String },
            Attribute { name: "type", required: true, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&OTHER_IDENTIFIER__OWNER_ORG), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `other-identifier/owner-org`
static OTHER_IDENTIFIER__OWNER_ORG: Element = Element {
    name: "owner-org",
    ty: &Type {
        attributes: &[Attribute { name: "ref", required: false, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `activity-status`
static ACTIVITY_STATUS: Element = Element {
    name: "activity-status",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `activity-date`
static ACTIVITY_DATE: Element = Element {
    name: "activity-date",
    ty: &Type {
        attributes: &[
            Attribute { name: "type", required: true, datatype: Datatype::String },
            Attribute { name: "iso-date", required: true, datatype: Datatype::Date },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `contact-info`
static CONTACT_INFO: Element = Element {
    name: "contact-info",
    ty: &Type {
        attributes: &[Attribute { name: "type", required: false, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&CONTACT_INFO__ORGANISATION), min: 0, max: 1 },
            Particle { term: Term::Element(&CONTACT_INFO__DEPARTMENT), min: 0, max: 1 },
            Particle { term: Term::Element(&CONTACT_INFO__PERSON_NAME), min: 0, max: 1 },
            Particle { term: Term::Element(&CONTACT_INFO__JOB_TITLE), min: 0, max: 1 },
            Particle { term: Term::Element(&CONTACT_INFO__TELEPHONE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CONTACT_INFO__EMAIL), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CONTACT_INFO__WEBSITE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CONTACT_INFO__MAILING_ADDRESS), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `contact-info/organisation`
static CONTACT_INFO__ORGANISATION: Element = Element { name: "organisation", ty: &TEXT_REQUIRED_TYPE };

/// `contact-info/department`
static CONTACT_INFO__DEPARTMENT: Element = Element { name: "department", ty: &TEXT_REQUIRED_TYPE };

/// `contact-info/person-name`
static CONTACT_INFO__PERSON_NAME: Element = Element { name: "person-name", ty: &TEXT_REQUIRED_TYPE };

/// `contact-info/job-title`
static CONTACT_INFO__JOB_TITLE: Element = Element { name: "job-title", ty: &TEXT_REQUIRED_TYPE };

/// `contact-info/telephone`
static CONTACT_INFO__TELEPHONE: Element =
    Element { name: "telephone", ty: &Type { attributes: &[], any_attribute: true, content: Content::Text(Datatype::String) } };

/// `contact-info/email`
static CONTACT_INFO__EMAIL: Element = Element { name: "email", ty: &Type { attributes: &[], any_attribute: true, content: Content::Text(Datatype::String) } };

/// `contact-info/website`
static CONTACT_INFO__WEBSITE: Element =
    Element { name: "website", ty: &Type { attributes: &[], any_attribute: true, content: Content::Text(Datatype::AnyUri) } };

/// `contact-info/mailing-address`
static CONTACT_INFO__MAILING_ADDRESS: Element = Element { name: "mailing-address", ty: &TEXT_REQUIRED_TYPE };

/// `activity-scope`
static ACTIVITY_SCOPE: Element = Element {
    name: "activity-scope",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `recipient-country`
static RECIPIENT_COUNTRY: Element = Element {
    name: "recipient-country",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "percentage", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `recipient-region`
static RECIPIENT_REGION: Element = Element {
    name: "recipient-region",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "percentage", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `location`
static LOCATION: Element = Element {
    name: "location",
    ty: &Type {
        attributes: &[Attribute { name: "ref", required: false, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&LOCATION__LOCATION_REACH), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__LOCATION_ID), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&LOCATION__NAME), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__ACTIVITY_DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__ADMINISTRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&LOCATION__POINT), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__EXACTNESS), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__LOCATION_CLASS), min: 0, max: 1 },
            Particle { term: Term::Element(&LOCATION__FEATURE_DESIGNATION), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `location/location-reach`
static LOCATION__LOCATION_REACH: Element = Element {
    name: "location-reach",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `location/location-id`
static LOCATION__LOCATION_ID: Element = Element {
    name: "location-id",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `location/name`
static LOCATION__NAME: Element = Element { name: "name", ty: &TEXT_REQUIRED_TYPE };

/// `location/description`
static LOCATION__DESCRIPTION: Element = Element { name: "description", ty: &TEXT_REQUIRED_TYPE };

/// `location/activity-description`
static LOCATION__ACTIVITY_DESCRIPTION: Element = Element { name: "activity-description", ty: &TEXT_REQUIRED_TYPE };

/// `location/administrative`
static LOCATION__ADMINISTRATIVE: Element = Element {
    name: "administrative",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
            Attribute { name: "level", required: false, datatype: Datatype::Integer { min: Some(0), max: None, spaces: true } },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `location/point`
static LOCATION__POINT: Element = Element {
    name: "point",
    ty: &Type {
        attributes: &[Attribute { name: "srsName", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&LOCATION__POINT__POS), min: 1, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `location/point/pos`
static LOCATION__POINT__POS: Element = Element { name: "pos", ty: &XSD_STRING };

/// Text of `xsd:string`, no attributes.
static XSD_STRING: Type = Type { attributes: &[], any_attribute: false, content: Content::Text(Datatype::String) };

/// `location/exactness`
static LOCATION__EXACTNESS: Element = Element {
    name: "exactness",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `location/location-class`
static LOCATION__LOCATION_CLASS: Element = Element {
    name: "location-class",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `location/feature-designation`
static LOCATION__FEATURE_DESIGNATION: Element = Element {
    name: "feature-designation",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `sector`
static SECTOR: Element = Element {
    name: "sector",
    ty: &Type {
        attributes: &[
            Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "percentage", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `tag`
static TAG: Element = Element {
    name: "tag",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `country-budget-items`
static COUNTRY_BUDGET_ITEMS: Element = Element {
    name: "country-budget-items",
    ty: &Type {
        attributes: &[Attribute { name: "vocabulary", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&COUNTRY_BUDGET_ITEMS__BUDGET_ITEM), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `country-budget-items/budget-item`
static COUNTRY_BUDGET_ITEMS__BUDGET_ITEM: Element = Element {
    name: "budget-item",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "percentage", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&COUNTRY_BUDGET_ITEMS__BUDGET_ITEM__DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `country-budget-items/budget-item/description`
static COUNTRY_BUDGET_ITEMS__BUDGET_ITEM__DESCRIPTION: Element = Element { name: "description", ty: &TEXT_REQUIRED_TYPE };

/// `humanitarian-scope`
static HUMANITARIAN_SCOPE: Element = Element {
    name: "humanitarian-scope",
    ty: &Type {
        attributes: &[
            Attribute { name: "type", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "code", required: true, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `policy-marker`
static POLICY_MARKER: Element = Element {
    name: "policy-marker",
    ty: &Type {
        attributes: &[
            Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "significance", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `collaboration-type`
static COLLABORATION_TYPE: Element = Element {
    name: "collaboration-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `default-flow-type`
static DEFAULT_FLOW_TYPE: Element = Element {
    name: "default-flow-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `default-finance-type`
static DEFAULT_FINANCE_TYPE: Element = Element {
    name: "default-finance-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `default-aid-type`
static DEFAULT_AID_TYPE: Element = Element { name: "default-aid-type", ty: &AID_TYPE_BASE };

/// `aidTypeBase`
static AID_TYPE_BASE: Type = Type {
    attributes: &[
        Attribute { name: "code", required: true, datatype: Datatype::String },
        Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
    ],
    any_attribute: true,
    content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
};

/// `default-tied-status`
static DEFAULT_TIED_STATUS: Element = Element {
    name: "default-tied-status",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `budget`
static BUDGET: Element = Element {
    name: "budget",
    ty: &Type {
        attributes: &[
            Attribute { name: "type", required: false, datatype: Datatype::String },
            Attribute { name: "status", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&BUDGET__PERIOD_START), min: 1, max: 1 },
            Particle { term: Term::Element(&BUDGET__PERIOD_END), min: 1, max: 1 },
            Particle { term: Term::Element(&BUDGET__VALUE), min: 1, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `budget/period-start`
static BUDGET__PERIOD_START: Element = Element {
    name: "period-start",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `budget/period-end`
static BUDGET__PERIOD_END: Element = Element {
    name: "period-end",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `budget/value`
static BUDGET__VALUE: Element = Element { name: "value", ty: &CURRENCY_TYPE };

/// `currencyType`
static CURRENCY_TYPE: Type = Type {
    attributes: &[
        Attribute { name: "currency", required: false, datatype: Datatype::String },
        Attribute { name: "value-date", required: true, datatype: Datatype::Date },
    ],
    any_attribute: true,
    content: Content::Text(Datatype::Decimal),
};

/// `planned-disbursement`
static PLANNED_DISBURSEMENT: Element = Element {
    name: "planned-disbursement",
    ty: &Type {
        attributes: &[Attribute { name: "type", required: false, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT__PERIOD_START), min: 1, max: 1 },
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT__PERIOD_END), min: 0, max: 1 },
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT__VALUE), min: 1, max: 1 },
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT__PROVIDER_ORG), min: 0, max: 1 },
            Particle { term: Term::Element(&PLANNED_DISBURSEMENT__RECEIVER_ORG), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `planned-disbursement/period-start`
static PLANNED_DISBURSEMENT__PERIOD_START: Element = Element {
    name: "period-start",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `planned-disbursement/period-end`
static PLANNED_DISBURSEMENT__PERIOD_END: Element = Element {
    name: "period-end",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `planned-disbursement/value`
static PLANNED_DISBURSEMENT__VALUE: Element = Element { name: "value", ty: &CURRENCY_TYPE };

/// `planned-disbursement/provider-org`
static PLANNED_DISBURSEMENT__PROVIDER_ORG: Element = Element {
    name: "provider-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "provider-activity-id", required: false, datatype: Datatype::String },
            Attribute { name: "type", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `planned-disbursement/receiver-org`
static PLANNED_DISBURSEMENT__RECEIVER_ORG: Element = Element {
    name: "receiver-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "receiver-activity-id", required: false, datatype: Datatype::String },
            Attribute { name: "type", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `capital-spend`
static CAPITAL_SPEND: Element = Element {
    name: "capital-spend",
    ty: &Type {
        attributes: &[Attribute { name: "percentage", required: true, datatype: Datatype::Decimal }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction`
static TRANSACTION: Element = Element {
    name: "transaction",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "humanitarian", required: false, datatype: Datatype::Boolean },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&TRANSACTION__TRANSACTION_TYPE), min: 1, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__TRANSACTION_DATE), min: 1, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__VALUE), min: 1, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__PROVIDER_ORG), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__RECEIVER_ORG), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__DISBURSEMENT_CHANNEL), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__SECTOR), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&TRANSACTION__RECIPIENT_COUNTRY), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__RECIPIENT_REGION), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__FLOW_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__FINANCE_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&TRANSACTION__AID_TYPE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&TRANSACTION__TIED_STATUS), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/transaction-type`
static TRANSACTION__TRANSACTION_TYPE: Element = Element {
    name: "transaction-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction/transaction-date`
static TRANSACTION__TRANSACTION_DATE: Element = Element {
    name: "transaction-date",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction/value`
static TRANSACTION__VALUE: Element = Element { name: "value", ty: &CURRENCY_TYPE };

/// `transaction/description`
static TRANSACTION__DESCRIPTION: Element = Element { name: "description", ty: &TEXT_REQUIRED_TYPE };

/// `transaction/provider-org`
static TRANSACTION__PROVIDER_ORG: Element = Element {
    name: "provider-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "provider-activity-id", required: false, datatype: Datatype::String },
            Attribute { name: "type", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/receiver-org`
static TRANSACTION__RECEIVER_ORG: Element = Element {
    name: "receiver-org",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: false, datatype: Datatype::String },
            Attribute { name: "receiver-activity-id", required: false, datatype: Datatype::String },
            Attribute { name: "type", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/disbursement-channel`
static TRANSACTION__DISBURSEMENT_CHANNEL: Element = Element {
    name: "disbursement-channel",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction/sector`
static TRANSACTION__SECTOR: Element = Element {
    name: "sector",
    ty: &Type {
        attributes: &[
            Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
            Attribute { name: "code", required: true, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/recipient-country`
static TRANSACTION__RECIPIENT_COUNTRY: Element = Element {
    name: "recipient-country",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/recipient-region`
static TRANSACTION__RECIPIENT_REGION: Element = Element {
    name: "recipient-region",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: false, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `transaction/flow-type`
static TRANSACTION__FLOW_TYPE: Element = Element {
    name: "flow-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction/finance-type`
static TRANSACTION__FINANCE_TYPE: Element = Element {
    name: "finance-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `transaction/aid-type`
static TRANSACTION__AID_TYPE: Element = Element { name: "aid-type", ty: &AID_TYPE_BASE };

/// `transaction/tied-status`
static TRANSACTION__TIED_STATUS: Element = Element {
    name: "tied-status",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `iati-activity/document-link`
static IATI_ACTIVITY__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_BASE };

/// `documentLinkBase`
static DOCUMENT_LINK_BASE: Type = Type {
    attributes: &[
        Attribute { name: "url", required: true, datatype: Datatype::AnyUri },
        Attribute { name: "format", required: true, datatype: Datatype::String },
    ],
    any_attribute: true,
    content: Content::Elements(&[
        Particle { term: Term::Element(&TITLE), min: 1, max: 1 },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__DESCRIPTION), min: 0, max: 1 },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__CATEGORY), min: 1, max: UNBOUNDED },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__LANGUAGE), min: 0, max: UNBOUNDED },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__DOCUMENT_DATE), min: 0, max: 1 },
        Particle { term: Term::Other, min: 0, max: UNBOUNDED },
    ]),
};

/// `title`
static TITLE: Element = Element { name: "title", ty: &TEXT_REQUIRED_TYPE };

/// `documentLinkBase/description`
static DOCUMENT_LINK_BASE__DESCRIPTION: Element = Element { name: "description", ty: &DESCRIPTION_BASE };

/// `descriptionBase`
static DESCRIPTION_BASE: Type = Type {
    attributes: &[],
    any_attribute: true,
    content: Content::Elements(&[Particle { term: Term::Element(&NARRATIVE), min: 1, max: UNBOUNDED }, Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
};

/// `documentLinkBase/category`
static DOCUMENT_LINK_BASE__CATEGORY: Element = Element {
    name: "category",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `documentLinkBase/language`
static DOCUMENT_LINK_BASE__LANGUAGE: Element = Element {
    name: "language",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `documentLinkBase/document-date`
static DOCUMENT_LINK_BASE__DOCUMENT_DATE: Element = Element {
    name: "document-date",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `related-activity`
static RELATED_ACTIVITY: Element = Element {
    name: "related-activity",
    ty: &Type {
        attributes: &[
            Attribute { name: "ref", required: true, datatype: Datatype::String },
            Attribute { name: "type", required: true, datatype: Datatype::String },
        ],
        any_attribute: false,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `legacy-data`
static LEGACY_DATA: Element = Element {
    name: "legacy-data",
    ty: &Type {
        attributes: &[
            Attribute { name: "name", required: true, datatype: Datatype::String },
            Attribute { name: "value", required: true, datatype: Datatype::String },
            Attribute { name: "iati-equivalent", required: false, datatype: Datatype::NmToken },
        ],
        any_attribute: false,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `conditions`
static CONDITIONS: Element = Element {
    name: "conditions",
    ty: &Type {
        attributes: &[Attribute { name: "attached", required: true, datatype: Datatype::Boolean }],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&CONDITIONS__CONDITION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `conditions/condition`
static CONDITIONS__CONDITION: Element = Element {
    name: "condition",
    ty: &Type {
        attributes: &[Attribute { name: "type", required: true, datatype: Datatype::String }],
        any_attribute: false,
        content: Content::Elements(&[
            Particle { term: Term::Element(&NARRATIVE), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result`
static RESULT: Element = Element {
    name: "result",
    ty: &Type {
        attributes: &[
            Attribute { name: "type", required: true, datatype: Datatype::String },
            Attribute { name: "aggregation-status", required: false, datatype: Datatype::Boolean },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&TITLE), min: 1, max: 1 },
            Particle { term: Term::Element(&DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Element(&RESULT__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__REFERENCE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR), min: 1, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `description`
static DESCRIPTION: Element = Element { name: "description", ty: &DESCRIPTION_BASE };

/// `result/document-link`
static RESULT__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_RESULT_BASE };

/// `documentLinkResultBase`
static DOCUMENT_LINK_RESULT_BASE: Type = Type {
    attributes: &[
        Attribute { name: "url", required: true, datatype: Datatype::AnyUri },
        Attribute { name: "format", required: true, datatype: Datatype::String },
    ],
    any_attribute: true,
    content: Content::Elements(&[
        Particle { term: Term::Element(&TITLE), min: 1, max: 1 },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__DESCRIPTION), min: 0, max: 1 },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__CATEGORY), min: 1, max: UNBOUNDED },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__LANGUAGE), min: 0, max: UNBOUNDED },
        Particle { term: Term::Element(&DOCUMENT_LINK_BASE__DOCUMENT_DATE), min: 0, max: 1 },
        Particle { term: Term::Other, min: 0, max: UNBOUNDED },
    ]),
};

/// `result/reference`
static RESULT__REFERENCE: Element = Element {
    name: "reference",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
            Attribute { name: "vocabulary-uri", required: false, datatype: Datatype::AnyUri },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `result/indicator`
static RESULT__INDICATOR: Element = Element {
    name: "indicator",
    ty: &Type {
        attributes: &[
            Attribute { name: "measure", required: true, datatype: Datatype::String },
            Attribute { name: "ascending", required: false, datatype: Datatype::Boolean },
            Attribute { name: "aggregation-status", required: false, datatype: Datatype::Boolean },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&TITLE), min: 1, max: 1 },
            Particle { term: Term::Element(&DESCRIPTION), min: 0, max: 1 },
            Particle { term: Term::Element(&RESULT__INDICATOR__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR__REFERENCE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR__BASELINE), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result/indicator/document-link`
static RESULT__INDICATOR__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_RESULT_BASE };

/// `result/indicator/reference`
static RESULT__INDICATOR__REFERENCE: Element = Element {
    name: "reference",
    ty: &Type {
        attributes: &[
            Attribute { name: "vocabulary", required: true, datatype: Datatype::String },
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "indicator-uri", required: false, datatype: Datatype::AnyUri },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `result/indicator/baseline`
static RESULT__INDICATOR__BASELINE: Element = Element {
    name: "baseline",
    ty: &Type {
        attributes: &[
            Attribute { name: "iso-date", required: false, datatype: Datatype::Date },
            Attribute { name: "year", required: true, datatype: Datatype::Integer { min: Some(1), max: None, spaces: true } },
            Attribute { name: "value", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&RESULT__INDICATOR__BASELINE__LOCATION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&DIMENSION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR__BASELINE__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&COMMENT), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result/indicator/baseline/location`
static RESULT__INDICATOR__BASELINE__LOCATION: Element = Element { name: "location", ty: &RESULT_LOCATION_BASE };

/// `resultLocationBase`
static RESULT_LOCATION_BASE: Type = Type {
    attributes: &[Attribute { name: "ref", required: false, datatype: Datatype::String }],
    any_attribute: true,
    content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
};

/// `dimension`
static DIMENSION: Element = Element {
    name: "dimension",
    ty: &Type {
        attributes: &[
            Attribute { name: "name", required: false, datatype: Datatype::String },
            Attribute { name: "value", required: false, datatype: Datatype::String },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `result/indicator/baseline/document-link`
static RESULT__INDICATOR__BASELINE__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_RESULT_BASE };

/// `comment`
static COMMENT: Element = Element { name: "comment", ty: &TEXT_REQUIRED_TYPE };

/// `result/indicator/period`
static RESULT__INDICATOR__PERIOD: Element = Element {
    name: "period",
    ty: &Type {
        attributes: &[],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__PERIOD_START), min: 1, max: 1 },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__PERIOD_END), min: 1, max: 1 },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__TARGET), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__ACTUAL), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result/indicator/period/period-start`
static RESULT__INDICATOR__PERIOD__PERIOD_START: Element = Element {
    name: "period-start",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `result/indicator/period/period-end`
static RESULT__INDICATOR__PERIOD__PERIOD_END: Element = Element {
    name: "period-end",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `result/indicator/period/target`
static RESULT__INDICATOR__PERIOD__TARGET: Element = Element {
    name: "target",
    ty: &Type {
        attributes: &[Attribute { name: "value", required: false, datatype: Datatype::String }],
        any_attribute: false,
        content: Content::Elements(&[
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__TARGET__LOCATION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&DIMENSION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&COMMENT), min: 0, max: 1 },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__TARGET__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result/indicator/period/target/location`
static RESULT__INDICATOR__PERIOD__TARGET__LOCATION: Element = Element { name: "location", ty: &RESULT_LOCATION_BASE };

/// `result/indicator/period/target/document-link`
static RESULT__INDICATOR__PERIOD__TARGET__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_RESULT_BASE };

/// `result/indicator/period/actual`
static RESULT__INDICATOR__PERIOD__ACTUAL: Element = Element {
    name: "actual",
    ty: &Type {
        attributes: &[Attribute { name: "value", required: false, datatype: Datatype::String }],
        any_attribute: false,
        content: Content::Elements(&[
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__ACTUAL__LOCATION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&DIMENSION), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&COMMENT), min: 0, max: 1 },
            Particle { term: Term::Element(&RESULT__INDICATOR__PERIOD__ACTUAL__DOCUMENT_LINK), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `result/indicator/period/actual/location`
static RESULT__INDICATOR__PERIOD__ACTUAL__LOCATION: Element = Element { name: "location", ty: &RESULT_LOCATION_BASE };

/// `result/indicator/period/actual/document-link`
static RESULT__INDICATOR__PERIOD__ACTUAL__DOCUMENT_LINK: Element = Element { name: "document-link", ty: &DOCUMENT_LINK_RESULT_BASE };

/// `crs-add`
static CRS_ADD: Element = Element {
    name: "crs-add",
    ty: &Type {
        attributes: &[],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&CRS_ADD__OTHER_FLAGS), min: 0, max: UNBOUNDED },
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_STATUS), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__CHANNEL_CODE), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `crs-add/other-flags`
static CRS_ADD__OTHER_FLAGS: Element = Element {
    name: "other-flags",
    ty: &Type {
        attributes: &[
            Attribute { name: "code", required: true, datatype: Datatype::String },
            Attribute { name: "significance", required: true, datatype: Datatype::Boolean },
        ],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-terms`
static CRS_ADD__LOAN_TERMS: Element = Element {
    name: "loan-terms",
    ty: &Type {
        attributes: &[
            Attribute { name: "rate-1", required: false, datatype: Datatype::Decimal },
            Attribute { name: "rate-2", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS__REPAYMENT_TYPE), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS__REPAYMENT_PLAN), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS__COMMITMENT_DATE), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS__REPAYMENT_FIRST_DATE), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_TERMS__REPAYMENT_FINAL_DATE), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `crs-add/loan-terms/repayment-type`
static CRS_ADD__LOAN_TERMS__REPAYMENT_TYPE: Element = Element {
    name: "repayment-type",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-terms/repayment-plan`
static CRS_ADD__LOAN_TERMS__REPAYMENT_PLAN: Element = Element {
    name: "repayment-plan",
    ty: &Type {
        attributes: &[Attribute { name: "code", required: true, datatype: Datatype::String }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-terms/commitment-date`
static CRS_ADD__LOAN_TERMS__COMMITMENT_DATE: Element = Element {
    name: "commitment-date",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-terms/repayment-first-date`
static CRS_ADD__LOAN_TERMS__REPAYMENT_FIRST_DATE: Element = Element {
    name: "repayment-first-date",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-terms/repayment-final-date`
static CRS_ADD__LOAN_TERMS__REPAYMENT_FINAL_DATE: Element = Element {
    name: "repayment-final-date",
    ty: &Type {
        attributes: &[Attribute { name: "iso-date", required: true, datatype: Datatype::Date }],
        any_attribute: true,
        content: Content::Elements(&[Particle { term: Term::Other, min: 0, max: UNBOUNDED }]),
    },
};

/// `crs-add/loan-status`
static CRS_ADD__LOAN_STATUS: Element = Element {
    name: "loan-status",
    ty: &Type {
        attributes: &[
            Attribute { name: "year", required: true, datatype: Datatype::Decimal },
            Attribute { name: "currency", required: false, datatype: Datatype::String },
            Attribute { name: "value-date", required: true, datatype: Datatype::Date },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&CRS_ADD__LOAN_STATUS__INTEREST_RECEIVED), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_STATUS__PRINCIPAL_OUTSTANDING), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_STATUS__PRINCIPAL_ARREARS), min: 0, max: 1 },
            Particle { term: Term::Element(&CRS_ADD__LOAN_STATUS__INTEREST_ARREARS), min: 0, max: 1 },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `crs-add/loan-status/interest-received`
static CRS_ADD__LOAN_STATUS__INTEREST_RECEIVED: Element = Element { name: "interest-received", ty: &XSD_DECIMAL };

/// Text of `xsd:decimal`, no attributes.
static XSD_DECIMAL: Type = Type { attributes: &[], any_attribute: false, content: Content::Text(Datatype::Decimal) };

/// `crs-add/loan-status/principal-outstanding`
static CRS_ADD__LOAN_STATUS__PRINCIPAL_OUTSTANDING: Element = Element { name: "principal-outstanding", ty: &XSD_DECIMAL };

/// `crs-add/loan-status/principal-arrears`
static CRS_ADD__LOAN_STATUS__PRINCIPAL_ARREARS: Element = Element { name: "principal-arrears", ty: &XSD_DECIMAL };

/// `crs-add/loan-status/interest-arrears`
static CRS_ADD__LOAN_STATUS__INTEREST_ARREARS: Element = Element { name: "interest-arrears", ty: &XSD_DECIMAL };

/// `crs-add/channel-code`
static CRS_ADD__CHANNEL_CODE: Element = Element { name: "channel-code", ty: &XSD_STRING };

/// `fss`
static FSS: Element = Element {
    name: "fss",
    ty: &Type {
        attributes: &[
            Attribute { name: "extraction-date", required: true, datatype: Datatype::Date },
            Attribute { name: "priority", required: false, datatype: Datatype::Boolean },
            Attribute { name: "phaseout-year", required: false, datatype: Datatype::Decimal },
        ],
        any_attribute: true,
        content: Content::Elements(&[
            Particle { term: Term::Element(&FSS__FORECAST), min: 0, max: UNBOUNDED },
            Particle { term: Term::Other, min: 0, max: UNBOUNDED },
        ]),
    },
};

/// `fss/forecast`
static FSS__FORECAST: Element = Element {
    name: "forecast",
    ty: &Type {
        attributes: &[
            Attribute { name: "year", required: true, datatype: Datatype::Decimal },
            Attribute { name: "currency", required: false, datatype: Datatype::String },
            Attribute { name: "value-date", required: false, datatype: Datatype::Date },
        ],
        any_attribute: true,
        content: Content::Text(Datatype::Decimal),
    },
};
