//! A hardened reader for IATI files: the file is checked at the door (not XML, a zip or gzip
//! archive, an encoding other than UTF-8, a document type declaration, the wrong root, an
//! unsupported version), then read one `iati-activity` at a time into a small tree
//! ([`Node`]) that keeps the line and column of every element and attribute. Memory is bounded
//! by the largest activity, not by the file: an activity over [`Limits::max_activity_nodes`]
//! nodes or [`Limits::max_activity_bytes`] of tree, a text over [`Limits::max_text`] bytes or
//! nesting deeper than [`Limits::max_depth`] is refused with a problem, never read into memory
//! whole.
//!
//! Document type declarations are refused outright: they are how entity expansion bombs
//! ("billion laughs") and external entities (reading local files or URLs) get in, and IATI
//! files have no use for them. Only XML's five predefined entities and character references
//! are resolved.

use super::problem::{Problem, Severity};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// An element of an activity, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The element's name as written (with its prefix, for elements of other namespaces).
    pub name: String,
    /// The namespace of an element that is not IATI's (an extension), if any.
    pub namespace: Option<String>,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    /// The element's own text (and CDATA), entities resolved, line ends normalised.
    pub text: String,
    pub line: u32,
    pub column: u32,
}

/// An attribute as read; `xml:lang` keeps its prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    pub value: String,
}

impl Node {
    /// What this element takes in memory without its children and text, about: itself, its
    /// name and namespace, and its attributes (heap allocations rounded up to 16 bytes).
    pub fn weight(&self) -> usize {
        let heap = |n: usize| if n == 0 { 0 } else { n.div_ceil(16) * 16 };
        std::mem::size_of::<Node>()
            + heap(self.name.len())
            + self.namespace.as_ref().map_or(0, |n| heap(n.len()))
            + self.attrs.iter().map(|a| std::mem::size_of::<Attr>() + heap(a.name.len()) + heap(a.value.len())).sum::<usize>()
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name == name).map(|a| a.value.as_str())
    }

    /// The IATI children called `name`, in order.
    pub fn all<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a Node> + use<'a, 'n> {
        self.children.iter().filter(move |c| c.namespace.is_none() && c.name == name)
    }

    /// The first IATI child called `name`.
    pub fn first(&self, name: &str) -> Option<&Node> {
        self.all(name).next()
    }

    /// The text, trimmed.
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }

    /// Whether this element is IATI's (not an extension of another namespace).
    pub fn is_iati(&self) -> bool {
        self.namespace.is_none()
    }
}

/// Bounds on what one file may make the reader hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of elements.
    pub max_depth: usize,
    /// Largest text of one element, in bytes.
    pub max_text: usize,
    /// Most elements in one activity.
    pub max_activity_nodes: usize,
    /// Most memory one activity's tree may take, in bytes (elements, attributes and texts, as
    /// [`Node::weight`] counts them): with the file itself, what reading holds at most.
    pub max_activity_bytes: usize,
    /// Most attributes on one element.
    pub max_attrs: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 48, max_text: 1 << 20, max_activity_nodes: 200_000, max_activity_bytes: 16 << 20, max_attrs: 64 }
    }
}

/// What the root element says about the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// `version` as written (`2.03`, `2.01`, `xx` …).
    pub version: String,
    pub generated: Option<String>,
    /// The root's attributes and line, for rules about the file as a whole.
    pub node: Node,
}

/// Where a byte offset is: line and column (both from 1; the column counts characters).
/// A reader asks in order, so the position is counted on from the last one asked for, and no
/// index of the file's lines is kept (a 50 MB file has a million lines); asked for an earlier
/// offset (an error's position), it counts again from the start. A minified file is one line
/// of many megabytes: counting each column from its line's start would be quadratic.
struct Lines {
    /// The last position asked for: (offset, line, column).
    last: std::cell::Cell<(usize, usize, usize)>,
}

/// Characters in UTF-8 bytes (those that do not continue a character).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

impl Lines {
    fn new() -> Lines {
        Lines { last: std::cell::Cell::new((0, 1, 1)) }
    }

