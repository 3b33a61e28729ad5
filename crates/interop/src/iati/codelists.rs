//! IATI's code lists, checked at run time: every coded attribute of an activity against its
//! list, with the vocabularies that decide which list applies.
//!
//! The codes come from [`super::codelist_table`], a table generated from the official lists
//! (by a test, from the reference folder, which never ships): the import must work
//! air-gapped, and a code list is data that changes on IATI's schedule, not ours.
//!
//! Which attribute is checked against which list follows IATI's own mapping (IATI-Codelists
//! `mapping.xml`, as the validator applies it through IATI-Validator-Codelists), limited to the
//! lists in the table. The vocabulary decides: a sector code is a DAC 5-digit code only under
//! vocabulary 1 (or none), a DAC 3-digit code under 2, and is not checked under a vocabulary
//! the table has no list for (98 and 99 are the reporting organisation's own codes); a region
//! code is checked against the DAC regions only under vocabulary 1 (vocabulary 2 are UN M49
//! codes). Checking such a code against the wrong list would reject good data.
//!
//! What is found: an unknown code is an error (`codelist`); a withdrawn code a warning (real
//! files still use them, and IATI keeps them in the lists for that reason); an empty value or
//! the `xx` placeholder of the schema's test files is a `placeholder` problem, an error when
//! the attribute is required and a warning when it could have been left out.

use super::codelist_table::LISTS;
use super::problem::{Problem, Severity};
use super::xml::Node;
use std::collections::HashMap;

/// Whether a code may still be used. Withdrawn codes stay in IATI's non-embedded lists (with a
/// withdrawal date) so that old data keeps its meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Withdrawn,
}

/// The codes of list `list` (sorted), if the table has that list.
fn codes(list: &str) -> Option<&'static [(&'static str, Status)]> {
    LISTS.binary_search_by(|(name, _)| (*name).cmp(list)).ok().and_then(|i| LISTS.get(i)).map(|(_, codes)| *codes)
}

/// The status of `code` in list `list` (`ActivityStatus`, `Sector`, `OrganisationRegistrationAgency` …),
/// or `None` when the list does not have it (or the table has no such list).
pub fn status(list: &str, code: &str) -> Option<Status> {
    let codes = codes(list)?;
    codes.binary_search_by(|(c, _)| (*c).cmp(code)).ok().and_then(|i| codes.get(i)).map(|(_, s)| *s)
}

/// Whether `code` is a code of list `list`, active or withdrawn (IATI's validator accepts
/// both; [`status`] tells them apart, for an exporter that must not write withdrawn codes).
pub fn is_code(list: &str, code: &str) -> bool {
    status(list, code).is_some()
}

/// The names of the lists in the table, sorted.
pub fn lists() -> impl Iterator<Item = &'static str> {
    LISTS.iter().map(|(name, _)| *name)
}

/// Whether an organisation identifier starts with an active code of the
/// OrganisationRegistrationAgency list followed by `-` and something (`XM-DAC-7`,
/// `GB-CHC-1234`, `ES-DIR3-E04585801`), as IATI's rule 1.14.8 asks of a reporting
/// organisation. Withdrawn agency codes do not count: they are not "approved" any more.
pub fn is_agency_prefix(identifier: &str) -> bool {
    identifier.char_indices().filter(|(_, c)| *c == '-').any(|(i, _)| {
        let (prefix, rest) = identifier.split_at(i);
        rest.len() > 1 && status("OrganisationRegistrationAgency", prefix) == Some(Status::Active)
    })
}

/// Which list an attribute's codes come from.
enum Source {
    /// Always this list.
    List(&'static str),
    /// The list named by the element's vocabulary attribute (`vocabulary`); `default` when the
    /// attribute is absent or empty, as the standard says; no check under other vocabularies.
    ByVocabulary { default: Option<&'static str>, lists: &'static [(&'static str, &'static str)] },
}

/// One coded attribute: on element `element` whose parent is one of `parents` (any parent
/// when empty).
struct Coded {
    parents: &'static [&'static str],
    element: &'static str,
    attr: &'static str,
    source: Source,
    /// Whether the schema requires the attribute (an empty value is then an error).
    required: bool,
}

