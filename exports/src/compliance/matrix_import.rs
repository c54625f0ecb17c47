//! Matrix CSV in: the file [`super::tables::matrix_csv`] writes, read back
//! row by row so a matrix edited elsewhere (a pull request on GitHub, a
//! spreadsheet) comes back into the cells.
//!
//! A row is one control in one repository; its stable id is
//! `framework:control@repository`. The assessed columns are read back
//! (`applicable`, `not_applicable_reason`, `status`, `owner`, `narrative`,
//! `last_reviewed`, `adrs`); the others (`group`, `title`, `evidence`,
//! `threats`, `mapped_credit`, `mapped_from`) are rendered from the app's
//! records, which keep more than a CSV cell can hold (evidence ids and
//! expiry, full threat ids), so they are reported, not imported.

use std::fmt::Write;

use chrono::NaiveDate;
use plasma_models::compliance::{Cell, ImplementationStatus};

use super::tables::{csv_field, CSV_HEADER};
use crate::threat::ImportError;

/// The columns read back into a cell.
pub const ASSESSED_COLUMNS: [&str; 7] = [
    "applicable",
    "not_applicable_reason",
    "status",
    "owner",
    "narrative",
    "last_reviewed",
    "adrs",
];

/// One data row: every column of [`CSV_HEADER`] (absent columns read as
/// empty), unescaped, and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub line: usize,
    /// In [`CSV_HEADER`] order.
    pub fields: Vec<String>,
}

/// What a row says about its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessedFields {
    pub applicable: bool,
    pub not_applicable_reason: String,
    /// `None`: not assessed.
    pub status: Option<ImplementationStatus>,
    pub owner: String,
    pub narrative: String,
    pub last_reviewed: Option<NaiveDate>,
    pub adrs: Vec<u32>,
}

fn column(name: &str) -> usize {
    CSV_HEADER.iter().position(|c| *c == name).unwrap_or(0)
}

impl MatrixRow {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .get(column(name))
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let i = column(name);
        if let Some(f) = self.fields.get_mut(i) {
            *f = value.into();
        }
    }

    /// `framework:control@repository`: the row's stable id.
    pub fn id(&self) -> String {
        format!(
            "{}:{}@{}",
            self.get("framework"),
            self.get("control"),
            self.get("repository")
        )
    }

    fn at(&self, name: &str) -> String {
        format!("line {}, column {name}", self.line)
    }

    /// The assessed columns, checked: `applicable` is yes or no, `status` an
    /// OSCAL state or "not assessed", `last_reviewed` a date, `adrs` a list
    /// of `ADR-NNNN` (or plain numbers).
    pub fn assessed(&self) -> Result<AssessedFields, ImportError> {
        let applicable = match self.get("applicable").trim().to_ascii_lowercase().as_str() {
            "" | "yes" | "y" | "true" => true,
            "no" | "n" | "false" => false,
            other => {
                return Err(ImportError::new(
                    self.at("applicable"),
                    format!("\"{other}\" is neither yes nor no"),
                ))
            }
        };
        let status_text = self.get("status").trim();
        let status = if status_text.is_empty()
            || status_text.eq_ignore_ascii_case("not assessed")
            || status_text.eq_ignore_ascii_case("not-assessed")
        {
            None
        } else {
            Some(ImplementationStatus::parse(status_text).ok_or_else(|| {
                ImportError::new(
                    self.at("status"),
                    format!(
                        "\"{status_text}\" is not a state (implemented, partial, planned, alternative, not-applicable, not assessed)"
                    ),
                )
            })?)
        };
        let not_applicable = !applicable || status == Some(ImplementationStatus::NotApplicable);
        if !applicable && status.is_some_and(|s| s != ImplementationStatus::NotApplicable) {
            return Err(ImportError::new(
                self.at("status"),
                format!(
                    "the row says the control does not apply but gives the status \"{status_text}\""
                ),
            ));
        }
        let reviewed = self.get("last_reviewed").trim();
        let last_reviewed = if reviewed.is_empty() {
            None
        } else {
            Some(reviewed.parse::<NaiveDate>().map_err(|_| {
                ImportError::new(
                    self.at("last_reviewed"),
                    format!("\"{reviewed}\" is not a date (YYYY-MM-DD)"),
                )
            })?)
        };
        let mut adrs = Vec::new();
        for part in self
            .get("adrs")
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let digits = part
                .strip_prefix("ADR-")
                .or_else(|| part.strip_prefix("adr-"))
                .unwrap_or(part);
            let n: u32 = digits.parse().map_err(|_| {
                ImportError::new(
                    self.at("adrs"),
                    format!("\"{part}\" is not an ADR number (ADR-0007)"),
                )
            })?;
            if !adrs.contains(&n) {
                adrs.push(n);
            }
        }
        Ok(AssessedFields {
            applicable: !not_applicable,
            not_applicable_reason: if not_applicable {
                self.get("not_applicable_reason").trim().to_string()
            } else {
                String::new()
            },
            status: if not_applicable {
                Some(ImplementationStatus::NotApplicable)
            } else {
                status
            },
            owner: self.get("owner").trim().to_string(),
            narrative: self.get("narrative").to_string(),
            last_reviewed,
            adrs,
        })
    }
}

impl AssessedFields {
    /// Writes these fields into a cell, keeping what the CSV does not hold
    /// (evidence, threat links).
    pub fn apply_to(&self, cell: &mut Cell) {
        cell.applicable = self.applicable;
        cell.not_applicable_reason = self.not_applicable_reason.clone();
        cell.status = self.status;
        cell.owner = self.owner.clone();
        cell.narrative = self.narrative.clone();
        cell.last_reviewed = self.last_reviewed;
        cell.adrs = self.adrs.clone();
    }

