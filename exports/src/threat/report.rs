//! A threat model as a Markdown report (for a repository or a review) and
//! its threats as CSV (for a spreadsheet or a tracker).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use plasma_models::threat::{
    ElementKind, MitigationStatus, SessionEvent, SessionState, Severity, Stride, Threat,
    ThreatModel, ThreatSession, ThreatStatus, ThreatTarget,
};
use uuid::Uuid;

use super::diagram::mermaid;
use super::text::{is_no_expiry, status_label};
use super::threat_dragon::threat_dragon_flow_label;

const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Note,
];

/// Inline Markdown text: one line, with Markdown and HTML characters escaped.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// User text as a Markdown block: `<` escaped so no HTML gets through
/// (`>` alone opens no tag and keeps its block quotes), and its headings
/// moved down so the first is at `min_level`: an imported description with
/// its own `## Summary` stays under the report's sections instead of
/// beside them.
fn md_block(s: &str, min_level: usize) -> String {
    let text = s.trim().replace('&', "&amp;").replace('<', "&lt;");
    // Each line with its heading level; fenced code is not Markdown, so a
    // `# comment` in it is no heading.
    let mut fence: Option<String> = None;
    let lines: Vec<(&str, Option<usize>)> = text
        .lines()
        .map(|line| {
            let t = line.trim_start();
            let open = t.starts_with("```") || t.starts_with("~~~");
            match &fence {
                Some(f) if t.starts_with(f.as_str()) => fence = None,
                Some(_) => {}
                None if open => fence = Some(t[..3].to_string()),
                None => {
                    let hashes = line.len() - line.trim_start_matches('#').len();
                    let rest = &line[hashes..];
                    let heading = (1..=6).contains(&hashes)
                        && (rest.is_empty() || rest.starts_with([' ', '\t']));
                    return (line, heading.then_some(hashes));
                }
            }
            (line, None)
        })
        .collect();
    let shift = match lines.iter().filter_map(|(_, h)| *h).min() {
        Some(top) if top < min_level => min_level - top,
        _ => return text,
    };
    let moved: Vec<String> = lines
        .into_iter()
        .map(|(line, heading)| match heading {
            // Deeper than six is not a heading: bold text instead.
            Some(h) if h + shift > 6 => format!("**{}**", line[h..].trim()),
            Some(_) => format!("{}{line}", "#".repeat(shift)),
            None => line.to_string(),
        })
        .collect();
    moved.join("\n")
}

fn mitigation_label(s: MitigationStatus) -> &'static str {
    match s {
        MitigationStatus::Planned => "planned",
        MitigationStatus::InProgress => "in progress",
        MitigationStatus::Done => "done",
    }
}

fn kind_title(k: ElementKind) -> &'static str {
    match k {
        ElementKind::ExternalEntity => "External entity",
        ElementKind::Process => "Process",
        ElementKind::DataStore => "Data store",
    }
}

fn status_index(s: &ThreatStatus) -> usize {
    match s {
        ThreatStatus::Open => 0,
        ThreatStatus::Mitigated => 1,
        ThreatStatus::Accepted { .. } => 2,
        ThreatStatus::Transferred => 3,
        ThreatStatus::NotApplicable => 4,
    }
}

