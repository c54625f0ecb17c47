//! Folders of Markdown ADRs in and out: the IO around the pure parsers and
//! renderers in `plasma_exports`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use plasma_exports::adr_markdown::{self, Classified, LinkTarget, ParsedAdr};
use plasma_exports::graph_export;
use plasma_models::{Adr, AdrLink, AdrStatus, DecisionGraph, LinkKind, Section};
use plasma_storage::{ImportAction, ImportItem, Store};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::{Result, WorkbenchError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportReport {
    pub created: Vec<u32>,
    pub updated: Vec<u32>,
    pub unchanged: Vec<u32>,
    /// Files recognised as not being ADRs (index, README, templates).
    pub skipped: Vec<ImportNotice>,
    /// Files that could not be imported; nothing of them was written.
    pub failed: Vec<ImportNotice>,
    /// Files whose number another file of the folder has (a merge of two
    /// branches often leaves two `0006-*.md`): imported under another
    /// number, which later imports of the folder keep.
    pub renumbered: Vec<ImportNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportNotice {
    pub file: String,
    pub line: Option<u32>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ExportReport {
    pub dir: String,
    pub files: Vec<String>,
}

struct Candidate {
    file: String,
    parsed: ParsedAdr,
    number: Option<u32>,
}

fn stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let name = name.split('#').next().unwrap_or(name);
    name.strip_suffix(".md").unwrap_or(name)
}

fn notice(file: &str, line: Option<usize>, reason: impl Into<String>) -> ImportNotice {
    ImportNotice {
        file: file.to_string(),
        line: line.and_then(|l| u32::try_from(l).ok()),
        reason: reason.into(),
    }
}

enum Parsed {
    /// The record, and which way round its file writes a slash date.
    Adr(Box<ParsedAdr>, Option<bool>),
    Skipped(String),
    Failed(Option<usize>, String),
}

fn parse_one(file: &str, bytes: std::io::Result<Vec<u8>>) -> Parsed {
    let text = match bytes {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => t,
            Err(_) => return Parsed::Failed(None, "the file is not UTF-8 text".into()),
        },
        Err(e) => return Parsed::Failed(None, format!("cannot read it: {e}")),
    };
    match adr_markdown::parse_file(file, &text) {
        Ok(Classified::Adr(parsed)) => {
            Parsed::Adr(Box::new(parsed), adr_markdown::written_day_first(&text))
        }
        Ok(Classified::Skipped { reason }) => Parsed::Skipped(reason),
        Err(e) => Parsed::Failed(Some(e.line), e.reason),
    }
}

/// Loads (with `load`) and parses every file on every core: reading and
/// parsing are per file, so each thread reads its own share. Results keep
/// the input's order.
fn parse_all<T: Send>(
    files: Vec<(String, T)>,
    load: impl Fn(T) -> std::io::Result<Vec<u8>> + Sync,
) -> Vec<(String, Parsed)> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let one = |(f, source): (String, T)| {
        let p = parse_one(&f, load(source));
        (f, p)
    };
    if threads < 2 || files.len() < 64 {
        return files.into_iter().map(one).collect();
    }
    let chunk = files.len().div_ceil(threads);
    let mut chunks: Vec<Vec<(String, T)>> = Vec::new();
    let mut rest = files;
    while rest.len() > chunk {
        let tail = rest.split_off(chunk);
        chunks.push(rest);
        rest = tail;
    }
    chunks.push(rest);
    let one = &one;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(parsed) => parsed,
                // A panic in a parser is a bug; keep it a panic.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

/// `X.fr.md` (`X.pt-BR.md`) when the folder also holds `X.md`, or
/// `0009-fr-y.md` when it holds one other record numbered 0009: the
/// record's stem and the language.
fn translation_of(file: &str, stems: &BTreeSet<String>) -> Option<(String, String)> {
    let s = stem(file);
    if let Some((base, lang)) = s.rsplit_once('.') {
        let (code, region) = match lang.split_once(['-', '_']) {
            Some((c, r)) => (c, Some(r)),
            None => (lang, None),
        };
        let is_code = code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase());
        let is_region =
            region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()));
        if is_code && is_region && stems.contains(base) {
            return Some((base.to_string(), lang.to_string()));
        }
    }
    // `0009-fr-utiliser-kebab-case.md` beside `0009-use-kebab-casing.md`:
    // the language after the number, and one record of that number
    // without one.
    let (number, lang) = lang_after_number(s)?;
    let mut records = stems
        .iter()
        .filter(|o| o.as_str() != s)
        .filter(|o| {
            o.strip_prefix(number)
                .is_some_and(|r| r.starts_with(['-', '_']))
        })
        .filter(|o| lang_after_number(o).is_none());
    match (records.next(), records.next()) {
        (Some(base), None) => Some((base.clone(), lang.to_string())),
        _ => None,
    }
}

