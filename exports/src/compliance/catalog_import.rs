//! Catalogs in: OSCAL catalogs (also what `trestle author profile-resolve`
//! writes for a resolved profile, and FedRAMP's resolved-profile catalogs)
//! and OSCAL profiles (resolved against the catalog found beside them, else
//! control ids only), each in JSON, YAML or XML (XML is mapped to the JSON
//! shape by [`super::oscal_xml`]), and CSV with `id` and `title` columns
//! (`group`, `description` optional; `control_id`/`control id`/`name`
//! accepted too).

use std::collections::HashMap;

use plasma_models::compliance::{Control, Framework};
use plasma_models::slug::slugify;
use serde_json::Value;
use thiserror::Error;

use super::oscal_xml::{self, XmlError};

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CatalogImportError {
    #[error("{file}: not JSON: {reason}")]
    Json { file: String, reason: String },
    #[error("{file}: {reason}")]
    Unsupported { file: String, reason: String },
    #[error("{file}, {at}: {reason}")]
    Invalid {
        file: String,
        at: String,
        reason: String,
    },
}

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    OscalCatalog,
    OscalProfile,
    Csv,
}

impl CatalogFormat {
    pub fn label(self) -> &'static str {
        match self {
            CatalogFormat::OscalCatalog => "oscal-catalog",
            CatalogFormat::OscalProfile => "oscal-profile",
            CatalogFormat::Csv => "csv",
        }
    }
}

fn framework_id(title: &str) -> String {
    // `slugify` stops at 60 characters, maybe inside a word: take whole
    // words while they fit ("...-moderate-impact", not "...-impact-b").
    let full = slugify(title);
    let mut id = String::new();
    let mut prefix = String::new();
    for word in title.split_whitespace().take(64) {
        prefix.push_str(word);
        prefix.push(' ');
        let slug = slugify(&prefix);
        if slug.len() >= 60 {
            break;
        }
        id = slug;
    }
    if id.len() < 16 {
        id = full;
    }
    id
}

/// The framework id a catalog's title gave before publications got short
/// ids: an earlier import under it is updated in place, not doubled.
pub fn title_framework_id(title: &str) -> String {
    framework_id(title)
}

/// A short id for a publication the metadata names, as people write it
/// (`sp800-171r3`, `sp800-53r5-low`, `csf-2`): NIST's CPRT
/// `framework-identifier` and `framework-version-identifier` properties
/// (`SP_800_171`, `SP_800_171_3_0_0`), else a DOI among the
/// `document-ids` (`10.6028/NIST.SP.800-53r5`), else "SP 800-53 Rev 5" or
/// "Special Publication 800-53 Revision 5" in the title; a NIST baseline
/// profile's impact level follows.
fn publication_id(metadata: &Value, title: &str) -> Option<String> {
    let prop = |name: &str| {
        metadata["props"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name)
            .map(|p| text(&p["value"]))
    };
    if let (Some(family), Some(version)) = (
        prop("framework-identifier"),
        prop("framework-version-identifier"),
    ) {
        let numbers: Vec<&str> = version
            .strip_prefix(&format!("{family}_"))
            .unwrap_or_default()
            .split('_')
            .collect();
        let major = numbers.first().copied().unwrap_or_default();
        if !family.is_empty()
            && !major.is_empty()
            && numbers
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            let family = family.to_ascii_lowercase().replace('_', "-");
            let id = match family.strip_prefix("sp-") {
                Some(number) => format!("sp{number}r{major}"),
                None => format!("{family}-{major}"),
            };
            return Some(slugify(&id).replace("sp-", "sp"));
        }
    }
    let doi = metadata["document-ids"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|d| sp_number(&text(&d["identifier"])));
    let (number, revision) = doi.or_else(|| sp_number(title))?;
    let lower = title.to_ascii_lowercase();
    let baseline = ["low", "moderate", "high", "privacy"]
        .into_iter()
        .find(|level| {
            lower.contains("baseline")
                && lower
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == *level)
        });
    let mut id = format!("sp800-{number}");
    if let Some(r) = revision {
        id.push_str(&format!("r{r}"));
    }
    if let Some(level) = baseline {
        id.push_str(&format!("-{level}"));
    }
    Some(id)
}

/// The number and revision of the first NIST SP 800 publication a text
/// names: ("53", Some("5")) for "SP 800-53 Rev 5.1.1", "Special Publication
/// 800-53 Revision 5", "NIST.SP.800-53r5" or "SP-800-53".
fn sp_number(text: &str) -> Option<(String, Option<String>)> {
    let lower = text
        .to_ascii_lowercase()
        .replace("special publication", "sp");
    let rest = lower.match_indices("sp").find_map(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + 2..].trim_start_matches([' ', '-', '.', '_']);
        (!before.is_some_and(|c| c.is_ascii_alphanumeric()))
            .then(|| after.strip_prefix("800-"))
            .flatten()
    })?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let mut number = rest[..digits].to_string();
    let mut after = &rest[digits..];
    // A part letter (800-53A, 800-53B), unless it starts the revision ("r5").
    if let Some(c) = after.chars().next().filter(|c| c.is_ascii_alphabetic()) {
        let next = after[1..].chars().next();
        if c != 'r' && !next.is_some_and(|n| n.is_ascii_alphanumeric()) {
            number.push(c);
            after = &after[1..];
        }
    }
    let after = after.trim_start_matches([' ', ',', ':', '-', '_']);
    let revision = ["revision", "rev.", "rev", "r"]
        .into_iter()
        .find_map(|word| {
            let n = after.strip_prefix(word)?.trim_start_matches([' ', '.']);
            let digits = n.len() - n.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (digits > 0).then(|| n[..digits].to_string())
        });
    Some((number, revision))
}

/// A scalar as trimmed text (YAML gives `version: 1.0` as a number).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// One control of a catalog as read, in document order (enhancements after
/// their base control).
struct Entry<'a> {
    id: String,
    title: String,
    group: String,
    /// `props: [{name: status, value: withdrawn}]` (SP 800-53 keeps withdrawn
    /// controls with a link to where they went).
    withdrawn: bool,
    node: &'a Value,
}

/// Parameters by id, for `{{ insert: param, id }}`, with what a profile
/// sets (`modify.set-parameters`) or an SSP or component definition sets
/// (`set-parameters`) laid over them.
#[derive(Default)]
pub(super) struct Params<'a> {
    defs: HashMap<String, &'a Value>,
    set: HashMap<String, &'a Value>,
}

/// How deep parameters may refer to parameters (a choice naming another
/// parameter); deeper, or in a loop, a parameter is shown by its label.
const PARAM_DEPTH: usize = 4;

impl<'a> Params<'a> {
    fn define(&mut self, params: &'a Value) {
        for p in params.as_array().into_iter().flatten() {
            let id = text(&p["id"]);
            if !id.is_empty() {
                self.defs.entry(id).or_insert(p);
            }
        }
    }

    /// Lays a list of `set-parameters` (`param-id`, `values`) over the
    /// parameters; a parameter keeps the first setting it is given.
    pub(super) fn set_from(&mut self, set_parameters: &'a Value) {
        for s in set_parameters.as_array().into_iter().flatten() {
            let id = text(&s["param-id"]);
            if !id.is_empty() {
                self.set.entry(id).or_insert(s);
            }
        }
    }

    /// Prose with each `{{ insert: param, id }}` replaced by the value set,
    /// else the parameter's label as `[Assignment: ...]`.
    pub(super) fn fill(&self, prose: &str) -> String {
        self.substitute(prose, 0)
    }

