//! Import: Nygard/adr-tools, MADR 2/3/4 and log4brains Markdown.

use chrono::NaiveDate;
use plasma_models::{AdrDraft, AdrStatus, Consequences, ConsideredOption, LinkKind, Section};

use super::escape::{self, Guard};
use super::{AdrFormat, Classified, LinkTarget, ParseError, ParsedAdr};
use crate::md::{self, Block, Heading};
use crate::yaml;

/// Reads one Markdown file of an ADR folder. `file_name` may be a path; only
/// its last component is used (for the number and to recognise indexes and
/// templates).
pub fn parse_file(file_name: &str, text: &str) -> Result<Classified, ParseError> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    if let Some(reason) = skip_by_name(name) {
        return Ok(Classified::Skipped { reason });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text: std::borrow::Cow<'_, str> = if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    };
    let lifted: String;
    let (front, body, body_line) = match front_matter_below_comment(&text) {
        Some((comment, front, after, after_line)) => {
            // The comment stays where it was, as text above the title; the
            // front matter's lines go blank so the lines keep their numbers.
            lifted = format!("{comment}{}{after}", "\n".repeat(after_line - 1));
            (Some(front), lifted.as_str(), 1)
        }
        None => split_front_matter(&text)?,
    };
    let entries = match front {
        Some(fm) => Some(
            yaml::parse_front_matter(fm)
                .or_else(|e| {
                    // `tag:Web Client` (Ensembl's records): keys written
                    // without the space YAML needs after the colon.
                    spaced_front_matter(fm)
                        .and_then(|fixed| yaml::parse_front_matter(&fixed).ok())
                        .ok_or(e)
                })
                .map_err(|(line, reason)| ParseError {
                    line: line + 1,
                    reason: file_lines(&reason, 1),
                })?,
        ),
        None => None,
    };
    let mut headings = md::top_headings(body);
    // A table of contents under another name (`SUMMARY.md`, `_sidebar.md`,
    // a decision log): mostly links to other records, no record sections.
    // Our export always has a status in front matter.
    let front_keys: Vec<String> = entries
        .iter()
        .flatten()
        .map(|e| e.key.to_ascii_lowercase())
        .collect();
    let front_status = front_keys.iter().any(|k| k == "status");
    let record_sections = headings.iter().any(|h| record_section(&h.text));
    if !front_status && !record_sections {
        if let Some(n) = index_links(body) {
            return Ok(Classified::Skipped {
                reason: format!("it lists links to {n} records: a table of contents, not a record"),
            });
        }
    }
    let title_idx = headings.iter().position(|h| h.level == 1);
    // Docusaurus sites (Backstage's ADR log) give the title only in front
    // matter: `title: 'ADR001: ...'` and no `# Title`. Our own export always
    // writes `# Title`, so this never changes how an export reads back.
    let front_title = match (title_idx, &entries) {
        (None, Some(entries)) => front_matter_title(entries),
        _ => None,
    };
    let stem = name.strip_suffix(".md").unwrap_or(name);
    // `# Context and Problem Statement` as the one level-1 heading of a
    // numbered file (s3gw's labels record): a record section written at
    // level 1 is no title; the file name's words are. Our export always
    // writes front matter.
    let title_idx = match title_idx {
        Some(0)
            if entries.is_none()
                && record_section(&headings[0].text)
                && number_prefix(stem).is_some()
                && headings[1..].iter().all(|h| h.level > 1) =>
        {
            headings[0].level = 2;
            None
        }
        t => t,
    };
    let title_idx = match title_idx {
        None if front_title.is_none() => raised_title(&mut headings, body, stem),
        Some(idx) => {
            lowered_sections(&mut headings[idx + 1..]);
            Some(idx)
        }
        None => None,
    };
    let headings = headings;
    // A numbered file of record sections without a `# Title` (the status
    // in a code block, then `## Context and Problem Statement`): its
    // title is the file name's words. Our export always writes `# Title`.
    let front_title = match (title_idx, front_title) {
        (None, None) if record_sections && entries.is_none() => name_title(stem),
        (_, t) => t,
    };
    if title_idx.is_none() && front_title.is_none() {
        let reason = if headings.is_empty() {
            "no heading found: this is not an ADR (expected `# Title`)".to_string()
        } else {
            "no level-1 heading (`# Title`) found: this is not an ADR".to_string()
        };
        return Err(ParseError {
            line: body_line,
            reason,
        });
    }
    let mut p = Parser {
        body,
        headings: &headings,
        front_keys,
        front_status,
        draft: AdrDraft::default(),
        links: Vec::new(),
        status: None,
        context_parts: Vec::new(),
        pending_options: Vec::new(),
        options_set: false,
        context_set: false,
        drivers_set: false,
        outcome_set: false,
        confirmation_set: false,
        consequences_set: false,
        pros_set: false,
        status_section: false,
        status_choices: false,
        undated_date_line: false,
        tags_line: false,
        deciders_key: false,
        decision_makers_key: false,
        jekyll_keys: false,
        created_date: None,
        decided_date: None,
    };
    if let Some(entries) = &entries {
        p.front_matter(entries);
    }

    // Title, and with it a Nygard number.
    let (mut title, title_start, title_end, first_section) = match title_idx {
        Some(idx) => {
            let h = &headings[idx];
            (h.text.clone(), h.start, h.end, idx + 1)
        }
        None => {
            // The title entry became the title: not kept a second time.
            p.draft.extra_front_matter.retain(|(k, _)| k != "title");
            (front_title.unwrap_or_default(), 0, 0, 0)
        }
    };
    // `#### Status: Accepted` / `#### Date: 2025-12-09` under the title,
    // nothing under them (midnight-node's records): metadata lines written
    // as headings. A heading whose line would stay text stays a section.
    let (mut first_section, mut title_end) = (first_section, title_end);
    while let Some(h) = headings.get(first_section) {
        let blank = slice(body, h.end, p.extent_end(first_section + 1))
            .trim()
            .is_empty();
        if h.level == 1 || h.closed || !blank || meta_line(&h.text).is_none() {
            break;
        }
        if !p.metadata_lines(&h.text).is_empty() {
            break;
        }
        title_end = h.end;
        first_section += 1;
    }
    let mut title_number = None;
    let written_title = title.clone();
    if entries.is_none() || title_idx.is_none() {
        if let Some((n, rest)) = numbered_title(&title)
            .or_else(|| adr_id_title(&title))
            .or_else(|| file_number_title(&title, stem))
            .or_else(|| adr_id_space_title(&title, stem))
            .or_else(|| file_number_around_title(&title, stem))
        {
            title_number = Some(n);
            // `# 24. X` in `0025-x.md` (a title copied from another record,
            // cisagov's manage.get.gov): the file's number is the record's,
            // and the title keeps the other one as written.
            let file_number = number_prefix(stem).or_else(|| number_suffix(stem));
            if file_number.is_none_or(|f| f == n) {
                title = rest;
            }
        } else if let Some(rest) = labelled_title(&title, stem) {
            title = rest;
        }
    } else if let Some((n, rest)) = numbered_title(&title)
        .or_else(|| adr_id_title(&title))
        .or_else(|| file_number_title(&title, stem))
    {
        // Under front matter the title keeps a number, unless it is the
        // record's own: the file's number (`0018-x.md`, `# 0018. X`,
        // hyphae's `# 0006 — X`; the export writes such a title without
        // it), or the title the front
        // matter gives is the rest (compliance-trestle: `title: X` over
        // `# ADR 001 - X`).
        let own = number_prefix(stem).or_else(|| number_suffix(stem)) == Some(n);
        let ft = entries.as_deref().and_then(front_matter_title);
        if own || ft.as_deref() == Some(rest.as_str()) {
            title_number = Some(n);
            title = rest;
        }
    } else if let Some(rest) = adr_label_title(&title) {
        // `title: "ADR: X"` over `# ADR: X Crate` (a Docusaurus site whose
        // page titles all say what the page is): the label is no part of
        // the title. A title of ours keeps it (our export writes no title
        // key).
        let ft = entries.as_deref().and_then(front_matter_title);
        if ft.as_deref().and_then(adr_label_title).is_some() {
            title = rest;
        }
    }
    if let Some(reason) = placeholder_reason(&title, body, entries.is_some()) {
        return Ok(Classified::Skipped { reason });
    }
    // `ADR-MON-0001` (in the title or the file name): the number is the
    // record's, the scope a tag, so the export (`0001-x.md`, `# X`) keeps
    // it. Our export never writes a scoped id.
    let scope = title_number
        .and_then(|_| adr_scope(&written_title))
        .or_else(|| adr_scope(stem).filter(|_| number_prefix(stem).is_some()));
    if let Some(scope) = scope {
        if !p.draft.tags.iter().any(|t| t.eq_ignore_ascii_case(scope)) {
            p.draft.tags.push(scope.to_string());
        }
    }
    // `# [Title]`: the template's brackets, kept (never in our export).
    if entries.is_none() {
        if let Some(inner) = bracketed(&title).filter(|t| !t.trim().is_empty()) {
            title = inner.trim().to_string();
        }
    }
    p.draft.title = title;

    // Text around the title: metadata lines (without front matter), the rest
    // is context.
    let before = if entries.is_none() {
        p.mangled_front_matter(slice(body, 0, title_start))
    } else {
        md::clean(slice(body, 0, title_start))
    };
    if !before.is_empty() {
        p.context_parts.push(before);
    }
    let next_start = headings
        .get(first_section)
        .map(|h| h.start)
        .unwrap_or(body.len());
    let after = slice(body, title_end, next_start);
    // MADR 2 metadata lines under the title say what the front matter does
    // not (Hugo/Docusaurus page keys; mcj-coder's development-skills:
    // `status:` above, `Date:`, `Deciders:` and `Tags:` lines below); a key
    // the front matter has stays text. Our export writes nothing between
    // the title and the first section.
    let after = p.metadata_lines(after);
    if !after.is_empty() {
        p.context_parts.push(after);
    }

    let mut i = first_section;
    while i < headings.len() {
        let j = next_at_or_above(&headings, i);
        p.section(i, j);
        i = j;
    }
    if p.status.is_none() && p.status_choices {
        p.status = Some(AdrStatus::Draft);
    }

    // `# [Superseded by [ADR-0019](0019-x.md)] Push Metrics`: the status
    // written again before the title (Elastisys' records), dropped when it
    // says what the status lines said. Never in our export (front matter).
    if entries.is_none() {
        if let Some((status, target, rest)) = status_title_prefix(&p.draft.title) {
            let same_link = target.is_none_or(|t| {
                p.links
                    .iter()
                    .any(|(k, l)| *k == LinkKind::SupersededBy && *l == t)
            });
            if p.status.as_ref() == Some(&status) && same_link {
                p.draft.title = rest;
            }
        } else if p.status.is_none() && p.links.is_empty() {
            // `# Superseded: Manage backend with K3S` (V-Sekai's records,
            // which have no status line): the title is the only place the
            // record's end is written.
            if let Some((status, rest)) = ended_title(&p.draft.title) {
                p.status = Some(status);
                p.draft.title = rest;
            }
        }
    }
    // A template kept under a record's name (`0000-ladr-template.md`): its
    // status lists the choices, and its name or title says template. (A
    // titled record never filled in is a draft.) Our export always has
    // front matter.
    let template_title = {
        let t = p.draft.title.trim();
        t.eq_ignore_ascii_case("title") || (t.contains('<') && t.ends_with('>'))
    };
    if p.status_choices
        && entries.is_none()
        && (stem.to_ascii_lowercase().contains("template") || template_title)
    {
        return Ok(Classified::Skipped {
            reason: "the status lists the choices instead of one: this is a template".into(),
        });
    }

    let log4brains = date_prefix(stem) || p.tags_line;
    let format = if entries.is_some() {
        if p.deciders_key {
            AdrFormat::Madr3
        } else if p.decision_makers_key || p.confirmation_set {
            AdrFormat::Madr4
        } else if p.jekyll_keys {
            AdrFormat::Madr3
        } else {
            AdrFormat::Madr4
        }
    } else if log4brains {
        AdrFormat::Log4brains
    } else if title_number.is_some() || p.status_section || p.undated_date_line {
        AdrFormat::Nygard
    } else {
        AdrFormat::Madr2
    };
    Ok(Classified::Adr(
        p.finish(
            format,
            number_prefix(stem)
                .or_else(|| number_suffix(stem))
                .or(title_number),
        ),
    ))
}

struct Parser<'a> {
    body: &'a str,
    headings: &'a [Heading],
    /// Keys of the front matter (lower-case): a metadata line never stands
    /// in for a key the front matter already has.
    front_keys: Vec<String>,
    /// The front matter has a `status` key.
    front_status: bool,
    draft: AdrDraft,
    links: Vec<(LinkKind, LinkTarget)>,
    status: Option<AdrStatus>,
    context_parts: Vec<String>,
    pending_options: Vec<ConsideredOption>,
    options_set: bool,
    context_set: bool,
    drivers_set: bool,
    outcome_set: bool,
    confirmation_set: bool,
    consequences_set: bool,
    pros_set: bool,
    status_section: bool,
    /// The status was a list of the choices (`[Proposed, Accepted, ...]`).
    status_choices: bool,
    undated_date_line: bool,
    tags_line: bool,
    deciders_key: bool,
    decision_makers_key: bool,
    jekyll_keys: bool,
    /// A front-matter `created:` date: the record's date when nothing else
    /// gives one (the key stays as written).
    created_date: Option<NaiveDate>,
    /// A front-matter `decided-on:` date: the record's date before a
    /// `created:` one (the key stays as written).
    decided_date: Option<NaiveDate>,
}

