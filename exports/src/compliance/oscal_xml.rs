//! OSCAL XML read into the JSON shape OSCAL's own XML↔JSON mapping gives
//! (the shape `catalog_import` reads), so a catalog or profile in XML
//! imports exactly like its JSON edition.
//!
//! The mapping follows the OSCAL metaschema rules for what the catalog,
//! profile, component definition and SSP models use (metadata and back
//! matter included):
//! - attributes (flags) become string keys (`id`, `class`, `href`, ...);
//! - repeatable elements become an array under their group name (`control`
//!   → `controls`, `with-id` → `with-ids`, `choice` → `choice`, ...), even
//!   when there is one;
//! - a field with only text becomes a string (`title`, `label`, `version`,
//!   `with-id`...; `as-is` a boolean); a field with attributes and text an
//!   object with OSCAL's value key (`document-id` → `identifier`, `hash` →
//!   `value`, ...);
//! - markup becomes Markdown: markup-line fields inline (`em`/`i` → `_x_`,
//!   `strong`/`b` → `**x**`, `code` → backticks, `a` → `[text](href)`,
//!   `q` → `"x"`, `insert` → `{{ insert: param, id }}`), markup-multiline
//!   fields (`remarks`, `description`, `usage`...) as blocks separated by a
//!   blank line (lists as `- ` / `1. `, nested lists indented, headings,
//!   tables, preformatted text, quotes); the block elements directly inside
//!   an assembly (`part`, `guideline`) become its `prose`. XML whitespace is
//!   collapsed as a reader sees it: a paragraph is one line.
//!
//! Elements the mapping does not know are kept generically (an object with
//! their attributes and children, or their text; an array when repeated),
//! never dropped. Pure: takes the text, returns a value; errors name the
//! line and column.

use std::fmt;

use roxmltree::{Document, Node};
use serde_json::{Map, Value};

/// The OSCAL XML namespace.
pub const NAMESPACE: &str = "http://csrc.nist.gov/ns/oscal/1.0";

/// The root elements of the OSCAL models.
pub const MODELS: &[&str] = &[
    "catalog",
    "profile",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
    "mapping-collection",
];

/// How deep elements may nest (OSCAL catalogs nest a dozen or so; JSON
/// parsing stops at 128 too). Deeper is refused rather than risking the
/// stack.
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed XML, or nested too deep: where and why.
    Invalid {
        line: u32,
        column: u32,
        reason: String,
    },
    /// Well-formed XML whose root is not an OSCAL model.
    NotOscal {
        /// The root element's local name.
        root: String,
        /// Its namespace ("" for none).
        namespace: String,
    },
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Invalid {
                line,
                column,
                reason,
            } => write!(f, "line {line}, column {column}: {reason}"),
            XmlError::NotOscal { root, namespace } => {
                if namespace.is_empty() || namespace == NAMESPACE {
                    write!(f, "the root element <{root}> is not an OSCAL model")
                } else {
                    write!(
                        f,
                        "the root element <{root}> is in the namespace {namespace}, not OSCAL's ({NAMESPACE})"
                    )
                }
            }
        }
    }
}

impl std::error::Error for XmlError {}

/// Converts an OSCAL document in XML to its JSON form: `{"catalog": {...}}`
/// (or the document's other model). Leading whitespace is allowed; a BOM is
/// the caller's to strip.
pub fn to_json(text: &str) -> Result<Value, XmlError> {
    let body = text.trim_start();
    let skipped = &text[..text.len() - body.len()];
    // roxmltree's parser recurses per level of nesting: a hostile file of
    // thousands of nested elements would overflow the stack in it.
    if let Some(at) = too_deep_at(body) {
        let before = &text[..skipped.len() + at];
        let line = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        return Err(XmlError::Invalid {
            line,
            column: u32::try_from(column).unwrap_or(u32::MAX),
            reason: format!("elements nested more than {MAX_DEPTH} deep"),
        });
    }
    let doc = Document::parse(body).map_err(|e| not_well_formed(text, skipped, &e))?;
    let root = doc.root_element();
    let name = root.tag_name().name();
    let namespace = root.tag_name().namespace().unwrap_or_default();
    if !(namespace.is_empty() || namespace == NAMESPACE) || !MODELS.contains(&name) {
        return Err(XmlError::NotOscal {
            root: name.to_string(),
            namespace: namespace.to_string(),
        });
    }
    let conv = Converter {
        doc: &doc,
        skipped,
        namespace,
    };
    let value = Value::Object(conv.assembly(root, 0)?);
    let mut out = Map::new();
    out.insert(name.to_string(), value);
    Ok(Value::Object(out))
}