    /// A field of the parameter: the profile's setting first, else the
    /// catalog's.
    fn field(&self, id: &str, key: &str) -> Option<&'a Value> {
        [self.set.get(id), self.defs.get(id)]
            .into_iter()
            .flatten()
            .map(|p| &p[key])
            .find(|v| match v {
                Value::Null => false,
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            })
    }

    /// A parameter as the text of a statement: its value when one is set,
    /// else `[Selection: a; b]` or `[Assignment: organization-defined label]`
    /// as SP 800-53 prints them.
    fn render(&self, id: &str, depth: usize) -> String {
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|x| self.substitute(&text(x), depth + 1))
                .filter(|x| !x.is_empty())
                .collect()
        };
        let values = strings(self.field(id, "values"));
        if !values.is_empty() {
            return values.join(", ");
        }
        let label = self.field(id, "label").map_or_else(String::new, text);
        let select = self.field(id, "select");
        if let Some(select) = select.filter(|_| depth < PARAM_DEPTH) {
            let choices = strings(Some(&select["choice"]));
            let how = match text(&select["how-many"]).as_str() {
                "one-or-more" => "Selection (one or more)",
                _ => "Selection",
            };
            return format!("[{how}: {}]", choices.join("; "));
        }
        let what = match label.as_str() {
            "" => id.to_string(),
            l if l.starts_with("organization-defined") || select.is_some() => l.to_string(),
            l => format!("organization-defined {l}"),
        };
        let constraints: Vec<String> = self
            .field(id, "constraints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| text(&c["description"]))
            .filter(|c| !c.is_empty())
            .collect();
        if constraints.is_empty() {
            format!("[Assignment: {what}]")
        } else {
            format!("[Assignment: {what}; {}]", constraints.join("; "))
        }
    }

    /// Prose with each `{{ insert: param, id }}` replaced.
    fn substitute(&self, prose: &str, depth: usize) -> String {
        let mut out = String::with_capacity(prose.len());
        let mut rest = prose;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let inner = rest[start + 2..start + len].trim();
            let param = inner
                .strip_prefix("insert:")
                .and_then(|i| i.split_once(','))
                .filter(|(kind, _)| kind.trim() == "param")
                .map(|(_, id)| id.trim());
            out.push_str(&rest[..start]);
            match param {
                Some(id) if depth <= PARAM_DEPTH => out.push_str(&self.render(id, depth)),
                Some(id) => {
                    let label = self.field(id, "label").map_or_else(|| id.to_string(), text);
                    out.push_str(&format!("[Assignment: {label}]"));
                }
                None => out.push_str(&rest[start..start + len + 2]),
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// Whether a line of Markdown prose starts a list item or a table row.
fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &t[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")))
        || ["- ", "* ", "+ ", "|"].iter().any(|m| t.starts_with(m))
}

/// Markdown links to places inside the catalog (`[AU-2a](#au-2_smt.a)`,
/// as SP 800-53 cross-references items) as their text: the anchor means
/// nothing outside the catalog. Other links stay.
fn local_links_as_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](#").and_then(|close| {
            let text = &after[..close];
            let target = &after[close + 3..];
            let end = target.find(')')?;
            let plain = !text.contains(['[', ']']) && !target[..end].contains(char::is_whitespace);
            plain.then_some((text, close + 3 + end + 1))
        });
        match link {
            Some((text, len)) => {
                out.push_str(&rest[..open]);
                out.push_str(text);
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Paragraphs of prose, each on one line (YAML and pretty-printed XML
/// conversions wrap lines); list items and table rows each on their own
/// line, nested items indented; fenced code blocks (a benchmark's audit
/// rule or command, as the CIS-derived GSA Docker benchmark catalog has
/// them) line for line, fences included.
fn push_prose(out: &mut Vec<String>, indent: usize, label: &str, prose: &str) {
    let pad = "  ".repeat(indent);
    let mut first = true;
    let lead = |first: &mut bool| {
        let lead = if *first && !label.is_empty() {
            format!("{label} ")
        } else {
            String::new()
        };
        *first = false;
        lead
    };
    let mut text = String::new();
    let mut fence: Option<(&str, Vec<&str>)> = None;
    let flush_code = |block: Vec<&str>, first: &mut bool, out: &mut Vec<String>| {
        let lead = lead(first);
        if !lead.is_empty() {
            out.push(format!("{pad}{}", lead.trim_end()));
        }
        out.extend(block.iter().map(|l| format!("{pad}{}", l.trim_end())));
    };
    for raw in prose.lines() {
        let t = raw.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (&mut fence, marker) {
            (Some((open, block)), _) => {
                block.push(raw);
                if marker == Some(*open) {
                    let (_, block) = fence.take().unwrap_or_default();
                    flush_code(block, &mut first, out);
                }
            }
            (None, Some(m)) => {
                paragraphs(out, &pad, &text, &mut first, &lead);
                text.clear();
                fence = Some((m, vec![raw]));
            }
            (None, None) => {
                text.push_str(raw);
                text.push('\n');
            }
        }
    }
    if let Some((_, block)) = fence {
        flush_code(block, &mut first, out);
    }
    paragraphs(out, &pad, &text, &mut first, &lead);
    if first && !label.is_empty() {
        out.push(format!("{pad}{label}"));
    }
}

/// The paragraphs of prose outside code blocks, for [`push_prose`].
fn paragraphs(
    out: &mut Vec<String>,
    pad: &str,
    prose: &str,
    first: &mut bool,
    lead: &dyn Fn(&mut bool) -> String,
) {
    for para in prose.split("\n\n") {
        // (extra indentation, words) of each output line.
        let mut lines: Vec<(usize, String)> = Vec::new();
        for raw in para.lines() {
            let words = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if words.is_empty() {
                continue;
            }
            match lines.last_mut() {
                Some((_, line)) if !starts_item(raw) => {
                    line.push(' ');
                    line.push_str(&words);
                }
                _ => {
                    let extra = if starts_item(raw) {
                        raw.len() - raw.trim_start().len()
                    } else {
                        0
                    };
                    lines.push((extra, words));
                }
            }
        }
        for (extra, line) in lines {
            let lead = lead(first);
            let line = if line.contains("](#") {
                local_links_as_text(&line)
            } else {
                line
            };
            out.push(format!("{pad}{}{lead}{line}", " ".repeat(extra)));
        }
    }
}

fn label_of(node: &Value) -> String {
    node["props"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "label" && p.get("class").is_none())
        .or_else(|| {
            node["props"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == "label")
        })
        .map_or_else(String::new, |p| text(&p["value"]))
}

/// The statement of a control and its lettered items, one line each, items
/// indented by depth, with parameters filled in. `within` a statement (or
/// beside one) its other parts (CPS 234's footnotes and objective, a note
/// under an item, CSF 2.0's examples) are kept in order under their label,
/// title or name, commentary aside.
fn statement(
    parts: &Value,
    indent: usize,
    params: &Params<'_>,
    within: bool,
    out: &mut Vec<String>,
) {
    for p in parts.as_array().into_iter().flatten() {
        let prose = params.fill(&text(&p["prose"]));
        match p["name"].as_str().unwrap_or_default() {
            "statement" => statement_part(p, indent, params, out),
            "item" => {
                // A titled item (FedRAMP's added requirements) heads its
                // own items with the title; a title over nothing (only
                // guidance under it) is left out.
                let title = crate::md::inline_plain(&text(&p["title"]));
                if !title.is_empty() {
                    let mut under = Vec::new();
                    push_prose(&mut under, indent + 1, "", &prose);
                    statement(&p["parts"], indent + 1, params, within, &mut under);
                    if !under.is_empty() {
                        push_prose(out, indent, &label_of(p), &title);
                        out.extend(under);
                    }
                } else {
                    push_prose(out, indent, &label_of(p), &prose);
                    statement(&p["parts"], indent + 1, params, within, out);
                }
            }
            name if within && is_beside_statement(p) => {
                let label = [label_of(p), crate::md::inline_plain(&text(&p["title"]))]
                    .into_iter()
                    .find(|l| !l.is_empty())
                    .unwrap_or_else(|| part_name_as_label(name));
                push_prose(out, indent, &label, &prose);
                statement(&p["parts"], indent + 1, params, within, out);
            }
            _ => {}
        }
    }
}

/// A `statement` part: its prose, then its items and notes.
fn statement_part(part: &Value, indent: usize, params: &Params<'_>, out: &mut Vec<String>) {
    push_prose(out, indent, "", &params.fill(&text(&part["prose"])));
    statement(&part["parts"], indent, params, true, out);
}

/// The text of a control's statement parts alone (a title is taken from
/// it rather than from an example written before it), else its whole text.
fn title_source(node: &Value, params: &Params<'_>, text_lines: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for p in node["parts"].as_array().into_iter().flatten() {
        if p["name"] == "statement" {
            statement_part(p, 0, params, &mut lines);
        }
    }
    if lines.iter().all(|l| l.trim().is_empty()) {
        return text_lines.to_vec();
    }
    lines
}

/// "Footnote:" for a part named `footnote` (`implementation-note`:
/// "Implementation note:").
fn part_name_as_label(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => format!("{}{}:", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What a back-matter resource is called where a control cites it: its
/// title, else its citation, else its first link.
fn cited_resources(root: &Value) -> HashMap<String, String> {
    root["back-matter"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let name = [&r["title"], &r["citation"]["text"], &r["rlinks"][0]["href"]]
                .into_iter()
                .map(|v| crate::md::inline_plain(&text(v)))
                .find(|t| !t.is_empty())?;
            Some((text(&r["uuid"]), name))
        })
        .collect()
}

/// "References: ..." for a control's `reference` links (SP 800-171r3 cites
/// SP 800-53 controls and publications so), each by what it cites; a link
/// to no resource of the back-matter by its href.
fn reference_line(node: &Value, resources: &HashMap<String, String>) -> Option<String> {
    let mut cited: Vec<&str> = Vec::new();
    for link in node["links"].as_array().into_iter().flatten() {
        if link["rel"] != "reference" {
            continue;
        }
        let href = link["href"].as_str().unwrap_or_default().trim();
        let name = href
            .strip_prefix('#')
            .and_then(|uuid| resources.get(uuid))
            .map_or(href, String::as_str);
        if !name.is_empty() && !cited.contains(&name) {
            cited.push(name);
        }
    }
    (!cited.is_empty()).then(|| format!("References: {}", cited.join("; ")))
}

/// Parts that are not the requirement itself.
fn is_commentary(name: &str) -> bool {
    name == "guidance" || name.starts_with("assessment") || name.starts_with("assess")
}

/// A part kept beside a control's statement: anything but commentary and
/// an assessment objective tree (SP 800-53 rev4 names its determination
/// statements `objective` and nests them), so CSF 2.0's implementation
/// examples and CPS 234's control objective stay.
fn is_beside_statement(part: &Value) -> bool {
    let name = part["name"].as_str().unwrap_or_default();
    let nests_objectives = || {
        part["parts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "objective")
    };
    !(is_commentary(name) || (name == "objective" && nests_objectives()))
}

/// A control's text: its statement and the parts beside it, or (catalogs
/// without one) the prose of
/// its other parts except guidance and assessment material, or (a control
/// whose only text is guidance, as APRA's CPG 234 practices are in the
/// CPS 234 catalog) its guidance.
fn description(node: &Value, params: &Params<'_>) -> Vec<String> {
    fn any(
        parts: &Value,
        indent: usize,
        params: &Params<'_>,
        take: &dyn Fn(&str) -> bool,
        out: &mut Vec<String>,
    ) {
        for p in parts.as_array().into_iter().flatten() {
            if !take(p["name"].as_str().unwrap_or_default()) {
                continue;
            }
            let prose = params.fill(&text(&p["prose"]));
            push_prose(out, indent, &label_of(p), &prose);
            any(&p["parts"], indent + 1, params, take, out);
        }
    }
    let mut lines = Vec::new();
    let has_statement = node["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["name"] == "statement");
    statement(&node["parts"], 0, params, has_statement, &mut lines);
    if lines.is_empty() {
        any(
            &node["parts"],
            0,
            params,
            &|n| !is_commentary(n),
            &mut lines,
        );
    }
    if lines.is_empty() {
        any(&node["parts"], 0, params, &|n| n == "guidance", &mut lines);
    }
    lines
}

/// Letters and digits only, lower-cased: "GV.OC-01" and "gv oc 01" match.
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Longest a title taken from a control's text gets when it is cut; a
/// sentence up to [`TITLE_WHOLE`] stays whole (a cut saving a word or two
/// loses more than it saves).
const TITLE_FROM_TEXT: usize = 80;
const TITLE_WHOLE: usize = 90;

/// A readable title for a control titled only with its own id or label
/// (NIST CSF 2.0's catalog titles each subcategory "GV.OC-01"), or not at
/// all: the first
/// sentence of its text, cut at a word with an ellipsis when long. `None`
/// when the title is a real name or there is no text to take one from.
fn title_from_text(e: &Entry<'_>, text_lines: impl FnOnce() -> Vec<String>) -> Option<String> {
    let title = bare(&e.title);
    if !title.is_empty() && title != bare(&e.id) && title != bare(&label_of(e.node)) {
        return None;
    }
    let text_lines = text_lines();
    let line = text_lines
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())?;
    let words = line.split_whitespace().collect::<Vec<_>>();
    // A sentence ends at ".", "!" or "?" before a capital ("e.g., the" does not).
    let end = words
        .iter()
        .enumerate()
        .position(|(i, w)| {
            w.ends_with(['.', '!', '?'])
                && words
                    .get(i + 1)
                    .is_some_and(|n| n.starts_with(|c: char| c.is_uppercase()))
        })
        .map_or(words.len(), |i| i + 1);
    let sentence = words[..end].join(" ");
    let sentence = sentence.strip_suffix('.').unwrap_or(&sentence);
    if sentence.chars().count() <= TITLE_WHOLE {
        return Some(sentence.to_string());
    }
    let mut cut = String::new();
    for w in sentence.split(' ') {
        if cut.chars().count() + 1 + w.chars().count() > TITLE_FROM_TEXT - 1 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(w);
    }
    if cut.is_empty() {
        // One word longer than a title: cut inside it.
        cut = sentence.chars().take(TITLE_FROM_TEXT - 1).collect();
    }
    let cut = cut.trim_end_matches([',', ';', ':', '-', ' ']);
    Some(format!("{cut}…"))
}

/// compliance-trestle's stand-in for a title nobody wrote (ComplianceAsCode's
/// HIPAA catalog titles its groups and intermediate paragraphs so).
fn is_placeholder(title: &str) -> bool {
    title.trim().eq_ignore_ascii_case("REPLACE_ME")
}

/// Ids of groups and controls whose title was a placeholder, for the notice.
#[derive(Default)]
struct Placeholders {
    groups: Vec<String>,
    controls: Vec<String>,
    /// Groups named by their section control (see [`section_title`]).
    sections: Vec<String>,
}

impl Placeholders {
    fn notice(&self) -> String {
        let list = |ids: &[String]| id_list(&ids.iter().map(String::as_str).collect::<Vec<_>>());
        let mut said = Vec::new();
        if !self.groups.is_empty() {
            said.push(format!("groups shown by their id: {}", list(&self.groups)));
        }
        if !self.controls.is_empty() {
            said.push(format!(
                "controls titled from their text, else their id: {}",
                list(&self.controls)
            ));
        }
        let mut notice = if said.is_empty() {
            String::new()
        } else {
            format!(
                "Placeholder titles (REPLACE_ME) not shown: {}.",
                said.join("; ")
            )
        };
        if !self.sections.is_empty() {
            if !notice.is_empty() {
                notice.push(' ');
            }
            notice.push_str(&format!(
                "Groups titled only with their id are named by the control that has their id: {}.",
                list(&self.sections)
            ));
        }
        notice
    }
}

/// The real name of a group titled only as a stand-in ("REPLACE_ME", or
/// ComplianceAsCode's generated "Controls for section cis_ocp_190_4") when
/// it holds a control with its own id, as ComplianceAsCode's catalogs
/// give each section ("cis_ocp_190_4": "Worker Nodes").
fn section_title(group: &Value, id: &str, title: &str) -> Option<String> {
    let stand_in = is_placeholder(title) || title.to_lowercase().contains(&id.to_lowercase());
    if id.is_empty() || !stand_in {
        return None;
    }
    group["controls"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| text(&c["id"]) == id)
        .map(|c| crate::md::inline_plain(&text(&c["title"])))
        .filter(|t| !t.trim().is_empty() && !is_placeholder(t))
}

fn is_withdrawn(node: &Value) -> bool {
    node["props"].as_array().into_iter().flatten().any(|p| {
        p["name"] == "status"
            && p["value"]
                .as_str()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("withdrawn"))
    })
}

/// Reads a catalog's controls (in groups nested to any depth, and
/// enhancements nested in controls) and its parameters.
fn read_catalog<'a>(
    file: &str,
    root: &'a Value,
    entries: &mut Vec<Entry<'a>>,
    params: &mut Params<'a>,
    placeholders: &mut Placeholders,
) -> Result<(), CatalogImportError> {
    fn controls<'a>(
        file: &str,
        group: &str,
        parent: Option<&str>,
        list: &'a Value,
        entries: &mut Vec<Entry<'a>>,
        params: &mut Params<'a>,
        placeholders: &mut Placeholders,
    ) -> Result<(), CatalogImportError> {
        for (i, c) in list.as_array().into_iter().flatten().enumerate() {
            let id = text(&c["id"]);
            let mut title = crate::md::inline_plain(&text(&c["title"]));
            // An empty or placeholder title is named from the control's
            // text, else its id (ComplianceAsCode's HIPAA catalog has both).
            if is_placeholder(&title) {
                title.clear();
                placeholders.controls.push(id.clone());
            }
            if id.is_empty() {
                let within = match parent {
                    Some(p) => format!("control {p}"),
                    None if group.is_empty() => "the catalog".to_string(),
                    None => format!("group \"{group}\""),
                };
                let what = if id.is_empty() {
                    format!("control {} of {within}", i + 1)
                } else {
                    format!("control {id}")
                };
                return Err(CatalogImportError::Invalid {
                    file: file.into(),
                    at: what,
                    reason: "a control needs an id".into(),
                });
            }
            params.define(&c["params"]);
            entries.push(Entry {
                id: id.clone(),
                title,
                group: group.to_string(),
                withdrawn: is_withdrawn(c),
                node: c,
            });
            // Enhancements are controls nested in their base control.
            controls(
                file,
                group,
                Some(&id),
                &c["controls"],
                entries,
                params,
                placeholders,
            )?;
        }
        Ok(())
    }
    fn groups<'a>(
        file: &str,
        outer: &str,
        list: &'a Value,
        entries: &mut Vec<Entry<'a>>,
        params: &mut Params<'a>,
        placeholders: &mut Placeholders,
    ) -> Result<(), CatalogImportError> {
        for g in list.as_array().into_iter().flatten() {
            let mut title = crate::md::inline_plain(&text(&g["title"]));
            let id = text(&g["id"]);
            // A placeholder title is no name: the group goes by its section
            // control's title, else its id.
            if let Some(section) = section_title(g, &id, &title) {
                title = section;
                placeholders.sections.push(id.clone());
            } else if is_placeholder(&title) && !id.is_empty() {
                title.clear();
                placeholders.groups.push(id.clone());
            }
            // A nested group is named with the groups it sits in.
            let path = match (outer, title.is_empty()) {
                ("", _) => title,
                (outer, true) => outer.to_string(),
                (outer, false) => format!("{outer} / {title}"),
            };
            let label = match (id.is_empty(), path.is_empty()) {
                (true, _) => path.clone(),
                (false, true) => id,
                (false, false) => format!("{id}: {path}"),
            };
            params.define(&g["params"]);
            controls(
                file,
                &label,
                None,
                &g["controls"],
                entries,
                params,
                placeholders,
            )?;
            groups(file, &path, &g["groups"], entries, params, placeholders)?;
        }
        Ok(())
    }
    params.define(&root["params"]);
    controls(
        file,
        "",
        None,
        &root["controls"],
        entries,
        params,
        placeholders,
    )?;
    groups(file, "", &root["groups"], entries, params, placeholders)
}

