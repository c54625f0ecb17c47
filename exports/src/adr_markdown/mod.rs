//! ADR Markdown: import from the common formats, export as canonical MADR 4.
//!
//! Import never drops text: whatever does not map onto a field of
//! [`AdrDraft`] is kept verbatim in `draft.sections` (heading, level, body)
//! in document order. The exceptions are the lines that became structured
//! values (status/date/deciders lines, link lines, front-matter delimiters),
//! YAML comments in front matter, and `<!-- optional -->`-style comments in
//! the headings of recognised sections.
//!
//! Export is a fixed point: for any record `x`,
//! `render_madr4(parse_file(file_name(x), render_madr4(x)))` is byte-identical
//! to `render_madr4(x)`, and importing an export gives a draft that imports
//! back to itself exactly.
//!
//! Text fields (context, decision outcome, confirmation, option
//! descriptions, section bodies) come back byte-identical, headings and
//! all: Markdown in them that would read as the document's structure is
//! escaped reversibly (see `escape`). What cannot be written is normalised
//! on export, and the normalised value then round-trips exactly:
//!
//! - text fields lose leading blank lines and trailing whitespace, `\r\n`
//!   and `\r` become `\n`, and a block left open at the end (an unclosed
//!   code fence or `<!--`) gets its closing line;
//! - list items (drivers, options, arguments, consequences) are trimmed;
//!   empty drivers and options are dropped, empty arguments and
//!   consequences are kept as a bare `Good, because`; front-matter lists
//!   (decision-makers, tags, ...) are trimmed and drop empty entries;
//! - titles and section headings are one trimmed line (an option's title
//!   may span lines in the list, its `###` heading joins them); a title
//!   that starts with the record's own number (`7. X`, `ADR-0007: X` for
//!   ADR 7) is written without it, as import reads it;
//! - a custom status is read back as written by a reader of the front
//!   matter: quotes and surrounding space dropped, and a label that names a
//!   known status (`Accepted`) is that status;
//! - section levels are clamped to 1-6; a section deeper than the one
//!   before it is part of that section's body, as Markdown reads it, and a
//!   first section deeper than level 2 after structured content starts at
//!   level 2 (otherwise it would belong to that content);
//! - a level-2 section named like structure (`Context`, `2. Decision`,
//!   `Date`, `Deciders`, `Links`, ...) is written with a closing sequence
//!   (`## Context #`), which import never maps onto a field; links go into
//!   the first plain `Links` section.

mod escape;
mod parse;
mod render;

use plasma_models::{AdrDraft, LinkKind};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use parse::{parse_file, settle_day_first_date, written_day_first};
pub use render::{file_name, render_index, render_madr4, render_madr4_with, render_template};

/// The Markdown dialect a record was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AdrFormat {
    /// Michael Nygard's template as written by adr-tools.
    Nygard,
    Madr2,
    Madr3,
    Madr4,
    Log4brains,
}

/// The record a link points at, as written in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LinkTarget {
    /// An ADR number (`0003-x.md`, `ADR-0003`, `[3. Title](...)`).
    Number(u32),
    /// A file stem or relative path (without `.md`) when the target has no
    /// number, e.g. log4brains' `20200926-use-the-adr-number-as-its-unique-id`.
    File(String),
}

/// One imported record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAdr {
    pub format: AdrFormat,
    /// From the file name (`NNNN-slug.md`) or a Nygard title (`# N. Title`);
    /// never from a log4brains date prefix.
    pub number: Option<u32>,
    /// `draft.links` is empty: links are reported raw in `links`.
    pub draft: AdrDraft,
    pub links: Vec<(LinkKind, LinkTarget)>,
}

/// What a Markdown file in an ADR folder turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
// The API fixes `Adr(ParsedAdr)` unboxed; values are short-lived.
#[allow(clippy::large_enum_variant)]
pub enum Classified {
    Adr(ParsedAdr),
    /// An index, README or template: not a record.
    Skipped {
        reason: String,
    },
}

/// Why a file could not be read as an ADR.
///
/// This is the crate's only error type; the API fixes it as a struct.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    /// 1-based line number in the file.
    pub line: usize,
    pub reason: String,
}

/// Starting points for a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    Madr4Full,
    Madr4Minimal,
    Nygard,
}