fn summary_table(out: &mut String, first: &str, rows: &[(String, [usize; 5])]) {
    let _ = writeln!(
        out,
        "| {first} | Open | Mitigated | Accepted | Transferred | Not applicable | Total |"
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|\n");
    let mut total = [0usize; 5];
    for (label, counts) in rows {
        let _ = write!(out, "| {label} |");
        for (k, c) in counts.iter().enumerate() {
            total[k] += c;
            let _ = write!(out, " {c} |");
        }
        let _ = writeln!(out, " {} |", counts.iter().sum::<usize>());
    }
    let _ = write!(out, "| **Total** |");
    for c in total {
        let _ = write!(out, " **{c}** |");
    }
    let _ = writeln!(out, " **{}** |", total.iter().sum::<usize>());
    out.push('\n');
}

fn target_label(model: &ThreatModel, target: &ThreatTarget) -> String {
    match target {
        ThreatTarget::Element(id) => match model.element(*id) {
            Some(e) => format!("{} {}", kind_title(e.kind).to_lowercase(), md(&e.name)),
            None => format!("missing element {id}"),
        },
        ThreatTarget::Flow(id) => match model.flow(*id) {
            Some(f) => format!("flow {}", flow_title(model, f)),
            None => format!("missing flow {id}"),
        },
    }
}

fn flow_title(model: &ThreatModel, f: &plasma_models::threat::Flow) -> String {
    let name = |id: Uuid| {
        model
            .element(id)
            .map(|e| md(&e.name))
            .unwrap_or_else(|| "?".into())
    };
    let arrow = if f.bidirectional { "↔" } else { "→" };
    let ends = format!("{} {arrow} {}", name(f.source), name(f.target));
    let title = if f.name.trim().is_empty() {
        ends
    } else {
        format!("{} ({ends})", md(&f.name))
    };
    // What a Threat Dragon user saw on the arrow, when it is not the name.
    match threat_dragon_flow_label(&model.description, f) {
        Some(label) => format!("{title}, labelled \"{}\" in Threat Dragon", md(&label)),
        None => title,
    }
}

fn threat_section(out: &mut String, t: &Threat) {
    let _ = writeln!(out, "#### {}\n", md(&t.title));
    let _ = writeln!(
        out,
        "- **Severity:** {} (likelihood {}, impact {}{})",
        t.severity().label(),
        t.likelihood.label(),
        t.impact.label(),
        if t.severity_override.is_some() {
            ", overridden"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "- **Status:** {}", status_label(&t.status));
    let _ = writeln!(out, "- **Category:** {}", t.category.label());
    if let Some(v) = &t.cvss {
        // Imported vectors are not validated: an unscorable one is shown as written.
        let score = match plasma_models::threat::cvss_score(v) {
            Ok(scored) => format!(" ({})", scored.summary()),
            Err(e) => format!(" (not scored: {})", md(&e.to_string())),
        };
        let _ = writeln!(out, "- **CVSS:** `{}`{score}", v.replace('`', ""));
    }
    if !t.rationale.is_empty() {
        let because: Vec<String> = t
            .rationale
            .iter()
            .map(|b| format!("{} is {}", md(&b.property), md(&b.value)))
            .collect();
        let _ = writeln!(out, "- **Why:** because {}", because.join(", and "));
    }
    if let Some(rule) = &t.rule_id {
        let _ = writeln!(out, "- **Rule:** {}", md(rule));
    }
    if !t.mitigations.is_empty() {
        out.push_str("- **Mitigations:**\n");
        for m in &t.mitigations {
            let owner = m
                .owner
                .as_deref()
                .filter(|o| !o.trim().is_empty())
                .map(|o| format!(", owner {}", md(o)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  - {} ({}{owner})",
                md(&m.title),
                mitigation_label(m.status)
            );
        }
    }
    if !t.suggested_mitigations.is_empty() {
        out.push_str("- **Suggested mitigations:**\n");
        for m in &t.suggested_mitigations {
            let _ = writeln!(out, "  - {}", md(m));
        }
    }
    if !t.linked_adrs.is_empty() {
        let adrs: Vec<String> = t
            .linked_adrs
            .iter()
            .map(|n| format!("ADR-{n:04}"))
            .collect();
        let _ = writeln!(out, "- **Decisions:** {}", adrs.join(", "));
    }
    if !t.references.is_empty() {
        let refs: Vec<String> = t.references.iter().map(|r| md(r)).collect();
        let _ = writeln!(out, "- **References:** {}", refs.join(", "));
    }
    if !t.description.trim().is_empty() {
        let _ = writeln!(out, "\n{}", md_block(&t.description, 5));
    }
    if !t.notes.trim().is_empty() {
        let _ = writeln!(out, "\n_Notes:_ {}", md_block(&t.notes, 5));
    }
    out.push('\n');
}

/// The model as a Markdown document: scope, summary tables (by STRIDE
/// category and by severity, per status), each diagram as a Mermaid block,
/// the threats per element and flow, accepted risks, and obsolete threats.
/// The elements and flows marked out of scope (the rules skip them), with
/// the reasons given; nothing when everything is in scope.
fn out_of_scope(out: &mut String, model: &ThreatModel) {
    let mut lines = Vec::new();
    for d in &model.diagrams {
        let name = |id| {
            d.elements
                .iter()
                .find(|e| e.id == id)
                .map_or("?", |e| e.name.as_str())
        };
        let reason = |r: &str| {
            if r.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", md(r))
            }
        };
        for e in &d.elements {
            if let Some(r) = e.out_of_scope_reason() {
                lines.push(format!(
                    "  - {} ({}){}",
                    md(&e.name),
                    e.kind.label().replace('_', " "),
                    reason(r)
                ));
            }
        }
        for f in &d.flows {
            if let Some(r) = &f.out_of_scope {
                let arrow = if f.bidirectional { "↔" } else { "→" };
                lines.push(format!(
                    "  - {} (flow {} {arrow} {}){}",
                    md(&f.name),
                    md(name(f.source)),
                    md(name(f.target)),
                    reason(r)
                ));
            }
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "- **Out of scope** (no threats raised): {}",
            lines.len()
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

pub fn markdown(model: &ThreatModel) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Threat model: {}\n", md(&model.name));
    if !model.description.trim().is_empty() {
        let _ = writeln!(out, "{}\n", md_block(&model.description, 3));
    }

    let current: Vec<&Threat> = model.threats.iter().filter(|t| !t.obsolete).collect();
    let obsolete: Vec<&Threat> = model.threats.iter().filter(|t| t.obsolete).collect();

    out.push_str("## Scope\n\n");
    if model.repositories.is_empty() {
        out.push_str("- **Repositories:** none listed\n");
    } else {
        let repos: Vec<String> = model.repositories.iter().map(|r| md(r)).collect();
        let _ = writeln!(out, "- **Repositories:** {}", repos.join(", "));
    }
    let count = |f: fn(&plasma_models::threat::Diagram) -> usize| -> usize {
        model.diagrams.iter().map(f).sum()
    };
    let _ = writeln!(
        out,
        "- **Diagrams:** {}; **elements:** {}; **flows:** {}; **trust boundaries:** {}; **data assets:** {}",
        model.diagrams.len(),
        count(|d| d.elements.len()),
        count(|d| d.flows.len()),
        count(|d| d.boundaries.len()),
        model.data_assets.len()
    );
    let _ = writeln!(
        out,
        "- **Threats:** {} current, {} obsolete",
        current.len(),
        obsolete.len()
    );
    out_of_scope(&mut out, model);
    out.push('\n');

    out.push_str("## Summary\n\n### By STRIDE category\n\n");
    let mut by_cat: BTreeMap<Stride, [usize; 5]> = BTreeMap::new();
    let mut by_sev: HashMap<Severity, [usize; 5]> = HashMap::new();
    for t in &current {
        by_cat.entry(t.category).or_default()[status_index(&t.status)] += 1;
        by_sev.entry(t.severity()).or_default()[status_index(&t.status)] += 1;
    }
    let rows: Vec<(String, [usize; 5])> = Stride::ALL
        .iter()
        .map(|c| {
            (
                c.label().to_string(),
                by_cat.get(c).copied().unwrap_or_default(),
            )
        })
        .collect();
    summary_table(&mut out, "Category", &rows);
    out.push_str("### By severity\n\n");
    let rows: Vec<(String, [usize; 5])> = SEVERITIES
        .iter()
        .map(|s| {
            (
                s.label().to_string(),
                by_sev.get(s).copied().unwrap_or_default(),
            )
        })
        .collect();
    summary_table(&mut out, "Severity", &rows);

    if !model.data_assets.is_empty() {
        out.push_str("## Data assets\n\n| Asset | Classification | Tags | C | I | A | Retention |\n|---|---|---|---|---|---|---|\n");
        for a in &model.data_assets {
            let tags: Vec<&str> = a.tags.iter().map(|t| t.label()).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&a.name),
                a.classification.label(),
                tags.join(", "),
                a.confidentiality.label(),
                a.integrity.label(),
                a.availability.label(),
                a.retention.as_deref().map(md).unwrap_or_default()
            );
        }
        out.push('\n');
    }

    for (i, d) in model.diagrams.iter().enumerate() {
        let _ = writeln!(out, "## Diagram: {}\n", md(&d.name));
        out.push_str("```mermaid\n");
        out.push_str(&mermaid(model, i));
        out.push_str("```\n\n");
        out.push_str(
            "Grey flows are encrypted in transit, amber ones are not; dashed boxes are trust boundaries.\n\n",
        );
    }

    out.push_str("## Threats\n\n");
    let mut by_target: HashMap<Uuid, Vec<&Threat>> = HashMap::new();
    for t in &current {
        by_target.entry(t.target.id()).or_default().push(t);
    }
    let mut any = false;
    let mut shown: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    for d in &model.diagrams {
        for e in &d.elements {
            if let Some(list) = by_target.get(&e.id) {
                any = true;
                shown.insert(e.id);
                let _ = writeln!(out, "### {}: {}\n", kind_title(e.kind), md(&e.name));
                for t in list {
                    threat_section(&mut out, t);
                }
            }
        }
        for f in &d.flows {
            if let Some(list) = by_target.get(&f.id) {
                any = true;
                shown.insert(f.id);
                let _ = writeln!(out, "### Flow: {}\n", flow_title(model, f));
                for t in list {
                    threat_section(&mut out, t);
                }
            }
        }
    }
    let orphans: Vec<&&Threat> = current
        .iter()
        .filter(|t| !shown.contains(&t.target.id()))
        .collect();
    if !orphans.is_empty() {
        any = true;
        out.push_str("### Threats on removed elements or flows\n\n");
        for t in orphans {
            threat_section(&mut out, t);
        }
    }
    if !any {
        out.push_str("No threats recorded.\n\n");
    }

    out.push_str("## Accepted risks\n\n");
    let accepted: Vec<&&Threat> = current
        .iter()
        .filter(|t| matches!(t.status, ThreatStatus::Accepted { .. }))
        .collect();
    if accepted.is_empty() {
        out.push_str("No accepted risks.\n\n");
    } else {
        out.push_str(
            "| Threat | On | Severity | Justification | Expires |\n|---|---|---|---|---|\n",
        );
        for t in accepted {
            if let ThreatStatus::Accepted {
                justification,
                expires,
            } = &t.status
            {
                let expiry = if is_no_expiry(*expires) {
                    "no expiry set".to_string()
                } else {
                    expires.format("%Y-%m-%d").to_string()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {expiry} |",
                    md(&t.title),
                    target_label(model, &t.target),
                    t.severity().label(),
                    md(justification)
                );
            }
        }
        out.push('\n');
    }

    out.push_str("## Obsolete threats\n\n");
    if obsolete.is_empty() {
        out.push_str("No obsolete threats.\n");
    } else {
        out.push_str("These threats came from rules that no longer match the model; they are kept so no decision is lost.\n\n");
        out.push_str("| Threat | On | Rule | Status |\n|---|---|---|---|\n");
        for t in obsolete {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&t.title),
                target_label(model, &t.target),
                t.rule_id.as_deref().map(md).unwrap_or_default(),
                status_label(&t.status)
            );
        }
    }
    out
}

