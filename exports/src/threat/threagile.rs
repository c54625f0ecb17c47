//! Threagile (1.0 YAML model) import.
//!
//! Threagile computes its risks when it runs, so a model file holds the
//! architecture, the custom ("individual") risks and the decisions on risks
//! (`risk_tracking`), not a list of found risks. After import the workbench
//! runs our own STRIDE rules over the architecture.
//!
//! - `title` is the model's name; the overviews (`business_overview`,
//!   `technical_overview`, `application_description`), the
//!   `management_summary_comment`, `threagile_version`, `date`, `author`,
//!   `contributors`, `business_criticality`, `questions` (with their answers
//!   or "unanswered"), `abuse_cases`, `security_requirements`,
//!   `tags_available`, overview images and `includes` (which are not read)
//!   are paragraphs of the model description; the author is also its owner
//!   line. HTML tags (Threagile writes `<b>`, `<i>`) are removed from all
//!   text; entities are decoded; nothing is rendered as HTML.
//! - `technical_assets` are elements: `type` external-entity, process,
//!   datastore as external entity, process, data store. `technology` (and
//!   `technologies`) set the rule properties: web-server, web-application,
//!   application-server, cms, erp, report-engine and identity-provider are
//!   web applications (as Threagile counts them; its REST and SOAP web
//!   services are not); gateway, reverse-proxy, load-balancer and waf API
//!   gateways; message-queue and stream-processing queues; ai an LLM
//!   component; monitoring a log; vault, hsm, identity-provider,
//!   identity-store-ldap, identity-store-database and ldap-server store
//!   credentials (as does an asset storing a data asset tagged as
//!   credentials). Tags the rules read
//!   are added: `internet-facing` (`internet: true`), `multi-tenant`,
//!   `identity-provider`, `secrets-manager` (vault, hsm), `ci-cd`
//!   (build-pipeline, sourcecode-repository, artifact-registry), `files`
//!   (file servers and file systems), `search-index`, `batch`, and
//!   `technology: <name>`; the asset's own tags are kept. `encryption`
//!   other than none is encrypted at rest. `out_of_scope` with its
//!   justification is out of scope. An asset handles untrusted input when
//!   it is on the internet or reached by a link from an external entity, a
//!   human-used client or an internet asset; it has access control when
//!   links reach it and every one of them is authenticated and authorized.
//!   Everything else (id, size, machine, usage, owner, CIA ratings and their
//!   justification, internet, human use, custom-developed parts,
//!   multi-tenancy, redundancy, encryption kind, data processed and stored,
//!   data formats accepted, shared runtimes, risk-tracking decisions naming
//!   the asset) is lines of the element's description. A `title` (no
//!   Threagile key, but course models key their assets and links by id and
//!   title them) names the element or flow; the key stays in the
//!   description and still makes the Threagile ids.
//! - `communication_links` (under their source asset, keyed by title) are
//!   flows from that asset to `target`. The protocol is kept as written;
//!   https, wss, ssh, ssh-tunnel, ftps, sftp, scp, ldaps and every
//!   `*-encrypted` protocol, and any link over a VPN, are encrypted in
//!   transit. Authentication other than none is authenticated,
//!   authorization other than none authorized; a link crosses the public
//!   network when either end has `internet: true`. A flow carries the data
//!   assets sent and received; Threagile's link is a request (sent) and its
//!   response (received), so a link that receives data is bidirectional.
//!   The link's description, Threagile id, authentication and authorization
//!   kinds, VPN, IP filtering, read-only, usage, tags and which data goes
//!   which way are the flow's description line of the model description
//!   (which Threat Dragon export writes back onto the flow). A link from an
//!   asset to itself is a line of the model description.
//! - `trust_boundaries` are trust boundaries: `technical_assets_inside`
//!   puts assets inside (an asset listed by two nested boundaries is in
//!   the inner one), `trust_boundaries_nested` nests boundaries; the
//!   description, id, `type` and tags are the boundary's description line.
//!   A `title` names the boundary as it names an asset.
//! - `shared_runtimes` are a paragraph of the model description and a line
//!   of each running asset's description.
//! - `data_assets` are data assets. Confidentiality public, internal,
//!   restricted, confidential, strictly-confidential is classified public,
//!   internal, confidential, confidential, restricted (Threagile's
//!   restricted ranks below its confidential; our restricted is the top
//!   level) and rated low, medium, medium, high, high; integrity and
//!   availability archive and operational are low, important medium,
//!   critical and mission-critical high. PII, PHI, PCI and credentials tags
//!   come from the asset's tags, name, id and description (bearer tokens
//!   and JWTs are credentials). The rest (id,
//!   description, usage, quantity, owner, origin, tags, the Threagile
//!   ratings, the rating's justification) is a paragraph of the model
//!   description.
//! - Each risk of `individual_risk_categories` (`risks_identified`), or of
//!   `custom_risk_categories` (the list, items named by `title` else `id`,
//!   that Threagile's current input model reads instead), is a threat on
//!   its most relevant communication link, else its most relevant
//!   technical asset, else the first of its data-breach assets, else the
//!   first asset of its trust boundary or shared runtime (a risk with none
//!   of these is a paragraph of the model description). The category's
//!   `stride` is the threat's category; exploitation likelihood unlikely,
//!   likely, very-likely, frequent is low, medium, high, high; impact low,
//!   medium, high, very-high is low, medium, high, high; Threagile's
//!   severity low, medium, elevated, high, critical is the severity (low,
//!   medium, high, high, critical) when it differs from the rated one. The
//!   category's description, impact, action, check, ASVS, cheat sheet,
//!   function, detection logic, risk assessment and false positives are the
//!   threat's description, its mitigation the suggested mitigation, its CWE
//!   and ASVS the references; the risk's Threagile id (built as Threagile
//!   builds it: `<category>@<asset>@<link>@<boundary>@<runtime>@<data>`,
//!   empty parts left out, links as `<source>><title>`), severity and data
//!   breach facts are the threat's notes.
//! - `risk_tracking` entries apply to the imported risk whose id they
//!   name exactly, else to those their wildcard pattern matches (`*` is one
//!   `@`-part, as in Threagile): accepted is accepted (no expiry; the
//!   justification, ticket, date and checker as the reason), mitigated is
//!   mitigated with a done mitigation, in-progress open with a mitigation
//!   in progress, false-positive not applicable, unchecked and
//!   in-discussion open; the entry is kept in the threat's notes. An entry
//!   on one of Threagile's built-in rules (which this import cannot
//!   compute, but Threagile found and the reviewer decided) is a threat,
//!   with the status above, titled "<rule title> risk at <name>" and in the
//!   rule's STRIDE category, on the link its id names (each link a `*`
//!   part matches) else the first technical asset it names (Argo CD's
//!   model records its maintainers' decisions so). Every entry is also a
//!   line of the model description's risk-tracking paragraph, and a line
//!   of the description of each asset its id names.
//! - The `diagram_tweak_*` settings are layout hints for Threagile's own
//!   diagram: a line of the model description (an asset's
//!   `diagram_tweak_order` and a link's weight and constraint are in their
//!   description lines). Threagile has no positions; the diagram is laid
//!   out on import.
//! - Keys outside Threagile's schema (Threagile ignores them: Argo CD's
//!   model has `data_assets_sent` on assets, Threagile's privacy demos
//!   `dataassettype`, `consent` and `thirdpartysharing` on data assets) are
//!   lines, with their path and value, of a paragraph of the model
//!   description; a data asset with `dataassettype: pi` is PII.
//!
//! Ids are UUID v5 of the Threagile ids (the model's of its title), so a
//! re-import updates the same elements, flows and threats. Errors name the
//! path in the file (`/technical_assets/Web Server/communication_links/
//! Traffic/target`) or the line of a YAML syntax error; a model without a
//! title that `includes` other files says it is split over files this
//! import does not read, and Threagile's parsed model (`parsed-model.yaml`,
//! what its analysis writes: links as lists, computed maps) says it is not
//! a model file.

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Mitigation,
    MitigationStatus, Rating, Severity, Stride, Threat, ThreatModel, ThreatStatus, ThreatTarget,
    TrustBoundary,
};
use serde_yaml_ng::Value;
use uuid::Uuid;

use super::json::{child_ptr, looks_like, stable_id};
use super::text::{category_from_name, no_expiry, one_line};
use super::threat_dragon::{
    note_boundary_description, note_flow_description, note_loop_flow, note_owner, onto_loop_element,
};
use super::ImportError;

/// Namespace of the ids of imported Threagile models.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x3c8e_51a2_7b04_4e9f_a6d3_0f1b_92c7_e845);

// ------------------------------------------------------------ reading YAML

/// A YAML value and the JSON pointer that leads to it (Threagile's maps are
/// keyed by title, so the pointer names the asset or link).
#[derive(Clone)]
struct Y<'a> {
    value: &'a Value,
    ptr: String,
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// A scalar as text: strings, numbers and booleans.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        v => v,
    }
}

impl<'a> Y<'a> {
    fn location(&self) -> String {
        if self.ptr.is_empty() {
            "/".to_string()
        } else {
            self.ptr.clone()
        }
    }

    fn err(&self, reason: impl Into<String>) -> ImportError {
        ImportError::new(self.location(), reason)
    }

    fn at(&self, key: &str, value: &'a Value) -> Y<'a> {
        Y {
            value,
            ptr: child_ptr(&self.ptr, key),
        }
    }

    fn mapping(&self) -> Result<&'a serde_yaml_ng::Mapping, ImportError> {
        match untag(self.value) {
            Value::Mapping(m) => Ok(m),
            other => Err(self.err(format!("expected a mapping, found {}", kind_name(other)))),
        }
    }

