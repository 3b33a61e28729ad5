//! An IATI activity checked against the official IATI 2.03 activity schema
//! (`iati-activities-schema.xsd`), in pure Rust and without the XSD files.
//!
//! Why a compiled table: there is no well-kept pure-Rust XSD validator, and the import runs
//! where the schema files are not (the binary is air-gapped; the reference folder is test data
//! only). So the schema's content model — for every element: its attributes, whether
//! extension attributes are allowed, its children in order with their counts, and the datatype
//! of its text — is compiled into static data, `schema_table.rs`. That file is generated from
//! the official XSD by a test (`tests/iati/schema.rs`), which fails whenever the committed table
//! and the schema differ, so the table cannot drift from the standard.
//!
//! Every problem of an activity is reported, not only the first, each at its element's line and
//! column with an XPath-like path. An element out of order is one problem, not a cascade: the
//! children kept in order are the longest run that never goes back in the schema's sequence,
//! and only the others are said to be misplaced.
//!
//! Where libxml2 (the engine of IATI's own validator) reads a value more strictly than XSD 1.0,
//! the check follows libxml2, so that a publisher gets the verdict IATI gives:
//! - a date or date-time with white space around it is refused (XSD would collapse it);
//! - an `xsd:int` with white space around it is refused;
//! - a decimal or whole number of more than 24 digits is refused;
//! - an `xsd:anyURI` is parsed as an RFC 3986 reference after the characters people write in
//!   URLs anyway (spaces, non-ASCII, `<>"{}|\^`…) are set aside, as libxml2 does: so `%zz`,
//!   `a#b#c` or `http://a:b` are refused, and a URL with a space is accepted.
//!
//! Also as in XSD: `xsi:schemaLocation` and `xsi:noNamespaceSchemaLocation` are allowed on any
//! element (the prefix `xsi` is taken to be XML Schema's instance namespace, as everyone writes
//! it); `xsi:nil` and `xsi:type` are refused (no IATI element is nillable, and the standard's
//! types are not to be swapped). Attributes of the `xml:` namespace allowed by an
//! `xsd:anyAttribute` are checked against `xml.xsd` (`xml:lang` must be a language code or
//! empty); `xml:id` is checked as a name, its uniqueness is not.

use super::problem::{Problem, Severity};
use super::xml::Node;
use std::fmt::Write as _;

#[path = "schema_table.rs"]
mod table;

/// `maxOccurs="unbounded"`.
const UNBOUNDED: u32 = u32::MAX;

/// An element declaration (global, or local to its parent's type).
struct Element {
    name: &'static str,
    ty: &'static Type,
}

/// A complex type (or a simple type used as an element's type: text and no attributes).
struct Type {
    attributes: &'static [Attribute],
    /// `xsd:anyAttribute namespace="##other"`: attributes of other namespaces are allowed.
    any_attribute: bool,
    content: Content,
}

enum Content {
    /// Child elements only, as an `xsd:sequence` (white space between them aside).
    Elements(&'static [Particle]),
    /// Text of a datatype, and no child element.
    Text(Datatype),
}

/// One place of a sequence: an element, or `xsd:any namespace="##other"` (extension elements,
/// not checked further), with its counts.
struct Particle {
    term: Term,
    min: u32,
    max: u32,
}

enum Term {
    Element(&'static Element),
    Other,
}

struct Attribute {
    /// As written in files: `code`, `xml:lang`.
    name: &'static str,
    required: bool,
    datatype: Datatype,
}

/// The datatypes the schema uses, with libxml2's reading of them (see the module).
enum Datatype {
    /// `xsd:string`: anything.
    String,
    Decimal,
    /// `xsd:integer` and its restrictions (`int`, `nonNegativeInteger`, `positiveInteger` …).
    Integer {
        min: Option<i64>,
        max: Option<i64>,
        /// Whether white space around the number is tolerated (libxml2 does not for `xsd:int`).
        spaces: bool,
    },
    Boolean,
    Date,
    DateTime,
    AnyUri,
    NmToken,
    /// `xsd:NCName` and `xsd:ID`.
    NcName,
    /// `xsd:language` (RFC 3066 tags: `en`, `fr-CA`).
    Language,
    Enumeration {
        base: &'static Datatype,
        values: &'static [&'static str],
    },
    Union(&'static [Datatype]),
}

/// Where a node is. The path is written out only when a problem is found, so a clean check
/// allocates nothing.
enum At<'a> {
    Base(&'a str),
    Child { parent: &'a At<'a>, siblings: &'a [Node], index: usize, node: &'a Node },
}

impl At<'_> {
    fn path(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    /// XPath-like: a child is indexed among its same-named siblings (from 1), only where it
    /// has such siblings.
    fn write(&self, s: &mut String) {
        match self {
            At::Base(p) => s.push_str(p),
            At::Child { parent, siblings, index, node } => {
                parent.write(s);
                s.push('/');
                s.push_str(&node.name);
                let same = |n: &&Node| n.name == node.name && n.namespace == node.namespace;
                if siblings.iter().filter(same).count() > 1 {
                    let k = siblings.iter().take(*index).filter(same).count() + 1;
                    let _ = write!(s, "[{k}]");
                }
            }
        }
    }
}

fn problem(out: &mut Vec<Problem>, node: &Node, at: &At<'_>, attribute: Option<&str>, message: String) {
    let mut path = at.path();
    if let Some(a) = attribute {
        path.push_str("/@");
        path.push_str(a);
    }
    out.push(Problem { severity: Severity::Error, line: node.line, column: node.column, path, code: "schema".to_string(), message });
}

/// Check the root element's own attributes (`version` is required; `generated-datetime` must
/// be a date-time). Its children are checked one by one with [`check_activity`] and, for their
/// number and order, [`RootContent`].
pub fn check_root(root: &Node, out: &mut Vec<Problem>) {
    let at = At::Base("/iati-activities");
    if root.name != table::IATI_ACTIVITIES.name || !root.is_iati() {
        problem(out, root, &at, None, format!("the root element is {}, not iati-activities", root.name));
        return;
    }
    check_attributes(root, &table::IATI_ACTIVITIES, &at, out);
}

/// Check one child of `iati-activities` as the reader hands it over (an `iati-activity`, or an
/// extension element, which is not checked further), with everything in it. `path` is its
/// path, such as `/iati-activities/iati-activity[3]`.
pub fn check_activity(activity: &Node, path: &str, out: &mut Vec<Problem>) {
    let at = At::Base(path);
    let root = &table::IATI_ACTIVITIES;
    let Content::Elements(particles) = root.ty.content else { return };
    match particle_of(activity, particles) {
        Some(p) => {
            if let Term::Element(e) = p.term {
                check_element(activity, e, &at, out);
            }
        }
        None => problem(out, activity, &at, None, not_allowed(activity, root.name, particles)),
    }
}

/// The number and order of the root's children, which the reader hands over one at a time:
/// at least one `iati-activity`, and extension elements only after the last of them.
#[derive(Debug)]
pub struct RootContent {
    counts: [u32; table::MAX_PARTICLES],
    /// The furthest place in the root's sequence reached so far, and the element that reached it.
    reached: Option<(usize, String)>,
}

impl Default for RootContent {
    fn default() -> RootContent {
        RootContent { counts: [0; table::MAX_PARTICLES], reached: None }
    }
}

impl RootContent {
    pub fn new() -> RootContent {
        RootContent::default()
    }

