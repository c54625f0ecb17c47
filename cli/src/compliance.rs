//! `plasma compliance ...`: compliance matrices from the command line.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use plasma_models::compliance::{
    Coverage, EvidenceKind, FindingKind, ImplementationStatus, Relationship,
};
use plasma_workbench::{
    CellUpdate, ComplianceFormat, EvidenceInput, ThreatRef, Workbench, WorkbenchError,
};

use crate::{is_stdout, out_file, print_json, stdout_error};

#[derive(Subcommand)]
pub enum ComplianceCommand {
    /// List the catalogs (bundled and imported) and which are in scope.
    Frameworks {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List a framework's controls.
    Controls {
        /// The framework's id (see `plasma compliance frameworks`).
        framework: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Put frameworks in or out of scope for roll-ups and gaps.
    Scope {
        /// A framework to put in scope (repeatable).
        #[arg(long, value_name = "ID")]
        enable: Vec<String>,
        /// A framework to put out of scope (repeatable).
        #[arg(long, value_name = "ID")]
        disable: Vec<String>,
    },
    /// Set status, applicability, owner, narrative, review date, evidence
    /// and links of controls in repositories (all repositories by default).
    Set {
        /// `framework:control`, or a control id unique among the frameworks.
        #[arg(required = true)]
        controls: Vec<String>,
        /// A repository of the workspace (repeatable; default: all).
        #[arg(long = "repo", value_name = "REPO")]
        repos: Vec<String>,
        /// implemented, partial, planned, alternative or not-applicable.
        #[arg(long, value_parser = parse_status)]
        status: Option<ImplementationStatus>,
        /// Mark the control not applicable here, for this reason.
        #[arg(long, value_name = "REASON")]
        not_applicable: Option<String>,
        /// Who is accountable for it.
        #[arg(long)]
        owner: Option<String>,
        /// How the control is implemented (Markdown).
        #[arg(long)]
        narrative: Option<String>,
        /// Date of the last review (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        reviewed: Option<NaiveDate>,
        /// Evidence: a URL, a file path, a CI job, or a note's text.
        #[arg(long, value_name = "LOCATION")]
        evidence: Option<String>,
        /// link, file, ci-job or note (default: link for URLs, else file).
        #[arg(long, value_parser = parse_kind)]
        evidence_kind: Option<EvidenceKind>,
        /// The evidence's title (default: from its location).
        #[arg(long, value_name = "TITLE")]
        evidence_title: Option<String>,
        /// When the evidence was collected (default: today).
        #[arg(long, value_name = "DATE")]
        evidence_collected: Option<NaiveDate>,
        /// When the evidence stops being valid.
        #[arg(long, value_name = "DATE")]
        evidence_expires: Option<NaiveDate>,
        /// Remove an evidence item by id (repeatable).
        #[arg(long, value_name = "ID")]
        remove_evidence: Vec<uuid::Uuid>,
        /// Link an ADR that satisfies the control (repeatable).
        #[arg(long, value_name = "NUMBER")]
        adr: Vec<u32>,
        /// Link a threat: MODEL:THREAT-ID[:MITIGATION] (repeatable).
        #[arg(long, value_name = "REF")]
        threat: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show a control's cells, with what mapped controls contribute.
    Show {
        /// `framework:control`, or a control id unique among the frameworks.
        control: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Coverage per framework and per repository (frameworks in scope).
    Coverage {
        /// A framework id (default: every framework in scope).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Applicable controls not implemented, per repository.
    Gaps {
        /// A framework id (default: every framework in scope).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Expired, expiring, stale or missing evidence and overdue reviews; exit 1
    /// when any evidence has expired.
    Evidence {
        /// Judge as of this date (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a catalog from an OSCAL catalog or profile (JSON, YAML or XML;
    /// a profile is resolved against the catalog it imports, found beside
    /// it), or CSV (`id,title[,group,description]`).
    Import {
        /// An OSCAL catalog or profile (JSON, YAML, XML) or a CSV file.
        file: std::path::PathBuf,
        /// The framework id to use (default: from the title or file name).
        #[arg(long)]
        id: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Bring states, narratives, owners and evidence back from an OSCAL
    /// component definition or SSP (JSON, YAML or XML): a component is a
    /// repository by name (or by the uuid the export gave it), a control a
    /// control of the framework (`ac-2.3` is `AC-2(3)`).
    ImportAssessment {
        /// An OSCAL component definition or SSP (JSON, YAML, XML).
        file: std::path::PathBuf,
        /// The framework to match (default: the one whose controls match most rows).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export the matrix of one framework (default: every framework in scope).
    Export {
        /// A framework id (default: every framework in scope).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// The format to write.
        #[arg(long, value_enum)]
        format: FormatArg,
        /// The file to write (`-`: standard output).
        #[arg(long, value_name = "PATH")]
        out: std::path::PathBuf,
    },
    /// Write the audit evidence pack: a folder with index.md, the matrix in
    /// every format and the evidence files, plus the same as a zip.
    Pack {
        /// A framework id (default: every framework in scope).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// The folder to write the pack into (a zip of it goes beside it).
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the cross-framework mappings in effect.
    Mappings {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add, change or remove a mapping (NIST IR 8477 relationships).
    Map {
        /// The source control (`framework:control`).
        source: String,
        /// The target control (`framework:control`).
        target: String,
        /// equal, subset, superset, intersects, or remove.
        #[arg(long)]
        relationship: String,
        /// 1-10: tenths of the target the source satisfies.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
        strength: Option<u8>,
        /// Why the controls relate.
        #[arg(long, default_value = "")]
        rationale: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Xlsx,
    Csv,
    Md,
    Oscal,
}

impl From<FormatArg> for ComplianceFormat {
    fn from(f: FormatArg) -> ComplianceFormat {
        match f {
            FormatArg::Xlsx => ComplianceFormat::Xlsx,
            FormatArg::Csv => ComplianceFormat::Csv,
            FormatArg::Md => ComplianceFormat::Md,
            FormatArg::Oscal => ComplianceFormat::Oscal,
        }
    }
}

fn parse_status(s: &str) -> Result<ImplementationStatus, String> {
    ImplementationStatus::parse(s).ok_or_else(|| {
        format!("\"{s}\" is not one of implemented, partial, planned, alternative, not-applicable")
    })
}

fn parse_kind(s: &str) -> Result<EvidenceKind, String> {
    EvidenceKind::parse(s).ok_or_else(|| format!("\"{s}\" is not one of link, file, ci-job, note"))
}

fn parse_threat(s: &str) -> Result<ThreatRef, WorkbenchError> {
    let mut parts = s.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(model), Some(threat), mitigation) if !model.is_empty() && !threat.is_empty() => {
            Ok(ThreatRef {
                model: model.to_string(),
                threat: threat.to_string(),
                mitigation: mitigation.unwrap_or_default().to_string(),
            })
        }
        _ => Err(WorkbenchError::Invalid(format!(
            "--threat \"{s}\" is not MODEL:THREAT-ID[:MITIGATION]"
        ))),
    }
}

pub(crate) fn status_text(s: Option<ImplementationStatus>) -> &'static str {
    s.map_or("not assessed", ImplementationStatus::oscal)
}

fn coverage_line(out: &mut impl Write, label: &str, c: &Coverage) -> Result<(), WorkbenchError> {
    writeln!(
        out,
        "{label:<28} {:>5.1}%  {:>5.1}% with mappings  ({} implemented, {} alternative, {} partial, {} planned, {} not assessed, {} n/a)",
        c.percent,
        c.percent_with_mappings,
        c.implemented,
        c.alternative,
        c.partial,
        c.planned,
        c.not_assessed,
        c.not_applicable
    )
    .map_err(stdout_error)
}

fn print_assessment_report(
    out: &mut impl Write,
    r: &plasma_workbench::compliance_assessment::AssessmentImportReport,
) -> Result<(), WorkbenchError> {
    writeln!(
        out,
        "{} ({}, {} rows) against {}: {} cells updated, {} unchanged",
        r.file,
        r.model,
        r.rows,
        r.framework.as_deref().unwrap_or("no framework"),
        r.updated.len(),
        r.unchanged.len()
    )
    .map_err(stdout_error)?;
    for c in &r.updated {
        writeln!(
            out,
            "  updated {}@{}: {}",
            c.control,
            c.repository,
            c.changed.join(", ")
        )
        .map_err(stdout_error)?;
    }
    for (label, list) in [
        ("components matching no repository", &r.unmatched_components),
        ("controls not in the framework", &r.unmatched_controls),
        ("cells named twice (first kept)", &r.duplicates),
    ] {
        if !list.is_empty() {
            writeln!(out, "  {label}: {}", list.join(", ")).map_err(stdout_error)?;
        }
    }
    Ok(())
}

pub async fn run(
    wb: &Workbench,
    cmd: ComplianceCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        ComplianceCommand::Frameworks { json } => {
            let list = wb.compliance_frameworks().await?;
            if json {
                print_json(out, &list)?;
            } else {
                for f in &list {
                    writeln!(
                        out,
                        "{} {:<16} {:>4} controls  {}{}",
                        if f.in_scope { "*" } else { " " },
                        f.id,
                        f.controls,
                        f.name,
                        if f.bundled { "" } else { " (imported)" }
                    )
                    .map_err(stdout_error)?;
                }
                writeln!(out, "(* in scope; change with `plasma compliance scope`)")
                    .map_err(stdout_error)?;
            }
        }
        ComplianceCommand::Controls { framework, json } => {
            let f = wb.compliance_framework(&framework).await?;
            if json {
                print_json(out, &f)?;
            } else {
                writeln!(out, "{} {}\n{}\n", f.name, f.version, f.notice).map_err(stdout_error)?;
                for c in &f.controls {
                    writeln!(out, "{:<22} {}", c.id, c.title).map_err(stdout_error)?;
                }
            }
        }
        ComplianceCommand::Scope { enable, disable } => {
            let scope = wb.set_compliance_scope(&enable, &disable).await?;
            writeln!(out, "In scope: {}", scope.join(", ")).map_err(stdout_error)?;
        }
        ComplianceCommand::Set {
            controls,
            repos,
            status,
            not_applicable,
            owner,
            narrative,
            reviewed,
            evidence,
            evidence_kind,
            evidence_title,
            evidence_collected,
            evidence_expires,
            remove_evidence,
            adr,
            threat,
            json,
        } => {
            let add_evidence = match evidence {
                Some(location) => vec![EvidenceInput {
                    kind: evidence_kind,
                    title: evidence_title.unwrap_or_default(),
                    location,
                    collected: evidence_collected,
                    expires: evidence_expires,
                }],
                None => Vec::new(),
            };
            let update = CellUpdate {
                controls,
                repositories: repos,
                status,
                not_applicable,
                owner,
                narrative,
                last_reviewed: reviewed,
                add_evidence,
                remove_evidence,
                adrs: adr,
                threats: threat
                    .iter()
                    .map(|t| parse_threat(t))
                    .collect::<Result<_, _>>()?,
            };
            let saved = wb.update_cells(&update).await?;
            if json {
                print_json(out, &saved)?;
            } else {
                for s in &saved {
                    writeln!(
                        out,
                        "{} in {}: {} ({} evidence, revision {})",
                        s.cell.control,
                        s.cell.repository,
                        status_text(s.cell.effective_status()),
                        s.cell.evidence.len(),
                        s.revision
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        ComplianceCommand::Show { control, json } => {
            let view = wb.compliance_control(&control).await?;
            if json {
                print_json(out, &view)?;
            } else {
                writeln!(out, "{}  {}", view.control, view.title).map_err(stdout_error)?;
                for row in &view.repositories {
                    writeln!(
                        out,
                        "  {:<28} {:<14} {}{}",
                        row.repository,
                        status_text(row.cell.as_ref().and_then(|c| c.effective_status())),
                        row.cell.as_ref().map_or("", |c| c.owner.as_str()),
                        row.credits
                            .first()
                            .map(|c| format!(
                                "  [mapped: {} {} gives {:.0}%]",
                                c.source,
                                c.relationship.label(),
                                c.credit * 100.0
                            ))
                            .unwrap_or_default()
                    )
                    .map_err(stdout_error)?;
                    if let Some(cell) = &row.cell {
                        for e in &cell.evidence {
                            writeln!(
                                out,
                                "      {} {}: {} (collected {}{})",
                                e.kind.label(),
                                e.title,
                                e.location,
                                e.collected,
                                e.expires
                                    .map(|x| format!(", expires {x}"))
                                    .unwrap_or_default()
                            )
                            .map_err(stdout_error)?;
                        }
                        for t in &cell.threats {
                            let id = t.threat_id.to_string();
                            let by = if t.mitigation.is_empty() {
                                String::new()
                            } else {
                                format!(" by \"{}\"", t.mitigation)
                            };
                            writeln!(
                                out,
                                "      threat {} in \"{}\"{by}",
                                &id[..8],
                                t.threat_model
                            )
                            .map_err(stdout_error)?;
                        }
                        for n in &cell.adrs {
                            writeln!(out, "      ADR-{n:04}").map_err(stdout_error)?;
                        }
                    }
                }
            }
        }
        ComplianceCommand::Coverage { framework, json } => {
            let report = wb.compliance_coverage(framework.as_deref()).await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(out, "By framework:").map_err(stdout_error)?;
                for c in &report.frameworks {
                    coverage_line(out, c.framework.as_deref().unwrap_or(""), c)?;
                }
                writeln!(out, "By repository:").map_err(stdout_error)?;
                for c in &report.repositories {
                    coverage_line(out, c.repository.as_deref().unwrap_or(""), c)?;
                }
            }
        }
        ComplianceCommand::Gaps { framework, json } => {
            let gaps = wb.compliance_gaps(framework.as_deref()).await?;
            if json {
                print_json(out, &gaps)?;
            } else if gaps.is_empty() {
                writeln!(out, "No gaps.").map_err(stdout_error)?;
            } else {
                for g in &gaps {
                    writeln!(
                        out,
                        "{:<24} {:<28} {:<13} {}{}",
                        g.control.to_string(),
                        g.repository,
                        status_text(g.status),
                        g.title,
                        g.mapped_from
                            .as_ref()
                            .map(|m| format!(" [{:.0}% via {m}]", g.mapped_credit * 100.0))
                            .unwrap_or_default()
                    )
                    .map_err(stdout_error)?;
                }
                writeln!(out, "{} gaps", gaps.len()).map_err(stdout_error)?;
            }
        }
        ComplianceCommand::Evidence { as_of, json } => {
            let findings = wb.compliance_evidence_findings(as_of).await?;
            if json {
                print_json(out, &findings)?;
            } else if findings.is_empty() {
                writeln!(out, "All evidence is current.").map_err(stdout_error)?;
            } else {
                for f in &findings {
                    writeln!(
                        out,
                        "{:<15} {:<24} {:<28} {}{}",
                        f.kind.label(),
                        f.control.to_string(),
                        f.repository,
                        f.title,
                        f.date.map(|d| format!(" ({d})")).unwrap_or_default()
                    )
                    .map_err(stdout_error)?;
                }
            }
            // Expired evidence fails a CI step; the rest are warnings.
            if findings.iter().any(|f| f.kind == FindingKind::Expired) {
                return Ok(ExitCode::from(1));
            }
        }
        ComplianceCommand::Import { file, id, json } => {
            let report = wb.import_compliance_catalog(&file, id.as_deref()).await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(
                    out,
                    "Imported {} ({}) from {} ({}): {} controls, {:?}",
                    report.framework,
                    report.name,
                    report.file,
                    report.format,
                    report.controls,
                    report.action
                )
                .map_err(stdout_error)?;
            }
        }
        ComplianceCommand::ImportAssessment {
            file,
            framework,
            json,
        } => {
            let report = wb
                .import_compliance_assessment(&file, framework.as_deref())
                .await?;
            if json {
                print_json(out, &report)?;
            } else {
                print_assessment_report(out, &report)?;
            }
        }
        ComplianceCommand::Export {
            framework,
            format,
            out: path,
        } => {
            let written = wb
                .export_compliance(framework.as_deref(), format.into(), &out_file(path))
                .await?;
            if !is_stdout(&written) {
                writeln!(out, "Wrote {}", written.display()).map_err(stdout_error)?;
            }
        }
        ComplianceCommand::Pack {
            framework,
            out: dir,
            json,
        } => {
            let report = wb
                .compliance_evidence_pack(framework.as_deref(), &dir)
                .await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(
                    out,
                    "Wrote {} and {} ({} evidence files, {} missing)",
                    report.dir,
                    report.zip,
                    report.files,
                    report.missing.len()
                )
                .map_err(stdout_error)?;
                for m in &report.missing {
                    writeln!(out, "  missing: {m}").map_err(stdout_error)?;
                }
            }
        }
        ComplianceCommand::Mappings { json } => {
            let maps = wb.compliance_mappings().await?;
            if json {
                print_json(out, &maps)?;
            } else {
                for m in &maps {
                    writeln!(
                        out,
                        "{:<28} {:<10} {:<36} strength {:>2}{}",
                        m.source.to_string(),
                        m.relationship.label(),
                        m.target.to_string(),
                        m.strength,
                        if m.bundled { "" } else { "  (edited)" }
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        ComplianceCommand::Map {
            source,
            target,
            relationship,
            strength,
            rationale,
        } => {
            let relationship = if relationship.eq_ignore_ascii_case("remove") {
                None
            } else {
                Some(Relationship::parse(&relationship).ok_or_else(|| {
                    WorkbenchError::Invalid(format!(
                        "\"{relationship}\" is not one of equal, subset, superset, intersects, remove"
                    ))
                })?)
            };
            let maps = wb
                .edit_mapping(&source, &target, relationship, strength, &rationale)
                .await?;
            writeln!(out, "{} mappings in effect", maps.len()).map_err(stdout_error)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
