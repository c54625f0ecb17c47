//! Pure, deterministic import and export of decision records.
//!
//! Invariant: no IO and no async. Every function takes text or values and
//! returns text, so the same input always gives the same bytes and every
//! behaviour is testable with plain values.
//!
//! - [`adr_markdown`]: reads Nygard/adr-tools, MADR 2/3/4 and log4brains
//!   Markdown; writes canonical MADR 4 (export -> import -> export is a
//!   fixed point).
//! - [`graph_export`]: the decision graph as Mermaid, Graphviz DOT or SVG.
//! - [`html`]: Markdown to sanitized HTML for previews.
//! - [`roadmap`]: the roadmap as Markdown, Mermaid gantt and CSV.
//! - [`slo`]: SLOs as OpenSLO v1 and Sloth specs, and back.
//! - [`text_encoding`]: a file's bytes as text (UTF-8, or UTF-16 as Windows
//!   tools write it).

pub mod adr_markdown;
pub mod compliance;
pub mod graph_export;
pub mod html;
mod md;
pub mod roadmap;
pub mod slo;
pub mod text_encoding;
pub mod threat;
mod xml;
mod yaml;

pub use adr_markdown::ParseError;