/// Ids listed in a notice, at most ten.
fn id_list(ids: &[&str]) -> String {
    let mut list = ids.iter().take(10).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > 10 {
        list.push_str(&format!(" and {} more", ids.len() - 10));
    }
    list
}

/// The framework's controls: the entries kept, withdrawn ones left out
/// (named in the notice: they are not assessed).
fn build_controls(
    entries: &[Entry<'_>],
    params: &Params<'_>,
    resources: &HashMap<String, String>,
) -> (Vec<Control>, String) {
    let mut controls = Vec::new();
    let mut withdrawn = Vec::new();
    for e in entries {
        if e.withdrawn {
            withdrawn.push(e.id.as_str());
            continue;
        }
        let mut lines = description(e.node, params);
        let title = title_from_text(e, || title_source(e.node, params, &lines))
            .or_else(|| Some(e.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| e.id.clone());
        lines.extend(reference_line(e.node, resources));
        controls.push(Control {
            id: e.id.clone(),
            group: e.group.clone(),
            title,
            description: lines.join("\n"),
        });
    }
    let notice = if withdrawn.is_empty() {
        String::new()
    } else {
        format!(
            "{} withdrawn controls left out: {}.",
            withdrawn.len(),
            id_list(&withdrawn)
        )
    };
    (controls, notice)
}

fn header(file: &str, root: &Value, kind: &str) -> Result<(String, String), CatalogImportError> {
    let title = crate::md::inline_plain(&text(&root["metadata"]["title"]));
    if title.is_empty() {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: format!("{kind}.metadata"),
            reason: "the title is missing".into(),
        });
    }
    Ok((title, text(&root["metadata"]["version"])))
}

/// The models OSCAL defines, by their root key, with the short name
/// compliance people know them by.
pub(super) const OSCAL_MODELS: &[(&str, &str)] = &[
    ("catalog", ""),
    ("profile", ""),
    ("component-definition", ""),
    ("system-security-plan", "SSP"),
    ("assessment-plan", "SAP"),
    ("assessment-results", "SAR"),
    ("plan-of-action-and-milestones", "POA&M"),
    ("mapping-collection", ""),
];