    /// The member `key`, if present and not null.
    fn get(&self, key: &str) -> Option<Y<'a>> {
        let Value::Mapping(m) = untag(self.value) else {
            return None;
        };
        m.get(key)
            .filter(|v| !untag(v).is_null())
            .map(|v| self.at(key, v))
    }

    /// The entries of the mapping `key` (missing or null is none), in file
    /// order, with their keys as text.
    fn entries(&self, key: &str) -> Result<Vec<(String, Y<'a>)>, ImportError> {
        match self.get(key) {
            None => Ok(vec![]),
            Some(node) => node.own_entries(),
        }
    }

    fn own_entries(&self) -> Result<Vec<(String, Y<'a>)>, ImportError> {
        let map = self.mapping()?;
        let mut out = Vec::with_capacity(map.len());
        for (k, v) in map {
            let name = match untag(k) {
                Value::Null => String::new(),
                other => scalar(other).ok_or_else(|| {
                    self.err(format!("a key is {}; keys must be text", kind_name(other)))
                })?,
            };
            out.push((name.clone(), self.at(&name, v)));
        }
        Ok(out)
    }

    /// A scalar member as text (`cwe: 693`, `date: 2020-01-04`).
    fn text(&self, key: &str) -> Result<Option<String>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(node) => scalar(node.value)
                .map(Some)
                .ok_or_else(|| node.err(format!("expected text, found {}", kind_name(node.value)))),
        }
    }

    /// A text member, trimmed, HTML tags removed ("" when missing).
    fn plain(&self, key: &str) -> Result<String, ImportError> {
        Ok(self.text(key)?.map(|t| plain(&t)).unwrap_or_default())
    }

    fn req_text(&self, key: &str) -> Result<String, ImportError> {
        self.mapping()?;
        match self.text(key)? {
            Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
            _ => Err(ImportError::new(
                child_ptr(&self.ptr, key),
                format!("the required key \"{key}\" is missing"),
            )),
        }
    }

    /// Booleans; "true"/"false" (any case) are accepted too.
    fn flag(&self, key: &str) -> Result<bool, ImportError> {
        match self.get(key) {
            None => Ok(false),
            Some(node) => match untag(node.value) {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
                Value::String(s) if s.eq_ignore_ascii_case("false") || s.is_empty() => Ok(false),
                other => Err(node.err(format!(
                    "expected true or false, found {}",
                    kind_name(other)
                ))),
            },
        }
    }

    /// The list `key` of texts with each item's node (missing or null is
    /// empty, null items are skipped, a single text is a list of one).
    fn list(&self, key: &str) -> Result<Vec<(String, Y<'a>)>, ImportError> {
        let Some(node) = self.get(key) else {
            return Ok(vec![]);
        };
        match untag(node.value) {
            Value::Sequence(items) => {
                let mut out = vec![];
                for (i, item) in items.iter().enumerate() {
                    let child = Y {
                        value: item,
                        ptr: format!("{}/{i}", node.ptr),
                    };
                    match untag(item) {
                        Value::Null => {}
                        other => match scalar(other) {
                            Some(s) => out.push((s.trim().to_string(), child)),
                            None => {
                                return Err(
                                    child.err(format!("expected text, found {}", kind_name(other)))
                                )
                            }
                        },
                    }
                }
                Ok(out)
            }
            other => match scalar(other) {
                Some(s) => Ok(vec![(s.trim().to_string(), node.clone())]),
                None => Err(node.err(format!("expected a list, found {}", kind_name(other)))),
            },
        }
    }

    fn texts(&self, key: &str) -> Result<Vec<String>, ImportError> {
        Ok(self.list(key)?.into_iter().map(|(s, _)| s).collect())
    }
}

fn parse(text: &str) -> Result<Value, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut value: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1).max(1);
        ImportError::new(format!("line {line}"), format!("not valid YAML: {e}"))
    })?;
    // Threagile's example builds data assets on each other with YAML merge
    // keys (`<<: *customer-contracts`).
    value.apply_merge().map_err(|e| {
        ImportError::new("/", format!("a YAML merge key (<<) cannot be applied: {e}"))
    })?;
    Ok(value)
}

// ------------------------------------------------------------ text

/// Text with HTML tags removed and the common entities decoded, trimmed,
/// runs of spaces within a line squashed. The result is plain text (a `<`
/// that was `&lt;` stays a character; nothing here is rendered as HTML).
pub(crate) fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let body = after.strip_prefix('/').unwrap_or(after);
        let is_tag = body.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        match (is_tag, after.find('>')) {
            (true, Some(end)) if !after[..end].contains('<') && !after[..end].contains('\n') => {
                let name: String = body
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(name.as_str(), "br" | "p" | "li" | "div") {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// One line of text (YAML's folded blocks end in a newline).
/// (For raw YAML text only: text that has been through [`plain`] once
/// must not be stripped again, or `&lt;b&gt;` decoded to `<b>` is lost;
/// use `one_line` on it.)
/// The name shown for an asset or boundary: its `title` when it has one
/// (course models key by id and title them), else its Threagile key.
fn shown_name(title: &str, key_name: &str) -> String {
    if title.is_empty() {
        line(key_name)
    } else {
        one_line(title)
    }
}

fn line(s: &str) -> String {
    one_line(&plain(s))
}

/// Text already made [`plain`] as one line ending in a full stop (or
/// other closing punctuation).
fn sentence(s: &str) -> String {
    let mut l = one_line(s);
    if !l.is_empty() && !l.ends_with(['.', '!', '?', ':']) {
        l.push('.');
    }
    l
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Threagile's link id: `<source>><title>` with every run of characters
/// other than ASCII letters and digits as `-`, lower case, trimmed of `-`.
pub fn link_id(source: &str, title: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
            dash = false;
        } else if !dash {
            slug.push('-');
            dash = true;
        }
    }
    let slug = slug.trim_matches(|c| c == '-' || c == ' ');
    format!("{source}>{slug}")
}

/// Does Threagile's risk-tracking pattern match this risk id? `*` stands
/// for one `@`-part (`[^@]+`); like Threagile, the pattern may match
/// inside the id. Runs as a set of pattern positions over the id, so a
/// hostile pattern costs at most its length times the id's.
pub fn tracking_matches(pattern: &str, id: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == id;
    }
    #[derive(PartialEq)]
    enum Tok {
        Lit(char),
        /// One character other than `@`.
        One,
        /// Any number of characters other than `@`.
        Many,
    }
    let mut toks = vec![];
    for c in pattern.chars() {
        if c == '*' {
            toks.push(Tok::One);
            toks.push(Tok::Many);
        } else {
            toks.push(Tok::Lit(c));
        }
    }
    let end = toks.len();
    let close = |set: &mut Vec<bool>| {
        for k in 0..end {
            if set[k] && toks[k] == Tok::Many {
                set[k + 1] = true;
            }
        }
    };
    let mut cur = vec![false; end + 1];
    cur[0] = true;
    close(&mut cur);
    for c in id.chars() {
        if cur[end] {
            return true;
        }
        let mut next = vec![false; end + 1];
        next[0] = true;
        for k in 0..end {
            if !cur[k] {
                continue;
            }
            match toks[k] {
                Tok::Lit(x) if x == c => next[k + 1] = true,
                Tok::One if c != '@' => next[k + 1] = true,
                Tok::Many if c != '@' => next[k] = true,
                _ => {}
            }
        }
        close(&mut next);
        cur = next;
    }
    cur[end]
}

// ------------------------------------------------------------ mappings

fn classification(c: &str) -> Option<(Classification, Rating)> {
    Some(match c.trim().to_ascii_lowercase().as_str() {
        "public" => (Classification::Public, Rating::Low),
        "internal" => (Classification::Internal, Rating::Medium),
        "restricted" => (Classification::Confidential, Rating::Medium),
        "confidential" => (Classification::Confidential, Rating::High),
        "strictly-confidential" => (Classification::Restricted, Rating::High),
        _ => return None,
    })
}

fn criticality(c: &str) -> Option<Rating> {
    Some(match c.trim().to_ascii_lowercase().as_str() {
        "archive" | "operational" => Rating::Low,
        "important" => Rating::Medium,
        "critical" | "mission-critical" => Rating::High,
        _ => return None,
    })
}

fn likelihood(l: &str) -> Option<Rating> {
    Some(match l.trim().to_ascii_lowercase().as_str() {
        "unlikely" => Rating::Low,
        "likely" => Rating::Medium,
        "very-likely" | "frequent" => Rating::High,
        _ => return None,
    })
}

fn impact(i: &str) -> Option<Rating> {
    Some(match i.trim().to_ascii_lowercase().as_str() {
        "low" => Rating::Low,
        "medium" => Rating::Medium,
        "high" | "very-high" => Rating::High,
        _ => return None,
    })
}

fn severity(s: &str) -> Option<Severity> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "elevated" | "high" => Severity::High,
        "critical" => Severity::Critical,
        _ => return None,
    })
}

/// PII, PHI, PCI and credentials tags of a data asset: from its tags, and
/// from words in its id, name and description (not from the rating's
/// justification, which says as often what the data does not hold).
fn data_tags(tags: &[String], text: &str) -> Vec<DataTag> {
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let joined = format!(" {} ", words.join(" "));
    let has = |needles: &[&str]| needles.iter().any(|n| joined.contains(&format!(" {n}")));
    let tag_is = |names: &[&str]| {
        tags.iter()
            .any(|t| names.iter().any(|n| t.eq_ignore_ascii_case(n)))
    };
    let mut out = vec![];
    if tag_is(&["pii", "gdpr", "personal-data", "dsgvo"])
        || has(&["pii ", "personal", "personally identifiable"])
    {
        out.push(DataTag::Pii);
    }
    if tag_is(&["phi", "hipaa", "health"]) || has(&["phi ", "health", "medical", "patient"]) {
        out.push(DataTag::Phi);
    }
    if tag_is(&["pci", "pci-dss", "cardholder-data"])
        || has(&[
            "pci ",
            "credit card",
            "card number",
            "cardholder",
            "payment card",
        ])
    {
        out.push(DataTag::Pci);
    }
    if tag_is(&[
        "credentials",
        "credential",
        "secret",
        "secrets",
        "password",
        "passwords",
    ]) || has(&["password", "credential", "secret", "private key", "api key"])
        // Whole words: bearer tokens are credentials, "tokenized" data is not.
        || has(&["token ", "tokens ", "jwt ", "jwts "])
    {
        out.push(DataTag::Credentials);
    }
    out
}

fn encrypted_protocol(p: &str) -> bool {
    let p = p.trim().to_ascii_lowercase();
    p.ends_with("-encrypted")
        || matches!(
            p.as_str(),
            "https" | "wss" | "ssh" | "ssh-tunnel" | "ftps" | "sftp" | "scp" | "ldaps"
        )
}

/// Rule properties and conventional tags from Threagile technologies.
fn apply_technology(e: &mut Element, tech: &str) {
    let t = tech.trim().to_ascii_lowercase();
    let p = &mut e.props;
    match t.as_str() {
        "web-server" | "web-application" | "application-server" | "cms" | "erp"
        | "report-engine" => p.web_application = true,
        "identity-provider" => {
            p.web_application = true;
            p.stores_credentials = true;
        }
        "gateway" | "reverse-proxy" | "load-balancer" | "waf" => p.api_gateway = true,
        "message-queue" | "stream-processing" => p.queue_or_stream = true,
        "ai" => p.llm_component = true,
        "monitoring" => p.is_log = true,
        "vault" | "hsm" | "identity-store-ldap" | "identity-store-database" | "ldap-server" => {
            p.stores_credentials = true
        }
        _ => {}
    }
    let tag = match t.as_str() {
        "identity-provider" | "identity-store-ldap" | "identity-store-database" | "ldap-server" => {
            Some("identity-provider")
        }
        "vault" | "hsm" => Some("secrets-manager"),
        "build-pipeline" | "sourcecode-repository" | "artifact-registry" => Some("ci-cd"),
        "file-server" | "local-file-system" | "block-storage" => Some("files"),
        "search-index" | "search-engine" => Some("search-index"),
        "batch-processing" => Some("batch"),
        _ => None,
    };
    if let Some(tag) = tag {
        push_tag(&mut e.props.tags, tag);
    }
    push_tag(&mut e.props.tags, &format!("technology: {t}"));
}

fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.trim();
    if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
        tags.push(tag.to_string());
    }
}

/// Threagile's built-in risk rules: id, title and the STRIDE category each
/// declares (`risks/built-in/*`).
// Checked entry by entry against the `Id`, `Title` and `STRIDE` fields of
// the `Category()` function in each of Threagile's
// `risks/built-in/<rule-id>/<rule-id>-rule.go` files (and
// `wrong-trust-boundary-content/wrong-trust-boundary-content.go`).
const BUILTIN_CATEGORIES: &[(&str, &str, Stride)] = &[
    (
        "accidental-secret-leak",
        "Accidental Secret Leak",
        Stride::InformationDisclosure,
    ),
    ("code-backdooring", "Code Backdooring", Stride::Tampering),
    (
        "container-baseimage-backdooring",
        "Container Base Image Backdooring",
        Stride::Tampering,
    ),
    (
        "container-platform-escape",
        "Container Platform Escape",
        Stride::ElevationOfPrivilege,
    ),
    (
        "cross-site-request-forgery",
        "Cross-Site Request Forgery (CSRF)",
        Stride::Spoofing,
    ),
    (
        "cross-site-scripting",
        "Cross-Site Scripting (XSS)",
        Stride::Tampering,
    ),
    (
        "dos-risky-access-across-trust-boundary",
        "DoS-risky Access Across Trust-Boundary",
        Stride::DenialOfService,
    ),
    (
        "incomplete-model",
        "Incomplete Model",
        Stride::InformationDisclosure,
    ),
    ("ldap-injection", "LDAP-Injection", Stride::Tampering),
    (
        "missing-authentication",
        "Missing Authentication",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-authentication-second-factor",
        "Missing Two-Factor Authentication (2FA)",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-build-infrastructure",
        "Missing Build Infrastructure",
        Stride::Tampering,
    ),
    (
        "missing-cloud-hardening",
        "Missing Cloud Hardening",
        Stride::Tampering,
    ),
    (
        "missing-file-validation",
        "Missing File Validation",
        Stride::Spoofing,
    ),
    ("missing-hardening", "Missing Hardening", Stride::Tampering),
    (
        "missing-identity-propagation",
        "Missing Identity Propagation",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-identity-provider-isolation",
        "Missing Identity Provider Isolation",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-identity-store",
        "Missing Identity Store",
        Stride::Spoofing,
    ),
    (
        "missing-network-segmentation",
        "Missing Network Segmentation",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-vault",
        "Missing Vault (Secret Storage)",
        Stride::InformationDisclosure,
    ),
    (
        "missing-vault-isolation",
        "Missing Vault Isolation",
        Stride::ElevationOfPrivilege,
    ),
    (
        "missing-waf",
        "Missing Web Application Firewall (WAF)",
        Stride::Tampering,
    ),
    (
        "mixed-targets-on-shared-runtime",
        "Mixed Targets on Shared Runtime",
        Stride::ElevationOfPrivilege,
    ),
    (
        "path-traversal",
        "Path-Traversal",
        Stride::InformationDisclosure,
    ),
    (
        "push-instead-of-pull-deployment",
        "Push instead of Pull Deployment",
        Stride::Tampering,
    ),
    (
        "search-query-injection",
        "Search-Query Injection",
        Stride::Tampering,
    ),
    (
        "server-side-request-forgery",
        "Server-Side Request Forgery (SSRF)",
        Stride::InformationDisclosure,
    ),
    (
        "service-registry-poisoning",
        "Service Registry Poisoning",
        Stride::Spoofing,
    ),
    (
        "sql-nosql-injection",
        "SQL/NoSQL-Injection",
        Stride::Tampering,
    ),
    (
        "unchecked-deployment",
        "Unchecked Deployment",
        Stride::Tampering,
    ),
    (
        "unencrypted-asset",
        "Unencrypted Technical Assets",
        Stride::InformationDisclosure,
    ),
    (
        "unencrypted-communication",
        "Unencrypted Communication",
        Stride::InformationDisclosure,
    ),
    (
        "unguarded-access-from-internet",
        "Unguarded Access From Internet",
        Stride::ElevationOfPrivilege,
    ),
    (
        "unguarded-direct-datastore-access",
        "Unguarded Direct Datastore Access",
        Stride::ElevationOfPrivilege,
    ),
    (
        "unnecessary-communication-link",
        "Unnecessary Communication Link",
        Stride::ElevationOfPrivilege,
    ),
    (
        "unnecessary-data-asset",
        "Unnecessary Data Asset",
        Stride::ElevationOfPrivilege,
    ),
    (
        "unnecessary-data-transfer",
        "Unnecessary Data Transfer",
        Stride::ElevationOfPrivilege,
    ),
    (
        "unnecessary-technical-asset",
        "Unnecessary Technical Asset",
        Stride::ElevationOfPrivilege,
    ),
    (
        "untrusted-deserialization",
        "Untrusted Deserialization",
        Stride::Tampering,
    ),
    (
        "wrong-communication-link-content",
        "Wrong Communication Link Content",
        Stride::InformationDisclosure,
    ),
    (
        "wrong-trust-boundary-content",
        "Wrong Trust Boundary Content",
        Stride::ElevationOfPrivilege,
    ),
    (
        "xml-external-entity",
        "XML External Entity (XXE)",
        Stride::InformationDisclosure,
    ),
];

/// The stable id of `key`, or of `key/1`, `key/2`... when taken (two risks
/// with one Threagile id); marks it used.
fn unused_id(model_id: &Uuid, key: &str, used: &mut HashSet<Uuid>) -> Uuid {
    let mut id = stable_id(model_id, key);
    let mut n = 0;
    while !used.insert(id) {
        n += 1;
        id = stable_id(model_id, &format!("{key}/{n}"));
    }
    id
}

fn threat_category(stride: &str) -> (Stride, bool) {
    category_from_name(&stride.replace('-', " "))
}

// ------------------------------------------------------------ import

/// A technical asset as read; its element is `Reader::diagram.elements` at
/// the same index.
struct Asset<'a> {
    key: String,
    node: Y<'a>,
    internet: bool,
    human: bool,
    external: bool,
}

/// A communication link as read, between assets (indexes).
struct Link {
    flow: Flow,
    source: usize,
    target: usize,
}

/// The model being built and the Threagile ids read so far.
struct Reader<'a> {
    model_id: Uuid,
    model: ThreatModel,
    diagram: Diagram,
    /// Paragraphs of the model description, in order.
    paragraphs: Vec<String>,
    /// The description notes Threat Dragon export writes back onto flows
    /// and boundaries; they follow the paragraphs. Kept apart (each note is
    /// made on an empty text) so a model of thousands of links does not
    /// search the growing description once per link.
    notes: Vec<String>,
    data_ids: HashMap<String, usize>,
    assets: Vec<Asset<'a>>,
    asset_ids: HashMap<String, usize>,
    links: Vec<Link>,
    link_ids: HashMap<String, usize>,
    boundary_ids: HashMap<String, usize>,
    /// Parent of each boundary (indexes).
    parent: Vec<Option<usize>>,
    /// Innermost boundary of each asset.
    asset_boundary: Vec<Option<usize>>,
    runtime_ids: HashMap<String, Vec<usize>>,
    tracking: Vec<(String, Y<'a>)>,
    /// The first entry of each exact id, and the entries with wildcards in
    /// file order: a risk finds its decision without a scan of every entry.
    tracking_exact: HashMap<String, usize>,
    tracking_patterns: Vec<usize>,
    /// Risk-tracking entries applied to an imported risk.
    applied: HashSet<usize>,
    /// Risk-tracking entries on built-in rules imported as threats.
    tracked_builtin: HashSet<usize>,
}

/// Reads a Threagile model (YAML).
pub fn import(text: &str, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let value = parse(text)?;
    let root = Y {
        value: &value,
        ptr: String::new(),
    };
    if is_risk_list(&value) {
        return Err(ImportError::new(
            "/",
            "this is Threagile's risk list (risks.json, the risks its analysis found, each with a \
             synthetic_id), not a model file: import the threagile.yaml it was made from",
        ));
    }
    root.mapping()?;
    if root.get("threagile_version").is_none() {
        let what = serde_json::to_value(&value)
            .ok()
            .and_then(|v| looks_like(&v))
            .map(|w| format!("; it looks like {w}"))
            .unwrap_or_default();
        return Err(ImportError::new(
            "/threagile_version",
            format!(
                "the required key \"threagile_version\" is missing: this is not a Threagile model{what}"
            ),
        ));
    }
    if looks_parsed(&root) {
        return Err(ImportError::new(
            "/",
            "this is Threagile's parsed model (the model as Threagile read it, written by its \
             analysis: assets keyed by id, links as lists with source_id and target_id, values at \
             their default left out), not a model file: import the threagile.yaml it was made from",
        ));
    }
    // Threagile merges `includes` when it runs; a file that is only a list
    // of includes (its own test/main.yaml) has its title elsewhere.
    let includes = root.texts("includes")?;
    if root.text("title")?.is_none() && !includes.is_empty() {
        return Err(ImportError::new(
            "/title",
            format!(
                "the required key \"title\" is missing; this model includes {} (Threagile merges them when it runs), \
                 and this import reads one file: merge the included files into one model first",
                includes.join(", ")
            ),
        ));
    }
    let title = root.req_text("title").map(|t| line(&t))?;
    if title.is_empty() {
        return Err(ImportError::new(
            "/title",
            "the model's title is empty; a threat model needs a name (models are matched by name on import)",
        ));
    }
    let model_id = stable_id(&NAMESPACE, &format!("{workspace_id}/{title}"));
    let mut model = ThreatModel::new(workspace_id, title.clone());
    model.id = model_id;
    let mut diagram = Diagram::new(title);
    diagram.id = stable_id(&model_id, "diagram/0");
    let mut r = Reader {
        model_id,
        model,
        diagram,
        paragraphs: vec![],
        notes: vec![],
        data_ids: HashMap::new(),
        assets: vec![],
        asset_ids: HashMap::new(),
        links: vec![],
        link_ids: HashMap::new(),
        boundary_ids: HashMap::new(),
        parent: vec![],
        asset_boundary: vec![],
        runtime_ids: HashMap::new(),
        tracking: vec![],
        tracking_exact: HashMap::new(),
        tracking_patterns: vec![],
        applied: HashSet::new(),
        tracked_builtin: HashSet::new(),
    };
    overview_paragraphs(&root, &mut r.paragraphs)?;
    r.data_assets(&root)?;
    r.technical_assets(&root)?;
    r.links()?;
    r.access_flags();
    r.boundaries(&root)?;
    r.shared_runtimes(&root)?;
    for (id, t) in root.entries("risk_tracking")? {
        t.mapping()?;
        let id = id.trim().to_string();
        let k = r.tracking.len();
        if id.contains('*') {
            r.tracking_patterns.push(k);
        } else {
            r.tracking_exact.entry(id.clone()).or_insert(k);
        }
        r.tracking.push((id, t));
    }
    r.individual_risks(&root)?;
    r.tracked_builtin_risks()?;
    r.tracking_notes()?;
    if let Some(tweaks) = diagram_tweaks(&root)? {
        r.paragraphs.push(tweaks);
    }
    if let Some(unread) = unread_keys(&root) {
        r.paragraphs.push(unread);
    }
    r.finish(&root)
}

