//! Export: canonical MADR 4, the index, and new-record templates.

use std::fmt::Write as _;

use plasma_models::slug::file_slug;
use plasma_models::{
    Adr, AdrDraft, AdrLink, AdrStatus, Consequences, ConsideredOption, LinkKind, Section,
};

use super::escape::{self, Guard};
use super::parse::{
    adr_id_title, bare_record_link, datetime_date, numbered_title, parse_link_line,
    status_from_text, structural_key,
};
use super::Template;
use crate::md;
use crate::yaml;

/// `NNNN-slug.md`: the number zero-padded to 4 digits, the slug of the title
/// (letters of every script kept: see [`file_slug`]).
pub fn file_name(adr: &Adr) -> String {
    format!("{:04}-{}.md", adr.number, file_slug(&adr.title))
}

/// Canonical MADR 4. Links to other records are written as `ADR-NNNN` text;
/// use [`render_madr4_with`] to write Markdown links to their files.
pub fn render_madr4(adr: &Adr) -> String {
    render_madr4_with(adr, &|_| None)
}

/// Canonical MADR 4; `target_file` gives the file name of a linked record
/// (e.g. from [`file_name`]), `None` writes a plain `ADR-NNNN` reference.
pub fn render_madr4_with(adr: &Adr, target_file: &dyn Fn(u32) -> Option<String>) -> String {
    render_draft(&adr.draft(), adr.number, target_file)
}

fn sorted_links(links: &[AdrLink]) -> Vec<AdrLink> {
    let mut v = links.to_vec();
    v.sort();
    v.dedup();
    v
}

fn item(s: &str) -> String {
    md::clean(s).trim_start().to_string()
}

