//! Reversible escaping of the Markdown inside a field, so that text can never
//! be mistaken for the structure around it.
//!
//! A field's body is written under a heading of some level (`## Context and
//! Problem Statement` is level 2, an option's `### Title` is level 3). A
//! heading *in* the body at that level or above would end the field on
//! import, so the export escapes it with a backslash after its indentation:
//!
//! - ATX headings that collide (`# x`, `## x`; for the decision outcome also
//!   `### Consequences`, `### Confirmation`, ...) become `\# x`, `\## x`;
//! - colliding setext underlines (`===`, `---` under a paragraph) become
//!   `\===`, `\---`;
//! - in an option's description, top-level bullets that would read as
//!   arguments (`* Good, because x`) become `* \Good, because x`.
//!
//! Deeper headings stay real headings: the field's extent includes them.
//!
//! To keep this a bijection, a line that already has that shape with one or
//! more backslashes (`\## x`, `\\---`) gets one more backslash, and import
//! removes exactly one backslash from every line of that shape. The escape
//! is therefore exact for any text: `unescape(escape(t)) == t`.

use crate::md;

/// What a field's body must not be confused with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guard {
    /// Headings at this level or above end the field.
    level: u8,
    /// Level-3 headings the decision outcome maps onto fields.
    outcome_keys: bool,
    /// Bullets the option parser reads as arguments.
    arguments: bool,
}

impl Guard {
    /// A body written under a heading of `level`.
    pub(crate) fn level(level: u8) -> Guard {
        Guard {
            level,
            outcome_keys: false,
            arguments: false,
        }
    }

    pub(crate) fn outcome() -> Guard {
        Guard {
            outcome_keys: true,
            ..Guard::level(2)
        }
    }

    pub(crate) fn option_description() -> Guard {
        Guard {
            arguments: true,
            ..Guard::level(3)
        }
    }

    fn collides(self, level: u8, text: &str) -> bool {
        level <= self.level
            || (self.outcome_keys
                && level == 3
                && OUTCOME_KEYS.contains(&md::heading_key(text).as_str()))
    }
}

/// Level-3 headings under `## Decision Outcome` that import maps to fields.
pub(crate) const OUTCOME_KEYS: [&str; 5] = [
    "consequences",
    "positive consequences",
    "negative consequences",
    "neutral consequences",
    "confirmation",
];

/// How MADR's arguments start, by kind (good, bad, neutral): its own
/// `Good, because X`, and `Good: X` or `Positive: X` as many teams write it
/// (MADR 4 users' `### Consequences`, pros and cons of an option), and an
/// option's `Pro: X` / `Con: X`.
const ARGUMENT_PREFIXES: [&[&str]; 3] = [
    &["Good, because", "Good:", "Positive:", "Pro:"],
    &["Bad, because", "Bad:", "Negative:", "Con:"],
    &["Neutral, because", "Neutral:"],
];

/// A `Good, because X` / `Bad: X` item: its kind (0 good, 1 bad, 2
/// neutral) and the text after the prefix.
pub(crate) fn argument(item: &str) -> Option<(usize, &str)> {
    plain_argument(item).or_else(|| emphasized_argument(item))
}

fn plain_argument(item: &str) -> Option<(usize, &str)> {
    ARGUMENT_PREFIXES
        .iter()
        .enumerate()
        .find_map(|(n, prefixes)| {
            prefixes.iter().find_map(|p| {
                let rest = item.strip_prefix(p)?;
                (rest.is_empty() || rest.starts_with([' ', '\n'])).then(|| (n, rest.trim_start()))
            })
        })
}

