//! Conversions between domain values and SQLite text/integers. Nothing here
//! panics on stored data: damage is reported as [`StoreError::Corrupt`].

use chrono::{DateTime, SecondsFormat, Utc};
use plasma_models::{Adr, AdrDraft};
use uuid::Uuid;

use crate::{Result, StoreError};

/// Pushes onto `$out` the name of each listed field (bound by destructuring
/// the old value, so a new field fails to compile until it is listed) that
/// differs from the same field of `$new`.
macro_rules! push_changed {
    ($out:ident, $new:ident; $($field:ident),* $(,)?) => {
        $( if *$field != $new.$field { $out.push(stringify!($field)); } )*
    };
}
pub(crate) use push_changed;

pub(crate) fn parse_uuid(text: &str, what: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::corrupt(what, e))
}

/// The current time at the precision [`time_text`] stores, so a time a write
/// returns equals the one a later read gives.
pub(crate) fn stored_now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

pub(crate) fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_time(text: &str, what: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::corrupt(what, e))
}

/// A stored INTEGER read back as a u32.
pub(crate) fn stored_u32(v: i64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::corrupt(what, format!("{v} is out of range")))
}

pub(crate) fn adr_to_json(adr: &Adr) -> Result<String> {
    serde_json::to_string(adr).map_err(|e| StoreError::corrupt(format!("ADR {}", adr.number), e))
}

pub(crate) fn adr_from_json(doc: &str, what: &str) -> Result<Adr> {
    serde_json::from_str(doc).map_err(|e| StoreError::corrupt(what, e))
}

/// Names of the draft fields that differ, in declaration order.
pub(crate) fn changed_fields(old: &AdrDraft, new: &AdrDraft) -> Vec<&'static str> {
    // Destructured so that a field added to AdrDraft fails to compile here
    // until it is compared too.
    let AdrDraft {
        title,
        status,
        date,
        decision_makers,
        consulted,
        informed,
        tags,
        repositories,
        context,
        decision_drivers,
        considered_options,
        decision_outcome,
        consequences,
        confirmation,
        links,
        sections,
        extra_front_matter,
    } = old;
    let mut out = Vec::new();
    push_changed!(out, new;
        title,
        status,
        date,
        decision_makers,
        consulted,
        informed,
        tags,
        repositories,
        context,
        decision_drivers,
        considered_options,
        decision_outcome,
        consequences,
        confirmation,
        links,
        sections,
        extra_front_matter,
    );
    out
}

/// The text the full-text index holds for the `body` column: every prose
/// field of the record, one paragraph each.
pub(crate) fn fts_body(adr: &Adr) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.push(&adr.context);
    parts.extend(adr.decision_drivers.iter().map(String::as_str));
    for option in &adr.considered_options {
        parts.push(&option.title);
        parts.push(&option.description);
        parts.extend(option.pros.iter().map(String::as_str));
        parts.extend(option.cons.iter().map(String::as_str));
        parts.extend(option.neutral.iter().map(String::as_str));
    }
    parts.push(&adr.decision_outcome);
    parts.extend(adr.consequences.good.iter().map(String::as_str));
    parts.extend(adr.consequences.bad.iter().map(String::as_str));
    parts.extend(adr.consequences.neutral.iter().map(String::as_str));
    parts.push(&adr.confirmation);
    for section in &adr.sections {
        parts.push(&section.heading);
        parts.push(&section.body);
    }
    parts.extend(adr.decision_makers.iter().map(String::as_str));
    parts.extend(adr.consulted.iter().map(String::as_str));
    parts.extend(adr.informed.iter().map(String::as_str));
    parts.extend(adr.repositories.iter().map(String::as_str));
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n\n")
}

/// Turns what a user typed into an FTS5 query that cannot be a syntax
/// error: each run of letters/digits becomes a quoted prefix term, and all
/// terms are AND-ed. Operators, quotes and brackets are dropped as text.
/// `None` when nothing searchable is left.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" AND "))
    }
}

/// `(revision, saved_at, summary)` rows of a revisions table, as shown in a
/// history list.
pub(crate) fn revision_summaries(
    rows: Vec<(i64, String, String)>,
) -> Result<Vec<crate::RevisionSummary>> {
    rows.into_iter()
        .map(|(revision, saved_at, summary)| {
            Ok(crate::RevisionSummary {
                revision: stored_u32(revision, "revision number")?,
                saved_at: parse_time(&saved_at, "revision saved_at")?,
                summary,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_every_word() {
        assert_eq!(fts_query(""), None);
        assert_eq!(fts_query("  \" * ( ) "), None);
        assert_eq!(
            fts_query("NEAR(kafka AND"),
            Some("\"NEAR\"* AND \"kafka\"* AND \"AND\"*".into())
        );
        assert_eq!(fts_query("café-bar"), Some("\"café\"* AND \"bar\"*".into()));
    }

    #[test]
    fn changed_fields_lists_names_in_order() {
        let a = AdrDraft {
            title: "A".into(),
            ..Default::default()
        };
        let mut b = a.clone();
        assert!(changed_fields(&a, &b).is_empty());
        b.context = "x".into();
        b.title = "B".into();
        assert_eq!(changed_fields(&a, &b), vec!["title", "context"]);
    }
}