/// Where elements first nest deeper than [`MAX_DEPTH`] (a byte offset), by
/// a quick scan of the tags (comments, CDATA, processing instructions and
/// quoted attribute values skipped); what is not well-formed is left to the
/// parser.
fn too_deep_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let skip_to = |from: usize, end: &str| text[from..].find(end).map(|j| from + j + end.len());
    while let Some(j) = text[i..].find('<') {
        let at = i + j;
        let rest = &text[at..];
        i = if rest.starts_with("<!--") {
            skip_to(at, "-->")?
        } else if rest.starts_with("<![CDATA[") {
            skip_to(at, "]]>")?
        } else if rest.starts_with("<?") {
            skip_to(at, "?>")?
        } else if rest.starts_with("<!") || rest.starts_with("</") {
            depth = depth.saturating_sub(usize::from(rest.starts_with("</")));
            skip_to(at, ">")?
        } else {
            // A start tag: to its `>`, outside quoted values.
            let mut k = at + 1;
            let mut quote = None;
            while k < bytes.len() {
                match (quote, bytes[k]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[k]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                k += 1;
            }
            if k >= bytes.len() {
                return None;
            }
            if bytes[k - 1] != b'/' {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(at);
                }
            }
            k + 1
        };
    }
    None
}

/// A line and column in the whole text for a position in the parsed part
/// (after `skipped`, the leading whitespace).
fn shift(skipped: &str, row: u32, col: u32) -> (u32, u32) {
    let lines = skipped.matches('\n').count();
    let lines = u32::try_from(lines).unwrap_or(u32::MAX);
    if row == 1 {
        let tail = skipped.rsplit('\n').next().unwrap_or_default();
        let tail = u32::try_from(tail.chars().count()).unwrap_or(0);
        (1 + lines, col.saturating_add(tail))
    } else {
        (row.saturating_add(lines), col)
    }
}

fn not_well_formed(text: &str, skipped: &str, e: &roxmltree::Error) -> XmlError {
    let fault = crate::xml::fault(text, e);
    if fault.at_end {
        return XmlError::Invalid {
            line: fault.line,
            column: fault.column,
            reason: fault.reason(),
        };
    }
    let reason = if matches!(e, roxmltree::Error::DtdDetected) {
        format!(
            "{} (OSCAL files have no DTD; DTDs are not read)",
            fault.detail
        )
    } else {
        fault.reason()
    };
    let (line, column) = shift(skipped, fault.line, fault.column);
    XmlError::Invalid {
        line,
        column,
        reason,
    }
}