/// `**Good**: X`, `**Good:** X`, `**Good**, because X` (CERT/CC Vultron's
/// consequences): the prefix in emphasis reads as the plain one. The
/// emphasis must hold the prefix's word and nothing of the text after it.
fn emphasized_argument(item: &str) -> Option<(usize, &str)> {
    let mark = ["**", "__", "*", "_"]
        .into_iter()
        .find(|m| item.starts_with(m))?;
    let inner_and_after = &item[mark.len()..];
    let close = inner_and_after.find(mark)?;
    let inner = &inner_and_after[..close];
    let after = &inner_and_after[close + mark.len()..];
    let unmarked = format!("{inner}{after}");
    let (n, rest) = plain_argument(&unmarked)?;
    let prefix_len = unmarked.len() - rest.len();
    if prefix_len < inner.trim_end().len() {
        return None;
    }
    Some((n, &item[item.len() - rest.len()..]))
}

fn is_argument(text: &str) -> bool {
    argument(text).is_some()
}

fn indent_of(line: &str) -> Option<usize> {
    let n = line.len() - line.trim_start_matches(' ').len();
    (n <= 3).then_some(n)
}

/// The level of a setext underline (`===` 1, `---` 2).
fn setext_underline(s: &str) -> Option<u8> {
    let t = s.trim_end_matches([' ', '\t']);
    if t.is_empty() {
        None
    } else if t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

/// `#{1,6}` followed by a space, tab or the end: (level, heading text).
fn atx(s: &str) -> Option<(u8, String)> {
    let h = s.len() - s.trim_start_matches('#').len();
    let rest = &s[h..];
    if !(1..=6).contains(&h) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((h as u8, md::heading_text(s)))
}

/// Where the escaping backslash of `line` goes, when the line, with its
/// backslashes removed, is something `g` guards against.
fn shape(line: &str, g: Guard) -> Option<(usize, usize)> {
    let indent = indent_of(line)?;
    let rest = &line[indent..];
    let k = rest.len() - rest.trim_start_matches('\\').len();
    let after = &rest[k..];
    if setext_underline(after).is_some_and(|level| level <= g.level) {
        return Some((indent, k));
    }
    if let Some((level, text)) = atx(after) {
        if g.collides(level, &text) {
            return Some((indent, k));
        }
    }
    if g.arguments && rest.starts_with(['*', '-', '+']) {
        let spaces = rest[1..].len() - rest[1..].trim_start_matches(' ').len();
        if (1..=4).contains(&spaces) {
            let at = indent + 1 + spaces;
            let content = &line[at..];
            let k = content.len() - content.trim_start_matches('\\').len();
            if is_argument(&content[k..]) {
                return Some((at, k));
            }
        }
    }
    None
}

/// The escaped form of `text` (see the module documentation).
pub(crate) fn escape(text: &str, g: Guard) -> String {
    // Only lines of a guarded shape are ever escaped (both passes below check
    // `shape`), so text without one is returned as is, without parsing it:
    // most fields of most records.
    if !text.split('\n').any(|line| shape(line, g).is_some()) {
        return text.to_string();
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for line in &mut lines {
        if let Some((at, k)) = shape(line, g) {
            if k > 0 {
                line.insert(at, '\\');
            }
        }
    }
    // Repeat until nothing collides; every round escapes one line.
    for _ in 0..=lines.len() {
        let joined = lines.join("\n");
        let mut targets = colliding_lines(&joined, g);
        targets.retain(|&n| matches!(shape(&lines[n], g), Some((_, 0))));
        if targets.is_empty() {
            break;
        }
        // One line at a time, first in the text: escaping it can change how
        // the lines after it read, so the escape stays minimal.
        let Some(&n) = targets.iter().min() else {
            break;
        };
        if let Some((at, _)) = shape(&lines[n], g) {
            lines[n].insert(at, '\\');
        }
    }
    lines.join("\n")
}

/// Removes the backslash [`escape`] added.
pub(crate) fn unescape(text: &str, g: Guard) -> String {
    // Only a line with a backslash can have one removed.
    if !text.contains('\\') {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| match shape(line, g) {
            Some((at, k)) if k > 0 => format!("{}{}", &line[..at], &line[at + 1..]),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_index(src: &str, at: usize) -> usize {
    src.get(..at).map(|s| s.matches('\n').count()).unwrap_or(0)
}

/// Lines that make `src` read as structure: colliding headings (the ATX
/// line or the setext underline) and, for descriptions, argument bullets.
fn colliding_lines(src: &str, g: Guard) -> Vec<usize> {
    let mut out = Vec::new();
    for h in md::top_headings(src) {
        if !g.collides(h.level, &h.text) {
            continue;
        }
        let first = line_index(src, h.start);
        let line = src.split('\n').nth(first).unwrap_or("");
        if line.trim_start_matches(' ').starts_with('#') {
            out.push(first);
        } else {
            let last = line_index(src, h.end.saturating_sub(1).max(h.start));
            out.push(last);
        }
    }
    if g.arguments {
        for block in md::top_blocks(src) {
            if let md::Block::List {
                ordered: false,
                items,
            } = block
            {
                for r in items {
                    if is_argument(&md::item_text(src, r.clone())) {
                        out.push(line_index(src, md::line_start(src, r.start)));
                    }
                }
            }
        }
    }
    out
}

/// Text that leaves a block open (an unclosed code fence, `<!--`, `<pre>`)
/// would swallow the rest of the document; such text gets the closing line
/// appended. Other text is returned unchanged.
pub(crate) fn close_open_blocks(text: &str) -> String {
    if text.is_empty() || !leaks(text) {
        return text.to_string();
    }
    let mut closers: Vec<String> = Vec::new();
    for c in ['`', '~'] {
        let longest = text
            .split('\n')
            .filter_map(|l| {
                let t = l.trim_start_matches(' ');
                (l.len() - t.len() <= 3).then(|| t.len() - t.trim_start_matches(c).len())
            })
            .max()
            .unwrap_or(0);
        if longest >= 3 {
            closers.push(c.to_string().repeat(longest));
        }
    }
    for c in [
        "-->",
        "?>",
        "]]>",
        ">",
        "</pre>",
        "</script>",
        "</style>",
        "</textarea>",
    ] {
        closers.push(c.to_string());
    }
    for closer in closers {
        let closed = format!("{text}\n{closer}");
        if !leaks(&closed) {
            return closed;
        }
    }
    text.to_string()
}

fn leaks(text: &str) -> bool {
    // Only a code fence or an HTML block of types 1-5 (`<pre`, `<!--`, ...)
    // runs past a blank line; without those characters nothing can leak,
    // and the text need not be parsed.
    if !text.contains(['`', '~', '<']) {
        return false;
    }
    let probe = format!("{text}\n\n# probe");
    md::top_headings(&probe)
        .last()
        .is_none_or(|h| h.start != text.len() + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_is_reversible_and_removes_collisions() {
        let g = Guard::level(2);
        for t in [
            "# a\n## b\n### c",
            "\\## already\n\\\\# twice",
            "para\n---\n\ntext\n===",
            "```\n# code\n```",
            "## x\n---",
            "  ## indented",
        ] {
            let e = escape(t, g);
            assert_eq!(unescape(&e, g), t, "{e}");
            assert!(
                md::top_headings(&e).iter().all(|h| h.level > 2),
                "{t:?} -> {e:?}"
            );
        }
        let o = Guard::outcome();
        let t = "### Rollout\n\n### Consequences\n\n* Good, because x";
        assert_eq!(
            escape(t, o),
            "### Rollout\n\n\\### Consequences\n\n* Good, because x"
        );
        let d = Guard::option_description();
        let t = "* Good, because x\n* other";
        assert_eq!(escape(t, d), "* \\Good, because x\n* other");
        assert_eq!(unescape(&escape(t, d), d), t);
        // `Good: x` reads as an argument too, so it is escaped the same way.
        let t = "- Bad: x\n- other";
        assert_eq!(escape(t, d), "- \\Bad: x\n- other");
        assert_eq!(unescape(&escape(t, d), d), t);
    }

    #[test]
    fn open_blocks_are_closed() {
        assert_eq!(close_open_blocks("```rust\nfn x"), "```rust\nfn x\n```");
        assert_eq!(close_open_blocks("<!-- x"), "<!-- x\n-->");
        assert_eq!(close_open_blocks("fine"), "fine");
    }
}