impl<'a> Reader<'a> {
    /// A description note, made by one of Threat Dragon's `note_*`
    /// functions on an empty text.
    fn note(&mut self, make: impl FnOnce(&mut String)) {
        let mut text = String::new();
        make(&mut text);
        if !text.is_empty() {
            self.notes.push(text);
        }
    }

    fn data_name(&self, key: &str) -> String {
        self.data_ids
            .get(key)
            .map(|&i| self.model.data_assets[i].name.clone())
            .unwrap_or_else(|| key.to_string())
    }

    /// The data asset a list item names.
    fn data_ref(&self, d: &str, node: &Y<'_>) -> Result<usize, ImportError> {
        self.data_ids
            .get(d)
            .copied()
            .ok_or_else(|| node.err(format!("names the unknown data asset \"{d}\"")))
    }

    /// The technical asset a list item names.
    fn asset_ref(&self, a: &str, node: &Y<'_>) -> Result<usize, ImportError> {
        self.asset_ids
            .get(a)
            .copied()
            .ok_or_else(|| node.err(format!("names the unknown technical asset \"{a}\"")))
    }

    /// Whether boundary `inner` is `outer` or nested in it.
    fn inside(&self, outer: usize, mut inner: usize) -> bool {
        for _ in 0..=self.parent.len() {
            if inner == outer {
                return true;
            }
            match self.parent[inner] {
                Some(p) => inner = p,
                None => return false,
            }
        }
        false
    }

    fn data_assets(&mut self, root: &Y<'a>) -> Result<(), ImportError> {
        let mut lines = vec![];
        for (name, a) in root.entries("data_assets")? {
            let key = a.req_text("id")?;
            if self
                .data_ids
                .insert(key.clone(), self.model.data_assets.len())
                .is_some()
            {
                return Err(a.err(format!("the data asset id \"{key}\" is used twice")));
            }
            // A `title` names it as it names an asset (models keyed by id
            // title their data assets too); the key stays in its line.
            let title = a.plain("title")?;
            let name = line(&name);
            let shown = shown_name(&title, &name);
            let mut asset = DataAsset::new(shown.clone(), Classification::Internal);
            asset.id = stable_id(&self.model_id, &format!("data/{key}"));
            if let Some((class, rating)) = classification(&a.plain("confidentiality")?) {
                asset.classification = class;
                asset.confidentiality = rating;
            }
            if let Some(r) = criticality(&a.plain("integrity")?) {
                asset.integrity = r;
            }
            if let Some(r) = criticality(&a.plain("availability")?) {
                asset.availability = r;
            }
            let tags = a.texts("tags")?;
            let description = a.plain("description")?;
            asset.tags = data_tags(&tags, &format!("{key} {name} {title} {description}"));
            // Threagile's privacy extension marks personal data so.
            if a.plain("dataassettype")?.eq_ignore_ascii_case("pi")
                && !asset.tags.contains(&DataTag::Pii)
            {
                asset.tags.insert(0, DataTag::Pii);
            }
            // What has no field of its own: a line of the model description.
            let mut facts = vec![format!("id {key}")];
            if !title.is_empty() && name != key {
                facts.push(format!("key \"{}\"", line(&name)));
            }
            let name = shown;
            for k in [
                "usage",
                "quantity",
                "owner",
                "origin",
                "confidentiality",
                "integrity",
                "availability",
            ] {
                let v = a.plain(k)?;
                if !v.is_empty() {
                    facts.push(format!("{k} {v}"));
                }
            }
            if !tags.is_empty() {
                facts.push(format!("tags {}", tags.join(", ")));
            }
            let mut l = format!("- {name} ({})", facts.join("; "));
            if !description.is_empty() {
                l.push_str(&format!(": {}", sentence(&description)));
            }
            let why = a.plain("justification_cia_rating")?;
            if !why.is_empty() {
                l.push_str(&format!(" Rating justification: {}", sentence(&why)));
            }
            lines.push(l);
            self.model.data_assets.push(asset);
        }
        if !lines.is_empty() {
            self.paragraphs
                .push(format!("Data assets:\n{}", lines.join("\n")));
        }
        Ok(())
    }

    fn technical_assets(&mut self, root: &Y<'a>) -> Result<(), ImportError> {
        for (name, a) in root.entries("technical_assets")? {
            let key = a.req_text("id")?;
            if self
                .asset_ids
                .insert(key.clone(), self.assets.len())
                .is_some()
            {
                return Err(a.err(format!("the technical asset id \"{key}\" is used twice")));
            }
            let element = self.technical_asset(&key, &name, &a)?;
            self.assets.push(Asset {
                key,
                internet: a.flag("internet")?,
                human: a.flag("used_as_client_by_human")?,
                external: element.kind == ElementKind::ExternalEntity,
                node: a,
            });
            self.diagram.elements.push(element);
        }
        self.asset_boundary = vec![None; self.assets.len()];
        Ok(())
    }

    fn technical_asset(&self, key: &str, name: &str, a: &Y<'a>) -> Result<Element, ImportError> {
        let kind = match a.plain("type")?.to_ascii_lowercase().as_str() {
            "external-entity" => ElementKind::ExternalEntity,
            "process" | "" => ElementKind::Process,
            "datastore" | "data-store" => ElementKind::DataStore,
            other => {
                let reason = format!(
                    "unknown technical asset type \"{other}\"; expected external-entity, process or datastore"
                );
                return Err(match a.get("type") {
                    Some(t) => t.err(reason),
                    None => a.err(reason),
                });
            }
        };
        // Threagile names an asset by its key; course models key assets by
        // id and give them a `title` (which Threagile does not read): the
        // title names it here, and the key stays in the description.
        let title = a.plain("title")?;
        let mut e = Element::new(kind, shown_name(&title, name));
        e.id = stable_id(&self.model_id, &format!("asset/{key}"));
        let internet = a.flag("internet")?;
        if a.flag("out_of_scope")? {
            e.out_of_scope = Some(a.plain("justification_out_of_scope")?);
        }
        let encryption = a.plain("encryption")?.to_ascii_lowercase();
        e.props.encrypted_at_rest = !matches!(encryption.as_str(), "" | "none");
        let mut techs: Vec<String> = vec![];
        for t in a
            .text("technology")?
            .into_iter()
            .chain(a.texts("technologies")?)
        {
            let t = t.trim().to_string();
            if !t.is_empty() && !techs.contains(&t) {
                techs.push(t);
            }
        }
        for t in &techs {
            apply_technology(&mut e, t);
        }
        for t in a.texts("tags")? {
            push_tag(&mut e.props.tags, &t);
        }
        let multi_tenant = a.flag("multi_tenant")?;
        if multi_tenant {
            push_tag(&mut e.props.tags, "multi-tenant");
        }
        if internet {
            push_tag(&mut e.props.tags, "internet-facing");
        }
        let mut processed = vec![];
        for (d, node) in a.list("data_assets_processed")? {
            self.data_ref(&d, &node)?;
            processed.push(self.data_name(&d));
        }
        let mut stored = vec![];
        for (d, node) in a.list("data_assets_stored")? {
            let i = self.data_ref(&d, &node)?;
            if self.model.data_assets[i]
                .tags
                .contains(&DataTag::Credentials)
            {
                e.props.stores_credentials = true;
            }
            stored.push(self.data_name(&d));
        }

        // The description: Threagile's, then what has no field of its own.
        let mut lines = vec![];
        let mut facts = vec![format!("Threagile technical asset {key}")];
        if !title.is_empty() && name != key {
            facts.push(format!("key \"{}\"", line(name)));
        }
        if !techs.is_empty() {
            facts.push(format!("technology {}", techs.join(", ")));
        }
        for k in ["size", "machine", "usage", "owner", "diagram_tweak_order"] {
            let v = a.plain(k)?;
            if !v.is_empty() {
                facts.push(format!("{k} {v}"));
            }
        }
        lines.push(format!("{}.", facts.join("; ")));
        let mut cia = vec![];
        for k in ["confidentiality", "integrity", "availability"] {
            let v = a.plain(k)?;
            if !v.is_empty() {
                cia.push(format!("{k} {v}"));
            }
        }
        let why = a.plain("justification_cia_rating")?;
        if !cia.is_empty() || !why.is_empty() {
            let mut l = format!("Rating: {}", cia.join(", "));
            if !why.is_empty() {
                l.push_str(&format!(" ({})", one_line(&why).trim_end_matches('.')));
            }
            lines.push(format!("{}.", l.trim_end_matches('.')));
        }
        lines.push(format!(
            "Encryption: {}. Internet: {}. Used as client by a human: {}. \
             Custom-developed parts: {}. Multi-tenant: {}. Redundant: {}.",
            if encryption.is_empty() {
                "none"
            } else {
                &encryption
            },
            yes(internet),
            yes(a.flag("used_as_client_by_human")?),
            yes(a.flag("custom_developed_parts")?),
            yes(multi_tenant),
            yes(a.flag("redundant")?),
        ));
        if !processed.is_empty() {
            lines.push(format!("Data processed: {}.", processed.join(", ")));
        }
        if !stored.is_empty() {
            lines.push(format!("Data stored: {}.", stored.join(", ")));
        }
        let formats = a.texts("data_formats_accepted")?;
        if !formats.is_empty() {
            lines.push(format!("Data formats accepted: {}.", formats.join(", ")));
        }
        let description = a.plain("description")?;
        e.description = if description.is_empty() {
            lines.join("\n")
        } else {
            format!("{description}\n\n{}", lines.join("\n"))
        };
        Ok(e)
    }