    /// Note one child of the root (what [`ActivityReader::next`](super::ActivityReader::next)
    /// returns); `path` is its path.
    pub fn child(&mut self, child: &Node, path: &str, out: &mut Vec<Problem>) {
        let root = &table::IATI_ACTIVITIES;
        let Content::Elements(particles) = root.ty.content else { return };
        let Some(j) = particles.iter().position(|p| matches(p, child)) else { return };
        let at = At::Base(path);
        if let Some(count) = self.counts.get_mut(j) {
            *count = count.saturating_add(1);
            if let Some(p) = particles.get(j)
                && *count > p.max
            {
                problem(out, child, &at, None, too_many(root.name, &child.name, p.max));
            }
        }
        match &self.reached {
            Some((k, name)) if *k > j => problem(out, child, &at, None, format!("{} appears after {name}; the standard orders it before {name}", child.name)),
            Some((k, _)) if *k == j => {}
            _ => self.reached = Some((j, child.name.clone())),
        }
    }

    /// After the last child: what the root lacks.
    pub fn end(&self, root: &Node, out: &mut Vec<Problem>) {
        let Content::Elements(particles) = table::IATI_ACTIVITIES.ty.content else { return };
        let at = At::Base("/iati-activities");
        for (p, count) in particles.iter().zip(self.counts) {
            if count < p.min {
                problem(out, root, &at, None, missing(table::IATI_ACTIVITIES.name, p, count));
            }
        }
    }
}

/// Whether `child` fits the place `p` of a sequence.
fn matches(p: &Particle, child: &Node) -> bool {
    match p.term {
        Term::Element(e) => child.is_iati() && e.name == child.name,
        Term::Other => child.namespace.as_deref().is_some_and(|ns| !undeclared(ns)),
    }
}

/// The reader marks an element whose prefix no `xmlns:` declares; XML namespaces make that an
/// error, and libxml2 refuses it.
fn undeclared(namespace: &str) -> bool {
    namespace.starts_with("undeclared prefix")
}

fn particle_of<'t>(child: &Node, particles: &'t [Particle]) -> Option<&'t Particle> {
    particles.iter().find(|p| matches(p, child))
}

fn place_of(child: &Node, particles: &[Particle]) -> Option<usize> {
    particles.iter().position(|p| matches(p, child))
}

fn check_element(node: &Node, decl: &Element, at: &At<'_>, out: &mut Vec<Problem>) {
    check_attributes(node, decl, at, out);
    match &decl.ty.content {
        Content::Text(datatype) => {
            for (index, c) in node.children.iter().enumerate() {
                let child_at = At::Child { parent: at, siblings: &node.children, index, node: c };
                problem(out, c, &child_at, None, format!("{} holds text only; the element {} is not allowed in it", decl.name, c.name));
            }
            if let Some(expected) = misfit(datatype, &node.text) {
                problem(out, node, at, None, format!("{} must hold {expected}{}", decl.name, shown(&node.text)));
            }
        }
        Content::Elements(particles) => {
            let text = node.text.trim_matches(is_ws);
            if !text.is_empty() {
                let hint = if particles.iter().any(|p| matches!(p.term, Term::Element(e) if e.name == "narrative")) {
                    "; text goes in a narrative element"
                } else {
                    ""
                };
                problem(out, node, at, None, format!("{} must not hold text of its own (it holds {}){hint}", decl.name, quoted(text)));
            }
            check_children(node, decl.name, particles, at, out);
        }
    }
}