impl Parser<'_> {
    fn front_matter(&mut self, entries: &[yaml::Entry]) {
        for e in entries {
            let keep = |p: &mut Self| {
                p.draft
                    .extra_front_matter
                    .push((e.key.clone(), e.raw.clone()))
            };
            match e.key.as_str() {
                "status" => match yaml::scalar_text(&e.value) {
                    Some(s) if s.trim().is_empty() => {}
                    Some(s) => self.set_front_status(&s),
                    None => keep(self),
                },
                "date" => match yaml::scalar_text(&e.value) {
                    Some(s) if s.trim().is_empty() => {}
                    Some(s) => match parse_date(&s) {
                        Some(d) => self.draft.date = Some(d),
                        None => match datetime_date(&s) {
                            // A site generator's date and time (Hugo's
                            // `2020-06-15T20:21:00+01:00`): the record's
                            // date, and the value kept, which export writes
                            // back while the date is unchanged.
                            Some(d) => {
                                self.draft.date = Some(d);
                                // First, where export writes the date.
                                self.draft
                                    .extra_front_matter
                                    .insert(0, (e.key.clone(), e.raw.clone()));
                            }
                            None => keep(self),
                        },
                    },
                    None => keep(self),
                },
                // `decision_makers:` as Jekyll sites spell the key.
                "deciders" | "decision-makers" | "decision_makers" | "consulted" | "informed"
                | "tags" | "tag" | "repositories" => {
                    if e.key == "deciders" {
                        self.deciders_key = true;
                    }
                    if e.key == "decision-makers" || e.key == "decision_makers" {
                        self.decision_makers_key = true;
                    }
                    match yaml::string_list(&e.value) {
                        Some(items) => {
                            let field = match e.key.as_str() {
                                "consulted" => &mut self.draft.consulted,
                                "informed" => &mut self.draft.informed,
                                "tags" | "tag" => &mut self.draft.tags,
                                "repositories" => &mut self.draft.repositories,
                                _ => &mut self.draft.decision_makers,
                            };
                            field.extend(items);
                        }
                        None => keep(self),
                    }
                }
                other if people_alias(&other.to_lowercase()).is_some() => {
                    // `authors: [a, b]`: kept as written, and the people.
                    keep(self);
                    if let Some(items) = yaml::string_list(&e.value) {
                        let field = people_alias(&other.to_lowercase()).unwrap_or_default();
                        self.add_people(field, items);
                    }
                }
                other => {
                    let date = || yaml::scalar_text(&e.value).and_then(|s| parse_date(s.trim()));
                    if matches!(
                        other,
                        "created"
                            | "created_at"
                            | "created-at"
                            | "created_on"
                            | "created-date"
                            | "recorded-on"
                            | "recorded_on"
                            | "date_proposed"
                    ) {
                        self.created_date = date();
                    }
                    // `decided-on:` (specful), `date_resolved:`: when the
                    // decision was made, before when it was written down.
                    if matches!(other, "decided-on" | "decided_on" | "date_resolved") {
                        self.decided_date = date();
                    }
                    if matches!(other, "parent" | "nav_order" | "grand_parent" | "layout") {
                        self.jekyll_keys = true;
                    }
                    // `supersedes: [ADR-0024]`, `superseded_by: ADR-0031`:
                    // links, when every item names a record.
                    let targets = front_link_kind(other).and_then(|kind| {
                        let items = yaml::string_list(&e.value)?;
                        let targets = items
                            .iter()
                            .map(|i| front_link_target(i).map(|t| (kind, t)))
                            .collect::<Option<Vec<_>>>()?;
                        (!targets.is_empty()).then_some(targets)
                    });
                    match targets {
                        Some(targets) => self.links.extend(targets),
                        None => keep(self),
                    }
                }
            }
        }
    }

    /// A front-matter `status`: a known status (with a date), `superseded
    /// by <ref>`, or kept whole as a custom status. The readings of body
    /// lines that keep the line as text do not apply: the value would be
    /// lost, and our export writes custom statuses here.
    fn set_front_status(&mut self, text: &str) {
        if let Some((status, date)) = status_with_date(text) {
            self.status = Some(status);
            self.draft.date = self.draft.date.or(Some(date));
            return;
        }
        let (status, target) = status_from_text(text);
        if let Some(t) = target {
            self.links.push((LinkKind::SupersededBy, t));
        }
        self.status = Some(status);
    }

    /// Reads a status line; true when the line says more than the status
    /// and stays as text (a linked status word, a list of choices, struck
    /// out statuses, a status followed by an explanation).
    fn set_status(&mut self, text: &str) -> bool {
        // `Proposed [Proposed, Accepted, Rejected, etc.]`: the template's
        // choices left after the one picked.
        if let Some(status) = status_before_choices(text) {
            if self.status.is_none() {
                self.status = Some(status);
            }
            return true;
        }
        if status_choices(text) {
            // A template's hint; a draft unless a status line after it
            // picks one (`> 상태: 제안됨(Proposed)|승인됨(Accepted)` over
            // `Accepted`).
            self.status_choices = true;
            return true;
        }
        if let Some(status) = linked_status(text) {
            if self.status.is_none() {
                self.status = Some(status);
            }
            return true;
        }
        // `Accepted on 2023-01-05`, `Accepted (2023-01-05)`, `Superseded on
        // 2026-03-31 by [ADR 9](0009-x.md)`: the status (and the superseding
        // record), and the record's date when nothing else gave one. The
        // line stays as text when it says more, or a date the record does
        // not have.
        if let Some(d) = dated_status(text) {
            let mut read = false;
            if self.status.is_none() {
                self.status = Some(d.status.clone());
                if let Some(t) = d.target.clone() {
                    self.links.push((LinkKind::SupersededBy, t));
                }
                self.draft.date = self.draft.date.or(Some(d.date));
                read = true;
            }
            let keep = d.more || !read || self.draft.date != Some(d.date);
            if d.more {
                self.sentence_links(text);
            }
            return keep || struck_status(text).is_some();
        }
        // `채택됨 (Accepted)`: the status word and its translation, nothing
        // more.
        if let Some(status) = translated_status(text) {
            if self.status.is_none() {
                self.status = Some(status);
            }
            return false;
        }
        let (keep, (status, target)) = match struck_status(text) {
            Some(read) => (true, read),
            None => match leading_status(text) {
                Some(read) => (true, read),
                None => (false, status_from_text(text)),
            },
        };
        if let Some(t) = target {
            self.links.push((LinkKind::SupersededBy, t));
        }
        // `Accepted, amended by [ADR-0012](...)`: the links the line names
        // after the status (the line stays).
        if keep {
            self.sentence_links(text);
        }
        if self.status.is_none() {
            self.status = Some(status);
        }
        keep
    }

    /// Consumes `Status:`/`Date:`/... lines, and the rows of a metadata
    /// table (`| Status | Accepted |`); returns the remaining text.
    /// A metadata row that names records (`| Supersedes | ADR-002 |`, `|
    /// Builds on | ADR-002 (forward-only migrations) |`): its links; whether
    /// the row said nothing more (else it stays).
    fn table_links(&mut self, key: &str, value: &str) -> bool {
        let Some((kind, targets, more)) = lead_links(&format!("{key}: {value}")) else {
            return false;
        };
        self.links.extend(targets.into_iter().map(|t| (kind, t)));
        !more
    }

    fn metadata_lines(&mut self, text: &str) -> String {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut kept: Vec<String> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if let Some((end, rows)) = pipe_table(&lines, i) {
                if let Some(pairs) = metadata_pairs(&rows) {
                    // Rows this record has no field for stay, as a table.
                    let rest: Vec<&(String, String, String)> = pairs
                        .iter()
                        .filter(|(key, value, _)| {
                            !self.meta(key, value, true) && !self.table_links(key, value)
                        })
                        .collect();
                    for (n, (_, _, row)) in rest.iter().enumerate() {
                        kept.push(row.clone());
                        if n == 0 {
                            // Indented as the table was (`!!! info` in
                            // MkDocs indents its table under the line).
                            let indent = &row[..row.len() - row.trim_start().len()];
                            kept.push(format!("{indent}|---|---|"));
                        }
                    }
                    i = end;
                    continue;
                }
            }
            let line = lines[i];
            i += 1;
            // `- Amends [ADR 14](0014-x.md) and` / `  [ADR 17](0017-y.md)`:
            // a link item of the metadata list, with its continuation lines.
            if lead_links(line).is_some() {
                let mut end = i;
                while lines.get(end).is_some_and(|l| {
                    l.starts_with([' ', '\t']) && !l.trim().is_empty() && meta_line(l).is_none()
                }) {
                    end += 1;
                }
                let item = lines[i - 1..end].join(" ");
                if let Some((kind, targets, more)) = lead_links(&item) {
                    self.links.extend(targets.into_iter().map(|t| (kind, t)));
                    if !more {
                        i = end;
                        continue;
                    }
                }
            }
            // `Datum: 2026-08-18 · Status: akzeptiert · Ergänzt ADR-0017`:
            // metadata on one line, between middle dots (or pipes); read when
            // every part is metadata this record takes.
            if line.contains(" · ") || line.contains(" | ") {
                if self.dotted_metadata(line) {
                    continue;
                }
                if self.some_metadata_parts(&dotted_parts(line)) {
                    kept.push(line.to_string());
                    continue;
                }
            }
            // `Status: Accepted Date: 2026-07-25 Deciders: A, B`.
            if self.run_on_metadata(line, 2) {
                continue;
            }
            if let Some((key, value, bulleted)) = meta_line(line) {
                let (value, end) = wrapped_people(&key, value, &lines, i);
                if self.meta(&key, &value, bulleted) {
                    i = end;
                    continue;
                }
            }
            // `27 July 2022` alone on its line: the date, without a key.
            if self.draft.date.is_none() && !self.front_keys.iter().any(|k| k == "date") {
                if let Some(d) = parse_date(line.trim().trim_matches(['*', '_'])) {
                    self.draft.date = Some(d);
                    continue;
                }
            }
            kept.push(line.to_string());
        }
        // `> **Status:** Accepted` / `>` / `> **Data:** …`: nothing but the
        // empty quote lines between metadata lines is left, which says
        // nothing.
        if kept
            .iter()
            .all(|l| l.trim().trim_start_matches('>').trim().is_empty())
        {
            return String::new();
        }
        md::clean(&kept.join("\n"))
    }

    /// The parts of a `·`-separated metadata line, each a `Key: value` with
    /// a field (a status, a date that reads as one, people) or a link line;
    /// all or nothing.
    fn dotted_metadata(&mut self, line: &str) -> bool {
        self.metadata_parts(&dotted_parts(line))
    }

    /// `status: accepted date: 2026-06-21 decision-makers: "@a"`: keys run
    /// together on one line (see `run_on_parts`), read as the parts of a
    /// `·`-separated line; all or nothing.
    fn run_on_metadata(&mut self, line: &str, min: usize) -> bool {
        match run_on_parts(line, min) {
            Some(parts) => {
                let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
                self.metadata_parts(&parts)
            }
            None => false,
        }
    }

    /// A front matter a Markdown formatter turned into text above the title
    /// (`---`, then `## status: accepted date: 2026-06-21`: the closing
    /// `---` made the keys a heading): its fields, the lines consumed.
    /// Anything else there is context as written.
    fn mangled_front_matter(&mut self, text: &str) -> String {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let keys = match lines.as_slice() {
            [rule, keys] if rule.trim_end() == "---" => Some((keys, 1)),
            [keys] => Some((keys, 2)),
            _ => None,
        };
        if let Some((keys, min)) = keys {
            let bare = keys.trim_start_matches('#');
            if bare.len() < keys.len()
                && bare.starts_with(' ')
                && self.run_on_metadata(bare.trim(), min)
            {
                return String::new();
            }
        }
        md::clean(text)
    }

    /// The parts of a metadata line, each a `Key: value` with a field (a
    /// status, a date that reads as one, people) or a link line; all or
    /// nothing.
    fn metadata_parts(&mut self, parts: &[&str]) -> bool {
        if !parts.iter().all(|part| self.part_fits(part)) {
            return false;
        }
        for &part in parts {
            self.read_part(part);
        }
        true
    }

    /// `**Data:** 2026-09-25 · **Stato:** Accettata · **Idea di origine:**
    /// —`: a line of `Key: value` parts, some with no field here. The parts
    /// that have one are read; the line stays as text for the others. True
    /// when a part was read.
    fn some_metadata_parts(&mut self, parts: &[&str]) -> bool {
        let keyed = |part: &&str| {
            meta_line(part).is_some()
                || part.split_once([':', '\u{ff1a}']).is_some_and(|(key, _)| {
                    let key = key.trim().trim_matches(['*', '_']).trim();
                    !key.is_empty()
                        && key.split_whitespace().count() <= 4
                        && !key.contains(['[', ']', '(', ')', '`'])
                })
        };
        if parts.len() < 2 || !parts.iter().all(keyed) {
            return false;
        }
        // `**Autores:** A, B` among them: the people too, as such a line
        // alone gives them (the line stays either way).
        let fitting: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|part| match meta_line(part) {
                Some((key, _, _)) => self.part_fits(part) || people_alias(&key).is_some(),
                None => false,
            })
            .collect();
        for part in &fitting {
            self.read_part(part);
        }
        !fitting.is_empty()
    }

    /// One part of a metadata line is a field this record takes (a status
    /// word alone, a date that reads as one, people) or a link line.
    fn part_fits(&self, part: &str) -> bool {
        if lead_links(part).is_some_and(|(_, _, more)| !more) {
            return true;
        }
        match meta_line(part) {
            Some((key, value, _)) => match field_key(&key) {
                _ if self
                    .front_keys
                    .iter()
                    .any(|k| field_key(k) == field_key(&key)) =>
                {
                    false
                }
                Some("date") => self.draft.date.is_none() && parse_date(&value).is_some(),
                // A status word alone, nothing the line would keep.
                Some("status") => {
                    self.status.is_none()
                        && !matches!(status_from_text(&value).0, AdrStatus::Custom(_))
                }
                Some(_) => true,
                None => false,
            },
            None => false,
        }
    }

    /// Reads a part that [`Self::part_fits`].
    fn read_part(&mut self, part: &str) {
        if let Some((kind, targets, _)) = lead_links(part) {
            self.links.extend(targets.into_iter().map(|t| (kind, t)));
        } else if let Some((key, value, bulleted)) = meta_line(part) {
            if key == "status" {
                // A status word alone: nothing of the line is kept.
                let _ = self.set_status(&value);
            } else {
                self.meta(&key, &value, bulleted);
            }
        }
    }

    /// Takes one metadata value into its field; false when it stays text
    /// (the front matter has the key, the field is set, or the value is no
    /// date).
    fn meta(&mut self, key: &str, value: &str, bulleted: bool) -> bool {
        let Some(field) = field_key(key) else {
            // `Authors: Ada, Grace`: the people, and the line stays.
            if let Some(field) = people_alias(key) {
                if !(self.status_choices && bracketed(value.trim()).is_some()) {
                    self.add_people(field, meta_list(value, &[',']));
                }
            }
            return false;
        };
        if self.front_keys.iter().any(|k| field_key(k) == Some(field)) {
            return false;
        }
        // In a record never filled in, `Deciders: [list everyone ...]` is
        // the template's placeholder, not a person: it stays text.
        if self.status_choices && bracketed(value.trim()).is_some() {
            return false;
        }
        match field {
            "status" if self.status.is_none() => !self.set_status(value),
            "date" if self.draft.date.is_none() => match parse_date(value) {
                Some(d) => {
                    self.draft.date = Some(d);
                    if !bulleted {
                        self.undated_date_line = true;
                    }
                    true
                }
                // `Date: 2026-06-18 (updated 2026-06-22)`: the date, and the
                // line stays for what it says after it.
                None => {
                    if let Some(d) = date_with_remark(value) {
                        self.draft.date = Some(d);
                        // `Date : 3 octobre 2026. Statut : remplacé par
                        // [ADR-101](...) : ...`: the status the remark gives
                        // (and its links); the line stays.
                        let remark = [". ", ", ", "; "]
                            .iter()
                            .filter_map(|sep| value.split_once(sep).map(|(_, r)| r))
                            .min_by_key(|r| std::cmp::Reverse(r.len()));
                        if let Some((k, v, b)) = remark.and_then(meta_line) {
                            if k == "status" {
                                let _ = self.meta(&k, &v, b);
                            }
                        }
                    }
                    false
                }
            },
            "decision-makers" => {
                self.draft.decision_makers.extend(meta_list(value, &[',']));
                true
            }
            "consulted" => {
                self.draft.consulted.extend(meta_list(value, &[',']));
                true
            }
            "informed" => {
                self.draft.informed.extend(meta_list(value, &[',']));
                true
            }
            "tags" => {
                self.tags_line = true;
                self.draft.tags.extend(meta_list(value, &[',', ' ']));
                true
            }
            _ => false,
        }
    }

    /// Handles the heading `i` whose extent ends at heading `j` (or EOF).
    fn section(&mut self, i: usize, j: usize) {
        let h = &self.headings[i];
        let end = self.extent_end(j);
        let body = md::clean(slice(self.body, h.end, end));
        let keep = Section {
            heading: h.text.clone(),
            level: h.level,
            body: body.clone(),
        };
        // `## Status: Accepted`: the status in the heading itself.
        if h.level == 2 && !h.closed && self.status.is_none() {
            if let Some((key, value, _)) = meta_line(&h.text) {
                if key == "status" && !value.is_empty() {
                    // The heading goes with its section, whatever the line says.
                    let _ = self.set_status(&value);
                    let heading = h.text.clone();
                    self.status_body(&body, &heading);
                    return;
                }
            }
        }
        // A closed heading (`## Context #`) is how the export writes a
        // section that only looks like structure.
        if h.level != 2 || body.is_empty() || h.closed {
            self.draft.sections.push(keep);
            return;
        }
        let key = structural_key(&h.text);
        let handled = match key.as_str() {
            // A second one (a record revised by appending a new round of
            // sections) keeps its place after the first round.
            "context and problem statement" | "context" if !self.context_set => {
                self.context_parts.push(body);
                self.context_set = true;
                true
            }
            "decision drivers" if !self.drivers_set => match md::pure_bullets(&body) {
                Some(items) if !items.is_empty() => {
                    self.draft.decision_drivers = items;
                    self.drivers_set = true;
                    true
                }
                _ => false,
            },
            // `1. X (chosen)`: numbered options read as listed, the
            // marker kept in the title.
            "considered options" if !self.options_set => match md::pure_list_items(&body) {
                Some(items) if !items.is_empty() => {
                    self.draft.considered_options = items
                        .into_iter()
                        .map(|title| ConsideredOption {
                            title,
                            ..Default::default()
                        })
                        .collect();
                    self.options_set = true;
                    true
                }
                _ => false,
            },
            "decision outcome" | "decision" | "decisions" if !self.outcome_set => {
                self.outcome(i, j, end);
                true
            }
            "consequences" if !self.consequences_set => match gbn(&body) {
                Some(c) => {
                    self.draft.consequences = c;
                    self.consequences_set = true;
                    true
                }
                None => self.consequence_subsections(i, j, end),
            },
            "confirmation" if !self.confirmation_set => {
                self.draft.confirmation = body;
                self.confirmation_set = true;
                true
            }
            "pros and cons of the options" if !self.pros_set => self.pros_and_cons(i, j, end),
            "links" => {
                let rest = self.link_lines(&body);
                // After other sections, even an empty `Links` heading keeps
                // its place (the export writes the links there).
                if !rest.is_empty() || !self.draft.sections.is_empty() {
                    self.draft.sections.push(Section {
                        heading: h.text.clone(),
                        level: h.level,
                        body: rest,
                    });
                }
                true
            }
            // `## Date` over a date, `## Deciders` over names: metadata
            // written as sections (never over a front-matter key).
            "date" if !body.contains('\n') => self.meta("date", body.trim(), true),
            k if field_key(k) == Some("decision-makers") => self.section_people(&body),
            // `## Authors` over names: the people, and the section stays.
            k if people_alias(k).is_some() => {
                if let Some(items) = people_items(&body) {
                    self.add_people(people_alias(k).unwrap_or_default(), items);
                }
                false
            }
            // Front matter without a status (page keys; never our export)
            // leaves the status to this section.
            // `## Metadata` over a Field/Value table (`## Métadonnées`, `|
            // **Statut** | Accepté |`): its fields; rows without one stay.
            "metadata" => {
                let rest = self.metadata_lines(&body);
                if rest == body {
                    false
                } else {
                    if !rest.is_empty() {
                        self.draft.sections.push(Section {
                            heading: h.text.clone(),
                            level: h.level,
                            body: rest,
                        });
                    }
                    true
                }
            }
            // `- Related ADRs: [0006-x.md](0006-x.md)` among a list of
            // references (Darker): the records are related; the references
            // stay as written. A file in another folder is no record of
            // this set.
            "references" => {
                let beside = |line: &&str| {
                    line.split("](").skip(1).all(|href| {
                        let href = href.split(')').next().unwrap_or("");
                        !href.trim_start_matches("./").contains('/')
                    })
                };
                for line in body.split('\n').filter(beside) {
                    if let Some((LinkKind::RelatesTo, targets, _)) = lead_links(line) {
                        let records = targets
                            .into_iter()
                            .filter(|t| matches!(t, LinkTarget::Number(_)));
                        self.links.extend(records.map(|t| (LinkKind::RelatesTo, t)));
                    }
                }
                false
            }
            "status" if !self.front_status && !self.status_section => {
                self.status_section = true;
                self.status_body(&body, &h.text);
                true
            }
            _ => false,
        };
        if !handled {
            self.draft.sections.push(keep);
        }
    }

    /// The names of a `## Deciders` section: bullets of one line each, or
    /// one line of comma-separated names (not a sentence).
    fn section_people(&mut self, body: &str) -> bool {
        let Some(items) = people_items(body) else {
            return false;
        };
        if items.is_empty()
            || self
                .front_keys
                .iter()
                .any(|k| field_key(k) == Some("decision-makers"))
        {
            return false;
        }
        self.draft.decision_makers.extend(items);
        true
    }

    /// People read under a key of another name (see `people_alias`) into
    /// `field`, unless the front matter has the field, without names the
    /// field already has.
    fn add_people(&mut self, field: &str, items: Vec<String>) {
        if self.front_keys.iter().any(|k| field_key(k) == Some(field)) {
            return;
        }
        let list = match field {
            "consulted" => &mut self.draft.consulted,
            "informed" => &mut self.draft.informed,
            _ => &mut self.draft.decision_makers,
        };
        for item in items {
            if !item.is_empty() && !list.contains(&item) {
                list.push(item);
            }
        }
    }

    fn extent_end(&self, j: usize) -> usize {
        self.headings
            .get(j)
            .map(|h| h.start)
            .unwrap_or(self.body.len())
    }

    /// Level-3 headings directly under heading `i` (up to `j`).
    fn children(&self, i: usize, j: usize) -> Vec<usize> {
        (i + 1..j)
            .filter(|&k| self.headings[k].level == self.headings[i].level + 1)
            .collect()
    }

    fn child_end(&self, k: usize, j: usize, end: usize) -> usize {
        let level = self.headings[k].level;
        (k + 1..j)
            .find(|&n| self.headings[n].level <= level)
            .map(|n| self.headings[n].start)
            .unwrap_or(end)
    }

    fn outcome(&mut self, i: usize, j: usize, end: usize) {
        self.outcome_set = true;
        let h = &self.headings[i];
        let kids = self.children(i, j);
        // Subsections mapped onto fields are cut out; everything else is the
        // outcome, sliced verbatim so its spacing survives.
        let mut cuts = Vec::new();
        for k in kids {
            let sub = &self.headings[k];
            // MADR's `<!-- This is an optional element. Feel free to remove.
            // -->` before the next heading is no part of this list: it stays
            // in the outcome's text.
            let sub_end = trailing_comments_start(self.body, sub.end, self.child_end(k, j, end));
            let sub_body = md::clean(slice(self.body, sub.end, sub_end));
            let mapped = match md::heading_key(&sub.text).as_str() {
                "consequences" if !self.consequences_set => match gbn(&sub_body) {
                    Some(c) => {
                        self.draft.consequences = c;
                        self.consequences_set = true;
                        true
                    }
                    None => false,
                },
                key @ ("positive consequences"
                | "negative consequences"
                | "neutral consequences") => match md::pure_bullets(&sub_body) {
                    Some(items) if !items.is_empty() => {
                        let c = &mut self.draft.consequences;
                        match key {
                            "positive consequences" => c.good.extend(items),
                            "negative consequences" => c.bad.extend(items),
                            _ => c.neutral.extend(items),
                        }
                        self.consequences_set = true;
                        true
                    }
                    _ => false,
                },
                "confirmation" if !self.confirmation_set && !sub_body.is_empty() => {
                    self.draft.confirmation = sub_body;
                    self.confirmation_set = true;
                    true
                }
                _ => false,
            };
            if mapped {
                cuts.push((sub.start, sub_end));
            }
        }
        let mut rest = String::new();
        let mut at = h.end;
        for (a, b) in cuts {
            rest.push_str(slice(self.body, at, a));
            at = b;
        }
        rest.push_str(slice(self.body, at, end));
        self.draft.decision_outcome = md::clean(&rest);
    }

    /// `## Consequences` made only of `### Positive` / `### Negative` /
    /// `### Neutral` bullet lists (a common variant of Nygard's template):
    /// the good, bad and neutral consequences. Anything else in the section
    /// keeps it a section as written.
    fn consequence_subsections(&mut self, i: usize, j: usize, end: usize) -> bool {
        let h = &self.headings[i];
        let kids = self.children(i, j);
        let intro_end = kids.first().map(|&k| self.headings[k].start).unwrap_or(end);
        if kids.is_empty()
            || !md::clean(slice(self.body, h.end, intro_end)).is_empty()
            || (i + 1..j).any(|k| self.headings[k].level != h.level + 1)
        {
            return false;
        }
        let mut c = Consequences::default();
        for k in kids {
            let sub = &self.headings[k];
            let sub_end = self.child_end(k, j, end);
            let items = match md::pure_bullets(&md::clean(slice(self.body, sub.end, sub_end))) {
                Some(items) if !items.is_empty() => items,
                _ => return false,
            };
            match md::heading_key(&sub.text).as_str() {
                "positive" | "positive consequences" => c.good.extend(items),
                "negative" | "negative consequences" => c.bad.extend(items),
                "neutral" | "neutral consequences" => c.neutral.extend(items),
                _ => return false,
            }
        }
        self.draft.consequences = c;
        self.consequences_set = true;
        true
    }

    fn pros_and_cons(&mut self, i: usize, j: usize, end: usize) -> bool {
        let h = &self.headings[i];
        let kids = self.children(i, j);
        let intro_end = kids.first().map(|&k| self.headings[k].start).unwrap_or(end);
        if kids.is_empty() || !md::clean(slice(self.body, h.end, intro_end)).is_empty() {
            return false;
        }
        self.pros_set = true;
        for k in kids {
            let sub = &self.headings[k];
            let sub_end = self.child_end(k, j, end);
            let mut option = option_body(slice(self.body, sub.end, sub_end));
            option.title = sub.text.clone();
            self.pending_options.push(option);
        }
        true
    }

    /// Consumes link lines; returns the rest of the text.
    fn link_lines(&mut self, text: &str) -> String {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut kept = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let bare = || bare_record_link(lines[i]).map(|t| ((LinkKind::RelatesTo, t), 1));
            match wrapped_link_line(&lines, i).or_else(bare) {
                Some((link, used)) => {
                    self.links.push(link);
                    i += used;
                }
                None => {
                    kept.push(lines[i]);
                    i += 1;
                }
            }
        }
        md::clean(&kept.join("\n"))
    }

    /// A Nygard `## Status` section: the status word and link lines.
    fn status_body(&mut self, text: &str, heading: &str) {
        // A history of the status (`- 2024-09-26 Proposed`, `- 2024-09-30
        // Accepted`; a Date/Status table): the latest status and its date,
        // the history kept as written.
        if self.status.is_none() {
            if let Some((status, date)) = status_history(text) {
                self.status = Some(status);
                self.draft.date = self.draft.date.or(Some(date));
                self.draft.sections.push(Section {
                    heading: heading.to_string(),
                    level: 2,
                    body: md::clean(text),
                });
                return;
            }
        }
        // A Field/Value table of metadata (`| Status | Accepted |`).
        let lines: Vec<&str> = text.split('\n').collect();
        let table = (0..lines.len()).any(|i| pipe_table(&lines, i).is_some());
        let owned;
        let text = if table {
            owned = self.metadata_lines(text);
            owned.as_str()
        } else {
            text
        };
        let mut kept = Vec::new();
        // A checklist of the statuses (`- [x] Accepted`, `- [ ] Rejected`):
        // the ticked one is the status, the list says nothing more.
        let ticked = text.split('\n').filter_map(checkbox).find(|(on, _)| *on);
        if let Some((_, status)) = ticked {
            if self.status.is_none() {
                // The ticked line is dropped with the list.
                let _ = self.set_status(status);
            }
        }
        let lines: Vec<&str> = text.split('\n').collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if ticked.is_some() && checkbox(line).is_some() {
                continue;
            }
            // `The X consequence is\nsuperseded by [ADR-0007](...), and`: a
            // sentence wrapped onto the next line is no link line of its own.
            let lower_start = line
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            let continued = lower_start && i >= 2 && mid_sentence(lines[i - 2]);
            if line.trim().is_empty() {
                kept.push(line);
            } else if continued {
                self.sentence_links(line);
                kept.push(line);
            } else if let Some((link, used)) = wrapped_link_line(&lines, i - 1) {
                self.superseding_status(link.0);
                self.links.push(link);
                i += used - 1;
            } else if let Some((kind, targets, more)) = lead_links(line) {
                self.superseding_status(kind);
                self.links.extend(targets.into_iter().map(|t| (kind, t)));
                if more {
                    kept.push(line);
                }
            } else if let Some(target) = worded_record_link(line).filter(|_| self.status.is_some())
            {
                // The words are the user's: the line stays, the export
                // writes the link as related.
                self.links.push((LinkKind::RelatesTo, target));
                kept.push(line);
            } else if self.status.is_some() && self.status_date_line(line) {
                // `Date: 2026-09-15` under the status word: the date.
            } else if let Some((value, bulleted)) =
                status_key_line(line).filter(|_| self.status.is_none())
            {
                // `Status: Accepted`, `Decision status: Proposed` under the
                // heading: the key is no part of the status.
                if !self.meta("status", &value, bulleted) {
                    kept.push(line);
                }
            } else if self.status.is_none() {
                // `- Accepted by: Dennis & Jakob`: the list marker is no
                // part of the status.
                let item = match line.trim_start().strip_prefix(['*', '-', '+']) {
                    Some(rest) if rest.starts_with(' ') => rest,
                    _ => line,
                };
                if self.set_status(item) {
                    self.sentence_links(line);
                    kept.push(line);
                }
            } else {
                self.sentence_links(line);
                kept.push(line);
            }
        }
        let rest = md::clean(&kept.join("\n"));
        if !rest.is_empty() {
            self.draft.sections.push(Section {
                heading: heading.to_string(),
                level: 2,
                body: rest,
            });
        }
    }

    /// `Superseded by [ADR-7](...)` as the status line: the status, so the
    /// paragraphs after it stay as text instead of reading as a status.
    fn superseding_status(&mut self, kind: LinkKind) {
        if kind == LinkKind::SupersededBy && self.status.is_none() {
            self.status = Some(AdrStatus::Superseded);
        }
    }

    /// `Proposed. Amends [ADR-0044](0044-x.md): the dates stand...`,
    /// `Accepted — amended by [ADR-0044](...)`, `Accepted · 2026-09-09 ·
    /// **Supersedes [ADR-0010](...)**`: a sentence or clause of a status
    /// line that starts with a link verb gives its links (the text stays).
    fn sentence_links(&mut self, line: &str) {
        for sep in [". ", "; ", ", ", " — ", " – ", " - ", " (", " · "] {
            for (at, _) in line.match_indices(sep) {
                if let Some((kind, targets, _)) = lead_links(&line[at + sep.len()..]) {
                    self.links.extend(targets.into_iter().map(|t| (kind, t)));
                }
            }
        }
    }

    /// A `Date:` line in a `## Status` section: the record's date, when
    /// nothing gave one (the line is then consumed).
    fn status_date_line(&mut self, line: &str) -> bool {
        match meta_line(line) {
            Some((key, value, bulleted)) if key == "date" => self.meta(&key, &value, bulleted),
            _ => false,
        }
    }

    fn finish(mut self, format: AdrFormat, number: Option<u32>) -> ParsedAdr {
        self.draft.context = self.context_parts.join("\n\n");
        // `decided-on:` or `created: 2022-11-16` in front matter without a
        // `date`.
        self.draft.date = self.draft.date.or(self.decided_date).or(self.created_date);
        // Undo the export's escaping (see `escape`): text fields by the level
        // they are written at.
        let d = &mut self.draft;
        d.context = escape::unescape(&d.context, Guard::level(2));
        d.decision_outcome = escape::unescape(&d.decision_outcome, Guard::outcome());
        d.confirmation = escape::unescape(&d.confirmation, Guard::level(3));
        for s in &mut d.sections {
            s.body = escape::unescape(&s.body, Guard::level(s.level));
        }
        for p in &mut self.pending_options {
            p.description = escape::unescape(&p.description, Guard::option_description());
        }
        // Join "Pros and Cons" subsections onto the listed options.
        let mut joined = vec![false; self.draft.considered_options.len()];
        for p in std::mem::take(&mut self.pending_options) {
            let opts = &self.draft.considered_options;
            let exact = (0..opts.len())
                .find(|&n| !joined[n] && md::one_line(&opts[n].title).trim() == p.title);
            let fuzzy = || {
                let hp = norm_title(&p.title);
                (0..opts.len()).find(|&n| {
                    let ho = norm_title(&opts[n].title);
                    !joined[n] && !hp.is_empty() && (ho == hp || ho.starts_with(&hp))
                })
            };
            // `### Option 2` over the second listed option (elastisys),
            // when no listed option has that title.
            let positional = || {
                let n = option_ordinal(&p.title)?.checked_sub(1)?;
                (n < opts.len() && !joined[n]).then_some(n)
            };
            match exact.or_else(fuzzy).or_else(positional) {
                Some(n) => {
                    joined[n] = true;
                    let o = &mut self.draft.considered_options[n];
                    o.description = p.description;
                    o.pros = p.pros;
                    o.cons = p.cons;
                    o.neutral = p.neutral;
                }
                None => {
                    self.draft.considered_options.push(p);
                    joined.push(true);
                }
            }
        }
        let has_superseded_by = self.links.iter().any(|(k, _)| *k == LinkKind::SupersededBy);
        let status = match (self.status.take(), format) {
            (Some(s), _) => s,
            (None, _) if has_superseded_by => AdrStatus::Superseded,
            (None, AdrFormat::Log4brains) => AdrStatus::Accepted,
            (None, _) => AdrStatus::default(),
        };
        self.draft.status = status;
        let mut links = Vec::new();
        for l in self.links {
            if !links.contains(&l) {
                links.push(l);
            }
        }
        ParsedAdr {
            format,
            number,
            draft: self.draft,
            links,
        }
    }
}