/// `0009-fr-slug`: the number and a two-letter language code after it.
fn lang_after_number(stem: &str) -> Option<(&str, &str)> {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = stem.split_at(digits);
    let rest = rest.strip_prefix(['-', '_'])?;
    let code = rest.get(..2)?;
    let after = rest[2..].starts_with(['-', '_']);
    (digits > 0 && after && code.bytes().all(|b| b.is_ascii_lowercase())).then_some((number, code))
}

/// `*.md`, in any case.
fn is_markdown_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".md")
}

/// Every `*.md` file of `dir` (not recursively), in file-name order: names
/// and paths, read later by the parsing threads.
fn list_markdown_files(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| WorkbenchError::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| WorkbenchError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_markdown_name(&name) {
            continue;
        }
        let path = entry.path();
        // A regular file, or a link to one (the entry's type needs no
        // `stat` of its own on most file systems).
        let is_file = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_file(),
            _ => path.is_file(),
        };
        if is_file {
            files.push((name, path));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

pub(crate) async fn import_dir(store: &Store, workspace: Uuid, dir: &Path) -> Result<ImportReport> {
    if !dir.is_dir() {
        return Err(WorkbenchError::Io {
            path: dir.display().to_string(),
            reason: if dir.exists() {
                "a file, not a folder: choose the folder that holds the ADRs".into()
            } else {
                "no such folder".into()
            },
        });
    }
    let files = list_markdown_files(dir)?;
    let mut report = import_parsed(store, workspace, parse_all(files, std::fs::read)).await?;
    // Records in another markup (reStructuredText, AsciiDoc, ...) are named:
    // a folder of them would otherwise import nothing without a word.
    for name in other_markup_files(dir) {
        let lower = name.to_ascii_lowercase();
        let reason = if lower.ends_with(".markdown") || lower.ends_with(".mdx") {
            // Markdown under another extension: say how to bring it in.
            "only *.md files are read as ADRs; rename it to .md to import it".to_string()
        } else if !name.contains('.') {
            format!("no file extension: only *.md files are read as ADRs; rename it to {name}.md to import it")
        } else {
            "not Markdown: only *.md files are read as ADRs".to_string()
        };
        report.skipped.push(notice(&name, None, reason));
    }
    // A folder is one set of records (numbers are per folder); records in
    // a subfolder are named, not silently left behind.
    let subfolders = markdown_subfolders(dir);
    let found_nothing = report.created.is_empty()
        && report.updated.is_empty()
        && report.unchanged.is_empty()
        && report.failed.is_empty()
        && subfolders.is_empty();
    for (name, count) in subfolders {
        let path = dir.join(&name);
        report.skipped.push(notice(
            &format!("{name}/"),
            None,
            format!(
                "a subfolder with {count} Markdown file{}; a folder is imported on its own (import {} to add them)",
                if count == 1 { "" } else { "s" },
                path.display()
            ),
        ));
    }
    if found_nothing {
        // Pointed at a repository's root, say, rather than at its ADRs.
        let reason = match adr_folder_within(dir) {
            Some((within, count, why)) => format!(
                "no ADRs in this folder; {within} holds {count} Markdown file{} ({why}): import {}",
                if count == 1 { "" } else { "s" },
                dir.join(&within).display()
            ),
            None => "no ADRs (.md files) in this folder: nothing was imported".into(),
        };
        report
            .skipped
            .push(notice(&dir.display().to_string(), None, reason));
    }
    Ok(report)
}

/// Files of `dir` in a markup other than Markdown's `.md` that ADRs are
/// written in, and numbered files with no extension at all (easi-app's
/// `0031-do-not-use-server-side-pagination`), in name order.
fn other_markup_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            let numbered_without_extension =
                !lower.contains('.') && lower.starts_with(|c: char| c.is_ascii_digit());
            !lower.starts_with('.')
                && ([".rst", ".adoc", ".asciidoc", ".markdown", ".mdx", ".org"]
                    .iter()
                    .any(|ext| lower.ends_with(ext))
                    || numbered_without_extension)
        })
        .filter(|name| dir.join(name).is_file())
        .collect();
    out.sort();
    out
}

/// The subfolders of `dir` (not hidden) that hold `*.md` files, with how
/// many, in name order. Unreadable ones are left out: this is a notice.
/// Where a repository whose root was chosen keeps its ADRs: the folder
/// adr-tools' `.adr-dir` names, else the first of the usual places that
/// holds Markdown files; with the count and why it was chosen.
fn adr_folder_within(root: &Path) -> Option<(String, usize, &'static str)> {
    let count = |within: &str| markdown_file_count(&root.join(within));
    if let Ok(named) = std::fs::read_to_string(root.join(".adr-dir")) {
        let named = named.trim().trim_end_matches('/').to_string();
        if let Some(n) = count(&named).filter(|&n| n > 0) {
            return Some((named, n, "the folder .adr-dir names"));
        }
    }
    const USUAL: [&str; 8] = [
        "docs/adr",
        "doc/adr",
        "docs/decisions",
        "docs/architecture/decisions",
        "doc/architecture/decisions",
        "docs/architecture/adr",
        "adr",
        "decisions",
    ];
    USUAL.iter().find_map(|within| {
        count(within)
            .filter(|&n| n > 0)
            .map(|n| (within.to_string(), n, "a usual place for ADRs"))
    })
}