/// The children of an element of element-only content against its sequence: each allowed,
/// in order, within its counts; then every declared child is checked in turn.
fn check_children(node: &Node, name: &str, particles: &'static [Particle], at: &At<'_>, out: &mut Vec<Problem>) {
    let children = &node.children;
    // Most files are in order: find that out without allocating.
    let mut furthest = 0;
    let mut ordered = true;
    for c in children {
        if let Some(j) = place_of(c, particles) {
            ordered &= j >= furthest;
            furthest = furthest.max(j);
        }
    }
    let places: Vec<Option<usize>> = if ordered { Vec::new() } else { children.iter().map(|c| place_of(c, particles)).collect() };
    let misplaced = if ordered { Vec::new() } else { out_of_place(&places) };
    let mut counts = [0u32; table::MAX_PARTICLES];
    for (index, c) in children.iter().enumerate() {
        let child_at = At::Child { parent: at, siblings: children, index, node: c };
        let Some(j) = place_of(c, particles) else {
            problem(out, c, &child_at, None, not_allowed(c, name, particles));
            continue;
        };
        let count = match counts.get_mut(j) {
            Some(count) => {
                *count = count.saturating_add(1);
                *count
            }
            None => 1,
        };
        if misplaced.get(index).copied().unwrap_or(false) {
            problem(out, c, &child_at, None, out_of_order(children, &places, &misplaced, index, j));
        } else if let Some(p) = particles.get(j)
            && count > p.max
        {
            problem(out, c, &child_at, None, too_many(name, &c.name, p.max));
        }
    }
    for (p, count) in particles.iter().zip(counts) {
        if count < p.min {
            problem(out, node, at, None, missing(name, p, count));
        }
    }
    for (index, c) in children.iter().enumerate() {
        if let Some(Particle { term: Term::Element(e), .. }) = particle_of(c, particles) {
            check_element(c, e, &At::Child { parent: at, siblings: children, index, node: c }, out);
        }
    }
}

/// Which children are out of order: all but one longest run of children whose places in the
/// sequence never go back (a longest non-decreasing subsequence, found in O(n log n)). So one
/// element put in the wrong place is one problem, and the rest of the sequence still counts.
/// The run is built from the end, so that of two equally long runs the one with the earlier
/// elements is kept: read from the top, the later element is the one out of place.
fn out_of_place(places: &[Option<usize>]) -> Vec<bool> {
    let place = |i: usize| places.get(i).copied().flatten().unwrap_or(0);
    // tails[k]: the first child of the best run of length k + 1 found so far (the one with the
    // furthest place, which leaves the most room before it).
    let mut tails: Vec<usize> = Vec::new();
    let mut next: Vec<Option<usize>> = vec![None; places.len()];
    for (i, p) in places.iter().enumerate().rev() {
        let Some(p) = *p else { continue };
        let k = tails.partition_point(|&t| place(t) >= p);
        if let Some(n) = next.get_mut(i) {
            *n = k.checked_sub(1).and_then(|k| tails.get(k).copied());
        }
        match tails.get_mut(k) {
            Some(t) => *t = i,
            None => tails.push(i),
        }
    }
    let mut kept = vec![false; places.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        if let Some(k) = kept.get_mut(i) {
            *k = true;
        }
        cur = next.get(i).copied().flatten();
    }
    places.iter().zip(kept).map(|(p, k)| p.is_some() && !k).collect()
}

/// The message for a misplaced child: named against the nearest child kept in order that it
/// should have come before (or, failing that, after).
fn out_of_order(children: &[Node], places: &[Option<usize>], misplaced: &[bool], index: usize, place: usize) -> String {
    let kept = |i: &usize| !misplaced.get(*i).copied().unwrap_or(true);
    let at = |i: usize| places.get(i).copied().flatten();
    let name = children.get(index).map(|c| c.name.as_str()).unwrap_or("");
    if let Some(y) = (0..index).rev().filter(kept).find(|&i| at(i).is_some_and(|p| p > place)).and_then(|i| children.get(i)) {
        return format!("{name} appears after {}; the standard orders it before {}", y.name, y.name);
    }
    if let Some(y) = (index + 1..children.len()).filter(kept).find(|&i| at(i).is_some_and(|p| p < place)).and_then(|i| children.get(i)) {
        return format!("{name} appears before {}; the standard orders it after {}", y.name, y.name);
    }
    format!("{name} is out of the order the standard gives")
}

fn not_allowed(child: &Node, parent: &str, particles: &[Particle]) -> String {
    let extensible = particles.iter().any(|p| matches!(p.term, Term::Other));
    match child.namespace.as_deref() {
        Some(ns) if undeclared(ns) => {
            let prefix = child.name.split_once(':').map(|(p, _)| p).unwrap_or("");
            format!("the prefix {prefix} of {} is not declared (an xmlns:{prefix}=\"…\" must say its namespace)", child.name)
        }
        Some(_) => format!("the extension element {} is not allowed in {parent}", child.name),
        None if extensible => format!(
            "{} is not allowed in {parent}; an extension element must be in a namespace of its own (such as <x:{}> with xmlns:x=\"…\")",
            child.name, child.name
        ),
        None => format!("{} is not allowed in {parent}", child.name),
    }
}

fn term_name(p: &Particle) -> &'static str {
    match p.term {
        Term::Element(e) => e.name,
        Term::Other => "extension element",
    }
}

fn missing(parent: &str, p: &Particle, count: u32) -> String {
    let child = term_name(p);
    if p.min == 1 {
        format!("{parent} is missing its required child {child}")
    } else {
        format!("{parent} must have at least {} {child}; it has {count}", p.min)
    }
}

fn too_many(parent: &str, child: &str, max: u32) -> String {
    if max == 1 { format!("{parent} has more than one {child}; the standard allows one") } else { format!("{parent} has more than {max} {child}") }
}