/// The JSON group name of an element that may repeat (so is always an
/// array), by its parent where that matters.
fn group_name(parent: &str, name: &str) -> Option<&'static str> {
    Some(match name {
        "control" => "controls",
        "group" => "groups",
        "part" => "parts",
        "param" => "params",
        "prop" => "props",
        "link" => "links",
        "role" => "roles",
        "party" => "parties",
        "location" => "locations",
        "location-uuid" => "location-uuids",
        "import" => "imports",
        "include-controls" => "include-controls",
        "exclude-controls" => "exclude-controls",
        "with-id" => "with-ids",
        "matching" => "matching",
        "set-parameter" => "set-parameters",
        "alter" => "alters",
        "add" => "adds",
        "remove" => "removes",
        "resource" => "resources",
        "value" => "values",
        "choice" => "choice",
        "guideline" => "guidelines",
        "constraint" => "constraints",
        "test" => "tests",
        "responsible-party" => "responsible-parties",
        "responsible-role" => "responsible-roles",
        "party-uuid" => "party-uuids",
        "revision" => "revisions",
        "document-id" => "document-ids",
        "rlink" => "rlinks",
        "hash" => "hashes",
        "addr-line" => "addr-lines",
        "email-address" => "email-addresses",
        "telephone-number" => "telephone-numbers",
        "member-of-organization" => "member-of-organizations",
        "insert-controls" => "insert-controls",
        "external-id" => "external-ids",
        "url" => "urls",
        "action" => "actions",
        "keyword" => "keywords",
        // A party may have several addresses; a location has one.
        "address" if parent == "party" => "addresses",
        // Component definitions and SSPs. An SSP has one
        // control-implementation; a component (or capability) several.
        "component" => "components",
        "control-implementation" if parent != "system-security-plan" => "control-implementations",
        "implemented-requirement" => "implemented-requirements",
        "statement" => "statements",
        "by-component" => "by-components",
        "capability" => "capabilities",
        "incorporates-component" => "incorporates-components",
        "protocol" => "protocols",
        "port-range" => "port-ranges",
        "user" => "users",
        "role-id" => "role-ids",
        "authorized-privilege" => "authorized-privileges",
        "function-performed" => "functions-performed",
        "inventory-item" => "inventory-items",
        "implemented-component" => "implemented-components",
        "leveraged-authorization" => "leveraged-authorizations",
        "information-type" => "information-types",
        "categorization" => "categorizations",
        "information-type-id" => "information-type-ids",
        "system-id" => "system-ids",
        "diagram" => "diagrams",
        "provided" => "provided",
        "responsibility" => "responsibilities",
        "inherited" => "inherited",
        "satisfied" => "satisfied",
        _ => return None,
    })
}

/// Elements that are always objects (assemblies), also when empty or when
/// they hold only prose: `<include-all/>` is `{}`, a `guideline` is
/// `{"prose": ...}`.
fn is_assembly(name: &str) -> bool {
    matches!(
        name,
        "catalog"
            | "profile"
            | "metadata"
            | "back-matter"
            | "group"
            | "control"
            | "param"
            | "part"
            | "guideline"
            | "select"
            | "constraint"
            | "test"
            | "prop"
            | "link"
            | "role"
            | "party"
            | "location"
            | "address"
            | "responsible-party"
            | "responsible-role"
            | "revision"
            | "resource"
            | "rlink"
            | "citation"
            | "import"
            | "include-all"
            | "include-controls"
            | "exclude-controls"
            | "matching"
            | "merge"
            | "combine"
            | "flat"
            | "custom"
            | "insert-controls"
            | "modify"
            | "set-parameter"
            | "alter"
            | "remove"
            | "add"
            | "action"
            | "component-definition"
            | "system-security-plan"
            | "component"
            | "control-implementation"
            | "implemented-requirement"
            | "statement"
            | "by-component"
            | "implementation-status"
            | "system-characteristics"
            | "system-implementation"
            | "inventory-item"
            | "user"
    )
}

/// The JSON key of a field's text when it also has attributes.
fn value_key(name: &str) -> &'static str {
    match name {
        "document-id" => "identifier",
        "telephone-number" => "number",
        "external-id" => "id",
        // hash, base64 and fields the mapping does not know.
        _ => "value",
    }
}

/// Inline markup (markup-line).
fn is_inline_name(name: &str) -> bool {
    matches!(
        name,
        "a" | "insert"
            | "br"
            | "code"
            | "em"
            | "i"
            | "b"
            | "strong"
            | "sub"
            | "sup"
            | "q"
            | "img"
            | "span"
    )
}

/// Block markup (markup-multiline).
fn is_block_name(name: &str) -> bool {
    matches!(
        name,
        "p" | "ul"
            | "ol"
            | "table"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "hr"
    )
}

struct Converter<'d, 'i> {
    doc: &'d Document<'i>,
    /// The leading whitespace before the parsed text (for positions).
    skipped: &'d str,
    /// The document's OSCAL namespace ("" when it has none).
    namespace: &'d str,
}

