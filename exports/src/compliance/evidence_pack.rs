//! The audit evidence pack: where each evidence file goes in the pack and
//! the `index.md` that lists every implemented control with its evidence.
//! The workbench copies the files and writes the folder and the zip.

use std::collections::HashMap;
use std::fmt::Write;

use plasma_models::compliance::EvidenceKind;
use plasma_models::slug::slugify;
use uuid::Uuid;

use super::{status_label, MatrixExport};

/// A file evidence item and its place in the pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub evidence_id: Uuid,
    /// The path the user recorded.
    pub source: String,
    /// `files/<repository>/<framework>-<control>/<title>.<ext>`, from slugs.
    pub pack_path: String,
}

fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| {
            e.to_string_lossy()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(10)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|e| !e.is_empty())
        .map(|e| format!(".{e}"))
        .unwrap_or_default()
}

/// Every file evidence item of the export, with a unique path in the pack.
pub fn plan_files(export: &MatrixExport<'_>) -> Vec<PackFile> {
    let mut out: Vec<PackFile> = Vec::new();
    let mut used: HashMap<String, u32> = HashMap::new();
    for f in &export.frameworks {
        for r in export.rows(f) {
            let Some(cell) = r.cell else { continue };
            for e in cell
                .evidence
                .iter()
                .filter(|e| e.kind == EvidenceKind::File)
            {
                let stem = slugify(
                    std::path::Path::new(&e.title)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .as_deref()
                        .unwrap_or(&e.title),
                );
                let base = format!(
                    "files/{}/{}-{}/{stem}",
                    slugify(r.repository),
                    slugify(&f.id),
                    slugify(&r.control.id)
                );
                let ext = extension(&e.location);
                let n = used.entry(format!("{base}{ext}")).or_insert(0);
                *n += 1;
                let pack_path = if *n == 1 {
                    format!("{base}{ext}")
                } else {
                    format!("{base}-{n}{ext}")
                };
                out.push(PackFile {
                    evidence_id: e.id,
                    source: e.location.clone(),
                    pack_path,
                });
            }
        }
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}

/// `index.md`: per framework, every assessed cell with status, owner,
/// review date and evidence (files link into the pack; files that could
/// not be copied are named in `missing`).
pub fn index_markdown(export: &MatrixExport<'_>, files: &[PackFile], missing: &[Uuid]) -> String {
    let by_id: HashMap<Uuid, &PackFile> = files.iter().map(|f| (f.evidence_id, f)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Audit evidence pack: {}\n\nGenerated {}. Coverage and gaps are in `matrix.md`; the full matrix in `matrix.xlsx` and `matrix.csv`.\n",
        md(export.workspace),
        export.generated
    );
    for f in &export.frameworks {
        let _ = writeln!(out, "## {} ({})\n", md(&f.name), md(&f.id));
        out.push_str("| Control | Repository | Status | Owner | Last reviewed | Evidence |\n|---|---|---|---|---|---|\n");
        let mut any = false;
        for r in export.rows(f) {
            let Some(cell) = r.cell else { continue };
            any = true;
            let evidence: Vec<String> = cell
                .evidence
                .iter()
                .map(|e| {
                    let title = md(if e.title.is_empty() {
                        &e.location
                    } else {
                        &e.title
                    });
                    let dates = format!(
                        "collected {}{}",
                        e.collected,
                        e.expires
                            .map(|x| format!(", expires {x}"))
                            .unwrap_or_default()
                    );
                    match e.kind {
                        EvidenceKind::File => match by_id.get(&e.id) {
                            Some(p) if !missing.contains(&e.id) => {
                                format!("file [{title}]({}) ({dates})", p.pack_path)
                            }
                            _ => {
                                format!("file {title} — NOT FOUND at {} ({dates})", md(&e.location))
                            }
                        },
                        EvidenceKind::Note => {
                            format!("note: {title}: {} ({dates})", md(&e.location))
                        }
                        EvidenceKind::Link | EvidenceKind::CiJob => {
                            format!(
                                "{} [{title}]({}) ({dates})",
                                e.kind.label(),
                                md(&e.location)
                            )
                        }
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} | {} | {} |",
                md(&r.control.id),
                md(&r.control.title),
                md(r.repository),
                if cell.applicable {
                    status_label(r.status()).to_string()
                } else {
                    format!("not-applicable: {}", md(&cell.not_applicable_reason))
                },
                md(&cell.owner),
                cell.last_reviewed
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                evidence.join("<br>")
            );
        }
        if !any {
            out.push_str("| (nothing assessed yet) | | | | | |\n");
        }
        out.push('\n');
    }
    out
}