fn check_attributes(node: &Node, decl: &Element, at: &At<'_>, out: &mut Vec<Problem>) {
    let ty = decl.ty;
    for a in &node.attrs {
        let name = a.name.as_str();
        if let Some(d) = ty.attributes.iter().find(|d| d.name == name) {
            check_value(node, at, name, &d.datatype, &a.value, out);
            continue;
        }
        let message = match name.split_once(':') {
            Some(("xsi", "schemaLocation" | "noNamespaceSchemaLocation")) => continue,
            Some(("xsi", "nil")) => format!("@{name} is not allowed on {}: no IATI element may be nil", decl.name),
            Some(("xsi", "type")) => format!("@{name} is not allowed on {}: the standard's types are not to be replaced", decl.name),
            Some((prefix, _)) if ty.any_attribute => {
                if prefix == "xml"
                    && let Some(d) = table::XML_ATTRIBUTES.iter().find(|d| d.name == name)
                {
                    check_value(node, at, name, &d.datatype, &a.value, out);
                }
                continue;
            }
            Some(_) => format!("@{name} is not allowed on {}", decl.name),
            None if ty.any_attribute => {
                format!(
                    "@{name} is not allowed on {}; an extension attribute must be in a namespace of its own (such as x:{name} with xmlns:x=\"…\")",
                    decl.name
                )
            }
            None => format!("@{name} is not allowed on {}", decl.name),
        };
        problem(out, node, at, Some(name), message);
    }
    for d in ty.attributes.iter().filter(|d| d.required) {
        if node.attr(d.name).is_none() {
            problem(out, node, at, Some(d.name), format!("@{} is required on {}", d.name, decl.name));
        }
    }
}

fn check_value(node: &Node, at: &At<'_>, name: &str, datatype: &Datatype, value: &str, out: &mut Vec<Problem>) {
    if let Some(expected) = misfit(datatype, value) {
        problem(out, node, at, Some(name), format!("@{name} must be {expected}{}", shown(value)));
    }
}

/// `, not "…"`, or that the value is empty.
fn shown(value: &str) -> String {
    if value.is_empty() { "; it is empty".to_string() } else { format!(", not {}", quoted(value)) }
}

