//! IATI's rules beyond the schema, for activity files: the rules of IATI's validator
//! (IATI/IATI-Rulesets `rulesets/standard.json`, branch version-2.03, commit a88f835b), each
//! reported with its rule id as the problem's code and its severity and message as written
//! there, at the element it is about; and the file-level duplicate identifier check (1.1.2)
//! the validator does outside that file ([`FileChecks`]).
//!
//! All 79 rule ids of standard.json that apply to activities are implemented (the rest are
//! for organisation files, which the reader refuses). The rules follow the validator's
//! semantics (`SPEC.rst` and its code, IATI/js-validator-api), with these deliberate
//! differences, each towards saying what is wrong where it is:
//!
//! - a value that cannot be read (a garbage date or percentage) is not checked by a rule
//!   that needs it, where the validator would compare `NaN` or skip silently;
//! - blank is not content: an empty or all-space narrative does not count as one (4.3.1,
//!   4.4.1, 2.2.1, 6.13.1 and the "identifier or narrative" rules), nor does an empty `@ref`;
//! - every transaction's dates are checked (11.2.1, 11.2.2), not the first transaction's;
//! - 2.2.1 and 7.9.1 are checked element by element ("each must"), as their messages say,
//!   where the validator compares counts;
//! - 3.4.2 (recipient countries and regions add up to 100 %) is checked only when some
//!   percentage is given: without any, there is nothing to add up, and the missing
//!   percentages are what 3.4.1 and 3.1.1 are about. As in the validator, 3.4.2 runs once
//!   per region vocabulary written in the file (regions without `@vocabulary` form no group);
//! - vocabularies and codes are compared with surrounding spaces trimmed, and an empty sector
//!   vocabulary is vocabulary 1 (the validator puts it in both groups);
//! - the registry of publishers is not consulted (the validator skips 1.14.8, 1.3.13 and the
//!   `…13` rules for identifiers it knows): the import works air-gapped, so a registered
//!   publisher whose identifier has no agency prefix (`US-GOV-1`) gets the 1.14.8 warning.
//!
//! Rules that depend on the date take `today`, so that tests can fix it.

use super::codelists::is_agency_prefix;
use super::problem::{Problem, Severity};
use super::xml::Node;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A rule of standard.json: its id, severity and message, as written there.
struct Rule {
    id: &'static str,
    severity: Severity,
    message: &'static str,
}

const fn error(id: &'static str, message: &'static str) -> Rule {
    Rule { id, severity: Severity::Error, message }
}

const fn warning(id: &'static str, message: &'static str) -> Rule {
    Rule { id, severity: Severity::Warning, message }
}

// The rules, by id; each names the rule type and context it has in standard.json.
/// 1.1.3: `unique` on `iati-activity`.
const R1_1_3: Rule = error("1.1.3", "The activity identifier must be different to the organisation identifier of the reporting organisation.");
/// 1.1.21: `startswith` on `iati-activity`.
const R1_1_21: Rule = warning(
    "1.1.21",
    "The activity identifier should begin with your IATI organisation identifier (either the current IATI Organisation identifier for the reporting organisation or a previous version included in other-identifier element) followed by a unique string for the activity separated by a hyphen",
);
/// 1.3.1: `no_spaces` on `iati-activity`.
const R1_3_1: Rule = warning("1.3.1", "The iati-identifier should not start or end with spaces or newlines.");
/// 1.3.13: `regex_matches` on `iati-activity`.
const R1_3_13: Rule = warning("1.3.13", "The iati-identifier must not contain any of the symbols /, &, | or ?.");
/// 1.4.1: `no_spaces` on `transaction/provider-org | /planned-disbursement/provider-org`.
const R1_4_1: Rule = warning("1.4.1", "The provider-org activity identifier should not start or end with spaces or newlines.");
/// 1.5.1: `no_spaces` on `transaction/receiver-org | /planned-disbursement/receiver-org`.
const R1_5_1: Rule = warning("1.5.1", "The receiver-org activity identifier should not start or end with spaces or newlines.");
/// 1.6.1: `no_spaces` on `iati-activity`.
const R1_6_1: Rule = warning("1.6.1", "The previous activity identifier should not start or end with spaces or newlines.");
/// 1.7.1: `no_spaces` on `iati-activity`.
const R1_7_1: Rule = warning("1.7.1", "The related activity identifier should not start or end with spaces or newlines.");
/// 1.8.1: `no_spaces` on `participating-org`.
const R1_8_1: Rule = warning("1.8.1", "The participating-org identifier should not start or end with spaces or newlines.");
/// 1.8.13: `regex_matches` on `participating-org`.
const R1_8_13: Rule = warning("1.8.13", "The receiver-org identifier must not contain any of the symbols /, &, | or ?.");
/// 1.9.1: `no_spaces` on `participating-org`.
const R1_9_1: Rule = warning("1.9.1", "The participating-org activity identifier should not start or end with spaces or newlines.");
/// 1.10.1: `no_spaces` on `transaction/provider-org | /planned-disbursement/provider-org`.
const R1_10_1: Rule = warning("1.10.1", "The provider organisation identifier should not start or end with spaces or newlines.");
/// 1.10.13: `regex_matches` on `transaction/provider-org | /planned-disbursement/provider-org`.
const R1_10_13: Rule = warning("1.10.13", "The provider organisation identifier must not contain any of the symbols /, &, | or ?.");
/// 1.11.1: `no_spaces` on `other-identifier/owner-org`.
const R1_11_1: Rule = warning("1.11.1", "The owner organisation identifier should not start or end with spaces or newlines.");
/// 1.11.13: `regex_matches` on `other-identifier/owner-org`.
const R1_11_13: Rule = warning("1.11.13", "The owner organisation identifier must not contain any of the symbols /, &, | or ?.");
/// 1.14.1: `no_spaces` on `iati-activity`.
const R1_14_1: Rule = warning("1.14.1", "The reporting-org identifier should not start or end with spaces or newlines.");
/// 1.14.8: `startswith` on `iati-activity`.
const R1_14_8: Rule = warning("1.14.8", "The reporting organisation id must start with an approved agency code.");
/// 1.14.13: `regex_matches` on `iati-activity`.
const R1_14_13: Rule = warning("1.14.13", "The reporting-org identifier must not contain any of the symbols /, &, | or ?.");
/// 1.15.1: `no_spaces` on `transaction/receiver-org | /planned-disbursement/receiver-org`.
const R1_15_1: Rule = warning("1.15.1", "The receiver-org identifier should not start or end with spaces or newlines.");
/// 1.15.13: `regex_matches` on `transaction/receiver-org | /planned-disbursement/receiver-org`.
const R1_15_13: Rule = warning("1.15.13", "The receiver-org identifier must not contain any of the symbols /, &, | or ?.");
/// 1.16.1: `no_spaces` on `iati-activity`.
const R1_16_1: Rule = warning("1.16.1", "The previous reporting organisation identifier should not start or end with spaces or newlines.");
/// 2.1.1: `loop/if_then` on `iati-activity`.
const R2_1_1: Rule = error("2.1.1", "When multiple sectors, within a vocabulary (e.g. 1 - OECD DAC) are declared, each must have a percentage.");
/// 2.1.2: `loop/strict_sum` on `iati-activity`.
const R2_1_2: Rule = error("2.1.2", "Percentage values for sectors, within a vocabulary (e.g. 1 - OECD DAC), must add up to 100%.");
/// 2.1.4: `loop/if_then` on `iati-activity`.
const R2_1_4: Rule = error("2.1.4", "When a single sector is declared, the percentage must either be omitted, or set to 100.");
/// 2.2.1: `if_then` on `iati-activity`.
const R2_2_1: Rule = error("2.2.1", "When using a reporting organisation sector code (vocabulary 98 or 99), it must include a narrative.");
/// 3.1.1: `if_then` on `iati-activity`.
const R3_1_1: Rule = error("3.1.1", "When multiple recipient countries are declared, each must have a percentage.");
/// 3.1.2: `strict_sum` on `iati-activity`.
const R3_1_2: Rule = error("3.1.2", "Percentage values for recipient countries, must add up to 100%.");
/// 3.1.4: `if_then` on `iati-activity`.
const R3_1_4: Rule = error("3.1.4", "When a single recipient country is declared, the percentage must either be omitted, or set to 100.");
/// 3.4.1: `loop/if_then` on `iati-activity`.
const R3_4_1: Rule = error("3.4.1", "When multiple recipient countries or regions are declared, each must have a percentage.");
/// 3.4.2: `loop/strict_sum` on `iati-activity`.
const R3_4_2: Rule = error("3.4.2", "Percentage values for recipient countries or regions, must add up to 100%.");
/// 3.4.4: `loop/if_then` on `iati-activity`.
const R3_4_4: Rule = error("3.4.4", "When a single recipient region in a vocabulary is declared, the percentage must either be omitted, or set to 100.");
/// 3.6.2: `if_then` on `iati-activity`.
const R3_6_2: Rule = error("3.6.2", "Recipient countries or regions must only be declared at activity level OR for all transactions.");
/// 3.7.1: `if_then` on `iati-activity`.
const R3_7_1: Rule = error("3.7.1", "Recipient country or recipient region should be declared for either the activity or for all transactions.");
/// 3.7.2: `if_then` on `iati-activity`.
const R3_7_2: Rule = error("3.7.2", "Recipient country or recipient region should be declared for either the activity or for all transactions.");
/// 4.1.1: `one_or_all` on `iati-activity`.
const R4_1_1: Rule = error("4.1.1", "The activity should specify a default language OR the language must be specified for each narrative element.");
/// 4.3.1: `atleast_one` on `title`.
const R4_3_1: Rule = error("4.3.1", "The title must contain narrative content.");
/// 4.4.1: `atleast_one` on `description`.
const R4_4_1: Rule = error("4.4.1", "The description must contain narrative content.");
/// 6.2.2: `atleast_one` on `iati-activity`.
const R6_2_2: Rule = error("6.2.2", "Each activity must have a specified sector, either at activity level OR for all transactions.");
/// 6.6.2: `if_then` on `iati-activity`.
const R6_6_2: Rule = error("6.6.2", "Sectors must only be declared at activity level OR for all transactions.");
/// 6.7.2: `one_or_all` on `iati-activity`.
const R6_7_2: Rule = error("6.7.2", "If sector is declared at transaction level, a sector must be declared for all transactions.");
/// 6.8.1: `atleast_one` on `other-identifier/owner-org`.
const R6_8_1: Rule = error("6.8.1", "The owner organisation must have an identifier or a narrative.");
/// 6.9.1: `atleast_one` on `transaction/provider-org | /planned-disbursement/provider-org`.
const R6_9_1: Rule = error("6.9.1", "The provider organisation must have an organisation identifier or a narrative.");
/// 6.9.2: `atleast_one` on `transaction/receiver-org | /planned-disbursement/receiver-org`.
const R6_9_2: Rule = error("6.9.2", "The receiver organisation must have an organisation identifier or a narrative.");
/// 6.10.1: `atleast_one` on `participating-org`.
const R6_10_1: Rule = error("6.10.1", "The participating organisation must have an identifier or a narrative.");
/// 6.11.1: `atleast_one` on `iati-activity`.
const R6_11_1: Rule = error("6.11.1", "The activity must have a planned start date or an actual start date.");
/// 6.13.1: `atleast_one` on `policy-marker`.
const R6_13_1: Rule = error("6.13.1", "When using a reporting organisation policy marker code (vocabulary 99), it must include a narrative.");
/// 6.14.1: `atleast_one` on `policy-marker`.
const R6_14_1: Rule = error("6.14.1", "When using a policy marker code for vocabulary 1, it must include a significance.");
/// 7.5.3: `time_limit` on `budget`.
const R7_5_3: Rule = error("7.5.3", "Budget Period must not be longer than one year.");
/// 7.8.1: `one_or_all` on `iati-activity`.
const R7_8_1: Rule = error("7.8.1", "The activity should specify a default currency OR the currency must be specified for each monetary value.");
/// 7.9.1: `loop/atleast_one` on `iati-activity`.
const R7_9_1: Rule = warning("7.9.1", "When multiple budget items are declared, each must have a percentage.");
/// 7.9.2: `loop/strict_sum` on `iati-activity`.
const R7_9_2: Rule = warning("7.9.2", "Percentage values for budget items, should add up to 100%.");
/// 7.9.4: `loop/if_then` on `iati-activity`.
const R7_9_4: Rule = warning("7.9.4", "When a single budget item is declared, the percentage must either be omitted, or set to 100.");
/// 8.6.1: `date_order` on `result/indicator/period`.
const R8_6_1: Rule = error("8.6.1", "The start date of the indicator period must be before the end date of the indicator period.");
/// 8.6.3: `date_order` on `planned-disbursement`.
const R8_6_3: Rule = error("8.6.3", "The start of the period must be before the end of the period.");
/// 8.8.1: `atleast_one` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/baseline`.
const R8_8_1: Rule =
    error("8.8.1", "The baseline must have a value when the indicator measure is non-qualitative (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).");