fn items(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| item(s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn push_block(out: &mut String, heading: String, body: &str) {
    out.push_str(&heading);
    out.push_str("\n\n");
    if !body.is_empty() {
        out.push_str(body);
        out.push_str("\n\n");
    }
}

/// An option title as listed under `## Considered Options` (an item, may
/// span lines); its `###` heading is the same text on one line.
fn title_item(s: &str) -> String {
    item(s)
}

/// A text field as written under a heading: cleaned, open blocks closed,
/// and escaped so that it cannot be read as structure.
fn body_text(s: &str, guard: Guard) -> String {
    escape::escape(&escape::close_open_blocks(&md::clean(s)), guard)
}

fn bullets(v: &[String]) -> String {
    v.iter()
        .map(|s| {
            let b = md::bullet(s);
            // `* **` would be a thematic break, not an item.
            let first = b.split('\n').next().unwrap_or("");
            let stars = first.bytes().filter(|&c| c == b'*').count();
            if stars >= 3 && first.bytes().all(|c| matches!(c, b'*' | b' ' | b'\t')) {
                format!("-{}", &b[1..])
            } else {
                b
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn arguments(good: &[String], neutral: &[String], bad: &[String]) -> String {
    let mut lines = Vec::new();
    for (prefix, list) in [
        ("Good, because", good),
        ("Neutral, because", neutral),
        ("Bad, because", bad),
    ] {
        for a in list {
            let a = item(a);
            lines.push(if a.is_empty() {
                format!("* {prefix}")
            } else {
                md::bullet(&format!("{prefix} {a}"))
            });
        }
    }
    lines.join("\n")
}

/// Level-2 headings that import maps onto fields.
const STRUCTURAL: [&str; 17] = [
    "context and problem statement",
    "context",
    "decision drivers",
    "considered options",
    "decision outcome",
    "decision",
    "decisions",
    "consequences",
    "confirmation",
    "pros and cons of the options",
    "links",
    "status",
    "date",
    "deciders",
    "decision makers",
    "decision-makers",
    "metadata",
];

/// Link-like lines anywhere in the extent of section `n` (level, heading,
/// body), which includes the deeper sections after it.
fn has_link_lines(sections: &[(u8, String, String)], n: usize) -> bool {
    let level = sections[n].0;
    std::iter::once(&sections[n])
        .chain(sections[n + 1..].iter().take_while(|s| s.0 > level))
        .any(|s| {
            s.2.split('\n')
                .any(|l| parse_link_line(l).is_some() || bare_record_link(l).is_some())
        })
}

fn option_has_body(o: &ConsideredOption) -> bool {
    !md::clean(&o.description).is_empty()
        || !o.pros.is_empty()
        || !o.cons.is_empty()
        || !o.neutral.is_empty()
}

/// The status as import will read it back: a custom label that reads as a
/// known status is that status; quotes, comments and surrounding space are
/// dropped.
fn effective_status(status: &AdrStatus) -> AdrStatus {
    match status {
        AdrStatus::Custom(label) => {
            // Reading trims quotes and space once per pass: repeat until the
            // label reads back as itself.
            let mut status = status_from_text(&md::one_line(label)).0;
            for _ in 0..label.len() {
                let AdrStatus::Custom(t) = &status else { break };
                let again = status_from_text(t).0;
                if again == status {
                    break;
                }
                status = again;
            }
            status
        }
        other => other.clone(),
    }
}

fn status_label(d: &AdrDraft) -> String {
    let status = effective_status(&d.status);
    let label = status.label().trim().to_string();
    if status == AdrStatus::Superseded {
        if let Some(l) = sorted_links(&d.links)
            .iter()
            .find(|l| l.kind == LinkKind::SupersededBy)
        {
            return format!("superseded by ADR-{:04}", l.target);
        }
    }
    if label.is_empty() {
        AdrStatus::default().label().to_string()
    } else {
        label
    }
}

fn link_line(l: &AdrLink, target_file: &dyn Fn(u32) -> Option<String>) -> String {
    let text = format!("ADR-{:04}", l.target);
    match target_file(l.target) {
        Some(f) if !f.is_empty() && !f.contains([' ', '(', ')', '[', ']', '<', '>', '\n']) => {
            format!("* {} [{text}]({f})", l.kind.label())
        }
        _ => format!("* {} {text}", l.kind.label()),
    }
}

/// `number`: the record's; a title that starts with it (`7. X`, `ADR-0007:
/// X` for ADR 7) is written without it, as import reads it.
pub(crate) fn render_draft(
    d: &AdrDraft,
    number: u32,
    target_file: &dyn Fn(u32) -> Option<String>,
) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "status: {}", yaml::quote(&status_label(d)));
    let mut used = vec!["status".to_string()];
    if let Some(date) = d.date {
        // An imported date and time is written back as it was while its
        // day is the record's date.
        let kept = d.extra_front_matter.iter().find(|(k, v)| {
            k.trim() == "date"
                && yaml::raw_scalar_text(v.trim()).and_then(|s| datetime_date(&s)) == Some(date)
        });
        match kept {
            Some((_, raw)) => {
                let _ = writeln!(out, "{}", yaml::entry_line("date", raw.trim_end()));
            }
            None => {
                let _ = writeln!(out, "date: {}", date.format("%Y-%m-%d"));
            }
        }
        used.push("date".into());
    }
    for (key, list) in [
        ("decision-makers", &d.decision_makers),
        ("consulted", &d.consulted),
        ("informed", &d.informed),
        ("tags", &d.tags),
        ("repositories", &d.repositories),
    ] {
        let list: Vec<String> = list
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if !list.is_empty() {
            let _ = writeln!(out, "{key}: {}", yaml::flow_list(&list));
            used.push(key.into());
        }
    }
    for (key, value) in &d.extra_front_matter {
        let key = key.trim();
        if key.is_empty() || used.iter().any(|u| u == key) {
            continue;
        }
        // An imported date and time was the record's date: with the date
        // cleared, it goes too.
        if key == "date"
            && yaml::raw_scalar_text(value.trim())
                .and_then(|s| datetime_date(&s))
                .is_some()
        {
            continue;
        }
        used.push(key.to_string());
        let _ = writeln!(out, "{}", yaml::entry_line(key, value.trim_end()));
    }
    out.push_str("---\n\n");
    let title = match numbered_title(&d.title).or_else(|| adr_id_title(&d.title)) {
        Some((n, rest)) if n == number => rest,
        _ => d.title.clone(),
    };
    push_block(&mut out, md::heading_line(1, &title), "");

    let mut structured = false;
    let context = body_text(&d.context, Guard::level(2));
    if !context.is_empty() {
        structured = true;
        push_block(
            &mut out,
            "## Context and Problem Statement".into(),
            &context,
        );
    }
    let drivers = items(&d.decision_drivers);
    if !drivers.is_empty() {
        structured = true;
        push_block(&mut out, "## Decision Drivers".into(), &bullets(&drivers));
    }
    let options: Vec<ConsideredOption> = d
        .considered_options
        .iter()
        .filter(|o| !title_item(&o.title).is_empty())
        .cloned()
        .collect();
    if !options.is_empty() {
        structured = true;
        let titles: Vec<String> = options.iter().map(|o| title_item(&o.title)).collect();
        push_block(&mut out, "## Considered Options".into(), &bullets(&titles));
    }
    let outcome = body_text(&d.decision_outcome, Guard::outcome());
    let c: &Consequences = &d.consequences;
    let confirmation = body_text(&d.confirmation, Guard::level(3));
    if !outcome.is_empty() || !c.is_empty() || !confirmation.is_empty() {
        structured = true;
        push_block(&mut out, "## Decision Outcome".into(), &outcome);
        if !c.is_empty() {
            push_block(
                &mut out,
                "### Consequences".into(),
                &arguments(&c.good, &c.neutral, &c.bad),
            );
        }
        if !confirmation.is_empty() {
            push_block(&mut out, "### Confirmation".into(), &confirmation);
        }
    }
    let detailed: Vec<&ConsideredOption> = options.iter().filter(|o| option_has_body(o)).collect();
    if !detailed.is_empty() {
        structured = true;
        push_block(&mut out, "## Pros and Cons of the Options".into(), "");
        for o in detailed {
            let mut body = body_text(&o.description, Guard::option_description());
            let args = arguments(&o.pros, &o.neutral, &o.cons);
            if !args.is_empty() {
                if !body.is_empty() {
                    body.push_str("\n\n");
                }
                body.push_str(&args);
            }
            push_block(&mut out, md::heading_line(3, &title_item(&o.title)), &body);
        }
    }

    let links: Vec<String> = sorted_links(&d.links)
        .iter()
        .map(|l| link_line(l, target_file))
        .collect();
    // Extra sections: heading level clamped; bodies are escaped for their
    // final level when written (escaping never makes or breaks a link line).
    let mut sections: Vec<(u8, String, String)> = d
        .sections
        .iter()
        .map(|s| {
            let body = escape::close_open_blocks(&md::clean(&s.body));
            (s.level.clamp(1, 6), s.heading.clone(), body)
        })
        .collect();
    // A first section deeper than level 2 would be read as part of the
    // structured section before it: it starts at level 2 instead.
    let promote = |sections: &mut Vec<(u8, String, String)>| {
        if let Some(first) = sections.first_mut() {
            first.0 = first.0.min(2);
        }
    };
    if structured {
        promote(&mut sections);
    }
    // A level-2 section named like a structured one is written with a
    // closing sequence (`## Context #`) so import keeps it a section. A
    // `Links` section without link-like lines is structure: the links are
    // written into the first one (other `Links` sections are then closed).
    let is_links = |(level, heading, _): &(u8, String, String)| {
        *level == 2 && md::heading_key(heading) == "links"
    };
    // An empty first one is not: import could not tell it from the links'
    // own section.
    let merge_target = |sections: &[(u8, String, String)]| {
        (0..sections.len()).find(|&n| {
            is_links(&sections[n])
                && !has_link_lines(sections, n)
                // Under a `# ` section it would be that section's text.
                && sections[..n].iter().all(|s| s.0 >= 2)
                && !(n == 0
                    && sections[n].2.is_empty()
                    && sections.get(1).is_none_or(|s| s.0 <= 2))
        })
    };
    let mut merge_into = merge_target(&sections);
    if !links.is_empty() && merge_into.is_none() {
        // The links get a section of their own before the extra sections.
        promote(&mut sections);
        merge_into = merge_target(&sections);
        if merge_into.is_none() {
            push_block(&mut out, "## Links".into(), &links.join("\n"));
        }
    }
    for (n, (level, heading, body)) in sections.iter().enumerate() {
        // As import reads it: `## Datum` is a date, `## Estado` a status.
        let key = structural_key(heading);
        let closed = *level == 2
            && STRUCTURAL.contains(&key.as_str())
            && (key != "links"
                || has_link_lines(&sections, n)
                || (!links.is_empty() && Some(n) != merge_into));
        let mut body = escape::escape(body, Guard::level(*level));
        if Some(n) == merge_into && !links.is_empty() {
            let mut merged = links.join("\n");
            if !body.is_empty() {
                merged.push_str("\n\n");
                merged.push_str(&body);
            }
            body = merged;
        }
        push_block(
            &mut out,
            md::heading_line_closed(*level, heading, closed),
            &body,
        );
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

const STATUS_ORDER: [&str; 6] = [
    "proposed",
    "draft",
    "accepted",
    "deprecated",
    "superseded",
    "rejected",
];

fn heading_case(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `index.md`: a table of contents grouped by status (proposed, draft,
/// accepted, deprecated, superseded, rejected, then custom statuses by name),
/// each group ordered by number.
pub fn render_index(adrs: &[Adr]) -> String {
    let mut groups: Vec<(String, Vec<&Adr>)> = Vec::new();
    let mut sorted: Vec<&Adr> = adrs.iter().collect();
    sorted.sort_by_key(|a| (a.number, a.title.clone()));
    for adr in sorted {
        let label = match &adr.status {
            AdrStatus::Custom(s) => s.trim().replace('\n', " "),
            other => other.label().to_string(),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => v.push(adr),
            None => groups.push((label, vec![adr])),
        }
    }
    groups.sort_by_key(|(label, _)| {
        let rank = STATUS_ORDER
            .iter()
            .position(|s| s == label)
            .unwrap_or(STATUS_ORDER.len());
        (rank, label.clone())
    });
    let mut out = String::from("# Architecture Decision Records\n\n");
    if groups.is_empty() {
        out.push_str("No decisions recorded yet.\n");
        return out;
    }
    for (label, list) in groups {
        let _ = writeln!(out, "{}\n", md::heading_line(2, &heading_case(&label)));
        for adr in list {
            let title = adr.title.replace('\n', " ");
            let _ = writeln!(
                out,
                "* [ADR-{:04}]({}) - {}",
                adr.number,
                file_name(adr),
                title.trim()
            );
        }
        out.push('\n');
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// A new record's starting text, with `{placeholder}` hints as in MADR.
pub fn render_template(kind: Template, title: &str) -> AdrDraft {
    let title = title.trim().to_string();
    let s = |x: &str| x.to_string();
    match kind {
        Template::Nygard => AdrDraft {
            title,
            status: AdrStatus::Proposed,
            context: s("{What is the issue that we're seeing that is motivating this decision or change?}"),
            decision_outcome: s("{What is the change that we're proposing and/or doing?}"),
            sections: vec![Section {
                heading: s("Consequences"),
                level: 2,
                body: s("{What becomes easier or more difficult to do because of this change?}"),
            }],
            ..Default::default()
        },
        Template::Madr4Minimal => AdrDraft {
            title,
            status: AdrStatus::Proposed,
            context: s("{Describe the context and problem statement, e.g., in free form using two to three sentences or in the form of an illustrative story. You may want to articulate the problem in form of a question.}"),
            considered_options: vec![option("{title of option 1}"), option("{title of option 2}")],
            decision_outcome: s("Chosen option: \"{title of option 1}\", because {justification}."),
            consequences: Consequences {
                good: vec![s("{positive consequence, e.g., improvement of one or more desired qualities, …}")],
                bad: vec![s("{negative consequence, e.g., compromising one or more desired qualities, …}")],
                neutral: vec![],
            },
            ..Default::default()
        },
        Template::Madr4Full => AdrDraft {
            title,
            status: AdrStatus::Proposed,
            context: s("{Describe the context and problem statement, e.g., in free form using two to three sentences or in the form of an illustrative story. You may want to articulate the problem in form of a question and add links to collaboration boards or issue management systems.}"),
            decision_drivers: vec![s("{decision driver 1, e.g., a force, facing concern, …}"), s("{decision driver 2, e.g., a force, facing concern, …}")],
            considered_options: vec![
                ConsideredOption {
                    title: s("{title of option 1}"),
                    description: s("{example | description | pointer to more information | …}"),
                    pros: vec![s("{argument a}")],
                    neutral: vec![s("{argument b}")],
                    cons: vec![s("{argument c}")],
                },
                ConsideredOption {
                    title: s("{title of option 2}"),
                    description: s("{example | description | pointer to more information | …}"),
                    pros: vec![s("{argument a}")],
                    neutral: vec![],
                    cons: vec![s("{argument b}")],
                },
            ],
            decision_outcome: s("Chosen option: \"{title of option 1}\", because {justification. e.g., only option, which meets k.o. criterion decision driver | which resolves force {force} | … | comes out best (see below)}."),
            consequences: Consequences {
                good: vec![s("{positive consequence, e.g., improvement of one or more desired qualities, …}")],
                bad: vec![s("{negative consequence, e.g., compromising one or more desired qualities, …}")],
                neutral: vec![],
            },
            confirmation: s("{Describe how the implementation of/compliance with the ADR can/will be confirmed, e.g., by a review or an ArchUnit test.}"),
            sections: vec![Section {
                heading: s("More Information"),
                level: 2,
                body: s("{Additional evidence, the team agreement on the decision, when it should be re-visited, links to other decisions and resources.}"),
            }],
            ..Default::default()
        },
    }
}

fn option(title: &str) -> ConsideredOption {
    ConsideredOption {
        title: title.to_string(),
        ..Default::default()
    }
}