    /// A row that says nothing: applicable, not assessed, no text.
    pub fn is_blank(&self) -> bool {
        self.applicable
            && self.status.is_none()
            && self.owner.is_empty()
            && self.narrative.is_empty()
            && self.last_reviewed.is_none()
            && self.adrs.is_empty()
    }
}

/// Undoes the export's formula guard: a leading `'` before `=`, `+`, `-`,
/// `@`, tab or CR was added so spreadsheets do not run the text.
fn unguard(field: &str) -> String {
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => field.to_string(),
    }
}

/// Reads a matrix CSV. The header must name at least `framework`, `control`
/// and `repository`; columns may come in any order, unknown ones are
/// refused (so a renamed column is not silently dropped), and every id
/// appears once.
pub fn parse_matrix_csv(text: &str) -> Result<Vec<MatrixRow>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::new("line 1", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut positions = Vec::with_capacity(header.len());
    for h in &header {
        let Some(i) = CSV_HEADER.iter().position(|c| c == h) else {
            return Err(ImportError::new(
                "line 1",
                format!(
                    "unknown column \"{h}\" (a matrix CSV has {})",
                    CSV_HEADER.join(", ")
                ),
            ));
        };
        if positions.contains(&i) {
            return Err(ImportError::new(
                "line 1",
                format!("column \"{h}\" appears twice"),
            ));
        }
        positions.push(i);
    }
    for needed in ["framework", "control", "repository"] {
        if !header.iter().any(|h| h == needed) {
            return Err(ImportError::new(
                "line 1",
                format!("the column \"{needed}\" is missing"),
            ));
        }
    }
    let mut rows: Vec<MatrixRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e
                .position()
                .map(|p| format!("line {}", p.line()))
                .unwrap_or_else(|| "a record".into());
            ImportError::new(at, e.to_string())
        })?;
        // The reader counts the header's line as 0.
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
            .saturating_add(1);
        let mut fields = vec![String::new(); CSV_HEADER.len()];
        for (value, i) in record.iter().zip(&positions) {
            fields[*i] = unguard(value);
        }
        let row = MatrixRow { line, fields };
        for needed in ["framework", "control", "repository"] {
            if row.get(needed).trim().is_empty() {
                return Err(ImportError::new(
                    row.at(needed),
                    format!("the row has no {needed}"),
                ));
            }
        }
        if let Some(first) = rows.iter().find(|r| r.id() == row.id()) {
            return Err(ImportError::new(
                format!("line {line}"),
                format!(
                    "{} {} in {} is listed twice (first on line {})",
                    row.get("framework"),
                    row.get("control"),
                    row.get("repository"),
                    first.line
                ),
            ));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Writes rows as the export does (header first, CRLF, the same quoting).
pub fn rows_csv(rows: &[MatrixRow]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for r in rows {
        let fields: Vec<String> = r.fields.iter().map(|f| csv_field(f)).collect();
        let _ = write!(out, "{}\r\n", fields.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "framework,control,group,title,repository,applicable,not_applicable_reason,status,owner,narrative,last_reviewed,evidence,adrs,threats,mapped_credit,mapped_from\r\n\
own,OWN-1,G,Design,api,yes,,implemented,\"Arch, guild\",\"Two\nlines\",2026-10-01,,ADR-0003; ADR-0012,,,\r\n\
own,OWN-1,G,Design,web,no,No web tier,not-applicable,,'=SUM(A1),,,,,,\r\n";

    #[test]
    fn reads_rows_with_ids_and_assessed_fields() {
        let rows = parse_matrix_csv(TEXT).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id(), "own:OWN-1@api");
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
        let a = rows[0].assessed().unwrap();
        assert_eq!(a.status, Some(ImplementationStatus::Implemented));
        assert_eq!(a.owner, "Arch, guild");
        assert_eq!(a.narrative, "Two\nlines");
        assert_eq!(a.adrs, [3, 12]);
        let b = rows[1].assessed().unwrap();
        assert!(!b.applicable);
        assert_eq!(b.not_applicable_reason, "No web tier");
        assert_eq!(rows[1].get("narrative"), "=SUM(A1)");
        assert_eq!(rows_csv(&rows), TEXT, "rows write back byte for byte");
    }

    #[test]
    fn bad_values_say_where() {
        let bad = TEXT.replace("implemented", "done");
        let e = parse_matrix_csv(&bad).unwrap()[0].assessed().unwrap_err();
        assert_eq!(e.location, "line 2, column status");
        let bad = TEXT.replace("2026-10-01", "last week");
        let e = parse_matrix_csv(&bad).unwrap()[0].assessed().unwrap_err();
        assert!(e.reason.contains("not a date"), "{}", e.reason);
        let bad = TEXT.replace(",no,No web tier,not-applicable", ",no,No web tier,partial");
        assert!(parse_matrix_csv(&bad).unwrap()[1].assessed().is_err());
        let bad = TEXT.replace("mapped_from", "mapped_by");
        assert!(parse_matrix_csv(&bad)
            .unwrap_err()
            .reason
            .contains("unknown column \"mapped_by\""));
        let twice = format!("{TEXT}own,OWN-1,G,Design,api,yes,,,,,,,,,,\r\n");
        let e = parse_matrix_csv(&twice).unwrap_err();
        assert!(e.reason.contains("listed twice"), "{}", e.reason);
        let short = TEXT.replace(",mapped_credit,mapped_from", "");
        assert!(
            parse_matrix_csv(&short).is_err(),
            "rows longer than the header"
        );
    }
}