/// Reads an OSCAL document: JSON, YAML or XML (NIST and FedRAMP publish
/// catalogs and profiles in all three; FedRAMP's baselines often only reach
/// people as XML). XML becomes the JSON shape OSCAL's XML↔JSON mapping
/// gives ([`oscal_xml`]), so the rest reads one shape.
fn read_document(file: &str, text: &str) -> Result<Value, CatalogImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with('<') {
        return oscal_xml::to_json(text).map_err(|e| match e {
            XmlError::Invalid {
                line,
                column,
                reason,
            } => CatalogImportError::Invalid {
                file: file.into(),
                at: format!("line {line}, column {column}"),
                reason,
            },
            XmlError::NotOscal { .. } => CatalogImportError::Unsupported {
                file: file.into(),
                reason: format!(
                    "this is an XML file but not an OSCAL document ({e}); import an OSCAL \
                     catalog or profile (JSON, YAML or XML)"
                ),
            },
        });
    }
    if start.starts_with('{') || start.starts_with('[') {
        return serde_json::from_str(start).map_err(|e| CatalogImportError::Json {
            file: file.into(),
            reason: e.to_string(),
        });
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| CatalogImportError::Invalid {
        file: file.into(),
        at: format!("line {}", e.location().map_or(1, |l| l.line()).max(1)),
        reason: format!("neither JSON nor valid YAML: {e}"),
    })
}

/// Renames keys written in compliance-trestle's Python field names
/// (`set_parameters`, `param_id`, `control_id`, `by_id`, `with_ids`), which
/// trestle reads as OSCAL's hyphenated names (its own test profiles use
/// them), to those names; the names renamed, sorted. A key whose hyphenated
/// name is also present stays as it is, and metadata (where pre-1.0
/// `responsible-parties` were keyed by role ids) is not touched.
fn hyphenate_keys(node: &mut Value) -> Vec<String> {
    fn walk(node: &mut Value, renamed: &mut std::collections::BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                let snake: Vec<String> = map
                    .keys()
                    .filter(|k| {
                        k.contains('_')
                            && k.split('_')
                                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
                            && !map.contains_key(&k.replace('_', "-"))
                    })
                    .cloned()
                    .collect();
                for k in snake {
                    if let Some(v) = map.remove(&k) {
                        map.insert(k.replace('_', "-"), v);
                        renamed.insert(k);
                    }
                }
                for (k, v) in map.iter_mut() {
                    if k != "metadata" {
                        walk(v, renamed);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, renamed)),
            _ => {}
        }
    }
    let mut renamed = std::collections::BTreeSet::new();
    walk(node, &mut renamed);
    renamed.into_iter().collect()
}

/// Reads an OSCAL catalog or profile (JSON, YAML or XML). `id` overrides the
/// framework id made from the title. A profile's catalog is not looked
/// for: its controls get their ids as titles (see [`parse_oscal_with`]).
pub fn parse_oscal(
    file: &str,
    source: &str,
    id: Option<&str>,
) -> Result<(Framework, CatalogFormat), CatalogImportError> {
    parse_oscal_with(file, source, id, &mut |_| None)
}

/// Reads an OSCAL catalog or profile, resolving a profile as OSCAL
/// profile resolution (and `trestle author profile-resolve`) does: `load`
/// is given paths relative to the profile's folder (the import's href, or
/// for a URL or a back-matter resource its file name, JSON or YAML before
/// XML) and returns the text of the first it can read. The controls are
/// those the profile selects (`with-ids`, `matching` patterns,
/// `with-child-controls`, `include-all`, `exclude-controls`), with titles,
/// statements and the parameter values it sets, grouped as its `merge`
/// says (`as-is`: the catalog's groups; `custom`: the profile's own;
/// otherwise none), controls its imports take more than once combined by
/// its `merge.combine` method (`use-first`, `merge`, or `keep`, the
/// default, which OSCAL 1.2's method-less `combine: {}` also is). A
/// catalog that cannot be found leaves ids only, when the profile names
/// them by id. Imports in the selection syntax of OSCAL before 1.0
/// (`include`/`call`) are read as what it became.
pub fn parse_oscal_with(
    file: &str,
    source: &str,
    id: Option<&str>,
    load: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<(Framework, CatalogFormat), CatalogImportError> {
    let mut doc = read_document(file, source)?;
    let renamed = hyphenate_keys(&mut doc);
    let (root, format, notice, resolved_from) = if let Some(root) = doc.get("catalog") {
        (
            root.clone(),
            CatalogFormat::OscalCatalog,
            String::new(),
            String::new(),
        )
    } else if let Some(profile) = doc.get("profile") {
        let resolved = resolve_profile(file, profile, load, 0)?;
        (
            resolved.catalog,
            CatalogFormat::OscalProfile,
            resolved.notice,
            resolved.from,
        )
    } else {
        return Err(not_a_catalog(file, &doc));
    };
    let kind = format.label().trim_start_matches("oscal-");
    let (title, mut version) = header(file, &doc[kind], kind)?;
    let mut entries = Vec::new();
    let mut params = Params::default();
    let mut placeholders = Placeholders::default();
    read_catalog(file, &root, &mut entries, &mut params, &mut placeholders)?;
    let placeholder_version = if is_placeholder(&version) {
        version.clear();
        "The version is a placeholder (REPLACE_ME): left empty.".to_string()
    } else {
        String::new()
    };
    let (controls, withdrawn) = build_controls(&entries, &params, &cited_resources(&root));
    let trestle = if renamed.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = renamed.iter().map(String::as_str).collect();
        format!(
            "Keys written as compliance-trestle's field names were read as OSCAL's: {}.",
            id_list(&names)
        )
    };
    let notice = [
        trestle,
        notice,
        withdrawn,
        placeholders.notice(),
        placeholder_version,
    ]
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let f = Framework {
        id: id.map_or_else(
            || {
                publication_id(&doc[kind]["metadata"], &title)
                    .unwrap_or_else(|| framework_id(&title))
            },
            str::to_string,
        ),
        name: title,
        version,
        source: format!("OSCAL {kind} {file}{resolved_from}"),
        notice,
        bundled: false,
        controls,
    };
    Ok((f, format))
}

/// A profile resolved to a catalog (the `catalog` object's content).
struct Resolved {
    catalog: Value,
    /// Said of controls known by id only.
    notice: String,
    /// ", resolved against ..." for the framework's source.
    from: String,
}

/// How deep profiles may import profiles (a loop stops here).
const PROFILE_DEPTH: usize = 8;

