//! CSV (one row per control and repository) and Markdown (GitHub tables).

use std::fmt::Write;

use plasma_models::compliance::{Cell, EvidenceKind};

use super::{status_label, MatrixExport, Row};

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 16] = [
    "framework",
    "control",
    "group",
    "title",
    "repository",
    "applicable",
    "not_applicable_reason",
    "status",
    "owner",
    "narrative",
    "last_reviewed",
    "evidence",
    "adrs",
    "threats",
    "mapped_credit",
    "mapped_from",
];

/// One CSV field, quoted when needed (RFC 4180). A field a spreadsheet
/// would run as a formula gets a leading `'`.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Evidence as one text: `kind: title <location> (collected, expires)`
/// joined by `; `.
pub fn evidence_text(cell: Option<&Cell>) -> String {
    cell.map(|c| {
        c.evidence
            .iter()
            .map(|e| {
                let location = if e.kind == EvidenceKind::Note {
                    String::new()
                } else {
                    format!(" <{}>", e.location)
                };
                format!(
                    "{}: {}{location} (collected {}{})",
                    e.kind.label(),
                    e.title,
                    e.collected,
                    e.expires
                        .map(|x| format!(", expires {x}"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
    .unwrap_or_default()
}

pub fn row_fields(r: &Row<'_>) -> [String; 16] {
    let c = r.cell;
    [
        r.framework.id.clone(),
        r.control.id.clone(),
        r.control.group.clone(),
        r.control.title.clone(),
        r.repository.to_string(),
        if c.is_none_or(|c| c.applicable) {
            "yes"
        } else {
            "no"
        }
        .to_string(),
        c.map(|c| c.not_applicable_reason.clone())
            .unwrap_or_default(),
        status_label(r.status()).to_string(),
        c.map(|c| c.owner.clone()).unwrap_or_default(),
        c.map(|c| c.narrative.clone()).unwrap_or_default(),
        c.and_then(|c| c.last_reviewed)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        evidence_text(c),
        c.map(|c| {
            c.adrs
                .iter()
                .map(|n| format!("ADR-{n:04}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default(),
        c.map(|c| {
            c.threats
                .iter()
                .map(|t| {
                    let short: String = t.threat_id.to_string().chars().take(8).collect();
                    if t.mitigation.is_empty() {
                        format!("{}/{short}", t.threat_model)
                    } else {
                        format!("{}/{short}: {}", t.threat_model, t.mitigation)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default(),
        r.best_credit
            .as_ref()
            .map(|b| format!("{:.0}%", b.credit * 100.0))
            .unwrap_or_default(),
        r.best_credit
            .as_ref()
            .map(|b| b.source.to_string())
            .unwrap_or_default(),
    ]
}

/// Every framework of the export, one row per control and repository.
/// CRLF line ends, header first.
pub fn matrix_csv(export: &MatrixExport<'_>) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for f in &export.frameworks {
        for row in export.rows(f) {
            let fields: Vec<String> = row_fields(&row).iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// Text safe inside a GitHub table cell: one line, pipes and HTML escaped.
fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}

fn short_status(r: &Row<'_>) -> String {
    let base = status_label(r.status());
    match (&r.best_credit, r.status()) {
        (Some(b), _) => format!("{base} ({:.0}% mapped)", b.credit * 100.0),
        _ => base.to_string(),
    }
}

/// A Markdown report: coverage summary, then per framework a control ×
/// repository table and the evidence list.
pub fn matrix_markdown(export: &MatrixExport<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Compliance matrix: {}\n\nGenerated {}.\n",
        md_cell(export.workspace),
        export.generated
    );
    out.push_str("## Coverage\n\n| Framework | Implemented | Alternative | Partial | Planned | Not assessed | Not applicable | Coverage | With mappings |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for c in &export.coverage.frameworks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {:.1}% | {:.1}% |",
            md_cell(c.framework.as_deref().unwrap_or("")),
            c.implemented,
            c.alternative,
            c.partial,
            c.planned,
            c.not_assessed,
            c.not_applicable,
            c.percent,
            c.percent_with_mappings
        );
    }
    for f in &export.frameworks {
        let _ = writeln!(out, "\n## {} ({})\n", md_cell(&f.name), md_cell(&f.id));
        if !f.notice.is_empty() {
            let _ = writeln!(out, "{}\n", md_cell(&f.notice));
        }
        out.push_str("| Control | Title |");
        for r in export.repositories {
            let _ = write!(out, " {} |", md_cell(r));
        }
        out.push_str("\n|---|---|");
        for _ in export.repositories {
            out.push_str("---|");
        }
        out.push('\n');
        let rows: Vec<Row<'_>> = export.rows(f).collect();
        for chunk in rows.chunks(export.repositories.len().max(1)) {
            let Some(first) = chunk.first() else { continue };
            let _ = write!(
                out,
                "| {} | {} |",
                md_cell(&first.control.id),
                md_cell(&first.control.title)
            );
            for r in chunk {
                let _ = write!(out, " {} |", short_status(r));
            }
            out.push('\n');
        }
        let with_detail: Vec<&Row<'_>> = rows
            .iter()
            .filter(|r| {
                r.cell.is_some_and(|c| {
                    !c.evidence.is_empty() || !c.narrative.is_empty() || !c.applicable
                })
            })
            .collect();
        if !with_detail.is_empty() {
            out.push_str("\n### Narratives and evidence\n\n| Control | Repository | Status | Owner | Narrative | Evidence |\n|---|---|---|---|---|---|\n");
            for r in with_detail {
                let c = r.cell;
                let narrative = c
                    .map(|c| {
                        if c.applicable {
                            c.narrative.clone()
                        } else {
                            format!("Not applicable: {}", c.not_applicable_reason)
                        }
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    md_cell(&r.control.id),
                    md_cell(r.repository),
                    status_label(r.status()),
                    md_cell(c.map(|c| c.owner.as_str()).unwrap_or("")),
                    md_cell(&narrative),
                    md_cell(&evidence_text(c))
                );
            }
        }
    }
    out
}