/// 8.8.2: `if_then` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/baseline`.
const R8_8_2: Rule =
    warning("8.8.2", "The baseline value should be a valid number for all non-qualitative measures (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).");
/// 8.8.3: `if_then` on `result/indicator[@measure='5']/baseline`.
const R8_8_3: Rule = warning("8.8.3", "The baseline value should be omitted for qualitative measures.");
/// 8.9.1: `atleast_one` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/period/target`.
const R8_9_1: Rule =
    error("8.9.1", "The target must have a value when indicator measure is non-qualitative (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).");
/// 8.9.2: `if_then` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/period/target`.
const R8_9_2: Rule =
    warning("8.9.2", "The target value should be a valid number for all non-qualitative measures (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).");
/// 8.9.3: `if_then` on `result/indicator[@measure='5']/period/target`.
const R8_9_3: Rule = warning("8.9.3", "The target value should be omitted for qualitative measures.");
/// 8.10.1: `atleast_one` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/period/actual`.
const R8_10_1: Rule =
    error("8.10.1", "The actual must have a value when the indicator measure is non-qualitative (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).");
/// 8.10.2: `if_then` on `result/indicator[@measure='1' or @measure='2' or @measure='3' or @measure='4']/period/actual`.
const R8_10_2: Rule = warning(
    "8.10.2",
    "The actual value should be a valid number for all non-qualitative indicator measures (e.g. 1 = unit, 2 = percentage, 3 = nominal, 4 = ordinal).",
);
/// 8.10.3: `if_then` on `result/indicator[@measure='5']/period/actual`.
const R8_10_3: Rule = warning("8.10.3", "The actual value should be omitted for qualitative indicator measures.");
/// 8.11.1: `no_more_than_one` on `result/indicator`.
const R8_11_1: Rule = error("8.11.1", "A reference code must only be declared at result OR result indicator level.");
/// 11.1.1: `date_now` on `iati-activity`.
const R11_1_1: Rule = error("11.1.1", "The last updated datetime of the activity must not be in the future.");
/// 11.1.2: `date_order` on `iati-activity`.
const R11_1_2: Rule = error("11.1.2", "The planned start date of the activity must be before the planned end date.");
/// 11.1.3: `date_order` on `iati-activity`.
const R11_1_3: Rule = error("11.1.3", "The actual start date of the activity must be before the actual end date.");
/// 11.1.4: `date_order` on `iati-activity`.
const R11_1_4: Rule = error("11.1.4", "The actual start date of the activity must not be in the future.");
/// 11.1.5: `date_order` on `iati-activity`.
const R11_1_5: Rule = error("11.1.5", "The actual end date of the activity must not be in the future.");
/// 11.2.1: `date_order` on `iati-activity`.
const R11_2_1: Rule = error("11.2.1", "The transaction date must not be in the future.");
/// 11.2.2: `date_order` on `iati-activity`.
const R11_2_2: Rule = error("11.2.2", "The transaction value date must not be in the future.");
/// 12.1.1: `range` on `iati-activity`.
const R12_1_1: Rule = error("12.1.1", "The country/region percentage value must be between 0.0 and 100.0 (inclusive).");
/// 12.2.1: `range` on `iati-activity`.
const R12_2_1: Rule = error("12.2.1", "The percentage value must be between 0.0 and 100.0 (inclusive).");
/// 12.3.1: `range` on `iati-activity`.
const R12_3_1: Rule = error("12.3.1", "The sector percentage value must be between 0.0 and 100.0 (inclusive).");
/// 102.1.1: `if_then` on `iati-activity`.
const R102_1_1: Rule = warning("102.1.1", "When a non OECD DAC sector vocabulary is used, sector vocabulary 1 - OECD DAC should also be used.");
/// 107.1.1: `if_then` on `iati-activity`.
const R107_1_1: Rule = warning("107.1.1", "The activity should also declare an aid type code from aid type vocabulary 1 - OECD DAC.");
/// 107.1.2: `loop/no_more_than_one` on `iati-activity`.
const R107_1_2: Rule = warning("107.1.2", "Each activity should only contain one default aid type code per aid type vocabulary (e.g. 1 - OECD DAC)");
/// 107.2.1: `if_then` on `iati-activity`.
const R107_2_1: Rule = warning("107.2.1", "The transaction should also contain a code from the OECD DAC aid type vocabulary.");
/// 107.2.2: `no_more_than_one` on `transaction`.
const R107_2_2: Rule = warning("107.2.2", "Each transaction should only contain one aid type code per aid type vocabulary (e.g. 1 - OECD DAC)");

/// Report `rule` at `at` (its line and column), with `path` the place in the document.
fn report(out: &mut Vec<Problem>, rule: &Rule, at: &Node, path: String) {
    out.push(Problem { severity: rule.severity, line: at.line, column: at.column, path, code: rule.id.to_string(), message: rule.message.to_string() });
}

/// The IATI children of `node` called `name`, each with its path (`…/sector[2]`).
fn each<'a, 'p>(node: &'a Node, path: &'p str, name: &'p str) -> impl Iterator<Item = (&'a Node, String)> + use<'a, 'p> {
    node.all(name).enumerate().map(move |(i, n)| (n, format!("{path}/{name}[{}]", i + 1)))
}

/// Every IATI descendant of `node`, with its path, in document order.
fn descendants<'a>(node: &'a Node, path: &str, f: &mut dyn FnMut(&'a Node, &str)) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for child in node.children.iter().filter(|c| c.is_iati()) {
        let n = seen.entry(child.name.as_str()).or_insert(0);
        *n += 1;
        let p = format!("{path}/{}[{n}]", child.name);
        f(child, &p);
        descendants(child, &p, f);
    }
}

/// Whether some IATI descendant of `node` satisfies `f`.
fn any_descendant(node: &Node, f: &dyn Fn(&Node) -> bool) -> bool {
    node.children.iter().filter(|c| c.is_iati()).any(|c| f(c) || any_descendant(c, f))
}