/// A value in quotes, cut short when long.
fn quoted(value: &str) -> String {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

/// What a value should have been, when it does not fit its datatype.
fn misfit(datatype: &Datatype, value: &str) -> Option<String> {
    if fits(datatype, value) {
        return None;
    }
    let mut expected = describe(datatype);
    let trimmed = value.trim_matches(is_ws);
    let hint = match datatype {
        Datatype::Date | Datatype::DateTime | Datatype::Integer { .. } if trimmed != value && fits(datatype, trimmed) => " without spaces around it",
        Datatype::Decimal | Datatype::Integer { .. } if trimmed.contains(',') => " (with a dot for decimals and no thousands separators)",
        Datatype::Decimal | Datatype::Integer { .. } if trimmed.bytes().filter(u8::is_ascii_digit).count() > 24 => " of at most 24 digits",
        _ => "",
    };
    expected.push_str(hint);
    Some(expected)
}

fn describe(datatype: &Datatype) -> String {
    match datatype {
        Datatype::String => "text".into(),
        Datatype::Decimal => "a decimal number such as 1500.50".into(),
        Datatype::Integer { min, max, .. } => match (min, max) {
            (Some(a), Some(b)) => format!("a whole number from {a} to {b}"),
            (Some(a), None) => format!("a whole number of {a} or more"),
            (None, Some(b)) => format!("a whole number of {b} or less"),
            (None, None) => "a whole number".into(),
        },
        Datatype::Boolean => "true or false (or 1 or 0)".into(),
        Datatype::Date => "a date such as 2015-03-31".into(),
        Datatype::DateTime => "a date and time such as 2015-03-31T14:30:00 (a time zone such as Z or +01:00 may follow)".into(),
        Datatype::AnyUri => "a URI such as https://example.org/page".into(),
        Datatype::NmToken => "a single name without spaces (letters, digits, '.', '-', '_', ':')".into(),
        Datatype::NcName => "a name without spaces or colons".into(),
        Datatype::Language => "a language code such as en or fr-CA".into(),
        Datatype::Enumeration { values: [""], .. } => "empty".into(),
        Datatype::Enumeration { values, .. } => format!("one of {}", values.join(", ")),
        Datatype::Union(members) => members.iter().map(describe).collect::<Vec<_>>().join(", or "),
    }
}

/// XML's white space (not Unicode's: a no-break space is text).
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn fits(datatype: &Datatype, value: &str) -> bool {
    let trimmed = value.trim_matches(is_ws);
    match datatype {
        Datatype::String => true,
        Datatype::Decimal => decimal(trimmed),
        Datatype::Integer { min, max, spaces } => integer(if *spaces { trimmed } else { value }, *min, *max),
        Datatype::Boolean => matches!(trimmed, "true" | "false" | "1" | "0"),
        Datatype::Date => ymd(value.as_bytes()).is_some_and(timezone),
        Datatype::DateTime => date_time(value.as_bytes()),
        Datatype::AnyUri => any_uri(trimmed),
        Datatype::NmToken => !trimmed.is_empty() && trimmed.chars().all(name_char),
        Datatype::NcName => ncname(trimmed),
        Datatype::Language => language(trimmed),
        Datatype::Enumeration { base, values } => {
            let normal = if matches!(base, Datatype::String) { value } else { trimmed };
            fits(base, value) && values.contains(&normal)
        }
        Datatype::Union(members) => members.iter().any(|m| fits(m, value)),
    }
}

/// `xsd:decimal` as libxml2 reads it: a sign, digits with one optional dot, and no more than
/// 24 digits once the leading zeros are gone.
fn decimal(t: &str) -> bool {
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let digits = body.trim_start_matches('0');
    let zeros = body.len() - digits.len();
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !frac.is_none_or(all_digits) {
        return false;
    }
    let frac_len = frac.map_or(0, str::len);
    if int.is_empty() && zeros == 0 && frac_len == 0 {
        return false; // "", "." and a lone sign
    }
    int.len() + frac_len <= 24 && !(int.len() >= 24 && frac.is_some())
}

/// A whole number of at most 24 digits (leading zeros aside), within bounds.
fn integer(t: &str, min: Option<i64>, max: Option<i64>) -> bool {
    let (negative, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = body.trim_start_matches('0');
    if digits.len() > 24 {
        return false;
    }
    let n: i128 = if digits.is_empty() {
        0
    } else {
        match digits.parse() {
            Ok(n) => n,
            Err(_) => return false,
        }
    };
    let n = if negative { -n } else { n };
    min.is_none_or(|m| n >= i128::from(m)) && max.is_none_or(|m| n <= i128::from(m))
}

fn two_digits(b: &[u8]) -> Option<(u32, &[u8])> {
    match b {
        [x @ b'0'..=b'9', y @ b'0'..=b'9', rest @ ..] => Some((u32::from(x - b'0') * 10 + u32::from(y - b'0'), rest)),
        _ => None,
    }
}

/// `-?YYYY-MM-DD` (a year of four digits or more, not 0000, without a leading zero when longer;
/// a day that exists); the rest of the value is returned.
fn ymd(b: &[u8]) -> Option<&[u8]> {
    let (negative, b) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=18).contains(&n) || (n > 4 && b.first() == Some(&b'0')) {
        return None;
    }
    let (year, b) = b.split_at(n);
    let year: i64 = std::str::from_utf8(year).ok()?.parse().ok()?;
    if year == 0 {
        return None;
    }
    let year = if negative { -year } else { year };
    let (month, b) = two_digits(b.strip_prefix(b"-")?)?;
    let (day, b) = two_digits(b.strip_prefix(b"-")?)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some(b)
}

/// Nothing, `Z`, or `±hh:mm` up to 14 hours.
fn timezone(b: &[u8]) -> bool {
    match b {
        [] | [b'Z'] => true,
        [b'+' | b'-', rest @ ..] => match two_digits(rest) {
            Some((h, [b':', rest @ ..])) => match two_digits(rest) {
                Some((m, [])) => h <= 23 && m <= 59 && h * 60 + m <= 14 * 60,
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// `date T hh:mm:ss(.s+)?` and a time zone; `24:00:00` is the end of the day.
fn date_time(b: &[u8]) -> bool {
    let Some(rest) = ymd(b).and_then(|r| r.strip_prefix(b"T")) else { return false };
    let Some((h, rest)) = two_digits(rest) else { return false };
    let Some((m, rest)) = rest.strip_prefix(b":").and_then(two_digits) else { return false };
    let Some((s, mut rest)) = rest.strip_prefix(b":").and_then(two_digits) else { return false };
    let mut fraction_zero = true;
    if let Some(f) = rest.strip_prefix(b".") {
        let n = f.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        fraction_zero = f.iter().take(n).all(|&c| c == b'0');
        rest = f.get(n..).unwrap_or_default();
    }
    let time = (h <= 23 && m <= 59 && s <= 59) || (h == 24 && m == 0 && s == 0 && fraction_zero);
    time && timezone(rest)
}

/// An RFC 3986 URI reference, read as libxml2 reads `xsd:anyURI`.
fn any_uri(t: &str) -> bool {
    if t.is_empty() {
        return true;
    }
    let mut c = Uri { b: t.as_bytes(), i: 0 };
    if c.uri() && c.done() {
        return true;
    }
    c.i = 0;
    c.relative_ref() && c.done()
}

/// A cursor over a URI. Bytes a URI may not hold but people write anyway (control characters,
/// spaces, non-ASCII, `<>"{}|\^`'`) read as `_`, as libxml2 escapes them before parsing.
struct Uri<'a> {
    b: &'a [u8],
    i: usize,
}

impl Uri<'_> {
    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).map(|&c| if !(32..127).contains(&c) || b" <>\"{}|\\^`'".contains(&c) { b'_' } else { c })
    }
    fn peek(&self) -> Option<u8> {
        self.at(0)
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        let yes = self.peek() == Some(c);
        if yes {
            self.i += 1;
        }
        yes
    }
    fn unreserved(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"-._~".contains(&c)
    }
    fn sub_delim(c: u8) -> bool {
        b"!$&'()*+,;=".contains(&c)
    }
    fn pct(&self) -> bool {
        self.peek() == Some(b'%') && self.at(1).is_some_and(|c| c.is_ascii_hexdigit()) && self.at(2).is_some_and(|c| c.is_ascii_hexdigit())
    }
    /// Step over one character of `ok` (or a `%XX`), if there is one.
    fn step(&mut self, ok: impl Fn(u8) -> bool) -> bool {
        if self.pct() {
            self.i += 3;
            true
        } else if self.peek().is_some_and(ok) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn pchar(c: u8) -> bool {
        Self::unreserved(c) || Self::sub_delim(c) || c == b':' || c == b'@'
    }
    fn at_pchar(&self) -> bool {
        self.pct() || self.peek().is_some_and(Self::pchar)
    }
    fn uri(&mut self) -> bool {
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c)) {
            self.i += 1;
        }
        if !self.eat(b':') {
            return false;
        }
        let path = if self.peek() == Some(b'/') && self.at(1) == Some(b'/') {
            self.i += 2;
            self.authority() && self.path_abempty()
        } else if self.peek() == Some(b'/') {
            self.path_absolute()
        } else if self.at_pchar() {
            self.path_rootless(None)
        } else {
            true
        };
        path && self.query_fragment()
    }
    fn relative_ref(&mut self) -> bool {
        let path = if self.peek() == Some(b'/') && self.at(1) == Some(b'/') {
            self.i += 2;
            self.authority() && self.path_abempty()
        } else if self.peek() == Some(b'/') {
            self.path_absolute()
        } else if self.at_pchar() {
            self.path_rootless(Some(b':'))
        } else {
            true
        };
        path && self.query_fragment()
    }
    fn authority(&mut self) -> bool {
        let start = self.i;
        while self.step(|c| Self::unreserved(c) || Self::sub_delim(c) || c == b':') {}
        if !self.eat(b'@') {
            self.i = start;
        }
        if self.eat(b'[') {
            while self.peek().is_some_and(|c| c != b']') {
                self.i += 1;
            }
            if !self.eat(b']') {
                return false;
            }
        } else {
            while self.step(|c| Self::unreserved(c) || Self::sub_delim(c)) {}
        }
        if self.eat(b':') {
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return false;
            }
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        true
    }
    fn segment(&mut self, forbid: Option<u8>) {
        while self.at_pchar() && forbid.is_none_or(|f| self.peek() != Some(f)) {
            let _ = self.step(Self::pchar);
        }
    }
    fn path_abempty(&mut self) -> bool {
        while self.eat(b'/') {
            self.segment(None);
        }
        true
    }
    fn path_absolute(&mut self) -> bool {
        self.eat(b'/');
        if self.at_pchar() {
            self.segment(None);
            self.path_abempty();
        }
        true
    }
    /// A path starting with a segment; in a relative reference its first segment holds no `:`.
    fn path_rootless(&mut self, forbid: Option<u8>) -> bool {
        self.segment(forbid);
        self.path_abempty()
    }
    fn query_fragment(&mut self) -> bool {
        if self.eat(b'?') {
            while self.step(|c| Self::pchar(c) || c == b'/' || c == b'?') {}
        }
        if self.eat(b'#') {
            while self.step(|c| Self::pchar(c) || b"/?[]".contains(&c)) {}
        }
        true
    }
}