const fn one(parents: &'static [&'static str], element: &'static str, attr: &'static str, list: &'static str, required: bool) -> Coded {
    Coded { parents, element, attr, source: Source::List(list), required }
}

/// A code whose list depends on the element's vocabulary (a required `code` attribute).
const fn by_vocabulary(
    parents: &'static [&'static str],
    element: &'static str,
    default: Option<&'static str>,
    lists: &'static [(&'static str, &'static str)],
) -> Coded {
    Coded { parents, element, attr: "code", source: Source::ByVocabulary { default, lists }, required: true }
}

const ANY: &[&str] = &[];
const ACTIVITY: &[&str] = &["iati-activity"];
const ACTIVITY_OR_TRANSACTION: &[&str] = &["iati-activity", "transaction"];
const FLOWS: &[&str] = &["transaction", "planned-disbursement"];

/// Sector vocabularies with a list in the table: 1 DAC 5-digit, 2 DAC 3-digit, 7 and 8 the
/// UN Sustainable Development Goals and their targets.
const SECTOR_LISTS: &[(&str, &str)] = &[("1", "Sector"), ("2", "SectorCategory"), ("7", "UNSDG-Goals"), ("8", "UNSDG-Targets")];
/// Aid type vocabulary 1 is the DAC list; 2 to 4 (earmarking, cash and voucher modalities)
/// have lists the table does not hold.
const AID_TYPE_LISTS: &[(&str, &str)] = &[("1", "AidType")];