    fn at(&self, bytes: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        let (mut from, mut line, mut column) = self.last.get();
        if offset < from {
            (from, line, column) = (0, 1, 1);
        }
        // Line ends between the last position and this one: `\n`, `\r\n`, or `\r` alone.
        let mut line_start = None;
        for (i, b) in bytes[from..offset].iter().enumerate() {
            let at = from + i;
            if *b == b'\n' || (*b == b'\r' && bytes.get(at + 1) != Some(&b'\n')) {
                line += 1;
                line_start = Some(at + 1);
            }
        }
        column = match line_start {
            Some(start) => chars_in(&bytes[start..offset]) + 1,
            None => column + chars_in(&bytes[from..offset]),
        };
        self.last.set((offset, line, column));
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
    }
}

/// The reader of one file's activities.
pub struct ActivityReader<'a> {
    bytes: &'a [u8],
    lines: Lines,
    reader: Reader<&'a [u8]>,
    limits: Limits,
    /// Namespace declarations in scope (prefix, URI), innermost last; `""` is the default.
    namespaces: Vec<Vec<(String, String)>>,
    done: bool,
    /// Activities read so far (for the path of problems).
    pub count: usize,
}

/// Why a file was not read at all (a problem at line 1 or where the fault is).
pub type Refusal = Problem;

fn fatal(line: u32, column: u32, path: &str, code: &str, message: impl Into<String>) -> Problem {
    Problem { severity: Severity::Error, line, column, path: path.to_string(), code: code.to_string(), message: message.into() }
}

/// The first bytes say what a file is when it is not XML.
fn not_xml(bytes: &[u8]) -> Option<Problem> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..];
    let what = if head.is_empty() {
        "the file is empty"
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        "the file is a zip archive, not XML; unpack it and send the XML file"
    } else if head.starts_with(&[0x1f, 0x8b]) {
        "the file is compressed (gzip), not XML; unpack it and send the XML file"
    } else if head.starts_with(&[0xfe, 0xff]) || head.starts_with(&[0xff, 0xfe]) {
        "the file is in UTF-16; IATI files are read in UTF-8"
    } else if head.starts_with(b"%PDF") {
        "the file is a PDF document, not XML"
    } else if !head.starts_with(b"<") && !head.starts_with("\u{feff}".as_bytes()) {
        "the file is not XML"
    } else {
        return None;
    };
    Some(fatal(1, 1, "/", "0.1.1", what))
}

impl<'a> ActivityReader<'a> {
    /// Open a file and read up to its root element. `Err` when the file cannot be read as an
    /// IATI activity file at all.
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<(ActivityReader<'a>, Root), Problem> {
        if let Some(p) = not_xml(bytes) {
            return Err(p);
        }
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        if let Err(e) = std::str::from_utf8(bytes) {
            let lines = Lines::new();
            let (line, column) = lines.at(bytes, e.valid_up_to());
            return Err(fatal(line, column, "/", "0.1.1", "the file is not valid UTF-8; IATI files are read in UTF-8"));
        }
        // The whole file is well-formed first (as IATI's validator checks it: not well-formed
        // comes before not IATI), in one pass that holds nothing.
        well_formed(bytes)?;
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        let mut r = ActivityReader { bytes, lines: Lines::new(), reader, limits, namespaces: Vec::new(), done: false, count: 0 };
        loop {
            let at = r.offset();
            match r.reader.read_event() {
                Err(e) => return Err(r.malformed(at, &e.to_string())),
                Ok(Event::Decl(d)) => {
                    if let Some(Ok(enc)) = d.encoding() {
                        let enc = enc.to_ascii_lowercase();
                        if enc != "utf-8" && enc != "utf8" {
                            let (line, column) = r.pos(at);
                            return Err(fatal(line, column, "/", "0.1.1", format!("the file declares the encoding {enc}; IATI files are read in UTF-8")));
                        }
                    }
                }
                Ok(Event::DocType(_)) => {
                    let (line, column) = r.pos(at);
                    return Err(fatal(
                        line,
                        column,
                        "/",
                        "xml-doctype",
                        "the file has a document type declaration (<!DOCTYPE>); it is refused because it can define entities that expand without bound or read other files, and IATI files need none",
                    ));
                }
                Ok(Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::Text(t)) if t.xml10_content().trim().is_empty() => {}
                Ok(Event::Start(s)) => return r.root(&s, at, false),
                Ok(Event::Empty(s)) => return r.root(&s, at, true),
                Ok(Event::Eof) => return Err(fatal(1, 1, "/", "0.1.1", "the file has no root element")),
                Ok(Event::End(_)) => return Err(r.malformed(at, "an end tag before any start tag")),
                Ok(_) => return Err(r.malformed(at, "text before the root element")),
            }
        }
    }