/// `* Deciders: [@a][gh-a],` / `  [@b][gh-b], [@c][gh-c]`: a list of people
/// ending in a comma, wrapped onto the indented lines after it (from
/// `lines[next]` on): the whole list and the index of the line after it.
fn wrapped_people(key: &str, value: String, lines: &[&str], next: usize) -> (String, usize) {
    let people = matches!(
        field_key(key),
        Some("decision-makers" | "consulted" | "informed")
    ) || people_alias(key).is_some();
    if !people || !value.trim_end().ends_with(',') {
        return (value, next);
    }
    let mut end = next;
    let mut value = value;
    while let Some(l) = lines.get(end).filter(|l| {
        l.starts_with([' ', '\t'])
            && !l.trim().is_empty()
            && !l.trim_start().starts_with(['*', '-', '+'])
            && meta_line(l).is_none()
    }) {
        value = format!("{} {}", value.trim_end(), l.trim());
        end += 1;
    }
    (value, end)
}

/// The parts of a metadata line between middle dots, or between pipes
/// (`**Status:** Aceito | **Data:** 2026-06-01`).
fn dotted_parts(line: &str) -> Vec<&str> {
    line.split(" · ")
        .flat_map(|p| p.split(" | "))
        .map(str::trim)
        .collect()
}

/// `status: accepted date: 2026-09-07`, `**Status:** Accepted **Date:**
/// 2026-01-14 Deciders: A, B`: a line of metadata keys run together, as
/// `key: value` parts; `None` unless the line starts with a key and has at
/// least `min` of them (keys of the fields, in English).
fn run_on_parts(line: &str, min: usize) -> Option<Vec<String>> {
    const KEYS: [&str; 9] = [
        "status",
        "date",
        "decision-makers",
        "decision makers",
        "deciders",
        "decider",
        "consulted",
        "informed",
        "tags",
    ];
    let line = line.trim();
    let lower = line.to_ascii_lowercase();
    let mut starts: Vec<usize> = Vec::new();
    for key in KEYS {
        for (at, _) in lower.match_indices(key) {
            let after = lower[at + key.len()..].trim_start_matches(['*', '_']);
            if !after.starts_with(':') {
                continue;
            }
            // The key's emphasis (`**Date:**`) starts its part.
            let head = lower[..at].trim_end_matches(['*', '_']);
            if head.is_empty() || head.ends_with([' ', '\t', ',', ';']) {
                starts.push(head.len());
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    if starts.first() != Some(&0) || starts.len() < min.max(1) {
        return None;
    }
    let mut parts = Vec::new();
    for (n, &a) in starts.iter().enumerate() {
        let b = starts.get(n + 1).copied().unwrap_or(line.len());
        let part = line[a..b].trim().trim_end_matches([',', ';']).trim();
        parts.push(part.to_string());
    }
    Some(parts)
}

/// Front matter whose `key:value` lines lack the space after the colon,
/// or run keys together on a line (`status: accepted date: 2026-09-07`),
/// written one key a line with the space; `None` when no line is written
/// so.
fn spaced_front_matter(fm: &str) -> Option<String> {
    let mut changed = false;
    let lines: Vec<String> = fm
        .split('\n')
        .map(|line| {
            if let Some(parts) = run_on_parts(line, 2) {
                changed = true;
                return parts.join("\n");
            }
            let key_len = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(line.len());
            let rest = &line[key_len..];
            match rest.strip_prefix(':') {
                Some(value)
                    if key_len > 0
                        && line.starts_with(|c: char| c.is_ascii_alphabetic())
                        && !value.is_empty()
                        && !value.starts_with([' ', '\t', ':']) =>
                {
                    changed = true;
                    format!("{}: {value}", &line[..key_len])
                }
                _ => line.to_string(),
            }
        })
        .collect();
    changed.then(|| lines.join("\n"))
}

/// The link a front-matter key names (`supersedes`, `superseded-by`,
/// `superseded_by`, `amends`, `amended_by`, `related`, ...).
fn front_link_kind(key: &str) -> Option<LinkKind> {
    Some(match key.to_ascii_lowercase().replace('_', "-").as_str() {
        "supersedes" => LinkKind::Supersedes,
        "superseded-by" | "supersededby" => LinkKind::SupersededBy,
        "amends" => LinkKind::Amends,
        "amended-by" | "amendedby" => LinkKind::AmendedBy,
        "related" | "relates-to" | "related-to" | "see-also" => LinkKind::RelatesTo,
        _ => return None,
    })
}

/// A record named in a front-matter link list: `ADR-0024`, `24`, a
/// Markdown link, or a file (`0024-x.md`).
fn front_link_target(item: &str) -> Option<LinkTarget> {
    let item = item.trim();
    parse_target_ref(item).or_else(|| item.ends_with(".md").then(|| link_target("", item)))
}

/// Where the comment-only lines (`<!-- ... -->`) that end `src[a..b]` start
/// (after a blank line), or `b`.
fn trailing_comments_start(src: &str, a: usize, b: usize) -> usize {
    let text = slice(src, a, b);
    // Line starts, from the last line up.
    let mut first_comment = None;
    let mut end = text.trim_end_matches(['\n', ' ', '\t']).len();
    while end > 0 {
        let start = text[..end].rfind('\n').map_or(0, |n| n + 1);
        let l = text[start..end].trim();
        if l.starts_with("<!--") && l.ends_with("-->") && l.matches("-->").count() == 1 {
            first_comment = Some(start);
        } else if !l.is_empty() {
            break;
        }
        end = start.saturating_sub(1);
    }
    // Only after a blank line: a comment right under the list is its own.
    match first_comment {
        Some(at) if text[..at].ends_with("\n\n") => a + at,
        _ => b,
    }
}

/// `reason` with each `line N` moved down by `offset` lines: the YAML
/// parser counts from the front matter's first line, the file has the
/// opening `---` before it.
fn file_lines(reason: &str, offset: usize) -> String {
    let mut out = String::new();
    let mut rest = reason;
    while let Some(at) = rest.find("line ") {
        let (head, tail) = rest.split_at(at + "line ".len());
        out.push_str(head);
        // A word that ends in `line` (`newline`) is no line number.
        let word = head[..at].chars().last().is_some_and(char::is_alphanumeric);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        match tail[..digits].parse::<usize>() {
            Ok(n) if !word => out.push_str(&(n + offset).to_string()),
            _ => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// The names of a people section (`## Deciders`): bullets of one line
/// each, or one line of comma-separated names (not a sentence).
fn people_items(body: &str) -> Option<Vec<String>> {
    let sentence = body.contains(['\n', ';']) || body.contains(". ") || body.ends_with('.');
    match md::pure_bullets(body) {
        Some(items) if items.iter().all(|i| !i.contains('\n')) => Some(items),
        _ if !sentence => Some(meta_list(body, &[','])),
        _ => None,
    }
}

fn slice(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b.max(a)).unwrap_or("")
}

fn next_at_or_above(headings: &[Heading], i: usize) -> usize {
    let level = headings[i].level;
    (i + 1..headings.len())
        .find(|&k| headings[k].level <= level)
        .unwrap_or(headings.len())
}

fn skip_by_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "index.md" => Some("index.md is the table of contents, not a record".into()),
        // Hugo's page for the folder itself.
        "_index.md" => Some("_index.md is the folder's own page, not a record".into()),
        "readme.md" => Some("README.md describes the folder, it is not a record".into()),
        // `README-fr.md`, `README.de.md`: the folder's README in another
        // language.
        _ if lower.starts_with("readme") && lower[6..].starts_with(['-', '_', '.']) => {
            Some(format!(
                "{name} describes the folder (a README in another language), it is not a record"
            ))
        }
        _ if is_template_name(&lower) => Some(format!("{name} is a template, not a record")),
        // `000-index.md` (Dependency-Track's hyades), `00-readme.md`: the
        // index or README numbered to sort first.
        _ if number_prefix(stem(&lower)).is_some()
            && matches!(numbered_slug(stem(&lower)), "index" | "readme") =>
        {
            Some(format!(
                "{name} is the folder's index or README, numbered to sort first; not a record"
            ))
        }
        _ => None,
    }
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".md").unwrap_or(name)
}

/// The words after the number of a numbered stem (`template` of
/// `adr-0000-template`).
fn numbered_slug(stem: &str) -> &str {
    stem.trim_start_matches("adr")
        .trim_start_matches(['-', '_'])
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_'])
}

/// `template.md`, `adr-template-minimal.md`, `0000-template.md`,
/// `adr000-template.md`: a template. A numbered record whose slug only
/// mentions templates (`0019-consequences-in-minimal-template.md`) is not.
fn is_template_name(lower: &str) -> bool {
    let stem = stem(lower);
    if number_prefix(stem).is_none() {
        return stem.contains("template");
    }
    let slug = numbered_slug(stem);
    // Record 0 is where sets keep their template (`0000-ladr-template`,
    // `000-template-adr`); other numbers are records about templates
    // (`0039-template-engine`).
    matches!(slug, "template" | "adr-template" | "madr-template")
        || slug.starts_with("adr-template-")
        || (number_prefix(stem) == Some(0) && slug.contains("template"))
}

/// `<!-- SPDX-License-Identifier: … -->` above the front matter (ethersync's
/// REUSE-licensed records; hyphae's `SPDX` and `Copyright` comments one
/// per line): (the comments and the blank lines after them, the front
/// matter, the text after it, the line that text starts on counted from
/// the `---`). Only front matter that reads as YAML: a `---` rule under a
/// comment is otherwise a thematic break, as before.
fn front_matter_below_comment(text: &str) -> Option<(&str, &str, &str, usize)> {
    if !text.trim_start().starts_with("<!--") {
        return None;
    }
    let mut start = 0;
    loop {
        let line = text[start..].split_inclusive('\n').next()?;
        let trimmed = line.trim_start();
        if line.trim_end() == "---" {
            let (front, after, after_line) = split_front_matter(&text[start..]).ok()?;
            let front = front?;
            yaml::parse_front_matter(front).ok()?;
            return Some((&text[..start], front, after, after_line));
        }
        if trimmed.starts_with("<!--") {
            let open = start + line.len() - trimmed.len();
            let close = open + text[open..].find("-->")? + "-->".len();
            // Nothing but the comment on its last line.
            let tail = text[close..].split_inclusive('\n').next().unwrap_or("");
            if !tail.trim().is_empty() {
                return None;
            }
            start = close + tail.len();
        } else if line.trim().is_empty() {
            start += line.len();
        } else {
            return None;
        }
    }
}

/// Splits `---` front matter off. Returns (front matter, body, the 1-based
/// line the body starts on).
fn split_front_matter(text: &str) -> Result<(Option<&str>, &str, usize), ParseError> {
    let first = text.split('\n').next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok((None, text, 1));
    }
    let mut offset = first.len() + 1;
    let fm_start = offset.min(text.len());
    let mut line_no = 1;
    while offset <= text.len() {
        let rest = &text[offset..];
        let line = rest.split('\n').next().unwrap_or("");
        line_no += 1;
        if matches!(line.trim_end(), "---" | "...") {
            let fm = &text[fm_start..offset];
            let body_start = (offset + line.len() + 1).min(text.len());
            return Ok((Some(fm), &text[body_start..], line_no + 1));
        }
        if offset + line.len() >= text.len() {
            break;
        }
        offset += line.len() + 1;
    }
    // `---` then a blank line, and no closing line (18F's identity-pki):
    // a thematic break above the title, no front matter. Our export always
    // closes its front matter.
    if text[first.len()..].starts_with("\n\n") || text[first.len()..].starts_with("\n \n") {
        return Ok((None, text, 1));
    }
    Err(ParseError {
        line: 1,
        reason: "front matter opened with `---` is never closed".into(),
    })
}

/// `Use kebab casing in urls` from `0009-use-kebab-casing-in-urls`: the
/// words after a file's number, the first one capitalised.
fn name_title(stem: &str) -> Option<String> {
    number_prefix(stem)?;
    let rest = stem
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() && "adrADR".contains(c))
        .trim_start_matches(['-', '_', ' '])
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_', ' ', '.']);
    let words: Vec<&str> = rest
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let title = words.join(" ");
    let mut chars = title.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// `## ADR-001: X` (or `## X` in `0001-x.md`) opening a file without a
/// `# Title`, over a status or record sections: a record written a level
/// down. Its headings move up so the title is level 1 and the sections read
/// as usual; the title's index. Anything else stays refused.
fn raised_title(headings: &mut [Heading], body: &str, stem: &str) -> Option<usize> {
    let first = headings.first()?;
    if first.level == 1 || headings.iter().any(|h| h.level < first.level) {
        return None;
    }
    let own_number = numbered_title(&first.text)
        .or_else(|| adr_id_title(&first.text))
        .is_some();
    let numbered = own_number || number_prefix(stem).is_some();
    let status = headings[1..]
        .iter()
        .map(|h| h.text.as_str())
        .chain(body.lines())
        .any(|line| status_key_line(line).is_some());
    // A first heading that is itself a record section (`## Context`) is no
    // title: such a file takes its file name's words.
    let sections = headings[1..].iter().any(|h| record_section(&h.text));
    if record_section(&first.text) || !numbered || !(status || sections) {
        return None;
    }
    // `## Areas of impact` beside `## Context` in `0042-handle-errors.md`
    // (GSA's FAC, whose later records lost their `# Title`): a section of
    // the record, not its title, unless it names what the file name does.
    let beside = headings[1..]
        .iter()
        .any(|h| h.level == first.level && record_section(&h.text));
    if beside && !own_number && !shares_a_word(&first.text, stem) {
        return None;
    }
    // The sections become level 2, whether they were written under the
    // title (`### Context`) or beside it (`## Context`).
    headings[0].level = 1;
    to_level_2(&mut headings[1..]);
    Some(0)
}

/// Whether `heading` and the file name `stem` have a word (letters, or
/// letters and digits, case aside) in common.
fn shares_a_word(heading: &str, stem: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().any(char::is_alphabetic))
            .map(str::to_lowercase)
            .collect()
    };
    let named = words(stem);
    words(heading).iter().any(|w| named.contains(w))
}

/// `# Title` over `### Context and Problem Statement` and no `##` heading
/// (V-Sekai's records, written from an issue form): sections written a
/// level down, read as level 2 when one of them is a record's. Our export
/// writes its sections at level 2.
fn lowered_sections(sections: &mut [Heading]) {
    if sections.iter().all(|h| h.level >= 3)
        && sections
            .iter()
            .any(|h| !h.closed && record_section(&h.text))
    {
        to_level_2(sections);
    }
}

/// Moves `sections` up so that the highest of them is level 2.
fn to_level_2(sections: &mut [Heading]) {
    let shift = sections
        .iter()
        .map(|h| h.level)
        .min()
        .unwrap_or(2)
        .saturating_sub(2);
    for h in sections {
        h.level -= shift;
    }
}

/// `## Status`, `## Context`, `## Decision`: a heading only a record has.
fn record_section(heading: &str) -> bool {
    matches!(
        section_key(heading).as_str(),
        "status" | "context" | "context and problem statement" | "decision" | "decision outcome"
    )
}

/// A one-line `title:` in front matter.
fn front_matter_title(entries: &[yaml::Entry]) -> Option<String> {
    let e = entries.iter().find(|e| e.key == "title")?;
    let t = yaml::scalar_text(&e.value)?;
    let t = t.trim();
    (!t.is_empty() && !t.contains('\n')).then(|| t.to_string())
}

pub(crate) fn numbered_title(title: &str) -> Option<(u32, String)> {
    let digits: String = title.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = title.get(digits.len()..)?.strip_prefix('.')?;
    if digits.is_empty() || !rest.starts_with([' ', '\t']) || rest.trim().is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, rest.trim().to_string()))
}

