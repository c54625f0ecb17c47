//! `plasma threats ...`: threat models from the command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plasma_models::threat::Severity;
use plasma_workbench::{ThreatFormat, ThreatRow, Workbench, WorkbenchError};

use crate::{print_json, stdout_error};

#[derive(Subcommand)]
pub enum ThreatsCommand {
    /// List the workspace's threat models.
    Models {
        #[arg(long)]
        json: bool,
    },
    /// Import a Threat Dragon, OTM or pytm file (updates the model of the
    /// same name in place, keeping decisions) and run the STRIDE rules.
    Import {
        file: PathBuf,
        /// The file's format (default: detected from its name and content).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        #[arg(long)]
        json: bool,
    },
    /// List a model's threats, most severe first.
    List {
        /// The model's name or id.
        model: String,
        #[arg(long)]
        json: bool,
    },
    /// Run the STRIDE rules again (keeps edits, marks stale threats obsolete).
    Generate {
        model: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the Markdown report, threat CSV and diagrams (SVG, Mermaid, DOT).
    Report {
        model: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Export a model to another tool's format.
    Export {
        model: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Td)]
        format: ExportFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// CI gate: exit 1 when open threats with no done mitigation are at or
    /// above the given severity (obsolete threats do not count).
    Check {
        model: String,
        #[arg(long, value_enum, value_name = "SEVERITY")]
        fail_on: FailOn,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// OWASP Threat Dragon (v1 or v2 JSON).
    #[value(alias = "threat-dragon")]
    Td,
    /// Open Threat Model (YAML or JSON).
    Otm,
    /// pytm's JSON report.
    Pytm,
}

impl From<FormatArg> for ThreatFormat {
    fn from(f: FormatArg) -> ThreatFormat {
        match f {
            FormatArg::Td => ThreatFormat::ThreatDragon,
            FormatArg::Otm => ThreatFormat::Otm,
            FormatArg::Pytm => ThreatFormat::Pytm,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// OWASP Threat Dragon v2 JSON.
    #[value(alias = "threat-dragon")]
    Td,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Critical => Severity::Critical,
        }
    }
}

pub async fn run(
    wb: &Workbench,
    cmd: ThreatsCommand,
    out: &mut impl Write,
) -> Result<ExitCode, WorkbenchError> {
    match cmd {
        ThreatsCommand::Models { json } => {
            let models = wb.list_threat_models().await?;
            if json {
                print_json(out, &models)?;
            } else if models.is_empty() {
                writeln!(
                    out,
                    "No threat models yet (import one with `plasma threats import FILE`)."
                )
                .map_err(stdout_error)?;
            } else {
                for m in &models {
                    writeln!(
                        out,
                        "{}  {}  ({} threats, {} unmitigated, {} obsolete; r{})",
                        short(&m.id.to_string()),
                        m.name,
                        m.threats,
                        m.unmitigated,
                        m.obsolete,
                        m.revision
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
        ThreatsCommand::Import { file, format, json } => {
            let report = wb
                .import_threat_model(&file, format.map(Into::into))
                .await?;
            if json {
                print_json(out, &report)?;
            } else {
                let action = match report.action {
                    plasma_workbench::ImportAction::Created => "created",
                    plasma_workbench::ImportAction::Updated => "updated",
                    plasma_workbench::ImportAction::Unchanged => "unchanged",
                };
                writeln!(
                    out,
                    "Imported \"{}\" from {} ({}): {action}, {} threats ({} new, {} kept, {} obsolete, {} from the file or by hand)",
                    report.model.name,
                    file.display(),
                    report.format,
                    report.model.threats,
                    report.counts.new,
                    report.counts.kept,
                    report.counts.obsolete,
                    report.counts.other
                )
                .map_err(stdout_error)?;
            }
        }
        ThreatsCommand::List { model, json } => {
            let rows = wb.list_threats(&model).await?;
            if json {
                print_json(out, &rows)?;
            } else {
                print_rows(out, &rows)?;
            }
        }
        ThreatsCommand::Generate { model, json } => {
            let report = wb.generate_threats(&model).await?;
            if json {
                print_json(out, &report)?;
            } else {
                writeln!(
                    out,
                    "Regenerated \"{}\": {} new, {} kept, {} obsolete, {} other (revision {})",
                    report.model.name,
                    report.counts.new,
                    report.counts.kept,
                    report.counts.obsolete,
                    report.counts.other,
                    report.model.revision
                )
                .map_err(stdout_error)?;
            }
        }
        ThreatsCommand::Report { model, out: dir } => {
            let files = wb.threat_report(&model, &dir).await?;
            writeln!(out, "Wrote {} files to {}", files.files.len(), files.dir)
                .map_err(stdout_error)?;
            for f in &files.files {
                writeln!(out, "  {f}").map_err(stdout_error)?;
            }
        }
        ThreatsCommand::Export {
            model,
            format: ExportFormat::Td,
            out: file,
        } => {
            let path = wb.export_threat_dragon(&model, &file).await?;
            writeln!(out, "Wrote {}", path.display()).map_err(stdout_error)?;
        }
        ThreatsCommand::Check {
            model,
            fail_on,
            json,
        } => {
            let check = wb.check_threats(&model, fail_on.into()).await?;
            if json {
                print_json(out, &check)?;
            } else if check.offending.is_empty() {
                writeln!(
                    out,
                    "\"{}\": no unmitigated threats at {} or above.",
                    check.model,
                    check.fail_on.label()
                )
                .map_err(stdout_error)?;
            } else {
                writeln!(
                    out,
                    "\"{}\": {} unmitigated threats at {} or above:",
                    check.model,
                    check.offending.len(),
                    check.fail_on.label()
                )
                .map_err(stdout_error)?;
                print_rows(out, &check.offending)?;
            }
            if !check.offending.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Table cells stay on one line whatever the imported text holds.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn print_rows(out: &mut impl Write, rows: &[ThreatRow]) -> Result<(), WorkbenchError> {
    for r in rows {
        let target = r.target_name.as_deref().unwrap_or("(removed)");
        let obsolete = if r.obsolete { "  [obsolete]" } else { "" };
        writeln!(
            out,
            "{}  {:<8} {:<14} {:<22} {}  {}{obsolete}",
            r.short_id,
            r.severity.label(),
            r.status,
            r.category.label(),
            one_line(target),
            one_line(&r.title)
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}