/// The paths to try for an import's href.
fn import_candidates(href: &str, back_matter: &Value) -> Vec<String> {
    let hrefs: Vec<String> = match href.strip_prefix('#') {
        Some(uuid) => {
            let resource = back_matter["resources"]
                .as_array()
                .into_iter()
                .flatten()
                // (Before OSCAL 1.0 a resource had an `id`.)
                .find(|r| text(&r["uuid"]) == uuid || text(&r["id"]) == uuid);
            let mut links: Vec<String> = resource
                .map(|r| &r["rlinks"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|l| text(&l["href"]))
                .filter(|h| !h.is_empty())
                .collect();
            // JSON and YAML first (the same catalog, quicker to read), XML
            // last.
            links.sort_by_key(|h| h.to_ascii_lowercase().ends_with(".xml"));
            links
        }
        None => vec![href.to_string()],
    };
    let mut out: Vec<String> = Vec::new();
    for h in hrefs {
        let h = h.strip_prefix("file://").unwrap_or(&h).to_string();
        let base = h.rsplit(['/', '\\']).next().unwrap_or_default().to_string();
        let mut paths = Vec::new();
        if !h.contains("://") {
            paths.push(h.clone());
        }
        paths.push(base);
        for path in paths {
            let lower = path.to_ascii_lowercase();
            // A name without an extension (a document API's path, as
            // security-management-OSCAL's profiles import
            // `/api/documents/catalogs/<uuid>`) is also looked for as a
            // file of each format.
            let name = path.rsplit(['/', '\\']).next().unwrap_or_default();
            let tries = match lower.strip_suffix(".xml") {
                Some(_) => {
                    let stem = &path[..path.len() - 4];
                    vec![
                        format!("{stem}.json"),
                        format!("{stem}.yaml"),
                        format!("{stem}.yml"),
                        path.clone(),
                    ]
                }
                None if !name.is_empty() && !name.contains('.') => vec![
                    path.clone(),
                    format!("{path}.json"),
                    format!("{path}.yaml"),
                    format!("{path}.yml"),
                    format!("{path}.xml"),
                ],
                None => vec![path],
            };
            for t in tries {
                if !t.is_empty() && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The paths an import was looked for at, for a message: said when a
/// back-matter reference leads to no link at all.
fn looked_for(candidates: &[String]) -> String {
    if candidates.is_empty() {
        "nothing: the back-matter has no resource of that uuid with an rlink href".into()
    } else {
        candidates.join(", ")
    }
}

/// Whether an import takes every control: `include-all`, or no
/// `include-controls` at all (profile resolution reads an import that
/// only names its source, or only excludes, as including all).
fn includes_all(imp: &Value) -> bool {
    imp.get("include-all").is_some() || imp.get("include-controls").is_none_or(Value::is_null)
}

/// Every control of a catalog, in order, with the ids of its ancestors
/// among controls.
fn control_tree(root: &Value) -> Vec<(String, Vec<String>)> {
    fn controls(list: &Value, up: &[String], out: &mut Vec<(String, Vec<String>)>) {
        for c in list.as_array().into_iter().flatten() {
            let id = text(&c["id"]);
            out.push((id.clone(), up.to_vec()));
            let mut up = up.to_vec();
            up.push(id);
            controls(&c["controls"], &up, out);
        }
    }
    fn groups(list: &Value, out: &mut Vec<(String, Vec<String>)>) {
        for g in list.as_array().into_iter().flatten() {
            controls(&g["controls"], &[], out);
            groups(&g["groups"], out);
        }
    }
    let mut out = Vec::new();
    controls(&root["controls"], &[], &mut out);
    groups(&root["groups"], &mut out);
    out
}

/// OSCAL `matching` patterns: `*` any run, `?` one character.
fn glob(pattern: &str, id: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), id.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The ids a list of selectors (`include-controls` or `exclude-controls`)
/// picks from a catalog's tree; ids named that the catalog lacks go to
/// `missing`.
fn select(
    selectors: &Value,
    tree: &[(String, Vec<String>)],
    missing: &mut Vec<String>,
) -> std::collections::HashSet<String> {
    let mut picked = std::collections::HashSet::new();
    for sel in selectors.as_array().into_iter().flatten() {
        let children = text(&sel["with-child-controls"]) == "yes";
        let mut direct = Vec::new();
        for cid in sel["with-ids"].as_array().into_iter().flatten() {
            let cid = text(cid);
            if tree.iter().any(|(id, _)| *id == cid) {
                direct.push(cid);
            } else if !cid.is_empty() && !missing.contains(&cid) {
                missing.push(cid);
            }
        }
        for m in sel["matching"].as_array().into_iter().flatten() {
            let pattern = text(&m["pattern"]);
            direct.extend(
                tree.iter()
                    .filter(|(id, _)| glob(&pattern, id))
                    .map(|(id, _)| id.clone()),
            );
        }
        if children {
            for (id, up) in tree {
                if up.iter().any(|u| direct.contains(u)) {
                    picked.insert(id.clone());
                }
            }
        }
        picked.extend(direct);
    }
    picked
}

/// An import written in the selection syntax of OSCAL before 1.0
/// (`include`/`exclude` holding `call control-id` and `match pattern`
/// items, `include` `all`), as the 1.0 `include-controls`,
/// `exclude-controls` and `include-all` it became; `None` when the import
/// uses none of it. Without this, an import whose only selection is
/// `include` would read as taking every control.
fn legacy_selection(imp: &Value) -> Option<Value> {
    let old = |key: &str| imp.get(key).filter(|v| v.is_object());
    let (include, exclude) = (old("include"), old("exclude"));
    if include.is_none() && exclude.is_none() {
        return None;
    }
    fn items(v: &Value, keys: &[&str]) -> Vec<Value> {
        keys.iter()
            .filter_map(|k| v.get(*k))
            .flat_map(|x| match x {
                Value::Array(list) => list.clone(),
                other => vec![other.clone()],
            })
            .collect()
    }
    // One selector per call or match, so each keeps its own
    // with-child-controls.
    let selectors = |v: &Value| -> Vec<Value> {
        let mut out = Vec::new();
        for call in items(v, &["call", "calls"]) {
            let mut sel = serde_json::json!({"with-ids": [text(&call["control-id"])]});
            if let Some(w) = call.get("with-child-controls") {
                sel["with-child-controls"] = w.clone();
            }
            out.push(sel);
        }
        for m in items(v, &["match", "matches"]) {
            // Patterns were regular expressions; `.*` is the glob's `*`.
            let pattern = text(&m["pattern"]).replace(".*", "*");
            let mut sel = serde_json::json!({"matching": [{"pattern": pattern}]});
            if let Some(w) = m.get("with-child-controls") {
                sel["with-child-controls"] = w.clone();
            }
            out.push(sel);
        }
        out
    };
    let mut new = imp.clone();
    let map = new.as_object_mut()?;
    map.remove("include");
    map.remove("exclude");
    if let Some(inc) = include {
        if let Some(all) = inc.get("all") {
            map.insert("include-all".into(), all.clone());
        } else {
            map.insert("include-controls".into(), Value::Array(selectors(inc)));
        }
    }
    if let Some(exc) = exclude {
        map.insert("exclude-controls".into(), Value::Array(selectors(exc)));
    }
    Some(new)
}

/// The controls a profile's imports have taken so far: each id's first
/// instance (without its child controls), and every later instance of an
/// id already taken, for the profile's combination rule.
#[derive(Default)]
struct Taken {
    first: HashMap<String, Value>,
    clashes: Vec<(String, Value)>,
}

impl Taken {
    /// Takes a control: true when its id is new.
    fn take(&mut self, id: &str, control: &Value) -> bool {
        let mut bare = control.clone();
        if let Some(m) = bare.as_object_mut() {
            m.remove("controls");
        }
        if self.first.contains_key(id) {
            self.clashes.push((id.to_string(), bare));
            false
        } else {
            self.first.insert(id.to_string(), bare);
            true
        }
    }
}

/// A catalog's groups and controls with only `keep` left (a control left
/// out gives its kept enhancements to its place), empty groups dropped,
/// and each id placed once: a later instance of an id is kept aside in
/// `taken` for the combination rule.
fn filter_catalog(
    root: &Value,
    keep: &std::collections::HashSet<String>,
    taken: &mut Taken,
) -> (Vec<Value>, Vec<Value>) {
    fn controls(
        list: &Value,
        keep: &std::collections::HashSet<String>,
        taken: &mut Taken,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for c in list.as_array().into_iter().flatten() {
            let id = text(&c["id"]);
            let inner = controls(&c["controls"], keep, taken);
            // Only an object is a control (and can be written to).
            if c.is_object() && keep.contains(&id) && taken.take(&id, c) {
                let mut c = c.clone();
                c["controls"] = Value::Array(inner);
                out.push(c);
            } else {
                out.extend(inner);
            }
        }
        out
    }
    fn groups(
        list: &Value,
        keep: &std::collections::HashSet<String>,
        taken: &mut Taken,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for g in list.as_array().into_iter().flatten() {
            let cs = controls(&g["controls"], keep, taken);
            let gs = groups(&g["groups"], keep, taken);
            if cs.is_empty() && gs.is_empty() {
                continue;
            }
            let mut g = g.clone();
            g["controls"] = Value::Array(cs);
            g["groups"] = Value::Array(gs);
            out.push(g);
        }
        out
    }
    (
        controls(&root["controls"], keep, taken),
        groups(&root["groups"], keep, taken),
    )
}

/// How a profile combines controls its imports take more than once
/// (`merge.combine.method`, profile resolution's combination rule).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Combine {
    /// The first instance is used, later ones discarded.
    UseFirst,
    /// Instances are combined into the first: what a later one adds
    /// (parameters, properties, links, parts, by id) is added to it.
    Merge,
    /// Every instance is kept, the clash with them: the default. A catalog
    /// holds each id once, so instances that differ cannot be kept; the
    /// same control taken twice (one catalog imported twice) is one.
    Keep,
}

/// The profile's combination method, and what the notice says of one that
/// is none of the three: profile resolution reads it, as a missing one,
/// as `keep`.
fn combine(merge: &Value) -> (Combine, String) {
    let method = text(&merge["combine"]["method"]);
    match method.trim() {
        "use-first" => (Combine::UseFirst, String::new()),
        "merge" => (Combine::Merge, String::new()),
        "keep" | "" => (Combine::Keep, String::new()),
        other => (
            Combine::Keep,
            format!("The profile's combination method \"{other}\" is not use-first, merge or keep: read as keep, as profile resolution does."),
        ),
    }
}

/// Adds to `into` what `from` has that it lacks: items of its
/// parameters, properties, links and parts (an item with an id when `into`
/// has none with that id, one without when `into` has no equal item),
/// recursively into parts of the same id; fields `into` lacks.
fn merge_control(into: &mut Value, from: &Value) {
    let (Some(into_map), Some(from_map)) = (into.as_object_mut(), from.as_object()) else {
        return;
    };
    for (key, value) in from_map {
        if key == "controls" {
            continue;
        }
        match (into_map.get_mut(key), value) {
            (None, v) | (Some(Value::Null), v) => {
                into_map.insert(key.clone(), v.clone());
            }
            (Some(Value::Array(mine)), Value::Array(theirs)) => {
                for item in theirs {
                    let id = item.get("id").and_then(Value::as_str);
                    let same = id.and_then(|id| {
                        mine.iter()
                            .position(|m| m.get("id").and_then(Value::as_str) == Some(id))
                    });
                    match same {
                        Some(i) => merge_control(&mut mine[i], item),
                        None if id.is_none() && mine.contains(item) => {}
                        None => mine.push(item.clone()),
                    }
                }
            }
            // A field both give (title, class): the first's stays.
            _ => {}
        }
    }
}

/// Applies the combination rule to the controls taken more than once;
/// what the notice says of it, if anything.
fn apply_combine(
    file: &str,
    catalog: &mut Value,
    taken: &Taken,
    how: Combine,
) -> Result<String, CatalogImportError> {
    let mut ids: Vec<&str> = Vec::new();
    for (id, _) in &taken.clashes {
        if !ids.contains(&id.as_str()) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Ok(String::new());
    }
    match how {
        Combine::UseFirst => Ok(format!(
            "Controls the profile's imports take more than once, each first one used (combine: use-first): {}.",
            id_list(&ids)
        )),
        Combine::Merge => {
            for (id, later) in &taken.clashes {
                let path = locate(catalog, &["controls", "groups"], &|key, n| {
                    key == "controls" && n["id"] == id.as_str()
                });
                if let Some(path) = path {
                    merge_control(follow(catalog, &path), later);
                }
            }
            Ok(format!(
                "Controls the profile's imports take more than once, combined into one each (combine: merge): {}.",
                id_list(&ids)
            ))
        }
        Combine::Keep => {
            let differ: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| {
                    let first = taken.first.get(*id);
                    // A control known by id only (its catalog not found)
                    // says nothing another could differ from.
                    let stub = first.and_then(Value::as_object).is_some_and(|m| m.len() == 1);
                    !stub
                        && taken
                            .clashes
                            .iter()
                            .any(|(c, later)| c == id && first != Some(later))
                })
                .collect();
            if differ.is_empty() {
                return Ok(String::new());
            }
            Err(CatalogImportError::Invalid {
                file: file.into(),
                at: "profile.merge.combine".into(),
                reason: format!(
                    "the profile's imports take different controls with the same id ({}), and its combination rule is keep (the default when merge.combine gives none), which profile resolution stops at: a catalog holds each id once. Give merge.combine.method use-first (the first import's control) or merge (one control with what each adds)",
                    id_list(&differ),
                ),
            })
        }
    }
}

/// How a resolved profile's controls are organized: the structuring
/// directive of its `merge`.
enum Structure<'a> {
    /// `as-is: true`: the groups of the source catalogs.
    AsIs,
    /// `flat`, or no structuring directive: no groups (profile resolution
    /// gives an unstructured catalog, as `trestle author profile-resolve`
    /// does).
    Flat,
    /// `custom`: the groups the profile itself lays out.
    Custom(&'a Value),
}

/// The structuring directive of a profile's `merge`; more than one is an
/// error (the profile resolution specification says to stop).
fn structure<'a>(file: &str, merge: &'a Value) -> Result<Structure<'a>, CatalogImportError> {
    let given = |key: &str| merge.get(key).filter(|v| !v.is_null());
    let as_is = given("as-is").is_some_and(|v| v == true || text(v) == "true");
    let flat = given("flat");
    let custom = given("custom");
    let named: Vec<&str> = [
        ("as-is", as_is),
        ("flat", flat.is_some()),
        ("custom", custom.is_some()),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| name)
    .collect();
    if named.len() > 1 {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: "profile.merge".into(),
            reason: format!(
                "gives {} together; a profile structures its controls one way (as-is, flat or custom)",
                named.join(" and ")
            ),
        });
    }
    Ok(match custom {
        Some(c) => Structure::Custom(c),
        None if as_is => Structure::AsIs,
        None => Structure::Flat,
    })
}