/// How many Markdown files `dir` holds (not counting its subfolders);
/// `None` when it cannot be read.
fn markdown_file_count(dir: &Path) -> Option<usize> {
    let entries = std::fs::read_dir(dir).ok()?;
    Some(
        entries
            .flatten()
            .filter(|f| is_markdown_name(&f.file_name().to_string_lossy()) && f.path().is_file())
            .count(),
    )
}

fn markdown_subfolders(dir: &Path) -> Vec<(String, usize)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, usize)> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            let count = markdown_file_count(&e.path())?;
            (count > 0).then_some((name, count))
        })
        .collect();
    out.sort();
    out
}

async fn import_parsed(
    store: &Store,
    workspace: Uuid,
    parsed: Vec<(String, Parsed)>,
) -> Result<ImportReport> {
    let existing = store.list_adrs(workspace).await?;
    write_import(store, workspace, plan_import(&existing, parsed)).await
}

/// The records `files` make in a workspace that holds none yet, and what
/// was skipped or failed: a new workspace's import, written by the caller.
pub(crate) fn new_workspace_items(
    files: Vec<(String, std::io::Result<Vec<u8>>)>,
) -> (Vec<ImportItem>, ImportReport) {
    let plan = plan_import(&[], parse_all(files, |bytes| bytes));
    (plan.items, plan.report)
}

/// An import worked out from the records read before its write.
struct ImportPlan {
    report: ImportReport,
    items: Vec<ImportItem>,
    /// Files whose number the import chose (neither their name nor their
    /// title gave one they could keep): settled again under the write lock.
    assigned: BTreeSet<String>,
    /// (file, the number it gives, the file that keeps that number).
    clashes: Vec<(String, u32, String)>,
}

fn plan_import(existing: &[Adr], parsed: Vec<(String, Parsed)>) -> ImportPlan {
    let mut report = ImportReport::default();
    let stems: BTreeSet<String> = parsed.iter().map(|(f, _)| stem(f).to_string()).collect();
    // A folder that writes its slash dates day first (and none month
    // first) reads its ambiguous ones (`01/06/2019`) so too.
    let orders: Vec<bool> = parsed
        .iter()
        .filter_map(|(_, p)| match p {
            Parsed::Adr(_, order) => *order,
            _ => None,
        })
        .collect();
    let day_first = !orders.is_empty() && orders.iter().all(|&d| d);
    let mut candidates = Vec::new();
    for (file, outcome) in parsed {
        // `0077-x.fr.md` beside `0077-x.md`: the same record in another
        // language, not a second record with that number.
        if let Some((base, lang)) = translation_of(&file, &stems) {
            report.skipped.push(notice(
                &file,
                None,
                format!("a translation ({lang}) of {base}.md, which is the record"),
            ));
            continue;
        }
        match outcome {
            Parsed::Adr(mut parsed, _) => {
                if day_first {
                    adr_markdown::settle_day_first_date(&mut parsed);
                }
                candidates.push(Candidate {
                    number: parsed.number,
                    file,
                    parsed: *parsed,
                })
            }
            Parsed::Skipped(reason) => report.skipped.push(notice(&file, None, reason)),
            Parsed::Failed(line, reason) => report.failed.push(notice(&file, line, reason)),
        }
    }

    // Numbers: as written, else the number this file got on an earlier
    // import, else the next free ones in file-name (for log4brains: date) order.
    let by_source: BTreeMap<&str, u32> = existing
        .iter()
        .filter_map(|a| a.source_path.as_deref().map(|p| (p, a.number)))
        .collect();
    for c in candidates.iter_mut().filter(|c| c.number.is_none()) {
        c.number = by_source.get(c.file.as_str()).copied();
    }
    // A number two files give: the first (in file-name order) keeps it; the
    // other takes the number an earlier import gave it, else the next free.
    let mut owner: BTreeMap<u32, String> = BTreeMap::new();
    let mut clashes: Vec<(usize, u32, String)> = Vec::new();
    for (i, c) in candidates.iter_mut().enumerate() {
        let Some(n) = c.number else { continue };
        match owner.get(&n) {
            Some(first) => {
                clashes.push((i, n, first.clone()));
                c.number = None;
            }
            None => {
                owner.insert(n, c.file.clone());
            }
        }
    }
    for &(i, _, _) in &clashes {
        let c = &mut candidates[i];
        if let Some(&n) = by_source.get(c.file.as_str()) {
            if let std::collections::btree_map::Entry::Vacant(free) = owner.entry(n) {
                free.insert(c.file.clone());
                c.number = Some(n);
            }
        }
    }
    let mut next = existing
        .iter()
        .map(|a| a.number)
        .chain(owner.keys().copied())
        .max()
        .map_or(1, |n| n.saturating_add(1));
    for c in candidates.iter_mut().filter(|c| c.number.is_none()) {
        c.number = Some(next);
        next = next.saturating_add(1);
    }
    let mut assigned: BTreeSet<String> = candidates
        .iter()
        .filter(|c| c.parsed.number.is_none())
        .map(|c| c.file.clone())
        .collect();
    let clashes: Vec<(String, u32, String)> = clashes
        .into_iter()
        .map(|(i, written, first)| {
            assigned.insert(candidates[i].file.clone());
            (candidates[i].file.clone(), written, first)
        })
        .collect();

    // Links written as file names resolve through this import, then through
    // earlier imports. A link that resolves nowhere is kept as text.
    let mut stems: BTreeMap<String, u32> = existing
        .iter()
        .filter_map(|a| {
            a.source_path
                .as_deref()
                .map(|p| (stem(p).to_string(), a.number))
        })
        .collect();
    for c in &candidates {
        if let Some(n) = c.number {
            stems.insert(stem(&c.file).to_string(), n);
        }
    }
    let mut items: Vec<ImportItem> = Vec::new();
    for c in candidates {
        let number = c.number.unwrap_or_default();
        let mut draft = c.parsed.draft;
        let mut unresolved = Vec::new();
        for (kind, target) in c.parsed.links {
            let resolved = match &target {
                LinkTarget::Number(n) => Some(*n),
                LinkTarget::File(f) => stems.get(stem(f)).copied(),
            };
            match resolved {
                Some(target) if target != number => {
                    let link = AdrLink { kind, target };
                    if !draft.links.contains(&link) {
                        draft.links.push(link);
                    }
                }
                Some(_) => {}
                None => {
                    if let LinkTarget::File(f) = target {
                        unresolved.push(format!("* {} [{}]({}.md)", kind.label(), stem(&f), f));
                    }
                }
            }
        }
        if !unresolved.is_empty() {
            draft.sections.push(Section {
                heading: "Unresolved links".into(),
                level: 2,
                body: unresolved.join("\n"),
            });
        }
        items.push(ImportItem {
            number,
            draft,
            source_path: c.file,
        });
    }

    complete_inverse_links(&mut items);
    ImportPlan {
        report,
        items,
        assigned,
        clashes,
    }
}

