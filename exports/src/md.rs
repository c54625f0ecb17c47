//! Markdown structure on top of pulldown-cmark's offset iterator: we only
//! need byte ranges of top-level headings, lists and items, so that text can
//! be sliced verbatim from the source.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// A heading at the top level of a document (not inside a list or quote).
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub level: u8,
    /// Heading text as written (without `#` markers or setext underline).
    pub text: String,
    /// Byte offset of the start of the heading's first line.
    pub start: usize,
    /// Byte offset just after the heading (its underline, if setext).
    pub end: usize,
    /// An ATX heading written with a closing sequence (`## Links ##`). The
    /// export writes sections that are not structure this way, so import
    /// never maps such a heading onto a field.
    pub closed: bool,
}

pub(crate) fn line_start(src: &str, at: usize) -> usize {
    src.get(..at)
        .and_then(|s| s.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Offset just after the end of the line containing `at - 1` (including its
/// newline), or `at` when `at` already starts a line.
pub(crate) fn line_end_after(src: &str, at: usize) -> usize {
    if at == 0 || src.as_bytes().get(at - 1) == Some(&b'\n') {
        return at;
    }
    match src.get(at..).and_then(|s| s.find('\n')) {
        Some(i) => at + i + 1,
        None => src.len(),
    }
}

pub(crate) fn top_headings(src: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    if let Tag::Heading { level, .. } = tag {
                        let start = line_start(src, range.start);
                        let end = line_end_after(src, range.end);
                        let raw = src.get(start..end).unwrap_or("");
                        out.push(Heading {
                            level: level as u8,
                            text: heading_text(raw),
                            start,
                            end,
                            closed: heading_parts(raw).1,
                        });
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// The text of a heading's source: ATX markers and closing sequence removed,
/// or a setext heading's lines joined.
pub(crate) fn heading_text(raw: &str) -> String {
    heading_parts(raw).0
}

/// Heading text, and whether an ATX heading has a closing sequence.
fn heading_parts(raw: &str) -> (String, bool) {
    let trimmed = raw.trim_start_matches(' ');
    if trimmed.starts_with('#') {
        let line = trimmed.lines().next().unwrap_or("");
        let rest = line.trim_start_matches('#').trim();
        // Closing sequence: a run of `#` preceded by a space (or alone).
        let without = rest.trim_end_matches('#');
        if without.len() != rest.len() && (without.is_empty() || without.ends_with([' ', '\t'])) {
            (without.trim().to_string(), true)
        } else {
            (rest.to_string(), false)
        }
    } else {
        let lines: Vec<&str> = raw.trim_end().lines().collect();
        let n = lines.len().saturating_sub(1);
        let text = lines[..n]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        (text, false)
    }
}

/// A top-level block of a Markdown fragment.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    List {
        ordered: bool,
        items: Vec<Range<usize>>,
    },
    Other,
}

pub(crate) fn top_blocks(src: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                match (&tag, depth) {
                    (Tag::List(first), 0) => out.push(Block::List {
                        ordered: first.is_some(),
                        items: Vec::new(),
                    }),
                    (Tag::Item, 1) => {
                        if let Some(Block::List { items, .. }) = out.last_mut() {
                            items.push(range.clone());
                        }
                    }
                    (_, 0) => out.push(Block::Other),
                    _ => {}
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            // Top-level leaf events (rules, HTML, ...) are blocks too.
            _ if depth == 0 => out.push(Block::Other),
            _ => {}
        }
    }
    out
}

/// The items of `src` when it consists only of unordered lists.
pub(crate) fn pure_bullets(src: &str) -> Option<Vec<String>> {
    list_items(src, false)
}

/// Like [`pure_bullets`], numbered lists (`1. X`) too.
pub(crate) fn pure_list_items(src: &str) -> Option<Vec<String>> {
    list_items(src, true)
}

fn list_items(src: &str, numbered_too: bool) -> Option<Vec<String>> {
    let mut texts = Vec::new();
    for block in top_blocks(src) {
        match block {
            Block::List { ordered, items } if numbered_too || !ordered => {
                for r in items {
                    texts.push(item_text(src, r));
                }
            }
            _ => return None,
        }
    }
    Some(texts)
}

/// The content of a list item with its marker removed and continuation lines
/// dedented by the marker's width.
pub(crate) fn item_text(src: &str, r: Range<usize>) -> String {
    let ls = line_start(src, r.start);
    let raw = src.get(ls..r.end.min(src.len())).unwrap_or("");
    let bytes = raw.as_bytes();
    let mut w = 0;
    while w < bytes.len() && bytes[w] == b' ' {
        w += 1;
    }
    if w < bytes.len() && matches!(bytes[w], b'*' | b'-' | b'+') {
        w += 1;
    } else {
        while w < bytes.len() && bytes[w].is_ascii_digit() {
            w += 1;
        }
        if w < bytes.len() && matches!(bytes[w], b'.' | b')') {
            w += 1;
        }
    }
    let marker_end = w;
    while w < bytes.len() && bytes[w] == b' ' {
        w += 1;
    }
    if w - marker_end > 4 {
        w = marker_end + 1;
    }
    if w == marker_end && w < bytes.len() && bytes[w] != b'\n' {
        // Tab or other separator: keep it simple.
        w = marker_end;
    }
    let mut lines = Vec::new();
    for (i, line) in raw.split('\n').enumerate() {
        if i == 0 {
            lines.push(line.get(w..).unwrap_or("").to_string());
        } else {
            let lead = line.len() - line.trim_start_matches(' ').len();
            lines.push(line[lead.min(w)..].to_string());
        }
    }
    lines.join("\n").trim_end().to_string()
}

/// Renders an item: `* ` + text, continuation lines indented by two spaces.
pub(crate) fn bullet(text: &str) -> String {
    let mut out = String::from("* ");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str("  ");
            }
        }
        if i == 0 || !line.trim().is_empty() {
            out.push_str(line);
        }
    }
    out.trim_end().to_string()
}