    fn links(&mut self) -> Result<(), ImportError> {
        // The last suffix tried per base id, so k links whose titles give
        // the same id probe k suffixes in all, not k² (every all-non-ASCII
        // title slugs alike).
        let mut tried: HashMap<String, usize> = HashMap::new();
        // How many links give each Threagile id: which of alike titles gets
        // the bare id depends on file order, so their flows' ids come from
        // their own titles (unique within an asset) and reordering links
        // keeps every flow's id.
        let mut alike: HashMap<String, usize> = HashMap::new();
        for asset in &self.assets {
            for (title, _) in asset.node.entries("communication_links")? {
                *alike.entry(link_id(&asset.key, &title)).or_default() += 1;
            }
        }
        for source in 0..self.assets.len() {
            let node = self.assets[source].node.clone();
            for (title, l) in node.entries("communication_links")? {
                l.mapping()?;
                let target_key = l.req_text("target")?;
                let Some(&target) = self.asset_ids.get(&target_key) else {
                    return Err(ImportError::new(
                        child_ptr(&l.ptr, "target"),
                        format!("names the unknown technical asset \"{target_key}\""),
                    ));
                };
                let base = link_id(&self.assets[source].key, &title);
                let n = tried.entry(base.clone()).or_insert(1);
                let mut id = if *n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                while self.link_ids.contains_key(&id) {
                    *n += 1;
                    id = format!("{base}-{n}");
                }
                let flow_key = if alike.get(&base) == Some(&1) {
                    format!("link/{id}")
                } else {
                    format!("link-title/{}>{title}", self.assets[source].key)
                };
                let flow = self.link(source, target, &id, &flow_key, &title, &l)?;
                self.link_ids.insert(id, self.links.len());
                self.links.push(Link {
                    flow,
                    source,
                    target,
                });
            }
        }
        Ok(())
    }

    fn link(
        &mut self,
        source: usize,
        target: usize,
        id: &str,
        flow_key: &str,
        title: &str,
        l: &Y<'a>,
    ) -> Result<Flow, ImportError> {
        // A `title` (see technical assets) names the link; its key still
        // makes its Threagile id.
        let titled = l.plain("title")?;
        let mut flow = Flow::new(
            if titled.is_empty() {
                line(title)
            } else {
                one_line(&titled)
            },
            self.diagram.elements[source].id,
            self.diagram.elements[target].id,
        );
        flow.id = stable_id(&self.model_id, flow_key);
        let protocol = l.plain("protocol")?.to_ascii_lowercase();
        let vpn = l.flag("vpn")?;
        flow.encrypted_in_transit = encrypted_protocol(&protocol) || vpn;
        flow.protocol = protocol.clone();
        let authentication = l.plain("authentication")?.to_ascii_lowercase();
        let authorization = l.plain("authorization")?.to_ascii_lowercase();
        flow.authenticated = !matches!(authentication.as_str(), "" | "none");
        flow.authorized = !matches!(authorization.as_str(), "" | "none");
        flow.crosses_public_network = self.assets[source].internet || self.assets[target].internet;
        let mut sent = vec![];
        let mut received = vec![];
        for (which, out) in [
            ("data_assets_sent", &mut sent),
            ("data_assets_received", &mut received),
        ] {
            for (d, node) in l.list(which)? {
                let i = self.data_ref(&d, &node)?;
                let data = &self.model.data_assets[i];
                if !flow.data.contains(&data.id) {
                    flow.data.push(data.id);
                }
                out.push(data.name.clone());
            }
        }
        flow.bidirectional = !received.is_empty();

        // What has no field of its own: the flow's description line.
        let mut facts = vec![format!("Threagile link {id}")];
        for (k, v) in [
            ("protocol", &protocol),
            ("authentication", &authentication),
            ("authorization", &authorization),
        ] {
            if !v.is_empty() {
                facts.push(format!("{k} {v}"));
            }
        }
        let usage = l.plain("usage")?;
        if !usage.is_empty() {
            facts.push(format!("usage {usage}"));
        }
        if vpn {
            facts.push("over a VPN".into());
        }
        if l.flag("ip_filtered")? {
            facts.push("IP-filtered".into());
        }
        if l.flag("readonly")? {
            facts.push("read-only".into());
        }
        for k in ["diagram_tweak_weight", "diagram_tweak_constraint"] {
            let v = l.plain(k)?;
            if !v.is_empty() {
                facts.push(format!("{k} {v}"));
            }
        }
        let tags = l.texts("tags")?;
        if !tags.is_empty() {
            facts.push(format!("tags {}", tags.join(", ")));
        }
        if !sent.is_empty() {
            facts.push(format!("sends {}", sent.join(", ")));
        }
        if !received.is_empty() {
            facts.push(format!("receives {}", received.join(", ")));
        }
        let description = l.plain("description")?;
        let text = if description.is_empty() {
            format!("({})", facts.join("; "))
        } else {
            format!("{} ({})", one_line(&description), facts.join("; "))
        };
        self.note(|d| note_flow_description(d, flow.id, &flow.name, &text));
        Ok(flow)
    }

    /// Who handles untrusted input (on the internet, or reached from an
    /// external entity, a human's client or the internet) and who controls
    /// access (reached only by authenticated and authorized links).
    fn access_flags(&mut self) {
        let n = self.assets.len();
        let mut untrusted: Vec<bool> = self.assets.iter().map(|a| a.internet).collect();
        let mut reached = vec![false; n];
        let mut all_checked = vec![true; n];
        for l in self.links.iter().filter(|l| l.source != l.target) {
            let from = &self.assets[l.source];
            if from.external || from.human || from.internet {
                untrusted[l.target] = true;
            }
            reached[l.target] = true;
            all_checked[l.target] &= l.flow.authenticated && l.flow.authorized;
        }
        for (i, e) in self.diagram.elements.iter_mut().enumerate() {
            e.props.handles_untrusted_input = untrusted[i] && e.kind != ElementKind::ExternalEntity;
            e.props.has_access_control = reached[i] && all_checked[i];
        }
    }

    fn boundaries(&mut self, root: &Y<'a>) -> Result<(), ImportError> {
        let nodes = root.entries("trust_boundaries")?;
        for (name, b) in &nodes {
            let key = b.req_text("id")?;
            if self
                .boundary_ids
                .insert(key.clone(), self.diagram.boundaries.len())
                .is_some()
            {
                return Err(b.err(format!("the trust boundary id \"{key}\" is used twice")));
            }
            // A `title` names the boundary as it names an asset (the same
            // course models title their boundaries); the key stays below.
            let title = b.plain("title")?;
            let mut tb = TrustBoundary::new(shown_name(&title, name), None);
            tb.id = stable_id(&self.model_id, &format!("boundary/{key}"));
            let mut facts = vec![format!("Threagile trust boundary {key}")];
            if !title.is_empty() && *name != key {
                facts.push(format!("key \"{}\"", line(name)));
            }
            let ty = b.plain("type")?;
            if !ty.is_empty() {
                facts.push(format!("type {ty}"));
            }
            let tags = b.texts("tags")?;
            if !tags.is_empty() {
                facts.push(format!("tags {}", tags.join(", ")));
            }
            let description = b.plain("description")?;
            let text = if description.is_empty() {
                format!("({})", facts.join("; "))
            } else {
                format!("{} ({})", one_line(&description), facts.join("; "))
            };
            self.note(|d| note_boundary_description(d, tb.id, &tb.name, &text));
            self.diagram.boundaries.push(tb);
        }

        // Nesting.
        self.parent = vec![None; nodes.len()];
        for (i, (_, b)) in nodes.iter().enumerate() {
            for (child, node) in b.list("trust_boundaries_nested")? {
                let Some(&c) = self.boundary_ids.get(&child) else {
                    return Err(node.err(format!("names the unknown trust boundary \"{child}\"")));
                };
                if c == i {
                    return Err(node.err("a trust boundary cannot be nested in itself"));
                }
                if let Some(p) = self.parent[c].filter(|&p| p != i) {
                    return Err(node.err(format!(
                        "trust boundary \"{child}\" is already nested in \"{}\"; a boundary can be nested in one boundary only",
                        self.diagram.boundaries[p].name
                    )));
                }
                self.parent[c] = Some(i);
            }
        }
        for (start, (_, b)) in nodes.iter().enumerate() {
            let mut seen = HashSet::new();
            let mut cur = Some(start);
            while let Some(z) = cur {
                if !seen.insert(z) {
                    return Err(ImportError::new(
                        child_ptr(&b.ptr, "trust_boundaries_nested"),
                        "trust boundaries are nested in each other in a cycle",
                    ));
                }
                cur = self.parent[z];
            }
        }
        for (i, p) in self.parent.iter().enumerate() {
            self.diagram.boundaries[i].parent = p.map(|p| self.diagram.boundaries[p].id);
        }

        // Containment: an asset listed by a boundary and by one nested in
        // it is in the inner one.
        for (i, (_, b)) in nodes.iter().enumerate() {
            for (a, node) in b.list("technical_assets_inside")? {
                let ai = self.asset_ref(&a, &node)?;
                self.asset_boundary[ai] = match self.asset_boundary[ai] {
                    None => Some(i),
                    Some(cur) if self.inside(cur, i) => Some(i),
                    Some(cur) if self.inside(i, cur) => Some(cur),
                    Some(cur) => {
                        return Err(node.err(format!(
                            "technical asset \"{a}\" is already inside trust boundary \"{}\"; an asset can be inside one boundary (and the boundaries it is nested in) only",
                            self.diagram.boundaries[cur].name
                        )))
                    }
                };
            }
        }
        for (ai, b) in self.asset_boundary.iter().enumerate() {
            self.diagram.elements[ai].boundary = b.map(|b| self.diagram.boundaries[b].id);
        }
        Ok(())
    }