async fn write_import(store: &Store, workspace: Uuid, plan: ImportPlan) -> Result<ImportReport> {
    let ImportPlan {
        mut report,
        items,
        assigned,
        clashes,
    } = plan;
    // Numbers the import chose, and a set that supersedes itself in a
    // circle (refused file by file), are settled on the records stored
    // under the import's write lock: another process may have created an
    // ADR or saved links since `existing` was read.
    let failed = &mut report.failed;
    let mut taken = Vec::new();
    let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
    let outcome = store
        .import_adrs_checked(workspace, items, |stored, mut items| {
            taken = settle_numbers(stored, &mut items, &assigned);
            numbers = items
                .iter()
                .map(|i| (i.source_path.clone(), i.number))
                .collect();
            drop_cycles(stored, &mut items, workspace, failed);
            Ok::<_, WorkbenchError>(items)
        })
        .await?;
    for (file, written, first) in &clashes {
        let now = numbers.get(file).copied().unwrap_or_default();
        report.renumbered.push(notice(
            file,
            None,
            format!(
                "ADR number {written} is also used by {first} in this folder: imported as ADR-{now:04}"
            ),
        ));
    }
    for (file, planned, now) in taken {
        if clashes.iter().all(|(f, _, _)| *f != file) {
            report.renumbered.push(notice(
                &file,
                None,
                format!(
                    "ADR number {planned} was taken by a record saved elsewhere during this import: imported as ADR-{now:04}"
                ),
            ));
        }
    }
    for (number, action) in outcome.items {
        match action {
            ImportAction::Created => report.created.push(number),
            ImportAction::Updated => report.updated.push(number),
            ImportAction::Unchanged => report.unchanged.push(number),
        }
    }
    Ok(report)
}