/// Drops leading blank lines and trailing whitespace and turns `\r\n` and
/// `\r` into `\n` (Markdown reads a lone `\r` as a line break); keeps
/// everything else.
pub(crate) fn clean(s: &str) -> String {
    let s = if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    };
    let mut rest = s.as_str();
    loop {
        match rest.find('\n') {
            Some(i) if rest[..i].trim().is_empty() => rest = &rest[i + 1..],
            _ => break,
        }
    }
    if rest.trim().is_empty() {
        return String::new();
    }
    rest.trim_end().to_string()
}

/// Removes `<!-- ... -->` comments (unterminated ones run to the end).
pub(crate) fn strip_html_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i + 4..].find("-->") {
            Some(j) => rest = &rest[i + 4 + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Heading text normalised for matching known section names.
pub(crate) fn heading_key(text: &str) -> String {
    strip_html_comments(text)
        .trim()
        .trim_end_matches(':')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A heading line for output; a trailing `#` is protected by a closing
/// sequence so it survives re-parsing.
pub(crate) fn heading_line(level: u8, text: &str) -> String {
    heading_line_closed(level, text, false)
}

/// A heading line; `closed` always writes a closing sequence (` #`).
pub(crate) fn heading_line_closed(level: u8, text: &str, closed: bool) -> String {
    let text = one_line(text);
    let text = text.trim();
    let hashes = "#".repeat(level.clamp(1, 6) as usize);
    if text.is_empty() {
        if closed {
            format!("{hashes} #")
        } else {
            hashes
        }
    } else if closed || text.ends_with('#') {
        format!("{hashes} {text} #")
    } else {
        format!("{hashes} {text}")
    }
}

/// Line breaks (`\n`, `\r`) as spaces: for headings and option titles.
pub(crate) fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

/// The plain text of one line of inline Markdown (`*For Demonstration*`,
/// `` `code` ``, `[a](b)`): what a reader sees, without the markup. OSCAL
/// titles are markup-line.
pub(crate) fn inline_plain(s: &str) -> String {
    let s = s.trim();
    if !s.contains(['*', '_', '`', '[', '<', '&', '\\']) {
        return s.to_string();
    }
    // A line that reads as a block (`1. Scope`, `- x`, `# x`, `> x`) stays
    // that text: its marker is escaped so only inline markup is read.
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &s[digits..];
    let block = (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")))
        || ["- ", "+ ", "* ", "#", ">", "=", "|"]
            .iter()
            .any(|m| s.starts_with(m));
    let source = if block {
        format!("{}\\{}", &s[..digits], &s[digits..])
    } else {
        s.to_string()
    };
    let mut out = String::new();
    for event in Parser::new(&source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::inline_plain;

    #[test]
    fn inline_plain_drops_inline_markup_and_keeps_block_markers_as_text() {
        assert_eq!(
            inline_plain("Sample Security Profile *For Demonstration* and Testing"),
            "Sample Security Profile For Demonstration and Testing"
        );
        assert_eq!(
            inline_plain("Use `mTLS` and [SSO](https://x)"),
            "Use mTLS and SSO"
        );
        assert_eq!(inline_plain("Fish &amp; chips"), "Fish & chips");
        assert_eq!(
            inline_plain("1. Scope *and* purpose"),
            "1. Scope and purpose"
        );
        assert_eq!(inline_plain("- _dash_"), "- dash");
        assert_eq!(inline_plain("# not a heading *x*"), "# not a heading x");
        assert_eq!(inline_plain("  Plain title  "), "Plain title");
        assert_eq!(inline_plain("snake_case_id"), "snake_case_id");
    }
}