    fn shared_runtimes(&mut self, root: &Y<'a>) -> Result<(), ImportError> {
        let mut lines = vec![];
        for (name, r) in root.entries("shared_runtimes")? {
            let key = r.req_text("id")?;
            let name = shown_name(&r.plain("title")?, &name);
            let mut running = vec![];
            let mut names = vec![];
            for (a, node) in r.list("technical_assets_running")? {
                let ai = self.asset_ref(&a, &node)?;
                running.push(ai);
                let e = &mut self.diagram.elements[ai];
                names.push(e.name.clone());
                e.description
                    .push_str(&format!("\nShared runtime: {name} ({key})."));
            }
            let mut l = format!("- {name} ({key})");
            let description = r.plain("description")?;
            if !description.is_empty() {
                l.push_str(&format!(": {}", one_line(&description)));
            }
            let tags = r.texts("tags")?;
            if !tags.is_empty() {
                l.push_str(&format!("; tags {}", tags.join(", ")));
            }
            if !names.is_empty() {
                l.push_str(&format!("; runs {}", names.join(", ")));
            }
            lines.push(l);
            self.runtime_ids.insert(key, running);
        }
        if !lines.is_empty() {
            self.paragraphs
                .push(format!("Shared runtimes:\n{}", lines.join("\n")));
        }
        Ok(())
    }

    fn individual_risks(&mut self, root: &Y<'a>) -> Result<(), ImportError> {
        let mut used = HashSet::new();
        let mut loose = vec![];
        let mut categories = root.entries("individual_risk_categories")?;
        // Threagile's current input model lists them as
        // `custom_risk_categories`, each item with its `id` and `title`.
        if let Some(list) = root.get("custom_risk_categories") {
            let Value::Sequence(items) = untag(list.value) else {
                return Err(list.err(format!(
                    "expected a list of risk categories, found {}",
                    kind_name(untag(list.value))
                )));
            };
            for (i, item) in items.iter().enumerate() {
                let c = Y {
                    value: item,
                    ptr: format!("{}/{i}", list.ptr),
                };
                let id = c.req_text("id")?;
                let title = c.plain("title")?;
                categories.push((if title.is_empty() { id } else { title }, c));
            }
        }
        for (cat_name, c) in categories {
            let category = RiskCategory::read(&cat_name, &c)?;
            for (risk_name, r) in c.entries("risks_identified")? {
                r.mapping()?;
                match self.risk(&category, &risk_name, &r, &mut used)? {
                    Ok(threat) => self.model.threats.push(threat),
                    Err(text) => loose.push(text),
                }
            }
        }
        if !loose.is_empty() {
            self.paragraphs.push(format!(
                "Threagile individual risks with nothing to attach them to:\n{}",
                loose.join("\n")
            ));
        }
        Ok(())
    }

    /// One identified risk: a threat, or (`Err`) the description line of a
    /// risk with nothing to attach it to.
    fn risk(
        &mut self,
        c: &RiskCategory,
        name: &str,
        r: &Y<'a>,
        used: &mut HashSet<Uuid>,
    ) -> Result<Result<Threat, String>, ImportError> {
        let title = line(name);
        let reference = |key: &str| -> Result<Option<(String, Y<'a>)>, ImportError> {
            Ok(r.text(key)?
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .map(|s| (s, r.get(key).unwrap_or_else(|| r.clone()))))
        };
        let asset_ref = reference("most_relevant_technical_asset")?;
        let link_ref = reference("most_relevant_communication_link")?;
        let boundary_ref = reference("most_relevant_trust_boundary")?;
        let runtime_ref = reference("most_relevant_shared_runtime")?;
        let data_ref = reference("most_relevant_data_asset")?;
        let asset_i = match &asset_ref {
            Some((a, node)) => Some(self.asset_ref(a, node)?),
            None => None,
        };
        let link_i = match &link_ref {
            Some((l, node)) => Some(*self.link_ids.get(l).ok_or_else(|| {
                node.err(format!(
                    "names the unknown communication link \"{l}\" (Threagile link ids are <source asset id>><link title in lower case, dashes for other characters>)"
                ))
            })?),
            None => None,
        };
        let boundary_i =
            match &boundary_ref {
                Some((b, node)) => Some(*self.boundary_ids.get(b).ok_or_else(|| {
                    node.err(format!("names the unknown trust boundary \"{b}\""))
                })?),
                None => None,
            };
        let runtime_assets =
            match &runtime_ref {
                Some((s, node)) => Some(self.runtime_ids.get(s).cloned().ok_or_else(|| {
                    node.err(format!("names the unknown shared runtime \"{s}\""))
                })?),
                None => None,
            };
        if let Some((d, node)) = &data_ref {
            self.data_ref(d, node)?;
        }
        let mut breach = vec![];
        for (a, node) in r.list("data_breach_technical_assets")? {
            breach.push(self.asset_ref(&a, &node)?);
        }
        // Threagile's id of the risk (its `createSyntheticId`).
        let synthetic = std::iter::once(c.id.as_str())
            .chain(
                [
                    &asset_ref,
                    &link_ref,
                    &boundary_ref,
                    &runtime_ref,
                    &data_ref,
                ]
                .into_iter()
                .filter_map(|o| o.as_ref().map(|(s, _)| s.as_str())),
            )
            .collect::<Vec<_>>()
            .join("@");

        // The threat's target: the link, else the asset, else a data-breach
        // asset, else the first asset in the boundary or the runtime.
        let in_boundary = |b: usize| {
            (0..self.assets.len())
                .find(|&ai| self.asset_boundary[ai].is_some_and(|x| self.inside(b, x)))
        };
        let mut loop_flow = None;
        let target = match link_i.map(|li| &self.links[li]) {
            Some(link) if link.source == link.target => {
                let e = self.diagram.elements[link.source].id;
                loop_flow = Some((link.flow.id, e));
                Some(ThreatTarget::Element(e))
            }
            Some(link) => Some(ThreatTarget::Flow(link.flow.id)),
            None => asset_i
                .or_else(|| breach.first().copied())
                .or_else(|| boundary_i.and_then(in_boundary))
                .or_else(|| runtime_assets.as_ref().and_then(|r| r.first().copied()))
                .map(|ai| ThreatTarget::Element(self.diagram.elements[ai].id)),
        };

        let mut notes = vec![format!("Threagile risk {synthetic}")];
        if !c.exact && !c.stride.is_empty() {
            notes.push(format!("Threagile STRIDE category: {}", c.stride));
        }
        notes.push(format!("Threagile risk category: {} ({})", c.title, c.id));
        for (label, k) in [
            ("Threagile severity", "severity"),
            ("Exploitation likelihood", "exploitation_likelihood"),
            ("Exploitation impact", "exploitation_impact"),
            ("Data breach probability", "data_breach_probability"),
        ] {
            let v = r.plain(k)?;
            if !v.is_empty() {
                notes.push(format!("{label}: {v}"));
            }
        }
        if !breach.is_empty() {
            let names: Vec<&str> = breach
                .iter()
                .map(|&ai| self.diagram.elements[ai].name.as_str())
                .collect();
            notes.push(format!(
                "Data breach technical assets: {}",
                names.join(", ")
            ));
        }
        if let Some((d, _)) = &data_ref {
            notes.push(format!("Most relevant data asset: {}", self.data_name(d)));
        }
        if let Some(b) = boundary_i {
            notes.push(format!(
                "Most relevant trust boundary: {}",
                self.diagram.boundaries[b].name
            ));
        }
        if let Some((s, _)) = &runtime_ref {
            notes.push(format!("Most relevant shared runtime: {s}"));
        }
        let Some(target) = target else {
            return Ok(Err(format!(
                "- {title} ({synthetic}; {}): no technical asset or link to attach it to. {}",
                c.category.label(),
                notes.join("; ")
            )));
        };

        let id = unused_id(&self.model_id, &format!("risk/{synthetic}"), used);
        let mut threat = Threat::manual(
            title,
            c.category,
            target,
            likelihood(&r.plain("exploitation_likelihood")?).unwrap_or_default(),
            impact(&r.plain("exploitation_impact")?).unwrap_or_default(),
        );
        threat.id = id;
        threat.description = c.about.clone();
        threat.references = c.references.clone();
        if !c.mitigation.is_empty() {
            threat.suggested_mitigations = vec![c.mitigation.clone()];
        }
        if let Some(sev) = severity(&r.plain("severity")?) {
            if sev != threat.rated_severity() {
                threat.severity_override = Some(sev);
            }
        }
        // The decision: an exact entry, else the first pattern that matches
        // (as in Threagile, exact ids win over wildcards).
        let entry = self.tracking_exact.get(&synthetic).copied().or_else(|| {
            self.tracking_patterns
                .iter()
                .copied()
                .find(|&k| tracking_matches(&self.tracking[k].0, &synthetic))
        });
        if let Some(k) = entry {
            self.applied.insert(k);
            let (id, t) = &self.tracking[k];
            apply_tracking(&mut threat, id, t)?;
            notes.push(format!(
                "Threagile risk tracking {id}: {}",
                tracking_text(t)?
            ));
        }
        threat.notes = notes.join("\n");
        if let Some((flow, element)) = loop_flow {
            onto_loop_element(&mut threat, flow, element);
        }
        Ok(Ok(threat))
    }

    /// A risk-tracking decision on one of Threagile's built-in rules is a
    /// threat on the link its id names (every link a `*` pattern matches),
    /// else on the first asset it names: Threagile found the risk when it
    /// ran and the reviewer decided it, so the decision is the reviewer's
    /// record (status, justification, ticket, checker) and belongs in the
    /// report. An id naming nothing imported stays text only.
    fn tracked_builtin_risks(&mut self) -> Result<(), ImportError> {
        let mut used: HashSet<Uuid> = self.model.threats.iter().map(|t| t.id).collect();
        for k in 0..self.tracking.len() {
            if self.applied.contains(&k) {
                continue;
            }
            let id = self.tracking[k].0.clone();
            let mut parts = id.split('@');
            let rule = parts.next().unwrap_or_default();
            let Some(&(_, title, category)) = BUILTIN_CATEGORIES.iter().find(|(c, ..)| *c == rule)
            else {
                continue;
            };
            let parts: Vec<&str> = parts.collect();
            // A part is a whole link id; `@` around both anchors the match.
            let mut links: Vec<usize> = parts
                .iter()
                .filter(|p| p.contains('>'))
                .flat_map(|p| {
                    let pattern = format!("@{p}@");
                    self.link_ids
                        .iter()
                        .filter(move |(l, _)| tracking_matches(&pattern, &format!("@{l}@")))
                        .map(|(_, &li)| li)
                })
                .filter(|&li| self.links[li].source != self.links[li].target)
                .collect();
            links.sort_unstable();
            links.dedup();
            let targets: Vec<(ThreatTarget, String)> = if links.is_empty() {
                parts
                    .iter()
                    .find_map(|p| self.asset_ids.get(*p))
                    .map(|&ai| {
                        let e = &self.diagram.elements[ai];
                        (ThreatTarget::Element(e.id), e.name.clone())
                    })
                    .into_iter()
                    .collect()
            } else {
                links
                    .iter()
                    .map(|&li| {
                        let f = &self.links[li].flow;
                        (ThreatTarget::Flow(f.id), f.name.clone())
                    })
                    .collect()
            };
            for (target, name) in targets {
                let tid = unused_id(&self.model_id, &format!("tracked/{id}/{name}"), &mut used);
                let mut threat = Threat::manual(
                    format!("{title} risk at {name}"),
                    category,
                    target,
                    Rating::Medium,
                    Rating::Medium,
                );
                threat.id = tid;
                threat.description = format!(
                    "Threagile's built-in rule \"{title}\" ({rule}) found this risk when it analysed the model; \
                     the model's risk tracking records the decision on it."
                );
                let t = &self.tracking[k].1;
                apply_tracking(&mut threat, &id, t)?;
                threat.notes = format!(
                    "Threagile risk {id}\nThreagile risk tracking {id}: {}",
                    tracking_text(t)?
                );
                self.model.threats.push(threat);
                self.tracked_builtin.insert(k);
            }
        }
        Ok(())
    }