/// Gives each item of an `assigned` file the number it may take now that
/// `stored` is read under the write lock: the number of the record an
/// earlier import made from the same file, else the planned one while no
/// record or other item has it, else the next free one. It never takes a
/// number another process gave a record meanwhile (the import would update
/// that record). Links to a changed number follow it. Returns (file,
/// planned, now) for each item moved to a next free number.
fn settle_numbers(
    stored: &[Adr],
    items: &mut [ImportItem],
    assigned: &BTreeSet<String>,
) -> Vec<(String, u32, u32)> {
    let stored_numbers: BTreeSet<u32> = stored.iter().map(|a| a.number).collect();
    let own: BTreeMap<&str, u32> = stored
        .iter()
        .filter_map(|a| a.source_path.as_deref().map(|p| (p, a.number)))
        .collect();
    let mut claimed: BTreeSet<u32> = items
        .iter()
        .filter(|i| !assigned.contains(&i.source_path))
        .map(|i| i.number)
        .collect();
    let mut next = stored_numbers
        .iter()
        .chain(items.iter().map(|i| &i.number))
        .max()
        .map_or(1, |n| n.saturating_add(1));
    let mut renumber: BTreeMap<u32, u32> = BTreeMap::new();
    let mut moved = Vec::new();
    for it in items
        .iter_mut()
        .filter(|i| assigned.contains(&i.source_path))
    {
        let planned = it.number;
        let number = match own.get(it.source_path.as_str()) {
            Some(&n) if !claimed.contains(&n) => n,
            None if !claimed.contains(&planned) && !stored_numbers.contains(&planned) => planned,
            _ => {
                let n = next;
                next = next.saturating_add(1);
                moved.push((it.source_path.clone(), planned, n));
                n
            }
        };
        claimed.insert(number);
        if number != planned {
            renumber.insert(planned, number);
            it.number = number;
        }
    }
    if !renumber.is_empty() {
        for it in items.iter_mut() {
            let mut links = Vec::with_capacity(it.draft.links.len());
            for mut link in std::mem::take(&mut it.draft.links) {
                link.target = renumber.get(&link.target).copied().unwrap_or(link.target);
                if link.target != it.number && !links.contains(&link) {
                    links.push(link);
                }
            }
            it.draft.links = links;
        }
    }
    moved
}

/// Tools often write a link on one side only ("Supersedes 1" in ADR 3 but
/// nothing in ADR 1). Within one import both sides are made to agree, and a
/// record that something supersedes is marked superseded.
fn complete_inverse_links(items: &mut [ImportItem]) {
    let index: BTreeMap<u32, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.number, i))
        .collect();
    let mut additions = Vec::new();
    for it in items.iter() {
        for link in &it.draft.links {
            if let Some(&target) = index.get(&link.target) {
                additions.push((
                    target,
                    AdrLink {
                        kind: link.kind.inverse(),
                        target: it.number,
                    },
                ));
            }
        }
    }
    for (i, link) in additions {
        let draft = &mut items[i].draft;
        if !draft.links.contains(&link) {
            draft.links.push(link);
        }
    }
    for it in items.iter_mut() {
        if it
            .draft
            .links
            .iter()
            .any(|l| l.kind == LinkKind::SupersededBy)
        {
            it.draft.status = AdrStatus::Superseded;
        }
    }
}

/// The decision graph as it would be after the import, for whole-set
/// checks. The graph reads numbers and links only, so the incoming records
/// are previewed with those alone (not copies of whole drafts).
/// Takes out of `items`, each with a notice in `failed`, those whose links
/// close a supersede cycle with each other or with `existing`.
fn drop_cycles(
    existing: &[Adr],
    items: &mut Vec<ImportItem>,
    workspace: Uuid,
    failed: &mut Vec<ImportNotice>,
) {
    loop {
        let Some(cycle) = preview_graph(existing, items, workspace).find_supersede_cycle() else {
            break;
        };
        let path = cycle
            .iter()
            .map(|n| format!("ADR {n}"))
            .collect::<Vec<_>>()
            .join(" supersedes ");
        let before = items.len();
        items.retain(|it| {
            let in_cycle = cycle.contains(&it.number);
            if in_cycle {
                failed.push(notice(
                    &it.source_path,
                    None,
                    format!("its links make a cycle: {path}"),
                ));
            }
            !in_cycle
        });
        if items.len() == before {
            // The cycle lies wholly in records already stored; not ours to fix.
            break;
        }
    }
}

fn preview_graph(existing: &[Adr], items: &[ImportItem], workspace: Uuid) -> DecisionGraph {
    let incoming: BTreeSet<u32> = items.iter().map(|i| i.number).collect();
    let blank = Adr::new(workspace, 0, Default::default(), chrono::Utc::now());
    let previews: Vec<Adr> = items
        .iter()
        .map(|i| Adr {
            number: i.number,
            links: i.draft.links.clone(),
            ..blank.clone()
        })
        .collect();
    DecisionGraph::build(
        existing
            .iter()
            .filter(|a| !incoming.contains(&a.number))
            .chain(&previews),
    )
}

/// Writes MADR 4 files, `index.md` (with the graph as Mermaid, which GitHub
/// renders) and the graph as `decision-graph.mmd` and `decision-graph.dot`.
pub(crate) fn export_dir(adrs: &[Adr], dir: &Path) -> Result<ExportReport> {
    std::fs::create_dir_all(dir).map_err(|e| WorkbenchError::io(dir, e))?;
    let names: BTreeMap<u32, String> = adrs
        .iter()
        .map(|a| (a.number, adr_markdown::file_name(a)))
        .collect();
    let resolve = |n: u32| names.get(&n).cloned();
    // Rendering and writing are per record and independent: every core takes a share.
    let mut files = parallel_map(adrs, |adr| {
        let name = names
            .get(&adr.number)
            .cloned()
            .unwrap_or_else(|| adr_markdown::file_name(adr));
        write_file(dir, &name, &adr_markdown::render_madr4_with(adr, &resolve))?;
        Ok(name)
    })
    .into_iter()
    .collect::<Result<Vec<String>>>()?;
    files.reserve(3);
    let mermaid = graph_export::mermaid(adrs);
    let index = format!(
        "{}\n## Decision graph\n\n```mermaid\n{}```\n",
        adr_markdown::render_index(adrs),
        mermaid
    );
    for (name, text) in [
        ("index.md", index),
        ("decision-graph.mmd", mermaid),
        ("decision-graph.dot", graph_export::dot(adrs)),
    ] {
        write_file(dir, name, &text)?;
        files.push(name.to_string());
    }
    Ok(ExportReport {
        dir: dir.display().to_string(),
        files,
    })
}