/// The coded attributes of an activity (IATI's mapping, for the lists in the table).
/// Not checked, for want of the list: `crs-channel-code`, `disbursement-channel`,
/// `country-budget-items/@vocabulary` and budget identifiers, location vocabularies, classes,
/// reaches, exactness and feature designations, CRS loan codes and other flags, and the
/// earmarking and cash-and-voucher aid type vocabularies.
const CODED: &[Coded] = &[
    one(&["iati-activities"], "iati-activity", "default-currency", "Currency", false),
    one(&["iati-activities"], "iati-activity", "budget-not-provided", "BudgetNotProvided", false),
    one(ACTIVITY, "reporting-org", "type", "OrganisationType", true),
    one(ACTIVITY, "participating-org", "role", "OrganisationRole", true),
    one(ACTIVITY, "participating-org", "type", "OrganisationType", false),
    one(ACTIVITY, "other-identifier", "type", "OtherIdentifierType", true),
    one(ACTIVITY, "activity-status", "code", "ActivityStatus", true),
    one(ACTIVITY, "activity-date", "type", "ActivityDateType", true),
    one(ACTIVITY, "activity-scope", "code", "ActivityScope", true),
    one(ACTIVITY, "description", "type", "DescriptionType", false),
    one(ACTIVITY, "contact-info", "type", "ContactType", false),
    one(ACTIVITY_OR_TRANSACTION, "recipient-country", "code", "Country", true),
    by_vocabulary(ACTIVITY_OR_TRANSACTION, "recipient-region", Some("1"), &[("1", "Region")]),
    one(ACTIVITY_OR_TRANSACTION, "recipient-region", "vocabulary", "RegionVocabulary", false),
    by_vocabulary(ACTIVITY_OR_TRANSACTION, "sector", Some("1"), SECTOR_LISTS),
    one(ACTIVITY_OR_TRANSACTION, "sector", "vocabulary", "SectorVocabulary", false),
    by_vocabulary(ACTIVITY, "tag", None, &[("2", "UNSDG-Goals"), ("3", "UNSDG-Targets")]),
    one(ACTIVITY, "tag", "vocabulary", "TagVocabulary", true),
    by_vocabulary(ACTIVITY, "policy-marker", Some("1"), &[("1", "PolicyMarker")]),
    one(ACTIVITY, "policy-marker", "vocabulary", "PolicyMarkerVocabulary", false),
    one(ACTIVITY, "policy-marker", "significance", "PolicySignificance", false),
    one(ACTIVITY, "humanitarian-scope", "type", "HumanitarianScopeType", true),
    one(ACTIVITY, "humanitarian-scope", "vocabulary", "HumanitarianScopeVocabulary", true),
    one(ACTIVITY, "collaboration-type", "code", "CollaborationType", true),
    one(ACTIVITY, "default-flow-type", "code", "FlowType", true),
    one(ACTIVITY, "default-finance-type", "code", "FinanceType", true),
    by_vocabulary(ACTIVITY, "default-aid-type", Some("1"), AID_TYPE_LISTS),
    one(ACTIVITY, "default-aid-type", "vocabulary", "AidTypeVocabulary", false),
    one(ACTIVITY, "default-tied-status", "code", "TiedStatus", true),
    one(ACTIVITY, "budget", "type", "BudgetType", false),
    one(ACTIVITY, "budget", "status", "BudgetStatus", false),
    one(ACTIVITY, "planned-disbursement", "type", "BudgetType", false),
    one(&["budget", "planned-disbursement", "transaction"], "value", "currency", "Currency", false),
    one(&["fss"], "forecast", "currency", "Currency", false),
    one(&["crs-add"], "loan-status", "currency", "Currency", false),
    one(FLOWS, "provider-org", "type", "OrganisationType", false),
    one(FLOWS, "receiver-org", "type", "OrganisationType", false),
    one(&["transaction"], "transaction-type", "code", "TransactionType", true),
    one(&["transaction"], "flow-type", "code", "FlowType", true),
    one(&["transaction"], "finance-type", "code", "FinanceType", true),
    by_vocabulary(&["transaction"], "aid-type", Some("1"), AID_TYPE_LISTS),
    one(&["transaction"], "aid-type", "vocabulary", "AidTypeVocabulary", false),
    one(&["transaction"], "tied-status", "code", "TiedStatus", true),
    one(ACTIVITY, "related-activity", "type", "RelatedActivityType", true),
    one(&["conditions"], "condition", "type", "ConditionType", true),
    one(ACTIVITY, "result", "type", "ResultType", true),
    one(&["result"], "reference", "vocabulary", "ResultVocabulary", true),
    one(&["result"], "indicator", "measure", "IndicatorMeasure", true),
    one(&["indicator"], "reference", "vocabulary", "IndicatorVocabulary", true),
    by_vocabulary(&["location"], "administrative", None, &[("A4", "Country")]),
    // Document links sit on the activity and on results, indicators, baselines, targets and actuals.
    one(ANY, "document-link", "format", "FileFormat", true),
    one(&["document-link"], "category", "code", "DocumentCategory", true),
    one(&["document-link"], "language", "code", "Language", true),
];

/// Check every coded attribute of `activity` (read at `path`, e.g. `/iati-activities/iati-activity[3]`)
/// against its code list, and every `xml:lang` against the Language list.
pub fn check_activity(activity: &Node, path: &str, out: &mut Vec<Problem>) {
    walk(activity, "iati-activities", path, out);
}