    /// Every risk-tracking entry as text: a paragraph of the model
    /// description, and a line on each asset its id names.
    fn tracking_notes(&mut self) -> Result<(), ImportError> {
        let mut lines = vec![];
        // (asset, entry) pairs noted: an id may name one asset twice.
        let mut noted = HashSet::new();
        for (k, (id, t)) in self.tracking.iter().enumerate() {
            let text = tracking_text(t)?;
            let mut l = format!("- {id}: {text}");
            if self.applied.contains(&k) {
                l.push_str(" (applied to the imported individual risk it names)");
            } else if self.tracked_builtin.contains(&k) {
                l.push_str(" (imported as a threat on what it names)");
            }
            lines.push(l);
            let mut parts = id.split('@');
            let rule = parts.next().unwrap_or_default();
            for part in parts {
                if let Some(&ai) = self.asset_ids.get(part) {
                    if noted.insert((ai, k)) {
                        let note = format!("\nThreagile risk tracking for {rule} ({id}): {text}");
                        self.diagram.elements[ai].description.push_str(&note);
                    }
                }
            }
        }
        if !lines.is_empty() {
            self.paragraphs.push(format!(
                "Threagile risk tracking (decisions on Threagile's risks; a decision on a built-in rule naming an imported asset or link is a threat there, the others are kept here as text):\n{}",
                lines.join("\n")
            ));
        }
        Ok(())
    }

    fn finish(mut self, root: &Y<'a>) -> Result<ThreatModel, ImportError> {
        // A link from an asset to itself is a line of the model description
        // (a flow joins two elements; Threat Dragon export draws it again).
        for link in std::mem::take(&mut self.links) {
            if link.source == link.target {
                self.note(|d| note_loop_flow(d, &link.flow));
            } else {
                self.diagram.flows.push(link.flow);
            }
        }
        // The model's own paragraphs come first, then the notes made above.
        let notes = std::mem::take(&mut self.notes).join("\n\n");
        let mut description = self.paragraphs.join("\n\n");
        let author = match root.get("author") {
            Some(a) => person(&a)?,
            None => String::new(),
        };
        if !author.is_empty() {
            note_owner(&mut description, &author);
        }
        if !notes.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&notes);
        }
        self.model.description = description;
        self.model.diagrams.push(self.diagram);
        Ok(self.model)
    }
}

/// What a custom risk category says, shared by its identified risks.
struct RiskCategory {
    id: String,
    title: String,
    stride: String,
    category: Stride,
    /// Whether `stride` was a STRIDE name.
    exact: bool,
    about: String,
    references: Vec<String>,
    mitigation: String,
}

impl RiskCategory {
    fn read(name: &str, c: &Y<'_>) -> Result<RiskCategory, ImportError> {
        let id = c.req_text("id")?;
        let stride = c.plain("stride")?;
        let (category, exact) = threat_category(&stride);
        let mut about = vec![];
        let description = c.plain("description")?;
        if !description.is_empty() {
            about.push(description);
        }
        for (label, k) in [
            ("Impact", "impact"),
            ("Action", "action"),
            ("Check", "check"),
            ("Function", "function"),
            ("Detection logic", "detection_logic"),
            ("Risk assessment", "risk_assessment"),
            ("False positives", "false_positives"),
            ("ASVS", "asvs"),
            ("Cheat sheet", "cheat_sheet"),
        ] {
            let v = c.plain(k)?;
            if !v.is_empty() {
                about.push(format!("{label}: {v}"));
            }
        }
        if c.flag("model_failure_possible_reason")? {
            about.push("A model failure is a possible reason.".into());
        }
        let mut references = vec![];
        if let Some(cwe) = c.text("cwe")?.map(|s| s.trim().to_string()) {
            if !cwe.is_empty() && cwe != "0" {
                references.push(format!("CWE-{}", cwe.trim_start_matches("CWE-")));
            }
        }
        let asvs = c.plain("asvs")?;
        if !asvs.is_empty() {
            references.push(format!("OWASP ASVS {asvs}"));
        }
        Ok(RiskCategory {
            id,
            title: line(name),
            stride,
            category,
            exact,
            about: about.join("\n\n"),
            references,
            mitigation: c.plain("mitigation")?,
        })
    }
}

/// The `diagram_tweak_*` settings as a paragraph, if any.
fn diagram_tweaks(root: &Y<'_>) -> Result<Option<String>, ImportError> {
    let tweaks: Vec<String> = root
        .mapping()?
        .iter()
        .filter_map(|(k, v)| {
            let k = k.as_str()?;
            k.starts_with("diagram_tweak_").then(|| {
                let v = match untag(v) {
                    Value::Sequence(items) => items
                        .iter()
                        .filter_map(scalar)
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => scalar(other).unwrap_or_default(),
                };
                format!("{k} {v}")
            })
        })
        .collect();
    Ok((!tweaks.is_empty()).then(|| {
        format!(
            "Threagile diagram settings (not used here): {}.",
            tweaks.join("; ")
        )
    }))
}

// The keys of Threagile's schema at each level: everything this import
// reads or keeps as text. Others (Threagile ignores them) are listed by
// [`unread_keys`].
const ROOT_KEYS: &[&str] = &[
    "threagile_version",
    "includes",
    "title",
    "author",
    "contributors",
    "date",
    "application_description",
    "business_overview",
    "technical_overview",
    "business_criticality",
    "management_summary_comment",
    "security_requirements",
    "questions",
    "abuse_cases",
    "tags_available",
    "data_assets",
    "technical_assets",
    "trust_boundaries",
    "shared_runtimes",
    "individual_risk_categories",
    "custom_risk_categories",
    "risk_tracking",
];
const DATA_ASSET_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "usage",
    "tags",
    "origin",
    "owner",
    "quantity",
    "confidentiality",
    "integrity",
    "availability",
    "justification_cia_rating",
];
const ASSET_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "type",
    "usage",
    "used_as_client_by_human",
    "out_of_scope",
    "justification_out_of_scope",
    "size",
    "technology",
    "technologies",
    "tags",
    "internet",
    "machine",
    "encryption",
    "owner",
    "confidentiality",
    "integrity",
    "availability",
    "justification_cia_rating",
    "multi_tenant",
    "redundant",
    "custom_developed_parts",
    "data_assets_processed",
    "data_assets_stored",
    "data_formats_accepted",
    "communication_links",
    "diagram_tweak_order",
];
const LINK_KEYS: &[&str] = &[
    "target",
    "title",
    "description",
    "protocol",
    "authentication",
    "authorization",
    "tags",
    "vpn",
    "ip_filtered",
    "readonly",
    "usage",
    "data_assets_sent",
    "data_assets_received",
    "diagram_tweak_weight",
    "diagram_tweak_constraint",
];
const BOUNDARY_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "type",
    "tags",
    "technical_assets_inside",
    "trust_boundaries_nested",
];
const RUNTIME_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "tags",
    "technical_assets_running",
];
// `title` only in the `custom_risk_categories` list (the mapping's keys
// are the titles).
const CATEGORY_KEYS: &[&str] = &[
    "id",
    "description",
    "impact",
    "asvs",
    "cheat_sheet",
    "action",
    "mitigation",
    "check",
    "function",
    "stride",
    "detection_logic",
    "risk_assessment",
    "false_positives",
    "model_failure_possible_reason",
    "cwe",
    "risks_identified",
];
const RISK_KEYS: &[&str] = &[
    "severity",
    "exploitation_likelihood",
    "exploitation_impact",
    "data_breach_probability",
    "data_breach_technical_assets",
    "most_relevant_data_asset",
    "most_relevant_technical_asset",
    "most_relevant_communication_link",
    "most_relevant_trust_boundary",
    "most_relevant_shared_runtime",
];
const TRACKING_KEYS: &[&str] = &["status", "justification", "ticket", "date", "checked_by"];
const AUTHOR_KEYS: &[&str] = &["name", "contact", "homepage"];
const OVERVIEW_KEYS: &[&str] = &["description", "images"];