/// `0001 Title`, `0004 - Title`: the number the file name carries, written
/// as in the name (`0001-editor.md`, `backend-0004-adopt-x.md`), before the
/// title; with a colon (`15: Title` in `0015-x.md`, Cloud Foundry's
/// cloud_controller_ng) the same number however it is padded.
fn file_number_title(title: &str, stem: &str) -> Option<(u32, String)> {
    let digits =
        &title[..title.len() - title.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    let after = &title[digits.len()..];
    if digits.is_empty() || digits.len() > 6 || !after.starts_with([' ', '\t', ':']) {
        return None;
    }
    let text = after
        .trim_start()
        .trim_start_matches([':', '-', '\u{2013}', '\u{2014}'])
        .trim();
    // The file's first number, on its own between separators.
    let at = stem.find(|c: char| c.is_ascii_digit())?;
    let run = &stem[at..];
    let run = &run[..run.len() - run.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    let sep = |c: Option<char>| c.is_none_or(|c| matches!(c, '-' | '_' | ' ' | '.'));
    let same = run == digits
        || (after.starts_with(':') && run.parse::<u32>().ok() == digits.parse::<u32>().ok());
    if !same
        || !sep(stem[..at].chars().last())
        || !sep(stem[at + run.len()..].chars().next())
        || text.is_empty()
    {
        return None;
    }
    Some((digits.parse().ok()?, text.to_string()))
}

/// `Decision - 0012 - Title`, `Title (0016)` (DfE's
/// education-benchmarking-and-insights): the file's own number, written as
/// the file name writes it, after a one-word label or in parentheses after
/// the title.
fn file_number_around_title(title: &str, stem: &str) -> Option<(u32, String)> {
    let at = stem.find(|c: char| c.is_ascii_digit())?;
    let run = &stem[at..];
    let run = &run[..run.len() - run.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    let sep = |c: Option<char>| c.is_none_or(|c| matches!(c, '-' | '_' | ' ' | '.'));
    if !sep(stem[..at].chars().last()) || !sep(stem[at + run.len()..].chars().next()) {
        return None;
    }
    if let Some(rest) = title.strip_suffix(&format!(" ({run})")) {
        let rest = rest.trim();
        if rest.is_empty() {
            return None;
        }
        return Some((run.parse().ok()?, rest.to_string()));
    }
    let (label, rest) = title.split_once(" - ")?;
    if label.is_empty() || !label.chars().all(char::is_alphabetic) {
        return None;
    }
    file_number_title(rest, stem)
}

/// `ADR: Title`, `Architecture Decision Record: Title`: a label saying what
/// the document is; and `xx. Title` in a file whose number is still a
/// placeholder too (`00xx-slug.md`).
fn labelled_title(title: &str, stem: &str) -> Option<String> {
    if let Some(rest) = adr_label_title(title) {
        return Some(rest);
    }
    // `00xx-slug.md`, `adr-xx.md` (Zooniverse: `# ADR XX: Title`).
    let head = without_adr_label(stem)
        .split(['-', '_'])
        .next()
        .unwrap_or("");
    let placeholder =
        head.contains(['x', 'X']) && head.chars().all(|c| matches!(c, '0'..='9' | 'x' | 'X'));
    let t = without_adr_label(title);
    let xs = t.trim_start_matches(['x', 'X']);
    let rest = (placeholder && xs.len() < t.len())
        .then(|| xs.strip_prefix(". ").or_else(|| xs.strip_prefix(": ")))
        .flatten()?;
    let rest = rest.trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

/// `ADR: Title`, `Architecture Decision Record: Title`: the title after
/// the label.
fn adr_label_title(title: &str) -> Option<String> {
    let lower = title.to_ascii_lowercase();
    // `ADR：X` (Chinese records write the full-width colon).
    let rest = ["adr:", "adr：", "architecture decision record:"]
        .iter()
        .find_map(|label| {
            lower
                .strip_prefix(label)
                .map(|r| &title[title.len() - r.len()..])
        })?
        .trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

/// `s` after a leading `ADR` and the separator after it (`ADR-`, `adr_`,
/// `ADR `).
fn without_adr_label(s: &str) -> &str {
    match s.get(..3) {
        Some(head) if head.eq_ignore_ascii_case("adr") => {
            s[3..].trim_start_matches(['-', '_', ' '])
        }
        _ => s,
    }
}

/// `MON-0001...` after an `ADR-` label (`ADR-MON-0001`, `ADR-API-012`,
/// `adr_core_7`): a scoped id, as sets that number each area's records
/// apart write them. The scope (a short word of letters, then maybe
/// digits) and the text from the number on.
fn id_scope(s: &str) -> Option<(&str, &str)> {
    let len = s
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    let (scope, rest) = s.split_at(len);
    let letters = scope.trim_end_matches(|c: char| c.is_ascii_digit());
    // A status (`adr-draft-001`) or `template` names no area.
    if !(2..=10).contains(&scope.len())
        || !letters.chars().all(|c| c.is_ascii_alphabetic())
        || letters.is_empty()
        || scope.eq_ignore_ascii_case("template")
        || !matches!(parse_status(scope), AdrStatus::Custom(_))
    {
        return None;
    }
    let after = rest.strip_prefix(['-', '_'])?;
    after
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some((scope, after))
}

/// The scope of a scoped id at the start of `s` (`ADR-MON-0001...`, see
/// `id_scope`).
fn adr_scope(s: &str) -> Option<&str> {
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("adr") {
        return None;
    }
    let rest = s[3..].trim_start_matches(['-', '_', ' ', '#']);
    id_scope(rest).map(|(scope, _)| scope)
}

/// `ADR-0002: Title` / `ADR 12 - Title` / `ADR-7. Title`: the record's id
/// written into its title, as many teams do; the number goes to the record
/// so the title is not numbered twice on export.
pub(crate) fn adr_id_title(title: &str) -> Option<(u32, String)> {
    // `Architecture Decision Record 14: X` (18F) spells the label out.
    const LONG: &str = "architecture decision record ";
    let rest = match title.get(..LONG.len()) {
        Some(head) if head.eq_ignore_ascii_case(LONG) => &title[LONG.len()..],
        _ => {
            let head = title.get(..3)?;
            if !head.eq_ignore_ascii_case("adr") {
                return None;
            }
            &title[3..]
        }
    };
    let rest = rest.trim_start_matches(['-', '_', ' ', '#']);
    let rest = id_scope(rest).map_or(rest, |(_, after)| after);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let after = &rest[digits.len()..];
    // `ADR-0004：Title`: a full-width colon.
    let text = after
        .strip_prefix([':', '\u{ff1a}'])
        .or_else(|| after.strip_prefix('.'))
        .or_else(|| {
            after
                .trim_start()
                .strip_prefix(['-', '\u{2013}', '\u{2014}', ':', '|', '\u{b7}'])
        })?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, text.to_string()))
}

/// `ADR-002 Title` (no separator after the id) in `0002-x.md`: the id is
/// the file's number however it is padded, so it is no part of the title.
fn adr_id_space_title(title: &str, stem: &str) -> Option<(u32, String)> {
    let head = title.get(..3)?;
    if !head.eq_ignore_ascii_case("adr") {
        return None;
    }
    let rest = title[3..].trim_start_matches(['-', '_', ' ', '#']);
    let rest = id_scope(rest).map_or(rest, |(_, after)| after);
    let digits = &rest[..rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    let after = &rest[digits.len()..];
    if digits.is_empty() || digits.len() > 6 || !after.starts_with(' ') {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    let text = after.trim();
    (number_prefix(stem).or_else(|| number_suffix(stem)) == Some(n) && !text.is_empty())
        .then(|| (n, text.to_string()))
}

/// A template still full of placeholder text.
/// The line count applies only without front matter: our own exports always
/// have front matter, so a record made from a template is never skipped.
fn placeholder_reason(title: &str, body: &str, has_front_matter: bool) -> Option<String> {
    let t = md::strip_html_comments(title);
    let t = t.trim();
    if t.is_empty() {
        return Some("the title is empty or a comment: this is a template".into());
    }
    if t.starts_with('{') && t.ends_with('}') {
        return Some(format!(
            "the title {t} is a placeholder: this is a template"
        ));
    }
    if has_front_matter {
        return None;
    }
    // MADR 2 and log4brains templates write `[placeholder]` throughout; a
    // record that only kept the brackets of `# [short title]` is a record.
    if bracketed(t).is_some() {
        let count = body.lines().filter(|l| bracket_placeholder(l)).count();
        if count >= 2 {
            return Some(format!(
                "the title {t} and {count} lines are `[placeholder]` text: this is a template"
            ));
        }
    }
    // Only a template titled as one (`# ADR {ADR-NUMBER}: {TITLE}`): a
    // titled record never filled in (Cosmos SDK's ADR 024 "Coin Metadata",
    // its sections still `{context body}`) is a record.
    if !t.find('{').is_some_and(|a| t[a..].contains('}')) {
        return None;
    }
    let mut fenced = false;
    let mut count = 0;
    for line in body.lines() {
        let l = line.trim_start();
        if l.starts_with("```") || l.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut outside = String::new();
        for (n, part) in l.split('`').enumerate() {
            if n % 2 == 0 {
                outside.push_str(part);
            }
        }
        if let Some(a) = outside.find('{') {
            if outside[a..].contains('}') {
                count += 1;
            }
        }
    }
    (count >= 4).then(|| format!("{count} lines are `{{placeholder}}` text: this is a template"))
}

/// `[Deprecated] Title`, `[Superseded by [ADR-7](0007-x.md)] Title`: a
/// known status in brackets before the title, and the title after it.
fn status_title_prefix(title: &str) -> Option<(AdrStatus, Option<LinkTarget>, String)> {
    let inner = title.strip_prefix('[')?;
    let mut depth = 0i32;
    let close = inner.char_indices().find_map(|(i, c)| match c {
        '[' => {
            depth += 1;
            None
        }
        ']' if depth == 0 => Some(i),
        ']' => {
            depth -= 1;
            None
        }
        _ => None,
    })?;
    let rest = inner[close + 1..].trim();
    // `[Title](link)` is a linked title, not a status.
    if rest.is_empty() || rest.starts_with('(') {
        return None;
    }
    match status_from_text(&inner[..close]) {
        (AdrStatus::Custom(_), _) => None,
        (status, target) => Some((status, target, rest.to_string())),
    }
}

/// `Superseded: X`, `Deprecated: X`, `Rejected: X`: a title led by the
/// word that ends a record, and the rest.
fn ended_title(title: &str) -> Option<(AdrStatus, String)> {
    let (head, rest) = title.split_once(": ")?;
    let status = match status_from_text(head) {
        (s @ (AdrStatus::Superseded | AdrStatus::Deprecated | AdrStatus::Rejected), None) => s,
        _ => return None,
    };
    let rest = rest.trim();
    (!rest.is_empty() && !head.contains(' ')).then(|| (status, rest.to_string()))
}

/// The text inside `[...]` when the brackets enclose all of `s` (not
/// `[a] or [b]`).
fn bracketed(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return None,
            ']' => depth -= 1,
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

/// A template line that is one `[placeholder]`, alone, as a list item, or
/// as the value of a `Key:` line.
fn bracket_placeholder(line: &str) -> bool {
    let l = md::strip_html_comments(line);
    let l = l.trim();
    let l = l
        .strip_prefix(['*', '-', '+'])
        .map(str::trim_start)
        .unwrap_or(l);
    let value = match l.split_once(':') {
        Some((key, value)) if !key.contains('[') && key.len() <= 30 => value.trim(),
        _ => l,
    };
    bracketed(value).is_some_and(|v| !v.trim().is_empty())
}

/// `N` of a `N-slug` stem (1 to 6 digits; a log4brains date is no number).
/// Also `adr-NNN-slug` / `ADR_NNN-slug` / `adrNNN-slug` (Arachne, Backstage,
/// many teams): the prefix names the kind of record, the number follows.
pub(crate) fn number_prefix(stem: &str) -> Option<u32> {
    // `2021-09-28_choose_x`, `2021_12_12_create_y`, `2021-03-serverless`
    // (Google's emblem): named by their date.
    if dashed_date_prefix(stem) || month_prefix(stem) {
        return None;
    }
    let stem = match stem.get(..3) {
        Some(head) if head.eq_ignore_ascii_case("adr") => {
            let rest = stem[3..]
                .strip_prefix(['-', '_', ' '])
                .unwrap_or(&stem[3..]);
            // `ADR-MON-0001-x`: a scoped id, the number after the scope.
            id_scope(rest).map_or(rest, |(_, after)| after)
        }
        _ => stem,
    };
    let digits: String = stem.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &stem[digits.len()..];
    // `0012 Use Kafka`, `0013. Use Redis` (names written by hand) too; not
    // a version (`1.2-upgrade`).
    let separated = rest.is_empty()
        || rest.starts_with(['-', '_', ' '])
        || rest
            .strip_prefix('.')
            .is_some_and(|r| r.starts_with(|c: char| c == ' ' || c.is_alphabetic()));
    if digits.is_empty() || digits.len() > 6 || !separated {
        return None;
    }
    digits.parse().ok()
}

/// `N` of a `slug_NNN` stem, as compliance-trestle names records
/// (`implement-cli-framework_001`): three digits after an underscore, so a
/// year (`notes_2024`) or a version (`api_10`) is no number.
fn number_suffix(stem: &str) -> Option<u32> {
    let (head, digits) = stem.rsplit_once('_')?;
    if head.is_empty() || digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn date_prefix(stem: &str) -> bool {
    let digits: String = stem.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 8 && NaiveDate::parse_from_str(&digits, "%Y%m%d").is_ok())
        || dashed_date_prefix(stem)
}

/// A stem that starts with a date written with dashes or underscores
/// (`2021-09-28_x`, `2021_12_12_x`, `2021-09-28`).
/// `2021-03-serverless`: a year and a month before the name (a record
/// numbered 2021 and then `03-…` is not one anyone writes).
fn month_prefix(stem: &str) -> bool {
    let (Some(year), Some(month)) = (stem.get(..4), stem.get(5..7)) else {
        return false;
    };
    let b = stem.as_bytes();
    matches!(b[4], b'-' | b'_')
        && b.get(7).is_some_and(|c| matches!(c, b'-' | b'_'))
        && b.get(8).is_some_and(u8::is_ascii_alphabetic)
        && year
            .parse::<u32>()
            .is_ok_and(|y| (1990..=2100).contains(&y))
        && month.bytes().all(|c| c.is_ascii_digit())
        && month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}

fn dashed_date_prefix(stem: &str) -> bool {
    let Some(head) = stem.get(..10) else {
        return false;
    };
    let rest = &stem[10..];
    let b = head.as_bytes();
    (rest.is_empty() || rest.starts_with(['-', '_', ' ', '.']))
        && matches!((b[4], b[7]), (b'-', b'-') | (b'_', b'_'))
        && NaiveDate::parse_from_str(&head.replace('_', "-"), "%Y-%m-%d").is_ok()
}

/// The date of an ISO 8601 date and time (`2020-06-15T20:21:00+01:00`,
/// `2020-06-15 20:21`), as written: the offset does not move the day.
pub(crate) fn datetime_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (day, time) = s.split_at_checked(10)?;
    let time = time.strip_prefix(['T', ' '])?;
    let clock = time.split(['+', '-', 'Z', 'z', '.', ' ']).next()?;
    let hm = chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(clock, "%H:%M"));
    hm.ok()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // Month names (`January 5, 2023`, `5 Jan 2023`) cannot be misread.
    if let Some(d) = [
        "%Y-%m-%d",
        "%d.%m.%Y",
        "%Y/%m/%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d %Y",
        "%b %d %Y",
    ]
    .iter()
    .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
    {
        return Some(d);
    }
    if let Some(d) = foreign_month_date(s) {
        return Some(d);
    }
    // `31/03/2017` (adr-tools users outside ISO, e.g. UK teams) or US
    // `03/31/2017`: only when the two readings cannot both be dates, so no
    // date is ever guessed; an ambiguous one stays in the text as written.
    // `21-02-2023` reads the same way with dashes.
    let b = s.as_bytes();
    let s = if b.len() == 10 && b[2] == b'-' && b[5] == b'-' {
        std::borrow::Cow::Owned(s.replace('-', "/"))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let dmy = NaiveDate::parse_from_str(&s, "%d/%m/%Y").ok();
    let mdy = NaiveDate::parse_from_str(&s, "%m/%d/%Y").ok();
    match (dmy, mdy) {
        (Some(d), None) | (None, Some(d)) => Some(d),
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    }
}

/// `28. Juli 2026`, `10 mars 2026`, `4 de marzo de 2025`, `4 de março de
/// 2025`, `14 luglio 2026`, `25 Ağustos 2026`: a day, a month name in a
/// language whose status words are read, and a year (a month name cannot be
/// misread; Czech, Polish, Ukrainian and Russian write it in the genitive,
/// `20. července 2026`).
fn foreign_month_date(s: &str) -> Option<NaiveDate> {
    // German, French, Spanish, Portuguese, Italian, Turkish, Czech, then
    // Dutch and Scandinavian, Polish, Ukrainian and Russian (genitive: `17
    // квітня 2026`, `29 czerwca 2026`).
    const MONTHS: [&str; 12] = [
        "januar janvier enero janeiro gennaio ocak ledna januari stycznia січня января",
        "februar février febrero fevereiro febbraio şubat února februari lutego лютого февраля",
        "märz mars marzo março mart března maart marca березня марта",
        "april avril abril aprile nisan dubna kwietnia квітня апреля",
        "mai mayo maio maggio mayıs května mei maj maja травня мая",
        "juni juin junio junho giugno haziran června czerwca червня июня",
        "juli juillet julio julho luglio temmuz července lipca липня июля",
        "august août agosto ağustos srpna augustus augusti sierpnia серпня августа",
        "september septembre septiembre setembro settembre eylül září września вересня сентября",
        "oktober octobre octubre outubro ottobre ekim října października жовтня октября",
        "november novembre noviembre novembro kasım listopadu listopada листопада ноября",
        "dezember décembre diciembre dezembro dicembre aralık prosince december desember grudnia грудня декабря",
    ];
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().filter(|w| *w != "de").collect();
    let [day, month, year] = words.as_slice() else {
        return None;
    };
    let day: u32 = day.trim_end_matches('.').parse().ok()?;
    let month = MONTHS
        .iter()
        .position(|names| names.split(' ').any(|name| name == *month))? as u32
        + 1;
    let year: i32 = year
        .parse()
        .ok()
        .filter(|y: &i32| (1000..=9999).contains(y))?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date followed by a remark (`2026-06-18 (updated 2026-06-22)`, `July
/// 16, 2026 - approved in the guild`): the date.
fn date_with_remark(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    v.char_indices()
        .filter(|(_, c)| matches!(c, ' ' | ',' | '(' | ';' | '\u{ff08}'))
        .map(|(i, _)| i)
        .rev()
        .find_map(|end| {
            let rest = v[end..].trim_start_matches([' ', ',', ';']);
            // `3 octobre 2026. Statut : ...`: a sentence ends the date.
            // `2026-08-31（2026-09-02 由 ADR-0008 取代）`: a full-width
            // parenthesis as Chinese and Japanese text writes it.
            let remark = rest.starts_with(['(', '\u{ff08}'])
                || rest.starts_with(['-', '\u{2013}', '\u{2014}'])
                || v[end..].starts_with([',', ';'])
                || (v[..end].ends_with('.') && v[end..].starts_with(' '));
            if !remark
                || rest
                    .trim_matches(['(', ')', '-', ' ', '\u{ff08}', '\u{ff09}'])
                    .is_empty()
            {
                return None;
            }
            parse_date(v[..end].trim_end_matches([',', '.']).trim_end())
        })
}

/// The items of a metadata line's list (see `unbracket`); an item written
/// as a shortcut reference link (`[Jörg Steffens]`, defined at the end of
/// the file) is the name it shows.
fn meta_list(value: &str, seps: &[char]) -> Vec<String> {
    yaml::split_list(unbracket(value), seps)
        .into_iter()
        .map(|item| match unbracket(&item) {
            inner if inner.len() < item.len() && !inner.trim().is_empty() => {
                inner.trim().to_string()
            }
            _ => reference_link_text(&item).unwrap_or(item),
        })
        .collect()
}

/// `[@amatissart][gh-amatissart]`: a full reference link (its target
/// defined at the end of the file) is the text it shows.
fn reference_link_text(item: &str) -> Option<String> {
    let (text, label) = item.trim().strip_prefix('[')?.split_once("][")?;
    let label = label.strip_suffix(']')?;
    let plain = |s: &str| !s.trim().is_empty() && !s.contains(['[', ']']);
    (plain(text) && plain(label)).then(|| text.trim().to_string())
}

/// `[a, b]`: a list written as a YAML flow sequence on a metadata line
/// (`- Tags: [identity-platform, cip, groups]`) reads as its items.
fn unbracket(value: &str) -> &str {
    let v = value.trim();
    v.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .filter(|inner| !inner.contains(['[', ']']))
        .unwrap_or(v)
}

/// The field a metadata key (a line, a table row, a heading or a
/// front-matter key; lower case) sets, under one name for its spellings.
fn field_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "status" => "status",
        // MADR's date is when the decision was last updated.
        "date" | "decision date" | "last updated" => "date",
        "deciders" | "decider" | "decision-makers" | "decision_makers" | "decision makers" => {
            "decision-makers"
        }
        "consulted" => "consulted",
        "informed" => "informed",
        "tags" => "tags",
        _ => return None,
    })
}

/// The keys a metadata line or table row may set.
fn is_meta_key(key: &str) -> bool {
    field_key(key).is_some()
}

/// People keys of another meaning than a field's, read into the field
/// that fits (authors, owners and approvers decide; reviewers are
/// consulted). The field cannot say the key's name, so what the file wrote
/// stays too: the line, row, section or front-matter key is kept as
/// written, and a name already in the field is not added twice.
fn people_alias(key: &str) -> Option<&'static str> {
    Some(match key {
        "author" | "authors" | "author(s)" | "owner" | "owners" | "owner(s)" | "approver"
        | "approvers" | "approver(s)" | "approved by" | "proposed by" | "decision owner"
        | "decision owners" => "decision-makers",
        // The same in other languages (`**Auteur** : Ada`, `作者：Ada`).
        "auteur" | "auteurs" | "autor" | "autoren" | "autores" | "autora" | "autore" | "autori"
        | "автор" | "автори" | "作者" | "著者" | "작성자" => "decision-makers",
        "reviewer" | "reviewers" | "reviewer(s)" | "reviewed by" => "consulted",
        _ => return None,
    })
}

/// A metadata key as written (`**Status**`, `Date:`), lower-case.
fn meta_key(cell: &str) -> String {
    let key = cell
        .trim()
        .trim_matches(['*', '_'])
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase();
    // `| **Statut** | Accepté |`: a key in another language.
    match french_key(&key) {
        Some(english) => english.to_string(),
        None => key,
    }
}

/// The cells of a pipe-table row (`| a | b |` or `a | b`), trimmed; escaped
/// pipes (`\|`) stay in their cell.
fn table_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = match t.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => t,
    };
    let mut cells = vec![String::new()];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                if let Some(s) = cells.last_mut() {
                    s.push('|');
                }
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => {
                if let Some(s) = cells.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// A table row: its cells and the line as written.
type TableRow = (Vec<String>, String);

/// A GitHub pipe table starting at line `i` (a row, then a delimiter row
/// like `|---|:---:|`): the line after it and its rows (without the
/// delimiter row) as (cells, line).
fn pipe_table(lines: &[&str], i: usize) -> Option<(usize, Vec<TableRow>)> {
    let head = lines.get(i)?;
    let delim = lines.get(i + 1)?;
    if !head.contains('|') || !delim.contains('-') {
        return None;
    }
    let delim_cells = table_cells(delim);
    let is_delim = delim_cells.iter().all(|c| {
        let c = c.trim_matches(':');
        !c.is_empty() && c.chars().all(|x| x == '-')
    });
    let head_cells = table_cells(head);
    if !is_delim || delim_cells.len() != head_cells.len() {
        return None;
    }
    let mut rows = vec![(head_cells, head.to_string())];
    let mut end = i + 2;
    while let Some(line) = lines.get(end) {
        if line.trim().is_empty() || !line.contains('|') {
            break;
        }
        rows.push((table_cells(line), line.to_string()));
        end += 1;
    }
    Some((end, rows))
}

/// A table of record metadata, as (key, value, row as written): either
/// two columns of `| Status | Accepted |` rows (the first row is one too),
/// all of them known keys or at least two, or a header with at least two
/// known keys over one row of values (`| Status | Date | Author(s) |` /
/// `| Accepted | 2024-01-03 | @a |`; a column without a field is kept as a
/// `| Author(s) | @a |` row). Anything else is an ordinary table (a `|
/// Status | Meaning |` legend has one known key).
fn metadata_pairs(rows: &[TableRow]) -> Option<Vec<(String, String, String)>> {
    let (head, _) = rows.first()?;
    let known_columns = head.iter().filter(|c| is_meta_key(&meta_key(c))).count();
    if rows.len() == 2 && known_columns >= 2 {
        let values = &rows[1].0;
        if values.len() != head.len() {
            return None;
        }
        return Some(
            head.iter()
                .zip(values)
                .map(|(k, v)| (meta_key(k), v.clone(), format!("| {k} | {v} |")))
                .collect(),
        );
    }
    let known = rows
        .iter()
        .filter(|(cells, _)| {
            cells.first().is_some_and(|c| {
                let key = meta_key(c);
                is_meta_key(&key) || people_alias(&key).is_some()
            })
        })
        .count();
    if rows.iter().any(|(cells, _)| cells.len() != 2)
        || known == 0
        || (known < 2 && known < rows.len())
    {
        return None;
    }
    Some(
        rows.iter()
            .map(|(cells, line)| (meta_key(&cells[0]), cells[1].clone(), line.clone()))
            .collect(),
    )
}

/// A task-list item (`- [x] Accepted`): (ticked, its text).
fn checkbox(line: &str) -> Option<(bool, &str)> {
    let s = line.trim().strip_prefix(['*', '-', '+'])?.trim_start();
    let rest = s.strip_prefix('[')?;
    let (mark, text) = rest.split_once(']')?;
    let on = match mark {
        "x" | "X" => true,
        " " | "" => false,
        _ => return None,
    };
    Some((on, text.trim()))
}

/// `* Status: accepted` / `Date: 2016-02-12` / `> Status: accepted`:
/// (lower-case key, value, bulleted).
fn meta_line(line: &str) -> Option<(String, String, bool)> {
    let s = line.trim().trim_start_matches('>').trim_start();
    let (s, bulleted) = match s.strip_prefix(['*', '-', '+']) {
        Some(rest) if rest.starts_with(' ') => (rest.trim_start(), true),
        _ => (s, false),
    };
    // `_Date: 2025-08-16_`, `*Status: Accepted*`: the whole line in
    // emphasis, which is no part of the value.
    let s = ['_', '*']
        .iter()
        .find_map(|&m| {
            let inner = s.strip_prefix(m)?.strip_suffix(m)?;
            (!inner.starts_with(m) && !inner.ends_with(m)).then_some(inner)
        })
        .unwrap_or(s);
    // A full-width colon (`ステータス：Accepted`) as Japanese and Chinese
    // text writes it.
    let colon = s.find([':', '\u{ff1a}'])?;
    let key = s[..colon]
        .trim()
        .trim_matches(['*', '_'])
        .trim()
        .to_lowercase();
    // `Data: 07/10/2026`, `Fecha: 05/03/2025`: a key in a language whose
    // dates put the day first reads an ambiguous date so.
    let day_first = matches!(
        key.as_str(),
        "datum" | "fecha" | "data" | "dato" | "дата" | "tarih"
    );
    let (key, french) = match french_key(&key) {
        Some(english) => (english.to_string(), true),
        None => (key, false),
    };
    if !is_meta_key(&key) && people_alias(&key).is_none() {
        return None;
    }
    let after = &s[colon..];
    let after = &after[after.chars().next().map_or(0, char::len_utf8)..];
    let value = md::strip_html_comments(after.trim_start_matches(['*', '_']));
    // `**Decider:** Ada <br>`: a line break written in HTML ends the line.
    let value = without_line_break(value.trim());
    // `* **date**: "2025-06-26"`: quotes around the whole value.
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|v| !v.contains('"'))
        .unwrap_or(value);
    let value = match (french && key == "status").then(|| french_status(value)) {
        Some(Some(english)) => english,
        _ => value.to_string(),
    };
    let value = match day_first_date(&value).filter(|_| day_first && parse_date(&value).is_none()) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => value,
    };
    Some((key, value.trim().to_string(), bulleted))
}

/// `text` without an HTML line break (`<br>`, `<br/>`, `<br />`) at its end.
fn without_line_break(text: &str) -> &str {
    let t = text.trim_end();
    let lower = t.to_ascii_lowercase();
    ["<br>", "<br/>", "<br />"]
        .iter()
        .find(|br| lower.ends_with(*br))
        .map_or(t, |br| t[..t.len() - br.len()].trim_end())
}

/// `Status: Accepted`, `Decision status: Accepted`, `**Current status:**
/// Accepted`: a status line with its key, as a `## Status` section may
/// write it; the value and whether the line is a list item.
fn status_key_line(line: &str) -> Option<(String, bool)> {
    let s = line.trim().trim_start_matches('>').trim_start();
    let s = match s.strip_prefix(['*', '-', '+']) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => s,
    };
    let (key, _) = s.split_once([':', '\u{ff1a}'])?;
    let key = key.trim().trim_matches(['*', '_']).trim().to_lowercase();
    if !matches!(
        key.as_str(),
        "decision status" | "current status" | "adr status"
    ) {
        return meta_line(line)
            .filter(|(key, _, _)| field_key(key) == Some("status"))
            .map(|(_, value, bulleted)| (value, bulleted));
    }
    let renamed = line.replacen(&s[..s.find([':', '\u{ff1a}'])?], "Status", 1);
    meta_line(&renamed).map(|(_, value, bulleted)| (value, bulleted))
}

/// Which way round a file writes its slash date (`Date: 28/02/2019` only
/// day first: `Some(true)`; `Date: 02/28/2019` only month first:
/// `Some(false)`); `None` without such a line or when it reads both ways.
/// A folder whose files all say day first settles its ambiguous dates so
/// ([`settle_day_first_date`]).
pub fn written_day_first(text: &str) -> Option<bool> {
    text.lines().find_map(|line| {
        let (key, value, _) = meta_line(line)?;
        if field_key(&key) != Some("date") {
            return None;
        }
        let value = value.trim();
        let dmy = NaiveDate::parse_from_str(value, "%d/%m/%Y").is_ok();
        let mdy = NaiveDate::parse_from_str(value, "%m/%d/%Y").is_ok();
        (dmy != mdy).then_some(dmy)
    })
}

/// `Date: 01/06/2019` left as the first line of an undated record's context
/// (it reads both ways) in a folder that writes its dates day first
/// (Ministry of Justice's cloud-platform, `Date: 28/02/2019` beside it):
/// the date, read day first, and the line out of the context. Whether the
/// record changed.
pub fn settle_day_first_date(adr: &mut ParsedAdr) -> bool {
    if adr.draft.date.is_some() {
        return false;
    }
    let context = &adr.draft.context;
    let (first, rest) = context.split_once('\n').unwrap_or((context, ""));
    let date = meta_line(first)
        .filter(|(key, _, _)| field_key(key) == Some("date"))
        .and_then(|(_, value, _)| day_first_date(&value));
    let Some(date) = date else {
        return false;
    };
    adr.draft.date = Some(date);
    adr.draft.context = rest.trim_start_matches('\n').to_string();
    true
}