/// XML's whitespace: space, tab, carriage return, line feed (a no-break
/// space is text).
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Appends text with XML whitespace collapsed: a run of whitespace is one
/// space, none after a line break (a paragraph or field is trimmed at the
/// end, so a leading space only separates inline markup from what is
/// before it).
fn push_text(out: &mut String, text: &str) {
    // Bytes, not chars: XML whitespace is ASCII, so every cut is at a
    // character boundary (and a debug build reads it quicker).
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && !is_xml_space(bytes[i]) {
            i += 1;
        }
        out.push_str(&text[start..i]);
        if i < bytes.len() {
            while i < bytes.len() && is_xml_space(bytes[i]) {
                i += 1;
            }
            if !(out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        }
    }
}

/// Text without the spaces and line breaks [`push_text`] leaves at its
/// ends.
fn trim_xml(s: &str) -> &str {
    s.trim_matches([' ', '\n'])
}

/// Wraps inline Markdown in a mark (`_`, `**`), keeping the spaces at its
/// ends outside it (`_ x _` would not be emphasis).
fn push_marked(out: &mut String, inner: &str, open: &str, close: &str) {
    let trimmed = trim_xml(inner);
    if trimmed.is_empty() {
        push_text(out, inner);
        return;
    }
    if inner.starts_with(' ') {
        push_text(out, " ");
    }
    out.push_str(open);
    out.push_str(trimmed);
    out.push_str(close);
    if inner.ends_with(' ') {
        push_text(out, " ");
    }
}

impl<'d, 'i> Converter<'d, 'i> {
    fn too_deep(&self, node: Node<'_, '_>) -> XmlError {
        let pos = self.doc.text_pos_at(node.range().start);
        let (line, column) = shift(self.skipped, pos.row, pos.col);
        XmlError::Invalid {
            line,
            column,
            reason: format!("elements nested more than {MAX_DEPTH} deep"),
        }
    }

    /// Whether an element is in the document's namespace (markup is OSCAL's
    /// own, not XHTML).
    fn own(&self, node: Node<'_, '_>) -> bool {
        node.tag_name().namespace().unwrap_or_default() == self.namespace
    }

    fn is_block(&self, node: Node<'_, '_>) -> bool {
        node.is_element() && is_block_name(node.tag_name().name()) && self.own(node)
    }

    fn is_inline(&self, node: Node<'_, '_>) -> bool {
        node.is_element() && is_inline_name(node.tag_name().name()) && self.own(node)
    }

    fn is_markup(&self, node: Node<'_, '_>) -> bool {
        self.is_block(node) || self.is_inline(node)
    }

    /// One element as a JSON value: an object for an assembly or a field
    /// with attributes, a string (Markdown for markup) for a field.
    fn element(&self, node: Node<'_, '_>, depth: usize) -> Result<Value, XmlError> {
        let name = node.tag_name().name();
        if is_assembly(name)
            || node
                .children()
                .any(|c| c.is_element() && !self.is_markup(c))
        {
            return Ok(Value::Object(self.assembly(node, depth)?));
        }
        let content = self.markup(node, depth)?;
        if node.attributes().len() == 0 {
            if name == "as-is" {
                match content.as_str() {
                    "true" => return Ok(Value::Bool(true)),
                    "false" => return Ok(Value::Bool(false)),
                    _ => {}
                }
            }
            return Ok(Value::String(content));
        }
        let mut obj = Map::new();
        for a in node.attributes() {
            obj.insert(a.name().to_string(), Value::String(a.value().to_string()));
        }
        if !content.is_empty() {
            let key = value_key(name);
            let key = if obj.contains_key(key) { "text" } else { key };
            obj.insert(key.to_string(), Value::String(content));
        }
        Ok(Value::Object(obj))
    }