/// An attribute's value, trimmed, when it is there and not blank.
fn filled<'a>(node: &'a Node, attr: &str) -> Option<&'a str> {
    node.attr(attr).map(str::trim).filter(|v| !v.is_empty())
}

/// Whether `node` has a narrative with some text.
fn has_narrative(node: &Node) -> bool {
    node.all("narrative").any(|n| !n.trimmed().is_empty())
}

/// A vocabulary as grouped: trimmed, with an absent or empty one as the default `1` (sectors,
/// aid types and policy markers all default to vocabulary 1).
fn vocabulary(node: &Node) -> &str {
    filled(node, "vocabulary").unwrap_or("1")
}

/// A date: the `YYYY-MM-DD` an `xsd:date` or `xsd:dateTime` starts with; `None` when it cannot be read.
fn date(value: &str) -> Option<NaiveDate> {
    let head = value.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// The date in attribute `attr` of `node`.
fn date_of(node: &Node, attr: &str) -> Option<NaiveDate> {
    node.attr(attr).and_then(date)
}

/// A percentage attribute: `None` when absent, `Some(None)` when it cannot be read as a number.
fn percentage(node: &Node) -> Option<Option<f64>> {
    node.attr("percentage").map(|v| v.trim().parse::<f64>().ok().filter(|f| f.is_finite()))
}

/// The sum of the given percentages (absent ones count nothing), rounded to four decimals as
/// the validator does; `None` when one cannot be read.
fn percent_sum<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Option<f64> {
    let mut sum = 0.0;
    for n in nodes {
        match percentage(n) {
            None => {}
            Some(None) => return None,
            Some(Some(p)) => sum += p,
        }
    }
    Some((sum * 10_000.0).round() / 10_000.0)
}

fn is_100(value: f64) -> bool {
    (value - 100.0).abs() < 1e-9
}

/// Whether a single element's percentage breaks "omitted or 100" (unreadable: not checked).
fn not_100(node: &Node) -> bool {
    matches!(percentage(node), Some(Some(p)) if !is_100(p))
}

/// Whether a value is an XPath 1.0 number (`-12`, `3.5`, `.5`), what the validator's
/// `number(@value) = @value` accepts.
fn is_number(value: &str) -> bool {
    let v = value.trim();
    let v = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    (!int.is_empty() || !frac.is_empty()) && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Whether an identifier holds one of the symbols the `…13` rules forbid.
fn has_symbols(value: &str) -> bool {
    value.contains(['/', '&', '|', '?'])
}

/// Whether a value starts or ends with white space (the `no_spaces` rules).
fn spaced(value: &str) -> bool {
    value != value.trim()
}

/// Elements grouped by a key, groups in the order they first appear.
fn groups<'a>(items: impl IntoIterator<Item = (&'a Node, String)>, key: impl Fn(&Node) -> &str) -> Vec<(String, Vec<(&'a Node, String)>)> {
    let mut out: Vec<(String, Vec<(&'a Node, String)>)> = Vec::new();
    for (n, p) in items {
        let k = key(n).to_string();
        match out.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push((n, p)),
            None => out.push((k, vec![(n, p)])),
        }
    }
    out
}

/// Check the rules of standard.json on one activity read at `path`
/// (`/iati-activities/iati-activity[3]`), with `today` for the rules about the future.
pub fn check_activity(activity: &Node, path: &str, today: NaiveDate, out: &mut Vec<Problem>) {
    identifiers(activity, path, out);
    dates(activity, path, today, out);
    language_and_currency(activity, path, out);
    sectors(activity, path, out);
    geography(activity, path, out);
    aid_types(activity, path, out);
    budget_items(activity, path, out);
    organisations(activity, path, out);
    policy_markers(activity, path, out);
    periods(activity, path, out);
    results(activity, path, out);
    narratives(activity, path, out);
}

/// 1.1.3, 1.1.21, 1.14.8 and the spaces and symbols in identifiers (1.3.1, 1.3.13, 1.14.1,
/// 1.14.13, 1.16.1, 1.6.1, 1.7.1).
fn identifiers(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let reporting: Vec<(&Node, String)> = each(a, path, "reporting-org").collect();
    if let Some((id_node, id_path)) = each(a, path, "iati-identifier").next() {
        let raw = id_node.text.as_str();
        let id = raw.trim();
        if !id.is_empty() && reporting.iter().any(|(r, _)| filled(r, "ref") == Some(id)) {
            report(out, &R1_1_3, id_node, id_path.clone());
        }
        // The identifier starts with the reporting organisation's identifier, or a previous one
        // given as other-identifier type B1 (the Dutch ministry's NL-1), and a hyphen.
        let b1 = a.all("other-identifier").filter(|o| filled(o, "type") == Some("B1"));
        let prefixes: Vec<&str> = reporting.iter().map(|(r, _)| *r).chain(b1).filter_map(|n| filled(n, "ref")).collect();
        if !prefixes.iter().any(|p| id.strip_prefix(p).is_some_and(|rest| rest.starts_with('-'))) {
            report(out, &R1_1_21, id_node, id_path.clone());
        }
        if spaced(raw) {
            report(out, &R1_3_1, id_node, id_path.clone());
        }
        if has_symbols(id) {
            report(out, &R1_3_13, id_node, id_path);
        }
    }
    for (r, p) in &reporting {
        if let Some(reference) = r.attr("ref") {
            if !is_agency_prefix(reference.trim()) {
                report(out, &R1_14_8, r, format!("{p}/@ref"));
            }
            if spaced(reference) {
                report(out, &R1_14_1, r, format!("{p}/@ref"));
            }
            if has_symbols(reference) {
                report(out, &R1_14_13, r, format!("{p}/@ref"));
            }
        }
    }
    for (o, p) in each(a, path, "other-identifier") {
        let rule = match filled(o, "type") {
            Some("B1") => &R1_16_1,
            Some("A3") => &R1_6_1,
            _ => continue,
        };
        if o.attr("ref").is_some_and(spaced) {
            report(out, rule, o, format!("{p}/@ref"));
        }
    }
    for (r, p) in each(a, path, "related-activity") {
        if r.attr("ref").is_some_and(spaced) {
            report(out, &R1_7_1, r, format!("{p}/@ref"));
        }
    }
}

/// 6.11.1 and the rules about dates: their order (11.1.2, 11.1.3) and the future (11.1.1,
/// 11.1.4, 11.1.5, 11.2.1, 11.2.2).
fn dates(a: &Node, path: &str, today: NaiveDate, out: &mut Vec<Problem>) {
    let typed = |t: &str| each(a, path, "activity-date").find(|(d, _)| filled(d, "type") == Some(t) && d.attr("iso-date").is_some());
    if typed("1").is_none() && typed("2").is_none() {
        report(out, &R6_11_1, a, path.to_string());
    }
    let dated = |t: &str| typed(t).and_then(|(d, p)| date_of(d, "iso-date").map(|when| (d, format!("{p}/@iso-date"), when)));
    let (planned_start, actual_start, planned_end, actual_end) = (dated("1"), dated("2"), dated("3"), dated("4"));
    if let (Some((d, p, start)), Some((_, _, end))) = (&planned_start, &planned_end)
        && start > end
    {
        report(out, &R11_1_2, d, p.clone());
    }
    if let (Some((d, p, start)), Some((_, _, end))) = (&actual_start, &actual_end)
        && start > end
    {
        report(out, &R11_1_3, d, p.clone());
    }
    if let Some((d, p, start)) = actual_start
        && start > today
    {
        report(out, &R11_1_4, d, p);
    }
    if let Some((d, p, end)) = actual_end
        && end > today
    {
        report(out, &R11_1_5, d, p);
    }
    if date_of(a, "last-updated-datetime").is_some_and(|d| d > today) {
        report(out, &R11_1_1, a, format!("{path}/@last-updated-datetime"));
    }
    for (t, tp) in each(a, path, "transaction") {
        if let Some((d, p)) = each(t, &tp, "transaction-date").next()
            && date_of(d, "iso-date").is_some_and(|d| d > today)
        {
            report(out, &R11_2_1, d, format!("{p}/@iso-date"));
        }
        for (v, p) in each(t, &tp, "value") {
            if date_of(v, "value-date").is_some_and(|d| d > today) {
                report(out, &R11_2_2, v, format!("{p}/@value-date"));
            }
        }
    }
}

/// 4.1.1 (a default language or a language on every narrative) and 7.8.1 (a default currency
/// or a currency on every value), once per activity.
fn language_and_currency(a: &Node, path: &str, out: &mut Vec<Problem>) {
    if a.attr("xml:lang").is_none() && any_descendant(a, &|n| n.name == "narrative" && n.attr("xml:lang").is_none()) {
        report(out, &R4_1_1, a, format!("{path}/@xml:lang"));
    }
    let monetary = |n: &Node| matches!(n.name.as_str(), "value" | "forecast" | "loan-status") && n.attr("currency").is_none();
    if a.attr("default-currency").is_none() && any_descendant(a, &monetary) {
        report(out, &R7_8_1, a, format!("{path}/@default-currency"));
    }
}

/// Sectors: where they are declared (6.2.2, 6.6.2, 6.7.2), their percentages within each
/// vocabulary (2.1.1, 2.1.2, 2.1.4, 12.3.1), names of own codes (2.2.1) and the DAC
/// vocabulary alongside others (102.1.1).
fn sectors(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let sectors: Vec<(&Node, String)> = each(a, path, "sector").collect();
    let transactions: Vec<(&Node, String)> = each(a, path, "transaction").collect();
    let in_transactions: Vec<(&Node, String)> = transactions.iter().flat_map(|(t, p)| each(t, p, "sector")).collect();
    if sectors.is_empty() && in_transactions.is_empty() {
        report(out, &R6_2_2, a, path.to_string());
    }
    if sectors.is_empty() {
        if let Some((t, p)) = transactions.iter().find(|(t, _)| t.first("sector").is_none()) {
            report(out, &R6_7_2, t, p.clone());
        }
    } else if let Some((s, p)) = in_transactions.first() {
        report(out, &R6_6_2, s, p.clone());
    }
    for (vocab, group) in groups(sectors.iter().cloned(), vocabulary) {
        let with_percentage = group.iter().filter(|(s, _)| percentage(s).is_some()).count();
        // The DAC group is summed when two or more give a percentage; another vocabulary's
        // when it has two or more sectors (standard.json's two conditions).
        let summed = if vocab == "1" { with_percentage > 1 } else { group.len() > 1 };
        if summed
            && let Some(sum) = percent_sum(group.iter().map(|(s, _)| *s))
            && !is_100(sum)
            && let Some((s, p)) = group.first()
        {
            report(out, &R2_1_2, s, format!("{p}/@percentage"));
        }
        if group.len() > 1
            && let Some((s, p)) = group.iter().find(|(s, _)| percentage(s).is_none())
        {
            report(out, &R2_1_1, s, p.clone());
        }
        if let [(s, p)] = group.as_slice()
            && not_100(s)
        {
            report(out, &R2_1_4, s, format!("{p}/@percentage"));
        }
    }
    for (s, p) in &sectors {
        if matches!(percentage(s), Some(Some(v)) if !(0.0..=100.0).contains(&v)) {
            report(out, &R12_3_1, s, format!("{p}/@percentage"));
        }
        if matches!(filled(s, "vocabulary"), Some("98" | "99")) && !has_narrative(s) {
            report(out, &R2_2_1, s, p.clone());
        }
    }
    if !sectors.is_empty()
        && !sectors.iter().any(|(s, _)| vocabulary(s) == "1")
        && let Some((s, p)) = sectors.first()
    {
        report(out, &R102_1_1, s, p.clone());
    }
}

/// Recipient countries and regions: percentages (3.1.1, 3.1.2, 3.1.4, 3.4.1, 3.4.2, 3.4.4,
/// 12.1.1) and activity level or every transaction (3.6.2, 3.7.1, 3.7.2).
fn geography(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let countries: Vec<(&Node, String)> = each(a, path, "recipient-country").collect();
    let regions: Vec<(&Node, String)> = each(a, path, "recipient-region").collect();
    for (n, p) in countries.iter().chain(&regions) {
        if matches!(percentage(n), Some(Some(v)) if !(0.0..=100.0).contains(&v)) {
            report(out, &R12_1_1, n, format!("{p}/@percentage"));
        }
    }
    if regions.is_empty() && countries.len() > 1 {
        if let Some((c, p)) = countries.iter().find(|(c, _)| percentage(c).is_none()) {
            report(out, &R3_1_1, c, p.clone());
        }
        if let Some(sum) = percent_sum(countries.iter().map(|(c, _)| *c))
            && !is_100(sum)
            && let Some((c, p)) = countries.first()
        {
            report(out, &R3_1_2, c, format!("{p}/@percentage"));
        }
    }
    if let ([(c, p)], true) = (countries.as_slice(), regions.is_empty())
        && not_100(c)
    {
        report(out, &R3_1_4, c, format!("{p}/@percentage"));
    }
    // One group per region vocabulary written (as the validator's loop over
    // recipient-region/@vocabulary: regions without one are in no group).
    let written: Vec<(&Node, String)> = regions.iter().filter(|(r, _)| r.attr("vocabulary").is_some()).cloned().collect();
    for (_, group) in groups(written, |r| r.attr("vocabulary").map(str::trim).unwrap_or("")) {
        if group.len() > 1
            && let Some((r, p)) = group.iter().find(|(r, _)| percentage(r).is_none())
        {
            report(out, &R3_4_1, r, p.clone());
        }
        if let ([(r, p)], true) = (group.as_slice(), countries.is_empty())
            && not_100(r)
        {
            report(out, &R3_4_4, r, format!("{p}/@percentage"));
        }
        let members = || group.iter().map(|(r, _)| *r).chain(countries.iter().map(|(c, _)| *c));
        if group.len() + countries.len() > 1
            && members().any(|n| percentage(n).is_some())
            && let Some(sum) = percent_sum(members())
            && !is_100(sum)
            && let Some((r, p)) = group.first()
        {
            report(out, &R3_4_2, r, p.clone());
        }
    }
    let transactions: Vec<(&Node, String)> = each(a, path, "transaction").collect();
    let located = |t: &Node| t.first("recipient-country").is_some() || t.first("recipient-region").is_some();
    if !countries.is_empty() || !regions.is_empty() {
        let first = transactions.iter().flat_map(|(t, p)| each(t, p, "recipient-country").chain(each(t, p, "recipient-region"))).next();
        if let Some((n, p)) = first {
            report(out, &R3_6_2, n, p);
        }
    } else {
        if !transactions.iter().any(|(t, _)| located(t)) {
            report(out, &R3_7_1, a, path.to_string());
        }
        if let Some((t, p)) = transactions.iter().find(|(t, _)| !located(t)) {
            report(out, &R3_7_2, t, p.clone());
        }
    }
}

/// Aid types: one per vocabulary (107.1.2 on the activity, 107.2.2 in each transaction) and
/// the DAC vocabulary among them (107.1.1, 107.2.1).
fn aid_types(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let defaults: Vec<(&Node, String)> = each(a, path, "default-aid-type").collect();
    for (_, group) in groups(defaults.iter().cloned(), vocabulary) {
        if let Some((d, p)) = group.get(1) {
            report(out, &R107_1_2, d, p.clone());
        }
    }
    if !defaults.is_empty()
        && !defaults.iter().any(|(d, _)| vocabulary(d) == "1")
        && let Some((d, p)) = defaults.first()
    {
        report(out, &R107_1_1, d, p.clone());
    }
    let transactions: Vec<(&Node, String)> = each(a, path, "transaction").collect();
    let in_transactions: Vec<(&Node, String)> = transactions.iter().flat_map(|(t, p)| each(t, p, "aid-type")).collect();
    if !in_transactions.is_empty()
        && !in_transactions.iter().any(|(d, _)| vocabulary(d) == "1")
        && let Some((d, p)) = in_transactions.first()
    {
        report(out, &R107_2_1, d, p.clone());
    }
    for (t, tp) in &transactions {
        for (_, group) in groups(each(t, tp, "aid-type"), vocabulary) {
            if let Some((d, p)) = group.get(1) {
                report(out, &R107_2_2, d, p.clone());
            }
        }
    }
}

/// Country budget items within each vocabulary: percentages (7.9.1, 7.9.2, 7.9.4, 12.2.1);
/// and the capital spend percentage (12.2.1).
fn budget_items(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let mut items: Vec<(&str, &Node, String)> = Vec::new();
    for (c, cp) in each(a, path, "country-budget-items") {
        let vocab = c.attr("vocabulary").map(str::trim).unwrap_or("");
        items.extend(each(c, &cp, "budget-item").map(|(n, p)| (vocab, n, p)));
    }
    for (i, p) in items.iter().map(|(_, i, p)| (i, p)).chain(each(a, path, "capital-spend").collect::<Vec<_>>().iter().map(|(n, p)| (n, p))) {
        if matches!(percentage(i), Some(Some(v)) if !(0.0..=100.0).contains(&v)) {
            report(out, &R12_2_1, i, format!("{p}/@percentage"));
        }
    }
    let mut vocabularies: Vec<&str> = Vec::new();
    for (v, _, _) in &items {
        if !vocabularies.contains(v) {
            vocabularies.push(v);
        }
    }
    for v in vocabularies {
        let group: Vec<&(&str, &Node, String)> = items.iter().filter(|(w, _, _)| *w == v).collect();
        if let [(_, i, p)] = group.as_slice() {
            if not_100(i) {
                report(out, &R7_9_4, i, format!("{p}/@percentage"));
            }
            continue;
        }
        if let Some((_, i, p)) = group.iter().find(|(_, i, _)| percentage(i).is_none()) {
            report(out, &R7_9_1, i, p.clone());
        }
        if let Some(sum) = percent_sum(group.iter().map(|(_, i, _)| *i))
            && !is_100(sum)
            && let Some((_, i, p)) = group.first()
        {
            report(out, &R7_9_2, i, format!("{p}/@percentage"));
        }
    }
}

/// Organisations: an identifier or a name (6.8.1, 6.9.1, 6.9.2, 6.10.1), and spaces and
/// symbols in their identifiers.
fn organisations(a: &Node, path: &str, out: &mut Vec<Problem>) {
    let named = |o: &Node| filled(o, "ref").is_some() || has_narrative(o);
    let mut org = |o: &Node, p: &str, name: &Rule, spaces: &Rule, symbols: &Rule, activity: Option<(&str, &Rule)>| {
        if !named(o) {
            report(out, name, o, p.to_string());
        }
        if let Some(r) = o.attr("ref") {
            if spaced(r) {
                report(out, spaces, o, format!("{p}/@ref"));
            }
            if has_symbols(r) {
                report(out, symbols, o, format!("{p}/@ref"));
            }
        }
        if let Some((attr, rule)) = activity
            && o.attr(attr).is_some_and(spaced)
        {
            report(out, rule, o, format!("{p}/@{attr}"));
        }
    };
    for (o, p) in each(a, path, "participating-org") {
        org(o, &p, &R6_10_1, &R1_8_1, &R1_8_13, Some(("activity-id", &R1_9_1)));
    }
    for (i, ip) in each(a, path, "other-identifier") {
        for (o, p) in each(i, &ip, "owner-org") {
            org(o, &p, &R6_8_1, &R1_11_1, &R1_11_13, None);
        }
    }
    for flows in ["transaction", "planned-disbursement"] {
        for (f, fp) in each(a, path, flows) {
            for (o, p) in each(f, &fp, "provider-org") {
                org(o, &p, &R6_9_1, &R1_10_1, &R1_10_13, Some(("provider-activity-id", &R1_4_1)));
            }
            for (o, p) in each(f, &fp, "receiver-org") {
                org(o, &p, &R6_9_2, &R1_15_1, &R1_15_13, Some(("receiver-activity-id", &R1_5_1)));
            }
        }
    }
}

/// Policy markers: a significance under vocabulary 1 (6.14.1), a name for own codes (6.13.1).
fn policy_markers(a: &Node, path: &str, out: &mut Vec<Problem>) {
    for (m, p) in each(a, path, "policy-marker") {
        let vocab = vocabulary(m);
        if vocab == "1" && m.attr("significance").is_none() {
            report(out, &R6_14_1, m, p.clone());
        }
        if vocab == "99" && !has_narrative(m) {
            report(out, &R6_13_1, m, p);
        }
    }
}

/// The start of a period (`period-start`) and its end, with the start's node and path.
fn period<'a>(node: &'a Node, path: &str) -> Option<(&'a Node, String, NaiveDate, NaiveDate)> {
    let (s, sp) = each(node, path, "period-start").next()?;
    let start = date_of(s, "iso-date")?;
    let end = node.first("period-end").and_then(|e| date_of(e, "iso-date"))?;
    Some((s, format!("{sp}/@iso-date"), start, end))
}

/// Budget and planned disbursement periods in order (8.6.3), a budget's at most a year
/// (7.5.3, as the validator counts: at most 365 days from start to end).
fn periods(a: &Node, path: &str, out: &mut Vec<Problem>) {
    for (b, bp) in each(a, path, "budget") {
        if let Some((s, p, start, end)) = period(b, &bp) {
            if start > end {
                report(out, &R8_6_3, s, p);
            } else if (end - start).num_days() > 365 {
                report(out, &R7_5_3, b, bp);
            }
        }
    }
    for (d, dp) in each(a, path, "planned-disbursement") {
        if let Some((s, p, start, end)) = period(d, &dp)
            && start > end
        {
            report(out, &R8_6_3, s, p);
        }
    }
}

/// Results: a reference at one level only (8.11.1), indicator periods in order (8.6.1), and
/// values as the indicator's measure asks (8.8.x baselines, 8.9.x targets, 8.10.x actuals).
fn results(a: &Node, path: &str, out: &mut Vec<Problem>) {
    for (r, rp) in each(a, path, "result") {
        for (i, ip) in each(r, &rp, "indicator") {
            if r.first("reference").is_some()
                && let Some((reference, p)) = each(i, &ip, "reference").next()
            {
                report(out, &R8_11_1, reference, p);
            }
            let measure = i.attr("measure");
            for (b, p) in each(i, &ip, "baseline") {
                value(measure, b, &p, [&R8_8_1, &R8_8_2, &R8_8_3], out);
            }
            for (period_node, pp) in each(i, &ip, "period") {
                for (t, p) in each(period_node, &pp, "target") {
                    value(measure, t, &p, [&R8_9_1, &R8_9_2, &R8_9_3], out);
                }
                for (t, p) in each(period_node, &pp, "actual") {
                    value(measure, t, &p, [&R8_10_1, &R8_10_2, &R8_10_3], out);
                }
                if let Some((s, p, start, end)) = period(period_node, &pp)
                    && start > end
                {
                    report(out, &R8_6_1, s, p);
                }
            }
        }
    }
}

/// A baseline's, target's or actual's `@value` as the indicator's measure asks: given (first
/// rule) and a number (second) when quantitative (1 to 4), left out when qualitative (5, third).
fn value(measure: Option<&str>, n: &Node, p: &str, rules: [&Rule; 3], out: &mut Vec<Problem>) {
    let [missing, not_number, not_omitted] = rules;
    let quantitative = matches!(measure, Some("1" | "2" | "3" | "4"));
    match n.attr("value") {
        None if quantitative => report(out, missing, n, p.to_string()),
        Some(v) if quantitative && !is_number(v) => report(out, not_number, n, format!("{p}/@value")),
        Some(_) if measure == Some("5") => report(out, not_omitted, n, format!("{p}/@value")),
        _ => {}
    }
}

/// Every title and description, wherever it is (activity, transaction, result, indicator,
/// document link, location …), has a narrative with text (4.3.1, 4.4.1).
fn narratives(a: &Node, path: &str, out: &mut Vec<Problem>) {
    descendants(a, path, &mut |n, p| {
        let rule = match n.name.as_str() {
            "title" => &R4_3_1,
            "description" => &R4_4_1,
            _ => return,
        };
        if !has_narrative(n) {
            report(out, rule, n, p.to_string());
        }
    });
}

/// The checks across the activities of one file: 1.1.2, an identifier used by two activities.
/// As IATI's validator, a blank (or missing) identifier counts as one identifier: the second
/// activity without one is reported, the first is not (it has 1.1.21 for its blank).
#[derive(Debug, Default)]
pub struct FileChecks {
    /// The identifiers seen (trimmed), with the line of the activity that had it first.
    seen: HashMap<String, u32>,
}

impl FileChecks {
    pub fn new() -> FileChecks {
        FileChecks::default()
    }

    /// Take in the next activity of the file (read at `path`).
    pub fn activity(&mut self, activity: &Node, path: &str, out: &mut Vec<Problem>) {
        let node = activity.first("iati-identifier");
        let id = node.map(Node::trimmed).unwrap_or("");
        let Some(&first) = self.seen.get(id) else {
            self.seen.insert(id.to_string(), activity.line);
            return;
        };
        let message = if id.is_empty() {
            format!("The activity identifier must be unique for each activity: this activity and the one at line {first} both have none.")
        } else {
            format!("The activity identifier must be unique for each activity: \"{id}\" is also the identifier of the activity at line {first}.")
        };
        let (at, path) = match node {
            Some(n) => (n, format!("{path}/iati-identifier[1]")),
            None => (activity, path.to_string()),
        };
        out.push(Problem { severity: Severity::Error, line: at.line, column: at.column, path, code: "1.1.2".to_string(), message });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::xml::{ActivityReader, Limits};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    /// The activities of a file holding `activities` (each an `<iati-activity …>` element).
    fn read(activities: &str) -> Vec<Node> {
        let xml = format!("<iati-activities version=\"2.03\">{activities}</iati-activities>");
        let (mut r, _) = ActivityReader::open(xml.as_bytes(), Limits::default()).unwrap();
        let mut out = Vec::new();
        while let Some(a) = r.next() {
            out.push(a.unwrap());
        }
        out
    }

    /// The problems of one activity with attributes `attrs` and content `body`.
    fn problems(attrs: &str, body: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        for a in read(&format!("<iati-activity {attrs}>{body}</iati-activity>")) {
            check_activity(&a, "/iati-activities/iati-activity[1]", today(), &mut out);
        }
        out
    }

    fn ids(attrs: &str, body: &str) -> Vec<String> {
        problems(attrs, body).into_iter().map(|p| p.code).collect()
    }

    const T: &str = "<transaction>";
    const INDICATOR: &str = "<result type=\"1\"><indicator measure=\"1\">";
    const QUALITATIVE: &str = "<result type=\"1\"><indicator measure=\"5\">";
    const PERIOD: &str = "<period><period-start iso-date=\"2020-01-01\"/><period-end iso-date=\"2020-12-31\"/>";

    /// Each rule: (id, activity attributes, content that breaks it, content that does not).
    fn cases() -> Vec<(&'static str, &'static str, String, String)> {
        let s = |x: &str| x.to_string();
        let f = |a: &str, b: &str, c: &str| format!("{a}{b}{c}");
        vec![
            (
                "1.1.3",
                "",
                s("<iati-identifier>XM-DAC-7</iati-identifier><reporting-org ref=\"XM-DAC-7\"/>"),
                s("<iati-identifier>XM-DAC-7-1</iati-identifier><reporting-org ref=\"XM-DAC-7\"/>"),
            ),
            (
                "1.1.21",
                "",
                s("<iati-identifier>NL-1-X</iati-identifier><reporting-org ref=\"XM-DAC-7\"/>"),
                s("<iati-identifier>NL-1-X</iati-identifier><reporting-org ref=\"XM-DAC-7\"/><other-identifier ref=\"NL-1\" type=\"B1\"/>"),
            ),
            (
                "1.1.21",
                "",
                s("<iati-identifier>XM-DAC-71</iati-identifier><reporting-org ref=\"XM-DAC-7\"/>"),
                s("<iati-identifier>XM-DAC-7-1</iati-identifier><reporting-org ref=\"XM-DAC-7\"/>"),
            ),
            ("1.3.1", "", s("<iati-identifier>\n XM-DAC-7-1 </iati-identifier>"), s("<iati-identifier>XM-DAC-7-1</iati-identifier>")),
            ("1.3.13", "", s("<iati-identifier>XM-DAC-7-1/2</iati-identifier>"), s("<iati-identifier>XM-DAC-7-12</iati-identifier>")),
            (
                "1.4.1",
                "",
                s("<transaction><provider-org ref=\"XM-DAC-7\" provider-activity-id=\"A \"/></transaction>"),
                s("<transaction><provider-org ref=\"XM-DAC-7\" provider-activity-id=\"A\"/></transaction>"),
            ),
            (
                "1.5.1",
                "",
                s("<transaction><receiver-org ref=\"XM-DAC-7\" receiver-activity-id=\" A\"/></transaction>"),
                s("<transaction><receiver-org ref=\"XM-DAC-7\" receiver-activity-id=\"A\"/></transaction>"),
            ),
            (
                "1.6.1",
                "",
                s("<other-identifier type=\"A3\" ref=\"X \"/>"),
                s("<other-identifier type=\"A3\" ref=\"X\"/><other-identifier type=\"A1\" ref=\"Y \"/>"),
            ),
            ("1.7.1", "", s("<related-activity ref=\" X\" type=\"1\"/>"), s("<related-activity ref=\"X\" type=\"1\"/>")),
            ("1.8.1", "", s("<participating-org ref=\"X \" role=\"1\"/>"), s("<participating-org ref=\"X\" role=\"1\"/>")),
            ("1.8.13", "", s("<participating-org ref=\"X/Y\" role=\"1\"/>"), s("<participating-org ref=\"X-Y\" role=\"1\"/>")),
            ("1.9.1", "", s("<participating-org ref=\"X\" activity-id=\"A \" role=\"1\"/>"), s("<participating-org ref=\"X\" activity-id=\"A\" role=\"1\"/>")),
            ("1.10.1", "", s("<transaction><provider-org ref=\" X\"/></transaction>"), s("<transaction><provider-org ref=\"X\"/></transaction>")),
            (
                "1.10.13",
                "",
                s("<planned-disbursement><provider-org ref=\"X?\"/></planned-disbursement>"),
                s("<planned-disbursement><provider-org ref=\"X\"/></planned-disbursement>"),
            ),
            (
                "1.11.1",
                "",
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org ref=\"X \"/></other-identifier>"),
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org ref=\"X\"/></other-identifier>"),
            ),
            (
                "1.11.13",
                "",
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org ref=\"X&amp;Y\"/></other-identifier>"),
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org ref=\"XY\"/></other-identifier>"),
            ),
            ("1.14.1", "", s("<reporting-org ref=\"XM-DAC-7 \"/>"), s("<reporting-org ref=\"XM-DAC-7\"/>")),
            ("1.14.8", "", s("<reporting-org ref=\"AA-AAA-123456789\"/>"), s("<reporting-org ref=\"XM-DAC-7\"/>")),
            ("1.14.13", "", s("<reporting-org ref=\"XM-DAC-7|1\"/>"), s("<reporting-org ref=\"XM-DAC-7\"/>")),
            ("1.15.1", "", s("<transaction><receiver-org ref=\" X\"/></transaction>"), s("<transaction><receiver-org ref=\"X\"/></transaction>")),
            ("1.15.13", "", s("<transaction><receiver-org ref=\"X/1\"/></transaction>"), s("<transaction><receiver-org ref=\"X-1\"/></transaction>")),
            ("1.16.1", "", s("<other-identifier type=\"B1\" ref=\" NL-1\"/>"), s("<other-identifier type=\"B1\" ref=\"NL-1\"/>")),
            (
                "2.1.1",
                "",
                s("<sector code=\"1\" percentage=\"100\"/><sector code=\"2\"/>"),
                s("<sector code=\"1\" percentage=\"50\"/><sector code=\"2\" percentage=\"50\"/>"),
            ),
            (
                "2.1.1",
                "",
                s("<sector vocabulary=\"99\" code=\"a\"/><sector vocabulary=\"99\" code=\"b\" percentage=\"100\"/>"),
                s("<sector vocabulary=\"99\" code=\"a\"/><sector vocabulary=\"98\" code=\"b\"/>"),
            ),
            (
                "2.1.2",
                "",
                s("<sector code=\"1\" percentage=\"50\"/><sector vocabulary=\"1\" code=\"2\" percentage=\"40\"/>"),
                s("<sector code=\"1\" percentage=\"33.33\"/><sector code=\"2\" percentage=\"33.33\"/><sector code=\"3\" percentage=\"33.34\"/>"),
            ),
            (
                "2.1.2",
                "",
                s("<sector vocabulary=\"98\" code=\"a\" percentage=\"60\"/><sector vocabulary=\"98\" code=\"b\" percentage=\"60\"/>"),
                s("<sector vocabulary=\"98\" code=\"a\" percentage=\"60\"/><sector vocabulary=\"99\" code=\"b\" percentage=\"60\"/>"),
            ),
            ("2.1.4", "", s("<sector code=\"1\" percentage=\"50\"/>"), s("<sector code=\"1\" percentage=\"100.0\"/><sector vocabulary=\"2\" code=\"1\"/>")),
            (
                "2.2.1",
                "",
                s("<sector vocabulary=\"99\" code=\"a\"/>"),
                s("<sector vocabulary=\"99\" code=\"a\"><narrative>A</narrative></sector><sector vocabulary=\"10\" code=\"b\"/>"),
            ),
            (
                "3.1.1",
                "",
                s("<recipient-country code=\"AF\" percentage=\"100\"/><recipient-country code=\"AG\"/>"),
                s("<recipient-country code=\"AF\" percentage=\"50\"/><recipient-country code=\"AG\" percentage=\"50\"/>"),
            ),
            (
                "3.1.2",
                "",
                s("<recipient-country code=\"AF\" percentage=\"50\"/><recipient-country code=\"AG\" percentage=\"40\"/>"),
                s("<recipient-country code=\"AF\" percentage=\"50\"/><recipient-country code=\"AG\" percentage=\"50\"/>"),
            ),
            ("3.1.4", "", s("<recipient-country code=\"AF\" percentage=\"50\"/>"), s("<recipient-country code=\"AF\" percentage=\"100\"/>")),
            (
                "3.4.1",
                "",
                s("<recipient-region vocabulary=\"1\" code=\"298\" percentage=\"100\"/><recipient-region vocabulary=\"1\" code=\"798\"/>"),
                s("<recipient-region vocabulary=\"1\" code=\"298\" percentage=\"50\"/><recipient-region vocabulary=\"1\" code=\"798\" percentage=\"50\"/>"),
            ),
            (
                "3.4.2",
                "",
                s("<recipient-country code=\"ID\" percentage=\"0.09\"/><recipient-region vocabulary=\"1\" code=\"789\"/>"),
                s("<recipient-country code=\"ID\" percentage=\"40\"/><recipient-region vocabulary=\"1\" code=\"789\" percentage=\"60\"/>"),
            ),
            (
                "3.4.2",
                "",
                s(
                    "<recipient-country code=\"AF\" percentage=\"26\"/><recipient-country code=\"AG\" percentage=\"25\"/><recipient-region vocabulary=\"99\" code=\"A1\" percentage=\"50\"/>",
                ),
                s("<recipient-country code=\"ID\"/><recipient-region vocabulary=\"1\" code=\"789\"/>"),
            ),
            (
                "3.4.4",
                "",
                s("<recipient-region vocabulary=\"1\" code=\"298\" percentage=\"50\"/>"),
                s("<recipient-region vocabulary=\"1\" code=\"298\" percentage=\"100\"/>"),
            ),
            (
                "3.6.2",
                "",
                s("<recipient-country code=\"AF\"/><transaction><recipient-region code=\"298\"/></transaction>"),
                s("<recipient-country code=\"AF\"/><transaction/>"),
            ),
            ("3.7.1", "", s("<transaction/>"), s("<transaction><recipient-country code=\"AF\"/></transaction>")),
            (
                "3.7.2",
                "",
                s("<transaction><recipient-country code=\"AF\"/></transaction><transaction/>"),
                s("<transaction><recipient-country code=\"AF\"/></transaction><transaction><recipient-region code=\"298\"/></transaction>"),
            ),
            (
                "4.1.1",
                "",
                s("<title><narrative xml:lang=\"en\">t</narrative><narrative>u</narrative></title>"),
                s("<title><narrative xml:lang=\"en\">t</narrative></title>"),
            ),
            (
                "4.1.1",
                "",
                s("<transaction><description><narrative>t</narrative></description></transaction>"),
                s("<x:e xmlns:x=\"urn:x\"><narrative>not IATI's</narrative></x:e>"),
            ),
            ("4.3.1", "", s("<title><narrative/></title>"), s("<title><narrative>t</narrative></title>")),
            ("4.3.1", "", f(INDICATOR, "<title/>", "</indicator></result>"), f(INDICATOR, "<title><narrative>t</narrative></title>", "</indicator></result>")),
            (
                "4.4.1",
                "",
                s("<transaction><description><narrative> </narrative></description></transaction>"),
                s("<transaction><description><narrative>d</narrative></description></transaction>"),
            ),
            ("6.2.2", "", s(""), s("<transaction><sector code=\"1\"/></transaction>")),
            ("6.6.2", "", s("<sector code=\"1\"/><transaction><sector code=\"1\"/></transaction>"), s("<sector code=\"1\"/><transaction/>")),
            (
                "6.7.2",
                "",
                s("<transaction><sector code=\"1\"/></transaction><transaction/>"),
                s("<transaction><sector code=\"1\"/></transaction><transaction><sector code=\"2\"/></transaction>"),
            ),
            (
                "6.8.1",
                "",
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org ref=\" \"/></other-identifier>"),
                s("<other-identifier ref=\"a\" type=\"A1\"><owner-org><narrative>O</narrative></owner-org></other-identifier>"),
            ),
            ("6.9.1", "", s("<transaction><provider-org/></transaction>"), s("<transaction><provider-org ref=\"XM-DAC-7\"/></transaction>")),
            (
                "6.9.2",
                "",
                s("<planned-disbursement><receiver-org ref=\"\"/></planned-disbursement>"),
                s("<planned-disbursement><receiver-org><narrative>R</narrative></receiver-org></planned-disbursement>"),
            ),
            ("6.10.1", "", s("<participating-org role=\"1\"><narrative/></participating-org>"), s("<participating-org role=\"1\" ref=\"XM-DAC-7\"/>")),
            ("6.11.1", "", s("<activity-date type=\"3\" iso-date=\"2020-01-01\"/>"), s("<activity-date type=\"2\" iso-date=\"2020-01-01\"/>")),
            (
                "6.13.1",
                "",
                s("<policy-marker vocabulary=\"99\" code=\"A1\"/>"),
                s("<policy-marker vocabulary=\"99\" code=\"A1\"><narrative>A1</narrative></policy-marker>"),
            ),
            (
                "6.14.1",
                "",
                s("<policy-marker code=\"1\"/>"),
                s("<policy-marker code=\"1\" significance=\"\"/><policy-marker vocabulary=\"99\" code=\"x\"><narrative>x</narrative></policy-marker>"),
            ),
            (
                "7.5.3",
                "",
                s("<budget><period-start iso-date=\"2016-01-01\"/><period-end iso-date=\"2017-01-01\"/></budget>"),
                s("<budget><period-start iso-date=\"2016-01-01\"/><period-end iso-date=\"2016-12-31\"/></budget>"),
            ),
            ("7.8.1", "", s("<budget><value>1</value></budget>"), s("<budget><value currency=\"EUR\">1</value></budget>")),
            (
                "7.8.1",
                "",
                s("<fss extraction-date=\"2020-01-01\"><forecast year=\"2021\">1</forecast></fss>"),
                s("<fss extraction-date=\"2020-01-01\"><forecast year=\"2021\" currency=\"EUR\">1</forecast></fss>"),
            ),
            (
                "7.9.1",
                "",
                s("<country-budget-items vocabulary=\"4\"><budget-item code=\"1\" percentage=\"100\"/><budget-item code=\"2\"/></country-budget-items>"),
                s(
                    "<country-budget-items vocabulary=\"4\"><budget-item code=\"1\" percentage=\"50\"/><budget-item code=\"2\" percentage=\"50\"/></country-budget-items>",
                ),
            ),
            (
                "7.9.2",
                "",
                s(
                    "<country-budget-items vocabulary=\"4\"><budget-item code=\"1\" percentage=\"50\"/><budget-item code=\"2\" percentage=\"40\"/></country-budget-items>",
                ),
                s(
                    "<country-budget-items vocabulary=\"4\"><budget-item code=\"1\" percentage=\"50\"/><budget-item code=\"2\" percentage=\"50\"/></country-budget-items>",
                ),
            ),
            (
                "7.9.4",
                "",
                s("<country-budget-items vocabulary=\"4\"><budget-item code=\"1\" percentage=\"101\"/></country-budget-items>"),
                s("<country-budget-items vocabulary=\"4\"><budget-item code=\"1\"/></country-budget-items>"),
            ),
            (
                "8.6.1",
                "",
                f(INDICATOR, "<period><period-start iso-date=\"2020-02-01\"/><period-end iso-date=\"2020-01-01\"/></period>", "</indicator></result>"),
                f(INDICATOR, PERIOD, "</period></indicator></result>"),
            ),
            (
                "8.6.3",
                "",
                s("<budget><period-start iso-date=\"2020-02-01\"/><period-end iso-date=\"2020-01-01\"/></budget>"),
                s("<budget><period-start iso-date=\"2020-01-01\"/><period-end iso-date=\"2020-01-01\"/></budget>"),
            ),
            (
                "8.6.3",
                "",
                s("<planned-disbursement><period-start iso-date=\"2020-02-01\"/><period-end iso-date=\"2020-01-01\"/></planned-disbursement>"),
                s("<planned-disbursement><period-start iso-date=\"2020-01-01\"/></planned-disbursement>"),
            ),
            (
                "8.8.1",
                "",
                f(INDICATOR, "<baseline year=\"2020\"/>", "</indicator></result>"),
                f(INDICATOR, "<baseline year=\"2020\" value=\"10\"/>", "</indicator></result>"),
            ),
            (
                "8.8.2",
                "",
                f(INDICATOR, "<baseline year=\"2020\" value=\"ten\"/>", "</indicator></result>"),
                f(INDICATOR, "<baseline year=\"2020\" value=\" -10.5 \"/>", "</indicator></result>"),
            ),
            (
                "8.8.3",
                "",
                f(QUALITATIVE, "<baseline year=\"2020\" value=\"good\"/>", "</indicator></result>"),
                f(QUALITATIVE, "<baseline year=\"2020\"/>", "</indicator></result>"),
            ),
            (
                "8.9.1",
                "",
                f(INDICATOR, PERIOD, "<target/></period></indicator></result>"),
                f(INDICATOR, PERIOD, "<target value=\"1\"/></period></indicator></result>"),
            ),
            (
                "8.9.2",
                "",
                f(INDICATOR, PERIOD, "<target value=\"1,000\"/></period></indicator></result>"),
                f(INDICATOR, PERIOD, "<target value=\"1000\"/></period></indicator></result>"),
            ),
            (
                "8.9.3",
                "",
                f(QUALITATIVE, PERIOD, "<target value=\"x\"/></period></indicator></result>"),
                f(QUALITATIVE, PERIOD, "<target/></period></indicator></result>"),
            ),
            (
                "8.10.1",
                "",
                f(INDICATOR, PERIOD, "<actual/></period></indicator></result>"),
                f(INDICATOR, PERIOD, "<actual value=\".5\"/></period></indicator></result>"),
            ),
            (
                "8.10.2",
                "",
                f(INDICATOR, PERIOD, "<actual value=\"\"/></period></indicator></result>"),
                f(INDICATOR, PERIOD, "<actual value=\"5.\"/></period></indicator></result>"),
            ),
            (
                "8.10.3",
                "",
                f(QUALITATIVE, PERIOD, "<actual value=\"x\"/></period></indicator></result>"),
                f(QUALITATIVE, PERIOD, "<actual/></period></indicator></result>"),
            ),
            (
                "8.11.1",
                "",
                s(
                    "<result type=\"1\"><reference vocabulary=\"99\" code=\"a\"/><indicator measure=\"1\"><reference vocabulary=\"1\" code=\"b\"/></indicator></result>",
                ),
                s("<result type=\"1\"><indicator measure=\"1\"><reference vocabulary=\"1\" code=\"b\"/></indicator></result>"),
            ),
            ("11.1.1", "last-updated-datetime=\"2026-12-02T00:00:00Z\"", s(""), s("")),
            (
                "11.1.2",
                "",
                s("<activity-date type=\"1\" iso-date=\"2020-02-01\"/><activity-date type=\"3\" iso-date=\"2020-01-01\"/>"),
                s("<activity-date type=\"1\" iso-date=\"2020-01-01\"/><activity-date type=\"3\" iso-date=\"2020-01-01\"/>"),
            ),
            (
                "11.1.3",
                "",
                s("<activity-date type=\"2\" iso-date=\"2020-02-01\"/><activity-date type=\"4\" iso-date=\"2020-01-01\"/>"),
                s("<activity-date type=\"2\" iso-date=\"2020-01-01\"/><activity-date type=\"4\" iso-date=\"2020-02-01\"/>"),
            ),
            (
                "11.1.4",
                "",
                s("<activity-date type=\"2\" iso-date=\"2026-12-02\"/>"),
                s("<activity-date type=\"2\" iso-date=\"2026-12-01\"/><activity-date type=\"1\" iso-date=\"2099-01-01\"/>"),
            ),
            ("11.1.5", "", s("<activity-date type=\"4\" iso-date=\"2112-01-01\"/>"), s("<activity-date type=\"4\" iso-date=\"2020-01-01\"/>")),
            (
                "11.2.1",
                "",
                s("<transaction/><transaction><transaction-date iso-date=\"2112-01-01\"/></transaction>"),
                s("<transaction><transaction-date iso-date=\"2026-12-01\"/></transaction>"),
            ),
            (
                "11.2.2",
                "",
                s("<transaction><value value-date=\"2112-01-01\">1</value></transaction>"),
                s("<transaction><value value-date=\"2012-01-01\">1</value></transaction><budget><value value-date=\"2112-01-01\">1</value></budget>"),
            ),
            ("12.1.1", "", s("<recipient-country code=\"AF\" percentage=\"101\"/>"), s("<recipient-country code=\"AF\" percentage=\"100\"/>")),
            ("12.1.1", "", s("<recipient-region code=\"298\" percentage=\"-1\"/>"), s("<recipient-region code=\"298\" percentage=\"0\"/>")),
            ("12.2.1", "", s("<capital-spend percentage=\"100.01\"/>"), s("<capital-spend percentage=\"88.8\"/>")),
            ("12.3.1", "", s("<sector code=\"1\" percentage=\"100.5\"/>"), s("<sector code=\"1\" percentage=\"100\"/>")),
            (
                "102.1.1",
                "",
                s("<sector vocabulary=\"98\" code=\"a\"><narrative>a</narrative></sector>"),
                s("<sector vocabulary=\"98\" code=\"a\"><narrative>a</narrative></sector><sector code=\"1\"/>"),
            ),
            (
                "107.1.1",
                "",
                s("<default-aid-type vocabulary=\"2\" code=\"1\"/>"),
                s("<default-aid-type vocabulary=\"2\" code=\"1\"/><default-aid-type code=\"A01\"/>"),
            ),
            (
                "107.1.2",
                "",
                s("<default-aid-type code=\"A01\"/><default-aid-type code=\"A02\" vocabulary=\"1\"/>"),
                s("<default-aid-type code=\"A01\"/><default-aid-type code=\"1\" vocabulary=\"2\"/>"),
            ),
            (
                "107.1.2",
                "",
                s("<default-aid-type code=\"1\" vocabulary=\"2\"/><default-aid-type code=\"2\" vocabulary=\"2\"/>"),
                s("<default-aid-type code=\"1\" vocabulary=\"2\"/><default-aid-type code=\"2\" vocabulary=\"3\"/>"),
            ),
            (
                "107.2.1",
                "",
                f(T, "<aid-type vocabulary=\"2\" code=\"1\"/></transaction>", ""),
                f(T, "<aid-type vocabulary=\"2\" code=\"1\"/></transaction><transaction><aid-type code=\"A01\"/>", "</transaction>"),
            ),
            (
                "107.2.2",
                "",
                f(T, "<aid-type code=\"A01\"/><aid-type code=\"A02\" vocabulary=\"1\"/>", "</transaction>"),
                f(T, "<aid-type code=\"A01\"/>", "</transaction><transaction><aid-type code=\"A02\"/></transaction>"),
            ),
        ]
    }

    #[test]
    fn each_rule_is_found_where_it_is_broken_and_not_where_it_is_not() {
        let cases = cases();
        for (id, attrs, broken, kept) in &cases {
            let found = problems(attrs, broken);
            let hits: Vec<&Problem> = found.iter().filter(|p| p.code == *id).collect();
            assert_eq!(hits.len(), 1, "{id} once in {broken}: {found:#?}");
            let p = hits[0];
            assert!(p.line >= 1 && p.column >= 1 && p.path.starts_with("/iati-activities/iati-activity[1]"), "{p:?}");
            if id.starts_with("11.1.1") {
                assert!(!ids("last-updated-datetime=\"2026-12-01T23:59:59Z\"", kept).contains(&id.to_string()));
            } else {
                assert!(!ids(attrs, kept).contains(&id.to_string()), "{id} not in {kept}: {:#?}", problems(attrs, kept));
            }
        }
        // Every rule of standard.json that applies to activities has a case.
        let all = [
            &R1_1_3, &R1_1_21, &R1_3_1, &R1_3_13, &R1_4_1, &R1_5_1, &R1_6_1, &R1_7_1, &R1_8_1, &R1_8_13, &R1_9_1, &R1_10_1, &R1_10_13, &R1_11_1, &R1_11_13,
            &R1_14_1, &R1_14_8, &R1_14_13, &R1_15_1, &R1_15_13, &R1_16_1, &R2_1_1, &R2_1_2, &R2_1_4, &R2_2_1, &R3_1_1, &R3_1_2, &R3_1_4, &R3_4_1, &R3_4_2,
            &R3_4_4, &R3_6_2, &R3_7_1, &R3_7_2, &R4_1_1, &R4_3_1, &R4_4_1, &R6_2_2, &R6_6_2, &R6_7_2, &R6_8_1, &R6_9_1, &R6_9_2, &R6_10_1, &R6_11_1, &R6_13_1,
            &R6_14_1, &R7_5_3, &R7_8_1, &R7_9_1, &R7_9_2, &R7_9_4, &R8_6_1, &R8_6_3, &R8_8_1, &R8_8_2, &R8_8_3, &R8_9_1, &R8_9_2, &R8_9_3, &R8_10_1, &R8_10_2,
            &R8_10_3, &R8_11_1, &R11_1_1, &R11_1_2, &R11_1_3, &R11_1_4, &R11_1_5, &R11_2_1, &R11_2_2, &R12_1_1, &R12_2_1, &R12_3_1, &R102_1_1, &R107_1_1,
            &R107_1_2, &R107_2_1, &R107_2_2,
        ];
        assert_eq!(all.len(), 79);
        for rule in all {
            assert!(cases.iter().any(|(id, ..)| *id == rule.id), "no case for {}", rule.id);
        }
    }

    #[test]
    fn a_problem_carries_the_rules_severity_message_and_place() {
        let p = problems("", "\n<budget>\n<period-start iso-date=\"2014-01-01\"/><period-end iso-date=\"2016-07-25\"/></budget>");
        let p: Vec<_> = p.into_iter().filter(|p| p.code == "7.5.3").collect();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].severity, Severity::Error);
        assert_eq!(p[0].message, "Budget Period must not be longer than one year.");
        assert_eq!((p[0].line, p[0].column), (2, 1));
        assert_eq!(p[0].path, "/iati-activities/iati-activity[1]/budget[1]");
        let w = problems("", "<reporting-org ref=\"AA-AAA-1\"/>").into_iter().find(|p| p.code == "1.14.8").unwrap();
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(w.path, "/iati-activities/iati-activity[1]/reporting-org[1]/@ref");
    }

    #[test]
    fn percentages_add_up_per_region_vocabulary_as_the_validator_groups_them() {
        // Regions without a vocabulary are in no group: 25 + 25 + 50 + 50 is not summed.
        let no_vocabulary = "<recipient-country code=\"AF\" percentage=\"25\"/><recipient-country code=\"AG\" percentage=\"25\"/><recipient-region code=\"489\" percentage=\"50\"/><recipient-region code=\"ZZ\" percentage=\"50\"/>";
        assert!(!ids("", no_vocabulary).contains(&"3.4.2".to_string()));
        // Two vocabularies, each adding up with the countries.
        let two = "<recipient-country code=\"AF\" percentage=\"25\"/><recipient-country code=\"AG\" percentage=\"25\"/><recipient-region vocabulary=\"1\" code=\"489\" percentage=\"50\"/><recipient-region vocabulary=\"99\" code=\"A1\" percentage=\"50\"/>";
        assert!(!ids("", two).contains(&"3.4.2".to_string()));
        let off = two.replace("\"AF\" percentage=\"25\"", "\"AF\" percentage=\"26\"");
        assert_eq!(ids("", &off).iter().filter(|i| *i == "3.4.2").count(), 2);
    }

    #[test]
    fn unreadable_values_are_not_checked_and_nothing_panics() {
        let garbage = "<iati-identifier/><reporting-org ref=\"\"/><activity-date type=\"1\" iso-date=\"2020-13-45\"/><activity-date type=\"3\" iso-date=\"ünïcödé!\"/>\
                       <activity-date type=\"\" iso-date=\"\"/><activity-date/><recipient-country code=\"\" percentage=\"abc\"/><recipient-country percentage=\"NaN\"/>\
                       <recipient-region percentage=\"inf\" vocabulary=\"\"/><sector percentage=\"1e999\"/><sector percentage=\"\"/>\
                       <budget><period-start iso-date=\"x\"/><period-end/></budget><budget><period-end iso-date=\"2020-01-01\"/></budget>\
                       <country-budget-items><budget-item percentage=\"--\"/><budget-item/></country-budget-items><capital-spend percentage=\"\"/>\
                       <transaction><transaction-date/><value value-date=\"soon\"/></transaction><result><indicator measure=\"\"><baseline value=\"\"/><period/></indicator></result>\
                       <policy-marker vocabulary=\"\"/><participating-org/><other-identifier><owner-org/></other-identifier>";
        let found = ids("last-updated-datetime=\"yesterday\" xml:lang=\"\" default-currency=\"\"", garbage);
        for id in ["11.1.1", "11.1.2", "7.5.3", "8.6.3", "12.1.1", "12.3.1", "12.2.1", "3.1.2", "2.1.2", "11.2.1", "11.2.2"] {
            assert!(!found.contains(&id.to_string()), "{id} on a value that cannot be read: {found:?}");
        }
        assert!(ids("", "").contains(&"6.11.1".to_string()), "an empty activity is checked, not refused");
    }

    #[test]
    fn duplicate_and_blank_identifiers_are_reported_from_the_second_on() {
        let activities = read(
            "<iati-activity><iati-identifier>XM-DAC-7-1</iati-identifier></iati-activity>\n\
             <iati-activity><iati-identifier> XM-DAC-7-1</iati-identifier></iati-activity>\n\
             <iati-activity><iati-identifier/></iati-activity>\n\
             <iati-activity/>\n\
             <iati-activity><iati-identifier>XM-DAC-7-2</iati-identifier></iati-activity>",
        );
        let mut file = FileChecks::new();
        let mut out = Vec::new();
        for (i, a) in activities.iter().enumerate() {
            file.activity(a, &format!("/iati-activities/iati-activity[{}]", i + 1), &mut out);
        }
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out.iter().all(|p| p.code == "1.1.2" && p.severity == Severity::Error));
        assert_eq!(out[0].path, "/iati-activities/iati-activity[2]/iati-identifier[1]");
        assert!(out[0].message.contains("\"XM-DAC-7-1\"") && out[0].message.contains("line 1"), "{}", out[0].message);
        assert_eq!(out[1].path, "/iati-activities/iati-activity[4]", "the activity with no identifier element at all");
        assert!(out[1].message.contains("line 3") && out[1].message.contains("none"));
    }
}