/// `07/10/2026`, `07.10.2026`, `07-10-2026` read day first, as Europe
/// writes a date (`parse_date` leaves such a date to the text when it reads
/// both ways).
fn day_first_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
}

/// The metadata keys of teams writing in French (`statut`,
/// `décisionnaires`, ...), German (`Datum`), Spanish, Portuguese and Italian
/// (`estado`, `fecha`, `data`, `stato`), Japanese, Chinese, Korean and
/// Russian (`ステータス`, `状态`, `日付`, `статус`), as the English key.
fn french_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "statut" | "estado" | "stato" | "ステータス" | "状態" | "状态" | "狀態" | "상태"
        | "статус" => "status",
        // Vietnamese: `| Trạng thái | Accepted |`, `| Ngày | 2026-06-22 |`.
        "trạng thái" => "status",
        // Turkish (`**Durum:** Kabul edildi`, `**Tarih:** 25 Ağustos 2026`)
        // and Hebrew (`**סטטוס:** מאושר · **תאריך:** 2026-07-27`).
        "durum" | "סטטוס" => "status",
        // Czech and Slovak (`**Stav:** přijato`), Arabic (`**الحالة:** مقبول`).
        "stav" | "الحالة" => "status",
        "التاريخ" | "تاريخ" => "date",
        "datum" | "fecha" | "data" | "dato" | "日付" | "日期" | "날짜" | "дата" | "ngày"
        | "tarih" | "תאריך" => "date",
        "décisionnaires"
        | "décideurs"
        | "entscheider"
        | "decisores"
        | "entscheidungsträger"
        | "decisori"
        | "결정자"
        | "의사결정자"
        | "决策者"
        | "決策者"
        | "决定者"
        | "決定者"
        | "意思決定者"
        | "người quyết định"
        | "karar verenler" => "decision-makers",
        "consultés" => "consulted",
        "informés" => "informed",
        _ => return None,
    })
}

/// A status word in another language (`accepté`, `akzeptiert`, `aceptado`,
/// `aceito`, `accettato`) as the status it names.
fn foreign_status_word(word: &str) -> Option<AdrStatus> {
    Some(match word.to_lowercase().as_str() {
        // French written without accents (`Acceptee le 2026-07-08.`) too.
        "accepté" | "acceptée" | "accepte" | "acceptee" | "akzeptiert" | "angenommen"
        | "genehmigt" | "aceptado" | "aceptada" | "aprobado" | "aprobada" | "aceito" | "aceita"
        | "aceitado" | "aceitada" | "aprovado" | "aprovada" | "accettato" | "accettata"
        | "approvato" | "approvata" => AdrStatus::Accepted,
        "proposé" | "proposée" | "proposee" | "vorgeschlagen" | "propuesto" | "propuesta"
        | "proposto" | "proposta" => AdrStatus::Proposed,
        "rejeté" | "rejetée" | "rejete" | "rejetee" | "refusee" | "refusé" | "refusée"
        | "abgelehnt" | "rechazado" | "rechazada" | "rejeitado" | "rejeitada" | "rifiutato"
        | "rifiutata" | "respinto" | "respinta" => AdrStatus::Rejected,
        "déprécié" | "dépréciée" | "deprecie" | "depreciee" | "obsolète" | "veraltet"
        | "obsoleto" | "obsoleta" | "deprecato" | "deprecata" | "descontinuado"
        | "descontinuada" => AdrStatus::Deprecated,
        "remplacé" | "remplacée" | "remplacee" | "ersetzt" | "reemplazado" | "reemplazada"
        | "sustituido" | "sustituida" | "substituído" | "substituída" | "sostituito"
        | "sostituita" => AdrStatus::Superseded,
        "brouillon" | "entwurf" | "borrador" | "rascunho" | "bozza" => AdrStatus::Draft,
        // Japanese, Chinese, Korean, Russian.
        "採用" | "採用済み" | "承認" | "承認済み" | "接受" | "已接受" | "采纳" | "已采纳"
        | "批准" | "已批准" | "승인" | "승인됨" | "채택" | "채택됨" | "принято" | "принят" => {
            AdrStatus::Accepted
        }
        "提案"
        | "提案中"
        | "提议"
        | "提議"
        | "提议中"
        | "提議中"
        | "已提议"
        | "已提議"
        | "제안"
        | "제안됨"
        | "предложено"
        | "предложен" => AdrStatus::Proposed,
        "却下" | "不採用" | "拒绝" | "已拒绝" | "거부" | "거부됨" | "반려됨" | "отклонено"
        | "отклонен" => AdrStatus::Rejected,
        "非推奨" | "廃止" | "废弃" | "已废弃" | "弃用" | "已弃用" | "폐기" | "폐기됨"
        | "사용중단됨" | "устарело" | "устарел" => AdrStatus::Deprecated,
        "置換" | "置き換え済み" | "已取代" | "被取代" | "대체됨" | "заменено" | "заменен" => {
            AdrStatus::Superseded
        }
        "草案" | "下書き" | "草稿" | "초안" | "черновик" => AdrStatus::Draft,
        // Dutch, Polish, Norwegian, Danish, Swedish.
        "geaccepteerd" | "aanvaard" | "goedgekeurd" | "zaakceptowany" | "zaakceptowana"
        | "zaakceptowane" | "przyjęty" | "przyjęta" | "przyjęte" | "akseptert" | "godkjent"
        | "vedtatt" | "accepteret" | "godkendt" | "vedtaget" | "accepterad" | "godkänd"
        | "beslutad" => AdrStatus::Accepted,
        "voorgesteld" | "proponowany" | "proponowana" | "proponowane" | "zaproponowany"
        | "zaproponowana" | "zaproponowane" | "foreslått" | "foreslået" | "föreslagen" => {
            AdrStatus::Proposed
        }
        "afgewezen" | "verworpen" | "odrzucony" | "odrzucona" | "odrzucone" | "avvist"
        | "afvist" | "avvisad" => AdrStatus::Rejected,
        "verouderd" | "achterhaald" | "przestarzały" | "przestarzała" | "przestarzałe"
        | "utgått" | "foreldet" | "forældet" | "föråldrad" => AdrStatus::Deprecated,
        "vervangen" | "zastąpiony" | "zastąpiona" | "zastąpione" | "erstattet" | "ersatt" => {
            AdrStatus::Superseded
        }
        "szkic" | "utkast" | "udkast" => AdrStatus::Draft,
        // Turkish (`Kabul edildi`, two words: see `foreign_status_phrase`),
        // Ukrainian and Hebrew.
        "kabul"
        | "onaylandı"
        | "прийнято"
        | "прийнятий"
        | "прийняте"
        | "затверджено"
        | "מאושר"
        | "אושר"
        | "התקבל" => AdrStatus::Accepted,
        "önerildi" | "önerilen" | "запропоновано" | "запропонований" | "מוצע" | "הוצע" => {
            AdrStatus::Proposed
        }
        "reddedildi" | "відхилено" | "відхилений" | "נדחה" => {
            AdrStatus::Rejected
        }
        "застаріло" | "застарілий" => AdrStatus::Deprecated,
        "замінено" | "замінений" | "הוחלף" => AdrStatus::Superseded,
        "taslak" | "чернетка" | "טיוטה" => AdrStatus::Draft,
        // Czech and Slovak (`Stav: Přijato`).
        "přijato" | "přijat" | "přijatý" | "přijatá" | "přijaté" | "schváleno" | "schválen"
        | "schválený" | "schválená" | "schválené" | "prijaté" | "prijatý" | "prijatá" => {
            AdrStatus::Accepted
        }
        "navrženo" | "navržen" | "navržený" | "navržená" | "navržené" | "navrhnuté"
        | "navrhnutý" => AdrStatus::Proposed,
        "zamítnuto" | "zamítnut" | "zamítnutý" | "zamítnutá" | "zamítnuté" | "zamietnuté"
        | "zamietnutý" => AdrStatus::Rejected,
        "zastaralé" | "zastaralý" | "zastaralá" | "zastaralo" => AdrStatus::Deprecated,
        "nahrazeno" | "nahrazen" | "nahrazený" | "nahrazená" | "nahrazené" | "nahradené" => {
            AdrStatus::Superseded
        }
        // Arabic.
        "مقبول" | "مقبولة" | "معتمد" | "معتمدة" => AdrStatus::Accepted,
        "مقترح" | "مقترحة" => AdrStatus::Proposed,
        "مرفوض" | "مرفوضة" => AdrStatus::Rejected,
        "مهمل" | "مهملة" | "متقادم" => AdrStatus::Deprecated,
        "مستبدل" | "مستبدلة" => AdrStatus::Superseded,
        "مسودة" => AdrStatus::Draft,
        // Indonesian and Malay (`Status: diterima`).
        "diterima" | "disetujui" => AdrStatus::Accepted,
        "diusulkan" => AdrStatus::Proposed,
        "ditolak" => AdrStatus::Rejected,
        "usang" => AdrStatus::Deprecated,
        "digantikan" => AdrStatus::Superseded,
        _ => return None,
    })
}

/// `superseded by` as written in English (and misspelt) or in the
/// languages of [`foreign_status_word`]; lower-case (ASCII letters only, so
/// byte offsets match the text's).
const SUPERSEDED_BY: [&str; 22] = [
    "superseded by",
    "superceded by",
    "remplacé par",
    "remplacée par",
    "ersetzt durch",
    "reemplazado por",
    "reemplazada por",
    "sustituido por",
    "sustituida por",
    "substituído por",
    "substituída por",
    "substituido por",
    "sostituito da",
    "sostituita da",
    "vervangen door",
    "zastąpiony przez",
    "zastąpiona przez",
    "zastąpione przez",
    "erstattet av",
    "erstattet af",
    "ersatt av",
    "digantikan oleh",
];

/// `text` starts with `superseded by` in one of the languages read.
fn superseded_by_prefix(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    SUPERSEDED_BY.iter().any(|p| lower.starts_with(p))
}

/// [`AdrStatus::parse`] (its first word), also in other languages.
fn parse_status(text: &str) -> AdrStatus {
    match AdrStatus::parse(text) {
        AdrStatus::Custom(t) => {
            let first = t.split_whitespace().next().unwrap_or("");
            let first = first.trim_matches(|c: char| !c.is_alphanumeric());
            foreign_status_phrase(&t)
                .or_else(|| foreign_status_word(first))
                .unwrap_or(AdrStatus::Custom(t))
        }
        known => known,
    }
}

/// A status of two words in another language (`Kabul edildi`,
/// `Kullanımdan kaldırıldı`, `הוצא משימוש`), written alone.
fn foreign_status_phrase(text: &str) -> Option<AdrStatus> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    Some(match words.join(" ").as_str() {
        "kabul edildi" => AdrStatus::Accepted,
        "kullanımdan kaldırıldı" | "הוצא משימוש" => AdrStatus::Deprecated,
        "yerine geçti" => AdrStatus::Superseded,
        // Vietnamese (`**Trạng thái:** Đã chấp nhận`).
        "chấp nhận" | "đã chấp nhận" | "được chấp nhận" => AdrStatus::Accepted,
        "đề xuất" | "đã đề xuất" | "được đề xuất" => AdrStatus::Proposed,
        "từ chối" | "đã từ chối" | "bị từ chối" => AdrStatus::Rejected,
        "lỗi thời" | "không còn dùng" => AdrStatus::Deprecated,
        "bị thay thế" | "đã bị thay thế" => AdrStatus::Superseded,
        "bản nháp" => AdrStatus::Draft,
        _ => return None,
    })
}

/// A French status word (`accepté`, `remplacé par ADR-0007`) as written in
/// English; anything else stays as written (a custom status).
fn french_status(value: &str) -> Option<String> {
    let t = value.trim().trim_matches(['*', '_', '`']).trim();
    let lower = t.to_lowercase();
    for prefix in ["remplacé par", "remplacée par"] {
        // Split the text itself after as many characters as the prefix has:
        // lowercasing may change byte lengths (`İ`), so no offsets from `lower`.
        let end = t
            .char_indices()
            .nth(prefix.chars().count())
            .map_or(t.len(), |(i, _)| i);
        if t[..end].to_lowercase() == prefix {
            return Some(format!("superseded by{}", &t[end..]));
        }
    }
    let word = match lower.as_str() {
        "accepté" | "acceptée" => "accepted",
        "proposé" | "proposée" => "proposed",
        "rejeté" | "rejetée" | "refusé" | "refusée" => "rejected",
        "déprécié" | "dépréciée" | "obsolète" => "deprecated",
        "remplacé" | "remplacée" => "superseded",
        "brouillon" => "draft",
        _ => return None,
    };
    Some(word.to_string())
}

/// Reads a status as written. Text that is more than a known status word
/// (or `superseded by <ref>`) is kept whole as a custom status.
/// A known status word followed by a date (`Accepted on 2023-01-05`,
/// `Accepted (2023-01-05)`, `Accepted - 2023-01-05`, `Accepted, 5 Jan
/// 2023`), as the status and the date; nothing else on the line.
fn status_with_date(text: &str) -> Option<(AdrStatus, NaiveDate)> {
    match dated_status(text)? {
        DatedStatus {
            status,
            date,
            target: None,
            more: false,
        } if status != AdrStatus::Superseded => Some((status, date)),
        _ => None,
    }
}

/// A status line that starts with a known status word and its date.
struct DatedStatus {
    status: AdrStatus,
    date: NaiveDate,
    /// `Superseded on 2026-03-31 by [ADR 9](0009-x.md)`: the superseding
    /// record.
    target: Option<LinkTarget>,
    /// Text follows the date (and the superseding record).
    more: bool,
}

/// [`status_with_date`], and also with a sentence after the date
/// (`Accepted on 2026-09-10. Extends [ADR 0003](...)...`) and a superseded
/// record's date (`Superseded on 2026-03-31 by [0009](0009-x.md).`,
/// `Superseded on 2026-08-20 by direct archive behavior.`).
fn dated_status(text: &str) -> Option<DatedStatus> {
    let t = md::strip_html_comments(text);
    let t = t.trim().trim_matches(['"', '\'', '*', '_', '`']).trim();
    // A badge before the word (`✅ Accepted (2024-01-05)`).
    let t = t
        .trim_start_matches(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()));
    let (word, rest) =
        t.split_once(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ';' | '|'))?;
    let status = match parse_status(word.trim_end_matches([',', ':', '.', ';', '*', '_'])) {
        AdrStatus::Custom(_) => return None,
        known => known,
    };
    // `**已接受 (Accepted)** - 2026-04-30`: the same status in English
    // after the word.
    let rest = match rest
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
    {
        Some((english, after))
            if !english.trim().contains(char::is_whitespace)
                && parse_status(english.trim()) == status =>
        {
            after.trim_start_matches(['*', '_'])
        }
        _ => rest,
    };
    let rest = rest
        .trim()
        .trim_start_matches(['-', '–', '—', ',', ':', ';', '|', '(', '\u{b7}', '*', '_'])
        .trim();
    // `Status: Accepted Date: 2024-03-01`, `**Status:** Accepted **Date:**
    // 2024-03-01`: the date's own key after the status word.
    let rest = match rest.split_once([':', '\u{ff1a}']) {
        Some((key, value)) if field_key(&meta_key(key)) == Some("date") => {
            value.trim_start_matches(['*', '_']).trim()
        }
        _ => rest,
    };
    // `on`/`since`, and the same word in the languages of
    // `foreign_status_word` (`Akzeptiert am 07.08.2026.`, `Aceito em
    // 24/08/2026.`, `Accepté le 3 mars 2026`, `Aceptado el 2026-01-05`).
    let rest = [
        "on ",
        "since ",
        "am ",
        "seit ",
        "em ",
        "desde ",
        "le ",
        "depuis le ",
        "depuis ",
        "el ",
        "il ",
        "op ",
        "sinds ",
    ]
    .iter()
    .find_map(|w| rest.strip_prefix(w))
    .unwrap_or(rest);
    // The longest start of the rest that reads as a date (`July 16, 2026`
    // has a comma), ending before a space or punctuation.
    let date_end = |end: usize| {
        let head = rest[..end]
            .trim_end_matches([')', '.', ',', ';'])
            .trim_end();
        parse_date(head)
    };
    let (end, date) = rest
        .char_indices()
        .filter(|(_, c)| matches!(c, ' ' | '.' | ',' | ')' | ';'))
        .map(|(i, _)| i)
        .chain([rest.len()])
        .rev()
        .find_map(|end| date_end(end).map(|d| (end, d)))?;
    let mut after = rest[end..].trim_start_matches([')', '.', ',', ';']).trim();
    let mut target = None;
    if status == AdrStatus::Superseded {
        if let Some(by) = after.strip_prefix("by ") {
            let by = by.trim_start();
            let (found, tail) = if by.starts_with('[') {
                match by.find("](").and_then(|c| by[c..].find(')').map(|e| c + e)) {
                    Some(end) => (parse_target_ref(&by[..=end]), &by[end + 1..]),
                    None => (None, by),
                }
            } else {
                let token = by.split_whitespace().next().unwrap_or("");
                let bare = token.trim_end_matches([',', '.', ';']);
                match adr_ref(bare) {
                    Some(n) => (Some(LinkTarget::Number(n)), &by[token.len()..]),
                    None => (None, by),
                }
            };
            // A web page is no record.
            target = found.filter(|t| !matches!(t, LinkTarget::File(f) if f.contains("://")));
            if target.is_some() {
                after = tail.trim();
            }
        }
    }
    let more = !after
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ')' | '*' | '_'))
        .is_empty();
    Some(DatedStatus {
        status,
        date,
        target,
        more,
    })
}

/// A status history: dated items (`- 2024-09-26 Proposed`, `- 2024-06-24:
/// Approved`, `- 2024-07-24: Edited (...)`) or a table with Date and Status
/// columns and a row per change. The entry with the latest date (the later
/// one on a tie) among those naming a known status gives the status and its
/// date; entries of other kinds (`Edited`) are history only.
fn status_history(text: &str) -> Option<(AdrStatus, NaiveDate)> {
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.trim().is_empty()).collect();
    let known = |cell: &str| {
        let word = cell.split_whitespace().next()?;
        match parse_status(word.trim_matches(|c: char| !c.is_alphanumeric())) {
            AdrStatus::Custom(_) => None,
            status => Some(status),
        }
    };
    let mut entries: Vec<(NaiveDate, Option<AdrStatus>)> = Vec::new();
    if let Some((end, rows)) = pipe_table(&lines, 0) {
        // One row is a Field/Value header row, read as metadata.
        if end != lines.len() || rows.len() < 3 {
            return None;
        }
        let head = &rows[0].0;
        let column = |name: &str| head.iter().position(|c| meta_key(c) == name);
        let (d, s) = (column("date")?, column("status")?);
        for (cells, _) in &rows[1..] {
            let date = parse_date(cells.get(d)?)?;
            entries.push((date, known(cells.get(s)?)));
        }
    } else {
        for line in &lines {
            let item = line.trim_start().strip_prefix(['-', '*', '+'])?;
            let item = item.strip_prefix(' ')?.trim();
            let (date, rest) = item.split_once(char::is_whitespace)?;
            let date = parse_date(date.trim_end_matches(':'))?;
            entries.push((date, known(rest)));
        }
    }
    entries
        .into_iter()
        .enumerate()
        .filter_map(|(i, (date, status))| status.map(|s| (date, i, s)))
        .max_by_key(|(date, i, _)| (*date, *i))
        .map(|(date, _, status)| (status, date))
}

/// How many records `body` links to when it is mostly a list or table of
/// such links: three or more, and more lines of them than of other text.
fn index_links(body: &str) -> Option<usize> {
    let mut links = 0;
    let mut other = 0;
    let mut fenced = false;
    for line in body.lines() {
        let l = line.trim();
        if l.starts_with("```") || l.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced
            || l.is_empty()
            || l.starts_with('#')
            || l.starts_with("|-")
            || l.starts_with("| -")
        {
            continue;
        }
        let to_record = l.match_indices("](").any(|(at, _)| {
            let href = l[at + 2..].split(')').next().unwrap_or("");
            let href = href.split('#').next().unwrap_or(href);
            let stem = href.rsplit('/').next().unwrap_or(href);
            let stem = stem.strip_suffix(".md").unwrap_or(stem);
            href.ends_with(".md") && (number_prefix(stem).is_some() || date_prefix(stem))
        });
        if to_record {
            links += 1;
        } else {
            other += 1;
        }
    }
    (links >= 3 && links > other).then_some(links)
}

/// The key a level-2 heading is read by: [`section_key`], and `## Estado`
/// / `## Statut` (the status), `## Datum` (the date), `## Métadonnées` in
/// another language as the English key; other headings in other languages
/// stay sections as written. `## Decision Status` (USACE's template) is the
/// status section.
pub(crate) fn structural_key(heading: &str) -> String {
    let key = section_key(heading);
    match french_key(&key) {
        Some(english @ ("status" | "date")) => english.to_string(),
        _ if key == "decision status" => "status".to_string(),
        // Google's emblem writes MADR's heading with an ampersand.
        // ... and others shorten it (`## Context and Problem`).
        _ if matches!(
            key.as_str(),
            "context & problem statement" | "context and problem" | "context & problem"
        ) =>
        {
            "context and problem statement".to_string()
        }
        _ if key == "options considered" => "considered options".to_string(),
        _ if matches!(
            key.as_str(),
            "metadata" | "métadonnées" | "metadaten" | "metadatos" | "metadados" | "metadati"
        ) =>
        {
            "metadata".to_string()
        }
        _ => key,
    }
}

/// A section heading as a key: `Context`, also numbered (`2. Context`,
/// `3) Decision`) as hand-written records do. A numbered `Links` is no
/// links section (the export writes links only under `## Links`).
fn section_key(heading: &str) -> String {
    let key = md::heading_key(heading);
    // `📋 Context and Problem Statement`, `💡 Considered Options`: an emoji
    // (any symbols outside ASCII) before the words decorates them.
    let words = key
        .trim_start_matches(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()));
    let key = if words.len() < key.len() && words.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        words.to_string()
    } else {
        key
    };
    let digits = key.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &key[digits..];
    let key = match rest
        .strip_prefix(['.', ')'])
        .and_then(|r| r.strip_prefix(' '))
    {
        Some(r) if (1..=2).contains(&digits) && r != "links" => r.to_string(),
        _ => key,
    };
    match bilingual_key(&key) {
        Some(english) => english.to_string(),
        None => key,
    }
}

/// `状态 (Status)`, `Trạng thái (Status)`, `Context (บริบท)`: a heading in
/// another language with the record's English heading beside it in
/// brackets is that heading. Anything else in brackets (`Decision (draft)`)
/// stays part of the heading.
fn bilingual_key(key: &str) -> Option<&str> {
    const ENGLISH: &[&str] = &[
        "status",
        "date",
        "context",
        "context and problem statement",
        "decision",
        "decisions",
        "decision outcome",
        "decision drivers",
        "considered options",
        "consequences",
        "confirmation",
        "pros and cons of the options",
        "links",
        "deciders",
    ];
    let inner = key.strip_suffix(')').or_else(|| key.strip_suffix('）'))?;
    let open = inner.rfind(['(', '（'])?;
    let bracket = inner[open..].chars().next().map_or(1, char::len_utf8);
    let (outer, inner) = (inner[..open].trim(), inner[open + bracket..].trim());
    let foreign = |s: &str| s.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    if ENGLISH.contains(&inner) && foreign(outer) {
        Some(inner)
    } else if ENGLISH.contains(&outer) && foreign(inner) {
        Some(outer)
    } else {
        None
    }
}