    /// The root element: it must be `iati-activities` of a version this reader knows.
    fn root(mut self, s: &BytesStart<'_>, at: usize, empty: bool) -> Result<(ActivityReader<'a>, Root), Problem> {
        let node = self.start_node(s, at, "")?;
        if node.name != "iati-activities" {
            let message = if node.name == "iati-organisations" {
                "this is an IATI organisation file; Liaison imports activity files (iati-activities)".to_string()
            } else {
                format!("the root element is <{}>, not <iati-activities>: this is not an IATI activity file", node.name)
            };
            return Err(fatal(node.line, node.column, &format!("/{}", node.name), "0.2.1", message));
        }
        let version = node.attr("version").unwrap_or("").trim().to_string();
        if version.starts_with("1.") {
            return Err(fatal(
                node.line,
                node.column,
                "/iati-activities/@version",
                "0.6.1",
                format!("IATI version {version} is not supported; Liaison reads versions 2.01 to 2.03 (convert the file to 2.0x first)"),
            ));
        }
        let generated = node.attr("generated-datetime").map(String::from);
        self.done = empty;
        Ok((self, Root { version, generated, node }))
    }

    fn offset(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    fn pos(&self, offset: usize) -> (u32, u32) {
        // Skip whitespace the event began with: positions point at the `<`.
        let mut o = offset;
        while o < self.bytes.len() && self.bytes[o].is_ascii_whitespace() {
            o += 1;
        }
        self.lines.at(self.bytes, o)
    }

    fn malformed(&self, at: usize, what: &str) -> Problem {
        let err_at = usize::try_from(self.reader.error_position()).unwrap_or(at).max(at);
        let (line, column) = self.lines.at(self.bytes, err_at);
        fatal(line, column, "/", "0.1.1", format!("the file is not well-formed XML: {what}"))
    }

    /// A start tag as a node (no children yet), with namespace declarations taken in.
    fn start_node(&mut self, s: &BytesStart<'_>, at: usize, parent_path: &str) -> Result<Node, Problem> {
        let (line, column) = self.pos(at);
        let name = s.name().as_ref().to_string();
        let mut attrs = Vec::new();
        let mut declared = Vec::new();
        let mut iter = s.attributes();
        iter.with_checks(true);
        for a in iter {
            let a = match a {
                Ok(a) => a,
                Err(e) => return Err(fatal(line, column, &format!("{parent_path}/{name}"), "0.1.1", format!("the file is not well-formed XML: {e}"))),
            };
            let key = a.key.as_ref().to_string();
            let value = match a.normalized_value(XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(e) => {
                    return Err(fatal(
                        line,
                        column,
                        &format!("{parent_path}/{name}/@{key}"),
                        "0.1.1",
                        format!("the file is not well-formed XML: {e} (only XML's own entities are read)"),
                    ));
                }
            };
            if key == "xmlns" {
                declared.push((String::new(), value));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                declared.push((prefix.to_string(), value));
            } else {
                attrs.push(Attr { name: key, value });
            }
            if attrs.len() > self.limits.max_attrs {
                return Err(fatal(
                    line,
                    column,
                    &format!("{parent_path}/{name}"),
                    "limit",
                    format!("an element has more than {} attributes", self.limits.max_attrs),
                ));
            }
        }
        self.namespaces.push(declared);
        let namespace = self.namespace_of(&name);
        Ok(Node { name, namespace, attrs, children: Vec::new(), text: String::new(), line, column })
    }

    /// The namespace of an element name: IATI's elements have none.
    fn namespace_of(&self, name: &str) -> Option<String> {
        let prefix = name.split_once(':').map(|(p, _)| p).unwrap_or("");
        let uri = self.namespaces.iter().rev().flat_map(|d| d.iter()).find(|(p, _)| p == prefix).map(|(_, u)| u.clone());
        match (prefix, uri) {
            ("", None) => None,
            ("", Some(u)) if u.is_empty() => None,
            (_, Some(u)) => Some(u),
            (p, None) => Some(format!("undeclared prefix {p}")),
        }
    }

    /// The next activity, or a problem that ends the reading (the file is broken from there),
    /// or `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Node, Problem>> {
        if self.done {
            return None;
        }
        loop {
            let at = self.offset();
            match self.reader.read_event() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.malformed(at, &e.to_string())));
                }
                Ok(Event::Start(s)) => {
                    let path = "/iati-activities";
                    let node = match self.start_node(&s, at, path) {
                        Ok(n) => n,
                        Err(p) => {
                            self.done = true;
                            return Some(Err(p));
                        }
                    };
                    self.count += 1;
                    return Some(self.subtree(node, &format!("{path}/{}[{}]", s_name(&s), self.count)).inspect_err(|_| self.done = true));
                }
                Ok(Event::Empty(s)) => {
                    let node = match self.start_node(&s, at, "/iati-activities") {
                        Ok(n) => n,
                        Err(p) => {
                            self.done = true;
                            return Some(Err(p));
                        }
                    };
                    self.namespaces.pop();
                    self.count += 1;
                    return Some(Ok(node));
                }
                Ok(Event::End(_)) => {
                    // The end of the root: nothing may follow but comments.
                    self.namespaces.pop();
                    loop {
                        let at = self.offset();
                        match self.reader.read_event() {
                            Ok(Event::Eof) => break,
                            Ok(Event::Comment(_) | Event::PI(_)) => {}
                            Ok(Event::Text(t)) if t.xml10_content().trim().is_empty() => {}
                            Ok(_) => {
                                self.done = true;
                                return Some(Err(self.malformed(at, "content after the root element")));
                            }
                            Err(e) => {
                                self.done = true;
                                return Some(Err(self.malformed(at, &e.to_string())));
                            }
                        }
                    }
                    self.done = true;
                    return None;
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    return Some(Err(self.malformed(at, "the file ends before </iati-activities>")));
                }
                Ok(Event::DocType(_)) => {
                    self.done = true;
                    let (line, column) = self.pos(at);
                    return Some(Err(fatal(line, column, "/", "xml-doctype", "a document type declaration inside the file")));
                }
                Ok(Event::GeneralRef(r)) => {
                    if let Err(p) = resolve_ref(&r) {
                        self.done = true;
                        let (line, column) = self.pos(at);
                        return Some(Err(fatal(line, column, "/iati-activities", "0.1.1", p)));
                    }
                }
                Ok(Event::Text(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_)) => {}
            }
        }
    }

    /// Read the children of `node` up to its end tag.
    fn subtree(&mut self, root: Node, path: &str) -> Result<Node, Problem> {
        let mut weight = root.weight();
        let mut stack: Vec<Node> = vec![root];
        let mut nodes = 1usize;
        loop {
            let at = self.offset();
            let event = self.reader.read_event().map_err(|e| self.malformed(at, &e.to_string()))?;
            match event {
                Event::Start(s) => self.child(&mut stack, &s, at, path, (&mut nodes, &mut weight), false)?,
                Event::Empty(s) => self.child(&mut stack, &s, at, path, (&mut nodes, &mut weight), true)?,
                Event::End(_) => {
                    self.namespaces.pop();
                    let Some(done) = stack.pop() else { return Err(self.malformed(at, "an unexpected end tag")) };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(t) => {
                    let text = t.xml10_content();
                    self.push_text(&mut stack, &text, at, path, &mut weight)?;
                }
                Event::CData(c) => {
                    let text = c.xml10_content();
                    self.push_text(&mut stack, &text, at, path, &mut weight)?;
                }
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|m| {
                        let (line, column) = self.pos(at);
                        fatal(line, column, path, "0.1.1", m)
                    })?;
                    self.push_text(&mut stack, c.encode_utf8(&mut [0; 4]), at, path, &mut weight)?;
                }
                Event::DocType(_) => {
                    let (line, column) = self.pos(at);
                    return Err(fatal(line, column, path, "xml-doctype", "a document type declaration inside the file"));
                }
                Event::Eof => return Err(self.malformed(at, "the file ends inside an element")),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            }
        }
    }

    /// A child element of the innermost open one.
    fn child(
        &mut self,
        stack: &mut Vec<Node>,
        s: &BytesStart<'_>,
        at: usize,
        path: &str,
        (nodes, weight): (&mut usize, &mut usize),
        empty: bool,
    ) -> Result<(), Problem> {
        let depth = stack.len() + 1;
        if depth > self.limits.max_depth {
            let (line, column) = self.pos(at);
            return Err(fatal(
                line,
                column,
                &format!("{path}/{}", s_name(s)),
                "limit",
                format!("elements are nested more than {} deep", self.limits.max_depth),
            ));
        }
        *nodes += 1;
        if *nodes > self.limits.max_activity_nodes {
            let (line, column) = self.pos(at);
            return Err(fatal(line, column, path, "limit", format!("an activity has more than {} elements", self.limits.max_activity_nodes)));
        }
        let node = self.start_node(s, at, path)?;
        *weight += node.weight();
        self.check_weight(*weight, at, path)?;
        if empty {
            self.namespaces.pop();
            if let Some(parent) = stack.last_mut() {
                parent.children.push(node);
            }
        } else {
            stack.push(node);
        }
        Ok(())
    }

    fn push_text(&self, stack: &mut [Node], text: &str, at: usize, path: &str, weight: &mut usize) -> Result<(), Problem> {
        let Some(node) = stack.last_mut() else { return Ok(()) };
        if node.text.len() + text.len() > self.limits.max_text {
            let (line, column) = self.pos(at);
            return Err(fatal(line, column, path, "limit", format!("a text is longer than {} bytes", self.limits.max_text)));
        }
        *weight += text.len();
        self.check_weight(*weight, at, path)?;
        node.text.push_str(text);
        Ok(())
    }

    /// Refuse an activity whose tree would take more than the limit.
    fn check_weight(&self, weight: usize, at: usize, path: &str) -> Result<(), Problem> {
        if weight <= self.limits.max_activity_bytes {
            return Ok(());
        }
        let (line, column) = self.pos(at);
        let max = self.limits.max_activity_bytes;
        let size = if max >= 1 << 20 { format!("{} MiB", max >> 20) } else { format!("{} KiB", max >> 10) };
        Err(fatal(line, column, path, "limit", format!("an activity takes more than {size} of memory to read; split it, or import it in parts")))
    }
}