/// A resolved catalog without groups: their controls (in order) directly
/// under the catalog, their parameters loose.
fn flatten(catalog: &Value) -> Value {
    fn walk(groups: &Value, controls: &mut Vec<Value>, params: &mut Vec<Value>) {
        for g in groups.as_array().into_iter().flatten() {
            params.extend(g["params"].as_array().cloned().unwrap_or_default());
            controls.extend(g["controls"].as_array().cloned().unwrap_or_default());
            walk(&g["groups"], controls, params);
        }
    }
    let mut controls = catalog["controls"].as_array().cloned().unwrap_or_default();
    let mut params = catalog["params"].as_array().cloned().unwrap_or_default();
    walk(&catalog["groups"], &mut controls, &mut params);
    serde_json::json!({"params": params, "controls": controls})
}

/// A resolved catalog laid out as a profile's `merge.custom` says: its
/// groups (nested, with their titles and parameters), each holding the
/// selected controls its `insert-controls` pick (`include-all`,
/// `include-controls`, `exclude-controls`, `order`); controls inserted at
/// the top stay ungrouped. A control goes where it is first inserted,
/// without its enhancements (they are placed by their own ids). Returns
/// what the notice says: selected controls the structure places nowhere
/// (profile resolution leaves them out) and ids it names that are not
/// selected.
fn custom_structure(catalog: &Value, custom: &Value) -> (Value, Vec<String>) {
    struct Pool {
        tree: Vec<(String, Vec<String>)>,
        controls: HashMap<String, Value>,
        placed: std::collections::HashSet<String>,
        not_selected: Vec<String>,
    }
    fn collect(list: &Value, out: &mut HashMap<String, Value>) {
        for c in list.as_array().into_iter().flatten() {
            let Some(obj) = c.as_object() else { continue };
            let mut bare = obj.clone();
            bare.remove("controls");
            out.entry(text(&c["id"])).or_insert(Value::Object(bare));
            collect(&c["controls"], out);
        }
    }
    fn sort_key(c: &Value) -> String {
        c["props"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "sort-id")
            .map_or_else(|| text(&c["id"]), |p| text(&p["value"]))
    }
    fn insert(node: &Value, pool: &mut Pool) -> Vec<Value> {
        let mut out = Vec::new();
        for ic in node["insert-controls"].as_array().into_iter().flatten() {
            let picked = if ic.get("include-all").is_some() {
                pool.tree.iter().map(|(id, _)| id.clone()).collect()
            } else {
                select(&ic["include-controls"], &pool.tree, &mut pool.not_selected)
            };
            let excluded = select(&ic["exclude-controls"], &pool.tree, &mut Vec::new());
            let mut here: Vec<Value> = pool
                .tree
                .iter()
                .filter(|(id, _)| picked.contains(id) && !excluded.contains(id))
                .filter_map(|(id, _)| pool.controls.get(id).cloned())
                .collect();
            match text(&ic["order"]).as_str() {
                "ascending" => here.sort_by_key(sort_key),
                "descending" => {
                    here.sort_by_key(sort_key);
                    here.reverse();
                }
                _ => {}
            }
            for c in here {
                if pool.placed.insert(text(&c["id"])) {
                    out.push(c);
                }
            }
        }
        out
    }
    fn group(g: &Value, pool: &mut Pool) -> Option<Value> {
        let mut out = g.as_object()?.clone();
        out.remove("insert-controls");
        let controls = insert(g, pool);
        let groups: Vec<Value> = g["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|inner| group(inner, pool))
            .collect();
        out.insert("controls".into(), Value::Array(controls));
        out.insert("groups".into(), Value::Array(groups));
        Some(Value::Object(out))
    }
    let flat = flatten(catalog);
    let mut pool = Pool {
        tree: control_tree(&flat),
        controls: HashMap::new(),
        placed: std::collections::HashSet::new(),
        not_selected: Vec::new(),
    };
    collect(&flat["controls"], &mut pool.controls);
    let controls = insert(custom, &mut pool);
    let groups: Vec<Value> = custom["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| group(g, &mut pool))
        .collect();
    let mut said = Vec::new();
    let unplaced: Vec<&str> = pool
        .tree
        .iter()
        .map(|(id, _)| id.as_str())
        .filter(|id| !pool.placed.contains(*id))
        .collect();
    if !unplaced.is_empty() {
        said.push(format!(
            "{} selected controls left out: the profile's custom structure places them in no group ({}).",
            unplaced.len(),
            id_list(&unplaced)
        ));
    }
    if !pool.not_selected.is_empty() {
        let ids: Vec<&str> = pool.not_selected.iter().map(String::as_str).collect();
        said.push(format!(
            "The profile's custom structure names controls it does not select: {}.",
            id_list(&ids)
        ));
    }
    let params = flat["params"].clone();
    (
        serde_json::json!({"params": params, "controls": controls, "groups": groups}),
        said,
    )
}

/// Lays a profile's `set-parameters` over the parameters of the resolved
/// controls (values, label, selection, constraints); the ids of those set.
fn set_parameters(
    catalog: &mut Value,
    set: &HashMap<String, Value>,
) -> std::collections::HashSet<String> {
    fn walk(
        node: &mut Value,
        set: &HashMap<String, Value>,
        done: &mut std::collections::HashSet<String>,
    ) {
        if let Some(params) = node.get_mut("params").and_then(Value::as_array_mut) {
            for p in params {
                // A parameter that is not an object has nothing to set (and
                // indexing it to write would panic).
                let id = text(&p["id"]);
                let Some(s) = set.get(&id).filter(|_| p.is_object()) else {
                    continue;
                };
                done.insert(id);
                for key in ["values", "label", "select", "constraints", "guidelines"] {
                    if s.get(key).is_some_and(|v| !v.is_null()) {
                        p[key] = s[key].clone();
                    }
                }
            }
        }
        for key in ["controls", "groups"] {
            if let Some(list) = node.get_mut(key).and_then(Value::as_array_mut) {
                list.iter_mut().for_each(|n| walk(n, set, done));
            }
        }
    }
    let mut done = std::collections::HashSet::new();
    walk(catalog, set, &mut done);
    done
}

/// What an `alters` entry removes or adds its items next to: `by-*` keys
/// that must all match.
fn matches_selector(item: &Value, kind: &str, sel: &Value) -> bool {
    let same = |key: &str, field: &str| {
        sel.get(key)
            .is_none_or(|want| !want.is_null() && item.get(field) == Some(want))
    };
    let of_kind = sel
        .get("by-item-name")
        .is_none_or(|want| want.as_str() == Some(kind));
    of_kind
        && same("by-name", "name")
        && same("by-class", "class")
        && same("by-id", "id")
        && same("by-ns", "ns")
}

/// The path (list key, index) to the first item below `node`, depth
/// first through the lists named `keys`, that `hit` picks.
fn locate(
    node: &Value,
    keys: &[&'static str],
    hit: &dyn Fn(&str, &Value) -> bool,
) -> Option<Vec<(&'static str, usize)>> {
    for &key in keys {
        for (i, item) in node[key].as_array().into_iter().flatten().enumerate() {
            if hit(key, item) {
                return Some(vec![(key, i)]);
            }
            if let Some(mut rest) = locate(item, keys, hit) {
                rest.insert(0, (key, i));
                return Some(rest);
            }
        }
    }
    None
}

fn follow<'v>(mut node: &'v mut Value, path: &[(&str, usize)]) -> &'v mut Value {
    for &(key, i) in path {
        node = &mut node[key][i];
    }
    node
}

/// The lists an alteration reaches: a control's or part's params, props,
/// links and parts, by their item name.
const ALTERABLE: [(&str, &str); 4] = [
    ("params", "param"),
    ("props", "prop"),
    ("links", "link"),
    ("parts", "part"),
];

/// Removes every item below `node` (not controls) that `sel` picks; the
/// number removed.
fn remove_items(node: &mut Value, sel: &Value) -> usize {
    let mut n = 0;
    for (key, kind) in ALTERABLE {
        if let Some(list) = node.get_mut(key).and_then(Value::as_array_mut) {
            let before = list.len();
            list.retain(|item| !matches_selector(item, kind, sel));
            n += before - list.len();
            for item in list.iter_mut() {
                n += remove_items(item, sel);
            }
        }
    }
    n
}

/// Adds an `adds` entry's items: `starting`/`ending` inside the element
/// with id `by-id` (the control itself without one), `before`/`after` it
/// among its siblings. False when `by-id` names nothing in the control.
fn add_items(control: &mut Value, add: &Value) -> bool {
    fn into(target: &mut Value, add: &Value, at_start: bool) {
        for (key, _) in ALTERABLE {
            let Some(items) = add.get(key).and_then(Value::as_array) else {
                continue;
            };
            if target.get(key).and_then(Value::as_array).is_none() {
                target[key] = Value::Array(Vec::new());
            }
            if let Some(list) = target[key].as_array_mut() {
                if at_start {
                    list.splice(0..0, items.iter().cloned());
                } else {
                    list.extend(items.iter().cloned());
                }
            }
        }
    }
    fn beside(node: &mut Value, id: &str, add: &Value, after: bool) -> bool {
        for (key, _) in ALTERABLE {
            let Some(list) = node.get_mut(key).and_then(Value::as_array_mut) else {
                continue;
            };
            if let Some(i) = list.iter().position(|item| item["id"] == id) {
                // Siblings of the same kind go beside it.
                if let Some(items) = add.get(key).and_then(Value::as_array) {
                    let at = if after { i + 1 } else { i };
                    list.splice(at..at, items.iter().cloned());
                }
                return true;
            }
            if list.iter_mut().any(|item| beside(item, id, add, after)) {
                return true;
            }
        }
        false
    }
    fn find<'v>(node: &'v mut Value, id: &str) -> Option<&'v mut Value> {
        if node["id"] == id {
            return Some(node);
        }
        let keys = ALTERABLE.map(|(key, _)| key);
        let path = locate(node, &keys, &|_, item| item["id"] == id)?;
        Some(follow(node, &path))
    }
    let position = add["position"].as_str().unwrap_or("ending");
    match add["by-id"].as_str() {
        None => {
            into(control, add, position == "starting");
            true
        }
        Some(id) => match position {
            "before" | "after" => beside(control, id, add, position == "after"),
            _ => match find(control, id) {
                Some(target) => {
                    into(target, add, position == "starting");
                    true
                }
                None => false,
            },
        },
    }
}

