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
//! to `render_madr4(x)`.

mod parse;
mod render;

use plasma_models::{AdrDraft, LinkKind};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use parse::parse_file;
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