fn name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn name_char(c: char) -> bool {
    name_start_char(c) || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn ncname(t: &str) -> bool {
    let mut chars = t.chars();
    chars.next().is_some_and(|c| c != ':' && name_start_char(c)) && chars.all(|c| c != ':' && name_char(c))
}

/// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`
fn language(t: &str) -> bool {
    let mut parts = t.split('-');
    let ok = |p: &str, f: fn(&u8) -> bool| (1..=8).contains(&p.len()) && p.bytes().all(|b| f(&b));
    parts.next().is_some_and(|p| ok(p, u8::is_ascii_alphabetic)) && parts.all(|p| ok(p, u8::is_ascii_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::{ActivityReader, Limits};

    /// The children of a valid activity that come before `rest`, in a file.
    fn file(activity_attrs: &str, rest: &str) -> String {
        format!(
            "<iati-activities version=\"2.03\">\n<iati-activity{activity_attrs}>\n<iati-identifier>XM-1</iati-identifier>\n\
             <reporting-org ref=\"XM\" type=\"10\"><narrative>Org</narrative></reporting-org>\n<title><narrative>T</narrative></title>\n\
             <description><narrative>D</narrative></description>\n<participating-org role=\"1\"/>\n<activity-status code=\"2\"/>\n\
             <activity-date type=\"1\" iso-date=\"2015-01-01\"/>\n{rest}\n</iati-activity>\n</iati-activities>\n"
        )
    }

    /// The schema problems of every activity in `xml` (and of its root).
    fn check(xml: &str) -> Vec<Problem> {
        let (mut reader, root) = ActivityReader::open(xml.as_bytes(), Limits::default()).unwrap();
        let mut out = Vec::new();
        check_root(&root.node, &mut out);
        let mut content = RootContent::new();
        while let Some(a) = reader.next() {
            let a = a.unwrap();
            let path = format!("/iati-activities/{}[{}]", a.name, reader.count);
            content.child(&a, &path, &mut out);
            check_activity(&a, &path, &mut out);
        }
        content.end(&root.node, &mut out);
        for p in &out {
            assert_eq!((p.severity, p.code.as_str()), (Severity::Error, "schema"));
        }
        out
    }

    fn messages(xml: &str) -> Vec<String> {
        check(xml).into_iter().map(|p| p.message).collect()
    }

    /// The one problem `xml` has.
    fn one(xml: &str) -> Problem {
        let mut p = check(xml);
        assert_eq!(p.len(), 1, "{p:#?}");
        p.remove(0)
    }

    const TRANSACTION: &str =
        "<transaction><transaction-type code=\"1\"/><transaction-date iso-date=\"2015-01-01\"/><value value-date=\"2015-01-01\">10</value></transaction>";

    #[test]
    fn a_valid_activity_has_no_problem() {
        let rest = format!(
            "<sector code=\"1\" percentage=\"100\"/><humanitarian-scope type=\"1\" vocabulary=\"1-2\" code=\"x\"/>{TRANSACTION}{TRANSACTION}\
             <result type=\"1\"><title><narrative>R</narrative></title><indicator measure=\"1\"><title><narrative>I</narrative></title>\
             <baseline year=\"2015\" value=\"1\"/></indicator></result><x:ext xmlns:x=\"urn:x\">free <y/></x:ext>"
        );
        assert_eq!(check(&file(" xml:lang=\"en\" humanitarian=\"1\" hierarchy=\"1\"", &rest)), vec![]);
    }

    #[test]
    fn a_missing_child_is_said_at_its_parent() {
        let p = one(&file("", "<transaction><transaction-type code=\"1\"/><value value-date=\"2015-01-01\">10</value></transaction>"));
        assert_eq!(p.message, "transaction is missing its required child transaction-date");
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/transaction");
        assert_eq!((p.line, p.column), (10, 1));
        let m = messages("<iati-activities version=\"2.03\"><iati-activity><iati-identifier/></iati-activity></iati-activities>");
        assert_eq!(m.first().map(String::as_str), Some("iati-activity is missing its required child reporting-org"));
        assert_eq!(m.len(), 6, "{m:?}");
    }

    #[test]
    fn one_misplaced_element_is_one_problem() {
        let xml = file("", "<sector code=\"1\"/><activity-scope code=\"1\"/>");
        let p = one(&xml);
        assert_eq!(p.message, "activity-scope appears after sector; the standard orders it before sector");
        // An element far too early: the rest of the sequence still counts, no cascade.
        let xml = file("", &format!("<fss extraction-date=\"2015-01-01\"/><sector code=\"1\"/><tag code=\"1\" vocabulary=\"1\"/>{TRANSACTION}"));
        let p = one(&xml);
        assert_eq!(p.message, "fss appears before sector; the standard orders it after sector");
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/fss");
        // A required element out of place is not also missing.
        let xml = file("", "").replace("<activity-status code=\"2\"/>\n", "").replace("</iati-activity>", "<activity-status code=\"2\"/></iati-activity>");
        assert_eq!(messages(&xml), vec!["activity-status appears after activity-date; the standard orders it before activity-date"]);
    }

    #[test]
    fn too_many_is_said_at_the_one_too_many() {
        let xml =
            file("", "").replace("<title><narrative>T</narrative></title>", "<title><narrative>T</narrative></title><title><narrative>U</narrative></title>");
        let p = one(&xml);
        assert_eq!(p.message, "iati-activity has more than one title; the standard allows one");
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/title[2]");
    }

    #[test]
    fn unknown_and_extension_elements() {
        let p = one(&file("", "<foo>x</foo>"));
        assert!(p.message.starts_with("foo is not allowed in iati-activity; an extension element must be in a namespace"), "{}", p.message);
        // Extensions are welcome where the schema has xsd:any ##other, and not looked into.
        assert_eq!(check(&file("", "<sector code=\"1\"><x:a xmlns:x=\"urn:x\"><anything/></x:a></sector>")), vec![]);
        // Not in text-only elements, nor anywhere with an undeclared prefix.
        let p = one(&file("", "<sector code=\"1\"><narrative>a<x:a xmlns:x=\"urn:x\"/></narrative></sector>"));
        assert_eq!(p.message, "narrative holds text only; the element x:a is not allowed in it");
        let p = one(&file("", "<y:a/>"));
        assert!(p.message.contains("prefix y of y:a is not declared"), "{}", p.message);
        // At the root, extensions come after the activities.
        let xml = file("", "").replace("<iati-activities version=\"2.03\">", "<iati-activities version=\"2.03\"><x:a xmlns:x=\"urn:x\"/>");
        assert_eq!(messages(&xml), vec!["iati-activity appears after x:a; the standard orders it before x:a"]);
        let xml = file("", "").replace("</iati-activities>", "<x:a xmlns:x=\"urn:x\"/><other/></iati-activities>");
        assert_eq!(messages(&xml).len(), 1);
    }

    #[test]
    fn attributes_forbidden_missing_and_extension() {
        let p = one(&file("", "<sector code=\"1\" foo=\"x\"/>"));
        assert!(p.message.starts_with("@foo is not allowed on sector"), "{}", p.message);
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/sector/@foo");
        let p = one(&file("", "<sector/>"));
        assert_eq!(p.message, "@code is required on sector");
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/sector/@code");
        assert_eq!(check(&file("", "<sector code=\"1\" x:foo=\"x\" xmlns:x=\"urn:x\"/>")), vec![]);
        // related-activity has no xsd:anyAttribute.
        let p = one(&file("", "<related-activity ref=\"a\" type=\"1\" x:foo=\"x\" xmlns:x=\"urn:x\"/>"));
        assert_eq!(p.message, "@x:foo is not allowed on related-activity");
        let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
        assert_eq!(check(&file("", &format!("<related-activity ref=\"a\" type=\"1\" xsi:schemaLocation=\"a b\" {xsi}/>"))), vec![]);
        assert!(one(&file("", &format!("<sector code=\"1\" xsi:nil=\"true\" {xsi}/>"))).message.contains("nil"));
    }

    #[test]
    fn values_of_the_wrong_datatype() {
        let xml = file("", &format!("{TRANSACTION}{}", TRANSACTION.replace("value-date=\"2015-01-01\"", "value-date=\"31.03.2015\"")));
        let p = one(&xml);
        assert_eq!(p.message, "@value-date must be a date such as 2015-03-31, not \"31.03.2015\"");
        assert_eq!(p.path, "/iati-activities/iati-activity[1]/transaction[2]/value/@value-date");
        let p = one(&file("", &TRANSACTION.replace(">10<", ">1,500<")));
        assert_eq!(p.message, "value must hold a decimal number such as 1500.50 (with a dot for decimals and no thousands separators), not \"1,500\"");
        let p = one(&file(" humanitarian=\"yes\"", ""));
        assert_eq!(p.message, "@humanitarian must be true or false (or 1 or 0), not \"yes\"");
        let p = one(&file("", "<activity-date type=\"2\" iso-date=\" 2015-01-01\"/>"));
        assert_eq!(p.message, "@iso-date must be a date such as 2015-03-31 without spaces around it, not \" 2015-01-01\"");
        let p = one(&file("", &TRANSACTION.replace(">10<", "><")));
        assert_eq!(p.message, "value must hold a decimal number such as 1500.50; it is empty");
    }

    #[test]
    fn text_where_none_belongs() {
        let xml = file("", "").replace("<activity-status code=\"2\"/>", "<activity-status code=\"2\">active</activity-status>");
        assert_eq!(messages(&xml), vec!["activity-status must not hold text of its own (it holds \"active\")"]);
        let xml = file("", "").replace("<title><narrative>T</narrative></title>", "<title>T<narrative>T</narrative></title>");
        assert_eq!(messages(&xml), vec!["title must not hold text of its own (it holds \"T\"); text goes in a narrative element"]);
        // White space is not text; a no-break space is.
        assert_eq!(check(&file("", "<sector code=\"1\">\n\t </sector>")), vec![]);
        assert_eq!(check(&file("", "<sector code=\"1\">\u{a0}</sector>")).len(), 1);
    }

    #[test]
    fn xml_lang_where_declared_or_let_in() {
        assert_eq!(check(&file(" xml:lang=\"fr-CA\"", "<sector code=\"1\" xml:lang=\"\"/>")), vec![]);
        let p = one(&file(" xml:lang=\"1bad\"", ""));
        assert_eq!(p.message, "@xml:lang must be a language code such as en or fr-CA, or empty, not \"1bad\"");
        // Let in by xsd:anyAttribute, it is still checked against xml.xsd.
        assert_eq!(one(&file("", "<sector code=\"1\" xml:lang=\"en_GB\"/>")).path, "/iati-activities/iati-activity[1]/sector/@xml:lang");
        assert_eq!(one(&file("", "<legacy-data name=\"a\" value=\"b\" xml:lang=\"en\"/>")).message, "@xml:lang is not allowed on legacy-data");
    }

    #[test]
    fn the_root() {
        let p = one(&file("", "").replace(" version=\"2.03\"", " version=\"2.03\" generated-datetime=\"2015-01-01\""));
        assert_eq!(p.path, "/iati-activities/@generated-datetime");
        let mut out = Vec::new();
        let (_, root) = ActivityReader::open(b"<iati-activities/>", Limits::default()).unwrap();
        check_root(&root.node, &mut out);
        RootContent::new().end(&root.node, &mut out);
        let m: Vec<&str> = out.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(m, ["@version is required on iati-activities", "iati-activities is missing its required child iati-activity"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let rest = "<sector/><sector code=\"1\" percentage=\"x\"/><foo/>";
        let xml = file(" hierarchy=\"x\"", rest).replace("<participating-org role=\"1\"/>", "<participating-org/>");
        assert_eq!(check(&xml).len(), 5, "{:#?}", check(&xml));
    }

    #[test]
    fn datatypes_as_libxml2_reads_them() {
        for v in ["1", "+1.5", ".5", "5.", "-0", " 12 ", "00012.3400", "123456789012345678901234"] {
            assert!(decimal(v.trim()), "{v}");
        }
        for v in ["", ".", "+", "1e5", "1,5", "1.2.3", "1234567890123456789012345"] {
            assert!(!decimal(v), "{v}");
        }
        for v in ["2016-02-29", "2000-02-29", "-0001-01-01", "12015-01-01", "2015-03-31Z", "2015-03-31+14:00", "2015-03-31-05:30"] {
            assert!(fits(&Datatype::Date, v), "{v}");
        }
        for v in ["2015-02-29", "1900-02-29", "0000-01-01", "02015-01-01", "2015-1-01", "2015-03-31+14:01", " 2015-03-31", "2015-04-31", "2015-03-31T00:00:00"]
        {
            assert!(!fits(&Datatype::Date, v), "{v}");
        }
        for v in ["2015-03-31T10:00:00", "2015-03-31T24:00:00", "2019-02-28T16:36:46.506663+00:00"] {
            assert!(fits(&Datatype::DateTime, v), "{v}");
        }
        for v in ["2015-03-31T23:59:60", "2015-03-31T10:00:00.", "2015-03-31T10:00", "2015-03-31T24:00:01", "2015-03-31T10:00:00+0100"] {
            assert!(!fits(&Datatype::DateTime, v), "{v}");
        }
        for v in ["", "http://example.com", "http://exa mple.com", "%20", "abc:foo", "http://[::1]/", "mailto:x@y.z", "//host", "é", "./a:b", "a#[x]", "#", "?"]
        {
            assert!(any_uri(v), "{v}");
        }
        for v in ["%zz", "a#b#c", "1abc:foo", "http://a:b", "http://[bad/", "a[b", "http://a/%", ":foo", "http://a@b@c", "http://a:", "//a:1:2"] {
            assert!(!any_uri(v), "{v}");
        }
        let int = Datatype::Integer { min: Some(-2147483648), max: Some(2147483647), spaces: false };
        assert!(fits(&int, "-2147483648") && fits(&int, "+5") && !fits(&int, "2147483648") && !fits(&int, " 7 ") && !fits(&int, "1.0"));
        assert!(language("zh-Hant-TW") && !language("en_GB") && !language("abcdefghi") && !language(""));
        assert!(ncname("a1") && !ncname("1a") && !ncname("a:b"));
    }
}