    /// An assembly: attributes, then children by their JSON names; block
    /// markup (and loose text) among them is its `prose`.
    fn assembly(&self, node: Node<'_, '_>, depth: usize) -> Result<Map<String, Value>, XmlError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        let name = node.tag_name().name();
        let mut obj = Map::new();
        for a in node.attributes() {
            obj.insert(a.name().to_string(), Value::String(a.value().to_string()));
        }
        let mut prose: Vec<String> = Vec::new();
        let mut loose = String::new();
        // Keys made arrays because an element the mapping does not know
        // repeated.
        let mut repeated: Vec<String> = Vec::new();
        for child in node.children() {
            if child.is_text() {
                push_text(&mut loose, child.text().unwrap_or_default());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            if self.is_inline(child) {
                self.inline(child, depth + 1, &mut loose)?;
                continue;
            }
            flush(&mut loose, &mut prose);
            if self.is_block(child) {
                let block = self.block(child, depth + 1)?;
                if !block.is_empty() {
                    prose.push(block);
                }
                continue;
            }
            let child_name = child.tag_name().name();
            let value = self.element(child, depth + 1)?;
            match group_name(name, child_name) {
                Some(group) => {
                    let list = obj.entry(group).or_insert_with(|| Value::Array(Vec::new()));
                    match list {
                        Value::Array(items) => items.push(value),
                        // An attribute of the same name came first: keep
                        // both.
                        other => *other = Value::Array(vec![other.take(), value]),
                    }
                }
                None => match obj.get_mut(child_name) {
                    None => {
                        obj.insert(child_name.to_string(), value);
                    }
                    Some(Value::Array(items)) if repeated.iter().any(|k| k == child_name) => {
                        items.push(value);
                    }
                    Some(other) => {
                        *other = Value::Array(vec![other.take(), value]);
                        repeated.push(child_name.to_string());
                    }
                },
            }
        }
        flush(&mut loose, &mut prose);
        if !prose.is_empty() {
            let text = prose.join("\n\n");
            // Before OSCAL 1.0 a prop's value and a link's text were the
            // element's text (`<prop name="x">value</prop>`).
            let legacy_key = match name {
                "prop" => Some("value"),
                "link" => Some("text"),
                _ => None,
            };
            if let Some(key) = legacy_key.filter(|k| !obj.contains_key(*k)) {
                obj.insert(key.into(), Value::String(text));
                return Ok(obj);
            }
            match obj.get_mut("prose") {
                Some(Value::String(s)) => {
                    s.push_str("\n\n");
                    s.push_str(&text);
                }
                _ => {
                    obj.insert("prose".into(), Value::String(text));
                }
            }
        }
        Ok(obj)
    }