/// `[Proposed, Accepted, Deprecated]`, `Proposed | Accepted | Superseded by
/// ADR-YYYY`: two or more statuses to pick from, as templates write them.
fn status_choices(text: &str) -> bool {
    let t = md::strip_html_comments(text);
    let t = t.trim();
    let t = t
        .strip_prefix(['[', '{'])
        .and_then(|r| r.strip_suffix([']', '}']))
        .unwrap_or(t);
    let parts: Vec<&str> = t
        .split([',', '|', '/'])
        .map(str::trim)
        .filter(|p| !p.trim_matches(['.', '…']).is_empty())
        .collect();
    // `accepted, superseded by ADR-0008`: what happened since, no choice.
    if parts.len() == 2 && superseded_by_prefix(parts[1]) {
        return false;
    }
    // `승인됨(Accepted)`: a choice may carry its English word in brackets.
    let known = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        !matches!(parse_status(w), AdrStatus::Custom(_))
    };
    parts.len() >= 2
        && parts.iter().all(|p| {
            let word = p.split_whitespace().next().unwrap_or("");
            let mut halves = word.split(['(', '（']);
            known(word) || halves.next().is_some_and(known) || halves.next().is_some_and(known)
        })
}

/// `Proposed [Proposed, Accepted, Rejected, Deprecated, Superseded, etc.]`
/// (easi-app): a status word, then the template's choices in brackets. The
/// word is the status; the caller keeps the line.
fn status_before_choices(text: &str) -> Option<AdrStatus> {
    let t = md::strip_html_comments(text);
    let (word, choices) = t.trim().split_once('[')?;
    let choices = choices
        .trim_end()
        .trim_end_matches(['*', '_', '.'])
        .strip_suffix(']')?;
    let listed: Vec<&str> = choices
        .split(',')
        .map(str::trim)
        .filter(|c| {
            !matches!(
                c.to_ascii_lowercase().as_str(),
                "etc" | "etc." | "..." | "…"
            )
        })
        .collect();
    if !status_choices(&listed.join(", ")) {
        return None;
    }
    let word = word.trim().trim_matches(['*', '_', '`']).trim();
    match status_from_text(word) {
        (AdrStatus::Custom(_), _) | (_, Some(_)) => None,
        (_, None) if word.is_empty() || word.contains(char::is_whitespace) => None,
        (status, None) => Some(status),
    }
}

/// `~~Proposed~~ Accepted`: the statuses struck out are history, the one
/// left is the status.
fn struck_status(text: &str) -> Option<(AdrStatus, Option<LinkTarget>)> {
    let t = md::strip_html_comments(text);
    if !t.contains("~~") {
        return None;
    }
    let mut left = String::new();
    for (n, part) in t.split("~~").enumerate() {
        if n % 2 == 0 {
            left.push_str(part);
        }
    }
    match status_from_text(&left) {
        (AdrStatus::Custom(_), _) => None,
        read => Some(read),
    }
}

/// A status followed by a sentence about it: `Accepted. Ruling out X is
/// superseded by ...`, `Accepted — partly superseded`, `superseded by
/// [ADR 0009](0009-x.md) on 2026-05-19 — why`. The status (and the
/// superseding record); the caller keeps the line as text.
/// `채택됨 (Accepted)`, `Aceito (accepted)`: a status word and the same
/// status in another language in parentheses; a superseded record's
/// successor is not named so.
fn translated_status(text: &str) -> Option<AdrStatus> {
    let t = text.trim().trim_matches(['*', '_', '`']).trim();
    let (word, other) = t.strip_suffix(')')?.split_once(" (")?;
    let known = |w: &str| match parse_status(w.trim().trim_matches(['*', '_', '`'])) {
        AdrStatus::Custom(_) | AdrStatus::Superseded => None,
        status => Some(status),
    };
    let single = |w: &str| !w.trim().is_empty() && !w.trim().contains(char::is_whitespace);
    if !single(word) || !single(other) {
        return None;
    }
    let status = known(word)?;
    (known(other)? == status).then_some(status)
}

fn leading_status(text: &str) -> Option<(AdrStatus, Option<LinkTarget>)> {
    let t = md::strip_html_comments(text);
    let t = t.trim().trim_start_matches(['*', '_', '`']);
    // A badge before the words (`⚠️ Superseded by ...`).
    let t = t
        .trim_start_matches(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()));
    let lower = t.to_ascii_lowercase();
    for prefix in SUPERSEDED_BY {
        let Some(rest) = lower.strip_prefix(prefix) else {
            continue;
        };
        let rest = t[t.len() - rest.len()..].trim_start();
        let (target, after) = if rest.starts_with('[') {
            let close = rest.find("](")?;
            let end = close + rest[close..].find(')')?;
            (parse_target_ref(&rest[..=end])?, &rest[end + 1..])
        } else {
            let token = rest.split_whitespace().next()?;
            let n = adr_ref(token.trim_end_matches([',', '.', ';', '*', '_']))?;
            (LinkTarget::Number(n), &rest[token.len()..])
        };
        let after = after.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '.'));
        return (!after.is_empty()).then_some((AdrStatus::Superseded, Some(target)));
    }
    // `Đã chấp nhận (người dùng quyết định)`: a status of more than one
    // word, explained.
    let (word, rest) = match t
        .find(" (")
        .filter(|&i| foreign_status_phrase(&t[..i]).is_some())
    {
        Some(i) => t.split_at(i),
        None => t.split_at(t.find(|c: char| !c.is_alphanumeric())?),
    };
    // `**Accepted** - 2025-01`: the emphasis closes after the word.
    let rest = rest.trim_start_matches(['*', '_', '`']);
    // `accepted, superseded by [ADR-0010](0010-x.md)`: accepted, then
    // superseded (the caller reads the link from the line it keeps).
    if let Some(since) = rest.strip_prefix(", ") {
        if superseded_by_prefix(since) && !matches!(parse_status(word), AdrStatus::Custom(_)) {
            return Some((AdrStatus::Superseded, None));
        }
    }
    // `Accepted (amends ADR-0022's choice)`: an explanation in parentheses
    // too, and who decided (`Accepted by: Dennis & Jakob`). (`Accepted,
    // pending review` is a custom status.) Japanese and Chinese end the
    // word with a full stop or a parenthesis of their own (`採用。既存の…`,
    // `採用（SS-155 で決定）`).
    let explained = [
        ". ", " — ", " – ", " - ", "; ", " (", " by ", " by: ", "。", "（",
    ]
        .iter()
        .any(|sep| rest.starts_with(sep) && !rest[sep.len()..].trim().is_empty())
        // `Accepted, amended by [ADR-0012](...)`.
        || rest.strip_prefix(", ").is_some_and(|r| lead_links(r).is_some())
        // `Accepted Date: soon`: another key after the word.
        || rest
            .trim_start_matches([' ', ',', ';', '-'])
            .split_once(':')
            .is_some_and(|(key, _)| rest.starts_with([' ', ',', ';']) && is_meta_key(&meta_key(key)));
    match parse_status(word) {
        AdrStatus::Superseded => None,
        AdrStatus::Custom(_) => custom_leading_status(t).map(|s| (s, None)),
        status if explained => Some((status, None)),
        _ => None,
    }
}

/// A line that stops in the middle of a sentence (`The fact-vocabulary
/// consequence is`, `..., and the`): its last word is a lower-case word or
/// it ends in a comma, and it is no status of its own (`accepted`).
fn mid_sentence(line: &str) -> bool {
    let t = line.trim_end();
    let open = t.ends_with(',') || t.chars().last().is_some_and(char::is_lowercase);
    open && matches!(status_from_text(t).0, AdrStatus::Custom(_))
}

/// `Withdrawn. We decided to stick with ...`, `On hold. Waiting for ...`: a
/// status of its own (up to three words) ending in a full stop, then a
/// sentence about it. The words are the status; the caller keeps the line.
fn custom_leading_status(t: &str) -> Option<AdrStatus> {
    let (head, rest) = t.split_once(". ")?;
    let words: Vec<&str> = head.split_whitespace().collect();
    let wordy = |w: &&str| w.chars().all(|c| c.is_alphabetic() || c == '-');
    if words.is_empty() || words.len() > 3 || !words.iter().all(wordy) || rest.trim().is_empty() {
        return None;
    }
    match parse_status(head) {
        AdrStatus::Custom(_) => Some(AdrStatus::Custom(words.join(" "))),
        _ => None,
    }
}

/// `[Accepted](https://.../pull/12)`: a known status word linked to where
/// it was decided (the pull request). The line itself is kept as text.
fn linked_status(text: &str) -> Option<AdrStatus> {
    let inner = text.trim().strip_prefix('[')?;
    let (word, rest) = inner.split_once("](")?;
    let href = rest.strip_suffix(')')?;
    if href.contains([' ', '(', ')']) {
        return None;
    }
    match status_from_text(word) {
        (AdrStatus::Custom(_) | AdrStatus::Superseded, _) => None,
        (status, _) => Some(status),
    }
}

pub(crate) fn status_from_text(text: &str) -> (AdrStatus, Option<LinkTarget>) {
    let t = md::strip_html_comments(text);
    // Emphasis around the word (`**Accepted**`) is no part of it.
    let t = t.trim().trim_matches(['"', '\'', '*', '_', '`']).trim();
    // A badge before the words (`⚠️ Superseded by ADR-0034`).
    let unbadged = t
        .trim_start_matches(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()));
    let lower = unbadged.to_ascii_lowercase();
    for prefix in SUPERSEDED_BY {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = unbadged[unbadged.len() - rest.len()..].trim();
            if rest.is_empty() {
                return (AdrStatus::Superseded, None);
            }
            if let Some(target) = parse_target_ref(rest) {
                return (AdrStatus::Superseded, Some(target));
            }
            return (AdrStatus::Custom(t.to_string()), None);
        }
    }
    let status = match parse_status(t) {
        // `✅ Accepted`, `Accepted ✅` (a badge beside the word): the word is
        // the status. Anything else stays a custom status, kept whole.
        AdrStatus::Custom(_) => {
            let word = t
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .trim_end_matches(|c: char| !c.is_alphanumeric());
            match parse_status(word) {
                AdrStatus::Custom(_) => AdrStatus::Custom(t.to_string()),
                known if word.len() < t.len() && word.split_whitespace().count() == 1 => {
                    return (known, None);
                }
                _ => AdrStatus::Custom(t.to_string()),
            }
        }
        s => s,
    };
    match status {
        AdrStatus::Custom(_) => (status, None),
        known => {
            // `Accepted.`, `Accepted ✅`: the word alone.
            let word = t.trim_end_matches(|c: char| !c.is_alphanumeric());
            if word.split_whitespace().count() <= 1 || foreign_status_phrase(word).is_some() {
                (known, None)
            } else {
                (AdrStatus::Custom(t.to_string()), None)
            }
        }
    }
}

const VERBS: [&str; 9] = [
    "superseded by",
    "superceded by",
    "supersedes",
    "supercedes",
    "amended by",
    "amends",
    "relates to",
    "related to",
    "see also",
];

/// Link verbs in German, French, Spanish, Portuguese, Italian, Dutch,
/// Polish, the Scandinavian languages, Turkish and Ukrainian (lower-case;
/// only ASCII letters change case, so byte offsets match the text's, and a
/// capital outside ASCII is written out), with the English verb. Read in
/// metadata lists and status sections only: the export writes English. A
/// "related" word is a key only, read before a colon (see [`link_verb`]).
const FOREIGN_VERBS: &[(&str, &str)] = &[
    ("ersetzt durch", "superseded by"),
    ("ergänzt durch", "amended by"),
    ("ersetzt", "supersedes"),
    ("ergänzt", "amends"),
    ("siehe auch", "see also"),
    ("remplacé par", "superseded by"),
    ("remplace", "supersedes"),
    ("modifié par", "amended by"),
    ("modifie", "amends"),
    ("voir aussi", "see also"),
    ("reemplazado por", "superseded by"),
    ("reemplaza", "supersedes"),
    ("modificado por", "amended by"),
    ("modifica", "amends"),
    ("substituído por", "superseded by"),
    ("substitui", "supersedes"),
    ("ver también", "see also"),
    ("vervangen door", "superseded by"),
    ("vervangt", "supersedes"),
    ("zastąpione przez", "superseded by"),
    ("zastąpiony przez", "superseded by"),
    ("zastępuje", "supersedes"),
    ("erstattet av", "superseded by"),
    ("erstatter", "supersedes"),
    ("ersatt av", "superseded by"),
    ("ersätter", "supersedes"),
    // Ukrainian (`прийнято (амендує ADR `0011`)`).
    ("амендує", "amends"),
    ("замінює", "supersedes"),
    // `- Zmienia: CLAUDE.md (…), ADR 0009 (CSP)`, `- Powiązane: ADR 0005
    // (EVC), ADR 0009 (…)`.
    ("digantikan oleh", "superseded by"),
    ("menggantikan", "supersedes"),
    ("zmienione przez", "amended by"),
    ("zmieniony przez", "amended by"),
    ("zmieniona przez", "amended by"),
    ("zmienia", "amends"),
    ("gewijzigd door", "amended by"),
    ("wijzigt", "amends"),
    ("modificato da", "amended by"),
    ("modificata da", "amended by"),
    ("powiązane", "relates to"),
    ("powiązany", "relates to"),
    ("powiązana", "relates to"),
    ("verwandt", "relates to"),
    ("lié à", "relates to"),
    ("liée à", "relates to"),
    ("relacionado", "relates to"),
    ("relacionada", "relates to"),
    ("correlato", "relates to"),
    ("correlata", "relates to"),
    ("gerelateerd", "relates to"),
    ("relaterad", "relates to"),
    ("relatert", "relates to"),
    ("relateret", "relates to"),
    // `**İlgili:** ADR-0011 (…), ADR-0010 (…)`.
    ("ilgili", "relates to"),
    ("İlgili", "relates to"),
    ("пов'язані", "relates to"),
    ("Пов'язані", "relates to"),
    ("пов’язані", "relates to"),
    ("Пов’язані", "relates to"),
];

/// A link line at `lines[i]` ([`parse_link_line`]), also wrapped onto the
/// lines after it as a formatter wraps prose (`Supercedes` / `[3. Use
/// nextjs](0003-x.md)`, a link text broken over two lines): the link and
/// how many lines it took.
fn wrapped_link_line(lines: &[&str], i: usize) -> Option<((LinkKind, LinkTarget), usize)> {
    let first = lines.get(i)?;
    if let Some(link) = parse_link_line(first) {
        return Some((link, 1));
    }
    // The verb starts the first line (alone on it, or with the start of
    // the link); the joined lines must be one link line.
    link_verb(&format!("{}:", first.trim_end().trim_end_matches(':')), &[])?;
    let mut joined = first.trim_end().to_string();
    for (n, next) in lines.iter().enumerate().skip(i + 1).take(3) {
        if next.trim().is_empty() || parse_link_line(next).is_some() {
            return None;
        }
        joined.push(' ');
        joined.push_str(next.trim());
        if let Some(link) = parse_link_line(&joined) {
            return Some((link, n - i + 1));
        }
    }
    None
}

/// A bullet under `## Links` that is only a link to another record, without
/// a verb (`- [ADR-0039](./0039-x.md)`, `- ADR-0039`): the author lists it
/// as related. A link to anything else (`- [CVE-1](https://…)`) is none.
pub(crate) fn bare_record_link(line: &str) -> Option<LinkTarget> {
    let item = line.trim().strip_prefix(['*', '-', '+'])?;
    if !item.starts_with(' ') {
        return None;
    }
    let item = item.trim();
    // A numbered file on another site is no record of this set.
    let record = (item.starts_with('[') && !item.contains("://"))
        || item.get(..3)?.eq_ignore_ascii_case("adr");
    match parse_target_ref(item)? {
        LinkTarget::Number(n) if record => Some(LinkTarget::Number(n)),
        _ => None,
    }
}

/// `Described by [4. Fluent API](0004-fluent-api.md)`: adr-tools' `adr
/// link` with words the user chose (Mathematicians' records), a few words
/// and one link to a record's file, nothing else. A status word before the
/// link is no such verb.
fn worded_record_link(line: &str) -> Option<LinkTarget> {
    let line = line.trim();
    let (words, link) = line.split_at(line.find(" [")?);
    let wordy = |w: &str| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\''))
    };
    let count = words.split_whitespace().count();
    if !(1..=4).contains(&count) || !words.split_whitespace().all(wordy) {
        return None;
    }
    if !matches!(parse_status(words), AdrStatus::Custom(_)) || link.contains("://") {
        return None;
    }
    match parse_target_ref(link)? {
        LinkTarget::Number(n) if link.trim_end().ends_with(".md)") => Some(LinkTarget::Number(n)),
        _ => None,
    }
}

/// `* Supersedes [ADR-0003](0003-x.md)`, `Amended by [9. Help](0009-help.md)`,
/// `* Superseded by ADR-0007`.
pub(crate) fn parse_link_line(line: &str) -> Option<(LinkKind, LinkTarget)> {
    let (kind, rest) = link_verb(line, &[])?;
    parse_target_ref(rest).map(|t| (kind, t))
}

/// The link verb a line starts with (after a bullet), among the English
/// ones and `foreign` (written, English), and the text after it and its
/// colon.
fn link_verb<'l>(line: &'l str, foreign: &[(&str, &str)]) -> Option<(LinkKind, &'l str)> {
    let mut s = line.trim();
    if let Some(rest) = s.strip_prefix(['*', '-', '+']) {
        if rest.starts_with(' ') {
            s = rest.trim_start();
        } else if !s.starts_with("**") {
            return None;
        }
    }
    // `**Supersedes:** [ADR-2](...)`, `**Related**: ADR-11`: emphasis
    // around the key.
    let s = s.trim_start_matches(['*', '_']);
    let lower = s.to_ascii_lowercase();
    let verbs = VERBS
        .iter()
        .map(|v| (*v, *v))
        .chain(foreign.iter().copied())
        // `Related: ADR-0011` as a key, never a sentence's first word;
        // `Builds on: ADR-002` (campusid's metadata table) relates too.
        .chain([
            ("related", "relates to"),
            ("related adrs", "relates to"),
            ("related decisions", "relates to"),
            ("builds on", "relates to"),
            ("depends on", "relates to"),
        ]);
    verbs.into_iter().find_map(|(verb, english)| {
        let rest = lower.strip_prefix(verb)?;
        let bare = rest.trim_start_matches(['*', '_']);
        let colon = bare.starts_with(':');
        let key_only = english == "relates to" && !VERBS.contains(&verb);
        if !(colon || (bare.starts_with(' ') && !key_only)) {
            return None;
        }
        let kind = LinkKind::parse(english)?;
        let rest = &s[s.len() - bare.len()..];
        let rest = rest.trim_start_matches(':').trim_start_matches(['*', '_']);
        Some((kind, rest.trim()))
    })
}

/// A link line that says more than one link: `Amends [ADR 14](0014-x.md)
/// and [ADR 17](0017-y.md)`, `Amends [ADR 0022](0022-x.md). Not a
/// supersession: ...`. The links, and whether text other than the links and
/// their separators follows (then the line stays as text).
fn lead_links(line: &str) -> Option<(LinkKind, Vec<LinkTarget>, bool)> {
    let (kind, mut rest) = link_verb(line, FOREIGN_VERBS)?;
    let mut targets = Vec::new();
    // Text the links leave over (a description after one, an item that is
    // no record): the line stays as written.
    let mut described = false;
    loop {
        // One `[text](href)` or `ADR-7` / `ADR 7` at the start.
        let (target, after) = if rest.starts_with('[') {
            let close = rest.find("](")?;
            let end = close + rest[close..].find(')')?;
            match parse_target_ref(&rest[..=end])? {
                // A web page is no record.
                LinkTarget::File(f) if f.contains("://") => return None,
                t => (t, &rest[end + 1..]),
            }
        } else {
            let mut words = rest.splitn(3, ' ');
            let first = words.next().unwrap_or("");
            // The word without the punctuation after it (`ADR-3,`).
            let token = |w: &str| w.trim_end_matches([',', '.', ';', ':', ')']).len();
            match adr_ref(&first[..token(first)]) {
                Some(n) => (LinkTarget::Number(n), &rest[token(first)..]),
                None if first.eq_ignore_ascii_case("adr") => {
                    let second = words.next().unwrap_or("");
                    let n = adr_ref(&second[..token(second)])?;
                    (
                        LinkTarget::Number(n),
                        &rest[first.len() + 1 + token(second)..],
                    )
                }
                // `Zmienia: CLAUDE.md (…), ADR 0009 (CSP)`: an item that is
                // no record, before one that is.
                None => match next_record_item(rest) {
                    Some(next) => {
                        described = true;
                        rest = next;
                        continue;
                    }
                    None => break,
                },
            }
        };
        targets.push(target);
        let mut after = after.trim_start();
        // `ADR 0005 (EVC), ADR 0009 (…)`: what the record is, after it.
        if let Some(close) = after.strip_prefix('(').and_then(closing_paren) {
            described = true;
            after = after[close + 2..].trim_start();
        }
        let next = after
            .strip_prefix(',')
            .or_else(|| after.strip_prefix('&'))
            .or_else(|| after.strip_prefix("and "))
            .map(str::trim_start);
        match next {
            Some(n) if n.starts_with('[') || n.to_ascii_lowercase().starts_with("adr") => rest = n,
            _ => {
                rest = after;
                break;
            }
        }
    }
    if targets.is_empty() {
        return None;
    }
    let more = described
        || !rest
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '*' | '_'))
            .is_empty();
    Some((kind, targets, more))
}

/// Where the bracket closing an opened `(` is in `s` (the text after it).
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The rest of a list of links after its first item, when that item is no
/// record and a record (`[text](href)`, `ADR …`) follows a comma outside
/// brackets and code.
fn next_record_item(s: &str) -> Option<&str> {
    let (mut depth, mut code) = (0usize, false);
    for (i, c) in s.char_indices() {
        match c {
            '`' => code = !code,
            '(' | '[' if !code => depth += 1,
            ')' | ']' if !code => depth = depth.saturating_sub(1),
            ',' if !code && depth == 0 => {
                let next = s[i + 1..].trim_start();
                let record = next.starts_with('[')
                    || next.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("adr"));
                return record.then_some(next);
            }
            _ => {}
        }
    }
    None
}

/// `[text](href)`, `ADR-0007`, `ADR 7` or a bare number.
fn parse_target_ref(rest: &str) -> Option<LinkTarget> {
    let rest = rest.trim();
    if let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find("](")?;
        let text = &inner[..close];
        let href = inner[close + 2..].strip_suffix(')')?;
        let href = hugo_ref(href).unwrap_or(href);
        if href.contains(['(', ')', ' ']) {
            return None;
        }
        return Some(link_target(text, href));
    }
    adr_ref(rest).map(LinkTarget::Number)
}

/// The target of a Hugo link shortcode, `{{< ref "0003-x.md" >}}` (also
/// `relref`, `{{% %}}`), as Hugo sites of ADRs write links.
fn hugo_ref(href: &str) -> Option<&str> {
    let inner = href
        .trim()
        .strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| {
            href.trim()
                .strip_prefix("{{%")
                .and_then(|r| r.strip_suffix("%}}"))
        })?
        .trim();
    let arg = inner
        .strip_prefix("relref")
        .or_else(|| inner.strip_prefix("ref"))?
        .trim();
    let arg = arg.strip_prefix('"')?.strip_suffix('"')?;
    (!arg.is_empty() && !arg.contains('"')).then_some(arg)
}

fn adr_ref(s: &str) -> Option<u32> {
    // `` ADR `0011` ``: the number as code.
    let s = s.trim().trim_matches('`');
    let lower = s.to_ascii_lowercase();
    let digits = match lower.strip_prefix("adr") {
        Some(rest) => {
            let rest = rest.trim_start_matches(['-', ' ', '_']);
            id_scope(rest).map_or(rest, |(_, after)| after)
        }
        None => lower.as_str(),
    };
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && digits.len() <= 6 {
        return digits.parse().ok();
    }
    None
}

fn link_target(text: &str, href: &str) -> LinkTarget {
    let href = href.trim().trim_start_matches('<').trim_end_matches('>');
    let href = href.split('#').next().unwrap_or(href);
    let href = href.strip_prefix("./").unwrap_or(href);
    // `ADR%20174%20-%20X.md`: a file name with spaces, as links write it.
    let href = href.replace("%20", " ");
    let path = href.strip_suffix(".md").unwrap_or(&href);
    let stem = path.rsplit('/').next().unwrap_or(path);
    if let Some(n) = number_prefix(stem).or_else(|| number_suffix(stem)) {
        return LinkTarget::Number(n);
    }
    if let Some(n) = adr_ref(text).or_else(|| numbered_title(text).map(|(n, _)| n)) {
        return LinkTarget::Number(n);
    }
    LinkTarget::File(path.to_string())
}