/// Applies a profile's `modify.alters` to the selected controls, as OSCAL
/// profile resolution does (FedRAMP adds its requirements this way).
/// Returns what could not be applied, for the notice.
fn apply_alters(catalog: &mut Value, alters: &[Value]) -> Vec<String> {
    fn control<'v>(node: &'v mut Value, id: &str) -> Option<&'v mut Value> {
        let path = locate(node, &["controls", "groups"], &|key, n| {
            key == "controls" && n["id"] == id
        })?;
        Some(follow(node, &path))
    }
    let mut skipped = Vec::new();
    for alter in alters {
        let id = text(&alter["control-id"]);
        if id.is_empty() {
            skipped.push("an alteration without a control-id".into());
            continue;
        }
        let Some(c) = control(catalog, &id) else {
            skipped.push(format!("{id} (not selected)"));
            continue;
        };
        // An addition beside an item the same alteration removes (a
        // statement replaced: security-management-OSCAL's profiles remove
        // a part and add its new wording after it) goes in before the
        // removal, so it takes the removed item's place; removals come
        // first otherwise, as profile resolution orders them.
        let removes: Vec<&Value> = alter["removes"].as_array().into_iter().flatten().collect();
        let exists = |node: &Value, id: &str| {
            let keys = ALTERABLE.map(|(key, _)| key);
            locate(node, &keys, &|_, item| item["id"] == id).is_some()
        };
        let mut after_removal = c.clone();
        for sel in &removes {
            remove_items(&mut after_removal, sel);
        }
        let (replacing, adds): (Vec<&Value>, Vec<&Value>) = alter["adds"]
            .as_array()
            .into_iter()
            .flatten()
            .partition(|add| {
                add["by-id"]
                    .as_str()
                    .is_some_and(|target| exists(c, target) && !exists(&after_removal, target))
            });
        for add in replacing {
            add_items(c, add);
        }
        for sel in removes {
            if remove_items(c, sel) == 0 {
                skipped.push(format!("{id}: a removal that matched nothing"));
            }
        }
        for add in adds {
            if !add_items(c, add) {
                skipped.push(format!(
                    "{id}: an addition at {}, not in the control",
                    text(&add["by-id"])
                ));
            }
        }
    }
    skipped
}

fn resolve_profile(
    file: &str,
    profile: &Value,
    load: &mut dyn FnMut(&str) -> Option<String>,
    depth: usize,
) -> Result<Resolved, CatalogImportError> {
    if depth > PROFILE_DEPTH {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: "profile.imports".into(),
            reason: format!("profiles import profiles more than {PROFILE_DEPTH} deep (a loop?)"),
        });
    }
    let mut controls = Vec::new();
    let mut groups = Vec::new();
    let mut loose = Vec::new();
    let mut taken = Taken::default();
    let mut stubs: Vec<Value> = Vec::new();
    let mut unresolved = Vec::new();
    let mut sources = Vec::new();
    let mut resources: Vec<Value> = Vec::new();
    let structure = structure(file, &profile["merge"])?;
    let (combine_how, combine_note) = combine(&profile["merge"]);
    let imports = profile["imports"].as_array().cloned().unwrap_or_default();
    if imports.is_empty() {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: "profile.imports".into(),
            reason: "the profile imports no catalog or profile".into(),
        });
    }
    let mut legacy = Vec::new();
    for (i, imp) in imports.iter().enumerate() {
        let converted = legacy_selection(imp);
        if converted.is_some() {
            legacy.push((i + 1).to_string());
        }
        let imp = converted.as_ref().unwrap_or(imp);
        let href = text(&imp["href"]);
        let at = format!("profile import {} ({href})", i + 1);
        let candidates = import_candidates(&href, &profile["back-matter"]);
        let mut source = None;
        for c in &candidates {
            if let Some(t) = load(c) {
                let mut doc = read_document(c, &t)?;
                hyphenate_keys(&mut doc);
                source = Some((c.clone(), doc));
                break;
            }
        }
        let catalog: Option<Value> = match source {
            Some((path, doc)) => {
                if let Some(cat) = doc.get("catalog") {
                    sources.push(format!(
                        "{} ({path})",
                        crate::md::inline_plain(&text(&cat["metadata"]["title"]))
                    ));
                    Some(cat.clone())
                } else if let Some(inner) = doc.get("profile") {
                    let r = resolve_profile(&path, inner, load, depth + 1)?;
                    sources.push(format!(
                        "{} ({path})",
                        crate::md::inline_plain(&text(&inner["metadata"]["title"]))
                    ));
                    if !r.notice.is_empty() {
                        unresolved.push(r.notice.clone());
                    }
                    Some(r.catalog)
                } else {
                    return Err(CatalogImportError::Invalid {
                        file: file.into(),
                        at,
                        reason: format!(
                            "{path} is not a catalog or profile: {}",
                            not_a_catalog(&path, &doc)
                        ),
                    });
                }
            }
            None => None,
        };
        // The resources its controls cite come along (OSCAL's resolution
        // keeps the back-matter too).
        if let Some(list) = catalog
            .as_ref()
            .and_then(|c| c["back-matter"]["resources"].as_array())
        {
            resources.extend(list.iter().cloned());
        }
        let Some(catalog) = catalog else {
            // Without the catalog, only controls named by id can be listed.
            let by_pattern = includes_all(imp)
                || imp["include-controls"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|s| {
                        s.get("matching").is_some() || text(&s["with-child-controls"]) == "yes"
                    });
            if by_pattern {
                return Err(CatalogImportError::Unsupported {
                    file: file.into(),
                    reason: format!(
                        "import {} selects controls of {href} by {}, and that catalog was not found next to the profile (looked for {}); put it there, or import the resolved profile (trestle author profile-resolve)",
                        i + 1,
                        if includes_all(imp) { "including all" } else { "pattern or with their enhancements" },
                        looked_for(&candidates)
                    ),
                });
            }
            let mut missing = Vec::new();
            let named: Vec<(String, Vec<String>)> = imp["include-controls"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|s| s["with-ids"].as_array().cloned().unwrap_or_default())
                .map(|v| (text(&v), Vec::new()))
                .filter(|(v, _)| !v.is_empty())
                .collect();
            let excluded = select(&imp["exclude-controls"], &named, &mut missing);
            for (cid, _) in named {
                let stub = serde_json::json!({"id": cid});
                if excluded.contains(&cid) || !taken.take(&cid, &stub) {
                    continue;
                }
                // The family prefix is the group and the upper-cased id the title.
                let family = cid.split('-').next().unwrap_or_default().to_uppercase();
                stubs.push(
                    serde_json::json!({"id": cid, "title": cid.to_uppercase(), "family": family}),
                );
            }
            unresolved.push(format!(
                "{href} was not found next to the profile (looked for {})",
                looked_for(&candidates)
            ));
            continue;
        };
        let tree = control_tree(&catalog);
        let mut missing = Vec::new();
        let mut keep = if includes_all(imp) {
            tree.iter().map(|(id, _)| id.clone()).collect()
        } else {
            select(&imp["include-controls"], &tree, &mut missing)
        };
        if !missing.is_empty() {
            return Err(CatalogImportError::Invalid {
                file: file.into(),
                at,
                reason: format!(
                    "the profile names controls its catalog does not have: {} (is it the catalog the profile was written for?)",
                    id_list(&missing.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            });
        }
        for id in select(&imp["exclude-controls"], &tree, &mut Vec::new()) {
            keep.remove(&id);
        }
        let (cs, gs) = filter_catalog(&catalog, &keep, &mut taken);
        controls.extend(cs);
        groups.extend(gs);
        // Loose parameters (outside any control) go along: the selected
        // controls' statements may insert them.
        loose.extend(catalog["params"].as_array().cloned().unwrap_or_default());
    }
    let stub_ids: std::collections::HashSet<String> =
        stubs.iter().map(|s| text(&s["id"])).collect();
    // Controls known by id only, grouped by family.
    for stub in stubs {
        let family = text(&stub["family"]);
        let control = serde_json::json!({"id": stub["id"], "title": stub["title"]});
        match groups
            .iter_mut()
            .find(|g| text(&g["title"]) == family && g.get("id").is_none())
        {
            Some(g) => {
                if let Some(list) = g["controls"].as_array_mut() {
                    list.push(control);
                }
            }
            None => groups.push(serde_json::json!({"title": family, "controls": [control]})),
        }
    }
    let mut catalog = serde_json::json!({"params": loose, "controls": controls, "groups": groups});
    let legacy_note = match legacy.as_slice() {
        [] => String::new(),
        [one] => format!("Import {one} selects its controls in the syntax of OSCAL before 1.0 (include, call, match): read as include-controls."),
        many => format!("Imports {} select their controls in the syntax of OSCAL before 1.0 (include, call, match): read as include-controls.", many.join(", ")),
    };
    let combined = [
        legacy_note,
        combine_note,
        apply_combine(file, &mut catalog, &taken, combine_how)?,
    ]
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let unplaced = match structure {
        Structure::AsIs => Vec::new(),
        Structure::Flat => {
            catalog = flatten(&catalog);
            Vec::new()
        }
        Structure::Custom(custom) => {
            let (built, unplaced) = custom_structure(&catalog, custom);
            catalog = built;
            unplaced
        }
    };
    catalog["back-matter"] = serde_json::json!({"resources": resources});
    // Several settings of one parameter all apply, in order: a later one
    // changes only what it gives.
    let mut set: HashMap<String, Value> = HashMap::new();
    let mut set_order = Vec::new();
    let mut no_id = Vec::new();
    let modify = &profile["modify"];
    for (i, sp) in modify["set-parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let id = text(&sp["param-id"]);
        let Some(fields) = sp.as_object().filter(|_| !id.is_empty()) else {
            no_id.push((i + 1).to_string());
            continue;
        };
        let into = set.entry(id.clone()).or_insert_with(|| {
            set_order.push(id);
            Value::Object(serde_json::Map::new())
        });
        for (k, v) in fields {
            if !v.is_null() {
                into[k.as_str()] = v.clone();
            }
        }
    }
    let applied = set_parameters(&mut catalog, &set);
    let unused: Vec<&str> = set_order
        .iter()
        .map(String::as_str)
        .filter(|id| !applied.contains(*id))
        .collect();
    // Controls known by id only have no parts to alter: their alterations
    // wait for the catalog (said once, not one by one: FedRAMP's baselines
    // alter nearly every control).
    let (alters, waiting): (Vec<Value>, Vec<Value>) = modify["alters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .partition(|a| {
            let id = text(&a["control-id"]);
            !stub_ids.contains(&id)
        });
    let skipped = apply_alters(&mut catalog, &alters);
    let mut notice = if unresolved.is_empty() {
        String::new()
    } else {
        let alterations = match waiting.len() {
            0 => String::new(),
            n => format!(" (and for the profile's {n} alterations of them)"),
        };
        format!(
            "Controls of a catalog the profile imports are known by id only ({}): their titles are the ids. Put the catalog next to the profile, or import the resolved profile, for titles and text{alterations}.",
            unresolved.join("; ")
        )
    };
    if !combined.is_empty() {
        if !notice.is_empty() {
            notice.push(' ');
        }
        notice.push_str(&combined);
    }
    if !skipped.is_empty() {
        if !notice.is_empty() {
            notice.push(' ');
        }
        notice.push_str(&format!(
            "Profile alterations not applied: {}.",
            skipped.join("; ")
        ));
    }
    if !unplaced.is_empty() {
        if !notice.is_empty() {
            notice.push(' ');
        }
        notice.push_str(&unplaced.join(" "));
    }
    // (Without the catalog there are no parameters to set: said above.)
    if unresolved.is_empty() && (!unused.is_empty() || !no_id.is_empty()) {
        if !notice.is_empty() {
            notice.push(' ');
        }
        let mut what = Vec::new();
        if !unused.is_empty() {
            what.push(format!(
                "for parameters the selected controls do not have: {}",
                id_list(&unused)
            ));
        }
        if !no_id.is_empty() {
            let at: Vec<&str> = no_id.iter().map(String::as_str).collect();
            what.push(format!("without a param-id: entry {}", id_list(&at)));
        }
        notice.push_str(&format!(
            "Profile parameter settings not applied ({}).",
            what.join("; ")
        ));
    }
    let from = if sources.is_empty() {
        String::new()
    } else {
        format!(", resolved against {}", sources.join(", "))
    };
    Ok(Resolved {
        catalog,
        notice,
        from,
    })
}