/// Whether `bytes` (UTF-8, without BOM) is well-formed XML with one root, no document type
/// declaration and no entity but XML's own.
fn well_formed(bytes: &[u8]) -> Result<(), Problem> {
    let lines = Lines::new();
    let at = |o: u64| lines.at(bytes, usize::try_from(o).unwrap_or(usize::MAX));
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let (line, column) = at(reader.error_position().max(before));
                return Err(fatal(line, column, "/", "0.1.1", format!("the file is not well-formed XML: {e}")));
            }
        };
        let outside = depth == 0;
        match event {
            Event::Start(_) => {
                if outside {
                    roots += 1;
                }
                depth += 1;
            }
            Event::Empty(_) if outside => roots += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if outside && !t.xml10_content().trim().is_empty() => {
                let (line, column) = at(before);
                return Err(fatal(line, column, "/", "0.1.1", "the file is not well-formed XML: text outside the root element"));
            }
            Event::CData(_) | Event::GeneralRef(_) if outside => {
                let (line, column) = at(before);
                return Err(fatal(line, column, "/", "0.1.1", "the file is not well-formed XML: text outside the root element"));
            }
            Event::GeneralRef(r) => {
                if let Err(m) = resolve_ref(&r) {
                    let (line, column) = at(before);
                    return Err(fatal(line, column, "/", "0.1.1", m));
                }
            }
            Event::DocType(_) => {
                let (line, column) = at(before);
                return Err(fatal(
                    line,
                    column,
                    "/",
                    "xml-doctype",
                    "the file has a document type declaration (<!DOCTYPE>); it is refused because it can define entities that expand without bound or read other files, and IATI files need none",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
        if roots > 1 {
            let (line, column) = at(before);
            return Err(fatal(line, column, "/", "0.1.1", "the file is not well-formed XML: more than one root element"));
        }
    }
    if depth > 0 {
        let (line, column) = at(reader.buffer_position());
        return Err(fatal(line, column, "/", "0.1.1", "the file is not well-formed XML: it ends inside an element"));
    }
    if roots == 0 {
        return Err(fatal(1, 1, "/", "0.1.1", "the file has no root element"));
    }
    Ok(())
}

fn s_name(s: &BytesStart<'_>) -> String {
    s.name().as_ref().to_string()
}

/// A reference in text: a character reference or one of XML's five entities; anything else
/// is an entity the file would have had to declare, which is refused.
fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err("the file is not well-formed XML: a character reference names no character".into()),
        };
    }
    let name: &str = r.as_ref();
    match name {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!("the file is not well-formed XML: the entity &{other}; is not declared (only XML's own entities are read)")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_counted_on_in_order_and_from_the_line_start_otherwise() {
        let text = "<a>\n  <b x=\"ж\"/><c>ђ</c>\r\n<d/>\r<e/>".as_bytes();
        let lines = super::Lines::new();
        // Where each line starts, counted the plain way.
        let mut starts = vec![0];
        for i in 0..text.len() {
            if text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        let naive = |o: usize| {
            let line = starts.partition_point(|s| *s <= o).max(1);
            let start = starts[line - 1];
            (line as u32, (String::from_utf8_lossy(&text[start..o]).chars().count() + 1) as u32)
        };
        let offsets: Vec<usize> = (0..=text.len()).filter(|o| std::str::from_utf8(&text[..*o]).is_ok()).collect();
        for o in offsets.iter().chain(offsets.iter().rev()).chain(offsets.iter().step_by(3)) {
            assert_eq!(lines.at(text, *o), naive(*o), "offset {o}");
        }
    }

    use super::*;

    fn read(xml: &str) -> (Result<Root, Problem>, Vec<Result<Node, Problem>>) {
        match ActivityReader::open(xml.as_bytes(), Limits::default()) {
            Err(p) => (Err(p), Vec::new()),
            Ok((mut r, root)) => {
                let mut out = Vec::new();
                while let Some(a) = r.next() {
                    out.push(a);
                }
                (Ok(root), out)
            }
        }
    }

    #[test]
    fn activities_are_read_one_by_one_with_positions() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n  <iati-activity default-currency=\"EUR\">\n    <iati-identifier>XM-DAC-7-1</iati-identifier>\n    <title><narrative xml:lang=\"sr\">Одбрана &amp; безбедност &#x41;</narrative></title>\n  </iati-activity>\n  <iati-activity><iati-identifier>XM-DAC-7-2</iati-identifier><x:ext xmlns:x=\"urn:x\">y</x:ext></iati-activity>\n</iati-activities>\n";
        let (root, acts) = read(xml);
        let root = root.unwrap();
        assert_eq!(root.version, "2.03");
        assert_eq!(acts.len(), 2);
        let a = acts[0].as_ref().unwrap();
        assert_eq!((a.line, a.column), (3, 3));
        assert_eq!(a.attr("default-currency"), Some("EUR"));
        assert_eq!(a.first("iati-identifier").unwrap().trimmed(), "XM-DAC-7-1");
        let n = a.first("title").unwrap().first("narrative").unwrap();
        assert_eq!(n.text, "Одбрана & безбедност A");
        assert_eq!(n.attr("xml:lang"), Some("sr"));
        assert_eq!((n.line, n.column), (5, 12));
        let b = acts[1].as_ref().unwrap();
        let ext = &b.children[1];
        assert_eq!(ext.namespace.as_deref(), Some("urn:x"));
        assert!(!ext.is_iati());
        assert_eq!(b.all("x:ext").count(), 0, "extensions are not IATI children");
    }

    #[test]
    fn what_is_not_an_iati_activity_file_is_refused_at_the_door() {
        for (input, code, words) in [
            ("", "0.1.1", "empty"),
            ("PK\u{3}\u{4}rest", "0.1.1", "zip"),
            ("hello", "0.1.1", "not XML"),
            ("<tag>x</tag>", "0.2.1", "not <iati-activities>"),
            ("<iati-organisations version=\"2.03\"/>", "0.2.1", "organisation file"),
            ("<iati-activities version=\"1.03\"></iati-activities>", "0.6.1", "1.03"),
            ("<?xml version=\"1.0\" encoding=\"windows-1250\"?><iati-activities/>", "0.1.1", "windows-1250"),
            ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><iati-activities/>", "xml-doctype", "document type"),
            ("<iati-activities version=\"2.03\"", "0.1.1", "well-formed"),
        ] {
            let (root, _) = read(input);
            let p = root.expect_err(input);
            assert_eq!(p.code, code, "{input}: {p:?}");
            assert!(p.message.contains(words), "{input}: {}", p.message);
            assert_eq!(p.severity, Severity::Error);
        }
        let gz = [0x1f, 0x8b, 8, 0];
        assert!(ActivityReader::open(&gz, Limits::default()).err().unwrap().message.contains("gzip"));
        let latin = b"<iati-activities version=\"2.03\"><x>\xe9</x></iati-activities>";
        assert!(ActivityReader::open(latin, Limits::default()).err().unwrap().message.contains("UTF-8"));
    }

    /// The first problem reading `xml` meets, at the door or in an activity.
    fn problem(xml: &str) -> Problem {
        match read(xml) {
            (Err(p), _) => p,
            (Ok(_), acts) => acts.into_iter().find_map(Result::err).unwrap_or_else(|| panic!("no problem in {xml:.80}")),
        }
    }

    #[test]
    fn undeclared_entities_broken_xml_and_limits_are_problems_not_panics() {
        assert!(problem("<iati-activities version=\"2.03\"><iati-activity><title>&lol;</title></iati-activity></iati-activities>").message.contains("&lol;"));
        assert_eq!(problem("<iati-activities version=\"2.03\"><iati-activity><a></b></iati-activity></iati-activities>").code, "0.1.1");
        let deep = format!("<iati-activities version=\"2.03\"><iati-activity>{}{}</iati-activity></iati-activities>", "<a>".repeat(100), "</a>".repeat(100));
        assert_eq!(problem(&deep).code, "limit");
        let big = format!("<iati-activities version=\"2.03\"><iati-activity><t>{}</t></iati-activity></iati-activities>", "x".repeat((1 << 20) + 1));
        assert!(problem(&big).message.contains("longer than"));
        assert_eq!(problem("<iati-activities version=\"2.03\"><iati-activity a=\"1\" a=\"2\"/></iati-activities>").code, "0.1.1", "duplicate attribute");
        assert!(problem("<iati-activities version=\"2.03\"><iati-activity/></iati-activities><more/>").message.contains("more than one root"));
        assert!(problem("<iati-activities version=\"2.03\"><iati-activity/>").message.contains("ends inside"));
        // Not well-formed is said before not IATI, as IATI's validator does.
        assert_eq!(problem("<tag><a></b></tag>").code, "0.1.1");
    }

    /// An activity under the node limit but heavy (long attributes, many texts) is refused by
    /// the byte budget; one just under it is read.
    #[test]
    fn an_activity_heavier_than_the_byte_budget_is_refused() {
        let limits = Limits { max_activity_bytes: 256 << 10, ..Limits::default() };
        let file = |n: usize| {
            let v = "v".repeat(200);
            let children: String = (0..n).map(|i| format!("<x a=\"{v}\">{i}{v}</x>")).collect();
            format!("<iati-activities version=\"2.03\"><iati-activity>{children}</iati-activity><iati-activity/></iati-activities>")
        };
        let each = |xml: &str| -> Vec<Result<Node, Problem>> {
            let (mut r, _) = ActivityReader::open(xml.as_bytes(), limits).unwrap();
            std::iter::from_fn(|| r.next()).collect()
        };
        // About 700 bytes an element: 200 fit in 256 KiB, 1,000 do not.
        let light = each(&file(200));
        assert!(light.iter().all(Result::is_ok) && light.len() == 2, "{:?}", light.iter().find_map(|r| r.as_ref().err()));
        assert!(light[0].as_ref().unwrap().children.len() == 200);
        let heavy = each(&file(1000));
        let p = heavy[0].as_ref().expect_err("over the budget");
        assert_eq!(p.code, "limit");
        assert!(p.message.contains("takes more than 256 KiB"), "{}", p.message);
        assert!(1000 < Limits::default().max_activity_nodes, "refused by weight, not by count");
    }

    #[test]
    fn line_ends_of_every_kind_count_as_lines() {
        let xml = "<iati-activities version=\"2.03\">\r<iati-activity>\r\n<iati-identifier>x</iati-identifier>\r</iati-activity></iati-activities>";
        let (_, acts) = read(xml);
        let a = acts[0].as_ref().unwrap();
        assert_eq!(a.line, 2);
        assert_eq!(a.first("iati-identifier").unwrap().line, 3);
    }
}