/// Consequences when `body` is only Good/Bad/Neutral bullets, or only
/// bullets marked `+` and `-` (both).
fn gbn(body: &str) -> Option<Consequences> {
    argument_bullets(body).or_else(|| signed_bullets(body))
}

fn argument_bullets(body: &str) -> Option<Consequences> {
    let items = md::pure_bullets(body)?;
    if items.is_empty() {
        return None;
    }
    let mut c = Consequences::default();
    for item in items {
        let (n, text) = escape::argument(&item)?;
        let text = text.to_string();
        match n {
            0 => c.good.push(text),
            1 => c.bad.push(text),
            _ => c.neutral.push(text),
        }
    }
    Some(c)
}

/// `+ Forkable` / `- Slower`: a list of each marker, the author's good and
/// bad. One marker alone is a plain list.
fn signed_bullets(body: &str) -> Option<Consequences> {
    let mut c = Consequences::default();
    for block in md::top_blocks(body) {
        let Block::List {
            ordered: false,
            items,
        } = block
        else {
            return None;
        };
        for r in items {
            let marker = body
                .get(md::line_start(body, r.start)..)?
                .trim_start()
                .chars()
                .next();
            let text = md::item_text(body, r);
            match marker {
                Some('+') => c.good.push(text),
                Some('-') => c.bad.push(text),
                _ => return None,
            }
        }
    }
    (!c.good.is_empty() && !c.bad.is_empty()).then_some(c)
}

/// `#### Pros` and `#### Cons` headings over bullets, and nothing else
/// (viaferrata.app's options): the option's pros and cons.
fn headed_pros_and_cons(src: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (mut pros, mut cons) = (None, None);
    let mut parts = src.split('\n').peekable();
    // Nothing before the first heading.
    while parts.peek().is_some_and(|l| l.trim().is_empty()) {
        parts.next();
    }
    while let Some(heading) = parts.next() {
        if !heading.starts_with('#') {
            return None;
        }
        let mut body = Vec::new();
        while let Some(line) = parts.next_if(|l| !l.starts_with('#')) {
            body.push(line);
        }
        let items = md::pure_bullets(&body.join("\n")).filter(|i| !i.is_empty())?;
        let slot = match md::heading_key(&md::heading_text(heading)).as_str() {
            "pros" => &mut pros,
            "cons" => &mut cons,
            _ => return None,
        };
        if slot.replace(items).is_some() {
            return None;
        }
    }
    Some((pros?, cons?))
}

/// An option's subsection: arguments out of top-level bullets, everything
/// else verbatim as the description.
fn option_body(src: &str) -> ConsideredOption {
    if let Some((pros, cons)) = headed_pros_and_cons(src) {
        return ConsideredOption {
            pros,
            cons,
            ..Default::default()
        };
    }
    let mut o = ConsideredOption::default();
    let mut cut = Vec::new();
    for block in md::top_blocks(src) {
        if let Block::List {
            ordered: false,
            items,
        } = block
        {
            for r in items {
                let item = md::item_text(src, r.clone());
                if let Some((n, text)) = escape::argument(&item) {
                    let text = text.to_string();
                    match n {
                        0 => o.pros.push(text),
                        1 => o.cons.push(text),
                        _ => o.neutral.push(text),
                    }
                    cut.push((md::line_start(src, r.start), md::line_end_after(src, r.end)));
                }
            }
        }
    }
    let mut rest = String::new();
    let mut at = 0;
    for (a, b) in cut {
        if a >= at {
            rest.push_str(slice(src, at, a));
            at = b;
        }
    }
    rest.push_str(slice(src, at, src.len()));
    o.description = md::clean(&rest);
    o
}