/// One CSV field, quoted when needed (RFC 4180). A field that a
/// spreadsheet would run as a formula gets a leading `'`.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One row per threat: id, target type, target name, category, title,
/// severity, status, mitigations ("title (status)" joined by "; "),
/// references. CRLF line ends.
pub fn threats_csv(model: &ThreatModel) -> String {
    let mut out = String::from(
        "id,target_type,target,category,title,severity,status,mitigations,references\r\n",
    );
    for t in &model.threats {
        let (kind, name) = match t.target {
            ThreatTarget::Element(id) => ("element", model.element(id).map(|e| e.name.clone())),
            ThreatTarget::Flow(id) => ("flow", model.flow(id).map(|f| f.name.clone())),
        };
        let mut status = status_label(&t.status).to_string();
        if t.obsolete {
            status.push_str(" (obsolete)");
        }
        let mitigations: Vec<String> = t
            .mitigations
            .iter()
            .map(|m| format!("{} ({})", m.title, mitigation_label(m.status)))
            .collect();
        let fields = [
            t.id.to_string(),
            kind.to_string(),
            name.unwrap_or_default(),
            t.category.label().to_string(),
            t.title.clone(),
            t.severity().label().to_string(),
            status,
            mitigations.join("; "),
            t.references.join("; "),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The minutes of a threat session: who took part, what was in scope, and
/// every ruling and note in order, with times (UTC).
/// The decisions of a session, for readers who skip the log: what the team
/// confirmed (with each threat's current severity and status), added and
/// ruled out (with why), its notes, and what in scope nobody ruled on.
fn minutes_outcome(out: &mut String, model: &ThreatModel, session: &ThreatSession) {
    let threats: HashMap<Uuid, &Threat> = model.threats.iter().map(|t| (t.id, t)).collect();
    let (mut confirmed, mut added, mut rejected, mut notes) = (vec![], vec![], vec![], vec![]);
    let mut ruled = std::collections::HashSet::new();
    for entry in &session.log {
        match &entry.event {
            SessionEvent::Confirmed { threat, title } => {
                ruled.insert(*threat);
                confirmed.push((*threat, title));
            }
            SessionEvent::Added { threat, title } => {
                ruled.insert(*threat);
                added.push((*threat, title));
            }
            SessionEvent::Rejected {
                threat,
                title,
                reason,
            } => {
                ruled.insert(*threat);
                rejected.push(format!("- {}: {}", md(title), md(reason)));
            }
            SessionEvent::Note { text } => notes.push(format!("- {}", md(text))),
            _ => {}
        }
    }
    // The steps walked, the one the session stopped at included.
    let walked = &session.steps[..(session.cursor as usize + 1).min(session.steps.len())];
    let open_in_scope = model
        .threats
        .iter()
        .filter(|t| !t.obsolete && !ruled.contains(&t.id))
        .filter(|t| {
            walked
                .iter()
                .any(|s| s.target == t.target && s.category == t.category)
        })
        .count();
    let _ = writeln!(
        out,
        "## Outcome\n\n{} confirmed, {} added, {} ruled out; {} suggested in the steps walked left for later.\n",
        confirmed.len(),
        added.len(),
        rejected.len(),
        open_in_scope
    );
    let line = |(id, title): &(Uuid, &String)| match threats.get(id) {
        Some(t) => format!(
            "- {} ({}, {}, {})",
            md(&t.title),
            md(model.target_name(&t.target).unwrap_or("?")),
            t.severity().label(),
            status_label(&t.status)
        ),
        None => format!("- {} (no longer in the model)", md(title)),
    };
    for (heading, items) in [
        ("Confirmed", confirmed.iter().map(line).collect::<Vec<_>>()),
        ("Added", added.iter().map(line).collect()),
        ("Ruled out", rejected),
        ("Notes", notes),
    ] {
        if !items.is_empty() {
            let _ = writeln!(out, "### {heading}\n\n{}\n", items.join("\n"));
        }
    }
}

pub fn session_minutes(model: &ThreatModel, session: &ThreatSession) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Threat session minutes: {}\n", md(&model.name));
    let started = session.log.first().map(|e| e.at);
    let ended = session
        .log
        .iter()
        .rev()
        .find(|e| matches!(e.event, SessionEvent::Ended))
        .map(|e| e.at);
    if let Some(at) = started {
        let _ = writeln!(out, "- Started: {}", at.format("%Y-%m-%d %H:%M UTC"));
    }
    match ended {
        Some(at) => {
            let _ = writeln!(out, "- Ended: {}", at.format("%Y-%m-%d %H:%M UTC"));
        }
        None => {
            let _ = writeln!(
                out,
                "- Status: {}",
                match session.state {
                    SessionState::Paused => "paused",
                    _ => "in progress",
                }
            );
        }
    }
    let people = if session.participants.is_empty() {
        "not recorded".to_string()
    } else {
        session
            .participants
            .iter()
            .map(|p| md(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "- Participants: {people}");
    let mut scope: Vec<&str> = Vec::new();
    for step in &session.steps {
        if !scope.contains(&step.target_name.as_str()) {
            scope.push(&step.target_name);
        }
    }
    let scope: Vec<String> = scope.iter().map(|s| md(s)).collect();
    let _ = writeln!(out, "- Scope: {}", scope.join(", "));
    let _ = writeln!(
        out,
        "- Progress: {} of {} steps\n",
        (session.cursor as usize).min(session.steps.len()),
        session.steps.len()
    );
    minutes_outcome(&mut out, model, session);
    // A session paused one day and resumed the next needs dates in its log.
    let days: std::collections::BTreeSet<_> =
        session.log.iter().map(|e| e.at.date_naive()).collect();
    let time_format = if days.len() > 1 {
        "%Y-%m-%d %H:%M"
    } else {
        "%H:%M"
    };
    out.push_str("## Log\n\n| Time | Step | Event |\n|---|---|---|\n");
    for entry in &session.log {
        let step = entry
            .step
            .and_then(|i| session.steps.get(i as usize))
            .map(|s| format!("{} · {}", md(&s.target_name), s.category.label()))
            .unwrap_or_default();
        let event = match &entry.event {
            SessionEvent::Started => "Session started".to_string(),
            SessionEvent::Paused => "Paused".to_string(),
            SessionEvent::Resumed => "Resumed".to_string(),
            SessionEvent::Ended => "Session ended".to_string(),
            SessionEvent::Confirmed { title, .. } => format!("Confirmed: {}", md(title)),
            SessionEvent::Rejected { title, reason, .. } => {
                format!("Rejected: {}. Reason: {}", md(title), md(reason))
            }
            SessionEvent::Added { title, .. } => format!("Added: {}", md(title)),
            SessionEvent::Note { text } => format!("Note: {}", md(text)),
        };
        let _ = writeln!(
            out,
            "| {} | {step} | {event} |",
            entry.at.format(time_format)
        );
    }
    out
}