/// The error for an OSCAL document of another model, or not OSCAL at all.
fn not_a_catalog(file: &str, doc: &Value) -> CatalogImportError {
    let keys: Vec<&str> = doc
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let Some((kind, name)) = OSCAL_MODELS.iter().find(|(key, _)| keys.contains(key)) else {
        let found = if keys.is_empty() {
            "no keys at the top".to_string()
        } else {
            format!("top-level keys: {}", keys.join(", "))
        };
        return CatalogImportError::Unsupported {
            file: file.into(),
            reason: format!(
                "not an OSCAL document: expected a top-level \"catalog\" or \"profile\" ({found})"
            ),
        };
    };
    // Where the controls it speaks of come from, when it says.
    let root = &doc[*kind];
    let source = [
        &root["import-profile"]["href"],
        &root["import-ssp"]["href"],
        &root["import-ap"]["href"],
    ]
    .into_iter()
    .map(text)
    .find(|h| !h.is_empty());
    let short = if name.is_empty() {
        String::new()
    } else {
        format!(" ({name})")
    };
    let hint = match source {
        Some(href) => format!(" (it builds on {href})"),
        None => String::new(),
    };
    // Component definitions and SSPs say how controls are implemented:
    // their assessments come into the matrix another way.
    let assessments = if matches!(*kind, "component-definition" | "system-security-plan") {
        "; to bring its implementation states and narratives into the matrix, use `plasma compliance import-assessment`"
    } else {
        ""
    };
    CatalogImportError::Unsupported {
        file: file.into(),
        reason: format!(
            "this OSCAL file is a {kind}{short}{hint}, not a catalog or profile; import the catalog or the (resolved) profile that lists the controls{assessments}"
        ),
    }
}

/// Reads a CSV catalog. The framework is named `name` (its id slugified
/// from it unless `id` is given).
pub fn parse_csv(
    file: &str,
    text: &str,
    name: &str,
    id: Option<&str>,
) -> Result<Framework, CatalogImportError> {
    parse_csv_with(file, text, name, id, None)
}

/// [`parse_csv`] with the field separator given (a `.tsv` file's tab),
/// else read from the header line.
pub fn parse_csv_with(
    file: &str,
    text: &str,
    name: &str,
    id: Option<&str>,
    separator: Option<u8>,
) -> Result<Framework, CatalogImportError> {
    // Spreadsheets saved as CSV where the comma is the decimal separator
    // (German, French, Dutch Excel) separate fields with `;`, and some
    // tools export tabs: the header line says which.
    let header = text.lines().next().unwrap_or_default();
    let delimiter = separator.unwrap_or_else(|| {
        [b';', b'\t']
            .into_iter()
            .find(|&d| header.bytes().filter(|&b| b == d).count() > header.matches(',').count())
            .unwrap_or(b',')
    });
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CatalogImportError::Invalid {
            file: file.into(),
            at: "line 1".into(),
            reason: e.to_string(),
        })?
        .iter()
        .map(|h| {
            h.trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
                .replace([' ', '-'], "_")
        })
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    // The names control lists are exported and documented with: `Control
    // ID,Control Name,Description,Domain` (SAMA, ISO lists),
    // `control_id,control_name,...`, `Control Title,Requirement`,
    // `Control ID,Control Title,Domain` (CMMC self-assessments).
    let (Some(id_col), Some(title_col)) = (
        col(&["id", "control_id", "control"]),
        col(&["title", "name", "control_title", "control_name"]),
    ) else {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: "line 1".into(),
            reason: format!(
                "the header needs an id and a title column (found: {})",
                headers.join(", ")
            ),
        });
    };
    let group_col = col(&[
        "group",
        "family",
        "category",
        "domain",
        "control_family",
        "control_domain",
    ]);
    let desc_col = col(&[
        "description",
        "text",
        "statement",
        "requirement",
        "control_description",
        "control_text",
        "control_statement",
    ]);
    let mut controls = Vec::new();
    let mut heading = String::new();
    let mut headings = 0;
    for (i, record) in reader.records().enumerate() {
        let at = format!("line {}", i + 2);
        let record = record.map_err(|e| CatalogImportError::Invalid {
            file: file.into(),
            at: at.clone(),
            reason: e.to_string(),
        })?;
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or_default()
                .to_string()
        };
        let mut control = Control {
            id: get(Some(id_col)),
            title: get(Some(title_col)),
            group: get(group_col),
            description: get(desc_col),
        };
        if control.id.is_empty() && control.title.is_empty() {
            continue;
        }
        if control.id.is_empty() && control.description.is_empty() {
            // A heading row (a family's name over its controls, as
            // spreadsheets lay control lists out): the group of the rows
            // under it that name none.
            heading = control.title;
            headings += 1;
            continue;
        }
        if control.id.is_empty() {
            return Err(CatalogImportError::Invalid {
                file: file.into(),
                at,
                reason: format!(
                    "control \"{}\" has no id (a row with a title and no id or text is read as a heading)",
                    control.title
                ),
            });
        }
        if control.group.is_empty() {
            control.group.clone_from(&heading);
        }
        controls.push(control);
    }
    let notice = match headings {
        0 => String::new(),
        n => format!(
            "{n} rows without an id were read as headings: each is the group of the controls under it."
        ),
    };
    let framework = Framework {
        id: id.map_or_else(|| framework_id(name), str::to_string),
        name: name.to_string(),
        version: String::new(),
        source: format!("CSV {file}"),
        notice,
        bundled: false,
        controls,
    };
    framework
        .validate()
        .map_err(|reason| CatalogImportError::Invalid {
            file: file.into(),
            at: "catalog".into(),
            reason,
        })?;
    Ok(framework)
}