fn walk(node: &Node, parent: &str, path: &str, out: &mut Vec<Problem>) {
    for coded in CODED.iter().filter(|c| c.element == node.name && (c.parents.is_empty() || c.parents.contains(&parent))) {
        if let Some(value) = node.attr(coded.attr) {
            check(node, coded, value, path, out);
        }
    }
    if let Some(lang) = node.attr("xml:lang") {
        let coded = one(ANY, "", "xml:lang", "Language", false);
        check(node, &coded, lang, path, out);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for child in node.children.iter().filter(|c| c.is_iati()) {
        let n = seen.entry(child.name.as_str()).or_insert(0);
        *n += 1;
        walk(child, &node.name, &format!("{path}/{}[{n}]", child.name), out);
    }
}

/// Check one attribute value.
fn check(node: &Node, coded: &Coded, value: &str, path: &str, out: &mut Vec<Problem>) {
    let (list, vocabulary) = match &coded.source {
        Source::List(list) => (*list, None),
        Source::ByVocabulary { default, lists } => {
            let written = node.attr("vocabulary").map(str::trim).filter(|v| !v.is_empty());
            let Some(vocabulary) = written.or(*default) else { return };
            match lists.iter().find(|(v, _)| *v == vocabulary) {
                Some((_, list)) => (*list, Some(vocabulary)),
                None => return,
            }
        }
    };
    let code = value.trim();
    let under = vocabulary.map(|v| format!(" (vocabulary {v})")).unwrap_or_default();
    let problem = |severity, code: &str, message: String| Problem {
        severity,
        line: node.line,
        column: node.column,
        path: format!("{path}/@{}", coded.attr),
        code: code.to_string(),
        message,
    };
    let placeholder = if coded.required { Severity::Error } else { Severity::Warning };
    if code.is_empty() {
        out.push(problem(placeholder, "placeholder", format!("@{} is empty, not a code of the {list} list{under}", coded.attr)));
        return;
    }
    match status(list, code) {
        Some(Status::Active) => {}
        Some(Status::Withdrawn) => out.push(problem(Severity::Warning, "codelist", format!("\"{code}\" is a withdrawn code of the {list} list{under}"))),
        // `xx`, `XXX`: the conventional fill-ins of templates and the schema's test files.
        None if code.len() >= 2 && code.bytes().all(|b| b.eq_ignore_ascii_case(&b'x')) => {
            out.push(problem(placeholder, "placeholder", format!("\"{code}\" is a placeholder, not a code of the {list} list{under}")));
        }
        None => out.push(problem(Severity::Error, "codelist", format!("\"{code}\" is not a code of the {list} list{under}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::xml::{ActivityReader, Limits};

    fn activity(body: &str) -> Node {
        let xml = format!("<iati-activities version=\"2.03\"><iati-activity>{body}</iati-activity></iati-activities>");
        let (mut r, _) = ActivityReader::open(xml.as_bytes(), Limits::default()).unwrap();
        r.next().unwrap().unwrap()
    }

    fn problems(body: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        check_activity(&activity(body), "/iati-activities/iati-activity[1]", &mut out);
        out
    }

    fn codes_of(body: &str) -> Vec<(String, Severity)> {
        problems(body).into_iter().map(|p| (p.code, p.severity)).collect()
    }

    #[test]
    fn the_table_answers_codes_and_status() {
        assert!(is_code("ActivityStatus", "2"));
        assert!(!is_code("ActivityStatus", "42"));
        assert!(!is_code("NoSuchList", "1"));
        assert_eq!(status("FlowType", "10"), Some(Status::Active));
        assert_eq!(status("FlowType", "20"), Some(Status::Withdrawn));
        assert!(is_code("Sector", "15220") && is_code("SectorCategory", "152"));
        assert!(lists().any(|l| l == "OrganisationRegistrationAgency"));
        let names: Vec<_> = lists().collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "the lists are sorted for binary search");
    }

    #[test]
    fn agency_prefixes_are_active_registration_agencies_followed_by_a_hyphen() {
        assert!(is_agency_prefix("XM-DAC-7"));
        assert!(is_agency_prefix("ES-DIR3-E04585801"));
        assert!(is_agency_prefix("GB-CHC-1234"));
        assert!(!is_agency_prefix("AA-AAA-123456789"), "the example's placeholder");
        assert!(!is_agency_prefix("US-GOV-1"), "US-GOV is no agency code");
        assert!(!is_agency_prefix("XM-DAC"), "no identifier after the prefix");
        assert!(!is_agency_prefix("XM-DAC-"));
        assert!(!is_agency_prefix("GB-GOVUK-1"), "withdrawn agency");
        assert!(!is_agency_prefix(""));
        assert!(!is_agency_prefix("-"));
    }

    #[test]
    fn unknown_codes_are_errors_naming_list_and_value() {
        let p = problems("<default-aid-type code=\"D03\"/>");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, "codelist");
        assert_eq!(p[0].severity, Severity::Error);
        assert_eq!(p[0].message, "\"D03\" is not a code of the AidType list (vocabulary 1)");
        assert_eq!(p[0].path, "/iati-activities/iati-activity[1]/default-aid-type[1]/@code");
        assert!(problems("<default-aid-type code=\"A01\"/>").is_empty());
        let p = problems("<participating-org role=\"9\"/><participating-org role=\"1\" type=\"99\"/>");
        assert_eq!(p.len(), 2);
        assert!(p[0].message.contains("OrganisationRole") && p[1].message.contains("OrganisationType"));
        assert_eq!(p[1].path, "/iati-activities/iati-activity[1]/participating-org[2]/@type");
    }

    #[test]
    fn withdrawn_codes_are_warnings() {
        let p = problems("<default-flow-type code=\"20\"/>");
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].code.as_str(), p[0].severity), ("codelist", Severity::Warning));
        assert!(p[0].message.contains("withdrawn") && p[0].message.contains("FlowType"));
        assert!(problems("<default-flow-type code=\"10\"/>").is_empty());
    }

    #[test]
    fn empty_values_and_placeholders_are_placeholders_error_when_required() {
        assert_eq!(codes_of("<policy-marker code=\"1\" significance=\"\"/>"), [("placeholder".to_string(), Severity::Warning)]);
        assert_eq!(codes_of("<default-tied-status code=\"\"/>"), [("placeholder".to_string(), Severity::Error)]);
        assert_eq!(codes_of("<participating-org role=\"xx\"/>"), [("placeholder".to_string(), Severity::Error)]);
        assert_eq!(codes_of("<document-link><category code=\"XXX\"/></document-link>"), [("placeholder".to_string(), Severity::Error)]);
        assert_eq!(codes_of("<participating-org role=\"x\"/>"), [("codelist".to_string(), Severity::Error)]);
        assert_eq!(codes_of("<budget type=\"XX\"/>"), [("placeholder".to_string(), Severity::Warning)]);
        assert!(problems("<policy-marker code=\"1\" significance=\"2\"/>").is_empty());
    }

    #[test]
    fn sector_codes_follow_their_vocabulary() {
        assert!(problems("<sector code=\"15220\"/><sector vocabulary=\"1\" code=\"11110\"/><sector vocabulary=\"2\" code=\"152\"/>").is_empty());
        let p = problems("<sector code=\"152\"/>");
        assert_eq!(p[0].message, "\"152\" is not a code of the Sector list (vocabulary 1)");
        let p = problems("<sector vocabulary=\"2\" code=\"15220\"/>");
        assert!(p[0].message.contains("SectorCategory"));
        assert!(problems("<sector vocabulary=\"98\" code=\"X1\"/><sector vocabulary=\"99\" code=\"Y\"/>").is_empty(), "own vocabularies are not checked");
        assert!(problems("<sector vocabulary=\"7\" code=\"5\"/>").is_empty());
        assert!(problems("<sector vocabulary=\"7\" code=\"55\"/>")[0].message.contains("UNSDG-Goals"));
        assert!(problems("<transaction><sector code=\"99999\"/></transaction>")[0].path.ends_with("/transaction[1]/sector[1]/@code"));
        let p = problems("<sector vocabulary=\"42\" code=\"x1\"/>");
        assert_eq!(p.len(), 1, "the vocabulary is wrong, the code not checked: {p:?}");
        assert!(p[0].message.contains("SectorVocabulary"));
    }

    #[test]
    fn region_codes_are_dac_regions_only_under_vocabulary_1() {
        assert!(problems("<recipient-region code=\"998\"/><recipient-region vocabulary=\"1\" code=\"789\"/>").is_empty());
        assert!(problems("<recipient-region vocabulary=\"2\" code=\"142\"/><recipient-region vocabulary=\"2\" code=\"419\"/>").is_empty(), "UN M49");
        let p = problems("<recipient-region code=\"ZZA123\"/>");
        assert_eq!(p[0].message, "\"ZZA123\" is not a code of the Region list (vocabulary 1)");
        assert!(
            problems("<recipient-region vocabulary=\"\" code=\"ZZ\"/>").iter().any(|p| p.message.contains("Region list")),
            "an empty vocabulary is the default"
        );
    }

    #[test]
    fn aid_types_policy_markers_and_tags_follow_their_vocabulary() {
        let p = problems("<transaction><aid-type code=\"123ZZ\" vocabulary=\"1\"/><aid-type code=\"1\" vocabulary=\"ABC123\"/></transaction>");
        let lists: Vec<_> = p.iter().map(|p| p.message.clone()).collect();
        assert_eq!(lists.len(), 2, "{lists:?}");
        assert!(lists[0].contains("AidType list") && lists[1].contains("AidTypeVocabulary"));
        assert!(problems("<default-aid-type code=\"1\" vocabulary=\"2\"/>").is_empty(), "earmarking is not in the table");
        assert!(problems("<policy-marker vocabulary=\"99\" code=\"A1\" significance=\"3\"/>").is_empty());
        assert!(problems("<policy-marker code=\"A1\"/>")[0].message.contains("PolicyMarker list"));
        assert!(problems("<tag vocabulary=\"1\" code=\"anything\"/><tag vocabulary=\"2\" code=\"17\"/><tag vocabulary=\"3\" code=\"1.1\"/>").is_empty());
        assert!(problems("<tag vocabulary=\"2\" code=\"18\"/>")[0].message.contains("UNSDG-Goals"));
        assert!(problems("<tag vocabulary=\"9\" code=\"1\"/>")[0].message.contains("TagVocabulary"));
    }

    #[test]
    fn currencies_languages_and_document_links_are_checked_everywhere() {
        let body = "<budget><value currency=\"EUR\">1</value></budget><transaction><value currency=\"EURO\">1</value></transaction>\
                    <title><narrative xml:lang=\"english\">t</narrative></title>\
                    <result type=\"1\"><indicator measure=\"1\"><document-link format=\"text/html\" url=\"u\"><category code=\"Z99\"/><language code=\"en\"/></document-link></indicator></result>";
        let p = problems(body);
        let m: Vec<_> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            m,
            [
                "\"EURO\" is not a code of the Currency list",
                "\"english\" is not a code of the Language list",
                "\"Z99\" is not a code of the DocumentCategory list"
            ]
        );
        assert!(problems("<document-link format=\"application/x-nothing\" url=\"u\"/>")[0].message.contains("FileFormat"));
        let xml = "<iati-activities version=\"2.03\"><iati-activity xml:lang=\"zz\" default-currency=\"XYZ\"/></iati-activities>";
        let (mut r, _) = ActivityReader::open(xml.as_bytes(), Limits::default()).unwrap();
        let mut out = Vec::new();
        check_activity(&r.next().unwrap().unwrap(), "/a", &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
    }

    #[test]
    fn extensions_and_missing_attributes_are_left_alone() {
        assert!(problems("<x:ext xmlns:x=\"urn:x\" code=\"nonsense\"><sector code=\"bad\"/></x:ext><sector/>").is_empty());
    }
}