/// The keys outside Threagile's schema, each with its path and value, as a
/// paragraph of the model description: Threagile ignores them, but they are
/// the author's data (Argo CD's model puts `data_assets_sent` on assets,
/// Threagile's privacy demos `consent` on data assets).
fn unread_keys(root: &Y<'_>) -> Option<String> {
    fn check(node: &Y<'_>, known: &[&str], out: &mut Vec<String>) {
        let Value::Mapping(m) = untag(node.value) else {
            return;
        };
        for (k, v) in m {
            let Some(k) = scalar(untag(k)) else { continue };
            if known.contains(&k.as_str())
                || (node.ptr.is_empty() && k.starts_with("diagram_tweak_"))
                || untag(v).is_null()
            {
                continue;
            }
            let v = match untag(v) {
                Value::Sequence(items) if items.iter().all(|i| scalar(i).is_some()) => items
                    .iter()
                    .filter_map(scalar)
                    .map(|s| line(&s))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => match scalar(other) {
                    Some(s) => line(&s),
                    None => serde_json::to_string(other).unwrap_or_default(),
                },
            };
            out.push(format!("- {}: {v}", child_ptr(&node.ptr, &k)));
        }
    }
    // The entries of a mapping member (nothing when it is not a mapping).
    fn each<'a>(node: &Y<'a>, key: &str) -> Vec<Y<'a>> {
        node.get(key)
            .and_then(|n| n.own_entries().ok())
            .map(|e| e.into_iter().map(|(_, y)| y).collect())
            .unwrap_or_default()
    }
    // The items of a list member (nothing when it is not a list).
    fn items<'a>(node: &Y<'a>, key: &str) -> Vec<Y<'a>> {
        let Some(list) = node.get(key) else {
            return vec![];
        };
        let Value::Sequence(items) = untag(list.value) else {
            return vec![];
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Y {
                value: item,
                ptr: format!("{}/{i}", list.ptr),
            })
            .collect()
    }
    let mut out = vec![];
    check(root, ROOT_KEYS, &mut out);
    if let Some(author) = root.get("author") {
        check(&author, AUTHOR_KEYS, &mut out);
    }
    for c in items(root, "contributors") {
        check(&c, AUTHOR_KEYS, &mut out);
    }
    for key in [
        "business_overview",
        "technical_overview",
        "application_description",
    ] {
        if let Some(o) = root.get(key) {
            check(&o, OVERVIEW_KEYS, &mut out);
        }
    }
    for d in each(root, "data_assets") {
        check(&d, DATA_ASSET_KEYS, &mut out);
    }
    for a in each(root, "technical_assets") {
        check(&a, ASSET_KEYS, &mut out);
        for l in each(&a, "communication_links") {
            check(&l, LINK_KEYS, &mut out);
        }
    }
    for b in each(root, "trust_boundaries") {
        check(&b, BOUNDARY_KEYS, &mut out);
    }
    for r in each(root, "shared_runtimes") {
        check(&r, RUNTIME_KEYS, &mut out);
    }
    let listed: Vec<&str> = CATEGORY_KEYS.iter().copied().chain(["title"]).collect();
    let categories = each(root, "individual_risk_categories")
        .into_iter()
        .map(|c| (c, CATEGORY_KEYS))
        .chain(
            items(root, "custom_risk_categories")
                .into_iter()
                .map(|c| (c, listed.as_slice())),
        );
    for (c, known) in categories {
        check(&c, known, &mut out);
        for r in each(&c, "risks_identified") {
            check(&r, RISK_KEYS, &mut out);
        }
    }
    for t in each(root, "risk_tracking") {
        check(&t, TRACKING_KEYS, &mut out);
    }
    (!out.is_empty()).then(|| {
        format!(
            "Threagile keys this import does not read (kept as they are):\n{}",
            out.join("\n")
        )
    })
}

/// Whether the file is the `risks.json` Threagile's analysis writes: a list
/// of risks, each with its `synthetic_id` (`sql-nosql-injection@auth-service`).
fn is_risk_list(value: &Value) -> bool {
    let Value::Sequence(items) = untag(value) else {
        return false;
    };
    !items.is_empty()
        && items.iter().all(|i| match untag(i) {
            Value::Mapping(m) => m.contains_key("synthetic_id"),
            _ => false,
        })
}

/// Whether the file is Threagile's parsed model (its `ParsedModelRoot`,
/// written next to its reports): maps it computes, links as lists, or
/// technologies as objects.
fn looks_parsed(root: &Y<'_>) -> bool {
    const COMPUTED: [&str; 4] = [
        "generated_risks_by_category",
        "direct_containing_trust_boundary_mapped_by_technical_asset_id",
        "incoming_technical_communication_links_mapped_by_target_id",
        "built_in_risk_categories",
    ];
    if COMPUTED.iter().any(|k| root.get(k).is_some()) {
        return true;
    }
    let Some(Value::Mapping(assets)) = root.get("technical_assets").map(|a| untag(a.value)) else {
        return false;
    };
    assets.values().any(|a| {
        let field = |k: &str| match untag(a) {
            Value::Mapping(m) => m.get(k).map(untag),
            _ => None,
        };
        matches!(field("communication_links"), Some(Value::Sequence(_)))
            || matches!(field("technologies"), Some(Value::Sequence(items))
                if items.iter().any(|t| matches!(untag(t), Value::Mapping(_))))
    })
}

fn person(a: &Y<'_>) -> Result<String, ImportError> {
    if let Some(s) = scalar(a.value) {
        return Ok(line(&s));
    }
    a.mapping()?;
    let mut who = a.plain("name")?;
    let extra: Vec<String> = [a.plain("contact")?, a.plain("homepage")?]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !extra.is_empty() {
        who = format!("{who} ({})", extra.join(", ")).trim().to_string();
    }
    Ok(one_line(&who))
}

/// The text of a risk-tracking entry: status, justification, ticket, date,
/// checker.
fn tracking_text(t: &Y<'_>) -> Result<String, ImportError> {
    let status = t.plain("status")?;
    let mut out = if status.is_empty() {
        "unchecked".to_string()
    } else {
        status
    };
    let justification = t.plain("justification")?;
    if !justification.is_empty() {
        out.push_str(&format!(" - {}", one_line(&justification)));
    }
    let mut facts = vec![];
    for (label, k) in [
        ("ticket", "ticket"),
        ("date", "date"),
        ("checked by", "checked_by"),
    ] {
        let v = t.plain(k)?;
        if !v.is_empty() {
            facts.push(format!("{label} {v}"));
        }
    }
    if !facts.is_empty() {
        out.push_str(&format!(" ({})", facts.join(", ")));
    }
    Ok(out)
}

fn apply_tracking(threat: &mut Threat, id: &str, t: &Y<'_>) -> Result<(), ImportError> {
    let status = t.plain("status")?.to_ascii_lowercase();
    let justification = one_line(&t.plain("justification")?);
    let checked_by = t.plain("checked_by")?;
    let owner = (!checked_by.is_empty()).then(|| checked_by.clone());
    let tid = threat.id;
    let mitigation = |status: MitigationStatus| Mitigation {
        id: stable_id(&tid, "risk-tracking"),
        title: if justification.is_empty() {
            format!("Threagile risk tracking ({id})")
        } else {
            justification.clone()
        },
        status,
        owner: owner.clone(),
    };
    match status.as_str() {
        "accepted" => {
            let mut reason = if justification.is_empty() {
                "Accepted in Threagile's risk tracking; no justification recorded.".to_string()
            } else {
                justification.clone()
            };
            let mut facts = vec![];
            for (label, k) in [
                ("ticket", "ticket"),
                ("date", "date"),
                ("checked by", "checked_by"),
            ] {
                let v = t.plain(k)?;
                if !v.is_empty() {
                    facts.push(format!("{label} {v}"));
                }
            }
            if !facts.is_empty() {
                reason.push_str(&format!(" ({})", facts.join(", ")));
            }
            threat.status = ThreatStatus::Accepted {
                justification: reason,
                expires: no_expiry(),
            };
        }
        "mitigated" => {
            threat.status = ThreatStatus::Mitigated;
            threat.mitigations.push(mitigation(MitigationStatus::Done));
        }
        "in-progress" => {
            threat.status = ThreatStatus::Open;
            threat
                .mitigations
                .push(mitigation(MitigationStatus::InProgress));
        }
        "false-positive" => threat.status = ThreatStatus::NotApplicable,
        _ => threat.status = ThreatStatus::Open,
    }
    Ok(())
}

/// The model's own paragraphs: overviews, summary, facts, questions, abuse
/// cases, security requirements, tags, includes.
fn overview_paragraphs(root: &Y<'_>, out: &mut Vec<String>) -> Result<(), ImportError> {
    let mut images = vec![];
    for (label, key) in [
        ("Business overview", "business_overview"),
        ("Technical overview", "technical_overview"),
        ("Application", "application_description"),
    ] {
        let Some(o) = root.get(key) else { continue };
        let text = match scalar(o.value) {
            Some(s) => plain(&s),
            None => {
                o.mapping()?;
                let listed = o
                    .get("images")
                    .map(|n| match untag(n.value) {
                        Value::Sequence(items) => items.iter().collect::<Vec<_>>(),
                        _ => vec![n.value],
                    })
                    .unwrap_or_default();
                for node in listed {
                    match untag(node) {
                        Value::Mapping(m) => {
                            for (k, v) in m {
                                let k = scalar(k).unwrap_or_default();
                                let v = scalar(v).map(|v| line(&v)).unwrap_or_default();
                                images.push(if v.is_empty() {
                                    k
                                } else {
                                    format!("{k} ({v})")
                                });
                            }
                        }
                        other => {
                            if let Some(s) = scalar(other) {
                                images.push(s);
                            }
                        }
                    }
                }
                o.plain("description")?
            }
        };
        if !text.is_empty() {
            out.push(format!("{label}: {text}"));
        }
    }
    let summary = root.plain("management_summary_comment")?;
    if !summary.is_empty() {
        out.push(format!("Management summary: {summary}"));
    }
    let mut facts = vec![];
    for (label, key) in [
        ("Threagile version", "threagile_version"),
        ("Date", "date"),
        ("Business criticality", "business_criticality"),
    ] {
        let v = root.plain(key)?;
        if !v.is_empty() {
            facts.push(format!("{label}: {v}"));
        }
    }
    if let Some(a) = root.get("author") {
        let who = person(&a)?;
        if !who.is_empty() {
            facts.push(format!("Author: {who}"));
        }
    }
    if let Some(c) = root.get("contributors") {
        let mut names = vec![];
        if let Value::Sequence(items) = untag(c.value) {
            for (i, item) in items.iter().enumerate() {
                let node = Y {
                    value: item,
                    ptr: format!("{}/{i}", c.ptr),
                };
                if !untag(item).is_null() {
                    names.push(person(&node)?);
                }
            }
        }
        if !names.is_empty() {
            facts.push(format!("Contributors: {}", names.join("; ")));
        }
    }
    if !facts.is_empty() {
        out.push(facts.join("\n"));
    }
    if !images.is_empty() {
        out.push(format!(
            "Overview images (not imported): {}",
            images.join(", ")
        ));
    }
    for (label, key, empty) in [
        ("Questions", "questions", "unanswered"),
        ("Abuse cases", "abuse_cases", ""),
        ("Security requirements", "security_requirements", ""),
    ] {
        let mut items = vec![];
        for (k, v) in root.entries(key)? {
            let text = scalar(v.value).map(|s| line(&s)).unwrap_or_default();
            let text = if text.is_empty() {
                empty.to_string()
            } else {
                text
            };
            let k = line(&k);
            items.push(if text.is_empty() {
                format!("- {k}")
            } else {
                format!("- {k}: {text}")
            });
        }
        if !items.is_empty() {
            out.push(format!("{label}:\n{}", items.join("\n")));
        }
    }
    let tags = root.texts("tags_available")?;
    if !tags.is_empty() {
        out.push(format!("Tags available: {}", tags.join(", ")));
    }
    let includes = root.texts("includes")?;
    if !includes.is_empty() {
        out.push(format!(
            "Includes (other Threagile files, not read by this import): {}",
            includes.join(", ")
        ));
    }
    Ok(())
}