    /// A field's content as Markdown: blocks separated by blank lines when
    /// it has block markup (markup-multiline), else one line.
    fn markup(&self, node: Node<'_, '_>, depth: usize) -> Result<String, XmlError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        if node.children().any(|c| self.is_block(c)) {
            Ok(self.blocks(node, depth)?.join("\n\n"))
        } else {
            let mut out = String::new();
            self.inline_children(node, depth, &mut out)?;
            Ok(trim_xml(&out).to_string())
        }
    }

    /// The blocks of a markup-multiline container; text and inline markup
    /// between blocks make a paragraph.
    fn blocks(&self, node: Node<'_, '_>, depth: usize) -> Result<Vec<String>, XmlError> {
        let mut out = Vec::new();
        let mut loose = String::new();
        for child in node.children() {
            if child.is_text() {
                push_text(&mut loose, child.text().unwrap_or_default());
            } else if self.is_block(child) {
                flush(&mut loose, &mut out);
                let block = self.block(child, depth + 1)?;
                if !block.is_empty() {
                    out.push(block);
                }
            } else if child.is_element() {
                // Inline markup, or an element markup does not have: its
                // text.
                self.inline(child, depth + 1, &mut loose)?;
            }
        }
        flush(&mut loose, &mut out);
        Ok(out)
    }

    fn inline_children(
        &self,
        node: Node<'_, '_>,
        depth: usize,
        out: &mut String,
    ) -> Result<(), XmlError> {
        for child in node.children() {
            if child.is_text() {
                push_text(out, child.text().unwrap_or_default());
            } else if child.is_element() {
                self.inline(child, depth + 1, out)?;
            }
        }
        Ok(())
    }

    /// One inline element as Markdown.
    fn inline(&self, node: Node<'_, '_>, depth: usize, out: &mut String) -> Result<(), XmlError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        let inner = || -> Result<String, XmlError> {
            let mut s = String::new();
            self.inline_children(node, depth, &mut s)?;
            Ok(s)
        };
        let name = if self.own(node) {
            node.tag_name().name()
        } else {
            ""
        };
        match name {
            "em" | "i" => {
                let s = inner()?;
                push_marked(out, &s, "_", "_");
            }
            "strong" | "b" => {
                let s = inner()?;
                push_marked(out, &s, "**", "**");
            }
            "code" => {
                let s = inner()?;
                let tick = if s.contains('`') { "``" } else { "`" };
                let (open, close) = if tick.len() == 2 {
                    ("`` ", " ``")
                } else {
                    ("`", "`")
                };
                push_marked(out, &s, open, close);
            }
            "q" => {
                let s = inner()?;
                push_marked(out, &s, "\"", "\"");
            }
            "sub" => {
                let s = inner()?;
                push_marked(out, &s, "~", "~");
            }
            "sup" => {
                let s = inner()?;
                push_marked(out, &s, "^", "^");
            }
            "a" => {
                let s = inner()?;
                match node.attribute("href") {
                    Some(href) => {
                        let text = trim_xml(&s);
                        let text = if text.is_empty() { href } else { text };
                        if s.starts_with(' ') {
                            push_text(out, " ");
                        }
                        out.push_str(&format!("[{text}]({href})"));
                        if s.ends_with(' ') && !trim_xml(&s).is_empty() {
                            push_text(out, " ");
                        }
                    }
                    None => push_text(out, &s),
                }
            }
            "insert" => {
                // (Before OSCAL 1.0 an insert named its parameter with
                // `param-id`, as rev4-era catalogs still do.)
                let kind = node.attribute("type").unwrap_or("param");
                let id = node
                    .attribute("id-ref")
                    .or_else(|| node.attribute("param-id"))
                    .unwrap_or_default();
                out.push_str(&format!("{{{{ insert: {kind}, {id} }}}}"));
            }
            "img" => {
                let alt = node.attribute("alt").unwrap_or_default();
                let src = node.attribute("src").unwrap_or_default();
                out.push_str(&format!("![{alt}]({src})"));
            }
            "br" => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push('\n');
            }
            // `span` and anything else: its text.
            _ => self.inline_children(node, depth, out)?,
        }
        Ok(())
    }

    /// One block element as Markdown (no blank lines around it).
    fn block(&self, node: Node<'_, '_>, depth: usize) -> Result<String, XmlError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        let name = node.tag_name().name();
        Ok(match name {
            "p" => self.markup(node, depth)?,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<usize>().unwrap_or(1);
                let text = self.markup(node, depth)?.replace('\n', " ");
                format!("{} {text}", "#".repeat(level))
            }
            "ul" | "ol" => self.list(node, name == "ol", depth)?,
            "pre" => {
                let raw: String = node
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect();
                format!("```\n{}\n```", raw.trim_matches('\n'))
            }
            "blockquote" => self
                .blocks(node, depth)?
                .join("\n\n")
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            "table" => self.table(node, depth)?,
            "hr" => "---".to_string(),
            _ => self.markup(node, depth)?,
        })
    }

    /// A list, one item a line (`- ` or `1. `); what an item holds beyond
    /// its first line (a nested list) is indented under its text.
    fn list(&self, node: Node<'_, '_>, ordered: bool, depth: usize) -> Result<String, XmlError> {
        let mut lines: Vec<String> = Vec::new();
        let start: u64 = node
            .attribute("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        for (i, item) in node.children().filter(Node::is_element).enumerate() {
            let marker = if ordered {
                let n = start.saturating_add(u64::try_from(i).unwrap_or(u64::MAX));
                format!("{n}. ")
            } else {
                "- ".to_string()
            };
            let pad = " ".repeat(marker.len());
            let parts = if self.own(item) && item.tag_name().name() == "li" {
                self.blocks(item, depth + 1)?
            } else {
                // Not an item: its content as one.
                vec![self.block(item, depth + 1)?]
            };
            let mut first = true;
            for part in &parts {
                for line in part.lines() {
                    if first {
                        lines.push(format!("{marker}{line}"));
                        first = false;
                    } else if line.is_empty() {
                        lines.push(String::new());
                    } else {
                        lines.push(format!("{pad}{line}"));
                    }
                }
            }
            if first {
                lines.push(marker.trim_end().to_string());
            }
        }
        Ok(lines.join("\n"))
    }

    /// A table as a Markdown pipe table (its first row the header).
    fn table(&self, node: Node<'_, '_>, depth: usize) -> Result<String, XmlError> {
        let rows: Vec<Node<'_, '_>> = node
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "tr")
            .collect();
        let mut lines = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let mut cells = Vec::new();
            for cell in row.children().filter(Node::is_element) {
                let text = self
                    .markup(cell, depth + 1)?
                    .replace('\n', " ")
                    .replace('|', "\\|");
                cells.push(text);
            }
            lines.push(format!("| {} |", cells.join(" | ")));
            if i == 0 {
                lines.push(format!("|{}", " --- |".repeat(cells.len().max(1))));
            }
        }
        Ok(lines.join("\n"))
    }
}