/// `f` over `items` on every core, in order; one thread below 64 items,
/// where starting threads costs more than it saves.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                // A panic in a renderer is a bug; keep it a panic.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

/// Writes `dir/name` so that a crash never costs an existing file: a file
/// that is already there is replaced by write-then-rename (it stays whole
/// until the new text is complete). A new file is created in place, which
/// `create_new` refuses when another writer made the name meanwhile (then
/// the rename path runs): an interrupted export can leave a new file short,
/// never an old one damaged, and the next export rewrites it. One system
/// call fewer per file halves the file-system work of exporting into a new
/// folder.
fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    use std::io::Write as _;
    let path = dir.join(name);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => file
            .write_all(text.as_bytes())
            .map_err(|e| WorkbenchError::io(&path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => replace_file(dir, name, text),
        Err(e) => Err(WorkbenchError::io(&path, e)),
    }
}

/// Write-then-rename, so the file at `dir/name` is whole before and after.
fn replace_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| WorkbenchError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| WorkbenchError::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Imports named file contents in one transaction; see [`ImportReport`].
    async fn import_files(
        store: &Store,
        workspace: Uuid,
        files: Vec<(String, std::io::Result<Vec<u8>>)>,
    ) -> Result<ImportReport> {
        import_parsed(store, workspace, parse_all(files, |bytes| bytes)).await
    }

    /// Ministry of Justice's cloud-platform writes `Date: 28/02/2019`: its
    /// `Date: 01/06/2019` is the first of June. A folder that also writes a
    /// month-first date leaves the ambiguous one as written.
    #[test]
    fn ambiguous_slash_dates_follow_the_folder() {
        let record = |n: u32, date: &str| {
            (
                format!("{n:03}-x.md"),
                Ok(
                    format!("# X\n\nDate: {date}\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n")
                        .into_bytes(),
                ),
            )
        };
        let dates = |files| {
            plan_import(&[], parse_all(files, |bytes| bytes))
                .items
                .into_iter()
                .map(|i| (i.draft.date.map(|d| d.to_string()), i.draft.context))
                .collect::<Vec<_>>()
        };
        let why = || "Why.".to_string();
        assert_eq!(
            dates(vec![record(10, "28/02/2019"), record(12, "01/06/2019")]),
            [
                (Some("2019-02-28".into()), why()),
                (Some("2019-06-01".into()), why())
            ]
        );
        assert_eq!(
            dates(vec![
                record(10, "28/02/2019"),
                record(11, "02/13/2019"),
                record(12, "01/06/2019")
            ]),
            [
                (Some("2019-02-28".into()), why()),
                (Some("2019-02-13".into()), why()),
                (None, "Date: 01/06/2019\n\nWhy.".into())
            ]
        );
    }

    /// Every operation the CLI's ADR commands and search make runs on a
    /// workbench with one database connection (`Workbench::open_sequential`)
    /// without waiting for a second one: none holds a connection while it
    /// asks for another.
    #[tokio::test]
    async fn one_connection_runs_every_adr_command() {
        use crate::{AdrFilter, Template, Workbench};
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("src");
        export_dir(&crate::generate::generate_adrs(30), &src).expect("generate");
        let db = dir.path().join("p.db");
        let run = async {
            let wb = Workbench::open_sequential(&db).await.expect("open");
            let report = wb.import_adrs(&src).await.expect("import");
            assert_eq!(report.created.len(), 30);
            assert_eq!(
                wb.list_adrs(&AdrFilter::default())
                    .await
                    .expect("list")
                    .len(),
                30
            );
            let new = wb
                .create_adr("Use one connection", Template::Madr4Minimal)
                .await
                .expect("new");
            let old = wb.get_adr_by_number(3).await.expect("show");
            wb.supersede(old.id, new.id).await.expect("supersede");
            assert!(!wb.revisions(old.id).await.expect("history").is_empty());
            assert!(!wb.search("decision").await.expect("search").is_empty());
            let out = dir.path().join("out");
            assert_eq!(wb.export_adrs(&out).await.expect("export").files.len(), 34);
            wb.import_adrs(&out).await.expect("import again");
            wb.close().await;
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), run)
            .await
            .expect("an operation waited for a second connection");
    }

    /// Records in a subfolder are not imported with the folder, and the
    /// report names the subfolder and how to import it.
    #[tokio::test]
    async fn a_subfolder_of_records_is_named_not_imported() {
        use crate::Workbench;
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("adr");
        std::fs::create_dir_all(src.join("payments")).expect("mkdir");
        std::fs::create_dir_all(src.join(".git")).expect("mkdir");
        std::fs::create_dir_all(src.join("images")).expect("mkdir");
        std::fs::write(
            src.join("0001-use-rust.md"),
            "# 1. Use Rust\n\nStatus: Accepted\n",
        )
        .expect("write");
        std::fs::write(src.join("payments/0001-use-stripe.md"), "# 1. Use Stripe\n")
            .expect("write");
        std::fs::write(
            src.join("payments/0002-use-ledger.md"),
            "# 2. Use a ledger\n",
        )
        .expect("write");
        std::fs::write(src.join(".git/notes.md"), "x").expect("write");
        std::fs::write(src.join("images/graph.png"), "x").expect("write");
        let wb = Workbench::open(&dir.path().join("p.db"))
            .await
            .expect("open");
        let report = wb.import_adrs(&src).await.expect("import");
        assert_eq!(report.created.len(), 1);
        let notices: Vec<(&str, &str)> = report
            .skipped
            .iter()
            .map(|n| (n.file.as_str(), n.reason.as_str()))
            .collect();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(notices[0].0, "payments/");
        // Records in another markup are named too.
        std::fs::write(src.join("0002-use-rst.rst"), "Use RST\n=======\n").expect("write");
        let report = wb.import_adrs(&src).await.expect("import");
        assert!(
            report
                .skipped
                .iter()
                .any(|n| n.file == "0002-use-rst.rst" && n.reason.contains("not Markdown")),
            "{:?}",
            report.skipped
        );
        // Markdown under another extension is not called "not Markdown".
        std::fs::write(src.join("0003-use-mdx.mdx"), "# 3. Use MDX\n").expect("write");
        let report = wb.import_adrs(&src).await.expect("import");
        assert!(
            report.skipped.iter().any(|n| n.file == "0003-use-mdx.mdx"
                && n.reason.contains("rename it to .md")
                && !n.reason.contains("not Markdown")),
            "{:?}",
            report.skipped
        );
        // A numbered record that lost its extension is named, with the name
        // to give it; a `Makefile` beside the records is not.
        std::fs::write(src.join("0004-no-pagination"), "# No pagination\n").expect("write");
        std::fs::write(src.join("Makefile"), "all:\n").expect("write");
        let report = wb.import_adrs(&src).await.expect("import");
        assert!(
            report.skipped.iter().any(|n| n.file == "0004-no-pagination"
                && n.reason.contains("rename it to 0004-no-pagination.md")),
            "{:?}",
            report.skipped
        );
        assert!(
            !report.skipped.iter().any(|n| n.file == "Makefile"),
            "{:?}",
            report.skipped
        );
        assert!(
            notices[0].1.contains("2 Markdown files") && notices[0].1.contains("payments"),
            "{notices:?}"
        );
        wb.close().await;
    }

    #[tokio::test]
    async fn a_translation_beside_its_record_is_skipped_with_a_notice() {
        use crate::Workbench;
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("adr");
        std::fs::create_dir_all(&src).expect("mkdir");
        // The translation sorts first; the record keeps the number.
        std::fs::write(
            src.join("0077-admit-a-rule.md"),
            "# ADR-0077 | Admit a rule\n\n**Status:** Accepted\n\n## Context\n\nC.\n",
        )
        .expect("write");
        std::fs::write(
            src.join("0077-admit-a-rule.fr.md"),
            "# ADR-0077 | Admettre une règle\n\n**Statut :** acceptée\n\n## Contexte\n\nC.\n",
        )
        .expect("write");
        // `0080-fr-slug.md` beside `0080-slug.md` too, whichever sorts first.
        std::fs::write(src.join("0080-use-kebab-case.md"), "# 80. Use kebab case\n")
            .expect("write");
        std::fs::write(
            src.join("0080-fr-utiliser-kebab-case.md"),
            "# 80. Utiliser kebab case\n",
        )
        .expect("write");
        // A dotted name with no record beside it is a record.
        std::fs::write(src.join("0078-use-v2.md.md"), "# 78. Use v2\n").expect("write");
        std::fs::write(src.join("0079-node.js.md"), "# 79. Node.js\n").expect("write");
        let wb = Workbench::open(&dir.path().join("p.db"))
            .await
            .expect("open");
        let report = wb.import_adrs(&src).await.expect("import");
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert_eq!(report.created, [77, 78, 79, 80]);
        assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
        assert_eq!(report.skipped[0].file, "0077-admit-a-rule.fr.md");
        assert!(report.skipped[0].reason.contains("0077-admit-a-rule.md"));
        assert_eq!(report.skipped[1].file, "0080-fr-utiliser-kebab-case.md");
        assert!(report.skipped[1].reason.contains("0080-use-kebab-case.md"));
        let adr = wb.get_adr_by_number(80).await.expect("show");
        assert_eq!(adr.title, "Use kebab case");
        let adr = wb.get_adr_by_number(77).await.expect("show");
        assert_eq!(adr.title, "Admit a rule");
        wb.close().await;
    }

    /// The app plans an import from its read; the CLI then creates the
    /// ADR numbered as the app planned for a file without a number. The
    /// file takes the next number free when the import writes, the CLI's
    /// record is left as it is, links to the file follow its number, and
    /// the report says the number it got.
    #[tokio::test]
    async fn a_number_the_import_chose_is_free_when_it_writes() {
        use crate::Workbench;
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("p.db");
        let app = Workbench::open(&db).await.expect("app");
        let cli = Store::open(&db).await.expect("cli");
        let ws = app.current_workspace().await.expect("workspace");
        let texts = [
            ("0001-use-rust.md", "# 1. Use Rust\n"),
            (
                "0002-drop-mysql.md",
                "# 2. Drop MySQL\n\n* Supersedes [Use MySQL](use-mysql.md)\n",
            ),
            ("use-mysql.md", "# Use MySQL\n"),
        ];
        let files = || {
            texts
                .iter()
                .map(|(f, t)| (f.to_string(), Ok(t.as_bytes().to_vec())))
                .collect::<Vec<_>>()
        };
        let existing = app.store().list_adrs(ws.id).await.expect("read");
        let plan = plan_import(&existing, parse_all(files(), |bytes| bytes));
        assert_eq!(
            plan.items.iter().map(|i| i.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );

        let theirs = cli
            .create_adr(
                ws.id,
                plasma_models::AdrDraft {
                    title: "Typed in the app meanwhile".into(),
                    ..Default::default()
                },
                Some(3),
                None,
            )
            .await
            .expect("cli ADR 3");

        let report = write_import(app.store(), ws.id, plan)
            .await
            .expect("import");
        assert_eq!(report.created, [1, 2, 4]);
        assert_eq!(report.renumbered.len(), 1, "{:?}", report.renumbered);
        assert_eq!(report.renumbered[0].file, "use-mysql.md");
        assert!(
            report.renumbered[0].reason.contains("ADR number 3")
                && report.renumbered[0].reason.contains("ADR-0004"),
            "{}",
            report.renumbered[0].reason
        );
        assert_eq!(
            app.store().get_adr(theirs.id).await.expect("theirs"),
            theirs,
            "the record made meanwhile is untouched"
        );
        let mysql = app.get_adr_by_number(4).await.expect("4");
        assert_eq!(mysql.title, "Use MySQL");
        assert_eq!(mysql.source_path.as_deref(), Some("use-mysql.md"));
        let drop = app.get_adr_by_number(2).await.expect("2");
        assert_eq!(
            drop.links,
            [AdrLink {
                kind: LinkKind::Supersedes,
                target: 4
            }]
        );
        assert_eq!(mysql.status, AdrStatus::Superseded);

        // A second import of the folder keeps the number the file got.
        let report = import_files(app.store(), ws.id, files())
            .await
            .expect("again");
        assert_eq!(report.unchanged, [1, 2, 4], "{report:?}");
        assert!(report.renumbered.is_empty());
        app.close().await;
        cli.close().await;
    }

    fn tmp_files(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn export_into_a_new_folder_writes_every_file_whole() {
        let adrs = crate::generate::generate_adrs(80);
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("adr");
        let report = export_dir(&adrs, &out).expect("export");
        assert_eq!(report.files.len(), 83);
        let first = &adrs[0];
        let text = std::fs::read_to_string(out.join(adr_markdown::file_name(first))).expect("read");
        let names: BTreeMap<u32, String> = adrs
            .iter()
            .map(|a| (a.number, adr_markdown::file_name(a)))
            .collect();
        assert_eq!(
            text,
            adr_markdown::render_madr4_with(first, &|n| names.get(&n).cloned())
        );
        assert!(tmp_files(&out).is_empty());
    }

    #[test]
    fn re_export_replaces_existing_files_and_keeps_them_whole_on_failure() {
        let mut adrs = crate::generate::generate_adrs(70);
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        std::fs::write(out.join("notes.txt"), "mine").expect("notes");
        export_dir(&adrs, out).expect("first export");
        let name = adr_markdown::file_name(&adrs[3]);
        let before = std::fs::read_to_string(out.join(&name)).expect("read");

        // An edited record replaces its file; other files stay.
        adrs[3].context = "A new context written after the first export.".into();
        export_dir(&adrs, out).expect("second export");
        let after = std::fs::read_to_string(out.join(&name)).expect("read");
        assert_ne!(after, before);
        assert!(after.contains("A new context written after the first export."));
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).expect("notes"),
            "mine"
        );
        assert!(tmp_files(out).is_empty());

        // When the replacement cannot be written, the existing file is
        // left as it was and the export says which file failed.
        std::fs::create_dir(out.join(format!(".{name}.tmp"))).expect("block the temp file");
        adrs[3].context = "Never written.".into();
        let err = export_dir(&adrs, out).expect_err("blocked");
        assert!(err.to_string().contains(&name), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join(&name)).expect("read"),
            after
        );
    }
}