/// `Option 2`, `option #2`: the number of a listed option, by position.
fn option_ordinal(title: &str) -> Option<usize> {
    let lower = title.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("option")?.trim_start();
    let digits = rest.strip_prefix('#').unwrap_or(rest);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn norm_title(s: &str) -> String {
    // Markdown links read as their text.
    let mut out = String::new();
    let mut rest = s;
    while let Some(a) = rest.find('[') {
        out.push_str(&rest[..a]);
        let after = &rest[a + 1..];
        match after.find("](") {
            Some(b) => {
                out.push_str(&after[..b]);
                let tail = &after[b + 2..];
                rest = match tail.find(')') {
                    Some(c) => &tail[c + 1..],
                    None => "",
                };
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !matches!(c, '`' | '"' | '\'' | '*' | '_'))
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    //! Patterns of real record sets (rounds 9 and 10), in short files
    //! written here.
    use super::*;

    fn parsed(name: &str, text: &str) -> ParsedAdr {
        match parse_file(name, text) {
            Ok(Classified::Adr(a)) => a,
            other => panic!("{name}: {other:?}"),
        }
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn status_and_date(a: &ParsedAdr) -> (AdrStatus, Option<NaiveDate>) {
        (a.draft.status.clone(), a.draft.date)
    }

    /// [`parsed`], asserting the record's status and date.
    fn parsed_as(name: &str, text: &str, status: AdrStatus, date: Option<NaiveDate>) -> ParsedAdr {
        let a = parsed(name, text);
        assert_eq!(status_and_date(&a), (status, date), "{name}");
        a
    }

    #[test]
    fn turkish_ukrainian_and_hebrew_status_and_date_keys() {
        let tr = parsed(
            "adr-002-tek-kurum.md",
            "# ADR-002: Tek kurum\n\n**Durum:** Kabul edildi  \n**Tarih:** 25 Ağustos 2026\n\n## Bağlam\n\nMetin.\n",
        );
        assert_eq!(tr.number, Some(2));
        assert_eq!(
            status_and_date(&tr),
            (AdrStatus::Accepted, date("2026-08-25"))
        );
        assert_eq!(tr.draft.context, "");

        let listed = parsed_as("0012-x.md", "# ADR-0012: X\n\n- **Durum:** Önerildi\n- **Tarih:** 2026-08-29\n- **Karar verenler:** Ayşe, Mehmet\n\n## Baglam\n\nMetin.\n", AdrStatus::Proposed, date("2026-08-29"));
        assert_eq!(listed.draft.decision_makers, ["Ayşe", "Mehmet"]);

        // A trailing full stop after the Ukrainian word.
        let uk = parsed(
            "0007-x.md",
            "# ADR 0007: Власність\n\nСтатус: прийнято.\n\n## Контекст\n\nТекст.\n",
        );
        assert_eq!(uk.draft.status, AdrStatus::Accepted);
        assert_eq!(uk.draft.context, "");

        // Hebrew between middle dots: the whole line is metadata.
        let he = parsed_as(
            "adr-002-x.md",
            "# ADR-002 · סטאק\n\n**סטטוס:** מאושר · **תאריך:** 2026-07-27\n\n## הקשר\nטקסט.\n",
            AdrStatus::Accepted,
            date("2026-07-27"),
        );
        assert_eq!(he.draft.context, "");
        // Section headings in other languages stay sections.
        assert_eq!(he.draft.sections[0].heading, "הקשר");
    }

    #[test]
    fn italian_and_turkish_month_names() {
        assert_eq!(parse_date("14 luglio 2026"), date("2026-07-14"));
        assert_eq!(parse_date("16 Mayıs 2026"), date("2026-05-16"));
        assert_eq!(parse_date("1 dicembre 2025"), date("2025-12-01"));
        assert_eq!(parse_date("16 Maybe 2026"), None);
    }

    #[test]
    fn two_word_foreign_statuses_are_statuses_not_custom() {
        assert_eq!(status_from_text("Kabul edildi").0, AdrStatus::Accepted);
        assert_eq!(
            status_from_text("Kullanımdan kaldırıldı").0,
            AdrStatus::Deprecated
        );
        // A word of a phrase followed by other words stays as written.
        assert_eq!(
            status_from_text("Kabul edildi sonra geri alındı").0,
            AdrStatus::Custom("Kabul edildi sonra geri alındı".into())
        );
    }

    #[test]
    fn dotted_line_with_a_key_of_no_field_reads_status_and_date_and_stays() {
        let text = "# DEC-28 – Note come file\n\n**Data:** 2026-09-25 · **Stato:** Accettata · **Idea di origine:** ID-34\n\n## Contesto\nTesto.\n";
        let a = parsed("dec-28.md", text);
        assert_eq!(
            status_and_date(&a),
            (AdrStatus::Accepted, date("2026-09-25"))
        );
        // The part with no field is not lost: the line stays as written.
        assert_eq!(
            a.draft.context,
            "**Data:** 2026-09-25 · **Stato:** Accettata · **Idea di origine:** ID-34"
        );

        // A date part that is prose is no date; the status still reads.
        let b = parsed_as("0003-x.md", "# ADR 0003 — X\n\n**Stato:** accettata · **Data:** formalizzata il 25 settembre 2026\n\n## Contesto\n\nTesto.\n", AdrStatus::Accepted, None);
        assert!(b
            .draft
            .context
            .contains("formalizzata il 25 settembre 2026"));

        // A sentence between middle dots is no metadata line.
        let c = parsed(
            "0004-x.md",
            "# 4. X\n\nWe chose A · see the note below: it was the only one · Status: accepted by all\n\n## Status\n\nProposed\n",
        );
        assert_eq!(c.draft.status, AdrStatus::Proposed);
        assert!(c.draft.context.starts_with("We chose A"));
    }

    #[test]
    fn html_line_break_ends_a_metadata_value() {
        let a = parsed(
            "ADR06-Navigation & Routing Solution.md",
            "# ADR-06: Navigation\n\n**Status:** Proposed  \n**Decider:** Alvin <br>\n**Consulted:**  <br>\n**Informed:** Derick, Edrick\n\n## Context\nText.\n",
        );
        assert_eq!(a.number, Some(6));
        assert_eq!(a.draft.decision_makers, ["Alvin"]);
        assert!(a.draft.consulted.is_empty());
        assert_eq!(a.draft.informed, ["Derick", "Edrick"]);
        assert_eq!(without_line_break("Ada <BR/>"), "Ada");
        assert_eq!(without_line_break("a <br> b"), "a <br> b");
    }

    #[test]
    fn deciders_wrapped_onto_indented_lines_as_reference_links() {
        let a = parsed(
            "2021_12_12_create_an_adl.md",
            "# Architecture Knowledge Management\n\n* Status: **accepted**\n* Deciders: [@ada][gh-ada], [@bo][gh-bo],\n  [@cy][gh-cy],\n  [@di][gh-di]\n* Date: 2021-12-12\n\nContents:\n\n## Notes\n\nText.\n\n[gh-ada]: https://github.com/ada\n",
        );
        assert_eq!(a.draft.decision_makers, ["@ada", "@bo", "@cy", "@di"]);
        assert_eq!(a.draft.date, date("2021-12-12"));
        assert_eq!(a.draft.context, "Contents:");
        // Without the trailing comma, an indented line after is no name.
        let b = parsed(
            "0001-x.md",
            "# 1. X\n\n* Deciders: Ada\n  who asked Bo first\n\n## Status\n\nAccepted\n",
        );
        assert_eq!(b.draft.decision_makers, ["Ada"]);
        assert_eq!(b.draft.context, "  who asked Bo first");
        assert_eq!(reference_link_text("[a][b][c]"), None);
    }

    #[test]
    fn ukrainian_link_verb_after_the_status_and_a_number_as_code() {
        let a = parsed(
            "0024-x.md",
            "# 0024 — Плагін\n\n- Статус: прийнято (амендує ADR `0011`)\n- Дата: 2026-07-07\n\n## Контекст\n\nТекст.\n",
        );
        assert_eq!(a.number, Some(24));
        assert_eq!(
            status_and_date(&a),
            (AdrStatus::Accepted, date("2026-07-07"))
        );
        assert_eq!(a.links, [(LinkKind::Amends, LinkTarget::Number(11))]);
        // The line says more than the status: it stays.
        assert_eq!(a.draft.context, "- Статус: прийнято (амендує ADR `0011`)");
        assert_eq!(adr_ref("`0011`"), Some(11));
        assert_eq!(adr_ref("`x`"), None);
    }

    #[test]
    fn files_named_by_their_date_have_no_number() {
        assert_eq!(number_prefix("2021-09-28_choose_git_architecture"), None);
        assert_eq!(number_prefix("2021_12_12_create_an_adl"), None);
        assert_eq!(number_prefix("2021-09-28"), None);
        assert!(date_prefix("2021_12_12_create_an_adl"));
        // Numbers that are no date still are.
        assert_eq!(number_prefix("2021-use-x"), Some(2021));
        assert_eq!(number_prefix("0012-13-14-x"), Some(12));
        let a = parsed(
            "2021-09-28_choose_git_architecture.md",
            "# Mono vs. multiple Git repositories\n\n* Status: **accepted**\n* Date: 2021-09-28\n\n## Summary\n\nText.\n",
        );
        assert_eq!(a.number, None);
        assert_eq!(a.format, AdrFormat::Log4brains);
        assert_eq!(a.draft.date, date("2021-09-28"));
    }

    #[test]
    fn a_record_titled_by_a_level_2_heading_reads_as_usual() {
        let a = parsed(
            "adr.md",
            "## ADR-001: Вибір фреймворку\n\n#### Статус: Прийнято\n#### Дата: 2025-06-06\n#### Автор: Ada Lovelace\n\n### Контекст\nТекст.\n\n### Consequences\n\n#### Positive\n* Quick\n",
        );
        assert_eq!(a.number, Some(1));
        assert_eq!(a.draft.title, "Вибір фреймворку");
        assert_eq!(
            status_and_date(&a),
            (AdrStatus::Accepted, date("2025-06-06"))
        );
        assert_eq!(a.draft.decision_makers, ["Ada Lovelace"]);
        // The sections move up with the title: read as under a `# Title`.
        assert_eq!(a.draft.consequences.good, ["Quick"]);
        let kept: Vec<(&str, u8)> = a
            .draft
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.level))
            .collect();
        // A people line stays as written (as a line would), nothing lost.
        assert_eq!(kept, [("Автор: Ada Lovelace", 3), ("Контекст", 2)]);
        assert_eq!(a.draft.sections[1].body, "Текст.");
        // A numbered file name is enough of a number.
        let b = parsed(
            "0007-use-x.md",
            "## Use X\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n",
        );
        assert_eq!((b.number, b.draft.title.as_str()), (Some(7), "Use X"));
        assert_eq!(b.draft.context, "Why.");
    }

    #[test]
    fn a_first_section_beside_the_record_sections_is_no_title() {
        // GSA's FAC: a record with no `# Title` opens with a section of its
        // own beside `## Context`; the title is the file name's words.
        let a = parsed(
            "0042-handle-lookup-errors.md",
            "## Areas of impact\n\n- [x]   Engineering\n- [ ]   UX\n\n## Context\n\nThe lookup fails.\n\n## Decision\n\nWaive it.\n",
        );
        assert_eq!(
            (a.number, a.draft.title.as_str()),
            (Some(42), "Handle lookup errors")
        );
        assert_eq!(a.draft.context, "The lookup fails.");
        assert_eq!(a.draft.decision_outcome, "Waive it.");
        let kept: Vec<(&str, &str)> = a
            .draft
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.body.as_str()))
            .collect();
        assert_eq!(
            kept,
            [("Areas of impact", "- [x]   Engineering\n- [ ]   UX")]
        );
    }

    #[test]
    fn an_ambiguous_slash_date_settles_day_first_only_when_told() {
        assert_eq!(written_day_first("# X\n\nDate: 28/02/2019\n"), Some(true));
        assert_eq!(written_day_first("# X\n\nDate: 02/28/2019\n"), Some(false));
        assert_eq!(written_day_first("# X\n\nDate: 01/06/2019\n"), None);
        assert_eq!(written_day_first("# X\n\nDate: 2019-06-01\n"), None);
        let text =
            "# One cluster\n\nDate: 01/06/2019\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";
        let mut a = parsed("012-one-cluster.md", text);
        // On its own the file's date reads both ways: kept as written.
        assert_eq!(a.draft.date, None);
        assert_eq!(a.draft.context, "Date: 01/06/2019\n\nWhy.");
        assert!(settle_day_first_date(&mut a));
        assert_eq!(a.draft.date, date("2019-06-01"));
        assert_eq!(a.draft.context, "Why.");
        // A dated record, or one without such a line, stays as it is.
        assert!(!settle_day_first_date(&mut a));
        let mut b = parsed("0002-x.md", "# 2. X\n\n## Context\n\nDate: soon.\n");
        assert!(!settle_day_first_date(&mut b));
        assert_eq!(b.draft.context, "Date: soon.");
    }

    #[test]
    fn a_level_2_heading_without_a_record_is_still_refused() {
        for (name, text) in [
            // No number anywhere.
            ("notes.md", "## Meeting notes\n\n## Context\n\nWhy.\n"),
            // Numbered, but nothing of a record under it.
            (
                "0003-x.md",
                "## ADR-003: X\n\nSome text.\n\n## Ideas\n\nMore.\n",
            ),
            // A level-2 heading after the first (level-3) one.
            (
                "adr-4.md",
                "### ADR-004: X\n\nStatus: Accepted\n\n## Other\n\nWhy.\n",
            ),
        ] {
            let e = parse_file(name, text).expect_err(name);
            assert!(e.reason.contains("no level-1 heading"), "{name}: {e}");
        }
    }

    #[test]
    fn metadata_headings_under_the_title_are_metadata_lines() {
        let a = parsed_as("0001-x.md", "# Ariadne Override\n\n#### status: accepted\n#### date: 2024-06-28\n#### deciders: Ada, Bo\n\n## Context and Problem Statement\n\nWhy.\n", AdrStatus::Accepted, date("2024-06-28"));
        assert_eq!(a.draft.decision_makers, ["Ada", "Bo"]);
        assert_eq!(a.draft.context, "Why.");
        assert!(a.draft.sections.is_empty(), "{:?}", a.draft.sections);
        // A heading with text under it, or one the record has no field for,
        // stays a section (and so does every heading after it).
        let b = parsed(
            "0002-x.md",
            "# X\n\n#### Status: Accepted\nSince May.\n#### Date: 2024-06-28\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(b.draft.status, AdrStatus::Proposed);
        assert_eq!(b.draft.date, None);
        let headings: Vec<&str> = b
            .draft
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, ["Status: Accepted", "Date: 2024-06-28"]);
    }

    #[test]
    fn a_japanese_status_word_ends_at_a_full_stop_or_parenthesis() {
        for line in ["採用。既存の運用を維持する。", "採用（SS-155 で決定）。"]
        {
            let a = parsed(
                "ADR-012-x.md",
                &format!("# ADR-012: X\n\n## 日付\n\n2026-10-02\n\n## ステータス\n\n{line}\n"),
            );
            assert_eq!(
                status_and_date(&a),
                (AdrStatus::Accepted, date("2026-10-02"))
            );
            // The line says more than the status: it stays, under its heading.
            assert_eq!(a.draft.sections.len(), 1, "{:?}", a.draft.sections);
            assert_eq!(a.draft.sections[0].body, line);
        }
        // A word that is no status stays the status's words.
        let b = parsed("0001-x.md", "# X\n\n## ステータス\n\n検討中。理由あり。\n");
        assert!(
            matches!(b.draft.status, AdrStatus::Custom(_)),
            "{:?}",
            b.draft.status
        );
    }

    #[test]
    fn people_in_a_metadata_line_between_pipes() {
        let a = parsed_as("ADR-001.md", "# ADR-001: X\n\n**Status:** Aceito  |  **Data:** 2026-04-07  |  **Autores:** Ana Lima, Rui Costa\n\n## Contexto\n\nTexto.\n", AdrStatus::Accepted, date("2026-04-07"));
        assert_eq!(a.draft.decision_makers, ["Ana Lima", "Rui Costa"]);
        // The key has no field of its own: the line stays as written.
        assert!(
            a.draft.context.starts_with("**Status:** Aceito  |"),
            "{}",
            a.draft.context
        );
    }

    #[test]
    fn a_title_numbered_otherwise_than_its_file_keeps_its_number() {
        let a = parsed(
            "0025-caching.md",
            "# 24. Production Release Cadence\n\nDate: 2024-14-02\n\n## Status\n\nIn Review\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(a.number, Some(25));
        assert_eq!(a.draft.title, "24. Production Release Cadence");
        // A month 14 reads as no date: the line stays.
        assert_eq!(a.draft.date, None);
        assert!(
            a.draft.context.starts_with("Date: 2024-14-02"),
            "{}",
            a.draft.context
        );
        // The file's own number is dropped from the title as before.
        let b = parsed(
            "0025-caching.md",
            "# 25. Caching\n\n## Status\n\nAccepted\n",
        );
        assert_eq!((b.number, b.draft.title.as_str()), (Some(25), "Caching"));
    }

    #[test]
    fn front_matter_below_a_licence_comment_is_read_and_the_comment_kept() {
        let text = "<!--\nSPDX-FileCopyrightText: 2024 A <a@example.org>\n\nSPDX-License-Identifier: CC-BY-SA-4.0\n-->\n\n---\nstatus: superseded by ADR 10\ndate: 2024-06-27\n---\n# Send cursors\n\n## Context and Problem Statement\n\nWhy.\n";
        let a = parsed("07-cursor-positions.md", text);
        assert_eq!(a.draft.title, "Send cursors");
        assert_eq!(a.draft.status, AdrStatus::Superseded);
        assert_eq!(a.draft.date, NaiveDate::from_ymd_opt(2024, 6, 27));
        assert_eq!(a.links, [(LinkKind::SupersededBy, LinkTarget::Number(10))]);
        // The licence comment is kept, above the context; the keys are not
        // left in the text.
        assert!(
            a.draft
                .context
                .contains("SPDX-License-Identifier: CC-BY-SA-4.0\n-->"),
            "{}",
            a.draft.context
        );
        assert!(a.draft.context.ends_with("Why."), "{}", a.draft.context);
        assert!(!a.draft.context.contains("status:"), "{}", a.draft.context);
        // One comment a line (hyphae's `SPDX` then `Copyright`).
        let c = parsed_as(
            "0006-x.md",
            "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n<!-- Copyright 2026 A -->\n\n---\nstatus: accepted\ndate: 2026-05-26\ndecision-makers: [mario]\n---\n\n# 0006 — X\n\n## Context\n\nWhy.\n",
            AdrStatus::Accepted,
            date("2026-05-26"),
        );
        assert_eq!(c.draft.decision_makers, ["mario"]);
        // Both comments kept above the context, no front matter key in it.
        assert_eq!(
            c.draft.context,
            "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n<!-- Copyright 2026 A -->\n\nWhy."
        );
        // The file's number before a dash is no part of the title.
        assert_eq!((c.number, c.draft.title.as_str()), (Some(6), "X"));
        // A `---` rule under a comment that is no front matter stays a rule.
        let b = parsed(
            "0003-x.md",
            "<!-- note -->\n\n---\n\n# X\n\n## Status\n\nAccepted\n",
        );
        assert_eq!(
            (b.draft.title.as_str(), b.draft.status.clone()),
            ("X", AdrStatus::Accepted)
        );
    }

    #[test]
    fn a_record_section_as_the_only_level_1_heading_is_no_title() {
        let a = parsed(
            "0005-project-labels.md",
            "# Context and Problem Statement\n\nOne set of labels.\n\n## Considered Options\n\n### Titles\n\nShort.\n\n## Decision Outcome\n\nApproved.\n",
        );
        assert_eq!(a.number, Some(5));
        assert_eq!(a.draft.title, "Project labels");
        assert_eq!(a.draft.context, "One set of labels.");
        assert_eq!(a.draft.decision_outcome, "Approved.");
        // A record titled after a section, in a file without a number, keeps it.
        let b = parsed("context.md", "# Context\n\n## Status\n\nAccepted\n");
        assert_eq!(b.draft.title, "Context");
    }

    #[test]
    fn sections_a_level_down_under_the_title_read_as_usual() {
        let a = parsed(
            "20211031-have-wires-in-3d.md",
            "# Have wires in 3d\n\n### Context and Problem Statement\n\nConnections.\n\n### Describe the feature\n\nRope wires.\n\n#### Detail\n\nMore.\n",
        );
        assert_eq!(a.draft.context, "Connections.");
        let kept: Vec<(&str, u8)> = a
            .draft
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.level))
            .collect();
        assert_eq!(kept, [("Describe the feature", 2)]);
        assert!(a.draft.sections[0].body.ends_with("#### Detail\n\nMore."));
        // Without a record's section among them they stay where they are.
        let b = parsed("0001-x.md", "# X\n\n### Notes\n\nText.\n");
        assert_eq!(b.draft.sections[0].level, 3);
    }

    #[test]
    fn a_title_led_by_the_word_that_ends_the_record_gives_its_status() {
        let a = parsed(
            "20200602-k3s.md",
            "# Superseded: Manage backend with K3S\n\n## Context and Problem Statement\n\nWhy.\n",
        );
        assert_eq!(a.draft.status, AdrStatus::Superseded);
        assert_eq!(a.draft.title, "Manage backend with K3S");
        let b = parsed("0002-x.md", "# Deprecated: Use X\n\n## Context\n\nWhy.\n");
        assert_eq!(
            (b.draft.status, b.draft.title.as_str()),
            (AdrStatus::Deprecated, "Use X")
        );
        // A status line of its own: the title stays as written.
        let c = parsed(
            "0003-x.md",
            "# Superseded: Use Y\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(
            (c.draft.status, c.draft.title.as_str()),
            (AdrStatus::Accepted, "Superseded: Use Y")
        );
        // Other words before a colon are part of the title.
        let d = parsed("0004-x.md", "# Proposal: Use Z\n\n## Context\n\nWhy.\n");
        assert_eq!(d.draft.title, "Proposal: Use Z");
    }

    #[test]
    fn metadata_lines_in_emphasis_or_between_empty_quote_lines() {
        let a = parsed_as("0001-x.md", "# ADR-0001 — Record Format\n\n_Status: ✅ Accepted_  \n_Date: 2025-08-16_  \n_Deciders: Ana Lima, Maintainers_\n\n## Context\n\nWhy.\n", AdrStatus::Accepted, date("2025-08-16"));
        assert_eq!(a.draft.decision_makers, ["Ana Lima", "Maintainers"]);
        assert_eq!(a.draft.context, "Why.");
        let b = parsed_as("0071-x.md", "# ADR-071 — X\n\n> **Status:** Accepted\n>\n> **Data:** 2026-07-16\n\n## Contexto\n\nTexto.\n", AdrStatus::Accepted, date("2026-07-16"));
        assert_eq!(b.draft.context, "");
        // A quote that says more stays whole.
        let c = parsed(
            "0072-x.md",
            "# X\n\n> **Status:** Accepted\n>\n> Read this first.\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(c.draft.context, ">\n> Read this first.\n\nWhy.");
        // `created-date:` in front matter dates a record that has no date.
        let d = parsed(
            "ADR-001-x.md",
            "---\nstatus: accepted\ncreated-date: 2026-04-29\n---\n\n# X\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(d.draft.date, date("2026-04-29"));
    }

    #[test]
    fn headings_in_another_language_with_the_english_one_in_brackets() {
        let a = parsed(
            "ADR-005-x.md",
            "# ADR 005: X\n\n## Trạng thái (Status)\n**Accepted**\n\n## Bối cảnh (Context)\nVì sao.\n\n## Quyết định (Decision)\nLàm Y.\n\n## Hệ quả (Consequences)\n- Nhanh.\n",
        );
        assert_eq!(a.draft.status, AdrStatus::Accepted);
        assert_eq!(a.draft.context, "Vì sao.");
        assert_eq!(a.draft.decision_outcome, "Làm Y.");
        // The translated status and its date (`**已接受 (Accepted)** - …`).
        let b = parsed_as("0006-x.md", "# ADR 0006: X\n\n## 状态 (Status)\n\n**已接受 (Accepted)** - 2026-04-30\n\n## 背景 (Context)\n\n原因。\n\n## 关联 (Related)\n- ADR-004\n", AdrStatus::Accepted, date("2026-04-30"));
        assert_eq!(b.draft.context, "原因。");
        let headings: Vec<_> = b
            .draft
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, ["关联 (Related)"]);
        // English first, the other language in brackets.
        let c = parsed_as("ADR-001-x.md", "# ADR-001: X\n\n## Status (สถานะ)\nAccepted\n\n## Date (วันที่)\n2025-01-15\n\n## Context (บริบท)\nWhy.\n", AdrStatus::Accepted, date("2025-01-15"));
        assert_eq!(c.draft.context, "Why.");
        // Other words in brackets stay part of the heading; a different
        // status in brackets is no translation.
        let d = parsed(
            "0007-x.md",
            "# 7. X\n\n## Status\n\nAccepted (Proposed) - 2026-04-30\n\n## Decision (draft)\n\nY.\n\n## Context (v2)\n\nWhy.\n",
        );
        assert_eq!(d.draft.date, None);
        assert_eq!(d.draft.context, "");
        let headings: Vec<_> = d
            .draft
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, ["Status", "Decision (draft)", "Context (v2)"]);
    }

    #[test]
    fn czech_and_arabic_status_and_date_keys_and_words() {
        let a = parsed_as(
            "ADR-004-x.md",
            "# ADR-004: X\n\n- Stav: Přijato\n- Datum: 20. července 2026\n\n## Kontext\n\nProč.\n",
            AdrStatus::Accepted,
            date("2026-07-20"),
        );
        assert_eq!(a.draft.context, "");
        parsed_as(
            "0005-x.md",
            "# ADR 0005: X\n\n**Stav:** přijato (2026-09-23)\n\n## Kontext\nProč.\n",
            AdrStatus::Accepted,
            date("2026-09-23"),
        );
        for (word, status) in [
            ("navrženo", AdrStatus::Proposed),
            ("zamítnuto", AdrStatus::Rejected),
            ("zastaralé", AdrStatus::Deprecated),
        ] {
            let c = parsed(
                "0006-x.md",
                &format!("# X\n\n**Stav:** {word}\n\n## Kontext\n\nProč.\n"),
            );
            assert_eq!(c.draft.status, status, "{word}");
        }
        // A key the record has no field for stays as text.
        let d = parsed_as("0022-x.md", "# 0022 – X\n\n**Datum:** 2026-08-28 · **Stav:** přijato · **Navazuje na:** `doc/decision/0016-*`\n\n## Co\n\nY.\n", AdrStatus::Accepted, date("2026-08-28"));
        assert!(d.draft.context.contains("**Navazuje na:**"));
        let e = parsed_as("DD-13-x.md", "# DD-13 — X\n\n- **الحالة:** مقبول\n- **التاريخ:** 2026-08-10\n\n## السياق (Context)\n\nلماذا.\n", AdrStatus::Accepted, date("2026-08-10"));
        assert_eq!(e.draft.context, "لماذا.");
        // `مقبول ومنجز` (accepted and done) is a status of its own, as
        // `Accepted and implemented` is.
        let f = parsed(
            "0005-x.md",
            "# X\n\n**الحالة:** مقبول ومنجز\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(f.draft.status, AdrStatus::Custom("مقبول ومنجز".into()));
    }

    #[test]
    fn emblem_records_named_by_year_and_month() {
        // Google's emblem: `2021-03-serverless.md`, `**Last Updated:**`,
        // `## Context & Problem Statement`.
        let a = parsed(
            "2021-04-cloud-build.md",
            "# Use Cloud Build\n\n* **Status:** approved\n* **Last Updated:** 2021-04-28\n* **Objective:** X.\n\n## Context & Problem Statement\n\nWhy.\n\n## Decision\n\nChosen option [Option 1]\n",
        );
        assert_eq!(a.number, None);
        assert_eq!(
            status_and_date(&a),
            (AdrStatus::Accepted, date("2021-04-28"))
        );
        assert_eq!(a.draft.context, "* **Objective:** X.\n\nWhy.");
        assert_eq!(a.draft.decision_outcome, "Chosen option [Option 1]");
        // The heading shortened reads the same.
        for heading in ["Context and problem", "Context & Problem"] {
            let c = parsed(
                "0003-x.md",
                &format!("# X\n\nStatus: accepted\n\n## {heading}\n\nWhy.\n\n## Decision\n\nY.\n"),
            );
            assert_eq!(c.draft.context, "Why.", "{heading}");
            assert!(c.draft.sections.is_empty(), "{heading}");
        }
        // A month alone is no date; it stays as written.
        let b = parsed(
            "2021-03-serverless.md",
            "# X\n\n* **Status:** approved\n* **Last Updated:** 2021-03\n\n## Decision\n\nY.\n",
        );
        assert_eq!((b.number, b.draft.date), (None, None));
        assert!(b.draft.context.contains("**Last Updated:** 2021-03"));
        // Numbers that only look like a year and a month stay numbers.
        for (name, number) in [
            ("0012-12-factor-config.md", 12),
            ("2021-13-x.md", 2021),
            ("2021-03.md", 2021),
        ] {
            assert_eq!(number_prefix(stem(name)), Some(number), "{name}");
        }
    }

    #[test]
    fn vietnamese_status_phrases() {
        let a = parsed_as("ADR-0011-x.md", "# ADR-0011: X\n\n- **Trạng thái:** Đã chấp nhận\n- **Ngày:** 2026-09-22\n\n## Bối cảnh\n\nVì sao.\n", AdrStatus::Accepted, date("2026-09-22"));
        assert_eq!(a.draft.context, "");
        parsed_as(
            "ADR-0002-x.md",
            "# ADR-0002 — X\n\nNgày: 07.09.2026 · Trạng thái: đề xuất\n\n## Bối cảnh\nVì sao.\n",
            AdrStatus::Proposed,
            date("2026-09-07"),
        );
        // Explained: the status, and the line stays for its words.
        let c = parsed(
            "ADR-0023-x.md",
            "# ADR-0023 — X\n\n- **Trạng thái:** Đã chấp nhận (người dùng quyết định)\n\n## Bối cảnh\n\nVì sao.\n",
        );
        assert_eq!(c.draft.status, AdrStatus::Accepted);
        assert!(c.draft.context.contains("(người dùng quyết định)"));
    }

    #[test]
    fn good_bad_and_neutral_bullets_with_a_colon_are_arguments() {
        // `- Positive:` / `- Negative:` as specful (Reverie) and AdaCore write them.
        // `- Pro:` / `- Con:` as hueneburg's MADR 2 records write an option's.
        for (good, bad) in [("Good", "Bad"), ("Positive", "Negative"), ("Pro", "Con")] {
            let a = parsed(
                "0004-x.md",
                &"# 4. X\n\n## Considered Options\n\n1. Context (chosen)\n2. Redux\n\n## Decision Outcome\n\nChosen option: Context.\n\n### Consequences\n\n- Good: no dependency\n- Bad: verbose\n- Neutral: same speed\n\n## Pros and Cons of the Options\n\n### Context\n\n- Good: built in\n- Bad: boilerplate\n\n### Redux\n\nA store.\n\n- Good: DevTools\n"
                    .replace("- Good:", &format!("- {good}:"))
                    .replace("- Bad:", &format!("- {bad}:")),
            );
            let c = &a.draft.consequences;
            assert_eq!(
                (&c.good[..], &c.bad[..]),
                (
                    &["no dependency".to_string()][..],
                    &["verbose".to_string()][..]
                )
            );
            assert_eq!(c.neutral, ["same speed"]);
            assert_eq!(a.draft.decision_outcome, "Chosen option: Context.");
            let o = &a.draft.considered_options;
            // Numbered options read as listed, the marker kept in the title; the
            // pros and cons join them by the words before it.
            assert_eq!(o.len(), 2);
            assert_eq!(o[0].title, "Context (chosen)");
            assert_eq!(
                (&o[0].pros[..], &o[0].cons[..]),
                (
                    &["built in".to_string()][..],
                    &["boilerplate".to_string()][..]
                )
            );
            assert_eq!(
                (o[1].title.as_str(), o[1].description.as_str()),
                ("Redux", "A store.")
            );
            assert_eq!(o[1].pros, ["DevTools"]);
            assert!(a.draft.sections.is_empty(), "{:?}", a.draft.sections);
        }
        // A top-level `## Consequences` of such bullets, and `## Options
        // considered` as MADR's heading in other words.
        let b = parsed(
            "0001-x.md",
            "# 1. X\n\n- Status: accepted\n\n## Options considered\n\n1. **A**: plain files.\n2. **B**: a wiki.\n\n## Consequences\n\n- Good: reviewable\n- Bad: overhead\n",
        );
        assert_eq!(b.draft.considered_options.len(), 2);
        assert_eq!(b.draft.considered_options[1].title, "**B**: a wiki.");
        assert_eq!(b.draft.consequences.bad, ["overhead"]);
        // A bullet that only starts like one stays text.
        let d = parsed(
            "0002-y.md",
            "# 2. Y\n\n## Consequences\n\n- Goodness: x\n- Positively: y\n- Good: y\n",
        );
        assert!(d.draft.consequences.good.is_empty());
        assert_eq!(
            d.draft.sections[0].body,
            "- Goodness: x\n- Positively: y\n- Good: y"
        );
    }

    #[test]
    fn related_and_amended_records_in_other_languages() {
        let related = |numbers: &[u32]| -> Vec<(LinkKind, LinkTarget)> {
            numbers
                .iter()
                .map(|&n| (LinkKind::RelatesTo, LinkTarget::Number(n)))
                .collect()
        };
        // Polish: each record described in brackets, so the line stays too.
        let a = parsed(
            "0011-x.md",
            "# ADR 0011 — X\n\n- Status: Zaakceptowany\n- Data: 2026-06-29\n- Powiązane: ADR 0005 (EVC), ADR 0009 (strumienie (per archetyp))\n\n## Kontekst\n\nTekst.\n",
        );
        assert_eq!(a.links, related(&[5, 9]));
        assert_eq!(
            a.draft.context,
            "- Powiązane: ADR 0005 (EVC), ADR 0009 (strumienie (per archetyp))"
        );
        // An item that is no record before one that is.
        let b = parsed(
            "0023-x.md",
            "# 0023. X\n\n- Status: zaakceptowana\n- Zmienia: CLAUDE.md (Bezpieczeństwo, `a, b`), ADR 0009 (CSP)\n\n## Kontekst\n\nTekst.\n",
        );
        assert_eq!(b.links, [(LinkKind::Amends, LinkTarget::Number(9))]);
        assert!(b.draft.context.starts_with("- Zmienia: CLAUDE.md"));
        // Turkish, wrapped onto the next line; a key that only starts with
        // the word (`İlgili görev:`) is no link.
        let c = parsed(
            "0012-x.md",
            "# ADR-0012: X\n\n- **Durum:** Kabul edildi\n- **İlgili görev:** DW-30\n- **İlgili:** ADR-0011 (deneme),\n  ADR-0007 (erteleme)\n\n## Bağlam\n\nMetin.\n",
        );
        assert_eq!(c.links, related(&[11, 7]));
        assert!(c
            .draft
            .context
            .starts_with("- **İlgili görev:** DW-30\n- **İlgili:** ADR-0011"));
        // Links alone, nothing left over: read, and the lines go.
        let d = parsed(
            "0003-x.md",
            "# 3. X\n\n- Status: geaccepteerd\n- Gerelateerd: ADR-1, ADR-2\n- Gewijzigd door: [ADR 4](0004-y.md)\n\n## Context\n\nTekst.\n",
        );
        let mut expected = related(&[1, 2]);
        expected.push((LinkKind::AmendedBy, LinkTarget::Number(4)));
        assert_eq!(d.links, expected);
        assert_eq!(d.draft.context, "Tekst.");
        // A "related" word in a sentence is no key; a file that is no record
        // gives no link.
        let e = parsed(
            "0004-x.md",
            "# 4. X\n\n- Status: accepted\n- Powiązane: `docs/plans/x.md`\n\n## Kontekst\n\nPowiązane ADR 5 z planem.\n",
        );
        assert!(e.links.is_empty(), "{:?}", e.links);
    }

    #[test]
    fn polish_ukrainian_russian_and_dutch_month_names_and_indonesian_statuses() {
        for (line, day) in [
            ("**Дата:** 17 квітня 2026", "2026-04-17"),
            ("- Data: 29 czerwca 2026", "2026-06-29"),
            ("Дата: 3 сентября 2025", "2025-09-03"),
            ("Datum: 14 maart 2026", "2026-03-14"),
        ] {
            let a = parsed_as(
                "0001-x.md",
                &format!("# 1. X\n\nStatus: accepted\n{line}\n\n## Context\n\nWhy.\n"),
                AdrStatus::Accepted,
                date(day),
            );
            assert_eq!(a.draft.context, "Why.", "{line}");
        }
        // An unknown month stays as written.
        let b = parsed(
            "0002-x.md",
            "# 2. X\n\nStatus: accepted\nДата: 17 квітеня 2026\n\n## Context\n\nWhy.\n",
        );
        assert_eq!(b.draft.date, None);
        parsed_as(
            "ADR-0025-x.md",
            "# ADR-0025 — X\n\n- Status: diterima\n- Tanggal: 2026-09-30\n\n## Konteks\n\nK.\n",
            AdrStatus::Accepted,
            None,
        );
        let c = parsed_as(
            "0007-x.md",
            "# 7. X\n\n- Status: digantikan oleh ADR-0009\n\n## Konteks\n\nK.\n",
            AdrStatus::Superseded,
            None,
        );
        assert_eq!(c.links, [(LinkKind::SupersededBy, LinkTarget::Number(9))]);
    }

    #[test]
    fn a_link_after_a_middle_dot_in_the_status_line_is_read() {
        // `**Status:** Accepted · 2026-09-09 · **Supersedes [ADR-0010](...)**`
        // (real files round 20): the clauses are set apart by middle dots,
        // and the link was left as text only.
        let a = parsed_as(
            "0019-x.md",
            "# ADR-0019 · X\n\n**Status:** Accepted · 2026-09-09 · **Supersedes [ADR-0010](0010-y.md)**\n\n## Context\n\nWhy.\n",
            AdrStatus::Accepted,
            date("2026-09-09"),
        );
        assert_eq!(a.links, [(LinkKind::Supersedes, LinkTarget::Number(10))]);
        assert!(a
            .draft
            .context
            .starts_with("**Status:** Accepted · 2026-09-09 · **Supersedes"));
    }

    #[test]
    fn a_wrapped_sentence_about_a_consequence_does_not_supersede_the_record() {
        // pi-subagent's ADR-0005: accepted, and one consequence superseded
        // by a later record, the sentence wrapped so that a line starts with
        // `superseded by`. That line was read as the record's own link line,
        // and the import then marked the accepted record superseded.
        let a = parsed_as(
            "0005-x.md",
            "# 5. X\n\n## Status\n\nAccepted. Supersedes [ADR-0004](0004-x.md). The\nlogging consequence is\nsuperseded by [ADR-0007](0007-y.md), and the\nretry consequence by [ADR-0010](0010-z.md).\n\n## Context\n\nWhy.\n",
            AdrStatus::Accepted,
            None,
        );
        assert_eq!(a.links, [(LinkKind::Supersedes, LinkTarget::Number(4))]);
        let kept = &a.draft.sections[0];
        assert_eq!(kept.heading, "Status");
        assert!(kept.body.contains(
            "logging consequence is\nsuperseded by [ADR-0007](0007-y.md), and the\nretry"
        ));
        // A link line of its own under the status word still gives the
        // link (the import then marks the record superseded).
        let b = parsed_as(
            "0005-x.md",
            "# 5. X\n\n## Status\n\naccepted\nsuperseded by [ADR-0007](0007-y.md)\n\n## Context\n\nWhy.\n",
            AdrStatus::Accepted,
            None,
        );
        assert_eq!(b.links, [(LinkKind::SupersededBy, LinkTarget::Number(7))]);
    }

    #[test]
    fn paragraphs_after_a_superseded_by_status_line_stay_as_text() {
        // SOTER's records: the status line, then why; NosTale's: the status
        // in bold wrapped onto a second line. The lines after the link read
        // as a custom status and were lost.
        for status in [
            "Superseded by [ADR-0007](./0007-y.md)",
            "Superseded by [ADR-0007](./0007-y.md) (2026-05-14)",
            "**Superseded by [ADR-0007](0007-y.md). Nothing\nbelow is in force.**",
        ] {
            let a = parsed_as(
                "0006-x.md",
                &format!("# ADR-0006: X\n\n## Status\n\n{status}\n\nMade in isolation.\n\n**Originally:** Accepted.\n\n## Context\n\nWhy.\n"),
                AdrStatus::Superseded,
                None,
            );
            assert_eq!(
                a.links,
                [(LinkKind::SupersededBy, LinkTarget::Number(7))],
                "{status}"
            );
            let kept = &a.draft.sections[0];
            assert_eq!(kept.heading, "Status");
            assert!(
                kept.body
                    .ends_with("Made in isolation.\n\n**Originally:** Accepted."),
                "{status}: {kept:?}"
            );
            assert_eq!(a.draft.context, "Why.");
        }
        // A status word after the link is still the status.
        parsed_as(
            "0006-x.md",
            "# 6. X\n\n## Status\n\nAmended by [ADR-9](0009-y.md)\n\nAccepted\n\n## Context\n\nWhy.\n",
            AdrStatus::Accepted,
            None,
        );
    }

    #[test]
    fn decided_on_and_resolved_dates_date_an_undated_record() {
        let fm =
            |keys: &str| format!("---\nstatus: accepted\n{keys}---\n\n# X\n\n## Context\n\nWhy.\n");
        for (keys, day) in [
            // specful: decided before it was recorded.
            (
                "recorded-on: \"2026-09-05\"\ndecided-on: \"2026-06-08\"\n",
                "2026-06-08",
            ),
            (
                "decided-on: 2026-06-08\nrecorded-on: 2026-09-05\n",
                "2026-06-08",
            ),
            ("recorded-on: \"2026-09-30\"\n", "2026-09-30"),
            // Memoria's Jekyll keys.
            (
                "date_proposed: 2026-06-01\ndate_resolved: 2026-06-14\n",
                "2026-06-14",
            ),
            // A `date:` is the record's date.
            ("date: 2026-01-02\ndecided-on: 2026-06-08\n", "2026-01-02"),
        ] {
            let a = parsed_as("0001-x.md", &fm(keys), AdrStatus::Accepted, date(day));
            // The keys stay as written.
            assert!(
                a.draft.extra_front_matter.iter().all(|(k, _)| k != "date"),
                "{keys}"
            );
        }
    }

    #[test]
    fn option_n_headings_give_the_listed_options_their_arguments() {
        // elastisys: `1.` options, pros and cons under `### Option 1`.
        let a = parsed(
            "0054-x.md",
            "# X\n\n- Status: Accepted\n\n## Considered Options\n\n1. Allow by default.\n\n1. Never allow.\n\n## Decision Outcome\n\n**Chosen Option:** Option 2: Never allow.\n\n## Pros and Cons of the Options\n\n### Option 2\n\n- Bad, because strict.\n\n### Option 1\n\n- Good, because flexible.\n\n### Option 3\n\n- Good, because none.\n",
        );
        let options: Vec<(&str, &[String], &[String])> = a
            .draft
            .considered_options
            .iter()
            .map(|o| (o.title.as_str(), o.pros.as_slice(), o.cons.as_slice()))
            .collect();
        assert_eq!(
            options,
            [
                ("Allow by default.", &["flexible.".to_string()][..], &[][..]),
                ("Never allow.", &[][..], &["strict.".to_string()][..]),
                // No third option listed: its heading is an option of its own.
                ("Option 3", &["none.".to_string()][..], &[][..]),
            ]
        );
        assert_eq!(option_ordinal("option #2"), Some(2));
        assert_eq!(option_ordinal("Options 2"), None);
        assert_eq!(option_ordinal("Option B"), None);
    }
}