/// Ends a paragraph of loose text and inline markup.
fn flush(loose: &mut String, out: &mut Vec<String>) {
    let para = trim_xml(loose);
    if !para.is_empty() {
        out.push(para.to_string());
    }
    loose.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(xml: &str) -> Value {
        to_json(xml).expect("converts")
    }

    #[test]
    fn flags_groups_and_fields_map_as_oscal_json() {
        let v = json(
            r#"<?xml version="1.0"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="u-1">
  <metadata>
    <title>A <em>small</em> catalog</title>
    <version>1.0</version>
    <document-id scheme="https://example.test/ids">DOC-1</document-id>
    <role id="author"><title>Author</title></role>
  </metadata>
  <group id="ac" class="family">
    <title>Access</title>
    <control id="ac-1">
      <title>Policy</title>
      <param id="ac-1_prm_1">
        <label>frequency</label>
        <guideline><p>How often.</p></guideline>
        <select how-many="one-or-more"><choice>yearly</choice><choice>after <insert type="param" id-ref="x"/></choice></select>
      </param>
      <prop name="status" value="withdrawn"><remarks><p>Gone.</p></remarks></prop>
    </control>
  </group>
  <back-matter>
    <resource uuid="r-1">
      <rlink href="cat.xml"><hash algorithm="SHA-256">abc</hash></rlink>
    </resource>
  </back-matter>
</catalog>"#,
        );
        let cat = &v["catalog"];
        assert_eq!(cat["uuid"], "u-1");
        assert_eq!(cat["metadata"]["title"], "A _small_ catalog");
        assert_eq!(cat["metadata"]["version"], "1.0");
        assert_eq!(
            cat["metadata"]["document-ids"][0],
            serde_json::json!({"scheme": "https://example.test/ids", "identifier": "DOC-1"})
        );
        assert_eq!(cat["metadata"]["roles"][0]["title"], "Author");
        let c = &cat["groups"][0]["controls"][0];
        assert_eq!(cat["groups"][0]["class"], "family");
        assert_eq!(c["id"], "ac-1");
        let p = &c["params"][0];
        assert_eq!(p["label"], "frequency");
        assert_eq!(
            p["guidelines"][0],
            serde_json::json!({"prose": "How often."})
        );
        assert_eq!(
            p["select"],
            serde_json::json!({"how-many": "one-or-more", "choice": ["yearly", "after {{ insert: param, x }}"]})
        );
        assert_eq!(
            c["props"][0],
            serde_json::json!({"name": "status", "value": "withdrawn", "remarks": "Gone."})
        );
        assert_eq!(
            cat["back-matter"]["resources"][0]["rlinks"][0]["hashes"][0],
            serde_json::json!({"algorithm": "SHA-256", "value": "abc"})
        );
    }

    #[test]
    fn prose_becomes_markdown_with_lists_and_inline_marks() {
        let v = json(
            r##"<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"><control id="c"><title>T</title>
  <part name="statement" id="c_smt">
    <p>Do
       <strong>this</strong> and <code>that</code>, see <a href="#ac-2">AC-2</a>
       and <q>none.</q></p>
    <ol>
      <li>first <ul>
          <li>inner <i>one</i></li>
        </ul>
      </li>
      <li>second</li>
    </ol>
    <h2>Note</h2>
    <table><tr><th>a</th><th>b</th></tr><tr><td>1|2</td><td>3</td></tr></table>
    <pre>  keep
    this</pre>
  </part>
</control></catalog>"##,
        );
        assert_eq!(
            v["catalog"]["controls"][0]["parts"][0]["prose"],
            "Do **this** and `that`, see [AC-2](#ac-2) and \"none.\"\n\n\
             1. first\n   - inner _one_\n2. second\n\n\
             ## Note\n\n\
             | a | b |\n| --- | --- |\n| 1\\|2 | 3 |\n\n\
             ```\n  keep\n    this\n```"
        );
    }

    #[test]
    fn profiles_map_their_selections_and_settings() {
        let v = json(
            r##"<profile xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="p">
  <metadata><title>P</title></metadata>
  <import href="cat.xml">
    <include-controls with-child-controls="yes"><with-id>ac-1</with-id><matching pattern="au-*"/></include-controls>
    <exclude-controls><with-id>ac-1.1</with-id></exclude-controls>
  </import>
  <import href="other.xml"><include-all/></import>
  <merge><as-is>true</as-is></merge>
  <modify>
    <set-parameter param-id="ac-1_prm_1"><value>annually</value></set-parameter>
    <alter control-id="ac-1">
      <remove by-id="ac-1_smt.b"/>
      <add position="ending"><part name="item" id="x"><p>Added.</p></part></add>
    </alter>
  </modify>
</profile>"##,
        );
        let p = &v["profile"];
        assert_eq!(
            p["imports"][0]["include-controls"][0],
            serde_json::json!({"with-child-controls": "yes", "with-ids": ["ac-1"], "matching": [{"pattern": "au-*"}]})
        );
        assert_eq!(
            p["imports"][0]["exclude-controls"][0]["with-ids"][0],
            "ac-1.1"
        );
        assert_eq!(p["imports"][1]["include-all"], serde_json::json!({}));
        assert_eq!(p["merge"]["as-is"], true);
        assert_eq!(
            p["modify"]["set-parameters"][0],
            serde_json::json!({"param-id": "ac-1_prm_1", "values": ["annually"]})
        );
        assert_eq!(
            p["modify"]["alters"][0]["removes"][0]["by-id"],
            "ac-1_smt.b"
        );
        assert_eq!(
            p["modify"]["alters"][0]["adds"][0]["parts"][0]["prose"],
            "Added."
        );
    }

    #[test]
    fn unknown_elements_are_kept_and_repeats_become_arrays() {
        let v = json(
            r#"<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" xmlns:x="urn:x">
  <x:ext a="1">one</x:ext><thing>a</thing><thing>b</thing><thing>c</thing>
  <box k="v"><inner>t</inner></box>
</catalog>"#,
        );
        let c = &v["catalog"];
        assert_eq!(c["ext"], serde_json::json!({"a": "1", "value": "one"}));
        assert_eq!(c["thing"], serde_json::json!(["a", "b", "c"]));
        assert_eq!(c["box"], serde_json::json!({"k": "v", "inner": "t"}));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let err = to_json("\n\n<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n  <title>x</titel>\n</catalog>")
            .expect_err("malformed");
        match &err {
            XmlError::Invalid { line, column, .. } => assert_eq!((*line, *column), (4, 11)),
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with("line 4, column 11: not well-formed XML"),
            "{err}"
        );
        let err = to_json("<catalog><a>").expect_err("cut short");
        assert!(err.to_string().contains("ends before"), "{err}");
        assert_eq!(
            to_json("<html/>"),
            Err(XmlError::NotOscal {
                root: "html".into(),
                namespace: String::new()
            })
        );
        let deep = format!(
            "<catalog>{}{}</catalog>",
            "<g>".repeat(5000),
            "</g>".repeat(5000)
        );
        let err = to_json(&deep).expect_err("too deep");
        assert_eq!(
            err.to_string(),
            "line 1, column 391: elements nested more than 128 deep"
        );
        // As deep as allowed converts.
        let deep = format!(
            "<catalog>{}{}</catalog>",
            "<g><x>1</x>".repeat(126),
            "</g>".repeat(126)
        );
        assert!(to_json(&deep).is_ok());
        let dtd = "<?xml version=\"1.0\"?><!DOCTYPE catalog [<!ENTITY a \"b\">]><catalog/>";
        assert!(to_json(dtd).expect_err("dtd").to_string().contains("DTD"));
    }
}
